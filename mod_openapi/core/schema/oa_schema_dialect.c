/* Dialects as keyword tables: a dialect is the list of keywords it knows, in the order
 * they are evaluated, each with its compile function. A new dialect (e.g. JSON Schema
 * 2020-12 for OpenAPI 3.1) is a new table plus the compile functions of its new
 * keywords; the compiler and the validator do not change. */
#include "schema/oa_schema_internal.h"

#include <string.h>

/* JSON Schema draft 4. `type` comes first so that a wrong type is reported before the
 * keywords of other types are even looked at. */
static const oa_keyword_def draft4_keywords[] = {
    {"$ref", oa_kw_ref, 0, 1},
    {"type", oa_kw_type, 0, 0},
    {"enum", oa_kw_enum, 0, 0},
    {"multipleOf", oa_kw_multiple_of, 0, 0},
    {"maximum", oa_kw_maximum, OA_GROUP_MAXIMUM, 0},
    {"exclusiveMaximum", oa_kw_maximum, OA_GROUP_MAXIMUM, 0},
    {"minimum", oa_kw_minimum, OA_GROUP_MINIMUM, 0},
    {"exclusiveMinimum", oa_kw_minimum, OA_GROUP_MINIMUM, 0},
    {"maxLength", oa_kw_max_length, 0, 0},
    {"minLength", oa_kw_min_length, 0, 0},
    {"pattern", oa_kw_pattern, 0, 0},
    {"format", oa_kw_format, 0, 0},
    {"items", oa_kw_items, OA_GROUP_ITEMS, 0},
    {"additionalItems", oa_kw_items, OA_GROUP_ITEMS, 0},
    {"maxItems", oa_kw_max_items, 0, 0},
    {"minItems", oa_kw_min_items, 0, 0},
    {"uniqueItems", oa_kw_unique_items, 0, 0},
    {"required", oa_kw_required, 0, 0},
    {"properties", oa_kw_properties, OA_GROUP_PROPERTIES, 0},
    {"patternProperties", oa_kw_properties, OA_GROUP_PROPERTIES, 0},
    {"additionalProperties", oa_kw_properties, OA_GROUP_PROPERTIES, 0},
    {"maxProperties", oa_kw_max_properties, 0, 0},
    {"minProperties", oa_kw_min_properties, 0, 0},
    {"dependencies", oa_kw_dependencies, 0, 0},
    {"allOf", oa_kw_all_of, 0, 0},
    {"anyOf", oa_kw_any_of, OA_GROUP_ANY_OF, 0},
    {"oneOf", oa_kw_one_of, OA_GROUP_ONE_OF, 0},
    {"not", oa_kw_not, 0, 0},
    {"default", oa_kw_default, 0, 0},
    {NULL, NULL, 0, 0},
};

/* OpenAPI 2.0 / 3.0 Schema Objects: draft 4 plus nullable (read by `type`),
 * readOnly/writeOnly (enforced by the properties of the enclosing object) and
 * discriminator (which takes over oneOf/anyOf when both are present). $ref siblings are
 * ignored, as OpenAPI 3.0 says. */
static const oa_keyword_def oas30_keywords[] = {
    {"$ref", oa_kw_ref, 0, 1},
    {"type", oa_kw_type, 0, 0},
    {"enum", oa_kw_enum, 0, 0},
    {"multipleOf", oa_kw_multiple_of, 0, 0},
    {"maximum", oa_kw_maximum, OA_GROUP_MAXIMUM, 0},
    {"exclusiveMaximum", oa_kw_maximum, OA_GROUP_MAXIMUM, 0},
    {"minimum", oa_kw_minimum, OA_GROUP_MINIMUM, 0},
    {"exclusiveMinimum", oa_kw_minimum, OA_GROUP_MINIMUM, 0},
    {"maxLength", oa_kw_max_length, 0, 0},
    {"minLength", oa_kw_min_length, 0, 0},
    {"pattern", oa_kw_pattern, 0, 0},
    {"format", oa_kw_format, 0, 0},
    {"items", oa_kw_items, OA_GROUP_ITEMS, 0},
    {"additionalItems", oa_kw_items, OA_GROUP_ITEMS, 0},
    {"maxItems", oa_kw_max_items, 0, 0},
    {"minItems", oa_kw_min_items, 0, 0},
    {"uniqueItems", oa_kw_unique_items, 0, 0},
    {"required", oa_kw_required, 0, 0},
    {"properties", oa_kw_properties, OA_GROUP_PROPERTIES, 0},
    {"patternProperties", oa_kw_properties, OA_GROUP_PROPERTIES, 0},
    {"additionalProperties", oa_kw_properties, OA_GROUP_PROPERTIES, 0},
    {"maxProperties", oa_kw_max_properties, 0, 0},
    {"minProperties", oa_kw_min_properties, 0, 0},
    {"dependencies", oa_kw_dependencies, 0, 0},
    {"readOnly", oa_kw_annotation_flag, 0, 0},
    {"writeOnly", oa_kw_annotation_flag, 0, 0},
    {"discriminator", oa_kw_discriminator, 0, 0},
    {"allOf", oa_kw_all_of, 0, 0},
    {"anyOf", oa_kw_any_of, OA_GROUP_ANY_OF, 0},
    {"oneOf", oa_kw_one_of, OA_GROUP_ONE_OF, 0},
    {"not", oa_kw_not, 0, 0},
    {"default", oa_kw_default, 0, 0},
    {NULL, NULL, 0, 0},
};

