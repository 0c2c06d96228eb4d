/* The config-time build of each location's API (check_config): the merged configuration
 * a section's own path sees, resolved against the defaults, the spec compiled with the
 * plugins' formats, a handler per operation, mock answers and security checks; and the
 * release of the specs when a child exits. Directives and merging: mod_openapi_directives.c. */
#include "mod_openapi_glue.h"

#include <http_core.h>
#include <http_log.h>
#include <apr_strings.h>

#include "schema/oa_schema.h"
#include "spec/oa_resolver.h"
#include "spec/oa_spec_compile.h"
#include "spec/oa_spec_load.h"

APLOG_USE_MODULE(openapi);

/* The plugin and function of an operation (oa_handler_plugin), the function composed by
 * the plugin's own resolver or the resty rule when the spec names none. NULL with *error
 * when nothing names a plugin or the section loads no plugin of that name. */
static const glue_plugin *handler_name(apr_pool_t *pool, const oa_operation *op,
                                       const glue_dir_conf *conf, const char *where,
                                       const char **function, const char **error)
{
    const char *plugin_name;
    const glue_plugin *plugin;
    if (!oa_handler_plugin(op, conf->resolver_plugin, &plugin_name, function)) {
        *error = op->operation_id
                     ? apr_psprintf(pool, "%s: operationId '%s' names no plugin (write "
                                    "'PLUGIN.function', set x-openapi-router-controller or "
                                    "OpenAPIResolver resty PLUGIN)", where, op->operation_id)
                     : apr_psprintf(pool, "%s has no operationId, so no handler (or set "
                                    "OpenAPIResolver resty PLUGIN)", where);
        return NULL;
    }
    plugin = conf->plugins ? apr_hash_get(conf->plugins, plugin_name, APR_HASH_KEY_STRING)
                           : NULL;
    if (!plugin) {
        *error = apr_psprintf(pool, "%s: %s needs plugin '%s', which no OpenAPIPlugin "
                              "directive for this location loads", where,
                              op->operation_id ? apr_psprintf(pool, "operationId '%s'",
                                                              op->operation_id)
                                               : "its handler", plugin_name);
        return NULL;
    }
    if (!*function) {
        const char *resty = oa_resty_name(pool, oa_operation_method(op), op->path);
        *function = plugin->resolve ? plugin->resolve(pool, oa_operation_method(op),
                                                      op->path, resty)
                                    : NULL;
        if (!*function)
            *function = resty;
    }
    return plugin;
}

/* Finds the handler of operation i in the plugins the section sees; an error names the
 * spec position, the operation and what is missing. What it needs on the way (and the
 * error, which mock and stub modes drop) is made in scratch. */
static const char *resolve_handler(apr_pool_t *pool, apr_pool_t *scratch, glue_api *api,
                                   const glue_dir_conf *conf, int i)
{
    const oa_operation *op = APR_ARRAY_IDX(api->spec->operations, i, oa_operation *);
    const glue_plugin *plugin;
    const char *function;
    void *address;
    const char *error = NULL;
    const char *where = apr_psprintf(scratch, "%s:%d:%d: %s %s", op->position.file,
                                     op->position.line, op->position.column,
                                     oa_operation_method(op), op->path);
    plugin = handler_name(scratch, op, conf, where, &function, &error);
    if (!plugin)
        return error;
    error = glue_plugin_resolve(scratch, plugin, function, &address);
    if (error)
        return apr_psprintf(scratch, "%s: %s%s%s", where,
                            op->operation_id ? "operationId '" : "",
                            op->operation_id ? apr_pstrcat(scratch, op->operation_id, "': ",
                                                           NULL) : "",
                            error);
    api->handlers[i] = (openapi_handler_fn)address;
    api->handler_names[i] = apr_pstrcat(pool, plugin->name, ".", function, NULL);
    return NULL;
}

/* Resolves every operation's handler; with stub or mock mode, one that cannot be
 * resolved is left NULL (answered 501 or from examples) instead of failing. */
