/* Tokens checked over HTTP, without code: x-tokenInfoUrl (Connexion: GET with the token
 * as a Bearer credential, token info JSON back) and OpenAPITokenIntrospection (RFC 7662:
 * POST token=..., HTTP Basic client authentication). Answers are cached in one of httpd's
 * socache providers (shmcb by default; memcache or redis to share between servers), keyed
 * by a SHA-256 digest of the endpoint and the token, never the token itself, each entry
 * living no longer than the token's exp and the configured TTL (a refused token: 10 s).
 *
 * Thread safety: one curl easy handle per call, everything per request in r->pool; the
 * caches are set up in post_config and their mutexes re-attached in child_init (both
 * hooks are added when the first location needs a cache: a configuration without token
 * validation sets up nothing). Tokens and secrets are never logged. */
#include "mod_openapi_glue.h"

#include <http_log.h>
#include <ap_provider.h>
#include <ap_socache.h>
#include <util_mutex.h>
#include <apr_base64.h>
#include <apr_strings.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "util/oa_json.h"
#include "security/oa_security.h"

APLOG_USE_MODULE(openapi);

#define CACHE_MUTEX_TYPE "openapi-tokencache"
#define CACHES_KEY "openapi-token-caches"
#define MAX_ANSWER (64 * 1024)    /* bytes of an endpoint's answer */
#define MAX_CACHED (16 * 1024)    /* bytes of a cached token info */
#define REFUSAL_TTL 10            /* seconds a refused token is remembered at most */
#define CONNECT_TIMEOUT_MS 2000L
#define TOTAL_TIMEOUT_MS 5000L

/* libcurl's write callback: the answer into its buffer, up to the body's limit. */
static size_t collect(char *chunk, size_t size, size_t count, void *baton)
{
    glue_curl_body *body = baton;
    apr_size_t n = size * count;
    if (body->bytes.length + n > body->limit)
        return 0; /* too large: the transfer fails */
    oa_buffer_append(&body->bytes, chunk, n);
    return n;
}

void glue_curl_prepare(void *handle, const char *url, struct curl_slist *headers,
                       glue_curl_body *body, apr_pool_t *pool, apr_size_t limit)
{
    CURL *curl = handle;
    oa_buffer_init(&body->bytes, pool);
    body->limit = limit;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, TOTAL_TIMEOUT_MS);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L); /* no redirect to another host */
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
}
#define MAX_RETRY_AFTER 3600L     /* seconds: a longer Retry-After is passed on as this */

/* One socache instance, shared by every location naming the same PROVIDER[:ARGS]. */
struct glue_token_cache {
    const char *spec;
    const char *provider_name;
    const ap_socache_provider_t *provider;
    ap_socache_instance_t *instance;
    apr_global_mutex_t *mutex; /* for providers that are not multi-process safe */
    int index;
    int ready;                 /* init succeeded in post_config */
    server_rec *server;        /* the one it was initialized with */
};

/* The caches of one configuration generation, in pconf's userdata. */
typedef struct token_caches {
    apr_pool_t *pconf;
    apr_hash_t *by_spec;
    apr_array_header_t *list; /* of glue_token_cache * */
    int curl_initialized;
} token_caches;

static token_caches *current_caches(apr_pool_t *pconf);

/* ---- post_config and child_init (added when needed) ---- */

static apr_status_t destroy_cache(void *data)
{
    glue_token_cache *cache = data;
    if (cache->ready && cache->instance)
        cache->provider->destroy(cache->instance, cache->server);
    cache->ready = 0;
    cache->instance = NULL;
    return APR_SUCCESS;
}

static apr_status_t destroy_mutex(void *data)
{
    glue_token_cache *cache = data;
    if (cache->mutex)
        apr_global_mutex_destroy(cache->mutex);
    cache->mutex = NULL;
    return APR_SUCCESS;
}

static apr_status_t cleanup_curl(void *data)
{
    (void)data;
    curl_global_cleanup();
    return APR_SUCCESS;
}

