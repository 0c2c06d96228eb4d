/* oa_resty_name: the Connexion manual's RestyResolver table (3.2), nested resources, names
 * that are not C identifiers; oa_is_c_identifier. */
#include <apr_general.h>

#include "spec/oa_resolver.h"
#include "unit.h"

static const char *resty(apr_pool_t *pool, const char *method, const char *path)
{
    /* the tables below write the method as Connexion's manual does, in lower case */
    return oa_resty_name(pool, oa_method_name(oa_method_from_name(method)), path);
}

int main(void)
{
    apr_pool_t *pool;
    apr_initialize();
    apr_pool_create(&pool, NULL);

    /* the manual's table (api.foo.search ... as C symbols) */
    CHECK_STR(resty(pool, "get", "/"), "get");
    CHECK_STR(resty(pool, "get", "/foo"), "foo_search");
    CHECK_STR(resty(pool, "post", "/foo"), "foo_post");
    CHECK_STR(resty(pool, "get", "/foo/{id}"), "foo_get");
    CHECK_STR(resty(pool, "put", "/foo/{id}"), "foo_put");
    CHECK_STR(resty(pool, "delete", "/foo/{id}"), "foo_delete");
    CHECK_STR(resty(pool, "patch", "/foo/{id}"), "foo_patch");
    CHECK_STR(resty(pool, "head", "/foo"), "foo_head");
    CHECK_STR(resty(pool, "options", "/foo/{id}"), "foo_options");
    CHECK_STR(resty(pool, "post", "/"), "post");

    /* nested resources: every literal segment, so siblings never collide */
    CHECK_STR(resty(pool, "get", "/foo/{id}/bar"), "foo_bar_search");
    CHECK_STR(resty(pool, "post", "/foo/{id}/bar"), "foo_bar_post");
    CHECK_STR(resty(pool, "get", "/foo/{id}/bar/{barId}"), "foo_bar_get");
    CHECK_STR(resty(pool, "delete", "/foo/{id}/bar/{barId}"), "foo_bar_delete");
    CHECK_STR(resty(pool, "get", "/{tenant}/foo"), "foo_search");
    CHECK_STR(resty(pool, "get", "/{tenant}"), "get");
    CHECK_STR(resty(pool, "get", "/foo/bar"), "foo_bar_search");

    /* not C identifiers: each other byte is a '_'; a leading digit gets a '_' */
    CHECK_STR(resty(pool, "get", "/user-profiles"), "user_profiles_search");
    CHECK_STR(resty(pool, "delete", "/user-profiles/{id}"), "user_profiles_delete");
    CHECK_STR(resty(pool, "get", "/v1.0/items"), "v1_0_items_search");
    CHECK_STR(resty(pool, "post", "/2fa"), "_2fa_post");
    CHECK_STR(resty(pool, "get", "/caf\xc3\xa9"), "caf___search");
    CHECK_STR(resty(pool, "get", "/files/{name}.{ext}"), "files_get");
    CHECK_STR(resty(pool, "get", "/files/{name}.json"), "files_get");
    CHECK_STR(resty(pool, "get", "/Users"), "Users_search");
    /* empty segments and trailing slashes add nothing */
    CHECK_STR(resty(pool, "get", "//foo//"), "foo_search");
    CHECK_STR(resty(pool, "get", "/foo/{id}/"), "foo_get");
    CHECK_STR(resty(pool, "get", ""), "get");

    /* every composed name is an identifier */
    CHECK(oa_is_c_identifier(resty(pool, "get", "/a b/%20/~x")));
    CHECK_STR(resty(pool, "get", "/a b/%20/~x"), "a_b__20__x_search");

    CHECK(oa_is_c_identifier("list_pets"));
    CHECK(oa_is_c_identifier("_x9"));
    CHECK(!oa_is_c_identifier("9x"));
    CHECK(!oa_is_c_identifier("a-b"));
    CHECK(!oa_is_c_identifier(""));
    CHECK(!oa_is_c_identifier(NULL));

    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
