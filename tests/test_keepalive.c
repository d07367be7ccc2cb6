/* test_keepalive.c - the hybrid histogram keep-alive policy on idle-time patterns
 * whose right answer is known: a periodic function, Poisson arrivals concentrated
 * and spread over the 4-hour range, gaps longer than the range, and the edges of
 * the bins. Random idle times come from GSL with fixed seeds, so every run sees the
 * same numbers. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#include "slsim/keepalive.h"

#define MINUTE (60 * SIM_NS_PER_S)
#define HOUR (60 * MINUTE)

static struct ka_hist *new_hist(const struct ka_hist_params *p)
{
    cr_assert_eq(ka_hist_params_check(p, "test", NULL), 0);
    struct ka_hist *h = ka_hist_create(p);
    cr_assert_not_null(h);
    return h;
}

static struct ka_hist *new_default_hist(void)
{
    struct ka_hist_params p;
    ka_hist_params_default(&p);
    return new_hist(&p);
}

/* n exponential idle times of the given mean (minutes). */
static void feed_exponential(struct ka_hist *h, double mean_min, int n, unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    cr_assert_not_null(r);
    gsl_rng_set(r, seed);
    for (int i = 0; i < n; i++)
        ka_hist_observe(h, llround(gsl_ran_exponential(r, mean_min) * (double)MINUTE));
    gsl_rng_free(r);
}

static double minutes(sim_time ns)
{
    return (double)ns / (double)MINUTE;
}

Test(keepalive, defaults_match_the_paper_and_pass_the_check)
{
    struct ka_hist_params p;
    ka_hist_params_default(&p);
    cr_expect_eq(p.bin_ns, MINUTE);
    cr_expect_eq(p.range_ns, 4 * HOUR);
    cr_expect_eq(p.prewarm_pct, 5);
    cr_expect_eq(p.keep_alive_pct, 99);
    cr_expect_eq(p.margin, 0.10);
    cr_expect_eq(p.fallback_ns, 4 * HOUR);
    cr_expect_eq(ka_hist_params_check(&p, NULL, NULL), 0);
}

Test(keepalive, function_every_30_minutes_gets_a_window_around_30_minutes)
{
    struct ka_hist *h = new_default_hist();
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 30);
    sim_time lo = INT64_MAX, hi = 0;
    for (int i = 0; i < 50; i++) {
        sim_time it = 30 * MINUTE + llround(gsl_ran_flat(r, -5, 5) * (double)SIM_NS_PER_S);
        lo = it < lo ? it : lo;
        hi = it > hi ? it : hi;
        ka_hist_observe(h, it);
    }
    gsl_rng_free(r);
    cr_assert_gt(ka_hist_cv(h), 10, "two bins of 240 should give CV ~11, got %g", ka_hist_cv(h));

    struct ka_decision d = ka_hist_decide(h);
    cr_assert_eq(d.mode, KA_HISTOGRAM, "mode %s", ka_mode_name(d.mode));
    cr_expect_leq(llabs(d.prewarm_ns - 27 * MINUTE), MINUTE,
                  "pre-warm %.2f min, want 0.9 x 30 min within one bin", minutes(d.prewarm_ns));
    /* The window holds every idle time seen, and ends well before a second period. */
    cr_expect_leq(d.prewarm_ns, lo);
    cr_expect_gt(d.prewarm_ns + d.keep_alive_ns, hi);
    cr_expect_gt(d.prewarm_ns + d.keep_alive_ns, 30 * MINUTE);
    cr_expect_lt(d.prewarm_ns + d.keep_alive_ns, 40 * MINUTE);
    cr_expect_lt(d.keep_alive_ns, 15 * MINUTE, "keep-alive %.2f min", minutes(d.keep_alive_ns));
    ka_hist_destroy(h);
}

/* Poisson arrivals with a 10-minute mean fill ~20 effective bins of 240: CV ~3.3,
 * above the default threshold 2 (see keepalive.h), so the histogram is used, with
 * no pre-warm (the 5th percentile is in bin 0) and an end near 1.1 x p99 = 51 min. */
