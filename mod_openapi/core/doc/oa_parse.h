/* Reads a YAML 1.2 or JSON file into a jansson tree, remembering where each node was
 * written. YAML anchors and aliases are honoured (an alias shares the anchored node);
 * plain scalars resolve by the YAML 1.2 core schema (null, true/false, integers, floats),
 * quoted ones stay strings. Duplicate mapping keys and non-scalar keys are errors. */
#ifndef OA_PARSE_H
#define OA_PARSE_H

#include <apr_pools.h>
#include <jansson.h>

#include "util/oa_diag.h"
#include "doc/oa_docset.h"

/* Parses a file. On success returns a new reference and, when positions is not NULL,
 * a position map allocated in pool. On failure returns NULL with errors in diag naming
 * path, line and column. */
json_t *oa_parse_file(apr_pool_t *pool, const char *path, oa_posmap **positions,
                      oa_diag *diag);

/* Reads a whole file into pool, NUL-terminated; NULL with "PATH: cannot read" in diag. */
char *oa_parse_read_file(apr_pool_t *pool, const char *path, apr_size_t *length,
                         oa_diag *diag);

/* Parses text held in memory; name is what errors call it. */
json_t *oa_parse_buffer(apr_pool_t *pool, const char *name, const char *text, size_t length,
                        oa_posmap **positions, oa_diag *diag);

/* Flags of the _ex forms. OA_PARSE_SHARE_SUBTREES: identical mappings and sequences in
 * the values of the keys schema, schemas, definitions, example, examples, requestBody,
 * requestBodies, responses, content and headers become one node, as a YAML alias shares its anchor (a spec's repeated inline schemas then cost
 * once, compiled ones included: the schema compiler memoizes by node). A shared node
 * keeps the position of its first occurrence. Only for documents whose schemas mean the
 * same wherever they sit (OpenAPI 2.0 / 3.0: no JSON Schema ids). */
#define OA_PARSE_SHARE_SUBTREES 1
/* OA_PARSE_BY_YAML: JSON text is read by the YAML parser too, not by oa_json_read (for
 * the tests that compare the two readers). */
#define OA_PARSE_BY_YAML 2

json_t *oa_parse_file_ex(apr_pool_t *pool, const char *path, int flags,
                         oa_posmap **positions, oa_diag *diag);
json_t *oa_parse_buffer_ex(apr_pool_t *pool, const char *name, const char *text,
                           size_t length, int flags, oa_posmap **positions, oa_diag *diag);

/* A docset loader for file:// URIs, parsing with oa_parse_file_ex. baton: NULL, or a
 * const int * holding the flags. */
json_t *oa_parse_file_loader(void *baton, oa_docset *set, const char *uri,
                             oa_posmap **positions, oa_diag *diag);

#endif
