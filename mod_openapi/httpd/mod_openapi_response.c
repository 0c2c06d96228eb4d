/* The answer to a valid request: the media type negotiated from Accept (406 when none of
 * the declared ones fits), the handler called (or the spec's examples in mock mode, or 501
 * in stub mode), its result serialized for the declared media type, checked against the
 * spec when OpenAPIValidateResponses is on, and sent. */
#include "mod_openapi_glue.h"

#include <http_log.h>
#include <http_protocol.h>
#include <apr_strings.h>
#include <httpd.h>
#include <strings.h>

#include "response/oa_mock.h"
#include "response/oa_negotiate.h"
#include "response/oa_prefer.h"
#include "response/oa_response.h"
#include "util/oa_media_type.h"

APLOG_USE_MODULE(openapi);

static int is_concrete(const char *type)
{
    return type && !strchr(type, '*');
}

/* 406 unless the client accepts one of the success response's media types. */
static int negotiate(request_rec *r, openapi_request *state)
{
    const oa_response *primary = oa_response_primary(state->operation);
    const char *accept = apr_table_get(r->headers_in, "Accept");
    apr_array_header_t *offered;
    int index;
    int i;
    if (!primary || !primary->media || primary->media->nelts == 0)
        return OK;
    offered = apr_array_make(r->pool, primary->media->nelts, sizeof(const char *));
    for (i = 0; i < primary->media->nelts; i++)
        APR_ARRAY_PUSH(offered, const char *) =
            APR_ARRAY_IDX(primary->media, i, oa_media_type *)->name;
    state->response_type = oa_negotiate(r->pool, accept, (const char *const *)offered->elts,
                                        offered->nelts, &index);
    if (state->response_type)
        return OK;
    return glue_problem(r, HTTP_NOT_ACCEPTABLE,
                      apr_psprintf(r->pool, "none of the media types this operation produces "
                                   "(%s) is acceptable (Accept: %s)",
                                   apr_array_pstrcat(r->pool, offered, ','), accept),
                      NULL);
}

static const char *copy_or_null(apr_pool_t *pool, const char *text)
{
    return text ? apr_pstrdup(pool, text) : NULL;
}

/* Moves what a mock result holds from the generator's scratch pool into pool. */
static void keep_mock(apr_pool_t *pool, oa_mock_result *mock)
{
    apr_array_header_t *headers = mock->headers;
    int i;
    mock->response_key = copy_or_null(pool, mock->response_key);
    mock->media_type = copy_or_null(pool, mock->media_type);
    mock->source = copy_or_null(pool, mock->source);
    if (!headers)
        return;
    mock->headers = apr_array_make(pool, headers->nelts, sizeof(oa_mock_header));
    for (i = 0; i < headers->nelts; i++) {
        const oa_mock_header *header = &APR_ARRAY_IDX(headers, i, oa_mock_header);
        oa_mock_header *copy = apr_array_push(mock->headers);
        copy->name = copy_or_null(pool, header->name);
        copy->value = copy_or_null(pool, header->value);
    }
}

void glue_mock_prepare(apr_pool_t *pool, glue_api *api)
{
    const apr_array_header_t *ops = api->spec->operations;
    int i;
    apr_pool_t *scratch;
    api->mocks = apr_pcalloc(pool, sizeof(oa_mock_result) * (ops->nelts + 1));
    /* the generator's own allocations (paths, tables, diagnostics) are scratch */
    apr_pool_create(&scratch, pool);
    for (i = 0; i < ops->nelts; i++) {
        const oa_operation *op = APR_ARRAY_IDX(ops, i, oa_operation *);
        oa_mock_result *mock = &api->mocks[i];
        if (api->mock != OA_MOCK_ALL && api->handlers[i])
            continue;
        apr_pool_clear(scratch);
        /* A spec that cannot be mocked is answered (and logged) per request instead. */
        if (!oa_mock_response(scratch, api->spec->docs, api->spec->major, op->responses,
                              op->responses_base, NULL, mock, oa_diag_create(scratch))) {
            mock->status = 0;
            continue;
        }
        keep_mock(pool, mock);
        /* kept, and released, with the location (the spec may be shared, see
         * mod_openapi_spec_cache.c) */
        if (mock->body)
            glue_api_keep(pool, api, mock->body);
    }
    apr_pool_destroy(scratch);
}

