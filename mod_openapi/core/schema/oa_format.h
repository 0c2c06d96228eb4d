/* Built-in `format` checkers: the JSON Schema formats and the OpenAPI ones
 * (int32, int64, float, double, byte, binary, date, date-time, time, email, hostname,
 * ipv4, ipv6, uri, uri-reference, uuid, password, regex, json-pointer,
 * relative-json-pointer, duration, uri-template). The string checkers take a
 * length because JSON strings may hold NUL bytes. */
#ifndef OA_FORMAT_H
#define OA_FORMAT_H

#include <stddef.h>
#include <jansson.h>

#include "schema/oa_schema.h"

typedef struct oa_format_def {
    const char *name;
    oa_format_check_fn check; /* NULL: known format with nothing to check */
    unsigned kinds;           /* OA_FORMAT_STRINGS / OA_FORMAT_NUMBERS */
} oa_format_def;

/* The built-in formats, ended by a {NULL} entry. */
const oa_format_def *oa_format_builtins(void);

int oa_format_is_date(const char *s, size_t n);       /* RFC 3339 full-date */
int oa_format_is_time(const char *s, size_t n);       /* RFC 3339 full-time */
int oa_format_is_date_time(const char *s, size_t n);  /* RFC 3339 date-time */
int oa_format_is_email(const char *s, size_t n);
int oa_format_is_hostname(const char *s, size_t n);   /* RFC 1123 */
int oa_format_is_ipv4(const char *s, size_t n);
int oa_format_is_ipv6(const char *s, size_t n);
int oa_format_is_uri(const char *s, size_t n);        /* absolute URI, RFC 3986 */
int oa_format_is_uri_reference(const char *s, size_t n);
int oa_format_is_iri(const char *s, size_t n);        /* RFC 3987: non-ASCII allowed */
int oa_format_is_iri_reference(const char *s, size_t n);
int oa_format_is_uuid(const char *s, size_t n);
int oa_format_is_base64(const char *s, size_t n);     /* RFC 4648, padded */
int oa_format_is_regex(const char *s, size_t n);      /* ECMA-262 as PCRE2 takes it */
/* ECMA-262 patterns rewritten for PCRE2 (oa_schema_regex.c): the rewritten text of
 * source[0..length) into out (oa_regex_ecma_size(length) bytes), NUL-terminated; returns
 * its length. oa_regex_from_ecma does the same into the pool for a C string. */
size_t oa_regex_ecma_size(size_t length);
size_t oa_regex_translate(char *out, const char *source, size_t length);
const char *oa_regex_from_ecma(apr_pool_t *pool, const char *source);
/* oa_format_pointer.c */
int oa_format_is_json_pointer(const char *s, size_t n);          /* RFC 6901 */
int oa_format_is_relative_json_pointer(const char *s, size_t n);
int oa_format_is_duration(const char *s, size_t n);              /* RFC 3339 appendix A */
int oa_format_is_uri_template(const char *s, size_t n);          /* RFC 6570 */

#endif
