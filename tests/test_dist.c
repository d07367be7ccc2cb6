/* test_dist.c - service-time distributions: parameters, exact moments, samplers.
 *
 * Each kind is checked twice: dist_mean_s / dist_variance_s2 against closed forms
 * written out here independently of dist.c, and a million samples from a seeded
 * taus2 generator against those moments (mean within 1%, variance within 3%;
 * with a fixed seed the outcome is deterministic, and the tolerances are several
 * standard errors wide). */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/dist.h"

#define N_SAMPLES 1000000
#define SEED 20240611UL

struct sampled {
    int64_t *ns; /* sorted samples */
    size_t n;
    double mean_s;
    double var_s2; /* population variance of the samples */
};

static struct sampled sample(const struct dist *d, size_t n, unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    cr_assert_not_null(r);
    gsl_rng_set(r, seed);
    struct sampled s = {malloc(n * sizeof(int64_t)), n, 0, 0};
    cr_assert_not_null(s.ns);
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        s.ns[i] = dist_sample_ns(d, r);
        sum += (double)s.ns[i] / 1e9;
    }
    gsl_rng_free(r);
    s.mean_s = sum / (double)n;
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        double dev = (double)s.ns[i] / 1e9 - s.mean_s;
        ss += dev * dev;
    }
    s.var_s2 = ss / (double)n;
    return s;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void sort_samples(struct sampled *s)
{
    qsort(s->ns, s->n, sizeof *s->ns, cmp_i64);
}

/* Nearest-rank q-quantile of sorted samples, in seconds. */
static double sample_quantile_s(const struct sampled *s, double q)
{
    size_t rank = (size_t)ceil(q * (double)s->n);
    if (rank < 1)
        rank = 1;
    return (double)s->ns[rank - 1] / 1e9;
}

static double rel_err(double got, double want)
{
    return fabs(got - want) / fabs(want);
}

/* The two checks every kind gets: exact moments equal the closed forms, and the
 * samples agree with the exact moments. */
static void check_moments(const struct dist *d, double want_mean, double want_var)
{
    cr_assert(rel_err(dist_mean_s(d), want_mean) < 1e-12, "dist_mean_s %.17g, closed form %.17g",
              dist_mean_s(d), want_mean);
    cr_assert(rel_err(dist_variance_s2(d), want_var) < 1e-9,
              "dist_variance_s2 %.17g, closed form %.17g", dist_variance_s2(d), want_var);
    struct sampled s = sample(d, N_SAMPLES, SEED);
    cr_assert(rel_err(s.mean_s, want_mean) < 0.01, "sample mean %.6g, exact %.6g", s.mean_s,
              want_mean);
    cr_assert(rel_err(s.var_s2, want_var) < 0.03, "sample variance %.6g, exact %.6g", s.var_s2,
              want_var);
    free(s.ns);
}

#define Z99 2.3263478740408408 /* standard normal 99th percentile, from tables */

Test(dist_constant, always_the_value_rounded_to_nearest_ns)
{
    struct dist d;
    char why[200] = "";
    cr_assert_eq(dist_constant(&d, 0.1234567896, why, sizeof why), 0, "%s", why);
    cr_assert_eq(d.kind, DIST_CONSTANT);
    cr_assert_eq(dist_mean_s(&d), 0.1234567896);
    cr_assert_eq(dist_variance_s2(&d), 0);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(dist_sample_ns(&d, r), 123456790); /* truncation would give ...789 */
    cr_assert_eq(dist_constant(&d, 0, why, sizeof why), 0, "zero is a valid constant: %s", why);
    cr_assert_eq(dist_sample_ns(&d, r), 0);
    gsl_rng_free(r);
    dist_free(&d);
}

Test(dist_exponential, moments_match_closed_form_and_samples)
{
    struct dist d;
    char why[200] = "";
    cr_assert_eq(dist_exponential(&d, 0.2, why, sizeof why), 0, "%s", why);
    check_moments(&d, 0.2, 0.2 * 0.2);
    dist_free(&d);
}

