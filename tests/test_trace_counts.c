/* test_trace_counts.c - the count trace formats (azure2019, counts, counts-wide) and the
 * synthetic Azure 2019 day, through the format readers' ops directly.
 *
 * The 500-function sample in traces/azure2019 is parsed here a second, simpler way
 * (a whole-file loop) and the replay must reproduce every (function, minute) cell.
 * Error cases use the fixtures in tests/data/traces/counts/; the offending line of
 * each is quoted above its assertions so line and column can be checked by eye.
 * The synthetic day is written to a temporary directory and read back. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../sim/workload/trace_counting.h"
#include "../sim/workload/trace_internal.h"
#include "slsim/engine.h"
#include "slsim/trace_synth.h"

#define S SIM_NS_PER_S
#define MS SIM_NS_PER_MS
#define FIX "tests/data/traces/counts/"
#define SAMPLE "traces/azure2019/"

/* ---- helpers --------------------------------------------------------------------- */

static void spec_init(struct trace_spec *s, enum trace_format f, const char *path,
                      const char *durations, const char *memory)
{
    trace_spec_default(s);
    s->format = f;
    snprintf(s->path, sizeof s->path, "%s", path);
    snprintf(s->durations, sizeof s->durations, "%s", durations ? durations : "");
    snprintf(s->memory, sizeof s->memory, "%s", memory ? memory : "");
}

struct replay {
    const struct trace_format_ops *ops;
    void *self;
    gsl_rng *rng;
};

static struct replay replay_open(const struct trace_format_ops *ops, const struct trace_spec *s)
{
    struct replay r = {ops, NULL, rng_stream_create(7, 0, RNG_SERVICE)};
    struct slsim_error err;
    memset(&err, 0, sizeof err);
    r.self = ops->open(s, r.rng, &err);
    cr_assert_not_null(r.self, "open %s failed: %s:%d:%d: %s", s->path, err.file, err.line,
                       err.column, err.message);
    return r;
}

/* Next event; fails the test on a read error. */
static int replay_next(struct replay *r, struct raw_event *ev)
{
    struct slsim_error err;
    int rc = r->ops->next(r->self, ev, &err);
    cr_assert_geq(rc, 0, "next failed: %s:%d:%d: %s", err.file, err.line, err.column,
                  err.message);
    return rc;
}

static void replay_close(struct replay *r)
{
    r->ops->close(r->self);
    gsl_rng_free(r->rng);
}

/* The error of opening s, which must fail, or of reading it to the end. */
static struct slsim_error replay_error(const struct trace_format_ops *ops,
                                       const struct trace_spec *s)
{
    struct slsim_error err;
    memset(&err, 0, sizeof err);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    void *self = ops->open(s, rng, &err);
    if (self) {
        struct raw_event ev;
        int rc;
        while ((rc = ops->next(self, &ev, &err)) == 1)
            ;
        cr_assert_eq(rc, -1, "%s read without an error", s->path);
        ops->close(self);
    }
    gsl_rng_free(rng);
    cr_assert_str_eq(err.file, s->path);
    return err;
}

#define assert_error_at(err, want_line, want_col, text)                                    \
    do {                                                                                   \
        cr_assert_eq((err).line, (want_line), "line %d, want %d: %s", (err).line,          \
                     (want_line), (err).message);                                          \
        cr_assert_eq((err).column, (want_col), "column %d, want %d: %s", (err).column,     \
                     (want_col), (err).message);                                           \
        cr_assert(strstr((err).message, (text)), "message \"%s\" lacks \"%s\"",            \
                  (err).message, (text));                                                  \
    } while (0)

/* A sorted table of names, for finding a function's row by its key. */
struct names {
    char **s;
    size_t n, cap;
};

static size_t names_add(struct names *t, const char *s)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 256;
        t->s = realloc(t->s, t->cap * sizeof *t->s);
        cr_assert_not_null(t->s);
    }
    t->s[t->n] = strdup(s);
    return t->n++;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void names_sort(struct names *t)
{
    qsort(t->s, t->n, sizeof *t->s, cmp_str);
}

/* Index of s in the sorted table, or -1. */
static long names_find(const struct names *t, const char *s)
{
    char *const *hit = bsearch(&s, t->s, t->n, sizeof *t->s, cmp_str);
    return hit ? (long)(hit - t->s) : -1;
}

static void names_free(struct names *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->s[i]);
    free(t->s);
}

/* Split a line (newline removed) on commas in place; returns the number of fields. */
static size_t split(char *line, char **field, size_t max)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; n < max;) {
        field[n++] = p;
        p = strchr(p, ',');
        if (!p)
            break;
        *p++ = '\0';
    }
    return n;
}

/* Per-function facts from a durations file: the range the reader's distribution
 * covers (0 read as 1 ms, then made non-decreasing, as the reader does), and the
 * quartiles, in ns; ln of the Average column in seconds. */
struct fn_durations {
    double lo_ns, hi_ns, p25_ns, p50_ns, p75_ns, ln_avg_s;
};

static struct fn_durations *read_durations(const char *path, struct names *keys)
{
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f, "%s", path);
    char *line = NULL, *field[32], key[300];
    size_t cap = 0;
    struct fn_durations *d = NULL;
    size_t n = 0;
    cr_assert_gt(getline(&line, &cap, f), 0);
    while (getline(&line, &cap, f) > 0) {
        cr_assert_eq(split(line, field, 32), 14);
        snprintf(key, sizeof key, "%s/%s", field[1], field[2]);
        names_add(keys, key);
        d = realloc(d, (n + 1) * sizeof *d);
        double v[7], run = 0;
        for (int i = 0; i < 7; i++) {
            v[i] = strtod(field[7 + i], NULL);
            v[i] = v[i] == 0 ? 1 : v[i];
            run = v[i] = i == 0 || v[i] > run ? v[i] : run;
        }
        d[n++] = (struct fn_durations){v[0] * MS, v[6] * MS, v[2] * MS, v[3] * MS, v[4] * MS,
                                       log(strtod(field[3], NULL) / 1e3)};
    }
    free(line);
    fclose(f);
    /* Sort the facts with the keys: keys were added in file order. */
    struct names sorted = {NULL, 0, 0};
    for (size_t i = 0; i < keys->n; i++)
        names_add(&sorted, keys->s[i]);
    names_sort(&sorted);
    struct fn_durations *out = malloc(n * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[names_find(&sorted, keys->s[i])] = d[i];
    names_free(keys);
    *keys = sorted;
    free(d);
    return out;
}

/* ---- azure2019: the shipped sample --------------------------------------------- */

#define SAMPLE_FUNCTIONS 500
#define SAMPLE_MINUTES 480 /* columns 480..959 */
#define SAMPLE_EVENTS 3037902

/* The sample's cells parsed independently: keys sorted, cells[row * minutes + m]. */
struct sample {
    struct names keys;
    uint32_t *cells;
    uint32_t *memory_mb; /* per row, from memory.csv */
    uint64_t total;
};

