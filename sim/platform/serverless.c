/* serverless.c - a function-as-a-service platform: instances made on demand.
 *
 * An instance belongs to one function and is initializing (a cold start), busy
 * (serving at least one request) or idle (warm, serving nothing). A request of
 * function f goes, in this order, to a busy instance of f with a free slot
 * (packing, as Cloud Run does when concurrency > 1), to an idle provisioned
 * instance of f, to an idle on-demand instance of f chosen by `idle_pick`, to an
 * instance of f still starting with a free slot (it waits for that cold start), or
 * to a new instance: a cold start. A new instance needs room under `reserved`
 * (per function, as Lambda's reserved concurrency), a token of the scaling-rate
 * bucket, and room in the shared memory capacity of the greedy-dual and lru
 * policies; lacking one, the request is throttled, queued (FIFO per function) or,
 * with `retry`, tried again later with exponential backoff.
 *
 * Keep-alive. With one fixed keep-alive, idle instances expire in the order they
 * became idle, so a ring in that order needs no events: before anything happens at
 * time t, every instance whose keep-alive ended at or before t is retired at its
 * own expiry time (an arrival at exactly the expiry instant finds it gone). The
 * hybrid-histogram policy gives each idle period its own window, so its expiries
 * sit in a min-heap instead; greedy-dual and lru keep instances until memory is
 * needed, evicting the idle instance of least priority. `mru` and `lru` picks take
 * from the ends of a function's ring in O(1); `random` and `newest` take from the
 * middle, leaving a stale entry behind (recognised by a generation number,
 * skipped, and swept when stale entries outnumber live ones).
 *
 * Provisioned instances (a count, or a weekly schedule) never expire; they are
 * billed while allocated, in the platform's blocks. Warming pings are short
 * invocations that keep instances alive, billed apart; `warm_before` tops up the
 * live on-demand instances ahead of known peaks.
 *
 * The latency of a request is known the moment it starts (wait + cold start +
 * service), so it is recorded then and nothing per request is kept while it runs:
 * memory is O(live instances + functions + waiting requests). Requests still
 * running at the end are drained (their latency counts) but instance-time is
 * measured only up to the end. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "slsim/capacity.h"
#include "slsim/keepalive.h"
#include "slsim/occupancy.h"
#include "slsim/platform.h"

enum {
    EV_READY = 1,     /* idx: instance */
    EV_COMPLETE = 2,  /* idx: instance */
    EV_PREWARM = 3,   /* idx: function */
    EV_PROVISION = 4, /* the provisioned schedule changes */
    EV_WARM = 5,      /* a round of warming pings */
    EV_WARM_AHEAD = 6,/* idx: warm_before entry */
    EV_TOKEN = 7,     /* idx: function: a scaling token is due for its queue */
    EV_RETRY = 8,     /* idx: retry slot */
};
enum { INST_FREE, INST_INIT, INST_READY };
enum { EXP_NONE, EXP_RING, EXP_HEAP };
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

struct idle_ref {
    sim_time key;  /* expiry time (rings, expiry heap) or priority (eviction heap) */
    uint32_t inst; /* instance index */
    uint32_t gen;  /* its generation when it went idle */
};

struct ring {
    struct idle_ref *e; /* power-of-two size */
    uint32_t head, len, mask;
};

/* A min-heap of idle_refs by key, with lazy deletion (stale generations). */
struct ref_heap {
    struct idle_ref *e;
    uint32_t len, cap;
};

struct waiting {
    sim_time arrival_ns; /* when the request arrived */
    sim_time service_ns; /* its warm service time */
};

struct wqueue {
    struct waiting *e; /* FIFO ring, power-of-two size (0 until first use) */
    uint32_t head, len, mask;
};

struct retry {
    sim_time arrival_ns;
    sim_time service_ns;
    uint32_t fn;
    uint32_t attempt;   /* retries so far */
    uint32_t next_free; /* free list */
};

struct fn_state {
    struct ring ring;          /* idle on-demand instances by time freed */
    uint32_t n_idle_live;      /* live entries in ring */
    uint32_t *idle_set;        /* random: dense set of idle instances */
    uint32_t idle_set_len, idle_set_cap;
    struct ref_heap newest;    /* newest: by -birth */
    uint32_t *partial;         /* busy instances with a free slot */
    uint32_t partial_len, partial_cap;
    uint32_t *starting;        /* initializing instances with a free slot */
    uint32_t starting_len, starting_cap;
    uint32_t *prov_idle;       /* idle provisioned instances (a stack) */
    uint32_t prov_idle_len, prov_idle_cap;
    uint32_t prov_live;        /* provisioned instances allocated (not retiring) */
    uint32_t live;             /* instances of the function (for reserved) */
    uint32_t running;          /* requests running or waiting for a cold start */
    struct wqueue queue;       /* requests waiting for a slot */
    struct token_bucket bucket;/* scaling-rate limit */
    int token_pending;         /* an EV_TOKEN is on the heap */
    struct ka_hist *hist;      /* hybrid histogram */
    sim_time last_end_ns;      /* end of the last invocation, -1 before the first */
    sim_time pending_dies_ns;  /* hybrid histogram: keep-alive end of the next pre-warm */
    double uses;               /* greedy-dual frequency */
    int64_t memory_bytes;      /* from the trace, rounded up to a memory setting; 0: the deployment's */
    uint64_t requests, served, cold_starts; /* measured */
};

struct serverless {
    const struct serverless_spec *spec; /* borrowed */
    const char *name;                   /* the deployment's, borrowed */
    const struct platform_profile *profile;
    struct platform_env env;
    struct coldstart_model coldstart;
    gsl_rng *cold_rng;  /* RNG_COLDSTART */
    gsl_rng *place_rng; /* RNG_PLACEMENT */
    sim_time keep_alive_ns;
    uint32_t concurrency;
    uint32_t cap;       /* per-function instance cap, 0 = none */
    int oom;            /* an allocation failed mid-run */
    int exp_mode;       /* EXP_NONE, EXP_RING, EXP_HEAP */
    int may_stale;      /* idle entries can go stale away from the ring ends */
    int fn_memory;      /* some function has its own memory (from a trace) */
    int capacity_policy;/* greedy-dual or lru eviction under a memory capacity */
    int64_t capacity_bytes, used_bytes;
    double gd_clock;    /* greedy-dual clock */
    double cold_cost_s; /* mean cold start, the greedy-dual cost */

    struct instance *inst; /* pool */
    uint32_t n_inst, cap_inst;
    uint32_t free_head;
    uint64_t births;

