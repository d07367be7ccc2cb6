/* serverless.c - a function-as-a-service platform: instances made on demand.
 *
 * An instance is initializing (a cold start), busy (serving at least one request)
 * or idle (warm, serving nothing). A request goes, in this order, to a busy
 * instance with a free slot (packing, as Cloud Run does when concurrency > 1), to
 * an idle instance chosen by `idle_pick`, to an initializing instance with a free
 * slot (it waits for that cold start to end), or to a new instance (a cold start).
 * Above `reserved` instances it is throttled, or waits in a FIFO queue for a slot.
 *
 * Idle instances sit in a ring ordered by the time they became idle. With one
 * keep-alive for all instances that is also their order of expiry, so expiry needs
 * no events: before anything happens at time t, every instance whose keep-alive
 * ended at or before t is retired at its own expiry time. An arrival at exactly the
 * expiry instant thus finds the instance gone. `mru` and `lru` take from the ends
 * of the ring in O(1); `random` and `newest` take from the middle, leaving a stale
 * entry behind (recognised by a generation number and skipped, and swept out when
 * stale entries outnumber live ones).
 *
 * The latency of a request is known the moment it starts (wait + cold start +
 * service), so it is recorded then and nothing per request is kept while it runs:
 * memory is O(live instances + queued requests). Requests still running at the end
 * are drained (their latency counts) but instance-time is measured only up to the
 * end. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "slsim/occupancy.h"
#include "slsim/platform.h"

enum { EV_READY = 1, EV_COMPLETE = 2 };
enum { INST_FREE, INST_INIT, INST_READY };
#define NONE UINT32_MAX

struct instance {
    sim_time freed_ns;  /* when it last became idle */
    sim_time bill_from_ns; /* busy and instance billing: start of the period being billed */
    sim_time ready_ns;  /* end of its cold start */
    uint64_t birth;     /* creation order, for idle_pick: newest */
    uint32_t active;    /* requests running on it or waiting for its cold start */
    uint32_t gen;       /* bumped whenever it leaves the idle set: marks stale ring entries */
    uint32_t pos;       /* index in the partial or starting set, or in idle_set (random) */
    uint32_t next_free; /* free-list link while INST_FREE */
    uint8_t state;      /* INST_FREE, INST_INIT or INST_READY */
    uint8_t in_partial; /* 1 while in the partial set (busy with a free slot) */
    uint8_t in_starting;/* 1 while in the starting set (initializing with a free slot) */
};

struct idle_ref {
    sim_time dies_ns; /* when its keep-alive ends, if it is still idle then */
    uint32_t inst;    /* instance index */
    uint32_t gen;     /* its generation when it went idle */
};

struct newest_ref {
    uint64_t birth; /* instance creation order */
    uint32_t inst;
    uint32_t gen;
};

struct waiting {
    sim_time arrival_ns; /* when the request arrived */
    sim_time service_ns; /* its warm service time */
};


struct serverless {
    const struct deployment_spec *spec; /* borrowed */
    const struct platform_profile *profile;
    struct platform_env env;
    struct coldstart_model coldstart;
    gsl_rng *cold_rng;  /* RNG_COLDSTART */
    gsl_rng *place_rng; /* RNG_PLACEMENT */
    sim_time keep_alive_ns;
    uint32_t concurrency;
    uint32_t cap; /* 0 = no cap */
    int oom;      /* an allocation failed mid-run */

    struct instance *inst; /* pool */
    uint32_t n_inst, cap_inst;
    uint32_t free_head; /* free list of pool slots */
    uint64_t births;

    struct idle_ref *ring; /* idle instances by time freed; power-of-two size */
    uint32_t ring_head, ring_len, ring_mask;
    uint32_t n_idle_live; /* live entries in the ring */

    uint32_t *idle_set; /* random: dense set of idle instances */
    uint32_t idle_set_len, idle_set_cap;

    struct newest_ref *newest; /* newest: max-heap by birth (lazy deletion) */
    uint32_t newest_len, newest_cap;

    uint32_t *partial; /* busy instances with a free slot */
    uint32_t partial_len, partial_cap;
    uint32_t *starting; /* initializing instances with a free slot */
    uint32_t starting_len, starting_cap;

