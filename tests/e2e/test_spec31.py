"""OpenAPI 3.1 and 3.2 specs: the OAI 3.1 examples, Discord's large 3.1 spec and our own
3.1/3.2 specs load with openapi-check and `apachectl -t` (each under 0.5 s), are served in
mock mode with requests validated against them, and the official OpenAPI schema's errors
are reported at the offending node."""
import json
import os
import resource
import shutil
import subprocess

import pytest

from httpd import BUILD_DIR, SRC_DIR

CHECK = os.path.join(BUILD_DIR, "openapi-check")
SPECS = os.path.join(SRC_DIR, "tests", "fixtures", "specs")
DISCORD = os.path.join(SPECS, "large", "discord_openapi_3.1.json")
FEATURES = os.path.join(SPECS, "v31", "features.yaml")
QUERY32 = os.path.join(SPECS, "v31", "query32.yaml")
SELF32 = os.path.join(SPECS, "v31", "self", "api.yaml")
SPEC31 = [os.path.join(SPECS, "oai", "examples", "v3.1", "webhook-example.yaml"),
          os.path.join(SPECS, "oai", "examples", "v3.1", "webhook-example.json"),
          DISCORD, FEATURES, os.path.join(SPECS, "v31", "components-only.yaml"), QUERY32, SELF32]
OPERATIONS = [0, 0, 242, 4, 0, 2, 1]


# The bound for loading a spec; the sanitizer build runs the same code a few times
# slower (ASan's checks and allocator), so it gets four times the time.
LOAD_SECONDS = 0.5 * (4 if os.environ.get("OA_SANITIZE") == "1" else 1)


def mock_server(httpd, location, spec, start=True):
    """A server mocking spec at location. httpd may run as a user who cannot read a
    private checkout: the spec's folder (or, in a large one, the spec alone) is copied
    below its ServerRoot first."""
    server = httpd("<Location %s>\n    OpenAPISpec %s\n    OpenAPIMock all\n</Location>\n"
                   % (location, in_root(spec)), start=False)
    install(server, spec)
    if start:
        server.start()
    return server


def in_root(spec):
    return "@ROOT@/extra/" + os.path.relpath(spec, SPECS)


def install(server, spec):
    folder = os.path.dirname(spec)
    target = os.path.join(server.root, "extra", os.path.relpath(folder, SPECS))
    os.makedirs(target, exist_ok=True)
    names = os.listdir(folder)
    small = sum(os.path.getsize(os.path.join(folder, n)) for n in names) < 200000
    for name in names if small else [os.path.basename(spec)]:
        if os.path.isfile(os.path.join(folder, name)):
            shutil.copy(os.path.join(folder, name), target)
    for dirpath, _, filenames in os.walk(os.path.join(server.root, "extra")):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)


