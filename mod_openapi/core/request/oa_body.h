/* Request bodies by media type: JSON (application/json, any +json), form-urlencoded,
 * multipart/form-data, text/plain; other types are accepted unparsed. */
#ifndef OA_BODY_H
#define OA_BODY_H

#include "request/oa_request_internal.h"

/* Selects the declared media type, parses the body and validates it; fills
 * result->body, result->media and result->uploads, or records errors (400, 415). */
void oa_body_parse(oa_request_ctx *ctx);

/* 1 for application/json and any type whose subtype ends in +json (parameters after
 * ';' ignored). */
int oa_body_is_json_type(const char *type);

#endif
