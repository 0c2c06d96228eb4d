#include "security/oa_security_oauth_errors.h"

#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

#include "util/oa_problem.h"

/* ---- text cleaning ---- */

/* RFC 6749 appendix A: error, error_description and scope characters. */
static int oauth_text_char(unsigned char c)
{
    return c >= 0x20 && c <= 0x7E && c != '"' && c != '\\';
}

/* RFC 6749 appendix A.8: error_uri characters (no space). */
static int oauth_uri_char(unsigned char c)
{
    return c > 0x20 && c <= 0x7E && c != '"' && c != '\\';
}

static const char *keep_only(apr_pool_t *pool, const char *text, int (*keep)(unsigned char))
{
    char *out, *o;
    const char *p;
    if (!text)
        return NULL;
    out = o = apr_palloc(pool, strlen(text) + 1);
    for (p = text; *p; p++)
        if (keep((unsigned char)*p))
            *o++ = *p;
    *o = '\0';
    return out;
}

const char *oa_oauth_clean_text(apr_pool_t *pool, const char *text)
{
    return keep_only(pool, text, oauth_text_char);
}

const char *oa_http_quoted_string(apr_pool_t *pool, const char *text)
{
    char *out, *o;
    const char *p;
    if (!text)
        text = "";
    /* Worst case every byte escaped, plus the quotes and NUL. */
    out = o = apr_palloc(pool, 2 * strlen(text) + 3);
    *o++ = '"';
    for (p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c >= 0x7F)
            continue;
        if (c == '"' || c == '\\')
            *o++ = '\\';
        *o++ = (char)c;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

/* ---- challenges ---- */

/* Appends `, name="value"` (value cleaned to the RFC 6750 set, so no escape is needed). */
static const char *append_param(apr_pool_t *pool, const char *challenge, const char *name,
                                const char *value)
{
    if (!value)
        return challenge;
    return apr_pstrcat(pool, challenge, ", ", name, "=",
                       oa_http_quoted_string(pool, oa_oauth_clean_text(pool, value)), NULL);
}

const char *oa_bearer_challenge(apr_pool_t *pool, const char *realm, const char *error,
                                const char *description, const char *scope)
{
    const char *challenge = apr_pstrcat(pool, "Bearer realm=",
                                        oa_http_quoted_string(pool, realm), NULL);
    if (!error)
        return challenge; /* RFC 6750 section 3.1: no error code without credentials */
    challenge = append_param(pool, challenge, "error", error);
    challenge = append_param(pool, challenge, "error_description", description);
    return append_param(pool, challenge, "scope", scope);
}

const char *oa_basic_challenge(apr_pool_t *pool, const char *realm)
{
    return apr_pstrcat(pool, "Basic realm=", oa_http_quoted_string(pool, realm),
                       ", charset=\"UTF-8\"", NULL);
}

const char *oa_apikey_challenge(apr_pool_t *pool, const char *realm, const char *in,
                                const char *name)
{
    const char *challenge = apr_pstrcat(pool, "ApiKey realm=",
                                        oa_http_quoted_string(pool, realm), NULL);
    if (in)
        challenge = apr_pstrcat(pool, challenge, ", in=", oa_http_quoted_string(pool, in), NULL);
    if (name)
        challenge = apr_pstrcat(pool, challenge, ", name=", oa_http_quoted_string(pool, name),
                                NULL);
    return challenge;
}

/* ---- bodies ---- */

static const char *dump(apr_pool_t *pool, json_t *json)
{
    char *text = json_dumps(json, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_PRESERVE_ORDER);
    const char *copy = apr_pstrdup(pool, text ? text : "{}");
    free(text);
    json_decref(json);
    return copy;
}

const char *oa_oauth_error_json(apr_pool_t *pool, const char *error, const char *description,
                                const char *error_uri)
{
    json_t *body = json_object();
    if (error)
        json_object_set_new(body, "error", json_string(oa_oauth_clean_text(pool, error)));
    if (description)
        json_object_set_new(body, "error_description",
                            json_string(oa_oauth_clean_text(pool, description)));
    if (error_uri)
        json_object_set_new(body, "error_uri",
                            json_string(keep_only(pool, error_uri, oauth_uri_char)));
    return dump(pool, body);
}

const char *oa_http_reason(int status)
{
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
    }
}

