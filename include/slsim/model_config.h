/* model_config.h - the scenario's `model:` section and a deployment's `perf` key
 * (docs/SCENARIO.md). */
#ifndef SLSIM_MODEL_CONFIG_H
#define SLSIM_MODEL_CONFIG_H

#include <stddef.h>

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
 * weights' type (model_llm_parse, with catalog c). 0 with m->service owned by m
 * (dist_free), or -1 with err set at the offending node. */
int model_spec_parse(struct slsim_error *err, const struct ynode *n, const struct catalog *c,
                     struct model_spec *m);

/* model.llm and model.dtype of mapping n into *m: `llm:` a name of catalog c's `llms:`
 * or a mapping of the same keys (parameters, layers, hidden, kv_heads, head_dim,
 * context; source and date not asked), `dtype:` fp32, fp16, bf16, fp8 or int8 (default
 * fp16). An LLM's weights (parameters x dtype) are model.weights and model.size where
 * those are not given, and its KV bytes per token are set. 0, or -1 with err. */
int model_llm_parse(struct slsim_error *err, const struct ynode *n, const struct catalog *c,
                    struct model_spec *m);

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
