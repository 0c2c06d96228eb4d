#!/usr/bin/env python3
"""The httpd benchmark of mod_openapi, driven by bench/httpd/run.sh (which builds what
this needs and passes the paths). See bench/httpd/README.md.

One httpd (Debian's apache2, mpm_event, 2 children x 64 threads) on 127.0.0.1 serves
every case from one configuration; wrk (2 threads, 64 connections) times each case
REPEATS times, interleaved; server CPU is read from /proc for the httpd process tree.
"""
import argparse
import datetime
import http.client
import json
import os
import pwd
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
HTTPD = shutil.which("apache2", path="/usr/sbin:/usr/bin") or "/usr/sbin/apache2"
SYSTEM_MODULES = "/usr/lib/apache2/modules"
CLK_TCK = os.sysconf("SC_CLK_TCK")
PADDED = (10, 1000, 10000)

BASE_CONFIG = """\
ServerRoot "{root}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{root}/httpd.pid"
ErrorLog "{root}/error.log"
LogLevel {loglevel}
TraceEnable off
LoadModule mpm_event_module {system}/mod_mpm_event.so
LoadModule authz_core_module {system}/mod_authz_core.so
LoadModule openapi_module modules/mod_openapi.so
LoadModule bare_module modules/mod_bare.so
StartServers 2
ServerLimit 2
ThreadLimit 64
ThreadsPerChild 64
MaxRequestWorkers 128
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 0
KeepAliveTimeout 15

# (a) the limit: a bare C handler, no validation
<Location /bare>
    SetHandler bare-json
</Location>
# (b) mod_openapi: plugin handler, full request validation
<Location /b>
    OpenAPISpec specs/spec.yaml
    OpenAPIBasePath /b
    OpenAPIPlugin bench plugins/bench.so
</Location>
# (c) as (b) with response validation
<Location /c>
    OpenAPISpec specs/spec.yaml
    OpenAPIBasePath /c
    OpenAPIPlugin bench plugins/bench.so
    OpenAPIValidateResponses on
</Location>
# (d) mock mode: no plugin at all
<Location /d>
    OpenAPISpec specs/spec.yaml
    OpenAPIBasePath /d
    OpenAPIMock all
</Location>
"""

# (f), (g) as (b) with every operation behind a JWT access token (keys from a file)
JWT_LOCATION = """\
<Location /{key}>
    OpenAPISpec specs/spec-jwt.yaml
    OpenAPIBasePath /{key}
    OpenAPIPlugin bench plugins/bench.so
    OpenAPIJWKS specs/jwks.json
    OpenAPIJWTIssuer https://issuer.example
    OpenAPIJWTAudience https://api.example
</Location>
"""

PADDED_LOCATION = """\
# (e) the spec padded to {n} paths (generated operations are stubs)
<Location /e{n}>
    OpenAPISpec specs/padded-{n}.json
    OpenAPIBasePath /e{n}
    OpenAPIPlugin bench plugins/bench.so
    OpenAPIStub on
</Location>
"""

# Twilio's spec declares HTTP basic auth: mod_openapi wants an authn provider for it.
# Loaded in both httpds of the comparison so that only the location differs.
AUTHN_MODULES = """\
LoadModule authn_core_module {system}/mod_authn_core.so
LoadModule authn_file_module {system}/mod_authn_file.so
"""

TWILIO_LOCATION = """\
# Twilio's API (197 operations), mocked: what a large spec costs
<Location /tw>
    OpenAPISpec specs/twilio.yaml
    OpenAPIBasePath /tw
    OpenAPIMock all
</Location>
"""

GET_PATH = "/items/42?limit=5"
GET_EXPECT = {"id": 42, "limit": 5, "name": "item"}


# ---- request bodies ----

def order(lines):
    return {
        "order_id": "ORD-20240117",
        "status": "paid",
        "created": "2024-01-17T10:15:00Z",
        "currency": "EUR",
        "customer": {
            "id": "3f1c2a9e-5b7d-4c1e-9a8f-2d6b4e8c0a17",
            "name": "Ada Lovelace",
            "email": "ada@example.org",
            "address": {"street": "12 Analytical Row", "city": "London",
                        "postcode": "SW1A 1AA", "country": "GB"},
        },
        "lines": [{"sku": "ABC-%04d" % (1000 + i), "quantity": 1 + i % 7,
                   "unit_price": round(3.5 + i * 0.25, 2), "taxable": i % 2 == 0}
                  for i in range(lines)],
    }


