/* util/oa_sequence (JSON Lines, JSON Text Sequences, Server-Sent Events: reading, limits,
 * errors, writing) and OpenAPI 3.2 itemSchema through the pipeline: request bodies item
 * by item, response validation and mocks (tests/fixtures/specs/v31/sequences32.yaml). */
#include <apr_general.h>
#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

#include "request/oa_request.h"
#include "response/oa_mock.h"
#include "response/oa_response.h"
#include "spec/oa_spec_compile.h"
#include "spec/oa_spec_load.h"
#include "util/oa_sequence.h"
#include "unit.h"
#include "unit_spec.h"

static apr_pool_t *pool;

static const char *dump(const json_t *value)
{
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_SORT_KEYS);
    const char *copy = apr_pstrdup(pool, text ? text : "(null)");
    free(text);
    return copy;
}

/* The items of a body as compact JSON, or "error ITEM LINE: MESSAGE". */
static const char *read_n(oa_sequence_kind kind, const char *data, size_t size)
{
    oa_sequence_error error;
    json_t *items = oa_sequence_parse(pool, kind, data, size, &error);
    const char *text;
    if (!items)
        return apr_psprintf(pool, "error %lu %d: %s", (unsigned long)error.item, error.line,
                            error.message);
    text = dump(items);
    json_decref(items);
    return text;
}

static const char *read_text(oa_sequence_kind kind, const char *data)
{
    return read_n(kind, data, strlen(data));
}

static void test_kinds(void)
{
    CHECK_INT(oa_sequence_kind_of("application/jsonl"), OA_SEQUENCE_JSON_LINES);
    CHECK_INT(oa_sequence_kind_of("Application/X-NDJSON; charset=utf-8"),
              OA_SEQUENCE_JSON_LINES);
    CHECK_INT(oa_sequence_kind_of("application/json-seq"), OA_SEQUENCE_JSON_SEQ);
    CHECK_INT(oa_sequence_kind_of("application/geo+json-seq"), OA_SEQUENCE_JSON_SEQ);
    CHECK_INT(oa_sequence_kind_of("text/event-stream"), OA_SEQUENCE_EVENT_STREAM);
    CHECK_INT(oa_sequence_kind_of("application/json"), OA_SEQUENCE_NONE);
    CHECK_INT(oa_sequence_kind_of("application/+json-seq"), OA_SEQUENCE_NONE);
    CHECK_INT(oa_sequence_kind_of("application/json-seqx"), OA_SEQUENCE_NONE);
    CHECK_INT(oa_sequence_kind_of("multipart/mixed"), OA_SEQUENCE_NONE);
    CHECK_INT(oa_sequence_kind_of(NULL), OA_SEQUENCE_NONE);
    CHECK_INT(oa_sequence_kind_of("jsonl"), OA_SEQUENCE_NONE);
}

static void test_json_lines(void)
{
    CHECK_STR(read_text(OA_SEQUENCE_JSON_LINES, "{\"a\":1}\n[2]\n\"x\"\n"),
              "[{\"a\":1},[2],\"x\"]");
    /* CRLF, no final newline, blank and white-space-only lines skipped */
    CHECK_STR(read_text(OA_SEQUENCE_JSON_LINES, "1\r\n\r\n  \n2\r\n3"), "[1,2,3]");
    CHECK_STR(read_text(OA_SEQUENCE_JSON_LINES, ""), "[]");
    CHECK_STR(read_text(OA_SEQUENCE_JSON_LINES, "\n\n"), "[]");
    /* the fourth line is the third item (blank lines are not items) */
    CHECK_STR(read_text(OA_SEQUENCE_JSON_LINES, "1\n\n2\n{\"a\":}\n"),
              "error 2 4: item 2 (line 4): invalid JSON at column 6: unexpected token "
              "near '}'");
    /* a value split over lines is two bad lines: the first one is reported */
    CHECK(strncmp(read_text(OA_SEQUENCE_JSON_LINES, "{\"a\":\n1}\n"), "error 0 1: ", 11) == 0);
    /* JSON body rules: duplicate keys refused, NUL allowed in strings */
    CHECK(strncmp(read_text(OA_SEQUENCE_JSON_LINES, "{\"a\":1,\"a\":2}"), "error 0 1: ", 11) ==
          0);
    CHECK_STR(read_text(OA_SEQUENCE_JSON_LINES, "\"a\\u0000b\""), "[\"a\\u0000b\"]");
    CHECK_STR(read_n(OA_SEQUENCE_JSON_LINES, "1\n\0002\n", 5),
              "error 1 2: item 1 (line 2): invalid JSON at column 1: invalid token near end "
              "of file");
}

