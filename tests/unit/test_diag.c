/* oa_diag: formatting one entry, one line by index, and the whole list joined. */
#include <apr_general.h>

#include "util/oa_diag.h"
#include "unit.h"

int main(void)
{
    apr_pool_t *pool;
    oa_diag *diag;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    diag = oa_diag_create(pool);
    CHECK_STR(oa_diag_join(pool, diag, "\n"), "");
    CHECK(oa_diag_line(pool, diag, 0) == NULL);
    oa_diag_add(diag, "api.yaml", 3, 7, "bad %s", "ref");
    oa_diag_add(diag, "api.yaml", 4, 0, "no column");
    oa_diag_add(diag, "api.yaml", 0, 0, "no line");
    oa_diag_add(diag, NULL, 0, 0, "no file");
    CHECK_INT(oa_diag_count(diag), 4);
    CHECK_STR(oa_diag_line(pool, diag, 0), "api.yaml:3:7: bad ref");
    CHECK_STR(oa_diag_line(pool, diag, 1), "api.yaml:4: no column");
    CHECK_STR(oa_diag_line(pool, diag, 2), "api.yaml: no line");
    CHECK_STR(oa_diag_line(pool, diag, 3), "no file");
    CHECK(oa_diag_line(pool, diag, 4) == NULL);
    CHECK(oa_diag_line(pool, diag, -1) == NULL);
    CHECK_STR(oa_diag_join(pool, diag, ";"),
              "api.yaml:3:7: bad ref;api.yaml:4: no column;api.yaml: no line;no file");
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
