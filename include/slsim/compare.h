/* compare.h - a duty-cycle sweep: where serverless stops being the cheaper choice.
 *
 * The scenario's workload becomes an on/off pattern with the same rate while on,
 * and the whole scenario is simulated at each duty cycle of a grid. Between two
 * grid points the cost of two deployments is taken as linear in the duty cycle,
 * so a change of sign of their difference gives a break-even duty cycle. Only the
 * numbers reports need are kept per point (no latency histograms), so a grid of a
 * thousand points costs a few hundred kilobytes. */
#ifndef SLSIM_COMPARE_H
#define SLSIM_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "slsim/deployment.h"
#include "slsim/error.h"
#include "slsim/scenario.h"
#include "slsim/trial.h"

#define COMPARE_MAX_POINTS 10000      /* grid points accepted by compare_parse_grid */
#define COMPARE_GRID_EPS 1e-9         /* a range includes its stop within this */
#define COMPARE_DEFAULT_GRID "0.05:1:0.05"
#define COMPARE_DEFAULT_PERIOD_NS TRIAL_DEFAULT_PERIOD_NS /* when the pattern had none */
#define COMPARE_NONE ((size_t)-1)     /* "no deployment" in an index */

/* Parse a grid of duty cycles: comma-separated items, each a number or a range
 * `start:stop:step` (start, start + step, ... up to stop, stop included within
 * COMPARE_GRID_EPS). Values are rounded to 12 significant digits (0.05 x 3 is 0.15,
 * not 0.15000000000000002), must lie in (0, 1], and come back sorted ascending
 * without duplicates. On success returns 0 and *out (malloc'd, the caller frees)
 * holds *n >= 1 values. On failure returns -1, *out is NULL, *n is 0, and
 * err->message says what is wrong (err->key is "--duty-cycles"). */
int compare_parse_grid(const char *text, double **out, size_t *n, struct slsim_error *err);

/* Where the linear interpolation of a - b between grid points x0 < x1 is zero.
 * Pure. With f = a - b: when f(x0) and f(x1) have opposite signs, or one of them
 * is 0 and the other not, returns 1 and sets *x (exactly x0 or x1 where f is 0
 * there, else x0 + (x1 - x0) f(x0) / (f(x0) - f(x1))) and *cost (a interpolated
 * linearly at *x, which equals b interpolated there). Returns 0 and leaves both
 * alone when f keeps one strict sign, is 0 at both ends, or is NaN. */
int compare_interpolate(double x0, double a0, double b0, double x1, double a1, double b1,
                        double *x, double *cost);

struct compare_crossing {
    double duty_cycle;         /* break-even duty cycle */
    double cost_usd_per_month; /* cost of either curve there (interpolated) */
    int a_cheaper_below;       /* 1: a is the cheaper just below duty_cycle, b above it.
                                  Where a tie ends at duty_cycle (the two cost the same just
                                  below): 1 when b is the cheaper above, a the dearer */
    size_t lo;                 /* index of the grid point at or below duty_cycle */
    size_t hi;                 /* lo + 1 */
};

/* Every break-even of cost curves a[] and b[] over the ascending grid x[0..n): for
 * each interval [x[i], x[i+1]] where compare_interpolate finds one, except a zero at
 * x[i] already reported as the end of interval i - 1. So a sign change inside an
 * interval counts once, a zero at a grid point between opposite signs counts once,
 * and a run of ties counts where it starts and where it ends. Writes at most max
 * crossings to out and returns how many there are (which may exceed max). Pure. */
size_t compare_find_crossings(const double *x, const double *a, const double *b, size_t n,
                              struct compare_crossing *out, size_t max);

/* Pairs whose break-evens compare looks for: serverless (a) against dedicated or
 * hybrid (b), hybrid (a) against dedicated (b). 1 when (a, b) is one. Pure. */
int compare_is_pair(enum deployment_type a, enum deployment_type b);

/* What is kept of one deployment at one grid point: summary fields (summary.h), so
 * the numbers agree with `slsim run` (means over replications when there are
 * several). */
struct compare_cell {
    double cost_usd_per_month;            /* cost_usd.per_month, USD per 730 h */
    double cost_usd_per_million_requests; /* cost_usd.per_million_requests, USD */
    double latency_ms_p50;                /* latency_ms.p50, ms */
    double latency_ms_p95;                /* latency_ms.p95, ms */
    double latency_ms_p99;                /* latency_ms.p99, ms */
    double cold_start_ratio;              /* cold starts / served requests */
    double utilization;                   /* slot utilisation: busy slot-time / slot-time */
    int slo_met;                          /* 1: the objective held (in every replication) */
    double coldstart_mean_s;              /* coldstart.mean_s, s: mean wait of the cold starts */
};

