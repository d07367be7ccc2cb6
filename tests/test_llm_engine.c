/* test_llm_engine.c - the LLM iteration-level scheduler (llm_engine.c) and its
 * iteration time and KV cache (llm_perf.c).
 *
 * The engines below time an iteration by a roofline of round numbers, so each case
 * is worked by hand:
 *     t(T, pairs, kv) = max(100 T + pairs, 1000 + 10 kv) + 50 ns
 * (2 x parameters = 100 FLOP a token at 1 FLOP/ns; 4 x layers x hidden = 1 FLOP a
 * (query, key) pair; 1,000 bytes of weights and 10 bytes of KV a token at 1 byte/ns;
 * 50 ns of overhead). A sequence with c tokens computed that computes n more attends
 * over n c + n (n + 1) / 2 pairs and reads c + n tokens of cache. A decode at context
 * c (one token, c tokens of cache) is memory-bound: t = 1050 + 10 c. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "../sim/platform/core.h"
#include "../sim/platform/llm_engine.h"
#include "slsim/llm.h"

#define KIND 9

struct bench {
    struct event_heap heap;
    struct core core;
    struct occupancy occ;
    struct deployment_result res;
    sim_time done_at[16];   /* completion time by request id (arrival_ns's low bits) */
    size_t n_done;
    uint64_t peak_blocks;   /* most KV blocks instance 0 held at an event */
};

static struct llm_perf round_perf(void)
{
    return (struct llm_perf){.max_num_seqs = 256, .max_num_batched_tokens = 2048,
                             .block_size = 16, .chunked_prefill = 1, .context = 4096,
                             .kv_blocks = 1000, .kv_bytes_per_token = 10,
                             .weights_bytes = 1000, .how = PERF_SPEC_ROOFLINE,
                             .flops_per_token = 100, .flops_per_pair = 1, .flops_per_ns = 1,
                             .bytes_per_ns = 1, .overhead_ns = 50};
}

static void bench_init(struct bench *b, struct llm_perf l)
{
    memset(b, 0, sizeof *b);
    heap_init(&b->heap);
    result_init(&b->res);
    struct perf_model m = {.kind = PERF_LLM, .name = "llm", .speed = 1.0};
    m.llm = malloc(sizeof *m.llm);
    *m.llm = l;
    core_init(&b->core, &b->heap, KIND, &m, &b->occ, &b->res, 0, SIM_TIME_FOREVER);
    cr_assert_eq(b->core.how, CORE_PERF_LLM);
    cr_assert_eq(core_llm_begin(&b->core, SIM_TIME_FOREVER), 0);
}

static void bench_free(struct bench *b)
{
    core_destroy(&b->core);
    heap_destroy(&b->heap);
    result_free(&b->res);
}

/* Request id (< 16) arriving and starting at t on instance 0. */
static void add(struct bench *b, uint32_t id, sim_time t, uint32_t prompt, uint32_t output)
{
    struct request r = {.arrival_ns = t, .function = id, .prompt_tokens = prompt,
                        .output_tokens = output};
    core_share_start(&b->core, 0, &r, t, 0, 0);
    cr_assert(!b->core.oom);
}

/* Run the events due by `until`: completions into done_at[] by request id. */
static void run_until(struct bench *b, sim_time until)
{
    while (b->heap.len && heap_top_time(&b->heap) <= until) {
        struct event e = heap_pop(&b->heap);
        cr_assert_eq(e.kind, KIND);
        if (!core_share_due(&b->core, e.idx, e.t_ns))
            continue;
        struct core_job j;
        while (core_share_pop(&b->core, e.idx, &j)) {
            b->done_at[j.r.function] = e.t_ns;
            b->n_done++;
        }
        core_share_reschedule(&b->core, e.idx, e.t_ns);
        cr_assert(!b->core.oom);
        uint64_t used = llm_engine_blocks_used(b->core.llm, 0);
        if (used > b->peak_blocks)
            b->peak_blocks = used;
    }
}

