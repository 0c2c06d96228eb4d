"""JWT access tokens validated by the module (no plugin): a real httpd, a JWK Set server
on loopback that the tests control (jwt_tokens.KeyServer) and tokens minted here for
every algorithm and every way a token can be wrong."""
import os
import signal
import time

import pytest

from httpd import free_port
from jwt_tokens import Key, KeyServer, b64, b64json, token

SYSTEM = "/usr/lib/apache2/modules"
ISSUER, AUDIENCE = "https://issuer.example", "https://api.example"
SECRET = "0123456789abcdef0123456789abcdef-shared"
LOAD_SHMCB = "LoadModule socache_shmcb_module %s/mod_socache_shmcb.so" % SYSTEM

CONFIG = """
{load}
<Location /api>
    OpenAPISpec specs/jwt.yaml
    OpenAPIPlugin auth plugins/auth.so
    OpenAPIJWKS {jwks}
    OpenAPIJWTIssuer {issuer} https://other-issuer.example
    OpenAPIJWTAudience {audience}
    OpenAPIJWTLeeway 5
    OpenAPIJWKSRefreshInterval {interval}
    {extra}
</Location>
"""

ALGS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
        "EdDSA"]


def make_keys():
    keys = [Key(alg, "k-" + alg) for alg in ALGS]
    keys.append(Key("EdDSA", "k-Ed448", curve="Ed448"))
    return keys


@pytest.fixture(scope="module")
def keys():
    return make_keys()


@pytest.fixture
def key_server(keys):
    made = KeyServer(keys, issuer=ISSUER)
    yield made
    made.close()


def claims(**changes):
    now = int(time.time())
    values = {"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "exp": now + 600,
              "iat": now, "nbf": now, "scope": "read write", "client_id": "c1",
              "jti": "j%d" % now}
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def make_server(httpd, key_server, extra="", interval=60, jwks=None, start=True,
                load=LOAD_SHMCB, name="httpd"):
    server = httpd(CONFIG.format(load=load, jwks=jwks or key_server.url("/jwks"),
                                 issuer=ISSUER, audience=AUDIENCE, interval=interval,
                                 extra=extra), start=start, name=name)
    if start:
        # httpd listens before post_config has fetched the key set: one answer shows that
        # startup is over, so that counting fetches from here is exact
        assert server.get("/api/bearer").status == 401
    return server


@pytest.fixture
def api(httpd, key_server):
    return make_server(httpd, key_server)


def bearer(value):
    return {"Authorization": "Bearer " + value}


def refused(response, status=401, error="invalid_token"):
    assert response.status == status, response
    challenge = response.header("WWW-Authenticate") or ""
    assert 'error="%s"' % error in challenge, challenge
    return response.json()


# ---- what passes ----

@pytest.mark.parametrize("kid", ["k-" + alg for alg in ALGS] + ["k-Ed448"])
def test_every_algorithm_verifies(api, keys, kid):
    key = next(k for k in keys if k.kid == kid)
    response = api.get("/api/read", headers=bearer(token(key, claims())))
    assert response.status == 200, response
    assert response.json()["user"] == "alice"
    assert response.json()["token_info"]["client_id"] == "c1"


def test_scp_array_and_user_claim(httpd, key_server, keys):
    server = make_server(httpd, key_server, extra="OpenAPIJWTUserClaim client_id")
    good = token(keys[0], claims(scope=None, scp=["read", "write"]))
    response = server.get("/api/write", headers=bearer(good))
    assert response.status == 200, response
    assert response.json()["user"] == "c1"
    assert response.json()["token_info"]["scope"] == "read write"
    assert 'c1 "GET /api/write' in server.access_log(wait_for='c1 "GET /api/write')


def test_missing_scope_is_insufficient_scope(api, keys):
    body = refused(api.get("/api/write", headers=bearer(token(keys[0], claims(scope="read")))),
                   403, "insufficient_scope")
    assert body["error"] == "insufficient_scope"


def test_http_bearer_scheme_uses_jwt_too(api, keys):
    assert api.get("/api/bearer", headers=bearer(token(keys[6], claims()))).status == 200
    assert api.get("/api/bearer").status == 401


