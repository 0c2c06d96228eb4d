/* The structural check (oa_spec_structure.c): a spec against the official OpenAPI schema
 * of its version, each violation at its node in words, oneOf/anyOf failures explained by
 * the branch the node was meant to match, the list capped. */
#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spec/oa_spec_load.h"
#include "spec/oa_spec_structure.h"
#include "unit.h"

static apr_pool_t *pool;

/* Loads text as a spec file; the errors as "LINE:COL: message" lines. */
static oa_diag *load_text(const char *text, const char **file)
{
    const char *path = apr_psprintf(pool, "%s/oa-test-structure-%d.yaml",
                                    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
                                    (int)getpid());
    FILE *f = fopen(path, "w");
    oa_diag *diag = oa_diag_create(pool);
    fputs(text, f);
    fclose(f);
    oa_spec_load(pool, path, diag);
    remove(path);
    *file = path;
    return diag;
}

static const char *line_of(oa_diag *diag, int index)
{
    const oa_diag_entry *e;
    if (index >= diag->entries->nelts)
        return "(none)";
    e = &APR_ARRAY_IDX(diag->entries, index, oa_diag_entry);
    return apr_psprintf(pool, "%d:%d: %s", e->line, e->column, e->message);
}

static void test_errors_in_words_at_their_nodes(void)
{
    const char *file;
    oa_diag *diag = load_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /a/{id}:\n"
        "    get:\n"
        "      parameters:\n"
        "        - {name: id, in: path, schema: {type: integer}}\n"
        "        - {name: q, in: query, style: matrix, schema: {type: integer}}\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content:\n"
        "            application/json:\n"
        "              schema: {properties: {a: {type: strnig}}}\n"
        "components:\n"
        "  securitySchemes:\n"
        "    key: {type: apiKey, in: body, name: k}\n"
        "    oauth: {type: oauth2, flows: {password: {scopes: {}}}}\n"
        "    both: {$ref: '#/components/securitySchemes/key'}\n", &file);
    /* a path parameter: the branch its `in` names, not the first of the oneOf */
    CHECK_STR(line_of(diag, 0), "7:11: path parameter: 'required' is a required property");
    CHECK_STR(line_of(diag, 1), "8:39: query parameter style 'matrix' is not one of form, "
                                "spaceDelimited, pipeDelimited, deepObject");
    /* a Schema Object, not a Reference Object: judged as a schema */
    CHECK_STR(line_of(diag, 2), "14:47: schema type 'strnig' is not one of array, boolean, "
                                "integer, number, object, string");
    CHECK_STR(line_of(diag, 3), "17:29: api key security scheme in 'body' is not one of "
                                "header, query, cookie");
    CHECK_STR(line_of(diag, 4), "18:35: password oauth flow: 'tokenUrl' is a required "
                                "property");
    /* then the loader's own checks, on top */
    CHECK_STR(line_of(diag, 5), "17:5: security scheme 'key': apiKey 'in' must be header, "
                                "query or cookie");
    CHECK_STR(line_of(diag, 6), "18:35: security scheme 'oauth': flow 'password' needs a "
                                "tokenUrl");
    CHECK_STR(line_of(diag, 7), "17:5: security scheme 'both': apiKey 'in' must be header, "
                                "query or cookie");
    CHECK_STR(line_of(diag, 8), "7:11: path parameter 'id' must be required: true");
    CHECK_INT(diag->entries->nelts, 9);
}

static void test_exclusive_fields(void)
{
    const char *file;
    oa_diag *diag = load_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /a:\n"
        "    get:\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content:\n"
        "            application/json: {example: 1, examples: {}}\n", &file);
    CHECK_INT(diag->entries->nelts, 1);
    CHECK_STR(line_of(diag, 0), "10:13: example xor examples: 'example' and 'examples' may "
                                "not be given together");
}

