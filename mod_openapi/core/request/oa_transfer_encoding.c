#include "request/oa_transfer_encoding.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>
#include <strings.h>

#include "util/oa_base64.h"
#include "util/oa_text.h"

/* MIME base64 is cut into lines: the line breaks (and any white space) go before the
 * strict decoder sees it. */
static int decode_base64(apr_pool_t *pool, const char *data, size_t size, const char **out,
                         size_t *out_size)
{
    char *compact = apr_palloc(pool, size + 1);
    size_t i, n = 0;
    const unsigned char *decoded;
    for (i = 0; i < size; i++)
        if (!apr_isspace(data[i]))
            compact[n++] = data[i];
    compact[n] = '\0';
    if (n == 0) {
        *out = "";
        *out_size = 0;
        return 1;
    }
    decoded = oa_base64_decode_strict(pool, compact, out_size);
    *out = (const char *)decoded;
    return decoded != NULL;
}

/* RFC 2045 section 6.7: "=XX" is a byte, "=" at the end of a line is a soft line break,
 * white space at the end of a line is padding. */
static int decode_quoted_printable(apr_pool_t *pool, const char *data, size_t size,
                                   const char **out, size_t *out_size)
{
    char *decoded = apr_palloc(pool, size + 1);
    size_t i = 0, n = 0;
    while (i < size) {
        size_t blank_end = i;
        while (blank_end < size && (data[blank_end] == ' ' || data[blank_end] == '\t'))
            blank_end++;
        if (blank_end > i && (blank_end == size || data[blank_end] == '\r' ||
                              data[blank_end] == '\n')) {
            i = blank_end; /* trailing white space */
            continue;
        }
        if (data[i] != '=') {
            decoded[n++] = data[i++];
            continue;
        }
        blank_end = i + 1;
        while (blank_end < size && (data[blank_end] == ' ' || data[blank_end] == '\t'))
            blank_end++;
        if (blank_end == size) {
            i = size; /* a soft break at the very end */
            continue;
        }
        if (data[blank_end] == '\n' || data[blank_end] == '\r') {
            i = blank_end + (data[blank_end] == '\r' && blank_end + 1 < size &&
                             data[blank_end + 1] == '\n' ? 2 : 1);
            continue;
        }
        if (i + 2 >= size || oa_hex_value(data[i + 1]) < 0 || oa_hex_value(data[i + 2]) < 0)
            return 0;
        decoded[n++] = (char)(oa_hex_value(data[i + 1]) * 16 + oa_hex_value(data[i + 2]));
        i += 3;
    }
    decoded[n] = '\0';
    *out = decoded;
    *out_size = n;
    return 1;
}

int oa_transfer_decode(apr_pool_t *pool, const char *encoding, const char *data, size_t size,
                       const char **out, size_t *out_size, const char **error)
{
    *out = data;
    *out_size = size;
    if (!encoding || strcasecmp(encoding, "7bit") == 0 || strcasecmp(encoding, "8bit") == 0 ||
        strcasecmp(encoding, "binary") == 0)
        return 1;
    if (strcasecmp(encoding, "base64") == 0) {
        if (decode_base64(pool, data, size, out, out_size))
            return 1;
        *error = "is not valid base64";
        return 0;
    }
    if (strcasecmp(encoding, "quoted-printable") == 0) {
        if (decode_quoted_printable(pool, data, size, out, out_size))
            return 1;
        *error = "is not valid quoted-printable (a '=' is not followed by two hex digits)";
        return 0;
    }
    *error = apr_psprintf(pool, "has the unknown Content-Transfer-Encoding '%.40s'", encoding);
    return 0;
}
