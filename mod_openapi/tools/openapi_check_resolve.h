/* `openapi-check --resolve [NAME=]PLUGIN.so... SPEC...`: which function of which plugin
 * each operation calls, as the module resolves it with `OpenAPIResolver resty PLUGIN` (the
 * first --resolve plugin), and whether the plugin exports it. One line per operation,
 * "FILE:LINE:COL: METHOD PATH -> PLUGIN.function: found" (or ": MISSING", or ": no
 * handler: reason"). Exit status: 0 when every function is found, 1 when one is not or a
 * spec does not load, 2 when the command line is wrong or a plugin cannot be opened. */
#ifndef CHECK_RESOLVE_H
#define CHECK_RESOLVE_H

/* argv is the whole command line; arguments in any order. Initializes APR itself. */
int oa_check_resolve_main(int argc, char **argv);

#endif
