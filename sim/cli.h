/* cli.h - what the subcommand files share: the command table entry, option
 * parsing, and the one way errors reach the terminal. Internal to the program. */
#ifndef SLSIM_CLI_H
#define SLSIM_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "slsim/compare.h"
#include "slsim/error.h"
#include "slsim/report.h"
#include "slsim/run.h"

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
extern const struct command cmd_trace_entry;
extern const struct command cmd_sweep_entry;
extern const struct command cmd_plan_entry;
extern const struct command cmd_plot_entry;
extern const struct command cmd_paper_entry;

/* Print "slsim: <formatted error>" on stderr. */
void cli_report_error(const struct slsim_error *err);

/* Print "slsim CMD: message" and a hint to use --help; returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Long options: if argv[*i] is `--name VALUE` or `--name=VALUE`, store VALUE in
 * *value, advance *i past it and return 1; a missing VALUE is a usage error (-1).
 * Returns 0 when argv[*i] is not that option. */
int cli_option(int argc, char **argv, int *i, const char *name, const char **value,
               const char *cmd);

/* Options every simulating command takes: --set (repeatable), --seed, --format,
 * --out, --force, --jobs, --quiet, --progress. */
struct cli_common {
    const char **sets;       /* overrides, in order; --seed is appended last; owned */
    size_t n_sets;
    const char *format;      /* as given, "text" by default */
    const char *out_path;    /* NULL: standard output */
    const char *jobs_text;   /* NULL: one job per CPU */
    const char *seed;        /* NULL: the scenario's */
    int force;               /* overwrite --out */
    int quiet;               /* --quiet: no progress line */
    int progress;            /* --progress: a progress line even off a terminal */
    char seed_set[96];       /* storage for "seed=N" */
    enum report_kind kind;   /* what the command reports: --format must have a writer of
                                it (REPORT_OF_RUN after cli_common_init) */
};

/* Room for argc overrides. 0, or -1 when out of memory. */
int cli_common_init(struct cli_common *c, int argc);
void cli_common_free(struct cli_common *c);

/* If argv[*i] is one of the common options, take it (and its value): 1; a usage
 * error (already reported): -1; not a common option: 0. */
int cli_common_option(struct cli_common *c, int argc, char **argv, int *i, const char *cmd);

/* After the loop: check the format and --jobs, append --seed to the overrides and
 * refuse an --out that exists (without --force) or is the scenario itself. 0, or
 * -1 with the usage error reported. */
int cli_common_finish(struct cli_common *c, const char *cmd, const char *scenario_path,
                      enum report_format *format, unsigned *jobs);

/* An option of one command beyond the common ones: `--name VALUE` stored in *value,
 * or, with value NULL, a flag that appends the override `set` to the --set list at
 * its place among the --set options. */
struct cli_extra {
    const char *name;
    const char **value;
    const char *set;
};

/* The command line of a command that simulates one scenario: -h/--help, the common
 * options, extra[0..n_extra) (tried in that order), and one scenario path, which
 * must be there; then cli_common_finish. c is initialised (cli_common_init) by the
 * caller, who frees it whatever this returns. Returns 0 with *path, *format and
 * *jobs set; 1 after printing help (the caller exits 0); -1 after reporting a usage
 * error (the caller exits 2). */
int cli_parse_scenario_command(int argc, char **argv, const char *cmd, const char *help,
                               const struct cli_extra *extra, size_t n_extra,
                               struct cli_common *c, const char **path,
                               enum report_format *format, unsigned *jobs);

/* Write a report (report_write of run, or report_write_compare of cmp: the one
 * not NULL) in format fmt, with cli_emit. Returns an exit status. */
int cli_emit_report(const char *path, int force, enum report_format fmt,
                    const struct scenario *s, const struct run_output *run,
                    const struct compare_result *cmp);

/* What writer(fp, arg) writes, in memory, NUL-terminated (*len its bytes; len may be
 * NULL); malloc'd, the caller frees. NULL when the writer fails or memory runs out. */
char *cli_format(int (*writer)(FILE *fp, void *arg), void *arg, size_t *len);

/* A report (report_write of run, or report_write_compare of cmp: the one not NULL) in
 * format fmt, as cli_format gives it. */
char *cli_format_report(enum report_format fmt, const struct scenario *s,
                        const struct run_output *run, const struct compare_result *cmp);

/* Format a report with writer(fp, arg) into memory, then write it to standard
 * output or, whole, to path. Returns an exit status. */
int cli_emit(const char *path, int force, int (*writer)(FILE *fp, void *arg), void *arg);

/* 1 when path exists and is neither a plain file nor a folder: a device or a pipe
 * (/dev/null, /dev/stdout), which reports are written to as they are, never renamed
 * over. */
int cli_is_device(const char *path);

/* Refuse before simulating what would be refused after: an output file that exists
 * (unless force), is the scenario itself (scenario_path, NULL when there is none) or a
 * folder, or whose folder is missing or not writable. NULL path: nothing to check. 0, or -1 after saying why on stderr
 * (the caller exits 2). */
int cli_check_target(const char *path, int force, const char *scenario_path);

/* A progress line on standard error for long runs: share done, throughput and
 * ETA. Shown when stderr is a terminal and the run has taken more than 2 s,
 * redrawn in place and cleared at the end; with --progress (force) shown
 * whatever stderr is, from the start, a line every 0.5 s and a last one at 100%;
 * never with --quiet. */
struct cli_progress {
    int enabled;        /* 0: every call is a no-op */
    int forced;         /* --progress: plain lines, no delay */
    const char *what;   /* what the throughput counts ("requests", "rows") */
    size_t n;           /* simulations (or files) reported on */
    double *fraction;   /* per simulation, 0..1 */
    uint64_t *requests; /* per simulation, counted so far */
    double start_s;     /* monotonic time at init */
    double last_s;      /* last time a line was drawn */
    int shown;          /* a line is on the screen */
    void *lock;         /* pthread mutex, owned */
};

/* n slots (simulations), each reporting its own fraction and count; what names
 * the count (NULL: "requests"). */
void cli_progress_init(struct cli_progress *p, size_t n, int quiet, int force, const char *what);
/* Slot's fraction done (0..1) and count so far; thread-safe; a run_progress_fn. */
void cli_progress_report(void *ctx, size_t slot, double fraction, uint64_t requests);
void cli_progress_done(struct cli_progress *p);

/* --quiet (-q) and --progress, which every command accepts: 1 if arg is one of
 * them (and it is recorded), else 0. */
int cli_progress_option(const char *arg, int *quiet, int *progress);

/* The whole of the file at path, NUL-terminated (*len its bytes without the NUL;
 * malloc'd, the caller frees), or NULL with errno set when it cannot be read. */
char *cli_read_file(const char *path, size_t *len);

/* Write the bytes buf[0..n) to path whole: into a temporary file beside it, then
 * renamed over it, so no reader sees half a file and a failure leaves nothing.
 * An existing path is refused unless force. 0, or -1 with err set. */
int cli_write_file(const char *path, const char *buf, size_t n, int force,
                   struct slsim_error *err);

#endif
