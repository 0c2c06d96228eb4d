"""The example's OAuth 2 authorization server (examples/petstore/auth.c) on the same httpd as
the petstore it protects: client_credentials, authorization_code with PKCE, rotating refresh
tokens, and every error of the vendor's list (seed 001) as the README's table produces it
with curl."""
import base64
import hashlib
import json
import urllib.parse

import pytest

EXAMPLE = """
<Location /v1>
    OpenAPISpec examples/petstore/petstore.yaml
    OpenAPIPlugin petstore plugins/petstore.so
    OpenAPIPlugin auth plugins/oauth.so
</Location>
"""

DEMO_BASIC = "Basic " + base64.b64encode(b"demo-app:demo-secret").decode()
VERIFIER = "dBjftJeZ4CVP-mJ92K9qkArXvaFq0BiPqGmklqbq0cw"


def challenge_of(verifier):
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


@pytest.fixture
def api(httpd):
    server = httpd(EXAMPLE)
    server.callback = "http://127.0.0.1:%d/callback" % server.port
    return server


def token(server, form, basic=None):
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if basic:
        headers["Authorization"] = basic
    return server.request("POST", "/v1/oauth/token", body=urllib.parse.urlencode(form),
                          headers=headers)


def oauth_error(response, status, error, description=None):
    assert response.status == status, response
    assert response.content_type.startswith("application/json"), response
    body = response.json()
    assert body["error"] == error, body
    if description:
        assert body["error_description"] == description, body
    return body


def authorize(server, **params):
    query = {"response_type": "code", "client_id": "demo-app",
             "redirect_uri": server.callback, "state": "xyz 1",
             "code_challenge": challenge_of(VERIFIER), "code_challenge_method": "S256"}
    query.update(params)
    query = {k: v for k, v in query.items() if v is not None}
    return server.get("/v1/oauth/authorize?" + urllib.parse.urlencode(query))


def redirect_query(response):
    assert response.status == 302, response
    location = response.header("location")
    base, _, query = location.partition("?")
    return base, dict(urllib.parse.parse_qsl(query))


def code_for(server, **params):
    base, query = redirect_query(authorize(server, **params))
    assert base == params.get("redirect_uri", server.callback)
    return query["code"]


def exchange(server, code, verifier=VERIFIER, basic=DEMO_BASIC, **extra):
    form = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": server.callback, "code_verifier": verifier}
    form.update(extra)
    return token(server, {k: v for k, v in form.items() if v is not None}, basic)


def client_token(server, scope="pets:read pets:write"):
    response = token(server, {"grant_type": "client_credentials", "scope": scope}, DEMO_BASIC)
    assert response.status == 200, response
    return response.json()["access_token"]


def call(server, method, path, access_token, body=None):
    headers = {"Authorization": "Bearer " + access_token}
    if body is not None:
        headers["Content-Type"] = "application/json"
        body = json.dumps(body)
    return server.request(method, path, body=body, headers=headers)


# ---- the flows ----

def test_client_credentials(api):
    for basic, form in ((DEMO_BASIC, {}),
                        (None, {"client_id": "demo-app", "client_secret": "demo-secret"})):
        form = dict(form, grant_type="client_credentials", scope="pets:read pets:write")
        response = token(api, form, basic)
        assert response.status == 200, response
        assert response.header("cache-control") == "no-store"
        assert response.header("pragma") == "no-cache"
        body = response.json()
        assert set(body) == {"access_token", "token_type", "expires_in", "scope"}  # no refresh
        assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
        assert body["scope"] == "pets:read pets:write"
        assert len(body["access_token"]) == 43
        created = call(api, "POST", "/v1/pets", body["access_token"], {"name": "Rex"})
        assert created.status == 201
        assert call(api, "GET", "/v1/pets", body["access_token"]).status == 200
    # a client's token has no user: the client is the access log's %u
    assert 'demo-app "POST /v1/pets' in api.access_log(wait_for='demo-app "POST /v1/pets')


def test_client_credentials_default_scope_is_the_clients(api):
    body = token(api, {"grant_type": "client_credentials"}, DEMO_BASIC).json()
    assert body["scope"] == "pets:read pets:write"


def test_authorization_code_with_pkce_and_state(api):
    response = authorize(api, state="xyz 1/&=")
    base, query = redirect_query(response)
    assert base == api.callback
    assert query["state"] == "xyz 1/&="
    assert response.header("cache-control") == "no-store"
    issued = exchange(api, query["code"])
    assert issued.status == 200, issued
    body = issued.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"] == "pets:read pets:write"
    assert body["refresh_token"] and body["refresh_token"] != body["access_token"]
    me = call(api, "GET", "/v1/me", body["access_token"])
    assert me.status == 200
    assert me.json() == {"sub": "demo-user", "client_id": "demo-app",
                         "scope": "pets:read pets:write"}
    created = call(api, "POST", "/v1/pets", body["access_token"], {"name": "Tom"})
    assert created.status == 201
    assert call(api, "GET", "/v1/pets", body["access_token"]).json() == [created.json()]
    assert 'demo-user "POST /v1/pets' in api.access_log(wait_for='demo-user "POST /v1/pets')


