/* Security schemes and requirements as the spec loader normalizes them (2.0 and 3.0). */
#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#include "spec/oa_spec_security.h"
#include "spec/oa_spec.h"
#include "spec/oa_spec_load.h"
#include "unit.h"
#include "unit_spec.h"

static apr_pool_t *pool;

static const char *fixture(const char *name)
{
    return apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures/specs/security/", name, NULL);
}

static oa_spec *load(const char *name, oa_diag **diag_out)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(pool, fixture(name), diag);
    if (diag_out)
        *diag_out = diag;
    else if (!spec)
        unit_print_diag(pool, diag);
    return spec;
}

static const oa_security_requirement *requirement(const oa_operation *op, int i)
{
    return APR_ARRAY_IDX(op->security, i, const oa_security_requirement *);
}

static const oa_security_use *use_of(const oa_security_requirement *req, int i)
{
    return &APR_ARRAY_IDX(req->uses, i, oa_security_use);
}

static const char *joined(const apr_array_header_t *list)
{
    return apr_array_pstrcat(pool, list, ',');
}

static void test_v3_schemes(oa_spec *spec)
{
    const oa_security_scheme *s;
    CHECK_INT(spec->security_schemes->nelts, 9);
    s = oa_spec_security_scheme(spec, "basic");
    CHECK(s && s->kind == OA_SECURITY_BASIC); /* "Basic": case-insensitive */
    CHECK_STR(s->basic_info_func, "auth.basic_info");
    CHECK_STR(s->token_info_func, NULL);
    CHECK_INT(s->scopes->nelts, 0);

    s = oa_spec_security_scheme(spec, "jwt");
    CHECK(s->kind == OA_SECURITY_BEARER);
    CHECK_STR(s->bearer_format, "JWT");
    CHECK_STR(s->bearer_info_func, "auth.bearer_info");
    CHECK(!s->open_id_connect);
    CHECK(oa_spec_security_scheme(spec, "opaque")->kind == OA_SECURITY_BEARER);
    CHECK_STR(oa_spec_security_scheme(spec, "opaque")->bearer_format, NULL);

    s = oa_spec_security_scheme(spec, "key_header");
    CHECK(s->kind == OA_SECURITY_APIKEY);
    CHECK(s->api_key_in == OA_IN_HEADER);
    CHECK_STR(s->api_key_name, "X-API-Key");
    CHECK_STR(s->apikey_info_func, "auth.apikey_info");
    CHECK(oa_spec_security_scheme(spec, "key_query")->api_key_in == OA_IN_QUERY);
    CHECK_STR(oa_spec_security_scheme(spec, "key_query")->api_key_name, "api_key");
    CHECK(oa_spec_security_scheme(spec, "key_cookie")->api_key_in == OA_IN_COOKIE);

    s = oa_spec_security_scheme(spec, "oauth");
    CHECK(s->kind == OA_SECURITY_OAUTH2);
    /* The union over every flow, each scope once, in the order first declared. */
    CHECK_STR(joined(s->scopes), "read,write,admin,delete");
    CHECK_STR(joined(s->token_urls), "/v1/oauth/token,https://api.example.com/v1/oauth/token?x=1,"
                                     "oauth/token2,https://api.example.com/v1/oauth/refresh/");
    CHECK_STR(s->token_info_func, "auth.token_info");
    CHECK_STR(s->scope_validate_func, "auth.validate_scope");
    CHECK_STR(s->token_info_url, "https://auth.example.com/tokeninfo");
    CHECK(s->node != NULL);

    s = oa_spec_security_scheme(spec, "oidc");
    CHECK(s->kind == OA_SECURITY_BEARER && s->open_id_connect);
    CHECK_STR(s->open_id_connect_url,
              "https://auth.example.com/.well-known/openid-configuration");

    /* A $ref'd scheme keeps its own name with the target's content. */
    s = oa_spec_security_scheme(spec, "shared");
    CHECK(s && s->kind == OA_SECURITY_BASIC);
    CHECK_STR(s->name, "shared");
    CHECK(oa_spec_security_scheme(spec, "nosuch") == NULL);
    CHECK_STR(oa_security_kind_name(OA_SECURITY_OAUTH2), "oauth2");
}

