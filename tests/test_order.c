/* test_order.c - which waiting request is served next. Erlang-C's probability of
 * waiting and mean wait are the same for every order that never idles a server
 * (FIFO, LIFO, random), so the dedicated tests against them cannot tell the orders
 * apart; these check each request's own latency and the tail of the distribution. */
#include <math.h>

#include "helpers.h"

#define PRICING "pricing: tests/data/pricing/test.yaml\n"
#define MS 1000000LL

/* Exactly one value recorded in v's bucket (the histogram's resolution is 1/128 of
 * the value, well below the millisecond gaps used here). */
static void assert_one_at(const struct histogram *h, int64_t v)
{
    cr_assert_eq(h->bucket[histogram_index(v)], 1, "%llu latencies near %.3f ms, want 1",
                 (unsigned long long)h->bucket[histogram_index(v)], (double)v / MS);
}

Test(order, dedicated_queue_serves_the_oldest_request_first)
{
    /* One slot, 10 ms of work, arrivals every millisecond from 1 ms (a constant
     * pattern's first instant is 1 / rate): the first starts at once and each
     * later one starts when its predecessor in the queue ends. FIFO, by hand:
     *   arrival 1 ms: starts 1, ends 11,  latency 10 ms
     *   arrival 2 ms: starts 11, ends 21, latency 19 ms
     *   arrival 3 ms: starts 21, ends 31, latency 28 ms
     *   arrival 4 ms: starts 31, ends 41, latency 37 ms
     * LIFO would serve 4 ms at 11 (latency 17), 3 ms at 21 (28), 2 ms at 31 (39):
     * the same mean (23.5 ms) and the same P(wait), other values. */
    struct scenario *s = load_yaml(PRICING "duration: 4500us\n"
                                           "model: {service: 10ms}\n"
                                           "workload: {arrival: constant, rate: 1000/s}\n"
                                           "deployments: [{type: dedicated, instance: box,"
                                           " count: 1}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 4);
    cr_assert_eq(r.served, 4);
    cr_assert_eq(r.queued, 3);
    cr_assert_eq(r.latency.min_ns, 10 * MS);
    cr_assert_eq(r.latency.max_ns, 37 * MS, "longest latency %.3f ms, FIFO gives 37",
                 (double)r.latency.max_ns / MS);
    cr_assert_float_eq(r.latency.mean_ns, 23.5 * MS, 1.0);
    assert_one_at(&r.latency, 10 * MS);
    assert_one_at(&r.latency, 19 * MS);
    assert_one_at(&r.latency, 28 * MS);
    assert_one_at(&r.latency, 37 * MS);
    result_free(&r);
    scenario_destroy(s);
}

static double erlang_c(unsigned c, double a)
{
    /* C(c, a) = B / (1 - (a/c)(1 - B)) with Erlang-B from its recursion. */
    double b = 1.0;
    for (unsigned k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b / (1.0 - a / c * (1.0 - b));
}

Test(order, dedicated_latency_tail_is_m_m_c_fifo_sojourn_time, .timeout = 60)
{
    /* M/M/c served first come, first served: a request waits with probability
     * C = C(c, a) (Erlang-C), and then for an exponential time of rate
     * theta = c mu - lambda, so P(W > t) = C exp(-theta t) (Kleinrock, Queueing
     * Systems Vol. 1, sec. 3.5; Gross and Harris, Fundamentals of Queueing Theory,
     * sec. 2.3). Its service time S ~ Exp(mu) is independent of that wait, so the
     * latency T = W + S has
     *   P(T > t) = (1 - C) exp(-mu t) + C (mu exp(-theta t) - theta exp(-mu t)) / (mu - theta).
     * LIFO (or random order) gives the same C and the same mean wait C / theta but
     * a heavier tail: with c = 4, a = 3.2 it puts about 0.51 above 1 s instead of
     * 0.61, and 0.024 above 8 s instead of 0.0043.
     *
     * Tolerance: successive latencies are strongly correlated near a load of 0.8,
     * so a binomial standard error would be too small. R independent replications
     * (their own streams) give R independent estimates; their mean is within
     * 4 standard errors s / sqrt(R) of the truth (Student t, 7 degrees of freedom:
     * 99.8%), plus the histogram's resolution: a bucket is at most 1/128 of its
     * value wide, so the fraction read at t is off by at most f(t) x t / 128, and
     * the density f(t) is at most max(mu, theta) P(T > t) (a mixture's hazard rate
     * is at most its parts' largest; an exponential's is its rate, a sum of
     * exponentials' stays below the smallest rate). */
    const unsigned c = 4, R = 8;
    const double a = 3.2, mu = 1.0, lambda = a, theta = c * mu - lambda;
    const double C = erlang_c(c, a);
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             PRICING "duration: 150200s\nwarmup: 200s\nseed: 21\nreplications: %u\n"
                     "model: {service: {dist: exponential, mean: 1s}}\n"
                     "workload: {arrival: poisson, rate: %g/s}\n"
                     "deployments: [{type: dedicated, instance: box, count: %u}]\n",
             R, a, c);
    struct scenario *s = load_yaml(yaml);
    const double ts[] = {1, 2, 4, 6, 8};
    enum { NT = sizeof ts / sizeof ts[0] };
    double sum[NT] = {0}, sum2[NT] = {0};
    for (unsigned rep = 0; rep < R; rep++) {
        struct deployment_result r;
        struct slsim_error err;
        cr_assert_eq(run_deployment(s, 0, rep, 0, &r, &err), 0, "%s", err.message);
        cr_assert_gt(r.served, 400000);
        for (size_t k = 0; k < NT; k++) {
            double p = 1.0 - histogram_fraction_at_most(&r.latency, (int64_t)(ts[k] * 1e9));
            sum[k] += p;
            sum2[k] += p * p;
        }
        result_free(&r);
    }
    for (size_t k = 0; k < NT; k++) {
        double t = ts[k];
        double want = (1 - C) * exp(-mu * t) +
                      C * (mu * exp(-theta * t) - theta * exp(-mu * t)) / (mu - theta);
        double mean = sum[k] / R;
        double var = (sum2[k] - R * mean * mean) / (R - 1);
        double se = sqrt(var > 0 ? var / R : 0);
        /* Enough data that the check has teeth: a tenth of the value at most. */
        cr_assert_lt(se, 0.1 * want, "t=%gs: standard error %.5f of %.5f", t, se, want);
        double tol = 4 * se + fmax(mu, theta) * t / 128 * want;
        cr_assert(fabs(mean - want) <= tol,
                  "P(latency > %gs) = %.5f, M/M/%u FIFO gives %.5f (tolerance %.5f)", t, mean,
                  c, want, tol);
    }
    scenario_destroy(s);
}

Test(order, serverless_throttle_queue_serves_the_oldest_request_first)
{
    /* The same four requests on a function capped at one instance (reserved: 1,
     * on_throttle: queue, no cold start): requests 2 ms to 4 ms wait in the
     * function's queue, which is FIFO, so the latencies are 10, 19, 28 and 37 ms
     * as on one dedicated slot. LIFO would give 10, 17, 28 and 39 ms. */
    struct scenario *s = load_yaml("duration: 4500us\n"
                                   "model: {service: 10ms}\n"
                                   "workload: {arrival: constant, rate: 1000/s}\n"
                                   "deployments: [{name: f, reserved: 1, on_throttle: queue,"
                                   " keep_alive: forever, coldstart: none}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 4);
    cr_assert_eq(r.served, 4);
    cr_assert_eq(r.queued, 3);
    cr_assert_eq(r.cold_starts, 1);
    cr_assert_eq(r.latency.max_ns, 37 * MS, "longest latency %.3f ms, FIFO gives 37",
                 (double)r.latency.max_ns / MS);
    assert_one_at(&r.latency, 10 * MS);
    assert_one_at(&r.latency, 19 * MS);
    assert_one_at(&r.latency, 28 * MS);
    assert_one_at(&r.latency, 37 * MS);
    result_free(&r);
    scenario_destroy(s);
}

Test(order, idle_pick_chooses_the_instance_each_rule_names)
{
    /* Three instances of one function, no cold start, keep-alive 10 s, made by
     * requests at 0 s (5 s of work), 0.5 s (1 s) and 1 s (2 s):
     *   I1 born 0,   idle from 5   (freed last)    expires 15
     *   I2 born 0.5, idle from 1.5 (freed first)   expires 11.5
     *   I3 born 1,   idle from 3   (freed between, but born last)  expires 13
     * A request at 6 s (1 s) takes: mru the most recently freed, I1; lru the
     * least recently freed, I2; newest the last created, I3. The one taken is
     * freed at 7 and lives to 17 instead. Instance-time (birth to expiry):
     * 15 + 11 + 12 = 38 s, plus what the pick adds: mru 2 s (40), lru 5.5 s (43.5),
     * newest 4 s (42); random one of the three. Busy time is 9 s whatever the pick. */
    char path[] = "/tmp/slsim-pick-XXXXXX";
    write_temp(path, "time,fn,dur\n0,a,5\n0.5,a,1\n1,a,2\n6,a,1\n");
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "duration: 30s\nmodel: {service: 1s}\n"
             "workload: {arrival: trace, trace: {format: csv, path: %s,"
             " columns: {time: time, function: fn, duration: dur}}}\n"
             "deployments:\n"
             "  - {name: mru, idle_pick: mru, keep_alive: 10s, coldstart: none}\n"
             "  - {name: lru, idle_pick: lru, keep_alive: 10s, coldstart: none}\n"
             "  - {name: newest, idle_pick: newest, keep_alive: 10s, coldstart: none}\n"
             "  - {name: rnd, idle_pick: random, keep_alive: 10s, coldstart: none}\n",
             path);
    struct scenario *s = load_yaml(yaml);
    const double want[] = {40.0, 43.5, 42.0};
    for (size_t d = 0; d < 4; d++) {
        struct deployment_result r = run_one(s, d);
        cr_assert_eq(r.served, 4);
        cr_assert_eq(r.cold_starts, 3);
        cr_assert_eq(r.instances_peak, 3);
        cr_assert_float_eq(r.busy_instance_s, 9.0, 1e-9);
        if (d < 3)
            cr_assert_float_eq(r.instance_s, want[d], 1e-9, "%s: instance-time %.3f s, want %.1f",
                               r.name, r.instance_s, want[d]);
        else
            cr_assert(fabs(r.instance_s - 40) < 1e-9 || fabs(r.instance_s - 43.5) < 1e-9 ||
                          fabs(r.instance_s - 42) < 1e-9,
                      "random: instance-time %.3f s", r.instance_s);
        result_free(&r);
    }
    unlink(path);
    scenario_destroy(s);
}

Test(order, hybrid_overflows_past_the_smaller_of_max_queue_and_overflow_queue)
{
    /* One 1-slot base machine and requests at 1, 2, 3 and 4 ms of 10 ms each. A
     * request goes to the base if a slot is free or fewer than
     * min(max_queue, overflow_queue) requests wait there, else to the serverless
     * overflow (no cold start: 10 ms).
     *   limit 1 (max_queue 1, overflow_queue 3): 1 ms runs, 2 ms waits, 3 and 4 ms
     *     overflow. Base latencies 10 and 19 ms; overflow 10 and 10 ms.
     *   limit 2 (overflow_queue 2): 1 ms runs, 2 and 3 ms wait, 4 ms overflows.
     *     Base 10, 19 and 28 ms; overflow 10 ms. */
    struct scenario *s = load_yaml(PRICING "duration: 4500us\n"
                                           "model: {service: 10ms}\n"
                                           "workload: {arrival: constant, rate: 1000/s}\n"
                                           "deployments:\n"
                                           "  - {name: q1, type: hybrid, overflow_queue: 3,"
                                           " base: {instance: box, count: 1, max_queue: 1},"
                                           " overflow: {platform: req-1ms, memory: 1GiB,"
                                           " coldstart: none}}\n"
                                           "  - {name: q2, type: hybrid, overflow_queue: 2,"
                                           " base: {instance: box, count: 1},"
                                           " overflow: {platform: req-1ms, memory: 1GiB,"
                                           " coldstart: none}}\n");
    struct deployment_result a = run_one(s, 0), b = run_one(s, 1);
    cr_assert_eq(a.n_tiers, 2);
    cr_assert_eq(a.requests, 4);
    cr_assert_eq(a.tiers[0].served, 2, "limit 1: base served %llu, want 2",
                 (unsigned long long)a.tiers[0].served);
    cr_assert_eq(a.tiers[0].queued, 1);
    cr_assert_eq(a.tiers[0].dropped, 0);
    cr_assert_eq(a.tiers[1].served, 2);
    cr_assert_eq(a.tiers[1].cold_starts, 2);
    cr_assert_eq(a.tiers[0].latency.max_ns, 19 * MS);
    cr_assert_eq(a.tiers[1].latency.max_ns, 10 * MS);
    cr_assert_eq(a.latency.max_ns, 19 * MS);
    cr_assert_eq(b.tiers[0].served, 3, "limit 2: base served %llu, want 3",
                 (unsigned long long)b.tiers[0].served);
    cr_assert_eq(b.tiers[0].queued, 2);
    cr_assert_eq(b.tiers[1].served, 1);
    cr_assert_eq(b.tiers[0].latency.max_ns, 28 * MS);
    cr_assert_eq(b.latency.max_ns, 28 * MS);
    result_free(&a);
    result_free(&b);
    scenario_destroy(s);
}

Test(order, an_idle_provisioned_instance_serves_before_an_idle_on_demand_one)
{
    /* One provisioned instance on prov-5m (ready 1 min after allocation), no cold
     * start for on-demand ones, keep-alive 10 min. Two 100 ms requests at 120 s:
     * the first takes the provisioned instance, the second finds it busy (a
     * spillover) and starts an on-demand one. At 180 s one more request finds both
     * idle and goes to the provisioned one (provisioned capacity first, as Lambda
     * routes to provisioned concurrency before on-demand). By hand: 1 spillover,
     * 0.2 s busy on the provisioned instance, and on-demand execution of 0.1 s
     * only: $0.00001 x 0.1 GiB-s; the provisioned meter bills the other two:
     * 0.2 s x $0.000006 on top of the allocation. */
    char path[] = "/tmp/slsim-prov-XXXXXX";
    write_temp(path, "time,fn,dur\n120,a,100\n120,a,100\n180,a,100\n");
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             PRICING "duration: 10m\nmodel: {service: 1s}\n"
                     "workload: {arrival: trace, trace: {format: csv, path: %s,"
                     " columns: {time: time, function: fn, duration: dur},"
                     " duration_unit: 1ms}}\n"
                     "deployments: [{platform: prov-5m, memory: 1GiB, provisioned: 1,"
                     " keep_alive: 10m, coldstart: none}]\n",
             path);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    unlink(path);
    cr_assert_eq(r.served, 3);
    cr_assert_eq(r.spillovers, 1);
    cr_assert_eq(r.cold_starts, 1);
    cr_assert_float_eq(r.provisioned_busy_s, 0.2, 1e-9, "provisioned busy %.3f s, want 0.2",
                       r.provisioned_busy_s);
    cr_assert_float_eq(r.cost.compute_usd, 0.1 * 0.00001, 1e-15);
    cr_assert_float_eq(r.cost.provisioned_usd, 600 * 0.000004 + 0.2 * 0.000006, 1e-12);
    result_free(&r);
    scenario_destroy(s);
}