Test(dist_lognormal, mean_cv_moments_match_closed_form_and_samples)
{
    struct dist d;
    char why[200] = "";
    cr_assert_eq(dist_lognormal_mean_cv(&d, 0.12, 0.5, why, sizeof why), 0, "%s", why);
    /* variance = (cv * mean)^2 by definition of the cv */
    check_moments(&d, 0.12, 0.06 * 0.06);
    /* and the underlying normal's parameters as the header documents them */
    double sigma2 = log(1 + 0.25);
    cr_assert(fabs(d.b - sqrt(sigma2)) < 1e-12, "sigma %.17g", d.b);
    cr_assert(fabs(d.a - (log(0.12) - sigma2 / 2)) < 1e-12, "mu %.17g", d.a);
    dist_free(&d);
}

Test(dist_lognormal, median_p99_hits_both_percentiles_and_its_moments)
{
    struct dist d;
    char why[200] = "";
    const double median = 0.1, p99 = 0.5;
    cr_assert_eq(dist_lognormal_median_p99(&d, median, p99, why, sizeof why), 0, "%s", why);
    double sigma = log(p99 / median) / Z99;
    double s2 = sigma * sigma;
    double mean = median * exp(s2 / 2);
    double var = (exp(s2) - 1) * median * median * exp(s2);
    check_moments(&d, mean, var);

    struct sampled s = sample(&d, N_SAMPLES, SEED + 1);
    sort_samples(&s);
    double got_median = sample_quantile_s(&s, 0.5), got_p99 = sample_quantile_s(&s, 0.99);
    cr_assert(rel_err(got_median, median) < 0.02, "sample median %.6g, want %.6g", got_median,
              median);
    cr_assert(rel_err(got_p99, p99) < 0.02, "sample p99 %.6g, want %.6g", got_p99, p99);
    free(s.ns);
    dist_free(&d);
}

Test(dist_gamma, mean_cv_moments_match_closed_form_and_samples)
{
    struct dist d;
    char why[200] = "";
    cr_assert_eq(dist_gamma_mean_cv(&d, 0.3, 0.8, why, sizeof why), 0, "%s", why);
    check_moments(&d, 0.3, 0.24 * 0.24);
    cr_assert(fabs(d.a - 1 / 0.64) < 1e-12, "shape %.17g", d.a);
    cr_assert(fabs(d.b - 0.3 * 0.64) < 1e-12, "scale %.17g", d.b);
    dist_free(&d);
}

Test(dist_gamma, shape_below_one_when_cv_above_one)
{
    struct dist d;
    char why[200] = "";
    cr_assert_eq(dist_gamma_mean_cv(&d, 0.05, 2, why, sizeof why), 0, "%s", why);
    check_moments(&d, 0.05, 0.1 * 0.1);
    dist_free(&d);
}

Test(dist_empirical, values_are_copied_sorted_and_equally_likely)
{
    const double v[] = {0.4, 0.02, 0.01, 0.05, 0.02};
    const size_t n = sizeof v / sizeof v[0];
    double input[5];
    memcpy(input, v, sizeof v);
    struct dist d;
    char why[200] = "";
    cr_assert_eq(dist_empirical_values(&d, input, n, why, sizeof why), 0, "%s", why);
    cr_assert_eq(memcmp(input, v, sizeof v), 0, "the caller's array was changed");
    cr_assert_neq(d.x, input, "the values were not copied");
    cr_assert_null(d.p);
    cr_assert_eq(d.n, n);
    for (size_t i = 1; i < n; i++)
        cr_assert_leq(d.x[i - 1], d.x[i], "values not sorted at %zu", i);

    double mean = (0.4 + 0.02 + 0.01 + 0.05 + 0.02) / 5;
    double sq = (0.4 * 0.4 + 0.02 * 0.02 + 0.01 * 0.01 + 0.05 * 0.05 + 0.02 * 0.02) / 5;
    check_moments(&d, mean, sq - mean * mean);

    struct sampled s = sample(&d, N_SAMPLES, SEED + 2);
    size_t twenty_ms = 0;
    for (size_t i = 0; i < s.n; i++) {
        cr_assert(s.ns[i] == 10000000 || s.ns[i] == 20000000 || s.ns[i] == 50000000 ||
                      s.ns[i] == 400000000,
                  "sample %lld ns is not one of the values", (long long)s.ns[i]);
        twenty_ms += s.ns[i] == 20000000;
    }
    double f = (double)twenty_ms / (double)s.n;
    cr_assert(fabs(f - 0.4) < 0.004, "20ms drawn %.4f of the time, want 0.4", f);
    free(s.ns);
    dist_free(&d);
}

