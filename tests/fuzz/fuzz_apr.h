/* What every fuzz target shares: libFuzzer's entry points declared, and the one-time
 * start-up (APR) for the targets that need nothing else. A target with start-up of its
 * own defines FUZZ_OWN_INITIALIZE before including this and writes LLVMFuzzerInitialize
 * itself. Each target is one translation unit, so the definition here is made once. */
#ifndef FUZZ_APR_H
#define FUZZ_APR_H

#include <apr_general.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#ifndef FUZZ_OWN_INITIALIZE
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    apr_initialize();
    return 0;
}
#endif

#endif
