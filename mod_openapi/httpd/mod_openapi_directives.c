/* Directives and the per-directory configuration: for every field its unset value, its
 * default and its merge rule, as mod_h2 does it; the directives' parsers and command
 * table. What is built from a location's configuration: mod_openapi_api.c. */
#include "mod_openapi_glue.h"

#include <http_core.h>
#include <http_log.h>
#include <apr_file_io.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <stdlib.h>
#include <errno.h>
#include <strings.h>

#include "security/oa_security_oauth_template.h"
#include "spec/oa_spec_load.h"
#include "security/oa_security.h"
#include "mod_openapi_jwt.h"

APLOG_USE_MODULE(openapi);

/* What a section holds for a field it does not set: it inherits. Scalars use GLUE_UNSET,
 * pointers NULL. Every field is listed (build/check-config.py checks it). */
static const glue_dir_conf glue_dir_unset = {
    .spec_file = NULL,
    .spec = NULL,
    .arguments = NULL,
    .plugins = NULL,
    .base_path = NULL,
    .uri_parser = GLUE_UNSET,
    .strict_validation = GLUE_UNSET,
    .max_body = GLUE_UNSET,
    .validate_responses = GLUE_UNSET,
    .mock = GLUE_UNSET,
    .stub = GLUE_UNSET,
    .default_funcs = {NULL},
    .basic_providers = NULL,
    .auth_error_format = GLUE_UNSET,
    .auth_error_template = NULL,
    .introspect_url = NULL,
    .introspect_client_id = NULL,
    .introspect_client_secret = NULL,
    .token_cache = NULL,
    .token_cache_ttl = GLUE_UNSET,
    .bearer_token_from = GLUE_UNSET,
    .max_errors = GLUE_UNSET,
    .fill_defaults = GLUE_UNSET,
    .jwt_jwks = NULL,
    .jwt_issuers = NULL,
    .jwt_audiences = NULL,
    .jwt_algorithms = GLUE_UNSET,
    .jwt_leeway = GLUE_UNSET,
    .jwt_require_at_jwt = GLUE_UNSET,
    .jwt_user_claim = NULL,
    .jwt_scope_claim = NULL,
    .jwt_secret = NULL,
    .jwt_refresh = GLUE_UNSET,
    .jwt_refresh_min = GLUE_UNSET,
    .devex = {.spec_endpoint = GLUE_UNSET, .trust_proxy = GLUE_UNSET, .swagger_ui = GLUE_UNSET,
              .swagger_ui_dir = NULL, .ui_options = NULL, .ui_oauth = NULL,
              .cors_origins = NULL, .cors_credentials = GLUE_UNSET,
              .cors_max_age = GLUE_UNSET, .cors_expose = NULL, .cors_allow_headers = NULL},
    .resolver_plugin = NULL,
    .mock_seed = GLUE_UNSET,
    .dispatch = GLUE_UNSET,
    .validation_mode_report = GLUE_UNSET,
    .backend_headers = NULL,
    .max_response_body = GLUE_UNSET,
    .section = NULL,
    .api = NULL,
};

/* Read-only: the array is never grown (a section's own list is a new array). */
static const char *default_basic_provider_names[] = {"file"};
static apr_array_header_t default_basic_providers = {
    NULL, sizeof(const char *), 1, 1, (char *)default_basic_provider_names};

/* What the gateway tells a backend by default (OpenAPIBackendHeader); read-only. */
static glue_backend_header default_backend_header_list[] = {
    {"user", "X-OpenAPI-User"}, {"scopes", "X-OpenAPI-Scopes"},
    {"operation", "X-OpenAPI-Operation"}};
static apr_array_header_t default_backend_headers = {
    NULL, sizeof(glue_backend_header), 3, 3, (char *)default_backend_header_list};

/* What a location gets for a field no section sets: the outermost section of every merge
 * (glue_dir_conf_resolve). Every field is listed, NULL where there is no default. */
