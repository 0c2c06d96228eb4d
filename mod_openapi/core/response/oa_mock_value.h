/* Mock values: an example generated from a JSON Schema, for mock responses whose spec
 * gives none.
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
 *            simple enough to write a matching string for (oa_mock_pattern.h); else
 *            "string", padded or cut to minLength / maxLength
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
#ifndef OA_MOCK_VALUE_H
#define OA_MOCK_VALUE_H

#include <apr_pools.h>
#include <jansson.h>

#include "util/oa_diag.h"
#include "doc/oa_docset.h"

#define OA_MOCK_MAX_DEPTH 8    /* value nesting with optional parts */
#define OA_MOCK_MAX_EVAL 64    /* nested schema evaluations ($ref, allOf, properties...) */
#define OA_MOCK_MAX_ITEMS 64   /* array items generated at most (minItems beyond it is
                                  not honoured) */
#define OA_MOCK_MAX_NODES 4096 /* values generated per example; then required parts only */

/* Generates an example value from the schema `schema` found in the document with base
 * URI base (see above). Returns a new reference, or NULL with an error in diag when a
 * $ref is broken. */
json_t *oa_mock_example_from_schema(apr_pool_t *pool, oa_docset *docs, json_t *schema,
                                    const char *base, oa_diag *diag);

/* A small PRNG (splitmix64) for dynamic mocks: the same seed gives the same values on
 * every platform. Never rand(): it is shared by the whole process. */
typedef struct oa_mock_rng {
    apr_uint64_t state;
} oa_mock_rng;

void oa_mock_rng_seed(oa_mock_rng *rng, apr_uint64_t seed);
apr_uint64_t oa_mock_rng_next(oa_mock_rng *rng);
/* A value in [0, bound) (bound > 0). */
apr_uint64_t oa_mock_rng_below(oa_mock_rng *rng, apr_uint64_t bound);
/* seed with length bytes of text mixed in (FNV-1a): a seed per request. */
apr_uint64_t oa_mock_seed_mix(apr_uint64_t seed, const char *text, apr_size_t length);

/* Like oa_mock_example_from_schema, for Prism's dynamic mocks: `example` and `default`
 * are ignored, and where a schema allows several values one is drawn from rng (an enum
 * value, a number within its bounds and on its multipleOf, a string of random letters
 * within minLength / maxLength, a format's value with a random part (a random version 4
 * uuid), a boolean, 1 to 5 array items within minItems / maxItems). Strings from a
 * `pattern`, unique array items and discriminators are as without rng. */
json_t *oa_mock_dynamic_from_schema(apr_pool_t *pool, oa_docset *docs, json_t *schema,
                                    const char *base, oa_mock_rng *rng, oa_diag *diag);

#endif
