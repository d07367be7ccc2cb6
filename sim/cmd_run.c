/* cmd_run.c - `slsim run`: simulate one scenario and report.
 *
 * Everything is computed before anything is written: a bad scenario, an unknown
 * format or a failed run leaves no output file behind, and --out files appear
 * whole or not at all. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "html_report.h"
#include "plot_exec.h"
#include "slsim/report.h"
#include "slsim/run.h"
#include "slsim/scenario.h"
#include "slsim/sizing.h"
#include "slsim/units.h"

/* Timeline rows held at once, over all deployments and replications. */
#define TIMELINE_MAX_ROWS 1e7

static const char run_help[] =
    "usage: slsim run SCENARIO [options]\n"
    "\n"
    "Simulate every deployment of SCENARIO (a YAML file) against the same requests\n"
    "and print a report: requests, cold starts, latency percentiles, instances,\n"
    "utilisation, SLO attainment and cost per deployment.\n"
    "\n"
    "options:\n"
    "  --set KEY=VALUE      override a scenario key, e.g. --set workload.rate=50/s or\n"
    "                       --set deployments.lambda.keep_alive=5m (repeatable)\n"
    "  --seed N             override the scenario seed\n"
    "  --format FORMAT      text (default), json, csv or md\n"
    "  --out FILE           write the report to FILE (whole, or not at all)\n"
    "  --timeline FILE      also write per-interval instances, arrivals, cold starts\n"
    "                       and cost so far as CSV\n"
    "  --timeline-interval D  interval of the timeline (default: about 2000 rows)\n"
    "  --jobs N             simulate deployments and replications on N threads\n"
    "                       (the output does not depend on N; default: one per CPU)\n"
    "  --plot FILE          also draw the latency of each deployment (the share of\n"
    "                       requests slower than x, log-log, the SLO marked) into\n"
    "                       FILE.svg, .png or .pdf, with gnuplot\n"
    "  --plot-kind KIND     what to draw: latency (the default); timeline (busy, idle\n"
    "                       and starting instances over time, arrivals below); batch\n"
    "                       (batch sizes); ttft, tpot (an LLM's token latencies)\n"
    "  --plot-size WxH      1200x800 pixels by default, or in cm: 16cmx10cm\n"
    "  --plot-script DIR    keep the gnuplot script and data there, to restyle\n"
    "  --html FILE          also write one self-contained page: the facts, the\n"
    "                       pictures, the report, every number, the scenario\n"
    "  --force              overwrite existing --out, --timeline or --plot files\n"
    "  --skip-bad           trace replay: skip malformed rows and count them\n"
    "                       (the same as --set workload.trace.skip_bad=true)\n"
    "  --quiet              no progress line on standard error (shown only on a\n"
    "                       terminal, for runs longer than 2 s)\n"
    "  --progress           a progress line (share done, requests/s, ETA) on\n"
    "                       standard error even when it is not a terminal\n"
    "  -h, --help           this text\n"
    "\n"
    "exit status: 0 done, 1 the run failed, 2 bad usage or bad input.\n";

/* Whether s has what plot kind k draws, said before simulating: a batch-size histogram
 * needs a deployment that batches, TTFT and TPOT an LLM. 0, or -1 after saying why. */
static int plot_applies(const struct scenario *s, enum plot_kind k)
{
    if (k == PLOT_BATCH) {
        for (size_t d = 0; d < s->n_deployments; d++) {
            const struct serverless_spec *sl = deployment_serverless(&s->deployments[d]);
            const struct fleet_spec *f = deployment_fleet(&s->deployments[d]);
            if ((sl && sl->batching.max_batch_size) || (f && f->batching.max_batch_size))
                return 0;
        }
        cli_usage_error("run", "--plot-kind batch: no deployment of %s batches (batching: "
                               "{max_batch_size: N})",
                        s->path);
        return -1;
    }
    if ((k == PLOT_TTFT || k == PLOT_TPOT) && !s->model.is_llm) {
        cli_usage_error("run", "--plot-kind %s: %s serves no LLM (model.llm)", plot_kind_name(k),
                        s->path);
        return -1;
    }
    return 0;
}

/* --html: the facts, the latency picture (and the timeline's, when kept), the text
 * report, the CSV as a table, the scenario. An exit status. */
