/* Self-contained JWT access tokens (RFC 7519, RFC 9068), checked as RFC 8725 asks:
 *
 *   oa_jwt_parse   the compact JWS form: exactly three base64url segments (strict: no
 *                  padding, no stray characters, unused bits zero), a JSON object header
 *                  of at most OA_JWT_MAX_HEADER bytes naming an alg, no `crit`, no nested
 *                  JWS (`cty: JWT`), no embedded `jwk`, `jku`/`x5u` only when they name
 *                  the key set in use; a JSON object payload. Nothing is fetched.
 *   oa_jwt_verify  the signature with a key of the set (oa_jwk.h) whose type fits the alg,
 *                  an alg of the allow-list only; HMAC only with a shared secret, never
 *                  with a public key; `none` never.
 *   oa_jwt_check_claims  iss, aud, exp (required), nbf and iat with leeway, typ at+jwt,
 *                  the user and the scopes.
 *
 * Every refusal gives a short text for the client that gives nothing away and a detail
 * for the log. The core never logs. */
#ifndef OA_JWT_H
#define OA_JWT_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "security/oa_jwk.h"

#define OA_JWT_MAX_LENGTH 16384 /* bytes of a whole token */
#define OA_JWT_MAX_HEADER 2048  /* bytes of the decoded header */

typedef struct oa_jwt {
    json_t *header;                    /* bound to the pool */
    json_t *claims;                    /* bound to the pool */
    oa_jws_alg alg;
    const char *kid;                   /* or NULL */
    const char *typ;                   /* or NULL */
    const char *signing_input;         /* header.payload as sent */
    apr_size_t signing_input_length;
    const unsigned char *signature;
    apr_size_t signature_length;
} oa_jwt;

/* Why a token was refused: for the client (a fixed text, RFC 6750 characters) and for
 * the log (may name claims and values, never the token). */
typedef struct oa_jwt_refusal {
    const char *description;
    const char *detail;
} oa_jwt_refusal;

/* Parses a compact JWS. key_set_uri (or NULL) is the only value `jku`/`x5u` may have.
 * Returns 1 and *jwt, or 0 with *refusal. */
int oa_jwt_parse(apr_pool_t *pool, const char *token, apr_size_t length,
                 const char *key_set_uri, oa_jwt **jwt, oa_jwt_refusal *refusal);

/* Checks the signature with the keys (may be NULL) or, for HS256/384/512, the secret
 * (may be NULL). allowed is a bit set of (1u << oa_jws_alg). Returns 1 when it verifies;
 * 0 with *refusal otherwise, and *unknown_kid set when the token names a kid that no key
 * of the set has (a reason to fetch the set again). */
int oa_jwt_verify(apr_pool_t *pool, const oa_jwt *jwt, const oa_jwks *keys,
                  const unsigned char *secret, apr_size_t secret_length, unsigned allowed,
                  int *unknown_kid, oa_jwt_refusal *refusal);

typedef struct oa_jwt_rules {
    const apr_array_header_t *issuers;   /* of const char *: iss must be one */
    const apr_array_header_t *audiences; /* of const char *: aud must name one */
    int leeway;                          /* seconds allowed for clock skew */
    int require_at_jwt;                  /* typ must be at+jwt (RFC 9068) */
    const char *user_claim;              /* NULL: sub */
    const char *scope_claim;             /* NULL: scope (space-separated), else scp */
} oa_jwt_rules;

/* Checks the claims at now (seconds since the epoch). Returns 1 with the user (or NULL)
 * and the scopes granted (of const char *, each once); 0 with *refusal. */
int oa_jwt_check_claims(apr_pool_t *pool, const oa_jwt *jwt, const oa_jwt_rules *rules,
                        double now, const char **user, apr_array_header_t **scopes,
                        oa_jwt_refusal *refusal);

#endif
