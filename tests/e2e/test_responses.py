"""Responses through a real httpd: serialization by media type, Accept negotiation,
response validation, problem details from handlers, error renderers and ErrorDocument,
mock and stub modes."""
import pytest

CONFIG = """
<Location /res>
    OpenAPISpec specs/responses.yaml
    OpenAPIPlugin respond plugins/respond.so
    {extra}
</Location>
"""


def start(httpd, extra="OpenAPIStub on"):
    return httpd(CONFIG.format(extra=extra))


def problem(response, status):
    assert response.status == status, response
    assert response.content_type == "application/problem+json", response
    return response.json()


# ---- serialization and negotiation ----

def test_json_body_and_headers(httpd):
    server = start(httpd)
    response = server.get("/res/good")
    assert response.status == 200
    assert response.content_type == "application/json"
    assert response.json() == {"id": 1, "name": "Rex"}
    assert response.header("x-rate-limit") == "10"


def test_accept_chooses_among_declared_types(httpd):
    server = start(httpd)
    csv = server.get("/res/report", headers={"Accept": "text/csv"})
    assert csv.status == 200
    assert csv.content_type == "text/csv"
    assert csv.body == "id,name\n1,Rex\n"
    json_answer = server.get("/res/report", headers={"Accept": "application/json"})
    assert json_answer.content_type == "application/json"
    assert json_answer.json() == [{"id": 1, "name": "Rex"}]
    preferred = server.get("/res/report",
                           headers={"Accept": "application/json;q=0.5, text/csv"})
    assert preferred.content_type == "text/csv"
    assert server.get("/res/report").content_type == "application/json"  # no Accept


def test_nothing_acceptable_is_406(httpd):
    server = start(httpd)
    body = problem(server.get("/res/report", headers={"Accept": "application/xml"}), 406)
    assert "application/json,text/csv" in body["detail"]


def test_204_sends_no_body(httpd):
    server = start(httpd)
    response = server.request("DELETE", "/res/empty")
    assert response.status == 204
    assert response.body == ""


# ---- response validation ----

def test_without_validation_anything_goes(httpd):
    server = start(httpd)
    assert server.get("/res/undeclared").status == 202
    assert server.get("/res/bad-body").json()["id"] == "one"


@pytest.mark.parametrize("path, expected", [
    ("/res/undeclared", "status 202 is not declared (declared: 200)"),
    ("/res/bad-body", "body at /id: 'one' is not of type 'integer'"),
    ("/res/write-only", "body at /password"),
    ("/res/missing-header", "header X-Rate-Limit: the required header 'X-Rate-Limit' is missing"),
])
def test_validation_turns_violations_into_500(httpd, path, expected):
    server = start(httpd, "OpenAPIStub on\nOpenAPIValidateResponses on")
    server.expect_log(r"OAPI02003: response of GET ")
    body = problem(server.get(path), 500)
    assert expected in body["detail"], body
    assert body["errors"]
    assert "OAPI02003: response of GET " in server.error_log()
    assert expected.split(":")[0] in server.error_log()


def test_valid_responses_pass_validation(httpd):
    server = start(httpd, "OpenAPIStub on\nOpenAPIValidateResponses on")
    assert server.get("/res/good").status == 200
    assert server.get("/res/report", headers={"Accept": "text/csv"}).status == 200
    assert server.get("/res/problem").status == 409
    assert server.request("DELETE", "/res/empty").status == 204


# ---- problems, renderers, ErrorDocument ----

def test_problem_with_every_member(httpd):
    server = start(httpd)
    body = problem(server.get("/res/problem"), 409)
    assert body == {"type": "https://example.com/probs/out-of-credit", "title": "Out of credit",
                    "status": 409, "detail": "Your balance is 30, but that costs 50.",
                    "instance": "/account/12345/msgs/abc", "balance": 30,
                    "accounts": ["/account/12345"]}


def test_plugin_error_renderer_shapes_module_errors(httpd):
    server = start(httpd)
    response = server.get("/res/nothing-here")
    assert response.status == 404
    assert response.content_type == "application/xml"
    assert response.body == ("<error code=\"404\">no operation of the API has the path "
                             "'/nothing-here'</error>\n")
    # a handler's own 404 is its answer, not an error the module renders
    assert problem(server.get("/res/missing"), 404)["detail"] == "handlers answer 404 themselves"


