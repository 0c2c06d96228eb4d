/* mod_openapi plugin SDK: what a handler plugin may call.
 *
 * A plugin is a shared object loaded with `OpenAPIPlugin NAME /path/plugin.so`. An
 * operation whose operationId is "NAME.function" (or "function" under
 * x-openapi-router-controller: NAME) is answered by calling
 *
 *     int function(openapi_request *req, openapi_response *res);
 *
 * exported by the plugin with OPENAPI_HANDLER. The request has already been routed and
 * validated; the handler fills the response and returns OPENAPI_OK. Returning anything
 * else makes the module answer 500 (problem+json) and log the operation.
 *
 * Each plugin declares the ABI it was built against with OPENAPI_PLUGIN_DECLARE() once;
 * the module refuses a plugin of another ABI at configuration time.
 *
 * Threads: handlers run concurrently on the threads of httpd's MPM. Memory: allocate from
 * openapi_pool(req) (freed with the request). jansson values passed to the response are
 * taken over by it (the caller's reference is stolen). */
#ifndef OPENAPI_PLUGIN_H
#define OPENAPI_PLUGIN_H

#include <stddef.h>
#include <jansson.h>
#include <apr_pools.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a declaration below changes incompatibly. */
#define OPENAPI_PLUGIN_ABI 1

#define OPENAPI_OK 0
#define OPENAPI_ERROR (-1)

#define OPENAPI_EXPORT __attribute__((visibility("default")))

/* Marks a handler (or any function the spec names) as exported from the plugin. */
#define OPENAPI_HANDLER OPENAPI_EXPORT

/* Once per plugin: records the ABI it was built against. A function rather than a
 * variable: several plugins live in one httpd, and a data symbol of the same name in each
 * would be one symbol to the dynamic linker (and an ODR violation to AddressSanitizer).
 * Link plugins with -Wl,-Bsymbolic so that their calls to their own exported functions
 * never reach another plugin's function of the same name. */
#define OPENAPI_PLUGIN_DECLARE() \
    OPENAPI_EXPORT int openapi_plugin_abi(void); \
    OPENAPI_EXPORT int openapi_plugin_abi(void) \
    { \
        return OPENAPI_PLUGIN_ABI; \
    }

typedef struct openapi_request openapi_request;
typedef struct openapi_response openapi_response;
typedef int (*openapi_handler_fn)(openapi_request *req, openapi_response *res);

/* What a plugin's init function may use while the configuration is read. */
typedef struct openapi_plugin_context openapi_plugin_context;

/* An optional init function a plugin may export as `openapi_plugin_init`; called once
 * when the configuration is read (returns OPENAPI_OK, or OPENAPI_ERROR with a reason in
 * *error, which stops the configuration). */
typedef int (*openapi_plugin_init_fn)(openapi_plugin_context *ctx, const char **error);

/* An optional resolver a plugin may export as `openapi_plugin_resolve` (OPENAPI_HANDLER),
 * asked when `OpenAPIResolver resty PLUGIN` names the plugin, at configuration time, for
 * each operation without an operationId: returns the name of the plugin's function for
 * method ("GET", or "PURGE" as sent) on path_template ("/pets/{petId}"), allocated from pool or static, or NULL
 * for resty_name, the name the RestyResolver rule composes ("pets_get"). */
typedef const char *(*openapi_resolver_fn)(apr_pool_t *pool, const char *method,
                                           const char *path_template, const char *resty_name);

/* A custom `format` check: returns 1 when the value is valid. Called for strings only. */
typedef int (*openapi_format_check_fn)(const json_t *value, void *baton);

/* Implemented by mod_openapi.so; resolved when httpd loads the plugin. */
#define OPENAPI_API OPENAPI_EXPORT

/* ---- plugin initialization ---- */

/* The configuration pool: lives until httpd reloads its configuration. */
OPENAPI_API apr_pool_t *openapi_plugin_pool(openapi_plugin_context *ctx);

/* Registers a checker for `format: NAME` (Connexion's custom formats, e.g. "money"). It
 * applies wherever a spec served with this plugin uses the format, in requests and
 * responses. Formats the validator does not know are otherwise ignored, as JSON Schema
 * says. */
OPENAPI_API void openapi_register_format(openapi_plugin_context *ctx, const char *name,
                                         openapi_format_check_fn check, void *baton);

/* A renderer for the error bodies the module makes (Connexion's add_error_handler): given
 * the problem object of an error, it sets *body (and *content_type) to what is sent
 * instead, allocated in the request's pool, and returns OPENAPI_OK; anything else keeps
 * the problem+json body. request_rec is httpd's request_rec (as void *). */
