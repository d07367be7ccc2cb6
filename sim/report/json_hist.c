/* json_hist.c - a run's latency distributions in its JSON report, so a saved report
 * can be drawn (a CCDF, a histogram) without running the scenario again.
 *
 * A distribution is written as the histogram the simulator kept (histogram.h), not
 * as a resampled one: every bucket that holds a request, with its own bounds, so the
 * numbers are exact and the report's percentiles can be read back from them. The
 * log-linear buckets cut each octave into 128, so a day of requests between 10 ms
 * and 3 s fills about a thousand of them; empty buckets are left out, which keeps a
 * deployment's histogram to some 27 bytes per occupied bucket.
 *
 * With replications the buckets are summed over them (each replication's record is
 * results[rep * n_deployments + d]): the distribution of every measured request of
 * every replication, where the scalar fields are means over replications. */
#include <cjson/cJSON.h>
#include <stdint.h>

#include "writers.h"

const struct histogram *report_hist_latency(const struct trial_record *r)
{
    return &r->latency;
}

const struct histogram *report_hist_ttft(const struct trial_record *r)
{
    return r->llm ? &r->llm->ttft : NULL;
}

const struct histogram *report_hist_tpot(const struct trial_record *r)
{
    return r->llm ? &r->llm->tpot : NULL;
}

/* ns to ms as the report prints every latency: a double, printed by cJSON in its
 * shortest round-trip form (a bucket bound in ns has at most six decimals in ms). */
static double ms(int64_t ns)
{
    return (double)ns / 1e6;
}

/* Replication rep's distribution of deployment d's part tier (0: the deployment, t:
 * its tier t), or NULL when that part has none. */
static const struct histogram *part(const struct run_output *out, uint32_t rep, size_t d,
                                    size_t tier, report_hist_pick pick)
{
    return pick(run_output_part(out, rep, d, tier));
}

cJSON *report_json_histogram(const struct run_output *out, size_t d, size_t tier,
                             report_hist_pick pick)
{
    /* Does any replication have this distribution at all (an LLM's), and what are
     * its count and extremes over all of them? */
    uint64_t count = 0;
    int64_t min_ns = INT64_MAX, max_ns = 0;
    int any = 0;
    for (uint32_t rep = 0; rep < out->replications; rep++) {
        const struct histogram *h = part(out, rep, d, tier, pick);
        if (!h)
            continue;
        any = 1;
        count += h->count;
        if (h->count && h->min_ns < min_ns)
            min_ns = h->min_ns;
        if (h->count && h->max_ns > max_ns)
            max_ns = h->max_ns;
    }
    if (!any)
        return NULL;
    cJSON *o = cJSON_CreateObject();
    cJSON *buckets = o ? cJSON_CreateArray() : NULL;
    if (!buckets) {
        cJSON_Delete(o);
        return NULL;
    }
    cJSON_AddStringToObject(o, "unit", "ms");
    cJSON_AddNumberToObject(o, "count", (double)count);
    /* The exact extremes: histogram_quantile_ns clamps a bucket's midpoint into
     * them, so a reader needs them to read the report's percentiles back. */
    cJSON_AddNumberToObject(o, "min_ms", count ? ms(min_ns) : 0.0);
    cJSON_AddNumberToObject(o, "max_ms", ms(max_ns));
    cJSON_AddItemToObject(o, "buckets", buckets);
    for (uint32_t i = 0; i < HISTOGRAM_BUCKETS && count; i++) {
        uint64_t n = 0;
        for (uint32_t rep = 0; rep < out->replications; rep++) {
            const struct histogram *h = part(out, rep, d, tier, pick);
            n += h ? h->bucket[i] : 0;
        }
        if (n == 0)
            continue;
        /* [low, high, count]: high is the bucket's last value, inclusive to the
         * ns (the next bucket starts 1 ns later), as histogram_bucket_high has it. */
        double row[3] = {ms(histogram_bucket_low(i)), ms(histogram_bucket_high(i)),
                         (double)n};
        cJSON *b = cJSON_CreateDoubleArray(row, 3);
        if (!b) {
            cJSON_Delete(o);
            return NULL;
        }
        cJSON_AddItemToArray(buckets, b);
    }
    return o;
}
