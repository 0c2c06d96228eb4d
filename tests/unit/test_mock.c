/* oa_mock: choosing the response and example, generating examples from schemas (each
 * generated example is validated against its schema), broken references, threads. */
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "response/oa_mock.h"
#include "schema/oa_schema.h"
#include "spec/oa_spec.h"
#include "spec/oa_spec_load.h"
#include "unit.h"

static apr_pool_t *pool;

static const char *fixture(const char *name)
{
    return apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures/specs/mock/", name, NULL);
}

static void print_diag(const oa_diag *diag)
{
    int i;
    for (i = 0; i < diag->entries->nelts; i++)
        fprintf(stderr, "    %s\n",
                oa_diag_format(pool, &APR_ARRAY_IDX(diag->entries, i, oa_diag_entry)));
}

static oa_spec *load(const char *path)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(pool, path, diag);
    if (!spec) {
        fprintf(stderr, "cannot load %s:\n", path);
        print_diag(diag);
    }
    return spec;
}

/* Mocks an operation; the body must be released by the caller. */
static int mock(oa_spec *spec, oa_method method, const char *path, const char *media_type,
                oa_mock_result *result)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_operation *op = oa_spec_find_operation(spec, method, path);
    int ok;
    memset(result, 0, sizeof(*result));
    if (!op) {
        fprintf(stderr, "no operation %s\n", path);
        return -1;
    }
    ok = oa_mock_response(pool, spec->docs, spec->major, op->responses, op->responses_base,
                          media_type, result, diag);
    if (!ok && oa_diag_count(diag) == 0)
        fprintf(stderr, "%s: failed without a reason\n", path);
    return ok;
}

static const char *dump(const json_t *value)
{
    char *text;
    const char *copy;
    if (!value)
        return "(none)";
    text = json_dumps(value, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    copy = apr_pstrdup(pool, text ? text : "(unprintable)");
    free(text);
    return copy;
}

/* Validates value against the schema at node (base: its document); prints why not. */
static int validates(oa_spec *spec, json_t *node, const char *base, json_t *value,
                     const char *what)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_schema_registry *registry = oa_schema_registry_create(pool, spec->docs,
                                                             OA_DIALECT_OAS30);
    oa_schema *schema = oa_schema_compile(registry, node, base, diag);
    apr_array_header_t *errors = NULL;
    int i;
    if (!schema) {
        fprintf(stderr, "%s: schema does not compile\n", what);
        print_diag(diag);
        return 0;
    }
    if (oa_schema_validate(schema, value, OA_MODE_RESPONSE, pool, &errors, 5))
        return 1;
    fprintf(stderr, "%s: generated %s does not validate:\n", what, dump(value));
    for (i = 0; errors && i < errors->nelts; i++) {
        const oa_schema_error *error = &APR_ARRAY_IDX(errors, i, oa_schema_error);
        fprintf(stderr, "    at '%s': %s\n", error->instance_pointer, error->message);
    }
    return 0;
}

/* A made-up {"$ref": ...} node, as responses reach named schemas. */
static json_t *ref_node(oa_spec *spec, const char *pointer)
{
    json_t *node = json_pack("{s:s}", "$ref", pointer);
    oa_docset_keep(spec->docs, node);
    return node;
}

static json_t *generate_named(oa_spec *spec, const char *container, const char *name)
{
    oa_diag *diag = oa_diag_create(pool);
    json_t *node = ref_node(spec, oa_json_pointer_append(pool, container, name));
    json_t *value = oa_mock_example_from_schema(pool, spec->docs, node, spec->uri, diag);
    if (!value) {
        fprintf(stderr, "cannot generate %s:\n", name);
        print_diag(diag);
    }
    return value;
}

static json_t *path_get(json_t *value, const char *pointer)
{
    return oa_json_pointer_get(pool, value, pointer, 0);
}

/* ---- choosing the response and the example ---- */

