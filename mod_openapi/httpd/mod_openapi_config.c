/* Directives, per-directory configuration and its merge, and the config-time build of
 * each location's API (spec + plugins + base path). */
#include "mod_openapi_glue.h"

#include <http_core.h>
#include <http_log.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <strings.h>

#include "schema/oa_schema.h"
#include "security/oa_security_oauth_template.h"
#include "security/oa_security.h"

APLOG_USE_MODULE(openapi);

void *glue_create_dir_conf(apr_pool_t *pool, char *dir)
{
    glue_dir_conf *conf = apr_pcalloc(pool, sizeof(*conf));
    (void)dir;
    conf->uri_parser = OA_UNSET;
    conf->strict_validation = OA_UNSET;
    conf->max_body = OA_UNSET;
    conf->validate_responses = OA_UNSET;
    conf->mock = OA_UNSET;
    conf->stub = OA_UNSET;
    conf->auth_error_format = OA_UNSET;
    conf->token_cache_ttl = OA_UNSET;
    glue_devex_init(&conf->devex);
    return conf;
}

/* Runs per request for nested sections: only pointer copies. */
void *glue_merge_dir_conf(apr_pool_t *pool, void *parent_conf, void *child_conf)
{
    const glue_dir_conf *parent = parent_conf;
    const glue_dir_conf *child = child_conf;
    glue_dir_conf *merged = apr_palloc(pool, sizeof(*merged));
    int i;
    merged->spec_file = child->spec_file ? child->spec_file : parent->spec_file;
    merged->spec = child->spec ? child->spec : parent->spec;
    merged->base_path = child->base_path ? child->base_path : parent->base_path;
    merged->uri_parser = child->uri_parser != OA_UNSET ? child->uri_parser : parent->uri_parser;
    merged->strict_validation = child->strict_validation != OA_UNSET
                                    ? child->strict_validation : parent->strict_validation;
    merged->max_body = child->max_body != OA_UNSET ? child->max_body : parent->max_body;
    merged->validate_responses = child->validate_responses != OA_UNSET
                                     ? child->validate_responses : parent->validate_responses;
    merged->mock = child->mock != OA_UNSET ? child->mock : parent->mock;
    merged->stub = child->stub != OA_UNSET ? child->stub : parent->stub;
    for (i = 0; i < OA_FUNC_COUNT; i++)
        merged->default_funcs[i] = child->default_funcs[i] ? child->default_funcs[i]
                                                           : parent->default_funcs[i];
    merged->basic_providers = child->basic_providers ? child->basic_providers
                                                     : parent->basic_providers;
    merged->auth_error_format = child->auth_error_format != OA_UNSET
                                    ? child->auth_error_format : parent->auth_error_format;
    merged->auth_error_template = child->auth_error_template ? child->auth_error_template
                                                             : parent->auth_error_template;
    if (child->introspect_url) {
        merged->introspect_url = child->introspect_url;
        merged->introspect_client_id = child->introspect_client_id;
        merged->introspect_client_secret = child->introspect_client_secret;
    }
    else {
        merged->introspect_url = parent->introspect_url;
        merged->introspect_client_id = parent->introspect_client_id;
        merged->introspect_client_secret = parent->introspect_client_secret;
    }
    merged->token_cache = child->token_cache ? child->token_cache : parent->token_cache;
    merged->token_cache_ttl = child->token_cache_ttl != OA_UNSET ? child->token_cache_ttl
                                                                 : parent->token_cache_ttl;
    merged->section = child->section ? child->section : parent->section;
    merged->api = child->api ? child->api : parent->api;
    glue_devex_merge(pool, &merged->devex, &parent->devex, &child->devex);
    if (child->plugins && parent->plugins)
        merged->plugins = apr_hash_overlay(pool, child->plugins, parent->plugins);
    else
        merged->plugins = child->plugins ? child->plugins : parent->plugins;
    return merged;
}

static const char *section_name(cmd_parms *cmd)
{
    const ap_directive_t *d = cmd->directive;
    const char *where = apr_psprintf(cmd->pool, "%s:%d", d->filename, d->line_num);
    if (d->parent)
        return apr_psprintf(cmd->pool, "%s %s at %s", d->parent->directive, d->parent->args,
                            where);
    return apr_psprintf(cmd->pool, "server config at %s", where);
}

