/* mode_request.c - billing per request (Lambda, SageMaker Serverless, Azure
 * Functions): a fee per request plus each request's duration, its cold start too
 * where billed, rounded up and at least a minimum, times the instance's memory,
 * vCPU and GPU at their per-second prices. billing_charge_request counts it. */
#include "rules.h"

const struct billing_rule billing_rule_request = {
    .name = "request", .kind = BILLING_RULE_MODE, .id = BILLING_REQUEST, .props = BILLING_WRITTEN,
    .summary = "per request: fee + rounded duration x (memory, vCPU, GPU) rates",
    .meter_cost = billing_duration_cost,
};
