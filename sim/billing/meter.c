/* meter.c - turning a meter's counts into dollars.
 *
 * Charges accumulate as integers (requests, rounded nanoseconds) and become money
 * once, at the end, so a bill does not depend on the order requests were charged
 * in and a hand calculation reproduces it to the last digit. */
#include "slsim/billing.h"

#define BYTES_PER_GIB 1073741824.0

void billing_meter_init(struct billing_meter *m, const struct billing_rate *rate,
                        int64_t memory_bytes)
{
    m->rate = *rate;
    m->memory_gib = (double)memory_bytes / BYTES_PER_GIB;
    m->requests = 0;
    m->billed_ns = 0;
}

double billing_request_usd(const struct billing_meter *m, sim_time billed_ns)
{
    return m->rate.request_usd + (double)billed_ns / 1e9 * m->memory_gib * m->rate.gib_s_usd;
}

void billing_meter_cost(const struct billing_meter *m, struct cost_breakdown *out)
{
    out->requests_usd = (double)m->requests * m->rate.request_usd;
    out->compute_usd = (double)m->billed_ns / 1e9 * m->memory_gib * m->rate.gib_s_usd;
    out->provisioned_usd = 0.0;
    out->instances_usd = 0.0;
}
