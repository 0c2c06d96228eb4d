"""The e2e harness's error.log check (tests/e2e/httpd.py): it fails a test on any warn or
error line, and lets httpd's own stop race through only while a stop lasted."""
import os
import sys
import time

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SRC, "tests", "e2e"))

from httpd import HTTPD_OWN_RACES, log_line_time, unexpected_lines  # noqa: E402

STOP_RACE = ("[Wed Dec 02 20:32:16.959936 2026] [mpm_event:error] [pid 32144:tid 32146] "
             "(9)Bad file descriptor: AH00468: error closing socket")
WRITTEN = time.mktime((2026, 12, 2, 20, 32, 16, 0, 0, -1)) + 0.959936


def test_log_time_is_read_to_the_microsecond():
    assert abs(log_line_time(STOP_RACE) - WRITTEN) < 1e-6
    assert log_line_time("[Wed Foo 02 20:32:16.959936 2026] [core:error] x") is None
    assert log_line_time("no time here") is None


def test_the_stop_race_passes_only_inside_a_stop():
    during = [(WRITTEN - 0.5, WRITTEN + 0.5)]
    assert unexpected_lines(STOP_RACE, HTTPD_OWN_RACES, during) == []
    # before the stop, after it, or with no stop at all, it is a double close to look into
    before = [(WRITTEN + 0.001, WRITTEN + 1)]
    after = [(WRITTEN - 2, WRITTEN - 1)]
    for stops in (before, after, []):
        assert unexpected_lines(STOP_RACE, HTTPD_OWN_RACES, stops) == [STOP_RACE]


def test_other_errors_fail_even_inside_a_stop():
    during = [(WRITTEN - 0.5, WRITTEN + 0.5)]
    lines = [
        "[Wed Dec 02 20:32:16.959936 2026] [openapi:error] [pid 1:tid 2] OAP00001: boom",
        "[Wed Dec 02 20:32:16.959936 2026] [mpm_event:error] [pid 1:tid 2] (104)Connection "
        "reset by peer: AH00468: error closing socket",
        "[Wed Dec 02 20:32:16.959936 2026] [core:warn] [pid 1] AH00045: child still did not exit",
    ]
    assert unexpected_lines("\n".join(lines), HTTPD_OWN_RACES, during) == lines
    notice = "[Wed Dec 02 20:32:16.959936 2026] [mpm_event:notice] [pid 1] AH00491: caught SIGTERM"
    assert unexpected_lines(notice, HTTPD_OWN_RACES, []) == []
