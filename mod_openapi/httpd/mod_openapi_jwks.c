/* JWK Sets for JWT validation: from a file (read at config time), an http(s) URI, or the
 * jwks_uri of an OpenID Connect discovery document (its issuer too).
 *
 * Three levels of caching, so that a set is fetched rarely and never in a storm:
 *  - per child, in memory: the keys in use (refcounted: a request holds the set it
 *    started with while another thread installs a newer one);
 *  - per server, in the location's socache (OpenAPITokenCache): a child that needs a
 *    newer set takes one another child fetched before going to the network;
 *  - per httpd, in the process pool: the parent fetches every set in post_config and
 *    keeps the text, so a graceful restart starts its children with the keys it had,
 *    even when the source is down then.
 * A set is fetched when none is held, when it is older than OpenAPIJWKSRefresh, or for
 * a kid it lacks, and at most once per OpenAPIJWKSRefreshInterval per child; a failed
 * fetch keeps the keys held. */
#include "mod_openapi_jwt.h"

#include <http_log.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/evp.h>

APLOG_USE_MODULE(openapi);

#define STORES_KEY "openapi-jwks-stores"
#define KEPT_KEY "openapi-jwks-kept"
#define MAX_DOCUMENT (256 * 1024) /* bytes of a JWK Set or discovery document */

/* One installed key set and who holds it. */
typedef struct held_keys {
    glue_keyset set;
    apr_pool_t *pool;
    apr_time_t fetched;
    apr_time_t expires;
    int refs;
    int retired;
} held_keys;

struct glue_jwks_store {
    const char *source;
    int is_discovery;
    int is_file;
    glue_token_cache *cache;
    const char *cache_key;
    apr_interval_time_t refresh;
    apr_interval_time_t refresh_min;
    apr_thread_mutex_t *lock;   /* guards the fields below */
    held_keys *current;
    apr_time_t last_attempt;
    int fetching;
};

/* What the parent keeps across generations: a document and when it was fetched. */
typedef struct kept_document {
    char *text;
    apr_time_t fetched;
} kept_document;

/* ---- installing a document ---- */

/* Called with the lock held, or before there are threads. */
static void release(glue_jwks_store *store, held_keys *held)
{
    (void)store;
    if (held && --held->refs == 0 && held->retired)
        apr_pool_destroy(held->pool);
}

/* Parses a document {"fetched", "jwks", "issuer"?, "jwks_uri"?} into keys; NULL with
 * *why when it holds no usable key. */
static held_keys *keys_of(const glue_jwks_store *store, const char *text, apr_time_t *fetched,
                          const char **why, apr_pool_t *scratch)
{
    json_error_t error;
    json_t *document = json_loads(text, JSON_REJECT_DUPLICATES, &error);
    apr_pool_t *pool;
    held_keys *held;
    apr_array_header_t *notes = apr_array_make(scratch, 2, sizeof(const char *));
    const char *issuer, *jwks_uri;
    if (!json_is_object(document)) {
        json_decref(document);
        *why = apr_psprintf(scratch, "not JSON: %s", error.text);
        return NULL;
    }
    apr_pool_create(&pool, NULL);
    held = apr_pcalloc(pool, sizeof(*held));
    held->pool = pool;
    held->set.keys = oa_jwks_load(pool, json_object_get(document, "jwks"), notes, why);
    issuer = json_string_value(json_object_get(document, "issuer"));
    jwks_uri = json_string_value(json_object_get(document, "jwks_uri"));
    held->set.issuer = issuer ? apr_pstrdup(pool, issuer) : NULL;
    held->set.jwks_uri = jwks_uri ? apr_pstrdup(pool, jwks_uri)
                                  : store->is_file ? NULL : store->source;
    held->fetched = apr_time_from_sec(
        (apr_time_t)json_integer_value(json_object_get(document, "fetched")));
    json_decref(document);
    if (held->set.keys && held->set.keys->keys->nelts == 0)
        *why = notes->nelts ? apr_pstrcat(scratch, "no usable key: ",
                                          apr_array_pstrcat(scratch, notes, ';'), NULL)
                            : "no keys";
    if (!held->set.keys || held->set.keys->keys->nelts == 0) {
        apr_pool_destroy(pool);
        return NULL;
    }
    *fetched = held->fetched;
    return held;
}

