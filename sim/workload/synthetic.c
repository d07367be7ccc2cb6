/* synthetic.c - arrival patterns: poisson, constant, on/off, diurnal, with spikes.
 *
 * The clock is integer nanoseconds throughout: no time is ever accumulated in
 * floating point, so an hour at 7/s ends where a hand count says it does.
 *  - A regular (constant) pattern places its k-th instant from k, t_k = anchor +
 *    round(k x 1e9 / rate) ns, never by adding gaps; anchor is 0 and the first instant
 *    is 1 / rate. The gap after an arrival is 1 / rate at that arrival, so a spike
 *    shortens gaps from the first arrival inside it: an arrival whose rate differs
 *    from its segment's (one that falls inside a spike, or the first after it) starts
 *    a new segment anchored at itself, k = 0.
 *  - A random gap is drawn as a double, rounded to the nanosecond and added to an
 *    int64 clock.
 * Poisson and on/off without spikes are generated directly (on/off by running the
 * Poisson clock over active time only, in whole nanoseconds, and mapping it onto the
 * wall clock, so no draw is wasted on off periods). Anything else that is random
 * (diurnal, spikes) is a non-homogeneous Poisson process drawn by thinning (Lewis and
 * Shedler, 1979) against a piecewise-constant bound, each candidate kept with
 * probability rate(t) / bound; the clock restarts at each segment edge (an on/off
 * phase, a spike's start or end), which the memoryless exponential allows. A spike
 * with a ramp is a trapezoid: its rise and fall are segments of their own, thinned
 * against the larger of 1 and factor; its plateau is drawn as a step spike's. A
 * spike without a ramp draws exactly what it drew before ramps existed.
 *
 * The diurnal cycle is a von Mises bump, rate(t) = mean * exp(k cos(2 pi (t/P - 1/2)))
 * / I0(k): smooth, always positive, its mean over a period is exactly `rate`, its peak
 * (at the middle of each period, noon for P = 24 h) is peak_to_mean x rate for any
 * peak_to_mean >= 1, and k = 0 is flat. A sine wave could not go past 2x.
 *
 * Tokens (workload.tokens) are drawn per request, prompt then output, on their own
 * stream (RNG_TOKENS), after the request's other draws: the arrival, service and
 * function streams draw exactly what they drew without tokens, so a scenario
 * without tokens is unchanged, and every deployment sees the same tokens. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_bessel.h>
#include <math.h>
#include <stdlib.h>

#include "slsim/engine.h"
#include "slsim/workload.h"

/* Function draws made ahead of their requests, so that each one's cell of the alias
 * table is fetched into the cache that many requests before it is read (a power of
 * two). */
#define ZIPF_AHEAD 8

struct workload {
    const struct workload_spec *spec; /* borrowed from the scenario */
    const struct dist *service;       /* borrowed: model.service */
    gsl_rng *arrivals;                /* RNG_ARRIVALS stream, owned */
    gsl_rng *svc;                     /* RNG_SERVICE stream, owned */
    sim_time end_ns;                  /* arrivals stop before this */
    sim_time t_ns;                    /* time of the last arrival, or active time (on/off fast path) */
    sim_time anchor_ns;               /* constant: start of the current regular segment */
    uint64_t k;                       /* constant: arrivals in the segment so far */
    double seg_rate_per_s;            /* constant: the segment's rate */
    double rate_per_ns;               /* poisson and on/off fast path: rate_per_s / 1e9, once */
    sim_time active_ns;               /* on/off fast path: active time per period, >= 1 */
    double diurnal_k;                 /* von Mises concentration for the diurnal shape */
    double diurnal_norm;              /* 1 / I0(k) */
    size_t spike;                     /* first spike that may still matter */
    struct alias_cell *zipf;          /* function popularity (Walker's alias table), NULL for one */
    size_t n_zipf;                    /* its cells: the functions */
    double zipf_u[ZIPF_AHEAD];        /* the next requests' uniforms for their function draws,
                                         the next at zipf_pos (a ring of zipf_mask + 1) */
    unsigned zipf_pos, zipf_mask;
    gsl_rng *fn_rng;                  /* RNG_FUNCTION stream, owned, for the function of each request */
    gsl_rng *tok_rng;                 /* RNG_TOKENS stream, owned; NULL: no tokens to draw */
    struct trace_reader *trace;       /* ARRIVAL_TRACE: the replayed trace, owned */
    struct slsim_error err;           /* why workload_next returned -1 */
    int fast;                         /* 1: direct generation, 0: thinning */
    int poisson;                      /* fast and Poisson: the shortest path */
};

