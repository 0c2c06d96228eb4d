/* OAuth 2 token endpoints served by the module (RFC 6749 sections 5.1 and 5.2): for an
 * operation that is a flow's tokenUrl (or says x-oauth2-token-endpoint: true), requests
 * that do not fit are answered with OAuth 2 errors instead of problem+json: no grant_type
 * or a missing parameter is invalid_request, a grant type no flow of the spec offers is
 * unsupported_grant_type, a scope no scheme declares is invalid_scope; so are a grant type
 * and a scope the endpoint's own request schema refuses (an enum, a pattern). Every answer of a
 * token endpoint carries Cache-Control: no-store and Pragma: no-cache. */
#include "mod_openapi_glue.h"

#include <http_log.h>
#include <apr_strings.h>
#include <strings.h>

#include "security/oa_security_oauth_errors.h"
#include "security/oa_security_oauth_redirect.h"
#include "request/oa_query.h"

APLOG_USE_MODULE(openapi);

/* The grant types the spec's OAuth 2 flows offer (3.0 and 2.0 flow names). */
static int grant_type_offered(const oa_spec *spec, const char *grant_type)
{
    static const char *const flows[][2] = {
        {"authorizationCode", "authorization_code"}, {"accessCode", "authorization_code"},
        {"password", "password"},                    {"clientCredentials", "client_credentials"},
        {"application", "client_credentials"}};
    int code_or_password = 0;
    int i;
    size_t f;
    for (i = 0; spec->security_schemes && i < spec->security_schemes->nelts; i++) {
        const oa_security_scheme *scheme =
            APR_ARRAY_IDX(spec->security_schemes, i, oa_security_scheme *);
        json_t *declared = json_object_get(scheme->node, "flows");
        if (scheme->kind != OA_SECURITY_OAUTH2)
            continue;
        for (f = 0; f < sizeof(flows) / sizeof(flows[0]); f++) {
            int present = declared ? json_object_get(declared, flows[f][0]) != NULL
                                   : json_is_string(json_object_get(scheme->node, "flow")) &&
                                         strcmp(json_string_value(json_object_get(
                                                    scheme->node, "flow")), flows[f][0]) == 0;
            if (!present)
                continue;
            if (strcmp(grant_type, flows[f][1]) == 0)
                return 1;
            code_or_password |= strcmp(flows[f][1], "client_credentials") != 0;
        }
    }
    /* refresh tokens come with the flows that issue them */
    return code_or_password && strcmp(grant_type, "refresh_token") == 0;
}

/* The first requested scope no OAuth 2 scheme of the spec declares, or NULL. */
static const char *undeclared_scope(apr_pool_t *pool, const oa_spec *spec, const char *scope)
{
    char *copy = apr_pstrdup(pool, scope);
    char *state = NULL;
    char *token;
    for (token = apr_strtok(copy, " ", &state); token; token = apr_strtok(NULL, " ", &state)) {
        int declared = 0;
        int i, k;
        for (i = 0; !declared && spec->security_schemes && i < spec->security_schemes->nelts;
             i++) {
            const oa_security_scheme *scheme =
                APR_ARRAY_IDX(spec->security_schemes, i, oa_security_scheme *);
            for (k = 0; !declared && scheme->scopes && k < scheme->scopes->nelts; k++)
                declared = strcmp(APR_ARRAY_IDX(scheme->scopes, k, const char *), token) == 0;
        }
        if (!declared)
            return token;
    }
    return NULL;
}

static const char *form_field(const apr_array_header_t *pairs, const char *name)
{
    int i;
    for (i = 0; pairs && i < pairs->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(pairs, i, oa_query_pair).name, name) == 0)
            return APR_ARRAY_IDX(pairs, i, oa_query_pair).value;
    return NULL;
}

/* "'code' is a required property" -> "Missing parameter: code is required" (RFC 6749
 * allows no '"' in error_description, so the vendor wording loses its quotes). */
static const char *describe_error(apr_pool_t *pool, const oa_request_error *e)
{
    const char *suffix = "' is a required property";
    size_t length = strlen(e->message);
    size_t suffix_length = strlen(suffix);
    if (e->message[0] == '\'' && length > suffix_length + 1 &&
        strcmp(e->message + length - suffix_length, suffix) == 0)
        return apr_psprintf(pool, "Missing parameter: %s is required",
                            apr_pstrmemdup(pool, e->message + 1,
                                           length - suffix_length - 1));
    if (e->name)
        return apr_psprintf(pool, "Invalid parameter %s: %s", e->name, e->message);
    return apr_psprintf(pool, "Invalid request: %s", e->message);
}

