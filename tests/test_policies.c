/* test_policies.c - provisioned, scheduled and warmed capacity, scaling limits,
 * retries and keep-alive policies: each test states the property it checks. */
#include <math.h>

#include "helpers.h"
#include "slsim/platform.h"
#include "slsim/workload.h"

#define PRICING "pricing: tests/data/pricing/test.yaml\n"

static struct deployment_result run_timeline(const struct scenario *s, size_t d, sim_time step)
{
    struct deployment_result r;
    struct slsim_error err;
    cr_assert_eq(run_deployment(s, d, 0, step, &r, &err), 0, "%s", err.message);
    return r;
}

Test(policies, ample_provisioned_capacity_means_no_cold_starts_and_an_exact_bill, .timeout = 60)
{
    /* 20 provisioned instances against lambda E[S] = 5/s x 100 ms = 0.5 busy: no
     * request ever needs a new instance after the warm-up, and the allocation bill
     * is N x memory x time x rate exactly: 20 x 1 GiB x 3300 s (55 min, whole
     * 5-minute blocks) x $0.000004, plus every request's rounded duration at the
     * provisioned execution rate, $0.000006 per GiB-s (Lambda's rule: duration on
     * provisioned concurrency has its own price); nothing at the on-demand rate. */
    struct scenario *s = load_yaml(PRICING "duration: 1h\nwarmup: 5m\nseed: 8\n"
                                           "model: {service: {dist: exponential, mean: 100ms}}\n"
                                           "workload: {arrival: poisson, rate: 5/s}\n"
                                           "deployments: [{platform: prov-5m, memory: 1GiB,"
                                           " provisioned: 20, coldstart: {dist: constant,"
                                           " value: 1s}}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_gt(r.served, 15000);
    cr_assert_eq(r.cold_starts, 0);
    cr_assert_eq(r.spillovers, 0);
    cr_assert_float_eq(r.cost.provisioned_usd,
                       20 * 1.0 * 3300 * 0.000004 + r.billed_ms / 1e3 * 1.0 * 0.000006, 1e-12);
    cr_assert_float_eq(r.cost.compute_usd, 0.0, 1e-15);
    cr_assert_float_eq(r.provisioned_instance_s, 20 * 3300.0, 1e-6);
    double util = r.provisioned_busy_s / r.provisioned_instance_s;
    cr_assert(util > 0.015 && util < 0.035, "provisioned utilisation %.4f, about 0.5/20", util);
    result_free(&r);
    scenario_destroy(s);
}

Test(policies, provisioned_schedule_switches_at_the_right_wall_clock_times, .timeout = 60)
{
    /* Time 0 is Monday 00:00. Weekdays 08:00-20:00: 3 provisioned instances, else
     * none; new allocations become warm after the platform's 1 minute. With almost
     * no traffic the hourly timeline shows the allocation itself. */
    struct scenario *s = load_yaml(PRICING "duration: 8d\n"
                                           "model: {service: 1ms}\n"
                                           "workload: {arrival: constant, rate: 0.0001/s}\n"
                                           "deployments: [{platform: prov-5m, memory: 1GiB,"
                                           " keep_alive: none, coldstart: none,"
                                           " provisioned: {default: 0, schedule: [{days: mon-fri,"
                                           " from: \"08:00\", to: \"20:00\", count: 3}]}}]\n");
    struct deployment_result r = run_timeline(s, 0, 3600 * SIM_NS_PER_S);
    cr_assert_eq(r.n_timeline, 8 * 24);
    for (size_t k = 0; k < r.n_timeline; k++) {
        size_t day = k / 24, hour = k % 24;
        double alive = r.timeline[k].busy + r.timeline[k].idle + r.timeline[k].initializing;
        double want = day % 7 < 5 && hour >= 8 && hour < 20 ? 3.0 : 0.0;
        cr_assert(fabs(alive - want) < 0.01, "day %zu hour %zu: %.3f instances, want %.0f", day,
                  hour, alive, want);
        if (want > 0 && hour == 8) /* warm after 1 minute of the hour */
            cr_assert(fabs(r.timeline[k].initializing - 3.0 / 60) < 1e-6);
    }
    result_free(&r);
    scenario_destroy(s);
}

/* About 5000 requests arrive in the first millisecond (a Poisson burst), each
 * running 500 s: every one needs its own instance, and instances can come only as
 * the bucket allows. Returns the peak instances by `seconds`; *requests gets the
 * burst's size. */
static uint64_t step_peak(const char *rate, double seconds, uint64_t *requests)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             PRICING "duration: %gs\nseed: 2\n"
                     "model: {service: 500s}\n"
                     "workload: {arrival: poisson, rate: 0.000000001/s,"
                     " spikes: [{at: 0s, duration: 1ms, factor: 5000000000000000}]}\n"
                     "deployments: [{platform: req-1ms, memory: 1GiB, coldstart: none,"
                     " on_throttle: queue, scale_rate: %s}]\n",
             seconds, rate);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    uint64_t peak = r.instances_peak;
    *requests = r.requests;
    result_free(&r);
    scenario_destroy(s);
    return peak;
}