/* Draft 6 and 7: draft 4 with boolean schemas, const, contains, propertyNames, numeric
 * exclusiveMaximum/exclusiveMinimum, $id; draft 7 adds if/then/else. $ref still
 * overrides its siblings. */
#define DRAFT6_KEYWORDS                                                                    \
    {"$ref", oa_kw_ref, 0, 1}, {"type", oa_kw_type, 0, 0}, {"enum", oa_kw_enum, 0, 0},     \
        {"const", oa_kw_const, 0, 0}, {"multipleOf", oa_kw_multiple_of, 0, 0},             \
        {"maximum", oa_kw_limit_number, 0, 0}, {"exclusiveMaximum", oa_kw_limit_number, 0, 0}, \
        {"minimum", oa_kw_limit_number, 0, 0}, {"exclusiveMinimum", oa_kw_limit_number, 0, 0}, \
        {"maxLength", oa_kw_max_length, 0, 0}, {"minLength", oa_kw_min_length, 0, 0},      \
        {"pattern", oa_kw_pattern, 0, 0}, {"format", oa_kw_format, 0, 0},                  \
        {"items", oa_kw_array_items, OA_GROUP_ITEMS, 0},                                   \
        {"additionalItems", oa_kw_array_items, OA_GROUP_ITEMS, 0},                         \
        {"contains", oa_kw_contains, OA_GROUP_CONTAINS, 0},                                \
        {"maxItems", oa_kw_max_items, 0, 0}, {"minItems", oa_kw_min_items, 0, 0},          \
        {"uniqueItems", oa_kw_unique_items, 0, 0}, {"required", oa_kw_required, 0, 0},     \
        {"properties", oa_kw_properties, OA_GROUP_PROPERTIES, 0},                          \
        {"patternProperties", oa_kw_properties, OA_GROUP_PROPERTIES, 0},                   \
        {"additionalProperties", oa_kw_properties, OA_GROUP_PROPERTIES, 0},                \
        {"maxProperties", oa_kw_max_properties, 0, 0},                                     \
        {"minProperties", oa_kw_min_properties, 0, 0},                                     \
        {"dependencies", oa_kw_dependencies, 0, 0},                                        \
        {"propertyNames", oa_kw_property_names, 0, 0}

#define DRAFT6_COMBINATORS                                                                 \
    {"allOf", oa_kw_all_of, 0, 0}, {"anyOf", oa_kw_any_of, OA_GROUP_ANY_OF, 0},            \
        {"oneOf", oa_kw_one_of, OA_GROUP_ONE_OF, 0}, {"not", oa_kw_not, 0, 0},             \
        {"default", oa_kw_default, 0, 0}

static const oa_keyword_def draft6_keywords[] = {
    DRAFT6_KEYWORDS,
    DRAFT6_COMBINATORS,
    {NULL, NULL, 0, 0},
};

static const oa_keyword_def draft7_keywords[] = {
    DRAFT6_KEYWORDS,
    {"if", oa_kw_if, OA_GROUP_IF, 0},
    {"then", oa_kw_if, OA_GROUP_IF, 0},
    {"else", oa_kw_if, OA_GROUP_IF, 0},
    {"contentEncoding", oa_kw_content, OA_GROUP_CONTENT, 0},
    {"contentMediaType", oa_kw_content, OA_GROUP_CONTENT, 0},
    DRAFT6_COMBINATORS,
    {NULL, NULL, 0, 0},
};

