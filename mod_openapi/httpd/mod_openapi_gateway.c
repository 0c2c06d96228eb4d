/* Gateway mode (OpenAPIDispatch backend): requests routed, authenticated and validated as
 * for plugins are then left to the handler httpd would use anyway (ProxyPass, CGI, files,
 * another module). Here: which operations go to the backend, which bodies are left in the
 * connection for it, report mode for requests, and what the backend is told (identity
 * headers and environment variables, client-sent copies removed first). The body replay
 * is mod_openapi_body_replay.c, the response check mod_openapi_response_filter.c. */
#include "mod_openapi_glue.h"

#include <http_log.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <strings.h>

#include "request/oa_body.h"
#include "response/oa_negotiate.h"
#include "util/oa_media_type.h"

APLOG_USE_MODULE(openapi);

/* The longest X-OpenAPI-Violations value: proxies refuse long header lines. */
#define VIOLATIONS_HEADER_MAX 4096

/* The operation's x-openapi-dispatch: "plugin", "backend", or NULL when not given. */
static const char *operation_dispatch(const oa_operation *op)
{
    json_t *value = op->node ? json_object_get(op->node, "x-openapi-dispatch") : NULL;
    return json_is_string(value) ? json_string_value(value) : NULL;
}

int glue_gateway_handler_optional(const glue_api *api, int i)
{
    const oa_operation *op = APR_ARRAY_IDX(api->spec->operations, i, oa_operation *);
    const char *said = operation_dispatch(op);
    if (said) /* anything but "plugin": glue_gateway_prepare judges it */
        return strcasecmp(said, "plugin") != 0;
    return api->dispatch == GLUE_DISPATCH_BACKEND;
}

const char *glue_gateway_prepare(apr_pool_t *pool, glue_api *api)
{
    const apr_array_header_t *ops = api->spec->operations;
    int i;
    api->to_backend = apr_pcalloc(pool, ops->nelts + 1);
    for (i = 0; i < ops->nelts; i++) {
        const oa_operation *op = APR_ARRAY_IDX(ops, i, oa_operation *);
        json_t *node = op->node ? json_object_get(op->node, "x-openapi-dispatch") : NULL;
        const char *said = operation_dispatch(op);
        if (node && (!said || (strcasecmp(said, "plugin") != 0 &&
                               strcasecmp(said, "backend") != 0))) {
            oa_position at;
            oa_spec_position(api->spec, node, &at);
            return apr_psprintf(pool, "%s:%d:%d: %s %s: x-openapi-dispatch must be "
                                "\"plugin\" or \"backend\"", at.file, at.line, at.column,
                                oa_operation_method(op), op->path);
        }
        if (said && strcasecmp(said, "plugin") == 0 && !api->handlers[i] && !api->stub &&
            api->mock == OA_MOCK_OFF)
            return apr_psprintf(pool, "%s:%d:%d: %s %s: x-openapi-dispatch is plugin, but "
                                "no plugin function answers operationId '%s'",
                                op->position.file, op->position.line, op->position.column,
                                oa_operation_method(op), op->path,
                                op->operation_id ? op->operation_id : "(none)");
        /* By resolution: in a backend location, an operation a plugin function answers
         * stays with the plugin unless the operation says otherwise. */
        api->to_backend[i] = said ? strcasecmp(said, "backend") == 0
                                  : api->dispatch == GLUE_DISPATCH_BACKEND && !api->handlers[i];
        api->any_backend |= api->to_backend[i];
    }
    return NULL;
}

static int is_backend_request(const openapi_request *state)
{
    return state->api->to_backend && state->api->to_backend[state->operation->index];
}

/* Media types the core parses (and so must read whole); others it accepts unread. */
static int is_parsed_type(const char *type)
{
    return oa_media_type_is_json(type) ||
           strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0 ||
           strncasecmp(type, "multipart/form-data", 19) == 0 ||
           strncasecmp(type, "text/plain", 10) == 0;
}

int glue_gateway_stream_body(request_rec *r, openapi_request *state)
{
    const char *type = apr_table_get(r->headers_in, "Content-Type");
    const char *length = apr_table_get(r->headers_in, "Content-Length");
    int has_body = apr_table_get(r->headers_in, "Transfer-Encoding") ||
                   (length && apr_atoi64(length) > 0);
    if (!is_backend_request(state) || !has_body || !type || is_parsed_type(type) ||
        !oa_request_select_media(state->operation, type))
        return 0;
    /* The core only needs to know that a body of an unparsed type is there. */
    state->body = "";
    state->body_length = 1;
    state->body_streamed = 1;
    return 1;
}

/* ---- violations ---- */

