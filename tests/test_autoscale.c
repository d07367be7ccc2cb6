/* test_autoscale.c - metrics-based autoscaling (Cloud Run's, autoscale.c) against
 * Little's law. */
#include <math.h>

#include "cli_helpers.h"
#include "helpers.h"

#define PRICING "pricing: tests/data/pricing/test.yaml\n"

Test(autoscale, keeps_the_instances_littles_law_and_the_concurrency_target_ask_for, .timeout = 60)
{
    /* Little's law: requests in flight average lambda x E[S] = 80/s x 0.1 s = 8. The
     * concurrency driver recommends ceil(8 / (concurrency 10 x target 0.5)) = 2
     * instances, and the platform keeps about that many; on demand alone (the same
     * traffic on a platform without autoscaling) packs requests onto instances up to 10
     * each and keeps what its peaks started alive for the keep-alive, 10 minutes. */
    struct scenario *s = load_yaml(
        PRICING "duration: 7200s\nwarmup: 600s\nseed: 3\n"
                "model: {service: {dist: constant, value: 100ms}}\n"
                "workload: {arrival: poisson, rate: 80/s}\n"
                "deployments:\n"
                "  - {name: scaled, platform: scaler, concurrency: 10,"
                " coldstart: {dist: constant, value: 1s}}\n"
                "  - {name: on-demand, platform: inst-100ms, concurrency: 10,"
                " coldstart: {dist: constant, value: 1s}}\n");
    struct deployment_result a = run_one(s, 0), b = run_one(s, 1);
    double mean_a = result_instances_mean(&a), mean_b = result_instances_mean(&b);
    cr_assert(fabs(mean_a - 2.0) < 0.15, "autoscaled: %.3f instances on average, not about 2",
              mean_a);
    cr_assert(a.instances_peak <= 4, "autoscaled: peak %lu", (unsigned long)a.instances_peak);
    cr_assert(mean_b > mean_a + 0.5, "on demand: %.3f instances vs autoscaled %.3f", mean_b,
              mean_a);
    cr_assert_eq(a.served, a.requests);
    result_free(&a);
    result_free(&b);
    scenario_destroy(s);
}

/* The built-in Cloud Run platforms say how they scale, with the source: 60% CPU and
 * 60% of the maximum concurrency over a minute (cloud.google.com/run/docs/
 * about-instance-autoscaling), decided every 2 s (Knative's tick, assumed). */
Test(autoscale, catalog_show_states_the_autoscaler_and_its_source, .timeout = 30)
{
    struct outcome o = run("catalog show cloud-run");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_expect(strstr(o.out, "autoscaling   CPU 60%, concurrency 60% of the maximum, averaged "
                            "over 1m, decided every 2s"),
              "%s", o.out);
    cr_expect(strstr(o.out, "about-instance-autoscaling"), "%s", o.out);
    outcome_free(&o);
    o = run("catalog show cloud-run-gpu-l4 --format json");
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_expect(strstr(o.out, "\"cpu_target\":\tnull"), "%s", o.out);
    cr_expect(strstr(o.out, "\"concurrency_target\":\t0.6"), "%s", o.out);
    outcome_free(&o);
    o = run("catalog show aws-lambda --format json");
    cr_expect(strstr(o.out, "\"autoscaling\":\tnull"), "%s", o.out);
    outcome_free(&o);
}

Test(autoscale, bursts_keep_the_instances_their_peak_needs, .timeout = 60)
{
    /* 20 ms requests at 50/s: 1 running on average (Little's law), so the concurrency
     * driver asks for ceil(1 / (2 x 0.5)) = 1 instance; but Poisson bursts run 5 or 6
     * at once within a minute (M/D/inf: Poisson(1) reaches 6 about once in 1,700
     * samples), which at concurrency 2 needs ceil(6 / 2) = 3 instances. Scale-in keeps
     * those (about 3 on average), so bursts find room: almost no cold start. Draining
     * to the average's 1 would cold-start hundreds (469 in this run); keeping every
     * instance the start-up made would hold 6. */
    struct scenario *s = load_yaml(PRICING "duration: 3600s\nwarmup: 300s\nseed: 7\n"
                         "model: {service: {dist: constant, value: 20ms}}\n"
                         "workload: {arrival: poisson, rate: 50/s}\n"
                         "deployments: [{platform: scaler, concurrency: 2,"
                         " coldstart: {dist: constant, value: 1s}}]\n");
    struct deployment_result r = run_one(s, 0);
    double mean = result_instances_mean(&r);
    cr_assert(mean > 2.5 && mean < 4.0, "%.3f instances on average, not about 3", mean);
    cr_assert(r.cold_starts * 1000 < r.requests, "%lu cold starts in %lu requests",
              (unsigned long)r.cold_starts, (unsigned long)r.requests);
    result_free(&r);
    scenario_destroy(s);
}
