/* The request path: claim requests under an API's base path (translate_name), skip the
 * filesystem walk for them (map_to_storage), route, parse and validate (fixups), and hand
 * valid requests to response.c (handler). */
#include "mod_openapi_glue.h"

#include <http_core.h>
#include <http_log.h>
#include <http_protocol.h>
#include <http_request.h>
#include <util_script.h>
#include <apr_strings.h>

APLOG_USE_MODULE(openapi);

#define OA_HANDLER_NAME "openapi-handler"
/* httpd's METHOD_NUMBER_LAST + 1 (http_protocol.c; not in its headers) */
#define GLUE_HTTPD_MAX_METHODS 63

/* The request's state when its path is under the base path of its location's API. */
static openapi_request *claim(request_rec *r)
{
    const glue_dir_conf *conf = ap_get_module_config(r->per_dir_config, &openapi_module);
    const char *raw = r->parsed_uri.path;
    openapi_request *state;
    size_t length;

    /* Forward proxy requests are never ours; reverse-proxied ones (ProxyPass) may be. */
    if (!conf || !conf->api || !raw || (r->proxyreq && r->proxyreq != PROXYREQ_REVERSE))
        return NULL;
    length = strlen(conf->api->base_path);
    if (strncmp(raw, conf->api->base_path, length) != 0 ||
        (raw[length] != '/' && raw[length] != '\0'))
        return NULL;
    state = glue_request_state_create(r);
    state->api = conf->api;
    state->api_path = raw[length] ? raw + length : "/";
    return state;
}

static int claim_request(request_rec *r)
{
    const glue_dir_conf *conf = ap_get_module_config(r->per_dir_config, &openapi_module);
    /* A backend's request keeps its file name and filesystem walk: it is claimed in
     * fixups, after httpd (or mod_proxy, mod_alias) has mapped it. */
    if (r->proxyreq || (conf && conf->api && conf->api->dispatch == GLUE_DISPATCH_BACKEND) ||
        !claim(r))
        return DECLINED;
    /* Not a file: a name that says whose it is, for logs and other modules. */
    r->filename = apr_pstrcat(r->pool, "openapi:", r->uri, NULL);
    return OK;
}

static int skip_storage_walk(request_rec *r)
{
    openapi_request *state = glue_request_state(r);
    return state && state->api ? OK : DECLINED;
}

static void allow_route_methods(request_rec *r, const oa_route *route)
{
    const apr_array_header_t *names = oa_route_methods(route, r->pool);
    int i;
    ap_clear_method_list(r->allowed_methods);
    r->allowed = 0;
    for (i = 0; i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);
        int number = ap_method_number_of(name);
        ap_method_list_add(r->allowed_methods, name);
        if (number != M_INVALID)
            r->allowed |= (AP_METHOD_BIT << number);
    }
}

static int too_large(request_rec *r, apr_off_t limit)
{
    /* The rest of the body is not read: close the connection after the answer. */
    r->connection->keepalive = AP_CONN_CLOSE;
    return glue_problem(r, HTTP_REQUEST_ENTITY_TOO_LARGE,
                      apr_psprintf(r->pool, "the request body is larger than the %" APR_OFF_T_FMT
                                   " bytes this API accepts", limit),
                      NULL);
}

/* The problem for a request that does not fit the spec: detail names the first violation,
 * `errors` lists them ({in, name or pointer, message}) up to OpenAPIMaxErrors, and
 * `errors_omitted` counts the rest. */
static int invalid_request(request_rec *r, const openapi_request *state,
                           const oa_request_result *result)
{
    json_t *errors = json_array();
    json_t *extra;
    const char *first = NULL;
    int i;
    for (i = 0; i < result->errors->nelts; i++) {
        const oa_request_error *e = &APR_ARRAY_IDX(result->errors, i, oa_request_error);
        json_t *item = json_object();
        const char *where;
        json_object_set_new(item, "in", json_string(e->in));
        if (e->name)
            json_object_set_new(item, "name", json_string(e->name));
        if (e->pointer && *e->pointer)
            json_object_set_new(item, "pointer", json_string(e->pointer));
        json_object_set_new(item, "message", json_string(e->message));
        if (e->schema_location)
            json_object_set_new(item, "schemaLocation", json_string(e->schema_location));
        json_array_append_new(errors, item);
        if (first)
            continue;
        if (e->name)
            where = apr_psprintf(r->pool, "%s parameter '%s'%s%s", e->in, e->name,
                                 e->pointer && *e->pointer ? " at " : "",
                                 e->pointer && *e->pointer ? e->pointer : "");
        else
            where = apr_psprintf(r->pool, "%s%s%s", e->in, e->pointer && *e->pointer ? " at " : "",
                                 e->pointer && *e->pointer ? e->pointer : "");
        first = apr_psprintf(r->pool, "%s: %s", where, e->message);
    }
    if (result->errors_omitted > 0)
        first = apr_psprintf(r->pool, "%s (and %ld more; only the first %d are listed)", first,
                             result->errors->nelts - 1 + result->errors_omitted,
                             result->errors->nelts);
    else if (result->errors->nelts > 1)
        first = apr_psprintf(r->pool, "%s (and %d more)", first, result->errors->nelts - 1);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, OA_LOGNO(02002) "%s %s: invalid request "
                  "(%d), %d violations, listed below", r->method, state->operation->path,
                  result->status, result->errors->nelts);
    glue_log_invalid(r, state, result);
    extra = json_pack("{s:o}", "errors", errors);
    if (result->errors_omitted > 0)
        json_object_set_new(extra, "errors_omitted", json_integer(result->errors_omitted));
    return glue_problem(r, result->status, first, extra);
}

