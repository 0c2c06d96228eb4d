/* The structural check: the spec's root document against the official OpenAPI schema of
 * its version, compiled into a scratch pool and thrown away afterwards.
 *
 * Raw validator output is made readable in two steps. A failed oneOf/anyOf says only
 * that no branch matched; the node was meant to match one of them, so the branch it fits
 * best (see pick_branch) is validated again and its errors are reported instead. Each
 * error then names what failed in the spec's terms: the kind of object (from the
 * definition of the official schema the keyword sits in), the field, the value. */
#include "spec/oa_spec_structure.h"

#include <apr_strings.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "schema/oa_format.h"
#include "schema/oa_schema.h"
#include "spec/oa_spec_bundle.h"
#include "spec/oa_spec_schemas.h"

/* Explaining a oneOf by one of its branches may meet another oneOf inside; this bounds
 * the nesting (the official schemas need three levels at most). */
#define OA_STRUCTURE_MAX_EXPLAIN_DEPTH 8
/* Errors counted when branches are compared (enough to rank them). */
#define OA_STRUCTURE_RANK_ERRORS 64
/* The whole document is one validation whose work grows with its size: this many
 * schema evaluations per value of the document (the official schemas need about a dozen
 * per value; the rest is headroom for anyOf/oneOf tried branch by branch), up to the
 * values of OA_STRUCTURE_MAX_COUNTED (a repeated YAML alias is counted each time it is
 * used, which this bounds). */
#define OA_STRUCTURE_WORK_PER_VALUE 64
#define OA_STRUCTURE_MAX_COUNTED 2000000L

typedef struct checker {
    const oa_spec *spec;
    json_t *document;           /* what is checked: the root document, or the bundle */
    apr_hash_t *origins;        /* the bundle's copied nodes -> the spec's own; or NULL */
    const char *outside_of;     /* report only errors outside this file; or NULL */
    apr_pool_t *pool;           /* scratch: the official schemas and their compilation */
    oa_docset *schemas;         /* the official schemas */
    oa_schema_registry *registry;
    oa_diag *diag;
    int reported;
    int dropped;
} checker;

/* ---- which schema ---- */

static json_t *load_official(void *baton, oa_docset *set, const char *uri,
                             oa_posmap **positions, oa_diag *diag)
{
    const oa_official_schema *schema;
    (void)baton;
    (void)set;
    *positions = NULL;
    for (schema = oa_official_schemas(); schema->uri; schema++) {
        if (strcmp(schema->uri, uri) == 0) {
            json_error_t error;
            json_t *root = json_loads(schema->json, 0, &error);
            if (!root)
                oa_diag_add(diag, NULL, 0, 0, "built-in schema %s: %s", uri, error.text);
            return root;
        }
    }
    oa_diag_add(diag, NULL, 0, 0, "no built-in schema has the URI %s", uri);
    return NULL;
}

/* The official schema of the spec's version and the dialect it is written in; 0 when
 * none applies. From 3.1 on, the "schema-base" variant also checks every Schema Object
 * against the OpenAPI dialect, unless jsonSchemaDialect names another one (whose
 * metaschema oa_spec_prepare's compiling then stands in for). */
static int official_schema_for(const oa_spec *spec, const char **uri, oa_dialect *dialect)
{
    const char *named = json_string_value(json_object_get(spec->root, "jsonSchemaDialect"));
    int oas_dialect = !named || (strncmp(named, "https://spec.openapis.org/oas/3.", 32) == 0 &&
                                 strstr(named, "/dialect/") != NULL);
    *dialect = spec->major == 2 || spec->minor == 0 ? OA_DIALECT_DRAFT4
                                                    : OA_DIALECT_DRAFT2020;
    if (spec->major == 2)
        *uri = "http://swagger.io/v2/schema.json";
    else if (spec->minor == 0)
        *uri = "https://spec.openapis.org/oas/3.0/schema/WORK-IN-PROGRESS";
    else if (spec->minor == 1)
        *uri = oas_dialect ? "https://spec.openapis.org/oas/3.1/schema-base/mod_openapi"
                           : "https://spec.openapis.org/oas/3.1/schema/2022-10-07";
    else if (spec->minor == 2)
        *uri = oas_dialect ? "https://spec.openapis.org/oas/3.2/schema-base/mod_openapi"
                           : "https://spec.openapis.org/oas/3.2/schema/2025-11-23";
    else
        return 0;
    return 1;
}

