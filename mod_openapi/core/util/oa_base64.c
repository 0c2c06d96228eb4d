/* Base64 (RFC 4648 section 4) and base64url (section 5), strict: one text has one
 * decoding. Shared by Basic credentials and JWTs (security) and base64 multipart parts
 * (request). */
#include "util/oa_base64.h"

#include <string.h>

/* A digit's value in the alphabet whose last two digits are c62 and c63 ('+' '/' for
 * base64, '-' '_' for base64url), or -1. */
static int digit_value(char c, char c62, char c63)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == c62)
        return 62;
    if (c == c63)
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
            v[k] = digit_value(text[i + k], '+', '/');
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

unsigned char *oa_base64url_decode(apr_pool_t *pool, const char *text, apr_size_t length,
                                   apr_size_t *decoded_length)
{
    unsigned char *out;
    apr_size_t i, n = 0;
    unsigned int bits = 0;
    int count = 0;
    if (length % 4 == 1)
        return NULL; /* one character cannot end a group */
    out = apr_palloc(pool, length * 3 / 4 + 1);
    for (i = 0; i < length; i++) {
        int v = digit_value(text[i], '-', '_');
        if (v < 0)
            return NULL;
        bits = (bits << 6) | (unsigned int)v;
        if (++count == 4) {
            out[n++] = (unsigned char)(bits >> 16);
            out[n++] = (unsigned char)(bits >> 8);
            out[n++] = (unsigned char)bits;
            bits = 0;
            count = 0;
        }
    }
    /* the bits a short last group leaves over must be zero (RFC 4648 section 3.5) */
    if (count == 2) {
        if (bits & 0xf)
            return NULL;
        out[n++] = (unsigned char)(bits >> 4);
    }
    else if (count == 3) {
        if (bits & 0x3)
            return NULL;
        out[n++] = (unsigned char)(bits >> 10);
        out[n++] = (unsigned char)(bits >> 2);
    }
    out[n] = '\0';
    *decoded_length = n;
    return out;
}
