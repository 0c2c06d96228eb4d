/* Specs split over files: relative $refs resolve against the document that holds them
 * (RFC 3986), for every kind of object, two and three files deep, through subdirectories
 * and ../; pointers that pass through another $ref; errors at the $ref's position, once;
 * loading and compiling through oa_spec_prepare as the module and openapi-check do. */
#include <apr_general.h>
#include <apr_strings.h>
#include <stdio.h>
#include <string.h>

#include "schema/oa_cast.h"
#include "spec/oa_spec.h"
#include "spec/oa_spec_compile.h"
#include "spec/oa_spec_load.h"
#include "unit.h"

static apr_pool_t *pool;

static const char *fixture(const char *name)
{
    return apr_pstrcat(pool, unit_srcdir(), "/tests/fixtures/specs/multifile/", name, NULL);
}

/* Loads and prepares; the diagnostics are left in *diag. */
static oa_spec *load(const char *name, oa_diag **diag)
{
    oa_spec *spec;
    *diag = oa_diag_create(pool);
    spec = oa_spec_load(pool, fixture(name), *diag);
    if (spec && !oa_spec_prepare(spec, NULL, NULL, *diag))
        return NULL;
    return spec;
}

static int ends_with(const char *text, const char *tail)
{
    size_t n = text ? strlen(text) : 0, m = strlen(tail);
    return n >= m && strcmp(text + n - m, tail) == 0;
}

static const char *first_error(const oa_diag *diag)
{
    return diag->entries->nelts
        ? oa_diag_format(pool, &APR_ARRAY_IDX(diag->entries, 0, oa_diag_entry)) : "";
}

static void test_every_kind_across_files(void)
{
    oa_diag *diag;
    oa_spec *spec = load("api.yaml", &diag);
    oa_operation *op;
    oa_parameter *param;
    oa_response *response;
    oa_media_type *media;
    const char *base;
    json_t *node;
    CHECK(spec != NULL);
    if (!spec) {
        fprintf(stderr, "%s\n", first_error(diag));
        return;
    }
    CHECK_INT(spec->operations->nelts, 2);

    /* A path item in paths/, its parameter in ../components/parameters, whose schema is in
     * ../schemas: three files below the root. */
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/items/{id}");
    CHECK(op != NULL);
    if (!op)
        return;
    CHECK(ends_with(op->base, "/multifile/paths/items.yaml"));
    CHECK_INT(op->parameters->nelts, 1);
    param = APR_ARRAY_IDX(op->parameters, 0, oa_parameter *);
    CHECK_STR(param->name, "id");
    CHECK(ends_with(param->schema.base, "/components/parameters/id.yaml"));
    CHECK_STR(json_string_value(json_object_get(param->resolved_schema, "type")), "integer");
    CHECK(param->compiled != NULL);
    response = APR_ARRAY_IDX(op->response_list, 0, oa_response *);
    CHECK_STR(response->status, "200");
    CHECK_INT(response->headers->nelts, 1);
    CHECK(APR_ARRAY_IDX(response->headers, 0, oa_response_header *)->compiled != NULL);
    media = APR_ARRAY_IDX(response->media, 0, oa_media_type *);
    CHECK(ends_with(media->schema.base, "/components/responses/item.yaml"));
    CHECK(media->compiled != NULL);

    /* An operation reached by $ref from the root: its parameter (a sibling file), request
     * body (../../components) and responses resolve from paths/orders/. */
    op = oa_spec_find_operation(spec, OA_METHOD_POST, "/orders");
    CHECK(op != NULL);
    if (!op)
        return;
    CHECK_STR(op->operation_id, "orders.create_order");
    CHECK(ends_with(op->base, "/multifile/paths/orders/post.yaml"));
    CHECK_INT(op->parameters->nelts, 1);
    param = APR_ARRAY_IDX(op->parameters, 0, oa_parameter *);
    CHECK_STR(param->name, "limit");
    CHECK_INT(json_integer_value(json_object_get(param->resolved_schema, "maximum")), 10);
    CHECK(op->request_body_required);
    CHECK_INT(op->request_media->nelts, 1);
    media = APR_ARRAY_IDX(op->request_media, 0, oa_media_type *);
    CHECK(media->compiled != NULL);
    CHECK(media->shape != NULL && media->shape->properties != NULL);
    CHECK_INT(op->response_list->nelts, 1);
    /* The security scheme lives in components/security.yaml. */
    CHECK_INT(op->security->nelts, 1);
    CHECK(oa_spec_security_scheme(spec, "key") != NULL &&
          oa_spec_security_scheme(spec, "key")->kind == OA_SECURITY_APIKEY);
    CHECK_STR(oa_spec_security_scheme(spec, "key")->api_key_name, "X-Key");

    /* Examples, links and callbacks are not modelled; their $refs resolve from their own
     * files (the load would fail otherwise), and the resolver finds them. */
    node = oa_docset_resolve(spec->docs, pool, media->schema.base, "../examples/item.yaml",
                             &base, diag);
    CHECK(json_is_object(json_object_get(node, "value")));
    CHECK(oa_docset_resolve(spec->docs, pool, op->base,
                            "../../components/callbacks/done.yaml", &base, diag) != NULL);
    CHECK(oa_docset_resolve(spec->docs, pool, op->base, "../../components/links/self.yaml",
                            &base, diag) != NULL);
    CHECK(oa_docset_resolve(spec->docs, pool, op->base,
                            "../../components/examples/item.yaml#/value/id", &base,
                            diag) != NULL);
}

