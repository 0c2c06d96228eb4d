#include "schema/oa_format.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Reads exactly `count` digits at s[*i]; -1 when they are not there. */
static int read_digits(const char *s, size_t n, size_t *i, int count)
{
    int value = 0;
    int k;
    if (*i + (size_t)count > n)
        return -1;
    for (k = 0; k < count; k++) {
        if (!is_digit(s[*i + k]))
            return -1;
        value = value * 10 + (s[*i + k] - '0');
    }
    *i += count;
    return value;
}

static int expect(const char *s, size_t n, size_t *i, char c)
{
    if (*i >= n || s[*i] != c)
        return 0;
    (*i)++;
    return 1;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

static int scan_date(const char *s, size_t n, size_t *i)
{
    int year = read_digits(s, n, i, 4);
    int month, day;
    if (year < 0 || !expect(s, n, i, '-'))
        return 0;
    month = read_digits(s, n, i, 2);
    if (month < 1 || month > 12 || !expect(s, n, i, '-'))
        return 0;
    day = read_digits(s, n, i, 2);
    return day >= 1 && day <= days_in_month(year, month);
}

static int scan_time(const char *s, size_t n, size_t *i)
{
    int hour = read_digits(s, n, i, 2);
    int minute, second, offset_hour = 0, offset_minute = 0, sign = 0;
    int utc_minutes;
    if (hour < 0 || hour > 23 || !expect(s, n, i, ':'))
        return 0;
    minute = read_digits(s, n, i, 2);
    if (minute < 0 || minute > 59 || !expect(s, n, i, ':'))
        return 0;
    second = read_digits(s, n, i, 2);
    if (second < 0 || second > 60)
        return 0;
    if (*i < n && s[*i] == '.') {
        size_t start = ++(*i);
        while (*i < n && is_digit(s[*i]))
            (*i)++;
        if (*i == start)
            return 0;
    }
    if (*i >= n)
        return 0;
    if (s[*i] == 'Z' || s[*i] == 'z') {
        (*i)++;
    }
    else if (s[*i] == '+' || s[*i] == '-') {
        sign = s[*i] == '+' ? 1 : -1;
        (*i)++;
        offset_hour = read_digits(s, n, i, 2);
        if (offset_hour < 0 || offset_hour > 23 || !expect(s, n, i, ':'))
            return 0;
        offset_minute = read_digits(s, n, i, 2);
        if (offset_minute < 0 || offset_minute > 59)
            return 0;
    }
    else {
        return 0;
    }
    if (second == 60) {
        /* A leap second exists only at 23:59:60 UTC. */
        utc_minutes = hour * 60 + minute - sign * (offset_hour * 60 + offset_minute);
        utc_minutes = ((utc_minutes % 1440) + 1440) % 1440;
        if (utc_minutes != 23 * 60 + 59)
            return 0;
    }
    return 1;
}

int oa_format_is_date(const char *s, size_t n)
{
    size_t i = 0;
    return scan_date(s, n, &i) && i == n;
}

int oa_format_is_time(const char *s, size_t n)
{
    size_t i = 0;
    return scan_time(s, n, &i) && i == n;
}

int oa_format_is_date_time(const char *s, size_t n)
{
    size_t i = 0;
    if (!scan_date(s, n, &i) || i >= n || (s[i] != 'T' && s[i] != 't'))
        return 0;
    i++;
    return scan_time(s, n, &i) && i == n;
}

static int is_hostname_range(const char *s, size_t n)
{
    size_t label = 0;
    size_t i;
    if (n == 0 || n > 253)
        return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '.') {
            if (label == 0 || s[i - 1] == '-')
                return 0;
            label = 0;
            continue;
        }
        if (!is_alpha(c) && !is_digit(c) && c != '-')
            return 0;
        if (c == '-' && label == 0)
            return 0;
        if (++label > 63)
            return 0;
    }
    return label > 0 && s[n - 1] != '-';
}

int oa_format_is_hostname(const char *s, size_t n)
{
    return is_hostname_range(s, n);
}

int oa_format_is_ipv4(const char *s, size_t n)
{
    size_t i = 0;
    int part;
    for (part = 0; part < 4; part++) {
        size_t start = i;
        int value = 0;
        if (part > 0 && !expect(s, n, &i, '.'))
            return 0;
        start = i;
        while (i < n && is_digit(s[i]) && i - start < 3)
            value = value * 10 + (s[i++] - '0');
        if (i == start || value > 255 || (s[start] == '0' && i - start > 1))
            return 0;
    }
    return i == n;
}

