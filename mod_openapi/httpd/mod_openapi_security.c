/* Security on the request path: the spec's requirements are decided by the core engine
 * (oa_security.h) before parameters are validated, so an unauthenticated client learns
 * nothing about the API's schemas. Credentials are checked by the plugin functions the
 * spec or the location names (Connexion's x-*InfoFunc), or for Basic without one by
 * httpd's own authn providers (an htpasswd file just works). Nothing secret is logged. */
#include "mod_openapi_glue.h"
#include "mod_openapi_jwt.h"

#include <http_core.h>
#include <http_log.h>
#include <http_request.h>
#include <ap_provider.h>
#include <mod_auth.h>
#include <mod_ssl.h>
#include <util_cookies.h>
#include <util_script.h>
#include <apr_strings.h>
#include <strings.h>

#include "request/oa_query.h"
#include "security/oa_security_header.h"
#include "util/oa_json.h"
#include "security/oa_security.h"
#include "security/oa_security_token.h"

APLOG_USE_MODULE(openapi);

/* ---- config time ---- */

static int scheme_is_used(const oa_spec *spec, const oa_security_scheme *scheme)
{
    int i, k, u;
    for (i = 0; i < spec->operations->nelts; i++) {
        const oa_operation *op = APR_ARRAY_IDX(spec->operations, i, oa_operation *);
        for (k = 0; op->security && k < op->security->nelts; k++) {
            const oa_security_requirement *req =
                APR_ARRAY_IDX(op->security, k, oa_security_requirement *);
            for (u = 0; u < req->uses->nelts; u++)
                if (APR_ARRAY_IDX(req->uses, u, oa_security_use).scheme == scheme)
                    return 1;
        }
    }
    return 0;
}

static const char *resolve(apr_pool_t *pool, const glue_dir_conf *conf,
                           const oa_security_scheme *scheme, const char *name, void **address)
{
    const char *error;
    const char *dot = name ? strchr(name, '.') : NULL;
    if (!name)
        return NULL;
    /* OpenAPIMock all serves a spec without its plugins (openapi-run SPEC --mock all): a
     * function of a plugin that is not loaded is then as if none were named */
    if (conf->mock == OA_MOCK_ALL && dot &&
        !(conf->plugins && apr_hash_get(conf->plugins, name, (apr_ssize_t)(dot - name))))
        return NULL;
    error = glue_plugin_resolve_name(pool, conf->plugins, name, address);
    return error ? apr_psprintf(pool, "security scheme '%s': %s", scheme->name, error) : NULL;
}

static const char *check_basic_providers(apr_pool_t *pool, glue_api *api)
{
    int i;
    for (i = 0; i < api->basic_providers->nelts; i++) {
        const char *name = APR_ARRAY_IDX(api->basic_providers, i, const char *);
        if (!ap_lookup_provider(AUTHN_PROVIDER_GROUP, name, AUTHN_PROVIDER_VERSION))
            return apr_psprintf(pool, "OpenAPIBasicProvider: no authn provider '%s' is loaded "
                                "(LoadModule authn_%s_module)", name, name);
    }
    return NULL;
}

/* httpd reads its configuration twice when it starts: a warning is logged on the pass
 * that is kept (it lands in the error log), or on the only pass of a configtest. */
static int warn_now(void)
{
    return ap_state_query(AP_SQ_MAIN_STATE) != AP_SQ_MS_CREATE_PRE_CONFIG ||
           ap_state_query(AP_SQ_RUN_MODE) == AP_SQ_RM_CONFIG_TEST;
}

/* Mock and stub modes never weaken a scheme: one with a way to check credentials uses
 * it in every mode; one with none at all passes any well-formed credential there, and
 * the operator is told which. */
