/* Internal declarations shared by the httpd glue files. */
#ifndef OA_GLUE_H
#define OA_GLUE_H

#include <httpd.h>
#include <http_config.h>
#include <apr_dso.h>
#include <apr_hash.h>

#include "util/oa_buffer.h"
#include "openapi_plugin.h"
#include "request/oa_request.h"
#include "spec/oa_router.h"
#include "doc/oa_template.h"
#include "spec/oa_spec.h"

#include "mod_openapi_devex.h"

/* Our own stable message tags (httpd's AHnnnnn numbers belong to httpd's modules). */
#define OA_LOGNO(n) "OAPI" #n ": "

/* Exported although the module is built with -fvisibility=hidden: httpd looks it up. */
extern __attribute__((visibility("default"))) module AP_MODULE_DECLARE_DATA openapi_module;

/* A custom format a plugin registered. */
typedef struct glue_plugin_format {
    const char *name;
    openapi_format_check_fn check;
    void *baton;
} glue_plugin_format;

/* An error renderer a plugin registered. */
typedef struct glue_error_renderer {
    int status; /* 0: every status */
    openapi_error_renderer_fn render;
    void *baton;
} glue_error_renderer;

/* A loaded handler plugin. */
typedef struct glue_plugin {
    const char *name;
    const char *file;
    apr_dso_handle_t *handle;
    apr_array_header_t *formats; /* of glue_plugin_format */
    apr_array_header_t *renderers; /* of glue_error_renderer */
    openapi_resolver_fn resolve;   /* its openapi_plugin_resolve, or NULL */
} glue_plugin;

/* What openapi_plugin_init receives. */
struct openapi_plugin_context {
    apr_pool_t *pool;
    glue_plugin *plugin;
};

/* What serves one location: the spec, its base path, a handler per operation. Built at
 * config time (check_config), read-only afterwards, shared by all threads. */
typedef struct glue_api {
    oa_spec *spec;
    const char *base_path;
    openapi_handler_fn *handlers; /* by oa_operation.index; NULL when unresolved */
    const char **handler_names;   /* "plugin.function" by oa_operation.index, or NULL */
    const char *where;            /* the config section, for log messages */
    oa_request_options request_options;
    apr_off_t max_body;           /* bytes; the smaller of ours and LimitRequestBody wins */
    int validate_responses;
    int mock;                     /* glue_mock_mode */
    int stub;
    apr_int64_t mock_seed;        /* OpenAPIMockSeed; < 0: dynamic mocks at random */
    apr_hash_t *renderers;        /* int status (0: all) -> const glue_error_renderer * */
    struct oa_mock_result *mocks; /* mock mode: each operation's answer for its default
                                     media type, by oa_operation.index (status 0: none) */
    apr_hash_t *scheme_checks;    /* oa_security_scheme * -> glue_scheme_check * */
    apr_array_header_t *basic_providers; /* of const char *: httpd authn providers */
    int auth_error_format;        /* oa_auth_body_format */
    const char *auth_error_template; /* OpenAPIAuthErrorTemplate's text, or NULL */
    const glue_devex_api *devex;  /* the spec endpoints' bundled spec (devex.c) */
    glue_devex_conf devex_conf;   /* spec endpoints, Swagger UI, CORS: resolved */
    int bearer_token_from;        /* glue_token_source bits */
    int dispatch;                 /* glue_dispatch: OpenAPIDispatch */
    char *to_backend;             /* gateway.c: by oa_operation.index, 1 for the backend */
    int any_backend;              /* some operation goes to the backend */
    int report_only;              /* OpenAPIValidationMode report */
    const apr_array_header_t *backend_headers; /* of glue_backend_header */
    apr_off_t max_response_body;  /* bytes of a backend's JSON response held to validate */
    json_t *kept;                 /* jansson values made for this location (mock bodies),
                                     released with it (glue_api_keep) */
} glue_api;