/* ---- URIs with template expressions ---- */

/* The spec writes URIs with RFC 6570 expressions in them: a $ref or operationRef naming
 * a templated path ('#/paths/~1items~1{id}/get', as the specification's own examples
 * do), an authorizationUrl with a {tenant}. Such a value passes the official schema's
 * uri / uri-reference format when it is a valid template whose expressions, each put
 * as one plain character, make a valid URI. */
static int templated(const json_t *instance, int (*is_valid)(const char *, size_t))
{
    const char *text = json_string_value(instance);
    size_t length = json_string_length(instance), i, n = 0;
    char *plain;
    int valid;
    if (!text || is_valid(text, length))
        return 1;
    if (!memchr(text, '{', length) || !oa_format_is_uri_template(text, length))
        return 0;
    plain = malloc(length + 1);
    if (!plain)
        return 0;
    for (i = 0; i < length; i++) {
        if (text[i] == '{') {
            const char *close = memchr(text + i, '}', length - i);
            i = close ? (size_t)(close - text) : length;
            plain[n++] = 'x';
        }
        else
            plain[n++] = text[i];
    }
    valid = is_valid(plain, n);
    free(plain);
    return valid;
}

static int templated_uri(const json_t *instance, void *baton)
{
    (void)baton;
    return templated(instance, oa_format_is_uri);
}

static int templated_uri_reference(const json_t *instance, void *baton)
{
    (void)baton;
    return templated(instance, oa_format_is_uri_reference);
}

/* ---- the official schema's nodes ---- */

/* The node a validator location ("<document URI>#<JSON pointer>") names, or NULL. */
static json_t *schema_node(checker *c, const char *location, const char **document)
{
    const char *fragment;
    const char *uri = oa_uri_split_fragment(c->pool, location, &fragment);
    oa_diag *ignored = oa_diag_create(c->pool);
    json_t *root = oa_docset_get(c->schemas, uri, ignored);
    if (document)
        *document = uri;
    if (!root)
        return NULL;
    return oa_json_pointer_get(c->pool, root, fragment ? fragment : "", 1);
}

static json_t *follow(checker *c, json_t *node, const char *base, const char **target)
{
    oa_diag *ignored = oa_diag_create(c->pool);
    return oa_docset_follow(c->schemas, c->pool, node, base, target, ignored);
}

/* The values of a document, each use of a shared one counted (as the validator visits
 * it), counting stopped past limit. */
static long count_values(const json_t *node, long counted, long limit)
{
    const char *key;
    json_t *member;
    size_t i;
    counted++;
    if (json_is_object(node)) {
        json_object_foreach((json_t *)node, key, member) {
            if (counted > limit)
                break;
            counted = count_values(member, counted, limit);
        }
    }
    else if (json_is_array(node)) {
        json_array_foreach(node, i, member) {
            if (counted > limit)
                break;
            counted = count_values(member, counted, limit);
        }
    }
    return counted;
}

static apr_array_header_t *validate_against(checker *c, json_t *schema_node_,
                                            const char *base, const json_t *instance,
                                            int max_errors)
{
    apr_array_header_t *errors = NULL;
    oa_diag *ignored = oa_diag_create(c->pool);
    oa_schema *schema = oa_schema_compile(c->registry, schema_node_, base, ignored);
    long values = count_values(instance, 0, OA_STRUCTURE_MAX_COUNTED);
    if (!schema)
        return NULL;
    if (oa_schema_validate_document(schema, instance, c->pool, &errors, max_errors,
                                    OA_STRUCTURE_WORK_PER_VALUE * values))
        return apr_array_make(c->pool, 1, sizeof(oa_schema_error));
    return errors;
}

