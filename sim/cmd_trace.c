/* cmd_trace.c - `slsim trace`: look at a trace before replaying it.
 *
 *   slsim trace stats FILE --as FORMAT | SCENARIO.yaml
 *   slsim trace convert FILE --as FORMAT --out OUT.csv
 *   slsim trace sort FILE --as FORMAT --out OUT
 *   slsim trace synth --out DIR
 *
 * This file reads the options every subcommand shares and turns a trace's options
 * (or a scenario's workload.trace) into one trace_spec, checked by the scenario's
 * own rules; each subcommand is one row of the table below and one file,
 * sim/cmd_trace_NAME.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_trace.h"
#include "slsim/scenario.h"

static const char trace_help[] =
    "usage: slsim trace stats  (FILE [--as FORMAT] | SCENARIO.yaml) [options]\n"
    "       slsim trace convert FILE [--as FORMAT] --out OUT.csv [options]\n"
    "       slsim trace sort    FILE --as azure2021|csv --out OUT [options]\n"
    "       slsim trace synth   --out DIR [--functions N] [--invocations N] [--seed N]\n"
    "\n"
    "stats: requests, functions, span, rate per minute (mean, peak, peak-to-mean; the\n"
    "whole series as requests_per_minute in JSON), duty cycle (share of minutes with\n"
    "a request), inter-arrival CV, per-function idle-time percentiles, prompt and\n"
    "output tokens (azure-llm) and the busiest functions. The series has at most\n"
    "65536 bins: past 45 days of span a bin is 2, 4, ... minutes wide (said in the\n"
    "output) and peak and duty cycle are per bin. A gap between requests of over a\n"
    "day and 90% of the span is warned about. counts, counts-wide and azure2019\n"
    "(without functions, window or scaling) are summed from their counts, without\n"
    "making arrivals: the span runs from the start of the first interval with\n"
    "requests to the end of the last, each count is spread evenly over its interval's\n"
    "minutes, and inter-arrival CV and idle times are not reported (within an\n"
    "interval they come from --within-minute, not from the trace). A trace with no\n"
    "request is an error. convert: any format but azure-llm (tokens) to CSV\n"
    "(time_s,function,duration_s,memory_mb). sort: an unsorted azure2021 or CSV file\n"
    "by time, in bounded memory. synth: one day in the Azure Functions 2019 format\n"
    "with the published statistics, for scale tests.\n"
    "\n"
    "FORMAT is azure2019, azure2021, azure-llm, csv, counts or counts-wide; without\n"
    "--as it is read from the header (azure2019, azure2021 and azure-llm have their\n"
    "own). With a scenario, its workload.trace (format, files, selection, window,\n"
    "scaling) is used as is.\n"
    "\n"
    "Every key of a scenario's workload.trace is an option of the same name, with\n"
    "the same values and checks: duration_unit is --duration-unit 1ms, time_unit\n"
    "--time-unit ms, within_minute --within-minute uniform, and so on for\n"
    "durations, memory, functions (stats, convert, sort), time_scale, rate_scale,\n"
    "window, reorder, skip_bad, columns, header, interval and service.\n"
    "\n"
    "options:\n"
    "  --as FORMAT          the trace format (default: from the header)\n"
    "  --durations FILE     azure2019: the durations file\n"
    "  --memory FILE        azure2019: the memory file\n"
    "  --columns SPEC       csv: time=COL,function=COL,duration=COL,memory=COL\n"
    "                       (or the scenario's {time: COL, ...})\n"
    "  --time-unit U        csv, counts, counts-wide: s, ms, us or iso8601 (default s;\n"
    "                       counts-wide detects ISO 8601)\n"
    "  --duration-unit D    csv: what one unit of the duration column is (default 1s;\n"
    "                       1ms for a column of milliseconds)\n"
    "  --no-header          csv, counts, counts-wide: the first line is data (--header false)\n"
    "  --interval D         counts, counts-wide: one row's interval (counts: default 1m;\n"
    "                       counts-wide: default the spacing of the first two rows)\n"
    "  --skip-bad           skip malformed rows and count them\n"
    "  --top N              stats: how many functions to list (default 10)\n"
    "  --buffer SIZE        sort: memory for sorted runs (default 256MB)\n"
    "  --functions N        synth: functions (default 1000)\n"
    "  --invocations N      synth: invocations over the day (default 1e6)\n"
    "  --timer-share X      synth: share of timer-triggered functions (default 0.3)\n"
    "  --seed N             synth: seed (default 1)\n"
    "  --format F           stats: text (default), json or csv\n"
    "  --out FILE           where to write (convert, sort: a file; synth: a folder for\n"
    "                       invocations.csv, durations.csv, memory.csv; stats: optional)\n"
    "  --force              overwrite an existing --out file\n"
    "  --quiet              no progress line on standard error (stats, convert:\n"
    "                       shown only on a terminal, after 2 s)\n"
    "  --progress           stats, convert: a progress line (share of the file read,\n"
    "                       rows/s, ETA) even when standard error is not a terminal\n"
    "  -h, --help           this text\n"
    "\n"
    "exit status: 0 done, 1 failed, 2 bad usage or a malformed trace.\n";

static const struct trace_subcommand trace_subcommands[] = {
    {"stats", 1, cmd_trace_stats},
    {"convert", 1, cmd_trace_convert},
    {"sort", 1, cmd_trace_sort},
    {"synth", 0, cmd_trace_synth},
};

static const struct trace_subcommand *find_subcommand(const char *name)
{
    for (size_t i = 0; i < sizeof trace_subcommands / sizeof *trace_subcommands; i++)
        if (strcmp(trace_subcommands[i].name, name) == 0)
            return &trace_subcommands[i];
    return NULL;
}

/* `--columns time=ts,function=fn` (the older spelling) as the YAML mapping the
 * scenario key takes; a value already in braces is kept. Written into buf. */