static const char *presence_only(apr_pool_t *pool, const glue_api *api,
                                 const oa_security_scheme *scheme)
{
    if (!api->stub && api->mock == OA_MOCK_OFF)
        return apr_psprintf(pool, "security scheme '%s' (%s) has no way to check "
                            "credentials: name a function in the spec (x-%sInfoFunc%s) "
                            "or for the location", scheme->name,
                            oa_security_kind_name(scheme->kind),
                            scheme->kind == OA_SECURITY_OAUTH2 ? "token"
                            : scheme->kind == OA_SECURITY_APIKEY ? "apikey" : "bearer",
                            scheme->kind == OA_SECURITY_APIKEY ? ""
                            : ", x-tokenInfoUrl or OpenAPITokenIntrospection");
    if (warn_now())
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, NULL,
                     OA_LOGNO(05000) "%s: security scheme '%s' (%s) has no way to check "
                     "credentials: in %s mode any well-formed credential passes (presence "
                     "only)", api->where, scheme->name, oa_security_kind_name(scheme->kind),
                     api->stub ? "stub" : "mock");
    return NULL;
}

const char *glue_security_prepare(apr_pool_t *pool, glue_api *api, const glue_dir_conf *conf)
{
    const apr_array_header_t *schemes = api->spec->security_schemes;
    const char *const *funcs = conf->default_funcs;
    int needs_providers = 0;
    int i;

    api->scheme_checks = apr_hash_make(pool);
    api->basic_providers = conf->basic_providers;
    for (i = 0; schemes && i < schemes->nelts; i++) {
        const oa_security_scheme *scheme = APR_ARRAY_IDX(schemes, i, oa_security_scheme *);
        glue_scheme_check *check = apr_pcalloc(pool, sizeof(*check));
        void *token = NULL, *basic = NULL, *apikey = NULL, *scopes = NULL;
        const char *error = NULL;
        int has_function;
        if (!scheme_is_used(api->spec, scheme))
            continue;
        switch (scheme->kind) {
        case OA_SECURITY_OAUTH2:
            error = resolve(pool, conf, scheme, scheme->token_info_func
                            ? scheme->token_info_func : funcs[OA_FUNC_TOKEN_INFO], &token);
            if (!error)
                error = resolve(pool, conf, scheme, scheme->scope_validate_func
                                ? scheme->scope_validate_func : funcs[OA_FUNC_SCOPE_VALIDATE],
                                &scopes);
            break;
        case OA_SECURITY_BEARER:
            error = resolve(pool, conf, scheme, scheme->bearer_info_func
                            ? scheme->bearer_info_func : funcs[OA_FUNC_BEARER_INFO], &token);
            break;
        case OA_SECURITY_BASIC:
            error = resolve(pool, conf, scheme, scheme->basic_info_func
                            ? scheme->basic_info_func : funcs[OA_FUNC_BASIC_INFO], &basic);
            needs_providers |= !error && !basic;
            break;
        case OA_SECURITY_APIKEY:
            error = resolve(pool, conf, scheme, scheme->apikey_info_func
                            ? scheme->apikey_info_func : funcs[OA_FUNC_APIKEY_INFO], &apikey);
            break;
        case OA_SECURITY_MUTUAL_TLS:
            break; /* mod_ssl verifies the certificate (check_mutual_tls) */
        }
        if (error)
            return error;
        check->token_info = (openapi_token_info_fn)token;
        check->basic_info = (openapi_basic_info_fn)basic;
        check->apikey_info = (openapi_apikey_info_fn)apikey;
        check->scope_validate = (openapi_scope_validate_fn)scopes;
        /* without a function: the scheme's x-tokenInfoUrl (as Connexion for OAuth 2, and
         * for bearer and openIdConnect tokens alike), else the location's RFC 7662
         * endpoint */
        if (!token && (scheme->kind == OA_SECURITY_OAUTH2 ||
                       scheme->kind == OA_SECURITY_BEARER) && scheme->token_info_url)
            error = glue_token_remote_make(
                pool, apr_psprintf(pool, "security scheme '%s' (x-tokenInfoUrl)",
                                   scheme->name),
                scheme->token_info_url, NULL, NULL, conf->token_cache, conf->token_cache_ttl,
                &check->remote);
        else if (!token && (scheme->kind == OA_SECURITY_OAUTH2 ||
                            scheme->kind == OA_SECURITY_BEARER) && conf->introspect_url)
            error = glue_token_remote_make(pool, "OpenAPITokenIntrospection",
                                         conf->introspect_url, conf->introspect_client_id,
                                         conf->introspect_client_secret, conf->token_cache,
                                         conf->token_cache_ttl, &check->remote);
        else if (!token && (scheme->kind == OA_SECURITY_OAUTH2 ||
                            scheme->kind == OA_SECURITY_BEARER)) /* OpenAPIJWT*, if set */
            error = glue_jwt_prepare(pool, scheme, conf, &check->jwt);
        if (error)
            return error;
        has_function = token || basic || apikey || check->remote || check->jwt ||
                       scheme->kind == OA_SECURITY_BASIC ||
                       scheme->kind == OA_SECURITY_MUTUAL_TLS;
        if (!has_function) {
            error = presence_only(pool, api, scheme);
            if (error)
                return error;
            check->presence_only = 1;
        }
        apr_hash_set(api->scheme_checks, apr_pmemdup(pool, &scheme, sizeof(scheme)),
                     sizeof(scheme), check);
    }
    return needs_providers ? check_basic_providers(pool, api) : NULL;
}

