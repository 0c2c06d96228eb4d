/* oa_request_parse, parameters: every location and style, URI parsers, casting,
 * nullable, defaults, required, strict validation, content parameters. Bodies are in
 * test_request_body.c. */
#include <apr_general.h>
#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "request/oa_request.h"
#include "schema/oa_schema.h"
#include "unit.h"
#include "unit_spec.h"

static apr_pool_t *pool;

static oa_spec *load(const char *name)
{
    oa_spec *spec = unit_load_spec(
        pool, apr_pstrcat(pool, "tests/fixtures/specs/request/", name, NULL), 1);
    CHECK(spec != NULL);
    return spec;
}

typedef struct request {
    const char *path;
    const char *query;
    const char *const *headers; /* name, value, ..., NULL */
    oa_request_options options;
} request;

static const char *header_lookup(void *baton, const char *name)
{
    const char *const *headers = baton;
    int i;
    for (i = 0; headers && headers[i]; i += 2)
        if (strcasecmp(headers[i], name) == 0)
            return headers[i + 1];
    return NULL;
}

static oa_request_result result;

static int run(oa_spec *spec, const request *req)
{
    oa_route_match match;
    oa_request_input input;
    const oa_operation *op;
    memset(&result, 0, sizeof(result));
    if (oa_router_match(spec->router, req->path, pool, &match) != OA_ROUTE_FOUND) {
        unit_check(0, req->path, __FILE__, __LINE__);
        return -1;
    }
    op = oa_route_operation(match.route, OA_METHOD_GET);
    memset(&input, 0, sizeof(input));
    input.query = req->query;
    input.match = &match;
    input.header = header_lookup;
    input.header_baton = (void *)req->headers;
    return oa_request_parse(pool, spec, op, &input, &req->options, &result);
}

/* The handler's view of a parameter as compact JSON, or "(absent)". */
static const char *param(const char *name)
{
    json_t *value = json_object_get(result.params, name);
    char *text;
    const char *copy;
    if (!value)
        return "(absent)";
    text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
    copy = apr_pstrdup(pool, text);
    free(text);
    return copy;
}

/* "in name pointer: message" of error i, for exact comparisons. */
static const char *error_text(int i)
{
    const oa_request_error *e;
    if (i >= result.errors->nelts)
        return "(none)";
    e = &APR_ARRAY_IDX(result.errors, i, oa_request_error);
    return apr_psprintf(pool, "%s %s %s: %s", e->in, e->name ? e->name : "-",
                        *e->pointer ? e->pointer : "-", e->message);
}

static const char *query(oa_spec *spec, const char *q, oa_uri_parser parser)
{
    request req = {"/query", q, NULL, {parser, 0, 0, 0}};
    run(spec, &req);
    return result.status ? error_text(0) : "ok";
}

static void test_query_casting(oa_spec *spec)
{
    CHECK_STR(query(spec, "limit=5", 0), "ok");
    CHECK_STR(param("limit"), "5");
    CHECK_STR(query(spec, "", 0), "ok");
    CHECK_STR(param("limit"), "20"); /* the schema's default */
    CHECK_STR(param("letters"), "(absent)");
    CHECK_STR(query(spec, "limit=abc", 0), "query limit -: 'abc' is not of type 'integer'");
    CHECK_INT(result.status, 400);
    CHECK_STR(query(spec, "limit=0", 0), "query limit -: 0 is less than the minimum of 1");
    CHECK_STR(query(spec, "limit=1.5", 0), "query limit -: '1.5' is not of type 'integer'");
    CHECK_STR(query(spec, "%24top=3", 0), "ok");
    CHECK_STR(param("top"), "3"); /* sanitized handler name */
    CHECK_STR(query(spec, "nums=1,2,x", 0), "query nums /2: 'x' is not of type 'integer'");
    CHECK_STR(query(spec, "nums=1,2,3", 0), "ok");
    CHECK_STR(param("nums"), "[1,2,3]");
    CHECK_STR(query(spec, "any=all", 0), "ok");
    CHECK_STR(param("any"), "\"all\"");
    /* oneOf without a type: the text stays a string, so the integer branch fails too */
    CHECK_INT(run(spec, &(request){"/query", "any=5", NULL, {0, 0, 0, 0}}), 400);
    CHECK_STR(query(spec, "word=a+b", 0), "ok");
    CHECK_STR(param("word"), "\"a b\"");
    CHECK_STR(query(spec, "word=%C3%A9t%C3%A9", 0), "ok");
    CHECK_STR(param("word"), "\"\xc3\xa9t\xc3\xa9\"");
    CHECK_STR(query(spec, "word=%zz", 0), "ok");
    CHECK_STR(param("word"), "\"%zz\"");
    CHECK_INT(run(spec, &(request){"/query", "word=a%00b", NULL, {0, 0, 0, 0}}), 400);
    CHECK_INT(run(spec, &(request){"/query", "word=%FF%FE", NULL, {0, 0, 0, 0}}), 400);
}

