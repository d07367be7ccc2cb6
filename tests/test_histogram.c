/* test_histogram.c - the log-linear latency histogram against exact answers.
 *
 * A million values are recorded and also kept, sorted, so that every quantile the
 * histogram reports can be compared with the true nearest-rank quantile; the 1%
 * bound checked here is the one the reports promise. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/histogram.h"

#define N_VALUES 1000000
#define NS_PER_DAY (86400LL * 1000000000LL)

static struct histogram *new_histogram(void)
{
    struct histogram *h = malloc(sizeof *h);
    cr_assert_not_null(h);
    memset(h, 0xA5, sizeof *h); /* garbage, so that reset has to do its job */
    histogram_reset(h);
    return h;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest rank, as the header defines it: rank ceil(q n), at least 1. */
static int64_t exact_quantile(const int64_t *sorted, size_t n, double q)
{
    double r = ceil(q * (double)n);
    size_t rank = r < 1 ? 1 : (size_t)r;
    if (rank > n)
        rank = n;
    return sorted[rank - 1];
}

/* Latencies from 1 us to 1 day: a lognormal centred (in log scale) between the two
 * ends, with the ends about 4.5 sigma away, clamped to the range. */
static int64_t *lognormal_values(size_t n, unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, seed);
    const double lo = 1e3, hi = (double)NS_PER_DAY;
    const double mu = (log(lo) + log(hi)) / 2, sigma = (log(hi) - log(lo)) / 2 / 4.5;
    int64_t *v = malloc(n * sizeof *v);
    cr_assert_not_null(v);
    for (size_t i = 0; i < n; i++) {
        double x = gsl_ran_lognormal(r, mu, sigma);
        v[i] = llround(x < lo ? lo : x > hi ? hi : x);
    }
    gsl_rng_free(r);
    return v;
}

/* Uniform latencies between 1 ms and 2 s. */
static int64_t *uniform_values(size_t n, unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, seed);
    int64_t *v = malloc(n * sizeof *v);
    cr_assert_not_null(v);
    for (size_t i = 0; i < n; i++)
        v[i] = 1000000 + (int64_t)(gsl_rng_uniform(r) * 1999000000.0);
    gsl_rng_free(r);
    return v;
}

static void check_quantiles_within_one_percent(int64_t *v, size_t n)
{
    struct histogram *h = new_histogram();
    for (size_t i = 0; i < n; i++)
        histogram_record(h, v[i]);
    qsort(v, n, sizeof *v, cmp_i64);
    const double qs[] = {0.001, 0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 0.9999};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        double want = (double)exact_quantile(v, n, qs[i]);
        double got = histogram_quantile_ns(h, qs[i]);
        cr_assert(fabs(got - want) <= 0.01 * want, "q=%g: histogram %.6g ns, exact %.6g ns (%.3f%%)",
                  qs[i], got, want, 100 * fabs(got - want) / want);
        /* Tighter than the promise: the midpoint is within half a bucket, 1/256. */
        cr_assert(fabs(got - want) <= want / 256 + 0.5, "q=%g: %.6g vs %.6g is more than half a bucket",
                  qs[i], got, want);
    }
    cr_assert_eq(histogram_quantile_ns(h, 1), (double)v[n - 1], "q=1 is not the exact maximum");
    double q0 = histogram_quantile_ns(h, 0);
    cr_assert(q0 >= (double)v[0] && q0 <= (double)v[0] * (1 + 1.0 / 256),
              "q=0 gives %.6g, not in the minimum's half bucket above %lld", q0, (long long)v[0]);
    cr_assert_eq(h->min_ns, v[0]);
    cr_assert_eq(h->max_ns, v[n - 1]);
    cr_assert_eq(h->count, n);
    free(h);
}

Test(histogram_quantile, lognormal_1us_to_1day_within_one_percent)
{
    int64_t *v = lognormal_values(N_VALUES, 42);
    check_quantiles_within_one_percent(v, N_VALUES);
    free(v);
}

Test(histogram_quantile, uniform_within_one_percent)
{
    int64_t *v = uniform_values(N_VALUES, 43);
    check_quantiles_within_one_percent(v, N_VALUES);
    free(v);
}

Test(histogram_quantile, exact_below_128ns)
{
    struct histogram *h = new_histogram();
    int64_t v[2000];
    size_t n = 0;
    for (int64_t x = 0; x < 128; x++)
        for (int64_t k = 0; k <= x % 7; k++) /* uneven counts: 1 to 7 of each value */
            v[n++] = x;
    for (size_t i = 0; i < n; i++)
        histogram_record(h, v[n - 1 - i]);
    for (int k = 0; k <= 1000; k++) {
        double q = k / 1000.0;
        cr_assert_eq(histogram_quantile_ns(h, q), (double)exact_quantile(v, n, q), "q=%g", q);
    }
    for (uint32_t i = 0; i < HISTOGRAM_SUB; i++) {
        cr_assert_eq(histogram_bucket_low(i), (int64_t)i);
        cr_assert_eq(histogram_bucket_high(i), (int64_t)i);
    }
    free(h);
}