/* ---- per request ---- */

/* mutualTLS: the connection is TLS and mod_ssl verified the client's certificate
 * (SSLVerifyClient require/optional with SSLCACertificateFile). The user is the
 * certificate's subject (SSL_CLIENT_S_DN, RFC 2253: "CN=alice,O=Example"), as with
 * mod_ssl's own SSLUserName SSL_CLIENT_S_DN. */
static void check_mutual_tls(request_rec *r, oa_auth_outcome *out)
{
    APR_OPTIONAL_FN_TYPE(ssl_is_https) *is_https = APR_RETRIEVE_OPTIONAL_FN(ssl_is_https);
    APR_OPTIONAL_FN_TYPE(ssl_var_lookup) *lookup = APR_RETRIEVE_OPTIONAL_FN(ssl_var_lookup);
    const char *verify;
    if (!is_https || !lookup || !is_https(r->connection)) {
        out->status = OA_AUTH_MISSING;
        out->description = "a TLS client certificate is required (the connection is not TLS)";
        return;
    }
    verify = lookup(r->pool, r->server, r->connection, r, (char *)"SSL_CLIENT_VERIFY");
    if (verify && strcmp(verify, "SUCCESS") == 0) {
        const char *subject = lookup(r->pool, r->server, r->connection, r,
                                     (char *)"SSL_CLIENT_S_DN");
        out->user = subject && *subject ? subject : NULL;
        return;
    }
    out->status = verify && strncmp(verify, "FAILED", 6) == 0 ? OA_AUTH_INVALID
                                                              : OA_AUTH_MISSING;
    out->description = out->status == OA_AUTH_INVALID
                           ? "the TLS client certificate could not be verified"
                           : "a verified TLS client certificate is required";
}

static oa_auth_status credential_status(oa_credential_status found)
{
    return found == OA_CREDENTIAL_ABSENT ? OA_AUTH_MISSING : OA_AUTH_MALFORMED;
}

/* Turns what a function returned into an outcome: active/exp/scopes per the token info
 * contract; scopes only for OAuth 2 and bearer tokens (Basic and API key functions were
 * given the required scopes and decided themselves). */
