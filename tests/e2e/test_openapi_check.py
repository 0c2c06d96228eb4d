"""openapi-check loads specs exactly as the module does."""
import glob
import os
import re
import subprocess
import sys

from httpd import BUILD_DIR, SRC_DIR

CHECK = os.path.join(BUILD_DIR, "openapi-check")
FIXTURES = os.path.join(SRC_DIR, "tests", "fixtures", "specs")


def run(*args):
    return subprocess.run([CHECK] + list(args), capture_output=True, text=True, timeout=120)


def public_specs():
    specs = []
    for version in ("v2.0/yaml", "v2.0/json", "v3.0"):
        specs += sorted(glob.glob(os.path.join(FIXTURES, "oai/examples", version, "*.*")))
    specs.append(os.path.join(FIXTURES, "oai/examples/v2.0/yaml/petstore-separate/spec/"
                                        "swagger.yaml"))
    specs.append(os.path.join(FIXTURES, "oai/examples/v2.0/json/petstore-separate/spec/"
                                        "swagger.json"))
    specs += [os.path.join(FIXTURES, "large/twilio_api_v2010.yaml"),
              os.path.join(FIXTURES, "large/twilio_api_v2010.json")]
    return specs


def test_every_public_example_spec_loads():
    specs = public_specs()
    assert len(specs) >= 20
    done = run(*specs)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == len(specs)
    for spec, line in zip(specs, lines):
        assert re.fullmatch(r"OK %s: \d+ operations" % re.escape(spec), line), line
    assert "twilio_api_v2010.yaml: 197 operations" in done.stdout


def test_fixture_specs_load():
    specs = [os.path.join(FIXTURES, name) for name in
             ("routing.yaml", "swagger2.yaml", "split/api.yaml")]
    done = run(*specs)
    assert done.returncode == 0, done.stdout


def test_broken_specs_fail_with_file_line_column():
    broken = sorted(glob.glob(os.path.join(FIXTURES, "broken", "*")))
    done = run(*broken)
    assert done.returncode == 1
    for spec in broken:
        if "missing_" in spec:  # plugins are checked by the module, not the loader
            assert "OK %s" % spec in done.stdout
        else:
            assert re.search(r"^%s(:\d+:\d+)?: \S" % re.escape(spec), done.stdout, re.M) or \
                "no-such-file.yaml: cannot read" in done.stdout, (spec, done.stdout)


def test_one_bad_spec_among_good_ones_fails_the_run():
    done = run(os.path.join(FIXTURES, "routing.yaml"),
               os.path.join(FIXTURES, "broken", "bad_ref.yaml"))
    assert done.returncode == 1
    assert done.stdout.startswith("OK ")


def test_usage():
    done = run()
    assert done.returncode == 2
    assert "usage: openapi-check" in done.stderr


def test_help_is_the_man_page():
    """--help prints the man page's text: every section and option of docs/man/openapi-check.1,
    and the version of the build (one source for both)."""
    done = run("--help")
    assert done.returncode == 0, done.stderr
    with open(os.path.join(SRC_DIR, "docs/man/openapi-check.1")) as f:
        page = f.read()
    sections = re.findall(r"^\.SH (.+)$", page, re.M)
    assert len(sections) >= 6
    for section in sections:
        assert "\n%s\n" % section.strip('"') in "\n" + done.stdout, section
    for option in re.findall(r"^\\fB(\\-\\-[a-z]+)", page, re.M):
        assert "    %s" % option.replace("\\-", "-") in done.stdout, option
    with open(os.path.join(SRC_DIR, "VERSION")) as f:
        version = f.read().strip()
    installed_page = os.path.join(BUILD_DIR, "openapi-check.1")
    with open(installed_page) as f:
        assert "mod_openapi %s" % version in f.read()
    assert "\\f" not in done.stdout and "@VERSION@" not in done.stdout