static const glue_dir_conf glue_dir_defaults = {
    .spec_file = NULL,                     /* none: a location needs OpenAPISpec */
    .spec = NULL,
    .arguments = NULL,                     /* none: a placeholder is an error */
    .plugins = NULL,
    .base_path = NULL,                     /* the spec's (servers[0].url or basePath) */
    .uri_parser = OA_URI_PARSER_DEFAULT,   /* by spec version */
    .strict_validation = 0,
    .max_body = (apr_off_t)10 * 1024 * 1024,
    .validate_responses = 0,
    .mock = OA_MOCK_OFF,
    .stub = 0,
    .default_funcs = {NULL},               /* only the spec's x-*InfoFunc */
    .basic_providers = &default_basic_providers,
    .auth_error_format = OA_AUTH_BODY_OAUTH,
    .auth_error_template = NULL,
    .introspect_url = NULL,                /* no introspection endpoint */
    .introspect_client_id = NULL,
    .introspect_client_secret = NULL,
    .token_cache = "shmcb",
    .token_cache_ttl = 60,
    .bearer_token_from = OA_TOKEN_FROM_HEADER, /* RFC 6750 2.1 only */
    .max_errors = OA_REQUEST_DEFAULT_MAX_ERRORS,
    .fill_defaults = 0,
    .jwt_jwks = NULL,                      /* no JWT validation */
    .jwt_issuers = NULL,                   /* required with a JWK Set (or discovery's) */
    .jwt_audiences = NULL,                 /* required */
    .jwt_algorithms = 0,                   /* by the keys configured */
    .jwt_leeway = GLUE_JWT_DEFAULT_LEEWAY,
    .jwt_require_at_jwt = 0,
    .jwt_user_claim = NULL,                /* sub */
    .jwt_scope_claim = NULL,               /* scope, else scp */
    .jwt_secret = NULL,
    .jwt_refresh = GLUE_JWT_DEFAULT_REFRESH,
    .jwt_refresh_min = GLUE_JWT_DEFAULT_REFRESH_MIN,
    .devex = {.spec_endpoint = 1, .trust_proxy = 0, .swagger_ui = 1,
              .swagger_ui_dir = OA_SWAGGER_UI_DIR, /* where make install put it */
              .ui_options = NULL, .ui_oauth = NULL,
              .cors_origins = NULL,                /* no CORS headers */
              .cors_credentials = 0, .cors_max_age = OA_DEFAULT_CORS_MAX_AGE,
              .cors_expose = NULL, .cors_allow_headers = NULL /* the preflight's */},
    .resolver_plugin = "",                 /* handlers only from operationIds */
    .mock_seed = OA_MOCK_RANDOM_SEED,
    .dispatch = GLUE_DISPATCH_PLUGIN,
    .validation_mode_report = 0,
    .backend_headers = &default_backend_headers,
    .max_response_body = (apr_off_t)1024 * 1024,
    .section = NULL,
    .api = NULL,
};

/* Whether a section sets a field: it differs from the unset value. */
#define GLUE_IS_SET(conf, field) ((conf)->field != glue_dir_unset.field)

void *glue_create_dir_conf(apr_pool_t *pool, char *dir)
{
    glue_dir_conf *conf = apr_palloc(pool, sizeof(*conf));
    (void)dir;
    *conf = glue_dir_unset;
    return conf;
}

/* The merge rule of a field in merge_dir_conf: the inner section's value when it sets
 * `key` (fields set together by one directive share their key), else the outer one's. */
#define GLUE_MERGE_WITH(field, key) \
    (merged->field = (GLUE_IS_SET(child, key) ? child : parent)->field)
#define GLUE_MERGE(field) GLUE_MERGE_WITH(field, field)

/* Two sections' NAME -> VALUE tables: the inner one's names win. */
static apr_table_t *glue_table_merge(apr_pool_t *pool, apr_table_t *outer, apr_table_t *inner)
{
    if (outer && inner)
        return apr_table_overlay(pool, inner, outer);
    return inner ? inner : outer;
}

/* The outer section's backend headers with the inner one's replacing those for the same
 * thing (a few entries: quadratic is fine). */
static apr_array_header_t *merge_backend_headers(apr_pool_t *pool,
                                                 const apr_array_header_t *outer,
                                                 const apr_array_header_t *inner)
{
    apr_array_header_t *merged = apr_array_copy(pool, inner);
    int i, j;
    for (i = 0; i < outer->nelts; i++) {
        const glue_backend_header *h = &APR_ARRAY_IDX(outer, i, glue_backend_header);
        for (j = 0; j < inner->nelts; j++)
            if (strcasecmp(APR_ARRAY_IDX(inner, j, glue_backend_header).what, h->what) == 0)
                break;
        if (j == inner->nelts)
            APR_ARRAY_PUSH(merged, glue_backend_header) = *h;
    }
    return merged;
}

