/* test_llm_report.c - an LLM's serving numbers in the trial record, the summary
 * fields and every report format (docs/REPORT.md, "LLM serving"): TTFT, TPOT and ITL
 * with latency_ms's quantile fields, tokens per second, running batch, KV-cache
 * utilisation, preemptions and rejections, the running batch of the timeline, and
 * the SLO verdict with ttft_pNN and tpot_pNN objectives, each worked by hand from a
 * result made by hand; and none of it for a model that is no LLM. */
#include <cjson/cJSON.h>
#include <math.h>

#include "csv_helpers.h"
#include "helpers.h"
#include "slsim/report.h"
#include "slsim/slo_config.h"
#include "slsim/summary.h"

/* Two deployments of an LLM scenario (the model is Llama-2-7B); the hand-made
 * results below stand for their runs. slo as given (YAML flow mapping, or "{}"). */
static struct scenario *llm_scenario(const char *slo)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "name: chat\nduration: 25s\nseed: 1\n"
             "model: {llm: llama-2-7b, service: 1s}\n"
             "workload: {arrival: poisson, rate: 1/s, tokens: {prompt: 64, output: 16}}\n"
             "deployments: [{name: llm, platform: modal-h100, memory: 200GiB},"
             " {name: plain, platform: modal-h100, memory: 200GiB}]\n"
             "slo: %s\n",
             slo);
    return load_yaml(yaml);
}

#define MS 1000000LL /* ns */

/* The hand-made LLM result, over a measured period of 100 s:
 * - 4 requests served, end to end 1 s each (within any latency objective of 1 s);
 * - TTFT 100, 200, 300 and 400 ms; TPOT 20, 20, 30 and 50 ms; ITL 10 ms four times
 *   and 20 ms twice;
 * - 1,000 prompt and 400 output tokens: 10 and 4 tokens/s;
 * - 500 iterations taking 50 s with 150 sequence-iteration-s: a mean running batch
 *   of 150 / 50 = 3;
 * - 100 KV blocks an instance, 2,000 block-s in use over 30 s busy + 10 s idle:
 *   utilisation 2,000 / (100 x 40) = 0.5;
 * - blocks of 16 tokens, 2 preemptions recomputing 64 tokens, 1 request rejected. */
static void llm_result(struct deployment_result *r, const char *name)
{
    result_init(r);
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->platform, sizeof r->platform, "modal-h100");
    r->type = DEPLOYMENT_SERVERLESS;
    r->requests = r->served = r->within_slo = 4;
    for (int i = 0; i < 4; i++)
        histogram_record(&r->latency, 1000 * MS);
    r->measured_s = 100;
    r->busy_instance_s = 30;
    r->idle_instance_s = 10;
    r->instance_s = 40;
    cr_assert_eq(result_llm_alloc(r), 0);
    struct llm_stats *l = r->llm;
    static const int64_t ttft[] = {100, 200, 300, 400}, tpot[] = {20, 20, 30, 50},
                         itl[] = {10, 10, 10, 10, 20, 20};
    for (size_t i = 0; i < 4; i++) {
        histogram_record(&l->ttft, ttft[i] * MS);
        histogram_record(&l->tpot, tpot[i] * MS);
    }
    for (size_t i = 0; i < 6; i++)
        histogram_record(&l->itl, itl[i] * MS);
    l->prompt_tokens = 1000;
    l->output_tokens = 400;
    l->iterations = 500;
    l->iteration_s = 50;
    l->seq_iteration_s = 150;
    l->kv_block_s = 2000;
    l->kv_blocks = 100;
    l->block_size = 16;
    l->preemptions = 2;
    l->recomputed_tokens = 64;
    l->rejected = 1;
}

/* The same result without an LLM (llm NULL). */
static void plain_result(struct deployment_result *r, const char *name)
{
    llm_result(r, name);
    free(r->llm);
    r->llm = NULL;
}

/* The quantiles by hand. The histogram reports the middle of a value's bucket,
 * kept within [min, max]; a value v of 2^m <= v < 2^(m+1) ns lies in a bucket of
 * 2^(m-7) ns starting at floor(v / 2^(m-7)) x 2^(m-7), whose middle is its start plus
 * (2^(m-7) - 1) / 2.
 * - 200 ms = 2e8 ns, m = 27: buckets of 1,048,576 ns, start 190 x 1,048,576 =
 *   199,229,440, middle 199,753,727.5 ns.
 * - 400 ms, m = 28: buckets of 2,097,152, start 190 x 2,097,152 = 398,458,880, middle
 *   399,507,455.5 ns.
 * - 50 ms, m = 25: buckets of 262,144, start 190 x 262,144 = 49,807,360, middle
 *   49,938,431.5 ns.
 * - 20 ms, m = 24: buckets of 131,072, start 152 x 131,072 = 19,922,944, middle
 *   19,988,479.5 ns: below a minimum of 20 ms it reads 20 ms, else as is.
 * - 10 ms, m = 23: middle 152 x 65,536 + 32,767.5 = 9,994,239.5, below the minimum
 *   of 10 ms: 10 ms.
 * Nearest rank: of 4 values p50 is the 2nd, p90 and above the 4th; of 6, p50 the
 * 3rd, p90 and above the 6th. */
