/* test_long_runs.c - bills and instance-time of runs longer than int64 nanoseconds
 * can sum: int64 ns holds 292 instance-years, so a fleet of 293 machines for a year,
 * 1,000 kept-warm instances for a decade or thousands of instances each living for
 * years must still bill to the cent. Prices are the built-in catalog's
 * (scenarios/pricing/default.yaml); each bill is worked by hand below. A tiny
 * arrival rate keeps every run short. */
#include <cjson/cJSON.h>
#include <math.h>

#include "cli_helpers.h"
#include "helpers.h"

#define CENT 0.005 /* "to the cent": within half a cent */

static struct deployment_result run_yaml(const char *yaml)
{
    struct scenario *s = load_yaml(yaml);
    struct deployment_result r = run_one(s, 0);
    scenario_destroy(s);
    return r;
}

/* One field of the first deployment of a JSON report, by dotted path. */
static double json_field(const cJSON *root, const char *path)
{
    const cJSON *cur = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "deployments"), 0);
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *tok = strtok(buf, "."); tok && cur; tok = strtok(NULL, "."))
        cur = cJSON_GetObjectItemCaseSensitive(cur, tok);
    cr_assert(cJSON_IsNumber(cur), "missing number %s", path);
    return cur->valuedouble;
}

#define FLEET_1000_DECADE                                                                   \
    "name: decade\n"                                                                        \
    "duration: 3650d\n"                                                                     \
    "model: {service: 100ms}\n"                                                             \
    "workload: {arrival: constant, rate: 1/h}\n"                                            \
    "deployments: [{name: fleet, type: dedicated, instance: c6i.xlarge, count: 1000}]\n"

Test(long_runs, fleet_of_1000_machines_for_ten_years_bills_every_machine_hour)
{
    /* EC2 on-demand, per-second billing of each machine's life: 1,000 c6i.xlarge x
     * 87,600 h (3,650 days) x $0.17/h = $14,892,000.00; billed time 1,000 x 3.1536e11
     * s = 3.1536e20 ns, 34 times INT64_MAX. */
    struct deployment_result r = run_yaml(FLEET_1000_DECADE);
    cr_assert_float_eq(r.cost.instances_usd, 14892000.00, CENT);
    cr_assert_float_eq(result_cost_total(&r), 14892000.00, CENT);
    cr_assert_float_eq(r.billed_ms, 1000 * 3650 * 86400e3, 0.5);
    result_free(&r);
}

Test(long_runs, instance_time_of_the_decade_fleet_is_exact)
{
    /* Arrivals at 1 h, 2 h, ..., 87,599 h (the one at 87,600 h is the end), 100 ms
     * each: busy 8,759.9 machine-s. Machine-time 1,000 x 315,360,000 s, so mean
     * instances 1,000, idle 315,359,991,240.1 s and utilisation (1 slot each)
     * 8,759.9 / 3.1536e11. A sum of 3.2e20 ns kept in a double was 0.5 s short of
     * the idle time and showed 999.9999999983 machines. */
    struct deployment_result r = run_yaml(FLEET_1000_DECADE);
    cr_assert_eq(r.requests, 87599);
    cr_assert_float_eq(r.instance_s, 3.1536e11, 1e-3);
    cr_assert_float_eq(r.busy_instance_s, 8759.9, 1e-6);
    cr_assert_float_eq(r.idle_instance_s, 315359991240.1, 1e-3);
    cr_assert_float_eq(result_instances_mean(&r), 1000, 1e-9);
    cr_assert_float_eq(result_utilization(&r), 8759.9 / 3.1536e11, 1e-21);
    result_free(&r);
}