static void test_response_keys(void)
{
    json_t *responses = json_loads("{\"x-a\":{},\"404\":{},\"201\":{},\"200\":{}}", 0, NULL);
    CHECK_STR(oa_mock_response_key(responses), "201");
    json_decref(responses);
    responses = json_loads("{\"404\":{},\"default\":{},\"3XX\":{}}", 0, NULL);
    CHECK_STR(oa_mock_response_key(responses), "default");
    json_decref(responses);
    responses = json_loads("{\"x-b\":{},\"5XX\":{},\"404\":{}}", 0, NULL);
    CHECK_STR(oa_mock_response_key(responses), "5XX");
    json_decref(responses);
    responses = json_loads("{\"2xx\":{},\"200\":{}}", 0, NULL);
    CHECK_STR(oa_mock_response_key(responses), "2xx");
    json_decref(responses);
    responses = json_loads("{\"x-only\":{},\"600\":{},\"20\":{},\"2000\":{}}", 0, NULL);
    CHECK(oa_mock_response_key(responses) == NULL);
    json_decref(responses);
    CHECK(oa_mock_response_key(NULL) == NULL);

    CHECK_INT(oa_mock_status_for_key("200"), 200);
    CHECK_INT(oa_mock_status_for_key("204"), 204);
    CHECK_INT(oa_mock_status_for_key("2XX"), 200);
    CHECK_INT(oa_mock_status_for_key("4xx"), 400);
    CHECK_INT(oa_mock_status_for_key("default"), 200);
    CHECK_INT(oa_mock_status_for_key("2X0"), 0);
    CHECK_INT(oa_mock_status_for_key("abc"), 0);
    CHECK_INT(oa_mock_status_for_key(NULL), 0);
}

