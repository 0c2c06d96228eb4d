/* oa_negotiate: Accept parsing, qualities, choosing among offered media types. */
#include <apr_general.h>
#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

#include "response/oa_negotiate.h"
#include "unit.h"

static apr_pool_t *pool;

static int quality(const char *header, const char *type)
{
    return oa_accept_quality(pool, oa_accept_parse(pool, header), type);
}

/* oa_negotiate over a NULL-terminated list. */
static const char *choose_list(const char *header, const char *const *offered, int *index)
{
    int count = 0;
    while (offered[count])
        count++;
    return oa_negotiate(pool, header, offered, count, index);
}

static void test_rfc7231_example(void)
{
    const char *header = "text/*;q=0.3, text/html;q=0.7, text/html;level=1,\r\n"
                         " text/html;level=2;q=0.4, */*;q=0.5";
    /* a folded line is not valid in a field value today; the parser must skip the bad
     * element and keep the others */
    const char *clean = "text/*;q=0.3, text/html;q=0.7, text/html;level=1, "
                        "text/html;level=2;q=0.4, */*;q=0.5";
    CHECK_INT(oa_accept_parse(pool, clean)->count, 5);
    CHECK_INT(quality(clean, "text/html;level=1"), 1000);
    CHECK_INT(quality(clean, "text/html"), 700);
    CHECK_INT(quality(clean, "text/plain"), 300);
    CHECK_INT(quality(clean, "image/jpeg"), 500);
    CHECK_INT(quality(clean, "text/html;level=2"), 400);
    CHECK_INT(quality(clean, "text/html;level=3"), 700);
    CHECK_INT(oa_accept_parse(pool, header)->count, 4);
}

static void test_rfc9110_example(void)
{
    const char *header = "text/*;q=0.3, text/plain;q=0.7, text/plain;format=flowed, "
                         "text/plain;format=fixed;q=0.4, */*;q=0.5";
    const oa_accept *accept = oa_accept_parse(pool, header);
    CHECK_INT(accept->count, 5);
    CHECK_STR(accept->ranges[2].type, "text");
    CHECK_STR(accept->ranges[2].subtype, "plain");
    CHECK_INT(accept->ranges[2].param_count, 1);
    CHECK_STR(accept->ranges[2].param_names[0], "format");
    CHECK_STR(accept->ranges[2].param_values[0], "flowed");
    CHECK_INT(accept->ranges[3].quality, 400);
    CHECK_INT(quality(header, "text/plain;format=flowed"), 1000);
    CHECK_INT(quality(header, "text/plain"), 700);
    CHECK_INT(quality(header, "text/html"), 300);
    CHECK_INT(quality(header, "image/jpeg"), 500);
    CHECK_INT(quality(header, "text/plain;format=fixed"), 400);
    CHECK_INT(quality(header, "text/html;level=3"), 300);
    /* the RFC's other examples */
    CHECK_INT(quality("audio/*; q=0.2, audio/basic", "audio/basic"), 1000);
    CHECK_INT(quality("audio/*; q=0.2, audio/basic", "audio/mpeg"), 200);
    CHECK_INT(quality("audio/*; q=0.2, audio/basic", "video/mp4"), 0);
    {
        int index;
        const char *offered[] = {"text/x-dvi", "text/plain", "text/html", "text/x-c", NULL};
        const char *got = choose_list("text/plain; q=0.5, text/html, text/x-dvi; q=0.8, "
                                      "text/x-c", offered, &index);
        CHECK_STR(got, "text/html"); /* html and x-c tie at 1: html comes first */
        CHECK_INT(index, 2);
    }
}

