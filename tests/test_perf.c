/* test_perf.c - performance models (perf.h): the vCPU share, the roofline, measured
 * profiles and linear fits, sharing an instance among the requests in service, the
 * memory fit, and what the default picks; then the `perf` key and the model's keys
 * as a scenario writes them.
 *
 * The instances are built by hand (an accelerator with a T4's or an L4's figures, a
 * platform whose vCPUs follow memory as Lambda's do), so these tests do not depend
 * on what the built-in catalog lists. */
#include <math.h>

#include "helpers.h"
#include "slsim/deployment.h"
#include "slsim/model_config.h"
#include "slsim/perf.h"
#include "../sim/base/yaml_tree.h"

#define MIB (1LL << 20)
#define LAMBDA_MIB_PER_VCPU 1769 /* AWS: one vCPU at 1,769 MB (MiB) */

/* Datasheet figures, dense FP16 (NVIDIA T4 and L4; FACTS section 1.1). */
static const struct accelerator T4 = {.name = "T4", .memory_bytes = 16000000000LL,
                                      .memory_bytes_per_s = 320e9, .fp16_flops = 65e12};
static const struct accelerator L4 = {.name = "L4", .memory_bytes = 24000000000LL,
                                      .memory_bytes_per_s = 300e9, .fp16_flops = 121e12};

/* A model whose service is a constant mean_s on the reference. */
static struct model_spec model(double mean_s)
{
    struct model_spec m = {0};
    char why[200];
    cr_assert_eq(dist_constant(&m.service, mean_s, why, sizeof why), 0, "%s", why);
    return m;
}

static struct perf_spec spec(enum perf_spec_kind kind)
{
    struct perf_spec s;
    perf_spec_default(&s);
    s.kind = kind;
    return s;
}

static struct perf_model build_ok(const struct perf_spec *s, const struct model_spec *m,
                                  const struct perf_target *t)
{
    struct perf_model pm;
    struct slsim_error err = {0};
    cr_assert_eq(perf_build(&err, s, m, t, &pm), 0, "perf_build: %s", err.message);
    return pm;
}

static struct slsim_error build_fails(const struct perf_spec *s, const struct model_spec *m,
                                      const struct perf_target *t)
{
    struct perf_model pm;
    struct slsim_error err = {0};
    cr_assert_eq(perf_build(&err, s, m, t, &pm), -1, "perf_build should have refused");
    return err;
}

/* Time on the instance of one request alone whose work is the model's mean. */
static double time_ms(const struct perf_model *pm, double mean_s)
{
    return (double)perf_scaled_ns((sim_time)(mean_s * 1e9 + 0.5), pm->speed) / 1e6;
}

/* ---- the vCPU share, through the target of a Lambda-like platform ---- */

/* A serverless deployment at mem_mib on a platform with one vCPU per 1,769 MiB. */
static struct perf_model lambda_at(int64_t mem_mib, double p, uint32_t concurrency)
{
    static struct platform_profile prof = {.name = "lambda-like",
                                           .memory_per_vcpu_bytes = LAMBDA_MIB_PER_VCPU * MIB};
    struct catalog c = {.platforms = &prof, .n_platforms = 1};
    struct serverless_spec d = {.platform = "lambda-like", .memory_bytes = mem_mib * MIB,
                                .concurrency = concurrency};
    perf_spec_default(&d.perf);
    struct model_spec m = model(0.1);
    m.parallel_fraction = p;
    struct perf_target t;
    serverless_perf_target(&d, &c, &t);
    cr_assert_float_eq(t.vcpus, (double)mem_mib / LAMBDA_MIB_PER_VCPU, 1e-12);
    cr_assert_eq(t.memory_bytes, mem_mib * MIB);
    struct perf_model pm;
    struct slsim_error err = {0};
    cr_assert_eq(serverless_perf_build(&err, &d, &m, &c, &pm), 0, "%s", err.message);
    cr_assert_str_eq(pm.name, "cpu", "the default on a CPU platform with vCPUs is cpu");
    return pm;
}

Test(perf_cpu, fully_parallel_at_twice_the_memory_takes_half_the_time)
{
    /* s(1) = 1 / ((1 - p) / min(1, v) + p / v); p = 1, v = 3538 / 1769 = 2: s = 2,
     * so 100 ms of reference work takes 50 ms; at 1,769 MiB (v = 1) s = 1: 100 ms. */
    struct perf_model two = lambda_at(3538, 1.0, 1), one = lambda_at(1769, 1.0, 1);
    cr_assert_eq(two.speed, 2.0);
    cr_assert_eq(one.speed, 1.0);
    cr_assert_float_eq(time_ms(&two, 0.1), 50.0, 1e-9);
    cr_assert_float_eq(time_ms(&two, 0.1) / time_ms(&one, 0.1), 0.5, 1e-12);
}