void glue_gateway_list_violations(request_rec *r, apr_table_t *headers, json_t *violations)
{
    size_t size = json_array_size(violations);
    const char *value = NULL;
    char *text;
    /* Drop entries from the end until it fits (at most 50: the cores' error caps). */
    while ((text = json_dumps(violations, JSON_COMPACT | JSON_ENSURE_ASCII)) != NULL &&
           strlen(text) > VIOLATIONS_HEADER_MAX && json_array_size(violations) > 1) {
        free(text);
        json_array_remove(violations, json_array_size(violations) - 1);
    }
    if (!text)
        return;
    if (strlen(text) > VIOLATIONS_HEADER_MAX) /* one violation, too long by itself */
        value = "[{\"message\":\"too long to list here; see the error log\"}]";
    else if (json_array_size(violations) == size)
        value = apr_pstrdup(r->pool, text);
    free(text);
    if (!value) {
        json_array_append_new(violations,
                              json_pack("{s:s}", "message",
                                        apr_psprintf(r->pool, "%d more not listed",
                                                     (int)(size - json_array_size(violations)))));
        text = json_dumps(violations, JSON_COMPACT | JSON_ENSURE_ASCII);
        value = text ? apr_pstrdup(r->pool, text) : NULL;
        free(text);
    }
    if (value)
        apr_table_add(headers, "X-OpenAPI-Violations", value);
}

int glue_gateway_report_request(request_rec *r, openapi_request *state,
                                const oa_request_result *result)
{
    json_t *list;
    const oa_request_error *first;
    int i;
    /* A plugin relies on valid input: only the backend's requests are reported. */
    if (!state->api->report_only || !is_backend_request(state))
        return 0;
    list = json_array();
    for (i = 0; i < result->errors->nelts; i++) {
        const oa_request_error *e = &APR_ARRAY_IDX(result->errors, i, oa_request_error);
        json_t *item = json_pack("{s:s, s:s}", "in", e->in, "message", e->message);
        if (e->name)
            json_object_set_new(item, "name", json_string(e->name));
        if (e->pointer && *e->pointer)
            json_object_set_new(item, "pointer", json_string(e->pointer));
        json_array_append_new(list, item);
    }
    first = &APR_ARRAY_IDX(result->errors, 0, oa_request_error);
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  OA_LOGNO(11001) "report mode: request %s %s does not fit the spec "
                  "(operationId %s): %d: %s%s%s: %s%s", r->method, r->uri,
                  state->operation->operation_id ? state->operation->operation_id : "none",
                  result->status, first->in, first->name ? " " : "",
                  first->name ? first->name : "", first->message,
                  result->errors->nelts > 1
                      ? apr_psprintf(r->pool, " (and %d more)", result->errors->nelts - 1)
                      : "");
    /* err_headers_out: a proxied backend's answer replaces headers_out. */
    glue_gateway_list_violations(r, r->err_headers_out, list);
    json_decref(list);
    return 1;
}

int glue_gateway_report_route(request_rec *r, const openapi_request *state, int status,
                              const char *detail)
{
    json_t *list;
    if (!state->api->report_only || state->api->dispatch != GLUE_DISPATCH_BACKEND)
        return 0;
    ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                  OA_LOGNO(11006) "report mode: request %s %s does not fit the spec: %d: %s",
                  r->method, r->uri, status, detail);
    list = json_pack("[{s:s, s:s}]", "in", "path", "message", detail);
    glue_gateway_list_violations(r, r->err_headers_out, list);
    json_decref(list);
    return 1;
}

/* ---- what the backend is told ---- */

/* Whether a header name begins with prefix (all of it, when whole), '-' and '_' alike:
 * CGI, PHP and WSGI read both as '_'. */
static int header_name_matches(const char *name, const char *prefix, int whole)
{
    for (; *name && *prefix; name++, prefix++) {
        char x = *name == '_' ? '-' : (char)apr_tolower(*name);
        char y = *prefix == '_' ? '-' : (char)apr_tolower(*prefix);
        if (x != y)
            return 0;
    }
    return !*prefix && (!whole || !*name);
}

/* Whether a client-sent header could pass for one of ours: a configured name, or any
 * X-OpenAPI-* (so turning a header off never opens it to clients). */
static int is_ours(const char *name, const apr_array_header_t *headers)
{
    int j;
    if (header_name_matches(name, "x-openapi-", 0))
        return 1;
    for (j = 0; j < headers->nelts; j++) {
        const char *ours = APR_ARRAY_IDX(headers, j, glue_backend_header).header;
        if (ours && header_name_matches(name, ours, 1))
            return 1;
    }
    return 0;
}

/* Removes every client-sent header a backend would take for one of ours. */
static void remove_client_copies(request_rec *r, const apr_array_header_t *headers)
{
    const apr_array_header_t *in = apr_table_elts(r->headers_in);
    const apr_table_entry_t *entry = (const apr_table_entry_t *)in->elts;
    apr_array_header_t *doomed = apr_array_make(r->pool, 2, sizeof(const char *));
    int i;
    for (i = 0; i < in->nelts; i++)
        if (entry[i].key && is_ours(entry[i].key, headers))
            APR_ARRAY_PUSH(doomed, const char *) = entry[i].key;
    for (i = 0; i < doomed->nelts; i++)
        apr_table_unset(r->headers_in, APR_ARRAY_IDX(doomed, i, const char *));
}

