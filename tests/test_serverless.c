/* test_serverless.c - the serverless platform against queueing theory and
 * closed forms, plus its invariants. Each test names the formula it checks. */
#include <math.h>

#include "helpers.h"
#include "slsim/report.h"
#include "slsim/platform.h"

/* Erlang-B blocking probability by the stable recursion
 * B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)). */
static double erlang_b(unsigned c, double a)
{
    double b = 1.0;
    for (unsigned k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b;
}

/* Erlang-C probability of waiting: C = B / (1 - (a/c)(1 - B)). */
static double erlang_c(unsigned c, double a)
{
    double b = erlang_b(c, a);
    return b / (1.0 - a / c * (1.0 - b));
}

static void check_invariants(const struct deployment_result *r)
{
    cr_assert_eq(r->served + r->throttled + r->dropped, r->requests,
                 "served + throttled + dropped != requests");
    cr_assert_leq(r->cold_starts, r->served);
    cr_assert_eq(r->latency.count, r->served);
    cr_assert_leq(r->busy_instance_s, r->instance_s * (1 + 1e-12));
}

static void mginf(const char *service)
{
    /* M/G/inf: with no cap and no cold start, instances serving = requests in
     * system, whose time average is lambda E[S] for any service distribution. */
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "duration: 10600s\nwarmup: 100s\nseed: 7\n"
             "model: {service: %s}\n"
             "workload: {arrival: poisson, rate: 100/s}\n"
             "deployments: [{name: f, keep_alive: forever, coldstart: none}]\n",
             service);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    check_invariants(&r);
    cr_assert_geq(r.requests, 1000000);
    double busy = r.busy_instance_s / r.measured_s;
    double expect = 100.0 * dist_mean_s(&s->model.service);
    cr_assert(fabs(busy / expect - 1) < 0.01, "busy %.4f vs lambda E[S] %.4f", busy, expect);
    cr_assert_eq(r.cold_starts <= r.instances_peak, 1);
    result_free(&r);
    scenario_destroy(s);
}

Test(serverless, mginf_busy_instances_equal_lambda_es_exponential, .timeout = 120)
{
    mginf("{dist: exponential, mean: 1s}");
}

Test(serverless, mginf_busy_instances_equal_lambda_es_lognormal, .timeout = 120)
{
    mginf("{dist: lognormal, mean: 1s, cv: 1.5}");
}

static void erlang_b_case(unsigned c, double a, const char *service)
{
    /* Erlang-B loss system M/G/c/c: the blocked fraction is B(c, a) whatever the
     * service distribution (insensitivity), so exponential and lognormal must agree
     * with the same formula. Here a = lambda E[S] with E[S] = 1 s. */
    char yaml[1024];
    double requests = 1.2e6;
    snprintf(yaml, sizeof yaml,
             "duration: %.0fs\nwarmup: 200s\nseed: 11\n"
             "model: {service: %s}\n"
             "workload: {arrival: poisson, rate: %g/s}\n"
             "deployments: [{name: f, reserved: %u, on_throttle: reject, keep_alive: forever,"
             " coldstart: none}]\n",
             requests / a + 200, service, a, c);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    check_invariants(&r);
    cr_assert_geq(r.requests, 1000000);
    double blocked = (double)r.throttled / (double)r.requests;
    double expect = erlang_b(c, a);
    cr_assert(fabs(blocked / expect - 1) < 0.02, "c=%u a=%g: blocked %.5f vs Erlang-B %.5f", c,
              a, blocked, expect);
    cr_assert_leq(r.instances_peak, c);
    result_free(&r);
    scenario_destroy(s);
}

Test(serverless, erlang_b_c10_a8_exponential, .timeout = 120)
{
    erlang_b_case(10, 8.0, "{dist: exponential, mean: 1s}");
}

Test(serverless, erlang_b_c10_a8_lognormal, .timeout = 120)
{
    erlang_b_case(10, 8.0, "{dist: lognormal, mean: 1s, cv: 2}");
}

Test(serverless, erlang_b_c30_a25_exponential, .timeout = 120)
{
    erlang_b_case(30, 25.0, "{dist: exponential, mean: 1s}");
}

Test(serverless, erlang_b_c30_a25_lognormal, .timeout = 120)
{
    erlang_b_case(30, 25.0, "{dist: lognormal, mean: 1s, cv: 2}");
}

