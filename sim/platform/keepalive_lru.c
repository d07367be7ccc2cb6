/* keepalive_lru.c - keep idle instances until memory is needed, then evict the one
 * idle longest. */
#include "serverless.h"

/* The time it went idle: the least goes first. */
static sim_time priority(const struct serverless *p, uint32_t fn, sim_time now)
{
    (void)p;
    (void)fn;
    return now;
}

const struct keepalive_ops keepalive_lru_ops = {
    .init = keepalive_evicting_init,
    .until = keepalive_evicting_until,
    .priority = priority,
};