static void test_json_seq(void)
{
    CHECK_STR(read_text(OA_SEQUENCE_JSON_SEQ, "\x1e{\"a\":1}\n\x1e[2]\n"), "[{\"a\":1},[2]]");
    /* records over several lines; RS RS is no empty item; white space before the first */
    CHECK_STR(read_text(OA_SEQUENCE_JSON_SEQ, "\n\x1e{\n \"a\": 1\n}\n\x1e\x1e\x1e 3\n"),
              "[{\"a\":1},3]");
    CHECK_STR(read_text(OA_SEQUENCE_JSON_SEQ, ""), "[]");
    CHECK_STR(read_text(OA_SEQUENCE_JSON_SEQ, "{\"a\":1}\n"),
              "error 0 1: item 0 (line 1): a JSON text sequence record must start with RS "
              "(0x1E)");
    /* the error's line counts from the body's start: the second record's second line */
    CHECK_STR(read_text(OA_SEQUENCE_JSON_SEQ, "\x1e{\n}\n\x1e{\n\"a\" 1}\n"),
              "error 1 4: item 1 (line 4): invalid JSON at column 5: ':' expected near '1'");
    /* two texts in one record */
    CHECK(strncmp(read_text(OA_SEQUENCE_JSON_SEQ, "\x1e 1 2\n"), "error 0 1: ", 11) == 0);
}

static void test_event_stream(void)
{
    /* the OpenAPI 3.2 specification's example and its JSON Lines equivalent */
    CHECK_STR(read_text(OA_SEQUENCE_EVENT_STREAM,
                        "event: addString\ndata: This data is formatted\n"
                        "data: across two lines\nretry: 5\n\n"
                        "event: addInt64\ndata: 1234.5678\nunknownField: this is ignored\n\n"
                        ": This is a comment\nevent: addJSON\ndata: {\"foo\": 42}\n"),
              "[{\"data\":\"This data is formatted\\nacross two lines\",\"event\":"
              "\"addString\",\"retry\":5},{\"data\":\"1234.5678\",\"event\":\"addInt64\"},"
              "{\"data\":\"{\\\"foo\\\": 42}\",\"event\":\"addJSON\"}]");
    /* CR and CRLF line ends, a BOM, fields without a colon or a space, bad retry ignored */
    CHECK_STR(read_text(OA_SEQUENCE_EVENT_STREAM,
                        "\xef\xbb\xbf" "data\rid:7\r\r"
                        "data:x\r\nretry: 1a\r\nid\r\n\r\n"),
              "[{\"data\":\"\",\"id\":\"7\"},{\"data\":\"x\",\"id\":\"\"}]");
    /* comment-only and unknown-only blocks are no events */
    CHECK_STR(read_text(OA_SEQUENCE_EVENT_STREAM, ": hi\n\nfoo: bar\n\n\n\n"), "[]");
    /* not UTF-8: the line and the item it is in */
    CHECK_STR(read_text(OA_SEQUENCE_EVENT_STREAM, "data: a\n\ndata: \xff\n\n"),
              "error 1 3: item 1 (line 3): the event stream is not UTF-8");
    /* an id with NUL is ignored, as the standard says */
    CHECK_STR(read_n(OA_SEQUENCE_EVENT_STREAM, "id: a\000b\ndata: 1\n\n", 17),
              "[{\"data\":\"1\"}]");
}

