"""OpenAPI 3.2 `in: querystring` through a real httpd: the whole query string is one
parameter value, read by the media type of its `content` (form fields, JSON, text), handed
to a plugin handler under the parameter's name (the echo plugin answers with it), checked
in mock mode, and forwarded unchanged in gateway mode. The operations are in
fixtures/specs/v31/querystring.yaml."""
import os
import subprocess
from urllib.parse import quote

import pytest

from httpd import BUILD_DIR, SRC_DIR, SYSTEM_MODULES

SPEC = os.path.join(SRC_DIR, "tests", "fixtures", "specs", "v31", "querystring.yaml")

CONFIG = """
<Location /qs>
    OpenAPISpec specs/v31/querystring.yaml
    OpenAPIPlugin echo plugins/echo.so
</Location>
<Location /mock>
    OpenAPISpec specs/v31/querystring.yaml
    OpenAPIBasePath /mock
    OpenAPIMock all
</Location>
"""


@pytest.fixture
def api(httpd):
    return httpd(CONFIG)


def params(response):
    assert response.status == 200, response
    assert response.header("X-Echo") == "yes", response
    return response.json()["params"]


def problem(response, status=400):
    """The problem's first error as (in, name, pointer or None, message), and its detail."""
    assert response.status == status, response
    assert response.content_type == "application/problem+json", response
    body = response.json()
    first = body["errors"][0]
    return (first["in"], first.get("name"), first.get("pointer"), first["message"]), \
        body["detail"]


# ---- the value a handler receives ----

def test_form_fields_become_an_object(api):
    got = params(api.get("/qs/form?name=a+%2B+b&active=true&limit=5&tags=x&tags=y&ids=1,2"))
    assert got == {"filter": {"name": "a + b", "active": True, "limit": 5,
                              "tags": ["x", "y"], "ids": [1, 2]}}


def test_json_query_string(api):
    # the OpenAPI 3.2 text's own example
    got = params(api.get("/qs/json?%7B%22numbers%22%3A%5B1%2C2%5D%2C%22flag%22%3Anull%7D"))
    assert got == {"selector": {"numbers": [1, 2], "flag": None}}
    got = params(api.get("/qs/problem?" + quote("[1,2]")))
    assert got == {"doc": [1, 2]}


def test_text_query_strings(api):
    assert params(api.get("/qs/jsonpath?%24.a.b%5B1%3A1%5D")) == {"selector": "$.a.b[1:1]"}
    assert params(api.get("/qs/count?42")) == {"n": 42}
    assert params(api.get("/qs/count")) == {"n": 7}  # the schema's default
    # the operation's parameter replaced the path item's one of the same name
    assert params(api.get("/qs/override?hello")) == {"q": "hello"}


def test_absent_and_required(api):
    assert params(api.get("/qs/form")) == {}
    assert params(api.get("/qs/form?")) == {}
    assert params(api.get("/qs/override")) == {}
    first, detail = problem(api.get("/qs/json"))
    assert first == ("querystring", "selector", None,
                     "'selector' is a required querystring parameter (the query string is "
                     "empty)")
    assert detail.startswith("querystring parameter 'selector': ")


# ---- errors: what is wrong and where ----

@pytest.mark.parametrize("target, expected", [
    ("/qs/form?name=n&limit=500",
     ("querystring", "filter", "/limit", "500 is greater than the maximum of 100")),
    ("/qs/form?name=n&ids=1,x",
     ("querystring", "filter", "/ids/1", "'x' is not of type 'integer'")),
    ("/qs/form?active=true",
     ("querystring", "filter", None, "'name' is a required property")),
    ("/qs/form?name=%FF",
     ("querystring", "filter", None,
      "'name=%FF' decodes to a NUL byte or to text that is not UTF-8")),
    ("/qs/json?%7B%22numbers%22%3A%5B1%5D",
     ("querystring", "selector", None,
      "invalid JSON at line 1, column 14: '}' expected near end of file")),
    ("/qs/json?%7B%22numbers%22%3A%5B%5D%2C%22flag%22%3A1%7D",
     ("querystring", "selector", "/flag", "1 is not of type 'boolean', 'null'")),
    ("/qs/json?%7B%2",
     ("querystring", "selector", None,
      "malformed percent-escape '%2' at character 4 of the query string (a '%' must be "
      "followed by two hex digits)")),
    ("/qs/json?%22%C3%28%22",
     ("querystring", "selector", None, "the query string does not decode to UTF-8 text")),
    ("/qs/json?%22a%00%22",
     ("querystring", "selector", None,
      "the query string decodes to a NUL byte (at character 5)")),
    ("/qs/count?0", ("querystring", "n", None, "0 is less than the minimum of 1")),
    ("/qs/count?4x", ("querystring", "n", None, "'4x' is not of type 'integer'")),
    ("/qs/jsonpath?a.b", ("querystring", "selector", None, "'a.b' does not match '^\\\\$'")),
])
def test_errors_name_the_parameter_and_place(api, target, expected):
    first, detail = problem(api.get(target))
    assert first == expected
    where = "querystring parameter '%s'" % expected[1]
    if expected[2]:
        where += " at " + expected[2]
    assert detail.startswith(where + ": " + expected[3]), detail


