/* libFuzzer target for the document loader: YAML/JSON parsing with positions and $ref
 * resolution across an in-memory multi-file docset (fuzz_docs.h: documents split at NUL
 * bytes). Every "$ref" string the root reaches is resolved (across documents, with JSON
 * pointers and anchors) and followed, and each target's position looked up; then the set
 * is frozen and every answer must be the same. A refused document or reference must say
 * why. The root, when it is JSON, must read alike by the JSON reader and the YAML one
 * (OA_PARSE_BY_YAML), shared subtrees or not. Built by `make fuzz`, run by run.sh. */
#include <apr_hash.h>
#include <stdlib.h>

#include "doc/oa_json_check.h"
#include "fuzz_apr.h"
#include "fuzz_docs.h"

/* bounds the walk: aliases may share one node many times */
#define MAX_VISITS 4096

/* Resolves every "$ref" below node; the first pass (frozen == 0) may load documents and
 * records each answer in seen, the second (after oa_docset_freeze) must give the same. */
static void resolve_refs(oa_docset *set, apr_hash_t *seen, int frozen, const char *base,
                         json_t *node, int depth, int *visits)
{
    json_t *ref;
    if (++*visits > MAX_VISITS || depth > 64)
        return;
    if (json_is_object(node)) {
        const char *key;
        json_t *value;
        ref = json_object_get(node, "$ref");
        if (json_is_string(ref)) {
            apr_pool_t *pool = apr_hash_pool_get(seen);
            oa_diag *diag = oa_diag_create(pool);
            const char *target_base = NULL;
            json_t *target = oa_docset_resolve(set, pool, base, json_string_value(ref),
                                               &target_base, diag);
            void *answer = target ? (void *)target : (void *)set;
            json_t *followed;
            oa_position position;
            if (!target && oa_diag_count(diag) == 0)
                abort(); /* a broken reference says why */
            if (target && !target_base)
                abort();
            if (target)
                (void)oa_docset_position(set, target, &position);
            /* keyed by the node's address (the pointer's own bytes) */
            if (!frozen)
                apr_hash_set(seen, apr_pmemdup(pool, &node, sizeof(node)), sizeof(node),
                             answer);
            else if (apr_hash_get(seen, &node, sizeof(node)) != answer)
                abort(); /* a frozen set answers as it did while loading */
            followed = oa_docset_follow(set, pool, node, base, &target_base,
                                        oa_diag_create(pool));
            if (followed && json_is_string(json_object_get(followed, "$ref")))
                abort(); /* following ends at a node that is not a $ref */
        }
        json_object_foreach(node, key, value)
            resolve_refs(set, seen, frozen, base, value, depth + 1, visits);
    }
    else if (json_is_array(node)) {
        size_t i;
        json_t *value;
        json_array_foreach(node, i, value)
            resolve_refs(set, seen, frozen, base, value, depth + 1, visits);
    }
}

/* Both readers take the same JSON and make the same values of it (tests/unit/
 * test_json_read.c also compares positions and sharing). */
static void check_readers_agree(apr_pool_t *pool, const char *text, size_t length)
{
    int flags;
    for (flags = 0; flags <= OA_PARSE_SHARE_SUBTREES; flags++) {
        json_t *by_json = oa_parse_buffer_ex(pool, "t.json", text, length, flags, NULL,
                                             oa_diag_create(pool));
        oa_posmap *positions = NULL;
        json_t *by_yaml = oa_parse_buffer_ex(pool, "t.json", text, length,
                                             flags | OA_PARSE_BY_YAML, &positions,
                                             oa_diag_create(pool));
        oa_docset *set = oa_docset_create(pool, NULL, NULL);
        oa_position root;
        if (!by_json != !by_yaml)
            abort();
        /* Where libyaml refused the text, oa_parse.c fell back to jansson (no positions;
         * every number a real when one overflows 64 bits): nothing to compare. */
        if (by_yaml)
            oa_docset_add(set, "file:///t.json", json_incref(by_yaml), positions);
        if (by_json && oa_docset_position(set, by_yaml, &root) &&
            !json_equal(by_json, by_yaml))
            abort();
        json_decref(by_json);
        json_decref(by_yaml);
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
    if (oa_json_check(pool, docs.text[0], docs.length[0]))
        check_readers_agree(pool, docs.text[0], docs.length[0]);
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
        apr_hash_t *seen = apr_hash_make(pool);
        resolve_refs(set, seen, 0, uri, root, 0, &visits);
        oa_docset_freeze(set);
        visits = 0;
        resolve_refs(set, seen, 1, uri, root, 0, &visits);
        (void)oa_json_pointer_get(pool, root, "/paths/~1a/get", 0);
    }
    apr_pool_destroy(pool);
    return 0;
}
