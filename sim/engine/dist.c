/* dist.c - service-time and cold-start distributions, resolved once, sampled often.
 *
 * Scenario files describe a distribution the way measurements are published (a mean
 * and a coefficient of variation, or a median and a p99, or raw percentiles); the
 * constructors turn that into the parameters GSL's samplers take, so that
 * dist_sample_ns, called once per simulated request, is one test, one variate and
 * one rounding, with no allocation (inline in dist.h for constant and exponential). Mean and variance are exact closed forms, used
 * by reports and by the analytic tests that check the samplers. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/dist.h"
#include "slsim/engine.h"
#include "slsim/text.h"

static int fail(struct dist *d, char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Leaves d as an empty constant so that dist_free on it is harmless. */
static int fail(struct dist *d, char *why, size_t whylen, const char *fmt, ...)
{
    memset(d, 0, sizeof *d);
    va_list ap;
    va_start(ap, fmt);
    text_vfail(why, whylen, fmt, ap);
    va_end(ap);
    return -1;
}

static void init(struct dist *d, enum dist_kind kind, double mean_s)
{
    memset(d, 0, sizeof *d);
    d->kind = kind;
    d->mean_s = mean_s;
}

static int check_mean(struct dist *d, double mean_s, char *why, size_t whylen)
{
    if (!isfinite(mean_s) || mean_s <= 0)
        return fail(d, why, whylen, "the mean must be a positive time; got %g s", mean_s);
    return 0;
}

static int check_cv(struct dist *d, double cv, const char *kind, char *why, size_t whylen)
{
    if (!isfinite(cv) || cv < 0)
        return fail(d, why, whylen, "the cv must be a finite number >= 0; got %g", cv);
    if (cv == 0)
        return fail(d, why, whylen, "a %s with cv 0 is a constant: say `constant` instead",
                    kind);
    return 0;
}

int dist_constant(struct dist *d, double value_s, char *why, size_t whylen)
{
    if (!isfinite(value_s) || value_s < 0)
        return fail(d, why, whylen, "a constant time must be >= 0; got %g s", value_s);
    init(d, DIST_CONSTANT, value_s);
    return 0;
}

int dist_exponential(struct dist *d, double mean_s, char *why, size_t whylen)
{
    if (check_mean(d, mean_s, why, whylen) < 0)
        return -1;
    init(d, DIST_EXPONENTIAL, mean_s);
    return 0;
}

int dist_lognormal_mean_cv(struct dist *d, double mean_s, double cv, char *why,
                           size_t whylen)
{
    if (check_mean(d, mean_s, why, whylen) < 0 || check_cv(d, cv, "lognormal", why, whylen) < 0)
        return -1;
    double sigma2 = log1p(cv * cv);
    init(d, DIST_LOGNORMAL, mean_s);
    d->a = log(mean_s) - sigma2 / 2;
    d->b = sqrt(sigma2);
    return 0;
}

int dist_lognormal_median_p99(struct dist *d, double median_s, double p99_s, char *why,
                              size_t whylen)
{
    if (!isfinite(median_s) || median_s <= 0)
        return fail(d, why, whylen, "the median must be a positive time; got %g s", median_s);
    if (!isfinite(p99_s) || p99_s <= median_s)
        return fail(d, why, whylen, "the p99 (%g s) must be larger than the median (%g s)",
                    p99_s, median_s);
    double sigma = log(p99_s / median_s) / gsl_cdf_ugaussian_Pinv(0.99);
    double mu = log(median_s);
    double mean_s = exp(mu + sigma * sigma / 2);
    if (!isfinite(mean_s))
        return fail(d, why, whylen, "p99 %g s over median %g s is too wide a spread", p99_s,
                    median_s);
    init(d, DIST_LOGNORMAL, mean_s);
    d->a = mu;
    d->b = sigma;
    return 0;
}

int dist_gamma_mean_cv(struct dist *d, double mean_s, double cv, char *why, size_t whylen)
{
    if (check_mean(d, mean_s, why, whylen) < 0 || check_cv(d, cv, "gamma", why, whylen) < 0)
        return -1;
    init(d, DIST_GAMMA, mean_s);
    d->a = 1 / (cv * cv);
    d->b = mean_s * cv * cv;
    return 0;
}

