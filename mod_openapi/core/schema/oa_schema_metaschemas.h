/* The official metaschemas built into the core (draft 4, 6, 7, 2019-09 and 2020-12 with
 * their vocabularies, the OpenAPI 3.1 dialect and vocabulary), so that $ref and $schema
 * to their URIs work without a network. Generated: build/gen-metaschemas.py. */
#ifndef OA_SCHEMA_METASCHEMAS_H
#define OA_SCHEMA_METASCHEMAS_H

typedef struct oa_metaschema {
    const char *uri;  /* $id without its empty fragment */
    const char *json; /* the document */
} oa_metaschema;

/* The built-in metaschemas, ended by a {NULL, NULL} entry. */
const oa_metaschema *oa_metaschemas(void);

#endif
