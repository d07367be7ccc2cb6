/* cmd_plan.c - `slsim plan`: the cheapest configuration that meets the SLO.
 *
 * Everything that can be refused is refused before the first simulation: the options,
 * every --over (its syntax and key, as `sweep` checks them), every metric, the
 * scenario, the output folder. A configuration the loader refuses (a memory too small
 * for the model) is infeasible, not an error. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "html_report.h"
#include "plot_exec.h"
#include "slsim/plan.h"
#include "slsim/report.h"
#include "slsim/run.h"
#include "slsim/scenario.h"
#include "slsim/sweep.h"

static const char plan_help[] =
    "usage: slsim plan SCENARIO --over KEY=VALUES [--over ...] [--subject-to 'METRIC<=V']\n"
    "                  [--minimize METRIC] [options]\n"
    "\n"
    "Find the configuration that minimizes METRIC (default cost_usd.total) while every\n"
    "--subject-to holds: which memory, provisioned concurrency, keep-alive, fleet\n"
    "size, instance type, platform, batch size or delay. --over takes `slsim sweep`'s\n"
    "keys and values (a list, start:stop:step, A..B*N, @FILE; rounded to settings).\n"
    "\n"
    "Candidates: the deployments the --over keys name (deployments.NAME.KEY), or every\n"
    "deployment when no key names one (--deployments picks them). A configuration is a\n"
    "deployment with one value of each key that applies to it, simulated on the\n"
    "scenario's seed (every configuration sees the same requests). One the scenario\n"
    "refuses (a memory below the model's) is infeasible, not an error.\n"
    "\n"
    "Search: feasibility is monotone in provisioned capacity, fleet size and reserved\n"
    "caps (keys provisioned, count, reserved), so along the first such key the boundary\n"
    "is found by bisection and only values above it are simulated (cost is not assumed\n"
    "monotone); every other key is searched whole (--exhaustive: everything). Ranking:\n"
    "the lower METRIC (within --tie of the least, 0.1% by default, counts as equal),\n"
    "then the lower latency_ms.p99, then fewer\n"
    "resources (lower values, key by key). The best is confirmed with --confirm N\n"
    "replications and kept only if the 95% bound on the constrained side of every\n"
    "metric (upper for <=, lower for >=) meets its limit; else the next is tried.\n"
    "Without --subject-to every configuration is feasible: the Power Tuning question.\n"
    "\n"
    "Metrics are report fields by their JSON path (latency_ms.p99, cost_usd.per_month,\n"
    "throttled_fraction, cold_start_ratio, slo_attainment, ttft_ms.p99, ...; --metrics\n"
    "lists them). Operators <=, >=, < and >. Limits carry their unit: a latency a\n"
    "duration (300ms, 1.5s), a share a number or a percentage (0.001, 0.1%), a cost\n"
    "USD. Without --subject-to there is nothing to confirm: the best is the answer.\n"
    "\n"
    "options:\n"
    "  --over KEY=VALUES    a key and its values (repeatable, one per key)\n"
    "  --subject-to C       a constraint METRIC<=VALUE or METRIC>=VALUE (repeatable)\n"
    "  --minimize METRIC    what to minimize (default cost_usd.total)\n"
    "  --deployments LIST   the candidate deployments, comma-separated\n"
    "  --confirm N          replications of the confirmation (default 5, at least 2)\n"
    "  --exhaustive         simulate every configuration (no bisection)\n"
    "  --metrics            list the metrics a plan can use, and exit\n"
    "  --tie SHARE          objectives this close to the least tie (default 0.1%;\n"
    "                       1% makes a plateau of near-equal costs one)\n"
    "  --weight W           Power Tuning's balanced weight, 0 (speed) to 1 (cost);\n"
    "                       default 0.5\n"
    "  --out-dir DIR        also write DIR/plan.yaml (the chosen configuration, a ready\n"
    "                       scenario), DIR/report.json (its report), DIR/pareto.csv\n"
    "                       and DIR/pareto.json (the cost-latency front of everything\n"
    "                       simulated), DIR/evaluated.csv (every configuration)\n"
    "  --plot FILE          also draw the cost-latency plane: every configuration,\n"
    "                       the Pareto front, the choice (.svg/.png/.pdf; --plot-size)\n"
    "  --html FILE          also write one self-contained page with all of it\n"
    "  --set KEY=VALUE      override a scenario key (repeatable)\n"
    "  --seed N             override the scenario seed\n"
    "  --format FORMAT      text (default) or json\n"
    "  --out FILE           write the plan to FILE (whole, or not at all)\n"
    "  --force              overwrite --out, or files in --out-dir\n"
    "  --jobs N             simulate on N threads (the answer does not depend on N)\n"
    "  --quiet, --progress  as for run\n"
    "  -h, --help           this text\n"
    "\n"
    "example:  slsim plan scenarios/examples/lambda-memory.yaml \\\n"
    "              --over 'deployments.mem-1024.memory=128MiB..10GiB*16'\n"
    "\n"
    "exit status: 0 a configuration meets the constraints; 1 none does (the closest is\n"
    "named) or a run failed; 2 bad usage or bad input.\n";

struct plan_cmd {
    struct cli_common c;
    const char *path, *minimize, *deployments, *confirm, *weight, *out_dir, *tie;
    const char **over, **subject;
    size_t n_over, n_subject;
    int exhaustive;
    struct sweep_axis axes[SWEEP_MAX_AXES];
    struct plan_constraint cons[PLAN_MAX_CONSTRAINTS];
    size_t *candidates; /* [the scenario's deployments] */
    struct plan_spec spec;
    enum report_format fmt;
    unsigned jobs;
    double w;
    struct plot_opts po;
    const char *html_path;
    char gnuplot[4096];
};