def test_leeway_lets_a_just_expired_token_pass(api, keys):
    now = int(time.time())
    assert api.get("/api/read", headers=bearer(token(keys[0], claims(exp=now - 2)))).status == 200


# ---- claims ----

@pytest.mark.parametrize("changes,description", [
    ({"exp": int(time.time()) - 3600}, "the token expired"),
    ({"nbf": int(time.time()) + 3600}, "the token is not valid yet"),
    ({"iat": int(time.time()) + 3600}, "the token is not valid yet"),
    ({"iss": "https://evil.example"}, "the token is invalid"),
    ({"iss": None}, "the token is invalid"),
    ({"aud": "https://other-api.example"}, "the token is invalid"),
    ({"aud": ["https://a.example", "https://b.example"]}, "the token is invalid"),
    ({"aud": None}, "the token is invalid"),
    ({"exp": None}, "the token is invalid"),
    ({"exp": "tomorrow"}, "the token is invalid"),
    ({"sub": 42}, "the token is invalid"),
    ({"scope": 7}, "the token is invalid"),
])
def test_claim_failures(api, keys, changes, description):
    body = refused(api.get("/api/read", headers=bearer(token(keys[0], claims(**changes)))))
    assert body["error_description"] == description
    assert "evil" not in str(body) and "other-api" not in str(body)


def test_audience_array_with_ours_passes(api, keys):
    good = token(keys[0], claims(aud=["https://a.example", AUDIENCE]))
    assert api.get("/api/read", headers=bearer(good)).status == 200


def test_second_configured_issuer_passes(api, keys):
    good = token(keys[0], claims(iss="https://other-issuer.example"))
    assert api.get("/api/read", headers=bearer(good)).status == 200


def test_typ_required_when_configured(httpd, key_server, keys):
    server = make_server(httpd, key_server, extra="OpenAPIJWTRequireType on")
    assert server.get("/api/read", headers=bearer(token(keys[0], claims()))).status == 200
    refused(server.get("/api/read", headers=bearer(token(keys[0], claims(),
                                                         header={"typ": "JWT"}))))
    refused(server.get("/api/read", headers=bearer(token(keys[0], claims(),
                                                         header={"typ": None}))))


# ---- signatures and algorithms ----

def test_none_is_never_accepted(api, keys, key_server):
    before = key_server.count()
    unsigned = b64json({"alg": "none"}) + "." + b64json(claims()) + "."
    refused(api.get("/api/read", headers=bearer(unsigned)))
    refused(api.get("/api/read", headers=bearer(token(keys[0], claims(),
                                                      header={"alg": "none"}))))
    assert key_server.count() == before


def test_hs256_signed_with_the_public_key_is_refused(api, keys):
    """Algorithm confusion: the RSA public key used as an HMAC secret."""
    rsa_key = keys[0]
    forged = token(None, claims(), header={"kid": rsa_key.kid}, alg="HS256",
                   secret=rsa_key.public_pem())
    refused(api.get("/api/read", headers=bearer(forged)))
    assert "HMAC" in api.error_log() or "not allowed" in api.error_log()


def test_bad_signature_and_wrong_key_type(api, keys):
    good = token(keys[0], claims())
    head, payload, signature = good.split(".")
    tampered = head + "." + b64json(claims(sub="mallory")) + "." + signature
    refused(api.get("/api/read", headers=bearer(tampered)))
    # an RS256 token naming the kid of an EC key
    refused(api.get("/api/read", headers=bearer(token(keys[0], claims(),
                                                      header={"kid": "k-ES256"}))))


def test_algorithm_allow_list(httpd, key_server, keys):
    server = make_server(httpd, key_server, extra="OpenAPIJWTAlgorithms ES256")
    assert server.get("/api/read", headers=bearer(token(keys[6], claims()))).status == 200
    refused(server.get("/api/read", headers=bearer(token(keys[0], claims()))))


