/* JWT access tokens in the core: strict base64url, the compact JWS parser and what it
 * refuses before any key is looked at, the JWK Set loader and what it skips, signatures
 * (ES256, EdDSA, RS256, HS256) and alg confusion, the claim checks. The vectors were
 * minted with python3-cryptography (tests/e2e/jwt_tokens.py). */
#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#include "security/oa_jwt.h"
#include "util/oa_base64.h"
#include "unit.h"

static apr_pool_t *pool;

static const char vector_jwks[] =
    "{\"keys\": [{\"kty\": \"EC\", \"crv\": \"P-256\", \"x\": \"IV591dLGtIcQ3B0nQJWji5zHPu"
    "36I2KRb-pyTqbZLA4\", \"y\": \"5fHLQ3wY7oTUawym_UQlRsp9tzw-bfrYdurFbmh_RyU\", "
    "\"kid\": \"fz-ec\", \"use\": \"sig\", \"alg\": \"ES256\"}, {\"kty\": \"OKP\", \"crv\": \"Ed"
    "25519\", \"x\": \"FTt9pXHaMBrJFX0RDB2Hr9dmPsSw7N4QZmKS_fiFKm4\", \"kid\": \"fz-e"
    "d\", \"use\": \"sig\", \"alg\": \"EdDSA\"}, {\"kty\": \"RSA\", \"n\": \"rhsSlrbW_9ml9Hai"
    "cLbMNwYT9jrRNH3nLQyChXsz0g8xgGs1IHk-Yr2NHgzo77KvtcB1y-K1bpH1nScJU203RcP0"
    "CHiM3z0c1uXVI_D2VbW8WVYWXNvpUBVd8vvzh6LYV0tfxFaS-056oFzc4qrGB6M_7ybPWdqU"
    "ClThIy70MtaLG_wbtkhRXyRT2W8KJfK1i6nEafBhiNDBaXMSEXjh3H896xM9YLdZJ_DaSj2s"
    "SnsDRyJHiqeOUfi2TBZuLmsrFaTYnncOOgXKoln9p_klWgxTyCe9m_3J6Lj7HAPDxlF5ZH4a"
    "FPFjfFMtoGYLlgrKryAmtov7Gfl2rOjhX7Ah3w\", \"e\": \"AQAB\", \"kid\": \"fz-rsa\", \""
    "use\": \"sig\", \"alg\": \"RS256\"}]}";
static const char vector_es256[] =
    "eyJhbGciOiJFUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImZ6LWVjIn0.eyJpc3MiOiJodHRwczov"
    "L2lzc3Vlci5leGFtcGxlIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiwi"
    "ZXhwIjo0MTAyNDQ0ODAwLCJzY29wZSI6InJlYWQgd3JpdGUifQ.PzuuiQIzI1x5Kh95wmR2BFtbC4qzb"
    "SD_C6S_Lyr6OBzkBScCQtfOsgLTj3ltKaVyIhOOOpDMXFd2ewYDmkU1eA";
static const char vector_eddsa[] =
    "eyJhbGciOiJFZERTQSIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImZ6LWVkIn0.eyJpc3MiOiJodHRwczov"
    "L2lzc3Vlci5leGFtcGxlIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiwi"
    "ZXhwIjo0MTAyNDQ0ODAwLCJzY29wZSI6InJlYWQgd3JpdGUifQ.R_Cuo7iOtFXagO_XIQhLfR-tm4lna"
    "dThZkhD3x0mlx6FzUGivOznLIFBxgwonAkw_A6mGz5gXmqWZrtq3ufRBA";
static const char vector_rs256[] =
    "eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCIsImtpZCI6ImZ6LXJzYSJ9.eyJpc3MiOiJodHRwczo"
    "vL2lzc3Vlci5leGFtcGxlIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiw"
    "iZXhwIjo0MTAyNDQ0ODAwLCJzY29wZSI6InJlYWQgd3JpdGUifQ.FcU7LxV8dyyyUQVIKJmiZEegjr7m"
    "1N1RQLySeylmg0Pdt9eE6_hx9vXxtw0FQSQ0S8NkAirQ3bqT_Z2tRQP3chAeNZ9jsaSK3oPk5HzCwjnp"
    "bRm6_hY6TH0qnUb9R-Qwi-gXhSa6oQnvTV4DCKId481-pJ3Mcy61QsZ4hO8kF4pRcS23rRhw5a93Auy5"
    "61qwl1ypmkoyywld-J3wCTppl59WNe3EHsbZo1ms1bUllkNYa7yyhj2J6fFotFVp0foaJXGdNTQarcVu"
    "XvuFC5HgqxLGv255-hMAJGEY-a-EOuxTza3wyOzWQD7uw8Pc_e_Ts74JghE8Rzxu5Ra3PTzOng";
