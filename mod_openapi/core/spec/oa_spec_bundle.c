/* Bundling a spec into one document (see oa_spec_bundle.h). Linear in the size of the
 * documents: each external target is copied once; loops end at the first place a target
 * was put, since that place is recorded before its content is walked. The result shares
 * every unchanged subtree with the spec. */
#include "spec/oa_spec_bundle.h"

#include <apr_strings.h>
#include <string.h>

#include "doc/oa_docset.h"
#include "util/oa_pool.h"

typedef struct bundler {
    apr_pool_t *pool;
    oa_spec *spec;
    apr_hash_t *placed; /* absolute URI of an external target -> pointer in the output */
    apr_hash_t *origins; /* copied container -> the spec's own node; or NULL */
    oa_diag *diag;
} bundler;

const char *oa_pointer_fragment(apr_pool_t *pool, const char *pointer)
{
    static const char allowed[] = "-._~!$&'()*+,;=:@/";
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(pool, strlen(pointer) * 3 + 2);
    char *p = out;
    *p++ = '#';
    for (; *pointer; pointer++) {
        unsigned char c = (unsigned char)*pointer;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr(allowed, c)) {
            *p++ = (char)c;
            continue;
        }
        *p++ = '%';
        *p++ = hex[c >> 4];
        *p++ = hex[c & 15];
    }
    *p = '\0';
    return out;
}

static json_t *bundle_node(bundler *b, json_t *node, const char *base, const char *at);
static const char *rewritten_ref(bundler *b, const char *ref, const char *base);

/* A {"$ref": ...} found at output pointer `at` in a document whose base URI is base. */
static json_t *bundle_ref(bundler *b, const char *ref, const char *base, const char *at)
{
    const char *rewritten = rewritten_ref(b, ref, base);
    const char *target_base = NULL;
    json_t *target;
    if (rewritten)
        return json_pack("{s:s}", "$ref", rewritten);
    target = oa_docset_resolve(b->spec->docs, b->pool, base, ref, &target_base, b->diag);
    if (!target)
        return NULL;
    apr_hash_set(b->placed, oa_uri_resolve(b->pool, base, ref), APR_HASH_KEY_STRING, at);
    return bundle_node(b, target, target_base, at);
}

/* The reference as it reads in the output, when it needs no content copied: a pointer
 * into the root document or to where an external target was already put; else NULL. */
static const char *rewritten_ref(bundler *b, const char *ref, const char *base)
{
    const char *absolute = oa_uri_resolve(b->pool, base, ref);
    const char *fragment = NULL;
    const char *document = oa_uri_split_fragment(b->pool, absolute, &fragment);
    const char *placed;
    if (strcmp(document, b->spec->uri) == 0)
        return apr_pstrcat(b->pool, "#", fragment ? fragment : "", NULL);
    placed = apr_hash_get(b->placed, absolute, APR_HASH_KEY_STRING);
    return placed ? oa_pointer_fragment(b->pool, placed) : NULL;
}

/* Whether a copied container can give way to the original: nothing in it changed. */
static json_t *unchanged_or_copy(bundler *b, json_t *node, json_t *copy, int changed)
{
    if (changed) {
        if (b->origins) {
            json_t **key = apr_palloc(apr_hash_pool_get(b->origins), sizeof(*key));
            *key = copy;
            apr_hash_set(b->origins, key, sizeof(*key), node);
        }
        return copy;
    }
    json_decref(copy);
    return json_incref(node);
}

/* The bundled form of node. Subtrees with nothing to rewrite are the spec's own nodes
 * (shared, read-only), so a spec without external references costs almost nothing. */
static json_t *bundle_node(bundler *b, json_t *node, const char *base, const char *at)
{
    json_t *out;
    int changed = 0;
    if (json_is_object(node)) {
        const char *key;
        json_t *value;
        json_t *ref = json_object_get(node, "$ref");
        const char *rewritten = json_is_string(ref)
                                    ? rewritten_ref(b, json_string_value(ref), base) : NULL;
        int same_ref = rewritten && strcmp(rewritten, json_string_value(ref)) == 0;
        if (same_ref && json_object_size(node) == 1)
            return json_incref(node);
        /* an external target not yet copied is copied here; 3.0 ignores $ref siblings */
        if (json_is_string(ref) && (!rewritten || json_object_size(node) == 1))
            return bundle_ref(b, json_string_value(ref), base, at);
        out = json_object();
        json_object_foreach(node, key, value) {
            json_t *copy = value == ref && !same_ref
                               ? json_string(rewritten)
                               : value == ref ? json_incref(value)
                                              : bundle_node(b, value, base,
                                                            oa_json_pointer_append(b->pool, at,
                                                                                   key));
            if (!copy) {
                json_decref(out);
                return NULL;
            }
            changed |= copy != value;
            json_object_set_new(out, key, copy);
        }
        return unchanged_or_copy(b, node, out, changed);
    }
    if (json_is_array(node)) {
        size_t i;
        json_t *value;
        out = json_array();
        json_array_foreach(node, i, value) {
            json_t *copy = bundle_node(b, value, base,
                                       apr_psprintf(b->pool, "%s/%lu", at, (unsigned long)i));
            if (!copy) {
                json_decref(out);
                return NULL;
            }
            changed |= copy != value;
            json_array_append_new(out, copy);
        }
        return unchanged_or_copy(b, node, out, changed);
    }
    return json_incref(node);
}

json_t *oa_spec_bundle_traced(oa_spec *spec, apr_hash_t *origins, oa_diag *diag)
{
    bundler b;
    json_t *bundled;
    /* The walk's pointers and table (a few KiB per operation) are scratch: the result is
     * jansson's. Its own allocator gives their pages back when it ends. */
    b.pool = oa_pool_create_own(NULL, 0);
    b.spec = spec;
    b.placed = apr_hash_make(b.pool);
    b.origins = origins;
    b.diag = diag;
    bundled = bundle_node(&b, spec->root, spec->uri, "");
    apr_pool_destroy(b.pool);
    return bundled;
}

json_t *oa_spec_bundle(oa_spec *spec, oa_diag *diag)
{
    return oa_spec_bundle_traced(spec, NULL, diag);
}
