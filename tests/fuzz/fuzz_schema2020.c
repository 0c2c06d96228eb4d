/* libFuzzer target for the JSON Schema 2019-09 / 2020-12 / OpenAPI 3.1 compiler and
 * validator: the harness of fuzz_schema.c over the later dialects (unevaluated*,
 * $dynamicRef, boolean schemas, vocabularies, content). Seeds: corpus/schema2020/ and
 * corpus/schema/. */
#define OA_FUZZ_2020 1
#include "fuzz_schema.c"
