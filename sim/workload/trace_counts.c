/* trace_counts.c - a time series of request counts, `time,count`, one row per interval
 * (what a metrics export gives: requests per minute from a load balancer's logs).
 *
 * Each row is an interval of spec->interval_ns starting at its time, which is in
 * spec->time_unit (seconds, milliseconds, microseconds or ISO-8601); time 0 of the
 * replay is the first row's time. Its count becomes exactly that many arrivals inside
 * the interval, spread by spec->within (trace_counting.h). All requests go to one
 * function, "counts".
 *
 * The file is streamed: one interval's arrivals are in memory at a time. That is why
 * rows must come in time order and must not overlap (a row starting before the
 * previous interval has ended would interleave its arrivals with those already
 * handed out); a gap between rows is an interval without requests. */
#include <stdlib.h>
#include <string.h>

#include "trace_counting.h"
#include "trace_rows.h"

struct counts {
    struct csv_reader r;
    char path[TRACE_PATH_MAX]; /* r.path points here */
    enum trace_within within;
    enum trace_time_unit unit;
    sim_time interval_ns;
    int skip_bad;
    int pending;  /* the current line of r is a row not yet parsed */
    gsl_rng *rng; /* borrowed */
    double phase; /* equidistant: the function's phase (trace_within_phase) */
    uint64_t skipped;

    int rows;         /* rows read so far (0: the next one sets time 0) */
    sim_time first_ns; /* time of the first row, in the file's units turned to ns */
    sim_time prev_ns; /* time of the last row */

    sim_time base_ns; /* start of the current interval in replay time */
    sim_time *offs;   /* its arrivals, offsets from base_ns */
    double *scratch;  /* trace_within_fill's c + 1 doubles */
    size_t len, pos, cap;
};

static void counts_close(void *self)
{
    struct counts *c = self;
    if (!c)
        return;
    csv_close(&c->r);
    free(c->offs);
    free(c->scratch);
    free(c);
}

static void *counts_open(const struct trace_spec *spec, gsl_rng *rng, struct slsim_error *err)
{
    if (spec->interval_ns <= 0) {
        slsim_error_set(err, spec->path, 0, 0, "interval",
                        "the counting interval must be a positive time");
        return NULL;
    }
    struct counts *c = calloc(1, sizeof *c);
    if (!c) {
        slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(c->path, sizeof c->path, "%s", spec->path);
    c->within = spec->within;
    c->unit = spec->time_unit;
    c->interval_ns = spec->interval_ns;
    c->skip_bad = spec->skip_bad;
    c->rng = rng;
    c->phase = trace_within_phase(trace_within_salt(c->within, rng), "counts");
    if (csv_open(&c->r, c->path, err)) {
        free(c);
        return NULL;
    }
    int rc = csv_next(&c->r, err);
    if (rc == 0)
        slsim_error_set(err, c->path, 0, 0, NULL, "empty file: expected %s",
                        spec->header ? "a header line and rows time,count" : "rows time,count");
    if (rc == 0 || rc < 0) {
        counts_close(c);
        return NULL;
    }
    c->pending = !spec->header; /* then the line just read is the first row */
    return c;
}

/* Time and count of the current row, checked against the previous row. 0, or -1
 * with err. */
static int parse_row(struct counts *c, sim_time *t_ns, uint64_t *count, struct slsim_error *err)
{
    static const struct csv_columns time_col = {0, CSV_COLUMN_NONE, CSV_COLUMN_NONE,
                                                CSV_COLUMN_NONE};
    const struct csv_reader *r = &c->r;
    if (trace_row_width(r, 2, err) || csv_row_time(r, &time_col, c->unit, t_ns, err) ||
        trace_row_count(r, 1, count, err))
        return -1;
    if (c->rows == 0)
        return 0;
    if (*t_ns <= c->prev_ns)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[0], "time",
                               "time %s %s the previous row's: rows must be in time order",
                               r->field[0], *t_ns == c->prev_ns ? "repeats" : "goes back before");
    if (*t_ns - c->prev_ns < c->interval_ns) {
        char len[32];
        units_format_duration(c->interval_ns, len, sizeof len);
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[0], "time",
                               "time %s starts before the previous interval has ended: rows "
                               "must be at least one interval (%s) apart",
                               r->field[0], len);
    }
    if (*t_ns - c->first_ns > SIM_TIME_FOREVER - c->interval_ns)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[0], "time",
                               "time %s is too far from the first row's", r->field[0]);
    return 0;
}

static int counts_next(void *self, struct raw_event *ev, struct slsim_error *err)
{
    struct counts *c = self;
    while (c->pos == c->len) {
        int rc = c->pending ? 1 : csv_next(&c->r, err);
        c->pending = 0;
        if (rc <= 0)
            return rc;
        sim_time t = 0;
        uint64_t n = 0;
        if (parse_row(c, &t, &n, err)) {
            if (!c->skip_bad)
                return -1;
            c->skipped++;
            continue;
        }
        if (c->rows++ == 0)
            c->first_ns = t;
        c->prev_ns = t;
        c->len = c->pos = 0;
        if (n == 0)
            continue;
        if (n > c->cap) {
            double *s = n < SIZE_MAX / sizeof *s - 1 ? realloc(c->scratch, (n + 1) * sizeof *s)
                                                      : NULL;
            if (s)
                c->scratch = s;
            sim_time *o = s ? realloc(c->offs, n * sizeof *o) : NULL;
            if (!o)
                return slsim_error_set(err, c->r.path, (int)c->r.lineno, 0, NULL,
                                       "out of memory for %llu arrivals in one interval",
                                       (unsigned long long)n);
            c->offs = o;
            c->cap = n;
        }
        trace_within_fill(c->within, n, c->interval_ns, c->rng, c->phase, c->scratch, c->offs);
        c->base_ns = t - c->first_ns;
        c->len = n;
    }
    ev->t_ns = c->base_ns + c->offs[c->pos++];
    ev->key = "counts";
    ev->duration_ns = -1;
    ev->memory_mb = 0;
    return 1;
}

static double counts_progress(void *self)
{
    return csv_progress(&((const struct counts *)self)->r);
}

static uint64_t counts_skipped(void *self)
{
    return ((const struct counts *)self)->skipped;
}

const struct trace_format_ops trace_counts_ops = {
    counts_open, counts_next, counts_progress, counts_skipped, counts_close,
};