static void single_instance_coldstart(double rate, double keep_alive_s)
{
    /* One instance (reserved: 1, reject). After each served request the instance
     * idles from its completion; by memorylessness the next arrival comes Exp(rate)
     * later, and it is a cold start iff that gap is >= keep-alive (an arrival at the
     * expiry instant finds the instance gone). So the cold-start ratio of served
     * requests is exp(-rate * keep_alive), whatever the service and cold-start
     * times. */
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "duration: 400000s\nseed: 3\n"
             "model: {service: {dist: constant, value: 0.5s}}\n"
             "workload: {arrival: poisson, rate: %g/s}\n"
             "deployments: [{name: f, reserved: 1, keep_alive: %gs,"
             " coldstart: {dist: constant, value: 0.2s}}]\n",
             rate, keep_alive_s);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    check_invariants(&r);
    double ratio = (double)r.cold_starts / (double)r.served;
    double expect = exp(-rate * keep_alive_s);
    cr_assert(fabs(ratio / expect - 1) < 0.02, "cold ratio %.5f vs exp(-lambda k) %.5f", ratio,
              expect);
    cr_assert_eq(r.instances_peak, 1);
    result_free(&r);
    scenario_destroy(s);
}

Test(serverless, single_instance_cold_ratio_is_exp_minus_lambda_k, .timeout = 60)
{
    single_instance_coldstart(1.0, 1.0);
    single_instance_coldstart(2.0, 0.3);
}

Test(serverless, erlang_c_wait_probability_and_mean_wait_with_queue, .timeout = 120)
{
    /* With reserved: c, on_throttle: queue, no cold start and exponential service
     * the platform is M/M/c: P(wait) = C(c, a) and E[W] = C / (c mu - lambda). */
    unsigned c = 5;
    double a = 4.0;
    struct scenario *s = load_yaml(
        "duration: 300200s\nwarmup: 200s\nseed: 5\n"
        "model: {service: {dist: exponential, mean: 1s}}\n"
        "workload: {arrival: poisson, rate: 4/s}\n"
        "deployments: [{name: f, reserved: 5, on_throttle: queue, keep_alive: forever,"
        " coldstart: none}]\n");
    struct deployment_result r = run_one(s, 0);
    check_invariants(&r);
    cr_assert_eq(r.throttled, 0);
    cr_assert_eq(r.dropped, 0);
    double pwait = (double)r.queued / (double)r.requests;
    double cw = erlang_c(c, a);
    cr_assert(fabs(pwait / cw - 1) < 0.02, "P(wait) %.5f vs Erlang-C %.5f", pwait, cw);
    double mean_latency_s = r.latency.mean_ns / 1e9;
    double expect = 1.0 + cw / (c * 1.0 - a);
    cr_assert(fabs(mean_latency_s / expect - 1) < 0.02, "mean latency %.4f vs %.4f",
              mean_latency_s, expect);
    result_free(&r);
    scenario_destroy(s);
}

Test(serverless, max_wait_drops_requests_that_wait_too_long)
{
    struct scenario *s = load_yaml(
        "duration: 20000s\nseed: 5\n"
        "model: {service: {dist: constant, value: 1s}}\n"
        "workload: {arrival: poisson, rate: 3/s}\n"
        "deployments: [{name: f, reserved: 2, on_throttle: queue, max_wait: 0.5s,"
        " keep_alive: forever, coldstart: none}]\n");
    struct deployment_result r = run_one(s, 0);
    check_invariants(&r);
    cr_assert_gt(r.dropped, 1000, "overloaded queue must drop");
    /* A served request waited less than max_wait, then ran 1 s. */
    cr_assert_lt(r.latency.max_ns, (sim_time)(1.5 * SIM_NS_PER_S));
    result_free(&r);
    scenario_destroy(s);
}

