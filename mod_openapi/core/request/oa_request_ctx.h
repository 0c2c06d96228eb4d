/* One oa_request_parse call's context, shared by the parser's files (oa_request.c
 * drives; bodies in oa_body.c): recording errors and validating into errors
 * (oa_request_ctx.c). Not part of the API: the glue uses oa_request.h. */
#ifndef OA_REQUEST_CTX_H
#define OA_REQUEST_CTX_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "request/oa_request_types.h"

struct oa_schema;

/* One oa_request_parse call. */
typedef struct oa_request_ctx {
    apr_pool_t *pool;
    const oa_spec *spec;
    const oa_operation *op;
    const oa_request_input *input;
    oa_uri_parser parser; /* resolved: never OA_URI_PARSER_DEFAULT */
    int strict;
    int max_errors;
    int fill_defaults; /* body defaults are filled in before validation */
    oa_request_result *result;
} oa_request_ctx;

/* Longest name, pointer (code points) and message of a recorded error; longer ones are
 * cut with "...". */
#define OA_REQUEST_MAX_NAME 200
#define OA_REQUEST_MAX_MESSAGE 600

/* Records an error; status 415 outranks 400 in result->status. Errors past max_errors
 * are counted in result->errors_omitted (the status is still set). Name, pointer and
 * message are cut to the lengths above. */
void oa_request_fail(oa_request_ctx *ctx, int status, const char *in, const char *name,
                     const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Validates value against schema in request mode; each schema error becomes a 400
 * error at (in, name) with the validator's pointer. When name is NULL and by_field is set,
 * the name is the first token of the pointer (form bodies name their field). Returns 1
 * when valid. */
int oa_request_validate(oa_request_ctx *ctx, const struct oa_schema *schema,
                        const json_t *value, const char *in, const char *name, int by_field);

/* oa_request_validate with prefix (a JSON pointer, or NULL) put before each error's
 * pointer: "/3" for the fourth item of a sequential body. */
int oa_request_validate_at(oa_request_ctx *ctx, const struct oa_schema *schema,
                           const json_t *value, const char *in, const char *name, int by_field,
                           const char *prefix);

#endif
