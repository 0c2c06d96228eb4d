/* What an HTTP authentication or OAuth 2 failure looks like on the wire: WWW-Authenticate
 * challenges (RFC 7235, RFC 7617, RFC 6750 section 3), error bodies (RFC 6749 section
 * 5.2 JSON, RFC 9457 problem details), the token endpoint's error and success responses
 * (RFC 6749 sections 5.1 and 5.2) with their no-store headers.
 *
 * Every text that reaches a header or a body is cleaned here: values are restricted to
 * the printable ASCII RFC 6749/6750 allow, so a caller's mistake cannot inject header
 * syntax. Callers must still never pass a credential as a description. Functions are
 * pure (results in the pool); safe from any thread. */
#ifndef OA_OAUTH_ERRORS_H
#define OA_OAUTH_ERRORS_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

/* One response header. */
typedef struct oa_http_header {
    const char *name;
    const char *value;
} oa_http_header;

/* A complete answer for the glue to send. */
typedef struct oa_http_answer {
    int status;
    const char *content_type;    /* of body */
    const char *body;
    apr_array_header_t *headers; /* of oa_http_header: WWW-Authenticate, Cache-Control... */
} oa_http_answer;

/* ---- text cleaning ---- */

/* RFC 7230 quoted-string with its quotes: '"' and '\' backslash-escaped; control
 * characters and bytes outside ASCII dropped. NULL text gives "\"\"". */
const char *oa_http_quoted_string(apr_pool_t *pool, const char *text);

/* Keeps only the characters RFC 6749/6750 allow in error, error_description and scope
 * values (%x20-21 / %x23-5B / %x5D-7E): drops '"', '\', controls and non-ASCII bytes.
 * NULL stays NULL. */
const char *oa_oauth_clean_text(apr_pool_t *pool, const char *text);

/* ---- challenges (WWW-Authenticate values) ---- */

/* RFC 6750 section 3: `Bearer realm="..."` and, when given, error, error_description and
 * scope (each cleaned). Pass error NULL when the request carried no credentials: the
 * challenge then has no error code (section 3.1). */
const char *oa_bearer_challenge(apr_pool_t *pool, const char *realm, const char *error,
                                const char *description, const char *scope);

/* RFC 7617: `Basic realm="...", charset="UTF-8"`. */
const char *oa_basic_challenge(apr_pool_t *pool, const char *realm);

/* API keys have no registered scheme; RFC 7235 still wants a challenge with every 401, so
 * we send `ApiKey realm="...", in="header", name="X-API-Key"`: it tells a client where
 * the key goes and matches no scheme a browser would act on. */
const char *oa_apikey_challenge(apr_pool_t *pool, const char *realm, const char *in,
                                const char *name);

/* ---- bodies ---- */

/* {"error": ..., "error_description": ..., "error_uri": ...}: members that are NULL are
 * left out; values cleaned to RFC 6749 characters (error_uri: its own set, %x21 /
 * %x23-5B / %x5D-7E). Compact, ASCII only. */
const char *oa_oauth_error_json(apr_pool_t *pool, const char *error, const char *description,
                                const char *error_uri);

/* An RFC 9457 problem (Connexion's OAuthProblem style): type about:blank, title the
 * status's reason phrase, status, detail (cleaned), plus an `error` member with the OAuth
 * error code when there is one. Compact text. */
const char *oa_oauth_problem_json(apr_pool_t *pool, int status, const char *error,
                                  const char *description);

/* "Unauthorized" for 401, ...; "Error" for statuses not used here. */
const char *oa_http_reason(int status);

/* ---- token endpoint (RFC 6749 section 5) ---- */

typedef enum oa_token_error {
    OA_TOKEN_INVALID_REQUEST,        /* 400 */
    OA_TOKEN_INVALID_CLIENT,         /* 401 with WWW-Authenticate */
    OA_TOKEN_INVALID_GRANT,          /* 400 */
    OA_TOKEN_UNAUTHORIZED_CLIENT,    /* 400 */
    OA_TOKEN_UNSUPPORTED_GRANT_TYPE, /* 400 */
    OA_TOKEN_INVALID_SCOPE           /* 400 */
} oa_token_error;

/* "invalid_request", ... */
const char *oa_token_error_code(oa_token_error error);
int oa_token_error_status(oa_token_error error);

/* The error response of a token endpoint: status, JSON body, Cache-Control: no-store and
 * Pragma: no-cache. invalid_client is a 401 whose WWW-Authenticate names the scheme the
 * client authenticated with: client_auth_scheme ("Basic", or another scheme name), or
 * Basic when the client sent its credentials in the body (NULL). description may be
 * NULL. */
oa_http_answer *oa_token_error_answer(apr_pool_t *pool, oa_token_error error,
                                      const char *description, const char *client_auth_scheme,
                                      const char *realm);

/* The successful token response (RFC 6749 section 5.1): access_token and token_type are
 * required; expires_in < 0, refresh_token NULL and scope NULL are left out. 200, JSON,
 * with the no-store headers. NULL when access_token or token_type is missing, or a token
 * is not printable ASCII. */
oa_http_answer *oa_token_success_answer(apr_pool_t *pool, const char *access_token,
                                        const char *token_type, long long expires_in,
                                        const char *refresh_token, const char *scope);

/* The headers every response carrying tokens or token errors needs (RFC 6749 section 5.1):
 * Cache-Control: no-store, Pragma: no-cache. Read-only; *count gets their number. */
const oa_http_header *oa_oauth_no_store_headers(size_t *count);

#endif