static void judge_info(request_rec *r, const glue_scheme_check *check, json_t *info,
                       const apr_array_header_t *required, int judge_scopes,
                       oa_auth_outcome *out)
{
    apr_array_header_t *empty = apr_array_make(r->pool, 1, sizeof(const char *));
    double now = (double)apr_time_sec(r->request_time);
    oa_json_bind(r->pool, info);
    if (judge_scopes && check->scope_validate && required->nelts > 0) {
        apr_array_header_t *granted;
        oa_token_info_outcome(r->pool, info, empty, now, out);
        if (out->status != OA_AUTH_OK)
            return;
        granted = oa_token_info_scopes(r->pool, info);
        if (!check->scope_validate((const char *const *)required->elts, required->nelts,
                                   (const char *const *)granted->elts, granted->nelts))
            out->status = OA_AUTH_INSUFFICIENT_SCOPE;
        return;
    }
    oa_token_info_outcome(r->pool, info, judge_scopes ? required : empty, now, out);
}

static const char *api_key_of(request_rec *r, const oa_security_scheme *scheme)
{
    if (scheme->api_key_in == OA_IN_HEADER)
        return apr_table_get(r->headers_in, scheme->api_key_name);
    if (scheme->api_key_in == OA_IN_QUERY) {
        apr_table_t *args;
        ap_args_to_table(r, &args);
        return apr_table_get(args, scheme->api_key_name);
    }
    {
        const char *value = NULL;
        ap_cookie_read(r, scheme->api_key_name, &value, 0);
        return value;
    }
}

/* RFC 6750 section 2.2: a form-encoded, single-part body of a request other than GET. */
static int form_encoded(request_rec *r)
{
    static const char form[] = "application/x-www-form-urlencoded";
    const char *type = apr_table_get(r->headers_in, "Content-Type");
    size_t n = sizeof(form) - 1;
    return type && r->method_number != M_GET && strncasecmp(type, form, n) == 0 &&
           (type[n] == '\0' || type[n] == ';' || type[n] == ' ' || type[n] == '\t');
}

static int takes_bearer_tokens(const oa_operation *op)
{
    int k, u;
    for (k = 0; op->security && k < op->security->nelts; k++) {
        const oa_security_requirement *req =
            APR_ARRAY_IDX(op->security, k, oa_security_requirement *);
        for (u = 0; u < req->uses->nelts; u++) {
            oa_security_kind kind = APR_ARRAY_IDX(req->uses, u, oa_security_use).scheme->kind;
            if (kind == OA_SECURITY_OAUTH2 || kind == OA_SECURITY_BEARER)
                return 1;
        }
    }
    return 0;
}

int glue_security_needs_body(request_rec *r, const openapi_request *state)
{
    return (state->api->bearer_token_from & OA_TOKEN_FROM_FORM) &&
           !state->operation->security_open && form_encoded(r) &&
           takes_bearer_tokens(state->operation);
}

/* The access_token of a query string or form body, counting its occurrences into *count
 * (RFC 6750 section 2: one token, by one method). Text that does not split (a NUL or bad
 * UTF-8) carries no token. */
static const char *access_token_in(request_rec *r, const char *text, size_t length,
                                   int *count)
{
    const char *error = NULL;
    const char *token = NULL;
    apr_array_header_t *pairs = text ? oa_query_split(r->pool, text, length, &error) : NULL;
    int i;
    for (i = 0; pairs && i < pairs->nelts; i++) {
        const oa_query_pair *pair = &APR_ARRAY_IDX(pairs, i, oa_query_pair);
        if (strcmp(pair->name, "access_token") == 0) {
            token = pair->value;
            ++*count;
        }
    }
    return token;
}

/* A security function that called openapi_credentials_unavailable(): 503, not a refusal. */
static int function_unavailable(openapi_request *state, oa_auth_outcome *out)
{
    if (!state->auth_unavailable)
        return 0;
    out->status = OA_AUTH_UNAVAILABLE;
    out->retry_after = state->auth_retry_after;
    state->auth_unavailable = 0;
    state->auth_retry_after = 0;
    return 1;
}

