/* Reading credentials: the Authorization header (Bearer, Basic), token68, base64, and a
 * bearer token sent by more than one method. */
#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#include "security/oa_security_header.h"
#include "unit.h"

static apr_pool_t *pool;

static const char *bearer(const char *header, oa_credential_status want_status)
{
    const char *token, *problem;
    oa_credential_status status = oa_bearer_from_header(pool, header, &token, &problem);
    CHECK_INT(status, want_status);
    if (status == OA_CREDENTIAL_MALFORMED) {
        CHECK(problem != NULL && token == NULL);
        return problem;
    }
    return token;
}

static void test_token68(void)
{
    CHECK(oa_token68_valid("abc", 3));
    CHECK(oa_token68_valid("a-b.c_d~e+f/g==", 15));
    CHECK(oa_token68_valid("eyJhbGciOi.eyJzdWIi.SflKxw", 26));
    CHECK(!oa_token68_valid("", 0));
    CHECK(!oa_token68_valid("==", 2));
    CHECK(!oa_token68_valid("a=b", 3));
    CHECK(!oa_token68_valid("a b", 3));
    CHECK(!oa_token68_valid("a,b", 3));
    CHECK(!oa_token68_valid("a\"b", 3));
    CHECK(!oa_token68_valid("caf\xc3\xa9", 5));
    CHECK(!oa_token68_valid("ab\0cd", 5)); /* a NUL inside the length */
    CHECK(oa_token68_valid("ab", 2));
}

static void test_split(void)
{
    const char *scheme, *credentials, *problem;
    CHECK_INT(oa_authorization_split(pool, NULL, &scheme, &credentials, &problem),
              OA_CREDENTIAL_ABSENT);
    CHECK_INT(oa_authorization_split(pool, "  Negotiate  ", &scheme, &credentials, &problem),
              OA_CREDENTIAL_FOUND);
    CHECK_STR(scheme, "Negotiate");
    CHECK_STR(credentials, NULL);
    CHECK_INT(oa_authorization_split(pool, "Digest  a=b, c=\"d\"", &scheme, &credentials,
                                     &problem),
              OA_CREDENTIAL_FOUND);
    CHECK_STR(scheme, "Digest");
    CHECK_STR(credentials, "a=b, c=\"d\"");
    CHECK_INT(oa_authorization_split(pool, "   ", &scheme, &credentials, &problem),
              OA_CREDENTIAL_MALFORMED);
    CHECK_STR(problem, "the Authorization header is empty");
    CHECK_INT(oa_authorization_split(pool, "\"Bearer\" x", &scheme, &credentials, &problem),
              OA_CREDENTIAL_MALFORMED);
    CHECK_INT(oa_authorization_split(pool, "Bearer\tx", &scheme, &credentials, &problem),
              OA_CREDENTIAL_MALFORMED);
}

static void test_bearer(void)
{
    CHECK_STR(bearer("Bearer mF_9.B5f-4.1JqM", OA_CREDENTIAL_FOUND), "mF_9.B5f-4.1JqM");
    /* The scheme is case-insensitive; extra spaces around are tolerated. */
    CHECK_STR(bearer("bearer abc", OA_CREDENTIAL_FOUND), "abc");
    CHECK_STR(bearer("BEARER   abc==  ", OA_CREDENTIAL_FOUND), "abc==");
    /* Not ours. */
    CHECK_STR(bearer(NULL, OA_CREDENTIAL_ABSENT), NULL);
    CHECK_STR(bearer("Basic YTpi", OA_CREDENTIAL_ABSENT), NULL);
    CHECK_STR(bearer("Bearerx abc", OA_CREDENTIAL_ABSENT), NULL);
    /* Malformed: no token, two tokens, two headers joined, bad characters. */
    CHECK_STR(bearer("Bearer", OA_CREDENTIAL_MALFORMED), "the Bearer credentials are empty");
    CHECK_STR(bearer("Bearer   ", OA_CREDENTIAL_MALFORMED), "the Bearer credentials are empty");
    CHECK_STR(bearer("Bearer abc def", OA_CREDENTIAL_MALFORMED),
              "the Authorization header carries more than one bearer token");
    CHECK_STR(bearer("Bearer abc, Bearer def", OA_CREDENTIAL_MALFORMED),
              "the Authorization header carries more than one bearer token");
    CHECK_STR(bearer("Bearer ab\"c", OA_CREDENTIAL_MALFORMED),
              "the bearer token has characters RFC 6750 does not allow");
    CHECK_STR(bearer("Bearer =abc", OA_CREDENTIAL_MALFORMED),
              "the bearer token has characters RFC 6750 does not allow");
    CHECK_STR(bearer("Bearer caf\xc3\xa9", OA_CREDENTIAL_MALFORMED),
              "the bearer token has characters RFC 6750 does not allow");
    CHECK_STR(bearer("", OA_CREDENTIAL_MALFORMED), "the Authorization header is empty");
}

