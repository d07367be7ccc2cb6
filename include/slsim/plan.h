/* plan.h - `slsim plan`: the cheapest configuration that meets the SLO.
 *
 * A plan searches the grid of `--over` axes (sweep.h's axes, values rounded to
 * settings) for each candidate deployment: the deployments the axes address, or all
 * of them when no axis names one. A configuration is a candidate deployment and a value
 * of each axis that applies to it (its own keys and the scenario-wide ones), loaded as
 * `--set` overrides and simulated on the scenario's seed, so every configuration sees
 * the same requests. It is feasible when the mean of each constrained metric meets its
 * limit; among the feasible ones the plan minimizes one metric, ties (within p->tie of
 * the least) going to the lower latency_ms.p99, then to fewer resources (lower values,
 * axis by axis). The chosen configuration is confirmed with replications: kept
 * only if the 95% bound on the constrained side of every metric meets its limit, else
 * the next is tried.
 *
 * The search uses the structure where it holds: when every constraint gets easier with
 * capacity (latencies, cold starts, refusals), feasibility is monotone in provisioned
 * capacity, fleet size and reserved caps (keys `provisioned`, `count`, `reserved`), so
 * along the first such axis the feasibility boundary is found by bisection and only the
 * values above it are simulated (cost is not assumed monotone: more provisioned
 * capacity can be cheaper); every other axis is searched whole, and so is a chain where
 * a value is refused at load time. */
#ifndef SLSIM_PLAN_H
#define SLSIM_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/error.h"
#include "slsim/run.h"
#include "slsim/scenario.h"
#include "slsim/sweep.h"
#include "slsim/trial.h"

#define PLAN_MAX_CONSTRAINTS 16
#define PLAN_METRIC_MAX 96
/* Objectives within 0.1% of the least tie by default (--tie): equal up to billing's
 * rounding. A cost flat in theory (a serial model's Lambda memory below one vCPU) is
 * flat in a simulation only within a few tenths of a percent (1 ms billing rounding,
 * cold starts), so `--tie 1%` treats such a plateau as one and lets the tie rule
 * (lower p99, then fewer resources) choose on it. */
#define PLAN_TIE_REL 0.001
#define PLAN_DEFAULT_CONFIRM 5

enum plan_op { PLAN_LE, PLAN_GE, PLAN_LT, PLAN_GT };

/* 1 when v meets "op limit". */
int plan_meets(enum plan_op op, double v, double limit);

/* "<=", ">=", "<", ">". */
const char *plan_op_text(enum plan_op op);

/* 1 for <= and <: the constrained side is the upper one. */
static inline int plan_op_upper(enum plan_op op)
{
    return op == PLAN_LE || op == PLAN_LT;
}

/* One --subject-to: metric op limit, the limit in the metric's unit. */
struct plan_constraint {
    char metric[PLAN_METRIC_MAX]; /* a report field's JSON path, e.g. "latency_ms.p99" */
    enum plan_op op;
    double limit;
    char text[200];               /* as given, for reports */
};

/* Whether path is a numeric report field a plan can use; 0 when it is not. A CSV name
 * (latency_ms_p99) is rewritten in place to its path. */
int plan_metric_known(char *path);

/* "did you mean ...?" for an unknown metric, or "" when nothing is close. */
void plan_metric_hint(const char *path, char *buf, size_t n);

/* The numeric report fields, comma-separated, for "known: ..." messages. */
void plan_metric_names(char *buf, size_t n);

/* Parse "METRIC<=VALUE" (also >=, <, >; blanks allowed). METRIC is a report field's
 * JSON path, or its CSV name (latency_ms_p99). VALUE carries the metric's unit: a
 * duration for a field in ms or s (300ms, 1.5s; a bare number is refused, as
 * everywhere in slsim), a number or a percentage for a share (0.001, 0.1%), a number
 * for a count or USD. 0, or -1 with err (file "--subject-to", the column in text, what
 * is wrong; an unknown metric gets a did-you-mean). */
