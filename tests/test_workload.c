/* test_workload.c - arrival patterns deliver the rates they promise. */
#include <gsl/gsl_randist.h>
#include <math.h>

#include "helpers.h"
#include "slsim/engine.h"
#include "slsim/workload.h"

/* Count arrivals of s's workload in [from, to) seconds. */
static uint64_t count_arrivals(const struct scenario *s, double from, double to)
{
    struct slsim_error err;
    struct workload *w = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
    cr_assert(w);
    struct request r;
    uint64_t n = 0;
    sim_time last = -1;
    while (workload_next(w, &r)) {
        cr_assert_geq(r.arrival_ns, last, "arrivals out of order");
        last = r.arrival_ns;
        if (r.arrival_ns >= (sim_time)(from * 1e9) && r.arrival_ns < (sim_time)(to * 1e9))
            n++;
    }
    workload_destroy(w);
    return n;
}

/* |observed - expected| within k standard deviations of a Poisson count. */
static void assert_poisson_count(uint64_t n, double expect, const char *what)
{
    double sd = sqrt(expect);
    cr_assert(fabs((double)n - expect) < 5 * sd + 1, "%s: %llu arrivals, expected %.1f", what,
              (unsigned long long)n, expect);
}

Test(workload, poisson_rate)
{
    struct scenario *s = load_yaml("duration: 10000s\nmodel: {service: 1ms}\n"
                                   "workload: {arrival: poisson, rate: 50/s}\n"
                                   "deployments: [{coldstart: none}]\n");
    assert_poisson_count(count_arrivals(s, 0, 10000), 500000, "poisson");
    scenario_destroy(s);
}

Test(workload, constant_is_evenly_spaced)
{
    struct scenario *s = load_yaml("duration: 10s\nmodel: {service: 1ms}\n"
                                   "workload: {arrival: constant, rate: 4/s}\n"
                                   "deployments: [{coldstart: none}]\n");
    struct slsim_error err;
    struct workload *w = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
    struct request r;
    int k = 0;
    while (workload_next(w, &r)) {
        k++;
        cr_assert_eq(r.arrival_ns, (sim_time)k * 250000000);
        cr_assert_eq(r.service_ns, 1000000);
    }
    cr_assert_eq(k, 39);
    workload_destroy(w);
    scenario_destroy(s);
}

Test(workload, onoff_arrives_only_while_on_at_the_on_rate)
{
    /* Period 100 s, on for the first 30 s at 20/s: 600 per period, none in the
     * off part. Checked with and without a spike (which takes the thinning path). */
    const char *yamls[] = {
        "duration: 100000s\nmodel: {service: 1ms}\n"
        "workload: {arrival: onoff, rate: 20/s, duty_cycle: 0.3, period: 100s}\n"
        "deployments: [{coldstart: none}]\n",
        "duration: 100000s\nmodel: {service: 1ms}\n"
        "workload: {arrival: onoff, rate: 20/s, duty_cycle: 0.3, period: 100s,"
        " spikes: [{at: 99000s, duration: 10s, factor: 5}]}\n"
        "deployments: [{coldstart: none}]\n",
    };
    for (int y = 0; y < 2; y++) {
        struct scenario *s = load_yaml(yamls[y]);
        struct slsim_error err;
        struct workload *w = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
        struct request r;
        uint64_t n = 0, in_spike = 0;
        while (workload_next(w, &r)) {
            sim_time phase = r.arrival_ns % (100 * SIM_NS_PER_S);
            cr_assert_lt(phase, 30 * SIM_NS_PER_S, "arrival in an off period");
            if (r.arrival_ns >= 99000 * SIM_NS_PER_S && r.arrival_ns < 99010 * SIM_NS_PER_S)
                in_spike++;
            else
                n++;
        }
        assert_poisson_count(n, 20.0 * 0.3 * 100000 - 200, "onoff");
        if (y == 1)
            assert_poisson_count(in_spike, 20.0 * 5 * 10, "spike");
        else
            assert_poisson_count(in_spike, 20.0 * 10, "no spike");
        workload_destroy(w);
        scenario_destroy(s);
    }
}

