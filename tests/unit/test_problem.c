/* oa_problem_new: the RFC 9457 members, and a detail quoting bytes that are not UTF-8 (a
 * path as the client sent it) kept with those bytes written "\xNN". */
#include <apr_general.h>

#include "util/oa_problem.h"
#include "unit.h"

static const char *detail_of(json_t *problem)
{
    return json_string_value(json_object_get(problem, "detail"));
}

int main(void)
{
    json_t *problem;
    apr_initialize();

    problem = oa_problem_new(404, "Not Found", "no path '/caf\xc3\xa9'");
    CHECK_STR(json_string_value(json_object_get(problem, "type")), "about:blank");
    CHECK_INT(json_integer_value(json_object_get(problem, "status")), 404);
    CHECK_STR(detail_of(problem), "no path '/caf\xc3\xa9'");
    json_decref(problem);

    problem = oa_problem_new(404, "Not Found", "no path '/x\xff\xfe'");
    CHECK_STR(detail_of(problem), "no path '/x\\xff\\xfe'");
    json_decref(problem);

    /* an overlong '/', a surrogate, a cut sequence at the end; valid text around kept */
    problem = oa_problem_new(400, NULL, "\xc0\xaf-\xed\xa0\x80-\xe2\x82\xac-\xe2\x82");
    CHECK_STR(detail_of(problem), "\\xc0\\xaf-\\xed\\xa0\\x80-\xe2\x82\xac-\\xe2\\x82");
    CHECK_STR(json_string_value(json_object_get(problem, "title")), "Error");
    json_decref(problem);

    problem = oa_problem_new(500, "Internal Server Error", NULL);
    CHECK(json_object_get(problem, "detail") == NULL);
    json_decref(problem);

    apr_terminate();
    return unit_finish();
}