static void test_uri_parsers(oa_spec *spec)
{
    const char *example = "letters=a,b,c&letters=d,e,f";
    const char *tags = "tags=a,b,c&tags=d,e,f";
    /* explode: false */
    CHECK_STR(query(spec, example, OA_URI_PARSER_DEFAULT), "ok");
    CHECK_STR(param("letters"), "[\"d\",\"e\",\"f\"]");
    CHECK_STR(query(spec, example, OA_URI_PARSER_OPENAPI), "ok");
    CHECK_STR(param("letters"), "[\"d\",\"e\",\"f\"]");
    CHECK_STR(query(spec, example, OA_URI_PARSER_SWAGGER2), "ok");
    CHECK_STR(param("letters"), "[\"d\",\"e\",\"f\"]");
    CHECK_STR(query(spec, example, OA_URI_PARSER_FIRST_VALUE), "ok");
    CHECK_STR(param("letters"), "[\"a\",\"b\",\"c\"]");
    CHECK_STR(query(spec, example, OA_URI_PARSER_ALWAYS_MULTI), "ok");
    CHECK_STR(param("letters"), "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]");
    /* explode: true (the default for form): every repetition counts, each split */
    CHECK_STR(query(spec, tags, OA_URI_PARSER_OPENAPI), "ok");
    CHECK_STR(param("tags"), "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]");
    CHECK_STR(query(spec, tags, OA_URI_PARSER_SWAGGER2), "ok");
    CHECK_STR(param("tags"), "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]");
    CHECK_STR(query(spec, tags, OA_URI_PARSER_FIRST_VALUE), "ok");
    CHECK_STR(param("tags"), "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]");
    CHECK_STR(query(spec, tags, OA_URI_PARSER_ALWAYS_MULTI), "ok");
    CHECK_STR(param("tags"), "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]");
    CHECK_STR(query(spec, "tags=x&tags=y", OA_URI_PARSER_OPENAPI), "ok");
    CHECK_STR(param("tags"), "[\"x\",\"y\"]");
    CHECK_STR(query(spec, "tags=x", OA_URI_PARSER_OPENAPI), "ok");
    CHECK_STR(param("tags"), "[\"x\"]");
    /* scalars: right-most wins, or the first for FIRST_VALUE */
    CHECK_STR(query(spec, "limit=3&limit=4", OA_URI_PARSER_OPENAPI), "ok");
    CHECK_STR(param("limit"), "4");
    CHECK_STR(query(spec, "limit=3&limit=4", OA_URI_PARSER_FIRST_VALUE), "ok");
    CHECK_STR(param("limit"), "3");
    CHECK_STR(query(spec, "limit=3&limit=4", OA_URI_PARSER_ALWAYS_MULTI), "ok");
    CHECK_STR(param("limit"), "4");
    CHECK_INT(oa_request_uri_parser(spec, OA_URI_PARSER_DEFAULT), OA_URI_PARSER_OPENAPI);
    CHECK_INT(oa_request_uri_parser(spec, OA_URI_PARSER_FIRST_VALUE),
              OA_URI_PARSER_FIRST_VALUE);
}

