/* openapi-check --schema: the validator from the command line, for schema authors and
 * CI (see openapi_check_schema.h for the output and exit status). */
#include "openapi_check_schema.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

#include "doc/oa_parse.h"
#include "schema/oa_schema.h"

/* errors printed per document at most; the rest are counted */
#define CHECK_SCHEMA_MAX_ERRORS 20

typedef struct check_options {
    const char *schema_path;
    oa_dialect dialect;
    int dialect_given;  /* --dialect: for a schema without $schema */
    int assert_formats; /* --assert-formats */
    oa_validation_mode mode;
    apr_array_header_t *documents; /* of const char * */
} check_options;

static int usage(const char *problem)
{
    if (problem)
        fprintf(stderr, "openapi-check: %s\n", problem);
    fprintf(stderr, "usage: openapi-check --schema SCHEMA "
                    "[--dialect draft4|oas30|draft6|draft7|2019-09|2020-12|oas31] "
                    "[--assert-formats] [--mode request|response] DOC...\n");
    return 2;
}

/* Returns 0 when the command line is good, else the exit status (after the usage). */
static int parse_options(apr_pool_t *pool, int argc, char **argv, check_options *options)
{
    int i;
    options->schema_path = NULL;
    options->dialect = OA_DIALECT_OAS30;
    options->dialect_given = 0;
    options->assert_formats = 0;
    options->mode = OA_MODE_NONE;
    options->documents = apr_array_make(pool, 4, sizeof(const char *));
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(arg, "--assert-formats") == 0) {
            options->assert_formats = 1;
            continue;
        }
        if (strcmp(arg, "--schema") == 0 || strcmp(arg, "--dialect") == 0 ||
            strcmp(arg, "--mode") == 0) {
            if (!value)
                return usage(apr_psprintf(pool, "%s needs a value", arg));
            i++;
            if (strcmp(arg, "--schema") == 0) {
                if (options->schema_path)
                    return usage("--schema given twice");
                options->schema_path = value;
            }
            else if (strcmp(arg, "--dialect") == 0) {
                if (!oa_dialect_from_name(value, &options->dialect))
                    return usage(apr_psprintf(pool, "unknown dialect '%s'", value));
                options->dialect_given = 1;
            }
            else if (strcmp(value, "request") == 0) {
                options->mode = OA_MODE_REQUEST;
            }
            else if (strcmp(value, "response") == 0) {
                options->mode = OA_MODE_RESPONSE;
            }
            else {
                return usage(apr_psprintf(pool, "unknown mode '%s'", value));
            }
        }
        else if (strncmp(arg, "--", 2) == 0 && arg[2] != '\0') {
            return usage(apr_psprintf(pool, "unknown option '%s'", arg));
        }
        else {
            APR_ARRAY_PUSH(options->documents, const char *) = arg;
        }
    }
    if (!options->schema_path)
        return usage("--schema is missing");
    if (options->documents->nelts == 0)
        return usage("no document to check");
    return 0;
}

static void print_diag(apr_pool_t *pool, const oa_diag *diag)
{
    if (oa_diag_count(diag) > 0)
        printf("%s\n", oa_diag_join(pool, diag, "\n"));
}

/* Validates one document; returns its exit status (0, 1 or 2). */
static int check_document(apr_pool_t *parent, const oa_schema *schema,
                          const check_options *options, const char *path)
{
    apr_pool_t *pool;
    oa_diag *diag;
    json_t *document;
    apr_array_header_t *errors = NULL;
    long omitted = 0;
    int status = 0;
    int i;

    apr_pool_create(&pool, parent);
    diag = oa_diag_create(pool);
    document = oa_parse_file(pool, path, NULL, diag);
    if (!document) {
        print_diag(pool, diag);
        apr_pool_destroy(pool);
        return 2;
    }
    if (oa_schema_validate_counted(schema, document, options->mode, pool, &errors,
                                   CHECK_SCHEMA_MAX_ERRORS, &omitted)) {
        printf("%s: valid\n", path);
    }
    else {
        status = 1;
        for (i = 0; i < errors->nelts; i++) {
            const oa_schema_error *error = &APR_ARRAY_IDX(errors, i, oa_schema_error);
            printf("%s: %s: %s\n", path,
                   *error->instance_pointer ? error->instance_pointer : "(root)",
                   error->message);
        }
        if (omitted)
            printf("%s: ... and %ld more errors\n", path, omitted);
    }
    json_decref(document);
    apr_pool_destroy(pool);
    return status;
}

/* The schema's own $schema decides; --dialect (default oas30) is for schemas without
 * one. A custom metaschema is read by the validator (its $schema and $vocabulary). */
static oa_dialect schema_dialect(const json_t *root, const check_options *options)
{
    json_t *declared = json_object_get(root, "$schema");
    oa_dialect dialect;
    if (!json_is_string(declared))
        return options->dialect;
    if (oa_dialect_from_uri(json_string_value(declared), &dialect))
        return dialect;
    return options->dialect_given ? options->dialect : OA_DIALECT_DRAFT2020;
}

static int run(apr_pool_t *pool, const check_options *options)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_posmap *positions = NULL;
    json_t *root = oa_parse_file(pool, options->schema_path, &positions, diag);
    const char *uri;
    oa_docset *docs;
    oa_schema_registry *reg;
    oa_schema *schema;
    int status = 0;
    int i;

    if (!root) {
        print_diag(pool, diag);
        return 2;
    }
    /* relative $refs in the schema reach other files through the docset's loader */
    docs = oa_docset_create(pool, oa_parse_file_loader, NULL);
    uri = oa_uri_from_path(pool, options->schema_path);
    oa_docset_add(docs, uri, root, positions);
    reg = oa_schema_registry_create(pool, docs, schema_dialect(root, options));
    oa_schema_registry_assert_formats(reg, options->assert_formats);
    schema = oa_schema_compile(reg, root, uri, diag);
    if (!schema) {
        print_diag(pool, diag);
        return 2;
    }
    for (i = 0; i < options->documents->nelts; i++) {
        int document_status =
            check_document(pool, schema, options, APR_ARRAY_IDX(options->documents, i, const char *));
        if (document_status > status)
            status = document_status;
    }
    return status;
}

int oa_check_schema_main(int argc, char **argv)
{
    apr_pool_t *pool;
    check_options options;
    int status;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    status = parse_options(pool, argc, argv, &options);
    if (status == 0)
        status = run(pool, &options);
    fflush(stdout);
    apr_pool_destroy(pool);
    apr_terminate();
    return status;
}
