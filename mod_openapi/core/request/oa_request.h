/* Request parsing and validation (core, no httpd types): every declared parameter is read
 * from its location, deserialized by its style, cast to its schema's types, defaulted and
 * validated; the body is parsed by its media type and validated. The httpd glue hands in
 * what it read from request_rec and turns the result into the handler's view or a 4xx. */
#ifndef OA_REQUEST_H
#define OA_REQUEST_H

#include "request/oa_request_types.h"

/* Parses and validates one request for an operation. Never fails for lack of memory
 * other than through APR's abort; all allocation is in pool. Returns result->status.
 *
 * Parameters: an absent one gets its schema's default (not validated), or the error
 * "'NAME' is a required LOCATION parameter" when required. Text is cast to the schema's
 * types ($refs followed; no single type, e.g. oneOf: kept as strings); text that does not
 * cast stays a string, so the validator says "'abc' is not of type 'integer'". Nullable
 * parameters read "null" and "None" as null. An empty query value is an error unless
 * allowEmptyValue; when allowed it is "" for strings, [] / {} for arrays / objects, and
 * "not given" (default applies) for numbers and booleans. `content` parameters are JSON
 * documents when their media type is JSON; a 3.2 `querystring` parameter is the whole
 * query string read by its media type (oa_querystring.h). Header parameters named Accept,
 * Content-Type and Authorization are ignored (OpenAPI 3). Strict mode: query keys no parameter took
 * are "unknown query parameter 'x'", form fields outside the schema's properties
 * "unknown form field 'x'".
 *
 * Body: none declared -> a body sent anyway is ignored. None sent (NULL or empty) while
 * required -> "request body is required". No declared media type matches -> 415 with the
 * error at in "header", name "Content-Type", listing the accepted types. JSON types
 * (application/json, any +json) are parsed ("invalid JSON at line L, column C: ..."),
 * form-urlencoded and multipart/form-data become an object of fields (files go to
 * uploads and stand in the object by their filename, or the field name without one),
 * text/plain becomes a string; anything else is accepted unparsed (result->body NULL,
 * result->media set). Parsed bodies are validated in request mode (readOnly refused). */
int oa_request_parse(apr_pool_t *pool, const oa_spec *spec, const oa_operation *op,
                     const oa_request_input *input, const oa_request_options *options,
                     oa_request_result *result);

/* The parser that `parser` means for a spec: OA_URI_PARSER_DEFAULT becomes SWAGGER2 for a
 * 2.0 spec and OPENAPI otherwise; any other value is returned as is. */
oa_uri_parser oa_request_uri_parser(const oa_spec *spec, oa_uri_parser parser);

#endif