static void test_query_styles(oa_spec *spec)
{
    CHECK_STR(query(spec, "spaced=1%202+3", 0), "ok");
    CHECK_STR(param("spaced"), "[1,2,3]");
    CHECK_STR(query(spec, "piped=a|b", 0), "ok");
    CHECK_STR(param("piped"), "[\"a\",\"b\"]");
    CHECK_STR(query(spec, "piped=a%7Cb%7Cc", 0), "ok");
    CHECK_STR(param("piped"), "[\"a\",\"b\",\"c\"]");
    CHECK_STR(query(spec, "id=role,admin,firstName,Alex,age,7", 0), "ok");
    CHECK_STR(param("id"), "{\"age\":7,\"firstName\":\"Alex\",\"role\":\"admin\"}");
    CHECK_STR(query(spec, "id=role,admin,firstName", 0),
              "query id -: an object value must be a list of name,value pairs");
    CHECK_STR(query(spec, "id=age,old", 0), "query id /age: 'old' is not of type 'integer'");
    CHECK_STR(query(spec, "filter[color]=red&filter%5Bsize%5D=3", 0), "ok");
    CHECK_STR(param("filter"), "{\"color\":\"red\",\"size\":3}");
    CHECK_STR(query(spec, "filter[size]=big", 0),
              "query filter /size: 'big' is not of type 'integer'");
    /* nested keys are nested objects, cast by their own schemas */
    CHECK_STR(query(spec, "filter[dims][w]=3&filter[dims][tags]=a&filter[dims][tags]=b&"
                          "filter[x][y][z]=1", 0), "ok");
    CHECK_STR(param("filter"), "{\"dims\":{\"tags\":[\"a\",\"b\"],\"w\":3},"
                               "\"x\":{\"y\":{\"z\":\"1\"}}}");
    CHECK_STR(query(spec, "filter[dims][w]=wide", 0),
              "query filter /dims/w: 'wide' is not of type 'integer'");
    CHECK_STR(query(spec, "filter[a][b][c][d][e][f][g][h][i]=1", 0),
              "query filter -: 'filter[a][b][c][d][e][f][g][h][i]' nests deeper than 8 levels");
    CHECK_STR(query(spec, "filter[a][b]x=1", 0),
              "query filter -: 'filter[a][b]x' is not a deepObject key");
    CHECK_STR(query(spec, "filter[size]=1&filter[size][a]=2", 0),
              "query filter -: 'filter[size][a]' sets a member of 'size', which has a value "
              "of its own");
    CHECK_STR(query(spec, "spobj=role%20admin%20age%203", 0), "ok");
    CHECK_STR(param("spobj"), "{\"age\":3,\"role\":\"admin\"}");
    CHECK_STR(query(spec, "truth=True", 0), "ok");
    CHECK_STR(param("truth"), "true");
    CHECK_STR(query(spec, "truth=FALSE", 0), "ok");
    CHECK_STR(param("truth"), "false");
    CHECK_STR(query(spec, "filter=3", 0), "ok");
    CHECK_STR(param("filter"), "(absent)");
}

static void test_nullable_and_empty(oa_spec *spec)
{
    CHECK_STR(query(spec, "q=null", 0), "ok");
    CHECK_STR(param("q"), "null");
    CHECK_STR(query(spec, "q=None", 0), "ok");
    CHECK_STR(param("q"), "null");
    CHECK_STR(query(spec, "q=nothing", 0), "ok");
    CHECK_STR(param("q"), "\"nothing\"");
    CHECK_STR(query(spec, "limit=null", 0), "query limit -: 'null' is not of type 'integer'");
    /* allowEmptyValue: a string is "", a boolean counts as not given */
    CHECK_STR(query(spec, "note=", 0), "ok");
    CHECK_STR(param("note"), "\"\"");
    CHECK_STR(query(spec, "flag=", 0), "ok");
    CHECK_STR(param("flag"), "(absent)");
    CHECK_STR(query(spec, "flag=true", 0), "ok");
    CHECK_STR(param("flag"), "true");
    CHECK_STR(query(spec, "flag=yes", 0), "query flag -: 'yes' is not of type 'boolean'");
    CHECK_STR(query(spec, "word=", 0),
              "query word -: 'word' has an empty value, which is not allowed");
    CHECK_STR(query(spec, "word", 0),
              "query word -: 'word' has an empty value, which is not allowed");
    CHECK_STR(query(spec, "letters=", 0),
              "query letters -: 'letters' has an empty value, which is not allowed");
    CHECK_STR(query(spec, "word=a", 0), "query word -: 'a' is too short");
}

