/* test_compare.c - the duty-cycle sweep: grid parsing, break-even interpolation on
 * hand-made numbers, the sweep on a small Lambda-versus-machine scenario, and
 * `slsim compare` as users meet it (line counts, exit statuses, --jobs). */
#include "cli_helpers.h"
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "slsim/compare.h"
#include "slsim/report.h"
#include "slsim/scenario.h"
#include "slsim/sizing.h"

#define SMALL "tests/data/compare/small.yaml"
#define DIURNAL "tests/data/compare/diurnal.yaml"

/* ---- grid ---- */

static double *grid(const char *text, size_t *n)
{
    double *v = NULL;
    struct slsim_error err;
    int rc = compare_parse_grid(text, &v, n, &err);
    cr_assert_eq(rc, 0, "\"%s\" did not parse: %s", text, err.message);
    cr_assert_not_null(v);
    return v;
}

Test(grid, range_includes_stop_and_lands_on_decimals)
{
    size_t n;
    double *v = grid("0.05:1:0.05", &n);
    cr_assert_eq(n, 20);
    for (size_t k = 0; k < n; k++) {
        char want[16];
        snprintf(want, sizeof want, "%.2f", 0.05 * (double)(k + 1));
        cr_assert_eq(v[k], strtod(want, NULL), "point %zu is %.17g, not %s", k, v[k], want);
    }
    cr_assert_eq(v[19], 1.0);
    free(v);
}

Test(grid, range_stops_at_the_last_step_not_beyond)
{
    size_t n;
    double *v = grid("0.1:0.35:0.1", &n);
    cr_assert_eq(n, 3);
    cr_assert_eq(v[0], 0.1);
    cr_assert_eq(v[1], 0.2);
    cr_assert_eq(v[2], 0.3);
    free(v);
    /* a stop missed by floating-point error (0.1 + 9 x 0.1 > 1 by 2e-16) is still in */
    v = grid("0.1:1:0.1", &n);
    cr_assert_eq(n, 10);
    cr_assert_eq(v[9], 1.0);
    free(v);
    v = grid("0.5:0.5:0.1", &n);
    cr_assert_eq(n, 1);
    cr_assert_eq(v[0], 0.5);
    free(v);
}

Test(grid, list_is_sorted_and_deduplicated)
{
    size_t n;
    double *v = grid("1, 0.25,0.1,0.5,0.25,0.50", &n);
    cr_assert_eq(n, 4);
    cr_assert_eq(v[0], 0.1);
    cr_assert_eq(v[1], 0.25);
    cr_assert_eq(v[2], 0.5);
    cr_assert_eq(v[3], 1.0);
    free(v);
    v = grid("0.9,0.1:0.3:0.1,0.2", &n); /* ranges and numbers mix */
    cr_assert_eq(n, 4);
    cr_assert_eq(v[0], 0.1);
    cr_assert_eq(v[1], 0.2);
    cr_assert_eq(v[2], 0.3);
    cr_assert_eq(v[3], 0.9);
    free(v);
}

Test(grid, bad_grids_are_refused_with_a_message)
{
    static const char *const bad[] = {
        "",           "0",         "1.5",         "-0.1",       "0.1:1",    "0.1:1:0",
        "0.5:0.1:0.1", "abc",      "0.1,,0.2",    "0.1,",       "0.1:1:-0.1", "nan",
        "inf",        "0:1:0.1",   "0.1:1.1:0.1", "0.1:1:1e-9", "0.1:x:0.1", "1:2:3:4",
        "0.5 0.6",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double sentinel = 0, *v = &sentinel; /* must come back NULL */
        size_t n = 7;
        struct slsim_error err;
        memset(&err, 0, sizeof err);
        cr_assert_eq(compare_parse_grid(bad[i], &v, &n, &err), -1, "\"%s\" was accepted",
                     bad[i]);
        cr_assert_null(v);
        cr_assert_eq(n, 0);
        cr_assert_str_not_empty(err.message, "no message for \"%s\"", bad[i]);
    }
}

/* ---- break-even on hand-made numbers ---- */

Test(interpolate, sign_change_inside_an_interval_is_linear)
{
    double x = -1, cost = -1;
    /* a - b goes from -10 to +30 between 0.2 and 0.6: zero a quarter of the way */
    cr_assert_eq(compare_interpolate(0.2, 10, 20, 0.6, 50, 20, &x, &cost), 1);
    cr_assert_float_eq(x, 0.3, 1e-15);
    cr_assert_float_eq(cost, 20.0, 1e-12, "a at the break-even is b's constant cost");
    /* b varies too: both interpolate to the same cost there */
    cr_assert_eq(compare_interpolate(0.0, 1, 5, 1.0, 9, 7, &x, &cost), 1);
    cr_assert_float_eq(x, 4.0 / 6.0, 1e-15);
    cr_assert_float_eq(cost, 1 + 8 * (4.0 / 6.0), 1e-12);
    cr_assert_float_eq(cost, 5 + 2 * (4.0 / 6.0), 1e-12);
}

