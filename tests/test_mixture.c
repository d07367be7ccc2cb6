/* test_mixture.c - the mixture distribution (dist: mixture): its moments and
 * distribution function in closed form, its draws, and how YAML writes it. */
#include <criterion/criterion.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "helpers.h"
#include "slsim/dist.h"

/* 99% exponential of mean 0.1 s, 1% constant 900 s:
 *   mean = 0.99 x 0.1 + 0.01 x 900 = 9.099 s
 *   E[X^2] = 0.99 x (0.1^2 + 0.1^2) + 0.01 x 900^2 = 0.0198 + 8100 = 8100.0198
 *   variance = 8100.0198 - 9.099^2 = 8017.228999
 *   F(1 s) = 0.99 x (1 - e^-10); F(900 s) = 1. */
static void two_parts(struct dist *d)
{
    struct dist parts[2];
    char why[200];
    cr_assert_eq(dist_exponential(&parts[0], 0.1, why, sizeof why), 0);
    cr_assert_eq(dist_constant(&parts[1], 900, why, sizeof why), 0);
    double w[2] = {0.99, 0.01};
    cr_assert_eq(dist_mixture(d, parts, w, 2, why, sizeof why), 0, "%s", why);
}

Test(mixture, moments_and_cdf_in_closed_form)
{
    struct dist d;
    two_parts(&d);
    cr_assert_float_eq(dist_mean_s(&d), 9.099, 1e-12);
    cr_assert_float_eq(dist_variance_s2(&d), 8100.0198 - 9.099 * 9.099, 1e-8);
    cr_assert_float_eq(dist_cdf(&d, 1.0), 0.99 * -expm1(-10.0), 1e-12);
    cr_assert_float_eq(dist_cdf(&d, 899.0), 0.99, 1e-12);
    cr_assert_float_eq(dist_cdf(&d, 900.0), 1.0, 1e-12);
    cr_assert_str_eq(dist_kind_name(d.kind), "mixture");
    struct dist c;
    cr_assert_eq(dist_copy(&c, &d), 0);
    dist_free(&d);
    cr_assert_float_eq(dist_cdf(&c, 899.0), 0.99, 1e-12);
    dist_free(&c);
}

/* 100,000 draws: the 900 s part is drawn a binomial(100,000, 0.01) number of times,
 * mean 1,000, sd 31.5; 5 sd either side is [843, 1157]. The rest average 0.1 s:
 * sd of their mean 0.1 / sqrt(99,000) = 0.00032; within 0.002. */
Test(mixture, draws_take_each_part_by_its_weight)
{
    struct dist d;
    two_parts(&d);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 20);
    long hang = 0, rest = 0;
    double sum = 0;
    for (int i = 0; i < 100000; i++) {
        sim_time t = dist_sample_ns(&d, r);
        if (t == 900000000000LL) {
            hang++;
        } else {
            rest++;
            sum += (double)t / 1e9;
        }
    }
    gsl_rng_free(r);
    cr_assert(hang >= 843 && hang <= 1157, "%ld", hang);
    cr_assert_float_eq(sum / (double)rest, 0.1, 0.002);
    dist_free(&d);
}

/* Weights are relative: 3 and 1 are 75% and 25%. */
Test(mixture, yaml_parts_with_relative_weights)
{
    struct scenario *s =
        load_yaml("duration: 10s\n"
                  "model:\n"
                  "  service:\n"
                  "    dist: mixture\n"
                  "    of:\n"
                  "      - {weight: 3, dist: constant, value: 100ms}\n"
                  "      - {weight: 1, dist: constant, value: 900ms}\n"
                  "workload: {arrival: constant, rate: 1/s}\n"
                  "deployments: [{name: a, coldstart: none}]\n");
    /* mean = 0.75 x 0.1 + 0.25 x 0.9 = 0.3 s */
    cr_assert_float_eq(dist_mean_s(&s->model.service), 0.3, 1e-12);
    cr_assert_float_eq(dist_cdf(&s->model.service, 0.5), 0.75, 1e-12);
    scenario_destroy(s);
}

Test(mixture, bad_parts_are_placed)
{
    struct slsim_error e = load_yaml_error(
        "duration: 10s\n"
        "model: {service: {dist: mixture, of: [{weight: 0, value: 1s}]}}\n"
        "workload: {arrival: constant, rate: 1/s}\n"
        "deployments: [{name: a}]\n");
    cr_assert_str_eq(e.key, "model.service.of[1].weight");
    e = load_yaml_error("duration: 10s\n"
                        "model: {service: {dist: mixture, of: [{value: 1s}]}}\n"
                        "workload: {arrival: constant, rate: 1/s}\n"
                        "deployments: [{name: a}]\n");
    cr_assert(strstr(e.message, "weight"), "%s", e.message);
    e = load_yaml_error("duration: 10s\n"
                        "model: {service: {dist: lognormal, mean: 1s, cv: 1, weight: 1}}\n"
                        "workload: {arrival: constant, rate: 1/s}\n"
                        "deployments: [{name: a}]\n");
    cr_assert_str_eq(e.key, "model.service.weight");
}
