/* kept_none.c - a priced platform whose catalog entry gives no sourced price for
 * capacity kept warm: a deployment asking for it (`provisioned:`) is refused at load
 * time rather than billed a made-up number. */
#include <stdio.h>

#include "rules.h"

static int refused(const struct platform_profile *p, char *why, size_t n)
{
    if (p->billing == BILLING_BUSY)
        snprintf(why, n, "%s has no sourced price for idle kept-warm instances "
                 "(billing.provisioned_idle_gb_s and provisioned_idle_vcpu_s in the catalog)",
                 p->name);
    else
        snprintf(why, n, "%s has no sourced price for provisioned capacity "
                 "(billing.provisioned_gb_s in the catalog)", p->name);
    return -1;
}

const struct billing_rule billing_rule_kept_none = {
    .name = "none", .kind = BILLING_RULE_KEPT_WARM, .id = PROVISIONED_NONE,
    .summary = "not priced: provisioned capacity is refused",
    .usable = refused,
};