    struct fn_state *fn;
    uint32_t n_fn;
    struct ring global_ring; /* EXP_RING with several functions: all idle instances */
    uint32_t idle_live;      /* live idle entries over all functions */
    struct ring *exp_ring;   /* the ring expiries are read from */
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

/* ---- small containers ---------------------------------------------------------- */

static int grow_u32(uint32_t **a, uint32_t *cap)
{
    return vec_grow32((void **)a, cap, sizeof **a, 16);
}

static int ring_grow(struct ring *r)
{
    {
        uint32_t n = r->e ? 2 * (r->mask + 1) : 16;
        struct idle_ref *b = malloc(n * sizeof *b);
        if (!b)
            return -1;
        for (uint32_t i = 0; i < r->len; i++)
            b[i] = r->e[(r->head + i) & r->mask];
        free(r->e);
        r->e = b;
        r->head = 0;
        r->mask = n - 1;
    }
    return 0;
}

static inline int ring_push(struct ring *r, struct idle_ref e)
{
    if (r->len == (r->e ? r->mask + 1 : 0) && ring_grow(r) != 0)
        return -1;
    r->e[(r->head + r->len++) & r->mask] = e;
    return 0;
}

static inline struct idle_ref *ring_front(struct ring *r)
{
    return &r->e[r->head];
}

static inline struct idle_ref *ring_back(struct ring *r)
{
    return &r->e[(r->head + r->len - 1) & r->mask];
}

static inline void ring_pop_front(struct ring *r)
{
    r->head = (r->head + 1) & r->mask;
    r->len--;
}

static int heap_put(struct ref_heap *h, struct idle_ref e)
{
    if (h->len == h->cap) {
        uint32_t n = h->cap ? 2 * h->cap : 16;
        struct idle_ref *b = realloc(h->e, n * sizeof *b);
        if (!b)
            return -1;
        h->e = b;
        h->cap = n;
    }
    uint32_t k = h->len++;
    while (k > 0) {
        uint32_t parent = (k - 1) / 2;
        if (h->e[parent].key <= e.key)
            break;
        h->e[k] = h->e[parent];
        k = parent;
    }
    h->e[k] = e;
    return 0;
}

static struct idle_ref heap_take(struct ref_heap *h)
{
    struct idle_ref top = h->e[0], last = h->e[--h->len];
    uint32_t n = h->len, k = 0;
    for (;;) {
        uint32_t c = 2 * k + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h->e[c + 1].key < h->e[c].key)
            c++;
        if (h->e[c].key >= last.key)
            break;
        h->e[k] = h->e[c];
        k = c;
    }
    if (n)
        h->e[k] = last;
    return top;
}

static int wq_push(struct wqueue *q, struct waiting w)
{
    if (q->len == (q->e ? q->mask + 1 : 0)) {
        uint32_t n = q->e ? 2 * (q->mask + 1) : 16;
        struct waiting *b = malloc(n * sizeof *b);
        if (!b)
            return -1;
        for (uint32_t i = 0; i < q->len; i++)
            b[i] = q->e[(q->head + i) & q->mask];
        free(q->e);
        q->e = b;
        q->head = 0;
        q->mask = n - 1;
    }
    q->e[(q->head + q->len++) & q->mask] = w;
    return 0;
}

static inline struct waiting wq_pop(struct wqueue *q)
{
    struct waiting w = q->e[q->head];
    q->head = (q->head + 1) & q->mask;
    q->len--;
    return w;
}

static inline void push_event(struct serverless *p, sim_time t, uint32_t kind, uint32_t idx)
{
    if (heap_push(p->env.heap, t, kind + p->env.kind_base, idx) != 0)
        p->oom = 1;
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

/* ---- accounting ------------------------------------------------------------------ */

/* Provisioned instance-time, for provisioned utilisation. */
static inline void prov_advance(struct serverless *p, sim_time t)
{
    sim_time a = p->prov_acct_ns > p->env.warmup_ns ? p->prov_acct_ns : p->env.warmup_ns;
    sim_time b = t < p->env.end_ns ? t : p->env.end_ns;
    if (b > a) {
        p->prov_busy_ns += (sim_time_sum)p->prov_busy_now * (b - a);
        p->prov_ns += (sim_time_sum)p->prov_now * (b - a);
    }
    if (t > p->prov_acct_ns)
        p->prov_acct_ns = t;
}

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

/* Busy and instance billing: charge instance i's period from its bill_from_ns to
 * t, clipped to the measured period. A kept-warm instance is billed by its
 * allocation, except its busy periods on a platform with an idle rate (Cloud Run
 * request-based min instances pay the active rate while serving). */
static sim_time bill_period(struct serverless *p, uint32_t i, sim_time t)
{
    sim_time len;
    if (p->inst[i].prov && p->profile->provisioned_rule != PROVISIONED_IDLE_RATE)
        return 0;
    if (!measured_span(p, p->inst[i].bill_from_ns, t, &len))
        return 0;
    sim_time b = t < p->env.end_ns ? t : p->env.end_ns;
    sim_time a = b - len;
    bill_as(p, &p->fn[p->inst[i].fn]);
    sim_time billed = billing_charge_period(&p->meter, len);
    if (billed && p->occ.tl) {
        struct occupancy_row *row = occupancy_row(&p->occ, b > a ? b - 1 : a);
        if (row)
            row->cost_usd += billing_duration_usd(&p->meter, billed);
    }
    return billed;
}

/* ---- idle sets ------------------------------------------------------------------- */

static inline int ref_live(const struct serverless *p, struct idle_ref r)
{
    const struct instance *in = &p->inst[r.inst];
    return in->gen == r.gen && in->state == INST_READY && in->active == 0;
}

static void ring_trim(struct serverless *p, struct ring *r)
{
    while (r->len && !ref_live(p, *ring_front(r)))
        ring_pop_front(r);
    while (r->len && !ref_live(p, *ring_back(r)))
        r->len--;
}

/* Drop a ring's stale entries, keeping the order of the rest. */
static void ring_compact(struct serverless *p, struct ring *r)
{
    uint32_t w = 0;
    for (uint32_t i = 0; i < r->len; i++) {
        struct idle_ref e = r->e[(r->head + i) & r->mask];
        if (ref_live(p, e))
            r->e[(r->head + w++) & r->mask] = e;
    }
    r->len = w;
}

/* Rebuild a function's ring (and newest heap) without stale entries, in order. */
static void idle_compact(struct serverless *p, struct fn_state *f)
{
    struct ring *r = &f->ring;
    uint32_t w = 0;
    for (uint32_t i = 0; i < r->len; i++) {
        struct idle_ref e = r->e[(r->head + i) & r->mask];
        if (ref_live(p, e))
            r->e[(r->head + w++) & r->mask] = e;
    }
    r->len = w;
    if (p->spec->idle_pick == IDLE_PICK_NEWEST) {
        f->newest.len = 0;
        for (uint32_t i = 0; i < r->len; i++) {
            struct idle_ref e = r->e[(r->head + i) & r->mask];
            e.key = -(sim_time)p->inst[e.inst].birth;
            if (heap_put(&f->newest, e))
                p->oom = 1;
        }
    }
}

/* Greedy-dual priority of an instance of f going idle (FaaSCache): the clock plus
 * frequency x cost / size, so rarely used, cheap-to-start, large instances go
 * first; lru: the time it went idle. Scaled to an integer key. */
static sim_time evict_priority(const struct serverless *p, const struct fn_state *f,
                               sim_time now)
{
    if (p->spec->keep_alive.policy == KEEPALIVE_LRU)
        return now;
    double gib = (double)memory_of(p, f) / 1073741824.0;
    return (sim_time)(greedy_dual_priority(p->gd_clock, f->uses, p->cold_cost_s, gib) * 1e9);
}

/* Instance i (on-demand, READY, active 0) joins its function's idle set. dies_ns
 * is when its keep-alive ends (SIM_TIME_FOREVER: never). */
static inline void idle_add(struct serverless *p, uint32_t i, sim_time dies_ns)
{
    struct instance *in = &p->inst[i];
    struct fn_state *f = &p->fn[in->fn];
    struct idle_ref ref = {dies_ns, i, in->gen};
    if (p->may_stale)
        ring_trim(p, &f->ring); /* expiries elsewhere leave stale entries at the front */
    if (ring_push(&f->ring, ref)) {
        p->oom = 1;
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
                ring_compact(p, &p->global_ring);
            if (ring_push(&p->global_ring, ref))
                p->oom = 1;
        }
        break;
    case EXP_HEAP:
        if (dies_ns != SIM_TIME_FOREVER && heap_put(&p->exp_heap, ref))
            p->oom = 1;
        break;
    case EXP_NONE:
        break;
    }
    if (p->capacity_policy) {
        struct idle_ref e = {evict_priority(p, f, in->freed_ns), i, in->gen};
        if (heap_put(&p->evict, e))
            p->oom = 1;
    }
    switch (p->spec->idle_pick) {
    case IDLE_PICK_RANDOM:
        if (f->idle_set_len == f->idle_set_cap && grow_u32(&f->idle_set, &f->idle_set_cap)) {
            p->oom = 1;
            return;
        }
        in->pos = f->idle_set_len;
        f->idle_set[f->idle_set_len++] = i;
        break;
    case IDLE_PICK_NEWEST: {
        struct idle_ref e = {-(sim_time)in->birth, i, in->gen};
        if (heap_put(&f->newest, e))
            p->oom = 1;
        break;
    }
    case IDLE_PICK_MRU:
    case IDLE_PICK_LRU:
        break;
    }
}

