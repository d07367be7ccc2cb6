/* cmd_plot.c - `slsim plot REPORT.json --out PICTURE`: draw a saved report. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "plot_exec.h"
#include "slsim/plot.h"

static const char plot_help[] =
    "usage: slsim plot REPORT.json --out PICTURE.svg|.png|.pdf [options]\n"
    "\n"
    "Draw a report saved with --format json: a run's report draws the latency of each\n"
    "deployment (the share of requests slower than x, log-log, the SLO marked); a\n"
    "compare report draws each deployment's monthly cost against the duty cycle\n"
    "(hollow where it misses the SLO, break-evens marked) with its p99 below. The\n"
    "picture is the one `run --plot` or `compare --plot` draws from the same numbers.\n"
    "Drawn by gnuplot (Debian gnuplot-nox; SLSIM_GNUPLOT names another).\n"
    "\n"
    "options:\n"
    "  --out FILE           the picture: .svg, .png or .pdf (required)\n"
    "  --plot-kind KIND     latency (a run's report) or cost-duty (a compare report)\n"
    "  --plot-size WxH      1200x800 pixels by default, or in cm: 16cmx10cm\n"
    "  --plot-script DIR    keep the gnuplot script and data there, to restyle\n"
    "  --force              overwrite an existing picture\n"
    "  -h, --help           this text\n"
    "\n"
    "exit status: 0 drawn, 1 gnuplot failed, 2 bad usage or a file that is no report.\n";

static int cmd_plot(int argc, char **argv)
{
    struct plot_opts po = {0};
    const char *path = NULL;
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
    static const enum plot_kind kinds[] = {PLOT_LATENCY, PLOT_COST_DUTY};
    if (plot_opts_check(&po, "plot", kinds, 2, force) != 0)
        return EXIT_USAGE;
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return EXIT_USAGE;
    }
    char *text = NULL;
    size_t len = 0, cap = 0, got;
    char buf[65536];
    while ((got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (len + got > cap) {
            cap = (len + got) * 2;
            char *grown = realloc(text, cap);
            if (!grown) {
                free(text);
                fclose(f);
                fprintf(stderr, "slsim: out of memory\n");
                return EXIT_RUN;
            }
            text = grown;
        }
        memcpy(text + len, buf, got);
        len += got;
    }
    fclose(f);
    struct plot p;
    struct slsim_error err;
    int rc = plot_from_json(text ? text : "", len, path, po.kind_text ? (int)po.kind : -1, &p,
                            &err);
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
