/* test_plot.c - --plot and `slsim plot`: well-formed pictures in each format, data files
 * holding exactly the reports' numbers, and every refusal before simulating.
 *
 * gnuplot comes with the set-up script (gnuplot-nox); where it is missing, the tests
 * that draw say so and skip. The refusals need no gnuplot. */
#include "cli_helpers.h"
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SMALL "tests/data/sweep/small.yaml"
#define CMP "scenarios/examples/intermittent-classifier.yaml --duty-cycles 0.2:1:0.2"

static int have_gnuplot(void)
{
    return system("command -v gnuplot >/dev/null 2>&1") == 0;
}

static char dir[64];

static void make_plot_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/slsim-plot-test-XXXXXX");
    make_dir(dir);
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Rule: an SVG is well-formed XML (xmllint --noout). */
Test(plot, run_svg_is_well_formed, .timeout = 60)
{
    if (!have_gnuplot())
        cr_skip_test("gnuplot is not installed (scripts/install-deps.sh installs it)");
    make_plot_dir();
    char args[512], cmd[512];
    snprintf(args, sizeof args, "run " SMALL " -q --plot %s/l.svg", dir);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    snprintf(cmd, sizeof cmd, "xmllint --noout %s/l.svg", dir);
    cr_assert_eq(system(cmd), 0, "the SVG is not well-formed");
    char path[128];
    snprintf(path, sizeof path, "%s/l.svg", dir);
    char *svg = slurp(path);
    cr_assert(strstr(svg, "P(latency"), "the y axis is labelled");
    cr_assert(strstr(svg, "lambda") && strstr(svg, "other"), "a legend entry per deployment");
    free(svg);
    remove_dir();
}

/* Rule: a PNG starts with the PNG signature (89 50 4E 47 0D 0A 1A 0A) and its IHDR holds
 * the size asked for, width and height as 4-byte big-endian numbers at bytes 16 and 20. */
Test(plot, png_has_the_signature_and_the_size, .timeout = 60)
{
    if (!have_gnuplot())
        cr_skip_test("gnuplot is not installed");
    make_plot_dir();
    char args[512], path[128];
    snprintf(args, sizeof args, "compare " CMP " -q --plot %s/c.png --plot-size 640x480", dir);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    snprintf(path, sizeof path, "%s/c.png", dir);
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    unsigned char b[24];
    cr_assert_eq(fread(b, 1, sizeof b, f), sizeof b);
    fclose(f);
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
    cr_assert(memcmp(b, sig, 8) == 0, "no PNG signature");
    uint32_t w = (uint32_t)b[16] << 24 | (uint32_t)b[17] << 16 | (uint32_t)b[18] << 8 | b[19];
    uint32_t h = (uint32_t)b[20] << 24 | (uint32_t)b[21] << 16 | (uint32_t)b[22] << 8 | b[23];
    cr_assert_eq(w, 640);
    cr_assert_eq(h, 480);
    remove_dir();
}

/* Rule: a PDF opens (pdfinfo exits 0) and has the page size asked for: 16 cm x 10 cm is
 * 453.5 x 283.5 points (1 cm = 72 / 2.54 pt). */
Test(plot, pdf_opens_with_its_size, .timeout = 60)
{
    if (!have_gnuplot() || system("command -v pdfinfo >/dev/null 2>&1") != 0)
        cr_skip_test("gnuplot or pdfinfo is not installed");
    make_plot_dir();
    char args[512], cmd[512];
    snprintf(args, sizeof args, "run " SMALL " -q --plot %s/l.pdf --plot-size 16cmx10cm", dir);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    snprintf(cmd, sizeof cmd, "pdfinfo %s/l.pdf", dir);
    o = run_shell(cmd);
    cr_assert_eq(o.status, 0, "pdfinfo: %s", o.err);
    cr_assert(strstr(o.out, "453 x 283"), "page size: %s", o.out);
    outcome_free(&o);
    remove_dir();
}

/* Rule: the data a compare plot is drawn from holds exactly the report's numbers: for
 * each deployment a block (cost) of "duty_cycle cost_usd_per_month hollow" rows, hollow
 * 1 where slo_met is false, printed %.10g as the CSV prints them; then a block (p99). */