static void test_v3_responses(void)
{
    oa_spec *spec = load(fixture("tricky.yaml"));
    oa_mock_result r;
    CHECK(spec != NULL);
    if (!spec)
        return;

    CHECK_INT(mock(spec, OA_METHOD_GET, "/example", NULL, &r), 1);
    CHECK_INT(r.status, 201);
    CHECK_STR(r.response_key, "201");
    CHECK_STR(r.media_type, "application/json");
    CHECK_STR(r.source, "example");
    CHECK_STR(dump(r.body), "{\"id\":1,\"name\":\"from example\"}");
    json_decref(r.body);
    CHECK_INT(mock(spec, OA_METHOD_GET, "/example", "application/xml", &r), 1);
    CHECK_STR(r.media_type, "application/xml");
    CHECK_STR(json_string_value(r.body), "<pet id='1'/>");
    json_decref(r.body);
    /* a type the response does not have: the first one */
    CHECK_INT(mock(spec, OA_METHOD_GET, "/example", "image/png", &r), 1);
    CHECK_STR(r.media_type, "application/json");
    json_decref(r.body);

    /* externalValue is skipped; a $ref entry is followed */
    CHECK_INT(mock(spec, OA_METHOD_GET, "/examples", NULL, &r), 1);
    CHECK_STR(r.source, "examples/second");
    CHECK_STR(dump(r.body), "{\"id\":20,\"name\":\"second\"}");
    json_decref(r.body);

    CHECK_INT(mock(spec, OA_METHOD_GET, "/schema-example", NULL, &r), 1);
    CHECK_STR(r.source, "schema example");
    CHECK_STR(dump(r.body), "{\"a\":42}");
    json_decref(r.body);

    CHECK_INT(mock(spec, OA_METHOD_GET, "/generated", NULL, &r), 1);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.source, "generated");
    CHECK_STR(r.media_type, "application/json");
    CHECK(json_is_object(r.body));
    CHECK(validates(spec, ref_node(spec, "#/components/schemas/Pet"), spec->uri, r.body,
                    "/generated"));
    json_decref(r.body);
    CHECK_INT(mock(spec, OA_METHOD_GET, "/generated", "application/problem+json", &r), 1);
    CHECK_STR(r.media_type, "application/problem+json");
    CHECK_STR(dump(r.body), "{\"status\":100,\"title\":\"string\",\"type\":\"about:blank\"}");
    json_decref(r.body);
    /* a concrete type under a declared range keeps its name */
    CHECK_INT(mock(spec, OA_METHOD_GET, "/generated", "text/html; charset=utf-8", &r), 1);
    CHECK_STR(r.media_type, "text/html; charset=utf-8");
    CHECK_STR(json_string_value(r.body), "2024-01-01");
    json_decref(r.body);

    CHECK_INT(mock(spec, OA_METHOD_GET, "/default-only", NULL, &r), 1);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.response_key, "default");
    CHECK_STR(dump(r.body), "[7]");
    json_decref(r.body);

    CHECK_INT(mock(spec, OA_METHOD_DELETE, "/no-content", NULL, &r), 1);
    CHECK_INT(r.status, 204);
    CHECK(r.body == NULL);
    CHECK(r.media_type == NULL);
    CHECK_STR(r.source, "none");

    /* no 2xx, no default: the first status there is, with its response $ref followed */
    CHECK_INT(mock(spec, OA_METHOD_GET, "/error-only", NULL, &r), 1);
    CHECK_INT(r.status, 404);
    CHECK_STR(r.source, "generated");
    CHECK_STR(json_string_value(path_get(r.body, "/type")), "about:blank");
    json_decref(r.body);

    CHECK_INT(mock(spec, OA_METHOD_GET, "/ranges", NULL, &r), 1);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.response_key, "2XX");
    CHECK_STR(r.media_type, "application/json"); /* "*" "/" "*" made concrete */
    CHECK_STR(json_string_value(r.body), "ing");
    json_decref(r.body);

    /* a response in another file whose schema refs resolve against that file */
    CHECK_INT(mock(spec, OA_METHOD_GET, "/external", NULL, &r), 1);
    CHECK_STR(json_string_value(path_get(r.body, "/part/serial")), "SN-000000");
    CHECK(json_is_number(path_get(r.body, "/owner/radius")));
    json_decref(r.body);

    CHECK_INT(mock(spec, OA_METHOD_GET, "/text", NULL, &r), 1);
    CHECK_STR(r.media_type, "text/plain");
    CHECK_STR(json_string_value(r.body), "hello");
    json_decref(r.body);

    CHECK_INT(mock(spec, OA_METHOD_GET, "/no-body", NULL, &r), 1);
    CHECK_INT(r.status, 202);
    CHECK(r.body == NULL && r.media_type == NULL);
    CHECK_STR(r.source, "none");

    CHECK_INT(mock(spec, OA_METHOD_GET, "/no-schema", NULL, &r), 1);
    CHECK_STR(r.media_type, "application/octet-stream");
    CHECK(r.body == NULL);
    CHECK_STR(r.source, "none");

    CHECK_INT(mock(spec, OA_METHOD_GET, "/extensions-only", NULL, &r), 0);
    CHECK(r.body == NULL);
}