static int write_html(int argc, char **argv, const char *html, int force, const char *gnuplot,
                      const struct plot_opts *po, const struct scenario *s,
                      const struct run_output *out)
{
    struct plot plots[2];
    size_t n = 0;
    struct slsim_error err;
    if (plot_latency(s, out, &plots[n], &err) == 0)
        n++;
    if (out->timelines && plot_timeline(s, out, &plots[n], &err) == 0)
        n++;
    char *text = cli_format_report(REPORT_TEXT, s, out, NULL);
    char *csv = cli_format_report(REPORT_CSV, s, out, NULL);
    char line[2048];
    html_command_line(argc, argv, "run", line, sizeof line);
    struct html_input in = {.path = html, .force = force, .cmd = "run", .command_line = line,
                            .s = s, .report_text = text, .csv_text = csv, .plots = plots,
                            .n_plots = n, .gnuplot = gnuplot,
                            .size = po->path ? po->size : (struct plot_size){1200, 800, 0}};
    int rc = html_report_write(&in, &err);
    if (rc != 0)
        cli_report_error(&err);
    for (size_t i = 0; i < n; i++)
        plot_free(&plots[i]);
    free(text);
    free(csv);
    return rc == 0 ? EXIT_OK : EXIT_RUN;
}

static int cmd_run(int argc, char **argv)
{
    const char *path, *tl_path = NULL, *tl_step = NULL, *html_path = NULL;
    char gnuplot[4096] = "";
    struct plot_opts po = {0};
    const struct cli_extra extra[] = {
        {"--timeline-interval", &tl_step, NULL},
        {"--timeline", &tl_path, NULL},
        {"--skip-bad", NULL, "workload.trace.skip_bad=true"},
        {"--plot-kind", &po.kind_text, NULL},
        {"--plot-size", &po.size_text, NULL},
        {"--plot-script", &po.script_dir, NULL},
        {"--plot", &po.path, NULL},
        {"--html", &html_path, NULL},
    };
    struct cli_common c;
    enum report_format fmt;
    unsigned jobs;
    int rc;
    if (cli_common_init(&c, argc) != 0)
        return EXIT_RUN;
    rc = cli_parse_scenario_command(argc, argv, "run", run_help, extra,
                                    sizeof extra / sizeof extra[0], &c, &path, &fmt, &jobs);
    if (rc != 0) {
        cli_common_free(&c);
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    }
    sim_time step = 0;
    if (tl_step) {
        char why[200];
        int bad = units_parse_duration(tl_step, &step, why, sizeof why) != 0;
        if (bad || step <= 0 || step == SIM_TIME_FOREVER) {
            cli_usage_error("run", "--timeline-interval: %s",
                            bad ? why : "wants a duration above 0, such as 1m");
            goto usage;
        }
    }
    if (cli_check_target(tl_path, c.force, path) != 0)
        goto usage;
    static const enum plot_kind run_kinds[] = {PLOT_LATENCY, PLOT_TIMELINE, PLOT_BATCH, PLOT_TTFT,
                                               PLOT_TPOT};
    if (plot_opts_check(&po, "run", run_kinds, sizeof run_kinds / sizeof run_kinds[0],
                        c.force) != 0)
        goto usage;
    if (html_path && (cli_check_target(html_path, c.force, path) != 0 ||
                      plot_find_gnuplot(gnuplot, sizeof gnuplot, "run") != 0))
        goto usage;
    if (c.out_path && tl_path && strcmp(c.out_path, tl_path) == 0) {
        cli_usage_error("run", "--out and --timeline name the same file");
        goto usage;
    }

    struct slsim_error err;
    struct scenario *s = NULL;
    if (scenario_load(path, c.sets, c.n_sets, &s, &err) != 0) {
        cli_report_error(&err);
        cli_common_free(&c);
        return EXIT_USAGE;
    }
    if (sizing_resolve(s, &err) != 0) {
        cli_report_error(&err);
        scenario_destroy(s);
        cli_common_free(&c);
        return err.file[0] ? EXIT_USAGE : EXIT_RUN;
    }
    if (po.path && plot_applies(s, po.kind) != 0) {
        scenario_destroy(s);
        cli_common_free(&c);
        return EXIT_USAGE;
    }
    /* A timeline plot needs the timeline, written to a file or not, and so does the
     * page, which shows it. */
    int want_timeline = tl_path || (po.path && po.kind == PLOT_TIMELINE) || html_path;
    /* Every (deployment, replication) keeps its timeline until the report is written,
     * so the rows held are rows x deployments x replications: at most
     * TIMELINE_MAX_ROWS of them, the bound one timeline always had (a row is 56 bytes
     * in a result and about 130 at the peak, measured: some 1.3 GB), and 5,000 runs
     * of the default 2,000 rows. The default interval grows to fit; a given one is
     * refused. */
    double runs = (double)s->n_deployments * s->replications;
    double per_run = floor(TIMELINE_MAX_ROWS / runs);
    sim_time span = s->duration_ns - s->warmup_ns;
    sim_time fits = (sim_time)ceil((double)span / (per_run > 1 ? per_run : 1));
    if (want_timeline && !step) {
        step = run_default_timeline_step(s);
        if (step < fits)
            step = fits;
    }
    double rows = step ? (double)((span + step - 1) / step) : 0;
    if (tl_path && rows * runs > TIMELINE_MAX_ROWS) {
        char shortest[32];
        units_format_duration(fits, shortest, sizeof shortest);
        cli_usage_error("run", "--timeline-interval: %s gives %.0f rows x %zu deployments x %u "
                               "replications = %.3g timeline rows, above the limit of %g; "
                               "choose %s or longer", tl_step, rows, s->n_deployments,
                        s->replications, rows * runs, TIMELINE_MAX_ROWS, shortest);
        scenario_destroy(s);
        cli_common_free(&c);
        return EXIT_USAGE;
    }
    struct cli_progress progress;
    cli_progress_init(&progress, s->n_deployments * s->replications, c.quiet, c.progress,
                      NULL);
    struct run_options opt = {.timeline_step_ns = want_timeline ? step : 0,
                              .jobs = jobs,
                              .progress = progress.enabled ? cli_progress_report : NULL,
                              .progress_ctx = &progress};
    struct run_output out;
    int run_rc = run_scenario(s, &opt, &out, &err);
    cli_progress_done(&progress);
    if (run_rc != 0) {
        cli_report_error(&err);
        scenario_destroy(s);
        cli_common_free(&c);
        return err.file[0] ? EXIT_USAGE : EXIT_RUN;
    }
    /* Rows skip_bad dropped are requests the report does not have: say how many. */
    if (out.results && out.results[0].trace_rows_skipped)
        fprintf(stderr, "slsim run: note: skip_bad skipped %llu malformed row%s of %s; their "
                        "requests are not in the report (without skip_bad, slsim names the first)\n",
                (unsigned long long)out.results[0].trace_rows_skipped,
                out.results[0].trace_rows_skipped == 1 ? "" : "s", s->workload.trace.path);
    rc = EXIT_OK;
    if (tl_path)
        rc = cli_emit_report(tl_path, c.force, REPORT_TIMELINE, s, &out, NULL);
    if (rc == EXIT_OK)
        rc = cli_emit_report(c.out_path, c.force, fmt, s, &out, NULL);
    if (rc == EXIT_OK && po.path) {
        struct plot pl;
        int (*build)(const struct scenario *, const struct run_output *, struct plot *,
                     struct slsim_error *) = po.kind == PLOT_TIMELINE ? plot_timeline
                                             : po.kind == PLOT_BATCH  ? plot_batch
                                             : po.kind == PLOT_TTFT   ? plot_ttft
                                             : po.kind == PLOT_TPOT   ? plot_tpot
                                                                      : plot_latency;
        if (build(s, &out, &pl, &err) != 0) {
            cli_report_error(&err);
            rc = EXIT_RUN;
        } else {
            rc = plot_render(&pl, &po, c.force) == 0 ? EXIT_OK : EXIT_RUN;
            plot_free(&pl);
        }
    }
    if (rc == EXIT_OK && html_path)
        rc = write_html(argc, argv, html_path, c.force, gnuplot, &po, s, &out);
    run_output_free(&out);
    scenario_destroy(s);
    cli_common_free(&c);
    return rc;
usage:
    cli_common_free(&c);
    return EXIT_USAGE;
}

const struct command cmd_run_entry = {
    "run", cmd_run, "simulate a scenario and report cost, latency and cold starts", run_help,
};