Test(dist_empirical, single_value_is_a_constant)
{
    const double v[] = {0.25};
    struct dist d;
    char why[200] = "";
    cr_assert_eq(dist_empirical_values(&d, v, 1, why, sizeof why), 0, "%s", why);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(dist_sample_ns(&d, r), 250000000);
    gsl_rng_free(r);
    cr_assert_eq(dist_variance_s2(&d), 0);
    dist_free(&d);
}

/* Inverse CDF through the points, written out here from the definition. */
static double interpolate(const double *pct, const double *x, size_t n, double q)
{
    for (size_t i = 0; i + 1 < n; i++)
        if (q * 100 <= pct[i + 1])
            return x[i] + (q * 100 - pct[i]) / (pct[i + 1] - pct[i]) * (x[i + 1] - x[i]);
    return x[n - 1];
}

Test(dist_empirical, percentile_points_moments_and_sample_quantiles)
{
    const double pct[] = {0, 50, 90, 99, 100};
    const double x[] = {0.01, 0.05, 0.1, 0.5, 1.0};
    struct dist d;
    char why[200] = "";
    cr_assert_eq(dist_empirical_percentiles(&d, pct, x, 5, why, sizeof why), 0, "%s", why);
    cr_assert_not_null(d.p);
    /* Segment by segment: uniform between its ends, so E[X] = sum w (x0+x1)/2 and
     * E[X^2] = sum w (x0^2 + x0 x1 + x1^2)/3; worked out by hand. */
    double mean = 0.5 * 0.03 + 0.4 * 0.075 + 0.09 * 0.3 + 0.01 * 0.75; /* 0.0795 */
    double ex2 = (0.5 * 0.0031 + 0.4 * 0.0175 + 0.09 * 0.31 + 0.01 * 1.75) / 3;
    cr_assert(fabs(mean - 0.0795) < 1e-15);
    check_moments(&d, mean, ex2 - mean * mean);

    struct sampled s = sample(&d, N_SAMPLES, SEED + 3);
    sort_samples(&s);
    const double qs[] = {0.01, 0.25, 0.5, 0.7, 0.9, 0.95, 0.99, 0.995};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        double want = interpolate(pct, x, 5, qs[i]), got = sample_quantile_s(&s, qs[i]);
        cr_assert(rel_err(got, want) < 0.015, "q=%g: sample %.6g, interpolated %.6g", qs[i], got,
                  want);
    }
    cr_assert_geq(s.ns[0], 10000000, "sample below the 0th percentile value");
    cr_assert_leq(s.ns[s.n - 1], 1000000000, "sample above the 100th percentile value");
    free(s.ns);
    dist_free(&d);
}

Test(dist_empirical, equal_values_make_a_point_mass)
{
    const double pct[] = {0, 50, 100};
    const double x[] = {0.1, 0.1, 0.2};
    struct dist d;
    char why[200] = "";
    cr_assert_eq(dist_empirical_percentiles(&d, pct, x, 3, why, sizeof why), 0,
                 "equal values rejected: %s", why);
    double mean = 0.5 * 0.1 + 0.5 * 0.15;
    double ex2 = 0.5 * 0.01 + 0.5 * (0.01 + 0.02 + 0.04) / 3;
    check_moments(&d, mean, ex2 - mean * mean);
    struct sampled s = sample(&d, 100000, SEED + 4);
    size_t at = 0;
    for (size_t i = 0; i < s.n; i++)
        at += s.ns[i] == 100000000;
    cr_assert(fabs((double)at / (double)s.n - 0.5) < 0.01, "%zu of %zu samples at 100ms", at,
              s.n);
    free(s.ns);
    dist_free(&d);
}

Test(dist_sample, huge_samples_clamp_to_a_quarter_of_int64)
{
    struct dist d;
    char why[200] = "";
    /* median a billion seconds: a good share of samples would overflow int64 ns */
    cr_assert_eq(dist_lognormal_median_p99(&d, 1e9, 1e12, why, sizeof why), 0, "%s", why);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    int clamped = 0;
    for (int i = 0; i < 10000; i++) {
        sim_time t = dist_sample_ns(&d, r);
        cr_assert_geq(t, 0);
        cr_assert_leq(t, INT64_MAX / 4);
        clamped += t == INT64_MAX / 4;
    }
    cr_assert_gt(clamped, 0, "no sample reached the clamp");
    gsl_rng_free(r);
    dist_free(&d);
}

