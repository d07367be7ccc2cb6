/* serving_config.c - a deployment's `serving:` block: vLLM's engine settings, in its
 * names (llm.h). */
#include <stdio.h>

#include "slsim/llm.h"
#include "../base/yaml_get.h"

static const char *const serving_keys[] = {
    "max_num_seqs",          "max_num_batched_tokens", "block_size", "gpu_memory_utilization",
    "enable_chunked_prefill", "kv_cache_dtype",        "enable_prefix_caching",
    "tensor_parallel_size",   "data_parallel_size",    NULL};
static const char *const kv_dtypes[] = {"auto", "fp8", NULL};

int serving_spec_parse(struct slsim_error *err, const struct ynode *n, const char *path,
                       struct serving_spec *s)
{
    char kp[KEY_MAX];
    const struct ynode *v;
    serving_spec_default(s);
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, path, "expected a mapping of vLLM's engine settings such as "
                                      "{max_num_seqs: 256, gpu_memory_utilization: 0.9}, got %s",
                        ytree_describe(n));
    if (cfg_check_keys(err, n, path, serving_keys))
        return -1;
    s->given = 1;
    s->line = n->line;
    s->column = n->column;
    if ((v = ytree_get(n, "max_num_seqs"))) {
        cfg_path_join(kp, path, "max_num_seqs");
        if (cfg_get_u32_range(err, v, kp, 1, 1u << 20, &s->max_num_seqs))
            return -1;
    }
    if ((v = ytree_get(n, "max_num_batched_tokens"))) {
        cfg_path_join(kp, path, "max_num_batched_tokens");
        if (cfg_get_u32_range(err, v, kp, 1, 1u << 24, &s->max_num_batched_tokens))
            return -1;
    }
    if ((v = ytree_get(n, "block_size"))) {
        cfg_path_join(kp, path, "block_size");
        if (cfg_get_u32_range(err, v, kp, 1, 1u << 16, &s->block_size))
            return -1;
        /* vLLM's CacheConfig takes these block sizes (vllm/config/cache.py BlockSize) */
        uint32_t b = s->block_size;
        if (b != 1 && b != 8 && b != 16 && b != 32 && b != 64 && b != 128 && b != 256)
            return cfg_fail(err, v, kp, "vLLM's block sizes are 1, 8, 16, 32, 64, 128 and 256 "
                                        "tokens; got %u", b);
    }
    if ((v = ytree_get(n, "gpu_memory_utilization"))) {
        cfg_path_join(kp, path, "gpu_memory_utilization");
        if (cfg_get_number(err, v, kp, &s->gpu_memory_utilization))
            return -1;
        if (!(s->gpu_memory_utilization > 0 && s->gpu_memory_utilization <= 1))
            return cfg_fail(err, v, kp, "a share of the GPU's memory, above 0 and at most 1 "
                                        "(vLLM's default 0.9); got %s", v->text);
    }
    if ((v = ytree_get(n, "enable_chunked_prefill"))) {
        cfg_path_join(kp, path, "enable_chunked_prefill");
        if (cfg_get_bool(err, v, kp, &s->enable_chunked_prefill))
            return -1;
    }
    if ((v = ytree_get(n, "kv_cache_dtype"))) {
        cfg_path_join(kp, path, "kv_cache_dtype");
        if (cfg_get_enum(err, v, kp, "KV cache type", kv_dtypes, NULL, &s->kv_cache_fp8))
            return -1;
    }
    if ((v = ytree_get(n, "tensor_parallel_size"))) {
        cfg_path_join(kp, path, "tensor_parallel_size");
        if (cfg_get_u32_range(err, v, kp, 1, 64, &s->tensor_parallel_size))
            return -1;
    }
    if ((v = ytree_get(n, "data_parallel_size"))) {
        cfg_path_join(kp, path, "data_parallel_size");
        if (cfg_get_u32_range(err, v, kp, 1, 64, &s->data_parallel_size))
            return -1;
    }
    if ((v = ytree_get(n, "enable_prefix_caching"))) {
        int on = 0;
        cfg_path_join(kp, path, "enable_prefix_caching");
        if (cfg_get_bool(err, v, kp, &on))
            return -1;
        if (on)
            return cfg_fail(err, v, kp, "prefix caching shares the KV cache of identical prompt "
                                        "prefixes, and no trace or token distribution says "
                                        "which prompts share what: it is off (vLLM V1 turns it "
                                        "on by default)");
    }
    return 0;
}
