/* The example's OAuth 2 authorization server: a second plugin on the same httpd, loaded
 * as `OpenAPIPlugin auth plugins/oauth.so`.
 *
 *   GET  /v1/oauth/authorize   authorization endpoint (RFC 6749 4.1, PKCE RFC 7636)
 *   POST /v1/oauth/token       token endpoint: authorization_code, client_credentials,
 *                              refresh_token (rotating)
 *   GET  /v1/me                the user a token speaks for (needs a user's token)
 *   token_info()               x-tokenInfoFunc of the spec's oauth2 scheme
 *
 * A demo, not a product: clients are fixed, there is no login page (the authorization
 * endpoint approves at once for the fixed user "demo-user"), and codes and tokens live in
 * the memory of the httpd process (the example's httpd.conf runs one). Handlers run on many
 * threads, so the store is guarded by a mutex. Secrets are compared in constant time and
 * never logged. */
#include <openapi_plugin.h>

#include <apr_base64.h>
#include <apr_general.h>
#include <apr_thread_mutex.h>
#include <apr_time.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

OPENAPI_PLUGIN_DECLARE();

#define DEMO_USER "demo-user"
/* The registered redirect URI; any port of the loopback address is accepted with the same
 * path (RFC 8252 section 7.3), so the example works on whatever PORT it runs. */
#define DEFAULT_REDIRECT "http://127.0.0.1:8080/callback"
#define LOOPBACK_PREFIX "http://127.0.0.1:"
#define CALLBACK_PATH "/callback"
/* The Swagger UI's redirect page at {base}/ui/, so that its "Authorize" works too. */
#define SWAGGER_UI_REDIRECT_PATH "/v1/ui/oauth2-redirect.html"

#define CODE_SECONDS 600          /* authorization codes: 10 minutes, single use */
#define ACCESS_SECONDS 3600       /* access tokens: 1 hour */
#define REFRESH_SECONDS 2592000   /* refresh tokens: 30 days, rotated on each use */

/* ---- clients ---- */

typedef struct client {
    const char *id;
    const char *secret; /* NULL: a public client (no secret, PKCE only) */
    const char *scopes; /* the scopes it may be granted */
    const char *grants; /* the grant types it may use */
    int active;
} client;

static const client clients[] = {
    {"demo-app", "demo-secret", "pets:read pets:write",
     "authorization_code client_credentials refresh_token", 1},
    {"spa-app", NULL, "pets:read", "authorization_code refresh_token", 1},
    {"old-app", "old-secret", "pets:read pets:write", "client_credentials", 0},
};

static const client *find_client(const char *id)
{
    size_t i;
    for (i = 0; id && i < sizeof(clients) / sizeof(clients[0]); i++)
        if (strcmp(clients[i].id, id) == 0)
            return &clients[i];
    return NULL;
}

static int same(const char *a, const char *b)
{
    return a && b && openapi_secure_equals(a, strlen(a), b, strlen(b));
}

/* 1 when word is one of the space-separated words of list. */
static int listed(const char *list, const char *word, size_t length)
{
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, " ");
        if (n == length && strncmp(p, word, length) == 0)
            return 1;
        p += n;
        while (*p == ' ')
            p++;
    }
    return 0;
}

/* 1 when every scope of requested is in allowed (an empty request asks for none). */
static int scopes_within(const char *requested, const char *allowed)
{
    const char *p = requested;
    while (*p) {
        size_t n = strcspn(p, " ");
        if (n && !listed(allowed, p, n))
            return 0;
        p += n;
        while (*p == ' ')
            p++;
    }
    return 1;
}

/* http://127.0.0.1:PORT/callback or the Swagger UI's page (registered URIs, on any
 * loopback port). */
static int redirect_allowed(const char *uri)
{
    size_t digits;
    if (!uri || strncmp(uri, LOOPBACK_PREFIX, strlen(LOOPBACK_PREFIX)) != 0)
        return 0;
    uri += strlen(LOOPBACK_PREFIX);
    digits = strspn(uri, "0123456789");
    return digits >= 1 && digits <= 5 && (strcmp(uri + digits, CALLBACK_PATH) == 0 ||
                                          strcmp(uri + digits, SWAGGER_UI_REDIRECT_PATH) == 0);
}