/* The answer made at config time, when it is for the media type negotiated now. */
static int cached_mock(const openapi_request *state, oa_mock_result *mock)
{
    const oa_mock_result *cached = &state->api->mocks[state->operation->index];
    if (!cached->status)
        return 0;
    if (is_concrete(state->response_type) &&
        (!cached->media_type || strcasecmp(cached->media_type, state->response_type) != 0))
        return 0;
    *mock = *cached;
    json_incref(mock->body); /* the response releases its reference when sent */
    return 1;
}

/* The mock options a request's Prefer header asks for (Stoplight Prism's); the dynamic
 * values' generator is seeded from OpenAPIMockSeed and the request line, so that a seed
 * makes each request's answer repeatable, or at random without one. Returns 0 when the
 * request prefers nothing of the kind. */
static int mock_preferences(request_rec *r, const glue_api *api, oa_mock_options *options)
{
    oa_prefer prefer;
    oa_prefer_parse(r->pool, apr_table_get(r->headers_in, "Prefer"), &prefer);
    memset(options, 0, sizeof(*options));
    options->status = prefer.code;
    options->example = prefer.example;
    if (prefer.dynamic == 1) {
        apr_uint64_t seed;
        if (api->mock_seed >= 0)
            seed = oa_mock_seed_mix((apr_uint64_t)api->mock_seed, r->the_request,
                                    strlen(r->the_request));
        else if (apr_generate_random_bytes((unsigned char *)&seed, sizeof(seed)) !=
                 APR_SUCCESS)
            seed = (apr_uint64_t)apr_time_now() ^ (apr_uint64_t)(apr_uintptr_t)r;
        options->rng = apr_palloc(r->pool, sizeof(*options->rng));
        oa_mock_rng_seed(options->rng, seed);
    }
    return options->status || options->example || options->rng;
}

/* RFC 7240 section 3: the preferences the answer honours. */
static void preference_applied(request_rec *r, const oa_mock_options *options,
                               const oa_mock_result *mock, apr_table_t *headers)
{
    apr_array_header_t *applied = apr_array_make(r->pool, 3, sizeof(const char *));
    if (mock->applied & OA_MOCK_APPLIED_STATUS)
        APR_ARRAY_PUSH(applied, const char *) = apr_psprintf(r->pool, "code=%d",
                                                             options->status);
    if (mock->applied & OA_MOCK_APPLIED_EXAMPLE)
        APR_ARRAY_PUSH(applied, const char *) =
            apr_psprintf(r->pool, "example=\"%s\"",
                         ap_escape_quotes(r->pool, options->example));
    if (mock->applied & OA_MOCK_APPLIED_DYNAMIC)
        APR_ARRAY_PUSH(applied, const char *) = "dynamic=true";
    if (applied->nelts)
        apr_table_setn(headers, "Preference-Applied", apr_array_pstrcat(r->pool, applied, ','));
}

/* Mock mode: the first declared 2xx response, from the spec's examples, or what the
 * request's Prefer header picks. */
