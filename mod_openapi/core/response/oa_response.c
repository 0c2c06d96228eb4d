#include "response/oa_response.h"

#include <apr_strings.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "schema/oa_cast.h"
#include "util/oa_json.h"
#include "util/oa_sequence.h"
#include "response/oa_negotiate.h"
#include "util/oa_media_type.h"
#include "schema/oa_schema.h"

const oa_response *oa_response_find(const oa_operation *op, int status)
{
    const oa_response *fallback = NULL;
    const oa_response *ranged = NULL;
    int i;
    for (i = 0; op->response_list && i < op->response_list->nelts; i++) {
        const oa_response *response = APR_ARRAY_IDX(op->response_list, i, oa_response *);
        if (response->code == status)
            return response;
        if (response->code == status / 100)
            ranged = response;
        else if (response->code == 0 && strcmp(response->status, "default") == 0)
            fallback = response;
    }
    return ranged ? ranged : fallback;
}

const oa_response *oa_response_primary(const oa_operation *op)
{
    const oa_response *fallback = NULL;
    int i;
    for (i = 0; op->response_list && i < op->response_list->nelts; i++) {
        const oa_response *response = APR_ARRAY_IDX(op->response_list, i, oa_response *);
        if (response->status[0] == '2')
            return response;
        if (strcmp(response->status, "default") == 0)
            fallback = response;
    }
    return fallback;
}

const char *oa_response_json_type(const oa_response *response)
{
    int i;
    for (i = 0; response && response->media && i < response->media->nelts; i++) {
        const oa_media_type *media = APR_ARRAY_IDX(response->media, i, oa_media_type *);
        if (oa_media_type_is_json(media->name))
            return media->name;
    }
    return NULL;
}

const char *oa_response_single_raw_type(const oa_response *response)
{
    const char *found = NULL;
    int i;
    for (i = 0; response && response->media && i < response->media->nelts; i++) {
        const oa_media_type *media = APR_ARRAY_IDX(response->media, i, oa_media_type *);
        if (oa_media_type_is_json(media->name))
            continue;
        if (found)
            return NULL;
        found = media->name;
    }
    return found;
}

typedef struct checker {
    apr_pool_t *pool;
    apr_array_header_t *errors;
    int max_errors;
} checker;

