/* Developer experience: the spec endpoints ({base}/openapi.json ...), the Swagger UI
 * ({base}/ui/) and CORS. Their directives, per-directory fields and merge live here
 * (mod_openapi_devex.c); the answers in mod_openapi_spec_endpoint.c,
 * mod_openapi_swagger_ui.c and mod_openapi_cors.c. */
#ifndef OA_GLUE_DEVEX_H
#define OA_GLUE_DEVEX_H

#include <httpd.h>
#include <http_config.h>
#include <jansson.h>

struct glue_api;
struct oa_route;
struct openapi_request;

/* Where the Swagger UI's files are unless OpenAPISwaggerUIDir says otherwise (configure
 * sets it to the installed copy). */
#ifndef OA_SWAGGER_UI_DIR
#define OA_SWAGGER_UI_DIR "/usr/share/mod_openapi/swagger-ui"
#endif

/* Per-directory fields; OA_UNSET (-1) and NULL inherit (glue_devex_merge). */
typedef struct glue_devex_conf {
    int spec_endpoint;              /* OpenAPISpecEndpoint on|off; default on */
    int trust_proxy;                /* OpenAPITrustProxy on|off; default off */
    int swagger_ui;                 /* OpenAPISwaggerUI on|off; default on */
    const char *swagger_ui_dir;     /* OpenAPISwaggerUIDir; default OA_SWAGGER_UI_DIR */
    apr_table_t *ui_options;        /* OpenAPISwaggerUIOption NAME JSON, merged by name */
    apr_table_t *ui_oauth;          /* OpenAPISwaggerUIOAuth NAME JSON (initOAuth), by name */
    apr_array_header_t *cors_origins; /* OpenAPICORS: of const char *; empty: off */
    int cors_credentials;           /* OpenAPICORSCredentials on|off; default off */
    int cors_max_age;               /* OpenAPICORSMaxAge SECONDS; default 600 */
    apr_array_header_t *cors_expose; /* OpenAPICORSExposeHeaders NAME...; default none */
    apr_array_header_t *cors_allow_headers; /* OpenAPICORSAllowHeaders NAME...; default:
                                               the preflight's request headers */
} glue_devex_conf;

#define OA_DEFAULT_CORS_MAX_AGE 600

/* What a location's API keeps for the spec endpoints (built at config time). */
typedef struct glue_devex_api {
    json_t *bundled;          /* the spec as one document; owned by the spec's docset */
    const char *json_name;    /* "/openapi.json" (3.x) or "/swagger.json" (2.0) */
    const char *yaml_name;
} glue_devex_api;

void glue_devex_init(glue_devex_conf *conf);
void glue_devex_merge(apr_pool_t *pool, glue_devex_conf *merged, const glue_devex_conf *parent,
                      const glue_devex_conf *child);
/* Config time: bundles the spec for the endpoints that are on and warns when an operation
 * of the spec shadows one of them. */
const char *glue_devex_prepare(apr_pool_t *pool, struct glue_api *api,
                               const glue_devex_conf *conf);

/* The merged per-directory fields of a request. */
const glue_devex_conf *glue_devex_conf_of(request_rec *r);

/* fixups, for a path under the base path that no operation has: the spec endpoints and
 * the UI claim theirs (DECLINED: not ours). */
int glue_devex_claim(request_rec *r, struct openapi_request *state);
/* The handler of what glue_devex_claim claimed. */
void glue_devex_register_hooks(apr_pool_t *pool);

/* spec_endpoint.c / swagger_ui.c: answer a claimed request (handler). */
int glue_spec_endpoint_answer(request_rec *r, const struct glue_api *api, int yaml);
int glue_swagger_ui_answer(request_rec *r, const struct glue_api *api, const char *file);
/* The scheme://host[:port] and path prefix the client sees (proxy headers when trusted). */
void glue_public_origin(request_rec *r, const char **origin, const char **prefix);

/* cors.c: CORS headers on every answer of the API (errors too), and preflights answered
 * from the methods of the matched path (DECLINED when the request is no preflight). */
#define GLUE_CORS_PREFLIGHT_HANDLER "openapi-cors-preflight"
void glue_cors_headers(request_rec *r);
int glue_cors_preflight(request_rec *r, const struct oa_route *route);

