/* test_llm_scale.c - LLMs at scale: tensor parallelism (weights, KV cache and compute
 * split over the GPUs of one instance, two ring all-reduces a layer an iteration) and
 * quantised weights (fewer bytes read), by hand from the catalog's figures. */
#include <math.h>

#include "helpers.h"
#include "slsim/llm.h"

/* The catalog's H100 SXM: 80 GB (79.19 GiB reported), 3.35 TB/s, 989 TFLOPS dense
 * FP16, 1,979 FP8, NVLink 4 measured at 380 GB/s a direction. */
static struct accelerator h100(void)
{
    return (struct accelerator){.name = "H100-SXM", .memory_bytes = 80000000000LL,
                                .memory_reported_bytes = (int64_t)(79.19 * (1LL << 30)),
                                .memory_bytes_per_s = 3.35e12, .fp16_flops = 989e12,
                                .fp8_flops = 1979e12, .host_bytes_per_s = 64e9,
                                .gpu_link = "NVLink 4", .gpu_link_bytes_per_s = 380e9};
}

/* Llama-3-8B: 8.03e9 parameters, 32 layers, 4,096 hidden, 8 KV heads of 128, 8,192
 * context; weights at `bytes` a parameter; KV 131,072 B a token in FP16. */
static struct model_spec llama3_8b(double bytes)
{
    struct model_spec m = {.is_llm = 1, .dtype_bytes = bytes,
                           .llm = {.name = "llama-3-8b", .parameters = 8.03e9, .layers = 32,
                                   .hidden = 4096, .kv_heads = 8, .head_dim = 128,
                                   .context = 8192}};
    m.kv_bytes_per_token = 131072;
    m.weights_bytes = (int64_t)(8.03e9 * bytes);
    return m;
}

static struct llm_perf build(const struct model_spec *m, uint32_t tp, sim_time overhead_ns)
{
    struct accelerator a = h100();
    struct perf_target t = {.speed = 1, .slots = 1, .accel = &a, .n_accel = 8,
                            .where = "p5.48xlarge"};
    struct serving_spec s;
    serving_spec_default(&s);
    s.tensor_parallel_size = tp;
    struct perf_spec ps;
    perf_spec_default(&ps);
    ps.overhead_ns = overhead_ns;
    struct llm_perf l;
    struct slsim_error err;
    cr_assert_eq(llm_perf_build(&err, &s, &ps, m, &t, &l), 0, "%s", err.message);
    return l;
}

Test(llm_scale, a_decode_on_two_gpus_takes_half_the_time_and_the_all_reduces_by_hand)
{
    /* One decode token at context 512, memory-bound, overhead 0: TP 1 reads 16.06e9 B
     * of weights + 131,072 x 512 B of KV at 0.75 x 3.35e12 B/s = 6.4174 ms; TP 2 each
     * GPU half of both: 3.2087 ms, exactly half, plus the all-reduces: 2 x 32 layers x
     * (2 (2 - 1) / 2 x 1 token x 4,096 x 2 B / 380e9 B/s + 2 (2 - 1) x 2 us)
     * = 64 x (21.558 ns + 4,000 ns) = 257,379.8 ns. */
    struct model_spec m = llama3_8b(2);
    struct llm_perf l1 = build(&m, 1, 0), l2 = build(&m, 2, 0);
    double d1 = llm_iteration_ns(&l1, 1, 512, 512), d2 = llm_iteration_ns(&l2, 1, 512, 512);
    cr_assert_float_eq(d1, (16.06e9 + 131072.0 * 512) / (0.75 * 3.35e12) * 1e9, 1e-3);
    double comm = 2 * 32 * (2.0 * 1 / 2 * 1 * 4096 * 2 / 380e9 * 1e9 + 2 * 1 * 2000.0);
    cr_assert_float_eq(llm_allreduce_ns(&l2, 1), comm, 1e-6);
    cr_assert_float_eq(comm, 257379.8, 0.1);
    cr_assert_float_eq(d2 - comm, d1 / 2, 1e-3, "TP 2 without its all-reduces: %f vs %f",
                       d2 - comm, d1 / 2);
    cr_assert_float_eq(llm_allreduce_ns(&l1, 1), 0, 0);
    /* a prefill of 8,192 tokens is compute-bound: each of 2 GPUs does half the FLOPs */
    double pairs = 8192.0 * 8193 / 2;
    cr_assert_float_eq(llm_iteration_ns(&l2, 8192, pairs, 8192) - llm_allreduce_ns(&l2, 8192),
                       llm_iteration_ns(&l1, 8192, pairs, 8192) / 2, 1e-3);
    /* A prefill of 2,048 tokens moves 2,048 x 4,096 x 2 B = 16.8 MB an all-reduce: on
     * 8 GPUs 2 x 32 x (2 x 7 / 8 x 16.777e6 / 380e9 s + 14 x 2 us) = 6.737 ms. */
    struct llm_perf l8 = build(&m, 8, 0);
    double big = 2 * 32 * (2.0 * 7 / 8 * 2048 * 4096 * 2 / 380e9 * 1e9 + 14 * 2000.0);
    cr_assert_float_eq(llm_allreduce_ns(&l8, 2048), big, 1e-3);
    cr_assert_float_eq(big / 1e6, 6.737, 0.001);
}