/* Whether a validation error is about the form field `field` (a 3.x body property, or a
 * 2.0 formData parameter). */
static int error_about(const oa_request_error *e, const char *field)
{
    size_t n = strlen(field);
    if (e->name)
        return strcmp(e->name, field) == 0;
    return e->pointer && e->pointer[0] == '/' && strncmp(e->pointer + 1, field, n) == 0 &&
           (e->pointer[n + 1] == '\0' || e->pointer[n + 1] == '/');
}

/* RFC 6749 section 5.2 has its own codes for a grant type and a scope the endpoint does not
 * accept: when its schema refuses either, that code, not invalid_request. */
static int schema_refusal(request_rec *r, const oa_request_result *result, const char *grant_type,
                          const char *scope, oa_token_error *error, const char **description)
{
    int i;
    for (i = 0; result && i < result->errors->nelts; i++) {
        const oa_request_error *e = &APR_ARRAY_IDX(result->errors, i, oa_request_error);
        if (error_about(e, "grant_type")) {
            *error = OA_TOKEN_UNSUPPORTED_GRANT_TYPE;
            *description = apr_psprintf(r->pool, "The grant type %s is not supported",
                                        grant_type);
            return 1;
        }
    }
    for (i = 0; scope && result && i < result->errors->nelts; i++) {
        const oa_request_error *e = &APR_ARRAY_IDX(result->errors, i, oa_request_error);
        if (error_about(e, "scope")) {
            *error = OA_TOKEN_INVALID_SCOPE;
            *description = apr_psprintf(r->pool, "The scope %s is invalid", scope);
            return 1;
        }
    }
    return 0;
}

static int send_token_error(request_rec *r, oa_token_error error, const char *description)
{
    oa_http_answer *answer = oa_token_error_answer(r->pool, error, description, NULL, NULL);
    int i;
    for (i = 0; answer->headers && i < answer->headers->nelts; i++) {
        const oa_http_header *header = &APR_ARRAY_IDX(answer->headers, i, oa_http_header);
        apr_table_set(r->err_headers_out, header->name, header->value);
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, OA_LOGNO(02011) "token endpoint %s: %s: %s",
                  r->uri, oa_token_error_code(error), description);
    return glue_error_body(r, answer->status, answer->content_type, answer->body);
}

int glue_token_endpoint_check(request_rec *r, openapi_request *state,
                            const oa_request_result *result)
{
    const oa_spec *spec = state->api->spec;
    apr_array_header_t *pairs = NULL;
    const char *grant_type, *scope, *bad_scope;
    const char *ignored;
    const char *description;
    oa_token_error error;
    if (state->body)
        pairs = oa_query_split(r->pool, state->body, state->body_length, &ignored);
    grant_type = form_field(pairs, "grant_type");
    scope = form_field(pairs, "scope");
    if (!grant_type || !*grant_type)
        return send_token_error(r, OA_TOKEN_INVALID_REQUEST,
                                "The grant type was not specified in the request");
    if (!grant_type_offered(spec, grant_type))
        return send_token_error(r, OA_TOKEN_UNSUPPORTED_GRANT_TYPE,
                                apr_psprintf(r->pool, "The grant type %s is not supported",
                                             grant_type));
    bad_scope = scope ? undeclared_scope(r->pool, spec, scope) : NULL;
    if (bad_scope)
        return send_token_error(r, OA_TOKEN_INVALID_SCOPE,
                                apr_psprintf(r->pool, "The scope %s is invalid", bad_scope));
    if (result && result->status != 0 &&
        schema_refusal(r, result, grant_type, scope, &error, &description))
        return send_token_error(r, error, description);
    if (result && result->status != 0 && result->errors->nelts > 0)
        return send_token_error(r, OA_TOKEN_INVALID_REQUEST,
                                describe_error(r->pool, &APR_ARRAY_IDX(result->errors, 0,
                                                                       oa_request_error)));
    if (result && result->status != 0)
        return send_token_error(r, OA_TOKEN_INVALID_REQUEST, "The request is malformed");
    return OK;
}

