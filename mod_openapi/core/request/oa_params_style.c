/* Parameter deserialization: OpenAPI 3.x styles (simple, label, matrix, form,
 * spaceDelimited, pipeDelimited, deepObject; explode or not) and 2.0 collectionFormats,
 * for scalars, arrays and objects, with Connexion's handling of repeated query keys. The
 * result is JSON cast to the shape's types, for the validator to judge. */
#include "request/oa_params_style.h"

#include <apr_strings.h>
#include <string.h>

static int is_null_text(const char *text)
{
    return strcmp(text, "null") == 0 || strcmp(text, "None") == 0;
}

static int shape_is(const oa_shape *shape, const char *type)
{
    return shape && shape->type && strcmp(shape->type, type) == 0;
}

static char style_delimiter(oa_style_kind kind)
{
    switch (kind) {
    case OA_STYLE_SPACE_DELIMITED:
        return ' ';
    case OA_STYLE_PIPE_DELIMITED:
        return '|';
    case OA_STYLE_TAB_DELIMITED:
        return '\t';
    default:
        return ',';
    }
}

static oa_style_kind style_kind(const char *name)
{
    static const struct {
        const char *name;
        oa_style_kind kind;
    } kinds[] = {{"simple", OA_STYLE_SIMPLE},
                 {"label", OA_STYLE_LABEL},
                 {"matrix", OA_STYLE_MATRIX},
                 {"form", OA_STYLE_FORM},
                 /* 3.2: form with the Cookie header's "; " between pairs, which the
                  * cookie splitter already reads, values never percent-decoded */
                 {"cookie", OA_STYLE_FORM},
                 {"spaceDelimited", OA_STYLE_SPACE_DELIMITED},
                 {"pipeDelimited", OA_STYLE_PIPE_DELIMITED},
                 {"x-tabDelimited", OA_STYLE_TAB_DELIMITED},
                 {"deepObject", OA_STYLE_DEEP_OBJECT}};
    size_t i;
    for (i = 0; name && i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(name, kinds[i].name) == 0)
            return kinds[i].kind;
    return OA_STYLE_FORM;
}

void oa_param_style_of(const oa_parameter *param, oa_param_style *style)
{
    memset(style, 0, sizeof(*style));
    style->nullable = param->nullable;
    /* allowEmptyValue is defined for query (and 2.0 formData) parameters only. */
    style->allow_empty = param->in != OA_IN_QUERY || param->allow_empty_value;
    style->trim_items = param->in == OA_IN_HEADER;
    if (param->collection_format) {
        const char *format = param->collection_format;
        int form_like = param->in == OA_IN_QUERY || param->in == OA_IN_FORM_DATA;
        style->kind = form_like ? OA_STYLE_FORM : OA_STYLE_SIMPLE;
        if (strcmp(format, "ssv") == 0)
            style->kind = OA_STYLE_SPACE_DELIMITED;
        else if (strcmp(format, "tsv") == 0)
            style->kind = OA_STYLE_TAB_DELIMITED;
        else if (strcmp(format, "pipes") == 0)
            style->kind = OA_STYLE_PIPE_DELIMITED;
        style->explode = form_like && strcmp(format, "multi") == 0;
    }
    else {
        style->kind = style_kind(param->style);
        style->explode = param->explode;
    }
    style->delimiter = style_delimiter(style->kind);
}

void oa_param_style_of_encoding(const json_t *encoding, oa_param_style *style)
{
    const json_t *explode = json_object_get(encoding, "explode");
    memset(style, 0, sizeof(*style));
    style->kind = style_kind(json_string_value(json_object_get(encoding, "style")));
    style->explode = explode ? json_is_true(explode) : style->kind == OA_STYLE_FORM;
    style->delimiter = style_delimiter(style->kind);
    style->allow_empty = 1;
    /* 2.0 formData parameters carry x-nullable into their made-up encoding entry */
    style->nullable = json_is_true(json_object_get(encoding, "x-nullable"));
}

