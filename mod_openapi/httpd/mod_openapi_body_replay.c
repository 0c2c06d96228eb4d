/* The request body read for validation, given again to whatever reads the request's input
 * next (mod_proxy, mod_cgi, PHP-FPM...): an input filter on top of the chain serving the
 * bytes from the request pool, then EOS. The bytes are not copied: buckets point into
 * the one buffer the validation read. */
#include "mod_openapi_glue.h"

#include <http_protocol.h>
#include <http_request.h>
#include <util_filter.h>

#define BODY_REPLAY_FILTER "OPENAPI_BODY_REPLAY"

typedef struct body_replay {
    const char *body;
    apr_size_t length;
    apr_size_t offset; /* bytes already given */
} body_replay;

/* How many of the remaining bytes a read in this mode takes (up to and including a LF
 * for a line; everything for an exhaustive read). */
static apr_size_t bytes_for(const body_replay *replay, ap_input_mode_t mode,
                            apr_off_t readbytes)
{
    apr_size_t left = replay->length - replay->offset;
    if (mode == AP_MODE_GETLINE) {
        const char *lf = memchr(replay->body + replay->offset, '\n', left);
        return lf ? (apr_size_t)(lf - (replay->body + replay->offset)) + 1 : left;
    }
    if (mode == AP_MODE_EXHAUSTIVE || readbytes <= 0 || (apr_off_t)left < readbytes)
        return left;
    return (apr_size_t)readbytes;
}

static apr_status_t replay_body(ap_filter_t *f, apr_bucket_brigade *bb, ap_input_mode_t mode,
                                apr_read_type_e block, apr_off_t readbytes)
{
    body_replay *replay = f->ctx;
    apr_bucket_alloc_t *alloc = f->c->bucket_alloc;
    apr_size_t n;
    (void)block;
    if (mode == AP_MODE_INIT)
        return APR_SUCCESS;
    if (mode != AP_MODE_READBYTES && mode != AP_MODE_GETLINE &&
        mode != AP_MODE_SPECULATIVE && mode != AP_MODE_EXHAUSTIVE)
        return APR_ENOTIMPL;
    if (replay->offset == replay->length) {
        /* Every read past the end sees EOS again, as from HTTP_IN: readers such as
         * ap_discard_request_body loop until they see one. */
        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(alloc));
        return APR_SUCCESS;
    }
    n = bytes_for(replay, mode, readbytes);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_immortal_create(replay->body + replay->offset, n,
                                                           alloc));
    if (mode != AP_MODE_SPECULATIVE)
        replay->offset += n;
    return APR_SUCCESS;
}

void glue_body_replay_add(request_rec *r, const char *body, apr_size_t length)
{
    body_replay *replay = apr_pcalloc(r->pool, sizeof(*replay));
    replay->body = body; /* lives in r->pool, as long as the request */
    replay->length = length;
    ap_add_input_filter(BODY_REPLAY_FILTER, replay, r, r->connection);
}

void glue_body_replay_register(void)
{
    /* Above every other filter of the request: nothing below it has the bytes any more. */
    ap_register_input_filter(BODY_REPLAY_FILTER, replay_body, NULL, AP_FTYPE_RESOURCE);
}
