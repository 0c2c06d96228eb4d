/* The schema compiler: walks a schema object, and for each keyword the dialect's table
 * knows, runs that keyword's compile function, which turns it into checks. Also owns the
 * registry (memo, formats, pattern cache) and draft 4 `id` scoping. */
#include "schema/oa_schema_internal.h"
#include "schema/oa_format.h"
#include "schema/oa_schema_metaschemas.h"

#include <apr_strings.h>
#include <stdarg.h>
#include <string.h>

/* ---- the registry ---- */

static apr_status_t release_registry(void *data)
{
    oa_schema_registry *reg = data;
    apr_hash_index_t *hi;
    int i;
    for (hi = apr_hash_first(NULL, reg->patterns); hi; hi = apr_hash_next(hi)) {
        void *value;
        apr_hash_this(hi, NULL, NULL, &value);
        pcre2_code_free(((oa_pattern *)value)->code);
    }
    pcre2_match_context_free(reg->match_context);
    for (i = 0; i < reg->retained->nelts; i++)
        json_decref(APR_ARRAY_IDX(reg->retained, i, json_t *));
    return APR_SUCCESS;
}

void oa_schema_registry_release(oa_schema_registry *reg)
{
    apr_pool_cleanup_run(reg->pool, reg, release_registry);
}

oa_schema_registry *oa_schema_registry_create(apr_pool_t *pool, oa_docset *docs,
                                              oa_dialect dialect)
{
    oa_schema_registry *reg = apr_pcalloc(pool, sizeof(*reg));
    const oa_keyword_def *def;
    const oa_format_def *format;

    reg->pool = pool;
    reg->docs = docs;
    reg->dialect = dialect;
    reg->keywords = apr_hash_make(pool);
    reg->formats = apr_hash_make(pool);
    reg->memo = apr_hash_make(pool);
    reg->memo_log = apr_array_make(pool, 64, sizeof(json_t *));
    reg->retained = apr_array_make(pool, 16, sizeof(json_t *));
    reg->pending = apr_array_make(pool, 16, sizeof(oa_schema *));
    reg->patterns = apr_hash_make(pool);
    reg->scanned = apr_hash_make(pool);
    reg->scanned_nodes = apr_hash_make(pool);
    reg->scoped_bases = apr_hash_make(pool);
    reg->pointer_index = apr_hash_make(pool);
    reg->dynamic_anchors = apr_hash_make(pool);
    reg->new_anchors = apr_array_make(pool, 4, sizeof(oa_found_anchor));
    for (def = oa_dialect_keywords(dialect); def->name; def++)
        apr_hash_set(reg->keywords, def->name, APR_HASH_KEY_STRING, def);
    for (format = oa_format_builtins(); format->name; format++)
        oa_schema_register_format_for(reg, format->name,
                                      format->kinds, format->check, NULL);
    reg->match_context = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(reg->match_context, OA_SCHEMA_PATTERN_MATCH_LIMIT);
    pcre2_set_depth_limit(reg->match_context, OA_SCHEMA_PATTERN_DEPTH_LIMIT);
    apr_pool_cleanup_register(pool, reg, release_registry, apr_pool_cleanup_null);
    return reg;
}

oa_dialect oa_schema_registry_dialect(const oa_schema_registry *reg)
{
    return reg->dialect;
}

void oa_schema_registry_assert_formats(oa_schema_registry *reg, int on)
{
    reg->assert_formats = on;
}

void oa_schema_register_format_for(oa_schema_registry *reg, const char *name,
                                   unsigned kinds, oa_format_check_fn check, void *baton)
{
    oa_format_entry *entry = apr_palloc(reg->pool, sizeof(*entry));
    entry->check = check;
    entry->baton = baton;
    entry->kinds = kinds;
    apr_hash_set(reg->formats, apr_pstrdup(reg->pool, name), APR_HASH_KEY_STRING, entry);
}