Test(workload, diurnal_mean_and_peak_to_mean)
{
    /* The von Mises day: mean rate over a period is `rate` and the rate at the
     * middle of the period is peak_to_mean x rate; arrivals in the busiest and
     * quietest hours follow the curve. */
    struct scenario *s = load_yaml("duration: 10d\nmodel: {service: 1ms}\n"
                                   "workload: {arrival: diurnal, rate: 2/s, period: 24h,"
                                   " peak_to_mean: 4}\n"
                                   "deployments: [{coldstart: none}]\n");
    const struct workload_spec *ws = &s->workload;
    cr_assert_float_eq(workload_rate_at(ws, 12 * 3600 * SIM_NS_PER_S), 8.0, 1e-6);
    double day = workload_expected_arrivals(ws, 0, 86400 * SIM_NS_PER_S);
    cr_assert_float_eq(day, 2.0 * 86400, 1e-3 * 2.0 * 86400);
    uint64_t n = count_arrivals(s, 0, 10 * 86400.0);
    assert_poisson_count(n, 10 * 2.0 * 86400, "diurnal total");
    /* The hour around noon, each day, against the integral of the curve. */
    struct slsim_error err;
    struct workload *w = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
    struct request r;
    uint64_t noon = 0;
    while (workload_next(w, &r)) {
        sim_time tod = r.arrival_ns % (86400 * SIM_NS_PER_S);
        if (tod >= (sim_time)(11.5 * 3600) * SIM_NS_PER_S && tod < (sim_time)(12.5 * 3600) * SIM_NS_PER_S)
            noon++;
    }
    double expect_noon = 10 * workload_expected_arrivals(ws, (sim_time)(11.5 * 3600) * SIM_NS_PER_S,
                                                         (sim_time)(12.5 * 3600) * SIM_NS_PER_S);
    assert_poisson_count(noon, expect_noon, "diurnal noon hour");
    workload_destroy(w);
    scenario_destroy(s);
}

Test(workload, spike_multiplies_the_rate_only_inside_it)
{
    struct scenario *s = load_yaml("duration: 20000s\nmodel: {service: 1ms}\n"
                                   "workload: {arrival: poisson, rate: 10/s,"
                                   " spikes: [{at: 5000s, duration: 1000s, factor: 8}]}\n"
                                   "deployments: [{coldstart: none}]\n");
    assert_poisson_count(count_arrivals(s, 0, 5000), 50000, "before");
    assert_poisson_count(count_arrivals(s, 5000, 6000), 80000, "during");
    assert_poisson_count(count_arrivals(s, 6000, 20000), 140000, "after");
    scenario_destroy(s);
}

Test(workload, every_deployment_sees_the_same_requests)
{
    /* The request stream depends on the seed and replication only. */
    struct scenario *s = load_yaml("duration: 1000s\nseed: 9\n"
                                   "model: {service: {dist: exponential, mean: 1s}}\n"
                                   "workload: {arrival: poisson, rate: 5/s}\n"
                                   "deployments: [{name: a, coldstart: none}, {name: b, keep_alive: 1s,"
                                   " coldstart: none}]\n");
    struct slsim_error err;
    struct workload *a = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
    struct workload *b = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
    struct workload *c = workload_create(&s->workload, &s->model.service, s->seed, 1, s->duration_ns, &err);
    struct request ra, rb, rc;
    int differ = 0;
    while (workload_next(a, &ra)) {
        cr_assert(workload_next(b, &rb));
        cr_assert_eq(ra.arrival_ns, rb.arrival_ns);
        cr_assert_eq(ra.service_ns, rb.service_ns);
        if (workload_next(c, &rc) && rc.arrival_ns != ra.arrival_ns)
            differ = 1;
    }
    cr_assert(!workload_next(b, &rb));
    cr_assert(differ, "another replication must draw other requests");
    workload_destroy(a);
    workload_destroy(b);
    workload_destroy(c);
    scenario_destroy(s);
}

