/* pick_random.c - idle_pick: random, an idle instance drawn uniformly from the
 * placement stream, out of a dense set of the function's idle instances. */
#include <gsl/gsl_rng.h>

#include "serverless.h"

static int add(struct serverless *p, uint32_t fn, uint32_t i)
{
    return idxset_add(&p->cold[fn].idle_set, i, &p->inst[i].pos);
}

static void unlink_one(struct serverless *p, uint32_t fn, uint32_t i)
{
    uint32_t pos = p->inst[i].pos;
    p->inst[idxset_remove(&p->cold[fn].idle_set, pos)].pos = pos;
}

static uint32_t take(struct serverless *p, uint32_t fn)
{
    const struct idxset *s = &p->cold[fn].idle_set;
    return s->items[gsl_rng_uniform_int(p->place_rng, s->len)];
}

const struct idle_pick_ops idle_pick_random_ops = {
    .add = add,
    .unlink = unlink_one,
    .take = take,
};
