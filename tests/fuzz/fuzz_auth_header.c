/* libFuzzer target for the credential parsers: the input is up to three lines, an
 * Authorization header, an access_token query value and a form body one. Every parser
 * (scheme split, Bearer, Basic, one-token-one-method, token68, strict base64) reads
 * them; a refusal must say why, a found credential must be well formed, and every
 * problem must be a fixed text, never one made from the request. */
#include <apr_strings.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_apr.h"
#include "security/oa_security_header.h"
#include "util/oa_base64.h"

/* Every problem the parsers can give: fixed texts, none made from the input, so none
 * can repeat a credential (problems reach the error body and the log). A problem not in
 * this list is a new message: check it quotes nothing of the request, then add it. */
static const char *const known_problems[] = {
    "the Authorization header is empty",
    "the Authorization header does not start with an authentication scheme",
    "the Bearer credentials are empty",
    "the Basic credentials are empty",
    "the Authorization header carries more than one bearer token",
    "the bearer token has characters RFC 6750 does not allow",
    "the access token was sent by more than one method",
    "the access_token parameter is empty or has characters RFC 6750 does not allow",
    "the Basic credentials are not base64",
    "the Basic credentials have no ':' between user and password",
    "the Basic credentials contain control characters",
};

/* A MALFORMED answer names its problem, and every problem is one of the known texts. (A
 * check that the problem does not contain the credential would fail on inputs such as
 * "Bearer bearer t", whose credential is a piece of a fixed text.) */
static void check_outcome(oa_credential_status status, const char *problem)
{
    size_t i;
    if (status == OA_CREDENTIAL_MALFORMED && !problem)
        abort();
    if (!problem)
        return;
    for (i = 0; i < sizeof(known_problems) / sizeof(known_problems[0]); i++)
        if (strcmp(problem, known_problems[i]) == 0)
            return;
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *at = (const char *)data;
    const char *end = at + size;
    const char *line[3] = {NULL, NULL, NULL};
    const char *scheme = NULL, *credentials = NULL, *token = NULL;
    const char *user = NULL, *password = NULL, *problem = NULL;
    oa_credential_status status;
    apr_pool_t *pool;
    size_t decoded_length = 0;
    const unsigned char *decoded;
    int i;

    apr_pool_create(&pool, NULL);
    for (i = 0; i < 3 && at < end; i++) {
        const char *newline = memchr(at, '\n', (size_t)(end - at));
        const char *stop = newline ? newline : end;
        line[i] = apr_pstrmemdup(pool, at, (size_t)(stop - at));
        at = newline ? newline + 1 : end;
    }

    status = oa_authorization_split(pool, line[0], &scheme, &credentials, &problem);
    check_outcome(status, problem);
    if (status == OA_CREDENTIAL_FOUND && (!scheme || !*scheme))
        abort();

    problem = NULL;
    status = oa_bearer_from_header(pool, line[0], &token, &problem);
    check_outcome(status, problem);
    if (status == OA_CREDENTIAL_FOUND && !oa_token68_valid(token, strlen(token)))
        abort();

    problem = NULL;
    status = oa_basic_from_header(pool, line[0], &user, &password, &problem);
    check_outcome(status, problem);
    if (status == OA_CREDENTIAL_FOUND && (!user || !password))
        abort();

    problem = NULL;
    status = oa_bearer_from_request(pool, line[0], line[1], line[2], &token, &problem);
    check_outcome(status, problem);
    if (status == OA_CREDENTIAL_FOUND && !oa_token68_valid(token, strlen(token)))
        abort();

    if (line[0]) {
        decoded = oa_base64_decode_strict(pool, line[0], &decoded_length);
        if (decoded && decoded[decoded_length] != '\0')
            abort();
        (void)oa_token68_valid(line[0], strlen(line[0]));
    }
    apr_pool_destroy(pool);
    return 0;
}
