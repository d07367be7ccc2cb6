/* test_replay.c - traces through the whole simulator: a replay reproduces the
 * trace's counts per function and per minute; selection, windows and scaling do
 * what they say; the `slsim trace` commands. */
#include <math.h>

#include "cli_helpers.h"
#include "helpers.h"

#define SAMPLE "traces/azure2019/invocations.csv"

/* Per-row totals and per-minute totals of the sample, read independently. */
struct sample_counts {
    uint64_t row[600];
    size_t rows;
    uint64_t minute[480];
    uint64_t total;
};

static void read_sample(struct sample_counts *c)
{
    memset(c, 0, sizeof *c);
    FILE *f = fopen(SAMPLE, "r");
    cr_assert(f, "missing %s", SAMPLE);
    static char line[1 << 16];
    cr_assert(fgets(line, sizeof line, f)); /* header */
    while (fgets(line, sizeof line, f)) {
        char *p = line;
        for (int k = 0; k < 4; k++)
            p = strchr(p, ',') + 1;
        for (size_t m = 0; m < 480; m++) {
            uint64_t v = strtoull(p, &p, 10);
            c->row[c->rows] += v;
            c->minute[m] += v;
            c->total += v;
            if (*p == ',')
                p++;
        }
        c->rows++;
    }
    fclose(f);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

Test(replay, azure2019_sample_reproduces_counts_per_function_and_per_minute, .timeout = 120)
{
    struct sample_counts c;
    read_sample(&c);
    cr_assert_eq(c.rows, 500);
    cr_assert_eq(c.total, 3037902);
    struct scenario *s = load_yaml("duration: 8h\n"
                                   "model: {service: 10ms}\n"
                                   "workload: {arrival: trace, trace: {format: azure2019,"
                                   " path: " SAMPLE ", within_minute: uniform}}\n"
                                   "deployments: [{keep_alive: forever, coldstart: none}]\n");
    struct deployment_result r;
    struct slsim_error err;
    cr_assert_eq(run_deployment(s, 0, 0, 60 * SIM_NS_PER_S, &r, &err), 0, "%s", err.message);
    cr_assert_eq(r.requests, 3037902);
    cr_assert_eq(r.functions, 500);
    cr_assert_eq(r.n_timeline, 480);
    for (size_t m = 0; m < 480; m++)
        cr_assert_eq(r.timeline[m].arrivals, c.minute[m], "minute %zu", m);
    /* Function indices follow first appearance, so compare the sorted totals. */
    uint64_t got[500];
    memcpy(got, r.fn_served, sizeof got);
    qsort(got, 500, sizeof *got, cmp_u64);
    qsort(c.row, 500, sizeof *c.row, cmp_u64);
    for (size_t i = 0; i < 500; i++)
        cr_assert_eq(got[i], c.row[i]);
    result_free(&r);
    scenario_destroy(s);
}

static uint64_t replay_requests(const char *trace_keys, const char *duration)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "duration: %s\nseed: 5\nmodel: {service: 10ms}\n"
             "workload: {arrival: trace, trace: {format: azure2019, path: " SAMPLE "%s}}\n"
             "deployments: [{keep_alive: 1m, coldstart: none}]\n",
             duration, trace_keys);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    uint64_t n = r.requests;
    result_free(&r);
    scenario_destroy(s);
    return n;
}

Test(replay, selection_window_and_scaling, .timeout = 120)
{
    struct sample_counts c;
    read_sample(&c);
    qsort(c.row, 500, sizeof *c.row, cmp_u64);
    uint64_t top10 = 0;
    for (size_t i = 490; i < 500; i++)
        top10 += c.row[i];
    cr_assert_eq(replay_requests(", functions: top:10", "8h"), top10);
    /* A window from 1 h to 2 h of trace time: minutes 60 to 119, replayed from 0. */
    uint64_t hour = 0;
    for (size_t m = 60; m < 120; m++)
        hour += c.minute[m];
    cr_assert_eq(replay_requests(", window: {start: 1h, end: 2h}", "1h"), hour);
    /* time_scale 2 stretches 8 h into 16 h: the first 8 h hold the first 4 h. */
    uint64_t half = 0;
    for (size_t m = 0; m < 240; m++)
        half += c.minute[m];
    cr_assert_eq(replay_requests(", time_scale: 2", "8h"), half);
    /* rate_scale thins (binomial) and amplifies (floor + Bernoulli). */
    double thin = (double)replay_requests(", rate_scale: 0.25", "8h");
    cr_assert(fabs(thin / (0.25 * 3037902) - 1) < 0.005, "thinned to %.0f", thin);
    double amp = (double)replay_requests(", rate_scale: 2.5", "8h");
    cr_assert(fabs(amp / (2.5 * 3037902) - 1) < 0.005, "amplified to %.0f", amp);
    /* A seeded sample of functions is reproducible and depends on the seed. */
    uint64_t a = replay_requests(", functions: sample:20", "8h");
    uint64_t b = replay_requests(", functions: sample:20", "8h");
    cr_assert_eq(a, b);
}

