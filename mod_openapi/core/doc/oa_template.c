/* Spec arguments (oa_template.h): placeholders filled in the raw text, so that a value
 * may stand anywhere (a key, part of a string, a number) as in Connexion. */
#include "doc/oa_template.h"

#include <apr_strings.h>
#include <string.h>
#include <sys/uio.h>

#include "doc/oa_parse.h"

static int is_name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(char c)
{
    return is_name_start(c) || (c >= '0' && c <= '9');
}

/* A placeholder at p ("{{ name }}"): its name in [*name, *name_end) and its end; NULL when
 * p does not start one. */
static const char *placeholder_at(const char *p, const char *end, const char **name,
                                  const char **name_end)
{
    if (end - p < 5 || p[0] != '{' || p[1] != '{')
        return NULL;
    p += 2;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (p >= end || !is_name_start(*p))
        return NULL;
    *name = p;
    while (p < end && is_name_char(*p))
        p++;
    *name_end = p;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    if (end - p < 2 || p[0] != '}' || p[1] != '}')
        return NULL;
    return p + 2;
}

static void note_line(apr_pool_t *pool, apr_hash_t *lines, int line, const char *name)
{
    const char *seen = apr_hash_get(lines, &line, sizeof(line));
    if (!seen)
        apr_hash_set(lines, apr_pmemdup(pool, &line, sizeof(line)), sizeof(line), name);
    else if (!strstr(seen, name))
        apr_hash_set(lines, apr_pmemdup(pool, &line, sizeof(line)), sizeof(line),
                     apr_pstrcat(pool, seen, ", ", name, NULL));
}

const char *oa_template_fill(apr_pool_t *pool, const char *path, const char *text,
                             apr_size_t length, oa_template_args *args, apr_hash_t **lines,
                             apr_size_t *out_length, oa_diag *diag)
{
    const char *end = text + length;
    const char *p = text;
    const char *copied = text; /* text before it is in out already */
    apr_array_header_t *out = NULL; /* of struct iovec; NULL while nothing was filled */
    struct iovec *piece;
    apr_hash_t *filled = apr_hash_make(pool);
    int line = 1;
    const char *line_start = text;
    int errors = 0;

    while (p < end) {
        const char *name;
        const char *name_end;
        const char *after;
        const char *key;
        const char *value;
        const char *brace = memchr(p, '{', (size_t)(end - p));
        const char *newline;
        /* lines are counted only up to a brace: a spec without placeholders is two
         * memchr passes */
        while ((newline = memchr(p, '\n', (size_t)((brace ? brace : end) - p))) != NULL) {
            line++;
            p = line_start = newline + 1;
        }
        if (!brace)
            break;
        p = brace;
        after = placeholder_at(p, end, &name, &name_end);
        if (!after) {
            p++;
            continue;
        }
        args->found = 1;
        if (args->defer)
            return NULL;
        key = apr_pstrmemdup(pool, name, (apr_size_t)(name_end - name));
        value = args->values ? apr_hash_get(args->values, key, APR_HASH_KEY_STRING) : NULL;
        if (!value) {
            oa_diag_add(diag, path, line, (int)(p - line_start) + 1,
                        "spec argument '%s' has no value (OpenAPIArgument %s VALUE, or "
                        "--arg %s=VALUE)", key, key, key);
            errors++;
            p = after;
            continue;
        }
        if (!out)
            out = apr_array_make(pool, 16, sizeof(struct iovec));
        piece = apr_array_push(out);
        piece->iov_base = (void *)copied;
        piece->iov_len = (size_t)(p - copied);
        piece = apr_array_push(out);
        piece->iov_base = (void *)value;
        piece->iov_len = strlen(value);
        note_line(pool, filled, line, key);
        p = copied = after;
    }
    if (errors)
        return NULL;
    if (lines)
        *lines = filled;
    if (!out) {
        *out_length = length;
        return text;
    }
    piece = apr_array_push(out);
    piece->iov_base = (void *)copied;
    piece->iov_len = (size_t)(end - copied);
    return apr_pstrcatv(pool, (const struct iovec *)out->elts, (apr_size_t)out->nelts,
                        out_length);
}

json_t *oa_template_parse_file(apr_pool_t *pool, const char *path, oa_template_args *args,
                               oa_posmap **positions, oa_diag *diag)
{
    oa_template_args none = {NULL, 0, 0, 0};
    apr_pool_t *scratch; /* the file's text and the filled text: only the tree stays */
    apr_size_t length;
    const char *raw;
    const char *text;
    apr_hash_t *lines = NULL;
    int before = oa_diag_count(diag);
    json_t *root;
    int i;
    if (!args)
        args = &none;
    apr_pool_create(&scratch, pool);
    raw = oa_parse_read_file(scratch, path, &length, diag);
    text = raw ? oa_template_fill(scratch, path, raw, length, args, &lines, &length, diag)
               : NULL;
    if (!text) {
        apr_pool_destroy(scratch);
        return NULL;
    }
    root = oa_parse_buffer_ex(pool, path, text, length, args->parse_flags, positions, diag);
    /* a parse error where a value went in names the argument */
    for (i = before; !root && lines && i < diag->entries->nelts; i++) {
        oa_diag_entry *entry = &APR_ARRAY_IDX(diag->entries, i, oa_diag_entry);
        const char *names = apr_hash_get(lines, &entry->line, sizeof(entry->line));
        if (names && entry->file && strcmp(entry->file, path) == 0)
            entry->message = apr_psprintf(diag->pool, "%s (the line has spec argument %s "
                                          "filled in)", entry->message, names);
    }
    apr_pool_destroy(scratch);
    return root;
}

json_t *oa_template_file_loader(void *baton, oa_docset *set, const char *uri,
                                oa_posmap **positions, oa_diag *diag)
{
    apr_pool_t *pool = oa_docset_pool(set);
    const char *path = oa_uri_to_path(pool, uri);
    if (!path) {
        oa_diag_add(diag, NULL, 0, 0,
                    "cannot fetch '%s': only files (relative or file:// references) are read",
                    uri);
        return NULL;
    }
    return oa_template_parse_file(pool, path, baton, positions, diag);
}
