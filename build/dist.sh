#!/bin/sh
# Copies the release's files into DIR: what git tracks (in a checkout) or what MANIFEST
# lists (in an unpacked tarball), plus the generated configure and its auxiliary files;
# writes DIR/MANIFEST so that `make dist` works again from the tarball.
#   build/dist.sh SRCDIR DIR
set -eu
src=$(cd "$1" && pwd)
mkdir -p "$2"
dir=$(cd "$2" && pwd)
# a checkout's top, not a tarball unpacked somewhere inside another checkout
if [ "$(git -C "$src" rev-parse --show-toplevel 2>/dev/null)" = "$src" ]; then
    files=$(git -C "$src" ls-files)
elif [ -f "$src/MANIFEST" ]; then
    files=$(cat "$src/MANIFEST")
else
    echo "dist: $src is neither a git checkout nor an unpacked tarball (no MANIFEST)" >&2
    exit 1
fi
if [ ! -x "$src/configure" ]; then
    echo "dist: $src/configure is missing: run autoreconf -fi there first" >&2
    exit 1
fi
auxdir=$(sed -n 's/^AC_CONFIG_AUX_DIR(\[\(.*\)\])/\1/p' "$src/configure.ac")
generated=$(cd "$src" && ls configure ${auxdir:+"$auxdir"/*} 2>/dev/null)
printf '%s\n' $files $generated | grep -v '^MANIFEST$' | sort -u > "$dir/MANIFEST.tmp"
(cd "$src" && tar -cf - -T "$dir/MANIFEST.tmp") | (cd "$dir" && tar -xf -)
mv "$dir/MANIFEST.tmp" "$dir/MANIFEST"