def body_of_size(target):
    """A valid order whose compact JSON is as close to target bytes as lines allow, then
    padded exactly with the note."""
    lines = 1
    while len(json.dumps(order(lines + 1), separators=(",", ":"))) <= target:
        lines += 1
    value = order(lines)
    room = target - len(json.dumps(value, separators=(",", ":"))) - len(',"note":""')
    if room > 0:
        value["note"] = "x" * min(room, 500)
    return json.dumps(value, separators=(",", ":"))


# ---- processes ----

def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def www_data():
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("www-data")
    except KeyError:
        return None


class Httpd:
    """One httpd in a throwaway ServerRoot (0755, owned by www-data when we are root)."""

    def __init__(self, args, name, padded=True, twilio=None, loglevel="warn"):
        self.root = tempfile.mkdtemp(prefix="oa-bench-%s-" % name)
        self.wrapper = []        # e.g. valgrind
        os.chmod(self.root, 0o755)
        self.port = free_port()
        self.process = None
        for sub in ("modules", "plugins", "specs"):
            os.makedirs(os.path.join(self.root, sub))
        shutil.copy(args.module, os.path.join(self.root, "modules/mod_openapi.so"))
        shutil.copy(args.bare, os.path.join(self.root, "modules/mod_bare.so"))
        shutil.copy(args.plugin, os.path.join(self.root, "plugins/bench.so"))
        shutil.copy(os.path.join(HERE, "spec.yaml"), os.path.join(self.root, "specs/spec.yaml"))
        config = BASE_CONFIG.format(root=self.root, port=self.port, system=SYSTEM_MODULES,
                                    loglevel=loglevel)
        if JWT["jwks"]:
            with open(os.path.join(HERE, "spec.yaml")) as f:
                spec = f.read()
            spec = spec.replace("\ncomponents:\n", "\ncomponents:\n  securitySchemes:\n"
                                "    jwt: {type: http, scheme: bearer, bearerFormat: JWT}\n")
            with open(os.path.join(self.root, "specs/spec-jwt.yaml"), "w") as f:
                f.write(spec + "\nsecurity:\n  - jwt: []\n")
            with open(os.path.join(self.root, "specs/jwks.json"), "w") as f:
                json.dump(JWT["jwks"], f)
            config += JWT_LOCATION.format(key="f") + JWT_LOCATION.format(key="g")
        if padded:
            for n in PADDED:
                subprocess.run([sys.executable, os.path.join(HERE, "gen_spec.py"),
                                os.path.join(HERE, "spec.yaml"), str(n),
                                os.path.join(self.root, "specs/padded-%d.json" % n)],
                               check=True, timeout=120)
                config += PADDED_LOCATION.format(n=n)
        if twilio is not None:             # False: the same httpd without the location
            config += AUTHN_MODULES.format(system=SYSTEM_MODULES)
        if twilio:
            shutil.copy(args.twilio, os.path.join(self.root, "specs/twilio.yaml"))
            config += TWILIO_LOCATION
        self.config = os.path.join(self.root, "httpd.conf")
        with open(self.config, "w") as f:
            f.write(config)
        user = www_data()
        for dirpath, dirnames, filenames in os.walk(self.root):
            for entry in [dirpath] + [os.path.join(dirpath, f) for f in filenames]:
                os.chmod(entry, 0o755 if os.path.isdir(entry) else 0o644)
                if user:
                    os.chown(entry, user.pw_uid, user.pw_gid)

    def command(self, *extra):
        cmd = self.wrapper + [HTTPD, "-d", self.root, "-f", self.config] + list(extra)
        user = www_data()
        if user:
            # setpriv execs: the PID we start is httpd's parent process.
            cmd = ["setpriv", "--reuid=%d" % user.pw_uid, "--regid=%d" % user.pw_gid,
                   "--clear-groups", "--"] + cmd
        return cmd

    def start(self, timeout=60, single=False):
        """Starts httpd; single: `-X`, one process serving (for valgrind)."""
        started = time.time()
        self.console = open(os.path.join(self.root, "console.log"), "w")
        self.process = subprocess.Popen(self.command("-X" if single else "-DFOREGROUND"),
                                        stdout=self.console, stderr=subprocess.STDOUT)
        deadline = started + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("httpd exited with %d:\n%s" % (self.process.returncode,
                                                                  self.error_log()))
            if single or len(self.children()) == 2:
                try:
                    with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                        self.startup_seconds = time.time() - started
                        return self
                except OSError:
                    pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("httpd did not come up within %d s:\n%s" % (timeout, self.error_log()))

    def stop(self):
        if not self.process:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)

    def error_log(self):
        """httpd's error log, after what it wrote to its console (start-up errors)."""
        text = ""
        for name in ("console.log", "error.log"):
            try:
                with open(os.path.join(self.root, name), errors="replace") as f:
                    text += f.read()
            except FileNotFoundError:
                pass
        return text

    # ---- /proc ----

    def children(self):
        if not self.process:
            return []
        parent = self.process.pid
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            stat = read_stat(int(entry))
            if stat and int(stat[1]) == parent:
                found.append(int(entry))
        return sorted(found)

    def cpu_ticks(self):
        """(user, system) clock ticks of the parent, its reaped children (cutime, cstime)
        and its live children: the whole tree's CPU, even if a child were replaced."""
        stat = read_stat(self.process.pid)
        user = int(stat[11]) + int(stat[13])
        system = int(stat[12]) + int(stat[14])
        for pid in self.children():
            child = read_stat(pid)
            if child:
                user += int(child[11])
                system += int(child[12])
        return user, system

    # ---- HTTP ----

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheader("Content-Type"), response.read()
        finally:
            conn.close()


