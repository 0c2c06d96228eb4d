/* The security decision for one request: given an operation's requirements (oa_spec.h)
 * and a callback that checks one scheme against the request, decide whether the request
 * may go on, with which user, or which error to answer (status, WWW-Authenticate
 * challenges, body). The rules are in docs/security.md; in short:
 *
 *  - alternatives (requirement objects) are tried in the order written, the first whose
 *    schemes all pass wins (AND inside, OR across); the schemes of an alternative are
 *    checked in order and checking stops at the first that fails;
 *  - `{}` (optional) is tried last, whatever its position, so that a client presenting
 *    good credentials is still identified; it passes anonymously unless a credential
 *    that was presented is malformed, invalid or could not be checked (unavailable);
 *  - refused: 503 if a check was unavailable, else 400 if a credential was malformed,
 *    else 403 if a valid credential lacked scopes, else 401.
 *
 * No httpd types: the glue reads headers and calls plugins inside the callback. Reads
 * only the (read-only) spec; safe from any thread. */
#ifndef OA_SECURITY_H
#define OA_SECURITY_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "security/oa_security_oauth_errors.h"
#include "spec/oa_spec.h"

/* What checking one scheme against a request found. */
typedef enum oa_auth_status {
    OA_AUTH_OK,
    OA_AUTH_MISSING,            /* no credentials for this scheme were presented */
    OA_AUTH_MALFORMED,          /* presented but unusable: bad syntax, two tokens, ... */
    OA_AUTH_INVALID,            /* wrong, unknown, expired, revoked or inactive */
    OA_AUTH_INSUFFICIENT_SCOPE, /* valid, but without the scopes the operation needs */
    OA_AUTH_UNAVAILABLE         /* could not be checked (introspection down): 503 */
} oa_auth_status;

/* "ok", "missing", ... (for logs). */
const char *oa_auth_status_name(oa_auth_status status);

typedef struct oa_auth_outcome {
    oa_auth_status status;
    /* For the client (cleaned to RFC 6750 characters before use). NULL for the default
     * text of the status. Must never contain the credential or any secret. */
    const char *description;
    const char *user;         /* OK: the user the credentials belong to (may be NULL) */
    json_t *token_info;       /* OK: borrowed; the callback keeps it alive for the pool */
    /* INSUFFICIENT_SCOPE: the scopes needed (of const char *); NULL means the scopes the
     * requirement asks for. */
    const apr_array_header_t *scopes_needed;
    /* UNAVAILABLE: seconds after which a retry may succeed (an endpoint's Retry-After),
     * 0 when unknown. */
    long retry_after;
} oa_auth_outcome;

/* Checks `scheme` for the request the glue holds in baton. required_scopes (of const
 * char *, maybe empty) are the requirement's scopes or roles for this scheme. The outcome
 * comes zeroed (OA_AUTH_OK); fill it. May be called more than once for a scheme (once per
 * alternative naming it); the glue caches credential lookups itself. */
typedef void (*oa_auth_check_fn)(void *baton, const oa_security_scheme *scheme,
                                 const apr_array_header_t *required_scopes, apr_pool_t *pool,
                                 oa_auth_outcome *outcome);

typedef struct oa_security_decision {
    int allowed;
    /* allowed: */
    int anonymous;            /* through an open operation or `{}`: no user */
    const oa_security_requirement *requirement; /* the alternative that passed, or NULL */
    const char *user;         /* the first user given by the passing schemes, or NULL */
    json_t *token_info;       /* the first token info given by them (borrowed), or NULL */
    /* refused: */
    int status;               /* 400, 401, 403 or 503 */
    const char *error;        /* RFC 6750 code: invalid_request, invalid_token,
                                 insufficient_scope; NULL when no credentials were presented
                                 (401) and for 503 */
    const char *error_description; /* cleaned, never NULL when refused */
    const char *scope;        /* insufficient_scope: the scopes needed, space-separated */
    apr_array_header_t *challenges; /* of const char *: WWW-Authenticate values, one per
                                       failing scheme in requirement order, each once;
                                       empty for 503 */
    long retry_after;         /* 503: the longest Retry-After the unavailable checks
                                 gave, 0 when none */
} oa_security_decision;

/* Decides for operation op. realm names the protected space in challenges (e.g. the
 * API's title or the Location). check is not called for open operations. */
oa_security_decision *oa_security_evaluate(apr_pool_t *pool, const oa_operation *op,
                                           const char *realm, oa_auth_check_fn check,
                                           void *baton);

/* The WWW-Authenticate value for one scheme and outcome: Bearer (RFC 6750) for oauth2,
 * bearer and openIdConnect schemes, Basic for basic, ApiKey for apikey
 * (oa_oauth_errors.h). scope is the space-separated scope list for insufficient_scope. */
const char *oa_security_challenge(apr_pool_t *pool, const oa_security_scheme *scheme,
                                  const oa_auth_outcome *outcome, const char *realm,
                                  const char *scope);

/* How a refusal's body is written. */
typedef enum oa_auth_body_format {
    OA_AUTH_BODY_OAUTH,   /* {"error": ..., "error_description": ...}, application/json */
    OA_AUTH_BODY_PROBLEM, /* RFC 9457 problem + "error", application/problem+json */
    OA_AUTH_BODY_TEMPLATE /* the operator's template (oa_oauth_template.h), application/json */
} oa_auth_body_format;

/* The answer for a refused decision: status, body, one WWW-Authenticate header per
 * challenge. template_text is used with OA_AUTH_BODY_TEMPLATE only. A 503 (credentials
 * could not be checked) is not an OAuth error: whatever the format, it is an RFC 9457
 * problem with a fixed detail, and Retry-After when the decision knows one. */
oa_http_answer *oa_security_refusal_answer(apr_pool_t *pool,
                                           const oa_security_decision *decision,
                                           const char *realm, oa_auth_body_format format,
                                           const char *template_text);

#endif
