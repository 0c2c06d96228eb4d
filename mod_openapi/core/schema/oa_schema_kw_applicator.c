/* Applicators of draft 6 and later: items in all its forms (prefixItems + items in
 * 2020-12, items array + additionalItems before), contains with minContains/maxContains,
 * propertyNames, dependentSchemas, if/then/else, $ref beside other keywords (2019-09+),
 * and the annotation-reporting forms of properties and anyOf that unevaluated* needs. */
#include "schema/oa_schema_internal.h"

#include <apr_strings.h>

static const oa_schema *compile_schema_at(oa_compile_ctx *cc, json_t *value,
                                          const char *keyword, const char *token)
{
    if (!oa_compile_is_schema(cc, value)) {
        oa_compile_error(cc, value, "%s must be a schema", keyword);
        return NULL;
    }
    return oa_compile_subschema(cc, value, keyword, token);
}

/* ---- prefixItems / items / additionalItems ---- */

typedef struct array_items_data {
    const oa_schema **tuple;   /* prefixItems, or items as an array */
    size_t tuple_count;
    const oa_schema *rest;     /* items (2020-12, or as a schema), or additionalItems */
} array_items_data;

static int validate_array_items(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const array_items_data *data = check->data;
    oa_annotations *annotations;
    size_t i, n = json_array_size(instance);
    int valid = 1;
    for (i = 0; i < n; i++) {
        const oa_schema *schema = i < data->tuple_count ? data->tuple[i] : data->rest;
        if (!schema)
            break;
        if (!oa_validate_item(ctx, schema, json_array_get(instance, i), i)) {
            valid = 0;
            if (!ctx->collect || ctx->stop)
                return 0;
        }
    }
    annotations = oa_annotations_for(ctx, instance);
    if (annotations) {
        if (data->rest)
            annotations->all_items = 1;
        else if (annotations->prefix < i)
            annotations->prefix = i;
    }
    return valid;
}

int oa_kw_array_items(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    apr_pool_t *pool = cc->reg->pool;
    int modern = OA_DIALECT_IS_2020_PLUS(cc->dialect);
    const char *tuple_keyword = modern ? "prefixItems" : "items";
    const char *rest_keyword = modern ? "items" : "additionalItems";
    json_t *tuple = json_object_get(cc->node, tuple_keyword);
    json_t *rest = json_object_get(cc->node, rest_keyword);
    array_items_data *data = apr_pcalloc(pool, sizeof(*data));
    (void)keyword;
    (void)value;
    if (!modern && tuple && !json_is_array(tuple)) {
        rest = tuple; /* items: {schema} applies to every item */
        rest_keyword = "items";
        tuple = NULL;
    }
    else if (!modern && !tuple) {
        rest = NULL; /* additionalItems alone means nothing */
    }
    if (tuple) {
        size_t i;
        json_t *item;
        if (!json_is_array(tuple) || (modern && json_array_size(tuple) == 0)) {
            oa_compile_error(cc, tuple, "%s must be a%s array of schemas", tuple_keyword,
                             modern ? " non-empty" : "n");
            return 0;
        }
        data->tuple_count = json_array_size(tuple);
        data->tuple = apr_pcalloc(pool, sizeof(*data->tuple) * (data->tuple_count + 1));
        json_array_foreach(tuple, i, item) {
            data->tuple[i] = compile_schema_at(cc, item, tuple_keyword,
                                               apr_psprintf(pool, "%lu", (unsigned long)i));
            if (!data->tuple[i])
                return 0;
        }
    }
    if (rest) {
        data->rest = compile_schema_at(cc, rest, rest_keyword, NULL);
        if (!data->rest)
            return 0;
    }
    if (data->tuple_count || data->rest)
        oa_compile_add_check(cc, validate_array_items, OA_KIND_ARRAY,
                             tuple ? tuple_keyword : rest_keyword, data);
    return 1;
}

/* ---- contains / minContains / maxContains ---- */

typedef struct contains_data {
    const oa_schema *schema;
    size_t min;
    size_t max;
    int has_max;
    int annotates; /* 2020-12: matching items count as evaluated */
} contains_data;

static int item_matches(oa_vctx *ctx, const oa_schema *schema, const json_t *item, size_t i)
{
    int saved = ctx->collect;
    int valid;
    ctx->collect = 0;
    valid = oa_validate_item(ctx, schema, item, i);
    ctx->collect = saved;
    return valid;
}

