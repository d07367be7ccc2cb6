/* test_accelerators.c - the catalog's accelerators and what names them: the built-in
 * figures against the datasheets they cite (dense, without sparsity), the loader's
 * rules (units, sources, unknown names at their line and column, a list written
 * after the platforms that name it), a platform's `hardware:`, and `slsim catalog
 * list gpus` / `show` as users meet them.
 *
 * Error cases are inline text through catalog_parse, so the expected line and column
 * can be read off the text right above the assertion. */
#include "cli_helpers.h"
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "slsim/catalog.h"

#define SRC "inline.yaml"
#define GB 1e9
#define T 1e12 /* one TFLOPS in FLOP/s */
#define MIB (1LL << 20)

/* An accelerator list of two, X1 and X2, in 6 lines; tests put it before or after the rest. */
#define ACC                                                                                    \
    "accelerators:\n"                                                                          \
    "  - {name: X1, memory: 24GB, memory_bandwidth: 600GB/s, fp16_tflops: 125,\n"             \
    "     host_link: PCIe Gen4 x16, host_bandwidth: 32GB/s, source: \"sheet\", date: 2021}\n" \
    "  - {name: X2, memory: 80GB, memory_bandwidth: 3350GB/s, fp16_tflops: 989,\n"            \
    "     fp8_tflops: 1979, host_link: PCIe Gen5 x16, host_bandwidth: 64GB/s,\n"             \
    "     source: \"sheet\", date: 2022-11}\n"

/* A platform `p` from line 3 to 7, billing one GPU; a test appends its hardware at
 * line 8, 4 spaces in. */
#define PLATFORM                                                                               \
    "as_of: 2026-11-27\n"                      /* 1 */                                         \
    "platforms:\n"                             /* 2 */                                         \
    "  - name: p\n"                            /* 3 */                                         \
    "    keep_alive: 10m\n"                    /* 4 */                                         \
    "    billing: {mode: instance, rounding: 1s, gpus: 1,\n" /* 5 */                           \
    "              gpu_s: {usd: 0.0002, source: s, date: 2026}}\n" /* 6 */                     \
    "    summary: x\n"                         /* 7 */

static struct catalog *parse_ok(const char *text)
{
    struct catalog *c = NULL;
    struct slsim_error err;
    int rc = catalog_parse(text, strlen(text), SRC, &c, &err);
    cr_assert_eq(rc, 0, "catalog did not parse: %d:%d %s: %s", err.line, err.column, err.key,
                 err.message);
    return c;
}

static struct slsim_error parse_err(const char *text)
{
    struct catalog *c = (struct catalog *)&c;
    struct slsim_error err;
    memset(&err, 0, sizeof err);
    cr_assert_eq(catalog_parse(text, strlen(text), SRC, &c, &err), -1, "expected an error");
    cr_assert_null(c);
    return err;
}

static void expect_at(struct slsim_error e, int line, int column, const char *key,
                      const char *want)
{
    cr_expect_eq(e.line, line, "line %d, want %d (%s)", e.line, line, e.message);
    cr_expect_eq(e.column, column, "column %d, want %d (%s)", e.column, column, e.message);
    cr_expect_str_eq(e.key, key, "(%s)", e.message);
    cr_expect(strstr(e.message, want), "message \"%s\" lacks \"%s\"", e.message, want);
}

static struct catalog *load_default(void)
{
    struct catalog *c = NULL;
    struct slsim_error err;
    cr_assert_eq(catalog_load_default(&c, &err), 0, "%d:%d %s: %s", err.line, err.column,
                 err.key, err.message);
    return c;
}

static const struct accelerator *acc(const struct catalog *c, const char *name)
{
    const struct accelerator *a = catalog_find_accelerator(c, name);
    cr_assert_not_null(a, "no accelerator %s", name);
    return a;
}

/* ---- the built-in catalog ---- */

/* Dense = half the datasheets' sparse figure: H100 SXM 1,979 -> 989 TFLOPS FP16,
 * 3,958 -> 1,979 FP8; L4 242 -> 121, 485 -> 242; L40S 733 -> 362 (366.5 rounded down
 * in the copies, 362.05 from the clocks). Bandwidths in GB/s = 1e9 bytes/s; the host
 * link one direction: PCIe Gen3 x16 16 GB/s, Gen4 32, Gen5 64 (half of 32, 64, 128). */
