/* libFuzzer target for content negotiation: the first line is an Accept header, each
 * further line a media type the response offers. The header is parsed (ranges and
 * parameters stay within their bounds, qualities within 0..1000), each offer gets a
 * quality, and the choice must be one of the offers or a concrete range of the header,
 * with an index inside the offers. */
#include <apr_strings.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_apr.h"
#include "response/oa_negotiate.h"
#include "util/oa_media_type.h"

#define MAX_OFFERS 16

static void check_accept(const oa_accept *accept)
{
    int i;
    if (accept->count < 0 || accept->count > OA_ACCEPT_MAX_RANGES)
        abort();
    for (i = 0; i < accept->count; i++) {
        const oa_media_range *range = &accept->ranges[i];
        if (!range->type || !range->subtype || range->quality < 0 ||
            range->quality > OA_QUALITY_MAX || range->param_count < 0 ||
            range->param_count > OA_ACCEPT_MAX_PARAMS)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *at = (const char *)data;
    const char *end = at + size;
    const char *offered[MAX_OFFERS];
    const char *header = NULL;
    int count = 0;
    int index = -2;
    int i;
    apr_pool_t *pool;
    const char *chosen;
    oa_accept *accept;

    apr_pool_create(&pool, NULL);
    while (at < end && count < MAX_OFFERS) {
        const char *newline = memchr(at, '\n', (size_t)(end - at));
        const char *stop = newline ? newline : end;
        char *line = apr_pstrmemdup(pool, at, (size_t)(stop - at));
        if (!header)
            header = line;
        else
            offered[count++] = line;
        at = newline ? newline + 1 : end;
    }
    accept = oa_accept_parse(pool, header);
    check_accept(accept);
    for (i = 0; i < count; i++) {
        int quality = oa_accept_quality(pool, accept, offered[i]);
        if (quality < 0 || quality > OA_QUALITY_MAX)
            abort();
        (void)oa_media_type_is_json(offered[i]);
        if (header)
            (void)oa_media_type_matches(header, offered[i]);
    }
    chosen = oa_negotiate(pool, header, offered, count, &index);
    if (chosen ? (index < 0 || index >= count) : index != -1)
        abort();
    apr_pool_destroy(pool);
    return 0;
}
