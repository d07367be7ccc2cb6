/* run.h - running a scenario: every deployment, every replication.
 *
 * Each (deployment, replication) pair is an independent simulation with its own
 * heap and platform, fed the same request stream for a given replication. Pairs
 * may run on several threads; results land in fixed slots, so the output is the
 * same bytes whatever the thread count. */
#ifndef SLSIM_RUN_H
#define SLSIM_RUN_H

#include "slsim/result.h"
#include "slsim/scenario.h"
#include "slsim/trial.h"

struct run_options {
    sim_time timeline_step_ns; /* > 0: collect a timeline (replication 0) at this step */
    unsigned jobs;             /* threads to use, >= 1 */
    run_progress_fn progress;  /* NULL: no reports */
    void *progress_ctx;        /* passed to progress */
};

struct run_output {
    size_t n_deployments;             /* deployments of the scenario */
    uint32_t replications;            /* runs of each */
    struct trial_record *results;     /* results[rep * n_deployments + d], owned */
    struct trial_record *tiers;       /* tier records: results[k]'s are tiers[results[k].first_tier
                                         ..][0 .. results[k].n_tiers), owned; NULL when none */
    struct trial_timeline *timelines; /* [n_deployments], replication 0's, owned; NULL when no
                                         timeline was asked for */
};

/* Deployment d's record in replication rep: its total (tier 0) or its tier t's. */
const struct trial_record *run_output_part(const struct run_output *out, uint32_t rep, size_t d,
                                           size_t tier);

/* A run_output holding the flattened copies (trial_flatten under slo) of
 * r[rep * n_deployments + d] for replications x n_deployments results, timelines of
 * replication 0 included: how hand-made results reach the report writers. 0, or -1
 * when out of memory (out then holds nothing). */
int run_output_from_results(struct run_output *out, const struct slo_spec *slo,
                            const struct deployment_result *r, size_t n_deployments,
                            uint32_t replications);

/* Simulate deployment d of s for one replication. 0, or -1 with err set. */
int run_deployment(const struct scenario *s, size_t d, uint32_t replication,
                   sim_time timeline_step_ns, struct deployment_result *out,
                   struct slsim_error *err);

/* Simulate deployment d of s for one replication without a timeline, as
 * run_deployment does, but stop as soon as more than miss_limit measured requests
 * have missed the SLO (dropped, or served later than its latency; counted by
 * dedicated fleets, the only platform sizing probes). *cut is then 1 and out is
 * left empty: the run has missed an objective that allows miss_limit misses, whatever
 * the rest would have done. Else *cut is 0 and out is filled as by run_deployment.
 * 0, or -1 with err set. */
int run_deployment_until_misses(const struct scenario *s, size_t d, uint32_t replication,
                                uint64_t miss_limit, int *cut, struct deployment_result *out,
                                struct slsim_error *err);

/* Requests of replication `replication` of s that arrive in the measured period
 * [warmup, duration): the workload alone, no platform (the same for every
 * deployment). UINT64_MAX with err set when the workload cannot be made or read. */
uint64_t run_measured_requests(const struct scenario *s, uint32_t replication,
                               struct slsim_error *err);

/* Simulate everything. On failure returns -1 with err from the first failing pair
 * (in slot order) and out holds nothing. */
int run_scenario(const struct scenario *s, const struct run_options *opt,
                 struct run_output *out, struct slsim_error *err);

void run_output_free(struct run_output *out);

/* Make out ready for s's deployments and replications, every record empty (and a
 * timeline per deployment when timelines is 1), for run_replication to fill. 0, or -1
 * with err (out of memory; out then holds nothing). */
int run_output_init(struct run_output *out, const struct scenario *s, int timelines,
                    struct slsim_error *err);

/* Simulate replication rep of s, all its deployments in lockstep on one request
 * stream, into out (from run_output_init), on the calling thread: what run_scenario
 * puts in those slots. progress (may be NULL) hears every deployment as `slot`. 0, or
 * -1 with err from the lowest deployment that failed (its slots then hold nothing). */
int run_replication(const struct scenario *s, uint32_t rep, struct run_output *out,
                    run_progress_fn progress, void *progress_ctx, size_t slot,
                    struct slsim_error *err);

/* A timeline step giving at most about 2000 rows over the measured period, from
 * 1 s, 10 s, 1 min, 5 min, 15 min, 1 h, 6 h, 1 d. */
sim_time run_default_timeline_step(const struct scenario *s);

#endif
