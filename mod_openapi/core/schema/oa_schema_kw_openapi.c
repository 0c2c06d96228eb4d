/* OpenAPI keywords: default (exposed to the request layer), readOnly/writeOnly (flags
 * the enclosing object's properties check enforces) and discriminator (picks the one
 * branch to validate and report on). nullable is read by `type`. */
#include "schema/oa_schema_internal.h"

#include <apr_strings.h>
#include <string.h>

int oa_kw_default(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    (void)keyword;
    cc->schema->default_value = value;
    return 1;
}

int oa_kw_annotation_flag(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    if (!json_is_boolean(value)) {
        oa_compile_error(cc, value, "%s must be a boolean", keyword);
        return 0;
    }
    if (json_is_true(value))
        cc->schema->flags |= strcmp(keyword, "readOnly") == 0 ? OA_SCHEMA_READ_ONLY
                                                              : OA_SCHEMA_WRITE_ONLY;
    return 1;
}

/* ---- discriminator ---- */

typedef struct discriminator_data {
    const char *property;
    size_t property_length;
    apr_hash_t *by_value;       /* discriminator value -> const oa_schema * (read-only) */
    const char *known_values;   /* "'Cat', 'Dog'" for messages */
    const oa_schema *self;
    const oa_schema *default_target; /* 3.2 defaultMapping: property absent or unmapped */
    oa_check fallback;          /* the oneOf/anyOf it took over, or validate == NULL */
} discriminator_data;

static int dispatch(oa_vctx *ctx, const oa_check *check, const oa_schema *target,
                    const json_t *instance)
{
    int valid;
    if (ctx->dispatch_count == (int)(sizeof(ctx->dispatched) / sizeof(ctx->dispatched[0])))
        return oa_vctx_limit(ctx, oa_check_location(ctx->pool, check), "discriminators nested too deeply");
    ctx->dispatched[ctx->dispatch_count++] = instance;
    valid = oa_validate_schema(ctx, target, instance);
    ctx->dispatch_count--;
    return valid;
}

static int validate_discriminator(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const discriminator_data *data = check->data;
    const json_t *value;
    const oa_schema *target;
    int i;

    /* Once an instance's type is chosen, discriminators met again on the same instance
     * (Cat = allOf[Pet, ...] where Pet has one too) have nothing left to choose. */
    for (i = 0; i < ctx->dispatch_count; i++)
        if (ctx->dispatched[i] == instance)
            return 1;
    if (!json_is_object(instance))
        return data->fallback.validate
            ? data->fallback.validate(ctx, &data->fallback, instance) : 1;
    value = json_object_getn(instance, data->property, data->property_length);
    if (data->default_target &&
        (!json_is_string(value) ||
         !apr_hash_get(data->by_value, json_string_value(value), json_string_length(value))))
        return dispatch(ctx, check, data->default_target, instance);
    if (!value) {
        if (!ctx->collect)
            return 0;
        return OA_VCTX_FAIL(ctx, check, "%s is a required property",
                            oa_repr_string(ctx->pool, data->property, data->property_length));
    }
    if (!json_is_string(value)) {
        if (!ctx->collect)
            return 0;
        return OA_VCTX_FAIL_AT(ctx, oa_check_location(ctx->pool, check), check->keyword, data->property,
                               data->property_length,
                               apr_psprintf(ctx->pool, "%s is not of type 'string'",
                                            oa_repr(ctx->pool, value)));
    }
    target = apr_hash_get(data->by_value, json_string_value(value), json_string_length(value));
    if (!target) {
        if (!ctx->collect)
            return 0;
        return OA_VCTX_FAIL_AT(ctx, oa_check_location(ctx->pool, check), check->keyword, data->property,
                               data->property_length,
                               apr_psprintf(ctx->pool, "%s is not one of [%s]",
                                            oa_repr(ctx->pool, value), data->known_values));
    }
    if (oa_schema_target(target) == data->self)
        return 1; /* the base schema itself: its own keywords are being checked already */
    return dispatch(ctx, check, target, instance);
}

static void add_value(oa_compile_ctx *cc, discriminator_data *data, const char *value,
                      const oa_schema *schema)
{
    apr_pool_t *pool = cc->reg->pool;
    const char *quoted = oa_repr_string(pool, value, strlen(value));
    if (apr_hash_get(data->by_value, value, APR_HASH_KEY_STRING))
        return; /* an explicit mapping wins over implicit names */
    apr_hash_set(data->by_value, apr_pstrdup(pool, value), APR_HASH_KEY_STRING, schema);
    data->known_values = data->known_values
        ? apr_pstrcat(pool, data->known_values, ", ", quoted, NULL) : quoted;
}

/* "#/components/schemas/Cat" -> "Cat" */
static const char *last_segment(const char *ref)
{
    const char *slash = strrchr(ref, '/');
    return slash ? slash + 1 : ref;
}

/* The reference a mapping value stands for: a schema name when the container has a
 * schema of that name (names may hold dots), a reference otherwise. */
