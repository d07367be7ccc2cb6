/* test_report.c - the report contract (docs/REPORT.md): every field present, formats
 * agreeing, replications reported with correct 95% intervals. */
#include <cjson/cJSON.h>
#include <gsl/gsl_cdf.h>
#include <math.h>

#include "helpers.h"
#include "slsim/report.h"
#include "slsim/summary.h"

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

static struct scenario *small(int replications)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "name: small\nduration: 2h\nwarmup: 10m\nseed: 4\nreplications: %d\n"
             "model: {size: 50MB, memory: 2GiB, service: {dist: lognormal, mean: 80ms, cv: 1}}\n"
             "workload: {arrival: poisson, rate: 3/s}\n"
             "deployments:\n"
             "  - {name: lam, platform: aws-lambda, keep_alive: 2m}\n"
             "  - {name: capped, platform: aws-lambda, reserved: 1, on_throttle: queue,"
             " max_wait: 100ms}\n"
             "slo: {latency_p95: 300ms}\n",
             replications);
    return load_yaml(yaml);
}

static double num(const cJSON *o, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = o;
    for (char *tok = strtok(buf, "."); tok; tok = strtok(NULL, ".")) {
        cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
        cr_assert(cur, "missing field %s", path);
    }
    cr_assert(cJSON_IsNumber(cur) || cJSON_IsBool(cur), "%s is not a number", path);
    return cJSON_IsBool(cur) ? cJSON_IsTrue(cur) : cur->valuedouble;
}

Test(report, json_has_every_contract_field_and_counts_add_up)
{
    static const char *const contract[] = {
        "requests", "served", "throttled", "dropped", "cold_starts", "cold_start_ratio",
        "latency_ms.mean", "latency_ms.std", "latency_ms.p50", "latency_ms.p90",
        "latency_ms.p95", "latency_ms.p99", "latency_ms.p999", "latency_ms.max",
        "instances.mean", "instances.peak", "utilization", "idle_instance_s", "slo_attainment",
        "cost_usd.total", "cost_usd.per_million_requests", "cost_usd.breakdown.requests",
        "cost_usd.breakdown.compute", "cost_usd.breakdown.provisioned",
        "cost_usd.breakdown.instances",
    };
    struct scenario *s = small(1);
    struct run_options opt = {.timeline_step_ns = 0, .jobs = 1};
    struct run_output out;
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0);
    char *text = render(s, &out, REPORT_JSON);
    cJSON *root = cJSON_Parse(text);
    cr_assert(root, "not JSON");
    cr_assert_str_eq(cJSON_GetObjectItem(root, "scenario")->valuestring, "small");
    cr_assert_float_eq(num(root, "seed"), 4, 0);
    cr_assert_float_eq(num(root, "simulated_s"), 7200, 0);
    cr_assert_float_eq(num(root, "replications"), 1, 0);
    const cJSON *deps = cJSON_GetObjectItem(root, "deployments");
    cr_assert_eq(cJSON_GetArraySize(deps), 2);
    for (int d = 0; d < 2; d++) {
        const cJSON *o = cJSON_GetArrayItem(deps, d);
        cr_assert_str_eq(cJSON_GetObjectItem(o, "type")->valuestring, "serverless");
        for (size_t i = 0; i < sizeof contract / sizeof contract[0]; i++)
            num(o, contract[i]);
        cr_assert_float_eq(num(o, "served") + num(o, "throttled") + num(o, "dropped"),
                           num(o, "requests"), 0);
        double parts = num(o, "cost_usd.breakdown.requests") + num(o, "cost_usd.breakdown.compute") +
                       num(o, "cost_usd.breakdown.provisioned") +
                       num(o, "cost_usd.breakdown.instances");
        cr_assert_float_eq(parts, num(o, "cost_usd.total"), 1e-12);
        cr_assert_gt(num(o, "cost_usd.total"), 0);
        cr_assert_leq(num(o, "latency_ms.p50"), num(o, "latency_ms.p99"));
        cr_assert_leq(num(o, "latency_ms.p99"), num(o, "latency_ms.max"));
    }
    /* The capped deployment drops (one instance, 3/s of 80 ms requests, 100 ms
     * patience) and so attains less of its SLO than the uncapped one. */
    const cJSON *lam = cJSON_GetArrayItem(deps, 0), *cap = cJSON_GetArrayItem(deps, 1);
    cr_assert_gt(num(cap, "dropped"), 0);
    cr_assert_lt(num(cap, "slo_attainment"), num(lam, "slo_attainment"));
    cJSON_Delete(root);
    free(text);
    run_output_free(&out);
    scenario_destroy(s);
}