def test_hmac_with_a_shared_secret(httpd, key_server):
    server = make_server(httpd, key_server, extra='OpenAPIJWTAlgorithms HS256 ES256\n'
                         '    OpenAPIJWTSharedSecret "%s"' % SECRET)
    good = token(None, claims(), alg="HS256", secret=SECRET.encode())
    assert server.get("/api/read", headers=bearer(good)).status == 200
    refused(server.get("/api/read", headers=bearer(
        token(None, claims(), alg="HS256", secret=b"another secret of 32 bytes......"))))
    refused(server.get("/api/read", headers=bearer(
        token(None, claims(), alg="HS384", secret=SECRET.encode()))))


# ---- malformed tokens: refused without fetching anything ----

def malformed_tokens(keys):
    good = token(keys[0], claims())
    head, payload, signature = good.split(".")
    huge = token(keys[0], claims(), header={"x": "a" * 4000})
    return [
        head + "." + payload,                                  # two segments
        good + "." + signature,                                # four
        head + "." + payload + "." + signature + "=",          # padding
        head + "." + payload[:-1] + "*." + signature,          # not base64url
        b64(b"not json") + "." + payload + "." + signature,
        b64json([1, 2]) + "." + payload + "." + signature,     # header not an object
        head + "." + b64(b'"a string"') + "." + signature,
        huge,                                                  # huge header
        token(keys[0], claims(), header={"cty": "JWT"}),       # nested JWS
        token(keys[0], claims(), header={"crit": ["exp"]}),
        token(keys[0], claims(), header={"jku": "https://evil.example/jwks"}),
        token(keys[0], claims(), header={"x5u": "https://evil.example/cert"}),
        token(keys[0], claims(), header={"jwk": keys[1].jwk}),
        token(keys[0], claims(), header={"alg": "RS1"}),
        token(keys[0], claims(), header={"kid": 5}),
        "a" * 17000,
    ]


def test_malformed_tokens_are_refused_without_fetching(httpd, key_server, keys):
    server = make_server(httpd, key_server, interval=0)  # any fetch would show
    before = key_server.count()
    for bad in malformed_tokens(keys):
        response = server.get("/api/read", headers=bearer(bad))
        assert response.status in (400, 401), (bad[:80], response)
        if response.status == 401:
            assert response.json()["error"] == "invalid_token"
    assert key_server.count() == before


def test_jku_naming_the_key_set_in_use_is_accepted(api, key_server, keys):
    good = token(keys[0], claims(), header={"jku": key_server.url("/jwks")})
    assert api.get("/api/read", headers=bearer(good)).status == 200


# ---- keys: rotation, rate limit, outages ----

def test_keys_without_sig_use_or_with_a_wrong_alg_are_ignored(httpd, key_server):
    enc = Key("RS256", "enc-key", jwk_extra={"use": "enc"})
    wrong_alg = Key("ES256", "wrong-alg", jwk_extra={"alg": "RS256"})
    no_use = Key("ES256", "no-use", jwk_extra={"use": None})
    key_server.keys = [enc, wrong_alg, no_use]
    server = make_server(httpd, key_server)
    refused(server.get("/api/read", headers=bearer(token(enc, claims()))))
    refused(server.get("/api/read", headers=bearer(token(wrong_alg, claims(), alg="ES256"))))
    assert server.get("/api/read", headers=bearer(token(no_use, claims()))).status == 200


def test_unknown_kid_refetches_once_per_interval(httpd, key_server, keys):
    server = make_server(httpd, key_server, interval=3)
    assert server.get("/api/read", headers=bearer(token(keys[0], claims()))).status == 200
    fetched = key_server.count()
    rotated = Key("ES256", "rotated-1")
    key_server.keys = [rotated]                    # the issuer rotates its keys
    assert server.get("/api/read", headers=bearer(token(rotated, claims()))).status == 200
    assert key_server.count() == fetched + 1
    # a storm of unknown kids within the interval fetches nothing more
    ghost = Key("ES256", "ghost")
    for _ in range(5):
        refused(server.get("/api/read", headers=bearer(token(ghost, claims()))))
    assert key_server.count() == fetched + 1
    # the old key is gone from the set
    refused(server.get("/api/read", headers=bearer(token(keys[0], claims()))))
    time.sleep(3.2)
    refused(server.get("/api/read", headers=bearer(token(ghost, claims()))))
    assert key_server.count() == fetched + 2