#define TTFT_P50 199.7537275
#define TTFT_P99 399.5074555
#define TTFT_MEAN 250.0
#define TTFT_STD 129.09944487358058 /* sqrt((150^2 + 50^2 + 50^2 + 150^2) / 3) */
#define TPOT_P50 20.0               /* clamped to the minimum */
#define TPOT_P90 49.9384315
#define TPOT_MEAN 30.0
#define TPOT_STD 14.142135623730951 /* sqrt((100 + 100 + 0 + 400) / 3) */
#define ITL_P50 10.0                /* clamped to the minimum */
#define ITL_P99 19.9884795          /* the 20 ms bucket, above the 10 ms minimum */
#define ITL_MEAN (80.0 / 6.0)

static char *render(const struct scenario *s, const struct run_output *out,
                    enum report_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(report_write(f, fmt, s, out), 0);
    fclose(f);
    return buf;
}

/* out from results r[0..n) (one replication each, or reps of n / reps). */
static void output_of(struct run_output *out, const struct scenario *s,
                      const struct deployment_result *r, size_t nd, uint32_t reps)
{
    cr_assert_eq(run_output_from_results(out, &s->slo, r, nd, reps), 0);
}

static double field(const struct summary_field *f, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(f[i].path, path) == 0) {
            cr_assert(!f[i].absent, "%s is absent", path);
            return f[i].value;
        }
    cr_assert_fail("no field %s", path);
    return 0;
}

Test(llm_report, record_carries_the_llm_numbers_derived_by_result_h)
{
    /* input 1,000 / 100 s = 10/s, output 400 / 100 s = 4/s, batch 150 / 50 = 3, KV
     * 2,000 / (100 x 40) = 0.5. */
    struct scenario *s = llm_scenario("{}");
    struct deployment_result r;
    llm_result(&r, "llm");
    struct trial_record rec;
    trial_flatten(&r, &s->slo, &rec, NULL);
    cr_assert_null(rec.llm, "flatten leaves the statistics with the result");
    cr_assert_float_eq(rec.input_tokens_per_s, 10, 1e-12);
    cr_assert_float_eq(rec.output_tokens_per_s, 4, 1e-12);
    cr_assert_float_eq(rec.llm_batch_mean, 3, 1e-12);
    cr_assert_float_eq(rec.kv_utilization, 0.5, 1e-12);
    /* trial_take_llm moves them: the record owns them and the result has none. */
    struct llm_stats *l = r.llm;
    trial_take_llm(&r, &rec, NULL);
    cr_assert_eq(rec.llm, l);
    cr_assert_null(r.llm);
    result_free(&r);
    cr_assert_eq(rec.llm->prompt_tokens, 1000);
    trial_record_free(&rec);
    cr_assert_null(rec.llm);
    scenario_destroy(s);
}

Test(llm_report, records_from_results_own_copies_and_a_hybrids_tiers_have_theirs)
{
    /* A hybrid of two LLM tiers: the total and each tier record hold a copy of their
     * result's statistics, the results keep their own (both are freed: valgrind sees
     * no leak and no double free). */
    struct scenario *s = llm_scenario("{}");
    struct deployment_result r[2];
    llm_result(&r[0], "llm");
    r[0].type = DEPLOYMENT_HYBRID;
    r[0].tiers = calloc(2, sizeof *r[0].tiers);
    r[0].n_tiers = 2;
    llm_result(&r[0].tiers[0], "base");
    llm_result(&r[0].tiers[1], "overflow");
    r[0].tiers[1].llm->prompt_tokens = 7;
    plain_result(&r[1], "plain");
    struct run_output out;
    output_of(&out, s, r, 2, 1);
    const struct trial_record *t0 = run_output_part(&out, 0, 0, 0);
    cr_assert_eq(t0->n_tiers, 2);
    cr_assert(t0->llm && t0->llm != r[0].llm);
    const struct trial_record *base = run_output_part(&out, 0, 0, 1),
                              *over = run_output_part(&out, 0, 0, 2);
    cr_assert(base->llm && base->llm != r[0].tiers[0].llm);
    cr_assert(over->llm && over->llm->prompt_tokens == 7);
    cr_assert_null(run_output_part(&out, 0, 1, 0)->llm);
    cr_assert(summary_run_llm(&out));
    run_output_free(&out);
    result_free(&r[0]);
    result_free(&r[1]);
    scenario_destroy(s);
}

