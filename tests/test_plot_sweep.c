/* test_plot_sweep.c - the sweep and Pareto plots built from what `slsim sweep` and
 * `slsim plan --format json` print: the data file holds the rows' own numbers, the three
 * sweep formats give the same bytes, bands only where replicated, failed points left
 * out, the Pareto front exactly the configurations the plan marks, and the script draws
 * a well-formed SVG where gnuplot is installed. */
#include "cli_helpers.h"
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/plot.h"

#define SMALL "tests/data/sweep/small.yaml"
#define GRID                                                                               \
    " --vary deployments.lambda.memory=3GiB,1GiB,2GiB --vary deployments.other.reserved=2,4"
#define PLAN                                                                               \
    "plan tests/data/plan/lambda.yaml --over deployments.fn.provisioned=0:6:1 --over "     \
    "deployments.fn.memory=1GiB,2GiB,3GiB --subject-to 'latency_ms.p99<=2.5s' "            \
    "--exhaustive --format json --quiet"

/* What `slsim ARGS` prints on standard output (exit status want). */
static char *output(const char *args, int want)
{
    struct outcome o = run(args);
    cr_assert_eq(o.status, want, "%s: exit %d, stderr: %s", args, o.status, o.err);
    free(o.err);
    return o.out;
}

static char *sweep(const char *vary, const char *format, const char *more)
{
    char args[1024];
    snprintf(args, sizeof args, "sweep " SMALL "%s --format %s --quiet%s", vary, format, more);
    return output(args, 0);
}

struct drawn {
    char *script, *data;
};

/* p written by plot_write into memory, then freed. */
static struct drawn draw(struct plot *p)
{
    struct drawn d = {0};
    size_t ns, nd;
    FILE *script = open_memstream(&d.script, &ns), *data = open_memstream(&d.data, &nd);
    struct plot_size size = {1200, 800, 0};
    cr_assert_eq(plot_write(p, script, data, "/tmp/slsim-psweep.dat", "/tmp/slsim-psweep.svg",
                            &size),
                 0);
    fclose(script);
    fclose(data);
    plot_free(p);
    return d;
}

static struct drawn sweep_plot(const char *text, const char *metric, const char *x)
{
    struct plot p;
    struct slsim_error err = {0};
    int rc = plot_sweep_rows(text, strlen(text), "sweep.out", metric, x, &p, &err);
    cr_assert_eq(rc, 0, "plot_sweep_rows: %s", err.message);
    return draw(&p);
}

/* The block of data whose comment line is "# title", up to its blank lines. */
static char *block(const char *data, const char *title)
{
    char head[160];
    snprintf(head, sizeof head, "# %s\n", title);
    const char *at = strstr(data, head);
    cr_assert(at, "no block \"%s\" in:\n%s", title, data);
    at += strlen(head);
    const char *end = strstr(at, "\n\n");
    return strndup(at, end ? (size_t)(end - at) + 1 : strlen(at));
}

/* Cell of CSV row (a line, no quoted commas in these rows) under column name. */
static void cell(const char *csv, const char *row, const char *name, char *out, size_t n)
{
    const char *header = strstr(csv, "\npoint,") + 1;
    int col = 0;
    for (const char *c = header; *c != '\n'; c++) {
        if (strncmp(c, name, strlen(name)) == 0 && (c == header || c[-1] == ',') &&
            (c[strlen(name)] == ',' || c[strlen(name)] == '\n'))
            break;
        col += *c == ',';
    }
    const char *c = row;
    for (int k = 0; k < col; k++)
        c = strchr(c, ',') + 1;
    snprintf(out, n, "%.*s", (int)strcspn(c, ",\n"), c);
}

/* The first CSV row starting with prefix ("0,3GiB,2,lambda,"). */
static const char *row_of(const char *csv, const char *prefix)
{
    char needle[128];
    snprintf(needle, sizeof needle, "\n%s", prefix);
    const char *r = strstr(csv, needle);
    cr_assert(r, "no row %s", prefix);
    return r + 1;
}

/* Rule: the data file holds, per line, x as the key's value in MiB (1GiB = 1024 MiB) and
 * y exactly as the CSV prints the row's cost_usd_per_month (both %.10g), sorted by x
 * although the sweep varied 3GiB, 1GiB, 2GiB; lambda's line once (other.reserved does
 * not change lambda's numbers), other's a line per reserved value, flat in lambda's
 * memory. Points: 0..5 are (3GiB,2) (3GiB,4) (1GiB,2) (1GiB,4) (2GiB,2) (2GiB,4). */
