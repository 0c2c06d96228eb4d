#!/usr/bin/python3
"""Checks that the maps of the tree stay true:
  - every source file under mod_openapi/ is named (as oa_x.c, oa_x or a family such as
    oa_schema_kw_*) in README.md's "Layout and design" section, in mod_openapi.c's
    header comment or in docs/;
  - every repository path README.md and docs/ name (in `code` or as a link target, and
    starting with a folder of the tree, e.g. `tests/unit/`, `core/spec/`) exists, unless
    git ignores it (output a run writes, such as bench/httpd/results/);
  - README.md and docs/ link to nothing outside the repository ("../" paths).
Prints one line per problem and, last, "N passed, N failed"; exits 1 on any problem.

usage: build/check-maps.py [SRCDIR]
"""
import glob
import fnmatch
import os
import re
import subprocess
import sys

LAYOUT_HEADING = "## Layout and design"
CODE = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
# where a path a document names may start; core/, httpd/ and tools/ are under mod_openapi/
ROOTS = ("mod_openapi", "include", "conf", "examples", "tests", "build", "build-aux",
         "bench", "docs", "core", "httpd", "tools")


def read(path):
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def layout_section(readme):
    start = readme.find(LAYOUT_HEADING)
    if start < 0:
        return ""
    end = readme.find("\n## ", start + len(LAYOUT_HEADING))
    return readme[start:end if end >= 0 else len(readme)]


def header_comment(source):
    match = re.match(r"\s*/\*.*?\*/", source, re.S)
    return match.group(0) if match else ""


def is_named(relative, maps):
    name = os.path.basename(relative)
    stem = os.path.splitext(name)[0]
    if re.search(r"(?<![\w.])%s(?![\w])" % re.escape(stem), maps):
        return True
    # families: oa_schema_kw_* names oa_schema_kw_array.c
    for family in re.findall(r"([A-Za-z_]\w*?_)\*", maps):
        if stem.startswith(family):
            return True
    return False


def named_paths(text):
    """Repository paths a Markdown text names: `code` spans and link targets."""
    for token in CODE.findall(text) + LINK.findall(text):
        token = token.strip().split("#")[0].rstrip(".,:;")
        if not token or " " in token or "://" in token:
            continue
        if token.startswith("../"):
            yield token
        elif "/" in token and token.split("/")[0] in ROOTS:
            yield token


def gitignore_match(src, token):
    """The repository's .gitignore read directly, for a copy that is not a git checkout
    (the standalone check): the last matching pattern decides, '!' re-includes."""
    try:
        with open(os.path.join(src, ".gitignore")) as f:
            patterns = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    except OSError:
        return False
    path = token.rstrip("/")
    parts = path.split("/")
    ignored_now = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern[1:] if negate else pattern
        anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
        pattern = pattern.strip("/")
        if anchored:
            hit = any(fnmatch.fnmatchcase("/".join(parts[:i]), pattern)
                      for i in range(1, len(parts) + 1))
        else:
            hit = any(fnmatch.fnmatchcase(part, pattern) for part in parts)
        if hit:
            ignored_now = not negate
    return ignored_now


def ignored(src, token):
    """Generated output (ignored by git, e.g. bench/httpd/results/) need not exist yet."""
    if not os.path.exists(os.path.join(src, ".git")):
        return gitignore_match(src, token)
    try:
        return subprocess.run(["git", "-C", src, "check-ignore", "-q", token],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    except OSError:
        return False


def path_exists(src, token):
    if ignored(src, token):
        return True
    candidates = [os.path.join(src, token), os.path.join(src, "mod_openapi", token)]
    for candidate in candidates:
        if any(ch in token for ch in "*?[") and glob.glob(candidate):
            return True
        if os.path.exists(candidate):
            return True
    return False


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.dirname(os.path.abspath(__file__)))
    readme = read(os.path.join(src, "README.md"))
    docs = {os.path.join("docs", name): read(os.path.join(src, "docs", name))
            for name in sorted(os.listdir(os.path.join(src, "docs"))) if name.endswith(".md")}
    maps = "\n".join([layout_section(readme),
                      header_comment(read(os.path.join(src, "mod_openapi", "httpd",
                                                       "mod_openapi.c")))]
                     + list(docs.values()))
    passed = failed = 0

    sources = sorted(os.path.relpath(path, src) for pattern in ("*.c", "*.h")
                     for path in glob.glob(os.path.join(src, "mod_openapi", "**", pattern),
                                           recursive=True))
    unnamed = [path for path in sources if not is_named(path, maps)]
    for path in unnamed:
        print("FAIL %s is named neither in README.md's layout section, mod_openapi.c's "
              "header comment nor docs/" % path)
    passed, failed = (passed, failed + 1) if unnamed else (passed + 1, failed)

    for document, text in [("README.md", readme)] + sorted(docs.items()):
        problems = []
        for token in sorted(set(named_paths(text))):
            line = text.count("\n", 0, text.find(token)) + 1
            if token.startswith("../"):
                problems.append("%s:%d: '%s' is outside the repository" % (document, line,
                                                                            token))
            elif not path_exists(src, token):
                problems.append("%s:%d: '%s' does not exist" % (document, line, token))
        for problem in problems:
            print("FAIL " + problem)
        passed, failed = (passed, failed + 1) if problems else (passed + 1, failed)

    print("maps: %d source files under mod_openapi/, %d documents" % (len(sources),
                                                                       1 + len(docs)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
