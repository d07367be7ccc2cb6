/* trace_counts_wide.c - request counts per interval in wide form: a time column,
 * then one count column per function, one row per interval. This is how the Huawei
 * Cloud public releases (Joosen et al., "How Does It Function?", SoCC 2023) and most
 * metric exports (a query grouped by function, pivoted) come:
 *
 *     date,fnA,fnB
 *     2016-07-01 00:00:00,187208.0,24868.0
 *
 * The first line is a header (its first field names the time column, the others the
 * functions) unless it reads as data (a time, then counts), or spec->header is 0;
 * without a header the functions are named by column, "col2", "col3", ... The time
 * is in spec->time_unit; a time that is not a number but reads as ISO 8601 switches
 * the file to ISO 8601, so a dated export needs no time_unit. Counts are whole
 * numbers, and integral floats ("187208.0", as pandas writes counts that were ever
 * summed in floating point) are the same numbers; a fraction is refused at its
 * line and column.
 *
 * The interval is spec->interval_ns when it was given, else the spacing of the first
 * two rows (60 s for a file of one row). Each row's count for a function becomes
 * exactly that many arrivals of that function inside the interval, spread by
 * spec->within as for `counts` (trace_counting.h; equidistant with a phase per
 * function). The file is streamed, and so is each interval: the functions' arrivals
 * are made one at a time and merged by time (ties in column order), so memory is
 * O(functions) whatever the counts (trace_counting.h). Rows must come in time order,
 * at least one interval apart. The row after the one being replayed is read before
 * its first arrival, so that a malformed row after a huge count is reported at once.
 * A count above one arrival per nanosecond of the interval is refused. */
#include <stdlib.h>
#include <string.h>

#include "trace_counting.h"
#include "trace_rows.h"

struct counts_wide {
    struct row_stream rs; /* first: the file and skipped rows */
    enum trace_within within;
    enum trace_time_unit unit;
    sim_time interval_ns; /* 0 until known (from the first two rows) */
    gsl_rng *rng; /* borrowed */

    size_t n_fn;    /* count columns: the line has n_fn + 1 fields */
    char **name;    /* function names, owned */
    double *phase;  /* equidistant phase of each function */
    uint64_t *cnt;  /* the parsed row's counts */
    uint64_t *next; /* the row read ahead to learn the interval */

    int pending;      /* the current line of rs.csv is a row not yet parsed */
    int started;      /* the first row has been replayed */
    int have_next;    /* `next`, next_ns hold a parsed row not yet replayed */
    sim_time next_ns;
    double next_p;    /* csv_progress after it */
    int parsed;       /* rows accepted so far (0: the next one sets time 0) */
    sim_time first_ns, prev_ns; /* times of the first and the last row accepted */
    /* the first row's largest count, checked once the interval is known */
    uint64_t first_max;
    uint64_t first_line;
    size_t first_col;

    struct within_merge merge; /* the current interval's arrivals */
    sim_time base;
    double p_lo, p_hi; /* progress before and after the current row */
    uint64_t line, next_line, read_line; /* lines of the current row, of `next`, of the
                                          * row read_row accepted last */
    uint64_t total, emitted; /* the current row's arrivals */
};

static void cw_close(void *self)
{
    struct counts_wide *c = self;
    if (!c)
        return;
    csv_close(&c->rs.csv);
    for (size_t i = 0; i < c->n_fn; i++)
        free(c->name[i]);
    free(c->name);
    free(c->phase);
    free(c->cnt);
    free(c->next);
    within_merge_free(&c->merge);
    free(c);
}

/* r's current line is data: its first field reads as a time (a number or ISO 8601)
 * and every field after it as a count. Otherwise it is a header, even one whose
 * functions are named by numbers ("time,1,2"). */
static int is_data(const struct csv_reader *r)
{
    struct slsim_error ignored;
    sim_time t;
    char why[300];
    if (trace_parse_decimal_ns(r->field[0], 9, &t) != 0 &&
        trace_parse_iso8601(r->field[0], &t, why, sizeof why) != 0)
        return 0;
    for (size_t i = 1; i < r->n; i++) {
        uint64_t v;
        if (trace_row_count(r, i, &v, &ignored))
            return 0;
    }
    return 1;
}