static void test_v2_responses(void)
{
    oa_spec *spec = load(fixture("swagger.yaml"));
    oa_mock_result r;
    CHECK(spec != NULL);
    if (!spec)
        return;
    CHECK_INT(mock(spec, OA_METHOD_GET, "/pets", NULL, &r), 1);
    CHECK_STR(r.source, "examples/application/xml");
    CHECK_STR(r.media_type, "application/xml");
    CHECK_STR(json_string_value(r.body), "<pets/>");
    json_decref(r.body);
    CHECK_INT(mock(spec, OA_METHOD_GET, "/pets", "application/json;charset=utf-8", &r), 1);
    CHECK_STR(r.source, "examples/application/json");
    CHECK_STR(r.media_type, "application/json;charset=utf-8");
    CHECK_STR(dump(r.body), "[{\"id\":1,\"name\":\"Rex\",\"petType\":\"Dog\"}]");
    json_decref(r.body);
    CHECK_INT(mock(spec, OA_METHOD_GET, "/pets", "text/csv", &r), 1);
    CHECK_STR(r.media_type, "application/xml"); /* not among the examples: the first */
    json_decref(r.body);

    CHECK_INT(mock(spec, OA_METHOD_GET, "/pets/{id}", "application/json", &r), 1);
    CHECK_INT(r.status, 200);
    CHECK_STR(r.source, "generated");
    CHECK_STR(json_string_value(path_get(r.body, "/petType")), "Dog");
    CHECK_INT(json_integer_value(path_get(r.body, "/packSize")), 4);
    CHECK(validates(spec, ref_node(spec, "#/definitions/Dog"), spec->uri, r.body, "Dog"));
    json_decref(r.body);

    CHECK_INT(mock(spec, OA_METHOD_GET, "/schema-example", NULL, &r), 1);
    CHECK_STR(r.source, "schema example");
    CHECK_STR(r.media_type, "application/json");
    CHECK_STR(dump(r.body), "{\"code\":404,\"message\":\"not found\"}");
    json_decref(r.body);

    CHECK_INT(mock(spec, OA_METHOD_GET, "/default-only", NULL, &r), 1);
    CHECK_INT(r.status, 200);
    CHECK_STR(dump(r.body), "{\"ok\":true}");
    json_decref(r.body);

    CHECK_INT(mock(spec, OA_METHOD_POST, "/no-schema", "application/json", &r), 1);
    CHECK_INT(r.status, 201);
    CHECK(r.body == NULL);
    CHECK_STR(r.source, "none");

    CHECK_INT(mock(spec, OA_METHOD_GET, "/file", "application/octet-stream", &r), 1);
    CHECK_STR(r.media_type, "application/octet-stream");
    CHECK(json_is_string(r.body));
    json_decref(r.body);
}

/* ---- generated values ---- */