/* ---- picking the branch a node was meant to match ---- */

static int value_allowed(json_t *property_schema, const json_t *value)
{
    json_t *allowed = json_object_get(property_schema, "enum");
    json_t *constant = json_object_get(property_schema, "const");
    size_t i;
    json_t *item;
    if (constant)
        return json_equal(constant, (json_t *)value);
    json_array_foreach(allowed, i, item)
        if (json_equal(item, (json_t *)value))
            return 1;
    return !json_is_array(allowed);
}

static int names_value_set(json_t *property_schema)
{
    return json_is_array(json_object_get(property_schema, "enum")) ||
           json_object_get(property_schema, "const") != NULL;
}

static int kind_fits(json_t *type, const json_t *instance)
{
    static const struct {
        const char *name;
        json_type kind;
    } kinds[] = {{"object", JSON_OBJECT}, {"array", JSON_ARRAY}, {"string", JSON_STRING},
                 {"integer", JSON_INTEGER}, {"number", JSON_INTEGER},
                 {"number", JSON_REAL}, {"boolean", JSON_TRUE}, {"boolean", JSON_FALSE},
                 {"null", JSON_NULL}};
    size_t i, k;
    json_t *name;
    if (json_is_string(type)) {
        for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
            if (strcmp(kinds[i].name, json_string_value(type)) == 0 &&
                kinds[i].kind == json_typeof(instance))
                return 1;
        return 0;
    }
    if (!json_is_array(type))
        return 1;
    json_array_foreach(type, k, name)
        if (kind_fits(name, instance))
            return 1;
    return 0;
}

typedef struct branch_rank {
    int kind_mismatch;   /* the branch's type does not fit the node */
    int value_mismatch;  /* discriminating fields (in, type) with a value it does not allow */
    int missing;         /* its required fields the node lacks */
    int covered;         /* the node's fields the branch declares (more is better) */
    int errors;          /* validation errors against it */
} branch_rank;

static int rank_better(const branch_rank *a, const branch_rank *b)
{
    if (a->kind_mismatch != b->kind_mismatch)
        return a->kind_mismatch < b->kind_mismatch;
    if (a->value_mismatch != b->value_mismatch)
        return a->value_mismatch < b->value_mismatch;
    if (a->missing != b->missing)
        return a->missing < b->missing;
    if (a->covered != b->covered)
        return a->covered > b->covered;
    return a->errors < b->errors;
}

/* Fields that name a set of values in two branches or more tell the branches apart
 * (a parameter's `in`, a security scheme's `type`). */
static apr_hash_t *discriminating_fields(checker *c, json_t **branches, size_t count,
                                         const char **bases)
{
    apr_hash_t *seen = apr_hash_make(c->pool);
    apr_hash_t *fields = apr_hash_make(c->pool);
    size_t i;
    for (i = 0; i < count; i++) {
        const char *name;
        json_t *property;
        json_object_foreach(json_object_get(branches[i], "properties"), name, property) {
            const char *ignored_base;
            if (!names_value_set(follow(c, property, bases[i], &ignored_base)))
                continue;
            if (apr_hash_get(seen, name, APR_HASH_KEY_STRING))
                apr_hash_set(fields, name, APR_HASH_KEY_STRING, name);
            apr_hash_set(seen, name, APR_HASH_KEY_STRING, name);
        }
    }
    return fields;
}

