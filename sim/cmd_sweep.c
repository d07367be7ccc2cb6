/* cmd_sweep.c - `slsim sweep`: the scenario at every point of a grid of overrides.
 *
 * Everything that can be refused is refused before the first simulation: the
 * options, every --vary (its syntax, and its key by the loader, with --set's
 * did-you-mean), the scenario, the grid's size, the output file. Points that fail
 * later (a memory too small for the model, a fleet no size fits) write a row with
 * their error and the sweep goes on. With --out the rows go to FILE.partial as points
 * finish, in point order, and FILE appears only when the sweep is complete. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "html_report.h"
#include "plot_exec.h"
#include "sweep_mpi.h"
#include "sweep_out.h"
#include "slsim/report.h"
#include "slsim/scenario.h"
#include "slsim/sweep.h"

static const char sweep_help[] =
    "usage: slsim sweep SCENARIO --vary KEY=VALUES [--vary KEY=VALUES ...] [options]\n"
    "\n"
    "Simulate SCENARIO at every point of a grid of overrides and write one row per\n"
    "point and deployment: the varied keys, then every report field (docs/REPORT.md).\n"
    "How cost and p99 move with memory, provisioned concurrency, keep-alive, fleet\n"
    "size, batch delay or rate, in one command.\n"
    "\n"
    "KEY is any key --set takes, deployments by name (deployments.fn.memory,\n"
    "workload.rate, deployments.gpu.batching.max_queue_delay, seed). VALUES is\n"
    "  a list         512MiB,1GiB,2GiB     (values as --set takes them)\n"
    "  a range        0:50:5               start:stop:step; stop included when it\n"
    "                                      lands on a step (units allowed: 1m:10m:1m)\n"
    "  a log range    1m..1h*7             7 values from 1m to 1h evenly spaced in\n"
    "                                      log, ends included\n"
    "  @FILE          one value per line ('#' lines and blank lines skipped)\n"
    "and a list may mix them: 1,5:7:1,10. A value that is not a setting of its key (a\n"
    "memory size between Lambda's 1 MiB steps, 2.5 instances) is rounded to the\n"
    "nearest setting; duplicates are then dropped, and the output says so. Several\n"
    "--vary form a grid (the first varies slowest); --zip pairs their values instead.\n"
    "Every point uses the scenario's seed (common random numbers), unless seed is\n"
    "varied.\n"
    "\n"
    "options:\n"
    "  --vary KEY=VALUES    a key and its values (repeatable, one per key)\n"
    "  --zip                pair the --vary lists (all of one length) instead of a grid\n"
    "  --replications N     run each point N times on independent streams and give\n"
    "                       each number its 95% interval (a column NAME_ci95)\n"
    "  --set KEY=VALUE      override a scenario key for every point (repeatable)\n"
    "  --seed N             override the scenario seed\n"
    "  --format FORMAT      csv (default): a '# slsim sweep HASH' line, then a header\n"
    "                       and rows (pandas: read_csv(f, comment='#'));\n"
    "                       jsonl: a first record {slsim_sweep: HASH, ...} then a\n"
    "                       record per row; json: one object, rows in `rows`\n"
    "  --out FILE           write to FILE: rows go to FILE.partial as points finish,\n"
    "                       in point order, and FILE appears when the sweep completes\n"
    "  --resume             continue an interrupted --out FILE from FILE.partial (it\n"
    "                       must be this sweep's: same scenario, keys, values and\n"
    "                       format; a last row cut short is dropped)\n"
    "  --force              overwrite FILE, or start FILE.partial over\n"
    "  --jobs N             simulate on N threads (the output does not depend on N;\n"
    "                       default: one per CPU)\n"
    "  --plot FILE          also draw --plot-metric (default cost_usd.per_month)\n"
    "                       against --plot-x (default the first --vary key), a line\n"
    "                       per deployment, 95% bands when replicated (.svg/.png/.pdf)\n"
    "  --html FILE          also write one page: the picture, the rows, the scenario\n"
    "  --quiet              no progress line on standard error\n"
    "  --progress           a progress line (share done, requests/s, ETA) on\n"
    "                       standard error even when it is not a terminal\n"
    "  -h, --help           this text\n"
    "\n"
    "On a cluster, `mpirun -np N slsim sweep ...` shares the points among N processes\n"
    "(slsim built with Open MPI; see the README); the output is the same bytes.\n"
    "\n"
    "example:  slsim sweep scenarios/quickstart.yaml --out keepalive.csv \\\n"
    "              --vary 'deployments.lambda.keep_alive=1m..1h*7'\n"
    "\n"
    "exit status: 0 done; 1 some point failed (its row holds the error; the failed\n"
    "points are listed at the end) or the output could not be written; 2 bad usage or\n"
    "bad input (a bad --vary, a scenario that does not load).\n";

struct sweep_cmd {
    struct cli_common c;
    const char *path;
    const char **vary;       /* --vary texts */
    size_t n_vary;
    int zip, resume;
    const char *replications;
    char reps_set[64];
    struct sweep_axis axes[SWEEP_MAX_AXES];
    struct sweep sw;
    struct plot_opts po;
    const char *plot_metric, *plot_x;
    char *copy_buf;   /* with --plot or --html and no --out: the rows, for them */
    size_t copy_len;
    FILE *copy;
    const char *html_path;
    char gnuplot[4096];
    enum report_format fmt;
    unsigned jobs;
};