static void test_generated_values(void)
{
    oa_spec *spec = load(fixture("tricky.yaml"));
    const char *schemas = "#/components/schemas";
    json_t *v;
    CHECK(spec != NULL);
    if (!spec)
        return;

    v = generate_named(spec, schemas, "Pet");
    CHECK_STR(dump(v),
              "{\"avatar\":\"ZXhhbXBsZQ==\",\"born\":\"2024-01-01\","
              "\"createdAt\":\"2024-01-01T00:00:00Z\",\"createdBy\":\"string\","
              "\"email\":\"user@example.com\",\"host\":\"example.com\",\"id\":0,"
              "\"ip\":\"192.0.2.1\",\"ip6\":\"2001:db8::1\",\"level\":3,"
              "\"link\":\"/example/0\",\"name\":\"string\",\"nickname\":\"string\","
              "\"photo\":\"binary\",\"status\":\"available\",\"tag\":\"fluffy\","
              "\"uid\":\"3fa85f64-5717-4562-b3fc-2c963f66afa0\",\"vaccinated\":true,"
              "\"wakeUp\":\"00:00:00Z\",\"website\":\"https://example.com\",\"weight\":0}");
    CHECK(path_get(v, "/secret") == NULL); /* writeOnly */
    json_decref(v);

    /* recursion: optional recursive parts are left out, required ones kept minimal */
    v = generate_named(spec, schemas, "Tree");
    CHECK_STR(dump(v), "{\"value\":0}");
    json_decref(v);
    v = generate_named(spec, schemas, "TreeRequiredChildren");
    CHECK_STR(dump(v), "{\"children\":[]}");
    json_decref(v);
    v = generate_named(spec, schemas, "Ping");
    CHECK_STR(dump(v), "{\"pong\":{\"ping\":{}}}");
    json_decref(v);
    v = generate_named(spec, schemas, "EndlessChain"); /* ends, with a null somewhere */
    CHECK(json_is_object(v));
    json_decref(v);

    v = generate_named(spec, schemas, "Numbers");
    CHECK_INT(json_integer_value(path_get(v, "/stepped")), 6);
    CHECK_INT(json_integer_value(path_get(v, "/positive")), 1);
    CHECK(json_number_value(path_get(v, "/belowHalf")) == -1.5);
    CHECK(json_number_value(path_get(v, "/tenths")) == 0.3);
    CHECK(json_number_value(path_get(v, "/unitInterval")) == 0.5);
    CHECK_INT(json_integer_value(path_get(v, "/halves")), 5);
    CHECK_INT(json_integer_value(path_get(v, "/big")), 1000000);
    CHECK_INT(json_integer_value(path_get(v, "/negative")), -3);
    CHECK_INT(json_integer_value(path_get(v, "/exclusiveInt")), 8);
    CHECK(json_number_value(path_get(v, "/narrow")) == 2.5);
    CHECK_INT(json_integer_value(path_get(v, "/int32")), -1);
    json_decref(v);

    v = generate_named(spec, schemas, "Strings");
    CHECK_STR(json_string_value(path_get(v, "/long")), "stringxxxx");
    CHECK_STR(json_string_value(path_get(v, "/short")), "ing");
    CHECK_STR(json_string_value(path_get(v, "/code")), "AAA-0000");
    CHECK_STR(json_string_value(path_get(v, "/words")), "fooba"); /* z? written 0 times */
    CHECK_STR(json_string_value(path_get(v, "/sized")), "aaaaa");
    CHECK_STR(json_string_value(path_get(v, "/unanchored")), "abc");
    CHECK_STR(json_string_value(path_get(v, "/exact")), "ring");
    CHECK_STR(json_string_value(path_get(v, "/utf8")), "\xc3\xa9\xc3\xa9");
    CHECK_STR(json_string_value(path_get(v, "/semver")), "0.0.0");
    json_decref(v);

    v = generate_named(spec, schemas, "Arrays");
    CHECK_STR(dump(path_get(v, "/uniqueInts")), "[0,1,2]");
    CHECK_STR(dump(path_get(v, "/none")), "[]");
    CHECK_STR(dump(path_get(v, "/uniqueEnum")), "[\"a\",\"b\"]");
    CHECK_STR(dump(path_get(v, "/uniqueBools")), "[true,false]");
    CHECK_INT(json_array_size(path_get(v, "/many")), 50);
    CHECK_STR(dump(path_get(v, "/uniqueObjects")), "[{\"n\":0},{\"n\":1}]");
    CHECK_STR(dump(path_get(v, "/nested")), "[[\"string\"]]");
    CHECK_STR(dump(path_get(v, "/anything")), "[]");
    json_decref(v);

    v = generate_named(spec, schemas, "Map");
    CHECK_STR(dump(v), "{\"additionalProp1\":1}");
    json_decref(v);
    v = generate_named(spec, schemas, "MinProps");
    CHECK_STR(dump(v), "{\"additionalProp1\":true,\"only\":\"string\"}");
    json_decref(v);
    v = generate_named(spec, schemas, "MaxProps");
    CHECK_STR(dump(v), "{\"a\":\"string\",\"c\":\"string\"}");
    json_decref(v);

    v = generate_named(spec, schemas, "Cat");
    CHECK(json_is_true(path_get(v, "/meow")));
    CHECK_STR(json_string_value(path_get(v, "/name")), "string");
    json_decref(v);
    v = generate_named(spec, schemas, "Shape"); /* the mapping's first entry */
    CHECK_STR(json_string_value(path_get(v, "/kind")), "sq");
    CHECK(json_is_number(path_get(v, "/side")));
    json_decref(v);
    v = generate_named(spec, schemas, "ShapeImplicit");
    CHECK_STR(json_string_value(path_get(v, "/kind")), "Circle");
    json_decref(v);
    v = generate_named(spec, schemas, "Dog");
    CHECK_STR(json_string_value(path_get(v, "/animalType")), "Dog");
    json_decref(v);
    v = generate_named(spec, schemas, "Animal");
    CHECK_STR(json_string_value(path_get(v, "/animalType")), "Animal");
    json_decref(v);
    v = generate_named(spec, schemas, "Kennel");
    CHECK_STR(json_string_value(path_get(v, "/dogs/0/animalType")), "Dog");
    CHECK_STR(json_string_value(path_get(v, "/animal/animalType")), "Animal");
    json_decref(v);

    v = generate_named(spec, schemas, "StringOrNumber");
    CHECK_STR(json_string_value(v), "string");
    json_decref(v);
    v = generate_named(spec, schemas, "AllOfScalars");
    CHECK_STR(json_string_value(v), "2024-01-01");
    json_decref(v);
    v = generate_named(spec, schemas, "Untyped");
    CHECK(json_is_null(v));
    json_decref(v);
    v = generate_named(spec, schemas, "InferredObject");
    CHECK_STR(dump(v), "{\"a\":\"string\"}");
    json_decref(v);
    v = generate_named(spec, schemas, "InferredArray");
    CHECK_STR(dump(v), "[0]");
    json_decref(v);
    v = generate_named(spec, schemas, "InferredString");
    CHECK_STR(dump(v), "\"ng\"");
    json_decref(v);
    v = generate_named(spec, schemas, "InferredNumber");
    CHECK_STR(dump(v), "4");
    json_decref(v);
    v = generate_named(spec, schemas, "RequiredUndeclared");
    CHECK_STR(dump(v), "{\"extra\":0}");
    json_decref(v);
    v = generate_named(spec, schemas, "NestedExample");
    CHECK_STR(dump(v), "{\"inner\":{\"given\":true}}");
    json_decref(v);
    v = generate_named(spec, schemas, "Deep"); /* optional parts stop at the depth bound */
    CHECK(path_get(v, "/l1/l2/l3/l4/l5/l6/l7/l8/r") != NULL);
    CHECK(path_get(v, "/l1/l2/l3/l4/l5/l6/l7/l8/l9") == NULL);
    json_decref(v);
    v = generate_named(spec, schemas, "Fanout"); /* the node budget bounds the size */
    CHECK(json_is_object(v));
    {
        char *text = json_dumps(v, JSON_COMPACT);
        CHECK(text && strlen(text) < 200000);
        free(text);
    }
    json_decref(v);
}

