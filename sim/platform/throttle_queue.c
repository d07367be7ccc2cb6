/* throttle_queue.c - on_throttle: queue. A request that finds no instance waits in
 * its function's FIFO queue for a slot, and is dropped once it has waited
 * max_wait. Expired requests are found lazily, in deadline order: before the queue
 * grows and when a slot frees. A queue waiting on the scaling rate asks for an
 * EV_TOKEN when the next token is due and starts new instances for its head. */
#include "serverless.h"

/* Come back for fn's queue when the next scaling token is due, unless already
 * asked or the cap leaves no room anyway. */
static void await_token(struct serverless *p, uint32_t fn, sim_time now)
{
    struct fn_cold *c = &p->cold[fn];
    if (!c->token_pending && !instance_refused(p, fn)) {
        c->token_pending = 1;
        push_event(p, bucket_next_token(&c->bucket, now), EV_TOKEN, fn);
    }
}

static void throttled(struct serverless *p, uint32_t fn, const struct request *r, sim_time now,
                      uint32_t attempt)
{
    struct fn_cold *c = &p->cold[fn];
    /* Drop what has waited too long before growing the queue: its memory is
     * bounded by the arrivals of one max_wait. */
    core_queue_expire(&p->core, &c->queue, p->spec->max_wait_ns, now);
    if (core_queue_push(&c->queue, *r) != 0) {
        p->core.oom = 1;
        return;
    }
    if (r->arrival_ns >= p->env.warmup_ns && attempt == 0)
        p->res.queued++;
    /* Waiting on the account pool: a unit another function frees starts it. */
    if (pool_full(p, fn))
        pool_await(p, fn);
    /* Waiting on the scaling rate: come back when a token is due. */
    if (p->spec->scale_limited)
        await_token(p, fn, now);
}

/* A slot of instance i is free at now: the head of its function's queue takes it,
 * if any request there has not waited past max_wait. */
static int slot_free(struct serverless *p, uint32_t i, sim_time now)
{
    struct fn_cold *c = &p->cold[p->inst[i].fn];
    struct request r;
    if (!core_queue_take(&p->core, &c->queue, p->spec->max_wait_ns, now, &r))
        return 0;
    request_start(p, i, &r, now, 0, 0);
    return 1;
}

/* A scaling token is due for fn: start queued requests on new instances while
 * tokens allow. */
static void token(struct serverless *p, uint32_t fn, sim_time now)
{
    struct fn_cold *c = &p->cold[fn];
    c->token_pending = 0;
    for (;;) {
        core_queue_expire(&p->core, &c->queue, p->spec->max_wait_ns, now);
        if (!c->queue.len)
            break;
        struct request r = *core_queue_front(&c->queue);
        if (!try_start(p, fn, &r, now, 0))
            break;
        core_queue_pop_front(&c->queue);
    }
    if (c->queue.len)
        await_token(p, fn, now);
}

void pool_await(struct serverless *p, uint32_t fn)
{
    struct fn_cold *c = &p->cold[fn];
    if (c->pool_waiting)
        return;
    if (fn_ring_push(&p->pool_waiters, fn) != 0) {
        p->core.oom = 1;
        return;
    }
    c->pool_waiting = 1;
}

void pool_wake(struct serverless *p, sim_time now)
{
    while (p->pool_waiters.len) {
        uint32_t fn = *fn_ring_front(&p->pool_waiters);
        if (pool_full(p, fn))
            return;
        fn_ring_pop_front(&p->pool_waiters);
        struct fn_cold *c = &p->cold[fn];
        c->pool_waiting = 0;
        core_queue_expire(&p->core, &c->queue, p->spec->max_wait_ns, now);
        if (!c->queue.len)
            continue;
        struct request r = *core_queue_front(&c->queue);
        if (!try_start(p, fn, &r, now, 0)) { /* refused for another reason: its own cap, a token */
            if (pool_full(p, fn))
                pool_await(p, fn);
            continue;
        }
        core_queue_pop_front(&c->queue);
        if (c->queue.len) /* its turn again after the others */
            pool_await(p, fn);
    }
}

const struct throttle_ops throttle_queue_ops = {
    .throttled = throttled,
    .slot_free = slot_free,
    .event = token,
};