def cpu_seconds():
    """CPU time of finished children: a loaded machine slows the wall clock, not this."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def check(*args):
    return subprocess.run([CHECK] + list(args), capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("spec, operations", zip(SPEC31, OPERATIONS))
def test_openapi_check_loads_31_specs_fast(spec, operations):
    started = cpu_seconds()
    done = check(spec)
    elapsed = cpu_seconds() - started
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "OK %s: %d operations" % (spec, operations)
    assert elapsed < LOAD_SECONDS, "%s took %.3f s" % (spec, elapsed)


@pytest.mark.parametrize("spec", SPEC31)
def test_configtest_loads_31_specs_fast(httpd, spec):
    server = mock_server(httpd, "/api", spec, start=False)
    started = cpu_seconds()
    code, output = server.configtest()
    elapsed = cpu_seconds() - started
    assert code == 0, output
    assert "Syntax OK" in output
    assert elapsed < LOAD_SECONDS, "%s: apachectl -t took %.3f s" % (spec, elapsed)


def test_discord_mock_validates_requests(httpd):
    server = mock_server(httpd, "/api/v10", DISCORD)
    # Discord's schemes name no checking function: the mock lets any credential through
    server.expect_log(r"OAPI05000: .*presence only")
    auth = {"Authorization": "Bot mock-token"}
    good = server.get("/api/v10/applications/1234567890", headers=auth)
    assert good.status == 200, good
    assert isinstance(good.json(), dict)
    bad = server.get("/api/v10/applications/not-a-snowflake", headers=auth)
    assert bad.status == 400, bad
    assert bad.content_type == "application/problem+json"
    assert "application_id" in json.dumps(bad.json())
    missing = server.get("/api/v10/applications/1234567890")
    assert missing.status == 401, missing


def test_31_features_served(httpd):
    server = mock_server(httpd, "/v31", FEATURES)
    # a path item from components.pathItems, routed and validated
    assert server.get("/v31/pets/7").status == 200
    assert server.get("/v31/pets/seven").status == 400
    # a parameter reached through a Reference Object with summary and description
    assert server.get("/v31/pets?limit=5").status == 200
    too_many = server.get("/v31/pets?limit=500")
    assert too_many.status == 400, too_many
    assert "limit" in json.dumps(too_many.json())
    # a body validated against a schema with its own $schema and a type array with null
    ok = server.request("POST", "/v31/pets", body=json.dumps({"id": 1, "name": "a", "tag": None}),
                        headers={"Content-Type": "application/json"})
    assert ok.status == 201, ok
    bad = server.request("POST", "/v31/pets", body=json.dumps({"id": 1, "tag": 5}),
                         headers={"Content-Type": "application/json"})
    assert bad.status == 400, bad
    text = json.dumps(bad.json())
    assert "name" in text and "/tag" in text
    # JSON Schema 2020-12: numeric exclusiveMinimum, const, prefixItems,
    # unevaluatedProperties
    for body, where in (({"id": 1, "name": "a", "weight": 0}, "/weight"),
                        ({"id": 1, "name": "a", "kind": "cat"}, "/kind"),
                        ({"id": 1, "name": "a", "tags": [""]}, "/tags/0"),
                        ({"id": 1, "name": "a", "colour": "red"}, "colour")):
        refused = server.request("POST", "/v31/pets", body=json.dumps(body),
                                 headers={"Content-Type": "application/json"})
        assert refused.status == 400, (body, refused)
        assert where in json.dumps(refused.json()), (body, refused.json())
    fine = server.request("POST", "/v31/pets", body=json.dumps(
        {"id": 1, "name": "a", "weight": 0.5, "kind": "pet", "tags": ["x", "y"]}),
        headers={"Content-Type": "application/json"})
    assert fine.status == 201, fine
    # webhooks are not routed
    assert server.get("/v31/newPet").status == 404
    # mutualTLS: without a verified client certificate (plain HTTP here) the answer is
    # 403, without a WWW-Authenticate challenge
    admin = server.get("/v31/admin")
    assert admin.status == 403, admin
    assert admin.header("WWW-Authenticate") is None
    assert "client certificate" in json.dumps(admin.json())


def test_32_query_method(httpd):
    server = mock_server(httpd, "/v32", QUERY32)
    json_body = {"Content-Type": "application/json"}
    found = server.request("QUERY", "/v32/search", body='{"term": "cats"}', headers=json_body)
    assert found.status == 200, found
    assert isinstance(found.json(), list)
    bad = server.request("QUERY", "/v32/search", body='{"term": ""}', headers=json_body)
    assert bad.status == 400, bad
    assert "/term" in json.dumps(bad.json())
    # the Allow header of a 405 names QUERY beside the fixed methods
    refused = server.request("DELETE", "/v32/search")
    assert refused.status == 405, refused
    assert "QUERY" in refused.header("Allow") and "GET" in refused.header("Allow")


def test_32_self_is_the_base_uri(httpd):
    server = mock_server(httpd, "/self", SELF32)
    # the response schema came from schemas.yaml, named relative to $self
    pet = server.get("/self/pets/3")
    assert pet.status == 200, pet
    assert set(pet.json()) >= {"id", "name"}
    # the parameter schema through an absolute $ref to $self's own URI
    low = server.get("/self/pets/0")
    assert low.status == 400, low
    assert "0 is less than the minimum of 1" in low.json()["detail"]


def refusal(tmp_path, text):
    """openapi-check's lines for a spec that must not load, "SPEC" for its path."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(text)
    done = check(str(spec))
    assert done.returncode == 1, done.stdout
    return [line.replace(str(spec), "SPEC") for line in done.stdout.splitlines()]


def test_unknown_json_schema_dialect_refused(tmp_path):
    assert refusal(tmp_path, 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\n'
                   'jsonSchemaDialect: https://example.com/my-dialect\n'
                   'components: {schemas: {A: {type: string}}}\n') == [
        "SPEC:3:20: jsonSchemaDialect 'https://example.com/my-dialect' is not a dialect the "
        "module has built in (JSON Schema draft 4, 6, 7, 2019-09, 2020-12 or the OpenAPI "
        "3.1/3.2 dialect)"]


