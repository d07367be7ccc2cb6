/* billing.h - billing meters: what a provider charges for what a platform did.
 *
 * A meter applies one rule set, not one provider: a per-request fee plus billed
 * duration x memory, each request's duration rounded up to the provider's unit,
 * with or without the cold start (init) of the request that caused it. Providers
 * differ only in the numbers (see the platform profiles). Memory is billed in GiB:
 * AWS's "MB" memory setting is MiB and its GB-second is a GiB-second. */
#ifndef SLSIM_BILLING_H
#define SLSIM_BILLING_H

#include <stdint.h>

#include "slsim/units.h"

struct billing_rate {
    double request_usd;  /* fee per request */
    double gib_s_usd;    /* price of one GiB-second of billed duration */
    sim_time round_ns;   /* each request's billed duration is rounded up to a multiple of this, > 0 */
    int init_billed;     /* 1: the cold start of the request that caused it is billed */
    sim_time init_max_ns;/* billed init is capped at this */
};

struct cost_breakdown {
    double requests_usd;    /* per-request fees */
    double compute_usd;     /* duration x memory charges of on-demand execution */
    double provisioned_usd; /* provisioned capacity (not in this version: always 0) */
    double instances_usd;   /* instance-life or machine charges (not in this version: always 0) */
};

struct billing_meter {
    struct billing_rate rate; /* the rule set */
    double memory_gib;        /* billed memory of one instance, GiB */
    uint64_t requests;        /* requests charged */
    int64_t billed_ns;        /* billed duration after rounding, ns */
};

/* A meter for instances of memory_bytes under rate (rate->round_ns > 0). */
void billing_meter_init(struct billing_meter *m, const struct billing_rate *rate,
                        int64_t memory_bytes);

/* Charge one request that executed for exec_ns and whose arrival caused a cold
 * start of init_ns (0 if it found a warm instance). Returns its billed duration. */
static inline sim_time billing_charge(struct billing_meter *m, sim_time exec_ns, sim_time init_ns)
{
    if (!m->rate.init_billed)
        init_ns = 0;
    else if (init_ns > m->rate.init_max_ns)
        init_ns = m->rate.init_max_ns;
    sim_time d = exec_ns + init_ns, billed;
    if (m->rate.round_ns == SIM_NS_PER_MS) /* the common rule: a constant divisor is a multiply */
        billed = (d + SIM_NS_PER_MS - 1) / SIM_NS_PER_MS * SIM_NS_PER_MS;
    else
        billed = (d + m->rate.round_ns - 1) / m->rate.round_ns * m->rate.round_ns;
    m->requests++;
    m->billed_ns += billed;
    return billed;
}

/* What one request with billed duration billed_ns costs, fee included, USD. */
double billing_request_usd(const struct billing_meter *m, sim_time billed_ns);

/* The meter's charges so far. */
void billing_meter_cost(const struct billing_meter *m, struct cost_breakdown *out);

#endif
