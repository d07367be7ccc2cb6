/* slo_config.h - the scenario's `slo:` section (docs/SCENARIO.md). */
#ifndef SLSIM_SLO_CONFIG_H
#define SLSIM_SLO_CONFIG_H

#include "slsim/error.h"
#include "slsim/result.h"

struct ynode;

/* Fill *slo from n, the value of `slo:` (key path "slo"): empty, or a mapping of at
 * most one objective of each family, KEY: DURATION, each KEY a family's prefix and a
 * percentile: latency_pNN (latency), ttft_pNN (an LLM's time to first token),
 * tpot_pNN (an LLM's time per output token); NN as in latency_p99 (99),
 * latency_p999 and latency_p99.9 (99.9), the percentile above 0 and below 100 and
 * the duration above 0. is_llm: 1 when the scenario's model is an LLM (model.llm);
 * else ttft_pNN and tpot_pNN are refused, naming the key. *slo is left as it was for
 * an empty value and keeps what n does not give. 0, or -1 with err set at the
 * offending key or value. */
int slo_spec_parse(struct slsim_error *err, const struct ynode *n, int is_llm,
                   struct slo_spec *slo);

/* Fill slo->windows from n, the value of `windows:` (key path "windows"): empty, or a
 * sequence of {name, from, to, function}: name an identifier unique among them,
 * warmup_ns <= from < to <= duration_ns (durations), function (optional) a 1-based
 * function index up to `functions` (>= 1; 0: a trace, whose functions are numbered
 * only as it is read, so `function` is refused). 0, or -1 with err set at the
 * offending key; nothing is kept on error. */
int windows_spec_parse(struct slsim_error *err, const struct ynode *n, sim_time warmup_ns,
                       sim_time duration_ns, double functions, struct slo_spec *slo);

/* Free slo's windows. */
void windows_spec_free(struct slo_spec *slo);

/* 1 when slo holds an objective of any family (latency, TTFT, TPOT). */
static inline int slo_spec_any(const struct slo_spec *slo)
{
    return slo->percentile > 0 || slo->ttft_percentile > 0 || slo->tpot_percentile > 0;
}

#endif