static int caches_post_config(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp,
                              server_rec *s)
{
    static const struct ap_socache_hints hints = {64, 1024, apr_time_from_sec(60)};
    token_caches *caches = current_caches(pconf);
    int i;
    (void)plog;
    (void)ptemp;
    if (!caches || caches->list->nelts == 0)
        return OK;
    if (!caches->curl_initialized) {
        /* once, in the parent, before any thread exists */
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                         OA_LOGNO(01020) "libcurl could not be initialized");
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        caches->curl_initialized = 1;
        apr_pool_cleanup_register(pconf, NULL, cleanup_curl, apr_pool_cleanup_null);
    }
    for (i = 0; i < caches->list->nelts; i++) {
        glue_token_cache *cache = APR_ARRAY_IDX(caches->list, i, glue_token_cache *);
        const char *name = i == 0 ? "openapi-tokens" : apr_psprintf(pconf, "openapi-tokens-%d", i);
        apr_status_t rv;
        if (cache->provider->flags & AP_SOCACHE_FLAG_NOTMPSAFE) {
            rv = ap_global_mutex_create(&cache->mutex, NULL, CACHE_MUTEX_TYPE,
                                        apr_itoa(pconf, i), s, pconf, 0);
            if (rv != APR_SUCCESS) {
                ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                             OA_LOGNO(01021) "token cache '%s': cannot create its mutex",
                             cache->spec);
                return HTTP_INTERNAL_SERVER_ERROR;
            }
            apr_pool_cleanup_register(pconf, cache, destroy_mutex, apr_pool_cleanup_null);
        }
        rv = cache->provider->init(cache->instance, name, &hints, s, pconf);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                         OA_LOGNO(01022) "token cache '%s' could not be initialized",
                         cache->spec);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
        cache->ready = 1;
        cache->server = s;
        apr_pool_cleanup_register(pconf, cache, destroy_cache, apr_pool_cleanup_null);
    }
    return OK;
}

static void caches_child_init(apr_pool_t *pchild, server_rec *s)
{
    token_caches *caches = current_caches(s->process->pconf);
    int i;
    for (i = 0; caches && i < caches->list->nelts; i++) {
        glue_token_cache *cache = APR_ARRAY_IDX(caches->list, i, glue_token_cache *);
        apr_status_t rv;
        if (!cache->mutex)
            continue;
        rv = apr_global_mutex_child_init(&cache->mutex,
                                         apr_global_mutex_lockfile(cache->mutex), pchild);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                         OA_LOGNO(01023) "token cache '%s': cannot attach its mutex; the "
                         "cache is not used in this process", cache->spec);
            cache->ready = 0;
        }
    }
}

static token_caches *current_caches(apr_pool_t *pconf)
{
    void *data = NULL;
    apr_pool_userdata_get(&data, CACHES_KEY, pconf);
    return data;
}

/* The caches of this configuration, made on first use (the hooks below find none when no
 * location validates tokens over HTTP, and then do nothing). */
static token_caches *caches_of(apr_pool_t *pconf)
{
    token_caches *caches = current_caches(pconf);
    if (caches)
        return caches;
    caches = apr_pcalloc(pconf, sizeof(*caches));
    caches->pconf = pconf;
    caches->by_spec = apr_hash_make(pconf);
    caches->list = apr_array_make(pconf, 2, sizeof(glue_token_cache *));
    apr_pool_userdata_set(caches, CACHES_KEY, apr_pool_cleanup_null, pconf);
    return caches;
}

/* httpd wants mutex types registered before the configuration is read (Mutex directive). */
static int register_mutex_type(apr_pool_t *pconf, apr_pool_t *plog, apr_pool_t *ptemp)
{
    (void)plog;
    (void)ptemp;
    return ap_mutex_register(pconf, CACHE_MUTEX_TYPE, NULL, APR_LOCK_DEFAULT, 0);
}

