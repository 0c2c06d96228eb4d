/* The developer-experience directives (spec endpoints, Swagger UI, CORS): their
 * per-directory fields, defaults and merge, the config-time preparation of a location's
 * spec endpoints, and claiming their requests. */
#include "mod_openapi_glue.h"

#include <http_core.h>
#include <http_log.h>
#include <http_main.h>
#include <http_protocol.h>
#include <apr_strings.h>

#include "spec/oa_spec_bundle.h"

APLOG_USE_MODULE(openapi);

#define OA_DEVEX_HANDLER "openapi-devex"

const glue_devex_conf *glue_devex_conf_of(request_rec *r)
{
    static const glue_devex_conf off = {0}; /* no API here: nothing of this is on */
    const glue_dir_conf *conf = ap_get_module_config(r->per_dir_config, &openapi_module);
    return conf && conf->api ? &conf->api->devex_conf : &off;
}

/* ---- directives ---- */

static const char *in_context(cmd_parms *cmd)
{
    return ap_check_cmd_context(cmd, NOT_IN_DIRECTORY | NOT_IN_FILES);
}

const char *glue_devex_set_flag(cmd_parms *cmd, void *dir_conf, int on)
{
    const char *error = in_context(cmd);
    if (!error)
        *(int *)((char *)dir_conf + (apr_size_t)cmd->info) = on ? 1 : 0;
    return error;
}

const char *glue_devex_set_dir(cmd_parms *cmd, void *dir_conf, const char *dir)
{
    glue_dir_conf *conf = dir_conf;
    const char *error = in_context(cmd);
    apr_finfo_t info;
    if (error)
        return error;
    conf->devex.swagger_ui_dir = ap_server_root_relative(cmd->pool, dir);
    if (!conf->devex.swagger_ui_dir ||
        apr_stat(&info, conf->devex.swagger_ui_dir, APR_FINFO_TYPE, cmd->temp_pool) !=
            APR_SUCCESS ||
        info.filetype != APR_DIR)
        return apr_psprintf(cmd->pool, "OpenAPISwaggerUIDir: '%s' is not a directory", dir);
    return NULL;
}

/* VALUE is kept as JSON text: itself when it parses as JSON, else as a JSON string. */
const char *glue_devex_set_ui_option(cmd_parms *cmd, void *dir_conf, const char *name,
                                     const char *value)
{
    apr_table_t **table = (apr_table_t **)((char *)dir_conf + (apr_size_t)cmd->info);
    const char *error = in_context(cmd);
    json_t *parsed;
    char *text;
    if (error)
        return error;
    if (!*name || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
                      != strlen(name))
        return apr_psprintf(cmd->pool, "%s: '%s' is not an option name", cmd->cmd->name, name);
    parsed = json_loads(value, JSON_DECODE_ANY, NULL);
    if (!parsed)
        parsed = json_string(value);
    if (!parsed)
        return apr_psprintf(cmd->pool, "%s %s: the value is not UTF-8", cmd->cmd->name, name);
    /* ensure_ascii keeps "</script>"-like text harmless inside the generated JS */
    text = json_dumps(parsed, JSON_ENCODE_ANY | JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(parsed);
    if (!*table)
        *table = apr_table_make(cmd->pool, 4);
    apr_table_set(*table, name, text);
    free(text);
    return NULL;
}

static int valid_origin(const char *origin)
{
    const char *host;
    if (strcmp(origin, "*") == 0 || strcmp(origin, "null") == 0)
        return 1;
    if (strncmp(origin, "http://", 7) == 0)
        host = origin + 7;
    else if (strncmp(origin, "https://", 8) == 0)
        host = origin + 8;
    else
        return 0;
    return *host && strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789.-:[]") == strlen(host);
}

static int valid_token(const char *name)
{
    return *name && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "0123456789!#$%&'*+-.^_`|~") == strlen(name);
}

/* Lists accumulate within a section; "OpenAPICORS off" turns an inherited list off. */
const char *glue_devex_add_list(cmd_parms *cmd, void *dir_conf, const char *value)
{
    apr_array_header_t **list =
        (apr_array_header_t **)((char *)dir_conf + (apr_size_t)cmd->info);
    int origins = (apr_size_t)cmd->info == APR_OFFSETOF(glue_dir_conf, devex.cors_origins);
    const char *error = in_context(cmd);
    if (error)
        return error;
    if (!*list)
        *list = apr_array_make(cmd->pool, 2, sizeof(const char *));
    if (origins && strcasecmp(value, "off") == 0)
        return (*list)->nelts ? "OpenAPICORS: off cannot be mixed with origins" : NULL;
    if (origins ? !valid_origin(value) : !valid_token(value))
        return apr_psprintf(cmd->pool, origins ? "%s: '%s' is not an origin "
                            "(scheme://host[:port], *, or off)"
                            : "%s: '%s' is not a header name", cmd->cmd->name, value);
    if (origins && strncasecmp(cmd->directive->args, "off", 3) == 0 &&
        (cmd->directive->args[3] == ' ' || cmd->directive->args[3] == '\t'))
        return "OpenAPICORS: off cannot be mixed with origins";
    APR_ARRAY_PUSH(*list, const char *) = apr_pstrdup(cmd->pool, value);
    return NULL;
}

