/* test_batching.c - dynamic batching on a fleet (Triton's dynamic batcher: a batch
 * goes when max_batch_size or a preferred size can be formed and a machine is free,
 * or when the oldest request has waited max_queue_delay), worked by hand. */
#include <math.h>

#include "helpers.h"
#include "slsim/sizing.h"

#define PRICING "pricing: tests/data/pricing/test.yaml\n"

/* One box8 machine; service `service`, arrivals constant at `rate`; perf and batching
 * as given. */
static struct deployment_result batched(const char *duration, const char *service,
                                        const char *rate, const char *perf,
                                        const char *batching)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             PRICING "duration: %s\nseed: 1\nmodel: {service: %s}\n"
                     "workload: {arrival: constant, rate: %s}\n"
                     "deployments: [{type: dedicated, instance: box8, count: 1%s%s,"
                     " batching: %s}]\n",
             duration, service, rate, perf[0] ? ", perf: " : "", perf, batching);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    scenario_destroy(s);
    return r;
}

Test(batching, the_delay_gathers_ceil_r_times_d_requests)
{
    /* Constant arrivals at r = 100/s, max_queue_delay d = 45 ms, no preferred size,
     * max_batch_size 32 > ceil(r d) = 5, and a batch of 5 takes 2 ms + 5 x 1 ms =
     * 7 ms < 1/r: the first request of a batch waits d, by when 5 have come (at 0, 10,
     * ..., 40 ms after it), so every batch holds exactly 5 and ends 45 + 7 = 52 ms
     * after its first: latencies 52, 42, 32, 22, 12 ms, mean 32, 1,000 requests in
     * 10 s. At d = 32 ms, ceil(3.2) = 4: 32 + 6 = 38 ms, 28, 18, 8, mean 23. */
    struct deployment_result r = batched("10.005s", "10ms", "100/s",
                                         "{linear: {base: 2ms, per_item: 1ms}}",
                                         "{max_batch_size: 32, max_queue_delay: 45ms}");
    cr_assert_eq(r.served, 1000);
    cr_assert_float_eq(r.latency.mean_ns, 32e6, 1.0);
    cr_assert_float_eq((double)r.latency.max_ns, 52e6, 1.0);
    result_free(&r);
    r = batched("10.005s", "10ms", "100/s", "{linear: {base: 2ms, per_item: 1ms}}",
                "{max_batch_size: 32, max_queue_delay: 32ms}");
    cr_assert_eq(r.served, 1000);
    cr_assert_float_eq(r.latency.mean_ns, 23e6, 1.0);
    result_free(&r);
}

Test(batching, a_preferred_size_goes_as_soon_as_it_forms)
{
    /* preferred_batch_size [4] with a 1 s delay: the 4th arrival forms a batch of 4,
     * sent at once (2 + 4 ms = 6 ms), long before the delay: latencies 36, 26, 16 and
     * 6 ms, mean 21. */
    struct deployment_result r = batched("10.005s", "10ms", "100/s",
                                         "{linear: {base: 2ms, per_item: 1ms}}",
                                         "{max_batch_size: 32, max_queue_delay: 1s,"
                                         " preferred_batch_size: [4]}");
    cr_assert_eq(r.served, 1000);
    cr_assert_float_eq(r.latency.mean_ns, 21e6, 1.0);
    cr_assert_float_eq((double)r.latency.max_ns, 36e6, 1.0);
    result_free(&r);
}

Test(batching, max_queue_size_rejects_exactly_what_does_not_fit)
{
    /* max_batch_size 1, no delay, 100 ms a request, arrivals every 20 ms from 20 ms to
     * 1,000 ms (50), max_queue_size 2. 20 starts at once (done 120); 40 and 60 wait;
     * 80 and 100 find the queue full. At 120 a completion (events before arrivals at
     * the same instant) starts 40, so 120 fits; likewise at 220, ..., 920: 9 more.
     * Accepted 1 + 2 + 9 = 12, rejected 38. Latencies 100, 180, 260, then 300 each:
     * mean (540 + 9 x 300) / 12 = 270 ms. */
    struct deployment_result r = batched("1.01s", "100ms", "50/s", "",
                                         "{max_batch_size: 1, max_queue_size: 2}");
    cr_assert_eq(r.requests, 50);
    cr_assert_eq(r.served, 12);
    cr_assert_eq(r.dropped, 38);
    cr_assert_float_eq(r.latency.mean_ns, 270e6, 1.0);
    result_free(&r);
}

