"""Tokens checked without code through a real httpd: x-tokenInfoUrl (Connexion: GET with
the token as a Bearer credential) and OpenAPITokenIntrospection (RFC 7662: POST with HTTP
Basic client authentication) against a real endpoint on loopback (a Python http.server in
a thread of this process), answers cached in an socache (shmcb; memcache when memcached
is installed), 503 when the endpoint cannot answer."""
import base64
import json
import os
import re
import shutil
import signal
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from httpd import BUILD_DIR, free_port

SYSTEM = "/usr/lib/apache2/modules"
CLIENT_ID, CLIENT_SECRET = "client-1", "s3cret:with/odd chars"

CONFIG = """
{load}
<Location /api>
    OpenAPISpec specs/introspect.yaml
    OpenAPIPlugin auth plugins/fixture-auth.so
    OpenAPITokenIntrospection {introspect} {client_id} "{secret}"
    {extra}
</Location>
<Location /papi>
    OpenAPISpec specs/introspect.yaml
    OpenAPIBasePath /papi
    OpenAPIPlugin auth plugins/fixture-auth.so
    OpenAPITokenIntrospection {introspect} {client_id} "{secret}"
    OpenAPIAuthErrorFormat problem
    {extra}
</Location>
"""
LOAD_SHMCB = "LoadModule socache_shmcb_module %s/mod_socache_shmcb.so" % SYSTEM


class Endpoint:
    """A token info URL (GET /tokeninfo) and an RFC 7662 endpoint (POST /introspect)."""

    def __init__(self):
        self.calls = {"/tokeninfo": 0, "/introspect": 0, "/tokeninfo-other": 0}
        self.fail = False      # answer fail_status (500), with retry_after when set
        self.fail_status = 500
        self.retry_after = None
        self.garbage = False   # answer 200 with a body that is not JSON
        self.lock = threading.Lock()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, status, body):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                if status == endpoint.fail_status and endpoint.retry_after:
                    self.send_header("Retry-After", endpoint.retry_after)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path not in ("/tokeninfo", "/tokeninfo-other"):
                    return self.answer(404, {})
                with endpoint.lock:
                    endpoint.calls[self.path] += 1
                if endpoint.fail:
                    return self.answer(endpoint.fail_status, {"error": "down"})
                if endpoint.garbage:
                    return self.answer(200, b"<html>not json</html>")
                auth = self.headers.get("Authorization", "")
                if not auth.startswith("Bearer "):
                    return self.answer(401, {})
                if self.path == "/tokeninfo-other":
                    # disagrees with /tokeninfo: refuses "good", accepts "other"
                    if auth == "Bearer other":
                        return self.answer(200, {"sub": "dave", "scope": "read"})
                    return self.answer(401, {})
                info = endpoint.token_info(auth[len("Bearer "):], introspection=False)
                return self.answer(200, info) if info else self.answer(401, {})

            def do_POST(self):
                if self.path != "/introspect":
                    return self.answer(404, {})
                length = int(self.headers.get("Content-Length", "0"))
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                with endpoint.lock:
                    endpoint.calls["/introspect"] += 1
                if endpoint.fail:
                    return self.answer(endpoint.fail_status, {"error": "down"})
                if endpoint.garbage:
                    return self.answer(200, b"not json")
                # RFC 6749 2.3.1: id and secret form-encoded, then Basic
                expected = "Basic " + base64.b64encode(
                    ("%s:%s" % (urllib.parse.quote(CLIENT_ID, safe=""),
                                urllib.parse.quote(CLIENT_SECRET, safe=""))).encode()).decode()
                if self.headers.get("Authorization") != expected:
                    return self.answer(401, {"error": "invalid_client"})
                if self.headers.get("Content-Type") != "application/x-www-form-urlencoded":
                    return self.answer(400, {"error": "invalid_request"})
                token = form.get("token", [""])[0]
                info = endpoint.token_info(token, introspection=True)
                return self.answer(200, info or {"active": False})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def token_info(self, token, introspection):
        now = int(time.time())
        infos = {
            "good": {"sub": "alice", "scope": "read write", "exp": now + 3600},
            "reader": {"sub": "bob", "scope": "read", "exp": now + 3600},
            "expired": {"sub": "carol", "scope": "read", "exp": now - 10},
            "inactive": {"active": False},
        }
        info = infos.get(token)
        if info is None:
            return None
        info = dict(info)
        if introspection and "active" not in info:
            info["active"] = True
        if not introspection and info.get("active") is False:
            return None  # a token info URL refuses it
        return info

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def endpoint():
    made = Endpoint()
    yield made
    made.close()


