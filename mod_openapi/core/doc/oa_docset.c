#include "doc/oa_docset.h"
#include "util/oa_json.h"
#include "util/oa_pool.h"
#include "util/oa_text.h"

#include <apr_strings.h>
#include <apr_tables.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct oa_node_pos {
    const json_t *node; /* the hash key: one allocation per node */
    int line;
    int column;
} oa_node_pos;

/* While a document is parsed its positions are a hash in a pool of their own; sealed
 * (oa_posmap_seal), they become an array sorted by node address in the map's pool, 16
 * bytes a node instead of some 70, and the hash's pages go back to the system. */
struct oa_posmap {
    const char *file;
    apr_pool_t *pool;       /* the map's: the sorted array lives here */
    apr_pool_t *building;   /* own allocator: the hash while parsing; NULL once sealed */
    apr_hash_t *by_node;    /* const json_t * -> oa_node_pos, while parsing */
    oa_node_pos *sorted;    /* by node address, once sealed */
    size_t count;
};

typedef struct oa_resource {
    json_t *node;
    const char *base; /* the base URI that applies at node */
} oa_resource;

struct oa_docset {
    apr_pool_t *pool;
    oa_doc_loader_fn loader;
    void *loader_baton;
    apr_hash_t *documents;             /* fragment-less URI -> json_t root */
    apr_hash_t *resources;             /* absolute URI (maybe with fragment) -> oa_resource */
    apr_array_header_t *posmaps;       /* of oa_posmap * */
    json_t *kept;                      /* values kept alive with the documents */
    int frozen;                        /* no more loading: requests only read */
};

static void open_building(oa_posmap *map)
{
    oa_node_pos *sorted = map->sorted;
    size_t count = map->count, i;
    map->building = oa_pool_create_own(NULL, 0);
    map->by_node = apr_hash_make(map->building);
    map->sorted = NULL;
    map->count = 0;
    for (i = 0; i < count; i++) /* a sealed map opened again */
        oa_posmap_set(map, sorted[i].node, sorted[i].line, sorted[i].column);
}

static apr_status_t destroy_building(void *data)
{
    oa_posmap *map = data;
    if (map->building)
        apr_pool_destroy(map->building);
    map->building = NULL;
    map->by_node = NULL;
    return APR_SUCCESS;
}

oa_posmap *oa_posmap_create(apr_pool_t *pool, const char *file)
{
    oa_posmap *map = apr_pcalloc(pool, sizeof(*map));
    map->file = apr_pstrdup(pool, file);
    map->pool = pool;
    open_building(map);
    apr_pool_cleanup_register(pool, map, destroy_building, apr_pool_cleanup_null);
    return map;
}

void oa_posmap_set(oa_posmap *map, const json_t *node, int line, int column)
{
    oa_node_pos *pos;
    /* true, false and null are jansson singletons: a position would be meaningless. */
    if (json_is_true(node) || json_is_false(node) || json_is_null(node))
        return;
    if (!map->building)
        open_building(map);
    pos = apr_hash_get(map->by_node, &node, sizeof(node));
    if (!pos) {
        pos = apr_palloc(map->building, sizeof(*pos));
        pos->node = node;
        apr_hash_set(map->by_node, &pos->node, sizeof(pos->node), pos);
    }
    pos->line = line;
    pos->column = column;
}

void oa_posmap_forget(oa_posmap *map, const json_t *node)
{
    if (!map->building)
        open_building(map);
    apr_hash_set(map->by_node, &node, sizeof(node), NULL);
}

static int by_address(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const oa_node_pos *)a)->node;
    uintptr_t y = (uintptr_t)((const oa_node_pos *)b)->node;
    return x < y ? -1 : x > y;
}

void oa_posmap_seal(oa_posmap *map)
{
    apr_hash_index_t *hi;
    size_t n = 0;
    if (!map->building)
        return;
    map->sorted = apr_palloc(map->pool,
                             sizeof(oa_node_pos) * (apr_hash_count(map->by_node) + 1));
    for (hi = apr_hash_first(map->building, map->by_node); hi; hi = apr_hash_next(hi)) {
        void *value;
        apr_hash_this(hi, NULL, NULL, &value);
        map->sorted[n++] = *(const oa_node_pos *)value;
    }
    qsort(map->sorted, n, sizeof(oa_node_pos), by_address);
    map->count = n;
    destroy_building(map);
}

