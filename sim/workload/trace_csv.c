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
    struct row_stream rs; /* first: the file, skipped rows, time origin */
    struct csv_columns cols;
    size_t width;       /* fields in every row: the header's, else the first row's */
    enum trace_time_unit unit;
    double duration_unit_s; /* seconds per unit of the duration column */
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
            return slsim_error_set(err, s->rs.path, (int)s->rs.csv.lineno, 1, NULL,
                                   "out of memory");
        s->key = b;
        s->key_cap = n;
    }
    memcpy(s->key, k, n);
    return 0;
}

/* Parse the current row into ev: 0, or -1 with err (a row_parse_fn). */
static int parse_row(void *self, struct raw_event *ev, struct slsim_error *err)
{
    struct csvtrace *s = self;
    const struct csv_reader *r = &s->rs.csv;
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
    if (s->rs.have_first && t < s->rs.last_ns)
        return slsim_error_set(err, r->path, (int)r->lineno, (int)r->col[c->time], "time",
                               "time goes backwards: \"%s\" is %.9g s before line %llu; a csv "
                               "trace must be sorted by time: sort it with `slsim trace sort`",
                               r->field[c->time], (double)(s->rs.last_ns - t) / 1e9,
                               (unsigned long long)s->rs.last_line);
    if (keep_key(s, fn, err))
        return -1;
    ev->t_ns = row_stream_stamp(&s->rs, t);
    ev->key = s->key;
    ev->duration_ns = (sim_time)dur;
    ev->memory_mb = (uint32_t)mem;
    return 0;
}

static void csvtrace_close(void *self)
{
    struct csvtrace *s = self;
    if (!s)
        return;
    csv_close(&s->rs.csv);
    free(s->key);
    free(s);
}

static void *csvtrace_open(const struct trace_spec *spec, gsl_rng *rng, struct slsim_error *err)
{
    (void)rng;
    struct csvtrace *s = row_stream_alloc(sizeof *s, spec, err);
    if (!s)
        return NULL;
    struct csv_reader *header = spec->header ? &s->rs.csv : NULL;
    s->unit = spec->time_unit;
    s->duration_unit_s = spec->duration_unit_s;
    if (spec->col_duration[0] && !(s->duration_unit_s > 0)) {
        slsim_error_set(err, NULL, 0, 0, "duration_unit",
                        "the duration unit must be a positive number of seconds");
        goto fail;
    }
    if (row_stream_begin(&s->rs, spec->header, "a header naming the columns", err) ||
        csv_columns_resolve(header, s->rs.path, spec, &s->cols, err) ||
        (header && csv_keep_header(header, err)))
        goto fail;
    s->width = header ? header->n : 0;
    if (row_stream_prime(&s->rs, parse_row, err))
        goto fail;
    return s;
fail:
    csvtrace_close(s);
    return NULL;
}

static int csvtrace_next(void *self, struct raw_event *ev, struct slsim_error *err)
{
    return row_stream_next(self, parse_row, ev, err);
}

static int csvtrace_sort_begin(const struct trace_spec *spec, const struct csv_reader *r,
                               const char *path, struct trace_sort_key *key,
                               struct slsim_error *err)
{
    key->unit = spec->time_unit;
    return csv_columns_resolve(r, path, spec, &key->cols, err);
}

const struct trace_format_ops trace_csv_ops = {
    .open = csvtrace_open,
    .next = csvtrace_next,
    .next_row = NULL,
    .progress = row_stream_progress,
    .skipped = row_stream_skipped,
    .close = csvtrace_close,
    .sort_begin = csvtrace_sort_begin,
    .sort_key = csv_sort_key,
};
