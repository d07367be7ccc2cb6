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
    EV_SHARED = 9,    /* idx: instance: its first completion under processor sharing */
    EV_BATCH_DONE = 10,  /* idx: instance: its batch is done */
    EV_BATCH_TIMER = 11, /* idx: function: its oldest waiting request's max_queue_delay */
    EV_SCALE_OUT = 12,   /* idx: function: its queue has outgrown its instances a while */
};
enum { INST_FREE, INST_INIT, INST_READY };

/* How idle instances expire: never; in the order they went idle, which with one
 * function is its idle list's order (read from the tail) and with several a ring
 * over all of them; or each at its own time, from a heap. */
enum { EXP_NONE, EXP_LIST, EXP_RING, EXP_HEAP };
#define NONE UINT32_MAX

/* An instance's record: 64 bytes, and the pool is 64-byte aligned, so a request
 * that touches its instance touches one cache line (checked below). */
struct instance {
    union {
        sim_time ready_ns; /* INST_INIT: end of its cold start */
        sim_time idle_ns;  /* idle: since when (the autoscaler's scale-in) */
    };
    sim_time bill_from_ns; /* busy and instance billing: start of the period being billed */
    sim_time dies_ns;      /* hybrid histogram: keep-alive end of a pre-warmed instance;
                              EXP_LIST: its expiry while idle */
    uint64_t birth;        /* creation order, for idle_pick: newest */
    uint32_t fn;           /* the function it belongs to */
    uint32_t active;       /* requests running on it or waiting for its cold start */
    uint32_t gen;          /* bumped whenever it leaves the idle set: marks stale entries */
    uint32_t pos;          /* index in a slot set or idle set */
    uint32_t newer;        /* idle: the next instance of its function freed after it, NONE */
    uint32_t older;        /* idle: the one freed before it, NONE; while INST_FREE: the free
                              list's next */
    uint8_t state;         /* INST_FREE, INST_INIT or INST_READY */
    uint8_t in_partial;    /* in the function's partial set (busy with a free slot) */
    uint8_t in_starting;   /* in the function's starting set (initializing, free slot) */
    uint8_t prov;          /* a provisioned instance */
    uint8_t retiring;      /* provisioned no longer wanted, or drained by the autoscaler:
                              takes no new request, retires when idle */
};

_Static_assert(sizeof(struct instance) == 64, "an instance is one cache line");

/* Instance records (64 bytes each) beyond which they no longer sit in a core's
 * own caches (1 MiB), and the next completion's record is fetched ahead. Below, the
 * fetch would cost 32 instructions a request in the probe, for misses that occur
 * only where another thread shares the core's L1 cache. */
#define PREFETCH_INSTANCES 16384

/* Functions beyond which their hot records (32 bytes each, 128 KiB) leave a core's
 * nearest caches, and a block's requests fetch theirs ahead (on_arrivals). */
#define PREFETCH_FUNCTIONS 4096

/* How far ahead in a block of requests: a request's function record is fetched
 * 2 x PREFETCH_AHEAD requests before it arrives, its most recently idle instance
 * PREFETCH_AHEAD before, once that record is in the cache. */
#define PREFETCH_AHEAD 8

/* An idle instance as a heap holds it: stale once its generation moved on. */
struct idle_ref {
    sim_time key;  /* expiry time (expiry heap) or priority (heaps by priority) */
    uint32_t inst; /* instance index */
    uint32_t gen;  /* its generation when it went idle */
};

/* An idle instance in the expiry ring, with its function: the record of the next
 * to expire and its function's are fetched ahead together (both were idle a whole
 * keep-alive, long out of the cache). */
struct expiry_ref {
    sim_time key;  /* expiry time */
    uint32_t inst; /* instance index */
    uint32_t gen;  /* its generation when it went idle */
    uint32_t fn;   /* its function */
};

RING_DEFINE(expiry_ring, struct expiry_ref)
/* Functions in FIFO order (the pool's waiters). */
RING_DEFINE(fn_ring, uint32_t)

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

/* What every request of a function touches: its idle list and counts, 32 bytes in a
 * 64-byte aligned array, so that with many functions a request reads one cache line
 * of per-function state. The idle on-demand instances of the function form a list
 * through their own records (newer, older), most recently freed first: mru takes
 * the head, lru the tail, and an instance that leaves from the middle (expired,
 * evicted, picked at random or by age) is unlinked in O(1), so nothing per function
 * needs trimming or sweeping. What only some deployments use is in fn_cold. */
