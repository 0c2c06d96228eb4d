/* Media types (RFC 9110 section 8.3.1): the one place that splits "type/subtype;
 * parameters", compares media types and ranges, says whether a type is JSON and reads
 * parameters (also those of headers in the same syntax, such as Content-Disposition). */
#ifndef OA_MEDIA_TYPE_H
#define OA_MEDIA_TYPE_H

#include <apr_pools.h>
#include <stddef.h>

/* The type and subtype of a media type or range, pointing into the text. */
typedef struct oa_media_essence {
    const char *type;
    size_t type_length;
    const char *subtype;
    size_t subtype_length;
} oa_media_essence;

/* RFC 9110 token characters at the start of p. */
size_t oa_media_token_length(const char *p);

/* Splits "type/subtype" at the start of text (after white space), which must be followed
 * by the end, white space or ';'. Returns 0 when text is NULL or not of that form. */
int oa_media_type_split(const char *text, oa_media_essence *essence);

/* Whether a split media type has the essence "type/subtype" (case-insensitive): one
 * split for several comparisons. */
int oa_media_essence_is(const oa_media_essence *split, const char *essence);
/* 1 when text's type/subtype is `essence` ("application/x-www-form-urlencoded"),
 * case-insensitive, parameters ignored. */
int oa_media_type_is(const char *text, const char *essence);

/* 1 when media type `type` falls under media range `range` ("application/json" under
 * "application/json", "application/'*'" and "'*'/'*'"); case-insensitive, parameters and
 * surrounding white space ignored. A '*' in type is compared literally. 0 for malformed
 * input. */
int oa_media_type_matches(const char *range, const char *type);

/* Which of count declared media types or ranges a Content-Type value selects: the exact
 * type beats type/'*', which beats '*'/'*' (the first of equals; parameters such as
 * charset ignored). name_of(list, i) gives the i-th declared name. Returns its index,
 * or -1 when none fits or content_type is not type/subtype. */
int oa_media_type_select(const char *content_type, const void *list, int count,
                         const char *(*name_of)(const void *list, int i));

/* 1 when type falls under one of the comma-separated media ranges of list (an Encoding
 * Object's contentType: "image/png, image/'*'"). */
int oa_media_type_in_list(const char *list, const char *type);

/* 1 for application/json and any type/subtype ending in "+json" (application/
 * problem+json, application/vnd.api+json...), case-insensitive, parameters ignored. */
int oa_media_type_is_json(const char *type);

/* The quoted-string at *p (on its opening quote), unescaped; moves *p past the closing
 * quote. NULL when it is not terminated. Measures before allocating, so memory is the
 * string's own length. */
const char *oa_media_quoted_string(apr_pool_t *pool, const char **p);

/* The value of parameter `name` (case-insensitive) in a header value such as
 * `text/plain; charset=utf-8` or `form-data; name="a b"; filename=x.txt` (token or
 * quoted-string), or NULL when absent. A quoted-string without its closing quote makes
 * the whole value malformed: NULL with *error set (error may be NULL when the caller does
 * not care); otherwise *error is left alone. */
const char *oa_media_parameter(apr_pool_t *pool, const char *header_value, const char *name,
                               const char **error);

#endif
