#include "unit_spec.h"

#include <apr_strings.h>
#include <stdio.h>

#include "request/oa_request.h"
#include "schema/oa_schema.h"
#include "spec/oa_spec_compile.h"
#include "spec/oa_spec_load.h"
#include "unit.h"

oa_spec *unit_load_spec(apr_pool_t *pool, const char *relative_path, int compile)
{
    const char *path = apr_pstrcat(pool, unit_srcdir(), "/", relative_path, NULL);
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(pool, path, diag);
    if (spec && compile &&
        !oa_spec_compile(spec, oa_schema_registry_create(pool, spec->docs, OA_DIALECT_OAS30),
                         diag))
        spec = NULL;
    unit_print_diag(pool, diag);
    return spec;
}

void unit_print_diag(apr_pool_t *pool, const oa_diag *diag)
{
    if (oa_diag_count(diag) > 0)
        fprintf(stderr, "%s\n", oa_diag_join(pool, diag, "\n"));
}