Test(accelerators, builtin_figures_are_dense_and_per_direction)
{
    struct catalog *c = load_default();
    cr_expect_eq(c->n_accelerators, 10);
    const struct accelerator *a = acc(c, "H100-SXM");
    cr_expect_eq(a->fp16_flops, 989 * T);
    cr_expect_eq(a->fp8_flops, 1979 * T);
    cr_expect_eq(a->int8_ops, 1979 * T);
    cr_expect_eq(a->memory_bytes_per_s, 3350 * GB);
    cr_expect_eq(a->memory_bytes, 80 * GB);
    cr_expect_eq(a->host_bytes_per_s, 64 * GB);
    cr_expect_str_eq(a->host_link, "PCIe Gen5 x16");
    cr_expect_eq(acc(c, "H200")->memory_bytes, 141 * GB);
    cr_expect_eq(acc(c, "H200")->memory_bytes_per_s, 4800 * GB);
    cr_expect_eq(acc(c, "H200")->fp16_flops, 989 * T, "the H100's die");
    cr_expect_eq(acc(c, "H100-PCIe")->fp16_flops, 756 * T);
    cr_expect_eq(acc(c, "H100-PCIe")->memory_bytes_per_s, 2000 * GB);
    cr_expect_eq(acc(c, "A100-40GB")->memory_bytes_per_s, 1555 * GB);
    cr_expect_eq(acc(c, "A100-80GB")->memory_bytes_per_s, 2039 * GB);
    cr_expect_eq(acc(c, "A100-80GB")->fp16_flops, 312 * T);
    cr_expect_eq(acc(c, "A100-80GB")->fp8_flops, 0, "Ampere has no FP8 tensor unit");
    cr_expect_eq(acc(c, "A100-80GB")->host_bytes_per_s, 32 * GB);
    cr_expect_eq(acc(c, "L4")->fp16_flops, 121 * T);
    cr_expect_eq(acc(c, "L4")->fp8_flops, 242 * T);
    cr_expect_eq(acc(c, "L40S")->fp16_flops, 362 * T);
    cr_expect_eq(acc(c, "A10")->fp16_flops, 125 * T);
    cr_expect_eq(acc(c, "A10G")->fp16_flops, 70 * T);
    cr_expect(strstr(acc(c, "A10G")->source, "UNVERIFIED"), "the A10G's tensor figures");
    cr_expect(strstr(acc(c, "A10")->source, "NOT re-read"), "the A10's tensor figures");
    cr_expect_eq(acc(c, "T4")->fp16_flops, 65 * T, "Turing has no sparsity to halve");
    cr_expect_eq(acc(c, "T4")->host_bytes_per_s, 16 * GB);
    cr_expect_eq(acc(c, "T4")->memory_bytes_per_s, 320 * GB);
    for (size_t i = 0; i < c->n_accelerators; i++) {
        a = &c->accelerators[i];
        cr_expect(a->source[0] && strlen(a->date) >= 4, "%s: source and date", a->name);
        cr_expect(strstr(a->source, "n.d.") == NULL, "%s", a->name);
        /* FP8 doubles FP16 on Ada and Hopper, to the datasheets' rounding (L40S: 362.05
         * dense FP16, 733 sparse, so 733 / 2 = 366.5 and 2 x 362 = 724 differ by 1.2%) */
        cr_expect(a->fp8_flops == 0 || fabs(a->fp8_flops / (2 * a->fp16_flops) - 1) < 0.02,
                  "%s: FP8 %g, FP16 %g", a->name, a->fp8_flops, a->fp16_flops);
    }
    catalog_destroy(c);
}

/* Every GPU instance names an accelerator of the list, and its count. */
Test(accelerators, builtin_instances_name_accelerators)
{
    struct catalog *c = load_default();
    static const struct {
        const char *instance, *model;
        unsigned gpus;
    } want[] = {{"g4dn.xlarge", "T4", 1},          {"g5.xlarge", "A10G", 1},
                {"g6.xlarge", "L4", 1},            {"g6e.xlarge", "L40S", 1},
                {"p4d.24xlarge", "A100-40GB", 8},  {"p4de.24xlarge", "A100-80GB", 8},
                {"p5.48xlarge", "H100-SXM", 8},    {"ml.g5.xlarge", "A10G", 1}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const struct instance_type *t = catalog_find_instance(c, want[i].instance);
        cr_assert_not_null(t, "%s", want[i].instance);
        cr_expect_str_eq(t->gpu_model, want[i].model, "%s", t->name);
        cr_expect_eq(t->gpus, want[i].gpus, "%s", t->name);
    }
    for (size_t i = 0; i < c->n_instances; i++)
        if (c->instances[i].gpus)
            cr_expect_not_null(catalog_find_accelerator(c, c->instances[i].gpu_model), "%s",
                               c->instances[i].name);
    catalog_destroy(c);
}

