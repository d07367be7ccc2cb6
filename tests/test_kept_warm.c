/* test_kept_warm.c - bills of the built-in catalog worked by hand: kept-warm
 * capacity under each platform's rule, minimum billable durations, the free tier
 * with provisioned concurrency, discounts on provisioned capacity, Azure Flex busy
 * periods, and reserved concurrency that includes provisioned concurrency.
 *
 * Prices are the built-in catalog's (scenarios/pricing/default.yaml); each test
 * names the provider's rule it checks. */
#include <math.h>

#include "helpers.h"

static struct deployment_result run_yaml(const char *yaml)
{
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    scenario_destroy(s);
    return r;
}

/* Two lines every scenario needs, for the error cases. */
#define HEADER "duration: 1h\nworkload: {arrival: poisson, rate: 1/s}\n"

/* One day, one kept-warm instance, a request every 2 s (first at 2 s) of 150 ms:
 * all of them served by the kept-warm instance. */
#define DAY_OF_REQUESTS                                                                        \
    "duration: 1d\n"                                                                           \
    "model: {service: 150ms}\n"                                                                \
    "workload: {arrival: constant, rate: 0.5/s}\n"

Test(kept_warm, instance_billed_min_instances_pay_their_whole_life_at_the_full_rate)
{
    /* Cloud Run instance-based: min instances are billed at the full rate, as any
     * instance (docs configuring/billing-settings): 86,400 s x ($0.000018 x 1 vCPU +
     * $0.000002 x 2 GiB) = $1.9008; no request fee on instance-based billing. */
    struct deployment_result r =
        run_yaml(DAY_OF_REQUESTS "deployments: [{platform: cloud-run-instance, memory: 2GiB,"
                                 " provisioned: 1}]\n");
    cr_assert_eq(r.served, 43199);
    cr_assert_eq(r.cold_starts, 0);
    cr_assert_float_eq(r.cost.provisioned_usd, 86400 * (0.000018 + 0.000002 * 2), 1e-9);
    cr_assert_float_eq(r.cost.compute_usd, 0.0, 1e-15);
    cr_assert_float_eq(r.cost.requests_usd, 0.0, 1e-15);
    cr_assert_float_eq(r.billed_ms, 86400e3, 1e-6, "the kept-warm life is billed time");
    result_free(&r);
}

Test(kept_warm, gpu_providers_bill_a_kept_warm_worker_for_gpu_cpu_and_memory_seconds)
{
    /* Modal: GPU, CPU core and memory per second while a container is up:
     * 86,400 s x ($0.000222 L4 + $0.0000131 x 1 core + $0.00000222 x 2 GiB). */
    struct deployment_result r =
        run_yaml(DAY_OF_REQUESTS "deployments: [{platform: modal-l4, memory: 2GiB,"
                                 " provisioned: 1}]\n");
    cr_assert_eq(r.cold_starts, 0);
    cr_assert_float_eq(r.cost.provisioned_usd,
                       86400 * (0.000222 + 0.0000131 + 0.00000222 * 2), 1e-9);
    cr_assert_float_eq(r.cost.compute_usd, 0.0, 1e-15);
    result_free(&r);
    /* RunPod flex: the GPU price covers CPU and memory: 86,400 s x $0.00019. */
    r = run_yaml(DAY_OF_REQUESTS "deployments: [{platform: runpod-l4, provisioned: 1}]\n");
    cr_assert_float_eq(r.cost.provisioned_usd, 86400 * 0.00019, 1e-9);
    cr_assert_float_eq(r.cost.compute_usd, 0.0, 1e-15);
    result_free(&r);
}