int oa_format_is_ipv6(const char *s, size_t n)
{
    size_t i = 0;
    int groups = 0;
    int compressed = 0;
    if (n < 2)
        return 0;
    if (s[0] == ':') {
        if (s[1] != ':')
            return 0;
        compressed = 1;
        i = 2;
        if (i == n)
            return 1;
    }
    while (i < n) {
        size_t start = i;
        while (i < n && is_hex(s[i]) && i - start < 5)
            i++;
        if (i < n && s[i] == '.') {
            /* an embedded IPv4 address takes the last two groups */
            if (!oa_format_is_ipv4(s + start, n - start))
                return 0;
            groups += 2;
            i = n;
            break;
        }
        if (i == start || i - start > 4)
            return 0;
        groups++;
        if (i == n)
            break;
        if (s[i] != ':')
            return 0;
        i++;
        if (i < n && s[i] == ':') {
            if (compressed)
                return 0;
            compressed = 1;
            i++;
            if (i == n)
                break;
        }
        else if (i == n) {
            return 0; /* trailing single colon */
        }
    }
    return compressed ? groups <= 7 : groups == 8;
}

int oa_format_is_email(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    size_t i;
    size_t local;
    int quoted = n > 0 && s[0] == '"';
    if (quoted) {
        /* RFC 5321 quoted-string: printable ASCII, backslash escapes */
        for (i = 1; i < n && s[i] != '"'; i++) {
            if (s[i] == '\\')
                i++;
            else if ((unsigned char)s[i] < ' ' || (unsigned char)s[i] > '~')
                return 0;
        }
        at = i + 1 < n && s[i + 1] == '@' ? s + i + 1 : NULL;
    }
    if (!at)
        return 0;
    local = (size_t)(at - s);
    if (local == 0 || local > 64 || s[0] == '.' || s[local - 1] == '.')
        return 0;
    for (i = 0; i < local && !quoted; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7f || strchr("()<>[]:;@\\,\"", c))
            return 0;
        if (c == '.' && s[i + 1] == '.')
            return 0;
    }
    if (n - local - 1 >= 2 && at[1] == '[' && s[n - 1] == ']') {
        const char *literal = at + 2;
        size_t literal_length = n - local - 3;
        if (literal_length > 5 && strncmp(literal, "IPv6:", 5) == 0)
            return oa_format_is_ipv6(literal + 5, literal_length - 5);
        return oa_format_is_ipv4(literal, literal_length);
    }
    return is_hostname_range(at + 1, n - local - 1);
}

/* RFC 3986 characters allowed outside percent-encodings in a URI; an IRI (RFC 3987)
 * also allows non-ASCII ones. */
static int is_uri_char(unsigned char c, int iri)
{
    return is_alpha((char)c) || is_digit((char)c) || (iri && c >= 0x80) ||
           (c && strchr("-._~:/?#[]@!$&'()*+,;=", c));
}

static int check_uri_chars(const char *s, size_t n, int iri)
{
    size_t i;
    int hashes = 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (i + 2 >= n || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
                return 0;
            i += 2;
            continue;
        }
        if (c == '#' && ++hashes > 1)
            return 0;
        if (!is_uri_char(c, iri))
            return 0;
    }
    return 1;
}

/* One userinfo at most, and a port of digits only. */
static int check_port(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    const char *host = at ? at + 1 : s;
    size_t host_length = n - (size_t)(host - s);
    const char *close = memchr(host, ']', host_length);
    const char *colon;
    if (at && memchr(host, '@', host_length))
        return 0;
    if (close) {
        host_length -= (size_t)(close + 1 - host);
        host = close + 1;
        if (host_length && host[0] != ':')
            return 0;
    }
    colon = memchr(host, ':', host_length);
    if (!colon)
        return 1;
    for (colon++; colon < host + host_length; colon++)
        if (!is_digit(*colon))
            return 0;
    return 1;
}

/* Brackets are only for an IP literal host: "//[v6]..." */
static int check_authority(const char *s, size_t n)
{
    size_t end = 0;
    const char *open;
    while (end < n && s[end] != '/' && s[end] != '?' && s[end] != '#')
        end++;
    open = memchr(s, '[', end);
    if (open) {
        const char *close = memchr(open, ']', end - (size_t)(open - s));
        if (!close || (open != s && open[-1] != '@'))
            return 0;
        if (!oa_format_is_ipv6(open + 1, (size_t)(close - open - 1)) &&
            !(close - open > 1 && (open[1] == 'v' || open[1] == 'V')))
            return 0;
    }
    else if (memchr(s, ']', end)) {
        return 0;
    }
    if (memchr(s + end, '[', n - end) || memchr(s + end, ']', n - end))
        return 0;
    return check_port(s, end);
}

