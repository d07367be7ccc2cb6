/* trace_sort.h - sorting an event trace by arrival time, in bounded memory.
 *
 * The trace readers stream and hold a bounded window, so a file far out of order
 * (an unsorted csv, an azure2021 file that needs a wider reorder window than
 * memory allows) is sorted once, ahead of the runs, by an external merge sort:
 * sorted runs of at most memory_bytes go to temporary files, then a k-way merge
 * writes the output. `slsim trace sort` is built on this. */
#ifndef SLSIM_TRACE_SORT_H
#define SLSIM_TRACE_SORT_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/error.h"
#include "slsim/trace.h"
#include "slsim/units.h"

struct trace_sort_stats {
    uint64_t rows;            /* data rows written */
    uint64_t skipped;         /* malformed rows left out (spec->skip_bad) */
    uint64_t runs;            /* sorted runs written to tmpdir; 0: sorted in memory */
    uint64_t out_of_order;    /* input rows earlier than the row before them; 0: was sorted */
    sim_time max_lateness_ns; /* the most a row came after a later one, in ns: an azure2021
                                 reorder window this wide replays the input unsorted */
};

/* Sort the trace file in by arrival time into out, keeping the header line first.
 *
 * spec says how to read a row: spec->format TRACE_AZURE2021 sorts by start time
 * (end_timestamp - duration), TRACE_CSV by the time column of spec's column mapping
 * (col_time, header, time_unit), TRACE_AZURE_LLM by TIMESTAMP; a format without
 * TRACE_FORMAT_SORTABLE (trace_format_props) is an error. spec->path is not used (in is the input); spec->skip_bad leaves malformed
 * rows out of the output (counted in stats) instead of failing.
 *
 * Rows are copied byte for byte (line ends become \n; empty lines are dropped).
 * The sort is stable: rows with equal times keep their order in the file.
 * At most about memory_bytes of rows are held (at least one row, whatever the
 * budget); the runs go to temporary files in tmpdir (NULL: the directory of out),
 * removed before returning. The merge reads at most 64 runs at a time, holding one
 * row of each. out is written to a temporary file beside it and renamed over out at
 * the end, so out is never partial; it may be in. The output gets in's permissions.
 *
 * Returns 0, or -1 with err (file, line, column for a bad row; the file for an I/O
 * error) and out untouched. stats may be NULL. */
int trace_sort_file(const char *in, const char *out, const struct trace_spec *spec,
                    const char *tmpdir, size_t memory_bytes, struct trace_sort_stats *stats,
                    struct slsim_error *err);

#endif
