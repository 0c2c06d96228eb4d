/* The request path: claim requests under an API's base path (translate_name), skip the
 * filesystem walk for them (map_to_storage), route and collect parameters (fixups), and
 * call the operation's handler (handler). */
#include "glue.h"

#include <http_core.h>
#include <http_log.h>
#include <http_protocol.h>
#include <http_request.h>
#include <util_script.h>
#include <apr_strings.h>

#include "oa_cast.h"
#include "oa_json.h"

APLOG_USE_MODULE(openapi);

#define OA_HANDLER_NAME "openapi-handler"

/* Bodies larger than this are refused (413) unless LimitRequestBody says otherwise. */
#define OA_DEFAULT_BODY_LIMIT (10 * 1024 * 1024)

static int claim_request(request_rec *r)
{
    const oa_dir_conf *conf = ap_get_module_config(r->per_dir_config, &openapi_module);
    const char *raw = r->parsed_uri.path;
    openapi_request *state;
    size_t length;

    if (!conf || !conf->api || !raw || r->proxyreq)
        return DECLINED;
    length = strlen(conf->api->base_path);
    if (strncmp(raw, conf->api->base_path, length) != 0 ||
        (raw[length] != '/' && raw[length] != '\0'))
        return DECLINED;
    state = oa_request_state(r);
    if (!state) {
        state = apr_pcalloc(r->pool, sizeof(*state));
        state->r = r;
        ap_set_module_config(r->request_config, &openapi_module, state);
    }
    state->api = conf->api;
    state->api_path = raw[length] ? raw + length : "/";
    /* Not a file: a name that says whose it is, for logs and other modules. */
    r->filename = apr_pstrcat(r->pool, "openapi:", r->uri, NULL);
    return OK;
}

static int skip_storage_walk(request_rec *r)
{
    openapi_request *state = oa_request_state(r);
    return state && state->api ? OK : DECLINED;
}

static void allow_route_methods(request_rec *r, const oa_route *route)
{
    int m;
    ap_clear_method_list(r->allowed_methods);
    r->allowed = 0;
    for (m = 0; m < OA_METHOD_COUNT; m++) {
        if (oa_route_operation(route, (oa_method)m)) {
            const char *name = oa_method_name((oa_method)m);
            ap_method_list_add(r->allowed_methods, name);
            r->allowed |= (AP_METHOD_BIT << ap_method_number_of(name));
        }
    }
}

static int bad_parameter(request_rec *r, const oa_parameter *param, const char *detail)
{
    json_t *errors = json_pack("[{s:s, s:s, s:s}]", "in", oa_param_location_name(param->in),
                               "name", param->name, "message", detail);
    return oa_problem(r, HTTP_BAD_REQUEST,
                      apr_psprintf(r->pool, "%s parameter '%s': %s",
                                   oa_param_location_name(param->in), param->name, detail),
                      json_pack("{s:o}", "errors", errors));
}

/* The last value of a query parameter (OpenAPI 3's parser: the right-most one wins). */
static const char *query_value(request_rec *r, const char *name)
{
    const char *p = r->args;
    const char *found = NULL;
    size_t name_length = strlen(name);
    while (p && *p) {
        size_t n = strcspn(p, "&");
        const char *eq = memchr(p, '=', n);
        size_t key_length = eq ? (size_t)(eq - p) : n;
        char *key = apr_pstrmemdup(r->pool, p, key_length);
        ap_unescape_urlencoded(key);
        if (strlen(key) == name_length && memcmp(key, name, name_length) == 0) {
            char *value = eq ? apr_pstrmemdup(r->pool, eq + 1, n - key_length - 1) : "";
            if (ap_unescape_urlencoded(value) == OK)
                found = value;
        }
        p += n;
        if (*p == '&')
            p++;
    }
    return found;
}

