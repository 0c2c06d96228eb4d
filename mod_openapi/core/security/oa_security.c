#include "security/oa_security.h"

#include <apr_strings.h>
#include <string.h>

#include "security/oa_security_oauth_template.h"

const char *oa_auth_status_name(oa_auth_status status)
{
    static const char *const names[] = {"ok",      "missing",            "malformed",
                                        "invalid", "insufficient_scope", "unavailable"};
    return (unsigned)status < sizeof(names) / sizeof(names[0]) ? names[status] : "unknown";
}

/* Which failure decides the answer when alternatives fail differently (higher wins):
 * a check that could not run says nothing about the credentials, so it wins (503);
 * then a broken request (400); then a valid credential lacking scopes (403); then bad
 * or absent credentials (401). */
static int precedence(oa_auth_status status)
{
    switch (status) {
    case OA_AUTH_UNAVAILABLE: return 5;
    case OA_AUTH_MALFORMED: return 4;
    case OA_AUTH_INSUFFICIENT_SCOPE: return 3;
    case OA_AUTH_INVALID: return 2;
    case OA_AUTH_MISSING: return 1;
    default: return 0;
    }
}

static int bearer_type(const oa_security_scheme *scheme)
{
    return scheme->kind == OA_SECURITY_OAUTH2 || scheme->kind == OA_SECURITY_BEARER;
}

static const char *error_code(oa_auth_status status)
{
    switch (status) {
    case OA_AUTH_MALFORMED: return "invalid_request";
    case OA_AUTH_INVALID: return "invalid_token";
    case OA_AUTH_INSUFFICIENT_SCOPE: return "insufficient_scope";
    default: return NULL; /* missing credentials (RFC 6750 section 3.1), unavailable */
    }
}

static const char *default_description(const oa_security_scheme *scheme,
                                       oa_auth_status status)
{
    switch (status) {
    case OA_AUTH_MISSING:
        return "authentication is required";
    case OA_AUTH_MALFORMED:
        return "the credentials are malformed";
    case OA_AUTH_INVALID:
        return bearer_type(scheme) ? "the token is invalid"
               : scheme->kind == OA_SECURITY_APIKEY ? "the API key is invalid"
                                                    : "the credentials are invalid";
    case OA_AUTH_INSUFFICIENT_SCOPE:
        return "the credentials do not grant the scopes this operation requires";
    case OA_AUTH_UNAVAILABLE:
        return "the credentials could not be checked now; try again later";
    default:
        return "";
    }
}

static const char *description_of(const oa_security_scheme *scheme,
                                  const oa_auth_outcome *outcome)
{
    return outcome->description ? outcome->description
                                : default_description(scheme, outcome->status);
}

const char *oa_security_challenge(apr_pool_t *pool, const oa_security_scheme *scheme,
                                  const oa_auth_outcome *outcome, const char *realm,
                                  const char *scope)
{
    const char *error;
    if (scheme->kind == OA_SECURITY_BASIC)
        return oa_basic_challenge(pool, realm);
    if (scheme->kind == OA_SECURITY_APIKEY)
        return oa_apikey_challenge(pool, realm, oa_param_location_name(scheme->api_key_in),
                                   scheme->api_key_name);
    error = error_code(outcome->status);
    return oa_bearer_challenge(pool, realm, error, error ? description_of(scheme, outcome) : NULL,
                               outcome->status == OA_AUTH_INSUFFICIENT_SCOPE ? scope : NULL);
}

/* The worst failure seen for one scheme, across the alternatives naming it. */
typedef struct scheme_failure {
    const oa_security_scheme *scheme;
    oa_auth_outcome outcome;
    const char *scope; /* space-separated scopes needed */
} scheme_failure;

static const char *join_scopes(apr_pool_t *pool, const apr_array_header_t *scopes)
{
    apr_array_header_t *parts = apr_array_make(pool, scopes->nelts * 2 + 1, sizeof(char *));
    int i;
    for (i = 0; i < scopes->nelts; i++) {
        if (i)
            APR_ARRAY_PUSH(parts, const char *) = " ";
        APR_ARRAY_PUSH(parts, const char *) = APR_ARRAY_IDX(scopes, i, const char *);
    }
    return apr_array_pstrcat(pool, parts, 0);
}

