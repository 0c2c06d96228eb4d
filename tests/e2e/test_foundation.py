"""Foundation: a real httpd loads specs, routes, dispatches to C plugins, and answers
routing failures with problem+json."""
import json
import re

import pytest

from httpd import SANITIZE

ROUTING = """
<Location /api>
    OpenAPISpec specs/routing.yaml
    OpenAPIPlugin echo plugins/echo.so
</Location>
"""


def assert_problem(response, status):
    assert response.status == status, response
    assert response.content_type == "application/problem+json", response
    problem = response.json()
    assert problem["status"] == status
    assert problem["type"] == "about:blank"
    assert problem["title"]
    assert problem["detail"]
    return problem


@pytest.fixture
def api(httpd):
    return httpd(ROUTING)


def test_dispatches_to_the_plugin_function(api):
    response = api.get("/api/items")
    assert response.status == 200
    assert response.content_type == "application/json"
    assert response.header("x-echo") == "yes"
    answer = response.json()
    assert answer["operationId"] == "echo.list_items"
    assert answer["template"] == "/items"
    assert answer["method"] == "GET"


def test_query_parameters_are_cast_and_defaulted(api):
    answer = api.get("/api/items?ratio=2.5&flag=true&tags=a,b,c&%24top=5").json()
    assert answer["params"] == {"limit": 10, "ratio": 2.5, "flag": True,
                                "tags": ["a", "b", "c"], "top": "5"}
    assert api.get("/api/items?limit=3").json()["params"]["limit"] == 3


def test_a_query_parameter_of_the_wrong_type_is_a_400_naming_it(api):
    problem = assert_problem(api.get("/api/items?limit=many"), 400)
    assert "limit" in problem["detail"]
    # the failing keyword is named by its place in the spec (the file's name, no directory)
    assert problem["errors"] == [{"in": "query", "name": "limit",
                                  "message": "'many' is not of type 'integer'",
                                  "schemaLocation":
                                      "routing.yaml#/paths/~1items/get/parameters/0/schema/type"}]


def test_concrete_paths_win_over_templated_ones(api):
    assert api.get("/api/items/latest").json()["template"] == "/items/latest"
    assert api.get("/api/items/7").json()["template"] == "/items/{id}"


def test_integer_and_number_path_parameters(api):
    assert api.get("/api/items/42").json()["params"] == {"id": 42}
    assert api.get("/api/prices/3.25").json()["params"] == {"amount": 3.25}
    problem = assert_problem(api.get("/api/items/abc"), 400)
    assert "'id'" in problem["detail"]


def test_path_parameters_are_percent_decoded(api):
    answer = api.get("/api/names/J%C3%B6rg%20M%C3%BCller").json()
    assert answer["params"] == {"name": "J\u00f6rg M\u00fcller"}


def test_format_path_parameters_span_slashes(api):
    answer = api.get("/api/files/docs/2024/report.txt").json()
    assert answer["template"] == "/files/{path}"
    assert answer["params"] == {"path": "docs/2024/report.txt"}


def test_templated_part_of_a_segment_and_router_controller(api):
    answer = api.get("/api/reports/17.json").json()
    assert answer["template"] == "/reports/{id}.json"
    assert answer["operationId"] == "report"
    assert answer["params"] == {"id": "17"}


def test_base_path_root_and_server_variables(api):
    # servers[0].url is "{scheme}://example.com/{base}" with base defaulting to "api".
    assert api.get("/api").json()["template"] == "/"
    assert api.get("/api/").json()["template"] == "/"


def test_unknown_path_is_a_404_problem(api):
    problem = assert_problem(api.get("/api/nothing/here"), 404)
    assert "/nothing/here" in problem["detail"]
    assert problem["title"] == "Not Found"


def test_wrong_method_is_a_405_problem_with_allow(api):
    response = api.request("PUT", "/api/items/3")
    problem = assert_problem(response, 405)
    allowed = {m.strip() for m in response.header("allow").split(",")}
    assert allowed == {"GET", "HEAD", "DELETE"}
    assert "PUT" in problem["detail"]


def test_head_is_answered_by_the_get_operation(api):
    response = api.request("HEAD", "/api/items/5")
    assert response.status == 200
    assert response.body == ""
    assert response.header("x-echo") == "yes"
    assert response.content_type == "application/json"


def test_json_body_reaches_the_handler(api):
    response = api.request("POST", "/api/items", body=json.dumps({"name": "x", "n": [1, 2]}),
                           headers={"Content-Type": "application/json"})
    assert response.status == 200
    assert response.json()["body"] == {"name": "x", "n": [1, 2]}


def test_malformed_json_body_is_a_400_with_line_and_column(api):
    response = api.request("POST", "/api/items", body='{\n  "name": "x",\n  oops\n}',
                           headers={"Content-Type": "application/json"})
    problem = assert_problem(response, 400)
    assert re.search(r"line 3, column \d+", problem["detail"]), problem


def test_raw_body_and_content_type_from_the_handler(api):
    response = api.get("/api/hello")
    assert response.status == 200
    assert response.content_type == "text/plain; charset=utf-8"
    assert response.body == "hello, world\n"


def test_204_carries_no_body(api):
    response = api.request("DELETE", "/api/items/1")
    assert response.status == 204
    assert response.body == ""


def test_a_failing_handler_is_a_500_problem_and_logged(api):
    api.expect_log(r"OAPI02001: handler of GET /fail \(operationId echo.fail\) failed")
    assert_problem(api.get("/api/fail"), 500)
    assert "OAPI02001" in api.error_log()


def test_requests_are_in_the_access_log(api):
    api.get("/api/items/9")
    line = '"GET /api/items/9 HTTP/1.1" 200'
    assert line in api.access_log(wait_for=line)


