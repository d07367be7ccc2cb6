/* serverless.h - the serverless platform's state, shared by its files.
 *
 * serverless.c routes requests and runs instances' lives; idle.c keeps the idle
 * sets and their expiry; the policies (keep-alive, idle pick, throttle mode) each
 * live in a file of their own behind the ops structs below and are registered in
 * policies.c; provisioned.c and warming.c keep instances warm; serverless_setup.c
 * makes, finishes and frees the platform. Slots, queues and a request's execution
 * are the execution core's (core.h). */
#ifndef SLSIM_PLATFORM_SERVERLESS_H
#define SLSIM_PLATFORM_SERVERLESS_H

#include <gsl/gsl_rng.h>

#include "slsim/capacity.h"
#include "slsim/containers.h"
#include "slsim/keepalive.h"
#include "slsim/occupancy.h"
#include "slsim/platform.h"

#include "core.h"

enum {
    EV_READY = 1,     /* idx: instance */
    EV_COMPLETE = 2,  /* idx: instance */
    EV_KEEPALIVE = 3, /* idx: function: the keep-alive policy's own event (a pre-warm) */
    EV_PROVISION = 4, /* the provisioned schedule changes */
    EV_WARM = 5,      /* a round of warming pings */
    EV_WARM_AHEAD = 6,/* idx: warm_before entry */
    EV_TOKEN = 7,     /* idx: function: a scaling token is due for its queue */
    EV_RETRY = 8,     /* idx: retry slot */
};
enum { INST_FREE, INST_INIT, INST_READY };
enum { EXP_NONE, EXP_RING, EXP_HEAP }; /* how idle instances expire */
#define NONE UINT32_MAX

struct instance {
    sim_time freed_ns;     /* when it last became idle */
    sim_time ready_ns;     /* end of its cold start */
    sim_time bill_from_ns; /* busy and instance billing: start of the period being billed */
    sim_time dies_ns;      /* hybrid histogram: keep-alive end of a pre-warmed instance */
    uint64_t birth;        /* creation order, for idle_pick: newest */
    uint32_t fn;           /* the function it belongs to */
    uint32_t active;       /* requests running on it or waiting for its cold start */
    uint32_t gen;          /* bumped whenever it leaves the idle set: marks stale entries */
    uint32_t pos;          /* index in a slot set or idle set */
    uint32_t next_free;    /* free-list link while INST_FREE */
    uint8_t state;         /* INST_FREE, INST_INIT or INST_READY */
    uint8_t in_partial;    /* in the function's partial set (busy with a free slot) */
    uint8_t in_starting;   /* in the function's starting set (initializing, free slot) */
    uint8_t prov;          /* a provisioned instance */
    uint8_t retiring;      /* provisioned, no longer wanted: retire when idle */
};

/* An idle instance as a ring or heap holds it: stale once its generation moved on. */
struct idle_ref {
    sim_time key;  /* expiry time (rings, expiry heap) or priority (heaps by priority) */
    uint32_t inst; /* instance index */
    uint32_t gen;  /* its generation when it went idle */
};

RING_DEFINE(idle_ring, struct idle_ref)

static inline int idle_ref_before(const struct idle_ref *a, const struct idle_ref *b)
{
    return a->key < b->key;
}

HEAPQ_DEFINE(ref_heapq, struct idle_ref, idle_ref_before)

/* A min-heap of idle_refs by key, with lazy deletion (stale generations). */
struct ref_heap {
    struct idle_ref *e;
    size_t len, cap;
};

/* Add e to h: 0, or -1 when out of memory. */
static inline int ref_heap_put(struct ref_heap *h, struct idle_ref e)
{
    if (h->len == h->cap && vec_grow((void **)&h->e, &h->cap, sizeof *h->e, 16))
        return -1;
    ref_heapq_up(h->e, h->len++, e);
    return 0;
}

/* Remove and return the least key. Precondition: h->len > 0. */
static inline struct idle_ref ref_heap_take(struct ref_heap *h)
{
    return ref_heapq_pop(h->e, &h->len);
}

