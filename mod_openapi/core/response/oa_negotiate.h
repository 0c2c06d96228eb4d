/* Content negotiation (RFC 9110 section 12.5.1): parses an Accept header and picks, among
 * the media types a response declares, the one to send.
 *
 * Everything here only reads its inputs and allocates from the pool it is given, so it
 * may run on many threads at once. */
#ifndef OA_NEGOTIATE_H
#define OA_NEGOTIATE_H

#include <apr_pools.h>

/* Media ranges kept from one Accept header; the rest are ignored (a header is not a
 * place to make the server do unbounded work). */
#define OA_ACCEPT_MAX_RANGES 64
/* Parameters kept per media range (q excluded); a range with more is ignored. */
#define OA_ACCEPT_MAX_PARAMS 8

/* Qualities are in thousandths: q=0.5 is 500, q=1 (the default) is 1000. */
#define OA_QUALITY_MAX 1000

typedef struct oa_media_range {
    const char *type;    /* lower-case; "*" for any */
    const char *subtype; /* lower-case; "*" for any (never with a concrete type "*") */
    int param_count;
    const char *param_names[OA_ACCEPT_MAX_PARAMS];  /* lower-case */
    const char *param_values[OA_ACCEPT_MAX_PARAMS]; /* unquoted, case as sent */
    int quality;         /* 0..OA_QUALITY_MAX; 0 = "not acceptable" */
} oa_media_range;

typedef struct oa_accept {
    int count; /* 0: no usable range (absent, empty or all malformed header) */
    oa_media_range ranges[OA_ACCEPT_MAX_RANGES];
} oa_accept;

/* Parses an Accept header value (NULL for an absent header). Malformed elements (no
 * "type/subtype", "*" type with a concrete subtype, bad q-value, bad parameter syntax,
 * too many parameters) are skipped; parameters after q (RFC 7231 accept-ext) are
 * ignored. Never fails: the result is allocated in pool. */
oa_accept *oa_accept_parse(apr_pool_t *pool, const char *header);

/* The quality the header gives the concrete media type `type` (which may carry
 * parameters): that of the most specific range matching it (type/subtype with
 * parameters, the more the more specific, > type/subtype > type/'*' > '*'/'*'; among
 * equally specific ones the first). A range with parameters matches only types that
 * carry each of them with the same value (values of "charset" compared without case).
 * 0 when nothing matches or type is malformed; OA_QUALITY_MAX for a header with no
 * ranges. pool holds the parsed type. */
int oa_accept_quality(apr_pool_t *pool, const oa_accept *accept, const char *type);

/* Chooses among `offered` (media types as the spec writes them, in spec order) the one
 * to answer a request with header `accept` (NULL = absent). The winner has the highest
 * quality, then was matched by the most specific range, then comes first in offered.
 * Offered types that do not parse as type/subtype are never chosen.
 *
 * An offered range ("application/'*'", "'*'/'*'") stands for every type under it:
 *  - each concrete range of the header under it is a candidate, returned as the header
 *    wrote it ("application/json", with its parameters, without q), with the quality
 *    the header gives that type;
 *  - otherwise, when a wildcard range of the header overlaps it ("'*'/'*'" with any
 *    offered range, "text/'*'" with "text/'*'" or "'*'/'*'"), the offered range itself is
 *    a candidate, returned as written: the caller must then pick a concrete type.
 * Without usable ranges in the header (absent, empty, all malformed) the first offered
 * type is chosen, as written (possibly a range).
 *
 * Returns the chosen type (allocated in pool or one of offered) and sets *index_out
 * (when not NULL) to its index in offered; returns NULL (406 Not Acceptable) when
 * nothing offered is acceptable or offered_count is 0, with *index_out = -1. */
const char *oa_negotiate(apr_pool_t *pool, const char *accept, const char *const *offered,
                         int offered_count, int *index_out);

#endif
