/* The structural check of a spec: its root document validated against the OpenAPI
 * Initiative's schema of its version (2.0, 3.0, 3.1, 3.2; built in, see
 * oa_spec_schemas.h) with the project's own validator. Each violation becomes an error at
 * the offending node, in words ("schema type 'strnig' is not one of array, boolean, ...");
 * a failed oneOf/anyOf is explained by the branch the node was meant to match. */
#ifndef OA_SPEC_STRUCTURE_H
#define OA_SPEC_STRUCTURE_H

#include "spec/oa_spec.h"

/* At most this many structural errors are listed; a last line counts the rest. */
#define OA_STRUCTURE_MAX_ERRORS 50

/* Checks spec->root against the official schema of spec->version. Returns the number of
 * errors added to diag (0: the structure is valid, or no schema applies to the version). */
int oa_spec_check_structure(const oa_spec *spec, oa_diag *diag);

/* The same check for the documents the root's $refs reach (a spec in several files): the
 * bundled spec is validated and the errors located in those documents are reported (the
 * root's own were reported by oa_spec_check_structure). Call once every $ref resolves. */
int oa_spec_check_referenced_structure(oa_spec *spec, oa_diag *diag);

#endif