Test(llm_report, summary_fields_by_hand_with_latency_ms_quantile_fields_for_each_family)
{
    struct scenario *s = llm_scenario("{}");
    struct deployment_result r;
    llm_result(&r, "llm");
    struct run_output out;
    output_of(&out, s, &r, 1, 1);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields(&out, 0, 0, f);
    cr_assert_lt(n, SUMMARY_MAX_FIELDS);
    cr_assert_float_eq(field(f, n, "ttft_ms.mean"), TTFT_MEAN, 1e-9);
    cr_assert_float_eq(field(f, n, "ttft_ms.std"), TTFT_STD, 1e-9);
    cr_assert_float_eq(field(f, n, "ttft_ms.p50"), TTFT_P50, 1e-9);
    cr_assert_float_eq(field(f, n, "ttft_ms.p90"), TTFT_P99, 1e-9);
    cr_assert_float_eq(field(f, n, "ttft_ms.p99"), TTFT_P99, 1e-9);
    cr_assert_float_eq(field(f, n, "ttft_ms.p999"), TTFT_P99, 1e-9);
    cr_assert_float_eq(field(f, n, "ttft_ms.max"), 400, 0);
    cr_assert_float_eq(field(f, n, "tpot_ms.mean"), TPOT_MEAN, 1e-9);
    cr_assert_float_eq(field(f, n, "tpot_ms.std"), TPOT_STD, 1e-9);
    cr_assert_float_eq(field(f, n, "tpot_ms.p50"), TPOT_P50, 1e-9);
    cr_assert_float_eq(field(f, n, "tpot_ms.p90"), TPOT_P90, 1e-9);
    cr_assert_float_eq(field(f, n, "tpot_ms.max"), 50, 0);
    cr_assert_float_eq(field(f, n, "itl_ms.mean"), ITL_MEAN, 1e-9);
    cr_assert_float_eq(field(f, n, "itl_ms.p50"), ITL_P50, 1e-9);
    cr_assert_float_eq(field(f, n, "itl_ms.p99"), ITL_P99, 1e-9);
    cr_assert_float_eq(field(f, n, "itl_ms.max"), 20, 0);
    cr_assert_float_eq(field(f, n, "tokens.input_per_s"), 10, 1e-12);
    cr_assert_float_eq(field(f, n, "tokens.output_per_s"), 4, 1e-12);
    cr_assert_float_eq(field(f, n, "tokens.prompt"), 1000, 0);
    cr_assert_float_eq(field(f, n, "tokens.output"), 400, 0);
    cr_assert_float_eq(field(f, n, "running_batch.mean"), 3, 1e-12);
    cr_assert_float_eq(field(f, n, "iterations"), 500, 0);
    cr_assert_float_eq(field(f, n, "kv_cache.utilization"), 0.5, 1e-12);
    cr_assert_float_eq(field(f, n, "kv_cache.blocks"), 100, 0);
    cr_assert_float_eq(field(f, n, "kv_cache.block_size"), 16, 0);
    cr_assert_float_eq(field(f, n, "preemptions"), 2, 0);
    cr_assert_float_eq(field(f, n, "recomputed_tokens"), 64, 0);
    cr_assert_float_eq(field(f, n, "rejected"), 1, 0);
    /* Each family has exactly latency_ms's quantile fields, in its order. */
    static const char *const families[] = {"ttft_ms.", "tpot_ms.", "itl_ms."};
    for (size_t k = 0; k < 3; k++) {
        size_t j = 0, len = strlen(families[k]);
        for (size_t i = 0; i < n; i++) {
            if (strncmp(f[i].path, "latency_ms.", 11) != 0)
                continue;
            while (j < n && strncmp(f[j].path, families[k], len) != 0)
                j++;
            cr_assert_lt(j, n, "%s lacks %s", families[k], f[i].path + 11);
            cr_assert_str_eq(f[j].path + len, f[i].path + 11);
            cr_assert(f[j].llm);
            j++;
        }
        for (; j < n; j++)
            cr_assert_neq(strncmp(f[j].path, families[k], len), 0, "extra %s", f[j].path);
    }
    run_output_free(&out);
    result_free(&r);
    scenario_destroy(s);
}

