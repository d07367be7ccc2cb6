/* idle.c - the idle sets of the serverless platform, and their expiry.
 *
 * Every idle on-demand instance sits in its function's ring in the order it became
 * idle; the idle pick (pick_*.c) takes from it, keeping more where it needs to. How
 * idle instances expire is set by the keep-alive policy (keepalive_*.c) through
 * p->exp_mode: a ring in expiry order for one fixed keep-alive (the function's own
 * ring when there is one function, else a global ring), a min-heap for windows of
 * their own per idle period, and none for policies that keep instances until
 * memory is needed, which evict from a heap by priority (make_room). Entries of
 * instances that left the idle set go stale (their generation moved on), are
 * skipped, and are swept when they outnumber live ones. */
#include "serverless.h"

void idle_ring_trim(struct serverless *p, struct idle_ring *r)
{
    while (r->len && !ref_live(p, *idle_ring_front(r)))
        idle_ring_pop_front(r);
    while (r->len && !ref_live(p, *idle_ring_back(r)))
        r->len--;
}

/* Drop a ring's stale entries, keeping the order of the rest. */
static void ring_compact(struct serverless *p, struct idle_ring *r)
{
    uint32_t w = 0;
    for (uint32_t k = 0; k < r->len; k++) {
        struct idle_ref e = *idle_ring_at(r, k);
        if (ref_live(p, e))
            *idle_ring_at(r, w++) = e;
    }
    r->len = w;
}

void idle_add(struct serverless *p, uint32_t i, sim_time dies_ns)
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
                ring_compact(p, &p->global_ring);
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

uint32_t idle_take(struct serverless *p, struct fn_state *f)
{
    uint32_t i = p->pick->take(p, f);
    idle_unlink(p, i);
    if (f->ring.len > 2 * f->n_idle_live + 64) {
        /* Rebuild the ring (and what the pick keeps) without stale entries, in order. */
        ring_compact(p, &f->ring);
        if (p->pick->rebuild)
            p->pick->rebuild(p, f);
    }
    return i;
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
void expire_due(struct serverless *p, sim_time now)
{
    if (p->exp_mode == EXP_RING) {
        struct idle_ring *r = p->exp_ring;
        while (r->len) {
            /* In expiry order: if the head (live or stale) is not due, nothing is,
             * and no instance need be looked at. */
            struct idle_ref e = *idle_ring_front(r);
            if (e.key > now)
                break;
            idle_ring_pop_front(r);
            if (ref_live(p, e))
                idle_retire(p, e.inst, e.key);
        }
    } else if (p->exp_mode == EXP_HEAP) {
        while (p->exp_heap.len && p->exp_heap.e[0].key <= now) {
            struct idle_ref e = ref_heap_take(&p->exp_heap);
            if (ref_live(p, e))
                idle_retire(p, e.inst, e.key);
        }
    }
}

int make_room(struct serverless *p, int64_t bytes, sim_time now)
{
    while (p->used_bytes + bytes > p->capacity_bytes) {
        struct idle_ref e;
        do {
            if (!p->evict.len)
                return 0;
            e = ref_heap_take(&p->evict);
        } while (!ref_live(p, e));
        if (p->ka->evicted)
            p->ka->evicted(p, e.key);
        p->res.evictions += now >= p->env.warmup_ns;
        idle_retire(p, e.inst, now);
    }
    return 1;
}
