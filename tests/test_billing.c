/* test_billing.c - billing meters against bills worked by hand. */
#include <criterion/criterion.h>
#include <string.h>

#include "slsim/billing.h"

static struct platform_profile lambda_like(void)
{
    /* Lambda x86 rules: $0.20 per 1e6 requests, $0.0000166667 per GiB-s, 1 ms
     * rounding, init billed up to 10 s. */
    struct platform_profile p;
    memset(&p, 0, sizeof p);
    p.billing = BILLING_REQUEST;
    p.memory_unit_bytes = 1073741824.0;
    p.round_ns = SIM_NS_PER_MS;
    p.init_billed = 1;
    p.init_max_ns = 10 * SIM_NS_PER_S;
    p.request.usd = 0.20 / 1e6;
    p.gb_s.usd = 0.0000166667;
    return p;
}

Test(billing, one_ms_rounding_and_request_fee_lambda)
{
    /* Requests of 1 ns, 1 ms and 1.000001 ms on 2 GiB bill 1 + 1 + 2 ms:
     * cost = 3 x 0.2e-6 + 0.004 s x 2 GiB x 0.0000166667. */
    struct platform_profile p = lambda_like();
    struct billing_meter m;
    billing_meter_init(&m, &p, 2LL << 30, -1, 0.0, 0);
    cr_assert_eq(billing_charge_request(&m, 1, 0), SIM_NS_PER_MS);
    cr_assert_eq(billing_charge_request(&m, SIM_NS_PER_MS, 0), SIM_NS_PER_MS);
    cr_assert_eq(billing_charge_request(&m, SIM_NS_PER_MS + 1, 0), 2 * SIM_NS_PER_MS);
    struct cost_breakdown c;
    billing_meter_cost(&m, 3600, &c);
    cr_assert_float_eq(c.requests_usd, 3 * 0.2e-6, 1e-18);
    cr_assert_float_eq(c.compute_usd, 0.004 * 2 * 0.0000166667, 1e-18);
    cr_assert_eq(c.provisioned_usd, 0);
}

Test(billing, init_is_billed_up_to_its_cap_only_when_the_rule_says_so)
{
    struct platform_profile p = lambda_like();
    struct billing_meter m;
    billing_meter_init(&m, &p, 1LL << 30, -1, 0.0, 0);
    /* 100 ms of work after a 12 s cold start: init capped at 10 s. */
    cr_assert_eq(billing_charge_request(&m, 100 * SIM_NS_PER_MS, 12 * SIM_NS_PER_S),
                 10100 * SIM_NS_PER_MS);
    billing_meter_init(&m, &p, 1LL << 30, 0, 0.0, 0); /* the switch off */
    cr_assert_eq(billing_charge_request(&m, 100 * SIM_NS_PER_MS, 12 * SIM_NS_PER_S),
                 100 * SIM_NS_PER_MS);
}

Test(billing, coarser_rounding_minimum_and_periods)
{
    /* 100 ms rounding with a 1 s minimum: 101 ms bills 1 s, 1.01 s bills 1.1 s.
     * Periods (busy and instance modes) round the same way. */
    struct platform_profile p = lambda_like();
    p.round_ns = 100 * SIM_NS_PER_MS;
    p.minimum_ns = SIM_NS_PER_S;
    struct billing_meter m;
    billing_meter_init(&m, &p, 1LL << 30, 0, 0.0, 0);
    cr_assert_eq(billing_charge_request(&m, 101 * SIM_NS_PER_MS, 0), SIM_NS_PER_S);
    cr_assert_eq(billing_charge_request(&m, 1010 * SIM_NS_PER_MS, 0), 1100 * SIM_NS_PER_MS);
    /* A period of 0 ns happened (a zero-length execution) and bills the minimum. */
    cr_assert_eq(billing_charge_period(&m, 0), SIM_NS_PER_S);
    cr_assert_eq(billing_charge_period(&m, 1010 * SIM_NS_PER_MS), 1100 * SIM_NS_PER_MS);
}

Test(billing, memory_rounds_up_to_its_unit_and_vcpu_gpu_add)
{
    /* Azure-consumption-like: 200 MB of memory bills 256 MB (128 MB steps) in
     * decimal GB; plus 2 vCPU at $0.00002 and 1 GPU at $0.001 per second:
     * 1 s costs 0.256 x gb_s + 2 x 0.00002 + 0.001. */
    struct platform_profile p = lambda_like();
    p.memory_unit_bytes = 1e9;
    p.memory_round_bytes = 128000000;
    p.vcpu = 2;
    p.vcpu_s.usd = 0.00002;
    p.gpus = 1;
    p.gpu_s.usd = 0.001;
    struct billing_meter m;
    billing_meter_init(&m, &p, 200000000, 0, 0.0, 0);
    sim_time b = billing_charge_request(&m, SIM_NS_PER_S, 0);
    cr_assert_float_eq(billing_duration_usd(&m, b), 0.256 * 0.0000166667 + 0.00004 + 0.001,
                       1e-15);
}

