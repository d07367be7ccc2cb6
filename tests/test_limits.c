/* test_limits.c - numbers a scenario may not give, refused when it is loaded (so
 * `slsim validate` refuses them too), and the expected volume they are judged by.
 *
 * The limits are those of include/slsim/scenario.h: a rate above 1e9/s (more than one
 * arrival per nanosecond tick), more than 1e11 expected arrivals or periodic events
 * per replication, more than 1e6 kept-warm instances over all functions, more than
 * 1e6 attempts per throttled request, peak_to_mean above 1000, trace scales beyond a
 * millionfold. Each case writes a short file whose offending key sits on a line and
 * column read off the text right above the assertion. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_helpers.h"
#include "slsim/scenario.h"
#include "slsim/workload.h"

#define NS_PER_H (3600 * SIM_NS_PER_S)
#define NS_PER_D (24 * NS_PER_H)

/* Lines 1-3; the workload follows from line 4, the deployments after it. */
#define HEAD                                                                                   \
    "duration: 1h\n"     /* 1 */                                                               \
    "model:\n"           /* 2 */                                                               \
    "  service: 10ms\n"  /* 3 */

struct load {
    int rc;
    struct scenario *s;
    struct slsim_error err;
};

static struct load load_text(const char *text)
{
    char dir[] = "/tmp/slsim-test-limits-XXXXXX";
    cr_assert_not_null(mkdtemp(dir), "mkdtemp failed");
    char path[128];
    snprintf(path, sizeof path, "%s/case.yaml", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
    struct load l;
    memset(&l, 0, sizeof l);
    l.rc = scenario_load(path, NULL, 0, &l.s, &l.err);
    unlink(path);
    rmdir(dir);
    return l;
}

/* Refused at line:column of the key, and the message names both texts (the number
 * and the limit). */
static void refused(const char *text, int line, int column, const char *key, const char *number,
                    const char *limit)
{
    struct load l = load_text(text);
    cr_assert_eq(l.rc, -1, "accepted; expected a refusal at %s naming %s", key, number);
    cr_assert_null(l.s);
    cr_assert_eq(l.err.line, line, "line %d, expected %d: %s", l.err.line, line, l.err.message);
    cr_assert_eq(l.err.column, column, "column %d, expected %d: %s", l.err.column, column,
                 l.err.message);
    cr_assert_str_eq(l.err.key, key, "message: %s", l.err.message);
    cr_assert(strstr(l.err.message, number), "\"%s\" lacks the number %s", l.err.message, number);
    cr_assert(strstr(l.err.message, limit), "\"%s\" lacks the limit %s", l.err.message, limit);
}

static struct scenario *accepted(const char *text)
{
    struct load l = load_text(text);
    cr_assert_eq(l.rc, 0, "refused: %d:%d: %s: %s", l.err.line, l.err.column, l.err.key,
                 l.err.message);
    return l.s;
}

/* ---- rates: at most one arrival per nanosecond ---- */

Test(limits, rate_1e300_per_second_is_refused)
{
    refused(HEAD "workload:\n"
                 "  arrival: poisson\n"
                 "  rate: 1e300/s\n" /* 6:9 */
                 "deployments: [{}]\n",
            6, 9, "workload.rate", "1e+300/s", "1e+09/s");
}

Test(limits, rate_2e9_per_second_is_refused)
{
    refused(HEAD "workload:\n"
                 "  arrival: constant\n"
                 "  rate: 2e9/s\n" /* 6:9 */
                 "deployments: [{}]\n",
            6, 9, "workload.rate", "2e+09/s", "1e+09/s");
}

Test(limits, spike_factor_pushing_the_rate_over_1e9_is_refused_at_the_factor)
{
    /* 5e8/s x 3 = 1.5e9/s during the spike. */
    refused(HEAD "workload:\n"
                 "  arrival: poisson\n"
                 "  rate: 5e8/s\n"
                 "  spikes:\n"
                 "    - {at: 1m, duration: 1s, factor: 3}\n" /* 8:38 */
                 "deployments: [{}]\n",
            8, 38, "workload.spikes[1].factor", "1.5e+09/s", "1e+09/s");
}

Test(limits, the_spike_named_is_the_one_written_that_goes_over)
{
    /* Spikes are kept sorted by start; the message still names the first item as
     * written, whose 3 x 5e8/s = 1.5e9/s goes over, not the one that starts first. */
    refused(HEAD "workload:\n"
                 "  arrival: poisson\n"
                 "  rate: 5e8/s\n"
                 "  spikes:\n"
                 "    - {at: 30m, duration: 1s, factor: 3}\n" /* 8:39 */
                 "    - {at: 1m, duration: 1s, factor: 1.5}\n"
                 "deployments: [{}]\n",
            8, 39, "workload.spikes[1].factor", "1.5e+09/s", "1e+09/s");
}

Test(limits, diurnal_peak_over_1e9_is_refused)
{
    /* The default peak_to_mean 2: 6e8/s x 2 = 1.2e9/s at the peak. */
    refused(HEAD "workload:\n"
                 "  arrival: diurnal\n"
                 "  rate: 6e8/s\n" /* 6:9 */
                 "  period: 1h\n"
                 "deployments: [{}]\n",
            6, 9, "workload.rate", "1.2e+09/s", "1e+09/s");
}

Test(limits, peak_to_mean_above_1000_is_refused)
{
    refused(HEAD "workload:\n"
                 "  arrival: diurnal\n"
                 "  rate: 1/s\n"
                 "  period: 1h\n"
                 "  peak_to_mean: 1e300\n" /* 8:17 */
                 "deployments: [{}]\n",
            8, 17, "workload.peak_to_mean", "1e+300", "1000");
}

/* ---- expected arrivals per replication: at most 1e11 ---- */

Test(limits, rate_1e8_over_30_days_is_refused)
{
    /* 1e8/s x 30 x 86,400 s = 2.592e14 arrivals. */
    refused("duration: 30d\nmodel:\n  service: 10ms\n"
            "workload:\n"
            "  arrival: poisson\n"
            "  rate: 1e8/s\n" /* 6:9 */
            "deployments: [{}]\n",
            6, 9, "workload.rate", "2.59e+14", "1e+11");
}

Test(limits, onoff_counts_on_time_only)
{
    /* On 1% of each hour (36 s) for a day: 24 x 36 s x 1e8/s = 8.64e10 arrivals, under
     * 1e11, although rate x duration is 8.64e12. */
    struct scenario *s = accepted("duration: 1d\nmodel:\n  service: 10ms\n"
                                  "workload:\n"
                                  "  arrival: onoff\n"
                                  "  rate: 1e8/s\n"
                                  "  duty_cycle: 0.01\n"
                                  "  period: 1h\n"
                                  "deployments: [{}]\n");
    cr_assert_float_eq(workload_expected_draws(&s->workload, s->duration_ns), 8.64e10, 1e3);
    scenario_destroy(s);
    /* On 10% for 30 days: 720 x 360 s x 1e8/s = 2.592e13. */
    refused("duration: 30d\nmodel:\n  service: 10ms\n"
            "workload:\n"
            "  arrival: onoff\n"
            "  rate: 1e8/s\n" /* 6:9 */
            "  duty_cycle: 0.1\n"
            "  period: 1h\n"
            "deployments: [{}]\n",
            6, 9, "workload.rate", "2.59e+13", "1e+11");
}

Test(limits, onoff_partial_period_counts_the_on_part_only)
{
    /* duty 0.25 of 1 h = 900 s on per period; [0, 1.5 h) holds 900 s + min(1800 s,
     * 900 s) = 1800 s on: 1800 x 2/s = 3600. */
    struct scenario *s = accepted(HEAD "workload:\n"
                                       "  arrival: onoff\n"
                                       "  rate: 2/s\n"
                                       "  duty_cycle: 0.25\n"
                                       "  period: 1h\n"
                                       "deployments: [{}]\n");
    cr_assert_float_eq(workload_expected_draws(&s->workload, 3 * NS_PER_H / 2), 3600.0, 1e-6);
    scenario_destroy(s);
}

Test(limits, expected_arrivals_match_what_the_generator_makes)
{
    /* On 900 s of each hour for a day at 10/s: 24 x 900 x 10 = 216,000; the spike at 5x
     * over the first 600 s (all on) adds 4 x 600 x 10 = 24,000: 240,000. A Poisson count
     * has sd sqrt(240,000) = 490; the seed is fixed, the bound 5 sd. */
    struct scenario *s = accepted("duration: 1d\nmodel:\n  service: 10ms\n"
                                  "workload:\n"
                                  "  arrival: onoff\n"
                                  "  rate: 10/s\n"
                                  "  duty_cycle: 0.25\n"
                                  "  period: 1h\n"
                                  "  spikes: [{at: 0s, duration: 10m, factor: 5}]\n"
                                  "deployments: [{}]\n");
    double expect = workload_expected_draws(&s->workload, s->duration_ns);
    cr_assert_float_eq(expect, 240000.0, 1e-6);
    struct slsim_error err;
    struct workload *w = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
    cr_assert_not_null(w);
    struct request r;
    double n = 0;
    while (workload_next(w, &r) == 1)
        n++;
    workload_destroy(w);
    cr_assert(fabs(n - expect) < 5 * sqrt(expect), "generated %.0f, expected %.0f", n, expect);
    scenario_destroy(s);
}

Test(limits, onoff_phases_with_spikes_are_counted)
{
    /* With spikes the generator steps through every phase: 2 x 1 h / 2 ns = 3.6e12,
     * however low the rate. */
    refused(HEAD "workload:\n"
                 "  arrival: onoff\n"
                 "  rate: 0.001/s\n"
                 "  duty_cycle: 0.5\n"
                 "  period: 2ns\n" /* 8:11 */
                 "  spikes: [{at: 1m, duration: 1m, factor: 2}]\n"
                 "deployments: [{}]\n",
            8, 11, "workload.period", "3.6e+12", "1e+11");
}

Test(limits, diurnal_counts_the_candidates_drawn_at_the_peak)
{
    /* Thinning draws at rate x peak_to_mean: 1e6/s x 1000 x 86,400 s = 8.64e13, though
     * the mean, 1e6/s x 86,400 s = 8.64e10, would pass. */
    refused("duration: 1d\nmodel:\n  service: 10ms\n"
            "workload:\n"
            "  arrival: diurnal\n"
            "  rate: 1e6/s\n" /* 6:9 */
            "  period: 1h\n"
            "  peak_to_mean: 1000\n"
            "deployments: [{}]\n",
            6, 9, "workload.rate", "8.64e+13", "1e+11");
}

Test(limits, spikes_add_their_extra_arrivals)
{
    /* 1e6/s x 86,400 s = 8.64e10, plus (100 - 1) x 1e6/s x 3600 s = 3.564e11 for the
     * spike: 4.428e11. */
    refused("duration: 1d\nmodel:\n  service: 10ms\n"
            "workload:\n"
            "  arrival: poisson\n"
            "  rate: 1e6/s\n" /* 6:9 */
            "  spikes: [{at: 1h, duration: 1h, factor: 100}]\n"
            "deployments: [{}]\n",
            6, 9, "workload.rate", "4.43e+11", "1e+11");
}

Test(limits, just_under_the_limits_is_accepted)
{
    /* 1e9/s is one arrival per ns; over 100 s that is 1e11 arrivals: both at the limit. */
    struct scenario *s = accepted("duration: 100s\nmodel:\n  service: 10ms\n"
                                  "workload:\n"
                                  "  arrival: poisson\n"
                                  "  rate: 1e9/s\n"
                                  "deployments: [{}]\n");
    cr_assert_float_eq(workload_expected_draws(&s->workload, s->duration_ns), 1e11, 1.0);
    cr_assert_float_eq(workload_peak_draw_rate(&s->workload, s->duration_ns), 1e9, 1e-3);
    scenario_destroy(s);
}

/* ---- runs held until the report: replications x deployments ---- */

Test(limits, replications_times_deployments_above_20000_is_refused)
{
    /* 10,000 x 3 = 30,000 results held; 10,000 x 2 = 20,000 is the limit. */
    refused(HEAD "replications: 10000\n" /* 4:15 */
                 "workload: {arrival: poisson, rate: 1/s}\n"
                 "deployments: [{}, {}, {}]\n",
            4, 15, "replications", "30000 runs", "20000");
    struct scenario *s = accepted(HEAD "replications: 10000\n"
                                       "workload: {arrival: poisson, rate: 1/s}\n"
                                       "deployments: [{}, {}]\n");
    scenario_destroy(s);
}

/* ---- serverless: kept-warm instances, warming, retries ---- */

#define FNS                                                                                    \
    HEAD "workload:\n"         /* 4 */                                                         \
         "  arrival: poisson\n" /* 5 */                                                        \
         "  rate: 1/s\n"        /* 6 */                                                        \
         "  functions: 1000\n"  /* 7 */                                                        \
         "deployments:\n"       /* 8 */

Test(limits, provisioned_times_functions_above_1e6_is_refused)
{
    /* 1000 per function x 1000 functions = 1e6 is the limit; 1001 x 1000 is over. */
    struct scenario *s = accepted(FNS "  - {platform: aws-lambda, provisioned: 1000}\n");
    scenario_destroy(s);
    refused(FNS "  - {platform: aws-lambda, provisioned: 1001}\n", /* 9:41 */
            9, 41, "deployments.serverless-1.provisioned", "1001000", "1000000");
}

Test(limits, warm_before_times_functions_above_1e6_is_refused)
{
    refused(FNS "  - warm_before: [{at: \"07:00\", instances: 5000}]\n", /* 9:18 */
            9, 18, "deployments.serverless-1.warm_before", "5000000", "1000000");
}

Test(limits, warming_every_nanosecond_is_refused)
{
    /* 1 h / 1 ns x 1 instance x 1 function = 3.6e12 pings. */
    refused(HEAD "workload: {arrival: poisson, rate: 1/s}\n"
                 "deployments:\n"
                 "  - warming: {every: 1ns}\n" /* 6:22 */,
            6, 22, "deployments.serverless-1.warming.every", "3.6e+12", "1e+11");
}

Test(limits, retry_every_nanosecond_is_refused)
{
    /* A 1 ns backoff that never grows, for the default 6 h: 2.16e13 attempts. */
    refused(HEAD "workload: {arrival: poisson, rate: 1/s}\n"
                 "deployments:\n"
                 "  - on_throttle: retry\n"
                 "    reserved: 1\n"
                 "    retry: {backoff: 1ns, max_backoff: 1ns}\n" /* 8:12 */,
            8, 12, "deployments.serverless-1.retry", "2.16e+13", "1e+06");
}

Test(limits, lambda_retry_defaults_are_accepted)
{
    struct scenario *s = accepted(HEAD "workload: {arrival: poisson, rate: 1/s}\n"
                                       "deployments:\n"
                                       "  - {on_throttle: retry, reserved: 1}\n");
    scenario_destroy(s);
}

Test(limits, histogram_bins_times_functions_above_2_5e7_is_refused)
{
    /* The default 4 h range in 1 min bins is 240 bins a function: 240 x 1e6 functions =
     * 2.4e8 bins; at 1e5 functions, 2.4e7, under the limit. */
    refused(HEAD "workload:\n"
                 "  arrival: poisson\n"
                 "  rate: 1/s\n"
                 "  functions: 1000000\n"
                 "deployments:\n"
                 "  - keep_alive: {policy: hybrid-histogram}\n" /* 9:17 */,
            9, 17, "deployments.serverless-1.keep_alive", "2.4e+08", "2.5e+07");
    struct scenario *s = accepted(HEAD "workload:\n"
                                       "  arrival: poisson\n"
                                       "  rate: 1/s\n"
                                       "  functions: 100000\n"
                                       "deployments:\n"
                                       "  - keep_alive: {policy: hybrid-histogram}\n");
    scenario_destroy(s);
}

/* ---- dedicated: autoscaler evaluations ---- */

Test(limits, autoscale_interval_of_a_nanosecond_is_refused)
{
    /* 1 h / 1 ns = 3.6e12 evaluations. */
    refused(HEAD "workload: {arrival: poisson, rate: 1/s}\n"
                 "deployments:\n"
                 "  - type: dedicated\n"
                 "    instance: c6i.xlarge\n"
                 "    autoscale: {interval: 1ns, max: 4}\n" /* 8:27 */,
            8, 27, "deployments.dedicated-1.autoscale.interval", "3.6e+12", "1e+11");
}

/* ---- trace scales ---- */

#define TRACE_HEAD                                                                             \
    HEAD "workload:\n"                                                                         \
         "  arrival: trace\n"                                                                  \
         "  trace:\n"                                                                          \
         "    format: csv\n"                                                                   \
         "    path: tests/data/traces/one-bad-row.csv\n"                                      \
         "    columns: {time: t, function: f}\n"                                              \
         "    skip_bad: true\n"

Test(limits, trace_rate_scale_above_a_million_is_refused)
{
    refused(TRACE_HEAD "    rate_scale: 1e7\n" /* 11:17 */
                       "deployments: [{}]\n",
            11, 17, "workload.trace.rate_scale", "1e+07", "1e+06");
}

Test(limits, trace_time_scale_outside_a_millionfold_is_refused)
{
    refused(TRACE_HEAD "    time_scale: 1e-7\n" /* 11:17 */
                       "deployments: [{}]\n",
            11, 17, "workload.trace.time_scale", "1e-07", "1e-06");
    refused(TRACE_HEAD "    time_scale: 2e6\n" /* 11:17 */
                       "deployments: [{}]\n",
            11, 17, "workload.trace.time_scale", "2e+06", "1e+06");
}

/* ---- run --timeline: rows held over all deployments and replications ---- */

Test(limits, timeline_rows_over_all_runs_above_1e7_are_refused)
{
    /* 1 h / 360 us = 1e7 rows for each of 2 replications: 2e7 rows held. The shortest
     * interval that fits is 1 h / (1e7 / 2) = 720 us. */
    char dir[] = "/tmp/slsim-test-limits-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128], tl[128], out[128], cmd[512];
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    snprintf(tl, sizeof tl, "%s/tl.csv", dir);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(HEAD "replications: 2\nworkload: {arrival: poisson, rate: 1/s}\ndeployments: [{}]\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "run %s --quiet --out %s --timeline %s --timeline-interval 360us",
             path, out, tl);
    struct outcome o = run(cmd);
    cr_assert_eq(o.status, 2, "status %d: %s", o.status, o.err);
    cr_assert(strstr(o.err, "--timeline-interval"), "%s", o.err);
    cr_assert(strstr(o.err, "2e+07"), "%s", o.err);
    cr_assert(strstr(o.err, "1e+07"), "%s", o.err);
    cr_assert(strstr(o.err, "720us"), "%s", o.err);
    cr_assert_neq(access(tl, F_OK), 0, "the timeline was written");
    cr_assert_neq(access(out, F_OK), 0, "the report was written");
    outcome_free(&o);
    unlink(path);
    rmdir(dir);
}

/* ---- --seed: the scenario's whole 64-bit range ---- */

Test(limits, seed_option_takes_every_64_bit_number)
{
    /* 2^64 - 1 = 18446744073709551615 is a seed a scenario file may give; one more is
     * not a 64-bit number. */
    char dir[] = "/tmp/slsim-test-limits-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128], out[128], cmd[512];
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    snprintf(out, sizeof out, "%s/out.txt", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("duration: 1m\nmodel: {service: 10ms}\nworkload: {arrival: poisson, rate: 1/s}\n"
          "deployments: [{}]\n", f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "run %s --quiet --out %s --seed 18446744073709551615", path, out);
    struct outcome o = run(cmd);
    cr_assert_eq(o.status, 0, "status %d: %s", o.status, o.err);
    outcome_free(&o);
    unlink(out);
    snprintf(cmd, sizeof cmd, "run %s --quiet --out %s --seed 18446744073709551616", path, out);
    o = run(cmd);
    cr_assert_eq(o.status, 2, "status %d: %s", o.status, o.err);
    cr_assert(strstr(o.err, "--seed"), "%s", o.err);
    cr_assert(strstr(o.err, "18446744073709551615"), "%s", o.err);
    cr_assert_neq(access(out, F_OK), 0, "the report was written");
    outcome_free(&o);
    unlink(path);
    rmdir(dir);
}