typedef enum glue_dispatch {
    GLUE_DISPATCH_PLUGIN,  /* operations are answered by plugin functions */
    GLUE_DISPATCH_BACKEND  /* by httpd's own handler (proxy, CGI, files), unless a plugin
                              function resolves or the operation says otherwise */
} glue_dispatch;

/* OpenAPIBackendHeader: what the gateway tells the backend, and under which header. */
typedef struct glue_backend_header {
    const char *what;   /* "user", "scopes", "operation" or "claim:NAME" */
    const char *header; /* NULL: not sent ("off") */
} glue_backend_header;

/* A token checked over HTTP (introspect.c): x-tokenInfoUrl (GET with the token as a
 * Bearer credential) or an RFC 7662 introspection endpoint (POST, Basic client
 * authentication), answers cached in an socache. Built at config time, read-only after. */
typedef struct glue_token_cache glue_token_cache;
typedef struct glue_token_remote {
    const char *url;
    const char *client_id;      /* NULL: x-tokenInfoUrl; else RFC 7662 introspection */
    const char *client_secret;
    glue_token_cache *cache;
    apr_interval_time_t ttl;    /* the longest an answer is cached */
} glue_token_remote;

/* How one security scheme's credentials are checked: the plugin functions resolved at
 * config time; none for Basic means httpd's authn providers. */
typedef struct glue_scheme_check {
    openapi_token_info_fn token_info;   /* oauth2 (x-tokenInfoFunc) or bearer */
    openapi_basic_info_fn basic_info;
    openapi_apikey_info_fn apikey_info;
    openapi_scope_validate_fn scope_validate;
    int presence_only;                  /* mock/stub mode without a function */
    const glue_token_remote *remote;      /* tokens checked over HTTP, or NULL */
    const struct glue_jwt_check *jwt;   /* JWT access tokens checked here, or NULL */
} glue_scheme_check;

/* Where bearer tokens are taken from (RFC 6750 section 2): the Authorization header
 * always; the form body (2.2) and the URI query (2.3) only when a location opts in. */
typedef enum glue_token_source {
    OA_TOKEN_FROM_HEADER = 1,
    OA_TOKEN_FROM_FORM = 2,
    OA_TOKEN_FROM_QUERY = 4
} glue_token_source;

/* OpenAPIMockSeed random: dynamic mocks differ on every request (the default). */
#define OA_MOCK_RANDOM_SEED (-2)

typedef enum glue_mock_mode {
    OA_MOCK_OFF,
    OA_MOCK_ALL,          /* every operation answers from the spec's examples */
    OA_MOCK_UNIMPLEMENTED /* only operations without a handler do */
} glue_mock_mode;

/* Per-directory configuration, one per section; mod_openapi_directives.c holds, for every
 * field, its unset value (glue_dir_unset: GLUE_UNSET or NULL, "inherit"), its default
 * (glue_dir_defaults) and its merge rule (glue_merge_dir_conf); build/check-config.py
 * checks that none is missing. */