/* Lambda: one vCPU per 1,769 MiB (AWS docs), so 1,769 MiB * 1,048,576 = 1,854,930,944
 * bytes; Cloud Run bills 1 vCPU (4 with the L4); the GPU platforms name their GPU, one
 * per instance, as their billing's gpus; platforms with no published rule state none. */
Test(accelerators, builtin_platform_hardware)
{
    struct catalog *c = load_default();
    const struct platform_profile *p = catalog_find_platform(c, "aws-lambda");
    cr_expect_eq(p->memory_per_vcpu_bytes, 1769 * MIB);
    cr_expect_eq(p->memory_per_vcpu_bytes, 1854930944LL);
    cr_expect_eq(p->vcpus, 0);
    cr_expect(strstr(p->hardware_source, "1,769 MB"), "%s", p->hardware_source);
    cr_expect_eq(catalog_find_platform(c, "aws-lambda-arm64")->memory_per_vcpu_bytes, 1769 * MIB);
    cr_expect_eq(catalog_find_platform(c, "cloud-run")->vcpus, 1);
    cr_expect_eq(catalog_find_platform(c, "cloud-run-instance")->vcpus, 1);
    p = catalog_find_platform(c, "cloud-run-gpu-l4");
    cr_expect_eq(p->vcpus, 4);
    cr_expect_str_eq(p->accelerator, "L4");
    cr_expect_eq(p->accelerators, 1);
    static const char *const gpu[][2] = {
        {"modal-t4", "T4"},          {"modal-l4", "L4"},
        {"modal-a10", "A10"},        {"modal-a100-80gb", "A100-80GB"},
        {"modal-h100", "H100-SXM"},  {"runpod-l4", "L4"},
        {"runpod-a100-80gb", "A100-80GB"}, {"runpod-h100", "H100-PCIe"}};
    for (size_t i = 0; i < sizeof gpu / sizeof *gpu; i++) {
        p = catalog_find_platform(c, gpu[i][0]);
        cr_assert_not_null(p, "%s", gpu[i][0]);
        cr_expect_str_eq(p->accelerator, gpu[i][1], "%s", p->name);
        cr_expect_eq(p->accelerators, 1, "%s", p->name);
        cr_expect_eq(p->gpus, 1, "%s bills one", p->name);
    }
    cr_expect(strncmp(catalog_find_platform(c, "runpod-h100")->hardware_source, "assumed", 7)
                  == 0);
    static const char *const none[] = {"generic", "sagemaker-serverless", "azure-functions",
                                       "azure-functions-flex"};
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        p = catalog_find_platform(c, none[i]);
        cr_expect(p->vcpus == 0 && p->memory_per_vcpu_bytes == 0 && !p->accelerator[0] &&
                      !p->hardware_source[0],
                  "%s publishes no vCPU rule", none[i]);
    }
    catalog_destroy(c);
}

/* ---- the loader ---- */

/* The list may come after the platforms and instances that name it: it is read first. */
Test(accelerators, list_written_last_is_resolved)
{
    struct catalog *c = parse_ok(PLATFORM "    hardware: {accelerator: X2, source: \"a 2026 doc\"}\n"
                                          "instances:\n"
                                          "  - {name: box, provider: x, vcpu: 8, memory: 64GiB,"
                                          " gpus: 2, gpu_model: X1,\n"
                                          "     hourly: {usd: 1, source: s, date: 2026}, "
                                          "rounding: 1s}\n" ACC);
    const struct platform_profile *p = catalog_find_platform(c, "p");
    cr_expect_str_eq(p->accelerator, "X2");
    cr_expect_eq(p->accelerators, 1, "one when named and not counted");
    cr_expect_str_eq(catalog_find_instance(c, "box")->gpu_model, "X1");
    const struct accelerator *a = acc(c, "X2");
    cr_expect_eq(a->fp16_flops, 989 * T);
    cr_expect_eq(a->fp8_flops, 1979 * T);
    cr_expect_eq(a->int8_ops, 0, "not given");
    cr_expect_eq(a->memory_bytes_per_s, 3350 * GB);
    cr_expect_str_eq(a->date, "2022-11");
    char names[64];
    catalog_accelerator_names(c, names, sizeof names);
    cr_expect_str_eq(names, "X1, X2");
    cr_expect_null(catalog_find_accelerator(c, "X3"));
    catalog_destroy(c);
}

