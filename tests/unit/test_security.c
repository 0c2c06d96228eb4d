/* The security engine: OR/AND/optional/open rules, the precedence of failures, the
 * challenges and bodies of refusals; the token info contract; constant-time compare. */
#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#include "security/oa_security.h"
#include "security/oa_security_compare.h"
#include "security/oa_security_token.h"
#include "spec/oa_spec.h"
#include "spec/oa_spec_load.h"
#include "unit.h"

static apr_pool_t *pool;
static oa_spec *spec;

/* ---- a scripted check: each scheme answers what the test set for it ---- */

#define MAX_SCRIPTED 8

typedef struct script {
    struct {
        const char *scheme;
        oa_auth_outcome outcome;
    } answers[MAX_SCRIPTED];
    int count;
    int calls;
    const char *called; /* scheme names checked, comma-separated */
    /* when set, a requirement asking for this scope gets INSUFFICIENT_SCOPE */
    const char *scope_refused;
} script;

static void script_reset(script *s)
{
    memset(s, 0, sizeof(*s));
    s->called = "";
}

static void answer(script *s, const char *scheme, oa_auth_status status, const char *description,
                   const char *user)
{
    s->answers[s->count].scheme = scheme;
    memset(&s->answers[s->count].outcome, 0, sizeof(oa_auth_outcome));
    s->answers[s->count].outcome.status = status;
    s->answers[s->count].outcome.description = description;
    s->answers[s->count].outcome.user = user;
    s->count++;
}

static void scripted_check(void *baton, const oa_security_scheme *scheme,
                           const apr_array_header_t *required_scopes, apr_pool_t *p,
                           oa_auth_outcome *outcome)
{
    script *s = baton;
    int i;
    s->calls++;
    s->called = apr_pstrcat(p, s->called, *s->called ? "," : "", scheme->name, NULL);
    outcome->status = OA_AUTH_MISSING; /* unscripted: nothing presented */
    for (i = 0; i < s->count; i++)
        if (strcmp(s->answers[i].scheme, scheme->name) == 0)
            *outcome = s->answers[i].outcome;
    for (i = 0; s->scope_refused && i < required_scopes->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(required_scopes, i, const char *), s->scope_refused) == 0)
            outcome->status = OA_AUTH_INSUFFICIENT_SCOPE;
}

static oa_operation *find_operation(oa_method method, const char *path)
{
    oa_operation *op = oa_spec_find_operation(spec, method, path);
    if (!op)
        fprintf(stderr, "no operation %s\n", path);
    return op;
}

static oa_security_decision *evaluate(const char *path, script *s)
{
    return oa_security_evaluate(pool, find_operation(OA_METHOD_GET, path), "api",
                                scripted_check, s);
}

static const char *challenges(const oa_security_decision *d)
{
    return apr_array_pstrcat(pool, d->challenges, '|');
}

/* ---- combination rules ---- */

static void test_open_and_single(void)
{
    script s;
    oa_security_decision *d;

    script_reset(&s);
    d = evaluate("/open", &s);
    CHECK(d->allowed && d->anonymous);
    CHECK_INT(s.calls, 0);

    answer(&s, "oauth", OA_AUTH_OK, NULL, "alice");
    d = evaluate("/default", &s);
    CHECK(d->allowed && !d->anonymous);
    CHECK_STR(d->user, "alice");
    CHECK(d->requirement == APR_ARRAY_IDX(spec->security, 0, const oa_security_requirement *));

    script_reset(&s);
    d = evaluate("/default", &s);
    CHECK(!d->allowed);
    CHECK_INT(d->status, 401);
    CHECK_STR(d->error, NULL); /* RFC 6750 3.1: no error code without credentials */
    CHECK_STR(d->error_description, "authentication is required");
    CHECK_STR(challenges(d), "Bearer realm=\"api\"");

    script_reset(&s);
    answer(&s, "oauth", OA_AUTH_INVALID, "the token expired", NULL);
    d = evaluate("/default", &s);
    CHECK_INT(d->status, 401);
    CHECK_STR(d->error, "invalid_token");
    CHECK_STR(challenges(d), "Bearer realm=\"api\", error=\"invalid_token\", "
                             "error_description=\"the token expired\"");

    script_reset(&s);
    answer(&s, "oauth", OA_AUTH_INVALID, NULL, NULL);
    d = evaluate("/default", &s);
    CHECK_STR(d->error_description, "the token is invalid");

    script_reset(&s);
    answer(&s, "oauth", OA_AUTH_MALFORMED, "two tokens", NULL);
    d = evaluate("/default", &s);
    CHECK_INT(d->status, 400);
    CHECK_STR(d->error, "invalid_request");
    CHECK_STR(challenges(d), "Bearer realm=\"api\", error=\"invalid_request\", "
                             "error_description=\"two tokens\"");

    script_reset(&s);
    answer(&s, "oauth", OA_AUTH_INSUFFICIENT_SCOPE, NULL, NULL);
    d = evaluate("/default", &s);
    CHECK_INT(d->status, 403);
    CHECK_STR(d->error, "insufficient_scope");
    CHECK_STR(d->scope, "read");
    CHECK_STR(challenges(d),
              "Bearer realm=\"api\", error=\"insufficient_scope\", error_description=\"the "
              "credentials do not grant the scopes this operation requires\", scope=\"read\"");

    script_reset(&s);
    answer(&s, "oauth", OA_AUTH_UNAVAILABLE, NULL, NULL);
    d = evaluate("/default", &s);
    CHECK_INT(d->status, 503);
    CHECK_STR(d->error, NULL);
    CHECK_INT(d->challenges->nelts, 0);
}

