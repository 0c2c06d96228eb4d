/* libFuzzer target for the document loader: YAML/JSON parsing with positions and $ref
 * resolution across an in-memory multi-file docset (fuzz_docs.h: documents split at NUL
 * bytes). Every "$ref" string the root reaches is resolved (across documents, with JSON
 * pointers and anchors), and each target's position looked up. A refused document or
 * reference must say why. Built by `make fuzz`, run by run.sh. */
#include <apr_general.h>
#include <stdlib.h>

#include "fuzz_docs.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* bounds the walk: aliases may share one node many times */
#define MAX_VISITS 4096

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}

static void resolve_refs(oa_docset *set, const char *base, json_t *node, int depth,
                         int *visits)
{
    json_t *ref;
    if (++*visits > MAX_VISITS || depth > 64)
        return;
    if (json_is_object(node)) {
        const char *key;
        json_t *value;
        ref = json_object_get(node, "$ref");
        if (json_is_string(ref)) {
            oa_diag *diag = oa_diag_create(oa_docset_pool(set));
            const char *target_base = NULL;
            json_t *target = oa_docset_resolve(set, base, json_string_value(ref),
                                               &target_base, diag);
            oa_position position;
            if (!target && oa_diag_count(diag) != 1)
                abort(); /* a broken reference gets exactly one error */
            if (target) {
                if (!target_base)
                    abort();
                (void)oa_docset_position(set, target, &position);
            }
        }
        json_object_foreach(node, key, value)
            resolve_refs(set, base, value, depth + 1, visits);
    }
    else if (json_is_array(node)) {
        size_t i;
        json_t *value;
        json_array_foreach(node, i, value)
            resolve_refs(set, base, value, depth + 1, visits);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_docs docs;
    apr_pool_t *pool;
    oa_docset *set;
    oa_diag *diag;
    json_t *root;
    int visits = 0;
    const char *uri;

    fuzz_docs_split(&docs, data, size);
    apr_pool_create(&pool, NULL);
    set = oa_docset_create(pool, fuzz_docs_loader, &docs);
    diag = oa_diag_create(pool);
    uri = fuzz_doc_uri(pool, 0);
    root = oa_docset_get(set, uri, diag);
    if (!root) {
        if (oa_diag_count(diag) == 0)
            abort(); /* a refused document must say why */
        (void)oa_diag_join(pool, diag, "\n");
    }
    else {
        resolve_refs(set, uri, root, 0, &visits);
        (void)oa_json_pointer_get(pool, root, "/paths/~1a/get", 0);
    }
    apr_pool_destroy(pool);
    return 0;
}
