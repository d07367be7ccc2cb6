/* dist.h - probability distributions of service and cold-start times.
 *
 * A struct dist is a resolved distribution: its parameters are in the form the
 * sampler needs (for a lognormal, mu and sigma of the underlying normal), so that
 * sampling costs one GSL variate and one multiplication. All times are seconds in
 * the parameters and nanoseconds in samples. */
#ifndef SLSIM_DIST_H
#define SLSIM_DIST_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "slsim/engine.h"
#include "slsim/units.h"

enum dist_kind {
    DIST_CONSTANT,    /* always mean_s */
    DIST_EXPONENTIAL, /* mean mean_s */
    DIST_LOGNORMAL,   /* exp(N(mu, sigma^2)) */
    DIST_GAMMA,       /* shape a, scale b */
    DIST_EMPIRICAL,   /* values (equally likely) or percentile points (piecewise linear inverse CDF) */
    DIST_MIXTURE,     /* one of n parts, part k with probability p[k] - p[k - 1] */
};

struct dist {
    enum dist_kind kind;
    double mean_s; /* mean in seconds (always filled) */
    double a;      /* lognormal: mu; gamma: shape; unused otherwise */
    double b;      /* lognormal: sigma; gamma: scale (s); unused otherwise */
    double *x;     /* empirical: sorted values in seconds, owned */
    double *p;     /* empirical percentile points: cumulative probabilities in [0,1], owned; NULL for plain values;
                      mixture: cumulative weights, the last 1, owned */
    size_t n;      /* empirical: number of values / points; mixture: of parts */
    struct dist *parts; /* mixture: its parts, owned */
};

/* Constructors return 0, or -1 with a reason in why. They never take ownership of
 * their array arguments (they copy). mean_s must be > 0 except for constant, which
 * allows 0. cv must be >= 0 (exponential ignores it: its cv is 1).
 * cv == 0 for lognormal or gamma is rejected: say `constant` instead. */
int dist_constant(struct dist *d, double value_s, char *why, size_t whylen);
int dist_exponential(struct dist *d, double mean_s, char *why, size_t whylen);
int dist_lognormal_mean_cv(struct dist *d, double mean_s, double cv, char *why, size_t whylen);
int dist_lognormal_median_p99(struct dist *d, double median_s, double p99_s, char *why,
                              size_t whylen);
int dist_gamma_mean_cv(struct dist *d, double mean_s, double cv, char *why, size_t whylen);
/* n >= 1 values, each >= 0; sampled uniformly. */
int dist_empirical_values(struct dist *d, const double *values_s, size_t n, char *why,
                          size_t whylen);
/* n >= 2 points (percentile in [0,100], value >= 0), percentiles strictly increasing,
 * values non-decreasing (equal values make a point mass); the first percentile
 * must be 0 and the last 100. Sampled by linear interpolation
 * of the inverse CDF between points. */
int dist_empirical_percentiles(struct dist *d, const double *percentiles,
                               const double *values_s, size_t n, char *why, size_t whylen);

/* n >= 1 parts, taken over (they are d's to free, and the caller's array of them is
 * copied), with weights > 0, relative: part k is drawn with probability weight[k] /
 * the sum. On failure the parts are freed. */
int dist_mixture(struct dist *d, struct dist *parts, const double *weights, size_t n, char *why,
                 size_t whylen);

/* Deep copy of src into dst (dst is overwritten, not freed first). 0 or -1 on ENOMEM. */
int dist_copy(struct dist *dst, const struct dist *src);

/* Release what d owns; d may be reused after a constructor. */
void dist_free(struct dist *d);

/* Samples are clamped to this (about 73 years) so that a clock adding a few of them
 * to a time can never overflow int64_t; a lognormal's tail would otherwise reach
 * infinity now and then over a billion requests. */
#define DIST_SAMPLE_MAX_NS (INT64_MAX / 4)

/* A sample in seconds of a lognormal, gamma or empirical d (dist_sample_ns's
 * out-of-line part). */
double dist_sample_other_s(const struct dist *d, gsl_rng *r);

/* One sample in nanoseconds, rounded to the nearest nanosecond, never negative.
 * Inline, with constant and exponential (the probe's service time, a request's
 * draw on the common path) drawn here and the rest out of line. */
static inline sim_time dist_sample_ns(const struct dist *d, gsl_rng *r)
{
    double s;
    if (d->kind == DIST_EXPONENTIAL)
        s = d->mean_s * rng_exponential1(r);
    else if (d->kind == DIST_CONSTANT)
        s = d->mean_s;
    else
        s = dist_sample_other_s(d, r);
    double ns = s * 1e9;
    if (!(ns > 0)) /* also catches NaN */
        return 0;
    if (ns >= (double)DIST_SAMPLE_MAX_NS)
        return DIST_SAMPLE_MAX_NS;
    return (sim_time)(ns + 0.5); /* ns > 0: rounds half up, like llround, without the call */
}

/* Exact mean and variance in seconds and seconds squared. */
double dist_mean_s(const struct dist *d);
double dist_variance_s2(const struct dist *d);

/* P(X <= x_s), the distribution function at x_s seconds, in closed form (GSL's for
 * the lognormal and gamma; the empirical ones as sampled: a step per value, or the
 * piecewise-linear CDF through the percentile points). */
double dist_cdf(const struct dist *d, double x_s);

/* Name of the kind as written in scenario files ("lognormal"). */
const char *dist_kind_name(enum dist_kind k);

/* The q-quantile of d in seconds (0 < q < 1), by bisection on dist_cdf to double
 * precision: the least x with dist_cdf(d, x) >= q, from above. */
double dist_quantile_s(const struct dist *d, double q);

#endif
