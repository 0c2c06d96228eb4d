/* oa_spec_load_docset: a spec whose files are held in memory (a docset with its own
 * loader), $refs across them resolved, and a refused one naming where; a pointer through
 * a loop of $refs ends as a loop (a regression found by fuzzing). */
#include <apr_general.h>
#include <apr_strings.h>

#include "doc/oa_parse.h"
#include "spec/oa_spec_load.h"
#include "unit.h"

static const char ROOT[] =
    "openapi: 3.0.3\n"
    "info: {title: in memory, version: '1'}\n"
    "paths:\n"
    "  /things/{id}:\n"
    "    $ref: 'parts.yaml#/thing'\n";
static const char PARTS[] =
    "thing:\n"
    "  get:\n"
    "    operationId: mem.get_thing\n"
    "    parameters:\n"
    "      - {name: id, in: path, required: true, schema: {type: integer}}\n"
    "    responses: {'200': {description: ok}}\n";

static const char BROKEN[] =
    "openapi: 3.0.3\n"
    "info: {title: t, version: '1'}\n"
    "paths:\n"
    "  /x: {$ref: 'parts.yaml#/nothing'}\n";

/* found by fuzz_docset: a pointer passing through a loop of $refs was walked forever,
 * its error text growing until the process ran out of memory */
static const char LOOP[] =
    "openapi: 3.0.3\n"
    "info: {title: t, version: '1'}\n"
    "paths: {}\n"
    "a: {$ref: '#/b'}\n"
    "b: {$ref: '#/a'}\n"
    "c: {$ref: '#/a/x/0'}\n";

static json_t *memory_loader(void *baton, oa_docset *set, const char *uri,
                             oa_posmap **positions, oa_diag *diag)
{
    apr_pool_t *pool = oa_docset_pool(set);
    (void)baton;
    if (strcmp(uri, "mem:///parts.yaml") == 0)
        return oa_parse_buffer(pool, uri, PARTS, sizeof(PARTS) - 1, positions, diag);
    oa_diag_add(diag, NULL, 0, 0, "no document '%s'", uri);
    return NULL;
}

int main(void)
{
    apr_pool_t *pool;
    oa_diag *diag;
    oa_docset *docs;
    oa_spec *spec;
    oa_posmap *positions = NULL;
    json_t *root;
    apr_initialize();
    apr_pool_create(&pool, NULL);

    diag = oa_diag_create(pool);
    docs = oa_docset_create(pool, memory_loader, NULL);
    root = oa_parse_buffer(pool, "mem:///api.yaml", ROOT, sizeof(ROOT) - 1, &positions, diag);
    oa_docset_add(docs, "mem:///api.yaml", root, positions);
    spec = oa_spec_load_docset(pool, "api.yaml", "mem:///api.yaml", docs, diag);
    CHECK(spec != NULL);
    CHECK_INT(oa_diag_count(diag), 0);
    if (spec) {
        CHECK_STR(spec->file, "api.yaml");
        CHECK_INT(spec->operations->nelts, 1);
        CHECK(oa_spec_find_operation(spec, OA_METHOD_GET, "/things/{id}") != NULL);
    }

    /* the root itself comes through the loader too; one it cannot have is an error */
    diag = oa_diag_create(pool);
    docs = oa_docset_create(pool, memory_loader, NULL);
    spec = oa_spec_load_docset(pool, "gone.yaml", "mem:///gone.yaml", docs, diag);
    CHECK(spec == NULL);
    CHECK_STR(oa_diag_line(pool, diag, 0), "no document 'mem:///gone.yaml'");

    /* a broken reference into the other document is named with its file and line */
    diag = oa_diag_create(pool);
    docs = oa_docset_create(pool, memory_loader, NULL);
    root = oa_parse_buffer(pool, "mem:///api.yaml", BROKEN, sizeof(BROKEN) - 1, &positions,
                           diag);
    CHECK(root != NULL);
    oa_docset_add(docs, "mem:///api.yaml", root, positions);
    spec = oa_spec_load_docset(pool, "api.yaml", "mem:///api.yaml", docs, diag);
    CHECK(spec == NULL);
    CHECK(oa_diag_count(diag) >= 1);
    CHECK(strstr(oa_diag_join(pool, diag, "\n"), "4:") != NULL);

    diag = oa_diag_create(pool);
    docs = oa_docset_create(pool, memory_loader, NULL);
    root = oa_parse_buffer(pool, "mem:///api.yaml", LOOP, sizeof(LOOP) - 1, &positions, diag);
    oa_docset_add(docs, "mem:///api.yaml", root, positions);
    spec = oa_spec_load_docset(pool, "api.yaml", "mem:///api.yaml", docs, diag);
    CHECK(spec == NULL);
    CHECK(strstr(oa_diag_join(pool, diag, "\n"), "reference loop") != NULL);
    CHECK(strstr(oa_diag_join(pool, diag, "\n"), "api.yaml:6:") != NULL);

    apr_pool_destroy(pool);
    apr_terminate();
    return unit_finish();
}