static void test_limits(void)
{
    size_t n = (size_t)OA_SEQUENCE_MAX_ITEMS;
    char *body = malloc(2 * (n + 1) + 32);
    char *events = malloc(8 * (n + 1) + 32);
    size_t i;
    oa_sequence_error error;
    json_t *items;
    for (i = 0; i < n; i++)
        memcpy(body + 2 * i, "1\n", 2);
    items = oa_sequence_parse(pool, OA_SEQUENCE_JSON_LINES, body, 2 * n, &error);
    CHECK_INT(json_array_size(items), n);
    json_decref(items);
    memcpy(body + 2 * n, "1\n", 2);
    CHECK_STR(read_n(OA_SEQUENCE_JSON_LINES, body, 2 * (n + 1)),
              apr_psprintf(pool, "error %lu %lu: the body has more than %d items",
                           (unsigned long)n, (unsigned long)n + 1, OA_SEQUENCE_MAX_ITEMS));
    for (i = 0; i <= n; i++)
        memcpy(body + 2 * i, "\x1e" "1", 2);
    CHECK(strncmp(read_n(OA_SEQUENCE_JSON_SEQ, body, 2 * (n + 1)), "error 10000 ", 12) == 0);
    for (i = 0; i <= n; i++)
        memcpy(events + 8 * i, "data: 1\n", 8);
    /* every data line in one event: one item */
    CHECK(strcmp(read_n(OA_SEQUENCE_EVENT_STREAM, events, 8 * (n + 1)), "[{\"data\":\"1") > 0);
    for (i = 0; i <= n; i++)
        memcpy(events + 8 * i, "data:1\n\n", 8);
    CHECK(strncmp(read_n(OA_SEQUENCE_EVENT_STREAM, events, 8 * (n + 1)), "error 10000 ", 12) ==
          0);
    free(body);
    free(events);
}

static void test_format(void)
{
    json_t *items = json_loads("[{\"a\":1},\"x\\ny\",[null]]", 0, NULL);
    json_t *events = json_loads("[{\"event\":\"add\",\"id\":\"1\",\"retry\":5,\"data\":\"a\\nb\"},"
                                "{\"event\":\"bad\\nname\",\"data\":\"z\"},{\"k\":[1]},7]",
                                0, NULL);
    const char *text;
    text = oa_sequence_format(pool, OA_SEQUENCE_JSON_LINES, items);
    CHECK_STR(text, "{\"a\":1}\n\"x\\ny\"\n[null]\n");
    CHECK_STR(read_text(OA_SEQUENCE_JSON_LINES, text), dump(items));
    text = oa_sequence_format(pool, OA_SEQUENCE_JSON_SEQ, items);
    CHECK_STR(text, "\x1e{\"a\":1}\n\x1e\"x\\ny\"\n\x1e[null]\n");
    CHECK_STR(read_text(OA_SEQUENCE_JSON_SEQ, text), dump(items));
    text = oa_sequence_format(pool, OA_SEQUENCE_EVENT_STREAM, events);
    CHECK_STR(text, "event: add\nid: 1\nretry: 5\ndata: a\ndata: b\n\n"
                    "data: z\n\n"
                    "\n"
                    "data: 7\n\n");
    CHECK_STR(read_text(OA_SEQUENCE_EVENT_STREAM, text),
              "[{\"data\":\"a\\nb\",\"event\":\"add\",\"id\":\"1\",\"retry\":5},"
              "{\"data\":\"z\"},{\"data\":\"7\"}]");
    json_decref(items);
    json_decref(events);
}

/* ---- through the spec ---- */

static oa_spec *load_spec(void)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_spec *spec = oa_spec_load(
        pool, apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures/specs/v31/sequences32.yaml",
                          NULL),
        diag);
    if (spec && !oa_spec_prepare(spec, NULL, NULL, diag))
        spec = NULL;
    unit_print_diag(pool, diag);
    CHECK(spec != NULL);
    return spec;
}

static oa_request_result result;

static int post(oa_spec *spec, const char *path, const char *type, const char *body,
                int fill_defaults)
{
    oa_request_input input;
    oa_request_options options = {OA_URI_PARSER_DEFAULT, 0, 3, fill_defaults};
    const oa_operation *op = oa_spec_find_operation(spec, OA_METHOD_POST, path);
    memset(&result, 0, sizeof(result));
    memset(&input, 0, sizeof(input));
    input.content_type = type;
    input.body = body;
    input.body_length = strlen(body);
    return oa_request_parse(pool, spec, op, &input, &options, &result);
}

static const char *error_text(int i)
{
    const oa_request_error *e;
    if (i >= result.errors->nelts)
        return "(none)";
    e = &APR_ARRAY_IDX(result.errors, i, oa_request_error);
    return apr_psprintf(pool, "%s %s [%s]: %s", e->in, e->pointer,
                        e->schema_location ? e->schema_location : "-", e->message);
}