Test(keepalive, poisson_10min_is_concentrated_at_default_threshold)
{
    struct ka_hist *h = new_default_hist();
    feed_exponential(h, 10, 500, 1);
    double cv = ka_hist_cv(h);
    cr_assert(cv > 2.8 && cv < 3.8, "CV %g", cv);
    struct ka_decision d = ka_hist_decide(h);
    cr_assert_eq(d.mode, KA_HISTOGRAM, "mode %s", ka_mode_name(d.mode));
    cr_expect_eq(d.prewarm_ns, 0);
    cr_expect(d.keep_alive_ns > 40 * MINUTE && d.keep_alive_ns < 65 * MINUTE,
              "keep-alive %.2f min", minutes(d.keep_alive_ns));
    ka_hist_destroy(h);
}

Test(keepalive, poisson_10min_falls_back_when_threshold_is_above_its_cv)
{
    struct ka_hist_params p;
    ka_hist_params_default(&p);
    p.cv_threshold = 5;
    p.fallback_ns = 20 * MINUTE; /* not the range, so the test sees which value is used */
    struct ka_hist *h = new_hist(&p);
    feed_exponential(h, 10, 500, 1);
    struct ka_decision d = ka_hist_decide(h);
    cr_assert_eq(d.mode, KA_FALLBACK, "mode %s", ka_mode_name(d.mode));
    cr_expect_eq(d.prewarm_ns, 0);
    cr_expect_eq(d.keep_alive_ns, 20 * MINUTE);
    ka_hist_destroy(h);
}

/* With a 60-minute mean the idle times spread over the range: CV ~1.2. */
Test(keepalive, poisson_60min_falls_back_with_fallback_window_and_no_prewarm)
{
    struct ka_hist_params p;
    ka_hist_params_default(&p);
    p.fallback_ns = 20 * MINUTE;
    struct ka_hist *h = new_hist(&p);
    feed_exponential(h, 60, 500, 2);
    double cv = ka_hist_cv(h);
    cr_assert(cv > 0.9 && cv < 1.6, "CV %g", cv);
    cr_assert_lt((double)ka_hist_count_oob(h), 0.05 * 500, "OOB share must not trigger the forecast");
    struct ka_decision d = ka_hist_decide(h);
    cr_expect_eq(d.mode, KA_FALLBACK, "mode %s", ka_mode_name(d.mode));
    cr_expect_eq(d.prewarm_ns, 0);
    cr_expect_eq(d.keep_alive_ns, 20 * MINUTE);
    ka_hist_destroy(h);
}

Test(keepalive, lower_cv_threshold_makes_poisson_60min_representative)
{
    struct ka_hist_params p;
    ka_hist_params_default(&p);
    p.cv_threshold = 0.8;
    struct ka_hist *h = new_hist(&p);
    feed_exponential(h, 60, 500, 2);
    struct ka_decision d = ka_hist_decide(h);
    cr_assert_eq(d.mode, KA_HISTOGRAM, "mode %s", ka_mode_name(d.mode));
    /* p99 of an exponential is 4.6 means, here cut by the range: near its end. */
    cr_expect_gt(d.prewarm_ns + d.keep_alive_ns, 3 * HOUR);
    ka_hist_destroy(h);
}

Test(keepalive, no_or_too_few_samples_fall_back)
{
    struct ka_hist *h = new_default_hist();
    struct ka_decision d = ka_hist_decide(h);
    cr_expect_eq(d.mode, KA_FALLBACK);
    cr_expect_eq(d.prewarm_ns, 0);
    cr_expect_eq(d.keep_alive_ns, 4 * HOUR);
    for (int i = 0; i < 9; i++)
        ka_hist_observe(h, 30 * MINUTE);
    d = ka_hist_decide(h);
    cr_expect_eq(d.mode, KA_FALLBACK, "9 of min_samples 10: mode %s", ka_mode_name(d.mode));
    cr_expect_eq(d.keep_alive_ns, 4 * HOUR);
    ka_hist_observe(h, 30 * MINUTE);
    d = ka_hist_decide(h);
    cr_expect_eq(d.mode, KA_HISTOGRAM, "10 of min_samples 10: mode %s", ka_mode_name(d.mode));
    ka_hist_destroy(h);
}