#define GLUE_UNSET (-1)
typedef struct glue_dir_conf {
    const char *spec_file;
    oa_spec *spec;            /* loaded when the directive is read; NULL for a spec with
                                 arguments, loaded with them when the API is built */
    apr_hash_t *arguments;    /* OpenAPIArgument: name -> value, this section's own */
    apr_hash_t *plugins;      /* name -> glue_plugin *: this section's own */
    const char *base_path;
    int uri_parser;           /* oa_uri_parser */
    int strict_validation;    /* 0/1 */
    apr_off_t max_body;       /* bytes */
    int validate_responses;   /* 0/1 */
    int mock;                 /* glue_mock_mode */
    int stub;                 /* 0/1 */
    const char *default_funcs[5]; /* OpenAPITokenInfoFunc ... by glue_security_func */
    apr_array_header_t *basic_providers; /* OpenAPIBasicProvider: of const char * */
    int auth_error_format;    /* oa_auth_body_format */
    const char *auth_error_template; /* a JSON text with placeholders */
    const char *introspect_url;      /* OpenAPITokenIntrospection URL ID SECRET */
    const char *introspect_client_id;
    const char *introspect_client_secret;
    const char *token_cache;         /* OpenAPITokenCache PROVIDER[:ARGS] */
    int token_cache_ttl;             /* OpenAPITokenCacheTTL seconds */
    int bearer_token_from;           /* OpenAPIBearerTokenFrom: glue_token_source bits */
    int max_errors;                  /* OpenAPIMaxErrors: errors listed in a 400 */
    int fill_defaults;               /* OpenAPIFillDefaults 0/1 */
    const char *jwt_jwks;            /* OpenAPIJWKS: an http(s) URI or a file */
    apr_array_header_t *jwt_issuers;   /* OpenAPIJWTIssuer, of const char * */
    apr_array_header_t *jwt_audiences; /* OpenAPIJWTAudience, of const char * */
    int jwt_algorithms;              /* OpenAPIJWTAlgorithms: oa_jws_alg bits; 0: by the
                                        keys (asymmetric with a JWK Set, HMAC with a
                                        secret) */
    int jwt_leeway;                  /* OpenAPIJWTLeeway seconds */
    int jwt_require_at_jwt;          /* OpenAPIJWTRequireType 0/1 */
    const char *jwt_user_claim;      /* OpenAPIJWTUserClaim (NULL: sub) */
    const char *jwt_scope_claim;     /* OpenAPIJWTScopeClaim (NULL: scope, else scp) */
    const char *jwt_secret;          /* OpenAPIJWTSharedSecret (HS256/384/512) */
    int jwt_refresh;                 /* OpenAPIJWKSRefresh seconds */
    int jwt_refresh_min;             /* OpenAPIJWKSRefreshInterval seconds */
    glue_devex_conf devex;           /* spec endpoints, Swagger UI, CORS (mod_openapi_devex.h) */
    const char *resolver_plugin;     /* OpenAPIResolver resty PLUGIN; "" for off */
    apr_int64_t mock_seed;           /* OpenAPIMockSeed N (>= 0); OA_MOCK_RANDOM_SEED */
    int dispatch;                    /* glue_dispatch */
    int validation_mode_report;      /* OpenAPIValidationMode: 0 enforce, 1 report */
    apr_array_header_t *backend_headers; /* OpenAPIBackendHeader: of glue_backend_header */
    apr_off_t max_response_body;     /* OpenAPIMaxResponseBodySize bytes */
    const char *section;      /* "<Location /v1> at FILE:LINE": set by any of our directives */
    glue_api *api;              /* built by check_config; inherited when NULL */
} glue_dir_conf;

/* The security functions a location may default (Connexion's TOKENINFO_FUNC, ...). */
typedef enum glue_security_func {
    OA_FUNC_TOKEN_INFO,
    OA_FUNC_BEARER_INFO,
    OA_FUNC_BASIC_INFO,
    OA_FUNC_APIKEY_INFO,
    OA_FUNC_SCOPE_VALIDATE,
    OA_FUNC_COUNT
} glue_security_func;

/* The stages of a request whose times LogLevel openapi:trace1 shows. */
typedef enum glue_stage {
    GLUE_STAGE_ROUTE,
    GLUE_STAGE_SECURITY,
    GLUE_STAGE_VALIDATION,
    GLUE_STAGE_HANDLER,         /* the handler, the mock or the stub */
    GLUE_STAGE_RESPONSE_CHECK,  /* serialization and OpenAPIValidateResponses */
    GLUE_STAGE_SEND,
    GLUE_STAGE_COUNT
} glue_stage;

