/* `openapi-check --schema SCHEMA [--dialect draft4|oas30] [--mode request|response] DOC...`:
 * validates JSON or YAML documents against a JSON Schema (JSON or YAML).
 * Prints "DOC: valid", or each error as "DOC: POINTER: message" (the root pointer shown
 * as "(root)"). Exit status: 0 all valid, 1 any invalid, 2 when the schema is broken or
 * unreadable (printed as "SCHEMA:LINE:COL: reason"), a DOC cannot be read, or the
 * command line is wrong (a usage line on stderr). */
#ifndef CHECK_SCHEMA_H
#define CHECK_SCHEMA_H

/* argv is the whole command line (argv[0] the program); the arguments may come in any
 * order. Initializes APR itself (apr_initialize is reference counted). */
int oa_check_schema_main(int argc, char **argv);

#endif
