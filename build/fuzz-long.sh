#!/bin/sh
# The long fuzzing run (not part of CI): every libFuzzer target of tests/fuzz for a
# CPU-hour each (FUZZ_SECONDS to change it), one after the other, with a kept corpus in
# build-fuzz/long/<target>/ so that a later run goes on where this one stopped. Prints
# each target's executions, coverage and features, and any crash, leak or timeout (its
# reproducer is in build-fuzz/long/ as crash-*, leak-*, timeout-*: check it into
# tests/fuzz/corpus/<target>/ with the fix, so the README's test command replays it).
# Usage: build/fuzz-long.sh [TARGET...]
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
here="$root/tests/fuzz"
seconds=${FUZZ_SECONDS:-3600}
build="$root/build-fuzz"
"$root/build/configure-dir.sh" "$build" >/dev/null
make -s -C "$build" fuzz
targets=${*:-$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
mkdir -p "$build/long"
status=0
for target in $targets; do
    mkdir -p "$build/long/$target"
    log="$build/long/$target.log"
    echo "== fuzz_$target: $seconds s (log: $log)"
    if (cd "$build/long" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=8192 \
            -timeout=10 -rss_limit_mb=2048 -dict="$here/$target.dict" -print_final_stats=1 \
            "$build/long/$target" "$here/corpus/$target") >"$log" 2>&1; then
        result=ok
    else
        result=FAILED
        status=1
    fi
    echo "fuzz_$target: $result; $(grep -E '^#[0-9]+.*(DONE|cov:)' "$log" | tail -1)"
    grep -E '^stat::number_of_executed_units|^SUMMARY|^artifact_prefix|Test unit written' \
        "$log" || true
done
exit $status
