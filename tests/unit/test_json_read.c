/* oa_json_read: the JSON reader makes the tree, the positions and the shared subtrees the
 * YAML reader makes of the same text (OA_PARSE_BY_YAML reads JSON the old way), on every
 * JSON file of the fixtures (the JSON-Schema-Test-Suite's included), hand-written edge
 * cases and mutants of a spec. */
#include <apr_file_info.h>
#include <apr_general.h>
#include <apr_hash.h>
#include <apr_strings.h>
#include <string.h>

#include "doc/oa_json_check.h"
#include "doc/oa_json_read.h"
#include "doc/oa_parse.h"
#include "unit.h"

static apr_pool_t *pool;

typedef struct reading {
    json_t *root;
    oa_docset *set;
} reading;

static reading read_with(apr_pool_t *scratch, const char *text, size_t length, int flags)
{
    reading r;
    oa_posmap *positions = NULL;
    r.root = oa_parse_buffer_ex(scratch, "t.json", text, length, flags, &positions,
                                oa_diag_create(scratch));
    r.set = oa_docset_create(scratch, NULL, NULL);
    if (r.root)
        oa_docset_add(r.set, "file:///t.json", json_incref(r.root), positions);
    return r;
}

typedef struct comparison {
    apr_pool_t *pool;   /* the comparison's scratch */
    apr_hash_t *a_to_b; /* node identity: sharing must match both ways */
    apr_hash_t *b_to_a;
    const char *what; /* the first difference */
} comparison;

static int is_singleton(const json_t *node)
{
    return json_is_true(node) || json_is_false(node) || json_is_null(node);
}

/* Walks both trees side by side; a node pair met again is not walked again. */
static void compare_nodes(comparison *cmp, const reading *a, const reading *b, json_t *x,
                          json_t *y, const char *where)
{
    oa_position px, py;
    int found_x, found_y;
    if (cmp->what)
        return;
    if (json_typeof(x) != json_typeof(y) ||
        (!json_is_object(x) && !json_is_array(x) && !json_equal(x, y))) {
        cmp->what = apr_psprintf(cmp->pool, "different value at %s", where);
        return;
    }
    if (!is_singleton(x)) {
        json_t *seen_y = apr_hash_get(cmp->a_to_b, &x, sizeof(x));
        json_t *seen_x = apr_hash_get(cmp->b_to_a, &y, sizeof(y));
        if (seen_y || seen_x) {
            if (seen_y != y || seen_x != x)
                cmp->what = apr_psprintf(cmp->pool, "different sharing at %s", where);
            return;
        }
        apr_hash_set(cmp->a_to_b, apr_pmemdup(cmp->pool, &x, sizeof(x)), sizeof(x), y);
        apr_hash_set(cmp->b_to_a, apr_pmemdup(cmp->pool, &y, sizeof(y)), sizeof(y), x);
    }
    if (!is_singleton(x)) {
        found_x = oa_docset_position(a->set, x, &px);
        found_y = oa_docset_position(b->set, y, &py);
        if (found_x != found_y ||
            (found_x && (px.line != py.line || px.column != py.column))) {
            cmp->what = apr_psprintf(cmp->pool,
                                     "different position at %s: %d:%d (JSON reader) vs "
                                     "%d:%d (YAML reader)", where,
                                     found_x ? px.line : 0, found_x ? px.column : 0,
                                     found_y ? py.line : 0, found_y ? py.column : 0);
            return;
        }
    }
    if (json_is_object(x)) {
        void *ix = json_object_iter(x), *iy = json_object_iter(y);
        if (json_object_size(x) != json_object_size(y)) {
            cmp->what = apr_psprintf(cmp->pool, "different member count at %s", where);
            return;
        }
        for (; ix && iy && !cmp->what;
             ix = json_object_iter_next(x, ix), iy = json_object_iter_next(y, iy)) {
            if (strcmp(json_object_iter_key(ix), json_object_iter_key(iy)) != 0) {
                cmp->what = apr_psprintf(cmp->pool, "different member order at %s", where);
                return;
            }
            compare_nodes(cmp, a, b, json_object_iter_value(ix), json_object_iter_value(iy),
                          apr_pstrcat(cmp->pool, where, "/", json_object_iter_key(ix), NULL));
        }
    }
    else if (json_is_array(x)) {
        size_t i;
        if (json_array_size(x) != json_array_size(y)) {
            cmp->what = apr_psprintf(cmp->pool, "different length at %s", where);
            return;
        }
        for (i = 0; i < json_array_size(x) && !cmp->what; i++)
            compare_nodes(cmp, a, b, json_array_get(x, i), json_array_get(y, i),
                          apr_psprintf(cmp->pool, "%s/%" APR_SIZE_T_FMT, where, i));
    }
}

