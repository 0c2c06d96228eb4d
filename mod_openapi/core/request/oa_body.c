/* Request bodies: choose the declared media type, parse the body by the request's type,
 * validate the result against the media type's schema (request mode: readOnly properties
 * are rejected) and, for sequential types, each item against its itemSchema. */
#include "request/oa_body.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <string.h>
#include <strings.h>

#include "schema/oa_schema.h"
#include "util/oa_json.h"
#include "util/oa_utf8.h"
#include "util/oa_media_type.h"
#include "util/oa_sequence.h"
#include "request/oa_multipart.h"
#include "request/oa_request_ctx.h"
#include "request/oa_params_style.h"
#include "request/oa_transfer_encoding.h"
#include "request/oa_query.h"

static const char *accepted_list(oa_request_ctx *ctx)
{
    apr_array_header_t *names = apr_array_make(ctx->pool, ctx->op->request_media->nelts * 2,
                                               sizeof(const char *));
    int i;
    for (i = 0; i < ctx->op->request_media->nelts; i++) {
        if (i)
            APR_ARRAY_PUSH(names, const char *) = ", ";
        APR_ARRAY_PUSH(names, const char *) =
            APR_ARRAY_IDX(ctx->op->request_media, i, oa_media_type *)->name;
    }
    return apr_array_pstrcat(ctx->pool, names, 0); /* one copy, not one per name */
}

/* Where errors about form fields are: OpenAPI 2.0 calls them formData parameters. */
static const char *form_in(const oa_request_ctx *ctx)
{
    return ctx->spec && ctx->spec->major == 2 ? "formData" : "body";
}

