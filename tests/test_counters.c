/* test_counters.c - the counters of a run, worked out by hand for small deterministic
 * scenarios: requests, served, cold starts, warming pings and instance starts. A
 * timeline or a bill can be right while a headline count is wrong, so each count is
 * checked on its own, in the result and in the JSON report. */
#include <cjson/cJSON.h>
#include <math.h>

#include "helpers.h"
#include "slsim/report.h"

#define PRICING "pricing: tests/data/pricing/test.yaml\n"
#define MS 1000000LL

/* One hour; a request every 10 minutes (at 10, 20, 30, 40 and 50 min: a constant
 * pattern's first instant is 1 / rate, and an arrival at the end is not made), each
 * 100 ms of work; a constant 1 s cold start; the test catalog's req-1ms platform
 * (request billing, 1 ms rounding, init billed, $0.000001 a request, $0.00001 a
 * GiB-s). Warming pings every 7 minutes (at 0, 7, ..., 56 min: 9 rounds) never
 * meet a request (no multiple of 7 below 60 is a multiple of 10). */
#define HOUR_OF_REQUESTS                                                                           \
    PRICING "duration: 1h\n"                                                                       \
            "model: {service: 100ms}\n"                                                            \
            "workload: {arrival: constant, rate: 6/h}\n"

static struct deployment_result run_steps(const struct scenario *s, size_t d, sim_time step)
{
    struct deployment_result r;
    struct slsim_error err;
    cr_assert_eq(run_deployment(s, d, 0, step, &r, &err), 0, "%s", err.message);
    return r;
}

static uint64_t timeline_starts(const struct deployment_result *r)
{
    uint64_t n = 0;
    for (size_t k = 0; k < r->n_timeline; k++)
        n += r->timeline[k].cold_starts;
    return n;
}

Test(counters, warming_pings_are_not_requests_and_not_cold_starts)
{
    /* Rule: a warming ping is billed (under cost.warming) but is not a request: it
     * adds nothing to requests, served, cold_starts or the latency, even when it is
     * the ping that starts an instance. cold_starts counts instances started for
     * measured requests (docs/REPORT.md).
     *
     * "warmed", keep-alive 8 min > the 7 min between pings: the ping at 0 starts the
     * only instance (ready at 1 s); every later ping and request finds it idle, as
     * no idle gap reaches 8 min. By hand: 5 requests, 5 served, 0 cold starts,
     * every latency 100 ms, 9 pings, 1 instance start (the timeline's count,
     * which counts every start). Warming bill: 9 fees + (9 x 10 ms + the 1 s init
     * billed with the first ping) x 1 GiB x $0.00001.
     *
     * "cold", the same without pings: each request comes 10 min after the last
     * went idle, past the keep-alive: 5 cold starts, every latency 1.1 s. */
    struct scenario *s =
        load_yaml(HOUR_OF_REQUESTS "deployments:\n"
                                   "  - {name: warmed, platform: req-1ms, memory: 1GiB,"
                                   " keep_alive: 8m, coldstart: {dist: constant, value: 1s},"
                                   " warming: {every: 7m, instances: 1, ping: 10ms}}\n"
                                   "  - {name: cold, platform: req-1ms, memory: 1GiB,"
                                   " keep_alive: 8m, coldstart: {dist: constant, value: 1s}}\n");
    struct deployment_result w = run_steps(s, 0, 10 * 60 * SIM_NS_PER_S);
    cr_assert_eq(w.requests, 5);
    cr_assert_eq(w.served, 5);
    cr_assert_eq(w.warming_pings, 9);
    cr_assert_eq(w.cold_starts, 0, "warmed: %llu cold starts, want 0 (pings are not requests)",
                 (unsigned long long)w.cold_starts);
    cr_assert_eq(w.fn_cold_starts[0], 0);
    cr_assert_eq(w.fn_served[0], 5);
    cr_assert_float_eq(w.coldstart_s, 0.0, 0);
    cr_assert_eq(w.prewarms, 0);
    cr_assert_eq(w.latency.count, 5);
    cr_assert_eq(w.latency.min_ns, 100 * MS);
    cr_assert_eq(w.latency.max_ns, 100 * MS);
    cr_assert_eq(timeline_starts(&w), 1);
    cr_assert_eq(w.instances_peak, 1);
    cr_assert_float_eq(w.cost.warming_usd, 9 * 0.000001 + (9 * 0.010 + 1.0) * 0.00001, 1e-15);
    cr_assert_float_eq(w.cost.requests_usd, 5 * 0.000001, 1e-15);
    cr_assert_float_eq(w.cost.compute_usd, 5 * 0.100 * 0.00001, 1e-15);

    struct deployment_result c = run_steps(s, 1, 10 * 60 * SIM_NS_PER_S);
    cr_assert_eq(c.requests, 5);
    cr_assert_eq(c.warming_pings, 0);
    cr_assert_eq(c.cold_starts, 5);
    cr_assert_eq(c.fn_cold_starts[0], 5);
    cr_assert_eq(c.latency.min_ns, 1100 * MS);
    cr_assert_eq(c.latency.max_ns, 1100 * MS);
    cr_assert_eq(timeline_starts(&c), 5);
    cr_assert_float_eq(c.coldstart_s, 5.0, 1e-12);
    result_free(&w);
    result_free(&c);
    scenario_destroy(s);
}

