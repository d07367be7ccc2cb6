/* idle.h - a serverless platform's idle instances, inline half (idle.c has the
 * rest): each function's idle list, the expiry ring or heap, and the helpers on the
 * path of every request that take an instance from the list and put one back. */
#ifndef SLSIM_PLATFORM_IDLE_H
#define SLSIM_PLATFORM_IDLE_H

#include "serverless.h"

/* The ring's front changed: the next expiry is its key. */
static inline void exp_ring_front_moved(struct serverless *p)
{
    p->expiry_ns = p->exp_ring.len ? expiry_ring_front(&p->exp_ring)->key : SIM_TIME_FOREVER;
}

/* The heap's top changed: the next expiry is its key. */
static inline void exp_heap_top_moved(struct serverless *p)
{
    p->expiry_ns = p->exp_heap.len ? p->exp_heap.e[0].key : SIM_TIME_FOREVER;
}

/* Drop the expiry ring's stale entries, keeping the order of the rest. */
void expiry_ring_compact(struct serverless *p);
/* Retire every idle instance whose keep-alive ended at or before now. */
void expire_due(struct serverless *p, sim_time now);
/* Make room for bytes more under the memory capacity, evicting idle instances of
 * least priority: 1 when there is room. */
int make_room(struct serverless *p, int64_t bytes, sim_time now);
/* Retire idle on-demand instances of fn idle since idle_before or earlier, the longest
 * idle first, while fn has more than want (the autoscaler's scale-in): the number
 * retired. */
uint32_t idle_scale_in(struct serverless *p, uint32_t fn, uint32_t want, sim_time idle_before,
                       sim_time now);


/* Instance i (on-demand, READY, active 0) of function fn joins the idle set at now,
 * expiring at dies_ns (SIM_TIME_FOREVER: never). */
ALWAYS_INLINE void idle_add_as(struct serverless *p, uint32_t i, uint32_t fn, sim_time now,
                               sim_time dies_ns, int plain)
{
    struct instance *in = &p->inst[i];
    struct fn_state *f = &p->fn[fn];
    in->idle_ns = now;
    in->newer = NONE;
    in->older = f->idle_mru;
    if (f->idle_mru != NONE)
        p->inst[f->idle_mru].newer = i;
    else
        f->idle_lru = i;
    f->idle_mru = i;
    f->n_idle++;
    p->idle_live++;
    if (p->exp_mode == EXP_LIST) {
        in->dies_ns = dies_ns;
        if (in->older == NONE) /* the list was empty: it is the next to expire */
            p->expiry_ns = dies_ns;
    } else if (p->exp_mode == EXP_RING) {
        /* Entries of instances taken before their expiry, away from the ring's ends,
         * go stale in the middle; sweep them when they outnumber the live ones three
         * to one, so the ring stays within a small multiple of the idle set rather
         * than the arrivals of one keep-alive. A sweep reads every entry's instance,
         * a miss each with many instances: at twice the idle set instead, sweeps
         * took a quarter of the cache misses at 100,000 functions. */
        if (p->exp_ring.len > 4 * p->idle_live + 1024)
            expiry_ring_compact(p);
        struct expiry_ring *r = &p->exp_ring;
        /* never empty of storage: grown once at creation */
        if (r->len > r->mask && expiry_ring_grow(r)) {
            p->core.oom = 1;
        } else {
            r->e[(r->head + r->len++) & r->mask] = (struct expiry_ref){dies_ns, i, in->gen, fn};
            if (r->len == 1)
                p->expiry_ns = dies_ns;
        }
    } else if (p->exp_mode == EXP_HEAP && dies_ns != SIM_TIME_FOREVER) {
        if (ref_heap_put(&p->exp_heap, (struct idle_ref){dies_ns, i, in->gen}))
            p->core.oom = 1;
        exp_heap_top_moved(p);
    }
    if (!plain && p->capacity_policy) {
        struct idle_ref e = {p->ka->priority(p, fn, now), i, in->gen};
        if (ref_heap_put(&p->evict, e))
            p->core.oom = 1;
    }
    if (!plain && p->pick_add && p->pick_add(p, fn, i))
        p->core.oom = 1;
}

ALWAYS_INLINE void idle_add(struct serverless *p, uint32_t i, uint32_t fn, sim_time now,
                            sim_time dies_ns)
{
    idle_add_as(p, i, fn, now, dies_ns, 0);
}

/* Instance i leaves the idle set (taken, expired or evicted): out of its function's
 * list (with one function, the next expiry moves when the tail leaves); its entry
 * in the ring of several functions is dropped when it is at an end, else left to go
 * stale. */
ALWAYS_INLINE void idle_unlink_as(struct serverless *p, uint32_t i, int plain)
{
    struct instance *in = &p->inst[i];
    uint32_t fn = in->fn;
    struct fn_state *f = &p->fn[fn];
    if (in->newer != NONE)
        p->inst[in->newer].older = in->older;
    else
        f->idle_mru = in->older;
    if (in->older != NONE) {
        p->inst[in->older].newer = in->newer;
    } else {
        f->idle_lru = in->newer;
        if (p->exp_mode == EXP_LIST) /* the tail left: the next one expires next */
            p->expiry_ns = in->newer != NONE ? p->inst[in->newer].dies_ns : SIM_TIME_FOREVER;
    }
    if (p->exp_mode == EXP_RING && p->exp_ring.len) {
        struct expiry_ring *r = &p->exp_ring;
        const struct expiry_ref *b = expiry_ring_back(r), *a = expiry_ring_front(r);
        if (b->inst == i && b->gen == in->gen) {
            if (--r->len == 0)
                p->expiry_ns = SIM_TIME_FOREVER;
        } else if (a->inst == i && a->gen == in->gen) {
            expiry_ring_pop_front(r);
            exp_ring_front_moved(p);
        }
    }
    in->gen++;
    f->n_idle--;
    p->idle_live--;
    if (!plain && p->pick_unlink)
        p->pick_unlink(p, fn, i);
}

ALWAYS_INLINE void idle_unlink(struct serverless *p, uint32_t i)
{
    idle_unlink_as(p, i, 0);
}

/* The fixed keep-alive's expiry (keepalive_fixed.c), inline: it is the default, on
 * the path of every request. */
static inline sim_time keepalive_fixed_until(const struct serverless *p, sim_time now)
{
    return p->exp_mode == EXP_NONE ? SIM_TIME_FOREVER : sim_time_add(now, p->keep_alive_ns);
}

/* Take an idle on-demand instance of fn by idle_pick. Precondition: fn has one. */
ALWAYS_INLINE uint32_t idle_take_as(struct serverless *p, uint32_t fn, int plain)
{
    const struct fn_state *f = &p->fn[fn];
    uint32_t i = p->take == TAKE_MRU   ? f->idle_mru
                 : p->take == TAKE_LRU ? f->idle_lru
                                       : p->pick->take(p, fn);
    idle_unlink_as(p, i, plain);
    return i;
}

ALWAYS_INLINE uint32_t idle_take(struct serverless *p, uint32_t fn)
{
    return idle_take_as(p, fn, 0);
}

/* The common case, nothing due, costs one comparison. */
static inline void expire_until(struct serverless *p, sim_time now)
{
    if (now >= p->expiry_ns)
        expire_due(p, now);
}

#endif
