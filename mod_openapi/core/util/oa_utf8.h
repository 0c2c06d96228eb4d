/* UTF-8 helpers: JSON Schema counts string lengths in code points; request text must be
 * well-formed UTF-8. */
#ifndef OA_UTF8_H
#define OA_UTF8_H

#include <stddef.h>

/* Number of code points in a valid UTF-8 text of `length` bytes (continuation bytes
 * are not counted, so invalid input still gives a bounded answer). */
size_t oa_utf8_length(const char *text, size_t length);

/* Byte length of the prefix of text holding at most max_code_points code points. */
size_t oa_utf8_prefix(const char *text, size_t length, size_t max_code_points);

/* 1 when text of `length` bytes is well-formed UTF-8 (no overlongs, no surrogates). */
int oa_utf8_valid(const char *text, size_t length);

#endif