/* ---- the store: codes, access tokens and refresh tokens ---- */

enum { FREE = 0, CODE, ACCESS, REFRESH };

#define VALUE_SIZE 48 /* 32 random bytes, base64url: 43 characters */
#define MAX_RECORDS 4096

typedef struct record {
    int kind;
    int consumed; /* a code that was exchanged: kept to detect its reuse */
    char value[VALUE_SIZE];
    char client[16];
    char sub[16];
    char scope[64];
    apr_time_t expires;
    unsigned long family; /* the code a token descends from (0: none) */
    /* codes only */
    char redirect_uri[64];
    int redirect_given;
    char challenge[132];
    int s256;
} record;

static record store[MAX_RECORDS];
static unsigned long next_family = 1;
static apr_thread_mutex_t *lock;

OPENAPI_EXPORT int openapi_plugin_init(openapi_plugin_context *ctx, const char **error)
{
    memset(store, 0, sizeof(store));
    next_family = 1;
    if (apr_thread_mutex_create(&lock, APR_THREAD_MUTEX_DEFAULT, openapi_plugin_pool(ctx)) !=
        APR_SUCCESS) {
        *error = "cannot create the token store's mutex";
        return OPENAPI_ERROR;
    }
    return OPENAPI_OK;
}

/* A free slot: an unused or expired one, else the one closest to expiry. Lock held. */
static record *new_record(int kind, apr_time_t now, int seconds)
{
    record *slot = NULL;
    int i;
    for (i = 0; i < MAX_RECORDS; i++) {
        if (store[i].kind == FREE || store[i].expires <= now) {
            slot = &store[i];
            break;
        }
        if (!slot || store[i].expires < slot->expires)
            slot = &store[i];
    }
    memset(slot, 0, sizeof(*slot));
    slot->kind = kind;
    slot->expires = now + apr_time_from_sec(seconds);
    return slot;
}

/* The live record of a kind holding value, compared in constant time. Lock held. */
static record *find_record(int kind, const char *value, apr_time_t now)
{
    int i;
    for (i = 0; value && i < MAX_RECORDS; i++)
        if (store[i].kind == kind && store[i].expires > now && same(store[i].value, value))
            return &store[i];
    return NULL;
}

/* Revokes every token issued from one authorization code (its reuse). Lock held. */
static void revoke_family(unsigned long family)
{
    int i;
    for (i = 0; family && i < MAX_RECORDS; i++)
        if ((store[i].kind == ACCESS || store[i].kind == REFRESH) && store[i].family == family)
            store[i].kind = FREE;
}

static void base64url(char *out, size_t out_size, const unsigned char *bytes, int length)
{
    char encoded[128];
    char *p;
    apr_base64_encode_binary(encoded, bytes, length);
    for (p = encoded; *p; p++) {
        if (*p == '+')
            *p = '-';
        else if (*p == '/')
            *p = '_';
        else if (*p == '=')
            *p = '\0';
        if (!*p)
            break;
    }
    if (strlen(encoded) < out_size)
        memcpy(out, encoded, strlen(encoded) + 1);
    else
        out[0] = '\0';
}

static int random_value(char out[VALUE_SIZE])
{
    unsigned char bytes[32];
    if (apr_generate_random_bytes(bytes, sizeof(bytes)) != APR_SUCCESS)
        return OPENAPI_ERROR;
    base64url(out, VALUE_SIZE, bytes, sizeof(bytes));
    return OPENAPI_OK;
}

/* ---- SHA-256 (FIPS 180-4), for PKCE's S256 ---- */

