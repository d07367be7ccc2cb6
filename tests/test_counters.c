/* test_counters.c - the counters of a run, worked out by hand for small deterministic
 * scenarios: requests, served, cold starts, warming pings and instance starts. A
 * timeline or a bill can be right while a headline count is wrong, so each count is
 * checked on its own, in the result and in the JSON report. */
#include <cjson/cJSON.h>
#include <math.h>

#include "helpers.h"
#include "slsim/report.h"
#include "slsim/summary.h"

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
    /* The one instance lives the whole hour: 1 s starting, 5 x 0.1 s + 9 x 0.01 s
     * busy, the rest idle. */
    cr_assert_float_eq(w.init_instance_s, 1.0, 1e-9);
    cr_assert_float_eq(w.busy_instance_s, 0.59, 1e-9);
    cr_assert_float_eq(w.instance_s, 3600.0, 1e-9);

    struct deployment_result c = run_steps(s, 1, 10 * 60 * SIM_NS_PER_S);
    cr_assert_eq(c.requests, 5);
    cr_assert_eq(c.warming_pings, 0);
    cr_assert_eq(c.cold_starts, 5);
    cr_assert_eq(c.fn_cold_starts[0], 5);
    cr_assert_eq(c.latency.min_ns, 1100 * MS);
    cr_assert_eq(c.latency.max_ns, 1100 * MS);
    cr_assert_eq(timeline_starts(&c), 5);
    cr_assert_float_eq(c.coldstart_s, 5.0, 1e-12);
    /* Each instance leaves at its own keep-alive's end, not when the next thing
     * happens: 1 s starting, 0.1 s busy, 480 s idle, five times. */
    cr_assert_float_eq(c.init_instance_s, 5.0, 1e-9);
    cr_assert_float_eq(c.busy_instance_s, 0.5, 1e-9);
    cr_assert_float_eq(c.idle_instance_s, 5 * 480.0, 1e-9, "idle %.3f instance-s, want 2400",
                       c.idle_instance_s);
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

/* Two requests, at 1 ms and 2 ms (a constant 1000/s over 2.5 ms), of 1 s each, on a
 * function capped at one instance that is never retired and starts at once. */
#define TWO_REQUESTS_ONE_INSTANCE                                                                  \
    "duration: 2500us\n"                                                                           \
    "model: {service: 1s}\n"                                                                       \
    "workload: {arrival: constant, rate: 1000/s}\n"

Test(counters, retries_back_off_doubling_to_the_cap_and_stop_at_max_age)
{
    /* Asynchronous retry (Lambda's rule: back off, doubling, up to a limit, until
     * the event is too old). The request at 2 ms finds the instance busy until
     * 1001 ms; its n-th retry comes backoff x 2^(n-1) after the (n-1)-th attempt,
     * at most max_backoff, and is not made when it would come more than max_age
     * after the arrival. By hand:
     *   backoff 100 ms, max 10 s: retries at 102, 302, 702, 1502 ms (gaps 100, 200,
     *     400, 800): 4 retries, the last one served, latency 1500 + 1000 = 2500 ms.
     *   max_backoff 300 ms: 102, 302, 602, 902, 1202 ms: 5 retries, latency 2200 ms.
     *   max_age 1 s: 102, 302, 702; the next (1502 ms) is 1.5 s after the arrival:
     *     dropped instead, 3 retries. */
    const char *deployment = "deployments: [{name: f, reserved: 1, on_throttle: retry,"
                             " keep_alive: forever, coldstart: none, retry: %s}]\n";
    const struct {
        const char *retry;
        uint64_t retries, served, dropped;
        int64_t max_ms;
    } cases[] = {
        {"{backoff: 100ms, max_backoff: 10s, max_age: 6h}", 4, 2, 0, 2500},
        {"{backoff: 100ms, max_backoff: 300ms, max_age: 6h}", 5, 2, 0, 2200},
        {"{backoff: 100ms, max_backoff: 10s, max_age: 1s}", 3, 1, 1, 1000},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char yaml[1024], dep[256];
        snprintf(dep, sizeof dep, deployment, cases[k].retry);
        snprintf(yaml, sizeof yaml, "%s%s", TWO_REQUESTS_ONE_INSTANCE, dep);
        struct scenario *s = load_yaml(yaml);
        struct deployment_result r = run_one(s, 0);
        cr_assert_eq(r.requests, 2);
        cr_assert_eq(r.retries, cases[k].retries, "%s: %llu retries, want %llu", cases[k].retry,
                     (unsigned long long)r.retries, (unsigned long long)cases[k].retries);
        cr_assert_eq(r.served, cases[k].served);
        cr_assert_eq(r.dropped, cases[k].dropped);
        cr_assert_eq(r.throttled, 0);
        cr_assert_eq(r.latency.max_ns, cases[k].max_ms * MS, "%s: longest latency %.3f ms",
                     cases[k].retry, (double)r.latency.max_ns / MS);
        cr_assert_eq(r.latency.min_ns, 1000 * MS);
        result_free(&r);
        scenario_destroy(s);
    }
}

