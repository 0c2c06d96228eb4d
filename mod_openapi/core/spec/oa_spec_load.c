/* Loading a spec: the root document and every file its $refs reach, the version, the base
 * path, the security schemes, then each path item's operations into the model and the
 * router. The loader sits above the model (oa_spec.c), the router and the security
 * loader, which know nothing of it. */
#include "spec/oa_spec_load.h"

#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "doc/oa_parse.h"
#include "doc/oa_template.h"
#include "spec/oa_router.h"
#include "spec/oa_spec_loader.h"
#include "spec/oa_spec_security.h"
#include "spec/oa_spec_structure.h"
#include "util/oa_pool.h"

json_t *oa_load_follow(oa_loader *ld, json_t *node, const char *base,
                       const char **target_base)
{
    return oa_docset_follow(ld->spec->docs, ld->spec->pool, node, base, target_base,
                            ld->diag);
}

/* ---- every $ref must resolve ---- */

typedef struct ref_walk {
    oa_loader *ld;
    apr_hash_t *seen_nodes; /* nodes walked already (aliases share nodes) */
    apr_hash_t *seen_docs;  /* document URIs queued */
    apr_array_header_t *queue; /* of const char * document URIs */
} ref_walk;

static void queue_document(ref_walk *walk, const char *uri)
{
    if (apr_hash_get(walk->seen_docs, uri, APR_HASH_KEY_STRING))
        return;
    apr_hash_set(walk->seen_docs, uri, APR_HASH_KEY_STRING, uri);
    APR_ARRAY_PUSH(walk->queue, const char *) = uri;
}

static void walk_refs(ref_walk *walk, json_t *node, const char *base, int depth)
{
    apr_pool_t *pool = walk->ld->scratch;
    json_t **key;
    if (!json_is_object(node) && !json_is_array(node))
        return;
    if (depth > 512 || apr_hash_get(walk->seen_nodes, &node, sizeof(node)))
        return;
    key = apr_palloc(pool, sizeof(*key));
    *key = node;
    apr_hash_set(walk->seen_nodes, key, sizeof(*key), node);
    if (json_is_array(node)) {
        size_t i;
        json_t *item;
        json_array_foreach(node, i, item)
            walk_refs(walk, item, base, depth + 1);
        return;
    }
    {
        const char *name;
        json_t *value;
        json_t *ref = json_object_get(node, "$ref");
        if (json_is_string(ref)) {
            oa_diag *local = oa_diag_create(pool);
            const char *target_base;
            const char *fragment;
            int i;
            if (oa_docset_resolve(walk->ld->spec->docs, pool, base, json_string_value(ref),
                                  &target_base, local))
                queue_document(walk, oa_uri_split_fragment(pool, target_base, &fragment));
            /* Errors without a position are the $ref's own: they get its position. */
            for (i = 0; i < local->entries->nelts; i++) {
                const oa_diag_entry *e = &APR_ARRAY_IDX(local->entries, i, oa_diag_entry);
                if (e->file)
                    oa_diag_add(walk->ld->diag, e->file, e->line, e->column, "%s",
                                e->message);
                else
                    oa_docset_error_at(walk->ld->spec->docs, walk->ld->diag, ref, "%s",
                                       e->message);
            }
        }
        json_object_foreach(node, name, value)
            walk_refs(walk, value, base, depth + 1);
    }
}

static void check_all_refs(oa_loader *ld)
{
    ref_walk walk;
    int i;
    walk.ld = ld;
    walk.seen_nodes = apr_hash_make(ld->scratch);
    walk.seen_docs = apr_hash_make(ld->scratch);
    walk.queue = apr_array_make(ld->scratch, 4, sizeof(const char *));
    queue_document(&walk, ld->spec->uri);
    /* The queue grows as documents are discovered; each is walked once. */
    for (i = 0; i < walk.queue->nelts; i++) {
        const char *uri = APR_ARRAY_IDX(walk.queue, i, const char *);
        oa_diag *ignored = oa_diag_create(ld->scratch);
        json_t *root = oa_docset_get(ld->spec->docs, uri, ignored);
        if (root)
            walk_refs(&walk, root, uri, 0);
    }
}

