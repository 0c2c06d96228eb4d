/* oa_mock_value alone: examples generated from schemas (named schemas of the mock
 * fixtures, each held to its schema; inline schemas), the mock's $ref following and its
 * broken references. */
#include <apr_general.h>
#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "response/oa_mock_value.h"
#include "spec/oa_spec.h"
#include "unit.h"
#include "unit_mock.h"
#include "unit_spec.h"

static apr_pool_t *pool;

/* short names for what most checks below do */
#define dump(value) unit_json_text(pool, (value))
#define path_get(value, pointer) unit_json_at(pool, (value), (pointer))

static oa_spec *load(const char *name)
{
    return unit_load_spec(pool, apr_pstrcat(pool, "tests/fixtures/specs/mock/", name, NULL),
                          0);
}

static json_t *generate_named(oa_spec *spec, const char *container, const char *name)
{
    oa_diag *diag = oa_diag_create(pool);
    json_t *node = unit_ref_node(spec->docs, oa_json_pointer_append(pool, container, name));
    json_t *value = oa_mock_example_from_schema(pool, spec->docs, node, spec->uri, diag);
    if (!value) {
        fprintf(stderr, "cannot generate %s:\n", name);
        unit_print_diag(pool, diag);
    }
    return value;
}

/* ---- generated values ---- */

