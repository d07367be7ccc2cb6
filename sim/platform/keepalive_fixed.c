/* keepalive_fixed.c - one keep-alive for every idle instance: the platform's
 * default, a duration, `none` (0: an instance goes when its last request ends) or
 * `forever`. Instances then expire in the order they became idle: with one function
 * its idle list's order (read from the tail), with several one ring over all of
 * them, and no event is needed; `forever` needs no expiry at all. */
#include <stdio.h>

#include "idle.h"
#include "../base/yaml_get.h"

static int init(struct serverless *p)
{
    p->exp_mode = p->keep_alive_ns == SIM_TIME_FOREVER ? EXP_NONE
                  : p->n_fn == 1                      ? EXP_LIST
                                                      : EXP_RING;
    return 0;
}

static sim_time until(struct serverless *p, uint32_t fn, sim_time now)
{
    (void)fn;
    return keepalive_fixed_until(p, now);
}

const struct keepalive_ops keepalive_fixed_ops = {.init = init, .until = until};

/* fixed: its `duration`; none and forever: the duration their row implies. */
int keepalive_fixed_parse(struct slsim_error *err, const struct ynode *v, const char *kp,
                          const struct policy_row *row, struct serverless_spec *d)
{
    if (row->duration_ns >= 0) {
        d->keep_alive.duration_ns = row->duration_ns;
        return 0;
    }
    char sub[KEY_MAX];
    const struct ynode *w = ytree_get(v, "duration");
    if (!w)
        return cfg_missing(err, v, kp, "duration");
    cfg_path_join(sub, kp, "duration");
    return cfg_get_duration(err, w, sub, 1, &d->keep_alive.duration_ns);
}
