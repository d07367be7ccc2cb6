/* idle.c - the idle sets of the serverless platform, and their expiry.
 *
 * Every idle on-demand instance sits in its function's idle list, most recently
 * freed first (struct fn_state); the idle pick (pick_*.c) takes from it, keeping
 * more where it needs to. How idle instances expire is set by the keep-alive
 * policy (keepalive_*.c) through p->exp_mode: under one fixed keep-alive the order
 * instances went idle is their expiry order, which with one function is its list's
 * (expired from the tail) and with several is kept by one ring over all of them; a
 * min-heap for windows of their own per idle period; and none for
 * policies that keep instances until memory is needed, which evict from a heap by
 * priority (make_room). An instance that leaves the idle set is unlinked from its
 * list at once; its entries in the ring and heaps go stale (their generation moved
 * on), are skipped, and the ring's are swept when they outnumber live ones three to
 * one. */
#include "idle.h"

void expiry_ring_compact(struct serverless *p)
{
    struct expiry_ring *r = &p->exp_ring;
    uint32_t w = 0;
    for (uint32_t k = 0; k < r->len; k++) {
        /* The instances are anywhere in the pool: ask for them a few entries ahead. */
        if (k + 8 < r->len)
            __builtin_prefetch(&p->inst[expiry_ring_at(r, k + 8)->inst]);
        struct expiry_ref e = *expiry_ring_at(r, k);
        if (idle_in_gen(p, e.inst, e.gen))
            *expiry_ring_at(r, w++) = e;
    }
    r->len = w;
    exp_ring_front_moved(p);
}

/* Idle on-demand instance i leaves at t (keep-alive over, or evicted). */
static void idle_retire(struct serverless *p, uint32_t i, sim_time t)
{
    advance(p, t);
    idle_unlink(p, i);
    occupancy_add_idle(&p->occ, -1);
    if (p->meter.mode == BILLING_INSTANCE)
        bill_period(p, i, t);
    instance_release(p, i);
}

/* Retire every idle instance whose keep-alive ended at or before now, each at its
 * own expiry time, in expiry order. */
void expire_due(struct serverless *p, sim_time now)
{
    if (p->exp_mode == EXP_LIST) {
        /* one function: its list's tail expires first */
        uint32_t t;
        while ((t = p->fn[0].idle_lru) != NONE && p->inst[t].dies_ns <= now)
            idle_retire(p, t, p->inst[t].dies_ns);
    } else if (p->exp_mode == EXP_RING) {
        struct expiry_ring *r = &p->exp_ring;
        while (r->len) {
            /* In expiry order: if the head (live or stale) is not due, nothing is,
             * and no instance need be looked at. */
            struct expiry_ref e = *expiry_ring_front(r);
            if (e.key > now)
                break;
            expiry_ring_pop_front(r);
            if (idle_in_gen(p, e.inst, e.gen))
                idle_retire(p, e.inst, e.key);
        }
        exp_ring_front_moved(p);
        /* The next to expire was idle a whole keep-alive, long out of the cache:
         * fetch its record and its function's while the requests before its
         * expiry run. */
        if (r->len) {
            __builtin_prefetch(&p->inst[expiry_ring_front(r)->inst]);
            __builtin_prefetch(&p->fn[expiry_ring_front(r)->fn]);
        }
    } else if (p->exp_mode == EXP_HEAP) {
        while (p->exp_heap.len && p->exp_heap.e[0].key <= now) {
            struct idle_ref e = ref_heap_take(&p->exp_heap);
            if (ref_live(p, e))
                idle_retire(p, e.inst, e.key);
        }
        exp_heap_top_moved(p);
    }
}

uint32_t idle_scale_in(struct serverless *p, uint32_t fn, uint32_t want, sim_time idle_before,
                       sim_time now)
{
    uint32_t n = 0, i;
    while (p->fn[fn].live > want && (i = p->fn[fn].idle_lru) != NONE &&
           p->inst[i].idle_ns <= idle_before) {
        idle_retire(p, i, now);
        n++;
    }
    return n;
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
