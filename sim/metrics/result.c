/* result.c - numbers derived from a deployment's raw measurements.
 *
 * Kept apart from the writers so that text, JSON, CSV and Markdown cannot disagree
 * about what "utilization" or "SLO attainment" means. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/result.h"

void result_init(struct deployment_result *r)
{
    memset(r, 0, sizeof *r);
    histogram_reset(&r->latency);
}

void result_free(struct deployment_result *r)
{
    free(r->timeline);
    r->timeline = NULL;
    r->n_timeline = 0;
    free(r->fn_served);
    free(r->fn_cold_starts);
    r->fn_served = r->fn_cold_starts = NULL;
    free(r->llm);
    r->llm = NULL;
    free(r->windows);
    r->windows = NULL;
    r->n_windows = 0;
    for (size_t i = 0; i < r->n_tiers; i++)
        result_free(&r->tiers[i]);
    free(r->tiers);
    r->tiers = NULL;
    r->n_tiers = 0;
}

/* out += p: one window's counts and latencies. */
static void window_add(struct window_stats *out, const struct window_stats *p)
{
    out->requests += p->requests;
    out->served += p->served;
    out->throttled += p->throttled;
    out->dropped += p->dropped;
    out->timed_out += p->timed_out;
    out->cold_starts += p->cold_starts;
    out->within_slo += p->within_slo;
    out->slo_miss_cold += p->slo_miss_cold;
    histogram_merge(&out->latency, &p->latency);
}

/* out += p: a hybrid's batches are its base's (the overflow does not batch), but the
 * sum holds whichever parts batch. */
static void batch_add(struct batch_stats *out, const struct batch_stats *p)
{
    out->on |= p->on;
    out->batches += p->batches;
    out->items += p->items;
    for (int k = 0; k < BATCH_BUCKETS; k++)
        out->size_buckets[k] += p->size_buckets[k];
    out->busy_s += p->busy_s;
    out->wait_s += p->wait_s;
    out->latency_s += p->latency_s;
    out->queue_rejected += p->queue_rejected;
}

int result_llm_alloc(struct deployment_result *r)
{
    r->llm = calloc(1, sizeof *r->llm);
    if (!r->llm)
        return -1;
    histogram_reset(&r->llm->ttft);
    histogram_reset(&r->llm->tpot);
    histogram_reset(&r->llm->itl);
    return 0;
}

/* out += p (a hybrid's tiers that serve the LLM). The KV capacity is the largest of
 * the parts' per-instance figures: kv utilisation weighs each part's blocks apart
 * (result_kv_utilization). */
static void llm_add(struct llm_stats *out, const struct llm_stats *p)
{
    histogram_merge(&out->ttft, &p->ttft);
    histogram_merge(&out->tpot, &p->tpot);
    histogram_merge(&out->itl, &p->itl);
    out->prompt_tokens += p->prompt_tokens;
    out->output_tokens += p->output_tokens;
    out->rejected += p->rejected;
    out->preemptions += p->preemptions;
    out->recomputed_tokens += p->recomputed_tokens;
    out->iterations += p->iterations;
    out->iteration_s += p->iteration_s;
    out->seq_iteration_s += p->seq_iteration_s;
    out->kv_block_s += p->kv_block_s;
    if (p->kv_blocks > out->kv_blocks)
        out->kv_blocks = p->kv_blocks;
    if (!out->block_size) { /* the first part's engine (a hybrid: its base's) */
        out->block_size = p->block_size;
        out->max_num_seqs = p->max_num_seqs;
        out->max_num_batched_tokens = p->max_num_batched_tokens;
        out->chunked_prefill = p->chunked_prefill;
        out->tp = p->tp;
        out->dp = p->dp;
    }
}

