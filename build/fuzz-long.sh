#!/bin/sh
# The long fuzzing run (not part of CI): every libFuzzer target of tests/fuzz for a
# CPU-hour each (FUZZ_SECONDS to change it; CPU time, measured, so `nice` is fine on a
# busy machine), one after the other, through
# tests/fuzz/run.sh with the corpus kept in build-fuzz/long/<target>/ so that a later run
# goes on where this one stopped. The log is build-fuzz/long/fuzz-long.log; the summary
# printed last gives each target's executions, coverage and features, and any crash,
# leak, timeout or out-of-memory (its reproducer is left in build-fuzz/long/: check it
# into tests/fuzz/corpus/<target>/ with the fix, so the README's test command replays it).
# Do not stop a running fuzzer with SIGSTOP: libFuzzer counts the pause against the input
# it was running and reports a timeout.
#
# Usage: build/fuzz-long.sh [TARGET...]
#        build/fuzz-long.sh --merge [TARGET...]
# --merge adds to tests/fuzz/corpus/<target>/ the inputs of build-fuzz/long/<target>/ that
# reach coverage the checked-in seeds do not (libFuzzer -merge=1): the README's 60 s runs
# start from there, and so does a long run on a fresh clone.
root=$(cd "$(dirname "$0")/.." && pwd)
long="$root/build-fuzz/long"
mkdir -p "$long"
cd "$long" || exit 1
seeds_in() {
    find "$1" -type f | wc -l
}
if [ "$1" = "--merge" ]; then
    shift
    # every target with a long corpus (names are fuzz target names: no spaces)
    # shellcheck disable=SC2046
    [ $# -gt 0 ] || set -- $(cd "$long" && find . -mindepth 1 -maxdepth 1 -type d | sed 's|^\./||')
    status=0
    for target in "$@"; do
        fuzzer="$root/build-fuzz/tests/fuzz/fuzz_$target"
        if [ ! -d "$long/$target" ] || [ ! -x "$fuzzer" ]; then
            continue
        fi
        before=$(seeds_in "$root/tests/fuzz/corpus/$target")
        "$fuzzer" -merge=1 -max_len=20000 -timeout=10 -rss_limit_mb=2048 \
            "$root/tests/fuzz/corpus/$target" "$long/$target" >"$long/merge-$target.log" 2>&1 ||
            status=1
        echo "fuzz_$target: $before -> $(seeds_in "$root/tests/fuzz/corpus/$target") seeds"
    done
    exit $status
fi
FUZZ_CPU=1 FUZZ_KEEP="$long" sh "$root/tests/fuzz/run.sh" "${FUZZ_SECONDS:-3600}" "$@" \
    >"$long/fuzz-long.log" 2>&1
status=$?
grep -E '^== fuzz_|FAILED|^#[0-9]+[[:space:]]+DONE|^stat::number_of_executed_units|^SUMMARY' \
    "$long/fuzz-long.log"
exit $status