Test(plot_sweep, data_are_the_rows_numbers)
{
    char *csv = sweep(GRID, "csv", "");
    struct drawn d = sweep_plot(csv, "cost_usd.per_month", NULL);
    char want[1024] = "", y[64];
    const char *lambda_rows[] = {"2,1GiB,2,lambda,", "4,2GiB,2,lambda,", "0,3GiB,2,lambda,"};
    for (int k = 0; k < 3; k++) {
        cell(csv, row_of(csv, lambda_rows[k]), "cost_usd_per_month", y, sizeof y);
        snprintf(want + strlen(want), sizeof want - strlen(want), "%d %s\n", 1024 * (k + 1), y);
    }
    char *got = block(d.data, "lambda");
    cr_assert_str_eq(got, want);
    free(got);
    const char *other_rows[] = {"3,1GiB,4,other,", "5,2GiB,4,other,", "1,3GiB,4,other,"};
    want[0] = '\0';
    for (int k = 0; k < 3; k++) {
        cell(csv, row_of(csv, other_rows[k]), "cost_usd_per_month", y, sizeof y);
        snprintf(want + strlen(want), sizeof want - strlen(want), "%d %s\n", 1024 * (k + 1), y);
    }
    got = block(d.data, "other, reserved=4");
    cr_assert_str_eq(got, want);
    free(got);
    cr_assert(strstr(d.data, "# other, reserved=2\n"));
    cr_assert(!strstr(d.data, "lambda, "), "lambda split by a key that does not change it");
    cr_assert(strstr(d.script, "deployments.lambda.memory (MiB)"), "x label with its unit");
    cr_assert(strstr(d.script, "sweep-small: cost\\\\_usd.per\\\\_month by "), "title");
    free(d.script);
    free(d.data);
    free(csv);
}

/* Rule: csv, jsonl and json of one sweep give the same script and data, byte for byte
 * (every number read at the CSV's %.10g before a band is computed), plain and with
 * --replications 2; the metric's CSV name (latency_ms_p99) the same data as its path. */
Test(plot_sweep, three_formats_draw_the_same, .timeout = 60)
{
    const char *more[] = {"", " --replications 2"};
    for (int r = 0; r < 2; r++) {
        char *csv = sweep(GRID, "csv", more[r]);
        struct drawn a = sweep_plot(csv, "latency_ms.p99", NULL);
        const char *formats[] = {"jsonl", "json"};
        for (int f = 0; f < 2; f++) {
            char *text = sweep(GRID, formats[f], more[r]);
            struct drawn b = sweep_plot(text, "latency_ms.p99", NULL);
            cr_assert_str_eq(b.data, a.data, "%s%s differs from csv", formats[f], more[r]);
            cr_assert_str_eq(b.script, a.script, "%s%s differs from csv", formats[f], more[r]);
            struct drawn c = sweep_plot(text, "latency_ms_p99", NULL);
            cr_assert_str_eq(c.data, a.data, "%s%s: latency_ms_p99", formats[f], more[r]);
            free(b.script), free(b.data), free(c.script), free(c.data), free(text);
        }
        free(a.script), free(a.data), free(csv);
    }
}

/* Rule: a band only when replicated: two numbers a line without replications, four with
 * them, lo = y - ci95 and hi = y + ci95 from the row's latency_ms_p99 and its _ci95
 * (each as the CSV prints it), and the script fills between them. */
Test(plot_sweep, bands_only_when_replicated, .timeout = 60)
{
    char *plain = sweep(GRID, "csv", "");
    struct drawn a = sweep_plot(plain, "latency_ms.p99", NULL);
    char *got = block(a.data, "lambda");
    double x, y, lo;
    got[strcspn(got, "\n")] = '\0'; /* the first line */
    cr_assert_eq(sscanf(got, "%lf %lf %lf", &x, &y, &lo), 2, "a band without replications");
    cr_assert(!strstr(a.script, "filledcurves"));
    free(got), free(a.script), free(a.data), free(plain);

    char *csv = sweep(GRID, "csv", " --replications 2");
    struct drawn d = sweep_plot(csv, "latency_ms.p99", NULL);
    got = block(d.data, "lambda");
    char ys[64], cis[64], want[256];
    cell(csv, row_of(csv, "2,1GiB,2,lambda,"), "latency_ms_p99", ys, sizeof ys);
    cell(csv, row_of(csv, "2,1GiB,2,lambda,"), "latency_ms_p99_ci95", cis, sizeof cis);
    y = strtod(ys, NULL);
    double ci = strtod(cis, NULL);
    snprintf(want, sizeof want, "1024 %s %.10g %.10g\n", ys, y - ci, y + ci);
    cr_assert(strncmp(got, want, strlen(want)) == 0, "got %s, want %s", got, want);
    cr_assert(strstr(d.script, "filledcurves"));
    cr_assert(strstr(d.script, "(bands: 95% intervals)"));
    free(got), free(d.script), free(d.data), free(csv);
}

