/* cmd_trace.c - `slsim trace`: look at a trace before replaying it.
 *
 *   slsim trace stats FILE --as FORMAT | SCENARIO.yaml
 *   slsim trace convert FILE --as FORMAT --out OUT.csv
 *
 * Statistics are computed in one streaming pass over the reader (so they describe
 * exactly what a replay sees), or, for the count formats replayed whole, over their
 * counts without making an arrival. Memory is O(functions): the per-minute series is
 * kept in at most STATS_BINS bins, each one minute while the span allows and twice
 * as wide each time it does not, never O(requests) nor O(span). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "slsim/histogram.h"
#include "slsim/report.h"
#include "slsim/scenario.h"
#include "slsim/trace.h"
#include "slsim/trace_sort.h"
#include "slsim/trace_synth.h"
#include "workload/trace_counting.h"

static const char trace_help[] =
    "usage: slsim trace stats  (FILE [--as FORMAT] | SCENARIO.yaml) [options]\n"
    "       slsim trace convert FILE [--as FORMAT] --out OUT.csv [options]\n"
    "       slsim trace sort    FILE --as azure2021|csv --out OUT [options]\n"
    "       slsim trace synth   --out DIR [--functions N] [--invocations N] [--seed N]\n"
    "\n"
    "stats: requests, functions, span, rate per minute (mean, peak, peak-to-mean; the\n"
    "whole series as requests_per_minute in JSON), duty cycle (share of minutes with a\n"
    "request), inter-arrival CV, per-function idle-time percentiles and the busiest\n"
    "functions. The series has at most 65536 bins: past 45 days of span a bin is 2,\n"
    "4, ... minutes wide (said in the output) and peak and duty cycle are per bin. A\n"
    "gap between requests of over a day and 90% of the span is warned about. counts,\n"
    "counts-wide and azure2019 (without functions, window or scaling) are summed from\n"
    "their counts, without making arrivals: the span runs from the start of the first\n"
    "interval with requests to the end of the last, each count is spread evenly over\n"
    "its interval's minutes, and inter-arrival CV and idle times are not reported\n"
    "(within an interval they come from --within-minute, not from the trace). A trace\n"
    "with no request is an error. convert: any format to CSV\n"
    "(time_s,function,duration_s,memory_mb). sort: an unsorted azure2021 or CSV file by\n"
    "time, in bounded memory. synth: one day in the Azure Functions 2019 format with\n"
    "the published statistics, for scale tests.\n"
    "\n"
    "FORMAT is azure2019, azure2021, azure-llm, csv, counts or counts-wide; without\n"
    "--as it is read from the header (azure2019, azure2021 and azure-llm have their\n"
    "own). With a scenario, its workload.trace (format, files, selection, window,\n"
    "scaling) is used as is.\n"
    "\n"
    "Every key of a scenario's workload.trace is an option of the same name, with\n"
    "the same values and checks: duration_unit is --duration-unit 1ms, time_unit\n"
    "--time-unit ms, within_minute --within-minute uniform, and so on for\n"
    "durations, memory, functions (stats, convert, sort), time_scale, rate_scale,\n"
    "window, reorder, skip_bad, columns, header, interval, tokens and service.\n"
    "\n"
    "options:\n"
    "  --as FORMAT          the trace format (default: from the header)\n"
    "  --durations FILE     azure2019: the durations file\n"
    "  --memory FILE        azure2019: the memory file\n"
    "  --columns SPEC       csv: time=COL,function=COL,duration=COL,memory=COL\n"
    "                       (or the scenario's {time: COL, ...})\n"
    "  --time-unit U        csv, counts, counts-wide: s, ms, us or iso8601 (default s;\n"
    "                       counts-wide detects ISO 8601)\n"
    "  --duration-unit D    csv: what one unit of the duration column is (default 1s;\n"
    "                       1ms for a column of milliseconds)\n"
    "  --no-header          csv, counts, counts-wide: the first line is data (--header false)\n"
    "  --interval D         counts, counts-wide: one row's interval (counts: default 1m;\n"
    "                       counts-wide: default the spacing of the first two rows)\n"
    "  --skip-bad           skip malformed rows and count them\n"
    "  --top N              stats: how many functions to list (default 10)\n"
    "  --buffer SIZE        sort: memory for sorted runs (default 256MB)\n"
    "  --functions N        synth: functions (default 1000)\n"
    "  --invocations N      synth: invocations over the day (default 1e6)\n"
    "  --timer-share X      synth: share of timer-triggered functions (default 0.3)\n"
    "  --seed N             synth: seed (default 1)\n"
    "  --format F           stats: text (default), json or csv\n"
    "  --out FILE           where to write (convert, sort: a file; synth: a folder for\n"
    "                       invocations.csv, durations.csv, memory.csv; stats: optional)\n"
    "  --force              overwrite an existing --out file\n"
    "  --quiet              no progress line on standard error (stats, convert:\n"
    "                       shown only on a terminal, after 2 s)\n"
    "  --progress           stats, convert: a progress line (share of the file read,\n"
    "                       rows/s, ETA) even when standard error is not a terminal\n"
    "  -h, --help           this text\n"
    "\n"
    "exit status: 0 done, 1 failed, 2 bad usage or a malformed trace.\n";

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
    if (fn >= st->fn_cap) {
        uint32_t cap = st->fn_cap;
        while (cap <= fn)
            cap *= 2;
        struct fn_stat *f = realloc(st->fn, cap * sizeof *f);
        if (f)
            st->fn = f;
        char **nm = f ? realloc(st->names, cap * sizeof *nm) : NULL;
        if (!nm)
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        st->names = nm;
        memset(st->fn + st->fn_cap, 0, (cap - st->fn_cap) * sizeof *st->fn);
        memset(st->names + st->fn_cap, 0, (cap - st->fn_cap) * sizeof *st->names);
        st->fn_cap = cap;
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
    st->from_counts = (sp->format == TRACE_COUNTS || sp->format == TRACE_COUNTS_WIDE ||
                       sp->format == TRACE_AZURE2019) &&
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

struct summary {
    double span_s, mean_per_min, peak_per_min, duty, cv, bin_min;
    double idle_p50_s, idle_p90_s, idle_p99_s;
};

static void summarize(const struct stats *st, struct summary *s)
{
    memset(s, 0, sizeof *s);
    s->span_s = st->requests ? (double)(st->last_ns - st->first_ns) / 1e9 : 0;
    s->bin_min = (double)st->bin_ns / (double)MINUTE;
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
    s->mean_per_min = minutes > 0 ? sum / minutes : 0;
    s->peak_per_min = peak / s->bin_min; /* a wide bin: its mean per minute */
    s->duty = st->bins ? (double)busy / (double)st->bins : 0;
    s->cv = st->gaps > 1 && st->gap_mean > 0
                ? sqrt(st->gap_m2 / (double)(st->gaps - 1)) / st->gap_mean
                : 0;
    s->idle_p50_s = histogram_quantile_ns(st->idle, 0.50) / 1e9;
    s->idle_p90_s = histogram_quantile_ns(st->idle, 0.90) / 1e9;
    s->idle_p99_s = histogram_quantile_ns(st->idle, 0.99) / 1e9;
}