static const char *header_lookup(void *baton, const char *name)
{
    return apr_table_get(((request_rec *)baton)->headers_in, name);
}

static void keep_uploads(request_rec *r, openapi_request *state, const apr_array_header_t *in)
{
    int i;
    state->uploads = apr_array_make(r->pool, in ? in->nelts : 0, sizeof(openapi_upload));
    for (i = 0; in && i < in->nelts; i++) {
        const oa_upload *from = &APR_ARRAY_IDX(in, i, oa_upload);
        openapi_upload *to = apr_array_push(state->uploads);
        to->field = from->field;
        to->filename = from->filename;
        to->content_type = from->content_type;
        to->data = from->data;
        to->size = from->size;
    }
}

/* Parses and validates parameters and body; the handler sees only valid requests. */
static int validate_request(request_rec *r, openapi_request *state)
{
    oa_request_input input;
    oa_request_result result;
    int status = glue_gateway_stream_body(r, state) ? OK : glue_read_body(r, state);
    if (status != OK)
        return status;
    memset(&input, 0, sizeof(input));
    input.query = r->args;
    input.match = &state->match;
    input.header = header_lookup;
    input.header_baton = r;
    input.content_type = apr_table_get(r->headers_in, "Content-Type");
    input.body = state->body;
    input.body_length = state->body_length;
    oa_request_parse(r->pool, state->api->spec, state->operation, &input,
                     &state->api->request_options, &result);
    if (state->operation->token_endpoint) {
        status = glue_token_endpoint_check(r, state, &result);
        if (status != OK)
            return status;
    }
    glue_stage_done(state, GLUE_STAGE_VALIDATION);
    if (result.status != 0 && !glue_gateway_report_request(r, state, &result))
        return invalid_request(r, state, &result);
    state->params = result.params;
    state->body_json = result.body;
    /* Connexion passes the body as an argument named by x-body-name (2.0: the body
     * parameter's name; else "body"): here it is a parameter of that name too. */
    if (result.body && state->operation->body_name &&
        !json_object_get(state->params, state->operation->body_name))
        json_object_set(state->params, state->operation->body_name, result.body);
    keep_uploads(r, state, result.uploads);
    return OK;
}

/* httpd has percent-decoded the path once already (ap_process_request_internal unescapes
 * r->parsed_uri.path in place), and the router decodes what it is given: its '%' signs are
 * escaped again so that "%2541" reaches a handler as "%41", never "A", and a route is never
 * reached by a spelling that httpd's <Location> sections did not see. */
static const char *router_path(apr_pool_t *pool, const char *decoded)
{
    size_t percents = 0;
    const char *p;
    char *out, *o;
    for (p = decoded; *p; p++)
        percents += *p == '%';
    if (!percents)
        return decoded;
    out = o = apr_palloc(pool, strlen(decoded) + 2 * percents + 1);
    for (p = decoded; *p; p++) {
        *o++ = *p;
        if (*p == '%') {
            *o++ = '2';
            *o++ = '5';
        }
    }
    *o = '\0';
    return out;
}

static int route_request(request_rec *r)
{
    openapi_request *state = glue_request_state(r);
    oa_route_match match;
    oa_route_status found;
    int status;

    /* Not claimed before: a request httpd maps itself (OpenAPIDispatch backend); never
     * again for a subrequest or an internal redirect, whose body is gone. */
    if (!state && !r->main && !r->prev)
        state = claim(r);
    if (!state || !state->api)
        return DECLINED;
    glue_cors_headers(r);
    glue_stage_start(state);
    found = oa_router_match(state->api->spec->router, router_path(r->pool, state->api_path),
                            r->pool, &match);
    if (found == OA_ROUTE_BAD_ENCODING)
        return glue_problem(r, HTTP_BAD_REQUEST, "the path has a malformed percent-escape", NULL);
    glue_stage_done(state, GLUE_STAGE_ROUTE);
    if (found == OA_ROUTE_NOT_FOUND && (status = glue_devex_claim(r, state)) != DECLINED)
        return status;
    if (found == OA_ROUTE_NOT_FOUND) {
        const char *detail = apr_psprintf(r->pool, "no operation of the API has the path '%s'",
                                          state->api_path);
        glue_log_no_match(r, state, HTTP_NOT_FOUND);
        return glue_gateway_report_route(r, state, HTTP_NOT_FOUND, detail)
                   ? DECLINED : glue_problem(r, HTTP_NOT_FOUND, detail, NULL);
    }
    if ((status = glue_cors_preflight(r, match.route)) != DECLINED)
        return status;
    /* Methods are case-sensitive (RFC 9110 section 9.1): "get" is not GET, and must not
     * reach GET's handler past httpd's <Limit GET> sections. */
    state->operation = oa_route_find(match.route, r->method);
    if (!state->operation) {
        const char *detail = apr_psprintf(r->pool, "%s is not allowed on '%s' (allowed: %s)",
                                          r->method, match.route->template,
                                          oa_route_allow(match.route, r->pool));
        glue_log_no_match(r, state, HTTP_METHOD_NOT_ALLOWED);
        if (glue_gateway_report_route(r, state, HTTP_METHOD_NOT_ALLOWED, detail))
            return DECLINED;
        allow_route_methods(r, match.route);
        return glue_problem(r, HTTP_METHOD_NOT_ALLOWED, detail, NULL);
    }
    state->match = match;
    glue_log_match(r, state);
    /* Security first: an unauthenticated client learns nothing of the schemas. */
    status = glue_security_check(r, state);
    glue_stage_done(state, GLUE_STAGE_SECURITY);
    if (status != OK)
        return status;
    status = validate_request(r, state);
    if (status == OK && !glue_gateway_pass(r, state))
        r->handler = OA_HANDLER_NAME;
    return status;
}

