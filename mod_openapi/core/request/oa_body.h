/* Request bodies by media type: JSON (application/json, any +json), form-urlencoded,
 * multipart/form-data, text/plain; other types are accepted unparsed. */
#ifndef OA_BODY_H
#define OA_BODY_H

#include "request/oa_request.h"

struct oa_request_ctx;

/* Selects the declared media type, parses the body and validates it; fills
 * result->body, result->media and result->uploads, or records errors (400, 415). */
void oa_body_parse(struct oa_request_ctx *ctx);

/* The declared media type that a Content-Type value selects (exact beats type/'*' beats
 * '*'/'*'; parameters such as charset ignored), or NULL. */
const oa_media_type *oa_request_select_media(const oa_operation *op, const char *content_type);

/* The same choice among any list of declared media types (of oa_media_type *). */
const oa_media_type *oa_media_select(const apr_array_header_t *declared_media,
                                     const char *content_type);

#endif
