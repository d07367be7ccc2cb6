/* result.h - what one run of one deployment measured, as plain numbers.
 *
 * Platforms fill it; report writers read it. Every count and time here covers the
 * measured period only: arrivals at or after warm-up and before the end, and
 * instance-time between warm-up and the end. */
#ifndef SLSIM_RESULT_H
#define SLSIM_RESULT_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/billing.h"
#include "slsim/histogram.h"
#include "slsim/text.h"
#include "slsim/units.h"

/* A named measurement window (the scenario's `windows:`): requests arriving in
 * [from_ns, to_ns), of one function or all, counted apart from the run's totals. */
struct window_spec {
    char name[SLSIM_NAME_MAX]; /* unique among the scenario's windows */
    sim_time from_ns, to_ns;   /* arrival times measured, from the start of the simulation;
                                  warmup <= from < to <= duration */
    uint32_t function;         /* with one_function: the function index measured (0-based,
                                  struct request's); else all */
    int one_function;          /* 1: only requests of `function` */
};

/* What one window measured: the run's counts and latencies, restricted to the
 * measured requests that arrived in it (of its function). A fixed size per window:
 * memory grows with windows, not with requests. */
struct window_stats {
    uint64_t requests;       /* arrivals: served + throttled + dropped + timed_out */
    uint64_t served;         /* ran to completion */
    uint64_t throttled;      /* rejected above the cap */
    uint64_t dropped;        /* waited longer than max_wait */
    uint64_t timed_out;      /* ran into the deployment's timeout */
    uint64_t cold_starts;    /* served requests whose arrival started an instance */
    uint64_t within_slo;     /* served within the SLO latency */
    uint64_t slo_miss_cold;  /* served past the SLO latency after waiting for a cold start */
    struct histogram latency;/* latency of the served ones, ns */
};

struct slo_spec {
    double percentile;      /* e.g. 99 for latency_p99; 0 when no latency objective */
    sim_time latency_ns;    /* the latency that percentile must not exceed */
    /* LLM serving objectives (ttft_pNN, tpot_pNN): 0 percentile when none */
    double ttft_percentile; /* of time to first token */
    sim_time ttft_ns;
    double tpot_percentile; /* of time per output token */
    sim_time tpot_ns;
    /* What else is measured: the named windows (`windows:`), owned by the scenario
     * (scenario_destroy frees them); NULL and 0 when none. They sit with the
     * objectives because both say how requests are judged, and both reach every
     * platform and every record the same way. */
    struct window_spec *windows;
    size_t n_windows;
};


struct timeline_row {
    sim_time start_ns;   /* interval start */
    double busy;         /* time-average instances serving at least one request */
    double idle;         /* time-average warm instances serving nothing */
    double initializing; /* time-average instances in a cold start */
    uint64_t arrivals;   /* requests arriving in the interval (measured or not) */
    uint64_t cold_starts;/* cold starts begun in the interval */
    double cost_usd;     /* cost accrued from warm-up to the interval's end */
    double llm_seq_s;    /* LLM serving: sequences in running batches x iteration time, s
                            (over the interval's length: the mean running batch size) */
};

/* Dynamic batching: what the batcher sent in the measured period (batches whose
 * requests arrived after the warm-up). Batch sizes are counted in buckets by powers of
 * two: [1], [2], [3, 4], [5, 8], ..., [2049, 4096] (BATCH_BUCKETS). */
#define BATCH_BUCKETS 13
struct batch_stats {
    int on;                           /* 1: the deployment batches */
    uint64_t batches;                 /* batches sent */
    uint64_t items;                   /* measured requests in them (mean size: items / batches) */
    uint64_t size_buckets[BATCH_BUCKETS]; /* batches by size, bucket k = sizes (2^(k-1), 2^k] */
    double busy_s;                    /* accelerator-time running batches, s */
    double wait_s;                    /* measured requests' wait for their batch to start, s */
    double latency_s;                 /* measured requests' latency, summed, s (wait share: wait / latency) */
    uint64_t queue_rejected;          /* measured requests rejected at max_queue_size */
};

