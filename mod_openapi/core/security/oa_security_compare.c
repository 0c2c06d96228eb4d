#include "security/oa_security_compare.h"

int oa_secure_equals(const void *a, size_t alen, const void *b, size_t blen)
{
    const volatile unsigned char *left = a;
    const volatile unsigned char *right = b;
    size_t longest = alen > blen ? alen : blen;
    size_t i;
    /* Accumulated through volatile so the compiler cannot stop at the first difference. */
    volatile unsigned char difference = (unsigned char)(alen != blen);
    for (i = 0; i < longest; i++) {
        unsigned char x = i < alen ? left[i] : 0;
        unsigned char y = i < blen ? right[i] : 0;
        difference |= (unsigned char)(x ^ y);
    }
    return difference == 0;
}