static const char *resolve_handlers(apr_pool_t *pool, glue_api *api, const glue_dir_conf *conf)
{
    apr_array_header_t *ops = api->spec->operations;
    int tolerant = api->stub || api->mock != OA_MOCK_OFF;
    int i;
    apr_pool_t *scratch;
    const char *failure = NULL;
    api->handlers = apr_pcalloc(pool, sizeof(openapi_handler_fn) * (ops->nelts + 1));
    api->handler_names = apr_pcalloc(pool, sizeof(const char *) * (ops->nelts + 1));
    apr_pool_create(&scratch, pool);
    for (i = 0; i < ops->nelts && !failure; i++) {
        const char *error = resolve_handler(pool, scratch, api, conf, i);
        if (error && !tolerant && !glue_gateway_handler_optional(api, i))
            failure = apr_pstrdup(pool, error);
        apr_pool_clear(scratch);
    }
    apr_pool_destroy(scratch);
    return failure;
}

/* Error renderers of the plugins a section sees, by status. */
static apr_hash_t *collect_renderers(apr_pool_t *pool, const glue_dir_conf *conf)
{
    apr_hash_t *renderers = apr_hash_make(pool);
    apr_hash_index_t *hi;
    for (hi = conf->plugins ? apr_hash_first(pool, conf->plugins) : NULL; hi;
         hi = apr_hash_next(hi)) {
        void *value;
        const glue_plugin *plugin;
        int i;
        apr_hash_this(hi, NULL, NULL, &value);
        plugin = value;
        for (i = 0; i < plugin->renderers->nelts; i++) {
            glue_error_renderer *renderer =
                &APR_ARRAY_IDX(plugin->renderers, i, glue_error_renderer);
            apr_hash_set(renderers, &renderer->status, sizeof(renderer->status), renderer);
        }
    }
    return renderers;
}

/* The custom formats of the plugins a section sees. */
static void add_plugin_formats(void *baton, oa_schema_registry *registry)
{
    const glue_dir_conf *conf = baton;
    apr_hash_index_t *hi;
    int i;
    for (hi = conf->plugins ? apr_hash_first(NULL, conf->plugins) : NULL; hi;
         hi = apr_hash_next(hi)) {
        void *value;
        const glue_plugin *plugin;
        apr_hash_this(hi, NULL, NULL, &value);
        plugin = value;
        for (i = 0; i < plugin->formats->nelts; i++) {
            const glue_plugin_format *format = &APR_ARRAY_IDX(plugin->formats, i, glue_plugin_format);
            oa_schema_register_format(registry, format->name, format->check, format->baton);
        }
    }
}

/* A spec's errors at config time: each on its own line when there are several, and the
 * first (prefixed) as the error that stops the configuration. */
static const char *spec_errors(apr_pool_t *pool, const oa_diag *diag, const char *prefix)
{
    int i;
    for (i = 0; diag->entries->nelts > 1 && i < diag->entries->nelts; i++)
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_ERR, 0, NULL, OA_LOGNO(03000) "%s",
                     oa_diag_line(pool, diag, i));
    return apr_psprintf(pool, "%s%s%s", prefix, oa_diag_line(pool, diag, 0),
                        diag->entries->nelts > 1
                            ? apr_psprintf(pool, " (and %d more errors, listed above)",
                                           diag->entries->nelts - 1)
                            : "");
}

/* Whether a plugin the section sees registers custom formats. */
static int plugins_add_formats(const glue_dir_conf *conf)
{
    apr_hash_index_t *hi;
    for (hi = conf->plugins ? apr_hash_first(NULL, conf->plugins) : NULL; hi;
         hi = apr_hash_next(hi)) {
        void *value;
        apr_hash_this(hi, NULL, NULL, &value);
        if (((const glue_plugin *)value)->formats->nelts > 0)
            return 1;
    }
    return 0;
}

/* Prepares the spec once (a spec may serve several sections) as openapi-check does, with
 * the custom formats of the plugins the section sees. A shared (cached) spec is compiled
 * without them: a section whose plugins register formats loads its own. */
