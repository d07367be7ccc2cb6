/* test_bills.c - closed-form bills for tiny traces, worked by hand in each test
 * from tests/data/pricing/test.yaml (round prices, not real ones). */
#include <math.h>

#include "helpers.h"

#define PRICING "pricing: tests/data/pricing/test.yaml\n"

static struct deployment_result bill(const char *yaml)
{
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    scenario_destroy(s);
    return r;
}

Test(bills, request_mode_rounds_each_request_up_to_1ms_and_bills_the_cold_start)
{
    /* 10 requests at t = 1..10 s, 250.4 ms each, 2 GiB; the first waits for a
     * 100.2 ms cold start. Billed: ceil(350.6) = 351 ms + 9 x ceil(250.4) = 251 ms
     * = 2610 ms. Cost = 2.610 s x 2 GiB x $0.00001 + 10 x $0.000001. */
    struct deployment_result r = bill(PRICING "duration: 10.5s\n"
                                              "model: {service: 250.4ms}\n"
                                              "workload: {arrival: constant, rate: 1/s}\n"
                                              "deployments: [{platform: req-1ms, memory: 2GiB,"
                                              " coldstart: {dist: constant, value: 100.2ms}}]\n");
    cr_assert_eq(r.served, 10);
    cr_assert_float_eq(r.billed_ms, 2610, 1e-9);
    cr_assert_float_eq(r.cost.compute_usd, 2.610 * 2 * 0.00001, 1e-15);
    cr_assert_float_eq(r.cost.requests_usd, 10 * 0.000001, 1e-15);
    result_free(&r);
    /* The INIT switch off: 10 x 251 ms. */
    r = bill(PRICING "duration: 10.5s\n"
                     "model: {service: 250.4ms}\n"
                     "workload: {arrival: constant, rate: 1/s}\n"
                     "deployments: [{platform: req-1ms, memory: 2GiB, init_billed: false,"
                     " coldstart: {dist: constant, value: 100.2ms}}]\n");
    cr_assert_float_eq(r.billed_ms, 2510, 1e-9);
    result_free(&r);
}

Test(bills, one_second_minimum_then_100ms_steps_in_decimal_gb)
{
    /* Flex-consumption-like: 250 ms bills the 1 s minimum; 1.23 s bills 1.3 s.
     * Memory 2GB is 2 units of a decimal GB. */
    struct deployment_result r = bill(PRICING "duration: 10.5s\n"
                                              "model: {service: 250ms}\n"
                                              "workload: {arrival: constant, rate: 1/s}\n"
                                              "deployments: [{platform: flex-like, memory: 2GB,"
                                              " coldstart: none}]\n");
    cr_assert_float_eq(r.billed_ms, 10 * 1000, 1e-9);
    cr_assert_float_eq(r.cost.compute_usd, 10 * 1.0 * 2 * 0.00001, 1e-15);
    result_free(&r);
    r = bill(PRICING "duration: 10.5s\n"
                     "model: {service: 1.23s}\n"
                     "workload: {arrival: constant, rate: 1/s}\n"
                     "deployments: [{platform: flex-like, memory: 2GB, coldstart: none}]\n");
    cr_assert_float_eq(r.billed_ms, 10 * 1300, 1e-9);
    result_free(&r);
}

Test(bills, busy_mode_bills_each_busy_period_rounded_to_100ms)
{
    /* Cloud-Run-request-based-like: requests at t = 10, 20, ..., 100 s, 1.05 s each,
     * keep-alive 5 s: each is its own busy period, billed 1.1 s. Cost = 11 s x
     * (1 GiB x $0.000002 + 1 vCPU x $0.00002) + 10 x $0.000001. */
    struct deployment_result r = bill(PRICING "duration: 105s\n"
                                              "model: {service: 1.05s}\n"
                                              "workload: {arrival: constant, rate: 0.1/s}\n"
                                              "deployments: [{platform: busy-100ms, memory: 1GiB,"
                                              " keep_alive: 5s, coldstart: none}]\n");
    cr_assert_eq(r.served, 10);
    cr_assert_float_eq(r.billed_ms, 11000, 1e-9);
    cr_assert_float_eq(r.cost.compute_usd, 11 * (0.000002 + 0.00002), 1e-15);
    cr_assert_float_eq(r.cost.requests_usd, 10 * 0.000001, 1e-15);
    result_free(&r);
}

Test(bills, instance_mode_bills_idle_keep_warm_until_teardown)
{
    /* Cloud-Run-instance-based-like: requests at t = 10, ..., 190 s (19), 1.05 s each,
     * keep-alive 5 s: each instance lives 1.05 + 5 = 6.05 s, billed 6.1 s, idle time
     * included. Cost = 19 x 6.1 s x (1 GiB x $0.000001 + 1 vCPU x $0.00001); no fee. */
    struct deployment_result r = bill(PRICING "duration: 200s\n"
                                              "model: {service: 1.05s}\n"
                                              "workload: {arrival: constant, rate: 0.1/s}\n"
                                              "deployments: [{platform: inst-100ms, memory: 1GiB,"
                                              " keep_alive: 5s, coldstart: none}]\n");
    cr_assert_eq(r.served, 19);
    cr_assert_eq(r.cold_starts, 19);
    cr_assert_float_eq(r.billed_ms, 19 * 6100, 1e-6);
    cr_assert_float_eq(r.cost.compute_usd, 19 * 6.1 * 0.000011, 1e-12);
    cr_assert_float_eq(r.cost.requests_usd, 0, 0);
    result_free(&r);
}

