/* openapi-check --resolve (openapi_check_resolve.h). The plugins are opened with
 * RTLD_LAZY and never initialized: only their symbols are looked at, so they need not
 * find the SDK functions mod_openapi.so would give them. */
#include "openapi_check_resolve.h"

#include <apr_general.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "openapi_check_args.h"
#include "openapi_plugin.h"
#include "spec/oa_resolver.h"
#include "spec/oa_spec_compile.h"
#include "spec/oa_spec_load.h"

typedef struct check_plugin {
    const char *name;
    const char *file;
    void *handle;
    openapi_resolver_fn resolve;
} check_plugin;

/* NAME=FILE, or FILE named after its file name without ".so" (as openapi-run does). */
static check_plugin *open_plugin(apr_pool_t *pool, const char *arg)
{
    check_plugin *plugin = apr_pcalloc(pool, sizeof(*plugin));
    const char *equals = strchr(arg, '=');
    const char *base;
    size_t n;
    if (equals) {
        plugin->name = apr_pstrmemdup(pool, arg, (apr_size_t)(equals - arg));
        plugin->file = equals + 1;
    }
    else {
        plugin->file = arg;
        base = strrchr(arg, '/');
        base = base ? base + 1 : arg;
        n = strlen(base);
        plugin->name = n > 3 && strcmp(base + n - 3, ".so") == 0
                           ? apr_pstrmemdup(pool, base, n - 3) : base;
    }
    plugin->handle = dlopen(strchr(plugin->file, '/') ? plugin->file
                                                       : apr_pstrcat(pool, "./",
                                                                     plugin->file, NULL),
                            RTLD_LAZY | RTLD_LOCAL);
    if (!plugin->handle) {
        fprintf(stderr, "openapi-check: --resolve %s: %s\n", arg, dlerror());
        return NULL;
    }
    *(void **)&plugin->resolve = dlsym(plugin->handle, "openapi_plugin_resolve");
    return plugin;
}

/* One operation's line; returns 1 when its function is missing or nothing names one. */
static int report_operation(apr_pool_t *pool, const oa_operation *op, apr_hash_t *plugins,
                            const char *resolver_plugin)
{
    const char *plugin_name;
    const char *function;
    const check_plugin *plugin;
    const char *method = oa_operation_method(op);
    printf("%s:%d:%d: %s %s", op->position.file, op->position.line, op->position.column,
           method, op->path);
    if (!oa_handler_plugin(op, resolver_plugin, &plugin_name, &function)) {
        printf(": no handler: %s\n", op->operation_id
                                         ? "its operationId names no plugin"
                                         : "no operationId");
        return 1;
    }
    plugin = apr_hash_get(plugins, plugin_name, APR_HASH_KEY_STRING);
    if (!function) {
        const char *resty = oa_resty_name(pool, oa_operation_method(op), op->path);
        function = plugin && plugin->resolve ? plugin->resolve(pool, method, op->path, resty)
                                             : NULL;
        if (!function)
            function = resty;
    }
    printf(" -> %s.%s", plugin_name, function);
    if (!plugin) {
        printf(": no handler: plugin '%s' not given to --resolve\n", plugin_name);
        return 1;
    }
    if (!oa_is_c_identifier(function) || !dlsym(plugin->handle, function)) {
        printf(": MISSING in %s\n", plugin->file);
        return 1;
    }
    printf(": found\n");
    return 0;
}

static int check_spec(apr_pool_t *parent, const char *file, apr_hash_t *plugins,
                      const char *resolver_plugin, apr_hash_t *values)
{
    oa_template_args args = {values, 0, 0, 0};
    apr_pool_t *pool;
    oa_diag *diag;
    oa_spec *spec;
    int failed = 0;
    int i;
    apr_pool_create(&pool, parent);
    diag = oa_diag_create(pool);
    spec = oa_spec_load_filled(pool, file, &args, diag);
    if (spec && !oa_spec_prepare(spec, NULL, NULL, diag))
        spec = NULL;
    if (!spec) {
        printf("%s\n", oa_diag_join(pool, diag, "\n"));
        failed = 1;
    }
    for (i = 0; spec && i < spec->operations->nelts; i++)
        failed |= report_operation(pool, APR_ARRAY_IDX(spec->operations, i, oa_operation *),
                                   plugins, resolver_plugin);
    apr_pool_destroy(pool);
    return failed;
}

int oa_check_resolve_main(int argc, char **argv)
{
    apr_pool_t *pool;
    apr_hash_t *plugins;
    apr_hash_t *values;
    apr_array_header_t *specs;
    apr_array_header_t *handles;
    const char *resolver_plugin = NULL;
    int status = 0;
    int i;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    plugins = apr_hash_make(pool);
    values = apr_hash_make(pool);
    specs = apr_array_make(pool, 2, sizeof(const char *));
    handles = apr_array_make(pool, 2, sizeof(void *));
    for (i = 1; i < argc && status == 0; i++) {
        if (strcmp(argv[i], "--resolve") == 0) {
            check_plugin *plugin = i + 1 < argc ? open_plugin(pool, argv[++i]) : NULL;
            if (!plugin) {
                if (i + 1 >= argc && strcmp(argv[i], "--resolve") == 0)
                    fprintf(stderr, "openapi-check: --resolve needs a PLUGIN.so\n");
                status = 2;
                break;
            }
            APR_ARRAY_PUSH(handles, void *) = plugin->handle;
            apr_hash_set(plugins, plugin->name, APR_HASH_KEY_STRING, plugin);
            if (!resolver_plugin)
                resolver_plugin = plugin->name;
        }
        else if (strcmp(argv[i], "--arg") == 0) {
            if (!oa_check_add_arg(values, i + 1 < argc ? argv[++i] : NULL))
                status = 2;
        }
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "openapi-check: --resolve: unknown option %s\n", argv[i]);
            status = 2;
        }
        else
            APR_ARRAY_PUSH(specs, const char *) = argv[i];
    }
    if (status == 0 && specs->nelts == 0) {
        fprintf(stderr, "usage: openapi-check --resolve [NAME=]PLUGIN.so... SPEC...\n");
        status = 2;
    }
    for (i = 0; status != 2 && i < specs->nelts; i++)
        status |= check_spec(pool, APR_ARRAY_IDX(specs, i, const char *), plugins,
                             resolver_plugin, values);
    for (i = 0; i < handles->nelts; i++)
        dlclose(APR_ARRAY_IDX(handles, i, void *));
    fflush(stdout);
    apr_pool_destroy(pool);
    apr_terminate();
    return status;
}
