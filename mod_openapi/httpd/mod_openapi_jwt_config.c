/* The OpenAPIJWT* and OpenAPIJWKS* directives and their merge: every field has an unset
 * marker (NULL, 0 or OA_UNSET), an inner section's own value wins, lists are replaced,
 * not joined. Defaults are applied where the check is built (mod_openapi_jwt.c). */
#include "mod_openapi_jwt.h"

#include <http_config.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <strings.h>

static glue_jwt_conf *jwt_conf_create(apr_pool_t *pool)
{
    glue_jwt_conf *conf = apr_pcalloc(pool, sizeof(*conf));
    conf->leeway = OA_UNSET;
    conf->require_at_jwt = OA_UNSET;
    conf->refresh = OA_UNSET;
    conf->refresh_min = OA_UNSET;
    return conf;
}

/* Runs per request for nested sections: pointer copies, and an allocation only when both
 * sections set something. */
glue_jwt_conf *glue_jwt_conf_merge(apr_pool_t *pool, glue_jwt_conf *parent,
                                   glue_jwt_conf *child)
{
    glue_jwt_conf *merged;
    if (!parent || !child)
        return child ? child : parent;
    merged = apr_palloc(pool, sizeof(*merged));
#define PICK(field, unset) merged->field = child->field != (unset) ? child->field : parent->field
    PICK(jwks, NULL);
    PICK(issuers, NULL);
    PICK(audiences, NULL);
    PICK(algorithms, 0u);
    PICK(leeway, OA_UNSET);
    PICK(require_at_jwt, OA_UNSET);
    PICK(user_claim, NULL);
    PICK(scope_claim, NULL);
    PICK(secret, NULL);
    PICK(refresh, OA_UNSET);
    PICK(refresh_min, OA_UNSET);
#undef PICK
    return merged;
}

/* This section's JWT settings, made on its first JWT directive. */
static glue_jwt_conf *jwt_of(cmd_parms *cmd, void *dir_conf, const char **error)
{
    glue_dir_conf *conf = dir_conf;
    *error = glue_note_section(cmd, conf);
    if (!conf->jwt)
        conf->jwt = jwt_conf_create(cmd->pool);
    return conf->jwt;
}

const char *glue_jwt_set_jwks(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *error;
    glue_jwt_conf *jwt = jwt_of(cmd, dir_conf, &error);
    if (strncasecmp(value, "http://", 7) == 0 || strncasecmp(value, "https://", 8) == 0)
        jwt->jwks = value;
    else if (strchr(value, ':') && !strchr(value, '/'))
        return apr_psprintf(cmd->pool, "OpenAPIJWKS: '%s' is neither an http(s) URI nor a "
                            "file", value);
    else if (!(jwt->jwks = ap_server_root_relative(cmd->pool, value)))
        return apr_psprintf(cmd->pool, "OpenAPIJWKS: bad file name '%s'", value);
    return error;
}

static const char *add_to(cmd_parms *cmd, apr_array_header_t **list, const char *value)
{
    if (!*list)
        *list = apr_array_make(cmd->pool, 2, sizeof(const char *));
    APR_ARRAY_PUSH(*list, const char *) = value;
    return NULL;
}

const char *glue_jwt_add_issuer(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *error;
    glue_jwt_conf *jwt = jwt_of(cmd, dir_conf, &error);
    return error ? error : add_to(cmd, &jwt->issuers, value);
}

const char *glue_jwt_add_audience(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *error;
    glue_jwt_conf *jwt = jwt_of(cmd, dir_conf, &error);
    return error ? error : add_to(cmd, &jwt->audiences, value);
}

const char *glue_jwt_add_algorithm(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *error;
    glue_jwt_conf *jwt = jwt_of(cmd, dir_conf, &error);
    int alg = oa_jws_alg_from_name(value);
    if (alg < 0)
        return apr_psprintf(cmd->pool, "OpenAPIJWTAlgorithms: '%s' is not one of RS256, "
                            "RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, "
                            "HS256, HS384, HS512 (none is never accepted)", value);
    jwt->algorithms |= OA_JWS_ALG_BIT(alg);
    return error;
}

const char *glue_jwt_set_seconds(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *name = cmd->info, *error;
    glue_jwt_conf *jwt = jwt_of(cmd, dir_conf, &error);
    char *end;
    apr_int64_t seconds = apr_strtoi64(value, &end, 10);
    if (end == value || *end || seconds < 0 || seconds > 86400 * 366)
        return apr_psprintf(cmd->pool, "%s: '%s' is not a number of seconds", name, value);
    if (strcmp(name, "OpenAPIJWTLeeway") == 0)
        jwt->leeway = (int)seconds;
    else if (strcmp(name, "OpenAPIJWKSRefresh") == 0)
        jwt->refresh = (int)seconds;
    else
        jwt->refresh_min = (int)seconds;
    return error;
}

const char *glue_jwt_set_require_type(cmd_parms *cmd, void *dir_conf, int on)
{
    const char *error;
    jwt_of(cmd, dir_conf, &error)->require_at_jwt = on;
    return error;
}

const char *glue_jwt_set_claim(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *error;
    glue_jwt_conf *jwt = jwt_of(cmd, dir_conf, &error);
    if (!*value)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": a claim name expected", NULL);
    if (strcmp(cmd->info, "user") == 0)
        jwt->user_claim = value;
    else
        jwt->scope_claim = value;
    return error;
}

/* The secret as written, or file:PATH (relative to ServerRoot) for one kept out of the
 * configuration; it is never logged. */
const char *glue_jwt_set_secret(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *error;
    glue_jwt_conf *jwt = jwt_of(cmd, dir_conf, &error);
    if (strncmp(value, "file:", 5) == 0) {
        const char *path = ap_server_root_relative(cmd->pool, value + 5);
        apr_file_t *file;
        apr_finfo_t info;
        char *text;
        apr_size_t length;
        apr_status_t rv = path ? apr_file_open(&file, path, APR_READ, 0, cmd->temp_pool)
                               : APR_EBADPATH;
        if (rv == APR_SUCCESS)
            rv = apr_file_info_get(&info, APR_FINFO_SIZE, file);
        if (rv != APR_SUCCESS || info.size > 4096)
            return apr_psprintf(cmd->pool, "OpenAPIJWTSharedSecret: cannot read '%s' (a "
                                "file of at most 4096 bytes)", value + 5);
        length = (apr_size_t)info.size;
        text = apr_palloc(cmd->pool, length + 1);
        rv = apr_file_read_full(file, text, length, &length);
        apr_file_close(file);
        if (rv != APR_SUCCESS && rv != APR_EOF)
            return apr_psprintf(cmd->pool, "OpenAPIJWTSharedSecret: cannot read '%s'",
                                value + 5);
        while (length > 0 && (text[length - 1] == '\n' || text[length - 1] == '\r'))
            length--;
        text[length] = '\0';
        value = text;
    }
    if (strlen(value) < 32)
        return "OpenAPIJWTSharedSecret: the secret must have at least 32 bytes (RFC 7518 "
               "section 3.2: at least the size of the hash)";
    jwt->secret = value;
    return error;
}