def test_operator_error_document_wins(httpd):
    server = httpd(ROUTING + 'ErrorDocument 404 "no such thing here"\n')
    response = server.get("/api/nope")
    assert response.status == 404
    assert response.body == "no such thing here"


def test_swagger_2_spec_with_refs_and_controller(httpd):
    server = httpd("""
<Location /v2>
    OpenAPISpec specs/swagger2.yaml
    OpenAPIPlugin echo plugins/echo.so
</Location>
""")
    answer = server.get("/v2/users/12").json()
    assert answer["operationId"] == "get_user"
    assert answer["params"] == {"userId": 12, "verbose": False}
    assert server.get("/v2/users/12?verbose=true").json()["params"]["verbose"] is True


def test_spec_split_across_files(httpd):
    server = httpd("""
<Location />
    OpenAPISpec specs/split/api.yaml
    OpenAPIPlugin echo plugins/echo.so
</Location>
""")
    answer = server.get("/things/5").json()
    assert answer["params"] == {"thingId": 5}


def test_base_path_directive_overrides_the_spec(httpd):
    server = httpd("""
<Location /elsewhere>
    OpenAPISpec specs/routing.yaml
    OpenAPIPlugin echo plugins/echo.so
    OpenAPIBasePath /elsewhere/v9/
</Location>
""")
    assert server.get("/elsewhere/v9/items/latest").json()["template"] == "/items/latest"


def test_nested_locations_merge(httpd):
    # The plugin comes from the enclosing section, the spec from the inner one; a deeper
    # section inherits both.
    server = httpd("""
<Location /outer>
    OpenAPIPlugin echo plugins/echo.so
</Location>
<Location /outer/api>
    OpenAPISpec specs/routing.yaml
    OpenAPIBasePath /outer/api
</Location>
<Location /outer/api/items>
    LimitRequestBody 1000
</Location>
""")
    assert server.get("/outer/api/items/3").json()["params"] == {"id": 3}


def test_two_apis_side_by_side(httpd):
    server = httpd("""
<Location /api>
    OpenAPISpec specs/routing.yaml
    OpenAPIPlugin echo plugins/echo.so
</Location>
<Location /v2>
    OpenAPISpec specs/swagger2.yaml
    OpenAPIPlugin echo plugins/echo.so
</Location>
""")
    assert server.get("/api/items/1").json()["template"] == "/items/{id}"
    assert server.get("/v2/users/1").json()["template"] == "/users/{userId}"
    assert server.get("/v2/items/1").status == 404


# ---- the example ----

EXAMPLE = """
<Location /v1>
    OpenAPISpec examples/petstore/petstore.yaml
    OpenAPIPlugin petstore plugins/petstore.so
    OpenAPIPlugin auth plugins/oauth.so
</Location>
"""


def test_example_petstore_lifecycle(httpd):
    server = httpd(EXAMPLE)
    # the example is protected by OAuth 2: a token from its own authorization server first
    issued = server.request("POST", "/v1/oauth/token",
                            body="grant_type=client_credentials&scope=pets%3Aread+pets%3Awrite",
                            headers={"Content-Type": "application/x-www-form-urlencoded",
                                     "Authorization": "Basic ZGVtby1hcHA6ZGVtby1zZWNyZXQ="})
    assert issued.status == 200, issued
    bearer = {"Authorization": "Bearer " + issued.json()["access_token"]}
    as_json = dict(bearer, **{"Content-Type": "application/json"})

    def get(path):
        return server.request("GET", path, headers=bearer)

    assert server.get("/v1/pets").status == 401
    assert get("/v1/pets").json() == []
    created = server.request("POST", "/v1/pets", body='{"name": "Rex", "tag": "dog"}',
                             headers=as_json)
    assert created.status == 201
    pet = created.json()
    assert pet["name"] == "Rex" and pet["tag"] == "dog"
    assert created.header("location") == "pets/%d" % pet["id"]
    for name in ("Tom", "Kit"):
        server.request("POST", "/v1/pets", body=json.dumps({"name": name}), headers=as_json)
    assert len(get("/v1/pets").json()) == 3
    assert len(get("/v1/pets?limit=2").json()) == 2
    assert get("/v1/pets/%d" % pet["id"]).json() == pet
    assert server.request("DELETE", "/v1/pets/%d" % pet["id"], headers=bearer).status == 204
    missing = get("/v1/pets/%d" % pet["id"])
    assert_problem(missing, 404)
    assert_problem(get("/v1/pets/notanumber"), 400)
    assert_problem(server.request("PATCH", "/v1/pets", headers=bearer), 405)


@pytest.mark.skipif(SANITIZE, reason="httpd compiles <LocationMatch> regexes in the config "
                    "pool, which its children never free: LeakSanitizer would report httpd's "
                    "allocation, not ours")
def test_location_match_section(httpd):
    server = httpd("""
<LocationMatch "^/api/">
    OpenAPISpec specs/routing.yaml
    OpenAPIPlugin echo plugins/echo.so
</LocationMatch>
""")
    assert server.get("/api/items/4").json()["params"] == {"id": 4}


def test_requests_outside_the_base_path_are_not_the_apis(httpd):
    # The location covers /api but the API is served under /api/v2: /api/other is httpd's.
    server = httpd("""
<Location /api>
    OpenAPISpec specs/routing.yaml
    OpenAPIPlugin echo plugins/echo.so
    OpenAPIBasePath /api/v2
</Location>
""")
    assert server.get("/api/v2/items/4").json()["params"] == {"id": 4}
    response = server.get("/api/other")
    assert response.status == 404
    assert response.content_type != "application/problem+json"
    server.expect_log(r"AH00128: File does not exist")
