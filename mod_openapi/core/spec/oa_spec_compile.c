/* oa_spec_compile: every schema of a loaded spec compiled once at config time
 * (parameters, request bodies, responses and their headers; 3.2 itemSchemas), plus each parameter's and
 * request media type's shape: the types the request layer casts text to, with $refs
 * followed now so that requests never touch the document set. */
#include "spec/oa_spec_compile.h"

#include <apr_hash.h>
#include <string.h>

#include "schema/oa_cast.h"

/* Shapes nest no deeper than this; below it text stays text (the validator still sees
 * the whole schema). */
#define OA_SHAPE_MAX_DEPTH 32

typedef struct compiler {
    oa_spec *spec;
    oa_schema_registry *registry;
    oa_diag *diag;
    apr_hash_t *failed; /* json_t * -> itself: schemas already reported as broken */
    apr_hash_t *shapes; /* resolved json_t * -> oa_shape * (shared and recursive schemas) */
    oa_diag *ignored;   /* broken $refs were reported by the loader already */
    int ok;
} compiler;

static oa_schema *compile_ref(compiler *c, const oa_schema_ref *ref)
{
    oa_schema *schema;
    if (!ref->node)
        return NULL;
    if (apr_hash_get(c->failed, &ref->node, sizeof(ref->node)))
        return NULL;
    schema = oa_schema_compile(c->registry, ref->node, ref->base, c->diag);
    if (!schema) {
        json_t **key = apr_palloc(c->spec->pool, sizeof(*key));
        *key = ref->node;
        apr_hash_set(c->failed, key, sizeof(*key), key);
        c->ok = 0;
    }
    return schema;
}

static const oa_shape *build_shape(compiler *c, json_t *node, const char *base, int depth);

static void merge_properties(apr_pool_t *pool, oa_shape *into, const oa_shape *from)
{
    int i;
    if (!from || !from->property_names)
        return;
    if (!into->property_names) {
        into->property_names = apr_array_make(pool, from->property_names->nelts,
                                              sizeof(const char *));
        into->properties = apr_hash_make(pool);
    }
    for (i = 0; i < from->property_names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(from->property_names, i, const char *);
        if (apr_hash_get(into->properties, name, APR_HASH_KEY_STRING))
            continue;
        APR_ARRAY_PUSH(into->property_names, const char *) = name;
        apr_hash_set(into->properties, name, APR_HASH_KEY_STRING,
                     apr_hash_get(from->properties, name, APR_HASH_KEY_STRING));
    }
}

static void fill_shape(compiler *c, oa_shape *shape, json_t *schema, const char *base,
                       int depth)
{
    apr_pool_t *pool = c->spec->pool;
    json_t *type = json_object_get(schema, "type");
    json_t *properties = json_object_get(schema, "properties");
    json_t *additional = json_object_get(schema, "additionalProperties");
    json_t *all_of = json_object_get(schema, "allOf");
    const char *name;
    json_t *property;
    size_t i;
    json_t *branch;

    shape->type = json_string_value(type);
    shape->format = json_string_value(json_object_get(schema, "format"));
    if (json_is_object(json_object_get(schema, "items")))
        shape->items = build_shape(c, json_object_get(schema, "items"), base, depth + 1);
    if (json_is_object(properties)) {
        shape->property_names = apr_array_make(pool, 4, sizeof(const char *));
        shape->properties = apr_hash_make(pool);
        json_object_foreach(properties, name, property) {
            const oa_shape *child = build_shape(c, property, base, depth + 1);
            static const oa_shape unknown = {NULL, NULL, NULL, NULL, NULL, NULL, 1};
            APR_ARRAY_PUSH(shape->property_names, const char *) = name;
            apr_hash_set(shape->properties, name, APR_HASH_KEY_STRING,
                         child ? child : &unknown);
        }
    }
    shape->open = !json_is_false(additional);
    if (json_is_object(additional))
        shape->additional = build_shape(c, additional, base, depth + 1);
    /* allOf: the branches' types and properties add up. */
    json_array_foreach(all_of, i, branch) {
        const oa_shape *part = build_shape(c, branch, base, depth + 1);
        if (!part)
            continue;
        if (!shape->type)
            shape->type = part->type;
        if (!shape->items)
            shape->items = part->items;
        merge_properties(pool, shape, part);
        if (!part->open)
            shape->open = 0;
    }
    if (!shape->type && shape->property_names)
        shape->type = "object";
    if (!shape->type && shape->items)
        shape->type = "array";
}

