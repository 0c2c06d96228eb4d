/* Small text helpers shared by the URI, query and path decoders and the JSON readers. */
#ifndef OA_TEXT_H
#define OA_TEXT_H

#include <stddef.h>

/* The value of a hex digit (either case), or -1. */
int oa_hex_value(char c);

/* The value of the four hex digits at p (a JSON "\\uXXXX" escape's); 0 when one is not a
 * hex digit. */
int oa_hex4_value(const unsigned char *p, unsigned *value);

/* The byte a "%XX" escape at p encodes, or -1 when p does not start one: p[0] must be
 * '%', followed by two hex digits within the `remaining` characters from p. */
int oa_percent_escape_at(const char *p, size_t remaining);

#endif