Test(billing, monthly_tiers_and_free_tier_scale_with_the_measured_period)
{
    /* A tier at 6e9 GB-s per month with 10% off. One week measured: usage is
     * scaled to a 730 h month, priced, and scaled back. With 2e9 GB-s in the week
     * the month has 2e9 x 730h/168h = 8.69e9 GB-s: 6e9 at the list price and the
     * rest 10% off. */
    struct platform_profile p = lambda_like();
    struct price_tier tier = {6e9, {0.0000166667 * 0.9, 1, "", ""}};
    p.tiers = &tier;
    p.n_tiers = 1;
    struct billing_meter m;
    billing_meter_init(&m, &p, 1LL << 30, 0, 0.0, 0);
    m.billed_ns = (int64_t)2e9 * SIM_NS_PER_S; /* 2e9 GiB-s on 1 GiB */
    m.billed_units_s = 2e9;
    double week = 168 * 3600.0, month = 730 * 3600.0 / week;
    double units = 2e9 * month;
    double expect = (6e9 * 0.0000166667 + (units - 6e9) * 0.0000166667 * 0.9) / month;
    struct cost_breakdown c;
    billing_meter_cost(&m, week, &c);
    cr_assert_float_eq(c.compute_usd, expect, 1e-9 * expect);
    /* Free tier: 1e6 requests and 400,000 GB-s a month, pro rata. */
    p.n_tiers = 0;
    p.free_requests = 1e6;
    p.free_gb_s = 400000;
    billing_meter_init(&m, &p, 1LL << 30, 0, 0.0, 1);
    m.requests = 1000000;
    m.billed_ns = 200000 * SIM_NS_PER_S;
    m.billed_units_s = 200000;
    billing_meter_cost(&m, week, &c);
    cr_assert_float_eq(c.requests_usd, (1e6 - 1e6 / month) * 0.2e-6, 1e-12);
    cr_assert_float_eq(c.compute_usd, (200000 - 400000 / month) * 0.0000166667, 1e-12);
}

/* GB-s are summed only where they have a price (flat or in any tier): request-mode
 * duration of 1.5 s on 2 GiB is 1.5 x 2 = 3 GiB-s on a priced profile, a price only
 * in a later tier still counts, and with no price at all the billed duration is
 * still kept (reports print it) while the GB-s, which could only be multiplied by
 * 0, are not. */
Test(billing, gb_seconds_are_summed_where_they_have_a_price)
{
    struct platform_profile p = lambda_like();
    struct billing_meter m;
    billing_meter_init(&m, &p, 2LL << 30, 0, 0.0, 0);
    cr_assert_eq(billing_charge_request(&m, 1500 * SIM_NS_PER_MS, 0), 1500 * SIM_NS_PER_MS);
    cr_assert_float_eq(m.billed_units_s, 3.0, 1e-12);
    struct price_tier tier = {6e9, {0.00001, 1, "", ""}};
    p.gb_s.usd = 0;
    p.tiers = &tier;
    p.n_tiers = 1;
    billing_meter_init(&m, &p, 2LL << 30, 0, 0.0, 0);
    billing_charge_request(&m, 1500 * SIM_NS_PER_MS, 0);
    cr_assert_float_eq(m.billed_units_s, 3.0, 1e-12, "a tier's price makes GB-s count");
    tier.unit.usd = 0;
    billing_meter_init(&m, &p, 2LL << 30, 0, 0.0, 0);
    billing_charge_request(&m, 1500 * SIM_NS_PER_MS, 0);
    cr_assert_eq(m.billed_ns, 1500 * SIM_NS_PER_MS);
    cr_assert_eq(m.billed_units_s, 0.0);
    struct cost_breakdown c;
    billing_meter_cost(&m, 3600.0, &c);
    cr_assert_eq(c.compute_usd, 0.0);
}

Test(billing, machine_meter_rounds_lives_with_a_minimum)
{
    struct instance_type t;
    memset(&t, 0, sizeof t);
    t.hourly.usd = 3.6; /* $0.001 per second */
    t.round_ns = SIM_NS_PER_S;
    t.minimum_ns = 60 * SIM_NS_PER_S;
    struct machine_meter m;
    machine_meter_init(&m, &t, 0.0);
    cr_assert_eq(machine_charge(&m, 5 * SIM_NS_PER_S), 60 * SIM_NS_PER_S);
    cr_assert_eq(machine_charge(&m, 61 * SIM_NS_PER_S + 1), 62 * SIM_NS_PER_S);
    cr_assert_float_eq(machine_usd(&m, m.billed_ns), 0.122, 1e-12);
    machine_meter_init(&m, &t, 0.35);
    machine_charge(&m, 100 * SIM_NS_PER_S);
    cr_assert_float_eq(machine_usd(&m, m.billed_ns), 0.1 * 0.65, 1e-12);
}