def test_error_document_wins_for_every_status(httpd):
    server = start(httpd, "OpenAPIStub on\nErrorDocument 501 \"not yet\"\n"
                          "ErrorDocument 406 \"pick another type\"")
    response = server.get("/res/unwritten")
    assert response.status == 501 and response.body == "not yet"
    response = server.get("/res/report", headers={"Accept": "image/png"})
    assert response.status == 406 and response.body == "pick another type"


# ---- stub and mock ----

def test_stub_answers_501_after_request_validation(httpd):
    server = start(httpd)
    body = problem(server.get("/res/unwritten"), 501)
    assert "GET /unwritten (operationId respond.no_such_function) is not implemented" in \
        body["detail"]
    problem(server.get("/res/unwritten?n=x"), 400)


def test_without_stub_a_missing_handler_fails_the_configuration(httpd):
    server = httpd(CONFIG.format(extra=""), start=False)
    code, output = server.configtest()
    assert code != 0
    assert "has no function 'no_such_function'" in output


def test_mock_unimplemented_operations(httpd):
    server = start(httpd, "OpenAPIMock unimplemented")
    assert server.get("/res/good").json() == {"id": 1, "name": "Rex"}  # the handler
    assert server.get("/res/unwritten").json() == {"id": 7, "name": "Example"}
    generated = server.get("/res/generated")
    assert generated.status == 201
    assert set(generated.json()) >= {"id", "name"}
    problem(server.get("/res/unwritten?n=x"), 400)  # requests are still validated


def test_mock_examples_go_through_response_validation(httpd):
    server = start(httpd, "OpenAPIMock unimplemented\nOpenAPIValidateResponses on")
    server.expect_log(r"OAPI02003: response of GET /broken-example")
    body = problem(server.get("/res/broken-example"), 500)
    assert {"in": "body", "pointer": "/id", "message": "'seven' is not of type 'integer'"} in \
        body["errors"], body
    assert server.get("/res/unwritten").status == 200


def test_a_spec_served_in_mock_mode_with_no_plugin(httpd):
    # No handler plugin: every operation of /v1 is mocked. The petstore is protected by
    # OAuth 2, so the plugin with its security function (auth.token_info) is loaded; a
    # second location serves that plugin's authorization server, which issues the token.
    server = httpd("""
<Location /v1>
    OpenAPISpec examples/petstore/petstore.yaml
    OpenAPIMock all
    OpenAPIValidateResponses on
    OpenAPIPlugin auth plugins/oauth.so
</Location>
<Location /issuer>
    OpenAPISpec examples/petstore/petstore.yaml
    OpenAPIBasePath /issuer/v1
    OpenAPIMock unimplemented
    OpenAPIPlugin auth plugins/oauth.so
</Location>
""")
    issued = server.request("POST", "/issuer/v1/oauth/token",
                            body="grant_type=client_credentials&client_id=demo-app"
                                 "&client_secret=demo-secret",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert issued.status == 200, issued
    token = issued.json()["access_token"]
    mocked = server.request("POST", "/v1/oauth/token",
                            body="grant_type=client_credentials&client_id=demo-app"
                                 "&client_secret=demo-secret",
                            headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert mocked.status == 200 and mocked.json()["access_token"] != token  # a mock's
    bearer = {"Authorization": "Bearer " + token}
    as_json = dict(bearer, **{"Content-Type": "application/json"})
    assert server.get("/v1/pets").status == 401  # security is still required
    pets = server.get("/v1/pets", headers=bearer)
    assert pets.status == 200
    assert isinstance(pets.json(), list)
    pet = server.get("/v1/pets/3", headers=bearer)
    assert pet.status == 200 and "name" in pet.json()
    created = server.request("POST", "/v1/pets", body='{"name": "x"}', headers=as_json)
    assert created.status == 201
    assert server.request("POST", "/v1/pets", body='{}', headers=as_json).status == 400
    assert server.request("DELETE", "/v1/pets/3", headers=bearer).status == 204
