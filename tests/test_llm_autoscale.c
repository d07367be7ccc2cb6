/* test_llm_autoscale.c - a fleet that scales on load (`autoscale.metric`): on the
 * requests waiting (`queue`, vLLM's num_requests_waiting with the fleet's own queue)
 * or an LLM's share of KV-cache blocks in use (`kv_cache`, vLLM's
 * gpu_cache_usage_perc), each sampled at an evaluation and sized by Kubernetes' HPA
 * rule for a per-replica target, desired = ceil(total / target) within [min, max]; and
 * `utilization`, the default, as it was. Requests come from small azure-llm traces
 * written here, so that every arrival instant is known. */
#include <math.h>

#include "helpers.h"

/* A scenario of YAML text (its one %s the trace's path) whose trace is the azure-llm
 * CSV rows given; the first row is replayed at 0 s. The runs read the file, so the
 * caller removes it (trace_path) at the end. */
static struct scenario *load_with_trace(const char *yaml_fmt, const char *rows,
                                        char trace_path[32])
{
    strcpy(trace_path, "/tmp/slsim-as-XXXXXX");
    char csv[4096];
    snprintf(csv, sizeof csv, "TIMESTAMP,ContextTokens,GeneratedTokens\n%s", rows);
    write_temp(trace_path, csv);
    char yaml[4096];
    snprintf(yaml, sizeof yaml, yaml_fmt, trace_path);
    return load_yaml(yaml);
}

/* Rows of n requests at "2023-11-16 18:00:SS" with the tokens given. */
static void rows_at(char *out, size_t cap, int second, int n, int prompt, int output)
{
    size_t len = strlen(out);
    for (int k = 0; k < n; k++)
        len += (size_t)snprintf(out + len, cap - len, "2023-11-16 18:00:%02d.0000000,%d,%d\n",
                                second, prompt, output);
}

static struct deployment_result run_timeline(const struct scenario *s, sim_time step_ns)
{
    struct deployment_result r;
    struct slsim_error err;
    cr_assert_eq(run_deployment(s, 0, 0, step_ns, &r, &err), 0, "run failed: %s", err.message);
    return r;
}

Test(llm_autoscale, the_queue_adds_machines_within_one_interval_and_they_serve_after_boot,
     .timeout = 60)
{
    /* Llama-3-8B on one L40S (g6e.xlarge), max_num_seqs 4 (so 4 slots a machine); one
     * short request at trace time 0 (1 output token: done within a second), then 20
     * requests of 100 prompt and 4,000 output tokens at 3 s. The machine runs 4 of
     * them (about 26 ms a decode: 4,000 decodes take some 100 s, past 70 s) and 16
     * wait in the fleet's queue from 3 s: 16 waiting requests over 1 machine passes
     * the target of 2 a machine. The first evaluation after that, at 10 s (7 s later:
     * within one interval), asks for ceil(16 / 2) = 8 machines: 7 launch at 10 s and
     * boot for 60 s. Until 70 s nothing changes (16 still wait; booting machines count
     * 0, so the evaluations at 20..60 s ask for 8 again), and only machine 0 serves:
     * busy exactly 1 in every 10 s row before 70 s, 7 initializing from 10 s. At 70 s
     * the new machines take the queue, 4 each: the 16 queued requests start then, a
     * TTFT of 70 - 3 = 67 s plus their prefill (4 x 100 tokens, milliseconds). */
    char rows[8192] = "", trace[32];
    rows_at(rows, sizeof rows, 0, 1, 100, 1);
    rows_at(rows, sizeof rows, 3, 20, 100, 4000);
    struct scenario *s = load_with_trace(
        "duration: 200s\nmodel: {llm: llama-3-8b}\n"
        "workload: {arrival: trace, trace: {format: azure-llm, path: %s}}\n"
        "deployments: [{type: dedicated, instance: g6e.xlarge, serving: {max_num_seqs: 4},"
        " autoscale: {metric: queue, target: 2, interval: 10s, boot: 60s, cooldown: 0s,"
        " min: 1, max: 10}}]\n",
        rows, trace);
    struct deployment_result r = run_timeline(s, 10 * SIM_NS_PER_S);
    cr_assert_eq(r.n_timeline, 20);
    cr_assert_eq(r.timeline[0].initializing, 0.0);
    for (int k = 1; k < 7; k++) { /* [10 s, 70 s) */
        cr_assert_eq(r.timeline[k].initializing, 7.0, "row %d: %f booting", k,
                     r.timeline[k].initializing);
        cr_assert_eq(r.timeline[k].busy, 1.0, "row %d: %f busy before the boot ends", k,
                     r.timeline[k].busy);
    }
    cr_assert_eq(r.timeline[7].initializing, 0.0);
    cr_assert_eq(r.timeline[7].busy, 5.0, "%f busy at [70 s, 80 s)", r.timeline[7].busy);
    cr_assert_eq(r.instances_peak, 8);
    cr_assert_eq(r.cold_starts, 0); /* a fleet's boots are not cold starts of requests */
    cr_assert_geq(r.llm->ttft.max_ns, 67 * SIM_NS_PER_S);
    cr_assert_lt(r.llm->ttft.max_ns, 67 * SIM_NS_PER_S + SIM_NS_PER_S / 10, "TTFT max %lld",
                 (long long)r.llm->ttft.max_ns);
    cr_assert_eq(r.served, 21);
    result_free(&r);
    scenario_destroy(s);
    unlink(trace);
}

