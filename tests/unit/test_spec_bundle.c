/* oa_spec_bundle (one document from a spec and its files) and oa_yaml_emit (JSON as YAML,
 * read back to the same value). */
#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#include "doc/oa_docset.h"
#include "doc/oa_parse.h"
#include "doc/oa_yaml_emit.h"
#include "spec/oa_spec_bundle.h"
#include "unit.h"
#include "unit_spec.h"

static apr_pool_t *pool;

/* Every $ref of the bundle points inside it; counts them. */
static int check_refs(json_t *root, json_t *node, int *bad)
{
    int count = 0;
    if (json_is_object(node)) {
        const char *key;
        json_t *value;
        json_object_foreach(node, key, value) {
            if (strcmp(key, "$ref") == 0 && json_is_string(value)) {
                const char *ref = json_string_value(value);
                count++;
                if (ref[0] != '#' || !oa_json_pointer_get(pool, root, ref + 1, 1)) {
                    printf("  not inside the bundle: %s\n", ref);
                    (*bad)++;
                }
            }
            else
                count += check_refs(root, value, bad);
        }
    }
    else if (json_is_array(node)) {
        size_t i;
        json_t *value;
        json_array_foreach(node, i, value)
            count += check_refs(root, value, bad);
    }
    return count;
}

static void check_yaml_round_trip(json_t *value)
{
    apr_size_t length = 0;
    const char *text = oa_yaml_emit(pool, value, &length);
    oa_diag *diag = oa_diag_create(pool);
    json_t *back;
    CHECK(text != NULL);
    if (!text)
        return;
    back = oa_parse_buffer(pool, "emitted.yaml", text, length, NULL, diag);
    CHECK(back != NULL);
    CHECK(json_equal(back, value));
    if (back && !json_equal(back, value))
        printf("%s\n", text);
    json_decref(back);
}

static void test_split_spec_is_bundled(void)
{
    oa_spec *spec = unit_load_spec(pool, "tests/fixtures/specs/split/api.yaml", 0);
    oa_diag *diag = oa_diag_create(pool);
    json_t *bundled;
    json_t *get;
    int bad = 0;
    CHECK(spec != NULL);
    if (!spec)
        return;
    bundled = oa_spec_bundle(spec, diag);
    CHECK(bundled != NULL);
    if (!bundled)
        return;
    /* the path item of paths/things.yaml and the parameter of common.yaml are copied in */
    get = oa_json_pointer_get(pool, bundled, "/paths/~1things~1{thingId}/get", 0);
    CHECK(json_is_object(get));
    CHECK_STR(json_string_value(json_object_get(get, "operationId")), "echo.get_thing");
    CHECK_STR(json_string_value(oa_json_pointer_get(pool, get, "/parameters/0/name", 0)),
              "thingId");
    /* a reference inside the root stays a reference */
    CHECK_STR(json_string_value(oa_json_pointer_get(
                  pool, bundled, "/components/schemas/Node/properties/children/items/$ref",
                  0)),
              "#/components/schemas/Node");
    CHECK(check_refs(bundled, bundled, &bad) >= 1);
    CHECK_INT(bad, 0);
    /* the spec itself is unchanged */
    CHECK(json_is_string(oa_json_pointer_get(pool, spec->root,
                                             "/paths/~1things~1{thingId}/$ref", 0)));
    /* what has nothing to rewrite is shared with the spec, not copied */
    CHECK(json_object_get(bundled, "components") == json_object_get(spec->root, "components"));
    CHECK(json_object_get(bundled, "info") == json_object_get(spec->root, "info"));
    check_yaml_round_trip(bundled);
    json_decref(bundled);
}

/* Specs whose files refer to each other, and to themselves, recursively. */
static void test_refs_stay_inside(void)
{
    static const char *const files[] = {
        "tests/fixtures/specs/mock/tricky.yaml", "tests/fixtures/specs/mock/swagger.yaml",
        "tests/fixtures/specs/responses.yaml", "tests/fixtures/specs/swagger2.yaml",
        "examples/petstore/petstore.yaml"};
    size_t i;
    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        oa_spec *spec = unit_load_spec(pool, files[i], 0);
        oa_diag *diag = oa_diag_create(pool);
        json_t *bundled;
        int bad = 0;
        CHECK(spec != NULL);
        if (!spec)
            continue;
        bundled = oa_spec_bundle(spec, diag);
        CHECK(bundled != NULL);
        if (!bundled)
            continue;
        check_refs(bundled, bundled, &bad);
        CHECK_INT(bad, 0);
        check_yaml_round_trip(bundled);
        json_decref(bundled);
    }
}

