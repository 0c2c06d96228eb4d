/* Private structures shared by the oa_schema_*.c files: compiled schemas, keyword
 * checks, the dialect keyword tables and the validation context. Not part of the API. */
#ifndef OA_SCHEMA_INTERNAL_H
#define OA_SCHEMA_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <apr_hash.h>

#include "schema/oa_schema.h"

/* Instance kinds, one bit each; a check says which kinds it looks at so that the
 * validator skips it without a call for the others. */
enum {
    OA_KIND_NULL = 1u << 0,
    OA_KIND_BOOLEAN = 1u << 1,
    OA_KIND_INTEGER = 1u << 2, /* a jansson integer */
    OA_KIND_REAL = 1u << 3,
    OA_KIND_STRING = 1u << 4,
    OA_KIND_ARRAY = 1u << 5,
    OA_KIND_OBJECT = 1u << 6,
    OA_KIND_NUMBER = OA_KIND_INTEGER | OA_KIND_REAL,
    OA_KIND_ALL = 0x7fu
};

unsigned oa_json_kind(const json_t *value);

typedef struct oa_vctx oa_vctx;
typedef struct oa_check oa_check;

/* Validates one compiled keyword; returns 1 when the instance passes, 0 when not (after
 * reporting through oa_vctx_fail when the context collects errors). */
typedef int (*oa_check_fn)(oa_vctx *ctx, const oa_check *check, const json_t *instance);

struct oa_check {
    oa_check_fn validate;
    unsigned applies_to;     /* OA_KIND_* mask */
    const char *keyword;
    const char *schema_location; /* absolute location of the schema the keyword is in
                                    (shared): the keyword's own is made only when an error
                                    names it (oa_check_location) */
    const void *data;        /* keyword-specific, compiled */
};

/* The absolute location of a check's keyword, made in pool: for errors only. */
const char *oa_check_location(apr_pool_t *pool, const oa_check *check);

#define OA_SCHEMA_READ_ONLY 0x1u
#define OA_SCHEMA_WRITE_ONLY 0x2u
#define OA_SCHEMA_COLLECTS 0x4u  /* has unevaluated*: collects what its keywords evaluated */
#define OA_SCHEMA_SCOPE 0x8u     /* enters a schema resource: pushed on the dynamic scope
                                    ($dynamicRef, $recursiveRef) */

/* A pattern match is tried with the first limit, then each next one while the
 * validation call's regex allowance pays for it (oa_vctx_match). */
#define OA_PATTERN_LEVELS 4
#define OA_PATTERN_MATCH_LIMITS {128u, 2048u, 32768u, OA_SCHEMA_PATTERN_MATCH_LIMIT}

struct oa_schema {
    json_t *node;
    const char *base_uri;
    const char *location;
    const oa_check *checks;
    int check_count;
    const oa_schema *ref;         /* a $ref-only schema: its target */
    const json_t *default_value;
    const char *type_name;
    unsigned flags;               /* OA_SCHEMA_READ_ONLY, OA_SCHEMA_WRITE_ONLY, ... */
    int compiled;                 /* 0 until its keywords are being compiled */
    oa_dialect dialect;           /* its own $schema's, else that of where it sits */
    unsigned vocabularies;        /* OA_VOCAB_* its metaschema's $vocabulary enables */
};

/* Vocabularies (2019-09 and later): a custom metaschema's $vocabulary may leave some
 * out, and their keywords then mean nothing. Core keywords are always on. */
enum {
    OA_VOCAB_APPLICATOR = 1u << 0,
    OA_VOCAB_UNEVALUATED = 1u << 1,
    OA_VOCAB_VALIDATION = 1u << 2,
    OA_VOCAB_META_DATA = 1u << 3,
    OA_VOCAB_FORMAT = 1u << 4,           /* format annotation (2020-12), format (2019-09) */
    OA_VOCAB_FORMAT_ASSERTION = 1u << 5, /* 2020-12 format-assertion: format asserts */
    OA_VOCAB_CONTENT = 1u << 6,
    OA_VOCAB_OAS = 1u << 7,
    OA_VOCAB_CORE = 1u << 8,
    OA_VOCAB_DEFAULT = 0xffffu & ~OA_VOCAB_FORMAT_ASSERTION
};

