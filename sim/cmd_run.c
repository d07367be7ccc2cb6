/* cmd_run.c - `slsim run`: simulate one scenario and report.
 *
 * Everything is computed before anything is written: a bad scenario, an unknown
 * format or a failed run leaves no output file behind, and --out files appear
 * whole or not at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "slsim/report.h"
#include "slsim/run.h"
#include "slsim/scenario.h"
#include "slsim/sizing.h"

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
    "  --force              overwrite existing --out or --timeline files\n"
    "  -h, --help           this text\n"
    "\n"
    "exit status: 0 done, 1 the run failed, 2 bad usage or bad input.\n";

static int write_output(const char *path, int force, int (*writer)(FILE *, void *), void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem) {
        fprintf(stderr, "slsim: out of memory\n");
        return EXIT_RUN;
    }
    int rc = writer(mem, arg);
    if (fclose(mem) != 0 || rc != 0) {
        free(buf);
        fprintf(stderr, "slsim: cannot format the report\n");
        return EXIT_RUN;
    }
    if (!path) {
        int bad = fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0;
        free(buf);
        return bad ? EXIT_RUN : EXIT_OK;
    }
    struct slsim_error err;
    rc = cli_write_file(path, buf, len, force, &err);
    free(buf);
    if (rc != 0) {
        cli_report_error(&err);
        return EXIT_RUN;
    }
    return EXIT_OK;
}

struct report_args {
    enum report_format fmt;
    const struct scenario *s;
    const struct run_output *out;
};

static int write_report(FILE *fp, void *arg)
{
    struct report_args *a = arg;
    return report_write(fp, a->fmt, a->s, a->out);
}

static int write_timeline(FILE *fp, void *arg)
{
    struct report_args *a = arg;
    return report_write_timeline(fp, a->s, a->out);
}

/* Refuse before simulating what would be refused after: an existing file. */
static int check_target(const char *path, int force, const char *scenario_path)
{
    if (!path)
        return 0;
    if (strcmp(path, scenario_path) == 0) {
        fprintf(stderr, "slsim: %s: is the scenario itself; choose another output file\n",
                path);
        return -1;
    }
    FILE *f = force ? NULL : fopen(path, "r");
    if (f) {
        fclose(f);
        fprintf(stderr, "slsim: %s: already exists; pass --force to overwrite it\n", path);
        return -1;
    }
    return 0;
}

static int cmd_run(int argc, char **argv)
{
    const char *path = NULL, *format = "text", *out_path = NULL, *tl_path = NULL;
    const char *tl_step = NULL, *seed = NULL, *jobs_text = NULL, *v;
    int force = 0, rc;
    const char **sets = calloc((size_t)argc + 1, sizeof *sets);
    size_t n_sets = 0;
    char seed_set[96];
    if (!sets)
        return EXIT_RUN;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            fputs(run_help, stdout);
            free(sets);
            return EXIT_OK;
        } else if ((rc = cli_option(argc, argv, &i, "--set", &v, "run")) != 0) {
            if (rc < 0)
                goto usage;
            sets[n_sets++] = v;
        } else if ((rc = cli_option(argc, argv, &i, "--seed", &seed, "run")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--format", &format, "run")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--out", &out_path, "run")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--timeline-interval", &tl_step, "run")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--timeline", &tl_path, "run")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--jobs", &jobs_text, "run")) != 0) {
            if (rc < 0)
                goto usage;
        } else if (strcmp(a, "--force") == 0) {
            force = 1;
        } else if (a[0] == '-' && a[1] != '\0') {
            cli_usage_error("run", "unknown option %s", a);
            goto usage;
        } else if (!path) {
            path = a;
        } else {
            cli_usage_error("run", "one scenario at a time; got %s and %s", path, a);
            goto usage;
        }
    }
    if (!path) {
        cli_usage_error("run", "missing the scenario file");
        goto usage;
    }
    enum report_format fmt;
    if (report_format_parse(format, &fmt) != 0) {
        cli_usage_error("run", "unknown format \"%s\"; use text, json, csv or md", format);
        goto usage;
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned jobs = online > 0 ? (unsigned)online : 1;
    if (jobs_text) {
        char *end;
        long j = strtol(jobs_text, &end, 10);
        if (*end || j < 1 || j > 1024) {
            cli_usage_error("run", "--jobs wants a whole number from 1 to 1024; got \"%s\"",
                            jobs_text);
            goto usage;
        }
        jobs = (unsigned)j;
    }
    sim_time step = 0;
    if (tl_step) {
        char why[200];
        if (units_parse_duration(tl_step, &step, why, sizeof why) != 0 || step <= 0 ||
            step == SIM_TIME_FOREVER) {
            cli_usage_error("run", "--timeline-interval: %s",
                            step <= 0 ? "wants a duration > 0, such as 1m" : why);
            goto usage;
        }
    }
    if (seed) {
        snprintf(seed_set, sizeof seed_set, "seed=%s", seed);
        sets[n_sets++] = seed_set;
    }
    if (check_target(out_path, force, path) != 0 || check_target(tl_path, force, path) != 0)
        goto usage;
    if (out_path && tl_path && strcmp(out_path, tl_path) == 0) {
        cli_usage_error("run", "--out and --timeline name the same file");
        goto usage;
    }

    struct slsim_error err;
    struct scenario *s = NULL;
    if (scenario_load(path, sets, n_sets, &s, &err) != 0) {
        cli_report_error(&err);
        free(sets);
        return EXIT_USAGE;
    }
    free(sets);
    if (sizing_resolve(s, 0, &err) != 0) {
        cli_report_error(&err);
        scenario_destroy(s);
        return EXIT_USAGE;
    }
    if (tl_path && !step)
        step = run_default_timeline_step(s);
    if (step && (s->duration_ns - s->warmup_ns) / step > 10000000) {
        fprintf(stderr, "slsim: --timeline-interval gives more than 10 million rows; "
                        "choose a longer interval\n");
        scenario_destroy(s);
        return EXIT_USAGE;
    }
    struct run_options opt = {.timeline_step_ns = tl_path ? step : 0, .jobs = jobs};
    struct run_output out;
    if (run_scenario(s, &opt, &out, &err) != 0) {
        cli_report_error(&err);
        scenario_destroy(s);
        return err.file[0] ? EXIT_USAGE : EXIT_RUN;
    }
    struct report_args args = {fmt, s, &out};
    rc = EXIT_OK;
    if (tl_path)
        rc = write_output(tl_path, force, write_timeline, &args);
    if (rc == EXIT_OK)
        rc = write_output(out_path, force, write_report, &args);
    run_output_free(&out);
    scenario_destroy(s);
    return rc;
usage:
    free(sets);
    return EXIT_USAGE;
}

const struct command cmd_run_entry = {
    "run", cmd_run, "simulate a scenario and report cost, latency and cold starts", run_help,
};
