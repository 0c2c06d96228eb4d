/* OpenAPI 3.2 `in: querystring`: the loader's rules (content with one media type, one per
 * operation after merging, never with query parameters, 3.2 only, each problem said once)
 * and the request side (form, JSON, other media types, absent, every error). The
 * operations are in tests/fixtures/specs/v31/querystring.yaml. */
#include <apr_general.h>
#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "request/oa_request.h"
#include "spec/oa_spec_compile.h"
#include "spec/oa_spec_load.h"
#include "unit.h"

static apr_pool_t *pool;

/* ---- loading ---- */

static const char *temp_path(const char *name)
{
    return apr_psprintf(pool, "%s/oa-test-querystring-%d/%s",
                        getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid(), name);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
}

/* Loads text as a spec (other, when given, as "other.yaml" beside it); its errors as
 * "LINE:COL: message" lines joined by '|', or "ok". */
static const char *load_errors(const char *text, const char *other)
{
    const char *path = temp_path("spec.yaml");
    const char *other_path = temp_path("other.yaml");
    oa_diag *diag = oa_diag_create(pool);
    apr_array_header_t *lines = apr_array_make(pool, 4, sizeof(const char *));
    oa_spec *spec;
    int i;
    mkdir(temp_path(""), 0700);
    write_file(path, text);
    if (other)
        write_file(other_path, other);
    spec = oa_spec_load(pool, path, diag);
    if (spec)
        oa_spec_prepare(spec, NULL, NULL, diag);
    remove(path);
    if (other)
        remove(other_path);
    rmdir(temp_path(""));
    for (i = 0; i < diag->entries->nelts; i++) {
        const oa_diag_entry *e = &APR_ARRAY_IDX(diag->entries, i, oa_diag_entry);
        const char *file = e->file && strcmp(e->file, other_path) == 0 ? "other:" : "";
        APR_ARRAY_PUSH(lines, const char *) =
            apr_psprintf(pool, "%s%d:%d: %s", file, e->line, e->column, e->message);
    }
    if (lines->nelts == 0)
        return "ok";
    return apr_array_pstrcat(pool, lines, '|');
}

#define HEAD "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n"
#define JSON_QS(name) \
    "{name: " name ", in: querystring, content: {application/json: {schema: {type: object}}}}"
#define OK_RESPONSES "      responses: {'200': {description: ok}}\n"

