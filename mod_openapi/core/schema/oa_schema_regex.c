/* ECMA-262 (unicode mode) regular expressions in PCRE2 terms: what PCRE2's own options
 * (ALT_BSUX, DOLLAR_ENDONLY, no UCP) do not cover is rewritten in the source before it is
 * compiled: \p{Letter}-style long General_Category names and `gc=` / `sc=` prefixes, the
 * Unicode white space ECMA's \s and \S mean, and the empty classes [] and [^]. */
#include "schema/oa_schema_internal.h"

#include <apr_strings.h>
#include <string.h>

/* ECMA's \s: WhiteSpace and LineTerminator, Unicode Zs included */
#define ECMA_SPACE "\\s\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}"

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

static const char *property_name(apr_pool_t *pool, const char *name, size_t length)
{
    static const char *const prefixes[] = {"General_Category=", "gc=", "Script=", "sc=",
                                           "Script_Extensions=", "scx="};
    size_t i;
    for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        size_t n = strlen(prefixes[i]);
        if (length > n && strncmp(name, prefixes[i], n) == 0) {
            name += n;
            length -= n;
            break;
        }
    }
    for (i = 0; i < sizeof(property_names) / sizeof(property_names[0]); i++)
        if (strlen(property_names[i].ecma) == length &&
            strncmp(property_names[i].ecma, name, length) == 0)
            return property_names[i].pcre;
    return apr_pstrndup(pool, name, length);
}

const char *oa_regex_from_ecma(apr_pool_t *pool, const char *source)
{
    size_t length = strlen(source), i;
    /* each source byte becomes at most the \S expansion */
    char *out = apr_palloc(pool, length * (sizeof(ECMA_SPACE) + 8) + 1);
    size_t o = 0;
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
            if ((next == 'p' || next == 'P') && source[i + 2] == '{') {
                const char *end = strchr(source + i + 3, '}');
                if (end) {
                    out[o++] = '\\';
                    out[o++] = next;
                    out[o++] = '{';
                    EMIT(property_name(pool, source + i + 3, (size_t)(end - source - i - 3)));
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
            if (source[i + 1] == ']') {
                EMIT("(?!)"); /* [] matches nothing */
                i++;
                continue;
            }
            if (source[i + 1] == '^' && source[i + 2] == ']') {
                EMIT("[\\s\\S]"); /* [^] matches anything */
                i += 2;
                continue;
            }
            in_class = 1;
            out[o++] = c;
            if (source[i + 1] == '^') {
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
    return out;
}