static int mock_answer(request_rec *r, openapi_request *state, openapi_response *res)
{
    const oa_operation *op = state->operation;
    oa_spec *spec = state->api->spec;
    oa_diag *diag = oa_diag_create(r->pool);
    oa_mock_result mock;
    oa_mock_options options;
    int preferred = mock_preferences(r, state->api, &options);
    int i;
    apr_table_mergen(r->headers_out, "Vary", "Prefer");
    if ((preferred || !cached_mock(state, &mock)) &&
        !oa_mock_response_with(r->pool, spec->docs, spec->major, op->responses,
                               op->responses_base,
                               is_concrete(state->response_type) ? state->response_type
                                                                 : NULL,
                               &options, &mock, diag)) {
        const char *reason = oa_diag_count(diag) > 0 ? oa_diag_line(r->pool, diag, 0)
                                                     : "no response to mock";
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r, OA_LOGNO(02004) "cannot mock %s %s: %s",
                      oa_operation_method(op), op->path, reason);
        return glue_problem(r, HTTP_INTERNAL_SERVER_ERROR,
                          "the operation's mock response cannot be made from the spec", NULL);
    }
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, OA_LOGNO(02005) "mocked %s %s: %d %s from %s",
                  oa_operation_method(op), op->path, mock.status,
                  mock.media_type ? mock.media_type : "(no body)", mock.source);
    if (preferred && mock.applied != ((options.status ? OA_MOCK_APPLIED_STATUS : 0) |
                                      (options.example ? OA_MOCK_APPLIED_EXAMPLE : 0) |
                                      (options.rng ? OA_MOCK_APPLIED_DYNAMIC : 0)))
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      OA_LOGNO(14000) "%s %s: some of Prefer '%s' cannot be honoured (no "
                      "such response, example or schema): ignored (RFC 7240)",
                      oa_operation_method(op), op->path,
                      apr_table_get(r->headers_in, "Prefer"));
    res->status = mock.status;
    for (i = 0; mock.headers && i < mock.headers->nelts; i++) {
        const oa_mock_header *header = &APR_ARRAY_IDX(mock.headers, i, oa_mock_header);
        apr_table_add(res->headers, header->name, header->value);
    }
    preference_applied(r, &options, &mock, res->headers);
    if (!mock.body)
        return OK;
    if (!mock.media_type || oa_media_type_is_json(mock.media_type)) {
        res->json = mock.body;
        res->content_type = mock.media_type;
    }
    else {
        /* A string example is the raw text of a non-JSON body. */
        const char *text = json_is_string(mock.body)
                               ? apr_pstrdup(r->pool, json_string_value(mock.body))
                               : NULL;
        if (!text) {
            char *dumped = json_dumps(mock.body, JSON_ENCODE_ANY | JSON_COMPACT);
            text = apr_pstrdup(r->pool, dumped ? dumped : "");
            free(dumped);
        }
        json_decref(mock.body);
        res->body = text;
        res->body_length = strlen(text);
        res->content_type = mock.media_type;
    }
    return OK;
}

/* The Content-Type a response goes out with, when the handler did not set one: the
 * negotiated type where it applies, else what the spec declares for the status. */
static const char *response_content_type(const openapi_request *state,
                                         const openapi_response *res)
{
    const oa_response *declared = oa_response_find(state->operation, res->status);
    const oa_response *primary = oa_response_primary(state->operation);
    const char *negotiated = declared == primary && is_concrete(state->response_type)
                                 ? state->response_type : NULL;
    const char *type;
    if (res->content_type)
        return res->content_type;
    if (res->json) {
        if (negotiated && oa_media_type_is_json(negotiated))
            return negotiated;
        type = oa_response_json_type(declared);
        return is_concrete(type) ? type : "application/json";
    }
    if (negotiated && !oa_media_type_is_json(negotiated))
        return negotiated;
    type = oa_response_single_raw_type(declared);
    return is_concrete(type) ? type : "application/octet-stream";
}

static const char *header_lookup(void *baton, const char *name)
{
    return apr_table_get(((const openapi_response *)baton)->headers, name);
}

/* OpenAPIValidateResponses: a response that breaks the spec becomes a 500 and an error
 * in the log naming the operation and where. Returns OK when it fits. */