def test_plain_pkce_and_a_public_client(api):
    code = code_for(api, client_id="spa-app", scope="pets:read", code_challenge=VERIFIER,
                    code_challenge_method=None)
    issued = exchange(api, code, basic=None, client_id="spa-app")
    assert issued.status == 200, issued
    assert issued.json()["scope"] == "pets:read"


def test_redirect_uri_on_any_loopback_port_and_the_default(api):
    other = "http://127.0.0.1:9999/callback"
    code = code_for(api, redirect_uri=other)
    assert exchange(api, code, redirect_uri=other).status == 200
    # no redirect_uri: the registered one (port 8080), and none at the token endpoint
    base, query = redirect_query(authorize(api, redirect_uri=None))
    assert base == "http://127.0.0.1:8080/callback"
    assert exchange(api, query["code"], redirect_uri=None).status == 200


def test_a_mismatched_redirect_uri(api):
    code = code_for(api)
    oauth_error(exchange(api, code, redirect_uri="http://127.0.0.1:1/callback"), 400,
                "invalid_grant", "The redirect_uri does not match the authorization request")


def test_a_wrong_verifier(api):
    code = code_for(api)
    oauth_error(exchange(api, code, verifier="x" * 43), 400, "invalid_grant",
                "The code_verifier does not match the code_challenge")
    # the code was spent by the attempt
    oauth_error(exchange(api, code), 400, "invalid_grant")
    oauth_error(exchange(api, code_for(api), verifier=None), 400, "invalid_request",
                "Missing parameter: code_verifier is required")


def test_a_reused_code_is_refused_and_revokes_its_tokens(api):
    code = code_for(api)
    first = exchange(api, code)
    assert first.status == 200
    tokens = first.json()
    oauth_error(exchange(api, code), 400, "invalid_grant",
                "Authorization code doesn't exist or is invalid for the client")
    assert call(api, "GET", "/v1/pets", tokens["access_token"]).status == 401
    oauth_error(token(api, {"grant_type": "refresh_token",
                            "refresh_token": tokens["refresh_token"]}, DEMO_BASIC),
                400, "invalid_grant", "Invalid refresh token")


def test_a_code_is_bound_to_its_client(api):
    code = code_for(api)
    oauth_error(exchange(api, code, basic=None, client_id="spa-app"), 400, "invalid_grant",
                "Authorization code doesn't exist or is invalid for the client")


def test_refresh_tokens_rotate(api):
    first = exchange(api, code_for(api)).json()
    refreshed = token(api, {"grant_type": "refresh_token",
                            "refresh_token": first["refresh_token"]}, DEMO_BASIC)
    assert refreshed.status == 200, refreshed
    second = refreshed.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert second["scope"] == "pets:read pets:write"
    # the old refresh token is spent; the new one works, for a narrower scope too
    oauth_error(token(api, {"grant_type": "refresh_token",
                            "refresh_token": first["refresh_token"]}, DEMO_BASIC),
                400, "invalid_grant", "Invalid refresh token")
    narrower = token(api, {"grant_type": "refresh_token", "scope": "pets:read",
                           "refresh_token": second["refresh_token"]}, DEMO_BASIC)
    assert narrower.status == 200
    third = narrower.json()
    assert third["scope"] == "pets:read"
    assert call(api, "GET", "/v1/me", third["access_token"]).json()["sub"] == "demo-user"
    assert call(api, "POST", "/v1/pets", third["access_token"], {"name": "x"}).status == 403


def test_scope_enforcement(api):
    reader = client_token(api, "pets:read")
    assert call(api, "GET", "/v1/pets", reader).status == 200
    refused = call(api, "POST", "/v1/pets", reader, {"name": "Rex"})
    oauth_error(refused, 403, "insufficient_scope")
    assert 'scope="pets:write"' in refused.header("www-authenticate")
    assert call(api, "DELETE", "/v1/pets/1", reader).status == 403
    writer = client_token(api, "pets:write")
    assert call(api, "POST", "/v1/pets", writer, {"name": "Rex"}).status == 201
    assert call(api, "GET", "/v1/pets", writer).status == 403
    none = api.get("/v1/pets")
    assert none.status == 401
    assert none.header("www-authenticate").startswith("Bearer realm=")


def test_token_info_knows_only_live_access_tokens(api):
    tokens = exchange(api, code_for(api)).json()
    for bogus in (tokens["refresh_token"], "nope"):
        oauth_error(call(api, "GET", "/v1/pets", bogus), 401, "invalid_token")


# ---- authorization endpoint errors ----