Test(perf_cpu, fully_serial_at_twice_the_memory_takes_the_same_time)
{
    /* p = 0, v = 2: s = 1 / (1 / min(1, 2)) = 1 exactly: the work as is. */
    struct perf_model pm = lambda_at(3538, 0.0, 1);
    cr_assert_eq(pm.kind, PERF_FIXED);
    cr_assert_eq(pm.speed, 1.0);
    cr_assert_eq(perf_scaled_ns(100000000, pm.speed), 100000000);
}

Test(perf_cpu, serial_at_885_mib_takes_1769_over_885_as_long)
{
    /* p = 0, v = 885 / 1769: s = v, so 100 ms takes 100 x 1769 / 885 = 199.887 ms. */
    struct perf_model pm = lambda_at(885, 0.0, 1);
    cr_assert_float_eq(pm.speed, 885.0 / 1769.0, 1e-15);
    cr_assert_float_eq(time_ms(&pm, 0.1), 100.0 * 1769.0 / 885.0, 1e-6);
}

Test(perf_cpu, the_reference_vcpu_is_exactly_the_work_whatever_the_parallel_share)
{
    /* v = 1: s = 1 / ((1 - p) + p) = 1 (within rounding, made exact). Existing
     * scenarios at 1,769 MiB and above with p = 0 keep their bytes. */
    for (double p = 0; p <= 1.0; p += 0.1)
        cr_assert_eq(lambda_at(1769, p, 1).speed, 1.0, "p = %g", p);
    cr_assert_eq(lambda_at(10240, 0.0, 1).speed, 1.0);
}

Test(perf_cpu, partly_parallel_follows_amdahl_over_the_share)
{
    /* p = 0.6, v = 10240 / 1769 = 5.78858: s = 1 / (0.4 + 0.6 / 5.78858) =
     * 1 / 0.503652 = 1.98550. */
    double v = 10240.0 / 1769.0;
    struct perf_model pm = lambda_at(10240, 0.6, 1);
    cr_assert_float_eq(pm.speed, 1 / (0.4 + 0.6 / v), 1e-12);
    cr_assert_float_eq(pm.speed, 1.98550, 1e-5);
}

Test(perf_cpu, concurrent_requests_share_the_vcpus)
{
    /* One vCPU (1,769 MiB), p = 0, concurrency 4: s(k) = 1 / (1 / min(1, 1/k)) = 1/k,
     * processor sharing. */
    struct perf_model pm = lambda_at(1769, 0.0, 4);
    cr_assert_eq(pm.kind, PERF_SHARED);
    cr_assert_eq(pm.n_rate, 4);
    for (uint32_t k = 1; k <= 4; k++)
        cr_assert_float_eq(pm.rate[k - 1], 1.0 / k, 1e-15, "k = %u", k);
    perf_model_free(&pm);
    /* Two vCPUs (3,538 MiB), p = 1, concurrency 3: s(k) = 1 / (k / 2) = 2 / k. */
    pm = lambda_at(3538, 1.0, 3);
    cr_assert_eq(pm.kind, PERF_SHARED);
    cr_assert_float_eq(pm.rate[0], 2.0, 1e-15);
    cr_assert_float_eq(pm.rate[1], 1.0, 1e-15);
    cr_assert_float_eq(pm.rate[2], 2.0 / 3, 1e-15);
    perf_model_free(&pm);
    /* Four vCPUs, p = 0, concurrency 2: s(1) = s(2) = 1, every rate equal: fixed. */
    pm = lambda_at(4 * 1769, 0.0, 2);
    cr_assert_eq(pm.kind, PERF_FIXED);
    cr_assert_eq(pm.speed, 1.0);
}

Test(perf_cpu, dedicated_shares_only_past_its_vcpus)
{
    /* speed x min(1, v / k): v = 4, speed 2, 8 slots: 2, 2, 2, 2, 8/5, 8/6, 8/7, 1. */
    struct model_spec m = model(0.1);
    m.parallel_fraction = 0.9; /* the machine's speed already says how fast one runs */
    struct perf_spec s = spec(PERF_SPEC_DEFAULT);
    struct perf_target t = {.speed = 2, .slots = 8, .dedicated = 1, .vcpus = 4};
    struct perf_model pm = build_ok(&s, &m, &t);
    cr_assert_str_eq(pm.name, "cpu");
    cr_assert_eq(pm.kind, PERF_SHARED);
    cr_assert_eq(pm.speed, 2.0);
    double want[8] = {2, 2, 2, 2, 8.0 / 5, 8.0 / 6, 8.0 / 7, 1};
    for (int k = 0; k < 8; k++)
        cr_assert_float_eq(pm.rate[k], want[k], 1e-15, "k = %d", k + 1);
    perf_model_free(&pm);
    /* Slots within the vCPUs: the speed alone, fixed at start as before. */
    t.slots = 4;
    pm = build_ok(&s, &m, &t);
    cr_assert_eq(pm.kind, PERF_FIXED);
    cr_assert_eq(pm.speed, 2.0);
}