Test(dist_sample, same_seed_same_stream)
{
    struct dist d;
    char why[200] = "";
    cr_assert_eq(dist_gamma_mean_cv(&d, 0.1, 1.5, why, sizeof why), 0, "%s", why);
    struct sampled a = sample(&d, 1000, 7), b = sample(&d, 1000, 7), c = sample(&d, 1000, 8);
    cr_assert_eq(memcmp(a.ns, b.ns, 1000 * sizeof *a.ns), 0);
    cr_assert_neq(memcmp(a.ns, c.ns, 1000 * sizeof *a.ns), 0);
    free(a.ns);
    free(b.ns);
    free(c.ns);
    dist_free(&d);
}

Test(dist_copy, deep_copy_outlives_the_original)
{
    const double pct[] = {0, 90, 100};
    const double x[] = {0.01, 0.02, 0.3};
    struct dist d, c;
    char why[200] = "";
    cr_assert_eq(dist_empirical_percentiles(&d, pct, x, 3, why, sizeof why), 0, "%s", why);
    struct sampled before = sample(&d, 1000, 9);
    cr_assert_eq(dist_copy(&c, &d), 0);
    cr_assert_neq(c.x, d.x);
    cr_assert_neq(c.p, d.p);
    double mean = dist_mean_s(&d), var = dist_variance_s2(&d);
    dist_free(&d);
    struct sampled after = sample(&c, 1000, 9);
    cr_assert_eq(memcmp(before.ns, after.ns, 1000 * sizeof *before.ns), 0,
                 "the copy samples differently");
    cr_assert_eq(dist_mean_s(&c), mean);
    cr_assert_eq(dist_variance_s2(&c), var);
    free(before.ns);
    free(after.ns);
    dist_free(&c);
}

static void rejected(int rc, const char *why, const char *what)
{
    cr_assert_eq(rc, -1, "accepted %s", what);
    cr_assert_gt(strlen(why), 0, "no reason given for rejecting %s", what);
}

#define REJECT(call, what)                                                                     \
    do {                                                                                       \
        struct dist d_;                                                                        \
        char why_[200] = "";                                                                   \
        rejected(call, why_, what);                                                            \
        dist_free(&d_);                                                                        \
    } while (0)

Test(dist_constructors, reject_bad_means_and_cvs)
{
    REJECT(dist_constant(&d_, -1, why_, sizeof why_), "a negative constant");
    REJECT(dist_constant(&d_, NAN, why_, sizeof why_), "a NaN constant");
    REJECT(dist_exponential(&d_, -0.1, why_, sizeof why_), "a negative exponential mean");
    REJECT(dist_exponential(&d_, 0, why_, sizeof why_), "a zero exponential mean");
    REJECT(dist_exponential(&d_, INFINITY, why_, sizeof why_), "an infinite mean");
    REJECT(dist_lognormal_mean_cv(&d_, -0.12, 0.5, why_, sizeof why_), "a negative lognormal mean");
    REJECT(dist_lognormal_mean_cv(&d_, 0.12, 0, why_, sizeof why_), "a lognormal with cv 0");
    REJECT(dist_lognormal_mean_cv(&d_, 0.12, -0.5, why_, sizeof why_), "a negative cv");
    REJECT(dist_lognormal_mean_cv(&d_, 0.12, NAN, why_, sizeof why_), "a NaN cv");
    REJECT(dist_gamma_mean_cv(&d_, -1, 0.5, why_, sizeof why_), "a negative gamma mean");
    REJECT(dist_gamma_mean_cv(&d_, 1, 0, why_, sizeof why_), "a gamma with cv 0");
}

