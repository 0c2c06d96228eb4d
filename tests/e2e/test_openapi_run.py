"""openapi-run: serves a spec with the distro httpd from a generated configuration; each
test starts it on a free loopback port, asks it, and stops it by its PID (SIGINT, as a
Ctrl-C in a terminal)."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import pytest

from httpd import BUILD_DIR, SANITIZE, SRC_DIR, free_port

RUN = os.path.join(BUILD_DIR, "openapi-run")
MODULE = os.path.join(BUILD_DIR, "mod_openapi.so")
PETSTORE = os.path.join(SRC_DIR, "examples/petstore/petstore.yaml")


def env():
    result = dict(os.environ)
    if SANITIZE:
        result["LD_PRELOAD"] = subprocess.run(["gcc", "-print-file-name=libasan.so"],
                                              capture_output=True, text=True).stdout.strip()
        # leaks are LeakSanitizer's business in the httpd tests; here: the tool's behaviour
        result["ASAN_OPTIONS"] = "detect_leaks=0"
    return result


class Run:
    def __init__(self, *args):
        self.port = free_port()
        self.output = tempfile.TemporaryFile()
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [RUN, "--module", MODULE, "--port", str(self.port)] + list(args),
            stdout=self.output, stderr=subprocess.STDOUT, env=env(), start_new_session=True)

    def wait_answer(self, path, seconds=30):
        """The first answer (status, body) to GET path, polling until it comes."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("openapi-run exited: %s" % self.text())
            try:
                return get(self.port, path)
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.05)
        raise AssertionError("no answer within %d s: %s" % (seconds, self.text()))

    def stop(self):
        if self.process.poll() is None:
            # as Ctrl-C in a terminal: SIGINT to its process group (it and httpd)
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
                raise AssertionError("openapi-run did not stop on SIGINT")
        return self.process.returncode

    def wait_text(self, text, seconds=10):
        deadline = time.monotonic() + seconds
        while text not in self.text() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.text()

    def text(self):
        self.output.seek(0)
        return self.output.read().decode(errors="replace")


def get(port, path, headers=None):
    request = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path),
                                     headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.fixture
def run():
    runs = []

    def start(*args):
        r = Run(*args)
        runs.append(r)
        return r

    yield start
    for r in runs:
        r.stop()


def test_first_minute_mock_all(run):
    r = run(PETSTORE, "--mock", "all")
    status, body = r.wait_answer("/v1/openapi.json")
    elapsed = time.monotonic() - r.started
    assert status == 200 and json.loads(body)["info"]["title"] == "Petstore"
    print("openapi-run: first answer after %.2f s" % elapsed)
    # mock mode: any well-formed token passes, the answer comes from the spec's examples
    status, body = get(r.port, "/v1/pets", {"Authorization": "Bearer anything"})
    assert status == 200 and isinstance(json.loads(body), list)
    assert get(r.port, "/v1/pets")[0] == 401  # still, a credential must be there
    assert get(r.port, "/v1/ui/")[0] == 200
    text = r.wait_text("Swagger UI:")
    assert "API:        http://127.0.0.1:%d/v1/" % r.port in text
    assert "Swagger UI: http://127.0.0.1:%d/v1/ui/" % r.port in text
    assert r.stop() == 0
    assert "openapi-run: stopped" in r.text()


def test_plugins_base_path_and_options(run):
    r = run(PETSTORE, os.path.join(BUILD_DIR, "examples/petstore/petstore.so"),
            "auth=" + os.path.join(BUILD_DIR, "examples/petstore/oauth.so"), "--base-path", "/api",
            "--swagger-ui", "off", "--validate-responses", "--strict-validation",
            "--cors", "http://127.0.0.1:1")
    status, body = r.wait_answer("/api/openapi.json")
    assert status == 200
    assert json.loads(body)["servers"] == [{"url": "http://127.0.0.1:%d/api" % r.port}]
    assert get(r.port, "/api/ui/")[0] == 404
    # the real handlers and authorization server
    status, body = get(r.port, "/api/pets", {"Authorization": "Bearer nope"})
    assert status == 401 and "invalid_token" in body
    assert get(r.port, "/v1/pets")[0] == 404  # the base path moved


def test_stub_without_plugins(run):
    r = run(os.path.join(SRC_DIR, "tests/fixtures/specs/split/api.yaml"), "--stub",
            "--base-path", "/")
    status, _ = r.wait_answer("/openapi.json")
    assert status == 200
    assert get(r.port, "/things/1")[0] == 501


def test_refuses_a_broken_spec_with_openapi_checks_message():
    spec = os.path.join(SRC_DIR, "tests/fixtures/specs/broken/bad_file_ref.yaml")
    done = subprocess.run([RUN, "--module", MODULE, "--port", str(free_port()), spec],
                          capture_output=True, text=True, timeout=60, env=env())
    check = subprocess.run([os.path.join(BUILD_DIR, "openapi-check"), spec],
                           capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert check.stdout.strip() and check.stdout.strip() in done.stderr
    assert "does not load; not starting" in done.stderr


def test_refuses_a_missing_module():
    done = subprocess.run([RUN, "--module", "/nonexistent/mod_openapi.so", PETSTORE],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "no such module" in done.stderr


def test_reload_on_change(run, tmp_path):
    spec = tmp_path / "api.yaml"
    original = open(PETSTORE).read()
    spec.write_text(original)
    r = run(str(spec), "--mock", "all", "--reload")
    assert r.wait_answer("/v1/openapi.json")[0] == 200
    spec.write_text(original.replace("title: Petstore", "title: Petstore Reloaded"))
    deadline = time.monotonic() + 20
    title = None
    while time.monotonic() < deadline:
        try:
            status, body = get(r.port, "/v1/openapi.json")
            title = json.loads(body)["info"]["title"] if status == 200 else None
        except (urllib.error.URLError, ConnectionError):
            pass
        if title == "Petstore Reloaded":
            break
        time.sleep(0.2)
    assert title == "Petstore Reloaded", r.text()
    # a broken change keeps the previous version serving
    spec.write_text("openapi: 3.0.3\ninfo: [\n")
    time.sleep(2)
    status, body = get(r.port, "/v1/openapi.json")
    assert status == 200 and json.loads(body)["info"]["title"] == "Petstore Reloaded"
    assert "still serving the previous version" in r.text()


def test_debug_logs_to_the_terminal(run):
    r = run(PETSTORE, "--mock", "all", "--debug")
    assert r.wait_answer("/v1/openapi.json")[0] == 200
    assert get(r.port, "/v1/pets?limit=0", {"Authorization": "Bearer x"})[0] == 400
    text = r.wait_text("OAPI02002")
    assert "OAPI01001" in text  # the spec loaded, at debug level
    assert "OAPI02002" in text and "limit" in text  # why the request was refused


def test_quiet_without_debug(run):
    r = run(PETSTORE, "--mock", "all")
    assert r.wait_answer("/v1/openapi.json")[0] == 200
    assert get(r.port, "/v1/pets?limit=0", {"Authorization": "Bearer x"})[0] == 400
    r.stop()
    assert "OAPI02002" not in r.text()
