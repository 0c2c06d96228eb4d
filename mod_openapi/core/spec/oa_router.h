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

/* One path template: the operations written under it, by method. */
typedef struct oa_route {
    const char *template;
    oa_operation *operations[OA_METHOD_COUNT];
    apr_array_header_t *param_names; /* of const char *, in the order they are captured */
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

/* The operation for a method, HEAD falling back to GET. NULL when none. */
oa_operation *oa_route_operation(const oa_route *route, oa_method method);

/* "GET, HEAD, POST": the methods the route answers, for Allow. */
const char *oa_route_allow(const oa_route *route, apr_pool_t *pool);

/* The value captured for a path parameter name, or NULL. */
const char *oa_route_match_value(const oa_route_match *match, const char *name);

#endif