struct stats_out {
    const struct stats *st;
    enum report_format fmt;
};

static int write_stats(FILE *fp, void *arg)
{
    const struct stats_out *o = arg;
    const struct stats *st = o->st;
    struct summary s;
    summarize(st, &s);
    uint32_t end = st->from_counts ? st->fn_end : st->functions, n = 0;
    struct ranked *rank = calloc(end ? end : 1, sizeof *rank);
    if (!rank)
        return -1;
    for (uint32_t f = 0; f < end; f++)
        if (st->names[f]) /* counts: a function without requests was never named */
            rank[n++] = (struct ranked){f, st->fn[f].count};
    qsort(rank, n, sizeof *rank, ranked_cmp);
    uint32_t top = st->top < st->functions ? st->top : st->functions;
    double ptm = s.mean_per_min > 0 ? s.peak_per_min / s.mean_per_min : 0;
    int per_arrival = !st->from_counts;
    if (o->fmt == REPORT_JSON) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddStringToObject(root, "trace", st->spec->path);
        cJSON_AddStringToObject(root, "format", trace_format_name(st->spec->format));
        cJSON_AddNumberToObject(root, "requests", (double)st->requests);
        cJSON_AddNumberToObject(root, "functions", st->functions);
        cJSON_AddNumberToObject(root, "span_s", s.span_s);
        cJSON_AddNumberToObject(root, "rate_per_min_mean", s.mean_per_min);
        cJSON_AddNumberToObject(root, "rate_per_min_peak", s.peak_per_min);
        cJSON_AddNumberToObject(root, "peak_to_mean", ptm);
        cJSON_AddNumberToObject(root, "duty_cycle", s.duty);
        if (per_arrival) {
            cJSON_AddNumberToObject(root, "interarrival_cv", s.cv);
            cJSON *idle = cJSON_AddObjectToObject(root, "idle_time_s");
            cJSON_AddNumberToObject(idle, "p50", s.idle_p50_s);
            cJSON_AddNumberToObject(idle, "p90", s.idle_p90_s);
            cJSON_AddNumberToObject(idle, "p99", s.idle_p99_s);
        } else {
            cJSON_AddNullToObject(root, "interarrival_cv");
            cJSON_AddNullToObject(root, "idle_time_s");
        }
        cJSON_AddNumberToObject(root, "mean_duration_s",
                                st->with_duration ? st->duration_sum_s / (double)st->with_duration
                                                  : 0);
        cJSON_AddNumberToObject(root, "skipped_rows", (double)st->skipped);
        cJSON_AddNumberToObject(root, "series_bin_min", s.bin_min);
        cJSON *series = cJSON_AddArrayToObject(root, "requests_per_minute");
        for (size_t m = 0; m < st->bins; m++)
            cJSON_AddItemToArray(series, cJSON_CreateNumber((double)st->bin[m]));
        cJSON *arr = cJSON_AddArrayToObject(root, "top_functions");
        for (uint32_t i = 0; i < top; i++) {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddStringToObject(f, "function", st->names[rank[i].fn]);
            cJSON_AddNumberToObject(f, "requests", (double)rank[i].count);
            cJSON_AddNumberToObject(f, "share", st->requests ? (double)rank[i].count /
                                                                   (double)st->requests
                                                             : 0);
            cJSON_AddItemToArray(arr, f);
        }
        free(rank);
        return report_json_emit(fp, root);
    }
    if (o->fmt == REPORT_CSV) {
        fputs("trace,format,requests,functions,span_s,rate_per_min_mean,rate_per_min_peak,"
              "peak_to_mean,duty_cycle,interarrival_cv,idle_time_s_p50,idle_time_s_p90,"
              "idle_time_s_p99,skipped_rows\n",
              fp);
        fprintf(fp, "%s,%s,%llu,%u,%.9g,%.9g,%.9g,%.9g,%.9g,", st->spec->path,
                trace_format_name(st->spec->format), (unsigned long long)st->requests,
                st->functions, s.span_s, s.mean_per_min, s.peak_per_min, ptm, s.duty);
        if (per_arrival)
            fprintf(fp, "%.9g,%.9g,%.9g,%.9g,", s.cv, s.idle_p50_s, s.idle_p90_s, s.idle_p99_s);
        else
            fputs(",,,,", fp); /* not reported for counts: see the help */
        fprintf(fp, "%llu\n", (unsigned long long)st->skipped);
        free(rank);
        return ferror(fp) ? -1 : 0;
    }
    fprintf(fp, "%s (%s)\n", st->spec->path, trace_format_name(st->spec->format));
    fprintf(fp, "  requests          %llu\n", (unsigned long long)st->requests);
    fprintf(fp, "  functions         %u\n", st->functions);
    fprintf(fp, "  span              %.1f s (%.2f h)\n", s.span_s, s.span_s / 3600);
    fprintf(fp, "  rate per minute   mean %.1f, peak %.0f, peak-to-mean %.2f\n", s.mean_per_min,
            s.peak_per_min, ptm);
    if (s.bin_min > 1)
        fprintf(fp, "  series bins       %.0f minutes (the span is too long for one-minute "
                    "bins: peak and duty cycle are per bin)\n",
                s.bin_min);
    fprintf(fp, "  duty cycle        %.3f (share of %s with a request)\n", s.duty,
            s.bin_min > 1 ? "bins" : "minutes");
    if (per_arrival) {
        fprintf(fp, "  inter-arrival CV  %.3f (1 for Poisson)\n", s.cv);
        fprintf(fp, "  idle time         p50 %.3g s, p90 %.3g s, p99 %.3g s (per function)\n",
                s.idle_p50_s, s.idle_p90_s, s.idle_p99_s);
    } else {
        fprintf(fp, "  inter-arrival CV  not reported: a count format's arrivals within an "
                    "interval come from within_minute\n");
    }
    if (st->with_duration)
        fprintf(fp, "  mean duration     %.4g s (%llu requests with a duration)\n",
                st->duration_sum_s / (double)st->with_duration,
                (unsigned long long)st->with_duration);
    if (st->skipped)
        fprintf(fp, "  skipped rows      %llu\n", (unsigned long long)st->skipped);
    if (top) {
        fprintf(fp, "\n  top %u functions          requests    share\n", top);
        for (uint32_t i = 0; i < top; i++) {
            const char *name = st->names[rank[i].fn];
            size_t len = strlen(name);
            /* long names (app/function hashes) keep their distinctive end */
            fprintf(fp, "  %-24.24s %10llu  %6.2f%%\n", len > 24 ? name + len - 24 : name,
                    (unsigned long long)rank[i].count,
                    st->requests ? 100.0 * (double)rank[i].count / (double)st->requests : 0);
        }
    }
    free(rank);
    return ferror(fp) ? -1 : 0;
}

