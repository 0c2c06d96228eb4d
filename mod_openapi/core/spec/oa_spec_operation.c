/* One operation of a spec normalized into the model: its parameters (path-level merged
 * in), request body media types, responses with their headers, and handler name. */
#include "spec/oa_spec_loader.h"

#include <apr_strings.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spec/oa_spec_security.h"
#include "util/oa_media_type.h"

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
static json_t *schema_from_v2_parameter(oa_loader *ld, json_t *param)
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

/* An `in` the spec's version knows: formData and body are 2.0's, cookie 3.x's,
 * querystring 3.2's. */
static int parse_location(const oa_spec *spec, const char *in, oa_param_location *location)
{
    int i;
    for (i = OA_IN_PATH; in && i <= OA_IN_QUERYSTRING; i++)
        if (strcmp(in, oa_param_location_name((oa_param_location)i)) == 0) {
            *location = (oa_param_location)i;
            break;
        }
    if (!in || i > OA_IN_QUERYSTRING)
        return 0;
    if (spec->major == 2)
        return *location != OA_IN_COOKIE && *location != OA_IN_QUERYSTRING;
    if (*location == OA_IN_QUERYSTRING)
        return spec->minor >= 2;
    return *location < OA_IN_FORM_DATA;
}

/* Whether an error is already recorded at node's position: the official schema's check
 * runs first and says some of what the loader checks too (for what is written inline in
 * the root document); the loader then does not say it again in other words. */
static int reported_at(oa_loader *ld, const json_t *node)
{
    oa_position where;
    int i;
    if (!node || !oa_docset_position(ld->spec->docs, node, &where))
        return 0;
    for (i = 0; i < ld->diag->entries->nelts; i++) {
        const oa_diag_entry *e = &APR_ARRAY_IDX(ld->diag->entries, i, oa_diag_entry);
        if (e->line == where.line && e->column == where.column && e->file && where.file &&
            strcmp(e->file, where.file) == 0)
            return 1;
    }
    return 0;
}

/* OpenAPI 3.2 `in: querystring`: the whole query string is one value, written in the one
 * media type of `content`; the `schema` fields (style and the rest) cannot apply. */
static void check_querystring_parameter(oa_loader *ld, json_t *node, const char *name)
{
    static const char *const schema_fields[] = {"schema", "style", "explode", "allowReserved",
                                                "allowEmptyValue", NULL};
    json_t *content = json_object_get(node, "content");
    int i;
    if (reported_at(ld, node))
        return;
    for (i = 0; schema_fields[i]; i++)
        if (json_object_get(node, schema_fields[i])) {
            oa_load_error(ld, node, "querystring parameter '%s' cannot have '%s': the media "
                          "type of its 'content' says how the query string is written",
                          name, schema_fields[i]);
            return;
        }
    if (!json_is_object(content) || json_object_size(content) != 1) {
        if (!reported_at(ld, content))
            oa_load_error(ld, content ? content : node, "querystring parameter '%s' needs "
                          "'content' with exactly one media type (it has %d)", name,
                          json_is_object(content) ? (int)json_object_size(content) : 0);
    }
}

static oa_parameter *make_parameter(oa_loader *ld, json_t *raw, const char *base)
{
    apr_pool_t *pool = ld->spec->pool;
    const char *param_base;
    const char *schema_base;
    json_t *node = oa_load_follow(ld, raw, base, &param_base);
    oa_parameter *param;
    const char *name, *in;
    json_t *explode;

    if (!node)
        return NULL;
    name = json_string_value(json_object_get(node, "name"));
    in = json_string_value(json_object_get(node, "in"));
    param = apr_pcalloc(pool, sizeof(*param));
    if (!name || !parse_location(ld->spec, in, &param->in)) {
        oa_load_error(ld, node, "parameter%s%s needs a name and a valid 'in'",
                      name ? " " : "", name ? name : "");
        return NULL;
    }
    if (param->in == OA_IN_QUERYSTRING)
        check_querystring_parameter(ld, node, name);
    param->name = name;
    param->node = node;
    param->required = json_is_true(json_object_get(node, "required"));
    param->allow_empty_value = json_is_true(json_object_get(node, "allowEmptyValue"));
    param->handler_name = param->in == OA_IN_HEADER ? name : sanitize_name(pool, name);
    if (param->in == OA_IN_PATH && !param->required)
        oa_load_error(ld, node, "path parameter '%s' must be required: true", name);

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
        param->resolved_schema = oa_load_follow(ld, param->schema.node, param_base, &schema_base);
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
            if (param->in == OA_IN_QUERYSTRING)
                param->content_encoding =
                    json_object_get(json_object_iter_value(iter), "encoding");
        }
    }
    param->style = json_string_value(json_object_get(node, "style"));
    if (!param->style)
        param->style = (param->in == OA_IN_QUERY || param->in == OA_IN_COOKIE) ? "form"
                                                                              : "simple";
    explode = json_object_get(node, "explode");
    /* form and 3.2's cookie explode unless told otherwise */
    param->explode = explode ? json_is_true(explode)
                             : strcmp(param->style, "form") == 0 ||
                                   strcmp(param->style, "cookie") == 0;
    if (param->schema.node)
        param->resolved_schema = oa_load_follow(ld, param->schema.node, param_base, &schema_base);
    param->nullable = json_is_true(json_object_get(param->resolved_schema, "nullable"));
    return param;
}

