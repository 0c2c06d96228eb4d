/* JWT access tokens checked by the module: a scheme of type oauth2, http bearer or
 * openIdConnect with no function, token info URL or introspection endpoint uses the
 * location's OpenAPIJWT* settings. The token is parsed and refused when malformed before
 * any key is fetched; the keys come from mod_openapi_jwks.c; the detail of a refusal
 * goes to the log (at info), the client gets RFC 6750's invalid_token with a short text. */
#include "mod_openapi_jwt.h"

#include <http_log.h>
#include <apr_strings.h>
#include <strings.h>

#include "security/oa_security_token.h"
#include "util/oa_json.h"

APLOG_USE_MODULE(openapi);

struct glue_jwt_check {
    const char *scheme;
    glue_jwks_store *store;          /* NULL: HMAC with the shared secret only */
    const char *key_set_uri;         /* the configured JWK Set URI (for jku/x5u), or NULL */
    oa_jwt_rules rules;              /* issuers NULL: the discovered issuer */
    unsigned allowed;                /* oa_jws_alg bits */
    const unsigned char *secret;
    apr_size_t secret_length;
};

static int is_http_url(const char *text)
{
    return text && (strncasecmp(text, "http://", 7) == 0 ||
                    strncasecmp(text, "https://", 8) == 0);
}

const char *glue_jwt_prepare(apr_pool_t *pool, const oa_security_scheme *scheme,
                             const glue_dir_conf *conf, const glue_jwt_check **out)
{
    const glue_dir_conf *jwt = conf; /* resolved: defaults filled in */
    const char *what = apr_psprintf(pool, "security scheme '%s' (JWT)", scheme->name);
    int discovery;
    glue_jwt_check *check;
    const char *source;

    *out = NULL;
    if (!(jwt->jwt_jwks || jwt->jwt_secret || (scheme->open_id_connect && jwt->jwt_audiences)))
        return NULL;
    discovery = !jwt->jwt_jwks && scheme->open_id_connect && !jwt->jwt_secret;
    source = jwt->jwt_jwks ? jwt->jwt_jwks : discovery ? scheme->open_id_connect_url : NULL;
    if (discovery && !is_http_url(source))
        return apr_psprintf(pool, "%s: openIdConnectUrl '%s' is not an http(s) URL", what,
                            source ? source : "");
    if (!jwt->jwt_audiences)
        return apr_psprintf(pool, "%s: OpenAPIJWTAudience is needed (RFC 9068: a token "
                            "must be meant for this API)", what);
    if (!jwt->jwt_issuers && !discovery)
        return apr_psprintf(pool, "%s: OpenAPIJWTIssuer is needed (or an openIdConnect "
                            "scheme's discovery)", what);
    check = apr_pcalloc(pool, sizeof(*check));
    check->scheme = scheme->name;
    check->allowed = jwt->jwt_algorithms ? (unsigned)jwt->jwt_algorithms
                                     : (source ? OA_JWS_ASYMMETRIC : 0) |
                                       (jwt->jwt_secret ? OA_JWS_HMAC : 0);
    if ((check->allowed & OA_JWS_HMAC) && !jwt->jwt_secret)
        return apr_psprintf(pool, "%s: OpenAPIJWTAlgorithms allows HMAC, which needs "
                            "OpenAPIJWTSharedSecret (a public key is never an HMAC key)",
                            what);
    if (jwt->jwt_secret && !(check->allowed & OA_JWS_HMAC))
        return apr_psprintf(pool, "%s: OpenAPIJWTSharedSecret without HS256, HS384 or "
                            "HS512 in OpenAPIJWTAlgorithms", what);
    if ((check->allowed & OA_JWS_ASYMMETRIC) && !source)
        return apr_psprintf(pool, "%s: OpenAPIJWTAlgorithms allows public-key algorithms, "
                            "which need OpenAPIJWKS", what);
    if (source) {
        const char *error = glue_jwks_store_make(
            pool, source, discovery, conf->token_cache,
            jwt->jwt_refresh, jwt->jwt_refresh_min,
            &check->store);
        if (error)
            return apr_psprintf(pool, "%s: %s", what, error);
    }
    check->key_set_uri = is_http_url(jwt->jwt_jwks) ? jwt->jwt_jwks : NULL;
    check->rules.issuers = jwt->jwt_issuers;
    check->rules.audiences = jwt->jwt_audiences;
    check->rules.leeway = jwt->jwt_leeway;
    check->rules.require_at_jwt = jwt->jwt_require_at_jwt == 1;
    check->rules.user_claim = jwt->jwt_user_claim;
    check->rules.scope_claim = jwt->jwt_scope_claim;
    check->secret = (const unsigned char *)jwt->jwt_secret;
    check->secret_length = jwt->jwt_secret ? strlen(jwt->jwt_secret) : 0;
    *out = check;
    return NULL;
}

