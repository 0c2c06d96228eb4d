#!/usr/bin/python3
"""The soak with reloads (issue 17, item 3): one httpd (mpm_event, 4 to 6 children x 64
threads, 127.0.0.1) serving a plugin location, a mock location, plugin-function security
and token introspection with the shmcb token cache, and a spec that changes between
reloads. CONNECTIONS client threads send mixed valid and invalid requests, each with the
status it must get, for SECONDS; every RELOAD seconds the changing spec gets a new path
(and loses the old one), `apache2 -t` checks the configuration as apachectl does and the
parent gets a graceful restart (SIGUSR1); the new path must answer within 10 s, the old
one 404. Every fourth reload writes a broken spec instead: the check refuses it with the
file, line and reason, nothing is signalled, and the old spec keeps serving.

Prints a line every 10 s (requests, unexpected statuses, failed requests, children's
RSS) and a summary: 0 unexpected and 0 failed, RSS after warm-up flat (without reloads;
with them children are replaced). Exit status 1 otherwise.

usage: bench/httpd/soak_reload.py [--seconds 600] [--connections 256] [--reload 30]
       (OA_BUILD_DIR: the build to serve, default build-test-plain; --reload 0: none)
"""
import argparse
import http.client
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("OA_BUILD_DIR", os.path.join(ROOT, "build-test-plain"))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from httpd import Httpd  # noqa: E402  (the e2e tests' server: ServerRoot, modules, plugins)
from test_hostile import CONFIG as HOSTILE_LOCATIONS  # noqa: E402

SYSTEM = "/usr/lib/apache2/modules"
# the hostile suite's locations (/req: plugin, /mock, /sec: security by plugin functions)
# and two of the soak's own: cached token introspection, and the spec that changes
CONFIG = """
LoadModule socache_shmcb_module {system}/mod_socache_shmcb.so
StartServers 4
ServerLimit 6
ThreadsPerChild 64
MaxRequestWorkers 384
MinSpareThreads 64
MaxSpareThreads 384
ListenBacklog 1024
<Location /cache>
    OpenAPISpec @ROOT@/cache.json
    OpenAPIPlugin reach plugins/reach.so
    OpenAPITokenIntrospection http://127.0.0.1:{endpoint}/introspect soak s3cret
    OpenAPITokenCache shmcb
</Location>
<Location /live>
    OpenAPISpec @ROOT@/live.json
    OpenAPIPlugin reach plugins/reach.so
</Location>
"""

CACHE_SPEC = {
    "openapi": "3.0.3", "info": {"title": "cached tokens", "version": "1"},
    "servers": [{"url": "/cache"}],
    "components": {"securitySchemes": {"introspected": {
        "type": "oauth2", "flows": {"clientCredentials": {
            "tokenUrl": "/cache/token", "scopes": {"read": "r"}}}}}},
    "security": [{"introspected": ["read"]}],
    "paths": {"/read": {"get": {"operationId": "reach.op00",
                                "responses": {"200": {"description": "ok"}}}}},
}


def live_spec(generation):
    return {"openapi": "3.0.3", "info": {"title": "live", "version": str(generation)},
            "servers": [{"url": "/live"}],
            "paths": {"/gen%d" % generation: {"get": {
                "operationId": "reach.op%02d" % (generation % 100),
                "responses": {"200": {"description": "ok"}}}},
                "/stable": {"get": {"operationId": "reach.op99" if generation % 100 != 99
                                    else "reach.op98",
                                    "responses": {"200": {"description": "ok"}}}}}}


BROKEN_SPEC = '{"openapi": "3.0.3", "info": {"title": "broken", "version": "x"},\n' \
              ' "paths": {"/a": {"$ref": "#/nowhere"}}}\n'