static void test_generated_values(void)
{
    oa_spec *spec = load("tricky.yaml");
    const char *schemas = "#/components/schemas";
    json_t *v;
    CHECK(spec != NULL);
    if (!spec)
        return;

    v = generate_named(spec, schemas, "Pet");
    CHECK_STR(dump(v),
              "{\"avatar\":\"ZXhhbXBsZQ==\",\"born\":\"2024-01-01\","
              "\"createdAt\":\"2024-01-01T00:00:00Z\",\"createdBy\":\"string\","
              "\"email\":\"user@example.com\",\"host\":\"example.com\",\"id\":0,"
              "\"ip\":\"192.0.2.1\",\"ip6\":\"2001:db8::1\",\"level\":3,"
              "\"link\":\"/example/0\",\"name\":\"string\",\"nickname\":\"string\","
              "\"photo\":\"binary\",\"status\":\"available\",\"tag\":\"fluffy\","
              "\"uid\":\"3fa85f64-5717-4562-b3fc-2c963f66afa0\",\"vaccinated\":true,"
              "\"wakeUp\":\"00:00:00Z\",\"website\":\"https://example.com\",\"weight\":0}");
    CHECK(path_get(v, "/secret") == NULL); /* writeOnly */
    json_decref(v);

    /* recursion: optional recursive parts are left out, required ones kept minimal */
    v = generate_named(spec, schemas, "Tree");
    CHECK_STR(dump(v), "{\"value\":0}");
    json_decref(v);
    v = generate_named(spec, schemas, "TreeRequiredChildren");
    CHECK_STR(dump(v), "{\"children\":[]}");
    json_decref(v);
    v = generate_named(spec, schemas, "Ping");
    CHECK_STR(dump(v), "{\"pong\":{\"ping\":{}}}");
    json_decref(v);
    v = generate_named(spec, schemas, "EndlessChain"); /* ends, with a null somewhere */
    CHECK(json_is_object(v));
    json_decref(v);

    v = generate_named(spec, schemas, "Numbers");
    CHECK_INT(json_integer_value(path_get(v, "/stepped")), 6);
    CHECK_INT(json_integer_value(path_get(v, "/positive")), 1);
    CHECK(json_number_value(path_get(v, "/belowHalf")) == -1.5);
    CHECK(json_number_value(path_get(v, "/tenths")) == 0.3);
    CHECK(json_number_value(path_get(v, "/unitInterval")) == 0.5);
    CHECK_INT(json_integer_value(path_get(v, "/halves")), 5);
    CHECK_INT(json_integer_value(path_get(v, "/big")), 1000000);
    CHECK_INT(json_integer_value(path_get(v, "/negative")), -3);
    CHECK_INT(json_integer_value(path_get(v, "/exclusiveInt")), 8);
    CHECK(json_number_value(path_get(v, "/narrow")) == 2.5);
    CHECK_INT(json_integer_value(path_get(v, "/int32")), -1);
    json_decref(v);

    v = generate_named(spec, schemas, "Strings");
    CHECK_STR(json_string_value(path_get(v, "/long")), "stringxxxx");
    CHECK_STR(json_string_value(path_get(v, "/short")), "ing");
    CHECK_STR(json_string_value(path_get(v, "/code")), "AAA-0000");
    CHECK_STR(json_string_value(path_get(v, "/words")), "fooba"); /* z? written 0 times */
    CHECK_STR(json_string_value(path_get(v, "/sized")), "aaaaa");
    CHECK_STR(json_string_value(path_get(v, "/unanchored")), "abc");
    CHECK_STR(json_string_value(path_get(v, "/exact")), "ring");
    CHECK_STR(json_string_value(path_get(v, "/utf8")), "\xc3\xa9\xc3\xa9");
    CHECK_STR(json_string_value(path_get(v, "/semver")), "0.0.0");
    json_decref(v);

    v = generate_named(spec, schemas, "Arrays");
    CHECK_STR(dump(path_get(v, "/uniqueInts")), "[0,1,2]");
    CHECK_STR(dump(path_get(v, "/none")), "[]");
    CHECK_STR(dump(path_get(v, "/uniqueEnum")), "[\"a\",\"b\"]");
    CHECK_STR(dump(path_get(v, "/uniqueBools")), "[true,false]");
    CHECK_INT(json_array_size(path_get(v, "/many")), 50);
    CHECK_STR(dump(path_get(v, "/uniqueObjects")), "[{\"n\":0},{\"n\":1}]");
    CHECK_STR(dump(path_get(v, "/nested")), "[[\"string\"]]");
    CHECK_STR(dump(path_get(v, "/anything")), "[]");
    json_decref(v);

    v = generate_named(spec, schemas, "Map");
    CHECK_STR(dump(v), "{\"additionalProp1\":1}");
    json_decref(v);
    v = generate_named(spec, schemas, "MinProps");
    CHECK_STR(dump(v), "{\"additionalProp1\":true,\"only\":\"string\"}");
    json_decref(v);
    v = generate_named(spec, schemas, "MaxProps");
    CHECK_STR(dump(v), "{\"a\":\"string\",\"c\":\"string\"}");
    json_decref(v);

    v = generate_named(spec, schemas, "Cat");
    CHECK(json_is_true(path_get(v, "/meow")));
    CHECK_STR(json_string_value(path_get(v, "/name")), "string");
    json_decref(v);
    v = generate_named(spec, schemas, "Shape"); /* the mapping's first entry */
    CHECK_STR(json_string_value(path_get(v, "/kind")), "sq");
    CHECK(json_is_number(path_get(v, "/side")));
    json_decref(v);
    v = generate_named(spec, schemas, "ShapeImplicit");
    CHECK_STR(json_string_value(path_get(v, "/kind")), "Circle");
    json_decref(v);
    v = generate_named(spec, schemas, "Dog");
    CHECK_STR(json_string_value(path_get(v, "/animalType")), "Dog");
    json_decref(v);
    v = generate_named(spec, schemas, "Animal");
    CHECK_STR(json_string_value(path_get(v, "/animalType")), "Animal");
    json_decref(v);
    v = generate_named(spec, schemas, "Kennel");
    CHECK_STR(json_string_value(path_get(v, "/dogs/0/animalType")), "Dog");
    CHECK_STR(json_string_value(path_get(v, "/animal/animalType")), "Animal");
    json_decref(v);

    v = generate_named(spec, schemas, "StringOrNumber");
    CHECK_STR(json_string_value(v), "string");
    json_decref(v);
    v = generate_named(spec, schemas, "AllOfScalars");
    CHECK_STR(json_string_value(v), "2024-01-01");
    json_decref(v);
    v = generate_named(spec, schemas, "Untyped");
    CHECK(json_is_null(v));
    json_decref(v);
    v = generate_named(spec, schemas, "InferredObject");
    CHECK_STR(dump(v), "{\"a\":\"string\"}");
    json_decref(v);
    v = generate_named(spec, schemas, "InferredArray");
    CHECK_STR(dump(v), "[0]");
    json_decref(v);
    v = generate_named(spec, schemas, "InferredString");
    CHECK_STR(dump(v), "\"ng\"");
    json_decref(v);
    v = generate_named(spec, schemas, "InferredNumber");
    CHECK_STR(dump(v), "4");
    json_decref(v);
    v = generate_named(spec, schemas, "RequiredUndeclared");
    CHECK_STR(dump(v), "{\"extra\":0}");
    json_decref(v);
    v = generate_named(spec, schemas, "NestedExample");
    CHECK_STR(dump(v), "{\"inner\":{\"given\":true}}");
    json_decref(v);
    v = generate_named(spec, schemas, "Deep"); /* optional parts stop at the depth bound */
    CHECK(path_get(v, "/l1/l2/l3/l4/l5/l6/l7/l8/r") != NULL);
    CHECK(path_get(v, "/l1/l2/l3/l4/l5/l6/l7/l8/l9") == NULL);
    json_decref(v);
    v = generate_named(spec, schemas, "Fanout"); /* the node budget bounds the size */
    CHECK(json_is_object(v));
    {
        char *text = json_dumps(v, JSON_COMPACT);
        CHECK(text && strlen(text) < 200000);
        free(text);
    }
    json_decref(v);
}

