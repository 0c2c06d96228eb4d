/* oa_spec_compile: every public spec (the OAI examples, the large Twilio spec) loads and
 * compiles, within a time budget for the large one; broken schemas are reported with
 * positions. */
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_time.h>
#include <stdio.h>
#include <string.h>

#include "schema/oa_cast.h"
#include "request/oa_request.h"
#include "schema/oa_schema.h"
#include "spec/oa_spec.h"
#include "spec/oa_spec_compile.h"
#include "spec/oa_spec_load.h"
#include "unit.h"
#include "unit_spec.h"

static apr_pool_t *pool;

typedef struct counts {
    int parameters;
    int compiled_parameters;
    int media;
    int compiled_media;
    int responses;
} counts;

static void count(const oa_spec *spec, counts *c)
{
    int i, k, m;
    memset(c, 0, sizeof(*c));
    for (i = 0; i < spec->operations->nelts; i++) {
        const oa_operation *op = APR_ARRAY_IDX(spec->operations, i, oa_operation *);
        for (k = 0; k < op->parameters->nelts; k++) {
            const oa_parameter *param = APR_ARRAY_IDX(op->parameters, k, oa_parameter *);
            c->parameters++;
            c->compiled_parameters += param->compiled != NULL || param->schema.node == NULL;
        }
        for (k = 0; k < op->request_media->nelts; k++) {
            const oa_media_type *media = APR_ARRAY_IDX(op->request_media, k, oa_media_type *);
            c->media++;
            c->compiled_media += media->compiled != NULL || media->schema.node == NULL;
        }
        for (k = 0; k < op->response_list->nelts; k++) {
            const oa_response *response = APR_ARRAY_IDX(op->response_list, k, oa_response *);
            c->responses++;
            for (m = 0; m < response->media->nelts; m++) {
                const oa_media_type *media =
                    APR_ARRAY_IDX(response->media, m, oa_media_type *);
                c->media++;
                c->compiled_media += media->compiled != NULL || media->schema.node == NULL;
            }
        }
    }
}

/* Loads and compiles; returns the microseconds compile took, or -1. */
static long load_and_compile(const char *relative, counts *c)
{
    const char *path = apr_pstrcat(pool, unit_srcdir(), "/", relative, NULL);
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(pool, path, diag);
    oa_schema_registry *reg;
    apr_time_t start;
    int ok;
    if (!spec) {
        unit_print_diag(pool, diag);
        unit_check(0, relative, __FILE__, __LINE__);
        return -1;
    }
    reg = oa_schema_registry_create(pool, spec->docs, OA_DIALECT_OAS30);
    start = apr_time_now();
    ok = oa_spec_compile(spec, reg, diag);
    start = apr_time_now() - start;
    unit_print_diag(pool, diag);
    unit_check(ok, relative, __FILE__, __LINE__);
    count(spec, c);
    unit_check(c->compiled_parameters == c->parameters, relative, __FILE__, __LINE__);
    unit_check(c->compiled_media == c->media, relative, __FILE__, __LINE__);
    return ok ? (long)start : -1;
}

static void test_oai_examples(void)
{
    static const char *const specs[] = {
        "v2.0/yaml/api-with-examples.yaml", "v2.0/yaml/petstore-expanded.yaml",
        "v2.0/yaml/petstore-minimal.yaml", "v2.0/yaml/petstore-simple.yaml",
        "v2.0/yaml/petstore-with-external-docs.yaml", "v2.0/yaml/petstore.yaml",
        "v2.0/yaml/uber.yaml", "v2.0/yaml/petstore-separate/spec/swagger.yaml",
        "v2.0/json/api-with-examples.json", "v2.0/json/petstore-expanded.json",
        "v2.0/json/petstore-minimal.json", "v2.0/json/petstore-simple.json",
        "v2.0/json/petstore-with-external-docs.json", "v2.0/json/petstore.json",
        "v2.0/json/uber.json", "v2.0/json/petstore-separate/spec/swagger.json",
        "v3.0/api-with-examples.yaml", "v3.0/callback-example.yaml",
        "v3.0/link-example.yaml", "v3.0/petstore-expanded.yaml", "v3.0/petstore.yaml",
        "v3.0/uspto.yaml", NULL};
    int i;
    for (i = 0; specs[i]; i++) {
        counts c;
        load_and_compile(apr_pstrcat(pool, "tests/fixtures/specs/oai/examples/", specs[i], NULL),
                         &c);
    }
}

static void test_petstore_expanded_model(void)
{
    counts c;
    CHECK(load_and_compile("tests/fixtures/specs/oai/examples/v3.0/petstore-expanded.yaml", &c)
          >= 0);
    /* findPets (2 query), find/delete pet by id (1 path each) */
    CHECK_INT(c.parameters, 4);
    /* addPet's request body, and responses */
    CHECK_INT(c.responses, 8);
}

