/* test_billing.c - billing meters against bills worked by hand. */
#include <criterion/criterion.h>

#include "slsim/billing.h"

Test(billing, one_ms_rounding_and_request_fee_lambda)
{
    /* Lambda x86: $0.20 per 1e6 requests, $0.0000166667 per GiB-s, 1 ms rounding.
     * Three requests of 1 ns, 1 ms and 1.000001 ms on 2 GiB bill 1 + 1 + 2 ms:
     * cost = 3 x 0.2e-6 + 0.004 s x 2 GiB x 0.0000166667. */
    struct billing_rate rate = {0.20 / 1e6, 0.0000166667, SIM_NS_PER_MS, 1, 10 * SIM_NS_PER_S};
    struct billing_meter m;
    billing_meter_init(&m, &rate, 2LL << 30);
    cr_assert_eq(billing_charge(&m, 1, 0), SIM_NS_PER_MS);
    cr_assert_eq(billing_charge(&m, SIM_NS_PER_MS, 0), SIM_NS_PER_MS);
    cr_assert_eq(billing_charge(&m, SIM_NS_PER_MS + 1, 0), 2 * SIM_NS_PER_MS);
    struct cost_breakdown c;
    billing_meter_cost(&m, &c);
    cr_assert_float_eq(c.requests_usd, 3 * 0.2e-6, 1e-18);
    cr_assert_float_eq(c.compute_usd, 0.004 * 2 * 0.0000166667, 1e-18);
    cr_assert_eq(c.provisioned_usd, 0);
}

Test(billing, init_is_billed_up_to_its_cap_only_when_the_rule_says_so)
{
    struct billing_rate rate = {0, 1.0, SIM_NS_PER_MS, 1, 10 * SIM_NS_PER_S};
    struct billing_meter m;
    billing_meter_init(&m, &rate, 1LL << 30);
    /* 100 ms of work after a 12 s cold start: init capped at 10 s. */
    cr_assert_eq(billing_charge(&m, 100 * SIM_NS_PER_MS, 12 * SIM_NS_PER_S),
                 10100 * SIM_NS_PER_MS);
    rate.init_billed = 0;
    billing_meter_init(&m, &rate, 1LL << 30);
    cr_assert_eq(billing_charge(&m, 100 * SIM_NS_PER_MS, 12 * SIM_NS_PER_S), 100 * SIM_NS_PER_MS);
}

Test(billing, coarser_rounding_units)
{
    /* 100 ms rounding (Cloud Run's request-based unit): 101 ms bills 200 ms; 1 s
     * rounding: 1 ms bills 1 s. */
    struct billing_rate rate = {0, 1.0, 100 * SIM_NS_PER_MS, 0, 0};
    struct billing_meter m;
    billing_meter_init(&m, &rate, 1LL << 30);
    cr_assert_eq(billing_charge(&m, 101 * SIM_NS_PER_MS, 0), 200 * SIM_NS_PER_MS);
    cr_assert_eq(billing_charge(&m, 100 * SIM_NS_PER_MS, 0), 100 * SIM_NS_PER_MS);
    rate.round_ns = SIM_NS_PER_S;
    billing_meter_init(&m, &rate, 512LL << 20);
    sim_time b = billing_charge(&m, SIM_NS_PER_MS, 0);
    cr_assert_eq(b, SIM_NS_PER_S);
    /* 1 s x 0.5 GiB x $1 per GiB-s */
    cr_assert_float_eq(billing_request_usd(&m, b), 0.5, 1e-15);
}
