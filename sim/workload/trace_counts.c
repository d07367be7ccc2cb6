/* trace_counts.c - a time series of request counts, `time,count`, one row per interval
 * (what a metrics export gives: requests per minute from a load balancer's logs).
 *
 * Each row is an interval of spec->interval_ns starting at its time, which is in
 * spec->time_unit (seconds, milliseconds, microseconds or ISO-8601); time 0 of the
 * replay is the first row's time. Its count becomes exactly that many arrivals inside
 * the interval, spread by spec->within (trace_counting.h). All requests go to one
 * function, "counts".
 *
 * The file is streamed, and so is each interval: its arrivals are made one at a time
 * (trace_counting.h), so memory does not grow with a count, however large. That is
 * why rows must come in time order and must not overlap (a row starting before the
 * previous interval has ended would interleave its arrivals with those already
 * handed out); a gap between rows is an interval without requests. The row after
 * the one being replayed is read before its first arrival, so that a malformed row
 * after a huge count is reported at once, not after the count has been replayed.
 * A count above one arrival per nanosecond of its interval is refused: the clock
 * cannot place more.
 *
 * The first line is a header when it is not a row and names a time column then a
 * count column: its first field has "time" or "date" in its name (time, timestamp,
 * date, ...) or is "minute" or "ts", its second has "count", "request",
 * "invocation" or "call" in it (count, requests, invocations, ...), in any case.
 * A first line that starts with a time is the first row (a malformed one is
 * refused where it is wrong); anything else is refused at 1:1. spec->header = 0
 * reads the first line as a row. */
#include <stdlib.h>
#include <string.h>

#include "trace_counting.h"
#include "trace_rows.h"

struct counts_row {
    sim_time t_ns; /* the row's time, in ns of the file's clock */
    uint64_t n;    /* its count */
    double p;      /* csv_progress after the row was read */
};

struct counts {
    struct row_stream rs; /* first: the file and skipped rows */
    enum trace_within within;
    enum trace_time_unit unit;
    sim_time interval_ns;
    int pending;  /* the current line of rs.csv is a row not yet parsed */
    gsl_rng *rng; /* borrowed */
    gsl_rng *own; /* a streamed interval's copy of rng (trace_within_begin) */
    double phase; /* equidistant: the function's phase (trace_within_phase) */

    int rows;          /* rows accepted so far (0: the next one sets time 0) */
    sim_time first_ns; /* time of the first row, in the file's units turned to ns */
    sim_time prev_ns;  /* time of the last row accepted */
    int ahead;         /* 1: `next` holds the row after the current one; 0: none yet;
                        * -1: the file has ended */
    struct counts_row next;

    sim_time base_ns;         /* start of the current interval in replay time */
    struct within_stream s;   /* its arrivals */
    double p_lo, p_hi;        /* progress before and after its row */
    double cum[WITHIN_BUFFERED + 1]; /* a buffered interval's running sums */
};

static void counts_close(void *self)
{
    struct counts *c = self;
    if (!c)
        return;
    csv_close(&c->rs.csv);
    if (c->own)
        gsl_rng_free(c->own);
    free(c);
}

static const struct csv_columns time_col = {0, CSV_COLUMN_NONE, CSV_COLUMN_NONE,
                                            CSV_COLUMN_NONE};

/* r's current line reads as a row: a time and a count. */
static int is_row(const struct counts *c)
{
    struct slsim_error ignored;
    sim_time t;
    uint64_t n;
    return c->rs.csv.n == 2 && csv_row_time(&c->rs.csv, &time_col, c->unit, &t, &ignored) == 0 &&
           trace_row_count(&c->rs.csv, 1, &n, &ignored) == 0;
}

/* r's current line starts with a time: it is meant as a row. */
static int starts_with_time(const struct counts *c)
{
    struct slsim_error ignored;
    sim_time t;
    return c->rs.csv.n >= 1 && csv_row_time(&c->rs.csv, &time_col, c->unit, &t, &ignored) == 0;
}

