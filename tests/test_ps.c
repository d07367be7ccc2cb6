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

Test(ps, a_measured_profile_at_saturation_serves_at_its_published_throughput, .timeout = 60)
{
    /* The T4 profile of scenarios/examples/gpu-vs-cpu.yaml (NVIDIA DeepLearningExamples,
     * ResNet-50 through Triton with ONNX Runtime + TensorRT, FP16: 3.00 ms at batch 1).
     * One g4dn.xlarge (one T4), one request at a time, offered 500/s with a queue that
     * never empties: it serves b / t(b) = 1 / 3.00 ms = 333.33 requests a second. The
     * model's mean service (here 10 ms, lognormal) is the batch of 1's reference, so a
     * request of mean work takes 3.00 ms and the mean over many is 3.00 ms too. */
    struct scenario *s = load_yaml(
        "duration: 610s\nwarmup: 10s\nseed: 5\n"
        "model: {size: 98MB, service: {dist: lognormal, mean: 10ms, cv: 0.3}}\n"
        "workload: {arrival: poisson, rate: 500/s}\n"
        "deployments: [{type: dedicated, instance: g4dn.xlarge, count: 1, max_queue: 1000,"
        " perf: {profile: {1: 3.00ms, 2: 4.00ms, 4: 5.75ms, 8: 9.00ms, 16: 15.11ms,"
        " 32: 28.35ms, 64: 53.19ms, 128: 100.16ms}}}]\n");
    struct deployment_result r = run_one(s, 0);
    double per_s = (double)r.served / 600.0;
    cr_assert(fabs(per_s / (1.0 / 0.003) - 1) < 0.01, "served %.2f/s vs 1 / 3.00 ms = 333.33/s",
              per_s);
    cr_assert_gt(r.dropped, 0); /* saturated: the queue overflowed */
    result_free(&r);
    scenario_destroy(s);
}
