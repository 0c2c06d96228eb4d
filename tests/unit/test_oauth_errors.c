/* OAuth 2 and HTTP authentication errors on the wire: quoting, challenges, bodies, token
 * endpoint answers, authorization redirects, operator templates. */
#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#include "security/oa_security_oauth_errors.h"
#include "security/oa_security_oauth_redirect.h"
#include "security/oa_security_oauth_template.h"
#include "unit.h"

static apr_pool_t *pool;

static const char *header_value(const oa_http_answer *answer, const char *name)
{
    int i;
    for (i = 0; i < answer->headers->nelts; i++) {
        const oa_http_header *h = &APR_ARRAY_IDX(answer->headers, i, oa_http_header);
        if (strcmp(h->name, name) == 0)
            return h->value;
    }
    return NULL;
}

static void test_quoting(void)
{
    CHECK_STR(oa_http_quoted_string(pool, "api"), "\"api\"");
    CHECK_STR(oa_http_quoted_string(pool, NULL), "\"\"");
    CHECK_STR(oa_http_quoted_string(pool, "a\"b\\c"), "\"a\\\"b\\\\c\"");
    CHECK_STR(oa_http_quoted_string(pool, "a\r\nb\tc\x7f"), "\"abc\"");
    CHECK_STR(oa_http_quoted_string(pool, "caf\xc3\xa9 \xe2\x82\xac"), "\"caf \"");

    CHECK_STR(oa_oauth_clean_text(pool, NULL), NULL);
    CHECK_STR(oa_oauth_clean_text(pool, "it's ok! [1] {2} ~"), "it's ok! [1] {2} ~");
    CHECK_STR(oa_oauth_clean_text(pool, "no \"quotes\" or \\back"), "no quotes or back");
    CHECK_STR(oa_oauth_clean_text(pool, "line\r\nbreak\x01 caf\xc3\xa9"), "linebreak caf");
}

static void test_challenges(void)
{
    CHECK_STR(oa_bearer_challenge(pool, "example", NULL, "ignored", "ignored"),
              "Bearer realm=\"example\"");
    CHECK_STR(oa_bearer_challenge(pool, "example", "invalid_token", "The access token expired",
                                  NULL),
              "Bearer realm=\"example\", error=\"invalid_token\", "
              "error_description=\"The access token expired\"");
    CHECK_STR(oa_bearer_challenge(pool, "example", "insufficient_scope", NULL, "read write"),
              "Bearer realm=\"example\", error=\"insufficient_scope\", scope=\"read write\"");
    /* '"' and '\' are not allowed in these values at all (RFC 6750 3): dropped. */
    CHECK_STR(oa_bearer_challenge(pool, "r\"x", "invalid_request", "a \"b\" \\ c\xc3\xa9",
                                  "s\"1"),
              "Bearer realm=\"r\\\"x\", error=\"invalid_request\", "
              "error_description=\"a b  c\", scope=\"s1\"");
    CHECK_STR(oa_basic_challenge(pool, "WallyWorld"),
              "Basic realm=\"WallyWorld\", charset=\"UTF-8\"");
    CHECK_STR(oa_basic_challenge(pool, "a\\b"), "Basic realm=\"a\\\\b\", charset=\"UTF-8\"");
    CHECK_STR(oa_apikey_challenge(pool, "api", "header", "X-API-Key"),
              "ApiKey realm=\"api\", in=\"header\", name=\"X-API-Key\"");
    CHECK_STR(oa_apikey_challenge(pool, "api", NULL, NULL), "ApiKey realm=\"api\"");
}

static void test_bodies(void)
{
    CHECK_STR(oa_oauth_error_json(pool, "invalid_token", "The access token provided is invalid",
                                  NULL),
              "{\"error\":\"invalid_token\",\"error_description\":\"The access token "
              "provided is invalid\"}");
    CHECK_STR(oa_oauth_error_json(pool, "invalid_request",
                                  "Missing parameter: \"code\" is required",
                                  "https://example.com/errors#code \"x\""),
              "{\"error\":\"invalid_request\",\"error_description\":\"Missing parameter: code "
              "is required\",\"error_uri\":\"https://example.com/errors#codex\"}");
    CHECK_STR(oa_oauth_error_json(pool, NULL, NULL, NULL), "{}");
    CHECK_STR(oa_oauth_error_json(pool, "invalid_grant", "caf\xc3\xa9\n", NULL),
              "{\"error\":\"invalid_grant\",\"error_description\":\"caf\"}");
    CHECK_STR(oa_oauth_problem_json(pool, 401, "invalid_token", "the token expired"),
              "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
              "\"detail\":\"the token expired\",\"error\":\"invalid_token\"}");
    CHECK_STR(oa_oauth_problem_json(pool, 503, NULL, NULL),
              "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503}");
    CHECK_STR(oa_http_reason(400), "Bad Request");
    CHECK_STR(oa_http_reason(403), "Forbidden");
    CHECK_STR(oa_http_reason(418), "Error");
}

