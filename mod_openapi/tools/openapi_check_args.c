/* openapi-check --arg (openapi_check_args.h). */
#include "openapi_check_args.h"

#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

int oa_check_add_arg(apr_hash_t *args, const char *text)
{
    const char *equals = text ? strchr(text, '=') : NULL;
    if (!equals || equals == text) {
        fprintf(stderr, "openapi-check: --arg NAME=VALUE expected, not '%s'\n",
                text ? text : "");
        return 0;
    }
    apr_hash_set(args, apr_pstrmemdup(apr_hash_pool_get(args), text,
                                      (apr_size_t)(equals - text)),
                 APR_HASH_KEY_STRING, equals + 1);
    return 1;
}