/* ---- base path ---- */

static const char *trim_base_path(apr_pool_t *pool, const char *path)
{
    size_t n = strlen(path);
    while (n > 0 && path[n - 1] == '/')
        n--;
    if (n > 0 && path[0] != '/')
        return apr_pstrcat(pool, "/", apr_pstrmemdup(pool, path, n), NULL);
    return apr_pstrmemdup(pool, path, n);
}

/* servers[0].url with {variables} replaced by their defaults; the path part of it. */
static const char *server_base_path(oa_loader *ld, json_t *servers)
{
    apr_pool_t *pool = ld->spec->pool;
    json_t *server = json_array_get(servers, 0);
    json_t *variables = json_object_get(server, "variables");
    const char *url = json_string_value(json_object_get(server, "url"));
    const char *p;
    char *expanded = "";
    const char *scheme_end;

    if (!url)
        return "";
    for (p = url; *p;) {
        const char *open = strchr(p, '{');
        const char *close = open ? strchr(open, '}') : NULL;
        const char *name, *value;
        if (!open || !close) {
            expanded = apr_pstrcat(pool, expanded, p, NULL);
            break;
        }
        name = apr_pstrmemdup(pool, open + 1, close - open - 1);
        value = json_string_value(
            json_object_get(json_object_get(variables, name), "default"));
        if (!value) {
            oa_load_error(ld, server,
                          "server variable '%s' in servers[0].url has no default", name);
            value = "";
        }
        expanded = apr_pstrcat(pool, expanded, apr_pstrmemdup(pool, p, open - p), value, NULL);
        p = close + 1;
    }
    /* A full URL: keep what follows the authority. */
    scheme_end = strstr(expanded, "://");
    if (scheme_end) {
        const char *path = strchr(scheme_end + 3, '/');
        return trim_base_path(pool, path ? path : "");
    }
    if (expanded[0] == '/' && expanded[1] == '/') {
        const char *path = strchr(expanded + 2, '/');
        return trim_base_path(pool, path ? path : "");
    }
    return trim_base_path(pool, expanded);
}

/* A path item's fixed fields that are operations: 3.2 adds `query`; 2.0 has no trace. */
static int is_method_key(const oa_spec *spec, const char *key)
{
    oa_method method = oa_method_from_name(key);
    if (method == OA_METHOD_UNKNOWN)
        return 0;
    if (method == OA_METHOD_QUERY)
        return spec->major == 3 && spec->minor >= 2;
    return !(spec->major == 2 && method == OA_METHOD_TRACE);
}

static void add_operation(oa_loader *ld, const char *path, json_t *item,
                          const char *item_base, const char *method_key, json_t *node,
                          oa_route **route, const oa_position *where)
{
    apr_array_header_t *spanning;
    oa_operation *op = oa_load_operation(ld, apr_pstrdup(ld->spec->pool, path), item,
                                         item_base, method_key, node);
    if (!op)
        return;
    spanning = oa_load_check_path_parameters(ld, op);
    if (!*route)
        *route = oa_router_add(ld->spec->router, op->path, spanning, ld->diag, where);
    /* a second operation of a method comes only from a field spelled in other capitals
     * ("GET" beside "get"), which the official schema has refused already: the first
     * one stays */
    if (*route)
        (void)oa_route_add_operation(*route, op);
}

/* Whether an additionalOperations key can be served. A name that is not a method token
 * or is a fixed field's method (GET, QUERY) is refused by the official schema, which says
 * so at the same place; a case variant of one ("get", "Query") passes it but is refused
 * here: the spec keeps those methods for their fields, and clients may normalize the
 * name (browsers' fetch() sends "get" as GET), reaching the field's operation instead. */
