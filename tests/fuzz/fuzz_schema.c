/* libFuzzer target for the schema compiler and validator. An input is either
 * "SCHEMA\0INSTANCE" (two JSON texts split at the first NUL byte) or one JSON array
 * [schema, instance]. The schema is compiled in each dialect of fuzz_dialects and the instance validated
 * in every mode, with and without error collection; the answers must agree and an
 * invalid instance must come with at least one error. Built and run by run.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_apr.h"
#include "schema/oa_schema.h"

/* fuzz_schema2020.c includes this file with OA_FUZZ_2020 defined: the same harness over
 * the 2019-09 / 2020-12 / OpenAPI 3.1 dialects (formats asserted in the last). */
#ifdef OA_FUZZ_2020
static const oa_dialect fuzz_dialects[] = {OA_DIALECT_DRAFT2019, OA_DIALECT_DRAFT2020,
                                           OA_DIALECT_OAS31};
#else
static const oa_dialect fuzz_dialects[] = {OA_DIALECT_DRAFT4, OA_DIALECT_OAS30};
#endif

static void check_one(apr_pool_t *pool, json_t *schema_doc, json_t *instance,
                      oa_dialect dialect)
{
    oa_docset *docs = oa_docset_create(pool, NULL, NULL);
    oa_schema_registry *reg = oa_schema_registry_create(pool, docs, dialect);
    oa_diag *diag = oa_diag_create(pool);
    oa_schema *schema;
    int mode;

    oa_schema_registry_assert_formats(reg, dialect == OA_DIALECT_OAS31);
    oa_docset_add(docs, "mem:///fuzz.json", json_incref(schema_doc), NULL);
    schema = oa_schema_compile(reg, schema_doc, "mem:///fuzz.json", diag);
    if (!schema) {
        if (oa_diag_count(diag) == 0)
            abort(); /* a refused schema must say why */
        return;
    }
    (void)oa_schema_default(schema);
    (void)oa_schema_type_name(schema);
    for (mode = OA_MODE_NONE; mode <= OA_MODE_RESPONSE; mode++) {
        apr_array_header_t *errors = NULL;
        int valid = oa_schema_validate(schema, instance, (oa_validation_mode)mode, pool,
                                       &errors, 0);
        int quick = oa_schema_validate(schema, instance, (oa_validation_mode)mode, pool, NULL,
                                       0);
        apr_array_header_t *capped = NULL;
        int capped_valid = oa_schema_validate(schema, instance, (oa_validation_mode)mode,
                                              pool, &capped, 1);
        if (valid != quick || valid != capped_valid)
            abort();
        if (!valid && errors->nelts == 0)
            abort();
        if (valid && errors->nelts != 0)
            abort();
        if (capped->nelts > 1)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    json_t *schema_doc = NULL;
    json_t *instance = NULL;
    json_error_t error;
    apr_pool_t *pool;

    if (nul) {
        schema_doc = json_loadb(text, (size_t)(nul - text), JSON_DECODE_ANY, &error);
        instance = json_loadb(nul + 1, size - (size_t)(nul - text) - 1,
                              JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
    }
    else {
        json_t *pair = json_loadb(text, size, JSON_ALLOW_NUL, &error);
        if (json_is_array(pair) && json_array_size(pair) == 2) {
            schema_doc = json_incref(json_array_get(pair, 0));
            instance = json_incref(json_array_get(pair, 1));
        }
        json_decref(pair);
    }
    if (schema_doc && instance) {
        size_t i;
        apr_pool_create(&pool, NULL);
        for (i = 0; i < sizeof(fuzz_dialects) / sizeof(fuzz_dialects[0]); i++) {
            check_one(pool, schema_doc, instance, fuzz_dialects[i]);
            apr_pool_clear(pool);
        }
        apr_pool_destroy(pool);
    }
    json_decref(schema_doc);
    json_decref(instance);
    return 0;
}
