/* Mock strings from a `pattern`: a writer over the simple regular expressions (see
 * oa_mock_pattern.h), tried with growing repetition counts until the length fits. */
#include "response/oa_mock_pattern.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

#include "util/oa_utf8.h"

typedef struct pattern_writer {
    const char *pattern;
    size_t pos;
    char out[OA_MOCK_MAX_STRING + 1];
    size_t length;
    int extra;  /* repetitions added to every open-ended quantifier */
    int steps;  /* atoms written: bounds nested quantified groups */
    int failed; /* a construct we cannot write for, or too long */
} pattern_writer;

#define PATTERN_MAX_STEPS 20000
#define PATTERN_MAX_NESTING 32

static void pw_emit(pattern_writer *w, int emit, const char *bytes, size_t n)
{
    if (!emit)
        return;
    if (w->length + n > OA_MOCK_MAX_STRING) {
        w->failed = 1;
        return;
    }
    memcpy(w->out + w->length, bytes, n);
    w->length += n;
}

static void pw_emit_char(pattern_writer *w, int emit, char c)
{
    pw_emit(w, emit, &c, 1);
}

/* Adds the characters of a class escape (\d \w \s and their negations) to set. */
static int class_escape(char letter, unsigned char *set)
{
    int c;
    int negate = apr_isupper(letter);
    for (c = 1; c < 128; c++) {
        int in;
        switch (apr_tolower(letter)) {
        case 'd': in = apr_isdigit(c); break;
        case 'w': in = apr_isalnum(c) || c == '_'; break;
        case 's': in = c == ' ' || (c >= '\t' && c <= '\r'); break;
        default: return 0;
        }
        if (in != negate)
            set[c] = 1;
    }
    return 1;
}

/* The character a single escape stands for (\n, \., \x41...); -1 when unknown. */
static int escape_char(pattern_writer *w)
{
    const char *p = w->pattern + w->pos;
    char c = *p;
    w->pos++;
    switch (c) {
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'f': return '\f';
    case 'v': return '\v';
    case 'x':
        if (apr_isxdigit(p[1]) && apr_isxdigit(p[2])) {
            char hex[3] = {p[1], p[2], '\0'};
            int value = (int)strtol(hex, NULL, 16);
            w->pos += 2;
            return value > 0 && value < 128 ? value : -1;
        }
        return -1;
    case 'u':
        if (apr_isxdigit(p[1]) && apr_isxdigit(p[2]) && apr_isxdigit(p[3]) &&
            apr_isxdigit(p[4])) {
            char hex[5] = {p[1], p[2], p[3], p[4], '\0'};
            int value = (int)strtol(hex, NULL, 16);
            w->pos += 4;
            return value > 0 && value < 128 ? value : -1;
        }
        return -1;
    default:
        /* escaped punctuation is itself; escaped letters and digits mean something */
        return c != '\0' && !apr_isalnum(c) && (unsigned char)c < 128 ? c : -1;
    }
}

/* The character a class stands for: letters, then digits, then other printables. */
static int pick_from_set(const unsigned char *set)
{
    static const char preference[] =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    int c;
    int i;
    for (i = 0; preference[i]; i++)
        if (set[(unsigned char)preference[i]])
            return preference[i];
    for (c = 32; c < 127; c++)
        if (set[c])
            return c;
    return -1;
}

/* [...] at pos (on the '['): returns its character, -1 when none can be had. */
static int parse_class(pattern_writer *w)
{
    unsigned char set[128];
    int negate = 0;
    int first = 1;
    int c;
    memset(set, 0, sizeof(set));
    w->pos++;
    if (w->pattern[w->pos] == '^') {
        negate = 1;
        w->pos++;
    }
    for (;;) {
        char ch = w->pattern[w->pos];
        int low;
        if (ch == '\0')
            return -1;
        if (ch == ']' && !first) {
            w->pos++;
            break;
        }
        first = 0;
        if (ch == '[' && w->pattern[w->pos + 1] == ':')
            return -1; /* POSIX classes: not worth it */
        if (ch == '\\') {
            w->pos++;
            if (class_escape(w->pattern[w->pos], set)) {
                w->pos++;
                continue;
            }
            low = escape_char(w);
            if (low < 0)
                return -1;
        }
        else if ((unsigned char)ch >= 128) {
            return -1;
        }
        else {
            low = ch;
            w->pos++;
        }
        if (w->pattern[w->pos] == '-' && w->pattern[w->pos + 1] != ']' &&
            w->pattern[w->pos + 1] != '\0') {
            int high;
            w->pos++;
            if (w->pattern[w->pos] == '\\') {
                w->pos++;
                high = escape_char(w);
            }
            else {
                high = (unsigned char)w->pattern[w->pos];
                w->pos++;
            }
            if (high < 0 || high >= 128 || high < low)
                return -1;
            for (c = low; c <= high; c++)
                set[c] = 1;
        }
        else {
            set[low] = 1;
        }
    }
    if (negate) {
        for (c = 1; c < 128; c++)
            set[c] = !set[c];
    }
    return pick_from_set(set);
}

static void pw_alternatives(pattern_writer *w, int emit, int nesting);

