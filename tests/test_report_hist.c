/* test_report_hist.c - the latency distributions of the JSON run report
 * (docs/REPORT.md, "Latency histograms"): `latency_histogram` on every deployment
 * and hybrid tier, `ttft_histogram` and `tpot_histogram` on those that serve an LLM,
 * each {unit, count, min_ms, max_ms, buckets: [[low_ms, high_ms, count], ...]} with
 * only the occupied buckets of histogram.h, summed over replications.
 *
 * Worked by hand on made results (the bucket bounds of histogram.h's log-linear
 * rule), then checked on whole runs: the counts add up to `served` (times the
 * replications), the buckets ascend without overlapping, and the report's own
 * percentiles are read back from the buckets by nearest rank. */
#include <cjson/cJSON.h>
#include <math.h>

#include "cli_helpers.h"
#include "helpers.h"
#include "slsim/report.h"

#define MS 1000000LL /* ns */

/* ---- a made result, worked by hand ---------------------------------------------- */

/* Two deployments of an LLM scenario: `llm` gets TTFT and TPOT, `plain` none. */
static struct scenario *two_deployments(void)
{
    return load_yaml("name: hist\nduration: 25s\nseed: 1\n"
                     "model: {llm: llama-2-7b, service: 1s}\n"
                     "workload: {arrival: poisson, rate: 1/s, tokens: {prompt: 64, output: 16}}\n"
                     "deployments: [{name: llm, platform: modal-h100, memory: 200GiB},"
                     " {name: plain, platform: modal-h100, memory: 200GiB}]\n");
}

static void served(struct deployment_result *r, const char *name, const int64_t *ns, size_t n)
{
    result_init(r);
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->platform, sizeof r->platform, "modal-h100");
    r->type = DEPLOYMENT_SERVERLESS;
    r->requests = r->served = n;
    r->measured_s = 100;
    for (size_t i = 0; i < n; i++)
        histogram_record(&r->latency, ns[i]);
}

static cJSON *json_of(const struct scenario *s, const struct run_output *out)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(report_write(f, REPORT_JSON, s, out), 0);
    fclose(f);
    cJSON *root = cJSON_Parse(buf);
    cr_assert(root, "the report is JSON");
    free(buf);
    return root;
}

static void bucket_is(const cJSON *b, double low_ms, double high_ms, double count)
{
    cr_assert(cJSON_IsArray(b) && cJSON_GetArraySize(b) == 3);
    cr_expect_eq(cJSON_GetArrayItem(b, 0)->valuedouble, low_ms, "low %.9g, want %.9g",
                 cJSON_GetArrayItem(b, 0)->valuedouble, low_ms);
    cr_expect_eq(cJSON_GetArrayItem(b, 1)->valuedouble, high_ms, "high %.9g, want %.9g",
                 cJSON_GetArrayItem(b, 1)->valuedouble, high_ms);
    cr_expect_eq(cJSON_GetArrayItem(b, 2)->valuedouble, count);
}

/* Bucket bounds by histogram.h's rule: a value v >= 128 ns with highest bit m falls
 * in a bucket 2^(m-7) ns wide starting at floor(v / 2^(m-7)) x 2^(m-7); below 128 ns
 * each value is its own bucket.
 * - 1,001 ns, m = 9, width 4: 250 x 4 = 1,000 to 1,003 ns = [0.001, 0.001003] ms;
 * - 10 ms = 10,000,000 ns, m = 23, width 65,536: 152 x 65,536 = 9,961,472 to
 *   153 x 65,536 - 1 = 10,027,007 ns;
 * - 1 s = 10^9 ns, m = 29, width 4,194,304: 238 x 4,194,304 = 998,244,352 to
 *   239 x 4,194,304 - 1 = 1,002,438,655 ns.
 * Replication 0 served 10 ms, 10 ms and 1 s, replication 1 1,001 ns and 10 ms: summed,
 * 5 requests, 1 + 3 + 1 in three buckets, extremes 1,001 ns (not its bucket's low)
 * and 1 s. */
