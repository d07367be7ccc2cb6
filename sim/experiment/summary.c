/* summary.c - one deployment's numbers as a flat, ordered list of named fields.
 *
 * The list is the single source of names and values for every format and for
 * `compare`. With several replications a field is the mean of its per-replication
 * values and carries the half-width of a Student-t 95% interval (GSL's t quantile). */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#include "slsim/billing.h"
#include "slsim/summary.h"

/* The paths of the batch-size histogram's buckets, named by batch_bucket_name. */
static const char *const bucket_paths[] = {
    "batch_size.histogram.1",         "batch_size.histogram.2",
    "batch_size.histogram.3-4",       "batch_size.histogram.5-8",
    "batch_size.histogram.9-16",      "batch_size.histogram.17-32",
    "batch_size.histogram.33-64",     "batch_size.histogram.65-128",
    "batch_size.histogram.129-256",   "batch_size.histogram.257-512",
    "batch_size.histogram.513-1024",  "batch_size.histogram.1025-2048",
    "batch_size.histogram.2049-4096",
};
_Static_assert(sizeof bucket_paths / sizeof bucket_paths[0] == BATCH_BUCKETS,
               "a path per bucket");

/* The quantile fields of a distribution in ms, as latency_ms has them: mean, std,
 * p50, p90, p95, p99, p999, max. A family's paths, in that order. */
enum { QUANTILE_FIELDS = 8 };
static const char *const latency_paths[QUANTILE_FIELDS] = {
    "latency_ms.mean", "latency_ms.std",  "latency_ms.p50",  "latency_ms.p90",
    "latency_ms.p95",  "latency_ms.p99",  "latency_ms.p999", "latency_ms.max",
};
static const char *const ttft_paths[QUANTILE_FIELDS] = {
    "ttft_ms.mean", "ttft_ms.std", "ttft_ms.p50",  "ttft_ms.p90",
    "ttft_ms.p95",  "ttft_ms.p99", "ttft_ms.p999", "ttft_ms.max",
};
static const char *const tpot_paths[QUANTILE_FIELDS] = {
    "tpot_ms.mean", "tpot_ms.std", "tpot_ms.p50",  "tpot_ms.p90",
    "tpot_ms.p95",  "tpot_ms.p99", "tpot_ms.p999", "tpot_ms.max",
};
static const char *const itl_paths[QUANTILE_FIELDS] = {
    "itl_ms.mean", "itl_ms.std", "itl_ms.p50",  "itl_ms.p90",
    "itl_ms.p95",  "itl_ms.p99", "itl_ms.p999", "itl_ms.max",
};

/* f[n..n+8) = h's quantile fields under paths; h may be NULL (an LLM family of a
 * record without an LLM: zeros, to be marked absent). Returns the new count. */
static size_t quantile_fields(struct summary_field *f, size_t n, const char *const *paths,
                              const struct histogram *h)
{
    double v[QUANTILE_FIELDS] = {0};
    if (h) {
        v[0] = h->count ? h->mean_ns / 1e6 : 0.0;
        v[1] = histogram_std_ns(h) / 1e6;
        v[2] = histogram_quantile_ns(h, 0.50) / 1e6;
        v[3] = histogram_quantile_ns(h, 0.90) / 1e6;
        v[4] = histogram_quantile_ns(h, 0.95) / 1e6;
        v[5] = histogram_quantile_ns(h, 0.99) / 1e6;
        v[6] = histogram_quantile_ns(h, 0.999) / 1e6;
        v[7] = (double)h->max_ns / 1e6;
    }
    for (int i = 0; i < QUANTILE_FIELDS; i++)
        f[n++] = (struct summary_field){.path = paths[i], .value = v[i]};
    return n;
}

