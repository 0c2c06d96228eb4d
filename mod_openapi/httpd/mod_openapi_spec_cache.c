/* Loaded specs shared between the locations serving the same spec file, httpd's two
 * configuration reads at start-up and graceful restarts that change nothing: a
 * process-level cache in a pool that survives pconf clears (a subpool of the process
 * pool). An entry is found by the spec's path and argument values, and reused only while
 * every document it read has the size, mtime and inode it had when loaded. Entries the
 * configuration just read did not use are freed in post_config, so memory does not grow
 * with reloads.
 *
 * A cached spec is compiled without plugin formats (their functions live in plugins
 * unloaded with pconf); a location whose plugins register formats loads a spec of its own
 * (glue_spec_cache_private). The module keeps itself loaded while the cache lives (its
 * compiled schemas point at its code and at the libraries it links). */
#include "mod_openapi_glue.h"

#include <dlfcn.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <http_log.h>
#include <http_main.h>
#include <apr_file_info.h>
#include <apr_strings.h>
#include <stdlib.h>
#include <string.h>

#include "spec/oa_spec_bundle.h"
#include "spec/oa_spec_compile.h"
#include "schema/oa_schema.h"
#include "spec/oa_spec_load.h"
#include "util/oa_pool.h"

APLOG_USE_MODULE(openapi);

#define CACHE_KEY "mod_openapi spec cache"
/* Bytes of freed blocks a spec's allocator keeps for its next allocations. */
#define ENTRY_MAX_FREE (256 * 1024)

typedef struct file_stamp {
    const char *path;
    apr_off_t size;
    apr_time_t mtime;
    apr_ino_t inode;
    apr_dev_t device;
} file_stamp;

typedef struct cache_entry {
    apr_pool_t *pool;           /* the spec's; destroyed with the entry */
    const char *key;
    oa_spec *spec;
    apr_array_header_t *stamps; /* of file_stamp: every document the spec read */
    unsigned generation;        /* the last configuration read that used it */
    int compiled;               /* oa_spec_prepare succeeded (without plugin formats) */
    json_t *bundled;            /* the spec endpoints' bundle, made once */
} cache_entry;

typedef struct spec_cache {
    apr_pool_t *pool;
    apr_hash_t *entries;        /* cache_entry * -> itself: every spec loaded here */
    apr_hash_t *by_key;         /* key -> cache_entry *: the ones that may be reused */
    apr_hash_t *by_spec;        /* oa_spec * -> cache_entry * */
    unsigned generation;        /* configuration reads so far (pre_config) */
    int disabled;               /* the module could not keep itself loaded */
    file_stamp module;          /* the module's file as it was when kept loaded */
} spec_cache;

static int stamp_file(apr_pool_t *pool, const char *path, file_stamp *stamp);
static int same_stamp(const file_stamp *a, const file_stamp *b);

/* Keeps this module's file loaded as long as the cache pool lives: httpd unloads modules
 * when it clears pconf, and a cached spec points at the module's code. The file is
 * stamped: a new one (a package upgrade) drops the cache at the next restart, so that
 * httpd loads it (see flush_for_new_module). */
static int keep_module_loaded(spec_cache *cache)
{
    Dl_info info;
    apr_dso_handle_t *self = NULL;
    if (!dladdr((void *)&openapi_module, &info) || !info.dli_fname ||
        !stamp_file(cache->pool, apr_pstrdup(cache->pool, info.dli_fname), &cache->module))
        return 0;
    return apr_dso_load(&self, info.dli_fname, cache->pool) == APR_SUCCESS;
}

/* The cache, made on first use, in the userdata of the process pool (pconf's parent). */
static spec_cache *cache_of(apr_pool_t *process_pool)
{
    spec_cache *cache = NULL;
    apr_pool_userdata_get((void **)&cache, CACHE_KEY, process_pool);
    if (cache)
        return cache->disabled ? NULL : cache;
    cache = apr_pcalloc(process_pool, sizeof(*cache));
    apr_pool_create(&cache->pool, process_pool);
    apr_pool_tag(cache->pool, "openapi_spec_cache");
    cache->entries = apr_hash_make(cache->pool);
    cache->by_key = apr_hash_make(cache->pool);
    cache->by_spec = apr_hash_make(cache->pool);
    cache->disabled = !keep_module_loaded(cache);
    apr_pool_userdata_set(cache, CACHE_KEY, apr_pool_cleanup_null, process_pool);
    return cache->disabled ? NULL : cache;
}