typedef int (*openapi_error_renderer_fn)(void *request_rec, int status, const json_t *problem,
                                         const char **content_type, const char **body,
                                         void *baton);

/* Registers a renderer for one status, or for every status with status 0 (a renderer for
 * the exact status wins). It applies wherever the plugin is loaded for a location. */
OPENAPI_API void openapi_register_error_renderer(openapi_plugin_context *ctx, int status,
                                                 openapi_error_renderer_fn render,
                                                 void *baton);

/* ---- security functions ----
 *
 * A security scheme of the spec names the plugin function that checks its credentials,
 * as Connexion does (x-tokenInfoFunc: "PLUGIN.function", ...), or a location gives a
 * default (OpenAPITokenInfoFunc, ...). Each returns the token info, a new JSON object
 * reference, or NULL when the credentials are not valid. Token info as in Connexion and
 * RFC 7662: the user in "sub" (or "uid"), the scopes in "scope" (space-separated) or
 * "scopes" (an array or a string); "active": false and an "exp" in the past make the
 * credentials invalid (the module checks). request_rec is httpd's (as void *). The
 * credentials must never be logged or put into the token info. */

/* x-tokenInfoFunc (oauth2) and x-bearerInfoFunc (http bearer, openIdConnect). */
typedef json_t *(*openapi_token_info_fn)(void *request_rec, const char *token);

/* x-basicInfoFunc; required_scopes are the requirement's scopes (roles), maybe none. */
typedef json_t *(*openapi_basic_info_fn)(void *request_rec, const char *user,
                                         const char *password,
                                         const char *const *required_scopes, int scope_count);

/* x-apikeyInfoFunc. */
typedef json_t *(*openapi_apikey_info_fn)(void *request_rec, const char *key,
                                          const char *const *required_scopes,
                                          int scope_count);

/* x-scopeValidateFunc: 1 when the granted scopes satisfy the required ones (replaces the
 * default rule: every required scope granted). */
typedef int (*openapi_scope_validate_fn)(const char *const *required, int required_count,
                                         const char *const *granted, int granted_count);

/* Called by a security function (before it returns NULL) when it cannot check the
 * credentials now, e.g. its user store is down: the request is answered 503 (an RFC 9457
 * problem, with Retry-After when retry_after_seconds > 0) instead of 401. */
OPENAPI_API void openapi_credentials_unavailable(void *request_rec, long retry_after_seconds);

/* Compares secrets in time that does not depend on where they differ. 1 when equal. */
OPENAPI_API int openapi_secure_equals(const void *a, size_t a_length, const void *b,
                                      size_t b_length);

/* ---- the request ---- */

/* Every declared path, query, header and cookie parameter present in the request (or
 * defaulted), by its handler name (Connexion's sanitation: "$top" is "top"), deserialized
 * by its style, typed as its schema says (integer, number, boolean, string, array, object,
 * null) and validated. An OpenAPI 3.2 `in: querystring` parameter is the whole query
 * string read by its media type (form fields: an object; JSON: the document; else the
 * decoded text). A borrowed reference; never NULL (an empty object at least). */
OPENAPI_API json_t *openapi_params(const openapi_request *req);

/* One parameter by handler name; a borrowed reference, NULL when absent. The parsed body
 * is also a parameter, named by x-body-name (2.0: the body parameter's name; else
 * "body"), unless a declared parameter has that name. */
OPENAPI_API json_t *openapi_param(const openapi_request *req, const char *name);

/* The request body parsed by its media type and validated, borrowed: the JSON value for
 * JSON types, an object of fields for forms (application/x-www-form-urlencoded and
 * multipart/form-data), a string for text/plain, the array of items for sequential types
 * (application/jsonl, application/x-ndjson, application/json-seq: JSON values;
 * text/event-stream: event objects). NULL when the request has no body or
 * its type is not parsed (application/octet-stream: use openapi_body). */
OPENAPI_API json_t *openapi_body_json(const openapi_request *req);

/* A file from a multipart/form-data body. */
typedef struct openapi_upload {
    const char *field;        /* the form field's name */
    const char *filename;     /* as the client sent it, or NULL */
    const char *content_type; /* the part's type ("text/plain" when it gives none) */
    const char *data;         /* the bytes (not NUL-terminated) */
    size_t size;
} openapi_upload;

/* How many files the body carried, and each of them. */
OPENAPI_API int openapi_upload_count(const openapi_request *req);
OPENAPI_API const openapi_upload *openapi_upload_at(const openapi_request *req, int index);

/* The first file of a form field, or NULL. */
OPENAPI_API const openapi_upload *openapi_upload_get(const openapi_request *req,
                                                     const char *field);

