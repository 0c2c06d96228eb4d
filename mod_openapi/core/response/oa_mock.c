/* Mock responses: which response, media type and example an operation answers with;
 * values come from oa_mock_value when the spec gives no example. */
#include "response/oa_mock.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "response/oa_negotiate.h"
#include "util/oa_media_type.h"
#include "util/oa_sequence.h"

/* What every step of building one answer needs. */
typedef struct mock_ctx {
    apr_pool_t *pool;
    oa_docset *docs;
    oa_diag *diag;
    const oa_mock_options *options; /* never NULL */
    oa_mock_result *result;
} mock_ctx;

static int is_status_key(const char *key, char first_digit)
{
    if (strlen(key) != 3 || (first_digit && key[0] != first_digit) || key[0] < '1' ||
        key[0] > '5')
        return 0;
    if (apr_isdigit(key[1]) && apr_isdigit(key[2]))
        return 1;
    return (key[1] == 'X' || key[1] == 'x') && (key[2] == 'X' || key[2] == 'x');
}

const char *oa_mock_response_key(json_t *responses)
{
    const char *key;
    json_t *value;
    const char *fallback = NULL;
    int has_default = 0;
    json_object_foreach(responses, key, value) {
        if (is_status_key(key, '2'))
            return key;
        if (strcmp(key, "default") == 0)
            has_default = 1;
        else if (!fallback && is_status_key(key, 0))
            fallback = key;
    }
    return has_default ? "default" : fallback;
}

const char *oa_mock_response_key_for_status(json_t *responses, int status)
{
    char exact[4];
    const char *key;
    json_t *value;
    const char *range = NULL;
    int has_default = 0;
    if (status < 100 || status > 599)
        return NULL;
    snprintf(exact, sizeof(exact), "%d", status);
    json_object_foreach(responses, key, value) {
        if (strcmp(key, exact) == 0)
            return key;
        if (!range && is_status_key(key, exact[0]) && !apr_isdigit(key[1]))
            range = key;
        if (strcmp(key, "default") == 0)
            has_default = 1;
    }
    return range ? range : has_default ? "default" : NULL;
}

int oa_mock_status_for_key(const char *key)
{
    if (!key)
        return 0;
    if (strcmp(key, "default") == 0)
        return 200;
    if (!is_status_key(key, 0))
        return 0;
    if (apr_isdigit(key[1]))
        return atoi(key);
    return (key[0] - '0') * 100;
}

/* Content-Type for a declared range when nothing concrete was asked for. */
static const char *concrete_type(const char *declared)
{
    if (oa_media_type_matches(declared, "application/json"))
        return "application/json";
    if (oa_media_type_matches(declared, "text/plain"))
        return "text/plain";
    return declared;
}

/* The key of a media type map (3.0 content, 2.0 examples) for the wanted type: the same
 * type, else a declared range covering it; NULL when none. */
static const char *find_media_key(json_t *map, const char *wanted)
{
    const char *key;
    json_t *value;
    if (!wanted)
        return NULL;
    json_object_foreach(map, key, value)
        if (oa_media_type_matches(key, wanted) && oa_media_type_matches(wanted, key))
            return key;
    json_object_foreach(map, key, value)
        if (oa_media_type_matches(key, wanted))
            return key;
    return NULL;
}

static const char *first_key(json_t *map)
{
    const char *key;
    json_t *value;
    json_object_foreach(map, key, value)
        return key;
    return NULL;
}

/* The body from a schema: its own example, else a generated one; dynamic values when
 * asked. */