static void refuse(request_rec *r, const glue_jwt_check *check, oa_auth_outcome *out,
                   oa_auth_status status, const char *description, const char *detail)
{
    out->status = status;
    out->description = description;
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r, OA_LOGNO(09004)
                  "JWT for security scheme '%s' refused: %s", check->scheme, detail);
}

/* The claims as the handler's token info, with the scopes granted as `scope` (a string)
 * whatever claim they came from, so that OPENAPI_SCOPES and openapi_token_info() agree. */
static json_t *token_info_of(request_rec *r, const oa_jwt *jwt,
                             const apr_array_header_t *scopes)
{
    json_t *info = oa_json_bind(r->pool, json_copy(jwt->claims));
    if (info)
        json_object_set_new(info, "scope",
                            json_string(apr_array_pstrcat(r->pool, scopes, ' ')));
    return info;
}

void glue_jwt_check_token(request_rec *r, const glue_jwt_check *check, const char *token,
                          const apr_array_header_t *required,
                          openapi_scope_validate_fn scope_validate, oa_auth_outcome *out)
{
    const glue_keyset *keys = NULL;
    oa_jwt_refusal refusal;
    oa_jwt_rules rules = check->rules;
    apr_array_header_t *scopes, *issuer;
    const char *user;
    oa_jwt *jwt;
    int unknown_kid = 0;

    if (!oa_jwt_parse(r->pool, token, strlen(token),
                      check->key_set_uri ? check->key_set_uri
                                         : glue_jwks_uri(r, check->store),
                      &jwt, &refusal)) {
        refuse(r, check, out, OA_AUTH_INVALID, refusal.description, refusal.detail);
        return;
    }
    if (!(OA_JWS_HMAC & OA_JWS_ALG_BIT(jwt->alg)) && check->store &&
        (check->allowed & OA_JWS_ALG_BIT(jwt->alg))) {
        keys = glue_jwks_keys(r, check->store, NULL);
        if (!keys) {
            refuse(r, check, out, OA_AUTH_UNAVAILABLE, "the token cannot be checked now",
                   "no JWK Set could be had");
            return;
        }
    }
    if (!oa_jwt_verify(r->pool, jwt, keys ? keys->keys : NULL, check->secret,
                       check->secret_length, check->allowed, &unknown_kid, &refusal)) {
        const glue_keyset *newer =
            unknown_kid ? glue_jwks_keys(r, check->store, jwt->kid) : NULL;
        if (!newer || newer == keys ||
            !oa_jwt_verify(r->pool, jwt, newer->keys, check->secret, check->secret_length,
                           check->allowed, &unknown_kid, &refusal)) {
            refuse(r, check, out, OA_AUTH_INVALID, refusal.description, refusal.detail);
            return;
        }
        keys = newer;
    }
    if (!rules.issuers) {
        issuer = apr_array_make(r->pool, 1, sizeof(const char *));
        if (keys && keys->issuer)
            APR_ARRAY_PUSH(issuer, const char *) = keys->issuer;
        rules.issuers = issuer;
    }
    if (!oa_jwt_check_claims(r->pool, jwt, &rules, (double)apr_time_sec(apr_time_now()),
                             &user, &scopes, &refusal)) {
        refuse(r, check, out, OA_AUTH_INVALID, refusal.description, refusal.detail);
        return;
    }
    if (required->nelts > 0 &&
        !(scope_validate ? scope_validate((const char *const *)required->elts,
                                          required->nelts,
                                          (const char *const *)scopes->elts, scopes->nelts)
                         : oa_scopes_granted(scopes, required))) {
        out->status = OA_AUTH_INSUFFICIENT_SCOPE;
        out->description = "the token does not grant the scopes this operation requires";
        return;
    }
    out->status = OA_AUTH_OK;
    out->user = user;
    out->token_info = token_info_of(r, jwt, scopes);
}
