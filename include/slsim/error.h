/* error.h - how library code reports a failure to the command line.
 *
 * Library code never prints and never exits: it fills a struct slsim_error and
 * returns -1. Only sim/main.c turns an error into a message and an exit status. */
#ifndef SLSIM_ERROR_H
#define SLSIM_ERROR_H

#include <stdarg.h>
#include <stddef.h>

struct slsim_error {
    char message[512]; /* what is wrong, for a person, without the location */
    char file[256];    /* file the bad input came from, "" if none */
    int line;          /* 1-based line in file, 0 if unknown */
    int column;        /* 1-based column in file, 0 if unknown */
    char key[256];     /* dotted key path such as "deployments.lambda.keep_alive", "" if none */
};

/* Fill err (which may be NULL) with a location and a printf-style message.
 * Any of file and key may be NULL. Always returns -1 so callers can write
 * `return slsim_error_set(...)`. */
int slsim_error_set(struct slsim_error *err, const char *file, int line, int column,
                    const char *key, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* The same with the message's arguments as a va_list, for functions that take a
 * format of their own and fill an error with it. */
int slsim_error_vset(struct slsim_error *err, const char *file, int line, int column,
                     const char *key, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

/* Write "file:line:column: key: message" (parts that are unknown left out) into
 * buf of size n. Returns what snprintf returns. */
int slsim_error_format(const struct slsim_error *err, char *buf, size_t n);

#endif