Test(batching, at_saturation_throughput_is_max_batch_over_its_time, .timeout = 60)
{
    /* Offered 2,000/s, a batch of 32 takes 2 + 32 x 1 = 34 ms: the machine serves
     * max_batch_size / t(max_batch_size) = 32 / 34 ms = 941.18 requests a second. */
    struct deployment_result r = batched("100s", "10ms", "2000/s",
                                         "{linear: {base: 2ms, per_item: 1ms}}",
                                         "{max_batch_size: 32, max_queue_delay: 5ms,"
                                         " max_queue_size: 256}");
    double per_s = (double)r.served / 100.0;
    cr_assert(fabs(per_s / (32 / 0.034) - 1) < 0.01, "%.2f/s vs 941.18/s", per_s);
    cr_assert_gt(r.dropped, 0);
    result_free(&r);
}

Test(batching, each_request_keeps_its_variability_in_the_batch)
{
    /* A measured profile times a batch of requests of the model's mean work; each
     * request's work over that mean scales it. Service 10 ms or 30 ms (mean 20 ms),
     * arrivals 1 s apart, no delay: each request is a batch of 1, t(1) = 5 ms scaled by
     * its work over the mean: 5 x 10/20 = 2.5 ms or 5 x 30/20 = 7.5 ms. */
    struct deployment_result r = batched("20.5s", "{dist: empirical, values: [10ms, 30ms]}",
                                         "1/s", "{profile: {1: 5ms, 8: 12ms}}",
                                         "{max_batch_size: 8}");
    cr_assert_eq(r.served, 20);
    cr_assert_eq(r.latency.min_ns, 2500000);
    cr_assert_eq(r.latency.max_ns, 7500000);
    result_free(&r);
}

Test(batching, refused_where_it_cannot_run)
{
    struct slsim_error e = load_yaml_error(
        PRICING "duration: 1h\nmodel: {service: 10ms}\n"
                "workload: {arrival: poisson, rate: 1/s}\n"
                "deployments: [{type: dedicated, instance: box8, slots: 2,"
                " batching: {max_batch_size: 8}}]\n");
    cr_assert(strstr(e.message, "one batch at a time"), "%s", e.message);
    e = load_yaml_error(PRICING "duration: 1h\nmodel: {service: 10ms}\n"
                                "workload: {arrival: poisson, rate: 1/s}\n"
                                "deployments: [{type: dedicated, instance: box8,"
                                " perf: {profile: {1: 5ms, 8: 12ms}},"
                                " batching: {max_batch_size: 16}}]\n");
    cr_assert(strstr(e.message, "beyond the profile's last point (8)"), "%s", e.message);
    e = load_yaml_error(PRICING "duration: 1h\nmodel: {service: 10ms}\n"
                                "workload: {arrival: poisson, rate: 1/s}\n"
                                "deployments: [{type: dedicated, instance: box8,"
                                " batching: {max_batch_size: 8, preferred_batch_size: [4, 2]}}]\n");
    cr_assert(strstr(e.message, "preferred sizes go up"), "%s", e.message);
}

/* ---- serverless ---- */

static struct deployment_result run_one_yaml(const char *yaml)
{
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    scenario_destroy(s);
    return r;
}

