/* Builds the jansson tree of a JSON document with the position of every node, without
 * the YAML parser: libyaml's scanner was half of a large JSON spec's load. The tree,
 * the positions and the shared subtrees are those the YAML reader of oa_parse.c makes of
 * the same text (the unit tests compare them on every JSON fixture). */
#ifndef OA_JSON_READ_H
#define OA_JSON_READ_H

#include <apr_pools.h>
#include <jansson.h>

#include "doc/oa_docset.h"
#include "doc/oa_share.h"
#include "util/oa_diag.h"

/* text must be one that oa_json_check accepted (strict JSON: this reader does not check
 * UTF-8, escapes or duplicate names again). Each node's position goes into positions:
 * 1-based line and column in characters, a mapping or list that is a member's value
 * placed at its name. share: NULL, or identical subtrees inside the values of shared
 * keys become one node (oa_share.h).
 * Returns a new reference. NULL with an error in diag (name, line, column) for what the
 * tree cannot hold (a member name with a NUL character); NULL without one for text this
 * reader does not take (not what oa_json_check accepts, or nested deeper than the YAML
 * reader allows): the caller reads it the other way, which names the error. */
json_t *oa_json_read(apr_pool_t *pool, const char *name, const char *text, size_t length,
                     oa_posmap *positions, oa_share *share, oa_diag *diag);

#endif
