/* kept_unpriced.c - capacity kept warm on a platform with no price at all (generic):
 * it costs nothing, as the rest of that platform's bill does. */
#include "rules.h"

static int unpriced(const struct platform_profile *p)
{
    return !billing_has_price(p);
}

const struct billing_rule billing_rule_kept_unpriced = {
    .name = "unpriced", .kind = BILLING_RULE_KEPT_WARM, .id = PROVISIONED_UNPRICED,
    .summary = "not billed (the platform has no prices)",
    .selects = unpriced,
};
