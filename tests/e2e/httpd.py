"""A real httpd for end-to-end tests: Debian's apache2 binary with mpm_event, the built
mod_openapi and plugins, on 127.0.0.1 and a free port, in a throwaway ServerRoot.

Environment (set by build/run_tests.py):
  OA_BUILD_DIR   where mod_openapi.so and the plugins were built (default: the source tree)
  OA_SANITIZE=1  the build has ASan/UBSan: preload the runtime and collect its reports
"""
import glob
import http.client
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

SRC_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD_DIR = os.environ.get("OA_BUILD_DIR", SRC_DIR)
SANITIZE = os.environ.get("OA_SANITIZE") == "1"
HTTPD = shutil.which("apache2", path="/usr/sbin:/usr/bin:" + os.environ.get("PATH", "")) \
    or "/usr/sbin/apache2"
SYSTEM_MODULES = "/usr/lib/apache2/modules"

# Lines at these levels fail a test unless the test says it expects them.
PROBLEM_LINE = re.compile(r"\[(?:[\w.]+:)?(warn|error|crit|alert|emerg)\]")
# httpd's own, not ours: on a loaded machine mpm_event may fail to add a connection it is
# closing lingeringly to its pollset (AH03092, seen when the listener is stopping).
HTTPD_OWN_RACES = [re.compile(r"\[mpm_event:error\].*AH03092: process_lingering_close")]
# httpd's own race at an ungraceful stop: on SIGTERM the child's main thread closes the
# sockets its workers hold (close_worker_sockets), and a worker that is closing the same
# socket then fails with EBADF (AH00468). httpd trunk's event.c skips a socket closed that
# way; 2.4 does not. Accepted only in lines logged after this harness sent SIGTERM, so a
# double close while serving still fails the test.
HTTPD_STOP_RACES = [re.compile(
    r"\[mpm_event:error\].*\(9\)Bad file descriptor: AH00468: error closing socket$")]
LOG_TIME = re.compile(r"^\[\w{3} (\w{3}) (\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{6}) (\d{4})\]")
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def log_line_time(line):
    """The time (seconds since the epoch) an error.log line was written, or None. httpd
    writes local time with English names, whatever the locale."""
    match = LOG_TIME.match(line)
    if not match or match.group(1) not in MONTHS:
        return None
    month, day, hour, minute, second, micro, year = match.groups()
    return time.mktime((int(year), MONTHS.index(month) + 1, int(day), int(hour),
                        int(minute), int(second), 0, 0, -1)) + int(micro) / 1e6


def unexpected_lines(log, expected, stops=()):
    """The warn/error lines of log that no pattern of expected allows; a stop race is
    allowed only while a stop lasted (stops: (SIGTERM sent, httpd exited) time pairs)."""
    lines = []
    for line in log.splitlines():
        if not PROBLEM_LINE.search(line) or any(p.search(line) for p in expected):
            continue
        written = log_line_time(line)
        if written is not None and any(p.search(line) for p in HTTPD_STOP_RACES) and \
                any(sent <= written <= exited for sent, exited in stops):
            continue
        lines.append(line)
    return lines

BASE_CONFIG = """\
ServerRoot "{root}"
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile "{root}/httpd.pid"
ErrorLog "{root}/error.log"
LogLevel warn openapi:debug
LogFormat "%h %u \\"%r\\" %>s %b" common
CustomLog "{root}/access.log" common
TraceEnable off
# Each test request is its own connection; without keep-alive, stopping the server never
# races a worker that is handing a kept-alive connection back to the listener (AH03093).
KeepAlive Off
LoadModule mpm_event_module {system}/mod_mpm_event.so
LoadModule authz_core_module {system}/mod_authz_core.so
LoadModule openapi_module modules/mod_openapi.so
# One child, never a second one started behind the test's back: a child that is stopped
# before it has initialized never releases the configuration (LeakSanitizer would see it).
StartServers 1
ServerLimit 1
ThreadsPerChild 16
MaxRequestWorkers 16
MinSpareThreads 1
MaxSpareThreads 16
MaxConnectionsPerChild 0
"""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def let_httpd_traverse(path):
    """httpd runs as www-data (below) and reads specs and plugins from the checkout and the
    build tree; a clone in a private temporary folder (mode 0700, as CI makes them) keeps it
    out. Give the folders above `path` the search bit only (o+x: no listing), once."""
    if os.geteuid() != 0:
        return
    folder = os.path.dirname(os.path.abspath(path))
    while folder and folder != "/":
        mode = os.stat(folder).st_mode
        if not mode & 0o001:
            os.chmod(folder, (mode & 0o7777) | 0o001)
        folder = os.path.dirname(folder)