static spec_cache *the_cache(process_rec *process)
{
    return cache_of(process->pool);
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The path and the argument values (sorted by name), each length-prefixed so that no
 * two different sets of values make the same key. */
static const char *entry_key(apr_pool_t *pool, const char *path, const apr_hash_t *values)
{
    apr_array_header_t *parts = apr_array_make(pool, 8, sizeof(const char *));
    apr_hash_index_t *hi;
    const char *key;
    int i;
    for (hi = values ? apr_hash_first(pool, (apr_hash_t *)values) : NULL; hi;
         hi = apr_hash_next(hi)) {
        const void *name;
        void *value;
        apr_hash_this(hi, &name, NULL, &value);
        APR_ARRAY_PUSH(parts, const char *) =
            apr_psprintf(pool, "%" APR_SIZE_T_FMT ":%s=%" APR_SIZE_T_FMT ":%s",
                         strlen(name), (const char *)name, strlen(value), (const char *)value);
    }
    qsort(parts->elts, parts->nelts, sizeof(const char *), compare_strings);
    key = apr_psprintf(pool, "%" APR_SIZE_T_FMT ":%s", strlen(path), path);
    for (i = 0; i < parts->nelts; i++)
        key = apr_pstrcat(pool, key, "\n", APR_ARRAY_IDX(parts, i, const char *), NULL);
    return key;
}

static int stamp_file(apr_pool_t *pool, const char *path, file_stamp *stamp)
{
    apr_finfo_t info;
    if (apr_stat(&info, path, APR_FINFO_SIZE | APR_FINFO_MTIME | APR_FINFO_INODE |
                 APR_FINFO_DEV, pool) != APR_SUCCESS)
        return 0;
    stamp->path = path;
    stamp->size = info.size;
    stamp->mtime = info.mtime;
    stamp->inode = info.inode;
    stamp->device = info.device;
    return 1;
}

/* Every document of the spec, stamped; NULL when one is not a local file. */
static apr_array_header_t *stamp_documents(apr_pool_t *pool, const oa_spec *spec)
{
    apr_array_header_t *uris = oa_docset_document_uris(spec->docs, pool);
    apr_array_header_t *stamps = apr_array_make(pool, uris->nelts, sizeof(file_stamp));
    int i;
    for (i = 0; i < uris->nelts; i++) {
        const char *path = oa_uri_to_path(pool, APR_ARRAY_IDX(uris, i, const char *));
        if (!path || !stamp_file(pool, path, apr_array_push(stamps)))
            return NULL;
    }
    return stamps;
}

static int same_stamp(const file_stamp *a, const file_stamp *b)
{
    return a->size == b->size && a->mtime == b->mtime && a->inode == b->inode &&
           a->device == b->device;
}

static int unchanged(apr_pool_t *scratch, const cache_entry *entry)
{
    int i;
    for (i = 0; i < entry->stamps->nelts; i++) {
        const file_stamp *was = &APR_ARRAY_IDX(entry->stamps, i, file_stamp);
        file_stamp now;
        if (!stamp_file(scratch, was->path, &now) || !same_stamp(&now, was))
            return 0;
    }
    return 1;
}

static void forget(spec_cache *cache, cache_entry *entry)
{
    if (entry->key && apr_hash_get(cache->by_key, entry->key, APR_HASH_KEY_STRING) == entry)
        apr_hash_set(cache->by_key, entry->key, APR_HASH_KEY_STRING, NULL);
    apr_hash_set(cache->by_spec, &entry->spec, sizeof(entry->spec), NULL);
}

static void drop(spec_cache *cache, cache_entry *entry)
{
    forget(cache, entry);
    apr_hash_set(cache->entries, &entry, sizeof(entry), NULL);
    apr_pool_destroy(entry->pool);
}

/* A spec's pool, with an allocator of its own that keeps little of what is freed: the
 * load's scratch pools (the file's text, the parser's and the structure check's tables:
 * several times the spec's own size) go back to malloc when destroyed, and so to the
 * system (malloc_trim in post_config), instead of staying resident in the process
 * allocator's free lists and in every child; a dropped entry gives back all it held. */
static apr_pool_t *entry_pool(spec_cache *cache)
{
    apr_pool_t *pool = oa_pool_create_own(cache->pool, ENTRY_MAX_FREE);
    apr_pool_tag(pool, "openapi_cached_spec");
    return pool;
}

oa_spec *glue_spec_cache_load(server_rec *s, apr_pool_t *pconf, apr_pool_t *ptemp,
                              const char *path, oa_template_args *args, oa_diag *diag)
{
    spec_cache *cache = the_cache(s->process);
    const char *key;
    cache_entry *entry;
    apr_pool_t *pool;
    oa_spec *spec;
    if (!cache)
        return oa_spec_load_filled(pconf, path, args, diag);
    key = entry_key(ptemp, path, args ? args->values : NULL);
    entry = apr_hash_get(cache->by_key, key, APR_HASH_KEY_STRING);
    if (entry && unchanged(ptemp, entry)) {
        entry->generation = cache->generation;
        ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s,
                     OA_LOGNO(15000) "%s: reusing the spec loaded before (its %d files "
                     "unchanged)", path, entry->stamps->nelts);
        return entry->spec;
    }
    if (entry)
        forget(cache, entry); /* changed on disk: freed in post_config if still unused */
    pool = entry_pool(cache);
    spec = oa_spec_load_filled(pool, path, args, diag);
    entry = apr_pcalloc(pool, sizeof(*entry));
    entry->pool = pool;
    entry->spec = spec;
    entry->generation = cache->generation;
    apr_hash_set(cache->entries, apr_pmemdup(pool, &entry, sizeof(entry)), sizeof(entry),
                 entry);
    entry->stamps = spec ? stamp_documents(pool, spec) : NULL;
    if (!entry->stamps) {
        /* not loaded (its errors may point into it), or not only local files: this
         * configuration's alone, freed in the next post_config */
        return spec;
    }
    entry->key = apr_pstrdup(pool, key);
    apr_hash_set(cache->by_key, entry->key, APR_HASH_KEY_STRING, entry);
    apr_hash_set(cache->by_spec, &entry->spec, sizeof(entry->spec), entry);
    return spec;
}