static int additional_method_usable(oa_loader *ld, const char *path, const char *method,
                                    json_t *node)
{
    oa_method fixed = oa_method_from_name(method);
    char *field;
    char *c;
    if (!oa_method_is_token(method))
        return 0;
    if (fixed == OA_METHOD_UNKNOWN)
        return 1;
    if (strcmp(method, oa_method_name(fixed)) == 0)
        return 0;
    field = apr_pstrdup(ld->spec->pool, oa_method_name(fixed));
    for (c = field; *c; c++)
        *c = (char)apr_tolower(*c);
    oa_load_error(ld, node, "path '%s': additionalOperations method '%s' is %s but for case: "
                  "%s operations go in the path item's own '%s' field (clients may send the "
                  "method as %s)", path, method, oa_method_name(fixed), oa_method_name(fixed),
                  field, oa_method_name(fixed));
    return 0;
}

/* OpenAPI 3.2 additionalOperations: methods without a field of their own (PURGE, LINK),
 * each key the method exactly as requests send it. */
static void add_additional_operations(oa_loader *ld, const char *path, json_t *item,
                                      const char *item_base, oa_route **route,
                                      const oa_position *where)
{
    json_t *operations = json_object_get(item, "additionalOperations");
    const char *method;
    json_t *node;
    if (ld->spec->major != 3 || ld->spec->minor < 2 || !json_is_object(operations))
        return;
    json_object_foreach(operations, method, node)
        if (additional_method_usable(ld, path, method, node))
            add_operation(ld, path, item, item_base, method, node, route, where);
}

static void load_paths(oa_loader *ld)
{
    json_t *paths = json_object_get(ld->spec->root, "paths");
    const char *path;
    json_t *raw_item;

    if (!paths) {
        /* 3.1 on: a spec of components or webhooks alone serves nothing but is valid */
        if (ld->spec->major == 2 || ld->spec->minor == 0)
            oa_load_error(ld, ld->spec->root, "the spec has no 'paths'");
        return;
    }
    if (!json_is_object(paths)) {
        oa_load_error(ld, paths, "'paths' must be an object");
        return;
    }
    json_object_foreach(paths, path, raw_item) {
        const char *item_base;
        json_t *item;
        const char *method_key;
        json_t *node;
        oa_route *route = NULL;
        oa_position where;

        if (strncmp(path, "x-", 2) == 0)
            continue;
        item = oa_load_follow(ld, raw_item, ld->spec->uri, &item_base);
        if (!item)
            continue;
        if (!json_is_object(item)) {
            oa_load_error(ld, raw_item, "path item '%s' must be an object", path);
            continue;
        }
        oa_spec_position(ld->spec, raw_item, &where);
        json_object_foreach(item, method_key, node)
            if (is_method_key(ld->spec, method_key))
                add_operation(ld, path, item, item_base, method_key, node, &route, &where);
        add_additional_operations(ld, path, item, item_base, &route, &where);
    }
}

/* ---- the whole spec ---- */

