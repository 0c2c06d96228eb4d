#include "doc/oa_parse.h"
#include "doc/oa_json_check.h"
#include "doc/oa_json_read.h"
#include "doc/oa_share.h"
#include "util/oa_json.h"

#include <apr_file_io.h>
#include <apr_strings.h>
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Nesting deeper than this is refused: the builder recurses once per level. */
#define OA_PARSE_MAX_DEPTH 512

typedef struct parse_state {
    apr_pool_t *pool;
    const char *name;
    yaml_parser_t parser;
    oa_posmap *positions;
    oa_share *shared;     /* NULL unless OA_PARSE_SHARE_SUBTREES */
    int sharing;          /* inside the value of a shared key (oa_share.h) */
    apr_hash_t *anchors; /* anchor name -> json_t (a reference of its own) */
    oa_diag *diag;
    int failed;
    int refused; /* our own refusal (depth, UTF-8, keys), not a YAML syntax error */
} parse_state;

static void fail_at(parse_state *st, const yaml_mark_t *mark, const char *fmt, const char *arg)
{
    if (st->failed)
        return;
    st->failed = 1;
    st->refused = 1;
    oa_diag_add(st->diag, st->name, (int)mark->line + 1, (int)mark->column + 1, fmt, arg);
}

static int next_event(parse_state *st, yaml_event_t *event)
{
    if (yaml_parser_parse(&st->parser, event))
        return 1;
    if (!st->failed) {
        const yaml_mark_t *mark = st->parser.problem ? &st->parser.problem_mark
                                                     : &st->parser.context_mark;
        st->failed = 1;
        oa_diag_add(st->diag, st->name, (int)mark->line + 1, (int)mark->column + 1,
                    "invalid YAML: %s%s%s", st->parser.problem ? st->parser.problem : "error",
                    st->parser.context ? " " : "",
                    st->parser.context ? st->parser.context : "");
    }
    return 0;
}

static int text_equals_any(const char *text, const char *const *choices)
{
    for (; *choices; choices++)
        if (strcmp(text, *choices) == 0)
            return 1;
    return 0;
}

static int all_chars_in(const char *text, const char *allowed)
{
    return *text && strspn(text, allowed) == strlen(text);
}

/* YAML 1.2 core schema resolution of a plain scalar; NULL when it is a plain string. */
static json_t *resolve_plain_scalar(const char *text)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const trues[] = {"true", "True", "TRUE", NULL};
    static const char *const falses[] = {"false", "False", "FALSE", NULL};
    const char *digits = text;
    char *end;

    if (text_equals_any(text, nulls))
        return json_null();
    if (text_equals_any(text, trues))
        return json_true();
    if (text_equals_any(text, falses))
        return json_false();

    if (*digits == '-' || *digits == '+')
        digits++;
    if (all_chars_in(digits, "0123456789")) {
        long long value;
        errno = 0;
        value = strtoll(text, &end, 10);
        if (errno == ERANGE)
            return json_real(strtod(text, NULL));
        return json_integer(value);
    }
    if (strncmp(text, "0o", 2) == 0 && all_chars_in(text + 2, "01234567"))
        return json_integer(strtoll(text + 2, NULL, 8));
    if (strncmp(text, "0x", 2) == 0 && all_chars_in(text + 2, "0123456789abcdefABCDEF"))
        return json_integer(strtoll(text + 2, NULL, 16));
    if (strcmp(digits, ".inf") == 0 || strcmp(digits, ".Inf") == 0 ||
        strcmp(digits, ".INF") == 0 || strcmp(text, ".nan") == 0 ||
        strcmp(text, ".NaN") == 0 || strcmp(text, ".NAN") == 0)
        return NULL; /* JSON has no infinities or NaN: keep the text */
    /* [-+]? ( . [0-9]+ | [0-9]+ ( . [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
    if ((*digits >= '0' && *digits <= '9') || (*digits == '.' && digits[1] >= '0' &&
                                               digits[1] <= '9')) {
        double value;
        errno = 0;
        value = strtod(text, &end);
        if (*end == '\0' && !strpbrk(text, "xXnN") && isfinite(value))
            return json_real(value);
    }
    return NULL;
}

static json_t *make_scalar(parse_state *st, const yaml_event_t *event)
{
    const char *text = (const char *)event->data.scalar.value;
    size_t length = event->data.scalar.length;
    const char *tag = (const char *)event->data.scalar.tag;
    json_t *value = NULL;

    if (tag && strcmp(tag, YAML_STR_TAG) == 0) {
        value = json_stringn(text, length);
    }
    else if (event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
             strlen(text) == length) {
        value = resolve_plain_scalar(text);
        if (!value)
            value = json_stringn(text, length);
    }
    else {
        value = json_stringn(text, length);
    }
    if (!value)
        fail_at(st, &event->start_mark, "%s", "scalar is not valid UTF-8");
    return value;
}

static json_t *parse_node(parse_state *st, yaml_event_t *event, int depth,
                          const yaml_mark_t *key_mark);

/* Inside the value of a shared key (oa_share.h), containers are shared bottom-up. */
static int starts_shared_value(const parse_state *st, const char *key)
{
    return st->shared && !st->sharing && oa_share_key_starts_shared(key, strlen(key));
}