static void test_content_parameter(oa_spec *spec)
{
    CHECK_STR(query(spec, "where=%7B%22a%22%3A1%7D", 0), "ok");
    CHECK_STR(param("where"), "{\"a\":1}");
    CHECK_STR(query(spec, "where=%7B%7D", 0), "query where -: 'a' is a required property");
    CHECK_STR(query(spec, "where=%7B%22a%22%3A%22x%22%7D", 0),
              "query where /a: 'x' is not of type 'integer'");
    CHECK_STR(query(spec, "where=%7Bbad", 0),
              "query where -: invalid JSON at line 1, column 4: string or '}' expected near 'bad'");
    CHECK_STR(query(spec, "where=%7B%22a%22%3A1%2C%22a%22%3A%22x%22%7D", 0),
              "query where -: invalid JSON at line 1, column 10: duplicate object key near "
              "'\"a\"'");
}

static void test_strict(oa_spec *spec)
{
    request req = {"/query", "limit=5&bogus=1&bogus=2&other", NULL, {0, 1, 0, 0}};
    CHECK_INT(run(spec, &req), 400);
    CHECK_INT(result.errors->nelts, 2);
    CHECK_STR(error_text(0), "query bogus -: unknown query parameter 'bogus'");
    CHECK_STR(error_text(1), "query other -: unknown query parameter 'other'");
    req.options.strict_validation = 0;
    CHECK_INT(run(spec, &req), 0);
    CHECK_STR(param("limit"), "5");
    /* deepObject keys belong to their parameter */
    req.query = "filter[color]=red";
    req.options.strict_validation = 1;
    CHECK_INT(run(spec, &req), 0);
}

static void test_exploded_object(oa_spec *spec)
{
    request req = {"/exploded", "role=admin&firstName=Alex&page=2", NULL, {0, 0, 0, 0}};
    CHECK_INT(run(spec, &req), 0);
    CHECK_STR(param("person"), "{\"firstName\":\"Alex\",\"role\":\"admin\"}");
    CHECK_STR(param("page"), "2");
    req.query = "page=2";
    CHECK_INT(run(spec, &req), 0);
    CHECK_STR(param("person"), "(absent)");
    req.query = "age=old";
    CHECK_INT(run(spec, &req), 400);
    CHECK_STR(error_text(0), "query person /age: 'old' is not of type 'integer'");
    req.query = "role=admin&other=1";
    req.options.strict_validation = 1;
    CHECK_INT(run(spec, &req), 400);
    CHECK_STR(error_text(0), "query other -: unknown query parameter 'other'");
}

static void test_required(oa_spec *spec)
{
    request req = {"/required", NULL, NULL, {0, 0, 0, 0}};
    const char *headers[] = {"x-request-id", "abc", NULL};
    CHECK_INT(run(spec, &req), 400);
    CHECK_INT(result.errors->nelts, 2);
    CHECK_STR(error_text(0), "query name -: 'name' is a required query parameter");
    CHECK_STR(error_text(1),
              "header X-Request-Id -: 'X-Request-Id' is a required header parameter");
    req.options.max_errors = 1;
    CHECK_INT(run(spec, &req), 400);
    CHECK_INT(result.errors->nelts, 1);
    req.query = "name=";
    req.headers = headers;
    CHECK_INT(run(spec, &req), 400);
    CHECK_STR(error_text(0), "query name -: 'name' has an empty value, which is not allowed");
    req.query = "name=x";
    CHECK_INT(run(spec, &req), 0);
    CHECK_STR(param("name"), "\"x\"");
    CHECK_STR(param("X-Request-Id"), "\"abc\"");
}

