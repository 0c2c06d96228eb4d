/* Casting parameter text to the JSON type its schema declares: "42" -> 42 for integer,
 * "true" -> true for boolean, "a,b" -> ["a","b"] for an array of strings (comma-separated;
 * the other serialization styles build on this). */
#ifndef OA_CAST_H
#define OA_CAST_H

#include <jansson.h>

/* Returns a new reference, or NULL when the text does not fit the declared type; then
 * *expected names the type ("integer", "number", "boolean"). A schema without a type, or
 * of type string, gives the text as a string. */
json_t *oa_cast_value(const char *text, const json_t *schema, const char **expected);

/* The same for one scalar and a type name. */
json_t *oa_cast_scalar(const char *text, const char *type);

#endif
