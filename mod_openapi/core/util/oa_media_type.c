/* Media types: splitting, comparing, "is it JSON", parameters. Callers in every stage
 * (request bodies, multipart parts, negotiation, responses) share these, so that a type
 * is read the same way wherever it appears. */
#include "util/oa_media_type.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>
#include <strings.h>

/* RFC 9110 section 5.6.2 tchar */
static int is_tchar(char c)
{
    return apr_isalnum(c) || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static const char *skip_ows(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

size_t oa_media_token_length(const char *p)
{
    size_t n = 0;
    while (is_tchar(p[n]))
        n++;
    return n;
}

int oa_media_type_split(const char *text, oa_media_essence *essence)
{
    const char *p;
    if (!text)
        return 0;
    p = skip_ows(text);
    essence->type = p;
    essence->type_length = oa_media_token_length(p);
    p += essence->type_length;
    if (!essence->type_length || *p != '/')
        return 0;
    p++;
    essence->subtype = p;
    essence->subtype_length = oa_media_token_length(p);
    p += essence->subtype_length;
    if (!essence->subtype_length)
        return 0;
    p = skip_ows(p);
    return *p == '\0' || *p == ';';
}

static int part_is_star(const char *s, size_t n)
{
    return n == 1 && s[0] == '*';
}

static int part_equals(const char *a, size_t a_length, const char *b, size_t b_length)
{
    return a_length == b_length && strncasecmp(a, b, a_length) == 0;
}

int oa_media_essence_is(const oa_media_essence *split, const char *essence)
{
    const char *slash = strchr(essence, '/');
    return slash &&
           part_equals(split->type, split->type_length, essence, (size_t)(slash - essence)) &&
           part_equals(split->subtype, split->subtype_length, slash + 1, strlen(slash + 1));
}

int oa_media_type_is(const char *text, const char *essence)
{
    oa_media_essence t;
    return oa_media_type_split(text, &t) && oa_media_essence_is(&t, essence);
}

int oa_media_type_matches(const char *range, const char *type)
{
    oa_media_essence r;
    oa_media_essence t;
    if (!oa_media_type_split(range, &r) || !oa_media_type_split(type, &t))
        return 0;
    if (part_is_star(r.type, r.type_length) && !part_is_star(r.subtype, r.subtype_length))
        return 0;
    return (part_is_star(r.type, r.type_length) ||
            part_equals(r.type, r.type_length, t.type, t.type_length)) &&
           (part_is_star(r.subtype, r.subtype_length) ||
            part_equals(r.subtype, r.subtype_length, t.subtype, t.subtype_length));
}

int oa_media_type_select(const char *content_type, const void *list, int count,
                         const char *(*name_of)(const void *list, int i))
{
    oa_media_essence type;
    int best = -1, best_rank = 0, i;
    if (!oa_media_type_split(content_type, &type))
        return -1;
    for (i = 0; i < count; i++) {
        const char *name = name_of(list, i);
        oa_media_essence declared;
        int rank;
        if (!oa_media_type_split(name, &declared) || !oa_media_type_matches(name, content_type))
            continue;
        if (!part_is_star(declared.subtype, declared.subtype_length))
            rank = 3;
        else
            rank = part_is_star(declared.type, declared.type_length) ? 1 : 2;
        if (rank > best_rank) {
            best = i;
            best_rank = rank;
        }
    }
    return best;
}

int oa_media_type_in_list(const char *list, const char *type)
{
    char range[256];
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n < sizeof(range)) {
            memcpy(range, p, n);
            range[n] = '\0';
            if (oa_media_type_matches(range, type))
                return 1;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

int oa_media_type_is_json(const char *type)
{
    oa_media_essence t;
    static const char suffix[] = "+json";
    const size_t suffix_length = sizeof(suffix) - 1;
    if (!oa_media_type_split(type, &t))
        return 0;
    if (part_equals(t.type, t.type_length, "application", 11) &&
        part_equals(t.subtype, t.subtype_length, "json", 4))
        return 1;
    return t.subtype_length > suffix_length &&
           strncasecmp(t.subtype + t.subtype_length - suffix_length, suffix, suffix_length) == 0;
}

const char *oa_media_quoted_string(apr_pool_t *pool, const char **p)
{
    const char *start = *p + 1;
    const char *s;
    size_t length = 0;
    char *out;
    size_t n = 0;
    for (s = start; *s != '"'; s++, length++) {
        if (*s == '\\')
            s++;
        if (*s == '\0')
            return NULL;
    }
    out = apr_palloc(pool, length + 1);
    for (s = start; *s != '"'; s++) {
        if (*s == '\\')
            s++;
        out[n++] = *s;
    }
    out[n] = '\0';
    *p = s + 1;
    return out;
}

const char *oa_media_parameter(apr_pool_t *pool, const char *header_value, const char *name,
                               const char **error)
{
    size_t name_length = strlen(name);
    const char *found = NULL;
    const char *p = strchr(header_value, ';');
    /* The whole value is read even after a match, so that a later unterminated quote
     * is never read leniently. */
    while (p && *p == ';') {
        const char *key;
        size_t key_length;
        const char *value;
        p = skip_ows(p + 1);
        key = p;
        key_length = strcspn(p, "=; \t");
        p = skip_ows(p + key_length);
        if (*p != '=') {
            p = strchr(p, ';');
            continue;
        }
        p = skip_ows(p + 1);
        if (*p == '"') {
            value = oa_media_quoted_string(pool, &p);
            if (!value) {
                if (error)
                    *error = apr_psprintf(pool, "the quoted value of parameter '%.*s' is not "
                                          "terminated", (int)(key_length > 64 ? 64 : key_length),
                                          key);
                return NULL;
            }
        }
        else {
            size_t value_length = strcspn(p, "; \t");
            value = apr_pstrmemdup(pool, p, value_length);
            p += value_length;
        }
        if (!found && key_length == name_length && strncasecmp(key, name, name_length) == 0)
            found = value;
        p = strchr(p, ';');
    }
    return found;
}
