/* Internals shared by the spec loader's files (oa_spec_load.c assembles the model,
 * oa_spec_operation.c normalizes one operation). Not for other stages. */
#ifndef OA_SPEC_LOADER_H
#define OA_SPEC_LOADER_H

#include <apr_hash.h>

#include "spec/oa_spec.h"

typedef struct oa_loader {
    oa_spec *spec;
    oa_diag *diag;
    apr_hash_t *operation_ids; /* operationId -> its json_t string node */
    apr_pool_t *scratch;       /* what the load alone needs: destroyed when it ends */
} oa_loader;

/* An error at the position of node. */
#define oa_load_error(ld, node, ...) \
    oa_spec_error_at((ld)->spec, (ld)->diag, (node), __VA_ARGS__)

/* Follows $refs from node (in the document with base URI base); a broken one is an error
 * at the position of the $ref. */
json_t *oa_load_follow(oa_loader *ld, json_t *node, const char *base,
                              const char **target_base);

/* Normalizes the operation written under method_key in a path item (node may be a $ref
 * to the operation: its parameters, body and responses then resolve against the file it
 * is in) and appends it to spec->operations. NULL when it is not usable. */
oa_operation *oa_load_operation(oa_loader *ld, const char *path,
                                           json_t *path_item, const char *item_base,
                                           const char *method_key, json_t *node);

/* Every {name} in the template needs a path parameter, and every path parameter a
 * {name}. Returns the names of `format: path` parameters (they span segments), in the
 * load's scratch pool. */
apr_array_header_t *oa_load_check_path_parameters(oa_loader *ld,
                                                         oa_operation *op);

#endif