static void record_failure(apr_pool_t *pool, apr_array_header_t *failures,
                           const oa_security_use *use, const oa_auth_outcome *outcome)
{
    scheme_failure *slot = NULL;
    int i;
    for (i = 0; i < failures->nelts; i++)
        if (APR_ARRAY_IDX(failures, i, scheme_failure).scheme == use->scheme)
            slot = &APR_ARRAY_IDX(failures, i, scheme_failure);
    if (slot && precedence(slot->outcome.status) >= precedence(outcome->status))
        return;
    if (!slot) {
        slot = &APR_ARRAY_PUSH(failures, scheme_failure);
        slot->scheme = use->scheme;
    }
    slot->outcome = *outcome;
    slot->scope = join_scopes(pool, outcome->scopes_needed ? outcome->scopes_needed
                                                           : use->scopes);
}

/* Tries one alternative; 1 when all its schemes pass. */
static int try_requirement(apr_pool_t *pool, const oa_security_requirement *requirement,
                           oa_auth_check_fn check, void *baton, apr_array_header_t *failures,
                           int *presented_bad, oa_security_decision *decision)
{
    int i, passed = 1;
    const char *user = NULL;
    json_t *token_info = NULL;
    for (i = 0; i < requirement->uses->nelts; i++) {
        const oa_security_use *use = &APR_ARRAY_IDX(requirement->uses, i, oa_security_use);
        oa_auth_outcome outcome;
        memset(&outcome, 0, sizeof(outcome));
        if (!passed) {
            /* Not checked (AND stops at the first failure): challenge it plainly. */
            outcome.status = OA_AUTH_MISSING;
            record_failure(pool, failures, use, &outcome);
            continue;
        }
        check(baton, use->scheme, use->scopes, pool, &outcome);
        if (outcome.status == OA_AUTH_OK) {
            if (!user)
                user = outcome.user;
            if (!token_info)
                token_info = outcome.token_info;
            continue;
        }
        passed = 0;
        if (outcome.status == OA_AUTH_MALFORMED || outcome.status == OA_AUTH_INVALID ||
            outcome.status == OA_AUTH_UNAVAILABLE)
            *presented_bad = 1;
        record_failure(pool, failures, use, &outcome);
    }
    if (passed) {
        decision->allowed = 1;
        decision->requirement = requirement;
        decision->user = user;
        decision->token_info = token_info;
    }
    return passed;
}

static void refuse(apr_pool_t *pool, oa_security_decision *decision,
                   const apr_array_header_t *failures, const char *realm)
{
    const scheme_failure *worst = NULL;
    int i, j;
    for (i = 0; i < failures->nelts; i++) {
        const scheme_failure *failure = &APR_ARRAY_IDX(failures, i, scheme_failure);
        if (!worst || precedence(failure->outcome.status) > precedence(worst->outcome.status))
            worst = failure;
    }
    if (!worst) { /* unreachable with a non-empty requirement list; refuse all the same */
        decision->status = 401;
        decision->error_description = "authentication is required";
        return;
    }
    switch (worst->outcome.status) {
    case OA_AUTH_UNAVAILABLE: decision->status = 503; break;
    case OA_AUTH_MALFORMED: decision->status = 400; break;
    case OA_AUTH_INSUFFICIENT_SCOPE: decision->status = 403; break;
    default: decision->status = 401; break;
    }
    decision->error = error_code(worst->outcome.status);
    decision->error_description =
        oa_oauth_clean_text(pool, description_of(worst->scheme, &worst->outcome));
    if (worst->outcome.status == OA_AUTH_INSUFFICIENT_SCOPE)
        decision->scope = oa_oauth_clean_text(pool, worst->scope);
    if (decision->status == 503) {
        for (i = 0; i < failures->nelts; i++) {
            const scheme_failure *failure = &APR_ARRAY_IDX(failures, i, scheme_failure);
            if (failure->outcome.status == OA_AUTH_UNAVAILABLE &&
                failure->outcome.retry_after > decision->retry_after)
                decision->retry_after = failure->outcome.retry_after;
        }
        return; /* nothing the client could change: no challenge */
    }
    for (i = 0; i < failures->nelts; i++) {
        const scheme_failure *failure = &APR_ARRAY_IDX(failures, i, scheme_failure);
        const char *challenge =
            oa_security_challenge(pool, failure->scheme, &failure->outcome, realm,
                                  failure->scope);
        int seen = 0;
        for (j = 0; j < decision->challenges->nelts; j++)
            if (strcmp(APR_ARRAY_IDX(decision->challenges, j, const char *), challenge) == 0)
                seen = 1;
        if (!seen)
            APR_ARRAY_PUSH(decision->challenges, const char *) = challenge;
    }
}