/* Every schema of a fixture: generated (through a $ref, as responses reach them) and
 * validated. Schemas marked x-mock-unsatisfiable must still give a value. */
static void validate_all_named(oa_spec *spec, const char *container, int *valid, int *total,
                               int *unsatisfiable)
{
    json_t *schemas = oa_json_pointer_get(pool, spec->root, container + 1, 0);
    const char *name;
    json_t *schema;
    json_object_foreach(schemas, name, schema) {
        const char *pointer = oa_json_pointer_append(pool, container, name);
        json_t *value = generate_named(spec, container, name);
        int expect_valid = !json_object_get(schema, "x-mock-unsatisfiable");
        CHECK(value != NULL);
        if (!value)
            continue;
        if (expect_valid) {
            (*total)++;
            if (unit_generated_validates(pool, spec->docs, unit_ref_node(spec->docs, pointer), spec->uri, value, name))
                (*valid)++;
        }
        else {
            printf("  %s (not expected to validate): %.100s\n", name, dump(value));
            (*unsatisfiable)++;
        }
        json_decref(value);
    }
}

static void test_fixture_schemas_validate(void)
{
    oa_spec *v3 = load("tricky.yaml");
    oa_spec *v2 = load("swagger.yaml");
    int valid = 0;
    int total = 0;
    int unsatisfiable = 0;
    CHECK(v3 && v2);
    if (!(v3 && v2))
        return;
    validate_all_named(v3, "#/components/schemas", &valid, &total, &unsatisfiable);
    validate_all_named(v2, "#/definitions", &valid, &total, &unsatisfiable);
    printf("fixture schemas: %d of %d generated examples validate (and %d marked "
           "x-mock-unsatisfiable)\n", valid, total, unsatisfiable);
    CHECK_INT(unsatisfiable, 3);
    CHECK_INT(valid, total);
    CHECK(total >= 40);
}


/* ---- inline schemas in a document of their own ---- */

static oa_docset *inline_docs(const char *uri, const char *text, json_t **doc)
{
    oa_docset *docs = oa_docset_create(pool, NULL, NULL);
    *doc = json_loads(text, 0, NULL);
    CHECK(*doc != NULL);
    if (*doc)
        oa_docset_add(docs, uri, *doc, NULL);
    return docs;
}