/* httpd shows one line for a directive's error: every error is printed on its own line
 * first, and the directive fails with the first one. */
static const char *report_errors(cmd_parms *cmd, const char *what, const oa_diag *diag)
{
    int count = diag->entries->nelts;
    int i;
    for (i = 0; count > 1 && i < count; i++)
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_ERR, 0, NULL, OA_LOGNO(01004) "%s",
                     oa_diag_format(cmd->temp_pool,
                                    &APR_ARRAY_IDX(diag->entries, i, oa_diag_entry)));
    return apr_psprintf(cmd->pool, "%s: %s%s", what,
                        oa_diag_format(cmd->temp_pool,
                                       &APR_ARRAY_IDX(diag->entries, 0, oa_diag_entry)),
                        count > 1 ? apr_psprintf(cmd->temp_pool, " (and %d more errors, "
                                                 "listed above)", count - 1) : "");
}

/* Remembers where a section's first directive of ours is, for messages. */
static const char *note_section(cmd_parms *cmd, glue_dir_conf *conf)
{
    const char *error = ap_check_cmd_context(cmd, NOT_IN_DIRECTORY | NOT_IN_FILES);
    if (!error && !conf->section)
        conf->section = section_name(cmd);
    return error;
}

static const char *set_spec(cmd_parms *cmd, void *dir_conf, const char *file)
{
    glue_dir_conf *conf = dir_conf;
    const char *error = ap_check_cmd_context(cmd, NOT_IN_DIRECTORY | NOT_IN_FILES);
    const char *path;
    oa_diag *diag;
    apr_time_t started = apr_time_now();

    if (error)
        return error;
    if (conf->spec_file)
        return apr_psprintf(cmd->pool, "OpenAPISpec is already set here (%s)", conf->spec_file);
    path = ap_server_root_relative(cmd->pool, file);
    if (!path)
        return apr_psprintf(cmd->pool, "OpenAPISpec: invalid path '%s'", file);
    diag = oa_diag_create(cmd->temp_pool);
    conf->spec = oa_spec_load(cmd->pool, path, diag);
    if (!conf->spec)
        return report_errors(cmd, "OpenAPISpec", diag);
    conf->spec_file = path;
    conf->section = section_name(cmd);
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, cmd->server,
                 OA_LOGNO(01001) "loaded %s (OpenAPI %s, %d operations, base path '%s') "
                 "in %" APR_TIME_T_FMT " ms", path, conf->spec->version,
                 conf->spec->operations->nelts, conf->spec->base_path,
                 apr_time_as_msec(apr_time_now() - started));
    return NULL;
}

static const char *set_plugin(cmd_parms *cmd, void *dir_conf, const char *name,
                              const char *file)
{
    glue_dir_conf *conf = dir_conf;
    const char *error = ap_check_cmd_context(cmd, NOT_IN_DIRECTORY | NOT_IN_FILES);
    const char *path;
    glue_plugin *plugin;

    if (error)
        return error;
    if (!*name || strchr(name, '/'))
        return apr_psprintf(cmd->pool, "OpenAPIPlugin: invalid plugin name '%s'", name);
    path = ap_server_root_relative(cmd->pool, file);
    if (!path)
        return apr_psprintf(cmd->pool, "OpenAPIPlugin: invalid path '%s'", file);
    if (!conf->plugins)
        conf->plugins = apr_hash_make(cmd->pool);
    if (apr_hash_get(conf->plugins, name, APR_HASH_KEY_STRING))
        return apr_psprintf(cmd->pool, "OpenAPIPlugin: '%s' is already defined here", name);
    error = glue_plugin_load(cmd->pool, name, path, &plugin);
    if (error)
        return error;
    apr_hash_set(conf->plugins, plugin->name, APR_HASH_KEY_STRING, plugin);
    if (!conf->section)
        conf->section = section_name(cmd);
    return NULL;
}

static const char *set_base_path(cmd_parms *cmd, void *dir_conf, const char *path)
{
    glue_dir_conf *conf = dir_conf;
    size_t n = strlen(path);
    const char *error = ap_check_cmd_context(cmd, NOT_IN_DIRECTORY | NOT_IN_FILES);
    if (error)
        return error;
    if (path[0] != '/')
        return "OpenAPIBasePath must begin with '/'";
    while (n > 0 && path[n - 1] == '/')
        n--;
    conf->base_path = apr_pstrmemdup(cmd->pool, path, n);
    return note_section(cmd, conf);
}

