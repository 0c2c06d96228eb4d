#include "request/oa_multipart.h"

#include "util/oa_media_type.h"

#include <apr_strings.h>
#include <string.h>
#include <strings.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* First occurrence of needle in haystack[from, length), or -1. */
static long find(const char *haystack, size_t length, size_t from, const char *needle,
                 size_t needle_length)
{
    size_t i = from;
    while (i + needle_length <= length) {
        const char *hit = memchr(haystack + i, needle[0], length - i - needle_length + 1);
        if (!hit)
            return -1;
        i = (size_t)(hit - haystack);
        if (memcmp(hit, needle, needle_length) == 0)
            return (long)i;
        i++;
    }
    return -1;
}

/* Reads the header lines of a part ([start, end), CRLF-separated). */
static int parse_part_headers(apr_pool_t *pool, const char *start, size_t length,
                              oa_multipart_part *part, const char **error)
{
    const char *block = apr_pstrmemdup(pool, start, length);
    const char *line = block;
    int disposition = 0;
    while (*line) {
        size_t line_length = strcspn(line, "\r");
        const char *colon = memchr(line, ':', line_length);
        const char *value;
        char *value_copy;
        if (line[line_length] == '\r' && line[line_length + 1] != '\n') {
            *error = "a part header line does not end in CRLF";
            return 0;
        }
        if (!colon) {
            *error = "a part header line has no ':'";
            return 0;
        }
        value = colon + 1;
        while (is_space(*value))
            value++;
        value_copy = apr_pstrmemdup(pool, value, line + line_length - value);
        if ((size_t)(colon - line) == 19 && strncasecmp(line, "Content-Disposition", 19) == 0) {
            size_t kind = strcspn(value_copy, "; \t");
            if (kind != 9 || strncasecmp(value_copy, "form-data", 9) != 0) {
                *error = "a part's Content-Disposition is not form-data";
                return 0;
            }
            part->name = oa_media_parameter(pool, value_copy, "name", error);
            part->filename = oa_media_parameter(pool, value_copy, "filename", error);
            if (*error)
                return 0;
            disposition = 1;
        }
        else if ((size_t)(colon - line) == 12 && strncasecmp(line, "Content-Type", 12) == 0) {
            part->content_type = value_copy;
            /* read whole, so that a malformed parameter is refused here, not read
             * leniently later */
            oa_media_parameter(pool, value_copy, "charset", error);
            if (*error)
                return 0;
        }
        else if ((size_t)(colon - line) == 25 &&
                 strncasecmp(line, "Content-Transfer-Encoding", 25) == 0) {
            size_t n = strcspn(value_copy, " \t;");
            part->transfer_encoding = apr_pstrmemdup(pool, value_copy, n);
        }
        line += line_length;
        if (*line == '\r')
            line += 2;
    }
    if (!disposition || !part->name) {
        *error = "a part has no Content-Disposition: form-data with a name";
        return 0;
    }
    return 1;
}

apr_array_header_t *oa_multipart_parse(apr_pool_t *pool, const char *content_type,
                                       const char *body, size_t length, const char **error)
{
    const char *boundary;
    apr_array_header_t *parts = apr_array_make(pool, 4, sizeof(oa_multipart_part));
    const char *delimiter;  /* CRLF "--" boundary */
    size_t delimiter_length;
    long at;
    size_t p;

    *error = NULL;
    boundary = oa_media_parameter(pool, content_type, "boundary", error);
    if (*error)
        return NULL;
    if (!boundary || !*boundary || strlen(boundary) > 70) {
        *error = "the multipart Content-Type has no valid boundary";
        return NULL;
    }
    delimiter = apr_pstrcat(pool, "\r\n--", boundary, NULL);
    delimiter_length = strlen(delimiter);
    /* The first delimiter may open the body (no CRLF before it) or follow a preamble. */
    if (length >= delimiter_length - 2 && memcmp(body, delimiter + 2, delimiter_length - 2) == 0)
        p = delimiter_length - 2;
    else if ((at = find(body, length, 0, delimiter, delimiter_length)) >= 0)
        p = (size_t)at + delimiter_length;
    else {
        *error = "the multipart body does not contain its boundary";
        return NULL;
    }
    for (;;) {
        oa_multipart_part *part;
        long headers_end, content_end;
        size_t content_start;
        if (p + 2 <= length && body[p] == '-' && body[p + 1] == '-')
            return parts; /* close delimiter; the epilogue is ignored */
        while (p < length && is_space(body[p]))
            p++; /* transport padding */
        if (p + 2 > length || body[p] != '\r' || body[p + 1] != '\n') {
            *error = "a multipart boundary is not followed by CRLF";
            return NULL;
        }
        p += 2;
        if (parts->nelts >= OA_MULTIPART_MAX_PARTS) {
            *error = apr_psprintf(pool, "the multipart body has more than %d parts",
                                  OA_MULTIPART_MAX_PARTS);
            return NULL;
        }
        part = apr_array_push(parts);
        memset(part, 0, sizeof(*part));
        if (p + 2 <= length && body[p] == '\r' && body[p + 1] == '\n') {
            headers_end = (long)p;
            content_start = p + 2;
        }
        else {
            headers_end = find(body, length, p, "\r\n\r\n", 4);
            if (headers_end < 0) {
                *error = "a multipart part's headers do not end";
                return NULL;
            }
            content_start = (size_t)headers_end + 4;
        }
        if ((size_t)headers_end - p > OA_MULTIPART_MAX_HEADERS) {
            *error = "a multipart part's headers are too long";
            return NULL;
        }
        if (!parse_part_headers(pool, body + p, (size_t)headers_end - p, part, error))
            return NULL;
        content_end = find(body, length, content_start, delimiter, delimiter_length);
        if (content_end < 0) {
            *error = "the multipart body has no closing boundary";
            return NULL;
        }
        part->data = body + content_start;
        part->size = (size_t)content_end - content_start;
        p = (size_t)content_end + delimiter_length;
    }
}