static void test_every_version(void)
{
    const char *file;
    /* 3.1: the schema-base form checks Schema Objects against the OpenAPI dialect */
    oa_diag *diag = load_text(
        "openapi: 3.1.0\n"
        "info: {title: t, version: '1'}\n"
        "components:\n"
        "  schemas:\n"
        "    A: {type: strnig}\n"
        "    B: {properties: {x: {minimum: '1'}}}\n", &file);
    CHECK_STR(line_of(diag, 0), "5:15: schema type 'strnig' is not one of array, boolean, "
                                "integer, null, number, object, string");
    CHECK_STR(line_of(diag, 1), "6:35: schema minimum: '1' is not of type 'number'");
    CHECK_INT(diag->entries->nelts, 2);
    /* 3.2: a method with its own field may not be an additional operation */
    diag = load_text("openapi: 3.2.0\n"
                     "info: {title: t, version: '1'}\n"
                     "paths:\n"
                     "  /a:\n"
                     "    additionalOperations:\n"
                     "      QUERY: {responses: {'200': {description: ok}}}\n", &file);
    CHECK_STR(line_of(diag, 0), "6:7: path item: the name 'QUERY' may not be used here (it "
                                "is kept for a field of its own)");
    /* and a method is an RFC 9110 token */
    diag = load_text("openapi: 3.2.0\n"
                     "info: {title: t, version: '1'}\n"
                     "paths:\n"
                     "  /a:\n"
                     "    additionalOperations:\n"
                     "      'PUR GE': {responses: {'200': {description: ok}}}\n", &file);
    CHECK_STR(line_of(diag, 0), "6:7: path item: the name 'PUR GE' may not be used here (a "
                                "name must match ^[a-zA-Z0-9!#$%&'*+.^_`|~-]+$)");
    /* 2.0 */
    diag = load_text("swagger: '2.0'\n"
                     "info: {title: t, version: '1'}\n"
                     "paths:\n"
                     "  /a:\n"
                     "    get: {operationId: a}\n", &file);
    CHECK_STR(line_of(diag, 0), "5:5: operation: 'responses' is a required property");
    /* a null has no position of its own: the error goes to the node holding it */
    diag = load_text("openapi: 3.1.0\n"
                     "info: {title: t, version: '1'}\n"
                     "paths:\n"
                     "  /a:\n", &file);
    CHECK_STR(line_of(diag, 0), "3:1: path item: null is not of type 'object'");
}

static void test_many_errors_capped(void)
{
    const char *file;
    /* distinct schemas: identical subtrees of a 3.0 spec are one node, reported once */
    char *text = apr_pstrdup(pool, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
                                   "paths: {}\ncomponents:\n  schemas:\n");
    oa_diag *diag;
    int i;
    for (i = 0; i < OA_STRUCTURE_MAX_ERRORS + 10; i++)
        text = apr_psprintf(pool, "%s    S%d: {type: nope, title: S%d}\n", text, i, i);
    diag = load_text(text, &file);
    CHECK_INT(diag->entries->nelts, OA_STRUCTURE_MAX_ERRORS + 1);
    CHECK_STR(line_of(diag, OA_STRUCTURE_MAX_ERRORS),
              "1:1: 10 more errors against the OpenAPI 3.0.3 schema are not listed");
}

static const char *file_line_of(oa_diag *diag, int index)
{
    const oa_diag_entry *e;
    const char *slash;
    if (index >= diag->entries->nelts)
        return "(none)";
    e = &APR_ARRAY_IDX(diag->entries, index, oa_diag_entry);
    slash = e->file ? strrchr(e->file, '/') : NULL;
    return apr_psprintf(pool, "%s:%d:%d: %s", slash ? slash + 1 : e->file ? e->file : "-",
                        e->line, e->column, e->message);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

/* A spec in several files: what the root's $refs reach is checked too, each error at its
 * node in its own file, and the root's errors are not listed twice. */
static void test_referenced_documents_are_checked(void)
{
    const char *dir = apr_psprintf(pool, "%s/oa-test-structure-refs-%d",
                                   getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    const char *api = apr_pstrcat(pool, dir, "/api.yaml", NULL);
    const char *items = apr_pstrcat(pool, dir, "/items.yaml", NULL);
    oa_diag *diag = oa_diag_create(pool);
    CHECK(apr_dir_make(dir, APR_FPROT_OS_DEFAULT, pool) == APR_SUCCESS);
    write_text(api, "openapi: 3.0.3\n"
                    "info: {title: t, version: '1'}\n"
                    "paths:\n"
                    "  /items:\n"
                    "    $ref: 'items.yaml#/item'\n"
                    "  /other:\n"
                    "    get:\n"
                    "      responses:\n"
                    "        '200': {$ref: 'items.yaml#/ok'}\n"
                    "      x-typo: {type: strnig}\n"
                    "      summary: 7\n");
    write_text(items, "item:\n"
                      "  get:\n"
                      "    responses:\n"
                      "      '200':\n"
                      "        description: ok\n"
                      "        content:\n"
                      "          application/json:\n"
                      "            schema: {type: strnig}\n"
                      "ok:\n"
                      "  descripton: ok\n");
    oa_spec_load(pool, api, diag);
    remove(api);
    remove(items);
    apr_dir_remove(dir, pool);
    CHECK_INT(diag->entries->nelts, 4);
    CHECK_STR(file_line_of(diag, 0), "api.yaml:11:16: operation summary: 7 is not of type "
              "'string'");
    CHECK_STR(file_line_of(diag, 1), "items.yaml:8:28: schema type 'strnig' is not one of "
              "array, boolean, integer, number, object, string");
    /* explained as the Response it was meant to be, not as a Reference without $ref */
    CHECK_STR(file_line_of(diag, 2), "items.yaml:9:1: response: 'description' is a required "
              "property");
    CHECK_STR(file_line_of(diag, 3), "items.yaml:9:1: response: Additional properties are not "
              "allowed ('descripton' was unexpected)");
    if (diag->entries->nelts != 4)
        fprintf(stderr, "%s\n", oa_diag_join(pool, diag, "\n"));
}

/* URIs written with template expressions, as the specification's own examples write
 * operationRef, pass the uri and uri-reference formats; a URI that is wrong otherwise
 * does not. */
static void test_templated_uris(void)
{
    const char *file;
    oa_diag *diag = load_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1', termsOfService: 'https://example.com/{lang}/terms'}\n"
        "paths:\n"
        "  /items/{id}:\n"
        "    parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n"
        "    get:\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          links:\n"
        "            self: {operationRef: '#/paths/~1items~1{id}/get'}\n"
        "  /other/{id}:\n"
        "    parameters: [{$ref: '#/paths/~1items~1{id}/parameters/0'}]\n"
        "    get: {responses: {'200': {description: ok}}}\n"
        "components:\n"
        "  securitySchemes:\n"
        "    o: {type: oauth2, flows: {implicit: {authorizationUrl: "
        "'https://login.example.com/{tenant}/authorize', scopes: {}}}}\n",
        &file);
    CHECK_INT(diag->entries->nelts, 0);
    if (diag->entries->nelts)
        fprintf(stderr, "%s\n", oa_diag_join(pool, diag, "\n"));
    diag = load_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1', termsOfService: 'https://exa mple.com/{lang}'}\n"
        "paths: {}\n",
        &file);
    CHECK_INT(diag->entries->nelts, 1);
    CHECK(strstr(line_of(diag, 0), "is not a 'uri-reference'") != NULL);
}

