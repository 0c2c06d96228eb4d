/* A backend's response held to the spec (OpenAPIDispatch backend with
 * OpenAPIValidateResponses on): an output filter checks the status, the declared headers
 * and the Content-Type as the first bytes pass; a JSON body is held (up to
 * OpenAPIMaxResponseBodySize, then passed on unchecked with one log line) and validated at
 * its end. A violation becomes a 502 problem+json, or in report mode passes unchanged,
 * logged and listed in X-OpenAPI-Violations. */
#include "mod_openapi_glue.h"

#include <http_log.h>
#include <http_protocol.h>
#include <util_filter.h>
#include <apr_strings.h>

#include "response/oa_negotiate.h"
#include "util/oa_media_type.h"
#include "response/oa_response.h"
#include "util/oa_problem.h"

APLOG_USE_MODULE(openapi);

#define RESPONSE_FILTER "OPENAPI_BACKEND_RESPONSE"

typedef enum filter_stage {
    STAGE_HOLDING, /* a JSON body being collected */
    STAGE_PASSING, /* checked (or too large to check): everything passes */
    STAGE_DROPPING /* replaced by a 502: the backend's bytes are discarded */
} filter_stage;

typedef struct response_check {
    openapi_request *state;
    filter_stage stage;
    apr_bucket_brigade *held;
    apr_off_t held_bytes;
} response_check;

static const char *header_lookup(void *baton, const char *name)
{
    request_rec *r = baton;
    const char *value = apr_table_get(r->headers_out, name);
    return value ? value : apr_table_get(r->err_headers_out, name);
}

static int sends_body(const request_rec *r)
{
    const char *length = apr_table_get(r->headers_out, "Content-Length");
    return !r->header_only && r->status != HTTP_NO_CONTENT &&
           r->status != HTTP_NOT_MODIFIED && !(length && apr_atoi64(length) == 0);
}

/* Validates what was sent (body: the parsed JSON, or NULL); NULL when it fits, else the
 * violations as a JSON array (a new reference) and a one-line summary. */
static json_t *violations_of(request_rec *r, const openapi_request *state, const json_t *body,
                             const char *extra, const char **summary)
{
    oa_response_output output;
    apr_array_header_t *errors;
    json_t *list;
    int i;
    output.status = r->status;
    output.content_type = r->content_type;
    output.body = body;
    output.raw = NULL; /* a backend's stream is not held: its items pass unchecked */
    output.raw_length = 0;
    output.has_body = sends_body(r);
    output.header = header_lookup;
    output.header_baton = r;
    if (oa_response_validate(r->pool, state->operation, &output, 20, &errors) && !extra)
        return NULL;
    list = json_array();
    *summary = NULL;
    if (extra) {
        json_array_append_new(list, json_pack("{s:s, s:s}", "in", "body", "message", extra));
        *summary = apr_pstrcat(r->pool, "body: ", extra, NULL);
    }
    for (i = 0; i < errors->nelts; i++) {
        const oa_response_error *e = &APR_ARRAY_IDX(errors, i, oa_response_error);
        json_t *item = json_pack("{s:s, s:s}", "in", e->part, "message", e->message);
        if (e->name)
            json_object_set_new(item, "name", json_string(e->name));
        if (e->pointer && *e->pointer)
            json_object_set_new(item, "pointer", json_string(e->pointer));
        json_array_append_new(list, item);
        if (!*summary)
            *summary = apr_psprintf(r->pool, "%s%s%s%s%s: %s", e->part, e->name ? " " : "",
                                    e->name ? e->name : "", *e->pointer ? " at " : "",
                                    e->pointer, e->message);
    }
    if (json_array_size(list) > 1)
        *summary = apr_psprintf(r->pool, "%s (and %d more)", *summary,
                                (int)json_array_size(list) - 1);
    return list;
}

/* Enforce mode: the backend's answer is replaced by a 502 problem; nothing of it has
 * been passed on yet. */