/* The k-th instant of a regular pattern is round(k x 1e9 / rate) ns, from k, never a
 * sum of gaps: arrivals at k/rate for k >= 1 and k/rate < duration, so rate x
 * duration - 1 of them. The reference below is in integers: round half up of
 * k 1e9 / r is (2 k 1e9 + r) / (2 r). */
Test(workload, constant_instants_come_from_k_not_from_summed_gaps)
{
    static const struct {
        const char *rate, *duration;
        int64_t r;
        uint64_t n;        /* by hand: rate x duration - 1 */
        sim_time last_ns;  /* by hand: round(n x 1e9 / r) */
    } cases[] = {
        {"7/s", "1h", 7, 25199, 3599857142857},      /* 25,199e9 / 7 = ...857.14 */
        {"3/s", "1d", 3, 259199, 86399666666667},    /* 259,199e9 / 3 = ...666.67 */
        {"6/s", "1h", 6, 21599, 3599833333333},      /* 21,599e9 / 6 = ...333.33 */
        {"13/s", "1h", 13, 46799, 3599923076923},    /* 46,799e9 / 13 = ...923.08 */
        {"0.5/s", "1d", 0, 43199, 86398000000000},   /* 43,199 x 2 s */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[256];
        snprintf(yaml, sizeof yaml,
                 "duration: %s\nmodel: {service: 1ms}\n"
                 "workload: {arrival: constant, rate: %s}\n"
                 "deployments: [{coldstart: none}]\n",
                 cases[i].duration, cases[i].rate);
        struct scenario *s = load_yaml(yaml);
        struct slsim_error err;
        struct workload *w = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
        cr_assert(w);
        struct request r;
        uint64_t k = 0;
        sim_time last = -1;
        while (workload_next(w, &r)) {
            k++;
            if (cases[i].r)
                cr_assert_eq(r.arrival_ns,
                             (sim_time)((2 * (int64_t)k * SIM_NS_PER_S + cases[i].r) / (2 * cases[i].r)),
                             "%s: arrival %llu", cases[i].rate, (unsigned long long)k);
            last = r.arrival_ns;
        }
        cr_assert_eq(k, cases[i].n, "%s over %s: %llu arrivals, expected %llu", cases[i].rate,
                     cases[i].duration, (unsigned long long)k, (unsigned long long)cases[i].n);
        cr_assert_eq(last, cases[i].last_ns, "%s: last arrival at %lld ns", cases[i].rate,
                     (long long)last);
        workload_destroy(w);
        scenario_destroy(s);
    }
}

/* A spike restarts the regular pattern at the first arrival inside it (the gap after
 * an arrival is 1/rate at that arrival), and the end of the spike at the first one
 * after it. 1/s for 100 s, x3 over [10 s, 20 s): 10 s + round(k 1e9 / 3) for k = 1..30,
 * the 30th exactly at 20 s, which is outside the spike, so 21 s, 22 s, ... 99 s
 * follow: 10 + 30 + 79 = 119 arrivals. */
Test(workload, constant_restarts_at_spike_edges_exactly)
{
    struct scenario *s = load_yaml("duration: 100s\nmodel: {service: 1ms}\n"
                                   "workload: {arrival: constant, rate: 1/s,"
                                   " spikes: [{at: 10s, duration: 10s, factor: 3}]}\n"
                                   "deployments: [{coldstart: none}]\n");
    struct slsim_error err;
    struct workload *w = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
    struct request r;
    sim_time expect[119];
    size_t n = 0;
    for (int k = 1; k <= 10; k++)
        expect[n++] = k * SIM_NS_PER_S;
    for (int64_t k = 1; k <= 30; k++)
        expect[n++] = 10 * SIM_NS_PER_S + (2 * k * SIM_NS_PER_S + 3) / 6;
    for (int k = 21; k <= 99; k++)
        expect[n++] = k * SIM_NS_PER_S;
    size_t got = 0;
    while (workload_next(w, &r)) {
        cr_assert_lt(got, n, "more than %zu arrivals", n);
        cr_assert_eq(r.arrival_ns, expect[got], "arrival %zu at %lld ns, expected %lld", got + 1,
                     (long long)r.arrival_ns, (long long)expect[got]);
        got++;
    }
    cr_assert_eq(got, n);
    workload_destroy(w);
    scenario_destroy(s);
}

