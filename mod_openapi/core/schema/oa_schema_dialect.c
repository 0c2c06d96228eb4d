/* Dialects as keyword tables: a dialect is the list of keywords it knows, in the order
 * they are evaluated, each with its compile function. A new dialect (e.g. JSON Schema
 * 2020-12 for OpenAPI 3.1) is a new table plus the compile functions of its new
 * keywords; the compiler and the validator do not change. */
#include "schema/oa_schema_internal.h"

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

const oa_keyword_def *oa_dialect_keywords(oa_dialect dialect)
{
    switch (dialect) {
    case OA_DIALECT_OAS30:
        return oas30_keywords;
    case OA_DIALECT_DRAFT4:
    default:
        return draft4_keywords;
    }
}
