/* Validator benchmark: validating an ~11 KB order document (100 line items, patterns,
 * formats, enums, a discriminator) against its OpenAPI 3.0 schema, next to jansson
 * parsing the same text with json_loads. The goal is that validating costs less than
 * parsing. A spec whose `openapi` is 3.1 (order.openapi31.json, the same schema in JSON
 * Schema 2020-12) is compiled in the OpenAPI 3.1 dialect, formats asserted as in 3.0.
 *
 *   bench_validate [--seconds S] [--only validate|parse --iterations N] [SCHEMA DOC]
 *
 * Without --only: runs each loop for at most S seconds (default 2) and prints operations
 * per second. With --only: runs exactly N operations of one kind (for callgrind, whose
 * instruction count divided by N gives instructions per operation). */
#include <apr_general.h>
#include <apr_strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "schema/oa_schema.h"

#define DEFAULT_SCHEMA "bench/validator/order.openapi.json"
#define DEFAULT_DOC "bench/validator/order.json"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One request's worth of validation: a per-request pool, errors collected (capped). */
__attribute__((noinline)) static int validate_once(const oa_schema *schema, const json_t *doc,
                                                   apr_pool_t *pool)
{
    apr_array_header_t *errors = NULL;
    int valid = oa_schema_validate(schema, doc, OA_MODE_REQUEST, pool, &errors, 10);
    apr_pool_clear(pool);
    return valid;
}

__attribute__((noinline)) static int parse_once(const char *text, size_t length)
{
    json_error_t error;
    json_t *doc = json_loadb(text, length, 0, &error);
    int ok = doc != NULL;
    json_decref(doc);
    return ok;
}

__attribute__((noinline)) static long run_validations(const oa_schema *schema,
                                                      const json_t *doc, apr_pool_t *pool,
                                                      long iterations, double seconds)
{
    long done = 0;
    double start = now();
    while (done < iterations) {
        if (!validate_once(schema, doc, pool)) {
            fprintf(stderr, "the benchmark document is not valid\n");
            exit(1);
        }
        done++;
        if ((done & 63) == 0 && seconds > 0 && now() - start > seconds)
            break;
    }
    return done;
}

__attribute__((noinline)) static long run_parses(const char *text, size_t length,
                                                 long iterations, double seconds)
{
    long done = 0;
    double start = now();
    while (done < iterations) {
        if (!parse_once(text, length)) {
            fprintf(stderr, "the benchmark document does not parse\n");
            exit(1);
        }
        done++;
        if ((done & 63) == 0 && seconds > 0 && now() - start > seconds)
            break;
    }
    return done;
}

static char *read_text(apr_pool_t *pool, const char *path, size_t *length)
{
    FILE *file = fopen(path, "rb");
    char *text;
    long size;
    if (!file) {
        perror(path);
        exit(2);
    }
    fseek(file, 0, SEEK_END);
    size = ftell(file);
    fseek(file, 0, SEEK_SET);
    text = apr_palloc(pool, (size_t)size + 1);
    *length = fread(text, 1, (size_t)size, file);
    text[*length] = '\0';
    fclose(file);
    return text;
}

int main(int argc, char **argv)
{
    apr_pool_t *pool, *request_pool;
    const char *schema_path = DEFAULT_SCHEMA;
    const char *doc_path = DEFAULT_DOC;
    const char *only = NULL;
    double seconds = 2;
    long iterations = 0;
    int positional = 0;
    int i;
    json_error_t error;
    json_t *spec, *doc;
    char *text;
    size_t length;
    oa_docset *docs;
    oa_schema_registry *reg;
    oa_diag *diag;
    oa_schema *schema;
    const char *version;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--iterations") == 0 && i + 1 < argc)
            iterations = atol(argv[++i]);
        else if (positional == 0 && ++positional)
            schema_path = argv[i];
        else
            doc_path = argv[i];
    }
    apr_initialize();
    apr_pool_create(&pool, NULL);
    apr_pool_create(&request_pool, pool);

    spec = json_load_file(schema_path, 0, &error);
    if (!spec) {
        fprintf(stderr, "%s:%d: %s\n", schema_path, error.line, error.text);
        return 2;
    }
    docs = oa_docset_create(pool, NULL, NULL);
    oa_docset_add(docs, "file:///bench/order.openapi.json", spec, NULL);
    version = json_string_value(json_object_get(spec, "openapi"));
    reg = oa_schema_registry_create(pool, docs,
                                    version && strncmp(version, "3.1", 3) == 0
                                        ? OA_DIALECT_OAS31 : OA_DIALECT_OAS30);
    oa_schema_registry_assert_formats(reg, 1);
    diag = oa_diag_create(pool);
    schema = oa_schema_compile(reg, json_object_get(json_object_get(json_object_get(spec,
                                   "components"), "schemas"), "Order"),
                               "file:///bench/order.openapi.json", diag);
    if (!schema) {
        fprintf(stderr, "%s\n", oa_diag_join(pool, diag, "\n"));
        return 2;
    }
    text = read_text(pool, doc_path, &length);
    doc = json_loadb(text, length, 0, &error);
    if (!doc) {
        fprintf(stderr, "%s:%d: %s\n", doc_path, error.line, error.text);
        return 2;
    }

    if (only) {
        long done = strcmp(only, "parse") == 0 ? run_parses(text, length, iterations, 0)
                                              : run_validations(schema, doc, request_pool,
                                                                iterations, 0);
        printf("%s: %ld operations\n", only, done);
    }
    else {
        double start = now();
        long validations = run_validations(schema, doc, request_pool, 100000000L, seconds);
        double validate_time = now() - start;
        long parses;
        double parse_time;
        start = now();
        parses = run_parses(text, length, 100000000L, seconds);
        parse_time = now() - start;
        printf("document: %s (%lu bytes)\n", doc_path, (unsigned long)length);
        printf("validate: %.0f validations/s (%.2f us each)\n", validations / validate_time,
               validate_time / validations * 1e6);
        printf("parse:    %.0f json_loads/s (%.2f us each)\n", parses / parse_time,
               parse_time / parses * 1e6);
        printf("validate/parse time ratio: %.2f\n",
               (validate_time / validations) / (parse_time / parses));
    }
    json_decref(doc);
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}
