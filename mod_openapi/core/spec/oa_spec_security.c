#include "spec/oa_spec_security.h"

#include <apr_strings.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

/* Errors at a node's position: the model's oa_spec_error_at. */
#define error_at oa_spec_error_at

/* Follows $refs from node, written in the document whose base URI is *base; *base
 * becomes the target's. Broken ones are errors at the $ref's position. */
static json_t *follow(oa_spec *spec, oa_diag *diag, json_t *node, const char **base)
{
    return oa_docset_follow(spec->docs, spec->pool, node, *base, base, diag);
}

static int listed(const apr_array_header_t *list, const char *text)
{
    int i;
    for (i = 0; i < list->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(list, i, const char *), text) == 0)
            return 1;
    return 0;
}

static void add_once(apr_array_header_t *list, const char *text)
{
    if (text && !listed(list, text))
        APR_ARRAY_PUSH(list, const char *) = text;
}

static const char *string_member(json_t *node, const char *key)
{
    return json_string_value(json_object_get(node, key));
}

/* ---- schemes ---- */

/* One oauth2 flow (2.0: the scheme itself; 3.0: an entry of `flows`) and the URL fields
 * it needs besides its scopes. */
typedef struct oauth2_flow {
    const char *name;
    int authorization_url, token_url, device_authorization_url;
} oauth2_flow;

static void load_flow(oa_spec *spec, oa_diag *diag, oa_security_scheme *scheme, json_t *flow,
                      const oauth2_flow *kind)
{
    const char *flow_name = kind->name;
    json_t *scopes = json_object_get(flow, "scopes");
    const char *scope;
    json_t *description;
    if (!json_is_object(flow)) {
        error_at(spec, diag, flow, "security scheme '%s': flow '%s' must be an object",
                 scheme->name, flow_name);
        return;
    }
    if (!json_is_object(scopes))
        error_at(spec, diag, flow, "security scheme '%s': flow '%s' needs a 'scopes' object",
                 scheme->name, flow_name);
    if (kind->authorization_url && !string_member(flow, "authorizationUrl"))
        error_at(spec, diag, flow, "security scheme '%s': flow '%s' needs an authorizationUrl",
                 scheme->name, flow_name);
    if (kind->device_authorization_url && !string_member(flow, "deviceAuthorizationUrl"))
        error_at(spec, diag, flow, "security scheme '%s': flow '%s' needs a "
                 "deviceAuthorizationUrl", scheme->name, flow_name);
    if (kind->token_url && !string_member(flow, "tokenUrl"))
        error_at(spec, diag, flow, "security scheme '%s': flow '%s' needs a tokenUrl",
                 scheme->name, flow_name);
    json_object_foreach(scopes, scope, description)
        add_once(scheme->scopes, apr_pstrdup(spec->pool, scope));
    add_once(scheme->token_urls, string_member(flow, "tokenUrl"));
    add_once(scheme->token_urls, string_member(flow, "refreshUrl"));
}

static void load_v2_oauth2(oa_spec *spec, oa_diag *diag, oa_security_scheme *scheme,
                           json_t *node)
{
    /* 2.0 flows: which URLs each needs (authorization, token). */
    static const oauth2_flow flows[] = {{"implicit", 1, 0, 0}, {"password", 0, 1, 0},
                                        {"application", 0, 1, 0}, {"accessCode", 1, 1, 0}};
    const char *flow = string_member(node, "flow");
    size_t i;
    for (i = 0; flow && i < sizeof(flows) / sizeof(flows[0]); i++)
        if (strcmp(flow, flows[i].name) == 0) {
            load_flow(spec, diag, scheme, node, &flows[i]);
            return;
        }
    error_at(spec, diag, node,
             "security scheme '%s': oauth2 'flow' must be implicit, password, application or "
             "accessCode",
             scheme->name);
}

