/* Compiling a loaded spec's schemas: the second and last step of making a spec ready to
 * serve, shared by the module's configuration and openapi-check so that both judge a spec
 * alike. */
#ifndef OA_SPEC_COMPILE_H
#define OA_SPEC_COMPILE_H

#include "schema/oa_schema.h"
#include "spec/oa_spec.h"

/* Compiles every schema of the spec (parameters, request bodies, responses and their
 * headers) with the registry, filling the `compiled` and `shape` fields of the model.
 * Returns 1, or 0 with errors (file:line:column, each once) in diag. */
int oa_spec_compile(oa_spec *spec, oa_schema_registry *registry, oa_diag *diag);

/* Registers custom formats (a plugin's) in the registry before schemas compile. */
typedef void (*oa_spec_formats_fn)(void *baton, oa_schema_registry *registry);

/* What the module and openapi-check both run after oa_spec_load: an OpenAPI 3.0-dialect
 * registry over the spec's documents, the formats add_formats registers (may be NULL),
 * oa_spec_compile, and then the document set frozen (no more loading; request-time
 * resolving only reads). Returns 1, or 0 with errors in diag. */
int oa_spec_prepare(oa_spec *spec, oa_spec_formats_fn add_formats, void *baton,
                    oa_diag *diag);

#endif
