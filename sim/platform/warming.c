/* warming.c - instances kept warm by the deployment's own traffic: rounds of
 * warming pings (`warming`: short invocations every so often, billed apart, not
 * measured) and top-ups ahead of known peaks (`warm_before`). */
#include "idle.h"

/* Warming pings: `instances` concurrent short invocations of every function. */
static void warm_round(struct serverless *p, sim_time now, uint32_t count)
{
    for (uint32_t fn = 0; fn < p->n_fn; fn++) {
        struct request ping = {.arrival_ns = now, .service_ns = p->spec->warming.ping_ns,
                               .function = fn};
        for (uint32_t k = 0; k < count; k++)
            if (!try_start(p, fn, &ping, now, 1))
                break;
    }
}

/* warm_before: top up each function to `count` live on-demand instances (provisioned
 * ones not counted) ahead of a known peak (the new ones are then kept alive as
 * any idle instance); each start is billed as a warming ping with its cold start. */
static void warm_ahead(struct serverless *p, sim_time now, uint32_t count)
{
    for (uint32_t fn = 0; fn < p->n_fn; fn++) {
        struct fn_state *f = &p->fn[fn];
        uint32_t have = f->live - prov_live(p, fn);
        for (uint32_t k = have; k < count; k++) {
            if (instance_refused(p, fn))
                break;
            if (p->capacity_policy && !make_room(p, memory_of(p, fn), now))
                break;
            sim_time cold_ns = coldstart_sample_ns(&p->coldstart, p->cold_rng);
            instance_start(p, fn, now, cold_ns, 0);
            if (now >= p->env.warmup_ns) {
                p->res.prewarms++;
                /* Started by an invocation, as on Lambda a scheduled warm-up is: its fee
                 * and its INIT are billed as a ping's (init_billed, init_max), with no
                 * work of its own (the platform's minimum) */
                billing_charge_request(&p->warm_meter, 0, cold_ns);
            }
        }
    }
}

void warming_event(struct serverless *p, uint32_t kind, uint32_t idx, sim_time now)
{
    if (now >= p->env.end_ns)
        return;
    if (kind == EV_WARM) {
        warm_round(p, now, p->spec->warming.instances);
        push_event(p, sim_time_add(now, p->spec->warming.every_ns), EV_WARM, 0);
        return;
    }
    const struct warm_ahead_spec *w = &p->spec->warm_before[idx];
    warm_ahead(p, now, w->instances);
    push_event(p, sched_next_daily(now, w->at_ns), EV_WARM_AHEAD, idx);
}

void warming_start(struct serverless *p)
{
    const struct serverless_spec *d = p->spec;
    if (d->warming.every_ns > 0)
        push_event(p, 0, EV_WARM, 0);
    for (size_t k = 0; k < d->n_warm_before; k++)
        push_event(p, d->warm_before[k].at_ns == 0 ? 0 : sched_next_daily(0, d->warm_before[k].at_ns),
                   EV_WARM_AHEAD, (uint32_t)k);
}
