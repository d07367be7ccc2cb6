/* keepalive_histogram.c - the hybrid-histogram keep-alive (Serverless in the Wild)
 * on the serverless platform: each function learns its idle times (keepalive.c)
 * and every idle period gets its own window, so expiries sit in a min-heap. A
 * window that starts later unloads the instance at once and loads a new one just
 * before the next invocation is expected (EV_KEEPALIVE: the pre-warm). */
#include "serverless.h"

static int init(struct serverless *p)
{
    p->exp_mode = EXP_HEAP;
    for (uint32_t fn = 0; fn < p->n_fn; fn++)
        if (!(p->fn[fn].hist = ka_hist_create(&p->spec->keep_alive.hist)))
            return -1;
    return 0;
}

static sim_time until(struct serverless *p, struct fn_state *f, uint32_t fn, sim_time now)
{
    struct ka_decision d = ka_hist_decide(f->hist);
    if (d.prewarm_ns > 0) {
        /* Unload now; load again just before the next invocation is expected. */
        push_event(p, sim_time_add(now, d.prewarm_ns), EV_KEEPALIVE, fn);
        f->pending_dies_ns = sim_time_add(sim_time_add(now, d.prewarm_ns), d.keep_alive_ns);
        return 0;
    }
    return sim_time_add(now, d.keep_alive_ns);
}

/* The idle time that ends with this arrival, if the function was idle. */
static void arrival(struct serverless *p, struct fn_state *f, sim_time now)
{
    (void)p;
    if (f->running == 0 && f->last_end_ns >= 0)
        ka_hist_observe(f->hist, now - f->last_end_ns);
}

/* The pre-warm of function fn is due. */
static void prewarm(struct serverless *p, uint32_t fn, sim_time now)
{
    struct fn_state *f = &p->fn[fn];
    if (f->live - f->prov_live > 0 || now >= p->env.end_ns)
        return; /* an invocation came first */
    if (p->capacity_policy && !make_room(p, memory_of(p, f), now))
        return;
    uint32_t i = instance_start(p, fn, now, coldstart_sample_ns(&p->coldstart, p->cold_rng), 0);
    if (i != NONE)
        p->inst[i].dies_ns = f->pending_dies_ns;
    if (now >= p->env.warmup_ns)
        p->res.prewarms++;
}

const struct keepalive_ops keepalive_histogram_ops = {
    .init = init,
    .until = until,
    .arrival = arrival,
    .event = prewarm,
};