Test(llm_engine, one_request_alone_ttft_is_its_prefill_and_each_decode_reads_its_context)
{
    /* Prompt 20, output 4, alone from t = 0. Prefill: T 20, pairs 20 x 21 / 2 = 210,
     * kv 20: max(2,210, 1,200) + 50 = 2,260 = TTFT. Decodes at contexts 21, 22, 23:
     * 1,050 + 10 c = 1,260, 1,270, 1,280. End-to-end = 2,260 + 3,810 = 6,070; TPOT =
     * 3,810 / 3 = 1,270; ITL 1,260, 1,270, 1,280. */
    struct bench b;
    bench_init(&b, round_perf());
    add(&b, 1, 0, 20, 4);
    run_until(&b, SIM_TIME_FOREVER);
    struct llm_stats *st = b.res.llm;
    cr_assert_eq(b.n_done, 1);
    cr_assert_eq(b.done_at[1], 6070);
    cr_assert_eq(st->ttft.count, 1);
    cr_assert_eq(st->ttft.min_ns, 2260);
    cr_assert_eq(st->tpot.min_ns, 1270);
    cr_assert_eq(st->itl.count, 3);
    cr_assert_eq(st->itl.min_ns, 1260);
    cr_assert_eq(st->itl.max_ns, 1280);
    cr_assert_eq(st->prompt_tokens, 20);
    cr_assert_eq(st->output_tokens, 4);
    cr_assert_eq(st->iterations, 4);
    cr_assert_float_eq(st->iteration_s, 6070e-9, 1e-15);
    bench_free(&b);
}

Test(llm_engine, decode_bound_batch_makes_batch_tokens_per_iteration)
{
    /* Four requests of prompt 20, output 3 at t = 0 share every iteration. Prefill: T
     * 80, pairs 4 x 210 = 840, kv 80: max(8,840, 1,800) + 50 = 8,890. Decodes of the
     * batch of 4 at context c: 1,000 + 10 x 4c + 50 (memory-bound: 400 + 4c FLOP-ns
     * is less): c = 21: 1,890; c = 22: 1,930. Output tokens per second while decoding
     * = batch / t_decode(batch, c) = 4 / 1,890 ns: every iteration gives each sequence
     * one token. All four end at 8,890 + 1,890 + 1,930 = 12,710. */
    struct bench b;
    bench_init(&b, round_perf());
    for (uint32_t k = 0; k < 4; k++)
        add(&b, k, 0, 20, 3);
    run_until(&b, SIM_TIME_FOREVER);
    struct llm_stats *st = b.res.llm;
    cr_assert_eq(b.n_done, 4);
    for (uint32_t k = 0; k < 4; k++)
        cr_assert_eq(b.done_at[k], 12710);
    cr_assert_eq(st->itl.count, 8);
    cr_assert_eq(st->itl.min_ns, 1890);
    cr_assert_eq(st->itl.max_ns, 1930);
    cr_assert_eq(st->iterations, 3);
    /* mean running batch: 4 sequences in every iteration */
    cr_assert_float_eq(st->seq_iteration_s / st->iteration_s, 4.0, 1e-12);
    bench_free(&b);
}

