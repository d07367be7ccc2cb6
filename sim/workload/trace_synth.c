/* trace_synth.c - a synthetic day in the Azure Functions 2019 format.
 *
 * What is drawn, and from which published statistic (Shahrad et al., "Serverless in
 * the Wild", USENIX ATC 2020):
 *
 * - Functions per app: 1 (54% of apps), 2 (16%), 3 (10%), 4-5 (8%), 6-10 (7%), 11 or
 *   more (5%; 0.04% of apps have over 100): a bucket in those proportions, uniform
 *   inside it; above 10, 11 + a geometric number with p = 0.0528 (0.8% of those pass
 *   100). The last app is cut so that there are exactly spec->functions functions.
 * - Popularity: daily invocations span about eight orders of magnitude and 45% of
 *   apps are invoked at most once an hour (24 a day) on average. log10 of an app's
 *   daily rate is normal, N(mu, s^2), anchored so that 45% fall at or below 24 a day
 *   (mu = log10 24 - s z_0.45); the spread s is the one whose expected total is
 *   spec->total_invocations. So the anchor holds at every size and the spread grows
 *   with the traffic per app: about 1 decade for 2000 functions and 2e5 invocations,
 *   1.5 (rates over ten decades) for the official day's ~46k functions at ~3000
 *   invocations each. The paper's other anchor, 81% of apps at most once a minute, is
 *   met only near that size. A target under 24 a day per app cannot keep the 45%
 *   anchor: then s = 1 and mu is lowered to the target. Normal quantiles are
 *   stratified (one per 1/A of probability, in random order) so that a few hundred
 *   apps already show the intended shares. An app's rate is split over its functions
 *   by Dirichlet(0.5) weights: usually one function takes most.
 * - Triggers: spec->timer_share of the functions (0.3 by default; the paper has 16% of
 *   functions, 2% of invocations) are timers that fire once every P minutes from a
 *   random phase, P in {1, 2, 5, ..., 720, 1440} the nearest (in log) to 1440 / their
 *   drawn rate. The others are http, queue, event, orchestration, storage or others
 *   in the paper's proportions of functions (55, 15.2, 2.2, 6.9, 2.8, 2.2%), with
 *   Poisson counts per minute at their daily rate / 1440. The spread s is solved with
 *   the timers' rounded rates.
 * - Execution times, in seconds: the average execution time of functions is
 *   lognormal, ln(average) ~ N(-0.38, 2.36^2) (the paper's fit: half of the functions
 *   average under 0.68 s), stratified like the popularity. Within a function ln(time)
 *   has spread spec->duration_sigma (the paper gives none; 0.43 is the median of
 *   ln(p75/p25)/1.349 over the 500 functions of the InVitro sample), so the
 *   function's own lognormal has mu = ln(average) - sigma^2/2. Its percentiles go
 *   into the durations file, in ms with fractions; 0 and 100, which a lognormal does
 *   not have, are written as its 0.1th and 99.9th percentiles, and Minimum and
 *   Maximum equal them.
 * - Memory: per app lognormal with median 150 MB and sigma 0.6 (90% of apps under
 *   about 320 MB), an assumption of ours, not a fit to the paper's memory figure.
 *   Every function of an app gets the app's memory (an instance holds the whole app;
 *   the official files measure memory per app), with a narrow spread over the day
 *   (sigma 0.05) in the percentile columns.
 *
 * Every random parameter is drawn before the invocations are written, so the
 * invocations do not depend on whether the other two files are asked for. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/engine.h"
#include "slsim/trace_synth.h"

#define MINUTES 1440
#define HASH_LEN 64

static const uint32_t timer_periods_min[] = {1,  2,   5,   10,  15,  20,  30,
                                             60, 120, 180, 240, 360, 720, 1440};
#define N_PERIODS (sizeof timer_periods_min / sizeof timer_periods_min[0])

/* Trigger groups of fig. 3 without the timer, and their shares of functions in %. */
static const char *const other_triggers[] = {"http",    "queue",         "event",
                                             "orchestration", "storage", "others"};
static const double other_trigger_pct[] = {55.0, 15.2, 2.2, 6.9, 2.8, 2.2};
#define N_OTHER (sizeof other_trigger_pct / sizeof other_trigger_pct[0])

static const double dur_pct[] = {0.1, 1, 25, 50, 75, 99, 99.9}; /* written as 0..100 */
static const char *const dur_pct_names[] = {"0", "1", "25", "50", "75", "99", "100"};
static const double mem_pct[] = {1, 5, 25, 50, 75, 95, 99, 99.9};
static const char *const mem_pct_names[] = {"1", "5", "25", "50", "75", "95", "99", "100"};

