/* test_workload.c - arrival patterns deliver the rates they promise. */
#include <math.h>

#include "helpers.h"
#include "slsim/workload.h"

/* Count arrivals of s's workload in [from, to) seconds. */
static uint64_t count_arrivals(const struct scenario *s, double from, double to)
{
    struct slsim_error err;
    struct workload *w = workload_create(s, 0, s->duration_ns, &err);
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
    struct workload *w = workload_create(s, 0, s->duration_ns, &err);
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
        struct workload *w = workload_create(s, 0, s->duration_ns, &err);
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
    struct workload *w = workload_create(s, 0, s->duration_ns, &err);
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
    struct workload *a = workload_create(s, 0, s->duration_ns, &err);
    struct workload *b = workload_create(s, 0, s->duration_ns, &err);
    struct workload *c = workload_create(s, 1, s->duration_ns, &err);
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
