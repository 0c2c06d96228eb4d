/* oa_request_parse, bodies: media type selection (ranges, parameters, 415), JSON
 * (malformed positions, readOnly in requests, +json), form-urlencoded (encoding styles,
 * strict), multipart/form-data (files, JSON parts, limits, malformed), text/plain,
 * unparsed types, 2.0 body and formData parameters, x-body-name. */
#include <apr_general.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>
#include <stdlib.h>
#include <string.h>

#include "request/oa_body.h"
#include "request/oa_request.h"
#include "schema/oa_schema.h"
#include "unit.h"
#include "unit_spec.h"

static apr_pool_t *pool;

static oa_spec *load(const char *name)
{
    oa_spec *spec = unit_load_spec(
        pool, apr_pstrcat(pool, "tests/fixtures/specs/request/", name, NULL), 1);
    CHECK(spec != NULL);
    return spec;
}

static const oa_operation *operation(oa_spec *spec, const char *path)
{
    oa_route_match match;
    if (oa_router_match(spec->router, path, pool, &match) != OA_ROUTE_FOUND)
        return NULL;
    return oa_route_operation(match.route, OA_METHOD_POST)
               ? oa_route_operation(match.route, OA_METHOD_POST)
               : oa_route_operation(match.route, OA_METHOD_PUT);
}

static oa_request_result result;
static int fill_defaults; /* the OpenAPIFillDefaults option for the next post */

static int post_n(oa_spec *spec, const char *path, const char *content_type, const char *body,
                  size_t length, int strict)
{
    oa_request_input input;
    oa_request_options options = {OA_URI_PARSER_DEFAULT, strict, 0, fill_defaults};
    const oa_operation *op = operation(spec, path);
    memset(&result, 0, sizeof(result));
    if (!op) {
        unit_check(0, path, __FILE__, __LINE__);
        return -1;
    }
    memset(&input, 0, sizeof(input));
    input.content_type = content_type;
    input.body = body;
    input.body_length = length;
    return oa_request_parse(pool, spec, op, &input, &options, &result);
}

static int post(oa_spec *spec, const char *path, const char *content_type, const char *body)
{
    return post_n(spec, path, content_type, body, body ? strlen(body) : 0, 0);
}

