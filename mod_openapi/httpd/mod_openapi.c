/* mod_openapi: serves APIs described by OpenAPI specs. The module record and hook
 * registration; the glue's work is in mod_openapi_directives.c (directives, per-directory
 * config: unset values, defaults, merge), mod_openapi_api.c (config-time build of each
 * location's API), mod_openapi_spec_cache.c (loaded specs shared between locations and
 * reloads), mod_openapi_plugins.c (plugin loading), mod_openapi_request.c
 * (claiming, routing, validation, dispatch), mod_openapi_security.c,
 * mod_openapi_introspect.c, mod_openapi_token_endpoint.c, mod_openapi_jwt*.c and
 * mod_openapi_jwks.c (security),
 * mod_openapi_devex.c, mod_openapi_spec_endpoint.c, mod_openapi_swagger_ui.c and
 * mod_openapi_cors.c (spec endpoints, Swagger UI, CORS), mod_openapi_response.c
 * (answers, mock), mod_openapi_gateway.c, mod_openapi_body_replay.c and
 * mod_openapi_response_filter.c (OpenAPIDispatch backend: httpd's own handler answers,
 * the body replayed to it, its response checked), mod_openapi_log.c (per-request logging and stage timings),
 * mod_openapi_errors.c (problem+json answers) and
 * mod_openapi_sdk.c (the plugin SDK). The core it calls lives in ../core/<stage>/ (see
 * the README's layout section). */
#include "mod_openapi_glue.h"
#include "mod_openapi_jwt.h"

#include <http_config.h>

static void register_hooks(apr_pool_t *pool)
{
    ap_hook_check_config(glue_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(glue_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    glue_spec_cache_register_hooks(pool);
    glue_register_request_hooks(pool);
    glue_register_log_hooks(pool);
    glue_register_error_hooks(pool);
    glue_introspect_register_hooks(pool);
    glue_jwks_register_hooks(pool);
    glue_devex_register_hooks(pool);
    glue_gateway_register_hooks(pool);
}

AP_DECLARE_MODULE(openapi) = {
    STANDARD20_MODULE_STUFF,
    glue_create_dir_conf,
    glue_merge_dir_conf,
    NULL,
    NULL,
    glue_directives,
    register_hooks,
    AP_MODULE_FLAG_NONE
};
