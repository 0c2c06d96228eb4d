"""Developer experience through a real httpd: the spec endpoints ({base}/openapi.json and
.yaml, 2.0 swagger.json), the Swagger UI's files and page, and CORS. The browser drives
the UI in test_browser.py; openapi-run is tested in test_openapi_run.py."""
import json
import os
import shutil

import pytest
import yaml

from httpd import BUILD_DIR

PETSTORE = """
<Location /v1>
    OpenAPISpec examples/petstore/petstore.yaml
    OpenAPIPlugin petstore plugins/petstore.so
    OpenAPIPlugin auth plugins/oauth.so
    OpenAPISwaggerUIDir swagger-ui
    {extra}
</Location>
"""


def start(httpd, extra="", config=None):
    server = httpd(config or PETSTORE.format(extra=extra), start=False)
    shutil.copytree(os.path.join(BUILD_DIR, "swagger-ui"), os.path.join(server.root, "swagger-ui"))
    return server.start()


# ---- spec endpoints ----

def test_openapi_json_is_the_spec_served_here(httpd):
    server = start(httpd)
    response = server.get("/v1/openapi.json")
    assert response.status == 200
    assert response.content_type == "application/json"
    spec = response.json()
    with open(os.path.join(server.root, "examples/petstore/petstore.yaml")) as f:
        original = yaml.safe_load(f)
    assert spec["paths"] == original["paths"]
    assert spec["servers"] == [{"url": "http://127.0.0.1:%d/v1" % server.port}]
    # the Host the client used, not the configured ServerName
    other = server.get("/v1/openapi.json", headers={"Host": "api.example:8443"}).json()
    assert other["servers"] == [{"url": "http://api.example:8443/v1"}]


def test_openapi_yaml_is_the_same_document(httpd):
    server = start(httpd)
    as_json = server.get("/v1/openapi.json").json()
    response = server.get("/v1/openapi.yaml")
    assert response.status == 200
    assert response.content_type == "application/yaml"
    assert yaml.safe_load(response.body) == as_json


def test_etag_and_304(httpd):
    server = start(httpd)
    first = server.get("/v1/openapi.json")
    etag = first.header("etag")
    assert etag and etag.startswith('"')
    again = server.get("/v1/openapi.json", headers={"If-None-Match": etag})
    assert again.status == 304 and again.body == ""
    # another Host is another document, so another ETag
    other = server.get("/v1/openapi.json", headers={"If-None-Match": etag, "Host": "x.example"})
    assert other.status == 200 and other.header("etag") != etag
    assert server.get("/v1/openapi.yaml").header("etag") != etag
    assert server.request("HEAD", "/v1/openapi.json").status == 200


def test_relative_refs_are_bundled(httpd):
    server = start(httpd, config="""
<Location /split>
    OpenAPISpec specs/split/api.yaml
    OpenAPIBasePath /split
    OpenAPIStub on
</Location>
""")
    spec = server.get("/split/openapi.json").json()
    text = json.dumps(spec)
    assert "common.yaml" not in text and "things.yaml" not in text
    get = spec["paths"]["/things/{thingId}"]["get"]
    assert get["parameters"][0]["name"] == "thingId"
    assert spec["components"]["schemas"]["Node"]["properties"]["children"]["items"] == \
        {"$ref": "#/components/schemas/Node"}


def test_swagger2_names_and_fields(httpd):
    server = start(httpd, config="""
<Location /v2>
    OpenAPISpec specs/swagger2.yaml
    OpenAPIStub on
</Location>
""")
    assert server.get("/v2/openapi.json").status == 404
    spec = server.get("/v2/swagger.json").json()
    assert spec["swagger"] == "2.0"
    assert spec["host"] == "127.0.0.1:%d" % server.port
    assert spec["basePath"] == "/v2"
    assert spec["schemes"] == ["http"]
    assert yaml.safe_load(server.get("/v2/swagger.yaml").body) == spec


def test_proxy_headers_only_when_trusted(httpd):
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.example.com",
               "X-Forwarded-Prefix": "/gateway/"}
    server = start(httpd)
    plain = server.get("/v1/openapi.json", headers=headers).json()
    assert plain["servers"] == [{"url": "http://127.0.0.1:%d/v1" % server.port}]
    server.stop()
    trusted = start(httpd, "OpenAPITrustProxy on")
    spec = trusted.get("/v1/openapi.json", headers=headers).json()
    assert spec["servers"] == [{"url": "https://api.example.com/gateway/v1"}]
    forwarded = trusted.get("/v1/openapi.json", headers={
        "Forwarded": 'for=192.0.2.60;proto=https;host="api.example.org:8443", for=10.0.0.1'})
    assert forwarded.json()["servers"] == [{"url": "https://api.example.org:8443/v1"}]
    # what cannot be a scheme or host is ignored, never echoed
    bad = trusted.get("/v1/openapi.json", headers={"X-Forwarded-Proto": "javascript",
                                                  "X-Forwarded-Host": "a\"b<c>"})
    assert bad.json()["servers"] == [{"url": "http://127.0.0.1:%d/v1" % trusted.port}]