/* Makes held the store's current keys. Lock held (or no threads yet). */
static void install(glue_jwks_store *store, held_keys *held)
{
    held->expires = store->is_file ? APR_INT64_MAX : held->fetched + store->refresh;
    held->refs = 1; /* the store's own reference */
    if (store->current) {
        store->current->retired = 1;
        release(store, store->current);
    }
    store->current = held;
}

static apr_status_t drop_current(void *data)
{
    glue_jwks_store *store = data;
    if (store->current) {
        store->current->retired = 1;
        release(store, store->current);
        store->current = NULL;
    }
    return APR_SUCCESS;
}

/* ---- fetching ---- */

/* GETs a JSON object from url; NULL with *why. */
static json_t *get_json(apr_pool_t *pool, const char *url, const char **why)
{
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = curl_slist_append(NULL, "Accept: application/json");
    glue_curl_body body;
    long status = 0;
    CURLcode code = CURLE_FAILED_INIT;
    json_t *value = NULL;
    if (curl && headers) {
        glue_curl_prepare(curl, url, headers, &body, pool, MAX_DOCUMENT);
        code = curl_easy_perform(curl);
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    }
    curl_slist_free_all(headers);
    if (curl)
        curl_easy_cleanup(curl);
    if (code != CURLE_OK) {
        *why = apr_psprintf(pool, "%s: %s", url, curl_easy_strerror(code));
        return NULL;
    }
    if (status != 200) {
        *why = apr_psprintf(pool, "%s answered %ld", url, status);
        return NULL;
    }
    value = json_loadb(body.bytes.data, body.bytes.length, JSON_REJECT_DUPLICATES, NULL);
    if (!json_is_object(value)) {
        json_decref(value);
        *why = apr_psprintf(pool, "%s did not answer a JSON object", url);
        return NULL;
    }
    return value;
}

/* The document for a store from its source: the JWK Set, and for a discovery its issuer
 * and jwks_uri. A new reference, or NULL with *why. */
static char *fetch_document(apr_pool_t *pool, const glue_jwks_store *store, const char **why)
{
    json_t *document = json_object(), *jwks;
    const char *jwks_uri = store->source;
    char *text;
    if (store->is_discovery) {
        json_t *discovery = get_json(pool, store->source, why);
        const char *issuer = json_string_value(json_object_get(discovery, "issuer"));
        jwks_uri = json_string_value(json_object_get(discovery, "jwks_uri"));
        if (discovery && (!issuer || !jwks_uri ||
                          (strncasecmp(jwks_uri, "https://", 8) != 0 &&
                           strncasecmp(jwks_uri, "http://", 7) != 0)))
            *why = apr_psprintf(pool, "%s: the discovery document lacks an issuer or an "
                                "http(s) jwks_uri", store->source);
        else if (discovery) {
            json_object_set_new(document, "issuer", json_string(issuer));
            json_object_set_new(document, "jwks_uri", json_string(jwks_uri));
            jwks_uri = json_string_value(json_object_get(document, "jwks_uri"));
        }
        json_decref(discovery);
        if (!json_object_get(document, "jwks_uri")) {
            json_decref(document);
            return NULL;
        }
    }
    jwks = get_json(pool, jwks_uri, why);
    if (!jwks) {
        json_decref(document);
        return NULL;
    }
    json_object_set_new(document, "jwks", jwks);
    json_object_set_new(document, "fetched", json_integer(apr_time_sec(apr_time_now())));
    text = json_dumps(document, JSON_COMPACT);
    json_decref(document);
    if (!text)
        *why = "out of memory";
    return text;
}