size_t summary_fields_one(const struct trial_record *r, struct summary_field *f)
{
    size_t n = 0;
#define FIELD(p, v, isint) \
    (f[n++] = (struct summary_field){.path = (p), .value = (double)(v), .integer = (isint)})
    double total = r->cost_total_usd;
    FIELD("requests", r->requests, 1);
    FIELD("served", r->served, 1);
    FIELD("throttled", r->throttled, 1);
    FIELD("dropped", r->dropped, 1);
    FIELD("queued", r->queued, 1);
    FIELD("cold_starts", r->cold_starts, 1);
    FIELD("cold_start_ratio", r->cold_start_ratio, 0);
    /* Shares of the measured requests, the ratios a plan constrains
     * (throttled_fraction<=0.001). */
    FIELD("throttled_fraction", r->requests ? (double)r->throttled / (double)r->requests : 0.0,
          0);
    FIELD("dropped_fraction", r->requests ? (double)r->dropped / (double)r->requests : 0.0, 0);
    /* Failed at the deployment's timeout: shown where some request was. */
    FIELD("timed_out", r->timed_out, 1);
    FIELD("timed_out_fraction", r->requests ? (double)r->timed_out / (double)r->requests : 0.0,
          0);
    f[n - 2].timeouts = f[n - 1].timeouts = 1;
    FIELD("functions", r->functions, 1);
    FIELD("function_cold_start_ratio.mean", r->fn_cold_start_ratio_mean, 0);
    FIELD("function_cold_start_ratio.p75", r->fn_cold_start_ratio_p75, 0);
    FIELD("retries", r->retries, 1);
    FIELD("spillovers", r->spillovers, 1);
    FIELD("evictions", r->evictions, 1);
    FIELD("prewarms", r->prewarms, 1);
    FIELD("warming_pings", r->warming_pings, 1);
    FIELD("throughput_per_s", r->measured_s > 0 ? (double)r->served / r->measured_s : 0.0, 0);
    n = quantile_fields(f, n, latency_paths, &r->latency);
    FIELD("instances.mean", r->instances_mean, 0);
    FIELD("instances.peak", r->instances_peak, 1);
    FIELD("utilization", r->utilization, 0);
    FIELD("busy_fraction", r->busy_fraction, 0);
    FIELD("busy_instance_s", r->busy_instance_s, 0);
    FIELD("idle_instance_s", r->idle_instance_s, 0);
    FIELD("init_instance_s", r->init_instance_s, 0);
    FIELD("idle_memory_gb_s", r->idle_instance_s * (double)r->memory_bytes / 1e9, 0);
    FIELD("provisioned_utilization",
          r->provisioned_instance_s > 0 ? r->provisioned_busy_s / r->provisioned_instance_s : 0.0,
          0);
    FIELD("slo_attainment", r->slo_attainment, 0);
    FIELD("slo_met", r->slo_met, 1);
    /* Misses (refusals included, as slo_attainment counts them) and the share that
     * waited for a cold start: undefined without a miss. */
    FIELD("slo_misses", r->slo_misses, 1);
    FIELD("slo_miss_cold_start_fraction",
          r->slo_misses ? (double)r->slo_miss_cold / (double)r->slo_misses : 0.0, 0);
    f[n - 1].undefined = r->slo_misses == 0;
    FIELD("billed_ms", r->billed_ms, 0);
    FIELD("cost_usd.total", total, 0);
    FIELD("cost_usd.per_month", r->measured_s > 0 ? total * BILLING_MONTH_S / r->measured_s : 0.0,
          0);
    FIELD("cost_usd.per_million_requests",
          r->requests ? total / (double)r->requests * 1e6 : 0.0, 0);
    FIELD("cost_usd.breakdown.requests", r->cost.requests_usd, 0);
    FIELD("cost_usd.breakdown.compute", r->cost.compute_usd, 0);
    FIELD("cost_usd.breakdown.provisioned", r->cost.provisioned_usd, 0);
    FIELD("cost_usd.breakdown.instances", r->cost.instances_usd, 0);
    FIELD("cost_usd.breakdown.warming", r->cost.warming_usd, 0);
    /* The cold-start model behind the numbers: its profile, how the model ships,
     * the constants nobody published that it used, and what it produced. */
#define TEXT(p, t) (f[n++] = (struct summary_field){.path = (p), .text = (t)})
    TEXT("coldstart.profile", r->coldstart_profile[0] ? r->coldstart_profile : "none");
    TEXT("coldstart.artifact", r->coldstart_artifact);
    TEXT("coldstart.assumed", r->coldstart_assumed[0] ? r->coldstart_assumed : "none");
    FIELD("coldstart.mean_s", r->coldstart_mean_s, 0);
    FIELD("coldstart.billed_gpu_s", r->coldstart_billed_gpu_s, 0);
    FIELD("coldstart.init_retries", r->init_retries, 1);
    FIELD("coldstart.init_timeouts", r->init_timeouts, 1);
    /* Dynamic batching, last so that CSV appends its columns: present in every list,
     * marked absent where the deployment does not batch. */
    const struct batch_stats *b = &r->batch;
    size_t first_batching = n;
    FIELD("batches", b->batches, 1);
    FIELD("batch_size.mean", r->batch_size_mean, 0);
    for (int k = 0; k < BATCH_BUCKETS; k++) {
        FIELD(bucket_paths[k], b->size_buckets[k], 1);
        f[n - 1].omit_zero = 1;
    }
    FIELD("accelerator_busy_fraction", r->accelerator_busy_fraction, 0);
    FIELD("batch_wait_share", r->batch_wait_share, 0);
    FIELD("items_per_s", r->items_per_s, 0);
    FIELD("queue_rejected", b->queue_rejected, 1);
    for (size_t i = first_batching; i < n; i++) {
        f[i].batching = 1;
        f[i].absent = !b->on;
    }
    /* LLM serving, after batching for the same reason: present in every list, marked
     * absent where the deployment serves no LLM. */
    const struct llm_stats *l = r->llm;
    static const struct llm_stats none;
    const struct llm_stats *lv = l ? l : &none;
    size_t first_llm = n;
    n = quantile_fields(f, n, ttft_paths, l ? &l->ttft : NULL);
    n = quantile_fields(f, n, tpot_paths, l ? &l->tpot : NULL);
    n = quantile_fields(f, n, itl_paths, l ? &l->itl : NULL);
    FIELD("tokens.input_per_s", r->input_tokens_per_s, 0);
    FIELD("tokens.output_per_s", r->output_tokens_per_s, 0);
    FIELD("tokens.prompt", lv->prompt_tokens, 1);
    FIELD("tokens.output", lv->output_tokens, 1);
    FIELD("running_batch.mean", r->llm_batch_mean, 0);
    FIELD("iterations", lv->iterations, 1);
    FIELD("kv_cache.utilization", r->kv_utilization, 0);
    FIELD("kv_cache.blocks", lv->kv_blocks, 1);
    FIELD("kv_cache.block_size", lv->block_size, 1);
    FIELD("serving.max_num_seqs", lv->max_num_seqs, 1);
    FIELD("serving.max_num_batched_tokens", lv->max_num_batched_tokens, 1);
    FIELD("serving.enable_chunked_prefill", lv->chunked_prefill, 1);
    FIELD("preemptions", lv->preemptions, 1);
    FIELD("recomputed_tokens", lv->recomputed_tokens, 1);
    FIELD("rejected", lv->rejected, 1);
    for (size_t i = first_llm; i < n; i++) {
        f[i].llm = 1;
        f[i].absent = !l;
    }
#undef TEXT
#undef FIELD
    return n;
}

