#!/bin/bash
# Brings an out-of-tree build directory up to date with the sources' build system:
# regenerates ./configure when configure.ac is newer, and (re)configures DIR when it was
# never configured or configure / Makefile.in changed since. Then `make -C DIR` is enough.
#   build/configure-dir.sh DIR [configure arguments...]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
shift
if [ ! -x "$src/configure" ] || [ "$src/configure.ac" -nt "$src/configure" ] ||
   [ "$src/VERSION" -nt "$src/configure" ]; then
  (cd "$src" && autoreconf -fi >/dev/null)
fi
mkdir -p "$dir"
if [ ! -f "$dir/config.status" ] || [ "$src/configure" -nt "$dir/config.status" ] ||
   [ "$src/Makefile.in" -nt "$dir/Makefile" ]; then
  (cd "$dir" && "$src/configure" -q "$@")
fi
