/* The Swagger UI at {base}/ui/: swagger-ui-dist's files from OpenAPISwaggerUIDir, an
 * index page and an initializer script made here (no inline script, so the page keeps a
 * strict Content-Security-Policy), pointed at the spec endpoint. Assets are cached for a
 * year: the page names them with a version query that changes with the files. */
#include "mod_openapi_glue.h"

#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>

#define UI_CSP "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " \
               "img-src 'self' data:; connect-src 'self'; object-src 'none'; "            \
               "base-uri 'self'; form-action 'self'; frame-ancestors 'self'"
#define ASSET_CACHE "public, max-age=31536000, immutable"

static const char *ui_dir(request_rec *r)
{
    return glue_devex_conf_of(r)->swagger_ui_dir;
}

/* The version in the asset URLs: the bundle's modification time and size. */
static const char *assets_version(request_rec *r)
{
    apr_finfo_t info;
    if (apr_stat(&info, apr_pstrcat(r->pool, ui_dir(r), "/swagger-ui-bundle.js", NULL),
                 APR_FINFO_MTIME | APR_FINFO_SIZE, r->pool) != APR_SUCCESS)
        return "0";
    return apr_psprintf(r->pool, "%" APR_UINT64_T_HEX_FMT "-%" APR_UINT64_T_HEX_FMT,
                        (apr_uint64_t)info.mtime, (apr_uint64_t)info.size);
}

static int send_text(request_rec *r, const char *type, const char *text)
{
    ap_set_content_type(r, type);
    ap_set_content_length(r, (apr_off_t)strlen(text));
    apr_table_setn(r->headers_out, "Cache-Control", "no-cache");
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if (!r->header_only)
        ap_rputs(text, r);
    return OK;
}

static int index_page(request_rec *r, const glue_api *api)
{
    const char *v = assets_version(r);
    apr_table_setn(r->headers_out, "Content-Security-Policy", UI_CSP);
    return send_text(r, "text/html; charset=utf-8", apr_pstrcat(r->pool,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"UTF-8\">\n<title>",
        ap_escape_html(r->pool, api->spec->title ? api->spec->title : "API"),
        " - Swagger UI</title>\n"
        "<link rel=\"stylesheet\" href=\"swagger-ui.css?v=", v, "\">\n"
        "<link rel=\"stylesheet\" href=\"index.css?v=", v, "\">\n"
        "<link rel=\"icon\" type=\"image/png\" href=\"favicon-32x32.png?v=", v,
        "\" sizes=\"32x32\">\n</head>\n<body>\n<div id=\"swagger-ui\"></div>\n"
        "<script src=\"swagger-ui-bundle.js?v=", v, "\"></script>\n"
        "<script src=\"swagger-ui-standalone-preset.js?v=", v, "\"></script>\n"
        "<script src=\"swagger-initializer.js\"></script>\n</body>\n</html>\n", NULL));
}

typedef struct table_to_json {
    json_t *object;
} table_to_json;

static int add_option(void *baton, const char *name, const char *json_text)
{
    json_t *value = json_loads(json_text, JSON_DECODE_ANY, NULL);
    if (value)
        json_object_set_new(((table_to_json *)baton)->object, name, value);
    return 1;
}

static const char *options_json(request_rec *r, const apr_table_t *table, json_t *defaults)
{
    table_to_json out = {defaults};
    char *text;
    const char *copy;
    if (table)
        apr_table_do(add_option, &out, table, NULL);
    /* ASCII only, and "</" cannot appear: the text is also fine inside HTML */
    text = json_dumps(defaults, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH);
    json_decref(defaults);
    copy = apr_pstrdup(r->pool, text ? text : "{}");
    free(text);
    return copy;
}

/* The configuration: the spec endpoint (relative to the page, so it works behind any
 * prefix), the OAuth 2 redirect page beside it, then OpenAPISwaggerUIOption's. */
