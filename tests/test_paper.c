/* test_paper.c - `slsim paper`: values known by hand, the verdict rules (15% relative,
 * inside a range, the prediction interval of one run), every claim ID of the two
 * bundled papers with a verdict, SimFaaS's example within its own sampling noise, bad
 * claims files at their line and key, and an installed layout found from the binary.
 *
 * tests/data/paper/hand/ is a paper whose values follow by hand: one dedicated slot,
 * one request a second of constant work, 200 ms (run `fast`) or 300 ms (`slow`), so
 * every latency is the service time in every replication. */
#include "cli_helpers.h"
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define HAND "--papers tests/data/paper hand"

TestSuite(paper, .fini = remove_made_dir);

/* The test's temporary folder (cli_helpers.h's, removed after the test). */
static const char *paper_dir(void)
{
    char *dir = made_dir_slot();
    if (!dir[0]) {
        char t[] = "/tmp/slsim-paper-XXXXXX";
        make_dir(t);
    }
    return dir;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    cr_assert(fp, "cannot write %s", path);
    fputs(text, fp);
    cr_assert_eq(fclose(fp), 0);
}

static cJSON *json_of(const char *args, int want)
{
    struct outcome o = run(args);
    cr_assert_eq(o.status, want, "slsim %s: status %d, want %d\n%s", args, o.status, want,
                 o.err);
    cJSON *j = cJSON_Parse(o.out);
    cr_assert(j, "slsim %s: not JSON:\n%.400s", args, o.out);
    outcome_free(&o);
    return j;
}

static const cJSON *claim(const cJSON *root, const char *id)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "claims")) {
        if (strcmp(cJSON_GetObjectItem(c, "id")->valuestring, id) == 0)
            return c;
    }
    cr_assert_fail("no claim %s", id);
    return NULL;
}

static const cJSON *row(const cJSON *root, const char *id, int k)
{
    const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(claim(root, id), "rows"), k);
    cr_assert(r, "%s has no row %d", id, k);
    return r;
}

static double num(const cJSON *o, const char *key)
{
    const cJSON *x = cJSON_GetObjectItem(o, key);
    cr_assert(cJSON_IsNumber(x), "no number %s", key);
    return x->valuedouble;
}

static const char *verdict(const cJSON *r)
{
    return cJSON_GetObjectItem(r, "verdict")->valuestring;
}

/* Each operation against its formula, with constant latencies a = 300 ms (slow) and
 * b = 200 ms (fast): ratio a/b = 1.5; change (a/b - 1) x 100 = 50; reduction of b
 * against a (1 - b/a) x 100 = 33.33; sum a + 0.5 b = 400; product a x 0.1 b = 6000.
 * Verdicts: |slsim - paper| / |paper| <= 15%: 200 against 210 is 4.76% (reproduced),
 * 33.33 against 40 is 16.7% (differs), 6000 against 7000 is 14.3% (reproduced); 400
 * against the range [400, 600] is inside: 0; (1 - b / 400) x 100 = 50. Constant work: the interval is 0. */
