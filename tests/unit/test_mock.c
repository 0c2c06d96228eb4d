/* oa_mock: choosing the response, media type and example, broken references, threads;
 * every schema of the OAI examples mocked and validated. Generated values alone:
 * test_mock_value.c; strings from patterns: test_mock_pattern.c. */
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
#include "unit_mock.h"
#include "unit_spec.h"

static apr_pool_t *pool;

/* short names for what most checks below do */
#define dump(value) unit_json_text(pool, (value))
#define path_get(value, pointer) unit_json_at(pool, (value), (pointer))

static const char *fixture(const char *name)
{
    return apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures/specs/mock/", name, NULL);
}

static oa_spec *load(const char *path)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(pool, path, diag);
    if (!spec) {
        fprintf(stderr, "cannot load %s:\n", path);
        unit_print_diag(pool, diag);
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
    CHECK(unit_generated_validates(pool, spec->docs,
                                   unit_ref_node(spec->docs, "#/components/schemas/Pet"),
                                   spec->uri, r.body, "/generated"));
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
    CHECK(unit_generated_validates(pool, spec->docs,
                                   unit_ref_node(spec->docs, "#/definitions/Dog"), spec->uri,
                                   r.body, "Dog"));
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
            unit_print_diag(pool, diag);
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
                                    oa_operation_method(op), op->path, response->status,
                                    media->name);
                value = oa_mock_example_from_schema(pool, spec->docs, media->schema.node,
                                                    media->schema.base, diag);
                CHECK(value != NULL);
                if (!value) {
                    unit_print_diag(pool, diag);
                    continue;
                }
                (*total)++;
                if (unit_generated_validates(pool, spec->docs, media->schema.node,
                                             media->schema.base, value, what))
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
        check_spec_examples(apr_pstrcat(pool, unit_srcdir(),
                                        "/tests/fixtures/specs/oai/examples/", files[i], NULL),
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
    test_oai_examples();
    test_broken_refs();
    test_threads();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