/* One atom at pos: writes it when emit. */
static void pw_atom(pattern_writer *w, int emit, int nesting)
{
    const char *p = w->pattern + w->pos;
    int c;
    if (++w->steps > PATTERN_MAX_STEPS) {
        w->failed = 1;
        return;
    }
    switch (*p) {
    case '(':
        if (nesting >= PATTERN_MAX_NESTING) {
            w->failed = 1;
            return;
        }
        w->pos++;
        if (p[1] == '?') {
            if (p[2] != ':') {
                w->failed = 1; /* lookarounds, named groups, flags */
                return;
            }
            w->pos += 2;
        }
        pw_alternatives(w, emit, nesting + 1);
        if (w->pattern[w->pos] != ')') {
            w->failed = 1;
            return;
        }
        w->pos++;
        return;
    case '[':
        c = parse_class(w);
        if (c < 0)
            w->failed = 1;
        else
            pw_emit_char(w, emit, (char)c);
        return;
    case '.':
        w->pos++;
        pw_emit_char(w, emit, 'a');
        return;
    case '^':
    case '$':
        w->pos++; /* anchors write nothing */
        return;
    case '\\':
        w->pos++;
        switch (p[1]) {
        case 'd': w->pos++; pw_emit_char(w, emit, '0'); return;
        case 'D': w->pos++; pw_emit_char(w, emit, 'a'); return;
        case 'w': w->pos++; pw_emit_char(w, emit, 'a'); return;
        case 'W': w->pos++; pw_emit_char(w, emit, '-'); return;
        case 's': w->pos++; pw_emit_char(w, emit, ' '); return;
        case 'S': w->pos++; pw_emit_char(w, emit, 'a'); return;
        case 'b': case 'B':
            w->failed = 1; /* word boundaries depend on the neighbours */
            return;
        default:
            c = escape_char(w);
            if (c < 0)
                w->failed = 1;
            else
                pw_emit_char(w, emit, (char)c);
            return;
        }
    case '*': case '+': case '?': case '{': case ')': case '|': case '\0':
        if (*p == '{') {
            w->pos++; /* a '{' that starts no quantifier is a literal */
            pw_emit_char(w, emit, '{');
            return;
        }
        w->failed = 1; /* a quantifier with nothing to repeat */
        return;
    default: {
        /* a literal: one whole UTF-8 sequence, so a quantifier repeats all of it */
        size_t n = 1;
        while (((unsigned char)p[n] & 0xC0) == 0x80)
            n++;
        w->pos += n;
        pw_emit(w, emit, p, n);
        return;
    }
    }
}

/* A quantifier at pos, if any: sets *low and *high (-1 = unbounded), moves past it. */
static int pw_quantifier(pattern_writer *w, int *low, int *high)
{
    const char *p = w->pattern + w->pos;
    char *end;
    switch (*p) {
    case '*': *low = 0; *high = -1; w->pos++; break;
    case '+': *low = 1; *high = -1; w->pos++; break;
    case '?': *low = 0; *high = 1; w->pos++; break;
    case '{': {
        long n;
        long m;
        if (!apr_isdigit(p[1]))
            return 0;
        n = strtol(p + 1, &end, 10);
        m = n;
        if (*end == ',') {
            if (apr_isdigit(end[1]))
                m = strtol(end + 1, &end, 10);
            else {
                m = -1;
                end++;
            }
        }
        if (*end != '}' || n > OA_MOCK_MAX_STRING || m > 1000000 || (m >= 0 && m < n))
            return 0;
        *low = (int)n;
        *high = (int)m;
        w->pos = (size_t)(end + 1 - w->pattern);
        break;
    }
    default:
        return 0;
    }
    /* lazy and possessive markers change nothing for us */
    if (w->pattern[w->pos] == '?' || w->pattern[w->pos] == '+')
        w->pos++;
    return 1;
}

/* A sequence of quantified atoms up to '|', ')' or the end. */
static void pw_sequence(pattern_writer *w, int emit, int nesting)
{
    while (!w->failed) {
        char c = w->pattern[w->pos];
        size_t atom_start;
        int low;
        int high;
        int count;
        int i;
        if (c == '\0' || c == '|' || c == ')')
            return;
        atom_start = w->pos;
        pw_atom(w, 0, nesting); /* find where the atom ends first */
        if (w->failed)
            return;
        if (pw_quantifier(w, &low, &high)) {
            count = low + w->extra;
            if (high >= 0 && count > high)
                count = high;
        }
        else {
            count = 1;
        }
        if (emit) {
            size_t after = w->pos;
            for (i = 0; i < count && !w->failed; i++) {
                w->pos = atom_start;
                pw_atom(w, 1, nesting);
            }
            w->pos = after;
        }
    }
}

/* Alternatives: the first is written, the others only parsed. */
static void pw_alternatives(pattern_writer *w, int emit, int nesting)
{
    int first = 1;
    for (;;) {
        pw_sequence(w, emit && first, nesting);
        if (w->failed || w->pattern[w->pos] != '|')
            return;
        w->pos++;
        first = 0;
    }
}

const char *oa_mock_string_from_pattern(apr_pool_t *pool, const char *pattern, int min_length,
                                        int max_length)
{
    static const int extras[] = {0, 1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64,
                                 96, 128, 256};
    pattern_writer *w = apr_palloc(pool, sizeof(*w));
    const char *fallback = NULL;
    size_t previous_length = 0;
    size_t i;
    for (i = 0; i < sizeof(extras) / sizeof(extras[0]); i++) {
        size_t length;
        w->pattern = pattern;
        w->pos = 0;
        w->length = 0;
        w->extra = extras[i];
        w->steps = 0;
        w->failed = 0;
        pw_alternatives(w, 1, 0);
        if (w->failed || w->pattern[w->pos] != '\0')
            break; /* an unmatched ')' or a construct we do not write */
        length = oa_utf8_length(w->out, w->length);
        if (!fallback)
            fallback = apr_pstrmemdup(pool, w->out, w->length);
        if ((int)length >= min_length && (max_length < 0 || (int)length <= max_length))
            return apr_pstrmemdup(pool, w->out, w->length);
        if ((max_length >= 0 && (int)length > max_length) ||
            (i > 0 && w->length == previous_length))
            break; /* longer tries only get longer, or do not change at all */
        previous_length = w->length;
    }
    return fallback;
}