static void test_q_zero(void)
{
    int index;
    const char *html_plain[] = {"text/plain", "text/html", NULL};
    const char *plain[] = {"text/plain", NULL};
    CHECK_STR(choose_list("text/*;q=0, text/html", html_plain, &index), "text/html");
    CHECK_INT(index, 1);
    CHECK(choose_list("text/*;q=0, text/html", plain, &index) == NULL);
    CHECK_INT(index, -1);
    CHECK(choose_list("*/*;q=0", plain, &index) == NULL);
    CHECK(choose_list("*/*;q=0.0", plain, &index) == NULL);
    /* a more specific q=0 wins over a general acceptance */
    CHECK(choose_list("*/*, text/plain;q=0", plain, &index) == NULL);
    CHECK_INT(quality("*/*, text/plain;q=0", "text/plain"), 0);
    CHECK_INT(quality("*/*, text/plain;q=0", "text/csv"), 1000);
}

static void test_specificity_and_order(void)
{
    int index;
    const char *xml_json[] = {"application/xml", "application/json", NULL};
    const char *json_xml[] = {"application/json", "application/xml", NULL};
    const char *two[] = {"a/b", "c/d", NULL};
    /* same q: the type matched by the more specific range wins */
    CHECK_STR(choose_list("application/*;q=0.5, application/json;q=0.5", xml_json, &index),
              "application/json");
    CHECK_INT(index, 1);
    /* same q and specificity: spec order, not header order */
    CHECK_STR(choose_list("application/json, application/xml", xml_json, &index),
              "application/xml");
    CHECK_INT(index, 0);
    CHECK_STR(choose_list("application/xml, application/json", json_xml, &index),
              "application/json");
    CHECK_STR(choose_list("*/*", two, &index), "a/b");
    CHECK_INT(index, 0);
    /* higher q beats specificity */
    CHECK_STR(choose_list("application/json;q=0.4, application/*;q=0.9", json_xml, &index),
              "application/xml");
    CHECK_INT(index, 1);
    /* parameters make a range more specific; one that the offered type does not carry
     * does not match it */
    CHECK_INT(quality("text/html;level=1;q=0.1, text/html;q=0.9", "text/html"), 900);
    CHECK_INT(quality("text/html;level=1;q=0.1, text/html;q=0.9", "text/html;level=1"),
              100);
    CHECK_INT(quality("text/html;level=1", "text/html"), 0);
    CHECK_INT(quality("text/html;level=1;charset=utf-8;q=0.2, text/html;level=1;q=0.6",
                      "text/html;charset=UTF-8;level=1"), 200);
}

static void test_no_accept(void)
{
    int index = 7;
    const char *offered[] = {"application/json", "text/plain", NULL};
    const char *range_first[] = {"*/*", NULL};
    CHECK_STR(choose_list(NULL, offered, &index), "application/json");
    CHECK_INT(index, 0);
    CHECK_STR(choose_list("", offered, &index), "application/json");
    CHECK_STR(choose_list("  ,  , ", offered, &index), "application/json");
    CHECK_STR(choose_list("garbage, ;;, /, a/, /b", offered, &index), "application/json");
    CHECK_STR(choose_list(NULL, range_first, &index), "*/*");
    CHECK(oa_negotiate(pool, "application/json", offered, 0, &index) == NULL);
    CHECK_INT(index, -1);
    CHECK(oa_negotiate(pool, NULL, NULL, 0, NULL) == NULL);
    CHECK_INT(quality(NULL, "text/plain"), OA_QUALITY_MAX);
}

