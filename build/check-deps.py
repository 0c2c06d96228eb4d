#!/usr/bin/python3
"""Checks the core's include graph (mod_openapi/core/**): the stages depend one way and no
module depends on itself through others.

A module is a .c file and its same-named .h (oa_body.c + oa_body.h) and its internal
header (oa_request_internal.h belongs to oa_request); a header without a .c of its name
(oa_schema.h) is a module of its own, in its stage. Fails, listing the offending edges, when:
  - an include goes against the stage order (see STAGES and ALLOWED below);
  - the module graph has a cycle (each cycle is printed once, as a path);
  - a core file includes an httpd header (httpd.h, http_*.h, ap_*.h, util_*.h, mpm_*.h)
    or a quoted header that is not in the core.
Prints one line per violation and, last, "N passed, N failed" (one check per file and
one per cycle search); exits 1 on any violation.

usage: build/check-deps.py [SRCDIR]
"""
import os
import re
import sys

# The pipeline: a stage may include itself and the stages before it. Security checks
# credentials against the spec's requirements and needs neither requests nor responses.
STAGES = ["util", "doc", "schema", "spec", "request", "response", "security"]
ALLOWED = {
    "util": {"util"},
    "doc": {"util", "doc"},
    "schema": {"util", "doc", "schema"},
    "spec": {"util", "doc", "schema", "spec"},
    "request": {"util", "doc", "schema", "spec", "request"},
    "response": {"util", "doc", "schema", "spec", "request", "response"},
    "security": {"util", "doc", "schema", "spec", "security"},
}
HTTPD_HEADER = re.compile(r"^(httpd\.h|http_[\w]+\.h|ap_[\w]+\.h|util_[\w]+\.h|mpm_[\w]+\.h)$")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]', re.M)


def core_files(core):
    for stage in sorted(os.listdir(core)):
        folder = os.path.join(core, stage)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith((".c", ".h")):
                yield stage + "/" + name


def module_of(relative, files):
    """"request/oa_body.h" -> "request/oa_body": a header and its .c are one module; an
    internal header is part of the module it is the internals of
    ("request/oa_request_internal.h" -> "request/oa_request")."""
    stem = relative[:-2]
    if relative.endswith("_internal.h"):
        base = stem[:-len("_internal")]
        if base + ".c" in files:
            return base
        if base + ".h" in files:
            return base + ".h"
    if relative.endswith(".h") and stem + ".c" not in files:
        return relative  # a header of its own (declarations shared by several .c files)
    return stem


def find_cycles(graph):
    """Every elementary cycle's edges, found by DFS; each cycle reported once."""
    cycles = []
    seen = set()
    state = {}
    stack = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                cycle = stack[stack.index(target):] + [target]
                key = frozenset(zip(cycle, cycle[1:]))
                if key not in seen:
                    seen.add(key)
                    cycles.append(cycle)
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return cycles


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    core = os.path.join(src, "mod_openapi", "core")
    files = set(core_files(core))
    graph = {}
    passed = failed = 0
    for relative in sorted(files):
        stage = relative.split("/")[0]
        module = module_of(relative, files)
        graph.setdefault(module, set())
        with open(os.path.join(core, relative), encoding="utf-8") as handle:
            text = handle.read()
        problems = []
        for match in INCLUDE.finditer(text):
            bracket, name = match.groups()
            line = text.count("\n", 0, match.start()) + 1
            where = "core/%s:%d" % (relative, line)
            if HTTPD_HEADER.match(os.path.basename(name)):
                problems.append("%s: includes the httpd header <%s> (the core has no "
                                "httpd types)" % (where, name))
                continue
            if bracket == "<":
                continue
            if name not in files:
                problems.append("%s: includes \"%s\", which is not a core header "
                                "(includes name the stage: \"spec/oa_spec.h\")" % (where, name))
                continue
            target_stage = name.split("/")[0]
            if stage not in ALLOWED or target_stage not in ALLOWED[stage]:
                problems.append("%s: stage %s includes %s (\"%s\"): against the stage "
                                "order" % (where, stage, target_stage, name))
            target = module_of(name, files)
            if target != module:
                graph[module].add(target)
        for problem in problems:
            print("FAIL " + problem)
        if problems:
            failed += 1
        else:
            passed += 1
    cycles = find_cycles(graph)
    for cycle in cycles:
        print("FAIL cycle: " + " -> ".join(cycle))
    if cycles:
        failed += 1
    else:
        passed += 1
    print("core include graph: %d files, %d modules, %d edges, %d cycles"
          % (len(files), len(graph), sum(len(t) for t in graph.values()), len(cycles)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