static const char *compile_spec(apr_pool_t *pool, server_rec *s, apr_hash_t *compiled,
                                glue_dir_conf *conf)
{
    oa_diag *diag = oa_diag_create(pool);
    int ok;
    if (plugins_add_formats(conf) && glue_spec_cache_owns(s, conf->spec)) {
        oa_template_args args = {conf->arguments, 0, 0, 0};
        oa_spec *own = oa_spec_load_filled(pool, conf->spec_file, &args, diag);
        if (!own)
            return spec_errors(pool, diag, "OpenAPISpec: ");
        conf->spec = own;
    }
    if (apr_hash_get(compiled, &conf->spec, sizeof(conf->spec)))
        return NULL;
    apr_hash_set(compiled, apr_pmemdup(pool, &conf->spec, sizeof(conf->spec)),
                 sizeof(conf->spec), conf->spec);
    ok = glue_spec_cache_owns(s, conf->spec)
             ? glue_spec_cache_prepare(s, conf->spec, diag)
             : oa_spec_prepare(conf->spec, add_plugin_formats, (void *)conf, diag);
    return ok ? NULL : spec_errors(pool, diag, "");
}

/* A spec with arguments, loaded with the values the section sees. */
static const char *load_filled_spec(apr_pool_t *pool, server_rec *s, glue_dir_conf *conf)
{
    oa_template_args args = {conf->arguments, 0, 0, 0};
    oa_diag *diag = oa_diag_create(pool);
    /* compiled with the plugins' formats, it would not be shared (see compile_spec) */
    conf->spec = plugins_add_formats(conf)
                     ? oa_spec_load_filled(pool, conf->spec_file, &args, diag)
                     : glue_spec_cache_load(s, pool, pool, conf->spec_file, &args, diag);
    return conf->spec ? NULL : spec_errors(pool, diag, "OpenAPISpec: ");
}

/* Builds the API a section serves from the configuration its own path sees. */
static const char *build_api(apr_pool_t *pool, server_rec *s, apr_hash_t *compiled,
                             glue_dir_conf *section, const glue_dir_conf *merged)
{
    glue_dir_conf *conf = apr_pmemdup(pool, glue_dir_conf_resolve(pool, merged),
                                      sizeof(glue_dir_conf));
    glue_api *api = apr_pcalloc(pool, sizeof(*api));
    const char *error = conf->spec ? NULL : load_filled_spec(pool, s, conf);
    if (error) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, NULL,
                     OA_LOGNO(14009) "%s (in %s)", error, conf->section);
        return error;
    }
    error = compile_spec(pool, s, compiled, conf);
    api->spec = conf->spec;
    api->base_path = conf->base_path ? conf->base_path : conf->spec->base_path;
    api->where = conf->section;
    api->request_options.uri_parser = (oa_uri_parser)conf->uri_parser;
    api->request_options.strict_validation = conf->strict_validation;
    api->request_options.max_errors = conf->max_errors;
    api->request_options.fill_defaults = conf->fill_defaults;
    api->max_body = conf->max_body;
    api->validate_responses = conf->validate_responses;
    api->mock = conf->mock;
    api->stub = conf->stub;
    api->mock_seed = conf->mock_seed;
    api->renderers = collect_renderers(pool, conf);
    api->auth_error_format = conf->auth_error_format;
    api->auth_error_template = conf->auth_error_template;
    api->bearer_token_from = conf->bearer_token_from;
    api->dispatch = conf->dispatch;
    api->report_only = conf->validation_mode_report;
    api->backend_headers = conf->backend_headers;
    api->max_response_body = conf->max_response_body;
    if (!error)
        error = glue_register_spec_methods(pool, api->spec);
    if (!error)
        error = resolve_handlers(pool, api, conf);
    if (!error)
        error = glue_gateway_prepare(pool, api);
    if (!error && api->mock != OA_MOCK_OFF)
        glue_mock_prepare(pool, api);
    if (!error)
        error = glue_security_prepare(pool, api, conf);
    if (!error) {
        api->devex_conf = conf->devex;
        error = glue_devex_prepare(pool, api, &conf->devex);
    }
    if (error) {
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, NULL,
                     OA_LOGNO(01002) "%s (in %s)", error, conf->section);
        return error;
    }
    section->api = api;
    return NULL;
}

