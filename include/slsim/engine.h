/* engine.h - the event heap and the random streams every run is built from.
 *
 * Events are small values ordered by (time, sequence number); the sequence number
 * breaks ties in insertion order, so a run is a function of its seed alone. The heap
 * is a flat array: pushing and popping touch no allocator once it has grown to the
 * live event count, which is bounded by live instances, never by requests. */
#ifndef SLSIM_ENGINE_H
#define SLSIM_ENGINE_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "slsim/containers.h"
#include "slsim/units.h"

struct event {
    sim_time t_ns; /* when it happens */
    uint64_t seq;  /* insertion order, breaks ties */
    uint32_t kind; /* meaning is the platform's */
    uint32_t idx;  /* usually an instance index */
};

struct event_heap {
    struct event *ev; /* ev[0] is the earliest */
    size_t len;       /* events held */
    size_t cap;       /* events ev has room for */
    uint64_t next_seq;/* sequence number of the next push */
};

/* An empty heap; heap_destroy frees what pushing allocated. */
void heap_init(struct event_heap *h);
void heap_destroy(struct event_heap *h);

/* Room for at least n events. 0, or -1 when out of memory. */
int heap_reserve(struct event_heap *h, size_t n);

static inline int event_before(const struct event *a, const struct event *b)
{
    return a->t_ns < b->t_ns || (a->t_ns == b->t_ns && a->seq < b->seq);
}

HEAPQ_DEFINE(event_heapq, struct event, event_before)

/* Add an event. 0, or -1 when out of memory (the heap is unchanged). */
static inline int heap_push(struct event_heap *h, sim_time t_ns, uint32_t kind, uint32_t idx)
{
    if (h->len == h->cap && heap_reserve(h, h->cap ? 2 * h->cap : 64) != 0)
        return -1;
    struct event e = {t_ns, h->next_seq++, kind, idx};
    event_heapq_up(h->ev, h->len++, e);
    return 0;
}

/* Time of the earliest event, or SIM_TIME_FOREVER when empty. */
static inline sim_time heap_top_time(const struct event_heap *h)
{
    return h->len ? h->ev[0].t_ns : SIM_TIME_FOREVER;
}

/* Remove and return the earliest event. Precondition: h->len > 0. */
static inline struct event heap_pop(struct event_heap *h)
{
    return event_heapq_pop(h->ev, &h->len);
}

/* One random stream per purpose, so that changing how one purpose draws never
 * shifts another's numbers: the request stream (arrivals, service) is the same for
 * every deployment of a scenario, which is what makes comparisons fair. */
enum rng_purpose {
    RNG_ARRIVALS,  /* arrival times */
    RNG_SERVICE,   /* warm service times carried by each request */
    RNG_COLDSTART, /* cold-start delays, per deployment */
    RNG_PLACEMENT, /* random choices of a platform (idle_pick: random) */
    RNG_FUNCTION,  /* which function a request calls (several functions) */
    RNG_PURPOSES
};

/* A generator for (seed, replication, purpose). The caller owns it (gsl_rng_free).
 * NULL when out of memory. The type is GSL's taus2: fast, maximally equidistributed,
 * and small; its 32-bit seed is derived by SplitMix64 from all three inputs. */
gsl_rng *rng_stream_create(uint64_t seed, uint32_t replication, enum rng_purpose purpose);

/* A unit-mean exponential variate from r. GSL's gsl_ran_exponential computes
 * -log1p(-u), and log1p costs twice what log does; u and 1 - u have the same law,
 * so -log(u) with u in (0, 1) is the same distribution at half the price, on the
 * path every simulated request takes. */
static inline double rng_exponential1(gsl_rng *r)
{
    return -log(gsl_rng_uniform_pos(r));
}

/* The 32-bit seed rng_stream_create uses, for tests. */
unsigned long rng_stream_seed(uint64_t seed, uint32_t replication, enum rng_purpose purpose);

#endif