Test(counters, requests_that_wait_for_a_starting_instance_are_not_cold_starts)
{
    /* concurrency 4, cold start 1 s, requests at 1, 2 and 3 ms of 100 ms: the first
     * starts an instance; the next two take its free slots and wait for the same
     * start (docs/ARCHITECTURE.md: cold_starts counts instance starts). By hand:
     * 1 cold start of 1 s; latencies 1001 - t + 100 ms = 1100, 1099 and 1098 ms. */
    struct scenario *s = load_yaml("duration: 3500us\n"
                                   "model: {service: 100ms}\n"
                                   "workload: {arrival: constant, rate: 1000/s}\n"
                                   "deployments: [{name: f, concurrency: 4, keep_alive: 10m,"
                                   " coldstart: {dist: constant, value: 1s}}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 3);
    cr_assert_eq(r.served, 3);
    cr_assert_eq(r.instances_peak, 1);
    cr_assert_eq(r.cold_starts, 1, "%llu cold starts, want 1 (one instance started)",
                 (unsigned long long)r.cold_starts);
    cr_assert_eq(r.fn_cold_starts[0], 1);
    cr_assert_float_eq(r.coldstart_s, 1.0, 1e-12);
    cr_assert_eq(r.latency.max_ns, 1100 * MS);
    cr_assert_eq(r.latency.min_ns, 1098 * MS);
    result_free(&r);
    scenario_destroy(s);
}

Test(counters, a_latency_equal_to_the_objective_meets_it)
{
    /* "NN% of requests within D" (docs/SCENARIO.md): a latency of exactly D is
     * within. Constant 100 ms requests, no cold start, no wait: every latency is
     * 100 ms, so a 100 ms objective is met by all of them and a 99 ms one by none,
     * on a serverless function and on a dedicated machine alike. */
    const char *fmt = PRICING "duration: 10.5s\n"
                              "model: {service: 100ms}\n"
                              "workload: {arrival: constant, rate: 1/s}\n"
                              "slo: {latency_p99: %s}\n"
                              "deployments:\n"
                              "  - {name: fn, platform: req-1ms, keep_alive: forever,"
                              " coldstart: none}\n"
                              "  - {name: box, type: dedicated, instance: box, count: 1}\n";
    const char *limits[] = {"100ms", "99ms"};
    for (size_t k = 0; k < 2; k++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml, fmt, limits[k]);
        struct scenario *s = load_yaml(yaml);
        for (size_t d = 0; d < 2; d++) {
            struct deployment_result r = run_one(s, d);
            cr_assert_eq(r.served, 10);
            cr_assert_eq(r.latency.max_ns, 100 * MS);
            uint64_t want = k == 0 ? 10 : 0;
            cr_assert_eq(r.within_slo, want, "%s, objective %s: %llu within, want %llu", r.name,
                         limits[k], (unsigned long long)r.within_slo, (unsigned long long)want);
            cr_assert_float_eq(result_slo_attainment(&r, &s->slo), k == 0 ? 1.0 : 0.0, 0);
            cr_assert_eq(result_slo_met(&r, &s->slo), k == 0);
            result_free(&r);
        }
        scenario_destroy(s);
    }
}