static void rank_branch(checker *c, json_t *branch, const char *base, apr_hash_t *fields,
                        const json_t *instance, branch_rank *rank)
{
    json_t *properties = json_object_get(branch, "properties");
    apr_array_header_t *errors;
    size_t i;
    json_t *name;
    memset(rank, 0, sizeof(*rank));
    rank->kind_mismatch = !kind_fits(json_object_get(branch, "type"), instance);
    if (json_is_object(instance)) {
        const char *key;
        json_t *value;
        json_array_foreach(json_object_get(branch, "required"), i, name)
            if (json_is_string(name) && !json_object_get(instance, json_string_value(name))) {
                rank->missing++;
                /* a Reference Object is told by its $ref: an object without one was
                 * meant as the other branch, however many mistakes it has */
                if (strcmp(json_string_value(name), "$ref") == 0)
                    rank->kind_mismatch = 1;
            }
        json_object_foreach((json_t *)instance, key, value) {
            json_t *property = json_object_get(properties, key);
            const char *ignored_base;
            if (!property)
                continue;
            rank->covered++;
            if (apr_hash_get(fields, key, APR_HASH_KEY_STRING) &&
                !value_allowed(follow(c, property, base, &ignored_base), value))
                rank->value_mismatch++;
        }
    }
    errors = validate_against(c, branch, base, instance, OA_STRUCTURE_RANK_ERRORS);
    rank->errors = errors ? errors->nelts : OA_STRUCTURE_RANK_ERRORS + 1;
}

/* The branch of a oneOf/anyOf array the instance fits best; NULL when none can be
 * compiled. */
static json_t *pick_branch(checker *c, json_t *alternatives, const char *base,
                           const json_t *instance, const char **branch_base)
{
    size_t count = json_array_size(alternatives);
    json_t **branches;
    const char **bases;
    apr_hash_t *fields;
    branch_rank best_rank = {0, 0, 0, 0, 0}, rank;
    json_t *best = NULL;
    size_t i;
    if (count == 0)
        return NULL;
    branches = apr_palloc(c->pool, count * sizeof(*branches));
    bases = apr_palloc(c->pool, count * sizeof(*bases));
    for (i = 0; i < count; i++)
        branches[i] = follow(c, json_array_get(alternatives, i), base, &bases[i]);
    fields = discriminating_fields(c, branches, count, bases);
    for (i = 0; i < count; i++) {
        if (!json_is_object(branches[i]))
            continue;
        rank_branch(c, branches[i], bases[i], fields, instance, &rank);
        if (!best || rank_better(&rank, &best_rank)) {
            best = branches[i];
            best_rank = rank;
            *branch_base = bases[i];
        }
    }
    return best;
}

/* ---- words ---- */

/* "PathItem" -> "path item", "APIKeySecurityScheme" -> "api key security scheme",
 * "OAuth2SecurityScheme" -> "oauth2 security scheme", "path-item-or-reference" -> "path
 * item or reference": a word starts at a capital after a small letter or digit, or at the
 * last capital of a run (never after a lone capital: "OAuth"). */
static const char *humanize(apr_pool_t *pool, const char *name)
{
    size_t n = strlen(name), i, word = 0;
    char *out = apr_palloc(pool, 2 * n + 1);
    char *p = out;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        unsigned char before = i > 0 ? (unsigned char)name[i - 1] : 0;
        unsigned char after = i + 1 < n ? (unsigned char)name[i + 1] : 0;
        if (isupper(ch) && word > 1 &&
            (islower(before) || isdigit(before) || (isupper(before) && islower(after)))) {
            *p++ = ' ';
            word = 0;
        }
        if (ch == '-' || ch == '_') {
            *p++ = ' ';
            word = 0;
            continue;
        }
        *p++ = (char)tolower(ch);
        word++;
    }
    *p = '\0';
    return out;
}

/* The subject of an error from the keyword's location in the official schema: the
 * definition it is in and, for a keyword of one field, the field ("schema type"). */