static void sample_load(struct sample *s)
{
    FILE *f = fopen(SAMPLE "invocations.csv", "r");
    cr_assert_not_null(f, "run the tests from the repository root");
    char *line = NULL, *field[SAMPLE_MINUTES + 8], key[300];
    size_t cap = 0;
    struct names file_order = {NULL, 0, 0};
    uint32_t *cells = malloc(SAMPLE_FUNCTIONS * SAMPLE_MINUTES * sizeof *cells);
    memset(s, 0, sizeof *s);
    cr_assert_gt(getline(&line, &cap, f), 0);
    cr_assert_eq(split(line, field, SAMPLE_MINUTES + 8), 4 + SAMPLE_MINUTES);
    cr_assert_str_eq(field[4], "480");
    cr_assert_str_eq(field[4 + SAMPLE_MINUTES - 1], "959");
    while (getline(&line, &cap, f) > 0) {
        cr_assert_eq(split(line, field, SAMPLE_MINUTES + 8), 4 + SAMPLE_MINUTES);
        cr_assert_lt(file_order.n, SAMPLE_FUNCTIONS);
        snprintf(key, sizeof key, "%s/%s", field[1], field[2]);
        size_t row = names_add(&file_order, key);
        for (int m = 0; m < SAMPLE_MINUTES; m++) {
            cells[row * SAMPLE_MINUTES + (size_t)m] = (uint32_t)strtoul(field[4 + m], NULL, 10);
            s->total += cells[row * SAMPLE_MINUTES + (size_t)m];
        }
    }
    fclose(f);
    cr_assert_eq(file_order.n, SAMPLE_FUNCTIONS);
    for (size_t i = 0; i < file_order.n; i++)
        names_add(&s->keys, file_order.s[i]);
    names_sort(&s->keys);
    cr_assert_eq(s->keys.n, SAMPLE_FUNCTIONS);
    s->cells = malloc(SAMPLE_FUNCTIONS * SAMPLE_MINUTES * sizeof *s->cells);
    for (size_t i = 0; i < file_order.n; i++)
        memcpy(&s->cells[(size_t)names_find(&s->keys, file_order.s[i]) * SAMPLE_MINUTES],
               &cells[i * SAMPLE_MINUTES], SAMPLE_MINUTES * sizeof *cells);
    free(cells);
    names_free(&file_order);

    s->memory_mb = calloc(SAMPLE_FUNCTIONS, sizeof *s->memory_mb);
    /* HashFunction,HashOwner,HashApp,SampleCount,AverageAllocatedMb,... */
    f = fopen(SAMPLE "memory.csv", "r");
    cr_assert_not_null(f);
    cr_assert_gt(getline(&line, &cap, f), 0);
    while (getline(&line, &cap, f) > 0) {
        cr_assert_eq(split(line, field, 32), 13);
        snprintf(key, sizeof key, "%s/%s", field[2], field[0]);
        long row = names_find(&s->keys, key);
        cr_assert_geq(row, 0, "memory row %s is not in the invocations", key);
        double mb = strtod(field[4], NULL);
        s->memory_mb[row] = mb < 0.5 ? 1 : (uint32_t)(mb + 0.5);
    }
    fclose(f);
    free(line);
}

static void sample_free(struct sample *s)
{
    names_free(&s->keys);
    free(s->cells);
    free(s->memory_mb);
}

/* Replay the sample with within-minute mode w and compare with the file cell by cell. */
static void check_sample_replay(enum trace_within w)
{
    struct sample s;
    sample_load(&s);
    cr_assert_eq(s.total, SAMPLE_EVENTS);
    struct names dkeys = {NULL, 0, 0};
    struct fn_durations *dur = read_durations(SAMPLE "durations.csv", &dkeys);

    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, SAMPLE "invocations.csv", SAMPLE "durations.csv",
              SAMPLE "memory.csv");
    spec.within = w;
    struct replay r = replay_open(&trace_azure2019_ops, &spec);
    uint32_t *got = calloc(SAMPLE_FUNCTIONS * SAMPLE_MINUTES, sizeof *got);
    struct raw_event ev;
    sim_time prev = 0;
    uint64_t n = 0, with_duration = 0;
    double half = 0;
    while (replay_next(&r, &ev)) {
        cr_assert_geq(ev.t_ns, prev, "event %llu goes back in time", (unsigned long long)n);
        prev = ev.t_ns;
        sim_time minute = ev.t_ns / (60 * S);
        cr_assert_lt(minute, SAMPLE_MINUTES);
        long row = names_find(&s.keys, ev.key);
        cr_assert_geq(row, 0, "unknown function %s", ev.key);
        got[(size_t)row * SAMPLE_MINUTES + (size_t)minute]++;
        cr_assert_eq(ev.memory_mb, s.memory_mb[row], "%s: memory %u MB, want %u", ev.key,
                     ev.memory_mb, s.memory_mb[row]);
        long d = names_find(&dkeys, ev.key);
        if (d >= 0) {
            with_duration++;
            cr_assert(ev.duration_ns >= dur[d].lo_ns - 1 && ev.duration_ns <= dur[d].hi_ns + 1,
                      "%s: duration %lld ns outside [%g, %g]", ev.key,
                      (long long)ev.duration_ns, dur[d].lo_ns, dur[d].hi_ns);
        } else {
            cr_assert_eq(ev.duration_ns, -1);
        }
        if (++n == SAMPLE_EVENTS / 2)
            half = r.ops->progress(r.self);
    }
    cr_assert_eq(n, SAMPLE_EVENTS);
    cr_assert_eq(with_duration, SAMPLE_EVENTS, "every sampled function has a durations row");
    cr_assert(half > 0.1 && half < 0.9, "progress halfway through: %g", half);
    cr_assert_float_eq(r.ops->progress(r.self), 1.0, 1e-12);
    cr_assert_eq(r.ops->skipped(r.self), 0);
    size_t functions_seen = 0;
    for (size_t f = 0; f < SAMPLE_FUNCTIONS; f++) {
        uint64_t total = 0;
        for (size_t m = 0; m < SAMPLE_MINUTES; m++) {
            size_t i = f * SAMPLE_MINUTES + m;
            cr_assert_eq(got[i], s.cells[i], "%s minute %zu: %u arrivals, the file says %u",
                         s.keys.s[f], 480 + m, got[i], s.cells[i]);
            total += got[i];
        }
        functions_seen += total > 0;
    }
    cr_assert_eq(functions_seen, SAMPLE_FUNCTIONS);
    free(got);
    free(dur);
    names_free(&dkeys);
    replay_close(&r);
    sample_free(&s);
}

Test(azure2019_sample, poisson_replay_reproduces_every_function_minute_cell)
{
    check_sample_replay(WITHIN_POISSON);
}

Test(azure2019_sample, uniform_replay_reproduces_every_function_minute_cell)
{
    check_sample_replay(WITHIN_UNIFORM);
}

Test(azure2019_sample, equidistant_replay_reproduces_every_function_minute_cell)
{
    check_sample_replay(WITHIN_EQUIDISTANT);
}

/* ---- counts-wide ------------------------------------------------------------------ */

/* Every event of spec through counts-wide, counted per function (by name, in
 * names[0..n_fn)) and per interval [i x len, (i + 1) x len); out of order, an
 * unknown name or an event past n_iv intervals fails the test. */
