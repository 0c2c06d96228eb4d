#include "util/oa_diag.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <stdarg.h>
#include <string.h>

oa_diag *oa_diag_create(apr_pool_t *pool)
{
    oa_diag *diag = apr_pcalloc(pool, sizeof(*diag));
    diag->pool = pool;
    /* most diagnostics stay empty (made to ignore what a lookup says, often per node or
     * per operation): room for one entry, and the table of seen ones made on the first */
    diag->entries = apr_array_make(pool, 1, sizeof(oa_diag_entry));
    return diag;
}

void oa_diag_add(oa_diag *diag, const char *file, int line, int column,
                 const char *fmt, ...)
{
    va_list ap;
    oa_diag_entry entry;
    const char *key;
    entry.file = file ? apr_pstrdup(diag->pool, file) : NULL;
    entry.line = line;
    entry.column = column;
    va_start(ap, fmt);
    entry.message = apr_pvsprintf(diag->pool, fmt, ap);
    va_end(ap);
    key = apr_psprintf(diag->pool, "%s:%d:%d: %s", file ? file : "", line, column,
                       entry.message);
    if (!diag->seen)
        diag->seen = apr_hash_make(diag->pool);
    if (apr_hash_get(diag->seen, key, APR_HASH_KEY_STRING))
        return;
    apr_hash_set(diag->seen, key, APR_HASH_KEY_STRING, key);
    *(oa_diag_entry *)apr_array_push(diag->entries) = entry;
}

int oa_diag_count(const oa_diag *diag)
{
    return diag->entries->nelts;
}

const char *oa_diag_format(apr_pool_t *pool, const oa_diag_entry *entry)
{
    if (!entry->file)
        return entry->message;
    if (entry->line <= 0)
        return apr_psprintf(pool, "%s: %s", entry->file, entry->message);
    if (entry->column <= 0)
        return apr_psprintf(pool, "%s:%d: %s", entry->file, entry->line, entry->message);
    return apr_psprintf(pool, "%s:%d:%d: %s", entry->file, entry->line, entry->column,
                        entry->message);
}

const char *oa_diag_line(apr_pool_t *pool, const oa_diag *diag, int index)
{
    if (index < 0 || index >= diag->entries->nelts)
        return NULL;
    return oa_diag_format(pool, &APR_ARRAY_IDX(diag->entries, index, oa_diag_entry));
}

const char *oa_diag_join(apr_pool_t *pool, const oa_diag *diag, const char *separator)
{
    struct iovec *parts;
    int count = diag->entries->nelts;
    int i;
    if (count == 0)
        return "";
    parts = apr_palloc(pool, sizeof(*parts) * (size_t)(2 * count - 1));
    for (i = 0; i < count; i++) {
        const char *line = oa_diag_line(pool, diag, i);
        if (i > 0) {
            parts[2 * i - 1].iov_base = (void *)separator;
            parts[2 * i - 1].iov_len = strlen(separator);
        }
        parts[2 * i].iov_base = (void *)line;
        parts[2 * i].iov_len = strlen(line);
    }
    return apr_pstrcatv(pool, parts, (apr_size_t)(2 * count - 1), NULL);
}