Test(interpolate, exact_zero_at_a_grid_point_is_that_point)
{
    double x = -1, cost = -1;
    cr_assert_eq(compare_interpolate(0.2, 10, 20, 0.4, 20, 20, &x, &cost), 1);
    cr_assert_eq(x, 0.4);
    cr_assert_eq(cost, 20.0);
    cr_assert_eq(compare_interpolate(0.4, 20, 20, 0.6, 30, 20, &x, &cost), 1);
    cr_assert_eq(x, 0.4);
    /* over a grid, the zero at 0.4 between a cheaper and a dearer side counts once */
    const double g[] = {0.2, 0.4, 0.6}, a[] = {10, 20, 30}, b[] = {20, 20, 20};
    struct compare_crossing c[4];
    cr_assert_eq(compare_find_crossings(g, a, b, 3, c, 4), 1);
    cr_assert_eq(c[0].duty_cycle, 0.4);
    cr_assert_eq(c[0].cost_usd_per_month, 20.0);
    cr_assert_eq(c[0].lo, 0);
    cr_assert_eq(c[0].hi, 1);
    cr_assert_eq(c[0].a_cheaper_below, 1);
}

Test(interpolate, no_crossing_reports_nothing)
{
    double x = 42, cost = 43;
    cr_assert_eq(compare_interpolate(0.2, 10, 20, 0.4, 15, 20, &x, &cost), 0);
    cr_assert_eq(compare_interpolate(0.2, 30, 20, 0.4, 25, 20, &x, &cost), 0);
    cr_assert_eq(compare_interpolate(0.2, 20, 20, 0.4, 20, 20, &x, &cost), 0, "a tie");
    cr_assert_eq(compare_interpolate(0.2, NAN, 20, 0.4, 10, 20, &x, &cost), 0);
    cr_assert_eq(x, 42);
    cr_assert_eq(cost, 43);
    const double g[] = {0.25, 0.5, 0.75, 1}, a[] = {1, 2, 3, 4}, b[] = {9, 9, 9, 9};
    struct compare_crossing c[4];
    cr_assert_eq(compare_find_crossings(g, a, b, 4, c, 4), 0);
    cr_assert_eq(compare_find_crossings(g, a, b, 1, c, 4), 0, "one point has no interval");
}

Test(interpolate, several_crossings_are_all_reported_in_order)
{
    /* b is cheaper in the middle only */
    const double g[] = {0.1, 0.2, 0.3, 0.4}, a[] = {0, 4, 4, 0}, b[] = {2, 2, 2, 2};
    struct compare_crossing c[4];
    cr_assert_eq(compare_find_crossings(g, a, b, 4, c, 4), 2);
    cr_assert_float_eq(c[0].duty_cycle, 0.15, 1e-15);
    cr_assert_eq(c[0].a_cheaper_below, 1);
    cr_assert_float_eq(c[1].duty_cycle, 0.35, 1e-15);
    cr_assert_eq(c[1].a_cheaper_below, 0);
    cr_assert_eq(c[1].lo, 2);
    /* max bounds what is written, not what is counted */
    cr_assert_eq(compare_find_crossings(g, a, b, 4, c, 1), 2);
}

/* ---- the sweep ---- */

static struct scenario *load(const char *path, const char *const *sets, size_t n_sets)
{
    struct scenario *s = NULL;
    struct slsim_error err;
    cr_assert_eq(scenario_load(path, sets, n_sets, &s, &err), 0, "%s: %s", path, err.message);
    return s;
}

static void sweep(struct scenario *s, const char *grid_text, unsigned jobs,
                  struct compare_result *r)
{
    size_t n;
    double *g = grid(grid_text, &n);
    struct slsim_error err;
    cr_assert_eq(compare_run_progress(s, g, n, jobs, NULL, NULL, r, &err), 0, "compare_run_progress: %s", err.message);
    free(g);
    cr_assert_eq(r->n_points, n);
}