/* Random gaps are rounded to the nanosecond and summed in int64: the stream equals
 * the arrival stream's exponentials, each turned into round(E / rate) ns and added
 * by hand here. For on/off the sum runs over active time (on for 3 s of every 10 s)
 * and is unfolded onto the wall clock in integers. */
Test(workload, random_arrivals_are_integer_sums_of_rounded_gaps)
{
    const char *yamls[] = {
        "duration: 2000s\nseed: 5\nmodel: {service: 1ms}\n"
        "workload: {arrival: poisson, rate: 7/s}\ndeployments: [{coldstart: none}]\n",
        "duration: 2000s\nseed: 5\nmodel: {service: 1ms}\n"
        "workload: {arrival: onoff, rate: 7/s, duty_cycle: 0.3, period: 10s}\n"
        "deployments: [{coldstart: none}]\n",
    };
    for (int y = 0; y < 2; y++) {
        struct scenario *s = load_yaml(yamls[y]);
        struct slsim_error err;
        struct workload *w = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
        gsl_rng *ref = rng_stream_create(s->seed, 0, RNG_ARRIVALS);
        struct request r;
        sim_time sum = 0;
        uint64_t n = 0;
        while (workload_next(w, &r)) {
            sum += (sim_time)llround(rng_exponential1(ref) / (7.0 / 1e9));
            sim_time t = y == 0 ? sum
                                : sum / (3 * SIM_NS_PER_S) * 10 * SIM_NS_PER_S +
                                      sum % (3 * SIM_NS_PER_S);
            cr_assert_eq(r.arrival_ns, t, "%s arrival %llu at %lld ns, expected %lld",
                         y ? "onoff" : "poisson", (unsigned long long)n + 1,
                         (long long)r.arrival_ns, (long long)t);
            n++;
        }
        cr_assert_gt(n, 1000);
        gsl_rng_free(ref);
        workload_destroy(w);
        scenario_destroy(s);
    }
}

/* Several functions: each request's function is Walker's alias draw of GSL
 * (gsl_ran_discrete) on Zipf weights k^-s from the RNG_FUNCTION stream, the same
 * numbers in the same order, whatever table layout the workload keeps. */
Test(workload, functions_are_gsl_alias_draws_of_zipf_weights)
{
    struct scenario *s = load_yaml("duration: 2000s\nseed: 4\n"
                                   "model: {service: 1s}\n"
                                   "workload: {arrival: poisson, rate: 50/s, functions: 3000, zipf: 0.8}\n"
                                   "deployments: [{name: a}]\n");
    double *weight = malloc(3000 * sizeof *weight);
    for (int k = 0; k < 3000; k++)
        weight[k] = pow((double)(k + 1), -0.8);
    gsl_ran_discrete_t *g = gsl_ran_discrete_preproc(3000, weight);
    gsl_rng *r = rng_stream_create(s->seed, 0, RNG_FUNCTION);
    struct slsim_error err;
    struct workload *w = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
    cr_assert(w);
    struct request rq;
    uint64_t n = 0, first = 0;
    while (workload_next(w, &rq) > 0) {
        size_t want = gsl_ran_discrete(r, g);
        cr_assert_eq(rq.function, want, "request %llu: function %u, GSL draws %zu",
                     (unsigned long long)n, rq.function, want);
        first += rq.function == 0;
        n++;
    }
    cr_assert_gt(n, 90000);
    cr_assert_gt(first, n / 40, "the most popular function (about 5%) is drawn too rarely");
    workload_destroy(w);
    gsl_rng_free(r);
    gsl_ran_discrete_free(g);
    free(weight);
    scenario_destroy(s);
}