/* The bucket of a batch of n (>= 1) requests. */
static inline int batch_bucket(uint32_t n)
{
    int k = 0;
    while (k < BATCH_BUCKETS - 1 && (1u << k) < n)
        k++;
    return k;
}

/* The name of bucket k (0 <= k < BATCH_BUCKETS) as reports write it: "1", "2", "3-4",
 * "5-8", ..., "2049-4096"; a static string. */
const char *batch_bucket_name(int k);

/* A measured request of a batch that ran from start_ns to done_ns: its wait for the
 * batch and its latency. */
static inline void batch_stats_request(struct batch_stats *b, sim_time arrival_ns,
                                       sim_time start_ns, sim_time done_ns)
{
    b->wait_s += (double)(start_ns - arrival_ns) / 1e9;
    b->latency_s += (double)(done_ns - arrival_ns) / 1e9;
}

/* A batch of n requests, some measured, that ran from start_ns to done_ns: counted,
 * by size, and its accelerator time up to the measured period's end end_ns. */
static inline void batch_stats_batch(struct batch_stats *b, uint32_t n, sim_time start_ns,
                                     sim_time done_ns, sim_time end_ns)
{
    b->batches++;
    b->items += n; /* the batch's size, as its bucket counts it */
    b->size_buckets[batch_bucket(n)]++;
    sim_time end = done_ns < end_ns ? done_ns : end_ns;
    if (end > start_ns)
        b->busy_s += (double)(end - start_ns) / 1e9;
}

/* LLM serving (an iteration-level scheduler, llm.h): what the measured requests saw.
 * Allocated only for a deployment serving an LLM (deployment_result.llm). */
struct llm_stats {
    struct histogram ttft;     /* time to first token, from arrival (queueing and cold start
                                  included), ns */
    struct histogram tpot;     /* time per output token, (end-to-end - TTFT) / (output - 1),
                                  requests with one output token excluded, ns */
    struct histogram itl;      /* inter-token latency: each gap between two consecutive
                                  output tokens of a request, ns */
    uint64_t prompt_tokens;    /* prompt tokens of measured served requests */
    uint64_t output_tokens;    /* output tokens of measured served requests */
    uint64_t rejected;         /* measured requests refused: prompt + output over the model's
                                  context */
    uint64_t preemptions;      /* running sequences preempted for KV blocks (recomputed later) */
    uint64_t recomputed_tokens;/* tokens prefilled again after preemptions */
    uint64_t iterations;       /* iterations that started in the measured period */
    double iteration_s;        /* their time, s */
    double seq_iteration_s;    /* sequences scheduled x iteration time, s (mean running
                                  batch: seq_iteration_s / iteration_s) */
    double kv_block_s;         /* KV blocks in use x time, block-s, measured period */
    uint64_t kv_blocks;        /* KV blocks one instance holds */
    uint32_t block_size;       /* tokens a block holds */
    /* the engine's settings as built (serving: and vLLM's defaults for the GPU) */
    uint32_t max_num_seqs, max_num_batched_tokens;
    int chunked_prefill;       /* 1: enable_chunked_prefill */
    uint32_t tp, dp;           /* tensor_parallel_size, data_parallel_size (engines an
                                  instance runs) */
};

