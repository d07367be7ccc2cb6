/* pick_newest.c - idle_pick: newest, the idle instance created last, from a
 * max-heap by creation order (key -birth). Entries of instances taken otherwise go
 * stale and are skipped; the heap is rebuilt from the ring when the ring is
 * compacted. */
#include "serverless.h"

static int add(struct serverless *p, struct fn_state *f, uint32_t i)
{
    struct idle_ref e = {-(sim_time)p->inst[i].birth, i, p->inst[i].gen};
    return ref_heap_put(&f->newest, e);
}

static uint32_t take(struct serverless *p, struct fn_state *f)
{
    for (;;) {
        struct idle_ref r = ref_heap_take(&f->newest);
        if (ref_live(p, r))
            return r.inst;
    }
}

static void rebuild(struct serverless *p, struct fn_state *f)
{
    f->newest.len = 0;
    for (uint32_t k = 0; k < f->ring.len; k++) {
        struct idle_ref e = *idle_ring_at(&f->ring, k);
        e.key = -(sim_time)p->inst[e.inst].birth;
        if (ref_heap_put(&f->newest, e))
            p->core.oom = 1;
    }
}

const struct idle_pick_ops idle_pick_newest_ops = {
    .add = add,
    .take = take,
    .rebuild = rebuild,
};
