/* trace_internal.h - what the per-format trace readers implement and share
 * (internal to sim/workload). trace.c turns their raw events into trace_events. */
#ifndef SLSIM_TRACE_INTERNAL_H
#define SLSIM_TRACE_INTERNAL_H

#include <gsl/gsl_rng.h>
#include <stdio.h>

#include "slsim/trace.h"

/* One event as a format reader sees it. */
struct raw_event {
    sim_time t_ns;        /* arrival from the start of the trace, non-decreasing across calls */
    const char *key;      /* function name (e.g. app/func hashes), NUL-terminated; valid until the next call */
    sim_time duration_ns; /* execution time, -1 if the format has none */
    uint32_t memory_mb;   /* memory, 0 if the format has none */
    uint32_t prompt_tokens, output_tokens; /* the request's tokens: set, and read, only
                                            * by a format with TRACE_FORMAT_TOKENS */
    uint32_t id;          /* the format's own number for key, the same for every event of
                           * the function while the reader is open, or RAW_NO_ID where
                           * the format does not number functions: the shared layer then
                           * finds a function by this number, without comparing or
                           * hashing its name for each event. Set to RAW_NO_ID by the
                           * caller before each next(); a format numbering its
                           * functions overwrites it. */
};

#define RAW_NO_ID UINT32_MAX

/* One count of a count format, as trace_counts_each hands it out: `count` (> 0)
 * arrivals of function `fn` (its index, 0-based in the order the file names
 * functions; `key` its name, valid during the call) in [start_ns, start_ns + len_ns)
 * of replay time; `line` is the file's line that holds the count (0: not known);
 * `duration_s` the mean of the durations a replay draws for them, -1 when the trace
 * gives none. 0 to go on, -1 to stop (trace_counts_each then returns -1 and leaves
 * err as the visitor set it). */
struct trace_count {
    sim_time start_ns, len_ns;
    uint32_t fn;
    const char *key;
    uint64_t count, line;
    double duration_s;
};
typedef int (*trace_count_visit)(void *ctx, const struct trace_count *c, struct slsim_error *err);

struct csv_reader;
struct trace_sort_key; /* trace_rows.h */

struct trace_format_ops {
    /* Open spec's files. rng (owned by the caller) drives any randomness the
     * format needs (arrivals within intervals, durations drawn from percentiles).
     * NULL with err set. */
    void *(*open)(const struct trace_spec *spec, gsl_rng *rng, struct slsim_error *err);
    /* Next raw event: 1, 0 at the end, -1 with err (file, line, column, key). */
    int (*next)(void *self, struct raw_event *ev, struct slsim_error *err);
    /* Optional (NULL where a format has none): the next row with requests as one raw
     * event at the start of its interval (duration_ns: the interval's length), *n the
     * requests it stands for, without
     * placing them: the counting pass over the whole trace (no window) then costs
     * the rows, not the arrivals, for a count of billions as for one. The same rows,
     * checks and errors as next. 1, 0 at the end, -1 with err. */
    int (*next_row)(void *self, struct raw_event *ev, uint64_t *n, struct slsim_error *err);
    /* Optional: the caller (the counting pass) reads events' times and functions only,
     * so a format may skip what it draws for their durations, provided those draws
     * come from a stream of their own that nothing else reads (the times and the
     * order of events must not change). */
    void (*times_only)(void *self);
    /* Optional: start over from the first event with rng in place of the stream
     * open() was given, exactly as open(spec, rng) would (the same draws from rng),
     * without reading the files again: the counting pass's reader becomes the
     * replay's. 0, or -1 with err. */
    int (*rewind)(void *self, gsl_rng *rng, struct slsim_error *err);
    double (*progress)(void *self);  /* fraction of the main file read, 0..1 */
    uint64_t (*skipped)(void *self); /* malformed rows skipped (spec->skip_bad) */
    void (*close)(void *self);
    /* Optional (NULL for a format of one row per request): every non-zero count of
     * the file, as trace_counts_each says. Its presence makes the format
     * TRACE_FORMAT_COUNTS. */
    int (*each)(const struct trace_spec *spec, trace_count_visit visit, void *ctx,
                uint64_t *skipped, struct slsim_error *err);
    /* Optional (NULL for a format `trace sort` cannot order): how the sort reads a
     * row's arrival time. sort_begin sets key up from the header (r's current line,
     * NULL for a file without one; path names the file in errors); sort_key gives
     * the current row's time in ns. 0, or -1 with err. Their presence makes the
     * format TRACE_FORMAT_SORTABLE. */
    int (*sort_begin)(const struct trace_spec *spec, const struct csv_reader *r,
                      const char *path, struct trace_sort_key *key, struct slsim_error *err);
    int (*sort_key)(const struct trace_sort_key *key, const struct csv_reader *r, sim_time *t_ns,
                    struct slsim_error *err);
};

struct trace_selection; /* trace_names.h */

/* trace_select_functions, which then hands over the counting pass's open reader in
 * *fmt (close it with the format's close) where the format can rewind, else sets *fmt
 * to NULL. On failure *fmt is NULL. */
int trace_select_keep(const struct trace_spec *spec, uint64_t seed, uint32_t replication,
                      struct trace_selection *sel, void **fmt, struct slsim_error *err);

/* ---- the formats: one row each (trace_formats.c) --------------------------------- */

/* Each format's reader, named by its row (and by the tests of the readers). */
extern const struct trace_format_ops trace_azure2019_ops;
extern const struct trace_format_ops trace_counts_ops;
extern const struct trace_format_ops trace_counts_wide_ops;
extern const struct trace_format_ops trace_azure2021_ops;
extern const struct trace_format_ops trace_llm_ops;
extern const struct trace_format_ops trace_csv_ops;