/* A throttled request waiting to be tried again. */
struct retry {
    struct request r;   /* the request, its function resolved */
    uint32_t attempt;   /* retries so far */
    uint32_t next_free; /* free list */
};

struct fn_state {
    struct idle_ring ring;     /* idle on-demand instances by time freed */
    uint32_t n_idle_live;      /* live entries in ring */
    struct idxset idle_set;    /* random: the idle instances */
    struct ref_heap newest;    /* newest: by -birth */
    struct idxset partial;     /* busy instances with a free slot */
    struct idxset starting;    /* initializing instances with a free slot */
    struct idxset prov_idle;   /* idle provisioned instances (a stack) */
    uint32_t prov_live;        /* provisioned instances allocated (not retiring) */
    uint32_t live;             /* instances of the function (for reserved) */
    uint32_t running;          /* requests running or waiting for a cold start */
    struct core_queue queue;   /* requests waiting for a slot */
    struct token_bucket bucket;/* scaling-rate limit */
    int token_pending;         /* an EV_TOKEN is on the heap */
    struct ka_hist *hist;      /* hybrid histogram */
    sim_time last_end_ns;      /* end of the last invocation, -1 before the first */
    sim_time pending_dies_ns;  /* hybrid histogram: keep-alive end of the next pre-warm */
    double uses;               /* greedy-dual frequency */
    int64_t memory_bytes;      /* from the trace, rounded up to a memory setting; 0: the deployment's */
    uint64_t requests, served, cold_starts; /* measured */
};

struct serverless;

/* A keep-alive policy: how long an idle on-demand instance lives. */
struct keepalive_ops {
    /* Set p up for the policy (p->exp_mode, capacity, per-function state) once the
     * functions exist. 0, or -1 when out of memory. */
    int (*init)(struct serverless *p);
    /* Instance of function fn goes idle at now: when it expires (SIM_TIME_FOREVER:
     * never; <= now: at once). */
    sim_time (*until)(struct serverless *p, struct fn_state *f, uint32_t fn, sim_time now);
    /* A request of f arrives at now, before it is routed. NULL: nothing to learn. */
    void (*arrival)(struct serverless *p, struct fn_state *f, sim_time now);
    /* Evicting policies: the eviction key of an instance of f going idle at now (the
     * least key goes first). NULL: instances are never evicted. */
    sim_time (*priority)(const struct serverless *p, const struct fn_state *f, sim_time now);
    /* Evicting policies: the idle instance of key `key` was evicted. NULL: nothing. */
    void (*evicted)(struct serverless *p, sim_time key);
    /* Its EV_KEEPALIVE event for function idx is due at now. NULL: it pushes none. */
    void (*event)(struct serverless *p, uint32_t idx, sim_time now);
};

/* An idle pick: which idle on-demand instance of a function serves. Every idle
 * instance is in its function's ring by time freed; a pick may keep more. */
struct idle_pick_ops {
    /* Instance i of f joined the idle set. NULL: the ring is enough. */
    int (*add)(struct serverless *p, struct fn_state *f, uint32_t i);
    /* Instance i of f leaves the idle set. NULL: nothing to undo. */
    void (*unlink)(struct serverless *p, struct fn_state *f, uint32_t i);
    /* The instance to take (not yet unlinked). Precondition: f->n_idle_live > 0. */
    uint32_t (*take)(struct serverless *p, struct fn_state *f);
    /* f's ring was compacted; rebuild what add keeps. NULL: nothing. */
    void (*rebuild)(struct serverless *p, struct fn_state *f);
};

/* A throttle mode: what a request that found no instance does. */
struct throttle_ops {
    /* Request r of function fn found no room at now, after `attempt` retries. */
    void (*throttled)(struct serverless *p, uint32_t fn, const struct request *r, sim_time now,
                      uint32_t attempt);
    /* A slot of instance i is free at now and its function's queue is not empty: 1
     * when a waiting request took it. NULL: requests never wait. */
    int (*slot_free)(struct serverless *p, uint32_t i, sim_time now);
    /* Its event (EV_TOKEN or EV_RETRY) with index idx is due at now. NULL: none. */
    void (*event)(struct serverless *p, uint32_t idx, sim_time now);
};