/* A document's work grows with its size: 24,000 operations are not "too much work" (the
 * per-request limit), and a wrong value among them is still found, at its node. */
static void test_large_documents_are_checked_whole(void)
{
    const int paths = 12000;
    size_t size = (size_t)paths * 640 + 256, used;
    char *text = apr_palloc(pool, size);
    const char *file;
    oa_diag *diag;
    int i;
    used = (size_t)snprintf(text, size, "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
                                        "paths:\n");
    for (i = 0; i < paths; i++)
        used += (size_t)snprintf(
            text + used, size - used,
            "  /r%d/{id}:\n"
            "    get: {operationId: g%d, parameters: [{name: id, in: path, required: true, "
            "schema: {type: integer, minimum: %d}}, {name: q, in: %s, schema: {type: string}}"
            "], responses: {'200': {description: ok, content: {application/json: {schema: "
            "{type: object, properties: {a: {type: string}, b: {type: integer}, "
            "c: {type: array, items: {type: number}}}}}}}}}\n"
            "    put: {operationId: p%d, parameters: [{name: id, in: path, required: true, "
            "schema: {type: integer}}], responses: {'204': {description: done}}}\n",
            i, i, i, i == paths - 1 ? "nowhere" : "query", i);
    diag = load_text(text, &file);
    CHECK(diag->entries->nelts > 0);
    for (i = 0; i < diag->entries->nelts; i++) {
        /* the last path's GET, on line 3 + 3 * (paths - 1) + 2 */
        CHECK_INT(APR_ARRAY_IDX(diag->entries, i, oa_diag_entry).line, 3 * paths + 2);
        CHECK(strstr(line_of(diag, i), "too much work") == NULL);
    }
    CHECK(strstr(line_of(diag, 0), "'nowhere'") != NULL);
}

static void test_valid_specs_pass(void)
{
    static const char *const files[] = {
        "/tests/fixtures/specs/oai/examples/v3.0/petstore-expanded.yaml",
        "/tests/fixtures/specs/oai/examples/v3.0/link-example.yaml",
        "/tests/fixtures/specs/large/twilio_api_v2010.json",
    };
    size_t i;
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        oa_diag *diag = oa_diag_create(pool);
        oa_spec *spec = oa_spec_load(pool, apr_pstrcat(pool, unit_srcdir(), files[i], NULL),
                                     diag);
        CHECK(spec != NULL);
        CHECK_INT(spec ? oa_spec_check_structure(spec, diag) : -1, 0);
        if (diag->entries->nelts)
            fprintf(stderr, "%s\n", oa_diag_join(pool, diag, "\n"));
    }
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_errors_in_words_at_their_nodes();
    test_exclusive_fields();
    test_every_version();
    test_many_errors_capped();
    test_large_documents_are_checked_whole();
    test_valid_specs_pass();
    test_referenced_documents_are_checked();
    test_templated_uris();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
