/* An in-memory multi-file docset for the fuzz targets: the input is split at NUL bytes
 * into documents named mem:///doc0.yaml (the root), mem:///doc1.yaml, ... (at most
 * FUZZ_MAX_DOCS); a $ref such as "doc1.yaml#/a" reaches the second one. Documents are
 * parsed (YAML or JSON) only when the docset asks for them, as files are. */
#ifndef FUZZ_DOCS_H
#define FUZZ_DOCS_H

#include <apr_strings.h>
#include <stdint.h>
#include <string.h>

#include "doc/oa_docset.h"
#include "doc/oa_parse.h"

#define FUZZ_MAX_DOCS 4

typedef struct fuzz_docs {
    int count;
    const char *text[FUZZ_MAX_DOCS];
    size_t length[FUZZ_MAX_DOCS];
} fuzz_docs;

static void fuzz_docs_split(fuzz_docs *docs, const uint8_t *data, size_t size)
{
    const char *at = (const char *)data;
    const char *end = at + size;
    docs->count = 0;
    while (docs->count < FUZZ_MAX_DOCS) {
        const char *nul = memchr(at, '\0', (size_t)(end - at));
        const char *stop = nul ? nul : end;
        docs->text[docs->count] = at;
        docs->length[docs->count] = (size_t)(stop - at);
        docs->count++;
        if (!nul)
            break;
        at = nul + 1;
    }
}

static const char *fuzz_doc_uri(apr_pool_t *pool, int index)
{
    return apr_psprintf(pool, "mem:///doc%d.yaml", index);
}

static json_t *fuzz_docs_loader(void *baton, oa_docset *set, const char *uri,
                                oa_posmap **positions, oa_diag *diag)
{
    const fuzz_docs *docs = baton;
    apr_pool_t *pool = oa_docset_pool(set);
    int i;
    for (i = 0; i < docs->count; i++) {
        if (strcmp(uri, fuzz_doc_uri(pool, i)) == 0)
            return oa_parse_buffer(pool, uri, docs->text[i], docs->length[i], positions,
                                   diag);
    }
    oa_diag_add(diag, NULL, 0, 0, "no document '%s'", uri);
    return NULL;
}

#endif