static void test_malformed(void)
{
    int index;
    const char *html_json[] = {"text/html", "application/json", NULL};
    const oa_accept *accept;
    /* bad q values drop their element only */
    CHECK_STR(choose_list("text/html;q=2, application/json;q=0.1", html_json, &index),
              "application/json");
    CHECK_STR(choose_list("text/html;q=0.5000, application/json;q=0.1", html_json, &index),
              "application/json");
    CHECK_STR(choose_list("text/html;q=1.001, application/json;q=0.1", html_json, &index),
              "application/json");
    CHECK_STR(choose_list("text/html;q=-1, application/json;q=0.1", html_json, &index),
              "application/json");
    CHECK_STR(choose_list("text/html;q=, application/json;q=0.1", html_json, &index),
              "application/json");
    CHECK_STR(choose_list("text/html;q=.5, application/json;q=0.1", html_json, &index),
              "application/json");
    CHECK_INT(quality("a/b;q=0.001", "a/b"), 1);
    CHECK_INT(quality("a/b;q=1.000", "a/b"), 1000);
    CHECK_INT(quality("a/b;q=1.", "a/b"), 1000);
    CHECK_INT(quality("a/b;Q=0.5", "a/b"), 500);
    /* '*' type with a concrete subtype, spaces inside, missing parts */
    accept = oa_accept_parse(pool, "*/json, text /html, text/ html, text/html extra, "
                                   "text, /json, application/json");
    CHECK_INT(accept->count, 1);
    CHECK_STR(accept->ranges[0].subtype, "json");
    /* quoted strings may hold commas and semicolons; an unterminated one ends the list */
    accept = oa_accept_parse(pool, "text/plain;foo=\"a,b;q=0\";q=0.5, application/json;q=0.4");
    CHECK_INT(accept->count, 2);
    CHECK_STR(accept->ranges[0].param_values[0], "a,b;q=0");
    CHECK_INT(accept->ranges[0].quality, 500);
    CHECK_INT(accept->ranges[1].quality, 400);
    accept = oa_accept_parse(pool, "text/plain;x=\"a\\\"b\", application/json;y=\"open, text/csv");
    CHECK_INT(accept->count, 1);
    CHECK_STR(accept->ranges[0].param_values[0], "a\"b");
    /* too many parameters */
    accept = oa_accept_parse(pool, "a/b;p1=1;p2=2;p3=3;p4=4;p5=5;p6=6;p7=7;p8=8;p9=9, c/d");
    CHECK_INT(accept->count, 1);
    CHECK_STR(accept->ranges[0].type, "c");
    /* parameters after q are accept-ext: ignored */
    accept = oa_accept_parse(pool, "a/b;q=0.5;ext=1");
    CHECK_INT(accept->count, 1);
    CHECK_INT(accept->ranges[0].param_count, 0);
    /* white space and a trailing ';' are harmless; case is folded */
    accept = oa_accept_parse(pool, "\tText/HTML ; Level=1 ; q=0.5 ;");
    CHECK_INT(accept->count, 1);
    CHECK_STR(accept->ranges[0].type, "text");
    CHECK_STR(accept->ranges[0].param_names[0], "level");
    CHECK_INT(accept->ranges[0].quality, 500);
    /* malformed offered types are never chosen */
    {
        const char *offered[] = {"json", "application/json", NULL};
        CHECK_STR(choose_list("*/*", offered, &index), "application/json");
        CHECK_INT(index, 1);
    }
}

static void test_long_input(void)
{
    int index;
    const char *json[] = {"application/json", NULL};
    const char *x[] = {"x-a/b70", NULL};
    char *header = apr_pstrdup(pool, "");
    char *huge;
    int i;
    for (i = 0; i < 100; i++)
        header = apr_psprintf(pool, "%sx-a/b%d;q=0.1, ", header, i);
    header = apr_pstrcat(pool, header, "application/json", NULL);
    CHECK_INT(oa_accept_parse(pool, header)->count, OA_ACCEPT_MAX_RANGES);
    /* ranges past the limit are not looked at */
    CHECK(choose_list(header, json, &index) == NULL);
    CHECK(choose_list(header, x, &index) == NULL);
    CHECK_INT(quality(header, "x-a/b63"), 100);

    /* one enormous token and a long run of separators: linear and harmless */
    huge = malloc(200001);
    CHECK(huge != NULL);
    if (!huge)
        return;
    memset(huge, 'a', 200000);
    huge[100000] = '/';
    huge[200000] = '\0';
    CHECK_INT(oa_accept_parse(pool, huge)->count, 1);
    CHECK(choose_list(huge, json, &index) == NULL);
    memset(huge, ',', 200000);
    CHECK_STR(choose_list(huge, json, &index), "application/json");
    memset(huge, '"', 200000);
    CHECK_STR(choose_list(huge, json, &index), "application/json");
    memset(huge, ';', 200000);
    memcpy(huge, "a/b", 3);
    CHECK_INT(oa_accept_parse(pool, huge)->count, 1);
    free(huge);
}