Test(llm_autoscale, requests_waiting_in_an_engine_count_with_the_fleets_queue, .timeout = 60)
{
    /* slots 8 above max_num_seqs 4: the machine takes 8 of 12 requests arriving at 3 s,
     * its engine runs 4 and holds 4 waiting (vLLM's num_requests_waiting), and 4 wait
     * in the fleet's queue. At 10 s: ceil((4 + 4) / 2) = 4 machines, 3 launched (the
     * fleet's queue alone would give ceil(4 / 2) = 2, 1 launched). */
    char rows[8192] = "", trace[32];
    rows_at(rows, sizeof rows, 3, 12, 100, 4000);
    struct scenario *s = load_with_trace(
        "duration: 100s\nmodel: {llm: llama-3-8b}\n"
        "workload: {arrival: trace, trace: {format: azure-llm, path: %s}}\n"
        "deployments: [{type: dedicated, instance: g6e.xlarge, slots: 8,"
        " serving: {max_num_seqs: 4},"
        " autoscale: {metric: queue, target: 2, interval: 10s, boot: 60s, cooldown: 0s,"
        " min: 1, max: 10}}]\n",
        rows, trace);
    struct deployment_result r = run_timeline(s, 10 * SIM_NS_PER_S);
    cr_assert_eq(r.timeline[0].initializing, 0.0);
    cr_assert_eq(r.timeline[1].initializing, 3.0, "%f booting at [10 s, 20 s)",
                 r.timeline[1].initializing);
    result_free(&r);
    scenario_destroy(s);
    unlink(trace);
}

Test(llm_autoscale, the_kv_cache_share_scales_out_under_long_contexts_and_in_when_idle,
     .timeout = 60)
{
    /* Llama-2-7B on one L4 (g6.xlarge): 643 KV blocks of 16 tokens a machine (the
     * engine's figure). Two requests of 2,000 prompt and 2,000 output tokens at 1 s
     * (after a 1-token request at 0): each holds ceil((2,000 + decoded) / 16) blocks,
     * 125 at admission and 250 at the end, decoding some 74 ms a token (about 150 s
     * in all). Target 0.3 a machine: desired = ceil(sum of shares / 0.3).
     *   10 s: fewer than 130 tokens decoded, 126 to 134 blocks each: sum 0.39 to 0.42,
     *         ceil(1.3 to 1.4) = 2: one machine launches at 10 s.
     *   scale to 3 once the sum passes 0.6: more than 193 blocks each (over 1,088
     *         decoded, about 82 s); never 4: at most 2 x 250 / 643 = 0.778, ceil(2.59).
     *   idle (both done by 160 s): sum 0, ceil(0) = 0, so min 1: the fleet is 1
     *         machine from then on. */
    char rows[8192] = "", trace[32];
    rows_at(rows, sizeof rows, 0, 1, 100, 1);
    rows_at(rows, sizeof rows, 1, 2, 2000, 2000);
    struct scenario *s = load_with_trace(
        "duration: 300s\nmodel: {llm: llama-2-7b}\n"
        "workload: {arrival: trace, trace: {format: azure-llm, path: %s}}\n"
        "deployments: [{type: dedicated, instance: g6.xlarge,"
        " autoscale: {metric: kv_cache, target: 0.3, interval: 10s, boot: 60s, cooldown: 0s,"
        " min: 1, max: 10}}]\n",
        rows, trace);
    struct deployment_result r = run_timeline(s, 10 * SIM_NS_PER_S);
    cr_assert_eq(r.llm->kv_blocks, 643);
    cr_assert_eq(r.served, 3);
    cr_assert_eq(r.timeline[0].initializing, 0.0);
    cr_assert_eq(r.timeline[1].initializing, 1.0, "%f booting at [10 s, 20 s)",
                 r.timeline[1].initializing);
    cr_assert_eq(r.instances_peak, 3);
    for (size_t k = 16; k < r.n_timeline; k++) { /* from 160 s */
        const struct timeline_row *t = &r.timeline[k];
        cr_assert_eq(t->busy + t->idle + t->initializing, 1.0, "row %zu: %f machines", k,
                     t->busy + t->idle + t->initializing);
    }
    result_free(&r);
    scenario_destroy(s);
    unlink(trace);
}

