/* test_pool.c - the account pool (`account_concurrency`) shared by a deployment's
 * functions, and reserved concurrency per function (`reserved.functions`). */
#include <criterion/criterion.h>

#include "cli_helpers.h"
#include "helpers.h"

static const char *const pool_yaml =
    "duration: 60s\n"
    "model: {service: 990ms}\n"
    "workload: {arrival: constant, rate: 20/s, functions: 2}\n"
    "deployments:\n"
    "  - {name: pool, platform: aws-lambda, memory: 1769MiB, coldstart: none,"
    " keep_alive: none, account_concurrency: 10}\n"
    "  - {name: free, platform: aws-lambda, memory: 1769MiB, coldstart: none,"
    " keep_alive: none}\n"
    "  - {name: res, platform: aws-lambda, memory: 1769MiB, coldstart: none,"
    " keep_alive: none, account_concurrency: 16, reserved: {functions: {2: 14}}}\n"
    "  - {name: shared20, platform: aws-lambda, memory: 1769MiB, coldstart: none,"
    " keep_alive: none, account_concurrency: 16}\n";

/* A pool of 10 concurrent executions, two functions, arrivals every 50 ms (k = 1 ..
 * 1,199 in 60 s) of 990 ms each, rejected when the pool is full. Arrivals 1-10 take
 * the pool; the first ends at 1.04 s, so 11-20 are throttled and 21-30 admitted:
 * 10 of every 20, whatever function each belongs to. 59 full rounds of 20 (k <=
 * 1,180) and k = 1,181 .. 1,190 admitted: 600 served, 599 throttled, and never more
 * than 10 instances (keep_alive: none: an instance lives while it serves). */
Test(pool, a_pool_of_10_never_runs_more_than_10_together)
{
    struct scenario *s = load_yaml(pool_yaml);
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 1199);
    cr_assert_eq(r.served, 600);
    cr_assert_eq(r.throttled, 599);
    cr_assert_eq(r.instances_peak, 10);
    result_free(&r);
    scenario_destroy(s);
}

/* Function 2 (reserved.functions counts from 1; fn_served[1]: Zipf weight 1/2 of 1 + 1/2: a third of the arrivals, 6.7/s of 990 ms,
 * about 7 at once, more in its bursts) reserves 14 of a pool of 16: it loses no
 * request, as without any pool, while function 0 (13/s) floods the 2 left. Without
 * the reservation both share the 16, which their 20/s of 990 ms overflow, and function
 * 1 loses some. */
Test(pool, a_reserved_function_keeps_its_reservation_while_a_neighbour_floods)
{
    struct scenario *s = load_yaml(pool_yaml);
    struct deployment_result shared = run_one(s, 3), alone = run_one(s, 1), kept = run_one(s, 2);
    cr_assert_gt(alone.fn_served[1], 0);
    cr_assert_eq(kept.fn_served[1], alone.fn_served[1]);
    cr_assert_lt(shared.fn_served[1], alone.fn_served[1]);
    cr_assert_leq(kept.instances_peak, 16);
    cr_assert_gt(kept.throttled, 0);
    result_free(&shared);
    result_free(&alone);
    result_free(&kept);
    scenario_destroy(s);
}

/* Reservations must leave the unreserved minimum: Lambda 100 of 1,000 (AWS docs
 * configuration-concurrency); at a pool of 10 the same share, 1. */
Test(pool, reservations_over_the_unreserved_minimum_are_refused)
{
    struct slsim_error e =
        load_yaml_error("duration: 10s\n"
                        "model: {service: 100ms}\n"
                        "workload: {arrival: constant, rate: 1/s, functions: 2}\n"
                        "deployments:\n"
                        "  - {name: a, platform: aws-lambda, memory: 1GiB,"
                        " reserved: {functions: {1: 500, 2: 401}}}\n");
    cr_assert_str_eq(e.key, "deployments.a.reserved");
    cr_assert(strstr(e.message, "at least 100 unreserved"), "%s", e.message);
    e = load_yaml_error("duration: 10s\n"
                        "model: {service: 100ms}\n"
                        "workload: {arrival: constant, rate: 1/s, functions: 2}\n"
                        "deployments:\n"
                        "  - {name: a, platform: aws-lambda, memory: 1GiB,"
                        " account_concurrency: 10, reserved: {functions: {2: 10}}}\n");
    cr_assert(strstr(e.message, "at least 1 unreserved"), "%s", e.message);
    e = load_yaml_error("duration: 10s\n"
                        "model: {service: 100ms}\n"
                        "workload: {arrival: constant, rate: 1/s, functions: 2}\n"
                        "deployments:\n"
                        "  - {name: a, platform: aws-lambda, memory: 1GiB,"
                        " reserved: {functions: {3: 1}}}\n");
    cr_assert_str_eq(e.key, "deployments.a.reserved.functions.3");
}

