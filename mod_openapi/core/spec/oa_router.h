/* Routing: a trie of path segments built from the spec's path templates. A lookup costs
 * one hash probe per request segment (plus backtracking only where templated and literal
 * segments compete), whatever the number of paths. Literal segments win over templated
 * ones, templated ones over `format: path` parameters that span several segments. */
#ifndef OA_ROUTER_H
#define OA_ROUTER_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "util/oa_diag.h"
#include "spec/oa_spec.h"

/* A method without a slot of its own (OpenAPI 3.2 additionalOperations). */
typedef struct oa_route_extension {
    const char *method; /* as sent, case-sensitive: "PURGE" */
    oa_operation *operation;
} oa_route_extension;

/* One path template: the operations written under it, by method. */
typedef struct oa_route {
    const char *template;
    oa_operation *operations[OA_METHOD_COUNT];
    apr_array_header_t *param_names; /* of const char *, in the order they are captured */
    apr_array_header_t *extensions;  /* of oa_route_extension, in the order written (NULL:
                                        none); a few at most, found by a linear scan */
} oa_route;

/* Adds a path template. path_params names the parameters that span segments (`format:
 * path`); may be NULL. Returns the route (an existing one when the same template was added
 * before), or NULL with an error in diag for a malformed template or one that differs
 * from an existing template only by parameter names. */
oa_route *oa_router_add(oa_router *router, const char *template,
                        const apr_array_header_t *path_params, oa_diag *diag,
                        const oa_position *where);

oa_router *oa_router_create(apr_pool_t *pool);

typedef enum oa_route_status {
    OA_ROUTE_FOUND,
    OA_ROUTE_NOT_FOUND,
    OA_ROUTE_BAD_ENCODING /* a malformed %-escape or an encoded NUL */
} oa_route_status;

typedef struct oa_route_match {
    const oa_route *route;
    apr_array_header_t *values; /* of const char *, percent-decoded, as param_names */
} oa_route_match;

/* Matches a path (still percent-encoded, relative to the base path, starting with '/'). */
oa_route_status oa_router_match(const oa_router *router, const char *path, apr_pool_t *pool,
                                oa_route_match *match);

/* Puts op in the route under its method (a slot, or an extension). Returns 0 when the
 * route has an operation for that method already. */
int oa_route_add_operation(oa_route *route, oa_operation *op);

/* The operation for a method, HEAD falling back to GET. NULL when none. */
oa_operation *oa_route_operation(const oa_route *route, oa_method method);

/* The operation for a request's method, matched case-sensitively ("PURGE" is not
 * "purge"); HEAD falls back to GET. NULL when none. */
oa_operation *oa_route_find(const oa_route *route, const char *method);

/* The methods the route answers (of const char *): the fixed ones (HEAD when GET is
 * there), then the extensions in the order written. */
apr_array_header_t *oa_route_methods(const oa_route *route, apr_pool_t *pool);

/* "GET,HEAD,POST,PURGE": the methods the route answers, for Allow. */
const char *oa_route_allow(const oa_route *route, apr_pool_t *pool);

/* The value captured for a path parameter name, or NULL. */
const char *oa_route_match_value(const oa_route_match *match, const char *name);

#endif