/* Instance i leaves the idle set (taken, expired or evicted): its entries go stale. */
static void idle_unlink(struct serverless *p, uint32_t i)
{
    struct instance *in = &p->inst[i];
    struct fn_state *f = &p->fn[in->fn];
    in->gen++;
    f->n_idle_live--;
    p->idle_live--;
    if (p->spec->idle_pick == IDLE_PICK_RANDOM) {
        uint32_t pos = in->pos, last = f->idle_set[--f->idle_set_len];
        f->idle_set[pos] = last;
        p->inst[last].pos = pos;
    }
}

/* Take an idle on-demand instance of f by idle_pick. Precondition: n_idle_live > 0. */
static uint32_t idle_take(struct serverless *p, struct fn_state *f)
{
    uint32_t i;
    switch (p->spec->idle_pick) {
    case IDLE_PICK_MRU:
        if (p->may_stale)
            ring_trim(p, &f->ring);
        i = ring_back(&f->ring)->inst;
        f->ring.len--;
        break;
    case IDLE_PICK_LRU:
        if (p->may_stale)
            ring_trim(p, &f->ring);
        i = ring_front(&f->ring)->inst;
        ring_pop_front(&f->ring);
        break;
    case IDLE_PICK_RANDOM:
        i = f->idle_set[gsl_rng_uniform_int(p->place_rng, f->idle_set_len)];
        break;
    case IDLE_PICK_NEWEST:
    default:
        for (;;) {
            struct idle_ref r = heap_take(&f->newest);
            if (ref_live(p, r)) {
                i = r.inst;
                break;
            }
        }
        break;
    }
    idle_unlink(p, i);
    if (f->ring.len > 2 * f->n_idle_live + 64)
        idle_compact(p, f);
    return i;
}

static void instance_release(struct serverless *p, uint32_t i)
{
    struct instance *in = &p->inst[i];
    p->fn[in->fn].live--;
    p->used_bytes -= memory_of(p, &p->fn[in->fn]);
    in->state = INST_FREE;
    in->next_free = p->free_head;
    p->free_head = i;
}

/* Idle on-demand instance i leaves at t (keep-alive over, or evicted). */
static void idle_retire(struct serverless *p, uint32_t i, sim_time t)
{
    advance(p, t);
    idle_unlink(p, i);
    p->occ.n_idle--;
    if (p->meter.mode == BILLING_INSTANCE)
        bill_period(p, i, t);
    instance_release(p, i);
}

/* Retire every idle instance whose keep-alive ended at or before now, each at its
 * own expiry time, in expiry order. */
static void expire_due(struct serverless *p, sim_time now)
{
    if (p->exp_mode == EXP_RING) {
        struct ring *r = p->exp_ring;
        while (r->len) {
            /* In expiry order: if the head (live or stale) is not due, nothing is,
             * and no instance need be looked at. */
            struct idle_ref e = *ring_front(r);
            if (e.key > now)
                break;
            ring_pop_front(r);
            if (ref_live(p, e))
                idle_retire(p, e.inst, e.key);
        }
    } else if (p->exp_mode == EXP_HEAP) {
        while (p->exp_heap.len && p->exp_heap.e[0].key <= now) {
            struct idle_ref e = heap_take(&p->exp_heap);
            if (ref_live(p, e))
                idle_retire(p, e.inst, e.key);
        }
    }
}

/* The common case, nothing due, costs one comparison. */
static inline void expire_until(struct serverless *p, sim_time now)
{
    if (p->exp_mode == EXP_RING) {
        const struct ring *r = p->exp_ring;
        if (!r->len || ring_front((struct ring *)r)->key > now)
            return;
    } else if (p->exp_mode == EXP_NONE) {
        return;
    }
    expire_due(p, now);
}

/* Make room for one more instance under the memory capacity by evicting idle
 * instances of least priority. 1 when there is room. */
static int make_room(struct serverless *p, int64_t bytes, sim_time now)
{
    while (p->used_bytes + bytes > p->capacity_bytes) {
        struct idle_ref e;
        do {
            if (!p->evict.len)
                return 0;
            e = heap_take(&p->evict);
        } while (!ref_live(p, e));
        if (p->spec->keep_alive.policy == KEEPALIVE_GREEDY_DUAL)
            p->gd_clock = (double)e.key / 1e9;
        p->res.evictions += now >= p->env.warmup_ns;
        idle_retire(p, e.inst, now);
    }
    return 1;
}

/* ---- slot sets (concurrency > 1) ---------------------------------------------- */

static void set_add(struct serverless *p, uint32_t **set, uint32_t *len, uint32_t *cap,
                    uint32_t i)
{
    if (*len == *cap && grow_u32(set, cap)) {
        p->oom = 1;
        return;
    }
    p->inst[i].pos = *len;
    (*set)[(*len)++] = i;
}

static void set_remove(struct serverless *p, uint32_t *set, uint32_t *len, uint32_t i)
{
    uint32_t pos = p->inst[i].pos, last = set[--*len];
    set[pos] = last;
    p->inst[last].pos = pos;
}