/* Adds parameters from a list, an operation's replacing a path item's of the same
 * name and location. */
static void add_parameters(oa_loader *ld, apr_array_header_t *params, json_t *list,
                           const char *base, apr_hash_t *origins)
{
    size_t i;
    json_t *raw;
    if (list && !json_is_array(list)) {
        oa_load_error(ld, list, "'parameters' must be a list");
        return;
    }
    json_array_foreach(list, i, raw) {
        oa_parameter *param = make_parameter(ld, raw, base);
        int k, replaced = 0;
        if (!param)
            continue;
        apr_hash_set(origins, &param->node, sizeof(param->node), list);
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

/* A conflict between two parameters is the official schema's to report when both are
 * written in one list and it reported that list. */
static int conflict_reported(oa_loader *ld, apr_hash_t *origins, const oa_parameter *a,
                             const oa_parameter *b)
{
    const json_t *list_a = apr_hash_get(origins, &a->node, sizeof(a->node));
    const json_t *list_b = apr_hash_get(origins, &b->node, sizeof(b->node));
    return list_a == list_b && reported_at(ld, list_a);
}

/* OpenAPI 3.2: one querystring parameter at most, and never beside query parameters, once
 * the path item's parameters are merged into the operation's. */
static void check_querystring_use(oa_loader *ld, oa_operation *op, apr_hash_t *origins)
{
    const oa_parameter *querystring = NULL, *query = NULL;
    const char *where = apr_pstrcat(ld->spec->pool, oa_method_name(op->method), " ", op->path,
                                    NULL);
    oa_position first;
    int k, j, reported;
    for (k = 0; k < op->parameters->nelts; k++) {
        const oa_parameter *param = APR_ARRAY_IDX(op->parameters, k, oa_parameter *);
        if (param->in == OA_IN_QUERY && !query)
            query = param;
        if (param->in != OA_IN_QUERYSTRING)
            continue;
        if (!querystring) {
            querystring = param;
            continue;
        }
        /* said already when it shares a reported list with an earlier one */
        for (j = reported = 0; j < k && !reported; j++) {
            const oa_parameter *earlier = APR_ARRAY_IDX(op->parameters, j, oa_parameter *);
            reported = earlier->in == OA_IN_QUERYSTRING &&
                       conflict_reported(ld, origins, earlier, param);
        }
        if (reported)
            continue;
        oa_spec_position(ld->spec, querystring->node, &first);
        oa_load_error(ld, param->node, "%s: a second querystring parameter '%s' (the first, "
                      "'%s', is at line %d): the query string is one value", where, param->name,
                      querystring->name, first.line);
    }
    if (!querystring || !query || conflict_reported(ld, origins, querystring, query))
        return;
    oa_spec_position(ld->spec, querystring->node, &first);
    oa_load_error(ld, query->node, "%s: query parameter '%s' cannot be used with querystring "
                  "parameter '%s' (line %d), which takes the whole query string", where,
                  query->name, querystring->name, first.line);
}

apr_array_header_t *oa_load_check_path_parameters(oa_loader *ld,
                                                         oa_operation *op)
{
    apr_pool_t *pool = ld->scratch;
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
            oa_load_error(ld, op->node,
                          "%s: path parameter '%s' is in the template but no parameter declares it",
                          apr_pstrcat(pool, oa_operation_method(op), " ", op->path, NULL), name);
        p = close + 1;
    }
    for (k = 0; k < op->parameters->nelts; k++) {
        oa_parameter *param = APR_ARRAY_IDX(op->parameters, k, oa_parameter *);
        const char *format;
        if (param->in != OA_IN_PATH)
            continue;
        if (!strstr(op->path, apr_pstrcat(pool, "{", param->name, "}", NULL)))
            oa_load_error(ld, param->node, "path parameter '%s' is not in the template '%s'",
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
static void split_handler_name(oa_loader *ld, oa_operation *op, json_t *path_item)
{
    apr_pool_t *pool = ld->spec->pool;
    const char *controller = NULL;
    const char *full;
    const char *dot;
    static const char *const controller_keys[] = {"x-openapi-router-controller",
                                                  "x-swagger-router-controller", NULL};
    int i;
    for (i = 0; controller_keys[i] && !controller; i++) {
        controller = json_string_value(json_object_get(op->node, controller_keys[i]));
        if (!controller)
            controller = json_string_value(json_object_get(path_item, controller_keys[i]));
    }
    op->controller = controller; /* a resolver's plugin, when there is no operationId */
    if (!op->operation_id)
        return;
    full = controller ? apr_pstrcat(pool, controller, ".", op->operation_id, NULL)
                      : op->operation_id;
    dot = strrchr(full, '.');
    if (!dot)
        return; /* no plugin named: a resolver (or stub/mock mode) must supply it */
    op->plugin = apr_pstrmemdup(pool, full, dot - full);
    op->function = dot + 1;
}

/* ---- request bodies and responses ---- */

static oa_media_type *make_media(oa_loader *ld, const char *name, json_t *schema,
                                 const char *base)
{
    oa_media_type *media = apr_pcalloc(ld->spec->pool, sizeof(*media));
    media->name = name;
    media->schema.node = schema;
    media->schema.base = base;
    return media;
}

/* 3.2 itemSchema: compiled like schema, applied to each item of a sequential body. */
static void set_item_schema(oa_loader *ld, oa_media_type *media, const char *base)
{
    if (ld->spec->major != 3 || ld->spec->minor < 2)
        return; /* not a field before 3.2 */
    media->item_schema.node = json_object_get(media->node, "itemSchema");
    media->item_schema.base = base;
}

/* 2.0 `consumes` / `produces`: the operation's list over the global one; application/json
 * when neither gives any. */
static apr_array_header_t *v2_media_list(oa_loader *ld, oa_operation *op, const char *key)
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
    int i;
    for (i = 0; i < names->nelts; i++)
        if (oa_media_type_is(APR_ARRAY_IDX(names, i, const char *), name))
            return 1;
    return 0;
}

/* Connexion reads x-body-name on the requestBody, or on the media type's schema. */
static const char *v3_body_name(oa_loader *ld, oa_operation *op)
{
    const char *name = json_string_value(json_object_get(op->request_body, "x-body-name"));
    int i;
    for (i = 0; !name && i < op->request_media->nelts; i++) {
        oa_media_type *media = APR_ARRAY_IDX(op->request_media, i, oa_media_type *);
        const char *schema_base;
        oa_diag *ignored = oa_diag_create(ld->scratch);
        json_t *schema = media->schema.node
            ? oa_docset_follow(ld->spec->docs, ld->scratch, media->schema.node,
                               media->schema.base, &schema_base, ignored)
            : NULL;
        name = json_string_value(json_object_get(schema, "x-body-name"));
    }
    return name ? sanitize_name(ld->spec->pool, name) : "body";
}

static void v3_request_body(oa_loader *ld, oa_operation *op)
{
    json_t *content = json_object_get(op->request_body, "content");
    const char *name;
    json_t *media_node;
    if (!json_is_object(content)) {
        oa_load_error(ld, op->request_body, "requestBody needs a 'content' object");
        return;
    }
    json_object_foreach(content, name, media_node) {
        oa_media_type *media =
            make_media(ld, name, json_object_get(media_node, "schema"), op->request_body_base);
        media->node = media_node;
        media->encoding = json_object_get(media_node, "encoding");
        set_item_schema(ld, media, op->request_body_base);
        APR_ARRAY_PUSH(op->request_media, oa_media_type *) = media;
    }
    op->request_body_required = json_is_true(json_object_get(op->request_body, "required"));
    op->body_name = v3_body_name(ld, op);
}

/* 2.0 formData parameters become one object schema (made up, kept by the docset) whose
 * properties are the parameters' schemas; the collectionFormat of each goes into a
 * made-up 3.x-style `encoding` so that form bodies of both versions decode alike. */
static void v2_form_body(oa_loader *ld, oa_operation *op, apr_array_header_t *consumes)
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
                            json_pack("{s:s, s:b, s:b}", "style", style, "explode", explode,
                                      "x-nullable", param->nullable));
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

static void v2_request_body(oa_loader *ld, oa_operation *op)
{
    apr_array_header_t *consumes = v2_media_list(ld, op, "consumes");
    oa_parameter *body = NULL;
    int i, has_form = 0;
    for (i = 0; i < op->parameters->nelts; i++) {
        oa_parameter *param = APR_ARRAY_IDX(op->parameters, i, oa_parameter *);
        if (param->in == OA_IN_BODY) {
            if (body)
                oa_load_error(ld, param->node, "an operation may have only one body parameter");
            body = param;
        }
        else if (param->in == OA_IN_FORM_DATA) {
            has_form = 1;
        }
    }
    if (body && has_form) {
        oa_load_error(ld, body->node, "body and formData parameters cannot be used together");
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

static void normalize_request_body(oa_loader *ld, oa_operation *op)
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

static oa_response_header *make_response_header(oa_loader *ld, const char *name, json_t *raw,
                                                const char *base)
{
    oa_response_header *header = apr_pcalloc(ld->spec->pool, sizeof(*header));
    const char *header_base;
    json_t *node = oa_load_follow(ld, raw, base, &header_base);
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
static json_t *v2_response_schema(oa_loader *ld, json_t *schema, const char *base)
{
    const char *schema_base;
    json_t *target = schema ? oa_load_follow(ld, schema, base, &schema_base) : NULL;
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

static void normalize_responses(oa_loader *ld, oa_operation *op)
{
    apr_pool_t *pool = ld->spec->pool;
    const char *status;
    json_t *raw;
    op->response_list = apr_array_make(pool, 4, sizeof(oa_response *));
    if (op->responses && !json_is_object(op->responses)) {
        oa_load_error(ld, op->responses, "'responses' must be an object");
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
        node = oa_load_follow(ld, raw, op->responses_base, &base);
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
                set_item_schema(ld, media, base);
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

oa_operation *oa_load_operation(oa_loader *ld, const char *path,
                                           json_t *path_item, const char *item_base,
                                           const char *method_key, json_t *raw)
{
    apr_pool_t *pool = ld->spec->pool;
    oa_operation *op = apr_pcalloc(pool, sizeof(*op));
    json_t *operation_id;
    apr_hash_t *origins; /* parameter node -> the list it is written in */
    /* An operation may be a $ref (not in the OpenAPI texts, but common tools accept it):
     * what it holds then resolves against the document it is written in. */
    json_t *node = oa_load_follow(ld, raw, item_base, &op->base);

    if (!node)
        return NULL;
    op->method = oa_method_from_name(method_key);
    /* a fixed field ("get") names its method in capitals; an additionalOperations key is
     * the method as sent */
    op->method_name = op->method != OA_METHOD_UNKNOWN ? oa_method_name(op->method)
                                                      : apr_pstrdup(pool, method_key);
    op->path = path;
    op->node = node;
    oa_spec_position(ld->spec, node, &op->position);
    if (!json_is_object(node)) {
        oa_load_error(ld, raw, "%s %s: an operation must be an object",
                      oa_operation_method(op), path);
        return NULL;
    }
    operation_id = json_object_get(node, "operationId");
    if (operation_id && !json_is_string(operation_id))
        oa_load_error(ld, operation_id, "%s %s: operationId must be a string",
                      oa_operation_method(op), path);
    op->operation_id = json_string_value(operation_id);
    if (op->operation_id) {
        json_t *first = apr_hash_get(ld->operation_ids, op->operation_id,
                                     APR_HASH_KEY_STRING);
        if (first) {
            oa_position where;
            oa_spec_position(ld->spec, first, &where);
            oa_load_error(ld, operation_id,
                          "duplicate operationId '%s' (first used at line %d)",
                          op->operation_id, where.line);
        }
        else {
            apr_hash_set(ld->operation_ids, op->operation_id, APR_HASH_KEY_STRING,
                         operation_id);
        }
    }
    split_handler_name(ld, op, path_item);

    op->parameters = apr_array_make(pool, 4, sizeof(oa_parameter *));
    origins = apr_hash_make(ld->scratch);
    add_parameters(ld, op->parameters, json_object_get(path_item, "parameters"), item_base,
                   origins);
    add_parameters(ld, op->parameters, json_object_get(node, "parameters"), op->base, origins);
    check_querystring_use(ld, op, origins);

    if (json_object_get(node, "requestBody"))
        op->request_body = oa_load_follow(ld, json_object_get(node, "requestBody"),
                                          op->base, &op->request_body_base);
    op->responses = json_object_get(node, "responses");
    op->responses_base = op->base;
    normalize_request_body(ld, op);
    normalize_responses(ld, op);
    oa_security_load_operation(ld->spec, op, ld->diag);

    op->index = ld->spec->operations->nelts;
    APR_ARRAY_PUSH(ld->spec->operations, oa_operation *) = op;
    return op;
}