Test(serverless, arrival_at_the_expiry_instant_finds_the_instance_gone)
{
    /* Arrivals every 1 s, service 0.5 s: the instance is idle from t+0.5 and its
     * 0.5 s keep-alive ends exactly at the next arrival, which must cold start. One
     * nanosecond more of keep-alive and only the first request is cold. */
    const char *fmt = "duration: 100.5s\n"
                      "model: {service: {dist: constant, value: 0.5s}}\n"
                      "workload: {arrival: constant, rate: 1/s}\n"
                      "deployments: [{name: f, keep_alive: %s, coldstart: none}]\n";
    char yaml[512];
    snprintf(yaml, sizeof yaml, fmt, "500ms");
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 100);
    cr_assert_eq(r.cold_starts, 100);
    result_free(&r);
    scenario_destroy(s);
    snprintf(yaml, sizeof yaml, fmt, "500000001ns");
    s = load_yaml(yaml);
    r = run_one(s, 0);
    cr_assert_eq(r.cold_starts, 1);
    result_free(&r);
    scenario_destroy(s);
}

Test(serverless, warmup_arrivals_are_not_measured)
{
    /* Constant arrivals at 1, 2, ..., 99 s; warm-up 50 s: 50..99 are measured. */
    struct scenario *s = load_yaml("duration: 100s\nwarmup: 50s\n"
                                   "model: {service: 100ms}\n"
                                   "workload: {arrival: constant, rate: 1/s}\n"
                                   "deployments: [{name: f, keep_alive: forever, coldstart: none}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 50);
    cr_assert_eq(r.served, 50);
    /* The one instance was made during warm-up: no measured cold start, but it
     * existed for the whole measured period. */
    cr_assert_eq(r.cold_starts, 0);
    cr_assert_float_eq(r.instance_s, 50.0, 1e-9);
    cr_assert_float_eq(r.busy_instance_s, 5.0, 1e-9);
    cr_assert_eq(r.instances_peak, 1);
    result_free(&r);
    scenario_destroy(s);
}

Test(serverless, concurrency_packs_requests_onto_one_instance)
{
    /* Arrivals every 0.1 s, each served for exactly 1 s: at most 10 run at once,
     * and a completion at t frees its slot before the arrival at t. With 10 slots
     * one instance is enough; with 9, a second one is needed. */
    const char *fmt = "duration: 1000s\n"
                      "model: {service: {dist: constant, value: 1s}}\n"
                      "workload: {arrival: constant, rate: 10/s}\n"
                      "deployments: [{name: f, concurrency: %d, keep_alive: 10m, coldstart: none}]\n";
    char yaml[512];
    snprintf(yaml, sizeof yaml, fmt, 10);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    check_invariants(&r);
    cr_assert_eq(r.instances_peak, 1);
    cr_assert_eq(r.cold_starts, 1);
    result_free(&r);
    scenario_destroy(s);
    snprintf(yaml, sizeof yaml, fmt, 9);
    s = load_yaml(yaml);
    r = run_one(s, 0);
    cr_assert_eq(r.instances_peak, 2);
    result_free(&r);
    scenario_destroy(s);
}

Test(serverless, idle_pick_lru_keeps_more_instances_warm_than_mru, .timeout = 60)
{
    /* MRU concentrates work on few instances and lets the rest expire; LRU spreads
     * it so every instance keeps being refreshed within a short keep-alive. So LRU holds more instances
     * alive; random sits between them. */
    const char *fmt = "duration: 20000s\nseed: 9\n"
                      "model: {service: {dist: exponential, mean: 1s}}\n"
                      "workload: {arrival: poisson, rate: 10/s}\n"
                      "deployments:\n"
                      "  - {name: mru, idle_pick: mru, keep_alive: 3s, coldstart: none}\n"
                      "  - {name: lru, idle_pick: lru, keep_alive: 3s, coldstart: none}\n"
                      "  - {name: rnd, idle_pick: random, keep_alive: 3s, coldstart: none}\n"
                      "  - {name: new, idle_pick: newest, keep_alive: 3s, coldstart: none}\n";
    struct scenario *s = load_yaml(fmt);
    struct deployment_result r[4];
    for (size_t d = 0; d < 4; d++) {
        r[d] = run_one(s, d);
        check_invariants(&r[d]);
        /* Busy time is the same work whatever the pick (no cold start). */
        cr_assert_float_eq(r[d].busy_instance_s, r[0].busy_instance_s, 1e-6);
    }
    double m = result_instances_mean(&r[0]), l = result_instances_mean(&r[1]),
           x = result_instances_mean(&r[2]);
    cr_assert_gt(l, x, "lru %.3f should exceed random %.3f", l, x);
    cr_assert_gt(x, m, "random %.2f should exceed mru %.2f", x, m);
    cr_assert_leq(r[1].cold_starts, r[0].cold_starts);
    for (size_t d = 0; d < 4; d++)
        result_free(&r[d]);
    scenario_destroy(s);
}

Test(serverless, lambda_bill_matches_closed_form)
{
    /* 1000 requests (constant arrivals at 1/s), 120.4 ms each on one vCPU, 1 GiB, no
     * cold start, a serial model (parallel_fraction 0). Lambda gives 1,024 / 1,769 of a
     * vCPU at 1 GiB (one vCPU at 1,769 MB, AWS's MB being MiB), so each request runs
     * 120.4 ms x 1,769 / 1,024 = 207.9957 ms, billed ceil_ms = 208 ms:
     * bill = 1000 x $0.20/1e6 + 1000 x 0.208 s x 1 GiB x $0.0000166667 per GiB-s. */
    struct scenario *s = load_yaml("duration: 1000.5s\n"
                                   "model: {service: 120.4ms}\n"
                                   "workload: {arrival: constant, rate: 1/s}\n"
                                   "deployments: [{name: f, platform: aws-lambda, memory: 1GiB,"
                                   " coldstart: none}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.served, 1000);
    cr_assert_eq(r.billed_ms, 208000);
    double expect = 1000 * 0.20 / 1e6 + 1000 * 0.208 * 1.0 * 0.0000166667;
    cr_assert_float_eq(result_cost_total(&r), expect, 1e-12);
    cr_assert_float_eq(r.latency.mean_ns, 207995703.0, 0.5); /* 120.4e6 / (1024/1769), to the ns */
    result_free(&r);
    scenario_destroy(s);
}

/* The Lambda bill of 100 requests of 1 s on one vCPU at `memory` with parallel share p:
 * its billed milliseconds and cost. */
static void lambda_at(const char *memory, double p, double *billed_ms, double *usd)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "duration: 100.5s\n"
             "model: {service: 1s, parallel_fraction: %g}\n"
             "workload: {arrival: constant, rate: 1/s}\n"
             "deployments: [{name: f, platform: aws-lambda, memory: %s, coldstart: none}]\n",
             p, memory);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.served, 100);
    *billed_ms = (double)r.billed_ms;
    *usd = result_cost_total(&r);
    result_free(&r);
    scenario_destroy(s);
}

