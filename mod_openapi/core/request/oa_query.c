#include "request/oa_query.h"
#include "util/oa_text.h"
#include "util/oa_utf8.h"

#include <apr_strings.h>
#include <string.h>

/* Decodes one name or value. NULL when it holds a NUL or is not UTF-8. */
static const char *form_decode(apr_pool_t *pool, const char *text, size_t length)
{
    char *out = apr_palloc(pool, length + 1);
    size_t i, n = 0;
    for (i = 0; i < length; i++) {
        char c = text[i];
        int escaped = oa_percent_escape_at(text + i, length - i);
        if (c == '+') {
            c = ' ';
        }
        else if (escaped >= 0) {
            c = (char)escaped;
            i += 2;
        }
        if (c == '\0')
            return NULL;
        out[n++] = c;
    }
    out[n] = '\0';
    return oa_utf8_valid(out, n) ? out : NULL;
}

apr_array_header_t *oa_query_split(apr_pool_t *pool, const char *text, size_t length,
                                   const char **error)
{
    apr_array_header_t *pairs = apr_array_make(pool, 8, sizeof(oa_query_pair));
    size_t start = 0;
    *error = NULL;
    while (start <= length) {
        const char *piece = text + start;
        const char *amp = memchr(piece, '&', length - start);
        size_t piece_length = amp ? (size_t)(amp - piece) : length - start;
        if (piece_length > 0) {
            const char *eq = memchr(piece, '=', piece_length);
            size_t name_length = eq ? (size_t)(eq - piece) : piece_length;
            oa_query_pair *pair = apr_array_push(pairs);
            pair->name = form_decode(pool, piece, name_length);
            pair->value = eq ? form_decode(pool, eq + 1, piece_length - name_length - 1) : "";
            pair->used = 0;
            if (!pair->name || !pair->value) {
                *error = apr_psprintf(pool, "'%s' decodes to a NUL byte or to text that "
                                      "is not UTF-8", apr_pstrmemdup(pool, piece,
                                                                     piece_length));
                return NULL;
            }
        }
        start += piece_length + 1;
    }
    return pairs;
}

static int is_cookie_space(char c)
{
    return c == ' ' || c == '\t';
}

apr_array_header_t *oa_cookie_split(apr_pool_t *pool, const char *header, const char **error)
{
    apr_array_header_t *pairs = apr_array_make(pool, 4, sizeof(oa_query_pair));
    const char *p = header;
    *error = NULL;
    if (!oa_utf8_valid(header, strlen(header))) {
        *error = "the Cookie header is not UTF-8";
        return NULL;
    }
    while (*p) {
        size_t piece_length = strcspn(p, ";");
        const char *piece = p;
        const char *eq = memchr(piece, '=', piece_length);
        p += piece_length;
        if (*p == ';')
            p++;
        if (eq) {
            const char *name_end = eq;
            const char *value = eq + 1;
            const char *value_end = piece + piece_length;
            oa_query_pair *pair;
            while (piece < name_end && is_cookie_space(*piece))
                piece++;
            while (name_end > piece && is_cookie_space(name_end[-1]))
                name_end--;
            while (value < value_end && is_cookie_space(*value))
                value++;
            while (value_end > value && is_cookie_space(value_end[-1]))
                value_end--;
            if (value_end - value >= 2 && *value == '"' && value_end[-1] == '"') {
                value++;
                value_end--;
            }
            if (name_end == piece)
                continue;
            pair = apr_array_push(pairs);
            pair->name = apr_pstrmemdup(pool, piece, name_end - piece);
            pair->value = apr_pstrmemdup(pool, value, value_end - value);
            pair->used = 0;
        }
    }
    return pairs;
}
