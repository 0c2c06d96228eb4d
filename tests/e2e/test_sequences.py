"""OpenAPI 3.2 sequential media types through a real httpd
(tests/fixtures/specs/v31/sequences32.yaml): JSON Lines, NDJSON, JSON Text Sequences and
text/event-stream request bodies reach the echo plugin as a JSON array of items, each item
validated against itemSchema (errors at "/N/..."); the item limit; plugin responses
validated item by item; mocks answer with items in the type's format."""
import json

import pytest

CONFIG = """
<Location /seq>
    OpenAPISpec specs/v31/sequences32.yaml
    OpenAPIPlugin echo plugins/echo.so
    OpenAPIValidateResponses on
    {extra}
</Location>
<Location /mock>
    OpenAPISpec specs/v31/sequences32.yaml
    OpenAPIBasePath /mock
    OpenAPIMock all
    OpenAPIValidateResponses on
</Location>
"""

ITEM_LIMIT = 10000  # OA_SEQUENCE_MAX_ITEMS


@pytest.fixture
def api(httpd):
    return httpd(CONFIG.format(extra=""))


def post(server, path, content_type, body):
    return server.request("POST", path, body=body, headers={"Content-Type": content_type})


def problem(response, status=400):
    assert response.status == status, response
    assert response.content_type == "application/problem+json", response
    return response.json()


def entries(count):
    return [{"name": "n%d" % i, "level": i} for i in range(count)]


def jsonl(items):
    return "".join(json.dumps(item) + "\n" for item in items)


def json_seq(items):
    return "".join("\x1e" + json.dumps(item, indent=1) + "\n" for item in items)


def read_json_seq(text):
    assert text.startswith("\x1e"), repr(text)
    return [json.loads(record) for record in text.split("\x1e")[1:]]


def read_events(text):
    """The events of a text/event-stream body (the fields this module writes)."""
    events = []
    for block in text.split("\n\n")[:-1]:
        event = {}
        for line in block.split("\n"):
            name, _, value = line.partition(": ")
            if name == "data":
                event["data"] = event["data"] + "\n" + value if "data" in event else value
            elif name == "retry":
                event[name] = int(value)
            else:
                event[name] = value
        events.append(event)
    return events


@pytest.mark.parametrize("content_type, encode", [
    ("application/jsonl", jsonl), ("application/x-ndjson", jsonl),
    ("application/json-seq", json_seq), ("application/jsonl; charset=utf-8", jsonl)])
def test_valid_sequences_reach_the_handler_as_arrays(api, content_type, encode):
    items = entries(3)
    answer = post(api, "/seq/logs", content_type, encode(items))
    assert answer.status == 200, answer
    assert answer.json()["body"] == items


def test_json_lines_conventions(api):
    # CRLF line ends, blank lines and no final newline: blank lines are no items
    answer = post(api, "/seq/logs", "application/jsonl",
                  '{"name":"a","level":1}\r\n\r\n\n{"name":"b","level":2}')
    assert answer.status == 200, answer
    assert [e["name"] for e in answer.json()["body"]] == ["a", "b"]
    # a required body that is empty; a body of blank lines only is an empty sequence
    assert problem(post(api, "/seq/logs", "application/jsonl", ""))["errors"][0]["message"] \
        == "request body is required"
    assert post(api, "/seq/logs", "application/jsonl", "\n\n").json()["body"] == []


def test_invalid_items_named_by_pointer(api):
    items = entries(3) + [{"name": "", "level": -1, "extra": True}]
    for content_type, encode in (("application/jsonl", jsonl),
                                 ("application/json-seq", json_seq)):
        body = problem(post(api, "/seq/logs", content_type, encode(items)))
        where = {(e["pointer"], e.get("schemaLocation")) for e in body["errors"]}
        assert ("/3/name", "sequences32.yaml#/components/schemas/LogEntry/properties/name/"
                           "minLength") in where, body
        assert ("/3/level", "sequences32.yaml#/components/schemas/LogEntry/properties/level/"
                            "minimum") in where, body
        assert any(e["pointer"] == "/3" and "extra" in e["message"] for e in body["errors"]), \
            body
        assert all(e["in"] == "body" for e in body["errors"])


def test_malformed_items_named_by_item_and_line(api):
    body = problem(post(api, "/seq/logs", "application/jsonl",
                        '{"name":"a","level":1}\n\n{"name": oops}\n'))
    assert body["errors"] == [{
        "in": "body", "pointer": "/1",
        "message": "item 1 (line 3): invalid JSON at column 13: invalid token near 'oops'"}], body
    body = problem(post(api, "/seq/logs", "application/json-seq", '{"name":"a","level":1}\n'))
    assert body["errors"][0]["pointer"] == "/0"
    assert "must start with RS (0x1E)" in body["errors"][0]["message"]
    body = problem(post(api, "/seq/logs", "application/json-seq",
                        '\x1e{"name":"a","level":1}\n\x1e{"name":\n"b",,}\n'))
    assert body["errors"][0]["pointer"] == "/1"
    assert body["errors"][0]["message"].startswith("item 1 (line 3): invalid JSON"), body


