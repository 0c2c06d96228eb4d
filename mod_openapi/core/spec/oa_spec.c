#include "spec/oa_spec.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc/oa_parse.h"
#include "spec/oa_router.h"
#include "spec/oa_spec_security.h"

/* A $ref chain longer than this is taken for a loop. */
#define OA_MAX_REF_CHAIN 32

static const char *const method_names[OA_METHOD_COUNT] = {
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"};

oa_method oa_method_from_name(const char *name)
{
    int m;
    for (m = 0; m < OA_METHOD_COUNT; m++)
        if (strcasecmp(name, method_names[m]) == 0)
            return (oa_method)m;
    return OA_METHOD_UNKNOWN;
}

const char *oa_method_name(oa_method method)
{
    return method < OA_METHOD_COUNT ? method_names[method] : "UNKNOWN";
}

const char *oa_param_location_name(oa_param_location in)
{
    static const char *const names[] = {"path", "query", "header", "cookie", "formData", "body"};
    return (size_t)in < sizeof(names) / sizeof(names[0]) ? names[in] : "unknown";
}

/* ---- loading context ---- */

typedef struct loader {
    oa_spec *spec;
    oa_diag *diag;
    apr_hash_t *operation_ids; /* operationId -> its json_t string node */
} loader;

void oa_spec_position(const oa_spec *spec, const json_t *node, oa_position *position)
{
    if (!oa_docset_position(spec->docs, node, position))
        position->file = spec->file;
}

static void error_at(loader *ld, const json_t *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error_at(loader *ld, const json_t *node, const char *fmt, ...)
{
    oa_position pos;
    va_list ap;
    const char *message;
    va_start(ap, fmt);
    message = apr_pvsprintf(ld->spec->pool, fmt, ap);
    va_end(ap);
    oa_spec_position(ld->spec, node, &pos);
    oa_diag_add(ld->diag, pos.file, pos.line, pos.column, "%s", message);
}

/* Errors from the docset carry no position: give them the position of the $ref. */
static void move_errors_to(loader *ld, oa_diag *from, const json_t *node)
{
    int i;
    for (i = 0; i < from->entries->nelts; i++) {
        const oa_diag_entry *e = &APR_ARRAY_IDX(from->entries, i, oa_diag_entry);
        if (e->file)
            oa_diag_add(ld->diag, e->file, e->line, e->column, "%s", e->message);
        else
            error_at(ld, node, "%s", e->message);
    }
}

json_t *oa_spec_follow_refs(oa_spec *spec, json_t *node, const char *base,
                            const char **target_base, oa_diag *diag)
{
    int hops = 0;
    *target_base = base;
    while (json_is_object(node) && json_is_string(json_object_get(node, "$ref"))) {
        const char *ref = json_string_value(json_object_get(node, "$ref"));
        if (++hops > OA_MAX_REF_CHAIN) {
            oa_position pos;
            oa_spec_position(spec, node, &pos);
            oa_diag_add(diag, pos.file, pos.line, pos.column,
                        "$ref '%s' is part of a reference loop", ref);
            return NULL;
        }
        node = oa_docset_resolve(spec->docs, *target_base, ref, target_base, diag);
        if (!node)
            return NULL;
    }
    return node;
}

/* Follows refs, reporting errors at the referencing node. */
static json_t *follow(loader *ld, json_t *node, const char *base, const char **target_base)
{
    oa_diag *local = oa_diag_create(ld->spec->pool);
    json_t *target = oa_spec_follow_refs(ld->spec, node, base, target_base, local);
    if (!target)
        move_errors_to(ld, local, node);
    return target;
}

/* ---- every $ref must resolve ---- */

typedef struct ref_walk {
    loader *ld;
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
    apr_pool_t *pool = walk->ld->spec->pool;
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
            if (oa_docset_resolve(walk->ld->spec->docs, base, json_string_value(ref),
                                  &target_base, local))
                queue_document(walk, oa_uri_split_fragment(pool, target_base, &fragment));
            else
                move_errors_to(walk->ld, local, ref);
        }
        json_object_foreach(node, name, value)
            walk_refs(walk, value, base, depth + 1);
    }
}

