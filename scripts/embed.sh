#!/bin/sh
# Write a C file that holds FILE's bytes as `const unsigned char SYMBOL[]` and its
# length as `const size_t SYMBOL_len` (POSIX od and sed only; no xxd needed).
set -eu
file=$1
sym=$2
echo "/* generated from $file by scripts/embed.sh; do not edit */"
echo "#include <stddef.h>"
echo "const unsigned char ${sym}[] = {"
od -An -v -tx1 "$file" | sed 's/ *\([0-9a-f][0-9a-f]\)/0x\1,/g'
echo "};"
echo "const size_t ${sym}_len = sizeof ${sym};"
