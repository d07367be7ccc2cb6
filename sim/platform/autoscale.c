/* autoscale.c - metrics-based autoscaling of a serverless platform (Cloud Run).
 *
 * Cloud Run scales in two ways (docs.cloud.google.com/run/docs/about-instance-
 * autoscaling, read 2026-11-30): on demand, a request that finds no free slot starts
 * an instance (serverless.c's routing), and by metrics: the autoscaler recommends
 * the larger of two instance counts,
 *
 *   CPU:         ceil(average vCPUs in use over the window / vCPUs per instance / cpu_target)
 *   concurrency: ceil(average requests in flight over the window
 *                     / (maximum concurrency x concurrency_target))
 *
 * with a one-minute window and targets of 60% (the page's defaults). It starts
 * instances up to that count. Requests go to an idle instance before a busy one
 * (serverless.c's routing), so load spreads over the instances the autoscaler keeps.
 * It scales in to the highest recommendation of the window (Knative's
 * scale-down-delay, here the window: the load must stay down a window), retiring
 * instances idle a whole window, the longest idle first, then draining busy ones
 * with a free slot (they take no new request and retire when their last ends), down
 * to no fewer than hold the window's peak of running requests at full concurrency:
 * bursts the average cannot see keep the instances they need. Knative's gradual
 * scale-down rate is not modelled. With no load in the window the last instances
 * are left to their keep-alive. How often the autoscaler decides is not published
 * for Cloud Run; the catalog takes Knative's default tick (config-autoscaler
 * tick-interval 2s), Cloud Run's ancestry.
 *
 * Per function the platform integrates two levels as they change: requests in
 * flight (running on a ready instance: those waiting for a cold start are not yet
 * the instance's load, and would inflate the first window) and vCPUs in use,
 * min(n, v) on an instance of v vCPUs running n requests (a request keeps at most one
 * vCPU busy: a serial model's reading; the share of parallel work is the performance
 * model's). At each decision the integrals are sampled; the window's average is the
 * difference with the oldest sample still inside the window over the time between.
 * Decisions happen at arrivals of the function, at most once a tick: load only
 * grows with arrivals, so a function with none has nothing to scale up for. */
#include <math.h>
#include <stdlib.h>

#include "idle.h"

int autoscale_init(struct serverless *p, struct slsim_error *err)
{
    const struct platform_profile *prof = p->profile;
    p->scales = prof->scale_cpu_target > 0 || prof->scale_concurrency_target > 0;
    if (!p->scales)
        return 0;
    p->scale = calloc(p->n_fn ? p->n_fn : 1, sizeof *p->scale);
    if (!p->scale) {
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return -1;
    }
    return 0;
}

void autoscale_free(struct serverless *p)
{
    free(p->scale);
    p->scale = NULL;
}

/* Bring fn's integrals up to now. */
static void integrate(struct fn_scale *s, sim_time now)
{
    if (now > s->t_ns) {
        double dt = (double)(now - s->t_ns);
        s->inflight_int += s->inflight * dt;
        s->cpu_int += s->cpu * dt;
        s->t_ns = now;
    }
}

void autoscale_change(struct serverless *p, uint32_t fn, uint32_t n, int delta)
{
    struct fn_scale *s = &p->scale[fn];
    integrate(s, p->now_ns);
    double v = p->vcpus;
    s->inflight += delta;
    if (s->inflight > s->peak)
        s->peak = (uint32_t)s->inflight;
    /* the vCPUs in use move by min(n, v) - min(n - 1, v) for the n-th request */
    s->cpu += delta * (fmin((double)n, v) - fmin((double)n - 1, v));
}

/* The window's averages for fn at now, in *inflight and *cpu; 0 when no time has
 * passed since the oldest sample. */
static int window_average(const struct fn_scale *s, sim_time now, double *inflight, double *cpu)
{
    /* the oldest sample: the caller dropped those before the window's start but one */
    const struct scale_sample *old = s->len ? &s->ring[s->head] : NULL;
    if (!old || now <= old->t_ns)
        return 0;
    double dt = (double)(now - old->t_ns);
    *inflight = (s->inflight_int - old->inflight_int) / dt;
    *cpu = (s->cpu_int - old->cpu_int) / dt;
    return 1;
}

