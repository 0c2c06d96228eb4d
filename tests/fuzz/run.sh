#!/bin/sh
# Builds the libFuzzer targets (make fuzz: clang, libFuzzer + ASan + UBSan, all core
# sources linked in directly, the libraries configure found) in build-fuzz/ and runs each
# in turn, one job at a time, for a bounded time over its seed corpus (corpus/<target>/)
# with its dictionary (<target>.dict); target_options below adds what a target needs
# beyond that.
# Usage: tests/fuzz/run.sh [SECONDS [TARGET...]]   (default 20 s, every target).
# New inputs go to a scratch corpus, or to $FUZZ_KEEP/<target>/ when FUZZ_KEEP is set
# (build/fuzz-long.sh). Exits non-zero when a target finds a crash, leak, timeout or
# out-of-memory (the reproducer is left in the current directory as crash-*, leak-*,
# timeout-*, oom-*: put it into corpus/<target>/ with the fix).
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-20}
[ $# -gt 0 ] && shift
build="$root/build-fuzz"
work=${FUZZ_KEEP:-$(mktemp -d)}
[ -n "$FUZZ_KEEP" ] || trap 'rm -rf "$work"' EXIT

"$root/build/configure-dir.sh" "$build" >/dev/null
make -s -C "$build" fuzz

# extra libFuzzer options of a target
target_options() {
    case $1 in
        schema2020) echo "-dict=$here/schema.dict" ;;
        jwt) echo "-max_len=20000" ;;
        *) [ ! -f "$here/$1.dict" ] || echo "-dict=$here/$1.dict" ;;
    esac
}

# seed folders besides corpus/<target>/ (read only: new inputs go to the first folder)
extra_seeds() {
    case $1 in
        schema2020) echo "$here/corpus/schema" ;;
    esac
}

# FUZZ_CPU=1 (build/fuzz-long.sh): SECONDS are the target's CPU time, not wall time, so
# that a run sharing the machine (or niced) still gets its hour: the fuzzer is given
# time enough and interrupted (SIGINT: it prints its final stats) once its user + system
# time reaches SECONDS, or after 6 x SECONDS of wall time at most.
cpu_seconds_of() {
    awk '{ print int(($14 + $15) / '"$(getconf CLK_TCK)"') }' "/proc/$1/stat" 2>/dev/null || echo 0
}
run_bounded() {
    if [ -z "$FUZZ_CPU" ]; then
        "$@" -max_total_time="$seconds"
        return
    fi
    "$@" -max_total_time=$((seconds * 6)) &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        if [ "$(cpu_seconds_of "$pid")" -ge "$seconds" ]; then
            kill -INT "$pid" 2>/dev/null
            break
        fi
        sleep 5
    done
    wait "$pid"
    status=$?
    # interrupted on time is a clean end (libFuzzer exits 72 or 130 on SIGINT)
    [ "$status" -eq 72 ] || [ "$status" -eq 130 ] && status=0
    return "$status"
}

targets=${*:-$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
failed=0
for target in $targets; do
    mkdir -p "$work/$target"
    echo "== fuzz_$target: ${seconds} s${FUZZ_CPU:+ of CPU}"
    # shellcheck disable=SC2046
    if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        run_bounded "$build/tests/fuzz/fuzz_$target" -max_len=8192 \
            -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            $(target_options "$target") "$work/$target" "$here/corpus/$target" \
            $(extra_seeds "$target"); then
        echo "fuzz_$target: FAILED"
        failed=1
    fi
done
exit $failed
