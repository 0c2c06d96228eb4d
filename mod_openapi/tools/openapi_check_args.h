/* `--arg NAME=VALUE` of openapi-check: spec arguments, as OpenAPIArgument gives them. */
#ifndef CHECK_ARGS_H
#define CHECK_ARGS_H

#include <apr_hash.h>

/* Adds NAME=VALUE to args (name -> value); 0 with a message on stderr when it is not
 * that. */
int oa_check_add_arg(apr_hash_t *args, const char *text);

#endif