static int initializer(request_rec *r, const glue_api *api)
{
    const glue_devex_conf *conf = glue_devex_conf_of(r);
    json_t *defaults = json_pack("{s:s, s:s, s:n}", "url",
                                 apr_pstrcat(r->pool, "..", api->devex->json_name, NULL),
                                 "dom_id", "#swagger-ui", "validatorUrl");
    const char *options = options_json(r, conf->ui_options, defaults);
    const char *oauth = conf->ui_oauth ? options_json(r, conf->ui_oauth, json_object())
                                       : "null";
    return send_text(r, "text/javascript; charset=utf-8", apr_pstrcat(r->pool,
        "/* made by mod_openapi from the OpenAPISwaggerUI* directives */\n"
        "window.addEventListener('load', function () {\n"
        "  var config = ", options, ";\n"
        "  var oauth = ", oauth, ";\n"
        "  config.url = new URL(config.url, window.location.href).href;\n"
        "  config.oauth2RedirectUrl = config.oauth2RedirectUrl ||\n"
        "    new URL('oauth2-redirect.html', window.location.href).href;\n"
        "  config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset];\n"
        "  config.plugins = [SwaggerUIBundle.plugins.DownloadUrl];\n"
        "  config.layout = config.layout || 'StandaloneLayout';\n"
        "  window.ui = SwaggerUIBundle(config);\n"
        "  if (oauth) window.ui.initOAuth(oauth);\n"
        "});\n", NULL));
}

static const char *asset_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return NULL;
    if (strcmp(dot, ".js") == 0)
        return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (strcmp(dot, ".png") == 0)
        return "image/png";
    if (strcmp(dot, ".html") == 0)
        return "text/html; charset=utf-8";
    if (strcmp(dot, ".map") == 0)
        return "application/json";
    return NULL;
}

/* A file of the distribution: a plain name (no directories, no dot files). */
static int asset(request_rec *r, const char *name)
{
    const char *type = asset_type(name);
    const char *path;
    apr_file_t *file;
    apr_bucket_brigade *bb;
    int status;
    if (!type || name[0] == '.' ||
        strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
            strlen(name))
        return glue_problem(r, HTTP_NOT_FOUND, apr_psprintf(r->pool, "the Swagger UI has no "
                                                            "file '%s'", name), NULL);
    path = apr_pstrcat(r->pool, ui_dir(r), "/", name, NULL);
    if (apr_file_open(&file, path, APR_READ | APR_BINARY, 0, r->pool) != APR_SUCCESS ||
        apr_file_info_get(&r->finfo, APR_FINFO_NORM, file) != APR_SUCCESS ||
        r->finfo.filetype != APR_REG)
        return glue_problem(r, HTTP_NOT_FOUND, apr_psprintf(r->pool, "the Swagger UI has no "
                                                            "file '%s'", name), NULL);
    ap_update_mtime(r, r->finfo.mtime);
    ap_set_last_modified(r);
    ap_set_etag(r);
    /* pages are fetched by a fixed name (oauth2-redirect.html); the rest is versioned */
    apr_table_setn(r->headers_out, "Cache-Control",
                   strcmp(type, "text/html; charset=utf-8") == 0 ? "no-cache" : ASSET_CACHE);
    apr_table_setn(r->headers_out, "X-Content-Type-Options", "nosniff");
    if (strcmp(type, "text/html; charset=utf-8") == 0)
        apr_table_setn(r->headers_out, "Content-Security-Policy", UI_CSP);
    status = ap_meets_conditions(r);
    if (status != OK)
        return status;
    ap_set_content_type(r, type);
    ap_set_content_length(r, r->finfo.size);
    if (r->header_only)
        return OK;
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    apr_brigade_insert_file(bb, file, 0, r->finfo.size, r->pool);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(r->connection->bucket_alloc));
    return ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS ? OK : AP_FILTER_ERROR;
}

int glue_swagger_ui_answer(request_rec *r, const glue_api *api, const char *file)
{
    if (!file) {
        /* {base}/ui: the page's relative URLs need the trailing slash */
        apr_table_setn(r->headers_out, "Location",
                       apr_pstrcat(r->pool, r->parsed_uri.path, "/",
                                   r->args ? "?" : "", r->args ? r->args : "", NULL));
        return HTTP_MOVED_PERMANENTLY;
    }
    if (!*file || strcmp(file, "index.html") == 0)
        return index_page(r, api);
    if (strcmp(file, "swagger-initializer.js") == 0)
        return initializer(r, api);
    return asset(r, file);
}
