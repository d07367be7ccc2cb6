/* trace.h - replaying request traces: readers, selection, scaling.
 *
 * A trace reader streams a file and yields events (arrival time, function, and
 * duration and memory where the format has them) in time order, holding only live
 * state: per-function rows or an interval's arrivals for count formats, a bounded
 * reordering window for unsorted event formats, never the whole trace. One reader
 * per format (sim/workload/trace_*.c) behind one interface; trace.c adds what every
 * format shares: the function table, selection of functions, a time window, time
 * and rate scaling. */
#ifndef SLSIM_TRACE_H
#define SLSIM_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/error.h"
#include "slsim/units.h"

enum trace_format {
    TRACE_AZURE2019, /* invocations per function per minute (+ durations, memory files) */
    TRACE_AZURE2021, /* app,func,end_timestamp,duration per invocation; unsorted */
    TRACE_AZURE_LLM, /* TIMESTAMP,ContextTokens,GeneratedTokens per request */
    TRACE_CSV,       /* a column mapping: time, optional function, duration, memory */
    TRACE_COUNTS,    /* time and request count per interval */
    TRACE_COUNTS_WIDE, /* a time column and one count column per function, per interval */
};

/* How a count of arrivals within an interval becomes arrival times; every choice
 * keeps the count exactly. */
enum trace_within {
    WITHIN_POISSON,     /* exponential gaps scaled to the interval: as random as a Poisson process */
    WITHIN_UNIFORM,     /* uniform(0,1) gaps scaled to the interval: more regular */
    WITHIN_EQUIDISTANT, /* evenly spaced: the fewest overlaps, hence the fewest cold starts */
};

enum trace_select {
    SELECT_ALL,    /* every function */
    SELECT_TOP,    /* the select_n functions with the most invocations */
    SELECT_SAMPLE, /* select_n functions drawn at random (seeded) */
    SELECT_LIST,   /* the functions named in ids */
};

enum trace_time_unit {
    TIME_SECONDS,      /* epoch or relative seconds, fractions allowed */
    TIME_MILLISECONDS, /* milliseconds */
    TIME_MICROSECONDS, /* microseconds */
    TIME_ISO8601,      /* "YYYY-MM-DD HH:MM:SS[.fffffff]" or with a T; no time zone */
};

#define TRACE_PATH_MAX 4096
#define TRACE_NAME_MAX 64

/* Where a scenario wrote a key: 1-based line and column in trace_spec.origin. */
struct trace_at {
    int line;
    int column;
};

struct trace_spec {
    enum trace_format format;
    char path[TRACE_PATH_MAX];      /* the trace file */
    char durations[TRACE_PATH_MAX]; /* azure2019: durations percentiles file, "" = none */
    char memory[TRACE_PATH_MAX];    /* azure2019: memory file (per app or per function), "" = none */
    enum trace_within within;       /* count formats */
    enum trace_select select;
    uint32_t select_n;              /* SELECT_TOP, SELECT_SAMPLE */
    char **ids;                     /* SELECT_LIST: function names, owned */
    size_t n_ids;
    double time_scale;              /* trace time is multiplied by this (> 0; 1 = as recorded) */
    double duration_scale;          /* a trace's durations are multiplied by this: 1 as
                                       recorded; the scenario sets 1 / model.optimize's
                                       speed-up, as model.service is divided by it */
    double rate_scale;              /* < 1: each event kept with this probability; > 1: replicated */
    sim_time window_start_ns;       /* only events in [start, end) of trace time (before scaling) */
    sim_time window_end_ns;         /* SIM_TIME_FOREVER = to the end */
    sim_time reorder_ns;            /* unsorted formats: how far back an event may come (azure2021) */
    int skip_bad;                   /* 1: skip and count malformed rows instead of failing */
    /* csv */
    char col_time[TRACE_NAME_MAX];     /* column of the time (name, or 1-based number without header) */
    char col_function[TRACE_NAME_MAX]; /* "" = one function */
    char col_duration[TRACE_NAME_MAX]; /* "" = durations from the model */
    char col_memory[TRACE_NAME_MAX];   /* "" = memory from the deployment */
    enum trace_time_unit time_unit;
    double duration_unit_s;            /* seconds per unit of the duration column (csv), e.g. 0.001 */
    int header;                        /* 1: the first line names the columns */
    /* counts */
    sim_time interval_ns;              /* length of one counting interval */
    int interval_given;                /* 1: interval_ns was set; 0: counts-wide takes the
                                        * spacing of its first two rows */
    int service_from_model;            /* 1: ignore the trace's durations, use model.service for all */
    /* The scenario file that named the trace, "" when it came from the command line.
     * Problems with a file as a whole (missing, a directory, empty, no requests)
     * are reported there, at the key that named it, with the trace's own path in
     * the message. */
    char origin[TRACE_PATH_MAX];
    struct trace_at at_trace;     /* workload.trace */
    struct trace_at at_path;      /* workload.trace.path */
    struct trace_at at_durations; /* workload.trace.durations */
    struct trace_at at_memory;    /* workload.trace.memory */
};

/* Defaults: poisson within intervals, all functions, no scaling, whole trace,
 * reorder window 60 s, header 1, seconds, interval 60 s. */
void trace_spec_default(struct trace_spec *t);
void trace_spec_free(struct trace_spec *t);

