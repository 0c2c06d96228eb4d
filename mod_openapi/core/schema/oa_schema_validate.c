/* The validator: runs a compiled schema's checks over an instance, keeps the instance
 * path as a stack of segments (turned into a JSON pointer only when an error is
 * reported), enforces the depth and work limits and collects errors. */
#include "schema/oa_schema_internal.h"

#include <apr_strings.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Following a chain of $ref-only schemas longer than this means a $ref loop. */
#define OA_SCHEMA_MAX_REF_HOPS OA_SCHEMA_MAX_EVAL_DEPTH

unsigned oa_json_kind(const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_OBJECT:
        return OA_KIND_OBJECT;
    case JSON_ARRAY:
        return OA_KIND_ARRAY;
    case JSON_STRING:
        return OA_KIND_STRING;
    case JSON_INTEGER:
        return OA_KIND_INTEGER;
    case JSON_REAL:
        return OA_KIND_REAL;
    case JSON_TRUE:
    case JSON_FALSE:
        return OA_KIND_BOOLEAN;
    case JSON_NULL:
    default:
        return OA_KIND_NULL;
    }
}

static const char *instance_pointer(const oa_vctx *ctx, const char *member,
                                    size_t member_length)
{
    struct {
        char *data;
        size_t length, capacity;
    } buf = {NULL, 0, 0};
    int i;
    size_t needed = 1;
    char *out;
    for (i = 0; i < ctx->path_length; i++)
        needed += 2 + (ctx->path[i].key ? 2 * ctx->path[i].key_length : 20);
    if (member)
        needed += 2 + 2 * member_length;
    out = apr_palloc(ctx->pool, needed);
    buf.data = out;
    buf.capacity = needed;
    for (i = 0; i <= ctx->path_length; i++) {
        const char *key;
        size_t key_length, k;
        if (i == ctx->path_length) {
            if (!member)
                break;
            key = member;
            key_length = member_length;
        }
        else if (ctx->path[i].key) {
            key = ctx->path[i].key;
            key_length = ctx->path[i].key_length;
        }
        else {
            buf.length += (size_t)snprintf(buf.data + buf.length, buf.capacity - buf.length,
                                           "/%lu", (unsigned long)ctx->path[i].index);
            continue;
        }
        buf.data[buf.length++] = '/';
        for (k = 0; k < key_length; k++) {
            if (key[k] == '~' || key[k] == '/') {
                buf.data[buf.length++] = '~';
                buf.data[buf.length++] = key[k] == '~' ? '0' : '1';
            }
            else {
                buf.data[buf.length++] = key[k];
            }
        }
    }
    buf.data[buf.length] = '\0';
    return out;
}

static void record_error(oa_vctx *ctx, const char *location, const char *keyword,
                         const char *member, size_t member_length, const char *message)
{
    oa_schema_error *error;
    if (!ctx->errors || ctx->stop)
        return;
    if (ctx->counting && ctx->errors->nelts >= ctx->max_errors) {
        ctx->omitted++;
        return;
    }
    error = apr_array_push(ctx->errors);
    error->instance_pointer = instance_pointer(ctx, member, member_length);
    error->schema_pointer = location;
    error->keyword = keyword;
    error->message = message;
    error->property = NULL;
    if (ctx->max_errors > 0 && ctx->errors->nelts >= ctx->max_errors && !ctx->counting)
        ctx->stop = 1;
}

int oa_vctx_count(oa_vctx *ctx)
{
    ctx->omitted++;
    return 0;
}

int oa_vctx_fail(oa_vctx *ctx, const oa_check *check, const char *fmt, ...)
{
    va_list ap;
    const char *message;
    if (!ctx->collect)
        return 0;
    if (OA_VCTX_FULL(ctx))
        return oa_vctx_count(ctx);
    va_start(ap, fmt);
    message = apr_pvsprintf(ctx->pool, fmt, ap);
    va_end(ap);
    record_error(ctx, oa_check_location(ctx->pool, check), check->keyword, NULL, 0, message);
    return 0;
}

int oa_vctx_fail_at(oa_vctx *ctx, const char *location, const char *keyword,
                    const char *member, size_t member_length, const char *message)
{
    if (ctx->collect)
        record_error(ctx, location, keyword, member, member_length, message);
    return 0;
}

/* A limit makes the whole instance invalid, even inside a `not` or an anyOf branch:
 * reported whether or not errors are being collected, and validation stops. */
int oa_vctx_limit(oa_vctx *ctx, const char *location, const char *message)
{
    if (!ctx->limit_hit) {
        ctx->stop = 0;
        record_error(ctx, location, "limit", NULL, 0, message);
    }
    ctx->limit_hit = 1;
    ctx->stop = 1;
    return 0;
}