/* A trace format as the rest of the program knows it. Adding a format is a reader
 * file (its trace_format_ops) and one row in trace_formats.c; nothing else names
 * formats. */
struct trace_format_row {
    const char *name;                   /* as written in scenarios and after --as */
    const struct trace_format_ops *ops; /* its reader */
    const char *const *detect;          /* column names (any order) that tell the format
                                         * from a header, NULL-terminated; NULL: never
                                         * guessed (trace_detect_format) */
    const char *detect_text;            /* its header as messages show it */
    const char *expect[2];              /* what the file starts with, for the message on
                                         * an empty file: [0] with a header, [1] without
                                         * (header: false); [1] NULL: the format always
                                         * has its header */
    const char *side_expect[2];         /* the same for the durations and memory files;
                                         * NULL: the format takes none */
    unsigned props;                     /* TRACE_FORMAT_* bits but those said by ops
                                         * (COUNTS: each; SORTABLE: sort_key) and by
                                         * side_expect (SIDE_FILES) */
};

/* The row of f (a row of csv for a value outside the enum). */
const struct trace_format_row *trace_format_row(enum trace_format f);

/* 1 when spec's file starts with a header line: always for a format without a
 * header option (expect[1] NULL), else spec->header. */
int trace_has_header(const struct trace_spec *spec);

/* The error for a trace with no request to replay, whatever the format, at the
 * scenario's workload.trace (or the file): events read (before the window's end),
 * those in the window, and rows skipped say why. Returns -1. */
int trace_no_requests(const struct trace_spec *spec, uint64_t events, uint64_t in_window,
                      uint64_t skipped, struct slsim_error *err);

/* The format whose row's detect names the header line holds: 0 and *out, or -1 with
 * why[0..n) saying what each detectable format's header holds and how to name the
 * others (--as). */
int trace_detect_header(const char *line, enum trace_format *out, char *why, size_t n);

/* What the first line of a file whose format is read from its header must be, for
 * the message on an empty one, into buf[0..n). Returns buf. */
char *trace_detect_expect(char *buf, size_t n);

/* ---- a streaming CSV line reader shared by the formats -------------------------- */

#define CSV_MAX_FIELDS 2048

/* The longest line, in bytes: a bound on the memory one line takes, whatever the
 * file (/dev/zero, a binary file with no newline). The widest real rows are far
 * below it: an azure2019 invocations row is 1,444 fields of a few bytes, a
 * counts-wide row at most CSV_MAX_FIELDS numbers. */
#define CSV_MAX_LINE (16 << 20)

/* How much of the file a reader reads at once. */
#define CSV_BLOCK (64 << 10)

struct csv_reader {
    FILE *f;
    const char *path;     /* for messages; borrowed */
    char *line;           /* the current line, fields split in place; owned */
    size_t cap;           /* bytes allocated for line */
    uint64_t lineno;      /* 1-based number of the current line */
    long size;            /* file size in bytes, 0 if unknown */
    long pos;             /* bytes consumed */
    char *field[CSV_MAX_FIELDS]; /* fields of the current line */
    size_t col[CSV_MAX_FIELDS];  /* 1-based column where each field starts */
    size_t n;                    /* fields in the current line */
    int ended_without_newline;   /* the last line read had no final newline */
    char *buf;                   /* a block of the file (CSV_BLOCK bytes); owned */
    size_t buf_len, buf_pos;     /* bytes in buf; the first not yet consumed */
    char *head;                  /* the header's names, NUL-separated (csv_keep_header); owned */
    size_t head_n;               /* number of names in head */
};

/* Open path for reading: a regular file or a pipe. 0, or -1 with err at path:1:1
 * (cannot open, a directory, a device). */
int csv_open(struct csv_reader *r, const char *path, struct slsim_error *err);

/* What path (or the open descriptor fd, when fd >= 0) is, for a reader: 1 a
 * regular file, 0 a pipe, -1 anything else or an error, with a reason
 * ("is a directory, not a file") in why[0..n). */
int csv_file_kind(const char *path, int fd, char *why, size_t n);
void csv_close(struct csv_reader *r);

/* Read the next non-empty line and split it on commas (no quoting: the trace
 * formats have none; a field may be quoted with "..." without embedded commas).
 * 1, 0 at the end of the file, -1 with err (file, line, column) on a read error,
 * a NUL byte, a line longer than CSV_MAX_LINE bytes or with more than
 * CSV_MAX_FIELDS fields. Trailing \r is dropped, and a UTF-8 byte-order mark at
 * the start of the file (columns are counted after it). */
int csv_next(struct csv_reader *r, struct slsim_error *err);

/* Keep the current line's fields as the header's names, so that a row's error can
 * name the column it is about (csv_header_name). 0, or -1 with err (out of memory). */
int csv_keep_header(struct csv_reader *r, struct slsim_error *err);

/* The name of column i (0-based) in the kept header, or NULL (no header kept, or
 * fewer columns). */
const char *csv_header_name(const struct csv_reader *r, size_t i);

/* The index of the field named name in the current line (a header), or -1. */
int csv_find(const struct csv_reader *r, const char *name);

/* Parse field i of the current line as a finite double / a non-negative
 * integer. 0, or -1 with err naming file, line, column and what (key) was wanted. */
int csv_double(const struct csv_reader *r, size_t i, const char *what, double *out,
               struct slsim_error *err);
int csv_u64(const struct csv_reader *r, size_t i, const char *what, uint64_t *out,
            struct slsim_error *err);

/* Fraction of the file read. */
double csv_progress(const struct csv_reader *r);

#endif
