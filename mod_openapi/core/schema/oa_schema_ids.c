/* Dialects and identifiers for the compiler: which dialect (and vocabularies) a schema
 * speaks ($schema, custom metaschemas), the built-in metaschemas added on demand, and the
 * id scan that registers `id`/`$id`, `$anchor` and `$dynamicAnchor` before any $ref of a
 * document is followed (in schema documents, and at the schema positions of an OpenAPI
 * document). */
#include "schema/oa_schema_internal.h"
#include "schema/oa_schema_metaschemas.h"

#include <apr_strings.h>
#include <string.h>

/* ---- dialects ---- */

static const char *strip_fragment(apr_pool_t *pool, const char *uri)
{
    const char *fragment;
    return oa_uri_split_fragment(pool, uri, &fragment);
}

/* The official metaschemas are built in: added to the docset the first time a $ref
 * (or $schema) names one that the docset does not hold. */
static void add_builtin(oa_schema_registry *reg, const char *document_uri)
{
    const oa_metaschema *meta;
    for (meta = oa_metaschemas(); meta->uri; meta++) {
        json_t *root;
        if (strcmp(meta->uri, document_uri) != 0 || oa_docset_find(reg->docs, meta->uri))
            continue;
        root = json_loads(meta->json, 0, NULL);
        if (root)
            oa_docset_add(reg->docs, meta->uri, root, NULL);
        return;
    }
}

/* A custom metaschema: the dialect of its own $schema, with the vocabularies its
 * $vocabulary lists (all of them when it has none). */
static int custom_dialect(oa_schema_registry *reg, const char *uri, oa_dialect_use *use)
{
    const char *document_uri = strip_fragment(reg->pool, uri);
    oa_diag *ignored = oa_diag_create(reg->pool);
    json_t *meta, *declared, *vocabularies, *required;
    const char *name;
    add_builtin(reg, document_uri);
    meta = oa_docset_get(reg->docs, document_uri, ignored);
    declared = json_object_get(meta, "$schema");
    if (!json_is_string(declared) ||
        !oa_dialect_from_uri(json_string_value(declared), &use->dialect))
        return 0;
    use->vocabularies = OA_VOCAB_DEFAULT;
    vocabularies = json_object_get(meta, "$vocabulary");
    if (json_is_object(vocabularies) && OA_DIALECT_IS_2019_PLUS(use->dialect)) {
        use->vocabularies = OA_VOCAB_CORE;
        json_object_foreach(vocabularies, name, required)
            use->vocabularies |= oa_vocabulary_of_uri(name);
    }
    return 1;
}

/* The dialect of a schema: its own $schema's (OpenAPI 3.0 schemas have none), else the
 * one it inherits. */
oa_dialect_use oa_compile_dialect_of(oa_schema_registry *reg, const json_t *node,
                                 oa_dialect_use inherited)
{
    json_t *declared = json_is_object(node) ? json_object_get(node, "$schema") : NULL;
    oa_dialect_use use;
    if (inherited.dialect == OA_DIALECT_OAS30 || !json_is_string(declared))
        return inherited;
    use.vocabularies = OA_VOCAB_DEFAULT;
    if (oa_dialect_from_uri(json_string_value(declared), &use.dialect) ||
        custom_dialect(reg, json_string_value(declared), &use))
        return use;
    return inherited;
}

oa_dialect_use oa_dialect_use_of(oa_dialect dialect)
{
    oa_dialect_use use;
    use.dialect = dialect;
    use.vocabularies = OA_VOCAB_DEFAULT;
    return use;
}

int oa_compile_is_schema(const oa_compile_ctx *cc, const json_t *value)
{
    return json_is_object(value) ||
           (json_is_boolean(value) && !OA_DIALECT_IS_DRAFT4_LIKE(cc->dialect));
}

/* The id of node that sets a new base URI, or NULL: `id` in draft 4, `$id` later, none
 * in OpenAPI 3.0; draft 6 and 7 ignore every sibling of $ref, $id included. */
const char *oa_compile_base_id(const json_t *node, oa_dialect dialect)
{
    json_t *id;
    if (dialect == OA_DIALECT_OAS30 || !json_is_object(node))
        return NULL;
    if ((dialect == OA_DIALECT_DRAFT6 || dialect == OA_DIALECT_DRAFT7) &&
        json_object_get(node, "$ref"))
        return NULL;
    id = json_object_get(node, dialect == OA_DIALECT_DRAFT4 ? "id" : "$id");
    return json_is_string(id) ? json_string_value(id) : NULL;
}

