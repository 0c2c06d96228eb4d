/* ECMA-262 (unicode mode) regular expressions in PCRE2 terms: what PCRE2's own options
 * (ALT_BSUX, DOLLAR_ENDONLY, no UCP) do not cover is rewritten in the source before it is
 * compiled: \p{Letter}-style long General_Category names and `gc=` / `sc=` prefixes, the
 * Unicode white space ECMA's \s and \S mean, and the empty classes [] and [^]. */
#include "schema/oa_format.h"

#include <apr_strings.h>
#include <string.h>

/* ECMA's \s: WhiteSpace and LineTerminator, Unicode Zs included */
#define ECMA_SPACE "\\s\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"

static const struct {
    const char *ecma;
    const char *pcre;
} property_names[] = {
    {"Letter", "L"}, {"Cased_Letter", "LC"}, {"Uppercase_Letter", "Lu"},
    {"Lowercase_Letter", "Ll"}, {"Titlecase_Letter", "Lt"}, {"Modifier_Letter", "Lm"},
    {"Other_Letter", "Lo"}, {"Mark", "M"}, {"Combining_Mark", "M"},
    {"Nonspacing_Mark", "Mn"}, {"Spacing_Mark", "Mc"}, {"Enclosing_Mark", "Me"},
    {"Number", "N"}, {"Decimal_Number", "Nd"}, {"digit", "Nd"}, {"Letter_Number", "Nl"},
    {"Other_Number", "No"}, {"Punctuation", "P"}, {"punct", "P"},
    {"Connector_Punctuation", "Pc"}, {"Dash_Punctuation", "Pd"},
    {"Open_Punctuation", "Ps"}, {"Close_Punctuation", "Pe"},
    {"Initial_Punctuation", "Pi"}, {"Final_Punctuation", "Pf"},
    {"Other_Punctuation", "Po"}, {"Symbol", "S"}, {"Math_Symbol", "Sm"},
    {"Currency_Symbol", "Sc"}, {"Modifier_Symbol", "Sk"}, {"Other_Symbol", "So"},
    {"Separator", "Z"}, {"Space_Separator", "Zs"}, {"Line_Separator", "Zl"},
    {"Paragraph_Separator", "Zp"}, {"Other", "C"}, {"Control", "Cc"}, {"cntrl", "Cc"},
    {"Format", "Cf"}, {"Surrogate", "Cs"}, {"Private_Use", "Co"}, {"Unassigned", "Cn"},
};

/* The PCRE2 name of an ECMA property name (a static string), or NULL: copy it as it is. */
static const char *property_name(const char *name, size_t length, size_t *skip)
{
    static const char *const prefixes[] = {"General_Category=", "gc=", "Script=", "sc=",
                                           "Script_Extensions=", "scx="};
    size_t i;
    for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        size_t n = strlen(prefixes[i]);
        if (length > n && strncmp(name, prefixes[i], n) == 0) {
            name += n;
            length -= n;
            *skip = n;
            break;
        }
    }
    for (i = 0; i < sizeof(property_names) / sizeof(property_names[0]); i++)
        if (strlen(property_names[i].ecma) == length &&
            strncmp(property_names[i].ecma, name, length) == 0)
            return property_names[i].pcre;
    return NULL;
}

size_t oa_regex_ecma_size(size_t length)
{
    /* each source byte becomes at most the \S expansion */
    return length * (sizeof(ECMA_SPACE) + 8) + 1;
}

size_t oa_regex_translate(char *out, const char *source, size_t length)
{
    size_t i, o = 0;
    int in_class = 0;
#define EMIT(text)                                                                         \
    do {                                                                                   \
        size_t emit_length = strlen(text);                                                 \
        memcpy(out + o, text, emit_length);                                                \
        o += emit_length;                                                                  \
    } while (0)
    for (i = 0; i < length; i++) {
        char c = source[i];
        if (c == '\\' && i + 1 < length) {
            char next = source[i + 1];
            if ((next == 'p' || next == 'P') && i + 2 < length && source[i + 2] == '{') {
                const char *end = memchr(source + i + 3, '}', length - i - 3);
                if (end) {
                    size_t name_length = (size_t)(end - source - i - 3), skip = 0;
                    const char *name = property_name(source + i + 3, name_length, &skip);
                    out[o++] = '\\';
                    out[o++] = next;
                    out[o++] = '{';
                    if (name) {
                        EMIT(name);
                    }
                    else {
                        memcpy(out + o, source + i + 3 + skip, name_length - skip);
                        o += name_length - skip;
                    }
                    out[o++] = '}';
                    i = (size_t)(end - source);
                    continue;
                }
            }
            if (next == 's') {
                EMIT(in_class ? ECMA_SPACE : "[" ECMA_SPACE "]");
                i++;
                continue;
            }
            if (next == 'S' && !in_class) {
                EMIT("[^" ECMA_SPACE "]");
                i++;
                continue;
            }
            out[o++] = c;
            out[o++] = next;
            i++;
            continue;
        }
        if (!in_class && c == '[') {
            if (i + 1 < length && source[i + 1] == ']') {
                EMIT("(?!)"); /* [] matches nothing */
                i++;
                continue;
            }
            if (i + 2 < length && source[i + 1] == '^' && source[i + 2] == ']') {
                EMIT("[\\s\\S]"); /* [^] matches anything */
                i += 2;
                continue;
            }
            in_class = 1;
            out[o++] = c;
            if (i + 1 < length && source[i + 1] == '^') {
                out[o++] = '^';
                i++;
            }
            continue;
        }
        if (in_class && c == ']')
            in_class = 0;
        out[o++] = c;
    }
#undef EMIT
    out[o] = '\0';
    return o;
}

const char *oa_regex_from_ecma(apr_pool_t *pool, const char *source)
{
    size_t length = strlen(source);
    char *out = apr_palloc(pool, oa_regex_ecma_size(length));
    oa_regex_translate(out, source, length);
    return out;
}