@pytest.mark.parametrize("params, error, description", [
    ({"response_type": None}, "invalid_request", "Missing parameter: response_type is required"),
    ({"response_type": "token"}, "unsupported_response_type",
     "Only the response type code is supported"),
    ({"client_id": "spa-app", "scope": "pets:write"}, "invalid_scope",
     "The scope requested is invalid for this client"),
    ({"code_challenge": None}, "invalid_request",
     "Missing parameter: code_challenge is required (PKCE)"),
    ({"code_challenge_method": "S512"}, "invalid_request", "Transform algorithm not supported"),
    ({"code_challenge": "short"}, "invalid_request", "The code_challenge is malformed"),
])
def test_authorization_errors_are_redirected(api, params, error, description):
    base, query = redirect_query(authorize(api, **params))
    assert base == api.callback
    assert query == {"error": error, "error_description": description, "state": "xyz 1"}


@pytest.mark.parametrize("params, error", [
    ({"client_id": None}, "invalid_request"),
    ({"client_id": "nobody"}, "invalid_request"),
    ({"client_id": "old-app"}, "unauthorized_client"),
    ({"redirect_uri": "https://evil.example.com/callback"}, "invalid_request"),
    ({"redirect_uri": "http://127.0.0.1:8080/other"}, "invalid_request"),
])
def test_authorization_errors_never_redirect_elsewhere(api, params, error):
    response = authorize(api, **params)
    oauth_error(response, 400, error)
    assert response.header("location") is None


# ---- seed 001: every error of the vendor's list, as the README's table runs it ----

def test_seed_1_missing_code(api):
    oauth_error(token(api, {"grant_type": "authorization_code"}, DEMO_BASIC), 400,
                "invalid_request", "Missing parameter: code is required")


def test_seed_2_unknown_code(api):
    oauth_error(exchange(api, "no-such-code"), 400, "invalid_grant",
                "Authorization code doesn't exist or is invalid for the client")


def test_seed_3_missing_grant_type(api):
    oauth_error(token(api, {"client_id": "demo-app"}, DEMO_BASIC), 400, "invalid_request",
                "The grant type was not specified in the request")


def test_seed_4_invalid_scope(api):
    # a scope the spec does not declare (checked by the module) ...
    oauth_error(token(api, {"grant_type": "client_credentials", "scope": "admin"},
                      DEMO_BASIC), 400, "invalid_scope", "The scope admin is invalid")
    # ... and one this client may not have (checked by the plugin)
    tokens = exchange(api, code_for(api, scope="pets:read")).json()
    oauth_error(token(api, {"grant_type": "refresh_token", "scope": "pets:read pets:write",
                            "refresh_token": tokens["refresh_token"]}, DEMO_BASIC),
                400, "invalid_scope", "The scope requested is invalid for this client")
    # the refused request did not spend the refresh token
    assert token(api, {"grant_type": "refresh_token",
                       "refresh_token": tokens["refresh_token"]}, DEMO_BASIC).status == 200


def test_seed_5_inactive_client(api):
    response = token(api, {"grant_type": "client_credentials"},
                     "Basic " + base64.b64encode(b"old-app:old-secret").decode())
    oauth_error(response, 401, "invalid_client", "Client is not active")
    assert response.header("www-authenticate").startswith("Basic realm=")


@pytest.mark.parametrize("form, basic", [
    ({"client_id": "demo-app", "client_secret": "wrong"}, None),
    ({}, "Basic " + base64.b64encode(b"demo-app:wrong").decode()),
    ({"client_id": "nobody", "client_secret": "x"}, None),
    ({"client_id": "demo-app"}, None),
])
def test_seed_6_invalid_client_credentials(api, form, basic):
    response = token(api, dict(form, grant_type="client_credentials"), basic)
    oauth_error(response, 401, "invalid_client", "The client credentials are invalid")
    assert response.header("www-authenticate").startswith("Basic realm=")


def test_seed_7_invalid_access_token(api):
    response = call(api, "GET", "/v1/pets", "not-a-token")
    oauth_error(response, 401, "invalid_token")
    assert 'error="invalid_token"' in response.header("www-authenticate")


def test_seed_8_insufficient_scope(api):
    response = call(api, "POST", "/v1/pets", client_token(api, "pets:read"), {"name": "Rex"})
    oauth_error(response, 403, "insufficient_scope")


def test_seed_9_invalid_owner_in_token(api):
    response = call(api, "GET", "/v1/me", client_token(api))
    assert response.status == 400
    assert response.json() == {"error": {"status": 400, "title": "Bad Request",
                                         "detail": "Invalid owner in token"}}


def test_seed_10_unauthorized_client(api):
    oauth_error(token(api, {"grant_type": "client_credentials", "client_id": "spa-app"}), 400,
                "unauthorized_client", "The grant type is unauthorized for this client_id")


def test_seed_11_invalid_refresh_token(api):
    oauth_error(token(api, {"grant_type": "refresh_token", "refresh_token": "nope"},
                      DEMO_BASIC), 400, "invalid_grant", "Invalid refresh token")


def test_unsupported_grant_type(api):
    oauth_error(token(api, {"grant_type": "password"}, DEMO_BASIC), 400,
                "unsupported_grant_type")


def test_one_client_authentication_method_only(api):
    oauth_error(token(api, {"grant_type": "client_credentials", "client_secret": "demo-secret"},
                      DEMO_BASIC), 400, "invalid_request",
                "The client used more than one authentication method")