/* Under on_throttle: queue a request waiting on the full pool is started by a unit
 * any function frees, not only its own: 199 arrivals in 10 s (every 50 ms) of 990 ms
 * each on a pool of 1, waiting as long as needed, are all served (the drain runs
 * them after the end), one at a time. The one instance serves its own function's
 * queue while it has one (a slot freed goes to the function's queue first); once
 * that queue is empty the instance ends (keep_alive: none), and only the pool's
 * wake starts the other function's: without it they would wait for ever and be
 * dropped at the end. */
Test(pool, a_queued_request_takes_the_unit_another_function_frees)
{
    struct scenario *s =
        load_yaml("duration: 10s\n"
                  "model: {service: 990ms}\n"
                  "workload: {arrival: constant, rate: 20/s, functions: 2}\n"
                  "deployments:\n"
                  "  - {name: q, platform: aws-lambda, memory: 1769MiB, coldstart: none,"
                  " keep_alive: none, account_concurrency: 1, on_throttle: queue,"
                  " max_wait: 1h}\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_eq(r.requests, 199);
    cr_assert_eq(r.served, 199);
    cr_assert_eq(r.dropped, 0);
    cr_assert_eq(r.instances_peak, 1);
    result_free(&r);
    scenario_destroy(s);
}

/* The text report says how many throttled invocations were retried: their waits are in
 * the latencies and `throttled` stays 0, which alone would read as "no contention". A
 * pool of 2 for one function at 20/s of 1 s work, retried: many retries, none
 * throttled; the same pool rejecting: throttled, no such line. */
Test(pool, retries_are_named_in_the_text_report)
{
    char path[] = "/tmp/slsim-test-pool-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs("duration: 10m\nmodel: {name: m, memory: 1GiB, service: 1s}\n"
          "workload: {arrival: poisson, rate: 20/s}\n"
          "deployments: [{name: fn, platform: aws-lambda, account_concurrency: 2,"
          " on_throttle: retry}, {name: rej, platform: aws-lambda, account_concurrency: 2}]\n",
          fp);
    fclose(fp);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "run %s", path);
    struct outcome o = run(cmd);
    unlink(path);
    cr_assert_eq(o.status, 0, "%s", o.err);
    cr_assert(strstr(o.out, "fn: ") && strstr(o.out, " throttled invocations retried after a "
                                                     "backoff (in the latencies, not counted "
                                                     "as throttled)\n"),
              "%s", o.out);
    cr_assert(!strstr(o.out, "rej: ") || !strstr(strstr(o.out, "rej: "), "retried"), "%s",
              o.out);
    outcome_free(&o);
}

/* Processor sharing (two requests share an instance's vCPU) with a pool of 3 and
 * queued requests of another function: when an instance's last request ends it is
 * retired (keep_alive: none), and the pool's free unit starts a waiting request's
 * instance at once, in the same record. That instance's requests and completion are
 * its own, scheduled from its start: the retired one's completion must not
 * reschedule them from the earlier instant (it did, and a completion fell before its
 * request started). A pool of 3 serves at most 3 x 2 requests at a time, each at
 * least its 1 s of work at full speed, and the queue has no deadline, so every
 * request is served, after at least 1 s. */
Test(pool, a_retired_instance_s_record_taken_at_once_keeps_its_new_schedule)
{
    struct scenario *s = load_yaml("duration: 10m\n"
                                   "model: {memory: 1GiB, service: 1s}\n"
                                   "workload: {arrival: poisson, rate: 8/s, functions: 4,"
                                   " zipf: 0.5}\n"
                                   "deployments:\n"
                                   "  - {name: s, platform: cloud-run-instance, concurrency: 2,"
                                   " keep_alive: none, account_concurrency: 3,"
                                   " on_throttle: queue}\n");
    struct deployment_result r = run_one(s, 0);
    cr_assert_gt(r.requests, 4000);
    cr_assert_eq(r.served, r.requests);
    cr_assert_leq(r.instances_peak, 3);
    cr_assert_geq(r.latency.min_ns, 1000000000);
    result_free(&r);
    scenario_destroy(s);
}