static void test_headers_and_cookies(oa_spec *spec)
{
    const char *headers[] = {"X-Rate", "5", "X-List", "1, 2,3", "x-obj",
                             "role=admin,firstName=Alex", "X-Flat", "role,admin,age,3",
                             "Cookie", "session=abc; ids=1,2,3 ;debug=true; c=1; c=2", NULL};
    const char *bad[] = {"X-Rate", "11", "X-List", "1,x", "Cookie", "debug=maybe", NULL};
    request req = {"/headers", NULL, headers, {0, 0, 0, 0}};
    CHECK_INT(run(spec, &req), 0);
    CHECK_STR(param("X-Rate"), "5");
    CHECK_STR(param("X-List"), "[1,2,3]");
    CHECK_STR(param("X-Obj"), "{\"firstName\":\"Alex\",\"role\":\"admin\"}");
    CHECK_STR(param("X-Flat"), "{\"age\":3,\"role\":\"admin\"}");
    CHECK_STR(param("session"), "\"abc\"");
    CHECK_STR(param("ids"), "[1,2,3]");
    CHECK_STR(param("debug"), "true");
    CHECK_STR(param("c"), "[1,2]"); /* form, explode: repeated cookies are the items */
    /* a declared Authorization header is ignored (OpenAPI 3), required or not */
    CHECK_STR(param("Authorization"), "(absent)");
    req.headers = bad;
    CHECK_INT(run(spec, &req), 400);
    CHECK_INT(result.errors->nelts, 3);
    CHECK_STR(error_text(0), "header X-Rate -: 11 is greater than the maximum of 10");
    CHECK_STR(error_text(1), "header X-List /1: 'x' is not of type 'integer'");
    CHECK_STR(error_text(2), "cookie debug -: 'maybe' is not of type 'boolean'");
}

static const char *path(oa_spec *spec, const char *p)
{
    request req = {p, NULL, NULL, {0, 0, 0, 0}};
    run(spec, &req);
    return result.status ? error_text(0) : "ok";
}

static void test_path_styles(oa_spec *spec)
{
    CHECK_STR(path(spec, "/simple/5/3,4,5/role,admin,firstName,Alex/role=admin,age=4"), "ok");
    CHECK_STR(param("scalar"), "5");
    CHECK_STR(param("list"), "[3,4,5]");
    CHECK_STR(param("obj"), "{\"firstName\":\"Alex\",\"role\":\"admin\"}");
    CHECK_STR(param("xobj"), "{\"age\":4,\"role\":\"admin\"}");
    CHECK_STR(path(spec, "/simple/x/3/role,admin/role=a"),
              "path scalar -: 'x' is not of type 'integer'");
    CHECK_STR(path(spec, "/simple/1/3/role,admin/role"), "path xobj -: 'role' is not name=value");
    CHECK_STR(path(spec, "/simple/%31/3%2C4/role,admin/role=a"), "ok");
    CHECK_STR(param("list"), "[3,4]");

    CHECK_STR(path(spec, "/label/.5/.3,4,5/.3.4.5/.role,admin,firstName,Alex/"
                         ".role=admin.firstName=Alex"), "ok");
    CHECK_STR(param("scalar"), "5");
    CHECK_STR(param("list"), "[3,4,5]");
    CHECK_STR(param("xlist"), "[3,4,5]");
    CHECK_STR(param("obj"), "{\"firstName\":\"Alex\",\"role\":\"admin\"}");
    CHECK_STR(param("xobj"), "{\"firstName\":\"Alex\",\"role\":\"admin\"}");
    CHECK_STR(path(spec, "/label/5/.3/.3/.role,a/.role=a"),
              "path scalar -: a label-style value must start with '.'");
    CHECK_STR(path(spec, "/label/.5/.3.4/.3/.role,a/.role=a"),
              "path list /0: '3.4' is not of type 'integer'");

    CHECK_STR(path(spec, "/matrix/;scalar=5/;list=3,4,5/;xlist=3;xlist=4;xlist=5/"
                         ";obj=role,admin,firstName,Alex/;role=admin;firstName=Alex"), "ok");
    CHECK_STR(param("scalar"), "5");
    CHECK_STR(param("list"), "[3,4,5]");
    CHECK_STR(param("xlist"), "[3,4,5]");
    CHECK_STR(param("obj"), "{\"firstName\":\"Alex\",\"role\":\"admin\"}");
    CHECK_STR(param("xobj"), "{\"firstName\":\"Alex\",\"role\":\"admin\"}");
    CHECK_STR(path(spec, "/matrix/;other=5/;list=3/;xlist=3/;obj=role,a/;role=a"),
              "path scalar -: a matrix-style value must be ';scalar=...'");
    CHECK_STR(path(spec, "/matrix/;scalar=5/;list=3/;xlist=3;x=4/;obj=role,a/;role=a"),
              "path xlist -: a matrix-style value must be ';xlist=...' for every item");
    CHECK_STR(path(spec, "/matrix/5/;list=3/;xlist=3/;obj=role,a/;role=a"),
              "path scalar -: a matrix-style value must start with ';'");
    CHECK_STR(path(spec, "/matrix/;scalar=1/;list/;xlist=3/;obj/;role=a"), "ok");
    CHECK_STR(param("list"), "[]");
    CHECK_STR(param("obj"), "{}");

    CHECK_STR(path(spec, "/nullable/null"), "ok");
    CHECK_STR(param("n"), "null");
    CHECK_STR(path(spec, "/nullable/None"), "ok");
    CHECK_STR(param("n"), "null");
    CHECK_STR(path(spec, "/nullable/7"), "ok");
    CHECK_STR(param("n"), "7");
}