static const char *set_uri_parser(cmd_parms *cmd, void *dir_conf, const char *name)
{
    static const char *const names[] = {"openapi", "swagger2", "first-value", "always-multi"};
    static const oa_uri_parser parsers[] = {OA_URI_PARSER_OPENAPI, OA_URI_PARSER_SWAGGER2,
                                            OA_URI_PARSER_FIRST_VALUE,
                                            OA_URI_PARSER_ALWAYS_MULTI};
    glue_dir_conf *conf = dir_conf;
    size_t i;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasecmp(name, names[i]) == 0) {
            conf->uri_parser = parsers[i];
            return note_section(cmd, conf);
        }
    return apr_psprintf(cmd->pool, "OpenAPIUriParser: '%s' is not one of openapi, swagger2, "
                        "first-value, always-multi", name);
}

static const char *set_strict_validation(cmd_parms *cmd, void *dir_conf, int on)
{
    glue_dir_conf *conf = dir_conf;
    conf->strict_validation = on;
    return note_section(cmd, conf);
}

static const char *set_max_body(cmd_parms *cmd, void *dir_conf, const char *text)
{
    glue_dir_conf *conf = dir_conf;
    char *end;
    apr_off_t bytes;
    if (apr_strtoff(&bytes, text, &end, 10) != APR_SUCCESS || *end || bytes < 0)
        return apr_psprintf(cmd->pool, "OpenAPIMaxBodySize: '%s' is not a number of bytes "
                            "(0 means no limit of our own)", text);
    conf->max_body = bytes;
    return note_section(cmd, conf);
}

static const char *set_validate_responses(cmd_parms *cmd, void *dir_conf, int on)
{
    glue_dir_conf *conf = dir_conf;
    conf->validate_responses = on;
    return note_section(cmd, conf);
}

static const char *set_mock(cmd_parms *cmd, void *dir_conf, const char *mode)
{
    glue_dir_conf *conf = dir_conf;
    if (strcasecmp(mode, "off") == 0)
        conf->mock = OA_MOCK_OFF;
    else if (strcasecmp(mode, "all") == 0)
        conf->mock = OA_MOCK_ALL;
    else if (strcasecmp(mode, "unimplemented") == 0)
        conf->mock = OA_MOCK_UNIMPLEMENTED;
    else
        return apr_psprintf(cmd->pool, "OpenAPIMock: '%s' is not one of off, all, "
                            "unimplemented", mode);
    return note_section(cmd, conf);
}

static const char *set_stub(cmd_parms *cmd, void *dir_conf, int on)
{
    glue_dir_conf *conf = dir_conf;
    conf->stub = on;
    return note_section(cmd, conf);
}

static const char *set_security_func(cmd_parms *cmd, void *dir_conf, const char *name)
{
    glue_dir_conf *conf = dir_conf;
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name || !dot[1])
        return apr_psprintf(cmd->pool, "%s: '%s' is not PLUGIN.function", cmd->cmd->name,
                            name);
    conf->default_funcs[(glue_security_func)(apr_uintptr_t)cmd->info] = name;
    return note_section(cmd, conf);
}

static const char *add_basic_provider(cmd_parms *cmd, void *dir_conf, const char *name)
{
    glue_dir_conf *conf = dir_conf;
    if (!conf->basic_providers)
        conf->basic_providers = apr_array_make(cmd->pool, 2, sizeof(const char *));
    APR_ARRAY_PUSH(conf->basic_providers, const char *) = name;
    return note_section(cmd, conf);
}

static const char *set_auth_error_format(cmd_parms *cmd, void *dir_conf, const char *format)
{
    glue_dir_conf *conf = dir_conf;
    if (strcasecmp(format, "oauth") == 0)
        conf->auth_error_format = OA_AUTH_BODY_OAUTH;
    else if (strcasecmp(format, "problem") == 0)
        conf->auth_error_format = OA_AUTH_BODY_PROBLEM;
    else
        return apr_psprintf(cmd->pool, "OpenAPIAuthErrorFormat: '%s' is not oauth or problem",
                            format);
    return note_section(cmd, conf);
}

/* A template of the bodies of security refusals, read from a file now so that a broken
 * one stops the configuration. */