static int parse_args(int argc, char **argv, struct plan_cmd *x)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(plan_help, stdout);
            return 1;
        }
        int rc = cli_common_option(&x->c, argc, argv, &i, "plan");
        if (rc == 0 && (rc = cli_option(argc, argv, &i, "--over", &v, "plan")) > 0) {
            if (x->n_over == SWEEP_MAX_AXES) {
                cli_usage_error("plan", "at most %d --over", SWEEP_MAX_AXES);
                return -1;
            }
            x->over[x->n_over++] = v;
        }
        if (rc == 0 && (rc = cli_option(argc, argv, &i, "--subject-to", &v, "plan")) > 0) {
            if (x->n_subject == PLAN_MAX_CONSTRAINTS) {
                cli_usage_error("plan", "at most %d --subject-to", PLAN_MAX_CONSTRAINTS);
                return -1;
            }
            x->subject[x->n_subject++] = v;
        }
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--minimize", &x->minimize, "plan");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--deployments", &x->deployments, "plan");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--confirm", &x->confirm, "plan");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--weight", &x->weight, "plan");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--out-dir", &x->out_dir, "plan");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--tie", &x->tie, "plan");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-kind", &x->po.kind_text, "plan");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-size", &x->po.size_text, "plan");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot-script", &x->po.script_dir, "plan");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--plot", &x->po.path, "plan");
        if (rc == 0)
            rc = cli_option(argc, argv, &i, "--html", &x->html_path, "plan");
        if (rc == 0 && strcmp(a, "--exhaustive") == 0)
            rc = x->exhaustive = 1;
        if (rc == 0 && strcmp(a, "--metrics") == 0) {
            char names[8000];
            plan_metric_names(names, sizeof names);
            printf("%s\n", names);
            return 1;
        }
        if (rc < 0)
            return -1;
        if (rc > 0)
            continue;
        if (a[0] == '-' && a[1] != '\0') {
            cli_usage_error("plan", "unknown option %s", a);
            return -1;
        }
        if (x->path) {
            cli_usage_error("plan", "one scenario at a time; got %s and %s", x->path, a);
            return -1;
        }
        x->path = a;
    }
    if (!x->path) {
        cli_usage_error("plan", "missing the scenario file");
        return -1;
    }
    if (!x->n_over) {
        cli_usage_error("plan", "nothing to search: give --over KEY=VALUES, e.g. --over "
                                "'deployments.NAME.memory=128MiB..10GiB*16'");
        return -1;
    }
    x->spec.confirm = PLAN_DEFAULT_CONFIRM;
    if (x->confirm) {
        char *end;
        long n = strtol(x->confirm, &end, 10);
        if (*end || end == x->confirm || n < 2 || n > SCENARIO_MAX_REPLICATIONS) {
            cli_usage_error("plan", "--confirm wants a whole number from 2 to %d; got \"%s\"",
                            SCENARIO_MAX_REPLICATIONS, x->confirm);
            return -1;
        }
        x->spec.confirm = (uint32_t)n;
    }
    x->w = 0.5;
    if (x->weight) {
        char *end;
        x->w = strtod(x->weight, &end);
        if (*end || end == x->weight || !(x->w >= 0 && x->w <= 1)) {
            cli_usage_error("plan", "--weight wants a number from 0 to 1; got \"%s\"",
                            x->weight);
            return -1;
        }
    }
    x->spec.tie = PLAN_TIE_REL;
    if (x->tie) {
        char *end;
        double t = strtod(x->tie, &end);
        int pct = *end == '%';
        if (pct)
            end++;
        if (*end || end == x->tie || !(t >= 0) || (pct ? t : 100 * t) > 50) {
            cli_usage_error("plan", "--tie wants a share from 0 to 50%%, as 0.5%% or 0.005; "
                                    "got \"%s\"",
                            x->tie);
            return -1;
        }
        x->spec.tie = pct ? t / 100 : t;
    }
    snprintf(x->spec.minimize, sizeof x->spec.minimize, "%s",
             x->minimize ? x->minimize : "cost_usd.total");
    if (!plan_metric_known(x->spec.minimize)) {
        char hint[160];
        plan_metric_hint(x->spec.minimize, hint, sizeof hint);
        cli_usage_error("plan", "--minimize: \"%s\" is not a report field a plan can use%s "
                                "(`slsim plan --metrics` lists them)",
                        x->spec.minimize, hint);
        return -1;
    }
    struct slsim_error err;
    for (size_t i = 0; i < x->n_subject; i++)
        if (plan_parse_constraint(x->subject[i], &x->cons[i], &err) != 0) {
            cli_report_error(&err);
            return -1;
        }
    if (x->out_dir) {
        struct stat st;
        if (stat(x->out_dir, &st) != 0 && mkdir(x->out_dir, 0777) != 0) {
            fprintf(stderr, "slsim plan: %s: cannot make the folder: %s\n", x->out_dir,
                    strerror(errno));
            return -1;
        }
        if (stat(x->out_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr, "slsim plan: %s: is not a folder\n", x->out_dir);
            return -1;
        }
        /* Refused now, not after the search: files there are not overwritten unasked. */
        static const char *const files[] = {"evaluated.csv", "pareto.csv", "pareto.json",
                                            "plan.yaml", "report.json"};
        for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
            char path[4200];
            snprintf(path, sizeof path, "%s/%s", x->out_dir, files[i]);
            if (cli_check_target(path, x->c.force, x->path ? x->path : "") != 0)
                return -1;
        }
    }
    static const enum plot_kind plan_kinds[] = {PLOT_PARETO};
    if (plot_opts_check(&x->po, "plan", plan_kinds, 1, x->c.force) != 0)
        return -1;
    if (x->html_path && (cli_check_target(x->html_path, x->c.force, x->path) != 0 ||
                         plot_find_gnuplot(x->gnuplot, sizeof x->gnuplot, "plan") != 0))
        return -1;
    return cli_common_finish(&x->c, "plan", x->path, &x->fmt, &x->jobs) == 0 ? 0 : -1;
}

