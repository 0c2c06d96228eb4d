/* Mock control: the RFC 7240 Prefer header (oa_prefer), oa_mock_response_with's options
 * (a status, an examples entry, dynamic values from a seeded generator), mocked response
 * headers, and the generator itself. */
#include <apr_general.h>
#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

#include "response/oa_mock.h"
#include "response/oa_prefer.h"
#include "spec/oa_spec.h"
#include "spec/oa_spec_load.h"
#include "unit.h"

static apr_pool_t *pool;

static void check_prefer(void)
{
    oa_prefer p;
    oa_prefer_parse(pool, NULL, &p);
    CHECK(p.code == 0 && p.example == NULL && p.dynamic == -1);
    oa_prefer_parse(pool, "code=404", &p);
    CHECK_INT(p.code, 404);
    oa_prefer_parse(pool, "Code = 201 ; x=1, EXAMPLE=\"my \\\"cat\\\"\", dynamic=TRUE", &p);
    CHECK_INT(p.code, 201);
    CHECK_STR(p.example, "my \"cat\"");
    CHECK_INT(p.dynamic, 1);
    oa_prefer_parse(pool, "dynamic=false", &p);
    CHECK_INT(p.dynamic, 0);
    /* the first instance counts, also when its value is no good */
    oa_prefer_parse(pool, "code=abc, code=200", &p);
    CHECK_INT(p.code, 0);
    oa_prefer_parse(pool, "code=500, code=200", &p);
    CHECK_INT(p.code, 500);
    /* unknown preferences, parameters with commas in quotes, junk */
    oa_prefer_parse(pool, "respond-async, wait=10; x=\"a,code=404\", example=dog", &p);
    CHECK_INT(p.code, 0);
    CHECK_STR(p.example, "dog");
    oa_prefer_parse(pool, "=,;,\",code=99,code=1000,dynamic=maybe", &p);
    CHECK(p.code == 0 && p.example == NULL && p.dynamic == -1);
    oa_prefer_parse(pool, "code=600", &p);
    CHECK_INT(p.code, 0);
    oa_prefer_parse(pool, "example=\"unterminated", &p);
    CHECK(p.example == NULL);
    oa_prefer_parse(pool, "example=", &p);
    CHECK(p.example == NULL);
}

static void check_rng(void)
{
    oa_mock_rng a;
    oa_mock_rng b;
    int i;
    int same = 1;
    oa_mock_rng_seed(&a, 0);
    /* splitmix64's reference output for seed 0 */
    CHECK(oa_mock_rng_next(&a) == APR_UINT64_C(0xE220A8397B1DCDAF));
    oa_mock_rng_seed(&a, 7);
    oa_mock_rng_seed(&b, 7);
    for (i = 0; i < 100; i++)
        same &= oa_mock_rng_next(&a) == oa_mock_rng_next(&b);
    CHECK(same);
    for (i = 0; i < 1000; i++)
        if (oa_mock_rng_below(&a, 6) >= 6)
            break;
    CHECK_INT(i, 1000);
    CHECK(oa_mock_seed_mix(1, "GET /a", 6) != oa_mock_seed_mix(1, "GET /b", 6));
    CHECK(oa_mock_seed_mix(1, "GET /a", 6) != oa_mock_seed_mix(2, "GET /a", 6));
    CHECK(oa_mock_seed_mix(1, "GET /a", 6) == oa_mock_seed_mix(1, "GET /a", 6));
}

static const char *header(const oa_mock_result *result, const char *name)
{
    int i;
    for (i = 0; result->headers && i < result->headers->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(result->headers, i, oa_mock_header).name, name) == 0)
            return APR_ARRAY_IDX(result->headers, i, oa_mock_header).value;
    return NULL;
}

static int mock(oa_spec *spec, const char *path, const char *media_type,
                const oa_mock_options *options, oa_mock_result *result)
{
    oa_operation *op = oa_spec_find_operation(spec, OA_METHOD_GET, path);
    return op && oa_mock_response_with(pool, spec->docs, spec->major, op->responses,
                                       op->responses_base, media_type, options, result,
                                       oa_diag_create(pool));
}

static char *text(json_t *value)
{
    char *dumped = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS);
    char *copy = apr_pstrdup(pool, dumped ? dumped : "(null)");
    free(dumped);
    return copy;
}