static void wide_counts(const struct trace_spec *spec, const char *const *names, size_t n_fn,
                        sim_time len, size_t n_iv, uint64_t *per_fn, uint64_t *per_iv)
{
    struct replay r = replay_open(&trace_counts_wide_ops, spec);
    struct raw_event ev;
    sim_time prev = 0;
    memset(per_fn, 0, n_fn * sizeof *per_fn);
    memset(per_iv, 0, n_iv * sizeof *per_iv);
    while (replay_next(&r, &ev)) {
        cr_assert_geq(ev.t_ns, prev);
        prev = ev.t_ns;
        cr_assert_eq(ev.duration_ns, -1);
        size_t f = 0;
        while (f < n_fn && strcmp(names[f], ev.key) != 0)
            f++;
        cr_assert_lt(f, n_fn, "unknown function %s", ev.key);
        per_fn[f]++;
        cr_assert_lt((size_t)(ev.t_ns / len), n_iv, "event at %lld ns", (long long)ev.t_ns);
        per_iv[ev.t_ns / len]++;
    }
    cr_assert_float_eq(r.ops->progress(r.self), 1.0, 1e-12);
    replay_close(&r);
}

/* wide.csv:  time,fA,fB,fC / 0,2,0,1.0 / 60,0,3,0 / 120,1.0,1,0
 * By hand: per function (column sums) fA 3, fB 4, fC 1; per interval (row sums)
 * 3, 3, 2; both total 8. The interval is the rows' spacing, 60 s. Every within
 * mode keeps each (function, interval) count. */
Test(counts_wide, counts_per_function_and_per_interval_add_up_to_the_rows)
{
    static const char *const names[] = {"fA", "fB", "fC"};
    static const enum trace_within modes[] = {WITHIN_POISSON, WITHIN_UNIFORM, WITHIN_EQUIDISTANT};
    for (size_t m = 0; m < 3; m++) {
        struct trace_spec spec;
        spec_init(&spec, TRACE_COUNTS_WIDE, FIX "wide.csv", NULL, NULL);
        spec.within = modes[m];
        uint64_t per_fn[3], per_iv[3];
        wide_counts(&spec, names, 3, 60 * S, 3, per_fn, per_iv);
        cr_assert_eq(per_fn[0], 3, "mode %zu", m);
        cr_assert_eq(per_fn[1], 4, "mode %zu", m);
        cr_assert_eq(per_fn[2], 1, "mode %zu", m);
        cr_assert_eq(per_iv[0], 3, "mode %zu", m);
        cr_assert_eq(per_iv[1], 3, "mode %zu", m);
        cr_assert_eq(per_iv[2], 2, "mode %zu", m);
    }
}

/* wide-iso.csv: date,a---1---p,b---2---p / 2016-07-01 00:00:00,2.0,1 /
 * 2016-07-01 00:05:00,0,3.0. ISO times are found without a time_unit, the interval
 * is 5 minutes (the spacing), counts written as integral floats are whole numbers:
 * a 2 then 0, b 1 then 3; intervals [0, 300 s) 3 and [300 s, 600 s) 3. Given
 * `interval: 1m`, the same counts fall in the first minute of each 5. */
Test(counts_wide, iso_times_five_minute_rows_and_integral_floats)
{
    static const char *const names[] = {"a---1---p", "b---2---p"};
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS_WIDE, FIX "wide-iso.csv", NULL, NULL);
    uint64_t per_fn[2], per_iv[10];
    wide_counts(&spec, names, 2, 300 * S, 2, per_fn, per_iv);
    cr_assert_eq(per_fn[0], 2);
    cr_assert_eq(per_fn[1], 4);
    cr_assert_eq(per_iv[0], 3);
    cr_assert_eq(per_iv[1], 3);
    spec.interval_ns = 60 * S;
    spec.interval_given = 1;
    wide_counts(&spec, names, 2, 60 * S, 10, per_fn, per_iv);
    cr_assert_eq(per_iv[0], 3);
    cr_assert_eq(per_iv[5], 3);
    cr_assert_eq(per_fn[0] + per_fn[1], 6);
}

/* wide-fraction.csv line 3: "300,0,2.5": the fraction at column 7, key count. */
Test(counts_wide, a_fraction_is_refused_at_its_line_and_column)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS_WIDE, FIX "wide-fraction.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_counts_wide_ops, &spec);
    cr_assert_eq(err.line, 3);
    cr_assert_eq(err.column, 7);
    cr_assert_str_eq(err.key, "count");
    cr_assert(strstr(err.message, "2.5"), "%s", err.message);
}

/* wide-noheader.csv: 0,1,2 / 60,3,0: a first line that reads as a time and counts
 * is data, and the functions are named by column: col2 has 1 + 3, col3 has 2. */
Test(counts_wide, without_a_header_functions_are_named_by_column)
{
    static const char *const names[] = {"col2", "col3"};
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS_WIDE, FIX "wide-noheader.csv", NULL, NULL);
    uint64_t per_fn[2], per_iv[2];
    wide_counts(&spec, names, 2, 60 * S, 2, per_fn, per_iv);
    cr_assert_eq(per_fn[0], 4);
    cr_assert_eq(per_fn[1], 2);
    cr_assert_eq(per_iv[0], 3);
    cr_assert_eq(per_iv[1], 3);
    /* wide-numbered.csv: "time,1,2" over the same rows is a header (its first field
     * is no time) naming functions "1" and "2". */
    static const char *const numbered[] = {"1", "2"};
    spec_init(&spec, TRACE_COUNTS_WIDE, FIX "wide-numbered.csv", NULL, NULL);
    wide_counts(&spec, numbered, 2, 60 * S, 2, per_fn, per_iv);
    cr_assert_eq(per_fn[0], 4);
    cr_assert_eq(per_fn[1], 2);
}

/* An interval longer than the rows' spacing would overlap them: wide.csv with
 * interval 2m fails at line 3 ("60,0,3,0"), column 1, key time. */
Test(counts_wide, rows_closer_than_the_interval_are_refused)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS_WIDE, FIX "wide.csv", NULL, NULL);
    spec.interval_ns = 120 * S;
    spec.interval_given = 1;
    struct slsim_error err = replay_error(&trace_counts_wide_ops, &spec);
    cr_assert_eq(err.line, 3);
    cr_assert_eq(err.column, 1);
    cr_assert_str_eq(err.key, "time");
}

/* ---- azure2019: small files ------------------------------------------------------- */

/* azure-small.csv, minutes 1,2,3:
 *   a1/f1  2 0 1
 *   a1/f2  1 1 1
 *   a2/f1  0 0 5     (the same function hash as a1/f1 in another app) */
struct timed {
    sim_time t_ns;
    int row;
};

static int timed_cmp(const void *pa, const void *pb)
{
    const struct timed *x = pa, *y = pb;
    if (x->t_ns != y->t_ns)
        return x->t_ns < y->t_ns ? -1 : 1;
    return x->row - y->row;
}

/* Equidistant: c calls of minute m at m + (k + phase) x 60 s / c, k = 0..c-1, with
 * each function's own phase (the salt is the reader's second draw from its stream,
 * after the durations seed); arrivals in time order, ties in row order. */