Test(policies, scaling_rate_grows_instances_exactly_as_the_bucket_allows, .timeout = 120)
{
    /* 1000/10s (AWS since 2023-11-27, refilled continuously): 1000 at once, then
     * one more every 10 ms. The peak by time t is the instances started by then:
     * min(requests, 1000 + floor(100 t)). */
    const double t[] = {0.5, 5, 12.5, 25};
    uint64_t n = 0;
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        uint64_t got = step_peak("1000/10s", t[i], &n);
        double want = fmin((double)n, 1000 + floor(100 * t[i]));
        cr_assert(n > 4500 && n < 5500, "burst of %llu", (unsigned long long)n);
        cr_assert(fabs((double)got - want) <= 1, "at %gs: %llu instances, want %.0f", t[i],
                  (unsigned long long)got, want);
    }
    /* The legacy preset: 3000 at once, then 500 per minute: ahead at first,
     * behind later. */
    uint64_t legacy_5s = step_peak("legacy", 5, &n), now_5s = step_peak("1000/10s", 5, &n);
    cr_assert(legacy_5s > now_5s, "legacy %llu vs 2023 rule %llu at 5 s",
              (unsigned long long)legacy_5s, (unsigned long long)now_5s);
    cr_assert(fabs((double)legacy_5s - (3000 + floor(500.0 / 60 * 5))) <= 1);
    uint64_t legacy_40s = step_peak("legacy", 40, &n), now_40s = step_peak("1000/10s", 40, &n);
    cr_assert_lt(legacy_40s, now_40s);
}

Test(policies, warming_pings_follow_the_schedule_and_are_billed_apart)
{
    /* No traffic; pings every 5 minutes, 2 at a time, 10 ms each, over one hour:
     * rounds at 0, 5, ..., 55 min = 12 rounds x 2 = 24 pings, each billed as a
     * request: 24 x $0.000001 + (24 x 0.010 s + 2 x 1 s of billed cold start) x
     * 1 GiB x $0.00001. The two instances stay warm (keep-alive 10 min > 5 min):
     * only the first round starts them. */
    struct scenario *s = load_yaml(PRICING "duration: 1h\n"
                                           "model: {service: 1ms}\n"
                                           "workload: {arrival: constant, rate: 0.0001/s}\n"
                                           "deployments: [{platform: req-1ms, memory: 1GiB,"
                                           " coldstart: {dist: constant, value: 1s},"
                                           " warming: {every: 5m, instances: 2, ping: 10ms}}]\n");
    struct deployment_result r = run_timeline(s, 0, 5 * 60 * SIM_NS_PER_S);
    cr_assert_eq(r.warming_pings, 24);
    cr_assert_float_eq(r.cost.warming_usd, 24 * 0.000001 + (24 * 0.010 + 2 * 1.0) * 0.00001,
                       1e-15);
    cr_assert_eq(r.requests, 0);
    uint64_t starts = 0;
    for (size_t k = 0; k < r.n_timeline; k++)
        starts += r.timeline[k].cold_starts;
    cr_assert_eq(starts, 2);
    result_free(&r);
    scenario_destroy(s);
}