#define SHARE_HOURLY 0.45   /* apps invoked at most once an hour */
#define AVG_LN_MU (-0.38)   /* ln(average execution time in s) */
#define AVG_LN_SIGMA 2.36
#define MEM_MEDIAN_MB 150.0
#define MEM_SIGMA 0.6
#define MEM_DAY_SIGMA 0.05

/* Functions per app: buckets [lo, hi] and their shares of apps in %; above the last
 * bucket's lo, lo + a geometric number. */
static const uint32_t app_size_lo[] = {1, 2, 3, 4, 6, 11};
static const uint32_t app_size_hi[] = {1, 2, 3, 5, 10, 0};
static const double app_size_pct[] = {54, 16, 10, 8, 7, 5};
#define N_SIZES (sizeof app_size_pct / sizeof app_size_pct[0])
#define APP_TAIL_P 0.0528

void trace_synth_spec_default(struct trace_synth_spec *spec)
{
    spec->functions = 1000;
    spec->total_invocations = 1e6;
    spec->timer_share = 0.3;
    spec->duration_sigma = 0.43;
}

struct synth_fn {
    uint32_t app;
    double weight;     /* share of the app's rate */
    uint32_t period;   /* timer period in minutes, 0 = not a timer */
    const char *trigger;
    double rate;       /* expected invocations per day */
    double avg_ln_s;   /* ln(average execution time in s) */
    uint64_t total;    /* invocations written */
    char hash[HASH_LEN + 1];
};

struct synth_app {
    double z;         /* standard normal quantile of its popularity */
    double memory_mb;
    char hash[HASH_LEN + 1], owner[HASH_LEN + 1];
};

static void random_hash(gsl_rng *r, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < HASH_LEN; i += 8) {
        unsigned long v = gsl_rng_get(r); /* taus2: 32 random bits */
        for (int j = 0; j < 8; j++, v >>= 4)
            out[i + j] = hex[v & 15];
    }
    out[HASH_LEN] = '\0';
}

/* n stratified standard normal quantiles in random order: one in each 1/n of
 * probability, jittered within it. */
static int stratified_normals(gsl_rng *r, size_t n, double *out)
{
    size_t *perm = malloc(n * sizeof *perm);
    if (!perm)
        return -1;
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    gsl_ran_shuffle(r, perm, n, sizeof *perm);
    for (size_t i = 0; i < n; i++)
        out[i] = gsl_cdf_ugaussian_Pinv(((double)perm[i] + gsl_rng_uniform_pos(r)) / (double)n);
    free(perm);
    return 0;
}

/* The timer period whose daily count is nearest to rate (in log). */
static uint32_t timer_period(double rate)
{
    double want = log(MINUTES / fmax(rate, 1e-300));
    uint32_t best = timer_periods_min[0];
    for (size_t i = 1; i < N_PERIODS; i++)
        if (fabs(log((double)timer_periods_min[i]) - want) < fabs(log((double)best) - want))
            best = timer_periods_min[i];
    return best;
}

/* Set every function's rate (timers rounded to their period) for log10 app rates
 * mu + s z; return the expected total of the day. */
static double set_rates(struct synth_fn *fn, size_t n, const struct synth_app *app, double mu,
                        double s)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        double rate = pow(10, mu + s * app[fn[i].app].z) * fn[i].weight;
        if (fn[i].period) {
            fn[i].period = timer_period(rate);
            rate = (double)(MINUTES / fn[i].period); /* every period divides the day */
        }
        fn[i].rate = rate;
        total += rate;
    }
    return total;
}

/* Solve the popularity for the target total (see the top of the file). */
static void solve_rates(struct synth_fn *fn, size_t n, const struct synth_app *app,
                        double target)
{
    const double anchor = log10(24.0), z45 = gsl_cdf_ugaussian_Pinv(SHARE_HOURLY);
    double lo, hi;
    if (set_rates(fn, n, app, anchor, 0) <= target) {
        /* The total grows with s for s >= 0: log-rates are anchored at a quantile
         * below the median, so raising s adds more above than it takes below. */
        lo = 0, hi = 1;
        while (hi < 64 && set_rates(fn, n, app, anchor - hi * z45, hi) < target)
            lo = hi, hi *= 2;
        for (int it = 0; it < 200 && hi - lo > 1e-12; it++) {
            double mid = (lo + hi) / 2;
            if (set_rates(fn, n, app, anchor - mid * z45, mid) < target)
                lo = mid;
            else
                hi = mid;
        }
        set_rates(fn, n, app, anchor - hi * z45, hi);
        return;
    }
    lo = -30, hi = anchor - z45; /* s = 1, mu lowered */
    for (int it = 0; it < 200 && hi - lo > 1e-12; it++) {
        double mid = (lo + hi) / 2;
        if (set_rates(fn, n, app, mid, 1) < target)
            lo = mid;
        else
            hi = mid;
    }
    set_rates(fn, n, app, hi, 1);
}

