#include "spec/oa_router.h"
#include "util/oa_text.h"

#include <apr_hash.h>
#include <apr_strings.h>
#include <string.h>

/* Requests with more segments than this are not routed (404): it bounds backtracking. */
#define OA_ROUTER_MAX_SEGMENTS 64

typedef struct trie_node trie_node;

/* A segment mixing literal text and parameters, e.g. "{id}.json" or "{a}-{b}". */
typedef struct segment_pattern {
    const char *shape;                /* parameters blanked: "{}.json", for identity */
    apr_array_header_t *literals;     /* of const char *: text before each param, and after */
    int param_count;
    trie_node *next;
} segment_pattern;

struct trie_node {
    apr_hash_t *literals;             /* decoded segment text -> trie_node; NULL if none */
    apr_array_header_t *patterns;     /* of segment_pattern *, in insertion order; NULL
                                         if none */
    trie_node *param;                 /* one whole segment: "{id}" */
    trie_node *rest;                  /* one or more segments: a `format: path` parameter */
    oa_route *route;                  /* a template ends here */
};

struct oa_router {
    apr_pool_t *pool;
    trie_node *root;
};

/* Most nodes are leaves or have one kind of child: their tables are made on first use
 * (a spec of 5,000 paths has some 15,000 nodes). */
static trie_node *node_create(apr_pool_t *pool)
{
    return apr_pcalloc(pool, sizeof(trie_node));
}

oa_router *oa_router_create(apr_pool_t *pool)
{
    oa_router *router = apr_pcalloc(pool, sizeof(*router));
    router->pool = pool;
    router->root = node_create(pool);
    return router;
}

static int names_contain(const apr_array_header_t *names, const char *name)
{
    int i;
    for (i = 0; names && i < names->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(names, i, const char *), name) == 0)
            return 1;
    return 0;
}

/* A copy in pool of an array of strings made in scratch. */
static apr_array_header_t *strings_copy(apr_pool_t *pool, const apr_array_header_t *from)
{
    apr_array_header_t *copy = apr_array_make(pool, from->nelts ? from->nelts : 1,
                                              sizeof(const char *));
    int i;
    for (i = 0; i < from->nelts; i++)
        APR_ARRAY_PUSH(copy, const char *) =
            apr_pstrdup(pool, APR_ARRAY_IDX(from, i, const char *));
    return copy;
}

/* Parses one template segment into literal runs and parameter names. Returns 0 when the
 * braces are malformed. */
static int parse_segment(apr_pool_t *pool, const char *segment, apr_array_header_t *literals,
                         apr_array_header_t *names)
{
    const char *p = segment;
    for (;;) {
        const char *open = strchr(p, '{');
        const char *close;
        if (!open) {
            if (strchr(p, '}'))
                return 0;
            APR_ARRAY_PUSH(literals, const char *) = apr_pstrdup(pool, p);
            return 1;
        }
        close = strchr(open, '}');
        if (!close || close == open + 1 || memchr(p, '}', open - p) ||
            memchr(open + 1, '{', close - open - 1))
            return 0;
        APR_ARRAY_PUSH(literals, const char *) = apr_pstrmemdup(pool, p, open - p);
        APR_ARRAY_PUSH(names, const char *) = apr_pstrmemdup(pool, open + 1, close - open - 1);
        /* Two parameters side by side cannot be told apart. */
        if (close[1] == '{')
            return 0;
        p = close + 1;
    }
}

/* The child of node for a segment mixing text and parameters; literals (in scratch) are
 * copied into pool when the pattern is new. */