Test(perf_cpu, the_share_formula)
{
    /* s(n) = 1 / ((1 - p) / min(1, v/n) + p n / v). */
    cr_assert_float_eq(perf_vcpu_share(0.5, 2, 1), 1 / (0.5 + 0.25), 1e-15);
    cr_assert_float_eq(perf_vcpu_share(0.5, 2, 4), 1 / (0.5 / 0.5 + 0.5 * 2), 1e-15);
    cr_assert_float_eq(perf_vcpu_share(0.0, 0.5, 1), 0.5, 1e-15);
}

/* ---- the roofline ---- */

static struct perf_target on(const struct accelerator *a, uint32_t n, uint32_t slots)
{
    return (struct perf_target){.speed = 1, .slots = slots, .accel = a, .n_accel = n};
}

/* t1 in seconds: the mean work E[S] is done in E[S] / speed. */
static double roofline_t1_s(const struct model_spec *m, const struct accelerator *a)
{
    struct perf_spec s = spec(PERF_SPEC_ROOFLINE);
    s.compute_efficiency = 0.8;
    s.memory_efficiency = 0.8;
    s.overhead_ns = 0; /* zero overhead: the roofline alone */
    struct perf_target t = on(a, 1, 1);
    struct perf_model pm = build_ok(&s, m, &t);
    cr_assert_str_eq(pm.name, "roofline");
    return dist_mean_s(&m->service) / pm.speed;
}

Test(perf_roofline, memory_bound_times_are_in_the_ratio_of_bandwidths)
{
    /* 1 MFLOP against 2 GB of weights: memory time 2e9 / (B x 0.8) dominates on both,
     * so t(T4) / t(L4) = B(L4) / B(T4) = 300 / 320. */
    struct model_spec m = model(0.01);
    m.flops = 1e6;
    m.weights_bytes = 2000000000;
    double t4 = roofline_t1_s(&m, &T4), l4 = roofline_t1_s(&m, &L4);
    cr_assert_float_eq(t4, 2e9 / (320e9 * 0.8), 1e-15);
    cr_assert_float_eq(t4 / l4, 300.0 / 320.0, 1e-12);
}

Test(perf_roofline, compute_bound_times_are_in_the_ratio_of_dense_compute)
{
    /* 1 TFLOP against 1 MB: compute time 1e12 / (F x 0.8) dominates on both, so
     * t(T4) / t(L4) = F(L4) / F(T4) = 121 / 65. */
    struct model_spec m = model(0.01);
    m.flops = 1e12;
    m.weights_bytes = 1000000;
    double t4 = roofline_t1_s(&m, &T4), l4 = roofline_t1_s(&m, &L4);
    cr_assert_float_eq(t4, 1e12 / (65e12 * 0.8), 1e-15);
    cr_assert_float_eq(t4 / l4, 121.0 / 65.0, 1e-12);
}

Test(perf_roofline, defaults_and_overhead)
{
    /* ResNet-50 in FP16 on a T4: 4.1 GFLOP / (65e12 x 0.70) = 90.11 us of compute,
     * (51 MB + 10 MB) / (320e9 x 0.75) = 254.17 us of memory; + 1 ms overhead =
     * 1.25417 ms. E[S] = 2.5083 ms gives speed 2. */
    struct model_spec m = model(0.0);
    m.flops = 4.1e9;
    m.weights_bytes = 51000000;
    m.activations_bytes = 10000000;
    double t1 = 61e6 / (320e9 * 0.75) + 1e-3;
    char why[200];
    cr_assert_eq(dist_constant(&m.service, 2 * t1, why, sizeof why), 0);
    struct perf_spec s = spec(PERF_SPEC_ROOFLINE);
    s.overhead_ns = 1000000;
    struct perf_target t = on(&T4, 1, 1);
    struct perf_model pm = build_ok(&s, &m, &t);
    cr_assert_float_eq(pm.speed, 2.0, 1e-12);
    cr_assert_float_eq(t1, 1.254167e-3, 1e-9);
}