Test(keepalive, mostly_out_of_bounds_idle_times_forecast_around_their_level)
{
    struct ka_hist *h = new_default_hist();
    for (int i = 0; i < 5; i++)
        ka_hist_observe(h, 10 * MINUTE);
    for (int i = 0; i < 20; i++)
        ka_hist_observe(h, 6 * HOUR + (i % 2 ? MINUTE : -MINUTE));
    cr_expect_eq(ka_hist_count_oob(h), 20);
    cr_expect_eq(ka_hist_count_in_range(h), 5);
    double f = ka_hist_forecast_ns(h);
    cr_assert_leq(fabs(f - (double)(6 * HOUR)), (double)MINUTE, "forecast %.1f min",
                  f / (double)MINUTE);

    struct ka_decision d = ka_hist_decide(h);
    cr_assert_eq(d.mode, KA_FORECAST, "mode %s", ka_mode_name(d.mode));
    /* Default forecast margin 0.15: load at 0.85 F, keep until 1.15 F. */
    cr_expect_leq(llabs(d.prewarm_ns - llround(0.85 * 6 * HOUR)), 2 * MINUTE,
                  "pre-warm %.1f min", minutes(d.prewarm_ns));
    cr_expect_leq(llabs(d.prewarm_ns + d.keep_alive_ns - llround(1.15 * 6 * HOUR)), 2 * MINUTE,
                  "end %.1f min", minutes(d.prewarm_ns + d.keep_alive_ns));
    cr_expect_leq(llabs(d.keep_alive_ns - llround(0.30 * 6 * HOUR)), 2 * MINUTE);
    ka_hist_destroy(h);
}

Test(keepalive, forecast_follows_a_new_level_of_long_gaps)
{
    struct ka_hist *h = new_default_hist();
    for (int i = 0; i < 10; i++)
        ka_hist_observe(h, 6 * HOUR);
    for (int i = 0; i < 10; i++)
        ka_hist_observe(h, 12 * HOUR);
    /* alpha 0.5: ten steps leave 2^-10 of the old level. */
    double f = ka_hist_forecast_ns(h);
    cr_expect_leq(fabs(f - (double)(12 * HOUR)), (double)(6 * HOUR) / 1000, "forecast %.1f h",
                  f / (double)HOUR);
    struct ka_decision d = ka_hist_decide(h);
    cr_expect_eq(d.mode, KA_FORECAST);
    cr_expect_gt(d.prewarm_ns, 10 * HOUR);
    ka_hist_destroy(h);
}

Test(keepalive, oob_share_must_exceed_the_fraction_and_needs_no_min_samples)
{
    struct ka_hist *h = new_default_hist();
    ka_hist_observe(h, 6 * HOUR);
    cr_expect_eq(ka_hist_decide(h).mode, KA_FORECAST, "one long gap is enough to forecast");
    ka_hist_observe(h, 30 * MINUTE);
    cr_expect_eq(ka_hist_decide(h).mode, KA_FALLBACK, "half OOB is not more than 0.5");
    ka_hist_destroy(h);
}

/* Percentiles are read over the in-range idle times only: a tenth of overnight gaps
 * must not pull a 30-minute pattern's tail up to its rare 3-hour gaps (1% of the
 * in-range ones, but the top 10% + 1% of all idle times). */
Test(keepalive, out_of_bounds_minority_does_not_enter_the_percentiles)
{
    struct ka_hist *h = new_default_hist();
    for (int i = 0; i < 1000; i++)
        ka_hist_observe(h, i < 891 ? 30 * MINUTE : i < 900 ? 3 * HOUR : 10 * HOUR);
    cr_expect_eq(ka_hist_count_oob(h), 100);
    struct ka_decision d = ka_hist_decide(h);
    cr_assert_eq(d.mode, KA_HISTOGRAM, "mode %s", ka_mode_name(d.mode));
    cr_expect_eq(d.prewarm_ns, 27 * MINUTE);
    cr_expect_eq(d.prewarm_ns + d.keep_alive_ns, llround(1.1 * 31 * MINUTE), "end %.1f min",
                 minutes(d.prewarm_ns + d.keep_alive_ns));
    ka_hist_destroy(h);
}

