#!/usr/bin/python3
"""Checks what mod_openapi.so exports: exactly the functions the plugin SDK declares with
OPENAPI_API in include/openapi_plugin.h, plus the module record openapi_module (what
httpd's LoadModule looks up). Anything else exported is a core or glue symbol that a
plugin could bind to by accident; anything missing breaks plugins at load time.
Prints each extra or missing symbol and, last, "N passed, N failed"; exits 1 on any.

usage: build/check-exports.py BUILD_DIR [SRCDIR]
"""
import os
import re
import subprocess
import sys

MODULE_RECORD = "openapi_module"
# what sanitizer builds add for exported globals (ASan's ODR indicators): not ours
INSTRUMENTATION = ("__odr_asan", "__asan_", "__ubsan_", "__sanitizer_")
# OPENAPI_API <return type> <name>(: the name is the last identifier before '('
DECLARATION = re.compile(r"\bOPENAPI_API\b([^;{(]*?)\b([A-Za-z_]\w*)\s*\(", re.S)


def sdk_functions(header):
    with open(header, encoding="utf-8") as handle:
        text = handle.read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"^\s*#\s*define\b.*$", " ", text, flags=re.M)
    return {match.group(2) for match in DECLARATION.finditer(text)}


def exported(module):
    output = subprocess.run(["nm", "-D", "--defined-only", module], check=True,
                            stdout=subprocess.PIPE, text=True).stdout
    names = set()
    for line in output.splitlines():
        parts = line.split()
        if len(parts) >= 3 and not parts[2].startswith(INSTRUMENTATION):
            names.add(parts[2].split("@")[0])
    return names


def main():
    if len(sys.argv) < 2:
        print(__doc__.strip().splitlines()[-1])
        return 2
    build_dir = sys.argv[1]
    src = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    expected = sdk_functions(os.path.join(src, "include", "openapi_plugin.h"))
    expected.add(MODULE_RECORD)
    actual = exported(os.path.join(build_dir, "mod_openapi.so"))
    extra = sorted(actual - expected)
    missing = sorted(expected - actual)
    for name in extra:
        print("FAIL exported but not in the SDK: %s" % name)
    for name in missing:
        print("FAIL declared OPENAPI_API but not exported: %s" % name)
    print("mod_openapi.so exports %d symbols; the SDK declares %d functions + %s"
          % (len(actual), len(expected) - 1, MODULE_RECORD))
    failed = (1 if extra else 0) + (1 if missing else 0)
    print("%d passed, %d failed" % (2 - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
