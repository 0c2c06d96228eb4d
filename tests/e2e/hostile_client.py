"""A raw HTTP/1.1 client for hostile requests: it sends bytes exactly as given (malformed
framing, control characters, bare CR/LF, early close), which http.client refuses to do,
and reads one answer back within a deadline. Also the checks every hostile answer must
pass: a clear status, JSON that parses, nothing the client sent reflected unescaped."""
import json
import re
import socket
import time


class RawAnswer:
    def __init__(self, status, headers, body, seconds, raw):
        self.status = status      # None when the server closed without an answer
        self.headers = headers    # list of (lower-case name, value)
        self.body = body          # bytes, de-chunked
        self.seconds = seconds
        self.raw = raw

    def header(self, name):
        for key, value in self.headers:
            if key == name.lower():
                return value
        return None

    def __repr__(self):
        return "<RawAnswer %s %r %r>" % (self.status, self.headers, self.body[:300])


def build(method, target, headers=(), body=b"", content_length="auto", chunked=None,
          version=b"HTTP/1.1"):
    """A request as bytes. headers: (name, value) pairs of str or bytes, sent as given;
    content_length "auto" adds one when there is a body (None: none); chunked: a list of
    chunks to send with Transfer-Encoding: chunked instead."""
    def b(x):
        return x if isinstance(x, bytes) else x.encode("latin-1")
    lines = [b(method) + b" " + b(target) + b" " + version, b"Host: 127.0.0.1"]
    lines += [b(k) + b": " + b(v) for k, v in headers]
    if chunked is not None:
        lines.append(b"Transfer-Encoding: chunked")
        body = b"".join(b"%x\r\n%s\r\n" % (len(c), b(c)) for c in chunked) + b"0\r\n\r\n"
    elif content_length == "auto":
        if body:
            lines.append(b"Content-Length: %d" % len(body))
    elif content_length is not None:
        lines.append(b"Content-Length: " + b(content_length))
    lines.append(b"Connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n" + b(body)


def exchange(port, data, timeout=10.0, close_write=False, pause_after=None):
    """Sends data (bytes, or a list of pieces sent with a short pause between them) and
    reads until the server closes or the deadline passes."""
    started = time.time()
    pieces = data if isinstance(data, list) else [data]
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        try:
            for i, piece in enumerate(pieces):
                if i:
                    time.sleep(pause_after or 0.05)
                conn.sendall(piece)
            if close_write:
                conn.shutdown(socket.SHUT_WR)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before taking everything: read it
        raw = b""
        deadline = started + timeout
        while time.time() < deadline:
            conn.settimeout(max(0.05, deadline - time.time()))
            try:
                chunk = conn.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not chunk:
                break
            raw += chunk
    return parse(raw, time.time() - started)


def parse(raw, seconds):
    rest = raw
    while True:
        head, sep, body = rest.partition(b"\r\n\r\n")
        if not sep:
            return RawAnswer(None, [], b"", seconds, raw)
        lines = head.split(b"\r\n")
        match = re.match(rb"HTTP/1\.[01] (\d{3})", lines[0])
        if not match:
            return RawAnswer(None, [], b"", seconds, raw)
        status = int(match.group(1))
        if 100 <= status < 200:  # interim (100 Continue): the final answer follows
            rest = body
            continue
        headers = []
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers.append((name.decode("latin-1").strip().lower(),
                            value.decode("latin-1").strip()))
        if ("transfer-encoding", "chunked") in headers:
            body = dechunk(body)
        return RawAnswer(status, headers, body, seconds, raw)


def dechunk(data):
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2:]
    return out


# Bytes an answer must never carry raw: C0 controls (a body is one JSON line ending in
# "\n"; httpd's own HTML pages are multi-line) and DEL.
CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")


def check_answer(answer, statuses, seconds, injected=(b"x-evil", b"x-injected")):
    """The checks every hostile answer passes; returns a list of what is wrong."""
    wrong = []
    if answer.seconds > seconds:
        wrong.append("took %.1f s (bound %d s)" % (answer.seconds, seconds))
    if answer.status not in statuses:
        wrong.append("status %s, expected one of %s" % (answer.status, sorted(
            statuses, key=lambda s: -1 if s is None else s)))
    for name, value in answer.headers:
        if name.encode() in injected:
            wrong.append("an injected header came back: %s: %s" % (name, value))
        if CONTROL.search(value.encode("latin-1")):
            wrong.append("control character in header %s" % name)
    if CONTROL.search(answer.body):
        wrong.append("control character in the body: %r" % answer.body[:200])
    content_type = (answer.header("content-type") or "").lower()
    if "json" in content_type and answer.body:  # a HEAD answer has no body
        try:
            document = json.loads(answer.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as error:
            wrong.append("body is not JSON (%s): %r" % (error, answer.body[:200]))
        else:
            if "problem+json" in content_type and (
                    document.get("status") != answer.status or
                    not isinstance(document.get("detail", ""), str)):
                wrong.append("problem status %r differs from %s" % (
                    document.get("status"), answer.status))
    return wrong
