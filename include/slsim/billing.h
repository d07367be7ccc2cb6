/* billing.h - billing meters: what a provider charges for what a platform did.
 *
 * One meter per rule set, not per provider; the catalog supplies the numbers.
 *   request  - a fee per request plus each request's duration (its cold start too
 *              where billed), rounded up and at least a minimum, times the
 *              instance's resources (memory, vCPU, GPU) at their per-second prices.
 *   busy     - each period an instance serves at least one request (and its start
 *              where billed), rounded, times its resources; plus the request fee.
 *   instance - an instance's whole life, start (or ready) to teardown, idle
 *              keep-warm included, rounded, times its resources.
 *   machine  - a dedicated machine's life, rounded (1 s or 1 h) and at least a
 *              minimum (EC2 Linux: 60 s), at its hourly price less any discount.
 * Charges accumulate as integers (requests, nanoseconds) and become money once, at
 * the end, so a bill does not depend on charging order and a hand calculation
 * reproduces it; sums of time are 128-bit (sim_time_sum), as int64 ns holds only
 * 292 instance-years. Tiered prices and free tiers are monthly: usage in the
 * measured period is scaled to a 730-hour month, priced, and scaled back.
 * Each mode and each kept-warm rule is a row of the billing rules table
 * (sim/billing/rules.c): its name, the catalog keys it reads, and its cost at the
 * end; the per-request charges below are inline and read no table. */
#ifndef SLSIM_BILLING_H
#define SLSIM_BILLING_H

#include <stdint.h>

#include "slsim/catalog.h"
#include "slsim/units.h"

#define BILLING_MONTH_S (730.0 * 3600.0) /* the month of cloud price sheets */

/* A sum of times over many instances, machines or requests, ns. One clock fits int64
 * ns (292 years), but 1,000 machines for ten years are 3.2e20 instance-ns, 34 times
 * INT64_MAX. 128 bits hold 2^64 - 1 charges of INT64_MAX ns each, so no run can
 * wrap a sum, and a sum stays an exact integer for one add with carry per charge.
 * GCC and Clang provide __int128 on every 64-bit target. */
__extension__ typedef __int128 sim_time_sum;

/* A sum in seconds, to double precision. */
static inline double sim_time_sum_s(sim_time_sum ns)
{
    return (double)ns / 1e9;
}

struct cost_breakdown {
    double requests_usd;    /* per-request fees */
    double compute_usd;     /* duration x resources of serverless execution (request, busy, instance modes) */
    double provisioned_usd; /* provisioned capacity: allocation and execution on it */
    double instances_usd;   /* dedicated machines */
    double warming_usd;     /* warming pings (their fees and durations) */
};

struct billing_meter {
    enum billing_mode mode;     /* request, busy or instance (serverless) */
    const struct platform_profile *profile; /* prices, borrowed from the catalog */
    double memory_units;        /* billed memory of the instance being charged, in the profile's GB unit
                                   (the deployment's; billing_meter_set_memory changes it per function) */
    double resource_usd_per_s;  /* vCPU and GPU price of one instance per second (memory apart: it may be tiered) */
    sim_time round_ns;          /* rounding unit, > 0 */
    sim_time minimum_ns;        /* least billed duration */
    int init_billed;            /* whether cold starts are billed */
    sim_time init_max_ns;       /* cap on a billed cold start, 0 = none */
    double factor;              /* 1 - discount on compute */
    int free_tier;              /* apply the monthly free tier */
    uint64_t requests;          /* requests charged a fee */
    uint64_t kept_warm_requests; /* of which on kept-warm capacity, outside any free tier */
    sim_time_sum billed_ns;     /* billed duration after rounding, ns */
    double billed_units_s;      /* billed duration x memory units, GB-s; kept only when units_priced */
    int units_priced;           /* GB-s have a price, flat or in a tier: without one, the GB-s
                                   could only ever be multiplied by 0, so they are not summed */
};