/* Runs per request for nested sections: only pointer copies (and the short list of
 * backend headers when both sections set some). */
static glue_dir_conf *merge_dir_conf(apr_pool_t *pool, const glue_dir_conf *parent,
                                     const glue_dir_conf *child)
{
    glue_dir_conf *merged = apr_palloc(pool, sizeof(*merged));
    int i;
    GLUE_MERGE(spec_file);
    GLUE_MERGE(spec);
    if (child->arguments && parent->arguments) /* accumulate; an inner name wins */
        merged->arguments = apr_hash_overlay(pool, child->arguments, parent->arguments);
    else
        GLUE_MERGE(arguments);
    if (child->plugins && parent->plugins) /* accumulate; an inner name wins */
        merged->plugins = apr_hash_overlay(pool, child->plugins, parent->plugins);
    else
        GLUE_MERGE(plugins);
    GLUE_MERGE(base_path);
    GLUE_MERGE(uri_parser);
    GLUE_MERGE(strict_validation);
    GLUE_MERGE(max_body);
    GLUE_MERGE(validate_responses);
    GLUE_MERGE(mock);
    GLUE_MERGE(stub);
    for (i = 0; i < OA_FUNC_COUNT; i++)
        GLUE_MERGE(default_funcs[i]);
    GLUE_MERGE(basic_providers);
    GLUE_MERGE(auth_error_format);
    GLUE_MERGE(auth_error_template);
    GLUE_MERGE(introspect_url);
    GLUE_MERGE_WITH(introspect_client_id, introspect_url);
    GLUE_MERGE_WITH(introspect_client_secret, introspect_url);
    GLUE_MERGE(token_cache);
    GLUE_MERGE(token_cache_ttl);
    GLUE_MERGE(bearer_token_from);
    GLUE_MERGE(max_errors);
    GLUE_MERGE(fill_defaults);
    GLUE_MERGE(jwt_jwks);
    GLUE_MERGE(jwt_issuers);
    GLUE_MERGE(jwt_audiences);
    GLUE_MERGE(jwt_algorithms);
    GLUE_MERGE(jwt_leeway);
    GLUE_MERGE(jwt_require_at_jwt);
    GLUE_MERGE(jwt_user_claim);
    GLUE_MERGE(jwt_scope_claim);
    GLUE_MERGE(jwt_secret);
    GLUE_MERGE(jwt_refresh);
    GLUE_MERGE(jwt_refresh_min);
    GLUE_MERGE(devex.spec_endpoint);
    GLUE_MERGE(devex.trust_proxy);
    GLUE_MERGE(devex.swagger_ui);
    GLUE_MERGE(devex.swagger_ui_dir);
    GLUE_MERGE(devex.cors_origins);
    GLUE_MERGE(devex.cors_credentials);
    GLUE_MERGE(devex.cors_max_age);
    GLUE_MERGE(devex.cors_expose);
    GLUE_MERGE(devex.cors_allow_headers);
    /* Swagger UI options merge by name, an inner section's winning */
    merged->devex.ui_options = glue_table_merge(pool, parent->devex.ui_options,
                                                child->devex.ui_options);
    merged->devex.ui_oauth = glue_table_merge(pool, parent->devex.ui_oauth,
                                              child->devex.ui_oauth);
    GLUE_MERGE(resolver_plugin);
    GLUE_MERGE(mock_seed);
    GLUE_MERGE(dispatch);
    GLUE_MERGE(validation_mode_report);
    if (child->backend_headers && parent->backend_headers) /* accumulate; inner wins */
        merged->backend_headers = merge_backend_headers(pool, parent->backend_headers,
                                                        child->backend_headers);
    else
        GLUE_MERGE(backend_headers);
    GLUE_MERGE(max_response_body);
    GLUE_MERGE(section);
    GLUE_MERGE(api);
    return merged;
}

void *glue_merge_dir_conf(apr_pool_t *pool, void *parent, void *child)
{
    return merge_dir_conf(pool, parent, child);
}