Test(kept_warm, request_based_min_instances_pay_the_idle_rate_idle_and_the_active_rate_busy)
{
    /* Cloud Run request-based min instance (1 vCPU, 2 GiB): each 150 ms request is a
     * busy period billed at the active rate rounded up to 100 ms, 0.2 s x
     * ($0.000024 + 2 x $0.0000025); the rest of the day, 86,400 - 43,199 x 0.2 s (the
     * instance is active for its billed periods, idle otherwise: no second billed
     * twice), at the idle rate $0.0000025 per vCPU-s and per GiB-s; $0.40 per
     * million requests. */
    struct deployment_result r =
        run_yaml(DAY_OF_REQUESTS "deployments: [{platform: cloud-run, memory: 2GiB,"
                                 " provisioned: 1}]\n");
    cr_assert_eq(r.served, 43199);
    cr_assert_eq(r.cold_starts, 0);
    cr_assert_float_eq(r.cost.compute_usd, 43199 * 0.2 * (0.000024 + 2 * 0.0000025), 1e-9);
    cr_assert_float_eq(r.cost.provisioned_usd,
                       (86400 - 43199 * 0.2) * (0.0000025 + 2 * 0.0000025), 1e-9);
    cr_assert_float_eq(r.cost.requests_usd, 43199 * 0.0000004, 1e-12);
    result_free(&r);
}

Test(kept_warm, a_platform_without_a_kept_warm_price_refuses_provisioned)
{
    /* SageMaker Serverless: the provisioned-concurrency rate was not found in any
     * source, so a bill for it would be invented. */
    struct slsim_error e = load_yaml_error(HEADER "model: {service: 100ms}\n"
                                      "deployments: [{platform: sagemaker-serverless,"
                                      " memory: 2GiB, provisioned: 1}]\n");
    cr_assert(strstr(e.message, "sagemaker-serverless"), "%s", e.message);
    cr_assert(strstr(e.message, "provisioned"), "%s", e.message);
    cr_assert_str_eq(e.key, "deployments.serverless-1.provisioned");
    cr_assert_eq(e.line, 4);
    cr_assert_gt(e.column, 1);
    /* Lambda arm64 has an allocation price but none for execution on it. */
    e = load_yaml_error(HEADER "model: {service: 100ms}\n"
                   "deployments: [{platform: aws-lambda-arm64, memory: 2GiB, provisioned: 1}]\n");
    cr_assert(strstr(e.message, "provisioned_exec_gb_s"), "%s", e.message);
}

Test(kept_warm, every_execution_bills_at_least_the_platforms_minimum)
{
    /* Lambda bills duration rounded up to 1 ms: an execution of 0 ms bills 1 ms
     * (aws.amazon.com/lambda/pricing), so 59 requests bill 59 ms. */
    struct deployment_result r = run_yaml("duration: 60s\n"
                                          "model: {service: 0s}\n"
                                          "workload: {arrival: constant, rate: 1/s}\n"
                                          "deployments: [{platform: aws-lambda, memory: 1GiB,"
                                          " coldstart: none}]\n");
    cr_assert_eq(r.served, 59);
    cr_assert_float_eq(r.billed_ms, 59.0, 1e-9);
    cr_assert_float_eq(r.cost.compute_usd, 59 * 0.001 * 1 * 0.0000166667, 1e-15);
    result_free(&r);
    /* Cloud Run request-based rounds each busy period up to 100 ms: a 0 ms request
     * is a busy period and bills 100 ms (1 vCPU, 1 GiB). */
    r = run_yaml("duration: 60s\n"
                 "model: {service: 0s}\n"
                 "workload: {arrival: constant, rate: 1/s}\n"
                 "deployments: [{platform: cloud-run, memory: 1GiB, coldstart: none}]\n");
    cr_assert_eq(r.served, 59);
    cr_assert_float_eq(r.billed_ms, 59 * 100.0, 1e-9);
    result_free(&r);
    /* A trace's zero durations too (8.65% of the Azure 2021 rows): 0, 0.4 ms and
     * 1.5 ms, replayed as measured (`perf: measured`), on Lambda bill 1 + 1 + 2 ms. */
    char path[] = "/tmp/slsim-trace-XXXXXX";
    write_temp(path, "time,fn,dur\n1.0,a,0\n2.0,a,0.4\n3.0,a,1.5\n");
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "duration: 10s\n"
             "model: {service: 1s}\n"
             "workload: {arrival: trace, trace: {format: csv, path: %s,"
             " columns: {time: time, function: fn, duration: dur}, duration_unit: 1ms}}\n"
             "deployments: [{platform: aws-lambda, memory: 1GiB, coldstart: none,"
             " perf: measured}]\n",
             path);
    r = run_yaml(yaml);
    unlink(path);
    cr_assert_eq(r.served, 3);
    cr_assert_float_eq(r.billed_ms, 4.0, 1e-9);
    result_free(&r);
}

