/* The state one oa_request_parse call shares between its files: recording errors and
 * validating a value into them. Kept apart from the driver (oa_request.c) so that the
 * body parser (oa_body.c) depends on this file and not on the driver that calls it. */
#include "request/oa_request_ctx.h"

#include <apr_strings.h>
#include <stdarg.h>
#include <string.h>

#include "schema/oa_schema.h"
#include "util/oa_json.h"
#include "util/oa_utf8.h"

/* Text from the request (a field's name, a raw piece of the body) can be as long as the
 * body: cut, so that every error stays a line. */
static const char *bounded(apr_pool_t *pool, const char *text, size_t max_code_points)
{
    size_t length, cut;
    if (!text)
        return NULL;
    length = strlen(text);
    if (length <= max_code_points)
        return text;
    cut = oa_utf8_prefix(text, length, max_code_points);
    return cut < length ? apr_pstrcat(pool, apr_pstrmemdup(pool, text, cut), "...", NULL) : text;
}

void oa_request_fail(oa_request_ctx *ctx, int status, const char *in, const char *name,
                     const char *pointer, const char *fmt, ...)
{
    oa_request_result *result = ctx->result;
    va_list ap;
    if (status == 415 || result->status != 415)
        result->status = status;
    if (result->errors->nelts >= ctx->max_errors) {
        result->errors_omitted++;
        return;
    }
    {
        oa_request_error *error = apr_array_push(result->errors);
        error->schema_location = NULL;
        error->in = in;
        error->name = bounded(ctx->pool, name, OA_REQUEST_MAX_NAME);
        error->pointer = pointer ? bounded(ctx->pool, pointer, OA_REQUEST_MAX_NAME) : "";
        va_start(ap, fmt);
        error->message = bounded(ctx->pool, apr_pvsprintf(ctx->pool, fmt, ap),
                                 OA_REQUEST_MAX_MESSAGE);
        va_end(ap);
    }
}

/* "/tags/0" -> "tags" (RFC 6901 unescaped); NULL for the root. */
static const char *first_token(apr_pool_t *pool, const char *pointer)
{
    size_t n;
    char *token;
    char *out;
    const char *p;
    if (!pointer || pointer[0] != '/')
        return NULL;
    n = strcspn(pointer + 1, "/");
    token = apr_palloc(pool, n + 1);
    out = token;
    for (p = pointer + 1; p < pointer + 1 + n; p++) {
        if (*p == '~' && p + 1 < pointer + 1 + n && (p[1] == '0' || p[1] == '1')) {
            *out++ = p[1] == '0' ? '~' : '/';
            p++;
        }
        else {
            *out++ = *p;
        }
    }
    *out = '\0';
    return token;
}

/* The failing keyword's absolute location (URI#pointer) as a client may see it: the
 * document's file name and the pointer, never the server's directories. */
static const char *schema_location(apr_pool_t *pool, const char *absolute)
{
    const char *hash = absolute ? strchr(absolute, '#') : NULL;
    const char *name;
    if (!hash)
        return NULL;
    for (name = hash; name > absolute && name[-1] != '/' && name[-1] != ':'; name--)
        ;
    return bounded(pool, apr_pstrdup(pool, name), OA_REQUEST_MAX_NAME);
}

int oa_request_validate(oa_request_ctx *ctx, const oa_schema *schema, const json_t *value,
                        const char *in, const char *name, int by_field)
{
    return oa_request_validate_at(ctx, schema, value, in, name, by_field, NULL);
}

int oa_request_validate_at(oa_request_ctx *ctx, const oa_schema *schema, const json_t *value,
                           const char *in, const char *name, int by_field, const char *prefix)
{
    apr_array_header_t *errors = NULL;
    int room = ctx->max_errors - ctx->result->errors->nelts;
    int i;
    if (!schema)
        return 1;
    if (oa_schema_validate_counted(schema, value, OA_MODE_REQUEST, ctx->pool, &errors,
                                   room > 0 ? room : 1, &ctx->result->errors_omitted))
        return 1;
    for (i = 0; errors && i < errors->nelts; i++) {
        const oa_schema_error *e = &APR_ARRAY_IDX(errors, i, oa_schema_error);
        const char *field = name;
        const char *pointer = prefix ? apr_pstrcat(ctx->pool, prefix, e->instance_pointer, NULL)
                                     : e->instance_pointer;
        if (!field && by_field)
            field = first_token(ctx->pool, pointer);
        if (!field && by_field && e->property) {
            /* a missing form field: the error is the form's, but it is about the field */
            field = e->property;
            pointer = oa_json_pointer_append(ctx->pool, pointer, e->property);
        }
        int before = ctx->result->errors->nelts;
        oa_request_fail(ctx, 400, in, field, pointer, "%s", e->message);
        if (ctx->result->errors->nelts > before)
            APR_ARRAY_IDX(ctx->result->errors, before, oa_request_error).schema_location =
                schema_location(ctx->pool, e->schema_pointer);
    }
    return 0;
}
