#include "security/oa_security_token.h"

#include <apr_strings.h>
#include <string.h>

static int listed(const apr_array_header_t *list, const char *text)
{
    int i;
    for (i = 0; list && i < list->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(list, i, const char *), text) == 0)
            return 1;
    return 0;
}

static void add_once(apr_array_header_t *list, const char *text)
{
    if (*text && !listed(list, text))
        APR_ARRAY_PUSH(list, const char *) = text;
}

/* Adds the space-separated words of text (RFC 6749 section 3.3 scope syntax). */
static void add_words(apr_pool_t *pool, apr_array_header_t *list, const char *text)
{
    const char *p = text;
    while (*p) {
        size_t length = strcspn(p, " ");
        if (length)
            add_once(list, apr_pstrmemdup(pool, p, length));
        p += length;
        while (*p == ' ')
            p++;
    }
}

static void add_scope_value(apr_pool_t *pool, apr_array_header_t *list, const json_t *value)
{
    size_t i;
    const json_t *item;
    if (json_is_string(value)) {
        add_words(pool, list, json_string_value(value));
        return;
    }
    json_array_foreach(value, i, item)
        if (json_is_string(item))
            add_once(list, apr_pstrdup(pool, json_string_value(item)));
}

apr_array_header_t *oa_token_info_scopes(apr_pool_t *pool, const json_t *info)
{
    apr_array_header_t *scopes = apr_array_make(pool, 4, sizeof(const char *));
    const json_t *scope = json_object_get(info, "scope");
    if (!json_is_string(scope) && !json_is_array(scope))
        scope = json_object_get(info, "scopes");
    add_scope_value(pool, scopes, scope);
    return scopes;
}

const char *oa_token_info_user(const json_t *info)
{
    const char *user = json_string_value(json_object_get(info, "sub"));
    return user ? user : json_string_value(json_object_get(info, "uid"));
}

int oa_scopes_granted(const apr_array_header_t *granted, const apr_array_header_t *required)
{
    int i;
    for (i = 0; required && i < required->nelts; i++)
        if (!listed(granted, APR_ARRAY_IDX(required, i, const char *)))
            return 0;
    return 1;
}

apr_array_header_t *oa_scopes_missing(apr_pool_t *pool, const apr_array_header_t *granted,
                                      const apr_array_header_t *required)
{
    apr_array_header_t *missing = apr_array_make(pool, 2, sizeof(const char *));
    int i;
    for (i = 0; required && i < required->nelts; i++) {
        const char *scope = APR_ARRAY_IDX(required, i, const char *);
        if (!listed(granted, scope))
            APR_ARRAY_PUSH(missing, const char *) = scope;
    }
    return missing;
}

void oa_token_info_outcome(apr_pool_t *pool, json_t *info,
                           const apr_array_header_t *required_scopes, double now,
                           oa_auth_outcome *outcome)
{
    json_t *exp = json_object_get(info, "exp");
    json_t *nbf = json_object_get(info, "nbf");
    memset(outcome, 0, sizeof(*outcome));
    outcome->status = OA_AUTH_INVALID;
    if (!json_is_object(info)) {
        outcome->description = "the token is invalid";
        return;
    }
    if (json_is_false(json_object_get(info, "active"))) {
        outcome->description = "the token is not active";
        return;
    }
    if (json_is_number(exp) && json_number_value(exp) <= now) {
        outcome->description = "the token expired";
        return;
    }
    if (json_is_number(nbf) && json_number_value(nbf) > now) {
        outcome->description = "the token is not valid yet";
        return;
    }
    if (!oa_scopes_granted(oa_token_info_scopes(pool, info), required_scopes)) {
        outcome->status = OA_AUTH_INSUFFICIENT_SCOPE;
        outcome->description = "the token does not grant the scopes this operation requires";
        outcome->scopes_needed = required_scopes;
        return;
    }
    outcome->status = OA_AUTH_OK;
    outcome->user = oa_token_info_user(info);
    outcome->token_info = info;
}