def test_structure_errors_at_the_node(tmp_path):
    lines = refusal(tmp_path, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
                    "  /a:\n    get:\n      parameters:\n        - {name: q, in: query, "
                    "schema: {type: strnig}}\n      responses: {'200': {description: ok}}\n"
                    "components:\n  securitySchemes:\n    key: {type: apiKey, in: body, "
                    "name: k}\n")
    assert lines[:2] == [
        "SPEC:7:47: schema type 'strnig' is not one of array, boolean, integer, number, "
        "object, string",
        "SPEC:11:29: api key security scheme in 'body' is not one of header, query, cookie"]


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True,
                   timeout=60)


def make_certificates(folder):
    """A CA, a server certificate for 127.0.0.1 and a client certificate, both signed by
    the CA, plus a client certificate the CA did not sign."""
    with open(os.path.join(folder, "san.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1\n")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.pem", "-days", "2", "-subj", "/CN=mod_openapi test CA", cwd=folder)
    for name, extra in (("server", ["-extfile", "san.ext"]), ("client", [])):
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out",
                name + ".csr", "-subj", "/CN=" + ("127.0.0.1" if name == "server" else name),
                cwd=folder)
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2", *extra, cwd=folder)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "stranger.key",
            "-out", "stranger.pem", "-days", "2", "-subj", "/CN=stranger", cwd=folder)


def tls_get(port, folder, path, client=None):
    import http.client
    import ssl
    context = ssl.create_default_context(cafile=os.path.join(folder, "ca.pem"))
    context.check_hostname = False
    if client:
        context.load_cert_chain(os.path.join(folder, client + ".pem"),
                                os.path.join(folder, client + ".key"))
    conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


def test_mutual_tls_through_mod_ssl(httpd, tmp_path):
    from httpd import SYSTEM_MODULES, free_port
    folder = str(tmp_path)
    make_certificates(folder)
    port = free_port()
    server = httpd("""
LoadModule ssl_module {system}/mod_ssl.so
Listen 127.0.0.1:{port}
<VirtualHost 127.0.0.1:{port}>
    ServerName 127.0.0.1
    SSLEngine on
    SSLCertificateFile @ROOT@/certs/server.pem
    SSLCertificateKeyFile @ROOT@/certs/server.key
    SSLCACertificateFile @ROOT@/certs/ca.pem
    SSLVerifyClient optional_no_ca
    <Location /v31>
        OpenAPISpec {spec}
        OpenAPIMock all
    </Location>
</VirtualHost>
""".format(system=SYSTEM_MODULES, port=port, spec=in_root(FEATURES)), start=False)
    install(server, FEATURES)
    # httpd may run as another user: the files it reads live below its ServerRoot
    certs = os.path.join(server.root, "certs")
    os.makedirs(certs)
    for name in ("ca.pem", "server.pem", "server.key"):
        shutil.copy(os.path.join(folder, name), certs)
        os.chmod(os.path.join(certs, name), 0o644)
    os.chmod(certs, 0o755)
    # mod_ssl's own start-up notes, not ours: the distro's OpenSSL minor version, and no
    # session cache (none is needed for a test)
    server.expect_log(r"\[ssl:warn\].*AH01882")
    server.expect_log(r"\[ssl:warn\].*AH01873")
    # mod_ssl's OpenSSL contexts, certificates and sessions live until the child exits,
    # which frees none of them (the module calls no OpenSSL function on this path)
    server.suppress_leaks("libcrypto.so", "libssl.so")
    server.start()
    # a client certificate the CA signed: mod_ssl says SUCCESS, the operation answers
    status, body = tls_get(port, folder, "/v31/admin", client="client")
    assert status == 200, body
    # no certificate: 403, not a 401 without a challenge
    status, body = tls_get(port, folder, "/v31/admin")
    assert status == 403, body
    assert "verified TLS client certificate is required" in body
    # a certificate the CA did not sign (optional_no_ca lets the handshake through)
    status, body = tls_get(port, folder, "/v31/admin", client="stranger")
    assert status == 403, body
    assert "could not be verified" in body
    # operations without the scheme are open over TLS too
    assert tls_get(port, folder, "/v31/pets/1")[0] == 200
