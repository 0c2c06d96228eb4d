#include "util/oa_utf8.h"

size_t oa_utf8_length(const char *text, size_t length)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t count = 0;
    size_t i;
    for (i = 0; i < length; i++)
        count += (p[i] & 0xC0) != 0x80;
    return count;
}

size_t oa_utf8_prefix(const char *text, size_t length, size_t max_code_points)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t count = 0;
    size_t i;
    for (i = 0; i < length; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            if (count == max_code_points)
                return i;
            count++;
        }
    }
    return length;
}