Test(plot, compare_data_is_the_reports_numbers, .timeout = 60)
{
    if (!have_gnuplot())
        cr_skip_test("gnuplot is not installed");
    make_plot_dir();
    char args[512], path[128];
    snprintf(args, sizeof args,
             "compare " CMP " -q --format json --out %s/c.json --plot %s/c.svg --plot-script %s/s",
             dir, dir, dir);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    snprintf(path, sizeof path, "%s/c.json", dir);
    char *json = slurp(path);
    cJSON *root = cJSON_Parse(json);
    cr_assert(root);
    const cJSON *points = cJSON_GetObjectItem(root, "points");
    int np = cJSON_GetArraySize(points), nd = cJSON_GetArraySize(cJSON_GetObjectItem(root, "deployments"));
    cr_assert(np == 5 && nd == 2, "%d points, %d deployments", np, nd);
    /* what the data file must hold */
    char *want = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&want, &len);
    for (int d = 0; d < nd; d++)
        for (int panel = 0; panel < 2; panel++) {
            fprintf(m, "# %s\n",
                    cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "deployments"), d),
                                        "name")->valuestring);
            for (int k = 0; k < np; k++) {
                const cJSON *pt = cJSON_GetArrayItem(points, k);
                const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(pt, "deployments"), d);
                fprintf(m, "%.10g %.10g %d\n", cJSON_GetObjectItem(pt, "duty_cycle")->valuedouble,
                        cJSON_GetObjectItem(c, panel ? "latency_ms_p99" : "cost_usd_per_month")
                            ->valuedouble,
                        !cJSON_IsTrue(cJSON_GetObjectItem(c, "slo_met")));
            }
            fputs("\n\n", m);
        }
    fclose(m);
    snprintf(path, sizeof path, "%s/s/plot.dat", dir);
    char *got = slurp(path);
    cr_assert(got, "no data file kept");
    cr_assert_str_eq(got, want);
    /* `slsim plot` of the saved report draws from the very same data */
    snprintf(args, sizeof args, "plot %s/c.json --out %s/d.svg --plot-script %s/t", dir, dir, dir);
    o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    snprintf(path, sizeof path, "%s/t/plot.dat", dir);
    char *again = slurp(path);
    cr_assert_str_eq(again, want);
    free(again);
    free(got);
    free(want);
    free(json);
    cJSON_Delete(root);
    remove_dir();
}

/* Rule: with SLSIM_GNUPLOT naming a missing program, --plot fails before simulating:
 * exit 2, the package named, and no report written (the --out file is not there). */
Test(plot, missing_gnuplot_is_refused_before_simulating, .timeout = 60)
{
    make_plot_dir();
    char cmd[512], path[128];
    snprintf(cmd, sizeof cmd,
             "SLSIM_GNUPLOT=/nonexistent/gnuplot %s run " SMALL " --plot %s/l.svg --out %s/r.txt",
             slsim(), dir, dir);
    struct outcome o = run_shell(cmd);
    cr_assert_eq(o.status, 2, "stderr: %s", o.err);
    cr_assert(strstr(o.err, "gnuplot-nox"), "the package is named: %s", o.err);
    snprintf(path, sizeof path, "%s/r.txt", dir);
    struct stat st;
    cr_assert(stat(path, &st) != 0, "the run went ahead");
    outcome_free(&o);
    snprintf(cmd, sizeof cmd, "PATH=/nonexistent %s compare " CMP " --plot %s/c.svg", slsim(),
             dir);
    o = run_shell(cmd);
    cr_assert_eq(o.status, 2, "stderr: %s", o.err);
    cr_assert(strstr(o.err, "gnuplot-nox"), "%s", o.err);
    outcome_free(&o);
    remove_dir();
}

/* Rule: a bad --plot is a usage error before anything runs: an extension gnuplot is not
 * asked for, a kind the command does not draw, a size that is not WxH, a plot option
 * without --plot. */
Test(plot, bad_plot_options_are_usage_errors, .timeout = 60)
{
    static const char *const cases[][2] = {
        {"run " SMALL " --plot x.gif", "name a .svg, .png or .pdf"},
        {"run " SMALL " --plot x.svg --plot-kind cost-duty", "run draws latency"},
        {"compare " CMP " --plot x.svg --plot-kind nope", "compare draws cost-duty"},
        {"run " SMALL " --plot x.svg --plot-size 12x", "WIDTHxHEIGHT"},
        {"run " SMALL " --plot x.svg --plot-size 10x10", "from 100 to 10000"},
        {"run " SMALL " --plot-kind latency", "goes with --plot"},
        {"plot " SMALL, "--out PICTURE"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct outcome o = run(cases[i][0]);
        cr_assert_eq(o.status, 2, "%s: exit %d", cases[i][0], o.status);
        cr_assert(strstr(o.err, cases[i][1]), "%s: %s", cases[i][0], o.err);
        outcome_free(&o);
    }
}

/* Rule: a picture that exists is not overwritten without --force, and is with it. */
Test(plot, an_existing_picture_needs_force, .timeout = 60)
{
    make_plot_dir();
    char path[128], args[512];
    snprintf(path, sizeof path, "%s/l.svg", dir);
    FILE *f = fopen(path, "w");
    fputs("mine", f);
    fclose(f);
    snprintf(args, sizeof args, "run " SMALL " -q --plot %s", path);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "--force"), "%s", o.err);
    outcome_free(&o);
    char *kept = slurp(path);
    cr_assert_str_eq(kept, "mine");
    free(kept);
    if (have_gnuplot()) {
        snprintf(args, sizeof args, "run " SMALL " -q --plot %s --force", path);
        o = run(args);
        cr_assert_eq(o.status, 0, "%s", o.err);
        outcome_free(&o);
        kept = slurp(path);
        cr_assert(strstr(kept, "<svg"));
        free(kept);
    }
    remove_dir();
}

