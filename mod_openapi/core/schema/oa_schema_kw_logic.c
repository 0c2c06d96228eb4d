/* Combining keywords: allOf, anyOf, oneOf, not, and $ref. Branches of anyOf/oneOf/not
 * run with error collection off and stop at their first failure, so a failing nested
 * anyOf costs one error message, not one per branch; the work limit bounds the rest. */
#include "schema/oa_schema_internal.h"

#include <apr_strings.h>

static oa_schema_list *compile_list(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    oa_schema_list *list;
    size_t i;
    json_t *sub;
    if (!json_is_array(value) || json_array_size(value) == 0) {
        oa_compile_error(cc, value, "%s must be a non-empty array of schemas", keyword);
        return NULL;
    }
    list = apr_pcalloc(cc->reg->pool, sizeof(*list));
    list->count = json_array_size(value);
    list->schemas = apr_pcalloc(cc->reg->pool, sizeof(*list->schemas) * list->count);
    json_array_foreach(value, i, sub) {
        list->schemas[i] = oa_compile_subschema(
            cc, sub, keyword, apr_psprintf(cc->reg->pool, "%lu", (unsigned long)i));
        if (!list->schemas[i])
            return NULL;
    }
    return list;
}

static int validate_all_of(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const oa_schema_list *list = check->data;
    size_t i;
    int valid = 1;
    for (i = 0; i < list->count; i++) {
        if (!oa_validate_schema(ctx, list->schemas[i], instance)) {
            valid = 0;
            if (!ctx->collect || ctx->stop)
                return 0;
        }
    }
    return valid;
}

static int validate_any_of(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const oa_schema_list *list = check->data;
    size_t i;
    for (i = 0; i < list->count; i++) {
        if (oa_validate_silently(ctx, list->schemas[i], instance))
            return 1;
        if (ctx->limit_hit)
            return 0;
    }
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s is not valid under any of the given schemas",
                        oa_repr(ctx->pool, instance));
}

static int validate_one_of(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const oa_schema_list *list = check->data;
    size_t i, first = 0;
    int matches = 0;
    for (i = 0; i < list->count; i++) {
        if (!oa_validate_silently(ctx, list->schemas[i], instance)) {
            if (ctx->limit_hit)
                return 0;
            continue;
        }
        if (++matches == 1) {
            first = i;
            continue;
        }
        if (!ctx->collect)
            return 0;
        return OA_VCTX_FAIL(ctx, check, "%s is valid under each of %s/%lu and %s/%lu",
                            oa_repr(ctx->pool, instance), check->keyword,
                            (unsigned long)first, check->keyword, (unsigned long)i);
    }
    if (matches == 1)
        return 1;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s is not valid under any of the given schemas",
                        oa_repr(ctx->pool, instance));
}

/* allOf, anyOf and oneOf compile alike: a list of subschemas and how to combine them. */
static int compile_combinator(oa_compile_ctx *cc, const char *keyword, json_t *value,
                              oa_check_fn combine)
{
    oa_schema_list *list = compile_list(cc, keyword, value);
    if (!list)
        return 0;
    oa_compile_add_check(cc, combine, OA_KIND_ALL, keyword, list);
    return 1;
}

int oa_kw_all_of(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    return compile_combinator(cc, keyword, value, validate_all_of);
}

int oa_kw_any_of(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    return compile_combinator(cc, keyword, value, validate_any_of);
}

int oa_kw_one_of(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    return compile_combinator(cc, keyword, value, validate_one_of);
}

/* ---- not ---- */

typedef struct not_data {
    const oa_schema *schema;
} not_data;

static int validate_not(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const not_data *data = check->data;
    if (!oa_validate_silently(ctx, data->schema, instance))
        return !ctx->limit_hit;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s should not be valid under %s",
                        oa_repr(ctx->pool, instance), oa_repr(ctx->pool, data->schema->node));
}

int oa_kw_not(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    not_data *data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    if (!oa_compile_is_schema(cc, value)) {
        oa_compile_error(cc, value, "not must be a schema");
        return 0;
    }
    data->schema = oa_compile_subschema(cc, value, keyword, NULL);
    if (!data->schema)
        return 0;
    oa_compile_add_check(cc, validate_not, OA_KIND_ALL, keyword, data);
    return 1;
}

/* ---- $ref ---- */

int oa_kw_ref(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    (void)keyword;
    if (!json_is_string(value)) {
        oa_compile_error(cc, value, "$ref must be a string");
        return 0;
    }
    /* the target may still be compiling (recursion): only its address is kept */
    cc->schema->ref = oa_compile_ref(cc, value, json_string_value(value));
    return cc->schema->ref != NULL;
}
