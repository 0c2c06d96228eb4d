/* oa_docset: URI resolution (RFC 3986), JSON pointers (RFC 6901), $ref resolution. */
#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#include "doc/oa_docset.h"
#include "doc/oa_parse.h"
#include "unit.h"

static apr_pool_t *pool;

static void test_rfc3986_examples(void)
{
    /* RFC 3986 section 5.4 */
    const char *base = "http://a/b/c/d;p?q";
    static const char *const cases[][2] = {
        {"g", "http://a/b/c/g"},       {"./g", "http://a/b/c/g"},
        {"g/", "http://a/b/c/g/"},     {"/g", "http://a/g"},
        {"//g", "http://g"},           {"?y", "http://a/b/c/d;p?y"},
        {"g?y", "http://a/b/c/g?y"},   {"#s", "http://a/b/c/d;p?q#s"},
        {"g#s", "http://a/b/c/g#s"},   {";x", "http://a/b/c/;x"},
        {"", "http://a/b/c/d;p?q"},    {".", "http://a/b/c/"},
        {"./", "http://a/b/c/"},       {"..", "http://a/b/"},
        {"../", "http://a/b/"},        {"../g", "http://a/b/g"},
        {"../..", "http://a/"},        {"../../g", "http://a/g"},
        {"../../../g", "http://a/g"},  {"/./g", "http://a/g"},
        {"/../g", "http://a/g"},       {"g.", "http://a/b/c/g."},
        {"./../g", "http://a/b/g"},    {"g;x=1/../y", "http://a/b/c/y"},
        {"g:h", "g:h"},
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        CHECK_STR(oa_uri_resolve(pool, base, cases[i][0]), cases[i][1]);
    CHECK_STR(oa_uri_resolve(pool, "file:///specs/api.yaml", "common.yaml#/a"),
              "file:///specs/common.yaml#/a");
    CHECK_STR(oa_uri_resolve(pool, "file:///specs/paths/x.yaml", "../common.yaml"),
              "file:///specs/common.yaml");
}

static void test_paths_and_uris(void)
{
    CHECK_STR(oa_uri_from_path(pool, "/tmp/a b/x.yaml"), "file:///tmp/a%20b/x.yaml");
    CHECK_STR(oa_uri_to_path(pool, "file:///tmp/a%20b/x.yaml#/y"), "/tmp/a b/x.yaml");
    CHECK_STR(oa_uri_to_path(pool, "file://localhost/etc/x"), "/etc/x");
    CHECK(oa_uri_to_path(pool, "http://example.com/x") == NULL);
    CHECK_STR(oa_uri_from_path(pool, "/a/./b/../c.yaml"), "file:///a/c.yaml");
}

static void test_json_pointers(void)
{
    json_t *doc = json_loads("{\"a/b\": {\"m~n\": [10, 20]}, \"%\": 1, \"\": 2}", 0, NULL);
    CHECK(oa_json_pointer_get(pool, doc, "", 0) == doc);
    CHECK_INT(json_integer_value(oa_json_pointer_get(pool, doc, "/a~1b/m~0n/1", 0)), 20);
    CHECK_INT(json_integer_value(oa_json_pointer_get(pool, doc, "/%25", 1)), 1);
    CHECK_INT(json_integer_value(oa_json_pointer_get(pool, doc, "/", 0)), 2);
    CHECK(oa_json_pointer_get(pool, doc, "/a~1b/m~0n/01", 0) == NULL);
    CHECK(oa_json_pointer_get(pool, doc, "/a~1b/m~0n/2", 0) == NULL);
    CHECK(oa_json_pointer_get(pool, doc, "nope", 0) == NULL);
    CHECK_STR(oa_json_pointer_append(pool, "/x", "a/b~c"), "/x/a~1b~0c");
    json_decref(doc);
}

static void test_resolution_across_documents(void)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_docset *set = oa_docset_create(pool, oa_parse_file_loader, NULL);
    const char *dir = apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures/specs/split/", NULL);
    const char *root_uri = oa_uri_from_path(pool, apr_pstrcat(pool, dir, "api.yaml", NULL));
    const char *base;
    json_t *root = oa_docset_get(set, root_uri, diag);
    json_t *node;
    CHECK(root != NULL);
    node = oa_docset_resolve(set, pool, root_uri, "paths/things.yaml#/thing/get", &base, diag);
    CHECK(node != NULL);
    CHECK_STR(json_string_value(json_object_get(node, "operationId")), "echo.get_thing");
    CHECK(strstr(base, "/split/paths/things.yaml") != NULL);
    /* relative to the document the reference is in */
    node = oa_docset_resolve(set, pool, base, "../common.yaml#/schemas/Thing", &base, diag);
    CHECK(node != NULL);
    CHECK_STR(json_string_value(json_object_get(node, "type")), "object");
    /* recursive: the schema refers to itself */
    node = oa_docset_resolve(set, pool, base, "#/schemas/Thing", &base, diag);
    CHECK(node != NULL);
    CHECK_INT(oa_diag_count(diag), 0);
    CHECK(oa_docset_resolve(set, pool, root_uri, "#/components/schemas/Nope", &base, diag) == NULL);
    CHECK(oa_docset_resolve(set, pool, root_uri, "missing.yaml#/x", &base, diag) == NULL);
    CHECK(oa_docset_resolve(set, pool, root_uri, "http://example.com/x.json", &base, diag) == NULL);
    CHECK_INT(oa_diag_count(diag), 3);
}

static void test_registered_resources(void)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_docset *set = oa_docset_create(pool, NULL, NULL);
    json_t *doc = json_loads("{\"definitions\": {\"a\": {\"id\": \"#foo\", \"type\": \"integer\"},"
                             " \"b\": {\"id\": \"http://x/y.json\", \"k\": {\"v\": 1}}}}",
                             0, NULL);
    const char *base;
    json_t *a = json_object_get(json_object_get(doc, "definitions"), "a");
    json_t *b = json_object_get(json_object_get(doc, "definitions"), "b");
    oa_docset_add(set, "http://root/s.json", doc, NULL);
    oa_docset_register_uri(set, "http://root/s.json#foo", a);
    oa_docset_register_uri(set, "http://x/y.json", b);
    CHECK(oa_docset_resolve(set, pool, "http://root/s.json", "#foo", &base, diag) == a);
    CHECK_INT(json_integer_value(oa_docset_resolve(set, pool, "http://root/s.json",
                                                   "http://x/y.json#/k/v", &base, diag)), 1);
    CHECK_STR(base, "http://x/y.json");
    CHECK_INT(oa_diag_count(diag), 0);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_rfc3986_examples();
    test_paths_and_uris();
    test_json_pointers();
    test_resolution_across_documents();
    test_registered_resources();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