    struct waiting *queue; /* throttle queue ring; power-of-two size */
    uint32_t q_head, q_len, q_mask;

    struct occupancy occ;           /* instance counts, time-weighted, and the timeline */
    struct billing_meter meter;      /* measured requests' charges */
    double running_ns;               /* measured requests' execution time */

    struct deployment_result res;
};

/* ---- growth helpers (rare) --------------------------------------------------- */

static int grow_u32(uint32_t **a, uint32_t *cap)
{
    uint32_t n = *cap ? 2 * *cap : 16;
    uint32_t *b = realloc(*a, n * sizeof *b);
    if (!b)
        return -1;
    *a = b;
    *cap = n;
    return 0;
}

static int ring_grow(struct serverless *p)
{
    uint32_t old = p->ring_mask + 1, n = 2 * old;
    struct idle_ref *r = malloc(n * sizeof *r);
    if (!r)
        return -1;
    for (uint32_t i = 0; i < p->ring_len; i++)
        r[i] = p->ring[(p->ring_head + i) & p->ring_mask];
    free(p->ring);
    p->ring = r;
    p->ring_head = 0;
    p->ring_mask = n - 1;
    return 0;
}

static int queue_grow(struct serverless *p)
{
    uint32_t old = p->q_mask + 1, n = 2 * old;
    struct waiting *q = malloc(n * sizeof *q);
    if (!q)
        return -1;
    for (uint32_t i = 0; i < p->q_len; i++)
        q[i] = p->queue[(p->q_head + i) & p->q_mask];
    free(p->queue);
    p->queue = q;
    p->q_head = 0;
    p->q_mask = n - 1;
    return 0;
}

/* Busy and instance billing: charge instance i's period from its bill_from_ns to
 * t, clipped to the measured period. */
static void bill_period(struct serverless *p, uint32_t i, sim_time t)
{
    sim_time a = p->inst[i].bill_from_ns > p->env.warmup_ns ? p->inst[i].bill_from_ns
                                                            : p->env.warmup_ns;
    sim_time b = t < p->env.end_ns ? t : p->env.end_ns;
    sim_time billed = billing_charge_period(&p->meter, b - a);
    if (billed && p->occ.tl) {
        struct occupancy_row *row = occupancy_row(&p->occ, b > a ? b - 1 : a);
        if (row)
            row->cost_usd += billing_duration_usd(&p->meter, billed);
    }
}

/* ---- the idle set ------------------------------------------------------------- */

static inline int ref_live(const struct serverless *p, struct idle_ref r)
{
    const struct instance *in = &p->inst[r.inst];
    return in->gen == r.gen && in->state == INST_READY && in->active == 0;
}

static void newest_push(struct serverless *p, uint32_t i)
{
    if (p->newest_len == p->newest_cap) {
        uint32_t n = p->newest_cap ? 2 * p->newest_cap : 16;
        struct newest_ref *b = realloc(p->newest, n * sizeof *b);
        if (!b) {
            p->oom = 1;
            return;
        }
        p->newest = b;
        p->newest_cap = n;
    }
    struct newest_ref e = {p->inst[i].birth, i, p->inst[i].gen};
    uint32_t k = p->newest_len++;
    while (k > 0) {
        uint32_t parent = (k - 1) / 2;
        if (p->newest[parent].birth >= e.birth)
            break;
        p->newest[k] = p->newest[parent];
        k = parent;
    }
    p->newest[k] = e;
}

static struct newest_ref newest_pop(struct serverless *p)
{
    struct newest_ref top = p->newest[0], last = p->newest[--p->newest_len];
    uint32_t n = p->newest_len, k = 0;
    for (;;) {
        uint32_t c = 2 * k + 1;
        if (c >= n)
            break;
        if (c + 1 < n && p->newest[c + 1].birth > p->newest[c].birth)
            c++;
        if (p->newest[c].birth <= last.birth)
            break;
        p->newest[k] = p->newest[c];
        k = c;
    }
    if (n)
        p->newest[k] = last;
    return top;
}