static inline void partial_update(struct serverless *p, uint32_t i)
{
    if (p->concurrency == 1) /* an instance is idle or full: no partial set */
        return;
    struct instance *in = &p->inst[i];
    struct fn_state *f = &p->fn[in->fn];
    int want = in->state == INST_READY && in->active > 0 && in->active < p->concurrency;
    if (want && !in->in_partial) {
        set_add(p, &f->partial, &f->partial_len, &f->partial_cap, i);
        in->in_partial = 1;
    } else if (!want && in->in_partial) {
        set_remove(p, f->partial, &f->partial_len, i);
        in->in_partial = 0;
    }
}

static inline void starting_update(struct serverless *p, uint32_t i)
{
    if (p->concurrency == 1) /* a starting instance's one slot is taken by its request */
        return;
    struct instance *in = &p->inst[i];
    struct fn_state *f = &p->fn[in->fn];
    int want = in->state == INST_INIT && in->active < p->concurrency && !in->prov;
    if (want && !in->in_starting) {
        set_add(p, &f->starting, &f->starting_len, &f->starting_cap, i);
        in->in_starting = 1;
    } else if (!want && in->in_starting) {
        set_remove(p, f->starting, &f->starting_len, i);
        in->in_starting = 0;
    }
}

/* ---- instances ------------------------------------------------------------------ */

static uint32_t instance_new(struct serverless *p, uint32_t fn, sim_time now)
{
    uint32_t i;
    if (p->free_head != NONE) {
        i = p->free_head;
        p->free_head = p->inst[i].next_free;
    } else {
        if (p->n_inst == p->cap_inst &&
            vec_grow32((void **)&p->inst, &p->cap_inst, sizeof *p->inst, 64)) {
            p->oom = 1;
            return NONE;
        }
        i = p->n_inst++;
        p->inst[i].gen = 0;
    }
    struct instance *in = &p->inst[i];
    uint32_t gen = in->gen;
    memset(in, 0, sizeof *in);
    in->gen = gen;
    in->fn = fn;
    in->birth = p->births++;
    in->freed_ns = now;
    in->dies_ns = SIM_TIME_FOREVER;
    p->fn[fn].live++;
    p->used_bytes += memory_of(p, &p->fn[fn]);
    return i;
}

/* Start a new instance of function fn at now: a cold start of `cold` ns. */
static uint32_t instance_start(struct serverless *p, uint32_t fn, sim_time now, sim_time cold,
                               int prov)
{
    uint32_t i = instance_new(p, fn, now);
    if (i == NONE)
        return NONE;
    struct instance *in = &p->inst[i];
    in->state = INST_INIT;
    in->prov = (uint8_t)prov;
    in->ready_ns = sim_time_add(now, cold);
    in->bill_from_ns = p->meter.init_billed ? now : in->ready_ns;
    p->occ.n_init++;
    if (prov) {
        p->prov_now++;
        p->fn[fn].prov_live++;
    }
    occupancy_note_peak(&p->occ, now);
    push_event(p, in->ready_ns, EV_READY, i);
    struct occupancy_row *row = occupancy_row(&p->occ, now);
    if (row)
        row->cold_starts++;
    return i;
}

/* The keep-alive of an on-demand instance of f going idle at now: its expiry time,
 * or 0 when it must go at once (a hybrid-histogram pre-warm window follows). */
static inline sim_time keep_alive_until(struct serverless *p, struct fn_state *f, uint32_t fn,
                                        sim_time now)
{
    if (p->spec->keep_alive.policy != KEEPALIVE_HISTOGRAM)
        return p->exp_mode == EXP_NONE ? SIM_TIME_FOREVER : sim_time_add(now, p->keep_alive_ns);
    struct ka_decision d = ka_hist_decide(f->hist);
    if (d.prewarm_ns > 0) {
        /* Unload now; load again just before the next invocation is expected. */
        push_event(p, sim_time_add(now, d.prewarm_ns), EV_PREWARM, fn);
        f->pending_dies_ns = sim_time_add(sim_time_add(now, d.prewarm_ns), d.keep_alive_ns);
        return 0;
    }
    return sim_time_add(now, d.keep_alive_ns);
}

/* ---- requests ----------------------------------------------------------------- */

/* A request of instance i's function that arrived at arrival_ns starts executing at
 * start_ns for service_ns; cold_ns is the cold start its arrival caused (0 if
 * none); ping marks a warming ping (billed apart, not measured). */
static void request_start(struct serverless *p, uint32_t i, sim_time arrival_ns,
                          sim_time start_ns, sim_time service_ns, sim_time cold_ns, int ping)
{
    struct instance *in = &p->inst[i];
    struct fn_state *f = &p->fn[in->fn];
    f->running++;
    f->uses += 1.0;
    /* A slot is busy from the start of execution: requests on a starting instance
     * begin when it is ready (EV_READY counts them). */
    if (in->state == INST_READY)
        p->occ.n_running++;
    push_event(p, sim_time_add(start_ns, service_ns), EV_COMPLETE, i);
    if (arrival_ns < p->env.warmup_ns)
        return;
    /* An init cut off at the platform's init timeout is retried inside this
     * invocation. Lambda's rule (AWS docs "Lambda execution environment lifecycle";
     * AWS Compute Blog "AWS Lambda standardizes billing for INIT Phase", 2025-04):
     * the timed-out INIT is billed as INIT (under init_billed and init_max, 10 s),
     * and the retried init runs in the Invoke phase, so it is billed as invocation
     * duration with the execution, uncapped, and counts toward the function timeout. */
    sim_time retried_ns = coldstart_retried_ns(&p->coldstart, cold_ns);
    cold_ns -= retried_ns;
    if (ping) {
        billing_charge_request(&p->warm_meter, service_ns + retried_ns, cold_ns);
        p->res.warming_pings++;
        return;
    }
    sim_time latency = start_ns - arrival_ns + service_ns;
    struct deployment_result *r = &p->res;
    histogram_record(&r->latency, latency);
    r->served++;
    f->served++;
    if (latency <= p->env.slo->latency_ns)
        r->within_slo++;
    if (retried_ns && p->profile->timeout_ns && retried_ns + service_ns > p->profile->timeout_ns)
        r->init_timeouts++;
    sim_time billed;
    bill_as(p, f);
    if (in->prov && p->profile->provisioned_rule == PROVISIONED_ALLOCATION) {
        /* The fee is on-demand's, outside any free grant (Azure: always-ready has no
         * free grants); the duration is billed at the provisioned rate, per request
         * here or per busy period in busy mode. */
        billing_charge_fee_kept_warm(&p->meter);
        billed = p->meter.mode == BILLING_REQUEST
                     ? provisioned_charge_exec(&p->prov_meter, service_ns + retried_ns)
                     : 0;
    } else {
        billed = billing_charge_request(&p->meter, service_ns + retried_ns, cold_ns);
    }
    if (p->occ.tl) {
        struct occupancy_row *row =
            occupancy_row(&p->occ, start_ns < p->env.end_ns ? start_ns : arrival_ns);
        if (row)
            row->cost_usd += p->profile->request.usd + billing_duration_usd(&p->meter, billed);
    }
}