/* The candidate deployments: --deployments, else those the --over keys name, else all. */
static int choose_candidates(struct plan_cmd *x, const struct scenario *base)
{
    size_t n = 0;
    x->candidates = calloc(base->n_deployments, sizeof *x->candidates);
    if (!x->candidates)
        return -1;
    if (x->deployments) {
        const char *p = x->deployments;
        while (*p) {
            size_t len = strcspn(p, ",");
            size_t d = 0;
            while (d < base->n_deployments && (strlen(base->deployments[d].name) != len ||
                                               strncmp(base->deployments[d].name, p, len) != 0))
                d++;
            if (d == base->n_deployments) {
                char names[1024] = "";
                for (size_t k = 0; k < base->n_deployments; k++)
                    snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                             k ? ", " : "", base->deployments[k].name);
                cli_usage_error("plan", "--deployments: no deployment named \"%.*s\"; "
                                        "deployments are: %s",
                                (int)len, p, names);
                return -1;
            }
            if (n < base->n_deployments)
                x->candidates[n++] = d;
            p += len + (p[len] == ',');
        }
    } else {
        for (size_t d = 0; d < base->n_deployments; d++) {
            int named = 0;
            for (size_t a = 0; a < x->n_over; a++) {
                const char *key = x->axes[a].key;
                size_t len = strlen(base->deployments[d].name);
                named |= strncmp(key, "deployments.", 12) == 0 &&
                         strncmp(key + 12, base->deployments[d].name, len) == 0 &&
                         key[12 + len] == '.';
            }
            if (named)
                x->candidates[n++] = d;
        }
        if (n == 0) /* no key names a deployment: every one is a candidate */
            for (size_t d = 0; d < base->n_deployments; d++)
                x->candidates[n++] = d;
    }
    x->spec.candidates = x->candidates;
    x->spec.n_candidates = n;
    return 0;
}