static int detect_version(oa_loader *ld)
{
    oa_spec *spec = ld->spec;
    json_t *openapi = json_object_get(spec->root, "openapi");
    json_t *swagger = json_object_get(spec->root, "swagger");

    if (json_is_string(openapi)) {
        /* 3.0.x, 3.1.x, 3.2.x: "3.1" alone or "3.1.0-rc1" as the official schemas allow */
        static const char *const supported[] = {"3.0", "3.1", "3.2"};
        size_t i;
        spec->version = json_string_value(openapi);
        for (i = 0; i < sizeof(supported) / sizeof(supported[0]); i++) {
            if (strncmp(spec->version, supported[i], 3) == 0 &&
                (spec->version[3] == '\0' || spec->version[3] == '.')) {
                spec->major = 3;
                spec->minor = spec->version[2] - '0';
                return 1;
            }
        }
        oa_load_error(ld, openapi,
                      "OpenAPI version '%s' is not supported (supported: 2.0, 3.0.x, 3.1.x "
                      "and 3.2.x)",
                      spec->version);
        return 0;
    }
    /* swagger: 2.0 unquoted is a YAML number; take it as the string it was meant to be. */
    if ((json_is_string(swagger) && strcmp(json_string_value(swagger), "2.0") == 0) ||
        (json_is_real(swagger) && json_real_value(swagger) == 2.0)) {
        spec->version = "2.0";
        spec->major = 2;
        return 1;
    }
    if (swagger)
        oa_load_error(ld, swagger, "swagger version must be \"2.0\"");
    else
        oa_load_error(ld, spec->root, "not an OpenAPI spec: neither 'openapi: 3.x.y' nor "
                                      "'swagger: \"2.0\"' is set");
    return 0;
}

/* ---- OpenAPI 3.2 $self ---- */

/* Documents named under the folder of the spec's $self are read from the spec's own
 * folder: a spec published as https://api.example.com/v1/openapi.yaml, its parts beside
 * it, is served from a copy on disk. */
typedef struct self_folder {
    const char *self;       /* "https://api.example.com/v1/" */
    const char *local;      /* "file:///etc/apache2/openapi/" */
    oa_template_args *args; /* the template loader's */
} self_folder;

static json_t *load_under_self(void *baton, oa_docset *set, const char *uri,
                               oa_posmap **positions, oa_diag *diag)
{
    const self_folder *folder = baton;
    size_t n = strlen(folder->self);
    if (strncmp(uri, folder->self, n) == 0)
        uri = apr_pstrcat(oa_docset_pool(set), folder->local, uri + n, NULL);
    return oa_template_file_loader(folder->args, set, uri, positions, diag);
}

static const char *uri_folder(apr_pool_t *pool, const char *uri)
{
    const char *slash = strrchr(uri, '/');
    return slash ? apr_pstrmemdup(pool, uri, slash - uri + 1) : uri;
}

/* "3.1.0", "3.2": a version whose schemas are JSON Schema 2020-12 */
static int is_json_schema_2020(const json_t *root)
{
    const char *openapi = json_string_value(json_object_get(root, "openapi"));
    return openapi && strncmp(openapi, "3.", 2) == 0 && openapi[2] >= '1' &&
           openapi[2] <= '9';
}

/* The docset of a spec whose root document is at *uri: with a 3.2 `$self`, documents are
 * named under it (*uri becomes it) and fetched from beside the root file. */
static oa_docset *create_docset(apr_pool_t *pool, const char **uri, const json_t *root,
                                oa_template_args *args)
{
    json_t *self = json_object_get(root, "$self");
    const char *openapi = json_string_value(json_object_get(root, "openapi"));
    self_folder *folder;
    const char *fragment;
    if (!json_is_string(self) || !openapi || strncmp(openapi, "3.", 2) != 0 ||
        openapi[2] < '2')
        return oa_docset_create(pool, oa_template_file_loader, args);
    folder = apr_palloc(pool, sizeof(*folder));
    folder->args = args;
    folder->local = uri_folder(pool, *uri);
    *uri = oa_uri_split_fragment(pool, oa_uri_resolve(pool, *uri, json_string_value(self)),
                                 &fragment);
    folder->self = uri_folder(pool, *uri);
    return oa_docset_create(pool, load_under_self, folder);
}
/* A spec's identical subtrees are one node: no OpenAPI 2.0 / 3.0 schema has an id that
 * would make its meaning depend on where it sits (3.1 on, with $id, $anchor and
 * $dynamicAnchor, are parsed without). */
static const int share_subtrees = OA_PARSE_SHARE_SUBTREES;

