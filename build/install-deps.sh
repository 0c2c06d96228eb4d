#!/bin/bash
# Installs what building and testing mod_openapi needs, from Debian's packages.
# Runs apt-get only when something is missing (it must run as root then).
set -euo pipefail

packages=(
  build-essential autoconf automake pkg-config
  apache2 apache2-dev libapr1-dev libaprutil1-dev
  libjansson-dev libyaml-dev libpcre2-dev libcurl4-openssl-dev libssl-dev
  python3 python3-pytest python3-cryptography python3-yaml curl openssl util-linux memcached
  npm chromium
  json-schema-test-suite
  clang libclang-rt-14-dev valgrind
)
# build/package-test.sh: building, checking and installing the Debian packages
if [ "${1:-}" = "--package" ]; then
  packages=(build-essential autoconf pkg-config apache2 apache2-dev libapr1-dev
            libaprutil1-dev libjansson-dev libyaml-dev libpcre2-dev libcurl4-openssl-dev
            libssl-dev json-schema-test-suite debhelper dpkg-dev fakeroot lintian man-db curl)
fi
if [ "${1:-}" = "--run-only" ]; then
  packages=(build-essential autoconf automake pkg-config apache2 apache2-dev
            libapr1-dev libaprutil1-dev libjansson-dev libyaml-dev libpcre2-dev
            libcurl4-openssl-dev libssl-dev curl npm)
fi

missing=()
for p in "${packages[@]}"; do
  # npm may come with a Node.js from elsewhere (Debian's npm package would conflict with it)
  if [ "$p" = npm ] && command -v npm >/dev/null; then
    continue
  fi
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "error: these Debian packages are missing and installing them needs root: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