static void test_request_bodies(oa_spec *spec)
{
    const char *good = "{\"name\":\"a\",\"level\":2}\n{\"name\":\"b\",\"level\":0}\n";
    CHECK_INT(0, post(spec, "/logs", "application/jsonl", good, 0));
    CHECK_STR(dump(result.body), "[{\"level\":2,\"name\":\"a\"},{\"level\":0,\"name\":\"b\"}]");
    CHECK_INT(0, post(spec, "/logs", "application/x-ndjson", good, 0));
    CHECK_INT(0, post(spec, "/logs", "application/json-seq",
               "\x1e{\"name\":\"a\",\"level\":2}\n\x1e{\"name\":\"b\",\"level\":0}\n", 0));
    CHECK_INT(json_array_size(result.body), 2);
    /* errors name the item: the fourth item's name is "/3/name" */
    CHECK_INT(400, post(spec, "/logs", "application/jsonl",
                "{\"name\":\"a\",\"level\":1}\n{\"name\":\"b\",\"level\":1}\n"
                "{\"name\":\"c\",\"level\":1}\n{\"name\":\"\",\"level\":-1}\n",
                0));
    CHECK_INT(result.status, 400);
    CHECK_INT(result.errors->nelts, 2);
    CHECK_STR(error_text(0), "body /3/name [sequences32.yaml#/components/schemas/LogEntry/"
                             "properties/name/minLength]: '' is too short");
    CHECK_STR(error_text(1), "body /3/level [sequences32.yaml#/components/schemas/LogEntry/"
                             "properties/level/minimum]: -1 is less than the minimum of 0");
    /* a malformed item: its index and line */
    CHECK_INT(400, post(spec, "/logs", "application/jsonl", "{\"name\":\"a\",\"level\":1}\n\n{oops\n", 0));
    CHECK_STR(error_text(0), "body /1 [-]: item 1 (line 3): invalid JSON at column 5: "
                             "string or '}' expected near 'oops'");
    /* max_errors (3 here) bounds the list over all items; the rest are counted */
    CHECK_INT(400, post(spec, "/logs", "application/jsonl", "{}\n{}\n{}\n{}\n", 0));
    CHECK_INT(result.errors->nelts, 3);
    CHECK(result.errors_omitted >= 1);
    CHECK_STR(error_text(2), "body /1 [sequences32.yaml#/components/schemas/LogEntry/"
                             "required]: 'name' is a required property");
    /* defaults are filled per item */
    CHECK_INT(0, post(spec, "/batches", "application/jsonl", "{\"name\":\"a\"}\n", 1));
    CHECK_STR(dump(result.body), "[{\"level\":1,\"name\":\"a\"}]");
    /* through a 2020-12 $ref too */
    CHECK_INT(0, post(spec, "/logs", "application/jsonl", "{\"name\":\"a\"}\n{\"name\":\"b\","
                      "\"level\":5}\n", 1));
    CHECK_STR(dump(result.body), "[{\"level\":1,\"name\":\"a\"},{\"level\":5,\"name\":\"b\"}]");
    CHECK_INT(400, post(spec, "/logs", "application/jsonl", "{\"name\":\"a\"}\n", 0));
    /* text/event-stream: each event an object */
    CHECK_INT(0, post(spec, "/logs", "text/event-stream", "event: add\ndata: 1\n\ndata: 2\n\n", 0));
    CHECK_STR(dump(result.body), "[{\"data\":\"1\",\"event\":\"add\"},{\"data\":\"2\"}]");
    CHECK_INT(400, post(spec, "/logs", "text/event-stream", "data: 1\n\nevent: move\nretry: 3\n\n", 0));
    CHECK_STR(error_text(0), "body /1 [sequences32.yaml#/components/schemas/Event/required]: "
                             "'data' is a required property");
    CHECK(strstr(error_text(1), "body /1/event [") != NULL);
    /* schema is the whole content (the array), itemSchema each item */
    CHECK_INT(0, post(spec, "/batches", "application/jsonl", "{\"name\":\"a\",\"level\":1}\n", 0));
    CHECK_INT(400, post(spec, "/batches", "application/jsonl", "{\"name\":\"a\",\"level\":1}\n"
                "{\"name\":\"a\",\"level\":1}\n{\"name\":\"a\",\"level\":1}\n"
                "{\"name\":\"a\",\"level\":1,\"x\":1}\n", 0));
    CHECK(strncmp(error_text(0), "body  [sequences32.yaml#/paths/~1batches/post/requestBody/"
                                 "content/application~1jsonl/schema/maxItems]: ", 90) == 0);
    CHECK(strncmp(error_text(1), "body /3 [", 9) == 0);
}

