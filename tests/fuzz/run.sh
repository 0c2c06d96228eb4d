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

targets=${*:-$(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')}
failed=0
for target in $targets; do
    mkdir -p "$work/$target"
    echo "== fuzz_$target: ${seconds} s"
    # shellcheck disable=SC2046
    if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
        "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=8192 \
            -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
            $(target_options "$target") "$work/$target" "$here/corpus/$target" \
            $(extra_seeds "$target"); then
        echo "fuzz_$target: FAILED"
        failed=1
    fi
done
exit $failed
