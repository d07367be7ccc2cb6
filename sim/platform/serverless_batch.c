/* serverless_batch.c - dynamic batching on a serverless platform (GPU providers).
 *
 * With `batching:` a function's requests wait in one queue that feeds its instances,
 * each running one batch at a time, under Triton's dynamic batcher's rule (as a
 * fleet's, dedicated.c): a batch goes as soon as max_batch_size requests, or a
 * preferred size, can be formed and an instance is idle (the largest such size); once
 * the oldest request has waited max_queue_delay the largest batch available goes.
 * A batch of n takes the performance model's time at n (perf.h batch_ns) times the
 * mean, over its requests, of each request's work over the model's mean; it completes
 * together, each request's latency is recorded when it starts, and a request-billed
 * platform bills the batch's time once and each request's fee.
 *
 * Scaling is the queue's: a new instance starts when the queue holds more requests
 * than the function's instances (ready and starting) can take in their next batches,
 * max_batch_size each, and has for scale_out_delay (the deployment's, else the
 * platform's: RunPod's queue-delay scaler waits 4 s); as many start as the excess
 * needs, within `reserved` and the scaling rate (`scale_rate`). Instances idle past the
 * keep-alive go, as any. The metrics-based autoscaler (autoscale.c) does not run
 * beside it. */
#include <stdlib.h>

#include "idle.h"

int serverless_batch_init(struct serverless *p, struct slsim_error *err)
{
    if (!p->spec->batching.max_batch_size)
        return 0;
    p->batching = 1;
    p->scales = 0; /* the queue's rule scales instead */
    p->scale_out_delay_ns = p->spec->batching.scale_out_delay_ns >= 0
                                ? p->spec->batching.scale_out_delay_ns
                                : p->profile->scale_out_delay_ns;
    p->res.batch.on = 1;
    p->bq = calloc(p->n_fn ? p->n_fn : 1, sizeof *p->bq);
    if (!p->bq) {
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return -1;
    }
    for (uint32_t fn = 0; fn < p->n_fn; fn++)
        p->bq[fn] = (struct fn_batch){.timer_ns = SIM_TIME_FOREVER,
                                      .over_since_ns = SIM_TIME_FOREVER};
    return 0;
}

void serverless_batch_free(struct serverless *p)
{
    for (uint32_t fn = 0; p->bq && fn < p->n_fn; fn++)
        core_queue_free(&p->bq[fn].q);
    free(p->bq);
    p->bq = NULL;
}

/* Instance i of fn runs the n requests at the front of fn's queue as one batch from now. */
static void batch_start(struct serverless *p, uint32_t i, uint32_t fn, uint32_t n, sim_time now)
{
    struct core_queue *q = &p->bq[fn].q;
    sim_time d = core_batch_ns(&p->core, q, n);
    /* A batch past the timeout fails there as a whole: every request of it timed
     * out, the instance freed and billed at the limit. */
    int late = d > p->timeout_ns;
    if (late)
        d = p->timeout_ns;
    sim_time done = sim_time_add(now, d);
    instance_batch_begin(p, i, now);
    push_event(p, done, EV_BATCH_DONE, i);
    uint32_t measured = 0;
    bill_as(p, fn);
    for (uint32_t k = 0; k < n; k++) {
        const struct request *r = core_queue_front(q);
        if (r->arrival_ns >= p->env.warmup_ns) {
            /* the batch's duration is billed once, with its first measured request */
            sim_time billed = 0;
            if (measured)
                billing_charge_fee(&p->meter);
            else
                billed = billing_charge_request(&p->meter, d, 0);
            measured++;
            if (late) {
                p->res.timed_out++;
                result_note_timed_out(&p->res, r->arrival_ns, r->function, 0);
            } else {
                core_record_request(&p->core, r, done - r->arrival_ns, 0);
                p->fn[fn].served++;
            }
            batch_stats_request(&p->res.batch, r->arrival_ns, now, done);
            if (p->occ.tl) {
                struct occupancy_row *row = occupancy_row(&p->occ, now);
                if (row)
                    row->cost_usd +=
                        p->profile->request.usd + billing_duration_usd(&p->meter, billed);
            }
        }
        core_queue_pop_front(q);
    }
    if (measured) /* a batch of the measured period */
        batch_stats_batch(&p->res.batch, n, now, done, p->env.end_ns);
}

