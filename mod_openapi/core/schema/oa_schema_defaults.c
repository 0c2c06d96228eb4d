/* Filling `default` values into an instance before it is validated (Connexion's
 * DefaultsJSONRequestBodyValidator): a member an object schema declares with a default
 * and the instance lacks gets a copy of the default, in nested objects and array items
 * too, through $ref and allOf. Only what every valid instance must satisfy is followed:
 * anyOf/oneOf branches are not (which branch applies is not known before validation). */
#include "schema/oa_schema_internal.h"

#include <string.h>

typedef struct fill_state {
    long work;
    int depth;
} fill_state;

typedef struct fill_member_baton {
    fill_state *state;
    json_t *object;
} fill_member_baton;

static void fill(fill_state *state, const oa_schema *schema, json_t *instance);

static void fill_member(void *baton, const char *name, size_t length, const oa_schema *schema)
{
    fill_member_baton *b = baton;
    json_t *value = json_object_getn(b->object, name, length);
    if (!value) {
        const oa_schema *target = oa_schema_target(schema);
        const json_t *fallback = oa_schema_default(schema);
        if (!fallback || !target || (target->flags & OA_SCHEMA_READ_ONLY))
            return; /* a readOnly default is the server's to set, not the request's */
        value = json_deep_copy(fallback);
        if (!value || json_object_setn_new(b->object, name, length, value) != 0)
            return;
    }
    if (json_is_object(value) || json_is_array(value))
        fill(b->state, schema, value);
}

static void fill_items(fill_state *state, const oa_check *check, json_t *array)
{
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item) {
        int is_items;
        const oa_schema *schema = oa_kw_item_schema(check, i, &is_items);
        if (!is_items)
            return;
        if (schema && (json_is_object(item) || json_is_array(item)))
            fill(state, schema, item);
    }
}

static void fill(fill_state *state, const oa_schema *schema, json_t *instance)
{
    const oa_schema *target = oa_schema_target(schema);
    fill_member_baton baton;
    int i;
    if (!target || ++state->work > OA_SCHEMA_MAX_WORK || state->depth >= OA_SCHEMA_MAX_DEPTH)
        return;
    state->depth++;
    baton.state = state;
    baton.object = instance;
    for (i = 0; i < target->check_count; i++) {
        const oa_check *check = &target->checks[i];
        const oa_schema *ref = oa_kw_ref_target(check);
        if (ref) {
            fill(state, ref, instance); /* 2020-12: $ref beside other keywords */
        }
        else if (strcmp(check->keyword, "allOf") == 0) {
            const oa_schema_list *list = check->data;
            size_t k;
            for (k = 0; k < list->count; k++)
                fill(state, list->schemas[k], instance);
        }
        else if (json_is_object(instance)) {
            oa_kw_properties_each(oa_kw_properties_unwrap(check), fill_member, &baton);
        }
        else {
            fill_items(state, check, instance);
        }
    }
    state->depth--;
}

void oa_schema_fill_defaults(const oa_schema *schema, json_t *instance)
{
    fill_state state = {0, 0};
    if (schema && (json_is_object(instance) || json_is_array(instance)))
        fill(&state, schema, instance);
}
