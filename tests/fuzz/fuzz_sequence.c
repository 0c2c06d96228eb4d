/* libFuzzer target for sequential media types (util/oa_sequence.h): the first byte picks
 * JSON Lines, JSON Text Sequences or text/event-stream, the rest is the body. A body is
 * read into at most OA_SEQUENCE_MAX_ITEMS items or refused with a reason naming an item
 * within that bound and a line inside the body; JSON items written back in their format
 * read again as the same items. */
#include <apr_strings.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_apr.h"
#include "util/oa_sequence.h"

static size_t lines_in(const char *body, size_t length)
{
    size_t lines = 1, i;
    for (i = 0; i < length; i++)
        if (body[i] == '\n' || (body[i] == '\r' && (i + 1 == length || body[i + 1] != '\n')))
            lines++;
    return lines;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *pool;
    oa_sequence_kind kind;
    const char *body;
    size_t length;
    oa_sequence_error error;
    json_t *items;

    if (size < 1)
        return 0;
    kind = (oa_sequence_kind)(1 + data[0] % 3);
    length = size - 1;
    apr_pool_create(&pool, NULL);
    /* a copy of exactly `length` bytes: reading past it is an ASan report */
    body = length ? apr_pmemdup(pool, data + 1, length) : "";
    memset(&error, 0, sizeof(error));
    items = oa_sequence_parse(pool, kind, body, length, &error);
    if (!items) {
        if (!error.message || error.item > OA_SEQUENCE_MAX_ITEMS || error.line < 1 ||
            (size_t)error.line > lines_in(body, length))
            abort();
    }
    else {
        const char *text;
        json_t *again;
        if (json_array_size(items) > OA_SEQUENCE_MAX_ITEMS)
            abort();
        text = oa_sequence_format(pool, kind, items);
        again = oa_sequence_parse(pool, kind, text, strlen(text), &error);
        /* events lose what a field cannot carry (a NUL in a value); JSON items do not */
        if (!again || (kind != OA_SEQUENCE_EVENT_STREAM && !json_equal(items, again)))
            abort();
        json_decref(again);
        json_decref(items);
    }
    apr_pool_destroy(pool);
    return 0;
}
