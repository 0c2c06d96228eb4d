/* Annotation collection and the keywords that read it: unevaluatedItems and
 * unevaluatedProperties see what the other keywords of their schema, and the subschemas
 * that passed on the same instance (allOf, anyOf, oneOf, $ref, $dynamicRef, if/then/else,
 * dependentSchemas), evaluated. Only schemas that contain unevaluated* get a collector
 * (decided at compile time); elsewhere ctx->annotations is NULL and costs one test. */
#include "schema/oa_schema_internal.h"

#include <apr_strings.h>
#include <string.h>

oa_annotations *oa_annotations_create(apr_pool_t *pool, const json_t *instance)
{
    oa_annotations *annotations = apr_pcalloc(pool, sizeof(oa_annotations));
    annotations->instance = instance;
    return annotations;
}

oa_annotations *oa_annotations_for(const oa_vctx *ctx, const json_t *instance)
{
    return ctx->annotations && ctx->annotations->instance == instance ? ctx->annotations
                                                                      : NULL;
}

static void ensure_bits(apr_pool_t *pool, oa_annotations *annotations, size_t count)
{
    unsigned char *bits;
    if (annotations->item_bits_count >= count)
        return;
    bits = apr_pcalloc(pool, (count + 7) / 8);
    if (annotations->item_bits)
        memcpy(bits, annotations->item_bits, (annotations->item_bits_count + 7) / 8);
    annotations->item_bits = bits;
    annotations->item_bits_count = count;
}

void oa_annotations_merge(apr_pool_t *pool, oa_annotations *into, const oa_annotations *from)
{
    size_t i;
    into->all_items |= from->all_items;
    if (into->prefix < from->prefix)
        into->prefix = from->prefix;
    if (from->item_bits) {
        ensure_bits(pool, into, from->item_bits_count);
        for (i = 0; i < (from->item_bits_count + 7) / 8; i++)
            into->item_bits[i] |= from->item_bits[i];
    }
    into->all_properties |= from->all_properties;
    if (from->properties && !into->all_properties) {
        if (!into->properties)
            into->properties = apr_hash_copy(pool, from->properties);
        else
            into->properties = apr_hash_overlay(pool, from->properties, into->properties);
    }
}

void oa_annotate_property(oa_annotations *annotations, apr_pool_t *pool, const char *key,
                          size_t key_length)
{
    if (annotations->all_properties)
        return;
    if (!annotations->properties)
        annotations->properties = apr_hash_make(pool);
    apr_hash_set(annotations->properties, key, (apr_ssize_t)key_length, "");
}

void oa_annotate_item(oa_annotations *annotations, apr_pool_t *pool, size_t index,
                      size_t count)
{
    if (annotations->all_items)
        return;
    ensure_bits(pool, annotations, count);
    annotations->item_bits[index / 8] |= (unsigned char)(1u << (index % 8));
}

static int item_evaluated(const oa_annotations *annotations, size_t index)
{
    return annotations->all_items || index < annotations->prefix ||
           (index < annotations->item_bits_count &&
            (annotations->item_bits[index / 8] & (1u << (index % 8))));
}

static int property_evaluated(const oa_annotations *annotations, const char *key,
                              size_t key_length)
{
    return annotations->all_properties ||
           (annotations->properties &&
            apr_hash_get(annotations->properties, key, (apr_ssize_t)key_length));
}

int oa_validate_tracked(oa_vctx *ctx, const oa_schema *target, const json_t *instance)
{
    oa_annotations *parent = ctx->annotations;
    int pushed = 0;
    int valid;
    if (target->flags & OA_SCHEMA_SCOPE) {
        /* bounded by the evaluation depth: one entry per nested evaluation at most */
        if (!ctx->scope)
            ctx->scope = apr_palloc(ctx->pool, sizeof(*ctx->scope) * (OA_SCHEMA_MAX_EVAL_DEPTH + 1));
        ctx->scope[ctx->scope_length++] = target->base_uri;
        pushed = 1;
    }
    if (target->flags & OA_SCHEMA_COLLECTS)
        ctx->annotations = oa_annotations_create(ctx->pool, instance);
    valid = oa_run_checks(ctx, target, instance);
    if (target->flags & OA_SCHEMA_COLLECTS) {
        /* a failure while reporting keeps its annotations (see the properties check) */
        if (parent && parent->instance == instance && (valid || ctx->collect))
            oa_annotations_merge(ctx->pool, parent, ctx->annotations);
        ctx->annotations = parent;
    }
    if (pushed)
        ctx->scope_length--;
    return valid;
}