static apr_array_header_t *split(apr_pool_t *pool, const char *text, char delimiter,
                                 int trim)
{
    apr_array_header_t *parts = apr_array_make(pool, 4, sizeof(const char *));
    const char set[2] = {delimiter, '\0'};
    const char *p = text;
    for (;;) {
        size_t n = strcspn(p, set);
        const char *start = p;
        const char *end = p + n;
        if (trim) {
            while (start < end && (*start == ' ' || *start == '\t'))
                start++;
            while (end > start && (end[-1] == ' ' || end[-1] == '\t'))
                end--;
        }
        APR_ARRAY_PUSH(parts, const char *) = apr_pstrmemdup(pool, start, end - start);
        if (p[n] == '\0')
            break;
        p += n + 1;
    }
    return parts;
}

static json_t *cast(const char *text, const oa_shape *shape, apr_pool_t *pool,
                    const char **error)
{
    json_t *value = oa_cast_text(text, shape);
    if (!value)
        *error = apr_psprintf(pool, "value is not valid UTF-8");
    return value;
}

static json_t *build_array(apr_array_header_t *items, const oa_shape *shape,
                           apr_pool_t *pool, const char **error)
{
    json_t *array = json_array();
    int i;
    for (i = 0; i < items->nelts; i++) {
        json_t *item = cast(APR_ARRAY_IDX(items, i, const char *), shape ? shape->items : NULL,
                            pool, error);
        if (!item) {
            json_decref(array);
            return NULL;
        }
        json_array_append_new(array, item);
    }
    return array;
}

/* "role,admin,firstName,Alex": names and values alternate. */
static json_t *object_from_list(apr_array_header_t *parts, const oa_shape *shape,
                                apr_pool_t *pool, const char **error)
{
    json_t *object = json_object();
    int i;
    if (parts->nelts % 2) {
        *error = "an object value must be a list of name,value pairs";
        json_decref(object);
        return NULL;
    }
    for (i = 0; i < parts->nelts; i += 2) {
        const char *name = APR_ARRAY_IDX(parts, i, const char *);
        json_t *value = cast(APR_ARRAY_IDX(parts, i + 1, const char *),
                             oa_shape_property(shape, name), pool, error);
        if (!value || json_object_set_new(object, name, value) != 0) {
            if (!*error)
                *error = "an object member name is not valid UTF-8";
            json_decref(object);
            return NULL;
        }
    }
    return object;
}

/* "role=admin,firstName=Alex" (split already): each part is name=value. */
static json_t *object_from_assignments(apr_array_header_t *parts, const oa_shape *shape,
                                       apr_pool_t *pool, const char **error)
{
    json_t *object = json_object();
    int i;
    for (i = 0; i < parts->nelts; i++) {
        const char *part = APR_ARRAY_IDX(parts, i, const char *);
        const char *eq = strchr(part, '=');
        const char *name;
        json_t *value;
        if (!eq) {
            *error = apr_psprintf(pool, "'%s' is not name=value", part);
            json_decref(object);
            return NULL;
        }
        name = apr_pstrmemdup(pool, part, eq - part);
        value = cast(eq + 1, oa_shape_property(shape, name), pool, error);
        if (!value || json_object_set_new(object, name, value) != 0) {
            if (!*error)
                *error = "an object member name is not valid UTF-8";
            json_decref(object);
            return NULL;
        }
    }
    return object;
}

/* The value text of a path or header parameter, its style's prefix removed. */
static json_t *build_value(const oa_param_style *style, const char *body, char item_delimiter,
                           char member_delimiter, const oa_shape *shape, apr_pool_t *pool,
                           const char **error)
{
    if (style->nullable && is_null_text(body))
        return json_null();
    if (shape_is(shape, "array"))
        return *body ? build_array(split(pool, body, item_delimiter, style->trim_items), shape,
                                   pool, error)
                     : json_array();
    if (shape_is(shape, "object")) {
        if (!*body)
            return json_object();
        if (style->explode)
            return object_from_assignments(
                split(pool, body, member_delimiter, style->trim_items), shape, pool, error);
        return object_from_list(split(pool, body, ',', style->trim_items), shape, pool, error);
    }
    return cast(body, shape, pool, error);
}

