"""The authorization matrix, generated: every security scheme in every requirement shape
(single, OR, AND, optional `{}`, open `[]`, the global requirement, per-operation
overrides of it) is served by a handler plugin (reach.so) whose answers carry
X-Reached: <operationId>. Each shape is asked with every method (HEAD for GET, methods
not declared, methods in the wrong case) x path spelling (`//`, `%2F`, `%2e`, `..`,
`;params`, case, trailing dot and slash, encoded letters, absolute form) x credentials
(none, wrong, too weak, each scheme's own, combinations). The oracle: whenever a handler
is reached, the credentials sent satisfy the requirement of the operation reached; and
on the canonical path a request is let through exactly when they do."""
import json
import os

import pytest

from hostile_client import build, exchange
from httpd import SANITIZE
from module_server import serve

INFO = "auth.%s"
SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "x-bearerInfoFunc": INFO % "token_info"},
    "basic": {"type": "http", "scheme": "basic", "x-basicInfoFunc": INFO % "basic_info"},
    "key": {"type": "apiKey", "in": "header", "name": "X-API-Key",
            "x-apikeyInfoFunc": INFO % "apikey_info"},
    "query_key": {"type": "apiKey", "in": "query", "name": "api_key",
                  "x-apikeyInfoFunc": INFO % "apikey_info"},
    "cookie_key": {"type": "apiKey", "in": "cookie", "name": "session",
                   "x-apikeyInfoFunc": INFO % "apikey_info"},
    "oauth": {"type": "oauth2", "x-tokenInfoFunc": INFO % "token_info",
              "flows": {"clientCredentials": {"tokenUrl": "/m/token",
                                              "scopes": {"read": "r", "write": "w"}}}},
}
GLOBAL = [{"bearer": []}]
INHERIT = None  # no `security` on the operation: the global requirement applies
DENIED_BY_HTTPD = [{"httpd denies it": []}]  # satisfied by nothing


def every(security):
    return {"get": security, "post": security, "delete": security}


# shape (a path segment) -> the security of its GET, POST and DELETE operations
SHAPES = {
    "single-bearer": every([{"bearer": []}]),
    "single-basic": every([{"basic": []}]),
    "single-key": every([{"key": []}]),
    "single-query-key": every([{"query_key": []}]),
    "single-cookie-key": every([{"cookie_key": []}]),
    "single-oauth-read": every([{"oauth": ["read"]}]),
    "single-oauth-write": every([{"oauth": ["write"]}]),
    "or-bearer-key": every([{"bearer": []}, {"key": []}]),
    "or-basic-cookie": every([{"basic": []}, {"cookie_key": []}]),
    "or-query-oauth-write": every([{"query_key": []}, {"oauth": ["write"]}]),
    "and-bearer-key": every([{"bearer": [], "key": []}]),
    "and-basic-query": every([{"basic": [], "query_key": []}]),
    "and-key-cookie": every([{"key": [], "cookie_key": []}]),
    "and-oauth-write-key": every([{"oauth": ["write"], "key": []}]),
    "or-of-ands": every([{"basic": [], "key": []}, {"bearer": [], "cookie_key": []}]),
    "optional-bearer": every([{}, {"bearer": []}]),
    "optional-key": every([{"key": []}, {}]),
    "open": every([]),
    "global": every(INHERIT),
    "override-key": every([{"key": []}]),
    "override-oauth-write": every([{"oauth": ["write"]}]),
    # one path, three requirements: methods must not borrow each other's
    "mixed": {"get": INHERIT, "post": [{"key": []}], "delete": []},
    "mixed-open-get": {"get": [], "post": [{"oauth": ["write"]}], "delete": [{"basic": []}]},
    # open in the spec, guarded by httpd's own configuration (HTTPD_GUARDS): no spelling of
    # the path or the method may get around <Location> and <Limit>
    "httpd-guarded": every([]),
    "httpd-limit": every([]),
}
HTTPD_GUARDS = """
<Location /m/httpd-guarded>
    Require all denied
</Location>
<Location /m/httpd-limit>
    <Limit POST DELETE>
        Require all denied
    </Limit>
</Location>
"""
# operations (shape, method) that httpd's configuration denies to everyone
DENIED = {("httpd-guarded", "get"), ("httpd-guarded", "post"), ("httpd-guarded", "delete"),
          ("httpd-limit", "post"), ("httpd-limit", "delete")}


