/* The OpenAPI Initiative's schemas of OpenAPI 2.0, 3.0, 3.1 and 3.2 documents, built into
 * the core so that every spec is checked against its version's schema without a network.
 * Generated from core/spec/schemas/ by build/gen-openapi-schemas.py. */
#ifndef OA_SPEC_SCHEMAS_H
#define OA_SPEC_SCHEMAS_H

typedef struct oa_official_schema {
    const char *uri;  /* $id (draft 4: id) without an empty fragment */
    const char *json; /* the document */
} oa_official_schema;

/* The built-in schemas, ended by a {NULL, NULL} entry. */
const oa_official_schema *oa_official_schemas(void);

#endif