const char *glue_devex_set_max_age(cmd_parms *cmd, void *dir_conf, const char *value)
{
    glue_dir_conf *conf = dir_conf;
    const char *error = in_context(cmd);
    apr_int64_t seconds;
    if (!error)
        error = glue_directive_number(cmd, value, 0, 86400, "a number of seconds from 0 to "
                                      "86400", &seconds);
    if (error)
        return error;
    conf->devex.cors_max_age = (int)seconds;
    return NULL;
}

/* ---- config time ---- */

/* The spec's own operations win over an endpoint: say so, since it is then unreachable. */
static void warn_shadowed(apr_pool_t *pool, const glue_api *api, const char *path,
                          const char *what)
{
    oa_route_match match;
    if (oa_router_match(api->spec->router, path, pool, &match) == OA_ROUTE_FOUND)
        ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_WARNING, 0, NULL,
                     OA_LOGNO(08001) "%s: the spec's path '%s' is served by its operations, "
                     "not as the %s (in %s)", api->spec->file, match.route->template, what,
                     api->where);
}

const char *glue_devex_prepare(apr_pool_t *pool, glue_api *api, const glue_devex_conf *conf)
{
    glue_devex_api *devex = apr_pcalloc(pool, sizeof(*devex));
    oa_diag *diag = oa_diag_create(pool);
    int v2 = api->spec->major == 2;
    devex->json_name = v2 ? "/swagger.json" : "/openapi.json";
    devex->yaml_name = v2 ? "/swagger.yaml" : "/openapi.yaml";
    /* made even when this section turns the endpoint off: a section inside may turn it on */
    devex->bundled = glue_spec_cache_bundle(ap_server_conf, api->spec, diag);
    if (!devex->bundled)
        return apr_psprintf(pool, "bundling the spec for {base}%s: %s", devex->json_name,
                            oa_diag_format(pool, &APR_ARRAY_IDX(diag->entries, 0,
                                                                oa_diag_entry)));
    if (conf->spec_endpoint != 0) {
        warn_shadowed(pool, api, devex->json_name, "spec endpoint");
        warn_shadowed(pool, api, devex->yaml_name, "spec endpoint");
    }
    if (conf->swagger_ui != 0) {
        warn_shadowed(pool, api, "/ui", "Swagger UI");
        warn_shadowed(pool, api, "/ui/", "Swagger UI");
    }
    api->devex = devex;
    return NULL;
}

/* ---- requests ---- */

int glue_devex_claim(request_rec *r, openapi_request *state)
{
    const glue_devex_conf *conf = glue_devex_conf_of(r);
    const glue_devex_api *devex = state->api->devex;
    const char *path = state->api_path;
    int ours;
    if (!devex)
        return DECLINED;
    if (strcmp(path, devex->json_name) == 0 || strcmp(path, devex->yaml_name) == 0)
        ours = conf->spec_endpoint != 0;
    else if (strcmp(path, "/ui") == 0 || strncmp(path, "/ui/", 4) == 0)
        ours = conf->swagger_ui != 0;
    else
        ours = 0;
    if (!ours)
        return DECLINED;
    if (r->method_number != M_GET) {
        ap_clear_method_list(r->allowed_methods);
        ap_method_list_add(r->allowed_methods, "GET");
        ap_method_list_add(r->allowed_methods, "HEAD");
        r->allowed = AP_METHOD_BIT << M_GET;
        return glue_problem(r, HTTP_METHOD_NOT_ALLOWED,
                            apr_psprintf(r->pool, "%s is not allowed on '%s' (allowed: GET, "
                                         "HEAD)", r->method, path), NULL);
    }
    r->handler = OA_DEVEX_HANDLER;
    return OK;
}

static int answer(request_rec *r)
{
    openapi_request *state;
    const char *path;
    if (r->handler && strcmp(r->handler, GLUE_CORS_PREFLIGHT_HANDLER) == 0) {
        r->status = HTTP_NO_CONTENT; /* the headers were set by glue_cors_preflight */
        return OK;
    }
    if (!r->handler || strcmp(r->handler, OA_DEVEX_HANDLER) != 0)
        return DECLINED;
    state = glue_request_state(r);
    if (!state || !state->api || !state->api->devex)
        return DECLINED;
    path = state->api_path;
    if (strcmp(path, state->api->devex->json_name) == 0)
        return glue_spec_endpoint_answer(r, state->api, 0);
    if (strcmp(path, state->api->devex->yaml_name) == 0)
        return glue_spec_endpoint_answer(r, state->api, 1);
    return glue_swagger_ui_answer(r, state->api, path[3] ? path + 4 : NULL);
}

void glue_devex_register_hooks(apr_pool_t *pool)
{
    (void)pool;
    ap_hook_handler(answer, NULL, NULL, APR_HOOK_MIDDLE);
}
