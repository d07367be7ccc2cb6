/* llm_perf.c - an LLM engine on one GPU: vLLM's defaults for it, the KV cache that
 * fits beside the weights, and the time of one iteration (llm.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "slsim/llm.h"

void serving_spec_default(struct serving_spec *s)
{
    *s = (struct serving_spec){.enable_chunked_prefill = -1};
}

/* vLLM's per-GPU defaults: the larger ones on GPUs of 70 GiB or more that are not
 * A100s (arg_utils.py: the A100 keeps the smaller token budget, PR #17885). */
static int large_gpu(const struct accelerator *a)
{
    return a->memory_bytes >= LLM_LARGE_GPU_BYTES && strncmp(a->name, "A100", 4) != 0;
}

static void fmt_gib(double bytes, char *buf, size_t n)
{
    snprintf(buf, n, "%.2f GiB", bytes / (double)(1LL << 30));
}

int llm_perf_build(struct slsim_error *err, const struct serving_spec *s,
                   const struct perf_spec *ps, const struct model_spec *m,
                   const struct perf_target *t, struct llm_perf *out)
{
    struct serving_spec none;
    if (!s) {
        serving_spec_default(&none);
        s = &none;
    }
    *out = (struct llm_perf){0};
    const struct accelerator *a = t->accel;
    const char *where = t->where ? t->where : "this instance";
    if (!a || t->n_accel == 0)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "an LLM (model.llm) is served on a GPU, and %s has none", where);
    if (ps->kind == PERF_SPEC_CPU || ps->kind == PERF_SPEC_MEASURED)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "perf: %s does not time an LLM's iterations; use roofline (the "
                               "default), or a profile or linear spec by tokens per iteration",
                               perf_spec_kind_name(ps->kind));
    uint32_t tp = s->tensor_parallel_size ? s->tensor_parallel_size : 1;
    uint32_t dp = s->data_parallel_size ? s->data_parallel_size : 1;
    if ((uint64_t)tp * dp > t->n_accel) {
        if (dp == 1)
            return slsim_error_set(err, NULL, 0, 0, NULL,
                                   "tensor_parallel_size %u needs %u GPUs in one instance, "
                                   "and %s has %u",
                                   tp, tp, where, t->n_accel);
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "data_parallel_size %u x tensor_parallel_size %u needs %u GPUs "
                               "in one instance, and %s has %u",
                               dp, tp, dp * tp, where, t->n_accel);
    }
    uint32_t kvh = m->llm.kv_heads ? m->llm.kv_heads : 1;
    if (kvh % tp != 0 && tp % kvh != 0)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "tensor_parallel_size %u must divide %s's %u KV heads, or be a "
                               "multiple of them (vLLM then replicates each head)",
                               tp, m->llm.name, kvh);
    int large = large_gpu(a);
    out->context = m->llm.context;
    out->block_size = s->block_size ? s->block_size : LLM_BLOCK_SIZE_DEFAULT;
    out->max_num_seqs = s->max_num_seqs        ? s->max_num_seqs
                        : large                ? LLM_MAX_NUM_SEQS_LARGE
                                               : LLM_MAX_NUM_SEQS_SMALL;
    out->chunked_prefill = s->enable_chunked_prefill != 0;
    if (s->max_num_batched_tokens)
        out->max_num_batched_tokens = s->max_num_batched_tokens;
    else if (!out->chunked_prefill)
        out->max_num_batched_tokens = out->context; /* vLLM: max_model_len */
    else
        out->max_num_batched_tokens = large ? LLM_MAX_BATCHED_TOKENS_LARGE
                                            : LLM_MAX_BATCHED_TOKENS_SMALL;
    if (!out->chunked_prefill && out->max_num_batched_tokens < out->context)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "with enable_chunked_prefill false a prompt runs in one "
                               "iteration, so max_num_batched_tokens (%u) must be at least the "
                               "model's context (%u), as vLLM requires",
                               out->max_num_batched_tokens, out->context);

    /* The KV cache: what gpu_memory_utilization leaves of the GPU's memory. */
    double util = s->gpu_memory_utilization > 0 ? s->gpu_memory_utilization
                                                : LLM_GPU_MEMORY_UTILIZATION_DEFAULT;
    double total = (double)(a->memory_reported_bytes > 0 ? a->memory_reported_bytes
                                                          : a->memory_bytes);
    out->usable_bytes = total * util;
    /* one GPU's share: tensor parallelism splits the weights, and the KV heads (each GPU
     * keeps at least one: vLLM replicates them when tp exceeds their number) */
    out->tp = tp;
    out->dp = dp;
    out->weights_bytes = (double)(m->weights_bytes > 0 ? m->weights_bytes : m->size_bytes) / tp;
    double heads = m->llm.kv_heads ? (double)m->llm.kv_heads : 1.0;
    double heads_per_gpu = heads / tp >= 1.0 ? floor(heads / tp) : 1.0;
    out->activation_bytes = (double)(m->activations_bytes > 0 ? m->activations_bytes
                                                              : LLM_ACTIVATION_PEAK_BYTES);
    out->runtime_bytes = (double)LLM_RUNTIME_BYTES;
    out->kv_bytes_per_token =
        m->kv_bytes_per_token * (s->kv_cache_fp8 ? 0.5 : 1.0) * heads_per_gpu / heads;
    double kv = out->usable_bytes - out->weights_bytes - out->activation_bytes -
                out->runtime_bytes;
    double block_bytes = out->kv_bytes_per_token * out->block_size;
    out->kv_blocks = kv > 0 && block_bytes > 0 ? (uint64_t)floor(kv / block_bytes) : 0;
    if (out->kv_blocks * out->block_size < out->context) {
        char u[32], w[32], act[32], rt[32], k[32];
        fmt_gib(out->usable_bytes, u, sizeof u);
        fmt_gib(out->weights_bytes, w, sizeof w);
        fmt_gib(out->activation_bytes, act, sizeof act);
        fmt_gib(out->runtime_bytes, rt, sizeof rt);
        fmt_gib(kv, k, sizeof k);
        char gpus[48] = "one", more[80] = "";
        if (tp > 1)
            snprintf(gpus, sizeof gpus, "each of %u", tp);
        if (t->n_accel > tp)
            snprintf(more, sizeof more, ", more of its %u (serving.tensor_parallel_size)",
                     t->n_accel);
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "%s does not fit %s %s with a KV cache for its context: %s "
                               "usable (gpu_memory_utilization %.2f) - weights %s - activations "
                               "%s - runtime %s leaves %s, %llu tokens, below the context of "
                               "%u (vLLM refuses to start); use a GPU with more memory%s, or "
                               "smaller weights (model.dtype)",
                               m->llm.name, gpus, a->name, u, util, w, act, rt, k,
                               (unsigned long long)(out->kv_blocks * out->block_size),
                               out->context, more);
    }

    /* The iteration's time. */
    out->how = ps->kind == PERF_SPEC_DEFAULT ? PERF_SPEC_ROOFLINE : ps->kind;
    out->spec = *ps;
    if (out->how == PERF_SPEC_PROFILE &&
        ps->profile_batch[ps->n_profile - 1] < out->max_num_batched_tokens)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "for an LLM a profile gives an iteration's time by its tokens, "
                               "and must reach max_num_batched_tokens (%u); its last point is "
                               "%u",
                               out->max_num_batched_tokens, ps->profile_batch[ps->n_profile - 1]);
    double ce = ps->compute_efficiency >= 0 ? ps->compute_efficiency
                                            : PERF_COMPUTE_EFFICIENCY_DEFAULT;
    double me = ps->memory_efficiency >= 0 ? ps->memory_efficiency
                                           : PERF_MEMORY_EFFICIENCY_DEFAULT;
    /* FP8 weights compute in FP8 where the GPU has the unit (Hopper, Ada); elsewhere,
     * and for every other type, at the FP16/BF16 peak. */
    double peak = m->dtype_bytes == 1 && m->dtype_fp8 && a->fp8_flops > 0 ? a->fp8_flops
                                                                          : a->fp16_flops;
    out->flops_per_token = 2.0 * m->llm.parameters / tp;
    out->flops_per_pair = 4.0 * m->llm.layers * (double)m->llm.hidden / tp;
    out->layers = m->llm.layers;
    out->allreduce_bytes_per_token = 2.0 * m->llm.hidden;
    out->link_bytes_per_ns =
        (a->gpu_link_bytes_per_s > 0 ? a->gpu_link_bytes_per_s : a->host_bytes_per_s) / 1e9;
    out->allreduce_step_ns = LLM_ALLREDUCE_STEP_NS;
    out->flops_per_ns = ce * peak / 1e9;
    out->bytes_per_ns = me * a->memory_bytes_per_s / 1e9;
    out->overhead_ns = ps->overhead_ns >= 0 ? (double)ps->overhead_ns
                                            : (double)LLM_ITERATION_OVERHEAD_DEFAULT_NS;
    return 0;
}

