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
