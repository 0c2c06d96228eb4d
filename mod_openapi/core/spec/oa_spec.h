/* The internal model of an API: OpenAPI 2.0 and 3.0/3.1/3.2 specs normalized into one shape
 * (operations with their parameters, request body and responses) that the router,
 * validators and the httpd glue share. Built once at config time by oa_spec_load.h and
 * oa_spec_compile.h; read-only afterwards. */
#ifndef OA_SPEC_H
#define OA_SPEC_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <jansson.h>

#include "util/oa_diag.h"
#include "doc/oa_docset.h"

typedef enum oa_method {
    OA_METHOD_GET,
    OA_METHOD_PUT,
    OA_METHOD_POST,
    OA_METHOD_DELETE,
    OA_METHOD_OPTIONS,
    OA_METHOD_HEAD,
    OA_METHOD_PATCH,
    OA_METHOD_TRACE,
    OA_METHOD_QUERY, /* OpenAPI 3.2: the path item's `query` */
    OA_METHOD_COUNT,
    /* a method without a fixed field (3.2 additionalOperations: PURGE, LINK, ...), or none */
    OA_METHOD_UNKNOWN = OA_METHOD_COUNT
} oa_method;

/* "get" / "GET" -> OA_METHOD_GET; OA_METHOD_UNKNOWN otherwise (case-insensitive: for the
 * path item's field names). */
oa_method oa_method_from_name(const char *name);
/* "GET" -> OA_METHOD_GET, "get" -> OA_METHOD_UNKNOWN: a request's method, which is
 * case-sensitive (RFC 9110 section 9.1). */
oa_method oa_method_from_request(const char *name);
/* OA_METHOD_GET -> "GET" */
const char *oa_method_name(oa_method method);
/* Whether name is an HTTP method token (RFC 9110: 1*tchar). */
int oa_method_is_token(const char *name);

typedef enum oa_param_location {
    OA_IN_PATH,
    OA_IN_QUERY,
    OA_IN_HEADER,
    OA_IN_COOKIE,
    OA_IN_FORM_DATA, /* OpenAPI 2.0 formData */
    OA_IN_BODY,      /* OpenAPI 2.0 body */
    OA_IN_QUERYSTRING /* OpenAPI 3.2: the whole query string as one value (`content`) */
} oa_param_location;

const char *oa_param_location_name(oa_param_location in);

struct oa_schema; /* oa_schema.h: a compiled schema */
struct oa_shape;  /* oa_cast.h: the types a value's parts are cast to */

/* A schema inside the document set, with the base URI its $refs resolve against. */
typedef struct oa_schema_ref {
    json_t *node;     /* NULL when absent */
    const char *base; /* URI of the document (or resource) holding node */
} oa_schema_ref;

typedef struct oa_parameter {
    const char *name;         /* as the spec writes it */
    const char *handler_name; /* the name a handler sees (sanitized, x-body-name) */
    oa_param_location in;
    int required;
    oa_schema_ref schema;     /* 3.x: schema; 2.0: a schema made from the parameter itself */
    json_t *resolved_schema;  /* schema.node with its $refs followed (for casting) */
    json_t *node;             /* the (resolved) parameter object */
    const char *style;        /* 3.x style, defaulted per location; NULL for 2.0 */
    int explode;
    const char *collection_format; /* 2.0, defaults to "csv"; NULL for 3.x */
    int allow_empty_value;
    int nullable;             /* nullable (3.0 schema) or x-nullable (2.0) */
    struct oa_schema *compiled; /* filled by oa_spec_compile; NULL when there is no schema */
    const struct oa_shape *shape; /* filled by oa_spec_compile: types for casting the text
                                     ($refs followed); NULL when there is no schema */
    const char *content_type; /* 3.x `content` parameter: its media type name, else NULL */
    json_t *content_encoding; /* querystring: content.<media>.encoding (form fields), or NULL */
} oa_parameter;

/* One media type a request body may have (3.x requestBody.content; 2.0 consumes with the
 * body parameter's schema, or the formData parameters made into an object schema). */
