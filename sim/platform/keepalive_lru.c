/* keepalive_lru.c - keep idle instances until memory is needed, then evict the one
 * idle longest. */
#include "serverless.h"

static int init(struct serverless *p)
{
    p->exp_mode = EXP_NONE;
    p->capacity_policy = 1;
    p->capacity_bytes = p->spec->keep_alive.capacity_bytes;
    return 0;
}

static sim_time until(struct serverless *p, struct fn_state *f, uint32_t fn, sim_time now)
{
    (void)p;
    (void)f;
    (void)fn;
    (void)now;
    return SIM_TIME_FOREVER;
}

/* The time it went idle: the least goes first. */
static sim_time priority(const struct serverless *p, const struct fn_state *f, sim_time now)
{
    (void)p;
    (void)f;
    return now;
}

const struct keepalive_ops keepalive_lru_ops = {
    .init = init,
    .until = until,
    .priority = priority,
};