/* A serverless meter for instances of memory_bytes on profile p. init_override is
 * -1 (the profile's rule) or 0/1; discount_off in [0, 1) applies to compute. */
void billing_meter_init(struct billing_meter *m, const struct platform_profile *p,
                        int64_t memory_bytes, int init_override, double discount_off,
                        int free_tier);

/* A billed duration: d rounded up to a multiple of unit, and at least minimum and
 * at least one unit: an execution or busy period of 0 ns still bills one unit (Lambda
 * bills at least 1 ms; Cloud Run at least 100 ms). Callers bill nothing for what did
 * not happen (a period outside the measured window, no allocation). */
static inline sim_time billing_round(sim_time d, sim_time unit, sim_time minimum)
{
    if (d < minimum)
        d = minimum;
    if (d <= 0)
        return unit;
    /* (d - 1) / unit rather than (d + unit - 1) / unit: a catalog's unit may be
     * most of the clock's range, and d + unit would not fit. */
    if (unit == SIM_NS_PER_MS) /* the common rule: a constant divisor is a multiply */
        return (d - 1) / SIM_NS_PER_MS * SIM_NS_PER_MS + SIM_NS_PER_MS;
    return (d - 1) / unit * unit + unit;
}

/* Request mode: charge the fee and the duration of a request that executed for
 * exec_ns and whose arrival caused a cold start of init_ns (0 if warm). Busy and
 * instance modes: charge the fee only (durations come as periods). Returns the
 * billed duration (0 outside request mode). */
static inline sim_time billing_charge_request(struct billing_meter *m, sim_time exec_ns,
                                              sim_time init_ns)
{
    m->requests++;
    if (m->mode != BILLING_REQUEST)
        return 0;
    if (!m->init_billed)
        init_ns = 0;
    else if (m->init_max_ns && init_ns > m->init_max_ns)
        init_ns = m->init_max_ns;
    sim_time billed = billing_round(exec_ns + init_ns, m->round_ns, m->minimum_ns);
    m->billed_ns += billed;
    if (m->units_priced)
        m->billed_units_s += (double)billed / 1e9 * m->memory_units;
    return billed;
}

/* The fee of a request whose execution is billed with another's (a batch's requests
 * after its first: the batch's time is billed once). */
static inline void billing_charge_fee(struct billing_meter *m)
{
    m->requests++;
}

/* The fee of a request on kept-warm capacity billed by allocation: no free tier
 * covers it (Azure Flex: always-ready has no free grants; Lambda: none with
 * provisioned concurrency at all). */
static inline void billing_charge_fee_kept_warm(struct billing_meter *m)
{
    m->requests++;
    m->kept_warm_requests++;
}

/* Busy and instance modes: charge one period of instance time (already clipped to
 * the measured period; 0 ns is a period that happened and bills the minimum, as a
 * zero-length execution does). Returns the billed duration. */
static inline sim_time billing_charge_period(struct billing_meter *m, sim_time period_ns)
{
    if (period_ns < 0)
        return 0;
    sim_time billed = billing_round(period_ns, m->round_ns, m->minimum_ns);
    m->billed_ns += billed;
    if (m->units_priced)
        m->billed_units_s += (double)billed / 1e9 * m->memory_units;
    return billed;
}

/* The memory of the instances charged next (a trace's per-function memory),
 * rounded up as the platform rounds memory. */
void billing_meter_set_memory(struct billing_meter *m, int64_t memory_bytes);

/* USD of a billed duration at the flat (first-tier) price, fee excluded. */
double billing_duration_usd(const struct billing_meter *m, sim_time billed_ns);

/* The meter's charges over a measured period of measured_s seconds. */
void billing_meter_cost(const struct billing_meter *m, double measured_s,
                        struct cost_breakdown *out);