static void check_bearer(request_rec *r, const glue_scheme_check *check,
                         const apr_array_header_t *required, oa_auth_outcome *out)
{
    openapi_request *state = glue_request_state(r);
    int from = state->api->bearer_token_from;
    const char *query_token = NULL, *body_token = NULL;
    const char *token = NULL;
    const char *problem = NULL;
    int query_count = 0, body_count = 0;
    oa_credential_status found;
    json_t *info;
    /* RFC 6750 sections 2.2 and 2.3 only where the location opts in: else an access_token
     * there is an ordinary parameter, and the request has no credentials */
    if ((from & OA_TOKEN_FROM_QUERY) && r->args)
        query_token = access_token_in(r, r->args, strlen(r->args), &query_count);
    if ((from & OA_TOKEN_FROM_FORM) && state->body_read && form_encoded(r))
        body_token = access_token_in(r, state->body, state->body_length, &body_count);
    if (query_count > 1 || body_count > 1) {
        out->status = OA_AUTH_MALFORMED;
        out->description = "the access token was sent more than once";
        return;
    }
    found = oa_bearer_from_request(r->pool, apr_table_get(r->headers_in, "Authorization"),
                                   query_token, body_token, &token, &problem);
    if (found != OA_CREDENTIAL_FOUND) {
        out->status = credential_status(found);
        out->description = problem;
        return;
    }
    if (check->presence_only)
        return;
    if (check->jwt) {
        glue_jwt_check_token(r, check->jwt, token, required, check->scope_validate, out);
        return;
    }
    if (check->remote) {
        int status = glue_token_remote_check(r, check->remote, token, &info,
                                             &out->retry_after);
        if (status == OA_AUTH_UNAVAILABLE) {
            out->status = OA_AUTH_UNAVAILABLE;
            return;
        }
        judge_info(r, check, info, required, 1, out); /* INVALID: no info */
        return;
    }
    info = check->token_info(r, token);
    if (function_unavailable(state, out)) {
        json_decref(info);
        return;
    }
    judge_info(r, check, info, required, 1, out);
}

static void check_basic(request_rec *r, const glue_api *api, const glue_scheme_check *check,
                        const apr_array_header_t *required, oa_auth_outcome *out)
{
    const char *user = NULL, *password = NULL, *problem = NULL;
    oa_credential_status found = oa_basic_from_header(
        r->pool, apr_table_get(r->headers_in, "Authorization"), &user, &password, &problem);
    int i;
    if (found != OA_CREDENTIAL_FOUND) {
        out->status = credential_status(found);
        out->description = problem;
        return;
    }
    if (check->basic_info) {
        json_t *info = check->basic_info(r, user, password,
                                         (const char *const *)required->elts, required->nelts);
        if (function_unavailable(glue_request_state(r), out)) {
            json_decref(info);
            return;
        }
        judge_info(r, check, info, required, 0, out);
        if (out->status == OA_AUTH_OK && !out->user)
            out->user = user;
        return;
    }
    /* httpd's authn providers, in the order configured */
    for (i = 0; i < api->basic_providers->nelts; i++) {
        const authn_provider *provider = ap_lookup_provider(
            AUTHN_PROVIDER_GROUP, APR_ARRAY_IDX(api->basic_providers, i, const char *),
            AUTHN_PROVIDER_VERSION);
        authn_status status = provider && provider->check_password
                                  ? provider->check_password(r, user, password)
                                  : AUTH_GENERAL_ERROR;
        if (status == AUTH_USER_NOT_FOUND)
            continue;
        if (status == AUTH_GRANTED) {
            out->user = user;
            return;
        }
        out->status = status == AUTH_DENIED ? OA_AUTH_INVALID : OA_AUTH_UNAVAILABLE;
        out->description = status == AUTH_DENIED ? "the user name or password is wrong"
                                                 : "the credentials cannot be checked now";
        return;
    }
    out->status = OA_AUTH_INVALID;
    out->description = "the user name or password is wrong";
}

