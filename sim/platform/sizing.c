/* sizing.c - `count: auto` by Erlang-C, confirmed by simulation.
 *
 * Erlang-C's waiting-time tail, P(W > t) = C(c, a) exp(-(c mu - lambda) t), with
 * t = limit - mean service, is exact only for exponential service; the simulation
 * at the peak rate corrects it for the real service distribution and slots. The
 * search assumes more machines never hurt latency, which holds for a FIFO queue. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "slsim/run.h"
#include "slsim/sizing.h"

#define SIZING_MAX_STEPS 4096

double sizing_peak_rate(const struct workload_spec *w)
{
    return w->arrival == ARRIVAL_DIURNAL ? w->rate_per_s * w->peak_to_mean : w->rate_per_s;
}

double sizing_erlang_c(uint32_t c, double a)
{
    double b = 1.0; /* Erlang-B by recursion, then C = B / (1 - (a/c)(1 - B)) */
    for (uint32_t k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b / (1.0 - a / c * (1.0 - b));
}

uint32_t sizing_erlang_c_guess(double lambda_per_s, double mean_s, uint32_t slots,
                               const struct slo_spec *slo)
{
    double a = lambda_per_s * mean_s, mu = 1.0 / mean_s;
    double t = (double)slo->latency_ns / 1e9 - mean_s;
    double miss = 1.0 - slo->percentile / 100.0;
    uint32_t c = (uint32_t)floor(a) + 1;
    for (int i = 0; i < 1000000 && t > 0; i++, c++)
        if (sizing_erlang_c(c, a) * exp(-(c * mu - lambda_per_s) * t) <= miss)
            break;
    return (c + slots - 1) / slots;
}

int sizing_meets_slo(const struct scenario *s, size_t d, uint32_t count, double lambda_per_s,
                     int *met, struct slsim_error *err)
{
    /* Enough requests that the percentile rests on a hundred or more misses. */
    double miss = 1.0 - s->slo.percentile / 100.0;
    double n = fmax(2e5, 100.0 / miss);
    if (n > 2e6)
        n = 2e6;
    struct scenario probe = *s;
    struct deployment_spec dep = s->deployments[d];
    dep.fleet.count = count;
    dep.fleet.count_auto = 0;
    dep.fleet.autoscale.enabled = 0;
    probe.deployments = &dep;
    probe.n_deployments = 1;
    probe.workload.arrival = ARRIVAL_POISSON;
    probe.workload.rate_per_s = lambda_per_s;
    probe.workload.n_spikes = 0;
    probe.warmup_ns = (sim_time)(0.1 * n / lambda_per_s * 1e9);
    probe.duration_ns = probe.warmup_ns + (sim_time)(n / lambda_per_s * 1e9);
    struct deployment_result r;
    if (run_deployment(&probe, 0, 0, 0, &r, err) != 0)
        return -1;
    *met = result_slo_met(&r, &s->slo);
    result_free(&r);
    return 0;
}

int sizing_resolve(struct scenario *s, double lambda_per_s, struct slsim_error *err)
{
    double lambda = lambda_per_s > 0 ? lambda_per_s : sizing_peak_rate(&s->workload);
    for (size_t d = 0; d < s->n_deployments; d++) {
        struct fleet_spec *f = &s->deployments[d].fleet;
        if (s->deployments[d].type != DEPLOYMENT_DEDICATED || !f->count_auto)
            continue;
        double mean_s = dist_mean_s(&s->model.service) / f->speed;
        uint32_t count = sizing_erlang_c_guess(lambda, mean_s, f->slots, &s->slo);
        int met = 0, steps = 0;
        if (sizing_meets_slo(s, d, count, lambda, &met, err) != 0)
            return -1;
        while (!met) {
            if (++steps > SIZING_MAX_STEPS)
                return slsim_error_set(err, s->path, 0, 0, NULL,
                                       "deployment \"%s\": no fleet of up to %u %s meets the SLO "
                                       "at %g requests/s",
                                       s->deployments[d].name, count, f->instance, lambda);
            count += count / 8 + 1;
            if (sizing_meets_slo(s, d, count, lambda, &met, err) != 0)
                return -1;
        }
        while (count > 1) {
            int fewer = 0;
            if (sizing_meets_slo(s, d, count - 1, lambda, &fewer, err) != 0)
                return -1;
            if (!fewer)
                break;
            count--;
        }
        f->count = count;
    }
    return 0;
}
