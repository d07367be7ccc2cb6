/* histogram.c - reading quantiles back out of the log-linear latency histogram.
 *
 * Recording is inline in the header (it runs once per request); this file holds
 * what runs once per report: bucket bounds, quantiles, the fraction under an SLO,
 * and merging, which is how replications and parallel shards combine their results.
 * A quantile is found by one walk over the ~5400 counters, which costs microseconds
 * and keeps recording free of any ordering work. */
#include <math.h>
#include <string.h>

#include "slsim/histogram.h"

void histogram_reset(struct histogram *h)
{
    memset(h, 0, sizeof *h);
    h->min_ns = INT64_MAX;
}

/* Bucket i >= HISTOGRAM_SUB belongs to the power of two cut in shift-sized steps,
 * shift = i / SUB - 1, and starts at (SUB + i % SUB) << shift (see
 * histogram_index). Below SUB each bucket is one exact value. */
int64_t histogram_bucket_low(uint32_t index)
{
    if (index < HISTOGRAM_SUB)
        return (int64_t)index;
    int shift = (int)(index / HISTOGRAM_SUB) - 1;
    return (int64_t)(HISTOGRAM_SUB + index % HISTOGRAM_SUB) << shift;
}

int64_t histogram_bucket_high(uint32_t index)
{
    /* The last bucket ends at the largest value there is. */
    if (index >= HISTOGRAM_BUCKETS - 1)
        return INT64_MAX;
    return histogram_bucket_low(index + 1) - 1;
}

/* The value a bucket stands for: its middle, kept inside what was seen, so that
 * a lone value or the overflow bucket reports a value that actually occurred. */
static double bucket_value(const struct histogram *h, uint32_t i)
{
    int64_t lo = histogram_bucket_low(i), hi = histogram_bucket_high(i);
    double mid = (double)lo + (double)(hi - lo) / 2;
    if (mid < (double)h->min_ns)
        return (double)h->min_ns;
    if (mid > (double)h->max_ns)
        return (double)h->max_ns;
    return mid;
}

double histogram_quantile_ns(const struct histogram *h, double q)
{
    if (h->count == 0)
        return 0;
    if (!(q < 1)) /* q = 1, and NaN, take the exact maximum */
        return (double)h->max_ns;
    if (q < 0)
        q = 0;
    double r = ceil(q * (double)h->count);
    uint64_t rank = r < 1 ? 1 : (uint64_t)r;
    if (rank > h->count)
        rank = h->count;
    uint64_t seen = 0;
    for (uint32_t i = 0; i < HISTOGRAM_BUCKETS; i++) {
        seen += h->bucket[i];
        if (seen >= rank)
            return bucket_value(h, i);
    }
    return (double)h->max_ns; /* unreachable while the counts add up to count */
}

double histogram_fraction_at_most(const struct histogram *h, int64_t limit_ns)
{
    if (h->count == 0)
        return 1;
    if (limit_ns >= h->max_ns)
        return 1;
    if (limit_ns < h->min_ns)
        return 0;
    uint64_t below = 0;
    for (uint32_t i = 0; i < HISTOGRAM_BUCKETS; i++) {
        if (histogram_bucket_low(i) > limit_ns)
            break;
        if (h->bucket[i] && bucket_value(h, i) <= (double)limit_ns)
            below += h->bucket[i];
    }
    return (double)below / (double)h->count;
}

double histogram_std_ns(const struct histogram *h)
{
    if (h->count < 2 || !(h->m2_ns2 > 0))
        return 0;
    return sqrt(h->m2_ns2 / (double)(h->count - 1));
}

void histogram_merge(struct histogram *dst, const struct histogram *src)
{
    if (src->count == 0)
        return;
    for (uint32_t i = 0; i < HISTOGRAM_BUCKETS; i++)
        dst->bucket[i] += src->bucket[i];
    double na = (double)dst->count, nb = (double)src->count, n = na + nb;
    double delta = src->mean_ns - dst->mean_ns;
    /* Chan, Golub and LeVeque (1979): exact for the combined sample, and stable
     * because it never forms a raw sum of squares. */
    dst->mean_ns += delta * (nb / n);
    dst->m2_ns2 += src->m2_ns2 + delta * delta * (na * nb / n);
    dst->count += src->count;
    if (src->min_ns < dst->min_ns)
        dst->min_ns = src->min_ns;
    if (src->max_ns > dst->max_ns)
        dst->max_ns = src->max_ns;
}