Test(perf_roofline, the_overhead_defaults_to_one_millisecond)
{
    /* PERF_OVERHEAD_DEFAULT_NS: with no `overhead`, a memory-bound 51 MB model on a
     * T4 takes 51e6 / (320e9 x 0.75) + 1 ms = 1.2125 ms; E[S] = 2.425 ms: speed 2. */
    struct model_spec m = model(0.002425);
    m.flops = 1e6;
    m.weights_bytes = 51000000;
    struct perf_spec s = spec(PERF_SPEC_ROOFLINE);
    struct perf_target t = on(&T4, 1, 1);
    struct perf_model pm = build_ok(&s, &m, &t);
    cr_assert_float_eq(pm.speed, 2.0, 1e-9);
}

Test(perf_roofline, one_request_runs_on_one_device_and_devices_serve_in_parallel)
{
    /* A model that fits one T4: on 2 T4s one request is no faster (t1 is one
     * device's), and 3 requests time-slice over 2 copies: speed x min(1, 2 / k). */
    struct model_spec m = model(0.01);
    m.flops = 1e12;
    m.weights_bytes = 1000000;
    struct perf_spec s = spec(PERF_SPEC_ROOFLINE);
    struct perf_target one = on(&T4, 1, 1), two = on(&T4, 2, 3);
    struct perf_model a = build_ok(&s, &m, &one), b = build_ok(&s, &m, &two);
    cr_assert_eq(a.speed, b.speed);
    cr_assert_eq(b.kind, PERF_SHARED);
    cr_assert_float_eq(b.rate[0], b.speed, 1e-15);
    cr_assert_float_eq(b.rate[1], b.speed, 1e-15);
    cr_assert_float_eq(b.rate[2], b.speed * 2 / 3, 1e-15);
    perf_model_free(&b);
    /* One T4, 3 slots, no batching: time-sliced, speed / k. */
    struct perf_target sliced = on(&T4, 1, 3);
    b = build_ok(&s, &m, &sliced);
    for (uint32_t k = 1; k <= 3; k++)
        cr_assert_float_eq(b.rate[k - 1], a.speed / k, 1e-15);
    perf_model_free(&b);
}

Test(perf_roofline, a_model_too_large_for_one_device_is_split_across_all)
{
    /* 30 GB of weights: 30 GB + 400 MiB > 16 GB, so not one T4; over 4 T4s, 30 GB +
     * 4 x 400 MiB <= 64 GB: sharded, and a request reads its weights at 4 x 320 GB/s:
     * t1 = 30e9 / (4 x 320e9 x 0.75) = 31.25 ms. */
    struct model_spec m = model(0.03125);
    m.flops = 1e6;
    m.weights_bytes = 30000000000LL;
    struct perf_target t = on(&T4, 4, 2);
    int sharded = -1;
    /* (overhead 0: the roofline alone) */
    struct slsim_error err = {0};
    cr_assert_eq(perf_check_memory(&err, &m, &t, &sharded), 0, "%s", err.message);
    cr_assert_eq(sharded, 1);
    struct perf_spec s = spec(PERF_SPEC_ROOFLINE);
    s.overhead_ns = 0;
    struct perf_model pm = build_ok(&s, &m, &t);
    cr_assert_float_eq(pm.speed, 1.0, 1e-12);
    /* Sharded, the instance is one unit: two requests time-slice it. */
    cr_assert_eq(pm.kind, PERF_SHARED);
    cr_assert_float_eq(pm.rate[1], pm.speed / 2, 1e-15);
    perf_model_free(&pm);
}

Test(perf_roofline, refused_without_an_accelerator_or_without_flops)
{
    struct model_spec m = model(0.01);
    m.flops = 1e9;
    struct perf_spec s = spec(PERF_SPEC_ROOFLINE);
    struct perf_target cpu = {.speed = 1, .slots = 1, .vcpus = 2, .where = "box"};
    struct slsim_error err = build_fails(&s, &m, &cpu);
    cr_assert(strstr(err.message, "needs an accelerator, and box has none"), "%s", err.message);
    m.flops = 0;
    struct perf_target t = on(&T4, 1, 1);
    err = build_fails(&s, &m, &t);
    cr_assert(strstr(err.message, "needs model.flops"), "%s", err.message);
}

/* ---- measured profiles and linear fits ---- */

static struct perf_spec profile_7_16_48(void)
{
    struct perf_spec s = spec(PERF_SPEC_PROFILE);
    uint32_t b[] = {1, 8, 32};
    sim_time t[] = {7000000, 16000000, 48000000};
    for (size_t i = 0; i < 3; i++) {
        s.profile_batch[i] = b[i];
        s.profile_ns[i] = t[i];
    }
    s.n_profile = 3;
    return s;
}

