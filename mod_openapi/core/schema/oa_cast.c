#include "schema/oa_cast.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static json_t *cast_integer(const char *text)
{
    char *end;
    long long value;
    const char *digits = (*text == '-' || *text == '+') ? text + 1 : text;
    if (*digits < '0' || *digits > '9')
        return NULL;
    errno = 0;
    value = strtoll(text, &end, 10);
    if (errno == ERANGE || *end != '\0')
        return NULL;
    return json_integer(value);
}

static json_t *cast_number(const char *text)
{
    char *end;
    double value;
    const char *digits = (*text == '-' || *text == '+') ? text + 1 : text;
    /* strtod also takes "inf", "nan" and hex: JSON numbers are decimal. */
    if (!((*digits >= '0' && *digits <= '9') || *digits == '.') || strpbrk(text, "xXnN"))
        return NULL;
    errno = 0;
    value = strtod(text, &end);
    if (errno == ERANGE || *end != '\0' || !isfinite(value))
        return NULL;
    if (!strpbrk(text, ".eE")) {
        /* "10" stays an integer unless it is beyond 64 bits */
        json_t *integer = cast_integer(text);
        return integer ? integer : json_real(value);
    }
    return json_real(value);
}

json_t *oa_cast_scalar(const char *text, const char *type)
{
    if (!type || strcmp(type, "string") == 0)
        return json_string(text);
    if (strcmp(type, "integer") == 0)
        return cast_integer(text);
    if (strcmp(type, "number") == 0)
        return cast_number(text);
    if (strcmp(type, "boolean") == 0) {
        /* Connexion reads booleans case-insensitively ("True" from Python clients). */
        if (strcasecmp(text, "true") == 0)
            return json_true();
        if (strcasecmp(text, "false") == 0)
            return json_false();
        return NULL;
    }
    return json_string(text);
}

json_t *oa_cast_value(const char *text, const json_t *schema, const char **expected)
{
    const char *type = json_string_value(json_object_get(schema, "type"));
    json_t *value;
    if (type && strcmp(type, "array") == 0) {
        const char *item_type =
            json_string_value(json_object_get(json_object_get(schema, "items"), "type"));
        json_t *array = json_array();
        const char *p = text;
        if (!*text)
            return array;
        for (;;) {
            size_t n = strcspn(p, ",");
            char *item = strndup(p, n);
            json_t *cast = item ? oa_cast_scalar(item, item_type) : NULL;
            free(item);
            if (!cast) {
                json_decref(array);
                *expected = item_type ? item_type : "string";
                return NULL;
            }
            json_array_append_new(array, cast);
            if (p[n] == '\0')
                break;
            p += n + 1;
        }
        return array;
    }
    value = oa_cast_scalar(text, type);
    if (!value)
        *expected = type;
    return value;
}

const oa_shape *oa_shape_property(const oa_shape *shape, const char *name)
{
    const oa_shape *property;
    if (!shape || !shape->properties)
        return shape ? shape->additional : NULL;
    property = apr_hash_get(shape->properties, name, APR_HASH_KEY_STRING);
    return property ? property : shape->additional;
}

json_t *oa_cast_text(const char *text, const oa_shape *shape)
{
    const char *type = shape ? shape->type : NULL;
    json_t *value = NULL;
    if (type && (strcmp(type, "integer") == 0 || strcmp(type, "number") == 0 ||
                 strcmp(type, "boolean") == 0))
        value = oa_cast_scalar(text, type);
    else if (type && strcmp(type, "null") == 0 && strcmp(text, "null") == 0)
        value = json_null();
    return value ? value : json_string(text);
}