struct fn_state {
    uint32_t idle_mru;    /* the idle on-demand instance freed last (list head), NONE: none */
    uint32_t idle_lru;    /* the one freed first (list tail), NONE: none */
    uint32_t n_idle;      /* idle on-demand instances */
    uint32_t live;        /* instances of the function, all states (for reserved) */
    uint64_t served;      /* measured requests served */
    uint64_t cold_starts; /* measured cold starts */
};

_Static_assert(sizeof(struct fn_state) == 32, "two functions' hot state per cache line");

/* Per-function state of the features a deployment may switch on, apart from the hot
 * record: each group is read and written only where its feature is on (the flags
 * of struct serverless), so the array (calloc'd, so its pages are mapped lazily)
 * costs nothing where no feature touches it. */
struct fn_cold {
    /* concurrency > 1 */
    struct idxset partial;      /* busy instances with a free slot */
    struct idxset starting;     /* initializing instances with a free slot */
    /* provisioned */
    struct idxset prov_idle;    /* idle provisioned instances (a stack) */
    uint32_t prov_live;         /* provisioned instances allocated (not retiring) */
    /* hybrid histogram (learns) */
    uint32_t running;           /* requests running or waiting for a cold start */
    struct ka_hist *hist;       /* its idle times */
    sim_time last_end_ns;       /* end of the last invocation, -1 before the first */
    sim_time pending_dies_ns;   /* keep-alive end of the next pre-warm */
    /* on_throttle: queue, scale_rate */
    struct core_queue queue;    /* requests waiting for a slot */
    struct token_bucket bucket; /* scaling-rate limit */
    int token_pending;          /* an EV_TOKEN is on the heap */
    int pool_waiting;           /* in the pool's waiters: its queue waits on the account pool */
    /* greedy-dual (counts_uses) */
    double uses;                /* frequency */
    /* idle_pick random, newest */
    struct idxset idle_set;     /* random: the idle instances */
    struct ref_heap newest;     /* newest: by -birth */
};

/* Metrics-based autoscaling (autoscale.c): per function, the levels it averages,
 * their integrals since the start, and samples of the integrals at its decisions. */
#define AUTOSCALE_SAMPLES 64 /* decisions kept: a window of 60 s at a tick of 2 s needs 31 */

struct scale_sample {
    sim_time t_ns;
    double inflight_int, cpu_int;
    uint32_t want;              /* the recommendation made then */
    uint32_t peak;              /* most requests running at once since the sample before */
};

struct fn_scale {
    sim_time t_ns;              /* integrals are up to here */
    double inflight, cpu;       /* requests in flight and vCPUs in use now */
    double inflight_int, cpu_int; /* their integrals, request-ns and vCPU-ns */
    sim_time next_ns;           /* no decision before this */
    uint32_t draining;          /* instances drained, not yet retired */
    uint32_t peak;              /* most requests running at once since the last sample */
    uint32_t head, len;         /* samples, oldest first */
    struct scale_sample ring[AUTOSCALE_SAMPLES];
};

/* Dynamic batching (serverless_batch.c): a function's queue, its max_queue_delay timer
 * and its scale-out rule's state. */
struct fn_batch {
    struct core_queue q;        /* requests waiting for a batch */
    sim_time timer_ns;          /* the pending EV_BATCH_TIMER's time, SIM_TIME_FOREVER: none */
    sim_time over_since_ns;     /* since when the queue outgrew the instances, FOREVER: it has not */
    int scale_pending;          /* an EV_SCALE_OUT is on the heap */
};

struct serverless;

/* A keep-alive policy: how long an idle on-demand instance lives. */
struct keepalive_ops {
    /* Set p up for the policy (p->exp_mode, capacity, what it tracks, per-function
     * state in p->cold) once the functions exist. 0, or -1 when out of memory. */
    int (*init)(struct serverless *p);
    /* Instance of function fn goes idle at now: when it expires (SIM_TIME_FOREVER:
     * never; <= now: at once). */
    sim_time (*until)(struct serverless *p, uint32_t fn, sim_time now);
    /* A request of fn arrives at now, before it is routed. NULL: nothing to learn. */
    void (*arrival)(struct serverless *p, uint32_t fn, sim_time now);
    /* Evicting policies: the eviction key of an instance of fn going idle at now (the
     * least key goes first). NULL: instances are never evicted. */
    sim_time (*priority)(const struct serverless *p, uint32_t fn, sim_time now);
    /* Evicting policies: the idle instance of key `key` was evicted. NULL: nothing. */
    void (*evicted)(struct serverless *p, sim_time key);
    /* Its EV_KEEPALIVE event for function idx is due at now. NULL: it pushes none. */
    void (*event)(struct serverless *p, uint32_t idx, sim_time now);
};