int summary_run_batches(const struct run_output *out)
{
    /* Whether a deployment batches does not change between replications. */
    for (size_t d = 0; d < out->n_deployments; d++) {
        const struct trial_record *r = run_output_part(out, 0, d, 0);
        for (size_t t = 0; t <= r->n_tiers; t++)
            if (run_output_part(out, 0, d, t)->batch.on)
                return 1;
    }
    return 0;
}

int summary_run_timeouts(const struct run_output *out)
{
    for (uint32_t k = 0; k < out->replications; k++)
        for (size_t d = 0; d < out->n_deployments; d++)
            if (run_output_part(out, k, d, 0)->timed_out)
                return 1;
    return 0;
}

int summary_run_llm(const struct run_output *out)
{
    /* Whether a deployment serves an LLM is the model's, the same in every replication. */
    for (size_t d = 0; d < out->n_deployments; d++) {
        const struct trial_record *r = run_output_part(out, 0, d, 0);
        for (size_t t = 0; t <= r->n_tiers; t++)
            if (run_output_part(out, 0, d, t)->llm)
                return 1;
    }
    return 0;
}

double summary_mean(const double *v, size_t stride, uint32_t n)
{
    if (n < 2)
        return v[0];
    double sum = 0;
    for (uint32_t k = 0; k < n; k++)
        sum += v[(size_t)k * stride];
    return sum / n;
}

/* Running sums of a field over replications: those where it is defined. */
struct field_sums {
    double sum, sum2;
    uint32_t n;
};

static void field_sums_add(struct field_sums *s, const struct summary_field *one, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        /* Text fields are replication 0's: a deployment's profile does not vary. */
        if (one[i].undefined)
            continue;
        s[i].sum += one[i].value;
        s[i].sum2 += one[i].value * one[i].value;
        s[i].n++;
    }
}

/* f[i] = the mean of field i over the replications where it is defined, with the
 * half-width of its Student-t 95% interval (0 with fewer than two); undefined where it
 * is defined in none. */
