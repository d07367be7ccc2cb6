/* coldstart_llm.h - the cold start of a model as a serverless GPU platform starts it
 * (internal: serverless setup builds its model with this; coldstart.c defines it).
 *
 * An LLM's engine start is not a vision model's: vLLM profiles the model, sizes its
 * KV cache and captures CUDA graphs before it serves, and with tensor parallelism each
 * GPU copies its own shard of the weights. */
#ifndef SLSIM_COLDSTART_LLM_H
#define SLSIM_COLDSTART_LLM_H

#include "slsim/platform.h"

/* vLLM's engine initialisation with its default settings, Llama-3-8B: 14.2 s, of
 * which 10 s CUDA graph capture (vllm-project/vllm PR #11005, 2024-12-09). Assumed for
 * every other model, weight type and tensor-parallel size. */
#define COLDSTART_LLM_ENGINE_S 14.2

/* The catalog's name of the one LLM COLDSTART_LLM_ENGINE_S was measured for. */
#define COLDSTART_LLM_ENGINE_MODEL "llama-3-8b"

/* The cold-start model of deployment d on profile p for model: as
 * coldstart_model_build with the model's size and weights (model.weights, else its
 * size), and, for an LLM (model->is_llm) on a platform with an accelerator, an LLM
 * engine start in place of the profile's engine: p's llm_engine where the catalog
 * gives one, else COLDSTART_LLM_ENGINE_S (named in m->assumed unless the model is
 * Llama-3-8B in 16-bit weights on one GPU). With d->serving.tensor_parallel_size N
 * (0 means 1) each of the N GPUs copies weights / N over its own host link at once,
 * so the copy takes (weights / N) / copy bandwidth; fetch and load move the whole
 * size. 0, or -1 with err set as coldstart_model_build. */
int coldstart_model_for(struct coldstart_model *m, const struct serverless_spec *d,
                        const struct platform_profile *p, const struct model_spec *model,
                        struct slsim_error *err);

#endif
