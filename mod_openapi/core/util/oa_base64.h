/* Base64 decoding (RFC 4648 section 4). */
#ifndef OA_BASE64_H
#define OA_BASE64_H

#include <apr_pools.h>
#include <stddef.h>

/* Strict RFC 4648 base64 (padding required, no whitespace). Returns the decoded bytes
 * (NUL-terminated; *length without it) or NULL when text is not base64. */
const unsigned char *oa_base64_decode_strict(apr_pool_t *pool, const char *text,
                                             size_t *length);

/* Base64url without padding (RFC 4648 section 5, as JOSE uses it), strictly: the bits a
 * short last group leaves over must be zero. NULL when text is not that. */
unsigned char *oa_base64url_decode(apr_pool_t *pool, const char *text, apr_size_t length,
                                   apr_size_t *decoded_length);

#endif
