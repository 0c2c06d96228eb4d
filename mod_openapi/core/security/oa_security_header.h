/* Reading credentials out of a request: the Authorization header (RFC 7235 section 2.1:
 * the scheme is case-insensitive; RFC 6750 section 2.1 bearer tokens; RFC 7617 basic
 * credentials), and the rule that a bearer token comes by one method only (RFC 6750
 * section 2). The outcomes map onto the security engine's MISSING and MALFORMED. Problem
 * texts never repeat the credential. Pure functions; safe from any thread. */
#ifndef OA_AUTH_HEADER_H
#define OA_AUTH_HEADER_H

#include <apr_pools.h>

#include "util/oa_base64.h"
#include <stddef.h>

typedef enum oa_credential_status {
    OA_CREDENTIAL_FOUND,        /* the credential asked for is there, well formed */
    OA_CREDENTIAL_ABSENT,       /* no header, or another scheme's credentials */
    OA_CREDENTIAL_MALFORMED     /* presented but broken: *problem says how */
} oa_credential_status;

/* 1 when text[0..length) is an RFC 7235 token68 (RFC 6750 b64token):
 * 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=" */
int oa_token68_valid(const char *text, size_t length);

/* Splits "Scheme credentials": *scheme and *credentials (NULL when there are none, as in
 * "Negotiate"). Leading and trailing spaces are ignored; scheme and credentials are
 * separated by one or more spaces. MALFORMED when the header is empty or the scheme is
 * not a token; ABSENT when header is NULL. */
oa_credential_status oa_authorization_split(apr_pool_t *pool, const char *header,
                                            const char **scheme, const char **credentials,
                                            const char **problem);

/* The bearer token of an Authorization header. ABSENT when there is no header or it names
 * another scheme (the credentials are someone else's); MALFORMED when the scheme is
 * Bearer but the token is missing, holds a space (two tokens, or several Authorization
 * headers joined with ", ") or a character outside token68. */
oa_credential_status oa_bearer_from_header(apr_pool_t *pool, const char *header,
                                           const char **token, const char **problem);

/* RFC 6750 section 2: one token, one method. header is the Authorization header (may be
 * NULL), query_token the `access_token` query parameter (NULL when absent), body_token
 * the form body's `access_token` (NULL when absent or not read). A token by more than one
 * method is MALFORMED; a query or body token must be a token68 too. */
oa_credential_status oa_bearer_from_request(apr_pool_t *pool, const char *header,
                                            const char *query_token, const char *body_token,
                                            const char **token, const char **problem);

/* Basic credentials (RFC 7617): base64 (RFC 4648, padded) of "user:password". ABSENT
 * without a header or for another scheme; MALFORMED for missing or bad base64, no colon,
 * or control characters in the user or password. *user and *password are NUL-terminated
 * copies in pool. */
oa_credential_status oa_basic_from_header(apr_pool_t *pool, const char *header,
                                          const char **user, const char **password,
                                          const char **problem);

#endif
