/* Runs the JSON-Schema-Test-Suite against the validator: draft 4 from Debian's package
 * (json-schema-test-suite; $OA_SCHEMA_SUITE_DIR, default /usr/share/json-schema-test-suite),
 * draft 6, 7, 2019-09 and 2020-12 from the copy vendored in
 * tests/fixtures/json-schema-test-suite (Debian's has no 2019-09 or 2020-12). Every
 * required test, and the optional ones (format tests with formats asserted). Remote
 * references (http://localhost:1234/...) are served from the suite's remotes/ directory,
 * metaschemas are built into the validator: nothing touches the network. One line per
 * draft gives its counts. With -v every failing test is described; otherwise only the
 * first few. */
#include "doc/oa_parse.h"
#include "schema/oa_schema.h"
#include "unit.h"

#include <apr_general.h>
#include <apr_strings.h>
#include <dirent.h>
#include <stdlib.h>

#define REMOTE_PREFIX "http://localhost:1234/"
#define METASCHEMA_URI "http://json-schema.org/draft-04/schema"

typedef struct suite_env {
    const char *remotes_dir;
    const char *metaschema_path;
    oa_dialect dialect;
    int assert_formats;
} suite_env;

/* Loader: localhost:1234 from remotes/, the draft 4 metaschema from the fixture. */
static json_t *load_remote(void *baton, oa_docset *set, const char *uri, oa_posmap **positions,
                           oa_diag *diag)
{
    const suite_env *env = baton;
    apr_pool_t *pool = oa_docset_pool(set);
    if (strncmp(uri, REMOTE_PREFIX, strlen(REMOTE_PREFIX)) == 0)
        return oa_parse_file(pool, apr_pstrcat(pool, env->remotes_dir, "/",
                                               uri + strlen(REMOTE_PREFIX), NULL),
                             positions, diag);
    if (strcmp(uri, METASCHEMA_URI) == 0)
        return oa_parse_file(pool, env->metaschema_path, positions, diag);
    oa_diag_add(diag, NULL, 0, 0, "the suite runner does not fetch '%s'", uri);
    return NULL;
}

static int verbose;
static int reported;
static int skipped;

/* Optional tests the validator does not pass, each with the reason (also listed in
 * README.md, "JSON Schema validator"). group NULL: the whole file. */
static const struct {
    const char *file;
    const char *group;
    const char *reason;
} skips[] = {
    {"idn-hostname.json", NULL,
     "format idn-hostname is not implemented (IDNA2008 needs the Unicode tables of RFC 5892)"},
    {"idn-email.json", NULL, "format idn-email is not implemented (its domain is an idn-hostname)"},
    {"hostname.json", "validation of A-label (punycode) host names",
     "A-labels are checked as LDH labels: Punycode decoding and the IDNA2008 rules are not "
     "implemented"},
    {"ecmascript-regex.json", "ECMA 262 lookbehind is valid, including variable width",
     "PCRE2 10.42 (Debian 12) has no variable-length lookbehind"},
};

static const char *skip_reason(const char *file, const char *group)
{
    size_t i;
    for (i = 0; i < sizeof(skips) / sizeof(skips[0]); i++)
        if (strcmp(skips[i].file, file) == 0 &&
            (!skips[i].group || (group && strcmp(skips[i].group, group) == 0)))
            return skips[i].reason;
    return NULL;
}

static void report_failure(const char *file, const char *group, const char *test,
                           const char *why)
{
    if (!verbose && reported >= 20)
        return;
    reported++;
    fprintf(stderr, "FAIL %s: %s: %s: %s\n", file, group, test, why);
}