def test_schema_mode_fixtures():
    """openapi-check --schema: every case in tests/fixtures/schema/check/expected.txt."""
    done = subprocess.run(["sh", os.path.join(SRC_DIR, "tests/fixtures/schema/check/run.sh"),
                           CHECK], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all cases as expected" in done.stdout


def test_schema_mode_bounds_errors(tmp_path):
    """--schema lists 20 errors and counts the rest; a message names 10 properties at
    most; 30,000 forbidden properties cost time and memory linear in the document."""
    schema = tmp_path / "closed.json"
    schema.write_text('{"type": "object", "additionalProperties": false}')
    document = tmp_path / "many.json"
    document.write_text("{%s}" % ",".join('"p%d": 0' % i for i in range(30000)))
    # run under a fresh python so that its children's peak RSS is openapi-check's alone
    measure = ("import resource, subprocess, sys\n"
               "done = subprocess.run(sys.argv[1:])\n"
               "sys.stderr.write('maxrss %d\\n' % resource.getrusage("
               "resource.RUSAGE_CHILDREN).ru_maxrss)\n"
               "sys.exit(done.returncode)\n")
    done = subprocess.run([sys.executable, "-c", measure, CHECK, "--schema", str(schema),
                           str(document)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "('p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9' ... and 29990 more " \
           "were unexpected)" in done.stdout
    # before messages were bounded: 119 MB for 5,000 properties
    assert int(re.search(r"maxrss (\d+)", done.stderr).group(1)) < 64 * 1024, done.stderr
    items = tmp_path / "items.json"
    items.write_text("[%s]" % ",".join(["true"] * 5000))
    typed = tmp_path / "typed.json"
    typed.write_text('{"type": "array", "items": {"type": "integer"}}')
    done = run("--schema", str(typed), str(items))
    lines = done.stdout.splitlines()
    assert len(lines) == 21 and lines[-1].endswith(": ... and 4980 more errors"), done.stdout


# ---- --resolve: the function each operation calls ----

PLUGINS = os.path.join(BUILD_DIR, "tests", "fixtures", "plugins")


def test_resolve_lists_every_operation_and_its_function():
    done = run("--resolve", os.path.join(PLUGINS, "resty.so"),
               "--resolve", os.path.join(PLUGINS, "echo.so"),
               os.path.join(FIXTURES, "resolver", "resty.yaml"))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 13, done.stdout
    for expected in ["GET / -> resty.get: found",
                     "GET /foo -> resty.foo_search: found",
                     "POST /foo -> resty.foo_post: found",
                     "GET /foo/{id}/bar/{barId} -> resty.foo_bar_get: found",
                     "GET /user-profiles -> resty.user_profiles_search: found",
                     "GET /custom -> resty.custom_handler: found",
                     "GET /explicit -> resty.by_operation_id: found",
                     "GET /dotted -> echo.anything: found",
                     "GET /controlled -> echo.root: found"]:
        assert any(line.endswith(expected) for line in lines), (expected, done.stdout)
    assert re.match(r".*resty\.yaml:15:5: GET / -> ", lines[0]), lines[0]


def test_resolve_reports_missing_functions_and_plugins():
    missing = run("--resolve", "other=" + os.path.join(PLUGINS, "resty.so"),
                  os.path.join(FIXTURES, "resolver", "missing.yaml"))
    assert missing.returncode == 1, missing.stdout + missing.stderr
    assert "missing.yaml:5:5: GET /foo -> other.foo_search: found" in missing.stdout
    assert "missing.yaml:8:5: PATCH /nothing-here/{id} -> other.nothing_here_patch: " \
           "MISSING in " in missing.stdout
    not_given = run("--resolve", os.path.join(PLUGINS, "resty.so"),
                    os.path.join(FIXTURES, "resolver", "resty.yaml"))
    assert not_given.returncode == 1
    assert "GET /dotted -> echo.anything: no handler: plugin 'echo' not given to --resolve" \
        in not_given.stdout


def test_resolve_command_line_errors():
    unreadable = run("--resolve", "/nonexistent/p.so", os.path.join(FIXTURES, "routing.yaml"))
    assert unreadable.returncode == 2
    assert "--resolve /nonexistent/p.so: /nonexistent/p.so: cannot open" in unreadable.stderr
    no_spec = run("--resolve", os.path.join(PLUGINS, "resty.so"))
    assert no_spec.returncode == 2 and "usage: openapi-check --resolve" in no_spec.stderr
    assert run("--resolve").returncode == 2
