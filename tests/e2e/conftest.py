"""Fixtures: `httpd` starts a real server for a test and, when the test ends, stops it and
fails the test on any unexpected [warn]/[error] line in its error log or any sanitizer
report."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from httpd import Httpd, free_port  # noqa: E402


@pytest.fixture
def httpd():
    servers = []

    def start(config_body, start=True, name="httpd"):
        server = Httpd(config_body, name=name)
        servers.append(server)
        if start:
            server.start()
        return server

    yield start
    problems = []
    for server in servers:
        server.stop()
        unexpected = server.unexpected_log_lines()
        if unexpected:
            problems.append("unexpected lines in %s/error.log:\n%s"
                            % (server.root, "\n".join(unexpected)))
        reports = server.sanitizer_reports()
        if reports:
            problems.append("sanitizer reports:\n%s" % "\n".join(reports))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
    for server in servers:
        server.cleanup()


@pytest.fixture
def memcached():
    """A memcached on a free loopback port for the test (its port), stopped after it.
    build/install-deps.sh installs it: a missing one is a broken setup, not a skip."""
    program = shutil.which("memcached", path="/usr/bin:/usr/sbin:/usr/local/bin")
    assert program, "memcached is not installed (apt-get install memcached)"
    port = free_port()
    args = [program, "-l", "127.0.0.1", "-p", str(port), "-U", "0"]
    if os.geteuid() == 0:
        args += ["-u", "nobody"]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
