/* JWK Set import on OpenSSL 3 (EVP_PKEY_fromdata for RSA and EC, raw public keys for
 * OKP): no key material is parsed by hand beyond base64url. */
#include "security/oa_jwk.h"

#include <string.h>

#include <apr_strings.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "util/oa_base64.h"

static const char *const alg_names[OA_JWS_ALG_COUNT] = {
    "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
    "ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512"};

int oa_jws_alg_from_name(const char *name)
{
    int i;
    for (i = 0; name && i < OA_JWS_ALG_COUNT; i++)
        if (strcmp(name, alg_names[i]) == 0)
            return i;
    return -1;
}

const char *oa_jws_alg_name(oa_jws_alg alg)
{
    return (unsigned)alg < OA_JWS_ALG_COUNT ? alg_names[alg] : "?";
}

static apr_status_t free_pkey(void *data)
{
    EVP_PKEY_free(data);
    return APR_SUCCESS;
}

/* A base64url member of the key, or NULL. */
static const unsigned char *member_bytes(apr_pool_t *pool, const json_t *jwk,
                                         const char *name, apr_size_t *length)
{
    const json_t *value = json_object_get(jwk, name);
    if (!json_is_string(value))
        return NULL;
    return oa_base64url_decode(pool, json_string_value(value), json_string_length(value),
                               length);
}

static EVP_PKEY *from_params(const char *type, OSSL_PARAM_BLD *builder)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(builder);
    EVP_PKEY_CTX *ctx = params ? EVP_PKEY_CTX_new_from_name(NULL, type, NULL) : NULL;
    EVP_PKEY *pkey = NULL;
    if (!ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

static EVP_PKEY *rsa_key(apr_pool_t *pool, const json_t *jwk, const char **why)
{
    apr_size_t n_length, e_length;
    const unsigned char *n = member_bytes(pool, jwk, "n", &n_length);
    const unsigned char *e = member_bytes(pool, jwk, "e", &e_length);
    OSSL_PARAM_BLD *builder;
    BIGNUM *bn_n, *bn_e;
    EVP_PKEY *pkey = NULL;
    if (!n || !e || n_length == 0 || e_length == 0 || e_length > 8) {
        *why = "an RSA key needs base64url n and e";
        return NULL;
    }
    if (n_length < 256) {
        *why = "an RSA key shorter than 2048 bits";
        return NULL;
    }
    bn_n = BN_bin2bn(n, (int)n_length, NULL);
    bn_e = BN_bin2bn(e, (int)e_length, NULL);
    builder = OSSL_PARAM_BLD_new();
    if (bn_n && bn_e && builder &&
        OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_N, bn_n) == 1 &&
        OSSL_PARAM_BLD_push_BN(builder, OSSL_PKEY_PARAM_RSA_E, bn_e) == 1)
        pkey = from_params("RSA", builder);
    OSSL_PARAM_BLD_free(builder);
    BN_free(bn_n);
    BN_free(bn_e);
    if (!pkey)
        *why = "OpenSSL refused the RSA key";
    return pkey;
}

static EVP_PKEY *ec_key(apr_pool_t *pool, const json_t *jwk, oa_jws_alg *alg,
                        const char **why)
{
    static const struct { const char *crv, *group; apr_size_t size; oa_jws_alg alg; } curves[] = {
        {"P-256", "prime256v1", 32, OA_JWS_ES256},
        {"P-384", "secp384r1", 48, OA_JWS_ES384},
        {"P-521", "secp521r1", 66, OA_JWS_ES512}};
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    apr_size_t x_length, y_length, i;
    const unsigned char *x = member_bytes(pool, jwk, "x", &x_length);
    const unsigned char *y = member_bytes(pool, jwk, "y", &y_length);
    for (i = 0; crv && i < sizeof(curves) / sizeof(curves[0]); i++) {
        OSSL_PARAM_BLD *builder;
        unsigned char *point;
        EVP_PKEY *pkey = NULL;
        if (strcmp(crv, curves[i].crv) != 0)
            continue;
        if (!x || !y || x_length != curves[i].size || y_length != curves[i].size) {
            *why = "an EC key needs x and y of its curve's size";
            return NULL;
        }
        /* the uncompressed point: 0x04 || x || y; OpenSSL checks it is on the curve */
        point = apr_palloc(pool, 1 + 2 * curves[i].size);
        point[0] = 0x04;
        memcpy(point + 1, x, x_length);
        memcpy(point + 1 + x_length, y, y_length);
        builder = OSSL_PARAM_BLD_new();
        if (builder &&
            OSSL_PARAM_BLD_push_utf8_string(builder, OSSL_PKEY_PARAM_GROUP_NAME,
                                            curves[i].group, 0) == 1 &&
            OSSL_PARAM_BLD_push_octet_string(builder, OSSL_PKEY_PARAM_PUB_KEY, point,
                                             1 + 2 * curves[i].size) == 1)
            pkey = from_params("EC", builder);
        OSSL_PARAM_BLD_free(builder);
        if (!pkey)
            *why = "OpenSSL refused the EC key (not a point of the curve?)";
        *alg = curves[i].alg;
        return pkey;
    }
    *why = "an EC key of an unsupported curve";
    return NULL;
}

