#!/bin/sh
# The httpd benchmark of mod_openapi in one command (see bench/httpd/README.md):
#
#   bench/httpd/run.sh            the benchmark (about 5 minutes): table + chart in
#                                 bench/httpd/results/<date>.md and .png
#   bench/httpd/run.sh --soak     RSS of each httpd child over 1,000,000 mixed valid and
#                                 invalid requests (at most 10 minutes of load)
#   bench/httpd/run.sh --profile  instructions per request of (a)-(d) under callgrind, with
#                                 callgrind_annotate output per case (about 3 minutes)
#
# Options after the mode go to bench.py: --seconds N (per wrk run, default 5), --repeats N
# (default 3), --soak-requests N, --soak-seconds N.
#
# Installs what it needs with apt-get when missing (as root), builds mod_openapi out of
# tree in build-bench/ at the project root, the bare handler module and the benchmark
# plugin into build-bench/bench-httpd/, then runs bench.py.
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$root/build-bench"
out="$build/bench-httpd"

need=""
command -v wrk >/dev/null 2>&1 || need="$need wrk"
command -v gnuplot >/dev/null 2>&1 || need="$need gnuplot-nox"
for pkg in apache2 apache2-dev libapr1-dev libaprutil1-dev libjansson-dev libyaml-dev \
           libpcre2-dev autoconf pkg-config gcc make python3 python3-yaml \
           python3-cryptography; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need="$need $pkg"
done
if [ -n "$need" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "missing packages:$need (run as root to install them)" >&2
        exit 1
    fi
    echo "== installing:$need"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
fi

echo "== building mod_openapi in $build"
"$root/build/configure-dir.sh" "$build"
cd "$build"
make -j"$(nproc)" mod_openapi.so >/dev/null

echo "== building the bare handler and the benchmark plugin in $out"
mkdir -p "$out"
cflags="-std=c11 -g -O2 -fPIC -Wall -Wextra -Werror"
deps="-I/usr/include/apache2 $(apr-1-config --cflags --cppflags --includes) \
      $(apu-1-config --includes) $(pkg-config --cflags jansson)"
${CC:-gcc} -shared $cflags $deps -o "$out/mod_bare.so" "$here/bare_handler.c" \
    $(pkg-config --libs jansson)
${CC:-gcc} -shared $cflags -fvisibility=hidden $deps -I"$root/include" \
    -o "$out/bench_plugin.so" "$here/plugin.c" $(pkg-config --libs jansson)

mode=""
if [ "$1" = "--soak" ] || [ "$1" = "--profile" ]; then
    mode="$1"
    shift
fi
if [ "$mode" = "--profile" ] && ! command -v valgrind >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || { echo "valgrind is missing" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null
fi
exec python3 "$here/bench.py" $mode \
    --module "$build/mod_openapi.so" --bare "$out/mod_bare.so" --plugin "$out/bench_plugin.so" \
    --twilio "$root/tests/fixtures/specs/large/twilio_api_v2010.yaml" \
    --results "$here/results" "$@"