static size_t scheme_length(const char *s, size_t n)
{
    size_t i = 0;
    if (n == 0 || !is_alpha(s[0]))
        return 0;
    while (i < n && (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '-' ||
                     s[i] == '.'))
        i++;
    return i < n && s[i] == ':' ? i : 0;
}

static int check_hierarchy(const char *s, size_t n, int iri)
{
    if (!check_uri_chars(s, n, iri))
        return 0;
    if (n >= 2 && s[0] == '/' && s[1] == '/')
        return check_authority(s + 2, n - 2);
    return !memchr(s, '[', n) && !memchr(s, ']', n);
}

static int is_absolute(const char *s, size_t n, int iri)
{
    size_t scheme = scheme_length(s, n);
    if (!scheme)
        return 0;
    return check_hierarchy(s + scheme + 1, n - scheme - 1, iri);
}

static int is_reference(const char *s, size_t n, int iri)
{
    size_t scheme = scheme_length(s, n);
    const char *colon;
    size_t first_segment = 0;
    if (scheme)
        return check_hierarchy(s + scheme + 1, n - scheme - 1, iri);
    /* a relative reference: its first segment must not hold a colon */
    while (first_segment < n && s[first_segment] != '/' && s[first_segment] != '?' &&
           s[first_segment] != '#')
        first_segment++;
    colon = memchr(s, ':', first_segment);
    if (colon)
        return 0;
    return check_hierarchy(s, n, iri);
}

int oa_format_is_uri(const char *s, size_t n)
{
    return is_absolute(s, n, 0);
}

int oa_format_is_uri_reference(const char *s, size_t n)
{
    return is_reference(s, n, 0);
}

int oa_format_is_iri(const char *s, size_t n)
{
    return is_absolute(s, n, 1);
}

int oa_format_is_iri_reference(const char *s, size_t n)
{
    return is_reference(s, n, 1);
}

int oa_format_is_uuid(const char *s, size_t n)
{
    size_t i;
    if (n != 36)
        return 0;
    for (i = 0; i < n; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        }
        else if (!is_hex(s[i])) {
            return 0;
        }
    }
    return 1;
}

int oa_format_is_base64(const char *s, size_t n)
{
    size_t i;
    size_t padding = 0;
    if (n % 4 != 0)
        return 0;
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (c == '=') {
            padding++;
            if (i + 2 < n)
                return 0;
            continue;
        }
        if (padding || !(is_alpha(c) || is_digit(c) || c == '+' || c == '/'))
            return 0;
    }
    return padding <= 2;
}

int oa_format_is_regex(const char *s, size_t n)
{
    int error;
    PCRE2_SIZE offset;
    pcre2_code *code;
    size_t i, length;
    int in_class = 0;
    char *translated;
    /* Perl escapes and groups ECMA-262 does not have: \A \Z ... \a, (?P<name>),
     * (?P=name), (?#comment), global flags (?i) */
    for (i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n) {
            if ((!in_class && s[i + 1] != '\0' && strchr("AZzGKRXhH", s[i + 1])) ||
                s[i + 1] == 'a')
                return 0;
            i++;
        }
        else if (!in_class && s[i] == '(' && i + 2 < n && s[i + 1] == '?') {
            size_t j = i + 2;
            if (s[j] == 'P' || s[j] == '#')
                return 0;
            while (j < n && strchr("imsx-", s[j]) && s[j] != '\0')
                j++;
            if (j > i + 2 && j < n && s[j] == ')')
                return 0;
        }
        else if (s[i] == '[') {
            in_class = 1;
        }
        else if (s[i] == ']') {
            in_class = 0;
        }
    }
    /* transient, at validation time: malloc like PCRE2 itself */
    translated = malloc(oa_regex_ecma_size(n));
    if (!translated)
        return 0;
    length = oa_regex_translate(translated, s, n);
    code = pcre2_compile((PCRE2_SPTR)translated, length,
                         PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY, &error, &offset,
                         NULL);
    free(translated);
    if (!code)
        return 0;
    pcre2_code_free(code);
    return 1;
}