static void test_or(void)
{
    script s;
    oa_security_decision *d;

    /* Nothing presented for either alternative: one challenge each, in order. */
    script_reset(&s);
    d = evaluate("/either", &s);
    CHECK_INT(d->status, 401);
    CHECK_STR(challenges(d), "Basic realm=\"api\", charset=\"UTF-8\"|"
                             "ApiKey realm=\"api\", in=\"header\", name=\"X-API-Key\"");

    /* The second alternative passes after the first failed. */
    script_reset(&s);
    answer(&s, "basic", OA_AUTH_INVALID, NULL, NULL);
    answer(&s, "key_header", OA_AUTH_OK, NULL, "key-owner");
    d = evaluate("/either", &s);
    CHECK(d->allowed);
    CHECK_STR(d->user, "key-owner");
    CHECK(d->requirement ==
          APR_ARRAY_IDX(find_operation(OA_METHOD_GET, "/either")->security, 1,
                        const oa_security_requirement *));

    /* The first that passes wins; later alternatives are not checked. */
    script_reset(&s);
    answer(&s, "basic", OA_AUTH_OK, NULL, "bob");
    d = evaluate("/either", &s);
    CHECK(d->allowed);
    CHECK_STR(d->user, "bob");
    CHECK_STR(s.called, "basic");
}

static void test_and(void)
{
    script s;
    oa_security_decision *d;
    json_t *info = json_pack("{s:s}", "sub", "carol");

    script_reset(&s);
    answer(&s, "key_header", OA_AUTH_OK, NULL, NULL);
    answer(&s, "oauth", OA_AUTH_OK, NULL, "carol");
    s.answers[1].outcome.token_info = info;
    d = evaluate("/both", &s);
    CHECK(d->allowed);
    CHECK_STR(d->user, "carol"); /* the first scheme giving a user */
    CHECK(d->token_info == info);
    CHECK_STR(s.called, "key_header,oauth");

    /* Both must pass. */
    script_reset(&s);
    answer(&s, "key_header", OA_AUTH_OK, NULL, NULL);
    answer(&s, "oauth", OA_AUTH_INSUFFICIENT_SCOPE, NULL, NULL);
    d = evaluate("/both", &s);
    CHECK(!d->allowed);
    CHECK_INT(d->status, 403);
    CHECK_STR(d->scope, "write delete");
    CHECK_STR(challenges(d), "Bearer realm=\"api\", error=\"insufficient_scope\", "
                             "error_description=\"the credentials do not grant the scopes "
                             "this operation requires\", scope=\"write delete\"");

    /* The first failure stops the alternative: oauth is not checked, but challenged
     * plainly since it would be needed too. */
    script_reset(&s);
    d = evaluate("/both", &s);
    CHECK_STR(s.called, "key_header");
    CHECK_INT(d->status, 401);
    CHECK_STR(challenges(d), "ApiKey realm=\"api\", in=\"header\", name=\"X-API-Key\"|"
                             "Bearer realm=\"api\"");
    json_decref(info);
}

