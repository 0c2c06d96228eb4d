#!/bin/bash
# The Debian packages, end to end, on this machine (root, Debian 12):
#  1. builds them with dpkg-buildpackage from a copy of the sources and runs lintian;
#  2. installs them with apt-get, a2enmod openapi, builds the example plugins against the
#     installed SDK (pkg-config, and apxs -c), drops a site serving the example petstore
#     on a free loopback port (ports.conf edited), apache2ctl configtest and start, checks
#     answers, apache2ctl stop;
#  3. a2dismod, purges the packages and checks the machine is as it was: every file under
#     /etc/apache2 and /var/lib/apache2 byte for byte, the port free.
# It refuses to run when the distro's apache2 is running or the packages are installed.
#   build/package-test.sh            (the last line is "package test: passed" or "...: FAILED")
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
packages=(libapache2-mod-openapi libapache2-mod-openapi-dev)
examples=/usr/share/doc/libapache2-mod-openapi-dev/examples
site=mod-openapi-package-test
started=$(date +%s)

say() { echo "== $*"; }
fail() { echo "package test: FAILED: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "needs root (apt-get, /etc/apache2)"
"$src/build/install-deps.sh" --package
for p in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed; then
    fail "$p is already installed: this test installs and purges it, remove it first"
  fi
done
set +u
. /etc/apache2/envvars
set -u
pidfile=${APACHE_PID_FILE:-/var/run/apache2/apache2.pid}
if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
  fail "the distro's apache2 is running (pid $(cat "$pidfile")): this test starts and stops it"
fi

work=$(mktemp -d /tmp/mod_openapi-package-test.XXXXXX)
chmod 755 "$work"
# The state the test must leave: each file's checksum or link target.
snapshot() {
  find /etc/apache2 /var/lib/apache2 \( -type f -o -type l \) -print0 | sort -z |
    while IFS= read -r -d '' f; do
      if [ -L "$f" ]; then echo "$f -> $(readlink "$f")"; else echo "$f $(sha256sum < "$f")"; fi
    done
}
snapshot > "$work/before.txt"
cp -p /etc/apache2/ports.conf "$work/ports.conf.orig"

httpd_pid() { [ -f "$pidfile" ] && cat "$pidfile" || true; }
cleanup() {
  set +e
  local pid
  pid=$(httpd_pid)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    apache2ctl stop >/dev/null 2>&1
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  if [ -e "/etc/apache2/sites-enabled/$site.conf" ]; then a2dissite -q -p "$site" >/dev/null; fi
  rm -f "/etc/apache2/sites-available/$site.conf"
  if [ -e /etc/apache2/mods-enabled/openapi.load ]; then a2dismod -q -p openapi >/dev/null; fi
  cp -p "$work/ports.conf.orig" /etc/apache2/ports.conf
  for p in "${packages[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed; then
      DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${packages[@]}" >/dev/null 2>&1
      break
    fi
  done
}
trap cleanup EXIT

say "building the packages (dpkg-buildpackage -us -uc -b) in a copy of the sources"
mkdir "$work/src"
if [ "$(git -C "$src" rev-parse --show-toplevel 2>/dev/null)" = "$src" ]; then
  (cd "$src" && git ls-files -co --exclude-standard) > "$work/files.txt"
else
  (cd "$src" && find . -path ./build-\* -prune -o -type f -print) > "$work/files.txt"
fi
(cd "$src" && tar -cf - -T "$work/files.txt") | tar -xf - -C "$work/src"
version=$(cat "$src/VERSION")
changelog=$(cd "$work/src" && dpkg-parsechangelog -SVersion)
[ "${changelog%-*}" = "$version" ] || fail "debian/changelog has $changelog, VERSION has $version"
build_started=$(date +%s)
(cd "$work/src" && dpkg-buildpackage -us -uc -b >"$work/build.log" 2>&1) ||
  { tail -40 "$work/build.log"; fail "dpkg-buildpackage failed (log: $work/build.log)"; }
echo "built in $(( $(date +%s) - build_started )) s:"
ls "$work"/*.deb | sed 's|.*/|  |'

say "lintian"
lintian_status=0
(cd "$work" && lintian --pedantic --fail-on error,warning,pedantic ./*.changes) \
  >"$work/lintian.txt" 2>&1 || lintian_status=$?
grep -v '^running with root privileges' "$work/lintian.txt" | sed 's/^/  /' || echo "  (no tags)"
[ "$lintian_status" = 0 ] || fail "lintian reports tags (each must be fixed or overridden with a reason)"

say "apt-get install ./libapache2-mod-openapi_*.deb ./libapache2-mod-openapi-dev_*.deb"
(cd "$work" && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
   ./libapache2-mod-openapi_"$version"_*.deb ./libapache2-mod-openapi-dev_"$version"_*.deb \
   >"$work/install.log" 2>&1) || { cat "$work/install.log"; fail "apt-get install failed"; }
for p in "${packages[@]}"; do
  say "dpkg -L $p"
  dpkg -L "$p" | sed 's/^/  /'
done
man -w openapi-check >/dev/null || fail "man openapi-check finds no page"
man openapi-check 2>/dev/null | grep -q "^SYNOPSIS" || fail "man openapi-check shows no SYNOPSIS"
openapi-check --help | grep -q "^SYNOPSIS" || fail "openapi-check --help shows no SYNOPSIS"
openapi-check "$examples/petstore.yaml" | grep -q "^OK " || fail "openapi-check on the example"
[ "$(pkg-config --modversion mod_openapi)" = "$version" ] || fail "pkg-config --modversion"

say "the example plugins against the installed SDK: pkg-config, and apxs -c"
mkdir -p "$work/site/pkgconfig" "$work/site/apxs"
cp "$examples"/* "$work/site/"
for plugin in petstore oauth; do
  # shellcheck disable=SC2046 # the flags are words
  cc -shared -fPIC -Wall -Werror -o "$work/site/pkgconfig/$plugin.so" "$work/site/$plugin.c" \
     $(pkg-config --cflags --libs mod_openapi)
  (cd "$work/site/apxs" && cp "../$plugin.c" . &&
   apxs -c -Wl,-Bsymbolic -ljansson "$plugin.c" >apxs.log 2>&1) ||
    { cat "$work/site/apxs/apxs.log"; fail "apxs -c $plugin.c"; }
  cp "$work/site/apxs/.libs/$plugin.so" "$work/site/apxs/$plugin.so"
done
chmod -R a+rX "$work/site"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
say "a2enmod openapi; site $site on 127.0.0.1:$port (ports.conf: only that Listen)"
a2enmod -q openapi
echo "Listen 127.0.0.1:$port" > /etc/apache2/ports.conf
cat > "/etc/apache2/sites-available/$site.conf" <<CONF
# written by mod_openapi's build/package-test.sh; removed when it ends
ServerName 127.0.0.1
# the example's authorization server keeps its tokens in one process's memory: one child
StartServers 1
ServerLimit 1
MaxRequestWorkers 25
<VirtualHost 127.0.0.1:$port>
    <Location /v1>
        OpenAPISpec   $work/site/petstore.yaml
        OpenAPIPlugin petstore $work/site/pkgconfig/petstore.so
        OpenAPIPlugin auth $work/site/pkgconfig/oauth.so
    </Location>
    <Location /v2>
        OpenAPISpec     $work/site/petstore.yaml
        OpenAPIBasePath /v2
        OpenAPIPlugin   petstore $work/site/apxs/petstore.so
        OpenAPIPlugin   auth $work/site/apxs/oauth.so
    </Location>
</VirtualHost>
CONF
a2ensite -q "$site"
apache2ctl configtest 2>&1 | tee "$work/configtest.txt" | sed 's/^/  /'
grep -q "Syntax OK" "$work/configtest.txt" || fail "apache2ctl configtest"
say "apache2ctl start"
apache2ctl start
for _ in $(seq 50); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.2
done

checks=0
expect() { # NAME EXPECTED-STATUS EXPECTED-BODY-PART CURL-ARGS...
  local name=$1 status=$2 part=$3 out code
  shift 3
  out=$(curl -s -m 10 -w '\n%{http_code}' "$@") || fail "$name: curl failed"
  code=${out##*$'\n'}
  [ "$code" = "$status" ] || fail "$name: status $code, expected $status: ${out%$'\n'*}"
  case "${out%$'\n'*}" in *"$part"*) ;; *) fail "$name: no '$part' in: ${out%$'\n'*}";; esac
  checks=$((checks + 1))
  echo "  ok: $name ($code)"
}
for base in v1 v2; do
  b="http://127.0.0.1:$port/$base"
  which=$([ $base = v1 ] && echo pkg-config || echo apxs)
  expect "$base ($which) no token: 401" 401 '' -i "$b/pets"
  token=$(curl -s -m 10 -u demo-app:demo-secret -d grant_type=client_credentials \
            -d 'scope=pets:read pets:write' "$b/oauth/token" |
          python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])') ||
    fail "$base: no access token from $b/oauth/token"
  expect "$base ($which) create a pet" 201 '"name":"Rex"' -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"name":"Rex","tag":"dog"}' "$b/pets"
  expect "$base ($which) list pets" 200 '"Rex"' -H "Authorization: Bearer $token" "$b/pets"
  expect "$base ($which) invalid body: 400 problem" 400 '"status":400' \
    -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{"tag":1}' "$b/pets"
  expect "$base ($which) unknown path: 404 problem" 404 '"status":404' \
    -H "Authorization: Bearer $token" "$b/nothing/here"
done
if grep -E '\[(openapi:)?(error|crit|alert|emerg)\]' "${APACHE_LOG_DIR:-/var/log/apache2}/error.log" |
   grep -q "$site\|openapi\|OAPI"; then
  fail "errors in the distro httpd's error.log"
fi

say "apache2ctl stop"
pid=$(httpd_pid)
apache2ctl stop
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$pid" 2>/dev/null && fail "httpd (pid $pid) did not stop"

say "a2dissite, a2dismod openapi, ports.conf restored, apt-get purge"
a2dissite -q -p "$site"
rm -f "/etc/apache2/sites-available/$site.conf"
a2dismod -q -p openapi
cp -p "$work/ports.conf.orig" /etc/apache2/ports.conf
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "${packages[@]}" >"$work/purge.log" 2>&1 ||
  { cat "$work/purge.log"; fail "apt-get purge"; }
trap - EXIT

say "the machine is as it was"
snapshot > "$work/after.txt"
diff -u "$work/before.txt" "$work/after.txt" || fail "files under /etc/apache2 or /var/lib/apache2 changed"
if python3 -c "import socket,sys; s=socket.socket(); sys.exit(s.connect_ex(('127.0.0.1', $port)) != 0)"; then
  fail "port $port still answers"
fi
for p in "${packages[@]}"; do
  if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q installed; then fail "$p still installed"; fi
done
rm -rf "$work"
echo "package test: passed ($checks checks, $(( $(date +%s) - started )) s)"
