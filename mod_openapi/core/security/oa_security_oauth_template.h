/* Operator-written error bodies: a JSON text with placeholders, so that a location can
 * answer in a vendor's shape, e.g. {"fault": {"faultstring": "{error_description}",
 * "detail": {"errorcode": "{error}"}}}.
 *
 * Placeholders: {error}, {error_description}, {status}, {scope}, {realm}. Inside a JSON
 * string a placeholder becomes the JSON-escaped text (ASCII, cleaned to RFC 6749
 * characters); outside strings it becomes a JSON value: {status} a number, the others a
 * string, or null when the value is absent. Any other brace text is copied as written. */
#ifndef OA_OAUTH_TEMPLATE_H
#define OA_OAUTH_TEMPLATE_H

#include <apr_pools.h>

typedef struct oa_error_fields {
    int status;
    const char *error;             /* may be NULL */
    const char *error_description; /* may be NULL */
    const char *scope;             /* may be NULL */
    const char *realm;             /* may be NULL */
} oa_error_fields;

/* Renders the template. Never fails: absent values are "" inside strings, null outside. */
const char *oa_error_template_render(apr_pool_t *pool, const char *template_text,
                                     const oa_error_fields *fields);

/* For configuration time: NULL when the template renders to valid JSON for sample values
 * (with and without each value), else a message saying why not. */
const char *oa_error_template_check(apr_pool_t *pool, const char *template_text);

#endif
