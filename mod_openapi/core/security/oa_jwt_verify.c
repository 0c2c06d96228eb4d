/* JWS signature verification on OpenSSL 3's EVP interfaces (oa_jwt.h): the alg picks the
 * digest and padding, the key must be of the type the alg is for (RFC 8725 section 2.1:
 * no algorithm confusion), HMAC takes only the configured secret. */
#include "security/oa_jwt.h"

#include <string.h>

#include <apr_strings.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

static const EVP_MD *digest_of(oa_jws_alg alg)
{
    switch (alg) {
    case OA_JWS_RS256: case OA_JWS_PS256: case OA_JWS_ES256: case OA_JWS_HS256:
        return EVP_sha256();
    case OA_JWS_RS384: case OA_JWS_PS384: case OA_JWS_ES384: case OA_JWS_HS384:
        return EVP_sha384();
    case OA_JWS_RS512: case OA_JWS_PS512: case OA_JWS_ES512: case OA_JWS_HS512:
        return EVP_sha512();
    default:
        return NULL; /* EdDSA hashes by itself */
    }
}

/* JWS carries ECDSA signatures as R || S of the curve's size (RFC 7518 section 3.4);
 * OpenSSL wants DER. */
static unsigned char *ecdsa_der(const unsigned char *raw, apr_size_t length,
                                oa_jws_alg alg, int *der_length)
{
    apr_size_t half = alg == OA_JWS_ES256 ? 32 : alg == OA_JWS_ES384 ? 48 : 66;
    ECDSA_SIG *sig;
    BIGNUM *r, *s;
    unsigned char *der = NULL;
    if (length != 2 * half)
        return NULL;
    sig = ECDSA_SIG_new();
    r = BN_bin2bn(raw, (int)half, NULL);
    s = BN_bin2bn(raw + half, (int)half, NULL);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig, r, s) != 1) {
        BN_free(r);
        BN_free(s);
        ECDSA_SIG_free(sig);
        return NULL;
    }
    *der_length = i2d_ECDSA_SIG(sig, &der);
    ECDSA_SIG_free(sig);
    return *der_length > 0 ? der : NULL;
}

static int verify_with_key(const oa_jwt *jwt, const oa_jwk *key)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    const unsigned char *signature = jwt->signature;
    size_t signature_length = jwt->signature_length;
    unsigned char *der = NULL;
    int ok = 0;
    if (!ctx)
        return 0;
    if (key->type == OA_JWK_EC) {
        int der_length = 0;
        der = ecdsa_der(jwt->signature, jwt->signature_length, jwt->alg, &der_length);
        if (!der)
            goto done;
        signature = der;
        signature_length = (size_t)der_length;
    }
    if (EVP_DigestVerifyInit(ctx, &pctx, digest_of(jwt->alg), NULL, key->pkey) != 1)
        goto done;
    if (jwt->alg >= OA_JWS_PS256 && jwt->alg <= OA_JWS_PS512 &&
        (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
         EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) != 1 ||
         EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, digest_of(jwt->alg)) != 1))
        goto done;
    ok = EVP_DigestVerify(ctx, signature, signature_length,
                          (const unsigned char *)jwt->signing_input,
                          jwt->signing_input_length) == 1;
done:
    OPENSSL_free(der);
    EVP_MD_CTX_free(ctx);
    return ok;
}

static int verify_hmac(const oa_jwt *jwt, const unsigned char *secret, apr_size_t length)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    size_t mac_length = 0;
    const char *digest = EVP_MD_get0_name(digest_of(jwt->alg));
    OSSL_PARAM params[2];
    EVP_MAC *hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
    int ok = 0;
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    if (ctx && EVP_MAC_init(ctx, secret, length, params) == 1 &&
        EVP_MAC_update(ctx, (const unsigned char *)jwt->signing_input,
                       jwt->signing_input_length) == 1 &&
        EVP_MAC_final(ctx, mac, &mac_length, sizeof(mac)) == 1)
        ok = mac_length == jwt->signature_length &&
             CRYPTO_memcmp(mac, jwt->signature, mac_length) == 0;
    EVP_MAC_CTX_free(ctx);
    EVP_MAC_free(hmac);
    return ok;
}

int oa_jwt_verify(apr_pool_t *pool, const oa_jwt *jwt, const oa_jwks *keys,
                  const unsigned char *secret, apr_size_t secret_length, unsigned allowed,
                  int *unknown_kid, oa_jwt_refusal *refusal)
{
    int i, candidates = 0, kid_known = 0;
    *unknown_kid = 0;
    refusal->description = "the token is invalid";
    if (!(allowed & OA_JWS_ALG_BIT(jwt->alg))) {
        refusal->detail = apr_psprintf(pool, "alg %s is not allowed here",
                                       oa_jws_alg_name(jwt->alg));
        return 0;
    }
    if (OA_JWS_HMAC & OA_JWS_ALG_BIT(jwt->alg)) {
        /* a shared secret only; a public key is never an HMAC key */
        if (secret && secret_length > 0 && verify_hmac(jwt, secret, secret_length))
            return 1;
        refusal->detail = secret ? "the HMAC signature does not verify"
                                 : "HMAC without a configured shared secret";
        return 0;
    }
    for (i = 0; keys && i < keys->keys->nelts; i++) {
        const oa_jwk *key = &APR_ARRAY_IDX(keys->keys, i, oa_jwk);
        if (jwt->kid && !(key->kid && strcmp(key->kid, jwt->kid) == 0))
            continue;
        kid_known = 1;
        if (!(key->algs & OA_JWS_ALG_BIT(jwt->alg)))
            continue;
        candidates++;
        if (verify_with_key(jwt, key))
            return 1;
    }
    if (candidates == 0) {
        *unknown_kid = jwt->kid != NULL && !kid_known;
        refusal->detail = jwt->kid ? apr_psprintf(pool, "no %s key with kid '%s'",
                                                  oa_jws_alg_name(jwt->alg), jwt->kid)
                                   : apr_psprintf(pool, "no %s key",
                                                  oa_jws_alg_name(jwt->alg));
        return 0;
    }
    refusal->detail = "the signature does not verify";
    return 0;
}