/* Decimal digits of v into the end of buf (at least 21 bytes); returns the start. */
static char *utoa_end(uint64_t v, char *end)
{
    *--end = '\0';
    do
        *--end = (char)('0' + v % 10);
    while (v /= 10);
    return end;
}

static void write_invocations(FILE *f, gsl_rng *r, struct synth_fn *fn, size_t n,
                              const struct synth_app *app)
{
    char num[24];
    fputs("HashOwner,HashApp,HashFunction,Trigger", f);
    for (int m = 1; m <= MINUTES; m++)
        fprintf(f, ",%d", m);
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        const struct synth_app *a = &app[fn[i].app];
        fprintf(f, "%s,%s,%s,%s", a->owner, a->hash, fn[i].hash, fn[i].trigger);
        uint32_t phase = fn[i].period ? (uint32_t)gsl_rng_uniform_int(r, fn[i].period) : 0;
        double per_minute = fn[i].rate / MINUTES;
        for (uint32_t m = 0; m < MINUTES; m++) {
            uint64_t c;
            if (fn[i].period)
                c = m >= phase && (m - phase) % fn[i].period == 0;
            else
                c = gsl_ran_poisson(r, per_minute);
            fn[i].total += c;
            fputc(',', f);
            fputs(utoa_end(c, num + sizeof num), f);
        }
        fputc('\n', f);
    }
}

static void write_durations(FILE *f, const struct synth_fn *fn, size_t n,
                            const struct synth_app *app, double sigma)
{
    fputs("HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum", f);
    for (size_t k = 0; k < sizeof dur_pct / sizeof dur_pct[0]; k++)
        fprintf(f, ",percentile_Average_%s", dur_pct_names[k]);
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        const struct synth_app *a = &app[fn[i].app];
        double mu = fn[i].avg_ln_s - sigma * sigma / 2, q[sizeof dur_pct / sizeof dur_pct[0]];
        for (size_t k = 0; k < sizeof dur_pct / sizeof dur_pct[0]; k++)
            q[k] = 1e3 * exp(mu + sigma * gsl_cdf_ugaussian_Pinv(dur_pct[k] / 100));
        fprintf(f, "%s,%s,%s,%.4f,%llu,%.4f,%.4f", a->owner, a->hash, fn[i].hash,
                1e3 * exp(fn[i].avg_ln_s), (unsigned long long)fn[i].total, q[0],
                q[sizeof q / sizeof q[0] - 1]);
        for (size_t k = 0; k < sizeof q / sizeof q[0]; k++)
            fprintf(f, ",%.4f", q[k]);
        fputc('\n', f);
    }
}

static void write_memory(FILE *f, const struct synth_fn *fn, size_t n,
                         const struct synth_app *app)
{
    fputs("HashFunction,HashOwner,HashApp,SampleCount,AverageAllocatedMb", f);
    for (size_t k = 0; k < sizeof mem_pct / sizeof mem_pct[0]; k++)
        fprintf(f, ",AverageAllocatedMb_pct%s", mem_pct_names[k]);
    fputc('\n', f);
    for (size_t i = 0; i < n; i++) {
        const struct synth_app *a = &app[fn[i].app];
        /* One sample every 5 s while the app runs: a whole day's worth. */
        fprintf(f, "%s,%s,%s,%d,%.3f", fn[i].hash, a->owner, a->hash, 12 * MINUTES,
                a->memory_mb);
        for (size_t k = 0; k < sizeof mem_pct / sizeof mem_pct[0]; k++)
            fprintf(f, ",%.3f",
                    a->memory_mb * exp(MEM_DAY_SIGMA * gsl_cdf_ugaussian_Pinv(mem_pct[k] / 100)));
        fputc('\n', f);
    }
}

static int check_spec(const struct trace_synth_spec *s, struct slsim_error *err)
{
    if (s->functions < 1)
        return slsim_error_set(err, NULL, 0, 0, "functions", "at least one function is needed");
    if (!isfinite(s->total_invocations) || s->total_invocations <= 0)
        return slsim_error_set(err, NULL, 0, 0, "total_invocations",
                               "the total invocations must be a number > 0, got %g",
                               s->total_invocations);
    if (!(s->timer_share >= 0 && s->timer_share <= 1))
        return slsim_error_set(err, NULL, 0, 0, "timer_share",
                               "the timer share must be in [0, 1], got %g", s->timer_share);
    if (!isfinite(s->duration_sigma) || s->duration_sigma < 0)
        return slsim_error_set(err, NULL, 0, 0, "duration_sigma",
                               "the duration spread must be a number >= 0, got %g",
                               s->duration_sigma);
    return 0;
}

