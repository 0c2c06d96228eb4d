/* The pool buffer (oa_buffer.c): appends keep every byte in order, NUL-terminated, NUL
 * bytes inside included; clearing keeps the room; many small appends stay linear. */
#include <apr_general.h>
#include <string.h>

#include "util/oa_buffer.h"
#include "unit.h"

static apr_pool_t *pool;

static void test_appends(void)
{
    oa_buffer buffer;
    oa_buffer_init(&buffer, pool);
    CHECK_STR(buffer.data, "");
    CHECK_INT((int)buffer.length, 0);
    oa_buffer_append(&buffer, "abc", 3);
    oa_buffer_append(&buffer, "", 0);
    oa_buffer_append(&buffer, "d\0e", 3);
    CHECK_INT((int)buffer.length, 6);
    CHECK(memcmp(buffer.data, "abcd\0e", 7) == 0); /* and the NUL after */
    oa_buffer_clear(&buffer);
    CHECK_INT((int)buffer.length, 0);
    CHECK_STR(buffer.data, "");
    oa_buffer_append(&buffer, "x", 1);
    CHECK_STR(buffer.data, "x");
}

static void test_growth(void)
{
    oa_buffer buffer;
    apr_size_t i, room_changes = 0, room = 0;
    char big[1000];
    oa_buffer_init(&buffer, pool);
    for (i = 0; i < 100000; i++) {
        oa_buffer_append(&buffer, &"0123456789"[i % 10], 1);
        if (buffer.capacity != room) {
            room = buffer.capacity;
            room_changes++;
        }
    }
    CHECK_INT((int)buffer.length, 100000);
    CHECK(buffer.data[99999] == '9' && buffer.data[100000] == '\0');
    CHECK(room_changes <= 20); /* doubling: a logarithmic number of copies */
    memset(big, 'b', sizeof(big));
    oa_buffer_append(&buffer, big, sizeof(big)); /* more than the room at once */
    CHECK_INT((int)buffer.length, 101000);
    CHECK(buffer.capacity > buffer.length);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_appends();
    test_growth();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
