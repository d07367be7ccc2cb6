/* engine.h - the event heap and the random streams every run is built from.
 *
 * Events are small values ordered by (time, sequence number); the sequence number
 * breaks ties in insertion order, so a run is a function of its seed alone. The heap
 * is a flat array: pushing and popping touch no allocator once it has grown to the
 * live event count, which is bounded by live instances, never by requests. It sits
 * on the path of every simulated request (one push, one pop), so an event is one
 * 16-byte integer key and the heap is 4-ary (see event_key). */
#ifndef SLSIM_ENGINE_H
#define SLSIM_ENGINE_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "slsim/units.h"

/* An event as the platforms see it: when, what (the platform's kind) and to whom. */
struct event {
    sim_time t_ns; /* when it happens */
    uint32_t kind; /* meaning is the platform's; below EVENT_KINDS */
    uint32_t idx;  /* usually an instance index; below EVENT_MAX_INDEX + 1 */
};

/* What the heap holds: one 128-bit key that orders events by (time, sequence
 * number) in a single unsigned compare and carries the event with it. The high 64
 * bits are the time with its sign bit flipped (so every int64 time orders as an
 * unsigned number); the low 64 bits are the sequence number (32 bits), then the
 * kind (5 bits) and the index (27 bits). The sequence number is unique among the
 * events held, so kind and index never decide an order. 16 bytes an event: four
 * children of a 4-ary heap fill one 64-byte cache line. */
__extension__ typedef unsigned __int128 event_key;

#define EVENT_KIND_BITS 5
#define EVENT_KINDS (1u << EVENT_KIND_BITS) /* kinds 0..31 */
#define EVENT_INDEX_BITS 27
#define EVENT_MAX_INDEX ((1u << EVENT_INDEX_BITS) - 1) /* 134,217,727 */
#define EVENT_SEQ_LIMIT (UINT64_C(1) << 32) /* sequence numbers are renumbered here */

struct event_heap {
    event_key *ev;    /* ev[0] is the earliest; ev[1..4] start a cache line */
    void *block;      /* the allocation ev points into */
    size_t len;       /* events held */
    size_t cap;       /* events ev has room for */
    uint64_t next_seq;/* sequence number of the next push, below EVENT_SEQ_LIMIT */
};

/* An empty heap; heap_destroy frees what pushing allocated. */
void heap_init(struct event_heap *h);
void heap_destroy(struct event_heap *h);

/* Room for at least n events. 0, or -1 when out of memory. */
int heap_reserve(struct event_heap *h, size_t n);

/* Give the held events sequence numbers 0..len-1 in their order, so that numbering
 * can go on from len: called when next_seq reaches EVENT_SEQ_LIMIT (after 2^32
 * pushes), which keeps the tie order exact however long the run. O(len log len). */
void heap_renumber(struct event_heap *h);

/* A 4-ary min-heap on event keys, sifting a hole (one compare and one copy per
 * child looked at): half the levels of a binary heap, and the four children of a
 * node are read from one cache line. */
static inline void event_sift_up(event_key *a, size_t i, event_key x)
{
    while (i > 0) {
        size_t parent = (i - 1) / 4;
        if (!(x < a[parent]))
            break;
        a[i] = a[parent];
        i = parent;
    }
    a[i] = x;
}

static inline __attribute__((always_inline)) void event_sift_down(event_key *a, size_t n,
                                                                   event_key x)
{
    size_t i = 0;
    for (;;) {
        size_t c = 4 * i + 1;
        if (c + 3 < n) { /* all four children: the least of them */
            size_t m = a[c + 1] < a[c] ? c + 1 : c;
            size_t m2 = a[c + 3] < a[c + 2] ? c + 3 : c + 2;
            c = a[m2] < a[m] ? m2 : m;
        } else if (c < n) {
            size_t m = c;
            for (size_t k = c + 1; k < n; k++)
                if (a[k] < a[m])
                    m = k;
            c = m;
        } else {
            break;
        }
        if (!(a[c] < x))
            break;
        a[i] = a[c];
        i = c;
    }
    a[i] = x;
}

/* Add an event. 0, or -1 when out of memory or when kind or idx does not fit its
 * bits (EVENT_KINDS, EVENT_MAX_INDEX); the heap is then unchanged. */
static inline int heap_push(struct event_heap *h, sim_time t_ns, uint32_t kind, uint32_t idx)
{
    if (kind >= EVENT_KINDS || idx > EVENT_MAX_INDEX)
        return -1;
    if (h->len == h->cap && heap_reserve(h, h->cap ? 2 * h->cap : 64) != 0)
        return -1;
    if (h->next_seq == EVENT_SEQ_LIMIT)
        heap_renumber(h);
    uint64_t hi = (uint64_t)t_ns ^ (UINT64_C(1) << 63);
    uint64_t lo = h->next_seq++ << 32 | (uint64_t)kind << EVENT_INDEX_BITS | idx;
    event_sift_up(h->ev, h->len++, (event_key)hi << 64 | lo);
    return 0;
}

