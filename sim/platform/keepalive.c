/* keepalive.c - the hybrid histogram keep-alive policy (Shahrad et al., ATC '20).
 *
 * One struct per function: a fixed array of bin counts sized at creation, plus
 * running totals, so an observation is an increment and a few additions and never
 * allocates. The CV of the bin counts comes from the running sum of squared counts
 * (bumping a count c adds 2c + 1), so only the percentile walk in ka_hist_decide
 * is O(bins). The rules and every choice where open implementations disagree
 * (which CV, the direction of its test, percentiles over in-range idle times only,
 * the OOB test before min_samples) are explained in keepalive.h; the one
 * simplification of the model is the forecast: an exponentially weighted mean of
 * the OOB idle times stands in for the paper's ARIMA, so a trend or a season in
 * long gaps is not predicted, only a level. */
#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "slsim/keepalive.h"

struct ka_hist {
    struct ka_hist_params p;   /* copy of the creation parameters */
    uint32_t bins;             /* range_ns / bin_ns */
    uint64_t n_in;             /* idle times in range (sum of count[]) */
    uint64_t n_oob;            /* idle times >= range_ns */
    double sum_sq;             /* sum of count[i]^2; a double so it never wraps (exact below 2^53) */
    double forecast_ns;        /* EWMA of OOB idle times, 0 before the first */
    uint64_t count[];          /* idle times per bin; bin i holds [i bin_ns, (i + 1) bin_ns) */
};

void ka_hist_params_default(struct ka_hist_params *p)
{
    const sim_time minute = 60 * SIM_NS_PER_S;
    p->bin_ns = minute;
    p->range_ns = 240 * minute;
    p->prewarm_pct = 5;
    p->keep_alive_pct = 99;
    p->margin = 0.10;
    p->cv_threshold = 2;
    p->min_samples = 10;
    p->oob_fraction = 0.5;
    p->forecast_alpha = 0.5;
    p->forecast_margin = 0.15;
    p->fallback_ns = p->range_ns;
}

/* lo <= x <= hi, and x not NaN */
static int in_closed(double x, double lo, double hi)
{
    return x >= lo && x <= hi;
}

int ka_hist_params_check(const struct ka_hist_params *p, const char *key,
                         struct slsim_error *err)
{
    if (p->bin_ns <= 0)
        return slsim_error_set(err, NULL, 0, 0, key, "bin width must be positive");
    if (p->range_ns < p->bin_ns || p->range_ns % p->bin_ns != 0)
        return slsim_error_set(err, NULL, 0, 0, key,
                               "histogram range must be a positive multiple of the bin width");
    if (p->range_ns / p->bin_ns > KA_HIST_MAX_BINS)
        return slsim_error_set(err, NULL, 0, 0, key,
                               "histogram range / bin width is %lld bins, more than %d",
                               (long long)(p->range_ns / p->bin_ns), KA_HIST_MAX_BINS);
    if (!in_closed(p->prewarm_pct, 0, 100) || !in_closed(p->keep_alive_pct, p->prewarm_pct, 100))
        return slsim_error_set(err, NULL, 0, 0, key,
                               "percentiles must satisfy 0 <= pre-warm (%g) <= keep-alive (%g) <= 100",
                               p->prewarm_pct, p->keep_alive_pct);
    if (!in_closed(p->margin, 0, 1))
        return slsim_error_set(err, NULL, 0, 0, key, "margin %g is not between 0 and 1",
                               p->margin);
    if (!(p->cv_threshold >= 0) || isinf(p->cv_threshold))
        return slsim_error_set(err, NULL, 0, 0, key, "CV threshold %g is not a finite value >= 0",
                               p->cv_threshold);
    if (!in_closed(p->oob_fraction, 0, 1))
        return slsim_error_set(err, NULL, 0, 0, key,
                               "out-of-bounds fraction %g is not between 0 and 1", p->oob_fraction);
    if (!(p->forecast_alpha > 0 && p->forecast_alpha <= 1))
        return slsim_error_set(err, NULL, 0, 0, key,
                               "forecast weight %g is not in (0, 1]", p->forecast_alpha);
    if (!in_closed(p->forecast_margin, 0, 1))
        return slsim_error_set(err, NULL, 0, 0, key, "forecast margin %g is not between 0 and 1",
                               p->forecast_margin);
    if (p->fallback_ns < 0)
        return slsim_error_set(err, NULL, 0, 0, key, "fallback keep-alive must not be negative");
    return 0;
}