int glue_spec_cache_owns(server_rec *s, const oa_spec *spec)
{
    spec_cache *cache = the_cache(s->process);
    return cache && apr_hash_get(cache->by_spec, &spec, sizeof(spec)) != NULL;
}

int glue_spec_cache_prepare(server_rec *s, oa_spec *spec, oa_diag *diag)
{
    spec_cache *cache = the_cache(s->process);
    cache_entry *entry = cache ? apr_hash_get(cache->by_spec, &spec, sizeof(spec)) : NULL;
    if (!entry)
        return oa_spec_prepare(spec, NULL, NULL, diag);
    if (entry->compiled)
        return 1;
    entry->compiled = oa_spec_prepare(spec, NULL, NULL, diag);
    if (!entry->compiled)
        forget(cache, entry); /* half compiled: never reused; freed with the cache */
    return entry->compiled;
}

json_t *glue_spec_cache_bundle(server_rec *s, oa_spec *spec, oa_diag *diag)
{
    spec_cache *cache = the_cache(s->process);
    cache_entry *entry = cache ? apr_hash_get(cache->by_spec, &spec, sizeof(spec)) : NULL;
    json_t *bundled;
    if (entry && entry->bundled)
        return entry->bundled;
    bundled = oa_spec_bundle(spec, diag);
    if (!bundled)
        return NULL;
    oa_docset_keep(spec->docs, bundled); /* released with the spec's documents */
    if (entry)
        entry->bundled = bundled;
    return bundled;
}