/* Per-request state, kept in r->request_config. */
struct openapi_request {
    request_rec *r;
    const glue_api *api;
    const char *api_path;        /* the raw path below the base path */
    oa_operation *operation;
    oa_route_match match;
    json_t *params;              /* handler name -> value */
    json_t *body_json;           /* the parsed body (JSON value or form fields) */
    const char *body;            /* raw bytes as received */
    apr_size_t body_length;
    int body_read;               /* the body was read (for a form token, before security) */
    int auth_unavailable;        /* a security function said it cannot check now */
    long auth_retry_after;       /* its Retry-After in seconds, 0 when unknown */
    apr_array_header_t *uploads; /* of openapi_upload */
    const char *response_type;   /* negotiated from Accept, or NULL */
    const char *user;            /* authenticated user, or NULL */
    json_t *token_info;          /* the passing credentials' token info, or NULL */
    const char *error_content_type; /* the true type of an error body we made */
    int timing;                  /* stage timings are taken (LogLevel openapi:trace1) */
    apr_time_t stage_mark;       /* when the stage being timed began */
    apr_interval_time_t stage_usec[GLUE_STAGE_COUNT];
    unsigned stages_done;        /* bits by glue_stage */
    int body_streamed;           /* gateway: the body is left for the backend to read */
};

struct openapi_response {
    int status;
    apr_table_t *headers;
    json_t *json;
    const char *content_type;
    const char *body;
    apr_size_t body_length;
};

/* directives.c */
extern const command_rec glue_directives[];
void *glue_create_dir_conf(apr_pool_t *pool, char *dir);
void *glue_merge_dir_conf(apr_pool_t *pool, void *parent, void *child);
/* Checks a directive's context and names the section for messages (any directive of
 * ours marks its section as one that uses the module). */
const char *glue_note_section(cmd_parms *cmd, glue_dir_conf *conf);
/* A directive's number: decimal digits only, from min to max. NULL with *value set, or
 * the error "NAME: 'TEXT' is not WHAT". */
const char *glue_directive_number(cmd_parms *cmd, const char *text, apr_int64_t min,
                                  apr_int64_t max, const char *what, apr_int64_t *value);
/* A location's merged configuration with every unset field at its default: the one place
 * defaults apply (config time). */
const glue_dir_conf *glue_dir_conf_resolve(apr_pool_t *pool, const glue_dir_conf *merged);

/* api.c */
int glue_check_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s);
/* Keeps value (takes the reference) as long as the location's API (pool: its pool), not
 * with the spec's documents, which other locations and later configurations may share. */
void glue_api_keep(apr_pool_t *pool, glue_api *api, json_t *value);
void glue_child_init(apr_pool_t *pchild, server_rec *s);

/* spec_cache.c: loaded specs shared between locations, configuration reads and
 * graceful restarts while their files are unchanged. */
/* oa_spec_load_filled, or the spec loaded before with the same path and arguments;
 * a spec loaded here is read-only once prepared (glue_spec_cache_prepare). */
oa_spec *glue_spec_cache_load(server_rec *s, apr_pool_t *pconf, apr_pool_t *ptemp,
                              const char *path, oa_template_args *args, oa_diag *diag);
/* Whether the spec is a cached one (shared: compiled without plugin formats). */
int glue_spec_cache_owns(server_rec *s, const oa_spec *spec);
/* oa_spec_prepare without plugin formats, done once for a cached spec. */
int glue_spec_cache_prepare(server_rec *s, oa_spec *spec, oa_diag *diag);
/* The spec bundled into one document (oa_spec_bundle), kept with the spec's documents;
 * made once for a cached spec. */
json_t *glue_spec_cache_bundle(server_rec *s, oa_spec *spec, oa_diag *diag);
void glue_spec_cache_register_hooks(apr_pool_t *pool);

/* plugins.c */
const char *glue_plugin_load(apr_pool_t *pool, const char *name, const char *file,
                           glue_plugin **plugin);
const char *glue_plugin_resolve(apr_pool_t *pool, const glue_plugin *plugin, const char *symbol,
                              void **address);