Test(policies, warm_before_has_instances_ready_for_a_known_peak)
{
    /* A burst of a few requests at 08:00 on an otherwise silent day. With 20
     * instances started at 07:45 (keep-alive 30 min) none of them waits for a
     * cold start; without, every one does. */
    const char *fmt = PRICING "duration: 9h\nseed: 6\n"
                              "model: {service: 1s}\n"
                              "workload: {arrival: poisson, rate: 0.000000001/s,"
                              " spikes: [{at: 8h, duration: 1ms, factor: 6000000000000}]}\n"
                              "deployments: [{platform: req-1ms, memory: 1GiB, keep_alive: 30m,"
                              " coldstart: {dist: constant, value: 2s}%s}]\n";
    char yaml[1024];
    snprintf(yaml, sizeof yaml, fmt, ", warm_before: [{at: \"07:45\", instances: 20}]");
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    cr_assert(r.requests >= 2 && r.requests <= 20, "%llu requests",
              (unsigned long long)r.requests);
    cr_assert_eq(r.cold_starts, 0);
    cr_assert_eq(r.prewarms, 20);
    cr_assert_eq(r.latency.max_ns, SIM_NS_PER_S);
    uint64_t burst = r.requests;
    result_free(&r);
    scenario_destroy(s);
    snprintf(yaml, sizeof yaml, fmt, "");
    s = load_yaml(yaml);
    r = run_one(s, 0);
    cr_assert_eq(r.requests, burst);
    cr_assert_eq(r.cold_starts, burst);
    result_free(&r);
    scenario_destroy(s);
}

/* warm_before on a silent day (no request before 08:00): the prewarms and the
 * instance peak of one run. */
static struct deployment_result warm_before_run(const char *deployment)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             PRICING "duration: 8h\nseed: 6\nmodel: {service: 1s}\n"
                     "workload: {arrival: constant, rate: 0.0000001/s}\n"
                     "deployments: [{memory: 1GiB, coldstart: {dist: constant, value: 2s}, %s}]\n",
             deployment);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 0);
    scenario_destroy(s);
    return r;
}

Test(policies, warm_before_tops_up_the_live_on_demand_instances_to_n)
{
    /* warm_before N starts only what the function lacks of N live on-demand
     * instances. By hand: 07:00 starts 3; at 07:10 those 3 are still alive
     * (keep-alive 30 min), so `instances: 5` starts 2 more: 3 + 2 = 5 prewarms and
     * 5 instances at the peak. Starting N regardless would make 3 + 5 = 8. */
    struct deployment_result r =
        warm_before_run("platform: req-1ms, keep_alive: 30m,"
                        " warm_before: [{at: \"07:00\", instances: 3},"
                        " {at: \"07:10\", instances: 5}]");
    cr_assert_eq(r.prewarms, 3 + 2);
    cr_assert_eq(r.instances_peak, 5);
    result_free(&r);

    /* Only live instances count: with a 5-minute keep-alive the first 3 are gone
     * by 07:05:02, so at 07:10 all 5 are started: 3 + 5 = 8 prewarms, peak 5. */
    r = warm_before_run("platform: req-1ms, keep_alive: 5m,"
                        " warm_before: [{at: \"07:00\", instances: 3},"
                        " {at: \"07:10\", instances: 5}]");
    cr_assert_eq(r.prewarms, 3 + 5);
    cr_assert_eq(r.instances_peak, 5);
    result_free(&r);

    /* Provisioned instances are not counted: 2 provisioned and warm_before 5 make
     * 5 on-demand starts and 2 + 5 = 7 instances, not 5 - 2 = 3 starts. */
    r = warm_before_run("platform: prov-5m, keep_alive: 30m, provisioned: 2,"
                        " warm_before: [{at: \"07:00\", instances: 5}]");
    cr_assert_eq(r.prewarms, 5);
    cr_assert_eq(r.instances_peak, 2 + 5);
    result_free(&r);
}

