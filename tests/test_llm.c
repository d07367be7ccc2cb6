/* test_llm.c - large language models as the catalog and model.llm give them: the
 * weights' bytes (parameters x the bytes of model.dtype) and the KV cache's bytes per
 * token (2 for K and V x layers x kv_heads x head_dim x 2 bytes), by hand. */
#include "cli_helpers.h"
#include "helpers.h"

static struct scenario *with_model(const char *model)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "duration: 1h\nmodel: %s\nworkload: {arrival: poisson, rate: 1/s, tokens: {prompt: 100, output: 10}}\n"
             "deployments: [{platform: modal-h100, memory: 200GiB}]\n",
             model);
    return load_yaml(yaml);
}

Test(llm, the_catalogs_llama_models_give_weights_and_kv_per_token)
{
    /* Llama-2-7B: 6.738e9 parameters x 2 B = 13.476 GB; KV 2 x 32 x 32 x 128 x 2 B =
     * 524,288 B (512 KiB); context 4,096. Llama-3-8B (grouped-query attention, 8 KV
     * heads): 8.03e9 x 2 = 16.06 GB; KV 2 x 32 x 8 x 128 x 2 = 131,072 B (128 KiB);
     * context 8,192. Llama-2-70B: 2 x 80 x 8 x 128 x 2 = 327,680 B. */
    struct scenario *s = with_model("{llm: llama-2-7b, service: 1s}");
    cr_assert(s->model.is_llm);
    cr_assert_eq(s->model.weights_bytes, 13476000000LL);
    cr_assert_eq(s->model.size_bytes, 13476000000LL); /* what a cold start moves */
    cr_assert_float_eq(s->model.kv_bytes_per_token, 524288.0, 1e-9);
    cr_assert_eq(s->model.llm.context, 4096);
    scenario_destroy(s);
    s = with_model("{llm: llama-3-8b, service: 1s}");
    cr_assert_eq(s->model.weights_bytes, 16060000000LL);
    cr_assert_float_eq(s->model.kv_bytes_per_token, 131072.0, 1e-9);
    cr_assert_eq(s->model.llm.context, 8192);
    scenario_destroy(s);
    /* (in INT8 on the H100: 70 GB of weights leave room for a 4,096-token context) */
    s = with_model("{llm: llama-2-70b, dtype: int8, service: 1s}");
    cr_assert_float_eq(s->model.kv_bytes_per_token, 327680.0, 1e-9);
    scenario_destroy(s);
}

Test(llm, dtype_sets_the_weights_and_given_weights_or_size_win)
{
    /* FP8 weights: 8.03e9 x 1 B = 8.03 GB; FP32: 4 B each = 32.12 GB. */
    struct scenario *s = with_model("{llm: llama-3-8b, dtype: fp8, service: 1s}");
    cr_assert_eq(s->model.weights_bytes, 8030000000LL);
    scenario_destroy(s);
    s = with_model("{llm: llama-3-8b, dtype: fp32, service: 1s}");
    cr_assert_eq(s->model.weights_bytes, 32120000000LL);
    scenario_destroy(s);
    s = with_model("{llm: llama-3-8b, weights: 5GB, size: 6GB, service: 1s}");
    cr_assert_eq(s->model.weights_bytes, 5000000000LL);
    cr_assert_eq(s->model.size_bytes, 6000000000LL);
    scenario_destroy(s);
}

Test(llm, a_models_own_architecture)
{
    /* A 1.1e9-parameter model with 22 layers, 4 KV heads of 64: KV 2 x 22 x 4 x 64 x 2
     * = 22,528 B a token; weights 2.2 GB. */
    struct scenario *s = with_model("{llm: {parameters: 1.1e9, layers: 22, hidden: 2048,"
                                    " kv_heads: 4, head_dim: 64, context: 2048}, service: 1s}");
    cr_assert_eq(s->model.weights_bytes, 2200000000LL);
    cr_assert_float_eq(s->model.kv_bytes_per_token, 22528.0, 1e-9);
    scenario_destroy(s);
    struct slsim_error e = load_yaml_error(
        "duration: 1h\nmodel: {llm: {parameters: 1.1e9, layers: 22}, service: 1s}\n"
        "workload: {arrival: poisson, rate: 1/s, tokens: {prompt: 100, output: 10}}\ndeployments: [{platform: generic}]\n");
    cr_assert(strstr(e.key, "model.llm") && strstr(e.message, "hidden"), "%s: %s", e.key,
              e.message);
}

Test(llm, an_unknown_name_lists_the_known_ones)
{
    struct slsim_error e = load_yaml_error(
        "duration: 1h\nmodel: {llm: llama-4-8b, service: 1s}\n"
        "workload: {arrival: poisson, rate: 1/s, tokens: {prompt: 100, output: 10}}\ndeployments: [{platform: generic}]\n");
    cr_assert_str_eq(e.key, "model.llm");
    cr_assert(strstr(e.message, "unknown LLM \"llama-4-8b\"") && strstr(e.message, "llama-3-8b"),
              "%s", e.message);
}

Test(llm, a_model_too_large_for_the_gpu_is_refused_with_both_numbers)
{
    /* Llama-3-8B in FP16 on a T4: 16 GB x 0.9 = 13.41 GiB usable, less 16.06 GB =
     * 14.96 GiB of weights: no room for a KV cache, as vLLM would find. */
    struct slsim_error e = load_yaml_error(
        "duration: 1h\nmodel: {llm: llama-3-8b, service: 1s}\n"
        "workload: {arrival: poisson, rate: 1/s, tokens: {prompt: 100, output: 10}}\n"
        "deployments: [{platform: modal-t4, memory: 32GiB}]\n");
    cr_assert(strstr(e.message, "does not fit one T4") && strstr(e.message, "13.41 GiB usable") &&
                  strstr(e.message, "weights 14.96 GiB"),
              "%s", e.message);
    cr_assert_str_eq(e.key, "deployments.serverless-1.platform");
}

Test(llm, catalog_show_gives_the_architecture_and_what_follows, .timeout = 30)
{
    struct outcome o = run("catalog show llama-3-8b");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_expect(strstr(o.out, "KV cache      128KiB a token"), "%s", o.out);
    cr_expect(strstr(o.out, "context       8192 tokens"), "%s", o.out);
    outcome_free(&o);
    o = run("catalog show llama-2-7b --format json");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_expect(strstr(o.out, "\"kv_bytes_per_token\":\t524288"), "%s", o.out);
    outcome_free(&o);
}