/* A fresher document from the shared cache than the one held (fetched then), or NULL. */
static char *shared_document(server_rec *s, glue_jwks_store *store, apr_time_t held,
                             apr_pool_t *pool)
{
    unsigned int length = MAX_DOCUMENT;
    unsigned char *data;
    json_t *document;
    apr_time_t fetched;
    if (!store->cache)
        return NULL;
    data = apr_palloc(pool, MAX_DOCUMENT + 1);
    if (!glue_token_cache_read(s, store->cache, store->cache_key, data, &length, pool))
        return NULL;
    data[length] = '\0';
    document = json_loadb((const char *)data, length, 0, NULL);
    fetched = apr_time_from_sec((apr_time_t)json_integer_value(json_object_get(document, "fetched")));
    json_decref(document);
    return fetched > held ? (char *)data : NULL;
}

static int has_kid(const held_keys *held, const char *kid)
{
    int i;
    for (i = 0; i < held->set.keys->keys->nelts; i++) {
        const char *own = APR_ARRAY_IDX(held->set.keys->keys, i, oa_jwk).kid;
        if (own && strcmp(own, kid) == 0)
            return 1;
    }
    return 0;
}

/* Brings the store's keys up to date (the caller marked it fetching). A set another
 * child or server fetched later than ours is taken from the shared cache, unless the
 * fetch is for a kid (wanted_kid) that set lacks too. */
static void update(request_rec *r, glue_jwks_store *store, apr_time_t held_since,
                   const char *wanted_kid)
{
    const char *why = NULL, *from = "the shared cache";
    char *text = shared_document(r->server, store, held_since, r->pool);
    char *fetched_text = NULL;
    held_keys *held = NULL;
    apr_time_t fetched = 0;
    int keeping;
    if (text)
        held = keys_of(store, text, &fetched, &why, r->pool);
    if (held && wanted_kid && !has_kid(held, wanted_kid)) {
        apr_pool_destroy(held->pool);
        held = NULL;
    }
    if (!held) {
        from = "its source";
        fetched_text = fetch_document(r->pool, store, &why);
        held = fetched_text ? keys_of(store, fetched_text, &fetched, &why, r->pool) : NULL;
        if (held && store->cache)
            glue_token_cache_write(r->server, store->cache, store->cache_key,
                                   fetched + store->refresh, fetched_text, r->pool);
        free(fetched_text);
    }
    apr_thread_mutex_lock(store->lock);
    if (held)
        install(store, held);
    keeping = store->current != NULL;
    apr_thread_mutex_unlock(store->lock);
    if (held)
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r, OA_LOGNO(09001)
                      "JWK Set %s: %d keys from %s", store->source,
                      held->set.keys->keys->nelts, from);
    else
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r, OA_LOGNO(09002)
                      "JWK Set %s could not be fetched (%s); %s", store->source, why,
                      keeping ? "the keys held are kept" : "tokens are answered 503 until it can");
}

static apr_status_t release_request(void *data)
{
    void **pair = data;
    glue_jwks_store *store = pair[0];
    apr_thread_mutex_lock(store->lock);
    release(store, pair[1]);
    apr_thread_mutex_unlock(store->lock);
    return APR_SUCCESS;
}

const glue_keyset *glue_jwks_keys(request_rec *r, glue_jwks_store *store,
                                  const char *unknown_kid)
{
    apr_time_t now = apr_time_now();
    held_keys *held;
    void **pair;
    apr_thread_mutex_lock(store->lock);
    held = store->current;
    if (!store->is_file && !store->fetching &&
        (!held || now >= held->expires || unknown_kid) &&
        now - store->last_attempt >= store->refresh_min) {
        store->fetching = 1;
        store->last_attempt = now;
        apr_thread_mutex_unlock(store->lock);
        update(r, store, held ? held->fetched : 0, unknown_kid);
        apr_thread_mutex_lock(store->lock);
        store->fetching = 0;
        held = store->current;
    }
    if (held)
        held->refs++;
    apr_thread_mutex_unlock(store->lock);
    if (!held)
        return NULL;
    pair = apr_palloc(r->pool, 2 * sizeof(void *));
    pair[0] = store;
    pair[1] = held;
    apr_pool_cleanup_register(r->pool, pair, release_request, apr_pool_cleanup_null);
    return &held->set;
}

