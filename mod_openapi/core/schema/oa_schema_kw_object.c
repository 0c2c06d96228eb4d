/* Object keywords: properties/patternProperties/additionalProperties (one pass over the
 * instance's members, declared names found through a precomputed hash table), required,
 * maxProperties/minProperties, dependencies. readOnly/writeOnly are enforced here, on the
 * members they describe. */
#include "schema/oa_schema_internal.h"

#include <apr_strings.h>
#include <string.h>

/* ---- the declared-name table ---- */

typedef struct property_entry {
    const char *name;
    size_t length;
    unsigned long hash;
    const oa_schema *schema;
} property_entry;

typedef struct property_table {
    property_entry *slots;  /* open addressing; name NULL = empty */
    size_t mask;            /* slot count - 1 (a power of two) */
    size_t count;
} property_table;

/* Cheap on purpose: it runs for every member of every validated object, and property
 * names of one schema rarely agree in length and first, middle and last byte. Collisions
 * only cost a comparison. */
static unsigned long hash_name(const char *name, size_t length)
{
    const unsigned char *p = (const unsigned char *)name;
    if (length == 0)
        return 0;
    return (unsigned long)length * 0x9E3779B1UL ^ (unsigned long)p[0] * 0x85EBCA77UL ^
           (unsigned long)p[length / 2] * 0xC2B2AE3DUL ^ (unsigned long)p[length - 1] * 0x27D4EB2FUL;
}

static void table_init(apr_pool_t *pool, property_table *table, size_t count)
{
    size_t slots = 4;
    while (slots < count * 2)
        slots *= 2;
    table->slots = apr_pcalloc(pool, sizeof(*table->slots) * slots);
    table->mask = slots - 1;
    table->count = 0;
}

static void table_add(property_table *table, const char *name, size_t length,
                      const oa_schema *schema)
{
    unsigned long hash = hash_name(name, length);
    size_t i = hash & table->mask;
    while (table->slots[i].name)
        i = (i + 1) & table->mask;
    table->slots[i].name = name;
    table->slots[i].length = length;
    table->slots[i].hash = hash;
    table->slots[i].schema = schema;
    table->count++;
}

static const property_entry *table_find(const property_table *table, const char *name,
                                        size_t length)
{
    unsigned long hash;
    size_t i;
    if (!table->count)
        return NULL;
    hash = hash_name(name, length);
    for (i = hash & table->mask; table->slots[i].name; i = (i + 1) & table->mask) {
        const property_entry *entry = &table->slots[i];
        if (entry->hash == hash && entry->length == length &&
            memcmp(entry->name, name, length) == 0)
            return entry;
    }
    return NULL;
}

/* ---- properties / patternProperties / additionalProperties ---- */

typedef struct pattern_property {
    const oa_pattern *pattern;
    const oa_schema *schema;
} pattern_property;

typedef struct properties_data {
    property_table declared;
    pattern_property *patterns;
    size_t pattern_count;
    const oa_schema *additional;     /* additionalProperties: {schema} */
    int additional_forbidden;        /* additionalProperties: false */
    const char *schema_location; /* additionalProperties' own is made for an error */
    const char *properties_location;
} properties_data;

/* readOnly members are not to be sent in requests, writeOnly ones not in responses */
static int member_direction_ok(oa_vctx *ctx, const properties_data *data,
                               const property_entry *entry)
{
    const oa_schema *target;
    if (ctx->mode == OA_MODE_NONE)
        return 1;
    target = oa_schema_target(entry->schema);
    if (!target)
        return 1;
    if (ctx->mode == OA_MODE_REQUEST && (target->flags & OA_SCHEMA_READ_ONLY)) {
        if (!ctx->collect)
            return 0;
        return OA_VCTX_FAIL_AT(ctx, apr_pstrcat(ctx->pool, target->location, "/readOnly", NULL),
                               "readOnly", entry->name, entry->length,
                               apr_psprintf(ctx->pool, "%s is read-only",
                                            oa_repr_string(ctx->pool, entry->name,
                                                           entry->length)));
    }
    if (ctx->mode == OA_MODE_RESPONSE && (target->flags & OA_SCHEMA_WRITE_ONLY)) {
        if (!ctx->collect)
            return 0;
        return OA_VCTX_FAIL_AT(ctx, apr_pstrcat(ctx->pool, target->location, "/writeOnly", NULL),
                               "writeOnly", entry->name, entry->length,
                               apr_psprintf(ctx->pool, "%s is write-only",
                                            oa_repr_string(ctx->pool, entry->name,
                                                           entry->length)));
    }
    (void)data;
    return 1;
}

