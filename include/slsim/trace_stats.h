/* trace_stats.h - what a trace holds, as `slsim trace stats` reports it: its size,
 * span, rate per minute, burstiness, idle times and busiest functions.
 *
 * The figures describe the requests a replay of the trace sees. A count format
 * summed from its counts (per_arrival 0) has no per-arrival figures: its arrivals
 * within an interval are drawn at replay. The report layer writes a struct
 * trace_stats (report_write_trace_stats, report.h); every pointer in it is
 * borrowed. */
#ifndef SLSIM_TRACE_STATS_H
#define SLSIM_TRACE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/trace.h"

/* One of the busiest functions: its name and its number of requests. */
struct trace_stats_function {
    const char *name;
    uint64_t requests;
};

struct trace_stats {
    const char *path;          /* the trace file, as named */
    enum trace_format format;  /* its format */
    int per_arrival;           /* 1: read arrival by arrival; 0: summed from counts */
    uint64_t requests;         /* requests in the trace (> 0) */
    uint32_t functions;        /* functions with a request */
    double span_s;             /* first to last request, s (counts: interval start to end) */
    double rate_per_min_mean;  /* requests per minute from time 0 to the last request's */
    double rate_per_min_peak;  /* the busiest bin's, per minute */
    double peak_to_mean;       /* peak / mean; 0 when the mean is 0 */
    double duty_cycle;         /* share of bins with a request, in [0, 1] */
    double series_bin_min;     /* width of a series bin, minutes: 1, or a power of 2
                                * when the span is too long for one-minute bins */
    const uint64_t *series;    /* requests per bin from time 0, n_series of them */
    size_t n_series;
    double interarrival_cv;    /* per_arrival: the gaps' coefficient of variation */
    double idle_p50_s, idle_p90_s, idle_p99_s; /* per_arrival: per-function idle times, s */
    uint64_t with_duration;    /* requests with a duration */
    double duration_sum_s;     /* the sum of those durations, s */
    int tokens;                /* 1: the format gives each request's tokens (azure-llm) */
    uint64_t prompt_tokens;    /* tokens: the requests' prompt tokens, summed */
    uint64_t output_tokens;    /* tokens: their output tokens, summed */
    uint64_t skipped_rows;     /* malformed rows skipped (skip_bad) */
    const struct trace_stats_function *top; /* the n_top busiest, busiest first; */
    uint32_t n_top;                         /* ties in the trace's function order */
};

#endif