/* Instance i was idle or partly busy and takes one more request at now. */
static inline void take_slot(struct serverless *p, uint32_t i, sim_time now)
{
    struct instance *in = &p->inst[i];
    if (in->active++ == 0) {
        p->occ.n_idle--;
        p->occ.n_busy++;
        if (in->prov)
            p->prov_busy_now++;
        if (p->meter.mode == BILLING_BUSY)
            in->bill_from_ns = now;
    }
    partial_update(p, i);
}

/* Route a request of function fn: 1 when it started (or waits for a cold start
 * under way), 0 when no instance could take it (cap, scaling tokens, memory). */
static int try_start(struct serverless *p, uint32_t fn, sim_time arrival, sim_time service,
                     sim_time now, int ping)
{
    struct fn_state *f = &p->fn[fn];
    uint32_t i;
    if (f->partial_len) { /* a busy instance with a free slot */
        i = f->partial[f->partial_len - 1];
        take_slot(p, i, now);
        request_start(p, i, arrival, now, service, 0, ping);
        return 1;
    }
    if (f->prov_idle_len) { /* provisioned capacity first */
        i = f->prov_idle[--f->prov_idle_len];
        take_slot(p, i, now);
        request_start(p, i, arrival, now, service, 0, ping);
        return 1;
    }
    if (f->n_idle_live) {
        i = idle_take(p, f);
        take_slot(p, i, now);
        request_start(p, i, arrival, now, service, 0, ping);
        return 1;
    }
    if (f->starting_len) { /* wait for a cold start already under way */
        i = f->starting[f->starting_len - 1];
        p->inst[i].active++;
        starting_update(p, i);
        request_start(p, i, arrival, p->inst[i].ready_ns, service, 0, ping);
        return 1;
    }
    /* Kept-warm instances count toward the cap: Lambda's provisioned concurrency is
     * part of the function's reserved concurrency; Cloud Run's min instances are
     * within its max instances. */
    if (p->cap && f->live >= p->cap)
        return 0;
    if (p->spec->scale_limited && !bucket_take(&f->bucket, now))
        return 0;
    if (p->capacity_policy && !make_room(p, memory_of(p, f), now))
        return 0;
    sim_time cold = coldstart_sample_ns(&p->coldstart, p->cold_rng);
    i = instance_start(p, fn, now, cold, 0);
    if (i == NONE)
        return 1;
    if (arrival >= p->env.warmup_ns && !ping) {
        p->res.cold_starts++;
        p->res.coldstart_s += (double)cold / 1e9;
        if (coldstart_retried_ns(&p->coldstart, cold))
            p->res.init_retries++;
        f->cold_starts++;
    }
    p->inst[i].active = 1;
    starting_update(p, i);
    request_start(p, i, arrival, p->inst[i].ready_ns, service, cold, ping);
    return 1;
}

/* A request that found no room: reject, wait, or retry later. */
static void throttled(struct serverless *p, uint32_t fn, sim_time arrival, sim_time service,
                      sim_time now, uint32_t attempt)
{
    int measured = arrival >= p->env.warmup_ns;
    struct fn_state *f = &p->fn[fn];
    switch (p->spec->on_throttle) {
    case THROTTLE_REJECT:
        if (measured)
            p->res.throttled++;
        return;
    case THROTTLE_QUEUE:
        /* Drop what has waited too long before growing the queue: its memory is
         * bounded by the arrivals of one max_wait. */
        while (f->queue.len &&
               sim_time_add(f->queue.e[f->queue.head].arrival_ns, p->spec->max_wait_ns) <= now) {
            if (wq_pop(&f->queue).arrival_ns >= p->env.warmup_ns)
                p->res.dropped++;
        }
        if (wq_push(&f->queue, (struct waiting){arrival, service}) != 0) {
            p->oom = 1;
            return;
        }
        if (measured && attempt == 0)
            p->res.queued++;
        /* Waiting on the scaling rate: come back when a token is due. */
        if (p->spec->scale_limited && !f->token_pending && (!p->cap || f->live < p->cap)) {
            f->token_pending = 1;
            push_event(p, bucket_next_token(&f->bucket, now), EV_TOKEN, fn);
        }
        return;
    case THROTTLE_RETRY:
        break;
    }
    /* Asynchronous invocation: back off exponentially until the event is too old. */
    sim_time backoff = p->spec->retry_backoff_ns;
    for (uint32_t k = 0; k < attempt && backoff < p->spec->retry_max_backoff_ns; k++)
        backoff = backoff > SIM_TIME_FOREVER / 2 ? SIM_TIME_FOREVER : backoff * 2;
    if (backoff > p->spec->retry_max_backoff_ns)
        backoff = p->spec->retry_max_backoff_ns;
    sim_time at = sim_time_add(now, backoff);
    if (at - arrival > p->spec->retry_max_age_ns) {
        if (measured)
            p->res.dropped++;
        return;
    }
    uint32_t slot;
    if (p->retry_free != NONE) {
        slot = p->retry_free;
        p->retry_free = p->retries[slot].next_free;
    } else {
        if (p->n_retries == p->cap_retries &&
            vec_grow32((void **)&p->retries, &p->cap_retries, sizeof *p->retries, 64)) {
            p->oom = 1;
            return;
        }
        slot = p->n_retries++;
    }
    p->retries[slot] = (struct retry){arrival, service, fn, attempt + 1, NONE};
    if (measured)
        p->res.retries++;
    push_event(p, at, EV_RETRY, slot);
}

static void on_arrival(void *self, const struct request *rq)
{
    struct serverless *p = self;
    sim_time now = rq->arrival_ns;
    uint32_t fn = rq->function < p->n_fn ? rq->function : rq->function % p->n_fn;
    struct fn_state *f = &p->fn[fn];
    if (rq->memory_mb && !f->memory_bytes && !f->live) {
        /* The trace's memory for this function, rounded up to the platform's next
         * memory setting (a function needs at least what it used), and down to the
         * largest when it used more than any. */
        f->memory_bytes = catalog_memory_round_up(p->profile, (int64_t)rq->memory_mb << 20);
        p->fn_memory = 1;
    }
    expire_until(p, now);
    advance(p, now);
    int measured = now >= p->env.warmup_ns;
    if (measured) {
        p->res.requests++;
        f->requests++;
    }
    struct occupancy_row *row = occupancy_row(&p->occ, now);
    if (row)
        row->arrivals++;
    if (f->hist && f->running == 0 && f->last_end_ns >= 0)
        ka_hist_observe(f->hist, now - f->last_end_ns);
    if (p->prov_level && measured && !f->partial_len && !f->prov_idle_len)
        p->res.spillovers++; /* every provisioned instance of f is busy */
    if (!try_start(p, fn, now, rq->service_ns, now, 0))
        throttled(p, fn, now, rq->service_ns, now, 0);
}

/* A slot of instance i is free at now: the head of its function's queue takes it,
 * if any request there has not waited past max_wait. 1 when it did. */
static int serve_queue(struct serverless *p, uint32_t i, sim_time now)
{
    struct fn_state *f = &p->fn[p->inst[i].fn];
    while (f->queue.len) {
        struct waiting w = wq_pop(&f->queue);
        if (sim_time_add(w.arrival_ns, p->spec->max_wait_ns) <= now) {
            if (w.arrival_ns >= p->env.warmup_ns)
                p->res.dropped++;
            continue;
        }
        request_start(p, i, w.arrival_ns, now, w.service_ns, 0, 0);
        return 1;
    }
    return 0;
}

