#include "security/oa_security_oauth_redirect.h"

#include <apr_strings.h>
#include <string.h>
#include <strings.h>

#include "security/oa_security_oauth_errors.h"

static int is_alpha(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_unreserved(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

const char *oa_percent_encode(apr_pool_t *pool, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(pool, 3 * strlen(text) + 1);
    char *o = out;
    const char *p;
    for (p = text; *p; p++) {
        if (is_unreserved(*p)) {
            *o++ = *p;
            continue;
        }
        *o++ = '%';
        *o++ = hex[(unsigned char)*p >> 4];
        *o++ = hex[(unsigned char)*p & 0x0F];
    }
    *o = '\0';
    return out;
}

/* Length of the RFC 3986 scheme at the start of uri (before ':'), 0 when there is none. */
static size_t scheme_length(const char *uri)
{
    size_t n = 0;
    if (!is_alpha(uri[0]))
        return 0;
    while (is_alpha(uri[n]) || (uri[n] >= '0' && uri[n] <= '9') || uri[n] == '+' ||
           uri[n] == '-' || uri[n] == '.')
        n++;
    return uri[n] == ':' ? n : 0;
}

static int listed_exactly(const apr_array_header_t *list, const char *text)
{
    int i;
    for (i = 0; list && i < list->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(list, i, const char *), text) == 0)
            return 1;
    return 0;
}

static int scheme_listed(const apr_array_header_t *list, const char *scheme, size_t length)
{
    int i;
    for (i = 0; list && i < list->nelts; i++) {
        const char *item = APR_ARRAY_IDX(list, i, const char *);
        if (strlen(item) == length && strncasecmp(item, scheme, length) == 0)
            return 1;
    }
    return 0;
}

const char *oa_redirect_uri_refusal(apr_pool_t *pool, const char *redirect_uri,
                                    const apr_array_header_t *registered,
                                    const apr_array_header_t *custom_schemes)
{
    const char *p;
    size_t length;
    (void)pool;
    if (!redirect_uri || !*redirect_uri)
        return "the request has no redirect_uri";
    for (p = redirect_uri; *p; p++)
        if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7F)
            return "the redirect_uri contains spaces, control or non-ASCII characters";
    length = scheme_length(redirect_uri);
    if (!length)
        return "the redirect_uri is not an absolute URI";
    if (strchr(redirect_uri, '#'))
        return "the redirect_uri must not have a fragment";
    if ((length == 4 && strncasecmp(redirect_uri, "http", 4) == 0) ||
        (length == 5 && strncasecmp(redirect_uri, "https", 5) == 0)) {
        const char *authority = redirect_uri + length + 1;
        if (strncmp(authority, "//", 2) != 0 || authority[2] == '\0' || authority[2] == '/' ||
            authority[2] == '?')
            return "the redirect_uri has no host";
    }
    else if (!scheme_listed(custom_schemes, redirect_uri, length)) {
        return "the redirect_uri scheme is not allowed";
    }
    if (!listed_exactly(registered, redirect_uri))
        return "the redirect_uri is not registered for this client";
    return NULL;
}

static const char *add_param(apr_pool_t *pool, const char *uri, int *first, const char *name,
                             const char *value)
{
    const char *joined;
    if (!value)
        return uri;
    joined = apr_pstrcat(pool, uri, *first ? "" : "&", name, "=",
                         oa_percent_encode(pool, value), NULL);
    *first = 0;
    return joined;
}

const char *oa_authorization_error_redirect(apr_pool_t *pool, const char *redirect_uri,
                                            const char *error, const char *description,
                                            const char *error_uri, const char *state)
{
    const char *uri;
    const char *query = strchr(redirect_uri, '?');
    size_t length = strlen(redirect_uri);
    int first;
    if (strchr(redirect_uri, '#'))
        return NULL;
    if (!query) {
        uri = apr_pstrcat(pool, redirect_uri, "?", NULL);
        first = 1;
    }
    else {
        /* "cb?" and "cb?a=1&" need no separator before the first added parameter. */
        uri = redirect_uri;
        first = redirect_uri[length - 1] == '?' || redirect_uri[length - 1] == '&';
    }
    uri = add_param(pool, uri, &first, "error", error);
    uri = add_param(pool, uri, &first, "error_description",
                    oa_oauth_clean_text(pool, description));
    uri = add_param(pool, uri, &first, "error_uri", error_uri);
    uri = add_param(pool, uri, &first, "state", state);
    if (!query && first) /* nothing added: drop the '?' we put there */
        uri = apr_pstrmemdup(pool, uri, length);
    return uri;
}