def test_spec_endpoint_off(httpd):
    server = start(httpd, "OpenAPISpecEndpoint off")
    assert server.get("/v1/openapi.json").status == 404
    assert server.get("/v1/openapi.yaml").status == 404
    assert server.get("/v1/ui/").status == 200


def test_only_get_and_head(httpd):
    server = start(httpd)
    response = server.request("POST", "/v1/openapi.json", body="{}",
                              headers={"Content-Type": "application/json"})
    assert response.status == 405
    assert set(response.header("allow").replace(" ", "").split(",")) >= {"GET", "HEAD"}


def test_an_operation_of_the_spec_wins_and_configtest_warns(httpd):
    server = httpd("""
<Location /s>
    OpenAPISpec specs/devex/shadow.yaml
    OpenAPIBasePath /s
    OpenAPIMock all
</Location>
""", start=False)
    status, output = server.configtest()
    assert status == 0, output
    assert "OAPI08001" in output and "'/openapi.json' is served by its operations" in output
    server.expect_log("OAPI08001")
    server.start()
    assert server.get("/s/openapi.json").json() == {"mine": True}
    assert server.get("/s/openapi.yaml").status == 200


def test_no_warning_when_the_endpoint_is_off(httpd):
    server = httpd("""
<Location /s>
    OpenAPISpec specs/devex/shadow.yaml
    OpenAPIBasePath /s
    OpenAPIMock all
    OpenAPISpecEndpoint off
</Location>
""", start=False)
    status, output = server.configtest()
    assert status == 0 and "OAPI08001" not in output, output


# ---- Swagger UI ----

def test_ui_redirect_page_and_assets(httpd):
    server = start(httpd)
    redirect = server.get("/v1/ui")
    assert redirect.status == 301 and redirect.header("location") == "/v1/ui/"
    page = server.get("/v1/ui/")
    assert page.status == 200 and page.content_type.startswith("text/html")
    csp = page.header("content-security-policy")
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert "<script>" not in page.body  # no inline script: the CSP holds
    assert "Petstore" in page.body
    bundle = [line for line in page.body.splitlines() if "swagger-ui-bundle.js" in line][0]
    src = bundle.split('"')[1]
    asset = server.get("/v1/ui/" + src)
    assert asset.status == 200
    assert asset.content_type.startswith("text/javascript")
    assert "max-age=31536000" in asset.header("cache-control")
    assert server.get("/v1/ui/" + src, headers={"If-None-Match": asset.header("etag")}).status \
        == 304
    redirect_page = server.get("/v1/ui/oauth2-redirect.html")
    assert redirect_page.status == 200 and "oauth2-redirect.js" in redirect_page.body
    init = server.get("/v1/ui/swagger-initializer.js")
    assert init.status == 200 and '"url":"..\\/openapi.json"' in init.body


@pytest.mark.parametrize("path", ["/v1/ui/../../etc/passwd", "/v1/ui/.version-5",
                                  "/v1/ui/sub/x.js", "/v1/ui/missing.js", "/v1/ui/x.txt"])
def test_ui_serves_only_its_files(httpd, path):
    server = start(httpd)
    assert server.get(path).status == 404


def test_ui_options_by_directive(httpd):
    server = start(httpd, """
    OpenAPISwaggerUIOption deepLinking true
    OpenAPISwaggerUIOption persistAuthorization true
    OpenAPISwaggerUIOption displayOperationId true
    OpenAPISwaggerUIOption docExpansion none
    OpenAPISwaggerUIOAuth clientId spa-app
    OpenAPISwaggerUIOAuth usePkceWithAuthorizationCodeGrant true
""")
    body = server.get("/v1/ui/swagger-initializer.js").body
    config = json.loads(body.split("var config = ")[1].split(";\n")[0])
    assert config["deepLinking"] is True and config["persistAuthorization"] is True
    assert config["displayOperationId"] is True and config["docExpansion"] == "none"
    oauth = json.loads(body.split("var oauth = ")[1].split(";\n")[0])
    assert oauth == {"clientId": "spa-app", "usePkceWithAuthorizationCodeGrant": True}


def test_ui_off(httpd):
    server = start(httpd, "OpenAPISwaggerUI off")
    assert server.get("/v1/ui/").status == 404
    assert server.get("/v1/openapi.json").status == 200


def test_ui_dir_must_exist(httpd):
    server = httpd("""
<Location /v1>
    OpenAPISpec examples/petstore/petstore.yaml
    OpenAPIMock all
    OpenAPISwaggerUIDir no-such-dir
</Location>
""", start=False)
    status, output = server.configtest()
    assert status != 0 and "OpenAPISwaggerUIDir: 'no-such-dir' is not a directory" in output


# ---- CORS ----

CORS = """
    OpenAPICORS http://127.0.0.1:9999 https://app.example
    OpenAPICORSExposeHeaders Location X-Request-Id
    OpenAPICORSMaxAge 120
"""