/* OpenAPI 3.2's cookie style: form's rules over the Cookie header's pairs, exploding by
 * default, values not percent-decoded. */
static void test_cookie_style(void)
{
    oa_spec *spec = load("cookies32.yaml");
    const char *headers[] = {"Cookie", "ids=1; ids=2; tags=a,b%20c; theme=dark; size=3", NULL};
    request req = {"/cookies", NULL, headers, {0, 0, 0, 0}};
    if (!spec)
        return;
    CHECK_INT(run(spec, &req), 0);
    CHECK_STR(param("ids"), "[1,2]");
    CHECK_STR(param("tags"), "[\"a\",\"b%20c\"]");
    CHECK_STR(param("prefs"), "{\"size\":3,\"theme\":\"dark\"}");
}

static void test_swagger2(void)
{
    oa_spec *spec = load("swagger2.yaml");
    const char *headers[] = {"X-Tags", "a,b", NULL};
    request req = {"/letters", "letters=a,b,c&letters=d,e,f&multi=a,b,c&multi=d,e,f",
                   headers, {0, 0, 0, 0}};
    if (!spec)
        return;
    CHECK_INT(oa_request_uri_parser(spec, OA_URI_PARSER_DEFAULT), OA_URI_PARSER_SWAGGER2);
    CHECK_INT(run(spec, &req), 0);
    CHECK_STR(param("letters"), "[\"d\",\"e\",\"f\"]");
    CHECK_STR(param("multi"), "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]");
    CHECK_STR(param("X-Tags"), "[\"a\",\"b\"]");
    req.options.uri_parser = OA_URI_PARSER_FIRST_VALUE;
    CHECK_INT(run(spec, &req), 0);
    CHECK_STR(param("letters"), "[\"a\",\"b\",\"c\"]");
    CHECK_STR(param("multi"), "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]");
    req.options.uri_parser = OA_URI_PARSER_ALWAYS_MULTI;
    CHECK_INT(run(spec, &req), 0);
    CHECK_STR(param("letters"), "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]");
    CHECK_STR(param("multi"), "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]");
    req.options.uri_parser = OA_URI_PARSER_DEFAULT;
    req.query = "pipes=1|2|3&ssv=4+5&tsv=6%097&one=x&one=y&city=None";
    CHECK_INT(run(spec, &req), 0);
    CHECK_STR(param("pipes"), "[1,2,3]");
    CHECK_STR(param("ssv"), "[4,5]");
    CHECK_STR(param("tsv"), "[6,7]");
    CHECK_STR(param("one"), "\"y\"");
    CHECK_STR(param("city"), "null");
    req.options.uri_parser = OA_URI_PARSER_FIRST_VALUE;
    CHECK_INT(run(spec, &req), 0);
    CHECK_STR(param("one"), "\"x\"");
    req.query = "pipes=1,2";
    CHECK_INT(run(spec, &req), 400);
    CHECK_STR(error_text(0), "query pipes /0: '1,2' is not of type 'integer'");
}

int main(void)
{
    oa_spec *spec;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    spec = load("params.yaml");
    if (spec) {
        test_query_casting(spec);
        test_uri_parsers(spec);
        test_query_styles(spec);
        test_nullable_and_empty(spec);
        test_content_parameter(spec);
        test_strict(spec);
        test_exploded_object(spec);
        test_required(spec);
        test_headers_and_cookies(spec);
        test_path_styles(spec);
    }
    test_swagger2();
    test_cookie_style();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