Test(report, csv_rows_match_the_header_and_the_json_numbers)
{
    struct scenario *s = small(1);
    struct run_options opt = {.timeline_step_ns = 0, .jobs = 1};
    struct run_output out;
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0);
    char *csv = render(s, &out, REPORT_CSV);
    char *line2 = strchr(csv, '\n') + 1;
    size_t head_commas = 0, row_commas = 0;
    for (char *c = csv; c < line2; c++)
        head_commas += *c == ',';
    for (char *c = line2; *c && *c != '\n'; c++)
        row_commas += *c == ',';
    cr_assert_eq(head_commas, row_commas);
    cr_assert(strstr(csv, "latency_ms_p99"), "flat column names");
    cr_assert(strstr(csv, "cost_usd_breakdown_compute"));
    char want[64];
    snprintf(want, sizeof want, ",lam,,serverless,aws-lambda,");
    cr_assert(strstr(csv, want));
    snprintf(want, sizeof want, ",%llu,", (unsigned long long)out.results[0].requests);
    cr_assert(strstr(line2, want), "requests column");
    free(csv);
    run_output_free(&out);
    scenario_destroy(s);
}

Test(report, replications_report_means_with_student_t_intervals, .timeout = 60)
{
    /* Each field is the mean over replications, and its _ci95 sibling is
     * t(0.975, R-1) x sd / sqrt(R), computed here from the per-replication results. */
    int reps = 5;
    struct scenario *s = small(reps);
    struct run_options opt = {.timeline_step_ns = 0, .jobs = 2};
    struct run_output out;
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0);
    cr_assert_eq(out.replications, (uint32_t)reps);
    double x[5], sum = 0;
    for (int k = 0; k < reps; k++) {
        x[k] = (double)out.results[(size_t)k * 2].requests;
        sum += x[k];
    }
    double mean = sum / reps, ss = 0;
    for (int k = 0; k < reps; k++)
        ss += (x[k] - mean) * (x[k] - mean);
    double half = gsl_cdf_tdist_Pinv(0.975, reps - 1) * sqrt(ss / (reps - 1) / reps);
    cr_assert_gt(half, 0, "replications must differ");
    char *text = render(s, &out, REPORT_JSON);
    cJSON *root = cJSON_Parse(text);
    const cJSON *o = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "deployments"), 0);
    cr_assert_float_eq(num(o, "requests"), mean, 1e-9 * mean);
    cr_assert_float_eq(num(o, "requests_ci95"), half, 1e-9 * half);
    num(o, "latency_ms.p99_ci95");
    num(o, "cost_usd.total_ci95");
    cJSON_Delete(root);
    free(text);
    /* CSV has one row per deployment and replication, then a "mean" row per
     * deployment; every number has its _ci95 column (README: "every number gains a
     * _ci95 sibling"), empty on a replication's row, the half-width on the mean row. */
    char *csv = render(s, &out, REPORT_CSV);
    int rows = 0;
    for (char *c = csv; *c; c++)
        rows += *c == '\n';
    cr_assert_eq(rows, 1 + 2 * reps + 2);
    cr_assert(strstr(csv, ",requests,requests_ci95,served,served_ci95,"), "%.300s", csv);
    cr_assert(strstr(csv, ",latency_ms_p99,latency_ms_p99_ci95,"));
    cr_assert(strstr(csv, ",cost_usd_total,cost_usd_total_ci95,"));
    cr_assert(strstr(csv, ",coldstart_profile,coldstart_artifact,"), "text has no interval");
    char want[128];
    snprintf(want, sizeof want, ",mean,lam,,serverless,aws-lambda,2147.483648,%.10g,%.10g,", mean,
             half);
    cr_assert(strstr(csv, want), "want %s in\n%s", want, csv);
    snprintf(want, sizeof want, ",0,lam,,serverless,aws-lambda,2147.483648,%llu,,",
             (unsigned long long)out.results[0].requests);
    cr_assert(strstr(csv, want), "want %s in\n%s", want, csv);
    free(csv);
    run_output_free(&out);
    scenario_destroy(s);
}