Test(report_hist, buckets_are_summed_over_replications_with_their_own_bounds)
{
    struct scenario *s = two_deployments();
    static const int64_t rep0[] = {10 * MS, 10 * MS, 1000 * MS}, rep1[] = {1001, 10 * MS};
    struct deployment_result r[4]; /* r[rep * 2 + d] */
    served(&r[0], "llm", rep0, 3);
    served(&r[1], "plain", rep0, 3);
    served(&r[2], "llm", rep1, 2);
    served(&r[3], "plain", rep1, 2);
    struct run_output out;
    cr_assert_eq(run_output_from_results(&out, &s->slo, r, 2, 2), 0);
    cJSON *root = json_of(s, &out);
    cJSON *deps = cJSON_GetObjectItem(root, "deployments");
    for (int d = 0; d < 2; d++) {
        cJSON *h = cJSON_GetObjectItem(cJSON_GetArrayItem(deps, d), "latency_histogram");
        cr_assert(cJSON_IsObject(h));
        cr_expect_str_eq(cJSON_GetObjectItem(h, "unit")->valuestring, "ms");
        cr_expect_eq(cJSON_GetObjectItem(h, "count")->valuedouble, 5);
        cr_expect_eq(cJSON_GetObjectItem(h, "min_ms")->valuedouble, 0.001001);
        cr_expect_eq(cJSON_GetObjectItem(h, "max_ms")->valuedouble, 1000);
        cJSON *b = cJSON_GetObjectItem(h, "buckets");
        cr_assert_eq(cJSON_GetArraySize(b), 3);
        bucket_is(cJSON_GetArrayItem(b, 0), 0.001, 0.001003, 1);
        bucket_is(cJSON_GetArrayItem(b, 1), 9.961472, 10.027007, 3);
        bucket_is(cJSON_GetArrayItem(b, 2), 998.244352, 1002.438655, 1);
    }
    cJSON_Delete(root);
    run_output_free(&out);
    for (int i = 0; i < 4; i++)
        result_free(&r[i]);
    scenario_destroy(s);
}

/* An LLM's TTFT and TPOT come as histograms too; a deployment without an LLM has
 * neither (absent, as its other LLM fields are). TTFT 100 ms: m = 26, width 524,288,
 * 190 x 524,288 = 99,614,720 to 191 x 524,288 - 1 = 100,139,007 ns. TPOT 20 ms:
 * m = 24, width 131,072, 152 x 131,072 = 19,922,944 to 153 x 131,072 - 1 =
 * 20,054,015 ns. */
Test(report_hist, ttft_and_tpot_only_for_an_llm)
{
    struct scenario *s = two_deployments();
    static const int64_t lat[] = {1000 * MS, 1000 * MS};
    struct deployment_result r[2];
    served(&r[0], "llm", lat, 2);
    served(&r[1], "plain", lat, 2);
    cr_assert_eq(result_llm_alloc(&r[0]), 0);
    for (int i = 0; i < 2; i++) {
        histogram_record(&r[0].llm->ttft, 100 * MS);
        histogram_record(&r[0].llm->tpot, 20 * MS);
    }
    struct run_output out;
    cr_assert_eq(run_output_from_results(&out, &s->slo, r, 2, 1), 0);
    cJSON *root = json_of(s, &out);
    cJSON *deps = cJSON_GetObjectItem(root, "deployments");
    cJSON *llm = cJSON_GetArrayItem(deps, 0), *plain = cJSON_GetArrayItem(deps, 1);
    cJSON *ttft = cJSON_GetObjectItem(llm, "ttft_histogram");
    cJSON *tpot = cJSON_GetObjectItem(llm, "tpot_histogram");
    cr_assert(cJSON_IsObject(ttft) && cJSON_IsObject(tpot));
    cr_expect_eq(cJSON_GetObjectItem(ttft, "count")->valuedouble, 2);
    bucket_is(cJSON_GetArrayItem(cJSON_GetObjectItem(ttft, "buckets"), 0), 99.61472, 100.139007,
              2);
    bucket_is(cJSON_GetArrayItem(cJSON_GetObjectItem(tpot, "buckets"), 0), 19.922944, 20.054015,
              2);
    cr_expect(cJSON_IsObject(cJSON_GetObjectItem(plain, "latency_histogram")));
    cr_expect_null(cJSON_GetObjectItem(plain, "ttft_histogram"));
    cr_expect_null(cJSON_GetObjectItem(plain, "tpot_histogram"));
    cJSON_Delete(root);
    run_output_free(&out);
    for (int i = 0; i < 2; i++)
        result_free(&r[i]);
    scenario_destroy(s);
}

