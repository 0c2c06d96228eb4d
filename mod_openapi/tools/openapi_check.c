/* openapi-check: loads specs exactly as mod_openapi does (oa_spec_load, then
 * oa_spec_prepare: the steps of `apachectl -t`), for operators' CI before a reload. `openapi-check SPEC...` prints "OK FILE: N operations" or each error as
 * "FILE:LINE:COL: message"; exit 0 when all load, 1 when any does not.
 * `openapi-check --schema ...` validates documents against a JSON Schema instead;
 * `openapi-check --resolve PLUGIN.so... SPEC...` lists the function each operation calls.
 * `--help` prints the man page's text (docs/man/openapi-check.1, made into a header by
 * build/man2help.sh), so the two never differ. */
#include <apr_general.h>
#include <stdio.h>
#include <string.h>

#include "openapi_check_args.h"
#include "openapi_check_help.h"
#include "openapi_check_resolve.h"
#include "openapi_check_schema.h"
#include "spec/oa_spec_compile.h"
#include "spec/oa_spec_load.h"

static int usage(void)
{
    fprintf(stderr,
            "usage: openapi-check [--arg NAME=VALUE]... SPEC...\n"
            "       openapi-check --resolve [NAME=]PLUGIN.so... SPEC...\n"
            "       openapi-check --schema SCHEMA [--dialect draft4|oas30] "
            "[--mode request|response] DOC...\n"
            "       openapi-check --help\n");
    return 2;
}

static int check_specs(int count, char **files)
{
    int failed = 0;
    int i;
    apr_pool_t *args_pool;
    oa_template_args args = {NULL, 0, 0, 0};
    apr_pool_create(&args_pool, NULL);
    args.values = apr_hash_make(args_pool);
    for (i = 0; i < count; i++)
        if (strcmp(files[i], "--arg") == 0 && !oa_check_add_arg(args.values, files[++i])) {
            apr_pool_destroy(args_pool);
            return 2;
        }
    for (i = 0; i < count; i++) {
        apr_pool_t *pool;
        oa_diag *diag;
        oa_spec *spec;
        if (strcmp(files[i], "--arg") == 0) {
            i++;
            continue;
        }
        apr_pool_create(&pool, NULL);
        diag = oa_diag_create(pool);
        spec = oa_spec_load_filled(pool, files[i], &args, diag);
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
    apr_pool_destroy(args_pool);
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
    for (i = 1; i < argc; i++)
        if (strcmp(argv[i], "--resolve") == 0)
            return oa_check_resolve_main(argc, argv);
    apr_initialize();
    for (i = 1; i < argc && strcmp(argv[i], "--schema") != 0; i++)
        ;
    status = i < argc ? oa_check_schema_main(argc, argv) : check_specs(argc - 1, argv + 1);
    apr_terminate();
    return status;
}