struct ka_hist *ka_hist_create(const struct ka_hist_params *p)
{
    assert(ka_hist_params_check(p, NULL, NULL) == 0);
    uint32_t bins = (uint32_t)(p->range_ns / p->bin_ns);
    struct ka_hist *h = calloc(1, sizeof *h + (size_t)bins * sizeof h->count[0]);
    if (!h)
        return NULL;
    h->p = *p;
    h->bins = bins;
    return h;
}

void ka_hist_destroy(struct ka_hist *h)
{
    free(h);
}

void ka_hist_observe(struct ka_hist *h, sim_time idle_ns)
{
    if (idle_ns < 0)
        idle_ns = 0;
    if (idle_ns >= h->p.range_ns) {
        h->n_oob++;
        double a = h->n_oob == 1 ? 1 : h->p.forecast_alpha;
        h->forecast_ns += a * ((double)idle_ns - h->forecast_ns);
        return;
    }
    uint64_t *c = &h->count[idle_ns / h->p.bin_ns];
    h->sum_sq += 2 * (double)*c + 1;
    (*c)++;
    h->n_in++;
}

uint64_t ka_hist_count_in_range(const struct ka_hist *h)
{
    return h->n_in;
}

uint64_t ka_hist_count_oob(const struct ka_hist *h)
{
    return h->n_oob;
}

/* With B bins holding n values, mean n/B and population variance sum_sq/B - (n/B)^2,
 * so CV^2 = B sum_sq / n^2 - 1. */
double ka_hist_cv(const struct ka_hist *h)
{
    if (h->n_in == 0)
        return 0;
    double n = (double)h->n_in;
    double cv2 = (double)h->bins * h->sum_sq / (n * n) - 1;
    return cv2 > 0 ? sqrt(cv2) : 0;
}

double ka_hist_forecast_ns(const struct ka_hist *h)
{
    return h->forecast_ns;
}

const char *ka_mode_name(enum ka_mode m)
{
    switch (m) {
    case KA_FALLBACK:
        return "fallback";
    case KA_HISTOGRAM:
        return "histogram";
    case KA_FORECAST:
        return "forecast";
    }
    return "?";
}

/* Bin holding the pct percentile of the in-range idle times by nearest rank: the
 * value of rank ceil(pct/100 n), at least 1. Precondition: n_in > 0. */
static uint32_t percentile_bin(const struct ka_hist *h, double pct)
{
    double r = ceil(pct / 100 * (double)h->n_in);
    uint64_t rank = r < 1 ? 1 : r > (double)h->n_in ? h->n_in : (uint64_t)r;
    uint64_t seen = 0;
    for (uint32_t i = 0; i < h->bins; i++) {
        seen += h->count[i];
        if (seen >= rank)
            return i;
    }
    assert(0 && "bin counts do not add up to n_in");
    return h->bins - 1;
}

/* A non-negative duration in ns, rounded, saturating at SIM_TIME_FOREVER. */
static sim_time to_ns(double x)
{
    if (!(x > 0))
        return 0;
    if (x >= (double)SIM_TIME_FOREVER)
        return SIM_TIME_FOREVER;
    return (sim_time)llround(x);
}

struct ka_decision ka_hist_decide(const struct ka_hist *h)
{
    const struct ka_hist_params *p = &h->p;
    struct ka_decision fallback = {0, p->fallback_ns, KA_FALLBACK};
    uint64_t total = h->n_in + h->n_oob;
    if (total == 0)
        return fallback;

    if (h->n_oob > 0 && (double)h->n_oob / (double)total > p->oob_fraction) {
        sim_time start = to_ns((1 - p->forecast_margin) * h->forecast_ns);
        sim_time end = to_ns((1 + p->forecast_margin) * h->forecast_ns);
        return (struct ka_decision){start, end - start, KA_FORECAST};
    }

    if (h->n_in < p->min_samples || h->n_in == 0 || ka_hist_cv(h) < p->cv_threshold)
        return fallback;

    /* Low edge of the head's bin and high edge of the tail's: every idle time in
     * those bins falls inside the window before the margin is even applied. */
    uint32_t head = percentile_bin(h, p->prewarm_pct);
    uint32_t tail = percentile_bin(h, p->keep_alive_pct);
    assert(head <= tail);
    sim_time start = to_ns((1 - p->margin) * (double)((sim_time)head * p->bin_ns));
    sim_time end = to_ns((1 + p->margin) * (double)((sim_time)(tail + 1) * p->bin_ns));
    return (struct ka_decision){start, end - start, KA_HISTOGRAM};
}
