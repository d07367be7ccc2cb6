/* sweep.h - `slsim sweep`: the scenario simulated at every point of a grid of
 * overrides.
 *
 * A sweep varies keys that `--set` takes (deployments by name). Each `--vary
 * KEY=VALUES` is an axis: its values are texts given to `--set` as they are. Several
 * axes form a grid, the first axis varying slowest (point k of axes of n_0, n_1, ...
 * values takes value (k / (n_1 n_2 ...)) % n_0 of axis 0, and so on); zipped, point k
 * takes value k of every axis. Every point is the scenario loaded with the command's
 * own overrides and then the point's, so every point uses the scenario's seed (common
 * random numbers across points) unless `seed` is itself an axis.
 *
 * Points and their replications are jobs of the experiment layer's one pool, the
 * largest expected first (sweep_point_weight). A point's scenario is loaded (and its
 * `count: auto` fleets sized) by the first of its jobs to start, and freed when the
 * last one ends, so memory holds the points in flight, never the whole grid. */
#ifndef SLSIM_SWEEP_H
#define SLSIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/error.h"
#include "slsim/run.h"
#include "slsim/scenario.h"

#define SWEEP_MAX_AXES 16         /* --vary options of one sweep */
#define SWEEP_MAX_VALUES 100000   /* values of one axis */
#define SWEEP_MAX_POINTS 1000000  /* points of one sweep (the grid's size) */
#define SWEEP_MAX_VALUE_LEN 1024  /* bytes of one value as text */

/* One --vary: a key and its values, in the order given (after rounding to settings
 * and dropping duplicates: sweep_round_axis). */
struct sweep_axis {
    char key[256];     /* as --set takes it, e.g. "deployments.fn.memory" */
    char **values;     /* n texts, owned */
    size_t n;
    char **given;      /* n texts: what the value was before rounding, or NULL where it was
                          not rounded; owned (NULL when nothing was rounded) */
    size_t n_dropped;  /* values dropped as duplicates after rounding */
};

/* Parse one --vary argument "KEY=VALUES" into axis. VALUES is a comma-separated list
 * whose items are each
 *   - a value, as --set takes it (commas inside [], {} or quotes do not split);
 *   - a range START:STOP:STEP (numbers, or sizes, durations or rates of one kind):
 *     START, START + STEP, ... up to STOP, STOP included when it lands on a step
 *     (within 1e-9 of STEP); STEP > 0 and START <= STOP;
 *   - a log range A..B*N: N >= 2 values from A to B (both > 0, one kind) spaced
 *     evenly in log, ends included: A (B/A)^(i/(N-1));
 * or VALUES is @FILE: one value per line (blank lines and lines starting with '#'
 * skipped), FILE relative to the working directory.
 * Generated values are written in the unit of START (or A) with 12 significant
 * digits for ranges (0.1:0.3:0.1 gives 0.1, 0.2, 0.3) and 6 for log ranges.
 * Duplicates are kept here (sweep_round_axis drops them). On failure returns -1 with
 * err located: file "--vary" (or FILE and its line), line 1, the 1-based column in arg
 * of the item at fault, key the KEY, and what is wrong; axis then holds nothing. */
int sweep_parse_vary(const char *arg, struct sweep_axis *axis, struct slsim_error *err);

void sweep_axis_free(struct sweep_axis *axis);

/* Round each value of axis that is not a setting of its key to the nearest setting,
 * and drop values equal to an earlier one after rounding. Whether a value is a setting
 * is the loader's answer: the scenario at path with sets[0..n_sets) and "KEY=VALUE" is
 * loaded, and only a refused value is rounded: a memory size between a serverless
 * platform's steps (Lambda's 1 MiB; base, the scenario loaded without the axis, names
 * the platform) to the nearest step (halfway: the smaller; outside the platform's
 * range: the end it passed),
 * a non-whole number for a key that takes whole numbers (count, provisioned, reserved,
 * concurrency, max_batch_size, seed, ...) to the nearest whole number; the rounded value
 * is kept if the loader takes it. Any other refused value is left as it is (its points
 * fail with the loader's message). axis->given records what was rounded. 0; or -1 with
 * err when the loader refuses the KEY itself (an unknown key, with its did-you-mean; a
 * deployment of no such name): err is then the loader's, file "--vary", its column
 * that of the key in the --vary argument; or -1 with err "out of memory". */