struct serverless {
    const struct serverless_spec *spec; /* borrowed */
    const char *name;                   /* the deployment's, borrowed */
    const struct platform_profile *profile;
    struct platform_env env;
    struct core core;   /* slots, queues, execution; core.oom: an allocation failed mid-run */
    const struct keepalive_ops *ka;
    const struct idle_pick_ops *pick;
    const struct throttle_ops *throttle;
    struct coldstart_model coldstart;
    gsl_rng *cold_rng;  /* RNG_COLDSTART */
    gsl_rng *place_rng; /* RNG_PLACEMENT */
    sim_time keep_alive_ns;   /* fixed keep-alive (the platform's default or keep_alive's
                                 duration); read by keepalive_fixed.c only */
    uint32_t concurrency;
    uint32_t cap;       /* per-function instance cap, 0 = none */
    int exp_mode;       /* EXP_NONE, EXP_RING, EXP_HEAP */
    int may_stale;      /* idle entries can go stale away from the ring ends */
    int fn_memory;      /* some function has its own memory (from a trace) */
    int capacity_policy;/* eviction under a memory capacity */
    int64_t capacity_bytes, used_bytes;
    double gd_clock;    /* greedy-dual clock */
    double cold_cost_s; /* mean cold start, the greedy-dual cost */

    struct instance *inst; /* pool */
    uint32_t n_inst, cap_inst;
    uint32_t free_head;
    uint64_t births;

    struct fn_state *fn;
    uint32_t n_fn;
    struct idle_ring global_ring; /* EXP_RING with several functions: all idle instances */
    uint32_t idle_live;      /* live idle entries over all functions */
    struct idle_ring *exp_ring; /* the ring expiries are read from */
    struct ref_heap exp_heap;/* EXP_HEAP */
    struct ref_heap evict;   /* capacity policies: idle instances by priority */

    struct retry *retries;
    uint32_t n_retries, cap_retries, retry_free;

    uint32_t prov_level;     /* provisioned instances per function now */
    sim_time prov_since_ns;  /* since when */

    struct occupancy occ;
    struct billing_meter meter;      /* on-demand requests (and their fees) */
    struct billing_meter warm_meter; /* warming pings */
    struct provisioned_meter prov_meter;
    sim_time_sum prov_busy_ns, prov_ns; /* provisioned instance-time: busy, all */
    sim_time prov_acct_ns;
    uint32_t prov_busy_now, prov_now;

    struct deployment_result res;
};

static inline void push_event(struct serverless *p, sim_time t, uint32_t kind, uint32_t idx)
{
    if (heap_push(p->env.heap, t, kind + p->env.kind_base, idx) != 0)
        p->core.oom = 1;
}

/* Memory of an instance of function f. */
static inline int64_t memory_of(const struct serverless *p, const struct fn_state *f)
{
    return f->memory_bytes ? f->memory_bytes : p->spec->memory_bytes;
}

/* Bill what follows at the memory of function f (a trace's per-function memory). */
static inline void bill_as(struct serverless *p, const struct fn_state *f)
{
    if (p->fn_memory)
        billing_meter_set_memory(&p->meter, memory_of(p, f));
}

/* Provisioned instance-time, for provisioned utilisation (provisioned.c). */
void prov_advance(struct serverless *p, sim_time t);

static inline void advance(struct serverless *p, sim_time t)
{
    occupancy_advance(&p->occ, t);
    if (p->prov_level || p->prov_now)
        prov_advance(p, t);
}

/* The part of the period [from, t] inside the measured window [warmup, end), in
 * *len; 0 when none of it is (a period of 0 ns at an instant inside counts). */
static inline int measured_span(const struct serverless *p, sim_time from, sim_time t,
                                sim_time *len)
{
    if (t < p->env.warmup_ns || (t == p->env.warmup_ns && from < t) || from >= p->env.end_ns)
        return 0;
    sim_time a = from > p->env.warmup_ns ? from : p->env.warmup_ns;
    sim_time b = t < p->env.end_ns ? t : p->env.end_ns;
    *len = b > a ? b - a : 0;
    return 1;
}

