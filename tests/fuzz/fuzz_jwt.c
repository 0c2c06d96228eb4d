/* libFuzzer target for the JWT parser, verifier and claim checks (security/oa_jwt.h) and
 * the JWK Set loader (security/oa_jwk.h). An input that starts with '{' is a JWK Set;
 * anything else is a token, parsed, verified against a fixed key set (EC P-256, Ed25519,
 * RSA; the seeds in corpus/jwt/ are tokens they sign) and an HMAC secret, and its claims
 * checked. A token that verifies must have parsed with a known alg; a refusal must say
 * why. Built and run by run.sh. */
#include <apr_general.h>
#include <apr_strings.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "security/oa_jwt.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char key_set[] = "{\"keys\": [{\"kty\": \"EC\", \"crv\": \"P-256\", \"x\": \"IV591dLGtIcQ3B0nQJWji5zHPu36I2KRb-pyTqbZLA4\", \"y\": \"5fHLQ3wY7oTUawym_UQlRsp9tzw-bfrYdurFbmh_RyU\", \"kid\": \"fz-ec\", \"use\": \"sig\", \"alg\": \"ES256\"}, {\"kty\": \"OKP\", \"crv\": \"Ed25519\", \"x\": \"FTt9pXHaMBrJFX0RDB2Hr9dmPsSw7N4QZmKS_fiFKm4\", \"kid\": \"fz-ed\", \"use\": \"sig\", \"alg\": \"EdDSA\"}, {\"kty\": \"RSA\", \"n\": \"rhsSlrbW_9ml9HaicLbMNwYT9jrRNH3nLQyChXsz0g8xgGs1IHk-Yr2NHgzo77KvtcB1y-K1bpH1nScJU203RcP0CHiM3z0c1uXVI_D2VbW8WVYWXNvpUBVd8vvzh6LYV0tfxFaS-056oFzc4qrGB6M_7ybPWdqUClThIy70MtaLG_wbtkhRXyRT2W8KJfK1i6nEafBhiNDBaXMSEXjh3H896xM9YLdZJ_DaSj2sSnsDRyJHiqeOUfi2TBZuLmsrFaTYnncOOgXKoln9p_klWgxTyCe9m_3J6Lj7HAPDxlF5ZH4aFPFjfFMtoGYLlgrKryAmtov7Gfl2rOjhX7Ah3w\", \"e\": \"AQAB\", \"kid\": \"fz-rsa\", \"use\": \"sig\", \"alg\": \"RS256\"}]}";
static const char secret[] = "0123456789abcdef0123456789abcdef";

/* tokens the keys sign: verified once first, so that OpenSSL's lazily made per-key
 * caches exist before libFuzzer starts counting allocations */
static const char *const warm_up[] = {
    "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImZ6LWVjIn0.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiwiZXhwIjo0MTAyNDQ0ODAwLCJzY29wZSI6InJlYWQgd3JpdGUifQ.PzuuiQIzI1x5Kh95wmR2BFtbC4qzbSD_C6S_Lyr6OBzkBScCQtfOsgLTj3ltKaVyIhOOOpDMXFd2ewYDmkU1eA",
    "eyJhbGciOiJFZERTQSIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImZ6LWVkIn0.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiwiZXhwIjo0MTAyNDQ0ODAwLCJzY29wZSI6InJlYWQgd3JpdGUifQ.R_Cuo7iOtFXagO_XIQhLfR-tm4lnadThZkhD3x0mlx6FzUGivOznLIFBxgwonAkw_A6mGz5gXmqWZrtq3ufRBA",
    "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImZ6LXJzYSJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiwiZXhwIjo0MTAyNDQ0ODAwLCJzY29wZSI6InJlYWQgd3JpdGUifQ.FcU7LxV8dyyyUQVIKJmiZEegjr7m1N1RQLySeylmg0Pdt9eE6_hx9vXxtw0FQSQ0S8NkAirQ3bqT_Z2tRQP3chAeNZ9jsaSK3oPk5HzCwjnpbRm6_hY6TH0qnUb9R-Qwi-gXhSa6oQnvTV4DCKId481-pJ3Mcy61QsZ4hO8kF4pRcS23rRhw5a93Auy561qwl1ypmkoyywld-J3wCTppl59WNe3EHsbZo1ms1bUllkNYa7yyhj2J6fFotFVp0foaJXGdNTQarcVuXvuFC5HgqxLGv255-hMAJGEY-a-EOuxTza3wyOzWQD7uw8Pc_e_Ts74JghE8Rzxu5Ra3PTzOng",
    "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiwiZXhwIjo0MTAyNDQ0ODAwLCJzY29wZSI6InJlYWQgd3JpdGUifQ.caWY5ug_Segt62bYei8Xcx_gHyvxn5Dg6a3Y_V_FaOM",
};

