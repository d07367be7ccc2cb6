/* trace_rows.c - parsing one row of the per-event trace formats: exact decimal
 * times, ISO-8601 times, the azure2021 columns and the csv column mapping.
 *
 * The readers (trace_azure2021.c, trace_llm.c, trace_csv.c) and the external sort
 * (trace_sort.c) call these, so a row the sort accepts is a row the reader accepts,
 * with the same time. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_rows.h"

static const int64_t pow10_i64[] = {1,         10,         100,         1000,
                                    10000,     100000,     1000000,     10000000,
                                    100000000, 1000000000};

int trace_parse_decimal_ns(const char *s, int exp10, sim_time *out_ns)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    int neg = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    const int64_t scale = pow10_i64[exp10];
    const int64_t limit = TRACE_ROW_MAX_NS;
    int64_t whole = 0;
    int digits = 0;
    for (; isdigit((unsigned char)*p); p++, digits++) {
        if (whole > limit / 10)
            return -1;
        whole = whole * 10 + (*p - '0');
    }
    if (whole > limit / scale)
        return -1;
    int64_t ns = whole * scale;
    if (*p == '.') {
        p++;
        int64_t unit = scale; /* ns per digit at this position, times 10 */
        int round_up = 0, past = 0;
        for (; isdigit((unsigned char)*p); p++, digits++) {
            if (unit >= 10) {
                unit /= 10;
                ns += (*p - '0') * unit;
            } else if (!past) {
                round_up = *p >= '5';
                past = 1;
            }
        }
        ns += round_up;
    }
    if (digits == 0)
        return -1;
    if (*p == 'e' || *p == 'E') {
        /* Exponent forms are rare in trace files; a double is precise enough. */
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        while (*end == ' ' || *end == '\t')
            end++;
        if (*end != '\0' || !isfinite(v))
            return -1;
        v *= (double)scale;
        if (fabs(v) > (double)limit)
            return -1;
        *out_ns = (sim_time)llround(v);
        return 0;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '\0' || ns > limit)
        return -1;
    *out_ns = neg ? -ns : ns;
    return 0;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's
 * days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

/* n digits at *p into *v; advances *p. */
static int fixed_digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (!isdigit((unsigned char)**p))
            return -1;
        *v = *v * 10 + (**p - '0');
    }
    return 0;
}

/* One of the characters in set at *p; advances *p. */
static int expect_char(const char **p, const char *set)
{
    if (**p == '\0' || !strchr(set, **p))
        return -1;
    (*p)++;
    return 0;
}

int trace_parse_iso8601(const char *s, sim_time *out_ns, char *why, size_t whylen)
{
    const char *p = s;
    int y, mo, d, h, mi, sec;
    while (*p == ' ' || *p == '\t')
        p++;
    if (fixed_digits(&p, 4, &y) || expect_char(&p, "-") || fixed_digits(&p, 2, &mo) ||
        expect_char(&p, "-") || fixed_digits(&p, 2, &d) || expect_char(&p, " T") ||
        fixed_digits(&p, 2, &h) || expect_char(&p, ":") || fixed_digits(&p, 2, &mi) ||
        expect_char(&p, ":") || fixed_digits(&p, 2, &sec)) {
        snprintf(why, whylen, "expected a time YYYY-MM-DD HH:MM:SS[.fffffff], got \"%s\"", s);
        return -1;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 60) {
        snprintf(why, whylen, "no such date or time: \"%s\"", s);
        return -1;
    }
    int64_t frac = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        for (; isdigit((unsigned char)*p); p++, n++) {
            if (n == 9) {
                snprintf(why, whylen, "more than 9 fractional digits in \"%s\"", s);
                return -1;
            }
            frac = frac * 10 + (*p - '0');
        }
        if (n == 0) {
            snprintf(why, whylen, "no digits after the decimal point in \"%s\"", s);
            return -1;
        }
        frac *= pow10_i64[9 - n];
    }
    if (*p == 'Z')
        p++;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '\0') {
        snprintf(why, whylen,
                 "unexpected \"%s\" after the time in \"%s\" (time zones are not supported)", p,
                 s);
        return -1;
    }
    int64_t days = days_from_civil(y, mo, d);
    /* int64 ns reach about 292 years either side of 1970; stay well inside. */
    if (days < -TRACE_ROW_MAX_NS / (86400 * SIM_NS_PER_S) ||
        days > TRACE_ROW_MAX_NS / (86400 * SIM_NS_PER_S) - 1) {
        snprintf(why, whylen, "time \"%s\" is out of range (years 1844 to 2096)", s);
        return -1;
    }
    *out_ns = ((days * 24 + h) * 60 + mi) * 60 * SIM_NS_PER_S + sec * SIM_NS_PER_S + frac;
    return 0;
}

