/* The token info contract (Connexion's x-tokenInfoFunc / x-bearerInfoFunc answer, or an
 * RFC 7662 introspection response) and scope checks.
 *
 *   scopes: `scope` (a space-separated string, or an array) or else `scopes` (an array or
 *           a space-separated string);
 *   user:   `sub`, or else `uid` (strings);
 *   active: `active: false` (RFC 7662) makes the token invalid, "the token is not active";
 *   exp:    seconds since the epoch; at or before now, "the token expired";
 *   nbf:    seconds since the epoch; after now, "the token is not valid yet". */
#ifndef OA_SECURITY_TOKEN_H
#define OA_SECURITY_TOKEN_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "security/oa_security.h"

/* The scopes granted (of const char *, each once, in the order given); empty when the
 * info has none. */
apr_array_header_t *oa_token_info_scopes(apr_pool_t *pool, const json_t *info);

/* sub, else uid; NULL when neither is a string. */
const char *oa_token_info_user(const json_t *info);

/* 1 when every required scope is granted (an empty or NULL requirement always is). */
int oa_scopes_granted(const apr_array_header_t *granted, const apr_array_header_t *required);

/* The required scopes that are not granted (of const char *; empty when none). */
apr_array_header_t *oa_scopes_missing(apr_pool_t *pool, const apr_array_header_t *granted,
                                      const apr_array_header_t *required);

/* Turns a token info into an outcome for the security engine: INVALID when info is not
 * an object (NULL: the function knew no such token), inactive, expired or not yet valid;
 * INSUFFICIENT_SCOPE (scopes_needed: the requirement) when a required scope is missing;
 * else OK with user and token_info (borrowed: the caller keeps info alive). now is in
 * seconds since the epoch. */
void oa_token_info_outcome(apr_pool_t *pool, json_t *info,
                           const apr_array_header_t *required_scopes, double now,
                           oa_auth_outcome *outcome);

#endif