/* The fleet of test_dedicated.c's autoscaling test on c6i.xlarge: on for the first
 * hour of every two at 40/s of 100 ms work, target 0.5. */
#define UTIL_SCENARIO(metric)                                                               \
    "duration: 4h\nseed: 3\nmodel: {service: {dist: exponential, mean: 100ms}}\n"            \
    "workload: {arrival: onoff, rate: 40/s, duty_cycle: 0.5, period: 2h}\n"                  \
    "deployments: [{type: dedicated, instance: c6i.xlarge, autoscale: {" metric "target: 0.5," \
    " interval: 1m, boot: 1m, cooldown: 3m, min: 1, max: 20}}]\n"

Test(llm_autoscale, utilization_is_the_default_and_unchanged, .timeout = 60)
{
    /* ceil(up x the slot utilisation of the last interval / target), as before the
     * metric existed: the numbers the program printed then for this scenario (run
     * --format json): 67,320,000 ms billed, a peak of 16 machines, 2,460 s booting,
     * 68,046 requests queued; and `metric: utilization` is the same run. */
    struct scenario *a = load_yaml(UTIL_SCENARIO("")),
                    *b = load_yaml(UTIL_SCENARIO("metric: utilization, "));
    cr_assert_eq(a->deployments[0].dedicated.autoscale.metric, AUTOSCALE_UTILIZATION);
    struct deployment_result x = run_one(a, 0), y = run_one(b, 0);
    cr_assert_eq(x.billed_ms, 67320000.0, "%.17g", x.billed_ms);
    cr_assert_eq(x.instances_peak, 16);
    cr_assert_eq(x.init_instance_s, 2460.0, "%.17g", x.init_instance_s);
    cr_assert_eq(x.queued, 68046);
    cr_assert_eq(y.billed_ms, x.billed_ms);
    cr_assert_eq(y.busy_instance_s, x.busy_instance_s);
    cr_assert_eq(y.queued, x.queued);
    cr_assert_eq(y.latency.max_ns, x.latency.max_ns);
    result_free(&x);
    result_free(&y);
    scenario_destroy(a);
    scenario_destroy(b);
}

Test(llm_autoscale, utilization_counts_machines_up_and_a_cancelled_boot_never_serves,
     .timeout = 60)
{
    /* 100 ms requests every 100 ms on one machine (slots 1): busy all the time.
     * Target 0.5, interval 1 min, boot 2 min, cooldown 1 min; desired =
     * ceil(up x utilisation / 0.5), up excluding booting machines.
     *   60 s: utilisation 59.9 / 60 (the first request at 0.1 s): ceil(1.997) = 2,
     *         one machine launches (up at 180 s).
     *   120 s: up 1 (the other boots), utilisation 1: ceil(2) = 2, no change (counting
     *         the booting one would ask for 4).
     *   180 s: the boot ends first (events before the evaluation at one instant): up 2,
     *         utilisation of [120, 180) 1 (one machine's slots then): 4, two launch.
     *   240 s: 60 s of work over 2 x 60 s of slots, 0.5: ceil(2) = 2, the two boots
     *         are cancelled. Their boot events at 300 s must not bring them up: 2
     *         machines from 240 s to the end, utilisation 0.5, no further change. */
    struct scenario *s = load_yaml(
        "duration: 1h\nmodel: {service: {dist: constant, value: 100ms}}\n"
        "workload: {arrival: constant, rate: 10/s}\n"
        "deployments: [{type: dedicated, instance: c6i.xlarge, autoscale: {target: 0.5,"
        " interval: 1m, boot: 2m, cooldown: 1m, min: 1, max: 10}}]\n");
    struct deployment_result r = run_timeline(s, 60 * SIM_NS_PER_S);
    cr_assert_eq(r.n_timeline, 60);
    const double booting[] = {0, 1, 1, 2}, machines[] = {1, 2, 2, 4};
    for (int k = 0; k < 4; k++) {
        const struct timeline_row *t = &r.timeline[k];
        cr_assert_eq(t->initializing, booting[k], "row %d: %f booting", k, t->initializing);
        cr_assert_eq(t->busy + t->idle + t->initializing, machines[k], "row %d", k);
    }
    for (size_t k = 4; k < r.n_timeline; k++) {
        const struct timeline_row *t = &r.timeline[k];
        cr_assert_eq(t->initializing, 0.0, "row %zu: %f booting", k, t->initializing);
        cr_assert_eq(t->busy + t->idle, 2.0, "row %zu: %f machines", k, t->busy + t->idle);
    }
    cr_assert_eq(r.instances_peak, 4);
    result_free(&r);
    scenario_destroy(s);
}