static void check_scheme(void *baton, const oa_security_scheme *scheme,
                         const apr_array_header_t *required, apr_pool_t *pool,
                         oa_auth_outcome *out)
{
    request_rec *r = baton;
    const glue_api *api = glue_request_state(r)->api;
    const glue_scheme_check *check = apr_hash_get(api->scheme_checks, &scheme, sizeof(scheme));
    (void)pool;
    if (!check) {
        out->status = OA_AUTH_UNAVAILABLE;
        out->description = "the scheme cannot be checked";
        return;
    }
    switch (scheme->kind) {
    case OA_SECURITY_OAUTH2:
    case OA_SECURITY_BEARER:
        check_bearer(r, check, required, out);
        break;
    case OA_SECURITY_BASIC:
        check_basic(r, api, check, required, out);
        break;
    case OA_SECURITY_MUTUAL_TLS:
        check_mutual_tls(r, out);
        break;
    case OA_SECURITY_APIKEY: {
        const char *key = api_key_of(r, scheme);
        json_t *info;
        if (!key || !*key) {
            out->status = OA_AUTH_MISSING;
            return;
        }
        if (check->presence_only)
            return;
        info = check->apikey_info(r, key, (const char *const *)required->elts,
                                  required->nelts);
        if (function_unavailable(glue_request_state(r), out)) {
            json_decref(info);
            return;
        }
        judge_info(r, check, info, required, 0, out);
        break;
    }
    }
}

static const char *realm_of(request_rec *r, const glue_api *api)
{
    const char *name = ap_auth_name(r);
    if (name && *name)
        return name;
    return api->spec->title ? api->spec->title : "API";
}

int glue_security_check(request_rec *r, openapi_request *state)
{
    const oa_operation *op = state->operation;
    const char *realm;
    oa_security_decision *decision;
    oa_http_answer *answer;
    int i;

    if (op->security_open) {
        glue_log_security(r, state, NULL);
        return OK;
    }
    if (glue_security_needs_body(r, state)) {
        /* RFC 6750 section 2.2 is on here: the token may be in the body */
        int status = glue_read_body(r, state);
        if (status != OK)
            return status;
    }
    realm = realm_of(r, state->api);
    decision = oa_security_evaluate(r->pool, op, realm, check_scheme, r);
    if (decision->allowed) {
        glue_log_security(r, state, decision);
        state->user = decision->user;
        state->token_info = decision->token_info;
        if (decision->user) {
            r->user = apr_pstrdup(r->pool, decision->user);
            apr_table_setn(r->subprocess_env, "OPENAPI_USER", r->user);
        }
        if (decision->token_info) {
            apr_array_header_t *scopes = oa_token_info_scopes(r->pool, decision->token_info);
            apr_table_setn(r->subprocess_env, "OPENAPI_SCOPES",
                           apr_array_pstrcat(r->pool, scopes, ' '));
        }
        return OK;
    }
    answer = oa_security_refusal_answer(r->pool, decision, realm,
                                        (oa_auth_body_format)state->api->auth_error_format,
                                        state->api->auth_error_template);
    for (i = 0; answer->headers && i < answer->headers->nelts; i++) {
        const oa_http_header *header = &APR_ARRAY_IDX(answer->headers, i, oa_http_header);
        apr_table_add(r->err_headers_out, header->name, header->value);
    }
    /* an answer about credentials is never to be cached */
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA_LOGNO(02010) "%s %s refused: %d %s: %s",
                  r->method, op->path, answer->status,
                  decision->error ? decision->error : "no credentials",
                  decision->error_description);
    return glue_error_body(r, answer->status, answer->content_type, answer->body);
}

/* ---- SDK ---- */

void openapi_credentials_unavailable(void *request, long retry_after_seconds)
{
    openapi_request *state = request ? glue_request_state(request) : NULL;
    if (!state)
        return;
    state->auth_unavailable = 1;
    state->auth_retry_after = retry_after_seconds > 0 ? retry_after_seconds : 0;
}