static const char *set_auth_error_template(cmd_parms *cmd, void *dir_conf, const char *file)
{
    glue_dir_conf *conf = dir_conf;
    const char *path = ap_server_root_relative(cmd->pool, file);
    apr_file_t *fd;
    apr_finfo_t info;
    char *text;
    apr_size_t length;
    const char *problem;
    char reason[128];
    apr_status_t rv;
    if (!path)
        return apr_psprintf(cmd->pool, "OpenAPIAuthErrorTemplate: invalid path '%s'", file);
    rv = apr_file_open(&fd, path, APR_FOPEN_READ, APR_OS_DEFAULT, cmd->temp_pool);
    if (rv == APR_SUCCESS)
        rv = apr_file_info_get(&info, APR_FINFO_SIZE, fd);
    if (rv == APR_SUCCESS && info.size > 65536)
        return apr_psprintf(cmd->pool, "OpenAPIAuthErrorTemplate: %s is larger than 64 KiB",
                            path);
    if (rv == APR_SUCCESS) {
        length = (apr_size_t)info.size;
        text = apr_palloc(cmd->pool, length + 1);
        rv = apr_file_read_full(fd, text, length, &length);
        text[length] = '\0';
    }
    if (rv != APR_SUCCESS)
        return apr_psprintf(cmd->pool, "OpenAPIAuthErrorTemplate: cannot read %s: %s", path,
                            apr_strerror(rv, reason, sizeof(reason)));
    problem = oa_error_template_check(cmd->temp_pool, text);
    if (problem)
        return apr_psprintf(cmd->pool, "OpenAPIAuthErrorTemplate: %s: %s", path, problem);
    conf->auth_error_template = text;
    conf->auth_error_format = OA_AUTH_BODY_TEMPLATE;
    return note_section(cmd, conf);
}

/* An RFC 7662 endpoint checking tokens where a scheme names no function or URL. */
static const char *set_introspection(cmd_parms *cmd, void *dir_conf, const char *url,
                                     const char *client_id, const char *client_secret)
{
    glue_dir_conf *conf = dir_conf;
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
        return apr_psprintf(cmd->pool, "OpenAPITokenIntrospection: '%s' is not an http or "
                            "https URL", url);
    conf->introspect_url = url;
    conf->introspect_client_id = client_id;
    conf->introspect_client_secret = client_secret;
    return note_section(cmd, conf);
}

static const char *set_token_cache(cmd_parms *cmd, void *dir_conf, const char *spec)
{
    glue_dir_conf *conf = dir_conf;
    if (!*spec || *spec == ':')
        return "OpenAPITokenCache: PROVIDER[:ARGS] expected, e.g. shmcb or "
               "memcache:127.0.0.1:11211";
    conf->token_cache = spec;
    return note_section(cmd, conf);
}

static const char *set_token_cache_ttl(cmd_parms *cmd, void *dir_conf, const char *text)
{
    glue_dir_conf *conf = dir_conf;
    char *end;
    apr_int64_t seconds = apr_strtoi64(text, &end, 10);
    if (end == text || *end || seconds < 0 || seconds > 86400 * 366)
        return apr_psprintf(cmd->pool, "OpenAPITokenCacheTTL: '%s' is not a number of "
                            "seconds (0 means no caching)", text);
    conf->token_cache_ttl = (int)seconds;
    return note_section(cmd, conf);
}