static trie_node *pattern_child(apr_pool_t *pool, apr_pool_t *scratch, trie_node *node,
                                const apr_array_header_t *literals, int param_count)
{
    /* apr_array_pstrcat with separator 1 (SOH) joins runs unambiguously. */
    const char *shape = apr_array_pstrcat(scratch, literals, 1);
    int i;
    segment_pattern *pattern;
    for (i = 0; node->patterns && i < node->patterns->nelts; i++) {
        pattern = APR_ARRAY_IDX(node->patterns, i, segment_pattern *);
        if (strcmp(pattern->shape, shape) == 0)
            return pattern->next;
    }
    if (!node->patterns)
        node->patterns = apr_array_make(pool, 1, sizeof(segment_pattern *));
    pattern = apr_pcalloc(pool, sizeof(*pattern));
    pattern->shape = apr_pstrdup(pool, shape);
    pattern->literals = strings_copy(pool, literals);
    pattern->param_count = param_count;
    pattern->next = node_create(pool);
    APR_ARRAY_PUSH(node->patterns, segment_pattern *) = pattern;
    return pattern->next;
}

/* Walks (and grows) the trie along template, whose parameter names are appended to
 * names; the node the template ends at, or NULL after an error. What only the walk needs
 * is made in scratch: a template is added once per operation. */
static trie_node *insert_template(oa_router *router, apr_pool_t *scratch,
                                  const char *template, const apr_array_header_t *path_params,
                                  apr_array_header_t *names, oa_diag *diag,
                                  const oa_position *where)
{
    apr_pool_t *pool = router->pool;
    trie_node *node = router->root;
    const char *p = template + 1;
    for (;;) {
        size_t n = strcspn(p, "/");
        const char *segment = apr_pstrmemdup(scratch, p, n);
        apr_array_header_t *literals = apr_array_make(scratch, 2, sizeof(const char *));
        int before = names->nelts;
        trie_node *next;
        if (!parse_segment(scratch, segment, literals, names)) {
            oa_diag_add(diag, where->file, where->line, where->column,
                        "path '%s': malformed template segment '%s'", template, segment);
            return NULL;
        }
        if (names->nelts == before) {
            next = node->literals
                       ? apr_hash_get(node->literals, segment, APR_HASH_KEY_STRING) : NULL;
            if (!next) {
                if (!node->literals)
                    node->literals = apr_hash_make(pool);
                next = node_create(pool);
                apr_hash_set(node->literals, apr_pstrdup(pool, segment), APR_HASH_KEY_STRING,
                             next);
            }
        }
        else if (names->nelts == before + 1 && !*APR_ARRAY_IDX(literals, 0, const char *) &&
                 !*APR_ARRAY_IDX(literals, 1, const char *)) {
            const char *name = APR_ARRAY_IDX(names, before, const char *);
            trie_node **slot = names_contain(path_params, name) ? &node->rest : &node->param;
            if (!*slot)
                *slot = node_create(pool);
            next = *slot;
        }
        else {
            next = pattern_child(pool, scratch, node, literals, names->nelts - before);
        }
        node = next;
        if (p[n] == '\0')
            return node;
        p += n + 1;
    }
}

oa_route *oa_router_add(oa_router *router, const char *template,
                        const apr_array_header_t *path_params, oa_diag *diag,
                        const oa_position *where)
{
    apr_pool_t *pool = router->pool;
    apr_pool_t *scratch;
    apr_array_header_t *names;
    trie_node *node;
    oa_route *route = NULL;

    if (template[0] != '/') {
        oa_diag_add(diag, where->file, where->line, where->column,
                    "path '%s' must begin with '/'", template);
        return NULL;
    }
    apr_pool_create(&scratch, pool);
    names = apr_array_make(scratch, 4, sizeof(const char *));
    node = insert_template(router, scratch, template, path_params, names, diag, where);
    if (node && node->route && strcmp(node->route->template, template) != 0) {
        oa_diag_add(diag, where->file, where->line, where->column,
                    "path '%s' is the same as '%s' but for parameter names", template,
                    node->route->template);
    }
    else if (node && node->route) {
        route = node->route;
    }
    else if (node) {
        route = apr_pcalloc(pool, sizeof(*route));
        route->template = apr_pstrdup(pool, template);
        route->param_names = strings_copy(pool, names);
        node->route = route;
    }
    apr_pool_destroy(scratch);
    return route;
}

/* ---- matching ---- */

typedef struct match_state {
    apr_pool_t *pool;
    const char **segments; /* decoded */
    int count;
    apr_array_header_t *captures;
} match_state;