/* The vocabulary a keyword belongs to (OA_VOCAB_CORE for those not listed). */
unsigned oa_keyword_vocabulary(const char *keyword);
/* The OA_VOCAB_* bit of a vocabulary URI, 0 when unknown. */
unsigned oa_vocabulary_of_uri(const char *uri);

/* A dialect as a schema uses it. */
typedef struct oa_dialect_use {
    oa_dialect dialect;
    unsigned vocabularies;
} oa_dialect_use;

/* Dialect families, for the keywords whose meaning changed between drafts. */
#define OA_DIALECT_IS_DRAFT4_LIKE(d) ((d) == OA_DIALECT_DRAFT4 || (d) == OA_DIALECT_OAS30)
#define OA_DIALECT_IS_2019_PLUS(d) \
    ((d) == OA_DIALECT_DRAFT2019 || (d) == OA_DIALECT_DRAFT2020 || (d) == OA_DIALECT_OAS31)
#define OA_DIALECT_IS_2020_PLUS(d) ((d) == OA_DIALECT_DRAFT2020 || (d) == OA_DIALECT_OAS31)

/* ---- compiling ---- */

typedef struct oa_format_entry {
    oa_format_check_fn check;
    void *baton;
    unsigned kinds; /* OA_FORMAT_* */
} oa_format_entry;

struct oa_schema_registry {
    apr_pool_t *pool;
    oa_docset *docs;
    oa_dialect dialect;
    apr_hash_t *keywords;        /* name -> const oa_keyword_def * of the dialect */
    apr_hash_t *formats;         /* name -> oa_format_entry * */
    apr_hash_t *memo;            /* json_t * -> oa_schema * */
    apr_array_header_t *retained; /* json_t * given to oa_schema_compile: referenced
                                     while the registry lives (the memo keys on them) */
    apr_array_header_t *memo_log; /* json_t * memoized during the current top-level
                                     compile: forgotten again when it fails */
    apr_hash_t *patterns;        /* source -> pcre2_code * */
    apr_hash_t *scanned;         /* document/resource URIs whose ids are registered */
    apr_hash_t *scanned_nodes;   /* json_t * -> "": schema nodes the id scan visited */
    apr_hash_t *scoped_bases;    /* json_t * -> base URI changed by an enclosing id */
    apr_hash_t *pointer_index;   /* document URI -> apr_hash (json_t * -> pointer); in
                                    index_pool, NULL until needed */
    apr_pool_t *index_pool;      /* own allocator: its pages go back when compiling ends */
    /* match limits, read-only during matching: one context per step of
     * OA_PATTERN_MATCH_LIMITS (oa_vctx_match escalates through them) */
    pcre2_match_context *match_contexts[OA_PATTERN_LEVELS];
    apr_hash_t *dynamic_anchors; /* name -> oa_anchor_set *: $dynamicAnchor (and, under
                                    OA_RECURSIVE_ANCHOR, $recursiveAnchor: true) */
    apr_array_header_t *new_anchors; /* oa_found_anchor found by the id scan, to compile */
    int assert_formats;          /* format asserts in 2019-09 / 2020-12 too */
    apr_array_header_t *pending; /* oa_schema * reached by $ref, still to be compiled */
    apr_array_header_t *check_stack; /* oa_check: the checks of the schemas being
                                        compiled, nested; each keeps a copy of its own */
    int failures;                /* broken schemas met so far */
    int depth;                   /* of the compile recursion (subschemas, not $refs) */
};

typedef struct oa_compile_ctx {
    oa_schema_registry *reg;
    oa_schema *schema;
    json_t *node;
    const char *base_uri;
    const char *location;   /* of the schema */
    oa_dialect dialect;     /* of the schema */
    unsigned vocabularies;  /* of the schema */
    oa_diag *diag;
    apr_array_header_t *checks;     /* of oa_check: the registry's check stack, whose top
                                       part from the schema's first check is its own */
    unsigned groups_done;           /* bit per keyword group already compiled */
    int failed;
} oa_compile_ctx;

