"""Request handling through a real httpd: every parameter location and style, the URI
parsers, strict validation, nullable values, and bodies by media type. The echo plugin
answers with what its handler received."""
import json
import re
from urllib.parse import quote

import pytest

CONFIG = """
<Location /req>
    OpenAPISpec specs/requests.yaml
    OpenAPIPlugin echo plugins/echo.so
    {extra}
</Location>
<Location /req2>
    OpenAPISpec specs/requests_v2.yaml
    OpenAPIPlugin echo plugins/echo.so
    {extra2}
</Location>
"""


def start(httpd, extra="", extra2=""):
    return httpd(CONFIG.format(extra=extra, extra2=extra2))


@pytest.fixture
def api(httpd):
    return start(httpd)


def params(response):
    assert response.status == 200, response
    return response.json()["params"]


def problem(response, status=400):
    assert response.status == status, response
    assert response.content_type == "application/problem+json", response
    body = response.json()
    assert body["status"] == status and body["detail"]
    return body


def error_names(body):
    return [(e["in"], e.get("name")) for e in body["errors"]]


# ---- query styles ----

def test_form_explode_arrays_and_defaults(api):
    got = params(api.get("/req/styles/query?tags=a&tags=b&ids=1,2,3"))
    assert got["tags"] == ["a", "b"]
    assert got["ids"] == [1, 2, 3]
    assert got["top"] == 5  # "$top", sanitized, defaulted


def test_space_and_pipe_delimited(api):
    got = params(api.get("/req/styles/query?sp=a%20b%20c&pp=1|2"))
    assert got["sp"] == ["a", "b", "c"]
    assert got["pp"] == [1, 2]


def test_deep_object_and_form_object(api):
    got = params(api.get("/req/styles/query?filter[color]=red&filter[size]=10&point=x,1.5,y,2"))
    assert got["filter"] == {"color": "red", "size": 10}
    assert got["point"] == {"x": 1.5, "y": 2}


def test_content_parameter_is_json(api):
    got = params(api.get("/req/styles/query?q=" + quote('{"a": 3}')))
    assert got["q"] == {"a": 3}
    body = problem(api.get("/req/styles/query?q=" + quote('{"b": 3}')))
    assert ("query", "q") in error_names(body)


def test_empty_values(api):
    assert params(api.get("/req/styles/query?e="))["e"] == ""
    body = problem(api.get("/req/styles/query?ne="))
    assert ("query", "ne") in error_names(body)


def test_every_violation_is_listed(api):
    body = problem(api.get("/req/styles/query?ids=1,x&%24top=0&level=mid"))
    names = error_names(body)
    assert ("query", "ids") in names
    assert ("query", "$top") in names
    assert ("query", "level") in names
    assert len(body["errors"]) == 3
    assert "(and 2 more)" in body["detail"]
    ids = [e for e in body["errors"] if e["name"] == "ids"][0]
    assert ids["message"] == "'x' is not of type 'integer'"
    assert ids["pointer"] == "/1"


# ---- path, header, cookie ----

def test_path_label_and_matrix(api):
    assert params(api.get("/req/styles/label/.3.4.5"))["id"] == [3, 4, 5]
    assert params(api.get("/req/styles/matrix/;id=7"))["id"] == 7
    problem(api.get("/req/styles/matrix/;id=x"))


def test_headers_and_cookies(api):
    got = params(api.get("/req/styles/headers",
                         headers={"X-Ids": "1,2", "Cookie": "session=abc; count=3"}))
    assert got["X-Ids"] == [1, 2]
    assert got["X-Mode"] == "plain"
    assert got["session"] == "abc"
    assert got["count"] == 3


def test_required_header_and_cookie(api):
    body = problem(api.get("/req/styles/headers"))
    names = error_names(body)
    assert ("header", "X-Ids") in names
    assert ("cookie", "session") in names


# ---- the manual's URI parser example ----

LETTERS = "/req/letters?letters=a,b,c&letters=d,e,f"


@pytest.mark.parametrize("parser, expected", [
    ("", ["d", "e", "f"]),                       # OpenAPI 3 default: right-most wins
    ("OpenAPIUriParser openapi", ["d", "e", "f"]),
    ("OpenAPIUriParser first-value", ["a", "b", "c"]),
    ("OpenAPIUriParser always-multi", ["a", "b", "c", "d", "e", "f"]),
])
def test_uri_parsers_on_openapi_3(httpd, parser, expected):
    server = start(httpd, extra=parser)
    assert params(server.get(LETTERS))["letters"] == expected


def test_exploded_repetitions_are_the_array(api):
    assert params(api.get("/req/letters?exploded=a&exploded=b"))["exploded"] == ["a", "b"]


@pytest.mark.parametrize("parser, csv, multi", [
    ("", ["d", "e", "f"], [1, 2]),               # Swagger 2 default
    ("OpenAPIUriParser first-value", ["a", "b", "c"], [1, 2]),
    ("OpenAPIUriParser always-multi", ["a", "b", "c", "d", "e", "f"], [1, 2]),
])
def test_uri_parsers_on_swagger_2(httpd, parser, csv, multi):
    server = start(httpd, extra2=parser)
    got = params(server.get("/req2/letters?letters=a,b,c&letters=d,e,f&multi=1&multi=2"))
    assert got["letters"] == csv
    assert got["multi"] == multi


