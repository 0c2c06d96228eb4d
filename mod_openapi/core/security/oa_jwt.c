/* JWT parsing and claim checks (oa_jwt.h); signatures in oa_jwt_verify.c. */
#include "security/oa_jwt.h"

#include <math.h>
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "util/oa_base64.h"
#include "util/oa_json.h"

static int refuse(oa_jwt_refusal *refusal, const char *description, const char *detail)
{
    refusal->description = description;
    refusal->detail = detail;
    return 0;
}

static json_t *decode_object(apr_pool_t *pool, const char *text, apr_size_t length,
                             apr_size_t limit)
{
    apr_size_t size;
    unsigned char *bytes = oa_base64url_decode(pool, text, length, &size);
    json_t *value;
    if (!bytes || size > limit)
        return NULL;
    value = json_loadb((const char *)bytes, size, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(value)) {
        json_decref(value);
        return NULL;
    }
    return oa_json_bind(pool, value);
}

/* RFC 8725 section 3: headers that would make us trust something else than our keys */
static const char *header_refusal(apr_pool_t *pool, const json_t *header,
                                  const char *key_set_uri)
{
    static const char *const remote[] = {"jku", "x5u"};
    const json_t *cty = json_object_get(header, "cty");
    size_t i;
    if (json_object_get(header, "crit"))
        return "the header has crit (no extension is understood)";
    if (json_object_get(header, "jwk"))
        return "the header embeds a jwk";
    if (cty && (!json_is_string(cty) || strcasecmp(json_string_value(cty), "JWT") == 0))
        return "a nested JWT (cty JWT)";
    if (json_object_get(header, "enc") || json_object_get(header, "zip"))
        return "a JWE, not a JWS";
    for (i = 0; i < 2; i++) {
        const json_t *uri = json_object_get(header, remote[i]);
        if (uri && !(key_set_uri && json_is_string(uri) &&
                     strcmp(json_string_value(uri), key_set_uri) == 0))
            return apr_psprintf(pool, "the header's %s is not the key set in use", remote[i]);
    }
    return NULL;
}

int oa_jwt_parse(apr_pool_t *pool, const char *token, apr_size_t length,
                 const char *key_set_uri, oa_jwt **out, oa_jwt_refusal *refusal)
{
    static const char *const invalid = "the token is invalid";
    const char *dot1, *dot2, *why;
    const json_t *alg, *kid, *typ;
    oa_jwt *jwt;
    apr_size_t header_length;

    if (length > OA_JWT_MAX_LENGTH)
        return refuse(refusal, invalid, "the token is too long");
    dot1 = memchr(token, '.', length);
    dot2 = dot1 ? memchr(dot1 + 1, '.', length - (apr_size_t)(dot1 + 1 - token)) : NULL;
    if (!dot2 || memchr(dot2 + 1, '.', length - (apr_size_t)(dot2 + 1 - token)))
        return refuse(refusal, invalid, "not three dot-separated segments (a JWS)");
    header_length = (apr_size_t)(dot1 - token);
    if (header_length > (OA_JWT_MAX_HEADER * 4 + 2) / 3)
        return refuse(refusal, invalid, "the header is too large");
    jwt = apr_pcalloc(pool, sizeof(*jwt));
    jwt->header = decode_object(pool, token, header_length, OA_JWT_MAX_HEADER);
    if (!jwt->header)
        return refuse(refusal, invalid, "the header is not base64url of a JSON object");
    alg = json_object_get(jwt->header, "alg");
    if (!json_is_string(alg))
        return refuse(refusal, invalid, "the header has no alg");
    jwt->alg = (oa_jws_alg)oa_jws_alg_from_name(json_string_value(alg));
    if ((int)jwt->alg < 0)
        return refuse(refusal, invalid, apr_psprintf(pool, "alg '%s' is not accepted",
                                                     json_string_value(alg)));
    if ((why = header_refusal(pool, jwt->header, key_set_uri)) != NULL)
        return refuse(refusal, invalid, why);
    kid = json_object_get(jwt->header, "kid");
    typ = json_object_get(jwt->header, "typ");
    if ((kid && !json_is_string(kid)) || (typ && !json_is_string(typ)))
        return refuse(refusal, invalid, "the header's kid or typ is not a string");
    jwt->kid = json_string_value(kid);
    jwt->typ = json_string_value(typ);
    jwt->claims = decode_object(pool, dot1 + 1, (apr_size_t)(dot2 - dot1 - 1), length);
    if (!jwt->claims)
        return refuse(refusal, invalid, "the payload is not base64url of a JSON object");
    jwt->signature = oa_base64url_decode(pool, dot2 + 1,
                                         length - (apr_size_t)(dot2 + 1 - token),
                                         &jwt->signature_length);
    if (!jwt->signature || jwt->signature_length == 0)
        return refuse(refusal, invalid, "the signature is not base64url");
    jwt->signing_input = token;
    jwt->signing_input_length = (apr_size_t)(dot2 - token);
    *out = jwt;
    return 1;
}

