/* A fast strict-JSON check that builds nothing: whether a text is certainly JSON that
 * jansson accepts with JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL |
 * JSON_ALLOW_NUL (RFC 8259 syntax, well-formed UTF-8, valid escapes and surrogate pairs,
 * no duplicate member names, no number that overflows a double). Linear in the text. */
#ifndef OA_JSON_CHECK_H
#define OA_JSON_CHECK_H

#include <apr_pools.h>
#include <stddef.h>

/* 1: valid. 0: invalid, or a case this check leaves to jansson (escaped member names,
 * very long numbers, deep nesting): the caller asks jansson, which names the error.
 * Scratch memory comes from a subpool of pool, freed before returning. */
int oa_json_check(apr_pool_t *pool, const char *text, size_t length);

#endif
