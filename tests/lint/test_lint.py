"""The lints in build/: they pass on the tree, and each kind of breakage makes them fail
with a message that names what is missing (small broken inputs, no httpd)."""
import os
import subprocess
import sys

import pytest

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRC, "build"))

import importlib.util  # noqa: E402


def _load(name, file):
    spec = importlib.util.spec_from_file_location(name, os.path.join(SRC, "build", file))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


lint_config = _load("check_config", "check-config.py")
lint_tags = _load("check_tags", "check-tags.py")

HEADER = """
typedef struct glue_dir_conf {
    const char *spec_file;    /* a comment; with a ; inside */
    int mock;                 /* glue_mock_mode */
    const char *funcs[5];
    // a line comment
} glue_dir_conf;
"""

UNSET = """
static const glue_dir_conf glue_dir_unset = {
    .spec_file = NULL,
    .mock = GLUE_UNSET,
    .funcs = {NULL},
};
"""

DEFAULTS = """
static const glue_dir_conf glue_dir_defaults = {
    .spec_file = NULL,   /* .not_a_field = 1 in a comment */
    .mock = OA_MOCK_OFF,
    .funcs = {NULL},
};
"""

MERGE = """
static glue_dir_conf *merge_dir_conf(apr_pool_t *pool, const glue_dir_conf *parent,
                                     const glue_dir_conf *child)
{
    glue_dir_conf *merged = apr_palloc(pool, sizeof(*merged));
    int i;
    if (child->spec_file)
        merged->spec_file = child->spec_file;
    else
        merged->spec_file = parent->spec_file;
    GLUE_MERGE(mock);
    for (i = 0; i < 5; i++)
        GLUE_MERGE_WITH(funcs[i], mock);
    return merged;
}
"""

COMMANDS = """
const command_rec glue_directives[] = {
    AP_INIT_TAKE1("OpenAPISpec", set_spec, NULL, RSRC_CONF, "the spec"),
    AP_INIT_FLAG("OpenAPIStub", set_stub, NULL, RSRC_CONF, "stub"),
    /* AP_INIT_TAKE1("OpenAPICommentedOut", ...) */
    {NULL}};
"""

README = """# x
## Configuration

### `OpenAPISpec FILE`

text

### `OpenAPIStub on|off`

### Logging

## Routing

### `OpenAPINotConfiguration`
"""


def run(header=HEADER, directives=UNSET + DEFAULTS + MERGE + COMMANDS, readme=README):
    return lint_config.lint(header, directives, readme)


def test_the_good_inputs_pass():
    passed, problems = run()
    assert problems == []
    assert passed == 3 * 3 + 2  # three fields by three rules, two directives


def test_struct_fields_are_parsed_through_comments_and_arrays():
    assert lint_config.struct_fields(HEADER) == ["spec_file", "mock", "funcs"]


@pytest.mark.parametrize("table, what", [
    (UNSET, "unset value (add it to the glue_dir_unset table)"),
    (DEFAULTS, "default (add it to the glue_dir_defaults table)"),
])
def test_a_field_missing_from_a_table(table, what):
    broken = table.replace("    .mock = GLUE_UNSET,\n", "").replace(
        "    .mock = OA_MOCK_OFF,\n", "")
    directives = (UNSET + DEFAULTS + MERGE + COMMANDS).replace(table, broken)
    passed, problems = run(directives=directives)
    assert problems == ["field mock of glue_dir_conf has no " + what]


def test_a_field_without_a_merge_rule():
    passed, problems = run(directives=UNSET + DEFAULTS +
                           MERGE.replace("GLUE_MERGE(mock);", "") + COMMANDS)
    assert problems == ["field mock of glue_dir_conf has no merge rule (add it to "
                        "merge_dir_conf())"]


def test_a_merge_rule_in_a_comment_does_not_count():
    merge = MERGE.replace("GLUE_MERGE(mock);", "/* GLUE_MERGE(mock); */")
    passed, problems = run(directives=UNSET + DEFAULTS + merge + COMMANDS)
    assert len(problems) == 1 and "field mock" in problems[0]


def test_a_new_field_nobody_handles_is_named_three_times():
    header = HEADER.replace("    int mock;", "    int mock;\n    int retries;")
    passed, problems = run(header=header)
    assert len(problems) == 3
    assert all(p.startswith("field retries of glue_dir_conf has no ") for p in problems)


def test_a_table_entry_for_no_field():
    defaults = DEFAULTS.replace(".mock = OA_MOCK_OFF,", ".mock = OA_MOCK_OFF,\n    .gone = 1,")
    passed, problems = run(directives=UNSET + defaults + MERGE + COMMANDS)
    assert problems == ["the glue_dir_defaults table names gone, which is not a field of "
                        "glue_dir_conf"]


def test_an_undocumented_directive():
    passed, problems = run(readme=README.replace("### `OpenAPIStub on|off`\n", ""))
    assert problems == ["directive OpenAPIStub is in the command table but has no "
                        "\"### `OpenAPIStub`\" heading in README.md's Configuration section"]


def test_a_documented_directive_the_parser_lacks():
    readme = README.replace("### Logging", "### `OpenAPIGone X`\n\n### Logging")
    passed, problems = run(readme=readme)
    assert problems == ["directive OpenAPIGone is documented in README.md's Configuration "
                        "section but is not in the command table"]


def test_headings_outside_the_configuration_section_do_not_count():
    commands = COMMANDS.replace("{NULL}", 'AP_INIT_TAKE1("OpenAPINotConfiguration", f, NULL, '
                                          'RSRC_CONF, "x"),\n    {NULL}')
    passed, problems = run(directives=UNSET + DEFAULTS + MERGE + commands)
    assert len(problems) == 1 and "OpenAPINotConfiguration is in the command table" in \
        problems[0]


def test_a_missing_table_is_an_error_not_a_pass():
    with pytest.raises(lint_config.LintError, match="glue_dir_defaults"):
        run(directives=UNSET + MERGE + COMMANDS)


def test_the_tree_passes_the_config_lint():
    done = subprocess.run([sys.executable, os.path.join(SRC, "build/check-config.py")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith(" 0 failed")


def test_a_duplicate_tag_is_named_with_its_places(tmp_path):
    (tmp_path / "a.c").write_text('#define OA_LOGNO(n) "OAPI" #n ": "\n'
                                  'log(OA_LOGNO(01001) "one");\nlog(OA_LOGNO(01002) "x");\n')
    (tmp_path / "b.c").write_text('log(OA_LOGNO(01001) "two");\n')
    passed, problems = lint_tags.lint([str(tmp_path)])
    assert passed == 1
    assert len(problems) == 1
    assert problems[0].startswith("OAPI01001 is used 2 times: ")
    assert "a.c:2" in problems[0] and "b.c:1" in problems[0]


def test_the_tree_uses_each_tag_once():
    done = subprocess.run([sys.executable, os.path.join(SRC, "build/check-tags.py")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    passed = int(done.stdout.split()[-4])
    assert passed >= 20  # the tags were found at all
