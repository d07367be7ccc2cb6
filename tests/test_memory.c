/* test_memory.c - memory must be one of the platform's settings.
 *
 * Each rule is checked against the built-in catalog with a value worked by hand:
 * where the scenario loader refuses a size, at which file:line:col, with which
 * nearest settings; what an accepted size is billed; and how a trace's per-function
 * memory is rounded up to a setting. Scenario text is written one key per line so
 * that the expected position can be read off the text above each assertion. */
#include "cli_helpers.h"
#include "helpers.h"

#define MIB (1LL << 20)
#define GIB (1LL << 30)

/* Lines 1-6; a test appends its deployments from line 7 on. */
#define HEAD                                                                                   \
    "duration: 1.5s\n"                         /* 1 */                                        \
    "model:\n"                                 /* 2 */                                        \
    "  service: 1s\n"                          /* 3 */                                        \
    "workload: {arrival: constant, rate: 1/s}\n" /* 4 */                                      \
    "deployments:\n"                           /* 5 */                                        \
    "  - name: d\n"                            /* 6 */

struct load {
    int rc;
    struct scenario *s;
    struct slsim_error err;
    char path[64];
};

/* Load text (from a temporary file, removed after) with --set overrides. */
static struct load load(const char *text, const char *const *sets, size_t n_sets)
{
    struct load l;
    memset(&l, 0, sizeof l);
    snprintf(l.path, sizeof l.path, "/tmp/slsim-test-memory-XXXXXX");
    int fd = mkstemp(l.path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
    l.rc = scenario_load(l.path, sets, n_sets, &l.s, &l.err);
    unlink(l.path);
    return l;
}

/* The load failed at file:line:column, key, and the message holds each of want[]. */
static void refused_at(const struct load *l, const char *file, int line, int column,
                       const char *key, const char *const *want)
{
    cr_assert_eq(l->rc, -1, "loaded; expected \"%s\"", want[0]);
    cr_assert_str_eq(l->err.file, file, "(%s)", l->err.message);
    cr_expect_eq(l->err.line, line, "line %d, want %d (%s)", l->err.line, line, l->err.message);
    cr_expect_eq(l->err.column, column, "column %d, want %d (%s)", l->err.column, column,
                 l->err.message);
    cr_expect_str_eq(l->err.key, key, "(%s)", l->err.message);
    for (size_t i = 0; want[i]; i++)
        cr_expect(strstr(l->err.message, want[i]), "message \"%s\" lacks \"%s\"",
                  l->err.message, want[i]);
}

/* Rule: SageMaker Serverless is set in 1024 MiB steps from 1024 to 6144 (API
 * ProductionVariantServerlessConfig), so 1536 MiB lies between 1024 and 2048. */
Test(memory, sagemaker_refuses_1536MiB_naming_1024_and_2048)
{
    struct load l = load(HEAD "    platform: sagemaker-serverless\n"
                              "    memory: 1536MiB\n", /* 8 */
                         NULL, 0);
    refused_at(&l, l.path, 8, 13, "deployments.d.memory",
               (const char *[]){"1536MiB is not a memory setting", "sagemaker-serverless",
                                "from 1024 to 6144 MiB in steps of 1024 MiB",
                                "nearest settings 1024 and 2048 MiB", NULL});
    cr_expect_null(strstr(l.err.message, "did you mean"), "1536MB is no setting either");
    l = load(HEAD "    platform: sagemaker-serverless\n    memory: 3GiB\n", NULL, 0);
    cr_assert_eq(l.rc, 0, "3 GiB = 3072 MiB is a setting: %s", l.err.message);
    scenario_destroy(l.s);
}

/* Rule: MB is 10^6 bytes everywhere, so 2048MB = 2.048e9 B = 1953.125 MiB, and
 * Lambda is set in whole MiB (docs configuration-memory): not a setting, while
 * the same number in MiB is. */
Test(memory, lambda_refuses_2048MB_and_suggests_2048MiB)
{
    struct load l = load(HEAD "    platform: aws-lambda\n"
                              "    memory: 2048MB\n", /* 8 */
                         NULL, 0);
    refused_at(&l, l.path, 8, 13, "deployments.d.memory",
               (const char *[]){"2048MB is 1953.125 MiB", "aws-lambda is set in MiB",
                                "nearest settings 1953 and 1954 MiB",
                                "did you mean 2048MiB?", NULL});
    /* 2GB = 2e9 B = 1907.35 MiB; its binary twin 2GiB is a setting */
    l = load(HEAD "    platform: aws-lambda\n    memory: 2GB\n", NULL, 0);
    refused_at(&l, l.path, 8, 13, "deployments.d.memory",
               (const char *[]){"2GB is 1907.349 MiB", "did you mean 2GiB?", NULL});
}

/* Rule: an accepted 2048MiB is billed at exactly 2 GiB (Lambda's GB-second is a
 * GiB-second): 1 request of 1 s = 1 s x 2 GiB x $0.0000166667 + $0.0000002. */
Test(memory, lambda_bills_2048MiB_as_exactly_2GiB)
{
    struct scenario *s = load_yaml(HEAD "    platform: aws-lambda\n"
                                        "    memory: 2048MiB\n"
                                        "    coldstart: none\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.served, 1);
    cr_expect_eq(r.memory_bytes, 2 * GIB);
    cr_expect_float_eq(r.billed_ms, 1000, 1e-9);
    cr_expect_float_eq(r.cost.compute_usd, 2 * 0.0000166667, 1e-15);
    cr_expect_float_eq(r.cost.requests_usd, 0.0000002, 1e-15);
    cr_expect_float_eq(r.cost.compute_usd + r.cost.requests_usd, 0.0000335334, 1e-15);
    result_free(&r);
    scenario_destroy(s);
}

/* Rule: Flex Consumption offers 512, 2048 and 4096 MB instances only
 * (flex-consumption-plan.md), so 1024 MiB lies between 512 and 2048. */
Test(memory, flex_refuses_1024MiB_naming_512_and_2048)
{
    struct load l = load(HEAD "    platform: azure-functions-flex\n"
                              "    memory: 1024MiB\n", /* 8 */
                         NULL, 0);
    refused_at(&l, l.path, 8, 13, "deployments.d.memory",
               (const char *[]){"512, 2048 or 4096 MiB", "nearest settings 512 and 2048 MiB",
                                NULL});
    /* 2GiB = 2048 MiB is the default Flex size */
    l = load(HEAD "    platform: azure-functions-flex\n    memory: 2GiB\n", NULL, 0);
    cr_assert_eq(l.rc, 0, "%s", l.err.message);
    scenario_destroy(l.s);
}

/* Rule: Cloud Run pairs memory with CPU; the catalog's cloud-run bills 1 vCPU, which
 * allows 128 MiB to 4 GiB (docs configuring/services/memory-limits), so 8 GiB needs
 * a second vCPU. With the L4 GPU (4 vCPU) 16 GiB is the only setting. */
Test(memory, cloud_run_at_1_vcpu_refuses_8GiB)
{
    struct load l = load(HEAD "    platform: cloud-run\n"
                              "    memory: 8GiB\n", /* 8 */
                         NULL, 0);
    refused_at(&l, l.path, 8, 13, "deployments.d.memory",
               (const char *[]){"8GiB is 8192 MiB, not a memory setting",
                                "any size from 128 to 4096 MiB", "nearest setting 4096 MiB",
                                NULL});
    l = load(HEAD "    platform: cloud-run-gpu-l4\n    memory: 32GiB\n", NULL, 0);
    refused_at(&l, l.path, 8, 13, "deployments.d.memory",
               (const char *[]){"16 GiB only", "nearest setting 16 GiB", NULL});
}

/* Rule: Azure Functions Consumption has no memory setting (memory is observed, up to
 * 1.5 GB), so any size up to 1536 MiB is accepted, in any unit. */
Test(memory, azure_consumption_accepts_any_size_up_to_1536MiB)
{
    struct load l = load(HEAD "    platform: azure-functions\n    memory: 1000MB\n", NULL, 0);
    cr_assert_eq(l.rc, 0, "%s", l.err.message);
    scenario_destroy(l.s);
    l = load(HEAD "    platform: azure-functions\n    memory: 1537MiB\n", NULL, 0);
    refused_at(&l, l.path, 8, 13, "deployments.d.memory",
               (const char *[]){"any size up to 1536 MiB", NULL});
}

/* Rule: a deployment without memory of its own is checked with model.memory, and
 * the error points at model.memory; the default model.memory (2GiB) is a setting. */
Test(memory, inherited_memory_is_reported_at_model_memory)
{
    struct load l = load("duration: 1h\n"
                         "model:\n"
                         "  service: 1s\n"
                         "  memory: 1536MiB\n" /* 4 */
                         "workload: {arrival: poisson, rate: 1/s}\n"
                         "deployments:\n"
                         "  - name: sm\n"
                         "    platform: sagemaker-serverless\n",
                         NULL, 0);
    refused_at(&l, l.path, 4, 11, "model.memory",
               (const char *[]){"used by deployments.sm, which sets no memory",
                                "nearest settings 1024 and 2048 MiB", NULL});
    l = load(HEAD "    platform: cloud-run-gpu-l4\n", NULL, 0); /* 7 */
    refused_at(&l, l.path, 6, 5, "deployments.d.memory",
               (const char *[]){"the default applies: 2GiB is not a memory setting", NULL});
    l = load(HEAD "    platform: aws-lambda\n", NULL, 0);
    cr_assert_eq(l.rc, 0, "the default 2GiB is a Lambda setting: %s", l.err.message);
    cr_expect_eq(l.s->deployments[0].serverless.memory_bytes, 2 * GIB);
    scenario_destroy(l.s);
}

/* Rule: a --set override is checked like the file and reported in the --set text. */
Test(memory, set_override_points_into_the_set_text)
{
    const char *sets[] = {"deployments.d.memory=2048MB"};
    struct load l = load(HEAD "    platform: aws-lambda\n", sets, 1);
    refused_at(&l, "--set", 1, 22, "deployments.d.memory",
               (const char *[]){"did you mean 2048MiB?", NULL});
    const char *model_set[] = {"model.memory=1536MiB"};
    l = load(HEAD "    platform: sagemaker-serverless\n", model_set, 1);
    refused_at(&l, "--set", 1, 14, "model.memory", (const char *[]){"1024 and 2048", NULL});
}

/* Rule: a hybrid's serverless overflow is a serverless deployment: its memory is
 * checked the same way. Dedicated machines have fixed memory: model.memory is not
 * a setting there and is not checked. */
Test(memory, hybrid_overflow_is_checked_and_dedicated_is_not)
{
    struct load l = load("duration: 1h\n"
                         "model: {service: 1s, memory: 1536MiB}\n"
                         "workload: {arrival: poisson, rate: 1/s}\n"
                         "deployments:\n"
                         "  - name: h\n"
                         "    type: hybrid\n"
                         "    base: {instance: c6i.xlarge}\n"
                         "    overflow:\n"
                         "      platform: azure-functions-flex\n"
                         "      memory: 1GiB\n", /* 10 */
                         NULL, 0);
    refused_at(&l, l.path, 10, 15, "deployments.h.overflow.memory",
               (const char *[]){"1GiB is 1024 MiB", "nearest settings 512 and 2048 MiB", NULL});
    l = load("duration: 1h\n"
             "model: {service: 1s, memory: 1536MiB}\n"
             "workload: {arrival: poisson, rate: 1/s}\n"
             "deployments:\n"
             "  - {name: vm, type: dedicated, instance: c6i.xlarge}\n",
             NULL, 0);
    cr_assert_eq(l.rc, 0, "%s", l.err.message);
    scenario_destroy(l.s);
}

/* Both `slsim validate` and `slsim run` refuse, with exit status 2 and the place. */
Test(memory, validate_and_run_exit_2, .timeout = 30)
{
    char dir[] = "/tmp/slsim-test-memory-cli-XXXXXX", path[128], args[256];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(HEAD "    platform: aws-lambda\n    memory: 2048MB\n", f);
    fclose(f);
    const char *cmds[] = {"validate", "run"};
    for (int i = 0; i < 2; i++) {
        snprintf(args, sizeof args, "%s %s", cmds[i], path);
        struct outcome o = run(args);
        cr_expect_eq(o.status, 2, "%s: %s", cmds[i], o.err);
        cr_expect(strstr(o.err, ":8:13:") && strstr(o.err, "did you mean 2048MiB?"), "%s: %s",
                  cmds[i], o.err);
        outcome_free(&o);
    }
    unlink(path);
    rmdir(dir);
}

/* Rule: a trace's per-function memory (MiB) is rounded UP to the next setting, and
 * into [min, max]. On sagemaker-serverless ($0.00002 per GiB-s, 1 ms), one 1-second
 * request each: a at 1537 MiB bills 2048 MiB, b at 100 MiB the 1024 MiB minimum, c
 * at 9000 MiB the 6144 MiB maximum: (2 + 1 + 6) GiB-s x $0.00002 = $0.00018. Before,
 * a clamp to the range billed a at 1537 MiB (1537/1024 GiB-s). */
Test(memory, trace_memory_is_rounded_up_to_the_next_setting)
{
    char dir[] = "/tmp/slsim-test-memory-trace-XXXXXX", csv[128], yaml[1024];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(csv, sizeof csv, "%s/t.csv", dir);
    FILE *f = fopen(csv, "w");
    cr_assert(f);
    fputs("time,fn,dur,mem\n1.0,a,1.0,1537\n2.0,b,1.0,100\n3.0,c,1.0,9000\n", f);
    fclose(f);
    snprintf(yaml, sizeof yaml,
             "duration: 10s\n"
             "model: {service: 1s}\n"
             "workload: {arrival: trace, trace: {format: csv, path: %s,"
             " columns: {time: time, function: fn, duration: dur, memory: mem}}}\n"
             "deployments: [{platform: sagemaker-serverless, memory: 1GiB, coldstart: none}]\n",
             csv);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.served, 3);
    cr_expect_float_eq(r.cost.compute_usd, (2 + 1 + 6) * 0.00002, 1e-15);
    result_free(&r);
    scenario_destroy(s);
    unlink(csv);
    rmdir(dir);
}

/* Rule: where a platform's vCPUs follow memory (Lambda: one per 1,769 MiB), a trace's
 * per-function memory gives the function its own vCPUs. One 1-second request (on one
 * vCPU) each, serial model: a at 3538 MiB runs 1 s (one request uses one vCPU), b at
 * 885 MiB 1769/885 s = 1.998870 s, billed 1,999 ms; the deployment's own 1 GiB would
 * have given both 1.727539 s. Latency is the mean of the two: 1.499435 s. Replayed as
 * measured (`perf: measured`) both run their 1 s. */
Test(memory, a_functions_own_memory_sets_its_vcpus_where_vcpus_follow_memory)
{
    char dir[] = "/tmp/slsim-test-memory-vcpu-XXXXXX", csv[128], yaml[1024];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(csv, sizeof csv, "%s/t.csv", dir);
    FILE *f = fopen(csv, "w");
    cr_assert(f);
    fputs("time,fn,dur,mem\n1.0,a,1.0,3538\n2.0,b,1.0,885\n", f);
    fclose(f);
    for (int measured = 0; measured < 2; measured++) {
        snprintf(yaml, sizeof yaml,
                 "duration: 10s\n"
                 "model: {service: 1s}\n"
                 "workload: {arrival: trace, trace: {format: csv, path: %s,"
                 " columns: {time: time, function: fn, duration: dur, memory: mem}}}\n"
                 "deployments: [{platform: aws-lambda, memory: 1GiB, coldstart: none%s}]\n",
                 csv, measured ? ", perf: measured" : "");
        struct scenario *s = load_yaml(yaml);
        struct deployment_result r = run_one(s, 0);
        cr_assert_eq(r.served, 2);
        double expect_ms = measured ? 1000 + 1000 : 1000 + 1999;
        cr_expect_float_eq((double)r.billed_ms, expect_ms, 1e-9, "measured %d: %.0f ms", measured,
                           (double)r.billed_ms);
        double mean = measured ? 1e9 : (1e9 + 1769e9 / 885) / 2;
        cr_expect_float_eq(r.latency.mean_ns, mean, 1.0, "measured %d: mean %.0f ns", measured,
                           r.latency.mean_ns);
        result_free(&r);
        scenario_destroy(s);
    }
    unlink(csv);
    rmdir(dir);
}

/* `slsim catalog show` lists a platform's settings as the loader checks them. */
Test(memory, catalog_show_lists_the_settings, .timeout = 30)
{
    struct outcome o = run("catalog show azure-functions-flex");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_expect(strstr(o.out, "memory 512, 2048 or 4096 MiB"), "%s", o.out);
    outcome_free(&o);
    o = run("catalog show aws-lambda --format json");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_expect(strstr(o.out, "\"memory_step_bytes\":\t1048576"), "%s", o.out);
    outcome_free(&o);
}

/* A model larger than the instance's memory is refused with the smallest memory
 * setting that holds it: 3 GB = 2861.02 MiB, so Lambda (whole MiB) needs 2862MiB;
 * 11 GB is above Lambda's largest setting, 10240 MiB, and nothing holds it. */
Test(memory, a_model_too_large_names_the_setting_that_holds_it)
{
    struct load l = load("duration: 1h\n"
                         "model: {size: 3GB, service: 100ms}\n"
                         "workload: {arrival: poisson, rate: 1/s}\n"
                         "deployments:\n"
                         "  - name: d\n"
                         "    platform: aws-lambda\n"
                         "    memory: 2GiB\n", /* 7 */
                         NULL, 0);
    refused_at(&l, l.path, 7, 13, "deployments.d.memory",
               (const char *[]){"does not fit", "memory: 2862MiB or more", NULL});
    l = load("duration: 1h\n"
             "model: {size: 11GB, service: 100ms}\n"
             "workload: {arrival: poisson, rate: 1/s}\n"
             "deployments:\n"
             "  - name: d\n"
             "    platform: aws-lambda\n"
             "    memory: 10GiB\n",
             NULL, 0);
    refused_at(&l, l.path, 7, 13, "deployments.d.memory",
               (const char *[]){"no memory setting of aws-lambda holds it", NULL});
}

/* A platform limit broken by a --set value is placed in the --set text, not in the
 * file, whose position would point at nothing. */
Test(memory, a_platform_limit_broken_by_set_points_into_the_set_text)
{
    const char *sets[] = {"deployments.d.concurrency=4"};
    struct load l = load(HEAD "    platform: aws-lambda\n"
                              "    memory: 1GiB\n",
                         sets, 1);
    refused_at(&l, "--set", 1, 27, "deployments.d.concurrency",
               (const char *[]){"at most 1 request", NULL});
}
