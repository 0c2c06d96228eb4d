#include "util/oa_text.h"

int oa_hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int oa_hex4_value(const unsigned char *p, unsigned *value)
{
    int i;
    *value = 0;
    for (i = 0; i < 4; i++) {
        int digit = oa_hex_value((char)p[i]);
        if (digit < 0)
            return 0;
        *value = *value * 16 + (unsigned)digit;
    }
    return 1;
}

int oa_percent_escape_at(const char *p, size_t remaining)
{
    int high, low;
    if (remaining < 3 || p[0] != '%')
        return -1;
    high = oa_hex_value(p[1]);
    low = oa_hex_value(p[2]);
    return high < 0 || low < 0 ? -1 : high * 16 + low;
}