struct trace_event {
    sim_time t_ns;        /* arrival, from the start of the trace (after window and scaling) */
    uint32_t function;    /* index into the reader's function table */
    sim_time duration_ns; /* execution time from the trace, -1 when the trace has none */
    uint32_t memory_mb;   /* memory from the trace, 0 when it has none */
    uint32_t prompt_tokens; /* prompt tokens from the trace (azure-llm ContextTokens), 0: none */
    uint32_t output_tokens; /* output tokens (azure-llm GeneratedTokens), 0 when it has none */
};

struct trace_reader;

/* Open spec's trace. seed and replication seed the within-interval arrivals,
 * sampling and thinning, so a replay is reproducible. NULL with err set (file,
 * line, column where the problem is). A trace with no request left after the
 * window and the selection is an error, for every format: a replay of nothing
 * would report a fleet billed for an idle run. Whole-file problems (missing, a
 * directory or device, empty) are found before any reader opens it
 * (trace_check_files). */
struct trace_reader *trace_open(const struct trace_spec *spec, uint64_t seed,
                                uint32_t replication, struct slsim_error *err);

/* Open spec's trace as the replay would and close it again: the files open, the
 * header names the columns the format needs and the first event of the window
 * (and of the listed functions) reads. Costs the header and a row or so when the
 * window starts at the trace's start, at most one streaming pass otherwise, never
 * memory for the events (what `validate` checks). 0, or -1 with err set as
 * trace_open sets it, including the error for a trace with no requests. */
int trace_check(const struct trace_spec *spec, struct slsim_error *err);

/* The checks of spec's files as a whole, before a reader opens them: each file
 * (path, and the azure2019 durations and memory files) exists, is a regular
 * file or a pipe (not a directory or a device), and has something besides blank
 * lines. 0, or -1 with err: at the scenario key that named the file (origin) with
 * "FILE:1:1: what is wrong" as the message, or at FILE:1:1 for a trace from the
 * command line. trace_open and trace_check call it; a caller that opens a format
 * reader some other way calls it first. */
int trace_check_files(const struct trace_spec *spec, struct slsim_error *err);

/* The error for a trace with no request, for a caller that counts requests some other
 * way (`trace stats` summing a count format's counts): at the scenario's
 * workload.trace (origin) with "FILE:1:1: no requests: why" as the message, or at
 * FILE:1:1 for a trace from the command line. why says what was found. Returns -1. */
int trace_no_requests_error(const struct trace_spec *spec, const char *why,
                            struct slsim_error *err);

/* The format of the trace at path from its header line: azure2019 (an
 * invocations file), azure2021 or azure-llm, whatever the order of the columns
 * (a UTF-8 byte-order mark before it is skipped). 0 and *out, or -1 with err at
 * path:1:1: the file cannot be read, is a directory or a device, is empty, or
 * the header is none of those (the message names the formats and what the header
 * holds; csv and counts files have headers of any names, so they are never
 * guessed). */
int trace_detect_format(const char *path, enum trace_format *out, struct slsim_error *err);

/* Next event: 1, 0 at the end, -1 with err set (a malformed row without
 * skip_bad, an event outside the reordering window, a read error). */
int trace_next(struct trace_reader *r, struct trace_event *ev, struct slsim_error *err);

/* Functions seen so far (all of them once the trace is read, or after selection). */
uint32_t trace_functions(const struct trace_reader *r);
const char *trace_function_name(const struct trace_reader *r, uint32_t function);

/* Malformed rows skipped (skip_bad), and the fraction of the file read (0..1). */
uint64_t trace_skipped(const struct trace_reader *r);
double trace_progress(const struct trace_reader *r);

void trace_close(struct trace_reader *r);

/* Name of a format as written in scenarios ("azure2019"); and the reverse (-1 if unknown). */
const char *trace_format_name(enum trace_format f);
int trace_format_parse(const char *name, enum trace_format *out);

/* Every format's name, in the order of enum trace_format, then NULL: the values of
 * workload.trace.format (index i is format i). */
const char *const *trace_format_names(void);

/* What a format is and takes, as bits of trace_format_props. */
#define TRACE_FORMAT_COUNTS 1u     /* rows count requests per interval: `trace stats` sums the
                                    * counts (counts, counts-wide, azure2019) */
#define TRACE_FORMAT_COLUMNS 2u    /* its columns are named by workload.trace.columns, time
                                    * required (csv) */
#define TRACE_FORMAT_SIDE_FILES 4u /* takes workload.trace.durations and .memory (azure2019) */
#define TRACE_FORMAT_SORTABLE 8u   /* one row per request, in any order: `trace sort` puts
                                    * it in time order (azure2021, azure-llm, csv) */
#define TRACE_FORMAT_TOKENS 16u    /* each request carries its prompt and output tokens
                                    * (azure-llm): workload.tokens does not apply */

/* The TRACE_FORMAT_* bits of f (0 for a value outside the enum). */
unsigned trace_format_props(enum trace_format f);

/* The names of the formats that have every bit of props (0: all formats), in enum
 * order, joined by ", " and, before the last, by last (" or ", " and "), each
 * behind prefix ("--as " gives "--as csv"; "" for none), into buf[0..n) (cut to
 * fit, NUL-terminated). Returns buf. */
char *trace_format_list(unsigned props, const char *prefix, const char *last, char *buf,
                        size_t n);

#endif