/* Start queued requests of fn on new instances while scaling tokens allow. */
static void drain_queue_with_tokens(struct serverless *p, uint32_t fn, sim_time now)
{
    struct fn_state *f = &p->fn[fn];
    while (f->queue.len) {
        struct waiting w = f->queue.e[f->queue.head];
        if (sim_time_add(w.arrival_ns, p->spec->max_wait_ns) <= now) {
            wq_pop(&f->queue);
            if (w.arrival_ns >= p->env.warmup_ns)
                p->res.dropped++;
            continue;
        }
        if (!try_start(p, fn, w.arrival_ns, w.service_ns, now, 0))
            break;
        wq_pop(&f->queue);
    }
    if (f->queue.len && !f->token_pending && (!p->cap || f->live < p->cap)) {
        f->token_pending = 1;
        push_event(p, bucket_next_token(&f->bucket, now), EV_TOKEN, fn);
    }
}

/* ---- provisioned capacity, warming ------------------------------------------------ */

static void prov_bill_segment(struct serverless *p, sim_time now)
{
    sim_time a = p->prov_since_ns > p->env.warmup_ns ? p->prov_since_ns : p->env.warmup_ns;
    sim_time b = now < p->env.end_ns ? now : p->env.end_ns;
    if (b > a && p->prov_level)
        provisioned_charge_allocation(&p->prov_meter, (uint64_t)p->prov_level * p->n_fn, b - a);
    p->prov_since_ns = now;
}

static void prov_retire(struct serverless *p, uint32_t i)
{
    struct instance *in = &p->inst[i];
    assert(in->state == INST_READY && in->active == 0);
    p->fn[in->fn].prov_live--;
    p->prov_now--;
    p->occ.n_idle--;
    instance_release(p, i);
}

/* Busy mode: kept-warm instance i's busy period ends at t. Under the allocation
 * rule (Azure Flex always-ready) it is billed at the provisioned execution rate,
 * with the platform's minimum and rounding; under the idle-rate rule (Cloud Run
 * min instances) at the on-demand active rate. */
static void prov_bill_busy(struct serverless *p, uint32_t i, sim_time t)
{
    sim_time len;
    switch (p->profile->provisioned_rule) {
    case PROVISIONED_IDLE_RATE:
        provisioned_note_busy(&p->prov_meter, bill_period(p, i, t));
        return;
    case PROVISIONED_ALLOCATION:
        if (measured_span(p, p->inst[i].bill_from_ns, t, &len))
            provisioned_charge_exec(&p->prov_meter, len);
        return;
    default:
        return;
    }
}

/* Bring every function's provisioned instances to the schedule's count at now. */
static void provision(struct serverless *p, sim_time now)
{
    uint32_t want = sched_count_at(&p->spec->provisioned, now);
    advance(p, now);
    if (want != p->prov_level) {
        prov_bill_segment(p, now);
        p->prov_level = want;
    }
    for (uint32_t fn = 0; fn < p->n_fn; fn++) {
        struct fn_state *f = &p->fn[fn];
        while (f->prov_live < want) {
            /* New allocations take the platform's stated time to become warm; the
             * first allocation was made before the run. */
            sim_time ready = now == 0 ? 0 : p->profile->provisioned_ready_ns;
            uint32_t i = instance_start(p, fn, now, ready, 1);
            if (i == NONE)
                return;
        }
        while (f->prov_live > want && f->prov_idle_len)
            prov_retire(p, f->prov_idle[--f->prov_idle_len]);
        if (f->prov_live > want) /* the rest leave when their requests end */
            for (uint32_t i = 0; i < p->n_inst && f->prov_live > want; i++)
                if (p->inst[i].fn == fn && p->inst[i].prov && !p->inst[i].retiring &&
                    p->inst[i].state != INST_FREE) {
                    p->inst[i].retiring = 1;
                    f->prov_live--;
                }
    }
    sim_time next = sched_next_change(&p->spec->provisioned, now);
    if (next < p->env.end_ns)
        push_event(p, next, EV_PROVISION, 0);
}

/* Warming pings: `instances` concurrent short invocations of every function. */
static void warm_round(struct serverless *p, sim_time now, uint32_t count)
{
    for (uint32_t fn = 0; fn < p->n_fn; fn++)
        for (uint32_t k = 0; k < count; k++)
            if (!try_start(p, fn, now, p->spec->warming.ping_ns, now, 1))
                break;
}

/* warm_before: top up each function to `count` live on-demand instances (provisioned
 * ones not counted) ahead of a known peak (the new ones are then kept alive as
 * any idle instance). */
static void warm_ahead(struct serverless *p, sim_time now, uint32_t count)
{
    for (uint32_t fn = 0; fn < p->n_fn; fn++) {
        struct fn_state *f = &p->fn[fn];
        uint32_t have = f->live - f->prov_live;
        for (uint32_t k = have; k < count; k++) {
            if (p->cap && f->live >= p->cap)
                break;
            if (p->capacity_policy && !make_room(p, memory_of(p, f), now))
                break;
            instance_start(p, fn, now, coldstart_sample_ns(&p->coldstart, p->cold_rng), 0);
            if (now >= p->env.warmup_ns)
                p->res.prewarms++;
        }
    }
}

/* ---- events ----------------------------------------------------------------------- */

/* Instance i has no request left at now; served: it has just served one (else it
 * has just become ready without one). */
static inline void instance_idle(struct serverless *p, uint32_t i, sim_time now, int served)
{
    struct instance *in = &p->inst[i];
    struct fn_state *f = &p->fn[in->fn];
    in->freed_ns = now;
    if (in->prov) {
        if (served && p->meter.mode == BILLING_BUSY)
            prov_bill_busy(p, i, now);
        if (in->retiring) {
            in->prov = 0; /* already taken off prov_live */
            p->prov_now--;
            p->occ.n_idle--;
            instance_release(p, i);
            return;
        }
        if (f->prov_idle_len == f->prov_idle_cap && grow_u32(&f->prov_idle, &f->prov_idle_cap)) {
            p->oom = 1;
            return;
        }
        f->prov_idle[f->prov_idle_len++] = i;
        return;
    }
    /* A busy period ends; an instance that started without a request bills its
     * start where starts are billed. */
    if (p->meter.mode == BILLING_BUSY && (served || p->meter.init_billed))
        bill_period(p, i, now);
    sim_time dies = in->dies_ns != SIM_TIME_FOREVER && in->dies_ns > now
                        ? in->dies_ns
                        : keep_alive_until(p, f, in->fn, now);
    in->dies_ns = SIM_TIME_FOREVER;
    if (dies <= now) { /* no keep-alive at all, or a pre-warm window follows */
        p->occ.n_idle--;
        if (p->meter.mode == BILLING_INSTANCE)
            bill_period(p, i, now);
        instance_release(p, i);
        return;
    }
    idle_add(p, i, dies);
}