/* Runs one test file; returns the number of tests run. */
static int run_file(apr_pool_t *parent, const suite_env *env, const char *dir, const char *name)
{
    apr_pool_t *pool;
    json_error_t error;
    const char *path = apr_pstrcat(parent, dir, "/", name, NULL);
    json_t *groups = json_load_file(path, JSON_ALLOW_NUL, &error);
    size_t g;
    json_t *group;
    int ran = 0;

    if (!groups) {
        /* bignum.json: integers beyond 64 bits; jansson reads them only as reals */
        groups = json_load_file(path, JSON_DECODE_INT_AS_REAL | JSON_ALLOW_NUL, &error);
    }
    if (!groups) {
        fprintf(stderr, "%s: %s\n", path, error.text);
        unit_check(0, path, __FILE__, __LINE__);
        return 0;
    }
    apr_pool_create(&pool, parent);
    json_array_foreach(groups, g, group) {
        const char *description = json_string_value(json_object_get(group, "description"));
        json_t *schema = json_object_get(group, "schema");
        json_t *tests = json_object_get(group, "tests");
        const char *uri = apr_psprintf(pool, "mem:///suite/%s/%lu.json", name, (unsigned long)g);
        oa_docset *docs = oa_docset_create(pool, load_remote, (void *)env);
        oa_schema_registry *reg = oa_schema_registry_create(pool, docs, env->dialect);
        oa_diag *diag = oa_diag_create(pool);
        oa_schema *compiled;
        size_t t;
        json_t *test;

        if (skip_reason(name, description)) {
            if (verbose)
                fprintf(stderr, "SKIP %s: %s: %s\n", name, description,
                        skip_reason(name, description));
            skipped += (int)json_array_size(tests);
            continue;
        }
        oa_schema_registry_assert_formats(reg, env->assert_formats);
        oa_docset_add(docs, uri, json_incref(schema), NULL);
        compiled = oa_schema_compile(reg, schema, uri, diag);
        json_array_foreach(tests, t, test) {
            const char *test_description =
                json_string_value(json_object_get(test, "description"));
            int expected = json_is_true(json_object_get(test, "valid"));
            apr_array_header_t *errors = NULL;
            int valid;
            ran++;
            if (!compiled) {
                report_failure(name, description, test_description,
                               oa_diag_count(diag) > 0 ? oa_diag_line(pool, diag, 0)
                                                       : "schema did not compile");
                unit_check(0, test_description, path, (int)g);
                continue;
            }
            valid = oa_schema_validate(compiled, json_object_get(test, "data"), OA_MODE_NONE,
                                       pool, &errors, 0);
            /* the answer must not depend on whether errors are collected */
            if (valid != oa_schema_validate(compiled, json_object_get(test, "data"),
                                            OA_MODE_NONE, pool, NULL, 0)) {
                report_failure(name, description, test_description,
                               "different answers with and without error collection");
                unit_check(0, test_description, path, (int)g);
                continue;
            }
            if (valid != expected) {
                report_failure(name, description, test_description,
                               expected ? (errors && errors->nelts
                                               ? APR_ARRAY_IDX(errors, 0, oa_schema_error).message
                                               : "invalid")
                                        : "valid but should not be");
            }
            else if (!valid && (!errors || errors->nelts == 0)) {
                report_failure(name, description, test_description, "invalid without an error");
                valid = !expected;
            }
            unit_check(valid == expected, test_description, path, (int)g);
        }
    }
    apr_pool_destroy(pool);
    json_decref(groups);
    return ran;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Runs every *.json of dir in name order; returns the number of tests. */
static int run_dir(apr_pool_t *pool, const suite_env *env, const char *dir)
{
    DIR *handle = opendir(dir);
    struct dirent *entry;
    apr_array_header_t *names = apr_array_make(pool, 32, sizeof(const char *));
    int i, ran = 0;
    if (!handle) {
        fprintf(stderr, "cannot open %s\n", dir);
        unit_check(0, dir, __FILE__, __LINE__);
        return 0;
    }
    while ((entry = readdir(handle)) != NULL) {
        size_t length = strlen(entry->d_name);
        if (length > 5 && strcmp(entry->d_name + length - 5, ".json") == 0)
            APR_ARRAY_PUSH(names, const char *) = apr_pstrdup(pool, entry->d_name);
    }
    closedir(handle);
    qsort(names->elts, (size_t)names->nelts, sizeof(const char *), compare_names);
    for (i = 0; i < names->nelts; i++)
        ran += run_file(pool, env, dir, APR_ARRAY_IDX(names, i, const char *));
    return ran;
}

typedef struct suite_counts {
    int tests;
    int failed;
} suite_counts;

static suite_counts run_counted(apr_pool_t *pool, const suite_env *env, const char *dir)
{
    suite_counts counts;
    int before = unit_failed;
    counts.tests = run_dir(pool, env, dir);
    counts.failed = unit_failed - before;
    return counts;
}

/* One draft: required tests, then optional/ and optional/format/ (formats asserted). */
static void run_draft(apr_pool_t *pool, const char *suite, const char *name,
                      oa_dialect dialect, int has_format_dir)
{
    suite_env env;
    suite_counts required, optional, format = {0, 0};
    int skipped_before = skipped;
    const char *tests = apr_pstrcat(pool, suite, "/tests/", name, NULL);
    env.remotes_dir = apr_pstrcat(pool, suite, "/remotes", NULL);
    env.metaschema_path =
        apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures/schema/draft-04-schema.json", NULL);
    env.dialect = dialect;
    env.assert_formats = 0;
    required = run_counted(pool, &env, tests);
    optional = run_counted(pool, &env, apr_pstrcat(pool, tests, "/optional", NULL));
    if (has_format_dir) {
        env.assert_formats = 1;
        format = run_counted(pool, &env, apr_pstrcat(pool, tests, "/optional/format", NULL));
    }
    printf("suite %s: required %d/%d passed, optional %d/%d passed, optional format %d/%d "
           "passed, %d skipped (remotes from %s)\n",
           name, required.tests - required.failed, required.tests,
           optional.tests - optional.failed, optional.tests, format.tests - format.failed,
           format.tests, skipped - skipped_before, env.remotes_dir);
}

int main(int argc, char **argv)
{
    apr_pool_t *pool;
    const char *suite = getenv("OA_SCHEMA_SUITE_DIR");
    const char *vendored;
    if (!suite || !*suite)
        suite = "/usr/share/json-schema-test-suite";
    verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    vendored = apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures/json-schema-test-suite", NULL);
    /* Debian's draft 4 keeps format.json in optional/ itself */
    run_draft(pool, suite, "draft4", OA_DIALECT_DRAFT4, 0);
    run_draft(pool, vendored, "draft6", OA_DIALECT_DRAFT6, 1);
    run_draft(pool, vendored, "draft7", OA_DIALECT_DRAFT7, 1);
    run_draft(pool, vendored, "draft2019-09", OA_DIALECT_DRAFT2019, 1);
    run_draft(pool, vendored, "draft2020-12", OA_DIALECT_DRAFT2020, 1);
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