def read_stat(pid):
    """Fields of /proc/PID/stat after the command name: [0] state, [1] ppid, ...
    [11] utime, [12] stime, [13] cutime, [14] cstime."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            text = f.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()


def memory(pid):
    """(VmRSS, Pss) in KiB."""
    rss = pss = None
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


# ---- wrk ----

def lua_post(work, name, body):
    body_file = os.path.join(work, "%s.json" % name)
    with open(body_file, "w") as f:
        f.write(body)
    script = os.path.join(work, "%s.lua" % name)
    with open(script, "w") as f:
        f.write('wrk.method = "POST"\n'
                'wrk.headers["Content-Type"] = "application/json"\n'
                'local f = assert(io.open("%s", "rb"))\n'
                'wrk.body = f:read("*a")\n'
                'f:close()\n' % body_file)
    return script


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(text):
    def grab(pattern, cast=float, default=None):
        m = re.search(pattern, text)
        return cast(m.group(1)) if m else default
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       text)
    return {
        "rps": grab(r"Requests/sec:\s+([\d.]+)"),
        "requests": grab(r"(\d+) requests in", int),
        "p99_ms": float(p99.group(1)) * UNITS[p99.group(2)] if p99 else None,
        "non2xx": grab(r"Non-2xx or 3xx responses: (\d+)", int, 0),
        "socket_errors": sum(int(x) for x in errors.groups()) if errors else 0,
    }


def run_wrk(server, case, seconds, connections=64, script=None, latency=True):
    cmd = ["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds, "--timeout", "5s"]
    if latency:
        cmd.append("--latency")
    for header in case.get("headers", ()):
        cmd += ["-H", header]
    script = script or case.get("script")
    if script:
        cmd += ["-s", script]
    cmd.append("http://127.0.0.1:%d%s" % (server.port, case["path"]))
    before = server.cpu_ticks()
    machine_before = machine_ticks()
    wrk_before = os.times()
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    wrk_after = os.times()
    machine_after = machine_ticks()
    after = server.cpu_ticks()
    if done.returncode != 0:
        raise RuntimeError("wrk failed: %s\n%s" % (" ".join(cmd), done.stderr))
    result = parse_wrk(done.stdout)
    if not result["requests"] or not result["rps"]:
        raise RuntimeError("cannot read wrk's output:\n%s" % done.stdout)
    per_request = 1e6 / CLK_TCK / result["requests"]
    result["user_us"] = (after[0] - before[0]) * per_request
    result["cpu_us"] = (after[0] + after[1] - before[0] - before[1]) * per_request
    # CPU the rest of the machine used meanwhile (not httpd, not wrk), in % of one core.
    busy = (machine_after[0] - machine_before[0]) / CLK_TCK
    elapsed = (machine_after[1] - machine_before[1]) / CLK_TCK
    wrk_cpu = (wrk_after.children_user + wrk_after.children_system
               - wrk_before.children_user - wrk_before.children_system)
    httpd_cpu = (after[0] + after[1] - before[0] - before[1]) / CLK_TCK
    result["other"] = max(0.0, (busy - wrk_cpu - httpd_cpu) / elapsed * 100) if elapsed else 0.0
    return result


def machine_ticks():
    """(busy, total) clock ticks of all CPUs, from /proc/stat (total / cores = wall)."""
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields[:8]) - idle, sum(fields[:8]) / os.cpu_count()


# ---- the cases ----

def make_cases(work):
    if not JWT["jwks"]:
        make_jwt_material()
    small = body_of_size(300)
    large = body_of_size(10 * 1024)
    scripts = {"small": lua_post(work, "post-300", small), "large": lua_post(work, "post-10k", large)}
    bodies = {"small": small, "large": large}
    cases = []
    for key, prefix, label in (("a", "/bare", "(a) bare C handler"),
                               ("b", "/b", "(b) mod_openapi, request validation"),
                               ("c", "/c", "(c) (b) + response validation"),
                               ("d", "/d", "(d) mock (OpenAPIMock all)")):
        cases.append({"key": key, "op": "GET", "label": label, "path": prefix + GET_PATH})
        for size, name in (("small", "POST 300 B"), ("large", "POST 10 KB")):
            cases.append({"key": key, "op": name, "label": label, "path": prefix + "/items",
                          "script": scripts[size], "body": bodies[size]})
    for n in PADDED:
        cases.append({"key": "e%d" % n, "op": "GET", "label": "(e) spec of %s paths" % format(n, ","),
                      "path": "/e%d%s" % (n, GET_PATH)})
    for key, prefix, alg in (("f", "/f", "RS256"), ("g", "/g", "ES256")):
        token = JWT["tokens"][alg]
        cases.append({"key": key, "op": "GET", "path": prefix + GET_PATH,
                      "label": "(%s) (b) + %s JWT (%d B)" % (key, alg, len(token)),
                      "headers": ["Authorization: Bearer " + token]})
    return cases, bodies


# ---- JWT access tokens for (f) and (g) ----

JWT = {"jwks": None, "tokens": {}}


def make_jwt_material():
    """An RS256 (2048-bit) and an ES256 key, their JWK Set, and a token of each with the
    same claims, padded so that the RS256 token is about 1 KB (minted with the e2e tests'
    helpers, python3-cryptography)."""
    sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "e2e"))
    from jwt_tokens import Key, token
    keys = {"RS256": Key("RS256", "bench-rsa"), "ES256": Key("ES256", "bench-ec")}
    claims = {"iss": "https://issuer.example", "aud": "https://api.example", "sub": "bench",
              "client_id": "bench-client", "scope": "items:read items:write",
              "iat": int(time.time()), "exp": int(time.time()) + 86400, "jti": "x" * 36}
    claims["ext"] = "p" * max(0, 1024 - len(token(keys["RS256"], claims)) - 10)
    JWT["jwks"] = {"keys": [k.jwk for k in keys.values()]}
    JWT["tokens"] = {alg: token(key, claims) for alg, key in keys.items()}


def check(server, cases, bodies):
    """One request per case (and a few that show validation is really on), so that a
    misconfigured case cannot report a fake speed. Returns a list of failures."""
    failures = []

    def expect(what, method, path, status, body=None, headers=None, test=None):
        try:
            got, ctype, data = server.request(method, path, body=body, headers=headers)
        except OSError as e:
            failures.append("%s: %s %s: %s" % (what, method, path, e))
            return
        problem = None
        if got != status:
            problem = "status %d, expected %d" % (got, status)
        elif test:
            try:
                value = json.loads(data)
            except ValueError:
                value = None
            problem = test(value, ctype)
        if problem:
            failures.append("%s: %s %s: %s (body %r)" % (what, method, path, problem, data[:200]))

    json_headers = {"Content-Type": "application/json"}
    for case in cases:
        what = "%s %s" % (case["label"], case["op"])
        if case["op"] == "GET":
            if case["key"] == "d":   # the spec's example, not a handler's answer
                test = lambda v, t: None if v == {"id": 42, "limit": 10, "name": "item"} \
                    else "not the spec's example"
            else:
                test = lambda v, t: None if v == GET_EXPECT and t == "application/json" \
                    else "unexpected body or type %s" % t
            expect(what, "GET", case["path"], 200, test=test,
                   headers=dict(h.split(": ", 1) for h in case.get("headers", ())))
        else:
            sent = json.loads(case["body"])
            if case["key"] == "d":
                test = lambda v, t: None if isinstance(v, dict) else "no JSON object"
            else:
                test = lambda v, t, sent=sent: None if v == sent else "not the echoed order"
            expect(what, "POST", case["path"], 201, body=case["body"], headers=json_headers,
                   test=test)
    # The JWT cases refuse a request without a token, or with the other case's token
    # altered.
    for case in cases:
        if case.get("headers"):
            expect("no token in %s" % case["label"], "GET", case["path"], 401)
            expect("bad signature in %s" % case["label"], "GET", case["path"], 401,
                   headers={"Authorization": case["headers"][0].split(": ", 1)[1][:-4] + "AAAA"})
    # Validation is on where it should be, and off where it should not be.
    for prefix in ("/b", "/c", "/e10", "/e1000", "/e10000"):
        expect("request validation in %s" % prefix, "GET", prefix + "/items/42?limit=1000", 400)
        expect("request validation in %s" % prefix, "GET", prefix + "/items/zero", 400)
    bad = json.loads(bodies["small"])
    bad["lines"][0]["sku"] = "nope"
    for prefix in ("/b", "/c", "/d"):
        expect("body validation in %s" % prefix, "POST", prefix + "/items",
               400, body=json.dumps(bad), headers=json_headers)
    expect("the bare handler does not validate", "POST", "/bare/items", 201,
           body=json.dumps(bad), headers=json_headers)
    # bench.get_item answers limit 1000 for id 999999: a response that breaks the spec.
    expect("no response validation in /b", "GET", "/b/items/999999", 200)
    expect("response validation in /c", "GET", "/c/items/999999", 500)
    # The padded specs' generated paths are routed (to stubs).
    for n in PADDED:
        expect("generated paths in /e%d" % n, "GET", "/e%d/r00000/things/5" % n, 501)
        if n > 10:
            expect("generated paths in /e%d" % n, "GET", "/e%d/items/7/sub%05d" % (n, n - 3), 501)
    return failures


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(cases, runs):
    rows = []
    for case in cases:
        results = runs[(case["key"], case["op"])]
        rps = [r["rps"] for r in results]
        rows.append({
            "case": case, "rps": median(rps), "p99": median([r["p99_ms"] for r in results]),
            "cpu": median([r["cpu_us"] for r in results]),
            "user": median([r["user_us"] for r in results]),
            "spread": (max(rps) - min(rps)) / median(rps) * 100 if rps else None,
            "bad": sum(r["non2xx"] + r["socket_errors"] for r in results),
            "other": median([r["other"] for r in results]),
        })
    base = {row["case"]["op"]: row for row in rows if row["case"]["key"] == "a"}
    for row in rows:
        a = base[row["case"]["op"]]
        row["rps_ratio"] = row["rps"] / a["rps"]
        row["cpu_ratio"] = row["cpu"] / a["cpu"]
        row["user_ratio"] = row["user"] / a["user"]
    return rows


def table(rows, repeats, seconds):
    out = ["| case | request | req/s | p99 (ms) | server CPU µs/req | of which user | "
           "req/s ÷ (a) | CPU ÷ (a) | user ÷ (a) | req/s spread | other load | errors |",
           "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        out.append("| %s | %s | %.0f | %.2f | %.1f | %.1f | %.2f | %.2f | %.2f | %.1f%% | %.0f%% "
                   "| %d |" % (
            row["case"]["label"], row["case"]["op"], row["rps"], row["p99"], row["cpu"],
            row["user"], row["rps_ratio"], row["cpu_ratio"], row["user_ratio"], row["spread"],
            row["other"], row["bad"]))
    out.append("")
    out.append("Medians of %d runs of `wrk -t2 -c64 -d%ds --latency` per row (runs interleaved "
               "across rows); ratios against the (a) row of the same request ((e): the GET); "
               "server CPU = utime+stime of httpd's parent and children from /proc over the "
               "run, per request; *of which user* = utime only (the kernel's TCP work is the "
               "rest); spread = (max-min)/median of req/s; other load = CPU used by other "
               "processes during the runs (median, %% of one core: anything above a few %% "
               "means the numbers are disturbed); errors = non-2xx answers + socket "
               "errors over all runs. wrk and httpd share the machine's %d cores." %
               (repeats, seconds, os.cpu_count()))
    return "\n".join(out)


def goals(rows):
    def row(key, op):
        return next(r for r in rows if r["case"]["key"] == key and r["case"]["op"] == op)
    lines = []
    for op in ("GET", "POST 300 B"):
        r = row("b", op)
        ok = r["rps_ratio"] >= 0.90 and r["cpu_ratio"] <= 1.10
        lines.append("- (b)/(a) %s: req/s %.2f (goal >= 0.90), CPU/req %.2fx (goal <= 1.10): %s "
                     "(user CPU/req %.2fx: +%.1f µs)" % (
                         op, r["rps_ratio"], r["cpu_ratio"], "met" if ok else "MISSED",
                         r["user_ratio"], r["user"] - row("a", op)["user"]))
    e = [row("e%d" % n, "GET") for n in PADDED]
    spread = max(r["spread"] for r in e)
    change = (e[-1]["rps"] - e[0]["rps"]) / e[0]["rps"] * 100
    cpu_change = (e[-1]["cpu"] - e[0]["cpu"]) / e[0]["cpu"] * 100
    user_change = (e[-1]["user"] - e[0]["user"]) / e[0]["user"] * 100
    flat = abs(change) <= max(spread, 3.0)
    lines.append("- (e) 10 -> 10,000 paths: req/s %+.1f%%, CPU/req %+.1f%%, user CPU/req %+.1f%% "
                 "(run-to-run req/s spread up to %.1f%%): %s" % (
                     change, cpu_change, user_change, spread,
                     "within noise" if flat else "NOT flat"))
    return "\n".join(lines)


# ---- gnuplot ----

def chart(rows, png, work, title):
    data = os.path.join(work, "chart.dat")
    with open(data, "w") as f:
        for row in rows:
            label = "%s %s" % (row["case"]["label"].split(")")[0] + ")", row["case"]["op"])
            if row["case"]["key"].startswith("e"):
                label = "(e) %s GET" % format(int(row["case"]["key"][1:]), ",")
            f.write('"%s" %.1f %.2f\n' % (label, row["rps"], row["cpu"]))
    script = os.path.join(work, "chart.gp")
    with open(script, "w") as f:
        f.write("""\
