/* test_windows.c - named measurement windows (`windows:`) and the share of SLO misses
 * that waited for a cold start: counted by arrival time, they add up to the run's. */
#include <math.h>

#include "helpers.h"
#include "slsim/summary.h"
#include "slsim/trial.h"

/* The sum of r's windows' counts equals r's own: windows that tile the measured
 * period see every measured request exactly once. */
static void assert_windows_tile(const struct deployment_result *r)
{
    struct window_stats sum = {0};
    histogram_reset(&sum.latency);
    for (size_t w = 0; w < r->n_windows; w++) {
        const struct window_stats *x = &r->windows[w];
        sum.requests += x->requests;
        sum.served += x->served;
        sum.throttled += x->throttled;
        sum.dropped += x->dropped;
        sum.cold_starts += x->cold_starts;
        sum.within_slo += x->within_slo;
        sum.slo_miss_cold += x->slo_miss_cold;
        histogram_merge(&sum.latency, &x->latency);
    }
    cr_assert_eq(sum.requests, r->requests, "%s: requests %llu vs %llu", r->name,
                 (unsigned long long)sum.requests, (unsigned long long)r->requests);
    cr_assert_eq(sum.served, r->served, "%s: served", r->name);
    cr_assert_eq(sum.throttled, r->throttled, "%s: throttled", r->name);
    cr_assert_eq(sum.dropped, r->dropped, "%s: dropped", r->name);
    cr_assert_eq(sum.cold_starts, r->cold_starts, "%s: cold starts", r->name);
    cr_assert_eq(sum.within_slo, r->within_slo, "%s: within SLO", r->name);
    cr_assert_eq(sum.slo_miss_cold, r->slo_miss_cold, "%s: misses with a cold start", r->name);
    cr_assert_eq(sum.latency.count, r->latency.count);
    cr_assert_eq(sum.latency.max_ns, r->latency.max_ns);
    cr_assert(memcmp(sum.latency.bucket, r->latency.bucket, sizeof sum.latency.bucket) == 0,
              "%s: the windows' latency buckets add up to the run's", r->name);
}

/* Three windows tiling [warmup, duration) on a serverless deployment that throttles
 * (reserved 3, reject), one that queues and drops after max_wait, a dedicated fleet
 * that drops at max_queue, and a hybrid: each count of the run is the sum of the
 * windows' (the "a window's counts add up to the run's"). Spikes make the
 * windows differ. */
Test(windows, tiling_windows_add_up_to_the_run, .timeout = 120)
{
    struct scenario *s = load_yaml(
        "duration: 2h\nwarmup: 10m\nseed: 5\n"
        "model: {service: {dist: exponential, mean: 300ms}}\n"
        "workload: {arrival: poisson, rate: 4/s,"
        " spikes: [{at: 1h, duration: 15m, factor: 6, ramp: 3m}]}\n"
        "slo: {latency_p99: 800ms}\n"
        "windows: [{name: before, from: 10m, to: 1h}, {name: spike, from: 1h, to: 1h15m},"
        " {name: after, from: 1h15m, to: 2h}]\n"
        "deployments:\n"
        "  - {name: capped, platform: aws-lambda, memory: 2GiB, reserved: 3, on_throttle: reject}\n"
        "  - {name: queued, platform: aws-lambda, memory: 2GiB, reserved: 3, on_throttle: queue,"
        " max_wait: 2s}\n"
        "  - {name: free, platform: aws-lambda, memory: 2GiB, keep_alive: 1m}\n"
        "  - {name: fleet, type: dedicated, instance: c6i.xlarge, count: 1, max_queue: 20}\n"
        "  - name: mixed\n    type: hybrid\n"
        "    base: {instance: c6i.xlarge, count: 1}\n"
        "    overflow: {platform: aws-lambda, memory: 2GiB}\n");
    for (size_t d = 0; d < s->n_deployments; d++) {
        struct deployment_result r = run_one(s, d);
        cr_assert_eq(r.n_windows, 3);
        assert_windows_tile(&r);
        result_free(&r);
    }
    scenario_destroy(s);
}