Test(llm_engine, requests_of_one_instant_share_the_iteration_that_instant_begins)
{
    /* The simulator runs the engine's event at t = 0 (its first iteration begins)
     * before the second arrival of t = 0; the engine still sees both, as vLLM's loop
     * would: one prefill of T 40, pairs 2 x 210 = 420, kv 40: max(4,420, 1,400) + 50 =
     * 4,470 = both TTFTs; then one decode of both at context 21 (kv 42): 1,000 + 420 +
     * 50 = 1,470: both done at 5,940, in 2 iterations. */
    struct bench b;
    bench_init(&b, round_perf());
    add(&b, 0, 0, 20, 2);
    run_until(&b, 0); /* the first iteration begins with request 0 alone */
    add(&b, 1, 0, 20, 2);
    run_until(&b, SIM_TIME_FOREVER);
    cr_assert_eq(b.res.llm->ttft.min_ns, 4470);
    cr_assert_eq(b.res.llm->ttft.max_ns, 4470);
    cr_assert_eq(b.done_at[0], 5940);
    cr_assert_eq(b.done_at[1], 5940);
    cr_assert_eq(b.res.llm->iterations, 2);
    cr_assert_float_eq(b.res.llm->iteration_s, 5940e-9, 1e-15);
    /* one arriving a nanosecond later waits for the next iteration */
    struct bench c;
    bench_init(&c, round_perf());
    add(&c, 0, 0, 20, 2);
    run_until(&c, 1);
    add(&c, 1, 1, 20, 2);
    run_until(&c, SIM_TIME_FOREVER);
    cr_assert_eq(c.res.llm->ttft.min_ns, 2260); /* request 0 alone: as above */
    cr_assert_eq(c.res.llm->iterations, 3);
    bench_free(&b);
    bench_free(&c);
}

Test(llm_engine, a_prompt_over_the_token_budget_takes_ceil_prompt_over_budget_iterations)
{
    /* Prompt 100 with max_num_batched_tokens 32: ceil(100 / 32) = 4 chunks of 32, 32,
     * 32, 4 tokens before the first token:
     *   c 0,  n 32: pairs 528,              kv 32:  max(3,728, 1,320) + 50 = 3,778
     *   c 32, n 32: pairs 32 x 32 + 528 = 1,552, kv 64:  max(4,752, 1,640) + 50 = 4,802
     *   c 64, n 32: pairs 2,048 + 528 = 2,576,   kv 96:  max(5,776, 1,960) + 50 = 5,826
     *   c 96, n 4:  pairs 384 + 10 = 394,        kv 100: max(794, 2,000) + 50 = 2,050
     * TTFT = 16,456; then one decode at 101: 1,050 + 1,010 = 2,060: done at 18,516. */
    struct llm_perf l = round_perf();
    l.max_num_batched_tokens = 32;
    struct bench b;
    bench_init(&b, l);
    add(&b, 2, 0, 100, 2);
    run_until(&b, SIM_TIME_FOREVER);
    cr_assert_eq(b.res.llm->ttft.min_ns, 16456);
    cr_assert_eq(b.done_at[2], 18516);
    cr_assert_eq(b.res.llm->iterations, 5);
    bench_free(&b);
}

Test(llm_engine, without_chunked_prefill_a_prefill_iteration_holds_no_decode)
{
    /* A: prompt 10, output 3 at 0; B: the same at 100, while A's prefill runs
     * (T 10, pairs 55, kv 10: max(1,055, 1,100) + 50 = 1,150).
     * V0 (chunked prefill off): at 1,150 B's prefill runs alone (1,150, to 2,300), A
     * waits; then both decode at 11 (T 2, pairs 22, kv 22: 1,270, to 3,570) and at 12
     * (kv 24: 1,290, to 4,860): A ends at 4,860, B's TTFT is 2,300 - 100 = 2,200.
     * V1 (chunked prefill on): at 1,150 A's decode (pairs 11, kv 11) and B's prompt
     * (pairs 55, kv 10) share one iteration: T 11, pairs 66, kv 21: max(1,166,
     * 1,210) + 50 = 1,260, to 2,410 (B's TTFT 2,310); then A at 12 and B at 11
     * (pairs 23, kv 23): 1,280, to 3,690: A ends. */
    for (int chunked = 0; chunked <= 1; chunked++) {
        struct llm_perf l = round_perf();
        l.chunked_prefill = chunked;
        l.max_num_batched_tokens = 4096;
        struct bench b;
        bench_init(&b, l);
        add(&b, 0, 0, 10, 3);
        run_until(&b, 100);
        add(&b, 1, 100, 10, 3);
        run_until(&b, SIM_TIME_FOREVER);
        cr_assert_eq(b.done_at[0], chunked ? 3690 : 4860, "chunked %d: A at %lld", chunked,
                     (long long)b.done_at[0]);
        cr_assert_eq(b.res.llm->ttft.max_ns, chunked ? 2310 : 2200);
        bench_free(&b);
    }
}