struct deployment_result {
    char name[SLSIM_NAME_MAX];     /* deployment name */
    int type;                         /* enum deployment_type (deployment.h): the deployment's,
                                         or its tier's */
    char platform[SLSIM_NAME_MAX]; /* platform profile */
    int64_t memory_bytes;             /* instance memory */
    uint64_t requests;                /* measured arrivals */
    uint64_t served;                  /* measured requests that ran to completion */
    uint64_t throttled;               /* rejected above the cap */
    uint64_t dropped;                 /* waited longer than max_wait */
    uint64_t timed_out;               /* ran into the timeout: failed there, billed to it */
    uint64_t cold_starts;             /* instances started for measured requests */
    uint64_t queued;                  /* measured requests that waited in the throttle queue */
    uint64_t retries;                 /* retries of throttled asynchronous requests */
    uint64_t spillovers;              /* requests that found every provisioned instance busy */
    uint64_t evictions;               /* idle instances evicted for memory (greedy-dual, lru) */
    uint64_t prewarms;                /* instances started ahead of requests (pre-warm, warm_before) */
    uint64_t warming_pings;           /* warming invocations sent */
    uint64_t *fn_served;              /* per function: served requests, owned (serverless) */
    uint64_t *fn_cold_starts;         /* per function: cold starts, owned (serverless) */
    uint32_t functions;               /* functions of the workload */
    uint32_t functions_served;        /* functions that served at least one request */
    double fn_cold_start_ratio_mean;  /* mean over functions of cold starts / served */
    double fn_cold_start_ratio_p75;   /* 75th percentile over functions of the same */
    double provisioned_instance_s;    /* provisioned instance-time, s */
    double provisioned_busy_s;        /* provisioned instance-time serving, s */
    uint64_t within_slo;              /* served requests with latency <= the SLO latency */
    struct histogram latency;         /* latency of served requests, ns */
    double instance_s;                /* instance-time that existed (init + busy + idle), s */
    double busy_instance_s;           /* instance-time serving >= 1 request, s */
    double idle_instance_s;           /* instance-time warm and unused, s */
    double init_instance_s;           /* instance-time in cold start, s */
    double running_s;                 /* request-time executing (busy slot-time), s */
    double slot_s;                    /* slot-time that existed: instance-time x slots, s */
    uint32_t slots;                   /* requests one instance serves at once */
    struct deployment_result *tiers;  /* hybrid: base and overflow, owned; NULL otherwise */
    size_t n_tiers;
    uint64_t instances_peak;          /* most instances alive at once */
    double measured_s;                /* length of the measured period, s */
    double billed_ms;                 /* billable duration after rounding, ms */
    struct cost_breakdown cost;       /* USD */
    struct timeline_row *timeline;    /* owned; NULL unless asked for */
    size_t n_timeline;                /* rows in timeline */

    /* Cold starts: which model made them, whether it rests on assumed constants,
     * and the wait it produced (serverless; a hybrid takes its tier's). */
    char coldstart_profile[SLSIM_NAME_MAX];  /* the platform's profile, "deployment" (its own distribution) or "none"; "" = none */
    char coldstart_artifact[SLSIM_NAME_MAX]; /* how the model ships ("zip", "image", ...); "" when not modelled */
    char coldstart_assumed[160];      /* assumed constants the model used, "; "-separated; "" when none */
    double coldstart_s;               /* wait of the measured cold starts, summed, s (mean: / cold_starts) */
    double coldstart_billed_gpus;     /* GPUs billed per second of that wait: the instance's billed
                                         GPUs where the platform bills the init, else 0; a
                                         combination's is weighted by its parts' coldstart_s */
    uint64_t init_retries;            /* measured cold starts whose init ran past the platform's init timeout and was retried in the first invocation */
    uint64_t init_timeouts;           /* requests whose retried init + execution exceeded the timeout (counted in timed_out too) */
    uint64_t trace_rows_skipped;      /* malformed trace rows workload.trace.skip_bad skipped (the trace's, the same for every deployment) */
    struct batch_stats batch;         /* dynamic batching (batch.on 0: none) */
    struct llm_stats *llm;            /* LLM serving, owned; NULL when the model is no LLM */
    uint64_t slo_miss_cold;           /* served requests past the SLO latency that waited for a
                                         cold start (result_note_served) */
    const struct window_spec *window_spec; /* the scenario's windows, borrowed; NULL: none */
    struct window_stats *windows;     /* one per window_spec, owned; NULL when none */
    size_t n_windows;
};