/* Rule: the latency plot is the CCDF of the report's own histogram: for each deployment,
 * at each non-empty bucket's upper bound x (ms, the JSON's high_ms), P(latency > x) =
 * (count - the counts up to that bucket) / count, every bucket but the last (where it
 * is 0, which a log axis cannot show); and `slsim plot` of the saved report draws from
 * the very same data. */
Test(plot, latency_data_is_the_histograms_ccdf, .timeout = 60)
{
    if (!have_gnuplot())
        cr_skip_test("gnuplot is not installed");
    make_plot_dir();
    char args[512], path[128];
    snprintf(args, sizeof args,
             "run " SMALL " -q --format json --out %s/r.json --plot %s/l.svg --plot-script %s/s",
             dir, dir, dir);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    snprintf(path, sizeof path, "%s/r.json", dir);
    char *json = slurp(path);
    cJSON *root = cJSON_Parse(json);
    cr_assert(root);
    char *want = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&want, &len);
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(root, "deployments"))
    {
        const cJSON *b = cJSON_GetObjectItem(cJSON_GetObjectItem(d, "latency_histogram"), "buckets");
        int nb = cJSON_GetArraySize(b);
        double total = 0, above;
        for (int k = 0; k < nb; k++)
            total += cJSON_GetArrayItem(cJSON_GetArrayItem(b, k), 2)->valuedouble;
        cr_assert_eq(total, cJSON_GetObjectItem(d, "served")->valuedouble);
        fprintf(m, "# %s\n", cJSON_GetObjectItem(d, "name")->valuestring);
        above = total;
        for (int k = 0; k + 1 < nb; k++) {
            const cJSON *row = cJSON_GetArrayItem(b, k);
            above -= cJSON_GetArrayItem(row, 2)->valuedouble;
            fprintf(m, "%.10g %.10g\n", cJSON_GetArrayItem(row, 1)->valuedouble, above / total);
        }
        fputs("\n\n", m);
    }
    fclose(m);
    snprintf(path, sizeof path, "%s/s/plot.dat", dir);
    char *got = slurp(path);
    cr_assert(got);
    cr_assert_str_eq(got, want);
    snprintf(args, sizeof args, "plot %s/r.json --out %s/m.svg --plot-script %s/t", dir, dir, dir);
    o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    snprintf(path, sizeof path, "%s/t/plot.dat", dir);
    char *again = slurp(path);
    cr_assert_str_eq(again, want);
    free(again);
    free(got);
    free(want);
    free(json);
    cJSON_Delete(root);
    remove_dir();
}

/* Rule: a request refused or dropped never comes back, so it is slower than any x: the
 * latency CCDF runs over every measured request, (above + refused) / requests, and ends
 * on refused / requests, not on 0 (here `other` capped at one instance refuses 1,027 of
 * 3,572: the curve ends at 0.28751..., where one over served requests alone would hide
 * them). The same from the saved JSON report. */
Test(plot, refused_requests_count_as_never_answered, .timeout = 60)
{
    if (!have_gnuplot())
        cr_skip_test("gnuplot is not installed");
    make_plot_dir();
    char args[512], path[128];
    snprintf(args, sizeof args,
             "run " SMALL " -q --set deployments.other.reserved=1 --format json --out %s/r.json "
             "--plot %s/l.svg --plot-script %s/s",
             dir, dir, dir);
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    snprintf(path, sizeof path, "%s/r.json", dir);
    char *json = slurp(path);
    cJSON *root = cJSON_Parse(json);
    const cJSON *other = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "deployments"), 1);
    double requests = cJSON_GetObjectItem(other, "requests")->valuedouble;
    double served = cJSON_GetObjectItem(other, "served")->valuedouble;
    cr_assert_gt(requests - served, 0, "the cap refuses some");
    snprintf(path, sizeof path, "%s/s/plot.dat", dir);
    char *dat = slurp(path);
    const char *block = strstr(dat, "# other\n");
    cr_assert(block);
    const char *end = strstr(block, "\n\n\n");
    cr_assert(end);
    const char *last = end;
    while (last > block && last[-1] != '\n')
        last--;
    double x, y;
    cr_assert_eq(sscanf(last, "%lf %lf", &x, &y), 2);
    char want[32], got[32];
    snprintf(want, sizeof want, "%.10g", (requests - served) / requests);
    snprintf(got, sizeof got, "%.10g", y);
    cr_assert_str_eq(got, want, "the curve ends on the refused share");
    char *svg = slurp(strcat(strcpy(path, dir), "/l.svg"));
    cr_assert(strstr(svg, "never answered"), "the title says how refusals count");
    /* and from the saved report, the same data */
    snprintf(args, sizeof args, "plot %s/r.json --out %s/m.svg --plot-script %s/t", dir, dir,
             dir);
    o = run(args);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    outcome_free(&o);
    snprintf(path, sizeof path, "%s/t/plot.dat", dir);
    char *again = slurp(path);
    cr_assert_str_eq(again, dat);
    free(again);
    free(svg);
    free(dat);
    free(json);
    cJSON_Delete(root);
    remove_dir();
}