/* Percent-decodes a segment; NULL for a malformed escape or an encoded NUL. */
static const char *decode_segment(apr_pool_t *pool, const char *raw, size_t length)
{
    char *out;
    char *o;
    size_t i;
    if (!memchr(raw, '%', length))
        return apr_pstrmemdup(pool, raw, length);
    out = o = apr_palloc(pool, length + 1);
    for (i = 0; i < length; i++) {
        if (raw[i] == '%') {
            int byte = oa_percent_escape_at(raw + i, length - i);
            if (byte < 0)
                return NULL;
            *o = (char)byte;
            if (*o == '\0')
                return NULL;
            o++;
            i += 2;
        }
        else {
            *o++ = raw[i];
        }
    }
    *o = '\0';
    return out;
}

static int match_pattern(match_state *st, const segment_pattern *pattern, const char *text)
{
    const apr_array_header_t *lits = pattern->literals;
    const char *first = APR_ARRAY_IDX(lits, 0, const char *);
    const char *last = APR_ARRAY_IDX(lits, lits->nelts - 1, const char *);
    size_t text_length = strlen(text);
    size_t first_length = strlen(first);
    size_t last_length = strlen(last);
    const char *p;
    const char *end;
    int i;

    if (text_length < first_length + last_length + (size_t)pattern->param_count ||
        strncmp(text, first, first_length) != 0 ||
        strcmp(text + text_length - last_length, last) != 0)
        return 0;
    p = text + first_length;
    end = text + text_length - last_length;
    for (i = 1; i < lits->nelts; i++) {
        const char *literal = APR_ARRAY_IDX(lits, i, const char *);
        const char *stop;
        if (i == lits->nelts - 1) {
            stop = end;
        }
        else {
            /* A parameter takes at least one character, up to the next literal run. */
            stop = p < end ? strstr(p + 1, literal) : NULL;
            if (!stop || stop + strlen(literal) > end)
                return 0;
        }
        if (stop <= p)
            return 0;
        APR_ARRAY_PUSH(st->captures, const char *) = apr_pstrmemdup(st->pool, p, stop - p);
        p = stop + strlen(literal);
    }
    return 1;
}

static const oa_route *match_from(match_state *st, const trie_node *node, int index)
{
    const char *segment;
    const trie_node *next;
    const oa_route *found;
    int saved = st->captures->nelts;
    int i;

    if (index == st->count)
        return node->route;
    segment = st->segments[index];

    next = node->literals ? apr_hash_get(node->literals, segment, APR_HASH_KEY_STRING)
                          : NULL;
    if (next && (found = match_from(st, next, index + 1)))
        return found;

    for (i = 0; *segment && node->patterns && i < node->patterns->nelts; i++) {
        const segment_pattern *pattern = APR_ARRAY_IDX(node->patterns, i, segment_pattern *);
        if (match_pattern(st, pattern, segment) &&
            (found = match_from(st, pattern->next, index + 1)))
            return found;
        st->captures->nelts = saved;
    }

    if (node->param && *segment) {
        APR_ARRAY_PUSH(st->captures, const char *) = segment;
        if ((found = match_from(st, node->param, index + 1)))
            return found;
        st->captures->nelts = saved;
    }

    if (node->rest && *segment) {
        /* Shortest span first, so that literal segments after the parameter
         * ("/files/{path}/meta") are tried before it swallows them. */
        int end;
        for (end = index + 1; end <= st->count; end++) {
            apr_array_header_t *parts = apr_array_make(st->pool, end - index,
                                                       sizeof(const char *));
            int k;
            for (k = index; k < end; k++)
                APR_ARRAY_PUSH(parts, const char *) = st->segments[k];
            APR_ARRAY_PUSH(st->captures, const char *) = apr_array_pstrcat(st->pool, parts, '/');
            if ((found = match_from(st, node->rest, end)))
                return found;
            st->captures->nelts = saved;
        }
    }
    return NULL;
}

