/* test_llm_serving.c - an LLM served end to end: a scenario with model.llm on the
 * catalog's GPUs, its tokens from a trace or workload.tokens, through a fleet and a
 * serverless GPU platform. The engine's rules are tested in test_llm_engine.c; here
 * the numbers are the catalog's, worked by hand. */
#include <math.h>

#include "cli_helpers.h"
#include "helpers.h"

/* The roofline of one iteration with the catalog's H100-SXM (989e12 FLOP/s dense
 * FP16, 3.35e12 B/s) at the default efficiencies 0.70 and 0.75 plus 0.1 ms, for
 * Llama-2-7B (6.738e9 parameters in FP16: 13.476e9 B; 4 x 32 layers x 4096 hidden =
 * 524,288 FLOP a (query, key) pair; 524,288 B of KV cache a token), rounded up to the
 * ns as the engine does:
 *     max((2 x 6.738e9 x T + 524,288 x pairs) / (0.7 x 989e12),
 *         (13.476e9 + 524,288 x kv) / (0.75 x 3.35e12)) + 1e-4 s */
static sim_time h100_llama2_7b_ns(double tokens, double pairs, double kv)
{
    double c = (2 * 6.738e9 * tokens + 524288.0 * pairs) / (0.7 * 989e12);
    double b = (13.476e9 + 524288.0 * kv) / (0.75 * 3.35e12);
    return (sim_time)ceil(((c > b ? c : b) + 1e-4) * 1e9);
}

Test(llm_serving, one_request_alone_on_an_h100_is_its_prefill_and_decodes_by_hand)
{
    /* Prompt 512, output 3, one request every 10 s (never two at once) on a p5 (H100
     * SXM): prefill T 512, pairs 512 x 513 / 2 = 131,328, kv 512: compute-bound,
     * 6.9686e12 FLOP / 692.3e12 = 10.066 ms + 0.1 = 10.166 ms = TTFT; decodes at
     * contexts 513 and 514: memory-bound, 13.745e9 B / 2.5125e12 = 5.471 ms + 0.1 =
     * 5.571 ms each; end-to-end 21.31 ms. */
    struct scenario *s = load_yaml(
        "duration: 100s\nseed: 1\nmodel: {llm: llama-2-7b}\n"
        "workload: {arrival: constant, rate: 6/min, tokens: {prompt: 512, output: 3}}\n"
        "deployments: [{type: dedicated, instance: p5.48xlarge, count: 1}]\n");
    struct deployment_result r = run_one(s, 0);
    sim_time prefill = h100_llama2_7b_ns(512, 512.0 * 513 / 2, 512);
    sim_time d1 = h100_llama2_7b_ns(1, 513, 513), d2 = h100_llama2_7b_ns(1, 514, 514);
    cr_assert(r.llm);
    cr_assert_eq(r.served, 9); /* arrivals at 10 s, 20 s, ..., 90 s */
    cr_assert_eq(r.llm->ttft.min_ns, prefill, "%lld vs %lld", (long long)r.llm->ttft.min_ns,
                 (long long)prefill);
    cr_assert_eq(r.llm->ttft.max_ns, prefill);
    cr_assert_eq(r.latency.min_ns, prefill + d1 + d2);
    cr_assert_eq(r.latency.max_ns, prefill + d1 + d2);
    cr_assert_eq(r.llm->tpot.min_ns, (d1 + d2) / 2);
    cr_assert_eq(r.llm->prompt_tokens, 9 * 512);
    cr_assert_eq(r.llm->output_tokens, 9 * 3);
    cr_assert(fabs(prefill / 1e6 - 10.166) < 0.001, "%f", prefill / 1e6);
    result_free(&r);
    scenario_destroy(s);
}