int plan_parse_constraint(const char *text, struct plan_constraint *out,
                          struct slsim_error *err);

/* What a plan asks. */
struct plan_spec {
    const char *path;                /* scenario file */
    const char *const *sets;         /* the command's overrides, applied first; borrowed */
    size_t n_sets;
    const struct sweep_axis *axes;   /* --over, rounded to settings; borrowed */
    size_t n_axes;
    char minimize[PLAN_METRIC_MAX];  /* the objective's path (default cost_usd.total) */
    const struct plan_constraint *cons; /* borrowed */
    size_t n_cons;
    uint32_t confirm;                /* replications of the confirmation (>= 2) */
    int exhaustive;                  /* 1: simulate every configuration, no bisection */
    double tie;                      /* objectives within this share of the least tie
                                        (PLAN_TIE_REL by default) */
    const size_t *candidates;        /* deployment indexes to consider; borrowed */
    size_t n_candidates;
};

/* One configuration simulated, and what it measured (means over the replications of
 * the search, the scenario's own). */
struct plan_eval {
    size_t deployment;     /* index in the scenario */
    size_t *value;         /* [n_axes]: the value index of each axis; SIZE_MAX where the
                              axis does not apply to this deployment; owned */
    int loads;             /* 0: refused at load time: infeasible, `error` says why */
    char error[600];
    double objective;      /* the minimized metric */
    double p99_ms;         /* latency_ms.p99 */
    double mean_ms;        /* latency_ms.mean */
    double *metric;        /* [n_cons]: each constrained metric; owned */
    int feasible;          /* every constraint met by the mean */
    double violation;      /* sum over unmet constraints of |value - limit| / |limit|;
                              HUGE_VAL for a configuration that does not load (never the
                              closest) */
};

/* What confirmation found for the configuration it ran. */
struct plan_confirmation {
    size_t eval;           /* index into evals */
    int met;               /* 1: every 95% bound met its limit */
    double objective, objective_ci95;
    double p99_ms, p99_ms_ci95;
    double *metric, *metric_ci95; /* [n_cons]; owned */
};

struct plan_result {
    struct plan_eval *evals;   /* every configuration simulated, in configuration order */
    size_t n_evals;
    size_t grid_size;          /* configurations in the whole space */
    size_t simulations;        /* runs of a deployment (a replication each), search and
                                  confirmation */
    size_t search_runs;        /* of which the search */
    char method[400];          /* what the search used, in words */
    struct plan_confirmation *confirmations; /* in the order tried; owned */
    size_t n_confirmations;
    size_t chosen;             /* index into evals, or SIZE_MAX: none confirmed */
    size_t closest;            /* with none feasible: the least violation; else SIZE_MAX */
    size_t cheapest, fastest, balanced; /* Power Tuning's three picks among the feasible
                                           (SIZE_MAX when none): least objective (ties: faster),
                                           least mean latency (ties: cheaper), least
                                           w x objective / max + (1 - w) x mean / max */
};

/* Run the plan on up to jobs threads (progress: NULL, or hears each simulation as it
 * ends: slot 0, the fraction of the grid's configurations done so far). weight is
 * Power Tuning's balancedWeight, in [0, 1]. 0 with *out filled (plan_result_free), or
 * -1 with err when the plan could not run (out of memory). */
int plan_run(const struct plan_spec *p, unsigned jobs, double weight, run_progress_fn progress,
             void *progress_ctx, struct plan_result *out, struct slsim_error *err);

/* The overrides of configuration e ("KEY=VALUE", one per axis that applies), into
 * sets[0..n_axes); returns how many. The texts point into the axes. */
size_t plan_eval_sets(const struct plan_spec *p, const struct plan_eval *e, char **sets,
                      size_t room);

/* 1 when e is on the Pareto front of r's evaluations that load: no other has both an
 * objective and a p99 no worse and one of them better. */
int plan_on_front(const struct plan_result *r, size_t e);

void plan_result_free(struct plan_result *r, size_t n_cons);

#endif