def make_spec():
    paths, security_of = {}, {}
    n = 0
    for shape, methods in SHAPES.items():
        item = {}
        for method, security in methods.items():
            op_id = "reach.op%02d" % n
            n += 1
            operation = {"operationId": op_id, "responses": {"200": {"description": "ok"}}}
            if security is not INHERIT:
                operation["security"] = security
            item[method] = operation
            security_of[op_id] = GLOBAL if security is INHERIT else security
            if (shape, method) in DENIED:
                security_of[op_id] = DENIED_BY_HTTPD
        paths["/%s/res" % shape] = item
    spec = {"openapi": "3.0.3", "info": {"title": "Authorization matrix", "version": "1"},
            "servers": [{"url": "/m"}], "security": GLOBAL,
            "components": {"securitySchemes": SCHEMES}, "paths": paths}
    return spec, security_of


SPEC, SECURITY_OF = make_spec()

# Credentials: what each set presents, by kind: "good", "read" (a token with the read
# scope only), "bad". Token and basic share the Authorization header.
CREDENTIALS = {
    "none": {},
    "bad-token": {"token": "bad"},
    "good-token": {"token": "good"},
    "read-token": {"token": "read"},
    "good-basic": {"basic": "good"},
    "bad-basic": {"basic": "bad"},
    "good-key": {"key": "good"},
    "bad-key": {"key": "bad"},
    "good-query": {"query": "good"},
    "good-cookie": {"cookie": "good"},
    "token+key": {"token": "good", "key": "good"},
    "read-token+key": {"token": "read", "key": "good"},
    "basic+key": {"basic": "good", "key": "good"},
    "basic+query": {"basic": "good", "query": "good"},
    "key+cookie": {"key": "good", "cookie": "good"},
    "token+cookie": {"token": "good", "cookie": "good"},
    "all-but-basic": {"token": "good", "key": "good", "query": "good", "cookie": "good"},
}
TOKEN = {"good": "good-token", "read": "read-token", "bad": "unknown-token"}
BASIC = {"good": "YWRtaW46czNjcmV0", "bad": "YWRtaW46d3Jvbmc="}  # admin:s3cret, admin:wrong
KEY = {"good": "key-123", "bad": "key-999"}


def scheme_satisfied(scheme, scopes, creds):
    if scheme not in SCHEMES:
        return False  # DENIED_BY_HTTPD
    if scheme == "bearer":
        return creds.get("token") in ("good", "read")
    if scheme == "oauth":
        granted = {"good": {"read", "write"}, "read": {"read"}}.get(creds.get("token"), None)
        return granted is not None and set(scopes) <= granted
    kind = {"basic": "basic", "key": "key", "query_key": "query", "cookie_key": "cookie"}[scheme]
    return creds.get(kind) == "good"


def satisfied(security, creds):
    if not security:  # `security: []`: open
        return True
    return any(all(scheme_satisfied(s, scopes, creds) for s, scopes in alternative.items())
               for alternative in security)


def request(method, target, creds):
    headers = []
    if "token" in creds:
        headers.append(("Authorization", "Bearer " + TOKEN[creds["token"]]))
    if "basic" in creds:
        headers.append(("Authorization", "Basic " + BASIC[creds["basic"]]))
    if "key" in creds:
        headers.append(("X-API-Key", KEY[creds["key"]]))
    if "cookie" in creds:
        headers.append(("Cookie", "session=" + KEY[creds["cookie"]]))
    if "query" in creds:
        target += ("&" if "?" in target else "?") + "api_key=" + KEY[creds["query"]]
    return build(method, target, headers)


def spellings(shape):
    """The canonical path and the ways of writing it (or something near it) that a
    router or httpd might normalize differently."""
    upper = shape.upper()
    return [
        "/m/%s/res" % shape, "/m//%s/res" % shape, "/m/%s//res" % shape,
        "//m/%s/res" % shape, "/m/%s%%2Fres" % shape, "/m/%s%%2fres" % shape,
        "/m/%s/%%2e/res" % shape, "/m/x/%%2e%%2e/%s/res" % shape, "/m/%s/res/%%2e" % shape,
        "/m/%s/res/." % shape, "/m/%s/./res" % shape, "/m/open/../%s/res" % shape,
        "/m/open/res/../../%s/res" % shape, "/m/%s/res/../res" % shape,
        "/m/%s/res;x=1" % shape, "/m/%s;x=1/res" % shape, "/m/%s/res;" % shape,
        "/m/%s/res" % upper, "/M/%s/res" % shape, "/m/%s/RES" % shape,
        "/m/%s/res." % shape, "/m/%s/res/" % shape, "/m/%s/res%%20" % shape,
        "/m/%s/%%72es" % shape, "/m/%s/%%2572es" % shape, "/m/%%%02x%s/res" % (ord(shape[0]), shape[1:]),
        "/m/%%25%02x%s/res" % (ord(shape[0]), shape[1:]), "/m/%s%%252Fres" % shape, "/m/%s/res%%00" % shape,
        "/m/%s/res?/../../open/res" % shape, "/m/%s/res#x" % shape,
        "http://127.0.0.1/m/%s/res" % shape,
    ]