static void test_optional(void)
{
    script s;
    oa_security_decision *d;

    script_reset(&s);
    d = evaluate("/optional", &s);
    CHECK(d->allowed && d->anonymous);
    CHECK_STR(d->user, NULL);
    CHECK_STR(s.called, "jwt"); /* {} is tried last: good credentials still identify */

    answer(&s, "jwt", OA_AUTH_OK, NULL, "dave");
    d = evaluate("/optional", &s);
    CHECK(d->allowed && !d->anonymous);
    CHECK_STR(d->user, "dave");

    /* A valid token without the scopes: the anonymous alternative still lets it in. */
    script_reset(&s);
    answer(&s, "jwt", OA_AUTH_INSUFFICIENT_SCOPE, NULL, NULL);
    d = evaluate("/optional", &s);
    CHECK(d->allowed && d->anonymous);

    /* A bad credential that was presented is not silently ignored. */
    script_reset(&s);
    answer(&s, "jwt", OA_AUTH_INVALID, "the token expired", NULL);
    d = evaluate("/optional", &s);
    CHECK(!d->allowed);
    CHECK_INT(d->status, 401);
    CHECK_STR(d->error, "invalid_token");
    script_reset(&s);
    answer(&s, "jwt", OA_AUTH_MALFORMED, NULL, NULL);
    CHECK_INT(evaluate("/optional", &s)->status, 400);
    script_reset(&s);
    answer(&s, "jwt", OA_AUTH_UNAVAILABLE, NULL, NULL);
    CHECK_INT(evaluate("/optional", &s)->status, 503);
}

/* /keys: key_query OR key_cookie OR opaque (bearer) OR shared (basic). */
static void test_precedence(void)
{
    script s;
    oa_security_decision *d;

    script_reset(&s);
    answer(&s, "key_cookie", OA_AUTH_INVALID, NULL, NULL);
    d = evaluate("/keys", &s);
    CHECK_INT(d->status, 401);
    CHECK_STR(d->error, "invalid_token");
    CHECK_STR(d->error_description, "the API key is invalid");
    CHECK_STR(challenges(d), "ApiKey realm=\"api\", in=\"query\", name=\"api_key\"|"
                             "ApiKey realm=\"api\", in=\"cookie\", name=\"session\"|"
                             "Bearer realm=\"api\"|"
                             "Basic realm=\"api\", charset=\"UTF-8\"");

    /* 403 beats 401: a valid credential lacking scopes. */
    script_reset(&s);
    answer(&s, "key_query", OA_AUTH_INVALID, NULL, NULL);
    answer(&s, "opaque", OA_AUTH_INSUFFICIENT_SCOPE, NULL, NULL);
    d = evaluate("/keys", &s);
    CHECK_INT(d->status, 403);
    CHECK_STR(d->error, "insufficient_scope");

    /* 400 beats 403. */
    answer(&s, "shared", OA_AUTH_MALFORMED, "the Basic credentials are not base64", NULL);
    d = evaluate("/keys", &s);
    CHECK_INT(d->status, 400);
    CHECK_STR(d->error, "invalid_request");
    CHECK_STR(d->error_description, "the Basic credentials are not base64");
    /* each failing scheme keeps its own error in its challenge */
    CHECK(strstr(challenges(d), "Bearer realm=\"api\", error=\"insufficient_scope\"") != NULL);

    /* 503 beats everything: the check could not run, nothing is known. */
    answer(&s, "key_cookie", OA_AUTH_UNAVAILABLE, NULL, NULL);
    d = evaluate("/keys", &s);
    CHECK_INT(d->status, 503);
    CHECK_INT(d->challenges->nelts, 0);
    CHECK_STR(d->error_description, "the credentials could not be checked now; try again later");

    /* Among equals the first in requirement order gives the description. */
    script_reset(&s);
    answer(&s, "key_query", OA_AUTH_INVALID, "first", NULL);
    answer(&s, "opaque", OA_AUTH_INVALID, "second", NULL);
    CHECK_STR(evaluate("/keys", &s)->error_description, "first");
}

