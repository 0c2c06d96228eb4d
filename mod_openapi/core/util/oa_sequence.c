/* Sequential media types: JSON Lines, JSON Text Sequences and Server-Sent Events read
 * into a JSON array of items and written back from one (oa_sequence.h). */
#include "util/oa_sequence.h"

#include <apr_strings.h>
#include <apr_tables.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/oa_buffer.h"
#include "util/oa_media_type.h"
#include "util/oa_utf8.h"

#define RS '\x1e'

oa_sequence_kind oa_sequence_kind_of(const char *media_type)
{
    oa_media_essence e;
    static const char suffix[] = "+json-seq";
    const size_t suffix_length = sizeof(suffix) - 1;
    if (!oa_media_type_split(media_type, &e))
        return OA_SEQUENCE_NONE;
    if (oa_media_essence_is(&e, "application/jsonl") ||
        oa_media_essence_is(&e, "application/x-ndjson"))
        return OA_SEQUENCE_JSON_LINES;
    if (oa_media_essence_is(&e, "application/json-seq") ||
        (e.subtype_length > suffix_length &&
         strncasecmp(e.subtype + e.subtype_length - suffix_length, suffix, suffix_length) == 0))
        return OA_SEQUENCE_JSON_SEQ;
    if (oa_media_essence_is(&e, "text/event-stream"))
        return OA_SEQUENCE_EVENT_STREAM;
    return OA_SEQUENCE_NONE;
}

static int fail(oa_sequence_error *error, apr_pool_t *pool, size_t item, int line,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(oa_sequence_error *error, apr_pool_t *pool, size_t item, int line,
                const char *fmt, ...)
{
    va_list ap;
    error->item = item;
    error->line = line;
    va_start(ap, fmt);
    error->message = apr_pvsprintf(pool, fmt, ap);
    va_end(ap);
    return 0;
}

static int blank(const char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return 0;
    return 1;
}

static int count_lines(const char *p, size_t n)
{
    int lines = 0;
    const char *end = p + n;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        lines++;
        p++;
    }
    return lines;
}

/* One JSON item (line or record) appended to items; line is where the text starts. */
static int add_json_item(apr_pool_t *pool, json_t *items, const char *text, size_t n,
                         int line, oa_sequence_error *error)
{
    json_error_t jerr;
    size_t item = json_array_size(items);
    json_t *value;
    if (item >= OA_SEQUENCE_MAX_ITEMS)
        return fail(error, pool, item, line, "the body has more than %d items",
                    OA_SEQUENCE_MAX_ITEMS);
    /* the parse options of JSON bodies (request/oa_body.c) */
    value = json_loadb(text, n, JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES,
                       &jerr);
    if (!value)
        return fail(error, pool, item, line + (jerr.line > 0 ? jerr.line - 1 : 0),
                    "item %lu (line %d): invalid JSON at column %d: %s", (unsigned long)item,
                    line + (jerr.line > 0 ? jerr.line - 1 : 0), jerr.column, jerr.text);
    json_array_append_new(items, value);
    return 1;
}

static int parse_lines(apr_pool_t *pool, const char *data, size_t size, json_t *items,
                       oa_sequence_error *error)
{
    const char *p = data;
    const char *end = data + size;
    int line = 1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (!blank(p, n) && !add_json_item(pool, items, p, n, line, error))
            return 0;
        p += n + (nl ? 1 : 0);
        line++;
    }
    return 1;
}

static int parse_json_seq(apr_pool_t *pool, const char *data, size_t size, json_t *items,
                          oa_sequence_error *error)
{
    const char *p = data;
    const char *end = data + size;
    int line = 1;
    const char *first = memchr(data, RS, size);
    if (!blank(data, first ? (size_t)(first - data) : size))
        return fail(error, pool, 0, 1,
                    "item 0 (line 1): a JSON text sequence record must start with RS (0x1E)");
    if (!first)
        return 1;
    line += count_lines(data, (size_t)(first - data));
    p = first + 1;
    while (p <= end) {
        const char *next = memchr(p, RS, (size_t)(end - p));
        size_t n = next ? (size_t)(next - p) : (size_t)(end - p);
        if (!blank(p, n) && !add_json_item(pool, items, p, n, line, error))
            return 0;
        line += count_lines(p, n);
        if (!next)
            break;
        p = next + 1;
    }
    return 1;
}

