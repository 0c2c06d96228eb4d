"""LogLevel openapi:debug shows per request the operation matched, the security decision
and each validation failure; openapi:trace1 adds each stage's time; no level ever shows a
credential, password, API key, token or cookie the client sent (checked at trace8)."""
import base64
import json
import os
import re
import subprocess

SECURE = """
LogLevel warn openapi:trace8
LoadModule authn_core_module /usr/lib/apache2/modules/mod_authn_core.so
LoadModule authn_file_module /usr/lib/apache2/modules/mod_authn_file.so
<Location /sec>
    OpenAPISpec specs/secure.yaml
    OpenAPIPlugin auth plugins/auth.so
    AuthUserFile @ROOT@/users.htpasswd
</Location>
<Location /log>
    OpenAPISpec specs/logging.yaml
    OpenAPIBasePath /log
    OpenAPIMock all
</Location>
"""

SECRETS = ["good-token", "wrong-secret-token", "s3cret", "pa55word", "key-123",
           "cookie-secret-xyz", "query-secret-key", "hunter2-hunter2", "tok-98765x",
           "very-secret-value", base64.b64encode(b"admin:s3cret").decode(),
           base64.b64encode(b"ann:pa55word").decode()]


def start(httpd):
    server = httpd(SECURE, start=False)
    subprocess.run(["htpasswd", "-cbB", os.path.join(server.root, "users.htpasswd"), "ann",
                    "pa55word"], check=True, capture_output=True)
    os.chmod(os.path.join(server.root, "users.htpasswd"), 0o644)
    return server.start()


def log_lines(server, tag):
    return [line for line in server.error_log().splitlines() if tag in line]


def test_debug_shows_match_security_and_each_violation(httpd):
    server = start(httpd)
    ok = server.get("/sec/read", headers={"Authorization": "Bearer good-token"})
    assert ok.status == 200, ok
    bad = server.get("/sec/read?n=abc", headers={"Authorization": "Bearer good-token"})
    assert bad.status == 400, bad
    assert server.get("/sec/open").status == 200
    assert server.get("/sec/nothing").status == 404
    matched = log_lines(server, "OAPI14001")
    assert len(matched) == 3, matched
    assert "matched operation auth.read_op (GET /read) in <Location /sec> at " in matched[0]
    assert "handled by auth.read_op" in matched[0]
    allowed = log_lines(server, "OAPI14006")
    assert len(allowed) == 2 and "security of GET /read: allowed by oauth, user alice" \
        in allowed[0], allowed
    assert "security of GET /open: open (no requirement)" in log_lines(server, "OAPI14002")[0]
    invalid = log_lines(server, "OAPI14003")
    assert len(invalid) == 1, invalid
    assert "invalid request to GET /read (1 of 1): query parameter n: " in invalid[0]
    assert "abc" in invalid[0]  # an ordinary parameter's value may be shown
    assert "no path: no operation of <Location /sec>" in log_lines(server, "OAPI14005")[0]


def test_each_violation_and_withheld_messages(httpd):
    server = start(httpd)
    answer = server.request(
        "POST", "/log/login?user=long-name&password=hunter2-hunter2",
        body=json.dumps({"client_secret": "very-secret-value", "nickname": "abcdef"}),
        headers={"Content-Type": "application/json", "Cookie": "prefs=cookie-secret-xyz",
                 "X-Api-Token": "tok-98765x"})
    assert answer.status == 400, answer
    assert len(answer.json()["errors"]) == 6, answer.json()
    invalid = log_lines(server, "OAPI14003")
    assert len(invalid) == 6, invalid
    assert any("query parameter user: " in line and "long-name" in line for line in invalid)
    assert any("body at /nickname: " in line and "abcdef" in line for line in invalid)
    withheld = [line for line in invalid if "(message withheld: it may quote a credential)"
                in line]
    assert len(withheld) == 4, invalid  # password, the cookie, X-Api-Token, client_secret
    assert "6 violations, listed below" in log_lines(server, "OAPI02002")[0]


def test_trace1_times_each_stage(httpd):
    server = start(httpd)
    assert server.get("/sec/read", headers={"Authorization": "Bearer good-token"}).status \
        == 200
    assert server.get("/sec/read").status == 401
    server.access_log(wait_for="/sec/read HTTP/1.1\" 401")
    timings = log_lines(server, "OAPI14004")
    assert len(timings) == 2, timings
    served = re.search(r"timings of GET /read in microseconds: route (\d+),security (\d+),"
                       r"validation (\d+),handler (\d+),send (\d+); total (\d+)", timings[0])
    assert served, timings[0]
    parts = [int(n) for n in served.groups()]
    assert sum(parts[:-1]) == parts[-1]
    refused = timings[1]
    assert re.search(r"route \d+,security \d+; total \d+", refused), refused
    assert "[openapi:trace1]" in timings[0]


def test_no_secret_at_trace8(httpd):
    server = start(httpd)
    calls = [
        ("/sec/read", {"Authorization": "Bearer good-token"}, 200),
        ("/sec/read", {"Authorization": "Bearer wrong-secret-token"}, 401),
        ("/sec/either", {"Authorization": "Basic " + SECRETS[-2]}, 200),
        ("/sec/htpasswd", {"Authorization": "Basic " + SECRETS[-1]}, 200),
        ("/sec/either", {"X-API-Key": "key-123"}, 200),
        ("/sec/either", {"X-API-Key": "very-secret-value"}, 401),
        ("/sec/query-key?api_key=query-secret-key", {}, 401),
        ("/sec/query-key?api_key=key-123", {}, 200),
        ("/sec/cookie-key", {"Cookie": "session=cookie-secret-xyz"}, 401),
        ("/sec/cookie-key", {"Cookie": "session=key-123"}, 200),
    ]
    for path, headers, status in calls:
        assert server.get(path, headers=headers).status == status, (path, headers)
    server.request("POST", "/log/login?user=x&password=hunter2-hunter2",
                   headers={"Cookie": "prefs=cookie-secret-xyz", "X-Api-Token": "tok-98765x"})
    server.access_log(wait_for="/log/login")
    text = server.error_log()
    assert "OAPI14001" in text and "OAPI14004" in text  # the log did see these requests
    for secret in SECRETS:
        assert secret not in text, secret
