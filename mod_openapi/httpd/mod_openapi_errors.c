/* Error answers: RFC 9457 problem+json bodies sent through httpd's error machinery
 * (ap_custom_response), with their true Content-Type restored by a filter, since
 * ap_send_error_response labels every custom body text/html. */
#include "mod_openapi_glue.h"

#include <http_core.h>
#include <mod_core.h>
#include <http_protocol.h>
#include <http_request.h>
#include <util_filter.h>
#include <apr_strings.h>

#include "util/oa_problem.h"

#define ERROR_TYPE_FILTER "OPENAPI_ERROR_TYPE"

openapi_request *glue_request_state(request_rec *r)
{
    return ap_get_module_config(r->request_config, &openapi_module);
}

openapi_request *glue_request_state_create(request_rec *r)
{
    openapi_request *state = glue_request_state(r);
    if (!state) {
        state = apr_pcalloc(r->pool, sizeof(*state));
        state->r = r;
        ap_set_module_config(r->request_config, &openapi_module, state);
    }
    return state;
}

const char *glue_status_title(int status)
{
    const char *line = ap_get_status_line(status);
    return line && strlen(line) > 4 ? line + 4 : "Error";
}

/* A plugin's renderer for this status (or for all) shapes the body instead. Returns 1
 * when one did. */
static int render_with_plugin(request_rec *r, int status, const json_t *problem)
{
    openapi_request *state = glue_request_state(r);
    const glue_error_renderer *renderer;
    const char *content_type = NULL;
    const char *body = NULL;
    int any = 0;
    if (!state || !state->api || apr_hash_count(state->api->renderers) == 0)
        return 0;
    renderer = apr_hash_get(state->api->renderers, &status, sizeof(status));
    if (!renderer)
        renderer = apr_hash_get(state->api->renderers, &any, sizeof(any));
    if (!renderer ||
        renderer->render(r, status, problem, &content_type, &body, renderer->baton) !=
            OPENAPI_OK ||
        !body)
        return 0;
    glue_error_body(r, status, content_type ? content_type : "text/plain; charset=utf-8", body);
    return 1;
}

int glue_error_body(request_rec *r, int status, const char *content_type, const char *body)
{
    /* An operator's ErrorDocument for this status wins over our body. */
    if (ap_response_code_string(r, ap_index_of_response(status)))
        return status;
    ap_custom_response(r, status, body);
    glue_request_state_create(r)->error_content_type = content_type;
    return status;
}

int glue_problem(request_rec *r, int status, const char *detail, json_t *extensions)
{
    json_t *problem;
    char *text;

    if (ap_response_code_string(r, ap_index_of_response(status))) {
        json_decref(extensions); /* an ErrorDocument answers instead */
        return status;
    }
    problem = oa_problem_new(status, glue_status_title(status), detail);
    if (extensions) {
        json_object_update_missing(problem, extensions);
        json_decref(extensions);
    }
    if (render_with_plugin(r, status, problem)) {
        json_decref(problem);
        return status;
    }
    text = json_dumps(problem, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(problem);
    if (!text)
        return status;
    glue_error_body(r, status, "application/problem+json", apr_pstrcat(r->pool, text, "\n", NULL));
    free(text);
    return status;
}

static apr_status_t restore_error_type(ap_filter_t *f, apr_bucket_brigade *bb)
{
    openapi_request *state = glue_request_state(f->r);
    if (state && state->error_content_type)
        ap_set_content_type(f->r, state->error_content_type);
    ap_remove_output_filter(f);
    return ap_pass_brigade(f->next, bb);
}

static void insert_error_filter(request_rec *r)
{
    openapi_request *state = glue_request_state(r);
    if (state && state->error_content_type)
        ap_add_output_filter(ERROR_TYPE_FILTER, NULL, r, r->connection);
}

void glue_register_error_hooks(apr_pool_t *pool)
{
    (void)pool;
    ap_register_output_filter(ERROR_TYPE_FILTER, restore_error_type, NULL,
                              AP_FTYPE_CONTENT_SET);
    ap_hook_insert_error_filter(insert_error_filter, NULL, NULL, APR_HOOK_MIDDLE);
}
