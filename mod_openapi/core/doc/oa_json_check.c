/* The strict-JSON check (see oa_json_check.h): a recursive descent over the text that
 * only answers yes when jansson would accept it, and leaves every doubt to jansson (the
 * caller runs it then, for its error message). Used where the text is JSON before the
 * YAML parser builds the tree with positions: jansson building (and freeing) a whole
 * second tree only to check the syntax was half of a large spec's load. */
#include "doc/oa_json_check.h"
#include "util/oa_text.h"

#include <apr_hash.h>
#include <apr_tables.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Deeper nesting is left to jansson (its limit is 2048): the descent recurses. */
#define CHECK_MAX_DEPTH 256
/* Members compared one by one up to this many; a larger object gets a hash. */
#define CHECK_SMALL_OBJECT 8
/* A number this long or longer is left to jansson (the overflow test copies it). */
#define CHECK_MAX_NUMBER 64

typedef struct member_name {
    const char *text;
    size_t length;
} member_name;

typedef struct scanner {
    const unsigned char *p;
    const unsigned char *end;
    apr_pool_t *pool;
    apr_array_header_t *names; /* of member_name: the names of the open objects */
} scanner;

static int scan_value(scanner *sc, int depth);

static void skip_space(scanner *sc)
{
    while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' ||
                               *sc->p == '\r'))
        sc->p++;
}

/* \uXXXX at sc->p (after the backslash and the u): a surrogate must come in a pair. */
static int scan_unicode_escape(scanner *sc)
{
    unsigned unit, low;
    if (sc->end - sc->p < 4 || !oa_hex4_value(sc->p, &unit))
        return 0;
    sc->p += 4;
    if (unit >= 0xDC00 && unit <= 0xDFFF)
        return 0;
    if (unit < 0xD800 || unit > 0xDBFF)
        return 1;
    if (sc->end - sc->p < 6 || sc->p[0] != '\\' || sc->p[1] != 'u' ||
        !oa_hex4_value(sc->p + 2, &low) || low < 0xDC00 || low > 0xDFFF)
        return 0;
    sc->p += 6;
    return 1;
}

/* One UTF-8 sequence whose first byte (>= 0x80) is at sc->p: no overlongs, no
 * surrogates, nothing past U+10FFFF. */
static int scan_utf8(scanner *sc)
{
    unsigned first = *sc->p;
    unsigned low = 0x80, high = 0xBF;
    int more, i;
    if (first >= 0xC2 && first <= 0xDF)
        more = 1;
    else if (first >= 0xE0 && first <= 0xEF) {
        more = 2;
        if (first == 0xE0)
            low = 0xA0;
        else if (first == 0xED)
            high = 0x9F;
    }
    else if (first >= 0xF0 && first <= 0xF4) {
        more = 3;
        if (first == 0xF0)
            low = 0x90;
        else if (first == 0xF4)
            high = 0x8F;
    }
    else
        return 0;
    if (sc->end - sc->p <= more)
        return 0;
    for (i = 1; i <= more; i++) {
        unsigned c = sc->p[i];
        if (c < (i == 1 ? low : 0x80) || c > (i == 1 ? high : 0xBF))
            return 0;
    }
    sc->p += more + 1;
    return 1;
}

/* A string at sc->p (its opening quote); *escaped tells whether it holds a backslash. */
static int scan_string(scanner *sc, member_name *name, int *escaped)
{
    const unsigned char *start = ++sc->p;
    *escaped = 0;
    while (sc->p < sc->end) {
        unsigned c = *sc->p;
        if (c == '"') {
            name->text = (const char *)start;
            name->length = (size_t)(sc->p - start);
            sc->p++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            *escaped = 1;
            if (++sc->p >= sc->end)
                return 0;
            c = *sc->p++;
            if (c == 'u') {
                if (!scan_unicode_escape(sc))
                    return 0;
            }
            else if (!strchr("\"\\/bfnrt", (int)c) || c == '\0')
                return 0;
        }
        else if (c >= 0x80) {
            if (!scan_utf8(sc))
                return 0;
        }
        else
            sc->p++;
    }
    return 0;
}

static int digits(scanner *sc)
{
    const unsigned char *start = sc->p;
    while (sc->p < sc->end && *sc->p >= '0' && *sc->p <= '9')
        sc->p++;
    return sc->p > start;
}

/* A number: the RFC's grammar, and (as jansson reads every number as a double here) one
 * that overflows a double is an error. */
