/* pick_mru.c - idle_pick: mru, the most recently freed instance (the default): the
 * head of the function's idle list, O(1) (taken inline, idle_take). */
#include "idle.h"

static uint32_t take(struct serverless *p, uint32_t fn)
{
    return p->fn[fn].idle_mru;
}

const struct idle_pick_ops idle_pick_mru_ops = {.take = take};
