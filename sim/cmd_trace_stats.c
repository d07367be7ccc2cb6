/* cmd_trace_stats.c - `slsim trace stats`: what a trace holds, before a replay.
 *
 * Statistics are computed in one streaming pass over the reader (so they describe
 * exactly what a replay sees), or, for the count formats replayed whole, over their
 * counts without making an arrival. Memory is O(functions): the per-minute series is
 * kept in at most STATS_BINS bins, each one minute while the span allows and twice
 * as wide each time it does not, never O(requests) nor O(span). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_trace.h"
#include "slsim/containers.h"
#include "slsim/histogram.h"
#include "slsim/trace_stats.h"
#include "workload/trace_counting.h"

struct fn_stat {
    uint64_t count;
    sim_time last_ns;
};

/* The per-minute series is kept in at most this many bins (512 KiB; 45.5 days of
 * one-minute bins): past that, neighbouring bins are merged and the width doubles,
 * so a stray time far from the rest costs coarser bins, not memory. */
#define STATS_BINS 65536u
#define MINUTE (60 * SIM_NS_PER_S)

/* A gap between consecutive requests over this share of the span, and over a day, is
 * warned about: a stray row (a zero time in an epoch-stamped file) makes one. */
#define GAP_WARN_SHARE 0.9
#define GAP_WARN_MIN (86400 * SIM_NS_PER_S)

struct stats {
    const struct trace_spec *spec;
    int from_counts; /* summed from a count format's counts: no per-arrival facts */
    uint64_t requests;
    uint32_t functions;
    uint32_t fn_end; /* counts: function indexes in use are below this */
    sim_time first_ns, last_ns; /* first and last request (counts: interval start, end) */
    uint64_t *bin;   /* requests per bin of bin_ns of replay time, STATS_BINS */
    sim_time bin_ns; /* one minute, doubled while the span does not fit */
    size_t bins;     /* bins up to the last request's */
    double gap_mean, gap_m2; /* Welford over inter-arrival gaps */
    uint64_t gaps;
    sim_time gap_max_ns, gap_from_ns; /* the longest gap between requests and its start */
    uint64_t gap_line; /* counts: the line of the row after it, 0 when unknown */
    uint64_t gap_request; /* the ordinal of the request after it */
    struct histogram *idle; /* per-function idle times */
    struct fn_stat *fn;
    uint32_t fn_cap;
    uint64_t with_duration;
    double duration_sum_s;
    uint64_t prompt_tokens, output_tokens; /* summed over requests (a format with tokens) */
    uint64_t skipped;
    uint32_t top;
    char **names; /* function names, owned */
    struct cli_progress *progress;
};

/* Add n requests at replay time t to the series. */
static void series_add(struct stats *st, sim_time t, uint64_t n)
{
    size_t b = (size_t)(t / st->bin_ns);
    while (b >= STATS_BINS) {
        for (size_t i = 0; i < STATS_BINS / 2; i++)
            st->bin[i] = st->bin[2 * i] + st->bin[2 * i + 1];
        memset(st->bin + STATS_BINS / 2, 0, STATS_BINS / 2 * sizeof *st->bin);
        st->bin_ns *= 2;
        st->bins = (st->bins + 1) / 2;
        b = (size_t)(t / st->bin_ns);
    }
    st->bin[b] += n;
    if (b + 1 > st->bins)
        st->bins = b + 1;
}

/* A gap from the previous request (at prev) to one at t, the ordinal-th. */
static void gap_note(struct stats *st, sim_time prev, sim_time t, uint64_t ordinal, uint64_t line)
{
    if (t - prev > st->gap_max_ns) {
        st->gap_max_ns = t - prev;
        st->gap_from_ns = prev;
        st->gap_request = ordinal;
        st->gap_line = line;
    }
}

