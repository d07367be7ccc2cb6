/* text.h - names and the short texts every layer shares.
 *
 * Names of things a user writes (scenarios, deployments, platforms, instance types,
 * models) are identifiers of fewer than SLSIM_NAME_MAX bytes, so they travel in
 * fixed arrays and results can be copied as plain data. */
#ifndef SLSIM_TEXT_H
#define SLSIM_TEXT_H

#include <stdarg.h>
#include <stddef.h>

#define SLSIM_NAME_MAX 64

/* The base name of path without its directory and without a trailing `.yaml` or
 * `.yml`, cut to fit out (n bytes, n >= 1): the label of a scenario or catalog
 * that names itself nothing. */
void text_file_stem(const char *path, char *out, size_t n);

/* A report field's CSV column name into out[n]: its JSON path with each '.' as '_'
 * (latency_ms.p99 -> latency_ms_p99), as every CSV slsim writes names it. */
void text_csv_name(const char *path, char *out, size_t n);

/* The candidate of cands (NULL-terminated) closest to word by edit distance, when close
 * enough to be what was meant (the rule of every "did you mean" in slsim), else NULL. */
const char *text_suggest(const char *word, const char *const *cands);

/* Blanks as the unit and schedule grammars read them: space, tab, newline, return. */
static inline int text_is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* s past its leading blanks. */
static inline const char *text_skip_blanks(const char *s)
{
    while (text_is_blank(*s))
        s++;
    return s;
}

/* Write the reason fmt gives into why (whylen bytes; why may be NULL) and return -1,
 * so a checker can `return text_fail(why, whylen, ...)`: how the parsers of units,
 * distributions and schedules say what is wrong before a caller places it. */
int text_fail(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int text_vfail(char *why, size_t whylen, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

#endif
