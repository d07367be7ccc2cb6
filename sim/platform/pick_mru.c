/* pick_mru.c - idle_pick: mru, the most recently freed instance (the default):
 * the back of the function's ring, O(1). */
#include "serverless.h"

static uint32_t take(struct serverless *p, struct fn_state *f)
{
    return idle_take_mru(p, f);
}

const struct idle_pick_ops idle_pick_mru_ops = {.take = take};
