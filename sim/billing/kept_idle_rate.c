/* kept_idle_rate.c - capacity kept warm billed at an idle rate (Cloud Run
 * request-based min instances): busy periods are billed by the on-demand meter at
 * the active rates; the allocated time not busy at provisioned_idle_vcpu_s and
 * provisioned_idle_gb_s. The platform notes the busy periods with
 * provisioned_note_busy. */

#include "rules.h"

static const struct billing_key keys[] = {
    BILLING_KEY_AT("provisioned_idle_gb_s", BILLING_KEY_PRICE, provisioned_idle_gb_s, 1),
    BILLING_KEY_AT("provisioned_idle_vcpu_s", BILLING_KEY_PRICE, provisioned_idle_vcpu_s, 0),
    BILLING_KEYS_END,
};

static int busy_mode(const struct platform_profile *p)
{
    return p->billing == BILLING_BUSY;
}

static int vcpu_billed(const struct platform_profile *p)
{
    return p->vcpu > 0;
}

/* A memory rate alone serves a platform that bills no vCPU. */
static int vcpu_rate_given(const struct platform_profile *p)
{
    return p->provisioned_idle_vcpu_s.set || p->vcpu == 0;
}

static int memory_rate_given(const struct platform_profile *p)
{
    return p->provisioned_idle_gb_s.set;
}

#define BUSY_ONLY "an idle rate for kept-warm instances applies only to billing mode busy"
#define BOTH "an idle rate needs both provisioned_idle_gb_s and provisioned_idle_vcpu_s"
static const struct billing_check checks[] = {
    {80, "provisioned_idle_gb_s", busy_mode, BUSY_ONLY},
    {90, "provisioned_idle_vcpu_s", busy_mode, BUSY_ONLY},
    {100, "provisioned_idle_vcpu_s", vcpu_billed,
     "provisioned_idle_vcpu_s is priced but no vCPU is billed: set billing.vcpu"},
    {120, "provisioned_idle_gb_s", vcpu_rate_given, BOTH},
    {130, "provisioned_idle_vcpu_s", memory_rate_given, BOTH},
    {0, NULL, NULL, NULL},
};

static double idle_usd(const struct provisioned_meter *m)
{
    const struct platform_profile *p = m->profile;
    double idle_s =
        m->allocated_ns > m->busy_ns ? sim_time_sum_s(m->allocated_ns - m->busy_ns) : 0.0;
    return idle_s * (m->memory_units * p->provisioned_idle_gb_s.usd +
                     p->vcpu * p->provisioned_idle_vcpu_s.usd);
}

const struct billing_rule billing_rule_kept_idle_rate = {
    .name = "idle-rate", .kind = BILLING_RULE_KEPT_WARM, .id = PROVISIONED_IDLE_RATE,
    .summary = "busy periods at the active rates, idle time at provisioned_idle_vcpu_s and "
               "provisioned_idle_gb_s",
    .keys = keys,
    .checks = checks,
    .selects = memory_rate_given,
    .kept_warm_usd = idle_usd,
};
