/* test_locate.c - problems found after a scenario has loaded (by compare, by sizing a
 * fleet) still point at the file, line and column where the key was written. */
#include <criterion/criterion.h>

#include "helpers.h"
#include "slsim/compare.h"
#include "slsim/sizing.h"

static struct scenario *load_set(const char *yaml, const char *set, char *path, size_t len)
{
    char tmpl[] = "/tmp/slsim-locate-XXXXXX";
    write_temp(tmpl, yaml);
    snprintf(path, len, "%s", tmpl);
    struct scenario *s = NULL;
    struct slsim_error err = {0};
    const char *sets[1] = {set};
    int rc = scenario_load(tmpl, sets, set ? 1 : 0, &s, &err);
    cr_assert_eq(rc, 0, "%s:%d:%d: %s", err.file, err.line, err.column, err.message);
    return s;
}

Test(locate, compare_refusal_points_at_the_arrival_key)
{
    char path[64];
    struct scenario *s = load_set("duration: 2h\n"
                                  "model: {service: 100ms}\n"
                                  "workload:\n"
                                  "  arrival: diurnal\n"
                                  "  rate: 5/s\n"
                                  "  period: 1h\n"
                                  "deployments: [{platform: generic}]\n",
                                  NULL, path, sizeof path);
    struct slsim_error err = {0};
    cr_assert_neq(compare_check_scenario(s, &err), 0);
    cr_expect_str_eq(err.file, path);
    cr_expect_eq(err.line, 4);
    cr_expect_eq(err.column, 12);
    cr_expect_str_eq(err.key, "workload.arrival");
    scenario_destroy(s);
    unlink(path);
}

Test(locate, an_override_is_located_in_the_override)
{
    char path[64];
    struct scenario *s = load_set("duration: 2h\n"
                                  "model: {service: 100ms}\n"
                                  "workload: {arrival: poisson, rate: 5/s, period: 1h}\n"
                                  "deployments: [{platform: generic}]\n",
                                  "workload.arrival=diurnal", path, sizeof path);
    struct slsim_error err = {0};
    cr_assert_neq(compare_check_scenario(s, &err), 0);
    cr_expect_str_eq(err.file, "--set");
    cr_expect_eq(err.line, 1);
    cr_expect_eq(err.column, 18); /* the value after "workload.arrival=" */
    scenario_destroy(s);
    unlink(path);
}

/* The service time alone (constant 2 s) is above a 1 s objective: sizing refuses before
 * any run, and the message points at the objective. */
Test(locate, unreachable_slo_points_at_the_objective)
{
    char path[64];
    struct scenario *s = load_set("duration: 1h\n"
                                  "model: {service: 2s}\n"
                                  "workload: {arrival: poisson, rate: 5/s}\n"
                                  "deployments:\n"
                                  "  - {name: fleet, type: dedicated, instance: c6i.xlarge}\n"
                                  "slo:\n"
                                  "  latency_p99: 1s\n",
                                  NULL, path, sizeof path);
    struct slsim_error err = {0};
    cr_assert_neq(scenario_check_reachable(s, 0, &err), 0);
    cr_expect_str_eq(err.file, path);
    cr_expect_eq(err.line, 7);
    cr_expect_eq(err.column, 3);
    cr_expect_str_eq(err.key, "slo");
    scenario_destroy(s);
    unlink(path);
}

/* A key that took its default is located at the nearest key that was written. */
Test(locate, a_defaulted_key_falls_back_to_its_deployment)
{
    char path[64];
    struct scenario *s = load_set("duration: 1h\n"
                                  "model: {service: 100ms}\n"
                                  "workload: {arrival: poisson, rate: 5/s}\n"
                                  "deployments:\n"
                                  "  - name: a\n"
                                  "    platform: generic\n"
                                  "  - name: b\n"
                                  "    platform: generic\n",
                                  NULL, path, sizeof path);
    struct slsim_error err = {0};
    cr_assert_eq(scenario_error_at(s, "deployments.b.keep_alive", &err, "x %d", 1), -1);
    cr_expect_eq(err.line, 7);
    cr_expect_eq(err.column, 5);
    cr_expect_str_eq(err.key, "deployments.b.keep_alive");
    cr_expect_str_eq(err.message, "x 1");
    cr_assert_eq(scenario_error_at(s, "deployments.a.platform", &err, "y"), -1);
    cr_expect_eq(err.line, 6);
    cr_expect_eq(err.column, 15);
    scenario_destroy(s);
    unlink(path);
}
