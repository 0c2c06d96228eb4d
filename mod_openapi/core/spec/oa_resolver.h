/* Handler names composed from the path and method of an operation that has no
 * operationId, as Connexion's RestyResolver composes them, made into C symbols. */
#ifndef OA_RESOLVER_H
#define OA_RESOLVER_H

#include <apr_pools.h>

#include "spec/oa_spec.h"

/* The function name for method ("GET", "PURGE": as requests send it) on path_template
 * ("/pets/{petId}"):
 *   - the resource is the template's literal segments (those without a '{'), each with
 *     every byte that is not [A-Za-z0-9_] made a '_', joined by '_';
 *   - the suffix is "search" for a GET whose last segment is literal (a collection),
 *     else the method in lower case, every byte but [A-Za-z0-9_] made a '_';
 *   - name = resource "_" suffix (just the suffix for "/"), with a '_' in front when it
 *     would begin with a digit.
 * GET /foo -> foo_search, GET /foo/{id} -> foo_get, POST /foo -> foo_post,
 * GET /foo/{id}/bar -> foo_bar_search, DELETE /user-profiles/{id} -> user_profiles_delete. */
const char *oa_resty_name(apr_pool_t *pool, const char *method, const char *path_template);

/* The plugin and function that handle op: as written ("PLUGIN.function", or the controller
 * and the operationId); else, when resolver_plugin is not empty (OpenAPIResolver resty
 * PLUGIN), the controller's plugin or resolver_plugin, with a bare operationId as the
 * function, or *function NULL: the resolver composes it (the plugin's own resolver, else
 * oa_resty_name). Returns 0, with *plugin NULL, when nothing names a plugin. */
int oa_handler_plugin(const oa_operation *op, const char *resolver_plugin,
                      const char **plugin, const char **function);

/* Whether name is a C identifier ([A-Za-z_][A-Za-z0-9_]*). */
int oa_is_c_identifier(const char *name);

#endif
