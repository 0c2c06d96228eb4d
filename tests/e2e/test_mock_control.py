"""Mock control (Stoplight Prism's Prefer header, RFC 7240): Prefer: code=, example=,
dynamic=true (repeatable with OpenAPIMockSeed), examples maps, Accept, response headers
declared with examples; unknown or impossible preferences ignored."""
import json
import re

CONFIG = """
<Location /m>
    OpenAPISpec specs/mock/prefer.yaml
    OpenAPIBasePath /m
    OpenAPIMock all
    OpenAPIValidateResponses on
    %s
</Location>
"""

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def start(httpd, extra=""):
    return httpd(CONFIG % extra)


def test_default_answer_first_example_and_headers(httpd):
    server = start(httpd)
    answer = server.get("/m/pets/1")
    assert answer.status == 200, answer
    assert answer.json() == {"id": 1, "name": "Tom", "kind": "cat"}
    assert answer.header("x-rate-limit") == "10"
    assert answer.header("x-tags") == "a,b"           # the schema's example, simple style
    assert answer.header("x-request-id")              # required: generated from its schema
    assert answer.header("x-unset") is None           # neither example nor required
    assert answer.header("x-bad") is None             # a value a header cannot carry
    assert answer.header("preference-applied") is None
    assert "Prefer" in answer.header("vary")


def test_prefer_example_picks_an_examples_entry(httpd):
    server = start(httpd)
    dog = server.get("/m/pets/2", headers={"Prefer": "example=dog"})
    assert dog.status == 200 and dog.json() == {"id": 2, "name": "Rex", "kind": "dog"}, dog
    assert dog.header("preference-applied") == 'example="dog"'
    quoted = server.get("/m/pets/2", headers={"Prefer": 'example="dog"; lenient'})
    assert quoted.json()["name"] == "Rex"
    unknown = server.get("/m/pets/2", headers={"Prefer": "example=horse"})
    assert unknown.json()["name"] == "Tom"            # ignored: the first entry
    assert unknown.header("preference-applied") is None
    external = server.get("/m/pets/2", headers={"Prefer": "example=external"})
    assert external.json()["name"] == "Tom"           # nothing is fetched


def test_prefer_code_picks_the_declared_response(httpd):
    server = start(httpd)
    missing = server.get("/m/pets/7", headers={"Prefer": "code=404"})
    assert missing.status == 404, missing
    assert missing.content_type == "application/problem+json"
    assert missing.json()["detail"] == "no pet 7"
    assert missing.header("preference-applied") == "code=404"
    ranged = server.get("/m/pets/7", headers={"Prefer": "code=503"})
    assert ranged.status == 503 and ranged.json() == {"error": "trouble"}, ranged
    fallback = server.get("/m/pets/7", headers={"Prefer": "code=409"})
    assert fallback.status == 409 and fallback.json() == {"error": "unexpected"}, fallback
    both = server.get("/m/pets/7", headers={"Prefer": "code=200, example=dog"})
    assert both.status == 200 and both.json()["name"] == "Rex"
    assert both.header("preference-applied") == 'code=200,example="dog"'


def test_undeclared_code_and_unknown_preferences_are_ignored(httpd):
    server = start(httpd)
    created = server.request("POST", "/m/pets", headers={"Prefer": "code=404"})
    assert created.status == 201, created              # no 404, no default: ignored
    assert created.header("preference-applied") is None
    for prefer in ["respond-async, wait=10", "code=abc", "code=99", "code", "=,;,\"",
                   "return=minimal; foo=\"a,b\"", "dynamic=maybe"]:
        answer = server.get("/m/pets/1", headers={"Prefer": prefer})
        assert answer.status == 200 and answer.json()["name"] == "Tom", (prefer, answer)
        assert answer.header("preference-applied") is None, prefer
    first_wins = server.get("/m/pets/1", headers={"Prefer": "code=404, code=200"})
    assert first_wins.status == 404


def test_accept_picks_the_media_type(httpd):
    server = start(httpd)
    text = server.get("/m/pets/1", headers={"Accept": "text/plain"})
    assert text.status == 200 and text.content_type == "text/plain", text
    assert text.body == "Tom the cat"
    assert server.get("/m/pets/1", headers={"Accept": "application/xml"}).status == 406


def dynamic_pet(server, path="/m/pets/1", extra=None):
    headers = {"Prefer": "dynamic=true"}
    headers.update(extra or {})
    answer = server.get(path, headers=headers)
    assert answer.status == 200, answer                # held to the spec: validation on
    assert answer.header("preference-applied") == "dynamic=true"
    return answer


def test_dynamic_values_fit_the_schema_and_vary(httpd):
    server = start(httpd)
    pets = [dynamic_pet(server) for _ in range(8)]
    bodies = [p.json() for p in pets]
    for pet in bodies:
        assert 1 <= pet["id"] <= 100000
        assert 2 <= len(pet["name"]) <= 10 and pet["name"].isalpha()
        assert pet["kind"] in ("cat", "dog", "bird", "fish")
        assert UUID.match(pet["tag"]), pet
        assert 0 < pet["weight"] <= 50 and (pet["weight"] * 2) == int(pet["weight"] * 2)
    assert len({json.dumps(b, sort_keys=True) for b in bodies}) > 1   # not the example
    assert all(UUID.match(p.header("x-request-id")) for p in pets)
    listing = dynamic_pet(server, "/m/pets").json()
    assert 1 <= len(listing) <= 5


def test_seed_makes_dynamic_answers_repeatable(httpd):
    server = start(httpd, "OpenAPIMockSeed 42")
    first = dynamic_pet(server, "/m/pets/1")
    again = dynamic_pet(server, "/m/pets/1")
    other = dynamic_pet(server, "/m/pets/2")
    assert first.body == again.body
    assert first.header("x-request-id") == again.header("x-request-id")
    assert first.body != other.body                    # the request is part of the seed
    reseeded = httpd(CONFIG % "OpenAPIMockSeed 43")
    assert dynamic_pet(reseeded, "/m/pets/1").body != first.body


def test_prefer_in_mock_unimplemented_and_not_for_handlers(httpd):
    server = httpd("""
<Location /res>
    OpenAPISpec specs/responses.yaml
    OpenAPIPlugin respond plugins/respond.so
    OpenAPIMock unimplemented
</Location>
""")
    handled = server.get("/res/good", headers={"Prefer": "code=404"})
    assert handled.status == 200 and handled.header("preference-applied") is None


def test_seed_inherited_and_turned_random(httpd):
    server = httpd("""
OpenAPIMockSeed 42
<Location /m>
    OpenAPISpec specs/mock/prefer.yaml
    OpenAPIBasePath /m
    OpenAPIMock all
</Location>
<Location /r>
    OpenAPISpec specs/mock/prefer.yaml
    OpenAPIBasePath /r
    OpenAPIMock all
    OpenAPIMockSeed random
</Location>
""")
    seeded = {dynamic_pet(server, "/m/pets/1").body for _ in range(4)}
    assert len(seeded) == 1
    drawn = {dynamic_pet(server, "/r/pets/1").body for _ in range(4)}
    assert len(drawn) > 1
