/* Handler plugins: shared objects loaded once at config time with APR DSO. */
#include "mod_openapi_glue.h"

#include <apr_strings.h>
#include <string.h>

#include "spec/oa_resolver.h"

static const char *dso_error(apr_pool_t *pool, apr_dso_handle_t *handle, apr_status_t rv)
{
    char buffer[512];
    if (handle)
        return apr_pstrdup(pool, apr_dso_error(handle, buffer, sizeof(buffer)));
    return apr_pstrdup(pool, apr_strerror(rv, buffer, sizeof(buffer)));
}

const char *glue_plugin_load(apr_pool_t *pool, const char *name, const char *file,
                           glue_plugin **plugin)
{
    apr_dso_handle_t *handle = NULL;
    apr_dso_handle_sym_t symbol;
    apr_status_t rv;
    int abi;
    const char *init_error = NULL;

    rv = apr_dso_load(&handle, file, pool);
    if (rv != APR_SUCCESS)
        return apr_psprintf(pool, "OpenAPIPlugin %s: cannot load %s: %s", name, file,
                            dso_error(pool, handle, rv));
    rv = apr_dso_sym(&symbol, handle, "openapi_plugin_abi");
    if (rv != APR_SUCCESS)
        return apr_psprintf(pool,
                            "OpenAPIPlugin %s: %s is not a mod_openapi plugin "
                            "(no OPENAPI_PLUGIN_DECLARE())", name, file);
    abi = ((int (*)(void))symbol)();
    if (abi != OPENAPI_PLUGIN_ABI)
        return apr_psprintf(pool,
                            "OpenAPIPlugin %s: %s was built for plugin ABI %d, this module "
                            "has ABI %d: rebuild it against this openapi_plugin.h",
                            name, file, abi, OPENAPI_PLUGIN_ABI);
    *plugin = apr_pcalloc(pool, sizeof(**plugin));
    (*plugin)->name = apr_pstrdup(pool, name);
    (*plugin)->file = apr_pstrdup(pool, file);
    (*plugin)->handle = handle;
    (*plugin)->formats = apr_array_make(pool, 1, sizeof(glue_plugin_format));
    (*plugin)->renderers = apr_array_make(pool, 1, sizeof(glue_error_renderer));
    if (apr_dso_sym(&symbol, handle, "openapi_plugin_resolve") == APR_SUCCESS)
        (*plugin)->resolve = (openapi_resolver_fn)symbol;
    if (apr_dso_sym(&symbol, handle, "openapi_plugin_init") == APR_SUCCESS) {
        openapi_plugin_init_fn init = (openapi_plugin_init_fn)symbol;
        openapi_plugin_context ctx;
        ctx.pool = pool;
        ctx.plugin = *plugin;
        if (init(&ctx, &init_error) != OPENAPI_OK)
            return apr_psprintf(pool, "OpenAPIPlugin %s: %s: init failed: %s", name, file,
                                init_error ? init_error : "(no reason given)");
    }
    return NULL;
}

apr_pool_t *openapi_plugin_pool(openapi_plugin_context *ctx)
{
    return ctx->pool;
}

void openapi_register_format(openapi_plugin_context *ctx, const char *name,
                             openapi_format_check_fn check, void *baton)
{
    glue_plugin_format *format = apr_array_push(ctx->plugin->formats);
    format->name = apr_pstrdup(ctx->pool, name);
    format->check = check;
    format->baton = baton;
}

const char *glue_plugin_resolve(apr_pool_t *pool, const glue_plugin *plugin, const char *symbol,
                              void **address)
{
    apr_dso_handle_sym_t found;
    if (!oa_is_c_identifier(symbol))
        return apr_psprintf(pool, "'%s' is not a C function name", symbol);
    if (apr_dso_sym(&found, plugin->handle, symbol) != APR_SUCCESS)
        return apr_psprintf(pool, "plugin '%s' (%s) has no function '%s' (exported with "
                            "OPENAPI_HANDLER?)", plugin->name, plugin->file, symbol);
    *address = (void *)found;
    return NULL;
}

void openapi_register_error_renderer(openapi_plugin_context *ctx, int status,
                                     openapi_error_renderer_fn render, void *baton)
{
    glue_error_renderer *renderer = apr_array_push(ctx->plugin->renderers);
    renderer->status = status;
    renderer->render = render;
    renderer->baton = baton;
}

const char *glue_plugin_resolve_name(apr_pool_t *pool, apr_hash_t *plugins, const char *name,
                                   void **address)
{
    const char *dot = strrchr(name, '.');
    const char *plugin_name;
    const glue_plugin *plugin;
    if (!dot)
        return apr_psprintf(pool, "'%s' is not PLUGIN.function", name);
    plugin_name = apr_pstrmemdup(pool, name, dot - name);
    plugin = plugins ? apr_hash_get(plugins, plugin_name, APR_HASH_KEY_STRING) : NULL;
    if (!plugin)
        return apr_psprintf(pool, "'%s' needs plugin '%s', which no OpenAPIPlugin directive "
                            "for this location loads", name, plugin_name);
    return glue_plugin_resolve(pool, plugin, dot + 1, address);
}