Test(llm_autoscale, a_machine_launched_where_a_boot_was_cancelled_boots_for_its_own_time,
     .timeout = 60)
{
    /* No LLM: 15 s requests, one machine (slot 1), the queue metric with target 1,
     * max 3, interval 10 s, boot 60 s, no cooldown; desired = min(ceil(waiting), 3).
     * 3 requests at 0 s: 1 runs (to 15 s), 2 wait.
     *   10 s: 2 waiting: machine 1 launches (its boot would end at 70 s).
     *   15 s: the second starts; 20 s: 1 waiting: desired 1, machine 1's boot is
     *         cancelled (its pool slot is free; its boot event at 70 s remains).
     *   30 s: the third starts; 6 more arrive at 35 s: 6 wait.
     *   40 s: desired 3: two launch, the first in machine 1's slot; both boot to 100 s.
     * One waiting request starts every 15 s from 45 s: 5, 4, 3 wait at the
     * evaluations of 50 to 80 s, nothing changes, and 2 machines boot through
     * [40 s, 90 s), the old event at 70 s bringing none up early (at 90 s, 2 waiting,
     * one boot is cancelled). */
    char rows[8192] = "", trace[32];
    rows_at(rows, sizeof rows, 0, 3, 1, 1);
    rows_at(rows, sizeof rows, 35, 6, 1, 1);
    struct scenario *s = load_with_trace(
        "duration: 200s\nmodel: {service: 15s}\n"
        "workload: {arrival: trace, trace: {format: azure-llm, path: %s}}\n"
        "deployments: [{type: dedicated, instance: c6i.xlarge,"
        " autoscale: {metric: queue, target: 1, interval: 10s, boot: 60s, cooldown: 0s,"
        " min: 1, max: 3}}]\n",
        rows, trace);
    struct deployment_result r = run_timeline(s, 10 * SIM_NS_PER_S);
    const double booting[] = {0, 1, 0, 0, 2, 2, 2, 2, 2};
    for (int k = 0; k < 9; k++)
        cr_assert_eq(r.timeline[k].initializing, booting[k], "row %d: %f booting", k,
                     r.timeline[k].initializing);
    cr_assert_eq(r.timeline[7].busy, 1.0, "[70 s, 80 s): %f busy", r.timeline[7].busy);
    result_free(&r);
    scenario_destroy(s);
    unlink(trace);
}

Test(llm_autoscale, the_queue_metric_serves_any_model_on_its_fleet_queue)
{
    /* No LLM: the fleet's queue alone. Parsed with its target; kv_cache is refused
     * (tests/bad_inputs/autoscale-kv-cache-not-llm). */
    struct scenario *s = load_yaml(
        "duration: 1h\nmodel: {service: 100ms}\nworkload: {arrival: poisson, rate: 5/s}\n"
        "deployments: [{type: dedicated, instance: c6i.xlarge,"
        " autoscale: {metric: queue, target: 3, max: 8}}]\n");
    const struct autoscale_spec *as = &s->deployments[0].dedicated.autoscale;
    cr_assert_eq(as->metric, AUTOSCALE_QUEUE);
    cr_assert_eq(as->target, 3.0);
    scenario_destroy(s);
}
