#include "unit.h"

#include <stdlib.h>
#include <string.h>

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

static unsigned next_random(unsigned *seed)
{
    *seed = *seed * 1103515245u + 12345u;
    return *seed >> 16;
}

size_t unit_mutant(char *out, size_t capacity, const char *sample, const char *alphabet,
                   unsigned *seed)
{
    size_t length = strlen(sample);
    size_t letters = strlen(alphabet);
    int edits = 1 + (int)(next_random(seed) % 3);
    if (length >= capacity)
        length = capacity - 1;
    memcpy(out, sample, length);
    while (edits-- > 0 && length > 0) {
        size_t at = next_random(seed) % length;
        char c = alphabet[next_random(seed) % letters];
        unsigned how = next_random(seed) % 3;
        if (how == 0)
            out[at] = c;
        else if (how == 1 && length > 1) {
            memmove(out + at, out + at + 1, length - at - 1);
            length--;
        }
        else if (length + 1 < capacity) {
            memmove(out + at + 1, out + at, length - at);
            out[at] = c;
            length++;
        }
    }
    return length;
}

const char *unit_srcdir(void)
{
    const char *dir = getenv("OA_SRCDIR");
    return dir && *dir ? dir : ".";
}
