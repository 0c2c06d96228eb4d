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
    int i;
    if (spec && compile &&
        !oa_spec_compile(spec, oa_schema_registry_create(pool, spec->docs, OA_DIALECT_OAS30),
                         diag))
        spec = NULL;
    for (i = 0; i < diag->entries->nelts; i++)
        fprintf(stderr, "%s\n",
                oa_diag_format(pool, &APR_ARRAY_IDX(diag->entries, i, oa_diag_entry)));
    return spec;
}