Test(sweep, serverless_cost_grows_with_duty_cycle_and_fleet_cost_does_not, .timeout = 60)
{
    struct scenario *s = load(SMALL, NULL, 0);
    struct compare_result r;
    sweep(s, "0.2:1:0.2", 2, &r);
    cr_assert_eq(r.n_deployments, 2);
    cr_assert_eq(r.deployments[0].type, DEPLOYMENT_SERVERLESS);
    cr_assert_eq(r.deployments[1].type, DEPLOYMENT_DEDICATED);
    cr_assert_str_eq(r.deployments[1].platform, "c6i.xlarge");
    cr_assert_eq(r.rate_per_s, 10.0);
    cr_assert_eq(r.period_ns, 3600 * SIM_NS_PER_S, "an on/off scenario keeps its period");
    for (size_t k = 0; k < r.n_points; k++) {
        const struct compare_cell *lambda = &r.points[k].cells[0], *vm = &r.points[k].cells[1];
        cr_assert_gt(lambda->cost_usd_per_month, 0);
        cr_assert_gt(lambda->latency_ms_p99, 200, "p99 above the mean service time");
        cr_assert_eq(vm->cold_start_ratio, 0, "machines do not cold-start");
        /* one machine, no autoscaling, billed for the whole measured period */
        cr_assert_eq(vm->cost_usd_per_month, r.points[0].cells[1].cost_usd_per_month,
                     "fleet cost at %g differs from the first point", r.points[k].duty_cycle);
        cr_assert_float_eq(vm->cost_usd_per_month, 0.17 * 730, 1e-9);
        if (k > 0)
            cr_assert_gt(lambda->cost_usd_per_month,
                         r.points[k - 1].cells[0].cost_usd_per_month,
                         "lambda at %g costs no more than at %g", r.points[k].duty_cycle,
                         r.points[k - 1].duty_cycle);
        /* both meet the SLO, so the cheapest meeting it is the cheaper one */
        cr_assert(lambda->slo_met && vm->slo_met);
        size_t cheaper =
            lambda->cost_usd_per_month < vm->cost_usd_per_month ? 0 : 1;
        cr_assert_eq(r.points[k].cheapest, cheaper);
    }
    /* utilisation of the same machine rises with the traffic it serves */
    cr_assert_gt(r.points[4].cells[1].utilization, 2 * r.points[0].cells[1].utilization);
    compare_result_free(&r);
    scenario_destroy(s);
}

Test(sweep, break_even_lies_inside_its_bracket_and_is_the_linear_interpolation, .timeout = 60)
{
    struct scenario *s = load(SMALL, NULL, 0);
    struct compare_result r;
    sweep(s, "0.2:1:0.2", 2, &r);
    /* find the sign change independently of the code */
    size_t lo = COMPARE_NONE;
    for (size_t k = 0; k + 1 < r.n_points; k++) {
        double f0 = r.points[k].cells[0].cost_usd_per_month - r.points[k].cells[1].cost_usd_per_month;
        double f1 = r.points[k + 1].cells[0].cost_usd_per_month -
                    r.points[k + 1].cells[1].cost_usd_per_month;
        if (f0 < 0 && f1 > 0) {
            cr_assert_eq(lo, COMPARE_NONE, "the scenario should cross once");
            lo = k;
        }
    }
    cr_assert_neq(lo, COMPARE_NONE, "lambda and the machine do not cross on this grid");
    cr_assert_eq(r.n_break_even, 1);
    const struct compare_break_even *be = &r.break_even[0];
    cr_assert_eq(be->a, 0);
    cr_assert_eq(be->b, 1);
    cr_assert_eq(be->below, 0, "lambda is the cheaper below");
    double d0 = r.points[lo].duty_cycle, d1 = r.points[lo + 1].duty_cycle;
    cr_assert_eq(be->between[0], d0);
    cr_assert_eq(be->between[1], d1);
    cr_assert_gt(be->duty_cycle, d0);
    cr_assert_lt(be->duty_cycle, d1);
    double a0 = r.points[lo].cells[0].cost_usd_per_month, a1 = r.points[lo + 1].cells[0].cost_usd_per_month;
    double b0 = r.points[lo].cells[1].cost_usd_per_month, b1 = r.points[lo + 1].cells[1].cost_usd_per_month;
    double t = (a0 - b0) / ((a0 - b0) - (a1 - b1));
    cr_assert_float_eq(be->duty_cycle, d0 + t * (d1 - d0), 1e-12);
    cr_assert_float_eq(be->cost_usd_per_month, a0 + t * (a1 - a0), 1e-9);
    cr_assert_float_eq(be->cost_usd_per_month, b0, 1e-9, "the machine's cost is flat");
    compare_result_free(&r);
    scenario_destroy(s);
}

