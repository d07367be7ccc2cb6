/* sizing.c - `count: auto`: the smallest fleet whose full-length run meets the SLO.
 *
 * Every probe is the scenario itself with the fleet at some count: the same
 * requests (common random numbers), the same measured period, the same verdict
 * `slsim run` reports. Shorter probes at the mean rate were cheaper but wrong in
 * both directions: they left spikes out, and near saturation ended before an
 * overloaded queue had grown enough to show.
 *
 * The search is a bisection, which is sound because the verdict is monotone in the
 * count: in a FIFO queue of identical servers fed the same arrivals and service
 * times, one more server never delays any request's start (the sorted vector of
 * the servers' next-free times only goes down, request by request), so no latency
 * rises and no miss appears. With `max_queue` drops this is assumed, not proved.
 *
 * Counts below floor(peak load / slots) + 1 are overloaded at the peak and are not
 * tried. Erlang-C at the peak rate (exact for M/M/c in steady state) gives the
 * first count; from there the search gallops (steps 1, 2, 4, ...) until it has a
 * count that meets and one that misses, then bisects between them: O(log d) runs
 * for an answer d away from the guess, and a guess within one costs two runs.
 *
 * A run stops once its misses exceed what the percentile allows for the measured
 * requests (counted beforehand from the workload alone, which no count changes):
 * the verdict is then known exactly. Every count tried is above the peak load, so
 * the queue is stable and memory stays bounded by live state; the cut also ends
 * the long runs of fleets that miss. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/run.h"
#include "slsim/sizing.h"
#include "slsim/workload.h"

/* The highest base rate (spikes left out) over [from, to), from < to. */
static double base_peak(const struct workload_spec *w, sim_time from, sim_time to)
{
    switch (w->arrival) {
    case ARRIVAL_ONOFF: {
        sim_time period = w->period_ns, phase = from % period;
        if ((double)phase < w->duty_cycle * (double)period)
            return w->rate_per_s;
        return from - phase + period < to ? w->rate_per_s : 0.0; /* the next on-phase */
    }
    case ARRIVAL_DIURNAL: {
        struct workload_spec flat = *w;
        flat.n_spikes = 0;
        sim_time period = w->period_ns, mid = from - from % period + period / 2;
        if (mid < from)
            mid += period;
        if (mid < to) /* the cycle peaks at mid-period */
            return workload_rate_at(&flat, mid);
        return fmax(workload_rate_at(&flat, from), workload_rate_at(&flat, to - 1));
    }
    case ARRIVAL_POISSON:
    case ARRIVAL_CONSTANT:
    case ARRIVAL_TRACE:
        break;
    }
    return w->rate_per_s;
}

double sizing_peak_rate(const struct scenario *s)
{
    const struct workload_spec *w = &s->workload;
    double peak = base_peak(w, 0, s->duration_ns);
    for (size_t i = 0; i < w->n_spikes; i++) {
        const struct spike *sp = &w->spikes[i];
        sim_time from = sp->at_ns > 0 ? sp->at_ns : 0;
        sim_time to = sim_time_add(sp->at_ns, sp->duration_ns);
        if (to > s->duration_ns)
            to = s->duration_ns;
        if (from < to)
            peak = fmax(peak, sp->factor * base_peak(w, from, to));
    }
    return peak;
}

uint32_t sizing_erlang_c_guess(double lambda_per_s, double mean_s, uint32_t slots,
                               const struct slo_spec *slo)
{
    double a = lambda_per_s * mean_s, mu = 1.0 / mean_s;
    double t = (double)slo->latency_ns / 1e9 - mean_s;
    double miss = 1.0 - slo->percentile / 100.0;
    double max_servers = (double)SCENARIO_MAX_FLEET * slots;
    if (!(a + 1 < max_servers))
        return SCENARIO_MAX_FLEET;
    uint64_t c = (uint64_t)floor(a) + 1;
    double b = 1.0; /* Erlang-B, carried from one c to the next: O(1) a step */
    for (uint64_t k = 1; k <= c; k++)
        b = a * b / ((double)k + a * b);
    while (t > 0 && (double)c < max_servers) {
        double erlang_c = b / (1.0 - a / (double)c * (1.0 - b));
        if (erlang_c * exp(-((double)c * mu - lambda_per_s) * t) <= miss)
            break;
        c++;
        b = a * b / ((double)c + a * b);
    }
    uint64_t machines = (c + slots - 1) / slots;
    return machines < SCENARIO_MAX_FLEET ? (uint32_t)machines : SCENARIO_MAX_FLEET;
}

/* The service time's q-quantile in seconds (q in (0, 1)), by bisection on its
 * distribution function: only for the message of an infeasible objective. */
struct search {
    const struct scenario *s;
    size_t d;
    uint64_t *allowed;           /* misses each replication may have */
    struct sizing_outcome *out;
};

/* Does the scenario meet the SLO with deployment d at `count` machines, in every
 * replication? One full-length run per replication, each cut at its allowance. */
