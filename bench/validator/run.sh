#!/bin/sh
# Validator benchmark in one command: builds bench_validate in build-bench/ (make bench:
# the tree's flags and the libraries configure found), prints validations/s next to
# json_loads/s (each loop bounded to SECONDS, default 2), then counts instructions per
# operation with valgrind --tool=callgrind (ITERATIONS operations of each kind, default 200).
# Usage: bench/validator/run.sh [SECONDS] [ITERATIONS]
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-2}
iterations=${2:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"

"$root/build/configure-dir.sh" "$root/build-bench"
make -s -C "$root/build-bench" bench/validator/bench_validate
cp "$root/build-bench/bench/validator/bench_validate" "$work/bench_validate"

echo "== throughput (at most ${seconds}s per loop)"
"$work/bench_validate" --seconds "$seconds"
echo "== the same, OpenAPI 3.1 (JSON Schema 2020-12) schema"
"$work/bench_validate" --seconds "$seconds" bench/validator/order.openapi31.json

if command -v valgrind >/dev/null 2>&1; then
    echo "== instructions per operation (callgrind, $iterations operations each)"
    for kind in validate validate-3.1 parse; do
        schema=bench/validator/order.openapi.json
        case $kind in
            validate) fn=run_validations ;;
            validate-3.1) fn=run_validations; schema=bench/validator/order.openapi31.json ;;
            parse) fn=run_parses ;;
        esac
        valgrind --tool=callgrind --collect-atstart=no --toggle-collect="$fn" \
            --callgrind-out-file="$work/callgrind.$kind" \
            "$work/bench_validate" --only "${kind%-3.1}" --iterations "$iterations" \
            "$schema" >/dev/null 2>"$work/valgrind.$kind"
        total=$(sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$work/valgrind.$kind")
        echo "$kind: $((total / iterations)) instructions per operation"
    done
else
    echo "valgrind not found: no instruction counts"
fi
