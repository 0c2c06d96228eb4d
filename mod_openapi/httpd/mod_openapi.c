/* mod_openapi: serves APIs described by OpenAPI specs. The module record and hook
 * registration; the work is in config.c (directives, config-time build), request.c
 * (routing and dispatch), errors.c (problem+json answers) and sdk.c (the plugin SDK). */
#include "glue.h"

#include <http_config.h>

static void register_hooks(apr_pool_t *pool)
{
    ap_hook_check_config(oa_check_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(oa_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    oa_register_request_hooks(pool);
    oa_register_error_hooks(pool);
    oa_introspect_register_hooks(pool);
}

AP_DECLARE_MODULE(openapi) = {
    STANDARD20_MODULE_STUFF,
    oa_create_dir_conf,
    oa_merge_dir_conf,
    NULL,
    NULL,
    oa_directives,
    register_hooks,
    AP_MODULE_FLAG_NONE
};