Test(histogram_buckets, tile_the_range_with_no_gaps_and_width_at_most_1_128th)
{
    cr_assert_eq(histogram_bucket_low(0), 0);
    for (uint32_t i = 0; i + 1 < HISTOGRAM_BUCKETS; i++) {
        int64_t lo = histogram_bucket_low(i), hi = histogram_bucket_high(i);
        cr_assert_leq(lo, hi, "bucket %u is empty", i);
        cr_assert_eq(hi + 1, histogram_bucket_low(i + 1), "gap or overlap after bucket %u", i);
        if (lo >= HISTOGRAM_SUB) /* below, buckets are single values */
            cr_assert_leq((double)(hi - lo + 1) / (double)lo, 1.0 / 128,
                          "bucket %u [%lld, %lld] is too wide", i, (long long)lo, (long long)hi);
        /* and the index function agrees with the bounds */
        cr_assert_eq(histogram_index(lo), i, "low of bucket %u indexes elsewhere", i);
        cr_assert_eq(histogram_index(hi), i, "high of bucket %u indexes elsewhere", i);
    }
    /* The last bucket is as narrow as the others: from 2^63 - 2^55 to INT64_MAX. */
    uint32_t last = HISTOGRAM_BUCKETS - 1;
    cr_assert_eq(histogram_bucket_low(last), INT64_MAX - ((1LL << 55) - 1));
    cr_assert_eq(histogram_bucket_high(last), INT64_MAX);
    cr_assert_eq(histogram_index(INT64_MAX), last);
}

Test(histogram_moments, mean_and_std_match_two_pass)
{
    int64_t *v = lognormal_values(N_VALUES, 44);
    struct histogram *h = new_histogram();
    double sum = 0;
    for (size_t i = 0; i < N_VALUES; i++) {
        histogram_record(h, v[i]);
        sum += (double)v[i];
    }
    double mean = sum / N_VALUES, ss = 0;
    for (size_t i = 0; i < N_VALUES; i++)
        ss += ((double)v[i] - mean) * ((double)v[i] - mean);
    double std = sqrt(ss / (N_VALUES - 1));
    cr_assert(fabs(h->mean_ns - mean) <= 1e-9 * mean, "mean %.17g, two-pass %.17g", h->mean_ns,
              mean);
    cr_assert(fabs(histogram_std_ns(h) - std) <= 1e-9 * std, "std %.17g, two-pass %.17g",
              histogram_std_ns(h), std);
    free(v);
    free(h);
}

Test(histogram_moments, std_of_fewer_than_two_is_zero_and_empty_reads_safely)
{
    struct histogram *h = new_histogram();
    cr_assert_eq(histogram_std_ns(h), 0);
    cr_assert_eq(histogram_quantile_ns(h, 0.5), 0);
    cr_assert_eq(histogram_fraction_at_most(h, 0), 1);
    histogram_record(h, 5000);
    cr_assert_eq(histogram_std_ns(h), 0);
    histogram_record(h, 7000);
    cr_assert(fabs(histogram_std_ns(h) - sqrt(2e6)) < 1e-6, "std of {5000, 7000}: %.17g",
              histogram_std_ns(h));
    free(h);
}

Test(histogram_merge, two_halves_equal_one_histogram)
{
    int64_t *v = lognormal_values(N_VALUES, 45);
    struct histogram *all = new_histogram(), *a = new_histogram(), *b = new_histogram();
    /* uneven parts with different spreads, so Chan's correction term matters */
    for (size_t i = 0; i < N_VALUES; i++) {
        histogram_record(all, v[i]);
        histogram_record(i < N_VALUES / 3 ? a : b, v[i]);
    }
    histogram_merge(a, b);
    cr_assert_eq(a->count, all->count);
    cr_assert_eq(a->min_ns, all->min_ns);
    cr_assert_eq(a->max_ns, all->max_ns);
    cr_assert_eq(memcmp(a->bucket, all->bucket, sizeof a->bucket), 0, "bucket counts differ");
    cr_assert(fabs(a->mean_ns - all->mean_ns) <= 1e-9 * all->mean_ns, "mean %.17g vs %.17g",
              a->mean_ns, all->mean_ns);
    cr_assert(fabs(histogram_std_ns(a) - histogram_std_ns(all)) <= 1e-9 * histogram_std_ns(all),
              "std %.17g vs %.17g", histogram_std_ns(a), histogram_std_ns(all));
    for (int k = 0; k <= 100; k++)
        cr_assert_eq(histogram_quantile_ns(a, k / 100.0), histogram_quantile_ns(all, k / 100.0));
    free(v);
    free(all);
    free(a);
    free(b);
}

Test(histogram_merge, into_and_from_empty)
{
    struct histogram *h = new_histogram(), *empty = new_histogram(), *dst = new_histogram();
    for (int64_t x = 1000; x < 200000; x += 37)
        histogram_record(h, x);
    histogram_merge(dst, h);
    cr_assert_eq(memcmp(dst, h, sizeof *h), 0, "merging into an empty histogram is not a copy");
    histogram_merge(dst, empty);
    cr_assert_eq(memcmp(dst, h, sizeof *h), 0, "merging an empty histogram changed something");
    free(h);
    free(empty);
    free(dst);
}