static json_t *share(parse_state *st, json_t *node)
{
    return st->sharing ? oa_share_node(st->shared, st->positions, node) : node;
}

/* The table holds a reference to each anchored node: sharing may release the container
 * an anchored node was written in (an identical one came first), and an alias after it
 * must still find the node. */
static void remember_anchor(parse_state *st, const yaml_char_t *anchor, json_t *node)
{
    if (!anchor || !node)
        return;
    json_decref(apr_hash_get(st->anchors, anchor, APR_HASH_KEY_STRING)); /* redefined */
    apr_hash_set(st->anchors, apr_pstrdup(st->pool, (const char *)anchor),
                 APR_HASH_KEY_STRING, json_incref(node));
}

/* YAML merge key "<<": copies entries of the merged mapping(s) that are not set yet. */
static int apply_merge(parse_state *st, json_t *target, json_t *source,
                       const yaml_mark_t *mark)
{
    size_t i;
    if (json_is_array(source)) {
        json_t *each;
        json_array_foreach(source, i, each)
            if (!apply_merge(st, target, each, mark))
                return 0;
        return 1;
    }
    if (!json_is_object(source)) {
        fail_at(st, mark, "%s", "merge key '<<' needs a mapping or a list of mappings");
        return 0;
    }
    {
        const char *key;
        json_t *value;
        json_object_foreach(source, key, value)
            if (!json_object_get(target, key))
                json_object_set(target, key, value);
    }
    return 1;
}

static json_t *parse_mapping(parse_state *st, yaml_event_t *start, int depth)
{
    json_t *object = json_object();
    json_t *merges = NULL;
    yaml_mark_t merge_mark = start->start_mark;

    oa_posmap_set(st->positions, object, (int)start->start_mark.line + 1,
                  (int)start->start_mark.column + 1);
    for (;;) {
        yaml_event_t key_event;
        json_t *value;
        char *key;
        if (!next_event(st, &key_event))
            break;
        if (key_event.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&key_event);
            if (merges) {
                apply_merge(st, object, merges, &merge_mark);
                json_decref(merges);
                merges = NULL;
            }
            return st->failed ? (json_decref(object), NULL) : object;
        }
        if (key_event.type != YAML_SCALAR_EVENT) {
            fail_at(st, &key_event.start_mark, "%s",
                    "mapping keys must be scalars (JSON object keys are strings)");
            yaml_event_delete(&key_event);
            break;
        }
        /* libyaml ends a scalar's text with a NUL: the key is read in place, and its
         * event kept until the value is set (a copy in the pool would live as long as
         * the spec, beside jansson's own). */
        key = (char *)key_event.data.scalar.value;
        if (strlen(key) != key_event.data.scalar.length) {
            fail_at(st, &key_event.start_mark, "%s", "mapping key contains a NUL character");
            yaml_event_delete(&key_event);
            break;
        }
        {
            yaml_event_t value_event;
            int is_merge = (key_event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
                            strcmp(key, "<<") == 0);
            yaml_mark_t key_mark = key_event.start_mark;
            int set_failed;
            if (!is_merge && json_object_get(object, key)) {
                fail_at(st, &key_mark, "duplicate key '%s' in mapping", key);
                yaml_event_delete(&key_event);
                break;
            }
            if (!next_event(st, &value_event)) {
                yaml_event_delete(&key_event);
                break;
            }
            if (starts_shared_value(st, key)) {
                st->sharing = 1;
                value = parse_node(st, &value_event, depth + 1, &key_mark);
                st->sharing = 0;
            }
            else {
                value = parse_node(st, &value_event, depth + 1, is_merge ? NULL : &key_mark);
            }
            if (!value) {
                yaml_event_delete(&key_event);
                break;
            }
            if (is_merge) {
                yaml_event_delete(&key_event);
                /* Merged entries never override explicit ones, wherever they appear. */
                merges = merges ? merges : json_array();
                json_array_append_new(merges, value);
                merge_mark = key_mark;
                continue;
            }
            set_failed = json_object_set_new(object, key, value) != 0;
            if (set_failed)
                fail_at(st, &key_mark, "mapping key '%s' is not valid UTF-8", key);
            yaml_event_delete(&key_event);
            if (set_failed)
                break;
        }
    }
    json_decref(merges);
    json_decref(object);
    return NULL;
}