Test(perf_profile, linear_between_points_exact_at_them_and_an_error_beyond_the_last)
{
    struct perf_spec s = profile_7_16_48();
    struct slsim_error err = {0};
    sim_time ns;
    /* t(4) = 7 + (16 - 7) x (4 - 1) / (8 - 1) = 10.857143 ms; t(20) = 16 + 32 x 12 / 24
     * = 32 ms; the points themselves exactly. */
    cr_assert_eq(perf_spec_time_ns(&err, &s, 4, &ns), 0);
    cr_assert_eq(ns, 10857143);
    cr_assert_eq(perf_spec_time_ns(&err, &s, 20, &ns), 0);
    cr_assert_eq(ns, 32000000);
    cr_assert_eq(perf_spec_time_ns(&err, &s, 1, &ns), 0);
    cr_assert_eq(ns, 7000000);
    cr_assert_eq(perf_spec_time_ns(&err, &s, 32, &ns), 0);
    cr_assert_eq(ns, 48000000);
    cr_assert_eq(perf_spec_time_ns(&err, &s, 33, &ns), -1);
    cr_assert(strstr(err.message, "a batch of 33 is beyond the profile's last point (32)"),
              "%s", err.message);
}

Test(perf_profile, the_service_mean_is_the_time_of_a_batch_of_one)
{
    /* speed = E[S] / t(1): a 14 ms reference mean runs in 7 ms (speed 2); a 7 ms
     * mean is the work as is (exactly 1). */
    struct perf_spec s = profile_7_16_48();
    struct perf_target t = on(&T4, 1, 1);
    struct model_spec m = model(0.014);
    cr_assert_float_eq(build_ok(&s, &m, &t).speed, 2.0, 1e-12);
    m = model(0.007);
    cr_assert_eq(build_ok(&s, &m, &t).speed, 1.0);
}

Test(perf_profile, a_mean_equal_to_t1_up_to_rounding_is_exactly_the_work)
{
    /* Empirical {100 ms, 200 ms}: its mean (0.1 + 0.2) / 2 rounds to 0.15000000000000002
     * s, a profile's t(1) = 150 ms is 0.15 s; E[S] / t1 = 1 - 2e-16, which is 1: the
     * work runs as is, to the ns. */
    struct perf_spec s = spec(PERF_SPEC_PROFILE);
    s.profile_batch[0] = 1;
    s.profile_ns[0] = 150000000;
    s.n_profile = 1;
    struct model_spec m = {0};
    char why[200];
    double v[] = {0.1, 0.2};
    cr_assert_eq(dist_empirical_values(&m.service, v, 2, why, sizeof why), 0, "%s", why);
    cr_assert_neq(dist_mean_s(&m.service), 0.15, "the mean's arithmetic rounds");
    struct perf_target t = on(&T4, 1, 1);
    cr_assert_eq(build_ok(&s, &m, &t).speed, 1.0);
    dist_free(&m.service);
}

Test(perf_linear, the_floor_holds_small_batches_up)
{
    /* max(floor, base + per_item x b): base 1 ms, per_item 0.5 ms, floor 2 ms:
     * t(1) = max(2, 1.5) = 2 ms, t(4) = max(2, 3) = 3 ms; speed = 4 ms / 2 ms = 2. */
    struct perf_spec s = spec(PERF_SPEC_LINEAR);
    s.base_ns = 1000000;
    s.per_item_ns = 500000;
    s.floor_ns = 2000000;
    struct slsim_error err = {0};
    sim_time ns;
    cr_assert_eq(perf_spec_time_ns(&err, &s, 1, &ns), 0);
    cr_assert_eq(ns, 2000000);
    cr_assert_eq(perf_spec_time_ns(&err, &s, 4, &ns), 0);
    cr_assert_eq(ns, 3000000);
    struct model_spec m = model(0.004);
    struct perf_target t = on(&L4, 1, 1);
    struct perf_model pm = build_ok(&s, &m, &t);
    cr_assert_str_eq(pm.name, "linear");
    cr_assert_float_eq(pm.speed, 2.0, 1e-12);
}

/* ---- memory fit ---- */

Test(perf_memory, a_model_that_does_not_fit_one_device_is_refused_with_both_numbers)
{
    /* 16.06 GB of weights (Llama-3-8B in FP16) + 400 MiB of CUDA context = 16.479 GB
     * > a T4's 16 GB. */
    struct model_spec m = model(0.05);
    m.weights_bytes = 16060000000LL;
    struct perf_spec s = spec(PERF_SPEC_DEFAULT);
    struct perf_target t = on(&T4, 1, 1);
    struct slsim_error err = build_fails(&s, &m, &t);
    cr_assert(strstr(err.message, "the model needs 16.479GB (weights 16.06GB + CUDA context "
                                  "400MiB) but one T4 has 16GB"),
              "%s", err.message);
    /* On an L4 (24 GB) it fits. */
    t = on(&L4, 1, 1);
    build_ok(&s, &m, &t);
}