Test(accelerators, unknown_accelerator_is_refused_where_named)
{
    struct slsim_error e;
    e = parse_err(PLATFORM "    hardware: {accelerator: X3, source: \"a 2026 doc\"}\n" /* 8 */ ACC);
    expect_at(e, 8, 29, "platforms.p.hardware.accelerator",
              "unknown accelerator \"X3\"; did you mean \"X1\"? (known: X1, X2)");
    e = parse_err("as_of: 2026-11-27\n" ACC "instances:\n" /* 8 */
                  "  - {name: box, provider: x, vcpu: 8, memory: 64GiB, gpus: 1,\n"
                  "     gpu_model: \"A10G 24GB\", hourly: {usd: 1, source: s, date: 2026},"
                  " rounding: 1s}\n" /* 10 */);
    expect_at(e, 10, 17, "instances.box.gpu_model", "bad name \"A10G 24GB\"");
    e = parse_err("as_of: 2026-11-27\n" ACC "instances:\n" /* 8 */
                  "  - {name: box, provider: x, vcpu: 8, memory: 64GiB, gpus: 1,\n"
                  "     gpu_model: H100, hourly: {usd: 1, source: s, date: 2026},"
                  " rounding: 1s}\n" /* 10 */);
    expect_at(e, 10, 17, "instances.box.gpu_model", "unknown accelerator \"H100\"");
    cr_expect(strstr(e.message, "known: X1, X2"), "%s", e.message);
    e = parse_err(PLATFORM "    hardware: {accelerator: X1, source: \"a 2026 doc\"}\n");
    expect_at(e, 8, 29, "platforms.p.hardware.accelerator", "has no `accelerators:` list");
}

Test(accelerators, accelerator_entries_are_checked)
{
    struct slsim_error e;
    /* line 2: the entry; its keys at known columns */
    e = parse_err("as_of: 2026-11-27\naccelerators:\n"
                  "  - {name: X, memory: 24GB, memory_bandwidth: 600GB/s, fp16_tflops: 1.25e14,\n"
                  "     host_link: PCIe, host_bandwidth: 32GB/s, source: s, date: 2021}\n");
    expect_at(e, 3, 69, "accelerators.X.fp16_tflops", "looks like a count per second");
    e = parse_err("as_of: 2026-11-27\naccelerators:\n"
                  "  - {name: X, memory: 24GB, memory_bandwidth: 600GB/s, fp16_tflops: 0,\n"
                  "     host_link: PCIe, host_bandwidth: 32GB/s, source: s, date: 2021}\n");
    expect_at(e, 3, 69, "accelerators.X.fp16_tflops", "must be above 0");
    e = parse_err("as_of: 2026-11-27\naccelerators:\n"
                  "  - {name: X, memory: 24GB, memory_bandwidth: 600GB, fp16_tflops: 125,\n"
                  "     host_link: PCIe, host_bandwidth: 32GB/s, source: s, date: 2021}\n");
    expect_at(e, 3, 47, "accelerators.X.memory_bandwidth", "expected a bandwidth");
    e = parse_err("as_of: 2026-11-27\naccelerators:\n"
                  "  - {name: X, memory: 24GB, memory_bandwidth: 600GB/s, fp16_tflops: 125,\n"
                  "     host_link: PCIe, host_bandwidth: 32GB/s, date: 2021}\n");
    expect_at(e, 3, 5, "accelerators.X.source", "missing required key \"source\"");
    e = parse_err("as_of: 2026-11-27\naccelerators:\n"
                  "  - {name: X, memory: 24GB, memory_bandwidth: 600GB/s, fp16_tflops: 125,\n"
                  "     host_link: PCIe, host_bandwidth: 32GB/s, source: s, date: n.d.}\n");
    expect_at(e, 4, 64, "accelerators.X.date", "expected a date");
    e = parse_err("as_of: 2026-11-27\naccelerators:\n"
                  "  - {name: X, memory: 24GB, memory_bandwidth: 600GB/s, fp16_tflop: 125,\n"
                  "     host_link: PCIe, host_bandwidth: 32GB/s, source: s, date: 2021}\n");
    expect_at(e, 3, 56, "accelerators.X.fp16_tflop", "did you mean \"fp16_tflops\"?");
    e = parse_err(PLATFORM ACC "  - {name: p, memory: 1GB, memory_bandwidth: 1GB/s, "
                               "fp16_tflops: 1,\n"
                               "     host_link: x, host_bandwidth: 1GB/s, source: s, date: 2021}\n");
    cr_expect(strstr(e.message, "duplicate accelerator name \"p\"") ||
                  strstr(e.message, "duplicate platform name \"p\""),
              "%s", e.message);
    cr_expect(strstr(e.message, "accelerators and LLMs)"), "names unique across all lists: %s",
              e.message);
}