/* The position of node in map, or NULL. */
static const oa_node_pos *posmap_find(const oa_posmap *map, const json_t *node)
{
    size_t low = 0, high = map->count;
    if (map->building)
        return apr_hash_get(map->by_node, &node, sizeof(node));
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (map->sorted[middle].node == node)
            return &map->sorted[middle];
        if ((uintptr_t)map->sorted[middle].node < (uintptr_t)node)
            low = middle + 1;
        else
            high = middle;
    }
    return NULL;
}

static apr_status_t release_documents(void *data)
{
    oa_docset *set = data;
    oa_json_hash_release(set->documents);
    json_decref(set->kept);
    set->kept = NULL;
    return APR_SUCCESS;
}

void oa_docset_release(oa_docset *set)
{
    apr_pool_cleanup_run(set->pool, set, release_documents);
}

apr_array_header_t *oa_docset_document_uris(const oa_docset *set, apr_pool_t *pool)
{
    apr_array_header_t *uris = apr_array_make(pool, 4, sizeof(const char *));
    apr_hash_index_t *hi;
    for (hi = apr_hash_first(pool, set->documents); hi; hi = apr_hash_next(hi)) {
        const void *uri;
        apr_hash_this(hi, &uri, NULL, NULL);
        APR_ARRAY_PUSH(uris, const char *) = uri;
    }
    return uris;
}

void oa_docset_keep(oa_docset *set, json_t *value)
{
    if (!set->kept)
        set->kept = json_array();
    json_array_append_new(set->kept, value);
}

oa_docset *oa_docset_create(apr_pool_t *pool, oa_doc_loader_fn loader, void *baton)
{
    oa_docset *set = apr_pcalloc(pool, sizeof(*set));
    set->pool = pool;
    set->loader = loader;
    set->loader_baton = baton;
    set->documents = apr_hash_make(pool);
    set->resources = apr_hash_make(pool);
    set->posmaps = apr_array_make(pool, 4, sizeof(oa_posmap *));
    apr_pool_cleanup_register(pool, set, release_documents, apr_pool_cleanup_null);
    return set;
}

apr_pool_t *oa_docset_pool(const oa_docset *set)
{
    return set->pool;
}

json_t *oa_docset_add(oa_docset *set, const char *uri, json_t *root, oa_posmap *positions)
{
    const char *key = apr_pstrdup(set->pool, uri);
    json_t *old = apr_hash_get(set->documents, key, APR_HASH_KEY_STRING);
    if (old)
        json_decref(old);
    apr_hash_set(set->documents, key, APR_HASH_KEY_STRING, root);
    if (positions)
        APR_ARRAY_PUSH(set->posmaps, oa_posmap *) = positions;
    return root;
}

void oa_docset_register_uri(oa_docset *set, const char *absolute_uri, json_t *node)
{
    oa_resource *res = apr_palloc(set->pool, sizeof(*res));
    const char *fragment;
    const char *key = apr_pstrdup(set->pool, absolute_uri);
    res->node = node;
    res->base = oa_uri_split_fragment(set->pool, key, &fragment);
    apr_hash_set(set->resources, key, APR_HASH_KEY_STRING, res);
}

int oa_docset_count(const oa_docset *set)
{
    return (int)apr_hash_count(set->documents);
}

json_t *oa_docset_find(const oa_docset *set, const char *uri)
{
    return apr_hash_get(set->documents, uri, APR_HASH_KEY_STRING);
}

json_t *oa_docset_get(oa_docset *set, const char *uri, oa_diag *diag)
{
    json_t *root = apr_hash_get(set->documents, uri, APR_HASH_KEY_STRING);
    oa_posmap *positions = NULL;
    if (root)
        return root;
    if (set->frozen || !set->loader) {
        oa_diag_add(diag, NULL, 0, 0, "no document is known as '%s'", uri);
        return NULL;
    }
    root = set->loader(set->loader_baton, set, uri, &positions, diag);
    if (!root)
        return NULL;
    return oa_docset_add(set, uri, root, positions);
}

/* Fetches a document for a $ref. A file that cannot be read is said as "$ref 'REF': FILE:
 * reason" without a position, so that the caller puts the position of the $ref in front;
 * errors inside a document that was read keep their own positions. */