Test(llm_scale, tensor_parallelism_splits_weights_and_kv_heads_over_the_gpus)
{
    /* Per GPU at TP 2: 79.19 GiB x 0.9 - 16.06e9 / 2 B - 2.38 GiB - 0.16 GiB = 61.252
     * GiB of KV cache, each token 131,072 / 2 B (4 of the 8 KV heads): 61.252 GiB /
     * (16 x 65,536 B) = 62,722 blocks, against 27,532 at TP 1 (more than twice: the
     * weights take half as much of each GPU). TP 16 on 8 GPUs: refused; TP 3 does not
     * divide 8 KV heads: refused. */
    struct model_spec m = llama3_8b(2);
    struct llm_perf l1 = build(&m, 1, -1), l2 = build(&m, 2, -1);
    cr_assert_eq(l1.kv_blocks, 27532);
    double kv = 79.19 * (1LL << 30) * 0.9 - 16.06e9 / 2 - (double)(int64_t)(2.38 * (1LL << 30)) -
                (double)(int64_t)(0.16 * (1LL << 30));
    cr_assert_eq(l2.kv_blocks, (uint64_t)floor(kv / (16 * 65536.0)));
    cr_assert_eq(l2.kv_blocks, 62722);
    struct accelerator a = h100();
    struct perf_target t = {.speed = 1, .slots = 1, .accel = &a, .n_accel = 8};
    struct serving_spec s;
    serving_spec_default(&s);
    struct perf_spec ps;
    perf_spec_default(&ps);
    struct llm_perf l;
    struct slsim_error err;
    s.tensor_parallel_size = 16;
    cr_assert_eq(llm_perf_build(&err, &s, &ps, &m, &t, &l), -1);
    cr_assert(strstr(err.message, "needs 16 GPUs"), "%s", err.message);
    s.tensor_parallel_size = 3;
    cr_assert_eq(llm_perf_build(&err, &s, &ps, &m, &t, &l), -1);
    cr_assert(strstr(err.message, "8 KV heads"), "%s", err.message);
}

Test(llm_scale, int4_weights_cut_a_decode_by_the_ratio_of_the_bytes_read)
{
    /* Overhead 0, context 64: FP16 reads 16.06e9 + 131,072 x 64 B; INT4 (weight-only,
     * 0.5 B a parameter) 4.015e9 + the same KV: the time falls by (4.015e9 + 8.389e6) /
     * (16.06e9 + 8.389e6) = 0.25039. */
    struct model_spec fp16 = llama3_8b(2), int4 = llama3_8b(0.5);
    struct llm_perf a = build(&fp16, 1, 0), b = build(&int4, 1, 0);
    double ratio = llm_iteration_ns(&b, 1, 64, 64) / llm_iteration_ns(&a, 1, 64, 64);
    double by_hand = (4.015e9 + 131072.0 * 64) / (16.06e9 + 131072.0 * 64);
    cr_assert_float_eq(ratio, by_hand, 1e-9);
    cr_assert_float_eq(by_hand, 0.25039, 1e-5);
    /* the same peak compute: a long prefill is compute-bound and as long */
    cr_assert_float_eq(llm_iteration_ns(&b, 8192, 8192.0 * 8193 / 2, 8192),
                       llm_iteration_ns(&a, 8192, 8192.0 * 8193 / 2, 8192), 1e-6);
}