static void test_loading_rules(void)
{
    /* a valid one loads */
    CHECK_STR(load_errors(HEAD "  /a:\n    get:\n      parameters:\n        - "
                          JSON_QS("q") "\n" OK_RESPONSES, NULL), "ok");
    /* before 3.2 querystring is an unknown `in`, as before */
    CHECK_STR(load_errors("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n"
                          "  /a:\n    get:\n      parameters:\n        - " JSON_QS("q") "\n"
                          OK_RESPONSES, NULL),
              "7:25: parameter in 'querystring' is not one of query, header, path, cookie|"
              "7:11: parameter q needs a name and a valid 'in'");
    /* what the official schema says about an inline parameter is not said again */
    CHECK_STR(load_errors(HEAD "  /a:\n    get:\n      parameters:\n"
                          "        - {name: q, in: querystring, schema: {type: string}}\n"
                          OK_RESPONSES, NULL),
              "7:11: parameter: 'content' is a required property");
    CHECK_STR(load_errors(HEAD "  /a:\n    get:\n      parameters:\n"
                          "        - {name: q, in: querystring, content: {text/plain: {}, "
                          "application/json: {}}}\n" OK_RESPONSES, NULL),
              "7:38: parameter content: {'text/plain': {}, 'application/json': {}} has too "
              "many properties");
    /* a parameter in another file: the official schema checks it there too, and the
     * loader does not say it again */
    CHECK_STR(load_errors(HEAD "  /a:\n    get:\n      parameters:\n"
                          "        - $ref: 'other.yaml#/q'\n" OK_RESPONSES,
                          "q: {name: q, in: querystring, style: form, content: {text/plain: "
                          "{}}}\n"),
              "other:1:1: parameter: Unevaluated properties are not allowed ('style' was "
              "unexpected)");
    CHECK_STR(load_errors(HEAD "  /a:\n    get:\n      parameters:\n"
                          "        - $ref: 'other.yaml#/q'\n" OK_RESPONSES,
                          "q: {name: q, in: querystring, schema: {type: string}}\n"),
              "other:1:1: parameter: 'content' is a required property");
    CHECK_STR(load_errors(HEAD "  /a:\n    get:\n      parameters:\n"
                          "        - $ref: 'other.yaml#/q'\n" OK_RESPONSES,
                          "q: {name: q, in: querystring, content: {text/plain: {}, "
                          "application/json: {}}}\n"),
              "other:1:31: parameter content: {'text/plain': {}, 'application/json': {}} has "
              "too many properties");
    CHECK_STR(load_errors(HEAD "  /a:\n    get:\n      parameters:\n"
                          "        - $ref: 'other.yaml#/q'\n" OK_RESPONSES,
                          "q: {name: q, in: querystring}\n"),
              "other:1:1: parameter: 'content' is a required property|"
              "other:1:1: parameter: 'schema' is a required property");
    /* two in one list: the official schema's; across the path item and the operation:
     * the loader's, at the second */
    CHECK_STR(load_errors(HEAD "  /a:\n    parameters:\n      - " JSON_QS("p") "\n"
                          "    get:\n      parameters:\n        - " JSON_QS("q") "\n"
                          OK_RESPONSES, NULL),
              "9:11: GET /a: a second querystring parameter 'q' (the first, 'p', is at "
              "line 6): the query string is one value");
    CHECK_STR(load_errors(HEAD "  /a:\n    get:\n      parameters:\n"
                          "        - $ref: '#/components/parameters/p'\n"
                          "        - $ref: '#/components/parameters/q'\n" OK_RESPONSES
                          "components:\n  parameters:\n    p: " JSON_QS("p") "\n"
                          "    q: " JSON_QS("q") "\n", NULL),
              "13:5: GET /a: a second querystring parameter 'q' (the first, 'p', is at "
              "line 12): the query string is one value");
    /* the operation's replaces the path item's of the same name: one, no error */
    CHECK_STR(load_errors(HEAD "  /a:\n    parameters:\n      - " JSON_QS("q") "\n"
                          "    get:\n      parameters:\n        - " JSON_QS("q") "\n"
                          OK_RESPONSES, NULL), "ok");
    /* never beside query parameters */
    CHECK_STR(load_errors(HEAD "  /a:\n    parameters:\n      - " JSON_QS("p") "\n"
                          "    get:\n      parameters:\n"
                          "        - {name: x, in: query, schema: {type: string}}\n"
                          OK_RESPONSES, NULL),
              "9:11: GET /a: query parameter 'x' cannot be used with querystring parameter "
              "'p' (line 6), which takes the whole query string");
    CHECK_STR(load_errors(HEAD "  /a:\n    get:\n      parameters:\n        - " JSON_QS("p")
                          "\n        - {name: x, in: query, schema: {type: string}}\n"
                          OK_RESPONSES, NULL),
              "6:7: parameters: [{'name': 'p', 'in': 'querystring', 'content': "
              "{'application/json': {'schema': {... should not be valid under {'allOf': "
              "[{'contains': {'type': 'object', 'properties': {'in': {'const': 'query...");
}

/* ---- requests ---- */

static oa_spec *spec;
static oa_request_result result;

static int run(const char *path, const char *query, int strict, int fill_defaults)
{
    oa_route_match match;
    oa_request_input input;
    oa_request_options options;
    const oa_operation *op;
    memset(&result, 0, sizeof(result));
    if (oa_router_match(spec->router, path, pool, &match) != OA_ROUTE_FOUND) {
        unit_check(0, path, __FILE__, __LINE__);
        return -1;
    }
    op = oa_route_operation(match.route, OA_METHOD_GET);
    memset(&input, 0, sizeof(input));
    memset(&options, 0, sizeof(options));
    options.strict_validation = strict;
    options.fill_defaults = fill_defaults;
    input.query = query;
    input.match = &match;
    return oa_request_parse(pool, spec, op, &input, &options, &result);
}

/* "ok NAME=VALUE" (compact JSON, or "(absent)"), else "STATUS in name pointer: message"
 * of the first error and the error count when there are more. */
