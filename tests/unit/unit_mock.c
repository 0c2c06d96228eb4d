#include "unit_mock.h"

#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>

#include "schema/oa_schema.h"
#include "unit_spec.h"

const char *unit_json_text(apr_pool_t *pool, const json_t *value)
{
    char *text;
    const char *copy;
    if (!value)
        return "(none)";
    text = json_dumps(value, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    copy = apr_pstrdup(pool, text ? text : "(unprintable)");
    free(text);
    return copy;
}

json_t *unit_json_at(apr_pool_t *pool, json_t *value, const char *pointer)
{
    return oa_json_pointer_get(pool, value, pointer, 0);
}

json_t *unit_ref_node(oa_docset *docs, const char *pointer)
{
    json_t *node = json_pack("{s:s}", "$ref", pointer);
    oa_docset_keep(docs, node);
    return node;
}

int unit_generated_validates(apr_pool_t *pool, oa_docset *docs, json_t *node,
                             const char *base, json_t *value, const char *what)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_schema_registry *registry = oa_schema_registry_create(pool, docs, OA_DIALECT_OAS30);
    oa_schema *schema = oa_schema_compile(registry, node, base, diag);
    apr_array_header_t *errors = NULL;
    int i;
    if (!schema) {
        fprintf(stderr, "%s: schema does not compile\n", what);
        unit_print_diag(pool, diag);
        return 0;
    }
    if (oa_schema_validate(schema, value, OA_MODE_RESPONSE, pool, &errors, 5))
        return 1;
    fprintf(stderr, "%s: generated %s does not validate:\n", what,
            unit_json_text(pool, value));
    for (i = 0; errors && i < errors->nelts; i++) {
        const oa_schema_error *error = &APR_ARRAY_IDX(errors, i, oa_schema_error);
        fprintf(stderr, "    at '%s': %s\n", error->instance_pointer, error->message);
    }
    return 0;
}
