/* Array keywords: items/additionalItems, maxItems/minItems, uniqueItems. */
#include "schema/oa_schema_internal.h"

#include <apr_strings.h>
#include <stdlib.h>

/* ---- items / additionalItems ---- */

typedef struct items_data {
    const oa_schema *every;          /* items: {schema} */
    const oa_schema **tuple;         /* items: [schemas] */
    size_t tuple_count;
    const oa_schema *additional;     /* additionalItems: {schema} */
    int additional_forbidden;        /* additionalItems: false */
    const char *schema_location; /* additionalItems' own is made for an error */
} items_data;

static int validate_items(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const items_data *data = check->data;
    size_t i, n = json_array_size(instance);
    int valid = 1;
    if (data->every) {
        for (i = 0; i < n; i++) {
            if (!oa_validate_item(ctx, data->every, json_array_get(instance, i), i)) {
                valid = 0;
                if (!ctx->collect || ctx->stop)
                    return 0;
            }
        }
        return valid;
    }
    for (i = 0; i < n && i < data->tuple_count; i++) {
        if (!oa_validate_item(ctx, data->tuple[i], json_array_get(instance, i), i)) {
            valid = 0;
            if (!ctx->collect || ctx->stop)
                return 0;
        }
    }
    if (n <= data->tuple_count)
        return valid;
    if (data->additional_forbidden) {
        oa_name_list list = {NULL, 0};
        if (!ctx->collect)
            return 0;
        if (OA_VCTX_FULL(ctx))
            return oa_vctx_count(ctx);
        for (i = data->tuple_count; i < n; i++)
            oa_name_list_add(ctx->pool, &list,
                             i - data->tuple_count < OA_NAME_LIST_MAX
                                 ? oa_repr(ctx->pool, json_array_get(instance, i)) : NULL);
        return oa_vctx_fail_at(ctx,
                               oa_json_pointer_append(ctx->pool, data->schema_location,
                                                      "additionalItems"),
                               "additionalItems", NULL, 0,
                               apr_psprintf(ctx->pool,
                                            "Additional items are not allowed (%s %s unexpected)",
                                            oa_name_list_text(ctx->pool, &list),
                                            n - data->tuple_count == 1 ? "was" : "were"));
    }
    if (data->additional) {
        for (i = data->tuple_count; i < n; i++) {
            if (!oa_validate_item(ctx, data->additional, json_array_get(instance, i), i)) {
                valid = 0;
                if (!ctx->collect || ctx->stop)
                    return 0;
            }
        }
    }
    return valid;
}

const oa_schema *oa_kw_item_schema(const oa_check *check, size_t index, int *is_items)
{
    const items_data *data = check->data;
    *is_items = check->validate == validate_items;
    if (!*is_items)
        return NULL;
    if (data->every)
        return data->every;
    return index < data->tuple_count ? data->tuple[index] : data->additional;
}

int oa_kw_items(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    json_t *items = json_object_get(cc->node, "items");
    json_t *additional = json_object_get(cc->node, "additionalItems");
    items_data *data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    (void)keyword;
    (void)value;
    if (additional && !json_is_boolean(additional) && !json_is_object(additional)) {
        oa_compile_error(cc, additional, "additionalItems must be a boolean or a schema");
        return 0;
    }
    if (items && !json_is_object(items) && !json_is_array(items)) {
        oa_compile_error(cc, items, "items must be a schema or an array of schemas");
        return 0;
    }
    if (json_is_object(items)) {
        data->every = oa_compile_subschema(cc, items, "items", NULL);
        if (!data->every)
            return 0;
    }
    else {
        /* additionalItems only means something after a list of items */
        size_t i;
        json_t *item;
        if (!json_is_array(items))
            return 1;
        {
            data->tuple_count = json_array_size(items);
            data->tuple = apr_pcalloc(cc->reg->pool, sizeof(*data->tuple) * (data->tuple_count + 1));
            json_array_foreach(items, i, item) {
                data->tuple[i] = oa_compile_subschema(
                    cc, item, "items", apr_psprintf(cc->reg->pool, "%lu", (unsigned long)i));
                if (!data->tuple[i])
                    return 0;
            }
        }
        data->additional_forbidden = json_is_false(additional);
        if (json_is_object(additional)) {
            data->additional = oa_compile_subschema(cc, additional, "additionalItems", NULL);
            if (!data->additional)
                return 0;
        }
        data->schema_location = cc->location;
        if (!data->additional_forbidden && !data->additional && !data->tuple_count)
            return 1; /* nothing to check */
    }
    oa_compile_add_check(cc, validate_items, OA_KIND_ARRAY, "items", data);
    return 1;
}

