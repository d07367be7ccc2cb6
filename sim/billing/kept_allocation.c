/* kept_allocation.c - capacity kept warm billed by allocation (Lambda provisioned
 * concurrency, Azure Flex always-ready): every allocated instance-period at
 * provisioned_gb_s, rounded up to provisioned_rounding (Lambda: 5 minutes), and
 * execution on it at provisioned_exec_gb_s with the platform's rounding and minimum,
 * per request (request mode) or per busy period (busy mode). The platform charges
 * the periods with provisioned_charge_allocation and provisioned_charge_exec. */
#include <stdio.h>

#include "rules.h"

static int allocation_priced(const struct platform_profile *p)
{
    return p->provisioned_gb_s.set;
}

/* Beside an idle rate, or on a platform billing whole instance lives, an allocation
 * price would bill the same kept-warm time twice. */
static int sole_kept_warm_price(const struct platform_profile *p)
{
    int idle_rate = p->provisioned_idle_gb_s.set || p->provisioned_idle_vcpu_s.set;
    return !idle_rate && p->billing != BILLING_INSTANCE;
}

static const struct billing_key keys[] = {
    BILLING_KEY_AT("provisioned_gb_s", BILLING_KEY_PRICE, provisioned_gb_s, 1),
    BILLING_KEY_AT("provisioned_exec_gb_s", BILLING_KEY_PRICE, provisioned_exec_gb_s, 1),
    BILLING_KEY_AT("provisioned_rounding", BILLING_KEY_PERIOD, provisioned_round_ns, 0),
    BILLING_KEY_AT("provisioned_ready", BILLING_KEY_DURATION, provisioned_ready_ns, 0),
    BILLING_KEYS_END,
};

static const struct billing_check checks[] = {
    {50, "provisioned_exec_gb_s", allocation_priced,
     "provisioned_exec_gb_s needs provisioned_gb_s"},
    {60, "provisioned_rounding", allocation_priced, "provisioned_rounding needs provisioned_gb_s"},
    {70, "provisioned_ready", allocation_priced, "provisioned_ready needs provisioned_gb_s"},
    {110, "provisioned_gb_s", sole_kept_warm_price,
     "provisioned_gb_s applies neither to billing mode instance (kept-warm instances are "
     "billed as instances) nor beside an idle rate"},
    {0, NULL, NULL, NULL},
};

static int exec_priced(const struct platform_profile *p, char *why, size_t n)
{
    if (p->provisioned_exec_gb_s.set)
        return 0;
    snprintf(why, n, "%s has no sourced price for execution on provisioned capacity "
             "(billing.provisioned_exec_gb_s in the catalog)", p->name);
    return -1;
}

static double allocation_usd(const struct provisioned_meter *m)
{
    const struct platform_profile *p = m->profile;
    return (sim_time_sum_s(m->allocated_ns) * p->provisioned_gb_s.usd +
            sim_time_sum_s(m->exec_ns) * p->provisioned_exec_gb_s.usd) *
           m->memory_units;
}

const struct billing_rule billing_rule_kept_allocation = {
    .name = "allocation", .kind = BILLING_RULE_KEPT_WARM, .id = PROVISIONED_ALLOCATION,
    .summary = "allocation at provisioned_gb_s, execution on it at provisioned_exec_gb_s",
    .keys = keys,
    .checks = checks,
    .selects = allocation_priced,
    .usable = exec_priced,
    .kept_warm_usd = allocation_usd,
};