const char *trace_row_field(const struct csv_reader *r, size_t i, const char *what,
                            struct slsim_error *err)
{
    if (i < r->n)
        return r->field[i];
    /* The line is split in place: its end is after the last field (and its closing
     * quote, if it had one). */
    const char *last = r->field[r->n - 1];
    size_t start = (size_t)(last - r->line);
    size_t end = start + strlen(last) + (r->col[r->n - 1] - 1 != start);
    slsim_error_set(err, r->path, (int)r->lineno, (int)end + 1, what,
                    "missing field: the line has %zu fields, %s is field %zu", r->n, what, i + 1);
    return NULL;
}

int trace_row_note_truncated(const struct csv_reader *r, struct slsim_error *err)
{
    if (err && r->ended_without_newline) {
        size_t len = strlen(err->message);
        snprintf(err->message + len, sizeof err->message - len,
                 " (the last line has no newline: is the file truncated?)");
    }
    return -1;
}

/* Field i as a time of units 10^exp10 ns. */
static int row_decimal_ns(const struct csv_reader *r, size_t i, int exp10, const char *what,
                          sim_time *out, struct slsim_error *err)
{
    const char *s = trace_row_field(r, i, what, err);
    if (!s)
        return -1;
    if (trace_parse_decimal_ns(s, exp10, out) == 0)
        return 0;
    double v;
    char *end;
    v = strtod(s, &end);
    if (end != s && *end == '\0' && isfinite(v))
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], what,
                               "%s \"%s\" is out of range", what, s);
    return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], what,
                           "expected a number, got \"%s\"", s);
}

/* ---- azure2021 --------------------------------------------------------------- */

static const char *const azure2021_names[] = {"app", "func", "end_timestamp", "duration"};

/* The current line's fields joined with ", " into buf (for messages). */
static void join_fields(const struct csv_reader *r, char *buf, size_t n)
{
    size_t w = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->n && w < n; i++)
        w += (size_t)snprintf(buf + w, n - w, "%s%s", i ? ", " : "", r->field[i]);
}

int azure2021_columns_find(const struct csv_reader *r, struct azure2021_columns *c,
                           struct slsim_error *err)
{
    size_t *idx[] = {&c->app, &c->func, &c->end, &c->duration};
    for (size_t k = 0; k < 4; k++) {
        int i = csv_find(r, azure2021_names[k]);
        if (i < 0) {
            char found[300];
            join_fields(r, found, sizeof found);
            return slsim_error_set(err, r->path, (int)r->lineno, 1, NULL,
                                   "not an azure2021 trace: the header has no column \"%s\" "
                                   "(expected app,func,end_timestamp,duration; found %s)",
                                   azure2021_names[k], found);
        }
        *idx[k] = (size_t)i;
    }
    return 0;
}

int azure2021_row_times(const struct csv_reader *r, const struct azure2021_columns *c,
                        sim_time *start_ns, sim_time *duration_ns, struct slsim_error *err)
{
    sim_time end, dur;
    if (row_decimal_ns(r, c->end, 9, "end_timestamp", &end, err) ||
        row_decimal_ns(r, c->duration, 9, "duration", &dur, err))
        return -1;
    if (dur < 0)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[c->duration],
                               "duration", "negative duration \"%s\"", r->field[c->duration]);
    if (end - dur < -TRACE_ROW_MAX_NS)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[c->duration],
                               "duration", "start (end_timestamp - duration) is out of range");
    *start_ns = end - dur;
    *duration_ns = dur;
    return 0;
}

/* ---- csv --------------------------------------------------------------------- */

/* A 1-based column number in s, or 0 if s is not one. */
static size_t column_number(const char *s)
{
    size_t v = 0;
    if (!*s)
        return 0;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s) || v > CSV_MAX_FIELDS)
            return 0;
        v = v * 10 + (size_t)(*s - '0');
    }
    return v;
}

/* A column mapping that cannot be used: at the scenario's workload.trace when the
 * trace came from one, else on the trace file itself. Returns -1. */
