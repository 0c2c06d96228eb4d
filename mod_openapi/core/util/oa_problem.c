#include "util/oa_problem.h"

json_t *oa_problem_new(int status, const char *title, const char *detail)
{
    json_t *problem = json_object();
    json_object_set_new(problem, "type", json_string("about:blank"));
    json_object_set_new(problem, "title", json_string(title ? title : "Error"));
    json_object_set_new(problem, "status", json_integer(status));
    if (detail)
        json_object_set_new(problem, "detail", json_string(detail));
    return problem;
}