/* ---- unevaluatedItems / unevaluatedProperties ---- */

typedef struct unevaluated_data {
    const oa_schema *schema;
    int forbidden; /* false: a listing error rather than one per member */
} unevaluated_data;

static int validate_unevaluated_items(oa_vctx *ctx, const oa_check *check,
                                      const json_t *instance)
{
    const unevaluated_data *data = check->data;
    oa_annotations *annotations = oa_annotations_for(ctx, instance);
    size_t i, n = json_array_size(instance);
    const char *unexpected = NULL;
    int valid = 1;
    if (!annotations || annotations->all_items)
        return 1;
    for (i = 0; i < n; i++) {
        if (item_evaluated(annotations, i))
            continue;
        if (data->forbidden) {
            valid = 0;
            if (!ctx->collect)
                return 0;
            unexpected = apr_pstrcat(ctx->pool, unexpected ? unexpected : "",
                                     unexpected ? ", " : "",
                                     oa_repr(ctx->pool, json_array_get(instance, i)), NULL);
        }
        else if (!oa_validate_item(ctx, data->schema, json_array_get(instance, i), i)) {
            valid = 0;
            if (!ctx->collect || ctx->stop)
                return 0;
        }
    }
    if (unexpected)
        return oa_vctx_fail(ctx, check, "Unevaluated items are not allowed (%s)", unexpected);
    if (valid)
        annotations->all_items = 1;
    return valid;
}

static int validate_unevaluated_properties(oa_vctx *ctx, const oa_check *check,
                                           const json_t *instance)
{
    const unevaluated_data *data = check->data;
    oa_annotations *annotations = oa_annotations_for(ctx, instance);
    const char *key;
    size_t key_length;
    json_t *member;
    const char *unexpected = NULL;
    int count = 0;
    int valid = 1;
    if (!annotations || annotations->all_properties)
        return 1;
    json_object_keylen_foreach((json_t *)instance, key, key_length, member) {
        if (property_evaluated(annotations, key, key_length))
            continue;
        if (data->forbidden) {
            valid = 0;
            if (!ctx->collect)
                return 0;
            count++;
            unexpected = apr_pstrcat(ctx->pool, unexpected ? unexpected : "",
                                     unexpected ? ", " : "",
                                     oa_repr_string(ctx->pool, key, key_length), NULL);
        }
        else if (!oa_validate_member(ctx, data->schema, member, key, key_length)) {
            valid = 0;
            if (!ctx->collect || ctx->stop)
                return 0;
        }
    }
    if (unexpected)
        return oa_vctx_fail(ctx, check,
                            "Unevaluated properties are not allowed (%s %s unexpected)",
                            unexpected, count == 1 ? "was" : "were");
    if (valid)
        annotations->all_properties = 1;
    return valid;
}

int oa_kw_unevaluated(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    unevaluated_data *data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    int items = strcmp(keyword, "unevaluatedItems") == 0;
    if (!oa_compile_is_schema(cc, value)) {
        oa_compile_error(cc, value, "%s must be a schema", keyword);
        return 0;
    }
    data->forbidden = json_is_false(value);
    if (!data->forbidden) {
        data->schema = oa_compile_subschema(cc, value, keyword, NULL);
        if (!data->schema)
            return 0;
    }
    oa_compile_add_check(cc, items ? validate_unevaluated_items : validate_unevaluated_properties,
                         items ? OA_KIND_ARRAY : OA_KIND_OBJECT, keyword, data);
    return 1;
}
