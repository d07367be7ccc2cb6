/* test_sizing.c - `count: auto`: the smallest fleet whose full-length run meets the
 * SLO, searched up from floor(peak load / slots) + 1; the peak rate it sized for;
 * fast failures when no fleet can meet the objective. Every verdict here comes
 * from plain full runs (run_deployment and result_slo_met, as `slsim run` judges),
 * not from the search's own probes. */
#include <math.h>
#include <time.h>

#include "cli_helpers.h"
#include "helpers.h"
#include "slsim/dist.h"
#include "slsim/sizing.h"
#include "slsim/workload.h"

#define PRICING "pricing: tests/data/pricing/test.yaml\n"
/* 100 ms exponential service, 10 minutes measured after 1 minute of warm-up. */
#define POISSON_100MS(rate, slo)                                                              \
    PRICING "duration: 11m\nwarmup: 1m\nseed: 8\n"                                             \
            "model: {service: {dist: exponential, mean: 100ms}}\n"                            \
            "workload: {arrival: poisson, rate: " rate "}\n"                                  \
            "deployments: [{name: vm, type: dedicated, instance: box, count: auto}]\n"        \
            "slo: {" slo "}\n"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* slo_met of a full run of s with deployment 0 at `count` machines. */
static int meets_at(const struct scenario *s, uint32_t count)
{
    struct scenario probe = *s;
    struct deployment_spec dep = s->deployments[0];
    dep.dedicated.count = count;
    dep.dedicated.count_auto = 0;
    probe.deployments = &dep;
    struct deployment_result r = run_one(&probe, 0);
    int met = result_slo_met(&r, &s->slo);
    result_free(&r);
    return met;
}

/* Size deployment 0 of yaml, check the floor, and check the answer is the smallest
 * count from the floor up that meets: it meets, and one fewer misses unless the
 * answer is the floor. Also checks the number of full-length runs is logarithmic
 * in the distance from the Erlang-C guess (gallop, then bisect). */
static struct sizing_outcome smallest_fleet_case(const char *yaml, uint32_t floor_expected)
{
    struct scenario *s = load_yaml(yaml);
    struct sizing_outcome o;
    struct slsim_error err;
    double t0 = now_s();
    cr_assert_eq(sizing_fleet(s, 0, &o, &err), 0, "%s", err.message);
    double t1 = now_s();
    cr_assert_eq(o.floor, floor_expected, "floor %u, expected %u", o.floor, floor_expected);
    cr_assert_geq(o.count, o.floor);
    cr_assert(meets_at(s, o.count), "the chosen fleet of %u must meet the SLO", o.count);
    if (o.count > o.floor)
        cr_assert(!meets_at(s, o.count - 1), "one machine fewer (%u) must miss the SLO",
                  o.count - 1);
    uint32_t dist = o.count > o.guess ? o.count - o.guess : o.guess - o.count;
    cr_assert_leq(o.runs, 2 * (uint32_t)ceil(log2(dist + 2.0)) + 2,
                  "%u runs for an answer %u from the guess", o.runs, dist);
    cr_log_info("sizing: peak %g/s, load %g, floor %u, guess %u, answer %u, %u runs (%u cut), "
                "%.2f s; check %.2f s\n",
                o.peak_rate_per_s, o.peak_load, o.floor, o.guess, o.count, o.runs, o.cut,
                t1 - t0, now_s() - t1);
    scenario_destroy(s);
    return o;
}

/* Smallest feasible count at 2 erlangs (20/s x 100 ms), p99 <= 1 s. */
Test(sizing, smallest_fleet_at_2_erlangs, .timeout = 300)
{
    struct sizing_outcome o = smallest_fleet_case(POISSON_100MS("20/s", "latency_p99: 1s"), 3);
    cr_assert_eq(o.peak_rate_per_s, 20.0);
}

/* Smallest feasible count at 100 erlangs (1,000/s x 100 ms), p99 <= 1 s. */
Test(sizing, smallest_fleet_at_100_erlangs, .timeout = 300)
{
    smallest_fleet_case(POISSON_100MS("1000/s", "latency_p99: 1s"), 101);
}

