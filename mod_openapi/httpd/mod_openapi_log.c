/* Per-request logging: at LogLevel openapi:debug the operation a request matched, the
 * security decision and each validation failure; at trace1 the time each stage took (one
 * line when the request is logged). Nothing secret is written at any level: no request
 * values but those of ordinary parameters in validation messages, never credentials,
 * cookies, tokens, passwords or API keys. */
#include "mod_openapi_glue.h"

#include <http_log.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>
#include <strings.h>

#include "security/oa_security.h"

APLOG_USE_MODULE(openapi);

/* Stage timings are taken only when openapi:trace1 will print them: no clock reads per
 * request otherwise. */
void glue_stage_start(openapi_request *state)
{
    state->timing = APLOG_R_IS_LEVEL(state->r, APLOG_TRACE1);
    if (state->timing)
        state->stage_mark = apr_time_now();
}

void glue_stage_done(openapi_request *state, glue_stage stage)
{
    apr_time_t now;
    if (!state->timing)
        return;
    now = apr_time_now();
    state->stage_usec[stage] += now - state->stage_mark;
    state->stages_done |= 1u << stage;
    state->stage_mark = now;
}

void glue_log_match(request_rec *r, const openapi_request *state)
{
    const oa_operation *op = state->operation;
    const char *handler = state->api->handler_names[op->index];
    if (!APLOG_R_IS_LEVEL(r, APLOG_DEBUG))
        return;
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  OA_LOGNO(14001) "matched operation %s (%s %s) in %s, handled by %s",
                  op->operation_id ? op->operation_id : "(no operationId)",
                  oa_operation_method(op), op->path, state->api->where,
                  handler ? handler
                  : state->api->mock != OA_MOCK_OFF ? "the mock" : "none (stub: 501)");
}

void glue_log_no_match(request_rec *r, const openapi_request *state, int status)
{
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  OA_LOGNO(14005) "%s: no operation of %s %s (%d)",
                  status == HTTP_METHOD_NOT_ALLOWED ? "method not allowed" : "no path",
                  state->api->where, r->method, status);
}

/* "basic+apikey" for the schemes of a requirement. */
static const char *requirement_names(apr_pool_t *pool, const oa_security_requirement *req)
{
    apr_array_header_t *names = apr_array_make(pool, 2, sizeof(const char *));
    int i;
    for (i = 0; req && i < req->uses->nelts; i++)
        APR_ARRAY_PUSH(names, const char *) =
            APR_ARRAY_IDX(req->uses, i, oa_security_use).scheme->name;
    return names->nelts ? apr_array_pstrcat(pool, names, '+') : "{}";
}

void glue_log_security(request_rec *r, const openapi_request *state,
                       const oa_security_decision *decision)
{
    const oa_operation *op = state->operation;
    if (!APLOG_R_IS_LEVEL(r, APLOG_DEBUG))
        return;
    if (!decision)
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      OA_LOGNO(14002) "security of %s %s: open (no requirement)",
                      oa_operation_method(op), op->path);
    else if (decision->allowed)
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      OA_LOGNO(14006) "security of %s %s: allowed by %s%s%s",
                      oa_operation_method(op), op->path,
                      decision->anonymous ? "the anonymous alternative"
                                          : requirement_names(r->pool, decision->requirement),
                      decision->user ? ", user " : "",
                      decision->user ? ap_escape_logitem(r->pool, decision->user) : "");
    /* a refusal is OAPI02010 (info) */
}

/* Whether a name or pointer looks like it holds a credential. */
static int secret_like(const char *text)
{
    static const char *const words[] = {"pass", "secret", "token", "apikey", "api_key",
                                        "api-key", "credential", "auth", "session", NULL};
    int i;
    if (!text)
        return 0;
    for (i = 0; words[i]; i++) {
        const char *p;
        size_t n = strlen(words[i]);
        for (p = text; *p; p++)
            if (strncasecmp(p, words[i], n) == 0)
                return 1;
    }
    return 0;
}

