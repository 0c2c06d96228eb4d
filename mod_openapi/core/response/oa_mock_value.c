/* Mock values: an example generated from a JSON Schema (see oa_mock_value.h). */
#include "response/oa_mock_value.h"

#include <apr_strings.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "response/oa_mock_pattern.h"


typedef struct gen_ctx {
    apr_pool_t *pool;
    oa_docset *docs;
    oa_diag *diag;
    const json_t *stack[OA_MOCK_MAX_EVAL + 1]; /* schemas being generated, outermost first */
    int stack_depth;
    int nodes;  /* values generated so far */
    int failed; /* a $ref was broken: the error is in diag */
    oa_mock_rng *rng; /* dynamic values; NULL: the same example every time */
} gen_ctx;

/* What a value is generated for: passed down by value. */
typedef struct gen_state {
    int depth;        /* nesting of the value in the example */
    int minimal;      /* required parts only */
    int variant;      /* > 0: differ from the variant-0 value (uniqueItems) */
    const char *name; /* name of the schema this instance was reached through ($ref's last
                         segment): the discriminator value that selects it */
} gen_state;

static json_t *generate(gen_ctx *ctx, json_t *schema, const char *base, gen_state state);

/* ---- randomness (dynamic mocks only) ---- */

void oa_mock_rng_seed(oa_mock_rng *rng, apr_uint64_t seed)
{
    rng->state = seed;
}

