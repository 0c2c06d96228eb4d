/* Formats of draft 6 and later that are grammars of their own: json-pointer (RFC 6901),
 * relative-json-pointer, duration (RFC 3339 appendix A) and uri-template (RFC 6570).
 * Strings come with their length: they may hold NUL bytes. */
#include "schema/oa_format.h"

#include <string.h>

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

int oa_format_is_json_pointer(const char *s, size_t n)
{
    size_t i;
    if (n > 0 && s[0] != '/')
        return 0;
    for (i = 0; i < n; i++)
        if (s[i] == '~' && (i + 1 >= n || (s[i + 1] != '0' && s[i + 1] != '1')))
            return 0;
    return 1;
}

/* a non-negative integer without leading zeros, then "#" or a JSON pointer */
int oa_format_is_relative_json_pointer(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_digit(s[i]))
        i++;
    if (i == 0 || (s[0] == '0' && i > 1))
        return 0;
    if (i < n && s[i] == '#')
        return i + 1 == n;
    return oa_format_is_json_pointer(s + i, n - i);
}

/* Reads "<digits><unit>" where unit is the first of `units` the designator matches, each
 * unit after the previous one without skipping (dur-year [dur-month [dur-day]] ...).
 * Returns how many units were read; *i advances. */
static int read_chain(const char *s, size_t n, size_t *i, const char *units)
{
    int read = 0;
    const char *next = units;
    while (*i < n && is_digit(s[*i])) {
        size_t j = *i;
        const char *unit;
        while (j < n && is_digit(s[j]))
            j++;
        if (j >= n)
            return -1;
        unit = strchr(next, s[j]);
        /* the first unit may be any of the chain; later ones must follow directly */
        if (!unit || s[j] == '\0' || (read > 0 && unit != next))
            return -1;
        next = unit + 1;
        *i = j + 1;
        read++;
    }
    return read;
}

int oa_format_is_duration(const char *s, size_t n)
{
    size_t i = 1;
    int date, time = 0;
    if (n < 2 || s[0] != 'P')
        return 0;
    /* dur-week stands alone */
    if (s[n - 1] == 'W') {
        for (i = 1; i + 1 < n; i++)
            if (!is_digit(s[i]))
                return 0;
        return n > 2;
    }
    date = read_chain(s, n, &i, "YMD");
    if (date < 0)
        return 0;
    if (i < n && s[i] == 'T') {
        i++;
        time = read_chain(s, n, &i, "HMS");
        if (time <= 0)
            return 0;
    }
    return i == n && (date > 0 || time > 0);
}

/* ---- uri-template (RFC 6570, any level) ---- */

static int is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_varchar(const char *s, size_t n, size_t *i)
{
    char c = s[*i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_') {
        (*i)++;
        return 1;
    }
    if (c == '%' && *i + 2 < n && is_hex(s[*i + 1]) && is_hex(s[*i + 2])) {
        *i += 3;
        return 1;
    }
    return 0;
}

/* varspec = varname [ ":" max-length | "*" ]; varname = varchar *( ["."] varchar ) */
static int read_varspec(const char *s, size_t n, size_t *i)
{
    if (*i >= n || !is_varchar(s, n, i))
        return 0;
    while (*i < n) {
        if (s[*i] == '.' && *i + 1 < n) {
            (*i)++;
            if (!is_varchar(s, n, i))
                return 0;
        }
        else if (!is_varchar(s, n, i)) {
            break;
        }
    }
    if (*i < n && s[*i] == ':') {
        size_t start = ++(*i);
        if (*i >= n || s[*i] < '1' || s[*i] > '9')
            return 0;
        while (*i < n && is_digit(s[*i]))
            (*i)++;
        return *i - start <= 4;
    }
    if (*i < n && s[*i] == '*')
        (*i)++;
    return 1;
}

static int read_expression(const char *s, size_t n, size_t *i)
{
    (*i)++; /* '{' */
    if (*i < n && strchr("+#./;?&=,!@|", s[*i]) && s[*i] != '\0')
        (*i)++;
    for (;;) {
        if (!read_varspec(s, n, i))
            return 0;
        if (*i < n && s[*i] == ',') {
            (*i)++;
            continue;
        }
        break;
    }
    if (*i >= n || s[*i] != '}')
        return 0;
    (*i)++;
    return 1;
}

int oa_format_is_uri_template(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '{') {
            if (!read_expression(s, n, &i))
                return 0;
            continue;
        }
        /* literals: any character but CTL, SP, DQUOTE, "'", "%" (unless pct-encoded),
         * "<", ">", "\", "^", "`", "{", "|", "}" */
        if (c <= 0x20 || c == 0x7f || strchr("\"<>\\^`|}", c))
            return 0;
        if (c == '%') {
            if (i + 2 >= n || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
                return 0;
            i += 3;
            continue;
        }
        i++;
    }
    return 1;
}
