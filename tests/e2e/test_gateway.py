"""Gateway mode (OpenAPIDispatch backend): the spec enforced in front of backends httpd
serves itself: a second httpd behind mod_proxy, a CGI script and a static file tree, all on
127.0.0.1. The backend (fixtures/gateway/backend.py) answers on spec or, with ?mode=...,
off it, and tells what it received."""
import hashlib
import json
import os
import shutil
import socket
import time

import pytest

from httpd import SRC_DIR, SYSTEM_MODULES

FIXTURES = os.path.join(SRC_DIR, "tests/fixtures/gateway")

# The proxied service: the CGI script in a plain httpd, logging what the gateway told it
# (the underscore spelling too, which CGI would drop but a proxied backend may read).
BACKEND = """
LoadModule cgid_module {system}/mod_cgid.so
LoadModule alias_module {system}/mod_alias.so
ScriptSock @ROOT@/cgid.sock
ScriptAlias /svc @ROOT@/gateway/backend.py
LogFormat "%{{X-OpenAPI-User}}i|%{{X_OpenAPI_User}}i|%{{X-OpenAPI-Scopes}}i|%{{X-OpenAPI-Operation}}i|%{{X-OpenAPI-Sub}}i|%U" told
CustomLog @ROOT@/told.log told
"""

GATEWAY = """
KeepAlive On
LoadModule proxy_module {system}/mod_proxy.so
LoadModule proxy_http_module {system}/mod_proxy_http.so
LoadModule alias_module {system}/mod_alias.so
LoadModule mime_module {system}/mod_mime.so
TypesConfig /etc/mime.types
Alias /st/files @ROOT@/gateway/files
<Directory @ROOT@/gateway/files>
    Require all granted
</Directory>
<Location /px>
    OpenAPISpec specs/gateway.yaml
    OpenAPIBasePath /px
    OpenAPIPlugin auth plugins/auth.so
    OpenAPIDispatch backend
    OpenAPIValidateResponses on
    OpenAPIBackendHeader claim:sub X-OpenAPI-Sub
    ProxyPass http://127.0.0.1:{backend}/svc
</Location>
<Location /rp>
    OpenAPISpec specs/gateway.yaml
    OpenAPIBasePath /rp
    OpenAPIPlugin auth plugins/auth.so
    OpenAPIDispatch backend
    OpenAPIValidateResponses on
    OpenAPIValidationMode report
    ProxyPass http://127.0.0.1:{backend}/svc
</Location>
<Location /st>
    OpenAPISpec specs/gateway.yaml
    OpenAPIBasePath /st
    OpenAPIPlugin auth plugins/auth.so
    OpenAPIDispatch backend
    OpenAPIValidateResponses on
</Location>
{cgi}
"""

# mod_cgi, not mod_cgid, in a gateway: mod_cgid's daemon is forked before child_init and
# exits without releasing the specs, which LeakSanitizer would report.
CGI = """
LoadModule cgi_module {system}/mod_cgi.so
ScriptAlias /cgi @ROOT@/gateway/backend.py
<Location /cgi>
    OpenAPISpec specs/gateway.yaml
    OpenAPIBasePath /cgi
    OpenAPIPlugin auth plugins/auth.so
    OpenAPIDispatch backend
    OpenAPIValidateResponses on
    OpenAPIBackendHeader claim:sub X-OpenAPI-Sub
</Location>
"""

JSON = {"Content-Type": "application/json"}


def proxy_only(setting, backend, options=""):
    """A gateway with one proxied location, /px, and one more setting."""
    return """
LoadModule proxy_module {system}/mod_proxy.so
LoadModule proxy_http_module {system}/mod_proxy_http.so
<Location /px>
    OpenAPISpec specs/gateway.yaml
    OpenAPIBasePath /px
    OpenAPIPlugin auth plugins/auth.so
    OpenAPIDispatch backend
    {setting}
    ProxyPass http://{backend}/svc{options}
</Location>
""".format(system=SYSTEM_MODULES, setting=setting, backend=backend, options=options)
BEARER = {"Authorization": "Bearer good-token"}


def with_fixtures(httpd, config, name="httpd"):
    """A started server with the backend's files in @ROOT@/gateway."""
    server = httpd(config, start=False, name=name)
    if "mod_proxy_http" in config:
        # mod_proxy_http's regex lives until exit: full stacks let lsan.supp match it.
        server.asan_options = "fast_unwind_on_malloc=0"
    shutil.copytree(FIXTURES, os.path.join(server.root, "gateway"))
    return server.start()


