/* oa_parse: YAML 1.2 / JSON into jansson with positions. */
#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#include "doc/oa_json_check.h"
#include "doc/oa_parse.h"
#include "unit.h"

static apr_pool_t *pool;

static json_t *parse(const char *text, oa_posmap **positions, oa_diag **diag)
{
    *diag = oa_diag_create(pool);
    return oa_parse_buffer(pool, "t.yaml", text, strlen(text), positions, *diag);
}

static const char *first_error(oa_diag *diag)
{
    return oa_diag_count(diag) > 0 ? oa_diag_line(pool, diag, 0) : "(none)";
}

static void test_scalars_follow_the_yaml_1_2_core_schema(void)
{
    oa_diag *diag;
    json_t *doc = parse("a: 1\nb: -2.5\nc: true\nd: null\ne: ~\nf: '1'\ng: yes\nh: 0x1F\n"
                        "i: 1e3\nj: \"true\"\nk: on\nl: 3.0.3\nm: .inf\nn: 99999999999999999999\n",
                        NULL, &diag);
    CHECK(doc != NULL);
    CHECK(json_is_integer(json_object_get(doc, "a")));
    CHECK_INT(json_integer_value(json_object_get(doc, "a")), 1);
    CHECK(json_real_value(json_object_get(doc, "b")) == -2.5);
    CHECK(json_is_true(json_object_get(doc, "c")));
    CHECK(json_is_null(json_object_get(doc, "d")));
    CHECK(json_is_null(json_object_get(doc, "e")));
    CHECK_STR(json_string_value(json_object_get(doc, "f")), "1");
    CHECK_STR(json_string_value(json_object_get(doc, "g")), "yes"); /* YAML 1.1 only */
    CHECK_INT(json_integer_value(json_object_get(doc, "h")), 31);
    CHECK(json_real_value(json_object_get(doc, "i")) == 1000.0);
    CHECK_STR(json_string_value(json_object_get(doc, "j")), "true");
    CHECK_STR(json_string_value(json_object_get(doc, "k")), "on");
    CHECK_STR(json_string_value(json_object_get(doc, "l")), "3.0.3");
    CHECK_STR(json_string_value(json_object_get(doc, "m")), ".inf");
    CHECK(json_is_real(json_object_get(doc, "n")));
    json_decref(doc);
}

static void test_positions_are_recorded(void)
{
    oa_diag *diag;
    oa_posmap *positions;
    oa_docset *set = oa_docset_create(pool, NULL, NULL);
    oa_position where;
    json_t *doc = parse("info:\n  title: x\npaths:\n  /a:\n    get: {}\n", &positions, &diag);
    CHECK(doc != NULL);
    oa_docset_add(set, "file:///t.yaml", doc, positions);
    CHECK(oa_docset_position(set, json_object_get(json_object_get(doc, "info"), "title"),
                             &where));
    CHECK_INT(where.line, 2);
    CHECK_INT(where.column, 10);
    /* containers are placed at their key */
    CHECK(oa_docset_position(set, json_object_get(json_object_get(doc, "paths"), "/a"),
                             &where));
    CHECK_INT(where.line, 4);
    CHECK_INT(where.column, 3);
    CHECK_STR(where.file, "t.yaml");
}

static void test_anchors_aliases_and_merge_keys(void)
{
    oa_diag *diag;
    json_t *doc = parse("base: &b {type: object, x: 1}\nuse: *b\nmerged:\n  <<: *b\n  x: 2\n",
                        NULL, &diag);
    CHECK(doc != NULL);
    CHECK(json_object_get(doc, "use") == json_object_get(doc, "base")); /* shared node */
    CHECK_STR(json_string_value(json_object_get(json_object_get(doc, "merged"), "type")),
              "object");
    CHECK_INT(json_integer_value(json_object_get(json_object_get(doc, "merged"), "x")), 2);
    json_decref(doc);
}

static void test_errors_name_line_and_column(void)
{
    oa_diag *diag;
    CHECK(parse("a: 1\na: 2\n", NULL, &diag) == NULL);
    CHECK_STR(first_error(diag), "t.yaml:2:1: duplicate key 'a' in mapping");
    CHECK(parse("a:\n  - x\n - y\n", NULL, &diag) == NULL);
    CHECK(strncmp(first_error(diag), "t.yaml:3:2: invalid YAML", 24) == 0);
    CHECK(parse("a: *nothing\n", NULL, &diag) == NULL);
    CHECK(strstr(first_error(diag), "names no anchor") != NULL);
    CHECK(parse("a: &x [*x]\n", NULL, &diag) == NULL); /* an alias of its own ancestor */
    CHECK(parse("", NULL, &diag) == NULL);
    CHECK(strstr(first_error(diag), "empty") != NULL);
    CHECK(parse("a: 1\n---\nb: 2\n", NULL, &diag) == NULL);
    CHECK(strstr(first_error(diag), "single document") != NULL);
    CHECK(parse("? [a]\n: 1\n", NULL, &diag) == NULL);
    CHECK(strstr(first_error(diag), "keys must be scalars") != NULL);
}

