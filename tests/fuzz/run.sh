#!/bin/sh
# Builds the libFuzzer targets (make fuzz: clang, libFuzzer + ASan + UBSan, all core
# sources linked in directly, the libraries configure found) in build-fuzz/ and runs each
# in turn, one job at a time, for a bounded time over its seed corpus
# (corpus/<target>/) with its dictionary (<target>.dict; schema.dict for fuzz_schema).
# Usage: tests/fuzz/run.sh [SECONDS [TARGET...]]   (default 20 s, every target).
# Exits non-zero when a target finds a crash, leak or timeout (the reproducer is left in
# the current directory as crash-*, leak-* or timeout-*). build/fuzz-long.sh runs the
# same targets for an hour each.
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-20}
[ $# -gt 0 ] && shift
build="$root/build-fuzz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$root/build/configure-dir.sh" "$build" >/dev/null
make -s -C "$build" fuzz

targets=${*:-$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
failed=0
for target in $targets; do
    mkdir -p "$work/$target"
    echo "== fuzz_$target: ${seconds} s"
    # new inputs go to the scratch corpus; the seeds stay as they are
    if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=8192 \
            -timeout=10 -rss_limit_mb=2048 -dict="$here/$target.dict" -print_final_stats=1 \
            "$work/$target" "$here/corpus/$target"; then
        echo "fuzz_$target: FAILED"
        failed=1
    fi
done
exit $failed