Test(batching, serverless_scales_out_after_the_queue_outgrew_its_instances_for_the_delay)
{
    /* One request at 1 s on a platform with no instance: the queue (1) outgrows the
     * instances' room (0 x 4) at once; after scale_out_delay 4 s one instance starts,
     * ready 2 s later (constant cold start), and serves the batch of 1 in t(1) = 3 ms
     * (linear 2 ms + 1 ms): latency 4 + 2 + 0.003 = 6.003 s. */
    struct scenario *s = load_yaml(
        PRICING "duration: 1.5s\nseed: 1\nmodel: {service: 10ms}\n"
                "workload: {arrival: constant, rate: 1/s}\n"
                "deployments: [{platform: req-1ms, coldstart: {dist: constant, value: 2s},"
                " perf: {linear: {base: 2ms, per_item: 1ms}},"
                " batching: {max_batch_size: 4, scale_out_delay: 4s}}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.served, 1);
    cr_assert_eq(r.cold_starts, 1);
    cr_assert_eq(r.latency.max_ns, 6003000000LL);
    result_free(&r);
    scenario_destroy(s);
}

Test(batching, serverless_starts_as_many_instances_as_the_excess_needs)
{
    /* Ten requests 1 ms apart from 1 ms, max_batch_size 4, scale_out_delay 0, cold
     * starts of 1 s: while they all wait, an instance starts whenever the queue outgrows
     * 4 per instance: at the 1st request, the 5th and the 9th: ceil(10 / 4) = 3. */
    struct scenario *s = load_yaml(
        PRICING "duration: 10.5ms\nseed: 1\nmodel: {service: 10ms}\n"
                "workload: {arrival: constant, rate: 1000/s}\n"
                "deployments: [{platform: req-1ms, coldstart: {dist: constant, value: 1s},"
                " perf: {linear: {base: 2ms, per_item: 1ms}},"
                " batching: {max_batch_size: 4}}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.served, 10);
    cr_assert_eq(r.cold_starts, 3);
    cr_assert_eq(r.instances_peak, 3);
    result_free(&r);
    scenario_destroy(s);
}

Test(batching, a_request_billed_platform_bills_a_batchs_time_once)
{
    /* req-1ms: $0.000001 a request and $0.00001 per GiB-s, 1 ms rounding. Constant
     * arrivals at 100/s for 10 s, max_queue_delay 45 ms: 200 batches of 5, each 7 ms
     * (linear 2 + 5 x 1 ms), on an instance kept warm (coldstart none). The bill is
     * 1,000 fees and 200 x 7 ms at 2 GiB: 1000 x 1e-6 + 200 x 0.007 x 2 x 1e-5 =
     * $0.001028, not 1,000 x 7 ms. */
    struct scenario *s = load_yaml(
        PRICING "duration: 10.005s\nseed: 1\nmodel: {memory: 2GiB, service: 10ms}\n"
                "workload: {arrival: constant, rate: 100/s}\n"
                "deployments: [{platform: req-1ms, coldstart: none,"
                " perf: {linear: {base: 2ms, per_item: 1ms}},"
                " batching: {max_batch_size: 32, max_queue_delay: 45ms}}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.served, 1000);
    cr_assert_float_eq(r.billed_ms, 200 * 7.0, 1e-9);
    cr_assert_float_eq(result_cost_total(&r), 1000 * 1e-6 + 200 * 0.007 * 2 * 1e-5, 1e-12);
    cr_assert_eq(r.batch.batches, 200);
    cr_assert_eq(r.batch.items, 1000);
    result_free(&r);
    scenario_destroy(s);
}

Test(batching, a_platforms_scale_out_delay_is_the_default)
{
    /* runpod-l4 states RunPod's queue-delay scaler, 4 s (runpod/docs): one request at
     * 1 s with no instance waits 4 s before a worker starts, then its cold start. With
     * `scale_out_delay: 0` the worker starts at once: 4 s sooner. */
    struct deployment_result a = run_one_yaml(
        "duration: 1.5s\nseed: 1\nmodel: {size: 100MB, service: 10ms}\n"
        "workload: {arrival: constant, rate: 1/s}\n"
        "deployments: [{platform: runpod-l4, coldstart: {dist: constant, value: 2s},"
        " perf: {linear: {base: 2ms, per_item: 1ms}}, batching: {max_batch_size: 4}}]\n");
    struct deployment_result b = run_one_yaml(
        "duration: 1.5s\nseed: 1\nmodel: {size: 100MB, service: 10ms}\n"
        "workload: {arrival: constant, rate: 1/s}\n"
        "deployments: [{platform: runpod-l4, coldstart: {dist: constant, value: 2s},"
        " perf: {linear: {base: 2ms, per_item: 1ms}},"
        " batching: {max_batch_size: 4, scale_out_delay: 0s}}]\n");
    cr_assert_eq(a.latency.max_ns, 6003000000LL); /* 4 + 2 + 0.003 s */
    cr_assert_eq(b.latency.max_ns, 2003000000LL);
    result_free(&a);
    result_free(&b);
}

Test(batching, a_request_billed_platform_that_bills_init_bills_a_started_instances_init)
{
    /* req-1ms bills the init (init_billed: true). One request, an instance started for
     * it with a constant 500 ms cold start, scale_out_delay 0, t(1) = 3 ms: the init
     * bills 500 ms once and the batch 3 ms: 503 ms at 2 GiB and one fee:
     * 1e-6 + 0.503 x 2 x 1e-5 = $0.00001106. */
    struct deployment_result r = run_one_yaml(
        PRICING "duration: 1.5s\nseed: 1\nmodel: {memory: 2GiB, service: 10ms}\n"
                "workload: {arrival: constant, rate: 1/s}\n"
                "deployments: [{platform: req-1ms, coldstart: {dist: constant, value: 500ms},"
                " perf: {linear: {base: 2ms, per_item: 1ms}}, batching: {max_batch_size: 4}}]\n");
    cr_assert_float_eq(r.billed_ms, 503.0, 1e-9);
    cr_assert_float_eq(result_cost_total(&r), 1e-6 + 0.503 * 2 * 1e-5, 1e-12);
    result_free(&r);
}

Test(batching, count_auto_sizes_a_batching_fleet_by_its_full_batches, .timeout = 120)
{
    /* 600/s on box8, a batch of b taking 2 + b x 1 ms: one request alone takes 3 ms
     * (333/s a machine, so at least 2 machines without batching: 600 x 3 ms = 1.8), but
     * full batches of 32 take 34 ms (941/s a machine: 600 x 34 / 32 ms = 0.64). The
     * smallest fleet is 1 machine, which meets a p99 of 100 ms. */
    struct scenario *s = load_yaml(
        PRICING "duration: 600s\nwarmup: 60s\nseed: 2\nmodel: {service: 10ms}\n"
                "workload: {arrival: poisson, rate: 600/s}\n"
                "deployments: [{type: dedicated, instance: box8, count: auto,"
                " perf: {linear: {base: 2ms, per_item: 1ms}},"
                " batching: {max_batch_size: 32, max_queue_delay: 10ms}}]\n"
                "slo: {latency_p99: 100ms}\n");
    struct sizing_outcome o;
    struct slsim_error err;
    cr_assert_eq(sizing_fleet(s, 0, &o, &err), 0, "%s", err.message);
    cr_assert_eq(o.floor, 1);
    cr_assert_eq(o.count, 1);
    scenario_destroy(s);
}

Test(batching, serverless_scale_out_keeps_to_the_scaling_rate)
{
    /* As above (ten requests 1 ms apart, max_batch_size 4, so 3 instances wanted), but
     * scale_rate 1/10s: a token bucket of one instance per 10 s starting full, so only
     * one instance starts in the 10 ms, and it serves the ten in batches of 4, 4, 2. */
    struct deployment_result r = run_one_yaml(
        PRICING "duration: 10.5ms\nseed: 1\nmodel: {service: 10ms}\n"
                "workload: {arrival: constant, rate: 1000/s}\n"
                "deployments: [{platform: req-1ms, coldstart: {dist: constant, value: 1s},"
                " scale_rate: 1/10s, perf: {linear: {base: 2ms, per_item: 1ms}},"
                " batching: {max_batch_size: 4}}]\n");
    cr_assert_eq(r.served, 10);
    cr_assert_eq(r.cold_starts, 1);
    cr_assert_eq(r.batch.batches, 3);
    result_free(&r);
}