@pytest.fixture
def servers(httpd):
    backend = with_fixtures(httpd, BACKEND.format(system=SYSTEM_MODULES), "backend")
    gateway = with_fixtures(httpd, GATEWAY.format(
        system=SYSTEM_MODULES, backend=backend.port, cgi=CGI.format(system=SYSTEM_MODULES)),
        "gateway")
    return gateway, backend


def told(backend, marker):
    """What the backend was told (user, its underscore spelling, scopes, operation, sub) in
    the last request whose told.log line (those and the path) contains marker."""
    path = os.path.join(backend.root, "told.log")
    deadline = time.time() + 5
    while True:
        with open(path) as f:
            line = [l for l in f.read().splitlines() if marker in l]
        if line or time.time() > deadline:
            break
        time.sleep(0.05)
    assert line, backend.access_log()
    return line[-1].split("|")[:5]


def sha256(data):
    return hashlib.sha256(data).hexdigest()


# ---- requests: validated, then handed on with their body ----

@pytest.mark.parametrize("prefix", ["/px", "/cgi"])
def test_valid_json_body_reaches_the_backend_unchanged(servers, prefix):
    gateway, _ = servers
    body = json.dumps({"name": "widget", "qty": 2}).encode()
    res = gateway.request("POST", prefix + "/items", body=body, headers=JSON)
    assert res.status == 201, res
    got = res.json()
    assert (got["sha256"], got["size"], got["name"]) == (sha256(body), len(body), "widget")


def test_invalid_request_never_reaches_the_backend(servers):
    gateway, backend = servers
    res = gateway.request("POST", "/px/items", body='{"name": "w", "qty": 0}', headers=JSON)
    assert res.status == 400
    assert res.json()["errors"][0]["pointer"] == "/qty"
    assert "POST /svc/items" not in backend.access_log()


