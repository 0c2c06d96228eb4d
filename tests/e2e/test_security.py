"""Security through a real httpd: requirements (global, override, open, optional, OR,
AND), schemes checked by plugin functions or by httpd's authn providers (htpasswd), and
RFC 6750 errors with WWW-Authenticate challenges."""
import base64
import json
import os
import re
import subprocess

import pytest

CONFIG = """
LoadModule authn_core_module {system}/mod_authn_core.so
LoadModule authn_file_module {system}/mod_authn_file.so
LoadModule headers_module {system}/mod_headers.so
<Location /sec>
    OpenAPISpec specs/secure.yaml
    OpenAPIPlugin auth plugins/auth.so
    AuthUserFile @ROOT@/users.htpasswd
    {extra}
</Location>
"""


def start(httpd, extra=""):
    server = httpd(CONFIG.format(system="/usr/lib/apache2/modules", extra=extra), start=False)
    # an htpasswd file made with httpd's own tool
    subprocess.run(["htpasswd", "-cbB", os.path.join(server.root, "users.htpasswd"), "ann",
                    "pa55word"], check=True, capture_output=True)
    os.chmod(os.path.join(server.root, "users.htpasswd"), 0o644)
    return server.start()


@pytest.fixture
def api(httpd):
    return start(httpd)


def bearer(token):
    return {"Authorization": "Bearer " + token}


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(
        ("%s:%s" % (user, password)).encode()).decode()}


def refused(response, status):
    assert response.status == status, response
    assert response.content_type == "application/json", response
    assert response.header("cache-control") == "no-store", response
    return response.json()


def challenges(response):
    return " | ".join(response.header_values("WWW-Authenticate"))


def test_open_operation_needs_nothing(api):
    assert api.get("/sec/open").json() == {"user": None}


def test_no_credentials_is_401_without_error_code(api):
    response = api.get("/sec/read")
    body = refused(response, 401)
    assert "error" not in body
    assert challenges(response) == 'Bearer realm="Secure fixture"'


def test_valid_token_reaches_the_handler_with_user_and_token_info(api):
    answer = api.get("/sec/read", headers=bearer("good-token")).json()
    assert answer["user"] == "alice"
    assert answer["token_info"]["scope"] == "read write"
    assert api.get("/sec/read", headers=bearer("read-token")).json()["user"] == "bob"


def test_user_is_in_the_access_log(api):
    api.get("/sec/read", headers=bearer("good-token"))
    assert 'alice "GET /sec/read' in api.access_log(wait_for='alice "GET /sec/read')


def test_bad_and_expired_tokens_are_invalid_token(api):
    response = api.get("/sec/read", headers=bearer("nonsense"))
    body = refused(response, 401)
    assert body["error"] == "invalid_token"
    assert 'error="invalid_token"' in challenges(response)
    expired = refused(api.get("/sec/read", headers=bearer("expired-token")), 401)
    assert "expired" in expired["error_description"]
    inactive = refused(api.get("/sec/read", headers=bearer("inactive-token")), 401)
    assert "not active" in inactive["error_description"]
    assert expired["error_description"] != body["error_description"]


def test_malformed_credentials_are_invalid_request(api):
    response = api.get("/sec/read", headers={"Authorization": "Bearer two tokens"})
    body = refused(response, 400)
    assert body["error"] == "invalid_request"
    # a token in the header and the query: test_query_tokens_when_the_location_allows_them
    # (by default the query's access_token is no credential)


def test_missing_scope_is_403_insufficient_scope(api):
    response = api.request("POST", "/sec/write", headers=bearer("read-token"))
    body = refused(response, 403)
    assert body["error"] == "insufficient_scope"
    assert 'error="insufficient_scope"' in challenges(response)
    assert 'scope="write"' in challenges(response)
    assert api.request("POST", "/sec/write", headers=bearer("good-token")).status == 200


def test_alternatives_are_ored(api):
    assert api.get("/sec/either", headers=basic("admin", "s3cret")).json()["user"] == "admin"
    assert api.get("/sec/either", headers={"X-API-Key": "key-123"}).json()["user"] == \
        "service-a"
    response = api.get("/sec/either")
    refused(response, 401)
    # one challenge per scheme of the failing alternatives
    assert response.header_values("WWW-Authenticate") == [
        'Basic realm="Secure fixture", charset="UTF-8"',
        'ApiKey realm="Secure fixture", in="header", name="X-API-Key"']


def test_schemes_in_one_requirement_are_anded(api):
    headers = dict(bearer("good-token"), **{"X-API-Key": "key-123"})
    assert api.get("/sec/both", headers=headers).status == 200
    refused(api.get("/sec/both", headers=bearer("good-token")), 401)
    refused(api.get("/sec/both", headers={"X-API-Key": "key-123"}), 401)


def test_optional_authentication(api):
    assert api.get("/sec/optional").json() == {"user": None}
    assert api.get("/sec/optional", headers=bearer("good-token")).json()["user"] == "alice"
    refused(api.get("/sec/optional", headers=bearer("nonsense")), 401)