static const char *body(void)
{
    char *text;
    const char *copy;
    if (!result.body)
        return "(none)";
    text = json_dumps(result.body, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
    copy = apr_pstrdup(pool, text);
    free(text);
    return copy;
}

static const char *error_text(int i)
{
    const oa_request_error *e;
    if (i >= result.errors->nelts)
        return "(none)";
    e = &APR_ARRAY_IDX(result.errors, i, oa_request_error);
    return apr_psprintf(pool, "%s %s %s: %s", e->in, e->name ? e->name : "-",
                        *e->pointer ? e->pointer : "-", e->message);
}

static void test_json(oa_spec *spec)
{
    const oa_operation *op = operation(spec, "/json");
    CHECK_STR(op->body_name, "pet");
    CHECK_INT(op->request_body_required, 1);
    CHECK_INT(op->request_media->nelts, 2);
    CHECK_INT(post(spec, "/json", "application/json", "{\"name\": \"rex\"}"), 0);
    CHECK_STR(body(), "{\"name\":\"rex\"}");
    CHECK_STR(result.media->name, "application/json");
    /* \u0000 is valid JSON in a string (JSON_ALLOW_NUL); the value keeps it */
    CHECK_INT(post(spec, "/json", "application/json", "{\"name\": \"r\\u0000x\"}"), 0);
    CHECK_STR(body(), "{\"name\":\"r\\u0000x\"}");
    CHECK_INT(post(spec, "/json", "Application/JSON; charset=utf-8", "{\"name\": \"rex\"}"), 0);
    CHECK_INT(post(spec, "/json", "application/json", "{\"id\": 1, \"name\": \"rex\"}"), 400);
    CHECK_STR(error_text(0), "body - /id: 'id' is read-only");
    CHECK_INT(post(spec, "/json", "application/json", "{\"tag\": 5}"), 400);
    CHECK_INT(result.errors->nelts, 2);
    CHECK_STR(error_text(0), "body - -: 'name' is a required property");
    CHECK_STR(error_text(1), "body - /tag: 5 is not of type 'string'");
    CHECK_INT(post(spec, "/json", "application/json", "{\"name\": }"), 400);
    CHECK_STR(error_text(0),
              "body - -: invalid JSON at line 1, column 10: unexpected token near '}'");
    CHECK_INT(post(spec, "/json", "application/json", "{\n  \"name\": \"a\",\n  \"tag\": x\n}"),
              400);
    CHECK_STR(error_text(0),
              "body - -: invalid JSON at line 3, column 10: invalid token near 'x'");
    CHECK_INT(post(spec, "/json", "application/json", NULL), 400);
    CHECK_STR(error_text(0), "body - -: request body is required");
    CHECK_INT(post(spec, "/json", "application/merge-patch+json", "{\"tag\": \"x\"}"), 0);
    CHECK_STR(result.media->name, "application/merge-patch+json");
    CHECK_INT(post(spec, "/json", "text/xml", "<pet/>"), 415);
    CHECK_STR(error_text(0), "header Content-Type -: Content-Type 'text/xml' is not accepted; "
                             "accepted: application/json, application/merge-patch+json");
    CHECK_INT(post(spec, "/json", NULL, "{}"), 415);
    CHECK_STR(error_text(0), "header Content-Type -: the request has a body but no "
                             "Content-Type; accepted: application/json, "
                             "application/merge-patch+json");
    /* declared application/json does not take other +json types */
    CHECK_INT(post(spec, "/json", "application/vnd.pet+json", "{}"), 415);
}

static void test_optional_and_undeclared(oa_spec *spec)
{
    CHECK_STR(operation(spec, "/optional")->body_name, "item"); /* x-body-name on the schema */
    CHECK_INT(post(spec, "/optional", "application/json", NULL), 0);
    CHECK(result.body == NULL);
    CHECK_INT(post(spec, "/optional", "application/json", "[1]"), 400);
    CHECK_STR(error_text(0), "body - -: [1] is not of type 'object'");
    CHECK_STR(operation(spec, "/nobody")->body_name, "body");
    CHECK_INT(post(spec, "/nobody", "text/xml", "<anything/>"), 0);
    CHECK(result.body == NULL && result.media == NULL);
}

static void test_form(oa_spec *spec)
{
    CHECK_INT(post(spec, "/form", "application/x-www-form-urlencoded",
                   "name=Bob+Smith&age=3&tags=a&tags=b&ids=1,2&meta%5Ba%5D=5"), 0);
    CHECK_STR(body(), "{\"age\":3,\"ids\":[1,2],\"meta\":{\"a\":5},\"name\":\"Bob Smith\","
                      "\"tags\":[\"a\",\"b\"]}");
    CHECK_INT(post(spec, "/form", "application/x-www-form-urlencoded", "name=B&age=x&ids=1,y"),
              400);
    CHECK_STR(error_text(0), "body age /age: 'x' is not of type 'integer'");
    CHECK_STR(error_text(1), "body ids /ids/1: 'y' is not of type 'integer'");
    CHECK_INT(post(spec, "/form", "application/x-www-form-urlencoded", "age=1"), 400);
    CHECK_STR(error_text(0), "body name /name: 'name' is a required property");
    CHECK_INT(post(spec, "/form", "application/x-www-form-urlencoded", "name=a&zzz=1"), 400);
    CHECK_STR(error_text(0), "body - -: Additional properties are not allowed "
                             "('zzz' was unexpected)");
    CHECK_INT(post_n(spec, "/form", "application/x-www-form-urlencoded", "name=a&zzz=1", 12, 1),
              400);
    CHECK_STR(error_text(0), "body zzz /zzz: unknown form field 'zzz'");
    CHECK_INT(post(spec, "/form", "application/x-www-form-urlencoded", "name=%FF"), 400);
}

/* A multipart body; parts are (headers, content, content length or -1 for strlen). */
static const char *multipart(size_t *length, const char *boundary, const char *const *parts)
{
    char *out = apr_palloc(pool, 65536);
    size_t n = 0;
    int i;
    for (i = 0; parts[i]; i += 2) {
        n += (size_t)sprintf(out + n, "--%s\r\n%s\r\n\r\n", boundary, parts[i]);
        memcpy(out + n, parts[i + 1], strlen(parts[i + 1]));
        n += strlen(parts[i + 1]);
        memcpy(out + n, "\r\n", 2);
        n += 2;
    }
    n += (size_t)sprintf(out + n, "--%s--\r\n", boundary);
    *length = n;
    return out;
}

static void test_multipart(oa_spec *spec)
{
    static const char *const good[] = {
        "Content-Disposition: form-data; name=\"file\"; filename=\"photo.png\"\r\n"
        "Content-Type: image/png", "\x89PNG\xff\xfe",
        "Content-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json",
        "{\"a\": 1}",
        "content-disposition: form-data; name=count", "3",
        "Content-Disposition: form-data; name=\"list\"", "1",
        "Content-Disposition: form-data; name=\"list\"", "2",
        /* a field named like a property of the JSON part stays a field of its own */
        "Content-Disposition: form-data; name=\"a\"", "zz", NULL};
    static const char *const bad_json[] = {
        "Content-Disposition: form-data; name=\"file\"; filename=\"a\"", "x",
        /* no Content-Type: the encoding says JSON */
        "Content-Disposition: form-data; name=\"meta\"", "{\"a\": \"x\"}", NULL};
    static const char *const no_meta[] = {
        "Content-Disposition: form-data; name=\"file\"; filename=\"a b \\\"q\\\".txt\"", "x",
        NULL};
    size_t length;
    const char *data = multipart(&length, "XyZ", good);
    const oa_upload *upload;
    CHECK_INT(post_n(spec, "/multipart", "multipart/form-data; boundary=XyZ", data, length, 0),
              0);
    CHECK_STR(body(), "{\"a\":\"zz\",\"count\":3,\"file\":\"photo.png\",\"list\":[1,2],"
                      "\"meta\":{\"a\":1}}");
    CHECK_INT(result.uploads->nelts, 1);
    upload = &APR_ARRAY_IDX(result.uploads, 0, oa_upload);
    CHECK_STR(upload->field, "file");
    CHECK_STR(upload->filename, "photo.png");
    CHECK_STR(upload->content_type, "image/png");
    CHECK_INT(upload->size, 6);
    CHECK(memcmp(upload->data, "\x89PNG\xff\xfe", 6) == 0);

    data = multipart(&length, "b o", bad_json);
    CHECK_INT(post_n(spec, "/multipart", "multipart/form-data; boundary=\"b o\"", data, length, 0),
              400);
    CHECK_STR(error_text(0), "body meta /meta/a: 'x' is not of type 'integer'");

    data = multipart(&length, "q", no_meta);
    CHECK_INT(post_n(spec, "/multipart", "multipart/form-data; boundary=q", data, length, 0),
              400);
    CHECK_STR(error_text(0), "body meta /meta: 'meta' is a required property");
    CHECK_STR(APR_ARRAY_IDX(result.uploads, 0, oa_upload).filename, "a b \"q\".txt");
    CHECK_STR(APR_ARRAY_IDX(result.uploads, 0, oa_upload).content_type, "text/plain");
}

/* Encoding Object contentType, Content-Transfer-Encoding, quoted parameters. */
static void test_multipart_parts(oa_spec *spec)
{
    static const char *const wrong_type[] = {
        "Content-Disposition: form-data; name=\"file\"; filename=\"a.gif\"\r\n"
        "Content-Type: image/gif", "GIF89a",
        "Content-Disposition: form-data; name=\"meta\"", "{\"a\": 1}", NULL};
    static const char *const encoded[] = {
        "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
        "Content-Type: image/png\r\nContent-Transfer-Encoding: base64", "iVBO\r\nRw==",
        "Content-Disposition: form-data; name=\"meta\"\r\n"
        "Content-Transfer-Encoding: BASE64", "eyJhIjogMn0=",
        "Content-Disposition: form-data; name=\"note\"\r\n"
        "Content-Transfer-Encoding: quoted-printable", "caf=C3=A9 =\r\nau lait  ", NULL};
    static const char *const bad_base64[] = {
        "Content-Disposition: form-data; name=\"meta\"\r\n"
        "Content-Transfer-Encoding: base64", "e!==", NULL};
    static const char *const unknown_encoding[] = {
        "Content-Disposition: form-data; name=\"note\"\r\n"
        "Content-Transfer-Encoding: x-uue", "abc", NULL};
    static const char *const unterminated[] = {
        "Content-Disposition: form-data; name=\"meta", "{\"a\": 1}", NULL};
    const char *ct = "multipart/form-data; boundary=P";
    size_t length;
    const char *data = multipart(&length, "P", wrong_type);
    CHECK_INT(post_n(spec, "/multipart", ct, data, length, 0), 400);
    CHECK_STR(error_text(0), "body file /file: part 'file' has Content-Type 'image/gif'; its "
                             "encoding allows image/png, image/jpeg");
    data = multipart(&length, "P", encoded);
    CHECK_INT(post_n(spec, "/multipart", ct, data, length, 0), 0);
    CHECK_STR(body(), "{\"file\":\"a.png\",\"meta\":{\"a\":2},\"note\":\"caf\u00e9 au lait\"}");
    CHECK_INT(APR_ARRAY_IDX(result.uploads, 0, oa_upload).size, 4);
    CHECK(memcmp(APR_ARRAY_IDX(result.uploads, 0, oa_upload).data, "\x89PNG", 4) == 0);
    data = multipart(&length, "P", bad_base64);
    CHECK_INT(post_n(spec, "/multipart", ct, data, length, 0), 400);
    CHECK_STR(error_text(0), "body meta /meta: part 'meta' is not valid base64");
    data = multipart(&length, "P", unknown_encoding);
    CHECK_INT(post_n(spec, "/multipart", ct, data, length, 0), 400);
    CHECK_STR(error_text(0), "body note /note: part 'note' has the unknown "
                             "Content-Transfer-Encoding 'x-uue'");
    data = multipart(&length, "P", unterminated);
    CHECK_INT(post_n(spec, "/multipart", ct, data, length, 0), 400);
    CHECK_STR(error_text(0), "body - -: the quoted value of parameter 'name' is not terminated");
    CHECK_INT(post(spec, "/multipart", "multipart/form-data; boundary=\"P", "--P--"), 400);
    CHECK_STR(error_text(0), "body - -: the quoted value of parameter 'boundary' is not "
                             "terminated");
}

/* OpenAPIFillDefaults: defaults of nested objects, through allOf and $ref, filled before
 * validation (off: the body is as sent). */
static void test_fill_defaults(oa_spec *spec)
{
    const char *json = "application/json";
    CHECK_INT(post(spec, "/defaults", json, "{\"anyof\": {}}"), 0);
    CHECK_STR(body(), "{\"anyof\":{}}");
    fill_defaults = 1;
    CHECK_INT(post(spec, "/defaults", json, "{\"anyof\": {}, \"filter\": {\"owner\": {}}}"), 0);
    CHECK_STR(body(), "{\"anyof\":{},\"filter\":{\"owner\":{\"kind\":\"user\"},"
                      "\"state\":\"open\"},\"limit\":20,\"order\":\"asc\"}");
    CHECK_INT(post(spec, "/defaults", json, "{}"), 0);
    CHECK_STR(body(), "{\"filter\":{\"state\":\"open\"},\"limit\":20,\"order\":\"asc\"}");
    CHECK_INT(post(spec, "/defaults", json, "{\"lines\": [{}, {\"qty\": 3}, 7]}"), 400);
    CHECK_STR(error_text(0), "body - /lines/2: 7 is not of type 'object'");
    CHECK_STR(body(), "{\"filter\":{\"state\":\"open\"},\"limit\":20,\"lines\":[{\"qty\":1},"
                      "{\"qty\":3},7],\"order\":\"asc\"}");
    CHECK_INT(post(spec, "/defaults", json, "{\"limit\": 500, \"order\": \"up\"}"), 400);
    CHECK_INT(result.errors->nelts, 2);
    CHECK_INT(post(spec, "/defaults", json, "[1]"), 400); /* not an object: left alone */
    CHECK_INT(post(spec, "/defaults", "application/x-www-form-urlencoded", "order=desc"), 0);
    CHECK_STR(body(), "{\"limit\":20,\"order\":\"desc\"}");
    fill_defaults = 0;
}

static void test_multipart_malformed(oa_spec *spec)
{
    const char *ct = "multipart/form-data; boundary=B";
    const char *cd = "Content-Disposition: form-data; name=\"count\"\r\n\r\n1\r\n";
    char *many;
    size_t n = 0;
    int i;
    CHECK_INT(post(spec, "/multipart", "multipart/form-data", "--B\r\n\r\nx\r\n--B--"), 400);
    CHECK_STR(error_text(0), "body - -: the multipart Content-Type has no valid boundary");
    CHECK_INT(post(spec, "/multipart", ct, apr_pstrcat(pool, "--B\r\n", cd, NULL)), 400);
    CHECK_STR(error_text(0), "body - -: the multipart body has no closing boundary");
    CHECK_INT(post(spec, "/multipart", ct, "no boundary here"), 400);
    CHECK_STR(error_text(0), "body - -: the multipart body does not contain its boundary");
    CHECK_INT(post(spec, "/multipart", ct, "--B\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--"),
              400);
    CHECK_STR(error_text(0), "body - -: a part has no Content-Disposition: form-data with a name");
    CHECK_INT(post(spec, "/multipart", ct, "--B\r\nContent-Disposition: attachment; name=a\r\n"
                                           "\r\nx\r\n--B--"), 400);
    CHECK_INT(post(spec, "/multipart", ct, "--Bjunk"), 400);
    CHECK_STR(error_text(0), "body - -: a multipart boundary is not followed by CRLF");
    /* preamble and epilogue are ignored; more than 1000 parts are refused */
    many = apr_palloc(pool, 1002 * 64 + 16);
    for (i = 0; i < 1001; i++)
        n += (size_t)sprintf(many + n, "\r\n--B\r\nContent-Disposition: form-data; name=n\r\n"
                                       "\r\n1");
    n += (size_t)sprintf(many + n, "\r\n--B--\r\nepilogue");
    CHECK_INT(post_n(spec, "/multipart", ct, many, n, 0), 400);
    CHECK_STR(error_text(0), "body - -: the multipart body has more than 1000 parts");
}

static void test_ranges_and_text(oa_spec *spec)
{
    const oa_operation *op = operation(spec, "/ranges");
    CHECK_STR(oa_request_select_media(op, "text/plain")->name, "text/plain");
    CHECK_STR(oa_request_select_media(op, " TEXT/PLAIN ; charset=utf-8")->name, "text/plain");
    CHECK_STR(oa_request_select_media(op, "text/csv")->name, "text/*");
    CHECK_STR(oa_request_select_media(op, "image/png")->name, "*/*");
    CHECK_STR(oa_request_select_media(op, "application/octet-stream")->name,
              "application/octet-stream");
    CHECK(oa_request_select_media(op, "garbage") == NULL);
    CHECK(oa_request_select_media(op, NULL) == NULL);
    CHECK(oa_request_select_media(operation(spec, "/json"), "text/plain") == NULL);

    CHECK_INT(post(spec, "/ranges", "text/plain", "hello"), 0);
    CHECK_STR(body(), "\"hello\"");
    CHECK_INT(post(spec, "/ranges", "text/plain", "toolong"), 400);
    CHECK_STR(error_text(0), "body - -: 'toolong' is too long");
    CHECK_INT(post(spec, "/ranges", "text/plain", "\xff"), 400);
    CHECK_INT(post(spec, "/ranges", "text/csv", "a,b\n1,2\n"), 0);
    CHECK_STR(result.media->name, "text/*");
    CHECK_STR(body(), "(none)"); /* not text/plain: accepted unparsed */
    CHECK_INT(post_n(spec, "/ranges", "application/octet-stream", "\0\1\2", 3, 0), 0);
    CHECK_STR(body(), "(none)");
    CHECK_INT(post(spec, "/ranges", "application/json", "{\"a\": 1}"), 0);
    CHECK_STR(result.media->name, "*/*");
    CHECK_STR(body(), "{\"a\":1}");
    CHECK_INT(post(spec, "/ranges", "application/problem+json", "[1]"), 400);
    CHECK_STR(error_text(0), "body - -: [1] is not of type 'object'");
}

static void test_swagger2_bodies(void)
{
    oa_spec *spec = load("swagger2.yaml");
    const oa_operation *op;
    static const char *const upload[] = {
        "Content-Disposition: form-data; name=\"file\"; filename=\"a.txt\"", "hello",
        "Content-Disposition: form-data; name=\"count\"", "2",
        "Content-Disposition: form-data; name=\"sizes\"", "1|2", NULL};
    static const char *const no_file[] = {
        "Content-Disposition: form-data; name=\"count\"", "2", NULL};
    size_t length;
    const char *data;
    if (!spec)
        return;
    op = operation(spec, "/pets");
    CHECK_STR(op->body_name, "newpet");
    CHECK_INT(op->request_media->nelts, 2);
    CHECK_INT(op->request_body_required, 1);
    CHECK_INT(post(spec, "/pets", "application/json", "{\"name\": \"rex\"}"), 0);
    CHECK_STR(body(), "{\"name\":\"rex\"}");
    CHECK_INT(post(spec, "/pets", "application/vnd.pet+json", "{\"id\": 3, \"name\": \"x\"}"), 400);
    CHECK_STR(error_text(0), "body - /id: 'id' is read-only");
    CHECK_INT(post(spec, "/pets", "application/json", NULL), 400);
    CHECK_STR(error_text(0), "body - -: request body is required");
    CHECK_INT(post(spec, "/pets", "application/xml", "<pet/>"), 415);

    op = operation(spec, "/upload");
    CHECK_INT(op->request_media->nelts, 1);
    CHECK_STR(APR_ARRAY_IDX(op->request_media, 0, oa_media_type *)->name, "multipart/form-data");
    data = multipart(&length, "zz", upload);
    CHECK_INT(post_n(spec, "/upload", "multipart/form-data; boundary=zz", data, length, 0), 0);
    CHECK_STR(body(), "{\"count\":2,\"file\":\"a.txt\",\"sizes\":[1,2]}");
    CHECK_INT(result.uploads->nelts, 1);
    data = multipart(&length, "zz", no_file);
    CHECK_INT(post_n(spec, "/upload", "multipart/form-data; boundary=zz", data, length, 0), 400);
    CHECK_STR(error_text(0), "formData file /file: 'file' is a required property");

    op = operation(spec, "/form");
    CHECK_INT(op->request_media->nelts, 1);
    CHECK_STR(APR_ARRAY_IDX(op->request_media, 0, oa_media_type *)->name,
              "application/x-www-form-urlencoded");
    CHECK_INT(post(spec, "/form", "application/x-www-form-urlencoded",
                   "name=Bob&age=3&colors=red&colors=blue"), 0);
    CHECK_STR(body(), "{\"age\":3,\"colors\":[\"red\",\"blue\"],\"name\":\"Bob\"}");
    CHECK_INT(post(spec, "/form", "application/x-www-form-urlencoded", "name=Bob&age=-1"), 400);
    CHECK_STR(error_text(0), "formData age /age: -1 is less than the minimum of 0");
    CHECK_INT(post_n(spec, "/form", "application/x-www-form-urlencoded", "name=Bob&x=1", 12, 1),
              400);
    CHECK_STR(error_text(0), "formData x /x: unknown form field 'x'");
    /* x-nullable formData fields read "null" and "None" as null (Connexion 4.2.3) */
    CHECK_INT(post(spec, "/form", "application/x-www-form-urlencoded",
                   "name=Bob&note=null&level=None"), 0);
    CHECK_STR(body(), "{\"level\":null,\"name\":\"Bob\",\"note\":null}");
    CHECK_INT(post(spec, "/form", "application/x-www-form-urlencoded", "name=null&level=x"), 400);
    CHECK_STR(error_text(0), "formData level /level: 'x' is not of type 'integer', 'null'");
    CHECK_INT(post(spec, "/form", "application/x-www-form-urlencoded", "age=1"), 400);
    CHECK_STR(error_text(0), "formData name /name: 'name' is a required property");
    /* formData parameters are the body, not parameters */
    CHECK(json_object_size(result.params) == 0);
}

/* The model and compiled schemas are shared read-only: parse from several threads. */
typedef struct thread_job {
    oa_spec *spec;
    int failures;
} thread_job;

static void *APR_THREAD_FUNC parse_many(apr_thread_t *thread, void *data)
{
    thread_job *job = data;
    apr_pool_t *local;
    int i;
    apr_pool_create(&local, NULL);
    for (i = 0; i < 500; i++) {
        oa_request_input input;
        oa_request_result r;
        const oa_operation *op = APR_ARRAY_IDX(job->spec->operations, 0, oa_operation *);
        memset(&input, 0, sizeof(input));
        input.content_type = "application/json";
        input.body = i % 2 ? "{\"name\": \"a\"}" : "{\"id\": 1}";
        input.body_length = strlen(input.body);
        if (oa_request_parse(local, job->spec, op, &input, NULL, &r) != (i % 2 ? 0 : 400))
            job->failures++;
        apr_pool_clear(local);
    }
    apr_pool_destroy(local);
    /* returning rather than apr_thread_exit (pthread_exit) keeps ASan's thread teardown
     * quiet */
    (void)thread;
    return NULL;
}

static void test_threads(oa_spec *spec)
{
    apr_thread_t *threads[4];
    thread_job jobs[4];
    int i;
    for (i = 0; i < 4; i++) {
        jobs[i].spec = spec;
        jobs[i].failures = 0;
        CHECK(apr_thread_create(&threads[i], NULL, parse_many, &jobs[i], pool) == APR_SUCCESS);
    }
    for (i = 0; i < 4; i++) {
        apr_status_t status;
        apr_thread_join(&status, threads[i]);
        CHECK_INT(jobs[i].failures, 0);
    }
}

int main(void)
{
    oa_spec *spec;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    spec = load("bodies.yaml");
    if (spec) {
        test_json(spec);
        test_optional_and_undeclared(spec);
        test_form(spec);
        test_multipart(spec);
        test_multipart_parts(spec);
        test_multipart_malformed(spec);
        test_fill_defaults(spec);
        test_ranges_and_text(spec);
        test_threads(spec);
    }
    test_swagger2_bodies();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
