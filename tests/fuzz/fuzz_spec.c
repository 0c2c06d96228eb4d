/* libFuzzer target for the spec loader and compiler: an in-memory multi-file spec
 * (fuzz_docs.h: the root, then the files its $refs name, split at NUL bytes) is loaded
 * (versions, servers, paths, operations, parameters, security) and its schemas compiled.
 * A refused spec must say why; an accepted one must route each of its own path templates
 * back to an operation, and bundle into one document (as served at /openapi.json) whose
 * every JSON-pointer $ref resolves inside it. Built by `make fuzz`, run by run.sh. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_apr.h"
#include "doc/oa_json_check.h"
#include "fuzz_docs.h"
#include "spec/oa_router.h"
#include "spec/oa_spec_bundle.h"
#include "spec/oa_spec_compile.h"
#include "spec/oa_spec_load.h"

static void check_routes(apr_pool_t *pool, const oa_spec *spec)
{
    int i;
    for (i = 0; i < spec->operations->nelts && i < 64; i++) {
        const oa_operation *op = APR_ARRAY_IDX(spec->operations, i, oa_operation *);
        oa_route_match match;
        /* a template routes to itself (its {names} taken as literal values) */
        if (oa_router_match(spec->router, op->path, pool, &match) == OA_ROUTE_FOUND &&
            !match.route)
            abort();
        (void)oa_operation_method(op);
    }
}

/* bounds the walk: shared subtrees may be met many times */
#define MAX_VISITS 4096

/* Every "$ref" string with a JSON pointer fragment in the bundle resolves in it alone. */
static void check_bundle_refs(apr_pool_t *pool, oa_docset *alone, json_t *node, int depth,
                              int *visits)
{
    if (++*visits > MAX_VISITS || depth > 64)
        return;
    if (json_is_object(node)) {
        const char *key;
        json_t *value;
        json_t *ref = json_object_get(node, "$ref");
        const char *text = json_string_value(ref);
        if (text && (strcmp(text, "#") == 0 || strncmp(text, "#/", 2) == 0)) {
            const char *target_base;
            if (!oa_docset_resolve(alone, pool, "file:///bundle.json", text, &target_base,
                                   oa_diag_create(pool)))
                abort(); /* the bundle refers outside itself */
        }
        json_object_foreach(node, key, value)
            check_bundle_refs(pool, alone, value, depth + 1, visits);
    }
    else if (json_is_array(node)) {
        size_t i;
        json_t *value;
        json_array_foreach(node, i, value)
            check_bundle_refs(pool, alone, value, depth + 1, visits);
    }
}

static void check_bundle(apr_pool_t *pool, oa_spec *spec)
{
    oa_diag *diag = oa_diag_create(pool);
    json_t *bundled = oa_spec_bundle(spec, diag);
    oa_docset *alone;
    int visits = 0;
    if (!bundled)
        abort(); /* the loader resolved every $ref: bundling cannot fail */
    alone = oa_docset_create(pool, NULL, NULL);
    oa_docset_add(alone, "file:///bundle.json", json_incref(bundled), NULL);
    oa_docset_freeze(alone);
    check_bundle_refs(pool, alone, bundled, 0, &visits);
    json_decref(bundled);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_docs docs;
    apr_pool_t *pool;
    oa_docset *set;
    oa_diag *diag;
    oa_spec *spec;

    fuzz_docs_split(&docs, data, size);
    apr_pool_create(&pool, NULL);
    /* the fast strict-JSON check never accepts what jansson refuses */
    if (oa_json_check(pool, (const char *)data, size)) {
        json_t *strict = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES |
                                    JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, NULL);
        if (!strict)
            abort();
        json_decref(strict);
    }
    set = oa_docset_create(pool, fuzz_docs_loader, &docs);
    diag = oa_diag_create(pool);
    spec = oa_spec_load_docset(pool, "fuzz.yaml", fuzz_doc_uri(pool, 0), set, diag);
    if (!spec) {
        if (oa_diag_count(diag) == 0)
            abort(); /* a refused spec must say why */
    }
    else {
        if (!oa_spec_prepare(spec, NULL, NULL, diag) && oa_diag_count(diag) == 0)
            abort();
        check_routes(pool, spec);
        check_bundle(pool, spec);
    }
    (void)oa_diag_join(pool, diag, "\n");
    apr_pool_destroy(pool);
    return 0;
}
