/* meter.c - turning meters' counts into dollars.
 *
 * Monthly rules (price tiers, free tiers) are applied to usage scaled to a
 * 730-hour month and the result scaled back, so a one-week simulation is billed as
 * one week of a month running at that rate. Free tiers are off unless a deployment
 * asks for them: a capacity plan should not lean on a per-account allowance that
 * other workloads may already use. */
#include <assert.h>
#include <math.h>

#include "rules.h"

void billing_meter_set_memory(struct billing_meter *m, int64_t memory_bytes)
{
    const struct platform_profile *p = m->profile;
    double mem = (double)memory_bytes;
    if (p->memory_round_bytes > 0)
        mem = ceil(mem / (double)p->memory_round_bytes) * (double)p->memory_round_bytes;
    m->memory_units = p->memory_unit_bytes > 0 ? mem / p->memory_unit_bytes : 0.0;
}

void billing_meter_init(struct billing_meter *m, const struct platform_profile *p,
                        int64_t memory_bytes, int init_override, double discount_off,
                        int free_tier)
{
    m->mode = p->billing;
    m->profile = p;
    billing_meter_set_memory(m, memory_bytes);
    m->resource_usd_per_s = p->vcpu * p->vcpu_s.usd + p->gpus * p->gpu_s.usd;
    m->round_ns = p->round_ns > 0 ? p->round_ns : 1;
    m->minimum_ns = p->minimum_ns;
    m->init_billed = init_override >= 0 ? init_override : p->init_billed;
    m->init_max_ns = p->init_max_ns;
    m->factor = 1.0 - discount_off;
    m->free_tier = free_tier;
    m->requests = 0;
    m->kept_warm_requests = 0;
    m->billed_ns = 0;
    m->billed_units_s = 0;
    m->units_priced = p->gb_s.usd != 0;
    for (size_t i = 0; i < p->n_tiers; i++)
        m->units_priced |= p->tiers[i].unit.usd != 0;
}

double billing_duration_usd(const struct billing_meter *m, sim_time billed_ns)
{
    double s = (double)billed_ns / 1e9;
    return s * (m->memory_units * m->profile->gb_s.usd + m->resource_usd_per_s) * m->factor;
}

/* Price of `units` GB-s in one month: gb_s up to the first tier, then each tier's
 * price from where it starts (the tiers are ascending). */
static double tiered_usd(const struct platform_profile *p, double units)
{
    double usd = 0.0, lo = 0.0, price = p->gb_s.usd;
    for (size_t i = 0; i <= p->n_tiers; i++) {
        double hi = i < p->n_tiers ? p->tiers[i].from_units_per_month : INFINITY;
        if (units > lo)
            usd += (fmin(units, hi) - lo) * price;
        if (i < p->n_tiers) {
            lo = hi;
            price = p->tiers[i].unit.usd;
        }
    }
    return usd;
}

void billing_duration_cost(const struct billing_meter *m, double measured_s,
                           struct cost_breakdown *out)
{
    const struct platform_profile *p = m->profile;
    double month = measured_s > 0 ? BILLING_MONTH_S / measured_s : 0.0;
    double seconds = sim_time_sum_s(m->billed_ns);
    double requests = (double)(m->requests - m->kept_warm_requests);
    double kept_warm_requests = (double)m->kept_warm_requests;
    double gb_s = m->billed_units_s;
    double vcpu_s = seconds * p->vcpu;
    if (m->free_tier && month > 0) {
        requests = fmax(0.0, requests - p->free_requests / month);
        gb_s = fmax(0.0, gb_s - p->free_gb_s / month);
        vcpu_s = fmax(0.0, vcpu_s - p->free_vcpu_s / month);
    }
    double memory_usd = month > 0 ? tiered_usd(p, gb_s * month) / month : gb_s * p->gb_s.usd;
    out->requests_usd = (requests + kept_warm_requests) * p->request.usd;
    out->compute_usd = (memory_usd + vcpu_s * p->vcpu_s.usd + seconds * p->gpus * p->gpu_s.usd) *
                       m->factor;
    out->provisioned_usd = 0.0;
    out->instances_usd = 0.0;
    out->warming_usd = 0.0;
}

void billing_meter_cost(const struct billing_meter *m, double measured_s,
                        struct cost_breakdown *out)
{
    const struct billing_rule *r = billing_rule_of(BILLING_RULE_MODE, (int)m->mode);
    assert(r && r->meter_cost);
    r->meter_cost(m, measured_s, out);
}

void provisioned_meter_init(struct provisioned_meter *m, const struct platform_profile *p,
                            int64_t memory_bytes, double discount_off)
{
    const struct billing_rule *r =
        billing_rule_of(BILLING_RULE_KEPT_WARM, (int)p->provisioned_rule);
    int own_unit = r && (r->props & BILLING_OWN_UNIT);
    double mem = (double)memory_bytes;
    if (p->memory_round_bytes > 0)
        mem = ceil(mem / (double)p->memory_round_bytes) * (double)p->memory_round_bytes;
    m->profile = p;
    m->memory_units = p->memory_unit_bytes > 0 ? mem / p->memory_unit_bytes : 0.0;
    m->factor = 1.0 - discount_off;
    /* Lambda rounds provisioned time to 5-minute blocks; an instance-billed platform
     * bills a kept-warm instance in its own unit (Modal: 1 s, Cloud Run: 100 ms). */
    m->round_ns = p->provisioned_round_ns > 0       ? p->provisioned_round_ns
                  : own_unit && p->round_ns > 0 ? p->round_ns
                                                : 1;
    m->allocated_ns = 0;
    m->exec_ns = 0;
    m->busy_ns = 0;
}

double provisioned_usd(const struct provisioned_meter *m)
{
    const struct billing_rule *r =
        billing_rule_of(BILLING_RULE_KEPT_WARM, (int)m->profile->provisioned_rule);
    if (!r->kept_warm_usd)
        return 0.0;
    return r->kept_warm_usd(m) * m->factor;
}
