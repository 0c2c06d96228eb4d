/* The benchmark's limit, case (a): a bare httpd handler doing the work of the benchmarked
 * operations with no OpenAPI machinery and no validation.
 *
 *   LoadModule bare_module .../mod_bare.so
 *   <Location /bare>
 *       SetHandler bare-json
 *   </Location>
 *
 * POST (any path): reads the body, parses it with jansson, serializes it again and
 * answers 201 application/json with it.
 * GET /bare/items/{id}?limit=N: parses id and limit by hand and answers
 * {"id":ID,"limit":N,"name":"item"} (400 for a malformed id or limit, 404 elsewhere).
 * Requests under /bare skip httpd's filesystem walk, as mod_openapi's do.
 *
 * Built by bench/httpd/run.sh, not by the project's Makefile. */
#include <httpd.h>
#include <http_config.h>
#include <http_protocol.h>
#include <http_request.h>
#include <apr_strings.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

module AP_MODULE_DECLARE_DATA bare_module;

#define BODY_LIMIT (10 * 1024 * 1024)

static int send_json(request_rec *r, int status, char *text)
{
    size_t length = strlen(text);
    apr_bucket_brigade *bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    r->status = status;
    ap_set_content_type(r, "application/json");
    ap_set_content_length(r, length);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_heap_create(text, length, free,
                                                       r->connection->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(r->connection->bucket_alloc));
    return ap_pass_brigade(r->output_filters, bb) == APR_SUCCESS ? OK : AP_FILTER_ERROR;
}

/* Reads the whole request body into the request pool. */
static int read_body(request_rec *r, char **data, apr_size_t *length)
{
    apr_size_t size = 0;
    apr_size_t capacity = 0;
    char *buffer = NULL;
    int status = ap_setup_client_block(r, REQUEST_CHUNKED_DECHUNK);
    if (status != OK)
        return status;
    if (ap_should_client_block(r)) {
        const char *declared = apr_table_get(r->headers_in, "Content-Length");
        capacity = declared ? (apr_size_t)apr_atoi64(declared) : 8192;
        if (capacity > BODY_LIMIT)
            return HTTP_REQUEST_ENTITY_TOO_LARGE;
        buffer = apr_palloc(r->pool, capacity + 1);
        for (;;) {
            long n;
            if (size == capacity) {
                char *bigger;
                if (capacity * 2 > BODY_LIMIT)
                    return HTTP_REQUEST_ENTITY_TOO_LARGE;
                bigger = apr_palloc(r->pool, capacity * 2 + 1);
                memcpy(bigger, buffer, size);
                buffer = bigger;
                capacity *= 2;
            }
            n = ap_get_client_block(r, buffer + size, capacity - size);
            if (n < 0)
                return HTTP_BAD_REQUEST;
            if (n == 0)
                break;
            size += (apr_size_t)n;
        }
        buffer[size] = '\0';
    }
    *data = buffer;
    *length = size;
    return OK;
}

static int post_json(request_rec *r)
{
    char *data = NULL;
    apr_size_t length = 0;
    json_error_t error;
    json_t *value;
    char *text;
    int status = read_body(r, &data, &length);
    if (status != OK)
        return status;
    value = data ? json_loadb(data, length, 0, &error) : NULL;
    if (!value)
        return HTTP_BAD_REQUEST;
    text = json_dumps(value, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(value);
    if (!text)
        return HTTP_INTERNAL_SERVER_ERROR;
    return send_json(r, HTTP_CREATED, text);
}

/* A decimal integer in [min, max] spanning exactly [s, end); -1 when it is not one. */
static long long parse_int(const char *s, const char *end, long long min, long long max)
{
    long long v = 0;
    if (s == end)
        return -1;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9' || v > (max - (*s - '0')) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v < min ? -1 : v;
}

static int get_item(request_rec *r)
{
    static const char prefix[] = "/bare/items/";
    const char *path = r->parsed_uri.path;
    long long id;
    long long limit = 10;
    const char *args = r->args;
    if (!path || strncmp(path, prefix, sizeof(prefix) - 1) != 0)
        return HTTP_NOT_FOUND;
    path += sizeof(prefix) - 1;
    id = parse_int(path, path + strlen(path), 1, 9007199254740991LL);
    if (id < 0)
        return HTTP_BAD_REQUEST;
    while (args && *args) {
        const char *amp = strchr(args, '&');
        const char *end = amp ? amp : args + strlen(args);
        if (strncmp(args, "limit=", 6) == 0) {
            limit = parse_int(args + 6, end, 1, 100);
            if (limit < 0)
                return HTTP_BAD_REQUEST;
        }
        args = amp ? amp + 1 : end;
    }
    {
        json_t *item = json_pack("{s:I, s:I, s:s}", "id", (json_int_t)id, "limit",
                                 (json_int_t)limit, "name", "item");
        char *text = json_dumps(item, JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(item);
        if (!text)
            return HTTP_INTERNAL_SERVER_ERROR;
        return send_json(r, HTTP_OK, text);
    }
}

static int bare_handler(request_rec *r)
{
    if (!r->handler || strcmp(r->handler, "bare-json") != 0)
        return DECLINED;
    if (r->method_number == M_POST)
        return post_json(r);
    if (r->method_number == M_GET)
        return r->header_only ? OK : get_item(r);
    r->allowed = (AP_METHOD_BIT << M_GET) | (AP_METHOD_BIT << M_POST);
    return HTTP_METHOD_NOT_ALLOWED;
}

/* Requests under /bare are not files: like mod_openapi for its APIs, the module claims
 * them in translate_name and skips the filesystem walk (map_to_storage), so that the limit
 * does not pay for stat() calls that the measured module does not make either. */
static int is_bare(const request_rec *r)
{
    return r->uri && strncmp(r->uri, "/bare", 5) == 0 && (r->uri[5] == '/' || !r->uri[5]);
}

static int claim_request(request_rec *r)
{
    if (!is_bare(r))
        return DECLINED;
    r->filename = apr_pstrcat(r->pool, "bare:", r->uri, NULL);
    return OK;
}

static int skip_storage_walk(request_rec *r)
{
    return is_bare(r) ? OK : DECLINED;
}

static void register_hooks(apr_pool_t *pool)
{
    (void)pool;
    ap_hook_translate_name(claim_request, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(skip_storage_walk, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(bare_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

module AP_MODULE_DECLARE_DATA bare_module = {
    STANDARD20_MODULE_STUFF,
    NULL, NULL, NULL, NULL, NULL,
    register_hooks,
    0
};