/* s has one of the fragments (a NULL-terminated list) in it, in any case. */
static int names_one_of(const char *s, const char *const *frag)
{
    char low[64];
    size_t n = 0;
    for (; s[n] && n + 1 < sizeof low; n++)
        low[n] = (char)(s[n] >= 'A' && s[n] <= 'Z' ? s[n] - 'A' + 'a' : s[n]);
    low[n] = '\0';
    for (; *frag; frag++)
        if ((*frag)[0] == '=' ? strcmp(low, *frag + 1) == 0 : strstr(low, *frag) != NULL)
            return 1;
    return 0;
}

/* r's current line is a header: a time column's name, then a count column's. */
static int is_header(const struct counts *c)
{
    static const char *const time_names[] = {"time", "date", "=minute", "=ts", NULL};
    static const char *const count_names[] = {"count", "request", "invocation", "call", NULL};
    return c->rs.csv.n == 2 && names_one_of(c->rs.csv.field[0], time_names) &&
           names_one_of(c->rs.csv.field[1], count_names);
}

static void *counts_open(const struct trace_spec *spec, gsl_rng *rng, struct slsim_error *err)
{
    if (spec->interval_ns <= 0) {
        slsim_error_set(err, spec->path, 0, 0, "interval",
                        "the counting interval must be a positive time");
        return NULL;
    }
    struct counts *c = row_stream_alloc(sizeof *c, spec, err);
    if (!c)
        return NULL;
    c->within = spec->within;
    c->unit = spec->time_unit;
    c->interval_ns = spec->interval_ns;
    c->rng = rng;
    c->phase = trace_within_phase(trace_within_salt(c->within, rng), "counts");
    if (csv_open(&c->rs.csv, c->rs.path, err)) {
        free(c);
        return NULL;
    }
    if (c->within != WITHIN_EQUIDISTANT && !(c->own = gsl_rng_clone(rng))) {
        slsim_error_set(err, c->rs.path, 0, 0, NULL, "out of memory");
        counts_close(c);
        return NULL;
    }
    int rc = csv_next(&c->rs.csv, err);
    if (rc == 0)
        slsim_error_set(err, c->rs.path, 0, 0, NULL, "empty file: expected %s",
                        spec->header ? "a header line and rows time,count" : "rows time,count");
    /* A first line that reads as a row is one, header or not: a file without a
     * header must not lose its first interval. */
    if (rc > 0 && spec->header && !is_row(c) && !is_header(c) && !starts_with_time(c))
        rc = slsim_error_set(err, c->rs.path, (int)c->rs.csv.lineno, 1, NULL,
                             "expected a header time,count (a time column such as time or "
                             "timestamp, then a count column such as count or requests) or "
                             "a first row TIME,COUNT");
    if (rc <= 0) {
        counts_close(c);
        return NULL;
    }
    /* a line that starts with a time is a row, a malformed one when it is not a row:
     * the row's own checks then say what is wrong where */
    c->pending = !spec->header || is_row(c) || (!is_header(c) && starts_with_time(c));
    return c;
}

/* Time and count of the current row, checked against the previous row. 0, or -1
 * with err. */
static int parse_row(struct counts *c, sim_time *t_ns, uint64_t *count, struct slsim_error *err)
{
    const struct csv_reader *r = &c->rs.csv;
    if (trace_row_width(r, 2, err) || csv_row_time(r, &time_col, c->unit, t_ns, err) ||
        trace_row_count(r, 1, count, err))
        return -1;
    if (*count > (uint64_t)c->interval_ns) {
        char len[32];
        units_format_duration(c->interval_ns, len, sizeof len);
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[1], "count",
                               "count %s is more than one arrival per nanosecond of its "
                               "interval (%s): at most %lld",
                               r->field[1], len, (long long)c->interval_ns);
    }
    if (c->rows == 0)
        return 0;
    if (trace_row_after(r, *t_ns, c->prev_ns, c->interval_ns, err))
        return -1;
    if (*t_ns - c->first_ns > SIM_TIME_FOREVER - c->interval_ns)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[0], "time",
                               "time %s is too far from the first row's", r->field[0]);
    return 0;
}

/* The next good row into c->next: sets c->ahead to 1, or to -1 at the end. 0, or
 * -1 with err. */
