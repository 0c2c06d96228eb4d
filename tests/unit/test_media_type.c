/* util/oa_media_type: splitting, matching ranges, choosing among declared types, "is it
 * JSON", parameters and quoted strings; and request/oa_transfer_encoding (base64 and
 * quoted-printable parts). */
#include <apr_general.h>
#include <apr_strings.h>
#include <string.h>

#include "request/oa_transfer_encoding.h"
#include "util/oa_media_type.h"
#include "unit.h"

static apr_pool_t *pool;

static void test_split_and_is(void)
{
    oa_media_essence e;
    CHECK(oa_media_type_split(" text/plain ; charset=utf-8", &e));
    CHECK(e.type_length == 4 && strncmp(e.type, "text", 4) == 0);
    CHECK(e.subtype_length == 5 && strncmp(e.subtype, "plain", 5) == 0);
    CHECK(!oa_media_type_split("text", &e));
    CHECK(!oa_media_type_split("text/", &e));
    CHECK(!oa_media_type_split("/plain", &e));
    CHECK(!oa_media_type_split("text/plain extra", &e));
    CHECK(!oa_media_type_split(NULL, &e));
    CHECK(oa_media_type_is("Multipart/Form-Data; boundary=x", "multipart/form-data"));
    CHECK(!oa_media_type_is("multipart/form-datax", "multipart/form-data"));
    CHECK(!oa_media_type_is("application/x-www-form-urlencoded", "application/x-www-form"));
}

static void test_matches_and_json(void)
{
    CHECK(oa_media_type_matches("application/json", "application/json"));
    CHECK(oa_media_type_matches("Application/*", "application/JSON; charset=utf-8"));
    CHECK(oa_media_type_matches("*/*", "image/png"));
    CHECK(oa_media_type_matches(" application/json ;q=1", "application/json"));
    CHECK(!oa_media_type_matches("application/json", "application/problem+json"));
    CHECK(!oa_media_type_matches("application/json", "application/*"));
    CHECK(oa_media_type_matches("application/*", "application/*"));
    CHECK(!oa_media_type_matches("text/*", "application/json"));
    CHECK(!oa_media_type_matches("*/json", "application/json"));
    CHECK(!oa_media_type_matches("application", "application/json"));
    CHECK(!oa_media_type_matches("application/json", "application/json extra"));
    CHECK(!oa_media_type_matches(NULL, "application/json"));
    CHECK(!oa_media_type_matches("application/json", NULL));

    CHECK(oa_media_type_is_json("application/json"));
    CHECK(oa_media_type_is_json("APPLICATION/JSON; charset=utf-8"));
    CHECK(oa_media_type_is_json("application/problem+json"));
    CHECK(oa_media_type_is_json("application/vnd.api+JSON"));
    CHECK(oa_media_type_is_json("text/x-report+json"));
    CHECK(!oa_media_type_is_json("application/+json-patch"));
    CHECK(!oa_media_type_is_json("application/jsonl"));
    CHECK(!oa_media_type_is_json("text/json-seq"));
    CHECK(!oa_media_type_is_json("application/xml"));
    CHECK(!oa_media_type_is_json("application/*"));
    CHECK(!oa_media_type_is_json("+json"));
    CHECK(!oa_media_type_is_json(NULL));
}

static const char *name_at(const void *list, int i)
{
    return ((const char *const *)list)[i];
}

static void test_select_and_list(void)
{
    static const char *const declared[] = {"*/*", "text/*", "text/plain", "bogus",
                                           "text/plain"};
    CHECK_INT(oa_media_type_select("text/plain; charset=utf-8", declared, 5, name_at), 2);
    CHECK_INT(oa_media_type_select("TEXT/CSV", declared, 5, name_at), 1);
    CHECK_INT(oa_media_type_select("image/png", declared, 5, name_at), 0);
    CHECK_INT(oa_media_type_select("image/png", declared + 1, 4, name_at), -1);
    CHECK_INT(oa_media_type_select("garbage", declared, 5, name_at), -1);
    CHECK_INT(oa_media_type_select(NULL, declared, 5, name_at), -1);
    CHECK(oa_media_type_in_list("image/png, image/jpeg", "image/jpeg"));
    CHECK(oa_media_type_in_list("image/png,image/*", "image/gif; q=1"));
    CHECK(!oa_media_type_in_list("image/png, image/jpeg", "image/gif"));
    CHECK(!oa_media_type_in_list("", "image/gif"));
}

static void test_parameters(void)
{
    const char *error = NULL;
    const char *cd = "form-data; name=\"a;b \\\"q\\\"\"; filename=x.txt";
    CHECK_STR(oa_media_parameter(pool, cd, "name", &error), "a;b \"q\"");
    CHECK_STR(oa_media_parameter(pool, cd, "FILENAME", &error), "x.txt");
    CHECK(oa_media_parameter(pool, cd, "size", &error) == NULL);
    CHECK(error == NULL);
    CHECK(oa_media_parameter(pool, "form-data; name=\"open; filename=x", "filename",
                             &error) == NULL);
    CHECK_STR(error, "the quoted value of parameter 'name' is not terminated");
    error = NULL;
    /* a later unterminated quote spoils the whole value, found or not */
    CHECK(oa_media_parameter(pool, "text/plain; charset=a; x=\"", "charset", &error) == NULL);
    CHECK(error != NULL);
    CHECK(oa_media_parameter(pool, "text/plain; charset", "charset", NULL) == NULL);
}

static const char *decode(const char *encoding, const char *data, const char **error)
{
    const char *out;
    size_t size;
    *error = NULL;
    if (!oa_transfer_decode(pool, encoding, data, strlen(data), &out, &size, error))
        return NULL;
    return apr_pstrmemdup(pool, out, size);
}

static void test_transfer_encodings(void)
{
    const char *error;
    CHECK_STR(decode(NULL, "as is", &error), "as is");
    CHECK_STR(decode("8BIT", "as is", &error), "as is");
    CHECK_STR(decode("base64", "aGVs\r\nbG8=\r\n", &error), "hello");
    CHECK_STR(decode("base64", "", &error), "");
    CHECK(decode("base64", "aGVsbG8", &error) == NULL);
    CHECK_STR(error, "is not valid base64");
    CHECK_STR(decode("quoted-printable", "a=3Db=3d=\r\nc  \r\nd=\n e", &error),
              "a=b=c\r\nd e");
    CHECK_STR(decode("quoted-printable", "soft at end=", &error), "soft at end");
    CHECK(decode("quoted-printable", "bad =ZZ", &error) == NULL);
    CHECK(decode("quoted-printable", "cut =4", &error) == NULL);
    CHECK(decode("x-uuencode", "x", &error) == NULL);
    CHECK_STR(error, "has the unknown Content-Transfer-Encoding 'x-uuencode'");
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_split_and_is();
    test_matches_and_json();
    test_select_and_list();
    test_parameters();
    test_transfer_encodings();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
