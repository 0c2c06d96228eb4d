#include "util/oa_json.h"

static apr_status_t release_json(void *data)
{
    json_decref(data);
    return APR_SUCCESS;
}

json_t *oa_json_bind(apr_pool_t *pool, json_t *json)
{
    if (json)
        apr_pool_cleanup_register(pool, json, release_json, apr_pool_cleanup_null);
    return json;
}

void oa_json_hash_release(apr_hash_t *hash)
{
    apr_hash_index_t *hi;
    for (hi = apr_hash_first(NULL, hash); hi; hi = apr_hash_next(hi)) {
        void *value;
        apr_hash_this(hi, NULL, NULL, &value);
        json_decref(value);
    }
    apr_hash_clear(hash);
}