double llm_allreduce_ns(const struct llm_perf *l, uint64_t tokens)
{
    if (l->tp <= 1 || !(l->link_bytes_per_ns > 0))
        return 0.0;
    double n = l->tp, message = (double)tokens * l->allreduce_bytes_per_token;
    double one = 2.0 * (n - 1.0) / n * message / l->link_bytes_per_ns +
                 2.0 * (n - 1.0) * l->allreduce_step_ns;
    return 2.0 * l->layers * one;
}

double llm_iteration_ns(const struct llm_perf *l, uint64_t tokens, double pairs,
                        double kv_tokens)
{
    double t;
    if (l->how == PERF_SPEC_ROOFLINE) {
        double flops = l->flops_per_token * (double)tokens + l->flops_per_pair * pairs;
        double bytes = l->weights_bytes + l->kv_bytes_per_token * kv_tokens;
        double c = flops / l->flops_per_ns, b = bytes / l->bytes_per_ns;
        t = (c > b ? c : b) + l->overhead_ns + llm_allreduce_ns(l, tokens);
    } else {
        struct slsim_error err;
        sim_time ns = 0;
        uint32_t n = tokens > UINT32_MAX ? UINT32_MAX : (uint32_t)tokens;
        /* the build checked the profile reaches the token budget */
        if (perf_spec_time_ns(&err, &l->spec, n, &ns) != 0)
            ns = 0;
        t = (double)ns;
    }
    return t >= 1.0 ? t : 1.0;
}