def preflight(server, path, method, origin="http://127.0.0.1:9999", headers="authorization"):
    return server.request("OPTIONS", path, headers={
        "Origin": origin, "Access-Control-Request-Method": method,
        "Access-Control-Request-Headers": headers})


def test_preflight_answers_from_the_spec_before_security(httpd):
    server = start(httpd, CORS)
    response = preflight(server, "/v1/pets", "POST", headers="authorization,content-type")
    assert response.status == 204
    assert response.header("access-control-allow-origin") == "http://127.0.0.1:9999"
    methods = set(response.header("access-control-allow-methods").replace(" ", "").split(","))
    assert methods == {"GET", "HEAD", "POST"}
    assert response.header("access-control-allow-headers") == "authorization,content-type"
    assert response.header("access-control-max-age") == "120"
    assert "Origin" in response.header("vary")
    item = preflight(server, "/v1/pets/1", "DELETE")
    assert item.status == 204
    assert "DELETE" in item.header("access-control-allow-methods")


def test_cors_headers_on_answers_and_errors(httpd):
    server = start(httpd, CORS)
    origin = {"Origin": "https://app.example"}
    unauthorized = server.get("/v1/pets", headers=origin)
    assert unauthorized.status == 401
    assert unauthorized.header("access-control-allow-origin") == "https://app.example"
    assert unauthorized.header("access-control-expose-headers") == "Location,X-Request-Id"
    missing = server.get("/v1/nowhere", headers=origin)
    assert missing.status == 404
    assert missing.header("access-control-allow-origin") == "https://app.example"
    spec = server.get("/v1/openapi.json", headers=origin)
    assert spec.header("access-control-allow-origin") == "https://app.example"
    assert server.get("/v1/pets").header("access-control-allow-origin") is None


def test_disallowed_origin_gets_no_cors_headers(httpd):
    server = start(httpd, CORS)
    response = preflight(server, "/v1/pets", "GET", origin="https://evil.example")
    assert response.status == 204
    assert not [h for h in response.headers if h.startswith("access-control-")]
    answer = server.get("/v1/pets", headers={"Origin": "https://evil.example"})
    assert not [h for h in answer.headers if h.startswith("access-control-")]


def test_wildcard_and_credentials(httpd):
    server = start(httpd, "OpenAPICORS *")
    response = preflight(server, "/v1/pets", "GET", origin="http://anywhere.example")
    assert response.header("access-control-allow-origin") == "*"
    assert response.header("access-control-allow-credentials") is None
    server.stop()
    creds = start(httpd, "OpenAPICORS *\n    OpenAPICORSCredentials on")
    response = preflight(creds, "/v1/pets", "GET", origin="http://anywhere.example")
    assert response.header("access-control-allow-origin") == "http://anywhere.example"
    assert response.header("access-control-allow-credentials") == "true"


def test_without_cors_options_is_not_a_preflight(httpd):
    server = start(httpd)
    response = preflight(server, "/v1/pets", "GET")
    assert response.status == 405
    assert response.header("access-control-allow-origin") is None


def test_cors_off_in_an_inner_location(httpd):
    server = start(httpd, config="""
OpenAPICORS https://app.example
<Location /v1>
    OpenAPISpec examples/petstore/petstore.yaml
    OpenAPIMock all
    OpenAPICORS off
</Location>
<Location /split>
    OpenAPISpec specs/split/api.yaml
    OpenAPIBasePath /split
    OpenAPIStub on
</Location>
""")
    # mock all without the example's plugins: its oauth scheme is presence-only, said once
    server.expect_log(r"OAPI05000: .*security scheme 'oauth' \(oauth2\) has no way to check")
    origin = {"Origin": "https://app.example"}
    assert server.get("/v1/pets", headers=origin).header("access-control-allow-origin") is None
    assert server.get("/split/things/1", headers=origin).header(
        "access-control-allow-origin") == "https://app.example"


@pytest.mark.parametrize("directive,message", [
    ("OpenAPICORS ftp://x", "is not an origin"),
    ("OpenAPICORS off https://a.example", "off cannot be mixed"),
    ("OpenAPICORSMaxAge soon", "is not a number of seconds"),
    ("OpenAPICORSExposeHeaders 'bad header'", "is not a header name"),
    ("OpenAPISwaggerUIOption bad-name 1", "is not an option name"),
])
def test_directive_errors(httpd, directive, message):
    server = httpd(PETSTORE.format(extra=directive).replace(
        "    OpenAPISwaggerUIDir swagger-ui\n", ""), start=False)
    status, output = server.configtest()
    assert status != 0 and message in output, output


def test_allow_headers_by_directive(httpd):
    server = start(httpd, "OpenAPICORS *\n    OpenAPICORSAllowHeaders Authorization Content-Type")
    response = preflight(server, "/v1/pets", "POST", headers="x-other")
    assert response.status == 204
    assert response.header("access-control-allow-headers") == "Authorization,Content-Type"
    # a preflight for a path the spec does not have is no preflight of the API: a 404
    missing = preflight(server, "/v1/nowhere", "GET")
    assert missing.status == 404
    assert missing.header("access-control-allow-origin") == "*"
