/* Content negotiation: Accept parsing and choosing a response media type. */
#include "response/oa_negotiate.h"

#include "util/oa_media_type.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>

static const char *skip_ows(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static const char *lower_dup(apr_pool_t *pool, const char *s, size_t n)
{
    char *copy = apr_pstrmemdup(pool, s, n);
    size_t i;
    for (i = 0; i < n; i++)
        copy[i] = (char)apr_tolower(copy[i]);
    return copy;
}

static int is_star(const char *s)
{
    return s[0] == '*' && s[1] == '\0';
}

/* Past the next ',' outside a quoted string, or at the end: where the next list element
 * starts, whatever state the current one was left in. */
static const char *next_element(const char *p)
{
    int quoted = 0;
    for (; *p; p++) {
        if (quoted) {
            if (*p == '\\' && p[1])
                p++;
            else if (*p == '"')
                quoted = 0;
        }
        else if (*p == '"') {
            quoted = 1;
        }
        else if (*p == ',') {
            return p + 1;
        }
    }
    return p;
}

/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ), in thousandths. */
static int parse_qvalue(const char *s, int *quality)
{
    int value;
    int scale = 100;
    if (s[0] != '0' && s[0] != '1')
        return 0;
    value = (s[0] - '0') * OA_QUALITY_MAX;
    s++;
    if (*s == '.') {
        int digits = 0;
        for (s++; apr_isdigit(*s); s++) {
            if (++digits > 3)
                return 0;
            value += (*s - '0') * scale;
            scale /= 10;
        }
    }
    if (*s != '\0' || value > OA_QUALITY_MAX)
        return 0;
    *quality = value;
    return 1;
}

/* Parses one media range (with parameters and q) starting at p; *end is set to the ','
 * or the end of text that follows it. Returns 0 when the element is malformed.
 * with_quality = 0 treats "q" as an ordinary parameter (media types the spec offers). */
static int parse_range(apr_pool_t *pool, const char *p, int with_quality, const char **end,
                       oa_media_range *range)
{
    size_t n;
    int seen_quality = 0;

    memset(range, 0, sizeof(*range));
    range->quality = OA_QUALITY_MAX;
    p = skip_ows(p);
    n = oa_media_token_length(p);
    if (!n)
        return 0;
    range->type = lower_dup(pool, p, n);
    p += n;
    if (*p != '/')
        return 0;
    p++;
    n = oa_media_token_length(p);
    if (!n)
        return 0;
    range->subtype = lower_dup(pool, p, n);
    p += n;
    if (is_star(range->type) && !is_star(range->subtype))
        return 0;

    for (;;) {
        const char *name;
        size_t name_length;
        const char *value;
        p = skip_ows(p);
        if (*p == ',' || *p == '\0')
            break;
        if (*p != ';')
            return 0;
        p = skip_ows(p + 1);
        if (*p == ';')
            continue; /* RFC 9110: parameters = *( OWS ";" OWS [ parameter ] ) */
        if (*p == ',' || *p == '\0')
            break;
        name = p;
        name_length = oa_media_token_length(p);
        if (!name_length)
            return 0;
        p += name_length;
        if (*p != '=')
            return 0;
        p++;
        if (*p == '"') {
            value = oa_media_quoted_string(pool, &p);
            if (!value)
                return 0;
        }
        else {
            n = oa_media_token_length(p);
            if (!n)
                return 0;
            value = apr_pstrmemdup(pool, p, n);
            p += n;
        }
        if (with_quality && name_length == 1 && apr_tolower(*name) == 'q') {
            if (seen_quality)
                continue;
            if (!parse_qvalue(value, &range->quality))
                return 0;
            seen_quality = 1;
            continue;
        }
        if (seen_quality)
            continue; /* accept-ext (RFC 7231): not part of the range */
        if (range->param_count == OA_ACCEPT_MAX_PARAMS)
            return 0;
        range->param_names[range->param_count] = lower_dup(pool, name, name_length);
        range->param_values[range->param_count] = value;
        range->param_count++;
    }
    *end = p;
    return 1;
}

/* A media type written alone (no list around it). */
static int parse_single(apr_pool_t *pool, const char *text, oa_media_range *range)
{
    const char *end;
    return text && parse_range(pool, text, 0, &end, range) && *end == '\0';
}

oa_accept *oa_accept_parse(apr_pool_t *pool, const char *header)
{
    oa_accept *accept = apr_pcalloc(pool, sizeof(*accept));
    const char *p = header;
    if (!p)
        return accept;
    while (*p && accept->count < OA_ACCEPT_MAX_RANGES) {
        const char *end;
        oa_media_range *range = &accept->ranges[accept->count];
        if (parse_range(pool, p, 1, &end, range) && (*end == ',' || *end == '\0'))
            accept->count++;
        p = next_element(p);
    }
    return accept;
}

static int specificity(const oa_media_range *range)
{
    if (is_star(range->type))
        return 0;
    if (is_star(range->subtype))
        return 1;
    return 2 + range->param_count;
}

static int has_param(const oa_media_range *type, const char *name, const char *value)
{
    int i;
    for (i = 0; i < type->param_count; i++) {
        if (strcmp(type->param_names[i], name) != 0)
            continue;
        /* charset values are case-insensitive (RFC 9110 section 8.3.2) */
        return strcmp(name, "charset") == 0 ? strcasecmp(type->param_values[i], value) == 0
                                            : strcmp(type->param_values[i], value) == 0;
    }
    return 0;
}