struct convert_args {
    const struct trace_spec *spec;
    struct slsim_error *err;
    struct cli_progress *progress;
};

static int write_convert(FILE *fp, void *arg)
{
    struct convert_args *a = arg;
    struct trace_reader *r = trace_open(a->spec, 1, 0, a->err);
    if (!r)
        return -1;
    fputs("time_s,function,duration_s,memory_mb\n", fp);
    struct trace_event ev;
    int got;
    uint64_t rows = 0;
    while ((got = trace_next(r, &ev, a->err)) == 1) {
        if ((++rows & 0xFFFF) == 0)
            cli_progress_report(a->progress, 0, trace_progress(r), rows);
        fprintf(fp, "%.9f,%s,", (double)ev.t_ns / 1e9, trace_function_name(r, ev.function));
        if (ev.duration_ns >= 0)
            fprintf(fp, "%.9f", (double)ev.duration_ns / 1e9);
        fputc(',', fp);
        if (ev.memory_mb)
            fprintf(fp, "%u", ev.memory_mb);
        fputc('\n', fp);
    }
    cli_progress_report(a->progress, 0, 1.0, rows);
    trace_close(r);
    return got < 0 || ferror(fp) ? -1 : 0;
}

/* Convert into path through a file beside it, renamed into place once complete: a
 * conversion is as long as the trace, so it is written as it goes, never held in
 * memory, and a failure leaves no partial output. EXIT_OK, or an exit status after
 * the error is reported. */