Test(replay, llm_trace_requests_take_model_service_and_the_token_formula_is_retired)
{
    /* The azure-llm trace gives tokens, no durations: with model.service a constant
     * 50 ms every latency is exactly 50 ms with no cold start and no queueing
     * (concurrency 1000), as the token formula with base 50 ms gave before. */
    struct scenario *s = load_yaml("duration: 2h\n"
                                   "model: {service: 50ms}\n"
                                   "workload: {arrival: trace, trace: {format: azure-llm,"
                                   " path: traces/azure-llm/AzureLLMInferenceTrace_code.csv}}\n"
                                   "deployments: [{coldstart: none, concurrency: 1000}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 8819);
    cr_assert_eq(r.latency.min_ns, 50 * SIM_NS_PER_MS);
    cr_assert_eq(r.latency.max_ns, 50 * SIM_NS_PER_MS);
    result_free(&r);
    scenario_destroy(s);
    /* The formula itself is an error at its key (line 3, column 119: the value
     * {base: 50ms}), pointing to what replaced it. */
    struct slsim_error err = load_yaml_error("duration: 2h\n"
                                             "model: {service: 1s}\n"
                                             "workload: {arrival: trace, trace: {format: azure-llm,"
                                             " path: traces/azure-llm/AzureLLMInferenceTrace_code.csv,"
                                             " tokens: {base: 50ms}}}\n"
                                             "deployments: [{coldstart: none, concurrency: 1000}]\n");
    cr_assert_str_eq(err.key, "workload.trace.tokens");
    cr_assert_eq(err.line, 3);
    cr_assert_eq(err.column, 119, "column %d", err.column);
    cr_assert(strstr(err.message, "retired") && strstr(err.message, "model.llm") &&
                  strstr(err.message, "serving:"),
              "%s", err.message);
}

Test(replay, trace_keys_are_checked_where_they_are_written)
{
    struct outcome o = run("validate tests/data/traces/bad-trace-path.yaml");
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "bad-trace-path.yaml:6:11: workload.trace.path"), "%s", o.err);
    outcome_free(&o);
    o = run("validate tests/data/traces/rate-with-trace.yaml");
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "rate-with-trace.yaml:5:3: workload.rate"), "%s", o.err);
    outcome_free(&o);
}

Test(replay, trace_commands_stats_convert_sort_synth, .timeout = 120)
{
    char dir[] = "/tmp/slsim-trace-XXXXXX";
    cr_assert(mkdtemp(dir));
    char args[1024], out[512];
    /* stats */
    struct outcome o = run("trace stats traces/azure2021/Azure2021_200.csv --as azure2021"
                           " --format json");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "\"requests\":\t199"), "%s", o.out);
    outcome_free(&o);
    /* convert to csv, then the csv reads back with the same count */
    snprintf(out, sizeof out, "%s/c.csv", dir);
    snprintf(args, sizeof args, "trace convert traces/azure2021/Azure2021_200.csv --as azure2021"
                                " --out %s", out);
    o = run(args);
    cr_assert_eq(o.status, 0, "%s", o.err);
    outcome_free(&o);
    snprintf(args, sizeof args, "trace stats %s --as csv --columns time=time_s,function=function"
                                " --format csv", out);
    o = run(args);
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, ",azure2021") == NULL);
    cr_assert(strstr(o.out, ",csv,199,"), "%s", o.out);
    outcome_free(&o);
    /* synth, then stats */
    snprintf(args, sizeof args, "trace synth --out %s --functions 300 --invocations 50000"
                                " --seed 3", dir);
    o = run(args);
    cr_assert_eq(o.status, 0, "%s", o.err);
    outcome_free(&o);
    snprintf(args, sizeof args, "trace stats %s/invocations.csv --as azure2019 --format csv", dir);
    o = run(args);
    cr_assert_eq(o.status, 0, "%s", o.err);
    unsigned long long n = 0;
    const char *row = strchr(o.out, '\n') + 1;
    cr_assert(sscanf(strstr(row, ",azure2019,") + 11, "%llu", &n) == 1);
    cr_assert(n > 45000 && n < 55000, "%llu invocations", n);
    outcome_free(&o);
    /* sort an unsorted csv: the reader refuses it before and accepts it after */
    snprintf(args, sizeof args, "trace stats tests/data/traces/unsorted.csv --as csv"
                                " --columns time=t,function=f");
    o = run(args);
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "slsim trace sort"), "%s", o.err);
    outcome_free(&o);
    snprintf(out, sizeof out, "%s/sorted.csv", dir);
    snprintf(args, sizeof args, "trace sort tests/data/traces/unsorted.csv --as csv"
                                " --columns time=t,function=f --out %s", out);
    o = run(args);
    cr_assert_eq(o.status, 0, "%s", o.err);
    outcome_free(&o);
    snprintf(args, sizeof args, "trace stats %s --as csv --columns time=t,function=f"
                                " --format csv", out);
    o = run(args);
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, ",csv,6,"), "%s", o.out);
    outcome_free(&o);
    snprintf(args, sizeof args, "rm -rf %s", dir);
    cr_assert_eq(system(args), 0);
}