/* Copy on write: the list and the object around a rewritten reference are new, in their
 * order, and what is around them is still the spec's own; a `$ref` that is no string is
 * data. */
static void test_copies_only_what_changes(void)
{
    oa_spec *spec = unit_load_spec(pool, "tests/fixtures/specs/bundle/self_refs.yaml", 0);
    oa_diag *diag = oa_diag_create(pool);
    json_t *bundled;
    json_t *thing, *original, *all_of, *original_all_of;
    const char *key;
    json_t *value;
    static const char *const order[] = {"description", "allOf", "title"};
    int i = 0;
    CHECK(spec != NULL);
    if (!spec)
        return;
    bundled = oa_spec_bundle(spec, diag);
    CHECK(bundled != NULL);
    CHECK_INT(oa_diag_count(diag), 0);
    if (!bundled)
        return;
    thing = oa_json_pointer_get(pool, bundled, "/components/schemas/Thing", 0);
    original = oa_json_pointer_get(pool, spec->root, "/components/schemas/Thing", 0);
    all_of = json_object_get(thing, "allOf");
    original_all_of = json_object_get(original, "allOf");
    CHECK(thing != original);
    CHECK(all_of != original_all_of);
    CHECK_INT((int)json_array_size(all_of), 3);
    CHECK(json_array_get(all_of, 0) == json_array_get(original_all_of, 0));
    CHECK_STR(json_string_value(json_object_get(json_array_get(all_of, 1), "$ref")),
              "#/components/schemas/Named");
    CHECK(json_array_get(all_of, 2) == json_array_get(original_all_of, 2));
    CHECK(json_object_get(thing, "description") == json_object_get(original, "description"));
    json_object_foreach(thing, key, value) {
        CHECK(i < 3 && strcmp(key, order[i]) == 0);
        i++;
    }
    CHECK_INT(i, 3);
    /* untouched around the change, and the example with a number as $ref is data */
    CHECK(json_object_get(json_object_get(bundled, "components"), "schemas") !=
          json_object_get(json_object_get(spec->root, "components"), "schemas"));
    CHECK(oa_json_pointer_get(pool, bundled, "/components/schemas/Named", 0) ==
          oa_json_pointer_get(pool, spec->root, "/components/schemas/Named", 0));
    CHECK(json_object_get(bundled, "paths") == json_object_get(spec->root, "paths"));
    CHECK_INT((int)json_integer_value(oa_json_pointer_get(
                  pool, bundled,
                  "/paths/~1things/post/requestBody/content/application~1json/example/$ref",
                  0)),
              5);
    json_decref(bundled);
}

static void test_yaml_keeps_types(void)
{
    json_t *value = json_pack(
        "{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:f, s:b, s:n, s:[s,i]}",
        "bool", "true", "yes", "yes", "float", "1.0", "date", "2024-01-01", "null", "null",
        "empty", "", "colon", "a: b", "dash", "- x", "hash", "#c", "lines", "one\ntwo",
        "unicode", "J\xc3\xb6rg \xe2\x9c\x93", "int", 42, "real", 1.5, "t", 1, "nothing",
        "list", "0x1F", 7);
    json_object_set_new(value, "1", json_string("a key that looks like a number"));
    check_yaml_round_trip(value);
    json_decref(value);
}

static void test_pointer_fragment(void)
{
    CHECK_STR(oa_pointer_fragment(pool, "/paths/~1a~1{id}/get"), "#/paths/~1a~1%7Bid%7D/get");
    CHECK_STR(oa_pointer_fragment(pool, "/a b/%"), "#/a%20b/%25");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_split_spec_is_bundled();
    test_refs_stay_inside();
    test_copies_only_what_changes();
    test_yaml_keeps_types();
    test_pointer_fragment();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