const char *glue_devex_set_flag(cmd_parms *cmd, void *dir_conf, int on);
const char *glue_devex_set_dir(cmd_parms *cmd, void *dir_conf, const char *dir);
const char *glue_devex_set_ui_option(cmd_parms *cmd, void *dir_conf, const char *name,
                                     const char *value);
const char *glue_devex_add_list(cmd_parms *cmd, void *dir_conf, const char *value);
const char *glue_devex_set_max_age(cmd_parms *cmd, void *dir_conf, const char *value);

/* The directives, for the command table of mod_openapi_config.c (where glue_dir_conf is
 * complete); each handler finds its field by offset. */
#define GLUE_DEVEX_FIELD(name) ((void *)APR_OFFSETOF(glue_dir_conf, devex.name))
#define GLUE_DEVEX_DIRECTIVES                                                                   \
    AP_INIT_FLAG("OpenAPISpecEndpoint", glue_devex_set_flag, GLUE_DEVEX_FIELD(spec_endpoint),          \
                 RSRC_CONF | ACCESS_CONF, "On (default): serve the spec at {base}/openapi.json " \
                 "and .yaml (2.0: swagger.json and .yaml)"),                                     \
    AP_INIT_FLAG("OpenAPITrustProxy", glue_devex_set_flag, GLUE_DEVEX_FIELD(trust_proxy),              \
                 RSRC_CONF | ACCESS_CONF, "On: the served spec's servers follow Forwarded and "  \
                 "X-Forwarded-Proto/Host/Prefix (default Off)"),                                 \
    AP_INIT_FLAG("OpenAPISwaggerUI", glue_devex_set_flag, GLUE_DEVEX_FIELD(swagger_ui),                \
                 RSRC_CONF | ACCESS_CONF, "On (default): the Swagger UI at {base}/ui/"),          \
    AP_INIT_TAKE1("OpenAPISwaggerUIDir", glue_devex_set_dir, NULL, RSRC_CONF | ACCESS_CONF,     \
                  "the directory holding swagger-ui-dist's files"),                              \
    AP_INIT_TAKE2("OpenAPISwaggerUIOption", glue_devex_set_ui_option, GLUE_DEVEX_FIELD(ui_options),    \
                  RSRC_CONF | ACCESS_CONF, "NAME VALUE: a SwaggerUIBundle option (VALUE as " \
                  "JSON, else a string)"),                                                       \
    AP_INIT_TAKE2("OpenAPISwaggerUIOAuth", glue_devex_set_ui_option, GLUE_DEVEX_FIELD(ui_oauth),       \
                  RSRC_CONF | ACCESS_CONF, "NAME VALUE: an initOAuth option of the UI "       \
                  "(clientId, usePkceWithAuthorizationCodeGrant, scopes, ...)"),                \
    AP_INIT_ITERATE("OpenAPICORS", glue_devex_add_list, GLUE_DEVEX_FIELD(cors_origins),                \
                    RSRC_CONF | ACCESS_CONF, "origins allowed to call the API from a browser " \
                    "(scheme://host[:port], * for any, or off)"),                               \
    AP_INIT_FLAG("OpenAPICORSCredentials", glue_devex_set_flag, GLUE_DEVEX_FIELD(cors_credentials),    \
                 RSRC_CONF | ACCESS_CONF, "On: cross-origin requests may carry cookies and "    \
                 "Authorization (default Off)"),                                                 \
    AP_INIT_TAKE1("OpenAPICORSMaxAge", glue_devex_set_max_age, NULL, RSRC_CONF | ACCESS_CONF,   \
                  "seconds a browser may cache a preflight's answer (default 600)"),            \
    AP_INIT_ITERATE("OpenAPICORSExposeHeaders", glue_devex_add_list, GLUE_DEVEX_FIELD(cors_expose),    \
                    RSRC_CONF | ACCESS_CONF, "response headers a cross-origin page may read"),  \
    AP_INIT_ITERATE("OpenAPICORSAllowHeaders", glue_devex_add_list,                            \
                    GLUE_DEVEX_FIELD(cors_allow_headers), RSRC_CONF | ACCESS_CONF,                       \
                    "request headers allowed cross-origin (default: those the preflight asks)")

#endif