Test(llm_report, a_record_without_an_llm_has_every_llm_field_absent)
{
    struct scenario *s = llm_scenario("{}");
    struct deployment_result r;
    plain_result(&r, "plain");
    struct trial_record rec;
    trial_flatten(&r, &s->slo, &rec, NULL);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields_one(&rec, f), llm = 0;
    for (size_t i = 0; i < n; i++) {
        if (f[i].llm)
            cr_assert(f[i].absent, "%s", f[i].path);
        else if (!f[i].batching)
            cr_assert(!f[i].absent, "%s", f[i].path);
        llm += (size_t)f[i].llm;
    }
    /* 3 families of 8 quantile fields, 4 token fields, the batch, iterations, 3 KV
     * fields, 3 of the engine's settings, preemptions, recomputed tokens, rejected. */
    cr_assert_eq(llm, 3 * 8 + 4 + 2 + 3 + 3 + 3);
    result_free(&r);
    scenario_destroy(s);
}

/* ---- the SLO verdict ---- */

/* slo_met of the hand-made result under the scenario's slo, `within` of its 4
 * requests counted within the latency objective. */
static int verdict_within(const char *slo, uint64_t within)
{
    struct scenario *s = llm_scenario(slo);
    struct deployment_result r;
    llm_result(&r, "llm");
    r.within_slo = within;
    struct trial_record rec;
    trial_flatten(&r, &s->slo, &rec, NULL);
    result_free(&r);
    scenario_destroy(s);
    return rec.slo_met;
}

static int verdict(const char *slo)
{
    return verdict_within(slo, 4);
}

Test(llm_report, slo_met_needs_every_objective_ttft_and_tpot_by_their_percentiles)
{
    /* TTFT p99 = 399.507 ms (the 400 ms bucket's middle): within 400ms, not within
     * 399ms. TPOT p90 = 49.938 ms: within 50ms, not within 49.9ms. Latency: every
     * request within 1 s. */
    cr_assert(verdict("{ttft_p99: 400ms}"));
    cr_assert(!verdict("{ttft_p99: 399ms}"));
    cr_assert(verdict("{tpot_p90: 50ms}"));
    cr_assert(!verdict("{tpot_p90: 49.9ms}"));
    cr_assert(verdict("{latency_p99: 1s, ttft_p99: 400ms, tpot_p90: 50ms}"));
    cr_assert(!verdict("{latency_p99: 1s, ttft_p99: 399ms, tpot_p90: 50ms}"));
    cr_assert(!verdict("{latency_p99: 1s, ttft_p99: 400ms, tpot_p90: 49.9ms}"));
    /* and the latency objective still counts: 3 of 4 within it is 75%, below 99% */
    cr_assert(!verdict_within("{latency_p99: 1s, ttft_p99: 400ms, tpot_p90: 50ms}", 3));
    /* TTFT p50 = 199.754 ms: p50 within 200ms holds where p99 would not. */
    cr_assert(verdict("{ttft_p50: 200ms}"));
}

Test(llm_report, slo_parses_ttft_and_tpot_alone_and_with_latency)
{
    struct scenario *s = llm_scenario("{ttft_p99: 2s, tpot_p99.9: 100ms}");
    cr_assert_float_eq(s->slo.percentile, 0, 0);
    cr_assert_float_eq(s->slo.ttft_percentile, 99, 0);
    cr_assert_eq(s->slo.ttft_ns, 2000 * MS);
    cr_assert_float_eq(s->slo.tpot_percentile, 99.9, 1e-12);
    cr_assert_eq(s->slo.tpot_ns, 100 * MS);
    cr_assert(slo_spec_any(&s->slo));
    scenario_destroy(s);
    s = llm_scenario("{latency_p95: 30s, tpot_p999: 80ms}");
    cr_assert_float_eq(s->slo.percentile, 95, 0);
    cr_assert_float_eq(s->slo.ttft_percentile, 0, 0);
    cr_assert_float_eq(s->slo.tpot_percentile, 99.9, 1e-12);
    scenario_destroy(s);
}