def closed_port():
    return free_port()  # nothing listens there once the probe socket is closed


def make_server(httpd, endpoint, extra="", load=LOAD_SHMCB, introspect=None,
                tokeninfo=None, start=True, name="httpd", config=CONFIG):
    server = httpd(config.format(load=load, extra=extra,
                                 introspect=introspect or endpoint.url("/introspect"),
                                 client_id=CLIENT_ID, secret=CLIENT_SECRET),
                   start=False, name=name)
    # the fixture plugin under its own name: an example may build a plugin of the same name
    shutil.copy(os.path.join(BUILD_DIR, "tests/fixtures/plugins/auth.so"),
                os.path.join(server.root, "plugins", "fixture-auth.so"))
    for name in ("introspect.yaml", "introspect_mock.yaml"):
        spec = os.path.join(server.root, "specs", name)
        with open(spec) as f:
            text = f.read()
        with open(spec, "w") as f:
            f.write(text.replace("@TOKENINFO_URL@", tokeninfo or endpoint.url("/tokeninfo"))
                    .replace("@REFUSING_URL@", endpoint.url("/tokeninfo-other")))
    return server.start() if start else server


@pytest.fixture
def api(httpd, endpoint):
    return make_server(httpd, endpoint)


def bearer(token):
    return {"Authorization": "Bearer " + token}


def test_valid_token_by_introspection(api, endpoint):
    response = api.get("/api/introspect/read", headers=bearer("good"))
    assert response.status == 200, response
    assert response.json()["user"] == "alice"
    assert response.json()["token_info"]["active"] is True
    assert endpoint.calls["/introspect"] == 1


def test_valid_token_by_token_info_url(api, endpoint):
    response = api.get("/api/info/read", headers=bearer("good"))
    assert response.status == 200, response
    assert response.json() == {"user": "alice", "token_info": response.json()["token_info"]}
    assert response.json()["token_info"]["scope"] == "read write"
    assert endpoint.calls["/tokeninfo"] == 1
    assert 'alice "GET /api/info/read' in api.access_log(wait_for='alice "GET /api/info/read')


def test_scopes_come_from_the_endpoint(api):
    response = api.get("/api/introspect/write", headers=bearer("reader"))
    assert response.status == 403, response
    assert response.json()["error"] == "insufficient_scope"
    assert api.get("/api/introspect/write", headers=bearer("good")).status == 200


def test_inactive_token_is_invalid_token(api, endpoint):
    response = api.get("/api/introspect/read", headers=bearer("inactive"))
    assert response.status == 401, response
    assert response.json()["error"] == "invalid_token"
    assert "not active" in response.json()["error_description"]
    assert 'error="invalid_token"' in response.header("WWW-Authenticate")
    unknown = api.get("/api/introspect/read", headers=bearer("nobody-knows"))
    assert unknown.status == 401 and unknown.json()["error"] == "invalid_token"
    # a token info URL that refuses the token (4xx)
    refused = api.get("/api/info/read", headers=bearer("inactive"))
    assert refused.status == 401 and refused.json()["error"] == "invalid_token"


