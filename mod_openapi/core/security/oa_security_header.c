#include "security/oa_security_header.h"

#include <apr_strings.h>
#include <string.h>
#include <strings.h>

static int is_alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int oa_token68_valid(const char *text, size_t length)
{
    size_t i = 0;
    while (i < length && (is_alnum(text[i]) || strchr("-._~+/", text[i]) != NULL) &&
           text[i] != '\0')
        i++;
    if (i == 0)
        return 0; /* at least one character before any padding */
    while (i < length && text[i] == '=')
        i++;
    return i == length;
}

/* RFC 7230 tchar: the characters of a token, such as an auth-scheme name. */
static int is_tchar(char c)
{
    return is_alnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

oa_credential_status oa_authorization_split(apr_pool_t *pool, const char *header,
                                            const char **scheme, const char **credentials,
                                            const char **problem)
{
    const char *start, *end, *p;
    *scheme = NULL;
    *credentials = NULL;
    *problem = NULL;
    if (!header)
        return OA_CREDENTIAL_ABSENT;
    start = header;
    while (*start == ' ' || *start == '\t')
        start++;
    end = start + strlen(start);
    while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (start == end) {
        *problem = "the Authorization header is empty";
        return OA_CREDENTIAL_MALFORMED;
    }
    for (p = start; p < end && is_tchar(*p); p++)
        ;
    if (p == start || (p < end && *p != ' ')) {
        *problem = "the Authorization header does not start with an authentication scheme";
        return OA_CREDENTIAL_MALFORMED;
    }
    *scheme = apr_pstrmemdup(pool, start, (size_t)(p - start));
    while (p < end && *p == ' ')
        p++;
    if (p < end)
        *credentials = apr_pstrmemdup(pool, p, (size_t)(end - p));
    return OA_CREDENTIAL_FOUND;
}

/* The credentials of the Authorization header when its scheme is `wanted`. */
static oa_credential_status credentials_for(apr_pool_t *pool, const char *header,
                                            const char *wanted, const char **credentials,
                                            const char **problem)
{
    const char *scheme;
    oa_credential_status status =
        oa_authorization_split(pool, header, &scheme, credentials, problem);
    if (status != OA_CREDENTIAL_FOUND)
        return status;
    if (strcasecmp(scheme, wanted) != 0) {
        *credentials = NULL;
        return OA_CREDENTIAL_ABSENT; /* another scheme: not ours to judge */
    }
    if (!*credentials) {
        *problem = apr_pstrcat(pool, "the ", wanted, " credentials are empty", NULL);
        return OA_CREDENTIAL_MALFORMED;
    }
    return OA_CREDENTIAL_FOUND;
}

oa_credential_status oa_bearer_from_header(apr_pool_t *pool, const char *header,
                                           const char **token, const char **problem)
{
    const char *credentials;
    oa_credential_status status =
        credentials_for(pool, header, "Bearer", &credentials, problem);
    *token = NULL;
    if (status != OA_CREDENTIAL_FOUND)
        return status;
    if (strchr(credentials, ' ') || strchr(credentials, ',')) {
        *problem = "the Authorization header carries more than one bearer token";
        return OA_CREDENTIAL_MALFORMED;
    }
    if (!oa_token68_valid(credentials, strlen(credentials))) {
        *problem = "the bearer token has characters RFC 6750 does not allow";
        return OA_CREDENTIAL_MALFORMED;
    }
    *token = credentials;
    return OA_CREDENTIAL_FOUND;
}

oa_credential_status oa_bearer_from_request(apr_pool_t *pool, const char *header,
                                            const char *query_token, const char *body_token,
                                            const char **token, const char **problem)
{
    const char *from_header;
    oa_credential_status status = oa_bearer_from_header(pool, header, &from_header, problem);
    int methods = (status != OA_CREDENTIAL_ABSENT) + (query_token != NULL) +
                  (body_token != NULL);
    *token = NULL;
    if (methods > 1) {
        *problem = "the access token was sent by more than one method";
        return OA_CREDENTIAL_MALFORMED;
    }
    if (status != OA_CREDENTIAL_ABSENT) {
        *token = from_header;
        return status;
    }
    if (!query_token && !body_token)
        return OA_CREDENTIAL_ABSENT;
    *token = query_token ? query_token : body_token;
    if (!oa_token68_valid(*token, strlen(*token))) {
        *token = NULL;
        *problem = "the access_token parameter is empty or has characters RFC 6750 does not "
                   "allow";
        return OA_CREDENTIAL_MALFORMED;
    }
    return OA_CREDENTIAL_FOUND;
}

static int has_control(const unsigned char *text, size_t length)
{
    size_t i;
    for (i = 0; i < length; i++)
        if (text[i] < 0x20 || text[i] == 0x7F)
            return 1;
    return 0;
}

oa_credential_status oa_basic_from_header(apr_pool_t *pool, const char *header,
                                          const char **user, const char **password,
                                          const char **problem)
{
    const char *credentials;
    const unsigned char *decoded;
    const unsigned char *colon;
    size_t length;
    oa_credential_status status = credentials_for(pool, header, "Basic", &credentials, problem);
    *user = NULL;
    *password = NULL;
    if (status != OA_CREDENTIAL_FOUND)
        return status;
    decoded = oa_base64_decode_strict(pool, credentials, &length);
    if (!decoded) {
        *problem = "the Basic credentials are not base64";
        return OA_CREDENTIAL_MALFORMED;
    }
    colon = memchr(decoded, ':', length);
    if (!colon) {
        *problem = "the Basic credentials have no ':' between user and password";
        return OA_CREDENTIAL_MALFORMED;
    }
    /* RFC 7617 section 2: neither part may hold control characters (this also keeps NUL
     * bytes out of the C strings we hand on). */
    if (has_control(decoded, length)) {
        *problem = "the Basic credentials contain control characters";
        return OA_CREDENTIAL_MALFORMED;
    }
    *user = apr_pstrmemdup(pool, (const char *)decoded, (size_t)(colon - decoded));
    *password = apr_pstrmemdup(pool, (const char *)colon + 1,
                               length - (size_t)(colon - decoded) - 1);
    return OA_CREDENTIAL_FOUND;
}