const command_rec oa_directives[] = {
    AP_INIT_TAKE1("OpenAPISpec", set_spec, NULL, RSRC_CONF | ACCESS_CONF,
                  "the OpenAPI 2.0 or 3.0 spec (YAML or JSON) served at this location"),
    AP_INIT_TAKE2("OpenAPIPlugin", set_plugin, NULL, RSRC_CONF | ACCESS_CONF,
                  "a handler plugin: NAME /path/to/plugin.so"),
    AP_INIT_TAKE1("OpenAPIBasePath", set_base_path, NULL, RSRC_CONF | ACCESS_CONF,
                  "the URL path the API is served under (overrides the spec's)"),
    AP_INIT_TAKE1("OpenAPIUriParser", set_uri_parser, NULL, RSRC_CONF | ACCESS_CONF,
                  "how repeated query parameters are read: openapi, swagger2, first-value "
                  "or always-multi (default: by spec version)"),
    AP_INIT_FLAG("OpenAPIStrictValidation", set_strict_validation, NULL,
                 RSRC_CONF | ACCESS_CONF,
                 "On: query and form parameters the spec does not declare are a 400"),
    AP_INIT_TAKE1("OpenAPIMaxBodySize", set_max_body, NULL, RSRC_CONF | ACCESS_CONF,
                  "the largest request body accepted, in bytes (413 beyond; default 10 MB)"),
    AP_INIT_FLAG("OpenAPIValidateResponses", set_validate_responses, NULL,
                 RSRC_CONF | ACCESS_CONF,
                 "On: a response that does not fit the spec becomes a 500 (default Off)"),
    AP_INIT_TAKE1("OpenAPIMock", set_mock, NULL, RSRC_CONF | ACCESS_CONF,
                  "answer from the spec's examples: off, all, or unimplemented operations"),
    AP_INIT_FLAG("OpenAPIStub", set_stub, NULL, RSRC_CONF | ACCESS_CONF,
                 "On: operations without a handler answer 501 instead of failing the "
                 "configuration"),
    AP_INIT_TAKE1("OpenAPITokenInfoFunc", set_security_func, (void *)OA_FUNC_TOKEN_INFO,
                  RSRC_CONF | ACCESS_CONF,
                  "PLUGIN.function checking OAuth 2 tokens where a scheme names none"),
    AP_INIT_TAKE1("OpenAPIBearerInfoFunc", set_security_func, (void *)OA_FUNC_BEARER_INFO,
                  RSRC_CONF | ACCESS_CONF,
                  "PLUGIN.function checking bearer tokens where a scheme names none"),
    AP_INIT_TAKE1("OpenAPIBasicInfoFunc", set_security_func, (void *)OA_FUNC_BASIC_INFO,
                  RSRC_CONF | ACCESS_CONF,
                  "PLUGIN.function checking Basic credentials where a scheme names none"),
    AP_INIT_TAKE1("OpenAPIApiKeyInfoFunc", set_security_func, (void *)OA_FUNC_APIKEY_INFO,
                  RSRC_CONF | ACCESS_CONF,
                  "PLUGIN.function checking API keys where a scheme names none"),
    AP_INIT_TAKE1("OpenAPIScopeValidateFunc", set_security_func,
                  (void *)OA_FUNC_SCOPE_VALIDATE, RSRC_CONF | ACCESS_CONF,
                  "PLUGIN.function deciding whether granted scopes satisfy required ones"),
    AP_INIT_ITERATE("OpenAPIBasicProvider", add_basic_provider, NULL, RSRC_CONF | ACCESS_CONF,
                    "httpd authn providers checking Basic credentials when no function is "
                    "named (default: file)"),
    AP_INIT_TAKE1("OpenAPIAuthErrorFormat", set_auth_error_format, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "bodies of security errors: oauth (RFC 6750 JSON, default) or problem"),
    AP_INIT_TAKE1("OpenAPIAuthErrorTemplate", set_auth_error_template, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "a JSON file with {error}, {error_description}, {status}, {scope}, "
                  "{realm} placeholders shaping security refusals"),
    AP_INIT_TAKE3("OpenAPITokenIntrospection", set_introspection, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "URL CLIENT_ID CLIENT_SECRET of an RFC 7662 endpoint checking OAuth 2 and "
                  "bearer tokens where a scheme names no function or x-tokenInfoUrl"),
    AP_INIT_TAKE1("OpenAPITokenCache", set_token_cache, NULL, RSRC_CONF | ACCESS_CONF,
                  "the socache PROVIDER[:ARGS] caching token info (default shmcb)"),
    AP_INIT_TAKE1("OpenAPITokenCacheTTL", set_token_cache_ttl, NULL, RSRC_CONF | ACCESS_CONF,
                  "seconds a token's info is cached at most (default 60; never past exp)"),
    GLUE_DEVEX_DIRECTIVES,
    {NULL}};

/* ---- building each location's API ---- */

/* Finds the handler of operation i in the plugins the section sees; an error names the
 * spec position, the operation and what is missing. */
