/* Keywords on any value and on scalars: type, enum, multipleOf, maximum/minimum (with
 * draft 4 boolean exclusiveMaximum/exclusiveMinimum), maxLength/minLength, pattern,
 * format. */
#include "schema/oa_schema_internal.h"
#include "util/oa_utf8.h"

#include <apr_strings.h>
#include <math.h>
#include <string.h>

/* ---- type ---- */

typedef struct type_data {
    unsigned kinds;        /* accepted kinds */
    int wants_integer;     /* "integer" without "number": integral reals may pass */
    oa_dialect dialect;
    const char *names;     /* "'integer', 'null'" for the message */
} type_data;

static int validate_type(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const type_data *data = check->data;
    /* only called for kinds outside data->kinds (see applies_to) */
    if (data->wants_integer && json_is_real(instance) &&
        oa_json_is_integral(instance, data->dialect))
        return 1;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s is not of type %s", oa_repr(ctx->pool, instance),
                        data->names);
}

static unsigned kinds_of_type(const char *name, int *wants_integer)
{
    static const struct {
        const char *name;
        unsigned kinds;
    } types[] = {
        {"null", OA_KIND_NULL},     {"boolean", OA_KIND_BOOLEAN}, {"integer", OA_KIND_INTEGER},
        {"number", OA_KIND_NUMBER}, {"string", OA_KIND_STRING},   {"array", OA_KIND_ARRAY},
        {"object", OA_KIND_OBJECT},
    };
    size_t i;
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (strcmp(name, types[i].name) == 0) {
            if (types[i].kinds == OA_KIND_INTEGER)
                *wants_integer = 1;
            return types[i].kinds;
        }
    }
    return 0;
}

static int is_true(const json_t *value)
{
    return json_is_true(value);
}

int oa_kw_type(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    apr_pool_t *pool = cc->reg->pool;
    type_data *data = apr_pcalloc(pool, sizeof(*data));
    size_t i, count = json_is_array(value) ? json_array_size(value) : 1;
    const char *names = NULL;

    if (!json_is_string(value) && !(json_is_array(value) && count > 0)) {
        oa_compile_error(cc, value, "type must be a type name or a non-empty array of them");
        return 0;
    }
    data->dialect = cc->dialect;
    for (i = 0; i < count; i++) {
        json_t *name = json_is_array(value) ? json_array_get(value, i) : value;
        unsigned kinds = json_is_string(name)
            ? kinds_of_type(json_string_value(name), &data->wants_integer) : 0;
        if (!kinds) {
            oa_compile_error(cc, name, "unknown type %s", oa_repr(pool, name));
            return 0;
        }
        data->kinds |= kinds;
        names = names ? apr_pstrcat(pool, names, ", ", oa_repr(pool, name), NULL)
                      : oa_repr(pool, name);
    }
    if (data->kinds & OA_KIND_REAL)
        data->wants_integer = 0;
    if (json_is_string(value))
        cc->schema->type_name = json_string_value(value);
    else if (count == 2 && (data->kinds & OA_KIND_NULL) &&
             (data->kinds & ~(unsigned)OA_KIND_NULL))
        /* ["integer", "null"]: the type a parameter string is cast to (OpenAPI 3.1) */
        cc->schema->type_name = json_string_value(json_array_get(
            value, strcmp(json_string_value(json_array_get(value, 0)), "null") == 0));
    if (cc->dialect == OA_DIALECT_OAS30 &&
        (is_true(json_object_get(cc->node, "nullable")) ||
         is_true(json_object_get(cc->node, "x-nullable")))) {
        data->kinds |= OA_KIND_NULL;
        names = apr_pstrcat(pool, names, ", 'null'", NULL);
    }
    data->names = names;
    if ((data->kinds & OA_KIND_ALL) == OA_KIND_ALL)
        return 1; /* everything is allowed */
    oa_compile_add_check(cc, validate_type, OA_KIND_ALL & ~data->kinds, keyword, data);
    return 1;
}

/* ---- enum ---- */

typedef struct enum_data {
    const json_t *values;
    int all_strings;
} enum_data;

static int validate_enum(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const enum_data *data = check->data;
    size_t i, n = json_array_size(data->values);
    if (data->all_strings) {
        const char *text;
        size_t length;
        if (!json_is_string(instance))
            goto fail;
        text = json_string_value(instance);
        length = json_string_length(instance);
        for (i = 0; i < n; i++) {
            const json_t *candidate = json_array_get(data->values, i);
            if (json_string_length(candidate) == length &&
                memcmp(json_string_value(candidate), text, length) == 0)
                return 1;
        }
        goto fail;
    }
    for (i = 0; i < n; i++)
        if (oa_json_equal(json_array_get(data->values, i), instance))
            return 1;
fail:
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s is not one of %s", oa_repr(ctx->pool, instance),
                        oa_repr(ctx->pool, data->values));
}