Test(paper, values_by_hand)
{
    cJSON *j = json_of("paper " HAND " --format json", 0);
    cr_assert_float_eq(num(row(j, "H-field", 0), "slsim"), 200, 1e-9);
    cr_assert_float_eq(num(row(j, "H-field", 0), "ci95"), 0, 1e-12);
    cr_assert_float_eq(num(row(j, "H-field", 0), "relative_difference"), 10.0 / 210, 1e-12);
    cr_assert_str_eq(verdict(row(j, "H-field", 0)), "reproduced");
    cr_assert_float_eq(num(row(j, "H-ops", 0), "slsim"), 1.5, 1e-12);
    cr_assert_float_eq(num(row(j, "H-ops", 1), "slsim"), 50, 1e-9);
    cr_assert_float_eq(num(row(j, "H-ops", 2), "slsim"), 100.0 / 3, 1e-9);
    cr_assert_float_eq(num(row(j, "H-ops", 2), "relative_difference"), (40 - 100.0 / 3) / 40,
                       1e-12);
    cr_assert_str_eq(verdict(row(j, "H-ops", 2)), "differs");
    cr_assert_str_eq(cJSON_GetObjectItem(row(j, "H-ops", 2), "explanation")->valuestring,
                     "33.3% is 16.7% below 40%");
    cr_assert_float_eq(num(row(j, "H-ops", 3), "slsim"), 400, 1e-9);
    cr_assert_float_eq(num(row(j, "H-ops", 3), "relative_difference"), 0, 1e-12);
    cr_assert_str_eq(verdict(row(j, "H-ops", 3)), "reproduced");
    cr_assert_float_eq(num(row(j, "H-ops", 4), "slsim"), 6000, 1e-6);
    cr_assert_str_eq(verdict(row(j, "H-ops", 4)), "reproduced");
    /* a constant: (1 - 200 / 400) x 100 = 50 */
    cr_assert_float_eq(num(row(j, "H-ops", 5), "slsim"), 50, 1e-9);
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(row(j, "H-ops", 6), "slsim")));
    cr_assert_str_eq(verdict(row(j, "H-ops", 6)), "not a simulation output");
    cr_assert_str_eq(verdict(row(j, "H-survey", 0)), "not a simulation output");
    /* across: the latency is the work, 100 ms and 400 ms. */
    const cJSON *a = cJSON_GetObjectItem(row(j, "H-across", 0), "across");
    cr_assert_eq(cJSON_GetArraySize(a), 2);
    cr_assert_float_eq(num(cJSON_GetArrayItem(a, 0), "slsim"), 100, 1e-9);
    cr_assert_float_eq(num(cJSON_GetArrayItem(a, 1), "slsim"), 400, 1e-9);
    const cJSON *t = cJSON_GetObjectItem(j, "totals");
    cr_assert_eq(num(t, "reproduced"), 7);
    cr_assert_eq(num(t, "differs"), 1);
    cr_assert_eq(num(t, "not a simulation output"), 2);
    cJSON_Delete(j);
}

/* --claims picks claims; the text, Markdown and CSV carry the same verdicts. */
Test(paper, formats_and_selection)
{
    cJSON *j = json_of("paper " HAND " --claims H-field,H-survey --format json", 0);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "claims")), 2);
    cJSON_Delete(j);
    struct outcome o = run("paper " HAND " --format csv");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "id,part,where,paper_text,paper_low,paper_high,unit,slsim,ci95,"
                            "relative_difference,verdict,scenario,note\n"));
    cr_assert(strstr(o.out, "H-ops,reduction,here,40%,40,40,%,33.33333333,0,0.1666666667,differs,"
                            "steady.yaml,33.3% is 16.7% below 40%\n"),
              "%s", o.out);
    outcome_free(&o);
    o = run("paper " HAND " --format md");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "| H-ops | the seven operations | ratio | 1.5 x | 1.50 ± 0.00x | 0.0% | "
                            "reproduced |  |\n"),
              "%s", o.out);
    cr_assert(strstr(o.out, "|  |  | reduction | 40% | 33.3 ± 0.0% | 16.7% | differs | 33.3% is "
                            "16.7% below 40% |\n"),
              "%s", o.out);
    outcome_free(&o);
    o = run("paper " HAND);
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "reproduced 7, differs 1, input 0, not a simulation output 2, "
                            "not reproducible 0\n"),
              "%s", o.out);
    cr_assert(strstr(o.out, "across model.service.value: 100ms -> 100 +- 0 ms, 400ms -> 400 +- 0 ms\n"),
              "%s", o.out);
    outcome_free(&o);
}

/* --out writes the report whole, refuses an existing file without --force, and
 * replaces it with --force; standard output stays empty. */