struct plan_out {
    const struct report_plan *r;
    int front_only;
    int (*fn)(FILE *fp, const struct report_plan *r);
};

static int write_plan(FILE *fp, void *arg)
{
    const struct plan_out *o = arg;
    return o->fn ? o->fn(fp, o->r) : report_plan_csv(fp, o->r, o->front_only);
}

/* DIR/NAME, written whole with cli_emit. An exit status. */
static int emit_in(const char *dir, const char *name, int force, struct plan_out *o)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return cli_emit(path, force, write_plan, o);
}

/* DIR/plan.yaml (the chosen configuration as a scenario) and DIR/report.json (its
 * report, with the confirmation's replications). An exit status. */
static int write_chosen(struct plan_cmd *x, const struct plan_result *res)
{
    const struct plan_eval *e = &res->evals[res->chosen];
    char *sets[SWEEP_MAX_AXES + 1];
    const char **all = calloc(x->c.n_sets + SWEEP_MAX_AXES + 1, sizeof *all);
    size_t n = 0, k = all ? plan_eval_sets(&x->spec, e, sets, SWEEP_MAX_AXES) : 0;
    if (!all)
        return EXIT_RUN;
    for (size_t i = 0; i < x->c.n_sets; i++)
        all[n++] = x->c.sets[i];
    for (size_t i = 0; i < k; i++)
        all[n++] = sets[i];
    char reps[48];
    snprintf(reps, sizeof reps, "replications=%u", x->spec.confirm);
    const char *report_sets[] = {reps};
    struct scenario *s = NULL, *chosen = NULL;
    struct slsim_error err;
    int status = EXIT_RUN;
    char path[4200], header[2400];
    snprintf(path, sizeof path, "%s/plan.yaml", x->out_dir);
    size_t w = (size_t)snprintf(header, sizeof header,
                                "The configuration `slsim plan` chose from %s, with", x->path);
    for (size_t i = 0; i < k && w < sizeof header; i++)
        w += (size_t)snprintf(header + w, sizeof header - w, "\n  %s", sets[i]);
    if (x->spec.n_cons && w < sizeof header)
        w += (size_t)snprintf(header + w, sizeof header - w,
                              "\nmeeting, at the 95%% bound of %u replications:", x->spec.confirm);
    for (size_t i = 0; i < x->spec.n_cons && w < sizeof header; i++)
        w += (size_t)snprintf(header + w, sizeof header - w, "\n  %s", x->spec.cons[i].text);
    if (x->spec.n_cons && w < sizeof header)
        snprintf(header + w, sizeof header - w,
                 "\n(`slo:` below is the scenario's own, as written: `slsim run` judges that)");
    if (scenario_load(x->path, all, n, &s, &err) != 0) {
        cli_report_error(&err);
        goto done;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    int bad = !mem || scenario_write(s, s->deployments[e->deployment].name, header, mem, &err);
    if (mem && fclose(mem) != 0)
        bad = 1;
    if (bad || cli_write_file(path, buf, len, x->c.force, &err) != 0) {
        free(buf);
        cli_report_error(&err);
        goto done;
    }
    free(buf);
    /* Its report: the file just written, run as `slsim run --set replications=N`
     * would, N the confirmation's. */
    if (scenario_load(path, report_sets, 1, &chosen, &err) != 0) {
        cli_report_error(&err);
        goto done;
    }
    struct run_options opt = {.jobs = x->jobs};
    struct run_output out;
    if (run_scenario(chosen, &opt, &out, &err) != 0) {
        cli_report_error(&err);
        goto done;
    }
    snprintf(path, sizeof path, "%s/report.json", x->out_dir);
    status = cli_emit_report(path, x->c.force, REPORT_JSON, chosen, &out, NULL);
    run_output_free(&out);
done:
    for (size_t i = 0; i < k; i++)
        free(sets[i]);
    free(all);
    scenario_destroy(s);
    scenario_destroy(chosen);
    return status;
}

static int cmd_plan(int argc, char **argv)
{
    struct plan_cmd x;
    memset(&x, 0, sizeof x);
    int status = EXIT_USAGE;
    struct scenario *base = NULL;
    struct plan_result res;
    memset(&res, 0, sizeof res);
    const char **names = NULL;
    if (cli_common_init(&x.c, argc) != 0 || !(x.over = calloc((size_t)argc, sizeof *x.over)) ||
        !(x.subject = calloc((size_t)argc, sizeof *x.subject))) {
        status = EXIT_RUN;
        goto out;
    }
    x.c.kind = REPORT_OF_PLAN;
    int rc = parse_args(argc, argv, &x);
    if (rc != 0) {
        status = rc > 0 ? EXIT_OK : EXIT_USAGE;
        goto out;
    }
    struct slsim_error err;
    if (scenario_load(x.path, x.c.sets, x.c.n_sets, &base, &err) != 0) {
        cli_report_error(&err);
        goto out;
    }
    for (size_t a = 0; a < x.n_over; a++) {
        if (sweep_parse_vary(x.over[a], &x.axes[a], &err) != 0) {
            snprintf(err.file, sizeof err.file, "%s",
                     strcmp(err.file, "--vary") == 0 ? "--over" : err.file);
            cli_report_error(&err);
            goto out;
        }
        for (size_t b = 0; b < a; b++)
            if (strcmp(x.axes[a].key, x.axes[b].key) == 0) {
                cli_usage_error("plan", "%s is searched twice; give its values in one --over",
                                x.axes[a].key);
                goto out;
            }
        if (sweep_round_axis(x.path, x.c.sets, x.c.n_sets, base, &x.axes[a], &err) != 0) {
            if (strcmp(err.file, "--vary") == 0)
                snprintf(err.file, sizeof err.file, "--over");
            cli_report_error(&err);
            goto out;
        }
    }
    if (choose_candidates(&x, base) != 0) {
        status = x.candidates ? EXIT_USAGE : EXIT_RUN;
        goto out;
    }
    x.spec.path = x.path;
    x.spec.sets = x.c.sets;
    x.spec.n_sets = x.c.n_sets;
    x.spec.axes = x.axes;
    x.spec.n_axes = x.n_over;
    x.spec.cons = x.cons;
    x.spec.n_cons = x.n_subject;
    x.spec.exhaustive = x.exhaustive;
    struct cli_progress progress;
    cli_progress_init(&progress, 1, x.c.quiet, x.c.progress, "runs");
    rc = plan_run(&x.spec, x.jobs, x.w, progress.enabled ? cli_progress_report : NULL, &progress,
                  &res, &err);
    cli_progress_done(&progress);
    if (rc != 0) {
        cli_report_error(&err);
        status = EXIT_RUN;
        goto out;
    }
    names = calloc(base->n_deployments, sizeof *names);
    if (!names) {
        status = EXIT_RUN;
        goto out;
    }
    for (size_t d = 0; d < base->n_deployments; d++)
        names[d] = base->deployments[d].name;
    struct report_plan r = {.spec = &x.spec, .result = &res, .scenario = base->name,
                            .deployment_names = names, .weight = x.w};
    struct plan_out main_out = {&r, 0, x.fmt == REPORT_JSON ? report_plan_json : report_plan_text};
    status = cli_emit(x.c.out_path, x.c.force, write_plan, &main_out);
    if (status == EXIT_OK && x.out_dir) {
        struct plan_out ev = {&r, 0, NULL}, front = {&r, 1, NULL},
                        front_json = {&r, 0, report_plan_front_json};
        status = emit_in(x.out_dir, "evaluated.csv", x.c.force, &ev);
        if (status == EXIT_OK)
            status = emit_in(x.out_dir, "pareto.csv", x.c.force, &front);
        if (status == EXIT_OK)
            status = emit_in(x.out_dir, "pareto.json", x.c.force, &front_json);
        if (status == EXIT_OK && res.chosen != SIZE_MAX)
            status = write_chosen(&x, &res);
    }
    if (status == EXIT_OK && x.po.path) {
        /* the picture is drawn from the plan's own JSON, as `slsim plot` draws it */
        struct plan_out js = {&r, 0, report_plan_json};
        size_t len = 0;
        char *text = cli_format(write_plan, &js, &len);
        struct plot pl;
        int bad = !text;
        if (bad || plot_pareto_json(text, len, x.path, &pl, &err) != 0) {
            if (!bad)
                cli_report_error(&err);
            status = EXIT_RUN;
        } else {
            status = plot_render(&pl, &x.po, x.c.force) == 0 ? EXIT_OK : EXIT_RUN;
            plot_free(&pl);
        }
        free(text);
    }
    if (status == EXIT_OK && x.html_path) {
        struct plan_out txt = {&r, 0, report_plan_text}, js = {&r, 0, report_plan_json},
                        ev = {&r, 0, NULL};
        char *text = cli_format(write_plan, &txt, NULL);
        char *json = cli_format(write_plan, &js, NULL);
        char *csv = cli_format(write_plan, &ev, NULL);
        struct plot pl;
        int have = json && plot_pareto_json(json, strlen(json), x.path, &pl, &err) == 0;
        char line[2048];
        html_command_line(argc, argv, "plan", line, sizeof line);
        struct html_input in = {.path = x.html_path, .force = x.c.force, .cmd = "plan",
                                .command_line = line, .s = base, .report_text = text,
                                .csv_text = csv, .csv_title = "Every configuration simulated",
                                .plots = &pl, .n_plots = have, .gnuplot = x.gnuplot,
                                .size = x.po.path ? x.po.size : (struct plot_size){1200, 800, 0}};
        if (html_report_write(&in, &err) != 0) {
            cli_report_error(&err);
            status = EXIT_RUN;
        }
        if (have)
            plot_free(&pl);
        free(text);
        free(json);
        free(csv);
    }
    if (status == EXIT_OK && res.chosen == SIZE_MAX)
        status = EXIT_RUN; /* no configuration meets the constraints: said above */
out:
    free(names);
    free(x.candidates);
    plan_result_free(&res, x.n_subject);
    scenario_destroy(base);
    for (size_t a = 0; a < SWEEP_MAX_AXES; a++)
        sweep_axis_free(&x.axes[a]);
    free(x.over);
    free(x.subject);
    cli_common_free(&x.c);
    return status;
}

const struct command cmd_plan_entry = {
    "plan", cmd_plan, "the cheapest configuration that meets the SLO (search, confirmation)",
    plan_help,
};