int oa_kw_enum(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    enum_data *data;
    size_t i;
    json_t *item;
    if (!json_is_array(value)) {
        oa_compile_error(cc, value, "enum must be an array");
        return 0;
    }
    data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    data->values = value;
    data->all_strings = 1;
    json_array_foreach(value, i, item) if (!json_is_string(item)) data->all_strings = 0;
    oa_compile_add_check(cc, validate_enum, OA_KIND_ALL, keyword, data);
    return 1;
}

/* ---- multipleOf ---- */

typedef struct number_limit {
    const json_t *value;  /* as written, for messages */
    double real;
    json_int_t integer;
    int is_integer;
    int exclusive;
} number_limit;

static void set_limit(number_limit *limit, const json_t *value)
{
    limit->value = value;
    limit->is_integer = json_is_integer(value);
    limit->integer = limit->is_integer ? json_integer_value(value) : 0;
    limit->real = oa_json_number(value);
}

static int validate_multiple_of(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const number_limit *divisor = check->data;
    double quotient;
    if (divisor->is_integer && json_is_integer(instance)) {
        if (json_integer_value(instance) % divisor->integer == 0)
            return 1;
    }
    else {
        quotient = oa_json_number(instance) / divisor->real;
        /* decimal divisors such as 0.01 are inexact in binary: allow rounding noise */
        if (isfinite(quotient) &&
            fabs(quotient - nearbyint(quotient)) <= 1e-9 * fmax(1.0, fabs(quotient)))
            return 1;
        /* a quotient beyond double range (1e308 / 0.5): the remainder still tells */
        if (!isfinite(quotient) && isfinite(oa_json_number(instance)) &&
            fmod(oa_json_number(instance), divisor->real) == 0)
            return 1;
    }
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s is not a multiple of %s", oa_repr(ctx->pool, instance),
                        oa_repr(ctx->pool, divisor->value));
}

int oa_kw_multiple_of(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    number_limit *data;
    if (!json_is_number(value) || oa_json_number(value) <= 0) {
        oa_compile_error(cc, value, "multipleOf must be a number greater than 0");
        return 0;
    }
    data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    set_limit(data, value);
    oa_compile_add_check(cc, validate_multiple_of, OA_KIND_NUMBER, keyword, data);
    return 1;
}

/* ---- maximum / minimum ---- */

/* <0, 0, >0 as instance is below, at or above the limit */
static int compare_to_limit(const json_t *instance, const number_limit *limit)
{
    double value;
    if (limit->is_integer && json_is_integer(instance)) {
        json_int_t v = json_integer_value(instance);
        return v < limit->integer ? -1 : v > limit->integer;
    }
    value = oa_json_number(instance);
    return value < limit->real ? -1 : value > limit->real;
}

static int validate_maximum(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const number_limit *limit = check->data;
    int cmp = compare_to_limit(instance, limit);
    if (cmp < 0 || (cmp == 0 && !limit->exclusive))
        return 1;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s is greater than %sthe maximum of %s",
                        oa_repr(ctx->pool, instance), limit->exclusive ? "or equal to " : "",
                        oa_repr(ctx->pool, limit->value));
}

static int validate_minimum(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const number_limit *limit = check->data;
    int cmp = compare_to_limit(instance, limit);
    if (cmp > 0 || (cmp == 0 && !limit->exclusive))
        return 1;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s is less than %sthe minimum of %s",
                        oa_repr(ctx->pool, instance), limit->exclusive ? "or equal to " : "",
                        oa_repr(ctx->pool, limit->value));
}

static int compile_limit(oa_compile_ctx *cc, const char *limit_keyword,
                         const char *exclusive_keyword, oa_check_fn validate)
{
    json_t *value = json_object_get(cc->node, limit_keyword);
    json_t *exclusive = json_object_get(cc->node, exclusive_keyword);
    number_limit *data;
    if (exclusive && !json_is_boolean(exclusive)) {
        oa_compile_error(cc, exclusive, "%s must be a boolean", exclusive_keyword);
        return 0;
    }
    if (!value)
        return 1; /* exclusiveMaximum alone means nothing in draft 4 */
    if (!json_is_number(value)) {
        oa_compile_error(cc, value, "%s must be a number", limit_keyword);
        return 0;
    }
    data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    set_limit(data, value);
    data->exclusive = json_is_true(exclusive);
    oa_compile_add_check(cc, validate, OA_KIND_NUMBER, limit_keyword, data);
    return 1;
}

/* draft 6 and later: maximum, minimum, exclusiveMaximum and exclusiveMinimum are each
 * a number of their own */
