/* trace_rows.h - one row of the per-event trace formats (azure2021, azure-llm, csv),
 * parsed the same way by their readers and by the external sort (internal to
 * sim/workload).
 *
 * Times are parsed as exact decimals, not through a double: an epoch time in
 * seconds with nine decimals ("1700000000.123456789") has more digits than a double
 * holds, and the readers subtract the first row's time from it. */
#ifndef SLSIM_TRACE_ROWS_H
#define SLSIM_TRACE_ROWS_H

#include "trace_internal.h"

/* The largest |time| or duration a row may carry, in ns (about 126 years, so epoch
 * times of 1844..2096): keeps every difference of two row times inside int64. */
#define TRACE_ROW_MAX_NS 4000000000000000000LL

/* Parse a decimal number s ("12", "-3.25", " 1e3 ") of units worth 10^exp10 ns
 * (9: seconds, 6: ms, 3: us) into ns. Plain decimals are exact, rounded half away
 * from zero at the nanosecond; exponent forms go through a double. Leading and
 * trailing blanks are allowed. 0, or -1 (not a number, or |value| beyond
 * TRACE_ROW_MAX_NS). */
int trace_parse_decimal_ns(const char *s, int exp10, sim_time *out_ns);

/* Parse "YYYY-MM-DD HH:MM:SS[.f...]" (or with a T; up to 9 fractional digits; an
 * optional final Z; no other time zone) into ns since 1970-01-01 00:00:00 of the
 * same (unstated) zone. 0, or -1 with a one-line reason in why[0..whylen). */
int trace_parse_iso8601(const char *s, sim_time *out_ns, char *why, size_t whylen);

/* Field i of r's current line as a string, or NULL with err ("missing field")
 * naming file, line and what was wanted. */
const char *trace_row_field(const struct csv_reader *r, size_t i, const char *what,
                            struct slsim_error *err);

/* If the current line is the file's last and had no newline, add to err's message
 * that the file may be truncated. Returns -1 so callers can `return` it. */
int trace_row_note_truncated(const struct csv_reader *r, struct slsim_error *err);

/* ---- what the readers of one csv file share ------------------------------------ */

/* The part every reader of one csv file (azure2021, azure-llm, csv, counts,
 * counts-wide) has: its file and the rows it skipped; for the sorted per-event
 * formats also the time origin and the first row, read ahead by open (a malformed
 * first row fails open). A reader's struct starts with it, so row_stream_skipped
 * (and row_stream_progress, where the share of the file read is the progress)
 * serve as its ops. */
struct row_stream {
    struct csv_reader csv;
    char path[TRACE_PATH_MAX];
    int skip_bad;       /* spec->skip_bad */
    uint64_t skipped;   /* malformed rows skipped */
    int have_first;     /* origin_ns is set */
    sim_time origin_ns; /* time of the first row: time 0 */
    sim_time last_ns;   /* time of the last row returned */
    uint64_t last_line; /* its line */
    int pending;        /* ev_pending was read by open, not yet returned */
    struct raw_event ev_pending;
};

/* A reader of size bytes (a struct that starts with struct row_stream), zeroed, with
 * spec's path and skip_bad. NULL with err (out of memory). */
void *row_stream_alloc(size_t size, const struct trace_spec *spec, struct slsim_error *err);

/* Open the file and, with header, read its first line: 0, or -1 with err (the file
 * cannot be read; an empty one is "empty file: expected " expect, at 1:1). */
int row_stream_begin(struct row_stream *s, int header, const char *expect,
                     struct slsim_error *err);

/* Parse the current line of ((struct row_stream *)self)->csv into ev: 0, or -1 with
 * err (a malformed row). */
typedef int (*row_parse_fn)(void *self, struct raw_event *ev, struct slsim_error *err);

/* The next row that parses, into ev: 1, 0 at the end, -1 with err. A malformed row
 * fails, or under skip_bad is counted and passed over. */
static inline int row_stream_read(struct row_stream *s, row_parse_fn parse, struct raw_event *ev,
                                  struct slsim_error *err)
{
    for (;;) {
        int rc = csv_next(&s->csv, err);
        if (rc <= 0)
            return rc;
        if (parse(s, ev, err) == 0)
            return 1;
        if (!s->skip_bad)
            return trace_row_note_truncated(&s->csv, err);
        s->skipped++;
    }
}