Test(long_runs, decade_fleet_through_the_command_line_in_json, .timeout = 60)
{
    char path[] = "/tmp/slsim-long-XXXXXX";
    write_temp(path, FLEET_1000_DECADE);
    char args[256];
    snprintf(args, sizeof args, "run %s --format json", path);
    struct outcome o = run(args);
    unlink(path);
    cr_assert_eq(o.status, 0, "stderr: %s", o.err);
    cJSON *root = cJSON_Parse(o.out);
    cr_assert(root, "not JSON: %s", o.out);
    /* As above: 1,000 x 87,600 h x $0.17 = $14,892,000.00. */
    cr_assert_float_eq(json_field(root, "cost_usd.total"), 14892000.00, CENT);
    cr_assert_float_eq(json_field(root, "cost_usd.breakdown.instances"), 14892000.00, CENT);
    cr_assert_float_eq(json_field(root, "billed_ms"), 3.1536e14, 0.5);
    cr_assert_float_eq(json_field(root, "instances.mean"), 1000, 1e-9);
    cr_assert_float_eq(json_field(root, "idle_instance_s"), 315359991240.1, 1e-3);
    cJSON_Delete(root);
    outcome_free(&o);
}

Test(long_runs, fleet_of_293_machines_for_a_year)
{
    /* One machine more than int64 ns holds for a 365-day year (292.3 machine-years):
     * 293 x 8,760 h x $0.17 = $436,335.60, not a negative bill. */
    struct deployment_result r =
        run_yaml("duration: 365d\n"
                 "model: {service: 100ms}\n"
                 "workload: {arrival: constant, rate: 1/h}\n"
                 "deployments: [{type: dedicated, instance: c6i.xlarge, count: 293}]\n");
    cr_assert_float_eq(r.cost.instances_usd, 436335.60, CENT);
    cr_assert_float_eq(r.billed_ms, 293 * 365 * 86400e3, 0.5);
    cr_assert_float_eq(result_instances_mean(&r), 293, 1e-9);
    result_free(&r);
}

Test(long_runs, lambda_provisioned_concurrency_1000_for_ten_years_by_allocation)
{
    /* Lambda provisioned concurrency, the allocation rule: allocated GiB-s at
     * provisioned_gb_s ($0.0000041667), the allocation rounded up to Lambda's
     * 5-minute unit, plus execution on it at provisioned_exec_gb_s ($0.0000097222)
     * rounded up to 1 ms. 3,650 days and 1 minute of 1,000 instances of 2 GiB bill
     * 3,650 d 5 min = 315,360,300 s each:
     *   1,000 x 315,360,300 s x 2 GiB x 0.0000041667 = $2,628,023.52402;
     * 87,600 requests (at 1 h, ..., 87,600 h) of 100 ms on warm instances:
     *   87,600 x 0.1 s x 2 GiB x 0.0000097222 = $0.17033;
     * fees 87,600 x $0.0000002 = $0.01752 (no free tier with provisioned capacity). */
    struct deployment_result r =
        run_yaml("duration: 3650d1m\n"
                 "model: {service: 100ms, memory: 2GiB}\n"
                 "workload: {arrival: constant, rate: 1/h}\n"
                 "deployments: [{platform: aws-lambda, provisioned: 1000, coldstart: none}]\n");
    cr_assert_eq(r.served, 87600);
    cr_assert_eq(r.cold_starts, 0);
    double allocation = 1000 * 315360300.0 * 2 * 0.0000041667;
    double execution = 87600 * 0.1 * 2 * 0.0000097222;
    cr_assert_float_eq(r.cost.provisioned_usd, allocation + execution, CENT);
    cr_assert_float_eq(r.cost.requests_usd, 87600 * 0.0000002, 1e-9);
    cr_assert_float_eq(r.cost.compute_usd, 0, 0);
    /* The kept-warm instance-time, not rounded: 1,000 x 315,360,060 s. */
    cr_assert_float_eq(r.provisioned_instance_s, 1000 * 315360060.0, 1e-3);
    cr_assert_float_eq(r.idle_instance_s, 1000 * 315360060.0 - 8760, 1e-3);
    result_free(&r);
}