set terminal pngcairo size 1500,650 font "sans,10" noenhanced
set output "{png}"
set multiplot layout 1,2 title "{title}"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.8
set grid ytics
set xtics rotate by -50 scale 0
set yrange [0:*]
unset key
set title "median req/s (higher is better)"
plot "{data}" using 2:xtic(1) linecolor rgb "#3b75af", '' using 0:2:(sprintf("%.0f",$2)) with labels offset 0,0.7 font "sans,8"
set title "server CPU µs per request (lower is better)"
plot "{data}" using 3:xtic(1) linecolor rgb "#c0504d", '' using 0:3:(sprintf("%.1f",$3)) with labels offset 0,0.7 font "sans,8"
unset multiplot
""".format(png=png, data=data, title=title))
    done = subprocess.run(["gnuplot", script], capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        print("gnuplot failed: %s" % done.stderr, file=sys.stderr)
        return False
    return True


# ---- large spec: load time and RSS ----

def warm_requests(server, seconds=2):
    run_wrk(server, {"path": "/b" + GET_PATH}, seconds, connections=16, latency=False)


def child_memory(server):
    return {pid: memory(pid) for pid in server.children()}


def twilio(args):
    """RSS of each child of an httpd with the benchmark's configuration, against the same
    with a location serving Twilio's spec; its load time from the module's debug log."""
    results = {}
    for name, with_twilio in (("without", False), ("with", True)):
        server = Httpd(args, "tw-" + name, padded=False, twilio=with_twilio,
                       loglevel="warn openapi:debug")
        try:
            server.start()
            warm_requests(server)
            if with_twilio:
                for _ in range(20):
                    # 200 (mocked), or 401 where the module enforces the spec's basic auth
                    status, _, _ = server.request("GET", "/tw/2010-04-01/Accounts.json")
                    if status not in (200, 401):
                        raise RuntimeError("GET /tw/2010-04-01/Accounts.json: %d" % status)
                results["status"] = status
            else:
                for _ in range(20):
                    server.request("GET", "/b" + GET_PATH)
            time.sleep(0.5)
            mem = child_memory(server)
            results[name] = {
                "children": mem,
                "parent": memory(server.process.pid),
                "startup": server.startup_seconds,
                "log": server.error_log(),
            }
        finally:
            server.stop()
            server.cleanup()
    loads = re.findall(r"loaded \S*twilio\.yaml \(OpenAPI [^,]*, (\d+) operations.*? in (\d+) ms",
                       results["with"]["log"])
    small = re.findall(r"loaded \S*spec\.yaml .*? in (\d+) ms", results["without"]["log"])

    def avg(values, i):
        values = [v[i] for v in values if v[i] is not None]
        return sum(values) / len(values) if values else 0

    without = list(results["without"]["children"].values())
    with_ = list(results["with"]["children"].values())
    lines = ["Twilio API v2010 spec (`%s`, %.1f MB YAML):" % (
        os.path.relpath(args.twilio, os.path.dirname(os.path.dirname(HERE))),
        os.path.getsize(args.twilio) / 1e6)]
    if loads:
        lines.append("- load time (OpenAPISpec, from `LogLevel openapi:debug`): %s ms "
                     "(%s operations)" % (loads[-1][1], loads[-1][0]))
    lines.append("- bench spec.yaml for comparison: %s ms; requests to the Twilio location "
                 "answered %s" % (small[-1] if small else "?", results.get("status")))
    lines.append("- httpd start to 2 children listening: %.2f s with, %.2f s without" % (
        results["with"]["startup"], results["without"]["startup"]))
    lines.append("- RSS per child (VmRSS after warm-up requests, mean of %d children): %.1f MB "
                 "with vs %.1f MB without: **+%.1f MB per child**" % (
                     len(with_), avg(with_, 0) / 1024, avg(without, 0) / 1024,
                     (avg(with_, 0) - avg(without, 0)) / 1024))
    lines.append("- PSS per child (pages shared with the parent split among them): %.1f MB vs "
                 "%.1f MB: +%.1f MB" % (avg(with_, 1) / 1024, avg(without, 1) / 1024,
                                        (avg(with_, 1) - avg(without, 1)) / 1024))
    pw, pwo = results["with"]["parent"], results["without"]["parent"]
    lines.append("- parent process VmRSS: %.1f MB vs %.1f MB: +%.1f MB" % (
        pw[0] / 1024, pwo[0] / 1024, (pw[0] - pwo[0]) / 1024))
    return "\n".join(lines)


# ---- main ----

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--module", required=True)
    parser.add_argument("--bare", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--twilio", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", default="",
                        help="case keys to time, e.g. b,f,g ((a) is always timed)")
    parser.add_argument("--soak", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-requests", type=int, default=1000)
    parser.add_argument("--soak-requests", type=int, default=1000000)
    parser.add_argument("--soak-seconds", type=int, default=600)
    args = parser.parse_args()
    os.makedirs(args.results, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    work = tempfile.mkdtemp(prefix="oa-bench-work-")
    os.chmod(work, 0o755)
    try:
        if args.soak:
            import soak_rss  # the modes' own files, on this one's helpers
            text = soak_rss.soak(args, work, stamp)
            out = os.path.join(args.results, "%s-soak.md" % stamp)
            with open(out, "w") as f:
                f.write(text + "\n")
            print(text)
            print("\nwritten: %s" % out)
            return 0
        if args.profile:
            import callgrind_profile
            text = callgrind_profile.profile(args, work, stamp)
            out = os.path.join(args.results, "%s-profile.md" % stamp)
            with open(out, "w") as f:
                f.write(text + "\n")
            print(text)
            print("\nwritten: %s" % out)
            return 0
        return benchmark(args, work, stamp)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def jwt_cost(rows):
    """What a JWT costs per request: (f) and (g) against (b)'s GET, same run."""
    by_key = {(r["case"]["key"], r["case"]["op"]): r for r in rows}
    b = by_key.get(("b", "GET"))
    lines = []
    for key in ("f", "g"):
        r = by_key.get((key, "GET"))
        if b and r:
            lines.append("- %s: %+.1f µs server CPU per request (user %+.1f µs) over (b)'s GET, "
                         "req/s %.2fx" % (r["case"]["label"], r["cpu"] - b["cpu"],
                                          r["user"] - b["user"], r["rps"] / b["rps"]))
    return "\n".join(lines)