static int convert_to_file(const char *path, int force, struct convert_args *a)
{
    struct stat st;
    if (!force && stat(path, &st) == 0) {
        fprintf(stderr, "slsim: %s: already exists; pass --force to overwrite it\n", path);
        return EXIT_USAGE;
    }
    size_t len = strlen(path) + 16;
    char *tmp = malloc(len);
    if (!tmp) {
        fprintf(stderr, "slsim: out of memory\n");
        return EXIT_RUN;
    }
    snprintf(tmp, len, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        fprintf(stderr, "slsim: %s: cannot create a file beside it: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return EXIT_RUN;
    }
    int rc = write_convert(fp, a);
    int saved = errno;
    int bad_io = fflush(fp) != 0 || fsync(fileno(fp)) != 0;
    if (fclose(fp) != 0)
        bad_io = 1;
    if (rc == 0 && bad_io)
        rc = -1;
    if (rc == 0) {
        mode_t mask = umask(0); /* mkstemp makes it 0600: give it the usual mode */
        umask(mask);
        chmod(tmp, 0666 & ~mask);
        if (rename(tmp, path) != 0) {
            saved = errno;
            rc = -1;
            bad_io = 1;
        }
    }
    if (rc != 0)
        unlink(tmp);
    free(tmp);
    if (rc == 0)
        return EXIT_OK;
    if (a->err->message[0]) {
        cli_report_error(a->err);
        return a->err->file[0] ? EXIT_USAGE : EXIT_RUN;
    }
    fprintf(stderr, "slsim: %s: cannot write: %s\n", path, strerror(bad_io ? saved : EIO));
    return EXIT_RUN;
}

/* `--columns time=ts,function=fn` (the older spelling) as the YAML mapping the
 * scenario key takes; a value already in braces is kept. Written into buf. */
static const char *columns_yaml(const char *text, char *buf, size_t n)
{
    if (text[0] == '{')
        return text;
    size_t len = (size_t)snprintf(buf, n, "{");
    for (const char *p = text; *p && len < n; p++)
        len += (size_t)snprintf(buf + len, n - len, "%s", *p == '=' ? ": " : *p == ',' ? ", " : (char[]){*p, 0});
    if (len < n)
        snprintf(buf + len, n - len, "}");
    return buf;
}

/* The trace key an option names (--duration-unit: duration_unit), or NULL. */
static const char *trace_key_of(const char *opt, char *buf, size_t n)
{
    if (strncmp(opt, "--", 2) != 0)
        return NULL;
    size_t len = strcspn(opt + 2, "=");
    if (len == 0 || len >= n)
        return NULL;
    for (size_t i = 0; i < len; i++)
        buf[i] = opt[2 + i] == '-' ? '_' : opt[2 + i];
    buf[len] = '\0';
    for (const char *const *k = scenario_trace_keys(); *k; k++)
        if (strcmp(*k, buf) == 0 && strcmp(buf, "format") != 0 && strcmp(buf, "path") != 0)
            return *k;
    return NULL;
}

/* mkdir -p: `trace synth --out DIR` makes DIR and any folder above it that is
 * missing. 0, or -1 after saying which folder could not be made. */
static int make_folders(const char *dir)
{
    char buf[4096];
    if (snprintf(buf, sizeof buf, "%s", dir) >= (int)sizeof buf) {
        fprintf(stderr, "slsim: %s: path too long\n", dir);
        return -1;
    }
    for (char *p = buf + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        struct stat st;
        errno = 0;
        if (stat(buf, &st) != 0 ? mkdir(buf, 0777) != 0 : !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "slsim: %s: cannot make the folder: %s\n", buf,
                    errno ? strerror(errno) : "a file has that name");
            return -1;
        }
        *p = c;
        if (c == '\0')
            return 0;
    }
}