/* Collects declared path and query parameters, cast to their schema types. */
static int collect_parameters(request_rec *r, openapi_request *state,
                              const oa_route_match *match)
{
    const apr_array_header_t *params = state->operation->parameters;
    int i;
    state->params = oa_json_bind(r->pool, json_object());
    for (i = 0; i < params->nelts; i++) {
        const oa_parameter *param = APR_ARRAY_IDX(params, i, oa_parameter *);
        const char *text = NULL;
        const char *expected = NULL;
        json_t *value;
        if (param->in == OA_IN_PATH)
            text = oa_route_match_value(match, param->name);
        else if (param->in == OA_IN_QUERY)
            text = query_value(r, param->name);
        else if (param->in == OA_IN_HEADER)
            text = apr_table_get(r->headers_in, param->name);
        else
            continue;
        if (!text) {
            const json_t *fallback = json_object_get(param->resolved_schema, "default");
            if (param->required)
                return bad_parameter(r, param, "is required");
            if (fallback)
                json_object_set(state->params, param->handler_name, (json_t *)fallback);
            continue;
        }
        value = oa_cast_value(text, param->resolved_schema, &expected);
        if (!value)
            return bad_parameter(r, param,
                                 apr_psprintf(r->pool, "'%s' is not of type '%s'", text,
                                              expected));
        json_object_set_new(state->params, param->handler_name, value);
    }
    return OK;
}

static int route_request(request_rec *r)
{
    openapi_request *state = oa_request_state(r);
    oa_route_match match;
    oa_route_status found;
    oa_method method;

    if (!state || !state->api)
        return DECLINED;
    found = oa_router_match(state->api->spec->router, state->api_path, r->pool, &match);
    if (found == OA_ROUTE_BAD_ENCODING)
        return oa_problem(r, HTTP_BAD_REQUEST, "the path has a malformed percent-escape", NULL);
    if (found == OA_ROUTE_NOT_FOUND)
        return oa_problem(r, HTTP_NOT_FOUND,
                          apr_psprintf(r->pool, "no operation of the API has the path '%s'",
                                       state->api_path),
                          NULL);
    method = oa_method_from_name(r->method);
    state->operation = oa_route_operation(match.route, method);
    if (!state->operation) {
        allow_route_methods(r, match.route);
        return oa_problem(r, HTTP_METHOD_NOT_ALLOWED,
                          apr_psprintf(r->pool, "%s is not allowed on '%s' (allowed: %s)",
                                       r->method, match.route->template,
                                       oa_route_allow(match.route, r->pool)),
                          NULL);
    }
    {
        int status = collect_parameters(r, state, &match);
        if (status != OK)
            return status;
    }
    r->handler = OA_HANDLER_NAME;
    return OK;
}

/* ---- the handler ---- */

static int is_json_media_type(const char *type)
{
    size_t n;
    if (!type)
        return 0;
    n = strcspn(type, ";");
    while (n > 0 && (type[n - 1] == ' ' || type[n - 1] == '\t'))
        n--;
    return (n == 16 && strncasecmp(type, "application/json", 16) == 0) ||
           (n > 5 && strncasecmp(type + n - 5, "+json", 5) == 0);
}

static int read_body(request_rec *r, openapi_request *state)
{
    apr_off_t limit = ap_get_limit_req_body(r);
    apr_bucket_brigade *bb;
    apr_bucket_brigade *body;
    char *buffer = NULL;
    apr_size_t length = 0;
    int seen_eos = 0;
    int status;

    if (limit <= 0)
        limit = OA_DEFAULT_BODY_LIMIT;
    status = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK);
    if (status != OK)
        return status;
    if (!ap_should_client_block(r))
        return OK;
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    body = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    while (!seen_eos) {
        apr_bucket *b;
        apr_status_t rv = ap_get_brigade(r->input_filters, bb, AP_MODE_READBYTES,
                                         APR_BLOCK_READ, 8192);
        if (rv != APR_SUCCESS)
            return ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
        while (!APR_BRIGADE_EMPTY(bb)) {
            const char *data;
            apr_size_t n;
            b = APR_BRIGADE_FIRST(bb);
            if (APR_BUCKET_IS_EOS(b)) {
                seen_eos = 1;
                apr_bucket_delete(b);
                continue;
            }
            if (apr_bucket_read(b, &data, &n, APR_BLOCK_READ) != APR_SUCCESS)
                return HTTP_BAD_REQUEST;
            if ((apr_off_t)(length + n) > limit)
                return oa_problem(r, HTTP_REQUEST_ENTITY_TOO_LARGE,
                                  apr_psprintf(r->pool, "the body is larger than %" APR_OFF_T_FMT
                                               " bytes", limit),
                                  NULL);
            length += n;
            APR_BUCKET_REMOVE(b);
            if (apr_bucket_setaside(b, r->pool) != APR_SUCCESS)
                return HTTP_INTERNAL_SERVER_ERROR;
            APR_BRIGADE_INSERT_TAIL(body, b);
        }
    }
    if (length == 0)
        return OK;
    if (apr_brigade_pflatten(body, &buffer, &length, r->pool) != APR_SUCCESS)
        return HTTP_INTERNAL_SERVER_ERROR;
    apr_brigade_destroy(body);
    /* Room for a terminating NUL is not guaranteed by pflatten: copy once with one. */
    buffer = apr_pstrmemdup(r->pool, buffer, length);
    state->body = buffer;
    state->body_length = length;
    if (is_json_media_type(apr_table_get(r->headers_in, "Content-Type"))) {
        json_error_t error;
        state->body_json = json_loadb(buffer, length, 0, &error);
        if (!state->body_json)
            return oa_problem(r, HTTP_BAD_REQUEST,
                              apr_psprintf(r->pool, "the body is not valid JSON: %s at line "
                                           "%d, column %d", error.text, error.line,
                                           error.column),
                              NULL);
        oa_json_bind(r->pool, state->body_json);
    }
    return OK;
}