/* A value safe in a header line: control characters become spaces. */
static const char *header_safe(apr_pool_t *pool, const char *value)
{
    char *copy = apr_pstrdup(pool, value);
    char *c;
    for (c = copy; *c; c++)
        if (apr_iscntrl(*c))
            *c = ' ';
    return copy;
}

/* A claim of the token info as text: strings as they are, anything else as JSON. */
static const char *claim_text(apr_pool_t *pool, const json_t *info, const char *name)
{
    json_t *value = info ? json_object_get(info, name) : NULL;
    char *dumped;
    const char *text;
    if (!value || json_is_null(value))
        return NULL;
    if (json_is_string(value))
        return apr_pstrdup(pool, json_string_value(value));
    dumped = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
    text = apr_pstrdup(pool, dumped ? dumped : "");
    free(dumped);
    return text;
}

/* OPENAPI_CLAIM_<NAME>: letters and digits upper-cased, anything else '_'. */
static const char *claim_variable(apr_pool_t *pool, const char *claim)
{
    char *name = apr_pstrcat(pool, "OPENAPI_CLAIM_", claim, NULL);
    char *c;
    for (c = name + 14; *c; c++)
        *c = apr_isalnum(*c) ? (char)apr_toupper(*c) : '_';
    return name;
}

static void tell_backend(request_rec *r, const openapi_request *state)
{
    const apr_array_header_t *headers = state->api->backend_headers;
    const oa_operation *op = state->operation;
    const char *operation = op->operation_id
                                ? op->operation_id
                                : apr_pstrcat(r->pool, oa_operation_method(op), " ",
                                              op->path, NULL);
    int i;
    /* strip_client_copies has removed what the client sent under these names */
    apr_table_set(r->subprocess_env, "OPENAPI_OPERATION", operation);
    for (i = 0; i < headers->nelts; i++) {
        const glue_backend_header *h = &APR_ARRAY_IDX(headers, i, glue_backend_header);
        const char *value = NULL;
        if (strcasecmp(h->what, "user") == 0)
            value = state->user;
        else if (strcasecmp(h->what, "scopes") == 0)
            value = apr_table_get(r->subprocess_env, "OPENAPI_SCOPES");
        else if (strcasecmp(h->what, "operation") == 0)
            value = operation;
        else {
            value = claim_text(r->pool, state->token_info, h->what + 6);
            if (value)
                apr_table_set(r->subprocess_env, claim_variable(r->pool, h->what + 6), value);
        }
        if (value && h->header)
            apr_table_set(r->headers_in, h->header, header_safe(r->pool, value));
    }
}

int glue_gateway_pass(request_rec *r, openapi_request *state)
{
    if (!is_backend_request(state)) {
        /* A plugin answers: mod_proxy's handler, which runs first and looks only at these,
         * must not take the request to the backend. */
        if (r->proxyreq == PROXYREQ_REVERSE) {
            r->proxyreq = PROXYREQ_NONE;
            r->filename = apr_pstrcat(r->pool, "openapi:", r->uri, NULL);
        }
        return 0;
    }
    tell_backend(r, state);
    if (state->body && !state->body_streamed) {
        glue_body_replay_add(r, state->body, state->body_length);
        /* The body is whole now: the backend gets a plain Content-Length. */
        apr_table_unset(r->headers_in, "Transfer-Encoding");
        apr_table_set(r->headers_in, "Content-Length",
                      apr_psprintf(r->pool, "%" APR_SIZE_T_FMT, state->body_length));
    }
    if (state->api->validate_responses)
        glue_response_filter_add(r, state);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  OA_LOGNO(11002) "%s %s (operationId %s) goes to the backend (handler %s)%s",
                  r->method, state->operation->path,
                  state->operation->operation_id ? state->operation->operation_id : "none",
                  r->handler ? r->handler : "default",
                  state->body_streamed ? ", body streamed unread" : "");
    return 1;
}

/* Every request of a location that hands requests to a backend, before anything else
 * in fixups: also those the API does not claim or route (outside the base path, report
 * mode's unknown paths) and those of operations without security. */
static int strip_client_copies(request_rec *r)
{
    const glue_dir_conf *conf = ap_get_module_config(r->per_dir_config, &openapi_module);
    if (conf && conf->api && conf->api->any_backend)
        remove_client_copies(r, conf->api->backend_headers);
    return DECLINED;
}

void glue_gateway_register_hooks(apr_pool_t *pool)
{
    (void)pool;
    ap_hook_fixups(strip_client_copies, NULL, NULL, APR_HOOK_FIRST);
    glue_body_replay_register();
    glue_response_filter_register();
}