void glue_token_endpoint_headers(apr_table_t *headers)
{
    size_t count, i;
    const oa_http_header *no_store = oa_oauth_no_store_headers(&count);
    for (i = 0; i < count; i++)
        apr_table_set(headers, no_store[i].name, no_store[i].value);
}

/* ---- SDK ---- */

static const struct {
    const char *code;
    oa_token_error error;
} token_errors[] = {
    {"invalid_request", OA_TOKEN_INVALID_REQUEST},
    {"invalid_client", OA_TOKEN_INVALID_CLIENT},
    {"invalid_grant", OA_TOKEN_INVALID_GRANT},
    {"unauthorized_client", OA_TOKEN_UNAUTHORIZED_CLIENT},
    {"unsupported_grant_type", OA_TOKEN_UNSUPPORTED_GRANT_TYPE},
    {"invalid_scope", OA_TOKEN_INVALID_SCOPE},
};

static void answer_into(openapi_response *res, const oa_http_answer *answer)
{
    apr_pool_t *pool = apr_table_elts(res->headers)->pool;
    int i;
    json_decref(res->json);
    res->json = NULL;
    res->status = answer->status;
    res->content_type = answer->content_type;
    res->body = answer->body;
    res->body_length = strlen(answer->body);
    for (i = 0; answer->headers && i < answer->headers->nelts; i++) {
        const oa_http_header *header = &APR_ARRAY_IDX(answer->headers, i, oa_http_header);
        apr_table_set(res->headers, header->name, apr_pstrdup(pool, header->value));
    }
}

int openapi_token_response(openapi_response *res, const char *access_token,
                           const char *token_type, long long expires_in,
                           const char *refresh_token, const char *scope)
{
    apr_pool_t *pool = apr_table_elts(res->headers)->pool;
    oa_http_answer *answer = oa_token_success_answer(pool, access_token, token_type, expires_in,
                                                     refresh_token, scope);
    if (!answer)
        return OPENAPI_ERROR;
    answer_into(res, answer);
    return OPENAPI_OK;
}

int openapi_token_error(openapi_request *req, openapi_response *res, const char *code,
                        const char *description)
{
    apr_pool_t *pool = apr_table_elts(res->headers)->pool;
    const char *authorization = apr_table_get(req->r->headers_in, "Authorization");
    const char *client_scheme = NULL;
    size_t i;
    for (i = 0; i < sizeof(token_errors) / sizeof(token_errors[0]); i++) {
        if (strcmp(token_errors[i].code, code) != 0)
            continue;
        /* invalid_client answers with the scheme the client authenticated with */
        if (authorization)
            client_scheme = apr_pstrmemdup(pool, authorization, strcspn(authorization, " "));
        answer_into(res, oa_token_error_answer(pool, token_errors[i].error, description,
                                               client_scheme, req->api->spec->title));
        return OPENAPI_OK;
    }
    return OPENAPI_ERROR;
}

void openapi_authorization_error(openapi_response *res, const char *redirect_uri,
                                 const char *const *registered_uris, const char *error,
                                 const char *description, const char *error_uri,
                                 const char *state)
{
    apr_pool_t *pool = apr_table_elts(res->headers)->pool;
    apr_array_header_t *registered = apr_array_make(pool, 4, sizeof(const char *));
    const char *refusal;
    const char *location = NULL;
    for (; registered_uris && *registered_uris; registered_uris++)
        APR_ARRAY_PUSH(registered, const char *) = *registered_uris;
    refusal = oa_redirect_uri_refusal(pool, redirect_uri, registered, NULL);
    if (!refusal)
        location = oa_authorization_error_redirect(pool, redirect_uri, error, description,
                                                   error_uri, state);
    json_decref(res->json);
    res->json = NULL;
    if (!location) {
        /* never redirect to an unregistered or invalid URI: tell the user instead */
        answer_into(res, oa_token_error_answer(pool, OA_TOKEN_INVALID_REQUEST,
                                               refusal ? refusal : "invalid redirect_uri",
                                               NULL, NULL));
        return;
    }
    res->status = 302;
    res->body = NULL;
    res->body_length = 0;
    apr_table_set(res->headers, "Location", location);
    glue_token_endpoint_headers(res->headers);
}
