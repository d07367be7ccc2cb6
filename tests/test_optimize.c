/* test_optimize.c - model.optimize: a quantised or distilled model as a transform of
 * the model described. Each rule is checked on a real model's numbers worked by hand:
 * ResNet-50, 98 MB in fp32 (torchvision's resnet50-0676ba61.pth, 97.8 MB), served in
 * 214 ms on one CPU thread in fp32 and 103 ms in int8 (PyTorch blog, 2020-03-26); an
 * LLM's weights as parameters x bytes of the type; where each bad input is refused. */
#include <math.h>

#include "cli_helpers.h"
#include "helpers.h"
#include "slsim/model_config.h"
#include "slsim/platform.h"

#define MIB (1LL << 20)

#define LAMBDA "}\ndeployments: [{name: fn, platform: aws-lambda}]"
#define H100 ", tokens: {prompt: 100, output: 10}}\n"                                         \
             "deployments: [{name: fn, platform: modal-h100, memory: 200GiB}]"

/* Model (a flow mapping's inside) served at one request a second; d ends the workload
 * and gives the deployments. */
static struct scenario *on(const char *d, const char *model, const char *const *sets,
                           size_t n_sets)
{
    char yaml[1024], path[] = "/tmp/slsim-test-optimize-XXXXXX";
    snprintf(yaml, sizeof yaml,
             "duration: 10m\nmodel: {%s}\nworkload: {arrival: poisson, rate: 1/s%s\n", model, d);
    write_temp(path, yaml);
    struct scenario *s = NULL;
    struct slsim_error err;
    int rc = scenario_load(path, sets, n_sets, &s, &err);
    unlink(path);
    cr_assert_eq(rc, 0, "did not load: %s (%d:%d %s)", err.message, err.line, err.column, err.key);
    return s;
}

/* A Lambda function serving model. */
static struct scenario *with_model(const char *model, const char *const *sets, size_t n_sets)
{
    return on(LAMBDA, model, sets, n_sets);
}

/* An LLM on one H100. */
static struct scenario *with_llm(const char *model)
{
    return on(H100, model, NULL, 0);
}

#define RESNET50 "name: resnet50, size: 98MB, memory: 2GiB, service: 214ms"

/* Rule: int8 from fp32 takes size x 1/4 and service time / (214 / 103), and the
 * memory less the weights' 3/4: 98 MB -> 24.5 MB; 214 ms -> 103 ms; 2 GiB -
 * 73.5 MB = 2,147,483,648 - 73,500,000 = 2,073,983,648 B = 1977.9 MiB -> 1978 MiB
 * = 2,074,083,328 B. */
Test(optimize, int8_quarters_resnet50_and_divides_its_time_by_214_over_103)
{
    struct scenario *s = with_model(RESNET50 ", optimize: {quantize: int8}", NULL, 0);
    cr_expect_eq(s->model.size_bytes, 24500000LL);
    cr_expect_eq(s->model.memory_bytes, 1978 * MIB);
    cr_expect_eq(s->model.memory_bytes, 2074083328LL);
    cr_expect_float_eq(dist_mean_s(&s->model.service), 0.103, 1e-15);
    cr_expect_float_eq(s->model.opt_speed, 214.0 / 103.0, 1e-15);
    cr_expect_float_eq(s->model.opt_size, 0.25, 0);
    cr_expect_str_eq(s->model.opt_quantize, "int8");
    cr_expect_float_eq(s->model.dtype_bytes, 1, 0);
    /* the instance memory is the deployment's where it sets none of its own */
    cr_expect_eq(deployment_serverless(&s->deployments[0])->memory_bytes, 2074083328LL);
    scenario_destroy(s);
}

/* Rule: --set reaches model.optimize like any key; the same model as written. */
Test(optimize, set_quantize_int8_is_the_same_as_writing_it)
{
    const char *set[] = {"model.optimize.quantize=int8"};
    struct scenario *s = with_model(RESNET50, set, 1);
    cr_expect_eq(s->model.size_bytes, 24500000LL);
    cr_expect_float_eq(dist_mean_s(&s->model.service), 0.103, 1e-15);
    scenario_destroy(s);
}

/* Rule: the service distribution is scaled whole: a lognormal of mean m and cv c
 * becomes one of mean m / k and the same cv (variance / k^2); every sample / k. */