/* The functions: from the header (r's current line) or by column number. */
static int name_functions(struct counts_wide *c, int header, struct slsim_error *err)
{
    const struct csv_reader *r = &c->rs.csv;
    c->n_fn = r->n - 1;
    c->name = calloc(c->n_fn, sizeof *c->name);
    c->phase = calloc(c->n_fn, sizeof *c->phase);
    c->cnt = calloc(c->n_fn, sizeof *c->cnt);
    c->next = calloc(c->n_fn, sizeof *c->next);
    if (!c->name || !c->phase || !c->cnt || !c->next)
        return slsim_error_set(err, c->rs.path, 0, 0, NULL, "out of memory");
    uint64_t salt = trace_within_salt(c->within, c->rng);
    for (size_t i = 0; i < c->n_fn; i++) {
        char numbered[32];
        const char *s = r->field[i + 1];
        if (header && !*s)
            return slsim_error_set(err, c->rs.path, (int)r->lineno, (int)r->col[i + 1], NULL,
                                   "column %zu has no name: the header names every function",
                                   i + 2);
        if (header)
            for (size_t j = 0; j < i; j++)
                if (strcmp(c->name[j], s) == 0)
                    return slsim_error_set(err, c->rs.path, (int)r->lineno, (int)r->col[i + 1],
                                           NULL, "function \"%s\" is named twice (columns %zu "
                                                 "and %zu)", s, j + 2, i + 2);
        if (!header) {
            snprintf(numbered, sizeof numbered, "col%zu", i + 2);
            s = numbered;
        }
        if (!(c->name[i] = strdup(s)))
            return slsim_error_set(err, c->rs.path, 0, 0, NULL, "out of memory");
        c->phase[i] = trace_within_phase(salt, c->name[i]);
    }
    return 0;
}

static void *cw_open(const struct trace_spec *spec, gsl_rng *rng, struct slsim_error *err)
{
    struct counts_wide *c = row_stream_alloc(sizeof *c, spec, err);
    if (!c)
        return NULL;
    c->within = spec->within;
    c->unit = spec->time_unit;
    c->interval_ns = spec->interval_given ? spec->interval_ns : 0;
    c->rng = rng;
    if (csv_open(&c->rs.csv, c->rs.path, err)) {
        free(c);
        return NULL;
    }
    int rc = csv_next(&c->rs.csv, err);
    if (rc == 0)
        slsim_error_set(err, c->rs.path, 0, 0, NULL,
                        "empty file: expected a header time,FUNCTION,... and rows of counts");
    if (rc > 0 && c->rs.csv.n < 2) {
        slsim_error_set(err, c->rs.path, (int)c->rs.csv.lineno, 1, NULL,
                        "expected a time column and at least one count column, got one field");
        rc = -1;
    }
    int header = rc > 0 && spec->header && !is_data(&c->rs.csv);
    if (rc <= 0 || name_functions(c, header, err)) {
        cw_close(c);
        return NULL;
    }
    c->pending = !header;
    return c;
}

/* n counts above one per nanosecond of the interval: an error at field i. */
static int too_many(const struct counts_wide *c, uint64_t n, uint64_t line, size_t col,
                    struct slsim_error *err)
{
    char len[32];
    units_format_duration(c->interval_ns, len, sizeof len);
    return slsim_error_set(err, c->rs.path, (int)line, (int)col, "count",
                           "count %llu is more than one arrival per nanosecond of its interval "
                           "(%s): at most %lld",
                           (unsigned long long)n, len, (long long)c->interval_ns);
}

/* Time and counts of r's current line into *t_ns and cnt. 0, or -1 with err. */
static int parse_row(struct counts_wide *c, sim_time *t_ns, uint64_t *cnt,
                     struct slsim_error *err)
{
    static const struct csv_columns time_col = {0, CSV_COLUMN_NONE, CSV_COLUMN_NONE,
                                                CSV_COLUMN_NONE};
    const struct csv_reader *r = &c->rs.csv;
    if (trace_row_width(r, c->n_fn + 1, err))
        return -1;
    if (c->parsed == 0 && c->unit == TIME_SECONDS &&
        trace_parse_decimal_ns(r->field[0], 9, t_ns) != 0) {
        char why[300];
        if (trace_parse_iso8601(r->field[0], t_ns, why, sizeof why) == 0)
            c->unit = TIME_ISO8601; /* a dated file: every row is read as such */
    }
    if (csv_row_time(r, &time_col, c->unit, t_ns, err))
        return -1;
    for (size_t i = 0; i < c->n_fn; i++) {
        if (trace_row_count(r, i + 1, &cnt[i], err))
            return -1;
        if (c->interval_ns && cnt[i] > (uint64_t)c->interval_ns)
            return too_many(c, cnt[i], r->lineno, r->col[i + 1], err);
    }
    if (c->parsed == 0) {
        c->first_max = 0;
        for (size_t i = 0; i < c->n_fn; i++)
            if (cnt[i] > c->first_max) {
                c->first_max = cnt[i];
                c->first_col = r->col[i + 1];
            }
        c->first_line = r->lineno;
        return 0;
    }
    if (trace_row_after(r, *t_ns, c->prev_ns, c->interval_ns, err))
        return -1;
    if (*t_ns - c->first_ns > SIM_TIME_FOREVER / 2)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[0], "time",
                               "time %s is too far from the first row's", r->field[0]);
    return 0;
}

/* The next good row into *t_ns and cnt: 1, 0 at the end, -1 with err. */
static int read_row(struct counts_wide *c, sim_time *t_ns, uint64_t *cnt, struct slsim_error *err)
{
    for (;;) {
        int rc = c->pending ? 1 : csv_next(&c->rs.csv, err);
        c->pending = 0;
        if (rc <= 0)
            return rc;
        if (parse_row(c, t_ns, cnt, err) == 0) {
            if (c->parsed++ == 0)
                c->first_ns = *t_ns;
            c->prev_ns = *t_ns;
            c->read_line = c->rs.csv.lineno;
            return 1;
        }
        if (!c->rs.skip_bad)
            return -1;
        c->rs.skipped++;
    }
}

