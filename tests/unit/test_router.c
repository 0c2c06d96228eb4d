/* oa_router: the path trie. */
#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#include "spec/oa_router.h"
#include "unit.h"

static apr_pool_t *pool;
static oa_operation operations[16];
static oa_position nowhere;

static oa_route *add(oa_router *router, const char *template, oa_operation *op,
                     const char *spanning)
{
    apr_array_header_t *names = apr_array_make(pool, 1, sizeof(const char *));
    oa_diag *diag = oa_diag_create(pool);
    oa_route *route;
    if (spanning)
        APR_ARRAY_PUSH(names, const char *) = spanning;
    route = oa_router_add(router, template, names, diag, &nowhere);
    if (route && op)
        route->operations[OA_METHOD_GET] = op;
    return route;
}

static const char *match_template(oa_router *router, const char *path)
{
    oa_route_match match;
    oa_route_status status = oa_router_match(router, path, pool, &match);
    if (status == OA_ROUTE_BAD_ENCODING)
        return "(bad encoding)";
    return status == OA_ROUTE_FOUND ? match.route->template : "(none)";
}

static const char *value(oa_router *router, const char *path, const char *name)
{
    oa_route_match match;
    if (oa_router_match(router, path, pool, &match) != OA_ROUTE_FOUND)
        return "(none)";
    return oa_route_match_value(&match, name);
}

static void test_literal_before_template(void)
{
    oa_router *router = oa_router_create(pool);
    add(router, "/pets", &operations[0], NULL);
    add(router, "/pets/{id}", &operations[1], NULL);
    add(router, "/pets/mine", &operations[2], NULL);
    add(router, "/pets/{id}/toys", &operations[3], NULL);
    add(router, "/pets/mine/toys/{toy}", &operations[4], NULL);
    CHECK_STR(match_template(router, "/pets"), "/pets");
    CHECK_STR(match_template(router, "/pets/mine"), "/pets/mine");
    CHECK_STR(match_template(router, "/pets/12"), "/pets/{id}");
    /* backtracking: "mine" is literal, but only the template continues with /toys */
    CHECK_STR(match_template(router, "/pets/mine/toys"), "/pets/{id}/toys");
    CHECK_STR(value(router, "/pets/mine/toys", "id"), "mine");
    CHECK_STR(match_template(router, "/pets/mine/toys/ball"), "/pets/mine/toys/{toy}");
    CHECK_STR(match_template(router, "/pets/"), "(none)");
    CHECK_STR(match_template(router, "/pets/1/2"), "(none)");
    CHECK_STR(match_template(router, "/other"), "(none)");
    CHECK_STR(match_template(router, "pets"), "(none)");
}

static void test_decoding(void)
{
    oa_router *router = oa_router_create(pool);
    add(router, "/users/{name}", &operations[0], NULL);
    add(router, "/caf\xc3\xa9", &operations[1], NULL);
    CHECK_STR(value(router, "/users/a%20b%2Fc", "name"), "a b/c");
    CHECK_STR(match_template(router, "/caf%C3%A9"), "/caf\xc3\xa9");
    CHECK_STR(match_template(router, "/users/%zz"), "(bad encoding)");
    CHECK_STR(match_template(router, "/users/a%"), "(bad encoding)");
    CHECK_STR(match_template(router, "/users/%00"), "(bad encoding)");
}

static void test_path_format_and_partial_segments(void)
{
    oa_router *router = oa_router_create(pool);
    add(router, "/files/{path}", &operations[0], "path");
    add(router, "/files/{path}/meta", &operations[1], "path");
    add(router, "/reports/{id}.{format}", &operations[2], NULL);
    add(router, "/v{major}", &operations[3], NULL);
    CHECK_STR(value(router, "/files/a/b/c", "path"), "a/b/c");
    CHECK_STR(match_template(router, "/files/a/b/meta"), "/files/{path}/meta");
    CHECK_STR(value(router, "/files/a/b/meta", "path"), "a/b");
    CHECK_STR(value(router, "/reports/q1.2024.csv", "id"), "q1");
    CHECK_STR(value(router, "/reports/q1.2024.csv", "format"), "2024.csv");
    CHECK_STR(match_template(router, "/reports/.csv"), "(none)");
    CHECK_STR(value(router, "/v2", "major"), "2");
    CHECK_STR(match_template(router, "/v"), "(none)");
}

static void test_templates_that_clash_or_are_malformed(void)
{
    oa_router *router = oa_router_create(pool);
    oa_diag *diag = oa_diag_create(pool);
    CHECK(add(router, "/a/{x}", &operations[0], NULL) != NULL);
    CHECK(add(router, "/a/{x}", NULL, NULL) == add(router, "/a/{x}", NULL, NULL));
    CHECK(oa_router_add(router, "/a/{y}", NULL, diag, &nowhere) == NULL);
    CHECK(strstr(APR_ARRAY_IDX(diag->entries, 0, oa_diag_entry).message,
                 "is the same as '/a/{x}' but for parameter names") != NULL);
    CHECK(oa_router_add(router, "/b/{x", NULL, diag, &nowhere) == NULL);
    CHECK(oa_router_add(router, "/b/{}", NULL, diag, &nowhere) == NULL);
    CHECK(oa_router_add(router, "/b/{x}{y}", NULL, diag, &nowhere) == NULL);
    CHECK(oa_router_add(router, "b", NULL, diag, &nowhere) == NULL);
}

static void test_methods(void)
{
    oa_router *router = oa_router_create(pool);
    oa_route *route = add(router, "/x", &operations[0], NULL);
    route->operations[OA_METHOD_POST] = &operations[1];
    CHECK(oa_route_operation(route, OA_METHOD_HEAD) == &operations[0]);
    CHECK(oa_route_operation(route, OA_METHOD_PUT) == NULL);
    CHECK(oa_route_operation(route, OA_METHOD_UNKNOWN) == NULL);
    CHECK_STR(oa_route_allow(route, pool), "GET,POST,HEAD");
    CHECK(oa_method_from_name("patch") == OA_METHOD_PATCH);
    CHECK(oa_method_from_name("BREW") == OA_METHOD_UNKNOWN);
}

static void test_cost_does_not_grow_with_paths(void)
{
    /* 10,000 templates: a lookup still succeeds and picks the right one. */
    oa_router *router = oa_router_create(pool);
    int i;
    for (i = 0; i < 10000; i++)
        add(router, apr_psprintf(pool, "/r%d/items/{id}", i), &operations[i % 16], NULL);
    CHECK_STR(match_template(router, "/r9999/items/7"), "/r9999/items/{id}");
    CHECK_STR(match_template(router, "/r10000/items/7"), "(none)");
}

static void test_too_many_segments(void)
{
    oa_router *router = oa_router_create(pool);
    char path[1024];
    int i;
    add(router, "/{x}", &operations[0], "x");
    for (i = 0; i < 100; i++)
        memcpy(path + 2 * i, "/a", 2);
    path[200] = '\0';
    CHECK_STR(match_template(router, path), "(none)");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_literal_before_template();
    test_decoding();
    test_path_format_and_partial_segments();
    test_templates_that_clash_or_are_malformed();
    test_methods();
    test_cost_does_not_grow_with_paths();
    test_too_many_segments();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