/* The command line into x. 0; 1 after --help; -1 after a usage error. */
static int parse_args(int argc, char **argv, struct sweep_cmd *x)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(sweep_help, stdout);
            return 1;
        }
        int rc = cli_common_option(&x->c, argc, argv, &i, "sweep");
        if (rc == 0 && (rc = cli_option(argc, argv, &i, "--vary", &v, "sweep")) > 0) {
            if (x->n_vary == SWEEP_MAX_AXES) {
                cli_usage_error("sweep", "at most %d --vary", SWEEP_MAX_AXES);
                return -1;
            }
            x->vary[x->n_vary++] = v;
        }
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--replications", &x->replications, "sweep");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-kind", &x->po.kind_text, "sweep");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-size", &x->po.size_text, "sweep");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-script", &x->po.script_dir, "sweep");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-metric", &x->plot_metric, "sweep");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-x", &x->plot_x, "sweep");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot", &x->po.path, "sweep");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--html", &x->html_path, "sweep");
        if (rc == 0 && strcmp(a, "--zip") == 0)
            rc = x->zip = 1;
        if (rc == 0 && strcmp(a, "--resume") == 0)
            rc = x->resume = 1;
        if (rc < 0)
            return -1;
        if (rc > 0)
            continue;
        if (a[0] == '-' && a[1] != '\0') {
            cli_usage_error("sweep", "unknown option %s", a);
            return -1;
        }
        if (x->path) {
            cli_usage_error("sweep", "one scenario at a time; got %s and %s", x->path, a);
            return -1;
        }
        x->path = a;
    }
    if (!x->path) {
        cli_usage_error("sweep", "missing the scenario file");
        return -1;
    }
    if (!x->n_vary) {
        cli_usage_error("sweep", "nothing to vary: give --vary KEY=VALUES, e.g. --vary "
                                 "deployments.NAME.memory=512MiB,1GiB,2GiB");
        return -1;
    }
    if (x->resume && x->c.force) {
        cli_usage_error("sweep", "--resume continues FILE.partial and --force starts it over; "
                                 "give one of them");
        return -1;
    }
    if (x->resume && !x->c.out_path) {
        cli_usage_error("sweep", "--resume continues an --out FILE; give the same --out");
        return -1;
    }
    if (x->replications) {
        const char *d = x->replications;
        while (*d >= '0' && *d <= '9')
            d++;
        long r = atol(x->replications);
        if (d == x->replications || *d || d - x->replications > 6 || r < 1 ||
            r > SCENARIO_MAX_REPLICATIONS) {
            cli_usage_error("sweep", "--replications wants a whole number from 1 to %d; got "
                                     "\"%s\"", SCENARIO_MAX_REPLICATIONS, x->replications);
            return -1;
        }
        snprintf(x->reps_set, sizeof x->reps_set, "replications=%ld", r);
        x->c.sets[x->c.n_sets++] = x->reps_set;
    }
    if (x->c.out_path && cli_is_device(x->c.out_path)) {
        cli_usage_error("sweep", "--out %s: name a file (rows go to FILE.partial, renamed to "
                                 "FILE at the end); without --out they go to standard output",
                        x->c.out_path);
        return -1;
    }
    struct stat st;
    char partial[4200];
    snprintf(partial, sizeof partial, "%s.partial", x->c.out_path ? x->c.out_path : "");
    if (x->resume && stat(x->c.out_path, &st) == 0 && stat(partial, &st) != 0) {
        fprintf(stderr, "slsim sweep: %s: there, and no %s: that sweep is complete, nothing "
                        "to resume\n", x->c.out_path, partial);
        return -1;
    }
    static const enum plot_kind sweep_kinds[] = {PLOT_SWEEP};
    if ((x->plot_metric || x->plot_x) && !x->po.path) {
        cli_usage_error("sweep", "--plot-metric and --plot-x go with --plot FILE");
        return -1;
    }
    if (plot_opts_check(&x->po, "sweep", sweep_kinds, 1, x->c.force) != 0)
        return -1;
    if (x->html_path && (cli_check_target(x->html_path, x->c.force, x->path) != 0 ||
                         plot_find_gnuplot(x->gnuplot, sizeof x->gnuplot, "sweep") != 0))
        return -1;
    /* --resume appends to FILE.partial: FILE itself must not be there yet. The
     * common check refuses an existing FILE without --force. */
    return cli_common_finish(&x->c, "sweep", x->path, &x->fmt, &x->jobs) == 0 ? 0 : -1;
}