/* Start the interval of the row in c->cnt at t. 0, or -1 with err. */
static int fill_interval(struct counts_wide *c, sim_time t, struct slsim_error *err)
{
    within_merge_reset(&c->merge);
    c->base = t - c->first_ns;
    c->total = c->emitted = 0;
    for (size_t i = 0; i < c->n_fn; i++) {
        if (c->cnt[i] == 0)
            continue;
        c->total += c->cnt[i];
        if (within_merge_add(&c->merge, (uint32_t)i, c->within, c->cnt[i], c->base,
                             c->interval_ns, c->rng, c->phase[i]))
            return slsim_error_set(err, c->rs.path, 0, 0, NULL, "out of memory");
    }
    within_merge_ready(&c->merge);
    return 0;
}

/* The next row to replay into c->cnt and *t: 1, 0 at the end, -1 with err. The row
 * after it is read ahead (into c->next), which also gives the interval when it was
 * not set: the spacing of the first two rows. */
static int next_row(struct counts_wide *c, sim_time *t, struct slsim_error *err)
{
    if (!c->started) {
        int rc = read_row(c, t, c->cnt, err);
        if (rc <= 0)
            return rc;
        c->started = 1;
        c->p_hi = csv_progress(&c->rs.csv);
        c->line = c->read_line;
    } else {
        if (!c->have_next)
            return 0;
        uint64_t *swap = c->cnt;
        c->cnt = c->next;
        c->next = swap;
        *t = c->next_ns;
        c->p_lo = c->p_hi;
        c->p_hi = c->next_p;
        c->line = c->next_line;
    }
    int ahead = read_row(c, &c->next_ns, c->next, err);
    if (ahead < 0)
        return -1;
    c->have_next = ahead > 0;
    c->next_p = csv_progress(&c->rs.csv);
    c->next_line = c->read_line;
    if (!c->interval_ns) {
        c->interval_ns = ahead > 0 ? c->next_ns - *t : 60 * SIM_NS_PER_S;
        if (c->first_max > (uint64_t)c->interval_ns)
            return too_many(c, c->first_max, c->first_line, c->first_col, err);
        for (size_t i = 0; ahead > 0 && i < c->n_fn; i++)
            if (c->next[i] > (uint64_t)c->interval_ns)
                return too_many(c, c->next[i], c->rs.csv.lineno, c->rs.csv.col[i + 1], err);
    }
    return 1;
}

static int cw_next(void *self, struct raw_event *ev, struct slsim_error *err)
{
    struct counts_wide *c = self;
    sim_time at;
    uint32_t fn;
    while (!within_merge_pop(&c->merge, c->base, &at, &fn)) {
        sim_time t;
        int rc = next_row(c, &t, err);
        if (rc <= 0)
            return rc;
        if (fill_interval(c, t, err))
            return -1;
    }
    c->emitted++;
    ev->t_ns = at;
    ev->key = c->name[fn];
    ev->id = fn;
    ev->duration_ns = -1;
    ev->memory_mb = 0;
    return 1;
}

/* The share of the file read, moving through a row as its arrivals are handed out. */
static double cw_progress(void *self)
{
    const struct counts_wide *c = self;
    if (c->started && !c->have_next && c->emitted == c->total)
        return 1.0;
    double done = c->total ? (double)c->emitted / (double)c->total : 1.0;
    return c->p_lo + (c->p_hi - c->p_lo) * done;
}

static int cw_each(const struct trace_spec *spec, trace_count_visit visit, void *ctx,
                   uint64_t *skipped, struct slsim_error *err)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2); /* open() takes one; nothing is drawn */
    if (!rng)
        return slsim_error_set(err, spec->path, 0, 0, NULL, "out of memory");
    struct counts_wide *c = cw_open(spec, rng, err);
    int rc = c ? 1 : -1;
    sim_time t;
    while (rc > 0 && (rc = next_row(c, &t, err)) > 0) {
        for (size_t i = 0; rc > 0 && i < c->n_fn; i++) {
            struct trace_count tc = {t - c->first_ns, c->interval_ns, (uint32_t)i, c->name[i],
                                     c->cnt[i], c->line, -1};
            if (c->cnt[i] && visit(ctx, &tc, err))
                rc = -1;
        }
    }
    if (c)
        *skipped = c->rs.skipped;
    cw_close(c);
    gsl_rng_free(rng);
    return rc < 0 ? -1 : 0;
}

const struct trace_format_ops trace_counts_wide_ops = {
    .open = cw_open,
    .next = cw_next,
    .progress = cw_progress,
    .skipped = row_stream_skipped,
    .close = cw_close,
    .each = cw_each,
};
