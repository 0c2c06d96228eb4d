/* The OpenAPIJWT* and OpenAPIJWKS* directives. Their fields are glue_dir_conf's jwt_*,
 * with their unset values, defaults and merge rules in mod_openapi_directives.c' tables
 * (an inner section's own value wins; lists are replaced, not joined). */
#include "mod_openapi_jwt.h"

#include <http_config.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <strings.h>

/* This section's configuration, marked as one of ours. */
static glue_dir_conf *jwt_of(cmd_parms *cmd, void *dir_conf, const char **error)
{
    glue_dir_conf *conf = dir_conf;
    *error = glue_note_section(cmd, conf);
    return conf;
}

const char *glue_jwt_set_jwks(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *error;
    glue_dir_conf *jwt = jwt_of(cmd, dir_conf, &error);
    if (strncasecmp(value, "http://", 7) == 0 || strncasecmp(value, "https://", 8) == 0)
        jwt->jwt_jwks = value;
    else if (strchr(value, ':') && !strchr(value, '/'))
        return apr_psprintf(cmd->pool, "OpenAPIJWKS: '%s' is neither an http(s) URI nor a "
                            "file", value);
    else if (!(jwt->jwt_jwks = ap_server_root_relative(cmd->pool, value)))
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
    glue_dir_conf *jwt = jwt_of(cmd, dir_conf, &error);
    return error ? error : add_to(cmd, &jwt->jwt_issuers, value);
}

const char *glue_jwt_add_audience(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *error;
    glue_dir_conf *jwt = jwt_of(cmd, dir_conf, &error);
    return error ? error : add_to(cmd, &jwt->jwt_audiences, value);
}

const char *glue_jwt_add_algorithm(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *error;
    glue_dir_conf *jwt = jwt_of(cmd, dir_conf, &error);
    int alg = oa_jws_alg_from_name(value);
    if (alg < 0)
        return apr_psprintf(cmd->pool, "OpenAPIJWTAlgorithms: '%s' is not one of RS256, "
                            "RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, "
                            "HS256, HS384, HS512 (none is never accepted)", value);
    if (jwt->jwt_algorithms == GLUE_UNSET)
        jwt->jwt_algorithms = 0;
    jwt->jwt_algorithms |= (int)OA_JWS_ALG_BIT(alg);
    return error;
}

const char *glue_jwt_set_seconds(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *name = cmd->info, *error;
    glue_dir_conf *jwt = jwt_of(cmd, dir_conf, &error);
    apr_int64_t seconds;
    const char *wrong = glue_directive_number(cmd, value, 0, 86400 * 366, "a number of seconds",
                                              &seconds);
    if (wrong)
        return wrong;
    if (strcmp(name, "OpenAPIJWTLeeway") == 0)
        jwt->jwt_leeway = (int)seconds;
    else if (strcmp(name, "OpenAPIJWKSRefresh") == 0)
        jwt->jwt_refresh = (int)seconds;
    else
        jwt->jwt_refresh_min = (int)seconds;
    return error;
}

const char *glue_jwt_set_require_type(cmd_parms *cmd, void *dir_conf, int on)
{
    const char *error;
    jwt_of(cmd, dir_conf, &error)->jwt_require_at_jwt = on;
    return error;
}

const char *glue_jwt_set_claim(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *error;
    glue_dir_conf *jwt = jwt_of(cmd, dir_conf, &error);
    if (!*value)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": a claim name expected", NULL);
    if (strcmp(cmd->info, "user") == 0)
        jwt->jwt_user_claim = value;
    else
        jwt->jwt_scope_claim = value;
    return error;
}

/* The secret as written, or file:PATH (relative to ServerRoot) for one kept out of the
 * configuration; it is never logged. */
const char *glue_jwt_set_secret(cmd_parms *cmd, void *dir_conf, const char *value)
{
    const char *error;
    glue_dir_conf *jwt = jwt_of(cmd, dir_conf, &error);
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
    jwt->jwt_secret = value;
    return error;
}