/* ---- whole runs ----------------------------------------------------------------- */

static cJSON *run_json(const char *args)
{
    struct outcome o = run(args);
    cr_assert_eq(o.status, 0, "slsim %s: %s", args, o.err);
    cJSON *root = cJSON_Parse(o.out);
    cr_assert(root, "slsim %s printed no JSON", args);
    outcome_free(&o);
    return root;
}

static double num(const cJSON *o, const char *path)
{
    const cJSON *v = o;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    char *save = NULL;
    for (char *part = strtok_r(buf, ".", &save); part; part = strtok_r(NULL, ".", &save))
        v = cJSON_GetObjectItemCaseSensitive(v, part);
    cr_assert(cJSON_IsNumber(v), "no number at %s", path);
    return v->valuedouble;
}

/* A bound in ms back to the ns it was written from (bounds are whole ns, well
 * inside a double's 2^53). */
static int64_t ns_of(double ms)
{
    return llround(ms * 1e6);
}

/* The q-quantile read from a report's histogram h as histogram_quantile_ns reads
 * its own: the bucket holding rank ceil(q N) (rank 1 at least), its middle low +
 * (high - low) / 2 in ns, clamped to [min, max], in ms. The summary prints
 * histogram_quantile_ns / 1e6, so the two are the same double. */
static double quantile_ms(const cJSON *h, double q)
{
    double n = num(h, "count");
    double rank = ceil(q * n);
    if (rank < 1)
        rank = 1;
    double seen = 0;
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItem(h, "buckets"))
    {
        seen += cJSON_GetArrayItem(b, 2)->valuedouble;
        if (seen >= rank) {
            int64_t lo = ns_of(cJSON_GetArrayItem(b, 0)->valuedouble);
            int64_t hi = ns_of(cJSON_GetArrayItem(b, 1)->valuedouble);
            double mid = (double)lo + (double)(hi - lo) / 2;
            double min = (double)ns_of(num(h, "min_ms")), max = (double)ns_of(num(h, "max_ms"));
            return (mid < min ? min : mid > max ? max : mid) / 1e6;
        }
    }
    cr_assert_fail("the buckets hold fewer than rank %.0f of %.0f", rank, n);
    return 0;
}

/* Histogram `name` of object o: its count is `want` and the sum of its buckets,
 * which ascend without overlapping (each high >= its low, each low above the
 * previous high); with one replication, its p50, p99 and p999 read back are the
 * report's `family`.pNN. */
