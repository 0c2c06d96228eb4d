#!/bin/sh
# What `make check` needs beyond the build, checked without installing anything: each
# missing piece is named with the Debian package that has it (build/install-deps.sh
# installs them all). Exit 1 when something is missing.
python=${PYTHON:-/usr/bin/python3}
missing=""
need() { # DESCRIPTION PACKAGE: records a missing piece
    echo "make check: missing $1 (Debian package $2)" >&2
    missing="$missing $2"
}
[ -x /usr/sbin/apache2 ] || command -v apache2 >/dev/null 2>&1 || need "httpd (apache2)" apache2
[ -e /usr/lib/apache2/modules/mod_mpm_event.so ] || need "httpd's modules" apache2
"$python" -c 'import pytest' >/dev/null 2>&1 || need "pytest for $python" python3-pytest
[ -d "${OA_SCHEMA_SUITE_DIR:-/usr/share/json-schema-test-suite}/tests/draft4" ] ||
    need "the JSON-Schema-Test-Suite" json-schema-test-suite
command -v memcached >/dev/null 2>&1 || [ -x /usr/bin/memcached ] || need memcached memcached
command -v curl >/dev/null 2>&1 || need curl curl
if [ -n "$missing" ]; then
    echo "make check: install them with: apt-get install$missing (or run build/install-deps.sh)" >&2
    exit 1
fi
