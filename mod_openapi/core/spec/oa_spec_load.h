/* Loading a spec file into the model (oa_spec.h) with its router and security. */
#ifndef OA_SPEC_LOAD_H
#define OA_SPEC_LOAD_H

#include "doc/oa_template.h"
#include "spec/oa_spec.h"

/* Loads a spec file (YAML or JSON) with every file its $refs reach; each relative $ref
 * resolves against the document it is written in. Returns NULL and fills diag (each
 * error once, with file, line and column; a $ref that cannot be followed is named at its
 * own position) when anything is wrong. All memory lives in pool (jansson trees are
 * released by a cleanup on it). oa_spec_prepare makes the result ready to serve. */
oa_spec *oa_spec_load(apr_pool_t *pool, const char *path, oa_diag *diag);

/* The same for a spec whose documents come from a docset the caller made (held in memory,
 * or fetched by its own loader): the root is the document at uri; name is what errors
 * call it. The spec takes the docset. */
oa_spec *oa_spec_load_docset(apr_pool_t *pool, const char *name, const char *uri,
                             oa_docset *docs, oa_diag *diag);

/* The same with spec arguments (doc/oa_template.h): placeholders in every file filled
 * from args->values; args NULL or without values: a placeholder is an error; with
 * args->defer the load stops at the first placeholder (NULL, args->found set). */
oa_spec *oa_spec_load_filled(apr_pool_t *pool, const char *path,
                             oa_template_args *args, oa_diag *diag);

#endif