int sweep_round_axis(const char *path, const char *const *sets, size_t n_sets,
                     const struct scenario *base, struct sweep_axis *axis,
                     struct slsim_error *err);

struct sweep {
    const char *path;               /* scenario file */
    const char *const *sets;        /* the command's --set overrides (--seed and
                                       --replications as sets), applied first; borrowed */
    size_t n_sets;
    const struct sweep_axis *axes;  /* borrowed */
    size_t n_axes;                  /* >= 1 */
    int zip;                        /* 1: point k takes value k of every axis */
    size_t n_points;                /* sweep_count_points */
};

/* Points of axes[0..n) as a grid, or zipped (then every axis must have as many values:
 * else -1 with err naming the first that differs). More than SWEEP_MAX_POINTS: -1. */
int sweep_count_points(const struct sweep_axis *axes, size_t n, int zip, size_t *points,
                       struct slsim_error *err);

/* The index of the value axis a takes at point k. */
size_t sweep_value_index(const struct sweep *sw, size_t k, size_t a);

/* Load point k: the scenario with sw->sets, then "KEY=VALUE" of every axis at k. 0 with
 * *out owned by the caller (scenario_destroy), or -1 with err (the loader's). */
int sweep_load_point(const struct sweep *sw, size_t k, struct scenario **out,
                     struct slsim_error *err);

/* What the pool needs to know of point k before running it, from loading it once
 * (sweep_survey): its weight (what it is expected to cost: the peak arrival rate
 * (sizing_peak_rate; a trace counts as 1/s) x duration x deployments x replications),
 * its replications and deployments, and whether it loads. */
struct sweep_point_info {
    double weight;
    uint32_t replications;
    size_t n_deployments;
    size_t rows;          /* rows the point writes: a deployment each, and a hybrid's tiers */
    int loads;            /* 0: sweep_load_point fails (the point's row is its error) */
};

/* Load point k once and fill *info; a point that does not load gets loads 0, weight 0
 * and its error in *err (not a failure of the survey). */
void sweep_survey(const struct sweep *sw, size_t k, struct sweep_point_info *info,
                  struct slsim_error *err);

/* sweep_survey of every point of sw into info[0..n_points), on up to jobs threads. */
void sweep_survey_all(const struct sweep *sw, struct sweep_point_info *info, unsigned jobs);

/* Called once for each point when it is done, from any thread (several points at
 * once): s is the point's scenario (sized), out its records; or, when the point failed
 * (did not load, sizing found no fleet, a run failed: the error of its lowest failing
 * replication), s and out NULL and err says why. s and out are freed when it returns. */
typedef void (*sweep_point_fn)(void *ctx, size_t k, const struct scenario *s,
                               const struct run_output *out, const struct slsim_error *err);

/* Simulate points[0..n) of sw (indices below sw->n_points) on up to jobs threads: each
 * (point, replication) one job, the deployments of a replication in lockstep on one
 * request stream, jobs of heavier points first (info[i].weight), ties in the order
 * given. info NULL (no survey): one job per point, in the order given, runs all its
 * replications. done hears each point once. progress (NULL: none;
 * used only with info) hears the job of points[i]'s replication r as slot
 * sum_{i' < i} info[i'].replications + r. A failed point does not stop the others.
 * Returns 0, or -1 with err only when the sweep itself could not run (out of memory). */
int sweep_run(const struct sweep *sw, const size_t *points, size_t n,
              const struct sweep_point_info *info, unsigned jobs, run_progress_fn progress,
              void *progress_ctx, sweep_point_fn done, void *ctx, struct slsim_error *err);

/* A hash of what decides a sweep's rows: the scenario file's bytes, the overrides, the
 * axes (keys and values after rounding), zip and the output format: 16 hex digits
 * (FNV-1a, 64 bits) into out[17]. --resume continues a file only under the same
 * hash. 0, or -1 with err (the scenario file cannot be read). */
int sweep_hash(const struct sweep *sw, const char *format, char out[17],
               struct slsim_error *err);

#endif