def test_swagger_2_pipes(api):
    assert params(api.get("/req2/letters?pipes=x|y"))["pipes"] == ["x", "y"]


# ---- strict validation, nullable ----

def test_unknown_query_parameters_pass_by_default(api):
    assert params(api.get("/req/letters?zzz=1")) == {}


def test_strict_validation_refuses_unknown_query_parameters(httpd):
    server = start(httpd, extra="OpenAPIStrictValidation on")
    body = problem(server.get("/req/letters?zzz=1"))
    assert "zzz" in json.dumps(body["errors"])
    assert params(server.get("/req/letters?letters=a")) == {"letters": ["a"]}


def test_nullable_parameters(api):
    assert params(api.get("/req/nullable?n=null"))["n"] is None
    assert params(api.get("/req/nullable?n=None"))["n"] is None
    assert params(api.get("/req/nullable?n=4"))["n"] == 4
    assert params(api.get("/req2/letters?n=None"))["n"] is None


# ---- bodies ----

def post(server, path, body, content_type, method="POST"):
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    return server.request(method, path, body=body, headers={"Content-Type": content_type})


def test_json_body_valid_and_named(api):
    response = post(api, "/req/orders", {"item": "tea", "quantity": 2}, "application/json")
    assert response.json()["body"] == {"item": "tea", "quantity": 2}
    # x-body-name: order
    assert response.json()["params"] == {"order": {"item": "tea", "quantity": 2}}
    response = post(api, "/req/orders", {"item": "tea", "quantity": 2},
                    "application/vnd.order+json")
    assert response.json()["body"]["item"] == "tea"


def test_json_body_violations_name_the_pointer(api):
    body = problem(post(api, "/req/orders", {"item": "Tea!", "quantity": 0, "x": 1},
                        "application/json"))
    pointers = sorted(e.get("pointer", "") for e in body["errors"])
    assert "/item" in pointers and "/quantity" in pointers
    assert all(e["in"] == "body" for e in body["errors"])


def test_read_only_property_in_a_request_is_refused(api):
    body = problem(post(api, "/req/orders", {"id": 1, "item": "tea", "quantity": 1},
                        "application/json"))
    assert any(e.get("pointer") == "/id" for e in body["errors"]), body


def test_malformed_json_names_line_and_column(api):
    body = problem(post(api, "/req/orders", '{"item": "tea",\n "quantity": }',
                        "application/json"))
    assert "line 2" in body["detail"] and "column" in body["detail"], body


def test_required_body_missing(api):
    body = problem(api.request("POST", "/req/orders"))
    assert body["errors"][0]["in"] == "body"


def test_unsupported_media_type_is_415(api):
    body = problem(post(api, "/req/orders", "<order/>", "application/xml"), 415)
    assert "application/xml" in body["detail"]


def test_form_urlencoded(api):
    response = post(api, "/req/form", "name=Ann+Lee&age=42&tags=a&tags=b",
                    "application/x-www-form-urlencoded")
    assert response.json()["body"] == {"name": "Ann Lee", "age": 42, "tags": ["a", "b"]}
    body = problem(post(api, "/req/form", "age=-1", "application/x-www-form-urlencoded"))
    assert len(body["errors"]) == 2


def test_multipart_with_a_file_and_a_json_part(api):
    boundary = "XyZ123"
    parts = [
        ('form-data; name="meta"', "application/json", '{"title": "report"}'),
        ('form-data; name="file"; filename="a.txt"', "text/plain", "hello\r\nworld"),
        ('form-data; name="note"', None, "plain note"),
    ]
    lines = []
    for disposition, content_type, data in parts:
        lines.append("--" + boundary)
        lines.append("Content-Disposition: " + disposition)
        if content_type:
            lines.append("Content-Type: " + content_type)
        lines.append("")
        lines.append(data)
    lines.append("--" + boundary + "--")
    lines.append("")
    response = post(api, "/req/upload", "\r\n".join(lines),
                    "multipart/form-data; boundary=" + boundary)
    assert response.status == 200, response
    answer = response.json()
    assert answer["body"]["meta"] == {"title": "report"}
    assert answer["body"]["note"] == "plain note"
    assert answer["files"] == [{"field": "file", "filename": "a.txt",
                                "content_type": "text/plain", "size": 12,
                                "data": "hello\r\nworld"}]
    missing = "\r\n".join(["--" + boundary, 'Content-Disposition: form-data; name="note"',
                           "", "x", "--" + boundary + "--", ""])
    body = problem(post(api, "/req/upload", missing, "multipart/form-data; boundary=" + boundary))
    assert len(body["errors"]) >= 2


def multipart_body(boundary, parts):
    lines = []
    for headers, data in parts:
        lines.append("--" + boundary)
        lines.extend(headers)
        lines.append("")
        lines.append(data)
    lines.append("--" + boundary + "--")
    lines.append("")
    return "\r\n".join(lines)