static int compare_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

int dist_empirical_values(struct dist *d, const double *values_s, size_t n, char *why,
                          size_t whylen)
{
    if (n == 0)
        return fail(d, why, whylen, "an empirical distribution needs at least one value");
    for (size_t i = 0; i < n; i++)
        if (!isfinite(values_s[i]) || values_s[i] < 0)
            return fail(d, why, whylen, "value %zu must be a time >= 0; got %g s", i + 1,
                        values_s[i]);
    double *x = malloc(n * sizeof *x);
    if (!x)
        return fail(d, why, whylen, "out of memory for %zu values", n);
    memcpy(x, values_s, n * sizeof *x);
    /* Sorted so that reports and tests can read quantiles straight off the array;
     * sampling by index does not need it. */
    qsort(x, n, sizeof *x, compare_double);
    init(d, DIST_EMPIRICAL, gsl_stats_mean(x, 1, n));
    d->x = x;
    d->n = n;
    return 0;
}

/* Mean and variance of the piecewise-linear inverse CDF through (p[i], x[i]):
 * on each segment X is uniform between its end values, so the moments are exact
 * sums. The variance is summed around the mean rather than as E[X^2] - mean^2,
 * which would cancel catastrophically for a narrow spread of large values. */
static double percentile_mean(const double *p, const double *x, size_t n)
{
    double m = 0;
    for (size_t i = 0; i + 1 < n; i++)
        m += (p[i + 1] - p[i]) * (x[i] + x[i + 1]) / 2;
    return m;
}

static double percentile_variance(const double *p, const double *x, size_t n, double mean)
{
    double v = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double y0 = x[i] - mean, y1 = x[i + 1] - mean;
        v += (p[i + 1] - p[i]) * (y0 * y0 + y0 * y1 + y1 * y1) / 3;
    }
    return v;
}

int dist_empirical_percentiles(struct dist *d, const double *percentiles,
                               const double *values_s, size_t n, char *why, size_t whylen)
{
    if (n < 2)
        return fail(d, why, whylen,
                    "percentile points need at least two points, at 0 and at 100; got %zu", n);
    if (percentiles[0] != 0)
        return fail(d, why, whylen, "the first percentile must be 0; got %g", percentiles[0]);
    if (percentiles[n - 1] != 100)
        return fail(d, why, whylen, "the last percentile must be 100; got %g",
                    percentiles[n - 1]);
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(values_s[i]) || values_s[i] < 0)
            return fail(d, why, whylen, "value %zu must be a time >= 0; got %g s", i + 1,
                        values_s[i]);
        if (i == 0)
            continue;
        if (!(percentiles[i] > percentiles[i - 1]))
            return fail(d, why, whylen,
                        "percentiles must increase; point %zu (%g) follows %g", i + 1,
                        percentiles[i], percentiles[i - 1]);
        /* Equal values are allowed: a flat step is a point mass (a run of requests
         * that all took the timeout, say). */
        if (values_s[i] < values_s[i - 1])
            return fail(d, why, whylen,
                        "values must not decrease; p%g is %g s, below p%g at %g s",
                        percentiles[i], values_s[i], percentiles[i - 1], values_s[i - 1]);
    }
    double *x = malloc(n * sizeof *x);
    double *p = malloc(n * sizeof *p);
    if (!x || !p) {
        free(x);
        free(p);
        return fail(d, why, whylen, "out of memory for %zu percentile points", n);
    }
    memcpy(x, values_s, n * sizeof *x);
    for (size_t i = 0; i < n; i++)
        p[i] = percentiles[i] / 100;
    p[n - 1] = 1; /* exactly, whatever 100/100 rounds to */
    init(d, DIST_EMPIRICAL, percentile_mean(p, x, n));
    d->x = x;
    d->p = p;
    d->n = n;
    return 0;
}