Test(llm_serving, the_conversation_trace_replays_and_rejects_exactly_the_requests_over_the_context,
     .timeout = 60)
{
    /* AzureLLMInferenceTrace_conv.csv: 19,366 requests; 1,612 have ContextTokens +
     * GeneratedTokens above Llama-2-7B's 4,096 and are rejected; the other 17,754
     * carry 15,591,768 prompt and 3,977,208 output tokens, all served within the
     * three hours simulated (the trace spans one). Counted with
     *   awk -F, 'NR>1 && $2+$3<=4096 {n++; c+=$2; g+=$3} END {print n, c, g}'. */
    struct scenario *s = load_yaml(
        "duration: 3h\nmodel: {llm: llama-2-7b}\n"
        "workload: {arrival: trace, trace: {format: azure-llm, path: "
        "traces/azure-llm/AzureLLMInferenceTrace_conv.csv}}\n"
        "deployments: [{type: dedicated, instance: g6e.xlarge, count: 4}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 19366);
    cr_assert_eq(r.llm->rejected, 1612);
    cr_assert_eq(r.served, 17754);
    cr_assert_eq(r.llm->prompt_tokens, 15591768);
    cr_assert_eq(r.llm->output_tokens, 3977208);
    cr_assert_eq(r.llm->ttft.count, 17754);
    /* every request of more than one output token has a TPOT; none has fewer than 1 */
    cr_assert_leq(r.llm->tpot.count, 17754);
    cr_assert_gt(r.llm->iterations, 0);
    result_free(&r);
    scenario_destroy(s);
}

Test(llm_serving, a_serverless_gpu_starts_cold_and_the_first_ttft_carries_it)
{
    /* Modal's H100 from zero: the first request's TTFT is its cold start (about a
     * minute: 13.5 GB of weights) plus the prefill (10.166 ms, above); once warm
     * (keep-alive 5 min, one request every 2 min, the first at 2 min, so none waits
     * for the cold start of another) every other TTFT is the prefill alone. */
    struct scenario *s = load_yaml(
        "duration: 20min\nseed: 1\nmodel: {llm: llama-2-7b, memory: 32GiB}\n"
        "workload: {arrival: constant, rate: 0.5/min, tokens: {prompt: 512, output: 3}}\n"
        "deployments: [{platform: modal-h100, keep_alive: 5m}]\n");
    struct deployment_result r = run_one(s, 0);
    sim_time prefill = h100_llama2_7b_ns(512, 512.0 * 513 / 2, 512);
    cr_assert_eq(r.cold_starts, 1);
    cr_assert_eq(r.served, 9); /* arrivals at 10 s, 20 s, ..., 90 s */
    cr_assert_eq(r.llm->ttft.min_ns, prefill);
    sim_time cold = (sim_time)llround(r.coldstart_s * 1e9);
    cr_assert_gt(cold, 0);
    cr_assert_eq(r.llm->ttft.max_ns, cold + prefill, "%lld vs %lld + %lld",
                 (long long)r.llm->ttft.max_ns, (long long)cold, (long long)prefill);
    cr_assert_gt(result_cost_total(&r), 0);
    result_free(&r);
    scenario_destroy(s);
}

Test(llm_serving, an_llm_needs_tokens_and_a_gpu)
{
    struct slsim_error e = load_yaml_error(
        "duration: 1h\nmodel: {llm: llama-3-8b}\nworkload: {arrival: poisson, rate: 1/s}\n"
        "deployments: [{type: dedicated, instance: g6e.xlarge}]\n");
    cr_assert_str_eq(e.key, "model.llm");
    cr_assert(strstr(e.message, "workload.tokens"), "%s", e.message);
    e = load_yaml_error("duration: 1h\nmodel: {llm: llama-3-8b}\n"
                        "workload: {arrival: poisson, rate: 1/s, tokens: {prompt: 10, output: 10}}\n"
                        "deployments: [{type: dedicated, instance: c6i.xlarge}]\n");
    cr_assert_str_eq(e.key, "deployments.dedicated-1.instance");
    cr_assert(strstr(e.message, "GPU"), "%s", e.message);
    e = load_yaml_error("duration: 1h\nmodel: {name: m, service: 1s}\n"
                        "workload: {arrival: poisson, rate: 1/s}\n"
                        "deployments: [{type: dedicated, instance: g6e.xlarge, "
                        "serving: {max_num_seqs: 8}}]\n");
    cr_assert_str_eq(e.key, "deployments.dedicated-1.serving");
    cr_assert(strstr(e.message, "model.llm"), "%s", e.message);
}

Test(llm_serving, serving_sets_the_engine_and_the_slots)
{
    /* max_num_seqs 8 is also a machine's slots (no `slots` given). */
    struct scenario *s = load_yaml(
        "duration: 100s\nmodel: {llm: llama-3-8b}\n"
        "workload: {arrival: constant, rate: 0.6/min, tokens: {prompt: 100, output: 10}}\n"
        "deployments: [{type: dedicated, instance: g6e.xlarge, "
        "serving: {max_num_seqs: 8, enable_chunked_prefill: false}}]\n");
    cr_assert_eq(s->deployments[0].dedicated.slots, 8);
    cr_assert_eq(s->deployments[0].dedicated.serving.enable_chunked_prefill, 0);
    /* the engine as built, in the result: max_num_seqs 8; with chunked prefill off
     * vLLM's token budget is the model's context, 8,192 */
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.llm->max_num_seqs, 8);
    cr_assert_eq(r.llm->max_num_batched_tokens, 8192);
    cr_assert_eq(r.llm->chunked_prefill, 0);
    result_free(&r);
    scenario_destroy(s);
    /* vLLM's defaults on an L40S (48 GB, under 70 GiB): 256 and 2,048, chunked */
    s = load_yaml("duration: 100s\nmodel: {llm: llama-3-8b}\n"
                  "workload: {arrival: constant, rate: 0.6/min, tokens: {prompt: 100, output: 10}}\n"
                  "deployments: [{type: dedicated, instance: g6e.xlarge}]\n");
    r = run_one(s, 0);
    cr_assert_eq(r.llm->max_num_seqs, 256);
    cr_assert_eq(r.llm->max_num_batched_tokens, 2048);
    cr_assert_eq(r.llm->chunked_prefill, 1);
    cr_assert_eq(s->deployments[0].dedicated.slots, 256);
    result_free(&r);
    scenario_destroy(s);
}