/* `;id=3;id=4;id=5`: every piece must be name=value. */
static json_t *exploded_matrix_array(const char *name, const char *text, const oa_shape *shape,
                                     apr_pool_t *pool, const char **error)
{
    apr_array_header_t *pieces = split(pool, text, ';', 0);
    apr_array_header_t *items = apr_array_make(pool, pieces->nelts, sizeof(const char *));
    size_t name_length = strlen(name);
    int i;
    for (i = 0; i < pieces->nelts; i++) {
        const char *piece = APR_ARRAY_IDX(pieces, i, const char *);
        if (strncmp(piece, name, name_length) != 0 || piece[name_length] != '=') {
            *error = apr_psprintf(pool, "a matrix-style value must be ';%s=...' for every item",
                                  name);
            return NULL;
        }
        APR_ARRAY_PUSH(items, const char *) = piece + name_length + 1;
    }
    return build_array(items, shape, pool, error);
}

json_t *oa_style_from_text(const oa_param_style *style, const char *name, const char *text,
                           const oa_shape *shape, apr_pool_t *pool, const char **error)
{
    size_t name_length = strlen(name);
    *error = NULL;
    switch (style->kind) {
    case OA_STYLE_LABEL:
        if (*text != '.') {
            *error = "a label-style value must start with '.'";
            return NULL;
        }
        return build_value(style, text + 1, style->explode ? '.' : ',',
                           style->explode ? '.' : ',', shape, pool, error);
    case OA_STYLE_MATRIX:
        if (*text != ';') {
            *error = "a matrix-style value must start with ';'";
            return NULL;
        }
        if (shape_is(shape, "object") && style->explode)
            return build_value(style, text + 1, ',', ';', shape, pool, error);
        if (shape_is(shape, "array") && style->explode)
            return exploded_matrix_array(name, text + 1, shape, pool, error);
        if (strncmp(text + 1, name, name_length) != 0 ||
            (text[1 + name_length] != '=' && text[1 + name_length] != '\0')) {
            *error = apr_psprintf(pool, "a matrix-style value must be ';%s=...'", name);
            return NULL;
        }
        text += 1 + name_length;
        return build_value(style, *text == '=' ? text + 1 : text, ',', ',', shape, pool, error);
    default:
        return build_value(style, text, style->delimiter, style->delimiter, shape, pool, error);
    }
}

/* ---- name=value pairs: query strings, cookies, form fields ---- */

static apr_array_header_t *values_of(const char *name, apr_array_header_t *pairs,
                                     apr_pool_t *pool)
{
    apr_array_header_t *values = apr_array_make(pool, 1, sizeof(const char *));
    int i;
    for (i = 0; i < pairs->nelts; i++) {
        oa_query_pair *pair = &APR_ARRAY_IDX(pairs, i, oa_query_pair);
        if (strcmp(pair->name, name) == 0) {
            pair->used = 1;
            APR_ARRAY_PUSH(values, const char *) = pair->value;
        }
    }
    return values;
}

static const char *pick(apr_array_header_t *values, oa_uri_parser parser)
{
    return parser == OA_URI_PARSER_FIRST_VALUE ? APR_ARRAY_IDX(values, 0, const char *)
                                               : APR_ARRAY_IDX(values, values->nelts - 1,
                                                               const char *);
}

const char *oa_style_pick_text(const char *name, apr_array_header_t *pairs,
                               oa_uri_parser parser)
{
    apr_array_header_t *values = values_of(name, pairs, pairs->pool);
    return values->nelts ? pick(values, parser) : NULL;
}

