#include "oa_cast.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    if (!strpbrk(text, ".eE"))
        return cast_integer(text) ? json_integer(strtoll(text, NULL, 10)) : json_real(value);
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
        if (strcmp(text, "true") == 0)
            return json_true();
        if (strcmp(text, "false") == 0)
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