/* Compiles one keyword (value is node[keyword]); adds checks with oa_compile_add_check.
 * Returns 1 on success, 0 after reporting a broken schema with oa_compile_error. */
typedef int (*oa_keyword_compile_fn)(oa_compile_ctx *cc, const char *keyword,
                                     json_t *value);

/* A keyword of a dialect. Keywords of one group (e.g. properties, patternProperties,
 * additionalProperties) are compiled together, once, by the first of them found. */
typedef struct oa_keyword_def {
    const char *name;
    oa_keyword_compile_fn compile;
    unsigned group;        /* 0 or a bit of oa_compile_ctx.groups_done */
    int overrides_siblings; /* $ref: the other keywords of its object are ignored */
} oa_keyword_def;

/* Keyword groups (bits of oa_compile_ctx.groups_done). */
enum {
    OA_GROUP_MAXIMUM = 1u << 0,    /* maximum, exclusiveMaximum */
    OA_GROUP_MINIMUM = 1u << 1,    /* minimum, exclusiveMinimum */
    OA_GROUP_ITEMS = 1u << 2,      /* items, additionalItems */
    OA_GROUP_PROPERTIES = 1u << 3, /* properties, patternProperties, additionalProperties */
    OA_GROUP_ANY_OF = 1u << 4,     /* taken over by discriminator */
    OA_GROUP_ONE_OF = 1u << 5,     /* taken over by discriminator */
    OA_GROUP_CONTAINS = 1u << 6,   /* contains, minContains, maxContains */
    OA_GROUP_IF = 1u << 7,         /* if, then, else */
    OA_GROUP_UNEVALUATED = 1u << 8, /* unevaluatedItems, unevaluatedProperties */
    OA_GROUP_CONTENT = 1u << 9      /* contentEncoding, contentMediaType */
};

/* The schemas that declare one dynamic anchor name, each with its resource's base URI:
 * grows while compiling (config time), read-only while validating. */
typedef struct oa_anchor_set {
    apr_array_header_t *entries; /* of oa_anchor_entry */
} oa_anchor_set;

typedef struct oa_anchor_entry {
    const char *base;          /* the resource the anchor is declared in */
    const oa_schema *schema;
} oa_anchor_entry;

/* An anchor the scan found; filed and compiled after the scan. */
typedef struct oa_found_anchor {
    json_t *node;
    const char *base;
    const char *document_uri;
    const char *name;
    oa_dialect_use use;
} oa_found_anchor;

/* The name 2019-09's `$recursiveAnchor: true` is filed under in dynamic_anchors. */
#define OA_RECURSIVE_ANCHOR "\x01recursive"

/* oa_schema_ids.c: the dialect of node (its $schema, else inherited); the dialect with
 * all its vocabularies; the id of node that sets a new base URI (or NULL); registering
 * the ids and anchors of a document (once) or of a top-level schema the document scan did
 * not reach; the base URI in force at node when an enclosing id changed it. */
oa_dialect_use oa_compile_dialect_of(oa_schema_registry *reg, const json_t *node,
                                     oa_dialect_use inherited);
oa_dialect_use oa_dialect_use_of(oa_dialect dialect);
const char *oa_compile_base_id(const json_t *node, oa_dialect dialect);
void oa_compile_scan_document(oa_schema_registry *reg, const char *document_uri);
void oa_compile_scan_top_level(oa_schema_registry *reg, json_t *node, const char *base_uri,
                               const char *document_uri);
const char *oa_compile_scoped_base(oa_schema_registry *reg, const json_t *node,
                                   const char *base);
/* 1 when value can be a schema in the dialect (an object; true/false since draft 6). */
int oa_compile_is_schema(const oa_compile_ctx *cc, const json_t *value);
/* The anchor set of a dynamic anchor name (created empty when unknown). */
oa_anchor_set *oa_compile_anchor_set(oa_schema_registry *reg, const char *name);