/* Rebuild the ring (and the newest heap) without stale entries, keeping order. */
static void idle_compact(struct serverless *p)
{
    uint32_t w = 0;
    for (uint32_t i = 0; i < p->ring_len; i++) {
        struct idle_ref r = p->ring[(p->ring_head + i) & p->ring_mask];
        if (ref_live(p, r))
            p->ring[(p->ring_head + w++) & p->ring_mask] = r;
    }
    p->ring_len = w;
    if (p->spec->idle_pick == IDLE_PICK_NEWEST) {
        p->newest_len = 0;
        for (uint32_t i = 0; i < p->ring_len; i++)
            newest_push(p, p->ring[(p->ring_head + i) & p->ring_mask].inst);
    }
}

static void idle_add(struct serverless *p, uint32_t i)
{
    if (p->ring_len > p->ring_mask && ring_grow(p) != 0) {
        p->oom = 1;
        return;
    }
    p->ring[(p->ring_head + p->ring_len++) & p->ring_mask] =
        (struct idle_ref){sim_time_add(p->inst[i].freed_ns, p->keep_alive_ns), i, p->inst[i].gen};
    p->n_idle_live++;
    switch (p->spec->idle_pick) {
    case IDLE_PICK_RANDOM:
        if (p->idle_set_len == p->idle_set_cap && grow_u32(&p->idle_set, &p->idle_set_cap)) {
            p->oom = 1;
            return;
        }
        p->inst[i].pos = p->idle_set_len;
        p->idle_set[p->idle_set_len++] = i;
        break;
    case IDLE_PICK_NEWEST:
        newest_push(p, i);
        break;
    case IDLE_PICK_MRU:
    case IDLE_PICK_LRU:
        break;
    }
}

/* Instance i leaves the idle set (taken or expired); its ring entry goes stale. */
static void idle_unlink(struct serverless *p, uint32_t i)
{
    p->inst[i].gen++;
    p->n_idle_live--;
    if (p->spec->idle_pick == IDLE_PICK_RANDOM) {
        uint32_t pos = p->inst[i].pos, last = p->idle_set[--p->idle_set_len];
        p->idle_set[pos] = last;
        p->inst[last].pos = pos;
    }
}

static inline void ring_trim(struct serverless *p)
{
    while (p->ring_len && !ref_live(p, p->ring[p->ring_head])) {
        p->ring_head = (p->ring_head + 1) & p->ring_mask;
        p->ring_len--;
    }
    while (p->ring_len && !ref_live(p, p->ring[(p->ring_head + p->ring_len - 1) & p->ring_mask]))
        p->ring_len--;
}

/* Take an idle instance by idle_pick. Precondition: n_idle_live > 0. */
static uint32_t idle_take(struct serverless *p)
{
    uint32_t i;
    switch (p->spec->idle_pick) {
    case IDLE_PICK_MRU:
        i = p->ring[(p->ring_head + --p->ring_len) & p->ring_mask].inst;
        break;
    case IDLE_PICK_LRU:
        i = p->ring[p->ring_head].inst;
        p->ring_head = (p->ring_head + 1) & p->ring_mask;
        p->ring_len--;
        break;
    case IDLE_PICK_RANDOM:
        i = p->idle_set[gsl_rng_uniform_int(p->place_rng, p->idle_set_len)];
        break;
    case IDLE_PICK_NEWEST:
    default:
        for (;;) {
            struct newest_ref r = newest_pop(p);
            if (p->inst[r.inst].gen == r.gen && p->inst[r.inst].state == INST_READY &&
                p->inst[r.inst].active == 0) {
                i = r.inst;
                break;
            }
        }
        break;
    }
    idle_unlink(p, i);
    /* mru and lru take from the ends and expiry from the front, so only random and
     * newest leave stale entries behind. */
    if (p->spec->idle_pick == IDLE_PICK_RANDOM || p->spec->idle_pick == IDLE_PICK_NEWEST) {
        ring_trim(p);
        if (p->ring_len > 2 * p->n_idle_live + 64)
            idle_compact(p);
    }
    return i;
}

static void instance_release(struct serverless *p, uint32_t i)
{
    p->inst[i].state = INST_FREE;
    p->inst[i].next_free = p->free_head;
    p->free_head = i;
}

/* Retire every idle instance whose keep-alive ended at or before now, each at its
 * own expiry time, oldest first. */