static json_t *document_for_ref(oa_docset *set, apr_pool_t *pool, const char *doc_uri,
                                const char *ref, oa_diag *diag)
{
    json_t *root = apr_hash_get(set->documents, doc_uri, APR_HASH_KEY_STRING);
    oa_posmap *positions = NULL;
    oa_diag *local;
    int i;
    if (root)
        return root;
    if (set->frozen || !set->loader) {
        oa_diag_add(diag, NULL, 0, 0, "$ref '%s': no document is known as '%s'", ref, doc_uri);
        return NULL;
    }
    local = oa_diag_create(pool);
    root = set->loader(set->loader_baton, set, doc_uri, &positions, local);
    if (root)
        return oa_docset_add(set, doc_uri, root, positions);
    for (i = 0; i < local->entries->nelts; i++) {
        const oa_diag_entry *e = &APR_ARRAY_IDX(local->entries, i, oa_diag_entry);
        if (e->line > 0)
            oa_diag_add(diag, e->file, e->line, e->column, "%s", e->message);
        else
            oa_diag_add(diag, NULL, 0, 0, "$ref '%s': %s%s%s", ref, e->file ? e->file : "",
                        e->file ? ": " : "", e->message);
    }
    return NULL;
}

static const char *position_text(const oa_docset *set, apr_pool_t *pool, const json_t *node)
{
    oa_position at;
    if (!oa_docset_position(set, node, &at))
        return "an unknown position";
    return apr_psprintf(pool, "%s:%d:%d", at.file, at.line, at.column);
}

static json_t *resolve_at_depth(oa_docset *set, apr_pool_t *pool, const char *base_uri,
                                const char *ref, const char **target_base, int *hops_taken,
                                oa_diag *diag);

/* Evaluates a JSON pointer from container. Where a token is missing from an object that is
 * itself a $ref, the $ref is followed first and the walk goes on in its target, as
 * json-schema-ref-parser and swagger-parser do; each such hop is named in errors. Every
 * hop of one resolution, however nested, counts in *hops_taken: a loop of $refs that a
 * pointer passes through (a: {$ref: '#/b'}, b: {$ref: '#/a'}, '#/a/x') ends there instead
 * of being walked forever, and nested walks cannot multiply the work. */
static json_t *walk_pointer(oa_docset *set, apr_pool_t *pool, json_t *container,
                            const char *fragment, const char *ref, const char **target_base,
                            int *hops_taken, oa_diag *diag)
{
    const char *p = oa_json_pointer_decode(pool, fragment);
    const char *document = *target_base;
    const char *hops = "";
    json_t *node = container;
    while (node && *p == '/') {
        size_t n = strcspn(p + 1, "/");
        const char *token = oa_json_pointer_token(pool, p + 1, n);
        json_t *inner_ref = json_object_get(node, "$ref");
        while (json_is_object(node) && !json_object_get(node, token) &&
               json_is_string(inner_ref)) {
            if (++*hops_taken > OA_DOCSET_MAX_REF_CHAIN) {
                oa_diag_add(diag, NULL, 0, 0, "$ref '%s' is part of a reference loop", ref);
                return NULL;
            }
            hops = apr_pstrcat(pool, hops, hops[0] ? " and" : " (the pointer passes",
                               " through $ref '", json_string_value(inner_ref), "' at ",
                               position_text(set, pool, inner_ref), NULL);
            node = resolve_at_depth(set, pool, *target_base, json_string_value(inner_ref),
                                    target_base, hops_taken, diag);
            if (!node)
                return NULL;
            inner_ref = json_object_get(node, "$ref");
        }
        node = oa_json_pointer_step(node, token);
        p += n + 1;
    }
    if (!node)
        oa_diag_add(diag, NULL, 0, 0, "$ref '%s': nothing at '#%s' in %s%s%s", ref, fragment,
                    document, hops, hops[0] ? ")" : "");
    return node;
}

static json_t *resolve_at_depth(oa_docset *set, apr_pool_t *pool, const char *base_uri,
                                const char *ref, const char **target_base, int *hops_taken,
                                oa_diag *diag)
{
    const char *target = oa_uri_resolve(pool, base_uri ? base_uri : "", ref);
    const char *fragment;
    const char *doc_uri = oa_uri_split_fragment(pool, target, &fragment);
    oa_resource *res;
    json_t *container;

    /* A registered resource wins: "#name" anchors and `id`-named subschemas. */
    res = apr_hash_get(set->resources, target, APR_HASH_KEY_STRING);
    if (res) {
        *target_base = res->base;
        return res->node;
    }
    res = apr_hash_get(set->resources, doc_uri, APR_HASH_KEY_STRING);
    if (res) {
        container = res->node;
        *target_base = res->base;
    }
    else {
        container = document_for_ref(set, pool, doc_uri, ref, diag);
        if (!container)
            return NULL;
        *target_base = doc_uri;
    }
    if (!fragment || !*fragment)
        return container;
    if (fragment[0] != '/') {
        oa_diag_add(diag, NULL, 0, 0, "$ref '%s': no schema is named '#%s'", ref, fragment);
        return NULL;
    }
    return walk_pointer(set, pool, container, fragment, ref, target_base, hops_taken, diag);
}