static const char *generate_at(oa_docset *docs, json_t *doc, const char *uri,
                               const char *pointer)
{
    oa_diag *diag = oa_diag_create(pool);
    json_t *value = oa_mock_example_from_schema(pool, docs,
                                                oa_json_pointer_get(pool, doc, pointer, 0),
                                                uri, diag);
    const char *text = value ? dump(value) : oa_diag_line(pool, diag, 0);
    json_decref(value);
    return text;
}

static void test_inline_schemas(void)
{
    const char *uri = "file:///mock/inline.json";
    json_t *doc;
    oa_docset *docs = inline_docs(uri,
        "{\"plain\":{\"type\":\"string\"},"
        " \"chain\":{\"$ref\":\"#/middle\"}, \"middle\":{\"$ref\":\"#/target\"},"
        " \"target\":{\"type\":\"integer\",\"minimum\":7},"
        " \"pattern\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{2}-\\\\d{3}$\"},"
        " \"enum\":{\"enum\":[\"x\",\"y\"]},"
        " \"hidden\":{\"type\":\"object\",\"required\":[\"a\"],"
        "   \"properties\":{\"a\":{\"type\":\"boolean\"},"
        "                   \"pw\":{\"type\":\"string\",\"writeOnly\":true}}},"
        " \"loop\":{\"$ref\":\"#/loop\"},"
        " \"broken\":{\"items\":{\"$ref\":\"#/nope\"}},"
        " \"anchor\":{\"$ref\":\"#thing\"}}", &doc);
    if (!doc)
        return;
    CHECK_STR(generate_at(docs, doc, uri, "/plain"), "\"string\"");
    CHECK_STR(generate_at(docs, doc, uri, "/chain"), "7");
    CHECK_STR(generate_at(docs, doc, uri, "/pattern"), "\"AA-000\"");
    CHECK_STR(generate_at(docs, doc, uri, "/enum"), "\"x\"");
    CHECK_STR(generate_at(docs, doc, uri, "/hidden"), "{\"a\":true}");
    CHECK(strstr(generate_at(docs, doc, uri, "/loop"), "reference loop") != NULL);
    CHECK(strstr(generate_at(docs, doc, uri, "/broken"), "nothing at '#/nope'") != NULL);
    CHECK(strstr(generate_at(docs, doc, uri, "/anchor"), "no schema is named '#thing'") != NULL);
}

static void test_follow_ref(void)
{
    const char *uri = "file:///mock/follow.json";
    json_t *doc;
    oa_docset *docs = inline_docs(uri,
        "{\"a\":{\"$ref\":\"#/b\"}, \"b\":{\"$ref\":\"#/c\"}, \"c\":{\"type\":\"null\"},"
        " \"loop\":{\"$ref\":\"#/loop\"}, \"missing\":{\"$ref\":\"other.json#/x\"}}", &doc);
    const char *base = NULL;
    oa_diag *diag = oa_diag_create(pool);
    if (!doc)
        return;
    CHECK(oa_docset_follow(docs, pool, json_object_get(doc, "a"), uri, &base, diag) ==
          json_object_get(doc, "c"));
    CHECK_STR(base, uri);
    CHECK(oa_docset_follow(docs, pool, json_object_get(doc, "c"), uri, &base, diag) ==
          json_object_get(doc, "c"));
    CHECK_INT(oa_diag_count(diag), 0);
    CHECK(oa_docset_follow(docs, pool, json_object_get(doc, "loop"), uri, &base, diag) ==
          NULL);
    CHECK_INT(oa_diag_count(diag), 1);
    CHECK(oa_docset_follow(docs, pool, json_object_get(doc, "missing"), uri, &base,
                           diag) == NULL);
    CHECK_INT(oa_diag_count(diag), 2);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_generated_values();
    test_fixture_schemas_validate();
    test_inline_schemas();
    test_follow_ref();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