static inline void expire_until(struct serverless *p, sim_time now)
{
    if (p->keep_alive_ns == SIM_TIME_FOREVER)
        return;
    while (p->ring_len) {
        /* The ring is in expiry order: if its head (live or stale) is not due, no
         * entry is, and the instance itself need not be looked at. */
        struct idle_ref r = p->ring[p->ring_head];
        if (r.dies_ns > now)
            break;
        p->ring_head = (p->ring_head + 1) & p->ring_mask;
        p->ring_len--;
        if (!ref_live(p, r))
            continue;
        occupancy_advance(&p->occ, r.dies_ns);
        idle_unlink(p, r.inst);
        p->occ.n_idle--;
        if (p->meter.mode == BILLING_INSTANCE)
            bill_period(p, r.inst, r.dies_ns);
        instance_release(p, r.inst);
    }
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
    int want = in->state == INST_READY && in->active > 0 && in->active < p->concurrency;
    if (want && !in->in_partial) {
        set_add(p, &p->partial, &p->partial_len, &p->partial_cap, i);
        in->in_partial = 1;
    } else if (!want && in->in_partial) {
        set_remove(p, p->partial, &p->partial_len, i);
        in->in_partial = 0;
    }
}

static inline void starting_update(struct serverless *p, uint32_t i)
{
    if (p->concurrency == 1) /* a starting instance's one slot is taken by its request */
        return;
    struct instance *in = &p->inst[i];
    int want = in->state == INST_INIT && in->active < p->concurrency;
    if (want && !in->in_starting) {
        set_add(p, &p->starting, &p->starting_len, &p->starting_cap, i);
        in->in_starting = 1;
    } else if (!want && in->in_starting) {
        set_remove(p, p->starting, &p->starting_len, i);
        in->in_starting = 0;
    }
}

/* ---- requests ----------------------------------------------------------------- */

/* A request that arrived at arrival_ns starts executing at start_ns for service_ns
 * on instance i; cold_ns is the cold start its arrival caused (0 if none). */
static void request_start(struct serverless *p, uint32_t i, sim_time arrival_ns,
                          sim_time start_ns, sim_time service_ns, sim_time cold_ns)
{
    if (heap_push(p->env.heap, sim_time_add(start_ns, service_ns), EV_COMPLETE + p->env.kind_base, i) != 0) {
        p->oom = 1;
        return;
    }
    if (arrival_ns < p->env.warmup_ns)
        return;
    sim_time latency = start_ns - arrival_ns + service_ns;
    struct deployment_result *r = &p->res;
    p->running_ns += (double)service_ns;
    histogram_record(&r->latency, latency);
    r->served++;
    if (latency <= p->env.slo->latency_ns)
        r->within_slo++;
    sim_time billed = billing_charge_request(&p->meter, service_ns, cold_ns);
    if (p->occ.tl) {
        struct occupancy_row *row = occupancy_row(&p->occ, start_ns < p->env.end_ns ? start_ns : arrival_ns);
        if (row)
            row->cost_usd += p->profile->request.usd + billing_duration_usd(&p->meter, billed);
    }
}

static uint32_t instance_new(struct serverless *p, sim_time now)
{
    uint32_t i;
    if (p->free_head != NONE) {
        i = p->free_head;
        p->free_head = p->inst[i].next_free;
    } else {
        if (p->n_inst == p->cap_inst) {
            uint32_t n = p->cap_inst ? 2 * p->cap_inst : 64;
            struct instance *b = realloc(p->inst, n * sizeof *b);
            if (!b) {
                p->oom = 1;
                return NONE;
            }
            p->inst = b;
            p->cap_inst = n;
        }
        i = p->n_inst++;
        p->inst[i].gen = 0;
    }
    struct instance *in = &p->inst[i];
    in->birth = p->births++;
    in->active = 0;
    in->in_partial = in->in_starting = 0;
    in->freed_ns = now;
    return i;
}

