#!/bin/sh
# Turns a man page (the small roff subset of docs/man/*.1) into a C string constant, so
# that --help prints the man page's text: one source for both.
#   build/man2help.sh NAME VERSION < page.1 > header.h
name=$1
version=$2
echo "/* Generated from the man page by build/man2help.sh; do not edit. */"
echo "static const char ${name}[] ="
sed -e "s/@VERSION@/$version/g" | awk '
function text(s) {
    gsub(/\\f[BIRP]/, "", s); gsub(/\\-/, "-", s); gsub(/\\e/, "\\", s); gsub(/\\&/, "", s)
    return s
}
function alternate(s,    out, n, i, parts) {   # .BR/.BI/.IR: words joined, quotes dropped
    n = 0
    while (match(s, /"[^"]*"|[^ "]+/)) {
        parts[++n] = substr(s, RSTART, RLENGTH); s = substr(s, RSTART + RLENGTH)
    }
    out = ""
    for (i = 1; i <= n; i++) { gsub(/"/, "", parts[i]); out = out parts[i] }
    return out
}
function emit(s) {
    if (s != "" && indent != "") s = indent s
    gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s)
    printf "    \"%s\\n\"\n", s
}
/^\.TH/ { next }
/^\.SH/ { if (started) emit(""); started = 1; sub(/^\.SH +/, ""); gsub(/"/, ""); indent = "";
          emit($0); indent = "    "; tag = 0; next }
/^\.(PP|P|LP)$/ { emit(""); indent = "    "; next }
/^\.TP/ { tag = 1; indent = "    "; next }
/^\.(nf|fi|br|RS|RE)/ { next }
{
    line = $0
    if (line ~ /^\.(BR|BI|IR|RB|RI|IB) /) { sub(/^\.[A-Z][A-Z] /, "", line); line = alternate(line) }
    else if (line ~ /^\.[BI] /) { sub(/^\.[BI] /, "", line); gsub(/"/, "", line) }
    line = text(line)
    if (tag) { emit(line); indent = "        "; tag = 0; next }
    emit(line)
}
' 
echo "    ;"
