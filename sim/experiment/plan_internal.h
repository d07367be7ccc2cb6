/* plan_internal.h - what the files of `slsim plan` share (internal to experiment/). */
#ifndef SLSIM_PLAN_INTERNAL_H
#define SLSIM_PLAN_INTERNAL_H

#include "slsim/plan.h"
#include "slsim/summary.h"

/* 1 when axis a of p applies to deployment d of base (its own key, or a key of the
 * scenario as a whole). */
int plan_axis_applies(const struct plan_spec *p, const struct scenario *base, size_t a,
                      size_t d);

/* A value as a number in its base unit (plain, size, duration, rate); *ok 0 if none. */
double plan_value_number(const char *v, int *ok);

/* 1 when every constraint of p can only get easier with more capacity (a latency, a
 * cold-start or refusal share at most a limit; attainment or throughput at least one):
 * then feasibility is monotone in capacity and bisection may be used. */
int plan_constraints_ease_with_capacity(const struct plan_spec *p);

/* The axis searched by bisection for deployment d: the first that applies to it whose
 * key is a capacity (provisioned, count, reserved: feasibility is monotone in it) and
 * whose values are all numbers; SIZE_MAX when none, when the plan is exhaustive, or when
 * a constraint may get harder with capacity (a budget). */
size_t plan_monotone_axis(const struct plan_spec *p, const struct scenario *base, size_t d);

/* 1 when the plan's objective (a cost) grows with axis a of deployment d, the monotone
 * axis: a fixed dedicated fleet's count. Then the feasibility boundary is the answer
 * along it, and nothing above it is simulated. */
int plan_cost_rises(const struct plan_spec *p, const struct scenario *base, size_t d, size_t a);

/* Simulate deployment d of p's scenario with the overrides of value[] (SIZE_MAX: the
 * axis does not apply) for reps replications (0: the scenario's) on up to jobs threads;
 * f[0..*nf) its summary fields (means, 95% half-widths), *runs increased by the runs.
 * 0; 1 when the configuration is refused (at load time, by sizing, or its run fails:
 * error says why); -1 when out of memory. */
int plan_simulate(const struct plan_spec *p, size_t d, const size_t *value, uint32_t reps,
                  unsigned jobs, struct summary_field *f, size_t *nf, char *error, size_t n_error,
                  size_t *runs);

/* Deployment d of s, every replication, into out (one deployment: out->n_deployments 1),
 * replications on up to jobs threads. 0, or -1 with err. */
int plan_run_one(const struct scenario *s, size_t d, unsigned jobs, struct run_output *out,
                 struct slsim_error *err);

/* Fill e's numbers from f[0..nf) (NULL: the configuration is refused) and judge it. */
void plan_judge(const struct plan_spec *p, struct plan_eval *e, const struct summary_field *f,
                size_t nf);

/* Sort r's evaluations into configuration order (deployment, then values axis by axis),
 * and every index into them that r holds (chosen, the picks, the confirmations') and
 * idx[0..n_idx) with them. 0, or -1 when out of memory (r then unsorted). */
int plan_sort_evals(const struct plan_spec *p, struct plan_result *r, size_t *idx,
                    size_t n_idx);

/* After configuration i of a chain whose cost rises along its monotone axis failed its
 * confirmation: simulate the values above it on that axis not simulated yet (the search
 * stopped at the boundary), adding them to r. 0, or -1 when out of memory. */
int plan_extend(const struct plan_spec *p, const struct scenario *base, struct plan_result *r,
                size_t i);

/* The search: fills r->evals, n_evals, grid_size, search_runs. 0, or -1 with err. */
int plan_search(const struct plan_spec *p, const struct scenario *base, unsigned jobs,
                run_progress_fn progress, void *progress_ctx, struct plan_result *r,
                struct slsim_error *err);

#endif
