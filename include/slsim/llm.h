/* llm.h - serving a large language model as vLLM does: the engine's settings (a
 * deployment's `serving:`), the KV cache one instance holds, and the time of one
 * iteration of its scheduler.
 *
 * An LLM instance runs iterations back to back while it has sequences: each
 * iteration computes some new tokens of some sequences (a prompt's chunk, or one
 * decode token) in one forward pass. How it chooses them is the platform layer's
 * (llm_engine.c); what one costs in time and memory is here. */
#ifndef SLSIM_LLM_H
#define SLSIM_LLM_H

#include <stdint.h>

#include "slsim/error.h"
#include "slsim/perf.h"
#include "slsim/units.h"

/* A deployment's `serving:` block, in vLLM's names. 0 (or -1 for the switch) = not
 * given: vLLM's default for the instance's GPU (llm_perf_build). */
struct serving_spec {
    uint32_t max_num_seqs;           /* most sequences in one iteration's batch */
    uint32_t max_num_batched_tokens; /* most new tokens in one iteration */
    uint32_t block_size;             /* tokens a KV-cache block holds */
    double gpu_memory_utilization;   /* share of the GPU's memory vLLM may use, (0, 1] */
    int enable_chunked_prefill;      /* -1 default (on, vLLM V1), 0 off, 1 on */
    int kv_cache_fp8;                /* kv_cache_dtype: 0 auto (the weights' type, 2 bytes
                                        a value for FP16/BF16 models), 1 fp8 (1 byte) */
    uint32_t tensor_parallel_size;   /* GPUs of one instance the engine spans (0: 1) */
    uint32_t data_parallel_size;     /* engines on one instance, each over its own
                                        tensor_parallel_size GPUs (0: 1) */
    int given;                       /* 1: the deployment wrote `serving:` */
    int line, column;                /* where, for errors (0: not given) */
};

/* vLLM's defaults (vllm-project/vllm: vllm/config/cache.py DEFAULT_BLOCK_SIZE 16,
 * gpu_memory_utilization 0.9 in released versions; vllm/engine/arg_utils.py
 * get_batch_defaults for the OpenAI API server: max_num_seqs 256 and
 * max_num_batched_tokens 2,048 on GPUs under 70 GiB and on any A100, 1,024 and 8,192
 * on larger ones; with chunked prefill off, max_num_batched_tokens = max_model_len). */
#define LLM_BLOCK_SIZE_DEFAULT 16
#define LLM_GPU_MEMORY_UTILIZATION_DEFAULT 0.9
#define LLM_LARGE_GPU_BYTES (70LL << 30)
#define LLM_MAX_NUM_SEQS_SMALL 256
#define LLM_MAX_NUM_SEQS_LARGE 1024
#define LLM_MAX_BATCHED_TOKENS_SMALL 2048
#define LLM_MAX_BATCHED_TOKENS_LARGE 8192

/* What vLLM's memory profile takes besides the weights and the KV cache, from its
 * start-up log for Llama-2-7B on an 80 GB GPU at gpu_memory_utilization 0.90
 * (kubernetes-sigs/gateway-api-inference-extension PR #550, 2025-03-21): 71.27 GiB
 * usable = weights 12.55 GiB + peak activations 2.38 GiB + KV cache 56.18 GiB + 0.16
 * GiB of non-torch memory (the difference). The activation peak depends on the
 * model and the token budget; 2.38 GiB is assumed for every model
 * (`model.activations` replaces it). */
#define LLM_ACTIVATION_PEAK_BYTES ((int64_t)(2.38 * (1LL << 30)))
#define LLM_RUNTIME_BYTES ((int64_t)(0.16 * (1LL << 30)))

/* The fixed cost of one iteration besides the roofline's compute and memory time
 * (scheduling, sampling, kernel launches). vLLM 0.21.0 decodes Llama-3.1-8B (FP16,
 * 16.06 GB of weights) on one H100 80GB at a TPOT of 6.48 ms at concurrency 1
 * (yobitelcomm "InferenceBench" recipe, run 2026-05-16); reading the weights at 75%
 * of 3.35 TB/s takes 6.39 ms without any overhead, leaving 0.09 ms: 0.1 ms (with it,
 * and a short prompt's KV cache, the roofline gives 6.49-6.52 ms). */
#define LLM_ITERATION_OVERHEAD_DEFAULT_NS 100000

/* The fixed cost of one step of a ring all-reduce (a send and a receive between
 * neighbours, NCCL's launch and synchronisation), per step: assumed, no measurement at
 * hand; a ring of N GPUs takes 2 (N - 1) steps. */
#define LLM_ALLREDUCE_STEP_NS 2000

/* An LLM engine as built for one instance. With tensor parallelism over tp GPUs the
 * figures below are one GPU's: its share of the weights, of each token's KV cache and
 * of each iteration's FLOPs. */
