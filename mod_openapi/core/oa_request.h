/* Request parsing and validation (core, no httpd types): every declared parameter is read
 * from its location, deserialized by its style, cast to its schema's types, defaulted and
 * validated; the body is parsed by its media type and validated. The httpd glue hands in
 * what it read from request_rec and turns the result into the handler's view or a 4xx. */
#ifndef OA_REQUEST_H
#define OA_REQUEST_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "oa_diag.h"
#include "oa_router.h"
#include "oa_spec.h"

struct oa_schema_registry;

/* How repeated query parameters are read (Connexion's URI parsers). */
typedef enum oa_uri_parser {
    OA_URI_PARSER_DEFAULT,      /* OPENAPI for 3.x specs, SWAGGER2 for 2.0 */
    OA_URI_PARSER_OPENAPI,      /* style/explode; the right-most repeated value wins */
    OA_URI_PARSER_SWAGGER2,     /* collectionFormat; multi joins, else right-most wins */
    OA_URI_PARSER_FIRST_VALUE,  /* like SWAGGER2, but the first value wins */
    OA_URI_PARSER_ALWAYS_MULTI  /* every repetition is joined (Connexion 1.x) */
} oa_uri_parser;

typedef struct oa_request_options {
    oa_uri_parser uri_parser;
    int strict_validation; /* unknown query or form parameters are errors */
    int max_errors;        /* cap on reported errors; 0 means 50 */
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
} oa_request_result;

/* Compiles every schema of the spec (parameters, request bodies; and responses for later
 * use) with the registry, filling the `compiled` fields of the model. Returns 1, or 0
 * with errors (file:line:column) in diag. Called once at config time. */
int oa_spec_compile(oa_spec *spec, struct oa_schema_registry *registry, oa_diag *diag);

/* Parses and validates one request for an operation. Never fails for lack of memory
 * other than through APR's abort; all allocation is in pool. Returns result->status. */
int oa_request_parse(apr_pool_t *pool, const oa_spec *spec, const oa_operation *op,
                     const oa_request_input *input, const oa_request_options *options,
                     oa_request_result *result);

/* The declared media type that a Content-Type value selects (exact beats type/'*' beats
 * '*'/'*'; parameters such as charset ignored), or NULL. */
const oa_media_type *oa_request_select_media(const oa_operation *op, const char *content_type);

#endif
