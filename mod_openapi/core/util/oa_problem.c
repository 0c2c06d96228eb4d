#include "util/oa_problem.h"

#include <apr_pools.h>
#include <stdio.h>
#include <string.h>

#include "util/oa_utf8.h"

/* Bytes of a UTF-8 sequence that starts with lead, 0 for a byte no sequence starts with. */
static size_t sequence_length(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if (lead >= 0xc2 && lead <= 0xdf)
        return 2;
    if (lead >= 0xe0 && lead <= 0xef)
        return 3;
    if (lead >= 0xf0 && lead <= 0xf4)
        return 4;
    return 0;
}

/* A detail often quotes what the client sent (a path, a value): bytes that are not UTF-8
 * are written as "\xNN" so that the detail is kept and still says where the problem is
 * (jansson refuses a string that is not UTF-8, and the answer would lose its detail). */
static json_t *detail_string(const char *detail)
{
    size_t length = strlen(detail);
    apr_pool_t *scratch;
    char *out, *o;
    size_t i = 0;
    json_t *string;
    if (oa_utf8_valid(detail, length))
        return json_string(detail);
    if (apr_pool_create(&scratch, NULL) != APR_SUCCESS)
        return NULL;
    out = o = apr_palloc(scratch, 4 * length + 1);
    while (i < length) {
        size_t n = sequence_length((unsigned char)detail[i]);
        if (n && i + n <= length && oa_utf8_valid(detail + i, n)) {
            memcpy(o, detail + i, n);
            o += n;
            i += n;
        }
        else {
            o += snprintf(o, 5, "\\x%02x", (unsigned char)detail[i]);
            i++;
        }
    }
    *o = '\0';
    string = json_string(out);
    apr_pool_destroy(scratch);
    return string;
}

json_t *oa_problem_new(int status, const char *title, const char *detail)
{
    json_t *problem = json_object();
    json_object_set_new(problem, "type", json_string("about:blank"));
    json_object_set_new(problem, "title", json_string(title ? title : "Error"));
    json_object_set_new(problem, "status", json_integer(status));
    if (detail)
        json_object_set_new(problem, "detail", detail_string(detail));
    return problem;
}