/* One cell of Walker's alias table: GSL's gsl_ran_discrete_t keeps the cutoffs F
 * and the aliases A in two arrays; here they sit side by side, so a draw among
 * 100,000 functions touches one cache line, not two. */
struct alias_cell {
    double cutoff; /* F[c] */
    size_t alias;  /* A[c] */
};

/* gsl_ran_discrete(r, g) for the uniform u it would draw, on g's cells: GSL builds
 * its table in Knuth's convention (randist/discrete.c), where cell c = floor(u K)
 * keeps c when u < F[c] and gives A[c] otherwise (F[c] = 1 always keeps it). */
static inline size_t alias_cell_of(double u, size_t k)
{
    return (size_t)(u * (double)k);
}

static inline size_t alias_pick(double u, const struct alias_cell *cell, size_t k)
{
    size_t c = alias_cell_of(u, k);
    return u < cell[c].cutoff ? c : cell[c].alias;
}

/* The function of the next request: the uniform drawn ZIPF_AHEAD requests ahead is
 * used, and a new one drawn and its cell fetched into the cache now, so that the miss
 * on a table of 100,000 cells (1.6 MB) overlaps the requests before it instead of
 * stalling one. The stream's numbers and their order are gsl_ran_discrete's. Where a
 * one-function spike also draws from the stream (request_at), the ring is of one, as
 * it always was, so that its draws keep their places in the stream. */
static inline uint32_t next_function(struct workload *w)
{
    double u = w->zipf_u[w->zipf_pos];
    double ahead = rng_uniform(w->fn_rng);
    w->zipf_u[w->zipf_pos] = ahead;
    w->zipf_pos = (w->zipf_pos + 1) & w->zipf_mask;
    __builtin_prefetch(&w->zipf[alias_cell_of(ahead, w->n_zipf)]);
    return (uint32_t)alias_pick(u, w->zipf, w->n_zipf);
}

/* A token count drawn from d (a count distribution: its "seconds" are tokens),
 * rounded to the nearest whole token (halves up), at least 1 (a request has a
 * prompt and makes a token), at most UINT32_MAX. */
static uint32_t draw_tokens(const struct dist *d, gsl_rng *r)
{
    double x;
    if (d->kind == DIST_CONSTANT)
        x = d->mean_s;
    else if (d->kind == DIST_EXPONENTIAL)
        x = d->mean_s * rng_exponential1(r);
    else
        x = dist_sample_other_s(d, r);
    if (!(x >= 1.5)) /* rounds to 1 or less; also catches NaN */
        return 1;
    if (x >= (double)UINT32_MAX)
        return UINT32_MAX;
    return (uint32_t)(x + 0.5);
}

/* The request's tokens from workload.tokens, when it has them. */
static inline void draw_request_tokens(struct workload *w, struct request *r)
{
    if (w->tok_rng) {
        r->prompt_tokens = draw_tokens(&w->spec->tokens.prompt, w->tok_rng);
        r->output_tokens = draw_tokens(&w->spec->tokens.output, w->tok_rng);
    }
}