Test(policies, throttled_asynchronous_requests_are_retried_then_served_or_dropped, .timeout = 60)
{
    /* One instance, 2 requests/s of 1 s: half find it busy and are retried with
     * backoff; with a long max age every request is eventually served; with a short
     * one (1 s, less than the first backoff doubled) the unlucky are dropped. */
    const char *fmt = PRICING "duration: 1h\nseed: 4\n"
                              "model: {service: {dist: exponential, mean: 400ms}}\n"
                              "workload: {arrival: poisson, rate: 2/s}\n"
                              "deployments: [{platform: req-1ms, coldstart: none, reserved: 1,"
                              " on_throttle: retry, retry: {backoff: 100ms, max_backoff: 10s,"
                              " max_age: %s}}]\n";
    char yaml[1024];
    snprintf(yaml, sizeof yaml, fmt, "6h");
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    cr_assert_gt(r.retries, 1000);
    cr_assert_eq(r.throttled, 0);
    cr_assert_eq(r.dropped, 0);
    cr_assert_eq(r.served, r.requests);
    result_free(&r);
    scenario_destroy(s);
    snprintf(yaml, sizeof yaml, fmt, "300ms");
    s = load_yaml(yaml);
    r = run_one(s, 0);
    cr_assert_gt(r.dropped, 100);
    cr_assert_eq(r.served + r.dropped, r.requests);
    cr_assert_lt(r.latency.max_ns, 300 * SIM_NS_PER_MS + 10 * SIM_NS_PER_S);
    result_free(&r);
    scenario_destroy(s);
}

Test(policies, hybrid_histogram_learns_a_periodic_function, .timeout = 60)
{
    /* A function called every 30 minutes for 5 days. Once its idle times are
     * learned, the instance is unloaded after each call and loaded again just
     * before the next (pre-warm 27 min, cold start 1 s): near-zero cold starts and
     * far less idle memory-time than a fixed 60-minute keep-alive, which keeps it
     * idle for the whole 30 minutes. */
    const char *fmt = PRICING "duration: 5d\n"
                              "model: {service: 1s}\n"
                              "workload: {arrival: constant, rate: 0.000555555555556/s}\n"
                              "deployments: [{platform: req-1ms, memory: 1GiB,"
                              " coldstart: {dist: constant, value: 1s}, keep_alive: %s}]\n";
    char yaml[1024];
    snprintf(yaml, sizeof yaml, fmt, "{policy: hybrid-histogram}");
    struct scenario *s = load_yaml(yaml);
    struct deployment_result hist = run_one(s, 0);
    scenario_destroy(s);
    snprintf(yaml, sizeof yaml, fmt, "60m");
    s = load_yaml(yaml);
    struct deployment_result fixed = run_one(s, 0);
    scenario_destroy(s);
    cr_assert_eq(hist.requests, 240);
    /* Learning takes min_samples (10) idle times; the fallback (4 h) keeps it warm
     * meanwhile, so only the very first call is cold. */
    cr_assert_leq(hist.cold_starts, 2, "%llu cold starts", (unsigned long long)hist.cold_starts);
    cr_assert_gt(hist.prewarms, 200);
    cr_assert_lt(hist.idle_instance_s, 0.25 * fixed.idle_instance_s,
                 "idle %.0f s vs fixed %.0f s", hist.idle_instance_s, fixed.idle_instance_s);
    result_free(&hist);
    result_free(&fixed);
}