Test(azure2019, equidistant_arrivals_are_exact_and_ties_follow_row_order)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, FIX "azure-small.csv", NULL, NULL);
    spec.within = WITHIN_EQUIDISTANT;
    struct replay r = replay_open(&trace_azure2019_ops, &spec);
    gsl_rng *same = rng_stream_create(7, 0, RNG_SERVICE); /* the stream replay_open passes */
    gsl_rng_get(same);
    uint64_t salt = (uint64_t)gsl_rng_get(same);
    gsl_rng_free(same);
    static const char *const key[] = {"a1/f1", "a1/f2", "a2/f1"};
    static const int counts[3][3] = {{2, 0, 1}, {1, 1, 1}, {0, 0, 5}};
    struct timed want[11];
    size_t n = 0;
    for (int row = 0; row < 3; row++) {
        double phase = trace_within_phase(salt, key[row]);
        for (int m = 0; m < 3; m++)
            for (int k = 0; k < counts[row][m]; k++)
                want[n++] = (struct timed){
                    m * 60 * S + (sim_time)((k + phase) / counts[row][m] * (double)(60 * S)), row};
    }
    cr_assert_eq(n, 11);
    qsort(want, n, sizeof want[0], timed_cmp);
    cr_assert_neq(trace_within_phase(salt, key[0]), trace_within_phase(salt, key[1]));
    struct raw_event ev;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(replay_next(&r, &ev), 1);
        cr_assert_eq(ev.t_ns, want[i].t_ns, "event %zu at %lld ns", i, (long long)ev.t_ns);
        cr_assert_str_eq(ev.key, key[want[i].row], "event %zu", i);
        cr_assert_eq(ev.duration_ns, -1);
        cr_assert_eq(ev.memory_mb, 0);
    }
    cr_assert_eq(replay_next(&r, &ev), 0);
    replay_close(&r);
}

/* durations-small.csv has a1/f1 (10..500 ms), a2/f1 (all 0) and a9/f9 (not in the
 * trace), but no row for a1/f2. */
Test(azure2019, durations_come_from_percentiles_and_missing_rows_give_minus_one)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, FIX "azure-small.csv", FIX "durations-small.csv", NULL);
    struct replay r = replay_open(&trace_azure2019_ops, &spec);
    struct raw_event ev;
    int seen[3] = {0, 0, 0};
    while (replay_next(&r, &ev)) {
        if (strcmp(ev.key, "a1/f1") == 0) {
            cr_assert(ev.duration_ns >= 10 * MS && ev.duration_ns <= 500 * MS, "%lld",
                      (long long)ev.duration_ns);
            seen[0]++;
        } else if (strcmp(ev.key, "a1/f2") == 0) {
            cr_assert_eq(ev.duration_ns, -1);
            seen[1]++;
        } else {
            cr_assert_str_eq(ev.key, "a2/f1");
            cr_assert_eq(ev.duration_ns, 1 * MS, "all percentiles 0: runs 1 ms");
            seen[2]++;
        }
    }
    cr_assert_eq(seen[0], 3);
    cr_assert_eq(seen[1], 3);
    cr_assert_eq(seen[2], 5);
    replay_close(&r);
}

/* Drawing durations must not move arrivals: runs with and without a durations file
 * compare the same traffic. */
Test(azure2019, arrivals_do_not_depend_on_the_durations_file)
{
    struct trace_spec with, without;
    spec_init(&with, TRACE_AZURE2019, FIX "azure-small.csv", FIX "durations-small.csv", NULL);
    spec_init(&without, TRACE_AZURE2019, FIX "azure-small.csv", NULL, NULL);
    struct replay a = replay_open(&trace_azure2019_ops, &with);
    struct replay b = replay_open(&trace_azure2019_ops, &without);
    struct raw_event ea, eb;
    int n = 0;
    while (replay_next(&a, &ea)) {
        cr_assert_eq(replay_next(&b, &eb), 1);
        cr_assert_eq(ea.t_ns, eb.t_ns, "event %d", n);
        cr_assert_str_eq(ea.key, eb.key);
        n++;
    }
    cr_assert_eq(replay_next(&b, &eb), 0);
    cr_assert_eq(n, 11);
    replay_close(&a);
    replay_close(&b);
}

/* memory-app.csv (official, per app): a1 256.4 MB, a2 0.2 MB. */
Test(azure2019, per_app_memory_applies_to_every_function_of_the_app)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, FIX "azure-small.csv", NULL, FIX "memory-app.csv");
    struct replay r = replay_open(&trace_azure2019_ops, &spec);
    struct raw_event ev;
    while (replay_next(&r, &ev))
        cr_assert_eq(ev.memory_mb, strncmp(ev.key, "a1/", 3) == 0 ? 256u : 1u, "%s: %u MB",
                     ev.key, ev.memory_mb);
    replay_close(&r);
}

/* memory-function.csv (InVitro sample style): a1/f1 100 MB, a1/f2 49.6 MB, no a2/f1. */
Test(azure2019, per_function_memory_is_matched_by_app_and_function)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, FIX "azure-small.csv", NULL, FIX "memory-function.csv");
    struct replay r = replay_open(&trace_azure2019_ops, &spec);
    struct raw_event ev;
    while (replay_next(&r, &ev)) {
        uint32_t want = strcmp(ev.key, "a1/f1") == 0 ? 100 : strcmp(ev.key, "a1/f2") == 0 ? 50 : 0;
        cr_assert_eq(ev.memory_mb, want, "%s: %u MB", ev.key, ev.memory_mb);
    }
    replay_close(&r);
}

/* bad-missing.csv line 3: "o1,a1,f2,timer,1,1" (18 characters, 6 of 7 fields). */
Test(azure2019, missing_field_is_an_error_at_the_end_of_its_line)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, FIX "bad-missing.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_azure2019_ops, &spec);
    assert_error_at(err, 3, 19, "missing field");
}

/* bad-number.csv line 3: "o1,a1,f2,timer,1,x,1": x in column 18. */
Test(azure2019, bad_number_is_an_error_at_its_column)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, FIX "bad-number.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_azure2019_ops, &spec);
    assert_error_at(err, 3, 18, "\"x\"");
}

/* bad-negative.csv line 4: "o2,a2,f1,queue,0,-3,5": -3 in column 18. */
Test(azure2019, negative_count_is_an_error_at_its_column)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, FIX "bad-negative.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_azure2019_ops, &spec);
    assert_error_at(err, 4, 18, "negative count -3");
}

/* bad-rows.csv: a1/f1 (3 invocations), then a missing field, an x and a -3, then
 * a2/f1 (5 invocations). */
Test(azure2019, skip_bad_skips_and_counts_malformed_rows)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, FIX "bad-rows.csv", NULL, NULL);
    spec.skip_bad = 1;
    struct replay r = replay_open(&trace_azure2019_ops, &spec);
    struct raw_event ev;
    int n = 0;
    while (replay_next(&r, &ev)) {
        cr_assert(strcmp(ev.key, "a1/f1") == 0 || strcmp(ev.key, "a2/f1") == 0, "%s", ev.key);
        n++;
    }
    cr_assert_eq(n, 8);
    cr_assert_eq(r.ops->skipped(r.self), 3);
    replay_close(&r);
}

/* truncated.csv ends without a newline in "o2,a2,f1,queue,0" (line 4, 16 characters). */
Test(azure2019, truncated_last_line_is_an_error_or_skipped)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, FIX "truncated.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_azure2019_ops, &spec);
    assert_error_at(err, 4, 17, "truncated");

    spec.skip_bad = 1;
    struct replay r = replay_open(&trace_azure2019_ops, &spec);
    struct raw_event ev;
    int n = 0;
    while (replay_next(&r, &ev))
        n++;
    cr_assert_eq(n, 6);
    cr_assert_eq(r.ops->skipped(r.self), 1);
    replay_close(&r);
}

Test(azure2019, empty_file_is_a_clean_error)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, FIX "empty.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_azure2019_ops, &spec);
    cr_assert(strstr(err.message, "empty file"), "%s", err.message);
    cr_assert_eq(err.line, 0);
}