Test(llm_report, slo_refuses_two_of_a_family_and_ttft_on_a_model_that_is_no_llm)
{
    struct slsim_error err = load_yaml_error(
        "duration: 1h\nmodel: {llm: llama-2-7b, service: 1s}\n"
        "workload: {arrival: poisson, rate: 1/s, tokens: {prompt: 64, output: 16}}\n"
        "deployments: [{platform: modal-h100, memory: 200GiB}]\n"
        "slo: {ttft_p99: 2s, ttft_p50: 1s}\n");
    cr_assert_str_eq(err.key, "slo.ttft_p50");
    cr_assert(strstr(err.message, "only one TTFT objective"), "%s", err.message);
    err = load_yaml_error("duration: 1h\nmodel: {service: 1s}\n"
                          "workload: {arrival: poisson, rate: 1/s}\n"
                          "deployments: [{platform: generic}]\n"
                          "slo: {latency_p99: 5s, tpot_p99: 100ms}\n");
    cr_assert_str_eq(err.key, "slo.tpot_p99");
    cr_assert_eq(err.line, 5);
    cr_assert_eq(err.column, 24); /* after "slo: {latency_p99: 5s, " */
    cr_assert(strstr(err.message, "no LLM"), "%s", err.message);
    err = load_yaml_error("duration: 1h\nmodel: {llm: llama-2-7b, service: 1s}\n"
                          "workload: {arrival: poisson, rate: 1/s,"
                          " tokens: {prompt: 64, output: 16}}\n"
                          "deployments: [{platform: modal-h100, memory: 200GiB}]\n"
                          "slo: {ttft_p150: 2s}\n");
    cr_assert_str_eq(err.key, "slo.ttft_p150");
    cr_assert(strstr(err.message, "not a percentile"), "%s", err.message);
}

/* ---- JSON ---- */

/* The member at dotted path under o, or NULL. */
static const cJSON *at(const cJSON *o, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && o; tok = strtok(NULL, "."))
        o = cJSON_GetObjectItemCaseSensitive(o, tok);
    return o;
}

static double num(const cJSON *o, const char *path)
{
    const cJSON *v = at(o, path);
    cr_assert(v && cJSON_IsNumber(v), "no number at %s", path);
    return v->valuedouble;
}

/* What a deployment without an LLM must not have in JSON. */
static const char *const llm_members[] = {
    "ttft_ms",      "tpot_ms",    "itl_ms",      "tokens",           "running_batch",
    "iterations",   "kv_cache",   "preemptions", "recomputed_tokens", "rejected",
};

Test(llm_report, json_gives_the_llm_paths_by_hand_and_none_on_a_deployment_without)
{
    struct scenario *s = llm_scenario("{latency_p99: 1s, ttft_p99: 400ms, tpot_p90: 49.9ms}");
    struct deployment_result r[2];
    llm_result(&r[0], "llm");
    plain_result(&r[1], "plain");
    struct run_output out;
    output_of(&out, s, r, 2, 1);
    char *text = render(s, &out, REPORT_JSON);
    cJSON *root = cJSON_Parse(text);
    cr_assert(root, "not JSON");
    /* The objectives: latency as before, then each LLM objective's pair. */
    cr_assert_float_eq(num(root, "slo.percentile"), 99, 0);
    cr_assert_float_eq(num(root, "slo.latency_ms"), 1000, 0);
    cr_assert_float_eq(num(root, "slo.ttft_percentile"), 99, 0);
    cr_assert_float_eq(num(root, "slo.ttft_ms"), 400, 0);
    cr_assert_float_eq(num(root, "slo.tpot_percentile"), 90, 0);
    cr_assert_float_eq(num(root, "slo.tpot_ms"), 49.9, 1e-9);
    const cJSON *deps = cJSON_GetObjectItem(root, "deployments");
    const cJSON *llm = cJSON_GetArrayItem(deps, 0), *plain = cJSON_GetArrayItem(deps, 1);
    cr_assert_float_eq(num(llm, "ttft_ms.p50"), TTFT_P50, 1e-9);
    cr_assert_float_eq(num(llm, "ttft_ms.p99"), TTFT_P99, 1e-9);
    cr_assert_float_eq(num(llm, "ttft_ms.std"), TTFT_STD, 1e-9);
    cr_assert_float_eq(num(llm, "tpot_ms.p90"), TPOT_P90, 1e-9);
    cr_assert_float_eq(num(llm, "tpot_ms.mean"), TPOT_MEAN, 1e-9);
    cr_assert_float_eq(num(llm, "itl_ms.p99"), ITL_P99, 1e-9);
    cr_assert_float_eq(num(llm, "itl_ms.max"), 20, 0);
    cr_assert_float_eq(num(llm, "tokens.input_per_s"), 10, 1e-12);
    cr_assert_float_eq(num(llm, "tokens.output_per_s"), 4, 1e-12);
    cr_assert_float_eq(num(llm, "tokens.prompt"), 1000, 0);
    cr_assert_float_eq(num(llm, "tokens.output"), 400, 0);
    cr_assert_float_eq(num(llm, "running_batch.mean"), 3, 1e-12);
    cr_assert_float_eq(num(llm, "iterations"), 500, 0);
    cr_assert_float_eq(num(llm, "kv_cache.utilization"), 0.5, 1e-12);
    cr_assert_float_eq(num(llm, "kv_cache.blocks"), 100, 0);
    cr_assert_float_eq(num(llm, "kv_cache.block_size"), 16, 0);
    cr_assert_float_eq(num(llm, "preemptions"), 2, 0);
    cr_assert_float_eq(num(llm, "recomputed_tokens"), 64, 0);
    cr_assert_float_eq(num(llm, "rejected"), 1, 0);
    /* TPOT p90 49.938 ms over 49.9: missed, though every request is within 1 s. */
    cr_assert(cJSON_IsFalse(at(llm, "slo_met")));
    cr_assert_float_eq(num(llm, "slo_attainment"), 1, 0);
    for (size_t i = 0; i < sizeof llm_members / sizeof llm_members[0]; i++)
        cr_assert_null(at(plain, llm_members[i]), "plain has %s", llm_members[i]);
    cr_assert(at(plain, "latency_ms.p99"));
    cr_assert(cJSON_IsTrue(at(plain, "slo_met")), "no LLM objective applies to it");
    cJSON_Delete(root);
    free(text);
    run_output_free(&out);
    result_free(&r[0]);
    result_free(&r[1]);
    scenario_destroy(s);
}

