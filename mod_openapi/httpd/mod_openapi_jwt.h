/* JWT access tokens validated by the module (no plugin): the per-directory settings and
 * their directives (mod_openapi_jwt_config.c), the key sets fetched and cached
 * (mod_openapi_jwks.c), and the check of one token (mod_openapi_jwt.c). */
#ifndef OA_GLUE_JWT_H
#define OA_GLUE_JWT_H

#include "mod_openapi_glue.h"

#include "security/oa_jwt.h"
#include "security/oa_security.h"

#define GLUE_JWT_DEFAULT_LEEWAY 30        /* seconds of clock skew */
#define GLUE_JWT_DEFAULT_REFRESH 3600     /* seconds a fetched key set is used */
#define GLUE_JWT_DEFAULT_REFRESH_MIN 60   /* seconds between two fetches at the least */

/* JWT settings are glue_dir_conf's jwt_* fields (mod_openapi_directives.c' tables). */
const char *glue_jwt_set_jwks(cmd_parms *cmd, void *conf, const char *value);
const char *glue_jwt_add_issuer(cmd_parms *cmd, void *conf, const char *value);
const char *glue_jwt_add_audience(cmd_parms *cmd, void *conf, const char *value);
const char *glue_jwt_add_algorithm(cmd_parms *cmd, void *conf, const char *value);
const char *glue_jwt_set_seconds(cmd_parms *cmd, void *conf, const char *value);
const char *glue_jwt_set_require_type(cmd_parms *cmd, void *conf, int on);
const char *glue_jwt_set_claim(cmd_parms *cmd, void *conf, const char *value);
const char *glue_jwt_set_secret(cmd_parms *cmd, void *conf, const char *value);


/* mod_openapi_jwks.c: a key set, shared by every location naming the same source. */
typedef struct glue_jwks_store glue_jwks_store;

/* What one request sees of a store: the keys and the issuer a discovery named. Held
 * until the request's pool goes. */
typedef struct glue_keyset {
    oa_jwks *keys;
    const char *issuer;       /* from an OpenID Connect discovery document, or NULL */
    const char *jwks_uri;     /* the JWK Set's URI (for jku), or NULL for a file */
} glue_keyset;

/* Config time: the store for a JWK Set URI, a file (loaded now: an error stops the
 * configuration) or an OpenID Connect discovery URL (is_discovery). */
const char *glue_jwks_store_make(apr_pool_t *pconf, const char *source, int is_discovery,
                                 const char *cache, int refresh, int refresh_min,
                                 glue_jwks_store **store);
/* Per request: the current keys, fetched when none are held or they are old, or for
 * unknown_kid (a kid the set lacks; NULL: none), at most once per refresh interval. NULL
 * when no key set could be had (the source cannot be reached and nothing is cached). */
const glue_keyset *glue_jwks_keys(request_rec *r, glue_jwks_store *store,
                                  const char *unknown_kid);
/* The URI of the JWK Set held now (a copy), without fetching; NULL when none is held. */
const char *glue_jwks_uri(request_rec *r, glue_jwks_store *store);
void glue_jwks_register_hooks(apr_pool_t *pool);

/* mod_openapi_jwt.c */
typedef struct glue_jwt_check glue_jwt_check;
/* Config time: the JWT check of a scheme, or *check NULL when the location configures
 * none for it. */
const char *glue_jwt_prepare(apr_pool_t *pool, const oa_security_scheme *scheme,
                             const glue_dir_conf *conf, const glue_jwt_check **check);
/* Per request: checks token (found in the request) for a scheme. */
void glue_jwt_check_token(request_rec *r, const glue_jwt_check *check, const char *token,
                          const apr_array_header_t *required,
                          openapi_scope_validate_fn scope_validate, oa_auth_outcome *out);

#endif