const char *glue_jwks_uri(request_rec *r, glue_jwks_store *store)
{
    const char *uri = NULL;
    if (!store)
        return NULL;
    apr_thread_mutex_lock(store->lock);
    if (store->current && store->current->set.jwks_uri)
        uri = apr_pstrdup(r->pool, store->current->set.jwks_uri);
    apr_thread_mutex_unlock(store->lock);
    return uri;
}

/* ---- config time ---- */

static apr_hash_t *stores_of(apr_pool_t *pconf)
{
    void *data = NULL;
    apr_pool_userdata_get(&data, STORES_KEY, pconf);
    if (!data) {
        data = apr_hash_make(pconf);
        apr_pool_userdata_set(data, STORES_KEY, apr_pool_cleanup_null, pconf);
    }
    return data;
}

static const char *cache_key_of(apr_pool_t *pool, const char *source)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0, i;
    char *hex;
    if (EVP_Digest(source, strlen(source), digest, &length, EVP_sha256(), NULL) != 1)
        return apr_pstrcat(pool, "jwks:", source, NULL);
    hex = apr_palloc(pool, 5 + length * 2 + 1);
    memcpy(hex, "jwks:", 5);
    for (i = 0; i < length; i++)
        apr_snprintf(hex + 5 + 2 * i, 3, "%02x", digest[i]);
    return hex;
}

static const char *load_file(apr_pool_t *pconf, glue_jwks_store *store)
{
    json_error_t error;
    json_t *jwks = json_load_file(store->source, JSON_REJECT_DUPLICATES, &error);
    json_t *document = json_pack("{s:o?, s:I}", "jwks", jwks,
                                 "fetched", (json_int_t)apr_time_sec(apr_time_now()));
    char *text = document ? json_dumps(document, JSON_COMPACT) : NULL;
    const char *why = NULL;
    apr_time_t fetched;
    held_keys *held;
    json_decref(document);
    if (!jwks) {
        free(text);
        return apr_psprintf(pconf, "OpenAPIJWKS: %s:%d:%d: %s", store->source, error.line,
                            error.column, error.text);
    }
    held = text ? keys_of(store, text, &fetched, &why, pconf) : NULL;
    free(text);
    if (!held)
        return apr_psprintf(pconf, "OpenAPIJWKS: %s: %s", store->source, why);
    install(store, held);
    return NULL;
}

const char *glue_jwks_store_make(apr_pool_t *pconf, const char *source, int is_discovery,
                                 const char *cache, int refresh, int refresh_min,
                                 glue_jwks_store **out)
{
    apr_hash_t *stores = stores_of(pconf);
    glue_jwks_store *store = apr_hash_get(stores, source, APR_HASH_KEY_STRING);
    const char *error = NULL;
    if (store) {
        *out = store; /* the first location's refresh settings hold for all */
        return NULL;
    }
    store = apr_pcalloc(pconf, sizeof(*store));
    store->source = apr_pstrdup(pconf, source);
    store->is_discovery = is_discovery;
    store->is_file = strncasecmp(source, "http://", 7) != 0 &&
                     strncasecmp(source, "https://", 8) != 0;
    store->refresh = apr_time_from_sec(refresh);
    store->refresh_min = apr_time_from_sec(refresh_min);
    if (apr_thread_mutex_create(&store->lock, APR_THREAD_MUTEX_DEFAULT, pconf) != APR_SUCCESS)
        return "cannot create a mutex";
    apr_pool_cleanup_register(pconf, store, drop_current, apr_pool_cleanup_null);
    if (store->is_file)
        error = load_file(pconf, store);
    else {
        store->cache_key = cache_key_of(pconf, store->source);
        error = glue_token_cache_open(pconf, "a JWK Set URI", cache, &store->cache);
    }
    if (error)
        return error;
    apr_hash_set(stores, store->source, APR_HASH_KEY_STRING, store);
    *out = store;
    return NULL;
}