static int scan_number(scanner *sc)
{
    const unsigned char *start = sc->p;
    char copy[CHECK_MAX_NUMBER];
    double value;
    if (*sc->p == '-')
        sc->p++;
    if (sc->p < sc->end && *sc->p == '0')
        sc->p++;
    else if (!digits(sc))
        return 0;
    if (sc->p < sc->end && *sc->p == '.') {
        sc->p++;
        if (!digits(sc))
            return 0;
    }
    if (sc->p < sc->end && (*sc->p == 'e' || *sc->p == 'E')) {
        sc->p++;
        if (sc->p < sc->end && (*sc->p == '+' || *sc->p == '-'))
            sc->p++;
        if (!digits(sc))
            return 0;
    }
    if (sc->p - start >= CHECK_MAX_NUMBER)
        return 0;
    memcpy(copy, start, (size_t)(sc->p - start));
    copy[sc->p - start] = '\0';
    errno = 0;
    value = strtod(copy, NULL);
    return !(errno == ERANGE && (value == HUGE_VAL || value == -HUGE_VAL));
}

static int scan_word(scanner *sc, const char *word, size_t length)
{
    if ((size_t)(sc->end - sc->p) < length || memcmp(sc->p, word, length) != 0)
        return 0;
    sc->p += length;
    return 1;
}

/* Whether name is new among the names of the object whose first name is at index
 * first; a large object's names go into a hash (made when it grows past small). */
static int new_member(scanner *sc, int first, apr_hash_t **set, const member_name *name)
{
    member_name *names = (member_name *)sc->names->elts;
    int count = sc->names->nelts - first;
    int i;
    if (*set) {
        if (apr_hash_get(*set, name->text, (apr_ssize_t)name->length))
            return 0;
        apr_hash_set(*set, name->text, (apr_ssize_t)name->length, "");
        return 1;
    }
    for (i = first; i < sc->names->nelts; i++)
        if (names[i].length == name->length &&
            memcmp(names[i].text, name->text, name->length) == 0)
            return 0;
    *(member_name *)apr_array_push(sc->names) = *name;
    if (count + 1 > CHECK_SMALL_OBJECT) {
        names = (member_name *)sc->names->elts;
        *set = apr_hash_make(sc->pool);
        for (i = first; i < sc->names->nelts; i++)
            apr_hash_set(*set, names[i].text, (apr_ssize_t)names[i].length, "");
    }
    return 1;
}

static int scan_object(scanner *sc, int depth)
{
    int first = sc->names->nelts;
    apr_hash_t *set = NULL;
    int ok = 0;
    sc->p++;
    skip_space(sc);
    if (sc->p < sc->end && *sc->p == '}') {
        sc->p++;
        return 1;
    }
    for (;;) {
        member_name name;
        int escaped;
        /* an escaped name could equal another written plainly: jansson decides */
        if (sc->p >= sc->end || *sc->p != '"' || !scan_string(sc, &name, &escaped) ||
            escaped || !new_member(sc, first, &set, &name))
            break;
        skip_space(sc);
        if (sc->p >= sc->end || *sc->p++ != ':')
            break;
        skip_space(sc);
        if (!scan_value(sc, depth + 1))
            break;
        skip_space(sc);
        if (sc->p < sc->end && *sc->p == '}') {
            sc->p++;
            ok = 1;
            break;
        }
        if (sc->p >= sc->end || *sc->p++ != ',')
            break;
        skip_space(sc);
    }
    sc->names->nelts = first;
    return ok;
}

static int scan_array(scanner *sc, int depth)
{
    sc->p++;
    skip_space(sc);
    if (sc->p < sc->end && *sc->p == ']') {
        sc->p++;
        return 1;
    }
    for (;;) {
        if (!scan_value(sc, depth + 1))
            return 0;
        skip_space(sc);
        if (sc->p < sc->end && *sc->p == ']') {
            sc->p++;
            return 1;
        }
        if (sc->p >= sc->end || *sc->p++ != ',')
            return 0;
        skip_space(sc);
    }
}

static int scan_value(scanner *sc, int depth)
{
    member_name ignored;
    int escaped;
    if (sc->p >= sc->end || depth > CHECK_MAX_DEPTH)
        return 0;
    switch (*sc->p) {
    case '{':
        return scan_object(sc, depth);
    case '[':
        return scan_array(sc, depth);
    case '"':
        return scan_string(sc, &ignored, &escaped);
    case 't':
        return scan_word(sc, "true", 4);
    case 'f':
        return scan_word(sc, "false", 5);
    case 'n':
        return scan_word(sc, "null", 4);
    default:
        return (*sc->p == '-' || (*sc->p >= '0' && *sc->p <= '9')) && scan_number(sc);
    }
}

int oa_json_check(apr_pool_t *pool, const char *text, size_t length)
{
    scanner sc;
    int ok;
    apr_pool_create(&sc.pool, pool);
    sc.p = (const unsigned char *)text;
    sc.end = sc.p + length;
    sc.names = apr_array_make(sc.pool, 64, sizeof(member_name));
    skip_space(&sc);
    /* jansson wants an object or an array at the top */
    ok = sc.p < sc.end && (*sc.p == '{' || *sc.p == '[') && scan_value(&sc, 0);
    skip_space(&sc);
    ok = ok && sc.p == sc.end;
    apr_pool_destroy(sc.pool);
    return ok;
}