static const uint32_t k256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(uint32_t h[8], const unsigned char *block)
{
    uint32_t w[64], a, b, c, d, e, f, g, k, t1, t2;
    int i;
    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
               (uint32_t)block[4 * i + 2] << 8 | (uint32_t)block[4 * i + 3];
    for (i = 16; i < 64; i++)
        w[i] = w[i - 16] + (ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
               w[i - 7] + (ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10));
    a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (i = 0; i < 64; i++) {
        t1 = k + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + k256[i] +
             w[i];
        t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
}

static void sha256(const char *data, size_t length, unsigned char digest[32])
{
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    unsigned char block[64];
    size_t done = 0, rest;
    uint64_t bits = (uint64_t)length * 8;
    int i;
    for (; length - done >= 64; done += 64)
        sha256_block(h, (const unsigned char *)data + done);
    rest = length - done;
    memset(block, 0, sizeof(block));
    memcpy(block, data + done, rest);
    block[rest] = 0x80;
    if (rest >= 56) {
        sha256_block(h, block);
        memset(block, 0, sizeof(block));
    }
    for (i = 0; i < 8; i++)
        block[63 - i] = (unsigned char)(bits >> (8 * i));
    sha256_block(h, block);
    for (i = 0; i < 8; i++) {
        digest[4 * i] = (unsigned char)(h[i] >> 24);
        digest[4 * i + 1] = (unsigned char)(h[i] >> 16);
        digest[4 * i + 2] = (unsigned char)(h[i] >> 8);
        digest[4 * i + 3] = (unsigned char)h[i];
    }
}

/* RFC 7636 section 4.1: 43 to 128 unreserved characters (challenges alike). */
static int pkce_value_ok(const char *value)
{
    size_t length = value ? strlen(value) : 0;
    return length >= 43 && length <= 128 &&
           strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") ==
               length;
}

static int pkce_verified(const record *code, const char *verifier)
{
    char computed[VALUE_SIZE];
    unsigned char digest[32];
    if (!pkce_value_ok(verifier))
        return 0;
    if (!code->s256)
        return same(verifier, code->challenge);
    sha256(verifier, strlen(verifier), digest);
    base64url(computed, sizeof(computed), digest, sizeof(digest));
    return same(computed, code->challenge);
}

/* ---- helpers for the endpoints ---- */

static const char *string_of(json_t *object, const char *name)
{
    const char *value = json_string_value(json_object_get(object, name));
    return value && *value ? value : NULL;
}

/* Percent-decodes an application/x-www-form-urlencoded value in place (RFC 6749 2.3.1). */
static void form_decode(char *text)
{
    char *in = text, *out = text;
    while (*in) {
        unsigned int byte;
        if (*in == '%' && in[1] && in[2] && sscanf(in + 1, "%2x", &byte) == 1) {
            *out++ = (char)byte;
            in += 3;
        } else {
            *out++ = *in == '+' ? ' ' : *in;
            in++;
        }
    }
    *out = '\0';
}

/* The client's id and secret from HTTP Basic (client_secret_basic) or the body
 * (client_secret_post). Returns an error description, or NULL. */
static const char *client_credentials_of(openapi_request *req, json_t *form, const char **id,
                                         const char **secret)
{
    const char *authorization = openapi_header(req, "Authorization");
    *id = string_of(form, "client_id");
    *secret = string_of(form, "client_secret");
    if (authorization && strncasecmp(authorization, "Basic ", 6) == 0) {
        const char *encoded = authorization + 6;
        char *decoded, *colon;
        if (*secret)
            return "The client used more than one authentication method";
        decoded = apr_palloc(openapi_pool(req), apr_base64_decode_len(encoded) + 1);
        decoded[apr_base64_decode(decoded, encoded)] = '\0';
        colon = strchr(decoded, ':');
        if (!colon)
            return "The Authorization header is malformed";
        *colon = '\0';
        form_decode(decoded);
        form_decode(colon + 1);
        if (*id && strcmp(*id, decoded) != 0)
            return "The client_id does not match the authenticated client";
        *id = decoded;
        *secret = colon + 1;
    }
    return NULL;
}

static int issue(openapi_response *res, const client *c, const char *sub, const char *scope,
                 unsigned long family, int with_refresh)
{
    char access[VALUE_SIZE], refresh[VALUE_SIZE];
    apr_time_t now = apr_time_now();
    record *slot;
    if (random_value(access) != OPENAPI_OK ||
        (with_refresh && random_value(refresh) != OPENAPI_OK))
        return OPENAPI_ERROR;
    apr_thread_mutex_lock(lock);
    slot = new_record(ACCESS, now, ACCESS_SECONDS);
    snprintf(slot->value, sizeof(slot->value), "%s", access);
    snprintf(slot->client, sizeof(slot->client), "%s", c->id);
    snprintf(slot->sub, sizeof(slot->sub), "%s", sub);
    snprintf(slot->scope, sizeof(slot->scope), "%s", scope);
    slot->family = family;
    if (with_refresh) {
        slot = new_record(REFRESH, now, REFRESH_SECONDS);
        snprintf(slot->value, sizeof(slot->value), "%s", refresh);
        snprintf(slot->client, sizeof(slot->client), "%s", c->id);
        snprintf(slot->sub, sizeof(slot->sub), "%s", sub);
        snprintf(slot->scope, sizeof(slot->scope), "%s", scope);
        slot->family = family;
    }
    apr_thread_mutex_unlock(lock);
    return openapi_token_response(res, access, "Bearer", ACCESS_SECONDS,
                                  with_refresh ? refresh : NULL, scope);
}

/* ---- GET /oauth/authorize ---- */

static int redirect_with_code(openapi_request *req, openapi_response *res, const char *uri,
                              const char *code, const char *state)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_pool_t *pool = openapi_pool(req);
    size_t length = strlen(uri) + strlen(code) + 16 + (state ? 3 * strlen(state) + 8 : 0);
    char *location = apr_palloc(pool, length);
    char *o = location + snprintf(location, length, "%s?code=%s", uri, code);
    if (state) {
        const char *p;
        o += snprintf(o, length - (size_t)(o - location), "&state=");
        for (p = state; *p; p++) {
            if (strchr("-._~", *p) || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                (*p >= 'A' && *p <= 'Z')) {
                *o++ = *p;
            } else {
                *o++ = '%';
                *o++ = hex[(unsigned char)*p >> 4];
                *o++ = hex[(unsigned char)*p & 0x0F];
            }
        }
        *o = '\0';
    }
    openapi_set_status(res, 302);
    openapi_add_header(res, "Location", location);
    openapi_add_header(res, "Cache-Control", "no-store");
    return OPENAPI_OK;
}

