/* The benchmark's mod_openapi plugin (cases b, c, e): the same work as bare_handler.c,
 * through the plugin SDK. Loaded as `OpenAPIPlugin bench .../bench_plugin.so`; the
 * operations of bench/httpd/spec.yaml name bench.get_item and bench.create_item.
 *
 * The request is routed, parsed and validated by mod_openapi before these run; the
 * response is serialized (and, with OpenAPIValidateResponses on, validated) after.
 *
 * Built by bench/httpd/run.sh, not by the project's Makefile. */
#include <openapi_plugin.h>

OPENAPI_PLUGIN_DECLARE();

/* GET /items/{id}?limit=N: {"id":ID,"limit":N,"name":"item"}. For id 999999 the limit
 * answered is 1000, beyond the spec's maximum: run.sh checks with it that response
 * validation is on where it should be (500) and off elsewhere (200). */
OPENAPI_HANDLER int get_item(openapi_request *req, openapi_response *res)
{
    json_t *params = openapi_params(req);
    json_int_t id = json_integer_value(json_object_get(params, "id"));
    json_t *limit = json_object_get(params, "limit");
    json_int_t n = limit ? json_integer_value(limit) : 10;
    if (id == 999999)
        n = 1000;
    openapi_set_json(res, json_pack("{s:I, s:I, s:s}", "id", id, "limit", n, "name", "item"));
    return OPENAPI_OK;
}

/* POST /items: the parsed order, answered with 201 (the module serializes it). */
OPENAPI_HANDLER int create_item(openapi_request *req, openapi_response *res)
{
    json_t *body = openapi_body_json(req);
    if (!body)
        return OPENAPI_ERROR;
    openapi_set_status(res, 201);
    openapi_set_json(res, json_incref(body));
    return OPENAPI_OK;
}
