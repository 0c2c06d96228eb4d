/* Request bodies: choose the declared media type, parse the body by the request's type,
 * validate the result against the media type's schema (request mode: readOnly properties
 * are rejected). */
#include "request/oa_body.h"

#include <apr_strings.h>
#include <string.h>
#include <strings.h>

#include "util/oa_json.h"
#include "util/oa_utf8.h"
#include "request/oa_multipart.h"
#include "request/oa_query.h"

static size_t essence_length(const char *type)
{
    return strcspn(type, "; \t");
}

static int is_type(const char *type, const char *name)
{
    size_t n = essence_length(type);
    return n == strlen(name) && strncasecmp(type, name, n) == 0;
}

int oa_body_is_json_type(const char *type)
{
    size_t n;
    if (!type)
        return 0;
    n = essence_length(type);
    return is_type(type, "application/json") ||
           (n > 5 && strchr(type, '/') && strncasecmp(type + n - 5, "+json", 5) == 0);
}

static const char *accepted_list(oa_request_ctx *ctx)
{
    const char *list = "";
    int i;
    for (i = 0; i < ctx->op->request_media->nelts; i++)
        list = apr_pstrcat(ctx->pool, list, i ? ", " : "",
                           APR_ARRAY_IDX(ctx->op->request_media, i, oa_media_type *)->name,
                           NULL);
    return list;
}

static json_t *parse_json(oa_request_ctx *ctx, const char *data, size_t size, const char *in,
                          const char *name, const char *pointer)
{
    json_error_t jerr;
    json_t *value = json_loadb(data, size, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!value)
        oa_request_fail(ctx, 400, in, name, pointer, "invalid JSON at line %d, column %d: %s",
                        jerr.line, jerr.column, jerr.text);
    return value;
}

static json_t *field_value(oa_request_ctx *ctx, const oa_media_type *media, const char *name,
                           apr_array_header_t *pairs, const oa_shape *shape)
{
    oa_param_style style;
    const char *error = NULL;
    json_t *value;
    oa_param_style_of_encoding(json_object_get(media->encoding, name), &style);
    value = oa_style_from_pairs(&style, name, pairs, ctx->parser, shape, ctx->pool, &error);
    if (error)
        oa_request_fail(ctx, 400, "body", name,
                        oa_json_pointer_append(ctx->pool, "", name), "%s", error);
    return value;
}

/* Form fields (name=value pairs) into an object: declared properties by their encoding
 * and shape; other fields are unknown (strict mode) or kept as text for the schema's
 * additionalProperties to judge. */
static json_t *form_object(oa_request_ctx *ctx, const oa_media_type *media,
                           apr_array_header_t *pairs, json_t *object)
{
    const oa_shape *shape = media->shape;
    int i;
    for (i = 0; shape && shape->property_names && i < shape->property_names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(shape->property_names, i, const char *);
        json_t *value;
        if (json_object_get(object, name))
            continue; /* a multipart file or JSON part gave it whole */
        value = field_value(ctx, media, name, pairs, oa_shape_property(shape, name));
        if (value)
            json_object_set_new(object, name, value);
    }
    for (i = 0; i < pairs->nelts; i++) {
        oa_query_pair *pair = &APR_ARRAY_IDX(pairs, i, oa_query_pair);
        json_t *value;
        if (pair->used)
            continue;
        if (ctx->strict) {
            oa_request_fail(ctx, 400, "body", pair->name,
                            oa_json_pointer_append(ctx->pool, "", pair->name),
                            "unknown form field '%s'", pair->name);
            pair->used = 1;
            continue;
        }
        value = field_value(ctx, media, pair->name, pairs, oa_shape_property(shape, pair->name));
        if (value)
            json_object_set_new(object, pair->name, value);
    }
    return object;
}

static json_t *parse_urlencoded(oa_request_ctx *ctx, const oa_media_type *media)
{
    const char *error;
    apr_array_header_t *pairs =
        oa_query_split(ctx->pool, ctx->input->body, ctx->input->body_length, &error);
    if (!pairs) {
        oa_request_fail(ctx, 400, "body", NULL, "", "%s", error);
        return NULL;
    }
    return form_object(ctx, media, pairs, json_object());
}

static int is_binary(const oa_shape *shape)
{
    if (shape && shape->type && strcmp(shape->type, "array") == 0)
        shape = shape->items;
    return shape && shape->format && strcmp(shape->format, "binary") == 0;
}

/* A part that is JSON: a JSON Content-Type (the part's, or the encoding's when the part
 * has none), or no Content-Type at all for an object property (OpenAPI's default). */
static int is_json_part(const oa_media_type *media, const oa_multipart_part *part,
                        const oa_shape *shape)
{
    const char *declared = json_string_value(
        json_object_get(json_object_get(media->encoding, part->name), "contentType"));
    if (!shape || !shape->type ||
        (strcmp(shape->type, "object") != 0 && strcmp(shape->type, "array") != 0))
        return 0;
    if (part->content_type)
        return oa_body_is_json_type(part->content_type);
    return declared ? oa_body_is_json_type(declared) : strcmp(shape->type, "object") == 0;
}

/* Adds a value that a part gives whole (a file's name, a JSON document); an array
 * property collects repeated parts. */