Test(accelerators, hardware_section_rules)
{
    struct slsim_error e;
    e = parse_err(PLATFORM "    hardware: {vcpus: 2, memory_per_vcpu: 1769MiB, source: "
                           "\"2026\"}\n");
    expect_at(e, 8, 43, "platforms.p.hardware.memory_per_vcpu", "not both");
    e = parse_err(PLATFORM "    hardware: {vcpus: 0, source: \"2026\"}\n");
    expect_at(e, 8, 23, "platforms.p.hardware.vcpus", "must be above 0");
    e = parse_err(PLATFORM "    hardware: {vcpus: 2}\n");
    expect_at(e, 8, 15, "platforms.p.hardware.source", "missing required key \"source\"");
    e = parse_err(PLATFORM "    hardware: {vcpus: 2, source: \"our guess\"}\n");
    expect_at(e, 8, 34, "platforms.p.hardware.source", "assumed");
    e = parse_err(PLATFORM "    hardware: {accelerators: 2, source: \"2026\"}\n");
    expect_at(e, 8, 30, "platforms.p.hardware.accelerators", "not given");
    /* billing bills gpus: 1 (line 5); two accelerators would compute with two */
    e = parse_err(PLATFORM "    hardware: {accelerator: X1, accelerators: 2, source: \"2026\"}\n" ACC);
    expect_at(e, 8, 47, "platforms.p.hardware.accelerators", "bills 1 GPUs per instance");
    e = parse_err(PLATFORM "    hardware: {source: \"2026\"}\n");
    expect_at(e, 8, 15, "platforms.p.hardware", "states nothing");
    e = parse_err(PLATFORM "    hardware: {vcpu: 2, source: \"2026\"}\n");
    expect_at(e, 8, 16, "platforms.p.hardware.vcpu", "did you mean \"vcpus\"?");

    struct catalog *c = parse_ok(PLATFORM "    hardware: {vcpus: 0.5, source: \"assumed: half\"}\n");
    cr_expect_eq(catalog_find_platform(c, "p")->vcpus, 0.5);
    cr_expect_str_eq(catalog_find_platform(c, "p")->accelerator, "");
    catalog_destroy(c);
}

/* ---- the command line ---- */

Test(accelerators_cli, list_gpus_and_list, .timeout = 30)
{
    struct outcome o = run("catalog list gpus");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cr_expect(strstr(o.out, "catalog default, as of 2026-11-27"), "%s", o.out);
    cr_expect(strstr(o.out, "  H100-SXM   80GB    3350GB/s     989   1979  PCIe Gen5 x16, "
                            "64GB/s\n"),
              "%s", o.out);
    cr_expect(strstr(o.out, "  T4         16GB    320GB/s       65      -  PCIe Gen3 x16, "
                            "16GB/s\n"),
              "%s", o.out);
    cr_expect(strstr(o.out, "dense") && !strstr(o.out, "platforms"), "%s", o.out);
    outcome_free(&o);

    o = run("catalog list");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    const char *d = strstr(o.out, "\ndiscounts\n"), *a = strstr(o.out, "\naccelerators ");
    cr_expect(d && a && a > d, "accelerators come last: %s", o.out);
    cr_expect(strstr(o.out, "  g5.xlarge        aws-ec2            4 16GiB     1 x A10G "),
              "%s", o.out);
    outcome_free(&o);

    o = run("catalog list gpus --format json");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cJSON *j = cJSON_Parse(o.out);
    cr_assert_not_null(j, "%s", o.out);
    cr_expect_null(cJSON_GetObjectItem(j, "platforms"));
    cJSON *arr = cJSON_GetObjectItem(j, "accelerators"), *it;
    cr_assert(cJSON_IsArray(arr));
    int found = 0;
    cJSON_ArrayForEach(it, arr)
    {
        if (strcmp(cJSON_GetObjectItem(it, "name")->valuestring, "H100-SXM") == 0) {
            cr_expect_eq(cJSON_GetObjectItem(it, "fp16_flops")->valuedouble, 989e12);
            cr_expect_eq(cJSON_GetObjectItem(it, "memory_bytes_per_s")->valuedouble, 3350e9);
            found = 1;
        }
    }
    cr_expect(found);
    cJSON_Delete(j);
    outcome_free(&o);

    o = run("catalog list --format json");
    j = cJSON_Parse(o.out);
    cr_assert_not_null(j, "%s", o.out);
    cr_expect_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "accelerators")), 10);
    cJSON_Delete(j);
    outcome_free(&o);

    o = run("catalog list gpus gpus");
    cr_expect_eq(o.status, 2, "%s", o.err);
    outcome_free(&o);
    o = run("catalog show gpus");
    cr_expect_eq(o.status, 2, "not an entry: %s", o.err);
    outcome_free(&o);
}