const oa_schema *oa_schema_target(const oa_schema *schema)
{
    int hops = 0;
    while (schema && schema->ref) {
        if (++hops > OA_SCHEMA_MAX_REF_HOPS)
            return NULL;
        schema = schema->ref;
    }
    return schema;
}

int oa_validate_schema(oa_vctx *ctx, const oa_schema *schema, const json_t *instance)
{
    const oa_schema *target = oa_schema_target(schema);
    int valid;

    if (ctx->stop)
        return 0; /* only reached while collecting, where an error was recorded */
    if (!target)
        return oa_vctx_limit(ctx, schema->location, "$ref loop: the schema refers to itself");
    if (++ctx->work > ctx->max_work)
        return oa_vctx_limit(ctx, target->location,
                             "validation needs too much work (nested anyOf/oneOf?)");
    if (ctx->eval_depth >= OA_SCHEMA_MAX_EVAL_DEPTH)
        return oa_vctx_limit(ctx, target->location, "schema recursion too deep");
    ctx->eval_depth++;
    /* only 2019-09+ schemas with unevaluated* or a resource boundary take the long way */
    valid = (target->flags & (OA_SCHEMA_COLLECTS | OA_SCHEMA_SCOPE))
        ? oa_validate_tracked(ctx, target, instance) : oa_run_checks(ctx, target, instance);
    ctx->eval_depth--;
    return valid && !ctx->limit_hit;
}

static int push_segment(oa_vctx *ctx, const char *key, size_t key_length, size_t index)
{
    oa_path_segment *segment;
    if (ctx->path_length >= OA_SCHEMA_MAX_DEPTH)
        return 0;
    segment = &ctx->path[ctx->path_length++];
    segment->key = key;
    segment->key_length = key_length;
    segment->index = index;
    return 1;
}

int oa_validate_member(oa_vctx *ctx, const oa_schema *schema, const json_t *instance,
                       const char *key, size_t key_length)
{
    int valid;
    if (!push_segment(ctx, key, key_length, 0))
        return oa_vctx_limit(ctx, schema->location, "instance nested too deeply");
    valid = oa_validate_schema(ctx, schema, instance);
    ctx->path_length--;
    return valid;
}

int oa_validate_item(oa_vctx *ctx, const oa_schema *schema, const json_t *instance,
                     size_t index)
{
    int valid;
    if (!push_segment(ctx, NULL, 0, index))
        return oa_vctx_limit(ctx, schema->location, "instance nested too deeply");
    valid = oa_validate_schema(ctx, schema, instance);
    ctx->path_length--;
    return valid;
}

int oa_validate_silently(oa_vctx *ctx, const oa_schema *schema, const json_t *instance)
{
    int saved = ctx->collect;
    oa_annotations *parent = ctx->annotations;
    int valid;
    ctx->collect = 0;
    /* a branch's annotations count only when it passes */
    if (parent && parent->instance != instance)
        parent = NULL; /* they are about another instance */
    if (parent)
        ctx->annotations = oa_annotations_create(ctx->pool, instance);
    valid = oa_validate_schema(ctx, schema, instance);
    if (parent) {
        if (valid)
            oa_annotations_merge(ctx->pool, parent, ctx->annotations);
        ctx->annotations = parent;
    }
    ctx->collect = saved;
    return valid;
}

static void *pool_malloc(size_t size, void *pool)
{
    return apr_palloc(pool, size);
}

static void pool_free(void *block, void *pool)
{
    /* released with the pool */
    (void)block;
    (void)pool;
}

static int is_ascii(const char *text, size_t length)
{
    const unsigned char *p = (const unsigned char *)text;
    size_t i;
    for (i = 0; i < length; i++)
        if (p[i] & 0x80)
            return 0;
    return 1;
}

/* Regex work per validation call is bounded by the input, not only per match: each match
 * is first tried with a small match limit and retried with 16 times more (up to
 * OA_SCHEMA_PATTERN_MATCH_LIMIT) only while the call's allowance pays for it. The
 * allowance starts at OA_PATTERN_ALLOWANCE and every subject adds 8 units per byte plus
 * the first try, so ordinary matches cost it nothing, and strings that each need
 * thousands of backtracking steps (`^(a+)+$` against "aaaaaaaaaaaaaa!") exhaust it after
 * a few hundred: the total stays linear in the size of the instance. The limits are
 * fixed steps with a shared read-only match context each, so nothing is set per call. */
#define OA_PATTERN_ALLOWANCE 2000000L

static int match_once(oa_vctx *ctx, const oa_pattern *pattern, const char *subject,
                      size_t length, int ascii, int level)
{
    if (pattern->jit && ascii)
        return pcre2_jit_match(pattern->code, (PCRE2_SPTR)subject, length, 0, 0,
                               ctx->match_data, pattern->match_contexts[level]);
    return pcre2_match(pattern->code, (PCRE2_SPTR)subject, length, 0, 0, ctx->match_data,
                       pattern->match_contexts[level]);
}

