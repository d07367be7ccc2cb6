/* units.c - reading and writing the units of scenario files.
 *
 * Every quantity a person types (a keep-alive of `10min`, a model of `2GiB`, a load
 * of `300/min`) passes through here once, at load time, and leaves as an integer
 * nanosecond count, a byte count or a rate per second. Numbers are read with strtod
 * (the process runs in the C locale), then checked strictly: a typo must become an
 * error message naming what was expected, never a silently different scenario. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/text.h"
#include "slsim/units.h"

struct unit {
    const char *name;
    double scale; /* how many base units (ns, bytes or seconds) one of these is */
};

/* Case matters: `10M` could mean minutes or megabytes, so only the spellings in
 * docs/SCENARIO.md (and the common synonyms sec, min, kB/KB, µs) are accepted. */
static const struct unit duration_units[] = {
    {"ns", 1.0},
    {"us", 1e3},
    {"\xc2\xb5s", 1e3}, /* µs in UTF-8 */
    {"ms", 1e6},
    {"s", 1e9},
    {"sec", 1e9},
    {"m", 60e9},
    {"min", 60e9},
    {"h", 3600e9},
    {"d", 86400e9},
};

static const struct unit size_units[] = {
    {"B", 1.0},
    {"kB", 1e3},
    {"KB", 1e3},
    {"MB", 1e6},
    {"GB", 1e9},
    {"TB", 1e12},
    {"KiB", 1024.0},
    {"MiB", 1048576.0},
    {"GiB", 1073741824.0},
    {"TiB", 1099511627776.0},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

#define EXPECT_DURATION "expected a duration such as 250ms, 1.5s, 10m or forever"
#define EXPECT_SIZE "expected a size such as 512B, 98MB or 2GiB"
#define EXPECT_RATE "expected a rate such as 5/s, 300/min or 1e6/d"
#define EXPECT_NUMBER "expected a number"

/* 2^63 as a double: the first value that no longer fits in int64_t. */
#define INT64_LIMIT 9223372036854775808.0

/* Length of s once trailing blanks are dropped. */
static size_t trimmed_len(const char *s)
{
    size_t n = strlen(s);
    while (n > 0 && text_is_blank(s[n - 1]))
        n--;
    return n;
}

/* The input as the user wrote it (blanks trimmed), shortened so one bad value
 * cannot fill the whole message. */
#define SHOWN_MAX 60
#define SHOW(s) (int)(trimmed_len(s) < SHOWN_MAX ? trimmed_len(s) : SHOWN_MAX), (s)

enum number_status { NUMBER_OK, NUMBER_EMPTY, NUMBER_MISSING, NUMBER_NOT_FINITE };

/* Read the decimal number at the start of s (after blanks) and point *rest past
 * it. strtod alone is too generous for a config file: it takes "inf", "nan" and
 * hexadecimal, none of which a person means as a duration. */
static enum number_status read_number(const char *s, double *v, const char **rest)
{
    s = text_skip_blanks(s);
    if (*s == '\0')
        return NUMBER_EMPTY;
    if (!(*s == '+' || *s == '-' || *s == '.' || (*s >= '0' && *s <= '9')))
        return NUMBER_MISSING;
    char *end;
    double x = strtod(s, &end);
    if (end == s)
        return NUMBER_MISSING;
    for (const char *c = s; c < end; c++)
        if (!strchr("0123456789.eE+-", *c))
            return NUMBER_MISSING;
    if (!isfinite(x))
        return NUMBER_NOT_FINITE;
    *v = x;
    *rest = end;
    return NUMBER_OK;
}

/* read_number, with the reason for a failure written as "<expect>; got ...". */
static int read_number_or_fail(const char *s, const char *expect, double *v, const char **rest,
                               char *why, size_t whylen)
{
    switch (read_number(s, v, rest)) {
    case NUMBER_OK:
        return 0;
    case NUMBER_EMPTY:
        return text_fail(why, whylen, "%s; got an empty value", expect);
    case NUMBER_MISSING:
        break;
    case NUMBER_NOT_FINITE:
        return text_fail(why, whylen, "%s; got \"%.*s\", which is too large", expect,
                         SHOW(text_skip_blanks(s)));
    }
    return text_fail(why, whylen, "%s; got \"%.*s\"", expect, SHOW(text_skip_blanks(s)));
}

/* Match the unit name at s exactly up to the trailing blanks; NULL if none. */
static const struct unit *find_unit(const struct unit *table, size_t n, const char *s)
{
    size_t len = trimmed_len(s);
    for (size_t i = 0; i < n; i++)
        if (strlen(table[i].name) == len && memcmp(table[i].name, s, len) == 0)
            return &table[i];
    return NULL;
}

/* A bare number where a unit is expected was once read as seconds, bytes or per
 * second, so `keep_alive: 10` meant 10 s when 10 minutes was as likely meant. Now
 * only 0 may go without a unit (it is 0 in every unit); anything else is refused
 * with the two readings a person most likely meant. */
static int bare_number(const char *s, const char *a, const char *b, char *why, size_t whylen)
{
    s = text_skip_blanks(s);
    int n = (int)trimmed_len(s);
    return text_fail(why, whylen, "%.*s needs a unit: %.*s%s or %.*s%s?", n, s, n, s, a, n, s, b);
}

/* Match a unit name at s as a prefix: the longest name in table that s starts
 * with and that is followed by the end, a blank or the next number (compound
 * durations, "1h30m"). NULL if none; *len is the name's length. */
static const struct unit *find_unit_prefix(const struct unit *table, size_t n, const char *s,
                                           size_t *len)
{
    const struct unit *best = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(table[i].name);
        if (strncmp(table[i].name, s, l) != 0)
            continue; /* only now is s known to be at least l long */
        char next = s[l];
        if ((next == '\0' || text_is_blank(next) || (next >= '0' && next <= '9') || next == '.') &&
            (!best || l > *len)) {
            best = &table[i];
            *len = l;
        }
    }
    return best;
}