/* A window over the whole measured period is the run: the same histogram, so the
 * same p99 (and every other quantile), exactly. */
Test(windows, a_whole_period_window_is_the_run, .timeout = 60)
{
    struct scenario *s = load_yaml(
        "duration: 1h\nwarmup: 5m\nseed: 8\n"
        "model: {service: {dist: lognormal, mean: 200ms, cv: 1}}\n"
        "workload: {arrival: poisson, rate: 3/s}\n"
        "slo: {latency_p99: 1s}\n"
        "windows: [{name: all, from: 5m, to: 1h}]\n"
        "deployments: [{name: f, platform: aws-lambda, memory: 2GiB, keep_alive: 30s}]\n");
    struct deployment_result r = run_one(s, 0);
    const struct histogram *w = &r.windows[0].latency;
    cr_assert_eq(w->count, r.latency.count);
    cr_assert_eq(histogram_quantile_ns(w, 0.99), histogram_quantile_ns(&r.latency, 0.99));
    cr_assert_eq(histogram_quantile_ns(w, 0.5), histogram_quantile_ns(&r.latency, 0.5));
    cr_assert_eq(w->max_ns, r.latency.max_ns);
    cr_assert_float_eq(w->mean_ns, r.latency.mean_ns, 1e-6 * r.latency.mean_ns);
    result_free(&r);
    scenario_destroy(s);
}

/* By hand: one request a second (at 1 s, 2 s, ..., 9 s), service 100 ms, a cold start
 * of 500 ms the first time, kept alive for ever. The request at 1 s waits for the cold
 * start: 600 ms; every later one finds the instance idle: 100 ms. Window [1 s, 3 s)
 * holds the requests at 1 s and 2 s: 2 requests, 1 cold start; latency mean 350 ms,
 * sample std sqrt(2 x 250^2 / 1) = 353.553 ms, p50 (rank ceil(0.5 x 2) = 1) 100 ms, p99
 * (rank 2) and max 600 ms. Under latency_p99: 500ms the 600 ms request misses and
 * waited for a cold start: 1 miss, all of it after a cold start, attainment 1/2.
 * Window [3 s, 10 s) (7 requests, all 100 ms) has no miss: its share is undefined.
 * Run: 9 requests, 1 miss, share 1. */
Test(windows, a_window_by_hand)
{
    struct scenario *s = load_yaml(
        "duration: 10s\n"
        "model: {service: 100ms}\n"
        "workload: {arrival: constant, rate: 1/s}\n"
        "slo: {latency_p99: 500ms}\n"
        "windows: [{name: first, from: 1s, to: 3s}, {name: rest, from: 3s, to: 10s}]\n"
        "deployments: [{name: f, platform: aws-lambda, memory: 2GiB, keep_alive: forever,"
        " coldstart: {dist: constant, value: 500ms}}]\n");
    struct run_options opt = {0};
    opt.jobs = 1;
    struct run_output out;
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0, "%s", err.message);
    struct summary_field f[SUMMARY_WINDOW_FIELDS];
    size_t n = summary_window_fields(&out, 0, 0, &s->slo, f);
    cr_assert_eq(n, SUMMARY_WINDOW_FIELDS);
