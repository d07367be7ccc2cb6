/* sizing.h - `count: auto`: the smallest dedicated fleet that meets the SLO.
 *
 * The fleet is sized for the workload's peak rate (spikes excluded: they are
 * bursts a queue or an overflow tier absorbs, and sizing for them would price a
 * fleet for minutes a week). Erlang-C gives the first guess for M/M/c with
 * c = machines x slots; simulation at the peak rate confirms it and walks to the
 * smallest count that meets the objective, so one machine fewer misses it. */
#ifndef SLSIM_SIZING_H
#define SLSIM_SIZING_H

#include <stdint.h>

#include "slsim/error.h"
#include "slsim/scenario.h"

/* The highest arrival rate of the pattern, spikes excluded (per second). */
double sizing_peak_rate(const struct workload_spec *w);

/* Erlang-C probability of waiting for c servers at offered load a (a < c). */
double sizing_erlang_c(uint32_t c, double a);

/* Fewest machines of `slots` slots for which M/M/c at rate lambda_per_s with mean
 * service mean_s (already divided by speed) has P(wait + mean service > limit)
 * within 1 - percentile/100 by Erlang-C's waiting-time tail. */
uint32_t sizing_erlang_c_guess(double lambda_per_s, double mean_s, uint32_t slots,
                               const struct slo_spec *slo);

/* Simulate deployment d of s with `count` machines under Poisson arrivals at rate
 * lambda_per_s (long enough for the SLO's percentile) and set *met. */
int sizing_meets_slo(const struct scenario *s, size_t d, uint32_t count, double lambda_per_s,
                     int *met, struct slsim_error *err);

/* Resolve every `count: auto` fleet of s for rate lambda_per_s (<= 0: the
 * workload's peak). 0, or -1 with err set (no fleet up to the limit meets the SLO). */
int sizing_resolve(struct scenario *s, double lambda_per_s, struct slsim_error *err);

#endif
