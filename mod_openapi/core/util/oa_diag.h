/* Diagnostics: errors found in a spec or document, each with file, line and column. */
#ifndef OA_DIAG_H
#define OA_DIAG_H

#include <apr_pools.h>
#include <apr_tables.h>

typedef struct oa_diag_entry {
    const char *file;   /* NULL when not tied to a file */
    int line;           /* 1-based; 0 when unknown */
    int column;         /* 1-based; 0 when unknown */
    const char *message;
} oa_diag_entry;

typedef struct oa_diag {
    apr_pool_t *pool;
    apr_array_header_t *entries; /* of oa_diag_entry */
    struct apr_hash_t *seen;     /* "FILE:LINE:COL: message" of each entry (NULL: none yet) */
} oa_diag;

oa_diag *oa_diag_create(apr_pool_t *pool);

/* Records an error; the message is formatted into the diag pool. An error already
 * recorded (same position, same message) is not added again: a broken $ref that many
 * places reach is reported once. */
void oa_diag_add(oa_diag *diag, const char *file, int line, int column,
                 const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

int oa_diag_count(const oa_diag *diag);

/* "FILE:LINE:COL: message" (parts that are unknown are left out). */
const char *oa_diag_format(apr_pool_t *pool, const oa_diag_entry *entry);

/* Entry index formatted as above; NULL when there is no such entry. */
const char *oa_diag_line(apr_pool_t *pool, const oa_diag *diag, int index);

/* Every entry formatted as above, joined with separator ("" when there is none): what a
 * tool prints or a caller logs, the core itself printing nothing. */
const char *oa_diag_join(apr_pool_t *pool, const oa_diag *diag, const char *separator);

#endif