static int read_ahead(struct counts *c, struct slsim_error *err)
{
    for (;;) {
        int rc = c->pending ? 1 : csv_next(&c->rs.csv, err);
        c->pending = 0;
        if (rc <= 0) {
            c->ahead = -1;
            return rc;
        }
        if (parse_row(c, &c->next.t_ns, &c->next.n, err) == 0)
            break;
        if (!c->rs.skip_bad)
            return -1;
        c->rs.skipped++;
    }
    if (c->rows++ == 0)
        c->first_ns = c->next.t_ns;
    c->prev_ns = c->next.t_ns;
    c->next.p = csv_progress(&c->rs.csv);
    c->ahead = 1;
    return 0;
}

static int counts_next(void *self, struct raw_event *ev, struct slsim_error *err)
{
    struct counts *c = self;
    while (c->s.k == c->s.c) {
        if (c->ahead == 0 && read_ahead(c, err))
            return -1;
        if (c->ahead < 0)
            return 0;
        struct counts_row row = c->next;
        /* the row after this one first: its error, if any, comes before this row's
         * arrivals, however many they are */
        if (read_ahead(c, err))
            return -1;
        c->p_lo = c->p_hi;
        c->p_hi = row.p;
        if (row.n == 0)
            continue;
        c->base_ns = row.t_ns - c->first_ns;
        trace_within_begin(&c->s, c->within, row.n, c->interval_ns, c->rng, c->phase,
                           row.n <= WITHIN_BUFFERED ? c->cum : NULL, c->own);
    }
    ev->t_ns = c->base_ns + trace_within_next(&c->s);
    ev->key = "counts";
    ev->id = 0; /* the one function */
    ev->duration_ns = -1;
    ev->memory_mb = 0;
    return 1;
}

/* The rows themselves, for the counting pass (trace_format_ops.next_row). */
static int counts_next_row(void *self, struct raw_event *ev, uint64_t *n,
                           struct slsim_error *err)
{
    struct counts *c = self;
    for (;;) {
        if (c->ahead == 0 && read_ahead(c, err))
            return -1;
        if (c->ahead < 0)
            return 0;
        c->ahead = 0; /* taken */
        c->p_lo = c->p_hi = c->next.p;
        if (c->next.n == 0)
            continue;
        ev->t_ns = c->next.t_ns - c->first_ns;
        ev->key = "counts";
    ev->id = 0; /* the one function */
        ev->duration_ns = c->interval_ns; /* rows: the interval's length */
        ev->memory_mb = 0;
        *n = c->next.n;
        return 1;
    }
}

/* The share of the file read, moving through a row as its arrivals are handed out. */
static double counts_progress(void *self)
{
    const struct counts *c = self;
    if (c->ahead < 0 && c->s.k == c->s.c)
        return 1.0;
    double done = c->s.c ? (double)c->s.k / (double)c->s.c : 1.0;
    return c->p_lo + (c->p_hi - c->p_lo) * done;
}

/* A generator for open(): counting draws nothing, but the readers take one. */
static gsl_rng *counting_rng(void)
{
    return gsl_rng_alloc(gsl_rng_taus2);
}

static int counts_each(const struct trace_spec *spec, trace_count_visit visit, void *ctx,
                       uint64_t *skipped, struct slsim_error *err)
{
    gsl_rng *rng = counting_rng();
    if (!rng)
        return slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
    struct counts *c = counts_open(spec, rng, err);
    int rc = c ? 0 : -1;
    struct raw_event ev;
    uint64_t n;
    int got = 0;
    while (rc == 0 && (got = counts_next_row(c, &ev, &n, err)) > 0) {
        struct trace_count tc = {ev.t_ns, c->interval_ns, 0, "counts", n, c->rs.csv.lineno, -1};
        rc = visit(ctx, &tc, err);
    }
    if (got < 0)
        rc = -1;
    if (c)
        *skipped = c->rs.skipped;
    counts_close(c);
    gsl_rng_free(rng);
    return rc;
}

const struct trace_format_ops trace_counts_ops = {
    .open = counts_open,
    .next = counts_next,
    .next_row = counts_next_row,
    .progress = counts_progress,
    .skipped = row_stream_skipped,
    .close = counts_close,
    .each = counts_each,
};