int dist_mixture(struct dist *d, struct dist *parts, const double *weights, size_t n, char *why,
                 size_t whylen)
{
    double sum = 0;
    for (size_t k = 0; k < n; k++)
        sum += weights[k];
    int bad = n == 0;
    for (size_t k = 0; k < n; k++)
        bad |= !(weights[k] > 0);
    memset(d, 0, sizeof *d);
    if (bad || !(sum < INFINITY)) {
        for (size_t k = 0; k < n; k++)
            dist_free(&parts[k]);
        return fail(d, why, whylen, "a mixture needs at least one part, each with a weight "
                                    "above 0");
    }
    struct dist *own = malloc(n * sizeof *own);
    double *p = malloc(n * sizeof *p);
    if (!own || !p) {
        free(own);
        free(p);
        for (size_t k = 0; k < n; k++)
            dist_free(&parts[k]);
        return fail(d, why, whylen, "out of memory");
    }
    double acc = 0, mean = 0;
    for (size_t k = 0; k < n; k++) {
        own[k] = parts[k];
        acc += weights[k];
        p[k] = acc / sum;
        mean += weights[k] / sum * dist_mean_s(&parts[k]);
    }
    p[n - 1] = 1.0; /* the last part takes whatever rounding left */
    init(d, DIST_MIXTURE, mean);
    d->parts = own;
    d->p = p;
    d->n = n;
    return 0;
}

int dist_copy(struct dist *dst, const struct dist *src)
{
    *dst = *src;
    dst->x = NULL;
    dst->p = NULL;
    dst->parts = NULL;
    if (src->x) {
        dst->x = malloc(src->n * sizeof *dst->x);
        if (!dst->x)
            goto nomem;
        memcpy(dst->x, src->x, src->n * sizeof *dst->x);
    }
    if (src->p) {
        dst->p = malloc(src->n * sizeof *dst->p);
        if (!dst->p)
            goto nomem;
        memcpy(dst->p, src->p, src->n * sizeof *dst->p);
    }
    if (src->parts) {
        dst->parts = calloc(src->n, sizeof *dst->parts);
        if (!dst->parts)
            goto nomem;
        for (size_t k = 0; k < src->n; k++)
            if (dist_copy(&dst->parts[k], &src->parts[k]) != 0)
                goto nomem;
    }
    return 0;
nomem:
    free(dst->x);
    free(dst->p);
    for (size_t k = 0; dst->parts && k < src->n; k++)
        dist_free(&dst->parts[k]);
    free(dst->parts);
    memset(dst, 0, sizeof *dst);
    return -1;
}

void dist_free(struct dist *d)
{
    for (size_t k = 0; d->parts && k < d->n; k++)
        dist_free(&d->parts[k]);
    free(d->parts);
    free(d->x);
    free(d->p);
    d->parts = NULL;
    d->x = NULL;
    d->p = NULL;
    d->n = 0;
}

/* The part of mixture d that u in [0, 1) falls in: the first whose cumulative weight
 * is above u. */
static const struct dist *mixture_part(const struct dist *d, double u)
{
    size_t k = 0;
    while (k + 1 < d->n && d->p[k] <= u)
        k++;
    return &d->parts[k];
}

/* Inverse of the piecewise-linear CDF at u in [0,1): find the segment
 * p[lo] <= u < p[lo+1] and interpolate within it. The points increase strictly from
 * p[0] = 0 to p[n-1] = 1, so lo is the count of inner points at or below u: for the
 * few points of a trace's percentiles (Azure 2019 gives 7) that count is a
 * branch-free sum, where a bisection would mispredict a branch per step; longer
 * lists are bisected. Either finds the same segment, so the same value. */
static double percentile_inverse(const struct dist *d, double u)
{
    size_t lo;
    if (d->n <= 16) {
        lo = 0;
        for (size_t i = 1; i + 1 < d->n; i++)
            lo += d->p[i] <= u;
    } else {
        size_t hi = d->n - 1; /* invariant: p[lo] <= u < p[hi] */
        lo = 0;
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (d->p[mid] <= u)
                lo = mid;
            else
                hi = mid;
        }
    }
    size_t hi = lo + 1;
    double t = (u - d->p[lo]) / (d->p[hi] - d->p[lo]);
    return d->x[lo] + t * (d->x[hi] - d->x[lo]);
}

