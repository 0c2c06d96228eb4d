/* Spec arguments, Connexion's Jinja2 `arguments` in their plain form: each placeholder
 * `{{ name }}` (spaces or tabs inside the braces optional; name [A-Za-z_][A-Za-z0-9_]*) in
 * the text of every file of a spec is replaced by the argument's value, as text, before
 * the file is parsed. Nothing else of Jinja is read: `{{` followed by anything but a name
 * and `}}`, `{% ... %}` and `{# ... #}` stay as written. Linear in the text. */
#ifndef OA_TEMPLATE_H
#define OA_TEMPLATE_H

#include <apr_hash.h>
#include <apr_pools.h>
#include <jansson.h>

#include "util/oa_diag.h"
#include "doc/oa_docset.h"

typedef struct oa_template_args {
    apr_hash_t *values; /* name -> const char * value; NULL: no arguments */
    int defer;          /* 1: a placeholder stops the load (found is set, no error) */
    int found;          /* out: a placeholder was met */
    int parse_flags;    /* oa_parse_buffer_ex's flags (OA_PARSE_SHARE_SUBTREES) */
} oa_template_args;

/* Fills the placeholders of text (length bytes, from the file path). Returns the filled
 * text, NUL-terminated, with *out_length; NULL with an error per unfilled placeholder
 * ("PATH:LINE:COL: spec argument 'name' has no value"), or, with args->defer, NULL and
 * args->found set at the first placeholder. *lines (when lines is not NULL) maps each line
 * number (int) that had a placeholder filled to the names filled there ("a, b"). */
const char *oa_template_fill(apr_pool_t *pool, const char *path, const char *text,
                             apr_size_t length, oa_template_args *args, apr_hash_t **lines,
                             apr_size_t *out_length, oa_diag *diag);

/* Reads, fills and parses a file (oa_parse_buffer): a parse error on a line where an
 * argument was filled names the argument. args NULL: placeholders have no value. */
json_t *oa_template_parse_file(apr_pool_t *pool, const char *path, oa_template_args *args,
                               oa_posmap **positions, oa_diag *diag);

/* A docset loader for file:// URIs doing the same; baton: the oa_template_args. */
json_t *oa_template_file_loader(void *baton, oa_docset *set, const char *uri,
                                oa_posmap **positions, oa_diag *diag);

#endif
