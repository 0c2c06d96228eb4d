/* OpenAPI 3.2 additionalOperations: loading (each refusal at its node), routing by the
 * exact method name beside the fixed slots, Allow lists, the method accessor and the
 * handler names composed from an extension method. */
#include <apr_general.h>
#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spec/oa_resolver.h"
#include "spec/oa_router.h"
#include "spec/oa_spec_load.h"
#include "unit.h"
#include "unit_spec.h"

static apr_pool_t *pool;

/* Loads text as a spec file; NULL when it did not load, its errors in *diag. */
static oa_spec *load_text(const char *text, oa_diag **diag)
{
    const char *path = apr_psprintf(pool, "%s/oa-test-addops-%d.yaml",
                                    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
                                    (int)getpid());
    FILE *f = fopen(path, "w");
    oa_spec *spec;
    *diag = oa_diag_create(pool);
    fputs(text, f);
    fclose(f);
    spec = oa_spec_load(pool, path, *diag);
    remove(path);
    return spec;
}

static const char *line_of(const oa_diag *diag, int index)
{
    const oa_diag_entry *e;
    if (index >= diag->entries->nelts)
        return "(none)";
    e = &APR_ARRAY_IDX(diag->entries, index, oa_diag_entry);
    return apr_psprintf(pool, "%d:%d: %s", e->line, e->column, e->message);
}

static const oa_route *route_of(const oa_spec *spec, const char *path)
{
    oa_route_match match;
    if (oa_router_match(spec->router, path, pool, &match) != OA_ROUTE_FOUND)
        return NULL;
    return match.route;
}

static void test_fixture_loads(void)
{
    oa_spec *spec = unit_load_spec(pool, "tests/fixtures/specs/v31/additional32.yaml", 1);
    const oa_route *route;
    oa_operation *purge, *link, *copy;
    int i, id = 0, soft = 0;
    CHECK(spec != NULL);
    if (!spec)
        return;
    CHECK_INT(spec->operations->nelts, 5);
    purge = oa_spec_find_operation_named(spec, "PURGE", "/items/{id}");
    link = oa_spec_find_operation_named(spec, "LINK", "/items/{id}");
    copy = oa_spec_find_operation_named(spec, "COPY", "/copies/{id}");
    CHECK(purge && link && copy);
    if (!purge || !link || !copy)
        return;
    /* the accessor: the name as sent, for extensions and fixed methods alike */
    CHECK_STR(oa_operation_method(purge), "PURGE");
    CHECK(purge->method == OA_METHOD_UNKNOWN);
    CHECK_STR(oa_operation_method(oa_spec_find_operation(spec, OA_METHOD_GET, "/items/{id}")),
              "GET");
    CHECK(oa_spec_find_operation_named(spec, "GET", "/items/{id}") ==
          oa_spec_find_operation(spec, OA_METHOD_GET, "/items/{id}"));
    CHECK(oa_spec_find_operation_named(spec, "purge", "/items/{id}") == NULL);
    CHECK(oa_spec_find_operation(spec, OA_METHOD_UNKNOWN, "/items/{id}") == NULL);
    /* loaded as any operation: path-item parameters merged, security, body */
    for (i = 0; i < purge->parameters->nelts; i++) {
        const oa_parameter *p = APR_ARRAY_IDX(purge->parameters, i, oa_parameter *);
        id += strcmp(p->name, "id") == 0 && p->in == OA_IN_PATH;
        soft += strcmp(p->name, "soft") == 0 && p->in == OA_IN_QUERY;
    }
    CHECK(id == 1 && soft == 1);
    CHECK(!purge->security_open && purge->security->nelts == 1);
    CHECK(purge->operation_id == NULL);
    CHECK_STR(link->operation_id, "echo.link_item");
    CHECK_INT(link->request_media->nelts, 1);
    CHECK(link->request_body_required);
    CHECK(link->security_open);
    /* through a $ref'd path item, its parameters too */
    CHECK_STR(copy->plugin, "echo");
    CHECK_INT(copy->parameters->nelts, 2);

    /* routing: exact names, fixed slots untouched, Allow in a stable order */
    route = route_of(spec, "/items/7");
    CHECK(route != NULL);
    if (!route)
        return;
    CHECK(oa_route_find(route, "PURGE") == purge);
    CHECK(oa_route_find(route, "LINK") == link);
    CHECK(oa_route_find(route, "purge") == NULL);
    CHECK(oa_route_find(route, "Link") == NULL);
    CHECK(oa_route_find(route, "COPY") == NULL);
    CHECK(oa_route_find(route, "get") == NULL);
    CHECK(oa_route_find(route, "GET") == oa_route_operation(route, OA_METHOD_GET));
    CHECK(oa_route_find(route, "HEAD") == oa_route_operation(route, OA_METHOD_GET));
    CHECK(oa_route_find(route, "") == NULL);
    CHECK_STR(oa_route_allow(route, pool), "GET,HEAD,PURGE,LINK");
    CHECK_INT(oa_route_methods(route, pool)->nelts, 4);
    route = route_of(spec, "/copies/1");
    CHECK(route && oa_route_find(route, "COPY") == copy);
    CHECK_STR(route ? oa_route_allow(route, pool) : "", "COPY");
}