static void on_event(void *self, const struct event *e)
{
    struct serverless *p = self;
    sim_time now = e->t_ns;
    uint32_t kind = e->kind - p->env.kind_base;
    expire_until(p, now);
    advance(p, now);
    switch (kind) {
    case EV_READY: {
        uint32_t i = e->idx;
        struct instance *in = &p->inst[i];
        assert(in->state == INST_INIT);
        in->state = INST_READY;
        p->occ.n_init--;
        starting_update(p, i);
        p->occ.n_running += in->active;
        if (in->active) {
            p->occ.n_busy++;
            if (in->prov)
                p->prov_busy_now++;
            partial_update(p, i);
        } else {
            p->occ.n_idle++;
            instance_idle(p, i, now, 0);
        }
        return;
    }
    case EV_COMPLETE: {
        uint32_t i = e->idx;
        struct instance *in = &p->inst[i];
        struct fn_state *f = &p->fn[in->fn];
        assert(in->state == INST_READY && in->active > 0);
        assert(p->occ.n_running > 0);
        p->occ.n_running--;
        f->running--;
        if (f->running == 0)
            f->last_end_ns = now;
        if (f->queue.len && !in->retiring && serve_queue(p, i, now))
            return;
        if (--in->active == 0) {
            p->occ.n_busy--;
            p->occ.n_idle++;
            if (in->prov)
                p->prov_busy_now--;
            partial_update(p, i);
            instance_idle(p, i, now, 1);
        } else {
            partial_update(p, i);
        }
        return;
    }
    case EV_PREWARM: {
        struct fn_state *f = &p->fn[e->idx];
        if (f->live - f->prov_live > 0 || now >= p->env.end_ns)
            return; /* an invocation came first */
        if (p->capacity_policy && !make_room(p, memory_of(p, f), now))
            return;
        uint32_t i = instance_start(p, e->idx, now,
                                    coldstart_sample_ns(&p->coldstart, p->cold_rng), 0);
        if (i != NONE)
            p->inst[i].dies_ns = f->pending_dies_ns;
        if (now >= p->env.warmup_ns)
            p->res.prewarms++;
        return;
    }
    case EV_PROVISION:
        provision(p, now);
        return;
    case EV_WARM:
        if (now >= p->env.end_ns)
            return;
        warm_round(p, now, p->spec->warming.instances);
        push_event(p, sim_time_add(now, p->spec->warming.every_ns), EV_WARM, 0);
        return;
    case EV_WARM_AHEAD: {
        const struct warm_ahead_spec *w = &p->spec->warm_before[e->idx];
        if (now >= p->env.end_ns)
            return;
        warm_ahead(p, now, w->instances);
        push_event(p, sched_next_daily(now, w->at_ns), EV_WARM_AHEAD, e->idx);
        return;
    }
    case EV_TOKEN:
        p->fn[e->idx].token_pending = 0;
        drain_queue_with_tokens(p, e->idx, now);
        return;
    case EV_RETRY: {
        struct retry r = p->retries[e->idx];
        p->retries[e->idx].next_free = p->retry_free;
        p->retry_free = e->idx;
        if (!try_start(p, r.fn, r.arrival_ns, r.service_ns, now, 0))
            throttled(p, r.fn, r.arrival_ns, r.service_ns, now, r.attempt);
        return;
    }
    }
}

/* ---- the end --------------------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Per-function cold-start ratios: their mean and 75th percentile over the
 * functions that served anything (what Serverless in the Wild plots). */
static int function_stats(struct serverless *p, struct deployment_result *r)
{
    double *ratio = malloc((p->n_fn ? p->n_fn : 1) * sizeof *ratio);
    if (!ratio)
        return -1;
    size_t n = 0;
    double sum = 0;
    for (uint32_t fn = 0; fn < p->n_fn; fn++)
        if (p->fn[fn].served) {
            ratio[n] = (double)p->fn[fn].cold_starts / (double)p->fn[fn].served;
            sum += ratio[n++];
        }
    r->functions = p->n_fn;
    r->functions_served = n;
    r->fn_served = calloc(p->n_fn, sizeof *r->fn_served);
    r->fn_cold_starts = calloc(p->n_fn, sizeof *r->fn_cold_starts);
    if (!r->fn_served || !r->fn_cold_starts) {
        free(ratio);
        return -1;
    }
    for (uint32_t fn = 0; fn < p->n_fn; fn++) {
        r->fn_served[fn] = p->fn[fn].served;
        r->fn_cold_starts[fn] = p->fn[fn].cold_starts;
    }
    if (n) {
        qsort(ratio, n, sizeof *ratio, cmp_double);
        r->fn_cold_start_ratio_mean = sum / (double)n;
        /* nearest rank, as the latency quantiles */
        size_t rank = (size_t)ceil(0.75 * (double)n);
        r->fn_cold_start_ratio_p75 = ratio[rank ? rank - 1 : 0];
    }
    free(ratio);
    return 0;
}

static int on_finish(void *self, struct deployment_result *out, struct slsim_error *err)
{
    struct serverless *p = self;
    if (p->oom)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "out of memory while simulating deployment \"%s\"",
                               p->name);
    /* A request still waiting now waits for a function that has no instance and
     * cannot get one (memory taken by others): it is dropped. */
    for (uint32_t fn = 0; fn < p->n_fn; fn++)
        while (p->fn[fn].queue.len)
            if (wq_pop(&p->fn[fn].queue).arrival_ns >= p->env.warmup_ns)
                p->res.dropped++;
    expire_until(p, p->env.end_ns);
    advance(p, p->env.end_ns);
    prov_bill_segment(p, p->env.end_ns);
    /* Periods still open at the end are billed up to the end. */
    for (uint32_t i = 0; i < p->n_inst; i++) {
        const struct instance *in = &p->inst[i];
        if (in->state == INST_FREE)
            continue;
        if (in->prov) {
            if (p->meter.mode == BILLING_BUSY && in->active > 0 && in->state == INST_READY)
                prov_bill_busy(p, i, p->env.end_ns);
            continue;
        }
        if (p->meter.mode == BILLING_INSTANCE ||
            (p->meter.mode == BILLING_BUSY && (in->active > 0 || in->state == INST_INIT)))
            bill_period(p, i, p->env.end_ns);
    }
    struct deployment_result *r = &p->res;
    r->slots = p->concurrency;
    if (occupancy_finish(&p->occ, r, err) != 0)
        return -1;
    r->provisioned_instance_s = sim_time_sum_s(p->prov_ns);
    r->provisioned_busy_s = sim_time_sum_s(p->prov_busy_ns);
    billing_meter_cost(&p->meter, r->measured_s, &r->cost);
    struct cost_breakdown warm;
    billing_meter_cost(&p->warm_meter, r->measured_s, &warm);
    r->cost.warming_usd = warm.requests_usd + warm.compute_usd;
    r->cost.provisioned_usd = provisioned_usd(&p->prov_meter);
    /* Billed durations: executions, busy periods or instance life, as the platform
     * bills them; a kept-warm instance's life where it is billed as an instance. */
    sim_time_sum billed_ns = p->meter.billed_ns + p->prov_meter.exec_ns;
    if (p->profile->provisioned_rule == PROVISIONED_INSTANCE)
        billed_ns += p->prov_meter.allocated_ns;
    r->billed_ms = (double)billed_ns / 1e6;
    if (function_stats(p, r) != 0)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    *out = *r;
    r->timeline = NULL;
    r->fn_served = r->fn_cold_starts = NULL;
    return 0;
}

