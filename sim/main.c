/* main.c - the slsim command line: one table of subcommands.
 *
 * Adding a command is one file (sim/cmd_NAME.c with its options and help text)
 * and one line in the table below. Only this program decides exit statuses:
 * 0 success, 1 a run failed, 2 bad usage or bad input. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct command *const commands[] = {
    &cmd_run_entry,
    &cmd_validate_entry,
    &cmd_compare_entry,
    &cmd_sweep_entry,
    &cmd_plan_entry,
    &cmd_plot_entry,
    &cmd_paper_entry,
    &cmd_catalog_entry,
    &cmd_trace_entry,
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

static void print_overview(FILE *fp)
{
    fputs("usage: slsim COMMAND [options]\n"
          "\n"
          "slsim simulates serving a machine-learning model on serverless platforms,\n"
          "dedicated fleets or a mix, and reports cost, latency percentiles, cold starts\n"
          "and utilisation side by side.\n"
          "\n"
          "commands:\n",
          fp);
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(fp, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fputs("  help       show help for a command: slsim help COMMAND\n"
          "\n"
          "options:\n"
          "  --version  print the version\n"
          "  --help     this text\n"
          "\n"
          "Start with:  slsim run scenarios/quickstart.yaml\n",
          fp);
}

static int cmd_help(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stdout);
        return EXIT_OK;
    }
    const struct command *c = find_command(argv[1]);
    if (!c) {
        fprintf(stderr, "slsim help: no command \"%s\"\n", argv[1]);
        print_overview(stderr);
        return EXIT_USAGE;
    }
    fputs(c->help, stdout);
    return EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_overview(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
#ifdef SLSIM_HAVE_MPI
        printf("slsim %s (with MPI: mpirun -np N slsim sweep ...)\n", SLSIM_VERSION);
#else
        printf("slsim %s (without MPI)\n", SLSIM_VERSION);
#endif
        return EXIT_OK;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_overview(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "help") == 0)
        return cmd_help(argc - 1, argv + 1);
    const struct command *c = find_command(name);
    if (!c) {
        fprintf(stderr, "slsim: unknown command \"%s\"\n\n", name);
        print_overview(stderr);
        return EXIT_USAGE;
    }
    return c->fn(argc - 1, argv + 1);
}
