/* A set of JSON documents addressed by absolute URI, with source positions, JSON pointers
 * and $ref resolution (RFC 3986 reference resolution, RFC 6901 pointers).
 *
 * A spec is one root document plus every file its $refs reach; a JSON Schema test is one
 * schema plus the remotes it names. Documents are jansson trees owned by the set and
 * released when the set's pool is cleared. Everything here is built at config time and is
 * read-only afterwards, so it may be shared by threads. */
#ifndef OA_DOCSET_H
#define OA_DOCSET_H

#include <apr_pools.h>
#include <apr_hash.h>
#include <stdarg.h>
#include <jansson.h>

#include "util/oa_diag.h"

typedef struct oa_docset oa_docset;

/* Where a node came from: line and column are 1-based, 0 when unknown. */
typedef struct oa_position {
    const char *file; /* file path (or URI when not a file) */
    int line;
    int column;
} oa_position;

/* Maps json_t nodes to their positions; filled by the document parser. */
typedef struct oa_posmap oa_posmap;

oa_posmap *oa_posmap_create(apr_pool_t *pool, const char *file);
void oa_posmap_set(oa_posmap *map, const json_t *node, int line, int column);
/* Drops the position of a node about to be freed (its address may be reused). */
void oa_posmap_forget(oa_posmap *map, const json_t *node);
/* Ends filling: the positions are kept compactly (a later set or forget reopens it). */
void oa_posmap_seal(oa_posmap *map);

/* Fetches a document the set does not hold yet. uri is absolute, without fragment.
 * Returns a new reference (the set takes it) or NULL with an error in diag. */
typedef json_t *(*oa_doc_loader_fn)(void *baton, oa_docset *set, const char *uri,
                                    oa_posmap **positions, oa_diag *diag);

oa_docset *oa_docset_create(apr_pool_t *pool, oa_doc_loader_fn loader, void *baton);

apr_pool_t *oa_docset_pool(const oa_docset *set);

/* Adds a document under an absolute URI (fragment-less); the set takes the reference to
 * root. positions may be NULL. Returns root. */
json_t *oa_docset_add(oa_docset *set, const char *uri, json_t *root, oa_posmap *positions);

/* The URIs of the documents in the set (of const char *, fragment-less), in pool. */
apr_array_header_t *oa_docset_document_uris(const oa_docset *set, apr_pool_t *pool);

/* Keeps a jansson value alive as long as the set's documents (made-up nodes that other
 * structures point to). Takes the reference. */
void oa_docset_keep(oa_docset *set, json_t *value);

/* Releases every document now instead of when the pool goes (an httpd child exits
 * without destroying the configuration pool). Nothing of the set may be used after. */
void oa_docset_release(oa_docset *set);

/* Registers an extra URI for a node inside a document already in the set (JSON Schema
 * `id` / `$id`, or a location-independent "#name" made absolute). */
void oa_docset_register_uri(oa_docset *set, const char *absolute_uri, json_t *node);

/* The document the set holds under an absolute URI, or NULL (the loader is not asked). */
json_t *oa_docset_find(const oa_docset *set, const char *uri);

/* How many documents the set holds. */
int oa_docset_count(const oa_docset *set);

/* Returns the document for an absolute URI, loading it through the loader when absent.
 * NULL with an error in diag when it cannot be had. */
json_t *oa_docset_get(oa_docset *set, const char *uri, oa_diag *diag);

/* A $ref chain (or pointers passing through $refs) longer than this is taken for a loop. */
#define OA_DOCSET_MAX_REF_CHAIN 32

/* The one $ref resolver. Resolves reference `ref` (as written in a $ref) found in a
 * document whose base URI is base_uri. Where a JSON pointer passes through an object that
 * is itself a $ref (and lacks the next token), that $ref is followed and the walk goes on
 * in its target, as json-schema-ref-parser and swagger-parser do. On success returns the
 * target node and sets *target_base to the base URI that applies at the target. On failure
 * returns NULL and adds errors to diag: without a position (the caller knows where the
 * $ref is), except errors inside a referenced document, which keep theirs. Everything is
 * allocated in pool; after oa_docset_freeze the set is only read, so request-time code may
 * call this with a request pool from any thread. */
json_t *oa_docset_resolve(oa_docset *set, apr_pool_t *pool, const char *base_uri,
                          const char *ref, const char **target_base, oa_diag *diag);

/* Follows a chain of $refs from node (found in the document with base URI base) to a node
 * that is not a $ref; sets *target_base. NULL when a reference is broken or loops, with an
 * error at the position of the $ref that failed. */
json_t *oa_docset_follow(oa_docset *set, apr_pool_t *pool, json_t *node, const char *base,
                         const char **target_base, oa_diag *diag);

/* The same, setting *last_ref to the last $ref followed (unchanged when node is not a
 * $ref): the name a discriminator knows a schema by. */
json_t *oa_docset_follow_named(oa_docset *set, apr_pool_t *pool, json_t *node,
                               const char *base, const char **target_base,
                               const char **last_ref, oa_diag *diag);

/* Ends loading: documents not in the set by now are an error rather than read. Called
 * when a spec is ready to serve; from then on the set is read-only and thread-safe. */
void oa_docset_freeze(oa_docset *set);

/* Adds an error at the position of node (no position when it is unknown). */
void oa_docset_error_at(const oa_docset *set, oa_diag *diag, const json_t *node,
                        const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The same with a va_list, and fallback_file (may be NULL) for nodes of unknown position. */
void oa_docset_error_va(const oa_docset *set, oa_diag *diag, const json_t *node,
                        const char *fallback_file, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

/* Source position of a node, searching every document of the set. Returns 0 when the
 * node is unknown (position is then zeroed). */
int oa_docset_position(const oa_docset *set, const json_t *node, oa_position *position);

/* RFC 3986 section 5.2: resolves ref against base. Both may carry fragments. */
const char *oa_uri_resolve(apr_pool_t *pool, const char *base, const char *ref);

/* Splits off the fragment: returns the URI without it; *fragment gets the fragment text
 * (without '#', NULL when there is none). */
const char *oa_uri_split_fragment(apr_pool_t *pool, const char *uri, const char **fragment);

/* Turns a filesystem path into a file:// URI (absolute path made from the cwd if needed). */
const char *oa_uri_from_path(apr_pool_t *pool, const char *path);

/* The filesystem path of a file:// URI, or NULL for other schemes. */
const char *oa_uri_to_path(apr_pool_t *pool, const char *uri);

/* RFC 6901: evaluates a JSON pointer ("" or "/a/b~1c"); the pointer may still be
 * percent-encoded as in a URI fragment when percent_decoded is 0. NULL if it points at
 * nothing. */
json_t *oa_json_pointer_get(apr_pool_t *pool, json_t *root, const char *pointer,
                            int percent_encoded);

/* The parts oa_json_pointer_get is made of: a URI fragment percent-decoded; one
 * reference token (length bytes) with ~1 and ~0 unescaped; one step down an object or
 * array (NULL when there is no such member). */
const char *oa_json_pointer_decode(apr_pool_t *pool, const char *fragment);
const char *oa_json_pointer_token(apr_pool_t *pool, const char *token, size_t length);
json_t *oa_json_pointer_step(json_t *node, const char *token);

/* Appends one reference token to a pointer, escaping '~' and '/'. */
const char *oa_json_pointer_append(apr_pool_t *pool, const char *pointer, const char *token);

#endif