void oa_schema_register_format(oa_schema_registry *reg, const char *name,
                               oa_format_check_fn check, void *baton)
{
    oa_schema_register_format_for(reg, name, OA_FORMAT_STRINGS, check, baton);
}

/* ---- compile helpers used by the keyword files ---- */

oa_check *oa_compile_add_check(oa_compile_ctx *cc, oa_check_fn fn, unsigned applies_to,
                               const char *keyword, const void *data)
{
    oa_check *check = apr_array_push(cc->checks);
    check->validate = fn;
    check->applies_to = applies_to;
    check->keyword = keyword;
    check->location = oa_compile_keyword_location(cc, keyword);
    check->data = data;
    return check;
}

static void compile_error_va(oa_schema_registry *reg, oa_diag *diag, const json_t *at,
                             const json_t *fallback, const char *location, const char *fmt,
                             va_list ap)
{
    oa_position position;
    const char *message = apr_pvsprintf(reg->pool, fmt, ap);
    if (!(at && oa_docset_position(reg->docs, at, &position)) &&
        !(fallback && oa_docset_position(reg->docs, fallback, &position))) {
        oa_diag_add(diag, NULL, 0, 0, "%s (at %s)", message, location);
        return;
    }
    oa_diag_add(diag, position.file, position.line, position.column, "%s", message);
}

void oa_compile_error(oa_compile_ctx *cc, const json_t *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    compile_error_va(cc->reg, cc->diag, at, cc->node, cc->location, fmt, ap);
    va_end(ap);
    cc->failed = 1;
}

static void registry_error(oa_schema_registry *reg, oa_diag *diag, const json_t *at,
                           const char *location, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void registry_error(oa_schema_registry *reg, oa_diag *diag, const json_t *at,
                           const char *location, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    compile_error_va(reg, diag, at, NULL, location, fmt, ap);
    va_end(ap);
}

const char *oa_compile_keyword_location(oa_compile_ctx *cc, const char *keyword)
{
    return oa_json_pointer_append(cc->reg->pool, cc->location, keyword);
}

int oa_compile_count(oa_compile_ctx *cc, const char *keyword, const json_t *value,
                     size_t *count)
{
    if (json_is_integer(value) && json_integer_value(value) >= 0) {
        *count = (size_t)json_integer_value(value);
        return 1;
    }
    if (json_is_real(value) && json_real_value(value) >= 0 &&
        json_real_value(value) == (double)(size_t)json_real_value(value)) {
        *count = (size_t)json_real_value(value);
        return 1;
    }
    oa_compile_error(cc, value, "%s must be a non-negative integer", keyword);
    return 0;
}

const oa_pattern *oa_compile_pattern(oa_compile_ctx *cc, const json_t *at,
                                     const char *source)
{
    oa_schema_registry *reg = cc->reg;
    oa_pattern *pattern = apr_hash_get(reg->patterns, source, APR_HASH_KEY_STRING);
    int error;
    PCRE2_SIZE offset;
    pcre2_code *code;
    if (pattern)
        return pattern;
    /* ECMA-262: \uXXXX escapes, '$' only at the very end, \d \w \s ASCII-only (no UCP). */
    code = pcre2_compile((PCRE2_SPTR)oa_regex_from_ecma(reg->pool, source), PCRE2_ZERO_TERMINATED,
                         PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY |
                             PCRE2_NEVER_BACKSLASH_C,
                         &error, &offset, NULL);
    if (!code) {
        PCRE2_UCHAR text[160];
        pcre2_get_error_message(error, text, sizeof(text));
        oa_compile_error(cc, at, "invalid pattern '%s' at offset %lu: %s", source,
                         (unsigned long)offset, (const char *)text);
        return NULL;
    }
    pattern = apr_palloc(reg->pool, sizeof(*pattern));
    /* Without JIT the interpreter still works; a JIT failure is not an error. */
    pattern->jit = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE) == 0;
    pattern->source = apr_pstrdup(reg->pool, source);
    pattern->code = code;
    pattern->match_context = reg->match_context;
    apr_hash_set(reg->patterns, pattern->source, APR_HASH_KEY_STRING, pattern);
    return pattern;
}

