/* sizing.h - `count: auto`: the smallest dedicated fleet that meets the SLO.
 *
 * The rule: the smallest count whose full-length run of the scenario itself (its
 * arrival pattern with on/off, diurnal cycle and spikes, its duration, warm-up,
 * seed and replications; autoscaling off) meets the SLO as `slsim run` judges it
 * (slo_met in every replication), searching up from the floor
 * floor(peak load / slots) + 1, where peak load = peak arrival rate (spikes
 * included) x mean service time / speed. Below the floor the fleet is overloaded at
 * the peak. Erlang-C at the peak rate gives the first count tried; galloping from
 * it brackets the answer and bisection finishes, so the number of full-length runs
 * grows with the logarithm of the distance from the guess. */
#ifndef SLSIM_SIZING_H
#define SLSIM_SIZING_H

#include <stdint.h>

#include "slsim/error.h"
#include "slsim/scenario.h"

/* What the search for one fleet found and did. */
struct sizing_outcome {
    double peak_rate_per_s; /* highest arrival rate over [0, duration), spikes included (/s) */
    double peak_load;       /* peak_rate_per_s x mean service / speed: busy slots at the peak */
    uint32_t floor;         /* floor(peak_load / slots) + 1: the smallest count tried */
    uint32_t guess;         /* Erlang-C's count at the peak rate (at least floor): the first run */
    uint32_t count;         /* the answer */
    uint32_t runs;          /* full-length runs of the scenario (a replication is one run) */
    uint32_t cut;           /* of which stopped early: more misses than the SLO allows */
};

/* The highest arrival rate (per second) of s's workload over [0, duration):
 * poisson and constant: rate; on/off: the rate while on; diurnal: the daily peak
 * (or the highest rate reached, for a run shorter than half a period); each spike
 * multiplies the highest base rate inside its window. A spike with a factor below 1
 * is not taken off the peak. Not for traces (0 then is returned as their rate). */
double sizing_peak_rate(const struct scenario *s);


/* Fewest machines of `slots` slots for which M/M/c at rate lambda_per_s with mean
 * service mean_s (already divided by speed) has P(wait > limit - mean_s) within
 * 1 - percentile/100 by Erlang-C's waiting-time tail C(c, a) exp(-(c mu - lambda) t);
 * exact only for exponential service, a starting point otherwise. At most
 * SCENARIO_MAX_FLEET. */
uint32_t sizing_erlang_c_guess(double lambda_per_s, double mean_s, uint32_t slots,
                               const struct slo_spec *slo);

/* Size `count: auto` fleet d of s (dedicated, count_auto, with an objective) by
 * the rule above; s is not changed. 0 with *out filled, or -1 with err set, naming
 * s's file, the deployment and the reason, when no count can meet the SLO:
 * - at once, without simulating, when the service time alone exceeds the SLO
 *   latency for more than 1 - percentile/100 of requests (no queue can help);
 * - at once when the floor is above SCENARIO_MAX_FLEET;
 * - when the run at SCENARIO_MAX_FLEET misses too.
 * A failed simulation (out of memory) also gives -1, with err->file empty.
 * Each run is cut short as soon as its misses exceed what the percentile allows
 * (an exact verdict, run_deployment_until_misses), which also bounds the queue of
 * a fleet too small for the peak. */
int sizing_fleet(const struct scenario *s, size_t d, struct sizing_outcome *out,
                 struct slsim_error *err);

/* Resolve every `count: auto` fleet of s with sizing_fleet: fleet.count and
 * fleet.count_auto_peak_rate_per_s are filled. 0, or -1 with err set. */
int sizing_resolve(struct scenario *s, struct slsim_error *err);

#endif
