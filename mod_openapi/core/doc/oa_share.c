/* Identical subtrees shared (see oa_share.h). Bottom-up: a container is compared once its
 * members are final, and members that are containers were shared before it, so two equal
 * containers have pointer-equal container members and the comparison is one level deep:
 * linear in the document overall. */
#include "doc/oa_share.h"

#include <string.h>

/* Identical mappings and sequences seen so far, by structural hash; chained, doubling. */
typedef struct shared_entry {
    json_t *node; /* borrowed: the tree holds it */
    unsigned hash;
    struct shared_entry *next;
} shared_entry;

struct oa_share {
    apr_pool_t *pool;
    shared_entry **buckets;
    unsigned size; /* a power of 2 */
    unsigned count;
};

oa_share *oa_share_create(apr_pool_t *pool)
{
    apr_pool_t *own;
    oa_share *share;
    apr_pool_create(&own, pool);
    share = apr_pcalloc(own, sizeof(*share));
    share->pool = own;
    return share;
}

void oa_share_destroy(oa_share *share)
{
    if (share)
        apr_pool_destroy(share->pool);
}

int oa_share_key_starts_shared(const char *key, size_t length)
{
    static const char *const shared_keys[] = {
        "schema", "schemas", "definitions", "example", "examples", "requestBody",
        "requestBodies", "responses", "content", "headers", NULL};
    const char *const *each;
    for (each = shared_keys; *each; each++)
        if (strlen(*each) == length && memcmp(key, *each, length) == 0)
            return 1;
    return 0;
}

static unsigned hash_bytes(unsigned hash, const void *data, size_t length)
{
    const unsigned char *p = data;
    size_t i;
    for (i = 0; i < length; i++)
        hash = (hash ^ p[i]) * 16777619u; /* FNV-1a */
    return hash;
}

static unsigned hash_member(unsigned hash, const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_STRING:
        return hash_bytes(hash, json_string_value(value), json_string_length(value));
    case JSON_INTEGER: {
        json_int_t number = json_integer_value(value);
        return hash_bytes(hash, &number, sizeof(number));
    }
    case JSON_REAL: {
        double number = json_real_value(value);
        return hash_bytes(hash, &number, sizeof(number));
    }
    default: /* containers (already shared) and the true/false/null singletons */
        return hash_bytes(hash, &value, sizeof(value));
    }
}

static unsigned hash_container(const json_t *node)
{
    unsigned hash = hash_bytes(2166136261u, &(int){json_typeof(node)}, sizeof(int));
    if (json_is_object(node)) {
        const char *key;
        json_t *value;
        json_object_foreach((json_t *)node, key, value) {
            hash = hash_bytes(hash, key, strlen(key) + 1);
            hash = hash_member(hash, value);
        }
    }
    else {
        size_t i;
        json_t *item;
        json_array_foreach(node, i, item)
            hash = hash_member(hash, item);
    }
    return hash;
}

static int same_member(const json_t *a, const json_t *b)
{
    return a == b || (!json_is_object(a) && !json_is_array(a) && json_equal(a, b));
}

/* Equal members in the same order (the order shows: errors, mock answers). */
static int same_container(const json_t *a, const json_t *b)
{
    if (json_typeof(a) != json_typeof(b))
        return 0;
    if (json_is_object(a)) {
        void *ia = json_object_iter((json_t *)a);
        void *ib = json_object_iter((json_t *)b);
        if (json_object_size(a) != json_object_size(b))
            return 0;
        for (; ia && ib; ia = json_object_iter_next((json_t *)a, ia),
                         ib = json_object_iter_next((json_t *)b, ib))
            if (strcmp(json_object_iter_key(ia), json_object_iter_key(ib)) != 0 ||
                !same_member(json_object_iter_value(ia), json_object_iter_value(ib)))
                return 0;
        return 1;
    }
    {
        size_t i;
        if (json_array_size(a) != json_array_size(b))
            return 0;
        for (i = 0; i < json_array_size(a); i++)
            if (!same_member(json_array_get(a, i), json_array_get(b, i)))
                return 0;
        return 1;
    }
}

static void grow(oa_share *share)
{
    unsigned size = share->size ? share->size * 2 : 1024;
    shared_entry **buckets = apr_pcalloc(share->pool, sizeof(*buckets) * size);
    unsigned i;
    for (i = 0; i < share->size; i++) {
        shared_entry *entry = share->buckets[i];
        while (entry) {
            shared_entry *next = entry->next;
            entry->next = buckets[entry->hash & (size - 1)];
            buckets[entry->hash & (size - 1)] = entry;
            entry = next;
        }
    }
    share->buckets = buckets;
    share->size = size;
}

/* The released container's own members that die with it lose their positions too: their
 * addresses may be reused by nodes made later. */
static void forget_released(oa_posmap *positions, json_t *node)
{
    json_t *value;
    if (json_is_object(node)) {
        const char *key;
        json_object_foreach(node, key, value)
            if (value->refcount == 1)
                oa_posmap_forget(positions, value);
    }
    else {
        size_t i;
        json_array_foreach(node, i, value)
            if (value->refcount == 1)
                oa_posmap_forget(positions, value);
    }
    oa_posmap_forget(positions, node);
}

json_t *oa_share_node(oa_share *share, oa_posmap *positions, json_t *node)
{
    shared_entry *entry;
    unsigned hash;
    if (!share || !node || !(json_is_object(node) || json_is_array(node)))
        return node;
    hash = hash_container(node);
    for (entry = share->size ? share->buckets[hash & (share->size - 1)] : NULL; entry;
         entry = entry->next) {
        if (entry->hash == hash && same_container(entry->node, node)) {
            forget_released(positions, node);
            json_decref(node);
            return json_incref(entry->node);
        }
    }
    if (share->count >= share->size)
        grow(share);
    entry = apr_palloc(share->pool, sizeof(*entry));
    entry->node = node;
    entry->hash = hash;
    entry->next = share->buckets[hash & (share->size - 1)];
    share->buckets[hash & (share->size - 1)] = entry;
    share->count++;
    return node;
}
