/* Pools whose memory goes back to the system when they are destroyed. A subpool's blocks
 * return to its parent's allocator and stay there, resident, for the parent's life (and,
 * for a configuration pool, in every httpd child): scratch work of a load that is much
 * larger than what it keeps belongs in a pool with an allocator of its own. */
#ifndef OA_POOL_H
#define OA_POOL_H

#include <apr_pools.h>

/* A pool with an allocator of its own, a child of parent (NULL: of none; the caller
 * destroys it). max_free: bytes of freed blocks the allocator keeps for reuse (0: all).
 * Aborts when out of memory, as apr_pool_create's abort function would. */
apr_pool_t *oa_pool_create_own(apr_pool_t *parent, apr_size_t max_free);

#endif