/* 2019-09 and 2020-12: $ref is an applicator beside its siblings; keywords that
 * evaluate members or items report them (annotations) to unevaluated*, which comes last.
 * format is an annotation unless the registry asserts formats. */
#define DRAFT2019_COMMON_FIRST                                                             \
    {"$ref", oa_kw_ref_applicator, 0, 0}, {"type", oa_kw_type, 0, 0},                      \
        {"enum", oa_kw_enum, 0, 0}, {"const", oa_kw_const, 0, 0},                          \
        {"multipleOf", oa_kw_multiple_of, 0, 0}, {"maximum", oa_kw_limit_number, 0, 0},    \
        {"exclusiveMaximum", oa_kw_limit_number, 0, 0},                                    \
        {"minimum", oa_kw_limit_number, 0, 0},                                             \
        {"exclusiveMinimum", oa_kw_limit_number, 0, 0},                                    \
        {"maxLength", oa_kw_max_length, 0, 0}, {"minLength", oa_kw_min_length, 0, 0},      \
        {"pattern", oa_kw_pattern, 0, 0}, {"format", oa_kw_format, 0, 0}

#define DRAFT2019_COMMON_REST                                                              \
    {"contains", oa_kw_contains, OA_GROUP_CONTAINS, 0},                                    \
        {"minContains", oa_kw_contains, OA_GROUP_CONTAINS, 0},                             \
        {"maxContains", oa_kw_contains, OA_GROUP_CONTAINS, 0},                             \
        {"maxItems", oa_kw_max_items, 0, 0}, {"minItems", oa_kw_min_items, 0, 0},          \
        {"uniqueItems", oa_kw_unique_items, 0, 0}, {"required", oa_kw_required, 0, 0},     \
        {"properties", oa_kw_properties_annotated, OA_GROUP_PROPERTIES, 0},                \
        {"patternProperties", oa_kw_properties_annotated, OA_GROUP_PROPERTIES, 0},         \
        {"additionalProperties", oa_kw_properties_annotated, OA_GROUP_PROPERTIES, 0},      \
        {"maxProperties", oa_kw_max_properties, 0, 0},                                     \
        {"minProperties", oa_kw_min_properties, 0, 0},                                     \
        {"dependentRequired", oa_kw_dependent_required, 0, 0},                             \
        {"dependentSchemas", oa_kw_dependent_schemas, 0, 0},                               \
        {"dependencies", oa_kw_dependencies, 0, 0},                                        \
        {"propertyNames", oa_kw_property_names, 0, 0}, {"if", oa_kw_if, OA_GROUP_IF, 0},   \
        {"then", oa_kw_if, OA_GROUP_IF, 0}, {"else", oa_kw_if, OA_GROUP_IF, 0},            \
        {"allOf", oa_kw_all_of, 0, 0}, {"anyOf", oa_kw_any_of_annotated, OA_GROUP_ANY_OF, 0}, \
        {"oneOf", oa_kw_one_of, OA_GROUP_ONE_OF, 0}, {"not", oa_kw_not, 0, 0},             \
        {"default", oa_kw_default, 0, 0},                                                  \
        {"contentEncoding", oa_kw_content, OA_GROUP_CONTENT, 0},                           \
        {"contentMediaType", oa_kw_content, OA_GROUP_CONTENT, 0}

#define DRAFT2019_UNEVALUATED                                                              \
    {"unevaluatedItems", oa_kw_unevaluated, 0, 0},                                         \
        {"unevaluatedProperties", oa_kw_unevaluated, 0, 0}

static const oa_keyword_def draft2019_keywords[] = {
    {"$recursiveRef", oa_kw_recursive_ref, 0, 0},
    DRAFT2019_COMMON_FIRST,
    {"items", oa_kw_array_items, OA_GROUP_ITEMS, 0},
    {"additionalItems", oa_kw_array_items, OA_GROUP_ITEMS, 0},
    DRAFT2019_COMMON_REST,
    DRAFT2019_UNEVALUATED,
    {NULL, NULL, 0, 0},
};

#define DRAFT2020_FIRST                                                                    \
    {"$dynamicRef", oa_kw_dynamic_ref, 0, 0}, DRAFT2019_COMMON_FIRST,                      \
        {"prefixItems", oa_kw_array_items, OA_GROUP_ITEMS, 0},                             \
        {"items", oa_kw_array_items, OA_GROUP_ITEMS, 0}

