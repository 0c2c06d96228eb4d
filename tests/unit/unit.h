/* A minimal unit-test harness: each test program counts checks and ends with the line
 * "N passed, N failed"; it exits 1 when any check failed. */
#ifndef UNIT_H
#define UNIT_H

#include <stdio.h>
#include <string.h>

extern int unit_passed;
extern int unit_failed;

#define CHECK(cond) unit_check((cond) != 0, #cond, __FILE__, __LINE__)
#define CHECK_STR(got, want) unit_check_str((got), (want), #got, __FILE__, __LINE__)
#define CHECK_INT(got, want) unit_check_int((long long)(got), (long long)(want), #got, \
                                            __FILE__, __LINE__)

void unit_check(int ok, const char *what, const char *file, int line);
void unit_check_str(const char *got, const char *want, const char *what, const char *file,
                    int line);
void unit_check_int(long long got, long long want, const char *what, const char *file,
                    int line);

/* Prints the closing line and returns the exit status for main. */
int unit_finish(void);

/* A mutant of sample in out (room for capacity bytes): one to three edits, each a byte
 * replaced by, or inserted from, alphabet, or deleted; seed is the generator's state.
 * Returns its length. */
size_t unit_mutant(char *out, size_t capacity, const char *sample, const char *alphabet,
                   unsigned *seed);

/* Source directory of the project (for fixtures): $OA_SRCDIR or ".". */
const char *unit_srcdir(void);

#endif