/* NULL when both readers agree (or both refuse the text), else the first difference.
 * Where libyaml could not read valid JSON (some tabs, escaped surrogate pairs; oa_parse.c
 * then falls back to jansson: no positions, nothing shared), only the values are
 * compared. */
static const char *compare_readers(const char *text, size_t length, int flags)
{
    apr_pool_t *scratch;
    reading by_json, by_yaml;
    comparison cmp;
    oa_position root_place;
    const char *difference;
    apr_pool_create(&scratch, pool);
    by_json = read_with(scratch, text, length, flags);
    by_yaml = read_with(scratch, text, length, flags | OA_PARSE_BY_YAML);
    memset(&cmp, 0, sizeof(cmp));
    if (!by_json.root || !by_yaml.root) {
        if (by_json.root || by_yaml.root)
            cmp.what = by_json.root ? "only the JSON reader took it"
                                    : "only the YAML reader took it";
    }
    else {
        cmp.pool = scratch;
        cmp.a_to_b = apr_hash_make(scratch);
        cmp.b_to_a = apr_hash_make(scratch);
        if (oa_docset_position(by_yaml.set, by_yaml.root, &root_place))
            compare_nodes(&cmp, &by_json, &by_yaml, by_json.root, by_yaml.root, "");
        else if (!json_equal(by_json.root, by_yaml.root))
            cmp.what = "different trees";
    }
    json_decref(by_json.root);
    json_decref(by_yaml.root);
    difference = cmp.what ? apr_pstrdup(pool, cmp.what) : NULL;
    apr_pool_destroy(scratch);
    return difference;
}

static int compare_text(const char *label, const char *text, size_t length)
{
    static const int flag_sets[] = {0, OA_PARSE_SHARE_SUBTREES};
    size_t n;
    for (n = 0; n < sizeof(flag_sets) / sizeof(flag_sets[0]); n++) {
        const char *difference = compare_readers(text, length, flag_sets[n]);
        if (difference) {
            printf("%s (flags %d): %s\n", label, flag_sets[n], difference);
            return 0;
        }
    }
    return 1;
}

