/* Assertions added after draft 4: const, dependentRequired, and the `false` schema. */
#include "schema/oa_schema_internal.h"

#include <apr_strings.h>

/* ---- false ---- */

int oa_validate_false(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    if (!ctx->collect)
        return 0;
    return oa_vctx_fail(ctx, check, "False schema does not allow %s",
                        oa_repr(ctx->pool, instance));
}

/* ---- const ---- */

static int validate_const(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const json_t *expected = check->data;
    if (oa_json_equal(expected, instance))
        return 1;
    if (!ctx->collect)
        return 0;
    return oa_vctx_fail(ctx, check, "%s was expected", oa_repr(ctx->pool, expected));
}

int oa_kw_const(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    oa_compile_add_check(cc, validate_const, OA_KIND_ALL, keyword, value);
    return 1;
}

/* ---- dependentRequired ---- */

typedef struct dependent_required {
    const char *name;
    size_t length;
    const json_t *needed; /* array of names */
} dependent_required;

typedef struct dependent_required_data {
    dependent_required *items;
    size_t count;
} dependent_required_data;

static int validate_dependent_required(oa_vctx *ctx, const oa_check *check,
                                       const json_t *instance)
{
    const dependent_required_data *data = check->data;
    size_t i, j;
    int valid = 1;
    for (i = 0; i < data->count; i++) {
        const dependent_required *dep = &data->items[i];
        if (!json_object_getn(instance, dep->name, dep->length))
            continue;
        for (j = 0; j < json_array_size(dep->needed); j++) {
            const json_t *needed = json_array_get(dep->needed, j);
            if (json_object_getn(instance, json_string_value(needed),
                                 json_string_length(needed)))
                continue;
            valid = 0;
            if (!ctx->collect)
                return 0;
            oa_vctx_fail(ctx, check, "%s is a dependency of %s", oa_repr(ctx->pool, needed),
                         oa_repr_string(ctx->pool, dep->name, dep->length));
            if (ctx->stop)
                return 0;
        }
    }
    return valid;
}

int oa_kw_dependent_required(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    dependent_required_data *data;
    const char *name;
    size_t name_length, i = 0;
    json_t *names;
    if (!json_is_object(value)) {
        oa_compile_error(cc, value, "%s must be an object of property name arrays", keyword);
        return 0;
    }
    data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    data->items = apr_pcalloc(cc->reg->pool, sizeof(*data->items) * (json_object_size(value) + 1));
    json_object_keylen_foreach(value, name, name_length, names) {
        size_t j;
        json_t *needed;
        if (!json_is_array(names)) {
            oa_compile_error(cc, names, "%s values must be arrays of property names", keyword);
            return 0;
        }
        json_array_foreach(names, j, needed) {
            if (!json_is_string(needed)) {
                oa_compile_error(cc, needed, "%s values must be arrays of property names",
                                 keyword);
                return 0;
            }
        }
        data->items[i].name = name;
        data->items[i].length = name_length;
        data->items[i].needed = names;
        i++;
    }
    data->count = i;
    if (data->count)
        oa_compile_add_check(cc, validate_dependent_required, OA_KIND_OBJECT, keyword, data);
    return 1;
}