/* Capacity kept warm for a deployment (`provisioned:`), billed by the platform's
 * rule (catalog.h, enum provisioned_rule):
 *   allocation - Lambda provisioned concurrency, Azure Flex always-ready: every
 *                allocated instance-period at provisioned_gb_s, rounded up to the
 *                platform's provisioned unit (Lambda: 5 minutes), and execution on it
 *                at provisioned_exec_gb_s, with the platform's rounding and minimum, per
 *                request (request mode) or per busy period (busy mode);
 *   idle rate  - Cloud Run request-based min instances: busy periods are billed by the
 *                on-demand meter at the active rates; the allocated time not busy at
 *                provisioned_idle_vcpu_s and provisioned_idle_gb_s;
 *   instance   - Cloud Run instance-based and GPU min instances, Modal, RunPod: the
 *                allocated instance-time at the full vCPU, memory and GPU rates, in the
 *                platform's rounding unit;
 *   unpriced   - a platform without prices (generic) bills nothing.
 * A discount (a savings plan) applies to all of it, as to on-demand compute. */
struct provisioned_meter {
    const struct platform_profile *profile; /* prices and rule, borrowed */
    double memory_units;                    /* billed memory of one instance, profile's GB unit */
    double factor;                          /* 1 - discount */
    sim_time round_ns;                      /* allocation rounding unit, > 0 */
    sim_time_sum allocated_ns;              /* instance-time allocated, after rounding */
    sim_time_sum exec_ns;                   /* allocation rule: execution on it, after rounding */
    sim_time_sum busy_ns;                   /* idle-rate rule: busy periods billed at the active rate */
};

void provisioned_meter_init(struct provisioned_meter *m, const struct platform_profile *p,
                            int64_t memory_bytes, double discount_off);

/* n instances allocated for period_ns: billed as n x the period rounded up (n is
 * 64-bit: instances per function times functions). */
static inline sim_time provisioned_charge_allocation(struct provisioned_meter *m, uint64_t n,
                                                     sim_time period_ns)
{
    if (period_ns <= 0 || n == 0)
        return 0;
    sim_time billed = billing_round(period_ns, m->round_ns, 0);
    m->allocated_ns += (sim_time_sum)n * billed;
    return billed;
}

/* Allocation rule: a request (request mode) or a busy period (busy mode) that
 * executed exec_ns on a kept-warm instance, with the platform's rounding and minimum. */
static inline sim_time provisioned_charge_exec(struct provisioned_meter *m, sim_time exec_ns)
{
    sim_time billed = billing_round(exec_ns, m->profile->round_ns > 0 ? m->profile->round_ns : 1,
                                    m->profile->minimum_ns);
    m->exec_ns += billed;
    return billed;
}

/* Idle-rate rule: a busy period of a kept-warm instance was billed busy_ns at the
 * active rate (rounded); the idle rate covers the allocated time less these. */
static inline void provisioned_note_busy(struct provisioned_meter *m, sim_time busy_ns)
{
    m->busy_ns += busy_ns;
}

/* USD of kept-warm capacity by the profile's rule (request fees are the request
 * meter's, busy periods under the idle-rate rule too). */
double provisioned_usd(const struct provisioned_meter *m);

/* A dedicated fleet's meter. */
struct machine_meter {
    const struct instance_type *type; /* borrowed from the catalog */
    double factor;                    /* 1 - discount */
    sim_time_sum billed_ns;           /* billed machine-time after rounding, ns */
};

void machine_meter_init(struct machine_meter *m, const struct instance_type *t,
                        double discount_off);

/* Charge one machine's life (clipped to the measured period); returns the billed
 * time. A life of 0 or less costs nothing. */
static inline sim_time machine_charge(struct machine_meter *m, sim_time life_ns)
{
    if (life_ns <= 0)
        return 0;
    sim_time billed = billing_round(life_ns, m->type->round_ns, m->type->minimum_ns);
    m->billed_ns += billed;
    return billed;
}

/* USD of billed machine-time (one machine's or the meter's sum). */
double machine_usd(const struct machine_meter *m, sim_time_sum billed_ns);

#endif