Test(keepalive, tail_percentile_95_gives_shorter_window_than_99)
{
    struct ka_hist_params p;
    ka_hist_params_default(&p);
    struct ka_hist *h99 = new_hist(&p);
    p.keep_alive_pct = 95;
    struct ka_hist *h95 = new_hist(&p);
    feed_exponential(h99, 10, 500, 3);
    feed_exponential(h95, 10, 500, 3);
    struct ka_decision d99 = ka_hist_decide(h99), d95 = ka_hist_decide(h95);
    cr_assert_eq(d99.mode, KA_HISTOGRAM);
    cr_assert_eq(d95.mode, KA_HISTOGRAM);
    /* Exponential: p99 = 4.6 means, p95 = 3.0 means, 16 minutes apart. */
    cr_expect_lt(d95.keep_alive_ns, d99.keep_alive_ns - 10 * MINUTE, "95: %.1f min, 99: %.1f min",
                 minutes(d95.keep_alive_ns), minutes(d99.keep_alive_ns));
    ka_hist_destroy(h99);
    ka_hist_destroy(h95);
}

Test(keepalive, head_percentile_and_margin_move_the_prewarm)
{
    struct ka_hist_params p;
    ka_hist_params_default(&p);
    p.prewarm_pct = 50;
    struct ka_hist *h = new_hist(&p);
    feed_exponential(h, 10, 500, 4);
    struct ka_decision d = ka_hist_decide(h);
    cr_assert_eq(d.mode, KA_HISTOGRAM);
    /* The median of an exponential is 0.69 means: bin 6 or so, times 0.9. */
    cr_expect(d.prewarm_ns >= llround(0.9 * 5 * MINUTE) && d.prewarm_ns <= llround(0.9 * 8 * MINUTE),
              "pre-warm %.2f min", minutes(d.prewarm_ns));
    ka_hist_destroy(h);

    ka_hist_params_default(&p);
    p.margin = 0;
    h = new_hist(&p);
    for (int i = 0; i < 20; i++)
        ka_hist_observe(h, 30 * MINUTE + 10 * SIM_NS_PER_S);
    d = ka_hist_decide(h);
    cr_assert_eq(d.mode, KA_HISTOGRAM);
    cr_expect_eq(d.prewarm_ns, 30 * MINUTE, "no margin: the low edge of bin 30");
    cr_expect_eq(d.keep_alive_ns, MINUTE, "no margin: to the high edge of bin 30");
    ka_hist_destroy(h);
}

/* With min_samples 1 and threshold 0 a single idle time decides, so the windows
 * show which bin it went to. */
static struct ka_decision decide_one(sim_time idle_ns, struct ka_hist **out)
{
    struct ka_hist_params p;
    ka_hist_params_default(&p);
    p.min_samples = 1;
    p.cv_threshold = 0;
    struct ka_hist *h = new_hist(&p);
    ka_hist_observe(h, idle_ns);
    struct ka_decision d = ka_hist_decide(h);
    if (out)
        *out = h;
    else
        ka_hist_destroy(h);
    return d;
}

Test(keepalive, bin_edges)
{
    struct ka_hist *h;
    decide_one(4 * HOUR, &h);
    cr_expect_eq(ka_hist_count_oob(h), 1, "exactly the range is out of bounds");
    cr_expect_eq(ka_hist_count_in_range(h), 0);
    ka_hist_destroy(h);

    struct ka_decision d = decide_one(4 * HOUR - 1, &h);
    cr_expect_eq(ka_hist_count_in_range(h), 1, "just under the range is in the last bin");
    cr_expect_eq(d.mode, KA_HISTOGRAM);
    cr_expect_eq(d.prewarm_ns, llround(0.9 * 239 * MINUTE));
    cr_expect_eq(d.prewarm_ns + d.keep_alive_ns, llround(1.1 * 240 * MINUTE));
    ka_hist_destroy(h);

    d = decide_one(0, NULL);
    cr_expect_eq(d.mode, KA_HISTOGRAM);
    cr_expect_eq(d.prewarm_ns, 0, "0 is in bin 0");
    cr_expect_eq(d.keep_alive_ns, llround(1.1 * MINUTE));

    d = decide_one(-5 * MINUTE, NULL);
    cr_expect_eq(d.prewarm_ns, 0, "a negative idle time counts as 0");
    cr_expect_eq(d.keep_alive_ns, llround(1.1 * MINUTE));

    d = decide_one(MINUTE - 1, NULL);
    cr_expect_eq(d.prewarm_ns, 0, "59.999... s is still bin 0");
    d = decide_one(MINUTE, NULL);
    cr_expect_eq(d.prewarm_ns, llround(0.9 * MINUTE), "1 min starts bin 1");
    cr_expect_eq(d.prewarm_ns + d.keep_alive_ns, llround(1.1 * 2 * MINUTE));
}

