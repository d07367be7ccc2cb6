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