Test(serverless, lambda_bill_per_memory_size_follows_the_vcpu_share)
{
    /* Lambda's vCPUs are memory / 1,769 MiB. A request of 1 s on one vCPU, alone on
     * v vCPUs, runs 1 / s(1) with s(1) = 1 / ((1 - p) / min(1, v) + p / v):
     *   885 MiB, p = 0: (1,769 / 885) s = 1.998870 s, billed 1,999 ms;
     *   1,769 MiB: 1 s whatever p, billed 1,000 ms;
     *   3,538 MiB, p = 0: 1 s (one request uses one vCPU), billed 1,000 ms;
     *   3,538 MiB, p = 1: 0.5 s, billed 500 ms.
     * Each bill is 100 x ($0.20/1e6 + ms / 1000 x MiB / 1024 x $0.0000166667). */
    static const struct {
        const char *memory;
        double mib, p, ms;
    } c[] = {{"885MiB", 885, 0, 1999}, {"1769MiB", 1769, 0, 1000}, {"1769MiB", 1769, 1, 1000},
             {"3538MiB", 3538, 0, 1000}, {"3538MiB", 3538, 1, 500}};
    for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
        double billed, usd;
        lambda_at(c[k].memory, c[k].p, &billed, &usd);
        cr_assert_float_eq(billed, 100 * c[k].ms, 1e-9, "%s p=%g: billed %.0f ms", c[k].memory,
                           c[k].p, billed);
        double expect = 100 * (0.20 / 1e6 + c[k].ms / 1000 * c[k].mib / 1024 * 0.0000166667);
        cr_assert_float_eq(usd, expect, 1e-12, "%s p=%g: $%.9f vs $%.9f", c[k].memory, c[k].p,
                           usd, expect);
    }
}

