/* reachable.c - whether any fleet could meet the objective `count: auto` sizes for.
 *
 * Checked when a scenario is loaded, so that `validate` refuses what `run` would:
 * cheap, no simulation. */
#include <stdio.h>

#include "slsim/scenario.h"

int scenario_check_reachable(const struct scenario *s, size_t d, struct slsim_error *err)
{
    const struct deployment_spec *dep = &s->deployments[d];
    const struct fleet_spec *f = deployment_fleet(dep);
    const struct slo_spec *slo = &s->slo;
    double speed = fleet_perf_speed(f, &s->model, s->catalog);
    /* A request takes its service time even with no wait: if more of them than
     * the percentile allows take longer than the limit, no fleet can help. */
    double q = slo->percentile / 100.0;
    double within = dist_cdf(&s->model.service, (double)slo->latency_ns / 1e9 * speed);
    if (within >= q)
        return 0;
    char limit[32], pct[32];
    units_format_duration(slo->latency_ns, limit, sizeof limit);
    units_format_duration((sim_time)(dist_quantile_s(&s->model.service, q) / speed * 1e9),
                          pct, sizeof pct);
    return scenario_error_at(s, "slo", err,
                           "deployment \"%s\": no fleet can meet the SLO (%g%% within %s): "
                           "the service time alone is above %s for %.3g%% of requests "
                           "(its p%g is %s on %s at speed %g)",
                           dep->name, slo->percentile, limit, limit, 100.0 * (1.0 - within),
                           slo->percentile, pct, f->instance, speed);
}