static void test_one_method(void)
{
    const char *token, *problem;
    CHECK_INT(oa_bearer_from_request(pool, "Bearer abc", NULL, NULL, &token, &problem),
              OA_CREDENTIAL_FOUND);
    CHECK_STR(token, "abc");
    CHECK_INT(oa_bearer_from_request(pool, NULL, "q1", NULL, &token, &problem),
              OA_CREDENTIAL_FOUND);
    CHECK_STR(token, "q1");
    CHECK_INT(oa_bearer_from_request(pool, NULL, NULL, "b1", &token, &problem),
              OA_CREDENTIAL_FOUND);
    CHECK_STR(token, "b1");
    CHECK_INT(oa_bearer_from_request(pool, NULL, NULL, NULL, &token, &problem),
              OA_CREDENTIAL_ABSENT);
    /* RFC 6750 section 2: more than one method is a malformed request. */
    CHECK_INT(oa_bearer_from_request(pool, "Bearer abc", "abc", NULL, &token, &problem),
              OA_CREDENTIAL_MALFORMED);
    CHECK_STR(problem, "the access token was sent by more than one method");
    CHECK_STR(token, NULL);
    CHECK_INT(oa_bearer_from_request(pool, NULL, "a", "b", &token, &problem),
              OA_CREDENTIAL_MALFORMED);
    /* A broken header still counts as a method. */
    CHECK_INT(oa_bearer_from_request(pool, "Bearer", "a", NULL, &token, &problem),
              OA_CREDENTIAL_MALFORMED);
    CHECK_STR(problem, "the access token was sent by more than one method");
    /* Another scheme's header is not a bearer method. */
    CHECK_INT(oa_bearer_from_request(pool, "Basic YTpi", "q", NULL, &token, &problem),
              OA_CREDENTIAL_FOUND);
    CHECK_STR(token, "q");
    CHECK_INT(oa_bearer_from_request(pool, NULL, "", NULL, &token, &problem),
              OA_CREDENTIAL_MALFORMED);
    CHECK_INT(oa_bearer_from_request(pool, NULL, "a b", NULL, &token, &problem),
              OA_CREDENTIAL_MALFORMED);
    CHECK_STR(token, NULL);
}

static const char *decoded(const char *text)
{
    size_t length;
    const unsigned char *out = oa_base64_decode_strict(pool, text, &length);
    if (!out)
        return NULL;
    CHECK_INT(length, strlen((const char *)out));
    return (const char *)out;
}

static void test_base64(void)
{
    CHECK_STR(decoded("YWxpY2U6c2VjcmV0"), "alice:secret");
    CHECK_STR(decoded("YQ=="), "a");
    CHECK_STR(decoded("YWI="), "ab");
    CHECK_STR(decoded("YWJj"), "abc");
    CHECK_STR(decoded("+/+/"), "\xfb\xff\xbf");
    CHECK_STR(decoded(""), NULL);
    CHECK_STR(decoded("YQ"), NULL);    /* padding required */
    CHECK_STR(decoded("YQ="), NULL);
    CHECK_STR(decoded("Y==="), NULL);
    CHECK_STR(decoded("YQ==YQ=="), NULL); /* data after padding */
    CHECK_STR(decoded("Y=Q="), NULL);
    CHECK_STR(decoded("YR=="), NULL);  /* non-zero bits under the padding */
    CHECK_STR(decoded("YWJ="), NULL);
    CHECK_STR(decoded("YW Jj"), NULL);
    CHECK_STR(decoded("YW-j"), NULL);  /* base64url is not base64 */
}

static void test_basic(void)
{
    const char *user, *password, *problem;
    CHECK_INT(oa_basic_from_header(pool, "Basic YWxpY2U6c2VjcmV0", &user, &password, &problem),
              OA_CREDENTIAL_FOUND);
    CHECK_STR(user, "alice");
    CHECK_STR(password, "secret");
    /* The password may hold colons; the user may be empty (RFC 7617). */
    CHECK_INT(oa_basic_from_header(pool, "basic OmE6Yg==", &user, &password, &problem),
              OA_CREDENTIAL_FOUND);
    CHECK_STR(user, "");
    CHECK_STR(password, "a:b");
    /* UTF-8 passes through untouched. */
    CHECK_INT(oa_basic_from_header(pool, "Basic w6k6w6k=", &user, &password, &problem),
              OA_CREDENTIAL_FOUND);
    CHECK_STR(user, "\xc3\xa9");
    CHECK_INT(oa_basic_from_header(pool, "Bearer abc", &user, &password, &problem),
              OA_CREDENTIAL_ABSENT);
    CHECK_INT(oa_basic_from_header(pool, NULL, &user, &password, &problem),
              OA_CREDENTIAL_ABSENT);
    CHECK_INT(oa_basic_from_header(pool, "Basic", &user, &password, &problem),
              OA_CREDENTIAL_MALFORMED);
    CHECK_INT(oa_basic_from_header(pool, "Basic YWxpY2U", &user, &password, &problem),
              OA_CREDENTIAL_MALFORMED);
    CHECK_STR(problem, "the Basic credentials are not base64");
    CHECK_INT(oa_basic_from_header(pool, "Basic YWxpY2U=", &user, &password, &problem),
              OA_CREDENTIAL_MALFORMED); /* "alice": no colon */
    CHECK_STR(problem, "the Basic credentials have no ':' between user and password");
    CHECK_STR(user, NULL);
    /* "a\0:b" and "a:b\n": control characters (and NUL) refused */
    CHECK_INT(oa_basic_from_header(pool, "Basic YQA6Yg==", &user, &password, &problem),
              OA_CREDENTIAL_MALFORMED);
    CHECK_STR(problem, "the Basic credentials contain control characters");
    CHECK_INT(oa_basic_from_header(pool, "Basic YTpiCg==", &user, &password, &problem),
              OA_CREDENTIAL_MALFORMED);
    /* Problems never repeat the credential. */
    CHECK(strstr(problem, "YTpi") == NULL);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_token68();
    test_split();
    test_bearer();
    test_one_method();
    test_base64();
    test_basic();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