/* No login page: valid requests are approved at once for DEMO_USER. */
OPENAPI_HANDLER int authorize(openapi_request *req, openapi_response *res)
{
    json_t *params = openapi_params(req);
    const char *response_type = string_of(params, "response_type");
    const char *client_id = string_of(params, "client_id");
    const char *redirect_uri = string_of(params, "redirect_uri");
    const char *scope = string_of(params, "scope");
    const char *state = string_of(params, "state");
    const char *challenge = string_of(params, "code_challenge");
    const char *method = string_of(params, "code_challenge_method");
    const char *registered[2] = {DEFAULT_REDIRECT, NULL};
    const char *target = redirect_uri ? redirect_uri : DEFAULT_REDIRECT;
    const client *c = find_client(client_id);
    char code[VALUE_SIZE];
    record *slot;

    /* the client and its redirect URI first: without them nobody is redirected */
    if (!client_id)
        return openapi_token_error(req, res, "invalid_request",
                                   "Missing parameter: client_id is required");
    if (!c)
        return openapi_token_error(req, res, "invalid_request",
                                   "The client_id is not registered");
    if (redirect_allowed(redirect_uri))
        registered[0] = redirect_uri;
    if (redirect_uri && !redirect_allowed(redirect_uri)) {
        /* the SDK answers 400 and says why, never redirecting to the unregistered URI */
        openapi_authorization_error(res, redirect_uri, registered, "invalid_request",
                                    "The redirect_uri is not registered", NULL, state);
        return OPENAPI_OK;
    }
    if (!c->active)
        return openapi_token_error(req, res, "unauthorized_client", "Client is not active");

#define REFUSE(error, description) \
    do { \
        openapi_authorization_error(res, target, registered, error, description, NULL, state); \
        return OPENAPI_OK; \
    } while (0)
    if (!response_type)
        REFUSE("invalid_request", "Missing parameter: response_type is required");
    if (strcmp(response_type, "code") != 0)
        REFUSE("unsupported_response_type", "Only the response type code is supported");
    if (!listed(c->grants, "authorization_code", strlen("authorization_code")))
        REFUSE("unauthorized_client", "The grant type is unauthorized for this client_id");
    if (!scope)
        scope = c->scopes;
    if (!scopes_within(scope, c->scopes))
        REFUSE("invalid_scope", "The scope requested is invalid for this client");
    if (strlen(scope) >= sizeof(slot->scope))
        REFUSE("invalid_scope", "The scope requested is too long");
    if (!challenge)
        REFUSE("invalid_request", "Missing parameter: code_challenge is required (PKCE)");
    if (method && strcmp(method, "S256") != 0 && strcmp(method, "plain") != 0)
        REFUSE("invalid_request", "Transform algorithm not supported");
    if (!pkce_value_ok(challenge))
        REFUSE("invalid_request", "The code_challenge is malformed");
#undef REFUSE

    if (random_value(code) != OPENAPI_OK)
        return OPENAPI_ERROR;
    apr_thread_mutex_lock(lock);
    slot = new_record(CODE, apr_time_now(), CODE_SECONDS);
    snprintf(slot->value, sizeof(slot->value), "%s", code);
    snprintf(slot->client, sizeof(slot->client), "%s", c->id);
    snprintf(slot->sub, sizeof(slot->sub), "%s", DEMO_USER);
    snprintf(slot->scope, sizeof(slot->scope), "%s", scope);
    snprintf(slot->redirect_uri, sizeof(slot->redirect_uri), "%s", target);
    slot->redirect_given = redirect_uri != NULL;
    snprintf(slot->challenge, sizeof(slot->challenge), "%s", challenge);
    slot->s256 = method && strcmp(method, "S256") == 0;
    slot->family = next_family++;
    apr_thread_mutex_unlock(lock);
    return redirect_with_code(req, res, target, code, state);
}