static void test_edge_cases_read_alike(void)
{
    static const char *const texts[] = {
        "{}", "[]", "  [ ]  ", "{\"a\": {}, \"b\": []}",
        "[1, -0, 0.5, -2.5e-3, 1E+2, 9223372036854775807, 9223372036854775808, "
        "-9223372036854775809, 123456789012345678901234567890, 1e-400]",
        "{\"s\": \"\\u00e9\\ud83d\\ude00\\n\\t\\\"\\\\\\/\\b\\f\\r\", \"u\": \"\\u0000x\"}",
        "{\"caf\xc3\xa9\": \"\xe2\x82\xac\", \"k\": [\"\xf0\x9f\x98\x80\", 1, \"\xc3\xa9\"]}",
        "{\"a\":\r\n  [1,\r\n   2],\r  \"b\": {\"c\": null}}\n",
        "{\"\\u00e9t\\u00e9\": {\"\\n\": 1}, \"x\": \"\\u00e9\"}",
        "[{\"schema\": {\"type\": \"string\"}}, {\"schema\": {\"type\": \"string\"}}]",
        "{\"paths\": {\"/a\": {\"get\": {\"responses\": {\"200\": {\"description\": \"ok\", "
        "\"content\": {\"application/json\": {\"schema\": {\"type\": \"object\", "
        "\"properties\": {\"n\": {\"type\": \"integer\"}}}}}}}}}, \"/b\": {\"get\": "
        "{\"responses\": {\"200\": {\"description\": \"ok\", \"content\": "
        "{\"application/json\": {\"schema\": {\"type\": \"object\", \"properties\": {\"n\": "
        "{\"type\": \"integer\"}}}}}}}}}}}",
        "{\"a\": [[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]}",
        "{\"a\": true, \"b\": false, \"c\": null, \"d\": [true, false, null]}",
    };
    size_t n;
    for (n = 0; n < sizeof(texts) / sizeof(texts[0]); n++)
        CHECK(compare_text(texts[n], texts[n], strlen(texts[n])));
}

/* A column counts characters, on one long line as well as on many. */
static void test_positions_count_characters(void)
{
    static const char text[] = "{\"\xc3\xa9\xc3\xa9\": [\"\xe2\x82\xac\", {\"k\": 1}]}";
    oa_posmap *positions = NULL;
    oa_diag *diag = oa_diag_create(pool);
    oa_docset *set = oa_docset_create(pool, NULL, NULL);
    oa_position where;
    json_t *root = oa_parse_buffer(pool, "t.json", text, strlen(text), &positions, diag);
    json_t *list;
    CHECK(root != NULL);
    oa_docset_add(set, "file:///t.json", root, positions);
    list = json_object_get(root, "\xc3\xa9\xc3\xa9");
    CHECK(oa_docset_position(set, list, &where)); /* at its name */
    CHECK_INT(where.line, 1);
    CHECK_INT(where.column, 2);
    CHECK(oa_docset_position(set, json_array_get(list, 1), &where));
    CHECK_INT(where.column, 14);
    CHECK(oa_docset_position(set, json_object_get(json_array_get(list, 1), "k"), &where));
    CHECK_INT(where.column, 20);
}

/* What a jansson tree cannot hold is refused where it is written; deeper nesting than
 * the YAML reader's is left to it, which names the error. */
static void test_refusals(void)
{
    static const char nul_name[] = "{\"a\": {\n  \"x\\u0000y\": 1}}";
    oa_diag *diag = oa_diag_create(pool);
    char *deep;
    int i;
    /* (oa_json_check leaves escaped names to jansson, which refuses this one too) */
    CHECK(oa_json_read(pool, "t.json", nul_name, strlen(nul_name),
                       oa_posmap_create(pool, "t.json"), NULL, diag) == NULL);
    CHECK_STR(oa_diag_line(pool, diag, 0),
              "t.json:2:3: mapping key contains a NUL character");
    deep = apr_palloc(pool, 2 * 600 + 1);
    for (i = 0; i < 600; i++) {
        deep[i] = '[';
        deep[600 + i] = ']';
    }
    deep[1200] = '\0';
    diag = oa_diag_create(pool);
    CHECK(oa_json_read(pool, "t.json", deep, 1200, oa_posmap_create(pool, "t.json"), NULL,
                       diag) == NULL);
    CHECK_INT(oa_diag_count(diag), 0);
    CHECK(oa_parse_buffer(pool, "t.json", deep, 1200, NULL, diag) == NULL);
    CHECK(strstr(oa_diag_line(pool, diag, 0), "nesting is too deep") != NULL);
    /* not JSON (cut short, a number that is not one): not taken, nothing said */
    {
        static const char *const not_json[] = {"{\"a\": [1, 2", "[-]", "[1+2]", "[1e]",
                                               "[1] [2]", "{\"a\" 1}", "[tru]"};
        size_t n;
        diag = oa_diag_create(pool);
        for (n = 0; n < sizeof(not_json) / sizeof(not_json[0]); n++)
            CHECK(oa_json_read(pool, "t.json", not_json[n], strlen(not_json[n]),
                               oa_posmap_create(pool, "t.json"), NULL, diag) == NULL);
        CHECK_INT(oa_diag_count(diag), 0);
    }
}