static void test_responses(oa_spec *spec)
{
    const oa_operation *op = oa_spec_find_operation(spec, OA_METHOD_GET, "/logs");
    oa_response_output out;
    apr_array_header_t *errors;
    const char *bad = "{\"name\":\"a\",\"level\":1}\n{\"name\":\"b\"}\n";
    const oa_response_error *e;
    memset(&out, 0, sizeof(out));
    out.status = 200;
    out.content_type = "application/jsonl";
    out.raw = "{\"name\":\"a\",\"level\":1}\n";
    out.raw_length = strlen(out.raw);
    out.has_body = 1;
    CHECK(oa_response_validate(pool, op, &out, 10, &errors));
    out.raw = bad;
    out.raw_length = strlen(bad);
    CHECK(!oa_response_validate(pool, op, &out, 10, &errors));
    CHECK_INT(errors->nelts, 1);
    e = &APR_ARRAY_IDX(errors, 0, oa_response_error);
    CHECK_STR(e->pointer, "/1");
    CHECK_STR(e->message, "'level' is a required property");
    out.content_type = "text/event-stream";
    out.raw = "data: x\n\nid: 3\n\n";
    out.raw_length = strlen(out.raw);
    CHECK(!oa_response_validate(pool, op, &out, 10, &errors));
    CHECK_STR(APR_ARRAY_IDX(errors, 0, oa_response_error).pointer, "/1");
    out.content_type = "application/json-seq";
    out.raw = "{\"name\":\"a\",\"level\":1}\n";
    out.raw_length = strlen(out.raw);
    CHECK(!oa_response_validate(pool, op, &out, 10, &errors));
    CHECK_STR(APR_ARRAY_IDX(errors, 0, oa_response_error).pointer, "/0");
    CHECK(strstr(APR_ARRAY_IDX(errors, 0, oa_response_error).message, "RS (0x1E)") != NULL);
}

static void test_mock(oa_spec *spec)
{
    static const char *const types[] = {"application/jsonl", "application/json-seq",
                                        "text/event-stream"};
    const oa_operation *op = oa_spec_find_operation(spec, OA_METHOD_GET, "/logs");
    int i;
    for (i = 0; i < 3; i++) {
        oa_mock_result mock;
        oa_diag *diag = oa_diag_create(pool);
        apr_array_header_t *found = NULL;
        oa_sequence_error error;
        json_t *items;
        size_t k;
        CHECK(oa_mock_response(pool, spec->docs, 3, op->responses, op->responses_base,
                               types[i], &mock, diag));
        CHECK_STR(mock.media_type, types[i]);
        CHECK(json_is_string(mock.body));
        items = oa_sequence_parse(pool, oa_sequence_kind_of(types[i]),
                                  json_string_value(mock.body),
                                  json_string_length(mock.body), &error);
        CHECK_INT(json_array_size(items), 2);
        for (k = 0; k < json_array_size(items); k++) {
            const oa_media_type *media = NULL;
            int m;
            for (m = 0; m < APR_ARRAY_IDX(op->response_list, 0, oa_response *)->media->nelts;
                 m++) {
                const oa_media_type *candidate = APR_ARRAY_IDX(
                    APR_ARRAY_IDX(op->response_list, 0, oa_response *)->media, m,
                    oa_media_type *);
                if (strcmp(candidate->name, types[i]) == 0)
                    media = candidate;
            }
            CHECK(media && media->item_compiled);
            CHECK(media && oa_schema_validate(media->item_compiled, json_array_get(items, k),
                                              OA_MODE_RESPONSE, pool, &found, 1));
        }
        json_decref(items);
        json_decref(mock.body);
    }
}

int main(void)
{
    oa_spec *spec;
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_kinds();
    test_json_lines();
    test_json_seq();
    test_event_stream();
    test_limits();
    test_format();
    spec = load_spec();
    if (spec) {
        test_request_bodies(spec);
        test_responses(spec);
        test_mock(spec);
    }
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