/* Rule: a failed point is left out: with lambda's platform `nope` (no such platform)
 * and aws-lambda, lambda's line has the aws-lambda points alone, at 1024 and 2048 MiB,
 * and the data two blocks (lambda, other), none for the failed rows.
 * A key of names (the platform) is refused as x, naming it. */
Test(plot_sweep, failed_points_left_out, .timeout = 60)
{
    char args[512];
    snprintf(args, sizeof args,
             "sweep " SMALL " --vary deployments.lambda.platform=nope,aws-lambda --vary "
             "deployments.lambda.memory=1GiB,2GiB --quiet");
    char *csv = output(args, 1);
    struct drawn d = sweep_plot(csv, "latency_ms.p99", "deployments.lambda.memory");
    char *got = block(d.data, "lambda"), y1[64], y2[64], want[256];
    cell(csv, row_of(csv, "2,aws-lambda,1GiB,lambda,"), "latency_ms_p99", y1, sizeof y1);
    cell(csv, row_of(csv, "3,aws-lambda,2GiB,lambda,"), "latency_ms_p99", y2, sizeof y2);
    snprintf(want, sizeof want, "1024 %s\n2048 %s\n", y1, y2);
    cr_assert_str_eq(got, want);
    size_t lines = 0;
    for (const char *c = d.data; (c = strstr(c, "# ")); c++)
        lines++;
    cr_assert_eq(lines, 2, "a line each for lambda and other, none for the failed points:\n%s",
                 d.data);
    free(got), free(d.script), free(d.data);

    struct plot p;
    struct slsim_error err = {0};
    cr_assert_eq(plot_sweep_rows(csv, strlen(csv), "s.csv", "latency_ms.p99", NULL, &p, &err), -1);
    cr_assert(strstr(err.message, "deployments.lambda.platform takes names"), "%s", err.message);
    free(csv);
}

/* Rule: durations on x in minutes once the longest is 2 minutes or more (30s = 0.5 min,
 * 5m = 5 min), and the axis says so. */
Test(plot_sweep, durations_in_minutes, .timeout = 60)
{
    char *csv = sweep(" --vary deployments.other.keep_alive=5m,30s,1m", "csv", "");
    struct drawn d = sweep_plot(csv, "cold_start_ratio", NULL);
    char *got = block(d.data, "other");
    double x[3];
    cr_assert_eq(sscanf(got, "%lf %*f %lf %*f %lf", &x[0], &x[1], &x[2]), 3, "%s", got);
    cr_assert(x[0] == 0.5 && x[1] == 1 && x[2] == 5, "%g %g %g", x[0], x[1], x[2]);
    cr_assert(strstr(d.script, "deployments.other.keep\\\\_alive (min)"));
    free(got), free(d.script), free(d.data), free(csv);
}

/* Rule: an unknown metric names itself and a few fields; an x that was not varied lists
 * the varied keys. */
Test(plot_sweep, refusals_name_what_is_there, .timeout = 60)
{
    char *json = sweep(GRID, "json", "");
    struct plot p;
    struct slsim_error err = {0};
    cr_assert_eq(plot_sweep_rows(json, strlen(json), "s.json", "latency.p99", NULL, &p, &err), -1);
    cr_assert(strstr(err.message, "latency.p99") && strstr(err.message, "latency_ms.p99"), "%s",
              err.message);
    cr_assert_str_eq(err.file, "s.json");
    cr_assert_eq(plot_sweep_rows(json, strlen(json), "s.json", "latency_ms.p99", "memory", &p,
                                 &err),
                 -1);
    cr_assert(strstr(err.message, "deployments.lambda.memory, deployments.other.reserved"), "%s",
              err.message);
    cr_assert_eq(plot_sweep_rows("{}", 2, "x.json", "latency_ms.p99", NULL, &p, &err), -1);
    cr_assert(strstr(err.message, "not a sweep's output"), "%s", err.message);
    free(json);
}

