#!/bin/sh
# The long fuzzing run (not part of CI): every libFuzzer target of tests/fuzz for a
# CPU-hour each (FUZZ_SECONDS to change it; CPU time, measured, so `nice` is fine on a
# busy machine), one after the other, through
# tests/fuzz/run.sh with the corpus kept in build-fuzz/long/<target>/ so that a later run
# goes on where this one stopped. The log is build-fuzz/long/fuzz-long.log; the summary
# printed last gives each target's executions, coverage and features, and any crash,
# leak, timeout or out-of-memory (its reproducer is left in build-fuzz/long/: check it
# into tests/fuzz/corpus/<target>/ with the fix, so the README's test command replays it).
# Usage: build/fuzz-long.sh [TARGET...]
root=$(cd "$(dirname "$0")/.." && pwd)
long="$root/build-fuzz/long"
mkdir -p "$long"
cd "$long" || exit 1
FUZZ_CPU=1 FUZZ_KEEP="$long" sh "$root/tests/fuzz/run.sh" "${FUZZ_SECONDS:-3600}" "$@" \
    >"$long/fuzz-long.log" 2>&1
status=$?
grep -E '^== fuzz_|FAILED|^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units|^SUMMARY' \
    "$long/fuzz-long.log"
exit $status
