/* model_config.h - the scenario's `model:` section and a deployment's `perf` key
 * (docs/SCENARIO.md). */
#ifndef SLSIM_MODEL_CONFIG_H
#define SLSIM_MODEL_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/error.h"
#include "slsim/perf.h"

/* 2GiB: a memory setting of Lambda (its 2048 MB is 2048 MiB), SageMaker Serverless,
 * Flex and Cloud Run; 2GB (2e9 bytes) is not one of the first three's. The memory of
 * a serverless instance when neither model.memory nor the deployment gives one. */
#define MODEL_DEFAULT_MEMORY_BYTES 2147483648LL

struct ynode;

/* Fill *m from mapping n (the value of `model:`, key path "model"): name (default
 * "model"), size (0 when not given; where it was written in size_src/line/column,
 * which borrow n's file name), memory (bytes > 0, default MODEL_DEFAULT_MEMORY_BYTES)
 * and service, required; for the performance models flops (FLOPs of one item: a
 * number, or one with the unit FLOP and an SI prefix, `4.1GFLOP`; above 0), weights
 * (size above 0; 0 = model.size), activations (size per item, default 0) and
 * parallel_fraction (number in [0, 1], default 0); an LLM's architecture and the
 * weights' type (model_llm_parse, with catalog c); last `optimize`, which transforms
 * what the rest gave (model_optimize_parse). 0 with m->service owned by m
 * (dist_free), or -1 with err set at the offending node. */
int model_spec_parse(struct slsim_error *err, const struct ynode *n, const struct catalog *c,
                     struct model_spec *m);

/* model.llm and model.dtype of mapping n into *m: `llm:` a name of catalog c's `llms:`
 * or a mapping of the same keys (parameters, layers, hidden, kv_heads, head_dim,
 * context; source and date not asked), `dtype:` fp32, fp16, bf16, fp8, int8 or int4
 * (default fp16 for an LLM, fp32 for another model, whose dtype only model.optimize
 * reads). An LLM's weights (parameters x dtype) are model.weights and model.size where
 * those are not given, and its KV bytes per token are set. 0, or -1 with err. */
int model_llm_parse(struct slsim_error *err, const struct ynode *n, const struct catalog *c,
                    struct model_spec *m);

/* ---- model.optimize: a quantised or distilled model (optimize.c) ----------------
 *
 * A model that is not an LLM is taken to be described in fp32 (size, memory, service
 * time and flops of the model as trained: PyTorch's and ONNX's default type), the
 * baseline of the int8 figures below. */

/* int8 weights take 1 byte against fp32's 4: "a 4x reduction in the model size"
 * (R. Krishnamoorthi et al., "Introduction to Quantization on PyTorch", PyTorch blog,
 * 2020-03-26; the same in PyTorch's Quantization documentation, 1.13, 2022). */
#define MODEL_INT8_SIZE_FACTOR 0.25

/* int8 against fp32 on a CPU: ResNet-50, statically quantised, 214 ms in fp32 and 103
 * ms in int8, one thread of a Xeon D-2191 at 1.6 GHz (the same blog post, 2020-03-26,
 * "Performance Results"; BERT with dynamic quantisation there: 581 / 313 ms, 1.86x;
 * the post's summary: "a speedup of 2x to 3x"). A CNN on one vCPU is what serverless
 * CPU platforms serve; the factor is applied exactly, 214 / 103 = 2.0777. */
#define MODEL_INT8_CPU_SPEEDUP (214.0 / 103.0)

/* model.optimize as written. */
struct model_optimize {
    char quantize[8];            /* "int8", "fp8", "int4", or "" for none */
    double quantize_bytes;       /* bytes of a weight once quantised */
    double distill_size;         /* the student's size over the teacher's, (0, 1]; 1: none */
    double distill_speed;        /* the student's speed-up, > 0; 1: none */
    int weights_given, size_given; /* LLM: model.weights, model.size written (scaled,
                                      else derived again from the parameters) */
    const struct ynode *quantize_at, *distill_at; /* where written, for errors */
};

/* A transform that does nothing (distill 1 and 1, no quantize). */
void model_optimize_none(struct model_optimize *o);

/* Instance memory once the weights shrink by factor f: memory - w x (1 - f), w the
 * weights (at most the memory: the share of it the weights take), rounded up to a
 * whole MiB, the unit of memory settings (Lambda's 1 MB steps are MiB). Bytes. */
int64_t model_optimize_memory(int64_t memory_bytes, int64_t weights_bytes, double f);

/* Transform model m by o: distil, then quantise.
 *   not an LLM: f = distill.size x (quantize ? MODEL_INT8_SIZE_FACTOR : 1) and
 *     k = distill.speed x (quantize ? MODEL_INT8_CPU_SPEEDUP : 1); size and weights
 *     (where given) x f, rounded to the byte; memory by model_optimize_memory(memory,
 *     weights else size, f); every service time / k (the distribution scaled, its
 *     shape kept); flops / k; dtype_bytes 1 after int8. Only int8 quantises.
 *   an LLM: quantize sets dtype_bytes (fp8, int8 1, int4 0.5); weights = parameters x
 *     those bytes unless given, size = weights unless given (given ones scale by the
 *     ratio of the types); distill is refused (a student is its own architecture).
 * Fills m->opt_size, opt_speed, opt_quantize. 0, or -1 with a one-line reason. */
int model_optimize_apply(struct model_spec *m, const struct model_optimize *o, char *why,
                         size_t whylen);

/* model.optimize of mapping n (the `model:` section), applied to m once the rest of
 * the section is parsed: {quantize: int8|fp8|int4, distill: {size: X, speed: X}}, at
 * least one. Refused, with err at the key: an unknown key or type, distill.size
 * outside (0, 1], distill.speed not above 0, model.dtype written as another type than
 * quantize's, what model_optimize_apply refuses. Without `optimize` m->opt_* say none.
 * 0, or -1. */
int model_optimize_parse(struct slsim_error *err, const struct ynode *n, struct model_spec *m);

/* FLOPs written as text s: a plain number ("4.1e9") or a number and the unit FLOP
 * with an optional SI prefix k, M, G, T, P ("4.1GFLOP", "350 MFLOP"). 0 and *out,
 * or -1 with a one-line reason in why (a rate such as "GFLOPS" or "GFLOP/s" is
 * refused: this is the work of one item, not a throughput). */
int perf_parse_flops(const char *s, double *out, char *why, size_t whylen);

/* The `perf` of a deployment from node n at key path kp into *s (perf_spec_default
 * first; s->line and column are n's): `default`, `cpu`, `roofline`, or a mapping of
 * one kind to its parameters, {profile: {1: 7ms, 8: 16ms}} (batch sizes ascending
 * from 1, at most PERF_PROFILE_MAX points, times above 0), {linear: {base: D,
 * per_item: D, floor: D}} (floor optional; base + per_item or floor above 0),
 * {roofline: {compute_efficiency: X, memory_efficiency: X, overhead: D}} (each
 * optional; efficiencies in (0, 1]), {cpu: {}}. 0, or -1 with err set at the
 * offending node. */
int perf_spec_parse(struct slsim_error *err, const struct ynode *n, const char *kp,
                    struct perf_spec *s);

#endif