Test(policies, hybrid_histogram_falls_back_to_the_fixed_window_for_poisson_calls, .timeout = 60)
{
    /* Memoryless calls with a mean gap of an hour spread over the whole 4-hour
     * histogram: the coefficient of variation of its bin counts stays near 1.2,
     * under the threshold of 2, so the histogram is never representative and the
     * policy keeps its fallback window (4 h by default) all along: the run is the
     * same as with a fixed 4 h keep-alive. (min_samples is raised to 1000: a
     * sparse histogram, a few hundred samples in 240 bins, looks concentrated
     * whatever the process, so the test waits for a full one.) */
    const char *fmt = PRICING "duration: 60d\nseed: 12\n"
                              "model: {service: 1s}\n"
                              "workload: {arrival: poisson, rate: 0.000277777777778/s}\n"
                              "deployments: [{platform: req-1ms, coldstart: {dist: constant,"
                              " value: 1s}, keep_alive: %s}]\n";
    char yaml[1024];
    snprintf(yaml, sizeof yaml, fmt, "{policy: hybrid-histogram, min_samples: 1000}");
    struct scenario *s = load_yaml(yaml);
    struct deployment_result hist = run_one(s, 0);
    scenario_destroy(s);
    snprintf(yaml, sizeof yaml, fmt, "4h");
    s = load_yaml(yaml);
    struct deployment_result fixed = run_one(s, 0);
    scenario_destroy(s);
    cr_assert_gt(hist.requests, 1200);
    cr_assert_eq(hist.prewarms, 0);
    cr_assert_eq(hist.cold_starts, fixed.cold_starts);
    cr_assert_float_eq(hist.idle_instance_s, fixed.idle_instance_s, 1e-6);
    result_free(&hist);
    result_free(&fixed);
}

Test(policies, greedy_dual_priority_orders_large_rare_cheap_first)
{
    /* FaaSCache's priority = clock + frequency x cost / size: the least goes first. */
    double base = greedy_dual_priority(0, 10, 2.0, 1.0);
    cr_assert_lt(greedy_dual_priority(0, 10, 2.0, 4.0), base, "larger goes first");
    cr_assert_lt(greedy_dual_priority(0, 1, 2.0, 1.0), base, "rarer goes first");
    cr_assert_lt(greedy_dual_priority(0, 10, 0.5, 1.0), base, "cheaper to start goes first");
    cr_assert_gt(greedy_dual_priority(5, 10, 2.0, 1.0), base, "the clock ages older entries");
}

Test(policies, capacity_policies_evict_only_under_pressure_and_greedy_dual_beats_lru, .timeout = 60)
{
    /* 30 functions, Zipf popularity. With memory for all of them nothing is
     * evicted and each function starts once; with memory for 6, instances are
     * evicted, and greedy-dual (which weighs how often a function is used) keeps
     * the popular ones and has fewer cold starts than lru. */
    const char *fmt = PRICING "duration: 6h\nseed: 5\n"
                              "model: {service: 50ms}\n"
                              "workload: {arrival: poisson, rate: 2/s, functions: 30, zipf: 1.1}\n"
                              "deployments:\n"
                              "  - {name: gd, platform: req-1ms, memory: 1GiB, coldstart: {dist:"
                              " constant, value: 500ms}, keep_alive: {policy: greedy-dual,"
                              " capacity: %s}}\n"
                              "  - {name: lru, platform: req-1ms, memory: 1GiB, coldstart: {dist:"
                              " constant, value: 500ms}, keep_alive: {policy: lru, capacity: %s}}\n";
    char yaml[1200];
    snprintf(yaml, sizeof yaml, fmt, "100GiB", "100GiB");
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    /* No instance ever goes: each was started once, and all are alive at the end. */
    cr_assert_eq(r.evictions, 0);
    cr_assert_eq(r.cold_starts, r.instances_peak);
    cr_assert_geq(r.cold_starts, 25);
    result_free(&r);
    scenario_destroy(s);
    snprintf(yaml, sizeof yaml, fmt, "6GiB", "6GiB");
    s = load_yaml(yaml);
    struct deployment_result gd = run_one(s, 0), lru = run_one(s, 1);
    cr_assert_gt(gd.evictions, 100);
    cr_assert_gt(lru.evictions, 100);
    cr_assert_leq(gd.instances_peak, 6);
    cr_assert_lt(gd.cold_starts, lru.cold_starts);
    /* Greedy-dual keeps the most popular function resident more than lru does. */
    cr_assert_lt((double)gd.fn_cold_starts[0] / (double)gd.fn_served[0],
                 (double)lru.fn_cold_starts[0] / (double)lru.fn_served[0]);
    result_free(&gd);
    result_free(&lru);
    scenario_destroy(s);
}