static void check_all_refs(loader *ld)
{
    ref_walk walk;
    int i;
    walk.ld = ld;
    walk.seen_nodes = apr_hash_make(ld->spec->pool);
    walk.seen_docs = apr_hash_make(ld->spec->pool);
    walk.queue = apr_array_make(ld->spec->pool, 4, sizeof(const char *));
    queue_document(&walk, ld->spec->uri);
    /* The queue grows as documents are discovered; each is walked once. */
    for (i = 0; i < walk.queue->nelts; i++) {
        const char *uri = APR_ARRAY_IDX(walk.queue, i, const char *);
        oa_diag *ignored = oa_diag_create(ld->spec->pool);
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
static const char *server_base_path(loader *ld, json_t *servers)
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
            error_at(ld, server, "server variable '%s' in servers[0].url has no default", name);
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

/* ---- parameters ---- */

/* Connexion's rule: drop characters that cannot be in an identifier, then leading ones
 * until a letter or underscore ("$top" -> "top"). */
static const char *sanitize_name(apr_pool_t *pool, const char *name)
{
    char *out = apr_palloc(pool, strlen(name) + 1);
    char *o = out;
    const char *p;
    for (p = name; *p; p++)
        if (isalnum((unsigned char)*p) || *p == '_')
            *o++ = *p;
    *o = '\0';
    while (*out && !isalpha((unsigned char)*out) && *out != '_')
        out++;
    return out;
}

/* OpenAPI 2.0 puts the schema keywords on the parameter itself. */
static json_t *schema_from_v2_parameter(loader *ld, json_t *param)
{
    static const char *const keywords[] = {
        "type", "format", "items", "default", "maximum", "exclusiveMaximum", "minimum",
        "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems", "minItems",
        "uniqueItems", "enum", "multipleOf", "x-nullable", NULL};
    json_t *schema = json_object();
    int i;
    for (i = 0; keywords[i]; i++) {
        json_t *value = json_object_get(param, keywords[i]);
        if (value)
            json_object_set(schema, keywords[i], value);
    }
    /* 2.0's `type: file` (formData, responses) is not a JSON Schema type: a file is a
     * string of bytes to the validator. */
    if (json_is_string(json_object_get(schema, "type")) &&
        strcmp(json_string_value(json_object_get(schema, "type")), "file") == 0) {
        json_object_set_new(schema, "type", json_string("string"));
        json_object_set_new(schema, "format", json_string("binary"));
    }
    oa_docset_keep(ld->spec->docs, schema);
    return schema;
}

static int parse_location(const char *in, oa_param_location *location)
{
    static const char *const names[] = {"path", "query", "header", "cookie", "formData", "body"};
    int i;
    for (i = 0; in && i < 6; i++)
        if (strcmp(in, names[i]) == 0) {
            *location = (oa_param_location)i;
            return 1;
        }
    return 0;
}

static oa_parameter *make_parameter(loader *ld, json_t *raw, const char *base)
{
    apr_pool_t *pool = ld->spec->pool;
    const char *param_base;
    const char *schema_base;
    json_t *node = follow(ld, raw, base, &param_base);
    oa_parameter *param;
    const char *name, *in;
    json_t *explode;

    if (!node)
        return NULL;
    name = json_string_value(json_object_get(node, "name"));
    in = json_string_value(json_object_get(node, "in"));
    param = apr_pcalloc(pool, sizeof(*param));
    if (!name || !parse_location(in, &param->in) ||
        (ld->spec->major == 3 && param->in >= OA_IN_FORM_DATA) ||
        (ld->spec->major == 2 && param->in == OA_IN_COOKIE)) {
        error_at(ld, node, "parameter%s%s needs a name and a valid 'in'",
                 name ? " " : "", name ? name : "");
        return NULL;
    }
    param->name = name;
    param->node = node;
    param->required = json_is_true(json_object_get(node, "required"));
    param->allow_empty_value = json_is_true(json_object_get(node, "allowEmptyValue"));
    param->handler_name = param->in == OA_IN_HEADER ? name : sanitize_name(pool, name);
    if (param->in == OA_IN_PATH && !param->required)
        error_at(ld, node, "path parameter '%s' must be required: true", name);

    if (ld->spec->major == 2) {
        if (param->in == OA_IN_BODY) {
            param->schema.node = json_object_get(node, "schema");
        }
        else {
            param->schema.node = schema_from_v2_parameter(ld, node);
            param->collection_format =
                json_string_value(json_object_get(node, "collectionFormat"));
            if (!param->collection_format)
                param->collection_format = "csv";
        }
        param->schema.base = param_base;
        param->resolved_schema = follow(ld, param->schema.node, param_base, &schema_base);
        param->nullable = json_is_true(json_object_get(node, "x-nullable"));
        return param;
    }

    param->schema.node = json_object_get(node, "schema");
    param->schema.base = param_base;
    if (!param->schema.node) {
        /* "content": a map with one media type, whose schema describes the value. */
        json_t *content = json_object_get(node, "content");
        void *iter = json_object_iter(content);
        if (iter) {
            param->schema.node = json_object_get(json_object_iter_value(iter), "schema");
            param->content_type = json_object_iter_key(iter);
        }
    }
    param->style = json_string_value(json_object_get(node, "style"));
    if (!param->style)
        param->style = (param->in == OA_IN_QUERY || param->in == OA_IN_COOKIE) ? "form"
                                                                              : "simple";
    explode = json_object_get(node, "explode");
    param->explode = explode ? json_is_true(explode) : strcmp(param->style, "form") == 0;
    if (param->schema.node)
        param->resolved_schema = follow(ld, param->schema.node, param_base, &schema_base);
    param->nullable = json_is_true(json_object_get(param->resolved_schema, "nullable"));
    return param;
}

/* Adds parameters from a list, an operation's replacing a path item's of the same
 * name and location. */
static void add_parameters(loader *ld, apr_array_header_t *params, json_t *list,
                           const char *base)
{
    size_t i;
    json_t *raw;
    if (list && !json_is_array(list)) {
        error_at(ld, list, "'parameters' must be a list");
        return;
    }
    json_array_foreach(list, i, raw) {
        oa_parameter *param = make_parameter(ld, raw, base);
        int k, replaced = 0;
        if (!param)
            continue;
        for (k = 0; k < params->nelts; k++) {
            oa_parameter **slot = &APR_ARRAY_IDX(params, k, oa_parameter *);
            if ((*slot)->in == param->in && strcmp((*slot)->name, param->name) == 0) {
                *slot = param;
                replaced = 1;
            }
        }
        if (!replaced)
            APR_ARRAY_PUSH(params, oa_parameter *) = param;
    }
}

/* Every {name} in the template needs a path parameter, and every path parameter a
 * {name}. Returns the names of `format: path` parameters (they span segments). */
static apr_array_header_t *check_path_parameters(loader *ld, oa_operation *op)
{
    apr_pool_t *pool = ld->spec->pool;
    apr_array_header_t *spanning = apr_array_make(pool, 1, sizeof(const char *));
    const char *p = op->path;
    int k;
    while ((p = strchr(p, '{')) != NULL) {
        const char *close = strchr(p, '}');
        const char *name;
        int declared = 0;
        if (!close)
            break;
        name = apr_pstrmemdup(pool, p + 1, close - p - 1);
        for (k = 0; k < op->parameters->nelts; k++) {
            oa_parameter *param = APR_ARRAY_IDX(op->parameters, k, oa_parameter *);
            if (param->in == OA_IN_PATH && strcmp(param->name, name) == 0)
                declared = 1;
        }
        if (!declared)
            error_at(ld, op->node,
                     "%s: path parameter '%s' is in the template but no parameter declares it",
                     apr_pstrcat(pool, oa_method_name(op->method), " ", op->path, NULL), name);
        p = close + 1;
    }
    for (k = 0; k < op->parameters->nelts; k++) {
        oa_parameter *param = APR_ARRAY_IDX(op->parameters, k, oa_parameter *);
        const char *format;
        if (param->in != OA_IN_PATH)
            continue;
        if (!strstr(op->path, apr_pstrcat(pool, "{", param->name, "}", NULL)))
            error_at(ld, param->node, "path parameter '%s' is not in the template '%s'",
                     param->name, op->path);
        format = json_string_value(json_object_get(param->node, "format"));
        if (!format)
            format = json_string_value(json_object_get(param->schema.node, "format"));
        if (format && strcmp(format, "path") == 0)
            APR_ARRAY_PUSH(spanning, const char *) = param->name;
    }
    return spanning;
}

/* "plugin.function", or a relative operationId under x-openapi-router-controller. */
static void split_handler_name(loader *ld, oa_operation *op, json_t *path_item)
{
    apr_pool_t *pool = ld->spec->pool;
    const char *controller = NULL;
    const char *full;
    const char *dot;
    static const char *const controller_keys[] = {"x-openapi-router-controller",
                                                  "x-swagger-router-controller", NULL};
    int i;
    if (!op->operation_id)
        return;
    for (i = 0; controller_keys[i] && !controller; i++) {
        controller = json_string_value(json_object_get(op->node, controller_keys[i]));
        if (!controller)
            controller = json_string_value(json_object_get(path_item, controller_keys[i]));
    }
    full = controller ? apr_pstrcat(pool, controller, ".", op->operation_id, NULL)
                      : op->operation_id;
    dot = strrchr(full, '.');
    if (!dot)
        return; /* no plugin named: a resolver (or stub/mock mode) must supply it */
    op->plugin = apr_pstrmemdup(pool, full, dot - full);
    op->function = dot + 1;
}

/* ---- request bodies and responses ---- */

static oa_media_type *make_media(loader *ld, const char *name, json_t *schema,
                                 const char *base)
{
    oa_media_type *media = apr_pcalloc(ld->spec->pool, sizeof(*media));
    media->name = name;
    media->schema.node = schema;
    media->schema.base = base;
    return media;
}

/* 2.0 `consumes` / `produces`: the operation's list over the global one; application/json
 * when neither gives any. */
static apr_array_header_t *v2_media_list(loader *ld, oa_operation *op, const char *key)
{
    apr_array_header_t *names = apr_array_make(ld->spec->pool, 2, sizeof(const char *));
    json_t *list = json_object_get(op->node, key);
    size_t i;
    json_t *item;
    if (!json_is_array(list))
        list = json_object_get(ld->spec->root, key);
    json_array_foreach(list, i, item)
        if (json_is_string(item))
            APR_ARRAY_PUSH(names, const char *) = json_string_value(item);
    if (names->nelts == 0)
        APR_ARRAY_PUSH(names, const char *) = "application/json";
    return names;
}

/* Whether a consumes list names a media type (parameters such as charset aside). */
static int media_listed(const apr_array_header_t *names, const char *name)
{
    size_t length = strlen(name);
    int i;
    for (i = 0; i < names->nelts; i++) {
        const char *entry = APR_ARRAY_IDX(names, i, const char *);
        size_t essence = strcspn(entry, ";");
        while (essence > 0 && (entry[essence - 1] == ' ' || entry[essence - 1] == '\t'))
            essence--;
        if (essence == length && strncasecmp(entry, name, length) == 0)
            return 1;
    }
    return 0;
}

/* Connexion reads x-body-name on the requestBody, or on the media type's schema. */
static const char *v3_body_name(loader *ld, oa_operation *op)
{
    const char *name = json_string_value(json_object_get(op->request_body, "x-body-name"));
    int i;
    for (i = 0; !name && i < op->request_media->nelts; i++) {
        oa_media_type *media = APR_ARRAY_IDX(op->request_media, i, oa_media_type *);
        const char *schema_base;
        oa_diag *ignored = oa_diag_create(ld->spec->pool);
        json_t *schema = media->schema.node
            ? oa_spec_follow_refs(ld->spec, media->schema.node, media->schema.base,
                                  &schema_base, ignored)
            : NULL;
        name = json_string_value(json_object_get(schema, "x-body-name"));
    }
    return name ? sanitize_name(ld->spec->pool, name) : "body";
}

static void v3_request_body(loader *ld, oa_operation *op)
{
    json_t *content = json_object_get(op->request_body, "content");
    const char *name;
    json_t *media_node;
    if (!json_is_object(content)) {
        error_at(ld, op->request_body, "requestBody needs a 'content' object");
        return;
    }
    json_object_foreach(content, name, media_node) {
        oa_media_type *media =
            make_media(ld, name, json_object_get(media_node, "schema"), op->request_body_base);
        media->node = media_node;
        media->encoding = json_object_get(media_node, "encoding");
        APR_ARRAY_PUSH(op->request_media, oa_media_type *) = media;
    }
    op->request_body_required = json_is_true(json_object_get(op->request_body, "required"));
    op->body_name = v3_body_name(ld, op);
}

/* 2.0 formData parameters become one object schema (made up, kept by the docset) whose
 * properties are the parameters' schemas; the collectionFormat of each goes into a
 * made-up 3.x-style `encoding` so that form bodies of both versions decode alike. */
static void v2_form_body(loader *ld, oa_operation *op, apr_array_header_t *consumes)
{
    json_t *schema = json_object();
    json_t *properties = json_object();
    json_t *required = json_array();
    json_t *encoding = json_object();
    int i, has_file = 0, urlencoded, multipart;
    for (i = 0; i < op->parameters->nelts; i++) {
        oa_parameter *param = APR_ARRAY_IDX(op->parameters, i, oa_parameter *);
        const char *format = param->collection_format;
        const char *style = "form";
        int explode = 0;
        if (param->in != OA_IN_FORM_DATA)
            continue;
        json_object_set(properties, param->name, param->schema.node);
        if (param->required)
            json_array_append_new(required, json_string(param->name));
        if (json_is_string(json_object_get(param->node, "type")) &&
            strcmp(json_string_value(json_object_get(param->node, "type")), "file") == 0)
            has_file = 1;
        if (strcmp(format, "multi") == 0)
            explode = 1;
        else if (strcmp(format, "ssv") == 0)
            style = "spaceDelimited";
        else if (strcmp(format, "pipes") == 0)
            style = "pipeDelimited";
        else if (strcmp(format, "tsv") == 0)
            style = "x-tabDelimited"; /* 2.0 only: no 3.x style splits on tabs */
        json_object_set_new(encoding, param->name,
                            json_pack("{s:s, s:b}", "style", style, "explode", explode));
    }
    json_object_set_new(schema, "type", json_string("object"));
    json_object_set_new(schema, "properties", properties);
    if (json_array_size(required))
        json_object_set_new(schema, "required", required);
    else
        json_decref(required);
    oa_docset_keep(ld->spec->docs, schema);
    oa_docset_keep(ld->spec->docs, encoding);

    urlencoded = media_listed(consumes, "application/x-www-form-urlencoded");
    multipart = media_listed(consumes, "multipart/form-data") || has_file;
    if (!urlencoded && !multipart)
        urlencoded = 1;
    if (urlencoded) {
        oa_media_type *media = make_media(ld, "application/x-www-form-urlencoded", schema,
                                          op->base);
        media->encoding = encoding;
        APR_ARRAY_PUSH(op->request_media, oa_media_type *) = media;
    }
    if (multipart) {
        oa_media_type *media = make_media(ld, "multipart/form-data", schema, op->base);
        media->encoding = encoding;
        APR_ARRAY_PUSH(op->request_media, oa_media_type *) = media;
    }
    for (i = 0; i < op->parameters->nelts; i++)
        if (APR_ARRAY_IDX(op->parameters, i, oa_parameter *)->required &&
            APR_ARRAY_IDX(op->parameters, i, oa_parameter *)->in == OA_IN_FORM_DATA)
            op->request_body_required = 1;
}

static void v2_request_body(loader *ld, oa_operation *op)
{
    apr_array_header_t *consumes = v2_media_list(ld, op, "consumes");
    oa_parameter *body = NULL;
    int i, has_form = 0;
    for (i = 0; i < op->parameters->nelts; i++) {
        oa_parameter *param = APR_ARRAY_IDX(op->parameters, i, oa_parameter *);
        if (param->in == OA_IN_BODY) {
            if (body)
                error_at(ld, param->node, "an operation may have only one body parameter");
            body = param;
        }
        else if (param->in == OA_IN_FORM_DATA) {
            has_form = 1;
        }
    }
    if (body && has_form) {
        error_at(ld, body->node, "body and formData parameters cannot be used together");
        return;
    }
    if (body) {
        for (i = 0; i < consumes->nelts; i++)
            APR_ARRAY_PUSH(op->request_media, oa_media_type *) =
                make_media(ld, APR_ARRAY_IDX(consumes, i, const char *), body->schema.node,
                           body->schema.base);
        op->request_body_required = body->required;
        op->body_name = body->handler_name;
    }
    else if (has_form) {
        v2_form_body(ld, op, consumes);
    }
}

static void normalize_request_body(loader *ld, oa_operation *op)
{
    op->request_media = apr_array_make(ld->spec->pool, 2, sizeof(oa_media_type *));
    op->body_name = "body";
    if (ld->spec->major == 3) {
        if (op->request_body)
            v3_request_body(ld, op);
    }
    else {
        v2_request_body(ld, op);
    }
}

static oa_response_header *make_response_header(loader *ld, const char *name, json_t *raw,
                                                const char *base)
{
    oa_response_header *header = apr_pcalloc(ld->spec->pool, sizeof(*header));
    const char *header_base;
    json_t *node = follow(ld, raw, base, &header_base);
    header->name = name;
    if (!node)
        return NULL;
    header->required = json_is_true(json_object_get(node, "required"));
    header->schema.base = header_base;
    if (ld->spec->major == 2) {
        header->schema.node = schema_from_v2_parameter(ld, node);
    }
    else {
        header->schema.node = json_object_get(node, "schema");
        if (!header->schema.node) {
            void *iter = json_object_iter(json_object_get(node, "content"));
            if (iter)
                header->schema.node =
                    json_object_get(json_object_iter_value(iter), "schema");
        }
    }
    return header;
}

/* A 2.0 response schema of `type: file` is binary content: a string to the validator. */
static json_t *v2_response_schema(loader *ld, json_t *schema, const char *base)
{
    const char *schema_base;
    json_t *target = schema ? follow(ld, schema, base, &schema_base) : NULL;
    const char *type = json_string_value(json_object_get(target, "type"));
    if (type && strcmp(type, "file") == 0) {
        json_t *binary = json_pack("{s:s, s:s}", "type", "string", "format", "binary");
        oa_docset_keep(ld->spec->docs, binary);
        return binary;
    }
    return schema;
}


/* "200" -> 200, "2XX" -> 2, "default" (or anything else) -> 0: what lookups compare. */
static int response_code(const char *key)
{
    if (key[0] >= '1' && key[0] <= '5' && key[1] && key[2] && !key[3]) {
        if ((key[1] == 'X' || key[1] == 'x') && (key[2] == 'X' || key[2] == 'x'))
            return key[0] - '0';
        if (key[1] >= '0' && key[1] <= '9' && key[2] >= '0' && key[2] <= '9')
            return atoi(key);
    }
    return 0;
}

static void normalize_responses(loader *ld, oa_operation *op)
{
    apr_pool_t *pool = ld->spec->pool;
    const char *status;
    json_t *raw;
    op->response_list = apr_array_make(pool, 4, sizeof(oa_response *));
    if (op->responses && !json_is_object(op->responses)) {
        error_at(ld, op->responses, "'responses' must be an object");
        return;
    }
    json_object_foreach(op->responses, status, raw) {
        const char *base;
        json_t *node;
        oa_response *response;
        json_t *headers;
        const char *header_name;
        json_t *header_node;
        if (strncmp(status, "x-", 2) == 0)
            continue;
        node = follow(ld, raw, op->responses_base, &base);
        if (!node)
            continue;
        response = apr_pcalloc(pool, sizeof(*response));
        response->status = status;
        response->code = response_code(status);
        response->node = node;
        response->media = apr_array_make(pool, 1, sizeof(oa_media_type *));
        response->headers = apr_array_make(pool, 1, sizeof(oa_response_header *));
        if (ld->spec->major == 3) {
            const char *name;
            json_t *media_node;
            json_object_foreach(json_object_get(node, "content"), name, media_node) {
                oa_media_type *media =
                    make_media(ld, name, json_object_get(media_node, "schema"), base);
                media->node = media_node;
                media->encoding = json_object_get(media_node, "encoding");
                APR_ARRAY_PUSH(response->media, oa_media_type *) = media;
            }
        }
        else if (json_object_get(node, "schema")) {
            apr_array_header_t *produces = v2_media_list(ld, op, "produces");
            json_t *schema = v2_response_schema(ld, json_object_get(node, "schema"), base);
            int i;
            for (i = 0; i < produces->nelts; i++)
                APR_ARRAY_PUSH(response->media, oa_media_type *) =
                    make_media(ld, APR_ARRAY_IDX(produces, i, const char *), schema, base);
        }
        headers = json_object_get(node, "headers");
        json_object_foreach(headers, header_name, header_node) {
            oa_response_header *header =
                make_response_header(ld, header_name, header_node, base);
            if (header)
                APR_ARRAY_PUSH(response->headers, oa_response_header *) = header;
        }
        APR_ARRAY_PUSH(op->response_list, oa_response *) = response;
    }
}

static void add_operation(loader *ld, const char *path, json_t *path_item,
                          const char *item_base, const char *method_key, json_t *node)
{
    apr_pool_t *pool = ld->spec->pool;
    oa_operation *op = apr_pcalloc(pool, sizeof(*op));
    json_t *operation_id;

    op->method = oa_method_from_name(method_key);
    op->path = path;
    op->node = node;
    op->base = item_base;
    oa_spec_position(ld->spec, node, &op->position);
    if (!json_is_object(node)) {
        error_at(ld, node, "%s %s: an operation must be an object", oa_method_name(op->method),
                 path);
        return;
    }
    operation_id = json_object_get(node, "operationId");
    if (operation_id && !json_is_string(operation_id))
        error_at(ld, operation_id, "%s %s: operationId must be a string",
                 oa_method_name(op->method), path);
    op->operation_id = json_string_value(operation_id);
    if (op->operation_id) {
        json_t *first = apr_hash_get(ld->operation_ids, op->operation_id,
                                     APR_HASH_KEY_STRING);
        if (first) {
            oa_position where;
            oa_spec_position(ld->spec, first, &where);
            error_at(ld, operation_id, "duplicate operationId '%s' (first used at line %d)",
                     op->operation_id, where.line);
        }
        else {
            apr_hash_set(ld->operation_ids, op->operation_id, APR_HASH_KEY_STRING,
                         operation_id);
        }
    }
    split_handler_name(ld, op, path_item);

    op->parameters = apr_array_make(pool, 4, sizeof(oa_parameter *));
    add_parameters(ld, op->parameters, json_object_get(path_item, "parameters"), item_base);
    add_parameters(ld, op->parameters, json_object_get(node, "parameters"), item_base);

    if (json_object_get(node, "requestBody"))
        op->request_body = follow(ld, json_object_get(node, "requestBody"), item_base,
                                  &op->request_body_base);
    op->responses = json_object_get(node, "responses");
    op->responses_base = item_base;
    normalize_request_body(ld, op);
    normalize_responses(ld, op);
    oa_security_load_operation(ld->spec, op, ld->diag);

    op->index = ld->spec->operations->nelts;
    APR_ARRAY_PUSH(ld->spec->operations, oa_operation *) = op;
}

static int is_method_key(const char *key)
{
    return oa_method_from_name(key) != OA_METHOD_UNKNOWN;
}

static void load_paths(loader *ld)
{
    apr_pool_t *pool = ld->spec->pool;
    json_t *paths = json_object_get(ld->spec->root, "paths");
    const char *path;
    json_t *raw_item;

    if (!paths) {
        error_at(ld, ld->spec->root, "the spec has no 'paths'");
        return;
    }
    if (!json_is_object(paths)) {
        error_at(ld, paths, "'paths' must be an object");
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
        item = follow(ld, raw_item, ld->spec->uri, &item_base);
        if (!item)
            continue;
        if (!json_is_object(item)) {
            error_at(ld, raw_item, "path item '%s' must be an object", path);
            continue;
        }
        oa_spec_position(ld->spec, raw_item, &where);
        json_object_foreach(item, method_key, node) {
            oa_operation *op;
            apr_array_header_t *spanning;
            int before = ld->spec->operations->nelts;
            if (!is_method_key(method_key) ||
                (ld->spec->major == 2 && strcasecmp(method_key, "trace") == 0))
                continue;
            add_operation(ld, apr_pstrdup(pool, path), item, item_base, method_key, node);
            if (ld->spec->operations->nelts == before)
                continue;
            op = APR_ARRAY_IDX(ld->spec->operations, before, oa_operation *);
            spanning = check_path_parameters(ld, op);
            if (!route)
                route = oa_router_add(ld->spec->router, op->path, spanning, ld->diag, &where);
            if (route)
                route->operations[op->method] = op;
        }
    }
}

/* ---- the whole spec ---- */

static int detect_version(loader *ld)
{
    oa_spec *spec = ld->spec;
    json_t *openapi = json_object_get(spec->root, "openapi");
    json_t *swagger = json_object_get(spec->root, "swagger");

    if (json_is_string(openapi)) {
        spec->version = json_string_value(openapi);
        if (strncmp(spec->version, "3.0", 3) == 0 &&
            (spec->version[3] == '\0' || spec->version[3] == '.')) {
            spec->major = 3;
            return 1;
        }
        error_at(ld, openapi,
                 "OpenAPI version '%s' is not supported (supported: 2.0 and 3.0.x)",
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
        error_at(ld, swagger, "swagger version must be \"2.0\"");
    else
        error_at(ld, spec->root,
                 "not an OpenAPI spec: neither 'openapi: 3.0.x' nor 'swagger: \"2.0\"' is set");
    return 0;
}

oa_spec *oa_spec_load(apr_pool_t *pool, const char *path, oa_diag *diag)
{
    /* the root is parsed by path (not by URI) so that its errors name the file as given */
    oa_docset *docs = oa_docset_create(pool, oa_parse_file_loader, NULL);
    const char *uri = oa_uri_from_path(pool, path);
    oa_posmap *positions = NULL;
    json_t *root = oa_parse_file(pool, path, &positions, diag);
    if (!root)
        return NULL;
    oa_docset_add(docs, uri, root, positions);
    return oa_spec_load_docset(pool, path, uri, docs, diag);
}

oa_spec *oa_spec_load_docset(apr_pool_t *pool, const char *name, const char *uri,
                             oa_docset *docs, oa_diag *diag)
{
    oa_spec *spec = apr_pcalloc(pool, sizeof(*spec));
    loader ld;
    int errors_before = oa_diag_count(diag);
    json_t *base_path;
    const char *path = apr_pstrdup(pool, name);

    spec->pool = pool;
    spec->file = path;
    spec->uri = apr_pstrdup(pool, uri);
    spec->docs = docs;
    spec->operations = apr_array_make(pool, 16, sizeof(oa_operation *));
    spec->router = oa_router_create(pool);
    spec->root = oa_docset_get(docs, spec->uri, diag);
    if (!spec->root)
        return NULL;
    memset(&ld, 0, sizeof(ld));
    ld.spec = spec;
    ld.diag = diag;
    ld.operation_ids = apr_hash_make(pool);

    if (!json_is_object(spec->root)) {
        oa_diag_add(diag, path, 1, 1, "a spec must be a mapping (JSON object) at the top");
        return NULL;
    }
    if (!detect_version(&ld))
        return NULL;
    spec->title = json_string_value(json_object_get(json_object_get(spec->root, "info"),
                                                    "title"));
    if (!spec->title)
        error_at(&ld, spec->root, "info.title is required");

    check_all_refs(&ld);

    if (spec->major == 3) {
        spec->base_path = server_base_path(&ld, json_object_get(spec->root, "servers"));
    }
    else {
        base_path = json_object_get(spec->root, "basePath");
        spec->base_path = trim_base_path(pool, json_is_string(base_path)
                                                   ? json_string_value(base_path) : "");
    }
    oa_security_load_spec(spec, diag);
    load_paths(&ld);
    oa_security_mark_token_endpoints(spec);
    return oa_diag_count(diag) > errors_before ? NULL : spec;
}

oa_operation *oa_spec_find_operation(const oa_spec *spec, oa_method method,
                                     const char *path_template)
{
    int i;
    for (i = 0; i < spec->operations->nelts; i++) {
        oa_operation *op = APR_ARRAY_IDX(spec->operations, i, oa_operation *);
        if (op->method == method && strcmp(op->path, path_template) == 0)
            return op;
    }
    return NULL;
}