static int check_response(request_rec *r, openapi_request *state, openapi_response *res,
                          const char *content_type)
{
    const oa_operation *op = state->operation;
    oa_response_output output;
    apr_array_header_t *errors;
    json_t *list;
    const oa_response_error *first;
    const char *summary;
    int i;

    output.status = res->status;
    output.content_type = content_type;
    output.body = res->json;
    output.raw = res->json ? NULL : res->body; /* whole: sequential bodies item by item */
    output.raw_length = res->json ? 0 : res->body_length;
    output.has_body = (res->json || res->body) && res->status != HTTP_NO_CONTENT &&
                      res->status != HTTP_NOT_MODIFIED;
    output.header = header_lookup;
    output.header_baton = res;
    if (oa_response_validate(r->pool, op, &output, 20, &errors))
        return OK;
    list = json_array();
    for (i = 0; i < errors->nelts; i++) {
        const oa_response_error *e = &APR_ARRAY_IDX(errors, i, oa_response_error);
        json_t *item = json_pack("{s:s, s:s}", "in", e->part, "message", e->message);
        if (e->name)
            json_object_set_new(item, "name", json_string(e->name));
        if (e->part[0] == 'b')
            json_object_set_new(item, "pointer", json_string(e->pointer));
        json_array_append_new(list, item);
    }
    first = &APR_ARRAY_IDX(errors, 0, oa_response_error);
    summary = apr_psprintf(r->pool, "%s%s%s%s%s: %s", first->part, first->name ? " " : "",
                           first->name ? first->name : "", *first->pointer ? " at " : "",
                           first->pointer, first->message);
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  OA_LOGNO(02003) "response of %s %s (operationId %s) does not fit the spec: "
                  "status %d, %s%s", oa_operation_method(op), op->path,
                  op->operation_id ? op->operation_id : "none", res->status, summary,
                  errors->nelts > 1 ? apr_psprintf(r->pool, " (and %d more)",
                                                   errors->nelts - 1) : "");
    return glue_problem(r, HTTP_INTERNAL_SERVER_ERROR,
                      apr_psprintf(r->pool, "the response does not fit the API's spec: %s",
                                   summary),
                      json_pack("{s:o}", "errors", list));
}

static int send_response(request_rec *r, const openapi_response *res, const char *content_type)
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
        char *text = json_dumps(res->json, JSON_ENCODE_ANY | JSON_COMPACT | JSON_PRESERVE_ORDER);
        size_t length;
        if (!text)
            return HTTP_INTERNAL_SERVER_ERROR;
        length = strlen(text);
        ap_set_content_type(r, content_type);
        ap_set_content_length(r, length);
        /* jansson allocated it with malloc: the bucket frees it once sent. */
        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_heap_create(text, length, free,
                                                           r->connection->bucket_alloc));
    }
    else if (res->body) {
        ap_set_content_type(r, content_type);
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

int glue_answer(request_rec *r, openapi_request *state)
{
    const glue_api *api = state->api;
    const oa_operation *op = state->operation;
    openapi_handler_fn handler = api->handlers[op->index];
    openapi_response *res;
    const char *content_type;
    int status = negotiate(r, state);

    if (status != OK)
        return status;
    res = apr_pcalloc(r->pool, sizeof(*res));
    res->status = HTTP_OK;
    res->headers = apr_table_make(r->pool, 4);
    apr_pool_cleanup_register(r->pool, res, release_response_json, apr_pool_cleanup_null);

    glue_stage_start(state);
    if (api->mock == OA_MOCK_ALL || (!handler && api->mock == OA_MOCK_UNIMPLEMENTED)) {
        status = mock_answer(r, state, res);
        if (status != OK)
            return status;
    }
    else if (!handler) {
        return glue_problem(r, HTTP_NOT_IMPLEMENTED,
                          apr_psprintf(r->pool, "%s %s (operationId %s) is not implemented",
                                       oa_operation_method(op), op->path,
                                       op->operation_id ? op->operation_id : "none"),
                          NULL);
    }
    else if (handler(state, res) != OPENAPI_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      OA_LOGNO(02001) "handler of %s %s (operationId %s) failed",
                      r->method, op->path, op->operation_id);
        return glue_problem(r, HTTP_INTERNAL_SERVER_ERROR, "the operation's handler failed",
                          NULL);
    }
    glue_stage_done(state, GLUE_STAGE_HANDLER);
    if (op->token_endpoint)
        glue_token_endpoint_headers(res->headers);
    content_type = response_content_type(state, res);
    if (api->validate_responses) {
        status = check_response(r, state, res, content_type);
        glue_stage_done(state, GLUE_STAGE_RESPONSE_CHECK);
        if (status != OK)
            return status;
    }
    status = send_response(r, res, content_type);
    glue_stage_done(state, GLUE_STAGE_SEND);
    return status;
}