def test_expired_token_is_invalid_token(api):
    for path in ("/api/introspect/read", "/api/info/read"):
        response = api.get(path, headers=bearer("expired"))
        assert response.status == 401, response
        assert response.json()["error"] == "invalid_token"
        assert "expired" in response.json()["error_description"]


def test_no_token_does_not_call_the_endpoint(api, endpoint):
    response = api.get("/api/introspect/read")
    assert response.status == 401
    assert endpoint.calls == {"/tokeninfo": 0, "/introspect": 0, "/tokeninfo-other": 0}


def unavailable(response, retry_after=None):
    """A 503 for credentials that could not be checked: an RFC 9457 problem in every
    error format (it is not an OAuth error), nothing about the token, not cached."""
    assert response.status == 503, response
    assert response.content_type == "application/problem+json", response
    assert response.json() == {
        "type": "about:blank", "title": "Service Unavailable", "status": 503,
        "detail": "the credentials could not be checked now; try again later"}, response
    assert response.header("WWW-Authenticate") is None
    assert response.header("Cache-Control") == "no-store"
    assert response.header("Retry-After") == retry_after, response
    for secret in ("good", "alice", "Bearer"):
        assert secret not in response.body


@pytest.mark.parametrize("failure", ["fail", "garbage"])
def test_failing_endpoint_is_503_and_never_a_pass(api, endpoint, failure):
    api.expect_log(r"OAPI0202[12]")
    setattr(endpoint, failure, True)
    for path in ("/api/introspect/read", "/api/info/read", "/papi/introspect/read"):
        unavailable(api.get(path, headers=bearer("good")))
    # nothing was cached: the endpoint answers again once it is back
    setattr(endpoint, failure, False)
    assert api.get("/api/introspect/read", headers=bearer("good")).status == 200


def test_endpoint_down_is_503(httpd, endpoint):
    down = "http://127.0.0.1:%d/introspect" % closed_port()
    server = make_server(httpd, endpoint, introspect=down,
                         tokeninfo="http://127.0.0.1:%d/tokeninfo" % closed_port())
    server.expect_log(r"OAPI02020")
    for path in ("/api/introspect/read", "/api/info/read", "/papi/introspect/read"):
        unavailable(server.get(path, headers=bearer("good")))


def test_answers_are_cached(api, endpoint):
    for _ in range(3):
        assert api.get("/api/introspect/read", headers=bearer("good")).json()["user"] == \
            "alice"
        assert api.get("/api/info/read", headers=bearer("good")).json()["user"] == "alice"
    assert endpoint.calls == {"/tokeninfo": 1, "/introspect": 1, "/tokeninfo-other": 0}
    # another token is another entry
    assert api.get("/api/introspect/read", headers=bearer("reader")).status == 200
    assert endpoint.calls["/introspect"] == 2


def test_inactive_answers_are_not_cached_as_valid(api, endpoint):
    for _ in range(2):
        assert api.get("/api/introspect/read", headers=bearer("inactive")).status == 401
    assert api.get("/api/introspect/read", headers=bearer("good")).status == 200


def test_refusals_are_cached_with_the_same_answer(api, endpoint):
    """An inactive token (RFC 7662) and a token the token info URL refuses (4xx) are
    remembered too: a client repeating a bad token costs the endpoint one call."""
    for path in ("/api/introspect/read", "/api/info/read"):
        answers = [api.get(path, headers=bearer("inactive")) for _ in range(3)]
        assert [a.status for a in answers] == [401] * 3
        first = answers[0]
        for later in answers[1:]:
            assert later.header("WWW-Authenticate") == first.header("WWW-Authenticate")
            assert later.json() == first.json()
        assert 'error="invalid_token"' in first.header("WWW-Authenticate")
    assert endpoint.calls["/introspect"] == 1
    assert endpoint.calls["/tokeninfo"] == 1


