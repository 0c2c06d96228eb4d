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

int oa_utf8_valid(const char *text, size_t length)
{
    const unsigned char *p = (const unsigned char *)text;
    const unsigned char *end = p + length;
    while (p < end) {
        unsigned c = *p;
        size_t need;
        unsigned min, code;
        size_t k;
        if (c < 0x80) {
            p++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1;
            min = 0x80;
            code = c & 0x1f;
        }
        else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            min = 0x800;
            code = c & 0x0f;
        }
        else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            min = 0x10000;
            code = c & 0x07;
        }
        else {
            return 0;
        }
        if ((size_t)(end - p) <= need)
            return 0;
        for (k = 1; k <= need; k++) {
            if ((p[k] & 0xc0) != 0x80)
                return 0;
            code = (code << 6) | (p[k] & 0x3f);
        }
        if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
            return 0;
        p += need + 1;
    }
    return 1;
}
