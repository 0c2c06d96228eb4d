/* JSON value helpers for validation: numeric views, integer-ness by dialect, deep
 * equality where 1 == 1.0 (enum, uniqueItems) and a hash consistent with it. */
#include "schema/oa_schema_internal.h"

#include <math.h>
#include <string.h>

double oa_json_number(const json_t *value)
{
    return json_is_integer(value) ? (double)json_integer_value(value)
                                  : json_real_value(value);
}

int oa_json_is_integral(const json_t *value, oa_dialect dialect)
{
    double number;
    if (json_is_integer(value))
        return 1;
    if (!json_is_real(value))
        return 0;
    number = json_real_value(value);
    if (!isfinite(number) || number != floor(number))
        return 0;
    /* draft 4 keeps 1.0 a non-integer, but an integer too big for int64 only exists as
     * a real once parsed (bignums) */
    return dialect != OA_DIALECT_DRAFT4 || fabs(number) >= 9223372036854775808.0;
}

static int numbers_equal(const json_t *a, const json_t *b)
{
    if (json_is_integer(a) && json_is_integer(b))
        return json_integer_value(a) == json_integer_value(b);
    return oa_json_number(a) == oa_json_number(b);
}

int oa_json_equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b))
        return numbers_equal(a, b);
    if (json_typeof(a) != json_typeof(b))
        return 0;
    switch (json_typeof(a)) {
    case JSON_STRING:
        return json_string_length(a) == json_string_length(b) &&
               memcmp(json_string_value(a), json_string_value(b), json_string_length(a)) == 0;
    case JSON_ARRAY: {
        size_t i, n = json_array_size(a);
        if (n != json_array_size(b))
            return 0;
        for (i = 0; i < n; i++)
            if (!oa_json_equal(json_array_get(a, i), json_array_get(b, i)))
                return 0;
        return 1;
    }
    case JSON_OBJECT: {
        const char *key;
        size_t key_length;
        json_t *member;
        if (json_object_size(a) != json_object_size(b))
            return 0;
        json_object_keylen_foreach((json_t *)a, key, key_length, member) {
            json_t *other = json_object_getn(b, key, key_length);
            if (!other || !oa_json_equal(member, other))
                return 0;
        }
        return 1;
    }
    default: /* true, false, null */
        return 1;
    }
}

static unsigned long mix(unsigned long hash, unsigned long value)
{
    return (hash ^ value) * 1099511628211UL;
}

unsigned long oa_json_hash(const json_t *value)
{
    unsigned long hash = 14695981039346656037UL;
    switch (json_typeof(value)) {
    case JSON_INTEGER:
    case JSON_REAL: {
        double number = oa_json_number(value);
        unsigned long bits = 0;
        if (number == 0)
            number = 0; /* -0.0 equals 0 */
        memcpy(&bits, &number, sizeof(bits) < sizeof(number) ? sizeof(bits) : sizeof(number));
        return mix(hash, bits);
    }
    case JSON_STRING: {
        const unsigned char *s = (const unsigned char *)json_string_value(value);
        size_t i, n = json_string_length(value);
        for (i = 0; i < n; i++)
            hash = mix(hash, s[i]);
        return mix(hash, 's');
    }
    case JSON_ARRAY: {
        size_t i, n = json_array_size(value);
        for (i = 0; i < n; i++)
            hash = mix(hash, oa_json_hash(json_array_get(value, i)));
        return mix(hash, 'a');
    }
    case JSON_OBJECT: {
        /* member order must not matter: combine member hashes commutatively */
        const char *key;
        size_t key_length, i;
        json_t *member;
        unsigned long sum = 0;
        json_object_keylen_foreach((json_t *)value, key, key_length, member) {
            unsigned long member_hash = 14695981039346656037UL;
            for (i = 0; i < key_length; i++)
                member_hash = mix(member_hash, (unsigned char)key[i]);
            sum += mix(member_hash, oa_json_hash(member));
        }
        return mix(hash ^ sum, 'o');
    }
    default:
        return mix(hash, (unsigned long)json_typeof(value));
    }
}
