/* OpenAPI 3.2 `in: querystring` parameters: the raw query string is one value, read by the
 * one media type of the parameter's `content` (oa_querystring.c). Internal to the request
 * parser. */
#ifndef OA_QUERYSTRING_H
#define OA_QUERYSTRING_H

#include "request/oa_request_types.h"

struct oa_request_ctx;

/* The operation's querystring parameter, or NULL (the loader allows one at most). */
const oa_parameter *oa_querystring_parameter(const oa_operation *op);

/* Reads the whole query string (ctx->input->query, still percent-encoded) as param's value:
 *   application/x-www-form-urlencoded: fields split on '&', decoded ('+' is a space), cast
 *     by the schema's properties and content.<media>.encoding, as a form body's are;
 *   JSON types (application/json, any +json): percent-decoded, then parsed as JSON;
 *   anything else (text/plain, application/jsonpath, ...): percent-decoded, then cast as a
 *     plain parameter's text is (a string, or the schema's scalar type).
 * An absent or empty query string is an absent parameter (its default, or "'NAME' is a
 * required querystring parameter"). A malformed %XX escape, a NUL byte, text that is not
 * UTF-8 and invalid JSON are 400 errors; so are schema violations (in "querystring",
 * named after the parameter, the pointer inside the value). The value goes to
 * result->params under the parameter's handler name. */
void oa_querystring_parse(struct oa_request_ctx *ctx, const oa_parameter *param);

#endif