static const char *resolve_handler(apr_pool_t *pool, glue_api *api, const glue_dir_conf *conf,
                                   int i)
{
    const oa_operation *op = APR_ARRAY_IDX(api->spec->operations, i, oa_operation *);
    const glue_plugin *plugin;
    void *address;
    const char *error;
    const char *where = apr_psprintf(pool, "%s:%d:%d: %s %s", op->position.file,
                                     op->position.line, op->position.column,
                                     oa_method_name(op->method), op->path);
    if (!op->operation_id)
        return apr_psprintf(pool, "%s has no operationId, so no handler", where);
    if (!op->plugin)
        return apr_psprintf(pool,
                            "%s: operationId '%s' names no plugin (write "
                            "'PLUGIN.function' or set x-openapi-router-controller)",
                            where, op->operation_id);
    plugin = conf->plugins ? apr_hash_get(conf->plugins, op->plugin, APR_HASH_KEY_STRING)
                           : NULL;
    if (!plugin)
        return apr_psprintf(pool,
                            "%s: operationId '%s' needs plugin '%s', which no "
                            "OpenAPIPlugin directive for this location loads",
                            where, op->operation_id, op->plugin);
    error = glue_plugin_resolve(pool, plugin, op->function, &address);
    if (error)
        return apr_psprintf(pool, "%s: operationId '%s': %s", where, op->operation_id, error);
    api->handlers[i] = (openapi_handler_fn)address;
    return NULL;
}

/* Resolves every operation's handler; with stub or mock mode, one that cannot be
 * resolved is left NULL (answered 501 or from examples) instead of failing. */
