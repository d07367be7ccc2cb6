/* cmd_compare.c - `slsim compare`: at which duty cycle does serverless stop being
 * cheaper than a dedicated fleet (or a hybrid)?
 *
 * As for `slsim run`, everything is computed before anything is written: a bad
 * grid, a scenario compare cannot vary or a failed run leaves no output file, and
 * --out files appear whole or not at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "html_report.h"
#include "plot_exec.h"
#include "slsim/compare.h"
#include "slsim/report.h"
#include "slsim/scenario.h"

static const char compare_help[] =
    "usage: slsim compare SCENARIO [--duty-cycles GRID] [options]\n"
    "\n"
    "Answer \"at which duty cycle does serverless stop being cheaper than a dedicated\n"
    "fleet (or a hybrid)?\": simulate every deployment of SCENARIO with on/off traffic\n"
    "at each duty cycle of GRID (the share of every period the traffic is on) and\n"
    "report, per duty cycle and deployment, the cost per month and per million\n"
    "requests, latency percentiles, cold-start ratio, utilisation and whether the\n"
    "SLO held; the cheapest deployment meeting the SLO at each duty cycle; and the\n"
    "break-even duty cycles.\n"
    "\n"
    "GRID: start:stop:step (stop included, e.g. 0.05:1:0.05 gives 20 points), or a\n"
    "comma list such as 0.1,0.25,0.5,1, or a comma list mixing both. Each value is\n"
    "above 0 and at most 1; values are sorted and duplicates dropped. Default:\n"
    "0.05:1:0.05.\n"
    "\n"
    "How the workload changes: at duty cycle d the traffic is Poisson at the\n"
    "scenario's rate for the first d of every period, and none for the rest.\n"
    "  onoff     the scenario's duty_cycle is replaced by d; its period is kept\n"
    "  poisson   becomes on/off with a 24h period (rate = the rate while on)\n"
    "  constant  likewise, and is treated as Poisson while on\n"
    "  diurnal   refused: it has no duty cycle to vary\n"
    "Spikes are kept; they multiply the rate, so a spike in an off period adds\n"
    "nothing. At a given duty cycle every deployment sees the same requests.\n"
    "Fleets with `count: auto` are sized once, before the sweep, on the scenario at\n"
    "duty cycle 1 (always on, spikes kept): a lower duty cycle leaves the same fleet\n"
    "idle for longer.\n"
    "Costs are per 730-hour month; the measured period should span whole periods\n"
    "of the pattern (a week of 24h periods, say) for them to mean what they say.\n"
    "\n"
    "Break-even: for each serverless deployment against each dedicated or hybrid\n"
    "one, and each hybrid against each dedicated one, the duty cycles where the\n"
    "difference of their monthly costs changes sign (or reaches 0) between two\n"
    "neighbouring grid points. The duty cycle and cost there are interpolated\n"
    "linearly between those two points; a finer grid narrows the bracket.\n"
    "\n"
    "options:\n"
    "  --duty-cycles GRID   duty cycles to simulate (see above)\n"
    "  --set KEY=VALUE      override a scenario key, e.g. --set workload.rate=50/s\n"
    "                       (repeatable)\n"
    "  --seed N             override the scenario seed\n"
    "  --format FORMAT      text (default) or md: a row per duty cycle with each\n"
    "                       deployment's cost/month and p99 (! marks a missed SLO),\n"
    "                       the cheapest meeting the SLO (equal monthly costs to\n"
    "                       the cent: the lower p99, then the name), then the\n"
    "                       break-evens, each noting a side that never meets the\n"
    "                       SLO;\n"
    "                       csv: a row per duty cycle and deployment (the columns\n"
    "                       are listed in docs/REPORT.md; slo_never_met is 1 when\n"
    "                       the deployment misses the SLO at every duty cycle);\n"
    "                       json: all of it, with the break-evens\n"
    "  --out FILE           write the report to FILE (whole, or not at all)\n"
    "  --plot FILE          also draw cost/month and p99 against the duty cycle\n"
    "                       (.svg, .png or .pdf; --plot-kind cost-duty, --plot-size\n"
    "                       WxH or 16cmx10cm, --plot-script DIR: see slsim help run)\n"
    "  --html FILE          also write one self-contained page with all of it\n"
    "  --force              overwrite an existing --out or --plot file\n"
    "  --jobs N             simulate on N threads (the output does not depend on N;\n"
    "                       default: one per CPU)\n"
    "  --quiet              no progress line on standard error (shown only on a\n"
    "                       terminal, for sweeps longer than 2 s)\n"
    "  --progress           a progress line (share done, requests/s, ETA) on\n"
    "                       standard error even when it is not a terminal\n"
    "  -h, --help           this text\n"
    "\n"
    "example:  slsim compare scenarios/examples/intermittent-classifier.yaml\n"
    "\n"
    "exit status: 0 done, 1 a run failed, 2 bad usage or bad input (a bad grid, a\n"
    "diurnal workload, a scenario that does not load).\n";

static int cmd_compare(int argc, char **argv)
{
    const char *path, *grid_text = NULL;
    struct plot_opts po = {0};
    const char *html_path = NULL;
    char gnuplot[4096] = "";
    const struct cli_extra extra[] = {
        {"--duty-cycles", &grid_text, NULL},  {"--plot-kind", &po.kind_text, NULL},
        {"--plot-size", &po.size_text, NULL}, {"--plot-script", &po.script_dir, NULL},
        {"--plot", &po.path, NULL},           {"--html", &html_path, NULL},
    };
    struct cli_common c;
    enum report_format fmt;
    unsigned jobs;
    double *grid = NULL;
    size_t n_grid = 0;
    int rc;
    if (cli_common_init(&c, argc) != 0)
        return EXIT_RUN;
    c.kind = REPORT_OF_COMPARE;
    rc = cli_parse_scenario_command(argc, argv, "compare", compare_help, extra,
                                    sizeof extra / sizeof extra[0], &c, &path, &fmt, &jobs);
    if (rc != 0) {
        cli_common_free(&c);
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    }
    static const enum plot_kind compare_kinds[] = {PLOT_COST_DUTY};
    if (plot_opts_check(&po, "compare", compare_kinds, 1, c.force) != 0)
        goto usage;
    if (html_path && (cli_check_target(html_path, c.force, path) != 0 ||
                      plot_find_gnuplot(gnuplot, sizeof gnuplot, "compare") != 0))
        goto usage;
    struct slsim_error err;
    if (compare_parse_grid(grid_text ? grid_text : COMPARE_DEFAULT_GRID, &grid, &n_grid, &err) !=
        0) {
        cli_usage_error("compare", "%s: %s", err.key[0] ? err.key : "--duty-cycles",
                        err.message);
        goto usage;
    }

    struct scenario *s = NULL;
    if (scenario_load(path, c.sets, c.n_sets, &s, &err) != 0) {
        cli_report_error(&err);
        cli_common_free(&c);
        free(grid);
        return EXIT_USAGE;
    }
    if (compare_check_scenario(s, &err) != 0) {
        cli_report_error(&err);
        scenario_destroy(s);
        cli_common_free(&c);
        free(grid);
        return EXIT_USAGE;
    }
    sim_time period = compare_period_ns(s);
    if (s->duration_ns - s->warmup_ns < period) {
        char measured[32], per[32];
        units_format_duration(s->duration_ns - s->warmup_ns, measured, sizeof measured);
        units_format_duration(period, per, sizeof per);
        fprintf(stderr, "slsim compare: note: the measured period (%s) is shorter than one "
                        "on/off period (%s); costs per month extrapolate part of a cycle\n",
                measured, per);
    }
    struct compare_result res;
    struct cli_progress progress;
    cli_progress_init(&progress, n_grid * s->n_deployments * s->replications, c.quiet,
                      c.progress, NULL);
    int run_rc = compare_run_progress(s, grid, n_grid, jobs,
                                      progress.enabled ? cli_progress_report : NULL, &progress,
                                      &res, &err);
    cli_progress_done(&progress);
    if (run_rc != 0) {
        cli_report_error(&err);
        scenario_destroy(s);
        cli_common_free(&c);
        free(grid);
        return err.file[0] ? EXIT_USAGE : EXIT_RUN;
    }
    free(grid);
    rc = cli_emit_report(c.out_path, c.force, fmt, s, NULL, &res);
    if (rc == EXIT_OK && po.path) {
        struct plot pl;
        if (plot_cost_duty(s, &res, &pl, &err) != 0) {
            cli_report_error(&err);
            rc = EXIT_RUN;
        } else {
            rc = plot_render(&pl, &po, c.force) == 0 ? EXIT_OK : EXIT_RUN;
            plot_free(&pl);
        }
    }
    if (rc == EXIT_OK && html_path) {
        struct plot pl;
        char *text = cli_format_report(REPORT_TEXT, s, NULL, &res);
        char *csv = cli_format_report(REPORT_CSV, s, NULL, &res);
        int have = plot_cost_duty(s, &res, &pl, &err) == 0;
        char line[2048];
        html_command_line(argc, argv, "compare", line, sizeof line);
        static const char *const keep[] = {"duty_cycle",     "deployment",
                                           "type",           "cost_usd_per_month",
                                           "latency_ms_p99", "cold_start_ratio",
                                           "slo_met",        "cheapest_meeting_slo"};
        struct html_input in = {.path = html_path, .force = c.force, .cmd = "compare",
                                .command_line = line, .s = s, .report_text = text,
                                .csv_text = csv, .csv_keep = keep,
                                .n_csv_keep = sizeof keep / sizeof keep[0], .plots = &pl,
                                .n_plots = have,
                                .gnuplot = gnuplot,
                                .size = po.path ? po.size : (struct plot_size){1200, 800, 0}};
        if (html_report_write(&in, &err) != 0) {
            cli_report_error(&err);
            rc = EXIT_RUN;
        }
        if (have)
            plot_free(&pl);
        free(text);
        free(csv);
    }
    compare_result_free(&res);
    scenario_destroy(s);
    cli_common_free(&c);
    return rc;
usage:
    cli_common_free(&c);
    free(grid);
    return EXIT_USAGE;
}

const struct command cmd_compare_entry = {
    "compare", cmd_compare,
    "sweep the duty cycle: where serverless stops being cheaper than a fleet", compare_help,
};
