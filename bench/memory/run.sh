#!/bin/sh
# Memory and start time of large specs in one command (see bench/memory/README.md):
#
#   bench/memory/run.sh [--paths N]     (default 5,000 paths: 10,000 operations)
#
# Builds mod_openapi and openapi-check out of tree in build-bench/ at the project root,
# then prints a Markdown table: per spec, openapi-check's wall time and max RSS, and what
# one location serving the spec (mock mode) adds to an httpd child's VmRSS.
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build-bench"
echo "== building mod_openapi in $build" >&2
"$root/build/configure-dir.sh" "$build" >/dev/null
make -C "$build" -j"$(nproc)" -s mod_openapi.so openapi-check >/dev/null
exec python3 "$here/memory.py" --module "$build/mod_openapi.so" --check "$build/openapi-check" \
    --fixtures "$root/tests/fixtures/specs/large" "$@"
