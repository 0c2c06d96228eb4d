/* libFuzzer target for the multipart/form-data parser: the first line is the
 * Content-Type (with its boundary), the rest the body. Parts must lie inside the body,
 * be named, and be no more than OA_MULTIPART_MAX_PARTS; a refusal must say why. MIME
 * parameters are read from the Content-Type, and each part is decoded by its
 * Content-Transfer-Encoding (base64, quoted-printable). */
#include <apr_strings.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_apr.h"
#include "request/oa_multipart.h"
#include "request/oa_transfer_encoding.h"
#include "util/oa_media_type.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *newline = memchr(text, '\n', size);
    apr_pool_t *pool;
    const char *content_type;
    const char *body;
    size_t length;
    const char *error = NULL;
    apr_array_header_t *parts;
    int i;

    if (!newline)
        return 0;
    apr_pool_create(&pool, NULL);
    content_type = apr_pstrmemdup(pool, text, (size_t)(newline - text));
    length = size - (size_t)(newline - text) - 1;
    /* a copy of exactly `length` bytes: reading past it is an ASan report */
    body = length ? apr_pmemdup(pool, newline + 1, length) : NULL;
    (void)oa_media_parameter(pool, content_type, "boundary", NULL);
    (void)oa_media_parameter(pool, content_type, "charset", NULL);
    parts = oa_multipart_parse(pool, content_type, body, length, &error);
    if (!parts) {
        if (!error)
            abort();
    }
    else {
        if (parts->nelts > OA_MULTIPART_MAX_PARTS)
            abort();
        for (i = 0; i < parts->nelts; i++) {
            const oa_multipart_part *part = &APR_ARRAY_IDX(parts, i, oa_multipart_part);
            if (!part->name)
                abort();
            const char *decoded = NULL, *decode_error = NULL;
            size_t decoded_size = 0;
            if (part->size && (part->data < body || part->data + part->size > body + length))
                abort();
            /* Content-Transfer-Encoding: never larger than the input; a refusal says why */
            if (oa_transfer_decode(pool, part->transfer_encoding, part->data, part->size,
                                   &decoded, &decoded_size, &decode_error)) {
                if (decoded_size > part->size)
                    abort();
            }
            else if (!decode_error)
                abort();
        }
    }
    apr_pool_destroy(pool);
    return 0;
}
