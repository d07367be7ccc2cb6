/* keepalive_greedy_dual.c - keep idle instances until memory is needed, then evict
 * the one of least greedy-dual priority (FaaSCache, ASPLOS '21): clock + frequency
 * x cost / size, so rarely used, cheap-to-start, large instances go first; the
 * clock rises to each evicted priority, ageing the rest. */
#include <stdio.h>

#include "serverless.h"
#include "../base/yaml_get.h"

int keepalive_evicting_init(struct serverless *p)
{
    p->exp_mode = EXP_NONE;
    p->capacity_policy = 1;
    p->capacity_bytes = p->spec->keep_alive.capacity_bytes;
    return 0;
}

sim_time keepalive_evicting_until(struct serverless *p, uint32_t fn, sim_time now)
{
    (void)p;
    (void)fn;
    (void)now;
    return SIM_TIME_FOREVER;
}

/* Greedy-dual counts every request of a function (request_start). */
static int init(struct serverless *p)
{
    p->counts_uses = 1;
    return keepalive_evicting_init(p);
}

/* Scaled to an integer key. */
static sim_time priority(const struct serverless *p, uint32_t fn, sim_time now)
{
    (void)now;
    double gib = (double)memory_of(p, fn) / 1073741824.0;
    return (sim_time)(greedy_dual_priority(p->gd_clock, p->cold[fn].uses, p->cold_cost_s, gib) *
                      1e9);
}

static void evicted(struct serverless *p, sim_time key)
{
    p->gd_clock = (double)key / 1e9;
}

const struct keepalive_ops keepalive_greedy_dual_ops = {
    .init = init,
    .until = keepalive_evicting_until,
    .priority = priority,
    .evicted = evicted,
};

/* greedy-dual, lru: instances stay until their memory is needed. */
int keepalive_capacity_parse(struct slsim_error *err, const struct ynode *v, const char *kp,
                             const struct policy_row *row, struct serverless_spec *d)
{
    (void)row;
    char sub[KEY_MAX];
    const struct ynode *w = ytree_get(v, "capacity");
    if (!w)
        return cfg_missing(err, v, kp, "capacity");
    cfg_path_join(sub, kp, "capacity");
    if (cfg_get_size(err, w, sub, &d->keep_alive.capacity_bytes))
        return -1;
    if (d->keep_alive.capacity_bytes < d->memory_bytes)
        return cfg_fail(err, w, sub, "capacity must hold at least one instance (%lld bytes)",
                        (long long)d->memory_bytes);
    return 0;
}