/* Size: number, optional blanks, unit (bare 0 allowed). */
static int parse_scaled(const char *s, const struct unit *table, size_t nunits,
                        const char *what, const char *expect, double *out, char *why,
                        size_t whylen)
{
    double v = 0;
    const char *rest = s;
    if (read_number_or_fail(s, expect, &v, &rest, why, whylen))
        return -1;
    rest = text_skip_blanks(rest);
    if (v < 0)
        return text_fail(why, whylen, "a %s cannot be negative; got \"%.*s\"", what,
                         SHOW(text_skip_blanks(s)));
    double scale = 0;
    if (*rest != '\0') {
        const struct unit *u = find_unit(table, nunits, rest);
        if (!u)
            return text_fail(why, whylen, "%s; got \"%.*s\"", expect, SHOW(text_skip_blanks(s)));
        scale = u->scale;
    } else if (v != 0) {
        return bare_number(s, "MiB", "MB", why, whylen);
    }
    *out = v * scale;
    return 0;
}

/* Duration: one number and unit ("90s", "1.5h") or several with units from the
 * largest down, each at most once ("1h30m", "2d12h", "1m30s"); bare 0 allowed.
 * The result in nanoseconds, as a double (range checked by the caller). */
static int parse_duration_ns(const char *s, double *out, char *why, size_t whylen)
{
    const char *t = text_skip_blanks(s);
    double total = 0, last_scale = 0;
    const char *last_name = NULL;
    const char *rest = s;
    for (int piece = 0;; piece++) {
        double v = 0;
        if (read_number_or_fail(rest, EXPECT_DURATION, &v, &rest, why, whylen))
            return piece ? text_fail(why, whylen, EXPECT_DURATION "; got \"%.*s\"", SHOW(t)) : -1;
        if (v < 0)
            return text_fail(why, whylen, "a duration cannot be negative; got \"%.*s\"", SHOW(t));
        rest = text_skip_blanks(rest);
        if (*rest == '\0') {
            if (piece)
                return text_fail(why, whylen, "\"%.*s\": each part of a duration needs its unit",
                                 SHOW(t));
            if (v != 0)
                return bare_number(s, "ms", "s", why, whylen);
            break;
        }
        size_t len = 0;
        const struct unit *u = find_unit_prefix(duration_units, COUNT(duration_units), rest, &len);
        if (!u)
            return text_fail(why, whylen, EXPECT_DURATION "; got \"%.*s\"", SHOW(t));
        if (piece && !(u->scale < last_scale))
            return text_fail(why, whylen,
                             "\"%.*s\": in a compound duration each unit comes once, from the "
                             "largest down (%s after %s); write 1h30m, 2d12h or 1m30s",
                             SHOW(t), u->name, last_name);
        total += v * u->scale;
        last_scale = u->scale;
        last_name = u->name;
        rest = text_skip_blanks(rest + len);
        if (*rest == '\0')
            break;
    }
    *out = total;
    return 0;
}

