/* pick_newest.c - idle_pick: newest, the idle instance created last, from a
 * max-heap by creation order (key -birth, unique, so the heap's shape never decides
 * a pick). Entries of instances that left the idle set otherwise go stale and are
 * skipped; the heap is rebuilt from the function's idle list when they outnumber
 * the live ones. */
#include "serverless.h"

static int add(struct serverless *p, uint32_t fn, uint32_t i)
{
    struct idle_ref e = {-(sim_time)p->inst[i].birth, i, p->inst[i].gen};
    return ref_heap_put(&p->cold[fn].newest, e);
}

/* Keep the heap the size of the idle set: rebuild it from the list when stale
 * entries outnumber live ones. */
static void unlink_one(struct serverless *p, uint32_t fn, uint32_t i)
{
    (void)i;
    struct ref_heap *h = &p->cold[fn].newest;
    if (h->len <= 2 * p->fn[fn].n_idle + 64)
        return;
    h->len = 0;
    for (uint32_t k = p->fn[fn].idle_lru; k != NONE; k = p->inst[k].newer) {
        struct idle_ref e = {-(sim_time)p->inst[k].birth, k, p->inst[k].gen};
        if (ref_heap_put(h, e))
            p->core.oom = 1;
    }
}

static uint32_t take(struct serverless *p, uint32_t fn)
{
    for (;;) {
        struct idle_ref r = ref_heap_take(&p->cold[fn].newest);
        if (ref_live(p, r))
            return r.inst;
    }
}

const struct idle_pick_ops idle_pick_newest_ops = {
    .add = add,
    .unlink = unlink_one,
    .take = take,
};