static int meets(struct search *q, uint32_t count, int *met, struct slsim_error *err)
{
    struct scenario probe = *q->s; /* borrows what s owns */
    struct trial t = {.s = q->s, .deployment = q->d, .fleet_count = count};
    struct deployment_spec dep = trial_deployment(&t);
    probe.deployments = &dep;
    probe.n_deployments = 1;
    *met = 1;
    for (uint32_t rep = 0; rep < q->s->replications && *met; rep++) {
        struct deployment_result r;
        int cut = 0;
        q->out->runs++;
        if (run_deployment_until_misses(&probe, 0, rep, q->allowed[rep], &cut, &r, err) != 0)
            return -1;
        if (cut) {
            q->out->cut++;
            *met = 0;
            continue;
        }
        *met = result_slo_met(&r, &q->s->slo);
        result_free(&r);
    }
    return 0;
}

/* The smallest count in [out->floor, SCENARIO_MAX_FLEET] that meets, searched
 * from out->guess; 1 when there is none. */
static int search_count(struct search *q, uint32_t *count, struct slsim_error *err)
{
    uint32_t floor_ = q->out->floor, lo, hi; /* lo misses, hi meets */
    int met;
    if (meets(q, q->out->guess, &met, err) != 0)
        return -1;
    if (met) {
        hi = q->out->guess;
        for (uint32_t step = 1;; step *= 2) { /* gallop down */
            if (hi == floor_) {
                *count = hi;
                return 0;
            }
            uint32_t c = hi - floor_ > step ? hi - step : floor_;
            if (meets(q, c, &met, err) != 0)
                return -1;
            if (!met) {
                lo = c;
                break;
            }
            hi = c;
        }
    } else {
        lo = q->out->guess;
        for (uint32_t step = 1;; step *= 2) { /* gallop up */
            if (lo == SCENARIO_MAX_FLEET)
                return 1;
            uint32_t c = SCENARIO_MAX_FLEET - lo > step ? lo + step : SCENARIO_MAX_FLEET;
            if (meets(q, c, &met, err) != 0)
                return -1;
            if (met) {
                hi = c;
                break;
            }
            lo = c;
        }
    }
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (meets(q, mid, &met, err) != 0)
            return -1;
        if (met)
            hi = mid;
        else
            lo = mid;
    }
    *count = hi;
    return 0;
}

int sizing_fleet(const struct scenario *s, size_t d, struct sizing_outcome *out,
                 struct slsim_error *err)
{
    const struct deployment_spec *dep = &s->deployments[d];
    const struct fleet_spec *f = deployment_fleet(dep);
    const struct slo_spec *slo = &s->slo;
    memset(out, 0, sizeof *out);
    /* a machine's time per request at its best (full batches where it batches) */
    double mean_s = fleet_request_s(f, &s->model, s->catalog);
    char limit[32];
    units_format_duration(slo->latency_ns, limit, sizeof limit);
    if (scenario_check_reachable(s, d, err) != 0)
        return -1;

    out->peak_rate_per_s = sizing_peak_rate(s);
    out->peak_load = out->peak_rate_per_s * mean_s;
    double floor_d = floor(out->peak_load / f->slots) + 1;
    if (!(floor_d <= SCENARIO_MAX_FLEET))
        return scenario_error_at(s, "slo", err,
                               "deployment \"%s\": the peak of %g requests/s keeps %.6g slots "
                               "busy, more than %d machines of %u slots hold (the largest fleet "
                               "count: auto tries)",
                               dep->name, out->peak_rate_per_s, out->peak_load,
                               SCENARIO_MAX_FLEET, f->slots);
    out->floor = (uint32_t)floor_d;
    out->guess = sizing_erlang_c_guess(out->peak_rate_per_s, mean_s, f->slots, slo);
    if (out->guess < out->floor)
        out->guess = out->floor;

    struct search search = {.s = s, .d = d, .out = out};
    search.allowed = calloc(s->replications, sizeof *search.allowed);
    if (!search.allowed)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    int rc = 0;
    for (uint32_t rep = 0; rep < s->replications && rc == 0; rep++) {
        uint64_t n = run_measured_requests(s, rep, err);
        if (n == UINT64_MAX)
            rc = -1;
        else
            search.allowed[rep] = result_slo_allowed_misses(n, slo);
    }
    if (rc == 0)
        rc = search_count(&search, &out->count, err);
    free(search.allowed);
    if (rc == 1)
        return scenario_error_at(s, "slo", err,
                               "deployment \"%s\": no fleet of up to %d %s (the largest count: "
                               "auto tries) meets the SLO (%g%% within %s) with a peak of %g "
                               "requests/s",
                               dep->name, SCENARIO_MAX_FLEET, f->instance, slo->percentile,
                               limit, out->peak_rate_per_s);
    return rc;
}

int sizing_resolve(struct scenario *s, struct slsim_error *err)
{
    for (size_t d = 0; d < s->n_deployments; d++) {
        struct fleet_spec *f = deployment_fleet_mut(&s->deployments[d]);
        if (s->deployments[d].type != DEPLOYMENT_DEDICATED || !f->count_auto)
            continue;
        struct sizing_outcome o;
        if (sizing_fleet(s, d, &o, err) != 0)
            return -1;
        f->count = o.count;
        f->count_auto_peak_rate_per_s = o.peak_rate_per_s;
    }
    return 0;
}