def test_refusals_expire_with_a_short_ttl(httpd, endpoint):
    server = make_server(httpd, endpoint, extra="OpenAPITokenCacheTTL 1")
    for _ in range(2):
        assert server.get("/api/introspect/read", headers=bearer("inactive")).status == 401
    assert endpoint.calls["/introspect"] == 1
    time.sleep(1.5)
    assert server.get("/api/introspect/read", headers=bearer("inactive")).status == 401
    assert endpoint.calls["/introspect"] == 2


def test_cache_entries_expire_after_the_ttl(httpd, endpoint):
    server = make_server(httpd, endpoint, extra="OpenAPITokenCacheTTL 1")
    assert server.get("/api/introspect/read", headers=bearer("good")).status == 200
    assert server.get("/api/introspect/read", headers=bearer("good")).status == 200
    assert endpoint.calls["/introspect"] == 1
    time.sleep(1.5)
    assert server.get("/api/introspect/read", headers=bearer("good")).status == 200
    assert endpoint.calls["/introspect"] == 2


def test_tokens_and_secrets_never_reach_the_log(httpd, endpoint):
    server = make_server(httpd, endpoint, extra="LogLevel warn openapi:trace8")
    server.get("/api/introspect/read", headers=bearer("good"))
    server.get("/api/info/read", headers=bearer("reader"))
    server.stop()
    log = server.error_log()
    for secret in ("good", "reader", CLIENT_SECRET):
        assert "Bearer " + secret not in log and "token=" + secret not in log
    assert CLIENT_SECRET not in log


def test_configtest_names_the_missing_socache_module(httpd, endpoint):
    server = make_server(httpd, endpoint, load="", start=False)
    code, output = server.configtest()
    assert code != 0
    assert "OpenAPITokenIntrospection needs an socache provider: LoadModule " \
           "socache_shmcb_module" in output


def test_unknown_cache_provider_names_its_module(httpd, endpoint):
    server = make_server(httpd, endpoint, extra="OpenAPITokenCache redis:127.0.0.1:1",
                         start=False)
    code, output = server.configtest()
    assert code != 0
    assert "needs an socache provider: LoadModule socache_redis_module" in output


def test_memcache_is_shared_between_servers(httpd, endpoint, memcached):
    port = memcached
    load = "LoadModule socache_memcache_module %s/mod_socache_memcache.so" % SYSTEM
    extra = "OpenAPITokenCache memcache:127.0.0.1:%d" % port
    first = make_server(httpd, endpoint, load=load, extra=extra, name="mc1")
    second = make_server(httpd, endpoint, load=load, extra=extra, name="mc2")
    assert first.get("/api/introspect/read", headers=bearer("good")).status == 200
    assert endpoint.calls["/introspect"] == 1
    response = second.get("/api/introspect/read", headers=bearer("good"))
    assert response.status == 200 and response.json()["user"] == "alice"
    assert endpoint.calls["/introspect"] == 1  # the second server's cache hit


def test_graceful_restart_keeps_validating(api, endpoint):
    import os
    import time
    assert api.get("/api/introspect/read", headers=bearer("good")).status == 200
    with open(os.path.join(api.root, "httpd.pid")) as f:
        parent = int(f.read().strip())
    assert parent == api.process.pid
    os.kill(parent, signal.SIGUSR1)  # graceful restart of the httpd this test started
    deadline = time.time() + 20
    while time.time() < deadline and \
            api.error_log().count("resuming normal operations") < 2:
        time.sleep(0.1)
    assert api.error_log().count("resuming normal operations") == 2, api.error_log()
    assert api.get("/api/introspect/read", headers=bearer("good")).status == 200
    assert api.get("/api/introspect/read", headers=bearer("inactive")).status == 401


@pytest.mark.parametrize("status", [500, 503])
def test_unavailable_endpoint_passes_its_retry_after_on(api, endpoint, status):
    api.expect_log(r"OAPI02021")
    endpoint.fail, endpoint.fail_status, endpoint.retry_after = True, status, "17"
    for path in ("/api/introspect/read", "/api/info/read", "/papi/introspect/read"):
        unavailable(api.get(path, headers=bearer("good")), retry_after="17")
    # an HTTP date works too; an absurd wait is capped at an hour
    endpoint.retry_after = "Wed, 21 Oct 2099 07:28:00 GMT"
    unavailable(api.get("/api/info/read", headers=bearer("reader")), retry_after="3600")