static const char *name_to_ref(oa_compile_ctx *cc, const char *container, const char *name)
{
    oa_diag *ignored;
    const char *target_base;
    json_t *schemas;
    if (strchr(name, '/') || strchr(name, '#'))
        return name;
    ignored = oa_diag_create(cc->reg->pool);
    schemas = oa_docset_resolve(cc->reg->docs, cc->reg->pool, cc->base_uri, container, &target_base, ignored);
    if (!strchr(name, '.') || json_object_get(schemas, name))
        return oa_json_pointer_append(cc->reg->pool, container, name);
    return name;
}

/* Without oneOf/anyOf, the candidates are the schemas of the same container that extend
 * this one through allOf (and this one). */
static int add_subtypes(oa_compile_ctx *cc, discriminator_data *data, const char *container)
{
    oa_diag *ignored = oa_diag_create(cc->reg->pool);
    const char *target_base;
    json_t *schemas = oa_docset_resolve(cc->reg->docs, cc->reg->pool, cc->base_uri, container, &target_base,
                                        ignored);
    const char *name;
    json_t *candidate;
    if (!json_is_object(schemas))
        return 1;
    json_object_foreach(schemas, name, candidate) {
        json_t *all_of = json_object_get(candidate, "allOf");
        size_t i;
        json_t *part;
        int extends = candidate == cc->node;
        json_array_foreach(all_of, i, part) {
            json_t *ref = json_object_get(part, "$ref");
            if (json_is_string(ref) &&
                oa_docset_resolve(cc->reg->docs, cc->reg->pool, cc->base_uri, json_string_value(ref),
                                  &target_base, ignored) == cc->node)
                extends = 1;
        }
        if (extends) {
            const oa_schema *schema = oa_compile_ref(cc, candidate,
                                                     name_to_ref(cc, container, name));
            if (!schema)
                return 0;
            add_value(cc, data, name, schema);
        }
    }
    return 1;
}

int oa_kw_discriminator(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    apr_pool_t *pool = cc->reg->pool;
    discriminator_data *data = apr_pcalloc(pool, sizeof(*data));
    json_t *property = json_is_object(value) ? json_object_get(value, "propertyName") : value;
    json_t *mapping = json_is_object(value) ? json_object_get(value, "mapping") : NULL;
    json_t *default_mapping = json_is_object(value) ? json_object_get(value, "defaultMapping")
                                                    : NULL;
    /* 2.0 names definitions, 3.0 components */
    const char *container = json_is_string(value) ? "#/definitions" : "#/components/schemas";
    const char *branch_keyword = json_object_get(cc->node, "oneOf") ? "oneOf"
                               : json_object_get(cc->node, "anyOf") ? "anyOf" : NULL;
    const char *name;
    json_t *target;

    if (!json_is_string(property)) {
        oa_compile_error(cc, value, "discriminator must name a property (propertyName)");
        return 0;
    }
    if (mapping && !json_is_object(mapping)) {
        oa_compile_error(cc, mapping, "discriminator mapping must be an object");
        return 0;
    }
    data->property = json_string_value(property);
    data->property_length = json_string_length(property);
    data->by_value = apr_hash_make(pool);
    data->self = cc->schema;

    json_object_foreach(mapping, name, target) {
        const oa_schema *schema;
        if (!json_is_string(target)) {
            oa_compile_error(cc, target, "discriminator mapping values must be strings");
            return 0;
        }
        schema = oa_compile_ref(cc, target, name_to_ref(cc, container, json_string_value(target)));
        if (!schema)
            return 0;
        add_value(cc, data, name, schema);
    }
    if (branch_keyword) {
        /* take the branches over: compile them as the keyword would, keep the check as
         * the fallback for non-objects */
        json_t *branches = json_object_get(cc->node, branch_keyword);
        const oa_schema_list *list;
        size_t i;
        int compiled = strcmp(branch_keyword, "oneOf") == 0
            ? oa_kw_one_of(cc, branch_keyword, branches)
            : oa_kw_any_of(cc, branch_keyword, branches);
        if (!compiled)
            return 0;
        data->fallback = *(oa_check *)apr_array_pop(cc->checks);
        cc->groups_done |= strcmp(branch_keyword, "oneOf") == 0 ? OA_GROUP_ONE_OF
                                                                  : OA_GROUP_ANY_OF;
        list = data->fallback.data;
        for (i = 0; i < list->count; i++) {
            json_t *ref = json_object_get(json_array_get(branches, i), "$ref");
            if (json_is_string(ref))
                add_value(cc, data, last_segment(json_string_value(ref)), list->schemas[i]);
        }
    }
    else if (!add_subtypes(cc, data, container)) {
        return 0;
    }
    if (json_is_string(default_mapping)) {
        data->default_target = oa_compile_ref(
            cc, default_mapping, name_to_ref(cc, container, json_string_value(default_mapping)));
        if (!data->default_target)
            return 0;
    }
    else if (default_mapping) {
        oa_compile_error(cc, default_mapping, "discriminator defaultMapping must be a string");
        return 0;
    }
    if (!data->known_values && !data->default_target) {
        /* nothing to choose from: documentation only; the branches stay as they were */
        if (data->fallback.validate)
            *(oa_check *)apr_array_push(cc->checks) = data->fallback;
        return 1;
    }
    oa_compile_add_check(cc, validate_discriminator, OA_KIND_ALL, keyword, data);
    return 1;
}