def benchmark(args, work, stamp):
    cases, bodies = make_cases(work)
    if args.only:
        keys = set(args.only.split(",")) | {"a"}
        cases = [c for c in cases if c["key"] in keys]
    server = Httpd(args, "main")
    runs = {(c["key"], c["op"]): [] for c in cases}
    try:
        server.start()
        failures = check(server, cases, bodies)
        if failures:
            print("correctness checks failed; nothing timed:\n  " + "\n  ".join(failures))
            print(server.error_log()[-3000:])
            return 1
        print("checks passed (%d cases); httpd pid %d, children %s" % (
            len(cases), server.process.pid, server.children()), flush=True)
        pids = server.children()
        for case in cases:                       # warm-up: every path, every child
            run_wrk(server, case, 1, latency=False)
        for repeat in range(args.repeats):
            for case in cases:
                result = run_wrk(server, case, args.seconds)
                runs[(case["key"], case["op"])].append(result)
                print("run %d/%d  %-37s %-10s %7.0f req/s  p99 %6.2f ms  %6.1f µs CPU/req "
                      "(user %5.1f)  other load %3.0f%%%s" % (
                    repeat + 1, args.repeats, case["label"], case["op"], result["rps"],
                    result["p99_ms"], result["cpu_us"], result["user_us"], result["other"],
                    "  (%d non-2xx!)" % result["non2xx"] if result["non2xx"] else ""),
                    flush=True)
        if server.children() != pids:
            print("warning: httpd's children changed during the runs (%s -> %s)" % (
                pids, server.children()))
        # The check of /c/items/999999 logs one OAPI02003 on purpose.
        log_problems = [l for l in server.error_log().splitlines()
                        if re.search(r"\[(?:[\w.]+:)?(warn|error|crit|alert|emerg)\]", l)
                        and not ("OAPI02003" in l and "1000 is greater than" in l)]
    finally:
        server.stop()
        server.cleanup()

    rows = summarize(cases, runs)
    try:
        twilio_text = twilio(args) if not args.only else "Twilio spec: not measured (--only)"
    except Exception as e:     # the table is worth keeping without these lines
        twilio_text = "Twilio spec: not measured: %s" % e
    uname = os.uname()
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    version = subprocess.run([HTTPD, "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    text = "\n".join([
        "# mod_openapi httpd benchmark, %s" % stamp, "",
        "%s; %d cores (%s), kernel %s; mpm_event, 2 children x 64 threads, KeepAlive on "
        "(unlimited requests per connection), LogLevel warn, no access log; wrk -t2 -c64 on "
        "127.0.0.1 sharing the cores with httpd." % (version.replace("Server version: ", ""),
                                                    os.cpu_count(), cpu, uname.release),
        "",
        table(rows, args.repeats, args.seconds), "",
        "Goals:", goals(rows) if not args.only else "(not judged with --only)", "",
        "JWT access tokens:", jwt_cost(rows), "",
        twilio_text, "",
        "Error log of the benchmarked httpd: %d warn/error lines." % len(log_problems),
    ] + ["    " + l for l in log_problems[:10]])
    out = os.path.join(args.results, "%s.md" % stamp)
    png = os.path.join(args.results, "%s.png" % stamp)
    with open(out, "w") as f:
        f.write(text + "\n")
    chart_ok = chart(rows, png, work, "mod_openapi httpd benchmark %s (wrk -t2 -c64, 2 cores)"
                     % stamp)
    print()
    print(text)
    print("\nwritten: %s%s" % (out, (" and " + png) if chart_ok else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