void glue_introspect_register_hooks(apr_pool_t *pool)
{
    (void)pool;
    ap_hook_pre_config(register_mutex_type, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_post_config(caches_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(caches_child_init, NULL, NULL, APR_HOOK_MIDDLE);
}

/* ---- config time ---- */

static const char *cache_for(apr_pool_t *pconf, const char *what, const char *spec,
                             glue_token_cache **out)
{
    token_caches *caches;
    glue_token_cache *cache;
    const ap_socache_provider_t *provider;
    const char *colon = strchr(spec, ':');
    const char *name = colon ? apr_pstrmemdup(pconf, spec, (apr_size_t)(colon - spec)) : spec;
    const char *error;

    provider = ap_lookup_provider(AP_SOCACHE_PROVIDER_GROUP, name,
                                  AP_SOCACHE_PROVIDER_VERSION);
    if (!provider)
        return apr_psprintf(pconf, "%s needs an socache provider: LoadModule "
                            "socache_%s_module", what, name);
    caches = caches_of(pconf);
    cache = apr_hash_get(caches->by_spec, spec, APR_HASH_KEY_STRING);
    if (cache) {
        *out = cache;
        return NULL;
    }
    cache = apr_pcalloc(pconf, sizeof(*cache));
    cache->spec = apr_pstrdup(pconf, spec);
    cache->provider_name = name;
    cache->provider = provider;
    cache->index = caches->list->nelts;
    error = provider->create(&cache->instance, colon ? colon + 1 : NULL, pconf, pconf);
    if (error)
        return apr_psprintf(pconf, "OpenAPITokenCache '%s': %s", spec, error);
    apr_hash_set(caches->by_spec, cache->spec, APR_HASH_KEY_STRING, cache);
    APR_ARRAY_PUSH(caches->list, glue_token_cache *) = cache;
    *out = cache;
    return NULL;
}

const char *glue_token_remote_make(apr_pool_t *pool, const char *what, const char *url,
                                 const char *client_id, const char *client_secret,
                                 const char *cache, int ttl_seconds,
                                 const glue_token_remote **remote)
{
    glue_token_remote *made = apr_pcalloc(pool, sizeof(*made));
    const char *error;
    if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
        return apr_psprintf(pool, "%s: '%s' is not an http or https URL", what, url);
    error = cache_for(pool, what, cache, &made->cache);
    if (error)
        return error;
    made->url = url;
    made->client_id = client_id;
    made->client_secret = client_secret;
    made->ttl = apr_time_from_sec(ttl_seconds);
    *remote = made;
    return NULL;
}

/* ---- per request ---- */

/* Feeds one field with its length first, so that no two (kind, endpoint, client, token)
 * tuples give the same bytes. */
static int digest_field(EVP_MD_CTX *ctx, const char *text)
{
    unsigned char length[8];
    apr_uint64_t n = text ? strlen(text) : 0;
    int i;
    for (i = 0; i < 8; i++)
        length[i] = (unsigned char)(n >> (56 - 8 * i));
    return EVP_DigestUpdate(ctx, text ? "+" : "-", 1) == 1 &&
           EVP_DigestUpdate(ctx, length, sizeof(length)) == 1 &&
           (n == 0 || EVP_DigestUpdate(ctx, text, (size_t)n) == 1);
}

/* hex SHA-256 of how the token is checked (token info GET or RFC 7662 POST), the endpoint,
 * the client and the token: a token accepted by one endpoint is never taken as valid for
 * a scheme checked by another, and the cache never holds a token */
static const char *cache_key(apr_pool_t *pool, const glue_token_remote *remote,
                             const char *token)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    char *hex;
    unsigned int i;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return NULL;
    if (EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
        !digest_field(ctx, remote->client_id ? "introspection" : "tokeninfo") ||
        !digest_field(ctx, remote->url) || !digest_field(ctx, remote->client_id) ||
        !digest_field(ctx, token) || EVP_DigestFinal_ex(ctx, digest, &length) != 1) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    EVP_MD_CTX_free(ctx);
    hex = apr_palloc(pool, length * 2 + 1);
    for (i = 0; i < length; i++)
        apr_snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    return hex;
}

/* A cached answer: 1 with *info an active (or token info) answer, 0 with *info NULL for a
 * refused token (stored as JSON null), -1 when nothing is cached. */
static int cache_get(request_rec *r, glue_token_cache *cache, const char *key, json_t **info)
{
    unsigned char *data;
    unsigned int length = MAX_CACHED;
    apr_status_t rv;
    json_t *found;
    *info = NULL;
    if (!cache->ready || !key)
        return -1;
    data = apr_palloc(r->pool, MAX_CACHED);
    if (cache->mutex && apr_global_mutex_lock(cache->mutex) != APR_SUCCESS)
        return -1;
    rv = cache->provider->retrieve(cache->instance, r->server, (const unsigned char *)key,
                                   (unsigned int)strlen(key), data, &length, r->pool);
    if (cache->mutex)
        apr_global_mutex_unlock(cache->mutex);
    if (rv != APR_SUCCESS)
        return -1;
    found = json_loadb((const char *)data, length, JSON_DECODE_ANY, NULL);
    if (json_is_null(found)) {
        json_decref(found);
        return 0;
    }
    if (!json_is_object(found)) {
        json_decref(found);
        return -1;
    }
    *info = found;
    return 1;
}

/* Keeps an answer: an active one (or a token info answer) until the TTL or the token's
 * exp, whichever comes first; a refusal (an inactive token, or a token info endpoint's 4xx:
 * info NULL) for at most REFUSAL_TTL seconds, so that a client repeating a bad token does
 * not cost a call each time, while an authorization server replica that lags behind its
 * peers cannot keep a fresh token refused for long. */
static void cache_put(request_rec *r, const glue_token_remote *remote, const char *key,
                      json_t *info)
{
    glue_token_cache *cache = remote->cache;
    apr_time_t now = apr_time_now();
    apr_time_t expiry = now + remote->ttl;
    json_t *active = json_object_get(info, "active");
    json_t *exp = json_object_get(info, "exp");
    int refused = !info || (active && !json_is_true(active));
    char *dumped = NULL;
    const char *text;
    apr_status_t rv;
    if (!cache->ready || !key || remote->ttl <= 0)
        return;
    if (refused) {
        if (remote->ttl > apr_time_from_sec(REFUSAL_TTL))
            expiry = now + apr_time_from_sec(REFUSAL_TTL);
    }
    else if (json_is_number(exp)) {
        double seconds = json_number_value(exp);
        if (!(seconds > (double)apr_time_sec(now)))
            return; /* expired (or not a time): nothing to keep */
        if (seconds < (double)apr_time_sec(expiry))
            expiry = apr_time_from_sec((apr_time_t)seconds);
    }
    if (expiry <= now)
        return;
    /* a refusal is kept as what decides it: null (no answer) or an inactive token */
    if (info && !refused)
        dumped = json_dumps(info, JSON_COMPACT);
    text = !info ? "null" : refused ? "{\"active\":false}" : dumped;
    if (!text)
        return;
    if (strlen(text) < MAX_CACHED &&
        (!cache->mutex || apr_global_mutex_lock(cache->mutex) == APR_SUCCESS)) {
        rv = cache->provider->store(cache->instance, r->server, (const unsigned char *)key,
                                    (unsigned int)strlen(key), expiry, (unsigned char *)text,
                                    (unsigned int)strlen(text), r->pool);
        if (cache->mutex)
            apr_global_mutex_unlock(cache->mutex);
        if (rv != APR_SUCCESS)
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, rv, r,
                          OA_LOGNO(02023) "token cache '%s': store failed", cache->spec);
    }
    free(dumped);
}