static int stats_alloc(struct stats *st, uint32_t functions)
{
    st->functions = functions;
    st->fn_cap = functions ? functions : 1;
    st->fn = calloc(st->fn_cap, sizeof *st->fn);
    st->names = calloc(st->fn_cap, sizeof *st->names);
    st->idle = calloc(1, sizeof *st->idle);
    st->bin = calloc(STATS_BINS, sizeof *st->bin);
    st->bin_ns = MINUTE;
    if (!st->fn || !st->names || !st->idle || !st->bin)
        return -1;
    histogram_reset(st->idle);
    return 0;
}

/* One count of a count format (trace_count_visit): n requests of function fn spread
 * evenly over [t, t + len), as the replay's arrivals are on average. */
static int stats_count(void *ctx, const struct trace_count *tc, struct slsim_error *err)
{
    struct stats *st = ctx;
    sim_time t = tc->start_ns, len = tc->len_ns;
    uint32_t fn = tc->fn;
    uint64_t n = tc->count, line = tc->line;
    const char *key = tc->key;
    if (tc->duration_s >= 0) { /* the mean a replay's draws have */
        st->with_duration += n;
        st->duration_sum_s += (double)n * tc->duration_s;
    }
    while (fn >= st->fn_cap) { /* names first: fn_cap counts only what both hold */
        uint32_t was = st->fn_cap, names_cap = was;
        if (vec_grow32((void **)&st->names, &names_cap, sizeof *st->names, 1) ||
            vec_grow32((void **)&st->fn, &st->fn_cap, sizeof *st->fn, 1))
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        memset(st->fn + was, 0, (st->fn_cap - was) * sizeof *st->fn);
        memset(st->names + was, 0, (st->fn_cap - was) * sizeof *st->names);
    }
    if (fn >= st->fn_end)
        st->fn_end = fn + 1;
    if (!st->names[fn]) { /* a function is counted when it has requests, as in a replay */
        if (!(st->names[fn] = strdup(key)))
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        st->functions++;
    }
    st->fn[fn].count += n;
    if (!st->requests) {
        st->first_ns = t;
        st->last_ns = t + len;
    } else if (t > st->last_ns) {
        gap_note(st, st->last_ns, t, st->requests + 1, line);
    }
    if (t + len > st->last_ns)
        st->last_ns = t + len;
    st->requests += n;
    /* spread evenly: the bins up to a point get n x (its share of the interval),
     * rounded, so the series sums to n */
    sim_time end = t + len;
    uint64_t given = 0;
    for (sim_time at = t; given < n && at < end;) {
        sim_time next = (at / st->bin_ns + 1) * st->bin_ns;
        uint64_t upto = next >= end ? n
                                    : (uint64_t)((double)n * (double)(next - t) / (double)len + 0.5);
        if (upto > n)
            upto = n;
        if (upto > given)
            series_add(st, at, upto - given);
        given = upto > given ? upto : given;
        at = next; /* a coarsening inside series_add only widens the bins ahead */
    }
    return 0;
}