/* Every schema of a fixture: generated (through a $ref, as responses reach them) and
 * validated. Schemas marked x-mock-unsatisfiable must still give a value. */
static void validate_all_named(oa_spec *spec, const char *container, int *valid, int *total,
                               int *unsatisfiable)
{
    json_t *schemas = oa_json_pointer_get(pool, spec->root, container + 1, 0);
    const char *name;
    json_t *schema;
    json_object_foreach(schemas, name, schema) {
        const char *pointer = oa_json_pointer_append(pool, container, name);
        json_t *value = generate_named(spec, container, name);
        int expect_valid = !json_object_get(schema, "x-mock-unsatisfiable");
        CHECK(value != NULL);
        if (!value)
            continue;
        if (expect_valid) {
            (*total)++;
            if (validates(spec, ref_node(spec, pointer), spec->uri, value, name))
                (*valid)++;
        }
        else {
            printf("  %s (not expected to validate): %.100s\n", name, dump(value));
            (*unsatisfiable)++;
        }
        json_decref(value);
    }
}

static void test_fixture_schemas_validate(void)
{
    oa_spec *v3 = load(fixture("tricky.yaml"));
    oa_spec *v2 = load(fixture("swagger.yaml"));
    int valid = 0;
    int total = 0;
    int unsatisfiable = 0;
    CHECK(v3 && v2);
    if (!(v3 && v2))
        return;
    validate_all_named(v3, "#/components/schemas", &valid, &total, &unsatisfiable);
    validate_all_named(v2, "#/definitions", &valid, &total, &unsatisfiable);
    printf("fixture schemas: %d of %d generated examples validate (and %d marked "
           "x-mock-unsatisfiable)\n", valid, total, unsatisfiable);
    CHECK_INT(unsatisfiable, 3);
    CHECK_INT(valid, total);
    CHECK(total >= 40);
}