/* Give r a zeroed window_stats for each of slo's windows (none when it has none):
 * 0, or -1 when out of memory. Call after result_init. */
int result_windows_init(struct deployment_result *r, const struct slo_spec *slo);

/* r's window i when a measured request arriving at arrival_ns, of function fn, falls
 * in it; else NULL. */
static inline struct window_stats *result_window_of(struct deployment_result *r, size_t i,
                                                    sim_time arrival_ns, uint32_t fn)
{
    const struct window_spec *ws = &r->window_spec[i];
    if (arrival_ns < ws->from_ns || arrival_ns >= ws->to_ns ||
        (ws->one_function && ws->function != fn))
        return NULL;
    return &r->windows[i];
}

/* A measured request (arrival at arrival_ns, function fn) was served with
 * latency_ns; within: it met the SLO latency; cold: its arrival started an instance
 * and it waited for that cold start. Counts the SLO miss with a cold start, and the
 * request in its windows. The run's own served count and histogram are the
 * caller's (core_record). */
static inline void result_note_served(struct deployment_result *r, sim_time arrival_ns,
                                      uint32_t fn, sim_time latency_ns, int within, int cold)
{
    if (!within && cold)
        r->slo_miss_cold++;
    for (size_t i = 0; i < r->n_windows; i++) {
        struct window_stats *w = result_window_of(r, i, arrival_ns, fn);
        if (!w)
            continue;
        w->requests++;
        w->served++;
        w->cold_starts += cold != 0;
        w->within_slo += within != 0;
        w->slo_miss_cold += !within && cold;
        histogram_record(&w->latency, latency_ns);
    }
}

/* A measured request (arrival at arrival_ns, function fn) was refused: throttled
 * (1) or dropped after waiting (0). Counted in its windows; the run's own count is
 * the caller's. */
static inline void result_note_refused(struct deployment_result *r, sim_time arrival_ns,
                                       uint32_t fn, int throttled)
{
    for (size_t i = 0; i < r->n_windows; i++) {
        struct window_stats *w = result_window_of(r, i, arrival_ns, fn);
        if (!w)
            continue;
        w->requests++;
        w->throttled += throttled != 0;
        w->dropped += throttled == 0;
    }
}

/* A measured request (arrival at arrival_ns, function fn) ran into its timeout and
 * failed there: an SLO miss, with a cold start when cold (it waited for one). Counted
 * in its windows; the run's own timed_out count is the caller's. */
static inline void result_note_timed_out(struct deployment_result *r, sim_time arrival_ns,
                                         uint32_t fn, int cold)
{
    if (cold)
        r->slo_miss_cold++;
    for (size_t i = 0; i < r->n_windows; i++) {
        struct window_stats *w = result_window_of(r, i, arrival_ns, fn);
        if (!w)
            continue;
        w->requests++;
        w->timed_out++;
        w->slo_miss_cold += cold != 0;
    }
}

/* SLO misses among r's measured requests: those not served within the SLO latency
 * (throttled and dropped ones included, as result_slo_attainment counts them); 0
 * without a latency objective. */
uint64_t result_slo_misses(const struct deployment_result *r, const struct slo_spec *slo);

/* Clear r (histogram included) for a new run. */
void result_init(struct deployment_result *r);

/* Free what r owns (the timeline, the tiers). */
void result_free(struct deployment_result *r);

/* out = the sum of n parts (a hybrid's tiers): counts, instance-time, costs, batch
 * statistics (out batches if any part does) and timelines add up, latency
 * distributions merge, and the peak is the sum of the parts' peaks (an upper bound:
 * they need not peak together). 0, or -1 when out of memory. out does not take the
 * parts. */
int result_combine(struct deployment_result *out, const struct deployment_result *parts,
                   size_t n);

