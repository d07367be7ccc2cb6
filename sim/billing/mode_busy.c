/* mode_busy.c - billing per busy period (Cloud Run request-based): each period an
 * instance serves at least one request (and its start where billed), rounded, times
 * its resources, plus the request fee. billing_charge_period counts the periods. */
#include "rules.h"

const struct billing_rule billing_rule_busy = {
    .name = "busy", .kind = BILLING_RULE_MODE, .id = BILLING_BUSY, .props = BILLING_WRITTEN,
    .summary = "per busy period of an instance, rounded, + per-request fee",
    .meter_cost = billing_duration_cost,
};
