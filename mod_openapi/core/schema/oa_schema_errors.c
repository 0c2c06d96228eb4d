/* Rendering values for error messages, in the style of Python's repr() that the
 * jsonschema library uses: 'text' for strings, [1, 2] and {'a': 1} for containers,
 * true/false/null as in JSON. Control characters are escaped and long renderings are
 * cut at OA_REPR_MAX code points with "...", so that messages stay one readable line. */
#include "schema/oa_schema_internal.h"
#include "util/oa_utf8.h"

#include <apr_strings.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OA_REPR_MAX 80

typedef struct repr_buf {
    char *data;
    size_t length;
    size_t capacity;
    int full; /* reached the cap: the rest is dropped */
} repr_buf;

static void put(repr_buf *buf, const char *text, size_t length)
{
    if (buf->full)
        return;
    if (buf->length + length > buf->capacity) {
        length = buf->capacity - buf->length;
        buf->full = 1;
    }
    memcpy(buf->data + buf->length, text, length);
    buf->length += length;
}

static void put_string(repr_buf *buf, const char *text, size_t length)
{
    size_t i;
    char escape[8];
    put(buf, "'", 1);
    for (i = 0; i < length && !buf->full; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\'' || c == '\\') {
            escape[0] = '\\';
            escape[1] = (char)c;
            put(buf, escape, 2);
        }
        else if (c == '\n') {
            put(buf, "\\n", 2);
        }
        else if (c == '\r') {
            put(buf, "\\r", 2);
        }
        else if (c == '\t') {
            put(buf, "\\t", 2);
        }
        else if (c < 0x20 || c == 0x7f) {
            snprintf(escape, sizeof(escape), "\\x%02x", c);
            put(buf, escape, 4);
        }
        else {
            put(buf, (const char *)&text[i], 1);
        }
    }
    put(buf, "'", 1);
}

static void format_number(char *out, size_t size, double value)
{
    int precision;
    if (isnan(value)) {
        snprintf(out, size, "nan");
        return;
    }
    if (isinf(value)) {
        snprintf(out, size, value < 0 ? "-inf" : "inf");
        return;
    }
    /* the shortest rendering that reads back as the same double */
    for (precision = 15; precision <= 17; precision++) {
        snprintf(out, size, "%.*g", precision, value);
        if (strtod(out, NULL) == value)
            break;
    }
    if (!strpbrk(out, ".eEn"))
        strncat(out, ".0", size - strlen(out) - 1);
}

static void put_value(repr_buf *buf, const json_t *value, int depth)
{
    char number[40];
    if (depth > 32) {
        put(buf, "...", 3);
        return;
    }
    switch (json_typeof(value)) {
    case JSON_STRING:
        put_string(buf, json_string_value(value), json_string_length(value));
        break;
    case JSON_INTEGER:
        snprintf(number, sizeof(number), "%" JSON_INTEGER_FORMAT, json_integer_value(value));
        put(buf, number, strlen(number));
        break;
    case JSON_REAL:
        format_number(number, sizeof(number), json_real_value(value));
        put(buf, number, strlen(number));
        break;
    case JSON_TRUE:
        put(buf, "true", 4);
        break;
    case JSON_FALSE:
        put(buf, "false", 5);
        break;
    case JSON_NULL:
        put(buf, "null", 4);
        break;
    case JSON_ARRAY: {
        size_t i;
        json_t *item;
        put(buf, "[", 1);
        json_array_foreach(value, i, item) {
            if (buf->full)
                break;
            if (i)
                put(buf, ", ", 2);
            put_value(buf, item, depth + 1);
        }
        put(buf, "]", 1);
        break;
    }
    case JSON_OBJECT: {
        const char *key;
        size_t key_length;
        json_t *member;
        int first = 1;
        put(buf, "{", 1);
        json_object_keylen_foreach((json_t *)value, key, key_length, member) {
            if (buf->full)
                break;
            if (!first)
                put(buf, ", ", 2);
            first = 0;
            put_string(buf, key, key_length);
            put(buf, ": ", 2);
            put_value(buf, member, depth + 1);
        }
        put(buf, "}", 1);
        break;
    }
    }
}

/* Cuts at OA_REPR_MAX code points (never inside a UTF-8 sequence). */
static const char *finish(apr_pool_t *pool, repr_buf *buf)
{
    size_t cut = oa_utf8_prefix(buf->data, buf->length, OA_REPR_MAX);
    if (cut < buf->length || buf->full)
        return apr_pstrcat(pool, apr_pstrmemdup(pool, buf->data, cut), "...", NULL);
    return apr_pstrmemdup(pool, buf->data, buf->length);
}

static void init(repr_buf *buf, char *storage, size_t capacity)
{
    buf->data = storage;
    buf->length = 0;
    buf->capacity = capacity;
    buf->full = 0;
}

/* enough bytes for OA_REPR_MAX code points of 4 bytes, plus one to see the overflow */
#define REPR_CAPACITY (OA_REPR_MAX * 4 + 4)

const char *oa_repr(apr_pool_t *pool, const json_t *value)
{
    char storage[REPR_CAPACITY];
    repr_buf buf;
    init(&buf, storage, sizeof(storage));
    put_value(&buf, value, 0);
    return finish(pool, &buf);
}

const char *oa_repr_string(apr_pool_t *pool, const char *text, size_t length)
{
    char storage[REPR_CAPACITY];
    repr_buf buf;
    init(&buf, storage, sizeof(storage));
    put_string(&buf, text, length);
    return finish(pool, &buf);
}

const char *oa_repr_number(apr_pool_t *pool, double value)
{
    char number[40];
    format_number(number, sizeof(number), value);
    return apr_pstrdup(pool, number);
}

void oa_name_list_add(apr_pool_t *pool, oa_name_list *list, const char *rendering)
{
    if (!list->shown)
        list->shown = apr_array_make(pool, OA_NAME_LIST_MAX, sizeof(const char *));
    if (list->shown->nelts < OA_NAME_LIST_MAX)
        APR_ARRAY_PUSH(list->shown, const char *) = rendering;
    else
        list->more++;
}

const char *oa_name_list_text(apr_pool_t *pool, const oa_name_list *list)
{
    /* apr_array_pstrcat joins with one character at most: ", " is pushed as a part */
    apr_array_header_t *parts;
    int i;
    if (!list->shown)
        return "";
    parts = apr_array_make(pool, list->shown->nelts * 2 + 1, sizeof(const char *));
    for (i = 0; i < list->shown->nelts; i++) {
        if (i)
            APR_ARRAY_PUSH(parts, const char *) = ", ";
        APR_ARRAY_PUSH(parts, const char *) = APR_ARRAY_IDX(list->shown, i, const char *);
    }
    if (list->more)
        APR_ARRAY_PUSH(parts, const char *) = apr_psprintf(pool, " ... and %ld more", list->more);
    return apr_array_pstrcat(pool, parts, 0);
}
