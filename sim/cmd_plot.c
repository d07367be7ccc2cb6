/* cmd_plot.c - `slsim plot REPORT.json --out PICTURE`: draw a saved report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plot_exec.h"
#include "slsim/plot.h"

static const char plot_help[] =
    "usage: slsim plot FILE --out PICTURE.svg|.png|.pdf [options]\n"
    "\n"
    "Draw what slsim wrote, the picture the command's --plot draws from the same numbers:\n"
    "  run --format json        the latency of each deployment (share slower than x)\n"
    "  run --timeline FILE      busy, idle and starting instances over time, arrivals\n"
    "  compare --format json    monthly cost against duty cycle, p99 below\n"
    "  sweep (csv, jsonl, json) --plot-metric against --plot-x, a line per deployment\n"
    "  plan --format json       the cost-latency plane, the Pareto front, the choice\n"
    "Drawn by gnuplot (Debian gnuplot-nox; SLSIM_GNUPLOT names another).\n"
    "\n"
    "options:\n"
    "  --out FILE           the picture: .svg, .png or .pdf (required)\n"
    "  --plot-kind KIND     the kind the file draws (latency, timeline, cost-duty,\n"
    "                       sweep, pareto): a check\n"
    "  --plot-metric PATH   sweep: the report field on y (default cost_usd.per_month)\n"
    "  --plot-x KEY         sweep: the varied key on x (default the first)\n"
    "  --plot-size WxH      1200x800 pixels by default, or in cm: 16cmx10cm\n"
    "  --plot-script DIR    keep the gnuplot script and data there, to restyle\n"
    "  --force              overwrite an existing picture\n"
    "  -h, --help           this text\n"
    "\n"
    "exit status: 0 drawn, 1 gnuplot failed, 2 bad usage or a file that is no report.\n";

/* What a file slsim wrote draws, by how it begins: a timeline CSV, a sweep (its CSV's
 * hash line, or a JSON record naming slsim_sweep), a plan's JSON (minimize and
 * evaluated), else a run's or a compare's JSON (plot_from_json tells those apart). */
static enum plot_kind what_it_draws(const char *t, size_t len)
{
    static const char timeline[] = "deployment,tier,t_start_s,";
    static const char sweep[] = "# slsim sweep ";
    if (len >= sizeof timeline - 1 && strncmp(t, timeline, sizeof timeline - 1) == 0)
        return PLOT_TIMELINE;
    if (len >= sizeof sweep - 1 && strncmp(t, sweep, sizeof sweep - 1) == 0)
        return PLOT_SWEEP;
    /* the first line's members, enough for the JSON kinds: a sweep's head record is its
     * first line, a plan's and a report's opening members come first */
    const char *head_end = len > 4096 ? t + 4096 : t + len;
    char head[4097];
    memcpy(head, t, (size_t)(head_end - t));
    head[head_end - t] = '\0';
    if (strstr(head, "\"slsim_sweep\""))
        return PLOT_SWEEP;
    if (strstr(head, "\"minimize\""))
        return PLOT_PARETO;
    return PLOT_LATENCY; /* or cost-duty: plot_from_json decides */
}

static int cmd_plot(int argc, char **argv)
{
    struct plot_opts po = {0};
    const char *path = NULL, *metric = NULL, *xkey = NULL;
    int force = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(plot_help, stdout);
            return EXIT_OK;
        }
        int rc = cli_option(argc, argv, &i, "--out", &po.path, "plot");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-kind", &po.kind_text, "plot");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-size", &po.size_text, "plot");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-script", &po.script_dir, "plot");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-metric", &metric, "plot");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-x", &xkey, "plot");
        if (rc == 0 && strcmp(a, "--force") == 0)
            rc = force = 1;
        if (rc == 0) {
            int quiet = 0, progress = 0;
            rc = cli_progress_option(a, &quiet, &progress);
        }
        if (rc < 0)
            return EXIT_USAGE;
        if (rc > 0)
            continue;
        if (a[0] == '-' && a[1] != '\0')
            return cli_usage_error("plot", "unknown option %s", a);
        if (path)
            return cli_usage_error("plot", "one report at a time; got %s and %s", path, a);
        path = a;
    }
    if (!path)
        return cli_usage_error("plot", "missing the report: a file written by run or compare "
                                       "with --format json");
    if (!po.path)
        return cli_usage_error("plot", "--out PICTURE.svg, .png or .pdf is required");
    static const enum plot_kind kinds[] = {PLOT_LATENCY, PLOT_TIMELINE, PLOT_COST_DUTY,
                                           PLOT_SWEEP, PLOT_PARETO};
    if (plot_opts_check(&po, "plot", kinds, sizeof kinds / sizeof kinds[0], force) != 0)
        return EXIT_USAGE;
    size_t len;
    char *text = cli_read_file(path, &len);
    if (!text) {
        perror(path);
        return EXIT_USAGE;
    }
    struct plot p;
    struct slsim_error err;
    const char *t = text;
    enum plot_kind is = what_it_draws(t, len);
    int rc;
    if (po.kind_text && po.kind != is && !(is == PLOT_LATENCY && po.kind == PLOT_COST_DUTY)) {
        free(text);
        return cli_usage_error("plot", "%s draws %s, not %s", path, plot_kind_name(is),
                               plot_kind_name(po.kind));
    }
    if (is == PLOT_TIMELINE)
        rc = plot_timeline_csv(t, len, path, &p, &err);
    else if (is == PLOT_SWEEP)
        rc = plot_sweep_rows(t, len, path, metric ? metric : "cost_usd.per_month", xkey, &p,
                             &err);
    else if (is == PLOT_PARETO)
        rc = plot_pareto_json(t, len, path, &p, &err);
    else
        rc = plot_from_json(t, len, path, po.kind_text ? (int)po.kind : -1, &p, &err);
    free(text);
    if (rc != 0) {
        cli_report_error(&err);
        return EXIT_USAGE;
    }
    rc = plot_render(&p, &po, force) == 0 ? EXIT_OK : EXIT_RUN;
    plot_free(&p);
    return rc;
}

const struct command cmd_plot_entry = {
    "plot", cmd_plot, "draw a saved run or compare report (gnuplot: svg, png, pdf)", plot_help,
};