static void field_sums_finish(const struct field_sums *s, struct summary_field *f, size_t n,
                              uint32_t reps)
{
    double t_all = gsl_cdf_tdist_Pinv(0.975, (double)(reps - 1));
    for (size_t i = 0; i < n; i++) {
        uint32_t k = s[i].n;
        f[i].undefined = k == 0;
        if (k == 0) {
            f[i].value = f[i].ci95 = 0.0;
            continue;
        }
        double mean = s[i].sum / k;
        double var = k > 1 ? (s[i].sum2 - k * mean * mean) / (k - 1) : 0.0;
        double t = k == reps ? t_all : k > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(k - 1)) : 0.0;
        f[i].value = mean;
        f[i].ci95 = var > 0 ? t * sqrt(var / k) : 0.0;
    }
}

size_t summary_fields(const struct run_output *out, size_t d, size_t tier,
                      struct summary_field *f)
{
    uint32_t reps = out->replications;
    size_t n = summary_fields_one(run_output_part(out, 0, d, tier), f);
    if (reps < 2)
        return n;
    struct summary_field one[SUMMARY_MAX_FIELDS];
    struct field_sums sums[SUMMARY_MAX_FIELDS] = {{0}};
    for (uint32_t k = 0; k < reps; k++) {
        summary_fields_one(run_output_part(out, k, d, tier), one);
        field_sums_add(sums, one, n);
    }
    field_sums_finish(sums, f, n, reps);
    return n;
}

size_t summary_window_fields_one(const struct window_stats *ws, const struct slo_spec *slo,
                                struct summary_field *f)
{
    size_t n = 0;
#define FIELD(p, v, isint) \
    (f[n++] = (struct summary_field){.path = (p), .value = (double)(v), .integer = (isint)})
    uint64_t misses = slo->percentile > 0 ? ws->requests - ws->within_slo : 0;
    FIELD("requests", ws->requests, 1);
    FIELD("served", ws->served, 1);
    FIELD("throttled", ws->throttled, 1);
    FIELD("dropped", ws->dropped, 1);
    FIELD("timed_out", ws->timed_out, 1);
    FIELD("cold_starts", ws->cold_starts, 1);
    FIELD("cold_start_ratio", ws->served ? (double)ws->cold_starts / (double)ws->served : 0.0, 0);
    n = quantile_fields(f, n, latency_paths, &ws->latency);
    /* as result_slo_attainment: 1 without an objective or a request */
    FIELD("slo_attainment", slo->percentile > 0 && ws->requests
                                ? (double)ws->within_slo / (double)ws->requests
                                : 1.0,
          0);
    FIELD("slo_misses", misses, 1);
    FIELD("slo_miss_cold_start_fraction",
          misses ? (double)ws->slo_miss_cold / (double)misses : 0.0, 0);
    f[n - 1].undefined = misses == 0;
#undef FIELD
    return n;
}

size_t summary_window_fields(const struct run_output *out, size_t d, size_t w,
                             const struct slo_spec *slo, struct summary_field *f)
{
    uint32_t reps = out->replications;
    const struct trial_record *r0 = run_output_part(out, 0, d, 0);
    if (w >= r0->n_windows)
        return 0;
    size_t n = summary_window_fields_one(&r0->windows[w], slo, f);
    if (reps < 2)
        return n;
    struct summary_field one[SUMMARY_WINDOW_FIELDS];
    struct field_sums sums[SUMMARY_WINDOW_FIELDS] = {{0}};
    for (uint32_t k = 0; k < reps; k++) {
        const struct trial_record *r = run_output_part(out, k, d, 0);
        if (w >= r->n_windows)
            return n;
        summary_window_fields_one(&r->windows[w], slo, one);
        field_sums_add(sums, one, n);
    }
    field_sums_finish(sums, f, n, reps);
    return n;
}

double summary_field_value(const struct summary_field *f, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].path, path) == 0)
            return f[i].value;
    return 0.0;
}

const char *summary_field_text(const struct summary_field *f, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (f[i].text && strcmp(f[i].path, path) == 0)
            return f[i].text;
    return "";
}

size_t summary_cheapest(const struct summary_candidate *c, size_t n)
{
    size_t best = SUMMARY_NONE;
    for (size_t i = 0; i < n; i++) {
        if (!c[i].slo_met)
            continue;
        if (best == SUMMARY_NONE) {
            best = i;
            continue;
        }
        /* Costs that print alike are alike: a reader cannot tell $12.63 from $12.63. */
        long long a = llround(c[i].cost_usd * 100), b = llround(c[best].cost_usd * 100);
        if (a < b || (a == b && (c[i].p99_ms < c[best].p99_ms ||
                                 (c[i].p99_ms == c[best].p99_ms &&
                                  strcmp(c[i].name, c[best].name) < 0))))
            best = i;
    }
    return best;
}
