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

/* Per-directory fields, a member of glue_dir_conf: their unset values, defaults and merge
 * rules are in mod_openapi_directives.c' tables like every other field's. */
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

#endif