static int mapping_error(const struct trace_spec *spec, const char *path, const char *what,
                         const char *msg, struct slsim_error *err)
{
    char key[80];
    if (spec->origin[0]) {
        snprintf(key, sizeof key, "workload.trace.columns.%s", what);
        return slsim_error_set(err, spec->origin, spec->at_trace.line, spec->at_trace.column,
                               key, "%s (trace %s)", msg, path);
    }
    snprintf(key, sizeof key, "columns.%s", what);
    return slsim_error_set(err, path, 1, 1, key, "%s", msg);
}

static int resolve_one(const struct csv_reader *r, const struct trace_spec *spec,
                       const char *path, const char *name, const char *what, size_t *out,
                       struct slsim_error *err)
{
    int header = spec->header;
    if (!name[0]) {
        *out = CSV_COLUMN_NONE;
        return 0;
    }
    if (header) {
        int i = csv_find(r, name);
        if (i >= 0) {
            *out = (size_t)i;
            return 0;
        }
    }
    size_t k = column_number(name);
    if (k >= 1) {
        *out = k - 1;
        return 0;
    }
    if (!header) {
        char msg[200];
        snprintf(msg, sizeof msg,
                 "the trace has no header, so columns are given by number (1-based): %s "
                 "column \"%s\" is not one",
                 what, name);
        return mapping_error(spec, path, what, msg, err);
    }
    char found[400];
    join_fields(r, found, sizeof found);
    return slsim_error_set(err, path, (int)r->lineno, 1, what,
                           "no column \"%s\" in the header; its columns are: %s", name, found);
}

int csv_columns_resolve(const struct csv_reader *r, const char *path,
                        const struct trace_spec *spec, struct csv_columns *c,
                        struct slsim_error *err)
{
    if (!spec->col_time[0])
        return mapping_error(spec, path, "time",
                             "a csv trace needs a time column (columns: {time: ...})", err);
    if (resolve_one(r, spec, path, spec->col_time, "time", &c->time, err) ||
        resolve_one(r, spec, path, spec->col_function, "function", &c->function, err) ||
        resolve_one(r, spec, path, spec->col_duration, "duration", &c->duration, err) ||
        resolve_one(r, spec, path, spec->col_memory, "memory", &c->memory, err))
        return -1;
    return 0;
}

int csv_row_time(const struct csv_reader *r, const struct csv_columns *c,
                 enum trace_time_unit unit, sim_time *t_ns, struct slsim_error *err)
{
    switch (unit) {
    case TIME_SECONDS:
        return row_decimal_ns(r, c->time, 9, "time", t_ns, err);
    case TIME_MILLISECONDS:
        return row_decimal_ns(r, c->time, 6, "time", t_ns, err);
    case TIME_MICROSECONDS:
        return row_decimal_ns(r, c->time, 3, "time", t_ns, err);
    case TIME_ISO8601: {
        const char *s = trace_row_field(r, c->time, "time", err);
        char why[300];
        if (!s)
            return -1;
        if (trace_parse_iso8601(s, t_ns, why, sizeof why))
            return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[c->time], "time",
                                   "%s", why);
        return 0;
    }
    }
    return slsim_error_set(err, r->path, 0, 0, "time", "unknown time unit %d", (int)unit);
}

void *row_stream_alloc(size_t size, const struct trace_spec *spec, struct slsim_error *err)
{
    struct row_stream *s = calloc(1, size);
    if (!s) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(s->path, sizeof s->path, "%s", spec->path);
    s->skip_bad = spec->skip_bad;
    return s;
}

int row_stream_begin(struct row_stream *s, int header, const char *expect,
                     struct slsim_error *err)
{
    if (csv_open(&s->csv, s->path, err))
        return -1;
    if (!header)
        return 0;
    int rc = csv_next(&s->csv, err);
    if (rc == 0)
        return slsim_error_set(err, s->path, 1, 1, NULL, "empty file: expected %s", expect);
    return rc < 0 ? -1 : 0;
}

double row_stream_progress(void *self)
{
    return csv_progress(&((struct row_stream *)self)->csv);
}

uint64_t row_stream_skipped(void *self)
{
    return ((struct row_stream *)self)->skipped;
}

int csv_sort_key(const struct trace_sort_key *key, const struct csv_reader *r, sim_time *t_ns,
                 struct slsim_error *err)
{
    return csv_row_time(r, &key->cols, key->unit, t_ns, err);
}
