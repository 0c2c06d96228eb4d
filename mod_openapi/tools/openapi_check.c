/* openapi-check: loads specs exactly as mod_openapi does (oa_spec_load, then
 * oa_spec_prepare: the steps of `apachectl -t`), for operators' CI before a reload. `openapi-check SPEC...` prints "OK FILE: N operations" or each error as
 * "FILE:LINE:COL: message"; exit 0 when all load, 1 when any does not.
 * `openapi-check --schema ...` validates documents against a JSON Schema instead.
 * `--help` prints the man page's text (docs/man/openapi-check.1, made into a header by
 * build/man2help.sh), so the two never differ. */
#include <apr_general.h>
#include <stdio.h>
#include <string.h>

#include "openapi_check_help.h"
#include "openapi_check_schema.h"
#include "spec/oa_spec_compile.h"
#include "spec/oa_spec_load.h"

static int usage(void)
{
    fprintf(stderr,
            "usage: openapi-check SPEC...\n"
            "       openapi-check --schema SCHEMA [--dialect draft4|oas30] "
            "[--mode request|response] DOC...\n"
            "       openapi-check --help\n");
    return 2;
}

static int check_specs(int count, char **files)
{
    int failed = 0;
    int i;
    for (i = 0; i < count; i++) {
        apr_pool_t *pool;
        oa_diag *diag;
        oa_spec *spec;
        apr_pool_create(&pool, NULL);
        diag = oa_diag_create(pool);
        spec = oa_spec_load(pool, files[i], diag);
        if (spec && !oa_spec_prepare(spec, NULL, NULL, diag))
            spec = NULL;
        if (spec) {
            printf("OK %s: %d operations\n", files[i], spec->operations->nelts);
        }
        else {
            failed = 1;
            if (oa_diag_count(diag) > 0)
                printf("%s\n", oa_diag_join(pool, diag, "\n"));
        }
        apr_pool_destroy(pool);
    }
    return failed;
}

int main(int argc, char **argv)
{
    int status;
    int i;
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(OPENAPI_CHECK_HELP, stdout);
        return 0;
    }
    if (argc < 2)
        return usage();
    apr_initialize();
    for (i = 1; i < argc && strcmp(argv[i], "--schema") != 0; i++)
        ;
    status = i < argc ? oa_check_schema_main(argc, argv) : check_specs(argc - 1, argv + 1);
    apr_terminate();
    return status;
}
