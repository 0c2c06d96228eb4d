"""Spec arguments: {{ name }} placeholders in every file of a spec filled from
OpenAPIArgument NAME VALUE (server-wide and per location, the location winning); an
unfilled placeholder or a filled spec that no longer parses stops configtest naming the
file, line and argument; openapi-check --arg does the same."""
import os
import subprocess

from httpd import BUILD_DIR, SRC_DIR

SERVER_WIDE = """
OpenAPIArgument base /wrong
OpenAPIArgument func anything
OpenAPIArgument common_func root
OpenAPIArgument max 10
OpenAPIArgument title Everyone's
"""

LOCATION = """
<Location {path}>
    OpenAPISpec specs/arguments/api.yaml
    OpenAPIPlugin echo plugins/echo.so
    OpenAPIArgument base {path}
    {extra}
</Location>
"""


def config(*locations):
    return SERVER_WIDE + "".join(LOCATION.format(path=p, extra=e) for p, e in locations)


def test_arguments_fill_every_file_and_the_location_wins(httpd):
    server = httpd(config(("/one", "OpenAPIArgument resource things"),
                          ("/two", "OpenAPIArgument resource others\n"
                                   "    OpenAPIArgument max 3")))
    things = server.get("/one/things?limit=10")
    assert things.status == 200 and things.header("x-echo") == "yes", things
    assert server.get("/one/things?limit=11").status == 400       # maximum: {{ max }}
    assert server.get("/one/others").status == 404
    others = server.get("/two/others?limit=3")
    assert others.status == 200, others
    assert server.get("/two/others?limit=4").status == 400        # the location's max
    assert server.get("/two/common").status == 200                # a $ref'd file, filled
    assert server.get("/wrong/things").status == 404              # base: the location's


def test_unfilled_placeholder_fails_configtest(httpd):
    server = httpd(config(("/one", "")), start=False)
    code, output = server.configtest()
    assert code != 0, output
    assert "arguments/api.yaml:8:4: spec argument 'resource' has no value " \
           "(OpenAPIArgument resource VALUE, or --arg resource=VALUE)" in output, output
    assert "(in <Location /one> at " in output


def test_filled_spec_that_does_not_parse_names_the_argument(httpd):
    server = httpd(config(("/one", "OpenAPIArgument resource things\n"
                                   "    OpenAPIArgument max \"1, x: [\"")), start=False)
    code, output = server.configtest()
    assert code != 0, output
    assert "arguments/api.yaml:13:" in output, output
    assert "(the line has spec argument max filled in)" in output, output


def test_a_spec_without_placeholders_ignores_arguments(httpd):
    server = httpd("""
OpenAPIArgument unused value
<Location /api>
    OpenAPISpec specs/routing.yaml
    OpenAPIPlugin echo plugins/echo.so
</Location>
""")
    assert server.get("/api/items").status == 200


def test_openapi_check_arg():
    check = os.path.join(BUILD_DIR, "openapi-check")
    spec = os.path.join(SRC_DIR, "tests/fixtures/specs/arguments/api.yaml")
    args = ["--arg", "base=/v1", "--arg", "func=anything", "--arg", "common_func=root",
            "--arg", "max=5", "--arg", "title=T"]
    unfilled = subprocess.run([check] + args + [spec], capture_output=True, text=True,
                              timeout=60)
    assert unfilled.returncode == 1
    assert "api.yaml:8:4: spec argument 'resource' has no value" in unfilled.stdout
    done = subprocess.run([check] + args + ["--arg", "resource=pets", spec],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "OK %s: 2 operations\n" % spec
    bad = subprocess.run([check, "--arg", "no-equals", spec], capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 2 and "--arg NAME=VALUE" in bad.stderr