int units_parse_duration(const char *s, sim_time *out_ns, char *why, size_t whylen)
{
    const char *t = text_skip_blanks(s);
    if (trimmed_len(t) == strlen("forever") && strncmp(t, "forever", 7) == 0) {
        *out_ns = SIM_TIME_FOREVER;
        return 0;
    }
    double ns = 0;
    if (parse_duration_ns(s, &ns, why, whylen) < 0)
        return -1;
    /* Rounding can only carry a value up to the next integer, and every double
     * below 2^63 is already an integer, so this one test covers the rounding too. */
    if (ns >= INT64_LIMIT)
        return text_fail(why, whylen,
                         "duration \"%.*s\" is too long: the limit is about 292 years (say forever "
                         "for no limit)",
                         SHOW(t));
    *out_ns = (sim_time)llround(ns);
    return 0;
}

int units_parse_size(const char *s, int64_t *out_bytes, char *why, size_t whylen)
{
    double bytes = 0;
    if (parse_scaled(s, size_units, COUNT(size_units), "size", EXPECT_SIZE, &bytes, why,
                     whylen) < 0)
        return -1;
    if (bytes >= INT64_LIMIT)
        return text_fail(why, whylen, "size \"%.*s\" is too large: the limit is 8 EiB",
                         SHOW(text_skip_blanks(s)));
    *out_bytes = (int64_t)llround(bytes);
    return 0;
}

int units_parse_rate(const char *s, double *out_per_s, char *why, size_t whylen)
{
    const char *t = text_skip_blanks(s);
    double v = 0;
    const char *rest = s;
    if (read_number_or_fail(s, EXPECT_RATE, &v, &rest, why, whylen))
        return -1;
    rest = text_skip_blanks(rest);
    double per_s = v;
    if (*rest != '\0') {
        const struct unit *u = NULL;
        if (*rest == '/')
            u = find_unit(duration_units, COUNT(duration_units), text_skip_blanks(rest + 1));
        if (!u)
            return text_fail(why, whylen, EXPECT_RATE "; got \"%.*s\"", SHOW(t));
        per_s = v / (u->scale / 1e9);
    }
    if (v < 0)
        return text_fail(why, whylen, "a rate cannot be negative; got \"%.*s\"", SHOW(t));
    if (*rest == '\0' && v != 0)
        return bare_number(s, "/s", "/min", why, whylen);
    if (!isfinite(per_s))
        return text_fail(why, whylen, "rate \"%.*s\" is too large", SHOW(t));
    *out_per_s = per_s;
    return 0;
}

int units_parse_number(const char *s, double *out, char *why, size_t whylen)
{
    const char *t = text_skip_blanks(s);
    double v = 0;
    const char *rest = s;
    if (read_number_or_fail(s, EXPECT_NUMBER, &v, &rest, why, whylen))
        return -1;
    if (*text_skip_blanks(rest) != '\0')
        return text_fail(why, whylen, EXPECT_NUMBER " without a unit; got \"%.*s\"", SHOW(t));
    *out = v;
    return 0;
}

/* Write v with at most three decimals and no trailing zeros ("1.5", "10"). */
static void format_decimal(double v, const char *unit, char *buf, size_t n)
{
    char num[64];
    snprintf(num, sizeof num, "%.3f", v);
    char *dot = strchr(num, '.');
    if (dot) {
        char *end = num + strlen(num);
        while (end > dot + 1 && end[-1] == '0')
            *--end = '\0';
        if (end == dot + 1)
            *dot = '\0';
    }
    snprintf(buf, n, "%s%s", num, unit);
}