/* ---- Server-Sent Events ---- */

typedef struct event_state {
    apr_pool_t *pool;
    json_t *items;
    json_t *event;  /* the fields seen so far (not data), or NULL */
    oa_buffer data; /* data lines joined, each followed by LF */
    int has_data;
    int line;       /* where the event starts */
} event_state;

static void append_data(event_state *s, const char *p, size_t n)
{
    oa_buffer_append(&s->data, p, n);
    oa_buffer_append(&s->data, "\n", 1);
    s->has_data = 1;
}

static int dispatch(event_state *s, oa_sequence_error *error)
{
    size_t item = json_array_size(s->items);
    if (!s->event && !s->has_data)
        return 1; /* comments or unknown fields only: no event */
    if (item >= OA_SEQUENCE_MAX_ITEMS) {
        json_decref(s->event);
        s->event = NULL;
        return fail(error, s->pool, item, s->line, "the body has more than %d items",
                    OA_SEQUENCE_MAX_ITEMS);
    }
    if (!s->event)
        s->event = json_object();
    if (s->has_data) /* the last LF is not part of the data */
        json_object_set_new(s->event, "data", json_stringn(s->data.data, s->data.length - 1));
    json_array_append_new(s->items, s->event);
    s->event = NULL;
    s->has_data = 0;
    oa_buffer_clear(&s->data);
    return 1;
}

static int all_digits(const char *p, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (p[i] < '0' || p[i] > '9')
            return 0;
    return n > 0;
}

static void event_field(event_state *s, const char *line, size_t n)
{
    const char *colon = memchr(line, ':', n);
    size_t name_length = colon ? (size_t)(colon - line) : n;
    const char *value = colon ? colon + 1 : line + n;
    size_t value_length = colon ? n - name_length - 1 : 0;
    if (value_length && *value == ' ') {
        value++;
        value_length--;
    }
#define FIELD_IS(literal) \
    (name_length == sizeof(literal) - 1 && memcmp(line, literal, name_length) == 0)
    if (FIELD_IS("data")) {
        append_data(s, value, value_length);
        return;
    }
    if (!(FIELD_IS("event") || FIELD_IS("id") || FIELD_IS("retry")))
        return; /* other fields are ignored */
    if (FIELD_IS("id") && memchr(value, '\0', value_length))
        return; /* the standard ignores such an id */
    if (FIELD_IS("retry") && (!all_digits(value, value_length) || value_length > 15))
        return; /* not an integer: ignored */
    if (!s->event)
        s->event = json_object();
    if (FIELD_IS("retry"))
        json_object_set_new(s->event, "retry",
                            json_integer(strtoll(apr_pstrmemdup(s->pool, value, value_length),
                                                 NULL, 10)));
    else
        json_object_set_new(s->event, FIELD_IS("id") ? "id" : "event",
                            json_stringn(value, value_length));
#undef FIELD_IS
}

