#include "unit.h"

#include <stdlib.h>

int unit_passed;
int unit_failed;

void unit_check(int ok, const char *what, const char *file, int line)
{
    if (ok) {
        unit_passed++;
        return;
    }
    unit_failed++;
    fprintf(stderr, "%s:%d: check failed: %s\n", file, line, what);
}

void unit_check_str(const char *got, const char *want, const char *what, const char *file,
                    int line)
{
    int ok = (got == NULL && want == NULL) || (got && want && strcmp(got, want) == 0);
    unit_check(ok, what, file, line);
    if (!ok)
        fprintf(stderr, "    got:  %s\n    want: %s\n", got ? got : "(null)",
                want ? want : "(null)");
}

void unit_check_int(long long got, long long want, const char *what, const char *file,
                    int line)
{
    unit_check(got == want, what, file, line);
    if (got != want)
        fprintf(stderr, "    got:  %lld\n    want: %lld\n", got, want);
}

int unit_finish(void)
{
    printf("%d passed, %d failed\n", unit_passed, unit_failed);
    return unit_failed ? 1 : 0;
}

const char *unit_srcdir(void)
{
    const char *dir = getenv("OA_SRCDIR");
    return dir && *dir ? dir : ".";
}
