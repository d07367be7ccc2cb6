/* kept_instance.c - capacity kept warm on a platform that bills whole instance lives
 * (Cloud Run instance-based and GPU min instances, Modal, RunPod): the allocated
 * instance-time at the full vCPU, memory and GPU rates, rounded in the platform's
 * own unit (Modal: 1 s, Cloud Run: 100 ms) unless provisioned_rounding says
 * otherwise. */
#include "rules.h"

static int instance_mode(const struct platform_profile *p)
{
    return p->billing == BILLING_INSTANCE;
}

static double full_rates_usd(const struct provisioned_meter *m)
{
    const struct platform_profile *p = m->profile;
    return sim_time_sum_s(m->allocated_ns) *
           (m->memory_units * p->gb_s.usd + p->vcpu * p->vcpu_s.usd + p->gpus * p->gpu_s.usd);
}

const struct billing_rule billing_rule_kept_instance = {
    .name = "instance", .kind = BILLING_RULE_KEPT_WARM, .id = PROVISIONED_INSTANCE,
    .props = BILLING_OWN_UNIT,
    .summary = "the whole instance life at the full vCPU, memory and GPU rates",
    .selects = instance_mode,
    .kept_warm_usd = full_rates_usd,
};