static int validate_contains(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const contains_data *data = check->data;
    size_t i, n = json_array_size(instance), matches = 0;
    oa_annotations *annotations = data->annotates ? oa_annotations_for(ctx, instance) : NULL;
    for (i = 0; i < n; i++) {
        if (!item_matches(ctx, data->schema, json_array_get(instance, i), i)) {
            if (ctx->limit_hit)
                return 0;
            continue;
        }
        matches++;
        if (annotations)
            oa_annotate_item(annotations, ctx->pool, i, n);
        else if (!data->has_max && matches >= data->min)
            return 1;
    }
    if (matches < data->min) {
        if (!ctx->collect)
            return 0;
        if (data->min == 1)
            return oa_vctx_fail(ctx, check, "%s does not contain items matching the given schema",
                                oa_repr(ctx->pool, instance));
        return oa_vctx_fail(ctx, check, "%s has too few items matching the given schema "
                                        "(at least %lu expected, %lu found)",
                            oa_repr(ctx->pool, instance), (unsigned long)data->min,
                            (unsigned long)matches);
    }
    if (data->has_max && matches > data->max) {
        if (!ctx->collect)
            return 0;
        return oa_vctx_fail(ctx, check, "%s has too many items matching the given schema "
                                        "(at most %lu expected, %lu found)",
                            oa_repr(ctx->pool, instance), (unsigned long)data->max,
                            (unsigned long)matches);
    }
    return 1;
}

int oa_kw_contains(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    json_t *contains = json_object_get(cc->node, "contains");
    json_t *min = json_object_get(cc->node, "minContains");
    json_t *max = json_object_get(cc->node, "maxContains");
    contains_data *data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    (void)keyword;
    (void)value;
    data->min = 1;
    if (min && !oa_compile_count(cc, "minContains", min, &data->min))
        return 0;
    if (max && !oa_compile_count(cc, "maxContains", max, &data->max))
        return 0;
    data->has_max = max != NULL;
    if (!contains)
        return 1; /* minContains / maxContains alone mean nothing */
    data->schema = compile_schema_at(cc, contains, "contains", NULL);
    if (!data->schema)
        return 0;
    data->annotates = OA_DIALECT_IS_2020_PLUS(cc->dialect);
    oa_compile_add_check(cc, validate_contains, OA_KIND_ARRAY, "contains", data);
    return 1;
}

/* ---- propertyNames ---- */

static int validate_property_names(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const oa_schema *schema = check->data;
    const char *key;
    size_t key_length;
    json_t *member;
    int valid = 1;
    json_object_keylen_foreach((json_t *)instance, key, key_length, member) {
        json_t *name = json_stringn_nocheck(key, key_length);
        int ok;
        if (!name)
            return oa_vctx_limit(ctx, oa_check_location(ctx->pool, check), "out of memory");
        ok = oa_validate_member(ctx, schema, name, key, key_length);
        json_decref(name);
        if (!ok) {
            valid = 0;
            if (!ctx->collect || ctx->stop)
                return 0;
        }
    }
    return valid;
}

int oa_kw_property_names(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    const oa_schema *schema = compile_schema_at(cc, value, keyword, NULL);
    if (!schema)
        return 0;
    oa_compile_add_check(cc, validate_property_names, OA_KIND_OBJECT, keyword, schema);
    return 1;
}

/* ---- dependentSchemas ---- */

/* draft 4's dependencies with only schemas: checked here, compiled by it */
int oa_kw_dependent_schemas(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    const char *name;
    json_t *sub;
    if (!json_is_object(value)) {
        oa_compile_error(cc, value, "%s must be an object of schemas", keyword);
        return 0;
    }
    json_object_foreach(value, name, sub) {
        if (!oa_compile_is_schema(cc, sub)) {
            oa_compile_error(cc, sub, "%s values must be schemas", keyword);
            return 0;
        }
    }
    return oa_kw_dependencies(cc, keyword, value);
}

/* ---- if / then / else ---- */

typedef struct if_data {
    const oa_schema *condition;
    const oa_schema *then_schema;
    const oa_schema *else_schema;
} if_data;

static int validate_if(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const if_data *data = check->data;
    const oa_schema *branch;
    if (oa_validate_silently(ctx, data->condition, instance))
        branch = data->then_schema;
    else if (ctx->limit_hit)
        return 0;
    else
        branch = data->else_schema;
    return branch ? oa_validate_schema(ctx, branch, instance) : 1;
}

int oa_kw_if(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    json_t *condition = json_object_get(cc->node, "if");
    json_t *then_value = json_object_get(cc->node, "then");
    json_t *else_value = json_object_get(cc->node, "else");
    if_data *data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    (void)keyword;
    (void)value;
    if (!condition || (!then_value && !else_value && !OA_DIALECT_IS_2019_PLUS(cc->dialect)))
        return 1; /* then / else without if mean nothing; if alone, before 2019-09, too */
    data->condition = compile_schema_at(cc, condition, "if", NULL);
    if (!data->condition)
        return 0;
    if (then_value && !(data->then_schema = compile_schema_at(cc, then_value, "then", NULL)))
        return 0;
    if (else_value && !(data->else_schema = compile_schema_at(cc, else_value, "else", NULL)))
        return 0;
    /* without then/else (2019-09 on), if still evaluates: its annotations count */
    oa_compile_add_check(cc, validate_if, OA_KIND_ALL, "if", data);
    return 1;
}