Test(sweep, poisson_becomes_onoff_with_a_day_period, .timeout = 60)
{
    static const char *const sets[] = {"workload.arrival=poisson", "workload.duty_cycle=",
                                       "workload.period=", "duration=1h"};
    struct scenario *s = load(SMALL, sets, 4);
    cr_assert_eq(compare_period_ns(s), 86400 * SIM_NS_PER_S);
    struct compare_result r;
    sweep(s, "0.02,0.04", 1, &r);
    /* 1 h measured: on for the first 28.8 min (0.02 d) or 57.6 min (0.04 d), all
     * inside the hour, so the second point has about twice the requests; costs
     * per month double with them */
    double ratio = r.points[1].cells[0].cost_usd_per_month / r.points[0].cells[0].cost_usd_per_month;
    cr_assert(ratio > 1.8 && ratio < 2.2, "ratio %g", ratio);
    cr_assert_eq(s->workload.arrival, ARRIVAL_POISSON, "the scenario itself is left alone");
    compare_result_free(&r);
    scenario_destroy(s);
}

Test(sweep, count_auto_is_sized_once_for_the_rate_while_on, .timeout = 60)
{
    static const char *const sets[] = {"deployments.vm.count=auto"};
    struct scenario *s = load(SMALL, sets, 1), *ref = load(SMALL, sets, 1);
    struct slsim_error err;
    cr_assert_eq(compare_size_fleets(ref, &err), 0, "%s", err.message);
    struct compare_result r;
    sweep(s, "0.2,1", 2, &r);
    cr_assert_eq(r.deployments[1].count_auto, 1);
    cr_assert_eq(r.deployments[1].count, ref->deployments[1].dedicated.count);
    cr_assert_eq(r.points[0].cells[1].cost_usd_per_month, r.points[1].cells[1].cost_usd_per_month,
                 "the same fleet at every duty cycle");
    compare_result_free(&r);
    scenario_destroy(s);
    scenario_destroy(ref);
}

Test(sweep, diurnal_workload_is_refused_before_running)
{
    struct scenario *s = load(DIURNAL, NULL, 0);
    struct slsim_error err;
    cr_assert_eq(compare_check_scenario(s, &err), -1);
    cr_assert(strstr(err.message, "compare varies the duty cycle"), "%s", err.message);
    cr_assert_str_eq(err.key, "workload.arrival");
    cr_assert_str_eq(err.file, DIURNAL);
    struct compare_result r;
    const double g[] = {0.5};
    cr_assert_eq(compare_run_progress(s, g, 1, 1, NULL, NULL, &r, &err), -1);
    cr_assert_null(r.points);
    scenario_destroy(s);
}

/* ---- the command line ---- */


static size_t count_lines(const char *t)
{
    size_t n = 0;
    for (; *t; t++)
        n += *t == '\n';
    return n;
}

Test(cli, csv_has_a_header_and_a_row_per_point_and_deployment, .timeout = 60)
{
    struct outcome o = run("compare " SMALL " --duty-cycles 0.2:1:0.2 --format csv");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cr_assert_eq(count_lines(o.out), 1 + 5 * 2, "stdout:\n%s", o.out);
    cr_assert(strncmp(o.out, "duty_cycle,pricing_catalog,pricing_as_of,deployment,type,platform,"
                             "cost_usd_per_month,", 85) == 0,
              "header: %.200s", o.out);
    cr_assert(strstr(o.out, "\n0.2,built-in,2026-11-27,lambda,serverless,aws-lambda,"), "%s",
              o.out);
    cr_assert(strstr(o.out, "\n1,built-in,2026-11-27,vm,dedicated,c6i.xlarge,"), "%s", o.out);
    cr_assert(strstr(o.out, ",aws-lambda,zip.fetch_bandwidth; load_bandwidth,"),
              "the cold-start profile and its assumed constants: %s", o.out);
    cr_assert(strstr(o.out, ",vm,none,none,0,0\n"), "a fleet has no profile: %s", o.out);
    cr_assert_str_empty(o.err, "nothing but the report is printed: %s", o.err);
    outcome_free(&o);
}

Test(cli, text_report_names_the_break_even, .timeout = 60)
{
    struct outcome o = run("compare " SMALL " --duty-cycles 0.2:1:0.2");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cr_assert(strstr(o.out, "lambda vs vm: break-even at duty cycle 0."), "%s", o.out);
    cr_assert(strstr(o.out, "lambda cheaper below"), "%s", o.out);
    cr_assert(strstr(o.out, "cold starts: lambda: profile aws-lambda (assumed: "), "%s", o.out);
    cr_assert(strstr(o.out, "10 requests/s while on"), "%s", o.out);
    outcome_free(&o);
}