/* ---- dialects ---- */

static void add_builtin(oa_schema_registry *reg, const char *document_uri);
static const char *strip_fragment(apr_pool_t *pool, const char *uri);

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
static oa_dialect_use dialect_of(oa_schema_registry *reg, const json_t *node,
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

static oa_dialect_use use_of(oa_dialect dialect)
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
static const char *base_id(const json_t *node, oa_dialect dialect)
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

static const char *strip_fragment(apr_pool_t *pool, const char *uri)
{
    const char *fragment;
    return oa_uri_split_fragment(pool, uri, &fragment);
}

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
    use = dialect_of(reg, node, use);
    dialect = use.dialect;
    id = base_id(node, dialect);
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
            scan_ids(reg, value, document_uri, document_uri, use_of(reg->dialect), 0);
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
static void scan_document(oa_schema_registry *reg, const char *document_uri)
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
    if (!root || dialect_of(reg, root, use_of(reg->dialect)).dialect == OA_DIALECT_OAS30)
        return;
    if (json_is_string(json_object_get(root, "openapi")))
        scan_spec(reg, root, document_uri, 0, 0);
    else
        scan_ids(reg, root, document_uri, document_uri, use_of(reg->dialect), 0);
}

/* A schema inside a document that is not itself a schema (an OpenAPI 3.1 spec: the
 * document scan found nothing under components) has its ids registered when it is first
 * compiled. OpenAPI 3.0 has no ids. */
static void scan_top_level(oa_schema_registry *reg, json_t *node, const char *base_uri,
                           const char *document_uri)
{
    if (reg->dialect == OA_DIALECT_OAS30 ||
        apr_hash_get(reg->scanned_nodes, &node, sizeof(node)))
        return; /* the document scan reached it */
    scan_ids(reg, node, base_uri, document_uri, use_of(reg->dialect), 0);
}

static const char *scoped_base(oa_schema_registry *reg, const json_t *node,
                               const char *base)
{
    const char *scoped = apr_hash_get(reg->scoped_bases, &node, sizeof(node));
    return scoped ? scoped : base;
}

/* ---- where a top-level schema sits in its document ---- */

static void index_pointers(apr_pool_t *pool, apr_hash_t *index, json_t *node,
                           const char *pointer, int depth)
{
    const json_t **key;
    if (depth > OA_SCHEMA_MAX_DEPTH || !(json_is_object(node) || json_is_array(node)))
        return;
    key = apr_palloc(pool, sizeof(*key));
    *key = node;
    apr_hash_set(index, key, sizeof(*key), pointer);
    if (json_is_object(node)) {
        const char *name;
        json_t *member;
        json_object_foreach(node, name, member)
            index_pointers(pool, index, member, oa_json_pointer_append(pool, pointer, name),
                           depth + 1);
    }
    else {
        size_t i;
        json_t *item;
        json_array_foreach(node, i, item)
            index_pointers(pool, index, item,
                           apr_psprintf(pool, "%s/%lu", pointer, (unsigned long)i), depth + 1);
    }
}

static const char *top_level_location(oa_schema_registry *reg, const json_t *node,
                                      const char *document_uri)
{
    apr_hash_t *index = apr_hash_get(reg->pointer_index, document_uri, APR_HASH_KEY_STRING);
    const char *pointer;
    if (!index) {
        oa_diag *ignored = oa_diag_create(reg->pool);
        json_t *root = oa_docset_get(reg->docs, document_uri, ignored);
        index = apr_hash_make(reg->pool);
        if (root)
            index_pointers(reg->pool, index, root, "", 0);
        apr_hash_set(reg->pointer_index, apr_pstrdup(reg->pool, document_uri),
                     APR_HASH_KEY_STRING, index);
    }
    pointer = apr_hash_get(index, &node, sizeof(node));
    return apr_pstrcat(reg->pool, document_uri, "#", pointer ? pointer : "", NULL);
}