static void check_histogram(const cJSON *o, const char *name, double want, const char *family,
                            int replications)
{
    const cJSON *h = cJSON_GetObjectItem(o, name);
    const char *who = cJSON_GetObjectItem(o, "name")->valuestring;
    cr_assert(cJSON_IsObject(h), "%s has no %s", who, name);
    cr_expect_str_eq(cJSON_GetObjectItem(h, "unit")->valuestring, "ms");
    cr_expect_eq(num(h, "count"), want, "%s %s count %.0f, want %.0f", who, name,
                 num(h, "count"), want);
    double sum = 0, prev_high = -1;
    const cJSON *b;
    cJSON_ArrayForEach(b, cJSON_GetObjectItem(h, "buckets"))
    {
        double lo = cJSON_GetArrayItem(b, 0)->valuedouble;
        double hi = cJSON_GetArrayItem(b, 1)->valuedouble;
        double n = cJSON_GetArrayItem(b, 2)->valuedouble;
        cr_assert(lo <= hi, "%s %s bucket [%g, %g]", who, name, lo, hi);
        cr_assert(lo > prev_high, "%s %s bucket at %g overlaps the one ending %g", who, name,
                  lo, prev_high);
        cr_assert(n >= 1, "%s %s lists an empty bucket", who, name);
        prev_high = hi;
        sum += n;
    }
    cr_expect_eq(sum, want, "%s %s buckets sum to %.0f, want %.0f", who, name, sum, want);
    if (replications > 1)
        return; /* the report's percentiles are then means over replications */
    static const struct {
        double q;
        const char *field;
    } qs[] = {{0.50, "p50"}, {0.99, "p99"}, {0.999, "p999"}};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "%s.%s", family, qs[i].field);
        double got = quantile_ms(h, qs[i].q), report = num(o, path);
        cr_expect_eq(got, report, "%s %s read back %.9g, the report says %.9g", who, path, got,
                     report);
    }
}

/* check_histogram, and with one replication max_ms is the report's `family`.max
 * (both the exact maximum). */
static void check(const cJSON *o, const char *name, double want, const char *family, int reps)
{
    char max[64];
    snprintf(max, sizeof max, "%s.max", family);
    const cJSON *h = cJSON_GetObjectItem(o, name);
    cr_assert(cJSON_IsObject(h), "no %s", name);
    check_histogram(o, name, want, family, reps);
    if (reps == 1)
        cr_expect_eq(num(h, "max_ms"), num(o, max));
}

#define QUICKSTART "run scenarios/quickstart.yaml --set duration=1d --set workload.spikes= "

Test(report_hist, quickstart_histograms_hold_every_served_request)
{
    cJSON *root = run_json(QUICKSTART "--format json");
    const cJSON *d;
    int n = 0;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(root, "deployments"))
    {
        check(d, "latency_histogram", num(d, "served"), "latency_ms", 1);
        cr_expect_null(cJSON_GetObjectItem(d, "ttft_histogram"), "no LLM, no TTFT");
        cr_expect_null(cJSON_GetObjectItem(d, "tpot_histogram"), "no LLM, no TPOT");
        n++;
    }
    cr_expect_eq(n, 3);
    cJSON_Delete(root);
}

/* With 2 replications `served` is their mean, the buckets their sum: 2 x served. */
Test(report_hist, replications_are_summed)
{
    cJSON *root = run_json(QUICKSTART "--set replications=2 --format json");
    const cJSON *d;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(root, "deployments"))
        check(d, "latency_histogram", 2 * num(d, "served"), "latency_ms", 2);
    cJSON_Delete(root);
}

/* An LLM scenario: latency, TTFT and TPOT on every deployment and on a hybrid's
 * tiers. Every request of the trace has more than one output token, so TPOT counts
 * them all. */
Test(report_hist, llm_deployments_carry_ttft_and_tpot)
{
    cJSON *root =
        run_json("run scenarios/examples/llm-chat.yaml --set duration=20m --format json");
    const cJSON *d;
    int tiers = 0;
    cJSON_ArrayForEach(d, cJSON_GetObjectItem(root, "deployments"))
    {
        double n = num(d, "served");
        check(d, "latency_histogram", n, "latency_ms", 1);
        check(d, "ttft_histogram", n, "ttft_ms", 1);
        check(d, "tpot_histogram", n, "tpot_ms", 1);
        const cJSON *t;
        cJSON_ArrayForEach(t, cJSON_GetObjectItem(d, "tiers"))
        {
            check(t, "latency_histogram", num(t, "served"), "latency_ms", 1);
            check(t, "ttft_histogram", num(t, "served"), "ttft_ms", 1);
            tiers++;
        }
    }
    cr_expect_eq(tiers, 2, "the hybrid's base and overflow");
    cJSON_Delete(root);
}