/* A spike with a ramp is a trapezoid: rate 10/s, factor 8, at 1000 s for 1000 s with
 * ramp 200 s rises linearly 10 -> 80/s over [1000, 1200), holds 80/s over [1200, 1800),
 * falls 80 -> 10/s over [1800, 2000). Expected arrivals, the integral of the rate by
 * trapezoids: rise (10 + 80) / 2 x 200 = 9,000; plateau 80 x 600 = 48,000; fall 9,000;
 * the spike 66,000. Each count is Poisson (sd = sqrt(mean): 95 for the ramp, 219 for
 * the plateau); the check allows 5 sd + 1, so a correct generator fails it about once
 * in 1.7 million runs, while a step (no ramp) would put 16,000 in each ramp's window,
 * 74 sd away. The same seed draws the same arrivals twice. */
Test(workload, ramped_spike_arrivals_integrate_the_trapezoid)
{
    struct scenario *s = load_yaml("duration: 3000s\nmodel: {service: 1ms}\n"
                                   "workload: {arrival: poisson, rate: 10/s, spikes:"
                                   " [{at: 1000s, duration: 1000s, factor: 8, ramp: 200s}]}\n"
                                   "deployments: [{coldstart: none}]\n");
    cr_assert_float_eq(workload_rate_at(&s->workload, 1100 * SIM_NS_PER_S), 45.0, 1e-9,
                       "halfway up the rise: 10 + (80 - 10) x 100 / 200");
    cr_assert_float_eq(workload_expected_arrivals(&s->workload, 1000 * SIM_NS_PER_S,
                                                  2000 * SIM_NS_PER_S),
                       66000.0, 1e-6);
    assert_poisson_count(count_arrivals(s, 0, 1000), 10000, "before");
    assert_poisson_count(count_arrivals(s, 1000, 1200), 9000, "rise");
    assert_poisson_count(count_arrivals(s, 1100, 1200), 6250, "upper half of the rise");
    assert_poisson_count(count_arrivals(s, 1200, 1800), 48000, "plateau");
    assert_poisson_count(count_arrivals(s, 1800, 2000), 9000, "fall");
    assert_poisson_count(count_arrivals(s, 2000, 3000), 10000, "after");
    cr_assert_eq(count_arrivals(s, 0, 3000), count_arrivals(s, 0, 3000), "deterministic");
    scenario_destroy(s);
}

/* A ramp of 0 is the step spike: the very same arrivals as without the key. */
Test(workload, ramp_zero_is_the_step)
{
    struct scenario *a = load_yaml("duration: 3000s\nmodel: {service: 1ms}\n"
                                   "workload: {arrival: poisson, rate: 10/s, spikes:"
                                   " [{at: 1000s, duration: 1000s, factor: 8, ramp: 0s}]}\n"
                                   "deployments: [{coldstart: none}]\n");
    struct scenario *b = load_yaml("duration: 3000s\nmodel: {service: 1ms}\n"
                                   "workload: {arrival: poisson, rate: 10/s, spikes:"
                                   " [{at: 1000s, duration: 1000s, factor: 8}]}\n"
                                   "deployments: [{coldstart: none}]\n");
    struct slsim_error err;
    struct workload *wa = workload_create(&a->workload, &a->model.service, 1, 0, a->duration_ns, &err);
    struct workload *wb = workload_create(&b->workload, &b->model.service, 1, 0, b->duration_ns, &err);
    struct request ra, rb;
    int na, nb;
    while ((na = workload_next(wa, &ra)) | (nb = workload_next(wb, &rb))) {
        cr_assert_eq(na, nb);
        cr_assert_eq(ra.arrival_ns, rb.arrival_ns);
    }
    workload_destroy(wa);
    workload_destroy(wb);
    scenario_destroy(a);
    scenario_destroy(b);
}