/* `trace synth`: three files written whole, none if any fails. */
static int trace_synth_cmd(const char *dir, int force, const struct trace_synth_spec *spec,
                           uint64_t seed)
{
    char *buf[3] = {NULL, NULL, NULL};
    size_t len[3] = {0, 0, 0};
    FILE *f[3];
    static const char *const names[3] = {"invocations.csv", "durations.csv", "memory.csv"};
    struct slsim_error err;
    int rc = EXIT_RUN;
    for (int i = 0; i < 3; i++)
        f[i] = open_memstream(&buf[i], &len[i]);
    if (!f[0] || !f[1] || !f[2]) {
        fprintf(stderr, "slsim: out of memory\n");
        goto out;
    }
    if (make_folders(dir) != 0) {
        rc = EXIT_USAGE;
        goto out;
    }
    if (trace_synth_write(f[0], f[1], f[2], spec, seed, &err) != 0) {
        cli_report_error(&err);
        goto out;
    }
    for (int i = 0; i < 3; i++) {
        fclose(f[i]);
        f[i] = NULL;
    }
    char path[3][4200];
    for (int i = 0; i < 3; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", dir, names[i]);
        if (cli_check_target(path[i], force, "") != 0) {
            rc = EXIT_USAGE;
            goto out;
        }
    }
    for (int i = 0; i < 3; i++)
        if (cli_write_file(path[i], buf[i], len[i], force, &err) != 0) {
            cli_report_error(&err);
            goto out;
        }
    rc = EXIT_OK;
out:
    for (int i = 0; i < 3; i++) {
        if (f[i])
            fclose(f[i]);
        free(buf[i]);
    }
    return rc;
}