Test(serverless, lambda_bills_the_init_of_a_cold_start)
{
    /* One request, cold start 250.2 ms (billed since 2025-08-01), service 100 ms:
     * billed ceil_ms(350.2 ms) = 351 ms. */
    struct scenario *s = load_yaml("duration: 1.5s\n"
                                   "model: {service: 100ms}\n"
                                   "workload: {arrival: constant, rate: 1/s}\n"
                                   "deployments: [{name: f, platform: aws-lambda, memory: 2GiB,"
                                   " coldstart: {dist: constant, value: 250.2ms}}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.served, 1);
    cr_assert_eq(r.cold_starts, 1);
    cr_assert_eq(r.billed_ms, 351);
    cr_assert_float_eq(r.cost.compute_usd, 0.351 * 2.0 * 0.0000166667, 1e-15);
    cr_assert_eq(r.latency.max_ns, 350200000);
    result_free(&r);
    scenario_destroy(s);
}

static char *json_of(const struct scenario *s, unsigned jobs)
{
    struct run_options opt = {.timeline_step_ns = 0, .jobs = jobs};
    struct run_output out;
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0, "%s", err.message);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(report_write(f, REPORT_JSON, s, &out), 0);
    fclose(f);
    run_output_free(&out);
    return buf;
}

Test(serverless, same_seed_same_bytes_any_thread_count_other_seed_differs, .timeout = 60)
{
    const char *yaml = "duration: 2h\nwarmup: 10m\nseed: %d\nreplications: 3\n"
                       "model: {size: 98MB, service: {dist: lognormal, mean: 120ms, cv: 0.5}}\n"
                       "workload: {arrival: diurnal, rate: 5/s, period: 1h, peak_to_mean: 3,"
                       " spikes: [{at: 30m, duration: 5m, factor: 6}]}\n"
                       "deployments:\n"
                       "  - {name: a, platform: aws-lambda}\n"
                       "  - {name: b, platform: aws-lambda, keep_alive: 1m, idle_pick: random}\n";
    char text[1024];
    snprintf(text, sizeof text, yaml, 42);
    struct scenario *s = load_yaml(text);
    char *one = json_of(s, 1), *again = json_of(s, 1), *two = json_of(s, 2);
    cr_assert_str_eq(one, again);
    cr_assert_str_eq(one, two);
    snprintf(text, sizeof text, yaml, 43);
    struct scenario *s2 = load_yaml(text);
    char *other = json_of(s2, 1);
    cr_assert_str_neq(one, other);
    free(one);
    free(again);
    free(two);
    free(other);
    scenario_destroy(s);
    scenario_destroy(s2);
}

Test(serverless, timeline_adds_up_to_the_totals)
{
    struct scenario *s = load_yaml("duration: 3h\nwarmup: 30m\nseed: 2\n"
                                   "model: {service: {dist: exponential, mean: 200ms}}\n"
                                   "workload: {arrival: onoff, rate: 10/s, duty_cycle: 0.5,"
                                   " period: 1h}\n"
                                   "deployments: [{name: f, platform: aws-lambda}]\n");
    struct deployment_result r;
    struct slsim_error err;
    cr_assert_eq(run_deployment(s, 0, 0, 60 * SIM_NS_PER_S, &r, &err), 0);
    cr_assert_eq(r.n_timeline, 150);
    uint64_t arrivals = 0, cold = 0;
    double busy = 0;
    for (size_t k = 0; k < r.n_timeline; k++) {
        arrivals += r.timeline[k].arrivals;
        cold += r.timeline[k].cold_starts;
        busy += r.timeline[k].busy * 60.0;
        if (k)
            cr_assert_geq(r.timeline[k].cost_usd, r.timeline[k - 1].cost_usd);
    }
    cr_assert_eq(arrivals, r.requests);
    cr_assert_eq(cold, r.cold_starts);
    cr_assert_float_eq(busy, r.busy_instance_s, 1e-6 * r.busy_instance_s);
    /* Off half-hours have no arrivals. */
    cr_assert_eq(r.timeline[0].arrivals, 0); /* 30..31 min: off */
    cr_assert_gt(r.timeline[40].arrivals, 0);  /* 70..71 min: on */
    result_free(&r);
    scenario_destroy(s);
}

/* ---- cold-start profiles ---- */