Test(dist_constructors, reject_p99_not_above_median)
{
    REJECT(dist_lognormal_median_p99(&d_, 0.1, 0.1, why_, sizeof why_), "p99 == median");
    REJECT(dist_lognormal_median_p99(&d_, 0.1, 0.05, why_, sizeof why_), "p99 < median");
    REJECT(dist_lognormal_median_p99(&d_, 0, 0.05, why_, sizeof why_), "a zero median");
    REJECT(dist_lognormal_median_p99(&d_, -0.1, 0.5, why_, sizeof why_), "a negative median");
}

Test(dist_constructors, reject_bad_empirical_input)
{
    const double ok_pct[] = {0, 50, 100}, ok_x[] = {0.1, 0.2, 0.3};
    const double from_10[] = {10, 50, 100}, to_99[] = {0, 50, 99}, flat_pct[] = {0, 50, 50, 100};
    const double falling[] = {0.1, 0.3, 0.2}, negative[] = {-0.1, 0.2, 0.3};
    const double four_x[] = {0.1, 0.2, 0.3, 0.4};
    REJECT(dist_empirical_percentiles(&d_, from_10, ok_x, 3, why_, sizeof why_),
           "percentiles not starting at 0");
    REJECT(dist_empirical_percentiles(&d_, to_99, ok_x, 3, why_, sizeof why_),
           "percentiles not ending at 100");
    REJECT(dist_empirical_percentiles(&d_, flat_pct, four_x, 4, why_, sizeof why_),
           "a repeated percentile");
    REJECT(dist_empirical_percentiles(&d_, ok_pct, falling, 3, why_, sizeof why_),
           "decreasing values");
    REJECT(dist_empirical_percentiles(&d_, ok_pct, negative, 3, why_, sizeof why_),
           "a negative value");
    REJECT(dist_empirical_percentiles(&d_, ok_pct, ok_x, 1, why_, sizeof why_), "a single point");
    REJECT(dist_empirical_values(&d_, ok_x, 0, why_, sizeof why_), "no values");
    REJECT(dist_empirical_values(&d_, negative, 3, why_, sizeof why_), "a negative value");
}

Test(dist_kind_name, names_as_in_scenario_files)
{
    cr_assert_str_eq(dist_kind_name(DIST_CONSTANT), "constant");
    cr_assert_str_eq(dist_kind_name(DIST_EXPONENTIAL), "exponential");
    cr_assert_str_eq(dist_kind_name(DIST_LOGNORMAL), "lognormal");
    cr_assert_str_eq(dist_kind_name(DIST_GAMMA), "gamma");
    cr_assert_str_eq(dist_kind_name(DIST_EMPIRICAL), "empirical");
}

/* The segment of a percentile draw: u in [p[lo], p[lo+1]) found by a plain
 * bisection here, against what dist_sample_ns finds (a count for short lists, a
 * bisection for long ones), on the same uniform numbers: the same nanoseconds. */
static double bisect_inverse(const double *p, const double *x, size_t n, double u)
{
    size_t lo = 0, hi = n - 1;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (p[mid] <= u)
            lo = mid;
        else
            hi = mid;
    }
    return x[lo] + (u - p[lo]) / (p[hi] - p[lo]) * (x[hi] - x[lo]);
}

Test(dist_empirical, percentile_draws_find_the_segment_a_bisection_finds)
{
    size_t sizes[] = {2, 3, 7, 16, 17, 40};
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t n = sizes[k];
        double pct[40], x[40], p[40];
        for (size_t i = 0; i < n; i++) {
            pct[i] = 100.0 * (double)i / (double)(n - 1);
            x[i] = 0.01 * (double)(i * i) + (i % 3 == 2 ? 0 : 0.001); /* some flat steps */
            if (i && x[i] < x[i - 1])
                x[i] = x[i - 1];
        }
        struct dist d;
        char why[200];
        cr_assert_eq(dist_empirical_percentiles(&d, pct, x, n, why, sizeof why), 0, "%s", why);
        for (size_t i = 0; i < n; i++)
            p[i] = d.p[i];
        gsl_rng *a = rng_stream_create(11, (uint32_t)n, RNG_SERVICE);
        gsl_rng *b = gsl_rng_clone(a);
        for (int j = 0; j < 20000; j++) {
            sim_time got = dist_sample_ns(&d, a);
            double ns = bisect_inverse(p, x, n, gsl_rng_uniform(b)) * 1e9;
            sim_time want = ns > 0 ? (sim_time)(ns + 0.5) : 0;
            cr_assert_eq(got, want, "n %zu draw %d: %lld ns, bisection %lld", n, j,
                         (long long)got, (long long)want);
        }
        gsl_rng_free(a);
        gsl_rng_free(b);
        dist_free(&d);
    }
}