/* 730 hours of one 100 ms request a second on 1 GiB Lambda. */
#define MONTH_ON_LAMBDA                                                                        \
    "duration: 730h\n"                                                                         \
    "model: {service: 100ms}\n"                                                                \
    "workload: {arrival: constant, rate: 1/s}\n"

Test(kept_warm, lambdas_free_tier_does_not_apply_to_a_function_with_provisioned_concurrency,
     .timeout = 120)
{
    /* "The Lambda free tier does not apply to functions that have Provisioned
     * Concurrency enabled" (aws.amazon.com/lambda/pricing): 2,627,999 requests pay
     * $0.20 per million in full, $0.5255998, not less the 1 M free requests. */
    struct deployment_result r =
        run_yaml(MONTH_ON_LAMBDA "deployments: [{platform: aws-lambda, memory: 1GiB,"
                                 " provisioned: 1, free_tier: true}]\n");
    cr_assert_eq(r.served, 2627999);
    cr_assert_float_eq(r.cost.requests_usd, 2627999 * 0.0000002, 1e-9);
    result_free(&r);
    /* Without provisioned concurrency the free tier applies: 1,627,999 requests
     * are billed, $0.3255998. */
    r = run_yaml(MONTH_ON_LAMBDA "deployments: [{platform: aws-lambda, memory: 1GiB,"
                                 " coldstart: none, free_tier: true}]\n");
    cr_assert_float_eq(r.cost.requests_usd, (2627999 - 1e6) * 0.0000002, 1e-9);
    result_free(&r);
}

Test(kept_warm, a_savings_plan_discounts_provisioned_concurrency_as_well_as_duration)
{
    /* Two provisioned 2 GiB Lambda instances for a day, a 100 ms request a second
     * (86,399 of them): allocation 2 x 86,400 s x 2 GiB x $0.0000041667 and
     * duration on it 86,399 x 0.1 s x 2 GiB x $0.0000097222. The Lambda savings plan
     * takes 17% off both (duration and provisioned concurrency), not the requests. */
    const char *yaml = "duration: 1d\n"
                       "model: {service: 100ms}\n"
                       "workload: {arrival: constant, rate: 1/s}\n"
                       "deployments: [{platform: aws-lambda, memory: 2GiB, provisioned: 2%s}]\n";
    char text[512];
    double alloc = 2 * 86400.0 * 2 * 0.0000041667, exec = 86399 * 0.1 * 2 * 0.0000097222;
    snprintf(text, sizeof text, yaml, "");
    struct deployment_result r = run_yaml(text);
    cr_assert_eq(r.served, 86399);
    cr_assert_float_eq(r.cost.provisioned_usd, alloc + exec, 1e-9);
    result_free(&r);
    snprintf(text, sizeof text, yaml, ", discount: savings-plan-lambda");
    r = run_yaml(text);
    cr_assert_float_eq(r.cost.provisioned_usd, (alloc + exec) * 0.83, 1e-9);
    cr_assert_float_eq(r.cost.requests_usd, 86399 * 0.0000002, 1e-12);
    result_free(&r);
}

/* A trace of two 150 ms requests of one function arriving together every 2 s,
 * from 2 s to 3,598 s (1,799 pairs); the path is filled in. */
