/* oa_mock_pattern alone: the string written for a pattern, checked against the expected
 * text and against PCRE2 (the engine the validator uses), lengths in code points, and
 * the patterns it declines. */
#include <apr_general.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "response/oa_mock_pattern.h"
#include "util/oa_utf8.h"
#include "unit.h"

static apr_pool_t *pool;

/* Whether PCRE2 finds pattern in text (JSON Schema patterns are unanchored). */
static int pcre2_finds(const char *pattern, const char *text)
{
    int code;
    PCRE2_SIZE offset;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_ALT_BSUX, &code, &offset, NULL);
    pcre2_match_data *match;
    int found;
    if (!re)
        return 0;
    match = pcre2_match_data_create_from_pattern(re, NULL);
    found = pcre2_match(re, (PCRE2_SPTR)text, strlen(text), 0, 0, match, NULL) >= 0;
    pcre2_match_data_free(match);
    pcre2_code_free(re);
    return found;
}

static const struct {
    const char *pattern;
    int min_length;
    int max_length;
    const char *expected;
} written[] = {
    {"^abc$", 0, -1, "abc"},
    {"^[A-Z]{3}-\\d{4}$", 0, -1, "AAA-0000"},
    {"^[a-z]+$", 5, -1, "aaaaa"},
    {"^[a-z]+$", 0, 3, "a"},
    {"^(foo|bar)baz?$", 0, -1, "fooba"},
    {"^(?:ab)*c$", 5, -1, "ababc"},
    {"^\\d+\\.\\d+\\.\\d+$", 0, -1, "0.0.0"},
    {"^[^0-9]{2}$", 0, -1, "aa"},
    {"^\\x41\\u0042\\.\\n$", 0, -1, "AB.\n"},
    {"^\xc3\xa9+$", 2, 2, "\xc3\xa9\xc3\xa9"}, /* two code points, four bytes */
    {"^[\\w-]{2,}?$", 0, -1, "aa"},
    {"^a{2}\\s\\S$", 0, -1, "aa a"},
    {"^.$", 0, -1, "a"},
    {"x{", 0, -1, "x{"},
    {NULL, 0, 0, NULL}};

static void test_written(void)
{
    int i;
    for (i = 0; written[i].pattern; i++) {
        const char *got = oa_mock_string_from_pattern(pool, written[i].pattern,
                                                      written[i].min_length,
                                                      written[i].max_length);
        CHECK_STR(got, written[i].expected);
        if (!got)
            continue;
        if (!pcre2_finds(written[i].pattern, got))
            unit_check(0, written[i].pattern, __FILE__, __LINE__);
        else
            unit_check(1, written[i].pattern, __FILE__, __LINE__);
    }
}

/* When no length fits, a string that still matches comes back. */
static void test_length_out_of_reach(void)
{
    const char *got = oa_mock_string_from_pattern(pool, "^ab$", 5, -1);
    CHECK_STR(got, "ab");
    got = oa_mock_string_from_pattern(pool, "^a{3}$", 0, 2);
    CHECK_STR(got, "aaa");
}

static void test_declined(void)
{
    static const char *const beyond[] = {
        "^(?=a)a$",   /* lookahead */
        "^(a)\\1$",   /* backreference */
        "^(?<n>a)$",  /* named group */
        "\\bword\\b", /* word boundary */
        "[[:alpha:]]", /* POSIX class */
        "^(a$",       /* unclosed group */
        "a)",         /* unmatched ')' */
        "*a",         /* nothing to repeat */
        "[\xc3\xa9]", /* non-ASCII in a class */
        NULL};
    int i;
    for (i = 0; beyond[i]; i++)
        if (oa_mock_string_from_pattern(pool, beyond[i], 0, -1) != NULL)
            unit_check(0, beyond[i], __FILE__, __LINE__);
        else
            unit_check(1, beyond[i], __FILE__, __LINE__);
}

/* Bounded: a huge repetition or deep nesting gives up instead of running away. */
static void test_bounded(void)
{
    char deep[200];
    const char *got;
    size_t i;
    got = oa_mock_string_from_pattern(pool, "^a{4096}$", 0, -1);
    CHECK(got != NULL && strlen(got) == OA_MOCK_MAX_STRING);
    /* a count past the bound is no quantifier: the braces are read as literals */
    got = oa_mock_string_from_pattern(pool, "^a{5000}$", 0, -1);
    CHECK(got == NULL || strlen(got) <= OA_MOCK_MAX_STRING);
    CHECK(oa_mock_string_from_pattern(pool, "^(((a{100}){100}){100})$", 0, -1) == NULL);
    for (i = 0; i < 60; i++)
        deep[i] = '(';
    deep[60] = 'a';
    for (i = 61; i < 121; i++)
        deep[i] = ')';
    deep[121] = '\0';
    CHECK(oa_mock_string_from_pattern(pool, deep, 0, -1) == NULL); /* nesting > 32 */
    /* open-ended repetitions grow to 257 at most: a longer minLength is not reached */
    got = oa_mock_string_from_pattern(pool, "^[a-z]+$", 200, -1);
    CHECK(got && oa_utf8_length(got, strlen(got)) >= 200);
    CHECK_STR(oa_mock_string_from_pattern(pool, "^[a-z]+$", 300, -1), "a");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_written();
    test_length_out_of_reach();
    test_declined();
    test_bounded();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
