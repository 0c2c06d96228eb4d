/* CORS (Fetch standard): an allowed Origin gets Access-Control-Allow-Origin (and
 * -Credentials, -Expose-Headers) on every answer of the API, errors included, since they
 * are set in err_headers_out; a preflight is answered 204 from the methods the spec has for
 * the path, before security, so a browser never sees 401 or 405 for one. A disallowed
 * origin gets no CORS header and the browser keeps the answer from the page. */
#include "mod_openapi_glue.h"

#include <http_core.h>
#include <http_protocol.h>
#include <apr_strings.h>

/* The origin to echo, or NULL when CORS is off or the origin is not allowed. */
static const char *allowed_origin(request_rec *r, const glue_devex_conf *conf)
{
    const char *origin = apr_table_get(r->headers_in, "Origin");
    int i;
    if (!origin || !conf->cors_origins)
        return NULL;
    for (i = 0; i < conf->cors_origins->nelts; i++) {
        const char *allowed = APR_ARRAY_IDX(conf->cors_origins, i, const char *);
        if (strcmp(allowed, "*") == 0)
            /* "*" cannot go with credentials: then the origin itself is named */
            return conf->cors_credentials == 1 ? origin : "*";
        if (strcasecmp(allowed, origin) == 0)
            return origin;
    }
    return NULL;
}

static const char *joined(apr_pool_t *pool, const apr_array_header_t *list)
{
    return list && list->nelts ? apr_array_pstrcat(pool, list, ',') : NULL;
}

void glue_cors_headers(request_rec *r)
{
    const glue_devex_conf *conf = glue_devex_conf_of(r);
    const char *origin;
    const char *expose;
    if (!conf->cors_origins || !conf->cors_origins->nelts)
        return;
    /* the answer depends on Origin for caches, even when it is refused */
    apr_table_mergen(r->err_headers_out, "Vary", "Origin");
    origin = allowed_origin(r, conf);
    if (!origin)
        return;
    apr_table_setn(r->err_headers_out, "Access-Control-Allow-Origin", origin);
    if (conf->cors_credentials == 1)
        apr_table_setn(r->err_headers_out, "Access-Control-Allow-Credentials", "true");
    expose = joined(r->pool, conf->cors_expose);
    if (expose)
        apr_table_setn(r->err_headers_out, "Access-Control-Expose-Headers", expose);
}

static int valid_header_list(const char *list)
{
    return strspn(list, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                        "!#$%&'*+-.^_`|~, ") == strlen(list);
}

int glue_cors_preflight(request_rec *r, const oa_route *route)
{
    const glue_devex_conf *conf = glue_devex_conf_of(r);
    const char *requested = apr_table_get(r->headers_in, "Access-Control-Request-Method");
    const char *headers = apr_table_get(r->headers_in, "Access-Control-Request-Headers");
    const char *allow_headers;
    if (r->method_number != M_OPTIONS || !requested ||
        !apr_table_get(r->headers_in, "Origin") || !conf->cors_origins ||
        !conf->cors_origins->nelts)
        return DECLINED;
    if (allowed_origin(r, conf)) {
        apr_table_setn(r->err_headers_out, "Access-Control-Allow-Methods",
                       oa_route_allow(route, r->pool));
        allow_headers = joined(r->pool, conf->cors_allow_headers);
        if (!allow_headers && headers && valid_header_list(headers))
            allow_headers = headers;
        if (allow_headers)
            apr_table_setn(r->err_headers_out, "Access-Control-Allow-Headers", allow_headers);
        apr_table_setn(r->err_headers_out, "Access-Control-Max-Age",
                       apr_itoa(r->pool, conf->cors_max_age));
    }
    r->handler = GLUE_CORS_PREFLIGHT_HANDLER;
    return OK;
}
