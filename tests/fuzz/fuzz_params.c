/* libFuzzer target for request parsing: routing of a raw path, every parameter style
 * (simple, label, matrix, form, spaceDelimited, pipeDelimited, deepObject, content) in
 * path, query, header and cookie, the query and cookie splitters, and bodies by media
 * type (JSON, form-urlencoded with encodings, multipart/form-data, text/plain), against
 * one fixed spec. The input is six lines (path, query, Cookie, X-Ids, X-Obj,
 * Content-Type), then the body; paths under /qs/ go to a second, OpenAPI 3.2 spec whose
 * operations read the whole query string (`in: querystring`: form, JSON, text). Each request is parsed under two URI parsers and strict
 * validation; a refusal must carry errors, no more than the cap. Built by `make fuzz`. */
#include <stdlib.h>
#include <strings.h>

#define FUZZ_OWN_INITIALIZE
#include "fuzz_apr.h"
#include "fuzz_docs.h"
#include "request/oa_query.h"
#include "request/oa_request.h"
#include "spec/oa_spec_compile.h"
#include "spec/oa_spec_load.h"

static const char SPEC[] =
    "openapi: 3.0.3\n"
    "info: {title: fuzz, version: '1'}\n"
    "paths:\n"
    "  /items/{id}/{tags}/{obj}:\n"
    "    post:\n"
    "      operationId: fuzz.post\n"
    "      parameters:\n"
    "        - {name: id, in: path, required: true, schema: {type: integer, minimum: 0}}\n"
    "        - {name: tags, in: path, required: true, style: label, explode: true,\n"
    "           schema: {type: array, items: {type: string}, maxItems: 5}}\n"
    "        - {name: obj, in: path, required: true, style: matrix,\n"
    "           schema: {type: object, properties: {a: {type: integer}, b: {type: string}}}}\n"
    "        - {name: q, in: query, schema: {type: array, items: {type: number}}}\n"
    "        - {name: sp, in: query, style: spaceDelimited, explode: false,\n"
    "           schema: {type: array, items: {type: integer}}}\n"
    "        - {name: pp, in: query, style: pipeDelimited, explode: false,\n"
    "           schema: {type: array, items: {type: boolean}}}\n"
    "        - {name: deep, in: query, style: deepObject, explode: true,\n"
    "           schema: {type: object, properties: {x: {type: integer},\n"
    "                    y: {type: array, items: {type: string}}}}}\n"
    "        - {name: flag, in: query, allowEmptyValue: true, schema: {type: boolean}}\n"
    "        - {name: nul, in: query, schema: {type: integer, nullable: true}}\n"
    "        - {name: js, in: query, content: {application/json: {schema: {type: object}}}}\n"
    "        - {name: X-Ids, in: header, schema: {type: array, items: {type: integer}}}\n"
    "        - {name: X-Obj, in: header, explode: true,\n"
    "           schema: {type: object, properties: {k: {type: string}, n: {type: number}}}}\n"
    "        - {name: session, in: cookie, schema: {type: string, pattern: '^[a-z]+$'}}\n"
    "        - {name: prefs, in: cookie, explode: false,\n"
    "           schema: {type: object, properties: {n: {type: integer}}}}\n"
    "      requestBody:\n"
    "        content:\n"
    "          application/json:\n"
    "            schema: {type: object, properties: {n: {type: integer}},\n"
    "                     additionalProperties: {type: string, format: date-time}}\n"
    "          application/x-www-form-urlencoded:\n"
    "            schema: {type: object, properties: {a: {type: array, items: {type: integer}},\n"
    "                     b: {type: object, properties: {c: {type: string}}}}}\n"
    "            encoding: {b: {style: deepObject, explode: true}}\n"
    "          multipart/form-data:\n"
    "            schema: {type: object, properties: {file: {type: string, format: binary},\n"
    "                     meta: {type: object}, n: {type: integer}}}\n"
    "            encoding: {meta: {contentType: application/json}}\n"
    "          text/plain: {schema: {type: string, maxLength: 100}}\n"
    "      responses: {'200': {description: ok}}\n";

/* OpenAPI 3.2 `in: querystring`: the query line is one value by each media type. */
static const char SPEC32[] =
    "openapi: 3.2.0\n"
    "info: {title: fuzz, version: '1'}\n"
    "paths:\n"
    "  /qs/form:\n"
    "    get:\n"
    "      parameters:\n"
    "        - name: f\n"
    "          in: querystring\n"
    "          content:\n"
    "            application/x-www-form-urlencoded:\n"
    "              schema: {type: object, properties: {a: {type: array, items: {type: integer}},\n"
    "                       b: {type: object, properties: {c: {type: string}}}, n: {type: number}}}\n"
    "              encoding: {a: {explode: false}, b: {style: deepObject, explode: true}}\n"
    "      responses: {'200': {description: ok}}\n"
    "  /qs/json:\n"
    "    get:\n"
    "      parameters:\n"
    "        - {name: j, in: querystring, required: true, content: {application/json: {schema:\n"
    "           {type: object, properties: {n: {type: array, items: {type: integer}}}}}}}\n"
    "      responses: {'200': {description: ok}}\n"
    "  /qs/text:\n"
    "    get:\n"
    "      parameters:\n"
    "        - {name: t, in: querystring, content: {text/plain: {schema: {type: integer}}}}\n"
    "      responses: {'200': {description: ok}}\n";

