/* keepalive_greedy_dual.c - keep idle instances until memory is needed, then evict
 * the one of least greedy-dual priority (FaaSCache, ASPLOS '21): clock + frequency
 * x cost / size, so rarely used, cheap-to-start, large instances go first; the
 * clock rises to each evicted priority, ageing the rest. */
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

/* Scaled to an integer key. */
static sim_time priority(const struct serverless *p, const struct fn_state *f, sim_time now)
{
    (void)now;
    double gib = (double)memory_of(p, f) / 1073741824.0;
    return (sim_time)(greedy_dual_priority(p->gd_clock, f->uses, p->cold_cost_s, gib) * 1e9);
}

static void evicted(struct serverless *p, sim_time key)
{
    p->gd_clock = (double)key / 1e9;
}

const struct keepalive_ops keepalive_greedy_dual_ops = {
    .init = init,
    .until = until,
    .priority = priority,
    .evicted = evicted,
};
