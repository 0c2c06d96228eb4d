"""Per-request cost is bounded (README "Limits"): the worst shapes of body, query and
headers we could construct, each up to the location's OpenAPIMaxBodySize, are answered
within a second of the child's CPU time with the right 4xx, and the child's peak memory
grows by at most a small factor of the body's size. Also OpenAPIMaxErrors (the cap on listed errors, the rest
counted in errors_omitted) and OpenAPIFillDefaults."""
import json
import os
import time

import pytest

from httpd import SANITIZE

MAX_BODY = 4 * 1024 * 1024
# Peak RSS growth allowed per request: MEMORY_FACTOR x the body, plus a constant for the
# allocator's and APR's own blocks. Parsed JSON is nearly all of it: jansson spends about
# 240 bytes on an empty object, so "[{},{},...]" costs 80x its text (measured); other
# shapes measured 7x to 46x.
MEMORY_FACTOR = 96
MEMORY_SLACK = 16 * 1024 * 1024
# Sanitizers slow everything several times and keep freed memory in quarantine.
SECONDS = 5.0 if SANITIZE else 1.0

CONFIG = """
<Location /lim>
    OpenAPISpec specs/limits.yaml
    OpenAPIPlugin echo plugins/echo.so
    OpenAPIMock unimplemented
    OpenAPIMaxBodySize %d
    OpenAPIStrictValidation on
    {extra}
</Location>
""" % MAX_BODY


@pytest.fixture
def api(httpd):
    return httpd(CONFIG.format(extra=""))


def child_pid(server):
    """The one child (ServerLimit 1); the parent runs in the foreground. A loaded machine
    may accept the first connection before the child exists: wait for it."""
    parent = str(server.process.pid)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % entry) as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if fields[1] == parent:
                return int(entry)
        time.sleep(0.05)
    raise AssertionError("no child of httpd %s" % parent)