Test(llm_scale, tensor_parallel_70b_runs_on_a_p5_and_fp8_computes_in_fp8)
{
    /* Llama-3-70B in FP16 (141 GB) fits no single 80 GB GPU; over 4 GPUs of a p5 it
     * runs. In FP8 on an H100 a long prefill (compute-bound, overhead 0) takes the FP16
     * time x 989 / 1,979 (the dense FP16 and FP8 peaks). */
    struct scenario *s = load_yaml(
        "duration: 60s\nmodel: {llm: llama-3-70b}\n"
        "workload: {arrival: constant, rate: 6/min, tokens: {prompt: 512, output: 8}}\n"
        "deployments:\n  - {name: tp4, type: dedicated, instance: p5.48xlarge,"
        " serving: {tensor_parallel_size: 4}}\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_gt(r.served, 0);
    cr_assert_gt(r.llm->kv_blocks, 0);
    result_free(&r);
    scenario_destroy(s);
    struct slsim_error e = load_yaml_error(
        "duration: 60s\nmodel: {llm: llama-3-70b}\n"
        "workload: {arrival: constant, rate: 6/min, tokens: {prompt: 512, output: 8}}\n"
        "deployments: [{type: dedicated, instance: p5.48xlarge}]\n");
    cr_assert(strstr(e.message, "tensor_parallel_size"), "%s", e.message);
    struct model_spec fp16 = llama3_8b(2), fp8 = llama3_8b(1);
    fp8.dtype_fp8 = 1;
    struct llm_perf a = build(&fp16, 1, 0), b = build(&fp8, 1, 0);
    double pairs = 8192.0 * 8193 / 2;
    cr_assert_float_eq(llm_iteration_ns(&b, 8192, pairs, 8192) / llm_iteration_ns(&a, 8192, pairs, 8192),
                       989.0 / 1979.0, 1e-12);
}

Test(llm_scale, an_llm_fleet_boots_for_its_machine_weights_and_engine_unless_told)
{
    /* Llama-3-8B (16.06 GB) on a g6e.xlarge (one L40S, PCIe Gen4 at 32 GB/s): 120 s of
     * machine boot + 16.06e9 / 5e9 B/s from disk (3.212 s) + 16.06e9 / 32e9 B/s over
     * PCIe (0.50188 s) + vLLM's engine start 14.2 s = 137.91388 s. Llama-3-70B over 8
     * H100s of a p5 (PCIe Gen5, 64 GB/s): 120 + 141.2e9 / 5e9 + 141.2e9 / 8 / 64e9 +
     * 14.2 (the catalog's 70.6e9 parameters x 2 bytes). A given boot stays. */
    struct scenario *s = load_yaml(
        "duration: 1h\nmodel: {llm: llama-3-8b}\n"
        "workload: {arrival: poisson, rate: 1/s, tokens: {prompt: 100, output: 10}}\n"
        "deployments: [{type: dedicated, instance: g6e.xlarge,"
        " autoscale: {metric: queue, target: 4, max: 4}}]\n");
    double boot = (double)s->deployments[0].dedicated.autoscale.boot_ns / 1e9;
    cr_assert_float_eq(boot, 120 + 16.06e9 / 5e9 + 16.06e9 / 32e9 + 14.2, 1e-6, "%f", boot);
    scenario_destroy(s);
    s = load_yaml("duration: 1h\nmodel: {llm: llama-3-70b}\n"
                  "workload: {arrival: poisson, rate: 1/s, tokens: {prompt: 100, output: 10}}\n"
                  "deployments: [{type: dedicated, instance: p5.48xlarge,"
                  " serving: {tensor_parallel_size: 8},"
                  " autoscale: {metric: queue, target: 4, max: 4}}]\n");
    double w = (double)s->model.weights_bytes;
    boot = (double)s->deployments[0].dedicated.autoscale.boot_ns / 1e9;
    cr_assert_float_eq(boot, 120 + w / 5e9 + w / 8 / 64e9 + 14.2, 1e-6, "%f", boot);
    scenario_destroy(s);
    /* two engines of 4 GPUs: each reads its copy from the one disk */
    s = load_yaml("duration: 1h\nmodel: {llm: llama-3-70b}\n"
                  "workload: {arrival: poisson, rate: 1/s, tokens: {prompt: 100, output: 10}}\n"
                  "deployments: [{type: dedicated, instance: p5.48xlarge,"
                  " serving: {tensor_parallel_size: 4, data_parallel_size: 2},"
                  " autoscale: {metric: queue, target: 4, max: 4}}]\n");
    boot = (double)s->deployments[0].dedicated.autoscale.boot_ns / 1e9;
    cr_assert_float_eq(boot, 120 + 2 * w / 5e9 + w / 4 / 64e9 + 14.2, 1e-6, "%f", boot);
    scenario_destroy(s);
    s = load_yaml("duration: 1h\nmodel: {llm: llama-3-8b}\n"
                  "workload: {arrival: poisson, rate: 1/s, tokens: {prompt: 100, output: 10}}\n"
                  "deployments: [{type: dedicated, instance: g6e.xlarge,"
                  " autoscale: {metric: queue, target: 4, max: 4, boot: 90s}}]\n");
    cr_assert_eq(s->deployments[0].dedicated.autoscale.boot_ns, 90 * SIM_NS_PER_S);
    scenario_destroy(s);
}

Test(llm_scale, a_hybrid_of_an_llm_fleet_and_a_serverless_gpu_overflow, .timeout = 60)
{
    /* One L40S taking at most 4 requests at once, Modal's H100 past that: bursts of
     * about 12 requests in the first 10 ms of every second send some past the base's 4
     * slots to the overflow; both tiers run engines (the L40S's 11,640 KV blocks, the
     * H100's 27,532) and the total adds them. */
    struct scenario *s = load_yaml(
        "duration: 10m\nmodel: {llm: llama-3-8b, memory: 32GiB}\n"
        "workload: {arrival: onoff, rate: 1200/s, duty_cycle: 0.01, period: 1s,"
        " tokens: {prompt: 200, output: 20}}\n"
        "deployments:\n  - name: h\n    type: hybrid\n"
        "    base: {instance: g6e.xlarge, count: 1, slots: 4}\n"
        "    overflow: {platform: modal-h100, concurrency: 16, keep_alive: forever}\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.n_tiers, 2);
    cr_assert_gt(r.tiers[0].served, 0);
    cr_assert_gt(r.tiers[1].served, 0);
    cr_assert_eq(r.served, r.tiers[0].served + r.tiers[1].served);
    cr_assert_eq(r.tiers[0].llm->kv_blocks, 11640);
    cr_assert_eq(r.tiers[1].llm->kv_blocks, 27532);
    cr_assert_eq(r.llm->output_tokens, r.tiers[0].llm->output_tokens + r.tiers[1].llm->output_tokens);
    cr_assert_eq(r.llm->output_tokens, 20 * r.served);
    result_free(&r);
    scenario_destroy(s);
}

Test(llm_scale, data_parallel_engines_share_a_machine_each_on_its_own_gpus, .timeout = 60)
{
    /* Llama-3-8B on a p5 with data_parallel_size 2: two engines, each on its own H100,
     * the machine's requests going to the one with fewer. Bursts of about 20 requests
     * (prompt 512, output 3) in 10 ms every 10 s: the first on an idle engine runs
     * alone, its TTFT one prefill by the roofline, max(2 x 8.03e9 x 512 + 524,288 x
     * 512 x 513 / 2 FLOP at 0.7 x 989e12, (16.06e9 + 131,072 x 512) B at 0.75 x
     * 3.35e12) + 0.1 ms; the rest are split over two engines instead of queueing in
     * one, so the mean TTFT falls. Slots default to 2 x 1,024; the instance holds 2 x
     * 27,532 blocks. 4 x 3 GPUs do not fit a p5's 8. */
    const char *yaml =
        "duration: 100s\nmodel: {llm: llama-3-8b}\n"
        "workload: {arrival: onoff, rate: 2000/s, duty_cycle: 0.001, period: 10s,"
        " tokens: {prompt: 512, output: 3}}\n"
        "deployments: [{type: dedicated, instance: p5.48xlarge,"
        " serving: {data_parallel_size: %d}}]\n";
    char buf[512];
    snprintf(buf, sizeof buf, yaml, 2);
    struct scenario *s = load_yaml(buf);
    cr_assert_eq(s->deployments[0].dedicated.slots, 2048);
    struct deployment_result r2 = run_one(s, 0);
    scenario_destroy(s);
    snprintf(buf, sizeof buf, yaml, 1);
    s = load_yaml(buf);
    struct deployment_result r1 = run_one(s, 0);
    scenario_destroy(s);
    double c = (2 * 8.03e9 * 512 + 524288.0 * 512 * 513 / 2) / (0.7 * 989e12);
    double b = (16.06e9 + 131072.0 * 512) / (0.75 * 3.35e12);
    sim_time alone = (sim_time)ceil(((c > b ? c : b) + 1e-4) * 1e9);
    cr_assert_eq(r2.llm->kv_blocks, 2 * 27532);
    cr_assert_eq(r2.llm->dp, 2);
    cr_assert_gt(r2.served, 10);
    cr_assert_eq(r2.served, r1.served);
    /* with two engines some requests run alone; with one, none of a pair does */
    cr_assert_eq(r2.llm->ttft.min_ns, alone, "%lld vs %lld", (long long)r2.llm->ttft.min_ns,
                 (long long)alone);
    cr_assert_gt(r1.llm->ttft.mean_ns, r2.llm->ttft.mean_ns);
    result_free(&r1);
    result_free(&r2);
    struct slsim_error e = load_yaml_error(
        "duration: 1h\nmodel: {llm: llama-3-70b}\n"
        "workload: {arrival: poisson, rate: 1/s, tokens: {prompt: 10, output: 10}}\n"
        "deployments: [{type: dedicated, instance: p5.48xlarge,"
        " serving: {tensor_parallel_size: 4, data_parallel_size: 3}}]\n");
    cr_assert(strstr(e.message, "data_parallel_size 3 x tensor_parallel_size 4 needs 12 GPUs"),
              "%s", e.message);
}