/* An entry of an idle ring or heap still stands for an idle instance. */
static inline int ref_live(const struct serverless *p, struct idle_ref r)
{
    const struct instance *in = &p->inst[r.inst];
    return in->gen == r.gen && in->state == INST_READY && in->active == 0;
}

/* ---- serverless.c ---- */

/* Busy and instance billing: charge instance i's period up to t (see serverless.c). */
sim_time bill_period(struct serverless *p, uint32_t i, sim_time t);
/* Start a new instance of function fn at now: a cold start of `cold` ns; NONE when
 * out of memory. */
uint32_t instance_start(struct serverless *p, uint32_t fn, sim_time now, sim_time cold, int prov);
/* Instance i goes back to the pool. */
void instance_release(struct serverless *p, uint32_t i);
/* Route request r of function fn at now: 1 when it started (or waits for a cold
 * start under way), 0 when no instance could take it; ping marks a warming ping. */
int try_start(struct serverless *p, uint32_t fn, const struct request *r, sim_time now, int ping);
/* Request r of instance i's function starts executing at start_ns: its completion is
 * scheduled and, when measured, its latency recorded and its execution billed.
 * cold_ns: the cold start its arrival caused (0: none); ping: a warming ping (billed
 * apart, not measured). */
void request_start(struct serverless *p, uint32_t i, const struct request *r, sim_time start_ns,
                   sim_time cold_ns, int ping);

/* ---- serverless_setup.c ---- */

/* The platform's finish and destroy (platform_ops). */
int serverless_finish(void *self, struct deployment_result *out, struct slsim_error *err);
void serverless_destroy(void *self);

/* ---- idle.c ---- */

/* Drop a ring's stale entries at both ends. */
void idle_ring_trim(struct serverless *p, struct idle_ring *r);
/* Drop a ring's stale entries, keeping the order of the rest. */
void idle_ring_compact(struct serverless *p, struct idle_ring *r);
/* Retire every idle instance whose keep-alive ended at or before now. */
void expire_due(struct serverless *p, sim_time now);
/* Make room for bytes more under the memory capacity, evicting idle instances of
 * least priority: 1 when there is room. */
int make_room(struct serverless *p, int64_t bytes, sim_time now);

/* Instance i (on-demand, READY, active 0) joins its function's idle set, expiring
 * at dies_ns (SIM_TIME_FOREVER: never). */
static inline void idle_add(struct serverless *p, uint32_t i, sim_time dies_ns)
{
    struct instance *in = &p->inst[i];
    struct fn_state *f = &p->fn[in->fn];
    struct idle_ref ref = {dies_ns, i, in->gen};
    if (p->may_stale)
        idle_ring_trim(p, &f->ring); /* expiries elsewhere leave stale entries at the front */
    if (idle_ring_push(&f->ring, ref)) {
        p->core.oom = 1;
        return;
    }
    f->n_idle_live++;
    p->idle_live++;
    switch (p->exp_mode) {
    case EXP_RING:
        if (p->exp_ring == &p->global_ring) {
            /* Entries of instances taken before their expiry go stale in the middle;
             * sweep them when they outnumber the live ones, so the ring stays the
             * size of the idle set rather than of the arrivals in one keep-alive. */
            if (p->global_ring.len > 2 * p->idle_live + 1024)
                idle_ring_compact(p, &p->global_ring);
            if (idle_ring_push(&p->global_ring, ref))
                p->core.oom = 1;
        }
        break;
    case EXP_HEAP:
        if (dies_ns != SIM_TIME_FOREVER && ref_heap_put(&p->exp_heap, ref))
            p->core.oom = 1;
        break;
    case EXP_NONE:
        break;
    }
    if (p->capacity_policy) {
        struct idle_ref e = {p->ka->priority(p, f, in->freed_ns), i, in->gen};
        if (ref_heap_put(&p->evict, e))
            p->core.oom = 1;
    }
    if (p->pick->add && p->pick->add(p, f, i))
        p->core.oom = 1;
}

