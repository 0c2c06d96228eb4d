/* JSON to YAML through libyaml's emitter, which does the quoting and escaping; we decide
 * only which strings may stay plain. */
#include "doc/oa_yaml_emit.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "util/oa_buffer.h"

static int write_out(void *baton, unsigned char *bytes, size_t size)
{
    oa_buffer_append(baton, bytes, size);
    return 1;
}

/* Whether a YAML 1.1 or 1.2 reader would read the string back as a string when written
 * plain: not empty, not a null/bool word, and not starting like a number or a date. */
static int plain_is_string(const char *text)
{
    static const char *const words[] = {"null", "~", "true", "false", "yes", "no", "on",
                                        "off", "y", "n", ".nan", ".inf", "-.inf", "+.inf"};
    size_t i;
    if (!*text || isdigit((unsigned char)text[0]) ||
        ((text[0] == '-' || text[0] == '+' || text[0] == '.') &&
         isdigit((unsigned char)text[1])))
        return 0;
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcasecmp(text, words[i]) == 0)
            return 0;
    return 1;
}

/* A string (plain when it reads back as a string, else quoted) or, with string 0, a
 * number, boolean or null (always plain). */
static int emit_scalar(yaml_emitter_t *emitter, const char *text, size_t length, int string)
{
    yaml_event_t event;
    int plain = !string || (strlen(text) == length && plain_is_string(text));
    yaml_scalar_event_initialize(&event, NULL, NULL, (yaml_char_t *)text, (int)length, plain,
                                 string, plain ? YAML_ANY_SCALAR_STYLE
                                               : YAML_DOUBLE_QUOTED_SCALAR_STYLE);
    return yaml_emitter_emit(emitter, &event);
}

static int emit_value(yaml_emitter_t *emitter, const json_t *value)
{
    yaml_event_t event;
    if (json_is_object(value)) {
        const char *key;
        json_t *member;
        yaml_mapping_start_event_initialize(&event, NULL, NULL, 1, YAML_ANY_MAPPING_STYLE);
        if (!yaml_emitter_emit(emitter, &event))
            return 0;
        json_object_foreach((json_t *)value, key, member) {
            if (!emit_scalar(emitter, key, strlen(key), 1) ||
                !emit_value(emitter, member))
                return 0;
        }
        yaml_mapping_end_event_initialize(&event);
        return yaml_emitter_emit(emitter, &event);
    }
    if (json_is_array(value)) {
        size_t i;
        json_t *item;
        yaml_sequence_start_event_initialize(&event, NULL, NULL, 1, YAML_ANY_SEQUENCE_STYLE);
        if (!yaml_emitter_emit(emitter, &event))
            return 0;
        json_array_foreach(value, i, item) {
            if (!emit_value(emitter, item))
                return 0;
        }
        yaml_sequence_end_event_initialize(&event);
        return yaml_emitter_emit(emitter, &event);
    }
    if (json_is_string(value))
        /* an embedded NUL cannot be plain; libyaml escapes it in double quotes */
        return emit_scalar(emitter, json_string_value(value), json_string_length(value), 1);
    {
        /* numbers, booleans and null as JSON writes them: also valid YAML 1.2 */
        char *text = json_dumps(value, JSON_ENCODE_ANY);
        int ok = text && emit_scalar(emitter, text, strlen(text), 0);
        free(text);
        return ok;
    }
}

const char *oa_yaml_emit(apr_pool_t *pool, const json_t *value, apr_size_t *length)
{
    yaml_emitter_t emitter;
    yaml_event_t event;
    oa_buffer out;
    int ok;

    if (!yaml_emitter_initialize(&emitter))
        return NULL;
    oa_buffer_init(&out, pool);
    yaml_emitter_set_output(&emitter, write_out, &out);
    yaml_emitter_set_unicode(&emitter, 1);
    yaml_emitter_set_width(&emitter, -1);
    yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING);
    ok = yaml_emitter_emit(&emitter, &event);
    yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1);
    ok = ok && yaml_emitter_emit(&emitter, &event);
    ok = ok && emit_value(&emitter, value);
    yaml_document_end_event_initialize(&event, 1);
    ok = ok && yaml_emitter_emit(&emitter, &event);
    yaml_stream_end_event_initialize(&event);
    ok = ok && yaml_emitter_emit(&emitter, &event);
    ok = ok && yaml_emitter_flush(&emitter);
    yaml_emitter_delete(&emitter);
    if (!ok)
        return NULL;
    *length = out.length;
    return out.data;
}