/* The property a pair sets in an exploded object parameter, or NULL: `name[prop]` for
 * deepObject (`name[a][b]`: *nested is set to the text after "[a]", "[b]"); for
 * form-like styles a key the schema declares (or any key left over when the object is
 * open to more properties). */
static const char *exploded_property(const oa_param_style *style, const char *name,
                                     const oa_query_pair *pair, const oa_shape *shape,
                                     apr_pool_t *pool, const char **nested)
{
    *nested = NULL;
    if (style->kind == OA_STYLE_DEEP_OBJECT) {
        size_t name_length = strlen(name);
        const char *open = pair->name + name_length;
        const char *close;
        if (strncmp(pair->name, name, name_length) != 0 || open[0] != '[' ||
            !(close = strchr(open + 1, ']')) || close == open + 1)
            return NULL;
        if (close[1] == '[')
            *nested = close + 1;
        else if (close[1] != '\0')
            return NULL;
        return apr_pstrmemdup(pool, open + 1, close - open - 1);
    }
    if (pair->used)
        return NULL;
    if (shape->properties && apr_hash_get(shape->properties, pair->name, APR_HASH_KEY_STRING))
        return pair->name;
    if (shape->additional || (!shape->properties && shape->open))
        return pair->name;
    return NULL;
}

/* deepObject `name[a][b][c]=x`: walks (creating) the objects for "a" and "b" and returns
 * the one that takes "c", with *property and *shape set for it. NULL with *error set when
 * a key is malformed, nests deeper than OA_DEEP_OBJECT_MAX_DEPTH, or crosses a value that
 * is not an object. */
#define OA_DEEP_OBJECT_MAX_DEPTH 8
static json_t *deep_container(json_t *object, const char *key, const char **property,
                              const char *nested, const oa_shape **shape, apr_pool_t *pool,
                              const char **error)
{
    int depth = 1;
    while (nested) {
        const char *close = strchr(nested + 1, ']');
        json_t *inner;
        if (nested[0] != '[' || !close || close == nested + 1 ||
            (close[1] != '\0' && close[1] != '['))
            return (*error = apr_psprintf(pool, "'%s' is not a deepObject key", key)), NULL;
        if (++depth > OA_DEEP_OBJECT_MAX_DEPTH)
            return (*error = apr_psprintf(pool, "'%s' nests deeper than %d levels", key,
                                          OA_DEEP_OBJECT_MAX_DEPTH)), NULL;
        inner = json_object_get(object, *property);
        if (!inner) {
            inner = json_object();
            json_object_set_new(object, *property, inner);
        }
        else if (!json_is_object(inner)) {
            return (*error = apr_psprintf(pool, "'%s' sets a member of '%s', which has a "
                                          "value of its own", key, *property)), NULL;
        }
        *shape = oa_shape_property(*shape, *property);
        object = inner;
        *property = apr_pstrmemdup(pool, nested + 1, close - nested - 1);
        nested = close[1] ? close + 1 : NULL;
    }
    return object;
}