Test(llm_engine, the_kv_cache_bounds_the_running_set_and_preempted_sequences_complete)
{
    /* Room for exactly 24 tokens: 6 blocks of 4. Three requests of prompt 4 and output
     * 8 each hold up to 4 + 8 - 1 = 11 tokens, 3 blocks, 9 together: they cannot all
     * run to the end at once, so some are preempted and recomputed; the blocks held
     * never exceed 6 and every request completes with all its tokens. */
    struct llm_perf l = round_perf();
    l.kv_blocks = 6;
    l.block_size = 4;
    struct bench b;
    bench_init(&b, l);
    for (uint32_t k = 0; k < 3; k++)
        add(&b, k, 0, 4, 8);
    run_until(&b, SIM_TIME_FOREVER);
    struct llm_stats *st = b.res.llm;
    cr_assert_eq(b.n_done, 3);
    cr_assert_leq(b.peak_blocks, 6);
    cr_assert_eq(b.peak_blocks, 6, "the cache fills");
    cr_assert_geq(st->preemptions, 1);
    cr_assert_gt(st->recomputed_tokens, 0);
    cr_assert_eq(st->output_tokens, 24);
    cr_assert_eq(st->tpot.count, 3);
    cr_assert_eq(llm_engine_blocks_used(b.core.llm, 0), 0, "all blocks back");
    bench_free(&b);
}

Test(llm_engine, requests_over_the_context_are_refused_and_counted)
{
    /* Context 64: prompt 60 + output 10 = 70 > 64 is refused (vLLM's API server
     * answers 400); 60 + 4 = 64 fits. */
    struct llm_perf l = round_perf();
    l.context = 64;
    struct bench b;
    bench_init(&b, l);
    cr_assert_eq(core_llm_refuse(&b.core, &(struct request){.prompt_tokens = 60,
                                                            .output_tokens = 10}), 1);
    cr_assert_eq(core_llm_refuse(&b.core, &(struct request){.prompt_tokens = 60,
                                                            .output_tokens = 4}), 0);
    cr_assert_eq(b.res.llm->rejected, 1);
    bench_free(&b);
}

/* ---- llm_perf_build: vLLM's defaults and its KV cache ---- */

static struct model_spec llama2_7b(void)
{
    /* meta-llama/Llama-2-7b-hf: 32 layers, 4096 hidden, 32 KV heads of 128, 4,096
     * positions; 6.738e9 parameters in FP16 */
    struct model_spec m = {.is_llm = 1, .dtype_bytes = 2,
                           .llm = {.name = "llama-2-7b", .parameters = 6.738e9, .layers = 32,
                                   .hidden = 4096, .kv_heads = 32, .head_dim = 128,
                                   .context = 4096}};
    m.kv_bytes_per_token = 2.0 * 32 * 32 * 128 * 2; /* 524,288: 512 KiB */
    m.weights_bytes = (int64_t)(6.738e9 * 2);
    return m;
}