def test_refresh_on_expiry(httpd, key_server, keys):
    server = make_server(httpd, key_server, interval=0, extra="OpenAPIJWKSRefresh 1")
    assert server.get("/api/read", headers=bearer(token(keys[0], claims()))).status == 200
    fetched = key_server.count()
    time.sleep(1.2)
    assert server.get("/api/read", headers=bearer(token(keys[0], claims()))).status == 200
    assert key_server.count() == fetched + 1


def test_unreachable_key_set_with_no_keys_is_503(httpd, key_server, keys):
    key_server.down = True
    server = make_server(httpd, key_server, interval=1)
    server.expect_log(r"OAPI0900[23]")
    response = server.get("/api/read", headers=bearer(token(keys[0], claims())))
    assert response.status == 503, response
    assert "invalid_token" not in (response.header("WWW-Authenticate") or "")
    # RFC 9457, not an OAuth error: the client is not to blame, and nothing of the token
    assert response.header("Content-Type").startswith("application/problem+json"), response
    assert response.json()["status"] == 503
    assert "no-store" in response.header("Cache-Control")
    # a malformed token is still the client's fault
    refused(server.get("/api/read", headers=bearer("a.b")))
    key_server.down = False
    time.sleep(1.1)
    assert server.get("/api/read", headers=bearer(token(keys[0], claims()))).status == 200


def test_closed_port_with_no_keys_is_503(httpd, key_server, keys):
    server = make_server(httpd, key_server, jwks="http://127.0.0.1:%d/jwks" % free_port())
    server.expect_log(r"OAPI0900[23]")
    assert server.get("/api/read", headers=bearer(token(keys[0], claims()))).status == 503


def test_garbage_or_outage_keeps_the_keys_held(httpd, key_server, keys):
    server = make_server(httpd, key_server, interval=0)
    server.expect_log(r"OAPI09002")
    assert server.get("/api/read", headers=bearer(token(keys[0], claims()))).status == 200
    key_server.garbage = True
    refused(server.get("/api/read", headers=bearer(token(Key("ES256", "new"), claims()))))
    assert server.get("/api/read", headers=bearer(token(keys[0], claims()))).status == 200
    key_server.garbage, key_server.down = False, True
    refused(server.get("/api/read", headers=bearer(token(Key("ES256", "new2"), claims()))))
    assert server.get("/api/read", headers=bearer(token(keys[0], claims()))).status == 200


def test_graceful_restart_keeps_the_keys(httpd, key_server, keys):
    server = make_server(httpd, key_server)
    server.expect_log(r"OAPI09003")
    assert server.get("/api/read", headers=bearer(token(keys[0], claims()))).status == 200
    key_server.down = True
    with open(os.path.join(server.root, "httpd.pid")) as f:
        parent = int(f.read().strip())
    assert parent == server.process.pid
    fetched = key_server.count()
    os.kill(parent, signal.SIGUSR1)  # graceful restart of the httpd this test started
    deadline = time.time() + 20
    while time.time() < deadline and \
            server.error_log().count("resuming normal operations") < 2:
        time.sleep(0.1)
    assert server.error_log().count("resuming normal operations") == 2, server.error_log()
    assert server.get("/api/read", headers=bearer(token(keys[0], claims()))).status == 200
    assert key_server.count() == fetched  # still fresh: not even tried