/* ---- json_t adapters ---- */

#define STRING_CHECK(fn_name, test)                                                    \
    static int fn_name(const json_t *instance, void *baton)                           \
    {                                                                                  \
        (void)baton;                                                                   \
        return test(json_string_value(instance), json_string_length(instance));        \
    }

STRING_CHECK(check_date, oa_format_is_date)
STRING_CHECK(check_time, oa_format_is_time)
STRING_CHECK(check_date_time, oa_format_is_date_time)
STRING_CHECK(check_email, oa_format_is_email)
STRING_CHECK(check_hostname, oa_format_is_hostname)
STRING_CHECK(check_ipv4, oa_format_is_ipv4)
STRING_CHECK(check_ipv6, oa_format_is_ipv6)
STRING_CHECK(check_uri, oa_format_is_uri)
STRING_CHECK(check_uri_reference, oa_format_is_uri_reference)
STRING_CHECK(check_uuid, oa_format_is_uuid)
STRING_CHECK(check_base64, oa_format_is_base64)
STRING_CHECK(check_regex, oa_format_is_regex)
STRING_CHECK(check_json_pointer, oa_format_is_json_pointer)
STRING_CHECK(check_relative_json_pointer, oa_format_is_relative_json_pointer)
STRING_CHECK(check_duration, oa_format_is_duration)
STRING_CHECK(check_uri_template, oa_format_is_uri_template)
STRING_CHECK(check_iri, oa_format_is_iri)
STRING_CHECK(check_iri_reference, oa_format_is_iri_reference)

static int integral_in_range(const json_t *instance, double low, double high,
                             json_int_t low_int, json_int_t high_int)
{
    double value;
    if (json_is_integer(instance)) {
        json_int_t v = json_integer_value(instance);
        return v >= low_int && v <= high_int;
    }
    value = json_real_value(instance);
    return value == floor(value) && value >= low && value <= high;
}

static int check_int32(const json_t *instance, void *baton)
{
    (void)baton;
    return integral_in_range(instance, -2147483648.0, 2147483647.0, INT32_MIN, INT32_MAX);
}

static int check_int64(const json_t *instance, void *baton)
{
    (void)baton;
    /* 2^63 is the first double beyond int64 */
    return integral_in_range(instance, -9223372036854775808.0, 9223372036854774784.0,
                             INT64_MIN, INT64_MAX);
}

static int check_float(const json_t *instance, void *baton)
{
    (void)baton;
    return json_is_integer(instance) || fabs(json_real_value(instance)) <= FLT_MAX;
}

static const oa_format_def builtin_formats[] = {
    {"int32", check_int32, OA_FORMAT_NUMBERS},
    {"int64", check_int64, OA_FORMAT_NUMBERS},
    {"float", check_float, OA_FORMAT_NUMBERS},
    {"double", NULL, OA_FORMAT_NUMBERS},
    {"byte", check_base64, OA_FORMAT_STRINGS},
    {"binary", NULL, OA_FORMAT_STRINGS},
    {"password", NULL, OA_FORMAT_STRINGS},
    {"date", check_date, OA_FORMAT_STRINGS},
    {"time", check_time, OA_FORMAT_STRINGS},
    {"date-time", check_date_time, OA_FORMAT_STRINGS},
    {"email", check_email, OA_FORMAT_STRINGS},
    {"hostname", check_hostname, OA_FORMAT_STRINGS},
    {"ipv4", check_ipv4, OA_FORMAT_STRINGS},
    {"ipv6", check_ipv6, OA_FORMAT_STRINGS},
    {"uri", check_uri, OA_FORMAT_STRINGS},
    {"uri-reference", check_uri_reference, OA_FORMAT_STRINGS},
    {"uuid", check_uuid, OA_FORMAT_STRINGS},
    {"regex", check_regex, OA_FORMAT_STRINGS},
    {"json-pointer", check_json_pointer, OA_FORMAT_STRINGS},
    {"relative-json-pointer", check_relative_json_pointer, OA_FORMAT_STRINGS},
    {"duration", check_duration, OA_FORMAT_STRINGS},
    {"uri-template", check_uri_template, OA_FORMAT_STRINGS},
    {"iri", check_iri, OA_FORMAT_STRINGS},
    {"iri-reference", check_iri_reference, OA_FORMAT_STRINGS},
    {NULL, NULL, 0},
};

const oa_format_def *oa_format_builtins(void)
{
    return builtin_formats;
}