/* Time of the earliest event, or SIM_TIME_FOREVER when empty. */
static inline sim_time heap_top_time(const struct event_heap *h)
{
    return h->len ? (sim_time)((uint64_t)(h->ev[0] >> 64) ^ (UINT64_C(1) << 63))
                  : SIM_TIME_FOREVER;
}

/* The event a key carries. */
static inline struct event event_of_key(event_key k)
{
    uint64_t lo = (uint64_t)k;
    return (struct event){(sim_time)((uint64_t)(k >> 64) ^ (UINT64_C(1) << 63)),
                          (uint32_t)(lo >> EVENT_INDEX_BITS) & (EVENT_KINDS - 1),
                          (uint32_t)lo & EVENT_MAX_INDEX};
}

/* The earliest event, left in place (a platform may fetch what it will touch).
 * Precondition: h->len > 0. */
static inline struct event heap_top(const struct event_heap *h)
{
    return event_of_key(h->ev[0]);
}

/* Remove and return the earliest event. Precondition: h->len > 0. Always inlined
 * (GCC and Clang): the run loop's pop is the engine's hottest code, and a call
 * there costs more than the copies of it. */
static inline __attribute__((always_inline)) struct event heap_pop(struct event_heap *h)
{
    event_key top = h->ev[0];
    if (--h->len)
        event_sift_down(h->ev, h->len, h->ev[h->len]);
    return event_of_key(top);
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
    RNG_TOKENS,    /* prompt and output tokens drawn for a request (workload.tokens) */
    RNG_PURPOSES
};

/* A generator for (seed, replication, purpose). The caller owns it (gsl_rng_free).
 * NULL when out of memory. The type is GSL's taus2: fast, maximally equidistributed,
 * and small; its 32-bit seed is derived by SplitMix64 from all three inputs. */
gsl_rng *rng_stream_create(uint64_t seed, uint32_t replication, enum rng_purpose purpose);

/* GSL's taus2 state (taus.c's taus_state_t): three 32-bit words in unsigned longs. */
struct rng_taus2_state {
    unsigned long s1, s2, s3;
};

/* A uniform variate in [0, 1) from r: the number gsl_rng_uniform(r) gives, in the
 * same order. A taus2 stream (every stream rng_stream_create makes) is stepped
 * here, inline, rather than through GSL's function pointer: it is drawn two or
 * three times per simulated request. The step is taus2's, L'Ecuyer, "Maximally
 * equidistributed combined Tausworthe generators", Math. Comp. 65 (1996) 203-213,
 * as GSL implements it; a generator of any other type goes through GSL. */
static inline double rng_uniform(gsl_rng *r)
{
    if (r->type != gsl_rng_taus2)
        return gsl_rng_uniform(r);
    struct rng_taus2_state *s = r->state;
    const unsigned long mask = 0xffffffffUL;
#define RNG_TAUSWORTHE(x, a, b, c, d) ((((x) & (c)) << (d)) & mask) ^ (((((x) << (a)) & mask) ^ (x)) >> (b))
    s->s1 = RNG_TAUSWORTHE(s->s1, 13, 19, 4294967294UL, 12);
    s->s2 = RNG_TAUSWORTHE(s->s2, 2, 25, 4294967288UL, 4);
    s->s3 = RNG_TAUSWORTHE(s->s3, 3, 11, 4294967280UL, 17);
#undef RNG_TAUSWORTHE
    return (double)(s->s1 ^ s->s2 ^ s->s3) / 4294967296.0;
}

/* A uniform variate in (0, 1): gsl_rng_uniform_pos(r)'s number (zeros redrawn). */
static inline double rng_uniform_pos(gsl_rng *r)
{
    double x;
    do
        x = rng_uniform(r);
    while (x == 0);
    return x;
}

/* A unit-mean exponential variate from r. GSL's gsl_ran_exponential computes
 * -log1p(-u), and log1p costs twice what log does; u and 1 - u have the same law,
 * so -log(u) with u in (0, 1) is the same distribution at half the price, on the
 * path every simulated request takes. */
static inline double rng_exponential1(gsl_rng *r)
{
    return -log(rng_uniform_pos(r));
}

/* The 32-bit seed rng_stream_create uses, for tests. */
unsigned long rng_stream_seed(uint64_t seed, uint32_t replication, enum rng_purpose purpose);

#endif