void autoscale_arrival(struct serverless *p, uint32_t fn, sim_time now)
{
    struct fn_scale *s = &p->scale[fn];
    const struct platform_profile *prof = p->profile;
    if (s->len && now < s->next_ns)
        return;
    integrate(s, now);
    /* drop samples older than the window, keeping one at or before its start */
    sim_time window = prof->scale_window_ns;
    while (s->len > 1 && s->ring[(s->head + 1) % AUTOSCALE_SAMPLES].t_ns <= now - window) {
        s->head = (s->head + 1) % AUTOSCALE_SAMPLES;
        s->len--;
    }
    double inflight = 0, cpu = 0;
    uint32_t want = 0;
    if (window_average(s, now, &inflight, &cpu)) {
        double by_cpu = prof->scale_cpu_target > 0 && p->vcpus > 0
                            ? ceil(cpu / p->vcpus / prof->scale_cpu_target - 1e-9)
                            : 0;
        double by_conc = prof->scale_concurrency_target > 0
                             ? ceil(inflight / (p->concurrency * prof->scale_concurrency_target) - 1e-9)
                             : 0;
        double w = fmax(by_cpu, by_conc);
        want = w > (double)UINT32_MAX ? UINT32_MAX : (uint32_t)w;
    }
    /* sample now (the ring overwrites its oldest when full: a tick is short of the
     * window only when decisions come more often than AUTOSCALE_SAMPLES a window) */
    if (s->len == AUTOSCALE_SAMPLES) {
        s->head = (s->head + 1) % AUTOSCALE_SAMPLES;
        s->len--;
    }
    s->ring[(s->head + s->len++) % AUTOSCALE_SAMPLES] =
        (struct scale_sample){now, s->inflight_int, s->cpu_int, 0, s->peak};
    s->peak = (uint32_t)s->inflight;
    s->next_ns = sim_time_add(now, prof->scale_tick_ns);
    /* Above the recommendation, and above every one of the window (scaling in waits
     * for the load to stay down a window, so a burst's instances serve the next
     * burst): instances idle a whole window go, the longest idle first, then busy
     * ones with a free slot are drained (no new requests; they retire when their last
     * ends), which concentrates the load. Never below one instance: going to zero is
     * the keep-alive's. */
    uint32_t hold = want, peak = 0;
    for (uint32_t j = 0; j < s->len; j++) {
        const struct scale_sample *x = &s->ring[(s->head + j) % AUTOSCALE_SAMPLES];
        hold = x->want > hold ? x->want : hold;
        peak = x->peak > peak ? x->peak : peak;
    }
    s->ring[(s->head + s->len - 1) % AUTOSCALE_SAMPLES].want = want;
    uint32_t *live = &p->fn[fn].live;
    if (hold && *live - s->draining > hold) {
        idle_scale_in(p, fn, hold + s->draining, now - window, now);
        /* Draining busy instances concentrates their load on the rest: down to the
         * instances that hold the window's peak of running requests, full, at least.
         * Below that the next burst would start again the instances drained (ones that
         * requests started on demand, all slots taken: an average cannot see them). */
        uint64_t full = ((uint64_t)peak + p->concurrency - 1) / p->concurrency;
        uint32_t keep = full > hold ? (uint32_t)(full < UINT32_MAX ? full : UINT32_MAX) : hold;
        while (*live - s->draining > keep && instance_drain_one(p, fn))
            s->draining++;
        return;
    }
    /* start what the recommendation lacks, within the cap */
    while (p->fn[fn].live - s->draining < want && !instance_refused(p, fn)) {
        if (p->capacity_policy && !make_room(p, memory_of(p, fn), now))
            return;
        if (instance_scale_out(p, fn, now) == NONE)
            return;
    }
}
