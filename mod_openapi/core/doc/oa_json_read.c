/* The JSON reader (see oa_json_read.h): a recursive descent over a text oa_json_check
 * accepted, making what the YAML reader makes of it. Positions are counted as libyaml
 * counts them: a line ends at LF, CR or CR LF, a column counts characters (UTF-8
 * sequences), and a node starts at its first character (a string at its quote). */
#include "doc/oa_json_read.h"
#include "util/oa_text.h"

#include <apr_strings.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* As deep as the YAML reader goes (oa_parse.c); deeper text is left to it. */
#define READ_MAX_DEPTH 512
/* Longer numbers are left to the YAML reader (oa_json_check takes none this long). */
#define READ_MAX_NUMBER 64

typedef struct reader {
    const unsigned char *p;
    const unsigned char *end;
    int line;                     /* 1-based, at p */
    const unsigned char *counted; /* the column is known up to here */
    int column;                   /* 0-based, at counted */
    oa_posmap *positions;
    oa_share *share;
    int sharing; /* inside the value of a shared key */
    apr_pool_t *scratch;
    char *buffer; /* a string's text with its escapes decoded */
    size_t buffer_size;
    const char *name;
    oa_diag *diag;
} reader;

typedef struct place {
    int line;
    int column;
} place;

static json_t *read_value(reader *rd, int depth, const place *at_name);

/* Where p is; linear over a whole read, since places are asked for in order. */
static place place_here(reader *rd)
{
    place here;
    const unsigned char *c;
    for (c = rd->counted; c < rd->p; c++)
        rd->column += (*c & 0xC0) != 0x80; /* not a UTF-8 continuation byte */
    rd->counted = rd->p;
    here.line = rd->line;
    here.column = rd->column + 1;
    return here;
}

static void skip_space(reader *rd)
{
    while (rd->p < rd->end) {
        unsigned c = *rd->p;
        if (c == ' ' || c == '\t') {
            rd->p++;
            continue;
        }
        if (c != '\n' && c != '\r')
            return;
        rd->p += (c == '\r' && rd->p + 1 < rd->end && rd->p[1] == '\n') ? 2 : 1;
        rd->line++;
        rd->counted = rd->p;
        rd->column = 0;
    }
}