int result_combine(struct deployment_result *out, const struct deployment_result *parts,
                   size_t n)
{
    result_init(out);
    out->measured_s = n ? parts[0].measured_s : 0.0;
    out->memory_bytes = n ? parts[0].memory_bytes : 0;
    out->slots = n ? parts[0].slots : 0;
    double billed_gpu_s = 0;
    for (size_t i = 0; i < n; i++) {
        const struct deployment_result *p = &parts[i];
        out->requests += p->requests;
        out->served += p->served;
        out->throttled += p->throttled;
        out->dropped += p->dropped;
        out->timed_out += p->timed_out;
        out->cold_starts += p->cold_starts;
        out->queued += p->queued;
        out->retries += p->retries;
        out->spillovers += p->spillovers;
        out->evictions += p->evictions;
        out->prewarms += p->prewarms;
        out->warming_pings += p->warming_pings;
        out->provisioned_instance_s += p->provisioned_instance_s;
        out->provisioned_busy_s += p->provisioned_busy_s;
        out->within_slo += p->within_slo;
        histogram_merge(&out->latency, &p->latency);
        out->instance_s += p->instance_s;
        out->busy_instance_s += p->busy_instance_s;
        out->idle_instance_s += p->idle_instance_s;
        out->init_instance_s += p->init_instance_s;
        out->running_s += p->running_s;
        out->slot_s += p->slot_s;
        out->instances_peak += p->instances_peak;
        out->billed_ms += p->billed_ms;
        out->cost.requests_usd += p->cost.requests_usd;
        out->cost.compute_usd += p->cost.compute_usd;
        out->cost.provisioned_usd += p->cost.provisioned_usd;
        out->cost.instances_usd += p->cost.instances_usd;
        out->cost.warming_usd += p->cost.warming_usd;
        batch_add(&out->batch, &p->batch);
        if (p->llm) {
            if (!out->llm && result_llm_alloc(out))
                return -1;
            llm_add(out->llm, p->llm);
        }
        out->coldstart_s += p->coldstart_s;
        billed_gpu_s += result_coldstart_billed_gpu_s(p);
        out->init_retries += p->init_retries;
        out->slo_miss_cold += p->slo_miss_cold;
        if (p->n_windows && !out->windows) {
            struct slo_spec spec = {.windows = (struct window_spec *)p->window_spec,
                                    .n_windows = p->n_windows};
            if (result_windows_init(out, &spec))
                return -1;
        }
        for (size_t w = 0; w < p->n_windows && w < out->n_windows; w++)
            window_add(&out->windows[w], &p->windows[w]);
        out->init_timeouts += p->init_timeouts;
        if (!out->coldstart_profile[0] && p->coldstart_profile[0]) {
            memcpy(out->coldstart_profile, p->coldstart_profile, sizeof out->coldstart_profile);
            memcpy(out->coldstart_artifact, p->coldstart_artifact,
                   sizeof out->coldstart_artifact);
            memcpy(out->coldstart_assumed, p->coldstart_assumed, sizeof out->coldstart_assumed);
        }
    }
    /* The whole's GPUs per second of cold start keep its billed GPU-seconds the
     * sum of its parts'. */
    out->coldstart_billed_gpus = out->coldstart_s > 0 ? billed_gpu_s / out->coldstart_s : 0.0;
    if (n && parts[0].timeline) {
        out->timeline = calloc(parts[0].n_timeline, sizeof *out->timeline);
        if (!out->timeline)
            return -1;
        out->n_timeline = parts[0].n_timeline;
        for (size_t k = 0; k < out->n_timeline; k++) {
            struct timeline_row *row = &out->timeline[k];
            row->start_ns = parts[0].timeline[k].start_ns;
            for (size_t i = 0; i < n; i++) {
                if (!parts[i].timeline || k >= parts[i].n_timeline)
                    continue;
                const struct timeline_row *q = &parts[i].timeline[k];
                row->busy += q->busy;
                row->idle += q->idle;
                row->initializing += q->initializing;
                row->arrivals += q->arrivals;
                row->cold_starts += q->cold_starts;
                row->cost_usd += q->cost_usd;
                row->llm_seq_s += q->llm_seq_s;
            }
        }
    }
    return 0;
}