/* ---- the OAI example specs ---- */

static void check_spec_examples(const char *path, int *valid, int *total, int *mocked)
{
    oa_spec *spec = load(path);
    apr_hash_t *seen = apr_hash_make(pool);
    int i;
    CHECK(spec != NULL);
    if (!spec)
        return;
    for (i = 0; i < spec->operations->nelts; i++) {
        oa_operation *op = APR_ARRAY_IDX(spec->operations, i, oa_operation *);
        oa_diag *diag = oa_diag_create(pool);
        oa_mock_result result;
        int r;
        int ok = oa_mock_response(pool, spec->docs, spec->major, op->responses,
                                  op->responses_base, NULL, &result, diag);
        CHECK(ok);
        if (!ok)
            print_diag(diag);
        else
            (*mocked)++;
        json_decref(result.body);
        for (r = 0; op->response_list && r < op->response_list->nelts; r++) {
            oa_response *response = APR_ARRAY_IDX(op->response_list, r, oa_response *);
            int m;
            for (m = 0; m < response->media->nelts; m++) {
                oa_media_type *media = APR_ARRAY_IDX(response->media, m, oa_media_type *);
                const char *what;
                json_t *value;
                if (!media->schema.node ||
                    apr_hash_get(seen, &media->schema.node, sizeof(json_t *)))
                    continue;
                apr_hash_set(seen, apr_pmemdup(pool, &media->schema.node, sizeof(json_t *)),
                             sizeof(json_t *), path);
                what = apr_psprintf(pool, "%s %s %s %s %s", strrchr(path, '/') + 1,
                                    oa_method_name(op->method), op->path, response->status,
                                    media->name);
                value = oa_mock_example_from_schema(pool, spec->docs, media->schema.node,
                                                    media->schema.base, diag);
                CHECK(value != NULL);
                if (!value) {
                    print_diag(diag);
                    continue;
                }
                (*total)++;
                if (validates(spec, media->schema.node, media->schema.base, value, what))
                    (*valid)++;
                json_decref(value);
            }
        }
    }
}

static void test_oai_examples(void)
{
    static const char *const files[] = {
        "v3.0/api-with-examples.yaml", "v3.0/callback-example.yaml", "v3.0/link-example.yaml",
        "v3.0/petstore-expanded.yaml", "v3.0/petstore.yaml", "v3.0/uspto.yaml",
        "v2.0/yaml/api-with-examples.yaml", "v2.0/yaml/petstore-expanded.yaml",
        "v2.0/yaml/petstore-minimal.yaml", "v2.0/yaml/petstore-simple.yaml",
        "v2.0/yaml/petstore-with-external-docs.yaml", "v2.0/yaml/petstore.yaml",
        "v2.0/yaml/uber.yaml", NULL};
    int valid = 0;
    int total = 0;
    int mocked = 0;
    int i;
    for (i = 0; files[i]; i++)
        check_spec_examples(apr_pstrcat(pool, unit_srcdir(), "/../shared/specs/oai/examples/",
                                        files[i], NULL),
                            &valid, &total, &mocked);
    printf("OAI examples: %d operations mocked; %d of %d generated examples validate\n",
           mocked, valid, total);
    CHECK_INT(valid, total);
    CHECK(total >= 20);
}

/* ---- errors ---- */