#define V(p) summary_field_value(f, n, (p))
    cr_assert_eq(V("requests"), 2);
    cr_assert_eq(V("served"), 2);
    cr_assert_eq(V("cold_starts"), 1);
    cr_assert_float_eq(V("cold_start_ratio"), 0.5, 1e-12);
    cr_assert_float_eq(V("latency_ms.mean"), 350.0, 1e-9);
    cr_assert_float_eq(V("latency_ms.std"), 353.5533905932738, 1e-6);
    cr_assert_float_eq(V("latency_ms.p50"), 100.0, 0.4);
    cr_assert_float_eq(V("latency_ms.p99"), 600.0, 2.4); /* a bucket's midpoint: < 0.4% */
    cr_assert_eq(V("latency_ms.max"), 600.0);
    cr_assert_float_eq(V("slo_attainment"), 0.5, 1e-12);
    cr_assert_eq(V("slo_misses"), 1);
    cr_assert_float_eq(V("slo_miss_cold_start_fraction"), 1.0, 1e-12);
    cr_assert(!f[n - 1].undefined);
    n = summary_window_fields(&out, 0, 1, &s->slo, f);
    cr_assert_eq(V("requests"), 7);
    cr_assert_eq(V("latency_ms.max"), 100.0);
    cr_assert_eq(V("slo_misses"), 0);
    cr_assert(f[n - 1].undefined, "no miss: the share is undefined (null, empty, -)");
    struct summary_field g[SUMMARY_MAX_FIELDS];
    size_t m = summary_fields(&out, 0, 0, g);
    cr_assert_eq(summary_field_value(g, m, "requests"), 9);
    cr_assert_eq(summary_field_value(g, m, "slo_misses"), 1);
    cr_assert_float_eq(summary_field_value(g, m, "slo_miss_cold_start_fraction"), 1.0, 1e-12);
#undef V
    run_output_free(&out);
    scenario_destroy(s);
}

/* The share's formula: misses are measured requests not served within the SLO
 * latency, refusals included (as slo_attainment counts them); the share is the
 * served misses that waited for a cold start over all misses. Four requests: served
 * late after a cold start, served late warm, served in time after a cold start,
 * throttled. Misses 3 (late cold, late warm, throttled), with a cold start 1: 1/3. */
Test(windows, miss_share_counts_refusals_as_misses)
{
    struct slo_spec slo = {.percentile = 99, .latency_ns = SIM_NS_PER_S};
    struct deployment_result r;
    result_init(&r);
    r.requests = 4;
    r.served = 3;
    r.throttled = 1;
    r.within_slo = 1;
    result_note_served(&r, 0, 0, 2 * SIM_NS_PER_S, 0, 1);
    result_note_served(&r, 0, 0, 2 * SIM_NS_PER_S, 0, 0);
    result_note_served(&r, 0, 0, SIM_NS_PER_S / 2, 1, 1);
    result_note_refused(&r, 0, 0, 1);
    cr_assert_eq(result_slo_misses(&r, &slo), 3);
    cr_assert_eq(r.slo_miss_cold, 1);
    struct trial_record rec;
    trial_flatten(&r, &slo, &rec, NULL);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields_one(&rec, f);
    cr_assert_float_eq(summary_field_value(f, n, "slo_miss_cold_start_fraction"), 1.0 / 3.0,
                       1e-15);
    /* no latency objective: no miss, the share undefined */
    struct slo_spec none = {0};
    trial_flatten(&r, &none, &rec, NULL);
    n = summary_fields_one(&rec, f);
    cr_assert_eq(summary_field_value(f, n, "slo_misses"), 0);
    result_free(&r);
}

/* A window of one function of a Zipf workload counts that function's requests only:
 * the windows of function 1 and of function 2 over the same span add up to the
 * all-function window's requests when there are two functions. */