/* RFC 6749 section 2.3.1: client id and secret form-encoded, then Basic. */
static const char *client_authorization(request_rec *r, CURL *curl,
                                        const glue_token_remote *remote)
{
    char *id = curl_easy_escape(curl, remote->client_id, 0);
    char *secret = curl_easy_escape(curl, remote->client_secret, 0);
    const char *pair, *header = NULL;
    char *encoded;
    if (id && secret) {
        pair = apr_pstrcat(r->pool, id, ":", secret, NULL);
        encoded = apr_palloc(r->pool, apr_base64_encode_len((int)strlen(pair)));
        apr_base64_encode(encoded, pair, (int)strlen(pair));
        header = apr_pstrcat(r->pool, "Authorization: Basic ", encoded, NULL);
    }
    curl_free(id);
    curl_free(secret);
    return header;
}

/* The endpoint's Retry-After (seconds or an HTTP date; libcurl parses both), capped. */
static long retry_after_of(CURL *curl)
{
    curl_off_t seconds = 0;
    if (curl_easy_getinfo(curl, CURLINFO_RETRY_AFTER, &seconds) != CURLE_OK || seconds <= 0)
        return 0;
    return seconds > MAX_RETRY_AFTER ? MAX_RETRY_AFTER : (long)seconds;
}

/* One call to the endpoint; OA_AUTH_OK with *info, or INVALID, or UNAVAILABLE (with
 * *retry_after when the endpoint said when to come back). */
static int call_endpoint(request_rec *r, const glue_token_remote *remote, const char *token,
                         json_t **info, long *retry_after)
{
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = NULL, *more;
    glue_curl_body answer_body;
    const char *what = remote->client_id ? "token introspection" : "token info";
    char *form = NULL;
    const char *header;
    long status = 0;
    CURLcode code;
    json_t *answer;
    int result = OA_AUTH_UNAVAILABLE;

    *info = NULL;
    if (!curl)
        return OA_AUTH_UNAVAILABLE;
    more = curl_slist_append(headers, "Accept: application/json");
    headers = more ? more : headers;
    if (remote->client_id) {
        char *escaped = curl_easy_escape(curl, token, 0);
        header = client_authorization(r, curl, remote);
        if (escaped) {
            form = apr_pstrcat(r->pool, "token=", escaped, "&token_type_hint=access_token",
                               NULL);
            curl_free(escaped);
        }
        if (!form || !header)
            goto done;
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, form);
    }
    else {
        header = apr_pstrcat(r->pool, "Authorization: Bearer ", token, NULL);
        curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    }
    more = curl_slist_append(headers, header);
    if (!more)
        goto done;
    headers = more;
    glue_curl_prepare(curl, remote->url, headers, &answer_body, r->pool, MAX_ANSWER);
    code = curl_easy_perform(curl);
    if (code != CURLE_OK) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      OA_LOGNO(02020) "%s at %s failed: %s", what, remote->url,
                      curl_easy_strerror(code));
        goto done;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    *retry_after = retry_after_of(curl);
    /* 408 and 429 say nothing about the token: the endpoint could not answer now */
    if (!remote->client_id && status >= 400 && status < 500 && status != 408 &&
        status != 429) {
        result = OA_AUTH_INVALID; /* Connexion: the token info URL refused the token */
        goto done;
    }
    if (status < 200 || status >= 300) {
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      OA_LOGNO(02021) "%s at %s answered %ld", what, remote->url, status);
        goto done;
    }
    answer = json_loadb(answer_body.bytes.data, answer_body.bytes.length, 0, NULL);
    if (!json_is_object(answer)) {
        json_decref(answer);
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      OA_LOGNO(02022) "%s at %s answered %ld without a JSON object", what,
                      remote->url, status);
        goto done;
    }
    /* RFC 7662: the answer must say whether the token is active */
    if (remote->client_id && !json_is_boolean(json_object_get(answer, "active"))) {
        json_decref(answer);
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      OA_LOGNO(01100) "%s at %s answered without a boolean 'active'", what,
                      remote->url);
        goto done;
    }
    *info = answer;
    result = OA_AUTH_OK;