typedef struct oa_media_type {
    const char *name;           /* a type, or a range (type/'*', '*'/'*') */
    oa_schema_ref schema;       /* schema.node NULL when the spec gives none */
    struct oa_schema *compiled; /* filled by oa_spec_compile */
    json_t *encoding;           /* 3.x encoding object, or NULL */
    json_t *node;               /* the media type object (3.x), or NULL */
    const struct oa_shape *shape; /* filled by oa_spec_compile; NULL without a schema */
    oa_schema_ref item_schema;  /* 3.2 itemSchema: each item of a sequential media type
                                   (util/oa_sequence.h); node NULL when absent */
    struct oa_schema *item_compiled; /* filled by oa_spec_compile */
} oa_media_type;

/* A header a response declares (3.x header object; 2.0 header, made into a schema). */
typedef struct oa_response_header {
    const char *name;
    int required;
    oa_schema_ref schema;
    struct oa_schema *compiled; /* filled by oa_spec_compile */
} oa_response_header;

/* One entry of an operation's responses object. */
typedef struct oa_response {
    const char *status;          /* the key as written: "200", "2XX", "default" */
    int code;                    /* 200 for "200", 2 for "2XX", 0 for "default" */
    apr_array_header_t *media;   /* of oa_media_type *: 3.x content; 2.0 one per
                                    `produces` entry with the response's schema */
    apr_array_header_t *headers; /* of oa_response_header * */
    json_t *node;                /* the (resolved) response object */
} oa_response;

/* ---- security (OpenAPI 2.0 securityDefinitions and 3.0 components.securitySchemes,
 * normalized; docs/security.md) ---- */

typedef enum oa_security_kind {
    OA_SECURITY_BASIC,  /* 2.0 basic, 3.0 http basic */
    OA_SECURITY_BEARER, /* 3.0 http bearer (any bearerFormat) and openIdConnect */
    OA_SECURITY_APIKEY, /* apiKey in a header, the query or a cookie */
    OA_SECURITY_OAUTH2, /* oauth2, every flow */
    OA_SECURITY_MUTUAL_TLS /* 3.1+ mutualTLS: a client certificate that the TLS layer
                              (mod_ssl, SSLVerifyClient) verified */
} oa_security_kind;

/* OA_SECURITY_BASIC -> "basic", ... */
const char *oa_security_kind_name(oa_security_kind kind);

typedef struct oa_security_scheme {
    const char *name;            /* the key it is declared under */
    oa_security_kind kind;
    int open_id_connect;         /* 3.0 openIdConnect (kind is OA_SECURITY_BEARER) */
    const char *open_id_connect_url;
    const char *bearer_format;   /* 3.0 http bearer: bearerFormat, or NULL */
    oa_param_location api_key_in; /* apikey: OA_IN_HEADER, OA_IN_QUERY or OA_IN_COOKIE */
    const char *api_key_name;    /* apikey: the header, query parameter or cookie name */
    apr_array_header_t *scopes;  /* of const char *: oauth2 scopes declared, the union over
                                    every flow, each once; empty for other kinds */
    apr_array_header_t *token_urls; /* of const char *: tokenUrl and refreshUrl of each
                                       flow, each once */
    /* Connexion's extensions, as written on the scheme (NULL when absent) */
    const char *token_info_func;     /* x-tokenInfoFunc */
    const char *scope_validate_func; /* x-scopeValidateFunc */
    const char *basic_info_func;     /* x-basicInfoFunc */
    const char *apikey_info_func;    /* x-apikeyInfoFunc */
    const char *bearer_info_func;    /* x-bearerInfoFunc */
    const char *token_info_url;      /* x-tokenInfoUrl */
    json_t *node;                /* the (resolved) scheme object */
    const char *base;            /* base URI of the document node is in */
} oa_security_scheme;

/* One scheme inside a requirement object, with the scopes (3.0: or roles) it needs. */
typedef struct oa_security_use {
    const oa_security_scheme *scheme;
    apr_array_header_t *scopes; /* of const char * */
} oa_security_use;

