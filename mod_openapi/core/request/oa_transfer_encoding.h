/* Content-Transfer-Encoding of multipart parts (RFC 2045 section 6; RFC 7578 section 4.7
 * deprecates it, but clients still send it): base64 and quoted-printable are decoded,
 * 7bit, 8bit and binary are the bytes as they are. */
#ifndef OA_TRANSFER_ENCODING_H
#define OA_TRANSFER_ENCODING_H

#include <apr_pools.h>
#include <stddef.h>

/* Decodes size bytes at data by encoding (case-insensitive; NULL means none). Sets *out
 * and *out_size (the input itself for identity encodings, else a copy in pool) and
 * returns 1; returns 0 with *error set for an unknown encoding or malformed data. Linear
 * in size; the output is never larger than the input. */
int oa_transfer_decode(apr_pool_t *pool, const char *encoding, const char *data, size_t size,
                       const char **out, size_t *out_size, const char **error);

#endif