oa_spec *oa_spec_load(apr_pool_t *pool, const char *path, oa_diag *diag)
{
    return oa_spec_load_filled(pool, path, NULL, diag);
}

oa_spec *oa_spec_load_filled(apr_pool_t *pool, const char *path, oa_template_args *args,
                             oa_diag *diag)
{
    oa_docset *docs;
    const char *uri = oa_uri_from_path(pool, path);
    oa_posmap *positions = NULL;
    json_t *root;
    if (!args)
        args = apr_pcalloc(pool, sizeof(*args));
    args->parse_flags = share_subtrees; /* identical inline schemas cost once */
    /* the root is parsed by path (not by URI) so that its errors name the file as given */
    root = oa_template_parse_file(pool, path, args, &positions, diag);
    if (root && is_json_schema_2020(root)) {
        /* 3.1 on: the same subtree may mean something else elsewhere ($id, anchors) */
        json_decref(root);
        args->parse_flags = 0;
        root = oa_template_parse_file(pool, path, args, &positions, diag);
    }
    if (!root)
        return NULL;
    docs = create_docset(pool, &uri, root, args);
    oa_docset_add(docs, uri, root, positions);
    return oa_spec_load_docset(pool, path, uri, docs, diag);
}

/* What follows the root's checks: the official schema, $refs, base path, security and
 * paths. Returns 0 when the spec cannot be loaded at all. */
static int load_spec(oa_loader *ld)
{
    oa_spec *spec = ld->spec;
    json_t *base_path;

    if (!detect_version(ld))
        return 0;
    /* The official schema's errors first; the checks below add what it cannot see
     * (operationIds, path parameters, $refs, security) in their own words. */
    oa_spec_check_structure(spec, ld->diag);
    spec->title = json_string_value(json_object_get(json_object_get(spec->root, "info"),
                                                    "title"));
    if (!spec->title)
        oa_load_error(ld, spec->root, "info.title is required");

    check_all_refs(ld);
    /* the files those $refs reach, against the same schema */
    oa_spec_check_referenced_structure(spec, ld->diag);

    if (spec->major == 3) {
        spec->base_path = server_base_path(ld, json_object_get(spec->root, "servers"));
    }
    else {
        base_path = json_object_get(spec->root, "basePath");
        spec->base_path = trim_base_path(spec->pool, json_is_string(base_path)
                                                         ? json_string_value(base_path) : "");
    }
    oa_security_load_spec(spec, ld->diag);
    load_paths(ld);
    oa_security_mark_token_endpoints(spec);
    return 1;
}

oa_spec *oa_spec_load_docset(apr_pool_t *pool, const char *name, const char *uri,
                             oa_docset *docs, oa_diag *diag)
{
    oa_spec *spec = apr_pcalloc(pool, sizeof(*spec));
    oa_loader ld;
    int errors_before = oa_diag_count(diag);
    const char *path = apr_pstrdup(pool, name);
    int loaded;

    spec->pool = pool;
    spec->file = path;
    spec->uri = apr_pstrdup(pool, uri);
    spec->docs = docs;
    spec->operations = apr_array_make(pool, 16, sizeof(oa_operation *));
    spec->router = oa_router_create(pool);
    spec->root = oa_docset_get(docs, spec->uri, diag);
    if (!spec->root)
        return NULL;
    if (!json_is_object(spec->root)) {
        oa_diag_add(diag, path, 1, 1, "a spec must be a mapping (JSON object) at the top");
        return NULL;
    }
    memset(&ld, 0, sizeof(ld));
    ld.spec = spec;
    ld.diag = diag;
    /* what only the load needs (a few KiB per operation) goes back with it */
    ld.scratch = oa_pool_create_own(NULL, 0);
    ld.operation_ids = apr_hash_make(ld.scratch);
    loaded = load_spec(&ld);
    apr_pool_destroy(ld.scratch);
    return loaded && oa_diag_count(diag) == errors_before ? spec : NULL;
}