static int validate_properties(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const properties_data *data = check->data;
    const char *key;
    size_t key_length;
    json_t *member;
    oa_name_list unexpected = {NULL, 0};
    long unexpected_count = 0;
    int valid = 1;

    json_object_keylen_foreach((json_t *)instance, key, key_length, member) {
        const property_entry *entry = table_find(&data->declared, key, key_length);
        int matched = entry != NULL;
        size_t i;
        if (entry) {
            if (!member_direction_ok(ctx, data, entry) ||
                !oa_validate_member(ctx, entry->schema, member, key, key_length)) {
                valid = 0;
                if (!ctx->collect || ctx->stop)
                    return 0;
            }
        }
        for (i = 0; i < data->pattern_count; i++) {
            int found = oa_vctx_match(ctx, data->patterns[i].pattern, key, key_length);
            if (found < 0)
                return oa_vctx_limit(ctx, oa_check_location(ctx->pool, check),
                                     "a patternProperties regular expression hit its limits");
            if (!found)
                continue;
            matched = 1;
            if (!oa_validate_member(ctx, data->patterns[i].schema, member, key, key_length)) {
                valid = 0;
                if (!ctx->collect || ctx->stop)
                    return 0;
            }
        }
        if (matched)
            continue;
        if (data->additional_forbidden) {
            valid = 0;
            if (!ctx->collect)
                return 0;
            unexpected_count++;
            if (!OA_VCTX_FULL(ctx))
                oa_name_list_add(ctx->pool, &unexpected,
                                 unexpected.shown && unexpected.shown->nelts >= OA_NAME_LIST_MAX
                                     ? NULL : oa_repr_string(ctx->pool, key, key_length));
        }
        else if (data->additional &&
                 !oa_validate_member(ctx, data->additional, member, key, key_length)) {
            valid = 0;
            if (!ctx->collect || ctx->stop)
                return 0;
        }
    }
    if (unexpected_count)
        OA_VCTX_FAIL_AT(ctx,
                        oa_json_pointer_append(ctx->pool, data->schema_location,
                                               "additionalProperties"),
                        "additionalProperties", NULL, 0,
                        apr_psprintf(ctx->pool,
                                     "Additional properties are not allowed (%s %s unexpected)",
                                     oa_name_list_text(ctx->pool, &unexpected),
                                     unexpected_count == 1 ? "was" : "were"));
    return valid;
}

int oa_kw_properties_each(const oa_check *check, oa_property_fn fn, void *baton)
{
    const properties_data *data;
    size_t i;
    check = oa_kw_properties_unwrap(check);
    data = check->data;
    if (check->validate != validate_properties)
        return 0;
    for (i = 0; data->declared.count && i <= data->declared.mask; i++)
        if (data->declared.slots[i].name)
            fn(baton, data->declared.slots[i].name, data->declared.slots[i].length,
               data->declared.slots[i].schema);
    return 1;
}