Test(bills, gpu_provider_bills_instance_life_from_creation_cold_start_included)
{
    /* Requests every 10 s (19 of them), cold start 2 s, service 1 s, keep-alive 5 s:
     * each instance lives 2 + 1 + 5 = 8 s, billed at $0.001 per GPU-second: 19 x 8 x
     * 0.001. Not billing the start (init_billed: false): 6 s each. */
    struct deployment_result r = bill(PRICING "duration: 200s\n"
                                              "model: {service: 1s}\n"
                                              "workload: {arrival: constant, rate: 0.1/s}\n"
                                              "deployments: [{platform: gpu-1s, keep_alive: 5s,"
                                              " coldstart: {dist: constant, value: 2s}}]\n");
    cr_assert_eq(r.cold_starts, 19);
    cr_assert_float_eq(r.cost.compute_usd, 19 * 8 * 0.001, 1e-12);
    result_free(&r);
    r = bill(PRICING "duration: 200s\n"
                     "model: {service: 1s}\n"
                     "workload: {arrival: constant, rate: 0.1/s}\n"
                     "deployments: [{platform: gpu-1s, keep_alive: 5s, init_billed: false,"
                     " coldstart: {dist: constant, value: 2s}}]\n");
    cr_assert_float_eq(r.cost.compute_usd, 19 * 6 * 0.001, 1e-12);
    result_free(&r);
}

Test(bills, dedicated_fleet_per_second_with_60s_minimum_hourly_and_discount)
{
    /* 2 machines at $3.60/h ($0.001/s): a 30 s run bills the 60 s minimum each,
     * 2 x 60 x 0.001 = $0.12; a 100.5 s run bills 101 s each, $0.202. */
    const char *fmt = PRICING "duration: %s\n"
                              "model: {service: 100ms}\n"
                              "workload: {arrival: constant, rate: 1/s}\n"
                              "deployments: [{type: dedicated, instance: %s, count: 2%s}]\n";
    char yaml[1024];
    snprintf(yaml, sizeof yaml, fmt, "30s", "box", "");
    struct deployment_result r = bill(yaml);
    cr_assert_float_eq(r.cost.instances_usd, 0.12, 1e-12);
    cr_assert_float_eq(result_cost_total(&r), 0.12, 1e-12);
    result_free(&r);
    snprintf(yaml, sizeof yaml, fmt, "100.5s", "box", "");
    r = bill(yaml);
    cr_assert_float_eq(r.cost.instances_usd, 0.202, 1e-12);
    result_free(&r);
    /* Hourly billing rounds 1.5 h up to 2 h: 2 machines x 2 h x $1; half off: $2. */
    snprintf(yaml, sizeof yaml, fmt, "1.5h", "hourly-box", "");
    r = bill(yaml);
    cr_assert_float_eq(r.cost.instances_usd, 4.0, 1e-12);
    result_free(&r);
    snprintf(yaml, sizeof yaml, fmt, "1.5h", "hourly-box", ", discount: half");
    r = bill(yaml);
    cr_assert_float_eq(r.cost.instances_usd, 2.0, 1e-12);
    result_free(&r);
}

Test(bills, hybrid_splits_requests_and_bills_each_tier_by_its_own_rule)
{
    /* One 1-slot base machine; requests every 1 s (t = 1..100), 1.5 s each. The
     * base is busy at every even second (its request of t-1 ends at t+0.5), so odd
     * seconds go to the base and even ones overflow: 50 and 50. Base: 101 s x
     * $0.001. Overflow (req-1ms, 1 GiB, no cold start): 50 x ($0.000001 + 1.5 s x
     * 1 GiB x $0.00001). */
    struct deployment_result r = bill(PRICING "duration: 100.5s\n"
                                              "model: {service: 1.5s}\n"
                                              "workload: {arrival: constant, rate: 1/s}\n"
                                              "deployments:\n"
                                              "  - type: hybrid\n"
                                              "    base: {instance: box, count: 1, slots: 1}\n"
                                              "    overflow: {platform: req-1ms, memory: 1GiB,"
                                              " coldstart: none}\n");
    cr_assert_eq(r.n_tiers, 2);
    cr_assert_eq(r.requests, 100);
    cr_assert_eq(r.tiers[0].served, 50);
    cr_assert_eq(r.tiers[1].served, 50);
    cr_assert_eq(r.tiers[0].queued, 0);
    cr_assert_float_eq(r.tiers[0].cost.instances_usd, 0.101, 1e-12);
    cr_assert_float_eq(result_cost_total(&r.tiers[1]), 50 * (0.000001 + 1.5 * 0.00001), 1e-12);
    cr_assert_float_eq(result_cost_total(&r),
                       result_cost_total(&r.tiers[0]) + result_cost_total(&r.tiers[1]), 1e-15);
    /* Every request took exactly its 1.5 s: nothing waited. */
    cr_assert_eq(r.latency.max_ns, 1500000000);
    result_free(&r);
}