/* An idle pick: which idle on-demand instance of a function serves. Every idle
 * instance is in its function's idle list (struct fn_state); a pick may keep more. */
struct idle_pick_ops {
    /* Instance i of fn joined the idle set (it is the list's head). NULL: the list is
     * enough. 0, or -1 when out of memory. */
    int (*add)(struct serverless *p, uint32_t fn, uint32_t i);
    /* Instance i of fn has left the idle set (unlinked, its generation moved on).
     * NULL: nothing to undo. */
    void (*unlink)(struct serverless *p, uint32_t fn, uint32_t i);
    /* The instance to take (not yet unlinked). Precondition: fn has an idle instance. */
    uint32_t (*take)(struct serverless *p, uint32_t fn);
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

/* How an idle instance is taken, decided once: the two picks from the list's ends
 * are inline on the path of every warm request, the others called through ops. */
enum { TAKE_MRU, TAKE_LRU, TAKE_OPS };

struct serverless {
    const struct serverless_spec *spec; /* borrowed */
    const char *name;                   /* the deployment's, borrowed */
    const struct platform_profile *profile;
    struct platform_env env;
    struct core core;   /* slots, queues, execution; core.oom: an allocation failed mid-run */
    const struct keepalive_ops *ka;
    const struct idle_pick_ops *pick;
    const struct throttle_ops *throttle;
    int (*pick_add)(struct serverless *p, uint32_t fn, uint32_t i);       /* pick->add */
    void (*pick_unlink)(struct serverless *p, uint32_t fn, uint32_t i);   /* pick->unlink */
    struct coldstart_model coldstart;
    gsl_rng *cold_rng;  /* RNG_COLDSTART */
    gsl_rng *place_rng; /* RNG_PLACEMENT */
    sim_time keep_alive_ns;   /* fixed keep-alive (the platform's default or keep_alive's
                                 duration); read by keepalive_fixed.c only */
    uint32_t concurrency;
    uint32_t cap;       /* per-function instance cap, 0 = none */
    int exp_mode;       /* EXP_NONE, EXP_LIST, EXP_RING, EXP_HEAP */
    int take;           /* TAKE_MRU, TAKE_LRU or TAKE_OPS */
    /* The features a request may meet, decided at creation, so that the per-request
     * path tests a flag, not a feature's state, and touches nothing of a feature
     * that is off. */
    uint8_t fixed_ka;      /* the fixed keep-alive (its expiry inline) */
    uint8_t slots_many;    /* concurrency > 1: partial and starting sets */
    uint8_t prov_on;       /* provisioned instances (a count or a schedule) */
    uint8_t waits;         /* on_throttle queue: per-function queues */
    uint8_t learns;        /* the keep-alive learns idle times (hybrid histogram) */
    uint8_t counts_uses;   /* the keep-alive counts uses per function (greedy-dual) */
    uint8_t retried_init;  /* an init timeout: cold starts may retry their init */
    uint8_t pool_on;       /* an account pool (account_concurrency) bounds the instances */
    uint8_t cold_owned;    /* some fn_cold member may own memory: free them at the end */
    uint8_t prefetch;      /* the pool outgrew the caches: fetch the next completion's
                              instance ahead (PREFETCH_INSTANCES) */
    uint8_t prefetch_fn;   /* many functions: fetch the records of a block's requests ahead
                              (PREFETCH_FUNCTIONS) */
    uint8_t plain;         /* none of the features a warm request's path tests is on
                              (serverless_plain): the run loop's block takes the path with
                              their tests compiled out (the helpers' `plain` argument) */
    uint8_t scales;        /* metrics-based autoscaling (autoscale.c) */
    uint8_t batching;      /* dynamic batching (serverless_batch.c) */
    uint8_t llm;           /* an LLM: the core's iteration-level scheduler serves (llm_engine.h) */
    struct fn_batch *bq;   /* batching: per function */
    sim_time scale_out_delay_ns; /* batching: the queue's scale-out delay */
    uint8_t hooks;         /* learns, counts_uses or scales: one test where none is on */
    struct fn_scale *scale;/* scales: per function */
    sim_time now_ns;       /* the time of the arrival or event being handled (advance) */
    double vcpus;          /* vCPUs of an instance (0: not known) */
    int capacity_policy;/* eviction under a memory capacity */
    int64_t capacity_bytes, used_bytes;
    double gd_clock;    /* greedy-dual clock */
    double cold_cost_s; /* mean cold start, the greedy-dual cost */