static void test_v3_requirements(oa_spec *spec)
{
    oa_operation *op;
    const oa_security_requirement *req;

    /* Global security applies when the operation has none. */
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/default");
    CHECK(op->security == spec->security);
    CHECK_INT(op->security->nelts, 1);
    CHECK(!op->security_open && !op->security_optional);
    req = requirement(op, 0);
    CHECK_INT(req->uses->nelts, 1);
    CHECK_STR(use_of(req, 0)->scheme->name, "oauth");
    CHECK_STR(joined(use_of(req, 0)->scopes), "read");

    /* security: [] opens the operation. */
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/open");
    CHECK_INT(op->security->nelts, 0);
    CHECK(op->security_open);

    /* {} makes authentication optional; it stays in the list as an empty alternative. */
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/optional");
    CHECK_INT(op->security->nelts, 2);
    CHECK(op->security_optional && !op->security_open);
    CHECK_INT(requirement(op, 1)->uses->nelts, 0);

    /* Several objects: OR; several schemes in one: AND. */
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/either");
    CHECK_INT(op->security->nelts, 2);
    CHECK_STR(use_of(requirement(op, 0), 0)->scheme->name, "basic");
    CHECK_STR(use_of(requirement(op, 1), 0)->scheme->name, "key_header");
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/both");
    CHECK_INT(op->security->nelts, 1);
    req = requirement(op, 0);
    CHECK_INT(req->uses->nelts, 2);
    CHECK_STR(use_of(req, 0)->scheme->name, "key_header");
    CHECK_STR(use_of(req, 1)->scheme->name, "oauth");
    CHECK_STR(joined(use_of(req, 1)->scopes), "write,delete");

    /* 3.0.3: roles on a non-oauth2 scheme are allowed and kept. */
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/roles");
    CHECK_STR(joined(use_of(requirement(op, 0), 0)->scopes), "admin,auditor");
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/oidc");
    CHECK_STR(joined(use_of(requirement(op, 0), 0)->scopes), "openid,profile");
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/keys");
    CHECK_INT(op->security->nelts, 4);
}

static void test_v3_token_endpoints(oa_spec *spec)
{
    /* "/v1/oauth/token" (absolute path) and the full URL with a query both name it. */
    CHECK(oa_spec_find_operation(spec, OA_METHOD_POST, "/oauth/token")->token_endpoint);
    /* Only POST: a token request is a POST (RFC 6749 section 3.2). */
    CHECK(!oa_spec_find_operation(spec, OA_METHOD_GET, "/oauth/token")->token_endpoint);
    /* "oauth/token2" is relative to the server URL's path. */
    CHECK(oa_spec_find_operation(spec, OA_METHOD_POST, "/oauth/token2")->token_endpoint);
    /* refreshUrl, trailing slash ignored. */
    CHECK(oa_spec_find_operation(spec, OA_METHOD_POST, "/oauth/refresh")->token_endpoint);
    CHECK(oa_spec_find_operation(spec, OA_METHOD_POST, "/custom-token")->token_endpoint);
    CHECK(!oa_spec_find_operation(spec, OA_METHOD_GET, "/default")->token_endpoint);
}

static void test_v3(void)
{
    oa_spec *spec = load("v3.yaml", NULL);
    CHECK(spec != NULL);
    if (!spec)
        return;
    test_v3_schemes(spec);
    test_v3_requirements(spec);
    test_v3_token_endpoints(spec);
}