static int is_yaml(const char *path)
{
    size_t n = strlen(path);
    return (n > 5 && strcmp(path + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(path + n - 4, ".yml") == 0);
}

#define MAX_TRACE_OPTIONS 64

static int has_key(const char *const *keys, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(keys[i], key) == 0)
            return 1;
    return 0;
}

static int cmd_trace_inner(int argc, char **argv, struct trace_spec *spec)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(trace_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const char *sub = argv[1], *path = NULL, *as = NULL, *v, *out_path = NULL, *format = "text";
    const char *top_text = NULL, *buffer_text = NULL, *fn_text = NULL, *inv_text = NULL;
    const char *timer_text = NULL, *seed_text = NULL;
    int force = 0, rc, quiet = 0, show_progress = 0;
    /* Trace keys given as options, checked by the scenario's own rules. */
    const char *keys[MAX_TRACE_OPTIONS], *values[MAX_TRACE_OPTIONS], *srcs[MAX_TRACE_OPTIONS];
    size_t n_keys = 0;
    char columns_buf[600];
    int synth = strcmp(sub, "synth") == 0;
    if (strcmp(sub, "stats") != 0 && strcmp(sub, "convert") != 0 && strcmp(sub, "sort") != 0 &&
        !synth)
        return cli_usage_error("trace", "unknown trace command \"%s\"; use stats, convert, sort "
                                        "or synth",
                               sub);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        char kb[64];
        const char *key;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(trace_help, stdout);
            return EXIT_OK;
        } else if ((rc = cli_option(argc, argv, &i, "--as", &as, "trace")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--out", &out_path, "trace")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--format", &format, "trace")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--top", &top_text, "trace")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--buffer", &buffer_text, "trace")) != 0 ||
                   (synth &&
                    (rc = cli_option(argc, argv, &i, "--functions", &fn_text, "trace")) != 0) ||
                   (rc = cli_option(argc, argv, &i, "--invocations", &inv_text, "trace")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--timer-share", &timer_text, "trace")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--seed", &seed_text, "trace")) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
        } else if (strcmp(a, "--no-header") == 0 || strcmp(a, "--skip-bad") == 0) {
            if (n_keys == MAX_TRACE_OPTIONS)
                return cli_usage_error("trace", "too many options");
            keys[n_keys] = a[2] == 'n' ? "header" : "skip_bad";
            values[n_keys] = a[2] == 'n' ? "false" : "true";
            srcs[n_keys++] = a;
        } else if ((key = trace_key_of(a, kb, sizeof kb)) != NULL) {
            char opt[80];
            snprintf(opt, sizeof opt, "--%.*s", (int)strcspn(a + 2, "="), a + 2);
            if ((rc = cli_option(argc, argv, &i, opt, &v, "trace")) <= 0)
                return EXIT_USAGE;
            if (n_keys == MAX_TRACE_OPTIONS)
                return cli_usage_error("trace", "too many options");
            if (strcmp(key, "columns") == 0)
                v = columns_yaml(v, columns_buf, sizeof columns_buf);
            keys[n_keys] = key;
            values[n_keys] = v;
            srcs[n_keys++] = strncmp(argv[i], "--", 2) == 0 ? argv[i] : argv[i - 1];
        } else if (strcmp(a, "--force") == 0) {
            force = 1;
        } else if (cli_progress_option(a, &quiet, &show_progress)) {
            continue;
        } else if (a[0] == '-' && a[1] != '\0') {
            return cli_usage_error("trace", "unknown option %s", a);
        } else if (!path) {
            path = a;
        } else {
            return cli_usage_error("trace", "one trace at a time; got %s and %s", path, a);
        }
    }
    if (strcmp(sub, "synth") == 0) {
        struct trace_synth_spec ss;
        trace_synth_spec_default(&ss);
        char *end;
        if (!out_path)
            return cli_usage_error("trace", "synth needs --out FOLDER");
        if (fn_text && ((ss.functions = (uint32_t)strtoul(fn_text, &end, 10)) == 0 || *end))
            return cli_usage_error("trace", "--functions wants a whole number above 0");
        if (inv_text && (!((ss.total_invocations = strtod(inv_text, &end)) > 0) || *end))
            return cli_usage_error("trace", "--invocations wants a number above 0");
        if (timer_text && (!((ss.timer_share = strtod(timer_text, &end)) >= 0) ||
                           ss.timer_share > 1 || *end))
            return cli_usage_error("trace", "--timer-share wants a number from 0 to 1");
        uint64_t seed = 1;
        if (seed_text && (seed = strtoull(seed_text, &end, 10), *end))
            return cli_usage_error("trace", "--seed wants a whole number");
        return trace_synth_cmd(out_path, force, &ss, seed);
    }
    if (!path)
        return cli_usage_error("trace", "missing the trace file (or a scenario)");
    enum report_format fmt;
    if (report_format_parse(format, &fmt) != 0 || fmt == REPORT_MD)
        return cli_usage_error("trace", "unknown format \"%s\"; use text, json or csv", format);
    struct scenario *s = NULL;
    struct slsim_error err;
    const struct trace_spec *use = spec;
    if (is_yaml(path) && !as) {
        if (scenario_load(path, NULL, 0, &s, &err) != 0) {
            cli_report_error(&err);
            return EXIT_USAGE;
        }
        if (s->workload.arrival != ARRIVAL_TRACE) {
            fprintf(stderr, "slsim: %s: workload is not a trace (arrival: %s)\n", path,
                    scenario_arrival_name(s->workload.arrival));
            scenario_destroy(s);
            return EXIT_USAGE;
        }
        use = &s->workload.trace;
    } else {
        enum trace_format f;
        if (as && trace_format_parse(as, &f) != 0) {
            scenario_destroy(s);
            return cli_usage_error("trace", "--as wants azure2019, azure2021, azure-llm, csv, "
                                            "counts or counts-wide; got \"%s\"",
                                   as);
        }
        if (!as) {
            if (trace_detect_format(path, &f, &err) != 0) {
                cli_report_error(&err);
                return EXIT_USAGE;
            }
            as = trace_format_name(f);
        }
        keys[n_keys] = "format";
        values[n_keys] = as;
        srcs[n_keys++] = "--as";
        if (f == TRACE_CSV && !has_key(keys, n_keys, "columns")) {
            /* a csv without --columns: its time is the column named time (or the first) */
            keys[n_keys] = "columns";
            int no_header = 0;
            for (size_t k = 0; k < n_keys; k++)
                if (strcmp(keys[k], "header") == 0)
                    no_header = strcmp(values[k], "false") == 0;
            values[n_keys] = no_header ? "{time: 1}" : "{time: time}";
            srcs[n_keys++] = "--columns";
        }
        if (scenario_trace_from_options(path, keys, values, srcs, n_keys, spec, &err) != 0) {
            cli_report_error(&err);
            return EXIT_USAGE;
        }
    }
    if (cli_check_target(out_path, force, path) != 0) {
        scenario_destroy(s);
        return EXIT_USAGE;
    }
    if (strcmp(sub, "sort") == 0) {
        if (!out_path) {
            scenario_destroy(s);
            return cli_usage_error("trace", "sort needs --out FILE");
        }
        int64_t budget = 256000000;
        char why[200];
        if (buffer_text && (units_parse_size(buffer_text, &budget, why, sizeof why) != 0 ||
                            budget < 65536)) {
            scenario_destroy(s);
            return cli_usage_error("trace", "--buffer wants a size of at least 64kB, such as "
                                            "256MB");
        }
        struct trace_sort_stats ss;
        memset(&err, 0, sizeof err);
        rc = trace_sort_file(use->path, out_path, use, NULL, (size_t)budget, &ss, &err);
        scenario_destroy(s);
        if (rc != 0) {
            cli_report_error(&err);
            return err.line ? EXIT_USAGE : EXIT_RUN;
        }
        fprintf(stderr, "slsim: sorted %llu rows (%llu runs)%s", (unsigned long long)ss.rows,
                (unsigned long long)ss.runs,
                ss.out_of_order ? "" : "; the input was already in order");
        if (ss.out_of_order)
            fprintf(stderr, "; %llu rows were out of order, the latest by %.3f s",
                    (unsigned long long)ss.out_of_order, (double)ss.max_lateness_ns / 1e9);
        fputc('\n', stderr);
        return EXIT_OK;
    }
    if (strcmp(sub, "convert") == 0) {
        if (!out_path) {
            scenario_destroy(s);
            return cli_usage_error("trace", "convert needs --out FILE");
        }
        struct cli_progress progress;
        cli_progress_init(&progress, 1, quiet, show_progress, "rows");
        struct convert_args args = {use, &err, &progress};
        memset(&err, 0, sizeof err);
        rc = convert_to_file(out_path, force, &args);
        cli_progress_done(&progress);
        scenario_destroy(s);
        return rc;
    }
    struct stats st = {.spec = use, .top = 10};
    if (top_text) {
        char *end;
        long n = strtol(top_text, &end, 10);
        if (*end || n < 0 || n > 1000000) {
            scenario_destroy(s);
            return cli_usage_error("trace", "--top wants a whole number");
        }
        st.top = (uint32_t)n;
    }
    struct cli_progress progress;
    cli_progress_init(&progress, 1, quiet, show_progress, "rows");
    st.progress = &progress;
    int collect_rc = stats_collect(&st, &err);
    cli_progress_done(&progress);
    if (collect_rc == 0)
        collect_rc = stats_check(&st, &err);
    if (collect_rc != 0) {
        cli_report_error(&err);
        stats_free(&st);
        scenario_destroy(s);
        return err.file[0] ? EXIT_USAGE : EXIT_RUN;
    }
    struct stats_out o = {&st, fmt};
    rc = cli_emit(out_path, force, write_stats, &o);
    stats_free(&st);
    scenario_destroy(s);
    return rc;
}

static int cmd_trace(int argc, char **argv)
{
    struct trace_spec spec;
    trace_spec_default(&spec);
    int rc = cmd_trace_inner(argc, argv, &spec);
    trace_spec_free(&spec);
    return rc;
}

const struct command cmd_trace_entry = {
    "trace", cmd_trace, "look at a trace: stats, convert, sort, synth", trace_help,
};