Test(policies, per_function_cold_start_ratio_mean_and_p75)
{
    /* The summary over functions is the mean and the nearest-rank 75th percentile
     * of cold starts / served, over functions that served anything. */
    struct scenario *s = load_yaml(PRICING "duration: 2h\nseed: 9\n"
                                           "model: {service: 100ms}\n"
                                           "workload: {arrival: poisson, rate: 1/s, functions: 40,"
                                           " zipf: 1.3}\n"
                                           "deployments: [{platform: req-1ms, keep_alive: 2m,"
                                           " coldstart: {dist: constant, value: 200ms}}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.functions, 40);
    double ratio[40], sum = 0;
    size_t n = 0;
    uint64_t served = 0, cold = 0;
    for (size_t k = 0; k < 40; k++) {
        served += r.fn_served[k];
        cold += r.fn_cold_starts[k];
        if (r.fn_served[k]) {
            ratio[n] = (double)r.fn_cold_starts[k] / (double)r.fn_served[k];
            sum += ratio[n++];
        }
    }
    cr_assert_eq(served, r.served);
    cr_assert_eq(cold, r.cold_starts);
    cr_assert_eq(n, r.functions_served);
    for (size_t i = 1; i < n; i++) /* insertion sort, for the percentile */
        for (size_t j = i; j > 0 && ratio[j - 1] > ratio[j]; j--) {
            double t = ratio[j];
            ratio[j] = ratio[j - 1];
            ratio[j - 1] = t;
        }
    cr_assert_float_eq(r.fn_cold_start_ratio_mean, sum / (double)n, 1e-12);
    cr_assert_float_eq(r.fn_cold_start_ratio_p75, ratio[(size_t)ceil(0.75 * (double)n) - 1],
                       1e-12);
    /* Popular functions stay warm; rare ones are cold: the p75 exceeds the overall ratio. */
    cr_assert_gt(r.fn_cold_start_ratio_p75, result_cold_start_ratio(&r));
    result_free(&r);
    scenario_destroy(s);
}

Test(policies, requests_beyond_busy_provisioned_instances_spill_over)
{
    /* One provisioned instance at 5/s x 100 ms: about a third of the requests find
     * it busy and go to on-demand instances. */
    struct scenario *s = load_yaml(PRICING "duration: 1h\nseed: 3\n"
                                           "model: {service: {dist: exponential, mean: 100ms}}\n"
                                           "workload: {arrival: poisson, rate: 5/s}\n"
                                           "deployments: [{platform: prov-5m, provisioned: 1,"
                                           " coldstart: none}]\n");
    struct deployment_result r = run_one(s, 0);
    double share = (double)r.spillovers / (double)r.requests;
    /* M/M/1/1 blocking with a = 0.5: a / (1 + a) = 1/3. */
    cr_assert(fabs(share - 1.0 / 3) < 0.02, "spill-over share %.4f", share);
    result_free(&r);
    scenario_destroy(s);
}

Test(policies, bad_policy_settings_name_file_line_and_key)
{
    struct {
        const char *yaml;
        const char *key;
        const char *says;
    } cases[] = {
        {"    provisioned: {schedule: [{days: mon-fry, from: \"08:00\", to: \"20:00\", count: 2}]}\n",
         "deployments.f.provisioned.schedule[1]", "fry"},
        {"    provisioned: {schedule: [{days: mon, from: \"25:00\", to: \"20:00\", count: 2}]}\n",
         "deployments.f.provisioned.schedule[1]", "25"},
        {"    scale_rate: 1000/parsec\n", "deployments.f.scale_rate", "parsec"},
        {"    retry: {backoff: 1s}\n", "deployments.f.retry", "on_throttle: retry"},
        {"    keep_alive: {policy: greedy-dual}\n", "deployments.f.keep_alive.capacity", "capacity"},
        {"    keep_alive: {policy: hybrid-histogrm}\n", "deployments.f.keep_alive.policy",
         "did you mean \"hybrid-histogram\""},
        {"    warm_before: [{at: \"7:75\", instances: 2}]\n", "deployments.f.warm_before[1].at",
         "7:75"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "duration: 1h\nmodel: {service: 1ms}\nworkload: {arrival: poisson, rate: 1/s}\n"
                 "deployments:\n  - name: f\n%s",
                 cases[i].yaml);
        struct scenario *s = NULL;
        struct slsim_error err;
        int rc = load_yaml_rc(yaml, &s, &err);
        cr_assert_eq(rc, -1, "case %zu loaded", i);
        cr_assert_eq(err.line, 6, "case %zu: line %d (%s)", i, err.line, err.message);
        cr_assert_gt(err.column, 4);
        cr_assert_str_eq(err.key, cases[i].key, "case %zu: %s", i, err.message);
        cr_assert(strstr(err.message, cases[i].says), "case %zu: %s", i, err.message);
    }
}

/* 100 functions (an azure2019 trace), one call each per minute for 10 minutes,
 * `within_minute: equidistant`, 1 GiB instances sharing a 20 GiB greedy-dual
 * capacity, 100 ms service and 500 ms cold start. With one phase for all, every
 * function's call of a minute came at the same instant: 20 started and the other
 * 80 found nothing to evict (all 20 busy), 800 of 1,000 throttled. Each function
 * has its own phase now, so a call is throttled only when 20 others hold busy or
 * starting instances at its instant, that is when more than 20 calls fall within
 * 600 ms of each other: the test counts that from the arrivals themselves, and the
 * run must throttle exactly as often as that count says (here: never). */
Test(policies, equidistant_functions_each_get_their_own_phase, .timeout = 60)
{
    char trace[] = "/tmp/slsim-phase-XXXXXX";
    char text[100 * 64 + 128];
    int w = snprintf(text, sizeof text, "HashOwner,HashApp,HashFunction,Trigger,1,2,3,4,5,6,7,8,9,10\n");
    for (int f = 0; f < 100; f++)
        w += snprintf(text + w, sizeof text - (size_t)w, "o,a,f%d,timer,1,1,1,1,1,1,1,1,1,1\n", f);
    write_temp(trace, text);
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             PRICING "duration: 10m\nseed: 3\nmodel: {service: 100ms}\n"
                     "workload: {arrival: trace, trace: {format: azure2019, path: %s,"
                     " within_minute: equidistant}}\n"
                     "deployments: [{platform: req-1ms, memory: 1GiB, coldstart: {dist: constant,"
                     " value: 500ms}, keep_alive: {policy: greedy-dual, capacity: 20GiB}}]\n",
             trace);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 1000);
    uint64_t throttled = r.throttled;
    result_free(&r);
    /* Arrivals: per function, one a minute at the same offset (its phase); offsets
     * differ between functions. */
    struct slsim_error err;
    struct workload *wl = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
    cr_assert(wl, "%s", err.message);
    sim_time offset[100], t[1000];
    int seen[100] = {0};
    size_t n = 0;
    struct request rq;
    while (workload_next(wl, &rq)) {
        cr_assert_lt(n, 1000);
        t[n++] = rq.arrival_ns;
        sim_time off = rq.arrival_ns % (60 * SIM_NS_PER_S);
        if (seen[rq.function]++)
            cr_assert_eq(off, offset[rq.function], "function %u moved its phase", rq.function);
        offset[rq.function] = off;
    }
    workload_destroy(wl);
    cr_assert_eq(n, 1000);
    int distinct = 0;
    for (int i = 0; i < 100; i++) {
        int dup = 0;
        for (int j = 0; j < i; j++)
            dup |= offset[j] == offset[i];
        distinct += !dup;
    }
    cr_assert_eq(distinct, 100, "phases shared between functions");
    /* Calls with 20 or more others in the 600 ms before them (arrivals are sorted). */
    uint64_t crowded = 0;
    for (size_t i = 0, lo = 0; i < n; i++) {
        while (t[i] - t[lo] >= 600 * SIM_NS_PER_MS)
            lo++;
        crowded += i - lo >= 20;
    }
    cr_assert_eq(crowded, 0, "the phases of seed 3 crowd %llu calls", (unsigned long long)crowded);
    cr_assert_eq(throttled, crowded, "%llu of 1000 throttled", (unsigned long long)throttled);
    /* The same seed gives the same phases. */
    wl = workload_create(&s->workload, &s->model.service, s->seed, 0, s->duration_ns, &err);
    for (size_t i = 0; i < n; i++) {
        cr_assert(workload_next(wl, &rq));
        cr_assert_eq(rq.arrival_ns, t[i]);
    }
    workload_destroy(wl);
    scenario_destroy(s);
    unlink(trace);
}