static void test_v2(void)
{
    oa_spec *spec = load("v2.yaml", NULL);
    const oa_security_scheme *s;
    oa_operation *op;
    CHECK(spec != NULL);
    if (!spec)
        return;
    CHECK_INT(spec->security_schemes->nelts, 7);
    s = oa_spec_security_scheme(spec, "basic");
    CHECK(s->kind == OA_SECURITY_BASIC);
    CHECK_STR(s->basic_info_func, "auth.basic_info");
    s = oa_spec_security_scheme(spec, "key");
    CHECK(s->kind == OA_SECURITY_APIKEY && s->api_key_in == OA_IN_HEADER);
    CHECK_STR(s->api_key_name, "X-Key");
    CHECK(oa_spec_security_scheme(spec, "query_key")->api_key_in == OA_IN_QUERY);
    s = oa_spec_security_scheme(spec, "oauth_implicit");
    CHECK(s->kind == OA_SECURITY_OAUTH2);
    CHECK_STR(joined(s->scopes), "read");
    CHECK_INT(s->token_urls->nelts, 0);
    s = oa_spec_security_scheme(spec, "oauth_password");
    CHECK_STR(joined(s->token_urls), "https://api.example.com/api/token");
    CHECK_STR(s->token_info_url, "https://auth.example.com/tokeninfo");
    CHECK_STR(joined(oa_spec_security_scheme(spec, "oauth_application")->scopes), "admin");
    CHECK_STR(joined(oa_spec_security_scheme(spec, "oauth_code")->scopes), "read,write");

    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/default");
    CHECK_INT(op->security->nelts, 1);
    CHECK_STR(use_of(requirement(op, 0), 0)->scheme->name, "basic");
    CHECK(oa_spec_find_operation(spec, OA_METHOD_GET, "/open")->security_open);
    op = oa_spec_find_operation(spec, OA_METHOD_POST, "/mixed");
    CHECK_INT(op->security->nelts, 3);
    CHECK(op->security_optional);
    CHECK_STR(joined(use_of(requirement(op, 0), 0)->scopes), "read,write");
    CHECK_INT(requirement(op, 1)->uses->nelts, 2);
    CHECK_STR(use_of(requirement(op, 1), 1)->scheme->name, "query_key");
    /* basePath /api + /token is the password flow's tokenUrl path. */
    CHECK(oa_spec_find_operation(spec, OA_METHOD_POST, "/token")->token_endpoint);
    CHECK(!oa_spec_find_operation(spec, OA_METHOD_POST, "/mixed")->token_endpoint);
}

/* The first error whose message contains `text`, formatted; NULL when none does. */
static const char *error_with(oa_diag *diag, const char *text)
{
    int i;
    for (i = 0; i < diag->entries->nelts; i++) {
        const oa_diag_entry *e = &APR_ARRAY_IDX(diag->entries, i, oa_diag_entry);
        if (strstr(e->message, text))
            return oa_diag_format(pool, e);
    }
    return NULL;
}

static int ends_with(const char *text, const char *suffix)
{
    size_t n = text ? strlen(text) : 0, m = strlen(suffix);
    return text && n >= m && strcmp(text + n - m, suffix) == 0;
}

/* OpenAPI 3.2's device authorization flow (RFC 8628): its scopes count; it needs its
 * deviceAuthorizationUrl and tokenUrl; before 3.2 it is no flow. */
static void test_v32_device_flow(void)
{
    oa_diag *diag;
    oa_spec *spec = load("v32_device.yaml", &diag);
    const oa_security_scheme *scheme;
    CHECK(spec != NULL);
    CHECK_INT(diag->entries->nelts, 0);
    if (!spec)
        return;
    scheme = oa_spec_security_scheme(spec, "device");
    CHECK(scheme != NULL);
    if (scheme) {
        CHECK_STR(joined(scheme->scopes), "read,write");
        CHECK_STR(joined(scheme->token_urls), "https://auth.example.com/token");
    }
}