/* The queue's scale-out rule at now: over while the queue holds more than the
 * function's instances can take in their next batches; an instance starts once it has
 * been over for scale_out_delay. */
static void scale_check(struct serverless *p, uint32_t fn, sim_time now)
{
    struct fn_batch *b = &p->bq[fn];
    uint64_t room = (uint64_t)p->fn[fn].live * p->spec->batching.max_batch_size;
    if (b->q.len <= room) {
        b->over_since_ns = SIM_TIME_FOREVER;
        return;
    }
    if (b->over_since_ns == SIM_TIME_FOREVER)
        b->over_since_ns = now;
    sim_time due = sim_time_add(b->over_since_ns, p->scale_out_delay_ns);
    if (due <= now) {
        uint32_t max = p->spec->batching.max_batch_size;
        while ((uint64_t)b->q.len > (uint64_t)p->fn[fn].live * max &&
               !instance_refused(p, fn) &&
               !(p->spec->scale_limited && !bucket_take(&p->cold[fn].bucket, now))) {
            uint32_t i = instance_scale_out(p, fn, now);
            if (i == NONE)
                return;
            if (now >= p->env.warmup_ns) {
                sim_time cold = p->inst[i].ready_ns - now;
                p->res.cold_starts++;
                p->res.coldstart_s += (double)cold / 1e9;
                p->fn[fn].cold_starts++;
                /* A request-billed platform that bills the init (Lambda since 2025-08)
                 * bills it here, with no request of its own: rounded by itself, capped
                 * at init_max. */
                if (p->meter.mode == BILLING_REQUEST && p->meter.init_billed && cold > 0) {
                    bill_as(p, fn);
                    sim_time init = cold;
                    if (p->meter.init_max_ns && init > p->meter.init_max_ns)
                        init = p->meter.init_max_ns;
                    billing_charge_period(&p->meter, init);
                }
            }
        }
        b->over_since_ns = SIM_TIME_FOREVER;
        return;
    }
    if (!b->scale_pending) {
        b->scale_pending = 1;
        push_event(p, due, EV_SCALE_OUT, fn);
    }
}

void serverless_batch_dispatch(struct serverless *p, uint32_t fn, sim_time now)
{
    const struct batching_spec *s = &p->spec->batching;
    struct fn_batch *b = &p->bq[fn];
    while (b->q.len && p->fn[fn].idle_mru != NONE) {
        uint32_t n = core_batch_size(s, &b->q, now);
        if (!n)
            break;
        batch_start(p, idle_take(p, fn), fn, n, now);
    }
    if (b->q.len && p->fn[fn].idle_mru != NONE) {
        sim_time due = sim_time_add(core_queue_front(&b->q)->arrival_ns, s->max_queue_delay_ns);
        if (due != b->timer_ns) {
            b->timer_ns = due;
            push_event(p, due, EV_BATCH_TIMER, fn);
        }
    }
    scale_check(p, fn, now);
}

void serverless_batch_arrival(struct serverless *p, uint32_t fn, const struct request *r,
                              sim_time now)
{
    struct fn_batch *b = &p->bq[fn];
    uint32_t bound = p->spec->batching.max_queue_size;
    if (bound && b->q.len >= bound) {
        if (now >= p->env.warmup_ns) {
            p->res.dropped++;
            result_note_refused(&p->res, r->arrival_ns, r->function, 0);
            p->res.batch.queue_rejected++;
        }
        return;
    }
    if (core_queue_push(&b->q, *r)) {
        p->core.oom = 1;
        return;
    }
    serverless_batch_dispatch(p, fn, now);
}

void serverless_batch_event(struct serverless *p, uint32_t kind, uint32_t idx, sim_time now)
{
    if (kind == EV_BATCH_DONE) {
        uint32_t fn = p->inst[idx].fn;
        instance_batch_end(p, idx, now);
        serverless_batch_dispatch(p, fn, now);
    } else if (kind == EV_BATCH_TIMER) {
        if (p->bq[idx].timer_ns == now)
            p->bq[idx].timer_ns = SIM_TIME_FOREVER;
        serverless_batch_dispatch(p, idx, now);
    } else { /* EV_SCALE_OUT */
        p->bq[idx].scale_pending = 0;
        scale_check(p, idx, now);
    }
}