static void test_pointer_through_ref(void)
{
    oa_diag *diag;
    oa_spec *spec = load("through_ref.yaml", &diag);
    oa_operation *op;
    oa_media_type *media;
    const char *base;
    json_t *target;
    CHECK(spec != NULL);
    if (!spec) {
        fprintf(stderr, "%s\n", first_error(diag));
        return;
    }
    op = oa_spec_find_operation(spec, OA_METHOD_GET, "/b");
    media = APR_ARRAY_IDX(APR_ARRAY_IDX(op->response_list, 0, oa_response *)->media, 0,
                          oa_media_type *);
    CHECK(media->compiled != NULL);
    /* /b's schema is the first allOf branch of wrapper.yaml's Wrapper, itself a $ref to
     * #/Base of wrapper.yaml (not of the root). */
    target = oa_docset_follow(spec->docs, pool, media->schema.node, media->schema.base,
                              &base, diag);
    CHECK(target != NULL);
    CHECK(ends_with(base, "/components/schemas/wrapper.yaml"));
    CHECK(json_object_get(json_object_get(target, "properties"), "name") != NULL);
}

static void test_errors(void)
{
    oa_diag *diag;
    const char *message;

    /* A missing file: the $ref's FILE:LINE:COL, then the file; once. */
    CHECK(load("broken/missing_file.yaml", &diag) == NULL);
    CHECK_INT(diag->entries->nelts, 1);
    message = first_error(diag);
    CHECK(strstr(message, "/multifile/broken/paths/a.yaml:4:13: $ref "
                          "'../parameters/nope.yaml': ") != NULL);
    CHECK(strstr(message, "/multifile/broken/parameters/nope.yaml: cannot read") != NULL);

    /* A pointer through a $ref that still finds nothing: at the $ref, naming the hop. */
    CHECK(load("broken/through_ref.yaml", &diag) == NULL);
    CHECK_INT(diag->entries->nelts, 1);
    message = first_error(diag);
    CHECK(strstr(message, "broken/through_ref.yaml:26:23: $ref '#/paths/~1a/get/responses/"
                          "200/content/application~1json/schema/allOf/7': nothing at") != NULL);
    CHECK(strstr(message, "passes through $ref '../components/schemas/wrapper.yaml#/Wrapper'"
                          " at ") != NULL);
    CHECK(strstr(message, "broken/through_ref.yaml:16:23") != NULL);

    /* A broken reference only compiling finds, in a schema three operations share: the
     * load succeeds, the prepare step fails, and the error is reported once. */
    diag = oa_diag_create(pool);
    {
        oa_spec *spec = oa_spec_load(pool, fixture("broken/shared_mapping.yaml"), diag);
        CHECK(spec != NULL);
        CHECK(spec && !oa_spec_prepare(spec, NULL, NULL, diag));
    }
    CHECK_INT(diag->entries->nelts, 1);
    CHECK(strstr(first_error(diag), "shared_mapping.yaml:50:16: $ref "
                                    "'#/components/schemas/Dgo': nothing at") != NULL);
}

static void test_diag_once(void)
{
    oa_diag *diag = oa_diag_create(pool);
    oa_diag_add(diag, "a.yaml", 1, 2, "broken %s", "ref");
    oa_diag_add(diag, "a.yaml", 1, 2, "broken ref");
    oa_diag_add(diag, "a.yaml", 1, 3, "broken ref");
    oa_diag_add(diag, NULL, 0, 0, "broken ref");
    CHECK_INT(oa_diag_count(diag), 3);
}

static void test_frozen_set_only_reads(void)
{
    oa_diag *diag;
    oa_spec *spec = load("api.yaml", &diag);
    const char *base;
    apr_pool_t *request_pool;
    if (!spec)
        return;
    apr_pool_create(&request_pool, pool);
    /* Documents already loaded resolve; a new one is not read once the spec is ready. */
    CHECK(oa_docset_resolve(spec->docs, request_pool, spec->uri,
                            "components/schemas/id.yaml#/minimum", &base, diag) != NULL);
    CHECK(oa_docset_resolve(spec->docs, request_pool, spec->uri, "through_ref.yaml", &base,
                            diag) == NULL);
    CHECK(strstr(oa_diag_format(pool, &APR_ARRAY_IDX(diag->entries, diag->entries->nelts - 1,
                                                     oa_diag_entry)),
                 "no document is known as") != NULL);
    apr_pool_destroy(request_pool);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);
    test_every_kind_across_files();
    test_pointer_through_ref();
    test_errors();
    test_diag_once();
    test_frozen_set_only_reads();
    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