static const char *subject(checker *c, const char *location)
{
    const char *fragment;
    apr_array_header_t *tokens = apr_array_make(c->pool, 8, sizeof(const char *));
    const char *kind = "spec";
    const char *field = NULL;
    char *copy, *state, *token;
    int i, definition = -1;
    oa_uri_split_fragment(c->pool, location, &fragment);
    copy = apr_pstrdup(c->pool, oa_json_pointer_decode(c->pool, fragment ? fragment : ""));
    for (token = apr_strtok(copy, "/", &state); token; token = apr_strtok(NULL, "/", &state))
        APR_ARRAY_PUSH(tokens, const char *) =
            oa_json_pointer_token(c->pool, token, strlen(token));
    for (i = 0; i + 1 < tokens->nelts; i++) {
        const char *t = APR_ARRAY_IDX(tokens, i, const char *);
        if (strcmp(t, "definitions") == 0 || strcmp(t, "$defs") == 0)
            definition = i;
    }
    if (definition >= 0)
        kind = humanize(c->pool, APR_ARRAY_IDX(tokens, definition + 1, const char *));
    /* [definitions, Name,] properties, field, keyword */
    i = definition >= 0 ? definition + 2 : 0;
    if (tokens->nelts == i + 3 &&
        strcmp(APR_ARRAY_IDX(tokens, i, const char *), "properties") == 0)
        field = APR_ARRAY_IDX(tokens, i + 1, const char *);
    return field ? apr_pstrcat(c->pool, kind, " ", field, NULL) : kind;
}

/* A value as a person reads it: 'text', 42, an object. */
static const char *show(apr_pool_t *pool, const json_t *value)
{
    char *text;
    const char *out;
    if (json_is_object(value))
        return "an object";
    if (json_is_array(value))
        return "an array";
    if (json_is_string(value)) {
        size_t length = json_string_length(value);
        return apr_psprintf(pool, "'%.*s%s'", (int)(length > 60 ? 60 : length),
                            json_string_value(value), length > 60 ? "..." : "");
    }
    text = json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT);
    out = apr_pstrdup(pool, text ? text : "?");
    free(text);
    return out;
}

/* The last token of an instance pointer ("" for the root). */
static const char *last_token(apr_pool_t *pool, const char *pointer)
{
    const char *slash = strrchr(pointer, '/');
    return slash ? oa_json_pointer_token(pool, slash + 1, strlen(slash + 1)) : "";
}

/* A keyword of a JSON Schema metaschema (a Schema Object checked against its dialect):
 * its definitions name JSON Schema's parts, not the spec's. */
static int in_metaschema(const char *location)
{
    return strncmp(location, "https://json-schema.org/", 24) == 0 ||
           strncmp(location, "http://json-schema.org/", 23) == 0 ||
           (strncmp(location, "https://spec.openapis.org/oas/", 30) == 0 &&
            (strstr(location, "/dialect/") || strstr(location, "/meta/")));
}

