/* One self-contained document from a spec and the files its $refs reach, as served at
 * {base}/openapi.json: every reference to another file is replaced by the referenced
 * content where it is first met, and later references to the same target point there. */
#ifndef OA_SPEC_BUNDLE_H
#define OA_SPEC_BUNDLE_H

#include "spec/oa_spec.h"

/* A new document (the caller owns the reference; the spec is not changed). NULL with an
 * error in diag when a reference cannot be resolved (the loader has checked them all, so
 * only a spec changed behind its back gets there). */
json_t *oa_spec_bundle(oa_spec *spec, oa_diag *diag);

/* The same, with each container it had to copy mapped in origins (when not NULL; keys:
 * json_t * by value, values the spec's node it copies, both allocated in origins' pool),
 * so that a place in the bundle leads back to a file and line. */
json_t *oa_spec_bundle_traced(oa_spec *spec, apr_hash_t *origins, oa_diag *diag);

/* The fragment ("#/a/b%7Bc%7D") for a JSON pointer: characters a URI fragment may not
 * hold are percent-encoded (RFC 6901 section 6). */
const char *oa_pointer_fragment(apr_pool_t *pool, const char *pointer);

#endif
