/* JSON Schema validation (draft 4, 6, 7, 2019-09, 2020-12, and the OpenAPI 2.0/3.0 and 3.1
 * dialects built on draft 4 and 2020-12).
 *
 * A schema is compiled once, at config time, into a read-only structure that all threads
 * share; validating an instance against it allocates only from the pool the caller gives
 * (its context, PCRE2 match data once a pattern is matched, and messages only when
 * something has to be reported). Design notes: docs/validator.md.
 *
 * Limits (reported as errors, never as a crash or a pass):
 *   OA_SCHEMA_MAX_DEPTH        nesting of instances (validation error) and of schemas
 *                              inside schemas (compile error; $ref chains do not count)
 *   OA_SCHEMA_MAX_EVAL_DEPTH   nesting of schema evaluations (recursive $ref without
 *                              progress, deep allOf chains)
 *   OA_SCHEMA_MAX_WORK         schema evaluations per validation call (bounds nested
 *                              anyOf/oneOf)
 *   OA_SCHEMA_PATTERN_MATCH_LIMIT / OA_SCHEMA_PATTERN_DEPTH_LIMIT   PCRE2 limits */
#ifndef OA_SCHEMA_H
#define OA_SCHEMA_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "util/oa_diag.h"
#include "doc/oa_docset.h"

#define OA_SCHEMA_MAX_DEPTH 256
#define OA_SCHEMA_MAX_EVAL_DEPTH 1024
#define OA_SCHEMA_MAX_WORK 1000000L
#define OA_SCHEMA_PATTERN_MATCH_LIMIT 100000U
#define OA_SCHEMA_PATTERN_DEPTH_LIMIT 1000U

/* Compile context: the document set, the dialect, registered formats, the memo of
 * compiled nodes and the shared PCRE2 pattern cache. Used at config time only (not
 * thread-safe); the schemas it produced are safe to share once compiling is over. */
typedef struct oa_schema_registry oa_schema_registry;

/* One compiled schema, read-only. */
typedef struct oa_schema oa_schema;

typedef enum {
    OA_DIALECT_DRAFT4, /* JSON Schema draft 4 as written */
    OA_DIALECT_OAS30,  /* draft 4 + OpenAPI 2.0/3.0: nullable, x-nullable, readOnly,
                          writeOnly, discriminator, OpenAPI formats; integral reals such
                          as 1.0 count as integers */
    OA_DIALECT_DRAFT6,
    OA_DIALECT_DRAFT7,
    OA_DIALECT_DRAFT2019,   /* draft 2019-09 */
    OA_DIALECT_DRAFT2020,   /* draft 2020-12 */
    OA_DIALECT_OAS31        /* 2020-12 + the OpenAPI 3.1 vocabulary: discriminator, xml,
                               example, readOnly/writeOnly enforcement */
} oa_dialect;

/* The dialect a `$schema` URI names (with or without its empty fragment); 0 when it is
 * not one of the built-in metaschemas. */
int oa_dialect_from_uri(const char *uri, oa_dialect *dialect);

/* The dialect of a short name: draft4, oas30, draft6, draft7, 2019-09, 2020-12, oas31;
 * 0 when unknown. */
int oa_dialect_from_name(const char *name, oa_dialect *dialect);

/* The metaschema URI of a dialect (e.g. "https://json-schema.org/draft/2020-12/schema"). */
const char *oa_dialect_uri(oa_dialect dialect);

typedef enum {
    OA_MODE_NONE,     /* readOnly / writeOnly are not enforced */
    OA_MODE_REQUEST,  /* readOnly properties are rejected, and not required */
    OA_MODE_RESPONSE  /* writeOnly properties are rejected, and not required */
} oa_validation_mode;

/* Instance kinds a format checker applies to (see oa_schema_register_format_for). */
#define OA_FORMAT_STRINGS 0x1u
#define OA_FORMAT_NUMBERS 0x2u
#define OA_FORMAT_ANY 0xffu

/* Checks one instance against a format: returns 1 when valid, 0 when not. Must be
 * thread-safe and must not keep the instance. */
typedef int (*oa_format_check_fn)(const json_t *instance, void *baton);

/* Creates a registry whose compiled schemas live in pool. docs holds the documents that
 * schemas and their $refs live in (refs to documents not yet in docs go through its
 * loader; the official metaschemas are built in). dialect is that of schemas without a
 * `$schema` of their own (OpenAPI 3.0 schemas ignore `$schema`). */
oa_schema_registry *oa_schema_registry_create(apr_pool_t *pool, oa_docset *docs,
                                              oa_dialect dialect);

/* The dialect the registry compiles for. */
oa_dialect oa_schema_registry_dialect(const oa_schema_registry *reg);

/* format: in draft 2019-09, 2020-12 and OpenAPI 3.1 an annotation unless this is on
 * (then an assertion, as it always is in draft 4, 6, 7 and OpenAPI 3.0). Set it before
 * compiling. */
