/* A pool buffer (see oa_buffer.h). */
#include "util/oa_buffer.h"

#include <string.h>

#define OA_BUFFER_FIRST_ROOM 64

void oa_buffer_init(oa_buffer *buffer, apr_pool_t *pool)
{
    buffer->pool = pool;
    buffer->data = "";
    buffer->length = 0;
    buffer->capacity = 0;
}

void oa_buffer_append(oa_buffer *buffer, const void *bytes, apr_size_t length)
{
    if (buffer->length + length + 1 > buffer->capacity) {
        apr_size_t capacity = buffer->capacity ? buffer->capacity : OA_BUFFER_FIRST_ROOM;
        char *grown;
        while (capacity < buffer->length + length + 1)
            capacity *= 2;
        grown = apr_palloc(buffer->pool, capacity);
        memcpy(grown, buffer->data, buffer->length);
        buffer->data = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->data + buffer->length, bytes, length);
    buffer->length += length;
    buffer->data[buffer->length] = '\0';
}

void oa_buffer_clear(oa_buffer *buffer)
{
    buffer->length = 0;
    if (buffer->capacity)
        buffer->data[0] = '\0';
}
