/* The example handler plugin: a pet store kept in the memory of each httpd process.
 * Handlers run on many threads at once, so the store is guarded by a mutex. */
#include <openapi_plugin.h>

#include <apr_thread_mutex.h>
#include <stdio.h>
#include <string.h>

OPENAPI_PLUGIN_DECLARE();

#define MAX_PETS 1000

typedef struct pet {
    json_int_t id;
    char name[128];
    char tag[64];
    int used;
} pet;

static pet pets[MAX_PETS];
static json_int_t next_id = 1;
static apr_thread_mutex_t *lock;

OPENAPI_EXPORT int openapi_plugin_init(openapi_plugin_context *ctx, const char **error)
{
    memset(pets, 0, sizeof(pets));
    next_id = 1;
    if (apr_thread_mutex_create(&lock, APR_THREAD_MUTEX_DEFAULT, openapi_plugin_pool(ctx)) !=
        APR_SUCCESS) {
        *error = "cannot create the store's mutex";
        return OPENAPI_ERROR;
    }
    return OPENAPI_OK;
}

static json_t *pet_json(const pet *p)
{
    json_t *object = json_pack("{s:I, s:s}", "id", (json_int_t)p->id, "name", p->name);
    if (p->tag[0])
        json_object_set_new(object, "tag", json_string(p->tag));
    return object;
}

static pet *find_pet(json_int_t id)
{
    int i;
    for (i = 0; i < MAX_PETS; i++)
        if (pets[i].used && pets[i].id == id)
            return &pets[i];
    return NULL;
}

static void not_found(openapi_response *res, json_int_t id)
{
    char detail[64];
    snprintf(detail, sizeof(detail), "no pet has the id %lld", (long long)id);
    openapi_problem(res, 404, "Not Found", detail);
}

OPENAPI_HANDLER int list_pets(openapi_request *req, openapi_response *res)
{
    json_int_t limit = json_integer_value(openapi_param(req, "limit"));
    json_t *list = json_array();
    int i;
    apr_thread_mutex_lock(lock);
    for (i = 0; i < MAX_PETS && (json_int_t)json_array_size(list) < limit; i++)
        if (pets[i].used)
            json_array_append_new(list, pet_json(&pets[i]));
    apr_thread_mutex_unlock(lock);
    openapi_set_json(res, list);
    return OPENAPI_OK;
}

OPENAPI_HANDLER int create_pet(openapi_request *req, openapi_response *res)
{
    json_t *body = openapi_body_json(req);
    const char *name = json_string_value(json_object_get(body, "name"));
    const char *tag = json_string_value(json_object_get(body, "tag"));
    pet *slot = NULL;
    json_t *created = NULL;
    int i;
    if (!name || !*name) {
        openapi_problem(res, 400, "Bad Request", "a pet needs a name");
        return OPENAPI_OK;
    }
    apr_thread_mutex_lock(lock);
    for (i = 0; i < MAX_PETS && !slot; i++)
        if (!pets[i].used)
            slot = &pets[i];
    if (slot) {
        slot->used = 1;
        slot->id = next_id++;
        snprintf(slot->name, sizeof(slot->name), "%s", name);
        snprintf(slot->tag, sizeof(slot->tag), "%s", tag ? tag : "");
        created = pet_json(slot);
    }
    apr_thread_mutex_unlock(lock);
    if (!created) {
        openapi_problem(res, 507, "Insufficient Storage", "the store is full");
        return OPENAPI_OK;
    }
    openapi_set_status(res, 201);
    {
        char location[64];
        snprintf(location, sizeof(location), "pets/%lld",
                 (long long)json_integer_value(json_object_get(created, "id")));
        openapi_add_header(res, "Location", location);
    }
    openapi_set_json(res, created);
    return OPENAPI_OK;
}

OPENAPI_HANDLER int get_pet(openapi_request *req, openapi_response *res)
{
    json_int_t id = json_integer_value(openapi_param(req, "petId"));
    json_t *found = NULL;
    pet *p;
    apr_thread_mutex_lock(lock);
    p = find_pet(id);
    if (p)
        found = pet_json(p);
    apr_thread_mutex_unlock(lock);
    if (!found)
        not_found(res, id);
    else
        openapi_set_json(res, found);
    return OPENAPI_OK;
}

OPENAPI_HANDLER int delete_pet(openapi_request *req, openapi_response *res)
{
    json_int_t id = json_integer_value(openapi_param(req, "petId"));
    pet *p;
    int deleted = 0;
    apr_thread_mutex_lock(lock);
    p = find_pet(id);
    if (p) {
        p->used = 0;
        deleted = 1;
    }
    apr_thread_mutex_unlock(lock);
    if (!deleted)
        not_found(res, id);
    else
        openapi_set_status(res, 204);
    return OPENAPI_OK;
}
