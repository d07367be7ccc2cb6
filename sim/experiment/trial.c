/* trial.c - trials as plain data: the scenario a trial's overrides give, and the
 * flat record of what it measured. */
#include <stdlib.h>
#include <string.h>

#include "slsim/trial.h"

uint32_t trial_tiers(enum deployment_type type)
{
    return type == DEPLOYMENT_HYBRID ? TRIAL_MAX_TIERS : 0;
}

sim_time trial_period_ns(const struct scenario *s)
{
    if (s->workload.arrival == ARRIVAL_ONOFF && s->workload.period_ns > 0)
        return s->workload.period_ns;
    return TRIAL_DEFAULT_PERIOD_NS;
}

struct scenario trial_scenario_at(const struct scenario *s, double duty_cycle)
{
    struct scenario p = *s;
    p.workload.arrival = ARRIVAL_ONOFF;
    p.workload.duty_cycle = duty_cycle;
    p.workload.period_ns = trial_period_ns(s);
    return p;
}

struct deployment_spec trial_deployment(const struct trial *t)
{
    struct deployment_spec dep = t->s->deployments[t->deployment];
    if (t->fleet_count > 0) {
        struct fleet_spec *fleet = deployment_fleet_mut(&dep);
        fleet->count = t->fleet_count;
        fleet->count_auto = 0;
        fleet->autoscale.enabled = 0;
    }
    return dep;
}

static void flatten_one(const struct deployment_result *r, const struct slo_spec *slo,
                        struct trial_record *o)
{
    memcpy(o->name, r->name, sizeof o->name);
    o->type = (enum deployment_type)r->type;
    memcpy(o->platform, r->platform, sizeof o->platform);
    o->memory_bytes = r->memory_bytes;
    o->requests = r->requests;
    o->served = r->served;
    o->throttled = r->throttled;
    o->dropped = r->dropped;
    o->timed_out = r->timed_out;
    o->cold_starts = r->cold_starts;
    o->queued = r->queued;
    o->retries = r->retries;
    o->spillovers = r->spillovers;
    o->evictions = r->evictions;
    o->prewarms = r->prewarms;
    o->warming_pings = r->warming_pings;
    o->functions = r->functions;
    o->functions_served = r->functions_served;
    o->fn_cold_start_ratio_mean = r->fn_cold_start_ratio_mean;
    o->fn_cold_start_ratio_p75 = r->fn_cold_start_ratio_p75;
    o->provisioned_instance_s = r->provisioned_instance_s;
    o->provisioned_busy_s = r->provisioned_busy_s;
    o->within_slo = r->within_slo;
    o->instance_s = r->instance_s;
    o->busy_instance_s = r->busy_instance_s;
    o->idle_instance_s = r->idle_instance_s;
    o->init_instance_s = r->init_instance_s;
    o->slots = r->slots;
    o->instances_peak = r->instances_peak;
    o->measured_s = r->measured_s;
    o->billed_ms = r->billed_ms;
    o->cost = r->cost;
    memcpy(o->coldstart_profile, r->coldstart_profile, sizeof o->coldstart_profile);
    memcpy(o->coldstart_artifact, r->coldstart_artifact, sizeof o->coldstart_artifact);
    memcpy(o->coldstart_assumed, r->coldstart_assumed, sizeof o->coldstart_assumed);
    o->init_retries = r->init_retries;
    o->init_timeouts = r->init_timeouts;
    o->trace_rows_skipped = r->trace_rows_skipped;
    o->batch = r->batch;
    o->cost_total_usd = result_cost_total(r);
    o->instances_mean = result_instances_mean(r);
    o->utilization = result_utilization(r);
    o->busy_fraction = result_busy_fraction(r);
    o->cold_start_ratio = result_cold_start_ratio(r);
    o->coldstart_mean_s = result_coldstart_mean_s(r);
    o->coldstart_billed_gpu_s = result_coldstart_billed_gpu_s(r);
    o->slo_attainment = result_slo_attainment(r, slo);
    o->slo_met = result_slo_met(r, slo) && result_llm_slo_met(r, slo);
    o->batch_size_mean = result_batch_mean(r);
    o->accelerator_busy_fraction = result_accelerator_busy_fraction(r);
    o->batch_wait_share = result_batch_wait_share(r);
    o->items_per_s = result_items_per_s(r);
    o->llm = NULL; /* trial_take_llm or trial_copy_llm gives the record its own */
    o->windows = NULL; /* the same */
    o->n_windows = 0;
    o->slo_misses = result_slo_misses(r, slo);
    o->slo_miss_cold = r->slo_miss_cold;
    o->input_tokens_per_s = result_input_tokens_per_s(r);
    o->output_tokens_per_s = result_output_tokens_per_s(r);
    o->llm_batch_mean = result_llm_batch_mean(r);
    o->kv_utilization = result_kv_utilization(r);
    o->n_tiers = 0;
    o->first_tier = 0;
    o->latency = r->latency;
}