def test_htpasswd_through_httpd_authn_providers(api):
    assert api.get("/sec/htpasswd", headers=basic("ann", "pa55word")).json()["user"] == "ann"
    response = api.get("/sec/htpasswd", headers=basic("ann", "wrong"))
    refused(response, 401)
    assert challenges(response).startswith('Basic realm="Secure fixture"')
    api.expect_log(r"AH01617: user ann: authentication failure")


def test_security_is_decided_before_parameters(api):
    # an unauthenticated client learns nothing about the parameters' schemas
    refused(api.get("/sec/read?n=notanumber"), 401)
    assert api.get("/sec/read?n=notanumber", headers=bearer("good-token")).status == 400


def test_realm_from_auth_name_and_problem_format(httpd):
    server = start(httpd, 'AuthName "Pets API"\nOpenAPIAuthErrorFormat problem')
    response = server.get("/sec/read", headers=bearer("nonsense"))
    assert response.status == 401
    assert response.content_type == "application/problem+json"
    assert 'Bearer realm="Pets API"' in challenges(response)


def test_secrets_never_reach_the_log(httpd):
    server = start(httpd, "LogLevel openapi:trace8 authn_file:debug")
    server.expect_log(r"AH01617")
    server.get("/sec/read", headers=bearer("good-token"))
    server.get("/sec/read", headers=bearer("nonsense-secret-token"))
    server.get("/sec/htpasswd", headers=basic("ann", "pa55word-wrong"))
    server.get("/sec/either", headers={"X-API-Key": "key-123"})
    log = server.error_log()
    for secret in ("good-token", "nonsense-secret-token", "pa55word", "key-123"):
        assert secret not in log


def test_a_scheme_without_a_check_fails_the_configuration(httpd, tmp_path):
    server = httpd("""
<Location /sec>
    OpenAPISpec specs/security/v3.yaml
    OpenAPIPlugin auth plugins/auth.so
    OpenAPIStub on
</Location>
""", start=False)
    code, output = server.configtest()
    assert code != 0
    assert re.search(r"security scheme '\w+'", output), output


@pytest.mark.parametrize("method, path, headers", [
    ("HEAD", "/sec/read", {}),
    ("OPTIONS", "/sec/read", {}),
    ("GET", "//sec/read", {}),
    ("GET", "/sec//read", {}),
    ("GET", "/sec/%72ead", {}),
    ("GET", "/sec/read.", {}),
    ("GET", "/sec/read;x=1", {}),
    ("GET", "/sec/read/", {}),
    ("GET", "/SEC/read", {}),
    ("GET", "/sec/READ", {}),
    ("POST", "/sec/read", {"X-HTTP-Method-Override": "GET"}),
    ("GET", "/sec/read", {"X-HTTP-Method-Override": "OPTIONS"}),
    ("GET", "/sec/read?access_token=", {}),
    ("GET", "/sec/read", {"Authorization": "Bearer"}),
    ("GET", "/sec/read", {"Authorization": "bearer  "}),
    ("GET", "/sec/read", {"Authorization": "Basic Z29vZC10b2tlbg=="}),
])
def test_bypass_attempts_never_reach_the_handler(api, method, path, headers):
    response = api.request(method, path, headers=headers)
    assert response.status in (400, 401, 403, 404, 405), response
    assert '"user"' not in response.body


def test_user_and_scopes_in_the_environment(httpd):
    server = start(httpd, 'Header always set X-Seen-User "%{OPENAPI_USER}e"\n'
                          '    Header always set X-Seen-Scopes "%{OPENAPI_SCOPES}e"')
    response = server.get("/sec/read", headers=bearer("good-token"))
    assert response.header("x-seen-user") == "alice"
    assert response.header("x-seen-scopes") == "read write"


@pytest.mark.parametrize("template, expected", [
    # a vendor's shape with an extra human title
    ('{"error": "{error}", "error_description": "{error_description}", '
     '"error_human_title": "Access denied ({status})"}',
     {"error": "invalid_token", "error_description": "the token is invalid",
      "error_human_title": "Access denied (401)"}),
    # the fault / faultstring shape of seed 002
    ('{"fault": {"faultstring": "{error_description}", "detail": {"errorcode": "{error}"}}}',
     {"fault": {"faultstring": "the token is invalid",
                "detail": {"errorcode": "invalid_token"}}}),
])
def test_refusal_body_template(httpd, template, expected):
    server = httpd(CONFIG.format(system="/usr/lib/apache2/modules",
                                 extra="OpenAPIAuthErrorTemplate refusal.json"), start=False)
    with open(os.path.join(server.root, "refusal.json"), "w") as f:
        f.write(template)
    os.chmod(os.path.join(server.root, "refusal.json"), 0o644)
    server.start()
    response = server.get("/sec/read", headers=bearer("nonsense"))
    assert response.status == 401
    assert response.content_type == "application/json"
    assert response.json() == expected
    assert 'error="invalid_token"' in challenges(response)