static const char *outcome(const char *path, const char *query, const char *name)
{
    json_t *value;
    char *text;
    const char *answer;
    const oa_request_error *e;
    if (run(path, query, 0, 0) != 0) {
        e = &APR_ARRAY_IDX(result.errors, 0, oa_request_error);
        answer = apr_psprintf(pool, "%d %s %s %s: %s", result.status, e->in,
                              e->name ? e->name : "-", *e->pointer ? e->pointer : "-",
                              e->message);
        return result.errors->nelts > 1
                   ? apr_psprintf(pool, "%s (+%d)", answer, result.errors->nelts - 1)
                   : answer;
    }
    value = json_object_get(result.params, name);
    if (!value)
        return "ok (absent)";
    text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
    answer = apr_psprintf(pool, "ok %s", text);
    free(text);
    return answer;
}

static void test_form(void)
{
    CHECK_STR(outcome("/form", "name=a+%2B+b&active=true&limit=5&tags=x&tags=y&ids=1,2",
                      "filter"),
              "ok {\"active\":true,\"ids\":[1,2],\"limit\":5,\"name\":\"a + b\","
              "\"tags\":[\"x\",\"y\"]}");
    /* the field default is a form body's: filled only when asked */
    CHECK_STR(outcome("/form", "name=n", "filter"), "ok {\"name\":\"n\"}");
    CHECK_INT(run("/form", "name=n", 0, 1), 0);
    CHECK_INT(json_integer_value(json_object_get(json_object_get(result.params, "filter"),
                                                 "limit")), 10);
    CHECK_STR(outcome("/form", "limit=500&name=", "filter"),
              "400 querystring filter /name: '' is too short (+1)");
    CHECK_STR(outcome("/form", "limit=500&name=n", "filter"),
              "400 querystring filter /limit: 500 is greater than the maximum of 100");
    CHECK_STR(outcome("/form", "name=n&ids=1,x", "filter"),
              "400 querystring filter /ids/1: 'x' is not of type 'integer'");
    CHECK_STR(outcome("/form", "name=n&other=1", "filter"),
              "400 querystring filter -: Additional properties are not allowed ('other' was "
              "unexpected)");
    CHECK_STR(outcome("/form", "active=1", "filter"),
              "400 querystring filter -: 'name' is a required property (+1)");
    CHECK_STR(outcome("/form", "name=%FF", "filter"),
              "400 querystring filter -: 'name=%FF' decodes to a NUL byte or to text that is "
              "not UTF-8");
    /* not required: absent when the query string is */
    CHECK_STR(outcome("/form", NULL, "filter"), "ok (absent)");
    CHECK_STR(outcome("/form", "", "filter"), "ok (absent)");
    /* strict mode: the fields outside the schema are unknown, as a form body's are */
    CHECK_INT(run("/form", "name=n&bogus=1", 1, 0), 400);
    CHECK_STR(APR_ARRAY_IDX(result.errors, 0, oa_request_error).message,
              "unknown form field 'bogus'");
    CHECK_STR(APR_ARRAY_IDX(result.errors, 0, oa_request_error).pointer, "/bogus");
}