/* A generator that hands out a script of uniforms, so that dist_sample_ns and the
 * bisection see the very same u, the points themselves and their neighbours among
 * them. */
struct script {
    const double *u;
    size_t n, at;
};

static void script_set(void *state, unsigned long seed)
{
    (void)seed;
    ((struct script *)state)->at = 0;
}

static unsigned long script_get(void *state)
{
    (void)state;
    return 0;
}

static double script_get_double(void *state)
{
    struct script *s = state;
    return s->u[s->at++ % s->n];
}

static const gsl_rng_type script_type = {"script", 1, 0, sizeof(struct script), script_set,
                                         script_get, script_get_double};

/* Azure 2019's percentile points (0, 1, 25, 50, 75, 99, 100) under spreads a
 * durations file gives: dist_sample_ns's segment count finds the segment a bisection
 * finds, at each point and the doubles either side of it too. */
Test(dist_empirical, percentile_draws_at_the_points_themselves_match_a_bisection)
{
    static const double points[7] = {0, 1, 25, 50, 75, 99, 100};
    /* Spreads as the durations file gives them (s): ordinary, flat steps, all zero,
     * sub-millisecond, and one past the sampler's clamp. */
    static const double values[][7] = {
        {0.001, 0.002, 0.05, 0.1, 0.2, 1.5, 7},
        {0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3},
        {0, 0, 0, 0, 0, 0, 0},
        {1e-7, 2e-7, 3.3e-7, 4e-7, 1e-6, 1e-5, 1e-4},
        {0.1, 0.2, 0.2, 0.2, 9, 9, 3e9},
        /* steps of more than twice, up to where a nanosecond is below the double's
         * resolution: which segment a point itself falls in then shows */
        {0.001, 0.0013, 0.1, 3.3, 1e8 + 0.37, 7.7e8 + 0.11, 2.2e9},
    };
    enum { N_U = 200000 };
    double *u = malloc(N_U * sizeof *u);
    cr_assert(u);
    size_t n = 0;
    struct dist d;
    char why[200];
    cr_assert_eq(dist_empirical_percentiles(&d, points, values[0], 7, why, sizeof why), 0);
    for (size_t i = 0; i < 7; i++) { /* each point, and the doubles either side */
        u[n++] = d.p[i];
        u[n++] = nextafter(d.p[i], 0);
        u[n++] = nextafter(d.p[i], 1);
    }
    u[n++] = 0;
    u[n++] = 1 - 0x1p-53;
    dist_free(&d);
    gsl_rng *taus = gsl_rng_alloc(gsl_rng_taus2);
    cr_assert(taus);
    gsl_rng_set(taus, 12345);
    while (n < N_U)
        u[n++] = gsl_rng_uniform(taus);
    for (size_t i = 0; i < n; i++) /* the script's own: keep what gsl_rng_uniform may give */
        if (u[i] >= 1 || u[i] < 0)
            u[i] = 0;
    gsl_rng *script = gsl_rng_alloc(&script_type);
    cr_assert(script);
    *(struct script *)script->state = (struct script){u, n, 0};
    for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
        cr_assert_eq(dist_empirical_percentiles(&d, points, values[v], 7, why, sizeof why),
                     0, "%s", why);
        for (size_t i = 0; i < n; i++) {
            ((struct script *)script->state)->at = i;
            sim_time got = dist_sample_ns(&d, script);
            double ns = bisect_inverse(d.p, d.x, 7, u[i]) * 1e9;
            sim_time want = !(ns > 0) ? 0 : ns >= (double)DIST_SAMPLE_MAX_NS ? DIST_SAMPLE_MAX_NS
                                                                           : (sim_time)(ns + 0.5);
            cr_assert_eq(got, want, "spread %zu at u = %a: %lld ns, bisection %lld ns", v, u[i],
                         (long long)got, (long long)want);
        }
        dist_free(&d);
    }
    gsl_rng_free(script);
    gsl_rng_free(taus);
    free(u);
}
