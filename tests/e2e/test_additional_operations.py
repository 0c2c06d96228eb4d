"""OpenAPI 3.2 additionalOperations (fixtures/specs/v31/additional32.yaml): methods without a
field of their own (PURGE, LINK, COPY) routed by their exact name, authenticated, validated
(a JSON body too), answered by a plugin handler, by the mock, and by a backend through
mod_proxy; 405 answers and CORS preflights list them; a spec with more methods than httpd
can number stops the configuration."""
import json
import os

from httpd import SYSTEM_MODULES

SPEC = "specs/v31/additional32.yaml"
JSON = {"Content-Type": "application/json"}
BEARER = {"Authorization": "Bearer good-token"}

PLUGINS = """
<Location /ops>
    OpenAPISpec %s
    OpenAPIPlugin echo plugins/echo.so
    OpenAPIPlugin auth plugins/auth.so
    OpenAPIResolver resty echo
    OpenAPICORS https://app.example
</Location>
""" % SPEC

MOCK = """
<Location /ops>
    OpenAPISpec %s
    OpenAPIPlugin auth plugins/auth.so
    OpenAPIMock all
</Location>
""" % SPEC


def test_plugin_handlers_answer_extension_methods(httpd):
    server = httpd(PLUGINS)
    # PURGE has no operationId: the resty resolver names it items_purge
    purged = server.request("PURGE", "/ops/items/7?soft=true", headers=BEARER)
    assert purged.status == 200, purged
    assert purged.json()["method"] == "PURGE"
    assert purged.json()["operationId"] is None
    assert purged.json()["template"] == "/items/{id}"
    assert purged.json()["params"] == {"id": 7, "soft": True}
    linked = server.request("LINK", "/ops/items/7", body='{"target": "/items/8", "rel": '
                            '"related"}', headers=JSON)
    assert linked.status == 200, linked
    assert linked.json()["operationId"] == "echo.link_item"
    assert linked.json()["body"] == {"target": "/items/8", "rel": "related"}
    # COPY, from a path item reached through a $ref
    copied = server.request("COPY", "/ops/copies/3", body='{"overwrite": false}',
                            headers=dict(JSON, Destination="/copies/4"))
    assert copied.status == 200, copied
    assert copied.json()["method"] == "COPY"
    assert copied.json()["params"] == {"id": 3, "Destination": "/copies/4",
                                       "body": {"overwrite": False}}
    log = server.error_log()
    assert "matched operation (no operationId) (PURGE /items/{id})" in log
    assert "matched operation echo.link_item (LINK /items/{id})" in log


def test_extension_requests_are_validated(httpd):
    server = httpd(PLUGINS)
    wrong = server.request("LINK", "/ops/items/7", body='{"target": "", "extra": 1}',
                           headers=JSON)
    assert wrong.status == 400, wrong
    pointers = {e.get("pointer") for e in wrong.json()["errors"]}
    assert "/target" in pointers, wrong
    missing = server.request("LINK", "/ops/items/7")
    assert missing.status == 400, missing
    assert "body" in missing.json()["detail"], missing
    bad_id = server.request("PURGE", "/ops/items/0", headers=BEARER)
    assert bad_id.status == 400, bad_id
    assert bad_id.json()["errors"][0]["name"] == "id"
    no_header = server.request("COPY", "/ops/copies/3", body='{"overwrite": true}',
                               headers=JSON)
    assert no_header.status == 400, no_header
    assert no_header.json()["errors"][0]["name"] == "Destination"


def test_security_on_an_extension_method(httpd):
    server = httpd(PLUGINS)
    anonymous = server.request("PURGE", "/ops/items/7")
    assert anonymous.status == 401, anonymous
    assert anonymous.header("WWW-Authenticate").startswith("Bearer")
    wrong = server.request("PURGE", "/ops/items/7", headers={"Authorization": "Bearer nope"})
    assert wrong.status == 401, wrong
    # LINK declares no security
    assert server.request("LINK", "/ops/items/7", body='{"target": "x"}',
                          headers=JSON).status == 200


def test_405_lists_extension_methods_and_matching_is_case_sensitive(httpd):
    server = httpd(PLUGINS)
    for method in ("DELETE", "purge", "Link", "COPY", "PROPFIND"):
        refused = server.request(method, "/ops/items/7", headers=BEARER)
        assert refused.status == 405, (method, refused)
        # httpd writes Allow from its method mask, in an order of its own
        assert sorted(refused.header("Allow").split(",")) == ["GET", "HEAD", "LINK",
                                                              "PURGE"], refused
        assert refused.json()["detail"] == ("%s is not allowed on '/items/{id}' (allowed: "
                                            "GET,HEAD,PURGE,LINK)" % method)
    assert server.request("LINK", "/ops/copies/3").header("Allow") == "COPY"


def test_cors_preflight_allows_extension_methods(httpd):
    server = httpd(PLUGINS)
    preflight = server.request("OPTIONS", "/ops/items/7", headers={
        "Origin": "https://app.example", "Access-Control-Request-Method": "PURGE"})
    assert preflight.status == 204, preflight
    assert preflight.header("Access-Control-Allow-Methods") == "GET,HEAD,PURGE,LINK"


