/* Unit-test helpers: loading (and compiling) a fixture spec, printing what is wrong. */
#ifndef UNIT_SPEC_H
#define UNIT_SPEC_H

#include "spec/oa_spec.h"

/* Loads a spec at a path relative to the source tree; with compile, also compiles its
 * schemas (OAS 3.0 dialect). Prints every diagnostic; NULL when it did not load. */
oa_spec *unit_load_spec(apr_pool_t *pool, const char *relative_path, int compile);

/* Prints every diagnostic of diag on stderr, one a line (nothing when there is none). */
void unit_print_diag(apr_pool_t *pool, const oa_diag *diag);

#endif