static void load_v3_oauth2(oa_spec *spec, oa_diag *diag, oa_security_scheme *scheme,
                           json_t *node)
{
    /* 3.x flows; 3.2 adds the device authorization grant (RFC 8628) */
    static const oauth2_flow flows[] = {{"implicit", 1, 0, 0},
                                        {"password", 0, 1, 0},
                                        {"clientCredentials", 0, 1, 0},
                                        {"authorizationCode", 1, 1, 0},
                                        {"deviceAuthorization", 0, 1, 1}};
    size_t known = spec->minor >= 2 ? 5 : 4;
    json_t *flows_node = json_object_get(node, "flows");
    size_t i;
    int found = 0;
    if (!json_is_object(flows_node)) {
        error_at(spec, diag, node, "security scheme '%s': oauth2 needs a 'flows' object",
                 scheme->name);
        return;
    }
    for (i = 0; i < known; i++) {
        json_t *flow = json_object_get(flows_node, flows[i].name);
        if (!flow)
            continue;
        found = 1;
        const char *flow_base = scheme->base;
        flow = follow(spec, diag, flow, &flow_base);
        if (flow)
            load_flow(spec, diag, scheme, flow, &flows[i]);
    }
    if (!found)
        error_at(spec, diag, flows_node,
                 "security scheme '%s': 'flows' names none of implicit, password, "
                 "clientCredentials, authorizationCode%s",
                 scheme->name, known > 4 ? ", deviceAuthorization" : "");
}

static int load_api_key(oa_spec *spec, oa_diag *diag, oa_security_scheme *scheme, json_t *node)
{
    const char *in = string_member(node, "in");
    scheme->api_key_name = string_member(node, "name");
    if (in && strcmp(in, "header") == 0)
        scheme->api_key_in = OA_IN_HEADER;
    else if (in && strcmp(in, "query") == 0)
        scheme->api_key_in = OA_IN_QUERY;
    else if (in && strcmp(in, "cookie") == 0 && spec->major == 3)
        scheme->api_key_in = OA_IN_COOKIE;
    else {
        error_at(spec, diag, node, "security scheme '%s': apiKey 'in' must be %s",
                 scheme->name, spec->major == 3 ? "header, query or cookie" : "header or query");
        return 0;
    }
    if (!scheme->api_key_name || !*scheme->api_key_name) {
        error_at(spec, diag, node, "security scheme '%s': apiKey needs a 'name'", scheme->name);
        return 0;
    }
    return 1;
}

/* Sets the kind and its details from `type`; 0 (with an error) when unsupported. */
static int load_kind(oa_spec *spec, oa_diag *diag, oa_security_scheme *scheme, json_t *node)
{
    const char *type = string_member(node, "type");
    if (!type) {
        error_at(spec, diag, node, "security scheme '%s' needs a 'type'", scheme->name);
        return 0;
    }
    if (strcmp(type, "apiKey") == 0) {
        scheme->kind = OA_SECURITY_APIKEY;
        return load_api_key(spec, diag, scheme, node);
    }
    if (strcmp(type, "oauth2") == 0) {
        scheme->kind = OA_SECURITY_OAUTH2;
        if (spec->major == 2)
            load_v2_oauth2(spec, diag, scheme, node);
        else
            load_v3_oauth2(spec, diag, scheme, node);
        return 1;
    }
    if (spec->major == 2 && strcmp(type, "basic") == 0) {
        scheme->kind = OA_SECURITY_BASIC;
        return 1;
    }
    if (spec->major == 3 && strcmp(type, "http") == 0) {
        /* HTTP authentication scheme names are case-insensitive (RFC 7235 section 2.1). */
        const char *http_scheme = string_member(node, "scheme");
        if (http_scheme && strcasecmp(http_scheme, "basic") == 0) {
            scheme->kind = OA_SECURITY_BASIC;
            return 1;
        }
        if (http_scheme && strcasecmp(http_scheme, "bearer") == 0) {
            scheme->kind = OA_SECURITY_BEARER;
            scheme->bearer_format = string_member(node, "bearerFormat");
            return 1;
        }
        error_at(spec, diag, node,
                 "security scheme '%s': http scheme '%s' is not supported (basic, bearer)",
                 scheme->name, http_scheme ? http_scheme : "");
        return 0;
    }
    if (spec->major == 3 && strcmp(type, "openIdConnect") == 0) {
        /* The client presents the ID provider's access token as a bearer token. */
        scheme->kind = OA_SECURITY_BEARER;
        scheme->open_id_connect = 1;
        scheme->open_id_connect_url = string_member(node, "openIdConnectUrl");
        if (!scheme->open_id_connect_url)
            error_at(spec, diag, node, "security scheme '%s': openIdConnect needs an "
                     "openIdConnectUrl", scheme->name);
        return 1;
    }
    if (spec->major == 3 && spec->minor >= 1 && strcmp(type, "mutualTLS") == 0) {
        scheme->kind = OA_SECURITY_MUTUAL_TLS;
        return 1;
    }
    error_at(spec, diag, node, "security scheme '%s': type '%s' is not supported (%s)",
             scheme->name, type,
             spec->major == 2   ? "basic, apiKey, oauth2"
             : spec->minor == 0 ? "http, apiKey, oauth2, openIdConnect"
                                : "http, apiKey, oauth2, openIdConnect, mutualTLS");
    return 0;
}