static const oa_keyword_def draft2020_keywords[] = {
    DRAFT2020_FIRST,
    DRAFT2019_COMMON_REST,
    DRAFT2019_UNEVALUATED,
    {NULL, NULL, 0, 0},
};

/* OpenAPI 3.1: 2020-12 plus the OpenAPI vocabulary (discriminator; xml and example are
 * annotations) and readOnly/writeOnly enforced by request/response mode as in 3.0. */
static const oa_keyword_def oas31_keywords[] = {
    DRAFT2020_FIRST,
    {"readOnly", oa_kw_annotation_flag, 0, 0},
    {"writeOnly", oa_kw_annotation_flag, 0, 0},
    {"discriminator", oa_kw_discriminator, 0, 0},
    DRAFT2019_COMMON_REST,
    DRAFT2019_UNEVALUATED,
    {NULL, NULL, 0, 0},
};

static const struct {
    oa_dialect dialect;
    const char *name;
    const char *uri;
} dialect_names[] = {
    {OA_DIALECT_DRAFT4, "draft4", "http://json-schema.org/draft-04/schema"},
    {OA_DIALECT_OAS30, "oas30", NULL},
    {OA_DIALECT_DRAFT6, "draft6", "http://json-schema.org/draft-06/schema"},
    {OA_DIALECT_DRAFT7, "draft7", "http://json-schema.org/draft-07/schema"},
    {OA_DIALECT_DRAFT2019, "2019-09", "https://json-schema.org/draft/2019-09/schema"},
    {OA_DIALECT_DRAFT2020, "2020-12", "https://json-schema.org/draft/2020-12/schema"},
    {OA_DIALECT_OAS31, "oas31", "https://spec.openapis.org/oas/3.1/dialect/base"},
};

#define DIALECT_COUNT (sizeof(dialect_names) / sizeof(dialect_names[0]))

int oa_dialect_from_uri(const char *uri, oa_dialect *dialect)
{
    size_t i, length = strlen(uri);
    if (length && uri[length - 1] == '#')
        length--; /* "...draft-07/schema#" */
    for (i = 0; i < DIALECT_COUNT; i++) {
        const char *known = dialect_names[i].uri;
        if (known && strlen(known) == length && strncmp(known, uri, length) == 0) {
            *dialect = dialect_names[i].dialect;
            return 1;
        }
    }
    /* OpenAPI 3.1 publishes its dialect under dated URIs too */
    if (strncmp(uri, "https://spec.openapis.org/oas/3.1/dialect/", 42) == 0) {
        *dialect = OA_DIALECT_OAS31;
        return 1;
    }
    return 0;
}

int oa_dialect_from_name(const char *name, oa_dialect *dialect)
{
    size_t i;
    for (i = 0; i < DIALECT_COUNT; i++) {
        if (strcmp(dialect_names[i].name, name) == 0) {
            *dialect = dialect_names[i].dialect;
            return 1;
        }
    }
    return 0;
}

const char *oa_dialect_uri(oa_dialect dialect)
{
    size_t i;
    for (i = 0; i < DIALECT_COUNT; i++)
        if (dialect_names[i].dialect == dialect)
            return dialect_names[i].uri;
    return NULL;
}

const oa_keyword_def *oa_dialect_keywords(oa_dialect dialect)
{
    switch (dialect) {
    case OA_DIALECT_OAS30:
        return oas30_keywords;
    case OA_DIALECT_DRAFT6:
        return draft6_keywords;
    case OA_DIALECT_DRAFT7:
        return draft7_keywords;
    case OA_DIALECT_DRAFT2019:
        return draft2019_keywords;
    case OA_DIALECT_DRAFT2020:
        return draft2020_keywords;
    case OA_DIALECT_OAS31:
        return oas31_keywords;
    case OA_DIALECT_DRAFT4:
    default:
        return draft4_keywords;
    }
}

/* ---- vocabularies ---- */

