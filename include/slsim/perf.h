/* perf.h - the model being served, and how long its work takes.
 *
 * A request carries its work: the time it would take on the model's reference
 * instance, a variate of model.service drawn once per request from the service
 * stream, so every deployment serves the very same work (common random numbers).
 * A performance model turns that work into time on the instance that serves it. */
#ifndef SLSIM_PERF_H
#define SLSIM_PERF_H

#include <stdint.h>

#include "slsim/catalog.h"
#include "slsim/dist.h"
#include "slsim/error.h"
#include "slsim/text.h"
#include "slsim/units.h"
#include "slsim/workload.h"

struct model_spec {
    char name[SLSIM_NAME_MAX];    /* label for reports, "model" when not given */
    int64_t size_bytes;           /* artifact size: drives cold-start time */
    int size_line, size_column;   /* where model.size was written (0: not given), for errors */
    const char *size_src;         /* its file (or "--set"); borrowed from the loader, valid only while loading */
    int64_t memory_bytes;         /* memory of one serverless instance unless a deployment overrides (default 2GiB) */
    struct dist service;          /* warm execution time of one request on the reference instance
                                     (one vCPU; or the accelerator's batch of 1 for a profile) */
    /* what the hardware models read (model.flops, .weights, .activations, .parallel_fraction) */
    double flops;                 /* FLOPs of one item (one request's input), 0 = not given */
    int64_t weights_bytes;        /* bytes of weights read per batch, 0 = size_bytes */
    int64_t activations_bytes;    /* activation bytes per item, read and written (default 0) */
    double parallel_fraction;     /* p in [0, 1]: the share of the work that runs on all vCPUs (default 0) */
    /* a large language model (`model.llm`, a catalog name or its own architecture) */
    int is_llm;                   /* 1: llm below holds */
    struct llm_model llm;         /* its architecture (catalog.h) */
    double dtype_bytes;           /* bytes of one weight (model.dtype: fp32 4, fp16 and bf16 2,
                                     fp8 and int8 1, int4 0.5; default 2 for an LLM, 4 for
                                     another model) */
    int dtype_fp8;                /* 1: model.dtype fp8 (computes in FP8 where the GPU can) */
    double kv_bytes_per_token;    /* LLM: KV cache per token, 2 x layers x kv_heads x head_dim
                                     x 2 bytes (an FP16 cache) */
    /* model.optimize as model_spec_parse applied it (model_config.h): 1, 1, "" for none */
    double opt_size;              /* factor on size, weights and memory's weight share */
    double opt_speed;             /* speed-up: service time and flops divided by it */
    char opt_quantize[8];         /* the type quantised to ("int8"), "" when none */
};

/* ---- what a deployment says about performance (key `perf`) --------------------- */

enum perf_spec_kind {
    PERF_SPEC_DEFAULT,  /* not given: cpu on a platform with vCPUs and no accelerator; roofline
                           on an accelerator when model.flops is given; else the work as is */
    PERF_SPEC_PROFILE,  /* measured time by batch size, linear between points */
    PERF_SPEC_LINEAR,   /* base + per_item x batch, at least floor */
    PERF_SPEC_ROOFLINE, /* max(compute, memory) time on the accelerator, plus overhead */
    PERF_SPEC_CPU,      /* the vCPU share (Amdahl over the instance's vCPUs) */
    PERF_SPEC_MEASURED, /* the work is the time on this deployment's instances, as measured
                           there (a trace's durations): divided by a machine's speed only */
};

#define PERF_PROFILE_MAX 32 /* points of a measured profile */

struct perf_spec {
    enum perf_spec_kind kind;
    /* PROFILE: batch sizes (ascending, the first 1) and their times */
    uint32_t profile_batch[PERF_PROFILE_MAX];
    sim_time profile_ns[PERF_PROFILE_MAX];
    size_t n_profile;
    /* LINEAR */
    sim_time base_ns, per_item_ns, floor_ns;
    /* ROOFLINE; a negative value = not given (the defaults below) */
    double compute_efficiency, memory_efficiency;
    sim_time overhead_ns;
    int line, column;             /* where `perf` was written (0: not given), for errors */
};

/* Roofline efficiencies when `perf: {roofline: ...}` gives none: the share of the
 * dense peak that real kernels reach. microsoft/vidur's profiles of Llama-2-7B's
 * linear layers in FP16 (data/profiling/compute/{a100,h100}/meta-llama/Llama-2-7b-hf/
 * mlp.csv, 2024-05-14) run at 68-71% (A100) and 74-77% (H100) of the dense FP16 peak
 * once compute-bound (2,048 tokens), and read their weights at 71-75% (A100) and
 * 75-77% (H100) of the peak memory bandwidth at 1-64 tokens. */