void units_format_duration(sim_time ns, char *buf, size_t n)
{
    static const struct {
        const char *name;
        int64_t ns;
    } u[] = {
        {"d", 86400 * SIM_NS_PER_S}, {"h", 3600 * SIM_NS_PER_S}, {"m", 60 * SIM_NS_PER_S},
        {"s", SIM_NS_PER_S},         {"ms", SIM_NS_PER_MS},      {"us", SIM_NS_PER_US},
        {"ns", 1},
    };
    if (n == 0)
        return;
    if (ns == SIM_TIME_FOREVER) {
        snprintf(buf, n, "forever");
        return;
    }
    if (ns == 0) {
        snprintf(buf, n, "0s");
        return;
    }
    /* Durations are never negative in a valid run; a negative one (a bug being
     * reported) is still written readably rather than as garbage. */
    const char *sign = ns < 0 ? "-" : "";
    uint64_t a = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    char body[64];
    /* First choice: the largest unit in which the value is exact with at most three
     * decimals and reads as fewer than 1000 ("90s" -> "1.5m", "100s" stays "100s"). */
    for (size_t i = 0; i < COUNT(u); i++) {
        uint64_t unit = (uint64_t)u[i].ns;
        uint64_t milli = unit >= 1000 ? unit / 1000 : 1;
        if (a < unit || a % milli != 0)
            continue;
        if (i == 0 || a / unit < 1000) {
            format_decimal((double)a / (double)unit, u[i].name, body, sizeof body);
            snprintf(buf, n, "%s%s", sign, body);
            return;
        }
    }
    /* Otherwise the largest unit that fits, rounded to three decimals ("1.235ms"). */
    size_t i = 0;
    while ((uint64_t)u[i].ns > a)
        i++;
    format_decimal((double)a / (double)u[i].ns, u[i].name, body, sizeof body);
    snprintf(buf, n, "%s%s", sign, body);
}

void units_format_size(int64_t bytes, char *buf, size_t n)
{
    static const struct {
        const char *name;
        int64_t bytes;
    } dec[] = {{"TB", 1000000000000LL}, {"GB", 1000000000LL}, {"MB", 1000000LL}, {"kB", 1000LL}},
      bin[] = {{"TiB", 1LL << 40}, {"GiB", 1LL << 30}, {"MiB", 1LL << 20}, {"KiB", 1LL << 10}};
    if (n == 0)
        return;
    if (bytes < 1000 && bytes > -1000) {
        snprintf(buf, n, "%lldB", (long long)bytes);
        return;
    }
    const char *sign = bytes < 0 ? "-" : "";
    uint64_t a = bytes < 0 ? (uint64_t)0 - (uint64_t)bytes : (uint64_t)bytes;
    /* Exact forms in both systems; the one with the smaller number is what the user
     * most likely wrote (2e9 bytes is "2GB", not "1953125KiB"). */
    uint64_t best_q = a;
    const char *best = "B";
    for (size_t i = 0; i < COUNT(dec); i++)
        if (a % (uint64_t)dec[i].bytes == 0 && a / (uint64_t)dec[i].bytes < best_q) {
            best_q = a / (uint64_t)dec[i].bytes;
            best = dec[i].name;
            break;
        }
    for (size_t i = 0; i < COUNT(bin); i++)
        if (a % (uint64_t)bin[i].bytes == 0 && a / (uint64_t)bin[i].bytes < best_q) {
            best_q = a / (uint64_t)bin[i].bytes;
            best = bin[i].name;
            break;
        }
    if (best_q < a) {
        snprintf(buf, n, "%s%llu%s", sign, (unsigned long long)best_q, best);
        return;
    }
    /* Not exact in any unit: powers of ten with decimals, as the reports use. */
    size_t i = 0;
    while ((uint64_t)dec[i].bytes > a)
        i++;
    char body[64];
    format_decimal((double)a / (double)dec[i].bytes, dec[i].name, body, sizeof body);
    snprintf(buf, n, "%s%s", sign, body);
}