/* Raw U+0085, U+2028 and U+2029 are line breaks to libyaml (YAML 1.1), which folds them
 * in a quoted string: JSON keeps them, so the two readers differ there by design. */
static int has_yaml_1_1_break(const char *text, size_t length)
{
    size_t i;
    for (i = 0; i + 1 < length; i++)
        if (((unsigned char)text[i] == 0xC2 && (unsigned char)text[i + 1] == 0x85) ||
            (i + 2 < length && (unsigned char)text[i] == 0xE2 &&
             (unsigned char)text[i + 1] == 0x80 &&
             ((unsigned char)text[i + 2] == 0xA8 || (unsigned char)text[i + 2] == 0xA9)))
            return 1;
    return 0;
}

static void compare_files_under(const char *dir, int depth, int *files, int *same)
{
    apr_dir_t *handle;
    apr_finfo_t info;
    if (depth > 8 || apr_dir_open(&handle, dir, pool) != APR_SUCCESS)
        return;
    while (apr_dir_read(&info, APR_FINFO_NAME | APR_FINFO_TYPE, handle) == APR_SUCCESS) {
        const char *path = apr_pstrcat(pool, dir, "/", info.name, NULL);
        size_t name_length = strlen(info.name);
        if (info.name[0] == '.')
            continue;
        if (info.filetype == APR_DIR)
            compare_files_under(path, depth + 1, files, same);
        else if (name_length > 5 && strcmp(info.name + name_length - 5, ".json") == 0) {
            apr_size_t length;
            char *text = oa_parse_read_file(pool, path, &length, oa_diag_create(pool));
            if (!text || has_yaml_1_1_break(text, length))
                continue;
            (*files)++;
            *same += compare_text(path, text, length);
        }
    }
    apr_dir_close(handle);
}

static void test_every_json_fixture_reads_alike(void)
{
    int files = 0, same = 0;
    compare_files_under(apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures", NULL), 0, &files,
                        &same);
    CHECK_INT(same, files);
    CHECK(files > 300); /* the fixtures were found */
}

/* Mutants of a spec: whatever the fast check accepts, both readers read alike. */
static void test_mutants_read_alike(void)
{
    const char *sample = "{\"openapi\": \"3.0.3\", \"paths\": {\"/a/{id}\": {\"get\": "
                         "{\"parameters\": [{\"name\": \"id\", \"in\": \"path\", \"schema\": "
                         "{\"type\": \"integer\", \"minimum\": -1.5e2}}], \"x\": [true, null, "
                         "\"\\u00e9\xc3\xa9\"],\n \"responses\": {\"200\": {\"content\": "
                         "{\"a/b\": {\"schema\": {\"type\": \"integer\"}}}}}, \"y\": "
                         "{\"schema\": {\"type\": \"integer\"}}}}}}";
    static const char alphabet[] = "{}[]\",:\\u0123456789eE+-.tfnl ad\t\n\r\xc3\xa9";
    char text[512];
    unsigned seed = 4242;
    int i, accepted = 0, alike = 0;
    for (i = 0; i < 5000; i++) {
        size_t length = unit_mutant(text, sizeof(text), sample, alphabet, &seed);
        if (!oa_json_check(pool, text, length))
            continue;
        accepted++;
        alike += compare_text("a mutant", text, length);
    }
    CHECK_INT(alike, accepted);
    CHECK(accepted > 200); /* the mutants are not all broken: the test tests something */
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_edge_cases_read_alike();
    test_positions_count_characters();
    test_refusals();
    test_every_json_fixture_reads_alike();
    test_mutants_read_alike();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
