/* test_lockstep.c - the paths that make a replay fast give what the plain ones gave:
 * deployments run in lockstep on one request stream give, each, the record a run of
 * that deployment alone gives, whatever the grouping and the thread count; an
 * Azure 2019 reader rewound for the replay gives what a fresh open gives. */
#include <gsl/gsl_rng.h>

#include "../sim/workload/trace_azure2019.h"
#include "helpers.h"
#include "slsim/engine.h"
#include "slsim/trial.h"

/* ---- lockstep ------------------------------------------------------------------- */

/* Every deployment kind, a shared memory capacity, random idle picks, throttling: each
 * keeps state and random streams of its own that lockstep must not mix. f is plain
 * (serverless.h): in blocks it takes the path with the features' tests compiled out,
 * alone (run_deployment) the general one. */
static const char *const SYNTHETIC =
    "name: lockstep\n"
    "seed: 11\n"
    "duration: 20m\n"
    "warmup: 1m\n"
    "model: {service: {dist: exponential, mean: 300ms}, memory: 1GiB}\n"
    "workload: {arrival: poisson, rate: 40/s, functions: 30, zipf: 1.1}\n"
    "deployments:\n"
    "  - {name: a, platform: aws-lambda, keep_alive: 1m,\n"
    "     coldstart: {dist: lognormal, median: 250ms, p99: 1s}}\n"
    "  - {name: b, platform: generic, keep_alive: {policy: lru, capacity: 8GiB},\n"
    "     idle_pick: random}\n"
    "  - {name: c, type: dedicated, instance: c6i.xlarge, count: 2, slots: 4}\n"
    "  - {name: d, type: hybrid, base: {instance: c6i.xlarge, count: 1, slots: 4},\n"
    "     overflow: {platform: aws-lambda, memory: 2GiB}, overflow_queue: 0}\n"
    "  - {name: e, platform: aws-lambda, keep_alive: {policy: hybrid-histogram},\n"
    "     reserved: 3, on_throttle: queue}\n"
    "  - {name: f, platform: generic, keep_alive: 1m, idle_pick: lru}\n";

/* A request every 100 ms that runs exactly 100 ms: each completion falls at the very
 * instant of the next arrival. Served first, the completion frees the instance for
 * that arrival (one cold start in all); served after it, every arrival finds the
 * instance busy. */
static const char *const TIES =
    "name: ties\n"
    "duration: 1m\n"
    "model: {service: {dist: constant, value: 100ms}}\n"
    "workload: {arrival: constant, rate: 10/s}\n"
    "deployments:\n"
    "  - {name: a, platform: generic, keep_alive: 10m, coldstart: {dist: constant, value: 0s}}\n"
    "  - {name: b, platform: generic, keep_alive: 1s, coldstart: {dist: constant, value: 0s}}\n";

/* Each deployment of s alone (trial_run), then all of them in lockstep, for
 * replication rep: the records must be the same bytes. */
static void expect_lockstep_equals_alone(const struct scenario *s, uint32_t rep)
{
    size_t n = s->n_deployments;
    struct trial *t = calloc(n, sizeof *t);
    struct trial_record *alone = calloc(n, sizeof *alone), *together = calloc(n, sizeof *together);
    struct trial_record *alone_tiers = calloc(n * TRIAL_MAX_TIERS, sizeof *alone_tiers);
    struct trial_record *tiers = calloc(n * TRIAL_MAX_TIERS, sizeof *tiers);
    struct trial_record **tier_at = calloc(n, sizeof *tier_at);
    size_t *slot = calloc(n, sizeof *slot);
    cr_assert(t && alone && together && alone_tiers && tiers && tier_at && slot);
    struct slsim_error err;
    for (size_t d = 0; d < n; d++) {
        t[d] = (struct trial){.s = s, .deployment = d, .replication = rep};
        slot[d] = d;
        tier_at[d] = &tiers[d * TRIAL_MAX_TIERS];
        /* alone: run_deployment's loop, the one sizing's probes still take */
        struct deployment_result r;
        cr_assert_eq(run_deployment(s, d, rep, 0, &r, &err), 0, "%s", err.message);
        trial_flatten(&r, &s->slo, &alone[d], &alone_tiers[d * TRIAL_MAX_TIERS]);
        result_free(&r);
        /* and trial_run, lockstep of one */
        struct trial_record one, one_tiers[TRIAL_MAX_TIERS];
        memset(&one, 0, sizeof one);
        memset(one_tiers, 0, sizeof one_tiers);
        cr_assert_eq(trial_run(&t[d], NULL, NULL, d, &one, one_tiers, NULL, &err), 0, "%s",
                     err.message);
        cr_assert(memcmp(&one, &alone[d], sizeof one) == 0, "trial_run of %s differs",
                  alone[d].name);
    }
    cr_assert_eq(trial_run_lockstep(t, n, NULL, NULL, slot, together, tier_at, NULL, &err), 0,
                 "%s", err.message);
    for (size_t d = 0; d < n; d++) {
        cr_assert_gt(alone[d].requests, 0);
        cr_assert(memcmp(&alone[d], &together[d], sizeof alone[d]) == 0,
                  "deployment %s differs in lockstep (served %llu vs %llu, cold starts %llu vs "
                  "%llu)",
                  alone[d].name, (unsigned long long)alone[d].served,
                  (unsigned long long)together[d].served,
                  (unsigned long long)alone[d].cold_starts,
                  (unsigned long long)together[d].cold_starts);
        cr_assert(memcmp(&alone_tiers[d * TRIAL_MAX_TIERS], &tiers[d * TRIAL_MAX_TIERS],
                         alone[d].n_tiers * sizeof *tiers) == 0,
                  "deployment %s's tiers differ in lockstep", alone[d].name);
    }
    free(t);
    free(alone);
    free(together);
    free(alone_tiers);
    free(tiers);
    free(tier_at);
    free(slot);
}