static const char *describe(checker *c, const oa_schema_error *error,
                            const json_t *instance, const char *pointer)
{
    const char *what = subject(c, error->schema_pointer);
    if (in_metaschema(error->schema_pointer)) {
        /* "schema type", "schema minimum": the keyword the value is written under */
        const char *keyword = last_token(c->pool, pointer);
        what = *keyword && !strchr("0123456789", keyword[0])
                   ? apr_pstrcat(c->pool, "schema ", keyword, NULL)
                   : "schema";
    }
    if (strstr(error->schema_pointer, "/propertyNames/")) {
        /* the failing instance is the member's name, not its value */
        json_t *name = json_string(last_token(c->pool, pointer));
        const char *text = show(c->pool, name);
        json_t *keyword = schema_node(c, error->schema_pointer, NULL);
        json_decref(name);
        /* say why: the pattern names must match, or the names kept for other fields */
        if (strcmp(error->keyword, "pattern") == 0 && json_is_string(keyword))
            return apr_psprintf(c->pool, "%s: the name %s may not be used here (a name must "
                                "match %s)", what, text, json_string_value(keyword));
        if (strcmp(error->keyword, "not") == 0 &&
            json_is_array(json_object_get(keyword, "enum")))
            return apr_psprintf(c->pool, "%s: the name %s may not be used here (it is kept "
                                "for a field of its own)", what, text);
        return apr_psprintf(c->pool, "%s: the name %s may not be used here", what, text);
    }
    if (instance &&
        (strcmp(error->keyword, "enum") == 0 || strcmp(error->keyword, "const") == 0)) {
        json_t *keyword = schema_node(c, error->schema_pointer, NULL);
        const char *allowed = "";
        size_t i;
        json_t *item;
        if (json_is_array(keyword)) {
            json_array_foreach(keyword, i, item)
                allowed = apr_pstrcat(c->pool, allowed, i ? ", " : "",
                                      json_is_string(item) ? json_string_value(item)
                                                           : show(c->pool, item), NULL);
            return apr_psprintf(c->pool, "%s %s is not one of %s", what,
                                show(c->pool, instance), allowed);
        }
        if (keyword)
            return apr_psprintf(c->pool, "%s %s must be %s", what, show(c->pool, instance),
                                show(c->pool, keyword));
    }
    if (strcmp(error->keyword, "not") == 0) {
        /* {not: {required: [a, b]}}: fields that exclude each other; {not: {enum: [...]}}:
         * names kept for something else */
        json_t *negated = schema_node(c, error->schema_pointer, NULL);
        json_t *excluded = json_object_get(negated, "required");
        if (json_array_size(excluded) >= 2) {
            const char *names = "";
            size_t i, count = json_array_size(excluded);
            for (i = 0; i < count; i++)
                names = apr_pstrcat(c->pool, names, i == 0 ? "" : i + 1 < count ? ", " : " and ",
                                    "'", json_string_value(json_array_get(excluded, i)),
                                    "'", NULL);
            return apr_psprintf(c->pool, "%s: %s may not be given together", what, names);
        }
    }
    return apr_psprintf(c->pool, "%s: %s", what, error->message);
}

/* ---- reporting ---- */

/* Where a node is: its own position or, for a container the bundle copied, its
 * original's. */
static int position_of(checker *c, json_t *node, oa_position *where)
{
    json_t *original = c->origins ? apr_hash_get(c->origins, &node, sizeof(node)) : NULL;
    return oa_docset_position(c->spec->docs, original ? original : node, where);
}

/* The node to put an error at: the one the pointer names or, when that one has no
 * position (jansson's null, true and false are shared singletons), the nearest enclosing
 * node that has one. */
static json_t *placed_node(checker *c, const char *pointer, oa_position *where)
{
    char *path = apr_pstrdup(c->pool, pointer);
    for (;;) {
        json_t *node = oa_json_pointer_get(c->pool, c->document, path, 0);
        char *slash;
        if (node && position_of(c, node, where)) {
            json_t *original = c->origins ? apr_hash_get(c->origins, &node, sizeof(node))
                                          : NULL;
            return original ? original : node;
        }
        slash = strrchr(path, '/');
        if (!slash) {
            position_of(c, c->spec->root, where);
            return c->spec->root;
        }
        *slash = '\0';
    }
}

static void report(checker *c, const oa_schema_error *error, const char *pointer)
{
    json_t *node = oa_json_pointer_get(c->pool, c->document, pointer, 0);
    oa_position where;
    json_t *placed;
    memset(&where, 0, sizeof(where));
    placed = placed_node(c, pointer, &where);
    if (c->outside_of && (!where.file || strcmp(where.file, c->outside_of) == 0))
        return; /* the root document's own errors: reported by its own check */
    if (c->reported >= OA_STRUCTURE_MAX_ERRORS) {
        c->dropped++;
        return;
    }
    c->reported++;
    oa_spec_error_at(c->spec, c->diag, placed, "%s", describe(c, error, node, pointer));
}