/* A section's config is NULL, or has no section noted, when it holds none of our
 * directives (every directive notes its section). */
static int touches_api(const glue_dir_conf *conf)
{
    return conf && conf->section;
}

/* Whether a <Location> path applies to every URL under another one (httpd's rule: a
 * prefix ending on a segment boundary). */
static int location_covers(const char *outer, const char *inner)
{
    size_t n = strlen(outer);
    return strncmp(outer, inner, n) == 0 &&
           (n == 0 || outer[n - 1] == '/' || inner[n] == '/' || inner[n] == '\0');
}

/* The configuration a request to this section's own path would see, merged the way the
 * location walk merges it: server defaults, then each covering section in order. */
static glue_dir_conf *static_merge(apr_pool_t *pool, server_rec *s, int index)
{
    core_server_config *sconf = ap_get_core_module_config(s->module_config);
    ap_conf_vector_t **sections = (ap_conf_vector_t **)sconf->sec_url->elts;
    core_dir_config *target = ap_get_core_module_config(sections[index]);
    glue_dir_conf *merged = ap_get_module_config(s->lookup_defaults, &openapi_module);
    int j;
    if (!merged)
        merged = glue_create_dir_conf(pool, NULL);
    for (j = 0; j <= index; j++) {
        core_dir_config *entry = ap_get_core_module_config(sections[j]);
        glue_dir_conf *conf = ap_get_module_config(sections[j], &openapi_module);
        if (!conf || (j != index && (entry->r || target->r ||
                                     !location_covers(entry->d, target->d))))
            continue;
        merged = glue_merge_dir_conf(pool, merged, conf);
    }
    return merged;
}

/* Whether a section without a spec of its own encloses one that has a spec. */
static int encloses_a_spec(server_rec *s, int index)
{
    core_server_config *sconf = ap_get_core_module_config(s->module_config);
    ap_conf_vector_t **sections = (ap_conf_vector_t **)sconf->sec_url->elts;
    core_dir_config *outer = ap_get_core_module_config(sections[index]);
    int k;
    if (outer->r)
        return 0;
    for (k = 0; k < sconf->sec_url->nelts; k++) {
        core_dir_config *inner = ap_get_core_module_config(sections[k]);
        glue_dir_conf *conf = ap_get_module_config(sections[k], &openapi_module);
        if (k != index && conf && conf->spec_file && !inner->r &&
            location_covers(outer->d, inner->d))
            return 1;
    }
    return 0;
}

int glue_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    apr_hash_t *done = apr_hash_make(ptemp);
    apr_hash_t *compiled = apr_hash_make(ptemp);
    (void)plog;
    for (; s; s = s->next) {
        core_server_config *sconf = ap_get_core_module_config(s->module_config);
        ap_conf_vector_t **sections = (ap_conf_vector_t **)sconf->sec_url->elts;
        glue_dir_conf *defaults = ap_get_module_config(s->lookup_defaults, &openapi_module);
        int i;
        if (defaults && defaults->spec_file &&
            !apr_hash_get(done, &defaults, sizeof(defaults))) {
            if (build_api(pconf, s, compiled, defaults, defaults))
                return HTTP_INTERNAL_SERVER_ERROR;
        }
        apr_hash_set(done, apr_pmemdup(ptemp, &defaults, sizeof(defaults)), sizeof(defaults),
                     defaults);
        for (i = 0; i < sconf->sec_url->nelts; i++) {
            glue_dir_conf *conf = ap_get_module_config(sections[i], &openapi_module);
            glue_dir_conf *merged;
            if (!touches_api(conf) || apr_hash_get(done, &conf, sizeof(conf)))
                continue;
            apr_hash_set(done, apr_pmemdup(ptemp, &conf, sizeof(conf)), sizeof(conf), conf);
            merged = static_merge(ptemp, s, i);
            if (!merged->spec_file && encloses_a_spec(s, i))
                continue; /* it provides plugins or a base path to sections inside it */
            if (!merged->spec_file) {
                ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, NULL,
                             OA_LOGNO(01003) "%s: OpenAPIPlugin or OpenAPIBasePath without "
                             "an OpenAPISpec for this location", conf->section);
                return HTTP_INTERNAL_SERVER_ERROR;
            }
            if (build_api(pconf, s, compiled, conf, merged))
                return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return OK;
}

