/* pick_lru.c - idle_pick: lru, the least recently freed instance: the front of the
 * function's ring, O(1). */
#include "serverless.h"

static uint32_t take(struct serverless *p, struct fn_state *f)
{
    if (p->may_stale)
        idle_ring_trim(p, &f->ring);
    uint32_t i = idle_ring_front(&f->ring)->inst;
    idle_ring_pop_front(&f->ring);
    return i;
}

const struct idle_pick_ops idle_pick_lru_ops = {.take = take};