def test_rotated_keys_are_shared_through_memcache(httpd, key_server, keys, memcached):
    """What one server fetched for a new kid, the other takes from the shared cache."""
    port = memcached
    load = "LoadModule socache_memcache_module %s/mod_socache_memcache.so" % SYSTEM
    extra = "OpenAPITokenCache memcache:127.0.0.1:%d" % port
    first = make_server(httpd, key_server, load=load, extra=extra, name="mc1")
    second = make_server(httpd, key_server, load=load, extra=extra, name="mc2")
    time.sleep(1.1)  # a set fetched later than the ones held (seconds resolution)
    rotated = Key("ES256", "rotated-shared")
    key_server.keys = [rotated]
    fetched = key_server.count()
    assert first.get("/api/read", headers=bearer(token(rotated, claims()))).status == 200
    assert key_server.count() == fetched + 1
    assert second.get("/api/read", headers=bearer(token(rotated, claims()))).status == 200
    assert key_server.count() == fetched + 1  # from memcache, not from the source


def test_key_set_from_a_file(httpd, key_server, keys):
    import json
    server = make_server(httpd, key_server, jwks="@ROOT@/jwks.json", start=False)
    with open(os.path.join(server.root, "jwks.json"), "w") as f:
        json.dump({"keys": [keys[6].jwk]}, f)
    os.chmod(os.path.join(server.root, "jwks.json"), 0o644)
    server.start()
    assert server.get("/api/read", headers=bearer(token(keys[6], claims()))).status == 200
    refused(server.get("/api/read", headers=bearer(token(keys[0], claims()))))
    assert key_server.count() == 0


# ---- OpenID Connect discovery ----

OIDC_CONFIG = """
{load}
<Location /oidc>
    OpenAPISpec specs/jwt_oidc.yaml
    OpenAPIPlugin auth plugins/auth.so
    OpenAPIJWTAudience {audience}
    OpenAPIJWTScopeClaim scp
</Location>
"""


def test_discovery_through_open_id_connect_url(httpd, key_server, keys):
    server = httpd(OIDC_CONFIG.format(load=LOAD_SHMCB, audience=AUDIENCE), start=False)
    spec = os.path.join(server.root, "specs", "jwt_oidc.yaml")
    with open(spec) as f:
        text = f.read()
    with open(spec, "w") as f:
        f.write(text.replace("@DISCOVERY_URL@",
                             key_server.url("/.well-known/openid-configuration")))
    server.start()
    good = token(keys[9], claims(scope=None, scp=["profile"]))
    response = server.get("/oidc/me", headers=bearer(good))
    assert response.status == 200, response
    assert response.json()["user"] == "alice"
    assert key_server.count("/.well-known/openid-configuration") >= 1
    # the issuer is the discovered one
    refused(server.get("/oidc/me", headers=bearer(
        token(keys[9], claims(iss="https://other-issuer.example", scope=None,
                              scp=["profile"])))))
    refused(server.get("/oidc/me", headers=bearer(token(keys[9], claims(scope=None, scp=[])))),
            403, "insufficient_scope")


# ---- configuration errors ----

@pytest.mark.parametrize("extra,message", [
    ("OpenAPIJWTAlgorithms HS256", "needs OpenAPIJWTSharedSecret"),
    ("OpenAPIJWTAlgorithms none", "none is never accepted"),
    ('OpenAPIJWTSharedSecret "short"', "at least 32 bytes"),
    ("OpenAPIJWTLeeway soon", "not a number of seconds"),
])
def test_configuration_errors(httpd, key_server, extra, message):
    server = make_server(httpd, key_server, extra=extra, start=False)
    code, output = server.configtest()
    assert code != 0 and message in output, output


def test_audience_is_required(httpd, key_server):
    server = httpd(CONFIG.format(load=LOAD_SHMCB, jwks=key_server.url("/jwks"), issuer=ISSUER,
                                 audience=AUDIENCE, interval=60, extra="")
                   .replace("OpenAPIJWTAudience %s" % AUDIENCE, ""), start=False)
    code, output = server.configtest()
    assert code != 0 and "OpenAPIJWTAudience is needed" in output, output


def test_broken_key_set_file_stops_configtest(httpd, key_server):
    server = make_server(httpd, key_server, jwks="@ROOT@/jwks.json", start=False)
    with open(os.path.join(server.root, "jwks.json"), "w") as f:
        f.write('{"keys": [\n  {"kty": "RSA",}\n]}')
    code, output = server.configtest()
    assert code != 0 and "jwks.json:2:" in output, output