/* ---- the parent: fetch once per generation, keep across graceful restarts ---- */

static int prefetch(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp, server_rec *s)
{
    void *data = NULL;
    apr_hash_t *stores, *kept;
    apr_hash_index_t *hi;
    apr_time_t now = apr_time_now();
    (void)plog;
    apr_pool_userdata_get(&data, STORES_KEY, pconf);
    if (!(stores = data))
        return OK;
    data = NULL;
    apr_pool_userdata_get(&data, KEPT_KEY, s->process->pool);
    if (!(kept = data)) {
        kept = apr_hash_make(s->process->pool);
        apr_pool_userdata_set(kept, KEPT_KEY, apr_pool_cleanup_null, s->process->pool);
    }
    for (hi = apr_hash_first(ptemp, stores); hi; hi = apr_hash_next(hi)) {
        glue_jwks_store *store = apr_hash_this_val(hi);
        kept_document *previous = apr_hash_get(kept, store->source, APR_HASH_KEY_STRING);
        const char *why = NULL;
        held_keys *held = NULL;
        apr_time_t fetched;
        char *text;
        if (store->is_file)
            continue;
        if (previous && now < previous->fetched + store->refresh)
            held = keys_of(store, previous->text, &fetched, &why, ptemp);
        if (!held && (text = fetch_document(ptemp, store, &why)) != NULL) {
            held = keys_of(store, text, &fetched, &why, ptemp);
            if (held) {
                previous = apr_palloc(s->process->pool, sizeof(*previous));
                previous->text = apr_pstrdup(s->process->pool, text);
                previous->fetched = fetched;
                apr_hash_set(kept, apr_pstrdup(s->process->pool, store->source),
                             APR_HASH_KEY_STRING, previous);
            }
            free(text);
        }
        if (!held) {
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s, OA_LOGNO(09003)
                         "JWK Set %s could not be fetched at start (%s)%s", store->source,
                         why, previous ? "; the keys fetched before are used" : "");
            if (previous)
                held = keys_of(store, previous->text, &fetched, &why, ptemp);
        }
        if (!held)
            continue;
        install(store, held);
        if (store->cache)
            glue_token_cache_write(s, store->cache, store->cache_key,
                                   held->fetched + store->refresh, previous->text, ptemp);
    }
    return OK;
}

/* A child exits without destroying the configuration pool: its keys (OpenSSL objects)
 * go with the child's pool instead. */
static apr_status_t drop_all(void *data)
{
    apr_hash_index_t *hi;
    for (hi = apr_hash_first(NULL, data); hi; hi = apr_hash_next(hi))
        drop_current(apr_hash_this_val(hi));
    return APR_SUCCESS;
}

static void child_init(apr_pool_t *pchild, server_rec *s)
{
    void *stores = NULL;
    apr_pool_userdata_get(&stores, STORES_KEY, s->process->pconf);
    if (stores)
        apr_pool_cleanup_register(pchild, stores, drop_all, apr_pool_cleanup_null);
}

void glue_jwks_register_hooks(apr_pool_t *pool)
{
    (void)pool;
    /* after the caches are set up (mod_openapi_introspect.c, APR_HOOK_MIDDLE) */
    ap_hook_post_config(prefetch, NULL, NULL, APR_HOOK_LAST);
    ap_hook_child_init(child_init, NULL, NULL, APR_HOOK_MIDDLE);
}