int oa_kw_properties(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    apr_pool_t *pool = cc->reg->pool;
    json_t *properties = json_object_get(cc->node, "properties");
    json_t *patterns = json_object_get(cc->node, "patternProperties");
    json_t *additional = json_object_get(cc->node, "additionalProperties");
    properties_data *data = apr_pcalloc(pool, sizeof(*data));
    const char *name;
    size_t name_length;
    json_t *sub;
    int ok = 1;
    (void)keyword;
    (void)value;

    if (properties && !json_is_object(properties)) {
        oa_compile_error(cc, properties, "properties must be an object of schemas");
        return 0;
    }
    if (patterns && !json_is_object(patterns)) {
        oa_compile_error(cc, patterns, "patternProperties must be an object of schemas");
        return 0;
    }
    if (additional && !json_is_boolean(additional) && !json_is_object(additional)) {
        oa_compile_error(cc, additional, "additionalProperties must be a boolean or a schema");
        return 0;
    }
    table_init(pool, &data->declared, properties ? json_object_size(properties) : 0);
    if (properties) {
        json_object_keylen_foreach(properties, name, name_length, sub) {
            const oa_schema *schema = oa_compile_subschema(cc, sub, "properties", name);
            if (!schema) {
                ok = 0;
                continue;
            }
            table_add(&data->declared, name, name_length, schema);
        }
    }
    if (patterns) {
        size_t i = 0;
        data->pattern_count = json_object_size(patterns);
        data->patterns = apr_pcalloc(pool, sizeof(*data->patterns) * (data->pattern_count + 1));
        json_object_foreach(patterns, name, sub) {
            data->patterns[i].pattern = oa_compile_pattern(cc, sub, name);
            data->patterns[i].schema = oa_compile_subschema(cc, sub, "patternProperties", name);
            if (!data->patterns[i].pattern || !data->patterns[i].schema)
                ok = 0;
            i++;
        }
    }
    data->additional_forbidden = json_is_false(additional);
    if (json_is_object(additional)) {
        data->additional = oa_compile_subschema(cc, additional, "additionalProperties", NULL);
        if (!data->additional)
            ok = 0;
    }
    data->schema_location = cc->location;
    if (!ok)
        return 0;
    if (!data->declared.count && !data->pattern_count && !data->additional &&
        !data->additional_forbidden)
        return 1;
    oa_compile_add_check(cc, validate_properties, OA_KIND_OBJECT,
                         properties ? "properties"
                                    : patterns ? "patternProperties" : "additionalProperties",
                         data);
    return 1;
}

/* ---- required ---- */

typedef struct required_name {
    const char *name;
    size_t length;
    const oa_schema *schema; /* the property's schema, for readOnly/writeOnly; or NULL */
} required_name;

typedef struct required_data {
    required_name *names;
    size_t count;
} required_data;

/* OpenAPI 3.0: a required readOnly property is required in responses only, a writeOnly
 * one in requests only. */
static int required_in_mode(const oa_vctx *ctx, const required_name *required)
{
    const oa_schema *target;
    if (ctx->mode == OA_MODE_NONE || !required->schema)
        return 1;
    target = oa_schema_target(required->schema);
    if (!target)
        return 1;
    if (ctx->mode == OA_MODE_REQUEST && (target->flags & OA_SCHEMA_READ_ONLY))
        return 0;
    if (ctx->mode == OA_MODE_RESPONSE && (target->flags & OA_SCHEMA_WRITE_ONLY))
        return 0;
    return 1;
}

static int validate_required(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const required_data *data = check->data;
    size_t i;
    int valid = 1, before;
    for (i = 0; i < data->count; i++) {
        const required_name *required = &data->names[i];
        if (json_object_getn(instance, required->name, required->length) ||
            !required_in_mode(ctx, required))
            continue;
        valid = 0;
        if (!ctx->collect)
            return 0;
        before = ctx->errors ? ctx->errors->nelts : 0;
        OA_VCTX_FAIL(ctx, check, "%s is a required property",
                     oa_repr_string(ctx->pool, required->name, required->length));
        if (ctx->errors && ctx->errors->nelts > before) /* kept: say which property */
            APR_ARRAY_IDX(ctx->errors, ctx->errors->nelts - 1, oa_schema_error).property =
                apr_pstrmemdup(ctx->pool, required->name, required->length);
        if (ctx->stop)
            return 0;
    }
    return valid;
}

int oa_kw_required(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    required_data *data;
    json_t *properties = json_object_get(cc->node, "properties");
    size_t i;
    json_t *name;
    if (!json_is_array(value)) {
        oa_compile_error(cc, value, "required must be an array of property names");
        return 0;
    }
    data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    data->count = json_array_size(value);
    data->names = apr_pcalloc(cc->reg->pool, sizeof(*data->names) * (data->count + 1));
    json_array_foreach(value, i, name) {
        json_t *property;
        if (!json_is_string(name)) {
            oa_compile_error(cc, name, "required must be an array of property names");
            return 0;
        }
        data->names[i].name = json_string_value(name);
        data->names[i].length = json_string_length(name);
        property = json_is_object(properties) ? json_object_get(properties, json_string_value(name))
                                              : NULL;
        if (cc->reg->dialect != OA_DIALECT_DRAFT4 && json_is_object(property))
            data->names[i].schema = oa_compile_subschema(cc, property, "properties",
                                                         json_string_value(name));
    }
    if (data->count)
        oa_compile_add_check(cc, validate_required, OA_KIND_OBJECT, keyword, data);
    return 1;
}

