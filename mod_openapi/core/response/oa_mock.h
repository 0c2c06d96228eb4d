/* Mock responses (Connexion's --mock): an operation answers from its spec alone, with
 * the example the spec gives for its first success response, or one generated from the
 * response's schema.
 *
 * Which response: the first 2xx key in the order written ("200".."299", "2XX"); else
 * `default` (sent as 200); else the first other status key (its own status; "4XX" is
 * 400). Extension keys ("x-...") are ignored.
 *
 * Which example, OpenAPI 3.0 (media type object of the chosen type):
 *   `example`; else the first entry of `examples` that has a `value` (entries may be
 *   $refs; `externalValue` ones are skipped: nothing is fetched); else the schema's
 *   `example` (after its $refs); else one generated from the schema. A sequential media
 *   type (3.2, util/oa_sequence.h) with an `itemSchema` is answered with two items made
 *   from it (or an array schema's items), in its format (JSON lines, RS records, SSE
 *   events): the body is then a JSON string, the text.
 * OpenAPI 2.0 (response object): `examples` keyed by MIME type (the chosen type, else the
 *   first); else the schema's `example`; else one generated from the schema.
 *
 * Options (oa_mock_options: Stoplight Prism's Prefer header): a status code picks the
 * response declared for it (the exact code, else its range "4XX", else `default`); an
 * example name picks that entry of the media type's `examples` (3.x); an rng makes the
 * body and headers dynamic, generated from the schemas with random values
 * (oa_mock_dynamic_from_schema), examples ignored. An option that cannot be honoured (no
 * such response or example, no schema) is left out, as RFC 7240 says, and not counted as
 * applied.
 *
 * Response headers: each declared header (Content-Type excepted) with an example (the
 * header's `example`, its first `examples` value, its schema's `example`; 2.0: `x-example`,
 * `default`), and each required one (generated from its schema); in a dynamic mock each
 * with a schema, generated. A value is sent as the simple style writes it ("a,b" for an
 * array); one with control characters is left out.
 *
 * Values where the spec gives no example: oa_mock_value.h (strings from a `pattern`:
 * oa_mock_pattern.h). Thread safety and $refs: as there. */
#ifndef OA_MOCK_H
#define OA_MOCK_H

#include <apr_pools.h>
#include <jansson.h>

#include "util/oa_diag.h"
#include "doc/oa_docset.h"
#include "response/oa_mock_value.h"

typedef struct oa_mock_result {
    int status;               /* HTTP status to send */
    const char *response_key; /* the responses key answered: "200", "2XX", "default" */
    const char *media_type;   /* Content-Type to send; NULL when the response has no
                                 content. The chosen type when it was found, else the
                                 first declared one, a range there made concrete:
                                 '*'/'*' and application/'*' -> application/json,
                                 text/'*' -> text/plain. 2.0: the chosen type, else the
                                 examples key used, else application/json. */
    json_t *body;             /* new reference the caller releases (a tree of its own);
                                 NULL: send no body (1xx, 204, 304, no content or
                                 nothing to build one from). A JSON string is the text
                                 itself for non-JSON media types. */
    const char *source;       /* for logs: "example", "examples/NAME", "schema example",
                                 "generated", "dynamic", or "none" when body is NULL */
    apr_array_header_t *headers; /* of oa_mock_header, in pool; NULL when none */
    int applied;              /* oa_mock_applied bits: the options honoured */
} oa_mock_result;

typedef struct oa_mock_header {
    const char *name;
    const char *value;
} oa_mock_header;

typedef struct oa_mock_options {
    int status;               /* answer with the response declared for it; 0: the default */
    const char *example;      /* 3.x: answer with this entry of `examples`; NULL: the first */
    oa_mock_rng *rng;         /* a dynamic answer from this generator; NULL: examples */
} oa_mock_options;

typedef enum oa_mock_applied {
    OA_MOCK_APPLIED_STATUS = 1,
    OA_MOCK_APPLIED_EXAMPLE = 2,
    OA_MOCK_APPLIED_DYNAMIC = 4
} oa_mock_applied;

/* The key of `responses` a mock answers with (see above), or NULL when there is none.
 * Only reads the keys: the glue uses it to find the matching oa_response and negotiate
 * among its media types before calling oa_mock_response. */
const char *oa_mock_response_key(json_t *responses);

/* The key of `responses` declared for status: the exact code, else its range ("4XX"),
 * else "default"; NULL when none. */
const char *oa_mock_response_key_for_status(json_t *responses, int status);

/* "200" -> 200, "2XX" -> 200, "default" -> 200; 0 for anything else. */
int oa_mock_status_for_key(const char *key);

/* Builds the mock answer of an operation: responses is its responses object and
 * responses_base the base URI of the document holding it, spec_major 2 or 3,
 * media_type the negotiated type (NULL: the first declared). Returns 1 and fills
 * *result; returns 0 with a reason in diag when there is no response to give or a $ref
 * is broken (result->body is then NULL). All strings live in pool. */
int oa_mock_response(apr_pool_t *pool, oa_docset *docs, int spec_major, json_t *responses,
                     const char *responses_base, const char *media_type,
                     oa_mock_result *result, oa_diag *diag);

/* oa_mock_response with options (NULL: none, the same answer). */
int oa_mock_response_with(apr_pool_t *pool, oa_docset *docs, int spec_major,
                          json_t *responses, const char *responses_base,
                          const char *media_type, const oa_mock_options *options,
                          oa_mock_result *result, oa_diag *diag);

#endif