static const char *resolve_handlers(apr_pool_t *pool, glue_api *api, const glue_dir_conf *conf)
{
    apr_array_header_t *ops = api->spec->operations;
    int tolerant = api->stub || api->mock != OA_MOCK_OFF;
    int i;
    api->handlers = apr_pcalloc(pool, sizeof(openapi_handler_fn) * (ops->nelts + 1));
    for (i = 0; i < ops->nelts; i++) {
        const char *error = resolve_handler(pool, api, conf, i);
        if (error && !tolerant)
            return error;
    }
    return NULL;
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

/* Compiles the spec's schemas once (a spec may serve several sections), with the custom
 * formats of the plugins the section sees. */
static const char *compile_spec(apr_pool_t *pool, apr_hash_t *compiled, const glue_dir_conf *conf)
{
    oa_spec *spec = conf->spec;
    oa_schema_registry *registry;
    oa_diag *diag;
    apr_hash_index_t *hi;
    int i;
    if (apr_hash_get(compiled, &spec, sizeof(spec)))
        return NULL;
    apr_hash_set(compiled, apr_pmemdup(pool, &spec, sizeof(spec)), sizeof(spec), spec);
    registry = oa_schema_registry_create(spec->pool, spec->docs, OA_DIALECT_OAS30);
    for (hi = conf->plugins ? apr_hash_first(pool, conf->plugins) : NULL; hi;
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
    diag = oa_diag_create(pool);
    if (!oa_spec_compile(spec, registry, diag)) {
        apr_array_header_t *lines = apr_array_make(pool, diag->entries->nelts, sizeof(char *));
        for (i = 0; i < diag->entries->nelts; i++)
            APR_ARRAY_PUSH(lines, const char *) =
                oa_diag_format(pool, &APR_ARRAY_IDX(diag->entries, i, oa_diag_entry));
        return apr_array_pstrcat(pool, lines, ';');
    }
    return NULL;
}

static const char *build_api(apr_pool_t *pool, apr_hash_t *compiled, glue_dir_conf *section,
                             const glue_dir_conf *merged)
{
    glue_api *api = apr_pcalloc(pool, sizeof(*api));
    const char *error;
    api->spec = merged->spec;
    api->base_path = merged->base_path ? merged->base_path : merged->spec->base_path;
    api->where = merged->section;
    api->request_options.uri_parser = merged->uri_parser != OA_UNSET
                                          ? (oa_uri_parser)merged->uri_parser
                                          : OA_URI_PARSER_DEFAULT;
    api->request_options.strict_validation = merged->strict_validation == 1;
    api->max_body = merged->max_body != OA_UNSET ? merged->max_body : OA_DEFAULT_MAX_BODY;
    api->validate_responses = merged->validate_responses == 1;
    api->mock = merged->mock != OA_UNSET ? merged->mock : OA_MOCK_OFF;
    api->stub = merged->stub == 1;
    api->renderers = collect_renderers(pool, merged);
    api->auth_error_format = merged->auth_error_format != OA_UNSET ? merged->auth_error_format
                                                                   : OA_AUTH_BODY_OAUTH;
    api->auth_error_template = merged->auth_error_template;
    error = compile_spec(pool, compiled, merged);
    if (!error)
        error = resolve_handlers(pool, api, merged);
    if (!error && api->mock != OA_MOCK_OFF)
        glue_mock_prepare(pool, api);
    if (!error)
        error = glue_security_prepare(pool, api, merged);
    if (!error)
        error = glue_devex_prepare(pool, api, &merged->devex);
    if (error)
        return error;
    section->api = api;
    return NULL;
}

/* A section's config is NULL when it holds none of our directives. */
static int touches_api(const glue_dir_conf *conf)
{
    return conf && (conf->spec || conf->plugins || conf->base_path ||
                    conf->uri_parser != OA_UNSET || conf->strict_validation != OA_UNSET ||
                    conf->max_body != OA_UNSET || conf->validate_responses != OA_UNSET ||
                    conf->mock != OA_UNSET || conf->stub != OA_UNSET ||
                    conf->basic_providers || conf->auth_error_format != OA_UNSET ||
                    conf->auth_error_template || conf->introspect_url ||
                    conf->token_cache || conf->token_cache_ttl != OA_UNSET ||
                    conf->default_funcs[OA_FUNC_TOKEN_INFO] ||
                    conf->default_funcs[OA_FUNC_BEARER_INFO] ||
                    conf->default_funcs[OA_FUNC_BASIC_INFO] ||
                    conf->default_funcs[OA_FUNC_APIKEY_INFO] ||
                    conf->default_funcs[OA_FUNC_SCOPE_VALIDATE]);
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
        if (k != index && conf && conf->spec && !inner->r &&
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
        if (defaults && defaults->spec && !apr_hash_get(done, &defaults, sizeof(defaults))) {
            const char *error = build_api(pconf, compiled, defaults, defaults);
            if (error) {
                ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, NULL,
                             OA_LOGNO(01002) "%s (in %s)", error, defaults->section);
                return HTTP_INTERNAL_SERVER_ERROR;
            }
        }
        apr_hash_set(done, apr_pmemdup(ptemp, &defaults, sizeof(defaults)), sizeof(defaults),
                     defaults);
        for (i = 0; i < sconf->sec_url->nelts; i++) {
            glue_dir_conf *conf = ap_get_module_config(sections[i], &openapi_module);
            glue_dir_conf *merged;
            const char *error;
            if (!touches_api(conf) || apr_hash_get(done, &conf, sizeof(conf)))
                continue;
            apr_hash_set(done, apr_pmemdup(ptemp, &conf, sizeof(conf)), sizeof(conf), conf);
            merged = static_merge(ptemp, s, i);
            if (!merged->spec && encloses_a_spec(s, i))
                continue; /* it provides plugins or a base path to sections inside it */
            if (!merged->spec) {
                ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, NULL,
                             OA_LOGNO(01003) "%s: OpenAPIPlugin or OpenAPIBasePath without "
                             "an OpenAPISpec for this location", conf->section);
                return HTTP_INTERNAL_SERVER_ERROR;
            }
            error = build_api(pconf, compiled, conf, merged);
            if (error) {
                ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_CRIT, 0, NULL,
                             OA_LOGNO(01002) "%s (in %s)", error, conf->section);
                return HTTP_INTERNAL_SERVER_ERROR;
            }
        }
    }
    return OK;
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
        oa_docset_release(spec->docs);
    }
    return APR_SUCCESS;
}

static void collect_spec(apr_hash_t *seen, apr_array_header_t *specs, const glue_dir_conf *conf)
{
    if (!conf || !conf->spec || apr_hash_get(seen, &conf->spec, sizeof(conf->spec)))
        return;
    apr_hash_set(seen, &conf->spec, sizeof(conf->spec), conf->spec);
    APR_ARRAY_PUSH(specs, oa_spec *) = conf->spec;
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
        for (i = 0; i < sconf->sec_url->nelts; i++)
            collect_spec(seen, specs, ap_get_module_config(sections[i], &openapi_module));
    }
    apr_pool_cleanup_register(pchild, specs, release_specs, apr_pool_cleanup_null);
}