static apr_pool_t *spec_pool;
static oa_spec *spec;
static oa_spec *spec32;

enum { LINE_PATH, LINE_QUERY, LINE_COOKIE, LINE_IDS, LINE_OBJ, LINE_TYPE, LINE_COUNT };

typedef struct fuzz_request {
    const char *line[LINE_COUNT]; /* NULL when the input ended before */
} fuzz_request;

static const char *header_of(void *baton, const char *name)
{
    const fuzz_request *request = baton;
    if (strcasecmp(name, "Cookie") == 0)
        return request->line[LINE_COOKIE];
    if (strcasecmp(name, "X-Ids") == 0)
        return request->line[LINE_IDS];
    if (strcasecmp(name, "X-Obj") == 0)
        return request->line[LINE_OBJ];
    if (strcasecmp(name, "Content-Type") == 0)
        return request->line[LINE_TYPE];
    return NULL;
}

/* the spec's jansson trees and compiled patterns go with its pool, before LeakSanitizer
 * looks at what the process still holds */
static void release_spec(void)
{
    apr_pool_destroy(spec_pool);
}

static oa_spec *load_fixed(fuzz_docs *docs, const char *name)
{
    oa_docset *set = oa_docset_create(spec_pool, fuzz_docs_loader, docs);
    oa_diag *diag = oa_diag_create(spec_pool);
    oa_spec *loaded = oa_spec_load_docset(spec_pool, name, fuzz_doc_uri(spec_pool, 0), set,
                                          diag);
    if (!loaded || !oa_spec_prepare(loaded, NULL, NULL, diag))
        abort(); /* the fixed specs are valid */
    return loaded;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static fuzz_docs docs = {1, {SPEC}, {sizeof(SPEC) - 1}};
    static fuzz_docs docs32 = {1, {SPEC32}, {sizeof(SPEC32) - 1}};
    (void)argc;
    (void)argv;
    apr_initialize();
    apr_pool_create(&spec_pool, NULL);
    spec = load_fixed(&docs, "params.yaml");
    spec32 = load_fixed(&docs32, "querystring.yaml");
    atexit(release_spec);
    return 0;
}

static void check_result(const oa_request_result *result, int max_errors)
{
    if ((result->status == 0) != (result->errors->nelts == 0))
        abort(); /* refused without a reason, or reasons without a refusal */
    if (result->errors->nelts > max_errors)
        abort();
    if (result->status != 0 && result->status != 400 && result->status != 415)
        abort();
}

static void parse_request(apr_pool_t *pool, fuzz_request *request, const char *body,
                          size_t body_length)
{
    static const oa_request_options options[] = {
        {OA_URI_PARSER_OPENAPI, 0, 0, 0},
        {OA_URI_PARSER_ALWAYS_MULTI, 1, 3, 1},
    };
    oa_route_match match;
    const oa_operation *op;
    const oa_spec *target = spec;
    oa_method method = OA_METHOD_POST;
    size_t i;
    if (request->line[LINE_PATH] && strncmp(request->line[LINE_PATH], "/qs/", 4) == 0) {
        target = spec32;
        method = OA_METHOD_GET;
    }
    if (!request->line[LINE_PATH] ||
        oa_router_match(target->router, request->line[LINE_PATH], pool, &match) !=
            OA_ROUTE_FOUND)
        return;
    op = oa_route_operation(match.route, method);
    if (!op)
        abort();
    for (i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
        oa_request_input input;
        oa_request_result result;
        memset(&input, 0, sizeof(input));
        input.query = request->line[LINE_QUERY];
        input.match = &match;
        input.header = header_of;
        input.header_baton = request;
        input.content_type = request->line[LINE_TYPE];
        input.body = body;
        input.body_length = body_length;
        oa_request_parse(pool, target, op, &input, &options[i], &result);
        check_result(&result, options[i].max_errors ? options[i].max_errors
                                                    : OA_REQUEST_DEFAULT_MAX_ERRORS);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *at = (const char *)data;
    const char *end = at + size;
    fuzz_request request;
    apr_pool_t *pool;
    const char *error = NULL;
    int i;

    apr_pool_create(&pool, NULL);
    memset(&request, 0, sizeof(request));
    for (i = 0; i < LINE_COUNT && at < end; i++) {
        const char *newline = memchr(at, '\n', (size_t)(end - at));
        const char *stop = newline ? newline : end;
        request.line[i] = apr_pstrmemdup(pool, at, (size_t)(stop - at));
        at = newline ? newline + 1 : end;
    }
    if (request.line[LINE_QUERY]) {
        const char *query = request.line[LINE_QUERY];
        if (!oa_query_split(pool, query, strlen(query), &error) && !error)
            abort();
    }
    if (request.line[LINE_COOKIE] && !oa_cookie_split(pool, request.line[LINE_COOKIE], &error)
        && !error)
        abort();
    parse_request(pool, &request, at < end ? apr_pmemdup(pool, at, (size_t)(end - at)) : NULL,
                  (size_t)(end - at));
    apr_pool_destroy(pool);
    return 0;
}