static json_t *parse_sequence(parse_state *st, yaml_event_t *start, int depth)
{
    json_t *array = json_array();
    oa_posmap_set(st->positions, array, (int)start->start_mark.line + 1,
                  (int)start->start_mark.column + 1);
    for (;;) {
        yaml_event_t event;
        json_t *item;
        if (!next_event(st, &event))
            break;
        if (event.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&event);
            return array;
        }
        item = parse_node(st, &event, depth + 1, NULL);
        if (!item)
            break;
        json_array_append_new(array, item);
    }
    json_decref(array);
    return NULL;
}

/* A mapping or list is reported where its key is written ("get:" rather than the first
 * line inside it). */
static json_t *locate_at_key(parse_state *st, json_t *node, const yaml_mark_t *key_mark)
{
    if (node && key_mark)
        oa_posmap_set(st->positions, node, (int)key_mark->line + 1, (int)key_mark->column + 1);
    return node;
}

/* Builds the node that starts with event (consumed here). NULL on error. key_mark: where
 * the key of a mapping's value is written. */
static json_t *parse_node(parse_state *st, yaml_event_t *event, int depth,
                          const yaml_mark_t *key_mark)
{
    json_t *node = NULL;
    if (depth > OA_PARSE_MAX_DEPTH) {
        fail_at(st, &event->start_mark, "%s", "nesting is too deep");
        yaml_event_delete(event);
        return NULL;
    }
    switch (event->type) {
    case YAML_SCALAR_EVENT:
        node = make_scalar(st, event);
        if (node)
            oa_posmap_set(st->positions, node, (int)event->start_mark.line + 1,
                          (int)event->start_mark.column + 1);
        remember_anchor(st, event->data.scalar.anchor, node);
        break;
    case YAML_MAPPING_START_EVENT:
        node = share(st, locate_at_key(st, parse_mapping(st, event, depth), key_mark));
        remember_anchor(st, event->data.mapping_start.anchor, node);
        break;
    case YAML_SEQUENCE_START_EVENT:
        node = share(st, locate_at_key(st, parse_sequence(st, event, depth), key_mark));
        remember_anchor(st, event->data.sequence_start.anchor, node);
        break;
    case YAML_ALIAS_EVENT: {
        const char *anchor = (const char *)event->data.alias.anchor;
        node = apr_hash_get(st->anchors, anchor, APR_HASH_KEY_STRING);
        if (node)
            json_incref(node); /* an alias shares the anchored node */
        else
            fail_at(st, &event->start_mark,
                    "alias '*%s' names no anchor defined before it (or its own ancestor)",
                    anchor);
        break;
    }
    default:
        fail_at(st, &event->start_mark, "%s", "unexpected YAML event");
        break;
    }
    yaml_event_delete(event);
    return node;
}