/* Rule: the configurations' block holds every evaluated configuration that loaded,
 * (latency_ms_p99, objective) by %.10g, hollow (1) exactly where feasible is false; the
 * front's block exactly those with pareto: true, sorted by latency; the p99 limit
 * (2.5s = 2500 ms) a vertical line; the chosen configuration a labelled point. */
Test(plot_sweep, pareto_front_is_the_plans, .timeout = 60)
{
    char *text = output(PLAN, 0);
    struct plot p;
    struct slsim_error err = {0};
    cr_assert_eq(plot_pareto_json(text, strlen(text), "plan.json", &p, &err), 0, "%s",
                 err.message);
    struct drawn d = draw(&p);
    cJSON *root = cJSON_Parse(text);
    const cJSON *e;
    size_t n = 0, nf = 0;
    double fx[64], fy[64];
    char *all = block(d.data, "configurations");
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(root, "evaluated"))
    {
        cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(e, "loads")));
        double x = cJSON_GetObjectItem(e, "latency_ms_p99")->valuedouble;
        double y = cJSON_GetObjectItem(e, "objective")->valuedouble;
        char line[128];
        snprintf(line, sizeof line, "\n%.10g %.10g %d\n", x, y,
                 !cJSON_IsTrue(cJSON_GetObjectItem(e, "feasible")));
        char *with_nl = malloc(strlen(all) + 2);
        sprintf(with_nl, "\n%s", all);
        cr_assert(strstr(with_nl, line), "configuration %s missing", line + 1);
        free(with_nl);
        n++;
        if (cJSON_IsTrue(cJSON_GetObjectItem(e, "pareto"))) {
            size_t at = nf++;
            while (at > 0 && fx[at - 1] > x)
                fx[at] = fx[at - 1], fy[at] = fy[at - 1], at--;
            fx[at] = x, fy[at] = y;
        }
    }
    size_t rows = 0;
    for (const char *c = all; (c = strchr(c, '\n')); c++)
        rows++;
    cr_assert_eq(rows, n, "a row per configuration, none other (a scatter: PLOT_POINTS)");
    cr_assert(strstr(d.script, "with points"), "the configurations are a scatter");
    char want[2048] = "";
    for (size_t k = 0; k < nf; k++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%.10g %.10g\n", fx[k], fy[k]);
    char *front = block(d.data, "Pareto front");
    cr_assert(nf >= 2);
    cr_assert_str_eq(front, want);
    cr_assert(strstr(d.script, "\"p99 <= 2500 ms\""), "%s", d.script);
    cr_assert(strstr(d.script, "chosen: fn, provisioned="), "%s", d.script);
    free(all), free(front), free(d.script), free(d.data);
    cJSON_Delete(root);
    free(text);
}

/* Rule: gnuplot draws both scripts into well-formed SVG (xmllint --noout). */
Test(plot_sweep, gnuplot_draws_well_formed_svg, .timeout = 120)
{
    if (system("command -v gnuplot >/dev/null 2>&1 && command -v xmllint >/dev/null 2>&1"))
        cr_skip_test("gnuplot or xmllint is not installed");
    char *csv = sweep(GRID, "csv", " --replications 2");
    char *plan = output(PLAN, 0);
    struct plot p;
    struct slsim_error err = {0};
    char dir[] = "/tmp/slsim-psweep-XXXXXX", gp[64], dat[64], svg[64], cmd[256];
    cr_assert(mkdtemp(dir));
    snprintf(gp, sizeof gp, "%s/p.gp", dir);
    snprintf(dat, sizeof dat, "%s/p.dat", dir);
    snprintf(svg, sizeof svg, "%s/p.svg", dir);
    for (int k = 0; k < 2; k++) {
        int rc = k == 0 ? plot_sweep_rows(csv, strlen(csv), "s.csv", "cost_usd.per_month", NULL,
                                          &p, &err)
                        : plot_pareto_json(plan, strlen(plan), "p.json", &p, &err);
        cr_assert_eq(rc, 0, "%s", err.message);
        FILE *script = fopen(gp, "w"), *data = fopen(dat, "w");
        struct plot_size size = {800, 600, 0};
        cr_assert_eq(plot_write(&p, script, data, dat, svg, &size), 0);
        fclose(script);
        fclose(data);
        plot_free(&p);
        snprintf(cmd, sizeof cmd, "gnuplot %s && xmllint --noout %s", gp, svg);
        cr_assert_eq(system(cmd), 0, "gnuplot failed or the SVG is not well-formed");
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
    free(csv), free(plan);
}