Test(lockstep, every_deployment_gets_the_record_it_gets_alone)
{
    struct scenario *s = load_yaml(SYNTHETIC);
    expect_lockstep_equals_alone(s, 0);
    expect_lockstep_equals_alone(s, 1);
    scenario_destroy(s);
}

Test(lockstep, an_event_at_an_arrival_s_instant_goes_first_as_alone)
{
    struct scenario *s = load_yaml(TIES);
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.cold_starts, 1, "the completion frees the instance for the next arrival");
    result_free(&r);
    expect_lockstep_equals_alone(s, 0);
    scenario_destroy(s);
}

Test(lockstep, a_replayed_trace_gives_each_deployment_its_record_alone, .timeout = 120)
{
    struct scenario *s = load_yaml(
        "name: replay\n"
        "duration: 2h\n"
        "model: {service: 100ms, memory: 512MiB}\n"
        "workload:\n"
        "  arrival: trace\n"
        "  trace: {format: azure2019, path: traces/azure2019/invocations.csv,\n"
        "          durations: traces/azure2019/durations.csv, within_minute: poisson}\n"
        "deployments:\n"
        "  - {name: a, platform: aws-lambda, keep_alive: 10m}\n"
        "  - {name: b, platform: aws-lambda, keep_alive: {policy: hybrid-histogram}}\n"
        "  - {name: c, platform: cloud-run, concurrency: 4, keep_alive: 5m, idle_pick: random}\n");
    expect_lockstep_equals_alone(s, 0);
    scenario_destroy(s);
}

Test(lockstep, a_workload_error_is_the_one_a_deployment_alone_meets)
{
    struct scenario *s = load_yaml(SYNTHETIC);
    /* A trace that vanished after the scenario was read: the workload fails. */
    char path[] = "/tmp/slsim-lockstep-XXXXXX";
    write_temp(path, "time_s,function\n0.5,f\n");
    struct workload_spec spec = s->workload;
    s->workload.arrival = ARRIVAL_TRACE;
    trace_spec_default(&s->workload.trace);
    snprintf(s->workload.trace.path, sizeof s->workload.trace.path, "%s", path);
    unlink(path);
    struct trial t[2] = {{.s = s, .deployment = 0}, {.s = s, .deployment = 2}};
    struct trial_record out[2];
    size_t slot[2] = {0, 1};
    struct slsim_error alone, together;
    cr_assert_eq(trial_run(&t[0], NULL, NULL, 0, &out[0], NULL, NULL, &alone), -1);
    cr_assert_eq(trial_run_lockstep(t, 2, NULL, NULL, slot, out, NULL, NULL, &together), -1);
    cr_assert_str_eq(alone.message, together.message);
    cr_assert_str_eq(alone.file, together.file);
    cr_assert_eq(alone.line, together.line);
    s->workload = spec;
    scenario_destroy(s);
}

/* run_scenario's records (and timelines) for s at `jobs` threads. */
static struct run_output run_at(const struct scenario *s, unsigned jobs)
{
    struct run_options opt = {.timeline_step_ns = 60 * SIM_NS_PER_S, .jobs = jobs};
    struct run_output out;
    struct slsim_error err;
    cr_assert_eq(run_scenario(s, &opt, &out, &err), 0, "%s", err.message);
    return out;
}