static void on_arrival(void *self, const struct request *rq)
{
    struct serverless *p = self;
    sim_time now = rq->arrival_ns;
    expire_until(p, now);
    occupancy_advance(&p->occ, now);
    int measured = now >= p->env.warmup_ns;
    if (measured)
        p->res.requests++;
    struct occupancy_row *row = occupancy_row(&p->occ, now);
    if (row)
        row->arrivals++;

    uint32_t i;
    if (p->partial_len) { /* a busy instance with a free slot */
        i = p->partial[p->partial_len - 1];
        p->inst[i].active++;
        partial_update(p, i);
        request_start(p, i, now, now, rq->service_ns, 0);
        return;
    }
    if (p->n_idle_live) {
        i = idle_take(p);
        p->inst[i].active = 1;
        if (p->meter.mode == BILLING_BUSY)
            p->inst[i].bill_from_ns = now;
        p->occ.n_idle--;
        p->occ.n_busy++;
        partial_update(p, i);
        request_start(p, i, now, now, rq->service_ns, 0);
        return;
    }
    if (p->starting_len) { /* wait for a cold start already under way */
        i = p->starting[p->starting_len - 1];
        p->inst[i].active++;
        starting_update(p, i);
        request_start(p, i, now, p->inst[i].ready_ns, rq->service_ns, 0);
        return;
    }
    uint32_t live = p->occ.n_init + p->occ.n_busy + p->occ.n_idle;
    if (p->cap && live >= p->cap) {
        if (p->spec->on_throttle == THROTTLE_REJECT) {
            if (measured)
                p->res.throttled++;
            return;
        }
        /* Drop what has waited too long before growing the queue: its memory is
         * bounded by the arrivals of one max_wait. */
        while (p->q_len && sim_time_add(p->queue[p->q_head].arrival_ns, p->spec->max_wait_ns) <= now) {
            if (p->queue[p->q_head].arrival_ns >= p->env.warmup_ns)
                p->res.dropped++;
            p->q_head = (p->q_head + 1) & p->q_mask;
            p->q_len--;
        }
        if (p->q_len > p->q_mask && queue_grow(p) != 0) {
            p->oom = 1;
            return;
        }
        p->queue[(p->q_head + p->q_len++) & p->q_mask] =
            (struct waiting){now, rq->service_ns};
        if (measured)
            p->res.queued++;
        return;
    }
    i = instance_new(p, now);
    if (i == NONE)
        return;
    sim_time cold = coldstart_sample_ns(&p->coldstart, p->cold_rng);
    struct instance *in = &p->inst[i];
    in->state = INST_INIT;
    in->ready_ns = sim_time_add(now, cold);
    in->bill_from_ns = p->meter.init_billed ? now : in->ready_ns;
    in->active = 1;
    p->occ.n_init++;
    occupancy_note_peak(&p->occ, now);
    if (measured)
        p->res.cold_starts++;
    if (row)
        row->cold_starts++;
    if (heap_push(p->env.heap, in->ready_ns, EV_READY + p->env.kind_base, i) != 0) {
        p->oom = 1;
        return;
    }
    starting_update(p, i);
    request_start(p, i, now, in->ready_ns, rq->service_ns, cold);
}

/* A slot of instance i is free at now: the head of the queue takes it, if any
 * request there has not waited past max_wait. Returns 1 when it did. */
static int serve_queue(struct serverless *p, uint32_t i, sim_time now)
{
    while (p->q_len) {
        struct waiting w = p->queue[p->q_head];
        p->q_head = (p->q_head + 1) & p->q_mask;
        p->q_len--;
        if (sim_time_add(w.arrival_ns, p->spec->max_wait_ns) <= now) {
            if (w.arrival_ns >= p->env.warmup_ns)
                p->res.dropped++;
            continue;
        }
        request_start(p, i, w.arrival_ns, now, w.service_ns, 0);
        return 1;
    }
    return 0;
}

static void on_event(void *self, const struct event *e)
{
    struct serverless *p = self;
    sim_time now = e->t_ns;
    uint32_t i = e->idx;
    struct instance *in = &p->inst[i];
    expire_until(p, now);
    occupancy_advance(&p->occ, now);
    uint32_t kind = e->kind - p->env.kind_base;
    if (kind == EV_READY) {
        assert(in->state == INST_INIT);
        in->state = INST_READY;
        p->occ.n_init--;
        starting_update(p, i);
        if (in->active) {
            p->occ.n_busy++;
            partial_update(p, i);
        } else {
            in->freed_ns = now;
            p->occ.n_idle++;
            idle_add(p, i);
        }
        return;
    }
    assert(kind == EV_COMPLETE && in->state == INST_READY && in->active > 0);
    if (p->q_len && serve_queue(p, i, now))
        return;
    if (--in->active == 0) {
        p->occ.n_busy--;
        p->occ.n_idle++;
        in->freed_ns = now;
        if (p->meter.mode == BILLING_BUSY)
            bill_period(p, i, now);
        partial_update(p, i);
        idle_add(p, i);
    } else {
        partial_update(p, i);
    }
}