void trial_flatten(const struct deployment_result *r, const struct slo_spec *slo,
                   struct trial_record *out, struct trial_record *tiers)
{
    flatten_one(r, slo, out);
    if (!tiers)
        return;
    for (size_t t = 0; t < r->n_tiers; t++)
        flatten_one(&r->tiers[t], slo, &tiers[t]);
    out->n_tiers = (uint32_t)r->n_tiers;
}

void trial_take_llm(struct deployment_result *r, struct trial_record *out,
                    struct trial_record *tiers)
{
    out->llm = r->llm;
    r->llm = NULL;
    out->windows = r->windows;
    out->n_windows = (uint32_t)r->n_windows;
    r->windows = NULL;
    r->n_windows = 0;
    for (size_t t = 0; tiers && t < out->n_tiers; t++) {
        tiers[t].llm = r->tiers[t].llm;
        r->tiers[t].llm = NULL;
    }
}

/* A copy of l, or NULL when l is NULL; *oom set when out of memory. */
static struct llm_stats *copy_llm(const struct llm_stats *l, int *oom)
{
    if (!l)
        return NULL;
    struct llm_stats *c = malloc(sizeof *c);
    if (!c)
        *oom = 1;
    else
        *c = *l;
    return c;
}

int trial_copy_llm(const struct deployment_result *r, struct trial_record *out,
                   struct trial_record *tiers)
{
    int oom = 0;
    out->llm = copy_llm(r->llm, &oom);
    if (r->n_windows) {
        out->windows = malloc(r->n_windows * sizeof *out->windows);
        if (out->windows) {
            memcpy(out->windows, r->windows, r->n_windows * sizeof *out->windows);
            out->n_windows = (uint32_t)r->n_windows;
        } else {
            oom = 1;
        }
    }
    for (size_t t = 0; tiers && t < out->n_tiers; t++)
        tiers[t].llm = copy_llm(r->tiers[t].llm, &oom);
    if (!oom)
        return 0;
    trial_record_free(out);
    for (size_t t = 0; tiers && t < out->n_tiers; t++)
        trial_record_free(&tiers[t]);
    return -1;
}

void trial_record_free(struct trial_record *rec)
{
    free(rec->llm);
    rec->llm = NULL;
    free(rec->windows);
    rec->windows = NULL;
    rec->n_windows = 0;
}

void trial_take_timeline(struct deployment_result *r, struct trial_timeline *tl)
{
    memset(tl, 0, sizeof *tl);
    tl->rows[0] = r->timeline;
    tl->n[0] = r->n_timeline;
    r->timeline = NULL;
    r->n_timeline = 0;
    for (size_t t = 0; t < r->n_tiers && t < TRIAL_MAX_TIERS; t++) {
        tl->rows[t + 1] = r->tiers[t].timeline;
        tl->n[t + 1] = r->tiers[t].n_timeline;
        r->tiers[t].timeline = NULL;
        r->tiers[t].n_timeline = 0;
    }
}

void trial_timeline_free(struct trial_timeline *tl)
{
    for (size_t t = 0; t < TRIAL_MAX_PARTS; t++)
        free(tl->rows[t]);
    memset(tl, 0, sizeof *tl);
}