/* ---- the handler ---- */

/* Reads the whole body into the request pool, refusing (413) past the smaller of
 * LimitRequestBody and OpenAPIMaxBodySize without reading further. Once per request:
 * security may have read it already (a form token). */
int glue_read_body(request_rec *r, openapi_request *state)
{
    apr_off_t limit = state->api->max_body;
    apr_off_t httpd_limit = ap_get_limit_req_body(r);
    const char *declared = apr_table_get(r->headers_in, "Content-Length");
    apr_bucket_brigade *bb;
    apr_bucket_brigade *body;
    char *buffer = NULL;
    apr_size_t length = 0;
    int seen_eos = 0;
    int status;

    if (state->body_read)
        return OK;
    state->body_read = 1;
    if (httpd_limit > 0 && (limit == 0 || httpd_limit < limit))
        limit = httpd_limit;
    if (limit > 0 && declared && apr_atoi64(declared) > limit)
        return too_large(r, limit);
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
        if (rv != APR_SUCCESS) {
            status = ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
            return status == HTTP_REQUEST_ENTITY_TOO_LARGE ? too_large(r, limit) : status;
        }
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
            if (limit > 0 && (apr_off_t)(length + n) > limit)
                return too_large(r, limit);
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
    /* A terminating NUL for parsers that want one; the length stays exact. */
    state->body = apr_pstrmemdup(r->pool, buffer, length);
    state->body_length = length;
    return OK;
}

static int call_handler(request_rec *r)
{
    openapi_request *state;
    if (!r->handler || strcmp(r->handler, OA_HANDLER_NAME) != 0)
        return DECLINED;
    state = glue_request_state(r);
    if (!state || !state->operation)
        return DECLINED;
    return glue_answer(r, state);
}

/* Methods a spec may name that httpd does not know (OpenAPI 3.2's QUERY) are registered,
 * as mod_dav registers its own, so that requests with them get a method number. */
static void register_fixed_methods(apr_pool_t *pconf)
{
    int m;
    for (m = 0; m < OA_METHOD_COUNT; m++)
        if (ap_method_number_of(oa_method_name((oa_method)m)) == M_INVALID)
            ap_method_register(pconf, oa_method_name((oa_method)m));
}

static int register_methods(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                            server_rec *s)
{
    (void)plog;
    (void)ptemp;
    (void)s;
    register_fixed_methods(pconf);
    return OK;
}

const char *glue_register_spec_methods(apr_pool_t *pconf, const oa_spec *spec)
{
    int i;
    /* the fixed ones first: a spec's many extensions must not leave QUERY without one */
    register_fixed_methods(pconf);
    for (i = 0; i < spec->operations->nelts; i++) {
        const oa_operation *op = APR_ARRAY_IDX(spec->operations, i, const oa_operation *);
        const char *method = oa_operation_method(op);
        if (ap_method_number_of(method) != M_INVALID)
            continue;
        /* httpd keeps the name it is given (a copy in pconf, which its registry lives in);
         * it numbers methods in a 64-bit mask: past its last number, registering fails
         * (and httpd logs AH01610) */
        if (ap_method_register(pconf, apr_pstrdup(pconf, method)) == M_INVALID)
            return apr_psprintf(pconf, "%s:%d:%d: %s %s: httpd cannot register the method "
                                "'%s': its method numbers are all taken (it numbers %d "
                                "methods at most, its own and those modules register); "
                                "serve fewer additionalOperations methods",
                                op->position.file, op->position.line, op->position.column,
                                method, op->path, method, GLUE_HTTPD_MAX_METHODS);
    }
    return NULL;
}

void glue_register_request_hooks(apr_pool_t *pool)
{
    (void)pool;
    ap_hook_post_config(register_methods, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_translate_name(claim_request, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(skip_storage_walk, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_fixups(route_request, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_handler(call_handler, NULL, NULL, APR_HOOK_MIDDLE);
}