json_t *oa_body_parse_json(oa_request_ctx *ctx, const char *data, size_t size, const char *in,
                           const char *name, const char *pointer)
{
    json_error_t jerr;
    /* duplicate keys refused: what we validate must be what any other parser reads */
    json_t *value = json_loadb(data, size,
                               JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
    if (!value)
        oa_request_fail(ctx, 400, in, name, pointer, "invalid JSON at line %d, column %d: %s",
                        jerr.line, jerr.column, jerr.text);
    return value;
}

/* Where an error about a form field is: in `in`, at the field's pointer, under the
 * owner's name (a querystring parameter) or else the field's own. */
typedef struct form_place {
    const char *in;
    const char *owner;
} form_place;

static json_t *field_value(oa_request_ctx *ctx, const oa_media_type *media, const char *name,
                           apr_array_header_t *pairs, const oa_shape *shape,
                           const form_place *place)
{
    oa_param_style style;
    const char *error = NULL;
    json_t *value;
    oa_param_style_of_encoding(json_object_get(media->encoding, name), &style);
    value = oa_style_from_pairs(&style, name, pairs, ctx->parser, shape, ctx->pool, &error);
    if (error)
        oa_request_fail(ctx, 400, place->in, place->owner ? place->owner : name,
                        oa_json_pointer_append(ctx->pool, "", name), "%s", error);
    return value;
}

/* Form fields (name=value pairs) into an object: declared properties by their encoding
 * and shape; other fields are unknown (strict mode) or kept as text for the schema's
 * additionalProperties to judge. */
static json_t *form_object(oa_request_ctx *ctx, const oa_media_type *media,
                           apr_array_header_t *pairs, json_t *object, const form_place *place)
{
    const oa_shape *shape = media->shape;
    apr_hash_t *groups;
    apr_array_header_t *order;
    int i;
    for (i = 0; shape && shape->property_names && i < shape->property_names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(shape->property_names, i, const char *);
        json_t *value;
        if (json_object_get(object, name))
            continue; /* a multipart file or JSON part gave it whole */
        value = field_value(ctx, media, name, pairs, oa_shape_property(shape, name), place);
        if (value)
            json_object_set_new(object, name, value);
    }
    /* The other fields, grouped by name in one pass, so that each is read once: reading
     * each through all pairs would cost the square of the number of fields. */
    groups = apr_hash_make(ctx->pool);
    order = apr_array_make(ctx->pool, 4, sizeof(apr_array_header_t *));
    for (i = 0; i < pairs->nelts; i++) {
        oa_query_pair *pair = &APR_ARRAY_IDX(pairs, i, oa_query_pair);
        apr_array_header_t *group;
        if (pair->used)
            continue;
        if (ctx->strict) {
            oa_request_fail(ctx, 400, place->in, place->owner ? place->owner : pair->name,
                            oa_json_pointer_append(ctx->pool, "", pair->name),
                            "unknown form field '%s'", pair->name);
            pair->used = 1;
            continue;
        }
        group = apr_hash_get(groups, pair->name, APR_HASH_KEY_STRING);
        if (!group) {
            group = apr_array_make(ctx->pool, 1, sizeof(oa_query_pair));
            apr_hash_set(groups, pair->name, APR_HASH_KEY_STRING, group);
            APR_ARRAY_PUSH(order, apr_array_header_t *) = group;
        }
        APR_ARRAY_PUSH(group, oa_query_pair) = *pair;
        pair->used = 1;
    }
    for (i = 0; i < order->nelts; i++) {
        apr_array_header_t *group = APR_ARRAY_IDX(order, i, apr_array_header_t *);
        const char *name = APR_ARRAY_IDX(group, 0, oa_query_pair).name;
        json_t *value =
            field_value(ctx, media, name, group, oa_shape_property(shape, name), place);
        if (value)
            json_object_set_new(object, name, value);
    }
    return object;
}

json_t *oa_body_form_fields(oa_request_ctx *ctx, const oa_media_type *media,
                            apr_array_header_t *pairs, const char *in, const char *owner)
{
    form_place place;
    place.in = in;
    place.owner = owner;
    return form_object(ctx, media, pairs, json_object(), &place);
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
    return oa_body_form_fields(ctx, media, pairs, form_in(ctx), NULL);
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
        return oa_media_type_is_json(part->content_type);
    return declared ? oa_media_type_is_json(declared) : strcmp(shape->type, "object") == 0;
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

/* A part's Content-Type must be one its Encoding Object allows; its bytes are decoded
 * by its Content-Transfer-Encoding. Errors name the field. */
static int part_acceptable(oa_request_ctx *ctx, const oa_media_type *media,
                           oa_multipart_part *part, const char *pointer)
{
    const char *allowed = json_string_value(
        json_object_get(json_object_get(media->encoding, part->name), "contentType"));
    const char *error = NULL;
    if (allowed && part->content_type && !oa_media_type_in_list(allowed, part->content_type)) {
        oa_request_fail(ctx, 400, form_in(ctx), part->name, pointer,
                        "part '%s' has Content-Type '%s'; its encoding allows %s", part->name,
                        part->content_type, allowed);
        return 0;
    }
    if (!oa_transfer_decode(ctx->pool, part->transfer_encoding, part->data, part->size,
                            &part->data, &part->size, &error)) {
        oa_request_fail(ctx, 400, form_in(ctx), part->name, pointer, "part '%s' %s",
                        part->name, error);
        return 0;
    }
    return 1;
}

static json_t *parse_multipart(oa_request_ctx *ctx, const oa_media_type *media)
{
    const char *error;
    apr_array_header_t *parts = oa_multipart_parse(ctx->pool, ctx->input->content_type,
                                                   ctx->input->body, ctx->input->body_length,
                                                   &error);
    apr_array_header_t *pairs;
    json_t *object;
    form_place place;
    int i;
    if (!parts) {
        oa_request_fail(ctx, 400, "body", NULL, "", "%s", error);
        return NULL;
    }
    pairs = apr_array_make(ctx->pool, parts->nelts, sizeof(oa_query_pair));
    object = json_object();
    for (i = 0; i < parts->nelts; i++) {
        oa_multipart_part *part = &APR_ARRAY_IDX(parts, i, oa_multipart_part);
        const oa_shape *shape = oa_shape_property(media->shape, part->name);
        const char *pointer = oa_json_pointer_append(ctx->pool, "", part->name);
        if (!oa_utf8_valid(part->name, strlen(part->name))) {
            oa_request_fail(ctx, 400, "body", NULL, "", "a form field name is not UTF-8");
            continue;
        }
        if (!part_acceptable(ctx, media, part, pointer))
            continue;
        if (ctx->strict && media->shape && !oa_shape_property(media->shape, part->name) &&
            !(media->shape->properties == NULL && media->shape->open)) {
            oa_request_fail(ctx, 400, form_in(ctx), part->name, pointer, "unknown form field '%s'",
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
            json_t *value = oa_body_parse_json(ctx, part->data, part->size, form_in(ctx), part->name,
                                       pointer);
            if (value)
                add_whole(object, part->name, value, shape);
        }
        else if (memchr(part->data, '\0', part->size) ||
                 !oa_utf8_valid(part->data, part->size)) {
            oa_request_fail(ctx, 400, form_in(ctx), part->name, pointer,
                            "form field '%s' is not UTF-8 text", part->name);
        }
        else {
            oa_query_pair *pair = apr_array_push(pairs);
            pair->name = part->name;
            pair->value = apr_pstrmemdup(ctx->pool, part->data, part->size);
            pair->used = 0;
        }
    }
    place.in = form_in(ctx);
    place.owner = NULL;
    return form_object(ctx, media, pairs, object, &place);
}

/* A sequential body (JSON Lines, JSON Text Sequence, event stream) as the array of its
 * items; a malformed item is a 400 at its pointer ("/3"), naming item and line. */
static json_t *parse_sequence(oa_request_ctx *ctx, oa_sequence_kind kind)
{
    oa_sequence_error error;
    json_t *items = oa_sequence_parse(ctx->pool, kind, ctx->input->body,
                                      ctx->input->body_length, &error);
    if (!items)
        oa_request_fail(ctx, 400, "body", NULL,
                        apr_psprintf(ctx->pool, "/%lu", (unsigned long)error.item), "%s",
                        error.message);
    return items;
}

/* itemSchema is applied to each item on its own (OpenAPI 3.2), errors under its index. */
static void validate_items(oa_request_ctx *ctx, const oa_media_type *media, json_t *items)
{
    size_t i;
    json_t *item;
    if (!media->item_compiled)
        return;
    json_array_foreach(items, i, item) {
        if (ctx->fill_defaults)
            oa_schema_fill_defaults(media->item_compiled, item);
        oa_request_validate_at(ctx, media->item_compiled, item, "body", NULL, 0,
                               apr_psprintf(ctx->pool, "/%lu", (unsigned long)i));
    }
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
    oa_sequence_kind sequence = OA_SEQUENCE_NONE;

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
    if ((sequence = oa_sequence_kind_of(type)) != OA_SEQUENCE_NONE) {
        body = parse_sequence(ctx, sequence);
    }
    else if (oa_media_type_is_json(type)) {
        body = oa_body_parse_json(ctx, input->body, input->body_length, "body", NULL, "");
    }
    else if (oa_media_type_is(type, "application/x-www-form-urlencoded")) {
        body = parse_urlencoded(ctx, media);
        form = 1;
    }
    else if (oa_media_type_is(type, "multipart/form-data")) {
        body = parse_multipart(ctx, media);
        form = 1;
    }
    else if (oa_media_type_is(type, "text/plain")) {
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
    if (ctx->fill_defaults && media->compiled)
        oa_schema_fill_defaults(media->compiled, body); /* what is validated is filled */
    if (ctx->result->errors->nelts == errors_before) {
        /* schema: the whole content (a sequence as the array of its items) */
        oa_request_validate(ctx, media->compiled, body, form ? form_in(ctx) : "body", NULL,
                            form);
        if (sequence != OA_SEQUENCE_NONE)
            validate_items(ctx, media, body);
    }
}

static const char *media_name(const void *list, int i)
{
    return APR_ARRAY_IDX((const apr_array_header_t *)list, i, oa_media_type *)->name;
}

const oa_media_type *oa_request_select_media(const oa_operation *op, const char *content_type)
{
    int i = op->request_media ? oa_media_type_select(content_type, op->request_media,
                                                     op->request_media->nelts, media_name)
                              : -1;
    return i < 0 ? NULL : APR_ARRAY_IDX(op->request_media, i, oa_media_type *);
}