Test(cli, diurnal_scenario_exits_2, .timeout = 60)
{
    struct outcome o = run("compare " DIURNAL " --duty-cycles 0.5,1");
    cr_assert_eq(o.status, 2, "stdout: %s\nstderr: %s", o.out, o.err);
    cr_assert(strstr(o.err, "compare varies the duty cycle of an on/off pattern"), "%s", o.err);
    cr_assert_str_empty(o.out);
    outcome_free(&o);
}

Test(cli, bad_grid_exits_2_and_names_the_option, .timeout = 60)
{
    struct outcome o = run("compare " SMALL " --duty-cycles 0:1:0.1");
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "--duty-cycles"), "%s", o.err);
    cr_assert_str_empty(o.out);
    outcome_free(&o);
}

Test(cli, output_does_not_depend_on_jobs, .timeout = 60)
{
    const char *fmts[] = {"json", "text"};
    for (size_t i = 0; i < 2; i++) {
        char a1[256], a2[256];
        snprintf(a1, sizeof a1, "compare %s --duty-cycles 0.2:1:0.2 --format %s --jobs 1", SMALL,
                 fmts[i]);
        snprintf(a2, sizeof a2, "compare %s --duty-cycles 0.2:1:0.2 --format %s --jobs 2", SMALL,
                 fmts[i]);
        struct outcome o1 = run(a1), o2 = run(a2);
        cr_assert_eq(o1.status, 0, "stderr: %s", o1.err);
        cr_assert_eq(o2.status, 0, "stderr: %s", o2.err);
        cr_assert_str_eq(o1.out, o2.out, "%s differs between --jobs 1 and 2", fmts[i]);
        outcome_free(&o1);
        outcome_free(&o2);
    }
}

Test(sweep, break_even_against_a_deployment_that_never_meets_the_slo_says_so, .timeout = 60)
{
    /* With one slot the machine gets 10/s x 200 ms = 2 busy slots' worth of work
     * while on: it is overloaded at every duty cycle and misses the SLO throughout.
     * It is never the cheapest meeting the SLO (lambda is, even where the machine
     * costs less), and the break-even against it is marked in every format. */
    static const char *const sets[] = {"deployments.vm.slots=1"};
    struct scenario *s = load(SMALL, sets, 1);
    struct compare_result r;
    sweep(s, "0.2:1:0.2", 2, &r);
    cr_assert(r.deployments[1].slo_never_met);
    cr_assert(!r.deployments[0].slo_never_met);
    for (size_t k = 0; k < r.n_points; k++) {
        cr_assert(!r.points[k].cells[1].slo_met);
        cr_assert_eq(r.points[k].cheapest, 0, "at %g", r.points[k].duty_cycle);
    }
    cr_assert_geq(r.n_break_even, 1, "the costs still cross (the machine's does not change)");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(report_write_compare(f, REPORT_TEXT, s, &r), 0);
    fclose(f);
    cr_assert(strstr(buf, "lambda vs vm: break-even at duty cycle ") &&
                  strstr(buf, "lambda cheaper below (vm never meets the SLO)\n"),
              "%s", buf);
    free(buf);
    f = open_memstream(&buf, &len);
    cr_assert_eq(report_write_compare(f, REPORT_JSON, s, &r), 0);
    fclose(f);
    cr_assert(strstr(buf, "\"slo_never_met\":\t[\"vm\"]"), "%s", buf);
    /* compare names the pricing catalog too, as run does */
    cr_assert(strstr(buf, "\"pricing\":\t{\n\t\t\"catalog\":\t\"built-in\",\n\t\t\"as_of\":\t\"2026-11-27\""),
              "%s", buf);
    free(buf);
    f = open_memstream(&buf, &len);
    cr_assert_eq(report_write_compare(f, REPORT_CSV, s, &r), 0);
    fclose(f);
    cr_assert(strstr(buf, ",slo_never_met\n") &&
                  strstr(buf, "\n1,built-in,2026-11-27,vm,dedicated,c6i.xlarge,"),
              "%s", buf);
    char *vm1 = strstr(buf, "\n1,built-in,2026-11-27,vm,");
    cr_assert(vm1 && strncmp(strchr(vm1 + 1, '\n') - 2, ",1", 2) == 0, "%s", buf);
    free(buf);
    compare_result_free(&r);
    scenario_destroy(s);
}
