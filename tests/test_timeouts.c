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

/* Under processor sharing each request has its own timeout. Cloud Run at 2 GiB, one
 * vCPU, a serial model (parallel_fraction 0): n requests in service each run at 1/n.
 * Requests of 2 s work arrive at 1 s (A) and 2 s (B). A runs alone for 1 s, then
 * both at 1/2: A's last 1 s of work ends at 4 s (3 s after its start), B then has
 * 1 s left alone: done at 5 s (3 s). With timeout 3 s both are served in 3,000 ms.
 * With 2.9 s A is cut off at 3.9 s with 1.95 s of work done; B, alone from then
 * with 1.05 s left, would end at 4.95 s, 2.95 s after its start: cut off at 4.9 s.
 * Both timed out, no latency recorded. */
Test(timeouts, each_request_sharing_an_instance_has_its_own_timeout)
{
    struct scenario *s =
        load_yaml("duration: 2500ms\n"
                  "model: {service: 2s, parallel_fraction: 0}\n"
                  "workload: {arrival: constant, rate: 1/s}\n"
                  "deployments:\n"
                  "  - {name: t29, platform: cloud-run, memory: 2GiB, concurrency: 2,"
                  " coldstart: none, timeout: 2900ms, perf: cpu}\n"
                  "  - {name: t3, platform: cloud-run, memory: 2GiB, concurrency: 2,"
                  " coldstart: none, timeout: 3s, perf: cpu}\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 2);
    cr_assert_eq(r.timed_out, 2);
    cr_assert_eq(r.served, 0);
    cr_assert_eq(r.latency.count, 0);
    result_free(&r);
    r = run_one(s, 1);
    cr_assert_eq(r.timed_out, 0);
    cr_assert_eq(r.served, 2);
    cr_assert_eq(r.latency.max_ns, 3000000000);
    cr_assert_eq(histogram_quantile_ns(&r.latency, 0.01) > 2.9e9, 1);
    result_free(&r);
    scenario_destroy(s);
}

/* The instance goes on without a request cut off at its timeout. A (2 s of work) at
 * 1 s and B (1.2 s) at 2 s share one vCPU: A has 1 s done at 2 s, both then run at
 * 1/2. Timeout 2.5 s: A is cut off at 3.5 s (1.75 s done), B has 0.75 s done and
 * the vCPU alone from then: 0.45 s more, done at 3.95 s, served in 1.95 s. Were A
 * kept to its end (4 s), B would end at 4.2 s: 2.2 s. */
Test(timeouts, the_others_go_on_without_the_request_cut_off)
{
    char path[] = "/tmp/slsim-timeout-XXXXXX";
    write_temp(path, "time,fn,dur\n1000,a,2000\n2000,a,1200\n");
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "duration: 10s\nmodel: {service: 1s, parallel_fraction: 0}\n"
             "workload: {arrival: trace, trace: {format: csv, path: %s,"
             " columns: {time: time, function: fn, duration: dur}, time_unit: ms,"
             " duration_unit: 1ms}}\n"
             "deployments: [{name: c, platform: cloud-run, memory: 2GiB, concurrency: 2,"
             " coldstart: none, timeout: 2500ms, perf: cpu}]\n",
             path);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    unlink(path);
    cr_assert_eq(r.timed_out, 1);
    cr_assert_eq(r.served, 1);
    cr_assert_eq(r.latency.max_ns, 1950000000);
    result_free(&r);
    scenario_destroy(s);
}

/* A batch longer than the timeout fails as a whole at the timeout. */
Test(timeouts, a_batch_past_the_timeout_fails_as_a_whole)
{
    struct scenario *s =
        load_yaml("duration: 10s\n"
                  "model: {service: 2s}\n"
                  "workload: {arrival: constant, rate: 1/s}\n"
                  "deployments:\n"
                  "  - {name: b, platform: aws-lambda, memory: 1769MiB, coldstart: none,"
                  " timeout: 1s, batching: {max_batch_size: 1}}\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 9);
    cr_assert_eq(r.timed_out, 9);
    cr_assert_eq(r.served, 0);
    cr_assert_eq(r.billed_ms, 9000);
    result_free(&r);
    scenario_destroy(s);
}
