/* Unit tests of the validator's later dialects (draft 6/7, 2019-09, 2020-12, OpenAPI
 * 3.1): messages, instance pointers and schema locations of the new keywords, annotation
 * collection for unevaluated*, $dynamicRef, dialect choice by $schema, format and content
 * as annotations or assertions, the built-in metaschemas, and NUL characters in strings.
 * The JSON-Schema-Test-Suite (test_schema_suite) covers conformance. */
#include "schema/oa_schema.h"
#include "unit.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#define BASE "mem:///s.json"

static apr_pool_t *pool;

/* Compiles text (a whole document) for dialect; NULL when it does not compile (the first
 * diagnostic in *why). */
static oa_schema *compile(const char *text, oa_dialect dialect, int assert_formats,
                          const char **why)
{
    oa_docset *docs = oa_docset_create(pool, NULL, NULL);
    oa_schema_registry *reg = oa_schema_registry_create(pool, docs, dialect);
    oa_diag *diag = oa_diag_create(pool);
    json_error_t error;
    json_t *doc = json_loads(text, JSON_ALLOW_NUL, &error);
    oa_schema *schema;
    *why = NULL;
    if (!doc) {
        *why = apr_pstrdup(pool, error.text);
        return NULL;
    }
    oa_schema_registry_assert_formats(reg, assert_formats);
    oa_docset_add(docs, BASE, doc, NULL);
    schema = oa_schema_compile(reg, doc, BASE, diag);
    if (!schema)
        *why = oa_diag_count(diag) ? oa_diag_line(pool, diag, 0) : "no diagnostic";
    return schema;
}