static void test_offered_ranges(void)
{
    int index;
    const char *app_any[] = {"application/*", NULL};
    const char *text_any[] = {"text/*", NULL};
    const char *any[] = {"*/*", NULL};
    const char *json_any[] = {"application/json", "*/*", NULL};
    /* a concrete type the header names under the range, as the header wrote it */
    CHECK_STR(choose_list("application/json;q=0.9, application/xml", app_any, &index),
              "application/xml");
    CHECK_INT(index, 0);
    CHECK_STR(choose_list("text/plain;format=flowed;q=0.8, */*;q=0.1", text_any, &index),
              "text/plain;format=flowed");
    CHECK_STR(choose_list("text/plain;x=\"a b\"", text_any, &index), "text/plain;x=\"a b\"");
    CHECK_STR(choose_list("Application/JSON", app_any, &index), "application/json");
    /* only wildcards overlap: the offered range itself */
    CHECK_STR(choose_list("*/*", app_any, &index), "application/*");
    CHECK_STR(choose_list("application/*", app_any, &index), "application/*");
    CHECK_STR(choose_list("text/*", any, &index), "*/*");
    CHECK(choose_list("text/*", app_any, &index) == NULL);
    CHECK(choose_list("text/html", app_any, &index) == NULL);
    /* a header naming concrete types under the range keeps to them, even refused ones */
    CHECK(choose_list("application/json;q=0, */*", app_any, &index) == NULL);
    CHECK_STR(choose_list("application/json;q=0, application/xml;q=0.2, */*", app_any, &index),
              "application/xml");
    /* the concrete candidate of a later range beats a wildcard match of an earlier type */
    CHECK_STR(choose_list("text/csv, */*;q=0.5", json_any, &index), "text/csv");
    CHECK_INT(index, 1);
    CHECK_STR(choose_list("text/csv;q=0.5, application/json", json_any, &index),
              "application/json");
    CHECK_INT(index, 0);
    /* the header's own exclusions apply to concrete types taken from it */
    CHECK(choose_list("application/json;q=0, application/json;q=1", app_any, &index) == NULL);
}

static void test_plus_json(void)
{
    int index;
    const char *problem[] = {"application/problem+json", "application/json", NULL};
    CHECK_STR(choose_list("application/json", problem, &index), "application/json");
    CHECK_INT(index, 1);
    CHECK_STR(choose_list("application/problem+json", problem, &index),
              "application/problem+json");
}

/* Random headers from the characters that matter to the grammar: never a crash, never
 * more than the limit, and the answer is always one of the offered types or a type the
 * header named. */
static void test_random_headers(void)
{
    static const char alphabet[] = "ab*/;=,\" q.01\t\\jsonx+-";
    const char *offered[] = {"a/b", "application/*", "*/*", NULL};
    unsigned long state = 12345; /* a fixed seed: failures reproduce */
    int bad = 0;
    int i;
    for (i = 0; i < 5000; i++) {
        char header[48];
        int length;
        int k;
        int index;
        const char *got;
        state = state * 1103515245UL + 12345UL;
        length = (int)((state >> 16) % (sizeof(header) - 1));
        for (k = 0; k < length; k++) {
            state = state * 1103515245UL + 12345UL;
            header[k] = alphabet[(state >> 16) % (sizeof(alphabet) - 1)];
        }
        header[length] = '\0';
        if (oa_accept_parse(pool, header)->count > OA_ACCEPT_MAX_RANGES)
            bad++;
        got = choose_list(header, offered, &index);
        if (got && (index < 0 || index > 2 || strchr(got, '/') == NULL))
            bad++;
        if (!got && index != -1)
            bad++;
    }
    CHECK_INT(bad, 0);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_rfc7231_example();
    test_rfc9110_example();
    test_q_zero();
    test_specificity_and_order();
    test_no_accept();
    test_malformed();
    test_long_input();
    test_offered_ranges();
    test_plus_json();
    test_random_headers();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
