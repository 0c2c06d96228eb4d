/* The schema compiler: walks a schema object, and for each keyword the dialect's table
 * knows, runs that keyword's compile function, which turns it into checks. Also owns the
 * registry (memo, formats, pattern cache) and draft 4 `id` scoping. */
#include "schema/oa_schema_internal.h"
#include "schema/oa_format.h"
#include "util/oa_pool.h"

#include <apr_strings.h>
#include <stdarg.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

/* ---- the registry ---- */

void oa_schema_registry_end_compile(oa_schema_registry *reg)
{
    if (reg->index_pool)
        apr_pool_destroy(reg->index_pool); /* its allocator with it: the pages go back */
    reg->index_pool = NULL;
    reg->pointer_index = NULL;
}

static apr_status_t release_registry(void *data)
{
    oa_schema_registry *reg = data;
    apr_hash_index_t *hi;
    int i;
    oa_schema_registry_end_compile(reg);
    for (hi = apr_hash_first(NULL, reg->patterns); hi; hi = apr_hash_next(hi)) {
        void *value;
        apr_hash_this(hi, NULL, NULL, &value);
        pcre2_code_free(((oa_pattern *)value)->code);
    }
    for (i = 0; i < OA_PATTERN_LEVELS; i++)
        pcre2_match_context_free(reg->match_contexts[i]);
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
    reg->check_stack = apr_array_make(pool, 64, sizeof(oa_check));
    reg->patterns = apr_hash_make(pool);
    reg->scanned = apr_hash_make(pool);
    reg->scanned_nodes = apr_hash_make(pool);
    reg->scoped_bases = apr_hash_make(pool);
    reg->dynamic_anchors = apr_hash_make(pool);
    reg->new_anchors = apr_array_make(pool, 4, sizeof(oa_found_anchor));
    for (def = oa_dialect_keywords(dialect); def->name; def++)
        apr_hash_set(reg->keywords, def->name, APR_HASH_KEY_STRING, def);
    for (format = oa_format_builtins(); format->name; format++)
        oa_schema_register_format_for(reg, format->name,
                                      format->kinds, format->check, NULL);
    {
        static const uint32_t limits[OA_PATTERN_LEVELS] = OA_PATTERN_MATCH_LIMITS;
        int level;
        for (level = 0; level < OA_PATTERN_LEVELS; level++) {
            reg->match_contexts[level] = pcre2_match_context_create(NULL);
            pcre2_set_match_limit(reg->match_contexts[level], limits[level]);
            pcre2_set_depth_limit(reg->match_contexts[level], OA_SCHEMA_PATTERN_DEPTH_LIMIT);
        }
    }
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
    check->schema_location = cc->location;
    check->data = data;
    return check;
}

const char *oa_check_location(apr_pool_t *pool, const oa_check *check)
{
    /* a false schema is its own check: its location is the schema's */
    return check->validate == oa_validate_false ? check->schema_location
                            : oa_json_pointer_append(pool, check->schema_location,
                                                     check->keyword);
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
        floor(json_real_value(value)) == json_real_value(value)) {
        /* 1e59 items: more than any instance can have, the same as SIZE_MAX (a cast of
         * a double past the type's range is undefined) */
        double real = json_real_value(value);
        *count = real >= (double)SIZE_MAX ? SIZE_MAX : (size_t)real;
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
    pattern->match_contexts = reg->match_contexts;
    apr_hash_set(reg->patterns, pattern->source, APR_HASH_KEY_STRING, pattern);
    return pattern;
}

static const char *strip_fragment(apr_pool_t *pool, const char *uri)
{
    const char *fragment;
    return oa_uri_split_fragment(pool, uri, &fragment);
}

/* ---- where a top-level schema sits in its document ---- */