/* ---- POST /oauth/token ---- */

static int authorization_code_grant(openapi_request *req, openapi_response *res,
                                    json_t *form, const client *c)
{
    const char *code = string_of(form, "code");
    const char *redirect_uri = string_of(form, "redirect_uri");
    const char *verifier = string_of(form, "code_verifier");
    record found;
    record *slot;
    apr_time_t now = apr_time_now();
    memset(&found, 0, sizeof(found));
    if (!code)
        return openapi_token_error(req, res, "invalid_request",
                                   "Missing parameter: code is required");
    apr_thread_mutex_lock(lock);
    slot = find_record(CODE, code, now);
    if (slot && strcmp(slot->client, c->id) == 0) {
        found = *slot;
        if (slot->consumed)
            revoke_family(slot->family); /* RFC 6749 4.1.2: a code used twice */
        slot->consumed = 1;              /* single use, whatever happens next */
    } else {
        slot = NULL;
    }
    apr_thread_mutex_unlock(lock);
    if (!slot || found.consumed)
        return openapi_token_error(req, res, "invalid_grant",
                                   "Authorization code doesn't exist or is invalid for the "
                                   "client");
    if (found.redirect_given ? !redirect_uri || strcmp(redirect_uri, found.redirect_uri) != 0
                             : redirect_uri && strcmp(redirect_uri, found.redirect_uri) != 0)
        return openapi_token_error(req, res, "invalid_grant",
                                   "The redirect_uri does not match the authorization request");
    if (!verifier)
        return openapi_token_error(req, res, "invalid_request",
                                   "Missing parameter: code_verifier is required");
    if (!pkce_verified(&found, verifier))
        return openapi_token_error(req, res, "invalid_grant",
                                   "The code_verifier does not match the code_challenge");
    return issue(res, c, found.sub, found.scope, found.family, 1);
}

static int client_credentials_grant(openapi_request *req, openapi_response *res,
                                    json_t *form, const client *c)
{
    const char *scope = string_of(form, "scope");
    if (!scope)
        scope = c->scopes;
    if (!scopes_within(scope, c->scopes) || strlen(scope) >= sizeof(store[0].scope))
        return openapi_token_error(req, res, "invalid_scope",
                                   "The scope requested is invalid for this client");
    /* no user: the token speaks for the client; no refresh token (RFC 6749 4.4.3) */
    return issue(res, c, c->id, scope, 0, 0);
}