static void test_json(void)
{
    CHECK_STR(outcome("/json", "%7B%22numbers%22%3A%5B1%2C2%5D%2C%22flag%22%3Anull%7D",
                      "selector"),
              "ok {\"flag\":null,\"numbers\":[1,2]}");
    /* '+' is itself outside forms; unescaped JSON characters are fine */
    CHECK_STR(outcome("/json", "{\"numbers\":[+1]}", "selector"),
              "400 querystring selector -: invalid JSON at line 1, column 13: invalid token "
              "near '+'");
    CHECK_STR(outcome("/json", "{\"numbers\":[1],\"flag\":\"x\"}", "selector"),
              "400 querystring selector /flag: 'x' is not of type 'boolean', 'null'");
    CHECK_STR(outcome("/json", "%7B%22numbers%22%3A%5B1%5D", "selector"),
              "400 querystring selector -: invalid JSON at line 1, column 14: '}' expected "
              "near end of file");
    CHECK_STR(outcome("/json", "{\"numbers\":[1],\"numbers\":[2]}", "selector"),
              "400 querystring selector -: invalid JSON at line 1, column 24: duplicate "
              "object key near '\"numbers\"'");
    CHECK_STR(outcome("/json", "%7B%2", "selector"),
              "400 querystring selector -: malformed percent-escape '%2' at character 4 of "
              "the query string (a '%' must be followed by two hex digits)");
    CHECK_STR(outcome("/json", "%zz%7B", "selector"),
              "400 querystring selector -: malformed percent-escape '%zz' at character 1 of "
              "the query string (a '%' must be followed by two hex digits)");
    CHECK_STR(outcome("/json", "%22%C3%28%22", "selector"),
              "400 querystring selector -: the query string does not decode to UTF-8 text");
    CHECK_STR(outcome("/json", "%22a%00%22", "selector"),
              "400 querystring selector -: the query string decodes to a NUL byte (at "
              "character 5)");
    /* \u0000 inside a JSON string is JSON's own, as in bodies */
    CHECK_STR(outcome("/json", "{\"numbers\":[],\"x\":\"%5Cu0000\"}", "selector"),
              "ok {\"numbers\":[],\"x\":\"\\u0000\"}");
    /* required */
    CHECK_STR(outcome("/json", NULL, "selector"),
              "400 querystring selector -: 'selector' is a required querystring parameter "
              "(the query string is empty)");
    CHECK_STR(outcome("/json", "", "selector"),
              "400 querystring selector -: 'selector' is a required querystring parameter "
              "(the query string is empty)");
    /* any +json type is JSON */
    CHECK_STR(outcome("/problem", "[1,2]", "doc"), "ok [1,2]");
    CHECK_STR(outcome("/problem", "[1,2,3]", "doc"),
              "400 querystring doc -: [1, 2, 3] is too long");
}

static void test_other_media_types(void)
{
    CHECK_STR(outcome("/jsonpath", "%24.a.b%5B1%3A1%5D", "selector"), "ok \"$.a.b[1:1]\"");
    CHECK_STR(outcome("/jsonpath", "a+b", "selector"),
              "400 querystring selector -: 'a+b' does not match '^\\\\$'");
    CHECK_STR(outcome("/jsonpath", "$%GG", "selector"),
              "400 querystring selector -: malformed percent-escape '%GG' at character 2 of "
              "the query string (a '%' must be followed by two hex digits)");
    /* a scalar schema type: the text is cast as a plain parameter's */
    CHECK_STR(outcome("/count", "42", "n"), "ok 42");
    CHECK_STR(outcome("/count", "0", "n"), "400 querystring n -: 0 is less than the minimum "
                                           "of 1");
    CHECK_STR(outcome("/count", "4x", "n"), "400 querystring n -: '4x' is not of type "
                                            "'integer'");
    CHECK_STR(outcome("/count", NULL, "n"), "ok 7"); /* the schema's default */
    /* the operation's parameter replaced the path item's of the same name */
    CHECK_STR(outcome("/override", "hello", "q"), "ok \"hello\"");
    CHECK_STR(outcome("/override", NULL, "q"), "ok (absent)");
    CHECK_STR(outcome("/override", "toolong", "q"),
              "400 querystring q -: 'toolong' is too long");
}

/* Linear cost: a long query string (many fields, long escapes) is read in one pass. */
static void test_long_query(void)
{
    const int fields = 20000;
    char *query = apr_palloc(pool, (size_t)fields * 12 + 16);
    char *p = query;
    int i;
    p += sprintf(p, "name=n");
    for (i = 0; i < fields; i++)
        p += sprintf(p, "&tags=%%41%d", i % 10);
    CHECK_INT(run("/form", query, 0, 0), 0);
    CHECK_INT(json_array_size(json_object_get(json_object_get(result.params, "filter"),
                                              "tags")), fields);
}

int main(void)
{
    oa_diag *diag;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_loading_rules();
    diag = oa_diag_create(pool);
    spec = oa_spec_load(pool,
                        apr_pstrcat(pool, unit_srcdir(),
                                    "/tests/fixtures/specs/v31/querystring.yaml", NULL),
                        diag);
    CHECK(spec && oa_spec_prepare(spec, NULL, NULL, diag));
    if (oa_diag_count(diag) > 0)
        fprintf(stderr, "%s\n", oa_diag_join(pool, diag, "\n"));
    if (spec && oa_diag_count(diag) == 0) {
        test_form();
        test_json();
        test_other_media_types();
        test_long_query();
    }
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
