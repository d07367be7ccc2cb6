/* test_timeouts.c - a deployment's `timeout`: a request running past it fails there,
 * its instance is freed then, it is billed up to the limit, and it is counted. */
#include <criterion/criterion.h>

#include "helpers.h"

/* Lambda's per-request billing rule (mode_request.c, AWS Lambda pricing page):
 * billed duration = execution rounded up to 1 ms, x memory in GB (2^30 bytes) x
 * $0.0000166667 per GB-s. A request of 2 s work under timeout: 1s fails at 1 s and
 * is billed 1000 ms x 1 GB x $0.0000166667 = $0.0000166667. Requests arrive every
 * 1.5 s (at 1.5, 3, ..., 9 s: 6 in 10 s); each ends at its start + 1 s, so the one
 * instance is free when the next arrives: 1 instance, 1 cold start, busy exactly
 * 6 x 1 s, and none served (at 1 GiB the work runs at 1,024 / 1,769 of a vCPU:
 * longer still). */
Test(timeouts, lambda_bills_exactly_the_limit_and_frees_the_instance_then)
{
    struct scenario *s =
        load_yaml("duration: 10s\n"
                  "model: {service: 2s}\n"
                  "workload: {arrival: constant, rate: 40/min}\n"
                  "deployments:\n"
                  "  - {name: a, platform: aws-lambda, memory: 1GiB, coldstart: none,"
                  " timeout: 1s}\n"
                  "  - {name: b, platform: aws-lambda, memory: 1GiB, coldstart: none}\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 6);
    cr_assert_eq(r.timed_out, 6);
    cr_assert_eq(r.served, 0);
    cr_assert_eq(r.latency.count, 0, "a timed-out request has no latency");
    cr_assert_eq(r.billed_ms, 6000);
    cr_assert_float_eq(r.cost.compute_usd, 6 * 1.0 * 1.0 * 0.0000166667, 1e-15);
    cr_assert_eq(r.instances_peak, 1);
    cr_assert_eq(r.cold_starts, 1);
    cr_assert_float_eq(r.busy_instance_s, 6.0, 1e-9);
    cr_assert_float_eq(result_slo_attainment(&r, &s->slo), s->slo.percentile > 0 ? 0.0 : 1.0,
                       1e-12);
    result_free(&r);
    /* Without a timeout key the platform's 900 s applies: every request served. */
    r = run_one(s, 1);
    cr_assert_eq(r.timed_out, 0);
    cr_assert_eq(r.served, r.requests);
    cr_assert_gt(r.instances_peak, 1);
    result_free(&r);
    scenario_destroy(s);
}

/* A request within the limit is untouched: 0.5 s of work at 1,769 MiB (one vCPU,
 * speed 1) under timeout: 1s is served and billed 500 ms; 9 requests in 10 s (at 1, 2, ..., 9 s). */
Test(timeouts, only_requests_past_the_limit_fail)
{
    struct scenario *s =
        load_yaml("duration: 10s\n"
                  "model: {service: 500ms}\n"
                  "workload: {arrival: constant, rate: 1/s}\n"
                  "deployments:\n"
                  "  - {name: a, platform: aws-lambda, memory: 1769MiB, coldstart: none,"
                  " timeout: 1s}\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.timed_out, 0);
    cr_assert_eq(r.served, 9);
    cr_assert_eq(r.billed_ms, 4500);
    result_free(&r);
    scenario_destroy(s);
}

/* The key is refused above the platform's limit (Lambda 900 s), with the limit named. */
Test(timeouts, above_the_platform_limit_is_refused)
{
    struct slsim_error e =
        load_yaml_error("duration: 10s\n"
                        "model: {service: 100ms}\n"
                        "workload: {arrival: constant, rate: 1/s}\n"
                        "deployments:\n"
                        "  - {name: a, platform: aws-lambda, memory: 1GiB, timeout: 16m}\n");
    cr_assert_str_eq(e.key, "deployments.a.timeout");
    cr_assert(strstr(e.message, "limit of 15m") || strstr(e.message, "limit of 900s"),
              "%s", e.message);
    cr_assert(strstr(e.message, "limits.timeout"), "%s", e.message);
}