Test(llm_report, json_llm_fields_have_ci95_siblings_with_replications)
{
    /* Two replications, TTFT alike but the output tokens 400 and 600: output 4 and
     * 6 /s, mean 5, half-width t(0.975, 1) x s / sqrt(2) = 12.7062 x 1.41421 / 1.41421
     * = 12.7062; the TTFT p99 the same in both, half-width 0. */
    struct scenario *s = llm_scenario("{}");
    struct deployment_result r[4];
    llm_result(&r[0], "llm");
    plain_result(&r[1], "plain");
    llm_result(&r[2], "llm");
    plain_result(&r[3], "plain");
    r[2].llm->output_tokens = 600;
    struct run_output out;
    output_of(&out, s, r, 2, 2);
    char *text = render(s, &out, REPORT_JSON);
    cJSON *root = cJSON_Parse(text);
    const cJSON *llm = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "deployments"), 0);
    cr_assert_float_eq(num(llm, "tokens.output_per_s"), 5, 1e-12);
    cr_assert_float_eq(num(llm, "tokens.output_per_s_ci95"), 12.706204736174703, 1e-9);
    cr_assert_float_eq(num(llm, "ttft_ms.p99"), TTFT_P99, 1e-9);
    cr_assert_float_eq(num(llm, "ttft_ms.p99_ci95"), 0, 1e-9);
    cr_assert(at(llm, "kv_cache.blocks_ci95"));
    cJSON_Delete(root);
    free(text);
    run_output_free(&out);
    for (int i = 0; i < 4; i++)
        result_free(&r[i]);
    scenario_destroy(s);
}

/* ---- CSV ---- */


Test(llm_report, csv_appends_llm_columns_empty_for_a_deployment_without_an_llm)
{
    struct scenario *s = llm_scenario("{}");
    struct deployment_result r[2];
    llm_result(&r[0], "llm");
    plain_result(&r[1], "plain");
    struct run_output out;
    output_of(&out, s, r, 2, 1);
    char *text = render(s, &out, REPORT_CSV);
    const char *row1 = strchr(text, '\n') + 1, *row2 = strchr(row1, '\n') + 1;
    size_t head = csv_cells(text, strcspn(text, "\n"));
    cr_assert_eq(csv_cells(row1, strcspn(row1, "\n")), head);
    cr_assert_eq(csv_cells(row2, strcspn(row2, "\n")), head);
    /* Appended after the fields of before: the first LLM column follows
     * coldstart_init_timeouts (no batching here), the last is rejected. */
    cr_assert_eq(csv_column(text, "ttft_ms_mean"), csv_column(text, "coldstart_init_timeouts") + 1);
    cr_assert_eq(csv_column(text, "rejected"), (int)head - 1);
    static const struct {
        const char *column, *llm;
    } want[] = {
        {"ttft_ms_max", "400"},         {"tpot_ms_p50", "20"},
        {"itl_ms_p50", "10"},           {"tokens_input_per_s", "10"},
        {"tokens_output_per_s", "4"},   {"tokens_prompt", "1000"},
        {"tokens_output", "400"},       {"running_batch_mean", "3"},
        {"iterations", "500"},          {"kv_cache_utilization", "0.5"},
        {"kv_cache_blocks", "100"},     {"kv_cache_block_size", "16"},
        {"preemptions", "2"},           {"recomputed_tokens", "64"},
        {"rejected", "1"},
    };
    char cell[64];
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        int k = csv_column(text, want[i].column);
        cr_assert_geq(k, 0, "no column %s", want[i].column);
        csv_cell(row1, k, cell, sizeof cell);
        cr_assert_str_eq(cell, want[i].llm, "%s", want[i].column);
        csv_cell(row2, k, cell, sizeof cell);
        cr_assert_str_eq(cell, "", "%s of plain", want[i].column);
    }
    int k = csv_column(text, "ttft_ms_p99");
    csv_cell(row1, k, cell, sizeof cell);
    cr_assert_float_eq(strtod(cell, NULL), TTFT_P99, 1e-6);
    free(text);
    run_output_free(&out);
    result_free(&r[0]);
    result_free(&r[1]);
    scenario_destroy(s);
}