Test(azure2019, missing_file_is_an_error_naming_it)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, FIX "no-such-file.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_azure2019_ops, &spec);
    cr_assert(strstr(err.message, "cannot open"), "%s", err.message);
}

/* ---- counts --------------------------------------------------------------------- */

/* Read every event of spec and count them per interval [start[i], start[i] + len):
 * an event outside every interval, or out of order, fails the test. */
static void count_intervals(const struct trace_spec *spec, const sim_time *start, size_t n,
                            sim_time len, uint64_t *got)
{
    struct replay r = replay_open(&trace_counts_ops, spec);
    struct raw_event ev;
    sim_time prev = 0;
    memset(got, 0, n * sizeof *got);
    while (replay_next(&r, &ev)) {
        cr_assert_geq(ev.t_ns, prev);
        prev = ev.t_ns;
        cr_assert_str_eq(ev.key, "counts");
        cr_assert_eq(ev.duration_ns, -1);
        size_t i = 0;
        while (i < n && !(ev.t_ns >= start[i] && ev.t_ns < start[i] + len))
            i++;
        cr_assert_lt(i, n, "event at %lld ns is in no interval", (long long)ev.t_ns);
        got[i]++;
    }
    cr_assert_float_eq(r.ops->progress(r.self), 1.0, 1e-12);
    replay_close(&r);
}

/* counts.csv: 0,3 / 60,0 / 120,7 / 300,1 (a gap from 180 to 300). */
Test(counts, every_within_mode_keeps_each_interval_count_exactly)
{
    static const sim_time start[] = {0, 60 * S, 120 * S, 300 * S};
    static const uint64_t want[] = {3, 0, 7, 1};
    static const enum trace_within modes[] = {WITHIN_POISSON, WITHIN_UNIFORM, WITHIN_EQUIDISTANT};
    for (size_t m = 0; m < 3; m++) {
        struct trace_spec spec;
        spec_init(&spec, TRACE_COUNTS, FIX "counts.csv", NULL, NULL);
        spec.within = modes[m];
        uint64_t got[4];
        count_intervals(&spec, start, 4, 60 * S, got);
        for (size_t i = 0; i < 4; i++)
            cr_assert_eq(got[i], want[i], "mode %zu interval %zu: %llu", m, i,
                         (unsigned long long)got[i]);
    }
}

/* Equidistant: the k-th of c arrivals at (k + phase) x interval / c, one phase per
 * function in [0, 1), the same in every interval: 3 in [0, 60) are 20 s apart,
 * 7 in [120, 180) 60/7 s apart, the one at 300 is at 300 + 60 phase. */
Test(counts, equidistant_spaces_arrivals_evenly_in_their_interval)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS, FIX "counts.csv", NULL, NULL);
    spec.within = WITHIN_EQUIDISTANT;
    struct replay r = replay_open(&trace_counts_ops, &spec);
    gsl_rng *same = rng_stream_create(7, 0, RNG_SERVICE); /* the stream replay_open passes */
    double phase = trace_within_phase((uint64_t)gsl_rng_get(same), "counts");
    gsl_rng_free(same);
    cr_assert(phase >= 0 && phase < 1);
    struct raw_event ev;
    sim_time first = -1;
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(replay_next(&r, &ev), 1);
        cr_assert_eq(ev.t_ns, (sim_time)((i + phase) / 3 * (double)(60 * S)));
        if (i == 0)
            first = ev.t_ns;
        else /* 20 s apart, to the truncated nanosecond */
            cr_assert_leq(llabs(ev.t_ns - first - i * 20 * S), 1);
    }
    for (int i = 0; i < 7; i++) {
        cr_assert_eq(replay_next(&r, &ev), 1);
        cr_assert_eq(ev.t_ns, 120 * S + (sim_time)((i + phase) / 7 * (double)(60 * S)));
    }
    cr_assert_eq(replay_next(&r, &ev), 1);
    cr_assert_eq(ev.t_ns, 300 * S + (sim_time)(phase * (double)(60 * S)));
    cr_assert_eq(replay_next(&r, &ev), 0);
    replay_close(&r);
}

/* A function's phase depends on its name and the seed only: the same for the same
 * (salt, name), different between names and between salts, and always in [0, 1). */
Test(counts, equidistant_phase_is_per_function_and_seeded)
{
    cr_assert_eq(trace_within_phase(1, "a/f1"), trace_within_phase(1, "a/f1"));
    cr_assert_neq(trace_within_phase(1, "a/f1"), trace_within_phase(1, "a/f2"));
    cr_assert_neq(trace_within_phase(1, "a/f1"), trace_within_phase(2, "a/f1"));
    double lo = 1, hi = 0, sum = 0;
    for (int i = 0; i < 1000; i++) {
        char name[16];
        snprintf(name, sizeof name, "f%d", i);
        double p = trace_within_phase(42, name);
        cr_assert(p >= 0 && p < 1);
        lo = fmin(lo, p);
        hi = fmax(hi, p);
        sum += p;
    }
    /* Spread over the interval: the mean of 1000 uniforms is 0.5 +- 0.009 (1 sd). */
    cr_assert_lt(lo, 0.01);
    cr_assert_gt(hi, 0.99);
    cr_assert_float_eq(sum / 1000, 0.5, 0.05);
}

/* counts-iso.csv: 2019-07-15 08:00:00,2 / ...T08:01:00,4 / ... 08:02:30.5,1 */
Test(counts, iso8601_times_count_from_the_first_row)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS, FIX "counts-iso.csv", NULL, NULL);
    spec.time_unit = TIME_ISO8601;
    static const sim_time start[] = {0, 60 * S, 150 * S + 500 * MS};
    uint64_t got[3];
    count_intervals(&spec, start, 3, 60 * S, got);
    cr_assert_eq(got[0], 2);
    cr_assert_eq(got[1], 4);
    cr_assert_eq(got[2], 1);
}

/* counts-ms-noheader.csv: 1000,2 / 2000,3 / 4000,1, milliseconds, 1-second intervals. */
Test(counts, milliseconds_without_a_header_line)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS, FIX "counts-ms-noheader.csv", NULL, NULL);
    spec.header = 0;
    spec.time_unit = TIME_MILLISECONDS;
    spec.interval_ns = 1 * S;
    static const sim_time start[] = {0, 1 * S, 3 * S};
    uint64_t got[3];
    count_intervals(&spec, start, 3, 1 * S, got);
    cr_assert_eq(got[0], 2);
    cr_assert_eq(got[1], 3);
    cr_assert_eq(got[2], 1);
}

/* counts-backwards.csv line 4: "30,1" after "60,2". */
Test(counts, time_going_backwards_is_an_error_with_its_line)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS, FIX "counts-backwards.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_counts_ops, &spec);
    assert_error_at(err, 4, 1, "goes back");
}

/* counts-overlap.csv line 3: "30,1" while the interval from 0 lasts 60 s. */
Test(counts, row_inside_the_previous_interval_is_an_error)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS, FIX "counts-overlap.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_counts_ops, &spec);
    assert_error_at(err, 3, 1, "previous interval");
}

