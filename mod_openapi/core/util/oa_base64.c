/* Base64 (RFC 4648 section 4), strict: one text has one decoding. Shared by Basic
 * credentials (security) and base64 multipart parts (request). */
#include "util/oa_base64.h"

#include <string.h>

static int base64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

const unsigned char *oa_base64_decode_strict(apr_pool_t *pool, const char *text,
                                             size_t *length)
{
    size_t n = strlen(text);
    size_t i, o = 0;
    unsigned char *out;
    *length = 0;
    if (n == 0 || n % 4 != 0)
        return NULL;
    out = apr_palloc(pool, n / 4 * 3 + 1);
    for (i = 0; i < n; i += 4) {
        int v[4], k, padding = 0;
        for (k = 0; k < 4; k++) {
            if (text[i + k] == '=' && i + 4 == n && k >= 2) {
                v[k] = 0;
                padding++;
                continue;
            }
            if (padding) /* data after '=' */
                return NULL;
            v[k] = base64_value(text[i + k]);
            if (v[k] < 0)
                return NULL;
        }
        /* "A===" is not base64; unused bits under the padding must be zero (RFC 4648
         * section 3.5) so that one text has one decoding. */
        if (padding > 2 || (padding == 2 && (v[1] & 0x0F)) || (padding == 1 && (v[2] & 0x03)))
            return NULL;
        out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
        if (padding < 2)
            out[o++] = (unsigned char)((v[1] & 0x0F) << 4 | v[2] >> 2);
        if (padding < 1)
            out[o++] = (unsigned char)((v[2] & 0x03) << 6 | v[3]);
    }
    out[o] = '\0';
    *length = o;
    return out;
}