/* The axes: parsed, rounded against the scenario, and the grid counted. An error is
 * reported; returns 0 or -1 (exit 2). */
static int build_axes(struct sweep_cmd *x, const struct scenario *base)
{
    struct slsim_error err;
    for (size_t a = 0; a < x->n_vary; a++) {
        if (sweep_parse_vary(x->vary[a], &x->axes[a], &err) != 0) {
            cli_report_error(&err);
            return -1;
        }
        for (size_t b = 0; b < a; b++)
            if (strcmp(x->axes[a].key, x->axes[b].key) == 0) {
                cli_usage_error("sweep", "%s is varied twice; give its values in one --vary",
                                x->axes[a].key);
                return -1;
            }
        if (sweep_round_axis(x->path, x->c.sets, x->c.n_sets, base, &x->axes[a], &err) != 0) {
            cli_report_error(&err);
            return -1;
        }
    }
    x->sw = (struct sweep){.path = x->path, .sets = x->c.sets, .n_sets = x->c.n_sets,
                           .axes = x->axes, .n_axes = x->n_vary, .zip = x->zip};
    if (sweep_count_points(x->axes, x->n_vary, x->zip, &x->sw.n_points, &err) != 0) {
        cli_report_error(&err);
        return -1;
    }
    return 0;
}

/* Say on stderr which values were rounded or dropped (the file says so too). */
static void note_rounding(const struct sweep *sw, int quiet)
{
    for (size_t a = 0; !quiet && a < sw->n_axes; a++) {
        const struct sweep_axis *x = &sw->axes[a];
        size_t rounded = 0;
        for (size_t v = 0; x->given && v < x->n; v++)
            rounded += x->given[v] != NULL;
        if (!rounded && !x->n_dropped)
            continue;
        fprintf(stderr, "slsim sweep: note: %s:", x->key);
        size_t shown = 0;
        for (size_t v = 0; x->given && v < x->n && shown < 4; v++)
            if (x->given[v])
                fprintf(stderr, "%s %s -> %s", shown++ ? "," : "", x->given[v], x->values[v]);
        if (rounded > shown)
            fprintf(stderr, " and %zu more", rounded - shown);
        if (rounded)
            fputs(" (rounded to the nearest setting)", stderr);
        if (x->n_dropped)
            fprintf(stderr, "%s%zu duplicate%s dropped", rounded ? "; " : " ", x->n_dropped,
                    x->n_dropped == 1 ? "" : "s");
        fputc('\n', stderr);
    }
}

/* ---- the local run ---- */

/* Simulate points [first, n) of x's sweep on x->jobs threads into w. 0, or -1 with
 * the error reported (out of memory). */
int sweep_cmd_run_local(const struct sweep *sw, const struct sweep_point_info *info,
                        size_t first, unsigned jobs, int quiet, int progress_forced,
                        struct sweep_out *w)
{
    size_t n = sw->n_points - first, n_jobs = 0;
    size_t *points = malloc((n ? n : 1) * sizeof *points);
    if (!points) {
        fprintf(stderr, "slsim: out of memory\n");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        points[i] = first + i;
        n_jobs += info[first + i].loads ? info[first + i].replications : 1;
    }
    struct cli_progress progress;
    cli_progress_init(&progress, n_jobs, quiet, progress_forced, NULL);
    struct slsim_error err;
    int rc = sweep_run(sw, points, n, info + first, jobs,
                       progress.enabled ? cli_progress_report : NULL, &progress,
                       sweep_out_point_done, w, &err);
    cli_progress_done(&progress);
    free(points);
    if (rc != 0)
        cli_report_error(&err);
    return rc;
}