def raw_exchange(port, head, body_parts, wait_for_continue=False):
    """Sends a request by hand (chunked bodies, Expect); returns the raw answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(head.encode())
        interim = b""
        if wait_for_continue:
            interim = s.recv(4096)
        for part in body_parts:
            s.sendall(part)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return interim, data


def split_answer(data):
    """(status line and headers, body), a chunked body (one chunk) unchunked."""
    head, _, body = data.partition(b"\r\n\r\n")
    head = head.decode()
    if "transfer-encoding: chunked" in head.lower():
        body = body.split(b"\r\n", 1)[1].rsplit(b"\r\n0\r\n", 1)[0]
    return head, body


@pytest.mark.parametrize("prefix", ["/px", "/cgi"])
def test_chunked_request_body_reaches_the_backend(servers, prefix):
    gateway, _ = servers
    body = json.dumps({"name": "chunky", "qty": 3}).encode()
    chunks = [body[:10], body[10:]]
    parts = [b"%x\r\n%s\r\n" % (len(c), c) for c in chunks] + [b"0\r\n\r\n"]
    _, data = raw_exchange(gateway.port,
                           "POST %s/items HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                           "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                           % prefix, parts)
    head, answer = split_answer(data)
    assert " 201 " in head.splitlines()[0], data
    got = json.loads(answer)
    assert (got["sha256"], got["size"], got["content_length"]) == \
        (sha256(body), len(body), str(len(body)))


@pytest.mark.parametrize("prefix", ["/px", "/cgi"])
@pytest.mark.parametrize("path, content_type, body", [
    ("/items", "application/json", json.dumps({"name": "patient"}).encode()),  # replayed
    ("/upload", "application/octet-stream", os.urandom(100000)),             # streamed
], ids=["replayed", "streamed"])
def test_expect_100_continue_keeps_working(servers, prefix, path, content_type, body):
    gateway, _ = servers
    interim, data = raw_exchange(
        gateway.port, "POST %s%s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        "Content-Type: %s\r\nExpect: 100-continue\r\nContent-Length: %d\r\n\r\n"
        % (prefix, path, content_type, len(body)), [body], wait_for_continue=True)
    assert interim.startswith(b"HTTP/1.1 100 Continue"), interim
    head, answer = split_answer(data)
    assert head.split()[1] in ("200", "201"), data
    assert json.loads(answer)["sha256"] == sha256(body)


def test_a_json_body_over_the_bound_is_refused_unread(httpd):
    gateway = with_fixtures(httpd, proxy_only("OpenAPIMaxBodySize 1000", "127.0.0.1:9"))
    res = gateway.request("POST", "/px/items", body=json.dumps({"name": "x" * 2000}),
                          headers=JSON)
    assert res.status == 413
    assert "1000 bytes" in res.json()["detail"]


# ---- report mode for requests ----

def test_report_mode_lets_an_invalid_request_through_and_lists_it(servers):
    gateway, _ = servers
    gateway.expect_log(r"OAPI11001: report mode: request POST /rp/items")
    res = gateway.request("POST", "/rp/items", body='{"name": "w", "qty": 0}', headers=JSON)
    assert res.status == 201, res
    violations = json.loads(res.header("x-openapi-violations"))
    assert violations[0]["in"] == "body" and violations[0]["pointer"] == "/qty"
    assert "minimum" in violations[0]["message"]


# ---- responses held to the spec ----

OFF_SPEC = [
    ("status", "status 418 is not declared"),
    ("missing", "'name' is a required property"),
    ("type", "'abc' is not of type 'integer'"),
    ("ctype", "Content-Type 'text/html' is not declared"),
    ("noheader", "X-Item-Version"),
]


@pytest.mark.parametrize("mode, message", OFF_SPEC, ids=[m for m, _ in OFF_SPEC])
def test_off_spec_backend_answer_becomes_502(servers, mode, message):
    gateway, _ = servers
    gateway.expect_log(r"OAPI11004: the backend's response to GET /items/\{id\}")
    res = gateway.get("/px/items/5?mode=" + mode)
    assert res.status == 502, res
    assert res.content_type == "application/problem+json"
    problem = res.json()
    assert message in problem["detail"], problem
    assert problem["errors"]
    assert "x-item-version" not in res.headers  # nothing of the backend's answer is left


@pytest.mark.parametrize("mode, message", OFF_SPEC, ids=[m for m, _ in OFF_SPEC])
def test_off_spec_backend_answer_passes_in_report_mode(servers, mode, message):
    gateway, _ = servers
    gateway.expect_log(r"OAPI11003: report mode: the backend's response to GET /items/\{id\}")
    res = gateway.get("/rp/items/5?mode=" + mode)
    assert res.status == (418 if mode == "status" else 200), res
    assert message in res.header("x-openapi-violations")
    if mode != "ctype":
        assert res.json()["id"] in (5, 1, "abc")


def test_on_spec_backend_answer_passes_unchanged(servers):
    gateway, _ = servers
    res = gateway.get("/px/items/5")
    assert res.status == 200 and res.json() == {"id": 5, "name": "thing"}
    assert res.header("x-item-version") == "3"
    assert "x-openapi-violations" not in res.headers


def test_a_json_answer_over_the_bound_passes_unchecked_with_one_log_line(servers):
    gateway, _ = servers
    res = gateway.get("/px/items/5?mode=big")
    assert res.status == 200 and len(res.json()["name"]) == 3000000
    assert gateway.error_log().count("OAPI11005") == 1


def test_an_unreachable_backend_is_httpds_own_error(httpd):
    port = socket.socket()
    port.bind(("127.0.0.1", 0))
    closed = port.getsockname()[1]
    port.close()
    gateway = with_fixtures(httpd, GATEWAY.format(system=SYSTEM_MODULES, backend=closed,
                                                  cgi=""))
    gateway.expect_log(r"AH00957|AH01114|AH00959")
    res = gateway.get("/px/items/5")
    assert res.status == 503, res  # mod_proxy's own answer, not a spec violation
    assert "OAPI11004" not in gateway.error_log()


# ---- the static file tree ----

def test_static_files_are_served_and_held_to_the_spec(servers):
    gateway, _ = servers
    gateway.expect_log(r"OAPI11004: the backend's response to GET /files/\{name\}")
    res = gateway.get("/st/files/item.json")
    assert res.status == 200 and res.json() == {"id": 7, "name": "static"}
    last_modified = res.header("last-modified")
    res = gateway.get("/st/files/bad.json")
    assert res.status == 502 and "'seven' is not of type 'integer'" in res.body
    res = gateway.get("/st/files/item.json",
                      headers={"If-Modified-Since": last_modified})
    assert res.status == 304  # a revalidation passes, though the spec declares only 200
    res = gateway.get("/st/files/Item.TXT")
    assert res.status == 400 and res.json()["errors"][0]["name"] == "name"


# ---- what the backend is told ----

SMUGGLED = {"X-OpenAPI-User": "mallory", "X_OpenAPI_User": "mallory",
            "x-openapi-scopes": "admin", "X-OpenAPI-Operation": "deleteEverything",
            "X-OPENAPI-SUB": "mallory", "X-Tenant": "mallory"}


def test_proxied_backend_gets_identity_and_never_a_client_copy(servers):
    gateway, backend = servers
    res = gateway.get("/px/whoami", headers=dict(SMUGGLED, **BEARER))
    assert res.status == 200, res
    assert told(backend, "|whoami|") == ["alice", "-", "read write", "whoami", "alice"]


def test_client_copies_are_removed_when_security_is_off(servers):
    gateway, backend = servers
    res = gateway.get("/px/open", headers=SMUGGLED)
    assert res.status == 200, res
    assert told(backend, "|openWhoami|") == ["-", "-", "-", "openWhoami", "-"]


def test_unauthenticated_request_never_reaches_the_backend(servers):
    gateway, backend = servers
    res = gateway.get("/px/whoami", headers=SMUGGLED)
    assert res.status == 401
    assert "/svc/whoami" not in backend.access_log()


def test_cgi_backend_gets_headers_and_environment(servers):
    gateway, _ = servers
    res = gateway.get("/cgi/whoami", headers=dict(SMUGGLED, **BEARER))
    assert res.status == 200, res
    env = res.json()
    assert env["HTTP_X_OPENAPI_USER"] == "alice" and env["OPENAPI_USER"] == "alice"
    assert env["HTTP_X_OPENAPI_SCOPES"] == "read write" == env["OPENAPI_SCOPES"]
    assert env["HTTP_X_OPENAPI_OPERATION"] == "whoami" == env["OPENAPI_OPERATION"]
    assert env["HTTP_X_OPENAPI_SUB"] == "alice" == env["OPENAPI_CLAIM_SUB"]


# ---- mixed mode ----

def test_mixed_mode_plugin_function_or_backend_per_operation(servers):
    gateway, _ = servers
    res = gateway.get("/px/plugin")
    assert res.status == 200 and res.json() == {"user": None}  # auth.open_op: the plugin's answer
    res = gateway.get("/cgi/forced")  # x-openapi-dispatch: backend wins over auth.either_op
    assert res.status == 200 and res.json()["OPENAPI_OPERATION"] == "auth.either_op"


def test_x_openapi_dispatch_must_be_plugin_or_backend(httpd, tmp_path):
    server = httpd("""