static void test_token_endpoint(void)
{
    static const struct {
        oa_token_error error;
        const char *code;
        int status;
    } table[] = {
        {OA_TOKEN_INVALID_REQUEST, "invalid_request", 400},
        {OA_TOKEN_INVALID_CLIENT, "invalid_client", 401},
        {OA_TOKEN_INVALID_GRANT, "invalid_grant", 400},
        {OA_TOKEN_UNAUTHORIZED_CLIENT, "unauthorized_client", 400},
        {OA_TOKEN_UNSUPPORTED_GRANT_TYPE, "unsupported_grant_type", 400},
        {OA_TOKEN_INVALID_SCOPE, "invalid_scope", 400},
    };
    size_t i, count;
    const oa_http_header *no_store = oa_oauth_no_store_headers(&count);
    oa_http_answer *a;

    CHECK_INT(count, 2);
    CHECK_STR(no_store[0].name, "Cache-Control");
    CHECK_STR(no_store[0].value, "no-store");
    CHECK_STR(no_store[1].name, "Pragma");
    CHECK_STR(no_store[1].value, "no-cache");

    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        CHECK_STR(oa_token_error_code(table[i].error), table[i].code);
        CHECK_INT(oa_token_error_status(table[i].error), table[i].status);
        a = oa_token_error_answer(pool, table[i].error, NULL, NULL, "api");
        CHECK_INT(a->status, table[i].status);
        CHECK_STR(a->body, apr_psprintf(pool, "{\"error\":\"%s\"}", table[i].code));
        CHECK_STR(header_value(a, "Cache-Control"), "no-store");
        CHECK_STR(header_value(a, "Pragma"), "no-cache");
        CHECK((header_value(a, "WWW-Authenticate") != NULL) ==
              (table[i].error == OA_TOKEN_INVALID_CLIENT));
    }

    /* invalid_client: the challenge names the scheme the client used. */
    a = oa_token_error_answer(pool, OA_TOKEN_INVALID_CLIENT, "Client is not active", "Basic",
                              "token");
    CHECK_INT(a->status, 401);
    CHECK_STR(a->content_type, "application/json");
    CHECK_STR(a->body, "{\"error\":\"invalid_client\",\"error_description\":\"Client is not "
                       "active\"}");
    CHECK_STR(header_value(a, "WWW-Authenticate"), "Basic realm=\"token\"");
    a = oa_token_error_answer(pool, OA_TOKEN_INVALID_CLIENT, NULL, "Digest", "token");
    CHECK_STR(header_value(a, "WWW-Authenticate"), "Digest realm=\"token\"");
    /* not a scheme name (header injection attempt): Basic instead */
    a = oa_token_error_answer(pool, OA_TOKEN_INVALID_CLIENT, NULL, "Basic\r\nX: y", "token");
    CHECK_STR(header_value(a, "WWW-Authenticate"), "Basic realm=\"token\"");

    a = oa_token_error_answer(pool, OA_TOKEN_INVALID_GRANT,
                              "Authorization code doesn't exist or is invalid for the client",
                              NULL, NULL);
    CHECK_STR(a->body, "{\"error\":\"invalid_grant\",\"error_description\":\"Authorization "
                       "code doesn't exist or is invalid for the client\"}");

    /* The success response (RFC 6749 5.1 example). */
    a = oa_token_success_answer(pool, "2YotnFZFEjr1zCsicMWpAA", "example", 3600,
                                "tGzv3JOkF0XG5Qx2TlKWIA", "read write");
    CHECK_INT(a->status, 200);
    CHECK_STR(a->body, "{\"access_token\":\"2YotnFZFEjr1zCsicMWpAA\",\"token_type\":\"example\","
                       "\"expires_in\":3600,\"refresh_token\":\"tGzv3JOkF0XG5Qx2TlKWIA\","
                       "\"scope\":\"read write\"}");
    CHECK_STR(header_value(a, "Cache-Control"), "no-store");
    CHECK_STR(header_value(a, "Pragma"), "no-cache");
    a = oa_token_success_answer(pool, "t", "Bearer", -1, NULL, NULL);
    CHECK_STR(a->body, "{\"access_token\":\"t\",\"token_type\":\"Bearer\"}");
    CHECK(oa_token_success_answer(pool, NULL, "Bearer", 1, NULL, NULL) == NULL);
    CHECK(oa_token_success_answer(pool, "t", "", 1, NULL, NULL) == NULL);
    CHECK(oa_token_success_answer(pool, "t\n", "Bearer", 1, NULL, NULL) == NULL);
    CHECK(oa_token_success_answer(pool, "t", "Bearer", 1, "r\xc3\xa9", NULL) == NULL);
}