int trace_synth_write(FILE *inv, FILE *dur, FILE *mem, const struct trace_synth_spec *spec,
                      uint64_t seed, struct slsim_error *err)
{
    if (check_spec(spec, err))
        return -1;
    const size_t n = spec->functions;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
    struct synth_fn *fn = calloc(n, sizeof *fn);
    struct synth_app *app = calloc(n, sizeof *app); /* at most one app per function */
    double *z = malloc(n * sizeof *z);
    size_t *order = malloc(n * sizeof *order);
    gsl_ran_discrete_t *trig = gsl_ran_discrete_preproc(N_OTHER, other_trigger_pct);
    gsl_ran_discrete_t *sizes = gsl_ran_discrete_preproc(N_SIZES, app_size_pct);
    int rc = -1;
    if (!r || !fn || !app || !z || !order || !trig || !sizes) {
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory for %zu functions", n);
        goto out;
    }
    gsl_rng_set(r, rng_stream_seed(seed, 0, RNG_ARRIVALS));

    /* Apps: sizes, names, memory; functions: names and weights within their app. */
    size_t n_apps = 0;
    for (size_t i = 0; i < n; n_apps++) {
        size_t b = gsl_ran_discrete(r, sizes);
        size_t size = app_size_hi[b] ? app_size_lo[b] + gsl_rng_uniform_int(
                                                            r, app_size_hi[b] - app_size_lo[b] + 1)
                                     : app_size_lo[b] + gsl_ran_geometric(r, APP_TAIL_P) - 1;
        if (size > n - i)
            size = n - i;
        struct synth_app *a = &app[n_apps];
        random_hash(r, a->owner);
        random_hash(r, a->hash);
        a->memory_mb = MEM_MEDIAN_MB * exp(MEM_SIGMA * gsl_ran_ugaussian(r));
        double sum = 0;
        for (size_t j = i; j < i + size; j++) {
            fn[j].app = (uint32_t)n_apps;
            random_hash(r, fn[j].hash);
            fn[j].weight = size == 1 ? 1 : gsl_ran_gamma(r, 0.5, 1);
            sum += fn[j].weight;
        }
        for (size_t j = i; j < i + size; j++)
            fn[j].weight = sum > 0 ? fn[j].weight / sum : 1.0 / (double)size;
        i += size;
    }
    if (stratified_normals(r, n_apps, z))
        goto nomem;
    for (size_t a = 0; a < n_apps; a++)
        app[a].z = z[a];

    /* Triggers: exactly round(timer_share n) timers, at random. */
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    gsl_ran_shuffle(r, order, n, sizeof *order);
    size_t n_timers = (size_t)(spec->timer_share * (double)n + 0.5);
    for (size_t k = 0; k < n; k++) {
        struct synth_fn *f = &fn[order[k]];
        if (k < n_timers) {
            f->period = 1; /* the real period is set with the rates */
            f->trigger = "timer";
        } else {
            f->trigger = other_triggers[gsl_ran_discrete(r, trig)];
        }
    }

    if (stratified_normals(r, n, z))
        goto nomem;
    for (size_t i = 0; i < n; i++)
        fn[i].avg_ln_s = AVG_LN_MU + AVG_LN_SIGMA * z[i];

    solve_rates(fn, n, app, spec->total_invocations);
    write_invocations(inv, r, fn, n, app);
    if (dur)
        write_durations(dur, fn, n, app, spec->duration_sigma);
    if (mem)
        write_memory(mem, fn, n, app);
    if (ferror(inv) || (dur && ferror(dur)) || (mem && ferror(mem))) {
        slsim_error_set(err, NULL, 0, 0, NULL, "cannot write the %s file",
                        ferror(inv) ? "invocations" : dur && ferror(dur) ? "durations" : "memory");
        goto out;
    }
    rc = 0;
    goto out;
nomem:
    slsim_error_set(err, NULL, 0, 0, NULL, "out of memory for %zu functions", n);
out:
    if (trig)
        gsl_ran_discrete_free(trig);
    if (sizes)
        gsl_ran_discrete_free(sizes);
    free(order);
    free(z);
    free(app);
    free(fn);
    if (r)
        gsl_rng_free(r);
    return rc;
}
