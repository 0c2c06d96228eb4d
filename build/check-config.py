#!/usr/bin/python3
"""Checks that the per-directory configuration and the directives stay complete:

  * every field of `glue_dir_conf` (mod_openapi_glue.h) has an unset value (the
    `glue_dir_unset` table), a default (the `glue_dir_defaults` table) and a merge rule
    (GLUE_MERGE(field), GLUE_MERGE_WITH(field, key) or `merged->field =` in
    `merge_dir_conf`), and those name no field the struct lacks;
  * the directives of the command table (AP_INIT_* in mod_openapi_directives.c) and the
    README's directive reference (the "### `OpenAPI...`" headings of its Configuration
    section) are the same, in either direction.

Prints one line per problem, then "N passed, N failed" (one check per field and rule, per
directive and place); exits 1 on any problem.

usage: build/check-config.py [--header FILE] [--directives FILE] [--readme FILE]
"""
import argparse
import os
import re
import sys

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = os.path.join(SRC, "mod_openapi/httpd/mod_openapi_glue.h")
DIRECTIVES = os.path.join(SRC, "mod_openapi/httpd/mod_openapi_directives.c")
README = os.path.join(SRC, "README.md")

STRUCT = "glue_dir_conf"
UNSET_TABLE = "glue_dir_unset"
DEFAULTS_TABLE = "glue_dir_defaults"
MERGE_FUNCTION = "merge_dir_conf"


class LintError(Exception):
    """The input cannot be read structurally (a table or function is not there)."""


def strip_comments(c_text):
    """C text without comments (string and character literals kept), lines preserved."""
    out = []
    i, n = 0, len(c_text)
    while i < n:
        c = c_text[i]
        if c in "\"'":
            j = i + 1
            while j < n and c_text[j] != c:
                j += 2 if c_text[j] == "\\" else 1
            out.append(c_text[i:j + 1])
            i = j + 1
        elif c_text.startswith("/*", i):
            j = c_text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("\n" * c_text.count("\n", i, j))
            i = j
        elif c_text.startswith("//", i):
            j = c_text.find("\n", i)
            i = n if j < 0 else j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def braced(text, open_at):
    """The text between the brace at open_at and its matching closing brace."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[open_at + 1:i]
    raise LintError("unbalanced braces after offset %d" % open_at)


def struct_fields(header_text, struct=STRUCT):
    """The field names of `typedef struct NAME { ... } NAME;`, in order."""
    text = strip_comments(header_text)
    m = re.search(r"typedef\s+struct\s+%s\s*\{" % struct, text)
    if not m:
        raise LintError("no 'typedef struct %s {' found" % struct)
    fields = []
    for declaration in braced(text, m.end() - 1).split(";"):
        declaration = re.sub(r"\[[^\]]*\]", "", declaration).strip()
        if not declaration:
            continue
        for declarator in declaration.split(","):
            name = re.search(r"(\w+)\s*$", declarator)
            if name:
                fields.append(name.group(1))
    return fields


def table_fields(c_text, table):
    """The designated initializers (.field = ...) of `... glue_dir_conf TABLE = { ... };`."""
    text = strip_comments(c_text)
    m = re.search(r"\b%s\s+%s\s*=\s*\{" % (STRUCT, table), text)
    if not m:
        raise LintError("no table '%s %s = {' found" % (STRUCT, table))
    body = braced(text, m.end() - 1)
    # only top-level designators: nested braces (array initializers) are skipped
    top, depth = [], 0
    for c in body:
        depth += c == "{"
        depth -= c == "}"
        top.append(c if depth == 0 else " ")
    return re.findall(r"(?:^|,)\s*\.(\w+)\s*=", "".join(top))


def merge_fields(c_text, function=MERGE_FUNCTION):
    """The fields the merge function gives a rule: GLUE_MERGE(f), GLUE_MERGE_WITH(f, key),
    or an assignment merged->f = ... (f[i] counts for f)."""
    text = strip_comments(c_text)
    m = re.search(r"\b%s\s*\([^;{)]*\)\s*\{" % function, text)
    if not m:
        raise LintError("no definition of %s() found" % function)
    body = braced(text, m.end() - 1)
    fields = re.findall(r"\bGLUE_MERGE(?:_WITH)?\s*\(\s*(\w+)", body)
    fields += re.findall(r"\bmerged\s*->\s*(\w+)(?:\s*\[[^\]]*\])?\s*=[^=]", body)
    return fields


def command_directives(c_text):
    """Directive names of the command table (AP_INIT_*("Name", ...))."""
    return re.findall(r"\bAP_INIT_\w+\s*\(\s*\"(\w+)\"", strip_comments(c_text))


def readme_directives(readme_text):
    """Directive names of the README's Configuration section ("### `OpenAPIName ...`")."""
    m = re.search(r"^## Configuration\s*$(.*?)(?=^## |\Z)", readme_text, re.M | re.S)
    if not m:
        raise LintError("README has no '## Configuration' section")
    return re.findall(r"^### `(OpenAPI\w+)", m.group(1), re.M)


def lint(header_text, directives_text, readme_text):
    """Returns (number of checks passed, list of problems)."""
    problems = []
    passed = 0
    fields = struct_fields(header_text)
    rules = [("the %s table" % UNSET_TABLE, "unset value", table_fields(directives_text,
                                                                         UNSET_TABLE)),
             ("the %s table" % DEFAULTS_TABLE, "default", table_fields(directives_text,
                                                                      DEFAULTS_TABLE)),
             ("%s()" % MERGE_FUNCTION, "merge rule", merge_fields(directives_text))]
    for where, what, named in rules:
        for field in fields:
            if field in named:
                passed += 1
            else:
                problems.append("field %s of %s has no %s (add it to %s)"
                                % (field, STRUCT, what, where))
        for extra in sorted(set(named) - set(fields)):
            problems.append("%s names %s, which is not a field of %s" % (where, extra, STRUCT))
    commands = command_directives(directives_text)
    documented = readme_directives(readme_text)
    for name in sorted(set(commands) | set(documented)):
        if name not in documented:
            problems.append("directive %s is in the command table but has no \"### `%s`\" "
                            "heading in README.md's Configuration section" % (name, name))
        elif name not in commands:
            problems.append("directive %s is documented in README.md's Configuration section "
                            "but is not in the command table" % name)
        else:
            passed += 1
    for names, where in ((commands, "the command table"), (documented, "README.md")):
        for name in sorted({n for n in names if names.count(n) > 1}):
            problems.append("directive %s appears more than once in %s" % (name, where))
    return passed, problems


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--header", default=HEADER)
    parser.add_argument("--directives", default=DIRECTIVES)
    parser.add_argument("--readme", default=README)
    args = parser.parse_args(argv)
    texts = []
    for path in (args.header, args.directives, args.readme):
        with open(path, encoding="utf-8") as f:
            texts.append(f.read())
    try:
        passed, problems = lint(*texts)
    except LintError as error:
        passed, problems = 0, [str(error)]
    for problem in problems:
        print("check-config: " + problem)
    print("%d passed, %d failed" % (passed, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