Test(paper, out_file)
{
    const char *dir = paper_dir();
    char cmd[512], path[256];
    snprintf(path, sizeof path, "%s/claims.json", dir);
    snprintf(cmd, sizeof cmd, "paper " HAND " --claims H-field --format json --out %s", path);
    struct outcome o = run(cmd);
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert_str_eq(o.out, "");
    outcome_free(&o);
    char *text = slurp(path);
    cJSON *j = cJSON_Parse(text);
    cr_assert(j, "not JSON: %.200s", text);
    cr_assert_float_eq(num(row(j, "H-field", 0), "slsim"), 200, 1e-9);
    cJSON_Delete(j);
    free(text);
    o = run(cmd);
    cr_assert_eq(o.status, 2, "an existing --out is refused: %d", o.status);
    cr_assert(strstr(o.err, "--force"), "%s", o.err);
    outcome_free(&o);
    snprintf(cmd, sizeof cmd, "paper " HAND " --claims H-survey --format csv --out %s --force",
             path);
    o = run(cmd);
    cr_assert_eq(o.status, 0, "%s", o.err);
    outcome_free(&o);
    text = slurp(path);
    cr_assert(strncmp(text, "id,part,", 8) == 0, "%.100s", text);
    free(text);
}

/* The prediction interval of one run: reproduced when |paper - mean| <= t(0.975, n-1)
 * s sqrt(1 + 1/n). s is read back from `slsim run`'s interval of the same field over
 * the same replications (ci95 = t s / sqrt(n)); a paper value at 0.9 of the half-width
 * from the mean is reproduced, at 1.1 it is not, though both are within 15%. */
Test(paper, prediction_interval)
{
    const char *dir = paper_dir();
    char path[256], cmd[512];
    snprintf(path, sizeof path, "%s/noisy", dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    snprintf(path, sizeof path, "%s/noisy/poisson.yaml", dir);
    write_file(path, "name: noisy\nseed: 9\nduration: 2000s\nmodel: {name: m, memory: 1GiB,"
                     " service: {dist: exponential, mean: 500ms}}\n"
                     "workload: {arrival: poisson, rate: 1/s}\n"
                     "deployments: [{name: vm, type: dedicated, instance: c6i.xlarge, count: 2,"
                     " slots: 1}]\nreplications: 5\n");
    snprintf(cmd, sizeof cmd, "run %s --format json", path);
    cJSON *r = json_of(cmd, 0);
    const cJSON *d = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "deployments"), 0);
    const cJSON *lat = cJSON_GetObjectItem(d, "latency_ms");
    double mean = num(lat, "mean"), ci = num(lat, "mean_ci95");
    cJSON_Delete(r);
    double t = gsl_cdf_tdist_Pinv(0.975, 4);
    double s = ci * sqrt(5.0) / t, half = t * s * sqrt(1 + 1.0 / 5);
    cr_assert(half > 0 && half < 0.15 * mean, "a narrow interval: half %g, mean %g", half, mean);
    char claims[2048];
    snprintf(claims, sizeof claims,
             "title: noisy\ncite: test\nreplications: 5\n"
             "runs: [{name: p, scenario: poisson.yaml}]\nclaims:\n"
             "  - {id: IN, where: x, claim: inside, run: p, tolerance: prediction, paper: %.17g,"
             " value: {deployment: vm, field: latency_ms.mean}}\n"
             "  - {id: OUT, where: x, claim: outside, run: p, tolerance: prediction, paper: %.17g,"
             " value: {deployment: vm, field: latency_ms.mean}, explain: noise}\n"
             "  - {id: REL, where: x, claim: relative, run: p, paper: %.17g,"
             " value: {deployment: vm, field: latency_ms.mean}}\n",
             mean + 0.9 * half, mean - 1.1 * half, mean - 1.1 * half);
    snprintf(path, sizeof path, "%s/noisy/claims.yaml", dir);
    write_file(path, claims);
    snprintf(cmd, sizeof cmd, "paper --papers %s noisy --format json", dir);
    cJSON *j = json_of(cmd, 0);
    cr_assert_float_eq(num(row(j, "IN", 0), "slsim"), mean, 1e-9 * mean);
    cr_assert_float_eq(num(row(j, "IN", 0), "ci95"), ci, 1e-9 * mean);
    cr_assert_str_eq(verdict(row(j, "IN", 0)), "reproduced");
    cr_assert_str_eq(verdict(row(j, "OUT", 0)), "differs");
    cr_assert_str_eq(verdict(row(j, "REL", 0)), "reproduced");
    cJSON_Delete(j);
}