def test_multipart_transfer_encodings_and_part_types(api):
    ct = "multipart/form-data; boundary=QQ"
    meta = ['Content-Disposition: form-data; name="meta"', "Content-Type: application/json",
            "Content-Transfer-Encoding: base64"]
    file = ['Content-Disposition: form-data; name="file"; filename="f.bin"',
            "Content-Transfer-Encoding: base64"]
    note = ['Content-Disposition: form-data; name="note"',
            "Content-Transfer-Encoding: quoted-printable"]
    response = post(api, "/req/upload", multipart_body("QQ", [
        (meta, "eyJ0aXRs\r\nZSI6ICJyIn0="), (file, "aGVsbG8="), (note, "caf=C3=A9=\r\n!")]), ct)
    assert response.status == 200, response
    answer = response.json()
    assert answer["body"]["meta"] == {"title": "r"}
    assert answer["body"]["note"] == "caf\u00e9!"
    assert answer["files"][0]["data"] == "hello"
    wrong = ['Content-Disposition: form-data; name="meta"', "Content-Type: text/xml"]
    body = problem(post(api, "/req/upload", multipart_body("QQ", [
        (wrong, "<t/>"), (file, "aGVsbG8=")]), ct))
    assert body["errors"][0] == {
        "in": "body", "name": "meta", "pointer": "/meta",
        "message": "part 'meta' has Content-Type 'text/xml'; its encoding allows "
                   "application/json"}
    unterminated = ['Content-Disposition: form-data; name="meta; filename=x']
    body = problem(post(api, "/req/upload", multipart_body("QQ", [(unterminated, "{}")]), ct))
    assert "the quoted value of parameter 'name' is not terminated" in body["detail"]


def test_text_plain_body(api):
    assert post(api, "/req/note", "short", "text/plain").json()["body"] == "short"
    problem(post(api, "/req/note", "far too long a note", "text/plain; charset=utf-8"))


def test_octet_stream_and_media_ranges_pass_raw_bytes(api):
    response = post(api, "/req/blob", b"\x00\x01binary", "application/octet-stream",
                    method="PUT")
    assert response.status == 200
    assert response.json()["raw"] == "\u0000\u0001binary"
    response = post(api, "/req/anything", "<x/>", "application/xml")
    assert response.json()["raw"] == "<x/>"
    problem(post(api, "/req/anything", "x", "text/plain"), 415)


def test_custom_format_from_the_plugin(api):
    assert post(api, "/req/pay", {"amount": "12.50"}, "application/json").status == 200
    body = problem(post(api, "/req/pay", {"amount": "12.5"}, "application/json"))
    assert body["errors"][0]["pointer"] == "/amount"


def test_custom_format_applies_to_responses(httpd):
    server = httpd("""
<Location /prices>
    OpenAPISpec specs/prices.yaml
    OpenAPIPlugin echo plugins/echo.so
    OpenAPIMock all
    OpenAPIValidateResponses on
</Location>
""")
    server.expect_log(r"OAPI02003: response of GET /bad-price")
    assert server.get("/prices/good").json() == {"amount": "3.50"}
    body = problem(server.get("/prices/bad-price"), 500)
    assert body["errors"][0]["pointer"] == "/amount", body


def test_swagger_2_form_data_and_body(api):
    response = post(api, "/req2/form", "name=Bo&age=3", "application/x-www-form-urlencoded")
    assert response.json()["body"] == {"name": "Bo", "age": 3}
    body = problem(post(api, "/req2/form", "age=x", "application/x-www-form-urlencoded"))
    assert sorted(error_names(body)) == [("formData", "age"), ("formData", "name")]
    assert {"in": "formData", "name": "name", "pointer": "/name",
            "message": "'name' is a required property"} in \
        [{k: v for k, v in e.items() if k != "schemaLocation"} for e in body["errors"]]
    assert all(re.match(r"^[\w.-]+\.(yaml|json)#/", e["schemaLocation"]) for e in body["errors"])
    response = post(api, "/req2/form", "name=Bo&nick=None", "application/x-www-form-urlencoded")
    assert response.json()["body"] == {"name": "Bo", "nick": None}  # x-nullable
    response = post(api, "/req2/body", {"name": "Rex"}, "application/json")
    assert response.json()["params"] == {"pet": {"name": "Rex"}}  # the body parameter's name
    problem(post(api, "/req2/body", {}, "application/json"))


# ---- size limits ----

def test_body_over_max_body_size_is_413(httpd):
    server = start(httpd, extra="OpenAPIMaxBodySize 100")
    body = problem(post(server, "/req/note", "x" * 101, "text/plain"), 413)
    assert "100 bytes" in body["detail"]
    assert post(server, "/req/note", "x" * 5, "text/plain").status == 200


def test_body_over_limit_request_body_is_413(httpd):
    server = start(httpd, extra="LimitRequestBody 50")
    problem(post(server, "/req/note", "y" * 60, "text/plain"), 413)