static int on_finish(void *self, struct deployment_result *out, struct slsim_error *err)
{
    struct serverless *p = self;
    if (p->oom)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "out of memory while simulating deployment \"%s\"",
                               p->spec->name);
    /* Requests still queued at the end (only possible with no instance running,
     * which the drain rules out) would be neither served nor dropped. */
    assert(p->q_len == 0);
    expire_until(p, p->env.end_ns);
    occupancy_advance(&p->occ, p->env.end_ns);
    /* Periods still open at the end are billed up to the end. */
    for (uint32_t i = 0; i < p->n_inst; i++) {
        const struct instance *in = &p->inst[i];
        if (in->state == INST_FREE)
            continue;
        if (p->meter.mode == BILLING_INSTANCE ||
            (p->meter.mode == BILLING_BUSY && (in->active > 0 || in->state == INST_INIT)))
            bill_period(p, i, p->env.end_ns);
    }
    struct deployment_result *r = &p->res;
    r->slots = p->concurrency;
    if (occupancy_finish(&p->occ, r, err) != 0)
        return -1;
    /* Execution is summed per request here, not integrated by occupancy. */
    r->running_s = p->running_ns / 1e9;
    billing_meter_cost(&p->meter, r->measured_s, &r->cost);
    r->billed_ms = (double)p->meter.billed_ns / 1e6;
    *out = *r;
    r->timeline = NULL;
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
    free(p->inst);
    free(p->ring);
    free(p->idle_set);
    free(p->newest);
    free(p->partial);
    free(p->starting);
    free(p->queue);
    occupancy_free(&p->occ);
    free(p);
}

void *serverless_create(const struct scenario *s, const struct deployment_spec *d,
                        const struct platform_env *env, struct slsim_error *err)
{
    const struct platform_profile *prof = catalog_find_platform(s->catalog, d->platform);
    if (platform_check_deployment(d, prof, s->catalog, s->path, err) != 0)
        return NULL;
    double off = 0.0;
    if (d->discount[0]) {
        const struct discount *disc = catalog_find_discount(s->catalog, d->discount);
        if (!disc) {
            slsim_error_set(err, s->path, 0, 0, NULL, "unknown discount \"%s\"", d->discount);
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
    p->profile = prof;
    p->env = *env;
    p->keep_alive_ns = d->keep_alive_set ? d->keep_alive_ns : prof->default_keep_alive_ns;
    p->concurrency = d->concurrency;
    p->cap = d->reserved;
    p->free_head = NONE;
    result_init(&p->res);
    snprintf(p->res.name, sizeof p->res.name, "%s", d->name);
    snprintf(p->res.platform, sizeof p->res.platform, "%s", prof->name);
    p->res.type = "serverless";
    p->res.memory_bytes = d->memory_bytes;
    billing_meter_init(&p->meter, prof, d->memory_bytes, d->init_billed, off, d->free_tier);
    if (coldstart_model_init(&p->coldstart, d, prof, s->model.size_bytes, err) != 0) {
        on_destroy(p);
        return NULL;
    }
    p->cold_rng = rng_stream_create(s->seed, env->replication, RNG_COLDSTART);
    p->place_rng = rng_stream_create(s->seed, env->replication, RNG_PLACEMENT);
    p->ring = malloc(64 * sizeof *p->ring);
    p->ring_mask = 63;
    p->queue = malloc(64 * sizeof *p->queue);
    p->q_mask = 63;
    if (occupancy_init(&p->occ, env->warmup_ns, env->end_ns, env->timeline_step_ns, err) != 0) {
        on_destroy(p);
        return NULL;
    }
    if (!p->cold_rng || !p->place_rng || !p->ring || !p->queue) {
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