Test(report, text_table_marks_the_cheapest_and_states_the_slo)
{
    struct scenario *s = small(1);
    struct run_options opt = {.timeline_step_ns = 0, .jobs = 1};
    struct run_output out;
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0);
    char *text = render(s, &out, REPORT_TEXT);
    cr_assert(strstr(text, "SLO: 95% of requests within 300ms"), "%s", text);
    /* The capped deployment drops requests and misses the SLO: the mark goes to lam
     * whatever the costs. */
    cr_assert(!out.results[1].slo_met);
    cr_assert(out.results[0].slo_met);
    /* The mark is in the second table, the one with the costs. */
    char *row = strstr(text, "\nlam ");
    cr_assert(row);
    row = strstr(row + 1, "\nlam ");
    cr_assert(row);
    char *eol = strchr(row + 1, '\n');
    *eol = '\0';
    cr_assert(strstr(row, " *"), "cheapest row lacks the mark: %s", row);
    free(text);
    char *md = render(s, &out, REPORT_MD);
    cr_assert(strstr(md, "| deployment | platform |"));
    cr_assert(strstr(md, "|---|---|"));
    free(md);
    run_output_free(&out);
    scenario_destroy(s);
}

/* One request in service at every instant of the measured period [10 s, 110 s):
 * constant arrivals each second, each served in exactly one second, on one
 * instance of `slots` slots that exists throughout. */
static void one_request_always_in_service(const char *deployment, double want_util)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "pricing: tests/data/pricing/test.yaml\nduration: 110s\nwarmup: 10s\n"
             "model: {service: 1s}\nworkload: {arrival: constant, rate: 1/s}\n"
             "deployments: [%s]\n",
             deployment);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    struct trial_record rec;
    trial_flatten(&r, &s->slo, &rec, NULL);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields_one(&rec, f);
    /* Instance-time 100 s, all of it with a request in service. */
    cr_assert_float_eq(r.instance_s, 100.0, 1e-9);
    cr_assert_float_eq(summary_field_value(f, n, "busy_fraction"), 1.0, 1e-9);
    /* Slot utilisation = busy slot-time / slot-time = 100 s / (100 s x slots). */
    cr_assert_float_eq(summary_field_value(f, n, "utilization"), want_util, 1e-9, "%s: %g",
                       deployment, summary_field_value(f, n, "utilization"));
    for (size_t i = 0; i < n; i++)
        cr_assert_str_neq(f[i].path, "slot_utilization", "utilization is the slot utilisation");
    result_free(&r);
    scenario_destroy(s);
}

Test(report, utilization_is_busy_slot_time_over_slot_time_on_a_fleet)
{
    /* A machine of 2 slots with one busy: utilization 0.5, busy_fraction 1. */
    one_request_always_in_service("{type: dedicated, instance: box, count: 1, slots: 2}", 0.5);
}

Test(report, utilization_is_busy_slot_time_over_slot_time_on_serverless)
{
    /* An instance serving up to 4 at once with one busy: utilization 0.25. */
    one_request_always_in_service(
        "{platform: busy-100ms, concurrency: 4, coldstart: none, keep_alive: 10m}", 0.25);
}

Test(report, utilization_of_a_hybrid_weighs_each_tiers_slots)
{
    /* Base: one machine of 2 slots takes every request (one at a time), so it is
     * at 0.5; the overflow never starts an instance. Total: 100 s busy slot-time
     * over 200 s of slot-time = 0.5. */
    one_request_always_in_service(
        "{type: hybrid, base: {instance: box, count: 1, slots: 2},"
        " overflow: {platform: busy-100ms, concurrency: 4}}",
        0.5);
}

/* ---- the cheapest mark: cheapest meeting the SLO, ties by p99, then name ---- */

/* A hand-made result: 100 requests, all served at latency_ms, `within` of them
 * within the SLO, costing cost_usd over one measured hour. */
static void fake(struct deployment_result *r, const char *name, double cost_usd,
                 double latency_ms, uint64_t within)
{
    result_init(r);
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->platform, sizeof r->platform, "aws-lambda");
    r->type = DEPLOYMENT_SERVERLESS;
    r->requests = r->served = 100;
    r->within_slo = within;
    for (int i = 0; i < 100; i++)
        histogram_record(&r->latency, (int64_t)(latency_ms * 1e6));
    r->cost.compute_usd = cost_usd;
    r->measured_s = 3600;
}