int oa_kw_limit_number(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    number_limit *data;
    int is_maximum = strcmp(keyword, "maximum") == 0 || strcmp(keyword, "exclusiveMaximum") == 0;
    if (!json_is_number(value)) {
        oa_compile_error(cc, value, "%s must be a number", keyword);
        return 0;
    }
    data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    set_limit(data, value);
    data->exclusive = strncmp(keyword, "exclusive", 9) == 0;
    oa_compile_add_check(cc, is_maximum ? validate_maximum : validate_minimum, OA_KIND_NUMBER,
                         keyword, data);
    return 1;
}

int oa_kw_maximum(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    (void)keyword;
    (void)value;
    return compile_limit(cc, "maximum", "exclusiveMaximum", validate_maximum);
}

int oa_kw_minimum(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    (void)keyword;
    (void)value;
    return compile_limit(cc, "minimum", "exclusiveMinimum", validate_minimum);
}

/* ---- maxLength / minLength (code points) ---- */

static int validate_max_length(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    size_t limit = *(const size_t *)check->data;
    size_t bytes = json_string_length(instance);
    /* a code point takes at least one byte: short strings need no counting */
    if (bytes <= limit || oa_utf8_length(json_string_value(instance), bytes) <= limit)
        return 1;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s is too long", oa_repr(ctx->pool, instance));
}

static int validate_min_length(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    size_t limit = *(const size_t *)check->data;
    size_t bytes = json_string_length(instance);
    if (bytes >= limit && oa_utf8_length(json_string_value(instance), bytes) >= limit)
        return 1;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s is too short", oa_repr(ctx->pool, instance));
}

static int compile_length(oa_compile_ctx *cc, const char *keyword, json_t *value,
                          oa_check_fn validate)
{
    size_t *limit = apr_palloc(cc->reg->pool, sizeof(*limit));
    if (!oa_compile_count(cc, keyword, value, limit))
        return 0;
    oa_compile_add_check(cc, validate, OA_KIND_STRING, keyword, limit);
    return 1;
}

int oa_kw_max_length(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    return compile_length(cc, keyword, value, validate_max_length);
}

int oa_kw_min_length(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    return compile_length(cc, keyword, value, validate_min_length);
}

/* ---- pattern ---- */

static int validate_pattern(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const oa_pattern *pattern = check->data;
    int matched = oa_vctx_match(ctx, pattern, json_string_value(instance),
                                json_string_length(instance));
    if (matched > 0)
        return 1;
    if (matched < 0)
        return oa_vctx_limit(ctx, oa_check_location(ctx->pool, check),
                             apr_psprintf(ctx->pool, "%s could not be matched against %s "
                                                     "within the regular expression limits",
                                          oa_repr(ctx->pool, instance),
                                          oa_repr_string(ctx->pool, pattern->source,
                                                         strlen(pattern->source))));
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s does not match %s", oa_repr(ctx->pool, instance),
                        oa_repr_string(ctx->pool, pattern->source, strlen(pattern->source)));
}

int oa_kw_pattern(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    const oa_pattern *pattern;
    if (!json_is_string(value)) {
        oa_compile_error(cc, value, "pattern must be a string");
        return 0;
    }
    pattern = oa_compile_pattern(cc, value, json_string_value(value));
    if (!pattern)
        return 0;
    oa_compile_add_check(cc, validate_pattern, OA_KIND_STRING, keyword, pattern);
    return 1;
}

/* ---- format ---- */

typedef struct format_data {
    const oa_format_entry *entry;
    const char *name;
} format_data;

static int validate_format(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const format_data *data = check->data;
    if (data->entry->check(instance, data->entry->baton))
        return 1;
    if (!ctx->collect)
        return 0;
    return OA_VCTX_FAIL(ctx, check, "%s is not a %s", oa_repr(ctx->pool, instance),
                        oa_repr_string(ctx->pool, data->name, strlen(data->name)));
}

int oa_kw_format(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    const oa_format_entry *entry;
    format_data *data;
    unsigned kinds = 0;
    if (!json_is_string(value)) {
        oa_compile_error(cc, value, "format must be a string");
        return 0;
    }
    if (OA_DIALECT_IS_2019_PLUS(cc->dialect) && !cc->reg->assert_formats &&
        !(cc->vocabularies & OA_VOCAB_FORMAT_ASSERTION))
        return 1; /* an annotation: the format vocabulary does not assert */
    entry = apr_hash_get(cc->reg->formats, json_string_value(value), APR_HASH_KEY_STRING);
    if (!entry || !entry->check)
        return 1; /* unknown formats are ignored; some known ones have nothing to check */
    if (entry->kinds & OA_FORMAT_STRINGS)
        kinds |= OA_KIND_STRING;
    if (entry->kinds & OA_FORMAT_NUMBERS)
        kinds |= OA_KIND_NUMBER;
    if (entry->kinds == OA_FORMAT_ANY)
        kinds = OA_KIND_ALL;
    data = apr_palloc(cc->reg->pool, sizeof(*data));
    data->entry = entry;
    data->name = json_string_value(value);
    oa_compile_add_check(cc, validate_format, kinds, keyword, data);
    return 1;
}