static int range_matches(const oa_media_range *range, const oa_media_range *type)
{
    int i;
    if (!is_star(range->type) && strcmp(range->type, type->type) != 0)
        return 0;
    if (!is_star(range->subtype) && strcmp(range->subtype, type->subtype) != 0)
        return 0;
    for (i = 0; i < range->param_count; i++)
        if (!has_param(type, range->param_names[i], range->param_values[i]))
            return 0;
    return 1;
}

/* Quality of a concrete type and the specificity of the range that gave it (-1 when no
 * range matched). */
static int quality_of(const oa_accept *accept, const oa_media_range *type, int *spec_out)
{
    int best = -1;
    int quality = 0;
    int i;
    for (i = 0; i < accept->count; i++) {
        const oa_media_range *range = &accept->ranges[i];
        int spec = specificity(range);
        if (spec > best && range_matches(range, type)) {
            best = spec;
            quality = range->quality;
        }
    }
    *spec_out = best;
    return quality;
}

int oa_accept_quality(apr_pool_t *pool, const oa_accept *accept, const char *type)
{
    oa_media_range parsed;
    int spec;
    if (accept->count == 0)
        return OA_QUALITY_MAX;
    if (!parse_single(pool, type, &parsed))
        return 0;
    return quality_of(accept, &parsed, &spec);
}

/* "type/subtype;name=value" as the header wrote it, q left out. */
static const char *format_range(apr_pool_t *pool, const oa_media_range *range)
{
    const char *text = apr_pstrcat(pool, range->type, "/", range->subtype, NULL);
    int i;
    for (i = 0; i < range->param_count; i++) {
        const char *value = range->param_values[i];
        int plain = *value != '\0' && oa_media_token_length(value) == strlen(value);
        if (!plain) {
            /* re-quote, escaping what needs it */
            size_t n = strlen(value);
            char *quoted = apr_palloc(pool, 2 * n + 3);
            size_t k = 0;
            size_t j;
            quoted[k++] = '"';
            for (j = 0; j < n; j++) {
                if (value[j] == '"' || value[j] == '\\')
                    quoted[k++] = '\\';
                quoted[k++] = value[j];
            }
            quoted[k++] = '"';
            quoted[k] = '\0';
            value = quoted;
        }
        text = apr_pstrcat(pool, text, ";", range->param_names[i], "=", value, NULL);
    }
    return text;
}

typedef struct candidate {
    int quality;
    int spec;
    int index;
    const char *type;
} candidate;

static void consider(candidate *best, int quality, int spec, int index, const char *type)
{
    if (quality <= 0)
        return;
    if (best->type && (quality < best->quality ||
                       (quality == best->quality && spec <= best->spec)))
        return; /* ties go to what came first */
    best->quality = quality;
    best->spec = spec;
    best->index = index;
    best->type = type;
}

static int covers(const oa_media_range *range, const oa_media_range *type)
{
    return (is_star(range->type) || strcmp(range->type, type->type) == 0) &&
           (is_star(range->subtype) || strcmp(range->subtype, type->subtype) == 0);
}

static int overlaps(const oa_media_range *a, const oa_media_range *b)
{
    return (is_star(a->type) || is_star(b->type) || strcmp(a->type, b->type) == 0) &&
           (is_star(a->subtype) || is_star(b->subtype) || strcmp(a->subtype, b->subtype) == 0);
}

/* An offered range: the header's concrete types under it, else the range itself. */
static void consider_offered_range(apr_pool_t *pool, const oa_accept *accept,
                                   const oa_media_range *offered, const char *written,
                                   int index, candidate *best)
{
    int named = 0;
    int best_spec = -1;
    int quality = 0;
    int i;
    for (i = 0; i < accept->count; i++) {
        const oa_media_range *range = &accept->ranges[i];
        int spec;
        int q;
        if (specificity(range) < 2 || !covers(offered, range))
            continue;
        named = 1;
        q = quality_of(accept, range, &spec);
        if (q > 0)
            consider(best, q, spec, index, format_range(pool, range));
    }
    if (named)
        return;
    for (i = 0; i < accept->count; i++) {
        const oa_media_range *range = &accept->ranges[i];
        int spec = specificity(range);
        if (spec > best_spec && overlaps(range, offered)) {
            best_spec = spec;
            quality = range->quality;
        }
    }
    if (best_spec >= 0)
        consider(best, quality, best_spec, index, written);
}

const char *oa_negotiate(apr_pool_t *pool, const char *accept_header,
                         const char *const *offered, int offered_count, int *index_out)
{
    oa_accept *accept;
    candidate best;
    int i;

    if (index_out)
        *index_out = -1;
    if (!offered || offered_count <= 0)
        return NULL;
    /* No header: the first offered type, without building a parse (as below). */
    if (!accept_header || !*accept_header) {
        if (index_out)
            *index_out = 0;
        return offered[0];
    }
    accept = oa_accept_parse(pool, accept_header);
    if (accept->count == 0) {
        if (index_out)
            *index_out = 0;
        return offered[0];
    }
    memset(&best, 0, sizeof(best));
    for (i = 0; i < offered_count; i++) {
        oa_media_range type;
        int spec;
        int quality;
        if (!parse_single(pool, offered[i], &type))
            continue;
        if (specificity(&type) < 2) {
            consider_offered_range(pool, accept, &type, offered[i], i, &best);
            continue;
        }
        quality = quality_of(accept, &type, &spec);
        consider(&best, quality, spec, i, offered[i]);
    }
    if (best.type && index_out)
        *index_out = best.index;
    return best.type;
}