json_t *oa_docset_resolve(oa_docset *set, apr_pool_t *pool, const char *base_uri,
                          const char *ref, const char **target_base, oa_diag *diag)
{
    int hops_taken = 0;
    return resolve_at_depth(set, pool, base_uri, ref, target_base, &hops_taken, diag);
}

json_t *oa_docset_follow(oa_docset *set, apr_pool_t *pool, json_t *node, const char *base,
                         const char **target_base, oa_diag *diag)
{
    return oa_docset_follow_named(set, pool, node, base, target_base, NULL, diag);
}

json_t *oa_docset_follow_named(oa_docset *set, apr_pool_t *pool, json_t *node,
                               const char *base, const char **target_base,
                               const char **last_ref, oa_diag *diag)
{
    int hops = 0;
    *target_base = base;
    while (json_is_object(node) && json_is_string(json_object_get(node, "$ref"))) {
        json_t *ref = json_object_get(node, "$ref");
        oa_diag *local;
        json_t *target;
        int i;
        if (++hops > OA_DOCSET_MAX_REF_CHAIN) {
            oa_docset_error_at(set, diag, ref, "$ref '%s' is part of a reference loop",
                               json_string_value(ref));
            return NULL;
        }
        local = oa_diag_create(pool);
        target = oa_docset_resolve(set, pool, *target_base, json_string_value(ref),
                                   target_base, local);
        /* The resolver's errors carry no position: they get the position of the $ref. */
        for (i = 0; !target && i < local->entries->nelts; i++) {
            const oa_diag_entry *e = &APR_ARRAY_IDX(local->entries, i, oa_diag_entry);
            if (e->file)
                oa_diag_add(diag, e->file, e->line, e->column, "%s", e->message);
            else
                oa_docset_error_at(set, diag, ref, "%s", e->message);
        }
        if (!target)
            return NULL;
        if (last_ref)
            *last_ref = json_string_value(ref);
        node = target;
    }
    return node;
}

void oa_docset_error_va(const oa_docset *set, oa_diag *diag, const json_t *node,
                        const char *fallback_file, const char *fmt, va_list ap)
{
    oa_position at;
    const char *message = apr_pvsprintf(diag->pool, fmt, ap);
    if (!oa_docset_position(set, node, &at))
        at.file = fallback_file;
    oa_diag_add(diag, at.file, at.line, at.column, "%s", message);
}

void oa_docset_error_at(const oa_docset *set, oa_diag *diag, const json_t *node,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    oa_docset_error_va(set, diag, node, NULL, fmt, ap);
    va_end(ap);
}

void oa_docset_freeze(oa_docset *set)
{
    set->frozen = 1;
}

int oa_docset_position(const oa_docset *set, const json_t *node, oa_position *position)
{
    int i;
    memset(position, 0, sizeof(*position));
    for (i = 0; i < set->posmaps->nelts; i++) {
        const oa_posmap *map = APR_ARRAY_IDX(set->posmaps, i, oa_posmap *);
        const oa_node_pos *pos = posmap_find(map, node);
        if (pos) {
            position->file = map->file;
            position->line = pos->line;
            position->column = pos->column;
            return 1;
        }
    }
    return 0;
}

/* ---- URIs (RFC 3986) ---- */

typedef struct uri_parts {
    const char *scheme;    /* NULL when absent */
    const char *authority; /* NULL when absent */
    const char *path;      /* never NULL */
    const char *query;     /* NULL when absent */
    const char *fragment;  /* NULL when absent */
} uri_parts;

