/* compare.c - the duty-cycle sweep behind `slsim compare`.
 *
 * Each grid point is the scenario with its workload turned into on/off traffic at
 * the same rate while on (trial_scenario_at). The on/off generator maps one Poisson
 * clock of active time onto the wall clock, so the points see nested request
 * streams and the cost curves are smooth in the duty cycle, which is what makes
 * linear interpolation between points meaningful.
 *
 * Every (point, replication, deployment) is one trial on one job pool; a trial
 * keeps only the numbers a point reports, in its own slot, and a point's numbers
 * are the means of its replications', as `slsim run` reports them.
 *
 * Simplifications, said where they are made:
 * - `constant` arrivals become Poisson while on (the on/off pattern is Poisson).
 * - `count: auto` fleets are sized once, on the scenario always on (duty cycle 1,
 *   spikes kept): what changes with the duty cycle is how long that fleet idles,
 *   not its size. */
#include <stdlib.h>
#include <string.h>

#include "compare_internal.h"
#include "jobs.h"
#include "slsim/sizing.h"
#include "slsim/slo_config.h"
#include "slsim/summary.h"
#include "slsim/workload.h"

int compare_check_scenario(const struct scenario *s, struct slsim_error *err)
{
    switch (s->workload.arrival) {
    case ARRIVAL_POISSON:
    case ARRIVAL_CONSTANT:
    case ARRIVAL_ONOFF:
        return 0;
    case ARRIVAL_DIURNAL:
        break;
    case ARRIVAL_TRACE:
        return scenario_error_at(s, "workload.arrival", err,
                               "compare varies the duty cycle of an on/off pattern; a trace "
                               "brings its own arrivals (use run, or time_scale and rate_scale)");
    }
    return scenario_error_at(s, "workload.arrival", err,
                           "compare varies the duty cycle of an on/off pattern; a %s workload "
                           "has no duty cycle to vary. Make it on/off (rate then means the "
                           "rate while on), e.g. --set workload.arrival=onoff --set "
                           "workload.duty_cycle=1 --set workload.peak_to_mean=",
                           scenario_arrival_name(s->workload.arrival));
}

sim_time compare_period_ns(const struct scenario *s)
{
    return trial_period_ns(s);
}

/* Every point's expected arrivals within the scenario loader's limit: the file was
 * checked at its own duty cycle, and a point of the grid (or the always-on run that
 * sizes a `count: auto` fleet) may ask for far more. */
static int check_volume(const struct scenario *s, const double *duty, size_t n,
                        struct slsim_error *err)
{
    int sizing = 0;
    for (size_t d = 0; d < s->n_deployments; d++)
        sizing |= s->deployments[d].type != DEPLOYMENT_SERVERLESS &&
                  deployment_fleet(&s->deployments[d])->count == 0;
    for (size_t k = 0; k <= n; k++) {
        if (k == n && !sizing)
            break;
        double x = k < n ? duty[k] : 1.0;
        struct scenario p = trial_scenario_at(s, x);
        double draws = workload_expected_draws(&p.workload, s->duration_ns);
        if (draws > SCENARIO_MAX_EVENTS)
            return scenario_error_at(s, "workload.rate", err,
                                     "rate %g/s at duty cycle %g%s is %.3g expected arrivals "
                                     "per replication, above the limit of %g: lower the rate, "
                                     "the duration or the duty cycles",
                                     s->workload.rate_per_s, x,
                                     k < n ? " (--duty-cycles)"
                                           : " (the always-on run that sizes count: auto)",
                                     draws, SCENARIO_MAX_EVENTS);
    }
    return 0;
}

int compare_size_fleets(struct scenario *s, struct slsim_error *err)
{
    struct scenario always_on = trial_scenario_at(s, 1.0);
    return sizing_resolve(&always_on, err); /* fills s's own fleets */
}

/* The numbers a trial keeps: those of struct compare_cell, by summary field. */
enum { C_MONTH, C_MILLION, C_P50, C_P95, C_P99, C_RATIO, C_UTIL, C_SLO, C_COLD, C_VALUES };
static const char *const cell_paths[C_VALUES] = {
    "cost_usd.per_month", "cost_usd.per_million_requests", "latency_ms.p50", "latency_ms.p95",
    "latency_ms.p99",     "cold_start_ratio",              "utilization",    "slo_met",
    "coldstart.mean_s",
};

/* Trial slot k * reps * nd + rep * nd + d: point k, replication rep, deployment d,
 * which is also the slot its progress reports under. */
struct sweep {
    const struct scenario *s;
    const double *duty;
    size_t nd;
    uint32_t reps;
    double *values;                  /* [slot][C_VALUES] */
    struct compare_deployment *deps; /* platform names, filled by point 0's replication 0 */
    run_progress_fn progress;        /* NULL: no reports */
    void *progress_ctx;
};

static int sweep_job(void *ctx, size_t slot, struct slsim_error *err)
{
    struct sweep *sw = ctx;
    size_t per_point = sw->nd * sw->reps;
    size_t k = slot / per_point, d = slot % sw->nd;
    uint32_t rep = (uint32_t)(slot % per_point / sw->nd);
    struct trial t = {.s = sw->s, .deployment = d, .replication = rep, .duty_cycle = sw->duty[k]};
    struct trial_record r, tiers[TRIAL_MAX_TIERS];
    int rc = trial_run(&t, sw->progress, sw->progress_ctx, slot, &r, tiers, NULL, err);
    if (sw->progress)
        sw->progress(sw->progress_ctx, slot, 1.0, 0);
    if (rc != 0)
        return -1;
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t nf = summary_fields_one(&r, f);
    for (int c = 0; c < C_VALUES; c++)
        sw->values[slot * C_VALUES + c] = summary_field_value(f, nf, cell_paths[c]);
    if (k == 0 && rep == 0) {
        struct compare_deployment *cd = &sw->deps[d];
        snprintf(cd->platform, sizeof cd->platform, "%s", r.platform);
        snprintf(cd->coldstart_profile, sizeof cd->coldstart_profile, "%s",
                 r.coldstart_profile[0] ? r.coldstart_profile : "none");
        snprintf(cd->coldstart_assumed, sizeof cd->coldstart_assumed, "%s",
                 r.coldstart_assumed[0] ? r.coldstart_assumed : "none");
    }
    for (size_t i = 0; i < r.n_tiers; i++)
        trial_record_free(&tiers[i]);
    trial_record_free(&r);
    return 0;
}