static void write_pairs(char *path)
{
    char *rows = malloc(64 * 3600);
    cr_assert(rows);
    size_t n = (size_t)sprintf(rows, "time,fn,dur\n");
    for (int t = 2; t < 3600; t += 2)
        n += (size_t)sprintf(rows + n, "%d,a,150\n%d,a,150\n", t, t);
    write_temp(path, rows);
    free(rows);
}

#define PAIRS_SCENARIO                                                                         \
    "duration: 1h\n"                                                                           \
    "model: {service: 150ms}\n"                                                                \
    "workload: {arrival: trace, trace: {format: csv, path: %s,"                                \
    " columns: {time: time, function: fn, duration: dur}, duration_unit: 1ms}}\n"             \
    "deployments: [{platform: azure-functions-flex, memory: 2GiB, concurrency: 2%s}]\n"

Test(kept_warm, azure_flex_bills_each_busy_period_of_an_instance_once)
{
    /* Flex Consumption on-demand: instance memory x the time the instance executes
     * at least one function, each such period at least 1,000 ms then in 100 ms
     * steps, plus $0.40 per million executions. A request every 2 s of 150 ms on
     * one 2 GiB instance for a day: 43,199 periods x 1 s x 2 GiB x $0.000026. */
    struct deployment_result r =
        run_yaml(DAY_OF_REQUESTS "deployments: [{platform: azure-functions-flex, memory: 2GiB,"
                                 " coldstart: none}]\n");
    cr_assert_eq(r.served, 43199);
    cr_assert_float_eq(r.cost.compute_usd, 43199 * 1.0 * 2 * 0.000026, 1e-9);
    cr_assert_float_eq(r.cost.requests_usd, 43199 * 0.0000004, 1e-12);
    result_free(&r);
    /* Two requests arriving together every 2 s for an hour on one instance of
     * concurrency 2: one busy period each time, so the same GB-s as one request
     * (1,799 x 1 s x 2 GiB) and twice the fees. */
    char path[] = "/tmp/slsim-trace-XXXXXX";
    write_pairs(path);
    char yaml[1024];
    snprintf(yaml, sizeof yaml, PAIRS_SCENARIO, path, ", coldstart: none");
    r = run_yaml(yaml);
    unlink(path);
    cr_assert_eq(r.served, 2 * 1799);
    cr_assert_eq(r.cold_starts, 1);
    cr_assert_float_eq(r.cost.compute_usd, 1799 * 1.0 * 2 * 0.000026, 1e-9);
    cr_assert_float_eq(r.cost.requests_usd, 2 * 1799 * 0.0000004, 1e-12);
    result_free(&r);
}

Test(kept_warm, flex_always_ready_bills_baseline_and_busy_periods_at_its_own_rates)
{
    /* Flex always-ready: a baseline of $0.000004 per GB-s of instance memory while
     * provisioned, and each busy period (1 s minimum, 100 ms steps, as on demand)
     * at $0.000016 per GB-s; the execution fee stays $0.40 per million. One 2 GiB
     * instance for an hour, two 150 ms requests together every 2 s: 3,600 x 2 x
     * 0.000004 + 1,799 x 1 s x 2 x 0.000016 (one period per pair, not two). */
    char path[] = "/tmp/slsim-trace-XXXXXX";
    write_pairs(path);
    char yaml[1024];
    snprintf(yaml, sizeof yaml, PAIRS_SCENARIO, path, ", provisioned: 1");
    struct deployment_result r = run_yaml(yaml);
    unlink(path);
    cr_assert_eq(r.served, 2 * 1799);
    cr_assert_eq(r.cold_starts, 0);
    cr_assert_float_eq(r.cost.provisioned_usd, 3600 * 2 * 0.000004 + 1799 * 1.0 * 2 * 0.000016,
                       1e-9);
    cr_assert_float_eq(r.cost.compute_usd, 0.0, 1e-15);
    cr_assert_float_eq(r.cost.requests_usd, 2 * 1799 * 0.0000004, 1e-12);
    result_free(&r);
    /* "Always-ready has no free grants" (flex-consumption-plan.md): with the free
     * tier on, executions on the always-ready instance still pay every fee. */
    char again[] = "/tmp/slsim-trace-XXXXXX";
    write_pairs(again);
    snprintf(yaml, sizeof yaml, PAIRS_SCENARIO, again, ", provisioned: 1, free_tier: true");
    r = run_yaml(yaml);
    unlink(again);
    cr_assert_float_eq(r.cost.requests_usd, 2 * 1799 * 0.0000004, 1e-12);
    result_free(&r);
}

