/* keepalive.h - the "hybrid histogram" keep-alive policy of Shahrad et al.,
 * "Serverless in the Wild" (USENIX ATC '20), for one function.
 *
 * The caller feeds the idle times of a function (end of one invocation to the
 * start of the next) and, after each invocation ends, asks for two windows:
 * unload the instance at once and load it again prewarm_ns later (0: keep the
 * instance that just finished), then keep it loaded for keep_alive_ns more.
 * Idle times go into 1-minute bins up to 4 hours; longer ones are out of bounds
 * (OOB) and only counted. ka_hist_decide picks, in this order:
 *
 *   1. KA_FORECAST when more than oob_fraction of the idle times are OOB: the
 *      histogram cannot see them, so a forecast F of the next idle time sets
 *      prewarm = (1 - forecast_margin) F, keep-alive = 2 forecast_margin F, a
 *      window centred on F. The paper uses ARIMA; F here is an exponentially
 *      weighted mean of the OOB idle times only (weight forecast_alpha on the
 *      newest), a simplification: it follows a drifting level but sees no trend or
 *      season, and in-range idle times are left out because a mean of a 2-minute
 *      and a 6-hour gap predicts neither.
 *   2. KA_FALLBACK (no pre-warm, keep-alive fallback_ns) when fewer than
 *      min_samples idle times are in range, or when the histogram is not
 *      concentrated: the coefficient of variation of the bin counts (population
 *      standard deviation over all range_ns / bin_ns bins, empty ones included,
 *      divided by their mean) is below cv_threshold. A high CV means a few
 *      dominant bins; idle times spread evenly over the range give 0.
 *   3. KA_HISTOGRAM otherwise: head = the prewarm_pct percentile, tail = the
 *      keep_alive_pct percentile of the in-range idle times (nearest rank, OOB ones
 *      not counted), head taken at its bin's low edge and tail at its bin's high
 *      edge so the bin width never cuts the window short; prewarm = (1 - margin)
 *      head, keep-alive = (1 + margin) tail - prewarm.
 *
 * Choices where open implementations differ (defaults in ka_hist_params_default):
 * - CV of the bin counts, as the paper describes, not the CV of the idle times
 *   (one OpenWhisk port tests mean/sd of the idle times instead). It measures how
 *   concentrated the idle times are relative to the 4-hour range, not how regular
 *   they are: Poisson arrivals with a 10-minute mean fill ~20 effective bins and
 *   have CV ~3.3, so at the default threshold 2 they count as representative
 *   (and the histogram's ~50-minute window is the better decision for them than a
 *   4-hour fallback); with a 60-minute mean, CV ~1.2 and they fall back.
 *   Sampling noise has a floor: n idle times in n distinct bins give
 *   CV = sqrt(bins / n - 1), 4.8 for n = 10, so small samples look concentrated;
 *   min_samples is the guard.
 * - Threshold 2, representative when CV >= 2, as in DSLab FaaS's port. A stricter
 *   threshold rejects jittered periodic functions (30 min +- 7 min: CV ~4.8).
 * - 5th and 99th percentiles and a 10% margin, as in the paper.
 * - The OOB test comes first and does not need min_samples: a function called
 *   every 6 hours gets a forecast after its first idle time instead of ten cold
 *   starts under a 4-hour fallback that can never catch it.
 * - The histogram never forgets, as in the paper: a changed pattern shows slowly.
 *
 * Observing is O(1) and allocates nothing; deciding is O(bins). No global state:
 * each function owns its struct ka_hist. */
#ifndef SLSIM_KEEPALIVE_H
#define SLSIM_KEEPALIVE_H

#include <stdint.h>

#include "slsim/error.h"
#include "slsim/units.h"

#define KA_HIST_MAX_BINS 1000000 /* range_ns / bin_ns above this is refused (8 MB per function) */

struct ka_hist_params {
    sim_time bin_ns;        /* histogram bin width, ns (default 1 min) */
    sim_time range_ns;      /* histogram range, ns, a multiple of bin_ns; >= this is OOB (default 4 h) */
    double prewarm_pct;     /* head percentile, 0..100 (default 5) */
    double keep_alive_pct;  /* tail percentile, prewarm_pct..100 (default 99) */
    double margin;          /* fraction taken off the head and added to the tail, 0..1 (default 0.10) */
    double cv_threshold;    /* histogram representative when CV of bin counts >= this, >= 0 (default 2) */
    uint32_t min_samples;   /* in-range idle times needed before the histogram is used (default 10) */
    double oob_fraction;    /* forecast when the OOB share of idle times exceeds this, 0..1 (default 0.5) */
    double forecast_alpha;  /* weight of the newest OOB idle time in the forecast, (0, 1] (default 0.5) */
    double forecast_margin; /* forecast window is [(1 - m) F, (1 + m) F], 0..1 (default 0.15) */
    sim_time fallback_ns;   /* keep-alive when not representative, ns, >= 0 (default 4 h, the range) */
};

/* Which rule made a decision. */
enum ka_mode {
    KA_FALLBACK,  /* too few or too spread idle times: fixed keep-alive, no pre-warm */
    KA_HISTOGRAM, /* windows from the histogram's percentiles */
    KA_FORECAST,  /* mostly OOB idle times: windows around a forecast */
};

/* What to do after an invocation ends. */
struct ka_decision {
    sim_time prewarm_ns;    /* time after the end with no instance loaded, ns; 0: keep the instance */
    sim_time keep_alive_ns; /* time the instance then stays loaded, ns (may be SIM_TIME_FOREVER) */
    enum ka_mode mode;      /* the rule that chose the windows */
};

struct ka_hist; /* one function's idle-time histogram and forecast; opaque */

/* Fill p with the defaults listed in struct ka_hist_params. */
void ka_hist_params_default(struct ka_hist_params *p);

/* Check p for ka_hist_create: 0 when valid, else -1 with err (which may be NULL)
 * naming key (the parameters' dotted key path, may be NULL) and the bad field. */
int ka_hist_params_check(const struct ka_hist_params *p, const char *key,
                         struct slsim_error *err);

/* A histogram with no observations, using a copy of p. Precondition: p passes
 * ka_hist_params_check (asserted). Returns NULL when out of memory; the caller
 * owns the result and frees it with ka_hist_destroy. */
struct ka_hist *ka_hist_create(const struct ka_hist_params *p);

/* Free h (NULL is allowed). */
void ka_hist_destroy(struct ka_hist *h);

/* Record one idle time, ns. A negative one (the next invocation started before
 * the previous ended) counts as 0. O(1), no allocation. */
void ka_hist_observe(struct ka_hist *h, sim_time idle_ns);

/* The windows for the next idle period, from everything observed so far (see the
 * rules at the top of this file). With no observations: KA_FALLBACK. O(bins). */
struct ka_decision ka_hist_decide(const struct ka_hist *h);

/* Idle times recorded in range and out of bounds. */
uint64_t ka_hist_count_in_range(const struct ka_hist *h);
uint64_t ka_hist_count_oob(const struct ka_hist *h);

/* Coefficient of variation of the bin counts (0 while no idle time is in range). */
double ka_hist_cv(const struct ka_hist *h);

/* The current forecast of the next idle time, ns (0 before any OOB idle time). */
double ka_hist_forecast_ns(const struct ka_hist *h);

/* "fallback", "histogram" or "forecast". */
const char *ka_mode_name(enum ka_mode m);

#endif
