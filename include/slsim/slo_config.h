/* slo_config.h - the scenario's `slo:` section (docs/SCENARIO.md). */
#ifndef SLSIM_SLO_CONFIG_H
#define SLSIM_SLO_CONFIG_H

#include "slsim/error.h"
#include "slsim/result.h"

struct ynode;

/* Fill *slo from n, the value of `slo:` (key path "slo"): empty, or one
 * latency_pNN: DURATION (latency_p99 is 99, latency_p999 and latency_p99.9 are 99.9),
 * the percentile above 0 and below 100 and the latency above 0. *slo is left as it
 * was for an empty value. 0, or -1 with err set at the offending key or value. */
int slo_spec_parse(struct slsim_error *err, const struct ynode *n, struct slo_spec *slo);

#endif