Test(counters, pings_rarer_than_the_keep_alive_start_instances_that_are_not_cold_starts)
{
    /* Keep-alive 5 min, pings every 7 min: a ping often finds no instance and
     * starts one. By hand (cold start 1 s, ping 10 ms, request 100 ms; an instance
     * idle from t expires at t + 5 min and is gone for anything at or after that):
     *    0:00 ping   starts A (the only instance), idle from 0:01.01, gone 5:01.01
     *    7:00 ping   starts B, idle from 7:01.01, expires 12:01.01
     *   10:00 req    B, warm (expires 15:00.1)      14:00 ping B (expires 19:00.01)
     *   20:00 req    B gone: starts C, latency 1.1 s (expires 25:01.1)
     *   21:00 ping   C (expires 26:00.01)
     *   28:00 ping   C gone: starts D (expires 33:01.01)
     *   30:00 req    D, warm (expires 35:00.1)      35:00 ping D (expires 40:00.01)
     *   40:00 req    D, warm (expires 45:00.1)      42:00 ping D (expires 47:00.01)
     *   49:00 ping   D gone: starts E (expires 54:01.01)
     *   50:00 req    E, warm (expires 55:00.1)
     *   56:00 ping   E gone: starts F
     * Requests: 5, one cold start (20:00), latencies 4 x 100 ms and 1.1 s. Pings:
     * 9, of which 5 started an instance (0, 7, 28, 49, 56 min): 6 instance starts in
     * the timeline, 6 inits billed: 5 with the pings that made them (warming bill),
     * 1 with the request (compute bill). */
    struct scenario *s =
        load_yaml(HOUR_OF_REQUESTS "deployments:\n"
                                   "  - {name: sparse, platform: req-1ms, memory: 1GiB,"
                                   " keep_alive: 5m, coldstart: {dist: constant, value: 1s},"
                                   " warming: {every: 7m, instances: 1, ping: 10ms}}\n");
    struct deployment_result r = run_steps(s, 0, 10 * 60 * SIM_NS_PER_S);
    cr_assert_eq(r.requests, 5);
    cr_assert_eq(r.served, 5);
    cr_assert_eq(r.warming_pings, 9);
    cr_assert_eq(r.cold_starts, 1, "%llu cold starts, want 1 (the request at 20 min)",
                 (unsigned long long)r.cold_starts);
    cr_assert_eq(r.fn_cold_starts[0], 1);
    cr_assert_float_eq(r.coldstart_s, 1.0, 1e-12);
    cr_assert_float_eq(result_cold_start_ratio(&r), 0.2, 1e-12);
    cr_assert_eq(timeline_starts(&r), 6);
    cr_assert_eq(r.timeline[2].cold_starts, 2); /* 20:00 request, 28:00 ping */
    cr_assert_eq(r.latency.min_ns, 100 * MS);
    cr_assert_eq(r.latency.max_ns, 1100 * MS);
    cr_assert_float_eq(r.latency.mean_ns, (4 * 100 + 1100) / 5.0 * MS, 1.0);
    cr_assert_float_eq(r.cost.warming_usd, 9 * 0.000001 + (9 * 0.010 + 5 * 1.0) * 0.00001, 1e-15);
    cr_assert_float_eq(r.cost.compute_usd, (4 * 0.100 + 1.100) * 0.00001, 1e-15);
    result_free(&r);
    scenario_destroy(s);
}

static double field(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    cr_assert(cJSON_IsNumber(v), "missing field %s", name);
    return v->valuedouble;
}

Test(counters, json_report_counts_pings_apart_from_requests_and_cold_starts)
{
    /* The same two deployments as above, through the report: the counts land in
     * the JSON fields of docs/REPORT.md unchanged. */
    struct scenario *s =
        load_yaml(HOUR_OF_REQUESTS "deployments:\n"
                                   "  - {name: warmed, platform: req-1ms, memory: 1GiB,"
                                   " keep_alive: 8m, coldstart: {dist: constant, value: 1s},"
                                   " warming: {every: 7m, instances: 1, ping: 10ms}}\n"
                                   "  - {name: sparse, platform: req-1ms, memory: 1GiB,"
                                   " keep_alive: 5m, coldstart: {dist: constant, value: 1s},"
                                   " warming: {every: 7m, instances: 1, ping: 10ms}}\n");
    struct run_options opt = {.timeline_step_ns = 0, .jobs = 1};
    struct run_output out;
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0, "%s", err.message);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_eq(report_write(f, REPORT_JSON, s, &out), 0);
    fclose(f);
    cJSON *root = cJSON_Parse(text);
    cr_assert(root, "not JSON");
    const cJSON *deps = cJSON_GetObjectItem(root, "deployments");
    const cJSON *w = cJSON_GetArrayItem(deps, 0), *sp = cJSON_GetArrayItem(deps, 1);
    cr_assert_float_eq(field(w, "requests"), 5, 0);
    cr_assert_float_eq(field(w, "served"), 5, 0);
    cr_assert_float_eq(field(w, "warming_pings"), 9, 0);
    cr_assert_float_eq(field(w, "cold_starts"), 0, 0);
    cr_assert_float_eq(field(w, "cold_start_ratio"), 0, 0);
    cr_assert_float_eq(field(w, "prewarms"), 0, 0);
    cr_assert_float_eq(field(sp, "requests"), 5, 0);
    cr_assert_float_eq(field(sp, "warming_pings"), 9, 0);
    cr_assert_float_eq(field(sp, "cold_starts"), 1, 0);
    cr_assert_float_eq(field(sp, "cold_start_ratio"), 0.2, 1e-9);
    cJSON_Delete(root);
    free(text);
    run_output_free(&out);
    scenario_destroy(s);
}