/* ---- $ref beside other keywords (2019-09 and later) ---- */

static int validate_ref(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    return oa_validate_schema(ctx, check->data, instance);
}

int oa_kw_ref_applicator(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    const oa_schema *target;
    if (!json_is_string(value)) {
        oa_compile_error(cc, value, "$ref must be a string");
        return 0;
    }
    target = oa_compile_ref(cc, value, json_string_value(value));
    if (!target)
        return 0;
    oa_compile_add_check(cc, validate_ref, OA_KIND_ALL, keyword, target);
    return 1;
}

/* ---- properties and anyOf, reporting what they evaluated ---- */

typedef struct annotated_properties {
    oa_check inner;                 /* the properties group's check, or validate NULL */
    const json_t *declared;         /* properties */
    const oa_pattern **patterns;    /* patternProperties */
    size_t pattern_count;
    int additional;                 /* additionalProperties present: every member */
} annotated_properties;

static int validate_properties_annotated(oa_vctx *ctx, const oa_check *check,
                                         const json_t *instance)
{
    const annotated_properties *data = check->data;
    oa_annotations *annotations;
    const char *key;
    size_t key_length, i;
    json_t *member;
    int valid = 1;
    /* when reporting, members stay evaluated even though a check failed: the instance is
     * invalid anyway, and unevaluatedProperties should not repeat them */
    if (data->inner.validate && !data->inner.validate(ctx, &data->inner, instance)) {
        if (!ctx->collect || ctx->stop)
            return 0;
        valid = 0;
    }
    annotations = oa_annotations_for(ctx, instance);
    if (!annotations || annotations->all_properties)
        return valid;
    if (data->additional) {
        annotations->all_properties = 1;
        return valid;
    }
    json_object_keylen_foreach((json_t *)instance, key, key_length, member) {
        int evaluated = data->declared && json_object_getn(data->declared, key, key_length);
        for (i = 0; !evaluated && i < data->pattern_count; i++)
            evaluated = oa_vctx_match(ctx, data->patterns[i], key, key_length) > 0;
        if (evaluated)
            oa_annotate_property(annotations, ctx->pool, key, key_length);
    }
    return valid;
}

const oa_check *oa_kw_properties_unwrap(const oa_check *check)
{
    const annotated_properties *data = check->data;
    return check->validate == validate_properties_annotated && data->inner.validate
               ? &data->inner
               : check;
}

int oa_kw_properties_annotated(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    annotated_properties *data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    json_t *patterns = json_object_get(cc->node, "patternProperties");
    int before = cc->checks->nelts;
    if (!oa_kw_properties(cc, keyword, value))
        return 0;
    if (cc->checks->nelts > before)
        data->inner = *(oa_check *)apr_array_pop(cc->checks);
    data->declared = json_object_get(cc->node, "properties");
    data->additional = json_object_get(cc->node, "additionalProperties") != NULL;
    if (json_is_object(patterns)) {
        const char *source;
        json_t *sub;
        data->patterns = apr_pcalloc(cc->reg->pool,
                                     sizeof(*data->patterns) * (json_object_size(patterns) + 1));
        json_object_foreach(patterns, source, sub) {
            data->patterns[data->pattern_count] = oa_compile_pattern(cc, sub, source);
            if (!data->patterns[data->pattern_count])
                return 0;
            data->pattern_count++;
        }
    }
    oa_compile_add_check(cc, validate_properties_annotated, OA_KIND_OBJECT,
                         data->inner.validate ? data->inner.keyword : keyword, data);
    return 1;
}

const oa_schema *oa_kw_ref_target(const oa_check *check)
{
    return check->validate == validate_ref ? check->data : NULL;
}

/* anyOf: every passing branch's annotations count, so when they are being collected
 * all branches run (otherwise the first that passes is enough). */
static int validate_any_of_annotated(oa_vctx *ctx, const oa_check *check,
                                     const json_t *instance)
{
    const oa_check *inner = check->data;
    const oa_schema_list *list = inner->data;
    size_t i;
    int passed = 0;
    if (!oa_annotations_for(ctx, instance))
        return inner->validate(ctx, inner, instance);
    for (i = 0; i < list->count; i++) {
        if (oa_validate_silently(ctx, list->schemas[i], instance))
            passed = 1;
        else if (ctx->limit_hit)
            return 0;
    }
    return passed ? 1 : inner->validate(ctx, inner, instance);
}

int oa_kw_any_of_annotated(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    oa_check *inner;
    if (!oa_kw_any_of(cc, keyword, value))
        return 0;
    inner = apr_palloc(cc->reg->pool, sizeof(*inner));
    *inner = *(oa_check *)apr_array_pop(cc->checks);
    oa_compile_add_check(cc, validate_any_of_annotated, OA_KIND_ALL, keyword, inner);
    return 1;
}