struct llm_perf {
    uint32_t max_num_seqs, max_num_batched_tokens, block_size;
    int chunked_prefill;           /* 1: prefill chunks and decodes share iterations (V1);
                                      0: an iteration is all prefills or all decodes (V0) */
    uint32_t context;              /* max_model_len: the model's context, tokens */
    uint64_t kv_blocks;            /* KV-cache blocks one instance holds */
    double kv_bytes_per_token;     /* of the cache's type */
    /* the KV cache's budget, for messages and reports, bytes */
    double usable_bytes, weights_bytes, activation_bytes, runtime_bytes;
    /* iteration time: roofline (PERF_SPEC_ROOFLINE), or by tokens in the iteration
     * (PERF_SPEC_PROFILE, PERF_SPEC_LINEAR) */
    enum perf_spec_kind how;
    double flops_per_token;        /* 2 x parameters */
    double flops_per_pair;         /* attention: 4 x layers x hidden per (query, key) pair */
    double flops_per_ns;           /* compute efficiency x the GPU's dense peak, FLOP/ns */
    double bytes_per_ns;           /* memory efficiency x its bandwidth, bytes/ns */
    double overhead_ns;
    /* tensor parallelism: two ring all-reduces a layer an iteration of the iteration's
     * activations (tokens x hidden x 2 bytes) */
    uint32_t tp;                   /* tensor_parallel_size, >= 1 */
    uint32_t dp;                   /* data_parallel_size: engines an instance runs, >= 1 */
    uint32_t layers;
    double allreduce_bytes_per_token; /* hidden x 2 (FP16/BF16 activations) */
    double link_bytes_per_ns;      /* GPU-to-GPU, one direction: NVLink, else PCIe */
    double allreduce_step_ns;      /* LLM_ALLREDUCE_STEP_NS */
    struct perf_spec spec;         /* PROFILE or LINEAR: sizes read as tokens */
};

/* The engine of model m (an LLM) with serving s and performance spec ps (roofline by
 * default; a profile or linear spec gives time by tokens in the iteration) on one GPU
 * of instance t, into *out.
 *
 * Defaults: as vLLM's above, for t's GPU. KV cache: (the GPU's memory as reported,
 * else its catalog memory) x gpu_memory_utilization - weights - activation peak
 * (model.activations, else LLM_ACTIVATION_PEAK_BYTES) - LLM_RUNTIME_BYTES, in blocks
 * of block_size x kv_bytes_per_token (half with an FP8 cache), rounded down.
 *
 * 0, or -1 with err's message (no position) when: t has no accelerator; the perf
 * spec is cpu or measured; the cache cannot hold one sequence of the model's full
 * context (vLLM refuses to start then: the message gives the budget's parts); a
 * profile ends below max_num_batched_tokens; with chunked prefill off,
 * max_num_batched_tokens below the context. */
int llm_perf_build(struct slsim_error *err, const struct serving_spec *s,
                   const struct perf_spec *ps, const struct model_spec *m,
                   const struct perf_target *t, struct llm_perf *out);

/* The all-reduces of one iteration of `tokens` tokens under tensor parallelism, ns (0
 * at tp 1): the comm term above. */
double llm_allreduce_ns(const struct llm_perf *l, uint64_t tokens);

/* Time of one iteration that computes `tokens` new tokens (>= 1) with `pairs`
 * attention (query, key) pairs and reads `kv_tokens` tokens of KV cache, ns (>= 1):
 *     roofline: max(FLOPs / flops_per_ns, bytes / bytes_per_ns) + overhead + comm,
 *     FLOPs = (2 x parameters x tokens + 4 x layers x hidden x pairs) / tp,
 *     bytes = weights / tp + kv_bytes_per_token (one GPU's) x kv_tokens,
 *     comm = 2 x layers x (2 (tp - 1) / tp x tokens x hidden x 2 B / link bandwidth
 *                          + 2 (tp - 1) x LLM_ALLREDUCE_STEP_NS), 0 at tp 1;
 *     profile / linear: the spec's time at `tokens` (measured at the engine's tp).
 * A sequence with c tokens computed that computes n more attends over
 * sum_{j=1..n} (c + j) = n c + n (n + 1) / 2 pairs and reads c + n tokens of cache. */
double llm_iteration_ns(const struct llm_perf *l, uint64_t tokens, double pairs,
                        double kv_tokens);

/* `serving:` at n (key path `path`), into *s (left at its defaults first). 0, or -1
 * with err placed at the key. */
struct ynode;
int serving_spec_parse(struct slsim_error *err, const struct ynode *n, const char *path,
                       struct serving_spec *s);

/* A serving spec that says nothing (every value vLLM's default). */
void serving_spec_default(struct serving_spec *s);

#endif