static void add_whole(json_t *object, const char *name, json_t *value, const oa_shape *shape)
{
    if (shape && shape->type && strcmp(shape->type, "array") == 0 &&
        !(json_is_array(value))) {
        json_t *items = json_object_get(object, name);
        if (!json_is_array(items)) {
            items = json_array();
            json_object_set_new(object, name, items);
        }
        json_array_append_new(items, value);
        return;
    }
    json_object_set_new(object, name, value);
}

static json_t *parse_multipart(oa_request_ctx *ctx, const oa_media_type *media)
{
    const char *error;
    apr_array_header_t *parts = oa_multipart_parse(ctx->pool, ctx->input->content_type,
                                                   ctx->input->body, ctx->input->body_length,
                                                   &error);
    apr_array_header_t *pairs;
    json_t *object;
    int i;
    if (!parts) {
        oa_request_fail(ctx, 400, "body", NULL, "", "%s", error);
        return NULL;
    }
    pairs = apr_array_make(ctx->pool, parts->nelts, sizeof(oa_query_pair));
    object = json_object();
    for (i = 0; i < parts->nelts; i++) {
        const oa_multipart_part *part = &APR_ARRAY_IDX(parts, i, oa_multipart_part);
        const oa_shape *shape = oa_shape_property(media->shape, part->name);
        const char *pointer = oa_json_pointer_append(ctx->pool, "", part->name);
        if (!oa_utf8_valid(part->name, strlen(part->name))) {
            oa_request_fail(ctx, 400, "body", NULL, "", "a form field name is not UTF-8");
            continue;
        }
        if (ctx->strict && media->shape && !oa_shape_property(media->shape, part->name) &&
            !(media->shape->properties == NULL && media->shape->open)) {
            oa_request_fail(ctx, 400, "body", part->name, pointer, "unknown form field '%s'",
                            part->name);
            continue;
        }
        if (part->filename || is_binary(shape)) {
            oa_upload *upload = apr_array_push(ctx->result->uploads);
            const char *label = part->filename ? part->filename : part->name;
            upload->field = part->name;
            upload->filename = part->filename;
            upload->content_type = part->content_type ? part->content_type : "text/plain";
            upload->data = part->data;
            upload->size = part->size;
            /* The file stands in the object by its name, so that `required` works. */
            add_whole(object, part->name,
                      json_string(oa_utf8_valid(label, strlen(label)) ? label
                                                                            : part->name),
                      shape);
        }
        else if (is_json_part(media, part, shape)) {
            json_t *value = parse_json(ctx, part->data, part->size, "body", part->name, pointer);
            if (value)
                add_whole(object, part->name, value, shape);
        }
        else if (memchr(part->data, '\0', part->size) ||
                 !oa_utf8_valid(part->data, part->size)) {
            oa_request_fail(ctx, 400, "body", part->name, pointer,
                            "form field '%s' is not UTF-8 text", part->name);
        }
        else {
            oa_query_pair *pair = apr_array_push(pairs);
            pair->name = part->name;
            pair->value = apr_pstrmemdup(ctx->pool, part->data, part->size);
            pair->used = 0;
        }
    }
    return form_object(ctx, media, pairs, object);
}

void oa_body_parse(oa_request_ctx *ctx)
{
    const oa_request_input *input = ctx->input;
    const oa_operation *op = ctx->op;
    const oa_media_type *media;
    const char *type = input->content_type;
    json_t *body = NULL;
    int errors_before = ctx->result->errors->nelts;
    int form = 0;

    if (!op->request_media || op->request_media->nelts == 0)
        return; /* no body declared: one sent anyway is ignored, as Connexion does */
    if (!input->body || input->body_length == 0) {
        if (op->request_body_required)
            oa_request_fail(ctx, 400, "body", NULL, "", "request body is required");
        return;
    }
    media = oa_request_select_media(op, type);
    if (!media) {
        if (type)
            oa_request_fail(ctx, 415, "header", "Content-Type", "",
                            "Content-Type '%s' is not accepted; accepted: %s", type,
                            accepted_list(ctx));
        else
            oa_request_fail(ctx, 415, "header", "Content-Type", "",
                            "the request has a body but no Content-Type; accepted: %s",
                            accepted_list(ctx));
        return;
    }
    ctx->result->media = media;
    if (oa_body_is_json_type(type)) {
        body = parse_json(ctx, input->body, input->body_length, "body", NULL, "");
    }
    else if (is_type(type, "application/x-www-form-urlencoded")) {
        body = parse_urlencoded(ctx, media);
        form = 1;
    }
    else if (is_type(type, "multipart/form-data")) {
        body = parse_multipart(ctx, media);
        form = 1;
    }
    else if (is_type(type, "text/plain")) {
        body = json_stringn(input->body, input->body_length);
        if (!body)
            oa_request_fail(ctx, 400, "body", NULL, "", "the text body is not UTF-8");
    }
    else {
        return; /* octet-stream and the like: the handler reads the bytes */
    }
    if (!body)
        return;
    ctx->result->body = oa_json_bind(ctx->pool, body);
    if (ctx->result->errors->nelts == errors_before)
        oa_request_validate(ctx, media->compiled, body, "body", NULL, form);
}
