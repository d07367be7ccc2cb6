/* cmd_validate.c - `slsim validate`: check a scenario without running it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "slsim/scenario.h"
#include "slsim/trace.h"

static const char validate_help[] =
    "usage: slsim validate SCENARIO [--set KEY=VALUE]...\n"
    "\n"
    "Load SCENARIO, apply the overrides and check every key, type, unit, range and\n"
    "platform limit, and open its trace files and read their headers, as `run` does\n"
    "before simulating. Prints a one-line summary when it is valid;\n"
    "otherwise the first problem as FILE:LINE:COLUMN: KEY: MESSAGE.\n"
    "\n"
    "exit status: 0 valid, 2 not valid or bad usage.\n";

static int cmd_validate(int argc, char **argv)
{
    const char *path = NULL, *sets[256], *v;
    size_t n_sets = 0;
    int rc, quiet = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            fputs(validate_help, stdout);
            return EXIT_OK;
        } else if ((rc = cli_option(argc, argv, &i, "--set", &v, "validate")) != 0) {
            if (rc < 0)
                return EXIT_USAGE;
            if (n_sets == sizeof sets / sizeof sets[0])
                return cli_usage_error("validate", "too many --set options");
            sets[n_sets++] = v;
        } else if (cli_progress_option(argv[i], &quiet, &quiet)) {
            continue; /* nothing long enough to show progress for */
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            return cli_usage_error("validate", "unknown option %s", argv[i]);
        } else if (!path) {
            path = argv[i];
        } else {
            return cli_usage_error("validate", "one scenario at a time");
        }
    }
    if (!path)
        return cli_usage_error("validate", "missing the scenario file");
    struct slsim_error err;
    struct scenario *s = NULL;
    if (scenario_load(path, sets, n_sets, &s, &err) != 0) {
        cli_report_error(&err);
        return EXIT_USAGE;
    }
    /* run opens its traces before simulating; so does validate, with the same code. */
    if (s->workload.arrival == ARRIVAL_TRACE && trace_check(&s->workload.trace, &err) != 0) {
        cli_report_error(&err);
        scenario_destroy(s);
        return EXIT_USAGE;
    }
    char dur[32];
    units_format_duration(s->duration_ns, dur, sizeof dur);
    printf("%s: valid: scenario %s, %zu deployment%s, %s simulated\n", path, s->name,
           s->n_deployments, s->n_deployments == 1 ? "" : "s", dur);
    scenario_destroy(s);
    return EXIT_OK;
}

const struct command cmd_validate_entry = {
    "validate", cmd_validate, "check a scenario file without running it", validate_help,
};