static json_t *parse_stream(parse_state *st)
{
    yaml_event_t event;
    json_t *root = NULL;

    /* STREAM-START, DOCUMENT-START, node, DOCUMENT-END, then STREAM-END. */
    if (!next_event(st, &event))
        return NULL;
    yaml_event_delete(&event);
    if (!next_event(st, &event))
        return NULL;
    if (event.type == YAML_STREAM_END_EVENT) {
        fail_at(st, &event.start_mark, "%s", "the document is empty");
        yaml_event_delete(&event);
        return NULL;
    }
    yaml_event_delete(&event);
    if (!next_event(st, &event))
        return NULL;
    root = parse_node(st, &event, 0, NULL);
    if (!root)
        return NULL;
    if (!next_event(st, &event)) {
        json_decref(root);
        return NULL;
    }
    yaml_event_delete(&event);
    if (!next_event(st, &event)) {
        json_decref(root);
        return NULL;
    }
    if (event.type != YAML_STREAM_END_EVENT) {
        fail_at(st, &event.start_mark, "%s", "expected a single document, found another");
        yaml_event_delete(&event);
        json_decref(root);
        return NULL;
    }
    yaml_event_delete(&event);
    return root;
}

static int looks_like_json(const char *text, size_t length)
{
    size_t i = 0;
    while (i < length && strchr(" \t\r\n", text[i]))
        i++;
    return i < length && (text[i] == '{' || text[i] == '[');
}

/* Strict JSON that oa_json_check accepted, read with positions by oa_json_read. */
static json_t *read_checked_json(apr_pool_t *pool, const char *name, const char *text,
                                 size_t length, int flags, oa_posmap **positions,
                                 oa_diag *diag)
{
    oa_posmap *map = oa_posmap_create(pool, name);
    oa_share *share = (flags & OA_PARSE_SHARE_SUBTREES) ? oa_share_create(pool) : NULL;
    json_t *root = oa_json_read(pool, name, text, length, map, share, diag);
    oa_share_destroy(share);
    if (!root)
        return NULL;
    oa_posmap_seal(map);
    if (positions)
        *positions = map;
    return root;
}

/* Strict JSON check first for JSON text (YAML would take trailing commas and comments):
 * the fast one, and jansson's when that one has a doubt (jansson names the error). What
 * the fast check accepts is built by oa_json_read; YAML, and the JSON jansson decided,
 * by the YAML parser, which also knows where each node is. */
json_t *oa_parse_buffer_ex(apr_pool_t *pool, const char *name, const char *text,
                           size_t length, int flags, oa_posmap **positions, oa_diag *diag)
{
    /* Integers beyond 64 bits are valid JSON: read them as reals for this check. */
    const size_t strict_flags = JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL |
                                JSON_ALLOW_NUL;
    parse_state st;
    json_t *root;
    int is_json = looks_like_json(text, length);
    int jansson_checked = 0;

    if (is_json && oa_json_check(pool, text, length)) {
        if (!(flags & OA_PARSE_BY_YAML)) {
            int errors = oa_diag_count(diag);
            root = read_checked_json(pool, name, text, length, flags, positions, diag);
            if (root || oa_diag_count(diag) > errors)
                return root;
            /* not taken by the JSON reader: the YAML one names what is wrong */
        }
    }
    else if (is_json) {
        json_error_t error;
        jansson_checked = 1;
        /* only checked: two whole trees at once would double the peak */
        json_t *strict = json_loadb(text, length, strict_flags, &error);
        if (!strict) {
            oa_diag_add(diag, name, error.line, error.column, "invalid JSON: %s", error.text);
            return NULL;
        }
        json_decref(strict);
    }
    memset(&st, 0, sizeof(st));
    st.pool = pool;
    st.name = name;
    st.positions = oa_posmap_create(pool, name);
    st.anchors = apr_hash_make(pool);
    st.diag = oa_diag_create(pool);
    if (flags & OA_PARSE_SHARE_SUBTREES)
        st.shared = oa_share_create(pool);
    if (!yaml_parser_initialize(&st.parser)) {
        oa_diag_add(diag, name, 0, 0, "cannot initialize the YAML parser");
        return NULL;
    }
    yaml_parser_set_input_string(&st.parser, (const unsigned char *)text, length);
    root = parse_stream(&st);
    oa_json_hash_release(st.anchors);
    yaml_parser_delete(&st.parser);
    oa_share_destroy(st.shared);
#ifdef __GLIBC__
    /* The strict check's tree, larger than the one kept (shared subtrees), is free but
     * still resident: every httpd child would carry it. Give its pages back. */
    if (jansson_checked)
        malloc_trim(0);
#endif

    if (is_json && !root && !st.refused) {
        /* Valid JSON that YAML 1.1 refuses (tabs, some escapes): positions unknown. */
        json_t *exact = json_loadb(text, length, JSON_ALLOW_NUL, NULL);
        if (!exact)
            exact = json_loadb(text, length, strict_flags, NULL);
        if (positions) {
            *positions = oa_posmap_create(pool, name);
            oa_posmap_seal(*positions);
        }
        return exact;
    }
    if (!root) {
        apr_array_cat(diag->entries, st.diag->entries);
        return NULL;
    }
    oa_posmap_seal(st.positions);
    if (positions)
        *positions = st.positions;
    return root;
}