let_httpd_traverse(SRC_DIR)
let_httpd_traverse(BUILD_DIR)


def run_as_user():
    """When root, httpd runs as www-data from the start: a child that switched user could
    not be inspected by LeakSanitizer, and our files must not need root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("www-data")
    except KeyError:
        return None


class Response:
    def __init__(self, status, headers, body, header_list=()):
        self.status = status
        self.headers = headers
        self.body = body
        self.header_list = list(header_list)  # every (name, value), repeats included

    def header_values(self, name):
        return [v for k, v in self.header_list if k.lower() == name.lower()]

    def header(self, name):
        return self.headers.get(name.lower())

    @property
    def content_type(self):
        return self.header("content-type")

    def json(self):
        import json
        return json.loads(self.body)

    def __repr__(self):
        return "<Response %d %r %r>" % (self.status, self.headers, self.body[:300])


class Httpd:
    """One server. Files the config names live below its ServerRoot: modules/ (the built
    module), plugins/ (built plugins), and whatever the test copies in."""

    def __init__(self, config_body, name="httpd"):
        self.root = tempfile.mkdtemp(prefix="oa-e2e-%s-" % name)
        os.chmod(self.root, 0o755)
        self.port = free_port()
        self.process = None
        self.stops = []  # (SIGTERM sent, httpd exited) for each stop, time.time()
        self.expected_problems = list(HTTPD_OWN_RACES)
        self.leak_suppressions = []  # LeakSanitizer lines beyond lsan.supp, this server only
        # Extra ASAN_OPTIONS for this server, e.g. "fast_unwind_on_malloc=0" where httpd's
        # own modules (built without frame pointers) allocate what lsan.supp must match.
        self.asan_options = ""
        self.sanitizer_dir = os.path.join(self.root, "sanitizer")
        os.makedirs(self.sanitizer_dir)
        os.chmod(self.sanitizer_dir, 0o777)
        for sub in ("modules", "plugins"):
            os.makedirs(os.path.join(self.root, sub))
        shutil.copy(os.path.join(BUILD_DIR, "mod_openapi.so"), os.path.join(self.root, "modules"))
        for plugin in glob.glob(os.path.join(BUILD_DIR, "tests/fixtures/plugins/*.so")) + \
                glob.glob(os.path.join(BUILD_DIR, "examples/*/*.so")):
            shutil.copy(plugin, os.path.join(self.root, "plugins"))
        # the vendored public specs (oai/, large/: a few MB) are read by openapi-check only
        shutil.copytree(os.path.join(SRC_DIR, "tests/fixtures/specs"),
                        os.path.join(self.root, "specs"),
                        ignore=shutil.ignore_patterns("oai", "large"))
        shutil.copytree(os.path.join(SRC_DIR, "examples"), os.path.join(self.root, "examples"),
                        ignore=shutil.ignore_patterns("*.c", "*.so", "*.o"))
        self.config_path = os.path.join(self.root, "httpd.conf")
        with open(self.config_path, "w") as f:
            f.write(BASE_CONFIG.format(root=self.root, port=self.port, system=SYSTEM_MODULES))
            f.write(config_body.replace("@ROOT@", self.root))
        user = run_as_user()
        if user:
            for dirpath, dirnames, filenames in os.walk(self.root):
                for entry in [dirpath] + [os.path.join(dirpath, f) for f in filenames]:
                    os.chown(entry, user.pw_uid, user.pw_gid)

    # ---- processes ----

    def _env(self):
        env = dict(os.environ)
        if SANITIZE:
            runtime = subprocess.run(["gcc", "-print-file-name=libasan.so"],
                                     capture_output=True, text=True).stdout.strip()
            env["LD_PRELOAD"] = runtime
            # intercept_tls_get_addr=0: LSan can mistake a module's dynamic TLS block for
            # a glibc 2.19 one, depending only on where the heap put it, and its leak
            # check then crashes ("Tracer caught signal 11", google/sanitizers#1322)
            env["ASAN_OPTIONS"] = ("detect_leaks=1:intercept_tls_get_addr=0:"
                                   "log_path=%s/asan:abort_on_error=0" % self.sanitizer_dir)
            if self.asan_options:
                env["ASAN_OPTIONS"] += ":" + self.asan_options
            # httpd may run as www-data, which cannot read a private checkout: copy it.
            suppressions = os.path.join(self.sanitizer_dir, "..", "lsan.supp")
            shutil.copy(os.path.join(SRC_DIR, "tests/e2e/lsan.supp"), suppressions)
            with open(suppressions, "a") as f:
                f.writelines(line + "\n" for line in self.leak_suppressions)
            os.chmod(suppressions, 0o644)
            env["LSAN_OPTIONS"] = "suppressions=%s:print_suppressions=0" % suppressions
            env["UBSAN_OPTIONS"] = "print_stacktrace=1:log_path=%s/ubsan" % self.sanitizer_dir
        return env

    def _command(self, *args):
        cmd = [HTTPD, "-d", self.root, "-f", self.config_path] + list(args)
        user = run_as_user()
        if user:
            cmd = ["setpriv", "--reuid=%d" % user.pw_uid, "--regid=%d" % user.pw_gid,
                   "--clear-groups", "--"] + cmd
        return cmd

    def configtest(self):
        """Runs `apache2 -t`; returns (exit code, stderr+stdout)."""
        done = subprocess.run(self._command("-t"), capture_output=True, text=True,
                              env=self._env(), timeout=60)
        return done.returncode, done.stderr + done.stdout

    def start(self):
        self.process = subprocess.Popen(self._command("-DFOREGROUND"), env=self._env(),
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.process.poll() is not None:
                output = self.process.stdout.read().decode(errors="replace")
                raise RuntimeError("httpd exited with %d:\n%s\n%s" % (
                    self.process.returncode, output, self.error_log()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("httpd did not listen on port %d within 20 s" % self.port)

    def stop(self):
        if not self.process:
            return
        if self.process.poll() is None:
            sent = time.time()
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.stops.append((sent, time.time()))
        self.process.stdout.close()
        self.process = None

    def cleanup(self):
        shutil.rmtree(self.root, ignore_errors=True)

    # ---- HTTP ----

    def request(self, method, path, body=None, headers=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if isinstance(body, str):
                body = body.encode()
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            headers_out = {k.lower(): v for k, v in response.getheaders()}
            return Response(response.status, headers_out, data.decode("utf-8", "replace"),
                            response.getheaders())
        finally:
            conn.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    # ---- logs ----

    def error_log(self):
        try:
            with open(os.path.join(self.root, "error.log"), errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def access_log(self, wait_for=None):
        """The access log; with wait_for, polls (up to 5 s) until it contains that text,
        since httpd writes the line after the response has gone out."""
        deadline = time.time() + 5
        while True:
            try:
                with open(os.path.join(self.root, "access.log"), errors="replace") as f:
                    text = f.read()
            except FileNotFoundError:
                text = ""
            if wait_for is None or wait_for in text or time.time() > deadline:
                return text
            time.sleep(0.05)

    def suppress_leaks(self, *patterns):
        """Adds LeakSanitizer suppressions (leak:PATTERN) for this server only: another
        module's allocations that live until a child exits. Call before start()."""
        self.leak_suppressions += ["leak:" + p for p in patterns]

    def expect_log(self, pattern):
        """Allows warn/error lines matching pattern (a regex) for this server."""
        self.expected_problems.append(re.compile(pattern))

    def unexpected_log_lines(self):
        return unexpected_lines(self.error_log(), self.expected_problems, self.stops)

    def sanitizer_reports(self):
        reports = []
        for path in glob.glob(os.path.join(self.sanitizer_dir, "*")):
            with open(path, errors="replace") as f:
                reports.append("%s:\n%s" % (path, f.read()))
        return reports