static json_t *exploded_object(const oa_param_style *style, const char *name,
                               apr_array_header_t *pairs, oa_uri_parser parser,
                               const oa_shape *shape, apr_pool_t *pool, const char **error)
{
    static const oa_shape no_shape = {NULL, NULL, NULL, NULL, NULL, NULL, 1};
    json_t *object = json_object();
    int i, found = 0;
    if (!shape)
        shape = &no_shape;
    for (i = 0; i < pairs->nelts; i++) {
        oa_query_pair *pair = &APR_ARRAY_IDX(pairs, i, oa_query_pair);
        const char *nested;
        const char *property = exploded_property(style, name, pair, shape, pool, &nested);
        const oa_shape *property_shape;
        const oa_shape *container_shape = shape;
        json_t *container = object;
        json_t *value;
        if (!property)
            continue;
        pair->used = 1;
        found = 1;
        if (nested) {
            container = deep_container(object, pair->name, &property, nested,
                                       &container_shape, pool, error);
            if (!container) {
                json_decref(object);
                return NULL;
            }
        }
        property_shape = oa_shape_property(container_shape, property);
        if (shape_is(property_shape, "array")) {
            /* Repeated keys of an array property are its items. */
            json_t *items = json_object_get(container, property);
            value = cast(pair->value, property_shape->items, pool, error);
            if (value && !items) {
                items = json_array();
                json_object_set_new(container, property, items);
            }
            if (value)
                json_array_append_new(items, value);
        }
        else {
            if (parser == OA_URI_PARSER_FIRST_VALUE && json_object_get(container, property))
                continue;
            value = cast(pair->value, property_shape, pool, error);
            if (value)
                json_object_set_new(container, property, value);
        }
        if (!value) {
            json_decref(object);
            return NULL;
        }
    }
    if (!found) {
        json_decref(object);
        return NULL;
    }
    return object;
}

static const char *empty_error(apr_pool_t *pool, const char *name)
{
    return apr_psprintf(pool, "'%s' has an empty value, which is not allowed", name);
}

static json_t *array_from_pairs(const oa_param_style *style, const char *name,
                                apr_array_header_t *values, oa_uri_parser parser,
                                const oa_shape *shape, apr_pool_t *pool, const char **error)
{
    apr_array_header_t *items;
    int i;
    if (style->nullable && values->nelts == 1 && is_null_text(pick(values, parser)))
        return json_null();
    if (parser == OA_URI_PARSER_ALWAYS_MULTI || style->explode) {
        /* Every repetition counts (explode, 2.0 multi; always for Connexion 1.x's
         * parser), and each is split on the delimiter too, as Connexion does: the
         * default form/explode reads both ?ids=1&ids=2 and ?ids=1,2 as [1,2]. */
        items = apr_array_make(pool, values->nelts, sizeof(const char *));
        for (i = 0; i < values->nelts; i++) {
            const char *value = APR_ARRAY_IDX(values, i, const char *);
            if (*value)
                apr_array_cat(items, split(pool, value, style->delimiter, 0));
        }
    }
    else {
        const char *text = pick(values, parser);
        items = *text ? split(pool, text, style->delimiter, 0)
                      : apr_array_make(pool, 0, sizeof(const char *));
    }
    for (i = 0; i < values->nelts && !style->allow_empty; i++)
        if (!*APR_ARRAY_IDX(values, i, const char *)) {
            *error = empty_error(pool, name);
            return NULL;
        }
    return build_array(items, shape, pool, error);
}

json_t *oa_style_from_pairs(const oa_param_style *style, const char *name,
                            apr_array_header_t *pairs, oa_uri_parser parser,
                            const oa_shape *shape, apr_pool_t *pool, const char **error)
{
    apr_array_header_t *values;
    const char *text;
    *error = NULL;
    if (style->kind == OA_STYLE_DEEP_OBJECT || (shape_is(shape, "object") && style->explode))
        return exploded_object(style, name, pairs, parser, shape, pool, error);
    values = values_of(name, pairs, pool);
    if (values->nelts == 0)
        return NULL;
    if (shape_is(shape, "array"))
        return array_from_pairs(style, name, values, parser, shape, pool, error);
    text = pick(values, parser);
    if (!*text) {
        if (!style->allow_empty) {
            *error = empty_error(pool, name);
            return NULL;
        }
        /* An allowed empty value of a number or boolean means "not given". */
        if (shape && shape->type && strcmp(shape->type, "string") != 0 &&
            strcmp(shape->type, "object") != 0)
            return NULL;
    }
    if (style->nullable && is_null_text(text))
        return json_null();
    if (shape_is(shape, "object"))
        return *text ? object_from_list(split(pool, text, style->delimiter, 0), shape, pool,
                                        error)
                     : json_object();
    return cast(text, shape, pool, error);
}