static EVP_PKEY *okp_key(apr_pool_t *pool, const json_t *jwk, const char **why)
{
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    apr_size_t length;
    const unsigned char *x = member_bytes(pool, jwk, "x", &length);
    int type = crv && strcmp(crv, "Ed25519") == 0 ? EVP_PKEY_ED25519
               : crv && strcmp(crv, "Ed448") == 0 ? EVP_PKEY_ED448 : 0;
    EVP_PKEY *pkey;
    if (!type) {
        *why = "an OKP key of an unsupported curve (Ed25519 and Ed448 verify)";
        return NULL;
    }
    if (!x || length != (type == EVP_PKEY_ED25519 ? 32u : 57u)) {
        *why = "an OKP key needs x of its curve's size";
        return NULL;
    }
    pkey = EVP_PKEY_new_raw_public_key(type, NULL, x, length);
    if (!pkey)
        *why = "OpenSSL refused the OKP key";
    return pkey;
}

/* Whether the key's use and key_ops allow verifying signatures. */
static const char *usage_refusal(const json_t *jwk)
{
    const json_t *use = json_object_get(jwk, "use");
    const json_t *ops = json_object_get(jwk, "key_ops");
    size_t i;
    if (use && !(json_is_string(use) && strcmp(json_string_value(use), "sig") == 0))
        return "its use is not sig";
    if (!ops)
        return NULL;
    for (i = 0; json_is_array(ops) && i < json_array_size(ops); i++) {
        const char *op = json_string_value(json_array_get(ops, i));
        if (op && strcmp(op, "verify") == 0)
            return NULL;
    }
    return "its key_ops lack verify";
}

/* One key, or a reason why it is skipped. */
static const char *load_key(apr_pool_t *pool, const json_t *jwk, oa_jwk *key)
{
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    const json_t *kid = json_object_get(jwk, "kid");
    const json_t *alg = json_object_get(jwk, "alg");
    const char *why = NULL;
    oa_jws_alg curve_alg = OA_JWS_ES256;
    EVP_PKEY *pkey = NULL;

    if (!json_is_object(jwk))
        return "not an object";
    if (!kty)
        return "no kty";
    if (kid && !json_is_string(kid))
        return "kid is not a string";
    if (alg && !json_is_string(alg))
        return "alg is not a string";
    if ((why = usage_refusal(jwk)) != NULL)
        return why;
    key->kid = kid ? apr_pstrdup(pool, json_string_value(kid)) : NULL;
    key->alg = alg ? oa_jws_alg_from_name(json_string_value(alg)) : -1;
    if (strcmp(kty, "RSA") == 0) {
        key->type = OA_JWK_RSA;
        key->algs = OA_JWS_ALG_BIT(OA_JWS_RS256) | OA_JWS_ALG_BIT(OA_JWS_RS384) |
                    OA_JWS_ALG_BIT(OA_JWS_RS512) | OA_JWS_ALG_BIT(OA_JWS_PS256) |
                    OA_JWS_ALG_BIT(OA_JWS_PS384) | OA_JWS_ALG_BIT(OA_JWS_PS512);
        pkey = rsa_key(pool, jwk, &why);
    }
    else if (strcmp(kty, "EC") == 0) {
        key->type = OA_JWK_EC;
        pkey = ec_key(pool, jwk, &curve_alg, &why);
        key->algs = OA_JWS_ALG_BIT(curve_alg);
    }
    else if (strcmp(kty, "OKP") == 0) {
        key->type = OA_JWK_OKP;
        key->algs = OA_JWS_ALG_BIT(OA_JWS_EDDSA);
        pkey = okp_key(pool, jwk, &why);
    }
    else
        return apr_psprintf(pool, "kty '%s' is not a public signature key type", kty);
    if (!pkey)
        return why;
    apr_pool_cleanup_register(pool, pkey, free_pkey, apr_pool_cleanup_null);
    key->pkey = pkey;
    if (alg) {
        /* a key that names its alg verifies with that one only (RFC 8725 section 3.1) */
        if (key->alg < 0 || !(key->algs & OA_JWS_ALG_BIT(key->alg)))
            return apr_psprintf(pool, "its alg '%s' does not fit its kty '%s'",
                                json_string_value(alg), kty);
        key->algs = OA_JWS_ALG_BIT(key->alg);
    }
    return NULL;
}

oa_jwks *oa_jwks_load(apr_pool_t *pool, const json_t *set, apr_array_header_t *notes,
                      const char **error)
{
    const json_t *keys = json_object_get(set, "keys");
    oa_jwks *jwks;
    size_t i;
    if (!json_is_object(set) || !json_is_array(keys)) {
        *error = "not a JWK Set (an object with a keys array)";
        return NULL;
    }
    if (json_array_size(keys) > OA_JWKS_MAX_KEYS) {
        *error = apr_psprintf(pool, "more than %d keys", OA_JWKS_MAX_KEYS);
        return NULL;
    }
    jwks = apr_pcalloc(pool, sizeof(*jwks));
    jwks->keys = apr_array_make(pool, (int)json_array_size(keys) + 1, sizeof(oa_jwk));
    for (i = 0; i < json_array_size(keys); i++) {
        const json_t *jwk = json_array_get(keys, i);
        oa_jwk key;
        const char *why;
        memset(&key, 0, sizeof(key));
        why = load_key(pool, jwk, &key);
        if (why) {
            const char *kid = json_string_value(json_object_get(jwk, "kid"));
            if (notes)
                APR_ARRAY_PUSH(notes, const char *) =
                    apr_psprintf(pool, "key %d%s%s%s skipped: %s", (int)i,
                                 kid ? " (kid '" : "", kid ? kid : "", kid ? "')" : "", why);
            continue;
        }
        APR_ARRAY_PUSH(jwks->keys, oa_jwk) = key;
    }
    return jwks;
}