/* The raw request body and its length; NULL (and 0) when there is none. */
OPENAPI_API const char *openapi_body(const openapi_request *req, size_t *length);

/* A request header (case-insensitive name) or NULL. */
OPENAPI_API const char *openapi_header(const openapi_request *req, const char *name);

/* "GET", "POST", ... as sent, an OpenAPI 3.2 additionalOperations method ("PURGE") too
 * (HEAD is answered by the GET handler). */
OPENAPI_API const char *openapi_method(const openapi_request *req);

/* The operationId, and the path template that matched ("/pets/{petId}"). */
OPENAPI_API const char *openapi_operation_id(const openapi_request *req);
OPENAPI_API const char *openapi_path_template(const openapi_request *req);

/* The request's pool: memory lives until the response is sent. */
OPENAPI_API apr_pool_t *openapi_pool(const openapi_request *req);

/* The authenticated user (also r->user and the OPENAPI_USER environment variable), or
 * NULL for an open operation or an anonymous request to an optional one. */
OPENAPI_API const char *openapi_user(const openapi_request *req);

/* The token info the security function returned for the passing credentials (borrowed),
 * or NULL. */
OPENAPI_API json_t *openapi_token_info(const openapi_request *req);

/* The media type chosen from the client's Accept header among those the operation's
 * success response declares (the module has already answered 406 when none fits); NULL
 * when it declares none. A handler that can produce several types writes this one. */
OPENAPI_API const char *openapi_response_type(const openapi_request *req);

/* The underlying httpd request_rec (as void * so that plugins need not include httpd.h;
 * cast it to request_rec *). */
OPENAPI_API void *openapi_request_rec(const openapi_request *req);

/* ---- the response ---- */

/* The HTTP status (default 200). */
OPENAPI_API void openapi_set_status(openapi_response *res, int status);

/* Adds a response header (the value is copied). */
OPENAPI_API void openapi_add_header(openapi_response *res, const char *name, const char *value);

/* A JSON body, serialized as the operation's JSON media type (application/json unless
 * the spec says another +json type). Steals the reference. */
OPENAPI_API void openapi_set_json(openapi_response *res, json_t *body);

/* An RFC 9457 problem+json answer: {"type": "about:blank", "title", "status", "detail"}.
 * title and detail may be NULL (title then defaults to the status's reason phrase). */
OPENAPI_API void openapi_problem(openapi_response *res, int status, const char *title,
                                 const char *detail);

/* The same with every member of RFC 9457: type (a URI; NULL for "about:blank"),
 * instance (NULL to leave out) and extension members (an object whose members are added;
 * NULL for none; the reference is stolen). */
OPENAPI_API void openapi_problem_full(openapi_response *res, int status, const char *type,
                                      const char *title, const char *detail,
                                      const char *instance, json_t *extensions);

/* For operations that are an OAuth 2 token endpoint (RFC 6749 section 5.1): the
 * successful token response, JSON with Cache-Control: no-store and Pragma: no-cache.
 * expires_in < 0, refresh_token NULL and scope NULL are left out. OPENAPI_ERROR when
 * access_token or token_type is missing. */
OPENAPI_API int openapi_token_response(openapi_response *res, const char *access_token,
                                       const char *token_type, long long expires_in,
                                       const char *refresh_token, const char *scope);

/* A section 5.2 error: code is invalid_request, invalid_client, invalid_grant,
 * unauthorized_client, unsupported_grant_type or invalid_scope (OPENAPI_ERROR for
 * another). invalid_client is a 401 whose WWW-Authenticate names the scheme the client
 * authenticated with (Basic when it sent its credentials in the body). */
OPENAPI_API int openapi_token_error(openapi_request *req, openapi_response *res,
                                    const char *code, const char *description);

/* An authorization endpoint error (RFC 6749 section 4.1.2.1): a 302 to redirect_uri with
 * error, error_description, error_uri and state added to its query — but only when
 * redirect_uri is exactly one of the registered ones (a NULL-terminated list) and valid
 * (absolute, no fragment, http or https); otherwise the user is answered directly with a
 * 400 JSON error saying why, never redirected. description, error_uri and state may be
 * NULL. */
OPENAPI_API void openapi_authorization_error(openapi_response *res, const char *redirect_uri,
                                             const char *const *registered_uris,
                                             const char *error, const char *description,
                                             const char *error_uri, const char *state);

/* Raw bytes with a content type (NULL: the operation's single declared media type). The
 * bytes are copied. */
OPENAPI_API void openapi_set_body(openapi_response *res, const char *content_type,
                                  const void *data, size_t length);

#ifdef __cplusplus
}
#endif

#endif