const char *oa_oauth_problem_json(apr_pool_t *pool, int status, const char *error,
                                  const char *description)
{
    json_t *problem = oa_problem_new(status, oa_http_reason(status),
                                     oa_oauth_clean_text(pool, description));
    if (error)
        json_object_set_new(problem, "error", json_string(oa_oauth_clean_text(pool, error)));
    return dump(pool, problem);
}

/* ---- token endpoint ---- */

static const struct {
    const char *code;
    int status;
} token_errors[] = {
    {"invalid_request", 400},        {"invalid_client", 401},
    {"invalid_grant", 400},          {"unauthorized_client", 400},
    {"unsupported_grant_type", 400}, {"invalid_scope", 400},
};

const char *oa_token_error_code(oa_token_error error)
{
    return (unsigned)error < sizeof(token_errors) / sizeof(token_errors[0])
        ? token_errors[error].code : "invalid_request";
}

int oa_token_error_status(oa_token_error error)
{
    return (unsigned)error < sizeof(token_errors) / sizeof(token_errors[0])
        ? token_errors[error].status : 400;
}

static const oa_http_header no_store_headers[] = {
    {"Cache-Control", "no-store"},
    {"Pragma", "no-cache"},
};

const oa_http_header *oa_oauth_no_store_headers(size_t *count)
{
    *count = sizeof(no_store_headers) / sizeof(no_store_headers[0]);
    return no_store_headers;
}

static oa_http_answer *json_answer(apr_pool_t *pool, int status, const char *body)
{
    oa_http_answer *answer = apr_pcalloc(pool, sizeof(*answer));
    size_t count, i;
    const oa_http_header *headers = oa_oauth_no_store_headers(&count);
    answer->status = status;
    answer->content_type = "application/json";
    answer->body = body;
    answer->headers = apr_array_make(pool, 3, sizeof(oa_http_header));
    for (i = 0; i < count; i++)
        APR_ARRAY_PUSH(answer->headers, oa_http_header) = headers[i];
    return answer;
}

/* An HTTP auth-scheme name is a token (RFC 7235): letters, digits and a few marks. */
static int valid_scheme_name(const char *name)
{
    const char *p;
    if (!name || !*name)
        return 0;
    for (p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
              strchr("!#$%&'*+-.^_`|~", *p)))
            return 0;
    return 1;
}

oa_http_answer *oa_token_error_answer(apr_pool_t *pool, oa_token_error error,
                                      const char *description, const char *client_auth_scheme,
                                      const char *realm)
{
    oa_http_answer *answer = json_answer(
        pool, oa_token_error_status(error),
        oa_oauth_error_json(pool, oa_token_error_code(error), description, NULL));
    if (error == OA_TOKEN_INVALID_CLIENT) {
        const char *scheme = valid_scheme_name(client_auth_scheme) ? client_auth_scheme
                                                                   : "Basic";
        oa_http_header header;
        header.name = "WWW-Authenticate";
        header.value = apr_pstrcat(pool, scheme, " realm=", oa_http_quoted_string(pool, realm),
                                   NULL);
        APR_ARRAY_PUSH(answer->headers, oa_http_header) = header;
    }
    return answer;
}

static int printable_ascii(const char *text)
{
    const char *p;
    if (!text || !*text)
        return 0;
    for (p = text; *p; p++)
        if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7E)
            return 0;
    return 1;
}

oa_http_answer *oa_token_success_answer(apr_pool_t *pool, const char *access_token,
                                        const char *token_type, long long expires_in,
                                        const char *refresh_token, const char *scope)
{
    json_t *body;
    /* RFC 6749 appendix A: tokens and the type are printable ASCII (VSCHAR, NQCHAR...). */
    if (!printable_ascii(access_token) || !printable_ascii(token_type) ||
        (refresh_token && !printable_ascii(refresh_token)))
        return NULL;
    body = json_object();
    json_object_set_new(body, "access_token", json_string(access_token));
    json_object_set_new(body, "token_type", json_string(token_type));
    if (expires_in >= 0)
        json_object_set_new(body, "expires_in", json_integer(expires_in));
    if (refresh_token)
        json_object_set_new(body, "refresh_token", json_string(refresh_token));
    if (scope)
        json_object_set_new(body, "scope", json_string(oa_oauth_clean_text(pool, scope)));
    return json_answer(pool, 200, dump(pool, body));
}