static void test_broken(void)
{
    oa_diag *diag;
    const char *message;

    CHECK(load("broken_undeclared.yaml", &diag) == NULL);
    CHECK_INT(diag->entries->nelts, 1);
    message = error_with(diag, "names 'nosuch', which components.securitySchemes does not "
                               "declare");
    CHECK(ends_with(message, "broken_undeclared.yaml:14:11: security requirement names "
                             "'nosuch', which components.securitySchemes does not declare"));

    CHECK(load("broken_scope.yaml", &diag) == NULL);
    CHECK_INT(diag->entries->nelts, 1);
    message = error_with(diag, "scope 'launch_missiles' is not declared");
    CHECK(ends_with(message, "broken_scope.yaml:6:19: security requirement 'oauth': scope "
                             "'launch_missiles' is not declared by the scheme"));

    CHECK(load("broken_v2_scopes.yaml", &diag) == NULL);
    CHECK_INT(diag->entries->nelts, 1);
    CHECK(ends_with(error_with(diag, "only oauth2"),
                    "broken_v2_scopes.yaml:12:11: security requirement 'basic': only oauth2 "
                    "requirements list scopes in OpenAPI 2.0"));

    CHECK(load("broken_schemes.yaml", &diag) == NULL);
    /* 9: /b's requirement names the broken 'digest' and adds no error of its own; 8 more
     * from the official OpenAPI schema come first */
    CHECK_INT(diag->entries->nelts, 17);
    CHECK(ends_with(oa_diag_line(pool, diag, 0),
                    ":10:5: api key security scheme: 'name' is a required property"));
    CHECK(ends_with(error_with(diag, "'digest'"),
                    ":7:5: security scheme 'digest': http scheme 'digest' is not supported "
                    "(basic, bearer)"));
    CHECK(error_with(diag, "'nameless': apiKey needs a 'name'") != NULL);
    CHECK(error_with(diag, "'elsewhere': apiKey 'in' must be header, query or cookie") != NULL);
    CHECK(error_with(diag, "'flowless': oauth2 needs a 'flows' object") != NULL);
    CHECK(error_with(diag, "'tokenless': flow 'password' needs a tokenUrl") != NULL);
    CHECK(error_with(diag, "'typeless' needs a 'type'") != NULL);
    CHECK(error_with(diag, "'oidc_without_url': openIdConnect needs an openIdConnectUrl") != NULL);
    CHECK(error_with(diag, "'security' must be a list of requirement objects") != NULL);
    CHECK(error_with(diag, "x-oauth2-token-endpoint must be true or false") != NULL);
}

static void test_url_path(void)
{
    CHECK_STR(oa_security_url_path(pool, "/v1", "https://h.example/a/b?q=1#f"), "/a/b");
    CHECK_STR(oa_security_url_path(pool, "/v1", "https://h.example"), "/");
    CHECK_STR(oa_security_url_path(pool, "/v1", "https://h.example?x=/y"), "/");
    CHECK_STR(oa_security_url_path(pool, "/v1", "//h.example/t/"), "/t");
    CHECK_STR(oa_security_url_path(pool, "/v1", "/token"), "/token");
    CHECK_STR(oa_security_url_path(pool, "/v1", "token"), "/v1/token");
    CHECK_STR(oa_security_url_path(pool, "", "token"), "/token");
    CHECK_STR(oa_security_url_path(pool, "", "/"), "/");
}

/* Specs with security that exist in the wild still load, with their schemes. */
static void test_public_specs(void)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(
        pool,
        apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures/specs/oai/examples/v2.0/yaml/uber.yaml",
                    NULL),
        diag);
    CHECK(spec != NULL);
    if (spec) {
        const oa_security_scheme *key = oa_spec_security_scheme(spec, "apikey");
        CHECK(key && key->kind == OA_SECURITY_APIKEY && key->api_key_in == OA_IN_QUERY);
        CHECK_STR(key ? key->api_key_name : NULL, "server_token");
    }
    spec = oa_spec_load(pool,
                        apr_pstrcat(pool, unit_srcdir(),
                                    "/tests/fixtures/specs/large/twilio_api_v2010.yaml", NULL),
                        diag);
    CHECK(spec != NULL);
    if (spec) {
        oa_operation *op = APR_ARRAY_IDX(spec->operations, 0, oa_operation *);
        CHECK(oa_spec_security_scheme(spec, "accountSid_authToken")->kind == OA_SECURITY_BASIC);
        CHECK_INT(op->security->nelts, 1);
    }
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_v3();
    test_v2();
    test_v32_device_flow();
    test_broken();
    test_url_path();
    test_public_specs();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
