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

#endif