/* ---- compiling ---- */

/* The memo entry of node: the existing one, or a new, still empty schema. NULL (with an
 * error) when node cannot be a schema. */
static oa_schema *reserve(oa_schema_registry *reg, json_t *node, const char *base_uri,
                          const char *location, oa_dialect_use use, oa_diag *diag)
{
    oa_schema *schema = apr_hash_get(reg->memo, &node, sizeof(node));
    const json_t **key;
    const char *id;
    oa_dialect dialect;
    if (schema)
        return schema;
    use = dialect_of(reg, node, use);
    dialect = use.dialect;
    if (!json_is_object(node) &&
        !(json_is_boolean(node) && !OA_DIALECT_IS_DRAFT4_LIKE(dialect))) {
        registry_error(reg, diag, node, location,
                       OA_DIALECT_IS_DRAFT4_LIKE(dialect) ? "a schema must be an object"
                                                          : "a schema must be an object or a boolean");
        reg->failures++;
        return NULL;
    }
    id = base_id(node, dialect);
    /* a base the id scan recorded already includes the node's own id */
    if (id && !apr_hash_get(reg->scoped_bases, &node, sizeof(node)))
        base_uri = strip_fragment(reg->pool, oa_uri_resolve(reg->pool, base_uri, id));
    schema = apr_pcalloc(reg->pool, sizeof(*schema));
    schema->node = node;
    schema->base_uri = base_uri;
    schema->location = location;
    schema->dialect = dialect;
    schema->vocabularies = use.vocabularies;
    if (OA_DIALECT_IS_2019_PLUS(dialect)) {
        if (id)
            schema->flags |= OA_SCHEMA_SCOPE;
        if (json_object_get(node, "unevaluatedProperties") ||
            json_object_get(node, "unevaluatedItems"))
            schema->flags |= OA_SCHEMA_COLLECTS;
    }
    key = apr_palloc(reg->pool, sizeof(*key));
    *key = node;
    apr_hash_set(reg->memo, key, sizeof(*key), schema);
    APR_ARRAY_PUSH(reg->memo_log, json_t *) = node;
    return schema;
}

/* Files the dynamic anchors the id scan found under their names; the schemas are
 * compiled from the work list. */
static void compile_new_anchors(oa_schema_registry *reg, oa_diag *diag)
{
    int i;
    for (i = 0; i < reg->new_anchors->nelts; i++) {
        oa_found_anchor *found = &APR_ARRAY_IDX(reg->new_anchors, i, oa_found_anchor);
        int fresh = apr_hash_get(reg->memo, &found->node, sizeof(found->node)) == NULL;
        oa_schema *schema = reserve(reg, found->node, found->base,
                                    top_level_location(reg, found->node, found->document_uri),
                                    found->use, diag);
        oa_anchor_entry *entry;
        if (!schema)
            continue;
        if (fresh)
            APR_ARRAY_PUSH(reg->pending, oa_schema *) = schema;
        entry = apr_array_push(oa_compile_anchor_set(reg, found->name)->entries);
        entry->base = found->base;
        entry->schema = schema;
    }
    reg->new_anchors->nelts = 0;
}

/* 2019-09 and later: a $ref whose schema has no other keyword of the dialect (nor an id
 * or unevaluated*) is followed like a draft 4 one, without a check of its own. */
static int ref_stands_alone(const oa_compile_ctx *cc)
{
    const oa_keyword_def *def;
    if (!OA_DIALECT_IS_2019_PLUS(cc->dialect) || cc->schema->flags)
        return 0;
    for (def = oa_dialect_keywords(cc->dialect); def->name; def++)
        if (strcmp(def->name, "$ref") != 0 && json_object_get(cc->node, def->name) &&
            (oa_keyword_vocabulary(def->name) & cc->vocabularies))
            return 0;
    return 1;
}