def test_strict_validation_refuses_unknown_fields(httpd):
    server = httpd(CONFIG.replace("OpenAPIPlugin echo plugins/echo.so",
                                  "OpenAPIPlugin echo plugins/echo.so\n"
                                  "    OpenAPIStrictValidation On", 1))
    first, _ = problem(server.get("/qs/form?name=n&bogus=1"))
    assert first == ("querystring", "filter", "/bogus", "unknown form field 'bogus'")
    # every key is the querystring parameter's: none is an unknown query parameter
    assert params(server.get("/qs/json?%7B%22numbers%22%3A%5B%5D%7D")) == \
        {"selector": {"numbers": []}}


def test_a_long_query_string_is_read_in_one_pass(api):
    # far below LimitRequestLine (8190): 600 fields
    query = "name=n" + "&tags=%41" * 600
    got = params(api.get("/qs/form?" + query))
    assert got["filter"]["tags"] == ["A"] * 600


# ---- mock and gateway modes ----

def test_mock_mode_validates(api):
    ok = api.get("/mock/json?%7B%22numbers%22%3A%5B1%5D%7D")
    assert ok.status == 200, ok
    assert ok.header("X-Echo") is None
    first, _ = problem(api.get("/mock/json?%7B%22numbers%22%3A%5B%22a%22%5D%7D"))
    assert first == ("querystring", "selector", "/numbers/0", "'a' is not of type 'integer'")
    first, _ = problem(api.get("/mock/form?limit=1"))
    assert first == ("querystring", "filter", None, "'name' is a required property")


# a static file per path: no regex (AliasMatch's would outlive httpd for LeakSanitizer)
BACKEND = """
DocumentRoot "@ROOT@/static"
<Directory "@ROOT@/static">
    Require all granted
</Directory>
"""

GATEWAY = """
LoadModule proxy_module {system}/mod_proxy.so
LoadModule proxy_http_module {system}/mod_proxy_http.so
<Location /gw>
    OpenAPISpec specs/v31/querystring.yaml
    OpenAPIBasePath /gw
    OpenAPIDispatch backend
    ProxyPass http://127.0.0.1:{port}/be
</Location>
"""


def let_httpd_read(folder):
    """httpd may run as another user (www-data): what the test wrote must be readable."""
    for dirpath, _, filenames in os.walk(folder):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)


def test_gateway_validates_and_forwards_the_query_unchanged(httpd):
    backend = httpd(BACKEND, start=False, name="backend")
    os.makedirs(os.path.join(backend.root, "static", "be"))
    with open(os.path.join(backend.root, "static", "be", "form"), "w") as f:
        f.write("{}\n")
    let_httpd_read(os.path.join(backend.root, "static"))
    backend.start()
    gateway = httpd(GATEWAY.format(system=SYSTEM_MODULES, port=backend.port), start=False,
                    name="gateway")
    # mod_proxy_http's regex lives until exit: full stacks let lsan.supp match it.
    gateway.asan_options = "fast_unwind_on_malloc=0"
    gateway.start()
    query = "name=a+%2B+b&ids=1,2&tags=%7E"
    ok = gateway.get("/gw/form?" + query)
    assert ok.status == 200, ok
    assert "GET /be/form?%s HTTP/1.1" % query in backend.access_log(wait_for=query)
    refused = gateway.get("/gw/form?name=n&limit=x")
    first, _ = problem(refused)
    assert first == ("querystring", "filter", "/limit", "'x' is not of type 'integer'")
    assert "limit=x" not in backend.access_log()


# ---- openapi-check ----

def test_openapi_check_loads_the_spec():
    done = subprocess.run([os.path.join(BUILD_DIR, "openapi-check"), SPEC],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "OK %s: 7 operations" % SPEC


def test_openapi_check_refuses_misuse(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n"
                    "    parameters:\n      - {name: p, in: querystring, content: "
                    "{application/json: {}}}\n    get:\n      parameters:\n"
                    "        - {name: x, in: query, schema: {type: string}}\n"
                    "      responses: {'200': {description: ok}}\n")
    done = subprocess.run([os.path.join(BUILD_DIR, "openapi-check"), str(spec)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stdout.replace(str(spec), "SPEC").splitlines() == [
        "SPEC:9:11: GET /a: query parameter 'x' cannot be used with querystring parameter "
        "'p' (line 6), which takes the whole query string"]