/* The deterministic part of a profile for a model of size_bytes on platform name. */
static struct coldstart_model profile_of(const char *name, int64_t size_bytes)
{
    struct catalog *c = NULL;
    struct slsim_error err;
    cr_assert_eq(catalog_load_default(&c, &err), 0, "%s", err.message);
    struct serverless_spec d;
    memset(&d, 0, sizeof d);
    d.coldstart = COLDSTART_DEFAULT;
    struct coldstart_model m;
    const struct platform_profile *p = catalog_find_platform(c, name);
    cr_assert_not_null(p);
    cr_assert_eq(coldstart_model_init(&m, &d, p, size_bytes, &err), 0, "%s", err.message);
    /* profile and artifact point into the catalog: keep only what the tests read */
    static char profile[64], artifact[64];
    snprintf(profile, sizeof profile, "%s", m.profile);
    snprintf(artifact, sizeof artifact, "%s", m.artifact);
    m.profile = profile;
    m.artifact = artifact;
    catalog_destroy(c);
    return m;
}

Test(serverless, lambda_profile_fetch_and_load_follow_the_packaging_rule)
{
    /* Lambda packaging (Brooker et al., ATC'23): up to 250 MB in a zip, fetched at
     * 100 MB/s; up to 10 GiB in an image whose weights are read in full at 250 MB/s
     * after a 1.2 s overhead; load at 500 MB/s; the quickest way that holds the model.
     * 200 MB: zip 2 s = image 1.2 + 0.8 s, the first listed, + 0.4 s load. 240 MB:
     * image 1.2 + 0.96 s beats zip 2.4 s, + 0.48 s. 300 MB: 1.2 + 1.2 s + 0.6 s.
     * 3 GB: 1.2 + 12 s + 6 s. */
    struct coldstart_model m = profile_of("aws-lambda", 200000000);
    cr_assert_str_eq(m.artifact, "zip");
    cr_assert_eq(m.fixed_ns, 2400000000);
    cr_assert_str_eq(m.assumed, "zip.fetch_bandwidth; load_bandwidth");
    coldstart_model_free(&m);
    m = profile_of("aws-lambda", 240000000);
    cr_assert_str_eq(m.artifact, "image");
    cr_assert_eq(m.fixed_ns, 2640000000);
    coldstart_model_free(&m);
    m = profile_of("aws-lambda", 300000000);
    cr_assert_str_eq(m.artifact, "image");
    cr_assert_eq(m.fixed_ns, 3000000000);
    cr_assert_eq(m.init_timeout_ns, 10 * SIM_NS_PER_S);
    cr_assert_str_eq(m.profile, "aws-lambda");
    coldstart_model_free(&m);
    m = profile_of("aws-lambda", 3000000000);
    cr_assert_str_eq(m.artifact, "image");
    cr_assert_eq(m.fixed_ns, 19200000000);
    coldstart_model_free(&m);
    /* Cloud Run streams the image at an assumed 100 MB/s, loads at 500 MB/s:
     * 300 MB -> 3 s + 0.6 s; its init is assumed too. */
    m = profile_of("cloud-run", 300000000);
    cr_assert_eq(m.fixed_ns, 3600000000);
    cr_assert_str_eq(m.assumed, "init; image.fetch_bandwidth; load_bandwidth");
    coldstart_model_free(&m);
}