Test(optimize, a_distribution_keeps_its_shape)
{
    struct scenario *a = with_model("size: 98MB, service: {dist: lognormal, mean: 214ms, cv: 0.5}",
                                    NULL, 0);
    struct scenario *b = with_model("size: 98MB, service: {dist: lognormal, mean: 214ms, cv: 0.5},"
                                    " optimize: {quantize: int8}", NULL, 0);
    double k = 214.0 / 103.0;
    cr_expect_float_eq(dist_mean_s(&b->model.service), 0.103, 1e-15);
    cr_expect_float_eq(dist_variance_s2(&b->model.service),
                       dist_variance_s2(&a->model.service) / (k * k), 1e-15);
    cr_expect_float_eq(dist_quantile_s(&b->model.service, 0.9),
                       dist_quantile_s(&a->model.service, 0.9) / k, 1e-12);
    scenario_destroy(a);
    scenario_destroy(b);
    /* empirical values and gamma: each value / k, the mean too */
    a = with_model("service: {dist: empirical, values: [107ms, 321ms]}, optimize: {quantize: int8}",
                   NULL, 0);
    cr_expect_float_eq(a->model.service.x[0], 0.0515, 1e-15); /* 0.107 x 103 / 214 */
    cr_expect_float_eq(a->model.service.x[1], 0.1545, 1e-15); /* 0.321 x 103 / 214 */
    cr_expect_float_eq(dist_mean_s(&a->model.service), 0.103, 1e-15);
    scenario_destroy(a);
    a = with_model("service: {dist: gamma, mean: 428ms, cv: 0.5}, optimize: {quantize: int8}",
                   NULL, 0);
    cr_expect_float_eq(dist_mean_s(&a->model.service), 0.206, 1e-15);
    cr_expect_float_eq(dist_variance_s2(&a->model.service), 0.25 * 0.206 * 0.206, 1e-15);
    scenario_destroy(a);
}

/* Rule: distill multiplies size, weights and memory's weight share by size and
 * divides service time and flops by speed, exactly: size 98 MB x 0.19 = 18.62 MB;
 * weights 100 MB x 0.19 = 19 MB; memory 2 GiB - 100 MB x 0.81 = 2,066,483,648 B =
 * 1970.75 MiB -> 1971 MiB; 370 ms / 3.7 = 100 ms; 4.1 GFLOP / 3.7. */
Test(optimize, distill_scales_by_its_factors)
{
    struct scenario *s = with_model("size: 98MB, weights: 100MB, memory: 2GiB, service: 370ms, "
                                    "flops: 4.1GFLOP, optimize: {distill: {size: 0.19, speed: 3.7}}",
                                    NULL, 0);
    cr_expect_eq(s->model.size_bytes, 18620000LL);
    cr_expect_eq(s->model.weights_bytes, 19000000LL);
    cr_expect_eq(s->model.memory_bytes, 1971 * MIB);
    cr_expect_float_eq(dist_mean_s(&s->model.service), 0.1, 1e-15);
    cr_expect_float_eq(s->model.flops, 4.1e9 / 3.7, 1e-6);
    cr_expect_float_eq(s->model.dtype_bytes, 4, 0); /* still fp32 */
    cr_expect_str_eq(s->model.opt_quantize, "");
    scenario_destroy(s);
}

/* Rule: distil, then quantise: size 98 MB x 0.19 x 0.25 = 4,655,000 B; speed-up 3.7
 * x 214 / 103, so 214 ms -> 214 / 3.7 / 2.0777 = 103 / 3.7 = 27.838 ms; memory 2 GiB
 * - 98 MB x (1 - 0.0475) = 2,147,483,648 - 93,345,000 = 2,054,138,648 B = 1958.98
 * MiB -> 1959 MiB. */
Test(optimize, distill_then_quantize_multiplies_the_factors)
{
    struct scenario *s = with_model(RESNET50 ", optimize: {distill: {size: 0.19, speed: 3.7},"
                                    " quantize: int8}", NULL, 0);
    cr_expect_eq(s->model.size_bytes, 4655000LL);
    cr_expect_eq(s->model.memory_bytes, 1959 * MIB);
    cr_expect_float_eq(dist_mean_s(&s->model.service), 0.103 / 3.7, 1e-15);
    cr_expect_float_eq(s->model.opt_speed, 3.7 * 214.0 / 103.0, 1e-12);
    scenario_destroy(s);
}

/* Rule: weights that would take more than the memory take all of it, so the memory
 * scales as a whole: 4 GB of weights in 2 GiB -> 2 GiB x 0.25 = 512 MiB. */