static const char *columns_yaml(const char *text, char *buf, size_t n)
{
    if (text[0] == '{')
        return text;
    size_t len = (size_t)snprintf(buf, n, "{");
    for (const char *p = text; *p && len < n; p++)
        len += (size_t)snprintf(buf + len, n - len, "%s", *p == '=' ? ": " : *p == ',' ? ", " : (char[]){*p, 0});
    if (len < n)
        snprintf(buf + len, n - len, "}");
    return buf;
}

/* The trace key an option names (--duration-unit: duration_unit), or NULL. */
static const char *trace_key_of(const char *opt, char *buf, size_t n)
{
    if (strncmp(opt, "--", 2) != 0)
        return NULL;
    size_t len = strcspn(opt + 2, "=");
    if (len == 0 || len >= n)
        return NULL;
    for (size_t i = 0; i < len; i++)
        buf[i] = opt[2 + i] == '-' ? '_' : opt[2 + i];
    buf[len] = '\0';
    for (const char *const *k = scenario_trace_keys(); *k; k++)
        if (strcmp(*k, buf) == 0 && strcmp(buf, "format") != 0 && strcmp(buf, "path") != 0)
            return *k;
    return NULL;
}
static int is_yaml(const char *path)
{
    size_t n = strlen(path);
    return (n > 5 && strcmp(path + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(path + n - 4, ".yml") == 0);
}

#define MAX_TRACE_OPTIONS 64

static int has_key(const char *const *keys, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(keys[i], key) == 0)
            return 1;
    return 0;
}

/* Trace keys given as options, checked by the scenario's own rules. */
struct trace_options {
    const char *keys[MAX_TRACE_OPTIONS], *values[MAX_TRACE_OPTIONS], *srcs[MAX_TRACE_OPTIONS];
    size_t n;
    const char *as;        /* --as FORMAT, NULL when not given */
    const char *format;    /* --format, "text" when not given */
    char columns_buf[600]; /* --columns in the scenario's spelling */
};

/* argv[2..argc) into a and o. EXIT_OK to go on; otherwise the exit status, with any
 * error reported (after --help, EXIT_OK with *done set). */
static int parse_options(int argc, char **argv, const struct trace_subcommand *sub,
                         struct trace_cmd_args *a, struct trace_options *o, int *done)
{
    const char *v;
    int rc;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        char kb[64];
        const char *key;
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(trace_help, stdout);
            *done = 1;
            return EXIT_OK;
        } else if ((rc = cli_option(argc, argv, &i, "--as", &o->as, "trace")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--out", &a->out_path, "trace")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--format", &o->format, "trace")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--top", &a->top_text, "trace")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--buffer", &a->buffer_text, "trace")) != 0 ||
                   (!sub->reads_trace &&
                    (rc = cli_option(argc, argv, &i, "--functions", &a->fn_text, "trace")) != 0) ||
                   (rc = cli_option(argc, argv, &i, "--invocations", &a->inv_text, "trace")) != 0 ||
                   (rc = cli_option(argc, argv, &i, "--timer-share", &a->timer_text, "trace")) !=
                       0 ||
                   (rc = cli_option(argc, argv, &i, "--seed", &a->seed_text, "trace")) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
        } else if (strcmp(arg, "--no-header") == 0 || strcmp(arg, "--skip-bad") == 0) {
            if (o->n == MAX_TRACE_OPTIONS)
                return cli_usage_error("trace", "too many options");
            o->keys[o->n] = arg[2] == 'n' ? "header" : "skip_bad";
            o->values[o->n] = arg[2] == 'n' ? "false" : "true";
            o->srcs[o->n++] = arg;
        } else if ((key = trace_key_of(arg, kb, sizeof kb)) != NULL) {
            char opt[80];
            snprintf(opt, sizeof opt, "--%.*s", (int)strcspn(arg + 2, "="), arg + 2);
            if ((rc = cli_option(argc, argv, &i, opt, &v, "trace")) <= 0)
                return EXIT_USAGE;
            if (o->n == MAX_TRACE_OPTIONS)
                return cli_usage_error("trace", "too many options");
            if (strcmp(key, "columns") == 0)
                v = columns_yaml(v, o->columns_buf, sizeof o->columns_buf);
            o->keys[o->n] = key;
            o->values[o->n] = v;
            o->srcs[o->n++] = strncmp(argv[i], "--", 2) == 0 ? argv[i] : argv[i - 1];
        } else if (strcmp(arg, "--force") == 0) {
            a->force = 1;
        } else if (cli_progress_option(arg, &a->quiet, &a->show_progress)) {
            continue;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            return cli_usage_error("trace", "unknown option %s", arg);
        } else if (!a->path) {
            a->path = arg;
        } else {
            return cli_usage_error("trace", "one trace at a time; got %s and %s", a->path, arg);
        }
    }
    return EXIT_OK;
}