JSON = {"Content-Type": "application/json"}
# (method, path, headers, body, statuses it must get)
MIX = [
    ("GET", "/req/styles/query?tags=a&ids=1,2", {}, None, {200}),
    ("GET", "/req/styles/query?ids=1,x", {}, None, {400}),
    ("POST", "/req/orders", JSON, '{"item": "abc", "quantity": 2}', {200}),
    ("POST", "/req/orders", JSON, '{"item": "ABC", "quantity": 0}', {400}),
    ("POST", "/req/orders", JSON, '{"item": ', {400}),
    ("POST", "/req/orders", {"Content-Type": "text/plain"}, "x", {415}),
    ("DELETE", "/req/styles/query", {}, None, {405}),
    ("GET", "/req/nowhere", {}, None, {404}),
    ("GET", "/mock/example", {}, None, {201}),
    ("GET", "/sec/read", {"Authorization": "Bearer good-token"}, None, {200}),
    ("GET", "/sec/read", {}, None, {401}),
    ("GET", "/sec/read", {"Authorization": "Bearer unknown-token"}, None, {401}),
    ("GET", "/sec/either", {"X-API-Key": "key-123"}, None, {200}),
    ("GET", "/cache/read", {"Authorization": "Bearer good"}, None, {200}),
    ("GET", "/cache/read", {"Authorization": "Bearer inactive"}, None, {401}),
    ("GET", "/live/stable", {}, None, {200}),
]


class QueuedServer(ThreadingHTTPServer):
    request_queue_size = 1024  # 256 connections may all ask at once
    daemon_threads = True


class Endpoint:
    """RFC 7662 introspection on loopback: "good" is active with the read scope. In its
    own process, as an authorization server is, so that the client threads' load does
    not starve it (the module gives up after 5 s and answers 503)."""

    def __init__(self):
        self.counter = multiprocessing.Value("l", 0)
        counter = self.counter

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                token = urllib.parse.parse_qs(self.rfile.read(length).decode()).get(
                    "token", [""])[0]
                with counter.get_lock():
                    counter.value += 1
                info = {"active": True, "sub": "alice", "scope": "read",
                        "exp": int(time.time()) + 3600} if token == "good" else {"active": False}
                data = json.dumps(info).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        server = QueuedServer(("127.0.0.1", 0), Handler)
        self.port = server.server_address[1]
        self.process = multiprocessing.get_context("fork").Process(
            target=server.serve_forever, daemon=True)
        self.process.start()
        server.server_close()  # the child serves; the parent keeps no listening copy

    @property
    def calls(self):
        return self.counter.value

    def close(self):
        self.process.terminate()
        self.process.join(5)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.unexpected = 0
        self.failed = 0
        self.samples = []

    def note(self, ok, failed, what):
        with self.lock:
            self.requests += 1
            if failed:
                self.failed += 1
            elif not ok:
                self.unexpected += 1
            if (failed or not ok) and len(self.samples) < 20:
                self.samples.append(what)