Test(optimize, memory_never_falls_below_its_weights_share)
{
    cr_expect_eq(model_optimize_memory(2048 * MIB, 4000000000LL, 0.25), 512 * MIB);
    cr_expect_eq(model_optimize_memory(2048 * MIB, 0, 0.25), 2048 * MIB);
}

/* Rule: an LLM's quantize sets model.dtype: weights = parameters x bytes of the type,
 * what a cold start moves too. Llama-3-8B: 8.03e9 x 1 B = 8.03 GB (fp16: 16.06 GB);
 * int4 0.5 B: 4.015 GB. Weights given for fp16 scale by the ratio: 5 GB -> 2.5 GB. */
Test(optimize, an_llms_quantize_sets_its_dtype)
{
    struct scenario *s = with_llm("llm: llama-3-8b, optimize: {quantize: int8}");
    cr_expect_eq(s->model.weights_bytes, 8030000000LL);
    cr_expect_eq(s->model.size_bytes, 8030000000LL);
    cr_expect_float_eq(s->model.dtype_bytes, 1, 0);
    cr_expect_eq(s->model.dtype_fp8, 0);
    cr_expect_eq(s->model.memory_bytes, MODEL_DEFAULT_MEMORY_BYTES); /* the host's: as was */
    scenario_destroy(s);
    s = with_llm("llm: llama-3-8b, optimize: {quantize: int4}");
    cr_expect_eq(s->model.weights_bytes, 4015000000LL);
    scenario_destroy(s);
    s = with_llm("llm: llama-3-8b, optimize: {quantize: fp8}");
    cr_expect_eq(s->model.dtype_fp8, 1);
    scenario_destroy(s);
    s = with_llm("llm: llama-3-8b, weights: 5GB, optimize: {quantize: int8}");
    cr_expect_eq(s->model.weights_bytes, 2500000000LL);
    cr_expect_eq(s->model.size_bytes, 2500000000LL);
    scenario_destroy(s);
    /* the same type written twice says one thing */
    s = with_llm("llm: llama-3-8b, dtype: int8, optimize: {quantize: int8}");
    cr_expect_eq(s->model.weights_bytes, 8030000000LL);
    scenario_destroy(s);
}

/* Rule: the optimised model runs exactly as the plain model of the optimised numbers
 * (24.5 MB, 1978 MiB, 103 ms): the cold start reads model.size, billing the memory,
 * every request's work the service time. */
Test(optimize, runs_as_the_plain_model_of_its_numbers)
{
    struct scenario *a = with_model(RESNET50 ", optimize: {quantize: int8}", NULL, 0);
    struct scenario *b = with_model("name: resnet50, size: 24.5MB, memory: 1978MiB, service: 103ms",
                                    NULL, 0);
    struct deployment_result ra = run_one(a, 0), rb = run_one(b, 0);
    cr_assert_gt(ra.cold_starts, 0);
    cr_expect_eq(ra.cold_starts, rb.cold_starts);
    cr_expect_float_eq(ra.coldstart_s, rb.coldstart_s, 1e-9);
    cr_expect_float_eq(ra.busy_instance_s, rb.busy_instance_s, 1e-9);
    cr_expect_float_eq(result_cost_total(&ra), result_cost_total(&rb), 1e-12);
    result_free(&ra);
    result_free(&rb);
    scenario_destroy(a);
    scenario_destroy(b);
}

/* Each bad input is refused at its key, with the reason. */
static void refused(const char *model, int column, const char *key, const char *want)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "duration: 10m\nmodel: {%s}\nworkload: {arrival: poisson, rate: 1/s}\n"
             "deployments: [{name: fn, platform: modal-h100, memory: 200GiB}]\n", model);
    struct slsim_error err = load_yaml_error(yaml);
    cr_expect_eq(err.line, 2, "line %d (%s)", err.line, err.message);
    cr_expect_eq(err.column, column, "column %d, want %d (%s)", err.column, column, err.message);
    cr_expect_str_eq(err.key, key, "(%s)", err.message);
    cr_expect(strstr(err.message, want), "message \"%s\" lacks \"%s\"", err.message, want);
}