#define PERF_COMPUTE_EFFICIENCY_DEFAULT 0.70
#define PERF_MEMORY_EFFICIENCY_DEFAULT 0.75

/* The roofline's fixed cost per batch when `overhead` is not given: kernel launches,
 * framework and server time that neither compute nor bandwidth explains. Least-squares
 * fits t(b) = t0 + t1 x b of NVIDIA's published latency tables put t0 at 0.13 ms
 * (TensorRT BERT-base on a T4) and 0.42 ms (on an A100-40GB; NVIDIA/TensorRT
 * demo/BERT README, 2022), 0.95 ms (Triton with ONNX Runtime-TensorRT, ResNet-50 on an
 * A100 80GB) and 2.9 ms (on a T4; NVIDIA/DeepLearningExamples, 2021-07). Assumed: 1 ms,
 * the order of those; a measured profile or an `overhead` of one's own replaces it. */
#define PERF_OVERHEAD_DEFAULT_NS 1000000

/* Device memory a process's CUDA context takes before any tensor: "around 400MB if
 * CUDA >= 11.7 is used and lazy module loading enabled (default in PyTorch)"
 * (pytorch/pytorch issue #109888, 2023-09-23, a PyTorch maintainer; ~300 MB in
 * issue #107667, 2023-08-28; over 1,000 MB before lazy loading). nvidia-smi counts
 * in MiB, so 400 MiB, per accelerator a request runs on. */
#define PERF_CUDA_CONTEXT_BYTES (400LL << 20)

struct serving_spec; /* llm.h */
struct llm_perf;     /* llm.h */

/* The instance a performance model is built for. */
struct perf_target {
    double speed;                 /* a dedicated machine's `speed` (1 elsewhere), > 0 */
    uint32_t slots;               /* requests one instance serves at once, >= 1 */
    int dedicated;                /* 1: a dedicated machine (the vCPU share only past its vCPUs) */
    double vcpus;                 /* vCPUs of one instance; 0 = not known */
    int64_t memory_bytes;         /* memory of one instance; 0 = not known */
    const struct accelerator *accel; /* NULL: CPU only */
    uint32_t n_accel;             /* accelerators per instance */
    uint32_t max_batch;           /* dynamic batching: the largest batch (0: no batching) */
    const struct serving_spec *serving; /* an LLM's engine settings (NULL: vLLM's defaults) */
    const char *where;            /* the platform or instance type, for messages; may be NULL */
};

/* ---- performance models --------------------------------------------------------
 *
 * A performance model answers one question for the platform serving a request: at
 * what rate does its work progress. The work of a request (r->service_ns) is its
 * time on the model's reference instance; a rate is reference ns of work done per ns
 * of simulated time, for each request in service.
 *
 * PERF_FIXED: the rate does not depend on what else runs on the instance, so the
 * execution time is fixed at start: work / speed, rounded to the ns. The execution
 * core computes it inline and keeps nothing of the request while it runs.
 *
 * PERF_SHARED: processor sharing. With k requests in service each progresses at
 * rate[k - 1]; the core keeps the instance's requests and reschedules the first
 * completion whenever k changes. */

enum perf_kind {
    PERF_FIXED,  /* duration fixed at start: work / speed */
    PERF_SHARED, /* rate by the number in service (processor sharing) */
    PERF_LLM,    /* an LLM's iterations (llm.h): time from tokens, not from the work */
};

struct perf_model {
    enum perf_kind kind;
    const char *name;             /* "scaled", "cpu", "profile", "linear", "roofline" (static) */
    enum perf_spec_kind built;    /* which model was built (what `default` stood for) */
    double speed;                 /* rate of one request alone, > 0; exactly 1 = the work itself */
    double *rate;                 /* PERF_SHARED: rate[k - 1] for k = 1..n_rate in service, owned */
    uint32_t n_rate;              /* = the instance's slots */
    /* Dynamic batching (target max_batch above 0): batch_ns[b - 1], the time of a batch
     * of b requests of the mean work on the instance, b = 1..max_batch, owned; a batch
     * takes batch_ns[b - 1] x the mean of its requests' work over mean_ns. NULL: none. */
    double *batch_ns;
    uint32_t max_batch;
    double mean_ns;               /* the mean of model.service, ns */
    struct llm_perf *llm;         /* PERF_LLM: the engine as built, owned */
};

/* A spec that says nothing: PERF_SPEC_DEFAULT, the roofline's efficiencies not given. */
void perf_spec_default(struct perf_spec *s);