done:
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    return result;
}

/* What one request already learned about a token (a scheme may be checked once per
 * alternative): in r->pool's userdata under the cache key. */
typedef struct memo {
    int status;
    json_t *info; /* bound to r->pool */
    long retry_after;
} memo;

int glue_token_remote_check(request_rec *r, const glue_token_remote *remote, const char *token,
                          json_t **info, long *retry_after)
{
    const char *key = cache_key(r->pool, remote, token);
    const char *memo_key = key ? apr_pstrcat(r->pool, "openapi-token:", key, NULL) : NULL;
    memo *seen = NULL;
    json_t *found;
    int status;

    *info = NULL;
    *retry_after = 0;
    if (memo_key) {
        void *data = NULL;
        apr_pool_userdata_get(&data, memo_key, r->pool);
        seen = data;
    }
    if (seen) {
        *info = seen->info ? json_incref(seen->info) : NULL;
        *retry_after = seen->retry_after;
        return seen->status;
    }
    switch (cache_get(r, remote->cache, key, &found)) {
    case 1:
    case 0:
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      OA_LOGNO(02024) "token %s from cache '%s'",
                      found ? "info" : "refusal", remote->cache->spec);
        status = found ? OA_AUTH_OK : OA_AUTH_INVALID;
        break;
    default:
        status = call_endpoint(r, remote, token, &found, retry_after);
        if (status == OA_AUTH_OK || status == OA_AUTH_INVALID)
            cache_put(r, remote, key, found);
    }
    if (memo_key) {
        seen = apr_pcalloc(r->pool, sizeof(*seen));
        seen->status = status;
        seen->retry_after = *retry_after;
        seen->info = found ? json_incref(found) : NULL;
        if (seen->info)
            oa_json_bind(r->pool, seen->info);
        apr_pool_userdata_set(seen, memo_key, apr_pool_cleanup_null, r->pool);
    }
    *info = found;
    return status;
}

/* ---- the same caches for other entries (JWK Sets, mod_openapi_jwks.c) ---- */

const char *glue_token_cache_open(apr_pool_t *pconf, const char *what, const char *spec,
                                  glue_token_cache **cache)
{
    return cache_for(pconf, what, spec, cache); /* resolved: never NULL */
}

int glue_token_cache_read(server_rec *s, glue_token_cache *cache, const char *key,
                          unsigned char *data, unsigned int *length, apr_pool_t *pool)
{
    apr_status_t rv;
    if (!cache->ready || (cache->mutex && apr_global_mutex_lock(cache->mutex) != APR_SUCCESS))
        return 0;
    rv = cache->provider->retrieve(cache->instance, s, (const unsigned char *)key,
                                   (unsigned int)strlen(key), data, length, pool);
    if (cache->mutex)
        apr_global_mutex_unlock(cache->mutex);
    return rv == APR_SUCCESS;
}

void glue_token_cache_write(server_rec *s, glue_token_cache *cache, const char *key,
                            apr_time_t expiry, const char *data, apr_pool_t *pool)
{
    if (!cache->ready || (cache->mutex && apr_global_mutex_lock(cache->mutex) != APR_SUCCESS))
        return;
    cache->provider->store(cache->instance, s, (const unsigned char *)key,
                           (unsigned int)strlen(key), expiry, (unsigned char *)data,
                           (unsigned int)strlen(data), pool);
    if (cache->mutex)
        apr_global_mutex_unlock(cache->mutex);
}
