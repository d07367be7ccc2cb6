/* llm_config.c - `model.llm` and `model.dtype`: a large language model by its catalog
 * name or its own architecture, and the type of its weights. What serving needs
 * follows: the weights' bytes and the KV cache's bytes per token. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "slsim/model_config.h"
#include "../base/yaml_get.h"

static const char *const llm_keys[] = {"parameters", "layers",   "hidden", "kv_heads",
                                       "head_dim",   "context",  NULL};
/* fp8 weights compute in FP8 where the GPU has the unit; int8 and int4 are weight-only
 * (vLLM's W8A16 / W4A16 kernels: fewer bytes read, FP16 compute). */
static const char *const dtype_names[] = {"fp32", "fp16", "bf16", "fp8", "int8", "int4", NULL};
static const double dtype_bytes[] = {4, 2, 2, 1, 1, 0.5};

/* A KV cache in FP16/BF16: 2 bytes a value (vLLM's kv_cache_dtype auto for such
 * models); K and V, each layers x kv_heads x head_dim values per token. */
static double kv_bytes_per_token(const struct llm_model *l)
{
    return 2.0 * l->layers * l->kv_heads * l->head_dim * 2.0;
}

/* `llm:` given as a mapping: the architecture's keys, each required. */
static int parse_own(struct slsim_error *err, const struct ynode *v, struct llm_model *l)
{
    char kp[KEY_MAX];
    const struct ynode *w;
    if (cfg_check_keys(err, v, "model.llm", llm_keys))
        return -1;
    snprintf(l->name, sizeof l->name, "own");
    snprintf(l->source, sizeof l->source, "the scenario");
    if (!(w = ytree_get(v, "parameters")))
        return cfg_missing(err, v, "model.llm", "parameters");
    if (cfg_get_number(err, w, "model.llm.parameters", &l->parameters))
        return -1;
    if (!(l->parameters >= 1e6 && l->parameters <= 1e14))
        return cfg_fail(err, w, "model.llm.parameters", "a model's parameters, counted "
                                                         "(8.03e9 for an 8B model), from 1e6 "
                                                         "to 1e14; got %s",
                        w->text);
    static const struct {
        const char *key;
        uint32_t max;
        size_t off;
    } counts[] = {{"layers", 10000, offsetof(struct llm_model, layers)},
                  {"hidden", 1u << 20, offsetof(struct llm_model, hidden)},
                  {"kv_heads", 10000, offsetof(struct llm_model, kv_heads)},
                  {"head_dim", 1u << 16, offsetof(struct llm_model, head_dim)},
                  {"context", 1u << 24, offsetof(struct llm_model, context)}};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        if (!(w = ytree_get(v, counts[i].key)))
            return cfg_missing(err, v, "model.llm", counts[i].key);
        cfg_path_join(kp, "model.llm", counts[i].key);
        if (cfg_get_u32_range(err, w, kp, 1, counts[i].max,
                              (uint32_t *)((char *)l + counts[i].off)))
            return -1;
    }
    return 0;
}

int model_llm_parse(struct slsim_error *err, const struct ynode *n, const struct catalog *c,
                    struct model_spec *m)
{
    const struct ynode *v;
    int t = 1; /* fp16 */
    m->is_llm = 0;
    m->kv_bytes_per_token = 0;
    if ((v = ytree_get(n, "dtype")) &&
        cfg_get_enum(err, v, "model.dtype", "weights' type", dtype_names, NULL, &t))
        return -1;
    m->dtype_bytes = dtype_bytes[t];
    m->dtype_fp8 = strcmp(dtype_names[t], "fp8") == 0;
    if (!(v = ytree_get(n, "llm"))) {
        /* a model that is not an LLM is described as trained, in fp32 (model_config.h) */
        if (!ytree_get(n, "dtype"))
            m->dtype_bytes = 4;
        return 0;
    }
    if (v->kind == YNODE_MAPPING) {
        if (parse_own(err, v, &m->llm))
            return -1;
    } else {
        char name[SLSIM_NAME_MAX];
        if (cfg_get_name(err, v, "model.llm", NAME_IDENT_DOT, name))
            return -1;
        const struct llm_model *l = c ? catalog_find_llm(c, name) : NULL;
        if (!l) {
            char names[512] = "";
            if (c)
                catalog_llm_names(c, names, sizeof names);
            return cfg_fail(err, v, "model.llm", "unknown LLM \"%s\"; known: %s, or a mapping "
                                                 "{parameters, layers, hidden, kv_heads, "
                                                 "head_dim, context}",
                            name, names[0] ? names : "none");
        }
        m->llm = *l;
    }
    m->is_llm = 1;
    m->kv_bytes_per_token = kv_bytes_per_token(&m->llm);
    /* the weights, and what a cold start fetches and loads, unless given */
    double w = m->llm.parameters * m->dtype_bytes;
    if (m->weights_bytes <= 0)
        m->weights_bytes = (int64_t)(w + 0.5);
    if (m->size_bytes <= 0)
        m->size_bytes = m->weights_bytes;
    return 0;
}
