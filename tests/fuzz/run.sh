#!/bin/sh
# Builds the schema fuzzer (make fuzz: clang, libFuzzer + ASan + UBSan, all core sources
# linked in directly, the libraries configure found) in build-fuzz/ and runs it for a
# bounded time over the seed corpus.
# Usage: tests/fuzz/run.sh [SECONDS]   (default 20). Exits non-zero when it finds a crash
# (the reproducer is left in the current directory as crash-*).
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-20}
build="$root/build-fuzz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$root/build/configure-dir.sh" "$build"
make -s -C "$build" fuzz

mkdir "$work/corpus"
# new inputs go to the scratch corpus; the seeds stay as they are
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
"$build/tests/fuzz/fuzz_schema" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -dict="$here/schema.dict" -print_final_stats=1 \
    "$work/corpus" "$here/corpus"
