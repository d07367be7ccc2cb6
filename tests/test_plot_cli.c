/* test_plot_cli.c - the plots and pages as the commands give them: every kind through
 * its command, `slsim plot` drawing the same data from the saved output, --html pages
 * that parse and hold the report's numbers, and each kind's need checked before
 * simulating. gnuplot comes with the set-up script; where it is missing the drawing
 * tests skip. */
#include "cli_helpers.h"
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SMALL "tests/data/sweep/small.yaml"

static int have_tools(void)
{
    return system("command -v gnuplot >/dev/null 2>&1 && command -v xmllint >/dev/null 2>&1") ==
           0;
}

static char dir[64];

static void make_plot_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/slsim-plotcli-XXXXXX");
    make_dir(dir);
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

static char *file_in(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return slurp(path);
}

/* slsim with fmt, every %s of it the test's folder (at most three); exit 0 wanted. */
static void ok(const char *fmt)
{
    char args[1024];
    snprintf(args, sizeof args, fmt, dir, dir, dir);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "slsim %s\n%s", args, o.err);
    outcome_free(&o);
}

/* Rule: `slsim plot` of what a command saved draws the data the command's --plot drew:
 * the data files are equal, byte for byte (timeline from its CSV, sweep from its rows,
 * pareto from the plan's JSON). */
Test(plot_cli, saved_output_draws_the_same_data, .timeout = 120)
{
    if (!have_tools())
        cr_skip_test("gnuplot or xmllint is not installed");
    make_plot_dir();
    /* timeline: run --plot-kind timeline keeps the timeline itself; --timeline saves it */
    ok("run " SMALL " -q --timeline %s/t.csv --plot %s/t.svg --plot-kind timeline "
       "--plot-script %s/ts");
    ok("plot %s/t.csv --out %s/t2.svg --plot-script %s/ts2");
    /* a sweep to standard output, and the same into a file */
    ok("sweep " SMALL " --vary deployments.lambda.memory=1GiB,2GiB -q --plot %s/s.svg "
       "--plot-script %s/ss > /dev/null");
    ok("sweep " SMALL " --vary deployments.lambda.memory=1GiB,2GiB -q --out %s/s.csv "
       "--plot-metric cost_usd.per_month --plot %s/s3.svg");
    ok("plot %s/s.csv --out %s/s2.svg --plot-script %s/ss2");
    /* a plan */
    ok("plan " SMALL " --over deployments.lambda.memory=1GiB,2GiB --subject-to "
       "'latency_ms.p99<=1.5s' -q --format json --out %s/p.json --plot %s/p.svg "
       "--plot-script %s/ps");
    ok("plot %s/p.json --out %s/p2.svg --plot-script %s/ps2");
    static const char *const pairs[][2] = {{"ts/plot.dat", "ts2/plot.dat"},
                                           {"ss/plot.dat", "ss2/plot.dat"},
                                           {"ps/plot.dat", "ps2/plot.dat"}};
    for (size_t i = 0; i < 3; i++) {
        char *x = file_in(pairs[i][0]), *y = file_in(pairs[i][1]);
        cr_assert(x && y && *x, "%s or %s missing", pairs[i][0], pairs[i][1]);
        cr_assert_str_eq(x, y, "%s differs from %s", pairs[i][0], pairs[i][1]);
        free(x);
        free(y);
    }
    static const char *const svgs[] = {"t.svg", "t2.svg", "s.svg", "s2.svg", "s3.svg", "p.svg"};
    for (size_t i = 0; i < sizeof svgs / sizeof svgs[0]; i++) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "xmllint --noout %s/%s", dir, svgs[i]);
        cr_assert_eq(system(cmd), 0, "%s is not well-formed", svgs[i]);
    }
    remove_dir();
}

/* Rule: a kind the scenario cannot draw is refused before simulating (exit 2, nothing
 * written): a batch histogram without batching, TTFT without an LLM. */
Test(plot_cli, a_kind_the_scenario_lacks_is_refused, .timeout = 60)
{
    make_plot_dir();
    char args[512];
    snprintf(args, sizeof args, "run " SMALL " --plot %s/b.svg --plot-kind batch --out %s/r.txt",
             dir, dir);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 2, "%s", o.err);
    cr_assert(strstr(o.err, "no deployment"), "%s", o.err);
    outcome_free(&o);
    snprintf(args, sizeof args, "run " SMALL " --plot %s/b.svg --plot-kind ttft", dir);
    o = run(args);
    cr_assert_eq(o.status, 2, "%s", o.err);
    cr_assert(strstr(o.err, "serves no LLM"), "%s", o.err);
    outcome_free(&o);
    char *r = file_in("r.txt");
    cr_assert_null(r, "the run went ahead");
    remove_dir();
}

/* Rule: an --html page is one self-contained file that parses (xmllint: the page is
 * also well-formed XML), has an SVG per picture, holds the report's numbers (every cell
 * of the run's CSV, here its cost) and reaches for nothing outside itself (no script,
 * no link, no src, no http(s) but the SVG namespaces). */
Test(plot_cli, html_pages_are_self_contained, .timeout = 120)
{
    if (!have_tools())
        cr_skip_test("gnuplot or xmllint is not installed");
    make_plot_dir();
    ok("run " SMALL " -q --format csv --out %s/r.csv --html %s/r.html");
    ok("compare scenarios/examples/intermittent-classifier.yaml --duty-cycles 0.5,1 -q "
       "--out %s/c.txt --html %s/c.html");
    ok("sweep " SMALL " --vary deployments.lambda.memory=1GiB,2GiB -q --out %s/s.csv "
       "--html %s/s.html");
    ok("plan " SMALL " --over deployments.lambda.memory=1GiB,2GiB -q --out %s/p.txt "
       "--html %s/p.html");
    static const char *const pages[] = {"r.html", "c.html", "s.html", "p.html"};
    for (size_t i = 0; i < 4; i++) {
        char cmd[256];
        snprintf(cmd, sizeof cmd, "xmllint --noout %s/%s", dir, pages[i]);
        cr_assert_eq(system(cmd), 0, "%s does not parse", pages[i]);
        char *page = file_in(pages[i]);
        cr_assert(page);
        size_t svgs = 0;
        for (const char *c = page; (c = strstr(c, "<svg")); c++)
            svgs++;
        cr_assert_geq(svgs, 1, "%s has no picture", pages[i]);
        cr_assert_null(strstr(page, "<script"), "%s", pages[i]);
        cr_assert_null(strstr(page, "<link"), "%s", pages[i]);
        cr_assert_null(strstr(page, " src="), "%s", pages[i]);
        for (const char *c = page; (c = strstr(c, "http")); c++)
            cr_assert(strncmp(c, "http://www.w3.org/", 18) == 0, "%s reaches out: %.60s",
                      pages[i], c);
        free(page);
    }
    /* the run's page holds its numbers: the lambda row's cost as the CSV printed it */
    char *csv = file_in("r.csv"), *page = file_in("r.html");
    const char *row = strstr(csv, "\nsweep-small,");
    cr_assert(row);
    const char *cost = strstr(csv, "cost_usd_total");
    cr_assert(cost);
    int col = 0;
    for (const char *c = csv; c < cost; c++)
        col += *c == ',';
    const char *cell = row + 1;
    for (int k = 0; k < col; k++)
        cell = strchr(cell, ',') + 1;
    char value[64];
    snprintf(value, sizeof value, ">%.*s<", (int)strcspn(cell, ",\n"), cell);
    cr_assert(strstr(page, value), "the page lacks the cost %s", value);
    free(csv);
    free(page);
    remove_dir();
}
