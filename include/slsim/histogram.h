/* histogram.h - streaming latency distribution with bounded relative error.
 *
 * Log-linear buckets in the manner of HdrHistogram: values below 2^SUB_BITS ns are
 * exact; above, each power of two is cut into 2^SUB_BITS equal buckets, so a bucket
 * is at most 1/128 of its lower bound wide and its midpoint is within 0.4% of any
 * value in it. That covers the whole clock, 1 ns to 292 years, well inside the 1% the
 * reports promise (a backlog of days in an overloaded run keeps its percentiles), in
 * 58 KB, with O(1) recording. No C library packaged for Debian offers this
 * (GSL's gsl_histogram has linear or user-given ranges and needs a search per
 * value), so it is written here. Mean and standard deviation are kept exactly
 * (Welford), not read off the buckets. */
#ifndef SLSIM_HISTOGRAM_H
#define SLSIM_HISTOGRAM_H

#include <stdint.h>

#define HISTOGRAM_SUB_BITS 7
#define HISTOGRAM_SUB (1 << HISTOGRAM_SUB_BITS)
#define HISTOGRAM_MAX_SHIFT 56 /* every int64 value has its own bucket of 1/128 width: the last, from 2^63 - 2^55 ns, ends at INT64_MAX */
#define HISTOGRAM_BUCKETS ((HISTOGRAM_MAX_SHIFT + 1) * HISTOGRAM_SUB)

struct histogram {
    uint64_t count;                      /* values recorded */
    double mean_ns;                      /* running mean (Welford) */
    double m2_ns2;                       /* running sum of squared deviations (Welford) */
    int64_t min_ns;                      /* smallest value, INT64_MAX while empty */
    int64_t max_ns;                      /* largest value, 0 while empty */
    uint64_t bucket[HISTOGRAM_BUCKETS];  /* counts per bucket */
};

/* Bucket of a value. */
static inline uint32_t histogram_index(int64_t v)
{
    if (v < HISTOGRAM_SUB)
        return v < 0 ? 0 : (uint32_t)v;
    int msb = 63 - __builtin_clzll((unsigned long long)v);
    int shift = msb - HISTOGRAM_SUB_BITS;
    if (shift >= HISTOGRAM_MAX_SHIFT)
        return HISTOGRAM_BUCKETS - 1;
    return (uint32_t)((shift + 1) * HISTOGRAM_SUB + (int)((v >> shift) - HISTOGRAM_SUB));
}

/* Record one value in nanoseconds (negative values are recorded as 0). */
static inline void histogram_record(struct histogram *h, int64_t v)
{
    if (v < 0)
        v = 0;
    h->bucket[histogram_index(v)]++;
    h->count++;
    double d = (double)v - h->mean_ns;
    h->mean_ns += d / (double)h->count;
    h->m2_ns2 += d * ((double)v - h->mean_ns);
    if (v > h->max_ns)
        h->max_ns = v;
    if (v < h->min_ns)
        h->min_ns = v;
}

/* Empty the histogram (it is plain memory: it may also live on the stack or inside
 * another struct, initialised with this). */
void histogram_reset(struct histogram *h);

/* Smallest and largest value a bucket holds, in ns. */
int64_t histogram_bucket_low(uint32_t index);
int64_t histogram_bucket_high(uint32_t index);

/* The q-quantile (0 <= q <= 1) by nearest rank: the value of rank ceil(q*count)
 * (rank 1 for q = 0), reported as the middle of its bucket, clamped to
 * [min_ns, max_ns]; q = 1 gives max_ns exactly. Returns 0 when empty. */
double histogram_quantile_ns(const struct histogram *h, double q);

/* Fraction of recorded values <= limit_ns (bucket resolution: a bucket counts as
 * below when its midpoint is). Returns 1 when empty. */
double histogram_fraction_at_most(const struct histogram *h, int64_t limit_ns);

/* Sample standard deviation in ns (0 for fewer than two values). */
double histogram_std_ns(const struct histogram *h);

/* Add src's values into dst, as if recorded there (exact for counts, min, max,
 * mean and variance, by Chan's parallel formula). */
void histogram_merge(struct histogram *dst, const struct histogram *src);

#endif
