/* test_gpu_coldstart.c - a GPU cold start in stages: instance start (init), weights
 * fetch (size / fetch bandwidth), host-to-GPU copy (weights / copy bandwidth) and
 * engine start, each from the catalog with its source; and the built-in GPU
 * platforms' stages. */
#include <math.h>

#include "helpers.h"
#include "slsim/platform.h"

#define GB 1000000000LL

static const struct platform_profile *find(const struct catalog *c, const char *name)
{
    const struct platform_profile *p = catalog_find_platform(c, name);
    cr_assert_not_null(p, "platform %s", name);
    return p;
}

static struct serverless_spec default_spec(void)
{
    struct serverless_spec d;
    memset(&d, 0, sizeof d);
    d.coldstart = COLDSTART_DEFAULT;
    return d;
}

Test(gpu_coldstart, one_cold_request_waits_for_the_sum_of_the_stages)
{
    /* Cold start = init + size / fetch + weights / copy + engine, by hand for the test
     * catalog's gpu-stages and a 10 GB model whose weights are its size:
     * 5 s + 10 GB / 1 GB/s + 10 GB / 20 GB/s + 8 s = 5 + 10 + 0.5 + 8 = 23.5 s, all
     * constants, so the one request of the run waits exactly that and then its
     * 100 ms service: latency 23.6 s. */
    struct scenario *s = load_yaml("duration: 1.5s\n"
                                   "pricing: tests/data/pricing/coldstart.yaml\n"
                                   "model: {size: 10GB, service: 100ms}\n"
                                   "workload: {arrival: constant, rate: 1/s}\n"
                                   "deployments:\n"
                                   "  - {name: g, platform: gpu-stages, memory: 16GiB}\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.served, 1);
    cr_assert_eq(r.cold_starts, 1);
    cr_expect_eq(r.latency.max_ns, 23600000000LL, "latency %lld ns",
                 (long long)r.latency.max_ns);
    cr_expect_str_eq(r.coldstart_profile, "gpu-stages");
    /* Every stage given is listed when assumed; copy_bandwidth cites a year. */
    cr_expect_str_eq(r.coldstart_assumed, "init; fetch_bandwidth; engine");
    result_free(&r);
    scenario_destroy(s);
}

Test(gpu_coldstart, the_copy_moves_the_weights_and_the_fetch_the_whole_model)
{
    /* model.size 10 GB with 4 GB of weights: 5 + 10 GB / 1 GB/s + 4 GB / 20 GB/s + 8
     * = 5 + 10 + 0.2 + 8 = 23.2 s, all of it fixed (the constants fold in). */
    struct catalog *c = NULL;
    struct slsim_error err;
    cr_assert_eq(catalog_load_file("tests/data/pricing/coldstart.yaml", &c, &err), 0, "%s",
                 err.message);
    struct serverless_spec d = default_spec();
    struct coldstart_model m;
    cr_assert_eq(coldstart_model_build(&m, &d, find(c, "gpu-stages"), 10 * GB, 4 * GB, &err),
                 0, "%s", err.message);
    cr_expect_eq(m.fixed_ns + (sim_time)(dist_mean_s(&m.init) * 1e9), 23200000000LL);
    cr_expect_not(m.has_engine, "a constant engine start is no draw");
    cr_expect_float_eq(coldstart_mean_s(&m), 23.2, 1e-9);
    coldstart_model_free(&m);
    catalog_destroy(c);
}

Test(gpu_coldstart, a_random_engine_start_is_drawn_after_init)
{
    /* engine exponential with mean 8 s: the start's mean is 5 + 10 + 0.5 + 8 = 23.5 s
     * (coldstart_mean_s), and each draw is the fixed 15.5 s plus the engine's draw,
     * never less. */
    static const char text[] = "as_of: 2026-11-30\n"
                               "platforms:\n"
                               "  - name: p\n"
                               "    keep_alive: 1m\n"
                               "    coldstart:\n"
                               "      init: 5s\n"
                               "      fetch_bandwidth: 1GB/s\n"
                               "      copy_bandwidth: 20GB/s\n"
                               "      engine: {dist: exponential, mean: 8s}\n"
                               "      sources: {init: assumed, fetch_bandwidth: assumed,\n"
                               "                copy_bandwidth: assumed, engine: assumed}\n"
                               "    billing: {mode: request, rounding: 1ms, request: "
                               "{usd: 0, source: s, date: 2026}}\n";
    struct catalog *c = NULL;
    struct slsim_error err;
    cr_assert_eq(catalog_parse(text, strlen(text), "inline.yaml", &c, &err), 0, "%s",
                 err.message);
    struct serverless_spec d = default_spec();
    struct coldstart_model m;
    cr_assert_eq(coldstart_model_init(&m, &d, find(c, "p"), 10 * GB, &err), 0, "%s",
                 err.message);
    cr_expect(m.has_engine);
    cr_expect_eq(m.fixed_ns, 10500000000LL, "fetch 10 s + copy 0.5 s");
    cr_expect_float_eq(coldstart_mean_s(&m), 23.5, 1e-9);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double sum = 0;
    for (int i = 0; i < 20000; i++) {
        sim_time t = coldstart_sample_ns(&m, r);
        cr_assert_geq(t, 15500000000LL);
        sum += (double)t / 1e9;
    }
    /* 20,000 draws of an exponential with sd 8 s: the mean's sd is 0.057 s. */
    cr_expect_float_eq(sum / 20000, 23.5, 0.3);
    gsl_rng_free(r);
    coldstart_model_free(&m);
    catalog_destroy(c);
}

Test(gpu_coldstart, built_in_gpu_platforms_state_their_stages)
{
    /* Each GPU platform states how its weights reach the GPU: a load measured into GPU
     * memory (Modal's transfer, 18 GB in 35 s; a snapshot's restore, 18 GB in 3.1 s)
     * or a loader's rate plus the copy at the link's measured rate (Gen4 20 or 25,
     * Gen5 55 GB/s) and the CUDA context (0.34 s). The CPU platforms have no GPU
     * stage, so their cold starts are what they were. */
    struct catalog *c = NULL;
    struct slsim_error err;
    cr_assert_eq(catalog_load_default(&c, &err), 0, "%s", err.message);
    static const struct {
        const char *name;
        double load_bytes_per_s, copy_bytes_per_s;
        int engine;
    } gpu[] = {{"cloud-run-gpu-l4", 1.7e9, 20e9, 1}, {"modal-t4", 0.5e9, 0, 0},
               {"modal-l4", 0.5e9, 0, 0},           {"modal-l4-snapshot", 5.8e9, 0, 0},
               {"modal-a10", 0.5e9, 0, 0},          {"modal-a100-80gb", 0.5e9, 0, 0},
               {"modal-h100", 0.5e9, 0, 0},         {"runpod-l4", 1.7e9, 20e9, 1},
               {"runpod-a100-80gb", 1.7e9, 25e9, 1}, {"runpod-h100", 1.7e9, 55e9, 1}};
    for (size_t i = 0; i < sizeof gpu / sizeof gpu[0]; i++) {
        const struct platform_profile *p = find(c, gpu[i].name);
        cr_expect(p->accelerator[0], "%s names its GPU", gpu[i].name);
        cr_expect_float_eq(p->load_bytes_per_s, gpu[i].load_bytes_per_s, 1.0, "%s",
                           gpu[i].name);
        cr_expect_float_eq(p->copy_bytes_per_s, gpu[i].copy_bytes_per_s, 1.0, "%s",
                           gpu[i].name);
        cr_expect_eq(p->has_engine, gpu[i].engine, "%s", gpu[i].name);
        if (p->has_engine) {
            cr_expect_float_eq(p->engine.mean_s, 0.34, 1e-12, "%s: the CUDA context",
                               gpu[i].name);
            cr_expect(p->engine_c.assumed, "%s", gpu[i].name);
        }
    }
    /* modal-l4-snapshot, a 16 GB model: median 3.9 s init, mean 3.9 x exp(s^2 / 2)
     * with s = ln(12 / 3.9) / 2.326 = 0.4831, so 4.383 s, + 16 / 5.8 = 2.759 s:
     * 7.142 s. */
    struct serverless_spec d = default_spec();
    struct coldstart_model m;
    cr_assert_eq(coldstart_model_init(&m, &d, find(c, "modal-l4-snapshot"), 16 * GB, &err), 0);
    cr_expect_float_eq(coldstart_mean_s(&m), 7.142, 0.002);
    coldstart_model_free(&m);
    static const char *const cpu[] = {"aws-lambda", "aws-lambda-arm64", "sagemaker-serverless",
                                      "cloud-run", "cloud-run-instance", "azure-functions",
                                      "azure-functions-flex", NULL};
    for (size_t i = 0; cpu[i]; i++) {
        const struct platform_profile *p = find(c, cpu[i]);
        cr_expect_eq(p->copy_bytes_per_s, 0, "%s", cpu[i]);
        cr_expect_not(p->has_engine, "%s", cpu[i]);
    }
    catalog_destroy(c);
}