static void index_pointers(apr_pool_t *pool, apr_hash_t *index, json_t *node,
                           const char *pointer, int depth)
{
    const json_t **key;
    if (depth > OA_SCHEMA_MAX_DEPTH || !(json_is_object(node) || json_is_array(node)))
        return;
    /* a node met again (a YAML alias, a shared subtree) is named by its first pointer:
     * walking it once per occurrence would cost the expanded tree */
    if (apr_hash_get(index, &node, sizeof(node)))
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
    apr_hash_t *index;
    const char *pointer;
    if (!reg->index_pool) {
        reg->index_pool = oa_pool_create_own(NULL, 0);
        reg->pointer_index = apr_hash_make(reg->index_pool);
    }
    index = apr_hash_get(reg->pointer_index, document_uri, APR_HASH_KEY_STRING);
    if (!index) {
        apr_pool_t *pool = reg->index_pool;
        json_t *root = oa_docset_get(reg->docs, document_uri, oa_diag_create(pool));
        index = apr_hash_make(pool);
        if (root)
            index_pointers(pool, index, root, "", 0);
        apr_hash_set(reg->pointer_index, apr_pstrdup(pool, document_uri), APR_HASH_KEY_STRING,
                     index);
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
    use = oa_compile_dialect_of(reg, node, use);
    dialect = use.dialect;
    if (!json_is_object(node) &&
        !(json_is_boolean(node) && !OA_DIALECT_IS_DRAFT4_LIKE(dialect))) {
        registry_error(reg, diag, node, location,
                       OA_DIALECT_IS_DRAFT4_LIKE(dialect) ? "a schema must be an object"
                                                          : "a schema must be an object or a boolean");
        reg->failures++;
        return NULL;
    }
    id = oa_compile_base_id(node, dialect);
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

static const oa_check no_checks[1];

/* Compiles the keywords of a reserved schema through the dialect's table. */
static int fill(oa_schema_registry *reg, oa_schema *schema, oa_diag *diag)
{
    const oa_keyword_def *ref_def;
    oa_compile_ctx cc;
    json_t *ref;
    int first;

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
    cc.checks = reg->check_stack;
    first = cc.checks->nelts;

    reg->depth++;
    ref = json_object_get(cc.node, "$ref");
    ref_def = oa_dialect_keywords(cc.dialect); /* $ref, when the dialect has it, is first */
    if (json_is_false(cc.node)) {
        oa_compile_add_check(&cc, oa_validate_false, OA_KIND_ALL, "false", NULL);
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

    /* exactly its own checks, in the order they were added; the stack is left as found */
    schema->check_count = cc.checks->nelts - first;
    schema->checks = schema->check_count
        ? apr_pmemdup(reg->pool, cc.checks->elts + first * sizeof(oa_check),
                      schema->check_count * sizeof(oa_check))
        : no_checks; /* never NULL: the validator adds the count to it */
    cc.checks->nelts = first;
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
    const char *location;
    const oa_schema *schema;
    oa_dialect_use use;
    char keyword_location[512];
    size_t length = strlen(cc->location);
    use.dialect = cc->dialect;
    use.vocabularies = cc->vocabularies;
    /* one allocation for the schema's location, which lives as long as it does (a
     * keyword needs no escaping) */
    if (token && length + strlen(keyword) + 2 <= sizeof(keyword_location)) {
        memcpy(keyword_location, cc->location, length);
        keyword_location[length] = '/';
        strcpy(keyword_location + length + 1, keyword);
        location = oa_json_pointer_append(cc->reg->pool, keyword_location, token);
    }
    else {
        location = oa_compile_keyword_location(cc, keyword);
        if (token)
            location = oa_json_pointer_append(cc->reg->pool, location, token);
    }
    schema = oa_schema_compile_at(cc->reg, subschema,
                                  oa_compile_scoped_base(cc->reg, subschema, cc->base_uri), location,
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

    oa_compile_scan_document(reg, document_uri);
    compile_new_anchors(reg, cc->diag);
    target = oa_docset_resolve(reg->docs, reg->pool, cc->base_uri, ref, &target_base,
                               resolve_diag);
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
        use = oa_compile_dialect_of(reg, root, use);
    schema = reserve(reg, target, oa_compile_scoped_base(reg, target, target_base),
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
    oa_compile_scan_document(reg, document_uri);
    oa_compile_scan_top_level(reg, node, base_uri, document_uri);
    compile_new_anchors(reg, diag);
    schema = oa_schema_compile_at(reg, node, oa_compile_scoped_base(reg, node, base_uri),
                                  top_level_location(reg, node, document_uri),
                                  oa_dialect_use_of(reg->dialect), diag);
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