static void explain(checker *c, const oa_schema_error *error, const char *prefix, int depth)
{
    const char *pointer = apr_pstrcat(c->pool, prefix, error->instance_pointer, NULL);
    if ((strcmp(error->keyword, "oneOf") == 0 || strcmp(error->keyword, "anyOf") == 0) &&
        depth < OA_STRUCTURE_MAX_EXPLAIN_DEPTH) {
        const char *document, *branch_base = NULL;
        json_t *alternatives = schema_node(c, error->schema_pointer, &document);
        json_t *instance = oa_json_pointer_get(c->pool, c->document, pointer, 0);
        json_t *branch = instance && json_is_array(alternatives)
                             ? pick_branch(c, alternatives, document, instance, &branch_base)
                             : NULL;
        apr_array_header_t *errors =
            branch ? validate_against(c, branch, branch_base, instance, 0) : NULL;
        if (errors && errors->nelts > 0) {
            int i;
            for (i = 0; i < errors->nelts; i++)
                explain(c, &APR_ARRAY_IDX(errors, i, oa_schema_error), pointer, depth + 1);
            return;
        }
    }
    report(c, error, pointer);
}

/* Validates c->document against the official schema; returns the number of errors
 * reported. */
static int check_document(checker *c, const char *uri, oa_dialect dialect)
{
    json_t *root;
    apr_array_header_t *errors;
    int i;
    apr_pool_create(&c->pool, c->spec->pool);
    c->schemas = oa_docset_create(c->pool, load_official, NULL);
    c->registry = oa_schema_registry_create(c->pool, c->schemas, dialect);
    oa_schema_register_format_for(c->registry, "uri", OA_FORMAT_STRINGS, templated_uri, NULL);
    oa_schema_register_format_for(c->registry, "uri-reference", OA_FORMAT_STRINGS,
                                  templated_uri_reference, NULL);
    root = oa_docset_get(c->schemas, uri, c->diag);
    errors = root ? validate_against(c, root, uri, c->document, 0) : NULL;
    if (!errors)
        oa_spec_error_at(c->spec, c->diag, c->spec->root, "the OpenAPI %s schema cannot be "
                         "used", c->spec->version);
    for (i = 0; errors && i < errors->nelts; i++)
        explain(c, &APR_ARRAY_IDX(errors, i, oa_schema_error), "", 0);
    if (c->dropped)
        oa_spec_error_at(c->spec, c->diag, c->spec->root, "%d more errors against the "
                         "OpenAPI %s schema are not listed", c->dropped, c->spec->version);
    oa_schema_registry_release(c->registry);
    oa_docset_release(c->schemas);
    apr_pool_destroy(c->pool);
    return c->reported + c->dropped + (errors ? 0 : 1);
}

int oa_spec_check_structure(const oa_spec *spec, oa_diag *diag)
{
    checker c;
    const char *uri;
    oa_dialect dialect;
    if (!official_schema_for(spec, &uri, &dialect))
        return 0;
    memset(&c, 0, sizeof(c));
    c.spec = spec;
    c.diag = diag;
    c.document = spec->root;
    return check_document(&c, uri, dialect);
}

int oa_spec_check_referenced_structure(oa_spec *spec, oa_diag *diag)
{
    checker c;
    const char *uri;
    oa_dialect dialect;
    oa_position root_at;
    apr_pool_t *scratch;
    oa_diag *ignored;
    int count = 0;
    if (oa_docset_count(spec->docs) < 2 || !official_schema_for(spec, &uri, &dialect) ||
        !oa_docset_position(spec->docs, spec->root, &root_at))
        return 0;
    apr_pool_create(&scratch, spec->pool);
    ignored = oa_diag_create(scratch);
    memset(&c, 0, sizeof(c));
    c.spec = spec;
    c.diag = diag;
    c.origins = apr_hash_make(scratch);
    c.outside_of = root_at.file;
    c.document = oa_spec_bundle_traced(spec, c.origins, ignored);
    if (c.document) { /* NULL: a $ref the loader has already reported */
        count = check_document(&c, uri, dialect);
        json_decref(c.document);
    }
    apr_pool_destroy(scratch);
    return count;
}