Test(counters, each_latency_percentile_field_is_its_own_nearest_rank)
{
    /* 1000 requests, one a second, the k-th taking k ms (k = 1..1000), on one
     * instance that never goes (no cold start, no wait): the latencies are exactly
     * 1, 2, ..., 1000 ms. Nearest rank (rank ceil(q n)): p50 = 500, p90 = 900,
     * p95 = 950, p99 = 990, p999 = 999 ms, max 1000 ms, mean 500.5 ms; the
     * histogram reports a bucket's middle, within 1/256 of the value. */
    char path[] = "/tmp/slsim-ranks-XXXXXX";
    char *rows = malloc(1000 * 24 + 32);
    cr_assert(rows);
    size_t len = (size_t)sprintf(rows, "time,fn,dur\n");
    for (int k = 1; k <= 1000; k++)
        len += (size_t)sprintf(rows + len, "%d,a,%d\n", k, k);
    write_temp(path, rows);
    free(rows);
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "duration: 1001s\nmodel: {service: 1s}\n"
             "workload: {arrival: trace, trace: {format: csv, path: %s,"
             " columns: {time: time, function: fn, duration: dur}, duration_unit: 1ms}}\n"
             "deployments: [{name: f, keep_alive: forever, coldstart: none}]\n",
             path);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    unlink(path);
    cr_assert_eq(r.served, 1000);
    cr_assert_eq(r.cold_starts, 1);
    struct trial_record rec;
    trial_flatten(&r, &s->slo, &rec, NULL);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields_one(&rec, f);
    const struct {
        const char *path;
        double ms;
    } want[] = {{"latency_ms.p50", 500},  {"latency_ms.p90", 900},   {"latency_ms.p95", 950},
                {"latency_ms.p99", 990},  {"latency_ms.p999", 999},  {"latency_ms.max", 1000},
                {"latency_ms.mean", 500.5}};
    for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
        double got = summary_field_value(f, n, want[k].path);
        cr_assert(fabs(got - want[k].ms) <= want[k].ms / 256, "%s = %.3f ms, want %.1f",
                  want[k].path, got, want[k].ms);
    }
    result_free(&r);
    scenario_destroy(s);
}

