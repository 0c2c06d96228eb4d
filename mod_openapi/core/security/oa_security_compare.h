/* Comparing secrets (API keys, passwords, client secrets) without leaking, through the
 * time taken, how many leading bytes matched. */
#ifndef OA_SECURITY_COMPARE_H
#define OA_SECURITY_COMPARE_H

#include <stddef.h>

/* 1 when a[0..alen) and b[0..blen) are equal. The time depends on the lengths only, never
 * on the contents; the lengths themselves are not hidden (compare digests of the secrets
 * when that matters). NULL is allowed with a length of 0. */
int oa_secure_equals(const void *a, size_t alen, const void *b, size_t blen);

#endif