/* Validates instance_text; returns the errors (NULL when valid). */
static apr_array_header_t *check(const char *schema_text, oa_dialect dialect,
                                 int assert_formats, oa_validation_mode mode,
                                 const char *instance_text)
{
    const char *why;
    oa_schema *schema = compile(schema_text, dialect, assert_formats, &why);
    json_t *instance = json_loads(instance_text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    apr_array_header_t *errors = NULL;
    int valid;
    if (!schema || !instance) {
        fprintf(stderr, "cannot run %s on %s: %s\n", schema_text, instance_text,
                why ? why : "bad instance");
        CHECK(0);
        json_decref(instance);
        return NULL;
    }
    valid = oa_schema_validate(schema, instance, mode, pool, &errors, 0);
    CHECK_INT(oa_schema_validate(schema, instance, mode, pool, NULL, 0), valid);
    json_decref(instance);
    if (!valid)
        CHECK(errors->nelts > 0);
    return valid ? NULL : errors;
}

static int valid_2020(const char *schema_text, const char *instance_text)
{
    return check(schema_text, OA_DIALECT_DRAFT2020, 0, OA_MODE_NONE, instance_text) == NULL;
}

/* One error expected, with its message, instance pointer and schema location (after
 * BASE "#"). */
static void expect(const char *schema_text, const char *instance_text, const char *message,
                   const char *pointer, const char *location)
{
    apr_array_header_t *errors =
        check(schema_text, OA_DIALECT_DRAFT2020, 0, OA_MODE_NONE, instance_text);
    const oa_schema_error *error;
    CHECK(errors != NULL);
    if (!errors)
        return;
    CHECK_INT(errors->nelts, 1);
    error = &APR_ARRAY_IDX(errors, 0, oa_schema_error);
    CHECK_STR(error->message, message);
    CHECK_STR(error->instance_pointer, pointer);
    CHECK_STR(error->schema_pointer, apr_pstrcat(pool, BASE "#", location, NULL));
}

static void test_messages(void)
{
    expect("{\"const\": 3}", "4", "3 was expected", "", "/const");
    expect("{\"properties\": {\"a\": false}}", "{\"a\": 1}", "False schema does not allow 1",
           "/a", "/properties/a");
    expect("{\"exclusiveMinimum\": 2}", "2", "2 is less than or equal to the minimum of 2", "",
           "/exclusiveMinimum");
    expect("{\"type\": [\"string\", \"null\"]}", "1", "1 is not of type 'string', 'null'", "",
           "/type");
    expect("{\"contains\": {\"type\": \"string\"}}", "[1]",
           "[1] does not contain items matching the given schema", "", "/contains");
    expect("{\"contains\": {\"type\": \"integer\"}, \"maxContains\": 1}", "[1, 2]",
           "[1, 2] has too many items matching the given schema (at most 1 expected, 2 found)",
           "", "/contains");
    expect("{\"dependentRequired\": {\"a\": [\"b\"]}}", "{\"a\": 1}",
           "'b' is a dependency of 'a'", "", "/dependentRequired");
    expect("{\"propertyNames\": {\"maxLength\": 2}}", "{\"abc\": 1}", "'abc' is too long",
           "/abc", "/propertyNames/maxLength");
    expect("{\"prefixItems\": [{\"type\": \"integer\"}], \"items\": false}", "[1, 2]",
           "False schema does not allow 2", "/1", "/items");
    expect("{\"if\": {\"minimum\": 10}, \"then\": {\"multipleOf\": 10}, \"else\": {\"maximum\": 0}}",
           "5", "5 is greater than the maximum of 0", "", "/else/maximum");
    /* $ref beside other keywords: both apply; the error names the target's keyword */
    expect("{\"$ref\": \"#/$defs/named\", \"required\": [\"id\"],"
           " \"$defs\": {\"named\": {\"required\": [\"name\"]}}}",
           "{\"id\": 1}", "'name' is a required property", "", "/$defs/named/required");
    expect("{\"properties\": {\"a\": {}}, \"unevaluatedProperties\": false}",
           "{\"a\": 1, \"b\": 2, \"c\": 3}",
           "Unevaluated properties are not allowed ('b', 'c' were unexpected)", "",
           "/unevaluatedProperties");
    expect("{\"prefixItems\": [{}], \"unevaluatedItems\": {\"type\": \"string\"}}", "[1, 2]",
           "2 is not of type 'string'", "/1", "/unevaluatedItems/type");
}

static void test_unevaluated(void)
{
    const char *any_of = "{\"anyOf\": [{\"properties\": {\"a\": {}}}, {\"properties\": {\"b\": {}}}],"
                         " \"unevaluatedProperties\": false}";
    const char *nested = "{\"allOf\": [{\"$ref\": \"#/$defs/base\"}], \"properties\": {\"c\": {}},"
                         " \"unevaluatedProperties\": false,"
                         " \"$defs\": {\"base\": {\"properties\": {\"a\": {}},"
                         " \"if\": {\"required\": [\"a\"]}, \"then\": {\"properties\": {\"b\": {}}}}}}";
    /* every passing anyOf branch counts, failing ones do not */
    CHECK(valid_2020(any_of, "{\"a\": 1, \"b\": 2}"));
    CHECK(!valid_2020(any_of, "{\"a\": 1, \"x\": 2}"));
    CHECK(!valid_2020("{\"oneOf\": [{\"properties\": {\"a\": {\"type\": \"string\"}}}, {}],"
                      " \"unevaluatedProperties\": false}", "{\"a\": 1}"));
    /* through allOf, $ref and if/then */
    CHECK(valid_2020(nested, "{\"a\": 1, \"b\": 2, \"c\": 3}"));
    CHECK(!valid_2020(nested, "{\"b\": 2}"));
    /* not: never annotates */
    CHECK(!valid_2020("{\"not\": {\"not\": {\"properties\": {\"a\": {}}}},"
                      " \"unevaluatedProperties\": false}", "{\"a\": 1}"));
    /* contains annotates items in 2020-12, not in 2019-09 */
    CHECK(valid_2020("{\"contains\": {\"type\": \"string\"}, \"unevaluatedItems\": false}",
                     "[\"a\", \"b\"]"));
    CHECK(check("{\"contains\": {\"type\": \"string\"}, \"unevaluatedItems\": false}",
                OA_DIALECT_DRAFT2019, 0, OA_MODE_NONE, "[\"a\"]") != NULL);
    /* a nested object is judged by its own schema */
    CHECK(valid_2020("{\"properties\": {\"o\": {\"unevaluatedProperties\": false}},"
                     " \"unevaluatedProperties\": false}", "{\"o\": {}}"));
    CHECK(!valid_2020("{\"properties\": {\"o\": {\"unevaluatedProperties\": false}}}",
                      "{\"o\": {\"x\": 1}}"));
}

static void test_dynamic_ref(void)
{
    /* a tree whose nodes an extension makes strict through $dynamicAnchor */
    const char *strict =
        "{\"$id\": \"https://example.com/strict-tree\", \"$dynamicAnchor\": \"node\","
        " \"$ref\": \"tree\", \"unevaluatedProperties\": false,"
        " \"$defs\": {\"tree\": {\"$id\": \"https://example.com/tree\", \"$dynamicAnchor\": \"node\","
        " \"type\": \"object\", \"properties\": {\"data\": true, \"children\":"
        " {\"type\": \"array\", \"items\": {\"$dynamicRef\": \"#node\"}}}}}}";
    CHECK(valid_2020(strict, "{\"children\": [{\"data\": 1, \"children\": []}]}"));
    CHECK(!valid_2020(strict, "{\"children\": [{\"daat\": 1}]}"));
    /* 2019-09 $recursiveRef */
    CHECK(check("{\"$schema\": \"https://json-schema.org/draft/2019-09/schema\","
                " \"$recursiveAnchor\": true, \"properties\": {\"n\": {\"$recursiveRef\": \"#\"}},"
                " \"type\": \"object\"}",
                OA_DIALECT_DRAFT4, 0, OA_MODE_NONE, "{\"n\": {\"n\": 1}}") != NULL);
}

static void test_dialects(void)
{
    const char *why;
    /* $schema picks the dialect whatever the registry's default (but OpenAPI 3.0 has none) */
    CHECK(check("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
                " \"items\": false}", OA_DIALECT_DRAFT4, 0, OA_MODE_NONE, "[1]") != NULL);
    CHECK(compile("{\"items\": false}", OA_DIALECT_DRAFT4, 0, &why) == NULL);
    CHECK(why && strncmp(why, "items must be a schema or an array of schemas", 45) == 0);
    CHECK(compile("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
                  " \"prefixItems\": {}}", OA_DIALECT_DRAFT4, 0, &why) == NULL);
    CHECK(why && strncmp(why, "prefixItems must be a non-empty array of schemas", 48) == 0);
    /* OpenAPI 3.0 schemas have no $schema: it is just an unknown keyword there */
    CHECK(compile("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\","
                  " \"prefixItems\": {}}", OA_DIALECT_OAS30, 0, &why) != NULL);
    /* draft 4 and OpenAPI 3.0 ignore keywords beside $ref; draft 7 too; 2020-12 does not */
    CHECK(check("{\"$ref\": \"#/definitions/a\", \"maximum\": 1, \"definitions\": {\"a\": {}}}",
                OA_DIALECT_OAS30, 0, OA_MODE_NONE, "5") == NULL);
    CHECK(check("{\"$ref\": \"#/definitions/a\", \"maximum\": 1, \"definitions\": {\"a\": {}}}",
                OA_DIALECT_DRAFT7, 0, OA_MODE_NONE, "5") == NULL);
    CHECK(!valid_2020("{\"$ref\": \"#/$defs/a\", \"maximum\": 1, \"$defs\": {\"a\": {}}}", "5"));
    /* the type a parameter string is cast to: the non-null one of a pair */
    {
        oa_schema *pair = compile("{\"type\": [\"null\", \"integer\"]}", OA_DIALECT_OAS31, 0,
                                  &why);
        CHECK(pair && oa_schema_type_name(pair) &&
              strcmp(oa_schema_type_name(pair), "integer") == 0);
        pair = compile("{\"type\": [\"string\", \"integer\"]}", OA_DIALECT_OAS31, 0, &why);
        CHECK(pair && oa_schema_type_name(pair) == NULL);
    }
    /* 1.0 is an integer from draft 6 on */
    CHECK(check("{\"type\": \"integer\"}", OA_DIALECT_DRAFT6, 0, OA_MODE_NONE, "1.0") == NULL);
    /* OpenAPI 3.1: readOnly enforced by mode, nullable means nothing (type arrays do) */
    CHECK(check("{\"properties\": {\"id\": {\"readOnly\": true}}}", OA_DIALECT_OAS31, 0,
                OA_MODE_REQUEST, "{\"id\": 1}") != NULL);
    CHECK(check("{\"type\": \"string\", \"nullable\": true}", OA_DIALECT_OAS31, 0, OA_MODE_NONE,
                "null") != NULL);
    CHECK(check("{\"discriminator\": {\"propertyName\": \"kind\"}, \"oneOf\": ["
                "{\"$ref\": \"#/$defs/Cat\"}, {\"$ref\": \"#/$defs/Dog\"}],"
                " \"$defs\": {\"Cat\": {\"required\": [\"meow\"]}, \"Dog\": {}}}",
                OA_DIALECT_OAS31, 0, OA_MODE_NONE, "{\"kind\": \"Cat\"}") != NULL);
}

/* Schemas inside an OpenAPI 3.1 document (not a schema itself): their $id and $anchor are
 * known before the first $ref is followed, whichever schema is compiled first */
static void test_ids_inside_a_spec(void)
{
    const char *spec = "{\"openapi\": \"3.1.0\", \"components\": {\"schemas\": {"
                       "\"B\": {\"$ref\": \"https://example.com/a#count\"},"
                       "\"A\": {\"$id\": \"https://example.com/a\", \"$defs\": {"
                       "\"c\": {\"$anchor\": \"count\", \"type\": \"integer\"}}}}}}";
    oa_docset *docs = oa_docset_create(pool, NULL, NULL);
    oa_schema_registry *reg = oa_schema_registry_create(pool, docs, OA_DIALECT_OAS31);
    oa_diag *diag = oa_diag_create(pool);
    json_t *doc = json_loads(spec, 0, NULL);
    json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
    json_t *instance = json_string("x");
    oa_schema *a, *b;
    oa_docset_add(docs, BASE, doc, NULL);
    b = oa_schema_compile(reg, json_object_get(schemas, "B"), BASE, diag);
    a = oa_schema_compile(reg, json_object_get(schemas, "A"), BASE, diag);
    CHECK(a != NULL);
    CHECK(b != NULL);
    if (b)
        CHECK_INT(oa_schema_validate(b, instance, OA_MODE_NONE, pool, NULL, 0), 0);
    json_decref(instance);
}

static void test_formats_and_content(void)
{
    const char *date = "{\"format\": \"date\"}";
    const char *content = "{\"contentEncoding\": \"base64\", \"contentMediaType\": \"application/json\"}";
    /* annotation in 2019-09 / 2020-12, assertion when asked, and in draft 7 */
    CHECK(valid_2020(date, "\"yesterday\""));
    CHECK(check(date, OA_DIALECT_DRAFT2020, 1, OA_MODE_NONE, "\"yesterday\"") != NULL);
    CHECK(check(date, OA_DIALECT_DRAFT7, 0, OA_MODE_NONE, "\"yesterday\"") != NULL);
    CHECK(check("{\"format\": \"duration\"}", OA_DIALECT_DRAFT2020, 1, OA_MODE_NONE,
                "\"P1DT2H\"") == NULL);
    CHECK(valid_2020(content, "\"%%%\""));
    CHECK(check(content, OA_DIALECT_DRAFT2020, 1, OA_MODE_NONE, "\"eyJhIjogMX0=\"") == NULL);
    CHECK(check(content, OA_DIALECT_DRAFT2020, 1, OA_MODE_NONE, "\"e30\"") != NULL);
    CHECK(check(content, OA_DIALECT_DRAFT2020, 1, OA_MODE_NONE, "\"bm90IGpzb24=\"") != NULL);
}

static void test_metaschemas_built_in(void)
{
    const char *meta = "{\"$ref\": \"https://json-schema.org/draft/2020-12/schema\"}";
    const char *oas = "{\"$ref\": \"https://spec.openapis.org/oas/3.1/dialect/base\"}";
    CHECK(valid_2020(meta, "{\"type\": \"string\", \"prefixItems\": [true]}"));
    CHECK(!valid_2020(meta, "{\"type\": \"strnig\"}"));
    CHECK(!valid_2020(meta, "{\"minLength\": -1}"));
    CHECK(valid_2020(oas, "{\"discriminator\": {\"propertyName\": \"kind\"}, \"example\": 1}"));
    CHECK(!valid_2020(oas, "{\"discriminator\": {}}"));
    CHECK(!valid_2020(oas, "{\"properties\": {\"a\": {\"xml\": {\"wrapped\": 1}}}}"));
    CHECK(check("{\"$ref\": \"http://json-schema.org/draft-07/schema#\"}", OA_DIALECT_DRAFT7, 0,
                OA_MODE_NONE, "{\"if\": 3}") != NULL);
    CHECK(check("{\"$ref\": \"http://json-schema.org/draft-04/schema#\"}", OA_DIALECT_DRAFT4, 0,
                OA_MODE_NONE, "{\"exclusiveMinimum\": 3}") != NULL);
}

static void test_nul_characters(void)
{
    CHECK(valid_2020("{\"const\": \"a\\u0000b\"}", "\"a\\u0000b\""));
    CHECK(!valid_2020("{\"const\": \"a\\u0000b\"}", "\"a\""));
    CHECK(valid_2020("{\"maxLength\": 3}", "\"a\\u0000b\""));
    CHECK(!valid_2020("{\"maxLength\": 2}", "\"a\\u0000b\""));
    CHECK(valid_2020("{\"enum\": [\"\\u0000\", 1]}", "\"\\u0000\""));
    CHECK(!valid_2020("{\"pattern\": \"^a$\"}", "\"a\\u0000\""));
    /* (jansson refuses NUL in object keys: member names cannot hold one) */
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_messages();
    test_unevaluated();
    test_dynamic_ref();
    test_dialects();
    test_ids_inside_a_spec();
    test_formats_and_content();
    test_metaschemas_built_in();
    test_nul_characters();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