Test(llm_serving, requests_never_served_miss_the_ttft_and_tpot_objectives)
{
    /* 99 served requests with a TTFT and TPOT of 100 ms and one rejected (over the
     * context): 100 measured, p99 by nearest rank = the 99th value, 100 ms: within
     * 1 s. With two rejected (101 measured) the 99th percentile is rank
     * ceil(0.99 x 101) = 100, a request that never got a token: missed. */
    struct deployment_result r;
    result_init(&r);
    cr_assert_eq(result_llm_alloc(&r), 0);
    for (int k = 0; k < 99; k++) {
        histogram_record(&r.llm->ttft, 100000000);
        histogram_record(&r.llm->tpot, 100000000);
    }
    r.served = 99;
    r.requests = 100;
    r.llm->rejected = 1;
    struct slo_spec slo = {.ttft_percentile = 99, .ttft_ns = SIM_NS_PER_S};
    cr_assert_eq(result_llm_slo_met(&r, &slo), 1);
    r.requests = 101;
    cr_assert_eq(result_llm_slo_met(&r, &slo), 0);
    slo = (struct slo_spec){.tpot_percentile = 99, .tpot_ns = SIM_NS_PER_S};
    cr_assert_eq(result_llm_slo_met(&r, &slo), 0);
    r.requests = 99; /* none missing: met */
    cr_assert_eq(result_llm_slo_met(&r, &slo), 1);
    result_free(&r);
}

Test(llm_serving, the_text_report_gives_each_engine_as_built_a_hybrid_per_tier, .timeout = 60)
{
    /* A hybrid of an L40S base (11,640 blocks of Llama-3-8B's 128 KiB x 16) and an
     * A100 80 GB overflow (25,373 blocks): each tier's engine on a line of its own. */
    char path[] = "/tmp/slsim-llm-XXXXXX";
    write_temp(path,
               "duration: 2m\nmodel: {llm: llama-3-8b, memory: 32GiB}\n"
               "workload: {arrival: poisson, rate: 2/s, tokens: {prompt: 100, output: 20}}\n"
               "deployments:\n  - name: hyb\n    type: hybrid\n"
               "    base: {instance: g6e.xlarge, count: 1, slots: 4,"
               " serving: {max_num_seqs: 4}}\n"
               "    overflow: {platform: modal-a100-80gb, concurrency: 8}\n");
    char args[128];
    snprintf(args, sizeof args, "run %s", path);
    struct outcome o = run(args);
    unlink(path);
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_expect(strstr(o.out, "hyb base: engine max_num_seqs 4, max_num_batched_tokens 2048, "
                            "chunked prefill on; KV cache 11640 blocks of 16 tokens (186240 "
                            "tokens) an instance\n"),
              "%s", o.out);
    cr_expect(strstr(o.out, "hyb overflow: engine max_num_seqs 256, max_num_batched_tokens "
                            "2048, chunked prefill on; KV cache 25373 blocks of 16 tokens"),
              "%s", o.out);
    outcome_free(&o);
}