int oa_vctx_match(oa_vctx *ctx, const oa_pattern *pattern, const char *subject,
                  size_t length)
{
    static const uint32_t limits[OA_PATTERN_LEVELS] = OA_PATTERN_MATCH_LIMITS;
    int ascii, rc, level;
    if (!ctx->match_data) {
        /* from the call's pool, through a general context whose allocator draws from it;
         * one pair is enough: only whether it matches matters */
        pcre2_general_context *memory =
            pcre2_general_context_create(pool_malloc, pool_free, ctx->pool);
        ctx->match_data = memory ? pcre2_match_data_create(1, memory) : NULL;
        if (!ctx->match_data)
            return -1;
        ctx->pattern_allowance = OA_PATTERN_ALLOWANCE;
    }
    /* The JIT fast path skips pcre2_match's checks, the UTF-8 one included: taken for
     * ASCII subjects only (most are), others get validated. The match limit still holds
     * under JIT (its depth limit is the JIT stack's size). */
    ascii = is_ascii(subject, length);
    /* the first try is the subject's own credit: only retries draw on the allowance */
    rc = match_once(ctx, pattern, subject, length, ascii, 0);
    ctx->pattern_allowance += 8 * (long)length;
    for (level = 1; rc == PCRE2_ERROR_MATCHLIMIT && level < OA_PATTERN_LEVELS; level++) {
        if (ctx->pattern_allowance < (long)limits[level])
            return -1; /* this request's regex work is spent */
        ctx->pattern_allowance -= (long)limits[level];
        rc = match_once(ctx, pattern, subject, length, ascii, level);
    }
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    return -1;
}

int oa_schema_validate(const oa_schema *schema, const json_t *instance,
                       oa_validation_mode mode, apr_pool_t *pool,
                       apr_array_header_t **errors, int max_errors)
{
    return oa_schema_validate_counted(schema, instance, mode, pool, errors, max_errors, NULL);
}

static int validate_with_budget(const oa_schema *schema, const json_t *instance,
                                oa_validation_mode mode, apr_pool_t *pool,
                                apr_array_header_t **errors, int max_errors, long *omitted,
                                long max_work);

int oa_schema_validate_counted(const oa_schema *schema, const json_t *instance,
                               oa_validation_mode mode, apr_pool_t *pool,
                               apr_array_header_t **errors, int max_errors, long *omitted)
{
    return validate_with_budget(schema, instance, mode, pool, errors, max_errors, omitted,
                                OA_SCHEMA_MAX_WORK);
}

int oa_schema_validate_document(const oa_schema *schema, const json_t *instance,
                                apr_pool_t *pool, apr_array_header_t **errors,
                                int max_errors, long max_work)
{
    return validate_with_budget(schema, instance, OA_MODE_NONE, pool, errors, max_errors,
                                NULL, max_work > OA_SCHEMA_MAX_WORK ? max_work
                                                                    : OA_SCHEMA_MAX_WORK);
}

static int validate_with_budget(const oa_schema *schema, const json_t *instance,
                                oa_validation_mode mode, apr_pool_t *pool,
                                apr_array_header_t **errors, int max_errors, long *omitted,
                                long max_work)
{
    /* The context holds the path stack (a few KB): allocated from the pool rather than
     * the stack, httpd threads may have small stacks. */
    oa_vctx *ctx = apr_palloc(pool, sizeof(*ctx));
    int valid;

    memset(ctx, 0, offsetof(oa_vctx, path));
    ctx->pool = pool;
    ctx->mode = mode;
    ctx->max_errors = max_errors;
    ctx->max_work = max_work;
    if (errors) {
        if (!*errors)
            *errors = apr_array_make(pool, 4, sizeof(oa_schema_error));
        ctx->errors = *errors;
        ctx->collect = 1;
        ctx->counting = omitted != NULL && max_errors > 0;
        if (max_errors > 0 && ctx->errors->nelts >= max_errors && !ctx->counting)
            ctx->collect = 0; /* no room left: just find out whether it is valid */
    }
    if (!instance) {
        record_error(ctx, schema->location, "type", NULL, 0, "no value to validate");
        return 0;
    }
    valid = oa_validate_schema(ctx, schema, instance);
    if (omitted)
        *omitted += ctx->omitted;
    return valid && !ctx->limit_hit;
}

const json_t *oa_schema_default(const oa_schema *schema)
{
    const oa_schema *target = oa_schema_target(schema);
    return target ? target->default_value : NULL;
}

const char *oa_schema_type_name(const oa_schema *schema)
{
    const oa_schema *target = oa_schema_target(schema);
    return target ? target->type_name : NULL;
}

const char *oa_schema_location(const oa_schema *schema)
{
    return schema->location;
}
