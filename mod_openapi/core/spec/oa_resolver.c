/* RestyResolver names (oa_resolver.h): a pure function of method and path template, so
 * that the module and openapi-check compose the same symbol. Cost: linear in the path. */
#include "spec/oa_resolver.h"

#include <apr_lib.h>
#include <apr_strings.h>
#include <string.h>

static int is_identifier_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

int oa_is_c_identifier(const char *name)
{
    const unsigned char *p = (const unsigned char *)name;
    if (!name || !*p || (*p >= '0' && *p <= '9'))
        return 0;
    for (; *p; p++)
        if (!is_identifier_byte(*p))
            return 0;
    return 1;
}

const char *oa_resty_name(apr_pool_t *pool, const char *method, const char *path_template)
{
    size_t length = strlen(path_template) + strlen(method);
    /* the resource, '_', the suffix, a leading '_' and the terminator fit in this */
    char *name = apr_palloc(pool, length + 16);
    char *out = name + 1; /* room for a leading '_' */
    const char *p = path_template;
    const char *method_name = method;
    int last_is_literal = 0;
    char *start;

    while (*p) {
        const char *segment;
        size_t n;
        while (*p == '/')
            p++;
        segment = p;
        while (*p && *p != '/')
            p++;
        n = (size_t)(p - segment);
        if (n == 0)
            continue;
        last_is_literal = memchr(segment, '{', n) == NULL;
        if (!last_is_literal)
            continue;
        if (out > name + 1)
            *out++ = '_';
        for (; segment < p; segment++)
            *out++ = is_identifier_byte((unsigned char)*segment) ? *segment : '_';
    }
    if (out > name + 1)
        *out++ = '_';
    if (strcmp(method, "GET") == 0 && last_is_literal) {
        memcpy(out, "search", 6);
        out += 6;
    }
    else {
        /* an extension method's token may hold '-', '!', ...: made '_' as in the path */
        for (; *method_name; method_name++)
            *out++ = is_identifier_byte((unsigned char)*method_name)
                         ? (char)apr_tolower(*method_name) : '_';
    }
    *out = '\0';
    start = name + 1;
    if (*start >= '0' && *start <= '9')
        *--start = '_';
    return start;
}

int oa_handler_plugin(const oa_operation *op, const char *resolver_plugin,
                      const char **plugin, const char **function)
{
    *plugin = op->plugin;
    *function = op->function;
    if (op->plugin)
        return 1;
    if (!resolver_plugin || !*resolver_plugin)
        return 0;
    *plugin = op->controller ? op->controller : resolver_plugin;
    *function = op->operation_id;
    return 1;
}