<Location /px>
    OpenAPISpec @ROOT@/bad.yaml
    OpenAPIDispatch backend
</Location>
""", start=False)
    with open(os.path.join(server.root, "bad.yaml"), "w") as f:
        f.write("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
                "      x-openapi-dispatch: elsewhere\n      responses: {'200': {description: ok}}\n")
    code, output = server.configtest()
    assert code != 0
    assert "bad.yaml:6:27: GET /a: x-openapi-dispatch must be \"plugin\" or \"backend\"" in output


# ---- a large streamed upload ----

def child_rss_kb(server):
    """VmRSS of the httpd children of the server's (foreground) parent process."""
    parent = server.process.pid
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % pid) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            if ppid != parent:
                continue
            with open("/proc/%s/status" % pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return total


def test_100_mb_upload_streams_through_with_flat_memory(httpd):
    backend = with_fixtures(httpd, BACKEND.format(system=SYSTEM_MODULES), "backend")
    gateway = with_fixtures(httpd, proxy_only("OpenAPIValidateResponses on",
                               "127.0.0.1:%d" % backend.port, " timeout=60"), name="gateway")
    gateway.get("/px/items/1")  # warm up the child
    before = child_rss_kb(gateway)
    size = 100 * 1024 * 1024
    block = os.urandom(1024 * 1024)
    digest = hashlib.sha256()
    peak = [before]

    def blocks():
        for i in range(size // len(block)):
            digest.update(block)
            if i % 10 == 0:
                peak[0] = max(peak[0], child_rss_kb(gateway))
            yield block

    import http.client
    conn = http.client.HTTPConnection("127.0.0.1", gateway.port, timeout=120)
    started = time.time()
    conn.request("POST", "/px/upload", body=blocks(),
                 headers={"Content-Type": "application/octet-stream",
                          "Content-Length": str(size)})
    res = conn.getresponse()
    answer = json.loads(res.read())
    conn.close()
    assert res.status == 200, answer
    assert answer == {"sha256": digest.hexdigest(), "size": size}
    growth_mb = (max(peak[0], child_rss_kb(gateway)) - before) / 1024.0
    print("100 MB upload: %.1f s, gateway child RSS growth %.1f MB"
          % (time.time() - started, growth_mb))
    assert growth_mb < 20, growth_mb


def test_chunked_upload_of_an_unparsed_type_streams_too(servers):
    gateway, _ = servers
    block = os.urandom(256 * 1024)
    parts = [b"%x\r\n%s\r\n" % (len(block), block)] * 8 + [b"0\r\n\r\n"]
    _, data = raw_exchange(gateway.port,
                           "POST /px/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                           "Content-Type: application/octet-stream\r\n"
                           "Transfer-Encoding: chunked\r\n\r\n", parts)
    head, answer = split_answer(data)
    assert " 200 " in head.splitlines()[0], data
    assert json.loads(answer) == {"sha256": sha256(block * 8), "size": len(block) * 8}


def test_backend_header_names_are_configurable_and_off_still_strips(httpd):
    server = httpd(("""
LoadModule alias_module {system}/mod_alias.so
""" + CGI.replace("OpenAPIBackendHeader claim:sub X-OpenAPI-Sub",
                  "OpenAPIBackendHeader user X-Remote-User\n"
                  "    OpenAPIBackendHeader operation off\n"
                  "    OpenAPIBackendHeader claim:sub X-Tenant")).format(system=SYSTEM_MODULES),
                   start=False)
    shutil.copytree(FIXTURES, os.path.join(server.root, "gateway"))
    server.start()
    env = server.get("/cgi/whoami", headers=dict(SMUGGLED, **BEARER)).json()
    assert env["HTTP_X_REMOTE_USER"] == "alice" and env["HTTP_X_TENANT"] == "alice"
    assert env["HTTP_X_OPENAPI_SCOPES"] == "read write"  # the default kept
    assert "HTTP_X_OPENAPI_USER" not in env and "HTTP_X_OPENAPI_OPERATION" not in env
    assert env["OPENAPI_OPERATION"] == "whoami"
    env = server.get("/cgi/open", headers=SMUGGLED).json()
    assert not [k for k in env if k.startswith("HTTP_")], env


def test_kept_alive_connection_serves_the_next_request_after_a_replayed_body(servers):
    """httpd reads the rest of a body on a kept-alive connection until it sees EOS: the
    replay must give one on every read past the end."""
    gateway, _ = servers
    import http.client
    body = json.dumps({"name": "first"}).encode()
    with socket.create_connection(("127.0.0.1", gateway.port), timeout=10) as s:
        for name in ("first", "second"):
            body = json.dumps({"name": name}).encode()
            s.sendall(b"POST /px/items HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                      b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                      % (len(body), body))
            res = http.client.HTTPResponse(s)
            res.begin()
            assert res.status == 201 and json.loads(res.read())["name"] == name


def test_report_mode_passes_unknown_paths_and_methods_without_client_copies(servers):
    gateway, backend = servers
    gateway.expect_log(r"OAPI11006: report mode: request (GET /rp/unknown|DELETE /rp/whoami)")
    res = gateway.get("/rp/unknown", headers=SMUGGLED)
    assert res.status == 404 and res.json() == {"error": "no such path /unknown"}  # backend's
    assert "no operation of the API has the path '/unknown'" in \
        res.header("x-openapi-violations")
    assert told(backend, "|/svc/unknown") == ["-"] * 5
    res = gateway.request("DELETE", "/rp/whoami")
    assert res.status == 200 and "DELETE is not allowed" in res.header("x-openapi-violations")
    res = gateway.get("/px/unknown")  # enforce mode
    assert res.status == 404 and res.content_type == "application/problem+json"


def test_violations_header_stays_short(servers):
    gateway, _ = servers
    gateway.expect_log(r"OAPI11001: report mode: request POST /rp/items")
    body = json.dumps({"name": "x" * 200000, "qty": 0}).encode()
    res = gateway.request("POST", "/rp/items", body=body, headers=JSON)
    assert res.status == 201, res
    listed = res.header("x-openapi-violations")
    assert len(listed) <= 4200 and json.loads(listed), listed
