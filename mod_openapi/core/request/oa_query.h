/* Splitting name=value text: query strings and application/x-www-form-urlencoded bodies
 * (WHATWG URL "application/x-www-form-urlencoded parsing"), and Cookie headers. */
#ifndef OA_QUERY_H
#define OA_QUERY_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <stddef.h>

/* One name=value piece, in the order written. */
typedef struct oa_query_pair {
    const char *name;  /* decoded */
    const char *value; /* decoded; "" for a piece without '=' */
    int used;          /* set when a declared parameter or field took the pair */
} oa_query_pair;

/* Splits text of `length` bytes on '&' and each piece at its first '='; '+' becomes a
 * space and %XX its byte (a malformed escape is kept as written, as browsers do). Empty
 * pieces are skipped. Returns an array of oa_query_pair, or NULL with *error set when a
 * name or value decodes to a NUL byte or to text that is not UTF-8. */
apr_array_header_t *oa_query_split(apr_pool_t *pool, const char *text, size_t length,
                                   const char **error);

/* Splits a Cookie header ("a=1; b=2", RFC 6265 section 5.4) into oa_query_pairs; values
 * are not decoded, a value in double quotes loses them. Pieces without '=' are skipped.
 * NULL with *error set when the header is not UTF-8. */
apr_array_header_t *oa_cookie_split(apr_pool_t *pool, const char *header, const char **error);


#endif
