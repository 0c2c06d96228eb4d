/* Bytes growing in a pool: the room doubles when an append needs more, so that n appends
 * cost O(total length); the text is always NUL-terminated. For libyaml's emitter output,
 * an event's data lines, and the answers libcurl brings in pieces. */
#ifndef OA_BUFFER_H
#define OA_BUFFER_H

#include <apr_pools.h>

typedef struct oa_buffer {
    apr_pool_t *pool;
    char *data;          /* "" until the first append */
    apr_size_t length;   /* bytes, the NUL not counted */
    apr_size_t capacity; /* bytes of room at data */
} oa_buffer;

void oa_buffer_init(oa_buffer *buffer, apr_pool_t *pool);
void oa_buffer_append(oa_buffer *buffer, const void *bytes, apr_size_t length);
/* Empty again; the room stays for what comes next. */
void oa_buffer_clear(oa_buffer *buffer);

#endif