static int body_from_schema(mock_ctx *ctx, json_t *schema, const char *base,
                            oa_mock_result *result)
{
    const char *target_base;
    json_t *target;
    json_t *example;
    if (!schema) {
        result->source = "none";
        return 1;
    }
    if (ctx->options->rng) {
        result->body = oa_mock_dynamic_from_schema(ctx->pool, ctx->docs, schema, base,
                                                   ctx->options->rng, ctx->diag);
        result->source = "dynamic";
        result->applied |= OA_MOCK_APPLIED_DYNAMIC;
        return result->body != NULL;
    }
    target = oa_docset_follow(ctx->docs, ctx->pool, schema, base, &target_base, ctx->diag);
    if (!target)
        return 0;
    example = json_object_get(target, "example");
    if (example) {
        result->body = json_deep_copy(example);
        result->source = "schema example";
        return 1;
    }
    result->body = oa_mock_example_from_schema(ctx->pool, ctx->docs, schema, base, ctx->diag);
    result->source = "generated";
    return result->body != NULL;
}

/* Items for a sequential media type (3.2): MOCK_SEQUENCE_ITEMS values of itemSchema,
 * or the items of an array that schema gave, written in the type's format as the text
 * of the body. */
#define MOCK_SEQUENCE_ITEMS 2

static int as_sequence(mock_ctx *ctx, oa_sequence_kind kind, oa_mock_result *result)
{
    json_t *items = result->body;
    if (!json_is_array(items))
        return result->body != NULL || strcmp(result->source, "none") == 0;
    result->body = json_string(oa_sequence_format(ctx->pool, kind, items));
    json_decref(items);
    return result->body != NULL;
}

static int items_from_schema(mock_ctx *ctx, json_t *item_schema, const char *base,
                             oa_sequence_kind kind, oa_mock_result *result)
{
    json_t *items = json_array();
    int i;
    for (i = 0; i < MOCK_SEQUENCE_ITEMS; i++) {
        if (!body_from_schema(ctx, item_schema, base, result)) {
            json_decref(items);
            return 0;
        }
        json_array_append_new(items, result->body);
    }
    result->body = items;
    return as_sequence(ctx, kind, result);
}

static int mock_v3(mock_ctx *ctx, json_t *response, const char *base, const char *media_type,
                   oa_mock_result *result)
{
    json_t *content = json_object_get(response, "content");
    const char *key = find_media_key(content, media_type);
    json_t *media;
    json_t *example;
    const char *name;
    json_t *entry;
    oa_sequence_kind sequence;
    json_t *item_schema;

    if (json_object_size(content) == 0) {
        result->source = "none";
        return 1;
    }
    if (key) {
        result->media_type = media_type;
    }
    else {
        key = first_key(content);
        result->media_type = concrete_type(key);
    }
    media = json_object_get(content, key);
    sequence = oa_sequence_kind_of(result->media_type);
    item_schema = sequence ? json_object_get(media, "itemSchema") : NULL;
    if (ctx->options->rng && item_schema)
        return items_from_schema(ctx, item_schema, base, sequence, result);
    if (ctx->options->rng && json_object_get(media, "schema"))
        return body_from_schema(ctx, json_object_get(media, "schema"), base, result) &&
               (!sequence || as_sequence(ctx, sequence, result));
    if (ctx->options->example &&
        (entry = json_object_get(json_object_get(media, "examples"), ctx->options->example))) {
        const char *entry_base;
        json_t *target = oa_docset_follow(ctx->docs, ctx->pool, entry, base, &entry_base,
                                          ctx->diag);
        json_t *value = target ? json_object_get(target, "value") : NULL;
        if (!target)
            return 0;
        if (value) {
            result->body = json_deep_copy(value);
            result->source = apr_pstrcat(ctx->pool, "examples/", ctx->options->example, NULL);
            result->applied |= OA_MOCK_APPLIED_EXAMPLE;
            return 1;
        }
    }
    if ((example = json_object_get(media, "example")) != NULL) {
        result->body = json_deep_copy(example);
        result->source = "example";
        return 1;
    }
    json_object_foreach(json_object_get(media, "examples"), name, entry) {
        const char *entry_base;
        json_t *target = oa_docset_follow(ctx->docs, ctx->pool, entry, base, &entry_base,
                                          ctx->diag);
        json_t *value;
        if (!target)
            return 0;
        value = json_object_get(target, "value");
        if (!value)
            continue; /* externalValue only: nothing is fetched */
        result->body = json_deep_copy(value);
        result->source = apr_pstrcat(ctx->pool, "examples/", name, NULL);
        return 1;
    }
    if (item_schema)
        return items_from_schema(ctx, item_schema, base, sequence, result);
    return body_from_schema(ctx, json_object_get(media, "schema"), base, result) &&
           (!sequence || as_sequence(ctx, sequence, result));
}

