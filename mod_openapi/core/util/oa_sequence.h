/* Sequential media types (OpenAPI 3.2 "Sequential Media Types"): a body that is a
 * sequence of items, read as the JSON array of its items, and written back from one.
 *
 *   JSON Lines: application/jsonl, application/x-ndjson: one JSON value a line (LF or
 *     CRLF); blank (white space only) lines are skipped, as NDJSON allows.
 *   JSON Text Sequences (RFC 7464): application/json-seq and any +json-seq type (RFC
 *     8091): each record starts with RS (0x1E); empty records are skipped (RFC 7464 2.1).
 *   Server-Sent Events: text/event-stream, parsed as the HTML standard says: an event is
 *     the object of its `event`, `data` (data lines joined with LF), `id` and `retry` (an
 *     integer; a value that is not all digits is ignored); comments and other fields are
 *     ignored; a block with none of the four fields is no event. A last event without its
 *     closing blank line is still an item (it is validated, not dropped).
 *
 * Items are numbered from 0 in the order sent; lines from 1. */
#ifndef OA_SEQUENCE_H
#define OA_SEQUENCE_H

#include <apr_pools.h>
#include <jansson.h>
#include <stddef.h>

/* Items one body may have; the body size limit bounds the bytes. */
#define OA_SEQUENCE_MAX_ITEMS 10000

typedef enum oa_sequence_kind {
    OA_SEQUENCE_NONE = 0,
    OA_SEQUENCE_JSON_LINES,
    OA_SEQUENCE_JSON_SEQ,
    OA_SEQUENCE_EVENT_STREAM
} oa_sequence_kind;

/* The kind of a media type (parameters ignored, case-insensitive); OA_SEQUENCE_NONE for
 * a type that is not sequential (or for multipart/mixed, which is not read this way). */
oa_sequence_kind oa_sequence_kind_of(const char *media_type);

/* Why a body cannot be read as items. */
typedef struct oa_sequence_error {
    size_t item;         /* the item that failed (the count, for too many items) */
    int line;            /* 1-based line of the body where it failed */
    const char *message; /* in pool */
} oa_sequence_error;

/* Reads a body of that kind into a new JSON array of its items (the caller decrefs), at
 * most OA_SEQUENCE_MAX_ITEMS. JSON items parse as JSON request bodies do (any value,
 * NUL allowed in strings, duplicate keys refused). NULL with *error set when the body
 * is malformed: the first bad item only. Linear in size. */
json_t *oa_sequence_parse(apr_pool_t *pool, oa_sequence_kind kind, const char *data,
                          size_t size, oa_sequence_error *error);

/* Writes items (a JSON array) in that kind's format: one compact JSON text a line, RS +
 * text + LF per record, or one event per item (an object's `event`, `id`, `retry` and
 * `data` fields; data split into lines; any other item is the data, as compact JSON).
 * Event and id values that contain a line break are left out. The text lives in pool. */
const char *oa_sequence_format(apr_pool_t *pool, oa_sequence_kind kind, const json_t *items);

#endif
