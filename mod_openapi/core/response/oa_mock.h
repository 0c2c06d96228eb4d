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
 *   `example` (after its $refs); else one generated from the schema.
 * OpenAPI 2.0 (response object): `examples` keyed by MIME type (the chosen type, else the
 *   first); else the schema's `example`; else one generated from the schema.
 *
 * Generating from a schema ($refs followed; `example`, then `default`, then the first
 * `enum` value win at every level):
 *   object   every property in `properties` (required ones always; optional ones too,
 *            except when they lead back into a schema being generated, below depth
 *            OA_MOCK_MAX_DEPTH, or past maxProperties); writeOnly properties never
 *            (this is a response); a map (additionalProperties schema, no properties)
 *            gets one "additionalProp1" entry; minProperties is filled with
 *            "additionalPropN" entries when additionalProperties allows them
 *   array    max(1, minItems) items (minItems only, once optional parts are left out),
 *            at most maxItems and OA_MOCK_MAX_ITEMS; items differ when uniqueItems
 *   string   by format (date, date-time, time, email, uuid, uri, uri-reference, ipv4,
 *            ipv6, hostname, byte, binary, password); else from `pattern` when it is
 *            simple enough to write a matching string for (literals, classes, \d \w \s,
 *            groups, alternatives, quantifiers; no lookarounds, backreferences or
 *            flags); else "string", padded or cut to minLength / maxLength
 *   integer, number  0, moved into minimum / maximum (exclusive ones too) and onto a
 *            multiple of multipleOf
 *   boolean  true;  null type: null;  nullable: a value all the same
 *   allOf    the branches' objects merged (first value of a key wins)
 *   oneOf / anyOf  the discriminator mapping's first entry, else the first branch; the
 *            discriminator property is set to the name that selects it
 *   no type  inferred from properties / items / string or number keywords, else null
 * Recursive schemas end: a schema met again inside itself, and anything below depth
 * OA_MOCK_MAX_DEPTH, is generated with required parts only; past OA_MOCK_MAX_EVAL nested
 * schema evaluations (a cycle of required properties: no finite value) a value is null.
 *
 * Thread safety: only reads the documents and allocates from the pool given, provided
 * every document the $refs reach is in the set already (oa_spec_load sees to it): a
 * missing document would be fetched through the set's loader, which is not thread-safe.
 * $refs are followed as URIs with JSON pointer fragments; `id`-named schemas and
 * "#name" anchors are not looked up (they are reported as broken refs). */
#ifndef OA_MOCK_H
#define OA_MOCK_H

#include <apr_pools.h>
#include <jansson.h>

#include "util/oa_diag.h"
#include "doc/oa_docset.h"

#define OA_MOCK_MAX_DEPTH 8    /* value nesting with optional parts */
#define OA_MOCK_MAX_EVAL 64    /* nested schema evaluations ($ref, allOf, properties...) */
#define OA_MOCK_MAX_ITEMS 64   /* array items generated at most (minItems beyond it is
                                  not honoured) */
#define OA_MOCK_MAX_NODES 4096 /* values generated per example; then required parts only */
#define OA_MOCK_MAX_STRING 4096 /* generated string length at most (minLength beyond it
                                   is not honoured) */

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
                                 "generated", or "none" when body is NULL */
} oa_mock_result;

/* The key of `responses` a mock answers with (see above), or NULL when there is none.
 * Only reads the keys: the glue uses it to find the matching oa_response and negotiate
 * among its media types before calling oa_mock_response. */
const char *oa_mock_response_key(json_t *responses);

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

/* Generates an example value from the schema `schema` found in the document with base
 * URI base (see above). Returns a new reference, or NULL with an error in diag when a
 * $ref is broken. */
json_t *oa_mock_example_from_schema(apr_pool_t *pool, oa_docset *docs, json_t *schema,
                                    const char *base, oa_diag *diag);

#endif
