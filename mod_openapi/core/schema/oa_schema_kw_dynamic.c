/* $dynamicRef (2020-12) and $recursiveRef (2019-09): references resolved against the
 * dynamic scope, the schema resources the evaluation passed through to get here (the
 * validation context's scope stack, pushed by schemas flagged OA_SCHEMA_SCOPE). */
#include "schema/oa_schema_internal.h"

#include <string.h>

typedef struct dynamic_ref_data {
    const oa_schema *initial;        /* as a plain $ref resolves it */
    const oa_anchor_set *anchors;    /* NULL: the initial target has no matching anchor,
                                        the reference is static */
    int recursive;                   /* $recursiveRef */
} dynamic_ref_data;

static const oa_schema *anchor_in(const oa_anchor_set *anchors, const char *base)
{
    int i;
    for (i = 0; i < anchors->entries->nelts; i++) {
        const oa_anchor_entry *entry = &APR_ARRAY_IDX(anchors->entries, i, oa_anchor_entry);
        if (entry->base == base || strcmp(entry->base, base) == 0)
            return entry->schema;
    }
    return NULL;
}

/* 2020-12: the outermost resource in scope that declares the anchor. 2019-09: from the
 * innermost resource outwards, as long as each has $recursiveAnchor: true. */
static const oa_schema *resolve_dynamic(const oa_vctx *ctx, const dynamic_ref_data *data)
{
    const oa_schema *chosen = data->initial;
    int i;
    if (data->recursive) {
        for (i = ctx->scope_length - 1; i >= 0; i--) {
            const oa_schema *found = anchor_in(data->anchors, ctx->scope[i]);
            if (!found)
                break;
            chosen = found;
        }
        return chosen;
    }
    for (i = 0; i < ctx->scope_length; i++) {
        const oa_schema *found = anchor_in(data->anchors, ctx->scope[i]);
        if (found)
            return found;
    }
    return chosen;
}

static int validate_dynamic_ref(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const dynamic_ref_data *data = check->data;
    return oa_validate_schema(ctx, data->anchors ? resolve_dynamic(ctx, data) : data->initial,
                              instance);
}

static int compile_dynamic(oa_compile_ctx *cc, const char *keyword, json_t *value,
                           int recursive)
{
    dynamic_ref_data *data;
    const char *ref;
    const char *fragment;
    const json_t *target_node;
    if (!json_is_string(value)) {
        oa_compile_error(cc, value, "%s must be a string", keyword);
        return 0;
    }
    ref = json_string_value(value);
    data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    data->recursive = recursive;
    data->initial = oa_compile_ref(cc, value, ref);
    if (!data->initial)
        return 0;
    target_node = data->initial->node;
    fragment = strchr(ref, '#');
    if (recursive) {
        if (json_is_true(json_object_get(target_node, "$recursiveAnchor")))
            data->anchors = oa_compile_anchor_set(cc->reg, OA_RECURSIVE_ANCHOR);
    }
    else if (fragment && fragment[1] && fragment[1] != '/') {
        /* a plain-name fragment whose target declares it as a dynamic anchor ("bookend") */
        json_t *declared = json_object_get(target_node, "$dynamicAnchor");
        if (json_is_string(declared) && strcmp(json_string_value(declared), fragment + 1) == 0)
            data->anchors = oa_compile_anchor_set(cc->reg, fragment + 1);
    }
    oa_compile_add_check(cc, validate_dynamic_ref, OA_KIND_ALL, keyword, data);
    return 1;
}

int oa_kw_dynamic_ref(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    return compile_dynamic(cc, keyword, value, 0);
}

int oa_kw_recursive_ref(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    return compile_dynamic(cc, keyword, value, 1);
}