/* The name of the row the text table marks with " *", or "" when none. */
static void marked_row(const struct scenario *s, struct deployment_result *res, size_t n,
                       char *name, size_t len)
{
    struct run_output out;
    cr_assert_eq(run_output_from_results(&out, &s->slo, res, n, 1), 0);
    char *text = render(s, &out, REPORT_TEXT);
    run_output_free(&out);
    name[0] = '\0';
    for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        char *eol = strchr(line, '\n');
        size_t l = eol ? (size_t)(eol - line) : strlen(line);
        if (l > 2 && line[l - 1] == '*' && line[l - 2] == ' ') {
            snprintf(name, len, "%.*s", (int)strcspn(line, " "), line);
            break;
        }
    }
    cr_assert((name[0] != '\0') == (strstr(text, "no deployment meets the SLO") == NULL),
              "a mark, or the words that none meets the SLO: %s", text);
    free(text);
}

static struct scenario *two(const char *first, const char *second)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "duration: 2h\nwarmup: 1h\nmodel: {service: 100ms}\n"
             "workload: {arrival: poisson, rate: 1/s}\n"
             "deployments: [{name: %s, platform: aws-lambda}, {name: %s, platform: aws-lambda}]\n"
             "slo: {latency_p99: 500ms}\n",
             first, second);
    return load_yaml(yaml);
}

Test(report, cheapest_mark_skips_a_deployment_that_misses_the_slo)
{
    /* b costs $9 but serves only 50 of 100 within 500 ms (50% < 99%): it misses
     * the SLO, so the mark goes to a ($10, all within). */
    struct scenario *s = two("a", "b");
    struct deployment_result r[2];
    fake(&r[0], "a", 10.0, 100, 100);
    fake(&r[1], "b", 9.0, 100, 50);
    char name[64];
    marked_row(s, r, 2, name, sizeof name);
    cr_assert_str_eq(name, "a");
    result_free(&r[0]);
    result_free(&r[1]);
    scenario_destroy(s);
}

Test(report, cheapest_mark_ties_to_the_cent_go_to_the_lower_p99)
{
    /* $9.999 and $10.001 both print as $10.00: equal to the cent. b answers its
     * 99th percentile in 200 ms, a in 300 ms, so b is marked though listed second
     * and a fraction of a cent dearer. */
    struct scenario *s = two("a", "b");
    struct deployment_result r[2];
    fake(&r[0], "a", 9.999, 300, 100);
    fake(&r[1], "b", 10.001, 200, 100);
    char name[64];
    marked_row(s, r, 2, name, sizeof name);
    cr_assert_str_eq(name, "b");
    result_free(&r[0]);
    result_free(&r[1]);
    scenario_destroy(s);
}

Test(report, cheapest_mark_equal_cost_and_p99_goes_to_the_first_name)
{
    /* Same cost to the cent and the same p99: the name decides, alpha before zeta,
     * whatever the order of the scenario and the fraction of a cent. */
    struct scenario *s = two("zeta", "alpha");
    struct deployment_result r[2];
    fake(&r[0], "zeta", 9.996, 200, 100);
    fake(&r[1], "alpha", 10.004, 200, 100);
    char name[64];
    marked_row(s, r, 2, name, sizeof name);
    cr_assert_str_eq(name, "alpha");
    result_free(&r[0]);
    result_free(&r[1]);
    scenario_destroy(s);
}

Test(report, cheapest_mark_none_when_no_deployment_meets_the_slo)
{
    /* Both serve only 90 of 100 within 500 ms: no mark, and the text says why. */
    struct scenario *s = two("a", "b");
    struct deployment_result r[2];
    fake(&r[0], "a", 10.0, 100, 90);
    fake(&r[1], "b", 9.0, 100, 90);
    char name[64];
    marked_row(s, r, 2, name, sizeof name);
    cr_assert_str_eq(name, "");
    result_free(&r[0]);
    result_free(&r[1]);
    scenario_destroy(s);
}