/* When httpd clears pconf for a restart and mod_openapi's file is no longer the one
 * loaded (a package upgrade), the cache goes, and with it its hold on the module: httpd
 * then unloads the old file and loads the new one. This cleanup is registered in
 * pre_config, before any location uses a cached spec, so it runs after their cleanups
 * and before mod_so's unloading (registered earlier, at LoadModule). */
static apr_status_t flush_for_new_module(void *data)
{
    apr_pool_t *process_pool = data;
    spec_cache *cache = NULL;
    file_stamp now;
    apr_pool_userdata_get((void **)&cache, CACHE_KEY, process_pool);
    if (!cache || cache->disabled ||
        (stamp_file(cache->pool, cache->module.path, &now) && same_stamp(&now, &cache->module)))
        return APR_SUCCESS;
    apr_pool_userdata_set(NULL, CACHE_KEY, apr_pool_cleanup_null, process_pool);
    apr_pool_destroy(cache->pool);
    return APR_SUCCESS;
}

static int start_generation(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    /* pconf's parent is the process pool (ap_server_conf is still the last
     * configuration's, freed with pconf, when a restart reads a new one) */
    apr_pool_t *process_pool = apr_pool_parent_get(pconf);
    spec_cache *cache = cache_of(process_pool);
    (void)plog;
    (void)ptemp;
    if (cache) {
        cache->generation++;
        apr_pool_cleanup_register(pconf, process_pool, flush_for_new_module,
                                  apr_pool_cleanup_null);
    }
    return OK;
}

/* Frees what the configuration just read does not use (stale or no longer served). */
static int drop_unused(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    spec_cache *cache = the_cache(s->process);
    apr_array_header_t *unused = apr_array_make(ptemp, 4, sizeof(cache_entry *));
    apr_hash_index_t *hi;
    int i;
    (void)pconf;
    (void)plog;
    for (hi = cache ? apr_hash_first(ptemp, cache->entries) : NULL; hi;
         hi = apr_hash_next(hi)) {
        void *value;
        apr_hash_this(hi, NULL, NULL, &value);
        if (((cache_entry *)value)->generation != cache->generation ||
            !((cache_entry *)value)->spec)
            APR_ARRAY_PUSH(unused, cache_entry *) = value;
    }
    for (i = 0; i < unused->nelts; i++)
        drop(cache, APR_ARRAY_IDX(unused, i, cache_entry *));
#ifdef __GLIBC__
    /* What loading and compiling freed is still resident in the parent, and so in every
     * child it forks: give the free pages back first. */
    malloc_trim(0);
#endif
    return OK;
}

/* A child exits without destroying the process pool: the cached specs' jansson trees
 * and compiled patterns (malloc'ed) are released with the child's pool, as
 * glue_child_init releases the specs the locations name. */
static apr_status_t release_entries(void *data)
{
    spec_cache *cache = data;
    apr_hash_index_t *hi;
    for (hi = apr_hash_first(NULL, cache->entries); hi; hi = apr_hash_next(hi)) {
        void *value;
        oa_spec *spec;
        apr_hash_this(hi, NULL, NULL, &value);
        spec = ((cache_entry *)value)->spec;
        if (!spec)
            continue;
        if (spec->registry)
            oa_schema_registry_release(spec->registry);
        spec->registry = NULL; /* released once: glue_child_init's release may follow */
        oa_docset_release(spec->docs);
    }
    return APR_SUCCESS;
}

static void release_with_child(apr_pool_t *pchild, server_rec *s)
{
    spec_cache *cache = the_cache(s->process);
    if (cache)
        apr_pool_cleanup_register(pchild, cache, release_entries, apr_pool_cleanup_null);
}

void glue_spec_cache_register_hooks(apr_pool_t *pool)
{
    (void)pool;
    ap_hook_pre_config(start_generation, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(drop_unused, NULL, NULL, APR_HOOK_REALLY_LAST);
    ap_hook_child_init(release_with_child, NULL, NULL, APR_HOOK_MIDDLE);
}
