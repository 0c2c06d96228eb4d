/* The RFC 7240 Prefer request header, for the mock preferences Stoplight Prism reads:
 * `code=404`, `example=NAME`, `dynamic=true|false`. Preferences are comma-separated
 * `token[=word]` with `;parameters` (ignored); a word may be a quoted string; names are
 * case-insensitive; the first instance of a preference counts; unknown preferences and
 * values that are not valid (code=abc, code=99) are ignored. Linear in the header. */
#ifndef OA_PREFER_H
#define OA_PREFER_H

#include <apr_pools.h>

typedef struct oa_prefer {
    int code;            /* 100..599, or 0 */
    const char *example; /* or NULL */
    int dynamic;         /* 1 true, 0 false, -1 not said */
} oa_prefer;

/* Reads header (NULL: none) into *prefer; strings in pool. */
void oa_prefer_parse(apr_pool_t *pool, const char *header, oa_prefer *prefer);

#endif