double result_cost_total(const struct deployment_result *r)
{
    return r->cost.requests_usd + r->cost.compute_usd + r->cost.provisioned_usd +
           r->cost.instances_usd + r->cost.warming_usd;
}

double result_instances_mean(const struct deployment_result *r)
{
    return r->measured_s > 0 ? r->instance_s / r->measured_s : 0.0;
}

double result_utilization(const struct deployment_result *r)
{
    /* Slot-time is summed per part, so a hybrid whose tiers have different slots
     * per instance weighs each tier's slots right. */
    return r->slot_s > 0 ? r->running_s / r->slot_s : 0.0;
}

double result_busy_fraction(const struct deployment_result *r)
{
    return r->instance_s > 0 ? r->busy_instance_s / r->instance_s : 0.0;
}

double result_cold_start_ratio(const struct deployment_result *r)
{
    return r->served ? (double)r->cold_starts / (double)r->served : 0.0;
}

double result_coldstart_mean_s(const struct deployment_result *r)
{
    return r->cold_starts ? r->coldstart_s / (double)r->cold_starts : 0.0;
}

double result_coldstart_billed_gpu_s(const struct deployment_result *r)
{
    return r->coldstart_s * r->coldstart_billed_gpus;
}

int result_windows_init(struct deployment_result *r, const struct slo_spec *slo)
{
    if (!slo->n_windows)
        return 0;
    r->windows = malloc(slo->n_windows * sizeof *r->windows);
    if (!r->windows)
        return -1;
    for (size_t i = 0; i < slo->n_windows; i++) {
        r->windows[i] = (struct window_stats){0};
        histogram_reset(&r->windows[i].latency);
    }
    r->window_spec = slo->windows;
    r->n_windows = slo->n_windows;
    return 0;
}

uint64_t result_slo_misses(const struct deployment_result *r, const struct slo_spec *slo)
{
    if (slo->percentile <= 0 || r->within_slo > r->requests)
        return 0;
    return r->requests - r->within_slo;
}

double result_slo_attainment(const struct deployment_result *r, const struct slo_spec *slo)
{
    if (slo->percentile <= 0 || r->requests == 0)
        return 1.0;
    return (double)r->within_slo / (double)r->requests;
}

int result_slo_met(const struct deployment_result *r, const struct slo_spec *slo)
{
    if (slo->percentile <= 0)
        return 1;
    return result_slo_attainment(r, slo) >= slo->percentile / 100.0;
}

const char *batch_bucket_name(int k)
{
    /* Bucket k holds sizes (2^(k-1), 2^k]: batch_bucket's rule, written out. */
    static const char *const names[] = {
        "1",      "2",       "3-4",     "5-8",      "9-16",      "17-32",     "33-64",
        "65-128", "129-256", "257-512", "513-1024", "1025-2048", "2049-4096",
    };
    _Static_assert(sizeof names / sizeof names[0] == BATCH_BUCKETS, "a name per bucket");
    return k >= 0 && k < BATCH_BUCKETS ? names[k] : "";
}

double result_batch_mean(const struct deployment_result *r)
{
    return r->batch.batches ? (double)r->batch.items / (double)r->batch.batches : 0.0;
}

double result_accelerator_busy_fraction(const struct deployment_result *r)
{
    /* A hybrid's total counts the machine-time of its tiers that batch: the overflow's
     * serverless instances run no batch and would dilute the base's figure. */
    double machine_s = r->n_tiers ? 0.0 : r->instance_s;
    for (size_t t = 0; t < r->n_tiers; t++)
        if (r->tiers[t].batch.on)
            machine_s += r->tiers[t].instance_s;
    return machine_s > 0 ? r->batch.busy_s / machine_s : 0.0;
}

double result_batch_wait_share(const struct deployment_result *r)
{
    return r->batch.latency_s > 0 ? r->batch.wait_s / r->batch.latency_s : 0.0;
}

