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

/* Where a node goes in the output: its parent's place and its member name or index. The
 * pointer text is made only when a target is placed there (most nodes never need it). */
typedef struct place {
    const struct place *parent; /* NULL: the root */
    const char *key;            /* member name; NULL for an array item */
    size_t index;
} place;

static const char *place_pointer(apr_pool_t *pool, const place *at)
{
    const char *parent;
    if (!at->parent)
        return "";
    parent = place_pointer(pool, at->parent);
    return at->key ? oa_json_pointer_append(pool, parent, at->key)
                   : apr_psprintf(pool, "%s/%lu", parent, (unsigned long)at->index);
}

static json_t *bundle_node(bundler *b, json_t *node, const char *base, const place *at);
static const char *rewritten_ref(bundler *b, const char *ref, const char *base);

/* A {"$ref": ...} found at output place `at` in a document whose base URI is base. */
static json_t *bundle_ref(bundler *b, const char *ref, const char *base, const place *at)
{
    const char *rewritten = rewritten_ref(b, ref, base);
    const char *target_base = NULL;
    json_t *target;
    if (rewritten)
        return json_pack("{s:s}", "$ref", rewritten);
    target = oa_docset_resolve(b->spec->docs, b->pool, base, ref, &target_base, b->diag);
    if (!target)
        return NULL;
    apr_hash_set(b->placed, oa_uri_resolve(b->pool, base, ref), APR_HASH_KEY_STRING,
                 place_pointer(b->pool, at));
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

/* A container copied because something in it changed, mapped to its original. */
static json_t *changed_copy(bundler *b, json_t *node, json_t *copy)
{
    if (b->origins) {
        json_t **key = apr_palloc(apr_hash_pool_get(b->origins), sizeof(*key));
        *key = copy;
        apr_hash_set(b->origins, key, sizeof(*key), node);
    }
    return copy;
}

/* The bundled form of a member value or item. */
static json_t *bundle_child(bundler *b, json_t *value, const char *base, const place *parent,
                            const char *key, size_t index)
{
    place at;
    at.parent = parent;
    at.key = key;
    at.index = index;
    return bundle_node(b, value, base, &at);
}

/* An object is copied only from its first changed member on (copy on write): the
 * members before it go in as they are. */
static json_t *bundle_object(bundler *b, json_t *node, const char *base, const place *at)
{
    json_t *out = NULL;
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
    json_object_foreach(node, key, value) {
        /* a $ref that is not a string is data like any other member */
        json_t *copy = value != ref || !rewritten ? bundle_child(b, value, base, at, key, 0)
                       : same_ref                 ? json_incref(value)
                                                  : json_string(rewritten);
        if (!copy) {
            json_decref(out);
            return NULL;
        }
        if (!out && copy != value) {
            const char *earlier;
            json_t *kept;
            out = json_object();
            json_object_foreach(node, earlier, kept) {
                if (earlier == key)
                    break;
                json_object_set(out, earlier, kept);
            }
        }
        if (out)
            json_object_set_new(out, key, copy);
        else
            json_decref(copy);
    }
    return out ? changed_copy(b, node, out) : json_incref(node);
}

static json_t *bundle_array(bundler *b, json_t *node, const char *base, const place *at)
{
    json_t *out = NULL;
    size_t i;
    json_t *value;
    json_array_foreach(node, i, value) {
        json_t *copy = bundle_child(b, value, base, at, NULL, i);
        if (!copy) {
            json_decref(out);
            return NULL;
        }
        if (!out && copy != value) {
            size_t k;
            out = json_array();
            for (k = 0; k < i; k++)
                json_array_append(out, json_array_get(node, k));
        }
        if (out)
            json_array_append_new(out, copy);
        else
            json_decref(copy);
    }
    return out ? changed_copy(b, node, out) : json_incref(node);
}

/* The bundled form of node. Subtrees with nothing to rewrite are the spec's own nodes
 * (shared, read-only), so a spec without external references costs a walk and no
 * copies. */
static json_t *bundle_node(bundler *b, json_t *node, const char *base, const place *at)
{
    if (json_is_object(node))
        return bundle_object(b, node, base, at);
    if (json_is_array(node))
        return bundle_array(b, node, base, at);
    return json_incref(node);
}

json_t *oa_spec_bundle_traced(oa_spec *spec, apr_hash_t *origins, oa_diag *diag)
{
    bundler b;
    place root;
    json_t *bundled;
    /* The walk's pointers and table (a few KiB per operation) are scratch: the result is
     * jansson's. Its own allocator gives their pages back when it ends. */
    b.pool = oa_pool_create_own(NULL, 0);
    b.spec = spec;
    b.placed = apr_hash_make(b.pool);
    b.origins = origins;
    b.diag = diag;
    root.parent = NULL;
    root.key = NULL;
    root.index = 0;
    bundled = bundle_node(&b, spec->root, spec->uri, &root);
    apr_pool_destroy(b.pool);
    return bundled;
}

json_t *oa_spec_bundle(oa_spec *spec, oa_diag *diag)
{
    return oa_spec_bundle_traced(spec, NULL, diag);
}
