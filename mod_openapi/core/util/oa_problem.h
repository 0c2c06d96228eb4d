/* RFC 9457 problem details: the body of every error answer we make. */
#ifndef OA_PROBLEM_H
#define OA_PROBLEM_H

#include <jansson.h>

/* {"type": "about:blank", "title": title, "status": status, "detail": detail}; detail may
 * be NULL (left out); bytes of it that are not UTF-8 are written "\xNN". A new
 * reference. */
json_t *oa_problem_new(int status, const char *title, const char *detail);

#endif