static const struct {
    const char *keyword;
    unsigned vocabulary;
} keyword_vocabularies[] = {
    {"prefixItems", OA_VOCAB_APPLICATOR}, {"items", OA_VOCAB_APPLICATOR},
    {"additionalItems", OA_VOCAB_APPLICATOR}, {"contains", OA_VOCAB_APPLICATOR},
    {"properties", OA_VOCAB_APPLICATOR}, {"patternProperties", OA_VOCAB_APPLICATOR},
    {"additionalProperties", OA_VOCAB_APPLICATOR}, {"dependentSchemas", OA_VOCAB_APPLICATOR},
    {"propertyNames", OA_VOCAB_APPLICATOR}, {"if", OA_VOCAB_APPLICATOR},
    {"then", OA_VOCAB_APPLICATOR}, {"else", OA_VOCAB_APPLICATOR},
    {"allOf", OA_VOCAB_APPLICATOR}, {"anyOf", OA_VOCAB_APPLICATOR},
    {"oneOf", OA_VOCAB_APPLICATOR}, {"not", OA_VOCAB_APPLICATOR},
    {"unevaluatedItems", OA_VOCAB_UNEVALUATED}, {"unevaluatedProperties", OA_VOCAB_UNEVALUATED},
    {"type", OA_VOCAB_VALIDATION}, {"enum", OA_VOCAB_VALIDATION},
    {"const", OA_VOCAB_VALIDATION}, {"multipleOf", OA_VOCAB_VALIDATION},
    {"maximum", OA_VOCAB_VALIDATION}, {"exclusiveMaximum", OA_VOCAB_VALIDATION},
    {"minimum", OA_VOCAB_VALIDATION}, {"exclusiveMinimum", OA_VOCAB_VALIDATION},
    {"maxLength", OA_VOCAB_VALIDATION}, {"minLength", OA_VOCAB_VALIDATION},
    {"pattern", OA_VOCAB_VALIDATION}, {"maxItems", OA_VOCAB_VALIDATION},
    {"minItems", OA_VOCAB_VALIDATION}, {"uniqueItems", OA_VOCAB_VALIDATION},
    {"maxContains", OA_VOCAB_VALIDATION}, {"minContains", OA_VOCAB_VALIDATION},
    {"maxProperties", OA_VOCAB_VALIDATION}, {"minProperties", OA_VOCAB_VALIDATION},
    {"required", OA_VOCAB_VALIDATION}, {"dependentRequired", OA_VOCAB_VALIDATION},
    {"default", OA_VOCAB_META_DATA}, {"readOnly", OA_VOCAB_META_DATA},
    {"writeOnly", OA_VOCAB_META_DATA}, {"format", OA_VOCAB_FORMAT | OA_VOCAB_FORMAT_ASSERTION},
    {"discriminator", OA_VOCAB_OAS}, {"contentEncoding", OA_VOCAB_CONTENT},
    {"contentMediaType", OA_VOCAB_CONTENT},
};

unsigned oa_keyword_vocabulary(const char *keyword)
{
    size_t i;
    for (i = 0; i < sizeof(keyword_vocabularies) / sizeof(keyword_vocabularies[0]); i++)
        if (strcmp(keyword_vocabularies[i].keyword, keyword) == 0)
            return keyword_vocabularies[i].vocabulary;
    return OA_VOCAB_CORE;
}

unsigned oa_vocabulary_of_uri(const char *uri)
{
    static const struct {
        const char *name;
        unsigned vocabulary;
    } names[] = {
        {"core", OA_VOCAB_CORE}, {"applicator", OA_VOCAB_APPLICATOR | OA_VOCAB_UNEVALUATED},
        {"unevaluated", OA_VOCAB_UNEVALUATED}, {"validation", OA_VOCAB_VALIDATION},
        {"meta-data", OA_VOCAB_META_DATA}, {"format", OA_VOCAB_FORMAT},
        {"format-annotation", OA_VOCAB_FORMAT},
        {"format-assertion", OA_VOCAB_FORMAT | OA_VOCAB_FORMAT_ASSERTION},
        {"content", OA_VOCAB_CONTENT},
    };
    static const char *const prefixes[] = {"https://json-schema.org/draft/2020-12/vocab/",
                                           "https://json-schema.org/draft/2019-09/vocab/"};
    size_t i, p;
    if (strncmp(uri, "https://spec.openapis.org/oas/3.1/vocab/", 40) == 0)
        return OA_VOCAB_OAS;
    for (p = 0; p < 2; p++) {
        size_t length = strlen(prefixes[p]);
        if (strncmp(uri, prefixes[p], length) != 0)
            continue;
        for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
            if (strcmp(uri + length, names[i].name) == 0)
                return names[i].vocabulary;
    }
    return 0;
}