oa_anchor_set *oa_compile_anchor_set(oa_schema_registry *reg, const char *name)
{
    oa_anchor_set *set = apr_hash_get(reg->dynamic_anchors, name, APR_HASH_KEY_STRING);
    if (!set) {
        set = apr_pcalloc(reg->pool, sizeof(*set));
        set->entries = apr_array_make(reg->pool, 2, sizeof(oa_anchor_entry));
        apr_hash_set(reg->dynamic_anchors, apr_pstrdup(reg->pool, name), APR_HASH_KEY_STRING,
                     set);
    }
    return set;
}

/* ---- `id` / `$id` / `$anchor`: base URI scoping ---- */

static const char *const schema_map_keywords[] = {"properties", "patternProperties",
                                                  "definitions", "dependencies", NULL};
static const char *const schema_keywords[] = {"items", "additionalItems",
                                              "additionalProperties", "not", NULL};
static const char *const schema_list_keywords[] = {"items", "allOf", "anyOf", "oneOf", NULL};
/* draft 6 and later */
static const char *const later_map_keywords[] = {"$defs", "dependentSchemas", NULL};
static const char *const later_keywords[] = {"contains", "propertyNames", "if", "then", "else",
                                             "unevaluatedItems", "unevaluatedProperties",
                                             "contentSchema", NULL};
static const char *const later_list_keywords[] = {"prefixItems", NULL};

static void register_anchor(oa_schema_registry *reg, json_t *node, const char *base,
                            const char *name)
{
    oa_docset_register_uri(reg->docs, apr_pstrcat(reg->pool, base, "#", name, NULL), node);
}

static void found_anchor(oa_schema_registry *reg, json_t *node, const char *base,
                         const char *document_uri, const char *name, oa_dialect_use use)
{
    oa_found_anchor *found = apr_array_push(reg->new_anchors);
    found->node = node;
    found->base = base;
    found->document_uri = document_uri;
    found->name = name;
    found->use = use;
}

/* 2019-09 and later: $anchor, $dynamicAnchor, $recursiveAnchor */
static void scan_anchors(oa_schema_registry *reg, json_t *node, const char *base,
                         const char *document_uri, oa_dialect_use use)
{
    oa_dialect dialect = use.dialect;
    json_t *anchor = json_object_get(node, "$anchor");
    json_t *dynamic = json_object_get(node, "$dynamicAnchor");
    if (json_is_string(anchor))
        register_anchor(reg, node, base, json_string_value(anchor));
    if (OA_DIALECT_IS_2020_PLUS(dialect) && json_is_string(dynamic)) {
        register_anchor(reg, node, base, json_string_value(dynamic));
        found_anchor(reg, node, base, document_uri, json_string_value(dynamic), use);
    }
    if (dialect == OA_DIALECT_DRAFT2019 && json_is_true(json_object_get(node, "$recursiveAnchor")))
        found_anchor(reg, node, base, document_uri, OA_RECURSIVE_ANCHOR, use);
}

static void scan_ids(oa_schema_registry *reg, json_t *node, const char *base,
                     const char *document_uri, oa_dialect_use use, int depth)
{
    oa_dialect dialect;
    const char *id;
    const char *const *keyword;
    const char *const *const *lists;
    static const char *const *const draft4_lists[] = {schema_map_keywords, schema_keywords,
                                                     schema_list_keywords, NULL};
    static const char *const *const later_lists[] = {
        schema_map_keywords, schema_keywords, schema_list_keywords, later_map_keywords,
        later_keywords, later_list_keywords, NULL};
    const json_t **visited;
    if (!json_is_object(node) || depth > OA_SCHEMA_MAX_DEPTH)
        return;
    visited = apr_palloc(reg->pool, sizeof(*visited));
    *visited = node;
    apr_hash_set(reg->scanned_nodes, visited, sizeof(*visited), "");
    use = oa_compile_dialect_of(reg, node, use);
    dialect = use.dialect;
    id = oa_compile_base_id(node, dialect);
    if (id) {
        const char *fragment;
        const char *absolute = oa_uri_resolve(reg->pool, base, id);
        const char *without = oa_uri_split_fragment(reg->pool, absolute, &fragment);
        oa_docset_register_uri(reg->docs, fragment && *fragment ? absolute : without, node);
        base = without;
    }
    if (OA_DIALECT_IS_2019_PLUS(dialect))
        scan_anchors(reg, node, base, document_uri, use);
    if (strcmp(base, document_uri) != 0) {
        const json_t **key = apr_palloc(reg->pool, sizeof(*key));
        *key = node;
        apr_hash_set(reg->scoped_bases, key, sizeof(*key), base);
    }
    /* the keyword lists come in threes: maps of schemas, schemas, lists of schemas */
    for (lists = OA_DIALECT_IS_DRAFT4_LIKE(dialect) ? draft4_lists : later_lists; *lists;
         lists += 3) {
        for (keyword = lists[0]; *keyword; keyword++) {
            json_t *map = json_object_get(node, *keyword);
            const char *name;
            json_t *sub;
            if (!json_is_object(map))
                continue;
            json_object_foreach(map, name, sub)
                scan_ids(reg, sub, base, document_uri, use, depth + 1);
        }
        for (keyword = lists[1]; *keyword; keyword++)
            scan_ids(reg, json_object_get(node, *keyword), base, document_uri, use,
                     depth + 1);
        for (keyword = lists[2]; *keyword; keyword++) {
            json_t *list = json_object_get(node, *keyword);
            size_t i;
            json_t *sub;
            if (!json_is_array(list))
                continue;
            json_array_foreach(list, i, sub)
                scan_ids(reg, sub, base, document_uri, use, depth + 1);
        }
    }
}