/* counts-bad.csv: 0,1 / 60,2 / 120,-1 / 180,x / 240 / 300,1.5 / 360,4 */
Test(counts, malformed_rows_are_errors_or_skipped_and_counted)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS, FIX "counts-bad.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_counts_ops, &spec);
    assert_error_at(err, 4, 5, "negative count");

    spec.skip_bad = 1;
    struct replay r = replay_open(&trace_counts_ops, &spec);
    struct raw_event ev;
    int n = 0;
    while (replay_next(&r, &ev)) {
        cr_assert(ev.t_ns < 2 * 60 * S || (ev.t_ns >= 360 * S && ev.t_ns < 420 * S));
        n++;
    }
    cr_assert_eq(n, 7);
    cr_assert_eq(r.ops->skipped(r.self), 4);
    replay_close(&r);
}

Test(counts, empty_file_is_a_clean_error)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS, FIX "empty.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_counts_ops, &spec);
    cr_assert(strstr(err.message, "empty file"), "%s", err.message);
}

/* A first line that reads as a row is the first row, even with header on: `0,3`
 * then `60,2` is 3 + 2 = 5 arrivals, not the 2 of the second row alone. */
Test(counts, a_first_line_that_is_a_row_is_not_taken_for_a_header)
{
    static const char *const files[] = {FIX "counts-noheader-seconds.csv",
                                        FIX "counts-named-header.csv"};
    for (size_t f = 0; f < 2; f++) {
        struct trace_spec spec;
        spec_init(&spec, TRACE_COUNTS, files[f], NULL, NULL);
        static const sim_time start[] = {0, 60 * S};
        uint64_t got[2];
        count_intervals(&spec, start, 2, 60 * S, got);
        cr_assert_eq(got[0], 3, "%s", files[f]);
        cr_assert_eq(got[1], 2, "%s", files[f]);
    }
}

/* counts-junk-header.csv line 1: `foo,bar`: neither a time,count header nor a row. */
Test(counts, a_first_line_neither_header_nor_row_is_refused_at_1_1)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS, FIX "counts-junk-header.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_counts_ops, &spec);
    assert_error_at(err, 1, 1, "expected a header time,count");
    /* counts-first-row-negative.csv line 1: `0,-3`: a row (it starts with a time),
     * refused where it is wrong, not as a header */
    spec_init(&spec, TRACE_COUNTS, FIX "counts-first-row-negative.csv", NULL, NULL);
    err = replay_error(&trace_counts_ops, &spec);
    assert_error_at(err, 1, 3, "negative count");
}

/* counts-above-ns.csv line 2: `0,60000000001`: a minute has 6e10 ns, one arrival
 * each at most. */
Test(counts, a_count_above_one_per_nanosecond_is_refused_at_its_field)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS, FIX "counts-above-ns.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_counts_ops, &spec);
    assert_error_at(err, 2, 3, "more than one arrival per nanosecond");
    cr_assert_str_eq(err.key, "count");
}

/* counts-huge-then-bad.csv: `0,70000000` then `60,x` on line 3. The bad row is read
 * before the first of the 7e7 arrivals, so the very first next() reports it: no
 * arrival of the huge row is made, nor held. */
Test(counts, the_row_after_a_huge_count_is_checked_before_its_arrivals)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_COUNTS, FIX "counts-huge-then-bad.csv", NULL, NULL);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
    struct slsim_error err;
    memset(&err, 0, sizeof err);
    void *self = trace_counts_ops.open(&spec, rng, &err);
    cr_assert_not_null(self);
    struct raw_event ev;
    cr_assert_eq(trace_counts_ops.next(self, &ev, &err), -1);
    assert_error_at(err, 3, 4, "expected a number");
    trace_counts_ops.close(self);
    gsl_rng_free(rng);
}

/* A minute has 6e10 ns: azure-above-ns.csv line 2 `o,a,f1,http,2,60000000001` is
 * refused at its cell (column 15), and so is wide-above-ns.csv line 2
 * `0,1,60000000001` (column 5), whose interval (60 s) is known only from line 3. */
Test(counts, the_other_count_formats_refuse_a_count_above_one_per_nanosecond)
{
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, FIX "azure-above-ns.csv", NULL, NULL);
    struct slsim_error err = replay_error(&trace_azure2019_ops, &spec);
    assert_error_at(err, 2, 15, "more than one arrival per nanosecond");
    cr_assert_str_eq(err.key, "count");
    spec_init(&spec, TRACE_COUNTS_WIDE, FIX "wide-above-ns.csv", NULL, NULL);
    spec.interval_given = 0;
    err = replay_error(&trace_counts_wide_ops, &spec);
    assert_error_at(err, 2, 5, "more than one arrival per nanosecond");
    cr_assert_str_eq(err.key, "count");
}

/* The streamed interval (trace_within_begin without a buffer) hands out exactly the
 * offsets of trace_within_fill (cumulative sums of c + 1 gaps over their total) and
 * leaves the generator where it leaves it, for every mode, below and above
 * WITHIN_BUFFERED. */
Test(within_stream, streamed_offsets_equal_the_buffered_ones_bit_for_bit)
{
    static const enum trace_within modes[] = {WITHIN_POISSON, WITHIN_UNIFORM, WITHIN_EQUIDISTANT};
    static const uint64_t counts[] = {1, 2, 7, WITHIN_BUFFERED, WITHIN_BUFFERED + 1, 100000};
    for (size_t m = 0; m < 3; m++)
        for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
            uint64_t c = counts[i];
            gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2), *b = gsl_rng_alloc(gsl_rng_taus2);
            gsl_rng_set(a, 11 + i);
            gsl_rng_set(b, 11 + i);
            gsl_rng *own = gsl_rng_clone(b);
            double *scratch = malloc((c + 1) * sizeof *scratch);
            sim_time *want = malloc(c * sizeof *want);
            trace_within_fill(modes[m], c, 60 * S, a, 0.3, scratch, want);
            struct within_stream st;
            trace_within_begin(&st, modes[m], c, 60 * S, b, 0.3, NULL, own);
            for (uint64_t k = 0; k < c; k++) {
                sim_time got = trace_within_next(&st);
                cr_assert_eq(got, want[k], "mode %zu count %llu offset %llu: %lld, want %lld", m,
                             (unsigned long long)c, (unsigned long long)k, (long long)got,
                             (long long)want[k]);
            }
            cr_assert_eq(gsl_rng_get(a), gsl_rng_get(b), "mode %zu count %llu: rng moved", m,
                         (unsigned long long)c);
            free(scratch);
            free(want);
            gsl_rng_free(own);
            gsl_rng_free(a);
            gsl_rng_free(b);
        }
}

struct timed_id {
    sim_time t;
    uint32_t id;
};