/* Every ID of the seed paper's CLAIMS list has a verdict, and every simulated row a
 * value; the JSON's simulated rows come from scenario files that exist. */
Test(paper, boorugula2025_lists_every_claim, .timeout = 600)
{
    static const char *const ids[] = {
        "T1",      "T2",       "T3-2023",   "T3-2019",  "T3-imp",    "T4-hyb",   "T4-opt",
        "T4-prov", "T4-cost",  "T4-phase",  "T4-adopt", "S2-cold",   "S2-prov",  "S2-gpu",
        "S3-std",  "S3-spikes", "S3-size",  "S3-pc",    "S3-thr",    "S3-agg",   "S3-spike8",
        "S3-6h",   "S3-35",    "S3-75",     "S3-util",  "S3-overprov", "S3-scale", "S4-tier",
        "S4-quant", "S4-distil", "S4-part", "S4-p95",   "S4-res",    "S4-warm",  "S4-timeout",
        "S4-memory", "S4-region"};
    cJSON *j = json_of("paper boorugula2025 --format json --quiet", 0);
    const cJSON *claims = cJSON_GetObjectItem(j, "claims");
    cr_assert_eq(cJSON_GetArraySize(claims), (int)(sizeof ids / sizeof ids[0]),
                 "claims: %d", cJSON_GetArraySize(claims));
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const cJSON *c = claim(j, ids[i]);
        const cJSON *r;
        cJSON_ArrayForEach(r, cJSON_GetObjectItem(c, "rows")) {
            const char *v = verdict(r);
            cr_assert(strlen(v) > 0);
            const char *kind = cJSON_GetObjectItem(r, "kind")->valuestring;
            if (strcmp(kind, "simulated") == 0) {
                cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(r, "slsim")), "%s has no value",
                          ids[i]);
                cr_assert(strcmp(v, "reproduced") == 0 || strcmp(v, "differs") == 0);
                if (strcmp(v, "differs") == 0)
                    cr_assert(cJSON_IsString(cJSON_GetObjectItem(r, "explanation")) &&
                                  strcmp(cJSON_GetObjectItem(r, "explanation")->valuestring,
                                         "(no explanation given)") != 0,
                              "%s differs without an explanation", ids[i]);
            } else {
                cr_assert(cJSON_IsString(cJSON_GetObjectItem(r, "explanation")),
                          "%s: %s without a reason", ids[i], v);
            }
        }
    }
    cJSON_Delete(j);
}

/* SimFaaS's example: every value inside the 95% prediction interval of one 1e6 s run
 * (its own sampling noise, estimated from slsim's replications). */
Test(paper, simfaas_within_its_noise, .timeout = 300)
{
    cJSON *j = json_of("paper simfaas --format json --quiet", 0);
    static const char *const ids[] = {"SF-cold", "SF-servers", "SF-running", "SF-idle",
                                      "SF-life"};
    for (size_t i = 0; i < 5; i++) {
        const cJSON *r = row(j, ids[i], 0);
        cr_assert_str_eq(cJSON_GetObjectItem(claim(j, ids[i]), "tolerance")->valuestring,
                         "prediction");
        cr_assert_str_eq(verdict(r), "reproduced", "%s: %g against %g", ids[i],
                         num(r, "slsim"), num(r, "paper"));
    }
    cJSON_Delete(j);
}

/* `slsim paper list` names the bundled papers; an installed layout (bin/slsim beside
 * share/slsim/paper) is found from the binary, wherever it is run from. */
Test(paper, list_and_installed_layout)
{
    struct outcome o = run("paper list");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "boorugula2025"), "%s", o.out);
    cr_assert(strstr(o.out, "simfaas"), "%s", o.out);
    outcome_free(&o);
    const char *dir = paper_dir();
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s/bin %s/share/slsim && cp %s %s/bin/slsim && "
             "cp -r tests/data/paper %s/share/slsim/paper && cd / && %s/bin/slsim paper list",
             dir, dir, slsim(), dir, dir, dir);
    o = run_shell(cmd);
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "hand") && !strstr(o.out, "boorugula2025"), "%s", o.out);
    outcome_free(&o);
}

