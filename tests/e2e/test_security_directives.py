"""The location's security directives, each through a real httpd: the functions a location
names for schemes that name none (OpenAPITokenInfoFunc, OpenAPIBearerInfoFunc,
OpenAPIBasicInfoFunc, OpenAPIApiKeyInfoFunc, OpenAPIScopeValidateFunc) and the httpd authn
providers checking Basic credentials (OpenAPIBasicProvider). The spec
(specs/security/defaults.yaml) names no function, so without the directives the
configuration fails (test_directives.py has those rows)."""
import base64

import pytest

SYSTEM = "/usr/lib/apache2/modules"

FUNCS = {
    "OpenAPITokenInfoFunc": "auth.token_info",
    "OpenAPIBearerInfoFunc": "auth.token_info",
    "OpenAPIBasicInfoFunc": "auth.basic_info",
    "OpenAPIApiKeyInfoFunc": "auth.apikey_info",
    "OpenAPIScopeValidateFunc": "auth.any_scope",
}


def location(path, leave_out=(), extra=""):
    """A location serving the fixture under `path`, with every function directive but
    those in leave_out."""
    lines = ["    %s %s" % (name, func) for name, func in FUNCS.items() if name not in leave_out]
    return """
<Location {path}>
    OpenAPISpec specs/security/defaults.yaml
    OpenAPIPlugin auth plugins/auth.so
    OpenAPIBasePath {path}
{lines}
{extra}
</Location>
""".format(path=path, lines="\n".join(lines), extra=extra)


@pytest.fixture(scope="module")
def api():
    """One server for the module: /def has every directive, /strict lacks
    OpenAPIScopeValidateFunc, /anon checks Basic with mod_authn_anon instead of a function."""
    from httpd import Httpd
    server = Httpd("""
LoadModule authn_core_module {system}/mod_authn_core.so
LoadModule authn_anon_module {system}/mod_authn_anon.so
""".format(system=SYSTEM) + location("/def") +
                   location("/strict", leave_out=("OpenAPIScopeValidateFunc",)) +
                   location("/anon", leave_out=("OpenAPIBasicInfoFunc",), extra="""
    OpenAPIBasicProvider anon
    Anonymous guest
    Anonymous_MustGiveEmail on
"""), name="secdirectives")
    server.start()
    yield server
    server.stop()
    problems = server.unexpected_log_lines() + server.sanitizer_reports()
    server.cleanup()
    assert not problems, "\n".join(problems)


def bearer(token):
    return {"Authorization": "Bearer " + token}


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(
        ("%s:%s" % (user, password)).encode()).decode()}


def test_token_info_func_checks_oauth2_tokens(api):
    answer = api.get("/def/oauth", headers=bearer("good-token"))
    assert answer.status == 200, answer
    assert answer.json()["user"] == "alice"  # what auth.token_info said
    refused = api.get("/def/oauth", headers=bearer("unknown-token"))
    assert refused.status == 401 and refused.json()["error"] == "invalid_token", refused


def test_bearer_info_func_checks_bearer_tokens(api):
    answer = api.get("/def/bearer", headers=bearer("read-token"))
    assert answer.status == 200, answer
    assert answer.json()["user"] == "bob"
    refused = api.get("/def/bearer", headers=bearer("unknown-token"))
    assert refused.status == 401 and refused.json()["error"] == "invalid_token", refused


def test_basic_info_func_checks_basic_credentials(api):
    answer = api.get("/def/basic", headers=basic("admin", "s3cret"))
    assert answer.status == 200, answer
    assert answer.json()["user"] == "admin"
    assert api.get("/def/basic", headers=basic("admin", "wrong")).status == 401


def test_api_key_info_func_checks_api_keys(api):
    answer = api.get("/def/key", headers={"X-API-Key": "key-123"})
    assert answer.status == 200, answer
    assert answer.json()["user"] == "service-a"
    assert api.get("/def/key", headers={"X-API-Key": "key-999"}).status == 401


def test_scope_validate_func_replaces_the_scope_rule(api):
    # read-token grants only "read"; /admin requires read and admin
    assert api.get("/def/admin", headers=bearer("read-token")).status == 200
    refused = api.get("/strict/admin", headers=bearer("read-token"))
    assert refused.status == 403, refused
    assert refused.json()["error"] == "insufficient_scope"
    # and a token granting none of them stays refused with the function
    assert api.get("/def/admin", headers=bearer("expired-token")).status == 401


def test_basic_provider_names_the_authn_providers(api):
    answer = api.get("/anon/basic", headers=basic("guest", "me@example.com"))
    assert answer.status == 200, answer
    assert answer.json()["user"] == "guest"
    # mod_authn_anon refuses other users: the function of /def would have taken admin
    assert api.get("/anon/basic", headers=basic("admin", "s3cret")).status == 401