static int timed_id_cmp(const void *pa, const void *pb)
{
    const struct timed_id *x = pa, *y = pb;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Merged sources (one per function) give what sorting all their trace_within_fill
 * offsets by (time, id) gives, rng drawn function after function: with counts that
 * overflow the pool (70000 > WITHIN_POOL) some are streamed, some buffered. */
Test(within_stream, merged_functions_equal_the_sorted_buffered_arrivals)
{
    static const uint64_t c[] = {5000, 3, 70000, 1, 60000};
    const size_t n_fn = sizeof c / sizeof *c;
    for (int mode = 0; mode < 3; mode++) {
        enum trace_within w = mode == 0 ? WITHIN_POISSON
                              : mode == 1 ? WITHIN_UNIFORM
                                          : WITHIN_EQUIDISTANT;
        gsl_rng *a = gsl_rng_alloc(gsl_rng_taus2), *b = gsl_rng_alloc(gsl_rng_taus2);
        size_t total = 0;
        for (size_t f = 0; f < n_fn; f++)
            total += c[f];
        struct timed_id *want = malloc(total * sizeof *want);
        size_t len = 0;
        for (size_t f = 0; f < n_fn; f++) {
            double *scratch = malloc((c[f] + 1) * sizeof *scratch);
            sim_time *offs = malloc(c[f] * sizeof *offs);
            trace_within_fill(w, c[f], 60 * S, a, 0.1 * (double)f, scratch, offs);
            for (uint64_t k = 0; k < c[f]; k++) {
                want[len].t = 120 * S + offs[k];
                want[len++].id = (uint32_t)f;
            }
            free(scratch);
            free(offs);
        }
        qsort(want, len, sizeof *want, timed_id_cmp);
        struct within_merge mg;
        memset(&mg, 0, sizeof mg);
        within_merge_reset(&mg);
        for (size_t f = 0; f < n_fn; f++)
            cr_assert_eq(within_merge_add(&mg, (uint32_t)f, w, c[f], 120 * S, 60 * S, b,
                                          0.1 * (double)f), 0);
        within_merge_ready(&mg);
        sim_time t;
        uint32_t id;
        size_t k = 0;
        while (within_merge_pop(&mg, 120 * S, &t, &id)) {
            cr_assert_lt(k, len);
            cr_assert(t == want[k].t && id == want[k].id, "mode %d arrival %zu: (%lld, %u), want "
                      "(%lld, %u)", mode, k, (long long)t, id, (long long)want[k].t, want[k].id);
            k++;
        }
        cr_assert_eq(k, len);
        cr_assert_eq(gsl_rng_get(a), gsl_rng_get(b));
        within_merge_free(&mg);
        free(want);
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
}

/* ---- the synthetic day ------------------------------------------------------------ */

#define SYN_FUNCTIONS 2000
#define SYN_TOTAL 2e5
#define SYN_SEED 1

struct synth_day {
    char dir[64], inv[96], dur[96], mem[96];
};

static void synth_day_write(struct synth_day *d, const struct trace_synth_spec *spec)
{
    snprintf(d->dir, sizeof d->dir, "/tmp/slsim-synth-XXXXXX");
    cr_assert_not_null(mkdtemp(d->dir));
    snprintf(d->inv, sizeof d->inv, "%s/invocations.csv", d->dir);
    snprintf(d->dur, sizeof d->dur, "%s/durations.csv", d->dir);
    snprintf(d->mem, sizeof d->mem, "%s/memory.csv", d->dir);
    FILE *i = fopen(d->inv, "w"), *u = fopen(d->dur, "w"), *m = fopen(d->mem, "w");
    cr_assert(i && u && m);
    struct slsim_error err;
    cr_assert_eq(trace_synth_write(i, u, m, spec, SYN_SEED, &err), 0, "%s", err.message);
    fclose(i);
    fclose(u);
    fclose(m);
}

/* The day of the running test (each test is a process of its own), removed by the
 * suite's teardown even when an assertion has failed. */
static struct synth_day day;

static void synth_day_remove(void)
{
    if (!day.dir[0])
        return;
    unlink(day.inv);
    unlink(day.dur);
    unlink(day.mem);
    rmdir(day.dir);
}

TestSuite(trace_synth, .fini = synth_day_remove);

static void synth_spec(struct trace_synth_spec *s)
{
    trace_synth_spec_default(s);
    s->functions = SYN_FUNCTIONS;
    s->total_invocations = SYN_TOTAL;
}

/* What a replay of the synthetic day shows. Functions are those of the durations
 * file (every function has a row); apps are counted from the invocations file. */
struct synth_replay {
    uint64_t total;
    double max_over_min;       /* of per-function totals, functions with >= 1 invocation */
    size_t apps, apps_hourly;  /* apps, and those with at most 24 invocations */
    double below_p25, below_p50; /* share of drawn durations below their function's quartiles */
    size_t outside_range;      /* drawn durations outside [p0, p100] */
    struct fn_durations *fn;   /* per function (sorted keys) */
    struct names keys;
};

static void synth_replay(const struct synth_day *d, struct synth_replay *out)
{
    memset(out, 0, sizeof *out);
    out->fn = read_durations(d->dur, &out->keys);
    cr_assert_eq(out->keys.n, SYN_FUNCTIONS);

    struct names apps = {NULL, 0, 0};
    FILE *f = fopen(d->inv, "r");
    char *line = NULL, *field[8];
    size_t cap = 0;
    cr_assert_gt(getline(&line, &cap, f), 0);
    while (getline(&line, &cap, f) > 0) {
        split(line, field, 3);
        names_add(&apps, field[1]);
    }
    free(line);
    fclose(f);
    names_sort(&apps);
    size_t distinct = 0;
    for (size_t i = 0; i < apps.n; i++)
        if (i == 0 || strcmp(apps.s[i], apps.s[distinct - 1]) != 0) {
            char *keep = apps.s[i];
            apps.s[i] = apps.s[distinct];
            apps.s[distinct++] = keep;
        }
    for (size_t i = distinct; i < apps.n; i++)
        free(apps.s[i]);
    apps.n = distinct;

    uint64_t *fn_total = calloc(out->keys.n, sizeof *fn_total);
    uint64_t *app_total = calloc(apps.n, sizeof *app_total);
    struct trace_spec spec;
    spec_init(&spec, TRACE_AZURE2019, d->inv, d->dur, d->mem);
    struct replay r = replay_open(&trace_azure2019_ops, &spec);
    struct raw_event ev;
    uint64_t below25 = 0, below50 = 0;
    char app[128];
    while (replay_next(&r, &ev)) {
        long k = names_find(&out->keys, ev.key);
        cr_assert_geq(k, 0, "%s", ev.key);
        fn_total[k]++;
        snprintf(app, sizeof app, "%.*s", (int)strcspn(ev.key, "/"), ev.key);
        long a = names_find(&apps, app);
        cr_assert_geq(a, 0);
        app_total[a]++;
        const struct fn_durations *fd = &out->fn[k];
        double t = (double)ev.duration_ns;
        out->outside_range += t < fd->lo_ns - 1 || t > fd->hi_ns + 1;
        below25 += t < fd->p25_ns;
        below50 += t < fd->p50_ns;
        cr_assert_gt(ev.memory_mb, 0);
        out->total++;
    }
    replay_close(&r);
    out->below_p25 = (double)below25 / (double)out->total;
    out->below_p50 = (double)below50 / (double)out->total;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < out->keys.n; i++)
        if (fn_total[i]) {
            lo = fn_total[i] < lo ? fn_total[i] : lo;
            hi = fn_total[i] > hi ? fn_total[i] : hi;
        }
    out->max_over_min = (double)hi / (double)lo;
    out->apps = apps.n;
    for (size_t a = 0; a < apps.n; a++)
        out->apps_hourly += app_total[a] <= 24;
    free(fn_total);
    free(app_total);
    names_free(&apps);
}

static void synth_replay_free(struct synth_replay *s)
{
    free(s->fn);
    names_free(&s->keys);
}

/* One day of 2000 functions and 2e5 invocations, read back: the total, the spread
 * of popularity and the share of rarely used apps are those asked for. */
Test(trace_synth, day_read_back_has_the_target_total_and_published_popularity)
{
    struct trace_synth_spec spec;
    synth_spec(&spec);
    synth_day_write(&day, &spec);
    struct synth_replay s;
    synth_replay(&day, &s);
    cr_assert(fabs((double)s.total / SYN_TOTAL - 1) < 0.05, "total %llu",
              (unsigned long long)s.total);
    /* Eight decades need far more traffic; for 2e5 invocations the most popular
     * function takes about 1e4 or more and the least popular one 1. */
    cr_assert_geq(s.max_over_min, 1e4, "popularity spans %g", s.max_over_min);
    double hourly = (double)s.apps_hourly / (double)s.apps;
    cr_assert(fabs(hourly - 0.45) <= 0.05, "%zu of %zu apps at most hourly: %g", s.apps_hourly,
              s.apps, hourly);
    synth_replay_free(&s);
}

/* Execution times: ln(Average in s) over functions has the paper's lognormal fit,
 * each function's quartiles its lognormal spread, and replayed durations follow each
 * function's percentiles. */
Test(trace_synth, execution_times_follow_the_published_lognormal)
{
    struct trace_synth_spec spec;
    synth_spec(&spec);
    synth_day_write(&day, &spec);
    struct synth_replay s;
    synth_replay(&day, &s);
    double sum = 0, sum2 = 0;
    size_t n = s.keys.n;
    for (size_t i = 0; i < n; i++) {
        sum += s.fn[i].ln_avg_s;
        sum2 += s.fn[i].ln_avg_s * s.fn[i].ln_avg_s;
        double sigma = log(s.fn[i].p75_ns / s.fn[i].p25_ns) / (2 * 0.6744897501960817);
        cr_assert(fabs(sigma - spec.duration_sigma) < 0.01, "%s: sigma %g", s.keys.s[i], sigma);
    }
    double mean = sum / (double)n, sd = sqrt((sum2 - (double)n * mean * mean) / (double)(n - 1));
    cr_assert(fabs(mean - -0.38) <= 0.1, "mean of ln(average) %g", mean);
    cr_assert(fabs(sd - 2.36) <= 0.1, "sd of ln(average) %g", sd);
    cr_assert_eq(s.outside_range, 0);
    cr_assert(fabs(s.below_p25 - 0.25) < 0.01, "%g below p25", s.below_p25);
    cr_assert(fabs(s.below_p50 - 0.50) < 0.01, "%g below p50", s.below_p50);
    synth_replay_free(&s);
}

static char *slurp(FILE *f, long *len)
{
    fflush(f);
    *len = ftell(f);
    rewind(f);
    char *b = malloc((size_t)*len + 1);
    cr_assert_eq(fread(b, 1, (size_t)*len, f), (size_t)*len);
    return b;
}

Test(trace_synth, same_seed_gives_the_same_bytes)
{
    struct trace_synth_spec spec;
    trace_synth_spec_default(&spec);
    spec.functions = 200;
    spec.total_invocations = 2e4;
    FILE *f[4] = {tmpfile(), tmpfile(), tmpfile(), tmpfile()};
    struct slsim_error err;
    cr_assert_eq(trace_synth_write(f[0], f[1], NULL, &spec, 42, &err), 0);
    cr_assert_eq(trace_synth_write(f[2], NULL, f[3], &spec, 42, &err), 0);
    long la, lb;
    char *a = slurp(f[0], &la), *b = slurp(f[2], &lb);
    cr_assert(la == lb && memcmp(a, b, (size_t)la) == 0,
              "one seed, one day, whichever other files are written");
    free(a);
    free(b);
    rewind(f[2]);
    cr_assert_eq(trace_synth_write(f[2], NULL, NULL, &spec, 43, &err), 0);
    a = slurp(f[0], &la);
    b = slurp(f[2], &lb);
    cr_assert(la != lb || memcmp(a, b, (size_t)la) != 0, "another seed, another day");
    free(a);
    free(b);
    for (int i = 0; i < 4; i++)
        fclose(f[i]);
}

Test(trace_synth, bad_spec_is_an_error_naming_the_field)
{
    struct trace_synth_spec spec;
    struct slsim_error err;
    FILE *f = tmpfile();
    trace_synth_spec_default(&spec);
    spec.functions = 0;
    cr_assert_eq(trace_synth_write(f, NULL, NULL, &spec, 1, &err), -1);
    cr_assert_str_eq(err.key, "functions");
    trace_synth_spec_default(&spec);
    spec.timer_share = 1.5;
    cr_assert_eq(trace_synth_write(f, NULL, NULL, &spec, 1, &err), -1);
    cr_assert_str_eq(err.key, "timer_share");
    trace_synth_spec_default(&spec);
    spec.total_invocations = -1;
    cr_assert_eq(trace_synth_write(f, NULL, NULL, &spec, 1, &err), -1);
    cr_assert_str_eq(err.key, "total_invocations");
    fclose(f);
}

/* ---- the counting pass over rows ---------------------------------------------------- */

/* next_row hands out each row with requests as it is written: the interval's start
 * (from the first row's time) and its count; rows of 0 are skipped. */
Test(counts_rows, next_row_gives_each_rows_count_at_its_interval_start)
{
    char path[] = "/tmp/slsim-rows-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char text[] = "time,count\n600,3\n660,0\n720,5000000000\n900,2\n";
    cr_assert_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    struct trace_spec s;
    spec_init(&s, TRACE_COUNTS, path, NULL, NULL);
    struct replay r = replay_open(&trace_counts_ops, &s);
    cr_assert_not_null(trace_counts_ops.next_row);
    const sim_time want_t[] = {0, 120 * S, 300 * S};
    const uint64_t want_n[] = {3, 5000000000ULL, 2};
    struct raw_event ev;
    uint64_t n = 0;
    struct slsim_error err;
    for (size_t i = 0; i < 3; i++) {
        cr_assert_eq(trace_counts_ops.next_row(r.self, &ev, &n, &err), 1);
        cr_expect_eq(ev.t_ns, want_t[i]);
        cr_expect_eq(n, want_n[i]);
        cr_expect_str_eq(ev.key, "counts");
    }
    cr_expect_eq(trace_counts_ops.next_row(r.self, &ev, &n, &err), 0);
    trace_counts_ops.close(r.self);
    gsl_rng_free(r.rng);
    trace_spec_free(&s);
    unlink(path);
}

/* Opening a replay runs the counting pass over the whole file. Over the whole trace it
 * adds rows up: 5e10 requests in one minute (under the one-per-ns limit of 6e10) open
 * at once. Placing them one by one, as a window needs, is minutes of work: the
 * timeout, far above what two rows cost on any machine, is what the old pass missed. */
Test(counts_rows, a_huge_count_opens_without_placing_its_arrivals, .timeout = 120)
{
    char path[] = "/tmp/slsim-rows-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char text[] = "time,count\n0,50000000000\n60,1\n";
    cr_assert_eq(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
    close(fd);
    struct trace_spec s;
    spec_init(&s, TRACE_COUNTS, path, NULL, NULL);
    struct slsim_error err;
    memset(&err, 0, sizeof err);
    struct trace_reader *r = trace_open(&s, 1, 0, &err);
    cr_assert_not_null(r, "%s:%d:%d: %s", err.file, err.line, err.column, err.message);
    cr_expect_eq(trace_functions(r), 1);
    cr_expect_str_eq(trace_function_name(r, 0), "counts");
    trace_close(r);
    trace_spec_free(&s);
    unlink(path);
}
