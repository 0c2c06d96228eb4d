/* Authorization endpoint errors sent back through the client's redirect_uri (RFC 6749
 * section 4.1.2.1), and the check that decides whether redirecting is allowed at all
 * (sections 3.1.2 and 4.1.2.1: a missing, invalid or unregistered redirect_uri must not be
 * redirected to; the server answers the user directly instead). */
#ifndef OA_OAUTH_REDIRECT_H
#define OA_OAUTH_REDIRECT_H

#include <apr_pools.h>
#include <apr_tables.h>

/* NULL when redirect_uri may be redirected to, else why not (safe to show the user; the
 * URI itself is not repeated). Refused: NULL or empty; not absolute (no scheme); a
 * fragment (section 3.1.2); spaces, controls or non-ASCII; http/https without a host; a
 * scheme other than http/https not listed in custom_schemes (of const char *, may be
 * NULL; compared case-insensitively); not exactly one of `registered` (of const char *,
 * simple string comparison as section 3.1.2.3 asks; NULL or empty refuses everything). */
const char *oa_redirect_uri_refusal(apr_pool_t *pool, const char *redirect_uri,
                                    const apr_array_header_t *registered,
                                    const apr_array_header_t *custom_schemes);

/* redirect_uri with error, error_description, error_uri and state added to its query, in
 * that order; NULL values are left out. An existing query is kept (joined with '&'); the
 * values are percent-encoded (everything but RFC 3986 unreserved characters);
 * error_description is first cleaned to RFC 6749 characters. Check the URI with
 * oa_redirect_uri_refusal first; NULL when it has a fragment anyway. */
const char *oa_authorization_error_redirect(apr_pool_t *pool, const char *redirect_uri,
                                            const char *error, const char *description,
                                            const char *error_uri, const char *state);

/* RFC 3986 percent-encoding of every byte but ALPHA / DIGIT / "-" / "." / "_" / "~". */
const char *oa_percent_encode(apr_pool_t *pool, const char *text);

#endif