static void test_broken_refs(void)
{
    oa_docset *docs = oa_docset_create(pool, NULL, NULL);
    const char *uri = "file:///mock/broken.json";
    json_t *doc = json_loads(
        "{\"responses\":{\"200\":{\"$ref\":\"#/missing\"}},"
        " \"schemaResponses\":{\"200\":{\"description\":\"x\",\"content\":{\"application/json\":"
        "  {\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"other.json#/x\"}}}}}}},"
        " \"loop\":{\"200\":{\"$ref\":\"#/loop/200\"}},"
        " \"anchor\":{\"200\":{\"$ref\":\"#thing\"}},"
        " \"v2\":{\"200\":{\"description\":\"x\",\"schema\":{\"items\":{\"$ref\":\"#/nope\"}}}},"
        " \"empty\":{}}", 0, NULL);
    oa_mock_result r;
    oa_diag *diag;
    static const char *const cases[] = {"/responses", "/schemaResponses", "/loop", "/anchor",
                                        "/v2", "/empty", NULL};
    int i;
    CHECK(doc != NULL);
    if (!doc)
        return;
    oa_docset_add(docs, uri, doc, NULL);
    for (i = 0; cases[i]; i++) {
        diag = oa_diag_create(pool);
        CHECK_INT(oa_mock_response(pool, docs, strcmp(cases[i], "/v2") == 0 ? 2 : 3,
                                   oa_json_pointer_get(pool, doc, cases[i], 0), uri, NULL, &r,
                                   diag), 0);
        CHECK(oa_diag_count(diag) > 0);
        CHECK(r.body == NULL);
    }
    diag = oa_diag_create(pool);
    CHECK(oa_mock_example_from_schema(pool, docs, oa_json_pointer_get(pool, doc,
                                      "/v2/200/schema", 0), uri, diag) == NULL);
    CHECK(oa_diag_count(diag) > 0);
}

/* ---- threads: shared read-only spec, a pool per call ---- */

typedef struct thread_job {
    oa_spec *spec;
    const char *expected;
    int mismatches;
} thread_job;

static void *APR_THREAD_FUNC mock_thread(apr_thread_t *thread, void *data)
{
    thread_job *job = data;
    oa_operation *op = oa_spec_find_operation(job->spec, OA_METHOD_GET, "/external");
    int i;
    for (i = 0; i < 200; i++) {
        apr_pool_t *local;
        oa_mock_result r;
        char *text;
        apr_pool_create_unmanaged_ex(&local, NULL, NULL);
        if (!oa_mock_response(local, job->spec->docs, 3, op->responses, op->responses_base,
                              NULL, &r, oa_diag_create(local)))
            job->mismatches++;
        text = json_dumps(r.body, JSON_COMPACT | JSON_SORT_KEYS);
        if (!text || strcmp(text, job->expected) != 0)
            job->mismatches++;
        free(text);
        json_decref(r.body);
        apr_pool_destroy(local);
    }
    /* returning (not apr_thread_exit, i.e. pthread_exit) keeps ASan's thread teardown
     * quiet */
    (void)thread;
    return NULL;
}

static void test_threads(void)
{
    oa_spec *spec = load(fixture("tricky.yaml"));
    oa_mock_result r;
    thread_job jobs[4];
    apr_thread_t *threads[4];
    int i;
    CHECK(spec != NULL);
    if (!spec)
        return;
    CHECK_INT(mock(spec, OA_METHOD_GET, "/external", NULL, &r), 1);
    for (i = 0; i < 4; i++) {
        jobs[i].spec = spec;
        jobs[i].expected = dump(r.body);
        jobs[i].mismatches = 0;
        CHECK(apr_thread_create(&threads[i], NULL, mock_thread, &jobs[i], pool) ==
              APR_SUCCESS);
    }
    json_decref(r.body);
    for (i = 0; i < 4; i++) {
        apr_status_t status;
        apr_thread_join(&status, threads[i]);
        CHECK_INT(jobs[i].mismatches, 0);
    }
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_response_keys();
    test_v3_responses();
    test_v2_responses();
    test_generated_values();
    test_fixture_schemas_validate();
    test_oai_examples();
    test_broken_refs();
    test_threads();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