/* ---- the timeline ---- */

/* Rows of 10 s from 0 over the 25 s run, the last 5 s long. */
static void give_timeline(struct deployment_result *r, const double *seq_s)
{
    r->n_timeline = 3;
    r->timeline = calloc(3, sizeof *r->timeline);
    for (size_t k = 0; k < 3; k++) {
        r->timeline[k].start_ns = (sim_time)k * 10 * SIM_NS_PER_S;
        r->timeline[k].llm_seq_s = seq_s ? seq_s[k] : 0;
    }
}

Test(llm_report, timeline_running_batch_is_sequence_time_over_the_intervals_length)
{
    /* llm_seq_s 30, 20 and 10 s over intervals of 10, 10 and 5 s: running batches of
     * 3, 2 and 2; the deployment without an LLM has the cell empty. */
    struct scenario *s = llm_scenario("{}");
    struct deployment_result r[2];
    llm_result(&r[0], "llm");
    plain_result(&r[1], "plain");
    static const double seq[] = {30, 20, 10};
    give_timeline(&r[0], seq);
    give_timeline(&r[1], NULL);
    struct run_output out;
    output_of(&out, s, r, 2, 1);
    char *text = render(s, &out, REPORT_TIMELINE);
    cr_assert_str_eq(text,
                     "deployment,tier,t_start_s,busy,idle,initializing,instances,arrivals,"
                     "cold_starts,cost_usd,running_batch\n"
                     "llm,,0,0.000000,0.000000,0.000000,0.000000,0,0,0.000000,3.000000\n"
                     "llm,,10,0.000000,0.000000,0.000000,0.000000,0,0,0.000000,2.000000\n"
                     "llm,,20,0.000000,0.000000,0.000000,0.000000,0,0,0.000000,2.000000\n"
                     "plain,,0,0.000000,0.000000,0.000000,0.000000,0,0,0.000000,\n"
                     "plain,,10,0.000000,0.000000,0.000000,0.000000,0,0,0.000000,\n"
                     "plain,,20,0.000000,0.000000,0.000000,0.000000,0,0,0.000000,\n");
    free(text);
    run_output_free(&out);
    result_free(&r[0]);
    result_free(&r[1]);
    scenario_destroy(s);
}

/* ---- text and Markdown ---- */

Test(llm_report, text_and_md_add_an_llm_table_and_the_slo_lines_by_hand)
{
    /* TTFT p50 199.75 -> "200", p99 399.51 -> "400"; TPOT p50 20 -> "20.0", p99 (the
     * 4th of 4) 49.94 -> "49.9"; ITL p99 19.99 -> "20.0"; 10 and 4 tokens/s; batch 3;
     * KV 50.0%; 2 preempted; 1 rejected. SLO: TTFT p99 399.51 within 400ms, TPOT p90
     * 49.94 over 49.9ms: missed. */
    struct scenario *s = llm_scenario("{latency_p99: 1s, ttft_p99: 400ms, tpot_p90: 49.9ms}");
    struct deployment_result r[2];
    llm_result(&r[0], "llm");
    plain_result(&r[1], "plain");
    struct run_output out;
    output_of(&out, s, r, 2, 1);
    char *text = render(s, &out, REPORT_TEXT);
    cr_assert(strstr(text, "chat: llama-2-7b (13476MB, an LLM served by iterations) under "),
              "%s", text);
    cr_assert(strstr(text, "; SLO: 99% of requests within 1s, TTFT p99 within 400ms, TPOT p90 "
                           "within 49.9ms\n"),
              "%s", text);
    cr_assert(strstr(text, "deployment  TTFT p50 ms  TTFT p99 ms  TPOT p50 ms  TPOT p99 ms  "
                           "ITL p99 ms  in tok/s  out tok/s  batch  KV util  preempted  "
                           "rejected\n"
                           "llm                 200          400         20.0         49.9  "
                           "      20.0        10          4      3    50.0%          2  "
                           "       1\n\n"),
              "%s", text);
    cr_assert(strstr(text, "llm: SLO MISSED, 100.000% of requests within 1s, TTFT p99 400 ms "
                           "(objective 400ms), TPOT p90 49.9 ms (objective 49.9ms)\n"),
              "%s", text);
    cr_assert(strstr(text, "plain: SLO met, 100.000% of requests within 1s\n"), "%s", text);
    cr_assert(strstr(text, "TTFT: time to first token, from arrival"), "%s", text);
    free(text);
    text = render(s, &out, REPORT_MD);
    cr_assert(strstr(text, "| deployment | TTFT p50 ms | TTFT p99 ms | TPOT p50 ms | TPOT p99 ms "
                           "| ITL p99 ms | in tok/s | out tok/s | batch | KV util | preempted | "
                           "rejected |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
                           "---:|\n| llm | 200 | 400 | 20.0 | 49.9 | 20.0 | 10 | 4 | 3 | 50.0% | "
                           "2 | 1 |\n\n"),
              "%s", text);
    cr_assert(strstr(text, "- llm: SLO MISSED"), "%s", text);
    free(text);
    run_output_free(&out);
    result_free(&r[0]);
    result_free(&r[1]);
    scenario_destroy(s);
}

