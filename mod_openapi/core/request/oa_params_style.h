/* Parameter styles (OpenAPI 3.x style/explode, 2.0 collectionFormat): deserializing
 * path, header, query, cookie and form values (oa_params_style.c). Internal to the
 * request parser. */
#ifndef OA_PARAMS_STYLE_H
#define OA_PARAMS_STYLE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "schema/oa_cast.h"
#include "request/oa_query.h"
#include "request/oa_request_types.h"

/* How a value is serialized (OpenAPI 3.x style/explode, 2.0 collectionFormat). */
typedef enum oa_style_kind {
    OA_STYLE_SIMPLE,
    OA_STYLE_LABEL,
    OA_STYLE_MATRIX,
    OA_STYLE_FORM,
    OA_STYLE_SPACE_DELIMITED,
    OA_STYLE_PIPE_DELIMITED,
    OA_STYLE_TAB_DELIMITED, /* 2.0 collectionFormat tsv */
    OA_STYLE_DEEP_OBJECT
} oa_style_kind;

typedef struct oa_param_style {
    oa_style_kind kind;
    int explode;     /* form-like styles: repeated keys are the items (2.0: multi) */
    char delimiter;  /* between items when not exploded: ',' ' ' '|' '\t' */
    int trim_items;  /* header lists: spaces around items are dropped */
    int allow_empty; /* an empty value is accepted (else an error) */
    int nullable;    /* the texts "null" and "None" are JSON null */
} oa_param_style;

/* The style of a declared parameter, by spec version and location. */
void oa_param_style_of(const oa_parameter *param, oa_param_style *style);

/* The style of a form body field from its 3.x encoding entry (may be NULL: form,
 * explode). */
void oa_param_style_of_encoding(const json_t *encoding, oa_param_style *style);

/* Deserializes one text (a path segment's value, a header) by a simple, label or matrix
 * style into the shape's type. name is the parameter's (matrix repeats it). Returns a new
 * reference, or NULL with *error set. */
json_t *oa_style_from_text(const oa_param_style *style, const char *name, const char *text,
                           const oa_shape *shape, apr_pool_t *pool, const char **error);

/* Deserializes a parameter or form field from name=value pairs (query, cookie, form
 * body) by a form-like or deepObject style, repeated keys handled by parser (see
 * oa_request.h). Marks the pairs it takes as used. Returns a new reference; NULL with
 * *error NULL when the value is absent, NULL with *error set when it is malformed. */
json_t *oa_style_from_pairs(const oa_param_style *style, const char *name,
                            apr_array_header_t *pairs, oa_uri_parser parser,
                            const oa_shape *shape, apr_pool_t *pool, const char **error);

/* The text a repeated key gives a single-valued parameter under parser: the right-most
 * occurrence, or the first for FIRST_VALUE. Marks the pairs used; NULL when absent. */
const char *oa_style_pick_text(const char *name, apr_array_header_t *pairs,
                               oa_uri_parser parser);

#endif