def status_kb(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise AssertionError(field)


def reset_peak(pid):
    """Resets VmHWM to the current RSS (Linux 4.0+); False where not permitted."""
    try:
        with open("/proc/%d/clear_refs" % pid, "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def cpu_seconds(pid):
    """User + system CPU time of all the process's threads."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(server, method, path, body=None, headers=None):
    """Sends one request; returns (response, CPU seconds the child spent on it, peak RSS
    growth in bytes). CPU time, not wall time: the machine is shared, and a loaded
    machine stretches wall time without the request costing more."""
    pid = child_pid(server)
    reset_peak(pid)
    before = status_kb(pid, "VmHWM")
    cpu = cpu_seconds(pid)
    start = time.monotonic()
    response = server.request(method, path, body=body, headers=headers, timeout=60)
    wall = time.monotonic() - start
    seconds = cpu_seconds(pid) - cpu
    growth = (status_kb(pid, "VmHWM") - before) * 1024
    assert wall < 30 * SECONDS, "%s took %.1f s of wall time" % (path, wall)
    return response, seconds, growth


def check_bounded(server, method, path, body, status, headers=None):
    response, seconds, growth = measured(server, method, path, body, headers)
    size = len(body) if body else 0
    assert response.status == status, (path, response)
    assert response.content_type == "application/problem+json", response
    assert seconds < SECONDS, "%s took %.2f s of CPU for %d bytes" % (path, seconds, size)
    if not SANITIZE:
        assert growth <= MEMORY_FACTOR * size + MEMORY_SLACK, \
            "%s: peak RSS grew %d bytes for a %d-byte body" % (path, growth, size)
    return response


def json_body(value):
    text = json.dumps(value, separators=(",", ":"))
    assert len(text) <= MAX_BODY
    return text


JSON = {"Content-Type": "application/json"}


def test_many_forbidden_properties(api):
    body = json_body({"p%d" % i: 0 for i in range(200000)})
    problem = check_bounded(api, "POST", "/lim/closed", body, 400, JSON).json()
    message = problem["errors"][0]["message"]
    assert message.startswith("Additional properties are not allowed ('p0', 'p1'")
    assert "... and 199990 more were unexpected" in message
    assert len(message) < 400


def test_many_errors_are_capped_and_counted(api):
    body = json_body([{"id": 1, "name": "b"}] * 100000)
    problem = check_bounded(api, "POST", "/lim/typed", body, 400, JSON).json()
    assert len(problem["errors"]) == 20
    assert problem["errors_omitted"] == 200000 - 20
    assert "(and 199999 more; only the first 20 are listed)" in problem["detail"]


@pytest.mark.parametrize("length", [3, 8, 14, 40])
def test_catastrophic_pattern(api, length):
    """`^(a+)+$` against "aaa...!" needs 2^length steps: a body of many such strings must
    not cost length x its size in backtracking (before the fix: 17 s for 4 MB of
    14-character strings, each just under the per-match limit)."""
    item = {"id": 9, "name": "a" * length + "!"}
    count = MAX_BODY // (len(json.dumps(item, separators=(",", ":"))) + 1) - 1
    check_bounded(api, "POST", "/lim/typed", json_body([item] * count), 400, JSON)


def test_unique_items_large_arrays(api):
    check_bounded(api, "POST", "/lim/unique", json_body(list(range(400000)) + [0]), 400, JSON)
    strings = json_body(["s%d" % i for i in range(200000)] + ["s1"])
    check_bounded(api, "POST", "/lim/unique", strings, 400, JSON)
    objects = json_body([{"k": i} for i in range(100000)] + [{"k": 5}])
    check_bounded(api, "POST", "/lim/unique", objects, 400, JSON)


def test_failing_branches(api):
    body = json_body([{"z": 1}] * 200000)
    problem = check_bounded(api, "POST", "/lim/branches", body, 400, JSON).json()
    assert "errors_omitted" in problem


def test_many_small_containers(api):
    """jansson's worst case: an empty object costs it about 200 bytes for 3 of text."""
    body = json_body([{}] * (MAX_BODY // 3 - 1))
    check_bounded(api, "POST", "/lim/closed", body, 400, JSON)


def test_deep_nesting(api):
    # deeper than jansson parses (a 400 naming the position) and deeper than validation
    # follows (a 400 naming the limit)
    check_bounded(api, "POST", "/lim/nested", "[" * 100000 + "]" * 100000, 400, JSON)
    deep = '{"child":' * 1000 + "{}" + "}" * 1000
    response = check_bounded(api, "POST", "/lim/nested", deep, 400, JSON)
    assert "too deep" in response.body or "nested" in response.body, response
    wide = json_body({"items": [{"items": [{"value": "x"}] * 50}] * 4000})
    check_bounded(api, "POST", "/lim/nested", wide, 400, JSON)


def test_many_form_fields(api):
    form = "&".join("f%d=x" % i for i in range(300000))
    problem = check_bounded(api, "POST", "/lim/closed", form, 400,
                            {"Content-Type": "application/x-www-form-urlencoded"}).json()
    assert problem["errors_omitted"] > 0


def test_many_multipart_parts(api):
    parts = "".join('--B\r\nContent-Disposition: form-data; name="f%d"\r\n\r\n1\r\n' % i
                    for i in range(999))
    body = parts + '--B\r\nContent-Disposition: form-data; name="x"\r\n\r\ny\r\n--B--\r\n'
    ct = {"Content-Type": "multipart/form-data; boundary=B"}
    problem = check_bounded(api, "POST", "/lim/closed", body, 400, ct).json()
    assert problem["errors"][0]["message"] == "unknown form field 'f0'"  # strict mode
    assert problem["errors_omitted"] == 1000 - 20
    too_many = "".join('--B\r\nContent-Disposition: form-data; name="f"\r\n\r\n1\r\n'
                       for i in range(1001)) + "--B--\r\n"
    problem = check_bounded(api, "POST", "/lim/closed", too_many, 400, ct).json()
    assert "more than 1000 parts" in problem["detail"]


def test_huge_query_and_accept(api):
    # httpd caps the request line (LimitRequestLine, 8190) and each header field
    # (LimitRequestFieldSize, 8190): the largest it lets through
    query = "&".join("filter[k%d]=x" % i for i in range(600))[:8000]
    query = query[:query.rfind("&")]
    check_bounded(api, "GET", "/lim/query?" + query, None, 400)
    ids = "ids=" + ",".join("x" for i in range(3900))
    problem = check_bounded(api, "GET", "/lim/query?" + ids, None, 400).json()
    assert problem["errors_omitted"] == 3900 - 20
    accept = ", ".join("text/x-%d;q=0.%d;a=b" % (i, i % 9 + 1) for i in range(400))[:8000]
    accept = accept[:accept.rfind(",")]
    check_bounded(api, "GET", "/lim/query", None, 406, {"Accept": accept})


def test_max_errors_directive(httpd):
    server = httpd(CONFIG.format(extra="OpenAPIMaxErrors 3"))
    body = json_body([{"id": 1, "name": "a"}] * 10)
    problem = server.request("POST", "/lim/typed", body, JSON).json()
    assert len(problem["errors"]) == 3
    assert problem["errors_omitted"] == 7
    assert problem["detail"].endswith("(and 9 more; only the first 3 are listed)")
    few = server.request("POST", "/lim/typed", json_body([{"id": 1, "name": "a"}]), JSON)
    assert "errors_omitted" not in few.json()


def test_fill_defaults_directive(httpd):
    server = httpd(CONFIG.format(extra="") +
                   "<Location /lim/defaults>\n    OpenAPIFillDefaults on\n</Location>\n")
    filled = server.request("POST", "/lim/defaults", "{}", JSON)
    assert filled.status == 200, filled
    assert filled.json()["body"] == {"page": {"limit": 20}}
    big = json_body({"items": list(range(300000))})
    response, seconds, growth = measured(server, "POST", "/lim/defaults", big, JSON)
    assert response.status == 200 and seconds < SECONDS * 2


def test_fill_defaults_is_off_by_default(api):
    response = api.request("POST", "/lim/defaults", "{}", JSON)
    assert response.status == 200, response
    assert response.json()["body"] == {}


@pytest.mark.parametrize("value", ["0", "1001", "many", "-3", "2x"])
def test_max_errors_syntax(httpd, value):
    server = httpd(CONFIG.format(extra="OpenAPIMaxErrors %s" % value), start=False)
    code, output = server.configtest()
    assert code != 0
    assert "OpenAPIMaxErrors: '%s' is not a number from 1 to 1000" % value in output, output


def test_fill_defaults_syntax(httpd):
    server = httpd(CONFIG.format(extra="OpenAPIFillDefaults maybe"), start=False)
    code, output = server.configtest()
    assert code != 0 and "OpenAPIFillDefaults" in output, output


def test_max_errors_inherits(httpd):
    server = httpd(CONFIG.format(extra="OpenAPIMaxErrors 2") +
                   "<Location /lim/typed>\n    OpenAPIFillDefaults off\n</Location>\n")
    body = json_body([{"id": 1, "name": "a"}] * 10)
    problem = server.request("POST", "/lim/typed", body, JSON).json()
    assert len(problem["errors"]) == 2 and problem["errors_omitted"] == 8


def test_long_names_are_cut(api):
    name = "n" * 1000000
    response = check_bounded(api, "POST", "/lim/closed", name + "=1",
                             400, {"Content-Type": "application/x-www-form-urlencoded"})
    error = response.json()["errors"][0]
    assert error["name"] == "n" * 200 + "..."
    assert len(error["message"]) <= 603
    assert len(response.body) < 4000