Test(report, report_cheapest_rule)
{
    /* The rule itself: misses are never chosen; cents, then p99, then name. */
    struct summary_candidate c[] = {
        {"d", 1.00, 50, 0}, /* cheapest, misses */
        {"c", 2.004, 90, 1},
        {"b", 1.996, 80, 1}, /* 2.00 like c, lower p99 */
        {"a", 2.00, 80, 1},  /* 2.00, p99 like b, first name */
    };
    cr_assert_eq(summary_cheapest(c, 4), 3);
    cr_assert_eq(summary_cheapest(c, 3), 2);
    cr_assert_eq(summary_cheapest(c, 1), SUMMARY_NONE);
    cr_assert_eq(summary_cheapest(c, 0), SUMMARY_NONE);
}

/* ---- the pricing catalog named in every format ---- */

static void check_pricing(const struct scenario *s, const char *catalog, const char *as_of)
{
    struct run_options opt = {.timeline_step_ns = 0, .jobs = 1};
    struct run_output out;
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0);
    char *json = render(s, &out, REPORT_JSON);
    cJSON *root = cJSON_Parse(json);
    const cJSON *p = cJSON_GetObjectItem(root, "pricing");
    cr_assert(p, "%s", json);
    cr_assert_str_eq(cJSON_GetObjectItem(p, "catalog")->valuestring, catalog);
    cr_assert_str_eq(cJSON_GetObjectItem(p, "as_of")->valuestring, as_of);
    cJSON_Delete(root);
    free(json);
    char want[256];
    char *text = render(s, &out, REPORT_TEXT);
    if (strcmp(catalog, "built-in") == 0)
        snprintf(want, sizeof want, "\nprices: the built-in catalog as of %s\n", as_of);
    else
        snprintf(want, sizeof want, "\nprices: catalog %s as of %s\n", catalog, as_of);
    cr_assert(strstr(text, want), "%s", text);
    free(text);
    char *md = render(s, &out, REPORT_MD);
    cr_assert(strstr(md, want + 1), "%s", md);
    free(md);
    char *csv = render(s, &out, REPORT_CSV);
    cr_assert(strncmp(csv, "scenario,seed,pricing_catalog,pricing_as_of,", 44) == 0, "%s", csv);
    snprintf(want, sizeof want, ",%s,%s,0,", catalog, as_of);
    cr_assert(strstr(csv, want), "%s", csv);
    free(csv);
    run_output_free(&out);
}

Test(report, every_format_names_the_built_in_catalog_and_its_date)
{
    struct scenario *s = small(1);
    check_pricing(s, "built-in", "2026-11-27");
    scenario_destroy(s);
}

Test(report, every_format_names_a_catalog_file_as_the_scenario_wrote_it)
{
    /* The catalog sits beside the scenario and is found there, by a path the
     * scenario does not spell: reports still say "prices.yaml", as written. */
    char dir[] = "/tmp/slsim-pricing-XXXXXX";
    cr_assert(mkdtemp(dir));
    char cat[512], scen[512], cmd[1100];
    snprintf(cat, sizeof cat, "%s/prices.yaml", dir);
    snprintf(scen, sizeof scen, "%s/s.yaml", dir);
    snprintf(cmd, sizeof cmd, "cp tests/data/pricing/test.yaml %s", cat);
    cr_assert_eq(system(cmd), 0);
    FILE *f = fopen(scen, "w");
    fputs("name: p\npricing: prices.yaml\nduration: 10m\nmodel: {service: 100ms}\n"
          "workload: {arrival: poisson, rate: 1/s}\n"
          "deployments: [{name: a, platform: req-1ms}]\n",
          f);
    fclose(f);
    struct scenario *s = NULL;
    struct slsim_error err;
    cr_assert_eq(scenario_load(scen, NULL, 0, &s, &err), 0, "%s", err.message);
    check_pricing(s, "prices.yaml", "2026-11-27");
    scenario_destroy(s);
    unlink(cat);
    unlink(scen);
    rmdir(dir);
}

/* ---- the text table: the period the cost covers, cost per month, throughput,
 * latency spread ---- */