void oa_schema_registry_assert_formats(oa_schema_registry *reg, int on);

/* Compiling is over for now: frees what only compiling needs (the index of where each
 * node of a document sits). A later compile builds it again. */
void oa_schema_registry_end_compile(oa_schema_registry *reg);

/* Releases what the registry holds outside its pool (compiled patterns, references to
 * schema nodes) now instead of when the pool goes: an httpd child exits without
 * destroying the configuration pool. No schema of the registry may be used after. */
void oa_schema_registry_release(oa_schema_registry *reg);

/* Registers (or replaces, built-ins included) the checker of format `name` for string
 * instances. Must be called before the schemas using the format are compiled. Formats
 * nobody registered and that are not built in are ignored, as JSON Schema says. */
void oa_schema_register_format(oa_schema_registry *reg, const char *name,
                               oa_format_check_fn check, void *baton);

/* As oa_schema_register_format, for the instance kinds in `kinds` (OA_FORMAT_*). */
void oa_schema_register_format_for(oa_schema_registry *reg, const char *name,
                                   unsigned kinds, oa_format_check_fn check, void *baton);

/* Compiles the schema at `node`, a node inside a document of the registry's docset;
 * base_uri is the URI of that document (or of the resource the node belongs to).
 * Returns NULL when the schema is broken, with errors in diag positioned by
 * oa_docset_position. Compiling the same node again returns the same compiled schema;
 * that memo is also what makes recursive $refs work. The registry keeps a reference to
 * node (the compiled schema points into it) until its pool goes; a node made up by the
 * caller, outside any document, is fine (its $refs resolve against base_uri). */
oa_schema *oa_schema_compile(oa_schema_registry *reg, json_t *node, const char *base_uri,
                             oa_diag *diag);

/* One validation error. Strings live in the pool given to oa_schema_validate. */
typedef struct oa_schema_error {
    const char *instance_pointer; /* JSON pointer into the instance ("" = the root) */
    const char *schema_pointer;   /* absolute location of the failing keyword:
                                     "<document URI>#<JSON pointer>" */
    const char *keyword;          /* e.g. "required", "type", "readOnly", "limit" */
    const char *message;          /* e.g. "'name' is a required property" (UTF-8; control
                                     characters escaped; long values cut with "...") */
    const char *property;         /* `required`: the missing property's name; else NULL */
} oa_schema_error;

/* Validates instance against schema (a NULL instance is invalid: "no value to validate").
 * Returns 1 when valid, 0 when invalid. When
 * invalid and errors is not NULL, appends up to max_errors errors (max_errors <= 0:
 * no cap) to *errors, an array of oa_schema_error created in pool when *errors is NULL.
 * Validation stops once max_errors errors were found. Thread-safe: the schema is only
 * read; all scratch memory (PCRE2 match data included) comes from pool. */
int oa_schema_validate(const oa_schema *schema, const json_t *instance,
                       oa_validation_mode mode, apr_pool_t *pool,
                       apr_array_header_t **errors, int max_errors);

/* As oa_schema_validate, but validation goes on past max_errors (> 0): the errors past
 * it are only counted into *omitted (added to it), with no message built, so that the
 * caller can say how many more there were at no cost in memory. */
int oa_schema_validate_counted(const oa_schema *schema, const json_t *instance,
                               oa_validation_mode mode, apr_pool_t *pool,
                               apr_array_header_t **errors, int max_errors, long *omitted);

/* As oa_schema_validate (no mode), for a whole document checked at config time (a spec
 * against its official schema), whose work grows with its size: max_work schema
 * evaluations (at least OA_SCHEMA_MAX_WORK), which the caller bounds by the size. */
int oa_schema_validate_document(const oa_schema *schema, const json_t *instance,
                                apr_pool_t *pool, apr_array_header_t **errors,
                                int max_errors, long max_work);

/* Fills the defaults that object schemas declare into instance (an object or array;
 * anything else is left alone): missing members with a `default` get a copy of it,
 * nested objects and array items likewise, through $ref and allOf (not anyOf/oneOf
 * branches; readOnly members are left out). Bounded by OA_SCHEMA_MAX_DEPTH and
 * OA_SCHEMA_MAX_WORK. */
void oa_schema_fill_defaults(const oa_schema *schema, json_t *instance);

/* The `default` keyword's value of the schema (following a $ref), or NULL. Owned by the
 * document. */
const json_t *oa_schema_default(const oa_schema *schema);

/* The schema's declared "type" when it is a single type name ("integer", "string", ...;
 * following a $ref), or NULL. The request layer uses it to cast parameter strings. */
const char *oa_schema_type_name(const oa_schema *schema);

/* The absolute location of the schema ("<document URI>#<JSON pointer>"). */
const char *oa_schema_location(const oa_schema *schema);

#endif