static apr_status_t send_bad_gateway(ap_filter_t *f, json_t *list, const char *summary)
{
    request_rec *r = f->r;
    apr_bucket_brigade *bb = apr_brigade_create(r->pool, f->c->bucket_alloc);
    json_t *problem = oa_problem_new(HTTP_BAD_GATEWAY, glue_status_title(HTTP_BAD_GATEWAY),
                                     apr_psprintf(r->pool, "the backend's response does not "
                                                  "fit the API's spec: %s", summary));
    char *text;
    json_object_set(problem, "errors", list);
    text = json_dumps(problem, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(problem);
    if (!text)
        return APR_ENOMEM;
    r->status = HTTP_BAD_GATEWAY;
    r->status_line = NULL;
    apr_table_clear(r->headers_out); /* the backend's, e.g. Set-Cookie, ETag */
    r->content_encoding = NULL;
    r->content_languages = NULL;
    ap_set_content_type(r, "application/problem+json");
    ap_set_content_length(r, strlen(text));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_heap_create(text, strlen(text), free,
                                                       f->c->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(f->c->bucket_alloc));
    return ap_pass_brigade(f->next, bb);
}

/* Acts on a finished check: NULL list means it fits. Returns what passing on gives. */
static apr_status_t conclude(ap_filter_t *f, response_check *check, json_t *list,
                             const char *summary, apr_bucket_brigade *rest)
{
    request_rec *r = f->r;
    const oa_operation *op = check->state->operation;
    const char *operation = op->operation_id ? op->operation_id : "none";
    apr_status_t rv;
    if (!list) {
        check->stage = STAGE_PASSING;
        APR_BRIGADE_CONCAT(check->held, rest);
        return ap_pass_brigade(f->next, check->held);
    }
    if (check->state->api->report_only) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      OA_LOGNO(11003) "report mode: the backend's response to %s %s "
                      "(operationId %s) does not fit the spec: status %d, %s",
                      oa_operation_method(op), op->path, operation, r->status, summary);
        glue_gateway_list_violations(r, r->headers_out, list);
        json_decref(list);
        check->stage = STAGE_PASSING;
        APR_BRIGADE_CONCAT(check->held, rest);
        return ap_pass_brigade(f->next, check->held);
    }
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  OA_LOGNO(11004) "the backend's response to %s %s (operationId %s) does not "
                  "fit the spec: status %d, %s; answered 502", oa_operation_method(op),
                  op->path, operation, r->status, summary);
    check->stage = STAGE_DROPPING;
    apr_brigade_cleanup(check->held);
    apr_brigade_cleanup(rest);
    rv = send_bad_gateway(f, list, summary);
    json_decref(list);
    return rv;
}

/* The held JSON body, parsed and validated. */
static apr_status_t check_held_body(ap_filter_t *f, response_check *check,
                                    apr_bucket_brigade *rest)
{
    request_rec *r = f->r;
    char *text;
    apr_size_t length;
    json_error_t error;
    json_t *body = NULL;
    const char *extra = NULL;
    const char *summary = NULL;
    json_t *list;
    if (apr_brigade_pflatten(check->held, &text, &length, r->pool) != APR_SUCCESS)
        return APR_EGENERAL;
    if (length > 0) {
        body = json_loadb(text, length, JSON_DECODE_ANY, &error);
        if (!body)
            extra = apr_psprintf(r->pool, "invalid JSON at line %d, column %d: %s",
                                 error.line, error.column, error.text);
    }
    list = violations_of(r, check->state, body, extra, &summary);
    json_decref(body);
    return conclude(f, check, list, summary, rest);
}

static apr_status_t check_response(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    response_check *check = f->ctx;
    apr_bucket *b;
    int eos = 0;

    if (check->stage == STAGE_PASSING)
        return ap_pass_brigade(f->next, bb);
    if (check->stage == STAGE_DROPPING) {
        apr_brigade_cleanup(bb);
        return APR_SUCCESS;
    }
    if (!check->held) {
        const char *summary = NULL;
        json_t *list;
        check->held = apr_brigade_create(r->pool, f->c->bucket_alloc);
        /* A cache's revalidation (the backend honoured If-None-Match or
         * If-Modified-Since), not an answer of the operation: specs rarely declare it. */
        if (r->status == HTTP_NOT_MODIFIED) {
            check->stage = STAGE_PASSING;
            return ap_pass_brigade(f->next, bb);
        }
        /* Only a JSON body needs holding; anything else is judged on its first bytes. */
        if (!sends_body(r) || !r->content_type || !oa_media_type_is_json(r->content_type) ||
            (r->content_encoding && strcasecmp(r->content_encoding, "identity") != 0)) {
            list = violations_of(r, check->state, NULL, NULL, &summary);
            return conclude(f, check, list, summary, bb);
        }
    }
    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb); b = APR_BUCKET_NEXT(b))
        if (APR_BUCKET_IS_EOS(b))
            eos = 1;
    if (ap_save_brigade(f, &check->held, &bb, r->pool) != APR_SUCCESS)
        return APR_EGENERAL;
    apr_brigade_cleanup(bb);
    apr_brigade_length(check->held, 1, &check->held_bytes);
    if (check->held_bytes > check->state->api->max_response_body) {
        const char *summary = NULL;
        json_t *list = violations_of(r, check->state, NULL, NULL, &summary);
        if (!list)
            ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                          OA_LOGNO(11005) "the backend's JSON response to %s %s is larger "
                          "than OpenAPIMaxResponseBodySize (%" APR_OFF_T_FMT " bytes): its "
                          "body passes unchecked", r->method, r->uri,
                          check->state->api->max_response_body);
        return conclude(f, check, list, summary, bb);
    }
    if (eos)
        return check_held_body(f, check, bb);
    return APR_SUCCESS;
}

void glue_response_filter_add(request_rec *r, openapi_request *state)
{
    response_check *check = apr_pcalloc(r->pool, sizeof(*check));
    check->state = state;
    check->stage = STAGE_HOLDING;
    ap_add_output_filter(RESPONSE_FILTER, check, r, r->connection);
}

void glue_response_filter_register(void)
{
    /* Next to the handler: it sees the backend's bytes before any transformation. */
    ap_register_output_filter(RESPONSE_FILTER, check_response, NULL, AP_FTYPE_RESOURCE);
}
