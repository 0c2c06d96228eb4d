#!/bin/bash
# Sets up, builds and runs the example petstore API in the foreground on 127.0.0.1.
#   build/run-example.sh            (PORT=8080 by default; PORT=9000 build/run-example.sh)
# Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)
port=${PORT:-8080}

build/install-deps.sh --run-only
build/configure-dir.sh build-example
make -s -C build-example -j"$(nproc)"

root=$(mktemp -d /tmp/mod_openapi-example.XXXXXX)
chmod 755 "$root"
mkdir -p "$root/modules" "$root/plugins" "$root/logs"
cp build-example/mod_openapi.so "$root/modules/"
cp build-example/examples/petstore/petstore.so build-example/examples/petstore/oauth.so "$root/plugins/"
cp examples/petstore/petstore.yaml "$root/"
cp -r build-example/swagger-ui "$root/swagger-ui"
sed -e "s|@ROOT@|$root|g" -e "s|@PORT@|$port|g" examples/petstore/httpd.conf > "$root/httpd.conf"
user_args=()
if [ "$(id -u)" -eq 0 ] && id www-data >/dev/null 2>&1; then
  chown -R www-data:www-data "$root"
  user_args=(setpriv --reuid=www-data --regid=www-data --clear-groups --)
fi

"${user_args[@]}" /usr/sbin/apache2 -d "$root" -f "$root/httpd.conf" -t
cat <<TXT

mod_openapi example: the petstore API on http://127.0.0.1:$port/v1 (Ctrl-C stops it),
its Swagger UI on http://127.0.0.1:$port/v1/ui/ and spec on http://127.0.0.1:$port/v1/openapi.json,
protected by OAuth 2; its authorization server is plugins/oauth.so on the same httpd
(clients demo-app:demo-secret, public spa-app; README "The example's OAuth 2 flow").
  T=\$(curl -s -u demo-app:demo-secret -d grant_type=client_credentials \\
        -d 'scope=pets:read pets:write' http://127.0.0.1:$port/v1/oauth/token | jq -r .access_token)
  curl -s -H "Authorization: Bearer \$T" http://127.0.0.1:$port/v1/pets
  curl -s -H "Authorization: Bearer \$T" -X POST -H 'Content-Type: application/json' \\
       -d '{"name":"Rex","tag":"dog"}' http://127.0.0.1:$port/v1/pets
  curl -s -H "Authorization: Bearer \$T" http://127.0.0.1:$port/v1/pets/1
  curl -s -H "Authorization: Bearer \$T" -X DELETE -i http://127.0.0.1:$port/v1/pets/1
  curl -s -i http://127.0.0.1:$port/v1/pets              (401, WWW-Authenticate: Bearer)
  curl -s -i 'http://127.0.0.1:$port/v1/oauth/authorize?response_type=code&client_id=demo-app&redirect_uri=http://127.0.0.1:$port/callback&state=xyz&code_challenge=2oR9dc8zUkYaxN5_IeHypxIaJtSAa2sVmihEYP0PZ-4&code_challenge_method=S256'
       (302 to /callback?code=...&state=xyz; the verifier is dBjftJeZ4CVP-mJ92K9qkArXvaFq0BiPqGmklqbq0cw)
Logs: $root/logs/error.log and access.log; config: $root/httpd.conf
TXT
exec "${user_args[@]}" /usr/sbin/apache2 -d "$root" -f "$root/httpd.conf" -DFOREGROUND