static void test_json_is_strict(void)
{
    oa_diag *diag;
    json_t *doc;
    CHECK(parse("{\"a\": 1,}", NULL, &diag) == NULL);
    CHECK(strncmp(first_error(diag), "t.yaml:1:9: invalid JSON", 24) == 0);
    CHECK(parse("{\"a\": 1, \"a\": 2}", NULL, &diag) == NULL);
    /* tabs are fine in JSON though YAML 1.1 refuses them in places */
    doc = parse("{\n\t\"a\":\t[1,\t2]\n}", NULL, &diag);
    CHECK(doc != NULL);
    CHECK_INT(json_array_size(json_object_get(doc, "a")), 2);
    json_decref(doc);
    doc = parse("{\"big\": 123456789012345678901234567890}", NULL, &diag);
    CHECK(doc != NULL);
    json_decref(doc);
}

static void test_deep_nesting_is_refused(void)
{
    oa_diag *diag;
    char *text = apr_palloc(pool, 2 * 2000 + 1);
    memset(text, '[', 2000);
    memset(text + 2000, ']', 2000);
    text[4000] = '\0';
    CHECK(parse(text, NULL, &diag) == NULL);
}

static void test_files(void)
{
    oa_diag *diag = oa_diag_create(pool);
    const char *path = apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures/specs/routing.yaml",
                                   NULL);
    json_t *doc = oa_parse_file(pool, path, NULL, diag);
    CHECK(doc != NULL);
    json_decref(doc);
    CHECK(oa_parse_file(pool, "/no/such/file.yaml", NULL, diag) == NULL);
    CHECK(strstr(first_error(diag), "/no/such/file.yaml: cannot read") != NULL);
}

/* OA_PARSE_SHARE_SUBTREES: identical schemas are one node (positions of the first), path
 * items and operations never are, and nothing shares without the flag. */
static void test_identical_schemas_are_shared(void)
{
    static const char text[] =
        "paths:\n"
        "  /a:\n"
        "    get: {responses: {'200': {description: ok}}}\n"
        "    put:\n"
        "      requestBody: {content: {application/json: {schema: {type: object, "
        "properties: {n: {type: integer}}}}}}\n"
        "  /b:\n"
        "    get: {responses: {'200': {description: ok}}}\n"
        "    put:\n"
        "      requestBody: {content: {application/json: {schema: {type: object, "
        "properties: {n: {type: integer}}}}}}\n"
        "    post:\n"
        "      requestBody: {content: {application/json: {schema: {type: object, "
        "properties: {n: {type: string}}}}}}\n";
    oa_diag *diag = oa_diag_create(pool);
    oa_posmap *positions = NULL;
    oa_docset *set = oa_docset_create(pool, NULL, NULL);
    json_t *doc = oa_parse_buffer_ex(pool, "t.yaml", text, strlen(text),
                                     OA_PARSE_SHARE_SUBTREES, &positions, diag);
    json_t *a, *b, *schema_a, *schema_b, *schema_post, *plain;
    oa_position where;
    CHECK(doc != NULL);
    oa_docset_add(set, "file:///t.yaml", doc, positions);
    a = json_object_get(json_object_get(doc, "paths"), "/a");
    b = json_object_get(json_object_get(doc, "paths"), "/b");
    /* operations keep their own nodes and positions, even when written alike */
    CHECK(json_object_get(a, "get") != json_object_get(b, "get"));
    CHECK(oa_docset_position(set, json_object_get(b, "get"), &where));
    CHECK_INT(where.line, 7);
    /* what is inside responses and bodies is shared */
    CHECK(json_object_get(json_object_get(a, "get"), "responses") ==
          json_object_get(json_object_get(b, "get"), "responses"));
    schema_a = json_object_get(json_object_get(json_object_get(json_object_get(
        json_object_get(json_object_get(a, "put"), "requestBody"), "content"),
        "application/json"), "schema"), "properties");
    schema_b = json_object_get(json_object_get(json_object_get(json_object_get(
        json_object_get(json_object_get(b, "put"), "requestBody"), "content"),
        "application/json"), "schema"), "properties");
    schema_post = json_object_get(json_object_get(json_object_get(json_object_get(
        json_object_get(json_object_get(b, "post"), "requestBody"), "content"),
        "application/json"), "schema"), "properties");
    CHECK(schema_a != NULL && schema_a == schema_b);
    CHECK(schema_post != NULL && schema_post != schema_a);
    CHECK(oa_docset_position(set, schema_b, &where));
    CHECK_INT(where.line, 5); /* the first occurrence's */
    CHECK_STR(json_string_value(json_object_get(json_object_get(schema_post, "n"), "type")),
              "string");
    /* without the flag, every node is its own */
    plain = oa_parse_buffer(pool, "t.yaml", text, strlen(text), NULL, diag);
    CHECK(json_object_get(json_object_get(json_object_get(json_object_get(plain, "paths"),
                                                          "/a"), "get"), "responses") !=
          json_object_get(json_object_get(json_object_get(json_object_get(plain, "paths"),
                                                          "/b"), "get"), "responses"));
    json_decref(plain);
}