/* ---- the command ---- */

/* What an interrupted sweep says on its way out, made before it starts: a signal
 * handler may only write. */
static char interrupted_note[4400];

static void on_interrupt(int sig)
{
    ssize_t rc = write(STDERR_FILENO, interrupted_note, strlen(interrupted_note));
    (void)rc;
    signal(sig, SIG_DFL);
    raise(sig);
}

static void note_interrupts(const char *partial)
{
    snprintf(interrupted_note, sizeof interrupted_note,
             "\nslsim sweep: interrupted; %s keeps every point finished: the same command "
             "with --resume continues it\n",
             partial);
    signal(SIGINT, on_interrupt);
    signal(SIGTERM, on_interrupt);
}

/* Failed points found in a resumed file: they count as the sweep's, and the first
 * SWEEP_OUT_MAX_LISTED are listed with the others at the end. */
struct resumed_failures {
    const struct sweep *sw;
    size_t n;
    size_t k[SWEEP_OUT_MAX_LISTED];
    char *msg[SWEEP_OUT_MAX_LISTED];
};

static void resumed_failed(void *ctx, size_t k, const char *error)
{
    struct resumed_failures *f = ctx;
    if (f->n < SWEEP_OUT_MAX_LISTED) {
        struct slsim_error err = {0};
        snprintf(err.message, sizeof err.message, "%s", error);
        char text[1600];
        sweep_out_error_text(f->sw, k, &err, text, sizeof text);
        size_t len = strlen(text) + 1;
        if ((f->msg[f->n] = malloc(len)) != NULL)
            memcpy(f->msg[f->n], text, len);
        f->k[f->n] = k;
    }
    f->n++;
}

/* Open where the rows go: FILE.partial, new or resumed, or standard output; write the
 * head unless resuming. Sets *first (the point to go on from). 0, or -1 after saying
 * why (exit 2). */
static int open_output(struct sweep_cmd *x, const struct report_sweep *r,
                       const struct sweep_point_info *info, char *partial, size_t n_partial,
                       FILE **fp, size_t *first, struct resumed_failures *resumed)
{
    *first = 0;
    if (!x->c.out_path) {
        *fp = stdout;
        if ((x->po.path || x->html_path) &&
            !(x->copy = open_memstream(&x->copy_buf, &x->copy_len)))
            return -1;
        if (x->copy && report_sweep_head(x->copy, x->fmt, r) != 0)
            return -1;
        return report_sweep_head(stdout, x->fmt, r) == 0 ? 0 : -1;
    }
    snprintf(partial, n_partial, "%s.partial", x->c.out_path);
    struct stat st;
    int exists = stat(partial, &st) == 0;
    if (x->resume && !exists) {
        fprintf(stderr, "slsim sweep: %s: not there to resume; run without --resume to "
                        "start\n", partial);
        return -1;
    }
    if (x->resume) {
        size_t *rows = malloc(x->sw.n_points * sizeof *rows);
        if (!rows)
            return -1;
        for (size_t k = 0; k < x->sw.n_points; k++)
            rows[k] = info[k].loads ? info[k].rows : 1;
        int rc = sweep_out_resume(partial, x->fmt, r, rows, x->sw.n_points, first, fp,
                                  resumed_failed, resumed);
        free(rows);
        if (rc == 0 && !x->c.quiet)
            fprintf(stderr, "slsim sweep: resuming %s at point %zu of %zu\n", partial, *first,
                    x->sw.n_points);
        return rc;
    }
    if (exists && !x->c.force) {
        fprintf(stderr, "slsim sweep: %s: an interrupted sweep is there; pass --resume to "
                        "continue it, or --force to start over\n",
                partial);
        return -1;
    }
    *fp = fopen(partial, "w");
    if (!*fp) {
        perror(partial);
        return -1;
    }
    if (report_sweep_head(*fp, x->fmt, r) != 0 || fflush(*fp) != 0) {
        fclose(*fp);
        return -1;
    }
    return 0;
}