Test(perf_memory, activations_count_once_per_request_in_service)
{
    /* CPU: weights 1 GB + activations 600 MB x 2 in service = 2.2 GB > 2 GiB; one
     * slot (1.6 GB) fits. */
    struct model_spec m = model(0.05);
    m.size_bytes = 1000000000;
    m.activations_bytes = 600000000;
    struct perf_spec s = spec(PERF_SPEC_DEFAULT);
    struct perf_target t = {.speed = 1, .slots = 2, .memory_bytes = 2048 * MIB, .where = "box"};
    struct slsim_error err = build_fails(&s, &m, &t);
    cr_assert(strstr(err.message, "the model needs 2.2GB (weights 1GB + activations 600MB x 2 "
                                  "in service) but an instance of box has 2GiB of memory"),
              "%s", err.message);
    t.slots = 1;
    build_ok(&s, &m, &t);
    /* Unknown memory is not checked. */
    t.slots = 2;
    t.memory_bytes = 0;
    build_ok(&s, &m, &t);
}

Test(perf_memory, several_devices_too_small_together_give_the_total)
{
    /* 100 GB on 4 T4s: 100 GB + 4 x 400 MiB = 101.678 GB > 64 GB. */
    struct model_spec m = model(0.05);
    m.weights_bytes = 100000000000LL;
    struct perf_spec s = spec(PERF_SPEC_DEFAULT);
    struct perf_target t = on(&T4, 4, 1);
    struct slsim_error err = build_fails(&s, &m, &t);
    cr_assert(strstr(err.message, "(weights 100GB + CUDA context 400MiB x 4) but 4 x T4 have "
                                  "64GB together"),
              "%s", err.message);
}

/* ---- what the default picks ---- */

Test(perf_default, cpu_where_vcpus_and_no_accelerator_roofline_with_flops_else_scaled)
{
    struct perf_spec s = spec(PERF_SPEC_DEFAULT);
    struct model_spec m = model(0.01);
    /* vCPUs, no accelerator: the vCPU share. */
    struct perf_target cpu = {.speed = 1, .slots = 1, .vcpus = 2};
    cr_assert_str_eq(build_ok(&s, &m, &cpu).name, "cpu");
    /* An accelerator, no model.flops: the work as is, at the instance's speed. */
    struct perf_target gpu = on(&T4, 1, 1);
    gpu.vcpus = 4;
    gpu.speed = 1.5;
    struct perf_model pm = build_ok(&s, &m, &gpu);
    cr_assert_str_eq(pm.name, "scaled");
    cr_assert_eq(pm.speed, 1.5);
    /* ... and no sharing, as before performance models, whatever the slots. */
    gpu.slots = 4;
    cr_assert_eq(build_ok(&s, &m, &gpu).kind, PERF_FIXED);
    /* An accelerator and model.flops: the roofline (time-sliced over the 4 slots). */
    m.flops = 4.1e9;
    pm = build_ok(&s, &m, &gpu);
    cr_assert_str_eq(pm.name, "roofline");
    perf_model_free(&pm);
    /* Nothing known (the generic platform): scaled, speed exactly the target's. */
    struct perf_target none = {.speed = 1, .slots = 8};
    pm = build_ok(&s, &m, &none);
    cr_assert_str_eq(pm.name, "scaled");
    cr_assert_eq(pm.kind, PERF_FIXED);
    cr_assert_eq(pm.speed, 1.0);
}

Test(perf_default, a_zero_service_mean_cannot_be_scaled_and_the_message_names_the_model)
{
    /* speed = E[S] / t1 has no meaning at E[S] = 0; the default chose the roofline. */
    struct perf_spec s = spec(PERF_SPEC_DEFAULT);
    struct model_spec m = model(0.0);
    m.flops = 1e9;
    struct perf_target t = on(&T4, 1, 1);
    struct slsim_error err = build_fails(&s, &m, &t);
    cr_assert(strstr(err.message, "perf: roofline scales model.service"), "%s", err.message);
}

Test(perf_default, cpu_asked_where_no_vcpus_are_known_is_refused)
{
    struct perf_spec s = spec(PERF_SPEC_CPU);
    struct model_spec m = model(0.01);
    struct perf_target t = {.speed = 1, .slots = 1, .where = "generic"};
    struct slsim_error err = build_fails(&s, &m, &t);
    cr_assert(strstr(err.message, "needs the instance's vCPUs"), "%s", err.message);
}

/* ---- the fleet's target ---- */