/* The running CV against GSL's standard deviation of the counts, kept apart. */
Test(keepalive, cv_matches_gsl_on_the_bin_counts)
{
    struct ka_hist *h = new_default_hist();
    double counts[240] = {0};
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    gsl_rng_set(r, 5);
    for (int i = 0; i < 3000; i++) {
        sim_time it = llround(gsl_ran_lognormal(r, log(20.0), 1.0) * (double)MINUTE);
        ka_hist_observe(h, it);
        if (it < 4 * HOUR)
            counts[it / MINUTE]++;
    }
    gsl_rng_free(r);
    double mean = gsl_stats_mean(counts, 1, 240);
    double cv = gsl_stats_sd_with_fixed_mean(counts, 1, 240, mean) / mean;
    cr_expect_float_eq(ka_hist_cv(h), cv, 1e-9 * cv, "running %g, GSL %g", ka_hist_cv(h), cv);
    ka_hist_destroy(h);

    h = new_default_hist();
    ka_hist_observe(h, 30 * MINUTE);
    cr_expect_float_eq(ka_hist_cv(h), sqrt(239), 1e-12, "one full bin of 240");
    ka_hist_destroy(h);

    h = new_default_hist();
    for (int i = 0; i < 240; i++)
        ka_hist_observe(h, i * MINUTE);
    cr_expect_float_eq(ka_hist_cv(h), 0, 1e-12, "every bin alike");
    ka_hist_destroy(h);
}

Test(keepalive, huge_values_saturate_instead_of_overflowing)
{
    struct ka_hist_params p;
    ka_hist_params_default(&p);
    p.fallback_ns = SIM_TIME_FOREVER;
    struct ka_hist *h = new_hist(&p);
    cr_expect_eq(ka_hist_decide(h).keep_alive_ns, SIM_TIME_FOREVER);
    ka_hist_observe(h, SIM_TIME_FOREVER);
    struct ka_decision d = ka_hist_decide(h);
    cr_expect_eq(d.mode, KA_FORECAST);
    cr_expect_geq(d.prewarm_ns, 0);
    cr_expect_geq(d.keep_alive_ns, 0);
    cr_expect_eq(d.prewarm_ns + d.keep_alive_ns, SIM_TIME_FOREVER);
    ka_hist_destroy(h);
}

Test(keepalive, bad_parameters_are_refused_with_a_reason)
{
    struct ka_hist_params p;
    struct slsim_error err;

    ka_hist_params_default(&p);
    p.range_ns = 90 * SIM_NS_PER_S; /* 1.5 bins */
    cr_expect_eq(ka_hist_params_check(&p, "deployments.f.keep_alive", &err), -1);
    cr_expect_str_eq(err.key, "deployments.f.keep_alive");
    cr_expect_neq(strstr(err.message, "multiple"), NULL, "%s", err.message);

    ka_hist_params_default(&p);
    p.bin_ns = 0;
    cr_expect_eq(ka_hist_params_check(&p, NULL, &err), -1);

    ka_hist_params_default(&p);
    p.prewarm_pct = 99;
    p.keep_alive_pct = 95;
    cr_expect_eq(ka_hist_params_check(&p, NULL, &err), -1);
    cr_expect_neq(strstr(err.message, "percentiles"), NULL, "%s", err.message);

    ka_hist_params_default(&p);
    p.cv_threshold = NAN;
    cr_expect_eq(ka_hist_params_check(&p, NULL, &err), -1);

    ka_hist_params_default(&p);
    p.forecast_alpha = 0;
    cr_expect_eq(ka_hist_params_check(&p, NULL, &err), -1);

    ka_hist_params_default(&p);
    p.bin_ns = 1;
    p.range_ns = 4 * HOUR; /* 1.44e13 bins */
    cr_expect_eq(ka_hist_params_check(&p, NULL, &err), -1);
}
