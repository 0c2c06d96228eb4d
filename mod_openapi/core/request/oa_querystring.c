/* OpenAPI 3.2 `in: querystring`: the whole query string as one parameter value. Form
 * fields reuse the query splitter and the form-body decoding (oa_body.h); other media
 * types percent-decode the string strictly (RFC 3986: '+' is itself) first. One pass
 * over the query string each: the cost is linear in its length. */
#include "request/oa_querystring.h"

#include <apr_strings.h>
#include <string.h>

#include "request/oa_body.h"
#include "request/oa_query.h"
#include "request/oa_request_ctx.h"
#include "schema/oa_cast.h"
#include "schema/oa_schema.h"
#include "util/oa_media_type.h"
#include "util/oa_text.h"
#include "util/oa_utf8.h"

#define LOCATION "querystring"

const oa_parameter *oa_querystring_parameter(const oa_operation *op)
{
    int i;
    for (i = 0; op->parameters && i < op->parameters->nelts; i++) {
        const oa_parameter *param = APR_ARRAY_IDX(op->parameters, i, oa_parameter *);
        if (param->in == OA_IN_QUERYSTRING)
            return param;
    }
    return NULL;
}

/* The query string percent-decoded; NULL with *error set at a malformed escape, a NUL
 * byte, or text that is not UTF-8. */
static const char *percent_decode(apr_pool_t *pool, const char *text, size_t length,
                                  size_t *decoded_length, const char **error)
{
    char *out = apr_palloc(pool, length + 1);
    size_t i, n = 0;
    for (i = 0; i < length; i++) {
        int byte = (unsigned char)text[i];
        if (byte == '%') {
            byte = oa_percent_escape_at(text + i, length - i);
            if (byte < 0) {
                *error = apr_psprintf(pool, "malformed percent-escape '%s' at character %"
                                      APR_SIZE_T_FMT " of the query string (a '%%' must be "
                                      "followed by two hex digits)",
                                      apr_pstrmemdup(pool, text + i,
                                                     length - i < 3 ? length - i : 3),
                                      i + 1);
                return NULL;
            }
            if (byte == 0) {
                *error = apr_psprintf(pool, "the query string decodes to a NUL byte (at "
                                      "character %" APR_SIZE_T_FMT ")", i + 1);
                return NULL;
            }
            i += 2;
        }
        out[n++] = (char)byte;
    }
    out[n] = '\0';
    if (!oa_utf8_valid(out, n)) {
        *error = "the query string does not decode to UTF-8 text";
        return NULL;
    }
    *decoded_length = n;
    return out;
}

/* The form fields of the query string, decoded as a form body's are. */
static json_t *form_value(oa_request_ctx *ctx, const oa_parameter *param, const char *raw)
{
    const char *error = NULL;
    apr_array_header_t *pairs = oa_query_split(ctx->pool, raw, strlen(raw), &error);
    oa_media_type media;
    if (!pairs) {
        oa_request_fail(ctx, 400, LOCATION, param->name, "", "%s", error);
        return NULL;
    }
    memset(&media, 0, sizeof(media));
    media.name = param->content_type;
    media.encoding = param->content_encoding;
    media.shape = param->shape;
    media.compiled = param->compiled;
    return oa_body_form_fields(ctx, &media, pairs, LOCATION, param->name);
}

static json_t *read_value(oa_request_ctx *ctx, const oa_parameter *param, const char *raw)
{
    const char *error = NULL;
    const char *text;
    size_t length = 0;
    if (oa_media_type_is(param->content_type, "application/x-www-form-urlencoded"))
        return form_value(ctx, param, raw);
    text = percent_decode(ctx->pool, raw, strlen(raw), &length, &error);
    if (!text) {
        oa_request_fail(ctx, 400, LOCATION, param->name, "", "%s", error);
        return NULL;
    }
    if (oa_media_type_is_json(param->content_type))
        return oa_body_parse_json(ctx, text, length, LOCATION, param->name, "");
    return oa_cast_text(text, param->shape); /* not NULL: the text is UTF-8 */
}

void oa_querystring_parse(oa_request_ctx *ctx, const oa_parameter *param)
{
    const char *raw = ctx->input->query;
    int errors_before = ctx->result->errors->nelts;
    json_t *value;
    if (!raw || !*raw) {
        const json_t *fallback = param->compiled ? oa_schema_default(param->compiled) : NULL;
        if (param->required)
            oa_request_fail(ctx, 400, LOCATION, param->name, "",
                            "'%s' is a required querystring parameter (the query string is "
                            "empty)", param->name);
        else if (fallback)
            json_object_set_new(ctx->result->params, param->handler_name,
                                json_deep_copy(fallback));
        return;
    }
    value = read_value(ctx, param, raw);
    if (!value)
        return;
    if (ctx->fill_defaults && param->compiled)
        oa_schema_fill_defaults(param->compiled, value); /* as in JSON and form bodies */
    json_object_set_new(ctx->result->params, param->handler_name, value);
    if (ctx->result->errors->nelts == errors_before)
        oa_request_validate(ctx, param->compiled, value, LOCATION, param->name, 0);
}
