"""One httpd shared by every test of a module (the `httpd` fixture starts one a test):
for suites of hundreds of requests against one configuration. The same end checks as the
fixture: at the end no sanitizer report and no unexpected [warn]/[error] line; httpd's
own refusals of malformed requests (its AH codes) are expected."""
from httpd import Httpd

HTTPD_REFUSALS = (r"AH0\d{4}: ", r"\[core:error\]", r"\[http:error\]", r"\[core:info\]",
                  r"\[http2:")


def serve(config, name, prepare=None):
    """A generator for a module-scoped fixture: prepare(server) runs before the start
    (files the configuration names); yields the started server."""
    server = Httpd(config, name=name)
    for pattern in HTTPD_REFUSALS:
        server.expect_log(pattern)
    if prepare:
        prepare(server)
    server.start()
    yield server
    server.stop()
    reports = server.sanitizer_reports()
    unexpected = server.unexpected_log_lines()
    if not reports and not unexpected:
        server.cleanup()
    assert not reports, "\n".join(reports)
    assert not unexpected, "\n".join(unexpected)