/* Compiles the keywords of a reserved schema through the dialect's table. */
static int fill(oa_schema_registry *reg, oa_schema *schema, oa_diag *diag)
{
    const oa_keyword_def *ref_def;
    oa_compile_ctx cc;
    json_t *ref;

    schema->compiled = 1; /* from now on only its address matters to others */
    memset(&cc, 0, sizeof(cc));
    cc.reg = reg;
    cc.schema = schema;
    cc.node = schema->node;
    cc.base_uri = schema->base_uri;
    cc.location = schema->location;
    cc.dialect = schema->dialect;
    cc.vocabularies = schema->vocabularies;
    cc.diag = diag;
    cc.checks = apr_array_make(reg->pool, 8, sizeof(oa_check));

    reg->depth++;
    ref = json_object_get(cc.node, "$ref");
    ref_def = oa_dialect_keywords(cc.dialect); /* $ref, when the dialect has it, is first */
    if (json_is_false(cc.node)) {
        oa_check *check = apr_array_push(cc.checks);
        check->validate = oa_validate_false;
        check->applies_to = OA_KIND_ALL;
        check->keyword = "false";
        check->location = cc.location;
        check->data = NULL;
    }
    else if (ref && ((strcmp(ref_def->name, "$ref") == 0 && ref_def->overrides_siblings) ||
                     ref_stands_alone(&cc))) {
        oa_kw_ref(&cc, "$ref", ref);
    }
    else {
        const oa_keyword_def *def;
        for (def = oa_dialect_keywords(cc.dialect); def->name; def++) {
            json_t *value = json_object_get(cc.node, def->name);
            if (!value || (def->group && (cc.groups_done & def->group)) ||
                !(oa_keyword_vocabulary(def->name) & cc.vocabularies))
                continue;
            cc.groups_done |= def->group;
            if (!def->compile(&cc, def->name, value))
                cc.failed = 1;
        }
    }
    reg->depth--;

    schema->checks = (const oa_check *)cc.checks->elts;
    schema->check_count = cc.checks->nelts;
    if (cc.failed)
        reg->failures++;
    return !cc.failed;
}

oa_schema *oa_schema_compile_at(oa_schema_registry *reg, json_t *node, const char *base_uri,
                                const char *location, oa_dialect_use use, oa_diag *diag)
{
    oa_schema *schema = apr_hash_get(reg->memo, &node, sizeof(node));
    if (schema)
        return schema;
    if (reg->depth >= OA_SCHEMA_MAX_DEPTH) {
        registry_error(reg, diag, node, location, "schema nesting deeper than %d levels",
                       OA_SCHEMA_MAX_DEPTH);
        reg->failures++;
        return NULL;
    }
    schema = reserve(reg, node, base_uri, location, use, diag);
    if (!schema || !fill(reg, schema, diag))
        return NULL;
    return schema;
}

const oa_schema *oa_compile_subschema(oa_compile_ctx *cc, json_t *subschema,
                                      const char *keyword, const char *token)
{
    const char *location = oa_compile_keyword_location(cc, keyword);
    const oa_schema *schema;
    oa_dialect_use use;
    use.dialect = cc->dialect;
    use.vocabularies = cc->vocabularies;
    if (token)
        location = oa_json_pointer_append(cc->reg->pool, location, token);
    schema = oa_schema_compile_at(cc->reg, subschema,
                                  scoped_base(cc->reg, subschema, cc->base_uri), location,
                                  use, cc->diag);
    if (!schema)
        cc->failed = 1;
    return schema;
}

/* A $ref into another schema resource enters it: the target goes on the dynamic scope
 * ($dynamicRef, $recursiveRef) when evaluated. Within one resource nothing changes. */
static void mark_scope(const oa_compile_ctx *cc, oa_schema *target)
{
    if (OA_DIALECT_IS_2019_PLUS(target->dialect) && strcmp(target->base_uri, cc->base_uri) != 0)
        target->flags |= OA_SCHEMA_SCOPE;
}

