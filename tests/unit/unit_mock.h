/* Unit-test helpers for mock answers: JSON as compact text, values at a pointer, and a
 * generated value held to the schema it came from. */
#ifndef UNIT_MOCK_H
#define UNIT_MOCK_H

#include <apr_pools.h>
#include <jansson.h>

#include "doc/oa_docset.h"

/* Compact text with sorted keys, in pool; "(none)" for NULL. */
const char *unit_json_text(apr_pool_t *pool, const json_t *value);

/* The value at a JSON pointer ("/a/0"), or NULL. */
json_t *unit_json_at(apr_pool_t *pool, json_t *value, const char *pointer);

/* A made-up {"$ref": pointer} node kept by docs, as responses reach named schemas. */
json_t *unit_ref_node(oa_docset *docs, const char *pointer);

/* Whether value is valid against the schema at node (base: its document) in response
 * mode; prints why not, naming `what`. */
int unit_generated_validates(apr_pool_t *pool, oa_docset *docs, json_t *node,
                             const char *base, json_t *value, const char *what);

#endif