static int send_response(request_rec *r, const openapi_response *res)
{
    const apr_array_header_t *headers = apr_table_elts(res->headers);
    const apr_table_entry_t *entry = (const apr_table_entry_t *)headers->elts;
    apr_bucket_brigade *bb;
    int i;

    r->status = res->status;
    for (i = 0; i < headers->nelts; i++)
        apr_table_add(r->headers_out, entry[i].key, entry[i].val);
    if (res->status == HTTP_NO_CONTENT || res->status == HTTP_NOT_MODIFIED)
        return OK;
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    if (res->json) {
        char *text = json_dumps(res->json, JSON_COMPACT | JSON_PRESERVE_ORDER);
        size_t length;
        if (!text)
            return HTTP_INTERNAL_SERVER_ERROR;
        length = strlen(text);
        ap_set_content_type(r, res->content_type ? res->content_type : "application/json");
        ap_set_content_length(r, length);
        /* jansson allocated it with malloc: the bucket frees it once sent. */
        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_heap_create(text, length, free,
                                                           r->connection->bucket_alloc));
    }
    else if (res->body) {
        ap_set_content_type(r, res->content_type ? res->content_type
                                                 : "application/octet-stream");
        ap_set_content_length(r, res->body_length);
        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_pool_create(res->body, res->body_length, r->pool,
                                                           r->connection->bucket_alloc));
    }
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(r->connection->bucket_alloc));
    return ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS ? OK : AP_FILTER_ERROR;
}

static apr_status_t release_response_json(void *data)
{
    openapi_response *res = data;
    json_decref(res->json);
    return APR_SUCCESS;
}

static int call_handler(request_rec *r)
{
    openapi_request *state;
    openapi_response *res;
    openapi_handler_fn handler;
    int status;

    if (!r->handler || strcmp(r->handler, OA_HANDLER_NAME) != 0)
        return DECLINED;
    state = oa_request_state(r);
    if (!state || !state->operation)
        return DECLINED;
    status = read_body(r, state);
    if (status != OK)
        return status;
    handler = state->api->handlers[state->operation->index];
    res = apr_pcalloc(r->pool, sizeof(*res));
    res->status = HTTP_OK;
    res->headers = apr_table_make(r->pool, 4);
    apr_pool_cleanup_register(r->pool, res, release_response_json, apr_pool_cleanup_null);
    if (handler(state, res) != OPENAPI_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      OA_LOGNO(02001) "handler of %s %s (operationId %s) failed",
                      r->method, state->operation->path, state->operation->operation_id);
        return oa_problem(r, HTTP_INTERNAL_SERVER_ERROR, "the operation's handler failed",
                          NULL);
    }
    return send_response(r, res);
}

void oa_register_request_hooks(apr_pool_t *pool)
{
    (void)pool;
    ap_hook_translate_name(claim_request, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(skip_storage_walk, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_fixups(route_request, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(call_handler, NULL, NULL, APR_HOOK_MIDDLE);
}
