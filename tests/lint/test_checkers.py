"""The tree's checkers (build/check-*.py) on small made-up trees: each passes a clean
tree and names what is wrong in a broken one, so that a lint step cannot pass by
checking nothing."""
import os
import subprocess
import sys

import pytest

# a folder beside the repository, written so that this file names no such path itself
OUTSIDE = "../" + "shared"

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def checker(name, *args):
    done = subprocess.run([sys.executable, os.path.join(SRC, "build", name)] + list(args),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=60)
    return done.returncode, done.stdout


def write(root, files):
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as handle:
            handle.write(text)


CLEAN_CORE = {
    "mod_openapi/core/util/oa_text.h": "#include <string.h>\n",
    "mod_openapi/core/util/oa_text.c": '#include "util/oa_text.h"\n',
    "mod_openapi/core/spec/oa_spec.h": '#include "util/oa_text.h"\n',
    "mod_openapi/core/spec/oa_spec.c": '#include "spec/oa_spec.h"\n',
    "mod_openapi/core/request/oa_request.h": '#include "spec/oa_spec.h"\n',
    "mod_openapi/core/request/oa_request_internal.h": '#include "request/oa_request.h"\n',
    "mod_openapi/core/request/oa_request.c": '#include "request/oa_request_internal.h"\n'
                                             '#include "request/oa_body.h"\n',
    "mod_openapi/core/request/oa_body.h": '#include "spec/oa_spec.h"\n',
    "mod_openapi/core/request/oa_body.c": '#include "request/oa_body.h"\n',
    "mod_openapi/core/security/oa_security.c": '#include "spec/oa_spec.h"\n',
}


def test_deps_clean_tree_passes(tmp_path):
    write(tmp_path, CLEAN_CORE)
    code, output = checker("check-deps.py", str(tmp_path))
    assert code == 0, output
    assert "0 cycles" in output and output.rstrip().endswith("0 failed")


def test_deps_names_cycles_stage_edges_and_httpd_headers(tmp_path):
    files = dict(CLEAN_CORE)
    # oa_body uses oa_request's internals while oa_request uses oa_body: one cycle
    files["mod_openapi/core/request/oa_body.c"] += '#include "request/oa_request_internal.h"\n'
    files["mod_openapi/core/spec/oa_spec.c"] += '#include "request/oa_request.h"\n'
    files["mod_openapi/core/security/oa_security.c"] += ('#include "request/oa_body.h"\n'
                                                         '#include <http_protocol.h>\n')
    files["mod_openapi/core/util/oa_text.c"] += '#include "httpd.h"\n#include "oa_text.h"\n'
    write(tmp_path, files)
    code, output = checker("check-deps.py", str(tmp_path))
    assert code == 1
    assert "cycle: request/oa_body -> request/oa_request -> request/oa_body" in output
    assert "core/spec/oa_spec.c:2: stage spec includes request" in output
    assert "core/security/oa_security.c:2: stage security includes request" in output
    assert "<http_protocol.h>" in output and "<httpd.h>" in output
    assert "\"oa_text.h\", which is not a core header" in output
    # the cycle spec -> request -> spec through oa_spec.c is found too
    assert "cycle: request/oa_body -> spec/oa_spec -> request/oa_request" in output or \
        "spec/oa_spec -> request/oa_request" in output


MAPS_TREE = {
    "README.md": "# x\n\n## Layout and design\n\n| `core/util/` | `oa_text` |\n"
                 "| `tests/unit/` | tests; glue in `mod_openapi.c` |\n\n## Other\n",
    "docs/design.md": "Families: `oa_schema_kw_*`. See `docs/design.md`.\n",
    "mod_openapi/core/util/oa_text.c": "",
    "mod_openapi/core/util/oa_text.h": "",
    "mod_openapi/core/schema/oa_schema_kw_array.c": "",
    "mod_openapi/httpd/mod_openapi.c": "/* the glue: mod_openapi_config.c */\n",
    "mod_openapi/httpd/mod_openapi_config.c": "",
    "tests/unit/.keep": "",
}


def test_maps_clean_tree_passes(tmp_path):
    write(tmp_path, MAPS_TREE)
    code, output = checker("check-maps.py", str(tmp_path))
    assert code == 0, output


def test_maps_names_unmapped_files_missing_paths_and_outside_links(tmp_path):
    files = dict(MAPS_TREE)
    files["mod_openapi/core/util/oa_unmapped.c"] = ""
    files["README.md"] = files["README.md"].replace(
        "## Other\n", "## Other\n\nSee [the design](%s/design.md) and "
        "`tests/e2e/test_gone.py`.\n" % OUTSIDE)
    files["docs/design.md"] += "Ported from `oa_old` in `core/old/oa_old.c`.\n"
    write(tmp_path, files)
    code, output = checker("check-maps.py", str(tmp_path))
    assert code == 1
    assert "mod_openapi/core/util/oa_unmapped.c is named neither" in output
    assert "'%s/design.md' is outside the repository" % OUTSIDE in output
    assert "'tests/e2e/test_gone.py' does not exist" in output
    assert "docs/design.md:2: 'core/old/oa_old.c' does not exist" in output
    # a file named only outside the layout section is not mapped
    assert "oa_text" not in output


SDK = """#define OPENAPI_API __attribute__((visibility("default")))
/* OPENAPI_API int not_a_declaration(void); in a comment */
OPENAPI_API int openapi_one(void);
OPENAPI_API const char *
openapi_two(int a,
            int b);
"""


def build_so(tmp_path, body):
    if not shutil_which("cc"):
        pytest.skip("no C compiler")
    source = tmp_path / "mod.c"
    source.write_text('#define V __attribute__((visibility("default")))\n' + body)
    subprocess.run(["cc", "-shared", "-fPIC", "-fvisibility=hidden", "-o",
                    str(tmp_path / "mod_openapi.so"), str(source)], check=True, timeout=60)


def shutil_which(name):
    import shutil
    return shutil.which(name)


def test_exports_match(tmp_path):
    write(tmp_path, {"include/openapi_plugin.h": SDK})
    build_so(tmp_path, "V int openapi_module = 1; V int openapi_one(void) { return 1; }\n"
                       "V const char *openapi_two(int a, int b) { return a + b ? \"\" : 0; }\n"
                       "int hidden(void) { return 0; }\n")
    code, output = checker("check-exports.py", str(tmp_path), str(tmp_path))
    assert code == 0, output


def test_exports_names_extra_and_missing(tmp_path):
    write(tmp_path, {"include/openapi_plugin.h": SDK})
    build_so(tmp_path, "V int openapi_module = 1; V int openapi_one(void) { return 1; }\n"
                       "V int oa_core_leak(void) { return 0; }\n")
    code, output = checker("check-exports.py", str(tmp_path), str(tmp_path))
    assert code == 1
    assert "exported but not in the SDK: oa_core_leak" in output
    assert "declared OPENAPI_API but not exported: openapi_two" in output
    assert "not_a_declaration" not in output
