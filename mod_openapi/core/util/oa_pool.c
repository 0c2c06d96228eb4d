/* Pools with an allocator of their own (see oa_pool.h). */
#include "util/oa_pool.h"

#include <apr_allocator.h>
#include <stdlib.h>

apr_pool_t *oa_pool_create_own(apr_pool_t *parent, apr_size_t max_free)
{
    apr_allocator_t *allocator;
    apr_pool_t *pool;
    if (apr_allocator_create(&allocator) != APR_SUCCESS)
        abort();
    if (max_free)
        apr_allocator_max_free_set(allocator, max_free);
    if (apr_pool_create_ex(&pool, parent, NULL, allocator) != APR_SUCCESS)
        abort();
    apr_allocator_owner_set(allocator, pool);
    return pool;
}