/* open's last step: read the first row ahead, so that a malformed one fails open; a
 * file without one is trace.c's to report, in the words every format shares. 0, or
 * -1 with err. */
static inline int row_stream_prime(struct row_stream *s, row_parse_fn parse,
                                   struct slsim_error *err)
{
    int rc = row_stream_read(s, parse, &s->ev_pending, err);
    if (rc < 0)
        return -1;
    s->pending = rc == 1;
    return 0;
}

/* The next event: the row read ahead by open, then row_stream_read's. */
static inline int row_stream_next(struct row_stream *s, row_parse_fn parse, struct raw_event *ev,
                                  struct slsim_error *err)
{
    if (s->pending) {
        s->pending = 0;
        *ev = s->ev_pending;
        return 1;
    }
    return row_stream_read(s, parse, ev, err);
}

/* A sorted format's row at time t_ns (as in the file), the current line: it becomes
 * the last row returned, and its replay time (from the first row's) is returned. */
static inline sim_time row_stream_stamp(struct row_stream *s, sim_time t_ns)
{
    if (!s->have_first) {
        s->origin_ns = t_ns;
        s->have_first = 1;
    }
    s->last_ns = t_ns;
    s->last_line = s->csv.lineno;
    return t_ns - s->origin_ns;
}

double row_stream_progress(void *self);  /* ops.progress of a row_stream reader */
uint64_t row_stream_skipped(void *self); /* ops.skipped of a row_stream reader */

/* ---- azure2021: app,func,end_timestamp,duration ----------------------------- */

struct azure2021_columns {
    size_t app, func, end, duration; /* 0-based field indexes */
};

/* Find the four columns in the header (r's current line). 0, or -1 with err
 * listing the columns expected and those found. */
int azure2021_columns_find(const struct csv_reader *r, struct azure2021_columns *c,
                           struct slsim_error *err);

/* Start (end_timestamp - duration) and duration of the current row, both in ns.
 * 0, or -1 with err (file, line, column): missing field, bad number, negative
 * duration, time out of range. */
int azure2021_row_times(const struct csv_reader *r, const struct azure2021_columns *c,
                        sim_time *start_ns, sim_time *duration_ns, struct slsim_error *err);

/* ---- csv: a column mapping --------------------------------------------------- */

#define CSV_COLUMN_NONE ((size_t)-1)

struct csv_columns {
    size_t time;     /* 0-based field index */
    size_t function; /* CSV_COLUMN_NONE: one function */
    size_t duration; /* CSV_COLUMN_NONE: durations from the model */
    size_t memory;   /* CSV_COLUMN_NONE: memory from the deployment */
};

/* Resolve spec's col_* against the header (r's current line when spec->header,
 * r is then the header line) or as 1-based numbers (no header; r may be NULL).
 * With a header a column is looked up by name, then, if no name matches, read as
 * a number. 0, or -1 with err: time column missing, an unknown name (the message
 * lists the header's names), a bad number. path names the file in errors. */
int csv_columns_resolve(const struct csv_reader *r, const char *path,
                        const struct trace_spec *spec, struct csv_columns *c,
                        struct slsim_error *err);

/* Time of the current row in ns in spec->time_unit (absolute: epoch or whatever
 * origin the file uses). 0, or -1 with err (file, line, column). */
int csv_row_time(const struct csv_reader *r, const struct csv_columns *c,
                 enum trace_time_unit unit, sim_time *t_ns, struct slsim_error *err);

/* ---- the sort's key -------------------------------------------------------------- */

/* Where a sortable format's row keeps its arrival time (trace_format_ops.sort_begin):
 * the azure2021 columns, or a csv column mapping and its time unit. */
struct trace_sort_key {
    struct azure2021_columns az; /* azure2021 */
    struct csv_columns cols;     /* csv, azure-llm */
    enum trace_time_unit unit;   /* of cols.time */
};

/* sort_key of the formats whose time is a column of a mapping (csv, azure-llm). */
int csv_sort_key(const struct trace_sort_key *key, const struct csv_reader *r, sim_time *t_ns,
                 struct slsim_error *err);

#endif