/* An OpenAPI 3.1+ document is not a schema: its schemas are the values of `schema`
 * members and of components.schemas (examples and extensions are skipped). */
static void scan_spec(oa_schema_registry *reg, json_t *node, const char *document_uri,
                      int in_schemas, int depth)
{
    const char *key;
    json_t *value;
    size_t i;
    if (depth > OA_SCHEMA_MAX_DEPTH)
        return;
    if (json_is_array(node)) {
        json_array_foreach(node, i, value) scan_spec(reg, value, document_uri, 0, depth + 1);
        return;
    }
    json_object_foreach(node, key, value) {
        if (in_schemas || strcmp(key, "schema") == 0) {
            scan_ids(reg, value, document_uri, document_uri, oa_dialect_use_of(reg->dialect), 0);
            continue;
        }
        if (strcmp(key, "example") == 0 || strcmp(key, "examples") == 0 ||
            strncmp(key, "x-", 2) == 0 || !(json_is_object(value) || json_is_array(value)))
            continue;
        scan_spec(reg, value, document_uri, depth == 1 && strcmp(key, "schemas") == 0,
                  depth + 1);
    }
}

/* Registers the ids of a document before any of its $refs is followed: a ref may name
 * a schema by an id written further down. */
void oa_compile_scan_document(oa_schema_registry *reg, const char *document_uri)
{
    oa_diag *ignored;
    json_t *root;
    if (apr_hash_get(reg->scanned, document_uri, APR_HASH_KEY_STRING))
        return;
    apr_hash_set(reg->scanned, apr_pstrdup(reg->pool, document_uri), APR_HASH_KEY_STRING,
                 "");
    add_builtin(reg, document_uri);
    ignored = oa_diag_create(reg->pool);
    root = oa_docset_get(reg->docs, document_uri, ignored);
    /* in OpenAPI 3.0, `id` means nothing */
    if (!root || oa_compile_dialect_of(reg, root, oa_dialect_use_of(reg->dialect)).dialect == OA_DIALECT_OAS30)
        return;
    if (json_is_string(json_object_get(root, "openapi")))
        scan_spec(reg, root, document_uri, 0, 0);
    else
        scan_ids(reg, root, document_uri, document_uri, oa_dialect_use_of(reg->dialect), 0);
}

/* A schema inside a document that is not itself a schema (an OpenAPI 3.1 spec: the
 * document scan found nothing under components) has its ids registered when it is first
 * compiled. OpenAPI 3.0 has no ids. */
void oa_compile_scan_top_level(oa_schema_registry *reg, json_t *node, const char *base_uri,
                           const char *document_uri)
{
    if (reg->dialect == OA_DIALECT_OAS30 ||
        apr_hash_get(reg->scanned_nodes, &node, sizeof(node)))
        return; /* the document scan reached it */
    scan_ids(reg, node, base_uri, document_uri, oa_dialect_use_of(reg->dialect), 0);
}

const char *oa_compile_scoped_base(oa_schema_registry *reg, const json_t *node,
                               const char *base)
{
    const char *scoped = apr_hash_get(reg->scoped_bases, &node, sizeof(node));
    return scoped ? scoped : base;
}