/* Smallest feasible count at 1,000 erlangs (10,000/s x 100 ms), p99 <= 1 s: about
 * 6.6 million requests a run. Short probes chose 958 machines, below the load. */
Test(sizing, smallest_fleet_at_1000_erlangs, .timeout = 600)
{
    struct sizing_outcome o =
        smallest_fleet_case(POISSON_100MS("10000/s", "latency_p99: 1s"), 1001);
    cr_assert_geq(o.count, 1001, "below the offered load the queue grows without bound");
}

/* Smallest feasible count above the floor: at 100 erlangs a p99 of 500 ms (the
 * service time's own p99 is 460 ms) leaves little room to wait, so the floor
 * misses and one machine fewer than the answer must miss. Erlang-C bracket:
 * exponential service is M/M/c, so the guess lands within a machine or two. */
Test(sizing, smallest_fleet_above_the_floor, .timeout = 300)
{
    struct sizing_outcome o =
        smallest_fleet_case(POISSON_100MS("1000/s", "latency_p99: 500ms"), 101);
    cr_assert_gt(o.count, o.floor, "the floor does not meet a 500 ms p99");
    cr_assert_leq(o.runs, 4);
}

/* Smallest feasible count when the Erlang-C bracket starts low: lognormal service
 * with cv 3 has a tail the exponential formula does not see, so the guess misses
 * and the search gallops up, then bisects. */
Test(sizing, smallest_fleet_with_a_heavy_tailed_service, .timeout = 300)
{
    struct sizing_outcome o =
        smallest_fleet_case(PRICING "duration: 11m\nwarmup: 1m\nseed: 4\n"
                                "model: {service: {dist: lognormal, mean: 100ms, cv: 3}}\n"
                                "workload: {arrival: poisson, rate: 300/s}\n"
                                "deployments: [{type: dedicated, instance: box, count: auto}]\n"
                                "slo: {latency_p95: 500ms}\n",
                        31);
    cr_assert_gt(o.count, o.guess);
}

/* Smallest feasible count when the Erlang-C bracket starts high: constant service
 * waits less than M/M/c says, so the guess meets and the search gallops down, then
 * bisects. */
Test(sizing, smallest_fleet_with_a_constant_service, .timeout = 300)
{
    struct sizing_outcome o =
        smallest_fleet_case(PRICING "duration: 11m\nwarmup: 1m\nseed: 6\n"
                                    "model: {service: 100ms}\n"
                                    "workload: {arrival: poisson, rate: 1000/s}\n"
                                    "deployments: [{type: dedicated, instance: box, count: auto}]\n"
                                    "slo: {latency_p99: 110ms}\n",
                            101);
    cr_assert_lt(o.count, o.guess);
}

/* Spikes included: 100/s (10 erlangs) with an 8x spike of 4 minutes inside the
 * measured period. The floor is set by the spike (81 machines); the count sized
 * for the mean rate alone (Erlang-C at 100/s, what sizing chose before) misses. */
Test(sizing, spike_is_covered, .timeout = 300)
{
    static const char *yaml =
        PRICING "duration: 11m\nwarmup: 1m\nseed: 8\n"
                "model: {service: {dist: exponential, mean: 100ms}}\n"
                "workload: {arrival: poisson, rate: 100/s,"
                " spikes: [{at: 4m, duration: 4m, factor: 8}]}\n"
                "deployments: [{name: vm, type: dedicated, instance: box, count: auto}]\n"
                "slo: {latency_p99: 1s}\n";
    struct sizing_outcome o = smallest_fleet_case(yaml, 81);
    cr_assert_eq(o.peak_rate_per_s, 800.0, "sized for the spike's rate");
    struct scenario *s = load_yaml(yaml);
    uint32_t mean_rate_count = sizing_erlang_c_guess(100.0, 0.1, 1, &s->slo);
    cr_assert_lt(mean_rate_count, o.floor);
    cr_assert(!meets_at(s, mean_rate_count), "%u machines, sized for 100/s, meet the SLO",
              mean_rate_count);
    scenario_destroy(s);
}

