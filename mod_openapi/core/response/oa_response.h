/* Response validation (core): a handler's (or a mock's) answer is checked against the
 * operation's declared responses: the status must be declared (exactly, as a range such
 * as 2XX, or by `default`), declared headers present and valid, the body of a declared
 * media type and valid against its schema in response mode (writeOnly forbidden); a
 * sequential body (util/oa_sequence.h) item by item against its itemSchema too. */
#ifndef OA_RESPONSE_H
#define OA_RESPONSE_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "spec/oa_spec.h"

/* The declared response for a status: the exact key, else its range ("4XX"), else
 * "default". NULL when none applies. */
const oa_response *oa_response_find(const oa_operation *op, int status);

/* The first declared 2xx response (or "default"), whose media types the client's Accept
 * header is negotiated against. NULL when there is none. */
const oa_response *oa_response_primary(const oa_operation *op);

/* The first JSON media type (application/json or +json) a response declares, or NULL. */
const char *oa_response_json_type(const oa_response *response);

/* The response's only non-JSON media type, or NULL when it has none or several. */
const char *oa_response_single_raw_type(const oa_response *response);

typedef struct oa_response_error {
    const char *part;    /* "status", "header" or "body" */
    const char *name;    /* the header's name, or NULL */
    const char *pointer; /* JSON pointer into the body ("" for all of it) */
    const char *message;
} oa_response_error;

/* What was sent. body is the JSON body (NULL when there is none or it is raw bytes);
 * has_body says whether any body is sent at all. */
typedef struct oa_response_output {
    int status;
    const char *content_type;
    const json_t *body;
    const char *raw;       /* the bytes of a body that is not JSON, or NULL when they are
                              not at hand (streamed); read for sequential media types */
    size_t raw_length;
    int has_body;
    const char *(*header)(void *baton, const char *name); /* case-insensitive */
    void *header_baton;
} oa_response_output;

/* Returns 1 when the response fits the spec; else 0 and the violations (at most
 * max_errors) in *errors (an array of oa_response_error, created in pool). */
int oa_response_validate(apr_pool_t *pool, const oa_operation *op,
                         const oa_response_output *output, int max_errors,
                         apr_array_header_t **errors);

#endif