/* ---- a model that is no LLM ---- */

Test(llm_report, no_llm_field_in_any_format_of_a_run_whose_model_is_no_llm)
{
    struct scenario *s = load_yaml(
        "pricing: tests/data/pricing/test.yaml\nname: plain\nduration: 20s\nseed: 1\n"
        "model: {service: 10ms}\nworkload: {arrival: constant, rate: 10/s}\n"
        "deployments: [{name: box, type: dedicated, instance: box8, count: 1},"
        " {name: fn, platform: busy-100ms}]\nslo: {latency_p99: 1s}\n");
    struct run_output out;
    struct run_options opt = {.timeline_step_ns = 5 * SIM_NS_PER_S, .jobs = 1};
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0, "%s", err.message);
    cr_assert(!summary_run_llm(&out));
    static const enum report_format fmts[] = {REPORT_TEXT, REPORT_JSON, REPORT_CSV, REPORT_MD,
                                              REPORT_TIMELINE};
    static const char *const words[] = {"ttft",      "TTFT",        "tpot",     "TPOT",
                                        "itl_ms",    "ITL",         "tokens",   "tok/s",
                                        "kv_cache",  "KV",          "running_batch",
                                        "iterations", "preempt",    "recomputed",
                                        "\"rejected\"", ",rejected"};
    for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
        char *text = render(s, &out, fmts[i]);
        for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
            cr_assert_null(strstr(text, words[w]), "format %zu has %s: %s", i, words[w], text);
        free(text);
    }
    static const char head[] = "deployment,tier,t_start_s,busy,idle,initializing,instances,"
                               "arrivals,cold_starts,cost_usd\n";
    char *tl = render(s, &out, REPORT_TIMELINE);
    cr_assert_eq(strncmp(tl, head, strlen(head)), 0, "%s", tl);
    free(tl);
    run_output_free(&out);
    scenario_destroy(s);
}

Test(llm_report, timeline_rows_hold_the_sequence_time_of_the_iterations_begun_in_them)
{
    /* Every iteration begun in the measured period adds its sequences x time to the
     * row it begins in, whole, and to seq_iteration_s up to the end of the period: over
     * the rows they sum to seq_iteration_s plus the part past the end of the one
     * iteration that crosses it, a few sequences x tens of ms (an 8B model's decode
     * step on an L40S), well under a second. */
    struct scenario *s = load_yaml(
        "duration: 2m\nwarmup: 20s\nseed: 1\nmodel: {llm: llama-3-8b}\n"
        "workload: {arrival: poisson, rate: 4/s, tokens: {prompt: 300, output: 40}}\n"
        "deployments: [{type: dedicated, instance: g6e.xlarge, count: 1}]\n");
    struct deployment_result r;
    struct slsim_error err;
    cr_assert_eq(run_deployment(s, 0, 0, 10 * SIM_NS_PER_S, &r, &err), 0, "%s", err.message);
    cr_assert(r.llm);
    cr_assert_eq(r.n_timeline, 10);
    double sum = 0;
    for (size_t k = 0; k < r.n_timeline; k++)
        sum += r.timeline[k].llm_seq_s;
    cr_assert_gt(r.llm->seq_iteration_s, 0);
    double past = sum - r.llm->seq_iteration_s;
    cr_assert(past > -1e-9 && past < 1.0, "rows %.12g, seq_iteration_s %.12g", sum,
              r.llm->seq_iteration_s);
    result_free(&r);
    scenario_destroy(s);
}