/* Finish the output: the tail, then FILE.partial becomes FILE. An exit status. */
static int close_output(struct sweep_cmd *x, const struct report_sweep *r, FILE *fp,
                        const char *partial, int write_failed)
{
    int bad = write_failed || report_sweep_tail(fp, x->fmt, r) != 0 || fflush(fp) != 0;
    if (x->copy)
        bad |= report_sweep_tail(x->copy, x->fmt, r) != 0;
    if (!x->c.out_path) {
        if (bad)
            fprintf(stderr, "slsim sweep: cannot write to standard output\n");
        return bad ? EXIT_RUN : EXIT_OK;
    }
    bad |= fsync(fileno(fp)) != 0;
    bad |= fclose(fp) != 0;
    if (bad) {
        fprintf(stderr, "slsim sweep: %s: cannot write it; what was written stays there for "
                        "--resume\n", partial);
        return EXIT_RUN;
    }
    if (rename(partial, x->c.out_path) != 0) {
        perror(x->c.out_path);
        return EXIT_RUN;
    }
    return EXIT_OK;
}

/* The sweep's rows as written: their copy, or its file. NULL when they cannot be read. */
static char *read_rows(struct sweep_cmd *x, size_t *len)
{
    char *text = NULL;
    *len = 0;
    if (x->copy) {
        fclose(x->copy);
        x->copy = NULL;
        text = x->copy_buf;
        *len = x->copy_len;
        x->copy_buf = NULL;
        return text;
    }
    return cli_read_file(x->c.out_path, len);
}

/* --plot and --html: the sweep's rows drawn (and, for the page, shown as a table when
 * they are CSV). An exit status. */
static int draw_sweep(struct sweep_cmd *x, int argc, char **argv, const struct scenario *base)
{
    size_t len;
    char *text = read_rows(x, &len);
    if (!text) {
        fprintf(stderr, "slsim sweep: cannot read the rows back to draw them\n");
        return EXIT_RUN;
    }
    struct plot p;
    struct slsim_error err;
    int rc = plot_sweep_rows(text, len, x->c.out_path ? x->c.out_path : "(the sweep)",
                             x->plot_metric ? x->plot_metric : "cost_usd.per_month", x->plot_x,
                             &p, &err);
    if (rc != 0) {
        free(text);
        cli_report_error(&err);
        return EXIT_RUN;
    }
    rc = EXIT_OK;
    if (x->po.path && plot_render(&p, &x->po, x->c.force) != 0)
        rc = EXIT_RUN;
    if (rc == EXIT_OK && x->html_path) {
        char line[2048];
        html_command_line(argc, argv, "sweep", line, sizeof line);
        static const char *const keep[] = {
            "deployment", "tier", "cost_usd_per_month", "cost_usd_per_month_ci95",
            "latency_ms_p50", "latency_ms_p99", "latency_ms_p99_ci95", "cold_start_ratio",
            "throttled_fraction", "slo_met", "error"};
        struct html_input in = {.path = x->html_path, .force = x->c.force, .cmd = "sweep",
                                .command_line = line, .s = base,
                                .csv_text = x->fmt == REPORT_CSV ? text : NULL,
                                .csv_title = "Every point", .csv_keep = keep,
                                .n_csv_keep = sizeof keep / sizeof keep[0],
                                .csv_before = "deployment", .plots = &p, .n_plots = 1,
                                .gnuplot = x->gnuplot,
                                .size = x->po.path ? x->po.size : (struct plot_size){1200, 800, 0}};
        if (html_report_write(&in, &err) != 0) {
            cli_report_error(&err);
            rc = EXIT_RUN;
        }
    }
    plot_free(&p);
    free(text);
    return rc;
}

