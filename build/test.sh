#!/bin/bash
# Sets up, builds and runs every test: core unit tests, the JSON Schema test suite,
# end-to-end tests against a real httpd, once normally and once under
# AddressSanitizer + UndefinedBehaviorSanitizer, and a bounded fuzzing run.
# The last line is "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
build/install-deps.sh
exec /usr/bin/python3 build/run_tests.py "$@"