static oa_security_scheme *load_scheme(oa_spec *spec, oa_diag *diag, const char *name,
                                       json_t *raw)
{
    oa_security_scheme *scheme = apr_pcalloc(spec->pool, sizeof(*scheme));
    json_t *node;
    scheme->base = spec->uri;
    node = follow(spec, diag, raw, &scheme->base);
    if (!node)
        return NULL;
    if (!json_is_object(node)) {
        error_at(spec, diag, raw, "security scheme '%s' must be an object", name);
        return NULL;
    }
    scheme->name = apr_pstrdup(spec->pool, name);
    scheme->node = node;
    scheme->scopes = apr_array_make(spec->pool, 4, sizeof(const char *));
    scheme->token_urls = apr_array_make(spec->pool, 1, sizeof(const char *));
    scheme->token_info_func = string_member(node, "x-tokenInfoFunc");
    scheme->scope_validate_func = string_member(node, "x-scopeValidateFunc");
    scheme->basic_info_func = string_member(node, "x-basicInfoFunc");
    scheme->apikey_info_func = string_member(node, "x-apikeyInfoFunc");
    scheme->bearer_info_func = string_member(node, "x-bearerInfoFunc");
    scheme->token_info_url = string_member(node, "x-tokenInfoUrl");
    return load_kind(spec, diag, scheme, node) ? scheme : NULL;
}

static json_t *declared_schemes(const oa_spec *spec)
{
    return spec->major == 2
        ? json_object_get(spec->root, "securityDefinitions")
        : json_object_get(json_object_get(spec->root, "components"), "securitySchemes");
}

static void load_schemes(oa_spec *spec, oa_diag *diag)
{
    json_t *schemes = declared_schemes(spec);
    const char *name;
    json_t *raw;
    if (schemes && !json_is_object(schemes)) {
        error_at(spec, diag, schemes, "%s must be an object",
                 spec->major == 2 ? "securityDefinitions" : "components.securitySchemes");
        return;
    }
    json_object_foreach(schemes, name, raw) {
        oa_security_scheme *scheme = load_scheme(spec, diag, name, raw);
        if (scheme)
            APR_ARRAY_PUSH(spec->security_schemes, oa_security_scheme *) = scheme;
    }
}

/* ---- requirements ---- */

static int declared_raw(const oa_spec *spec, const char *name)
{
    return json_object_get(declared_schemes(spec), name) != NULL;
}

static int load_use(oa_spec *spec, oa_diag *diag, const char *name, json_t *scopes,
                    oa_security_use *use)
{
    const oa_security_scheme *scheme = oa_spec_security_scheme(spec, name);
    size_t i;
    json_t *scope;
    int ok = 1;
    if (!scheme && declared_raw(spec, name))
        return 0; /* declared but broken: its own error says why */
    if (!scheme) {
        error_at(spec, diag, scopes,
                 "security requirement names '%s', which %s does not declare", name,
                 spec->major == 2 ? "securityDefinitions" : "components.securitySchemes");
        return 0;
    }
    if (!json_is_array(scopes)) {
        error_at(spec, diag, scopes, "security requirement '%s': scopes must be a list", name);
        return 0;
    }
    /* 2.0: "For other security scheme types, the array MUST be empty"; 3.0.3 allows a
     * list of roles there. */
    if (spec->major == 2 && scheme->kind != OA_SECURITY_OAUTH2 && json_array_size(scopes)) {
        error_at(spec, diag, scopes,
                 "security requirement '%s': only oauth2 requirements list scopes in "
                 "OpenAPI 2.0", name);
        ok = 0;
    }
    use->scheme = scheme;
    use->scopes = apr_array_make(spec->pool, (int)json_array_size(scopes) + 1,
                                 sizeof(const char *));
    json_array_foreach(scopes, i, scope) {
        const char *text = json_string_value(scope);
        if (!text) {
            error_at(spec, diag, scope, "security requirement '%s': a scope must be a string",
                     name);
            ok = 0;
            continue;
        }
        if (scheme->kind == OA_SECURITY_OAUTH2 && !listed(scheme->scopes, text)) {
            error_at(spec, diag, scope,
                     "security requirement '%s': scope '%s' is not declared by the scheme",
                     name, text);
            ok = 0;
        }
        add_once(use->scopes, text);
    }
    return ok;
}

