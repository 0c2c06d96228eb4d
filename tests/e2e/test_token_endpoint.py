"""An OAuth 2 token endpoint served by the module: RFC 6749 section 5.2 errors for requests
that do not fit, the section 5.1 response, and no-store caching headers on every answer.
error_description may not hold '"' (RFC 6749 section 5.2), so the vendor wording
'Missing parameter: "code" is required' goes out without the quotes."""
import pytest

CONFIG = """
<Location /auth>
    OpenAPISpec specs/token.yaml
    OpenAPIPlugin auth plugins/auth.so
</Location>
"""


@pytest.fixture
def api(httpd):
    return httpd(CONFIG)


def token(server, form, headers=None):
    all_headers = {"Content-Type": "application/x-www-form-urlencoded"}
    all_headers.update(headers or {})
    return server.request("POST", "/auth/token", body=form, headers=all_headers)


def oauth_error(response, status, error):
    assert response.status == status, response
    assert response.content_type.startswith("application/json"), response
    assert response.header("cache-control") == "no-store"
    assert response.header("pragma") == "no-cache"
    body = response.json()
    assert body["error"] == error, body
    return body


@pytest.mark.parametrize("form, status, error, description", [
    ("client_id=app", 400, "invalid_request", "The grant type was not specified in the request"),
    ("grant_type=password&client_id=app", 400, "unsupported_grant_type", None),
    ("grant_type=client_credentials&client_id=app&scope=read+bogus", 400, "invalid_scope",
     None),
    ("grant_type=client_credentials", 400, "invalid_request",
     "Missing parameter: client_id is required"),
    ("grant_type=authorization_code&client_id=app", 400, "invalid_request",
     "Missing parameter: code is required"),
    ("grant_type=authorization_code&client_id=app&code=bad", 400, "invalid_grant",
     "Authorization code doesn't exist or is invalid for the client"),
])
def test_errors(api, form, status, error, description):
    body = oauth_error(token(api, form), status, error)
    if description:
        assert body["error_description"] == description


def test_invalid_client_is_401_with_the_clients_scheme(api):
    response = token(api, "grant_type=client_credentials&client_id=inactive",
                     headers={"Authorization": "Basic aW5hY3RpdmU6eA=="})
    oauth_error(response, 401, "invalid_client")
    assert response.header("www-authenticate").startswith("Basic realm=")


def test_success(api):
    response = token(api, "grant_type=authorization_code&client_id=app&code=good-code")
    assert response.status == 200
    assert response.header("cache-control") == "no-store"
    assert response.header("pragma") == "no-cache"
    assert response.json() == {"access_token": "token-1", "token_type": "Bearer",
                               "expires_in": 3600, "refresh_token": "refresh-1",
                               "scope": "read"}
    assert token(api, "grant_type=refresh_token&client_id=app").status == 200


def test_authorization_error_redirects_to_a_registered_uri(api):
    response = api.get("/auth/authorize?redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb"
                       "&state=xyz%201")
    assert response.status == 302
    assert response.header("location") == (
        "https://client.example.com/cb?error=access_denied"
        "&error_description=The%20user%20denied%20access&state=xyz%201")


@pytest.mark.parametrize("uri", [
    "https%3A%2F%2Fevil.example.com%2Fcb",          # not registered
    "https%3A%2F%2Fclient.example.com%2Fcb%23frag",  # a fragment
    "%2Fcb",                                         # not absolute
])
def test_authorization_error_never_redirects_elsewhere(api, uri):
    response = api.get("/auth/authorize?redirect_uri=" + uri)
    assert response.status == 400
    assert response.header("location") is None
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize("form, error, description", [
    # RFC 6749 section 5.2: a grant type the endpoint's own schema refuses (enum) is
    # unsupported_grant_type, though a flow of the spec offers it
    ("grant_type=authorization_code&client_id=app", "unsupported_grant_type",
     "The grant type authorization_code is not supported"),
    # ... whatever else is wrong with the request
    ("grant_type=authorization_code&client_id=APP", "unsupported_grant_type", None),
    # a declared scope the schema refuses is invalid_scope
    ("grant_type=client_credentials&client_id=app&scope=read", "invalid_scope",
     "The scope read is invalid"),
    # other schema errors stay invalid_request
    ("grant_type=client_credentials&client_id=APP", "invalid_request", None),
])
def test_the_endpoints_own_schema_decides_grant_types_and_scopes(api, form, error,
                                                                 description):
    response = api.request("POST", "/auth/token-narrow", body=form,
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    body = oauth_error(response, 400, error)
    if description:
        assert body["error_description"] == description


def test_a_grant_type_the_schema_allows_is_issued(api):
    response = api.request("POST", "/auth/token-narrow",
                           body="grant_type=client_credentials&client_id=app&scope=admin",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status == 200, response
    assert response.json()["access_token"] == "token-2"
