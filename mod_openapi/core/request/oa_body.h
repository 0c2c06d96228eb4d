/* Request bodies by media type: JSON (application/json, any +json), form-urlencoded,
 * multipart/form-data, text/plain, sequential types (JSON Lines, JSON Text Sequences,
 * text/event-stream: the array of their items, util/oa_sequence.h); other types are
 * accepted unparsed. */
#ifndef OA_BODY_H
#define OA_BODY_H

#include "request/oa_request_types.h"

struct oa_request_ctx;

/* Selects the declared media type, parses the body and validates it; fills
 * result->body, result->media and result->uploads, or records errors (400, 415). */
void oa_body_parse(struct oa_request_ctx *ctx);

/* Parses JSON text (any value; NUL escapes allowed, duplicate keys refused); NULL after
 * recording "invalid JSON at line L, column C: ..." at (in, name, pointer). */
json_t *oa_body_parse_json(struct oa_request_ctx *ctx, const char *data, size_t size,
                           const char *in, const char *name, const char *pointer);

/* Form fields (decoded name=value pairs) into a new object by the media type's encoding
 * and shape: what form bodies and form-encoded querystring parameters become. Errors are
 * recorded in `in` at the field's pointer, named owner (NULL: the field's name). */
json_t *oa_body_form_fields(struct oa_request_ctx *ctx, const oa_media_type *media,
                            apr_array_header_t *pairs, const char *in, const char *owner);

/* The declared request media type that a Content-Type value selects, or NULL (the
 * rule: oa_media_type_select). */
const oa_media_type *oa_request_select_media(const oa_operation *op, const char *content_type);

#endif
