#!/bin/sh
# Builds the schema fuzzer with clang (libFuzzer + ASan + UBSan, all core sources linked in
# directly) and runs it for a bounded time over the seed corpus.
# Then the same for the JWT parser (fuzz_jwt.c, seeds in corpus_jwt/).
# Usage: tests/fuzz/run.sh [SECONDS]   (default 20, each). Exits non-zero when it finds a crash
# (the reproducer is left in the current directory as crash-*).
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-20}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
core="$root/mod_openapi/core"

clang -std=c11 -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    $(apr-1-config --cflags --cppflags --includes) -I"$core" \
    "$here/fuzz_schema.c" "$core"/*/*.c \
    $(apr-1-config --link-ld --libs) -ljansson -lyaml -lpcre2-8 -lcrypto -lm -o "$work/fuzz_schema"

mkdir "$work/corpus"
# new inputs go to the scratch corpus; the seeds stay as they are
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
"$work/fuzz_schema" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
    -rss_limit_mb=2048 -dict="$here/schema.dict" -print_final_stats=1 \
    "$work/corpus" "$here/corpus"

# the JWT parser, verifier and claim checks, and the JWK Set loader
clang -std=c11 -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    $(apr-1-config --cflags --cppflags --includes) -I"$core" \
    "$here/fuzz_jwt.c" "$core"/*/*.c \
    $(apr-1-config --link-ld --libs) -ljansson -lyaml -lpcre2-8 -lcrypto -lm -o "$work/fuzz_jwt"
mkdir "$work/corpus_jwt"
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
"$work/fuzz_jwt" -max_total_time="$seconds" -max_len=20000 -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "$work/corpus_jwt" "$here/corpus_jwt"