/* jansson's verdict with the flags of the strict check oa_json_check stands in for. */
static int jansson_accepts(const char *text, size_t length)
{
    json_t *doc = json_loadb(text, length, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL |
                                               JSON_ALLOW_NUL, NULL);
    json_decref(doc);
    return doc != NULL;
}

static void test_fast_json_check_answers_as_jansson(void)
{
    static const char *const valid[] = {
        "{}", "[]", " [1, -0, 0.5, -2.5e-3, 1E+2, 123456789012345678901234567890] ",
        "{\"a\": {\"b\": [true, false, null, \"x\"]}, \"b\": \"\\u00e9\\ud83d\\ude00\\n\"}",
        "{\"k\": \"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\", \"nul\": \"\\u0000\"}",
        "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10}",
        "[{\"a\": 1}, {\"a\": 2}]", "{\"a\": {\"a\": {\"a\": 1}}}", "\t{\r\n}\n",
    };
    static const char *const invalid[] = {
        "", "1", "\"s\"", "{\"a\": 1,}", "[1,]", "{\"a\" 1}", "{\"a\": 1, \"a\": 2}",
        "{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"a\":10}",
        "[01]", "[1.]", "[.5]", "[1e]", "[-]", "[1e999]", "[-1e999]", "[truex]", "[nul]",
        "[\"\\ud800\"]", "[\"\\udc00\"]", "[\"\\ud800\\u0041\"]", "[\"\\x\"]", "[\"\\u12\"]",
        "[\"a\tb\"]", "[\"\xc0\x80\"]", "[\"\xed\xa0\x80\"]", "[\"\xf5\x80\x80\x80\"]",
        "[\"\xe2\x82\"]", "[1] x", "[1] [2]", "// c\n[1]", "[1 2]", "{\"a\": 1 \"b\": 2}",
        "[\"unterminated]", "{\"a\\u0061\": 1, \"aa\": 2}",
    };
    const char *sample = "{\"openapi\": \"3.0.3\", \"paths\": {\"/a/{id}\": {\"get\": "
                         "{\"parameters\": [{\"name\": \"id\", \"in\": \"path\", \"schema\": "
                         "{\"type\": \"integer\", \"minimum\": -1.5e2}}], \"x\": [true, null, "
                         "\"\\u00e9\xc3\xa9\"], \"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,"
                         "\"f\":6,\"g\":7,\"h\":8,\"i\":9}}}}";
    static const char alphabet[] = "{}[]\",:\\u0123456789eE+-.tfnl ad\t\n\xc3\xa9\xed\xff";
    char text[512];
    unsigned seed = 12345;
    int i, said_valid = 0, wrongly = 0;
    size_t n;
    for (n = 0; n < sizeof(valid) / sizeof(valid[0]); n++) {
        CHECK(jansson_accepts(valid[n], strlen(valid[n])));
        CHECK(oa_json_check(pool, valid[n], strlen(valid[n])) == 1);
    }
    for (n = 0; n < sizeof(invalid) / sizeof(invalid[0]); n++) {
        CHECK(!jansson_accepts(invalid[n], strlen(invalid[n])));
        CHECK(oa_json_check(pool, invalid[n], strlen(invalid[n])) == 0);
    }
    /* mutants of a spec-like text: whatever the fast check accepts, jansson accepts */
    for (i = 0; i < 20000; i++) {
        size_t length = unit_mutant(text, sizeof(text), sample, alphabet, &seed);
        if (oa_json_check(pool, text, length)) {
            said_valid++;
            if (!jansson_accepts(text, length))
                wrongly++;
        }
    }
    CHECK_INT(wrongly, 0);
    CHECK(said_valid > 1000); /* the mutants are not all broken: the test tests something */
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_scalars_follow_the_yaml_1_2_core_schema();
    test_positions_are_recorded();
    test_anchors_aliases_and_merge_keys();
    test_errors_name_line_and_column();
    test_json_is_strict();
    test_fast_json_check_answers_as_jansson();
    test_deep_nesting_is_refused();
    test_files();
    test_identical_schemas_are_shared();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