Test(windows, a_function_window_counts_its_function, .timeout = 60)
{
    struct scenario *s = load_yaml(
        "duration: 30m\nseed: 2\n"
        "model: {service: 100ms}\n"
        "workload: {arrival: poisson, rate: 5/s, functions: 2, zipf: 1}\n"
        "windows: [{name: all, from: 0s, to: 30m}, {name: f1, from: 0s, to: 30m, function: 1},"
        " {name: f2, from: 0s, to: 30m, function: 2}]\n"
        "deployments: [{name: f, platform: aws-lambda, memory: 2GiB}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.windows[1].requests + r.windows[2].requests, r.windows[0].requests);
    cr_assert_eq(r.windows[0].requests, r.requests);
    /* zipf 1 over 2 functions: function 1 gets 2/3 of the traffic */
    cr_assert_gt(r.windows[1].requests, r.windows[2].requests);
    cr_assert_eq(r.windows[1].served, r.fn_served[0]);
    result_free(&r);
    scenario_destroy(s);
}

/* A spike of one function multiplies its traffic alone: 30/s over two functions at
 * Zipf 1 is 20/s and 10/s; function 2 spiking x4 for 20 minutes with 5-minute ramps
 * draws 10/s x (600 s x 4 + 2 x 300 s x (1 + 4) / 2) = 39,000 in the spike (the
 * trapezoid), function 1 its 20/s x 1200 s = 24,000 still; before, 48,000 and
 * 24,000 in 40 minutes. Each within 5 Poisson standard deviations. */
Test(windows, a_spike_of_one_function_floods_it_alone, .timeout = 60)
{
    struct scenario *s = load_yaml(
        "duration: 2h\nseed: 3\nwarmup: 0s\n"
        "model: {service: 10ms}\n"
        "workload: {arrival: poisson, rate: 30/s, functions: 2,"
        " spikes: [{at: 1h, duration: 20m, factor: 4, function: 2, ramp: 5m}]}\n"
        "windows: [{name: a, from: 20m, to: 1h, function: 1}, {name: b, from: 20m, to: 1h,"
        " function: 2}, {name: c, from: 1h, to: 1h20m, function: 1},"
        " {name: d, from: 1h, to: 1h20m, function: 2}]\n"
        "deployments: [{name: vm, type: dedicated, instance: c6i.xlarge, count: 2, slots: 4}]\n");
    /* the workload's rate: 1 + (1/3) x (4 - 1) = 2 times on the plateau */
    cr_assert_float_eq(s->workload.spikes[0].factor, 2.0, 1e-12);
    cr_assert_float_eq(s->workload.spikes[0].fn_factor, 4.0, 1e-12);
    struct deployment_result r = run_one(s, 0);
    static const double want[] = {48000, 24000, 24000, 39000};
    for (int i = 0; i < 4; i++)
        cr_expect(fabs((double)r.windows[i].requests - want[i]) <= 5 * sqrt(want[i]),
                  "window %d: %llu requests, want %g", i,
                  (unsigned long long)r.windows[i].requests, want[i]);
    result_free(&r);
    scenario_destroy(s);
}

/* Bad windows are refused at their key. */
Test(windows, bad_windows_are_refused_at_their_key)
{
    static const struct {
        const char *windows, *key, *msg;
    } cases[] = {
        {"[{name: a, from: 20s, to: 10s}]", "windows[1].to", "must end after it starts"},
        {"[{name: a, from: 10s, to: 2h}]", "windows[1].to", "after the end of the simulation"},
        {"[{name: a, from: 1s, to: 10s}]", "windows[1].from", "inside the warmup"},
        {"[{name: a, from: 10s, to: 20s}, {name: a, from: 20s, to: 30s}]", "windows[2].name",
         "already used"},
        {"[{name: a, from: 10s}]", "windows[1].to", "missing"},
        {"[{name: a, from: 10s, to: 20s, function: 3}]", "windows[1].function", ""},
        {"[{name: a, from: 10s, to: 20s, fn: 1}]", "windows[1].fn", "function"},
        {"{name: a}", "windows", "expected a sequence"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "duration: 1h\nwarmup: 5s\nmodel: {service: 100ms}\n"
                 "workload: {arrival: poisson, rate: 1/s, functions: 2}\n"
                 "windows: %s\n"
                 "deployments: [{platform: aws-lambda}]\n",
                 cases[i].windows);
        struct slsim_error err = load_yaml_error(yaml);
        cr_assert_str_eq(err.key, cases[i].key, "case %zu: key %s", i, err.key);
        cr_assert(strstr(err.message, cases[i].msg), "case %zu: %s", i, err.message);
        cr_assert_gt(err.line, 0, "case %zu: located", i);
    }
}
