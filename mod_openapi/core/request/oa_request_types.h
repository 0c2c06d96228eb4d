/* The request parser's types: what the glue hands in (oa_request_input, options) and
 * what it gets back (oa_request_result, errors, uploads). Apart from oa_request.h so that
 * the parser's own files (bodies, styles, the context) use them without depending on the
 * driver. */
#ifndef OA_REQUEST_TYPES_H
#define OA_REQUEST_TYPES_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "util/oa_diag.h"
#include "spec/oa_router.h"
#include "spec/oa_spec.h"

struct oa_schema_registry;

/* How repeated query parameters are read (Connexion's URI parsers).
 *
 * A parameter's values are all the pairs with its name, in order. An array is "exploded"
 * when the spec says so: 3.x style form, spaceDelimited or pipeDelimited with explode:
 * true (the default for form), or 2.0 collectionFormat: multi. The delimiter is ','
 * (form, csv), ' ' (spaceDelimited, ssv), '|' (pipeDelimited, pipes) or '\t' (tsv).
 * For ?letters=a,b,c&letters=d,e,f:
 *
 *   parser         array, not exploded         array, exploded               scalar
 *   OPENAPI        last value, split: [d,e,f]  every value, each split:      last
 *                                              [a,b,c,d,e,f]
 *   SWAGGER2       as OPENAPI (csv: [d,e,f]; multi: [a,b,c,d,e,f])           last
 *   FIRST_VALUE    first value, split: [a,b,c] every value, each split       first
 *   ALWAYS_MULTI   every value, each split: [a,b,c,d,e,f] (exploded or not) last
 *
 * Splitting exploded values too is what Connexion does: ?ids=1,2 and ?ids=1&ids=2 both
 * read as [1,2] under the default form/explode. OPENAPI reads style/explode, SWAGGER2
 * collectionFormat; the loader keeps each version's own fields, so on one spec they read
 * alike. Exploded objects (form explode: true) take the keys that are the schema's
 * properties; deepObject takes `name[prop]` keys; there a repeated key of an array
 * property gives its items, else the last wins (the first under FIRST_VALUE). Form
 * bodies (urlencoded and multipart fields) follow the same rules with the style of their
 * `encoding` entry; cookies too (a repeated cookie name is a repeated key). */
typedef enum oa_uri_parser {
    OA_URI_PARSER_DEFAULT,      /* OPENAPI for 3.x specs, SWAGGER2 for 2.0 */
    OA_URI_PARSER_OPENAPI,      /* style/explode; the right-most repeated value wins */
    OA_URI_PARSER_SWAGGER2,     /* collectionFormat; multi joins, else right-most wins */
    OA_URI_PARSER_FIRST_VALUE,  /* like SWAGGER2, but the first value wins */
    OA_URI_PARSER_ALWAYS_MULTI  /* every repetition is joined (Connexion 1.x) */
} oa_uri_parser;

/* Errors listed per request unless the caller says otherwise; past it they are counted. */
#define OA_REQUEST_DEFAULT_MAX_ERRORS 20

typedef struct oa_request_options {
    oa_uri_parser uri_parser;
    int strict_validation; /* unknown query or form parameters are errors */
    int max_errors;        /* cap on reported errors; 0 means OA_REQUEST_DEFAULT_MAX_ERRORS */
    int fill_defaults;     /* schema defaults are filled into JSON and form bodies */
} oa_request_options;

/* What the glue read from the request. Strings are NUL-terminated unless a length is given. */
typedef struct oa_request_input {
    const char *query;                /* raw query string (after '?'), NULL when none */
    const oa_route_match *match;      /* path values, percent-decoded by the router */
    /* Request header lookup, case-insensitive; NULL when absent. */
    const char *(*header)(void *baton, const char *name);
    void *header_baton;
    const char *content_type;         /* NULL when absent */
    const char *body;                 /* NULL when the request has no body */
    size_t body_length;
} oa_request_input;

typedef struct oa_request_error {
    const char *in;       /* "path", "query", "header", "cookie", "body" */
    const char *name;     /* the parameter's name as the spec writes it, or NULL (body) */
    const char *pointer;  /* JSON pointer inside the value or body ("" = all of it) */
    const char *message;  /* e.g. "'abc' is not of type 'integer'" */
    const char *schema_location; /* schema errors: the failing keyword as FILE#POINTER
                                    (the spec file's name, not its path), else NULL */
} oa_request_error;

/* A file from a multipart/form-data body. */
typedef struct oa_upload {
    const char *field;
    const char *filename;     /* NULL when the part has none */
    const char *content_type; /* the part's Content-Type, "text/plain" by default */
    const char *data;
    size_t size;
} oa_upload;

typedef struct oa_request_result {
    json_t *params;              /* handler name -> typed value; a reference bound to pool */
    json_t *body;                /* parsed and validated body (JSON value, or an object of
                                    form fields), bound to pool; NULL when none */
    const oa_media_type *media;  /* the declared media type the body matched, or NULL */
    apr_array_header_t *uploads; /* of oa_upload */
    int status;                  /* 0 when valid; else 400 or 415 */
    apr_array_header_t *errors;  /* of oa_request_error; empty when valid */
    long errors_omitted;         /* errors found past the cap (max_errors), not listed */
} oa_request_result;

#endif
