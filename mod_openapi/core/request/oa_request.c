/* oa_request_parse: the request pipeline's driver. Parameters are read from their
 * locations and deserialized (oa_params_style.c), defaulted, checked for presence and
 * validated; unknown query keys are reported in strict mode; then the body is parsed and
 * validated by its media type (oa_body.c). */
#include "request/oa_request.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <string.h>
#include <strings.h>

#include "request/oa_body.h"
#include "util/oa_media_type.h"
#include "util/oa_json.h"
#include "request/oa_request_ctx.h"
#include "request/oa_params_style.h"
#include "request/oa_query.h"
#include "request/oa_querystring.h"
#include "schema/oa_schema.h"

static int has_key(apr_array_header_t *pairs, const char *name)
{
    int i;
    for (i = 0; pairs && i < pairs->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(pairs, i, oa_query_pair).name, name) == 0)
            return 1;
    return 0;
}

/* A `content` parameter: the text is a document of its media type (JSON, or else kept
 * as a string). */
static json_t *content_value(oa_request_ctx *ctx, const oa_parameter *param, const char *text,
                             const char **error)
{
    json_error_t jerr;
    json_t *value;
    if (!oa_media_type_is_json(param->content_type)) {
        value = json_string(text);
        if (!value)
            *error = "value is not valid UTF-8";
        return value;
    }
    /* duplicate keys refused, as in JSON bodies: what is validated is what others read */
    value = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &jerr);
    if (!value)
        *error = apr_psprintf(ctx->pool, "invalid JSON at line %d, column %d: %s", jerr.line,
                              jerr.column, jerr.text);
    return value;
}

typedef struct sources {
    apr_array_header_t *query;   /* of oa_query_pair */
    apr_array_header_t *cookies; /* of oa_query_pair, NULL until a cookie is declared */
} sources;

static apr_array_header_t *cookie_pairs(oa_request_ctx *ctx, sources *src)
{
    const oa_request_input *input = ctx->input;
    const char *header;
    const char *error;
    if (src->cookies)
        return src->cookies;
    header = input->header ? input->header(input->header_baton, "Cookie") : NULL;
    src->cookies = header ? oa_cookie_split(ctx->pool, header, &error) : NULL;
    if (header && !src->cookies)
        oa_request_fail(ctx, 400, "header", "Cookie", "", "%s", error);
    if (!src->cookies)
        src->cookies = apr_array_make(ctx->pool, 1, sizeof(oa_query_pair));
    return src->cookies;
}

/* Reads and deserializes one parameter. *given says whether the request carried it at
 * all (an allowed empty number counts as given without a value). */
static json_t *read_parameter(oa_request_ctx *ctx, const oa_parameter *param, sources *src,
                              int *given, const char **error)
{
    const oa_request_input *input = ctx->input;
    oa_param_style style;
    apr_array_header_t *pairs = NULL;
    const char *text = NULL;
    oa_param_style_of(param, &style);
    switch (param->in) {
    case OA_IN_PATH:
        text = input->match ? oa_route_match_value(input->match, param->name) : NULL;
        break;
    case OA_IN_HEADER:
        text = input->header ? input->header(input->header_baton, param->name) : NULL;
        break;
    case OA_IN_QUERY:
        pairs = src->query;
        break;
    case OA_IN_COOKIE:
        pairs = cookie_pairs(ctx, src);
        break;
    default:
        return NULL;
    }
    if (pairs && param->content_type)
        text = oa_style_pick_text(param->name, pairs, ctx->parser);
    if (pairs && !param->content_type) {
        json_t *value = oa_style_from_pairs(&style, param->name, pairs, ctx->parser,
                                            param->shape, ctx->pool, error);
        *given = value || *error || has_key(pairs, param->name);
        return value;
    }
    *given = text != NULL;
    if (!text)
        return NULL;
    if (param->content_type)
        return content_value(ctx, param, text, error);
    return oa_style_from_text(&style, param->name, text, param->shape, ctx->pool, error);
}

static void parse_parameter(oa_request_ctx *ctx, const oa_parameter *param, sources *src)
{
    const char *in = oa_param_location_name(param->in);
    const char *error = NULL;
    int given = 0;
    json_t *value = read_parameter(ctx, param, src, &given, &error);
    if (error) {
        oa_request_fail(ctx, 400, in, param->name, "", "%s", error);
        return;
    }
    if (!value) {
        const json_t *fallback = param->compiled ? oa_schema_default(param->compiled) : NULL;
        if (param->required && !given)
            oa_request_fail(ctx, 400, in, param->name, "", "'%s' is a required %s parameter",
                            param->name, in);
        else if (fallback)
            json_object_set_new(ctx->result->params, param->handler_name,
                                json_deep_copy(fallback));
        return;
    }
    oa_request_validate(ctx, param->compiled, value, in, param->name, 0);
    json_object_set_new(ctx->result->params, param->handler_name, value);
}