static apr_status_t release_api_values(void *data)
{
    glue_api *api = data;
    json_decref(api->kept);
    api->kept = NULL;
    return APR_SUCCESS;
}

void glue_api_keep(apr_pool_t *pool, glue_api *api, json_t *value)
{
    if (!api->kept) {
        api->kept = json_array();
        apr_pool_cleanup_register(pool, api, release_api_values, apr_pool_cleanup_null);
    }
    json_array_append_new(api->kept, value);
}

/* ---- children ---- */

static apr_status_t release_specs(void *data)
{
    apr_array_header_t *specs = data;
    int i;
    for (i = 0; i < specs->nelts; i++) {
        oa_spec *spec = APR_ARRAY_IDX(specs, i, oa_spec *);
        if (spec->registry)
            oa_schema_registry_release(spec->registry);
        spec->registry = NULL; /* released once: a cached spec is also the cache's */
        oa_docset_release(spec->docs);
    }
    return APR_SUCCESS;
}

static void collect_one(apr_hash_t *seen, apr_array_header_t *specs, oa_spec *const *spec)
{
    if (!*spec || apr_hash_get(seen, spec, sizeof(*spec)))
        return;
    apr_hash_set(seen, spec, sizeof(*spec), *spec);
    APR_ARRAY_PUSH(specs, oa_spec *) = *spec;
}

/* The section's spec, and the one its API was built with (a spec with arguments is
 * loaded for each section). */
static void collect_spec(apr_hash_t *seen, apr_array_header_t *specs, const glue_dir_conf *conf)
{
    if (!conf)
        return;
    collect_one(seen, specs, &conf->spec);
    if (conf->api)
        collect_one(seen, specs, &conf->api->spec);
}

/* The values a section's API keeps, released with the child (see glue_child_init). */
static void release_api_with(apr_pool_t *pchild, const glue_dir_conf *conf)
{
    if (conf && conf->api && conf->api->kept)
        apr_pool_cleanup_register(pchild, conf->api, release_api_values,
                                  apr_pool_cleanup_null);
}

/* An httpd child exits without destroying the configuration pool, so the specs' jansson
 * trees and compiled patterns (malloc'ed) would outlive it unreleased: release them with
 * the child's pool. */
void glue_child_init(apr_pool_t *pchild, server_rec *s)
{
    apr_hash_t *seen = apr_hash_make(pchild);
    apr_array_header_t *specs = apr_array_make(pchild, 4, sizeof(oa_spec *));
    for (; s; s = s->next) {
        core_server_config *sconf = ap_get_core_module_config(s->module_config);
        ap_conf_vector_t **sections = (ap_conf_vector_t **)sconf->sec_url->elts;
        int i;
        collect_spec(seen, specs, ap_get_module_config(s->lookup_defaults, &openapi_module));
        release_api_with(pchild, ap_get_module_config(s->lookup_defaults, &openapi_module));
        for (i = 0; i < sconf->sec_url->nelts; i++) {
            collect_spec(seen, specs, ap_get_module_config(sections[i], &openapi_module));
            release_api_with(pchild, ap_get_module_config(sections[i], &openapi_module));
        }
    }
    apr_pool_cleanup_register(pchild, specs, release_specs, apr_pool_cleanup_null);
}