Test(report, text_table_names_the_cost_period_and_adds_month_throughput_std_and_p999)
{
    /* Measured period: 2 h less 1 h of warm-up = 1 h. 100 served in 3600 s is
     * 0.0278 req/s; $10 in that hour is $10 x 730 = $7300 a month. Latencies: 50 at
     * 100 ms and 50 at 300 ms: sample std = 100 x sqrt(100/99) = 100.5 ms -> "101",
     * and the 99.9th percentile (rank 100 of 100) is 300 ms. */
    struct scenario *s = two("a", "b");
    struct deployment_result r[2];
    fake(&r[0], "a", 10.0, 100, 100);
    histogram_reset(&r[0].latency);
    for (int i = 0; i < 50; i++) {
        histogram_record(&r[0].latency, 100000000);
        histogram_record(&r[0].latency, 300000000);
    }
    fake(&r[1], "b", 20.0, 100, 100);
    struct run_output out;
    cr_assert_eq(run_output_from_results(&out, &s->slo, r, 2, 1), 0);
    char *text = render(s, &out, REPORT_TEXT);
    cr_assert(strstr(text, "  req/s  ") && strstr(text, "  p99.9 ms  std ms\n"), "%s", text);
    cr_assert(strstr(text, "  USD in 1h  USD/month\n"), "the period in the heading: %s", text);
    cr_assert(strstr(text, "cost over the measured period (2h less 1h of warm-up)"), "%s", text);
    char *row = strstr(text, "\na ");
    cr_assert(row);
    char line[512];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(row + 1, "\n"), row + 1);
    cr_assert(strstr(line, " 0.0278 "), "throughput: %s", line);
    cr_assert(strstr(line, " 300  ") && strstr(line, " 101") && line[strlen(line) - 1] == '1',
              "p99.9 then std, last: %s", line);
    row = strstr(row + 1, "\na ");
    cr_assert(row, "a second table, again by deployment: %s", text);
    snprintf(line, sizeof line, "%.*s", (int)strcspn(row + 1, "\n"), row + 1);
    cr_assert(strstr(line, " 10.00  ") && strstr(line, " 7300.00 *"), "cost, month: %s", line);
    free(text);
    char *md = render(s, &out, REPORT_MD);
    cr_assert(strstr(md, "| p99.9 ms | std ms |") && strstr(md, "| USD in 1h | USD/month |") &&
                  strstr(md, "| 10.00 | 7300.00 * |"),
              "%s", md);
    free(md);
    run_output_free(&out);
    result_free(&r[0]);
    result_free(&r[1]);
    scenario_destroy(s);
}

/* ---- a hybrid's tiers in CSV and in the timeline ---- */

Test(report, hybrid_tiers_have_csv_rows_and_timeline_rows)
{
    /* The hybrid of the utilisation test: the base (one machine of 2 slots) serves
     * every request, the overflow none. CSV: the total, then a row per tier, named
     * in the tier column; the timeline the same, each 50 s interval of the base at
     * 1 busy machine. */
    struct scenario *s = load_yaml(
        "pricing: tests/data/pricing/test.yaml\nduration: 110s\nwarmup: 10s\n"
        "model: {service: 1s}\nworkload: {arrival: constant, rate: 1/s}\n"
        "deployments: [{name: h, type: hybrid, base: {instance: box, count: 1, slots: 2},"
        " overflow: {platform: busy-100ms, concurrency: 4}}]\n");
    struct run_options opt = {.timeline_step_ns = 50 * SIM_NS_PER_S, .jobs = 1};
    struct run_output out;
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0);
    char *csv = render(s, &out, REPORT_CSV);
    cr_assert(strstr(csv, ",replication,deployment,tier,type,platform,"), "%.200s", csv);
    cr_assert(strstr(csv, ",0,h,,hybrid,box+busy-100ms,"), "%s", csv);
    cr_assert(strstr(csv, ",0,h,base,dedicated,box,"), "%s", csv);
    cr_assert(strstr(csv, ",0,h,overflow,serverless,busy-100ms,"), "%s", csv);
    free(csv);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_eq(report_write(f, REPORT_TIMELINE, s, &out), 0);
    fclose(f);
    cr_assert(strncmp(buf, "deployment,tier,t_start_s,busy,", 31) == 0, "%s", buf);
    cr_assert(strstr(buf, "\nh,,10,1.000000,0.000000,0.000000,1.000000,50,"), "%s", buf);
    cr_assert(strstr(buf, "\nh,base,60,1.000000,0.000000,0.000000,1.000000,50,"), "%s", buf);
    cr_assert(strstr(buf, "\nh,overflow,10,0.000000,0.000000,0.000000,0.000000,0,"), "%s", buf);
    free(buf);
    run_output_free(&out);
    scenario_destroy(s);
}