Test(perf_target, a_fleet_reads_its_instance_type)
{
    struct accelerator l4 = L4;
    struct instance_type g6 = {.name = "g6.xlarge", .vcpu = 4, .memory_bytes = 16 * 1024 * MIB,
                               .gpus = 1, .gpu_model = "L4"};
    struct catalog c = {.instances = &g6, .n_instances = 1, .accelerators = &l4,
                        .n_accelerators = 1};
    struct fleet_spec f = {.instance = "g6.xlarge", .count = 1, .slots = 2, .speed = 1.25};
    perf_spec_default(&f.perf);
    struct perf_target t;
    fleet_perf_target(&f, &c, &t);
    cr_assert_eq(t.dedicated, 1);
    cr_assert_eq(t.speed, 1.25);
    cr_assert_eq(t.slots, 2);
    cr_assert_eq(t.vcpus, 4);
    cr_assert_eq(t.memory_bytes, 16 * 1024 * MIB);
    cr_assert_eq(t.accel, &l4);
    cr_assert_eq(t.n_accel, 1);
    cr_assert_str_eq(t.where, "g6.xlarge");
}

Test(perf_target, a_serverless_gpu_platform_names_its_accelerator)
{
    struct accelerator t4 = T4;
    struct platform_profile p = {.name = "gpu-t4", .vcpus = 4, .accelerator = "T4",
                                 .accelerators = 1};
    struct catalog c = {.platforms = &p, .n_platforms = 1, .accelerators = &t4,
                        .n_accelerators = 1};
    struct serverless_spec d = {.platform = "gpu-t4", .memory_bytes = 16 * 1024 * MIB,
                                .concurrency = 1};
    struct perf_target t;
    serverless_perf_target(&d, &c, &t);
    cr_assert_eq(t.accel, &t4);
    cr_assert_eq(t.n_accel, 1);
    cr_assert_eq(t.vcpus, 4);
    cr_assert_eq(t.dedicated, 0);
    cr_assert_eq(t.speed, 1.0);
}

/* ---- as a scenario writes them ---- */

#define HEAD "duration: 1h\nworkload: {arrival: poisson, rate: 1/s}\n"

Test(perf_config, every_form_of_perf_parses)
{
    struct scenario *s = load_yaml(
        HEAD "model: {service: 10ms, flops: 4.1GFLOP, weights: 51MB, activations: 2MB, "
             "parallel_fraction: 0.6}\n"
             "deployments:\n"
             "  - {name: a, perf: {profile: {1: 7ms, 8: 16ms, 32: 48ms}}}\n"
             "  - {name: b, perf: {linear: {base: 5ms, per_item: 1.3ms, floor: 2ms}}}\n"
             "  - {name: c, type: dedicated, instance: c6i.xlarge, perf: {linear: {base: 1ms, "
             "per_item: 1ms}}}\n"
             "  - {name: d, type: hybrid, base: {instance: c6i.xlarge, perf: {profile: {1: 5ms}}}, "
             "overflow: {perf: default}}\n");
    cr_assert_float_eq(s->model.flops, 4.1e9, 1);
    cr_assert_eq(s->model.weights_bytes, 51000000);
    cr_assert_eq(s->model.activations_bytes, 2000000);
    cr_assert_float_eq(s->model.parallel_fraction, 0.6, 1e-15);
    const struct perf_spec *a = &s->deployments[0].serverless.perf;
    cr_assert_eq(a->kind, PERF_SPEC_PROFILE);
    cr_assert_eq(a->n_profile, 3);
    cr_assert_eq(a->profile_batch[2], 32);
    cr_assert_eq(a->profile_ns[1], 16000000);
    cr_assert_eq(a->line, 5);
    const struct perf_spec *b = &s->deployments[1].serverless.perf;
    cr_assert_eq(b->kind, PERF_SPEC_LINEAR);
    cr_assert_eq(b->per_item_ns, 1300000);
    cr_assert_eq(b->floor_ns, 2000000);
    cr_assert_eq(s->deployments[2].dedicated.perf.kind, PERF_SPEC_LINEAR);
    cr_assert_eq(s->deployments[3].hybrid.base.perf.kind, PERF_SPEC_PROFILE);
    cr_assert_eq(s->deployments[3].hybrid.overflow.perf.kind, PERF_SPEC_DEFAULT);
    scenario_destroy(s);
}

/* perf_spec_parse on the value text of `perf:` (one line, as --set writes it). */
static int parse_perf(const char *text, struct perf_spec *out, struct slsim_error *err)
{
    struct ynode *n = ytree_parse(text, strlen(text), "--set", 0, "perf", err);
    cr_assert_not_null(n, "%s", err->message);
    int rc = perf_spec_parse(err, n, "deployments.a.perf", out);
    ytree_free(n);
    return rc;
}

