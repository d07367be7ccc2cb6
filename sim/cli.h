/* cli.h - what the subcommand files share: the command table entry, option
 * parsing, and the one way errors reach the terminal. Internal to the program. */
#ifndef SLSIM_CLI_H
#define SLSIM_CLI_H

#include <stddef.h>

#include "slsim/error.h"

enum { EXIT_OK = 0, EXIT_RUN = 1, EXIT_USAGE = 2 };

struct command {
    const char *name;                  /* as typed after `slsim` */
    int (*fn)(int argc, char **argv);  /* argv[0] is the command name; returns an exit status */
    const char *summary;               /* one line for `slsim help` */
    const char *help;                  /* the whole `slsim help CMD` text */
};

extern const struct command cmd_run_entry;
extern const struct command cmd_validate_entry;
extern const struct command cmd_catalog_entry;
extern const struct command cmd_compare_entry;

/* Print "slsim: <formatted error>" on stderr. */
void cli_report_error(const struct slsim_error *err);

/* Print "slsim CMD: message" and a hint to use --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Long options: if argv[*i] is `--name VALUE` or `--name=VALUE`, store VALUE in
 * *value, advance *i past it and return 1; a missing VALUE is a usage error (-1).
 * Returns 0 when argv[*i] is not that option. */
int cli_option(int argc, char **argv, int *i, const char *name, const char **value,
               const char *cmd);

/* Write the bytes buf[0..n) to path whole: into a temporary file beside it, then
 * renamed over it, so no reader sees half a file and a failure leaves nothing.
 * An existing path is refused unless force. 0, or -1 with err set. */
int cli_write_file(const char *path, const char *buf, size_t n, int force,
                   struct slsim_error *err);

#endif