Test(kept_warm, provisioned_concurrency_counts_toward_reserved_concurrency)
{
    /* AWS: provisioned concurrency is part of the function's reserved concurrency.
     * reserved 2 with 2 provisioned, 10 s requests every second for an hour,
     * throttled above the cap: at most 2 run at once, so the arrivals at 1, 2, 11,
     * 12, 21, ... s are served: 2 x 360 = 720 (not 4 at once and 1,440). At 1,769 MiB
     * a Lambda instance has one vCPU, the reference the 10 s are measured on. */
    struct deployment_result r = run_yaml("duration: 1h\n"
                                          "model: {service: 10s}\n"
                                          "workload: {arrival: constant, rate: 1/s}\n"
                                          "deployments: [{platform: aws-lambda, memory: 1769MiB,"
                                          " reserved: 2, provisioned: 2, on_throttle: reject,"
                                          " coldstart: none}]\n");
    cr_assert_eq(r.served, 720);
    cr_assert_eq(r.throttled, 3599 - 720);
    cr_assert_eq(r.instances_peak, 2);
    cr_assert_eq(r.cold_starts, 0);
    result_free(&r);
    /* reserved below provisioned cannot be configured. */
    struct slsim_error e = load_yaml_error(HEADER "model: {service: 1s}\n"
                                      "deployments: [{platform: aws-lambda, memory: 1GiB,\n"
                                      "               reserved: 1, provisioned: 2}]\n");
    cr_assert_str_eq(e.key, "deployments.serverless-1.reserved");
    cr_assert_eq(e.line, 5);
    cr_assert(strstr(e.message, "reserved (1) is below provisioned (2)"), "%s", e.message);
}

Test(kept_warm, a_warm_before_start_is_billed_as_an_invocation_with_its_init)
{
    /* AWS Lambda: a scheduled warm-up is an invocation, and since 2025-08-01 the INIT
     * phase of an on-demand function is billed as duration (AWS Compute Blog "AWS
     * Lambda standardizes billing for INIT Phase"): 3 instances started at 00:00 with
     * a constant 500 ms cold start and no work of their own (billed init + work =
     * 500 ms, whole milliseconds, above the 1 ms minimum) at 1 GiB cost
     * 3 x ($0.0000002 + 0.5 s x 1 GiB x $0.0000166667), and nothing else: no
     * request arrives (the rate is negligible). */
    struct deployment_result r =
        run_yaml("duration: 1h\nmodel: {service: 100ms}\n"
                 "workload: {arrival: poisson, rate: 0.000000001/s}\n"
                 "deployments: [{platform: aws-lambda, memory: 1GiB,"
                 " coldstart: {dist: constant, value: 500ms},"
                 " warm_before: [{at: \"00:00\", instances: 3}]}]\n");
    cr_assert_eq(r.requests, 0);
    cr_assert_eq(r.prewarms, 3);
    cr_assert_float_eq(r.cost.warming_usd, 3 * (0.0000002 + 0.5 * 0.0000166667), 1e-12,
                       "%.12g", r.cost.warming_usd);
    cr_assert_float_eq(result_cost_total(&r), r.cost.warming_usd, 1e-15);
    result_free(&r);
}