const oa_schema *oa_compile_ref(oa_compile_ctx *cc, const json_t *at, const char *ref)
{
    oa_schema_registry *reg = cc->reg;
    const char *absolute = oa_uri_resolve(reg->pool, cc->base_uri, ref);
    const char *fragment;
    const char *document_uri = oa_uri_split_fragment(reg->pool, absolute, &fragment);
    const char *target_base = NULL;
    oa_diag *resolve_diag = oa_diag_create(reg->pool);
    json_t *target;
    json_t *root;
    oa_schema *schema;
    oa_dialect_use use;

    scan_document(reg, document_uri);
    compile_new_anchors(reg, cc->diag);
    target = oa_docset_resolve(reg->docs, cc->base_uri, ref, &target_base, resolve_diag);
    if (!target) {
        const oa_diag_entry *first = resolve_diag->entries->nelts
            ? &APR_ARRAY_IDX(resolve_diag->entries, 0, oa_diag_entry) : NULL;
        oa_compile_error(cc, at, "%s", first ? first->message
                                             : apr_psprintf(reg->pool, "cannot resolve $ref '%s'", ref));
        return NULL;
    }
    /* Compiled later, from oa_schema_compile's loop: a long chain of $refs then costs no
     * stack, and a target still being compiled (recursion) is simply its address. */
    schema = apr_hash_get(reg->memo, &target, sizeof(target));
    if (schema) {
        mark_scope(cc, schema);
        return schema;
    }
    /* another document speaks its own dialect */
    root = oa_docset_find(reg->docs, document_uri);
    use.dialect = cc->dialect;
    use.vocabularies = cc->vocabularies;
    if (root)
        use = dialect_of(reg, root, use);
    schema = reserve(reg, target, scoped_base(reg, target, target_base),
                     fragment ? absolute : apr_pstrcat(reg->pool, absolute, "#", NULL), use,
                     cc->diag);
    if (!schema) {
        cc->failed = 1;
        return NULL;
    }
    mark_scope(cc, schema);
    APR_ARRAY_PUSH(reg->pending, oa_schema *) = schema;
    return schema;
}

oa_schema *oa_schema_compile(oa_schema_registry *reg, json_t *node, const char *base_uri,
                             oa_diag *diag)
{
    oa_schema *schema = apr_hash_get(reg->memo, &node, sizeof(node));
    const char *document_uri;
    int failures;
    int i;
    if (schema)
        return schema;
    /* The memo and the compiled schema point into node: it must not go (and its address
     * be reused) while the registry lives, even if the caller made it up. */
    APR_ARRAY_PUSH(reg->retained, json_t *) = json_incref(node);
    base_uri = base_uri ? base_uri : "";
    document_uri = strip_fragment(reg->pool, base_uri);
    reg->memo_log->nelts = 0;
    reg->pending->nelts = 0;
    failures = reg->failures;
    scan_document(reg, document_uri);
    scan_top_level(reg, node, base_uri, document_uri);
    compile_new_anchors(reg, diag);
    schema = oa_schema_compile_at(reg, node, scoped_base(reg, node, base_uri),
                                  top_level_location(reg, node, document_uri),
                                  use_of(reg->dialect), diag);
    if (schema && OA_DIALECT_IS_2019_PLUS(schema->dialect))
        schema->flags |= OA_SCHEMA_SCOPE;
    while (reg->pending->nelts) {
        oa_schema *referenced = *(oa_schema **)apr_array_pop(reg->pending);
        if (!referenced->compiled)
            fill(reg, referenced, diag);
    }
    if (reg->failures != failures)
        schema = NULL;
    if (!schema) {
        /* schemas compiled on the way may point at the broken one: forget them all, so
         * that no later compile hands out a schema with a hole in it */
        for (i = 0; i < reg->memo_log->nelts; i++) {
            json_t *compiled = APR_ARRAY_IDX(reg->memo_log, i, json_t *);
            apr_hash_set(reg->memo, &compiled, sizeof(compiled), NULL);
        }
    }
    reg->memo_log->nelts = 0;
    return schema;
}