static void uri_parse(apr_pool_t *pool, const char *uri, uri_parts *parts)
{
    const char *p = uri;
    const char *end;
    memset(parts, 0, sizeof(*parts));
    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
    end = p;
    if ((*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z')) {
        while ((*end >= 'a' && *end <= 'z') || (*end >= 'A' && *end <= 'Z') ||
               (*end >= '0' && *end <= '9') || *end == '+' || *end == '-' || *end == '.')
            end++;
        if (*end == ':') {
            parts->scheme = apr_pstrmemdup(pool, p, end - p);
            p = end + 1;
        }
    }
    if (p[0] == '/' && p[1] == '/') {
        p += 2;
        end = p + strcspn(p, "/?#");
        parts->authority = apr_pstrmemdup(pool, p, end - p);
        p = end;
    }
    end = p + strcspn(p, "?#");
    parts->path = apr_pstrmemdup(pool, p, end - p);
    p = end;
    if (*p == '?') {
        end = p + 1 + strcspn(p + 1, "#");
        parts->query = apr_pstrmemdup(pool, p + 1, end - p - 1);
        p = end;
    }
    if (*p == '#')
        parts->fragment = apr_pstrdup(pool, p + 1);
}

/* RFC 3986 section 5.2.4, on whole segments. */
static const char *remove_dot_segments(apr_pool_t *pool, const char *path)
{
    apr_array_header_t *out = apr_array_make(pool, 8, sizeof(const char *));
    int absolute = (path[0] == '/');
    const char *p = absolute ? path + 1 : path;
    size_t length = 2;
    char *result;
    int i;

    if (!*path)
        return "";
    for (;;) {
        size_t n = strcspn(p, "/");
        const char *segment = apr_pstrmemdup(pool, p, n);
        int last = (p[n] == '\0');
        if (strcmp(segment, "..") == 0 || strcmp(segment, ".") == 0) {
            if (segment[1] == '.' && out->nelts > 0)
                out->nelts--;
            if (last) /* "a/.." keeps its trailing slash: "a/" */
                APR_ARRAY_PUSH(out, const char *) = "";
        }
        else {
            APR_ARRAY_PUSH(out, const char *) = segment;
        }
        if (last)
            break;
        p += n + 1;
    }
    for (i = 0; i < out->nelts; i++)
        length += strlen(APR_ARRAY_IDX(out, i, const char *)) + 1;
    result = apr_palloc(pool, length);
    result[0] = '\0';
    if (absolute)
        strcat(result, "/");
    for (i = 0; i < out->nelts; i++) {
        if (i > 0)
            strcat(result, "/");
        strcat(result, APR_ARRAY_IDX(out, i, const char *));
    }
    return result;
}

static const char *merge_paths(apr_pool_t *pool, const uri_parts *base, const char *ref_path)
{
    const char *slash;
    if (base->authority && !*base->path)
        return apr_pstrcat(pool, "/", ref_path, NULL);
    slash = strrchr(base->path, '/');
    if (!slash)
        return ref_path;
    return apr_pstrcat(pool, apr_pstrmemdup(pool, base->path, slash - base->path + 1),
                       ref_path, NULL);
}

static const char *uri_compose(apr_pool_t *pool, const uri_parts *u)
{
    return apr_pstrcat(pool, u->scheme ? u->scheme : "", u->scheme ? ":" : "",
                       u->authority ? "//" : "", u->authority ? u->authority : "", u->path,
                       u->query ? "?" : "", u->query ? u->query : "",
                       u->fragment ? "#" : "", u->fragment ? u->fragment : "", NULL);
}

const char *oa_uri_resolve(apr_pool_t *pool, const char *base, const char *ref)
{
    uri_parts b, r, t;
    uri_parse(pool, base, &b);
    uri_parse(pool, ref, &r);
    memset(&t, 0, sizeof(t));
    if (r.scheme) {
        t = r;
        t.path = remove_dot_segments(pool, r.path);
    }
    else {
        if (r.authority) {
            t.authority = r.authority;
            t.path = remove_dot_segments(pool, r.path);
            t.query = r.query;
        }
        else {
            if (!*r.path) {
                t.path = b.path;
                t.query = r.query ? r.query : b.query;
            }
            else {
                if (r.path[0] == '/')
                    t.path = remove_dot_segments(pool, r.path);
                else
                    t.path = remove_dot_segments(pool, merge_paths(pool, &b, r.path));
                t.query = r.query;
            }
            t.authority = b.authority;
        }
        t.scheme = b.scheme;
    }
    t.fragment = r.fragment;
    return uri_compose(pool, &t);
}

const char *oa_uri_split_fragment(apr_pool_t *pool, const char *uri, const char **fragment)
{
    const char *hash = strchr(uri, '#');
    if (!hash) {
        *fragment = NULL;
        return uri;
    }
    *fragment = hash + 1;
    return apr_pstrmemdup(pool, uri, hash - uri);
}

static int must_escape_in_path(unsigned char c)
{
    return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             strchr("/-._~!$&'()*+,;=:@", c));
}

