/* Tying jansson values to APR pools: a reference bound to a pool is released when the
 * pool is cleared or destroyed. */
#ifndef OA_JSON_H
#define OA_JSON_H

#include <apr_hash.h>
#include <apr_pools.h>
#include <jansson.h>

/* Releases one reference when pool goes; returns json (NULL stays NULL). */
json_t *oa_json_bind(apr_pool_t *pool, json_t *json);

/* Drops the reference the hash holds on each of its values (json_t *), and empties it. */
void oa_json_hash_release(apr_hash_t *hash);

#endif
