/* occupancy.h - time-weighted instance counts of a platform, and its timeline.
 *
 * A platform keeps its instances in three states (initializing, busy, idle) and
 * calls occupancy_advance(t) before it changes any count at time t, through
 * occupancy_add_*; the areas under the counts, clipped to the measured period, give
 * mean instances, instance-time by state and utilisation, and, split at interval
 * edges, the timeline. Shared by every platform so that they measure alike.
 *
 * The areas are kept by their changes, not by integrating every count at every
 * step: a count n that changes by d_k at times t_k has the area
 *     integral of n over [W, E] = sum_k d_k (E - c(t_k)) = n E - sum_k d_k c(t_k),
 * with c(t) = t clamped to the measured period [W, E]; so a change adds d c(t) to
 * one sum, and advancing the clock costs nothing. The sums are integers (ns), so
 * the areas are exact, as integrating them step by step was. */
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
    sim_time acct_ns;                /* the clock: the last occupancy_advance's time */
    sim_time at_ns;                  /* acct_ns clamped to the measured period */
    sim_time warmup_ns, end_ns;      /* the measured period */
    sim_time step_ns;                /* timeline interval, 0 = no timeline */
    int started;                     /* the measured period has begun (peak counts from then) */
    int slow;                        /* an advance has more to do than move the clock: the
                                        period has not begun, or there is a timeline */
    /* sum of d x at_ns over the changes d of each count: its area over the measured
       period is count x end_ns - the sum (see above). The idle instances' is the live
       ones' (n_init + n_busy + n_idle) less the others', so that an instance going
       from idle to busy and back changes one sum, not two. */
    sim_time_sum busy_sum, init_sum, live_sum, running_sum;
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

/* occupancy_advance's part before the measured period and with a timeline. */
void occupancy_advance_slow(struct occupancy *o, sim_time t);

/* Move the clock to t (a t before the clock's leaves it): counts changed after this
 * change at t. */
static inline void occupancy_advance(struct occupancy *o, sim_time t)
{
    if (t <= o->acct_ns)
        return;
    if (o->slow) {
        occupancy_advance_slow(o, t);
        return;
    }
    o->acct_ns = t;
    o->at_ns = t < o->end_ns ? t : o->end_ns;
}

/* *sum += d x at, where at >= 0 (the clock's clamped time): a change by one, the
 * common case, is one 128-bit add of an unsigned 64-bit number. */
static inline void occupancy_sum_add(sim_time_sum *sum, int32_t d, sim_time at)
{
    if (d == 1)
        *sum += (sim_time_sum)(uint64_t)at;
    else if (d == -1)
        *sum -= (sim_time_sum)(uint64_t)at;
    else
        *sum += (sim_time_sum)d * at;
}

/* The counts change by d at the clock's time. */
static inline void occupancy_add_init(struct occupancy *o, int32_t d)
{
    o->n_init += (uint32_t)d;
    occupancy_sum_add(&o->init_sum, d, o->at_ns);
    occupancy_sum_add(&o->live_sum, d, o->at_ns);
}

static inline void occupancy_add_busy(struct occupancy *o, int32_t d)
{
    o->n_busy += (uint32_t)d;
    occupancy_sum_add(&o->busy_sum, d, o->at_ns);
    occupancy_sum_add(&o->live_sum, d, o->at_ns);
}

static inline void occupancy_add_idle(struct occupancy *o, int32_t d)
{
    o->n_idle += (uint32_t)d;
    occupancy_sum_add(&o->live_sum, d, o->at_ns);
}

/* d idle instances become busy (d < 0: busy ones become idle). */
static inline void occupancy_idle_to_busy(struct occupancy *o, int32_t d)
{
    o->n_idle -= (uint32_t)d;
    o->n_busy += (uint32_t)d;
    occupancy_sum_add(&o->busy_sum, d, o->at_ns);
}

static inline void occupancy_add_running(struct occupancy *o, int32_t d)
{
    o->n_running += (uint32_t)d;
    occupancy_sum_add(&o->running_sum, d, o->at_ns);
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
