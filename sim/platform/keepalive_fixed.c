/* keepalive_fixed.c - one keep-alive for every idle instance: the platform's
 * default, a duration, `none` (0: an instance goes when its last request ends) or
 * `forever`. Instances then expire in the order they became idle, so the idle ring
 * is the expiry order and no event is needed; `forever` needs no expiry at all. */
#include "serverless.h"

static int init(struct serverless *p)
{
    p->exp_mode = p->keep_alive_ns == SIM_TIME_FOREVER ? EXP_NONE : EXP_RING;
    return 0;
}

static sim_time until(struct serverless *p, struct fn_state *f, uint32_t fn, sim_time now)
{
    (void)f;
    (void)fn;
    return p->exp_mode == EXP_NONE ? SIM_TIME_FOREVER : sim_time_add(now, p->keep_alive_ns);
}

const struct keepalive_ops keepalive_fixed_ops = {.init = init, .until = until};