static void check_options(oa_spec *spec)
{
    oa_mock_options options = {0, NULL, NULL};
    oa_mock_result result;
    oa_mock_rng rng;
    char *first;
    json_t *pet;
    int i;
    int varied = 0;
    oa_operation *op = oa_spec_find_operation(spec, OA_METHOD_GET, "/pets/{id}");

    CHECK_STR(oa_mock_response_key_for_status(op->responses, 404), "404");
    CHECK_STR(oa_mock_response_key_for_status(op->responses, 502), "5XX");
    CHECK_STR(oa_mock_response_key_for_status(op->responses, 418), "default");
    CHECK(oa_mock_response_key_for_status(op->responses, 42) == NULL);

    /* no options: the first examples entry, the headers with examples or required */
    CHECK(mock(spec, "/pets/{id}", NULL, NULL, &result));
    CHECK_STR(text(result.body), "{\"id\":1,\"kind\":\"cat\",\"name\":\"Tom\"}");
    CHECK_INT(result.applied, 0);
    CHECK_STR(header(&result, "X-Rate-Limit"), "10");
    CHECK_STR(header(&result, "X-Tags"), "a,b");
    CHECK(header(&result, "X-Request-Id") != NULL);
    CHECK(header(&result, "X-Unset") == NULL);
    CHECK(header(&result, "X-Bad") == NULL);
    json_decref(result.body);

    options.status = 404;
    CHECK(mock(spec, "/pets/{id}", "application/json", &options, &result));
    CHECK_INT(result.status, 404);
    CHECK_STR(result.media_type, "application/problem+json");
    CHECK_INT(result.applied, OA_MOCK_APPLIED_STATUS);
    CHECK(result.headers == NULL);
    json_decref(result.body);

    options.status = 0;
    options.example = "dog";
    CHECK(mock(spec, "/pets/{id}", NULL, &options, &result));
    CHECK_STR(text(result.body), "{\"id\":2,\"kind\":\"dog\",\"name\":\"Rex\"}");
    CHECK_STR(result.source, "examples/dog");
    CHECK_INT(result.applied, OA_MOCK_APPLIED_EXAMPLE);
    json_decref(result.body);

    options.example = "external"; /* externalValue: not fetched, not applied */
    CHECK(mock(spec, "/pets/{id}", NULL, &options, &result));
    CHECK_STR(result.source, "examples/cat");
    CHECK_INT(result.applied, 0);
    json_decref(result.body);

    /* dynamic: the same seed, the same answer; values within the schema */
    options.example = NULL;
    options.rng = &rng;
    oa_mock_rng_seed(&rng, 42);
    CHECK(mock(spec, "/pets/{id}", NULL, &options, &result));
    CHECK_INT(result.applied, OA_MOCK_APPLIED_DYNAMIC);
    CHECK_STR(result.source, "dynamic");
    first = text(result.body);
    json_decref(result.body);
    oa_mock_rng_seed(&rng, 42);
    CHECK(mock(spec, "/pets/{id}", NULL, &options, &result));
    CHECK_STR(text(result.body), first);
    json_decref(result.body);
    for (i = 0; i < 50; i++) {
        json_int_t id;
        size_t name_length;
        double weight;
        CHECK(mock(spec, "/pets/{id}", NULL, &options, &result));
        pet = result.body;
        id = json_integer_value(json_object_get(pet, "id"));
        name_length = strlen(json_string_value(json_object_get(pet, "name")));
        weight = json_number_value(json_object_get(pet, "weight"));
        CHECK(id >= 1 && id <= 100000);
        CHECK(name_length >= 2 && name_length <= 10);
        CHECK(weight > 0 && weight <= 50 && weight * 2 == (double)(int)(weight * 2));
        CHECK(strlen(header(&result, "X-Request-Id")) == 36);
        varied |= strcmp(text(pet), first) != 0;
        json_decref(pet);
    }
    CHECK(varied);
}

int main(void)
{
    oa_spec *spec;
    oa_diag *diag;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    check_prefer();
    check_rng();
    diag = oa_diag_create(pool);
    spec = oa_spec_load(pool, apr_pstrcat(pool, unit_srcdir(),
                                          "/tests/fixtures/specs/mock/prefer.yaml", NULL),
                        diag);
    CHECK(spec != NULL);
    if (spec) {
        check_options(spec);
        oa_docset_release(spec->docs);
    }
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