static void test_route_extensions(void)
{
    oa_router *router = oa_router_create(pool);
    oa_diag *diag = oa_diag_create(pool);
    oa_position where = {"x.yaml", 1, 1};
    oa_route *route = oa_router_add(router, "/x", NULL, diag, &where);
    static oa_operation get, purge, purge_lower, again;
    get.method = OA_METHOD_GET;
    purge.method = OA_METHOD_UNKNOWN;
    purge.method_name = "PURGE";
    purge_lower.method = OA_METHOD_UNKNOWN;
    purge_lower.method_name = "purge";
    again = purge;
    CHECK(oa_route_add_operation(route, &get));
    CHECK(oa_route_add_operation(route, &purge));
    /* methods are case-sensitive: "purge" is a method of its own */
    CHECK(oa_route_add_operation(route, &purge_lower));
    CHECK(!oa_route_add_operation(route, &again));
    CHECK(!oa_route_add_operation(route, &get));
    CHECK(oa_route_find(route, "PURGE") == &purge);
    CHECK(oa_route_find(route, "purge") == &purge_lower);
    CHECK_STR(oa_route_allow(route, pool), "GET,HEAD,PURGE,purge");
    CHECK_STR(oa_operation_method(&get), "GET"); /* a fixed method needs no name set */
    CHECK(oa_method_from_request("QUERY") == OA_METHOD_QUERY);
    CHECK(oa_method_from_request("query") == OA_METHOD_UNKNOWN);
    CHECK(oa_method_from_name("query") == OA_METHOD_QUERY);
    CHECK(oa_method_is_token("VERSION-CONTROL"));
    CHECK(oa_method_is_token("M!#$%&'*+.^_`|~9"));
    CHECK(!oa_method_is_token(""));
    CHECK(!oa_method_is_token("PUR GE"));
    CHECK(!oa_method_is_token("PURGE\r"));
    CHECK(!oa_method_is_token("PUR(GE)"));
}

static void test_resty_names(void)
{
    CHECK_STR(oa_resty_name(pool, "PURGE", "/items/{id}"), "items_purge");
    CHECK_STR(oa_resty_name(pool, "LINK", "/items"), "items_link");
    /* a token's other bytes are made '_', as a path's are */
    CHECK_STR(oa_resty_name(pool, "VERSION-CONTROL", "/a"), "a_version_control");
    CHECK_STR(oa_resty_name(pool, "M.X", "/"), "m_x");
    CHECK_STR(oa_resty_name(pool, "GET", "/foo"), "foo_search");
    /* a long method name fits the buffer */
    CHECK_STR(oa_resty_name(pool, "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ", "/"),
              "abcdefghijklmnopqrstuvwxyzabcdefghij");
}

#define SPEC32 "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n"
#define OK_RESPONSES "{responses: {'200': {description: ok}}}"

static void test_refusals(void)
{
    oa_diag *diag;
    oa_spec *spec;
    /* a case variant of a fixed method: the official schema lets it pass, the loader not */
    spec = load_text(SPEC32 "  /a:\n    additionalOperations:\n"
                     "      get: " OK_RESPONSES "\n"
                     "      Query: " OK_RESPONSES "\n", &diag);
    CHECK(spec == NULL);
    CHECK_STR(line_of(diag, 0), "6:7: path '/a': additionalOperations method 'get' is GET but "
              "for case: GET operations go in the path item's own 'get' field (clients may "
              "send the method as GET)");
    CHECK_STR(line_of(diag, 1), "7:7: path '/a': additionalOperations method 'Query' is QUERY "
              "but for case: QUERY operations go in the path item's own 'query' field "
              "(clients may send the method as QUERY)");
    CHECK_INT(diag->entries->nelts, 2);
    /* an exact fixed name and a name that is no token: the official schema's errors, once */
    spec = load_text(SPEC32 "  /a:\n    additionalOperations:\n"
                     "      DELETE: " OK_RESPONSES "\n"
                     "      'PUR GE': " OK_RESPONSES "\n", &diag);
    CHECK(spec == NULL);
    CHECK_STR(line_of(diag, 0), "6:7: path item: the name 'DELETE' may not be used here (it "
              "is kept for a field of its own)");
    CHECK_STR(line_of(diag, 1), "7:7: path item: the name 'PUR GE' may not be used here (a "
              "name must match ^[a-zA-Z0-9!#$%&'*+.^_`|~-]+$)");
    CHECK_INT(diag->entries->nelts, 2);
    /* loaded as any operation: operationIds unique, path parameters declared */
    spec = load_text(SPEC32 "  /a/{id}:\n    get: {operationId: same, responses: {'200': "
                     "{description: ok}}, parameters: [{name: id, in: path, required: true, "
                     "schema: {}}]}\n"
                     "    additionalOperations:\n"
                     "      PURGE: {operationId: same, responses: {'200': {description: ok}}}\n",
                     &diag);
    CHECK(spec == NULL);
    CHECK_STR(line_of(diag, 0), "7:28: duplicate operationId 'same' (first used at line 5)");
    CHECK_STR(line_of(diag, 1), "7:7: PURGE /a/{id}: path parameter 'id' is in the template "
              "but no parameter declares it");
    CHECK_INT(diag->entries->nelts, 2);
    /* an extension operation that is not an object */
    spec = load_text(SPEC32 "  /a:\n    additionalOperations:\n      PURGE: 7\n", &diag);
    CHECK(spec == NULL);
    CHECK(diag->entries->nelts >= 1);
    /* 3.1 has no additionalOperations: the official schema refuses the field, nothing is
     * served from it */
    spec = load_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n"
                     "  /a:\n    additionalOperations:\n      PURGE: " OK_RESPONSES "\n", &diag);
    CHECK(spec == NULL);
    CHECK_INT(diag->entries->nelts, 1);
    /* methods differing in case only are two methods */
    spec = load_text(SPEC32 "  /a:\n    additionalOperations:\n"
                     "      PURGE: " OK_RESPONSES "\n"
                     "      purge: " OK_RESPONSES "\n", &diag);
    CHECK(spec != NULL);
    if (spec)
        CHECK_STR(oa_route_allow(route_of(spec, "/a"), pool), "PURGE,purge");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_fixture_loads();
    test_route_extensions();
    test_resty_names();
    test_refusals();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