/* Derived numbers, defined once so every report agrees. */
double result_cost_total(const struct deployment_result *r);
double result_instances_mean(const struct deployment_result *r);
/* Slot utilisation: busy slot-time / slot-time (request-time executing over
 * instance-time x slots per instance), in [0, 1]; 0 when no instance existed. A
 * machine of 2 slots serving one request all the time is at 0.5. */
double result_utilization(const struct deployment_result *r);
/* Share of instance-time with at least one request in service (busy instance-time /
 * instance-time), in [0, 1]; the machine above is at 1. */
double result_busy_fraction(const struct deployment_result *r);
double result_cold_start_ratio(const struct deployment_result *r);
/* Mean wait of the measured cold starts, s; 0 when there were none. */
double result_coldstart_mean_s(const struct deployment_result *r);
/* GPU-seconds billed for the measured cold starts: their summed wait x the GPUs billed
 * per instance, on platforms that bill the init; 0 elsewhere. */
double result_coldstart_billed_gpu_s(const struct deployment_result *r);
/* Fraction of measured requests served within the SLO latency (throttled, timed-out and
 * dropped ones count as misses); 1 when there is no objective or no request. */
double result_slo_attainment(const struct deployment_result *r, const struct slo_spec *slo);
/* 1 when the latency objective holds (the percentile of the latency distribution
 * is within the limit and attainment reaches the percentile), or there is none. */
int result_slo_met(const struct deployment_result *r, const struct slo_spec *slo);
/* The most misses (measured requests not served within the SLO latency) that
 * `requests` measured requests may have with result_slo_met still 1: the same
 * floating-point test, so a run with more misses than this misses the objective
 * whatever its other requests do. `requests` itself when there is no objective. */
uint64_t result_slo_allowed_misses(uint64_t requests, const struct slo_spec *slo);

/* Dynamic batching (r->batch.on): numbers derived from struct batch_stats. Each is 0
 * when its denominator is 0 (and for a result that does not batch). */
/* Mean batch size: measured requests batched / batches sent. */
double result_batch_mean(const struct deployment_result *r);
/* Share of the batching machines' time spent running a batch: batch.busy_s over
 * their instance-time in the measured period, in [0, 1]. The batching machines are
 * the whole result's for a platform's own result, and the tiers that batch for one
 * with tiers (a hybrid: its base, not the overflow's serverless instances). A batch
 * runs on the whole machine, so a machine of 8 GPUs running one is busy. */
double result_accelerator_busy_fraction(const struct deployment_result *r);
/* Share of batched requests' latency spent waiting for their batch to start:
 * batch.wait_s / batch.latency_s, in [0, 1]. */
double result_batch_wait_share(const struct deployment_result *r);
/* Measured requests batched per second of the measured period: batch.items /
 * measured_s. */
double result_items_per_s(const struct deployment_result *r);

/* LLM serving (r->llm): numbers derived from struct llm_stats. Each is 0 when its
 * denominator is 0, and for a result with no llm. */
/* Prompt tokens and output tokens of measured served requests per second of the
 * measured period. */
double result_input_tokens_per_s(const struct deployment_result *r);
double result_output_tokens_per_s(const struct deployment_result *r);
/* Mean sequences in a running batch (weighted by iteration time). */
double result_llm_batch_mean(const struct deployment_result *r);
/* KV-cache utilisation: KV blocks in use x time over (blocks an instance holds x warm
 * instance-time, busy + idle), in [0, 1]. */
double result_kv_utilization(const struct deployment_result *r);
/* 1 when the TTFT and TPOT objectives of slo hold (their percentile of the TTFT and
 * TPOT distributions within the limit, by nearest rank, every measured request that
 * was not served, rejected over the context, throttled or dropped, counted as a miss
 * of both), or there are none or no llm. */
int result_llm_slo_met(const struct deployment_result *r, const struct slo_spec *slo);
/* Allocate r->llm (zeroed, histograms reset): 0, or -1 when out of memory. */
int result_llm_alloc(struct deployment_result *r);

#endif
