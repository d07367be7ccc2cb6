/* test_ps.c - processor sharing end to end: requests sharing one vCPU against the
 * M/M/1-PS queue, whose mean response time is E[S] / (1 - rho) (Kleinrock,
 * "Queueing Systems" vol. 2, section 4.4: the processor-sharing M/M/1 queue). */
#include <math.h>

#include "helpers.h"

#define PRICING "pricing: tests/data/pricing/test.yaml\n"

/* Mean latency of deployment 0 of yaml, checked against E[S] / (1 - rho) within 2%. */
static void mm1_ps_case(const char *deployment, double rho)
{
    /* E[S] = 1 s alone on the vCPU; arrivals at rho per second; 2.2e6 requests after a
     * warm-up of 1e4 s. A serial model (parallel_fraction 0) on one vCPU: each of n
     * requests progresses at 1/n. */
    char yaml[1024];
    double duration_s = 2.2e6 / rho + 1e4;
    snprintf(yaml, sizeof yaml,
             PRICING "duration: %.0fs\nwarmup: 10000s\nseed: 11\n"
                     "model: {service: {dist: exponential, mean: 1s}}\n"
                     "workload: {arrival: poisson, rate: %g/s}\n"
                     "deployments: [%s]\n",
             duration_s, rho, deployment);
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    cr_assert_geq(r.served, 2000000);
    cr_assert_eq(r.served, r.requests);
    double mean_s = r.latency.mean_ns / 1e9, expect = 1.0 / (1.0 - rho);
    cr_assert(fabs(mean_s / expect - 1) < 0.02, "rho %g: mean latency %.4f s vs M/M/1-PS %.4f s",
              rho, mean_s, expect);
    result_free(&r);
    scenario_destroy(s);
}

Test(ps, a_machine_of_one_vcpu_with_80_slots_is_m_m_1_ps_at_rho_half, .timeout = 240)
{
    mm1_ps_case("{type: dedicated, instance: box1, count: 1, slots: 80}", 0.5);
}

Test(ps, a_machine_of_one_vcpu_with_80_slots_is_m_m_1_ps_at_rho_0_8, .timeout = 240)
{
    mm1_ps_case("{type: dedicated, instance: box1, count: 1, slots: 80}", 0.8);
}

Test(ps, one_serverless_instance_of_one_vcpu_at_concurrency_80_is_m_m_1_ps, .timeout = 240)
{
    /* reserved: 1 caps the function at one instance; a request past its 80 slots would
     * wait in the queue (P(N > 80) = 0.8^81, about 1e-8); keep-alive forever and no cold
     * start keep the one instance up. */
    mm1_ps_case("{platform: one-vcpu, concurrency: 80, reserved: 1, on_throttle: queue,"
                " keep_alive: forever, coldstart: none}",
                0.8);
}
