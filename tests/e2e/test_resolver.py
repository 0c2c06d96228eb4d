"""OpenAPIResolver resty PLUGIN: handlers named from path and method (the Connexion
manual's RestyResolver table, nested resources, names that are not C identifiers), an
explicit operationId and x-openapi-router-controller still winning, the plugin's own
openapi_plugin_resolve, and configtest errors naming the operation and the symbol."""
import pytest

CONFIG = """
<Location /r>
    OpenAPISpec specs/resolver/%s
    OpenAPIBasePath /r
    OpenAPIPlugin resty plugins/resty.so
    OpenAPIPlugin echo plugins/echo.so
    %s
</Location>
"""


@pytest.mark.parametrize("method, path, handler", [
    ("GET", "/r/", "get"),
    ("GET", "/r/foo", "foo_search"),
    ("POST", "/r/foo", "foo_post"),
    ("GET", "/r/foo/7", "foo_get"),
    ("PUT", "/r/foo/7", "foo_put"),
    ("DELETE", "/r/foo/7", "foo_delete"),
    ("GET", "/r/foo/7/bar", "foo_bar_search"),
    ("GET", "/r/foo/7/bar/8", "foo_bar_get"),
    ("GET", "/r/user-profiles", "user_profiles_search"),
    ("GET", "/r/custom", "custom_handler"),       # the plugin's own resolver
    ("GET", "/r/explicit", "by_operation_id"),    # a bare operationId, in the plugin
])
def test_resty_names(httpd, method, path, handler):
    server = httpd(CONFIG % ("resty.yaml", "OpenAPIResolver resty resty"))
    response = server.request(method, path)
    assert response.status == 200, response
    assert response.json() == {"handler": handler}


def test_dotted_operation_id_and_controller_win(httpd):
    server = httpd(CONFIG % ("resty.yaml", "OpenAPIResolver resty resty"))
    dotted = server.get("/r/dotted")
    assert dotted.status == 200 and dotted.header("x-echo") == "yes", dotted
    controlled = server.get("/r/controlled")
    assert controlled.status == 200 and controlled.header("x-echo") == "yes", controlled


def test_resolver_inherited_and_turned_off(httpd):
    server = httpd("""
OpenAPIResolver resty resty
<Location /r>
    OpenAPISpec specs/resolver/resty.yaml
    OpenAPIBasePath /r
    OpenAPIPlugin resty plugins/resty.so
    OpenAPIPlugin echo plugins/echo.so
</Location>
<Location /off>
    OpenAPISpec specs/resolver/resty.yaml
    OpenAPIBasePath /off
    OpenAPIPlugin resty plugins/resty.so
    OpenAPIPlugin echo plugins/echo.so
    OpenAPIResolver off
    OpenAPIStub on
</Location>
""")
    assert server.get("/r/foo").json() == {"handler": "foo_search"}
    assert server.get("/off/foo").status == 501
    assert server.get("/off/dotted").status == 200


@pytest.mark.parametrize("resolver, expected", [
    ("OpenAPIResolver resty resty",
     ["missing.yaml:8:5: PATCH /nothing-here/{id}: plugin 'resty'",
      "has no function 'nothing_here_patch'"]),
    ("OpenAPIResolver resty nosuch",
     ["missing.yaml:5:5: GET /foo: its handler needs plugin 'nosuch', which no "
      "OpenAPIPlugin directive for this location loads"]),
    ("",
     ["missing.yaml:5:5: GET /foo has no operationId, so no handler (or set "
      "OpenAPIResolver resty PLUGIN)"]),
], ids=["missing-function", "plugin-not-loaded", "no-resolver"])
def test_unresolved_handler_fails_configtest(httpd, resolver, expected):
    server = httpd(CONFIG % ("missing.yaml", resolver), start=False)
    code, output = server.configtest()
    assert code != 0
    for text in expected:
        assert text in output, output