oa_security_decision *oa_security_evaluate(apr_pool_t *pool, const oa_operation *op,
                                           const char *realm, oa_auth_check_fn check,
                                           void *baton)
{
    oa_security_decision *decision = apr_pcalloc(pool, sizeof(*decision));
    apr_array_header_t *failures = apr_array_make(pool, 2, sizeof(scheme_failure));
    int i, optional = 0, presented_bad = 0;
    decision->challenges = apr_array_make(pool, 2, sizeof(const char *));
    if (op->security_open || !op->security || op->security->nelts == 0) {
        decision->allowed = 1;
        decision->anonymous = 1;
        return decision;
    }
    for (i = 0; i < op->security->nelts; i++) {
        const oa_security_requirement *requirement =
            APR_ARRAY_IDX(op->security, i, const oa_security_requirement *);
        if (requirement->uses->nelts == 0) {
            optional = 1; /* `{}`: tried after every other alternative */
            continue;
        }
        if (try_requirement(pool, requirement, check, baton, failures, &presented_bad,
                            decision))
            return decision;
    }
    if (optional && !presented_bad) {
        decision->allowed = 1;
        decision->anonymous = 1;
        return decision;
    }
    refuse(pool, decision, failures, realm);
    return decision;
}

oa_http_answer *oa_security_refusal_answer(apr_pool_t *pool,
                                           const oa_security_decision *decision,
                                           const char *realm, oa_auth_body_format format,
                                           const char *template_text)
{
    oa_http_answer *answer = apr_pcalloc(pool, sizeof(*answer));
    int i;
    answer->status = decision->status;
    answer->headers = apr_array_make(pool, decision->challenges->nelts + 1,
                                     sizeof(oa_http_header));
    for (i = 0; i < decision->challenges->nelts; i++) {
        oa_http_header *header = &APR_ARRAY_PUSH(answer->headers, oa_http_header);
        header->name = "WWW-Authenticate";
        header->value = APR_ARRAY_IDX(decision->challenges, i, const char *);
    }
    if (decision->status == 503) {
        /* not an OAuth error (RFC 6750 has none for it): the server's own problem */
        if (decision->retry_after > 0) {
            oa_http_header *header = &APR_ARRAY_PUSH(answer->headers, oa_http_header);
            header->name = "Retry-After";
            header->value = apr_ltoa(pool, decision->retry_after);
        }
        answer->content_type = "application/problem+json";
        answer->body = oa_oauth_problem_json(pool, decision->status, NULL,
                                             decision->error_description);
    }
    else if (format == OA_AUTH_BODY_PROBLEM) {
        answer->content_type = "application/problem+json";
        answer->body = oa_oauth_problem_json(pool, decision->status, decision->error,
                                             decision->error_description);
    }
    else if (format == OA_AUTH_BODY_TEMPLATE) {
        oa_error_fields fields;
        fields.status = decision->status;
        fields.error = decision->error;
        fields.error_description = decision->error_description;
        fields.scope = decision->scope;
        fields.realm = realm;
        answer->content_type = "application/json";
        answer->body = oa_error_template_render(pool, template_text, &fields);
    }
    else {
        answer->content_type = "application/json";
        answer->body = oa_oauth_error_json(pool, decision->error, decision->error_description,
                                           NULL);
    }
    return answer;
}