Test(histogram_range, max_is_exact_beyond_2_to_the_48)
{
    struct histogram *h = new_histogram();
    const int64_t big = (1LL << 50) + 12345;
    for (int64_t x = 1; x <= 1000; x++)
        histogram_record(h, x * 1000);
    histogram_record(h, big);
    cr_assert_eq(h->max_ns, big);
    cr_assert_eq(histogram_quantile_ns(h, 1), (double)big);
    /* its own rank reports it exactly too: the lone value's bucket middle clamps to max */
    cr_assert_eq(histogram_quantile_ns(h, 1000.5 / 1001), (double)big);
    double median = histogram_quantile_ns(h, 0.5);
    cr_assert(fabs(median - 501000) <= 501000.0 / 256, "median %.1f, exact 501000", median);
    free(h);
}

/* An overloaded run's latencies grow for days: 1,000 values k x 1e12 ns (1,000 s to
 * 11.6 days). Nearest rank: p50 is the 500th, 5e14 ns; p90 the 900th, 9e14 ns; each
 * within the bucket half-width of 1/256. A range that stops at days would report
 * the maximum for both. */
Test(histogram_range, percentiles_hold_for_latencies_of_days_and_years)
{
    struct histogram *h = new_histogram();
    for (int64_t k = 1; k <= 1000; k++)
        histogram_record(h, k * 1000000000000LL);
    double p50 = histogram_quantile_ns(h, 0.5), p90 = histogram_quantile_ns(h, 0.9);
    cr_expect(fabs(p50 - 5e14) <= 5e14 / 256, "p50 %.6g, exact 5e14", p50);
    cr_expect(fabs(p90 - 9e14) <= 9e14 / 256, "p90 %.6g, exact 9e14", p90);
    histogram_reset(h);
    const int64_t year = 365LL * 86400 * 1000000000LL; /* 3.15e16 ns */
    for (int64_t k = 1; k <= 100; k++)
        histogram_record(h, k * year);
    double y50 = histogram_quantile_ns(h, 0.5);
    cr_expect(fabs(y50 - 50.0 * (double)year) <= 50.0 * (double)year / 256,
              "p50 %.6g, exact 50 years", y50);
    free(h);
}

Test(histogram_quantile, q1_is_max_even_in_the_top_half_of_its_bucket)
{
    struct histogram *h = new_histogram();
    /* 1003 sits in bucket [1000, 1003], whose middle 1001.5 is below it */
    histogram_record(h, 500);
    histogram_record(h, 1003);
    cr_assert_eq(histogram_bucket_low(histogram_index(1003)), 1000);
    cr_assert_eq(histogram_quantile_ns(h, 1), 1003.0);
    cr_assert_eq(histogram_quantile_ns(h, 0.75), 1001.5, "rank 2 below q=1 reports the middle");
    free(h);
}

Test(histogram_record, negative_values_count_as_zero)
{
    struct histogram *h = new_histogram();
    histogram_record(h, -5);
    cr_assert_eq(h->min_ns, 0);
    cr_assert_eq(h->bucket[0], 1);
    cr_assert_eq(histogram_quantile_ns(h, 0.5), 0);
    free(h);
}

Test(histogram_fraction, at_most_counts_buckets_by_midpoint)
{
    struct histogram *h = new_histogram();
    for (int64_t x = 0; x < 128; x++)
        histogram_record(h, x);
    cr_assert_eq(histogram_fraction_at_most(h, 63), 0.5, "exact region: 64 of 128 are <= 63");
    cr_assert_eq(histogram_fraction_at_most(h, 127), 1);
    cr_assert_eq(histogram_fraction_at_most(h, -1), 0);
    free(h);

    int64_t *v = uniform_values(N_VALUES, 46);
    h = new_histogram();
    for (size_t i = 0; i < N_VALUES; i++)
        histogram_record(h, v[i]);
    const int64_t limits[] = {2000000, 100000000, 500000000, 1000000000, 1999999999};
    for (size_t k = 0; k < sizeof limits / sizeof limits[0]; k++) {
        size_t below = 0;
        for (size_t i = 0; i < N_VALUES; i++)
            below += v[i] <= limits[k];
        double want = (double)below / N_VALUES, got = histogram_fraction_at_most(h, limits[k]);
        /* one bucket around the limit may fall either side: width/range of values */
        double slack = (double)limits[k] / 128 / 1999000000.0 + 1e-12;
        cr_assert(fabs(got - want) <= slack, "limit %lld: %.6f, exact %.6f", (long long)limits[k],
                  got, want);
    }
    cr_assert_eq(histogram_fraction_at_most(h, h->max_ns), 1);
    cr_assert_eq(histogram_fraction_at_most(h, h->min_ns - 1), 0);
    free(v);
    free(h);
}