Test(perf_config, roofline_parameters_and_bare_words)
{
    struct perf_spec p;
    struct slsim_error err;
    cr_assert_eq(parse_perf("{roofline: {compute_efficiency: 0.6, overhead: 1ms}}", &p, &err), 0,
                 "%s", err.message);
    cr_assert_eq(p.kind, PERF_SPEC_ROOFLINE);
    cr_assert_float_eq(p.compute_efficiency, 0.6, 1e-15);
    cr_assert_lt(p.memory_efficiency, 0, "not given: the default from the sources");
    cr_assert_eq(p.overhead_ns, 1000000);
    cr_assert_eq(parse_perf("roofline", &p, &err), 0);
    cr_assert_eq(p.kind, PERF_SPEC_ROOFLINE);
    cr_assert_eq(parse_perf("cpu", &p, &err), 0);
    cr_assert_eq(p.kind, PERF_SPEC_CPU);
    cr_assert_eq(parse_perf("{cpu: {}}", &p, &err), 0);
    cr_assert_eq(p.kind, PERF_SPEC_CPU);
    cr_assert_eq(parse_perf("default", &p, &err), 0);
    cr_assert_eq(p.kind, PERF_SPEC_DEFAULT);
    cr_assert_eq(parse_perf("{roofline: {memory_efficiency: 0}}", &p, &err), -1);
    cr_assert_str_eq(err.key, "deployments.a.perf.roofline.memory_efficiency");
    cr_assert_eq(parse_perf("{cpu: {threads: 2}}", &p, &err), -1);
    cr_assert(strstr(err.message, "cpu takes no parameters"), "%s", err.message);
    cr_assert_eq(parse_perf("profile", &p, &err), -1);
    cr_assert(strstr(err.message, "needs its parameters"), "%s", err.message);
    cr_assert_eq(parse_perf("{profile: {1: 7ms, 1: 9ms}}", &p, &err), -1);
    cr_assert_eq(parse_perf("{linear: {base: 0ms, per_item: 0ms}}", &p, &err), -1);
    cr_assert(strstr(err.message, "no time"), "%s", err.message);
}

Test(perf_config, flops_are_a_count_with_an_si_prefix)
{
    double f;
    char why[200];
    cr_assert_eq(perf_parse_flops("4.1GFLOP", &f, why, sizeof why), 0);
    cr_assert_float_eq(f, 4.1e9, 1e-3);
    cr_assert_eq(perf_parse_flops("350 MFLOP", &f, why, sizeof why), 0);
    cr_assert_float_eq(f, 3.5e8, 1e-6);
    cr_assert_eq(perf_parse_flops("2e12", &f, why, sizeof why), 0);
    cr_assert_float_eq(f, 2e12, 1);
    cr_assert_eq(perf_parse_flops("1.2TFLOP", &f, why, sizeof why), 0);
    cr_assert_float_eq(f, 1.2e12, 1);
    cr_assert_eq(perf_parse_flops("4.1GFLOPS", &f, why, sizeof why), -1);
    cr_assert(strstr(why, "rate"), "%s", why);
    cr_assert_eq(perf_parse_flops("4.1 Gflop", &f, why, sizeof why), -1);
    cr_assert_eq(perf_parse_flops("GFLOP", &f, why, sizeof why), -1);
}

Test(perf_config, errors_are_placed_at_the_key)
{
    struct slsim_error err = load_yaml_error(
        HEAD "model: {service: 10ms}\n"
             "deployments:\n"
             "  - {name: a, perf: {profile: {1: 7ms, 8: 16ms, 4: 9ms}}}\n");
    cr_assert_str_eq(err.key, "deployments.a.perf.profile.4");
    cr_assert_eq(err.line, 5);
    cr_assert(strstr(err.message, "ascending"), "%s", err.message);
    err = load_yaml_error(HEAD "model: {service: 10ms}\n"
                               "deployments:\n"
                               "  - {name: a, perf: {roofline: {}}}\n");
    cr_assert_str_eq(err.key, "deployments.a.perf");
    cr_assert(strstr(err.message, "needs an accelerator"), "%s", err.message);
    err = load_yaml_error(HEAD "model: {service: 10ms, flops: 4 GFLOP/s}\n"
                               "deployments: [{name: a}]\n");
    cr_assert_str_eq(err.key, "model.flops");
}

Test(perf_config, memory_fit_is_checked_at_load)
{
    /* 1 GB + 600 MB x 2 in service = 2.2 GB above the 2 GiB instance: refused at the
     * deployment's memory. */
    struct slsim_error err = load_yaml_error(
        HEAD "model: {service: 10ms, size: 1GB, activations: 600MB}\n"
             "deployments:\n"
             "  - name: a\n"
             "    memory: 2GiB\n"
             "    concurrency: 2\n");
    cr_assert_str_eq(err.key, "deployments.a.memory");
    cr_assert_eq(err.line, 6);
    cr_assert(strstr(err.message, "needs 2.2GB") && strstr(err.message, "has 2GiB"), "%s",
              err.message);
}
