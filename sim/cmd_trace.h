/* cmd_trace.h - what the `slsim trace` subcommands share: the options as parsed
 * once by cmd_trace.c, and one table row per subcommand (sim/cmd_trace_NAME.c).
 * Internal to the program.
 *
 * Adding a subcommand is one file with its run function and one row in the table
 * of cmd_trace.c; its options and words go into trace_help there. */
#ifndef SLSIM_CMD_TRACE_H
#define SLSIM_CMD_TRACE_H

#include "slsim/report.h"
#include "slsim/trace.h"

/* The options of one `slsim trace` call, as given (text is checked by the
 * subcommand that takes it). Strings are borrowed from argv; NULL when not given. */
struct trace_cmd_args {
    const char *path;        /* the trace or scenario named (NULL for synth) */
    const char *out_path;    /* --out */
    const char *top_text;    /* --top (stats) */
    const char *buffer_text; /* --buffer (sort) */
    const char *fn_text;     /* --functions N (synth) */
    const char *inv_text;    /* --invocations (synth) */
    const char *timer_text;  /* --timer-share (synth) */
    const char *seed_text;   /* --seed (synth) */
    int force;               /* --force */
    int quiet;               /* --quiet */
    int show_progress;       /* --progress */
    enum report_format fmt;  /* --format, checked: text, json or csv */
    const struct trace_spec *spec; /* the trace to read, from the scenario or the
                                    * options; NULL for a subcommand without one */
};

/* One subcommand: its name after `slsim trace`, whether it reads a trace (then
 * cmd_trace.c resolves args->spec and checks --out before calling it), and run,
 * which returns an exit status after reporting any error. */
struct trace_subcommand {
    const char *name;
    int reads_trace;
    int (*run)(const struct trace_cmd_args *args);
};

int cmd_trace_stats(const struct trace_cmd_args *args);
int cmd_trace_convert(const struct trace_cmd_args *args);
int cmd_trace_sort(const struct trace_cmd_args *args);
int cmd_trace_synth(const struct trace_cmd_args *args);

#endif