/* The trace at path read as o says: a scenario's workload.trace (*s then holds the
 * scenario), or the options checked by the scenario's rules into spec. Sets
 * a->spec. EXIT_OK, or an exit status after the error is reported. */
static int resolve_trace(struct trace_cmd_args *a, struct trace_options *o,
                         struct trace_spec *spec, struct scenario **s)
{
    const char *path = a->path, *as = o->as;
    struct slsim_error err;
    a->spec = spec;
    if (is_yaml(path) && !as) {
        if (scenario_load(path, NULL, 0, s, &err) != 0) {
            cli_report_error(&err);
            return EXIT_USAGE;
        }
        if ((*s)->workload.arrival != ARRIVAL_TRACE) {
            fprintf(stderr, "slsim: %s: workload is not a trace (arrival: %s)\n", path,
                    scenario_arrival_name((*s)->workload.arrival));
            return EXIT_USAGE;
        }
        a->spec = &(*s)->workload.trace;
        return EXIT_OK;
    }
    enum trace_format f;
    char names[200];
    if (as && trace_format_parse(as, &f) != 0)
        return cli_usage_error("trace", "--as wants %s; got \"%s\"",
                               trace_format_list(0, "", " or ", names, sizeof names), as);
    if (!as) {
        if (trace_detect_format(path, &f, &err) != 0) {
            cli_report_error(&err);
            return EXIT_USAGE;
        }
        as = trace_format_name(f);
    }
    o->keys[o->n] = "format";
    o->values[o->n] = as;
    o->srcs[o->n++] = "--as";
    if ((trace_format_props(f) & TRACE_FORMAT_COLUMNS) && !has_key(o->keys, o->n, "columns")) {
        /* a csv without --columns: its time is the column named time (or the first) */
        o->keys[o->n] = "columns";
        int no_header = 0;
        for (size_t k = 0; k < o->n; k++)
            if (strcmp(o->keys[k], "header") == 0)
                no_header = strcmp(o->values[k], "false") == 0;
        o->values[o->n] = no_header ? "{time: 1}" : "{time: time}";
        o->srcs[o->n++] = "--columns";
    }
    if (scenario_trace_from_options(path, o->keys, o->values, o->srcs, o->n, spec, &err) != 0) {
        cli_report_error(&err);
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int cmd_trace_inner(int argc, char **argv, struct trace_spec *spec)
{
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fputs(trace_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    const struct trace_subcommand *sub = find_subcommand(argv[1]);
    if (!sub)
        return cli_usage_error("trace", "unknown trace command \"%s\"; use stats, convert, sort "
                                        "or synth",
                               argv[1]);
    struct trace_cmd_args a = {0};
    struct trace_options o = {.format = "text"};
    int done = 0, rc = parse_options(argc, argv, sub, &a, &o, &done);
    if (rc != EXIT_OK || done)
        return rc;
    if (!sub->reads_trace)
        return sub->run(&a);
    if (!a.path)
        return cli_usage_error("trace", "missing the trace file (or a scenario)");
    if (report_format_for(o.format, REPORT_OF_TRACE_STATS, &a.fmt) != 0) {
        char names[128];
        return cli_usage_error("trace", "unknown format \"%s\"; use %s", o.format,
                               report_format_list(REPORT_OF_TRACE_STATS, names, sizeof names));
    }
    struct scenario *s = NULL;
    rc = resolve_trace(&a, &o, spec, &s);
    if (rc == EXIT_OK && cli_check_target(a.out_path, a.force, a.path) != 0)
        rc = EXIT_USAGE;
    if (rc == EXIT_OK)
        rc = sub->run(&a);
    scenario_destroy(s);
    return rc;
}

static int cmd_trace(int argc, char **argv)
{
    struct trace_spec spec;
    trace_spec_default(&spec);
    int rc = cmd_trace_inner(argc, argv, &spec);
    trace_spec_free(&spec);
    return rc;
}

const struct command cmd_trace_entry = {
    "trace", cmd_trace, "look at a trace: stats, convert, sort, synth", trace_help,
};