/* Whether a validation message may quote a secret: cookies, credential headers, the
 * parameters API keys travel in, and anything named like a credential. */
static int may_quote_secret(const openapi_request *state, const oa_request_error *e)
{
    const apr_array_header_t *schemes = state->api->spec->security_schemes;
    int i;
    if (strcmp(e->in, "cookie") == 0 || secret_like(e->name) || secret_like(e->pointer))
        return 1;
    if (e->name && strcmp(e->in, "header") == 0 && strcasecmp(e->name, "Cookie") == 0)
        return 1;
    for (i = 0; e->name && schemes && i < schemes->nelts; i++) {
        const oa_security_scheme *scheme = APR_ARRAY_IDX(schemes, i, oa_security_scheme *);
        if (scheme->kind == OA_SECURITY_APIKEY && scheme->api_key_name &&
            strcasecmp(scheme->api_key_name, e->name) == 0)
            return 1;
        /* a querystring parameter holds the whole query, a query API key included */
        if (scheme->kind == OA_SECURITY_APIKEY && scheme->api_key_in == OA_IN_QUERY &&
            strcmp(e->in, "querystring") == 0)
            return 1;
    }
    return 0;
}

void glue_log_invalid(request_rec *r, const openapi_request *state,
                      const oa_request_result *result)
{
    const oa_operation *op = state->operation;
    int i;
    if (!APLOG_R_IS_LEVEL(r, APLOG_DEBUG))
        return;
    for (i = 0; i < result->errors->nelts; i++) {
        const oa_request_error *e = &APR_ARRAY_IDX(result->errors, i, oa_request_error);
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      OA_LOGNO(14003) "invalid request to %s %s (%d of %d): %s%s%s%s%s: %s",
                      oa_operation_method(op), op->path, i + 1, result->errors->nelts,
                      e->in, e->name ? " parameter " : "",
                      e->name ? ap_escape_logitem(r->pool, e->name) : "",
                      e->pointer && *e->pointer ? " at " : "",
                      e->pointer && *e->pointer ? ap_escape_logitem(r->pool, e->pointer) : "",
                      may_quote_secret(state, e)
                          ? "(message withheld: it may quote a credential)"
                          : ap_escape_logitem(r->pool, e->message));
    }
}

/* trace1: the stages' times, once the answer is out (also for refusals and errors). */
static int log_timings(request_rec *r)
{
    static const char *const names[GLUE_STAGE_COUNT] = {
        "route", "security", "validation", "handler", "response check", "send"};
    openapi_request *state;
    apr_array_header_t *parts;
    apr_interval_time_t total = 0;
    int i;
    if (!APLOG_R_IS_LEVEL(r, APLOG_TRACE1))
        return DECLINED;
    state = glue_request_state(r);
    if (!state || !state->api || !state->stages_done)
        return DECLINED;
    parts = apr_array_make(r->pool, GLUE_STAGE_COUNT, sizeof(const char *));
    for (i = 0; i < GLUE_STAGE_COUNT; i++) {
        if (!(state->stages_done & (1u << i)))
            continue;
        total += state->stage_usec[i];
        APR_ARRAY_PUSH(parts, const char *) =
            apr_psprintf(r->pool, "%s %" APR_TIME_T_FMT, names[i], state->stage_usec[i]);
    }
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                  OA_LOGNO(14004) "timings of %s %s in microseconds: %s; total %"
                  APR_TIME_T_FMT, r->method,
                  state->operation ? state->operation->path : "(no operation)",
                  apr_array_pstrcat(r->pool, parts, ','), total);
    return DECLINED;
}

void glue_register_log_hooks(apr_pool_t *pool)
{
    (void)pool;
    ap_hook_log_transaction(log_timings, NULL, NULL, APR_HOOK_MIDDLE);
}
