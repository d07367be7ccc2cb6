/* trace_csv.c - a generic csv trace: one row per request, with a column mapping.
 *
 * The mapping names a time column (required) and optionally function, duration
 * and memory columns, by header name or, for a file without a header, by 1-based
 * number. Times are in seconds, milliseconds or microseconds (fractions and epoch
 * values allowed, parsed exactly) or ISO-8601; time 0 is the first row. Durations
 * are the column times duration_unit_s seconds, memory is in MB.
 * The file must be sorted by time: holding an unsorted file in memory is what the
 * readers avoid, so an unsorted csv goes through `slsim trace sort` (an external
 * sort) first, and a time going backwards is a malformed row whose message says so.
 * Without a function column every request belongs to one function, "csv". */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "trace_counting.h"
#include "trace_rows.h"

#define CSV_FUNCTION "csv"

struct csvtrace {
    struct csv_reader csv;
    char path[TRACE_PATH_MAX];
    struct csv_columns cols;
    size_t width;       /* fields in every row: the header's, else the first row's */
    enum trace_time_unit unit;
    double duration_unit_s; /* seconds per unit of the duration column */
    int skip_bad;
    uint64_t skipped;
    int have_first;     /* origin_ns is set */
    sim_time origin_ns; /* time of the first row: time 0 */
    sim_time last_ns;   /* time of the last row returned */
    uint64_t last_line; /* its line */
    int pending;        /* ev_pending was read by open, not yet returned */
    struct raw_event ev_pending;
    char *key;          /* function of the last row returned (ev->key points here) */
    size_t key_cap;
};

/* Field i of the current row as a non-negative number times scale, rounded:
 * 0, or -1 with err. */
static int nonneg_field(const struct csv_reader *r, size_t i, const char *what, double scale,
                        double max, double *out, struct slsim_error *err)
{
    double v;
    if (csv_double(r, i, what, &v, err))
        return -1;
    if (v < 0)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], what,
                               "negative %s \"%s\"", what, r->field[i]);
    v = round(v * scale);
    if (v > max)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[i], what,
                               "%s \"%s\" is out of range", what, r->field[i]);
    *out = v;
    return 0;
}

static int keep_key(struct csvtrace *s, const char *k, struct slsim_error *err)
{
    size_t n = strlen(k) + 1;
    if (n > s->key_cap) {
        char *b = realloc(s->key, n);
        if (!b)
            return slsim_error_set(err, s->path, (int)s->csv.lineno, 1, NULL, "out of memory");
        s->key = b;
        s->key_cap = n;
    }
    memcpy(s->key, k, n);
    return 0;
}

/* Parse the current row into ev: 0, or -1 with err. */
static int parse_row(struct csvtrace *s, struct raw_event *ev, struct slsim_error *err)
{
    const struct csv_reader *r = &s->csv;
    const struct csv_columns *c = &s->cols;
    sim_time t;
    if (!s->width)
        s->width = r->n;
    if (trace_row_width(r, s->width, err) || csv_row_time(r, c, s->unit, &t, err))
        return -1;
    const char *fn = CSV_FUNCTION;
    if (c->function != CSV_COLUMN_NONE) {
        fn = trace_row_field(r, c->function, "function", err);
        if (!fn)
            return -1;
        if (!fn[0])
            return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[c->function],
                                   "function", "empty function name");
    }
    double dur = -1, mem = 0;
    if (c->duration != CSV_COLUMN_NONE &&
        nonneg_field(r, c->duration, "duration", s->duration_unit_s * 1e9,
                     (double)TRACE_ROW_MAX_NS, &dur, err))
        return -1;
    if (c->memory != CSV_COLUMN_NONE &&
        nonneg_field(r, c->memory, "memory", 1.0, (double)UINT32_MAX, &mem, err))
        return -1;
    if (s->have_first && t < s->last_ns)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[c->time], "time",
                               "time goes backwards: \"%s\" is %.9g s before line %llu; a csv "
                               "trace must be sorted by time: sort it with `slsim trace sort`",
                               r->field[c->time], (double)(s->last_ns - t) / 1e9,
                               (unsigned long long)s->last_line);
    if (keep_key(s, fn, err))
        return -1;
    if (!s->have_first) {
        s->origin_ns = t;
        s->have_first = 1;
    }
    s->last_ns = t;
    s->last_line = r->lineno;
    ev->t_ns = t - s->origin_ns;
    ev->key = s->key;
    ev->duration_ns = (sim_time)dur;
    ev->memory_mb = (uint32_t)mem;
    return 0;
}

/* The next valid row into ev: 1, 0 at the end, -1 with err. */
static int read_row(struct csvtrace *s, struct raw_event *ev, struct slsim_error *err)
{
    for (;;) {
        int rc = csv_next(&s->csv, err);
        if (rc <= 0)
            return rc;
        if (parse_row(s, ev, err) == 0)
            return 1;
        if (!s->skip_bad)
            return trace_row_note_truncated(&s->csv, err);
        s->skipped++;
    }
}

static void csvtrace_close(void *self)
{
    struct csvtrace *s = self;
    if (!s)
        return;
    csv_close(&s->csv);
    free(s->key);
    free(s);
}

static void *csvtrace_open(const struct trace_spec *spec, gsl_rng *rng, struct slsim_error *err)
{
    (void)rng;
    struct csvtrace *s = calloc(1, sizeof *s);
    if (!s) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(s->path, sizeof s->path, "%s", spec->path);
    s->unit = spec->time_unit;
    s->duration_unit_s = spec->duration_unit_s;
    s->skip_bad = spec->skip_bad;
    if (spec->col_duration[0] && !(s->duration_unit_s > 0)) {
        slsim_error_set(err, NULL, 0, 0, "duration_unit",
                        "the duration unit must be a positive number of seconds");
        goto fail;
    }
    if (csv_open(&s->csv, s->path, err))
        goto fail;
    int rc = 1;
    if (spec->header) {
        rc = csv_next(&s->csv, err);
        if (rc < 0)
            goto fail;
        if (rc == 0) {
            slsim_error_set(err, s->path, 1, 1, NULL,
                            "empty file: expected a header naming the columns");
            goto fail;
        }
    }
    if (csv_columns_resolve(spec->header ? &s->csv : NULL, s->path, spec, &s->cols, err) ||
        (spec->header && csv_keep_header(&s->csv, err)))
        goto fail;
    s->width = spec->header ? s->csv.n : 0;
    /* The first row sets time 0. A file without one is trace.c's to report, in the
     * words every format shares. */
    rc = read_row(s, &s->ev_pending, err);
    if (rc < 0)
        goto fail;
    s->pending = rc == 1;
    return s;
fail:
    csvtrace_close(s);
    return NULL;
}

static int csvtrace_next(void *self, struct raw_event *ev, struct slsim_error *err)
{
    struct csvtrace *s = self;
    if (s->pending) {
        s->pending = 0;
        *ev = s->ev_pending;
        return 1;
    }
    return read_row(s, ev, err);
}

static double csvtrace_progress(void *self)
{
    return csv_progress(&((struct csvtrace *)self)->csv);
}

static uint64_t csvtrace_skipped(void *self)
{
    return ((struct csvtrace *)self)->skipped;
}

const struct trace_format_ops trace_csv_ops = {
    .open = csvtrace_open,
    .next = csvtrace_next,
    .next_row = NULL,
    .progress = csvtrace_progress,
    .skipped = csvtrace_skipped,
    .close = csvtrace_close,
};