Test(counters, zipf_functions_get_requests_in_proportion_to_rank_to_the_minus_s)
{
    /* workload.functions: N with zipf: s sends each request to function k (k = 1..N,
     * in index order) with probability k^-s / H, H = sum over j of j^-s. With N = 4,
     * s = 1: H = 25/12, shares 12/25, 6/25, 4/25, 3/25 (0.48, 0.24, 0.16, 0.12).
     * Each request's function is an independent draw, so function k's count is
     * binomial(n, p_k): within 5 standard deviations sqrt(n p (1 - p)) of n p.
     * Reversed popularity (k^+s) or uniform shares are tens of deviations away. */
    struct scenario *s = load_yaml("duration: 100000500us\nseed: 17\n"
                                   "model: {service: 1ms}\n"
                                   "workload: {arrival: constant, rate: 1000/s, functions: 4,"
                                   " zipf: 1}\n"
                                   "deployments: [{name: f, keep_alive: forever,"
                                   " coldstart: none}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 100000);
    cr_assert_eq(r.functions, 4);
    cr_assert_eq(r.cold_starts, 4); /* one instance per function, kept forever */
    const double share[] = {12 / 25.0, 6 / 25.0, 4 / 25.0, 3 / 25.0};
    double n = (double)r.served;
    uint64_t total = 0;
    for (size_t k = 0; k < 4; k++) {
        double want = n * share[k], sd = sqrt(n * share[k] * (1 - share[k]));
        cr_assert(fabs((double)r.fn_served[k] - want) < 5 * sd,
                  "function %zu served %llu, Zipf gives %.0f +- %.0f", k + 1,
                  (unsigned long long)r.fn_served[k], want, 5 * sd);
        cr_assert_eq(r.fn_cold_starts[k], 1);
        total += r.fn_served[k];
    }
    cr_assert_eq(total, r.served);
    result_free(&r);
    scenario_destroy(s);
}

Test(counters, timeline_rows_are_time_averages_split_at_their_edges)
{
    /* Requests at 1 s and 2 s of 1.25 s each, no cold start, instances kept
     * forever, 2.5 s simulated. Instance 1 is busy [1, 2.25) then idle to the end;
     * instance 2 (the first is busy at 2 s) is busy [2, 2.5). A row holds the
     * time-average instances in each state over its own length, the last row
     * being only what is left of the period:
     *   0.5 s rows [0, .5) [.5, 1) [1, 1.5) [1.5, 2) [2, 2.5):
     *     busy 0, 0, 1, 1, (0.25 + 0.5) / 0.5 = 1.5; idle 0, 0, 0, 0, 0.25 / 0.5 = 0.5
     *     (the busy span [1, 2) crosses the edge at 1.5 s and is split there)
     *   1 s rows [0, 1) [1, 2) [2, 2.5): busy 0, 1, 1.5; idle 0, 0, 0.5
     *     (the last row is 0.5 s long, not 1 s).
     * Totals: busy 1.75 instance-s, idle 0.25, mean instances 2 / 2.5 = 0.8. */
    struct scenario *s = load_yaml("duration: 2500ms\n"
                                   "model: {service: 1250ms}\n"
                                   "workload: {arrival: constant, rate: 1/s}\n"
                                   "deployments: [{name: f, keep_alive: forever,"
                                   " coldstart: none}]\n");
    const struct {
        sim_time step_ns;
        size_t rows;
        double busy[5], idle[5];
        uint64_t arrivals[5];
    } cases[] = {
        {500 * MS, 5, {0, 0, 1, 1, 1.5}, {0, 0, 0, 0, 0.5}, {0, 0, 1, 0, 1}},
        {1000 * MS, 3, {0, 1, 1.5}, {0, 0, 0.5}, {0, 1, 1}},
    };
    for (size_t c = 0; c < 2; c++) {
        struct deployment_result r = run_steps(s, 0, cases[c].step_ns);
        cr_assert_eq(r.n_timeline, cases[c].rows);
        cr_assert_float_eq(r.busy_instance_s, 1.75, 1e-12);
        cr_assert_float_eq(r.idle_instance_s, 0.25, 1e-12);
        cr_assert_float_eq(result_instances_mean(&r), 0.8, 1e-12);
        for (size_t k = 0; k < cases[c].rows; k++) {
            const struct timeline_row *row = &r.timeline[k];
            cr_assert_eq(row->start_ns, (sim_time)k * cases[c].step_ns);
            cr_assert_float_eq(row->busy, cases[c].busy[k], 1e-12,
                               "step %.1f s, row %zu: busy %.4f, want %.2f",
                               (double)cases[c].step_ns / 1e9, k, row->busy, cases[c].busy[k]);
            cr_assert_float_eq(row->idle, cases[c].idle[k], 1e-12,
                               "step %.1f s, row %zu: idle %.4f, want %.2f",
                               (double)cases[c].step_ns / 1e9, k, row->idle, cases[c].idle[k]);
            cr_assert_float_eq(row->initializing, 0, 0);
            cr_assert_eq(row->arrivals, cases[c].arrivals[k]);
            cr_assert_eq(row->cold_starts, cases[c].arrivals[k]);
        }
        result_free(&r);
    }
    scenario_destroy(s);
}