/* The peak rate: on/off's rate while on, the diurnal peak, spikes inside the run
 * and inside an on-phase; spikes in an off-phase or after the end do not count. */
Test(sizing, peak_rate_of_each_pattern)
{
    struct scenario *s =
        load_yaml(PRICING "duration: 10h\nmodel: {service: 100ms}\n"
                          "workload: {arrival: onoff, rate: 50/s, duty_cycle: 0.25, period: 4h,"
                          " spikes: [{at: 2h, duration: 1h, factor: 4},"
                          " {at: 9h30m, duration: 10m, factor: 9}]}\n"
                          "deployments: [{type: dedicated, instance: box}]\n");
    /* The loader refuses a spike after the end; a scenario built in code may hold one. */
    s->workload.spikes[1].at_ns = 20 * 3600 * SIM_NS_PER_S;
    cr_assert_eq(sizing_peak_rate(s), 50.0, "the spike at 2h falls in the off-phase");
    s->workload.spikes[0].at_ns = 4 * 3600 * SIM_NS_PER_S + 1800 * SIM_NS_PER_S;
    cr_assert_eq(sizing_peak_rate(s), 200.0, "a spike over an on-phase");
    scenario_destroy(s);
    s = load_yaml(PRICING "duration: 2d\nmodel: {service: 100ms}\n"
                          "workload: {arrival: diurnal, rate: 50/s, peak_to_mean: 3, period: 1d}\n"
                          "deployments: [{type: dedicated, instance: box}]\n");
    cr_assert(fabs(sizing_peak_rate(s) - 150.0) < 1e-6, "diurnal peak %g", sizing_peak_rate(s));
    scenario_destroy(s);
}

/* What the percentile allows: the same test result_slo_met applies. */
Test(sizing, allowed_misses_match_slo_met)
{
    struct slo_spec p99 = {.percentile = 99, .latency_ns = SIM_NS_PER_S},
                    p100 = {.percentile = 100, .latency_ns = SIM_NS_PER_S};
    cr_assert_eq(result_slo_allowed_misses(1000, &p99), 10);
    cr_assert_eq(result_slo_allowed_misses(999, &p99), 9);
    cr_assert_eq(result_slo_allowed_misses(1000, &p100), 0);
    for (uint64_t n = 1; n < 3000; n += 7) {
        uint64_t m = result_slo_allowed_misses(n, &p99);
        struct deployment_result r;
        result_init(&r);
        r.requests = n;
        r.within_slo = n - m;
        cr_assert(result_slo_met(&r, &p99), "n %llu", (unsigned long long)n);
        r.within_slo = n - m - 1;
        cr_assert(!result_slo_met(&r, &p99), "n %llu", (unsigned long long)n);
        result_free(&r);
    }
}

/* The distribution function that decides an objective no fleet can meet. */
Test(sizing, service_cdf)
{
    struct dist d;
    char why[200];
    cr_assert_eq(dist_exponential(&d, 0.1, why, sizeof why), 0);
    cr_assert(fabs(dist_cdf(&d, 0.1) - (1 - exp(-1))) < 1e-12);
    dist_free(&d);
    cr_assert_eq(dist_lognormal_median_p99(&d, 0.2, 1.0, why, sizeof why), 0);
    cr_assert(fabs(dist_cdf(&d, 0.2) - 0.5) < 1e-9);
    cr_assert(fabs(dist_cdf(&d, 1.0) - 0.99) < 1e-9);
    dist_free(&d);
    double pc[] = {0, 50, 100}, xs[] = {0.1, 0.2, 0.4};
    cr_assert_eq(dist_empirical_percentiles(&d, pc, xs, 3, why, sizeof why), 0);
    cr_assert(fabs(dist_cdf(&d, 0.3) - 0.75) < 1e-12);
    cr_assert_eq(dist_cdf(&d, 0.05), 0);
    cr_assert_eq(dist_cdf(&d, 0.5), 1);
    dist_free(&d);
    double vs[] = {0.3, 0.1, 0.2, 0.2};
    cr_assert_eq(dist_empirical_values(&d, vs, 4, why, sizeof why), 0);
    cr_assert_eq(dist_cdf(&d, 0.2), 0.75);
    dist_free(&d);
}