static apr_array_header_t *list_of(const char *a, const char *b)
{
    apr_array_header_t *list = apr_array_make(pool, 2, sizeof(const char *));
    if (a)
        APR_ARRAY_PUSH(list, const char *) = a;
    if (b)
        APR_ARRAY_PUSH(list, const char *) = b;
    return list;
}

static void test_redirect_refusal(void)
{
    apr_array_header_t *registered =
        list_of("https://client.example.com/cb", "com.example.app:/oauth2redirect");
    apr_array_header_t *custom = list_of("com.example.app", NULL);

    CHECK_STR(oa_redirect_uri_refusal(pool, "https://client.example.com/cb", registered, NULL),
              NULL);
    CHECK_STR(oa_redirect_uri_refusal(pool, "com.example.app:/oauth2redirect", registered,
                                      custom),
              NULL);
    /* a custom scheme is refused unless listed, even when registered */
    CHECK_STR(oa_redirect_uri_refusal(pool, "com.example.app:/oauth2redirect", registered,
                                      NULL),
              "the redirect_uri scheme is not allowed");
    CHECK_STR(oa_redirect_uri_refusal(pool, "javascript:alert(1)", list_of("javascript:alert(1)",
                                                                          NULL), NULL),
              "the redirect_uri scheme is not allowed");
    CHECK_STR(oa_redirect_uri_refusal(pool, NULL, registered, NULL),
              "the request has no redirect_uri");
    CHECK_STR(oa_redirect_uri_refusal(pool, "", registered, NULL),
              "the request has no redirect_uri");
    CHECK_STR(oa_redirect_uri_refusal(pool, "/cb", registered, NULL),
              "the redirect_uri is not an absolute URI");
    CHECK_STR(oa_redirect_uri_refusal(pool, "client.example.com/cb", registered, NULL),
              "the redirect_uri is not an absolute URI");
    CHECK_STR(oa_redirect_uri_refusal(pool, "https://client.example.com/cb#x", registered, NULL),
              "the redirect_uri must not have a fragment");
    CHECK_STR(oa_redirect_uri_refusal(pool, "https://client.example.com/c b", registered, NULL),
              "the redirect_uri contains spaces, control or non-ASCII characters");
    CHECK_STR(oa_redirect_uri_refusal(pool, "https:///cb", list_of("https:///cb", NULL), NULL),
              "the redirect_uri has no host");
    CHECK_STR(oa_redirect_uri_refusal(pool, "http:cb", list_of("http:cb", NULL), NULL),
              "the redirect_uri has no host");
    /* simple string comparison: no normalization */
    CHECK_STR(oa_redirect_uri_refusal(pool, "https://CLIENT.example.com/cb", registered, NULL),
              "the redirect_uri is not registered for this client");
    CHECK_STR(oa_redirect_uri_refusal(pool, "https://client.example.com/cb?x=1", registered,
                                      NULL),
              "the redirect_uri is not registered for this client");
    CHECK_STR(oa_redirect_uri_refusal(pool, "https://client.example.com/cb", NULL, NULL),
              "the redirect_uri is not registered for this client");
    CHECK_STR(oa_redirect_uri_refusal(pool, "HTTPS://client.example.com/cb",
                                      list_of("HTTPS://client.example.com/cb", NULL), NULL),
              NULL);
}

static void test_redirect_building(void)
{
    /* RFC 6749 4.1.2.1 example */
    CHECK_STR(oa_authorization_error_redirect(pool, "https://client.example.com/cb",
                                              "access_denied", NULL, NULL, "xyz"),
              "https://client.example.com/cb?error=access_denied&state=xyz");
    /* an existing query is kept; values are percent-encoded */
    CHECK_STR(oa_authorization_error_redirect(
                  pool, "https://client.example.com/cb?lang=en", "invalid_scope",
                  "The scope \"admin\" is unknown & invalid",
                  "https://server.example.com/errors?code=1", "a b&c=d/é"),
              "https://client.example.com/cb?lang=en&error=invalid_scope&error_description="
              "The%20scope%20admin%20is%20unknown%20%26%20invalid&error_uri=https%3A%2F%2F"
              "server.example.com%2Ferrors%3Fcode%3D1&state=a%20b%26c%3Dd%2F%C3%A9");
    CHECK_STR(oa_authorization_error_redirect(pool, "https://c.example/cb?", "server_error",
                                              NULL, NULL, NULL),
              "https://c.example/cb?error=server_error");
    CHECK_STR(oa_authorization_error_redirect(pool, "https://c.example/cb?a=1&",
                                              "server_error", NULL, NULL, NULL),
              "https://c.example/cb?a=1&error=server_error");
    CHECK_STR(oa_authorization_error_redirect(pool, "https://c.example/cb#f", "server_error",
                                              NULL, NULL, NULL),
              NULL);
    CHECK_STR(oa_authorization_error_redirect(pool, "https://c.example/cb", NULL, NULL, NULL,
                                              NULL),
              "https://c.example/cb");
    CHECK_STR(oa_percent_encode(pool, "AZaz09-._~ +%"), "AZaz09-._~%20%2B%25");
}