const char *oa_uri_from_path(apr_pool_t *pool, const char *path)
{
    const char *absolute = path;
    const unsigned char *p;
    char *out, *o;
    if (path[0] != '/') {
        char cwd[4096];
        if (!getcwd(cwd, sizeof(cwd)))
            strcpy(cwd, "/");
        absolute = apr_pstrcat(pool, cwd, "/", path, NULL);
    }
    absolute = remove_dot_segments(pool, absolute);
    out = o = apr_palloc(pool, strlen(absolute) * 3 + 8);
    strcpy(o, "file://");
    o += 7;
    for (p = (const unsigned char *)absolute; *p; p++) {
        if (must_escape_in_path(*p)) {
            sprintf(o, "%%%02X", *p);
            o += 3;
        }
        else {
            *o++ = (char)*p;
        }
    }
    *o = '\0';
    return out;
}

static char *percent_decode(apr_pool_t *pool, const char *text)
{
    char *out = apr_pstrdup(pool, text);
    char *o = out;
    const char *p;
    for (p = text; *p; p++) {
        int byte = oa_percent_escape_at(p, strlen(p));
        if (byte >= 0) {
            *o++ = (char)byte;
            p += 2;
        }
        else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}

const char *oa_uri_to_path(apr_pool_t *pool, const char *uri)
{
    const char *fragment;
    const char *bare = oa_uri_split_fragment(pool, uri, &fragment);
    if (strncmp(bare, "file://", 7) != 0)
        return NULL;
    bare += 7;
    /* file://localhost/path and file:///path both name /path. */
    if (strncmp(bare, "localhost/", 10) == 0)
        bare += 9;
    if (bare[0] != '/')
        return NULL;
    return percent_decode(pool, bare);
}

/* ---- JSON pointers (RFC 6901) ---- */

static const char *unescape_token(apr_pool_t *pool, const char *token, size_t length)
{
    char *out = apr_palloc(pool, length + 1);
    char *o = out;
    size_t i;
    for (i = 0; i < length; i++) {
        if (token[i] == '~' && i + 1 < length && token[i + 1] == '1') {
            *o++ = '/';
            i++;
        }
        else if (token[i] == '~' && i + 1 < length && token[i + 1] == '0') {
            *o++ = '~';
            i++;
        }
        else {
            *o++ = token[i];
        }
    }
    *o = '\0';
    return out;
}

static json_t *array_member(json_t *array, const char *token)
{
    const char *c;
    unsigned long index;
    if (!*token || (token[0] == '0' && token[1]))
        return NULL;
    for (c = token; *c; c++)
        if (*c < '0' || *c > '9')
            return NULL;
    index = strtoul(token, NULL, 10);
    return json_array_get(array, index);
}

const char *oa_json_pointer_decode(apr_pool_t *pool, const char *fragment)
{
    return percent_decode(pool, fragment);
}

const char *oa_json_pointer_token(apr_pool_t *pool, const char *token, size_t length)
{
    return unescape_token(pool, token, length);
}

json_t *oa_json_pointer_step(json_t *node, const char *token)
{
    if (json_is_object(node))
        return json_object_get(node, token);
    if (json_is_array(node))
        return array_member(node, token);
    return NULL;
}

json_t *oa_json_pointer_get(apr_pool_t *pool, json_t *root, const char *pointer,
                            int percent_encoded)
{
    const char *p = percent_encoded ? percent_decode(pool, pointer) : pointer;
    json_t *node = root;
    if (!*p)
        return root;
    if (*p != '/')
        return NULL;
    while (node && *p == '/') {
        size_t n = strcspn(p + 1, "/");
        node = oa_json_pointer_step(node, unescape_token(pool, p + 1, n));
        p += n + 1;
    }
    return node;
}

const char *oa_json_pointer_append(apr_pool_t *pool, const char *pointer, const char *token)
{
    size_t extra = 0;
    const char *t;
    char *out, *o;
    for (t = token; *t; t++)
        if (*t == '~' || *t == '/')
            extra++;
    out = apr_palloc(pool, strlen(pointer) + strlen(token) + extra + 2);
    o = stpcpy(out, pointer);
    *o++ = '/';
    for (t = token; *t; t++) {
        if (*t == '~') {
            *o++ = '~';
            *o++ = '0';
        }
        else if (*t == '/') {
            *o++ = '~';
            *o++ = '1';
        }
        else {
            *o++ = *t;
        }
    }
    *o = '\0';
    return out;
}