Test(billing, provisioned_concurrency_rounds_allocation_to_5_minutes)
{
    /* Lambda provisioned concurrency: 10 instances of 2 GiB allocated for 61 min
     * bill 65 min (5-minute blocks) at $0.0000041667 per GiB-s; 1000 requests of
     * 100.2 ms on them bill 101 ms each at the provisioned execution price
     * $0.0000097222 per GiB-s:
     * 10 x 3900 s x 2 x 0.0000041667 + 1000 x 0.101 s x 2 x 0.0000097222. */
    struct platform_profile p = lambda_like();
    p.provisioned_round_ns = 5 * 60 * SIM_NS_PER_S;
    p.provisioned_gb_s.usd = 0.0000041667;
    p.provisioned_exec_gb_s.usd = 0.0000097222;
    p.provisioned_rule = PROVISIONED_ALLOCATION;
    struct provisioned_meter m;
    provisioned_meter_init(&m, &p, 2LL << 30, 0.0);
    cr_assert_eq(provisioned_charge_allocation(&m, 10, 61 * 60 * SIM_NS_PER_S),
                 65 * 60 * SIM_NS_PER_S);
    for (int i = 0; i < 1000; i++)
        provisioned_charge_exec(&m, 100200 * SIM_NS_PER_US);
    double expect = 10 * 3900.0 * 2 * 0.0000041667 + 1000 * 0.101 * 2 * 0.0000097222;
    cr_assert_float_eq(provisioned_usd(&m), expect, 1e-12);
    /* Exactly 5 minutes is one block, not two. */
    provisioned_meter_init(&m, &p, 2LL << 30, 0.0);
    cr_assert_eq(provisioned_charge_allocation(&m, 1, 5 * 60 * SIM_NS_PER_S),
                 5 * 60 * SIM_NS_PER_S);
}

Test(billing, sums_of_billed_time_past_int64_ns_stay_exact)
{
    /* int64 ns holds 292.3 years. EC2 per-second billing at $0.17/h: 293 machines of
     * 365 days bill 293 x 8,760 h x 0.17 = $436,335.60. */
    struct instance_type t;
    memset(&t, 0, sizeof t);
    t.hourly.usd = 0.17;
    t.round_ns = SIM_NS_PER_S;
    t.minimum_ns = 60 * SIM_NS_PER_S;
    struct machine_meter mm;
    machine_meter_init(&mm, &t, 0.0);
    for (int i = 0; i < 293; i++)
        machine_charge(&mm, 365 * 86400 * SIM_NS_PER_S);
    cr_assert(mm.billed_ns == (sim_time_sum)293 * 365 * 86400 * SIM_NS_PER_S);
    cr_assert_float_eq(machine_usd(&mm, mm.billed_ns), 436335.60, 0.005);
    /* Request billing: 10 executions of 1e18 ns (31.7 years) on 2 GiB bill 1e10 s:
     * 1e10 x 2 x $0.0000166667 = $333,334. */
    struct platform_profile p = lambda_like();
    struct billing_meter m;
    billing_meter_init(&m, &p, 2LL << 30, 0, 0.0, 0);
    for (int i = 0; i < 10; i++)
        billing_charge_request(&m, 1000000000 * SIM_NS_PER_S, 0);
    struct cost_breakdown c;
    billing_meter_cost(&m, 3600, &c);
    cr_assert_float_eq(c.compute_usd, 333334.0, 0.005);
    /* Provisioned allocation: 5e9 instances (more than 32 bits count) of 2 GiB for
     * 61 min bill 65 min each at $0.0000041667 per GiB-s:
     * 5e9 x 3,900 s x 2 x 0.0000041667 = $162,501,300. */
    p.provisioned_round_ns = 5 * 60 * SIM_NS_PER_S;
    p.provisioned_gb_s.usd = 0.0000041667;
    p.provisioned_rule = PROVISIONED_ALLOCATION;
    struct provisioned_meter pm;
    provisioned_meter_init(&pm, &p, 2LL << 30, 0.0);
    uint64_t n = 5000000000u;
    provisioned_charge_allocation(&pm, n, 61 * 60 * SIM_NS_PER_S);
    cr_assert_float_eq(provisioned_usd(&pm), 162501300.0, 0.005);
}

Test(billing, a_rounding_unit_near_the_clocks_range_does_not_overflow)
{
    /* ceil(d / unit) x unit without forming d + unit: a 200-year unit rounds 150
     * years up to 200 years, and a unit of INT64_MAX rounds 2 ns up to INT64_MAX. */
    sim_time year = 365 * 86400 * SIM_NS_PER_S;
    cr_assert_eq(billing_round(150 * year, 200 * year, 0), 200 * year);
    cr_assert_eq(billing_round(2, INT64_MAX, 0), INT64_MAX);
    cr_assert_eq(billing_round(200 * year, 200 * year, 0), 200 * year);
    cr_assert_eq(billing_round(100 * year + 1, 50 * year, 0), 150 * year);
}