/* k with exp(k) / I0(k) = peak_to_mean; the ratio grows with k, so bisect. */
static double diurnal_concentration(double peak_to_mean)
{
    if (peak_to_mean <= 1.0)
        return 0.0;
    double lo = 0.0, hi = 1.0;
    while (1.0 / gsl_sf_bessel_I0_scaled(hi) < peak_to_mean && hi < 1e6)
        hi *= 2.0;
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        if (1.0 / gsl_sf_bessel_I0_scaled(mid) < peak_to_mean)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

double spike_factor(const struct spike *sp, sim_time t_ns)
{
    if (t_ns < sp->at_ns || t_ns - sp->at_ns >= sp->duration_ns)
        return 1.0;
    sim_time in = t_ns - sp->at_ns, left = sp->duration_ns - in; /* left > 0 */
    sim_time edge = in < left ? in : left; /* from the nearer edge; the fall ends at at + duration */
    if (edge >= sp->ramp_ns)
        return sp->factor;
    return 1.0 + (sp->factor - 1.0) * (double)edge / (double)sp->ramp_ns;
}

static double spike_factor_at(const struct workload_spec *spec, sim_time t_ns)
{
    for (size_t i = 0; i < spec->n_spikes; i++) {
        const struct spike *sp = &spec->spikes[i];
        if (t_ns >= sp->at_ns && t_ns - sp->at_ns < sp->duration_ns)
            return spike_factor(sp, t_ns);
    }
    return 1.0;
}

static double base_rate_at(const struct workload_spec *spec, double k, double norm,
                           sim_time t_ns)
{
    switch (spec->arrival) {
    case ARRIVAL_ONOFF: {
        sim_time phase = t_ns % spec->period_ns;
        return (double)phase < spec->duty_cycle * (double)spec->period_ns ? spec->rate_per_s
                                                                           : 0.0;
    }
    case ARRIVAL_DIURNAL: {
        double x = (double)(t_ns % spec->period_ns) / (double)spec->period_ns;
        return spec->rate_per_s * exp(k * (cos(2.0 * M_PI * (x - 0.5)) - 1.0)) * norm;
    }
    case ARRIVAL_POISSON:
    case ARRIVAL_CONSTANT:
    case ARRIVAL_TRACE: /* a trace's rate is the trace's; rate_per_s is 0 */
        break;
    }
    return spec->rate_per_s;
}

double workload_rate_at(const struct workload_spec *spec, sim_time t_ns)
{
    double k = spec->arrival == ARRIVAL_DIURNAL ? diurnal_concentration(spec->peak_to_mean) : 0;
    double norm = k > 0 ? 1.0 / gsl_sf_bessel_I0_scaled(k) : 1.0;
    return base_rate_at(spec, k, norm, t_ns) * spike_factor_at(spec, t_ns);
}

double workload_expected_arrivals(const struct workload_spec *spec, sim_time from_ns,
                                  sim_time to_ns)
{
    /* Midpoint rule on a grid fine enough for the diurnal curve and aligned so that
     * on/off edges and spike edges given in whole seconds fall on grid points. */
    sim_time step = SIM_NS_PER_S;
    double sum = 0.0;
    for (sim_time t = from_ns; t < to_ns; t += step) {
        sim_time len = to_ns - t < step ? to_ns - t : step;
        sum += workload_rate_at(spec, t + len / 2) * (double)len / 1e9;
    }
    return sum;
}

/* Active (on) time of an on/off pattern in [0, t): whole periods plus the part of the
 * last one that is on. The on part is the one the generators use,
 * llround(duty_cycle x period) ns. */
static double onoff_active_before(const struct workload_spec *spec, sim_time t)
{
    sim_time on = (sim_time)llround(spec->duty_cycle * (double)spec->period_ns);
    sim_time rest = t % spec->period_ns;
    return (double)(t / spec->period_ns) * (double)on + (double)(rest < on ? rest : on);
}

/* Draws of the base pattern (spikes left out) in [a, b), 0 <= a <= b: the rate the
 * generator draws at integrated in closed form. Diurnal is thinned against its peak,
 * so its draws are candidates at rate x peak_to_mean, not the accepted arrivals. */
static double base_draws(const struct workload_spec *spec, sim_time a, sim_time b)
{
    switch (spec->arrival) {
    case ARRIVAL_ONOFF:
        return spec->rate_per_s * (onoff_active_before(spec, b) - onoff_active_before(spec, a)) /
               1e9;
    case ARRIVAL_DIURNAL:
        return spec->rate_per_s * spec->peak_to_mean * (double)(b - a) / 1e9;
    case ARRIVAL_POISSON:
    case ARRIVAL_CONSTANT:
    case ARRIVAL_TRACE:
        break;
    }
    return spec->rate_per_s * (double)(b - a) / 1e9;
}

double workload_expected_draws(const struct workload_spec *spec, sim_time end_ns)
{
    if (spec->arrival == ARRIVAL_TRACE || end_ns <= 0)
        return 0.0;
    double n = base_draws(spec, 0, end_ns);
    for (size_t i = 0; i < spec->n_spikes; i++) {
        const struct spike *sp = &spec->spikes[i];
        sim_time from = sp->at_ns > 0 ? sp->at_ns : 0;
        sim_time to = sim_time_add(sp->at_ns, sp->duration_ns);
        if (to > end_ns)
            to = end_ns;
        if (from >= to)
            continue;
        /* the spike's draws replace the base ones over its span: at factor on its
         * plateau, and on its ramps at the larger of 1 and factor (the thinning bound) */
        sim_time hold_from = sim_time_add(sp->at_ns, sp->ramp_ns);
        sim_time hold_to = sim_time_add(sp->at_ns, sp->duration_ns) - sp->ramp_ns;
        if (hold_to > to)
            hold_to = to;
        if (hold_from < from)
            hold_from = from;
        if (hold_from > to)
            hold_from = to;
        if (hold_to < hold_from)
            hold_to = hold_from;
        double ramps = base_draws(spec, from, hold_from) + base_draws(spec, hold_to, to);
        n += (sp->factor - 1.0) * base_draws(spec, hold_from, hold_to) +
             (fmax(sp->factor, 1.0) - 1.0) * ramps;
    }
    return n;
}

double workload_peak_draw_rate(const struct workload_spec *spec, sim_time end_ns)
{
    if (spec->arrival == ARRIVAL_TRACE)
        return 0.0;
    double base = spec->rate_per_s;
    if (spec->arrival == ARRIVAL_DIURNAL)
        base *= spec->peak_to_mean;
    double factor = 1.0;
    for (size_t i = 0; i < spec->n_spikes; i++)
        if (spec->spikes[i].at_ns < end_ns && spec->spikes[i].factor > factor)
            factor = spec->spikes[i].factor;
    return base * factor;
}

struct workload *workload_create(const struct workload_spec *spec_in, const struct dist *service,
                                 uint64_t seed, uint32_t replication, sim_time end_ns,
                                 struct slsim_error *err)
{
    struct workload *w = calloc(1, sizeof *w);
    if (!w) {
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    w->spec = spec_in;
    w->service = service;
    w->end_ns = end_ns;
    w->arrivals = rng_stream_create(seed, replication, RNG_ARRIVALS);
    w->svc = rng_stream_create(seed, replication, RNG_SERVICE);
    if (!w->arrivals || !w->svc) {
        workload_destroy(w);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    const struct workload_spec *spec = w->spec;
    if (spec->arrival == ARRIVAL_DIURNAL) {
        w->diurnal_k = diurnal_concentration(spec->peak_to_mean);
        w->diurnal_norm = w->diurnal_k > 0 ? 1.0 / gsl_sf_bessel_I0_scaled(w->diurnal_k) : 1.0;
    } else {
        w->diurnal_norm = 1.0;
    }
    if (spec->tokens.given && !(w->tok_rng = rng_stream_create(seed, replication, RNG_TOKENS))) {
        workload_destroy(w);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    if (spec->arrival == ARRIVAL_TRACE) {
        w->trace = trace_open(&spec->trace, seed, replication, err);
        if (!w->trace) {
            workload_destroy(w);
            return NULL;
        }
        return w;
    }
    if (spec->functions > 1) {
        /* Zipf popularity: function k (1-based) is chosen with weight k^-s. */
        double *weight = malloc(spec->functions * sizeof *weight);
        if (weight) {
            for (uint32_t k = 0; k < spec->functions; k++)
                weight[k] = pow((double)(k + 1), -spec->zipf);
            gsl_ran_discrete_t *g = gsl_ran_discrete_preproc(spec->functions, weight);
            free(weight);
            w->zipf = g ? malloc(g->K * sizeof *w->zipf) : NULL;
            if (w->zipf) {
                w->n_zipf = g->K;
                for (size_t c = 0; c < g->K; c++)
                    w->zipf[c] = (struct alias_cell){g->F[c], g->A[c]};
            }
            if (g)
                gsl_ran_discrete_free(g);
        }
        w->fn_rng = rng_stream_create(seed, replication, RNG_FUNCTION);
        if (!w->zipf || !w->fn_rng) {
            workload_destroy(w);
            slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
            return NULL;
        }
        int spike_draws = 0;
        for (size_t k = 0; k < spec->n_spikes; k++)
            spike_draws |= spec->spikes[k].one_function;
        w->zipf_mask = spike_draws ? 0 : ZIPF_AHEAD - 1;
        for (unsigned k = 0; k <= w->zipf_mask; k++)
            w->zipf_u[k] = rng_uniform(w->fn_rng);
    }
    w->fast = spec->n_spikes == 0 &&
              (spec->arrival == ARRIVAL_POISSON || spec->arrival == ARRIVAL_ONOFF);
    w->poisson = w->fast && spec->arrival == ARRIVAL_POISSON;
    w->t_ns = 0;
    w->seg_rate_per_s = spec->rate_per_s;
    w->rate_per_ns = spec->rate_per_s / 1e9;
    if (spec->arrival == ARRIVAL_ONOFF) {
        w->active_ns = (sim_time)llround(spec->duty_cycle * (double)spec->period_ns);
        if (w->active_ns < 1)
            w->active_ns = 1;
    }
    return w;
}

void workload_destroy(struct workload *w)
{
    if (!w)
        return;
    if (w->arrivals)
        gsl_rng_free(w->arrivals);
    if (w->svc)
        gsl_rng_free(w->svc);
    if (w->fn_rng)
        gsl_rng_free(w->fn_rng);
    if (w->tok_rng)
        gsl_rng_free(w->tok_rng);
    free(w->zipf);
    trace_close(w->trace);
    free(w);
}

static double current_rate_per_s(struct workload *w, sim_time t_ns)
{
    const struct workload_spec *spec = w->spec;
    while (w->spike < spec->n_spikes &&
           t_ns - spec->spikes[w->spike].at_ns >= spec->spikes[w->spike].duration_ns)
        w->spike++;
    double f = 1.0;
    if (w->spike < spec->n_spikes)
        f = spike_factor(&spec->spikes[w->spike], t_ns);
    return base_rate_at(spec, w->diurnal_k, w->diurnal_norm, t_ns) * f;
}

static double current_rate_per_ns(struct workload *w, sim_time t_ns)
{
    return current_rate_per_s(w, t_ns) / 1e9;
}

/* Add a random gap of gap_ns (a double, >= 0) to *t, rounded to the nanosecond, in
 * integers. 1, or 0 (and *t unchanged) when the sum would reach limit or beyond. */
static int add_gap(sim_time *t, double gap_ns, sim_time limit)
{
    if (!(gap_ns < (double)(limit - *t)))
        return 0;
    /* llround for a gap >= 0, inline: the per-arrival libm call cost 27 instructions.
     * gap_ns - g is exact (g is gap_ns without its fraction), so halves round up as
     * llround rounds them. */
    sim_time g = (sim_time)gap_ns;
    if (gap_ns - (double)g >= 0.5)
        g++;
    if (g >= limit - *t)
        return 0;
    *t += g;
    return 1;
}

/* The largest rate (per ns) the pattern can reach from t until *seg_end, the next
 * instant where that bound may change. *thin: 1 when the rate varies inside the
 * segment (a spike's ramp), so that candidates must be thinned against the bound. */
static double segment_bound(struct workload *w, sim_time t, sim_time *seg_end, int *thin)
{
    const struct workload_spec *spec = w->spec;
    double base;
    sim_time end = SIM_TIME_FOREVER;
    switch (spec->arrival) {
    case ARRIVAL_ONOFF: {
        sim_time start = t - t % spec->period_ns;
        sim_time on_end = start + (sim_time)llround(spec->duty_cycle * (double)spec->period_ns);
        if (t < on_end) {
            base = spec->rate_per_s;
            end = on_end;
        } else {
            base = 0.0;
            end = start + spec->period_ns;
        }
        break;
    }
    case ARRIVAL_DIURNAL:
        base = spec->rate_per_s * spec->peak_to_mean;
        break;
    case ARRIVAL_POISSON:
    case ARRIVAL_CONSTANT:
    default:
        base = spec->rate_per_s;
        break;
    }
    while (w->spike < spec->n_spikes &&
           t - spec->spikes[w->spike].at_ns >= spec->spikes[w->spike].duration_ns)
        w->spike++;
    double factor = 1.0;
    *thin = 0;
    if (w->spike < spec->n_spikes) {
        const struct spike *sp = &spec->spikes[w->spike];
        sim_time edge = t >= sp->at_ns ? sp->at_ns + sp->duration_ns : sp->at_ns;
        if (t >= sp->at_ns)
            factor = sp->factor;
        if (t >= sp->at_ns && sp->ramp_ns > 0) {
            /* rise, plateau and fall are segments of their own: the ramps are thinned
             * against the larger end of their line, the plateau is not */
            sim_time rise_end = sp->at_ns + sp->ramp_ns;
            sim_time fall_start = sp->at_ns + sp->duration_ns - sp->ramp_ns;
            if (t < rise_end || t >= fall_start) {
                factor = fmax(sp->factor, 1.0);
                *thin = 1;
                if (t < rise_end && rise_end < edge)
                    edge = rise_end;
            } else {
                edge = fall_start;
            }
        }
        if (edge < end)
            end = edge;
    }
    *seg_end = end;
    return base * factor / 1e9;
}

/* A request from the trace: its own duration where the trace has one, else the
 * model's service time; its tokens from the trace, or drawn (workload.tokens, which
 * a trace with tokens does not take). */
static int trace_request(struct workload *w, struct request *r)
{
    struct trace_event ev;
    int got = trace_next(w->trace, &ev, &w->err);
    if (got <= 0)
        return got;
    if (ev.t_ns >= w->end_ns)
        return 0;
    r->arrival_ns = ev.t_ns;
    double scale = w->spec->trace.duration_scale;
    r->service_ns = ev.duration_ns >= 0 && !w->spec->trace.service_from_model
                        ? (scale == 1.0 ? ev.duration_ns : llround((double)ev.duration_ns * scale))
                        : dist_sample_ns(w->service, w->svc);
    r->function = ev.function;
    r->memory_mb = ev.memory_mb;
    r->prompt_tokens = ev.prompt_tokens;
    r->output_tokens = ev.output_tokens;
    draw_request_tokens(w, r);
    return 1;
}

const struct slsim_error *workload_error(const struct workload *w)
{
    return &w->err;
}

uint32_t workload_functions(const struct workload *w)
{
    if (w->trace)
        return trace_functions(w->trace);
    return w->spec->functions ? w->spec->functions : 1;
}

uint64_t workload_skipped(const struct workload *w)
{
    return w->trace ? trace_skipped(w->trace) : 0;
}

double workload_progress(const struct workload *w)
{
    if (w->trace)
        return trace_progress(w->trace);
    return w->end_ns > 0 ? fmin(1.0, (double)w->t_ns / (double)w->end_ns) : 1.0;
}

/* The request's own draws, once its arrival time t is placed. */
static inline __attribute__((always_inline)) int request_at(struct workload *w, sim_time t, struct request *r)
{
    r->arrival_ns = t;
    r->service_ns = dist_sample_ns(w->service, w->svc);
    r->function = w->zipf ? next_function(w) : 0;
    if (w->spike < w->spec->n_spikes && w->spec->spikes[w->spike].one_function) {
        /* In a spike of one function the extra arrivals are all its own: of the rate m
         * (the workload's multiplier now), m - 1 is that function's extra traffic. */
        const struct spike *sp = &w->spec->spikes[w->spike];
        double m = spike_factor(sp, t);
        if (m > 1.0 && rng_uniform(w->fn_rng) * m < m - 1.0)
            r->function = sp->function;
    }
    r->memory_mb = 0;
    r->prompt_tokens = r->output_tokens = 0;
    draw_request_tokens(w, r);
    return 1;
}

/* The next request of a homogeneous Poisson workload (w->poisson), the common case,
 * apart so that it stays short. */
static inline __attribute__((always_inline)) int poisson_next(struct workload *w,
                                                              struct request *r)
{
    if (!add_gap(&w->t_ns, rng_exponential1(w->arrivals) / w->rate_per_ns, w->end_ns)) {
        w->t_ns = w->end_ns;
        return 0;
    }
    return request_at(w, w->t_ns, r);
}

int workload_fill(struct workload *w, struct request *r, size_t cap, size_t *got)
{
    size_t k = 0;
    int have = 1;
    if (w->poisson)
        while (k < cap && (have = poisson_next(w, &r[k])) > 0)
            k++;
    else
        while (k < cap && (have = workload_next(w, &r[k])) > 0)
            k++;
    *got = k;
    return have;
}

int workload_next(struct workload *w, struct request *r)
{
    const struct workload_spec *spec = w->spec;
    sim_time t;
    if (w->poisson)
        return poisson_next(w, r);
    if (w->trace)
        return trace_request(w, r);
    if (spec->arrival == ARRIVAL_CONSTANT) {
        /* t_k from k: (long double) keeps k x 1e9 exact to well under a nanosecond. */
        long double off = (long double)(w->k + 1) * 1e9L / (long double)w->seg_rate_per_s;
        if (!(off < (long double)(w->end_ns - w->anchor_ns))) {
            w->t_ns = w->end_ns;
            return 0;
        }
        t = w->anchor_ns + (sim_time)llroundl(off);
        double rate = current_rate_per_s(w, t);
        if (rate != w->seg_rate_per_s) {
            w->anchor_ns = t;
            w->k = 0;
            w->seg_rate_per_s = rate;
        } else {
            w->k++;
        }
        w->t_ns = t;
    } else if (w->fast) {
        double gap = rng_exponential1(w->arrivals) / w->rate_per_ns;
        if (spec->arrival == ARRIVAL_ONOFF) {
            /* w->t_ns counts active time only: unfold it onto the wall clock. */
            sim_time active = w->active_ns;
            if (!add_gap(&w->t_ns, gap, SIM_TIME_FOREVER))
                return 0;
            sim_time cycles = w->t_ns / active;
            if (cycles > (w->end_ns - w->t_ns % active) / spec->period_ns)
                return 0;
            t = cycles * spec->period_ns + w->t_ns % active;
        } else {
            if (!add_gap(&w->t_ns, gap, w->end_ns)) {
                w->t_ns = w->end_ns;
                return 0;
            }
            t = w->t_ns;
        }
    } else {
        /* Thinning against a piecewise-constant bound: within a segment (an on or
         * off phase, a spike or the gap between spikes) candidates come at the
         * segment's bound; a candidate at or past the segment's end is discarded and
         * the clock restarts at the end, which the memoryless exponential allows. For
         * on/off with spikes the bound is the rate itself, so nothing is rejected. */
        for (;;) {
            sim_time seg_end;
            int thin;
            double bound = segment_bound(w, w->t_ns, &seg_end, &thin);
            if (w->t_ns >= w->end_ns)
                return 0;
            if (bound <= 0.0) {
                w->t_ns = seg_end;
                continue;
            }
            sim_time limit = seg_end < w->end_ns ? seg_end : w->end_ns;
            if (!add_gap(&w->t_ns, rng_exponential1(w->arrivals) / bound, limit)) {
                w->t_ns = limit;
                continue;
            }
            t = w->t_ns;
            if ((spec->arrival != ARRIVAL_DIURNAL && !thin) ||
                rng_uniform(w->arrivals) * bound < current_rate_per_ns(w, t))
                break;
        }
    }
    if (t >= w->end_ns)
        return 0;
    return request_at(w, t, r);
}
