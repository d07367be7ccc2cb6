/* throttle_reject.c - on_throttle: reject. A request that finds no instance is
 * throttled at once (HTTP 429). */
#include "serverless.h"

static void throttled(struct serverless *p, uint32_t fn, const struct request *r, sim_time now,
                      uint32_t attempt)
{
    (void)fn;
    (void)now;
    (void)attempt;
    if (r->arrival_ns >= p->env.warmup_ns) {
        p->res.throttled++;
        result_note_refused(&p->res, r->arrival_ns, r->function, 1);
    }
}

const struct throttle_ops throttle_reject_ops = {.throttled = throttled};