static int mock_v2(mock_ctx *ctx, json_t *response, const char *base, const char *media_type,
                   oa_mock_result *result)
{
    json_t *examples = json_object_get(response, "examples");
    const char *key = find_media_key(examples, media_type);
    if (!key)
        key = first_key(examples);
    if (ctx->options->rng && json_object_get(response, "schema"))
        key = NULL; /* dynamic: from the schema */
    if (key) {
        result->body = json_deep_copy(json_object_get(examples, key));
        result->source = apr_pstrcat(ctx->pool, "examples/", key, NULL);
        result->media_type = find_media_key(examples, media_type) ? media_type : key;
        return 1;
    }
    result->media_type = media_type;
    if (!json_object_get(response, "schema")) {
        result->source = "none";
        return 1;
    }
    if (!result->media_type)
        result->media_type = "application/json";
    return body_from_schema(ctx, json_object_get(response, "schema"), base, result);
}

/* A header value as the simple style writes it: scalars as text, arrays "a,b", objects
 * "k,v,k2,v2"; NULL for a value a header cannot carry (control characters, nesting). */
static const char *header_text(apr_pool_t *pool, json_t *value)
{
    const char *text = NULL;
    const unsigned char *p;
    if (json_is_string(value))
        text = apr_pstrdup(pool, json_string_value(value));
    else if (json_is_integer(value))
        text = apr_psprintf(pool, "%" APR_INT64_T_FMT, (apr_int64_t)json_integer_value(value));
    else if (json_is_real(value)) {
        char *dumped = json_dumps(value, JSON_ENCODE_ANY); /* the shortest exact digits */
        text = dumped ? apr_pstrdup(pool, dumped) : NULL;
        free(dumped);
    }
    else if (json_is_boolean(value))
        text = json_is_true(value) ? "true" : "false";
    else if (json_is_array(value) || json_is_object(value)) {
        apr_array_header_t *parts = apr_array_make(pool, 4, sizeof(const char *));
        const char *key;
        json_t *item;
        size_t i;
        json_array_foreach(value, i, item)
            APR_ARRAY_PUSH(parts, const char *) = header_text(pool, json_is_array(item) ||
                                                              json_is_object(item) ? NULL
                                                                                   : item);
        json_object_foreach(value, key, item) {
            APR_ARRAY_PUSH(parts, const char *) = key;
            APR_ARRAY_PUSH(parts, const char *) = header_text(pool, json_is_array(item) ||
                                                              json_is_object(item) ? NULL
                                                                                   : item);
        }
        for (i = 0; i < (size_t)parts->nelts; i++)
            if (!APR_ARRAY_IDX(parts, i, const char *))
                return NULL;
        text = apr_array_pstrcat(pool, parts, ',');
    }
    for (p = (const unsigned char *)text; p && *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return NULL;
    return text;
}

/* One declared header's value (see oa_mock.h), or NULL when it gets none. */
static json_t *header_value(mock_ctx *ctx, json_t *header, const char *base, int spec_major)
{
    json_t *schema = spec_major == 2 ? header : json_object_get(header, "schema");
    json_t *value;
    const char *name;
    json_t *entry;
    if (ctx->options->rng)
        return schema ? oa_mock_dynamic_from_schema(ctx->pool, ctx->docs, schema, base,
                                                    ctx->options->rng, ctx->diag)
                      : NULL;
    value = json_object_get(header, spec_major == 2 ? "x-example" : "example");
    if (value)
        return json_deep_copy(value);
    json_object_foreach(json_object_get(header, "examples"), name, entry) {
        const char *entry_base;
        json_t *target = oa_docset_follow(ctx->docs, ctx->pool, entry, base, &entry_base,
                                          ctx->diag);
        if (target && json_object_get(target, "value"))
            return json_deep_copy(json_object_get(target, "value"));
    }
    if (schema) {
        const char *schema_base;
        json_t *target = oa_docset_follow(ctx->docs, ctx->pool, schema, base, &schema_base,
                                          ctx->diag);
        if (target && (json_object_get(target, "example") || json_object_get(target, "default")
                       || json_is_true(json_object_get(header, "required"))))
            return oa_mock_example_from_schema(ctx->pool, ctx->docs, schema, base, ctx->diag);
    }
    return NULL;
}

static void mock_headers(mock_ctx *ctx, json_t *response, const char *base, int spec_major)
{
    const char *name;
    json_t *header;
    json_object_foreach(json_object_get(response, "headers"), name, header) {
        const char *header_base;
        json_t *target;
        json_t *value;
        const char *text;
        oa_mock_header *entry;
        if (strcasecmp(name, "Content-Type") == 0)
            continue; /* OpenAPI 3: ignored where declared */
        target = oa_docset_follow(ctx->docs, ctx->pool, header, base, &header_base, ctx->diag);
        value = target ? header_value(ctx, target, header_base, spec_major) : NULL;
        text = value ? header_text(ctx->pool, value) : NULL;
        json_decref(value);
        if (!text)
            continue;
        if (!ctx->result->headers)
            ctx->result->headers = apr_array_make(ctx->pool, 2, sizeof(oa_mock_header));
        entry = apr_array_push(ctx->result->headers);
        entry->name = name;
        entry->value = text;
    }
}

int oa_mock_response(apr_pool_t *pool, oa_docset *docs, int spec_major, json_t *responses,
                     const char *responses_base, const char *media_type,
                     oa_mock_result *result, oa_diag *diag)
{
    return oa_mock_response_with(pool, docs, spec_major, responses, responses_base,
                                 media_type, NULL, result, diag);
}

int oa_mock_response_with(apr_pool_t *pool, oa_docset *docs, int spec_major,
                          json_t *responses, const char *responses_base,
                          const char *media_type, const oa_mock_options *options,
                          oa_mock_result *result, oa_diag *diag)
{
    static const oa_mock_options none = {0, NULL, NULL};
    mock_ctx *ctx = apr_pcalloc(pool, sizeof(*ctx));
    const char *key = NULL;
    const char *base;
    json_t *response;
    int ok;

    memset(result, 0, sizeof(*result));
    result->source = "none";
    ctx->options = options ? options : &none;
    if (ctx->options->status)
        key = oa_mock_response_key_for_status(responses, ctx->options->status);
    if (key) {
        result->status = ctx->options->status;
        result->applied |= OA_MOCK_APPLIED_STATUS;
    }
    else {
        key = oa_mock_response_key(responses);
        result->status = oa_mock_status_for_key(key);
    }
    if (!key) {
        oa_diag_add(diag, NULL, 0, 0, "the operation declares no response to mock");
        return 0;
    }
    ctx->pool = pool;
    ctx->docs = docs;
    ctx->diag = diag;
    ctx->result = result;
    result->response_key = key;
    response = oa_docset_follow(docs, pool, json_object_get(responses, key), responses_base,
                                &base, diag);
    if (!response)
        return 0;
    mock_headers(ctx, response, base, spec_major);
    if (result->status < 200 || result->status == 204 || result->status == 304)
        return 1; /* HTTP forbids a body */
    ok = spec_major == 2 ? mock_v2(ctx, response, base, media_type, result)
                         : mock_v3(ctx, response, base, media_type, result);
    if (ok && result->body == NULL && strcmp(result->source, "none") != 0) {
        oa_diag_add(diag, NULL, 0, 0, "out of memory building the mock response");
        ok = 0;
    }
    if (!ok) {
        json_decref(result->body);
        result->body = NULL;
    }
    return ok;
}