static void add_error(checker *c, const char *part, const char *name, const char *pointer,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void add_error(checker *c, const char *part, const char *name, const char *pointer,
                      const char *fmt, ...)
{
    oa_response_error *error;
    va_list ap;
    if (c->errors->nelts >= c->max_errors)
        return;
    error = apr_array_push(c->errors);
    error->part = part;
    error->name = name;
    error->pointer = pointer ? pointer : "";
    va_start(ap, fmt);
    error->message = apr_pvsprintf(c->pool, fmt, ap);
    va_end(ap);
}

static const char *declared_list(apr_pool_t *pool, const apr_array_header_t *items,
                                 int statuses)
{
    apr_array_header_t *names = apr_array_make(pool, 4, sizeof(const char *));
    int i;
    for (i = 0; items && i < items->nelts; i++)
        APR_ARRAY_PUSH(names, const char *) =
            statuses ? APR_ARRAY_IDX(items, i, oa_response *)->status
                     : APR_ARRAY_IDX(items, i, oa_media_type *)->name;
    return names->nelts ? apr_array_pstrcat(pool, names, ',') : "none";
}

static void check_schema_errors(checker *c, const char *part, const char *name,
                                const char *prefix, const struct oa_schema *schema,
                                const json_t *value)
{
    apr_array_header_t *found = NULL;
    int room = c->max_errors - c->errors->nelts;
    int i;
    if (!schema || oa_schema_validate(schema, value, OA_MODE_RESPONSE, c->pool, &found,
                                      room > 0 ? room : 1))
        return;
    for (i = 0; found && i < found->nelts; i++) {
        const oa_schema_error *e = &APR_ARRAY_IDX(found, i, oa_schema_error);
        add_error(c, part, name,
                  prefix ? apr_pstrcat(c->pool, prefix, e->instance_pointer, NULL)
                         : e->instance_pointer,
                  "%s", e->message);
    }
}

/* A sequential body: read into its items; schema applies to the array of them,
 * itemSchema to each (errors at "/N..."). */
static void check_sequence(checker *c, const oa_media_type *media,
                           const oa_response_output *output)
{
    oa_sequence_kind kind = oa_sequence_kind_of(output->content_type);
    oa_sequence_error error;
    json_t *items;
    size_t i;
    json_t *item;
    if (kind == OA_SEQUENCE_NONE || (!media->compiled && !media->item_compiled))
        return;
    items = oa_sequence_parse(c->pool, kind, output->raw, output->raw_length, &error);
    if (!items) {
        add_error(c, "body", NULL, apr_psprintf(c->pool, "/%lu", (unsigned long)error.item),
                  "%s", error.message);
        return;
    }
    oa_json_bind(c->pool, items);
    check_schema_errors(c, "body", NULL, NULL, media->compiled, items);
    json_array_foreach(items, i, item)
        if (media->item_compiled)
            check_schema_errors(c, "body", NULL, apr_psprintf(c->pool, "/%lu", (unsigned long)i),
                                media->item_compiled, item);
}

static void check_headers(checker *c, const oa_response *response,
                          const oa_response_output *output)
{
    int i;
    for (i = 0; response->headers && i < response->headers->nelts; i++) {
        const oa_response_header *header =
            APR_ARRAY_IDX(response->headers, i, oa_response_header *);
        const char *text;
        const char *expected;
        json_t *value;
        /* OpenAPI: a header named Content-Type is ignored. */
        if (strcasecmp(header->name, "Content-Type") == 0)
            continue;
        text = output->header ? output->header(output->header_baton, header->name) : NULL;
        if (!text) {
            if (header->required)
                add_error(c, "header", header->name, NULL,
                          "the required header '%s' is missing", header->name);
            continue;
        }
        value = oa_json_bind(c->pool, oa_cast_value(text, header->schema.node, &expected));
        if (!value)
            value = oa_json_bind(c->pool, json_string(text));
        check_schema_errors(c, "header", header->name, NULL, header->compiled, value);
    }
}

static const char *media_name(const void *list, int i)
{
    return APR_ARRAY_IDX((const apr_array_header_t *)list, i, oa_media_type *)->name;
}

static void check_body(checker *c, const oa_response *response,
                       const oa_response_output *output)
{
    const oa_media_type *media;
    int index;
    int declares_content = response->media && response->media->nelts > 0;
    if (!output->has_body)
        return;
    if (!declares_content) {
        add_error(c, "body", NULL, NULL, "status %d declares no content, but a body was sent",
                  output->status);
        return;
    }
    index = oa_media_type_select(output->content_type, response->media,
                                 response->media->nelts, media_name);
    media = index < 0 ? NULL : APR_ARRAY_IDX(response->media, index, oa_media_type *);
    if (!media) {
        add_error(c, "body", NULL, NULL,
                  "Content-Type '%s' is not declared for status %d (declared: %s)",
                  output->content_type ? output->content_type : "(none)", output->status,
                  declared_list(c->pool, response->media, 0));
        return;
    }
    if (output->body)
        check_schema_errors(c, "body", NULL, NULL, media->compiled, output->body);
    else if (output->raw)
        check_sequence(c, media, output);
}

int oa_response_validate(apr_pool_t *pool, const oa_operation *op,
                         const oa_response_output *output, int max_errors,
                         apr_array_header_t **errors)
{
    checker c;
    const oa_response *response;
    c.pool = pool;
    c.errors = apr_array_make(pool, 2, sizeof(oa_response_error));
    c.max_errors = max_errors > 0 ? max_errors : 50;
    *errors = c.errors;
    if (!op->response_list || op->response_list->nelts == 0)
        return 1; /* nothing declared, nothing to hold the response to */
    response = oa_response_find(op, output->status);
    if (!response) {
        add_error(&c, "status", NULL, NULL, "status %d is not declared (declared: %s)",
                  output->status, declared_list(pool, op->response_list, 1));
        return 0;
    }
    check_headers(&c, response, output);
    check_body(&c, response, output);
    return c.errors->nelts == 0;
}
