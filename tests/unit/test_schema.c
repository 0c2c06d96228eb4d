/* Unit tests of the schema validator: messages, pointers, error collection and caps,
 * OpenAPI semantics (nullable, readOnly/writeOnly, discriminator, formats, defaults),
 * custom formats, compile errors and the safety limits. */
#include "schema/oa_schema.h"
#include "unit.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <time.h>

#define BASE "mem:///t.json"

static apr_pool_t *pool;

typedef struct fixture {
    oa_docset *docs;
    oa_schema_registry *reg;
    oa_diag *diag;
    oa_schema *schema;
    json_t *doc;
} fixture;

/* Compiles the schema at pointer in the JSON document text. */
static fixture load_at(const char *text, const char *pointer, oa_dialect dialect)
{
    fixture f;
    json_error_t error;
    f.docs = oa_docset_create(pool, NULL, NULL);
    f.reg = oa_schema_registry_create(pool, f.docs, dialect);
    f.diag = oa_diag_create(pool);
    f.doc = json_loads(text, 0, &error);
    if (!f.doc) {
        fprintf(stderr, "bad test JSON: %s: %s\n", error.text, text);
        f.schema = NULL;
        return f;
    }
    oa_docset_add(f.docs, BASE, f.doc, NULL);
    f.schema = oa_schema_compile(f.reg, oa_json_pointer_get(pool, f.doc, pointer, 0), BASE,
                                 f.diag);
    return f;
}

static fixture load(const char *text, oa_dialect dialect)
{
    return load_at(text, "", dialect);
}

/* Validates; returns the errors (empty array when valid). */
static apr_array_header_t *run(const oa_schema *schema, const char *instance_text,
                               oa_validation_mode mode, int max_errors, int *valid)
{
    json_error_t error;
    json_t *instance = json_loads(instance_text, JSON_DECODE_ANY, &error);
    apr_array_header_t *errors = NULL;
    if (!instance) {
        fprintf(stderr, "bad instance JSON: %s: %s\n", error.text, instance_text);
        *valid = -1;
        return apr_array_make(pool, 1, sizeof(oa_schema_error));
    }
    *valid = oa_schema_validate(schema, instance, mode, pool, &errors, max_errors);
    /* the answer must not depend on error collection */
    CHECK_INT(oa_schema_validate(schema, instance, mode, pool, NULL, 0), *valid);
    json_decref(instance);
    return errors;
}

static const oa_schema_error *error_at(apr_array_header_t *errors, int i)
{
    static const oa_schema_error none = {"(none)", "(none)", "(none)", "(none)", NULL};
    return i < errors->nelts ? &APR_ARRAY_IDX(errors, i, oa_schema_error) : &none;
}

/* One error expected: checks its message (and pointer when given). */
static void expect_error(const char *schema_text, const char *instance_text,
                         const char *message, const char *pointer)
{
    fixture f = load(schema_text, OA_DIALECT_OAS30);
    int valid;
    apr_array_header_t *errors;
    CHECK(f.schema != NULL);
    if (!f.schema)
        return;
    errors = run(f.schema, instance_text, OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);
    CHECK_INT(errors->nelts, 1);
    CHECK_STR(error_at(errors, 0)->message, message);
    if (pointer)
        CHECK_STR(error_at(errors, 0)->instance_pointer, pointer);
}

static int is_valid(const char *schema_text, const char *instance_text, oa_dialect dialect,
                    oa_validation_mode mode)
{
    fixture f = load(schema_text, dialect);
    int valid;
    if (!f.schema) {
        CHECK(f.schema != NULL);
        return -1;
    }
    run(f.schema, instance_text, mode, 0, &valid);
    return valid;
}

static void test_messages(void)
{
    expect_error("{\"required\": [\"name\"]}", "{}", "'name' is a required property", "");
    expect_error("{\"type\": \"integer\"}", "\"abc\"", "'abc' is not of type 'integer'", "");
    expect_error("{\"type\": [\"integer\", \"null\"]}", "true",
                 "true is not of type 'integer', 'null'", "");
    expect_error("{\"maximum\": 3}", "5", "5 is greater than the maximum of 3", "");
    expect_error("{\"maximum\": 3, \"exclusiveMaximum\": true}", "3",
                 "3 is greater than or equal to the maximum of 3", "");
    expect_error("{\"minimum\": 1.5}", "1", "1 is less than the minimum of 1.5", "");
    expect_error("{\"minimum\": 2, \"exclusiveMinimum\": true}", "2.0",
                 "2.0 is less than or equal to the minimum of 2", "");
    expect_error("{\"pattern\": \"^[a-z]+$\"}", "\"X\"", "'X' does not match '^[a-z]+$'", "");
    expect_error("{\"enum\": [\"a\", \"b\"]}", "\"foo\"", "'foo' is not one of ['a', 'b']", "");
    expect_error("{\"enum\": [1, null, {\"k\": [true]}]}", "2",
                 "2 is not one of [1, null, {'k': [true]}]", "");
    expect_error("{\"properties\": {\"a\": {}}, \"additionalProperties\": false}",
                 "{\"a\": 1, \"bar\": 2}",
                 "Additional properties are not allowed ('bar' was unexpected)", "");
    expect_error("{\"additionalProperties\": false}", "{\"x\": 1, \"y\": 2}",
                 "Additional properties are not allowed ('x', 'y' were unexpected)", "");
    expect_error("{\"items\": [{}], \"additionalItems\": false}", "[1, 2, 3]",
                 "Additional items are not allowed (2, 3 were unexpected)", "");
    expect_error("{\"multipleOf\": 0.5}", "1.25", "1.25 is not a multiple of 0.5", "");
    expect_error("{\"maxLength\": 2}", "\"abc\"", "'abc' is too long", "");
    expect_error("{\"minLength\": 4}", "\"abc\"", "'abc' is too short", "");
    expect_error("{\"maxItems\": 1}", "[1, 2]", "[1, 2] is too long", "");
    expect_error("{\"minItems\": 3}", "[1, 2]", "[1, 2] is too short", "");
    expect_error("{\"uniqueItems\": true}", "[1, 1.0]", "[1, 1.0] has non-unique elements", "");
    expect_error("{\"maxProperties\": 0}", "{\"a\": 1}", "{'a': 1} has too many properties", "");
    expect_error("{\"minProperties\": 2}", "{\"a\": 1}",
                 "{'a': 1} does not have enough properties", "");
    expect_error("{\"dependencies\": {\"a\": [\"b\"]}}", "{\"a\": 1}",
                 "'b' is a dependency of 'a'", "");
    expect_error("{\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"null\"}]}", "1",
                 "1 is not valid under any of the given schemas", "");
    expect_error("{\"oneOf\": [{\"type\": \"integer\"}, {\"minimum\": 0}]}", "1",
                 "1 is valid under each of oneOf/0 and oneOf/1", "");
    expect_error("{\"not\": {\"type\": \"string\"}}", "\"s\"",
                 "'s' should not be valid under {'type': 'string'}", "");
    expect_error("{\"format\": \"date\"}", "\"2024-02-30\"", "'2024-02-30' is not a 'date'", "");
    /* control characters are escaped, quotes too */
    expect_error("{\"type\": \"integer\"}", "\"a\\nb\\u0001'\"",
                 "'a\\nb\\x01\\'' is not of type 'integer'", "");
}