/* The keyword table of a dialect, in evaluation order, ended by a {NULL} entry. */
const oa_keyword_def *oa_dialect_keywords(oa_dialect dialect);

/* Appends a check for keyword (its location derived from the schema's). */
oa_check *oa_compile_add_check(oa_compile_ctx *cc, oa_check_fn fn, unsigned applies_to,
                               const char *keyword, const void *data);
/* Reports a broken schema at node `at` (its position, else the schema's) and marks the
 * compile failed. */
void oa_compile_error(oa_compile_ctx *cc, const json_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Compiles a subschema found at node[keyword] (or node[keyword][token] when token is
 * not NULL). */
const oa_schema *oa_compile_subschema(oa_compile_ctx *cc, json_t *subschema,
                                      const char *keyword, const char *token);
/* The compiled schema a $ref written in the schema being compiled points at. The target
 * is only reserved here (its address is final) and compiled later from the registry's
 * work list, so refs never deepen the compile recursion. */
const oa_schema *oa_compile_ref(oa_compile_ctx *cc, const json_t *at, const char *ref);
/* "<schema location>/<keyword>" */
const char *oa_compile_keyword_location(oa_compile_ctx *cc, const char *keyword);

/* A compiled regular expression, shared by every schema that uses the same source. */
typedef struct oa_pattern {
    const char *source;
    pcre2_code *code;
    int jit;                                  /* JIT-compiled: pcre2_jit_match applies */
    pcre2_match_context *const *match_contexts; /* the registry's, by limit step */
} oa_pattern;

/* A compiled, shared pattern (ECMA-262 flavoured PCRE2 with JIT); NULL after an error. */
const oa_pattern *oa_compile_pattern(oa_compile_ctx *cc, const json_t *at,
                                     const char *source);
/* 1 when value is a non-negative integer (reporting otherwise). */
int oa_compile_count(oa_compile_ctx *cc, const char *keyword, const json_t *value,
                     size_t *count);
/* Compiles node (memo first) with the given base URI and absolute location. */
oa_schema *oa_schema_compile_at(oa_schema_registry *reg, json_t *node, const char *base_uri,
                                const char *location, oa_dialect_use use, oa_diag *diag);

/* The compiled branches of allOf/anyOf/oneOf (the data of their checks). */
typedef struct oa_schema_list {
    const oa_schema **schemas;
    size_t count;
} oa_schema_list;

/* keyword compilers, by concern */
int oa_kw_type(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_enum(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_multiple_of(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_maximum(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_minimum(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_max_length(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_min_length(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_pattern(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_format(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_items(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_max_items(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_min_items(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_unique_items(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_max_properties(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_min_properties(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_required(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_properties(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_dependencies(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_all_of(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_any_of(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_one_of(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_not(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_ref(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_default(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_annotation_flag(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_discriminator(oa_compile_ctx *cc, const char *keyword, json_t *value);
/* draft 6 and later (oa_schema_kw_validation.c, oa_schema_kw_applicator.c,
 * oa_schema_kw_dynamic.c, oa_schema_kw_unevaluated.c) */
int oa_kw_const(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_limit_number(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_dependent_required(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_array_items(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_contains(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_property_names(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_dependent_schemas(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_if(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_properties_annotated(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_any_of_annotated(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_ref_applicator(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_dynamic_ref(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_recursive_ref(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_unevaluated(oa_compile_ctx *cc, const char *keyword, json_t *value);
int oa_kw_content(oa_compile_ctx *cc, const char *keyword, json_t *value);
/* the check of a `false` schema */
int oa_validate_false(oa_vctx *ctx, const oa_check *check, const json_t *instance);

/* Calls fn for each property a `properties` check declares (any order) and returns 1;
 * returns 0 for a check of another keyword. */
typedef void (*oa_property_fn)(void *baton, const char *name, size_t length,
                               const oa_schema *schema);
int oa_kw_properties_each(const oa_check *check, oa_property_fn fn, void *baton);
/* The `properties` check inside a 2019-09/2020-12 one that also records what it
 * evaluated; any other check as it is. */
const oa_check *oa_kw_properties_unwrap(const oa_check *check);
/* The schema a 2019-09/2020-12 `$ref` check (a keyword beside others) refers to; NULL
 * for any other check. */
const oa_schema *oa_kw_ref_target(const oa_check *check);

/* For an `items` check (*is_items set to 1): the schema item `index` is held to (items,
 * a tuple entry or additionalItems), or NULL. For any other check *is_items is 0. */
const oa_schema *oa_kw_item_schema(const oa_check *check, size_t index, int *is_items);

/* ---- validating ---- */

/* What the keywords of one schema evaluation (and its successful subschemas on the same
 * instance) evaluated, for unevaluatedItems / unevaluatedProperties. */
typedef struct oa_annotations {
    const json_t *instance;    /* what they describe: evaluations of other instances
                                  (members, items) leave them alone */
    int all_items;             /* every item */
    size_t prefix;             /* items [0, prefix) */
    unsigned char *item_bits;  /* further items (contains matches), bit per index */
    size_t item_bits_count;
    int all_properties;        /* every member */
    apr_hash_t *properties;    /* member names evaluated (key = name bytes) */
} oa_annotations;

typedef struct oa_path_segment {
    const char *key;  /* NULL for an array index */
    size_t key_length;
    size_t index;
} oa_path_segment;

struct oa_vctx {
    apr_pool_t *pool;
    apr_array_header_t *errors;  /* NULL: nothing is being collected */
    int max_errors;
    int collect;                 /* 0 inside anyOf/oneOf/not branches: fail fast, silent */
    int stop;                    /* the error cap or a limit was reached */
    int counting;                /* past the cap, errors are only counted (see omitted) */
    long omitted;                /* errors counted past the cap */
    int limit_hit;               /* a limit was reached: the instance is invalid */
    oa_validation_mode mode;
    int eval_depth;
    long work;
    long max_work;               /* OA_SCHEMA_MAX_WORK, or a whole document's budget */
    pcre2_match_data *match_data; /* created in pool on the first pattern match */
    long pattern_allowance;       /* regex work this call may still spend (see
                                     oa_vctx_match) */
    const json_t *dispatched[16]; /* instances whose discriminator chose a schema */
    int dispatch_count;
    oa_annotations *annotations;  /* the collector of the innermost schema evaluation that
                                     needs annotations, NULL when none does */
    const char **scope;           /* dynamic scope: base URIs of the resources entered,
                                     outermost first (created on the first entry) */
    int scope_length;
    int path_length;
    oa_path_segment path[OA_SCHEMA_MAX_DEPTH + 1];
};

/* Validates instance (the value at ctx->path) against schema. */
int oa_validate_schema(oa_vctx *ctx, const oa_schema *schema, const json_t *instance);
/* Same, for a child: pushes the member name or array index first. */
int oa_validate_member(oa_vctx *ctx, const oa_schema *schema, const json_t *instance,
                       const char *key, size_t key_length);
int oa_validate_item(oa_vctx *ctx, const oa_schema *schema, const json_t *instance,
                     size_t index);
/* Records an error (when collecting) and returns 0. */
int oa_vctx_fail(oa_vctx *ctx, const oa_check *check, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Past the error cap while counting: counts one error, formats nothing, returns 0.
 * OA_VCTX_FAIL and OA_VCTX_FAIL_AT evaluate their message arguments (renderings of the
 * instance) only when the error is kept, so errors past the cap cost no memory. */
int oa_vctx_count(oa_vctx *ctx);
#define OA_VCTX_FULL(ctx) ((ctx)->collect && (ctx)->counting && \
                           (ctx)->errors->nelts >= (ctx)->max_errors)
#define OA_VCTX_FAIL(ctx, ...) \
    (OA_VCTX_FULL(ctx) ? oa_vctx_count(ctx) : oa_vctx_fail((ctx), __VA_ARGS__))
#define OA_VCTX_FAIL_AT(ctx, ...) \
    (OA_VCTX_FULL(ctx) ? oa_vctx_count(ctx) : oa_vctx_fail_at((ctx), __VA_ARGS__))
/* A list of names for one message, bounded: the first OA_NAME_LIST_MAX renderings, then
 * "... and N more". Linear in what it keeps. */
#define OA_NAME_LIST_MAX 10
typedef struct oa_name_list {
    apr_array_header_t *shown; /* of const char * */
    long more;
} oa_name_list;
void oa_name_list_add(apr_pool_t *pool, oa_name_list *list, const char *rendering);
/* "'a', 'b', ... and 3 more" (NULL pointer renderings are never added). */
const char *oa_name_list_text(apr_pool_t *pool, const oa_name_list *list);
/* As oa_vctx_fail with explicit location/keyword and a path suffix (member key). */
int oa_vctx_fail_at(oa_vctx *ctx, const char *location, const char *keyword,
                    const char *member, size_t member_length, const char *message);
/* A limit was hit (depth, work, regex): the instance is invalid whatever encloses this
 * (`not` included); reports it even when not collecting, stops validation, returns 0. */
int oa_vctx_limit(oa_vctx *ctx, const char *location, const char *message);
/* Runs the checks of a schema (not a $ref-only one) over instance. Inline: it is the
 * validator's inner loop. */
static inline int oa_run_checks(oa_vctx *ctx, const oa_schema *target, const json_t *instance)
{
    const oa_check *check;
    const oa_check *end = target->checks + target->check_count;
    unsigned kind = oa_json_kind(instance);
    int valid = 1;
    for (check = target->checks; check < end; check++) {
        if (!(check->applies_to & kind))
            continue;
        if (!check->validate(ctx, check, instance)) {
            valid = 0;
            if (!ctx->collect || ctx->stop)
                break;
        }
    }
    return valid;
}
/* oa_validate_schema for schemas flagged OA_SCHEMA_COLLECTS / OA_SCHEMA_SCOPE: a
 * collector of their own, the dynamic scope entered (oa_schema_kw_unevaluated.c). */
int oa_validate_tracked(oa_vctx *ctx, const oa_schema *target, const json_t *instance);
/* Annotation collectors (NULL-safe where a parent may be absent). */
oa_annotations *oa_annotations_create(apr_pool_t *pool, const json_t *instance);
void oa_annotations_merge(apr_pool_t *pool, oa_annotations *into, const oa_annotations *from);
/* The collector for instance, or NULL (none, or one about another instance). */
oa_annotations *oa_annotations_for(const oa_vctx *ctx, const json_t *instance);
void oa_annotate_property(oa_annotations *annotations, apr_pool_t *pool, const char *key,
                          size_t key_length);
void oa_annotate_item(oa_annotations *annotations, apr_pool_t *pool, size_t index,
                      size_t count);
/* Runs schema with error collection off (a branch). */
int oa_validate_silently(oa_vctx *ctx, const oa_schema *schema, const json_t *instance);
/* Follows $ref-only schemas to the schema that carries keywords. */
const oa_schema *oa_schema_target(const oa_schema *schema);
/* PCRE2 match of a compiled pattern; 1 match, 0 no match, -1 limit hit or error. */
int oa_vctx_match(oa_vctx *ctx, const oa_pattern *pattern, const char *subject,
                  size_t length);

/* ---- messages ---- */

/* Python-repr-like rendering of a value for messages: strings in single quotes with
 * control characters escaped, cut at 80 characters with "...". */
const char *oa_repr(apr_pool_t *pool, const json_t *value);
const char *oa_repr_string(apr_pool_t *pool, const char *text, size_t length);
const char *oa_repr_number(apr_pool_t *pool, double value);

/* ---- JSON helpers ---- */

/* Deep equality where 1 and 1.0 are equal. */
int oa_json_equal(const json_t *a, const json_t *b);
/* A hash consistent with oa_json_equal. */
unsigned long oa_json_hash(const json_t *value);
/* 1 when value is an integer for the dialect (jansson integer; a real without fraction
 * in oas30, or beyond int64 range in draft 4, where jansson had to make it a real). */
int oa_json_is_integral(const json_t *value, oa_dialect dialect);
double oa_json_number(const json_t *value);

#endif