def send(port, method, path, headers, body, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def client(port, stats, stop, offset):
    i = offset
    while not stop.is_set():
        method, path, headers, body, statuses = MIX[i % len(MIX)]
        i += 1
        try:
            status = send(port, method, path, headers, body)
            stats.note(status in statuses, False, "%s %s: %s" % (method, path, status))
        except (OSError, http.client.HTTPException) as error:
            stats.note(False, True, "%s %s: %r" % (method, path, error))


def children(server):
    done = subprocess.run(["ps", "-o", "pid=,rss=", "--ppid", str(server.process.pid)],
                          capture_output=True, text=True, timeout=10)
    return {int(p): int(r) for p, r in (line.split() for line in done.stdout.splitlines())}


def write_json(server, name, value):
    path = os.path.join(server.root, name)
    with open(path + ".new", "w") as f:
        f.write(value if isinstance(value, str) else json.dumps(value))
    os.chmod(path + ".new", 0o644)
    os.replace(path + ".new", path)


def wait_status(port, path, status, seconds=10):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if send(port, "GET", path, {}, None, timeout=5) == status:
                return True
        except OSError:
            pass
        time.sleep(0.1)
    return False


def reload(server, generation, reloads, problems):
    """One reload: a broken spec every fourth time (refused by the check, not signalled,
    the old spec serving on), else the next generation, in force within 10 s."""
    if reloads % 4 == 3:
        write_json(server, "live.json", BROKEN_SPEC)
        code, output = server.configtest()
        if code == 0 or "live.json" not in output:
            problems.append("a broken spec passed the check: %s" % output[-300:])
        said = [line for line in output.splitlines() if "live.json" in line and
                "OAPI01001" not in line]
        print("reload %d: broken spec refused by apache2 -t: %s" % (
            reloads, said[0][:200] if said else "?"), flush=True)
        if not wait_status(server.port, "/live/gen%d" % generation, 200, 2):
            problems.append("reload %d: the old spec stopped serving" % reloads)
        write_json(server, "live.json", live_spec(generation))
        return generation
    generation += 1
    write_json(server, "live.json", live_spec(generation))
    code, output = server.configtest()
    if code != 0:
        problems.append("reload %d: the check refused a good spec: %s" % (reloads, output))
        return generation - 1
    started = time.time()
    server.process.send_signal(signal.SIGUSR1)  # apachectl graceful
    if not wait_status(server.port, "/live/gen%d" % generation, 200):
        problems.append("reload %d: /live/gen%d not served within 10 s" % (reloads, generation))
    elif not wait_status(server.port, "/live/gen%d" % (generation - 1), 404, 2):
        problems.append("reload %d: the old path still answers" % reloads)
    print("reload %d: generation %d in force after %.2f s" % (
        reloads, generation, time.time() - started), flush=True)
    return generation


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=600)
    parser.add_argument("--connections", type=int, default=256)
    parser.add_argument("--reload", type=int, default=30)
    args = parser.parse_args()

    endpoint = Endpoint()
    server = Httpd(CONFIG.format(system=SYSTEM, endpoint=endpoint.port) + HOSTILE_LOCATIONS,
                   name="soak")
    write_json(server, "cache.json", CACHE_SPEC)
    generation = 1
    write_json(server, "live.json", live_spec(generation))
    server.expect_log(r"AH0\d{4}: ")
    server.start()
    stats, stop, problems = Stats(), threading.Event(), []
    threads = [threading.Thread(target=client, args=(server.port, stats, stop, i), daemon=True)
               for i in range(args.connections)]
    started = time.time()
    for thread in threads:
        thread.start()
    rss, reloads, next_reload = [], 0, started + args.reload if args.reload else None
    try:
        while time.time() - started < args.seconds:
            pause = min(10, args.seconds - (time.time() - started))
            if next_reload:
                pause = min(pause, next_reload - time.time())
            time.sleep(max(0.1, pause))
            if next_reload and time.time() >= next_reload:
                generation = reload(server, generation, reloads, problems)
                reloads += 1
                next_reload = time.time() + args.reload
            mem = children(server)
            rss.append((time.time() - started, sum(mem.values()) / max(1, len(mem))))
            print("%5.0f s: %8d requests, %d unexpected, %d failed; %d children, mean RSS "
                  "%.1f MB" % (rss[-1][0], stats.requests, stats.unexpected, stats.failed,
                               len(mem), rss[-1][1] / 1024), flush=True)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=40)
        server.stop()
        endpoint.close()
    elapsed = time.time() - started
    warm = [r for t, r in rss if t >= elapsed * 0.2]
    growth = (warm[-1] - warm[0]) / 1024 if len(warm) > 1 else 0.0
    print("\n%d requests in %.0f s (%.0f/s) over %d connections; %d reloads; token "
          "introspection calls: %d (the rest from the cache)" % (
              stats.requests, elapsed, stats.requests / elapsed, args.connections, reloads,
              endpoint.calls))
    print("unexpected statuses: %d; failed requests: %d" % (stats.unexpected, stats.failed))
    print("children's mean RSS after warm-up: %.1f MB -> %.1f MB (%+.1f MB)%s" % (
        warm[0] / 1024 if warm else 0, warm[-1] / 1024 if warm else 0, growth,
        "; children are replaced at each reload" if reloads else ""))
    for sample in stats.samples:
        print("  " + sample)
    for problem in problems:
        print("PROBLEM: " + problem)
    unexpected = server.unexpected_log_lines()
    for line in unexpected[:20]:
        print("LOG: " + line)
    bad = stats.unexpected or stats.failed or problems or unexpected or \
        (not reloads and growth > 16)
    if not bad:
        server.cleanup()
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