/* ---- the header's service model is the one the run used ---- */

/* The first line of the text report of a one-deployment scenario (a hand-made
 * result: the header depends on the scenario only). */
static void header_of(const char *workload, char *line, size_t len)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "name: t\nduration: 10s\nmodel: {name: m, service: {dist: lognormal, mean: 120ms, "
             "cv: 0.5}}\nworkload: %s\ndeployments: [{name: a, platform: aws-lambda}]\n",
             workload);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r;
    fake(&r, "a", 1.0, 100, 100);
    struct run_output out;
    cr_assert_eq(run_output_from_results(&out, &s->slo, &r, 1, 1), 0);
    char *text = render(s, &out, REPORT_TEXT);
    snprintf(line, len, "%.*s", (int)strcspn(text, "\n"), text);
    free(text);
    run_output_free(&out);
    result_free(&r);
    scenario_destroy(s);
}

Test(report, header_names_a_csv_traces_durations_not_model_service)
{
    /* The trace's duration column replaces model.service: the header must not
     * claim a lognormal of mean 120 ms. */
    char line[512];
    header_of("{arrival: trace, trace: {format: csv, path: tests/data/traces/events/csv_seconds.csv,"
              " columns: {time: ts, function: fn, duration: dur_ms}, duration_unit: 1ms}}",
              line, sizeof line);
    cr_assert(strstr(line, "t: m (0B, service from the trace's durations (column dur_ms)) under "
                           "the csv trace csv_seconds.csv"),
              "%s", line);
    cr_assert(!strstr(line, "lognormal"), "%s", line);
}

Test(report, the_retired_llm_token_model_never_reaches_a_header)
{
    /* The header once named the token model {base, prefill, decode}; the formula is
     * retired, so a scenario with it does not load: it is an error at the key. */
    struct slsim_error err = load_yaml_error(
        "name: t\nduration: 10s\nmodel: {name: m, service: 120ms}\n"
        "workload: {arrival: trace, trace: {format: azure-llm, path: "
        "traces/azure-llm/AzureLLMInferenceTrace_conv.csv, tokens: {base: 40ms, prefill: "
        "0.12ms, decode: 22ms}}}\ndeployments: [{name: a, platform: aws-lambda}]\n");
    cr_assert_str_eq(err.key, "workload.trace.tokens");
    cr_assert_eq(err.line, 4);
    cr_assert(strstr(err.message, "retired"), "%s", err.message);
}

Test(report, header_keeps_model_service_for_an_llm_trace_without_tokens)
{
    /* The reader gives tokens and no durations: every request takes model.service,
     * and the header says so. */
    char line[512];
    header_of("{arrival: trace, trace: {format: azure-llm, path: "
              "traces/azure-llm/AzureLLMInferenceTrace_conv.csv}}",
              line, sizeof line);
    cr_assert(strstr(line, "(0B, lognormal service, mean 120ms) under the azure-llm trace"),
              "%s", line);
    cr_assert(!strstr(line, "token-model"), "%s", line);
}

Test(report, header_keeps_model_service_when_the_trace_gives_only_arrivals)
{
    /* service: model: every request takes model.service, and the header says so. */
    char line[512];
    header_of("{arrival: trace, trace: {format: csv, path: tests/data/traces/events/csv_seconds.csv,"
              " columns: {time: ts, function: fn, duration: dur_ms}, duration_unit: 1ms,"
              " service: model}}",
              line, sizeof line);
    cr_assert(strstr(line, "(0B, lognormal service, mean 120ms) under"), "%s", line);
}

Test(report, header_names_azure2019_duration_percentiles)
{
    /* Functions with percentiles in durations.csv draw from them; the rest take
     * model.service, and the header says both. */
    char line[512];
    header_of("{arrival: trace, trace: {format: azure2019, path: "
              "traces/azure2019/invocations.csv, durations: traces/azure2019/durations.csv}}",
              line, sizeof line);
    cr_assert(strstr(line, "(0B, service drawn from per-function duration percentiles in "
                           "durations.csv; lognormal service, mean 120ms, for functions without)"),
              "%s", line);
}