Test(policies, every_policy_has_one_row_with_its_name_keys_and_operations)
{
    /* The tables the parser and the platform share: every row has its operations and
     * a key list, a policy with keys reads them, names are unique within a table, and
     * each table has exactly one default. */
    const struct policy_row *tables[] = {policy_keepalive, policy_idle_pick, policy_throttle};
    for (size_t t = 0; t < 3; t++) {
        int defaults = 0;
        for (const struct policy_row *r = tables[t]; r->name; r++) {
            cr_assert(r->keys && r->ops.keepalive, "policy %s", r->name);
            cr_assert(t != 0 || !r->keys[0] || r->parse, "keep-alive %s has keys, no parser",
                      r->name);
            cr_assert_eq(policy_find(tables[t], r->name), r, "%s named twice", r->name);
            defaults += (r->props & POLICY_DEFAULT) != 0;
        }
        cr_assert_eq(defaults, 1, "table %zu has %d defaults", t, defaults);
    }
    for (int id = KEEPALIVE_PLATFORM; id <= KEEPALIVE_LRU; id++)
        cr_assert(policy_by_id(policy_keepalive, id), "keep-alive %d", id);
    for (int id = IDLE_PICK_MRU; id <= IDLE_PICK_RANDOM; id++)
        cr_assert(policy_by_id(policy_idle_pick, id), "idle pick %d", id);
    for (int id = THROTTLE_REJECT; id <= THROTTLE_RETRY; id++)
        cr_assert(policy_by_id(policy_throttle, id), "throttle mode %d", id);
    const struct policy_row *none = policy_find(policy_keepalive, "none");
    cr_assert(none && none->id == KEEPALIVE_FIXED && none->duration_ns == 0);
    cr_assert_eq(policy_find(policy_keepalive, "forever")->duration_ns, SIM_TIME_FOREVER);
    cr_assert_str_eq(policy_find(policy_keepalive, "greedy-dual")->keys[0], "capacity");
    cr_assert(policy_find(policy_keepalive, "hybrid-histogram")->props & POLICY_WINDOW_PER_IDLE);
    cr_assert(policy_find(policy_idle_pick, "random")->props & POLICY_TAKES_FROM_MIDDLE);
    cr_assert_str_eq(policy_find(policy_throttle, "queue")->keys[0], "max_wait");
    cr_assert(policy_by_id(policy_throttle, THROTTLE_REJECT)->props & POLICY_DEFAULT);
    cr_assert_null(policy_find(policy_idle_pick, "oldest"));
}

Test(policies, the_scaled_performance_model_divides_the_work_by_speed_to_the_nearest_ns)
{
    struct perf_model m;
    perf_model_scaled(&m, 1.5);
    cr_assert_eq(m.kind, PERF_FIXED);
    cr_assert_eq(perf_scaled_ns(1000000001, 1.0), 1000000001);
    cr_assert_eq(perf_scaled_ns(1000000001, m.speed), 666666667); /* 666666667.33, to the nearest */
    cr_assert_eq(perf_scaled_ns(3, 2.0), 2); /* 1.5 up */
}