static const char vector_hs_good[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGx"
    "lIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiwiZXhwIjoxNzAwMDAwMTA"
    "wLCJzY29wZSI6InJlYWQgd3JpdGUifQ.rdoOVbBJsZuEGRdBdd-MoTnMMGsEFSpzmei6t-x3SDE";
static const char vector_hs_scp[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGx"
    "lIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiwiZXhwIjoxNzAwMDAwMTA"
    "wLCJzY3AiOlsiYSIsImIiLCJhIl0sImNsaWVudF9pZCI6ImMxIn0.J3sUoaGbV8DtyV89R2o09u5Zlc6"
    "0K8B3oM1_ie4vEGQ";
static const char vector_hs_expired[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGx"
    "lIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiwiZXhwIjoxNjk5OTk5OTA"
    "wLCJzY29wZSI6InJlYWQgd3JpdGUifQ.s6ReDVDv5ZJpR-MgdO1KAbjw3gwn7DRaZpIQdxKYWLY";
static const char vector_hs_nbf[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGx"
    "lIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiwiZXhwIjoxNzAwMDAwMTA"
    "wLCJzY29wZSI6InJlYWQgd3JpdGUiLCJuYmYiOjE3MDAwMDA1MDB9.fDjiL9QlsmrMenqSmIYv6DP5A-"
    "O5mdViEoxGwIi7F1c";
static const char vector_hs_aud_list[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGx"
    "lIiwiYXVkIjpbIngiLCJodHRwczovL2FwaS5leGFtcGxlIl0sInN1YiI6ImFsaWNlIiwiZXhwIjoxNzA"
    "wMDAwMTAwLCJzY29wZSI6InJlYWQgd3JpdGUifQ.3lX0fbyqEtGF6h6OEKCMH-k3mcmYal93EpCbQsiz"
    "yqs";
static const char vector_hs_wrong_iss[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJodHRwczovL2V2aWwuZXhhbXBsZSI"
    "sImF1ZCI6Imh0dHBzOi8vYXBpLmV4YW1wbGUiLCJzdWIiOiJhbGljZSIsImV4cCI6MTcwMDAwMDEwMCw"
    "ic2NvcGUiOiJyZWFkIHdyaXRlIn0.rgr4hnUjriAKGPh8NlBZ6U4waTRyAw1NasEDjx0Y2zM";
static const char vector_hs_no_exp[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6ImF0K2p3dCJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGx"
    "lIiwiYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiwic2NvcGUiOiJyZWFkIHd"
    "yaXRlIn0.6pPNhE16A_lueeL-4DnGZhoEwVHoAVbtOK31edI1phU";
static const char vector_hs_typ_jwt[] =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlIiw"
    "iYXVkIjoiaHR0cHM6Ly9hcGkuZXhhbXBsZSIsInN1YiI6ImFsaWNlIiwiZXhwIjoxNzAwMDAwMTAwLCJ"
    "zY29wZSI6InJlYWQgd3JpdGUifQ.3ZhASVcFGYl-1VxO3rh4yF7Og_9seTwK6AKSWzX_9lU";

static const char secret[] = "0123456789abcdef0123456789abcdef";

static char *b64url(const char *text)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    apr_size_t n = strlen(text), i, o = 0;
    char *out = apr_palloc(pool, n * 4 / 3 + 4);
    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned char)text[i] << 16 | (unsigned char)text[i + 1] << 8 |
                     (unsigned char)text[i + 2];
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
        out[o++] = alphabet[v & 63];
    }
    if (n - i == 1) {
        unsigned v = (unsigned char)text[i] << 16;
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
    }
    else if (n - i == 2) {
        unsigned v = (unsigned char)text[i] << 16 | (unsigned char)text[i + 1] << 8;
        out[o++] = alphabet[v >> 18];
        out[o++] = alphabet[(v >> 12) & 63];
        out[o++] = alphabet[(v >> 6) & 63];
    }
    out[o] = '\0';
    return out;
}

/* header.payload.signature from JSON texts (the signature is junk: parse tests only) */
static const char *compact(const char *header, const char *payload)
{
    return apr_pstrcat(pool, b64url(header), ".", b64url(payload), ".c2ln", NULL);
}

static const char *parse_refusal(const char *token)
{
    oa_jwt *jwt = NULL;
    oa_jwt_refusal refusal = {NULL, NULL};
    if (oa_jwt_parse(pool, token, strlen(token), "https://keys.example/jwks", &jwt,
                     &refusal))
        return NULL;
    CHECK_STR(refusal.description, "the token is invalid");
    return refusal.detail;
}

static void test_base64url(void)
{
    apr_size_t n = 0;
    const unsigned char *out = oa_base64url_decode(pool, "aGVsbG8", 7, &n);
    CHECK(out && n == 5 && memcmp(out, "hello", 5) == 0);
    CHECK(oa_base64url_decode(pool, "", 0, &n) && n == 0);
    CHECK(oa_base64url_decode(pool, "-_8", 3, &n) && n == 2);
    CHECK(oa_base64url_decode(pool, "aGVsbG8=", 8, &n) == NULL);  /* padding */
    CHECK(oa_base64url_decode(pool, "aGV+bG8", 7, &n) == NULL);   /* base64, not url */
    CHECK(oa_base64url_decode(pool, "aGVsbG9", 7, &n) == NULL);   /* unused bits set */
    CHECK(oa_base64url_decode(pool, "aGVsb", 5, &n) == NULL);     /* 5 mod 4 == 1 */
}

static void test_parse(void)
{
    const char *payload = "{\"sub\":\"a\"}";
    oa_jwt *jwt = NULL;
    oa_jwt_refusal refusal;
    CHECK(oa_jwt_parse(pool, vector_es256, strlen(vector_es256), NULL, &jwt, &refusal));
    CHECK_INT(jwt->alg, OA_JWS_ES256);
    CHECK_STR(jwt->kid, "fz-ec");
    CHECK_STR(jwt->typ, "at+jwt");
    CHECK_INT(jwt->signature_length, 64);
    CHECK(parse_refusal(compact("{\"alg\":\"RS256\"}", payload)) == NULL);
    CHECK_STR(parse_refusal("abc.def"), "not three dot-separated segments (a JWS)");
    CHECK_STR(parse_refusal("a.b.c.d"), "not three dot-separated segments (a JWS)");
    CHECK_STR(parse_refusal(compact("{\"alg\":\"none\"}", payload)), "alg 'none' is not accepted");
    CHECK_STR(parse_refusal(compact("{\"alg\":\"HS1\"}", payload)), "alg 'HS1' is not accepted");
    CHECK_STR(parse_refusal(compact("{\"typ\":\"JWT\"}", payload)), "the header has no alg");
    CHECK_STR(parse_refusal(compact("[1]", payload)),
              "the header is not base64url of a JSON object");
    CHECK_STR(parse_refusal(compact("{\"alg\":\"RS256\",\"alg\":\"none\"}", payload)),
              "the header is not base64url of a JSON object"); /* duplicate keys */
    CHECK_STR(parse_refusal(compact("{\"alg\":\"RS256\",\"crit\":[\"b64\"]}", payload)),
              "the header has crit (no extension is understood)");
    CHECK_STR(parse_refusal(compact("{\"alg\":\"RS256\",\"cty\":\"JWT\"}", payload)),
              "a nested JWT (cty JWT)");
    CHECK_STR(parse_refusal(compact("{\"alg\":\"RS256\",\"jwk\":{}}", payload)),
              "the header embeds a jwk");
    CHECK_STR(parse_refusal(compact("{\"alg\":\"RS256\",\"jku\":\"https://evil/\"}", payload)),
              "the header's jku is not the key set in use");
    CHECK(parse_refusal(compact("{\"alg\":\"RS256\",\"jku\":\"https://keys.example/jwks\"}",
                                payload)) == NULL);
    CHECK_STR(parse_refusal(compact("{\"alg\":\"RS256\",\"x5u\":\"https://x.example/c\"}",
                                    payload)), "the header's x5u is not the key set in use");
    CHECK_STR(parse_refusal(compact("{\"alg\":\"RS256\",\"kid\":1}", payload)),
              "the header's kid or typ is not a string");
    CHECK_STR(parse_refusal(compact("{\"alg\":\"RS256\"}", "\"text\"")),
              "the payload is not base64url of a JSON object");
    CHECK_STR(parse_refusal(apr_pstrcat(pool, b64url("{\"alg\":\"RS256\"}"), ".",
                                        b64url(payload), ".", NULL)),
              "the signature is not base64url");
    {
        char *huge = apr_palloc(pool, 3000);
        memset(huge, 'a', 2999);
        huge[2999] = '\0';
        CHECK_STR(parse_refusal(compact(apr_psprintf(pool, "{\"alg\":\"RS256\",\"x\":\"%s\"}",
                                                     huge), payload)),
                  "the header is too large");
    }
}

static oa_jwks *vector_keys(void)
{
    json_t *set = json_loads(vector_jwks, 0, NULL);
    const char *error = NULL;
    oa_jwks *keys = oa_jwks_load(pool, set, NULL, &error);
    json_decref(set);
    return keys;
}

static int verifies(const char *token, const oa_jwks *keys, unsigned allowed, int *unknown_kid)
{
    oa_jwt *jwt;
    oa_jwt_refusal refusal;
    int unknown = 0;
    if (!oa_jwt_parse(pool, token, strlen(token), NULL, &jwt, &refusal))
        return -1;
    if (!oa_jwt_verify(pool, jwt, keys, (const unsigned char *)secret, strlen(secret),
                       allowed, unknown_kid ? unknown_kid : &unknown, &refusal))
        return 0;
    return 1;
}

static void test_jwks_load(void)
{
    static const char *const skipped[] = {
        "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"}",
        "{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
        "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
        "\"y\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
        "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AAAA\"}",
        "{\"kid\":\"k\"}"};
    json_t *set = json_loads(vector_jwks, 0, NULL);
    json_t *keys = json_object_get(set, "keys");
    apr_array_header_t *notes = apr_array_make(pool, 4, sizeof(const char *));
    const char *error = NULL;
    oa_jwks *jwks;
    size_t i;
    /* the EC key for encryption, the Ed25519 key with the alg of another type */
    json_object_set_new(json_array_get(keys, 0), "use", json_string("enc"));
    json_object_set_new(json_array_get(keys, 1), "alg", json_string("RS256"));
    for (i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++)
        json_array_append_new(keys, json_loads(skipped[i], 0, NULL));
    jwks = oa_jwks_load(pool, set, notes, &error);
    CHECK(jwks != NULL);
    CHECK_INT(jwks ? jwks->keys->nelts : -1, 1); /* the RSA key only */
    CHECK_INT(notes->nelts, 7);
    CHECK(strstr(APR_ARRAY_IDX(notes, 0, const char *), "its use is not sig") != NULL);
    CHECK(strstr(APR_ARRAY_IDX(notes, 1, const char *), "does not fit its kty") != NULL);
    CHECK(strstr(APR_ARRAY_IDX(notes, 3, const char *), "shorter than 2048 bits") != NULL);
    CHECK(strstr(APR_ARRAY_IDX(notes, 4, const char *), "OpenSSL refused the EC key") != NULL);
    CHECK(verifies(vector_rs256, jwks, OA_JWS_ASYMMETRIC, NULL) == 1);
    CHECK(verifies(vector_es256, jwks, OA_JWS_ASYMMETRIC, NULL) == 0);
    json_decref(set);
    CHECK(oa_jwks_load(pool, NULL, notes, &error) == NULL && error != NULL);
    set = json_loads("{\"keys\":{}}", 0, NULL);
    CHECK(oa_jwks_load(pool, set, notes, &error) == NULL);
    json_decref(set);
}

static void test_verify(void)
{
    oa_jwks *keys = vector_keys();
    char *tampered;
    int unknown = 0;
    CHECK_INT(keys->keys->nelts, 3);
    CHECK(verifies(vector_es256, keys, OA_JWS_ASYMMETRIC, NULL) == 1);
    CHECK(verifies(vector_eddsa, keys, OA_JWS_ASYMMETRIC, NULL) == 1);
    CHECK(verifies(vector_rs256, keys, OA_JWS_ASYMMETRIC, NULL) == 1);
    /* not on the allow-list */
    CHECK(verifies(vector_rs256, keys, OA_JWS_ALG_BIT(OA_JWS_ES256), NULL) == 0);
    /* HMAC: with the secret only, and only when allowed */
    CHECK(verifies(vector_hs_good, keys, OA_JWS_ASYMMETRIC | OA_JWS_HMAC, NULL) == 1);
    CHECK(verifies(vector_hs_good, keys, OA_JWS_ASYMMETRIC, NULL) == 0);
    /* a changed byte of the signature, of the payload */
    tampered = apr_pstrdup(pool, vector_es256);
    tampered[strlen(tampered) - 3] = tampered[strlen(tampered) - 3] == 'A' ? 'B' : 'A';
    CHECK(verifies(tampered, keys, OA_JWS_ASYMMETRIC, NULL) == 0);
    tampered = apr_pstrdup(pool, vector_rs256);
    tampered[strchr(tampered, '.') - tampered + 5] ^= 1;
    CHECK(verifies(tampered, keys, OA_JWS_ASYMMETRIC, NULL) != 1);
    /* a kid no key has: a reason to fetch again */
    {
        const char *dot = strchr(vector_es256, '.');
        const char *other = apr_pstrcat(
            pool, b64url("{\"alg\":\"ES256\",\"kid\":\"rotated\"}"), dot, NULL);
        CHECK(verifies(other, keys, OA_JWS_ASYMMETRIC, &unknown) == 0);
        CHECK_INT(unknown, 1);
        /* the EC key's kid with RS256: no key of that type, not an unknown kid */
        other = apr_pstrcat(pool, b64url("{\"alg\":\"RS256\",\"kid\":\"fz-ec\"}"), dot, NULL);
        CHECK(verifies(other, keys, OA_JWS_ASYMMETRIC, &unknown) == 0);
        CHECK_INT(unknown, 0);
    }
}

static const char *claims_refusal(const char *token, int require_at_jwt, const char **user,
                                  apr_array_header_t **scopes)
{
    static const char *const issuers[] = {"https://issuer.example"};
    static const char *const audiences[] = {"https://api.example"};
    apr_array_header_t issuer_list = {pool, sizeof(char *), 1, 1, (char *)issuers};
    apr_array_header_t audience_list = {pool, sizeof(char *), 1, 1, (char *)audiences};
    oa_jwt_rules rules = {&issuer_list, &audience_list, 30, require_at_jwt, NULL, NULL};
    oa_jwt_refusal refusal;
    oa_jwt *jwt;
    const char *ignored_user;
    apr_array_header_t *ignored_scopes;
    CHECK(oa_jwt_parse(pool, token, strlen(token), NULL, &jwt, &refusal));
    if (oa_jwt_check_claims(pool, jwt, &rules, 1700000000.0, user ? user : &ignored_user,
                            scopes ? scopes : &ignored_scopes, &refusal))
        return NULL;
    return refusal.description;
}

static void test_claims(void)
{
    const char *user = NULL;
    apr_array_header_t *scopes = NULL;
    CHECK(claims_refusal(vector_hs_good, 1, &user, &scopes) == NULL);
    CHECK_STR(user, "alice");
    CHECK_STR(apr_array_pstrcat(pool, scopes, ' '), "read write");
    CHECK(claims_refusal(vector_hs_scp, 0, &user, &scopes) == NULL);
    CHECK_STR(apr_array_pstrcat(pool, scopes, ' '), "a b");
    CHECK(claims_refusal(vector_hs_aud_list, 0, NULL, NULL) == NULL);
    CHECK_STR(claims_refusal(vector_hs_expired, 0, NULL, NULL), "the token expired");
    CHECK_STR(claims_refusal(vector_hs_nbf, 0, NULL, NULL), "the token is not valid yet");
    CHECK_STR(claims_refusal(vector_hs_wrong_iss, 0, NULL, NULL), "the token is invalid");
    CHECK_STR(claims_refusal(vector_hs_no_exp, 0, NULL, NULL), "the token is invalid");
    CHECK_STR(claims_refusal(vector_hs_typ_jwt, 1, NULL, NULL), "the token is invalid");
    CHECK(claims_refusal(vector_hs_typ_jwt, 0, NULL, NULL) == NULL);
}

static void test_alg_names(void)
{
    CHECK_INT(oa_jws_alg_from_name("EdDSA"), OA_JWS_EDDSA);
    CHECK_INT(oa_jws_alg_from_name("none"), -1);
    CHECK_INT(oa_jws_alg_from_name("rs256"), -1);
    CHECK_STR(oa_jws_alg_name(OA_JWS_PS384), "PS384");
    CHECK(!(OA_JWS_ASYMMETRIC & OA_JWS_HMAC));
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_base64url();
    test_parse();
    test_jwks_load();
    test_verify();
    test_claims();
    test_alg_names();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
