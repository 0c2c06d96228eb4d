/* Casting parameter text to the JSON type its schema declares: "42" -> 42 for integer,
 * "true" -> true for boolean, "a,b" -> ["a","b"] for an array of strings (comma-separated;
 * the other serialization styles build on this). */
#ifndef OA_CAST_H
#define OA_CAST_H

#include <apr_hash.h>
#include <apr_tables.h>
#include <jansson.h>

/* Returns a new reference, or NULL when the text does not fit the declared type; then
 * *expected names the type ("integer", "number", "boolean"). A schema without a type, or
 * of type string, gives the text as a string. */
json_t *oa_cast_value(const char *text, const json_t *schema, const char **expected);

/* The same for one scalar and a type name. */
json_t *oa_cast_scalar(const char *text, const char *type);

/* The types a schema gives a value and its parts, with $refs followed: what the request
 * layer needs to turn text into typed JSON. Built at config time (oa_spec_compile),
 * read-only afterwards. Schemas without a single `type` are inferred: `properties` (or an
 * allOf of objects) makes an object, `items` an array; anything else (oneOf, anyOf, no
 * type) keeps text as strings and lets the validator judge. */
typedef struct oa_shape oa_shape;
struct oa_shape {
    const char *type;            /* "integer", "number", "boolean", "string", "array",
                                    "object", "null", or NULL (unknown: keep text) */
    const char *format;          /* e.g. "binary", or NULL */
    const oa_shape *items;       /* arrays: the items' shape, or NULL */
    apr_array_header_t *property_names; /* objects: of const char *, in schema order */
    apr_hash_t *properties;      /* objects: name -> const oa_shape * (read with
                                    apr_hash_get only: iteration is not thread-safe) */
    const oa_shape *additional;  /* objects: additionalProperties as a schema, or NULL */
    int open;                    /* objects: names outside properties are allowed */
};

/* The shape of a property (declared, else additionalProperties), or NULL. */
const oa_shape *oa_shape_property(const oa_shape *shape, const char *name);

/* Text cast to the shape's scalar type; text that does not fit (or a shape that is not
 * scalar) stays a string, so that the validator names the mismatch
 * ("'abc' is not of type 'integer'"). NULL only when text is not valid UTF-8. */
json_t *oa_cast_text(const char *text, const oa_shape *shape);

#endif
