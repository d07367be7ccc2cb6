/* occupancy.h - time-weighted instance counts of a platform, and its timeline.
 *
 * A platform keeps its instances in three states (initializing, busy, idle) and
 * calls occupancy_advance(t) before it changes any count at time t; the areas under
 * the counts, clipped to the measured period, give mean instances, instance-time
 * by state and utilisation, and, split at interval edges, the timeline. Shared by
 * every platform so that they measure alike. */
#ifndef SLSIM_OCCUPANCY_H
#define SLSIM_OCCUPANCY_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/error.h"
#include "slsim/result.h"
#include "slsim/units.h"

struct occupancy_row {
    sim_time_sum busy_ns, idle_ns, init_ns; /* instance-ns in the interval */
    uint64_t arrivals;                /* requests arriving in the interval */
    uint64_t cold_starts;             /* cold starts begun in the interval */
    double cost_usd;                  /* cost accrued in the interval */
    double llm_seq_s;                 /* LLM: sequences in iterations begun in the interval x
                                         their time, s */
};

struct occupancy {
    uint32_t n_init, n_busy, n_idle; /* instances in each state now */
    uint32_t n_running;              /* requests executing now (busy slots; not those waiting for a cold start) */
    sim_time acct_ns;                /* areas are integrated up to here */
    sim_time warmup_ns, end_ns;      /* the measured period */
    sim_time step_ns;                /* timeline interval, 0 = no timeline */
    int started;                     /* the measured period has begun (peak counts from then) */
    sim_time_sum busy_ns, idle_ns, init_ns; /* instance-ns by state in the measured period */
    sim_time_sum running_ns;         /* request-ns executing in the measured period */
    uint64_t peak;                   /* most instances alive at once in the measured period */
    struct occupancy_row *tl;        /* timeline intervals, owned; NULL without a timeline */
    size_t n_tl;
};

/* A zeroed occupancy over [warmup_ns, end_ns) with a timeline of step_ns intervals
 * (0: none). 0, or -1 with err set when out of memory. */
int occupancy_init(struct occupancy *o, sim_time warmup_ns, sim_time end_ns, sim_time step_ns,
                   struct slsim_error *err);
void occupancy_free(struct occupancy *o);

void occupancy_timeline_add(struct occupancy *o, sim_time a, sim_time b);

/* Integrate the counts up to t (clipped to the measured period). */
static inline void occupancy_advance(struct occupancy *o, sim_time t)
{
    if (t <= o->acct_ns)
        return;
    sim_time a = o->acct_ns > o->warmup_ns ? o->acct_ns : o->warmup_ns;
    sim_time b = t < o->end_ns ? t : o->end_ns;
    if (b > a) {
        if (!o->started) {
            o->started = 1;
            uint32_t live = o->n_init + o->n_busy + o->n_idle;
            if (live > o->peak)
                o->peak = live;
        }
        sim_time dt = b - a;
        o->busy_ns += (sim_time_sum)o->n_busy * dt;
        o->idle_ns += (sim_time_sum)o->n_idle * dt;
        o->init_ns += (sim_time_sum)o->n_init * dt;
        o->running_ns += (sim_time_sum)o->n_running * dt;
        if (o->tl)
            occupancy_timeline_add(o, a, b);
    }
    o->acct_ns = t;
}

/* After instances were added at now: update the peak. */
static inline void occupancy_note_peak(struct occupancy *o, sim_time now)
{
    uint32_t live = o->n_init + o->n_busy + o->n_idle;
    if (now >= o->warmup_ns && now < o->end_ns && live > o->peak)
        o->peak = live;
}

/* The timeline interval holding t, or NULL (no timeline, or t outside the period). */
static inline struct occupancy_row *occupancy_row(struct occupancy *o, sim_time t)
{
    if (!o->tl || t < o->warmup_ns || t >= o->end_ns)
        return NULL;
    return &o->tl[(size_t)((t - o->warmup_ns) / o->step_ns)];
}

/* Close the books at the end of the measured period: fill r's instance-time,
 * busy slot-time (running_s), slot-time (instance-time x r->slots, which the
 * platform sets first), peak, measured_s and timeline (cost so far accumulated
 * from the rows). */
int occupancy_finish(struct occupancy *o, struct deployment_result *r, struct slsim_error *err);

#endif