const glue_dir_conf *glue_dir_conf_resolve(apr_pool_t *pool, const glue_dir_conf *merged)
{
    return merge_dir_conf(pool, &glue_dir_defaults, merged);
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
                     oa_diag_line(cmd->temp_pool, diag, i));
    return apr_psprintf(cmd->pool, "%s: %s%s", what,
                        oa_diag_line(cmd->temp_pool, diag, 0),
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

const char *glue_note_section(cmd_parms *cmd, glue_dir_conf *conf)
{
    return note_section(cmd, conf);
}

const char *glue_directive_number(cmd_parms *cmd, const char *text, apr_int64_t min,
                                  apr_int64_t max, const char *what, apr_int64_t *value)
{
    char *end;
    apr_int64_t number;
    errno = 0;
    number = apr_isdigit(*text) ? apr_strtoi64(text, &end, 10) : -1;
    if (!apr_isdigit(*text) || *end || errno == ERANGE || number < min || number > max)
        return apr_psprintf(cmd->pool, "%s: '%s' is not %s", cmd->cmd->name, text, what);
    *value = number;
    return NULL;
}

static const char *set_spec(cmd_parms *cmd, void *dir_conf, const char *file)
{
    glue_dir_conf *conf = dir_conf;
    const char *error = ap_check_cmd_context(cmd, NOT_IN_DIRECTORY | NOT_IN_FILES);
    const char *path;
    oa_diag *diag;
    oa_template_args detect = {NULL, 1, 0, 0};
    apr_time_t started = apr_time_now();

    if (error)
        return error;
    if (conf->spec_file)
        return apr_psprintf(cmd->pool, "OpenAPISpec is already set here (%s)", conf->spec_file);
    path = ap_server_root_relative(cmd->pool, file);
    if (!path)
        return apr_psprintf(cmd->pool, "OpenAPISpec: invalid path '%s'", file);
    diag = oa_diag_create(cmd->temp_pool);
    conf->spec = glue_spec_cache_load(cmd->server, cmd->pool, cmd->temp_pool, path, &detect,
                                      diag);
    if (!conf->spec && detect.found) {
        /* the arguments it sees are known once the whole configuration is read */
        conf->spec_file = path;
        conf->section = section_name(cmd);
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, cmd->server,
                     OA_LOGNO(14007) "%s has spec arguments: loaded with the OpenAPIArgument "
                     "values of each location when the configuration is complete", path);
        return NULL;
    }
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

/* On|Off directives: cmd->info is the offset of their int field in glue_dir_conf. */
static const char *set_flag(cmd_parms *cmd, void *dir_conf, int on)
{
    glue_dir_conf *conf = dir_conf;
    *(int *)((char *)conf + (apr_size_t)cmd->info) = on;
    return note_section(cmd, conf);
}

static const char *set_max_body(cmd_parms *cmd, void *dir_conf, const char *text)
{
    glue_dir_conf *conf = dir_conf;
    apr_int64_t bytes;
    const char *error = glue_directive_number(cmd, text, 0, APR_INT64_MAX, "a number of "
                                              "bytes (0 means no limit of our own)", &bytes);
    if (error)
        return error;
    conf->max_body = (apr_off_t)bytes;
    return note_section(cmd, conf);
}

static const char *set_max_errors(cmd_parms *cmd, void *dir_conf, const char *text)
{
    glue_dir_conf *conf = dir_conf;
    apr_int64_t count;
    const char *error = glue_directive_number(cmd, text, 1, 1000, "a number from 1 to 1000",
                                              &count);
    if (error)
        return error;
    conf->max_errors = (int)count;
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
    apr_int64_t seconds;
    const char *error = glue_directive_number(cmd, text, 0, 86400 * 366, "a number of "
                                              "seconds (0 means no caching)", &seconds);
    if (error)
        return error;
    conf->token_cache_ttl = (int)seconds;
    return note_section(cmd, conf);
}

/* RFC 6750 section 2: header (always: 2.1 is a MUST), form (2.2), query (2.3). */
static const char *add_bearer_token_source(cmd_parms *cmd, void *dir_conf, const char *word)
{
    glue_dir_conf *conf = dir_conf;
    int bit;
    if (strcasecmp(word, "header") == 0)
        bit = OA_TOKEN_FROM_HEADER;
    else if (strcasecmp(word, "form") == 0)
        bit = OA_TOKEN_FROM_FORM;
    else if (strcasecmp(word, "query") == 0)
        bit = OA_TOKEN_FROM_QUERY;
    else
        return apr_psprintf(cmd->pool, "OpenAPIBearerTokenFrom: '%s' is not one of header, "
                            "form, query", word);
    if (conf->bearer_token_from == GLUE_UNSET)
        conf->bearer_token_from = OA_TOKEN_FROM_HEADER;
    conf->bearer_token_from |= bit;
    return note_section(cmd, conf);
}

/* Handlers of operations without an operationId named from path and method (resty), in
 * PLUGIN (loaded by an OpenAPIPlugin the location sees: checked when the API is built). */
static const char *set_resolver(cmd_parms *cmd, void *dir_conf, const char *kind,
                                const char *plugin)
{
    glue_dir_conf *conf = dir_conf;
    if (strcasecmp(kind, "off") == 0 && !plugin)
        conf->resolver_plugin = "";
    else if (strcasecmp(kind, "resty") == 0 && plugin && *plugin && !strchr(plugin, '/'))
        conf->resolver_plugin = plugin;
    else
        return apr_psprintf(cmd->pool, "OpenAPIResolver: 'resty PLUGIN' or 'off' expected, "
                            "not '%s%s%s'", kind, plugin ? " " : "", plugin ? plugin : "");
    return note_section(cmd, conf);
}

/* The seed of dynamic mocks (Prefer: dynamic=true): a number makes each request's answer
 * repeatable; random (the default) draws a new one per request. */
static const char *set_mock_seed(cmd_parms *cmd, void *dir_conf, const char *text)
{
    glue_dir_conf *conf = dir_conf;
    const char *error;
    apr_int64_t seed;
    if (strcasecmp(text, "random") == 0) {
        conf->mock_seed = OA_MOCK_RANDOM_SEED;
        return note_section(cmd, conf);
    }
    error = glue_directive_number(cmd, text, 0, APR_INT64_MAX,
                                  apr_psprintf(cmd->pool, "a number from 0 to %"
                                               APR_INT64_T_FMT " or random", APR_INT64_MAX),
                                  &seed);
    if (error)
        return error;
    conf->mock_seed = seed;
    return note_section(cmd, conf);
}

/* A value for the spec's {{ NAME }} placeholders (Connexion's `arguments`): server-wide or
 * per location, the innermost section's value winning. */
static const char *set_argument(cmd_parms *cmd, void *dir_conf, const char *name,
                                const char *value)
{
    glue_dir_conf *conf = dir_conf;
    const char *p;
    for (p = name; *p; p++)
        if (!(apr_isalpha(*p) || *p == '_' || (p > name && apr_isdigit(*p))))
            break;
    if (!*name || *p)
        return apr_psprintf(cmd->pool, "OpenAPIArgument: '%s' is not a name "
                            "([A-Za-z_][A-Za-z0-9_]*)", name);
    if (!conf->arguments)
        conf->arguments = apr_hash_make(cmd->pool);
    if (apr_hash_get(conf->arguments, name, APR_HASH_KEY_STRING))
        return apr_psprintf(cmd->pool, "OpenAPIArgument: '%s' is already set here", name);
    apr_hash_set(conf->arguments, name, APR_HASH_KEY_STRING, value);
    return note_section(cmd, conf);
}

static const char *set_dispatch(cmd_parms *cmd, void *dir_conf, const char *mode)
{
    glue_dir_conf *conf = dir_conf;
    if (strcasecmp(mode, "plugin") == 0)
        conf->dispatch = GLUE_DISPATCH_PLUGIN;
    else if (strcasecmp(mode, "backend") == 0)
        conf->dispatch = GLUE_DISPATCH_BACKEND;
    else
        return apr_psprintf(cmd->pool, "OpenAPIDispatch: '%s' is not plugin or backend", mode);
    return note_section(cmd, conf);
}

static const char *set_validation_mode(cmd_parms *cmd, void *dir_conf, const char *mode)
{
    glue_dir_conf *conf = dir_conf;
    if (strcasecmp(mode, "enforce") == 0)
        conf->validation_mode_report = 0;
    else if (strcasecmp(mode, "report") == 0)
        conf->validation_mode_report = 1;
    else
        return apr_psprintf(cmd->pool, "OpenAPIValidationMode: '%s' is not enforce or report",
                            mode);
    return note_section(cmd, conf);
}

/* WHAT HEADER: user, scopes, operation or claim:NAME, sent to the backend as HEADER
 * ("off": not sent). */
static const char *add_backend_header(cmd_parms *cmd, void *dir_conf, const char *what,
                                      const char *header)
{
    glue_dir_conf *conf = dir_conf;
    glue_backend_header *entry;
    const char *c;
    int i;
    if (strcasecmp(what, "user") != 0 && strcasecmp(what, "scopes") != 0 &&
        strcasecmp(what, "operation") != 0 &&
        (strncasecmp(what, "claim:", 6) != 0 || !what[6]))
        return apr_psprintf(cmd->pool, "OpenAPIBackendHeader: '%s' is not user, scopes, "
                            "operation or claim:NAME", what);
    for (c = header; *c; c++)
        if (!apr_isalnum(*c) && *c != '-' && *c != '_')
            return apr_psprintf(cmd->pool, "OpenAPIBackendHeader: '%s' is not a header name "
                                "(letters, digits, '-'; or off)", header);
    if (!conf->backend_headers)
        conf->backend_headers = apr_array_make(cmd->pool, 4, sizeof(glue_backend_header));
    for (i = 0; i < conf->backend_headers->nelts; i++)
        if (strcasecmp(APR_ARRAY_IDX(conf->backend_headers, i, glue_backend_header).what,
                       what) == 0)
            return apr_psprintf(cmd->pool, "OpenAPIBackendHeader: '%s' is already set here",
                                what);
    entry = apr_array_push(conf->backend_headers);
    entry->what = what;
    entry->header = strcasecmp(header, "off") == 0 ? NULL : header;
    return note_section(cmd, conf);
}

static const char *set_max_response_body(cmd_parms *cmd, void *dir_conf, const char *text)
{
    glue_dir_conf *conf = dir_conf;
    apr_int64_t bytes;
    const char *error = glue_directive_number(cmd, text, 0, APR_INT64_MAX, "a number of bytes",
                                              &bytes);
    if (error)
        return error;
    conf->max_response_body = (apr_off_t)bytes;
    return note_section(cmd, conf);
}

const command_rec glue_directives[] = {
    AP_INIT_TAKE1("OpenAPISpec", set_spec, NULL, RSRC_CONF | ACCESS_CONF,
                  "the OpenAPI 2.0 or 3.0 spec (YAML or JSON) served at this location"),
    AP_INIT_TAKE2("OpenAPIPlugin", set_plugin, NULL, RSRC_CONF | ACCESS_CONF,
                  "a handler plugin: NAME /path/to/plugin.so"),
    AP_INIT_TAKE1("OpenAPIBasePath", set_base_path, NULL, RSRC_CONF | ACCESS_CONF,
                  "the URL path the API is served under (overrides the spec's)"),
    AP_INIT_TAKE1("OpenAPIUriParser", set_uri_parser, NULL, RSRC_CONF | ACCESS_CONF,
                  "how repeated query parameters are read: openapi, swagger2, first-value "
                  "or always-multi (default: by spec version)"),
    AP_INIT_FLAG("OpenAPIStrictValidation", set_flag,
                 (void *)APR_OFFSETOF(glue_dir_conf, strict_validation),
                 RSRC_CONF | ACCESS_CONF,
                 "On: query and form parameters the spec does not declare are a 400"),
    AP_INIT_TAKE1("OpenAPIMaxBodySize", set_max_body, NULL, RSRC_CONF | ACCESS_CONF,
                  "the largest request body accepted, in bytes (413 beyond; default 10 MB)"),
    AP_INIT_TAKE1("OpenAPIMaxErrors", set_max_errors, NULL, RSRC_CONF | ACCESS_CONF,
                  "errors listed in a 400 answer; the rest are counted (1-1000, default 20)"),
    AP_INIT_FLAG("OpenAPIFillDefaults", set_flag,
                 (void *)APR_OFFSETOF(glue_dir_conf, fill_defaults), RSRC_CONF | ACCESS_CONF,
                 "On: schema defaults are filled into JSON and form request bodies "
                 "(default Off)"),
    AP_INIT_FLAG("OpenAPIValidateResponses", set_flag,
                 (void *)APR_OFFSETOF(glue_dir_conf, validate_responses),
                 RSRC_CONF | ACCESS_CONF,
                 "On: a response that does not fit the spec becomes a 500 (default Off)"),
    AP_INIT_TAKE1("OpenAPIMock", set_mock, NULL, RSRC_CONF | ACCESS_CONF,
                  "answer from the spec's examples: off, all, or unimplemented operations"),
    AP_INIT_FLAG("OpenAPIStub", set_flag,
                 (void *)APR_OFFSETOF(glue_dir_conf, stub), RSRC_CONF | ACCESS_CONF,
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
    AP_INIT_ITERATE("OpenAPIBearerTokenFrom", add_bearer_token_source, NULL,
                    RSRC_CONF | ACCESS_CONF,
                    "where bearer tokens are read: header (always), form (RFC 6750 2.2), "
                    "query (2.3; default: header only)"),
    AP_INIT_FLAG("OpenAPISpecEndpoint", glue_devex_set_flag, GLUE_DEVEX_FIELD(spec_endpoint),
                 RSRC_CONF | ACCESS_CONF, "On (default): serve the spec at {base}/openapi.json "
                 "and .yaml (2.0: swagger.json and .yaml)"),
    AP_INIT_FLAG("OpenAPITrustProxy", glue_devex_set_flag, GLUE_DEVEX_FIELD(trust_proxy),
                 RSRC_CONF | ACCESS_CONF, "On: the served spec's servers follow Forwarded and "
                 "X-Forwarded-Proto/Host/Prefix (default Off)"),
    AP_INIT_FLAG("OpenAPISwaggerUI", glue_devex_set_flag, GLUE_DEVEX_FIELD(swagger_ui),
                 RSRC_CONF | ACCESS_CONF, "On (default): the Swagger UI at {base}/ui/"),
    AP_INIT_TAKE1("OpenAPISwaggerUIDir", glue_devex_set_dir, NULL, RSRC_CONF | ACCESS_CONF,
                  "the directory holding swagger-ui-dist's files"),
    AP_INIT_TAKE2("OpenAPISwaggerUIOption", glue_devex_set_ui_option, GLUE_DEVEX_FIELD(ui_options),
                  RSRC_CONF | ACCESS_CONF, "NAME VALUE: a SwaggerUIBundle option (VALUE as "
                  "JSON, else a string)"),
    AP_INIT_TAKE2("OpenAPISwaggerUIOAuth", glue_devex_set_ui_option, GLUE_DEVEX_FIELD(ui_oauth),
                  RSRC_CONF | ACCESS_CONF, "NAME VALUE: an initOAuth option of the UI "
                  "(clientId, usePkceWithAuthorizationCodeGrant, scopes, ...)"),
    AP_INIT_ITERATE("OpenAPICORS", glue_devex_add_list, GLUE_DEVEX_FIELD(cors_origins),
                    RSRC_CONF | ACCESS_CONF, "origins allowed to call the API from a browser "
                    "(scheme://host[:port], * for any, or off)"),
    AP_INIT_FLAG("OpenAPICORSCredentials", glue_devex_set_flag, GLUE_DEVEX_FIELD(cors_credentials),
                 RSRC_CONF | ACCESS_CONF, "On: cross-origin requests may carry cookies and "
                 "Authorization (default Off)"),
    AP_INIT_TAKE1("OpenAPICORSMaxAge", glue_devex_set_max_age, NULL, RSRC_CONF | ACCESS_CONF,
                  "seconds a browser may cache a preflight's answer (default 600)"),
    AP_INIT_ITERATE("OpenAPICORSExposeHeaders", glue_devex_add_list, GLUE_DEVEX_FIELD(cors_expose),
                    RSRC_CONF | ACCESS_CONF, "response headers a cross-origin page may read"),
    AP_INIT_ITERATE("OpenAPICORSAllowHeaders", glue_devex_add_list,
                    GLUE_DEVEX_FIELD(cors_allow_headers), RSRC_CONF | ACCESS_CONF,
                    "request headers allowed cross-origin (default: those the preflight asks)"),
    AP_INIT_TAKE1("OpenAPIJWKS", glue_jwt_set_jwks, NULL, RSRC_CONF | ACCESS_CONF,
                  "the JWK Set verifying JWT access tokens: an http(s) URI or a file"),
    AP_INIT_ITERATE("OpenAPIJWTIssuer", glue_jwt_add_issuer, NULL, RSRC_CONF | ACCESS_CONF,
                    "the iss values accepted in JWT access tokens"),
    AP_INIT_ITERATE("OpenAPIJWTAudience", glue_jwt_add_audience, NULL,
                    RSRC_CONF | ACCESS_CONF, "the aud values accepted (one must match)"),
    AP_INIT_ITERATE("OpenAPIJWTAlgorithms", glue_jwt_add_algorithm, NULL,
                    RSRC_CONF | ACCESS_CONF,
                    "the JWS algs accepted (default RS*, PS*, ES*, EdDSA)"),
    AP_INIT_TAKE1("OpenAPIJWTLeeway", glue_jwt_set_seconds, (void *)"OpenAPIJWTLeeway",
                  RSRC_CONF | ACCESS_CONF, "seconds of clock skew for exp, nbf, iat (30)"),
    AP_INIT_FLAG("OpenAPIJWTRequireType", glue_jwt_set_require_type, NULL,
                 RSRC_CONF | ACCESS_CONF, "On: the typ header must be at+jwt (RFC 9068)"),
    AP_INIT_TAKE1("OpenAPIJWTUserClaim", glue_jwt_set_claim, (void *)"user",
                  RSRC_CONF | ACCESS_CONF, "the claim naming the user (default sub)"),
    AP_INIT_TAKE1("OpenAPIJWTScopeClaim", glue_jwt_set_claim, (void *)"scope",
                  RSRC_CONF | ACCESS_CONF,
                  "the claim holding the scopes (default scope, else scp)"),
    AP_INIT_TAKE1("OpenAPIJWTSharedSecret", glue_jwt_set_secret, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "the HMAC secret for HS256/384/512 tokens (a file: file:PATH)"),
    AP_INIT_TAKE1("OpenAPIJWKSRefresh", glue_jwt_set_seconds, (void *)"OpenAPIJWKSRefresh",
                  RSRC_CONF | ACCESS_CONF, "seconds a fetched JWK Set is used (3600)"),
    AP_INIT_TAKE1("OpenAPIJWKSRefreshInterval", glue_jwt_set_seconds,
                  (void *)"OpenAPIJWKSRefreshInterval", RSRC_CONF | ACCESS_CONF,
                  "seconds between two fetches of a JWK Set at the least (60)"),
    AP_INIT_TAKE12("OpenAPIResolver", set_resolver, NULL, RSRC_CONF | ACCESS_CONF,
                   "resty PLUGIN: operations without an operationId call PLUGIN's function "
                   "named from path and method (GET /pets -> pets_search); or off"),
    AP_INIT_TAKE1("OpenAPIMockSeed", set_mock_seed, NULL, RSRC_CONF | ACCESS_CONF,
                  "N: dynamic mocks (Prefer: dynamic=true) repeat for the same request; "
                  "random (default): they differ each time"),
    AP_INIT_TAKE2("OpenAPIArgument", set_argument, NULL, RSRC_CONF | ACCESS_CONF,
                  "NAME VALUE: the value of the spec's {{ NAME }} placeholders"),
    AP_INIT_TAKE1("OpenAPIDispatch", set_dispatch, NULL, RSRC_CONF | ACCESS_CONF,
                  "who answers valid requests: plugin (default) or backend (httpd's own "
                  "handler: ProxyPass, CGI, files)"),
    AP_INIT_TAKE1("OpenAPIValidationMode", set_validation_mode, NULL, RSRC_CONF | ACCESS_CONF,
                  "enforce (default) refuses what does not fit the spec; report logs it, "
                  "lists it in X-OpenAPI-Violations and lets it through to the backend"),
    AP_INIT_TAKE2("OpenAPIBackendHeader", add_backend_header, NULL, RSRC_CONF | ACCESS_CONF,
                  "user, scopes, operation or claim:NAME, and the request header the "
                  "backend gets it in (or off)"),
    AP_INIT_TAKE1("OpenAPIMaxResponseBodySize", set_max_response_body, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "the largest backend JSON response held for validation, in bytes (larger "
                  "ones pass unchecked; default 1 MB)"),
    {NULL}};