static size_t put_utf8(char *out, unsigned code)
{
    if (code < 0x80) {
        out[0] = (char)code;
        return 1;
    }
    if (code < 0x800) {
        out[0] = (char)(0xC0 | (code >> 6));
        out[1] = (char)(0x80 | (code & 0x3F));
        return 2;
    }
    if (code < 0x10000) {
        out[0] = (char)(0xE0 | (code >> 12));
        out[1] = (char)(0x80 | ((code >> 6) & 0x3F));
        out[2] = (char)(0x80 | (code & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (code >> 18));
    out[1] = (char)(0x80 | ((code >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((code >> 6) & 0x3F));
    out[3] = (char)(0x80 | (code & 0x3F));
    return 4;
}

/* Decodes the escapes of raw (length bytes, the text between the quotes) into the
 * buffer; the decoded text is never longer than raw. 0 on a malformed escape. */
static int decode_escapes(reader *rd, const unsigned char *raw, size_t length,
                          const char **text, size_t *text_length)
{
    const unsigned char *p = raw, *end = raw + length;
    char *out;
    if (rd->buffer_size < length + 1) {
        rd->buffer_size = rd->buffer_size * 2 > length + 1 ? rd->buffer_size * 2 : length + 1;
        rd->buffer = apr_palloc(rd->scratch, rd->buffer_size);
    }
    out = rd->buffer;
    while (p < end) {
        unsigned code, low;
        if (*p != '\\') {
            *out++ = (char)*p++;
            continue;
        }
        if (end - p < 2)
            return 0;
        switch (p[1]) {
        case '"': case '\\': case '/':
            *out++ = (char)p[1];
            break;
        case 'b': *out++ = '\b'; break;
        case 'f': *out++ = '\f'; break;
        case 'n': *out++ = '\n'; break;
        case 'r': *out++ = '\r'; break;
        case 't': *out++ = '\t'; break;
        case 'u':
            if (end - p < 6 || !oa_hex4_value(p + 2, &code))
                return 0;
            if (code >= 0xD800 && code <= 0xDBFF) { /* a pair: \uD8xx\uDCxx */
                if (end - p < 12 || p[6] != '\\' || p[7] != 'u' ||
                    !oa_hex4_value(p + 8, &low) || low < 0xDC00 || low > 0xDFFF)
                    return 0;
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                p += 6;
            }
            else if (code >= 0xDC00 && code <= 0xDFFF)
                return 0;
            out += put_utf8(out, code);
            p += 4;
            break;
        default:
            return 0;
        }
        p += 2;
    }
    *text = rd->buffer;
    *text_length = (size_t)(out - rd->buffer);
    return 1;
}

/* A string at p (its opening quote): its text, decoded when it has escapes. */
static int read_string(reader *rd, const char **text, size_t *length)
{
    const unsigned char *start = ++rd->p;
    int escaped = 0;
    while (rd->p < rd->end && *rd->p != '"') {
        if (*rd->p == '\\') {
            escaped = 1;
            if (++rd->p >= rd->end)
                return 0;
        }
        rd->p++;
    }
    if (rd->p >= rd->end)
        return 0;
    rd->p++; /* the closing quote */
    if (!escaped) {
        *text = (const char *)start;
        *length = (size_t)(rd->p - 1 - start);
        return 1;
    }
    return decode_escapes(rd, start, (size_t)(rd->p - 1 - start), text, length);
}

/* A number as the YAML 1.2 core schema resolves the same plain scalar: an integer when
 * it has no fraction or exponent and fits 64 bits, else a real. */
static json_t *read_number(reader *rd)
{
    const unsigned char *start = rd->p;
    char copy[READ_MAX_NUMBER];
    size_t length;
    int integral = 1;
    while (rd->p < rd->end && *rd->p && strchr("0123456789+-.eE", *rd->p)) {
        if (*rd->p == '.' || *rd->p == 'e' || *rd->p == 'E')
            integral = 0;
        rd->p++;
    }
    length = (size_t)(rd->p - start);
    if (length == 0 || length >= sizeof(copy))
        return NULL;
    memcpy(copy, start, length);
    copy[length] = '\0';
    if (integral) {
        char *end;
        long long value;
        errno = 0;
        value = strtoll(copy, &end, 10);
        if (errno != ERANGE)
            return *end == '\0' && end != copy ? json_integer(value) : NULL;
    }
    {
        char *end;
        double value = strtod(copy, &end);
        return *end == '\0' && end != copy && isfinite(value) ? json_real(value) : NULL;
    }
}

static int read_word(reader *rd, const char *word, size_t length)
{
    if ((size_t)(rd->end - rd->p) < length || memcmp(rd->p, word, length) != 0)
        return 0;
    rd->p += length;
    return 1;
}

/* A finished mapping or list: placed at its member name (at_name) or where it starts,
 * then shared when inside a shared key's value. */
static json_t *finish_container(reader *rd, json_t *node, const place *start,
                                const place *at_name)
{
    const place *at = at_name ? at_name : start;
    oa_posmap_set(rd->positions, node, at->line, at->column);
    return rd->sharing ? oa_share_node(rd->share, rd->positions, node) : node;
}

/* At an opening bracket: past it, and past its closing one when nothing is inside. */
static int opens_empty(reader *rd, unsigned char close)
{
    rd->p++;
    skip_space(rd);
    if (rd->p < rd->end && *rd->p == close) {
        rd->p++;
        return 1;
    }
    return 0;
}

/* After a member or an item: 1 past the closing bracket, 0 past a comma, -1 else. */
static int after_member(reader *rd, unsigned char close)
{
    skip_space(rd);
    if (rd->p < rd->end && *rd->p == close) {
        rd->p++;
        return 1;
    }
    if (rd->p >= rd->end || *rd->p++ != ',')
        return -1;
    skip_space(rd);
    return 0;
}

static json_t *read_object(reader *rd, int depth, const place *at_name)
{
    place start = place_here(rd);
    json_t *object = json_object();
    if (opens_empty(rd, '}'))
        return finish_container(rd, object, &start, at_name);
    for (;;) {
        place name_place;
        const char *name;
        size_t name_length;
        char *own_name;
        json_t *value;
        int starts_sharing, step;
        if (rd->p >= rd->end || *rd->p != '"')
            break;
        name_place = place_here(rd);
        if (!read_string(rd, &name, &name_length))
            break;
        if (memchr(name, '\0', name_length)) {
            oa_diag_add(rd->diag, rd->name, name_place.line, name_place.column, "%s",
                        "mapping key contains a NUL character");
            break;
        }
        /* the buffer a decoded name is in serves the value's strings next */
        own_name = name == rd->buffer ? apr_pstrmemdup(rd->scratch, name, name_length)
                                      : NULL;
        if (own_name)
            name = own_name;
        skip_space(rd);
        if (rd->p >= rd->end || *rd->p++ != ':')
            break;
        skip_space(rd);
        starts_sharing = rd->share && !rd->sharing &&
                         oa_share_key_starts_shared(name, name_length);
        rd->sharing |= starts_sharing;
        value = read_value(rd, depth + 1, &name_place);
        if (starts_sharing)
            rd->sharing = 0;
        if (!value)
            break;
        if (json_object_setn_new_nocheck(object, name, name_length, value) != 0)
            break;
        step = after_member(rd, '}');
        if (step > 0)
            return finish_container(rd, object, &start, at_name);
        if (step < 0)
            break;
    }
    json_decref(object);
    return NULL;
}

static json_t *read_array(reader *rd, int depth, const place *at_name)
{
    place start = place_here(rd);
    json_t *array = json_array();
    if (opens_empty(rd, ']'))
        return finish_container(rd, array, &start, at_name);
    for (;;) {
        json_t *item = read_value(rd, depth + 1, NULL);
        int step;
        if (!item || json_array_append_new(array, item) != 0)
            break;
        step = after_member(rd, ']');
        if (step > 0)
            return finish_container(rd, array, &start, at_name);
        if (step < 0)
            break;
    }
    json_decref(array);
    return NULL;
}

/* The value at p. at_name: where its member name is, when it is a member's value. */
static json_t *read_value(reader *rd, int depth, const place *at_name)
{
    place start;
    json_t *scalar = NULL;
    if (rd->p >= rd->end || depth > READ_MAX_DEPTH)
        return NULL;
    if (*rd->p == '{')
        return read_object(rd, depth, at_name);
    if (*rd->p == '[')
        return read_array(rd, depth, at_name);
    start = place_here(rd);
    switch (*rd->p) {
    case '"': {
        const char *text;
        size_t length;
        if (read_string(rd, &text, &length))
            scalar = json_stringn_nocheck(text, length);
        break;
    }
    case 't':
        scalar = read_word(rd, "true", 4) ? json_true() : NULL;
        break;
    case 'f':
        scalar = read_word(rd, "false", 5) ? json_false() : NULL;
        break;
    case 'n':
        scalar = read_word(rd, "null", 4) ? json_null() : NULL;
        break;
    default:
        scalar = read_number(rd);
        break;
    }
    if (scalar)
        oa_posmap_set(rd->positions, scalar, start.line, start.column);
    return scalar;
}

json_t *oa_json_read(apr_pool_t *pool, const char *name, const char *text, size_t length,
                     oa_posmap *positions, oa_share *share, oa_diag *diag)
{
    reader rd;
    json_t *root = NULL;
    memset(&rd, 0, sizeof(rd));
    rd.p = (const unsigned char *)text;
    rd.end = rd.p + length;
    rd.line = 1;
    rd.counted = rd.p;
    rd.positions = positions;
    rd.share = share;
    rd.name = name;
    rd.diag = diag;
    apr_pool_create(&rd.scratch, pool);
    skip_space(&rd);
    if (rd.p < rd.end && (*rd.p == '{' || *rd.p == '['))
        root = read_value(&rd, 0, NULL);
    skip_space(&rd);
    if (root && rd.p != rd.end) {
        json_decref(root);
        root = NULL;
    }
    apr_pool_destroy(rd.scratch);
    return root;
}
