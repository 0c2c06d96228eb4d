#!/bin/bash
# Puts swagger-ui-dist VERSION's files that the Swagger UI page needs into DIR, from the
# npm registry through npm's cache (so a second build, or one offline after a first one,
# fetches nothing). An existing copy of that version is kept as it is.
#   build/fetch-swagger-ui.sh DIR VERSION
set -euo pipefail
dir=$1
version=$2
files="swagger-ui-bundle.js swagger-ui-standalone-preset.js swagger-ui.css index.css
       favicon-16x16.png favicon-32x32.png oauth2-redirect.html oauth2-redirect.js LICENSE NOTICE"
stamp="$dir/.version-$version"
[ -f "$stamp" ] && exit 0
if ! command -v npm >/dev/null; then
  echo "fetch-swagger-ui.sh: npm is needed once to fetch swagger-ui-dist $version (apt-get install npm)" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! (cd "$work" && npm pack --prefer-offline --silent "swagger-ui-dist@$version" >/dev/null); then
  echo "fetch-swagger-ui.sh: cannot get swagger-ui-dist $version from npm (offline and not in npm's cache?)" >&2
  exit 1
fi
tar -xzf "$work"/swagger-ui-dist-"$version".tgz -C "$work"
mkdir -p "$dir"
rm -f "$dir"/.version-* 
for f in $files; do
  cp "$work/package/$f" "$dir/$f"
done
touch "$stamp"