Test(accelerators_cli, show_accelerator_platform_and_instance, .timeout = 30)
{
    struct outcome o = run("catalog show H100-SXM");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cr_expect(strstr(o.out, "accelerator H100-SXM (catalog default"), "%s", o.out);
    cr_expect(strstr(o.out, "FP16/BF16     989 TFLOPS, tensor, dense\n"), "%s", o.out);
    cr_expect(strstr(o.out, "bandwidth     3350GB/s"), "%s", o.out);
    cr_expect(strstr(o.out, "host link     PCIe Gen5 x16, 64GB/s each direction"), "%s", o.out);
    cr_expect(strstr(o.out, "date          2026-11\n"), "%s", o.out);
    cr_expect(strstr(o.out, "source        glennklockwood.com"), "%s", o.out);
    outcome_free(&o);

    o = run("catalog show A100-80GB --format json");
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cJSON *j = cJSON_Parse(o.out);
    cr_assert_not_null(j, "%s", o.out);
    cr_expect_str_eq(cJSON_GetObjectItem(j, "kind")->valuestring, "accelerator");
    cr_expect(cJSON_IsNull(cJSON_GetObjectItem(j, "fp8_flops")));
    cr_expect_eq(cJSON_GetObjectItem(j, "host_bytes_per_s")->valuedouble, 32e9);
    cr_expect(cJSON_GetObjectItem(j, "source")->valuestring[0]);
    cJSON_Delete(j);
    outcome_free(&o);

    o = run("catalog show cloud-run-gpu-l4");
    cr_expect(strstr(o.out, "hardware      4 vCPU per instance; 1 x L4 (24GB, 300GB/s, 121 "
                            "TFLOPS FP16 dense)\n"),
              "%s", o.out);
    outcome_free(&o);
    o = run("catalog show aws-lambda");
    cr_expect(strstr(o.out, "hardware      one vCPU per 1769MiB of memory\n"), "%s", o.out);
    outcome_free(&o);
    o = run("catalog show aws-lambda --format json");
    j = cJSON_Parse(o.out);
    cr_assert_not_null(j, "%s", o.out);
    cJSON *h = cJSON_GetObjectItem(j, "hardware");
    cr_expect_eq(cJSON_GetObjectItem(h, "memory_per_vcpu_bytes")->valuedouble, 1854930944.0);
    cr_expect(cJSON_IsNull(cJSON_GetObjectItem(h, "accelerator")));
    cJSON_Delete(j);
    outcome_free(&o);
    o = run("catalog show azure-functions");
    cr_expect(!strstr(o.out, "hardware"), "no vCPU rule published: %s", o.out);
    outcome_free(&o);
    o = run("catalog show p5.48xlarge");
    cr_expect(strstr(o.out, "GPUs          8 x H100-SXM (80GB, 3350GB/s, 989 TFLOPS FP16 "
                            "dense)\n"),
              "%s", o.out);
    outcome_free(&o);

    o = run("catalog show H100");
    cr_expect_eq(o.status, 2);
    cr_expect(strstr(o.err, "known accelerators: T4, L4, A10, A10G"), "%s", o.err);
    outcome_free(&o);
    o = run("catalog --help");
    cr_expect(strstr(o.out, "list gpus"), "%s", o.out);
    outcome_free(&o);
}
