"""Spec loading as openapi-check and `apachectl -t` both do it (oa_spec_load, then
oa_spec_prepare): specs split over many files, $refs relative to the file that holds them,
pointers through $refs, errors at the $ref's FILE:LINE:COL and each error once."""
import os
import re
import subprocess

import pytest

from httpd import BUILD_DIR, SRC_DIR

CHECK = os.path.join(BUILD_DIR, "openapi-check")
SPECS = os.path.join(SRC_DIR, "tests", "fixtures", "specs")
MULTIFILE = os.path.join(SPECS, "multifile")
BOX = os.path.join(SPECS, "large", "box_openapi_3.0.json")


def check(*specs):
    return subprocess.run([CHECK] + list(specs), capture_output=True, text=True, timeout=120)


def configtest(httpd, spec, mode="OpenAPIMock all"):
    server = httpd("""
<Location /api>
    OpenAPISpec %s
    %s
</Location>
""" % (spec, mode), start=False)
    return server.configtest()


GOOD = [os.path.join(MULTIFILE, "api.yaml"), os.path.join(MULTIFILE, "through_ref.yaml"), BOX]

# (spec, the one error both must print: the $ref's position first)
BROKEN = [
    ("broken/missing_file.yaml",
     r"multifile/broken/paths/a\.yaml:4:13: \$ref '\.\./parameters/nope\.yaml': \S*"
     r"multifile/broken/parameters/nope\.yaml: cannot read: No such file"),
    ("broken/through_ref.yaml",
     r"broken/through_ref\.yaml:26:23: \$ref '#/paths/~1a/get/responses/200/content/"
     r"application~1json/schema/allOf/7': nothing at .* \(the pointer passes through \$ref "
     r"'\.\./components/schemas/wrapper\.yaml#/Wrapper' at \S*broken/through_ref\.yaml:16:23\)"),
    ("broken/shared_mapping.yaml",
     r"broken/shared_mapping\.yaml:50:16: \$ref '#/components/schemas/Dgo': nothing at "
     r"'#/components/schemas/Dgo'"),
]


def test_openapi_check_accepts_split_and_large_specs():
    done = check(*GOOD)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines() == [
        "OK %s: 2 operations" % GOOD[0], "OK %s: 2 operations" % GOOD[1],
        "OK %s: 296 operations" % BOX]


@pytest.mark.parametrize("spec", GOOD)
@pytest.mark.parametrize("mode", ["OpenAPIMock all", "OpenAPIStub on"])
def test_configtest_accepts_what_openapi_check_accepts(httpd, spec, mode):
    code, output = configtest(httpd, spec, mode)
    assert code == 0, output
    assert "Syntax OK" in output


@pytest.mark.parametrize("spec, expected", BROKEN)
def test_openapi_check_names_the_ref_once(spec, expected):
    path = os.path.join(MULTIFILE, spec)
    done = check(path)
    assert done.returncode == 1, done.stdout
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    assert re.search(expected, lines[0]), lines[0]


@pytest.mark.parametrize("spec, expected", BROKEN)
@pytest.mark.parametrize("mode", ["OpenAPIMock all", "OpenAPIStub on"])
def test_configtest_fails_as_openapi_check_does(httpd, spec, expected, mode):
    code, output = configtest(httpd, os.path.join(MULTIFILE, spec), mode)
    assert code != 0, output
    assert len(re.findall(expected, output)) == 1, output
    assert "more errors" not in output, output


def test_served_split_spec_validates_with_refs_from_other_files(httpd):
    server = httpd("""
<Location /api>
    OpenAPISpec %s
    OpenAPIBasePath /api
    OpenAPIMock all
</Location>
""" % os.path.join(MULTIFILE, "api.yaml"))
    # the split spec's apiKey scheme names no function: mock mode lets any key through
    # and says so once at startup
    server.expect_log(r"OAPI05000: .*security scheme 'key' \(apikey\) has no way to check")
    # the path parameter's schema (components/schemas/id.yaml) says minimum: 1
    assert server.get("/api/items/3").status == 200
    bad = server.get("/api/items/0")
    assert bad.status == 400, bad.body
    # the request body's schema is three files away from the operation
    ok = server.request("POST", "/api/orders", body=b'{"item": {"id": 2}}',
                        headers={"Content-Type": "application/json", "X-Key": "k"})
    assert ok.status == 200, ok.body
    wrong = server.request("POST", "/api/orders", body=b'{"item": {}}',
                           headers={"Content-Type": "application/json", "X-Key": "k"})
    assert wrong.status == 400, wrong.body
    assert "id" in wrong.body