static int cmd_sweep(int argc, char **argv)
{
    struct sweep_cmd x;
    memset(&x, 0, sizeof x);
    int status = EXIT_USAGE;
    struct scenario *base = NULL;
    struct sweep_point_info *info = NULL;
    FILE *fp = NULL;
    struct sweep_out w;
    memset(&w, 0, sizeof w);
    struct sweep_mpi mpi = {.size = 1, .root = 1};
    struct resumed_failures resumed = {0};
    char partial[4200];
    if (cli_common_init(&x.c, argc) != 0 || !(x.vary = calloc((size_t)argc, sizeof *x.vary)))
        return EXIT_RUN;
    x.c.format = "csv";
    x.c.kind = REPORT_OF_SWEEP;
    int rc = parse_args(argc, argv, &x);
    if (rc != 0) {
        status = rc > 0 ? EXIT_OK : EXIT_USAGE;
        goto out;
    }
    struct slsim_error err;
    if (sweep_mpi_refuse_launcher() != 0)
        goto out;
    if (scenario_load(x.path, x.c.sets, x.c.n_sets, &base, &err) != 0) {
        cli_report_error(&err);
        goto out;
    }
    if (build_axes(&x, base) != 0)
        goto out;
    char hash[17];
    if (sweep_hash(&x.sw, x.c.format, hash, &err) != 0) {
        cli_report_error(&err);
        goto out;
    }
    struct report_sweep r = {.sw = &x.sw,
                             .hash = hash,
                             .scenario = base->name,
                             .seed = base->seed,
                             .pricing = base->pricing,
                             .pricing_as_of = base->catalog ? base->catalog->as_of : ""};
    if (sweep_mpi_start(&mpi, x.jobs) != 0) {
        status = EXIT_RUN;
        goto out;
    }
    if (!mpi.root) {
        /* A worker: points come from rank 0, rows go back to it. */
        status = sweep_mpi_work(&mpi, &x.sw, x.fmt, &r, x.jobs);
        goto out;
    }
    note_rounding(&x.sw, x.c.quiet);
    info = calloc(x.sw.n_points, sizeof *info);
    if (!info) {
        status = EXIT_RUN;
        sweep_mpi_abort(&mpi);
        goto out;
    }
    sweep_survey_all(&x.sw, info, x.jobs);
    for (size_t k = 0; k < x.sw.n_points; k++)
        r.ci95 |= info[k].loads && info[k].replications > 1;
    size_t first;
    resumed.sw = &x.sw;
    if (x.c.out_path) {
        snprintf(partial, sizeof partial, "%s.partial", x.c.out_path);
        note_interrupts(partial);
    }
    if (open_output(&x, &r, info, partial, sizeof partial, &fp, &first, &resumed) != 0) {
        sweep_mpi_abort(&mpi);
        goto out;
    }
    if (sweep_out_init(&w, fp, x.fmt, &r, first, x.sw.n_points) != 0) {
        status = EXIT_RUN;
        sweep_mpi_abort(&mpi);
        goto out;
    }
    w.copy = x.copy;
    for (size_t i = 0; i < resumed.n && i < SWEEP_OUT_MAX_LISTED; i++)
        sweep_out_put(&w, resumed.k[i], NULL, 0, resumed.msg[i] ? resumed.msg[i] : "");
    if (resumed.n > SWEEP_OUT_MAX_LISTED)
        w.n_failed += resumed.n - SWEEP_OUT_MAX_LISTED;
    rc = mpi.size > 1 ? sweep_mpi_lead(&mpi, &x.sw, info, first, x.jobs, x.c.quiet,
                                       x.c.progress, &w)
                      : sweep_cmd_run_local(&x.sw, info, first, x.jobs, x.c.quiet,
                                            x.c.progress, &w);
    status = close_output(&x, &r, fp, partial, w.write_failed || rc != 0);
    fp = NULL;
    if ((x.po.path || x.html_path) && status == EXIT_OK)
        status = draw_sweep(&x, argc, argv, base);
    if (w.n_failed) {
        fprintf(stderr, "slsim sweep: %zu of %zu points failed (their rows hold the error):\n",
                w.n_failed, x.sw.n_points);
        for (size_t i = 0; i < w.n_failed && i < SWEEP_OUT_MAX_LISTED; i++)
            fprintf(stderr, "  %s\n", w.failed[i] ? w.failed[i] : "(out of memory)");
        if (w.n_failed > SWEEP_OUT_MAX_LISTED)
            fprintf(stderr, "  and %zu more\n", w.n_failed - SWEEP_OUT_MAX_LISTED);
        if (status == EXIT_OK)
            status = EXIT_RUN;
    }
out:
    if (x.copy)
        fclose(x.copy);
    free(x.copy_buf);
    sweep_mpi_end(&mpi);
    for (size_t i = 0; i < resumed.n && i < SWEEP_OUT_MAX_LISTED; i++)
        free(resumed.msg[i]);
    if (fp && fp != stdout)
        fclose(fp);
    sweep_out_free(&w);
    free(info);
    scenario_destroy(base);
    for (size_t a = 0; a < SWEEP_MAX_AXES; a++)
        sweep_axis_free(&x.axes[a]);
    free(x.vary);
    cli_common_free(&x.c);
    return status;
}

const struct command cmd_sweep_entry = {
    "sweep", cmd_sweep, "simulate a scenario over a grid of any keys (resumable, MPI-ready)",
    sweep_help,
};
