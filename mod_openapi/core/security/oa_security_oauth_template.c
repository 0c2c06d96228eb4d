#include "security/oa_security_oauth_template.h"

#include <apr_strings.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "security/oa_security_oauth_errors.h"

/* The JSON text of a string value (with quotes), ASCII only. */
static const char *json_quoted(apr_pool_t *pool, const char *text)
{
    json_t *value = json_string(text);
    char *dumped = value ? json_dumps(value, JSON_ENCODE_ANY | JSON_ENSURE_ASCII) : NULL;
    const char *copy = apr_pstrdup(pool, dumped ? dumped : "\"\"");
    free(dumped);
    json_decref(value);
    return copy;
}

/* The value of a placeholder name of `length` bytes; *known 0 when it is not one. */
static const char *placeholder_value(apr_pool_t *pool, const char *name, size_t length,
                                     const oa_error_fields *fields, int *is_number, int *known)
{
    static const char *const names[] = {"error", "error_description", "scope", "realm",
                                        "status"};
    const char *values[4];
    size_t i;
    values[0] = fields->error;
    values[1] = fields->error_description;
    values[2] = fields->scope;
    values[3] = fields->realm;
    *known = 0;
    *is_number = 0;
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strlen(names[i]) != length || strncmp(names[i], name, length) != 0)
            continue;
        *known = 1;
        if (i == 4) {
            *is_number = 1;
            return apr_itoa(pool, fields->status);
        }
        return oa_oauth_clean_text(pool, values[i]);
    }
    return NULL;
}

const char *oa_error_template_render(apr_pool_t *pool, const char *template_text,
                                     const oa_error_fields *fields)
{
    apr_array_header_t *out = apr_array_make(pool, 8, sizeof(const char *));
    const char *p = template_text ? template_text : "";
    const char *copied = p; /* start of text not yet emitted */
    int in_string = 0;
    while (*p) {
        if (in_string && *p == '\\' && p[1]) {
            p += 2; /* an escape: the next character is not the string's end */
            continue;
        }
        if (*p == '"') {
            in_string = !in_string;
            p++;
            continue;
        }
        if (*p == '{') {
            const char *close = strchr(p + 1, '}');
            int is_number, known = 0;
            const char *value = close ? placeholder_value(pool, p + 1, (size_t)(close - p - 1),
                                                          fields, &is_number, &known)
                                      : NULL;
            if (known) {
                APR_ARRAY_PUSH(out, const char *) = apr_pstrmemdup(pool, copied,
                                                                   (size_t)(p - copied));
                if (in_string) {
                    const char *quoted = json_quoted(pool, value ? value : "");
                    /* Drop the quotes: the template's string supplies them. */
                    APR_ARRAY_PUSH(out, const char *) =
                        apr_pstrmemdup(pool, quoted + 1, strlen(quoted) - 2);
                }
                else if (is_number) {
                    APR_ARRAY_PUSH(out, const char *) = value;
                }
                else {
                    APR_ARRAY_PUSH(out, const char *) = value ? json_quoted(pool, value)
                                                              : "null";
                }
                p = close + 1;
                copied = p;
                continue;
            }
        }
        p++;
    }
    APR_ARRAY_PUSH(out, const char *) = copied;
    return apr_array_pstrcat(pool, out, 0);
}

static const char *parse_error(apr_pool_t *pool, const char *rendered, const char *which)
{
    json_error_t error;
    json_t *parsed = json_loads(rendered, JSON_REJECT_DUPLICATES, &error);
    if (parsed) {
        json_decref(parsed);
        return NULL;
    }
    return apr_psprintf(pool, "the error template is not valid JSON %s: %s (column %d)", which,
                        error.text, error.column);
}

const char *oa_error_template_check(apr_pool_t *pool, const char *template_text)
{
    oa_error_fields full = {401, "invalid_token", "a \"quoted\" description", "read write",
                            "api"};
    oa_error_fields empty = {401, NULL, NULL, NULL, NULL};
    const char *problem = parse_error(
        pool, oa_error_template_render(pool, template_text, &full), "with every value");
    return problem ? problem
                   : parse_error(pool, oa_error_template_render(pool, template_text, &empty),
                                 "when values are absent");
}
