/* jobs.h - one pool of threads over numbered, independent jobs (internal to
 * experiment/).
 *
 * A job writes its result into its own slot, so what the jobs produce does not
 * depend on the number of threads or on which thread ran which job. */
#ifndef SLSIM_JOBS_H
#define SLSIM_JOBS_H

#include <stddef.h>

#include "slsim/error.h"

/* One job: fill slot `slot` of whatever ctx holds. 0, or -1 with err set. Called
 * from several threads at once, each with its own slot and err. */
typedef int (*job_fn)(void *ctx, size_t slot, struct slsim_error *err);

/* Run fn for every slot in [0, n) on up to `threads` threads, the calling thread
 * among them (threads 0 counts as 1). Slots are handed out in ascending order, or
 * descending with `descending` (longest jobs first, when the caller knows they sit
 * at the end). Every job runs even after one fails. Where no further thread can be
 * started, the threads there are (at least the calling one) run every job. 0, or -1
 * with err from the failing job of the lowest slot, whatever the thread count. */
int jobs_run(size_t n, unsigned threads, int descending, job_fn fn, void *ctx,
             struct slsim_error *err);

#endif
