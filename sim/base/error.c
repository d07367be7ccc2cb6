/* error.c - filling and formatting struct slsim_error.
 *
 * The one place that decides how a location reads: "file:line:col: key: message",
 * the form compilers use, so editors can jump to it. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "slsim/error.h"

int slsim_error_vset(struct slsim_error *err, const char *file, int line, int column,
                     const char *key, const char *fmt, va_list ap)
{
    if (!err)
        return -1;
    memset(err, 0, sizeof *err);
    if (file)
        snprintf(err->file, sizeof err->file, "%s", file);
    if (key)
        snprintf(err->key, sizeof err->key, "%s", key);
    err->line = line;
    err->column = column;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return -1;
}

int slsim_error_set(struct slsim_error *err, const char *file, int line, int column,
                    const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    slsim_error_vset(err, file, line, column, key, fmt, ap);
    va_end(ap);
    return -1;
}

int slsim_error_format(const struct slsim_error *err, char *buf, size_t n)
{
    char where[400] = "";
    size_t w = 0;
    if (err->file[0]) {
        if (err->line > 0 && err->column > 0)
            w = (size_t)snprintf(where, sizeof where, "%s:%d:%d: ", err->file, err->line,
                                 err->column);
        else if (err->line > 0)
            w = (size_t)snprintf(where, sizeof where, "%s:%d: ", err->file, err->line);
        else
            w = (size_t)snprintf(where, sizeof where, "%s: ", err->file);
    }
    if (err->key[0] && w < sizeof where)
        snprintf(where + w, sizeof where - w, "%s: ", err->key);
    return snprintf(buf, n, "%s%s", where, err->message);
}