static int parse_events(apr_pool_t *pool, const char *data, size_t size, json_t *items,
                        oa_sequence_error *error)
{
    event_state s;
    const char *p = data;
    const char *end = data + size;
    int line = 1;
    memset(&s, 0, sizeof(s));
    s.pool = pool;
    oa_buffer_init(&s.data, pool);
    s.items = items;
    s.line = 1;
    if (size >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3; /* a leading BOM is skipped */
    while (p < end) {
        size_t n = 0;
        while (p + n < end && p[n] != '\n' && p[n] != '\r')
            n++;
        if (!oa_utf8_valid(p, n)) {
            json_decref(s.event);
            return fail(error, pool, json_array_size(items), line,
                        "item %lu (line %d): the event stream is not UTF-8",
                        (unsigned long)json_array_size(items), line);
        }
        if (n == 0) {
            if (!dispatch(&s, error))
                return 0;
            s.line = line + 1;
        }
        else if (*p != ':') {
            if (!s.event && !s.has_data)
                s.line = line;
            event_field(&s, p, n);
        }
        p += n;
        /* a line ends at CRLF, LF or CR */
        if (p < end && *p == '\r') {
            p++;
            if (p < end && *p == '\n')
                p++;
        }
        else if (p < end && *p == '\n') {
            p++;
        }
        line++;
    }
    return dispatch(&s, error);
}

json_t *oa_sequence_parse(apr_pool_t *pool, oa_sequence_kind kind, const char *data,
                          size_t size, oa_sequence_error *error)
{
    json_t *items = json_array();
    int ok;
    switch (kind) {
    case OA_SEQUENCE_JSON_LINES:
        ok = parse_lines(pool, data, size, items, error);
        break;
    case OA_SEQUENCE_JSON_SEQ:
        ok = parse_json_seq(pool, data, size, items, error);
        break;
    case OA_SEQUENCE_EVENT_STREAM:
        ok = parse_events(pool, data, size, items, error);
        break;
    default:
        ok = fail(error, pool, 0, 1, "not a sequential media type");
        break;
    }
    if (!ok) {
        json_decref(items);
        return NULL;
    }
    return items;
}

/* ---- writing ---- */

static const char *compact(apr_pool_t *pool, const json_t *value)
{
    char *text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
    const char *copy = apr_pstrdup(pool, text ? text : "null");
    free(text);
    return copy;
}

static void event_line(apr_array_header_t *parts, const char *name, const char *value)
{
    if (strpbrk(value, "\r\n"))
        return; /* it would end the field early */
    APR_ARRAY_PUSH(parts, const char *) = name;
    APR_ARRAY_PUSH(parts, const char *) = value;
    APR_ARRAY_PUSH(parts, const char *) = "\n";
}

static void write_event(apr_pool_t *pool, apr_array_header_t *parts, const json_t *item)
{
    const json_t *data = json_is_object(item) ? json_object_get(item, "data") : item;
    const json_t *field;
    const char *text;
    if (json_is_object(item)) {
        if (json_is_string(field = json_object_get(item, "event")))
            event_line(parts, "event: ", json_string_value(field));
        if (json_is_string(field = json_object_get(item, "id")))
            event_line(parts, "id: ", json_string_value(field));
        if (json_is_integer(field = json_object_get(item, "retry")))
            event_line(parts, "retry: ",
                       apr_psprintf(pool, "%" APR_INT64_T_FMT,
                                    (apr_int64_t)json_integer_value(field)));
    }
    if (data) {
        text = json_is_string(data) ? json_string_value(data) : compact(pool, data);
        /* one data line per line of the text: LF, CR and CRLF all end an SSE line */
        while (1) {
            size_t n = strcspn(text, "\r\n");
            APR_ARRAY_PUSH(parts, const char *) = "data: ";
            APR_ARRAY_PUSH(parts, const char *) = apr_pstrmemdup(pool, text, n);
            APR_ARRAY_PUSH(parts, const char *) = "\n";
            if (!text[n])
                break;
            text += n + (text[n] == '\r' && text[n + 1] == '\n' ? 2 : 1);
        }
    }
    APR_ARRAY_PUSH(parts, const char *) = "\n";
}

const char *oa_sequence_format(apr_pool_t *pool, oa_sequence_kind kind, const json_t *items)
{
    apr_array_header_t *parts = apr_array_make(pool, 16, sizeof(const char *));
    size_t i;
    const json_t *item;
    json_array_foreach(items, i, item) {
        if (kind == OA_SEQUENCE_EVENT_STREAM) {
            write_event(pool, parts, item);
            continue;
        }
        if (kind == OA_SEQUENCE_JSON_SEQ)
            APR_ARRAY_PUSH(parts, const char *) = "\x1e";
        APR_ARRAY_PUSH(parts, const char *) = compact(pool, item);
        APR_ARRAY_PUSH(parts, const char *) = "\n";
    }
    return apr_array_pstrcat(pool, parts, 0);
}
