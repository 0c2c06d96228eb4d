/* RFC 7240 Prefer (oa_prefer.h). */
#include "response/oa_prefer.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>
#include <strings.h>

static const char *skip_space(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static int is_token_char(char c)
{
    return c && !strchr(" \t\",;=()<>@:\\/[]?{}", c) && (unsigned char)c > 0x20 &&
           (unsigned char)c < 0x7f;
}

/* A token or quoted string at p: its text in *word (NULL when there is neither); returns
 * where it ends. */
static const char *read_word(apr_pool_t *pool, const char *p, const char **word)
{
    const char *start = p;
    *word = NULL;
    if (*p == '"') {
        char *out = apr_palloc(pool, strlen(p));
        char *q = out;
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && p[1])
                p++;
            *q++ = *p;
        }
        *q = '\0';
        if (*p == '"') {
            *word = out;
            p++;
        }
        return p;
    }
    while (is_token_char(*p))
        p++;
    if (p > start)
        *word = apr_pstrmemdup(pool, start, (apr_size_t)(p - start));
    return p;
}

static void apply(oa_prefer *prefer, const char *name, const char *value, int *seen)
{
    if (strcasecmp(name, "code") == 0 && !(*seen & 1)) {
        *seen |= 1;
        if (value && strlen(value) == 3 && apr_isdigit(value[0]) && apr_isdigit(value[1]) &&
            apr_isdigit(value[2]) && value[0] >= '1' && value[0] <= '5')
            prefer->code = (int)apr_atoi64(value);
    }
    else if (strcasecmp(name, "example") == 0 && !(*seen & 2)) {
        *seen |= 2;
        if (value && *value)
            prefer->example = value;
    }
    else if (strcasecmp(name, "dynamic") == 0 && !(*seen & 4)) {
        *seen |= 4;
        if (value && strcasecmp(value, "true") == 0)
            prefer->dynamic = 1;
        else if (value && strcasecmp(value, "false") == 0)
            prefer->dynamic = 0;
    }
}

void oa_prefer_parse(apr_pool_t *pool, const char *header, oa_prefer *prefer)
{
    const char *p = header;
    int seen = 0;
    prefer->code = 0;
    prefer->example = NULL;
    prefer->dynamic = -1;
    while (p && *p) {
        const char *name;
        const char *value = NULL;
        p = read_word(pool, skip_space(p), &name);
        p = skip_space(p);
        if (name && *p == '=') {
            p = read_word(pool, skip_space(p + 1), &value);
            if (!value)
                name = NULL; /* "code=" with nothing usable */
        }
        if (name)
            apply(prefer, name, value, &seen);
        /* parameters and anything malformed: up to the next preference */
        while (*p && *p != ',') {
            if (*p == '"') {
                const char *ignored;
                p = read_word(pool, p, &ignored);
            }
            else
                p++;
        }
        if (*p == ',')
            p++;
    }
}
