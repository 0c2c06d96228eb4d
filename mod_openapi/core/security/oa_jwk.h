/* JSON Web Keys (RFC 7517, RFC 7518 section 6, RFC 8037) as OpenSSL EVP_PKEYs, and the
 * JWS algorithms (RFC 7518 section 3, RFC 8037 EdDSA) that may verify with them.
 *
 * A key set keeps the RSA (at least 2048 bits), EC (P-256, P-384, P-521) and OKP
 * (Ed25519, Ed448) public keys of a JWK Set; keys whose `use` is not `sig`, whose `alg`
 * is not a signature algorithm of their type, whose `key_ops` lacks `verify`, symmetric
 * (`oct`) keys and keys that do not parse are skipped, each with a note saying why. The
 * EVP_PKEYs are freed with the pool. */
#ifndef OA_JWK_H
#define OA_JWK_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

typedef enum oa_jws_alg {
    OA_JWS_RS256, OA_JWS_RS384, OA_JWS_RS512,
    OA_JWS_PS256, OA_JWS_PS384, OA_JWS_PS512,
    OA_JWS_ES256, OA_JWS_ES384, OA_JWS_ES512,
    OA_JWS_EDDSA,
    OA_JWS_HS256, OA_JWS_HS384, OA_JWS_HS512,
    OA_JWS_ALG_COUNT
} oa_jws_alg;

#define OA_JWS_ALG_BIT(alg) (1u << (alg))
/* RS*, PS*, ES*, EdDSA: what a key set can verify; the default allow-list. */
#define OA_JWS_ASYMMETRIC ((1u << OA_JWS_HS256) - 1u)
#define OA_JWS_HMAC (OA_JWS_ALG_BIT(OA_JWS_HS256) | OA_JWS_ALG_BIT(OA_JWS_HS384) | \
                     OA_JWS_ALG_BIT(OA_JWS_HS512))

/* The alg for a name ("RS256", ...), or -1 (also for "none"). */
int oa_jws_alg_from_name(const char *name);
const char *oa_jws_alg_name(oa_jws_alg alg);

typedef enum oa_jwk_type { OA_JWK_RSA, OA_JWK_EC, OA_JWK_OKP } oa_jwk_type;

typedef struct oa_jwk {
    const char *kid;        /* or NULL */
    oa_jwk_type type;
    int alg;                /* the key's own alg, or -1 when it names none */
    unsigned algs;          /* the algs this key can verify (bit set) */
    void *pkey;             /* EVP_PKEY * */
} oa_jwk;

typedef struct oa_jwks {
    apr_array_header_t *keys; /* of oa_jwk */
} oa_jwks;

#define OA_JWKS_MAX_KEYS 64

/* Builds a key set from a JWK Set object ({"keys": [...]}). Returns NULL with *error when
 * it is not a JWK Set; keys that are skipped go to notes (of const char *; may be NULL).
 * A set with no usable key is returned (empty): nothing verifies with it. */
oa_jwks *oa_jwks_load(apr_pool_t *pool, const json_t *set, apr_array_header_t *notes,
                      const char **error);

#endif