    struct instance *inst; /* pool, 64-byte aligned */
    uint32_t n_inst, cap_inst;
    uint32_t free_head;
    uint64_t births;

    struct fn_state *fn;   /* hot per-function state, 64-byte aligned */
    struct fn_cold *cold;  /* the rest */
    int64_t *fn_memory;    /* a function's own memory (from a trace, rounded up to a memory
                              setting; 0: the deployment's); NULL until a trace gives one */
    double *fn_speed;      /* a function's own speed (0: the model's), where its memory sets
                              its vCPUs; NULL unless memory_per_vcpu and a trace's memory */
    double memory_per_vcpu;/* bytes per vCPU where a cpu model's vCPUs follow memory, else 0 */
    uint32_t n_fn;
    struct expiry_ring exp_ring; /* EXP_RING: idle instances in the order they went idle */
    sim_time expiry_ns;      /* the list's tail's, the ring's front's or the heap's top's
                                expiry (SIM_TIME_FOREVER: none), so that an event with
                                nothing due costs one compare */
    uint32_t idle_live;      /* idle on-demand instances over all functions */
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

    sim_time timeout_ns;   /* a request's time in the Invoke phase is cut off here
                              (SIM_TIME_FOREVER: never); core.limit_ns is its execution's */
    /* The account pool (pool_on): instances starting or busy of the functions
     * without a reservation share pool_free, what the reservations leave; a function
     * with one (fn_reserved[fn] > 0) is capped at it instead. */
    uint32_t pool_free;     /* account_concurrency less the reservations */
    uint32_t pool_used;     /* unreserved instances starting or busy now */
    uint32_t *fn_reserved;  /* per function: its reservation, 0 = none; NULL: none has one */
    struct fn_ring pool_waiters; /* on_throttle: queue: functions whose queues wait for the
                                    pool, in the order they began to */
};

static inline void push_event(struct serverless *p, sim_time t, uint32_t kind, uint32_t idx)
{
    if (heap_push(p->env.heap, t, kind + p->env.kind_base, idx) != 0)
        p->core.oom = 1;
}

/* On a full pool, queued requests of fn wait for a unit another function frees
 * (throttle_queue.c); pool_wake starts them, functions in turn, while there is room. */
void pool_await(struct serverless *p, uint32_t fn);
void pool_wake(struct serverless *p, sim_time now);

/* An instance of fn began (+1) or ended (-1) starting or serving: the pool's count. */
static inline void pool_move(struct serverless *p, uint32_t fn, int d)
{
    if (p->pool_on && !(p->fn_reserved && p->fn_reserved[fn]))
        p->pool_used += (uint32_t)d;
}

/* 1 when fn may not have one more instance starting or busy: the unreserved part of
 * the pool is taken (a reserved function's cap is checked where instances start). */
static inline int pool_full(const struct serverless *p, uint32_t fn)
{
    return p->pool_on && !(p->fn_reserved && p->fn_reserved[fn]) && p->pool_used >= p->pool_free;
}

/* The cap on fn's instances: its reservation, else `reserved` (0: none). */
static inline uint32_t fn_cap(const struct serverless *p, uint32_t fn)
{
    return p->fn_reserved && p->fn_reserved[fn] ? p->fn_reserved[fn] : p->cap;
}

/* 1 when fn may not start one more instance: its cap (its reservation, else
 * `reserved`) is reached, or the pool's unreserved part is taken. */
static inline int instance_refused(const struct serverless *p, uint32_t fn)
{
    uint32_t cap = fn_cap(p, fn);
    return (cap && p->fn[fn].live >= cap) || pool_full(p, fn);
}

/* Memory of an instance of function fn. */
static inline int64_t memory_of(const struct serverless *p, uint32_t fn)
{
    return p->fn_memory && p->fn_memory[fn] ? p->fn_memory[fn] : p->spec->memory_bytes;
}

/* Bill what follows at the memory of function fn (a trace's per-function memory). */
static inline void bill_as(struct serverless *p, uint32_t fn)
{
    if (p->fn_memory)
        billing_meter_set_memory(&p->meter, memory_of(p, fn));
}

/* Provisioned instances of fn allocated and not retiring. */
static inline uint32_t prov_live(const struct serverless *p, uint32_t fn)
{
    return p->prov_on ? p->cold[fn].prov_live : 0;
}

/* Provisioned instance-time, for provisioned utilisation (provisioned.c). */
void prov_advance(struct serverless *p, sim_time t);

/* 1 when p is plain (struct serverless): no timeline, hooks, provisioned instances,
 * slot sets, account pool, request queue, evicting keep-alive, pick with a set of
 * its own, per-function memory, or execution other than at a fixed speed. A plain
 * deployment stays plain but where a trace gives a function its memory
 * (set_fn_memory). */
static inline int serverless_plain(const struct serverless *p)
{
    return !p->occ.tl && !p->hooks && !p->prov_on && !p->slots_many && !p->pool_on &&
           !p->waits && !p->capacity_policy && !p->pick_add && !p->pick_unlink &&
           !p->fn_memory && p->core.how < CORE_PERF_SHARED;
}

/* The clock moves to t. plain (here and in the helpers below): p is plain, a
 * constant where the caller is the plain path, so that the features' tests fold. */
ALWAYS_INLINE void advance_as(struct serverless *p, sim_time t, int plain)
{
    p->now_ns = t;
    occupancy_advance(&p->occ, t);
    if (!plain && p->prov_on && (p->prov_level || p->prov_now))
        prov_advance(p, t);
}

static inline void advance(struct serverless *p, sim_time t)
{
    advance_as(p, t, 0);
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

/* Instance i is idle in generation gen: an entry made then is not stale. */
static inline int idle_in_gen(const struct serverless *p, uint32_t i, uint32_t gen)
{
    const struct instance *in = &p->inst[i];
    return in->gen == gen && in->state == INST_READY && in->active == 0;
}

/* An entry of a heap still stands for an idle instance. */
static inline int ref_live(const struct serverless *p, struct idle_ref r)
{
    return idle_in_gen(p, r.inst, r.gen);
}

/* ---- serverless.c ---- */

/* Busy and instance billing: charge instance i's period up to t (see serverless.c). */
sim_time bill_period(struct serverless *p, uint32_t i, sim_time t);
/* Start a new instance of function fn at now: a cold start of `cold` ns; NONE when
 * out of memory. */
uint32_t instance_start(struct serverless *p, uint32_t fn, sim_time now, sim_time cold, int prov);

/* Drain a busy instance of fn with a free slot (the autoscaler's scale-in): it takes
 * no new request and retires when its last one ends. 1, or 0 when none is there. */
int instance_drain_one(struct serverless *p, uint32_t fn);

/* A new instance of fn started at now by the autoscaler, with no request: its index,
 * or NONE when out of memory. */
uint32_t instance_scale_out(struct serverless *p, uint32_t fn, sim_time now);

/* Instance i (idle, ready) takes a batch at now / its batch is done at now (it goes
 * idle). */
void instance_batch_begin(struct serverless *p, uint32_t i, sim_time now);
void instance_batch_end(struct serverless *p, uint32_t i, sim_time now);

/* ---- dynamic batching (serverless_batch.c) ---- */

/* p->batching and its per-function state from the spec: 0, or -1 with err. */
int serverless_batch_init(struct serverless *p, struct slsim_error *err);
void serverless_batch_free(struct serverless *p);
/* Request r of fn arrives at now: queued (or rejected at max_queue_size), batches
 * sent, instances started by the scale-out rule. */
void serverless_batch_arrival(struct serverless *p, uint32_t fn, const struct request *r,
                              sim_time now);
/* An instance of fn became free (ready, or its batch done) at now: send what can go. */
void serverless_batch_dispatch(struct serverless *p, uint32_t fn, sim_time now);
/* Its events: EV_BATCH_DONE, EV_BATCH_TIMER, EV_SCALE_OUT with index idx at now. */
void serverless_batch_event(struct serverless *p, uint32_t kind, uint32_t idx, sim_time now);

/* ---- metrics-based autoscaling (autoscale.c) ---- */

/* p->scales and its per-function state from the profile's targets: 0, or -1 with err. */
int autoscale_init(struct serverless *p, struct slsim_error *err);
void autoscale_free(struct serverless *p);
/* An instance of fn now runs n requests, one more (delta +1) or one fewer (-1) than
 * before, at p->now_ns. */
void autoscale_change(struct serverless *p, uint32_t fn, uint32_t n, int delta);
/* A request of fn arrives at now: decide, at most once a tick, and start instances up
 * to the recommendation. */
void autoscale_arrival(struct serverless *p, uint32_t fn, sim_time now);
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
sim_time keepalive_evicting_until(struct serverless *p, uint32_t fn, sim_time now);
extern const struct idle_pick_ops idle_pick_mru_ops, idle_pick_lru_ops, idle_pick_random_ops,
    idle_pick_newest_ops;
extern const struct throttle_ops throttle_reject_ops, throttle_queue_ops, throttle_retry_ops;

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