apr_uint64_t oa_mock_rng_next(oa_mock_rng *rng)
{
    apr_uint64_t z = (rng->state += APR_UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * APR_UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * APR_UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

apr_uint64_t oa_mock_rng_below(oa_mock_rng *rng, apr_uint64_t bound)
{
    return bound ? oa_mock_rng_next(rng) % bound : 0;
}

apr_uint64_t oa_mock_seed_mix(apr_uint64_t seed, const char *text, apr_size_t length)
{
    apr_uint64_t hash = APR_UINT64_C(0xcbf29ce484222325) ^ seed;
    apr_size_t i;
    for (i = 0; i < length; i++) {
        hash ^= (unsigned char)text[i];
        hash *= APR_UINT64_C(0x100000001b3);
    }
    return hash;
}

/* A leaf's variant: as given, or in a dynamic mock a random one (never 0, the fixed
 * example's). Unique array items come with theirs. */
static int leaf_variant(gen_ctx *ctx, gen_state state)
{
    if (!ctx->rng || state.variant)
        return state.variant;
    return 1 + (int)oa_mock_rng_below(ctx->rng, 999);
}

/* ---- $refs: the docset's resolver, allocating from the caller's pool (the set is
 * frozen once the spec is prepared, so requests only read it) ---- */

static const char *last_segment(const char *ref)
{
    const char *slash = strrchr(ref, '/');
    return slash ? slash + 1 : ref;
}

static json_t *resolve_ref(gen_ctx *ctx, const char *base, const char *ref,
                           const char **target_base)
{
    return oa_docset_resolve(ctx->docs, ctx->pool, base, ref, target_base, ctx->diag);
}

/* Follows a $ref chain to a node without $ref. *name gets the last $ref's final segment
 * (unchanged when node is not a $ref). NULL when broken (ctx->failed is set). */
static json_t *follow(gen_ctx *ctx, json_t *node, const char *base, const char **target_base,
                      const char **name)
{
    const char *last_ref = NULL;
    node = oa_docset_follow_named(ctx->docs, ctx->pool, node, base, target_base, &last_ref,
                                  ctx->diag);
    if (!node)
        ctx->failed = 1;
    else if (name && last_ref)
        *name = last_segment(last_ref);
    return node;
}

static int on_stack(const gen_ctx *ctx, const json_t *schema)
{
    int i;
    for (i = 0; i < ctx->stack_depth; i++)
        if (ctx->stack[i] == schema)
            return 1;
    return 0;
}

/* Whether generating `schema` (or the items of an array schema) would enter a schema
 * that is being generated already: an optional property like that is left out. */
static int leads_to_cycle(gen_ctx *ctx, json_t *schema, const char *base)
{
    oa_diag *quiet = oa_diag_create(ctx->pool);
    oa_diag *saved = ctx->diag;
    int saved_failed = ctx->failed;
    const char *target_base;
    json_t *target;
    int cycle = 0;
    /* errors are reported by the generation that follows, not twice */
    ctx->diag = quiet;
    target = follow(ctx, schema, base, &target_base, NULL);
    if (target && on_stack(ctx, target)) {
        cycle = 1;
    }
    else if (target && json_is_object(json_object_get(target, "items"))) {
        json_t *items = follow(ctx, json_object_get(target, "items"), target_base,
                               &target_base, NULL);
        cycle = items && on_stack(ctx, items);
    }
    ctx->diag = saved;
    ctx->failed = saved_failed;
    return cycle;
}

/* ---- small helpers ---- */

static json_t *copy_value(gen_ctx *ctx, json_t *value)
{
    ctx->nodes++;
    return json_deep_copy(value);
}

static int flag(json_t *schema, const char *keyword)
{
    return json_is_true(json_object_get(schema, keyword));
}

static int get_number(json_t *schema, const char *keyword, double *out)
{
    json_t *value = json_object_get(schema, keyword);
    if (!json_is_number(value))
        return 0;
    *out = json_number_value(value);
    return 1;
}

/* A non-negative integer keyword (minItems, maxLength...), clamped to INT_MAX. */
static int get_count(json_t *schema, const char *keyword, int fallback)
{
    double value;
    if (!get_number(schema, keyword, &value) || value < 0)
        return fallback;
    return value >= (double)INT_MAX ? INT_MAX : (int)value;
}

static int is_required(json_t *schema, const char *name)
{
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(schema, "required"), i, item)
        if (json_is_string(item) && strcmp(json_string_value(item), name) == 0)
            return 1;
    return 0;
}

/* The type to generate: `type` as declared (the first non-null one of a list), else
 * inferred from the keywords present; NULL when nothing tells. */
static const char *schema_type(json_t *schema)
{
    json_t *type = json_object_get(schema, "type");
    static const char *const object_words[] = {"properties", "required", "additionalProperties",
                                               "minProperties", "maxProperties",
                                               "patternProperties", NULL};
    static const char *const array_words[] = {"items", "minItems", "maxItems", "uniqueItems",
                                              NULL};
    static const char *const string_words[] = {"minLength", "maxLength", "pattern", "format",
                                               NULL};
    static const char *const number_words[] = {"minimum", "maximum", "exclusiveMinimum",
                                               "exclusiveMaximum", "multipleOf", NULL};
    int i;
    if (json_is_string(type))
        return json_string_value(type);
    if (json_is_array(type)) {
        size_t k;
        json_t *item;
        const char *first = NULL;
        json_array_foreach(type, k, item) {
            if (!json_is_string(item))
                continue;
            if (strcmp(json_string_value(item), "null") != 0)
                return json_string_value(item);
            first = json_string_value(item);
        }
        return first;
    }
    for (i = 0; object_words[i]; i++)
        if (json_object_get(schema, object_words[i]))
            return "object";
    for (i = 0; array_words[i]; i++)
        if (json_object_get(schema, array_words[i]))
            return "array";
    for (i = 0; string_words[i]; i++)
        if (json_object_get(schema, string_words[i]))
            return "string";
    for (i = 0; number_words[i]; i++)
        if (json_object_get(schema, number_words[i]))
            return "number";
    return NULL;
}

/* Copies into dst the keys of src it does not have yet. */
static void merge_objects(json_t *dst, json_t *src)
{
    const char *key;
    json_t *value;
    json_object_foreach(src, key, value)
        if (!json_object_get(dst, key))
            json_object_set(dst, key, value);
}

/* ---- strings ---- */

static const char *string_for_format(apr_pool_t *pool, const char *format, int variant)
{
    int digit = variant % 9 + 1;
    if (strcmp(format, "date") == 0)
        return apr_psprintf(pool, "2024-01-0%d", digit);
    if (strcmp(format, "date-time") == 0)
        return apr_psprintf(pool, "2024-01-0%dT00:00:00Z", digit);
    if (strcmp(format, "time") == 0)
        return apr_psprintf(pool, "0%d:00:00Z", digit - 1);
    if (strcmp(format, "email") == 0)
        return variant ? apr_psprintf(pool, "user%d@example.com", variant)
                       : "user@example.com";
    if (strcmp(format, "uuid") == 0)
        return apr_psprintf(pool, "3fa85f64-5717-4562-b3fc-2c963f66afa%d", digit - 1);
    if (strcmp(format, "uri") == 0 || strcmp(format, "url") == 0)
        return variant ? apr_psprintf(pool, "https://example.com/%d", variant)
                       : "https://example.com";
    if (strcmp(format, "uri-reference") == 0)
        return apr_psprintf(pool, "/example/%d", variant);
    if (strcmp(format, "ipv4") == 0)
        return apr_psprintf(pool, "192.0.2.%d", digit);
    if (strcmp(format, "ipv6") == 0)
        return apr_psprintf(pool, "2001:db8::%d", digit);
    if (strcmp(format, "hostname") == 0)
        return variant ? apr_psprintf(pool, "host%d.example.com", variant) : "example.com";
    if (strcmp(format, "byte") == 0)
        return variant ? apr_psprintf(pool, "ZXhhbXBsZS%d=", digit) /* base64 */
                       : "ZXhhbXBsZQ=="; /* base64("example") */
    if (strcmp(format, "binary") == 0)
        return "binary";
    if (strcmp(format, "password") == 0)
        return "password";
    return NULL;
}

/* A version 4 uuid (RFC 9562) from the mock's rng. */
static json_t *random_uuid(gen_ctx *ctx)
{
    apr_uint64_t high = oa_mock_rng_next(ctx->rng);
    apr_uint64_t low = oa_mock_rng_next(ctx->rng);
    high = (high & ~APR_UINT64_C(0xF000)) | APR_UINT64_C(0x4000);
    low = (low & ~(APR_UINT64_C(3) << 62)) | (APR_UINT64_C(2) << 62);
    return json_sprintf("%08x-%04x-%04x-%04x-%012" APR_UINT64_T_HEX_FMT,
                        (unsigned)(high >> 32), (unsigned)((high >> 16) & 0xFFFF),
                        (unsigned)(high & 0xFFFF), (unsigned)(low >> 48),
                        low & APR_UINT64_C(0xFFFFFFFFFFFF));
}

/* Lower-case letters, 4 to 12 of them where minLength / maxLength allow. */
static json_t *random_letters(gen_ctx *ctx, int min_length, int max_length)
{
    int low = min_length > OA_MOCK_MAX_STRING ? OA_MOCK_MAX_STRING : min_length;
    int high = max_length >= 0 && max_length < low + 12 ? max_length : low + 12;
    int length;
    char *text;
    int i;
    if (low < 4)
        low = high < 4 ? high : 4;
    if (high < low)
        high = low;
    length = low + (int)oa_mock_rng_below(ctx->rng, (apr_uint64_t)(high - low + 1));
    text = apr_palloc(ctx->pool, (apr_size_t)length + 1);
    for (i = 0; i < length; i++)
        text[i] = (char)('a' + oa_mock_rng_below(ctx->rng, 26));
    text[length] = '\0';
    return json_string(text);
}

static json_t *generate_string(gen_ctx *ctx, json_t *schema, gen_state state)
{
    const char *format = json_string_value(json_object_get(schema, "format"));
    const char *pattern = json_string_value(json_object_get(schema, "pattern"));
    int min_length = get_count(schema, "minLength", 0);
    int max_length = get_count(schema, "maxLength", -1);
    const char *text = NULL;
    char *padded;
    size_t length;

    if (format && ctx->rng && !state.variant && strcmp(format, "uuid") == 0)
        return random_uuid(ctx);
    if (format)
        text = string_for_format(ctx->pool, format, leaf_variant(ctx, state));
    if (!text && pattern)
        text = oa_mock_string_from_pattern(ctx->pool, pattern, min_length, max_length);
    if (text)
        return json_string(text);
    if (ctx->rng && !state.variant)
        return random_letters(ctx, min_length, max_length);

    text = state.variant ? apr_psprintf(ctx->pool, "string%d", state.variant) : "string";
    length = strlen(text);
    if (min_length > OA_MOCK_MAX_STRING)
        min_length = OA_MOCK_MAX_STRING;
    if ((int)length < min_length) {
        /* pad with letters that keep variants apart */
        padded = apr_palloc(ctx->pool, (size_t)min_length + 1);
        memcpy(padded, text, length);
        memset(padded + length, 'x', (size_t)min_length - length);
        padded[min_length] = '\0';
        text = padded;
        length = (size_t)min_length;
    }
    if (max_length >= 0 && (int)length > max_length) {
        /* keep the tail, which holds the variant number */
        text = text + (length - (size_t)max_length);
    }
    return json_string(text);
}

/* ---- numbers ---- */

/* The smallest multiple of unit that is >= low (> low when exclusive). */
static double multiple_above(double low, int exclusive, double unit)
{
    double k = ceil(low / unit);
    if (exclusive && k * unit <= low)
        k += 1;
    return k * unit;
}

static double multiple_below(double high, int exclusive, double unit)
{
    double k = floor(high / unit);
    if (exclusive && k * unit >= high)
        k -= 1;
    return k * unit;
}

/* Reads minimum/maximum with draft 4 boolean or later numeric exclusive* keywords. */
static void read_bound(json_t *schema, const char *limit, const char *exclusive,
                       double *value, int *has, int *is_exclusive)
{
    json_t *ex = json_object_get(schema, exclusive);
    *has = get_number(schema, limit, value);
    *is_exclusive = *has && json_is_true(ex);
    if (json_is_number(ex)) {
        *value = json_number_value(ex);
        *has = 1;
        *is_exclusive = 1;
    }
}

/* A random multiple of unit (stepped) or a random number between the bounds, where the
 * fixed example's value (0 moved into the bounds) would be. Unbounded sides span 1000
 * units. */
static double random_number(gen_ctx *ctx, double low, int has_low, int low_ex, double high,
                            int has_high, int high_ex, int stepped, double unit)
{
    double fraction = (double)(oa_mock_rng_next(ctx->rng) >> 11) / 9007199254740992.0;
    if (!has_low)
        low = has_high ? high - 1000 * unit : 0;
    if (!has_high)
        high = low + 1000 * unit;
    if (stepped) {
        double first = multiple_above(low, has_low && low_ex, unit) / unit;
        double last = multiple_below(high, has_high && high_ex, unit) / unit;
        if (last < first)
            return NAN; /* no multiple in range: the fixed example's rules decide */
        return (first + floor(fraction * (last - first + 1))) * unit;
    }
    if (high <= low)
        return low;
    fraction = 0.05 + 0.9 * fraction; /* never on an exclusive bound */
    return low + (high - low) * fraction;
}

static json_t *generate_number(gen_ctx *ctx, json_t *schema, int integer, gen_state state)
{
    double low = 0;
    double high = 0;
    int has_low;
    int has_high;
    int low_ex;
    int high_ex;
    double multiple = 0;
    double unit;
    double value;
    int stepped; /* values must lie on multiples of unit */

    read_bound(schema, "minimum", "exclusiveMinimum", &low, &has_low, &low_ex);
    read_bound(schema, "maximum", "exclusiveMaximum", &high, &has_high, &high_ex);
    if (get_number(schema, "multipleOf", &multiple) && !(multiple > 0))
        multiple = 0;
    unit = multiple > 0 ? multiple : 1;
    if (integer && multiple > 0 && floor(multiple) != multiple) {
        /* an integer multiple of a fraction: the first multiple that is whole */
        int n;
        for (n = 2; n <= 1000 && floor(multiple * n) != multiple * n; n++)
            ;
        unit = n <= 1000 ? multiple * n : 1;
    }
    stepped = integer || multiple > 0;
    value = state.variant * unit;
    if (ctx->rng && !state.variant) {
        double drawn = random_number(ctx, low, has_low, low_ex, high, has_high, high_ex,
                                     stepped, unit);
        if (!isnan(drawn))
            value = drawn; /* within the bounds: the moves below leave it */
    }

    if (has_low && (value < low || (low_ex && value <= low))) {
        if (stepped)
            value = multiple_above(low, low_ex, unit);
        else if (!low_ex)
            value = low;
        else if (has_high && high - low <= 2)
            value = low + (high - low) / 2;
        else
            value = low + 1;
        value += state.variant * unit;
    }
    if (has_high && (value > high || (high_ex && value >= high))) {
        if (stepped)
            value = multiple_below(high, high_ex, unit);
        else if (!high_ex)
            value = high;
        else if (has_low && high - low <= 2)
            value = low + (high - low) / 2;
        else
            value = high - 1;
    }
    if (multiple > 0 && !integer) {
        /* k * 0.1 is not exactly the decimal it stands for: take the double nearest to it */
        char text[64];
        snprintf(text, sizeof(text), "%.15g", value);
        value = strtod(text, NULL);
    }
    if ((integer || floor(value) == value) && fabs(value) < 9.0e15)
        return json_integer((json_int_t)value);
    return json_real(value);
}

/* ---- objects and arrays ---- */

static json_t *generate_object(gen_ctx *ctx, json_t *schema, const char *base,
                               gen_state state)
{
    json_t *object = json_object();
    json_t *properties = json_object_get(schema, "properties");
    json_t *additional = json_object_get(schema, "additionalProperties");
    int max_properties = get_count(schema, "maxProperties", INT_MAX);
    int min_properties = get_count(schema, "minProperties", 0);
    int optional_left;
    int required_count = 0;
    const char *name;
    json_t *property;
    size_t i;
    json_t *item;
    gen_state child = state;
    int extra = 0;

    child.depth = state.depth + 1;
    child.name = NULL; /* the variant goes down: unique items stay unique */

    json_array_foreach(json_object_get(schema, "required"), i, item)
        required_count++;
    optional_left = max_properties > required_count ? max_properties - required_count : 0;

    json_object_foreach(properties, name, property) {
        const char *target_base;
        json_t *target;
        json_t *value;
        int required = is_required(schema, name);
        target = follow(ctx, property, base, &target_base, NULL);
        if (!target)
            break;
        if (flag(target, "writeOnly") || flag(property, "writeOnly"))
            continue; /* a response never carries them */
        if (!required) {
            if (state.minimal || optional_left <= 0 || leads_to_cycle(ctx, property, base))
                continue;
            optional_left--;
        }
        value = generate(ctx, property, base, child);
        if (!value)
            break;
        json_object_set_new(object, name, value);
    }
    if (ctx->failed) {
        json_decref(object);
        return NULL;
    }
    /* required names that no property describes */
    json_array_foreach(json_object_get(schema, "required"), i, item) {
        json_t *value;
        if (!json_is_string(item) || json_object_get(object, json_string_value(item)) ||
            json_object_get(properties, json_string_value(item)))
            continue;
        value = json_is_object(additional) ? generate(ctx, additional, base, child)
                                           : json_string("string");
        if (!value)
            break;
        json_object_set_new(object, json_string_value(item), value);
    }
    /* a map shows one entry; minProperties gets its count */
    if (!json_is_false(additional)) {
        int wanted = min_properties;
        if (!properties && json_is_object(additional) && !state.minimal && wanted < 1)
            wanted = 1;
        if (wanted > max_properties)
            wanted = max_properties;
        while (!ctx->failed && (int)json_object_size(object) < wanted &&
               extra < OA_MOCK_MAX_ITEMS) {
            json_t *value = json_is_object(additional)
                ? generate(ctx, additional, base, child) : json_string("string");
            if (!value)
                break;
            json_object_set_new(object, apr_psprintf(ctx->pool, "additionalProp%d", ++extra),
                                value);
        }
    }
    if (ctx->failed) {
        json_decref(object);
        return NULL;
    }
    return object;
}

static json_t *generate_array(gen_ctx *ctx, json_t *schema, const char *base,
                              gen_state state)
{
    json_t *array = json_array();
    json_t *items = json_object_get(schema, "items");
    int min_items = get_count(schema, "minItems", 0);
    int max_items = get_count(schema, "maxItems", INT_MAX);
    int unique = flag(schema, "uniqueItems");
    int count;
    int i;
    gen_state child = state;

    child.depth = state.depth + 1;
    child.name = NULL;
    if (json_is_array(items)) {
        /* tuple form (draft 4): one value per position */
        count = state.minimal ? min_items : (int)json_array_size(items);
        if (count < min_items)
            count = min_items;
    }
    else if (json_is_object(items)) {
        count = state.minimal || leads_to_cycle(ctx, items, base) ? min_items
              : (min_items > 1 ? min_items : 1);
        if (ctx->rng && !state.minimal && count == (min_items > 1 ? min_items : 1))
            count += (int)oa_mock_rng_below(ctx->rng, 5);
    }
    else {
        count = min_items; /* items unconstrained: strings will do */
    }
    if (count > max_items)
        count = max_items;
    if (count > OA_MOCK_MAX_ITEMS)
        count = OA_MOCK_MAX_ITEMS;

    for (i = 0; i < count; i++) {
        json_t *item_schema = json_is_array(items) ? json_array_get(items, (size_t)i) : items;
        json_t *value;
        if (json_is_array(items) && !item_schema) {
            json_t *additional = json_object_get(schema, "additionalItems");
            item_schema = json_is_object(additional) ? additional : NULL;
        }
        child.variant = unique ? i + (ctx->rng ? 1 : 0) : 0; /* dynamic: no random twin */
        if (item_schema)
            value = generate(ctx, item_schema, base, child);
        else
            value = unique ? json_sprintf("string%d", i) : json_string("string");
        if (!value) {
            json_decref(array);
            return NULL;
        }
        json_array_append_new(array, value);
    }
    return array;
}

/* ---- composition and discriminators ---- */

/* The discriminator value that selects the schema named `name` under a discriminator
 * with this mapping: the mapping key that points at it, else the name itself. */
static const char *discriminator_value(json_t *mapping, const char *name)
{
    const char *key;
    json_t *target;
    json_object_foreach(mapping, key, target)
        if (json_is_string(target) && name &&
            strcmp(last_segment(json_string_value(target)), name) == 0)
            return key;
    if (name)
        return name;
    json_object_foreach(mapping, key, target)
        return key;
    return NULL;
}

/* oneOf / anyOf: the branch to generate and the discriminator value that selects it. */
static json_t *choose_branch(gen_ctx *ctx, json_t *schema, json_t *branches, const char *base,
                             const char **branch_base, const char **value)
{
    json_t *discriminator = json_object_get(schema, "discriminator");
    json_t *mapping = json_object_get(discriminator, "mapping");
    json_t *first = json_array_get(branches, 0);
    const char *key;
    json_t *target;

    *branch_base = base;
    *value = NULL;
    json_object_foreach(mapping, key, target) {
        const char *ref;
        json_t *node;
        if (!json_is_string(target))
            continue;
        ref = json_string_value(target);
        if (!strchr(ref, '/') && !strchr(ref, '#'))
            ref = apr_pstrcat(ctx->pool, "#/components/schemas/", ref, NULL);
        node = resolve_ref(ctx, base, ref, branch_base);
        if (!node) {
            ctx->failed = 1;
            return NULL;
        }
        *value = key;
        return node;
    }
    if (discriminator && json_is_string(json_object_get(first, "$ref")))
        *value = last_segment(json_string_value(json_object_get(first, "$ref")));
    return first;
}

static const char *discriminator_property(json_t *schema)
{
    json_t *discriminator = json_object_get(schema, "discriminator");
    if (json_is_string(discriminator)) /* 2.0 */
        return json_string_value(discriminator);
    return json_string_value(json_object_get(discriminator, "propertyName"));
}

static json_t *generate_by_type(gen_ctx *ctx, json_t *schema, const char *base,
                                gen_state state, const char *type)
{
    if (strcmp(type, "object") == 0)
        return generate_object(ctx, schema, base, state);
    if (strcmp(type, "array") == 0)
        return generate_array(ctx, schema, base, state);
    if (strcmp(type, "string") == 0)
        return generate_string(ctx, schema, state);
    if (strcmp(type, "integer") == 0)
        return generate_number(ctx, schema, 1, state);
    if (strcmp(type, "number") == 0)
        return generate_number(ctx, schema, 0, state);
    if (strcmp(type, "boolean") == 0)
        return json_boolean(leaf_variant(ctx, state) % 2 == 0);
    if (strcmp(type, "file") == 0) /* 2.0 file responses: the content is opaque */
        return json_string("file");
    return json_null();
}

/* Combines the value of the schema's own keywords with those of its allOf branches and
 * chosen oneOf/anyOf branch: objects merge, otherwise the first value that is not null. */
static json_t *combine(json_t *combined, json_t *value)
{
    if (!combined)
        return value;
    if (json_is_object(combined) && json_is_object(value))
        merge_objects(combined, value);
    else if (json_is_null(combined) && !json_is_null(value)) {
        json_decref(combined);
        return value;
    }
    json_decref(value);
    return combined;
}

static json_t *generate_node(gen_ctx *ctx, json_t *schema, const char *base, gen_state state)
{
    json_t *value;
    json_t *enumeration = json_object_get(schema, "enum");
    const char *type = schema_type(schema);
    json_t *all_of = json_object_get(schema, "allOf");
    json_t *one_of = json_object_get(schema, "oneOf");
    json_t *combined = NULL;
    const char *property = discriminator_property(schema);
    const char *selected = NULL;
    size_t i;
    json_t *branch;

    if (!ctx->rng && (value = json_object_get(schema, "example")) != NULL)
        return copy_value(ctx, value);
    if (!ctx->rng && (value = json_object_get(schema, "default")) != NULL)
        return copy_value(ctx, value);
    if (json_array_size(enumeration) > 0)
        return copy_value(ctx, json_array_get(enumeration, (size_t)leaf_variant(ctx, state) %
                                                          json_array_size(enumeration)));
    if (!json_is_array(one_of) || json_array_size(one_of) == 0)
        one_of = json_object_get(schema, "anyOf");

    if (type) {
        combined = generate_by_type(ctx, schema, base, state, type);
        if (!combined)
            return NULL;
    }
    json_array_foreach(all_of, i, branch) {
        value = generate(ctx, branch, base, state);
        if (!value)
            break;
        combined = combine(combined, value);
    }
    if (!ctx->failed && json_array_size(one_of) > 0) {
        const char *branch_base;
        gen_state branch_state = state;
        branch = choose_branch(ctx, schema, one_of, base, &branch_base, &selected);
        if (branch) {
            if (selected)
                branch_state.name = selected;
            value = generate(ctx, branch, branch_base, branch_state);
            if (value)
                combined = combine(combined, value);
        }
    }
    if (ctx->failed) {
        json_decref(combined);
        return NULL;
    }
    if (!combined)
        combined = json_null();
    if (property && json_is_object(combined)) {
        const char *name = selected ? selected
            : discriminator_value(json_object_get(json_object_get(schema, "discriminator"),
                                                  "mapping"), state.name);
        if (name)
            json_object_set_new(combined, property, json_string(name));
    }
    return combined;
}

static json_t *generate(gen_ctx *ctx, json_t *schema, const char *base, gen_state state)
{
    const char *target_base;
    const char *name = NULL;
    json_t *target;
    json_t *value;

    ctx->nodes++;
    if (ctx->stack_depth >= OA_MOCK_MAX_EVAL || ctx->nodes > 4 * OA_MOCK_MAX_NODES)
        return json_null(); /* no finite value in sight: give up on this part */
    target = follow(ctx, schema, base, &target_base, &name);
    if (!target)
        return NULL;
    if (!state.name)
        state.name = name;
    if (!json_is_object(target))
        return json_null(); /* boolean schemas and nonsense */
    if (on_stack(ctx, target) || state.depth >= OA_MOCK_MAX_DEPTH ||
        ctx->nodes > OA_MOCK_MAX_NODES)
        state.minimal = 1;
    ctx->stack[ctx->stack_depth++] = target;
    value = generate_node(ctx, target, target_base, state);
    ctx->stack_depth--;
    return value;
}

json_t *oa_mock_dynamic_from_schema(apr_pool_t *pool, oa_docset *docs, json_t *schema,
                                    const char *base, oa_mock_rng *rng, oa_diag *diag)
{
    gen_ctx *ctx = apr_pcalloc(pool, sizeof(*ctx));
    gen_state state;
    memset(&state, 0, sizeof(state));
    ctx->pool = pool;
    ctx->docs = docs;
    ctx->diag = diag;
    ctx->rng = rng;
    return generate(ctx, schema, base, state);
}

json_t *oa_mock_example_from_schema(apr_pool_t *pool, oa_docset *docs, json_t *schema,
                                    const char *base, oa_diag *diag)
{
    return oa_mock_dynamic_from_schema(pool, docs, schema, base, NULL, diag);
}