static void test_truncation(void)
{
    char long_text[300];
    fixture f = load("{\"type\": \"integer\"}", OA_DIALECT_OAS30);
    apr_array_header_t *errors;
    const char *message;
    int valid;
    memset(long_text, 'x', sizeof(long_text));
    long_text[0] = '"';
    long_text[sizeof(long_text) - 2] = '"';
    long_text[sizeof(long_text) - 1] = '\0';
    errors = run(f.schema, long_text, OA_MODE_NONE, 0, &valid);
    message = error_at(errors, 0)->message;
    CHECK(strlen(message) < 120);
    CHECK(strstr(message, "xxx... is not of type 'integer'") != NULL);
    /* multi-byte characters are never cut in the middle */
    errors = run(f.schema,
                 "\"ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé\"",
                 OA_MODE_NONE, 0, &valid);
    message = error_at(errors, 0)->message;
    CHECK(strstr(message, "é... is not of type") != NULL);
}

static void test_pointers_and_collection(void)
{
    fixture f = load("{\"properties\": {\"list\": {\"type\": \"array\", \"items\": "
                     "{\"properties\": {\"a/b~c\": {\"type\": \"string\"}}, "
                     "\"required\": [\"id\"]}}}, \"required\": [\"x\", \"y\"]}",
                     OA_DIALECT_DRAFT4);
    apr_array_header_t *errors;
    int valid;
    int i, seen = 0;
    errors = run(f.schema, "{\"list\": [{\"id\": 1}, {\"a/b~c\": 5}]}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);
    CHECK_INT(errors->nelts, 4);
    for (i = 0; i < errors->nelts; i++) {
        const oa_schema_error *e = error_at(errors, i);
        if (strcmp(e->keyword, "type") == 0) {
            CHECK_STR(e->instance_pointer, "/list/1/a~1b~0c");
            CHECK_STR(e->schema_pointer,
                      BASE "#/properties/list/items/properties/a~1b~0c/type");
            CHECK_STR(e->message, "5 is not of type 'string'");
            seen |= 1;
        }
        else if (strcmp(e->instance_pointer, "/list/1") == 0) {
            CHECK_STR(e->message, "'id' is a required property");
            CHECK_STR(e->schema_pointer, BASE "#/properties/list/items/required");
            seen |= 2;
        }
        else {
            CHECK_STR(e->instance_pointer, "");
            CHECK_STR(e->keyword, "required");
            seen |= 4;
        }
    }
    CHECK_INT(seen, 7);
    /* the cap */
    errors = run(f.schema, "{\"list\": [{\"id\": 1}, {\"a/b~c\": 5}]}", OA_MODE_NONE, 2, &valid);
    CHECK_INT(valid, 0);
    CHECK_INT(errors->nelts, 2);
    /* a subschema's location is where it is in the document */
    f = load_at("{\"definitions\": {\"n\": {\"type\": \"string\"}}}", "/definitions/n",
                OA_DIALECT_OAS30);
    errors = run(f.schema, "1", OA_MODE_NONE, 0, &valid);
    CHECK_STR(error_at(errors, 0)->schema_pointer, BASE "#/definitions/n/type");
    CHECK_STR(oa_schema_location(f.schema), BASE "#/definitions/n");
    /* errors under a $ref carry the target's location */
    f = load("{\"properties\": {\"p\": {\"$ref\": \"#/definitions/s\"}}, "
             "\"definitions\": {\"s\": {\"minimum\": 3}}}", OA_DIALECT_OAS30);
    errors = run(f.schema, "{\"p\": 1}", OA_MODE_NONE, 0, &valid);
    CHECK_STR(error_at(errors, 0)->schema_pointer, BASE "#/definitions/s/minimum");
    CHECK_STR(error_at(errors, 0)->instance_pointer, "/p");
}

static void test_keywords(void)
{
    CHECK_INT(is_valid("{\"maxLength\": 2}", "\"\xc3\xa9\xc3\xa9\"", OA_DIALECT_DRAFT4, 0), 1);
    CHECK_INT(is_valid("{\"maxLength\": 2}", "\"\xc3\xa9\xc3\xa9\xc3\xa9\"", OA_DIALECT_DRAFT4, 0), 0);
    CHECK_INT(is_valid("{\"minLength\": 2}", "\"\xf0\x9f\x98\x80\"", OA_DIALECT_DRAFT4, 0), 0);
    CHECK_INT(is_valid("{\"uniqueItems\": true}", "[{\"a\": 1, \"b\": [2]}, {\"b\": [2.0], \"a\": 1}]",
                       OA_DIALECT_DRAFT4, 0), 0);
    CHECK_INT(is_valid("{\"uniqueItems\": true}", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, "
                       "14, 15, 16, 17, 18, 19, \"0\", [0], {\"0\": 0}]", OA_DIALECT_DRAFT4, 0), 1);
    CHECK_INT(is_valid("{\"uniqueItems\": true}", "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, "
                       "14, 15, 16, 17, 18, 19, 7.0]", OA_DIALECT_DRAFT4, 0), 0);
    CHECK_INT(is_valid("{\"multipleOf\": 0.01}", "19.99", OA_DIALECT_DRAFT4, 0), 1);
    CHECK_INT(is_valid("{\"multipleOf\": 0.01}", "19.991", OA_DIALECT_DRAFT4, 0), 0);
    CHECK_INT(is_valid("{\"multipleOf\": 3}", "-9", OA_DIALECT_DRAFT4, 0), 1);
    CHECK_INT(is_valid("{\"multipleOf\": 1e-300}", "1e300", OA_DIALECT_DRAFT4, 0), 0);
    /* integers: 1.0 is one in OpenAPI, not in draft 4 */
    CHECK_INT(is_valid("{\"type\": \"integer\"}", "1.0", OA_DIALECT_DRAFT4, 0), 0);
    CHECK_INT(is_valid("{\"type\": \"integer\"}", "1.0", OA_DIALECT_OAS30, 0), 1);
    CHECK_INT(is_valid("{\"type\": \"integer\"}", "1.5", OA_DIALECT_OAS30, 0), 0);
    /* ECMA-262: '$' does not match before a final newline */
    CHECK_INT(is_valid("{\"pattern\": \"^a$\"}", "\"a\\n\"", OA_DIALECT_DRAFT4, 0), 0);
    CHECK_INT(is_valid("{\"pattern\": \"^\\\\u00e9$\"}", "\"\xc3\xa9\"", OA_DIALECT_DRAFT4, 0), 1);
    CHECK_INT(is_valid("{\"pattern\": \"^\\\\d+$\"}", "\"\xd9\xa3\"", OA_DIALECT_DRAFT4, 0), 0);
    CHECK_INT(is_valid("{\"patternProperties\": {\"^x-\": {\"type\": \"string\"}}, "
                       "\"additionalProperties\": false}", "{\"x-a\": \"1\"}", OA_DIALECT_DRAFT4, 0), 1);
    CHECK_INT(is_valid("{\"patternProperties\": {\"^x-\": {\"type\": \"string\"}}, "
                       "\"additionalProperties\": false}", "{\"x-a\": 1}", OA_DIALECT_DRAFT4, 0), 0);
    CHECK_INT(is_valid("{\"dependencies\": {\"a\": {\"required\": [\"c\"]}}}", "{\"a\": 1}",
                       OA_DIALECT_DRAFT4, 0), 0);
    /* $ref siblings are ignored */
    CHECK_INT(is_valid("{\"definitions\": {\"s\": {\"type\": \"string\"}}, "
                       "\"properties\": {\"p\": {\"$ref\": \"#/definitions/s\", \"maxLength\": 1}}}",
                       "{\"p\": \"long\"}", OA_DIALECT_OAS30, 0), 1);
    /* unknown formats are ignored */
    CHECK_INT(is_valid("{\"format\": \"no-such-format\"}", "\"x\"", OA_DIALECT_OAS30, 0), 1);
    /* recursion through $ref */
    CHECK_INT(is_valid("{\"type\": \"object\", \"properties\": {\"next\": {\"$ref\": \"#\"}, "
                       "\"v\": {\"type\": \"integer\"}}}",
                       "{\"v\": 1, \"next\": {\"v\": 2, \"next\": {\"v\": \"3\"}}}",
                       OA_DIALECT_DRAFT4, 0), 0);
}

static void test_formats(void)
{
    static const struct {
        const char *format;
        const char *instance;
        int valid;
    } cases[] = {
        {"int32", "2147483647", 1},        {"int32", "2147483648", 0},
        {"int32", "-2147483649", 0},       {"int32", "\"text\"", 1},
        {"int64", "9223372036854775807", 1}, {"int64", "1e19", 0},
        {"float", "1e39", 0},              {"float", "3.5", 1},
        {"double", "1e300", 1},            {"byte", "\"aGVsbG8=\"", 1},
        {"byte", "\"aGVsbG8\"", 0},        {"byte", "\"a*==\"", 0},
        {"binary", "\"\\u0001\"", 1},      {"password", "\"x\"", 1},
        {"date", "\"2024-02-29\"", 1},     {"date", "\"2023-02-29\"", 0},
        {"date", "\"2024-1-01\"", 0},      {"date-time", "\"2024-02-29T10:00:00Z\"", 1},
        {"date-time", "\"2024-02-29T10:00:00\"", 0},
        {"date-time", "\"2024-02-29 10:00:00Z\"", 0},
        {"date-time", "\"1998-12-31T23:59:60Z\"", 1},
        {"date-time", "\"1998-12-31T22:59:60Z\"", 0},
        {"time", "\"10:20:30.5+01:00\"", 1}, {"time", "\"25:00:00Z\"", 0},
        {"email", "\"a.b+c@example.org\"", 1}, {"email", "\"a@@b\"", 0},
        {"email", "\"a..b@example.org\"", 0}, {"hostname", "\"a-b.example\"", 1},
        {"hostname", "\"a_b.example\"", 0}, {"ipv4", "\"10.0.0.255\"", 1},
        {"ipv4", "\"10.0.0.01\"", 0},      {"ipv6", "\"fe80::1:2\"", 1},
        {"ipv6", "\"::ffff:10.0.0.1\"", 1}, {"ipv6", "\"1::2::3\"", 0},
        {"ipv6", "\"1:2:3:4:5:6:7:8\"", 1}, {"ipv6", "\"1:2:3:4:5:6:7\"", 0},
        {"uri", "\"https://example.org/a?b#c\"", 1}, {"uri", "\"/relative\"", 0},
        {"uri", "\"http://[::1]:80/\"", 1}, {"uri", "\"http://a b/\"", 0},
        {"uri-reference", "\"/relative?x#y\"", 1}, {"uri-reference", "\"a:b:c\"", 1},
        {"uri-reference", "\"%zz\"", 0},  {"uuid", "\"123e4567-e89b-12d3-a456-426614174000\"", 1},
        {"uuid", "\"123e4567e89b12d3a456426614174000\"", 0},
        {"regex", "\"^a(b|c)*$\"", 1},     {"regex", "\"^a\\\\Z\"", 0},
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *schema = apr_psprintf(pool, "{\"format\": \"%s\"}", cases[i].format);
        int valid = is_valid(schema, cases[i].instance, OA_DIALECT_OAS30, 0);
        if (valid != cases[i].valid)
            fprintf(stderr, "format %s on %s\n", cases[i].format, cases[i].instance);
        CHECK_INT(valid, cases[i].valid);
    }
}

static int check_money(const json_t *instance, void *baton)
{
    const char *text = json_string_value(instance);
    int *calls = baton;
    (*calls)++;
    return strlen(text) > 1 && text[0] == '$';
}

static void test_custom_format(void)
{
    int calls = 0;
    fixture f;
    json_t *ok = json_string("$12");
    json_t *bad = json_string("12");
    json_t *doc = json_loads("{\"properties\": {\"price\": {\"type\": \"string\", "
                             "\"format\": \"money\"}}}", 0, NULL);
    json_t *good_order = json_pack("{s:O}", "price", ok);
    json_t *bad_order = json_pack("{s:O}", "price", bad);
    apr_array_header_t *errors = NULL;
    f.docs = oa_docset_create(pool, NULL, NULL);
    f.reg = oa_schema_registry_create(pool, f.docs, OA_DIALECT_OAS30);
    f.diag = oa_diag_create(pool);
    oa_schema_register_format(f.reg, "money", check_money, &calls);
    oa_docset_add(f.docs, BASE, doc, NULL);
    f.schema = oa_schema_compile(f.reg, doc, BASE, f.diag);
    CHECK(f.schema != NULL);
    CHECK_INT(oa_schema_validate(f.schema, good_order, OA_MODE_NONE, pool, &errors, 0), 1);
    CHECK_INT(oa_schema_validate(f.schema, bad_order, OA_MODE_NONE, pool, &errors, 0), 0);
    CHECK_INT(errors->nelts, 1);
    CHECK_STR(error_at(errors, 0)->message, "'12' is not a 'money'");
    CHECK_STR(error_at(errors, 0)->instance_pointer, "/price");
    CHECK_INT(calls, 2);
    /* non-strings are not handed to a string checker */
    json_object_set_new(bad_order, "price", json_integer(3));
    CHECK_INT(oa_schema_validate(f.schema, bad_order, OA_MODE_NONE, pool, NULL, 0), 0);
    CHECK_INT(calls, 2);
    json_decref(ok);
    json_decref(bad);
    json_decref(good_order);
    json_decref(bad_order);
}

static const char *pet_spec =
    "{\"components\": {\"schemas\": {"
    "\"Pet\": {\"type\": \"object\", \"required\": [\"petType\"], "
    "  \"properties\": {\"petType\": {\"type\": \"string\"}, "
    "                  \"id\": {\"type\": \"integer\", \"readOnly\": true}, "
    "                  \"secret\": {\"type\": \"string\", \"writeOnly\": true}}, "
    "  \"discriminator\": {\"propertyName\": \"petType\"}}, "
    "\"Cat\": {\"allOf\": [{\"$ref\": \"#/components/schemas/Pet\"}, "
    "  {\"properties\": {\"meow\": {\"type\": \"integer\"}}}]}, "
    "\"Dog\": {\"allOf\": [{\"$ref\": \"#/components/schemas/Pet\"}, "
    "  {\"properties\": {\"bark\": {\"type\": \"boolean\"}}, \"required\": [\"bark\"]}]}, "
    "\"Choice\": {\"oneOf\": [{\"$ref\": \"#/components/schemas/Cat\"}, "
    "                        {\"$ref\": \"#/components/schemas/Dog\"}], "
    "  \"discriminator\": {\"propertyName\": \"petType\", "
    "                     \"mapping\": {\"kitty\": \"#/components/schemas/Cat\", \"doggy\": \"Dog\"}}}, "
    "\"Owner\": {\"type\": \"object\", \"required\": [\"id\", \"secret\", \"name\"], "
    "  \"properties\": {\"id\": {\"type\": \"integer\", \"readOnly\": true}, "
    "                  \"secret\": {\"type\": \"string\", \"writeOnly\": true}, "
    "                  \"name\": {\"type\": \"string\", \"nullable\": true, \"default\": \"anon\"}}}"
    "}}}";

static void test_read_write_only(void)
{
    fixture f = load_at(pet_spec, "/components/schemas/Owner", OA_DIALECT_OAS30);
    apr_array_header_t *errors;
    int valid;
    CHECK(f.schema != NULL);
    if (!f.schema)
        return;
    errors = run(f.schema, "{\"id\": 1, \"secret\": \"s\", \"name\": \"n\"}", OA_MODE_REQUEST, 0, &valid);
    CHECK_INT(valid, 0);
    CHECK_INT(errors->nelts, 1);
    CHECK_STR(error_at(errors, 0)->message, "'id' is read-only");
    CHECK_STR(error_at(errors, 0)->instance_pointer, "/id");
    CHECK_STR(error_at(errors, 0)->keyword, "readOnly");
    /* a required readOnly property is required in responses only */
    run(f.schema, "{\"secret\": \"s\", \"name\": null}", OA_MODE_REQUEST, 0, &valid);
    CHECK_INT(valid, 1);
    errors = run(f.schema, "{\"id\": 1, \"secret\": \"s\", \"name\": \"n\"}", OA_MODE_RESPONSE, 0, &valid);
    CHECK_INT(valid, 0);
    CHECK_STR(error_at(errors, 0)->message, "'secret' is write-only");
    run(f.schema, "{\"id\": 1, \"name\": \"n\"}", OA_MODE_RESPONSE, 0, &valid);
    CHECK_INT(valid, 1);
    errors = run(f.schema, "{\"name\": \"n\"}", OA_MODE_RESPONSE, 0, &valid);
    CHECK_STR(error_at(errors, 0)->message, "'id' is a required property");
    /* no mode: both directions allowed, both required */
    run(f.schema, "{\"id\": 1, \"secret\": \"s\", \"name\": \"n\"}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 1);
    /* the default and type of a property */
    f = load_at(pet_spec, "/components/schemas/Owner/properties/name", OA_DIALECT_OAS30);
    CHECK(oa_schema_default(f.schema) && json_is_string(oa_schema_default(f.schema)));
    CHECK_STR(oa_schema_type_name(f.schema), "string");
    f = load_at(pet_spec, "/components/schemas/Cat", OA_DIALECT_OAS30);
    CHECK(oa_schema_default(f.schema) == NULL);
    CHECK(oa_schema_type_name(f.schema) == NULL);
}

/* Counts written as reals past any size (fuzzing found 1e59: a cast out of range) mean
 * "more than any instance has". */
static void test_huge_counts(void)
{
    CHECK_INT(is_valid("{\"minItems\": 1e59}", "[1, 2]", OA_DIALECT_DRAFT2020, 0), 0);
    CHECK_INT(is_valid("{\"maxItems\": 1e59}", "[1, 2]", OA_DIALECT_DRAFT2020, 0), 1);
    CHECK_INT(is_valid("{\"minLength\": 1e300}", "\"abc\"", OA_DIALECT_OAS30, 0), 0);
    CHECK_INT(is_valid("{\"maxProperties\": 2.0}", "{\"a\": 1}", OA_DIALECT_OAS30, 0), 1);
}

static void test_nullable(void)
{
    CHECK_INT(is_valid("{\"type\": \"string\", \"nullable\": true}", "null", OA_DIALECT_OAS30, 0), 1);
    CHECK_INT(is_valid("{\"type\": \"string\", \"x-nullable\": true}", "null", OA_DIALECT_OAS30, 0), 1);
    CHECK_INT(is_valid("{\"type\": \"string\"}", "null", OA_DIALECT_OAS30, 0), 0);
    CHECK_INT(is_valid("{\"type\": \"string\", \"nullable\": true}", "null", OA_DIALECT_DRAFT4, 0), 0);
    expect_error("{\"type\": \"string\", \"nullable\": true}", "1",
                 "1 is not of type 'string', 'null'", "");
}

static void test_discriminator(void)
{
    fixture f = load_at(pet_spec, "/components/schemas/Choice", OA_DIALECT_OAS30);
    apr_array_header_t *errors;
    int valid;
    CHECK(f.schema != NULL);
    if (!f.schema)
        return;
    /* only the chosen branch's errors */
    errors = run(f.schema, "{\"petType\": \"Dog\", \"bark\": 1}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);
    CHECK_INT(errors->nelts, 1);
    CHECK_STR(error_at(errors, 0)->message, "1 is not of type 'boolean'");
    CHECK_STR(error_at(errors, 0)->instance_pointer, "/bark");
    run(f.schema, "{\"petType\": \"Dog\", \"bark\": true}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 1);
    /* explicit mapping, by reference and by name */
    errors = run(f.schema, "{\"petType\": \"kitty\", \"meow\": \"x\"}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);
    CHECK_STR(error_at(errors, 0)->instance_pointer, "/meow");
    run(f.schema, "{\"petType\": \"doggy\", \"bark\": false}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 1);
    errors = run(f.schema, "{\"petType\": \"Lizard\"}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);
    CHECK_STR(error_at(errors, 0)->message,
              "'Lizard' is not one of ['kitty', 'doggy', 'Cat', 'Dog']");
    CHECK_STR(error_at(errors, 0)->instance_pointer, "/petType");
    errors = run(f.schema, "{\"bark\": true}", OA_MODE_NONE, 0, &valid);
    CHECK_STR(error_at(errors, 0)->message, "'petType' is a required property");
    errors = run(f.schema, "{\"petType\": 7}", OA_MODE_NONE, 0, &valid);
    CHECK_STR(error_at(errors, 0)->message, "7 is not of type 'string'");
    CHECK_STR(error_at(errors, 0)->instance_pointer, "/petType");
    /* not an object: the oneOf it took over decides */
    errors = run(f.schema, "\"Dog\"", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);
    CHECK_STR(error_at(errors, 0)->keyword, "oneOf");

    /* schema names may hold dots */
    f = load_at("{\"components\": {\"schemas\": {"
                "\"com.example.A\": {\"required\": [\"a\"]}, "
                "\"U\": {\"oneOf\": [{\"$ref\": \"#/components/schemas/com.example.A\"}], "
                "\"discriminator\": {\"propertyName\": \"t\", \"mapping\": {\"x\": \"com.example.A\"}}}}}}",
                "/components/schemas/U", OA_DIALECT_OAS30);
    CHECK(f.schema != NULL);
    if (f.schema) {
        errors = run(f.schema, "{\"t\": \"x\"}", OA_MODE_NONE, 0, &valid);
        CHECK_STR(error_at(errors, 0)->message, "'a' is a required property");
    }

    /* 3.2 defaultMapping: the schema for an absent or unmapped discriminating value */
    f = load_at("{\"components\": {\"schemas\": {"
                "\"Cat\": {\"required\": [\"meow\"]}, \"Dog\": {\"required\": [\"bark\"]}, "
                "\"U\": {\"oneOf\": [{\"$ref\": \"#/components/schemas/Cat\"}, "
                "{\"$ref\": \"#/components/schemas/Dog\"}], "
                "\"discriminator\": {\"propertyName\": \"kind\", \"defaultMapping\": \"Cat\"}}}}}",
                "/components/schemas/U", OA_DIALECT_OAS31);
    CHECK(f.schema != NULL);
    if (f.schema) {
        run(f.schema, "{\"meow\": 1}", OA_MODE_NONE, 0, &valid);
        CHECK_INT(valid, 1);
        errors = run(f.schema, "{\"bark\": 1}", OA_MODE_NONE, 0, &valid);
        CHECK_INT(valid, 0);
        CHECK_STR(error_at(errors, 0)->message, "'meow' is a required property");
        errors = run(f.schema, "{\"kind\": \"Lizard\", \"bark\": 1}", OA_MODE_NONE, 0, &valid);
        CHECK_STR(error_at(errors, 0)->message, "'meow' is a required property");
        run(f.schema, "{\"kind\": \"Dog\", \"bark\": 1}", OA_MODE_NONE, 0, &valid);
        CHECK_INT(valid, 1);
    }

    /* inline branches and no mapping: nothing to choose by, plain oneOf */
    f = load("{\"oneOf\": [{\"type\": \"object\", \"required\": [\"a\"]}, "
             "{\"type\": \"object\", \"required\": [\"b\"]}], "
             "\"discriminator\": {\"propertyName\": \"kind\"}}", OA_DIALECT_OAS30);
    run(f.schema, "{\"a\": 1}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 1);
    errors = run(f.schema, "{\"a\": 1, \"b\": 2}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);
    CHECK_STR(error_at(errors, 0)->keyword, "oneOf");

    /* allOf inheritance, no oneOf: Pet dispatches to its subtypes */
    f = load_at(pet_spec, "/components/schemas/Pet", OA_DIALECT_OAS30);
    CHECK(f.schema != NULL);
    if (!f.schema)
        return;
    errors = run(f.schema, "{\"petType\": \"Cat\", \"meow\": \"loud\"}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);
    CHECK_INT(errors->nelts, 1);
    CHECK_STR(error_at(errors, 0)->instance_pointer, "/meow");
    run(f.schema, "{\"petType\": \"Cat\", \"meow\": 3}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 1);
    run(f.schema, "{\"petType\": \"Pet\"}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 1);
    errors = run(f.schema, "{\"petType\": \"Dog\"}", OA_MODE_NONE, 0, &valid);
    CHECK_STR(error_at(errors, 0)->message, "'bark' is a required property");

    /* Swagger 2.0: a string naming the property, values name definitions */
    f = load_at("{\"definitions\": {"
                "\"Base\": {\"discriminator\": \"kind\", \"required\": [\"kind\"], "
                "  \"properties\": {\"kind\": {\"type\": \"string\"}}}, "
                "\"Sub\": {\"allOf\": [{\"$ref\": \"#/definitions/Base\"}, "
                "  {\"properties\": {\"n\": {\"type\": \"integer\", \"x-nullable\": true}}}]}}}",
                "/definitions/Base", OA_DIALECT_OAS30);
    CHECK(f.schema != NULL);
    if (!f.schema)
        return;
    run(f.schema, "{\"kind\": \"Sub\", \"n\": null}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 1);
    run(f.schema, "{\"kind\": \"Sub\", \"n\": \"1\"}", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);
}

static void test_compile_errors(void)
{
    static const char *const broken[] = {
        "{\"type\": \"strin\"}",
        "{\"minLength\": -1}",
        "{\"pattern\": \"(\"}",
        "{\"$ref\": \"#/definitions/missing\"}",
        "{\"properties\": {\"a\": 5}}",
        "{\"required\": \"a\"}",
        "{\"items\": [{\"type\": 7}]}",
        "{\"allOf\": []}",
        "{\"enum\": 3}",
        "{\"multipleOf\": 0}",
        "{\"maximum\": \"3\"}",
        "{\"additionalProperties\": 1}",
        "{\"discriminator\": {\"mapping\": {}}}",
        "{\"discriminator\": {\"propertyName\": \"k\", \"mapping\": {\"a\": 1}}}",
        "{\"discriminator\": {\"propertyName\": \"k\", \"mapping\": {\"a\": \"#/nowhere\"}}}",
        "{\"readOnly\": \"yes\"}",
        "{\"not\": true}",
        "{\"$ref\": 5}",
        "{\"patternProperties\": {\"(\": {}}}",
        "[]",
    };
    size_t i;
    for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
        fixture f = load(broken[i], OA_DIALECT_OAS30);
        if (f.schema)
            fprintf(stderr, "compiled but broken: %s\n", broken[i]);
        CHECK(f.schema == NULL);
        CHECK(oa_diag_count(f.diag) >= 1);
    }
    /* every broken keyword is reported, not only the first */
    {
        fixture f = load("{\"properties\": {\"a\": {\"type\": \"x\"}, \"b\": {\"minimum\": \"y\"}}}",
                         OA_DIALECT_OAS30);
        CHECK(f.schema == NULL);
        CHECK_INT(oa_diag_count(f.diag), 2);
    }
    /* a schema compiled on the way to a broken one is not handed out later */
    {
        fixture f = load_at("{\"definitions\": {"
                            "\"A\": {\"type\": \"nope\", \"properties\": {\"b\": {\"$ref\": \"#/definitions/B\"}}}, "
                            "\"B\": {\"properties\": {\"a\": {\"$ref\": \"#/definitions/A\"}}}}}",
                            "/definitions/A", OA_DIALECT_OAS30);
        CHECK(f.schema == NULL);
        CHECK(oa_schema_compile(f.reg, oa_json_pointer_get(pool, f.doc, "/definitions/B", 0),
                                BASE, f.diag) == NULL);
    }
    /* a schema made up by the caller (not in any document) stays valid after the caller
     * lets it go: the registry keeps it */
    {
        fixture f = load("{}", OA_DIALECT_OAS30);
        json_t *made_up = json_pack("{s:s, s:i}", "type", "integer", "maximum", 9);
        json_t *ten = json_integer(10);
        oa_schema *schema = oa_schema_compile(f.reg, made_up, BASE, f.diag);
        json_decref(made_up);
        CHECK(schema != NULL);
        CHECK_INT(oa_schema_validate(schema, ten, OA_MODE_NONE, pool, NULL, 0), 0);
        json_decref(ten);
    }
    /* the memo: compiling a node twice gives the same schema */
    {
        fixture f = load("{\"type\": \"string\"}", OA_DIALECT_OAS30);
        CHECK(oa_schema_compile(f.reg, f.doc, BASE, f.diag) == f.schema);
    }
}

static double seconds_since(clock_t start)
{
    return (double)(clock() - start) / CLOCKS_PER_SEC;
}

static void test_limits(void)
{
    apr_array_header_t *errors;
    int valid, i;
    char *deep;
    clock_t start;
    fixture f = load("{\"items\": {\"$ref\": \"#\"}}", OA_DIALECT_DRAFT4);
    /* deep instances: a clear error, no crash */
    deep = apr_palloc(pool, 2 * 300 + 1);
    for (i = 0; i < 300; i++) {
        deep[i] = '[';
        deep[600 - 1 - i] = ']';
    }
    deep[600] = '\0';
    errors = run(f.schema, deep, OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);
    CHECK_STR(error_at(errors, 0)->keyword, "limit");
    CHECK_STR(error_at(errors, 0)->message, "instance nested too deeply");
    deep[200] = '\0';
    memset(deep + 100, ']', 100);
    run(f.schema, deep, OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 1);

    /* schemas recursing without progress */
    f = load("{\"allOf\": [{\"$ref\": \"#\"}]}", OA_DIALECT_DRAFT4);
    errors = run(f.schema, "1", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);
    CHECK_STR(error_at(errors, 0)->keyword, "limit");
    f = load("{\"definitions\": {\"a\": {\"$ref\": \"#/definitions/b\"}, "
             "\"b\": {\"$ref\": \"#/definitions/a\"}}, \"$ref\": \"#/definitions/a\"}",
             OA_DIALECT_DRAFT4);
    CHECK(f.schema != NULL);
    if (f.schema) {
        errors = run(f.schema, "1", OA_MODE_NONE, 0, &valid);
        CHECK_INT(valid, 0);
    }
    /* a limit inside `not` still makes the instance invalid */
    f = load("{\"not\": {\"allOf\": [{\"$ref\": \"#/not\"}]}}", OA_DIALECT_DRAFT4);
    run(f.schema, "1", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);

    /* nested anyOf: 2^40 paths, cut by the work limit */
    {
        const char *text = "{\"definitions\": {\"d0\": {\"type\": \"string\"}";
        for (i = 1; i <= 40; i++)
            text = apr_psprintf(pool,
                                "%s, \"d%d\": {\"anyOf\": [{\"$ref\": \"#/definitions/d%d\"}, "
                                "{\"$ref\": \"#/definitions/d%d\"}]}", text, i, i - 1, i - 1);
        text = apr_pstrcat(pool, text, "}, \"$ref\": \"#/definitions/d40\"}", NULL);
        f = load(text, OA_DIALECT_DRAFT4);
        start = clock();
        errors = run(f.schema, "1", OA_MODE_NONE, 0, &valid);
        CHECK_INT(valid, 0);
        CHECK(seconds_since(start) < 5);
        CHECK_STR(error_at(errors, 0)->keyword, "limit");
    }

    /* catastrophic backtracking is cut by the match limit, and it is not a pass */
    f = load("{\"pattern\": \"^(a+)+$\"}", OA_DIALECT_DRAFT4);
    start = clock();
    errors = run(f.schema, "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\"", OA_MODE_NONE, 0,
                 &valid);
    CHECK_INT(valid, 0);
    CHECK(seconds_since(start) < 5);
    CHECK_STR(error_at(errors, 0)->keyword, "limit");
    f = load("{\"not\": {\"pattern\": \"^(a+)+$\"}}", OA_DIALECT_DRAFT4);
    run(f.schema, "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\"", OA_MODE_NONE, 0, &valid);
    CHECK_INT(valid, 0);

    /* long $ref chains compile (refs are compiled from a work list, not recursively) */
    {
        const char *text = "{\"definitions\": {\"d0\": {\"type\": \"string\"}";
        for (i = 1; i <= 300; i++)
            text = apr_psprintf(pool, "%s, \"d%d\": {\"allOf\": [{\"$ref\": \"#/definitions/d%d\"}]}, "
                                "\"r%d\": {\"$ref\": \"#/definitions/%c%d\"}",
                                text, i, i - 1, i, i == 1 ? 'd' : 'r', i - 1);
        text = apr_pstrcat(pool, text, "}, \"properties\": {\"a\": {\"$ref\": \"#/definitions/d300\"}, "
                           "\"b\": {\"$ref\": \"#/definitions/r300\"}}}", NULL);
        f = load(text, OA_DIALECT_DRAFT4);
        CHECK(f.schema != NULL);
        if (f.schema) {
            run(f.schema, "{\"a\": \"x\", \"b\": \"y\"}", OA_MODE_NONE, 0, &valid);
            CHECK_INT(valid, 1);
            errors = run(f.schema, "{\"a\": 1, \"b\": 2}", OA_MODE_NONE, 0, &valid);
            CHECK_INT(valid, 0);
            CHECK_INT(errors->nelts, 2);
            CHECK_STR(error_at(errors, 0)->schema_pointer, BASE "#/definitions/d0/type");
        }
    }

    /* deep schemas are refused at compile time */
    {
        const char *text = "{}";
        for (i = 0; i < 300; i++)
            text = apr_pstrcat(pool, "{\"not\": ", text, "}", NULL);
        f = load(text, OA_DIALECT_DRAFT4);
        CHECK(f.schema == NULL);
        CHECK(oa_diag_count(f.diag) >= 1);
    }
}

/* Compiled schemas are shared by httpd's threads: validating concurrently must give
 * every thread the same answers (run under -fsanitize=thread to check for races). */
typedef struct thread_job {
    const oa_schema *schema;
    const json_t *good;
    const json_t *bad;
    int failures;
} thread_job;

static void *APR_THREAD_FUNC validate_in_thread(apr_thread_t *thread, void *data)
{
    thread_job *job = data;
    apr_pool_t *thread_pool;
    int i;
    apr_pool_create(&thread_pool, NULL);
    for (i = 0; i < 300; i++) {
        apr_array_header_t *errors = NULL;
        if (oa_schema_validate(job->schema, job->good, OA_MODE_REQUEST, thread_pool, &errors, 0) != 1 ||
            errors->nelts != 0)
            job->failures++;
        if (oa_schema_validate(job->schema, job->bad, OA_MODE_REQUEST, thread_pool, &errors, 0) != 0 ||
            errors->nelts != 3)
            job->failures++;
        apr_pool_clear(thread_pool);
    }
    apr_pool_destroy(thread_pool);
    /* returning (rather than apr_thread_exit, i.e. pthread_exit) keeps ASan's thread
     * teardown happy; APR then joins with status 0 */
    (void)thread;
    return NULL;
}

static void test_threads(void)
{
    fixture f = load("{\"type\": \"array\", \"items\": {\"type\": \"object\", \"required\": [\"s\"], "
                     "\"properties\": {\"s\": {\"pattern\": \"^[a-z]+[0-9]*$\"}, "
                     "\"e\": {\"enum\": [\"a\", \"b\"]}, \"d\": {\"format\": \"date-time\"}}}}",
                     OA_DIALECT_OAS30);
    json_t *good = json_loads("[{\"s\": \"abc1\", \"e\": \"a\", \"d\": \"2024-01-01T00:00:00Z\"}, "
                              "{\"s\": \"x\"}]", 0, NULL);
    json_t *bad = json_loads("[{\"s\": \"1abc\", \"e\": \"c\"}, {\"d\": \"yesterday\", \"s\": \"ok\"}]",
                             0, NULL);
    thread_job jobs[8];
    apr_thread_t *threads[8];
    int i;
    for (i = 0; i < 8; i++) {
        jobs[i].schema = f.schema;
        jobs[i].good = good;
        jobs[i].bad = bad;
        jobs[i].failures = 0;
        CHECK_INT(apr_thread_create(&threads[i], NULL, validate_in_thread, &jobs[i], pool),
                  APR_SUCCESS);
    }
    for (i = 0; i < 8; i++) {
        apr_status_t status;
        apr_thread_join(&status, threads[i]);
        CHECK_INT(jobs[i].failures, 0);
    }
    json_decref(good);
    json_decref(bad);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_messages();
    test_truncation();
    test_pointers_and_collection();
    test_keywords();
    test_formats();
    test_custom_format();
    test_read_write_only();
    test_nullable();
    test_huge_counts();
    test_discriminator();
    test_compile_errors();
    test_limits();
    test_threads();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