oa_route_status oa_router_match(const oa_router *router, const char *path, apr_pool_t *pool,
                                oa_route_match *match)
{
    match_state st;
    const char *segments[OA_ROUTER_MAX_SEGMENTS];
    const char *p;
    const oa_route *route;

    memset(match, 0, sizeof(*match));
    if (path[0] != '/')
        return OA_ROUTE_NOT_FOUND;
    st.pool = pool;
    st.segments = segments;
    st.count = 0;
    p = path + 1;
    for (;;) {
        size_t n = strcspn(p, "/");
        if (st.count == OA_ROUTER_MAX_SEGMENTS)
            return OA_ROUTE_NOT_FOUND;
        segments[st.count] = decode_segment(pool, p, n);
        if (!segments[st.count])
            return OA_ROUTE_BAD_ENCODING;
        st.count++;
        if (p[n] == '\0')
            break;
        p += n + 1;
    }
    st.captures = apr_array_make(pool, 4, sizeof(const char *));
    route = match_from(&st, router->root, 0);
    if (!route)
        return OA_ROUTE_NOT_FOUND;
    match->route = route;
    match->values = st.captures;
    return OA_ROUTE_FOUND;
}

static oa_route_extension *find_extension(const oa_route *route, const char *method)
{
    int i;
    for (i = 0; route->extensions && i < route->extensions->nelts; i++) {
        oa_route_extension *e = &APR_ARRAY_IDX(route->extensions, i, oa_route_extension);
        if (strcmp(e->method, method) == 0)
            return e;
    }
    return NULL;
}

int oa_route_add_operation(oa_route *route, oa_operation *op)
{
    oa_route_extension *extension;
    if (op->method < OA_METHOD_COUNT) {
        if (route->operations[op->method])
            return 0;
        route->operations[op->method] = op;
        return 1;
    }
    if (find_extension(route, oa_operation_method(op)))
        return 0;
    if (!route->extensions)
        route->extensions = apr_array_make(route->param_names->pool, 1,
                                           sizeof(oa_route_extension));
    extension = apr_array_push(route->extensions);
    extension->method = oa_operation_method(op);
    extension->operation = op;
    return 1;
}

oa_operation *oa_route_find(const oa_route *route, const char *method)
{
    oa_method fixed = oa_method_from_request(method);
    const oa_route_extension *extension;
    if (fixed != OA_METHOD_UNKNOWN)
        return oa_route_operation(route, fixed);
    extension = find_extension(route, method);
    return extension ? extension->operation : NULL;
}

oa_operation *oa_route_operation(const oa_route *route, oa_method method)
{
    if (method >= OA_METHOD_COUNT)
        return NULL;
    if (route->operations[method])
        return route->operations[method];
    if (method == OA_METHOD_HEAD)
        return route->operations[OA_METHOD_GET];
    return NULL;
}

apr_array_header_t *oa_route_methods(const oa_route *route, apr_pool_t *pool)
{
    int extensions = route->extensions ? route->extensions->nelts : 0;
    apr_array_header_t *names =
        apr_array_make(pool, OA_METHOD_COUNT + extensions, sizeof(const char *));
    int m;
    for (m = 0; m < OA_METHOD_COUNT; m++)
        if (oa_route_operation(route, (oa_method)m))
            APR_ARRAY_PUSH(names, const char *) = oa_method_name((oa_method)m);
    for (m = 0; m < extensions; m++)
        APR_ARRAY_PUSH(names, const char *) =
            APR_ARRAY_IDX(route->extensions, m, oa_route_extension).method;
    return names;
}

const char *oa_route_allow(const oa_route *route, apr_pool_t *pool)
{
    return apr_array_pstrcat(pool, oa_route_methods(route, pool), ',');
}

const char *oa_route_match_value(const oa_route_match *match, const char *name)
{
    const apr_array_header_t *names = match->route->param_names;
    int i;
    for (i = 0; i < names->nelts && i < match->values->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(names, i, const char *), name) == 0)
            return APR_ARRAY_IDX(match->values, i, const char *);
    return NULL;
}