def test_mock_answers_extension_methods(httpd):
    server = httpd(MOCK)
    assert server.request("PURGE", "/ops/items/7").status == 401
    purged = server.request("PURGE", "/ops/items/7", headers=BEARER)
    assert purged.status == 200, purged
    assert purged.json() == {"method": "MOCKED"}
    linked = server.request("LINK", "/ops/items/7", body='{"target": "x"}', headers=JSON)
    assert linked.status == 200, linked
    assert server.request("LINK", "/ops/items/7", body='{"rel": "related"}',
                          headers=JSON).status == 400
    copied = server.request("COPY", "/ops/copies/3", body='{"overwrite": true}',
                            headers=dict(JSON, Destination="/x"))
    assert copied.status == 201, copied
    assert server.request("purge", "/ops/items/7").status == 405
    log = server.error_log()
    assert "mocked PURGE /items/{id}: 200" in log
    assert "mocked COPY /copies/{id}: 201" in log


# The backend: a CGI script saying which method, path and body it received.
BACKEND_SCRIPT = """#!/usr/bin/python3
import json, os, sys
body = sys.stdin.buffer.read().decode()
sys.stdout.write("Status: 200\\r\\nContent-Type: application/json\\r\\n\\r\\n")
sys.stdout.write(json.dumps({"method": os.environ.get("REQUEST_METHOD"),
                             "path": os.environ.get("PATH_INFO"), "body": body,
                             "operation": os.environ.get("HTTP_X_OPENAPI_OPERATION")}))
"""

BACKEND = """
LoadModule cgi_module {system}/mod_cgi.so
LoadModule alias_module {system}/mod_alias.so
ScriptAlias /svc @ROOT@/backend.py
""".format(system=SYSTEM_MODULES)

GATEWAY = """
LoadModule proxy_module {system}/mod_proxy.so
LoadModule proxy_http_module {system}/mod_proxy_http.so
<Location /ops>
    OpenAPISpec {spec}
    OpenAPIPlugin auth plugins/auth.so
    OpenAPIDispatch backend
    OpenAPIBackendHeader operation X-OpenAPI-Operation
    ProxyPass http://127.0.0.1:{port}/svc
</Location>
"""


def test_gateway_proxies_extension_methods(httpd):
    backend = httpd(BACKEND, start=False, name="backend")
    script = os.path.join(backend.root, "backend.py")
    with open(script, "w") as f:
        f.write(BACKEND_SCRIPT)
    os.chmod(script, 0o755)
    backend.start()
    gateway = httpd(GATEWAY.format(system=SYSTEM_MODULES, spec=SPEC, port=backend.port),
                    start=False, name="gateway")
    # mod_proxy_http's regex lives until exit: full stacks let lsan.supp match it.
    gateway.asan_options = "fast_unwind_on_malloc=0"
    gateway.start()
    linked = gateway.request("LINK", "/ops/items/7", body='{"target": "/items/8"}',
                             headers=JSON)
    assert linked.status == 200, linked
    assert linked.json() == {"method": "LINK", "path": "/items/7",
                             "body": '{"target": "/items/8"}', "operation": "echo.link_item"}
    purged = gateway.request("PURGE", "/ops/items/7", headers=BEARER)
    assert purged.status == 200, purged
    assert purged.json()["method"] == "PURGE"
    assert purged.json()["operation"] == "PURGE /items/{id}"
    # refused before the backend: no credentials, a body off the spec, a method off it
    assert gateway.request("PURGE", "/ops/items/7").status == 401
    assert gateway.request("LINK", "/ops/items/7", body="{}", headers=JSON).status == 400
    assert gateway.request("purge", "/ops/items/7").status == 405
    # httpd logs a request after answering it: wait for the last one proxied
    told = backend.access_log(wait_for="PURGE /svc/items/7")
    assert "PURGE /svc/items/7" in told and "LINK /svc/items/7" in told
    assert "purge " not in told and told.count("LINK /svc/") == 1


def test_too_many_methods_for_httpd_stop_the_configuration(httpd):
    """httpd numbers 63 methods at most (its own 26 and those modules register): a spec with
    more additionalOperations methods than are left is a configtest error at the operation."""
    operations = "".join("      M%02d: {responses: {'200': {description: ok}}}\n" % i
                         for i in range(40))
    server = httpd("<Location /many>\n    OpenAPISpec @ROOT@/many.yaml\n    OpenAPIMock all\n"
                   "</Location>\n", start=False)
    with open(os.path.join(server.root, "many.yaml"), "w") as f:
        f.write("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n"
                "    additionalOperations:\n" + operations)
    os.chmod(os.path.join(server.root, "many.yaml"), 0o644)
    status, output = server.configtest()
    assert status != 0, output
    assert "many.yaml:" in output and "httpd cannot register the method 'M" in output, output
    assert "its method numbers are all taken" in output, output
