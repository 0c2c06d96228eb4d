#!/bin/sh
# Builds the fuzzers (make fuzz: clang, libFuzzer + ASan + UBSan, all core sources linked
# in directly, the libraries configure found) in build-fuzz/ and runs each for a bounded
# time over its seed corpus: fuzz_schema (draft 4 / OpenAPI 3.0) over corpus/,
# fuzz_schema2020 (2019-09 / 2020-12 / OpenAPI 3.1) over corpus2020/ and corpus/, fuzz_jwt
# (the JWT parser, verifier and claim checks, and the JWK Set loader) over corpus_jwt/.
# Usage: tests/fuzz/run.sh [SECONDS]   (default 20, each). Exits non-zero when it finds a
# crash (the reproducer is left in the current directory as crash-*).
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-20}
build="$root/build-fuzz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$root/build/configure-dir.sh" "$build"
make -s -C "$build" fuzz

# new inputs go to scratch corpora, the seeds stay as they are
mkdir "$work/corpus" "$work/corpus2020" "$work/corpus_jwt"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
"$build/tests/fuzz/fuzz_schema" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -dict="$here/schema.dict" -print_final_stats=1 \
    "$work/corpus" "$here/corpus"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
"$build/tests/fuzz/fuzz_schema2020" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -dict="$here/schema.dict" -print_final_stats=1 \
    "$work/corpus2020" "$here/corpus2020" "$here/corpus"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
"$build/tests/fuzz/fuzz_jwt" -max_total_time="$seconds" -max_len=20000 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "$work/corpus_jwt" "$here/corpus_jwt"
