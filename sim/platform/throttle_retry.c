/* throttle_retry.c - on_throttle: retry. An asynchronous invocation that finds no
 * instance is tried again after a backoff that doubles from retry.backoff up to
 * retry.max_backoff, and dropped once it would be older than retry.max_age. A
 * waiting retry is an EV_RETRY event and a slot of a small pool with a free list,
 * so memory stays bounded by live state. */
#include "serverless.h"

static void throttled(struct serverless *p, uint32_t fn, const struct request *r, sim_time now,
                      uint32_t attempt)
{
    int measured = r->arrival_ns >= p->env.warmup_ns;
    sim_time backoff = p->spec->retry_backoff_ns;
    for (uint32_t k = 0; k < attempt && backoff < p->spec->retry_max_backoff_ns; k++)
        backoff = backoff > SIM_TIME_FOREVER / 2 ? SIM_TIME_FOREVER : backoff * 2;
    if (backoff > p->spec->retry_max_backoff_ns)
        backoff = p->spec->retry_max_backoff_ns;
    sim_time at = sim_time_add(now, backoff);
    if (at - r->arrival_ns > p->spec->retry_max_age_ns) {
        if (measured) {
            p->res.dropped++;
            result_note_refused(&p->res, r->arrival_ns, r->function, 0);
        }
        return;
    }
    uint32_t slot;
    if (p->retry_free != NONE) {
        slot = p->retry_free;
        p->retry_free = p->retries[slot].next_free;
    } else {
        if (p->n_retries == p->cap_retries &&
            vec_grow32((void **)&p->retries, &p->cap_retries, sizeof *p->retries, 64)) {
            p->core.oom = 1;
            return;
        }
        slot = p->n_retries++;
    }
    p->retries[slot] = (struct retry){*r, attempt + 1, NONE};
    p->retries[slot].r.function = fn;
    if (measured)
        p->res.retries++;
    push_event(p, at, EV_RETRY, slot);
}

/* Retry slot idx is due: try again. */
static void retry(struct serverless *p, uint32_t idx, sim_time now)
{
    struct retry r = p->retries[idx];
    p->retries[idx].next_free = p->retry_free;
    p->retry_free = idx;
    if (!try_start(p, r.r.function, &r.r, now, 0))
        throttled(p, r.r.function, &r.r, now, r.attempt);
}

const struct throttle_ops throttle_retry_ops = {.throttled = throttled, .event = retry};
