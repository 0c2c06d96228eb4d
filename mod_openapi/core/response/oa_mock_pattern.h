/* Mock strings from a JSON Schema `pattern`: writes a string the regular expression
 * matches, for the simple kind of pattern specs use: literals (UTF-8 too), `.`, classes
 * ([a-z0-9_], negated ones, \d \w \s and their negations inside them), escapes (\n, \.,
 * \x41, \u0041), groups (capturing and (?:...)), alternatives (the first is written),
 * quantifiers (* + ? {n} {n,} {n,m}, lazy and possessive too) and anchors. Not written:
 * lookarounds, backreferences, named groups, flags, word boundaries, POSIX classes,
 * characters outside ASCII in classes. Every open-ended quantifier is repeated the same
 * number of extra times, grown until the length (in code points) fits. */
#ifndef OA_MOCK_PATTERN_H
#define OA_MOCK_PATTERN_H

#include <apr_pools.h>

#define OA_MOCK_MAX_STRING 4096 /* generated string length at most, in bytes (minLength
                                   beyond it is not honoured) */

/* A string matching pattern with a length in [min_length, max_length] (max_length < 0:
 * unbounded) when one can be written; else one that matches the pattern only; NULL when
 * the pattern is beyond the writer. Allocated from pool; the work is bounded by the
 * pattern's length and OA_MOCK_MAX_STRING. */
const char *oa_mock_string_from_pattern(apr_pool_t *pool, const char *pattern, int min_length,
                                        int max_length);

#endif