/* Instance i leaves the idle set (taken, expired or evicted): its entries go stale. */
static inline void idle_unlink(struct serverless *p, uint32_t i)
{
    struct instance *in = &p->inst[i];
    struct fn_state *f = &p->fn[in->fn];
    in->gen++;
    f->n_idle_live--;
    p->idle_live--;
    if (p->pick->unlink)
        p->pick->unlink(p, f, i);
}

/* ---- the policies' operations: one file each (keepalive_*.c, pick_*.c,
 * throttle_*.c), registered as rows in policies.c ---- */

extern const struct keepalive_ops keepalive_fixed_ops, keepalive_histogram_ops,
    keepalive_greedy_dual_ops, keepalive_lru_ops;
/* Their keys (policy_parse_fn): fixed reads `duration` (none and forever imply it),
 * greedy-dual and lru `capacity`, hybrid-histogram the ka_hist_params. */
policy_parse_fn keepalive_fixed_parse, keepalive_capacity_parse, keepalive_histogram_parse;
/* What the evicting policies (greedy-dual, lru) share: idle instances never expire,
 * they stay until keep_alive.capacity is needed. */
int keepalive_evicting_init(struct serverless *p);
sim_time keepalive_evicting_until(struct serverless *p, struct fn_state *f, uint32_t fn,
                                  sim_time now);
extern const struct idle_pick_ops idle_pick_mru_ops, idle_pick_lru_ops, idle_pick_random_ops,
    idle_pick_newest_ops;
extern const struct throttle_ops throttle_reject_ops, throttle_queue_ops, throttle_retry_ops;


/* mru's take (pick_mru.c), inline: it is the default pick, on the path of every
 * warm request. */
static inline uint32_t idle_take_mru(struct serverless *p, struct fn_state *f)
{
    if (p->may_stale)
        idle_ring_trim(p, &f->ring);
    uint32_t i = idle_ring_back(&f->ring)->inst;
    f->ring.len--;
    return i;
}

/* The fixed keep-alive's expiry (keepalive_fixed.c), inline for the same reason. */
static inline sim_time keepalive_fixed_until(const struct serverless *p, sim_time now)
{
    return p->exp_mode == EXP_NONE ? SIM_TIME_FOREVER : sim_time_add(now, p->keep_alive_ns);
}

/* Take an idle on-demand instance of f by idle_pick. Precondition: n_idle_live > 0. */
static inline uint32_t idle_take(struct serverless *p, struct fn_state *f)
{
    uint32_t i = p->pick == &idle_pick_mru_ops ? idle_take_mru(p, f) : p->pick->take(p, f);
    idle_unlink(p, i);
    if (f->ring.len > 2 * f->n_idle_live + 64) {
        /* Rebuild the ring (and what the pick keeps) without stale entries, in order. */
        idle_ring_compact(p, &f->ring);
        if (p->pick->rebuild)
            p->pick->rebuild(p, f);
    }
    return i;
}

/* The common case, nothing due, costs one comparison. */
static inline void expire_until(struct serverless *p, sim_time now)
{
    if (p->exp_mode == EXP_RING) {
        struct idle_ring *r = p->exp_ring;
        if (!r->len || idle_ring_front(r)->key > now)
            return;
    } else if (p->exp_mode == EXP_NONE) {
        return;
    }
    expire_due(p, now);
}

/* ---- provisioned.c, warming.c ---- */

/* Bring every function's provisioned instances to the schedule's count at now. */
void provision(struct serverless *p, sim_time now);
/* Bill the provisioned allocation from the last change up to now. */
void prov_bill_segment(struct serverless *p, sim_time now);
/* Busy mode: kept-warm instance i's busy period ends at t. */
void prov_bill_busy(struct serverless *p, uint32_t i, sim_time t);
/* Kept-warm instance i has no request left at now: back to its stack, or retired.
 * served: it has just served one. */
void prov_idle(struct serverless *p, uint32_t i, sim_time now, int served);
/* EV_WARM or EV_WARM_AHEAD (kind) with index idx is due at now. */
void warming_event(struct serverless *p, uint32_t kind, uint32_t idx, sim_time now);
/* Push the first warming events. */
void warming_start(struct serverless *p);

#endif
