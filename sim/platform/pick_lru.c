/* pick_lru.c - idle_pick: lru, the least recently freed instance: the tail of the
 * function's idle list, O(1) (taken inline, idle_take). */
#include "idle.h"

static uint32_t take(struct serverless *p, uint32_t fn)
{
    return p->fn[fn].idle_lru;
}

const struct idle_pick_ops idle_pick_lru_ops = {.take = take};
