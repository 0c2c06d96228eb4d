/* Identical subtrees made one node while a document is parsed (OA_PARSE_SHARE_SUBTREES
 * of oa_parse.h), as a YAML alias shares its anchor: a spec's repeated inline schemas,
 * examples and bodies then cost once. Used by both builders of a tree, the YAML one and
 * the JSON one, so that a document shares the same nodes whichever reads it. */
#ifndef OA_SHARE_H
#define OA_SHARE_H

#include <apr_pools.h>
#include <jansson.h>

#include "doc/oa_docset.h"

typedef struct oa_share oa_share;

/* Its table lives in a subpool of pool, for one parse. */
oa_share *oa_share_create(apr_pool_t *pool);
void oa_share_destroy(oa_share *share);

/* Whether the value of a mapping key of this name, and everything in it, is shared:
 * schemas, example data, bodies and responses, whose meaning and errors depend only on
 * their content. Path items, operations and parameters are not: their errors name the
 * path and method they are written under. key: length bytes, not NUL-terminated. */
int oa_share_key_starts_shared(const char *key, size_t length);

/* Bottom-up: call it on a finished mapping or sequence whose container members went
 * through it first. Returns node, or the identical container met before (node is then
 * released, and its position, and those of its scalar members that go with it, are
 * forgotten in positions). Scalars come back as they are. */
json_t *oa_share_node(oa_share *share, oa_posmap *positions, json_t *node);

#endif