static const apr_array_header_t *load_requirements(oa_spec *spec, oa_diag *diag, json_t *list)
{
    apr_array_header_t *requirements =
        apr_array_make(spec->pool, 2, sizeof(oa_security_requirement *));
    size_t i;
    json_t *item;
    if (!list)
        return requirements;
    if (!json_is_array(list)) {
        error_at(spec, diag, list, "'security' must be a list of requirement objects");
        return requirements;
    }
    json_array_foreach(list, i, item) {
        oa_security_requirement *requirement;
        const char *name;
        json_t *scopes;
        if (!json_is_object(item)) {
            error_at(spec, diag, item, "a security requirement must be an object");
            continue;
        }
        requirement = apr_pcalloc(spec->pool, sizeof(*requirement));
        requirement->node = item;
        requirement->uses = apr_array_make(spec->pool, 1, sizeof(oa_security_use));
        json_object_foreach(item, name, scopes) {
            oa_security_use use;
            if (load_use(spec, diag, name, scopes, &use))
                APR_ARRAY_PUSH(requirement->uses, oa_security_use) = use;
        }
        APR_ARRAY_PUSH(requirements, oa_security_requirement *) = requirement;
    }
    return requirements;
}

void oa_security_load_spec(oa_spec *spec, oa_diag *diag)
{
    spec->security_schemes = apr_array_make(spec->pool, 2, sizeof(oa_security_scheme *));
    load_schemes(spec, diag);
    spec->security = load_requirements(spec, diag, json_object_get(spec->root, "security"));
}

void oa_security_load_operation(oa_spec *spec, oa_operation *op, oa_diag *diag)
{
    json_t *own = json_object_get(op->node, "security");
    json_t *token_endpoint = json_object_get(op->node, "x-oauth2-token-endpoint");
    int i;
    op->security = own ? load_requirements(spec, diag, own) : spec->security;
    op->security_optional = 0;
    for (i = 0; i < op->security->nelts; i++)
        if (APR_ARRAY_IDX(op->security, i, const oa_security_requirement *)->uses->nelts == 0)
            op->security_optional = 1;
    op->security_open = op->security->nelts == 0;
    if (token_endpoint && !json_is_boolean(token_endpoint))
        error_at(spec, diag, token_endpoint, "x-oauth2-token-endpoint must be true or false");
    if (json_is_true(token_endpoint))
        op->token_endpoint = 1;
}

/* ---- token endpoints ---- */

static const char *trim_trailing_slashes(apr_pool_t *pool, const char *path, size_t length)
{
    while (length > 1 && path[length - 1] == '/')
        length--;
    return length ? apr_pstrmemdup(pool, path, length) : "/";
}

const char *oa_security_url_path(apr_pool_t *pool, const char *base_path, const char *url)
{
    size_t length = strcspn(url, "?#");
    const char *scheme_end = strstr(url, "://");
    const char *path;
    if (scheme_end && (size_t)(scheme_end - url) < length) {
        path = strchr(scheme_end + 3, '/');
        if (!path || (size_t)(path - url) >= length)
            return "/";
        return trim_trailing_slashes(pool, path, length - (size_t)(path - url));
    }
    if (url[0] == '/' && url[1] == '/') {
        path = strchr(url + 2, '/');
        if (!path || (size_t)(path - url) >= length)
            return "/";
        return trim_trailing_slashes(pool, path, length - (size_t)(path - url));
    }
    if (url[0] == '/')
        return trim_trailing_slashes(pool, url, length);
    path = apr_pstrcat(pool, base_path ? base_path : "", "/", apr_pstrmemdup(pool, url, length),
                       NULL);
    return trim_trailing_slashes(pool, path, strlen(path));
}

void oa_security_mark_token_endpoints(oa_spec *spec)
{
    int s, u, o;
    for (s = 0; s < spec->security_schemes->nelts; s++) {
        const oa_security_scheme *scheme =
            APR_ARRAY_IDX(spec->security_schemes, s, const oa_security_scheme *);
        for (u = 0; u < scheme->token_urls->nelts; u++) {
            const char *target = oa_security_url_path(
                spec->pool, spec->base_path, APR_ARRAY_IDX(scheme->token_urls, u, const char *));
            for (o = 0; o < spec->operations->nelts; o++) {
                oa_operation *op = APR_ARRAY_IDX(spec->operations, o, oa_operation *);
                const char *full = apr_pstrcat(spec->pool, spec->base_path, op->path, NULL);
                if (op->method == OA_METHOD_POST &&
                    strcmp(trim_trailing_slashes(spec->pool, full, strlen(full)), target) == 0)
                    op->token_endpoint = 1;
            }
        }
    }
}
