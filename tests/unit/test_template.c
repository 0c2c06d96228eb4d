/* oa_template_fill: placeholders filled, Jinja's other syntax left alone, unfilled ones
 * named by line and column, defer mode, the lines that had a value filled. */
#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#include "doc/oa_template.h"
#include "unit.h"

static apr_pool_t *pool;
static apr_hash_t *values;

static const char *fill(const char *text, oa_diag *diag, apr_hash_t **lines)
{
    oa_template_args args = {values, 0, 0, 0};
    apr_size_t length;
    const char *out = oa_template_fill(pool, "t.yaml", text, strlen(text), &args, lines,
                                       &length, diag);
    if (out)
        CHECK_INT(length, strlen(out));
    return out;
}

int main(void)
{
    oa_diag *diag;
    apr_hash_t *lines;
    oa_template_args detect = {NULL, 1, 0, 0};
    apr_size_t length;
    int line;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    values = apr_hash_make(pool);
    apr_hash_set(values, "a", APR_HASH_KEY_STRING, "one");
    apr_hash_set(values, "b_2", APR_HASH_KEY_STRING, "");
    apr_hash_set(values, "x", APR_HASH_KEY_STRING, "{{ a }}"); /* not filled again */
    diag = oa_diag_create(pool);

    CHECK_STR(fill("no placeholder", diag, NULL), "no placeholder");
    CHECK_STR(fill("{{a}}/{{ a }}/{{\ta\t}}", diag, NULL), "one/one/one");
    CHECK_STR(fill("x{{ b_2 }}y", diag, NULL), "xy");
    CHECK_STR(fill("{{ x }}", diag, NULL), "{{ a }}");
    /* not placeholders: left as written */
    CHECK_STR(fill("{% if a %}{{ a | upper }}{# c #}{{ 9 }}{{ a.b }}{{}}{ {a} }{{ a }",
                   diag, NULL),
              "{% if a %}{{ a | upper }}{# c #}{{ 9 }}{{ a.b }}{{}}{ {a} }{{ a }");
    CHECK_STR(fill("{{{ a }}}", diag, NULL), "{one}"); /* the braces around stay */
    CHECK_INT(oa_diag_count(diag), 0);

    /* the lines that had values */
    CHECK_STR(fill("k: v\nt: {{ a }}{{ b_2 }}\nu: {{ a }}\n", diag, &lines), "k: v\nt: one\nu: one\n");
    line = 2;
    CHECK_STR(apr_hash_get(lines, &line, sizeof(line)), "a, b_2");
    line = 3;
    CHECK_STR(apr_hash_get(lines, &line, sizeof(line)), "a");
    line = 1;
    CHECK(apr_hash_get(lines, &line, sizeof(line)) == NULL);

    /* unfilled: every one named, nothing returned */
    CHECK(fill("a: {{ a }}\n  b: {{ missing }} {{ other }}\n", diag, NULL) == NULL);
    CHECK_INT(oa_diag_count(diag), 2);
    CHECK_STR(oa_diag_line(pool, diag, 0), "t.yaml:2:6: spec argument 'missing' has no "
              "value (OpenAPIArgument missing VALUE, or --arg missing=VALUE)");
    CHECK_STR(oa_diag_line(pool, diag, 1), "t.yaml:2:20: spec argument 'other' has no "
              "value (OpenAPIArgument other VALUE, or --arg other=VALUE)");

    /* defer: stops at the first placeholder, no error */
    diag = oa_diag_create(pool);
    CHECK(oa_template_fill(pool, "t.yaml", "a\n{{ z }}", 9, &detect, NULL, &length, diag)
          == NULL);
    CHECK(detect.found);
    CHECK_INT(oa_diag_count(diag), 0);
    detect.found = 0;
    CHECK_STR(oa_template_fill(pool, "t.yaml", "plain {{", 8, &detect, NULL, &length, diag),
              "plain {{");
    CHECK(!detect.found);

    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