/* Exploded form objects take the query keys nobody declared: they go last. */
static int takes_leftover_keys(const oa_parameter *param)
{
    oa_param_style style;
    if ((param->in != OA_IN_QUERY && param->in != OA_IN_COOKIE) || param->content_type ||
        !param->shape || !param->shape->type || strcmp(param->shape->type, "object") != 0)
        return 0;
    oa_param_style_of(param, &style);
    return style.explode && style.kind != OA_STYLE_DEEP_OBJECT;
}

static void report_unknown_query(oa_request_ctx *ctx, apr_array_header_t *pairs)
{
    apr_hash_t *reported = apr_hash_make(ctx->pool); /* each name once, in linear time */
    int i;
    for (i = 0; i < pairs->nelts; i++) {
        const oa_query_pair *pair = &APR_ARRAY_IDX(pairs, i, oa_query_pair);
        if (pair->used || apr_hash_get(reported, pair->name, APR_HASH_KEY_STRING))
            continue;
        apr_hash_set(reported, pair->name, APR_HASH_KEY_STRING, pair);
        oa_request_fail(ctx, 400, "query", pair->name, "", "unknown query parameter '%s'",
                        pair->name);
    }
}

/* OpenAPI 3: header parameters named Accept, Content-Type or Authorization are ignored
 * (content negotiation, the body's media types and security schemes cover them). */
static int is_ignored_header(const oa_parameter *param)
{
    return param->in == OA_IN_HEADER && param->collection_format == NULL &&
           (strcasecmp(param->name, "Accept") == 0 ||
            strcasecmp(param->name, "Content-Type") == 0 ||
            strcasecmp(param->name, "Authorization") == 0);
}

oa_uri_parser oa_request_uri_parser(const oa_spec *spec, oa_uri_parser parser)
{
    if (parser != OA_URI_PARSER_DEFAULT)
        return parser;
    return spec && spec->major == 2 ? OA_URI_PARSER_SWAGGER2 : OA_URI_PARSER_OPENAPI;
}

int oa_request_parse(apr_pool_t *pool, const oa_spec *spec, const oa_operation *op,
                     const oa_request_input *input, const oa_request_options *options,
                     oa_request_result *result)
{
    oa_request_ctx ctx;
    sources src;
    const oa_parameter *querystring = oa_querystring_parameter(op);
    int pass, i;

    memset(result, 0, sizeof(*result));
    result->params = oa_json_bind(pool, json_object());
    result->uploads = apr_array_make(pool, 0, sizeof(oa_upload));
    result->errors = apr_array_make(pool, 4, sizeof(oa_request_error));
    memset(&ctx, 0, sizeof(ctx));
    ctx.pool = pool;
    ctx.spec = spec;
    ctx.op = op;
    ctx.input = input;
    ctx.parser = oa_request_uri_parser(spec, options ? options->uri_parser
                                                     : OA_URI_PARSER_DEFAULT);
    ctx.strict = options && options->strict_validation;
    ctx.fill_defaults = options && options->fill_defaults;
    ctx.max_errors = options && options->max_errors > 0 ? options->max_errors
                                                        : OA_REQUEST_DEFAULT_MAX_ERRORS;
    ctx.result = result;

    memset(&src, 0, sizeof(src));
    if (input->query && !querystring) { /* a querystring parameter reads it whole */
        const char *error = NULL;
        src.query = oa_query_split(pool, input->query, strlen(input->query), &error);
        if (!src.query)
            oa_request_fail(&ctx, 400, "query", NULL, "", "%s", error);
    }
    if (!src.query)
        src.query = apr_array_make(pool, 1, sizeof(oa_query_pair));

    for (pass = 0; pass < 2; pass++)
        for (i = 0; i < op->parameters->nelts; i++) {
            const oa_parameter *param = APR_ARRAY_IDX(op->parameters, i, oa_parameter *);
            if (param->in == OA_IN_BODY || param->in == OA_IN_FORM_DATA ||
                is_ignored_header(param))
                continue; /* the body's, or described elsewhere */
            if (param->in == OA_IN_QUERYSTRING) {
                if (pass == 0)
                    oa_querystring_parse(&ctx, param);
                continue;
            }
            if (takes_leftover_keys(param) == pass)
                parse_parameter(&ctx, param, &src);
        }
    if (ctx.strict && !querystring)
        report_unknown_query(&ctx, src.query);
    oa_body_parse(&ctx);
    return result->status;
}