double dist_sample_other_s(const struct dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case DIST_CONSTANT:
        return d->mean_s;
    case DIST_EXPONENTIAL:
        return d->mean_s * rng_exponential1(r);
    case DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, d->a, d->b);
    case DIST_GAMMA:
        return gsl_ran_gamma(r, d->a, d->b);
    case DIST_EMPIRICAL:
        if (d->p)
            return percentile_inverse(d, rng_uniform(r));
        /* u < 1, but u * n can round up to n for very large n. */
        size_t i = (size_t)(rng_uniform(r) * (double)d->n);
        return d->x[i < d->n ? i : d->n - 1];
    case DIST_MIXTURE:
        return dist_sample_other_s(mixture_part(d, rng_uniform(r)), r);
    }
    return 0;
}

double dist_mean_s(const struct dist *d)
{
    return d->mean_s;
}

double dist_variance_s2(const struct dist *d)
{
    switch (d->kind) {
    case DIST_CONSTANT:
        return 0;
    case DIST_EXPONENTIAL:
        return d->mean_s * d->mean_s;
    case DIST_LOGNORMAL: {
        double s2 = d->b * d->b;
        return expm1(s2) * exp(2 * d->a + s2);
    }
    case DIST_GAMMA:
        return d->a * d->b * d->b;
    case DIST_EMPIRICAL:
        if (d->p)
            return percentile_variance(d->p, d->x, d->n, d->mean_s);
        /* Sampling picks each value with probability 1/n: the population variance,
         * not the n-1 sample variance. */
        return gsl_stats_tss_m(d->x, 1, d->n, d->mean_s) / (double)d->n;
    case DIST_MIXTURE: {
        /* E[X^2] over the parts, less the square of the mean */
        double m2 = 0, prev = 0;
        for (size_t k = 0; k < d->n; k++) {
            double w = d->p[k] - prev, mk = d->parts[k].mean_s;
            m2 += w * (dist_variance_s2(&d->parts[k]) + mk * mk);
            prev = d->p[k];
        }
        double v = m2 - d->mean_s * d->mean_s;
        return v > 0 ? v : 0;
    }
    }
    return 0;
}

double dist_cdf(const struct dist *d, double x_s)
{
    if (x_s < 0)
        return 0;
    switch (d->kind) {
    case DIST_CONSTANT:
        return x_s >= d->mean_s ? 1 : 0;
    case DIST_EXPONENTIAL:
        return -expm1(-x_s / d->mean_s);
    case DIST_LOGNORMAL:
        return gsl_cdf_lognormal_P(x_s, d->a, d->b);
    case DIST_GAMMA:
        return gsl_cdf_gamma_P(x_s, d->a, d->b);
    case DIST_EMPIRICAL:
        if (d->p) {
            if (x_s >= d->x[d->n - 1])
                return 1;
            size_t i = 0; /* the last point with x[i] <= x_s, if any */
            while (i + 1 < d->n && d->x[i + 1] <= x_s)
                i++;
            if (x_s < d->x[0])
                return 0;
            return d->p[i] + (d->p[i + 1] - d->p[i]) * (x_s - d->x[i]) / (d->x[i + 1] - d->x[i]);
        } else {
            size_t k = 0; /* values are sorted */
            while (k < d->n && d->x[k] <= x_s)
                k++;
            return (double)k / (double)d->n;
        }
    case DIST_MIXTURE: {
        double c = 0, prev = 0;
        for (size_t k = 0; k < d->n; k++) {
            c += (d->p[k] - prev) * dist_cdf(&d->parts[k], x_s);
            prev = d->p[k];
        }
        return c;
    }
    }
    return 0;
}

const char *dist_kind_name(enum dist_kind k)
{
    switch (k) {
    case DIST_CONSTANT:
        return "constant";
    case DIST_EXPONENTIAL:
        return "exponential";
    case DIST_LOGNORMAL:
        return "lognormal";
    case DIST_GAMMA:
        return "gamma";
    case DIST_EMPIRICAL:
        return "empirical";
    case DIST_MIXTURE:
        return "mixture";
    }
    return "unknown";
}

double dist_quantile_s(const struct dist *d, double q)
{
    double lo = 0, hi = fmax(d->mean_s, 1e-9);
    for (int i = 0; i < 200 && dist_cdf(d, hi) < q; i++)
        hi *= 2;
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        if (dist_cdf(d, mid) < q)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}