struct compare_point {
    double duty_cycle;          /* active fraction of each period, in (0, 1] */
    struct compare_cell *cells; /* one per deployment, in scenario order; owned */
    size_t cheapest;            /* cheapest deployment meeting the SLO (summary_cheapest's rule:
                                   monthly cost to the cent, then p99, then name), or
                                   COMPARE_NONE */
};

struct compare_deployment {
    char name[SLSIM_NAME_MAX];     /* deployment name */
    enum deployment_type type;        /* serverless, dedicated or hybrid */
    const char *type_name;            /* "serverless", "dedicated", "hybrid" (static) */
    char platform[SLSIM_NAME_MAX]; /* as `slsim run` reports it ("c6i.xlarge", ...) */
    uint32_t count;                   /* dedicated, hybrid: machines (after sizing); 0 otherwise */
    int count_auto;                   /* 1: count was sized for the rate while on */
    double count_auto_peak_rate_per_s; /* count_auto: the peak rate it was sized for (/s) */
    char coldstart_profile[SLSIM_NAME_MAX]; /* coldstart.profile: the platform's, "deployment" or "none" */
    char coldstart_assumed[160];      /* coldstart.assumed: unpublished constants it used, or "none" */
    int slo_never_met;                /* 1: missed the SLO at every duty cycle, so a break-even
                                         against it prices an option that is not one */
};

struct compare_break_even {
    size_t a;                  /* deployment index: serverless, or hybrid against a dedicated b */
    size_t b;                  /* deployment index: dedicated or hybrid */
    double duty_cycle;         /* where their monthly costs meet (interpolated) */
    double cost_usd_per_month; /* the cost there (interpolated), USD per 730 h */
    size_t below;              /* a or b: the cheaper just below duty_cycle, the other the
                                  cheaper above (where a tie ends there: the dearer above) */
    double between[2];         /* the grid points bracketing duty_cycle */
};

struct compare_result {
    double rate_per_s;                      /* arrival rate while on, per s */
    sim_time period_ns;                     /* on/off period */
    size_t n_deployments;                   /* deployments of the scenario */
    struct compare_deployment *deployments; /* owned */
    size_t n_points;                        /* grid points, >= 1 */
    struct compare_point *points;           /* ascending duty cycle; owned */
    size_t n_break_even;                    /* break-evens found, maybe 0 */
    struct compare_break_even *break_even;  /* by pair (a, then b, in scenario order),
                                               then by duty cycle; owned */
};

/* 0 when s has a workload compare can vary (poisson, constant or onoff); -1 with
 * err naming the scenario file and workload.arrival otherwise. */
int compare_check_scenario(const struct scenario *s, struct slsim_error *err);

/* The period compare uses for s: the on/off period, else COMPARE_DEFAULT_PERIOD_NS. */
sim_time compare_period_ns(const struct scenario *s);

/* Size s's `count: auto` fleets once, by sizing_resolve on s always on (its pattern
 * as an on/off one at duty cycle 1, spikes kept): the heaviest point of any sweep.
 * 0, or -1 with err set. */
int compare_size_fleets(struct scenario *s, struct slsim_error *err);

/* Size s's `count: auto` fleets once (compare_size_fleets), then
 * simulate s at each of the n duty cycles (ascending, in (0, 1], n >= 1) on up to
 * jobs threads: every (duty cycle, replication, deployment) is one trial on one
 * pool, the highest duty cycles first. The result does not depend on jobs. s is changed only by
 * sizing. On success returns 0 and *out owns what compare_result_free releases;
 * on failure returns -1 with err (err->file set when the input is at fault: a
 * pattern compare cannot vary, a fleet no size fits; empty for a failed run) and
 * *out holds nothing. */
/* progress (NULL: none) hears point k's run of deployment d in replication rep as slot
 * (k * replications + rep) * n_deployments + d, so a display sized
 * n * n_deployments * replications sees the whole sweep. */
int compare_run_progress(struct scenario *s, const double *duty_cycles, size_t n,
                         unsigned jobs, run_progress_fn progress, void *progress_ctx,
                         struct compare_result *out, struct slsim_error *err);

void compare_result_free(struct compare_result *r);

#endif