Test(llm_perf, kv_blocks_match_vllms_log_for_llama_2_7b_on_an_h100)
{
    /* vLLM's log (Llama-2-7B, 80 GB GPU, 0.90): 71.27 GiB usable, weights 12.55 GiB,
     * activations 2.38 GiB, KV cache 56.18 GiB = 7,191 blocks of 16 tokens (8 MiB).
     * Here: 79.19 GiB x 0.9 - 13.476e9 B - 2.38 GiB - 0.16 GiB = 56.1797 GiB, / 8 MiB =
     * 7,191.0 blocks. An H100 (80 GB, not an A100) takes vLLM's large defaults:
     * max_num_seqs 1,024, max_num_batched_tokens 8,192. */
    struct accelerator h100 = {.name = "H100-SXM", .memory_bytes = 80000000000LL,
                               .memory_reported_bytes = (int64_t)(79.19 * (1LL << 30)),
                               .memory_bytes_per_s = 3.35e12, .fp16_flops = 989e12};
    struct model_spec m = llama2_7b();
    struct perf_spec ps;
    perf_spec_default(&ps);
    struct perf_target t = {.speed = 1, .slots = 1, .accel = &h100, .n_accel = 1};
    struct llm_perf l;
    struct slsim_error err;
    cr_assert_eq(llm_perf_build(&err, NULL, &ps, &m, &t, &l), 0, "%s", err.message);
    cr_assert_eq(l.kv_blocks, 7191);
    cr_assert_eq(l.max_num_seqs, 1024);
    cr_assert_eq(l.max_num_batched_tokens, 8192);
    cr_assert_eq(l.chunked_prefill, 1);
    /* A decode of one sequence at context 512 (roofline, 0.70 / 0.75 of the peaks,
     * 0.1 ms overhead): bytes 13.476e9 + 524,288 x 512 = 13.7444e9 at 0.75 x 3.35e12
     * B/s = 5.4704 ms (FLOPs 1.3476e10 + 4 x 32 x 4,096 x 512 = 1.3745e10 at 0.7 x
     * 989e12 = 0.0199 ms) + 0.1 ms = 5.5704 ms. */
    double d = llm_iteration_ns(&l, 1, 512, 512);
    cr_assert_float_eq(d, (13.476e9 + 524288.0 * 512) / (0.75 * 3.35) * 1e-3 + 1e5, 1.0);
    /* An A100 keeps the small defaults (arg_utils.py: 256 and 2,048). */
    struct accelerator a100 = h100;
    snprintf(a100.name, sizeof a100.name, "A100-80GB");
    cr_assert_eq(llm_perf_build(&err, NULL, &ps, &m, &t, &l), 0);
    t.accel = &a100;
    cr_assert_eq(llm_perf_build(&err, NULL, &ps, &m, &t, &l), 0);
    cr_assert_eq(l.max_num_seqs, 256);
    cr_assert_eq(l.max_num_batched_tokens, 2048);
}

Test(llm_perf, a_model_without_room_for_its_context_is_refused)
{
    /* A 24 GB L4 (no reported figure: 24e9 B) at 0.9 = 21.6e9 B, less 13.476e9 of
     * weights, 2.38 GiB and 0.16 GiB: 5.397e9 B = 643 blocks of 16 tokens of 512 KiB: fits a
     * 4,096 context. At gpu_memory_utilization 0.7 (16.8e9 B) 0.597e9 B is left,
     * 1,138 tokens: vLLM refuses to start. */
    struct accelerator l4 = {.name = "L4", .memory_bytes = 24000000000LL,
                             .memory_bytes_per_s = 300e9, .fp16_flops = 121e12};
    struct model_spec m = llama2_7b();
    struct perf_spec ps;
    perf_spec_default(&ps);
    struct perf_target t = {.speed = 1, .slots = 1, .accel = &l4, .n_accel = 1};
    struct serving_spec s;
    serving_spec_default(&s);
    struct llm_perf l;
    struct slsim_error err;
    cr_assert_eq(llm_perf_build(&err, &s, &ps, &m, &t, &l), 0, "%s", err.message);
    cr_assert_eq(l.kv_blocks, 643); /* 5.397e9 / 8 MiB = 643.4 */
    s.gpu_memory_utilization = 0.7;
    cr_assert_eq(llm_perf_build(&err, &s, &ps, &m, &t, &l), -1);
    cr_assert(strstr(err.message, "vLLM refuses to start"), "%s", err.message);
    t.accel = NULL;
    cr_assert_eq(llm_perf_build(&err, &s, &ps, &m, &t, &l), -1);
    cr_assert(strstr(err.message, "GPU"), "%s", err.message);
}
