#!/usr/bin/python3
"""Checks that each message tag OA_LOGNO(nnnnn) of the module is used exactly once, so that
a tag in a log line leads to one place in the source.

Prints one line per tag used more than once (with every file:line), then
"N passed, N failed" (one check per tag); exits 1 on any duplicate.

usage: build/check-tags.py [DIR ...]   (default: mod_openapi/)
"""
import os
import re
import sys

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TAG = re.compile(r"\bOA_LOGNO\(\s*(\w+)\s*\)")
DEFINITION = re.compile(r"#\s*define\s+OA_LOGNO\b")


def tag_uses(roots):
    """{tag: [(file, line), ...]} of every OA_LOGNO use in the C files below roots."""
    uses = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, encoding="utf-8", errors="replace") as f:
                    for number, line in enumerate(f, 1):
                        if DEFINITION.search(line):
                            continue
                        for tag in TAG.findall(line):
                            uses.setdefault(tag, []).append((path, number))
    return uses


def lint(roots):
    """Returns (number of tags used once, list of problems)."""
    uses = tag_uses(roots)
    problems = []
    for tag in sorted(uses):
        places = uses[tag]
        if len(places) > 1:
            problems.append("OAPI%s is used %d times: %s" % (
                tag, len(places), ", ".join("%s:%d" % (os.path.relpath(p, SRC), n)
                                            for p, n in places)))
    return len(uses) - len(problems), problems


def main(argv):
    roots = argv or [os.path.join(SRC, "mod_openapi")]
    passed, problems = lint(roots)
    for problem in problems:
        print("check-tags: " + problem)
    print("%d passed, %d failed" % (passed, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