static void test_response_model(void)
{
    const char *path = apr_pstrcat(
        pool, unit_srcdir(), "/tests/fixtures/specs/oai/examples/v2.0/yaml/petstore.yaml", NULL);
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(pool, path, diag);
    const oa_operation *op;
    const oa_response *ok, *fallback;
    const oa_media_type *media;
    const oa_response_header *header;
    if (!spec) {
        CHECK(spec != NULL);
        return;
    }
    CHECK(oa_spec_compile(spec, oa_schema_registry_create(pool, spec->docs, OA_DIALECT_OAS30),
                          diag));
    op = APR_ARRAY_IDX(spec->operations, 0, oa_operation *); /* GET /pets */
    CHECK_STR(op->operation_id, "listPets");
    CHECK_INT(op->request_media->nelts, 0);
    CHECK_INT(op->response_list->nelts, 2);
    ok = APR_ARRAY_IDX(op->response_list, 0, oa_response *);
    fallback = APR_ARRAY_IDX(op->response_list, 1, oa_response *);
    CHECK_STR(ok->status, "200");
    CHECK_STR(fallback->status, "default");
    CHECK_INT(ok->media->nelts, 1);
    media = APR_ARRAY_IDX(ok->media, 0, oa_media_type *);
    CHECK_STR(media->name, "application/json"); /* from the global produces */
    CHECK(media->compiled != NULL);
    CHECK_INT(ok->headers->nelts, 1);
    header = APR_ARRAY_IDX(ok->headers, 0, oa_response_header *);
    CHECK_STR(header->name, "x-next");
    CHECK_STR(oa_schema_type_name(header->compiled), "string");
    /* POST /pets: 201 has no schema, so no media types */
    op = APR_ARRAY_IDX(spec->operations, 1, oa_operation *);
    CHECK_INT(APR_ARRAY_IDX(op->response_list, 0, oa_response *)->media->nelts, 0);
}

static void test_twilio(void)
{
    counts c;
    long micros = load_and_compile("tests/fixtures/specs/large/twilio_api_v2010.yaml", &c);
    CHECK(micros >= 0);
    CHECK(c.parameters > 500);
    CHECK(c.responses > 100);
    printf("twilio: %d parameters, %d media types, %d responses compiled in %.1f ms\n",
           c.parameters, c.media, c.responses, micros / 1000.0);
    /* Generous: it takes milliseconds; a regression to quadratic work would not. */
    CHECK(micros < 5 * 1000 * 1000);
}

static void test_broken_schema_reported(void)
{
    const char *path = apr_pstrcat(pool, unit_srcdir(),
                                   "/tests/fixtures/specs/request/broken_schema.yaml", NULL);
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(pool, path, diag);
    oa_schema_registry *reg;
    const oa_diag_entry *entry;
    CHECK(spec != NULL);
    if (!spec)
        return;
    reg = oa_schema_registry_create(pool, spec->docs, OA_DIALECT_OAS30);
    CHECK_INT(oa_spec_compile(spec, reg, diag), 0);
    CHECK(oa_diag_count(diag) >= 2);
    if (oa_diag_count(diag) < 2)
        return;
    entry = &APR_ARRAY_IDX(diag->entries, 0, oa_diag_entry);
    CHECK(strstr(entry->file, "broken_schema.yaml") != NULL);
    CHECK_INT(entry->line, 13);
    CHECK(strstr(entry->message, "unknown type") != NULL);
    entry = &APR_ARRAY_IDX(diag->entries, 1, oa_diag_entry);
    CHECK_INT(entry->line, 21);
}

static void test_shapes(void)
{
    const char *path = apr_pstrcat(pool, unit_srcdir(),
                                   "/tests/fixtures/specs/request/shapes.yaml", NULL);
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(pool, path, diag);
    const oa_operation *op;
    const oa_media_type *media;
    const oa_shape *shape;
    if (!spec) {
        CHECK(spec != NULL);
        return;
    }
    CHECK(oa_spec_compile(spec, oa_schema_registry_create(pool, spec->docs, OA_DIALECT_OAS30),
                          diag));
    op = APR_ARRAY_IDX(spec->operations, 0, oa_operation *);
    CHECK_INT(op->request_media->nelts, 1);
    media = APR_ARRAY_IDX(op->request_media, 0, oa_media_type *);
    shape = media->shape;
    CHECK(shape != NULL);
    if (!shape)
        return;
    CHECK_STR(shape->type, "object");               /* inferred from allOf */
    CHECK_STR(oa_shape_property(shape, "id")->type, "integer");   /* from the allOf $ref */
    CHECK_STR(oa_shape_property(shape, "tags")->type, "array");
    CHECK_STR(oa_shape_property(shape, "tags")->items->type, "number");
    /* recursive: a node's children are nodes */
    CHECK(oa_shape_property(shape, "child") != NULL);
    CHECK(oa_shape_property(oa_shape_property(shape, "child"), "child") ==
          oa_shape_property(shape, "child"));
    CHECK(oa_shape_property(shape, "nope") == NULL);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_oai_examples();
    test_petstore_expanded_model();
    test_response_model();
    test_twilio();
    {
        counts c;
        CHECK(load_and_compile("tests/fixtures/specs/large/twilio_api_v2010.json", &c) >= 0);
    }
    test_broken_schema_reported();
    test_shapes();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
