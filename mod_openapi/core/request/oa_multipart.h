/* multipart/form-data (RFC 7578 on RFC 2046 section 5.1): a body split into its parts. */
#ifndef OA_MULTIPART_H
#define OA_MULTIPART_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <stddef.h>

#define OA_MULTIPART_MAX_PARTS 1000
#define OA_MULTIPART_MAX_HEADERS 8192 /* bytes of header lines per part */

typedef struct oa_multipart_part {
    const char *name;         /* Content-Disposition name */
    const char *filename;     /* Content-Disposition filename, or NULL */
    const char *content_type; /* the part's Content-Type, or NULL when it has none */
    const char *transfer_encoding; /* its Content-Transfer-Encoding, or NULL */
    const char *data;         /* points into the body; not NUL-terminated */
    size_t size;
} oa_multipart_part;

/* Splits body by the boundary of content_type. Returns an array of oa_multipart_part, or
 * NULL with *error set when the body is malformed: no or bad boundary, no closing
 * delimiter, a part without CRLF framing, without `Content-Disposition: form-data` and a
 * name, headers over the limit, or more than OA_MULTIPART_MAX_PARTS parts. */
apr_array_header_t *oa_multipart_parse(apr_pool_t *pool, const char *content_type,
                                       const char *body, size_t length, const char **error);

#endif