/* trace stats reads counts-wide in every output format: wide-iso.csv has a 2 + 0 and
 * b 1 + 3, 6 requests of 2 functions; a fraction is refused with file:line:col and
 * the key, exit status 2, nothing on standard output. */
Test(replay, trace_stats_reads_counts_wide_in_text_json_and_csv)
{
    struct outcome o = run("trace stats tests/data/traces/counts/wide-iso.csv --as counts-wide");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "requests          6"), "%s", o.out);
    cr_assert(strstr(o.out, "b---2---p"), "%s", o.out);
    outcome_free(&o);
    o = run("trace stats tests/data/traces/counts/wide-iso.csv --as counts-wide --format json");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "\"requests\":\t6,"), "%s", o.out);
    cr_assert(strstr(o.out, "\"functions\":\t2,"), "%s", o.out);
    outcome_free(&o);
    o = run("trace stats tests/data/traces/counts/wide-iso.csv --as counts-wide --format csv");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, ",counts-wide,6,2,"), "%s", o.out);
    outcome_free(&o);
    o = run("trace stats tests/data/traces/counts/wide-fraction.csv --as counts-wide");
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "wide-fraction.csv:3:7: count:"), "%s", o.err);
    cr_assert_str_eq(o.out, "");
    outcome_free(&o);
}

Test(replay, service_model_maps_every_function_to_the_scenario_model)
{
    /* The 2021 sample carries durations; with service: model every request runs the
     * model's constant 123 ms instead. */
    struct scenario *s = load_yaml("duration: 1h\n"
                                   "model: {service: 123ms}\n"
                                   "workload: {arrival: trace, trace: {format: azure2021,"
                                   " path: traces/azure2021/Azure2021_200.csv, service: model}}\n"
                                   "deployments: [{coldstart: none}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 199);
    cr_assert_eq(r.latency.min_ns, 123 * SIM_NS_PER_MS);
    cr_assert_eq(r.latency.max_ns, 123 * SIM_NS_PER_MS);
    result_free(&r);
    scenario_destroy(s);
}

Test(replay, a_trace_gives_each_function_its_own_memory_for_billing_and_capacity)
{
    /* Three 1-second requests: two of function a (1024 MiB), one of b (2048 MiB),
     * on the test catalog's request-billed platform ($0.00001 per GiB-s, 1 ms):
     * compute = (1 + 1) s x 1 GiB + 1 s x 2 GiB = 4 GiB-s. With a memory capacity
     * of 2 GiB, b's instance does not fit beside a's until a's is evicted. */
    const char *fmt = "pricing: tests/data/pricing/test.yaml\n"
                      "duration: 10s\n"
                      "model: {service: 1s}\n"
                      "workload: {arrival: trace, trace: {format: csv,"
                      " path: tests/data/traces/memory.csv,"
                      " columns: {time: time, function: fn, duration: dur, memory: mem}}}\n"
                      "deployments: [{platform: req-1ms, memory: 512MiB, coldstart: none%s}]\n";
    char yaml[1024];
    snprintf(yaml, sizeof yaml, fmt, "");
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.served, 3);
    cr_assert_float_eq(r.cost.compute_usd, 4 * 0.00001, 1e-15);
    result_free(&r);
    scenario_destroy(s);
    snprintf(yaml, sizeof yaml, fmt, ", keep_alive: {policy: lru, capacity: 2GiB}");
    s = load_yaml(yaml);
    r = run_one(s, 0);
    cr_assert_eq(r.served, 3);
    cr_assert_eq(r.evictions, 2, "b evicts a, then a evicts b");
    cr_assert_eq(r.cold_starts, 3);
    result_free(&r);
    scenario_destroy(s);
}

Test(replay, a_malformed_row_stops_the_run_unless_skipped)
{
    /* The fixture's 4th line has a time of "x". The path is relative to the
     * scenario's folder. */
    struct outcome o = run("run tests/data/traces/one-bad-row.yaml --format csv");
    cr_assert_eq(o.status, 2);
    cr_assert(strstr(o.err, "one-bad-row.csv:4:"), "%s", o.err);
    cr_assert_str_empty(o.out);
    outcome_free(&o);
    o = run("run tests/data/traces/one-bad-row.yaml --format csv --skip-bad");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, ",3,3,"), "three requests served: %s", o.out);
    outcome_free(&o);
}
