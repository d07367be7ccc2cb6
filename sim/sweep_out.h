/* sweep_out.h - where a sweep's rows go, in point order, and how an interrupted
 * sweep's file is continued. Internal to the program (cmd_sweep.c, sweep_mpi.c). */
#ifndef SLSIM_SWEEP_OUT_H
#define SLSIM_SWEEP_OUT_H

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#include "slsim/report.h"
#include "slsim/sweep.h"

struct cli_progress;

/* Rows of finished points, written in point order as soon as every earlier point is
 * written; a point that finishes early waits in memory for those before it. */
struct sweep_out {
    FILE *fp;                    /* FILE.partial, or standard output */
    enum report_format fmt;
    const struct report_sweep *r;
    size_t next;                 /* the next point to write */
    size_t end;                  /* points below end are written by the end */
    char **pending;              /* [end - first]: a finished point's rows, not yet written */
    size_t *pending_len;
    size_t first;                /* the first point this run writes */
    pthread_mutex_t lock;
    int write_failed;            /* a write to fp failed: the sweep cannot complete */
    size_t n_failed;             /* points that failed */
    char **failed;               /* "point K (KEY=VALUE ...): message", the first
                                    SWEEP_OUT_MAX_LISTED of them, in point order */
    size_t *failed_k;
    struct cli_progress *progress; /* NULL, or told of each point put (slot k - first) */
    FILE *copy;                    /* NULL, or a second stream every row is written to too
                                      (the rows a plot is drawn from, when they go to
                                      standard output) */
};

#define SWEEP_OUT_MAX_LISTED 50

/* Writes points [first, end) to fp. 0, or -1 when out of memory. */
int sweep_out_init(struct sweep_out *w, FILE *fp, enum report_format fmt,
                   const struct report_sweep *r, size_t first, size_t end);
void sweep_out_free(struct sweep_out *w);

/* Point k's rows, formatted (report_sweep_point); error: the point failed with that
 * message (for the list at the end), else NULL. Takes rows (malloc'd). Thread-safe. */
void sweep_out_put(struct sweep_out *w, size_t k, char *rows, size_t len, const char *error);

/* Format point k's rows (from s and out, or its error) into *rows (malloc'd). 0, or -1
 * when out of memory. */
int sweep_out_format(const struct sweep_out *w, size_t k, const struct scenario *s,
                     const struct run_output *out, const struct slsim_error *err, char **rows,
                     size_t *len);

/* The sweep_point_fn that formats point k's rows and puts them into w (ctx): what the
 * local run and MPI's rank 0 hand sweep_run. */
void sweep_out_point_done(void *w, size_t k, const struct scenario *s,
                          const struct run_output *out, const struct slsim_error *err);

/* What a point writes when it fails, as the list at the end shows it. */
void sweep_out_error_text(const struct sweep *sw, size_t k, const struct slsim_error *err,
                          char *buf, size_t n);

/* Check FILE.partial (path) against the head this sweep writes and find where to
 * continue: the points whose rows are all there (rows[k]: the rows point k writes when
 * it succeeds; 1 when it fails), a truncated or incomplete last point dropped. On
 * success the file is cut after the last complete point, *first is the point to go
 * on from, and *fp is open for appending; failed (may be NULL) hears each point kept
 * whose row is an error, with the error as the row holds it. -1 with the reason on stderr (the caller
 * exits 2) when the file is not this sweep's or is damaged before its last point. */
int sweep_out_resume(const char *path, enum report_format fmt, const struct report_sweep *r,
                     const size_t *rows, size_t n_points, size_t *first, FILE **fp,
                     void (*failed)(void *ctx, size_t k, const char *error), void *failed_ctx);

#endif