def test_event_stream_bodies(api):
    events = ("event: add\ndata: first line\ndata: second line\nid: 7\nretry: 100\n\n"
              ": a comment\nunknown: ignored\ndata: {\"x\": 1}\n\n")
    answer = post(api, "/seq/logs", "text/event-stream", events)
    assert answer.status == 200, answer
    assert answer.json()["body"] == [
        {"event": "add", "data": "first line\nsecond line", "id": "7", "retry": 100},
        {"data": "{\"x\": 1}"}]
    body = problem(post(api, "/seq/logs", "text/event-stream",
                        "data: ok\n\nevent: move\ndata: x\n\nid: 3\n\n"))
    pointers = sorted(e["pointer"] for e in body["errors"])
    assert pointers == ["/1/event", "/2"], body


def test_schema_is_the_whole_sequence(api):
    # /batches: schema (an array of at most 3) and itemSchema both apply
    assert post(api, "/seq/batches", "application/jsonl", jsonl(entries(3))).status == 200
    body = problem(post(api, "/seq/batches", "application/jsonl", jsonl(entries(4))))
    assert [e.get("pointer", "") for e in body["errors"]] == [""], body  # the whole body
    assert "maxItems" in body["errors"][0]["schemaLocation"]


def test_defaults_filled_per_item(httpd):
    server = httpd(CONFIG.format(extra="OpenAPIFillDefaults on"))
    answer = post(server, "/seq/logs", "application/jsonl", '{"name":"a"}\n{"name":"b"}\n')
    assert answer.status == 200, answer
    assert answer.json()["body"] == [{"name": "a", "level": 1}, {"name": "b", "level": 1}]


def test_item_limit(api):
    # within the body size limit, one item more than OA_SEQUENCE_MAX_ITEMS is refused
    fine = post(api, "/seq/batches", "application/jsonl", "{}\n" * 10)
    assert fine.status == 400  # (items lack name: validated, not refused by the limit)
    body = problem(post(api, "/seq/logs", "application/jsonl",
                        '{"name":"a","level":1}\n' * (ITEM_LIMIT + 1)))
    assert body["errors"] == [{
        "in": "body", "pointer": "/%d" % ITEM_LIMIT,
        "message": "the body has more than %d items" % ITEM_LIMIT}], body
    most = post(api, "/seq/logs", "application/jsonl", '{"name":"a","level":1}\n' * ITEM_LIMIT)
    assert most.status == 200, most
    assert len(most.json()["body"]) == ITEM_LIMIT


def test_plugin_responses_validated_item_by_item(api):
    good = jsonl(entries(2))
    relayed = post(api, "/seq/relay?type=application/jsonl", "application/octet-stream", good)
    assert relayed.status == 200, relayed
    assert relayed.content_type == "application/jsonl"
    assert relayed.body == good
    api.expect_log(r"OAPI02003: response of POST /relay")
    bad = post(api, "/seq/relay?type=application/jsonl", "application/octet-stream",
               jsonl(entries(2) + [{"name": "x"}]))
    body = problem(bad, 500)
    assert {"in": "body", "pointer": "/2", "message": "'level' is a required property"} in \
        body["errors"], body
    events = post(api, "/seq/relay?type=text/event-stream", "application/octet-stream",
                  "data: a\n\nevent: nope\ndata: b\n\n")
    assert {e["pointer"] for e in problem(events, 500)["errors"]} == {"/1/event"}
    # the handler's own stream fits
    streamed = api.get("/seq/logs")
    assert streamed.status == 200, streamed
    assert [json.loads(line) for line in streamed.body.splitlines()] == [
        {"name": "a", "level": 1}, {"name": "b", "level": 2}]


@pytest.mark.parametrize("accept, read", [
    ("application/jsonl", lambda text: [json.loads(line) for line in text.splitlines()]),
    ("application/x-ndjson", lambda text: [json.loads(line) for line in text.splitlines()]),
    ("application/json-seq", read_json_seq),
    ("text/event-stream", read_events)])
def test_mock_answers_items_in_the_type_format(httpd, accept, read):
    server = httpd(CONFIG.format(extra=""))
    mocked = server.get("/mock/logs", headers={"Accept": accept})
    assert mocked.status == 200, mocked
    assert mocked.content_type == accept
    items = read(mocked.body)
    assert len(items) == 2, mocked.body
    for item in items:
        if accept == "text/event-stream":
            assert isinstance(item["data"], str), item
        else:
            assert isinstance(item["name"], str) and item["name"], item
            assert isinstance(item["level"], int) and item["level"] >= 0, item
    # mocked requests are validated item by item too
    refused = post(server, "/mock/logs", "application/jsonl", '{"name":""}\n')
    assert {e["pointer"] for e in problem(refused)["errors"]} == {"/0/name", "/0"}