Test(long_runs, modal_kept_warm_instances_billed_by_life_for_ten_years)
{
    /* Modal T4, min instances billed as instance life at the full rates, per second:
     * 4 GiB x $0.00000222 + 1 vCPU x $0.0000131 + 1 GPU x $0.000164 = $0.00018598 a
     * second; 200 instances x 315,360,000 s x 0.00018598 = $11,730,130.56. The
     * 87,599 requests run on them and bill nothing more. */
    struct deployment_result r =
        run_yaml("duration: 3650d\n"
                 "model: {service: 100ms, memory: 4GiB}\n"
                 "workload: {arrival: constant, rate: 1/h}\n"
                 "deployments: [{platform: modal-t4, provisioned: 200, coldstart: none}]\n");
    cr_assert_eq(r.served, 87599);
    cr_assert_float_eq(r.cost.provisioned_usd, 11730130.56, CENT);
    cr_assert_float_eq(r.cost.compute_usd, 0, 0);
    cr_assert_float_eq(r.billed_ms, 200 * 315360000e3, 0.5);
    cr_assert_float_eq(result_instances_mean(&r), 200, 1e-9);
    result_free(&r);
}

Test(long_runs, modal_on_demand_instances_living_for_years_bill_their_whole_life)
{
    /* Instance billing on demand: a request a day (at day 1, ..., 3,649) that runs
     * for ten years starts its own instance (one request each), which lives to the
     * end of the 3,650-day run: sum of (3,650 - k) days over k = 1..3,649 =
     * 3,649 x 3,650 / 2 = 6,659,425 instance-days = 575,374,320,000 s (18,245
     * instance-years), at $0.00018598 a second (as above) = $107,008,116.0336. */
    struct deployment_result r =
        run_yaml("duration: 3650d\n"
                 "model: {service: 3650d, memory: 4GiB}\n"
                 "workload: {arrival: constant, rate: 1/d}\n"
                 "deployments: [{platform: modal-t4, coldstart: none}]\n");
    cr_assert_eq(r.cold_starts, 3649);
    cr_assert_float_eq(r.cost.compute_usd, 107008116.0336, CENT);
    cr_assert_float_eq(r.billed_ms, 575374320000e3, 0.5);
    cr_assert_float_eq(r.busy_instance_s, 575374320000.0, 1e-3);
    cr_assert_float_eq(result_instances_mean(&r), 1824.5, 1e-9);
    result_free(&r);
}

Test(long_runs, a_timeline_interval_longer_than_the_clock_has_left_is_one_row)
{
    /* An interval of 106,000 days over a 3,650-day run: one row, from 0, holding
     * the whole fleet (1,000 machines: busy + idle = 1,000) and its machine-time
     * cost, 1,000 x 87,600 h x $0.17 = $14,892,000. The row count, (run + interval
     * - 1) / interval, and the row's end, start + interval, both passed INT64_MAX. */
    struct scenario *s = load_yaml(FLEET_1000_DECADE);
    struct deployment_result r;
    struct slsim_error err;
    cr_assert_eq(run_deployment(s, 0, 0, SIM_NS_PER_S * 86400 * 106000, &r, &err), 0, "%s",
                 err.message);
    scenario_destroy(s);
    cr_assert_eq(r.n_timeline, 1);
    cr_assert_eq(r.timeline[0].start_ns, 0);
    cr_assert_float_eq(r.timeline[0].busy + r.timeline[0].idle, 1000, 1e-9);
    cr_assert_float_eq(r.timeline[0].cost_usd, 14892000.00, CENT);
    result_free(&r);
}

Test(long_runs, durations_past_the_clocks_room_are_refused_with_the_limit)
{
    /* The clock is int64 ns (292 years) and a sampled duration may be a quarter of
     * it, so a run may last up to 25,550 days (70 years), not 106,751 days. */
    struct scenario *s = load_yaml("duration: 25550d\n"
                                   "model: {service: 100ms}\n"
                                   "workload: {arrival: constant, rate: 1/d}\n"
                                   "deployments: [{platform: generic}]\n");
    scenario_destroy(s);
    struct slsim_error err = load_yaml_error("duration: 25551d\n"
                                             "model: {service: 100ms}\n"
                                             "workload: {arrival: constant, rate: 1/d}\n"
                                             "deployments: [{platform: generic}]\n");
    cr_assert_str_eq(err.key, "duration");
    cr_assert_eq(err.line, 1);
    cr_assert(strstr(err.message, "25550d"), "%s", err.message);
}