/* "default", "profile", "linear", "roofline", "cpu": as `perf` writes them. */
const char *perf_spec_kind_name(enum perf_spec_kind k);

/* Time of a batch of `batch` items (>= 1) under a PROFILE or LINEAR spec, into *out_ns:
 * a profile is linear between its points (rounded to the ns) and exact at them; a
 * linear spec is max(floor, base + per_item x batch). 0, or -1 with err's message
 * (no position) for a batch beyond a profile's last point, or another kind. */
int perf_spec_time_ns(struct slsim_error *err, const struct perf_spec *s, uint32_t batch,
                      sim_time *out_ns);

/* The vCPU share: the rate of each of n requests in service on v vCPUs, relative to
 * one request alone on one vCPU, for a model whose work is the fraction p parallel
 * (Amdahl's law over the share each request gets):
 *     s(n) = 1 / ((1 - p) / min(1, v/n) + p * n / v)
 * The serial part runs on at most one vCPU, the parallel part on v/n of them.
 * n >= 1, v > 0, p in [0, 1]. */
double perf_vcpu_share(double p, double v, double n);

/* The speed of one request alone on v vCPUs under the vCPU share, s(1), exactly 1
 * where it is within 1e-12 of it (a serial model on one vCPU or more). */
double perf_cpu_speed(const struct model_spec *m, double v);

/* Memory fit: model m's weights (model.weights, else model.size), plus its
 * activations for each request in service (t->slots of them: concurrent requests
 * each hold their own), plus on an accelerator the CUDA context
 * (PERF_CUDA_CONTEXT_BYTES) of each device, must fit: on an accelerator, one
 * device's memory when a whole copy fits there (each request then runs on one
 * device, *sharded = 0), else the memory of all t->n_accel devices together (the
 * model split across them, *sharded = 1); on a CPU instance its memory, when known
 * (0: not checked). 0, or -1 with err's message (no position) naming both numbers:
 * "the model needs 16.479GB (weights 16.06GB + CUDA context 400MiB) but one T4 has
 * 16GB" (totals in decimal units, five significant digits). sharded may be NULL. */
int perf_check_memory(struct slsim_error *err, const struct model_spec *m,
                      const struct perf_target *t, int *sharded);

/* The model of spec for model m on instance t, into *out (free with perf_model_free).
 *
 * The kind: spec's, or for PERF_SPEC_DEFAULT cpu on an instance with vCPUs and no
 * accelerator, roofline on an accelerator when model.flops is given, else "scaled"
 * (the work divided by t->speed, as before performance models).
 *
 * The time of one request alone on the instance, t1: profile t(1); linear
 * max(floor, base + per_item); roofline max(flops / (F x ce), (weights +
 * activations) / (B x me)) + overhead, with F and B one device's dense FP16 peak and
 * memory bandwidth (all devices' together when the model is sharded across them: a
 * request runs on one device when a copy fits there, so more devices serve more
 * requests at once but do not speed one up). The model's service distribution is
 * the reference, so speed = E[S] / t1: a request's work keeps its ratio to the mean.
 * cpu: speed = s(1) of perf_vcpu_share on a serverless instance; t->speed on a
 * dedicated one (the share matters only past its vCPUs). A speed within 1e-12 of 1
 * is exactly 1, so the work runs as is.
 *
 * With t->slots > 1, k requests in service each progress at rate[k - 1]: cpu
 * serverless s(k); cpu dedicated speed x min(1, v / k); profile, linear and roofline
 * speed x min(1, u / k), time-sliced over u units (the devices holding a copy of the
 * model; 1 when sharded; without an accelerator the vCPUs, when known). Equal rates
 * (or slots 1, or scaled) give PERF_FIXED.
 *
 * 0, or -1 with err's message (no position: the caller places it) when the model
 * cannot serve there: a roofline without an accelerator or without model.flops, cpu
 * on an instance whose vCPUs are not known, a zero service mean where the speed is
 * E[S] / t1, or the model not fitting the memory (perf_check_memory). */
int perf_build(struct slsim_error *err, const struct perf_spec *spec, const struct model_spec *m,
               const struct perf_target *t, struct perf_model *out);

/* Frees what perf_build allocated; a zeroed model is fine. */
void perf_model_free(struct perf_model *m);

/* A fixed model of the given speed (no allocation): "scaled". */
void perf_model_scaled(struct perf_model *m, double speed);

/* service_ns on an instance of the given speed: service_ns / speed rounded half up,
 * exactly service_ns at speed 1. */
static inline sim_time perf_scaled_ns(sim_time service_ns, double speed)
{
    return speed == 1.0 ? service_ns : (sim_time)((double)service_ns / speed + 0.5);
}

#endif
