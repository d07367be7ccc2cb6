/* text.c - names shared by every layer. */
#include "slsim/text.h"
#include "yaml_get.h"

#include <stdio.h>
#include <string.h>

int text_vfail(char *why, size_t whylen, const char *fmt, va_list ap)
{
    if (why && whylen > 0)
        vsnprintf(why, whylen, fmt, ap);
    return -1;
}

int text_fail(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_vfail(why, whylen, fmt, ap);
    va_end(ap);
    return -1;
}

void text_file_stem(const char *path, char *out, size_t n)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
        len -= 5;
    else if (len > 4 && strcmp(base + len - 4, ".yml") == 0)
        len -= 4;
    /* A longer file name is cut: the name is only a label. */
    if (len >= n)
        len = n - 1;
    memcpy(out, base, len);
    out[len] = '\0';
}

const char *text_suggest(const char *word, const char *const *cands)
{
    return cfg_suggest(word, cands);
}

void text_csv_name(const char *path, char *out, size_t n)
{
    size_t i = 0;
    for (; path[i] && i + 1 < n; i++)
        out[i] = path[i] == '.' ? '_' : path[i];
    if (n)
        out[i] = '\0';
}