static int stats_collect(struct stats *st, struct slsim_error *err)
{
    const struct trace_spec *sp = st->spec;
    st->from_counts = (trace_format_props(sp->format) & TRACE_FORMAT_COUNTS) &&
                      sp->select == SELECT_ALL && sp->window_start_ns == 0 &&
                      sp->window_end_ns == SIM_TIME_FOREVER && sp->time_scale == 1 &&
                      sp->rate_scale == 1;
    if (st->from_counts) {
        if (stats_alloc(st, 0))
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        int rc = trace_counts_each(sp, stats_count, st, &st->skipped, err);
        cli_progress_report(st->progress, 0, 1.0, st->requests);
        return rc;
    }
    struct trace_reader *r = trace_open(st->spec, 1, 0, err);
    if (!r)
        return -1;
    if (stats_alloc(st, trace_functions(r))) {
        trace_close(r);
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    for (uint32_t f = 0; f < st->functions; f++) {
        st->fn[f].last_ns = -1;
        st->names[f] = strdup(trace_function_name(r, f));
    }
    struct trace_event ev;
    int got;
    sim_time prev = -1;
    while ((got = trace_next(r, &ev, err)) == 1) {
        if (!st->requests)
            st->first_ns = ev.t_ns;
        st->last_ns = ev.t_ns;
        st->requests++;
        series_add(st, ev.t_ns, 1);
        if (prev >= 0) {
            double gap = (double)(ev.t_ns - prev) / 1e9, d = gap - st->gap_mean;
            st->gaps++;
            st->gap_mean += d / (double)st->gaps;
            st->gap_m2 += d * (gap - st->gap_mean);
            gap_note(st, prev, ev.t_ns, st->requests, 0);
        }
        prev = ev.t_ns;
        if ((st->requests & 0xFFFF) == 0)
            cli_progress_report(st->progress, 0, trace_progress(r), st->requests);
        struct fn_stat *f = &st->fn[ev.function];
        if (f->last_ns >= 0)
            histogram_record(st->idle, ev.t_ns - f->last_ns);
        f->last_ns = ev.t_ns;
        f->count++;
        if (ev.duration_ns >= 0) {
            st->with_duration++;
            st->duration_sum_s += (double)ev.duration_ns / 1e9;
        }
        st->prompt_tokens += ev.prompt_tokens;
        st->output_tokens += ev.output_tokens;
    }
    cli_progress_report(st->progress, 0, 1.0, st->requests);
    st->skipped = trace_skipped(r);
    trace_close(r);
    return got < 0 ? -1 : 0;
}

/* After the pass: a trace without a request is an input error (nothing to replay,
 * nothing to describe), and a gap that dwarfs the rest is worth a warning. */
static int stats_check(const struct stats *st, struct slsim_error *err)
{
    if (!st->requests)
        return trace_no_requests_error(st->spec,
                                       st->skipped ? "every row with requests was malformed "
                                                     "(skip_bad skipped them)"
                                                   : "the file has no row with a request",
                                       err);
    sim_time span = st->last_ns - st->first_ns;
    if (span > 0 && (double)st->gap_max_ns > GAP_WARN_SHARE * (double)span &&
        st->gap_max_ns > GAP_WARN_MIN) {
        char where[64] = "";
        if (st->gap_line)
            snprintf(where, sizeof where, ":%llu", (unsigned long long)st->gap_line);
        fprintf(stderr,
                "slsim: warning: %s%s: %.0f%% of the span is one gap without requests, "
                "%.9g s from %.9g s to %.9g s (before request %llu): a stray row, such as a "
                "time of 0 in an epoch-stamped file?\n",
                st->spec->path, where, 100.0 * (double)st->gap_max_ns / (double)span,
                (double)st->gap_max_ns / 1e9, (double)st->gap_from_ns / 1e9,
                (double)(st->gap_from_ns + st->gap_max_ns) / 1e9,
                (unsigned long long)st->gap_request);
    }
    return 0;
}

static void stats_free(struct stats *st)
{
    for (uint32_t f = 0; st->names && f < st->fn_cap; f++)
        free(st->names[f]);
    free(st->names);
    free(st->fn);
    free(st->idle);
    free(st->bin);
}

struct ranked {
    uint32_t fn;
    uint64_t count;
};

static int ranked_cmp(const void *a, const void *b)
{
    const struct ranked *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return x->fn < y->fn ? -1 : x->fn > y->fn;
}

/* The figures of a struct trace_stats that come from st, the pass's totals. */
static void summarize(const struct stats *st, struct trace_stats *s)
{
    memset(s, 0, sizeof *s);
    s->path = st->spec->path;
    s->format = st->spec->format;
    s->per_arrival = !st->from_counts;
    s->requests = st->requests;
    s->functions = st->functions;
    s->span_s = st->requests ? (double)(st->last_ns - st->first_ns) / 1e9 : 0;
    s->series_bin_min = (double)st->bin_ns / (double)MINUTE;
    s->series = st->bin;
    s->n_series = st->bins;
    size_t busy = 0;
    double sum = 0, peak = 0;
    for (size_t m = 0; m < st->bins; m++) {
        sum += (double)st->bin[m];
        if (st->bin[m])
            busy++;
        if ((double)st->bin[m] > peak)
            peak = (double)st->bin[m];
    }
    /* minutes from replay time 0 to the last request's minute, as the series runs;
     * a count format's last interval ends at last_ns, an arrival's minute after it */
    double minutes = st->from_counts ? ceil((double)st->last_ns / (double)MINUTE)
                                     : floor((double)st->last_ns / (double)MINUTE) + 1;
    s->rate_per_min_mean = minutes > 0 ? sum / minutes : 0;
    s->rate_per_min_peak = peak / s->series_bin_min; /* a wide bin: its mean per minute */
    s->peak_to_mean = s->rate_per_min_mean > 0 ? s->rate_per_min_peak / s->rate_per_min_mean
                                               : 0;
    s->duty_cycle = st->bins ? (double)busy / (double)st->bins : 0;
    s->interarrival_cv = st->gaps > 1 && st->gap_mean > 0
                             ? sqrt(st->gap_m2 / (double)(st->gaps - 1)) / st->gap_mean
                             : 0;
    s->idle_p50_s = histogram_quantile_ns(st->idle, 0.50) / 1e9;
    s->idle_p90_s = histogram_quantile_ns(st->idle, 0.90) / 1e9;
    s->idle_p99_s = histogram_quantile_ns(st->idle, 0.99) / 1e9;
    s->with_duration = st->with_duration;
    s->duration_sum_s = st->duration_sum_s;
    s->tokens = (trace_format_props(st->spec->format) & TRACE_FORMAT_TOKENS) != 0;
    s->prompt_tokens = st->prompt_tokens;
    s->output_tokens = st->output_tokens;
    s->skipped_rows = st->skipped;
}

struct stats_out {
    const struct stats *st;
    enum report_format fmt;
};

/* The report of o->st in o->fmt, its busiest functions ranked here. */
static int write_stats(FILE *fp, void *arg)
{
    const struct stats_out *o = arg;
    const struct stats *st = o->st;
    struct trace_stats s;
    summarize(st, &s);
    uint32_t end = st->from_counts ? st->fn_end : st->functions, n = 0;
    uint32_t top = st->top < st->functions ? st->top : st->functions;
    struct ranked *rank = calloc(end ? end : 1, sizeof *rank);
    struct trace_stats_function *fns = calloc(top ? top : 1, sizeof *fns);
    if (!rank || !fns) {
        free(rank);
        free(fns);
        return -1;
    }
    for (uint32_t f = 0; f < end; f++)
        if (st->names[f]) /* counts: a function without requests was never named */
            rank[n++] = (struct ranked){f, st->fn[f].count};
    qsort(rank, n, sizeof *rank, ranked_cmp);
    for (uint32_t i = 0; i < top; i++)
        fns[i] = (struct trace_stats_function){st->names[rank[i].fn], rank[i].count};
    s.top = fns;
    s.n_top = top;
    int rc = report_write_trace_stats(fp, o->fmt, &s);
    free(rank);
    free(fns);
    return rc;
}

int cmd_trace_stats(const struct trace_cmd_args *a)
{
    struct slsim_error err;
    struct stats st = {.spec = a->spec, .top = 10};
    if (a->top_text) {
        char *end;
        long n = strtol(a->top_text, &end, 10);
        if (*end || n < 0 || n > 1000000)
            return cli_usage_error("trace", "--top wants a whole number");
        st.top = (uint32_t)n;
    }
    struct cli_progress progress;
    cli_progress_init(&progress, 1, a->quiet, a->show_progress, "rows");
    st.progress = &progress;
    int collect_rc = stats_collect(&st, &err);
    cli_progress_done(&progress);
    if (collect_rc == 0)
        collect_rc = stats_check(&st, &err);
    if (collect_rc != 0) {
        cli_report_error(&err);
        stats_free(&st);
        return err.file[0] ? EXIT_USAGE : EXIT_RUN;
    }
    struct stats_out o = {&st, a->fmt};
    int rc = cli_emit(a->out_path, a->force, write_stats, &o);
    stats_free(&st);
    return rc;
}