/* Point k's cell for deployment d: the means over replications of its trials. */
static struct compare_cell point_cell(const struct sweep *sw, size_t k, size_t d)
{
    const double *v = &sw->values[(k * sw->reps * sw->nd + d) * C_VALUES];
    size_t stride = sw->nd * C_VALUES;
#define MEAN(c) summary_mean(v + (c), stride, sw->reps)
    return (struct compare_cell){
        .cost_usd_per_month = MEAN(C_MONTH),
        .cost_usd_per_million_requests = MEAN(C_MILLION),
        .latency_ms_p50 = MEAN(C_P50),
        .latency_ms_p95 = MEAN(C_P95),
        .latency_ms_p99 = MEAN(C_P99),
        .cold_start_ratio = MEAN(C_RATIO),
        .utilization = MEAN(C_UTIL),
        /* with replications the mean is the share that met it */
        .slo_met = MEAN(C_SLO) >= 1.0,
        .coldstart_mean_s = MEAN(C_COLD),
    };
#undef MEAN
}

void compare_result_free(struct compare_result *r)
{
    if (r->points)
        for (size_t k = 0; k < r->n_points; k++)
            free(r->points[k].cells);
    free(r->points);
    free(r->deployments);
    free(r->break_even);
    memset(r, 0, sizeof *r);
}

/* The deployments' identities, from their (sized) specs. */
static void describe_deployments(const struct scenario *s, struct compare_deployment *deps)
{
    for (size_t d = 0; d < s->n_deployments; d++) {
        const struct deployment_spec *spec = &s->deployments[d];
        struct compare_deployment *cd = &deps[d];
        snprintf(cd->name, sizeof cd->name, "%s", spec->name);
        cd->type = spec->type;
        cd->type_name = deployment_type_name(spec->type);
        const struct fleet_spec *fleet = deployment_fleet(spec);
        if (fleet) {
            cd->count = fleet->count;
            cd->count_auto = fleet->count_auto;
            cd->count_auto_peak_rate_per_s = fleet->count_auto_peak_rate_per_s;
        }
    }
}

int compare_run_progress(struct scenario *s, const double *duty_cycles, size_t n,
                         unsigned jobs, run_progress_fn progress, void *progress_ctx,
                         struct compare_result *out, struct slsim_error *err)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return slsim_error_set(err, NULL, 0, 0, "--duty-cycles", "no duty cycles");
    if (compare_check_scenario(s, err) != 0 || check_volume(s, duty_cycles, n, err) != 0)
        return -1;
    if (compare_size_fleets(s, err) != 0)
        return -1;
    size_t nd = s->n_deployments, trials = n * nd * s->replications;
    out->rate_per_s = s->workload.rate_per_s;
    out->period_ns = compare_period_ns(s);
    out->n_deployments = nd;
    out->n_points = n;
    out->deployments = calloc(nd, sizeof *out->deployments);
    out->points = calloc(n, sizeof *out->points);
    struct sweep sw = {.s = s, .duty = duty_cycles, .nd = nd, .reps = s->replications,
                       .deps = out->deployments, .progress = progress,
                       .progress_ctx = progress_ctx};
    sw.values = calloc(trials * C_VALUES, sizeof *sw.values);
    struct summary_candidate *cand = calloc(nd, sizeof *cand);
    int rc = -1;
    if (!out->deployments || !out->points || !sw.values || !cand)
        goto oom;
    for (size_t k = 0; k < n; k++)
        if (!(out->points[k].cells = calloc(nd, sizeof *out->points[k].cells)))
            goto oom;
    describe_deployments(s, out->deployments);
    /* Highest duty cycle first: the longest runs start first and the short ones fill
     * the gaps, so no thread is left with a long one at the end. */
    if (jobs_run(trials, jobs, 1, sweep_job, &sw, err) != 0)
        goto fail;

    for (size_t k = 0; k < n; k++) {
        struct compare_point *pt = &out->points[k];
        pt->duty_cycle = duty_cycles[k];
        for (size_t d = 0; d < nd; d++) {
            pt->cells[d] = point_cell(&sw, k, d);
            cand[d] = (struct summary_candidate){out->deployments[d].name,
                                                 pt->cells[d].cost_usd_per_month,
                                                 pt->cells[d].latency_ms_p99,
                                                 pt->cells[d].slo_met};
        }
        size_t best = summary_cheapest(cand, nd);
        pt->cheapest = best == SUMMARY_NONE ? COMPARE_NONE : best;
    }
    for (size_t d = 0; d < nd; d++) {
        out->deployments[d].slo_never_met = slo_spec_any(&s->slo);
        for (size_t k = 0; k < n; k++)
            if (out->points[k].cells[d].slo_met)
                out->deployments[d].slo_never_met = 0;
    }
    if (compare_find_break_evens(out) != 0)
        goto oom;
    rc = 0;
    goto done;
oom:
    slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
fail:
    compare_result_free(out);
done:
    free(sw.values);
    free(cand);
    return rc;
}
