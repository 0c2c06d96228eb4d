/* The API model's own helpers: names of methods, locations and scheme kinds, lookups and
 * source positions. Loading is oa_spec_load.c's; this file depends on nothing above doc. */
#include "spec/oa_spec.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

static const char *const method_names[OA_METHOD_COUNT] = {
    "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "QUERY"};

oa_method oa_method_from_name(const char *name)
{
    int m;
    for (m = 0; m < OA_METHOD_COUNT; m++)
        if (strcasecmp(name, method_names[m]) == 0)
            return (oa_method)m;
    return OA_METHOD_UNKNOWN;
}

oa_method oa_method_from_request(const char *name)
{
    int m;
    for (m = 0; m < OA_METHOD_COUNT; m++)
        if (strcmp(name, method_names[m]) == 0)
            return (oa_method)m;
    return OA_METHOD_UNKNOWN;
}

const char *oa_method_name(oa_method method)
{
    return method < OA_METHOD_COUNT ? method_names[method] : "UNKNOWN";
}

int oa_method_is_token(const char *name)
{
    static const char tchar[] = "!#$%&'*+-.^_`|~0123456789"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    return *name && strspn(name, tchar) == strlen(name);
}

const char *oa_operation_method(const oa_operation *op)
{
    return op->method_name ? op->method_name : oa_method_name(op->method);
}

const char *oa_param_location_name(oa_param_location in)
{
    static const char *const names[] = {"path",     "query", "header",     "cookie",
                                        "formData", "body",  "querystring"};
    return (size_t)in < sizeof(names) / sizeof(names[0]) ? names[in] : "unknown";
}


void oa_spec_position(const oa_spec *spec, const json_t *node, oa_position *position)
{
    if (!oa_docset_position(spec->docs, node, position))
        position->file = spec->file;
}

void oa_spec_error_at(const oa_spec *spec, oa_diag *diag, const json_t *node,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    oa_docset_error_va(spec->docs, diag, node, spec->file, fmt, ap);
    va_end(ap);
}

const char *oa_security_kind_name(oa_security_kind kind)
{
    static const char *const names[] = {"basic", "bearer", "apikey", "oauth2", "mutualTLS"};
    return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "unknown";
}

const oa_security_scheme *oa_spec_security_scheme(const oa_spec *spec, const char *name)
{
    int i;
    for (i = 0; spec->security_schemes && i < spec->security_schemes->nelts; i++) {
        const oa_security_scheme *scheme =
            APR_ARRAY_IDX(spec->security_schemes, i, const oa_security_scheme *);
        if (strcmp(scheme->name, name) == 0)
            return scheme;
    }
    return NULL;
}

oa_operation *oa_spec_find_operation(const oa_spec *spec, oa_method method,
                                     const char *path_template)
{
    int i;
    for (i = 0; method < OA_METHOD_COUNT && i < spec->operations->nelts; i++) {
        oa_operation *op = APR_ARRAY_IDX(spec->operations, i, oa_operation *);
        if (op->method == method && strcmp(op->path, path_template) == 0)
            return op;
    }
    return NULL;
}

oa_operation *oa_spec_find_operation_named(const oa_spec *spec, const char *method,
                                           const char *path_template)
{
    int i;
    for (i = 0; i < spec->operations->nelts; i++) {
        oa_operation *op = APR_ARRAY_IDX(spec->operations, i, oa_operation *);
        if (strcmp(oa_operation_method(op), method) == 0 &&
            strcmp(op->path, path_template) == 0)
            return op;
    }
    return NULL;
}