/* Infeasible SLO: the p99 of 100 ms exponential service is 460 ms, so a 300 ms p99
 * cannot be met by any fleet; the scenario is refused as it loads, at the objective
 * (so `validate` refuses it as `run` does), without simulating, exit status 2. */
Test(sizing, slo_below_the_service_percentile_fails_at_once, .timeout = 30)
{
    struct slsim_error err = load_yaml_error(POISSON_100MS("1000/s", "latency_p99: 300ms"));
    cr_assert(strstr(err.message, "\"vm\"") && strstr(err.message, "300ms") &&
                  strstr(err.message, "p99 is 460"),
              "%s", err.message);
    cr_assert_str_eq(err.key, "slo.latency_p99");
    cr_assert_gt(err.line, 0);
    cr_assert_gt(err.column, 0);

    char path[] = "/tmp/slsim-sizing-XXXXXX";
    write_temp(path, POISSON_100MS("1000/s", "latency_p99: 300ms"));
    const char *cmds[] = {"run %s --format json", "validate %s"};
    for (size_t i = 0; i < 2; i++) {
        char args[256];
        snprintf(args, sizeof args, cmds[i], path);
        struct outcome out = run(args);
        cr_assert_eq(out.status, 2, "%s", out.err);
        cr_assert(strstr(out.err, "no fleet can meet the SLO"), "%s", out.err);
        cr_assert_str_eq(out.out, "");
        outcome_free(&out);
    }
    unlink(path);
}

/* A fleet far too small for the load is judged without running to the end: the
 * run stops once its misses exceed what the percentile allows, and its queue never
 * holds more than the requests of that short stretch. */
Test(sizing, an_overloaded_run_stops_early, .timeout = 60)
{
    struct scenario *s = load_yaml(POISSON_100MS("10000/s", "latency_p99: 1s"));
    s->deployments[0].dedicated.count = 500;
    s->deployments[0].dedicated.count_auto = 0;
    struct slsim_error err;
    uint64_t n = run_measured_requests(s, 0, &err);
    cr_assert(n > 5900000 && n < 6100000, "%llu measured requests", (unsigned long long)n);
    struct deployment_result r;
    int cut = 0;
    double t0 = now_s();
    cr_assert_eq(run_deployment_until_misses(s, 0, 0, result_slo_allowed_misses(n, &s->slo),
                                             &cut, &r, &err),
                 0, "%s", err.message);
    cr_assert_eq(cut, 1);
    cr_log_info("overloaded run cut after %.2f s\n", now_s() - t0);
    scenario_destroy(s);
}

/* The report says the peak rate a fleet was sized for, in JSON and in text. */
Test(sizing, report_shows_the_peak_rate, .timeout = 120)
{
    char path[] = "/tmp/slsim-sizing-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(PRICING "duration: 3m\nwarmup: 1m\nseed: 2\n"
                  "model: {service: {dist: exponential, mean: 100ms}}\n"
                  "workload: {arrival: poisson, rate: 20/s,"
                  " spikes: [{at: 90s, duration: 30s, factor: 3}]}\n"
                  "deployments: [{name: vm, type: dedicated, instance: box, count: auto}]\n"
                  "slo: {latency_p99: 1s}\n",
          f);
    fclose(f);
    char args[256];
    snprintf(args, sizeof args, "run %s --format json", path);
    struct outcome j = run(args);
    snprintf(args, sizeof args, "run %s", path);
    struct outcome t = run(args);
    unlink(path);
    cr_assert_eq(j.status, 0, "%s", j.err);
    cr_assert(strstr(j.out, "\"count_auto_peak_rate\":\t60"), "%s", j.out);
    cr_assert_eq(t.status, 0, "%s", t.err);
    cr_assert(strstr(t.out, "count: auto chose 7 x box for a peak of 60 requests/s"), "%s",
              t.out);
    outcome_free(&j);
    outcome_free(&t);
}
