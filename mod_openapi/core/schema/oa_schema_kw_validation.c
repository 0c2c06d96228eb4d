/* Assertions added after draft 4: const, dependentRequired (draft 4's dependencies split
 * in two), and the `false` schema. */
#include "schema/oa_schema_internal.h"


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

/* draft 4's dependencies with only property-name arrays: checked here, compiled by it */
int oa_kw_dependent_required(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    const char *name;
    json_t *names;
    if (!json_is_object(value)) {
        oa_compile_error(cc, value, "%s must be an object of property name arrays", keyword);
        return 0;
    }
    json_object_foreach(value, name, names) {
        if (!json_is_array(names)) {
            oa_compile_error(cc, names, "%s values must be arrays of property names", keyword);
            return 0;
        }
    }
    return oa_kw_dependencies(cc, keyword, value);
}