char *oa_parse_read_file(apr_pool_t *pool, const char *path, apr_size_t *length,
                         oa_diag *diag)
{
    apr_file_t *file;
    apr_finfo_t info;
    apr_status_t rv;
    char *text;
    char reason[256];

    rv = apr_file_open(&file, path, APR_FOPEN_READ | APR_FOPEN_BINARY, APR_OS_DEFAULT, pool);
    if (rv == APR_SUCCESS)
        rv = apr_file_info_get(&info, APR_FINFO_SIZE, file);
    if (rv != APR_SUCCESS) {
        oa_diag_add(diag, path, 0, 0, "cannot read: %s",
                    apr_strerror(rv, reason, sizeof(reason)));
        return NULL;
    }
    *length = (apr_size_t)info.size;
    text = apr_palloc(pool, *length + 1);
    rv = apr_file_read_full(file, text, *length, length);
    apr_file_close(file);
    if (rv != APR_SUCCESS && rv != APR_EOF) {
        oa_diag_add(diag, path, 0, 0, "cannot read: %s",
                    apr_strerror(rv, reason, sizeof(reason)));
        return NULL;
    }
    text[*length] = '\0';
    return text;
}

json_t *oa_parse_buffer(apr_pool_t *pool, const char *name, const char *text, size_t length,
                        oa_posmap **positions, oa_diag *diag)
{
    return oa_parse_buffer_ex(pool, name, text, length, 0, positions, diag);
}

json_t *oa_parse_file(apr_pool_t *pool, const char *path, oa_posmap **positions,
                      oa_diag *diag)
{
    return oa_parse_file_ex(pool, path, 0, positions, diag);
}

json_t *oa_parse_file_ex(apr_pool_t *pool, const char *path, int flags,
                         oa_posmap **positions, oa_diag *diag)
{
    apr_pool_t *scratch; /* the text: only the tree made of it stays */
    apr_size_t length;
    char *text;
    json_t *root = NULL;

    apr_pool_create(&scratch, pool);
    text = oa_parse_read_file(scratch, path, &length, diag);
    if (text)
        root = oa_parse_buffer_ex(pool, path, text, length, flags, positions, diag);
    apr_pool_destroy(scratch);
    return root;
}

json_t *oa_parse_file_loader(void *baton, oa_docset *set, const char *uri,
                             oa_posmap **positions, oa_diag *diag)
{
    apr_pool_t *pool = oa_docset_pool(set);
    const char *path = oa_uri_to_path(pool, uri);
    const int *flags = baton;
    if (!path) {
        oa_diag_add(diag, NULL, 0, 0,
                    "cannot fetch '%s': only files (relative or file:// references) are read",
                    uri);
        return NULL;
    }
    return oa_parse_file_ex(pool, path, flags ? *flags : 0, positions, diag);
}