static apr_pool_t *keys_pool;
static oa_jwks *keys;

static void check_token(apr_pool_t *pool, const char *text, size_t size);

/* the keys live in pool memory, which LeakSanitizer does not scan (APR may mmap it):
 * globals point at them too, and they are freed at exit */
static void *key_objects[3];

static void free_keys(void)
{
    apr_pool_destroy(keys_pool);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    json_t *set = json_loads(key_set, 0, NULL);
    const char *error = NULL;
    size_t i;
    (void)argc;
    (void)argv;
    apr_initialize();
    apr_pool_create(&keys_pool, NULL);
    atexit(free_keys);
    keys = oa_jwks_load(keys_pool, set, NULL, &error);
    json_decref(set);
    if (!keys || keys->keys->nelts != 3)
        abort();
    for (i = 0; i < 3; i++)
        key_objects[i] = APR_ARRAY_IDX(keys->keys, (int)i, oa_jwk).pkey;
    for (i = 0; i < sizeof(warm_up) / sizeof(warm_up[0]); i++) {
        apr_pool_t *pool;
        apr_pool_create(&pool, NULL);
        check_token(pool, warm_up[i], strlen(warm_up[i]));
        apr_pool_destroy(pool);
    }
    return 0;
}

static void check_token(apr_pool_t *pool, const char *text, size_t size)
{
    static const char *const issuers[] = {"https://issuer.example"};
    static const char *const audiences[] = {"https://api.example"};
    apr_array_header_t issuer_list = {pool, sizeof(char *), 1, 1, (char *)issuers};
    apr_array_header_t audience_list = {pool, sizeof(char *), 1, 1, (char *)audiences};
    oa_jwt_rules rules = {&issuer_list, &audience_list, 30, 0, NULL, NULL};
    oa_jwt_refusal refusal = {NULL, NULL};
    apr_array_header_t *scopes;
    const char *user;
    oa_jwt *jwt;
    int unknown_kid;
    if (!oa_jwt_parse(pool, text, size, "https://keys.example/jwks", &jwt, &refusal)) {
        if (!refusal.description || !refusal.detail)
            abort();
        return;
    }
    if ((unsigned)jwt->alg >= OA_JWS_ALG_COUNT || !jwt->claims || !jwt->header)
        abort();
    if (!oa_jwt_verify(pool, jwt, keys, (const unsigned char *)secret, strlen(secret),
                       OA_JWS_ASYMMETRIC | OA_JWS_HMAC, &unknown_kid, &refusal)) {
        if (!refusal.detail)
            abort();
        return;
    }
    if (!oa_jwt_check_claims(pool, jwt, &rules, 1.7e9, &user, &scopes, &refusal) &&
        !refusal.description)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *pool;
    apr_pool_create(&pool, NULL);
    if (size > 0 && data[0] == '{') {
        json_t *set = json_loadb((const char *)data, size, 0, NULL);
        apr_array_header_t *notes = apr_array_make(pool, 2, sizeof(const char *));
        const char *error = NULL;
        if (!oa_jwks_load(pool, set, notes, &error) && !error)
            abort();
        json_decref(set);
    }
    else {
        /* tokens are NUL-free text in a header: a copy with a terminator */
        char *text = apr_pstrmemdup(pool, (const char *)data, size);
        check_token(pool, text, size);
    }
    apr_pool_destroy(pool);
    return 0;
}