/* ---- maxItems / minItems ---- */

static int validate_max_items(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    if (json_array_size(instance) <= *(const size_t *)check->data)
        return 1;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s is too long", oa_repr(ctx->pool, instance));
}

static int validate_min_items(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    if (json_array_size(instance) >= *(const size_t *)check->data)
        return 1;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s is too short", oa_repr(ctx->pool, instance));
}

static int compile_count(oa_compile_ctx *cc, const char *keyword, json_t *value,
                         oa_check_fn validate)
{
    size_t *limit = apr_palloc(cc->reg->pool, sizeof(*limit));
    if (!oa_compile_count(cc, keyword, value, limit))
        return 0;
    oa_compile_add_check(cc, validate, OA_KIND_ARRAY, keyword, limit);
    return 1;
}

int oa_kw_max_items(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    return compile_count(cc, keyword, value, validate_max_items);
}

int oa_kw_min_items(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    return compile_count(cc, keyword, value, validate_min_items);
}

/* ---- uniqueItems ---- */

typedef struct hashed_item {
    unsigned long hash;
    const json_t *value;
} hashed_item;

static int compare_hashed(const void *a, const void *b)
{
    unsigned long x = ((const hashed_item *)a)->hash;
    unsigned long y = ((const hashed_item *)b)->hash;
    return x < y ? -1 : x > y;
}

/* 1 when two items are equal, 0 when none are, -1 when too many unequal items share a
 * hash to compare them all (crafted collisions: the comparisons are capped at a small
 * multiple of the item count, so the cost stays O(n log n)). */
static int has_duplicates(apr_pool_t *pool, const json_t *array)
{
    size_t i, j, n = json_array_size(array);
    size_t budget = 8 * n + 1024;
    hashed_item *items;
    if (n < 2)
        return 0;
    if (n <= 16) {
        for (i = 0; i < n; i++)
            for (j = i + 1; j < n; j++)
                if (oa_json_equal(json_array_get(array, i), json_array_get(array, j)))
                    return 1;
        return 0;
    }
    /* sort by a hash consistent with equality; only equal hashes need comparing */
    items = apr_palloc(pool, sizeof(*items) * n);
    for (i = 0; i < n; i++) {
        items[i].value = json_array_get(array, i);
        items[i].hash = oa_json_hash(items[i].value);
    }
    qsort(items, n, sizeof(*items), compare_hashed);
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n && items[j].hash == items[i].hash; j++) {
            if (budget-- == 0)
                return -1;
            if (oa_json_equal(items[i].value, items[j].value))
                return 1;
        }
    return 0;
}

static int validate_unique_items(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    int found = has_duplicates(ctx->pool, instance);
    if (found < 0)
        return oa_vctx_limit(ctx, oa_check_location(ctx->pool, check),
                             "uniqueItems: too many items alike to compare");
    if (!found)
        return 1;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s has non-unique elements", oa_repr(ctx->pool, instance));
}

int oa_kw_unique_items(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    if (!json_is_boolean(value)) {
        oa_compile_error(cc, value, "uniqueItems must be a boolean");
        return 0;
    }
    if (json_is_true(value))
        oa_compile_add_check(cc, validate_unique_items, OA_KIND_ARRAY, keyword, NULL);
    return 1;
}
