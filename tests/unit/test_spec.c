/* oa_spec: loading, normalization and checks. */
#include <apr_general.h>
#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "doc/oa_parse.h"
#include "spec/oa_spec.h"
#include "spec/oa_spec_load.h"
#include "unit.h"
#include "unit_spec.h"

static apr_pool_t *pool;

static const char *fixture(const char *name)
{
    return apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures/specs/", name, NULL);
}

static oa_parameter *find_parameter(oa_operation *op, const char *name)
{
    int i;
    for (i = 0; i < op->parameters->nelts; i++) {
        oa_parameter *param = APR_ARRAY_IDX(op->parameters, i, oa_parameter *);
        if (strcmp(param->name, name) == 0)
            return param;
    }
    return NULL;
}

static void test_openapi_3(void)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(pool, fixture("routing.yaml"), diag);
    oa_operation *op;
    oa_parameter *param;
    CHECK(spec != NULL);
    if (!spec)
        return;
    CHECK_INT(spec->major, 3);
    CHECK_STR(spec->title, "Routing fixture");
    CHECK_STR(spec->base_path, "/api");
    CHECK_INT(spec->operations->nelts, 12);
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/items");
    CHECK_STR(op->plugin, "echo");
    CHECK_STR(op->function, "list_items");
    param = find_parameter(op, "$top");
    CHECK_STR(param->handler_name, "top");
    CHECK(param->in == OA_IN_QUERY);
    CHECK_STR(param->style, "form");
    CHECK(param->explode);
    op = oa_spec_find_operation(spec, OA_METHOD_DELETE, "/items/{id}");
    param = find_parameter(op, "id"); /* from the path item */
    CHECK(param && param->in == OA_IN_PATH && param->required);
    CHECK_STR(param->style, "simple");
    CHECK(!param->explode);
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/reports/{id}.json");
    CHECK_STR(op->plugin, "echo"); /* x-openapi-router-controller */
    CHECK_STR(op->function, "report");
    CHECK(op->position.line > 0);
}

static void test_swagger_2(void)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(pool, fixture("swagger2.yaml"), diag);
    oa_operation *op;
    oa_parameter *param;
    CHECK(spec != NULL);
    if (!spec)
        return;
    CHECK_INT(spec->major, 2);
    CHECK_STR(spec->base_path, "/v2");
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/users/{userId}");
    CHECK_STR(op->plugin, "echo");
    CHECK_STR(op->function, "get_user");
    param = find_parameter(op, "userId"); /* through #/parameters */
    CHECK_STR(json_string_value(json_object_get(param->resolved_schema, "type")), "integer");
    CHECK_STR(param->collection_format, "csv");
    param = find_parameter(op, "verbose");
    CHECK(json_is_false(json_object_get(param->resolved_schema, "default")));
}

static void test_split_and_recursive(void)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(pool, fixture("split/api.yaml"), diag);
    oa_operation *op;
    CHECK(spec != NULL);
    if (!spec)
        return;
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/things/{thingId}");
    CHECK(op != NULL);
    CHECK(find_parameter(op, "thingId") != NULL);
    CHECK(strstr(op->base, "/split/paths/things.yaml") != NULL);
}

static const char *load_error(const char *name)
{
    oa_diag *diag = oa_diag_create(pool);
    const char *path = fixture(name);
    const char *message;
    CHECK(oa_spec_load(pool, path, diag) == NULL);
    if (diag->entries->nelts == 0)
        return "(no error)";
    message = oa_diag_line(pool, diag, 0);
    /* strip the directory so the expectations read well */
    return strstr(message, "/broken/") ? strstr(message, "/broken/") + 8 : message;
}

static void test_broken_specs(void)
{
    CHECK_STR(load_error("broken/duplicate_operation_id.yaml"),
              "duplicate_operation_id.yaml:11:20: duplicate operationId 'echo.echo' (first "
              "used at line 8)");
    CHECK_STR(load_error("broken/undeclared_path_param.yaml"),
              "undeclared_path_param.yaml:7:5: GET /users/{userId}: path parameter 'userId' "
              "is in the template but no parameter declares it");
    CHECK(strncmp(load_error("broken/bad_ref.yaml"),
                  "bad_ref.yaml:15:23: $ref '#/components/schemas/Missing': nothing at", 66) == 0);
    CHECK(strstr(load_error("broken/bad_file_ref.yaml"), "no-such-file.yaml: cannot read"));
    CHECK_STR(load_error("broken/version.json"),
              "version.json:2:14: OpenAPI version '3.1.0' is not supported (supported: 2.0 "
              "and 3.0.x)");
}

static void test_inline_checks(void)
{
    static const char *const cases[][2] = {
        {"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a/{x}:\n    get:\n"
         "      parameters:\n        - {name: x, in: path, schema: {type: string}}\n",
         "must be required: true"},
        {"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
         "      parameters:\n        - {name: x, in: path, required: true}\n",
         "path parameter 'x' is not in the template '/a'"},
        {"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a/{x}:\n"
         "    parameters: [{name: x, in: path, required: true}]\n    get: {}\n"
         "  /a/{y}:\n    parameters: [{name: y, in: path, required: true}]\n    get: {}\n",
         "is the same as '/a/{x}' but for parameter names"},
        {"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  a: {get: {}}\n",
         "path 'a' must begin with '/'"},
        {"openapi: 3.0.0\ninfo: {title: t, version: '1'}\n", "the spec has no 'paths'"},
        {"openapi: 3.0.0\npaths: {}\n", "info.title is required"},
        {"info: {title: t}\npaths: {}\n", "not an OpenAPI spec"},
        {"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: '#/x'\n"
         "x:\n  $ref: '#/y'\ny:\n  $ref: '#/x'\n", "reference loop"},
        {"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n"
         "      parameters: [{name: q, in: formData}]\n", "needs a name and a valid 'in'"},
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *path = apr_psprintf(pool, "%s/oa-test-spec-%d-%zu.yaml",
                                        getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
                                        (int)getpid(), i);
        FILE *f = fopen(path, "w");
        oa_diag *diag = oa_diag_create(pool);
        int k, found = 0;
        fputs(cases[i][0], f);
        fclose(f);
        CHECK(oa_spec_load(pool, path, diag) == NULL);
        for (k = 0; k < diag->entries->nelts; k++)
            if (strstr(APR_ARRAY_IDX(diag->entries, k, oa_diag_entry).message, cases[i][1]))
                found = 1;
        if (!found)
            fprintf(stderr, "case %zu: expected an error containing '%s'\n", i, cases[i][1]);
        CHECK(found);
        remove(path);
    }
}

static void test_public_specs(void)
{
    /* Public specs vendored under tests/fixtures/specs (see the README there). */
    static const char *const specs[] = {
        "oai/examples/v2.0/yaml/petstore-separate/spec/swagger.yaml",
        "oai/examples/v3.0/uspto.yaml",
        "large/twilio_api_v2010.yaml",
    };
    size_t i;
    for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        oa_diag *diag = oa_diag_create(pool);
        const char *path = apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures/specs/", specs[i],
                                       NULL);
        oa_spec *spec = oa_spec_load(pool, path, diag);
        CHECK(spec != NULL);
        if (!spec)
            unit_print_diag(pool, diag);
    }
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_openapi_3();
    test_swagger_2();
    test_split_and_recursive();
    test_broken_specs();
    test_inline_checks();
    test_public_specs();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