static const oa_shape *build_shape(compiler *c, json_t *node, const char *base, int depth)
{
    const char *target_base;
    json_t *schema;
    json_t **key;
    oa_shape *shape;
    if (!node || depth > OA_SHAPE_MAX_DEPTH)
        return NULL;
    schema = oa_docset_follow(c->spec->docs, c->spec->pool, node, base, &target_base,
                              c->ignored);
    if (!json_is_object(schema))
        return NULL;
    shape = apr_hash_get(c->shapes, &schema, sizeof(schema));
    if (shape)
        return shape;
    shape = apr_pcalloc(c->spec->pool, sizeof(*shape));
    shape->open = 1;
    key = apr_palloc(c->spec->pool, sizeof(*key));
    *key = schema;
    /* Memoized before its parts are built: a recursive schema meets itself here. */
    apr_hash_set(c->shapes, key, sizeof(*key), shape);
    fill_shape(c, shape, schema, target_base, depth);
    return shape;
}

static void compile_media_list(compiler *c, apr_array_header_t *list, int with_shapes)
{
    int i;
    for (i = 0; list && i < list->nelts; i++) {
        oa_media_type *media = APR_ARRAY_IDX(list, i, oa_media_type *);
        media->compiled = compile_ref(c, &media->schema);
        media->item_compiled = compile_ref(c, &media->item_schema);
        if (with_shapes)
            media->shape = build_shape(c, media->schema.node, media->schema.base, 0);
    }
}

static void compile_operation(compiler *c, oa_operation *op)
{
    int i, k;
    for (i = 0; i < op->parameters->nelts; i++) {
        oa_parameter *param = APR_ARRAY_IDX(op->parameters, i, oa_parameter *);
        param->compiled = compile_ref(c, &param->schema);
        param->shape = build_shape(c, param->schema.node, param->schema.base, 0);
    }
    compile_media_list(c, op->request_media, 1);
    for (i = 0; op->response_list && i < op->response_list->nelts; i++) {
        oa_response *response = APR_ARRAY_IDX(op->response_list, i, oa_response *);
        compile_media_list(c, response->media, 0);
        for (k = 0; k < response->headers->nelts; k++) {
            oa_response_header *header =
                APR_ARRAY_IDX(response->headers, k, oa_response_header *);
            header->compiled = compile_ref(c, &header->schema);
        }
    }
}

int oa_spec_compile(oa_spec *spec, oa_schema_registry *registry, oa_diag *diag)
{
    compiler c;
    int i;
    c.spec = spec;
    c.registry = registry;
    spec->registry = registry;
    c.diag = diag;
    c.failed = apr_hash_make(spec->pool);
    c.shapes = apr_hash_make(spec->pool);
    c.ignored = oa_diag_create(spec->pool);
    c.ok = 1;
    for (i = 0; i < spec->operations->nelts; i++)
        compile_operation(&c, APR_ARRAY_IDX(spec->operations, i, oa_operation *));
    return c.ok;
}

/* The dialect a spec's schemas are written in: OpenAPI 3.0's for 2.0 and 3.0; from 3.1
 * on the one jsonSchemaDialect names, by default the OpenAPI 3.1 dialect (3.2's adds no
 * keyword that changes validation). A schema's own $schema still overrides it. */
static int spec_dialect(const oa_spec *spec, oa_diag *diag, oa_dialect *dialect)
{
    json_t *named = json_object_get(spec->root, "jsonSchemaDialect");
    const char *uri = json_string_value(named);
    *dialect = OA_DIALECT_OAS30;
    if (spec->major != 3 || spec->minor < 1)
        return 1;
    *dialect = OA_DIALECT_OAS31;
    if (!uri || (strncmp(uri, "https://spec.openapis.org/oas/3.", 32) == 0 &&
                 strstr(uri, "/dialect/")))
        return 1;
    if (oa_dialect_from_uri(uri, dialect))
        return 1;
    oa_spec_error_at(spec, diag, named, "jsonSchemaDialect '%s' is not a dialect the module "
                     "has built in (JSON Schema draft 4, 6, 7, 2019-09, 2020-12 or the "
                     "OpenAPI 3.1/3.2 dialect)", uri);
    return 0;
}

int oa_spec_prepare(oa_spec *spec, oa_spec_formats_fn add_formats, void *baton,
                    oa_diag *diag)
{
    oa_dialect dialect;
    oa_schema_registry *registry;
    int ok;
    if (!spec_dialect(spec, diag, &dialect))
        return 0;
    registry = oa_schema_registry_create(spec->pool, spec->docs, dialect);
    if (add_formats)
        add_formats(baton, registry);
    ok = oa_spec_compile(spec, registry, diag);
    oa_schema_registry_end_compile(registry);
    oa_docset_freeze(spec->docs);
    return ok;
}