static int refresh_token_grant(openapi_request *req, openapi_response *res, json_t *form,
                               const client *c)
{
    const char *token = string_of(form, "refresh_token");
    const char *scope = string_of(form, "scope");
    record found;
    int known = 0, wider = 0;
    record *slot;
    memset(&found, 0, sizeof(found));
    if (!token)
        return openapi_token_error(req, res, "invalid_request",
                                   "Missing parameter: refresh_token is required");
    apr_thread_mutex_lock(lock);
    slot = find_record(REFRESH, token, apr_time_now());
    if (slot && strcmp(slot->client, c->id) == 0) {
        known = 1;
        found = *slot;
        /* a narrower scope may be asked for, never a wider one (RFC 6749 section 6) */
        wider = scope && !scopes_within(scope, found.scope);
        if (!wider)
            slot->kind = FREE; /* rotation: the old refresh token is spent */
    }
    apr_thread_mutex_unlock(lock);
    if (!known)
        return openapi_token_error(req, res, "invalid_grant", "Invalid refresh token");
    if (wider)
        return openapi_token_error(req, res, "invalid_scope",
                                   "The scope requested is invalid for this client");
    return issue(res, c, found.sub, scope ? scope : found.scope, found.family, 1);
}

OPENAPI_HANDLER int token(openapi_request *req, openapi_response *res)
{
    json_t *form = openapi_body_json(req);
    const char *grant = string_of(form, "grant_type"); /* the module checked it is offered */
    const char *id, *secret;
    const char *malformed = client_credentials_of(req, form, &id, &secret);
    const client *c;
    if (malformed)
        return openapi_token_error(req, res, "invalid_request", malformed);
    if (!id)
        return openapi_token_error(req, res, "invalid_request",
                                   "Missing parameter: client_id is required");
    c = find_client(id);
    /* a confidential client proves its secret; a public one must not send any */
    if (!c || (c->secret ? !same(secret, c->secret) : secret != NULL))
        return openapi_token_error(req, res, "invalid_client",
                                   "The client credentials are invalid");
    if (!c->active)
        return openapi_token_error(req, res, "invalid_client", "Client is not active");
    if (!grant || !listed(c->grants, grant, strlen(grant)))
        return openapi_token_error(req, res, "unauthorized_client",
                                   "The grant type is unauthorized for this client_id");
    if (strcmp(grant, "authorization_code") == 0)
        return authorization_code_grant(req, res, form, c);
    if (strcmp(grant, "client_credentials") == 0)
        return client_credentials_grant(req, res, form, c);
    if (strcmp(grant, "refresh_token") == 0)
        return refresh_token_grant(req, res, form, c);
    return openapi_token_error(req, res, "unsupported_grant_type",
                               "The grant type is not supported");
}

/* ---- the resource server's side ---- */

/* x-tokenInfoFunc: {sub, scope, exp, client_id} of a live access token, else NULL. */
OPENAPI_HANDLER json_t *token_info(void *r, const char *access_token)
{
    json_t *info = NULL;
    record *slot;
    (void)r;
    apr_thread_mutex_lock(lock);
    slot = find_record(ACCESS, access_token, apr_time_now());
    if (slot)
        info = json_pack("{s:s, s:s, s:I, s:s}", "sub", slot->sub, "scope", slot->scope, "exp",
                         (json_int_t)apr_time_sec(slot->expires), "client_id", slot->client);
    apr_thread_mutex_unlock(lock);
    return info;
}

/* GET /me: the user the token was issued for; a client's own token has none. */
OPENAPI_HANDLER int me(openapi_request *req, openapi_response *res)
{
    json_t *info = openapi_token_info(req);
    const char *sub = json_string_value(json_object_get(info, "sub"));
    const char *client_id = json_string_value(json_object_get(info, "client_id"));
    if (!sub || !client_id || strcmp(sub, client_id) == 0) {
        openapi_set_status(res, 400);
        openapi_set_json(res, json_pack("{s:{s:i, s:s, s:s}}", "error", "status", 400, "title",
                                        "Bad Request", "detail", "Invalid owner in token"));
        return OPENAPI_OK;
    }
    openapi_set_json(res, json_pack("{s:s, s:s, s:O}", "sub", sub, "client_id", client_id,
                                    "scope", json_object_get(info, "scope")));
    return OPENAPI_OK;
}