static const oa_error_fields insufficient = {
    401, "insufficient_scope",
    "The request requires higher privileges than provided by the access token",
    "read write v2", "api"};

static void test_templates(void)
{
    /* Seed 001: the vendor's body with an extra human title. */
    const char *seed001 = "{\n\"error\": \"{error}\",\n\"error_description\": "
                          "\"{error_description}\",\n\"error_human_title\": "
                          "\"Insufficient scope.\"\n}";
    /* Seed 002: Apigee's fault shape. */
    const char *seed002 = "{\"fault\":{\"faultstring\":\"{error_description}\",\"detail\":"
                          "{\"errorcode\":\"steps.oauth.v2.{error}\"}}}";
    oa_error_fields fields = insufficient;

    CHECK_STR(oa_error_template_render(pool, seed001, &fields),
              "{\n\"error\": \"insufficient_scope\",\n\"error_description\": \"The request "
              "requires higher privileges than provided by the access token\",\n"
              "\"error_human_title\": \"Insufficient scope.\"\n}");
    CHECK_STR(oa_error_template_check(pool, seed001), NULL);

    fields.status = 403;
    fields.error_description = "Required scope(s) : VerifyAccessToken.scopeSet";
    CHECK_STR(oa_error_template_render(pool, seed002, &fields),
              "{\"fault\":{\"faultstring\":\"Required scope(s) : VerifyAccessToken.scopeSet\","
              "\"detail\":{\"errorcode\":\"steps.oauth.v2.insufficient_scope\"}}}");
    CHECK_STR(oa_error_template_check(pool, seed002), NULL);

    /* Outside strings: {status} a number, the others JSON strings or null. */
    fields.error = NULL;
    CHECK_STR(oa_error_template_render(
                  pool, "{\"s\": {status}, \"e\": {error}, \"r\": {realm}, \"x\": \"{nope}\"}",
                  &fields),
              "{\"s\": 403, \"e\": null, \"r\": \"api\", \"x\": \"{nope}\"}");
    /* Escaping: the value cannot break out of its string; non-ASCII is dropped. */
    fields.error_description = "a \"quote\", a \\ and caf\xc3\xa9\n";
    fields.realm = "r\"1";
    CHECK_STR(oa_error_template_render(pool, "{\"d\": \"<{error_description}>\", \"r\": "
                                             "\"{realm}\"}",
                                       &fields),
              "{\"d\": \"<a quote, a  and caf>\", \"r\": \"r1\"}");
    /* An escaped quote in the template does not end its string. */
    CHECK_STR(oa_error_template_render(pool, "{\"a\\\"{status}\": \"{status}\"}", &fields),
              "{\"a\\\"403\": \"403\"}");
    CHECK_STR(oa_error_template_render(pool, "{\"unclosed\": \"{error", &fields),
              "{\"unclosed\": \"{error");
    CHECK_STR(oa_error_template_render(pool, NULL, &fields), "");

    /* A problem+json template (Connexion's shape). */
    fields = insufficient;
    CHECK_STR(oa_error_template_render(pool, "{\"type\": \"about:blank\", \"title\": "
                                             "\"Unauthorized\", \"status\": {status}, "
                                             "\"detail\": \"{error_description}\"}",
                                       &fields),
              "{\"type\": \"about:blank\", \"title\": \"Unauthorized\", \"status\": 401, "
              "\"detail\": \"The request requires higher privileges than provided by the "
              "access token\"}");

    CHECK(oa_error_template_check(pool, "{\"error\": {error}}") == NULL);
    CHECK(oa_error_template_check(pool, "{\"error\": {error}") != NULL);
    CHECK(oa_error_template_check(pool, "{\"status\": \"{status}\", \"status\": 1}") != NULL);
    CHECK(oa_error_template_check(pool, "{\"e\": {scope}{realm}}") != NULL);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_quoting();
    test_challenges();
    test_bodies();
    test_token_endpoint();
    test_redirect_refusal();
    test_redirect_building();
    test_templates();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