static void on_destroy(void *self)
{
    struct serverless *p = self;
    if (!p)
        return;
    coldstart_model_free(&p->coldstart);
    if (p->cold_rng)
        gsl_rng_free(p->cold_rng);
    if (p->place_rng)
        gsl_rng_free(p->place_rng);
    for (uint32_t fn = 0; p->fn && fn < p->n_fn; fn++) {
        struct fn_state *f = &p->fn[fn];
        free(f->ring.e);
        free(f->idle_set);
        free(f->newest.e);
        free(f->partial);
        free(f->starting);
        free(f->prov_idle);
        free(f->queue.e);
        ka_hist_destroy(f->hist);
    }
    free(p->fn);
    free(p->inst);
    free(p->global_ring.e);
    free(p->exp_heap.e);
    free(p->evict.e);
    free(p->retries);
    occupancy_free(&p->occ);
    free(p);
}

void *serverless_create(const char *name, const struct serverless_spec *d,
                        const struct platform_env *env, struct slsim_error *err)
{
    const struct platform_profile *prof = catalog_find_platform(env->catalog, d->platform);
    if (platform_check_deployment(name, d, prof, env->catalog, env->file, err) != 0)
        return NULL;
    double off = 0.0;
    if (d->discount[0]) {
        const struct discount *disc = catalog_find_discount(env->catalog, d->discount);
        if (!disc) {
            slsim_error_set(err, env->file, 0, 0, NULL, "unknown discount \"%s\"", d->discount);
            return NULL;
        }
        off = disc->off;
    }
    struct serverless *p = calloc(1, sizeof *p);
    if (!p) {
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    p->spec = d;
    p->name = name;
    p->profile = prof;
    p->env = *env;
    p->keep_alive_ns = d->keep_alive.policy == KEEPALIVE_PLATFORM ? prof->default_keep_alive_ns
                                                                  : d->keep_alive.duration_ns;
    p->concurrency = d->concurrency;
    p->cap = d->reserved;
    p->free_head = NONE;
    p->retry_free = NONE;
    p->n_fn = env->functions;
    switch (d->keep_alive.policy) {
    case KEEPALIVE_PLATFORM:
    case KEEPALIVE_FIXED:
        p->exp_mode = p->keep_alive_ns == SIM_TIME_FOREVER ? EXP_NONE : EXP_RING;
        break;
    case KEEPALIVE_HISTOGRAM:
        p->exp_mode = EXP_HEAP;
        break;
    case KEEPALIVE_GREEDY_DUAL:
    case KEEPALIVE_LRU:
        p->exp_mode = EXP_NONE;
        p->capacity_policy = 1;
        p->capacity_bytes = d->keep_alive.capacity_bytes;
        break;
    }
    p->may_stale = p->n_fn > 1 || p->exp_mode == EXP_HEAP || p->capacity_policy ||
                   d->idle_pick == IDLE_PICK_RANDOM || d->idle_pick == IDLE_PICK_NEWEST;
    result_init(&p->res);
    snprintf(p->res.name, sizeof p->res.name, "%s", name);
    snprintf(p->res.platform, sizeof p->res.platform, "%s", prof->name);
    p->res.type = "serverless";
    p->res.memory_bytes = d->memory_bytes;
    /* AWS: "the free tier does not apply to functions that have provisioned
     * concurrency enabled" (Lambda pricing page); the catalog says so per platform. */
    int has_provisioned = sched_max_count(&d->provisioned) > 0;
    int free_tier = d->free_tier && (!has_provisioned || prof->free_with_provisioned);
    billing_meter_init(&p->meter, prof, d->memory_bytes, d->init_billed, off, free_tier);
    billing_meter_init(&p->warm_meter, prof, d->memory_bytes, d->init_billed, off, 0);
    provisioned_meter_init(&p->prov_meter, prof, d->memory_bytes, off);
    if (coldstart_model_init(&p->coldstart, d, prof, env->model->size_bytes, err) != 0) {
        on_destroy(p);
        return NULL;
    }
    p->cold_cost_s = p->coldstart.enabled ? (double)p->coldstart.fixed_ns / 1e9 +
                                                dist_mean_s(&p->coldstart.init)
                                          : 0.0;
    /* A mean init past the timeout costs the timed-out attempt as well. */
    if (p->coldstart.init_timeout_ns && p->cold_cost_s * 1e9 > p->coldstart.init_timeout_ns)
        p->cold_cost_s += (double)p->coldstart.init_timeout_ns / 1e9;
    snprintf(p->res.coldstart_profile, sizeof p->res.coldstart_profile, "%s",
             p->coldstart.profile);
    snprintf(p->res.coldstart_artifact, sizeof p->res.coldstart_artifact, "%s",
             p->coldstart.artifact);
    snprintf(p->res.coldstart_assumed, sizeof p->res.coldstart_assumed, "%s",
             p->coldstart.assumed);
    p->cold_rng = rng_stream_create(env->seed, env->replication, RNG_COLDSTART);
    p->place_rng = rng_stream_create(env->seed, env->replication, RNG_PLACEMENT);
    p->fn = calloc(p->n_fn, sizeof *p->fn);
    if (!p->cold_rng || !p->place_rng || !p->fn) {
        on_destroy(p);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    p->exp_ring = p->n_fn == 1 ? &p->fn[0].ring : &p->global_ring;
    for (uint32_t fn = 0; fn < p->n_fn; fn++) {
        struct fn_state *f = &p->fn[fn];
        f->last_end_ns = -1;
        if (d->scale_limited)
            bucket_init(&f->bucket, &d->scale_rate, 0);
        if (d->keep_alive.policy == KEEPALIVE_HISTOGRAM &&
            !(f->hist = ka_hist_create(&d->keep_alive.hist))) {
            on_destroy(p);
            slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
            return NULL;
        }
    }
    if (occupancy_init(&p->occ, env->warmup_ns, env->end_ns, env->timeline_step_ns, err) != 0) {
        on_destroy(p);
        return NULL;
    }
    if (d->provisioned.default_count || d->provisioned.n_rules)
        provision(p, 0);
    if (d->warming.every_ns > 0)
        push_event(p, 0, EV_WARM, 0);
    for (size_t k = 0; k < d->n_warm_before; k++)
        push_event(p, d->warm_before[k].at_ns == 0 ? 0 : sched_next_daily(0, d->warm_before[k].at_ns),
                   EV_WARM_AHEAD, (uint32_t)k);
    if (p->oom) {
        on_destroy(p);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    return p;
}

const struct platform_ops serverless_ops = {
    .type = "serverless",
    .arrival = on_arrival,
    .event = on_event,
    .finish = on_finish,
    .destroy = on_destroy,
};