/* Made-up operations for the deduplication rules. */
static oa_security_requirement *make_requirement(const char *scheme, const char *scope)
{
    oa_security_requirement *req = apr_pcalloc(pool, sizeof(*req));
    oa_security_use *use;
    req->uses = apr_array_make(pool, 1, sizeof(oa_security_use));
    use = &APR_ARRAY_PUSH(req->uses, oa_security_use);
    use->scheme = oa_spec_security_scheme(spec, scheme);
    use->scopes = apr_array_make(pool, 1, sizeof(const char *));
    if (scope)
        APR_ARRAY_PUSH(use->scopes, const char *) = scope;
    return req;
}

static void test_deduplication(void)
{
    oa_operation op;
    apr_array_header_t *list = apr_array_make(pool, 2, sizeof(oa_security_requirement *));
    script s;
    oa_security_decision *d;
    memset(&op, 0, sizeof(op));
    op.security = list;

    /* basic and shared (a $ref to it) make the same challenge: sent once. */
    APR_ARRAY_PUSH(list, oa_security_requirement *) = make_requirement("basic", NULL);
    APR_ARRAY_PUSH(list, oa_security_requirement *) = make_requirement("shared", NULL);
    script_reset(&s);
    d = oa_security_evaluate(pool, &op, "api", scripted_check, &s);
    CHECK_STR(s.called, "basic,shared");
    CHECK_STR(challenges(d), "Basic realm=\"api\", charset=\"UTF-8\"");

    /* One scheme in two alternatives: one challenge, with its worst outcome. */
    list->nelts = 0;
    APR_ARRAY_PUSH(list, oa_security_requirement *) = make_requirement("oauth", "read");
    APR_ARRAY_PUSH(list, oa_security_requirement *) = make_requirement("oauth", "admin");
    script_reset(&s);
    answer(&s, "oauth", OA_AUTH_INVALID, NULL, NULL);
    s.scope_refused = "admin";
    d = oa_security_evaluate(pool, &op, "api", scripted_check, &s);
    CHECK_INT(d->status, 403);
    CHECK_INT(d->challenges->nelts, 1);
    CHECK_STR(d->scope, "admin");

    /* An operation with no requirement list at all is open. */
    op.security = NULL;
    CHECK(oa_security_evaluate(pool, &op, "api", scripted_check, &s)->anonymous);
}

static void test_cleaning_and_answers(void)
{
    script s;
    oa_security_decision *d;
    oa_http_answer *a;
    oa_security_decision *missing;

    /* A realm is a quoted-string (escaped); descriptions keep RFC 6750 characters only. */
    script_reset(&s);
    answer(&s, "oauth", OA_AUTH_INVALID, "bad \"token\" \\ caf\xc3\xa9\r\nX-Injected: 1",
           NULL);
    d = oa_security_evaluate(pool, find_operation(OA_METHOD_GET, "/default"),
                             "my \"api\" \\ \x01\xc3\xa9", scripted_check, &s);
    CHECK_STR(d->error_description, "bad token  cafX-Injected: 1");
    CHECK_STR(challenges(d), "Bearer realm=\"my \\\"api\\\" \\\\ \", error=\"invalid_token\", "
                             "error_description=\"bad token  cafX-Injected: 1\"");

    script_reset(&s);
    answer(&s, "oauth", OA_AUTH_INSUFFICIENT_SCOPE, NULL, NULL);
    d = evaluate("/default", &s);
    a = oa_security_refusal_answer(pool, d, "api", OA_AUTH_BODY_OAUTH, NULL);
    CHECK_INT(a->status, 403);
    CHECK_STR(a->content_type, "application/json");
    CHECK_STR(a->body, "{\"error\":\"insufficient_scope\",\"error_description\":\"the "
                       "credentials do not grant the scopes this operation requires\"}");
    CHECK_INT(a->headers->nelts, 1);
    CHECK_STR(APR_ARRAY_IDX(a->headers, 0, oa_http_header).name, "WWW-Authenticate");
    CHECK_STR(APR_ARRAY_IDX(a->headers, 0, oa_http_header).value, challenges(d));

    a = oa_security_refusal_answer(pool, d, "api", OA_AUTH_BODY_PROBLEM, NULL);
    CHECK_STR(a->content_type, "application/problem+json");
    CHECK_STR(a->body, "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
                       "\"detail\":\"the credentials do not grant the scopes this operation "
                       "requires\",\"error\":\"insufficient_scope\"}");

    a = oa_security_refusal_answer(
        pool, d, "api", OA_AUTH_BODY_TEMPLATE,
        "{\"fault\": {\"faultstring\": \"{error_description}\", \"detail\": "
        "{\"errorcode\": \"{error}\", \"needs\": {scope}, \"status\": {status}}}}");
    CHECK_STR(a->body, "{\"fault\": {\"faultstring\": \"the credentials do not grant the "
                       "scopes this operation requires\", \"detail\": {\"errorcode\": "
                       "\"insufficient_scope\", \"needs\": \"read\", \"status\": 403}}}");

    /* Without credentials the body has no error code either. */
    script_reset(&s);
    missing = evaluate("/default", &s);
    a = oa_security_refusal_answer(pool, missing, "api", OA_AUTH_BODY_OAUTH, NULL);
    CHECK_STR(a->body, "{\"error_description\":\"authentication is required\"}");
    a = oa_security_refusal_answer(pool, missing, "api", OA_AUTH_BODY_PROBLEM, NULL);
    CHECK_STR(a->body, "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
                       "\"detail\":\"authentication is required\"}");

    CHECK_STR(oa_auth_status_name(OA_AUTH_INSUFFICIENT_SCOPE), "insufficient_scope");
}