/* ---- maxProperties / minProperties ---- */

static int validate_max_properties(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    if (json_object_size(instance) <= *(const size_t *)check->data)
        return 1;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s has too many properties", oa_repr(ctx->pool, instance));
}

static int validate_min_properties(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    if (json_object_size(instance) >= *(const size_t *)check->data)
        return 1;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s does not have enough properties",
                        oa_repr(ctx->pool, instance));
}

static int compile_property_count(oa_compile_ctx *cc, const char *keyword, json_t *value,
                                  oa_check_fn validate)
{
    size_t *limit = apr_palloc(cc->reg->pool, sizeof(*limit));
    if (!oa_compile_count(cc, keyword, value, limit))
        return 0;
    oa_compile_add_check(cc, validate, OA_KIND_OBJECT, keyword, limit);
    return 1;
}

int oa_kw_max_properties(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    return compile_property_count(cc, keyword, value, validate_max_properties);
}

int oa_kw_min_properties(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    return compile_property_count(cc, keyword, value, validate_min_properties);
}

/* ---- dependencies ---- */

typedef struct dependency {
    const char *name;
    size_t length;
    const json_t *names;     /* property dependency: names that must be present */
    const oa_schema *schema; /* schema dependency */
} dependency;

typedef struct dependencies_data {
    dependency *items;
    size_t count;
} dependencies_data;

static int validate_dependencies(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const dependencies_data *data = check->data;
    size_t i, j;
    int valid = 1;
    for (i = 0; i < data->count; i++) {
        const dependency *dep = &data->items[i];
        if (!json_object_getn(instance, dep->name, dep->length))
            continue;
        if (dep->schema) {
            if (!oa_validate_schema(ctx, dep->schema, instance)) {
                valid = 0;
                if (!ctx->collect || ctx->stop)
                    return 0;
            }
            continue;
        }
        for (j = 0; j < json_array_size(dep->names); j++) {
            const json_t *needed = json_array_get(dep->names, j);
            if (json_object_getn(instance, json_string_value(needed), json_string_length(needed)))
                continue;
            valid = 0;
            if (!ctx->collect)
                return 0;
            OA_VCTX_FAIL(ctx, check, "%s is a dependency of %s", oa_repr(ctx->pool, needed),
                         oa_repr_string(ctx->pool, dep->name, dep->length));
            if (ctx->stop)
                return 0;
        }
    }
    return valid;
}

int oa_kw_dependencies(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    dependencies_data *data;
    const char *name;
    size_t name_length;
    json_t *sub;
    size_t i = 0;
    if (!json_is_object(value)) {
        oa_compile_error(cc, value, "dependencies must be an object");
        return 0;
    }
    data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    data->count = json_object_size(value);
    data->items = apr_pcalloc(cc->reg->pool, sizeof(*data->items) * (data->count + 1));
    json_object_keylen_foreach(value, name, name_length, sub) {
        dependency *dep = &data->items[i++];
        dep->name = name;
        dep->length = name_length;
        if (oa_compile_is_schema(cc, sub)) {
            dep->schema = oa_compile_subschema(cc, sub, keyword, name);
            if (!dep->schema)
                return 0;
        }
        else if (json_is_array(sub)) {
            size_t j;
            json_t *needed;
            json_array_foreach(sub, j, needed) {
                if (!json_is_string(needed)) {
                    oa_compile_error(cc, needed, "a property dependency must list names");
                    return 0;
                }
            }
            dep->names = sub;
        }
        else {
            oa_compile_error(cc, sub, "a dependency must be a schema or an array of names");
            return 0;
        }
    }
    if (data->count)
        oa_compile_add_check(cc, validate_dependencies, OA_KIND_OBJECT, keyword, data);
    return 1;
}
