/* Loading the security parts of a spec: OpenAPI 2.0 securityDefinitions and 3.0
 * components.securitySchemes become oa_security_scheme; `security` lists (top level and
 * per operation) become oa_security_requirement; token endpoints are marked. Called by
 * oa_spec_load; errors go to diag with the file, line and column of the node. */
#ifndef OA_SECURITY_SPEC_H
#define OA_SECURITY_SPEC_H

#include "spec/oa_spec.h"

/* Fills spec->security_schemes and spec->security (the top-level requirements). Needs
 * spec->root, spec->major and spec->docs. */
void oa_security_load_spec(oa_spec *spec, oa_diag *diag);

/* Sets op->security (the operation's own list, else the spec's), security_optional,
 * security_open, and token_endpoint when the operation carries
 * `x-oauth2-token-endpoint: true`. Needs oa_security_load_spec done first. */
void oa_security_load_operation(oa_spec *spec, oa_operation *op, oa_diag *diag);

/* Marks as token endpoints the POST operations whose URL path (spec->base_path plus the
 * template) is the path of an oauth2 flow's tokenUrl or refreshUrl. */
void oa_security_mark_token_endpoints(oa_spec *spec);

/* The path part of a flow URL as a request would carry it: an absolute URL's path, an
 * absolute path as is, a relative reference appended to base_path; query and fragment
 * dropped, trailing slashes removed ("/" stays). */
const char *oa_security_url_path(apr_pool_t *pool, const char *base_path, const char *url);

#endif
