/* {base}/openapi.json and .yaml (2.0: swagger.json and .yaml): the spec as loaded, bundled
 * into one document at config time, with servers (3.x) or host/basePath/schemes (2.0)
 * rewritten per request to where the client reaches it. ETag and 304. */
#include "mod_openapi_glue.h"

#include <http_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <util_md5.h>
#include <apr_strings.h>

#include "doc/oa_yaml_emit.h"

static int only_of(const char *text, const char *allowed)
{
    return text && *text && strspn(text, allowed) == strlen(text);
}

#define HOST_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:[]"
#define PATH_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/%"

/* The first element's value of a parameter in an RFC 7239 Forwarded header, unquoted. */
static const char *forwarded_param(apr_pool_t *pool, const char *header, const char *name)
{
    size_t n = strlen(name);
    const char *p = header;
    while (p && *p && *p != ',') {
        const char *end;
        while (*p == ' ' || *p == ';' || *p == '\t')
            p++;
        end = p + strcspn(p, ";,");
        if (strncasecmp(p, name, n) == 0 && p[n] == '=') {
            const char *value = p + n + 1;
            size_t length = (size_t)(end - value);
            if (length >= 2 && value[0] == '"' && value[length - 1] == '"') {
                value++;
                length -= 2;
            }
            return apr_pstrmemdup(pool, value, length);
        }
        p = end;
    }
    return NULL;
}

/* The first value of a comma-separated X-Forwarded-* header, trimmed. */
static const char *first_value(apr_pool_t *pool, const char *header)
{
    size_t length;
    if (!header)
        return NULL;
    while (*header == ' ' || *header == '\t')
        header++;
    length = strcspn(header, ", \t");
    return length ? apr_pstrmemdup(pool, header, length) : NULL;
}

void glue_public_origin(request_rec *r, const char **origin, const char **prefix)
{
    const glue_devex_conf *conf = glue_devex_conf_of(r);
    const char *scheme = ap_http_scheme(r);
    const char *host = apr_table_get(r->headers_in, "Host");
    const char *path_prefix = "";
    if (conf->trust_proxy == 1) {
        const char *forwarded = apr_table_get(r->headers_in, "Forwarded");
        const char *proto = forwarded ? forwarded_param(r->pool, forwarded, "proto")
                                      : first_value(r->pool, apr_table_get(r->headers_in,
                                                                           "X-Forwarded-Proto"));
        const char *fhost = forwarded ? forwarded_param(r->pool, forwarded, "host")
                                      : first_value(r->pool, apr_table_get(r->headers_in,
                                                                           "X-Forwarded-Host"));
        const char *fprefix = first_value(r->pool, apr_table_get(r->headers_in,
                                                                 "X-Forwarded-Prefix"));
        /* values that could not be a scheme, host or path are ignored, not echoed */
        if (proto && (strcasecmp(proto, "http") == 0 || strcasecmp(proto, "https") == 0))
            scheme = apr_pstrdup(r->pool, proto);
        if (only_of(fhost, HOST_CHARS))
            host = fhost;
        if (fprefix && fprefix[0] == '/' && only_of(fprefix, PATH_CHARS)) {
            size_t length = strlen(fprefix);
            while (length > 0 && fprefix[length - 1] == '/')
                length--;
            path_prefix = apr_pstrmemdup(r->pool, fprefix, length);
        }
    }
    if (!only_of(host, HOST_CHARS)) {
        apr_port_t port = ap_get_server_port(r);
        host = ap_is_default_port(port, r)
                   ? ap_get_server_name_for_url(r)
                   : apr_psprintf(r->pool, "%s:%u", ap_get_server_name_for_url(r), port);
    }
    *origin = apr_psprintf(r->pool, "%s://%s", scheme, host);
    *prefix = path_prefix;
}

/* A shallow copy of the bundled spec with the served address filled in. */
static json_t *served_spec(request_rec *r, const glue_api *api)
{
    json_t *spec = json_copy(api->devex->bundled);
    const char *origin;
    const char *prefix;
    const char *path;
    glue_public_origin(r, &origin, &prefix);
    path = apr_pstrcat(r->pool, prefix, api->base_path, NULL);
    if (api->spec->major == 2) {
        const char *host = strstr(origin, "://") + 3;
        json_object_set_new(spec, "host", json_string(host));
        json_object_set_new(spec, "basePath", json_string(*path ? path : "/"));
        json_object_set_new(spec, "schemes",
                            json_pack("[s#]", origin, (int)(host - 3 - origin)));
    }
    else {
        json_t *servers = json_object_get(spec, "servers");
        json_t *first = json_array_get(servers, 0);
        json_t *server = json_pack("{s:s}", "url", apr_pstrcat(r->pool, origin, path, NULL));
        if (json_is_string(json_object_get(first, "description")))
            json_object_set(server, "description", json_object_get(first, "description"));
        json_object_set_new(spec, "servers", json_pack("[o]", server));
    }
    return spec;
}

int glue_spec_endpoint_answer(request_rec *r, const glue_api *api, int yaml)
{
    json_t *spec = served_spec(r, api);
    const char *body;
    apr_size_t length = 0;
    int status;
    if (yaml) {
        body = oa_yaml_emit(r->pool, spec, &length);
    }
    else {
        char *text = json_dumps(spec, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        body = text ? apr_pstrdup(r->pool, text) : NULL;
        length = text ? strlen(text) : 0;
        free(text);
    }
    json_decref(spec);
    if (!body)
        return HTTP_INTERNAL_SERVER_ERROR;
    /* The body depends on Host and, when trusted, on the proxy's headers. */
    apr_table_mergen(r->headers_out, "Vary", glue_devex_conf_of(r)->trust_proxy == 1
                     ? "Host, Forwarded, X-Forwarded-Proto, X-Forwarded-Host, X-Forwarded-Prefix"
                     : "Host");
    apr_table_setn(r->headers_out, "ETag",
                   apr_pstrcat(r->pool, "\"", ap_md5_binary(r->pool, (const unsigned char *)body,
                                                            (int)length), "\"", NULL));
    apr_table_setn(r->headers_out, "Cache-Control", "no-cache");
    status = ap_meets_conditions(r);
    if (status != OK)
        return status;
    ap_set_content_type(r, yaml ? "application/yaml"
                                : "application/json");
    ap_set_content_length(r, (apr_off_t)length);
    if (!r->header_only)
        ap_rwrite(body, (int)length, r);
    return OK;
}