/* One requirement object: its schemes must all pass (AND). An empty object (`{}`) is
 * the anonymous alternative that makes authentication optional. */
typedef struct oa_security_requirement {
    apr_array_header_t *uses; /* of oa_security_use, in the order written */
    json_t *node;             /* the requirement object */
} oa_security_requirement;

typedef struct oa_operation {
    oa_method method;          /* OA_METHOD_UNKNOWN for an additionalOperations method */
    const char *method_name;   /* as requests send it: "GET", "PURGE"; oa_operation_method */
    const char *path;          /* the path template, e.g. "/pets/{petId}" */
    const char *operation_id;  /* NULL when the spec gives none */
    const char *plugin;        /* the part of the handler name before its last '.', or NULL */
    const char *function;      /* the part after it, or NULL */
    const char *controller;    /* x-openapi-router-controller (or x-swagger-), or NULL */
    apr_array_header_t *parameters; /* of oa_parameter *; path-level merged in */
    json_t *request_body;      /* 3.x requestBody (resolved), or NULL */
    const char *request_body_base;
    apr_array_header_t *request_media; /* of oa_media_type *; empty when no body is declared */
    int request_body_required;
    const char *body_name;     /* the handler name of the body: x-body-name, 2.0's body
                                  parameter name, or "body" */
    json_t *responses;         /* the responses object, or NULL */
    const char *responses_base;
    apr_array_header_t *response_list; /* of oa_response *, in the order written */
    json_t *node;              /* the operation object */
    const char *base;          /* base URI of the operation's document */
    oa_position position;      /* where the operation is written */
    int index;                 /* position in oa_spec.operations */
    /* Effective security: the operation's `security`, else the spec's. Alternatives are
     * OR-ed in the order written; `{}` entries are kept (empty uses). */
    const apr_array_header_t *security; /* of oa_security_requirement * */
    int security_optional;     /* a `{}` is among the alternatives */
    int security_open;         /* no requirement applies (`security: []`, or none given) */
    int token_endpoint;        /* POST at a flow's tokenUrl, or x-oauth2-token-endpoint */
} oa_operation;

typedef struct oa_router oa_router;

typedef struct oa_spec {
    apr_pool_t *pool;
    const char *file;          /* as given */
    const char *uri;           /* file:// URI of the root document */
    int major;                 /* 2 or 3 */
    int minor;                 /* 3.x: 0, 1 or 2 (webhooks, no paths, JSON Schema 2020-12
                                  from 1 on); 0 for 2.0 */
    const char *version;       /* "2.0", "3.0.3", ... */
    const char *title;         /* info.title */
    const char *base_path;     /* "" or "/v1": no trailing slash */
    json_t *root;
    oa_docset *docs;
    apr_array_header_t *operations; /* of oa_operation * */
    oa_router *router;
    struct oa_schema_registry *registry; /* what compiled its schemas (oa_spec_compile) */
    apr_array_header_t *security_schemes; /* of oa_security_scheme *, as declared */
    const apr_array_header_t *security;   /* of oa_security_requirement *: the top-level
                                             `security` (empty when absent) */
} oa_spec;

/* The operation's HTTP method as requests send it ("GET", "PURGE"): for every message,
 * log line and handler name that shows it. */
const char *oa_operation_method(const oa_operation *op);

/* The security scheme declared under name, or NULL. */
const oa_security_scheme *oa_spec_security_scheme(const oa_spec *spec, const char *name);

/* The operation written for a method under a path template ("/pets/{petId}"), or NULL. */
oa_operation *oa_spec_find_operation(const oa_spec *spec, oa_method method,
                                     const char *path_template);
/* The same by the method's name, case-sensitively ("PURGE"). */
oa_operation *oa_spec_find_operation_named(const oa_spec *spec, const char *method,
                                           const char *path_template);

/* Adds an error at the position of node (the spec's file when the node is made up). */
void oa_spec_error_at(const oa_spec *spec, oa_diag *diag, const json_t *node,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Position of a node for error messages ("FILE:LINE:COL" parts). */
void oa_spec_position(const oa_spec *spec, const json_t *node, oa_position *position);

#endif
