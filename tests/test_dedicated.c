/* test_dedicated.c - the dedicated fleet against Erlang-C, and autoscaling (count: auto
 * is in test_sizing.c). */
#include <math.h>

#include "helpers.h"

#define PRICING "pricing: tests/data/pricing/test.yaml\n"

static double erlang_c(unsigned c, double a)
{
    /* C(c, a) = B / (1 - (a/c)(1 - B)) with Erlang-B from its recursion. */
    double b = 1.0;
    for (unsigned k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b / (1.0 - a / c * (1.0 - b));
}

static void erlang_c_case(const char *instance, unsigned machines, unsigned slots, double a)
{
    /* M/M/c with c = machines x slots servers: P(wait) = C(c, a) and
     * E[W] = C(c, a) / (c mu - lambda), mu = 1 per second. A slot is a server while
     * the machine has a vCPU for each (more slots than vCPUs share them). */
    unsigned c = machines * slots;
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             PRICING "duration: 300200s\nwarmup: 200s\nseed: 13\n"
                     "model: {service: {dist: exponential, mean: 1s}}\n"
                     "workload: {arrival: poisson, rate: %g/s}\n"
                     "deployments: [{type: dedicated, instance: %s, count: %u, slots: %u}]\n",
             a, instance, machines, slots);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    cr_assert_geq(r.requests, 1000000);
    cr_assert_eq(r.served, r.requests);
    double pwait = (double)r.queued / (double)r.requests, cw = erlang_c(c, a);
    cr_assert(fabs(pwait / cw - 1) < 0.02, "c=%u a=%g: P(wait) %.5f vs Erlang-C %.5f", c, a,
              pwait, cw);
    double wait_s = r.latency.mean_ns / 1e9 - 1.0, expect = cw / (c - a);
    cr_assert(fabs((1.0 + wait_s) / (1.0 + expect) - 1) < 0.02 &&
                  fabs(wait_s - expect) < 0.05 * expect + 0.005,
              "mean wait %.4f vs Erlang-C %.4f", wait_s, expect);
    /* Slot utilisation of an M/M/c queue is a/c. */
    cr_assert(fabs(result_utilization(&r) / (a / c) - 1) < 0.01);
    result_free(&r);
    scenario_destroy(s);
}

Test(dedicated, erlang_c_five_machines_load_4, .timeout = 120)
{
    erlang_c_case("box", 5, 1, 4.0);
}

Test(dedicated, erlang_c_ten_machines_load_9, .timeout = 120)
{
    erlang_c_case("box", 10, 1, 9.0);
}

Test(dedicated, slots_are_servers_one_machine_with_five_slots_is_m_m_5, .timeout = 120)
{
    erlang_c_case("box8", 1, 5, 4.0);
}

Test(dedicated, max_queue_drops_what_does_not_fit)
{
    /* One slot, no waiting room: an M/M/1/1 loss system, blocking = a / (1 + a). */
    struct scenario *s = load_yaml(PRICING "duration: 100100s\nwarmup: 100s\n"
                                           "model: {service: {dist: exponential, mean: 1s}}\n"
                                           "workload: {arrival: poisson, rate: 3/s}\n"
                                           "deployments: [{type: dedicated, instance: box,"
                                           " count: 1, max_queue: 0}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.served + r.dropped, r.requests);
    double blocked = (double)r.dropped / (double)r.requests;
    cr_assert(fabs(blocked / 0.75 - 1) < 0.01, "blocked %.4f vs 0.75", blocked);
    result_free(&r);
    scenario_destroy(s);
}

Test(dedicated, speed_divides_service_time)
{
    struct scenario *s = load_yaml(PRICING "duration: 10.5s\n"
                                           "model: {service: 300ms}\n"
                                           "workload: {arrival: constant, rate: 1/s}\n"
                                           "deployments: [{type: dedicated, instance: box,"
                                           " count: 1, speed: 1.5}]\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.latency.max_ns, 200000000);
    cr_assert_eq(r.latency.min_ns, 200000000);
    result_free(&r);
    scenario_destroy(s);
}

Test(dedicated, autoscaling_grows_with_traffic_and_shrinks_after, .timeout = 60)
{
    /* On for the first hour of every two at 40/s of 100 ms work (4 busy slots):
     * with target 0.5 the fleet grows to about 8 while on and falls back to its
     * minimum while off. */
    struct scenario *s = load_yaml(PRICING "duration: 4h\nseed: 3\n"
                                           "model: {service: {dist: exponential, mean: 100ms}}\n"
                                           "workload: {arrival: onoff, rate: 40/s, duty_cycle: 0.5,"
                                           " period: 2h}\n"
                                           "deployments: [{type: dedicated, instance: box,"
                                           " autoscale: {target: 0.5, interval: 1m, boot: 1m,"
                                           " cooldown: 3m, min: 1, max: 20}}]\n");
    struct deployment_result r;
    struct slsim_error err;
    cr_assert_eq(run_deployment(s, 0, 0, 10 * 60 * SIM_NS_PER_S, &r, &err), 0, "%s",
                 err.message);
    cr_assert_eq(r.n_timeline, 24);
    double on = r.timeline[4].busy + r.timeline[4].idle;   /* 40-50 min: on */
    double off = r.timeline[10].busy + r.timeline[10].idle; /* 100-110 min: off */
    cr_assert_geq(on, 5.0, "instances while on: %.2f", on);
    cr_assert_leq(on, 20.0);
    cr_assert_leq(off, 1.5, "instances while off: %.2f", off);
    cr_assert_leq(r.instances_peak, 20);
    /* Machines are billed for their lives: more than the minimum fleet all along,
     * less than the maximum. */
    cr_assert_gt(r.cost.instances_usd, 4 * 3600 * 0.001 * 1.0);
    cr_assert_lt(r.cost.instances_usd, 4 * 3600 * 0.001 * 20.0);
    result_free(&r);
    scenario_destroy(s);
}