double result_items_per_s(const struct deployment_result *r)
{
    return r->measured_s > 0 ? (double)r->batch.items / r->measured_s : 0.0;
}

/* attainment >= percentile / 100 with `misses` of `requests` missed, computed as
 * result_slo_attainment and result_slo_met compute it. */
static int slo_holds(uint64_t requests, uint64_t misses, const struct slo_spec *slo)
{
    return requests == 0 ||
           (double)(requests - misses) / (double)requests >= slo->percentile / 100.0;
}

uint64_t result_slo_allowed_misses(uint64_t requests, const struct slo_spec *slo)
{
    if (slo->percentile <= 0)
        return requests;
    /* The estimate is within one of the answer; the predicate settles it. */
    double est = floor((double)requests * (1.0 - slo->percentile / 100.0));
    uint64_t m = est > 0 ? (uint64_t)est : 0;
    if (m > requests)
        m = requests;
    while (m < requests && slo_holds(requests, m + 1, slo))
        m++;
    while (m > 0 && !slo_holds(requests, m, slo))
        m--;
    return m;
}

double result_input_tokens_per_s(const struct deployment_result *r)
{
    return r->llm && r->measured_s > 0 ? (double)r->llm->prompt_tokens / r->measured_s : 0.0;
}

double result_output_tokens_per_s(const struct deployment_result *r)
{
    return r->llm && r->measured_s > 0 ? (double)r->llm->output_tokens / r->measured_s : 0.0;
}

double result_llm_batch_mean(const struct deployment_result *r)
{
    return r->llm && r->llm->iteration_s > 0 ? r->llm->seq_iteration_s / r->llm->iteration_s
                                             : 0.0;
}

double result_kv_utilization(const struct deployment_result *r)
{
    if (!r->llm)
        return 0.0;
    /* Each part's blocks over its own warm instance-time: a hybrid's tiers may hold
     * different caches (an overflow on another GPU). */
    double cap = 0.0;
    if (r->n_tiers) {
        for (size_t t = 0; t < r->n_tiers; t++)
            if (r->tiers[t].llm)
                cap += (double)r->tiers[t].llm->kv_blocks *
                       (r->tiers[t].busy_instance_s + r->tiers[t].idle_instance_s);
    } else {
        cap = (double)r->llm->kv_blocks * (r->busy_instance_s + r->idle_instance_s);
    }
    double u = cap > 0 ? r->llm->kv_block_s / cap : 0.0;
    return u < 1.0 ? u : 1.0;
}

/* The percentile pct of h within limit_ns, with `misses` more values above any limit
 * (requests that never got a token): by nearest rank over count + misses, as
 * latency_pNN reads the latency histogram. */
static int quantile_within(const struct histogram *h, uint64_t misses, double pct,
                           sim_time limit_ns)
{
    if (pct <= 0)
        return 1;
    uint64_t n = h->count + misses;
    if (n == 0)
        return 1;
    uint64_t rank = (uint64_t)ceil(pct / 100.0 * (double)n);
    if (rank < 1)
        rank = 1;
    if (rank > h->count)
        return 0; /* the percentile falls among the misses */
    /* rank among the served: the histogram's quantile at (rank - 1/2) / count has it */
    double q = ((double)rank - 0.5) / (double)h->count;
    return histogram_quantile_ns(h, q) <= (double)limit_ns;
}

int result_llm_slo_met(const struct deployment_result *r, const struct slo_spec *slo)
{
    if (!r->llm)
        return 1;
    /* measured requests never served (over the context, throttled, dropped) miss both */
    uint64_t misses = r->requests > r->served ? r->requests - r->served : 0;
    return quantile_within(&r->llm->ttft, misses, slo->ttft_percentile, slo->ttft_ns) &&
           quantile_within(&r->llm->tpot, misses, slo->tpot_percentile, slo->tpot_ns);
}