/* Resolves "PLUGIN.function" among the plugins of a section (a hash name -> plugin). */
const char *glue_plugin_resolve_name(apr_pool_t *pool, apr_hash_t *plugins, const char *name,
                                   void **address);

/* request.c */
void glue_register_request_hooks(apr_pool_t *pool);
/* Registers the spec's methods without a fixed field (additionalOperations) with httpd, so
 * that requests with them get a method number; an error (spec file:line:col) when httpd
 * has no numbers left. */
const char *glue_register_spec_methods(apr_pool_t *pconf, const oa_spec *spec);
/* Reads the whole body into the request pool once (413 past the limits); OK or the
 * status already answered. */
int glue_read_body(request_rec *r, openapi_request *state);

/* response.c: answers a routed, valid request (handler, mock or stub), negotiating the
 * media type, serializing, and validating the response when asked. */
int glue_answer(request_rec *r, openapi_request *state);

/* Mock mode: makes the mocked answers once, at config time (the examples never change). */
void glue_mock_prepare(apr_pool_t *pool, glue_api *api);

/* security.c */
/* Builds the checks of every security scheme of the api's spec (config time); conf is
 * the location's resolved configuration (glue_dir_conf_resolve). */
const char *glue_security_prepare(apr_pool_t *pool, glue_api *api, const glue_dir_conf *conf);
/* Decides whether the request may go on (before parameters are validated); answers
 * 400/401/403/503 itself. */
int glue_security_check(request_rec *r, openapi_request *state);
/* Whether the body must be read before security (a form token, RFC 6750 section 2.2,
 * where the location allows it). */
int glue_security_needs_body(request_rec *r, const openapi_request *state);

/* introspect.c */
void glue_introspect_register_hooks(apr_pool_t *pool);
/* Config time (pool: pconf): a remote token check; its cache PROVIDER[:ARGS] (never
 * NULL: glue_dir_conf_resolve applied the default) is looked up and created now (an error names the module to load; what names the directive or
 * scheme), and set up in post_config. client_id NULL: x-tokenInfoUrl. */
const char *glue_token_remote_make(apr_pool_t *pool, const char *what, const char *url,
                                 const char *client_id, const char *client_secret,
                                 const char *cache, int ttl_seconds,
                                 const glue_token_remote **remote);
/* Per request: the token info (a new reference) in *info and OA_AUTH_OK; OA_AUTH_INVALID
 * when a token info URL refused the token (4xx other than 408 and 429);
 * OA_AUTH_UNAVAILABLE when the endpoint cannot answer (connection, timeout, 408, 429,
 * 5xx, not JSON), with *retry_after the seconds its Retry-After said (0: none). */
int glue_token_remote_check(request_rec *r, const glue_token_remote *remote, const char *token,
                          json_t **info, long *retry_after);
/* The same socaches for other entries (JWK Sets): opened at config time; a read fills
 * data (*length: its size in, the entry's out) and returns 1 when found. */
const char *glue_token_cache_open(apr_pool_t *pconf, const char *what, const char *spec,
                                  glue_token_cache **cache);
int glue_token_cache_read(server_rec *s, glue_token_cache *cache, const char *key,
                          unsigned char *data, unsigned int *length, apr_pool_t *pool);
void glue_token_cache_write(server_rec *s, glue_token_cache *cache, const char *key,
                            apr_time_t expiry, const char *data, apr_pool_t *pool);
/* What one libcurl transfer of ours brings back: at most `limit` bytes, more fails it. */
typedef struct glue_curl_body {
    oa_buffer bytes;
    apr_size_t limit;
} glue_curl_body;
/* A libcurl handle (CURL *) set up for one GET or POST of ours: url, headers, the bounded
 * timeouts (2 s to connect, 5 s in all), no redirects, http(s) only, the answer into body
 * (made empty, in pool, to hold at most limit bytes). */
