/* The plugin SDK (include/openapi_plugin.h): accessors over the per-request state. */
#include "mod_openapi_glue.h"

#include <apr_strings.h>

#include "util/oa_problem.h"
#include "security/oa_security_compare.h"

json_t *openapi_params(const openapi_request *req)
{
    return req->params;
}

json_t *openapi_param(const openapi_request *req, const char *name)
{
    return json_object_get(req->params, name);
}

json_t *openapi_body_json(const openapi_request *req)
{
    return req->body_json;
}

int openapi_upload_count(const openapi_request *req)
{
    return req->uploads ? req->uploads->nelts : 0;
}

const openapi_upload *openapi_upload_at(const openapi_request *req, int index)
{
    if (index < 0 || index >= openapi_upload_count(req))
        return NULL;
    return &APR_ARRAY_IDX(req->uploads, index, openapi_upload);
}

const openapi_upload *openapi_upload_get(const openapi_request *req, const char *field)
{
    int i;
    for (i = 0; i < openapi_upload_count(req); i++) {
        const openapi_upload *upload = &APR_ARRAY_IDX(req->uploads, i, openapi_upload);
        if (strcmp(upload->field, field) == 0)
            return upload;
    }
    return NULL;
}

const char *openapi_body(const openapi_request *req, size_t *length)
{
    if (length)
        *length = req->body ? req->body_length : 0;
    return req->body;
}

const char *openapi_header(const openapi_request *req, const char *name)
{
    return apr_table_get(req->r->headers_in, name);
}

const char *openapi_method(const openapi_request *req)
{
    return req->r->method;
}

const char *openapi_operation_id(const openapi_request *req)
{
    return req->operation->operation_id;
}

const char *openapi_path_template(const openapi_request *req)
{
    return req->operation->path;
}

apr_pool_t *openapi_pool(const openapi_request *req)
{
    return req->r->pool;
}

void *openapi_request_rec(const openapi_request *req)
{
    return req->r;
}

void openapi_set_status(openapi_response *res, int status)
{
    res->status = status;
}

void openapi_add_header(openapi_response *res, const char *name, const char *value)
{
    apr_table_add(res->headers, name, value);
}

void openapi_set_json(openapi_response *res, json_t *body)
{
    json_decref(res->json);
    res->json = body;
    res->body = NULL;
    res->content_type = NULL;
}

void openapi_set_body(openapi_response *res, const char *content_type, const void *data,
                      size_t length)
{
    apr_pool_t *pool = apr_table_elts(res->headers)->pool;
    json_decref(res->json);
    res->json = NULL;
    res->content_type = content_type ? apr_pstrdup(pool, content_type) : NULL;
    res->body = apr_pmemdup(pool, data, length ? length : 1);
    res->body_length = length;
}

void openapi_problem(openapi_response *res, int status, const char *title, const char *detail)
{
    openapi_problem_full(res, status, NULL, title, detail, NULL, NULL);
}

void openapi_problem_full(openapi_response *res, int status, const char *type,
                          const char *title, const char *detail, const char *instance,
                          json_t *extensions)
{
    json_t *problem = oa_problem_new(status, title ? title : glue_status_title(status), detail);
    if (type)
        json_object_set_new(problem, "type", json_string(type));
    if (instance)
        json_object_set_new(problem, "instance", json_string(instance));
    if (extensions) {
        /* the standard members stay what the arguments say */
        json_object_update_missing(problem, extensions);
        json_decref(extensions);
    }
    openapi_set_json(res, problem);
    res->status = status;
    res->content_type = "application/problem+json";
}

const char *openapi_response_type(const openapi_request *req)
{
    return req->response_type;
}

const char *openapi_user(const openapi_request *req)
{
    return req->user;
}

json_t *openapi_token_info(const openapi_request *req)
{
    return req->token_info;
}

int openapi_secure_equals(const void *a, size_t a_length, const void *b, size_t b_length)
{
    return oa_secure_equals(a, a_length, b, b_length);
}