Test(serverless, lambda_init_past_the_timeout_is_retried_and_billed_as_invocation)
{
    /* Lambda (AWS docs, execution environment lifecycle): an Init over 10 s is cut
     * off and retried inside the first invocation. One request, init 12 s, service
     * 100 ms, 2 GiB:
     *   latency = 10 s (timed out) + 12 s (retried) + 0.1 s = 22.1 s;
     *   billed  = 10 s INIT (init_billed, at most init_max 10 s)
     *             + 12.1 s invocation (retried init + execution) = 22,100 ms.
     * With init_billed: false the timed-out INIT is free, the invocation is not:
     * 12,100 ms. An init of 899.95 s retried with 100 ms of execution runs past the
     * 900 s function timeout: counted. */
    struct scenario *s =
        load_yaml("duration: 1.5s\n"
                  "model: {service: 100ms}\n"
                  "workload: {arrival: constant, rate: 1/s}\n"
                  "deployments:\n"
                  "  - {name: a, platform: aws-lambda, memory: 2GiB, coldstart: 12s}\n"
                  "  - {name: b, platform: aws-lambda, memory: 2GiB, coldstart: 12s,"
                  " init_billed: false}\n"
                  "  - {name: c, platform: aws-lambda, memory: 2GiB, coldstart: 899.95s}\n"
                  "  - {name: d, platform: aws-lambda, memory: 2GiB, coldstart: 9.9s}\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.served, 1);
    cr_assert_eq(r.cold_starts, 1);
    cr_assert_eq(r.init_retries, 1);
    cr_assert_eq(r.init_timeouts, 0);
    cr_assert_eq(r.latency.max_ns, 22100000000);
    cr_assert_eq(r.billed_ms, 22100);
    cr_assert_float_eq(r.cost.compute_usd, 22.1 * 2.0 * 0.0000166667, 1e-15);
    cr_assert_float_eq(result_coldstart_mean_s(&r), 22.0, 1e-12);
    result_free(&r);
    r = run_one(s, 1);
    cr_assert_eq(r.billed_ms, 12100);
    result_free(&r);
    r = run_one(s, 2);
    cr_assert_eq(r.init_retries, 1);
    cr_assert_eq(r.init_timeouts, 1);
    result_free(&r);
    /* In time: no retry, the INIT billed as it ran (9.9 s + 0.1 s). */
    r = run_one(s, 3);
    cr_assert_eq(r.init_retries, 0);
    cr_assert_eq(r.latency.max_ns, 10000000000);
    cr_assert_eq(r.billed_ms, 10000);
    result_free(&r);
    scenario_destroy(s);
}

Test(serverless, cloud_run_now_has_cold_starts_that_take_time, .timeout = 60)
{
    /* Cloud Run had no profile, so its cold starts took no time. A 300 MB model:
     * each cold start waits at least the 3.6 s of fetch and load, and the mean adds
     * the lognormal init's mean (median 1 s, P99 5 s: mean e^(sigma^2/2) s, sigma =
     * ln 5 / z99). */
    struct scenario *s = load_yaml("duration: 2h\nseed: 3\n"
                                   "model: {size: 300MB, service: 100ms}\n"
                                   "workload: {arrival: poisson, rate: 1/s}\n"
                                   "deployments: [{name: f, platform: cloud-run, memory: 1GiB,"
                                   " concurrency: 1, keep_alive: 2s}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_gt(r.cold_starts, 100);
    double sigma = log(5.0) / 2.3263478740408408;
    double mean = 3.6 + exp(sigma * sigma / 2);
    cr_assert(fabs(result_coldstart_mean_s(&r) / mean - 1) < 0.1, "mean %g vs %g",
              result_coldstart_mean_s(&r), mean);
    cr_assert_str_eq(r.coldstart_profile, "cloud-run");
    cr_assert_str_eq(r.coldstart_artifact, "image");
    cr_assert(strstr(r.coldstart_assumed, "init"));
    result_free(&r);
    scenario_destroy(s);
}

Test(serverless, every_report_names_the_profile_and_its_assumed_constants)
{
    struct scenario *s =
        load_yaml("duration: 20s\n"
                  "model: {size: 300MB, service: 100ms}\n"
                  "workload: {arrival: constant, rate: 1/s}\n"
                  "deployments:\n"
                  "  - {name: lam, platform: aws-lambda, memory: 1GiB}\n"
                  "  - {name: own, platform: aws-lambda, memory: 1GiB, coldstart: 1s}\n"
                  "  - {name: off, platform: aws-lambda, memory: 1GiB, coldstart: none}\n");
    struct run_options opt = {.timeline_step_ns = 0, .jobs = 1};
    struct run_output out;
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0, "%s", err.message);
    char *text[3];
    enum report_format fmt[3] = {REPORT_JSON, REPORT_CSV, REPORT_TEXT};
    for (int k = 0; k < 3; k++) {
        size_t len = 0;
        FILE *f = open_memstream(&text[k], &len);
        cr_assert_eq(report_write(f, fmt[k], s, &out), 0);
        fclose(f);
    }
    cr_assert(strstr(text[0], "\"profile\":\t\"aws-lambda\""), "%s", text[0]);
    cr_assert(strstr(text[0], "\"artifact\":\t\"image\""));
    cr_assert(strstr(text[0], "\"assumed\":\t\"image.fetch_bandwidth; load_bandwidth\""));
    cr_assert(strstr(text[0], "\"profile\":\t\"deployment\""));
    cr_assert(strstr(text[0], "\"profile\":\t\"none\""));
    cr_assert(strstr(text[0], "\"mean_s\":\t1,"), "own: exactly 1 s");
    cr_assert(strstr(text[1], "coldstart_profile,coldstart_artifact,coldstart_assumed,"
                              "coldstart_mean_s"));
    cr_assert(strstr(text[1], ",aws-lambda,image,image.fetch_bandwidth; load_bandwidth,"));
    cr_assert(strstr(text[2], "lam: cold-start profile aws-lambda (model in image), mean "));
    cr_assert(strstr(text[2], "(assumed: image.fetch_bandwidth; load_bandwidth)"));
    cr_assert(strstr(text[2], "own: cold starts from the deployment's own distribution, "
                              "mean 1 s\n"));
    cr_assert(strstr(text[2], "off: no cold-start profile: instances start at once"));
    for (int k = 0; k < 3; k++)
        free(text[k]);
    run_output_free(&out);
    scenario_destroy(s);
}

Test(serverless, timed_out_init_and_retried_init_are_billed_apart)
{
    /* Without init_max the rule shows: the timed-out attempt is billed as INIT for
     * the 10 s it ran, not for the whole init, and the retried 12 s with the 0.1 s
     * execution as invocation: 10 + 12.1 = 22,100 ms (billing the 22 s wait as INIT
     * would give 34,100 ms). Retried init + execution 12.1 s is within the 60 s
     * timeout; a 59.95 s init is not. */
    struct scenario *s =
        load_yaml("duration: 1.5s\n"
                  "pricing: tests/data/pricing/coldstart.yaml\n"
                  "model: {service: 100ms}\n"
                  "workload: {arrival: constant, rate: 1/s}\n"
                  "deployments:\n"
                  "  - {name: a, platform: timeout-uncapped, memory: 1GiB, coldstart: 12s}\n"
                  "  - {name: b, platform: timeout-uncapped, memory: 1GiB, coldstart: 59.95s}\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.latency.max_ns, 22100000000);
    cr_assert_eq(r.billed_ms, 22100);
    cr_assert_eq(r.init_timeouts, 0);
    result_free(&r);
    r = run_one(s, 1);
    cr_assert_eq(r.init_retries, 1);
    cr_assert_eq(r.init_timeouts, 1);
    result_free(&r);
    scenario_destroy(s);
}

Test(serverless, a_model_larger_than_every_artifact_is_refused)
{
    /* A profile whose ways all have a max ships no larger model: the error names
     * model.size and the largest way. */
    static const char text[] = "as_of: 2026-11-30\n"
                               "platforms:\n"
                               "  - name: p\n"
                               "    keep_alive: 1m\n"
                               "    coldstart:\n"
                               "      init: 1s\n"
                               "      artifacts: [{name: zip, max: 250MB, source: assumed}]\n"
                               "      sources: {init: assumed}\n"
                               "    billing: {mode: request, rounding: 1ms, request: "
                               "{usd: 0, source: s, date: 2026}}\n";
    struct catalog *c = NULL;
    struct slsim_error err;
    cr_assert_eq(catalog_parse(text, strlen(text), "inline.yaml", &c, &err), 0, "%s",
                 err.message);
    struct serverless_spec d;
    memset(&d, 0, sizeof d);
    d.coldstart = COLDSTART_DEFAULT;
    struct coldstart_model m;
    const struct platform_profile *p = catalog_find_platform(c, "p");
    cr_assert_eq(coldstart_model_init(&m, &d, p, 250000000, &err), 0);
    cr_assert_eq(m.fixed_ns, 0, "no fetch bandwidth: nothing fetched");
    coldstart_model_free(&m);
    memset(&err, 0, sizeof err);
    cr_assert_eq(coldstart_model_init(&m, &d, p, 250000001, &err), -1);
    cr_assert_str_eq(err.key, "model.size");
    cr_assert(strstr(err.message, "largest way, zip, holds 250MB"), "%s", err.message);
    catalog_destroy(c);
}