def test_broken_template_fails_the_configuration(httpd):
    server = httpd(CONFIG.format(system="/usr/lib/apache2/modules",
                                 extra="OpenAPIAuthErrorTemplate refusal.json"), start=False)
    with open(os.path.join(server.root, "refusal.json"), "w") as f:
        f.write('{"error": {error')
    os.chmod(os.path.join(server.root, "refusal.json"), 0o644)
    code, output = server.configtest()
    assert code != 0
    assert "OpenAPIAuthErrorTemplate: " in output and "refusal.json" in output, output


def test_api_keys_in_query_and_cookie(api):
    assert api.get("/sec/query-key?api_key=key-123").json()["user"] == "service-a"
    assert api.get("/sec/cookie-key", headers={"Cookie": "theme=dark; session=key-123"}) \
        .json()["user"] == "service-a"
    refused(api.get("/sec/query-key?api_key=wrong"), 401)
    response = api.get("/sec/cookie-key")
    refused(response, 401)
    assert challenges(response) == 'ApiKey realm="Secure fixture", in="cookie", name="session"'


def test_open_id_connect_is_a_bearer_scheme(api):
    assert api.get("/sec/oidc", headers=bearer("good-token")).json()["user"] == "alice"
    response = api.get("/sec/oidc")
    refused(response, 401)
    assert challenges(response) == 'Bearer realm="Secure fixture"'


FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def test_bearer_tokens_come_from_the_header_only_by_default(api):
    # RFC 6750 2.2 and 2.3 are off: an access_token there is no credential at all
    for response in (api.get("/sec/read?access_token=good-token"),
                     api.request("POST", "/sec/form", body="access_token=good-token&note=x",
                                 headers=FORM)):
        body = refused(response, 401)
        assert "error" not in body, body
        assert challenges(response) == 'Bearer realm="Secure fixture"'
    # ... but an ordinary parameter, validated and passed on as such
    assert api.get("/sec/optional?access_token=good-token").json() == {"user": None}
    response = api.request("POST", "/sec/form", body="access_token=x&note=y",
                           headers=dict(FORM, **bearer("good-token")))
    assert response.json()["user"] == "alice"


def test_query_tokens_when_the_location_allows_them(httpd):
    server = start(httpd, "OpenAPIBearerTokenFrom header query")
    assert server.get("/sec/read?access_token=good-token").json()["user"] == "alice"
    assert server.get("/sec/optional?access_token=good-token").json()["user"] == "alice"
    refused(server.get("/sec/read?access_token=nonsense"), 401)
    # one token, one method (RFC 6750 2)
    body = refused(server.get("/sec/read?access_token=good-token",
                              headers=bearer("good-token")), 400)
    assert body["error"] == "invalid_request"
    body = refused(server.get("/sec/read?access_token=good-token&access_token=good-token"),
                   400)
    assert body["error"] == "invalid_request"
    # the form body is still off here
    refused(server.request("POST", "/sec/form", body="access_token=good-token&note=x",
                           headers=FORM), 401)


def test_form_tokens_when_the_location_allows_them(httpd):
    server = start(httpd, "OpenAPIBearerTokenFrom header form")
    response = server.request("POST", "/sec/form", body="note=x&access_token=good-token",
                              headers=FORM)
    assert response.status == 200, response
    assert response.json()["user"] == "alice"
    refused(server.request("POST", "/sec/form", body="note=x&access_token=read-token",
                           headers=FORM), 403)
    body = refused(server.request("POST", "/sec/form", body="note=x&access_token=good-token",
                                  headers=dict(FORM, **bearer("good-token"))), 400)
    assert body["error"] == "invalid_request"
    # only a form-encoded body carries one (RFC 6750 2.2), and the query stays off
    refused(server.request("POST", "/sec/form", body='{"access_token": "good-token"}',
                           headers={"Content-Type": "application/json"}), 401)
    refused(server.get("/sec/read?access_token=good-token"), 401)
    # a body too large is refused before anything else
    big = server.request("POST", "/sec/form", body="note=" + "x" * (11 * 1024 * 1024),
                         headers=FORM)
    assert big.status == 413, big


def test_bearer_token_from_takes_known_words_only(httpd):
    server = httpd(CONFIG.format(system="/usr/lib/apache2/modules",
                                 extra="OpenAPIBearerTokenFrom header cookie"), start=False)
    code, output = server.configtest()
    assert code != 0
    assert "OpenAPIBearerTokenFrom: 'cookie' is not one of header, form, query" in output


def test_a_function_that_cannot_check_now_is_503(httpd):
    # openapi_credentials_unavailable(): a problem with its Retry-After, in every format
    for extra in ("", "OpenAPIAuthErrorFormat problem"):
        server = start(httpd, extra)
        response = server.get("/sec/read", headers=bearer("unavailable-token"))
        assert response.status == 503, response
        assert response.content_type == "application/problem+json"
        assert response.header("retry-after") == "7"
        assert response.header("cache-control") == "no-store"
        assert response.header("www-authenticate") is None
        assert "unavailable-token" not in response.body
        assert response.json()["status"] == 503
        server.stop()