/* Credentials that could not be checked: a problem in every format (it is no OAuth
 * error), the longest Retry-After of the unavailable checks, no challenge. */
static void test_unavailable_answer(void)
{
    static const oa_auth_body_format formats[] = {OA_AUTH_BODY_OAUTH, OA_AUTH_BODY_PROBLEM,
                                                  OA_AUTH_BODY_TEMPLATE};
    script s;
    oa_security_decision *d;
    oa_http_answer *a;
    size_t f;

    script_reset(&s);
    answer(&s, "basic", OA_AUTH_UNAVAILABLE, NULL, NULL);
    s.answers[0].outcome.retry_after = 30;
    answer(&s, "key_header", OA_AUTH_UNAVAILABLE, NULL, NULL);
    s.answers[1].outcome.retry_after = 120;
    d = evaluate("/either", &s);
    CHECK_INT(d->status, 503);
    CHECK_INT(d->retry_after, 120);
    for (f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
        a = oa_security_refusal_answer(pool, d, "api", formats[f], "{\"e\": \"{error}\"}");
        CHECK_INT(a->status, 503);
        CHECK_STR(a->content_type, "application/problem+json");
        CHECK_STR(a->body, "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\","
                           "\"status\":503,\"detail\":\"the credentials could not be "
                           "checked now; try again later\"}");
        CHECK_INT(a->headers->nelts, 1);
        CHECK_STR(APR_ARRAY_IDX(a->headers, 0, oa_http_header).name, "Retry-After");
        CHECK_STR(APR_ARRAY_IDX(a->headers, 0, oa_http_header).value, "120");
    }

    /* unknown: no Retry-After at all */
    script_reset(&s);
    answer(&s, "oauth", OA_AUTH_UNAVAILABLE, NULL, NULL);
    d = evaluate("/default", &s);
    a = oa_security_refusal_answer(pool, d, "api", OA_AUTH_BODY_OAUTH, NULL);
    CHECK_INT(a->headers->nelts, 0);
}

/* ---- token info contract ---- */