/* ---- claims ---- */

static int listed(const apr_array_header_t *list, const char *value)
{
    int i;
    for (i = 0; value && list && i < list->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(list, i, const char *), value) == 0)
            return 1;
    return 0;
}

/* A NumericDate claim: 1 when absent, 0 when present and not a finite number. */
static int numeric_date(const json_t *claims, const char *name, double *value)
{
    const json_t *member = json_object_get(claims, name);
    if (!member)
        return 1;
    if (!json_is_number(member) || !isfinite(json_number_value(member)))
        return 0;
    *value = json_number_value(member);
    return 1;
}

static int audience_fits(const json_t *aud, const apr_array_header_t *audiences)
{
    size_t i;
    if (json_is_string(aud))
        return listed(audiences, json_string_value(aud));
    for (i = 0; json_is_array(aud) && i < json_array_size(aud); i++)
        if (listed(audiences, json_string_value(json_array_get(aud, i))))
            return 1;
    return 0;
}

static void add_scope(apr_array_header_t *scopes, const char *scope)
{
    if (*scope && !listed(scopes, scope))
        APR_ARRAY_PUSH(scopes, const char *) = scope;
}

/* Space-separated (scope, RFC 9068) or an array (scp); 0 when the claim is neither. */
static int read_scopes(apr_pool_t *pool, const json_t *claim, apr_array_header_t *scopes)
{
    size_t i;
    if (json_is_string(claim)) {
        char *state = NULL;
        char *copy = apr_pstrdup(pool, json_string_value(claim));
        const char *scope;
        for (scope = apr_strtok(copy, " ", &state); scope; scope = apr_strtok(NULL, " ", &state))
            add_scope(scopes, scope);
        return 1;
    }
    if (!json_is_array(claim))
        return 0;
    for (i = 0; i < json_array_size(claim); i++) {
        const char *scope = json_string_value(json_array_get(claim, i));
        if (!scope)
            return 0;
        add_scope(scopes, apr_pstrdup(pool, scope));
    }
    return 1;
}

int oa_jwt_check_claims(apr_pool_t *pool, const oa_jwt *jwt, const oa_jwt_rules *rules,
                        double now, const char **user, apr_array_header_t **scopes,
                        oa_jwt_refusal *refusal)
{
    static const char *const invalid = "the token is invalid";
    const json_t *claims = jwt->claims;
    const json_t *iss = json_object_get(claims, "iss");
    const json_t *aud = json_object_get(claims, "aud");
    const json_t *subject;
    const json_t *scope;
    double exp = 0, nbf = 0, iat = 0, leeway = rules->leeway;

    if (rules->require_at_jwt &&
        !(jwt->typ && (strcasecmp(jwt->typ, "at+jwt") == 0 ||
                       strcasecmp(jwt->typ, "application/at+jwt") == 0)))
        return refuse(refusal, invalid, "typ is not at+jwt");
    if (!json_is_string(iss) || !listed(rules->issuers, json_string_value(iss)))
        return refuse(refusal, invalid, iss ? "iss is not an accepted issuer" : "no iss");
    if (!aud || !audience_fits(aud, rules->audiences))
        return refuse(refusal, invalid, aud ? "aud names no accepted audience" : "no aud");
    if (!json_object_get(claims, "exp"))
        return refuse(refusal, invalid, "no exp");
    if (!numeric_date(claims, "exp", &exp) || !numeric_date(claims, "nbf", &nbf) ||
        !numeric_date(claims, "iat", &iat))
        return refuse(refusal, invalid, "exp, nbf or iat is not a number");
    if (exp + leeway <= now)
        return refuse(refusal, "the token expired",
                      apr_psprintf(pool, "expired %.0f s ago", now - exp));
    if (json_object_get(claims, "nbf") && nbf - leeway > now)
        return refuse(refusal, "the token is not valid yet",
                      apr_psprintf(pool, "nbf is %.0f s ahead", nbf - now));
    if (json_object_get(claims, "iat") && iat - leeway > now)
        return refuse(refusal, "the token is not valid yet",
                      apr_psprintf(pool, "iat is %.0f s ahead", iat - now));
    subject = json_object_get(claims, rules->user_claim ? rules->user_claim : "sub");
    if (subject && !json_is_string(subject))
        return refuse(refusal, invalid, "the user claim is not a string");
    *user = subject ? apr_pstrdup(pool, json_string_value(subject)) : NULL;
    *scopes = apr_array_make(pool, 4, sizeof(const char *));
    scope = rules->scope_claim ? json_object_get(claims, rules->scope_claim)
                               : json_object_get(claims, "scope");
    if (!scope && !rules->scope_claim)
        scope = json_object_get(claims, "scp");
    if (scope && !read_scopes(pool, scope, *scopes))
        return refuse(refusal, invalid, "the scope claim is not a string or an array of them");
    return 1;
}
