"""Fixtures: `httpd` starts a real server for a test and, when the test ends, stops it and
fails the test on any unexpected [warn]/[error] line in its error log or any sanitizer
report."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from httpd import Httpd  # noqa: E402


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