/* A bad claims file: one message at its file, line, column and key; exit 2; nothing on
 * standard output. */
static void refused(const char *claims_text, const char *args, const char *want)
{
    const char *dir = paper_dir();
    char path[256], cmd[512];
    snprintf(path, sizeof path, "%s/bad", dir);
    mkdir(path, 0755);
    snprintf(cmd, sizeof cmd, "cp tests/data/paper/hand/steady.yaml %s/bad/", dir);
    cr_assert_eq(system(cmd), 0);
    snprintf(path, sizeof path, "%s/bad/claims.yaml", dir);
    write_file(path, claims_text);
    snprintf(cmd, sizeof cmd, "paper --papers %s bad %s", dir, args);
    struct outcome o = run(cmd);
    cr_assert_eq(o.status, 2, "status %d: %s", o.status, o.err);
    cr_assert_str_eq(o.out, "");
    cr_assert(strstr(o.err, want), "want \"%s\" in:\n%s", want, o.err);
    outcome_free(&o);
}

#define HEAD "title: t\ncite: c\nruns: [{name: r, scenario: steady.yaml}]\nclaims:\n"

Test(paper, bad_claims)
{
    refused(HEAD "  - {id: A, where: w, claim: c, run: r, paper: 1,\n"
                 "     value: {deployment: vm, field: latency_ms.p98}}\n",
            "", "claims.yaml:6:13: claims[1].value: no report field \"latency_ms.p98\"");
    refused(HEAD "  - {id: A, where: w, claim: c, run: r, paper: 1,\n"
                 "     value: {deployment: lambda, field: latency_ms.p99}}\n",
            "", "claims.yaml:6:13: claims[1].value: steady.yaml has no deployment \"lambda\" "
                "(it has vm)");
    refused(HEAD "  - {id: A, where: w, claim: c, run: r, paper: 1,\n"
                 "     value: {deployment: vm, field: cost_usd.totl}}\n",
            "", "no report field \"cost_usd.totl\"; did you mean \"cost_usd.total\"?");
    refused(HEAD "  - {id: A, where: w, claim: c, run: r, paper: 1,\n"
                 "     value: {ratoi: [{constant: 1}, {constant: 2}]}}\n",
            "", "claims[1].value.ratoi: unknown operation \"ratoi\"; did you mean \"ratio\"?");
    refused(HEAD "  - {id: A, where: w, claim: c, run: nope, paper: 1,\n"
                 "     value: {deployment: vm, field: latency_ms.p99}}\n",
            "", "claims[1].run: no run named \"nope\"");
    refused(HEAD "  - {id: A, where: w, claim: c, verdict: input}\n", "",
            "claims[1].why: missing required key \"why\"");
    refused(HEAD "  - {id: A, where: w, claim: c, verdict: maybe, why: x}\n", "",
            "claims[1].verdict");
    refused(HEAD "  - {id: A, where: w, claim: c, verdict: input, why: x, paper_text: p}\n"
                 "  - {id: A, where: w, claim: c, verdict: input, why: x, paper_text: p}\n",
            "", "claims[2]: a second claim with ID A");
    refused(HEAD "  - {id: A, where: w, claim: c, run: r, paper: 1, valeu: 2}\n", "",
            "did you mean \"value\"");
    refused(HEAD "  - {id: A, where: w, claim: c, run: r, paper: [3, 1],\n"
                 "     value: {deployment: vm, field: latency_ms.p99}}\n",
            "", "claims[1].paper: a range's LOW must be below its HIGH");
    refused(HEAD "  - {id: A, where: w, claim: c, verdict: input, why: x, paper_text: p}\n",
            "--claims A,B", "bad has no claim B (it has A)");
    refused(HEAD "  - {id: A, where: w, claim: c, verdict: input, why: x, paper_text: p}\n",
            "--format timeline", "unknown --format timeline");
    refused("title: t\ncite: c\nruns: [{name: r, scenario: missing.yaml}]\nclaims: []\n", "",
            "runs[1].scenario: no scenario file");
}
