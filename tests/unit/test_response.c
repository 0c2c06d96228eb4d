/* oa_response: finding the declared response for a status, and validating answers. */
#include <apr_general.h>
#include <apr_strings.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "request/oa_request.h"
#include "response/oa_response.h"
#include "schema/oa_schema.h"
#include "spec/oa_spec_compile.h"
#include "spec/oa_spec_load.h"
#include "unit.h"

static apr_pool_t *pool;

static const char *spec_text =
    "openapi: 3.0.3\n"
    "info: {title: t, version: '1'}\n"
    "paths:\n"
    "  /x:\n"
    "    get:\n"
    "      responses:\n"
    "        '200':\n"
    "          description: ok\n"
    "          headers:\n"
    "            X-Count: {required: true, schema: {type: integer, minimum: 0}}\n"
    "          content:\n"
    "            application/json:\n"
    "              schema: {type: object, required: [id], properties: {id: {type: integer},"
    " secret: {type: string, writeOnly: true}}}\n"
    "        4XX: {description: client errors}\n"
    "        '404': {description: not found}\n"
    "        default: {description: anything else}\n";

static const char *headers_with_count(void *baton, const char *name)
{
    (void)baton;
    return strcmp(name, "X-Count") == 0 ? "3" : NULL;
}

static const char *no_headers(void *baton, const char *name)
{
    (void)baton;
    (void)name;
    return NULL;
}

int main(void)
{
    const char *path;
    FILE *f;
    oa_diag *diag;
    oa_spec *spec;
    const oa_operation *op;
    oa_response_output out;
    apr_array_header_t *errors;
    json_t *good, *bad;

    apr_initialize();
    apr_pool_create(&pool, NULL);
    path = apr_psprintf(pool, "/tmp/oa-test-response-%d.yaml", (int)getpid());
    f = fopen(path, "w");
    fputs(spec_text, f);
    fclose(f);
    diag = oa_diag_create(pool);
    spec = oa_spec_load(pool, path, diag);
    remove(path);
    CHECK(spec != NULL);
    if (!spec)
        return unit_finish();
    CHECK(oa_spec_compile(spec, oa_schema_registry_create(pool, spec->docs, OA_DIALECT_OAS30),
                          diag));
    op = APR_ARRAY_IDX(spec->operations, 0, oa_operation *);

    /* exact, then range, then default */
    CHECK_STR(oa_response_find(op, 200)->status, "200");
    CHECK_STR(oa_response_find(op, 404)->status, "404");
    CHECK_STR(oa_response_find(op, 409)->status, "4XX");
    CHECK_STR(oa_response_find(op, 503)->status, "default");
    CHECK_STR(oa_response_primary(op)->status, "200");
    CHECK_STR(oa_response_json_type(oa_response_primary(op)), "application/json");

    good = json_pack("{s:i}", "id", 1);
    bad = json_pack("{s:s, s:s}", "id", "x", "secret", "s");
    memset(&out, 0, sizeof(out));
    out.status = 200;
    out.content_type = "application/json; charset=utf-8";
    out.body = good;
    out.has_body = 1;
    out.header = headers_with_count;
    CHECK(oa_response_validate(pool, op, &out, 10, &errors));
    CHECK_INT(errors->nelts, 0);

    out.body = bad;
    out.header = no_headers;
    CHECK(!oa_response_validate(pool, op, &out, 10, &errors));
    CHECK_INT(errors->nelts, 3); /* the header, /id, and writeOnly /secret */
    CHECK_STR(APR_ARRAY_IDX(errors, 0, oa_response_error).part, "header");

    out.body = good;
    out.header = headers_with_count;
    out.content_type = "text/html";
    CHECK(!oa_response_validate(pool, op, &out, 10, &errors));
    CHECK(strstr(APR_ARRAY_IDX(errors, 0, oa_response_error).message,
                 "Content-Type 'text/html' is not declared") != NULL);

    /* a body where the status declares no content */
    out.status = 404;
    out.content_type = "application/json";
    CHECK(!oa_response_validate(pool, op, &out, 10, &errors));
    out.has_body = 0;
    out.body = NULL;
    CHECK(oa_response_validate(pool, op, &out, 10, &errors));

    json_decref(good);
    json_decref(bad);
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
