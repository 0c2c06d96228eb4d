/* Writes a JSON value as a YAML 1.2 block document (what {base}/openapi.yaml serves). */
#ifndef OA_YAML_EMIT_H
#define OA_YAML_EMIT_H

#include <apr_pools.h>
#include <jansson.h>

/* The YAML text (NUL-terminated, allocated in pool) and its length; NULL when libyaml
 * refuses (it does not for values jansson holds). Strings that a YAML reader would take
 * for another type ("true", "1.0", "2024-01-01", "null") are quoted. */
const char *oa_yaml_emit(apr_pool_t *pool, const json_t *value, apr_size_t *length);

#endif