Test(optimize, bad_inputs_are_refused_at_their_key)
{
    /* "model: {" is 8 columns: the model's keys start at column 9 */
    refused("service: 1s, optimize: {prune: 0.5}", 33, "model.optimize.prune", "unknown key");
    refused("service: 1s, optimize: {}", 32, "model.optimize", "name a method");
    refused("service: 1s, optimize: {quantize: int3}", 43, "model.optimize.quantize", "int3");
    refused("service: 1s, optimize: {quantize: int4}", 43, "model.optimize.quantize",
            "only int8");
    refused("service: 1s, optimize: {distill: {size: 0.19, speed: 0}}", 62,
            "model.optimize.distill.speed", "above 0");
    refused("service: 1s, optimize: {distill: {size: 0.19, speed: -2}}", 62,
            "model.optimize.distill.speed", "above 0");
    refused("service: 1s, optimize: {distill: {size: 1.5, speed: 2}}", 49,
            "model.optimize.distill.size", "(0, 1]");
    refused("service: 1s, optimize: {distill: {size: 0, speed: 2}}", 49,
            "model.optimize.distill.size", "(0, 1]");
    refused("service: 1s, optimize: {distill: {size: 0.5}}", 42, "model.optimize.distill.speed",
            "speed");
    refused("service: 1s, dtype: fp32, optimize: {quantize: int8}", 56,
            "model.optimize.quantize", "model.dtype is fp32");
    refused("llm: llama-3-8b, dtype: fp16, optimize: {quantize: int8}", 60,
            "model.optimize.quantize", "model.dtype is fp16");
    refused("llm: llama-3-8b, optimize: {distill: {size: 0.5, speed: 2}}", 46,
            "model.optimize.distill", "another architecture");
}

/* A trace's own durations are the plain model's work: distil's speed-up divides them as
 * it divides model.service. Four requests of 400 ms on one slot: mean latency 400 ms,
 * 200 ms at speed 2 (400 / 2), 160 ms at speed 2.5. */
Test(optimize, a_traces_durations_are_divided_by_the_speed_up)
{
    static const struct {
        const char *speed;
        double ms;
    } cases[] = {{NULL, 400}, {"2", 200}, {"2.5", 160}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char speed[64];
        const char *sets[2] = {speed, "model.optimize.distill.size=1"};
        snprintf(speed, sizeof speed, "model.optimize.distill.speed=%s",
                 cases[i].speed ? cases[i].speed : "1");
        struct scenario *s = NULL;
        struct slsim_error err;
        cr_assert_eq(scenario_load("tests/data/optimize/trace.yaml", sets, 2, &s, &err), 0,
                     "%s", err.message);
        struct deployment_result r;
        cr_assert_eq(run_deployment(s, 0, 0, 0, &r, &err), 0, "%s", err.message);
        cr_expect_float_eq(r.latency.mean_ns / 1e6, cases[i].ms, 1e-6, "%s: %g ms", speed,
                           r.latency.mean_ns / 1e6);
        result_free(&r);
        scenario_destroy(s);
    }
}

/* A mixture's parts are each divided: 90% of 100 ms and 10% of 1 s hanging, mean
 * 0.9 x 0.1 + 0.1 x 1 = 0.19 s; distilled at speed 2: parts 50 ms and 500 ms, mean
 * 0.095 s. */
Test(optimize, a_mixture_is_divided_part_by_part)
{
    struct scenario *s = with_model(
        "name: m, size: 10MB, memory: 1GiB, optimize: {distill: {size: 1, speed: 2}}, service: "
        "{dist: mixture, of: [{weight: 0.9, dist: constant, value: 100ms}, {weight: 0.1, dist: "
        "constant, value: 1s}]}",
        NULL, 0);
    const struct dist *d = &s->model.service;
    cr_assert_eq(d->kind, DIST_MIXTURE);
    cr_expect_float_eq(d->mean_s, 0.095, 1e-12);
    cr_expect_float_eq(d->parts[0].mean_s, 0.05, 1e-12);
    cr_expect_float_eq(d->parts[1].mean_s, 0.5, 1e-12);
    scenario_destroy(s);
}

/* On a platform of coarse memory settings, the optimised memory (1978 MiB, as above)
 * becomes the next setting up where the deployment sets none: SageMaker Serverless's
 * 2 GiB (1 GB steps from 1 GiB); a deployment's own memory stays as written. */
Test(optimize, a_coarse_platform_takes_its_next_memory_setting)
{
    struct scenario *s = on("}\ndeployments: [{name: sm, platform: sagemaker-serverless}, "
                            "{name: own, platform: sagemaker-serverless, memory: 3GiB}]",
                            RESNET50 ", optimize: {quantize: int8}", NULL, 0);
    cr_expect_eq(s->deployments[0].serverless.memory_bytes, 2LL << 30);
    cr_expect_eq(s->deployments[1].serverless.memory_bytes, 3LL << 30);
    scenario_destroy(s);
}