KNOWN_METHODS = {"GET", "HEAD", "POST", "DELETE", "PUT", "PATCH", "OPTIONS"}
METHODS = ["GET", "HEAD", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "get", "Post", "delete"]
SECONDS = 30 if SANITIZE else 5


def write_spec(server):
    with open(os.path.join(server.root, "matrix.json"), "w") as f:
        json.dump(SPEC, f, indent=1)
    os.chmod(os.path.join(server.root, "matrix.json"), 0o644)


@pytest.fixture(scope="module")
def server():
    yield from serve("""
<Location /m>
    OpenAPISpec @ROOT@/matrix.json
    OpenAPIPlugin reach plugins/reach.so
    OpenAPIPlugin auth plugins/auth.so
</Location>
""" + HTTPD_GUARDS, "authz", prepare=write_spec)


def reached_operation(answer):
    return answer.header("x-reached")


@pytest.mark.parametrize("shape", list(SHAPES))
def test_no_request_reaches_a_handler_without_what_the_spec_demands(server, shape):
    violations = []
    count = 0
    for target in spellings(shape):
        for method in METHODS:
            for name, creds in CREDENTIALS.items():
                answer = exchange(server.port, request(method, target, creds),
                                  timeout=SECONDS + 5)
                count += 1
                if answer.seconds > SECONDS:
                    violations.append("%s %s [%s]: took %.1f s" % (method, target, name,
                                                                   answer.seconds))
                # httpd itself answers 501 to a method it does not know ("get") on a
                # path no module claims
                if answer.status is None or answer.status >= 500 and not (
                        answer.status == 501 and method not in KNOWN_METHODS):
                    violations.append("%s %s [%s]: status %s" % (method, target, name,
                                                                 answer.status))
                op_id = reached_operation(answer)
                if op_id and not satisfied(SECURITY_OF[op_id], creds):
                    violations.append("%s %s [%s] reached %s, which demands %s" % (
                        method, target, name, op_id, json.dumps(SECURITY_OF[op_id])))
    assert count >= 1000
    assert not violations, "%d of %d requests:\n%s" % (len(violations), count,
                                                       "\n".join(violations[:30]))


@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_canonical_path_lets_through_exactly_what_the_spec_allows(server, shape):
    """The other direction, so that the matrix cannot pass by refusing everything: on the
    canonical path a declared method reaches its own handler exactly when the credentials
    satisfy it (and carry nothing wrong: a bad credential sent is refused even where
    another alternative holds)."""
    wrong = []
    for method in ("GET", "HEAD", "POST", "DELETE"):
        security = SHAPES[shape]["get" if method == "HEAD" else method.lower()]
        security = GLOBAL if security is INHERIT else security
        if (shape, "get" if method == "HEAD" else method.lower()) in DENIED:
            security = DENIED_BY_HTTPD
        for name, creds in CREDENTIALS.items():
            answer = exchange(server.port, request(method, "/m/%s/res" % shape, creds))
            op_id = reached_operation(answer)
            if "bad" in creds.values():
                if op_id and not satisfied(security, creds):
                    wrong.append("%s [%s]: reached" % (method, name))
                continue
            expected = satisfied(security, creds)
            if bool(op_id) != expected or (expected and answer.status != 200):
                wrong.append("%s [%s]: %s, reached %s; expected %s" % (
                    method, name, answer.status, op_id, "200" if expected else "a refusal"))
            if not expected and answer.status not in (401, 403):
                wrong.append("%s [%s]: refused with %s, not 401/403" % (method, name,
                                                                       answer.status))
    assert not wrong, "\n".join(wrong)


def test_the_matrix_covers_every_scheme_and_shape():
    used = {scheme for security in SECURITY_OF.values() for alt in security for scheme in alt}
    assert used - {"httpd denies it"} == set(SCHEMES)
    shapes = [s for s in SHAPES]
    assert any(s.startswith("single") for s in shapes) and any(s.startswith("or") for s in shapes)
    assert any(s.startswith("and") for s in shapes) and any(s.startswith("optional") for s in shapes)
    assert "open" in shapes and "global" in shapes and any(s.startswith("override") for s in shapes)