@pytest.mark.parametrize("status", [408, 429])
def test_a_busy_token_info_url_is_unavailable_not_a_refusal(api, endpoint, status):
    # 408 and 429 say nothing about the token: retry later, do not call it invalid
    api.expect_log(r"OAPI02021")
    endpoint.fail, endpoint.fail_status, endpoint.retry_after = True, status, "5"
    unavailable(api.get("/api/info/read", headers=bearer("good")), retry_after="5")


def test_a_token_one_endpoint_accepts_is_never_valid_for_another(api, endpoint):
    # /tokeninfo accepts "good" and refuses "other"; /tokeninfo-other does the opposite.
    # Each order twice, so the second round comes from the cache where there is one.
    for _ in range(2):
        assert api.get("/api/info/read", headers=bearer("good")).status == 200
        assert api.get("/api/refusing/read", headers=bearer("good")).status == 401
        assert api.get("/api/refusing/read", headers=bearer("other")).status == 200
        assert api.get("/api/info/read", headers=bearer("other")).status == 401
    for _ in range(2):
        assert api.get("/api/refusing/read", headers=bearer("good")).status == 401
        assert api.get("/api/introspect/read", headers=bearer("other")).status == 401
        assert api.get("/api/refusing/read", headers=bearer("other")).json()["user"] == "dave"
    # the answers were cached, each under its own endpoint
    # (refusals too: "other" refused by /tokeninfo once)
    assert endpoint.calls["/tokeninfo"] == 2


MOCK_CONFIG = """
{load}
<Location /mock>
    OpenAPISpec specs/introspect_mock.yaml
    {extra}
</Location>
"""


@pytest.mark.parametrize("mode", ["OpenAPIMock all", "OpenAPIStub on"])
def test_mock_and_stub_modes_still_check_tokens(httpd, endpoint, mode):
    server = make_server(httpd, endpoint, config=MOCK_CONFIG, extra=mode)
    server.expect_log(r"OAPI05000: <Location /mock> at .*: security scheme 'key' \(apikey\) "
                      r"has no way to check credentials: in (mock|stub) mode any well-formed "
                      r"credential passes \(presence only\)")
    ok = 200 if mode == "OpenAPIMock all" else 501
    for path in ("/mock/bearer", "/mock/oidc"):
        # x-tokenInfoUrl on http bearer and openIdConnect schemes is used
        refused = server.get(path, headers=bearer("nonsense"))
        assert refused.status == 401, refused
        assert refused.json()["error"] == "invalid_token"
        assert server.get(path, headers=bearer("good")).status == ok
        assert server.get(path).status == 401
    # AND: the scheme that can be checked is, even next to one that cannot
    key = {"X-API-Key": "anything"}
    assert server.get("/mock/key-and-bearer", headers=dict(key, **bearer("nonsense"))) \
        .status == 401
    assert server.get("/mock/key-and-bearer", headers=dict(key, **bearer("good"))) \
        .status == ok
    assert server.get("/mock/key-and-bearer", headers=bearer("good")).status == 401
    server.stop()
    # warned once, in the error log, naming the scheme (httpd reads its config twice)
    assert len(re.findall(r"OAPI05000", server.error_log())) == 1, server.error_log()


def test_presence_only_is_warned_by_configtest(httpd, endpoint):
    server = make_server(httpd, endpoint, config=MOCK_CONFIG, extra="OpenAPIMock all",
                         start=False)
    code, output = server.configtest()
    assert code == 0, output
    assert "OAPI05000" in output and "security scheme 'key'" in output
    assert "bearer_info" not in output and "oidc_info" not in output
