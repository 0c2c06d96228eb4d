/* contentEncoding / contentMediaType: strings that carry another document (base64
 * bodies, JSON in a string). Draft 7 checks them; 2019-09 and later only annotate, unless
 * the registry asserts formats (oa_schema_registry_assert_formats), which asserts these
 * too: base64 must decode, and a JSON media type must parse. */
#include "schema/oa_schema_internal.h"
#include "schema/oa_format.h"

#include <apr_strings.h>
#include <string.h>

typedef struct content_data {
    int base64;          /* contentEncoding: base64 */
    int json;            /* contentMediaType: application/json or +json */
    const char *media_type;
} content_data;

static int base64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes checked base64 (oa_format_is_base64) into out (n / 4 * 3 bytes); returns the
 * decoded length. */
static size_t base64_decode(const char *s, size_t n, unsigned char *out)
{
    size_t i, o = 0;
    for (i = 0; i + 3 < n; i += 4) {
        int a = base64_value(s[i]), b = base64_value(s[i + 1]);
        int c = s[i + 2] == '=' ? 0 : base64_value(s[i + 2]);
        int d = s[i + 3] == '=' ? 0 : base64_value(s[i + 3]);
        unsigned long bits = (unsigned long)a << 18 | (unsigned long)b << 12 |
                             (unsigned long)c << 6 | (unsigned long)d;
        out[o++] = (unsigned char)(bits >> 16);
        if (s[i + 2] != '=')
            out[o++] = (unsigned char)(bits >> 8);
        if (s[i + 3] != '=')
            out[o++] = (unsigned char)bits;
    }
    return o;
}

static int validate_content(oa_vctx *ctx, const oa_check *check, const json_t *instance)
{
    const content_data *data = check->data;
    const char *text = json_string_value(instance);
    size_t length = json_string_length(instance);
    json_t *parsed;
    if (data->base64) {
        unsigned char *decoded;
        if (!oa_format_is_base64(text, length)) {
            if (!ctx->collect)
                return 0;
            return oa_vctx_fail(ctx, check, "%s is not valid base64",
                                oa_repr(ctx->pool, instance));
        }
        decoded = apr_palloc(ctx->pool, length / 4 * 3 + 1);
        length = base64_decode(text, length, decoded);
        text = (const char *)decoded;
    }
    if (!data->json)
        return 1;
    parsed = json_loadb(text, length, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    if (parsed) {
        json_decref(parsed);
        return 1;
    }
    if (!ctx->collect)
        return 0;
    return oa_vctx_fail(ctx, check, "%s is not a valid %s document",
                        oa_repr(ctx->pool, instance), data->media_type);
}

static int is_json_media_type(const char *type)
{
    size_t length = strcspn(type, ";");
    while (length && type[length - 1] == ' ')
        length--;
    return (length == 16 && strncasecmp(type, "application/json", 16) == 0) ||
           (length > 5 && strncasecmp(type + length - 5, "+json", 5) == 0);
}

int oa_kw_content(oa_compile_ctx *cc, const char *keyword, json_t *value)
{
    json_t *encoding = json_object_get(cc->node, "contentEncoding");
    json_t *media_type = json_object_get(cc->node, "contentMediaType");
    content_data *data;
    (void)keyword;
    (void)value;
    if ((encoding && !json_is_string(encoding)) || (media_type && !json_is_string(media_type))) {
        oa_compile_error(cc, encoding && !json_is_string(encoding) ? encoding : media_type,
                         "%s must be a string",
                         encoding && !json_is_string(encoding) ? "contentEncoding"
                                                               : "contentMediaType");
        return 0;
    }
    if (OA_DIALECT_IS_2019_PLUS(cc->dialect) && !cc->reg->assert_formats)
        return 1; /* annotations */
    data = apr_pcalloc(cc->reg->pool, sizeof(*data));
    data->base64 = encoding && strcasecmp(json_string_value(encoding), "base64") == 0;
    data->json = media_type && is_json_media_type(json_string_value(media_type));
    data->media_type = media_type ? json_string_value(media_type) : NULL;
    if (data->base64 || data->json)
        oa_compile_add_check(cc, validate_content, OA_KIND_STRING,
                             encoding ? "contentEncoding" : "contentMediaType", data);
    return 1;
}