Test(lockstep, grouping_and_threads_change_no_byte, .timeout = 120)
{
    struct scenario *s = load_yaml(SYNTHETIC);
    s->replications = 2;
    struct run_output one = run_at(s, 1);
    size_t n = s->n_deployments * s->replications;
    /* 3 threads: 2 groups per replication; 7: 4 groups; 16: one deployment a job. */
    unsigned jobs[] = {2, 3, 7, 16};
    for (size_t j = 0; j < sizeof jobs / sizeof jobs[0]; j++) {
        struct run_output o = run_at(s, jobs[j]);
        cr_assert(memcmp(one.results, o.results, n * sizeof *o.results) == 0,
                  "records differ at --jobs %u", jobs[j]);
        size_t n_tiers = 0;
        for (size_t k = 0; k < n; k++)
            n_tiers += one.results[k].n_tiers;
        cr_assert(memcmp(one.tiers, o.tiers, n_tiers * sizeof *o.tiers) == 0);
        for (size_t d = 0; d < s->n_deployments; d++)
            for (size_t p = 0; p < TRIAL_MAX_PARTS; p++) {
                cr_assert_eq(one.timelines[d].n[p], o.timelines[d].n[p]);
                if (one.timelines[d].n[p])
                    cr_assert(memcmp(one.timelines[d].rows[p], o.timelines[d].rows[p],
                                     one.timelines[d].n[p] * sizeof(struct timeline_row)) == 0,
                              "timeline of deployment %zu part %zu differs at --jobs %u", d, p,
                              jobs[j]);
            }
        run_output_free(&o);
    }
    run_output_free(&one);
    scenario_destroy(s);
}

/* ---- the counting pass's reader, rewound for the replay ------------------------- */

/* The first n events of fmt into t, d (duration) and id; returns how many. */
static size_t read_events(void *fmt, sim_time *t, sim_time *d, uint32_t *id, size_t n)
{
    struct raw_event ev;
    struct slsim_error err;
    size_t k = 0;
    int rc;
    while (k < n && (rc = trace_azure2019_ops.next(fmt, &ev, &err)) == 1) {
        t[k] = ev.t_ns;
        d[k] = ev.duration_ns;
        id[k++] = ev.id;
    }
    return k;
}

static void expect_rewind_is_a_fresh_open(enum trace_within within)
{
    struct trace_spec spec;
    trace_spec_default(&spec);
    spec.format = TRACE_AZURE2019;
    spec.within = within;
    snprintf(spec.path, sizeof spec.path, "traces/azure2019/invocations.csv");
    snprintf(spec.durations, sizeof spec.durations, "traces/azure2019/durations.csv");
    enum { N = 50000 };
    sim_time *t0 = malloc(N * sizeof *t0), *t1 = malloc(N * sizeof *t1);
    sim_time *d0 = malloc(N * sizeof *d0), *d1 = malloc(N * sizeof *d1);
    uint32_t *i0 = malloc(N * sizeof *i0), *i1 = malloc(N * sizeof *i1);
    cr_assert(t0 && t1 && d0 && d1 && i0 && i1);
    struct slsim_error err;
    gsl_rng *a = rng_stream_create(3, 1, RNG_SERVICE), *b = rng_stream_create(3, 1, RNG_SERVICE);
    gsl_rng *other = rng_stream_create(9, 0, RNG_SERVICE);
    void *fresh = trace_azure2019_ops.open(&spec, a, &err);
    cr_assert(fresh, "%s", err.message);
    size_t n0 = read_events(fresh, t0, d0, i0, N);
    /* a reader opened with another stream, half read in times-only mode, then rewound */
    void *used = trace_azure2019_ops.open(&spec, other, &err);
    cr_assert(used, "%s", err.message);
    trace_azure2019_ops.times_only(used);
    read_events(used, t1, d1, i1, N / 2);
    cr_assert_eq(trace_azure2019_ops.rewind(used, b, &err), 0);
    size_t n1 = read_events(used, t1, d1, i1, N);
    cr_assert_eq(n0, n1);
    cr_assert_gt(n0, 1000);
    for (size_t k = 0; k < n0; k++) {
        cr_assert_eq(t0[k], t1[k], "event %zu at %lld, rewound %lld", k, (long long)t0[k],
                     (long long)t1[k]);
        cr_assert_eq(d0[k], d1[k], "event %zu's duration", k);
        cr_assert_eq(i0[k], i1[k], "event %zu's function", k);
    }
    trace_azure2019_ops.close(fresh);
    trace_azure2019_ops.close(used);
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(other);
    free(t0), free(t1), free(d0), free(d1), free(i0), free(i1);
}

Test(rewind, an_azure2019_reader_rewound_replays_as_one_freshly_opened, .timeout = 60)
{
    expect_rewind_is_a_fresh_open(WITHIN_POISSON);
    expect_rewind_is_a_fresh_open(WITHIN_EQUIDISTANT);
}