static const char *scopes_of(const char *json)
{
    json_t *info = json_loads(json, 0, NULL);
    const char *text = apr_array_pstrcat(pool, oa_token_info_scopes(pool, info), ',');
    json_decref(info);
    return text;
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

static void test_token_info(void)
{
    json_t *info;
    oa_auth_outcome outcome;
    const double now = 1700000000.0;

    CHECK_STR(scopes_of("{\"scope\": \"read  write read\"}"), "read,write");
    CHECK_STR(scopes_of("{\"scope\": [\"read\", \"write\", 3]}"), "read,write");
    CHECK_STR(scopes_of("{\"scopes\": [\"admin\"]}"), "admin");
    CHECK_STR(scopes_of("{\"scopes\": \"a b\"}"), "a,b");
    CHECK_STR(scopes_of("{\"scope\": \"x\", \"scopes\": [\"y\"]}"), "x");
    CHECK_STR(scopes_of("{\"scope\": 5, \"scopes\": [\"y\"]}"), "y");
    CHECK_STR(scopes_of("{}"), "");

    info = json_pack("{s:s, s:s}", "sub", "alice", "uid", "a1");
    CHECK_STR(oa_token_info_user(info), "alice");
    json_object_set_new(info, "sub", json_integer(7));
    CHECK_STR(oa_token_info_user(info), "a1");
    json_decref(info);
    CHECK_STR(oa_token_info_user(NULL), NULL);

    CHECK(oa_scopes_granted(list_of("a", "b"), list_of("b", NULL)));
    CHECK(oa_scopes_granted(list_of(NULL, NULL), NULL));
    CHECK(oa_scopes_granted(list_of(NULL, NULL), list_of(NULL, NULL)));
    CHECK(!oa_scopes_granted(list_of("a", NULL), list_of("a", "b")));
    CHECK_STR(apr_array_pstrcat(pool, oa_scopes_missing(pool, list_of("a", NULL),
                                                        list_of("b", "a")), ','),
              "b");

    oa_token_info_outcome(pool, NULL, NULL, now, &outcome);
    CHECK(outcome.status == OA_AUTH_INVALID);
    CHECK_STR(outcome.description, "the token is invalid");

    info = json_pack("{s:b, s:s, s:s}", "active", 0, "sub", "alice", "scope", "read");
    oa_token_info_outcome(pool, info, NULL, now, &outcome);
    CHECK(outcome.status == OA_AUTH_INVALID);
    CHECK_STR(outcome.description, "the token is not active");
    json_object_set_new(info, "active", json_true());
    json_object_set_new(info, "exp", json_integer(1700000000));
    oa_token_info_outcome(pool, info, NULL, now, &outcome);
    CHECK(outcome.status == OA_AUTH_INVALID);
    CHECK_STR(outcome.description, "the token expired");
    json_object_set_new(info, "exp", json_real(now + 0.5));
    json_object_set_new(info, "nbf", json_integer(1700000100));
    oa_token_info_outcome(pool, info, NULL, now, &outcome);
    CHECK_STR(outcome.description, "the token is not valid yet");
    json_object_del(info, "nbf");

    oa_token_info_outcome(pool, info, list_of("read", "write"), now, &outcome);
    CHECK(outcome.status == OA_AUTH_INSUFFICIENT_SCOPE);
    CHECK_INT(outcome.scopes_needed->nelts, 2);

    oa_token_info_outcome(pool, info, list_of("read", NULL), now, &outcome);
    CHECK(outcome.status == OA_AUTH_OK);
    CHECK_STR(outcome.user, "alice");
    CHECK(outcome.token_info == info);
    CHECK(outcome.description == NULL);
    json_decref(info);
}

static void test_secure_equals(void)
{
    CHECK(oa_secure_equals("secret", 6, "secret", 6));
    CHECK(!oa_secure_equals("secret", 6, "secreT", 6));
    CHECK(!oa_secure_equals("Secret", 6, "secret", 6));
    CHECK(!oa_secure_equals("secret", 6, "secret2", 7));
    CHECK(!oa_secure_equals("secret2", 7, "secret", 6));
    CHECK(!oa_secure_equals("", 0, "a", 1));
    CHECK(oa_secure_equals(NULL, 0, NULL, 0));
    CHECK(oa_secure_equals("", 0, NULL, 0));
    /* embedded NUL bytes count */
    CHECK(!oa_secure_equals("a\0b", 3, "a\0c", 3));
    CHECK(oa_secure_equals("a\0b", 3, "a\0b", 3));
    /* a length difference alone is a difference, even when the extra byte is 0 */
    CHECK(!oa_secure_equals("ab", 2, "ab\0", 3));
}

int main(void)
{
    oa_diag *diag;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    diag = oa_diag_create(pool);
    spec = oa_spec_load(pool,
                        apr_pstrcat(pool, unit_srcdir(),
                                    "/tests/fixtures/specs/security/v3.yaml", NULL),
                        diag);
    CHECK(spec != NULL);
    if (spec) {
        test_open_and_single();
        test_or();
        test_and();
        test_optional();
        test_precedence();
        test_deduplication();
        test_cleaning_and_answers();
        test_unavailable_answer();
    }
    test_token_info();
    test_secure_equals();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