struct curl_slist;
void glue_curl_prepare(void *handle, const char *url, struct curl_slist *headers,
                       glue_curl_body *body, apr_pool_t *pool, apr_size_t limit);

/* gateway.c: OpenAPIDispatch backend */
/* Config time, for resolve_handlers: whether operation i may lack a plugin function. */
int glue_gateway_handler_optional(const glue_api *api, int i);
/* Config time, after the handlers are resolved: which operations go to the backend. */
const char *glue_gateway_prepare(apr_pool_t *pool, glue_api *api);
/* Fixups, before the body is read: 1 when it is left in the connection for the backend
 * (a media type that is not parsed), with a stand-in so a required body counts as sent. */
int glue_gateway_stream_body(request_rec *r, openapi_request *state);
/* Report mode: 1 when the violations were logged and listed and the request goes on. */
int glue_gateway_report_request(request_rec *r, openapi_request *state,
                                const oa_request_result *result);
/* Report mode in a backend location: a path or method the spec lacks is logged, listed
 * and passed on (1), instead of a 404 or 405 (0). */
int glue_gateway_report_route(request_rec *r, const openapi_request *state, int status,
                              const char *detail);
/* A valid request: 1 when it goes to the backend (identity headers set, the body replayed,
 * responses checked); 0 when a plugin answers it. */
int glue_gateway_pass(request_rec *r, openapi_request *state);
/* Adds "X-OpenAPI-Violations" (a JSON array) to headers. */
void glue_gateway_list_violations(request_rec *r, apr_table_t *headers, json_t *violations);
void glue_gateway_register_hooks(apr_pool_t *pool);

/* body_replay.c: an input filter giving the backend the body read for validation. */
void glue_body_replay_add(request_rec *r, const char *body, apr_size_t length);
void glue_body_replay_register(void);

/* response_filter.c: holds a backend's response to the spec (OpenAPIValidateResponses). */
void glue_response_filter_add(request_rec *r, openapi_request *state);
void glue_response_filter_register(void);

/* token_endpoint.c */
/* RFC 6749 section 5.2 for token endpoints: OK, or the OAuth 2 error already answered.
 * result is the request's validation (NULL before it). */
int glue_token_endpoint_check(request_rec *r, openapi_request *state,
                            const oa_request_result *result);
/* Adds Cache-Control: no-store and Pragma: no-cache. */
void glue_token_endpoint_headers(apr_table_t *headers);

/* log.c: per-request logging (debug: the match, security, validation failures; trace1:
 * the stages' times), never a secret. */
void glue_register_log_hooks(apr_pool_t *pool);
void glue_stage_start(openapi_request *state);
/* Adds the time since the last start or stage to stage. */
void glue_stage_done(openapi_request *state, glue_stage stage);
void glue_log_match(request_rec *r, const openapi_request *state);
void glue_log_no_match(request_rec *r, const openapi_request *state, int status);
struct oa_security_decision;
/* decision NULL: the operation is open. Refusals are logged where they are answered. */
void glue_log_security(request_rec *r, const openapi_request *state,
                       const struct oa_security_decision *decision);
void glue_log_invalid(request_rec *r, const openapi_request *state,
                      const oa_request_result *result);

/* errors.c */
/* Answers with an RFC 9457 problem+json body through httpd's error machinery; returns
 * status for the hook to return. detail may be NULL. */
int glue_problem(request_rec *r, int status, const char *detail, json_t *extensions);
/* Any error body of ours (already rendered) through httpd's error machinery, unless an
 * ErrorDocument is configured for the status. */
int glue_error_body(request_rec *r, int status, const char *content_type, const char *body);
void glue_register_error_hooks(apr_pool_t *pool);
/* "Not Found" for 404: the reason phrase without the code. */
const char *glue_status_title(int status);
/* The request's state, or NULL; _create makes it when there is none yet. */
openapi_request *glue_request_state(request_rec *r);
openapi_request *glue_request_state_create(request_rec *r);

#endif
