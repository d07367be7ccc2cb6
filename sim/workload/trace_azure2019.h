/* trace_azure2019.h - the Azure Functions 2019 reader's state, shared by its two
 * files (internal to sim/workload): trace_azure2019.c reads the invocations file and
 * replays it, trace_azure2019_side.c reads the durations and memory files into the
 * reader's table of functions. */
#ifndef SLSIM_TRACE_AZURE2019_H
#define SLSIM_TRACE_AZURE2019_H

#include <stdio.h>

#include "slsim/dist.h"
#include "trace_counting.h"
#include "trace_names.h"

#define NO_COLUMN UINT32_MAX

/* One function of the trace. */
struct a19_key {
    char *name;           /* "HashApp/HashFunction", owned */
    int has_duration;     /* a durations row was found */
    struct dist duration; /* from its percentiles, seconds */
    uint32_t memory_mb;   /* 0 = no memory row */
    double phase;         /* equidistant: its phase in [0, 1) (trace_within_phase) */
};

/* One row of the invocations file and where replay has got to in it. */
struct a19_row {
    uint32_t key;        /* index into keys (two rows may share a key) */
    uint32_t base;       /* column after the last decoded cell */
    uint32_t next_col;   /* minute column of the next non-zero cell, NO_COLUMN when done */
    uint64_t next_count; /* its count */
    size_t pos, end;     /* the row's cells not yet buffered: spill file bytes [pos, end) */
    size_t start;        /* where its cells start in the spill file (rewind) */
    uint8_t rb[24];      /* buffered cells (a cell pair is at most 12 bytes) */
    uint8_t rb_len, rb_pos;
};

struct a19 {
    enum trace_within within;
    int skip_bad;
    gsl_rng *rng;     /* borrowed: arrivals within minutes */
    gsl_rng *dur_rng; /* owned: durations, seeded from rng, so that arrivals do not
                       * depend on whether there is a durations file */
    uint64_t skipped;
    int times_only;       /* the counting pass: durations not drawn (dur_rng is their own) */

    struct a19_key *keys;
    size_t n_keys, cap_keys;
    struct name_index key_ix;
    struct a19_row *rows;
    size_t n_rows, cap_rows;
    uint32_t *next_col; /* each row's next_col, 4 bytes a row: what a minute's scan reads */
    uint8_t *cells; /* the row being read: varint pairs (column gap, count) */
    size_t cells_len, cells_cap;
    FILE *spill;    /* every row's cells, row after row (an unlinked temporary file) */
    size_t spill_len;
    int spill_error; /* a read of the spill file failed */
    uint32_t *minute; /* minute number of each minute column */
    size_t n_minutes;

    size_t next_minute;        /* the next minute column to turn into arrivals */
    struct within_merge merge; /* the current minute's arrivals */
    sim_time base;             /* its start */
    uint64_t total, emitted;   /* its arrivals */
    char *tmp;           /* "app/function" of a side-file row */
    size_t tmp_cap;
};

/* Outcome of a data row: kept, malformed (err filled; skipped under skip_bad), or a
 * failure that no option excuses (out of memory). ROW_BAD is what slsim_error_set
 * returns, so a malformed row is `return slsim_error_set(...)`. */
enum row_rc { ROW_OK = 0, ROW_BAD = -1, ROW_FATAL = -2 };

/* "app/function" in a->tmp, valid until the next call. NULL when out of memory. */
const char *a19_join_key(struct a19 *a, const char *app, const char *fn);

/* "out of memory" at r's current line: ROW_FATAL. */
enum row_rc a19_nomem(const struct csv_reader *r, struct slsim_error *err);

/* Field i of r's current line as a non-empty identifier (what names it: "HashApp")
 * in *out: ROW_OK, or ROW_BAD with err at the field. */
enum row_rc a19_id_field(const struct csv_reader *r, int i, const char *what, const char **out,
                         struct slsim_error *err);

/* Run a row's outcome through skip_bad (a malformed row is counted and passed over):
 * 0 to go on, -1 to fail. */
int a19_row_outcome(struct a19 *a, enum row_rc rc);

/* Read the durations file at path: each function of a->keys with a row gets its
 * percentiles as a distribution (has_duration). 0, or -1 with err. */
int a19_read_durations(struct a19 *a, const char *path, struct slsim_error *err);

/* Read the memory file at path, per function or per app (by its header): each
 * function of a->keys with a row gets memory_mb. 0, or -1 with err. */
int a19_read_memory(struct a19 *a, const char *path, struct slsim_error *err);

#endif
