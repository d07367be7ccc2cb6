/* keepalive_histogram.c - the hybrid-histogram keep-alive (Serverless in the Wild)
 * on the serverless platform: each function learns its idle times (keepalive.c)
 * and every idle period gets its own window, so expiries sit in a min-heap. A
 * window that starts later unloads the instance at once and loads a new one just
 * before the next invocation is expected (EV_KEEPALIVE: the pre-warm). */
#include <stdio.h>

#include "idle.h"
#include "../base/yaml_get.h"

/* The policy learns each function's idle times: the platform counts its running
 * requests and the end of its last one (p->learns). */
static int init(struct serverless *p)
{
    p->exp_mode = EXP_HEAP;
    p->learns = 1;
    for (uint32_t fn = 0; fn < p->n_fn; fn++) {
        p->cold[fn].last_end_ns = -1;
        if (!(p->cold[fn].hist = ka_hist_create(&p->spec->keep_alive.hist)))
            return -1;
    }
    return 0;
}

static sim_time until(struct serverless *p, uint32_t fn, sim_time now)
{
    struct fn_cold *c = &p->cold[fn];
    struct ka_decision d = ka_hist_decide(c->hist);
    if (d.prewarm_ns > 0) {
        /* Unload now; load again just before the next invocation is expected. */
        push_event(p, sim_time_add(now, d.prewarm_ns), EV_KEEPALIVE, fn);
        c->pending_dies_ns = sim_time_add(sim_time_add(now, d.prewarm_ns), d.keep_alive_ns);
        return 0;
    }
    return sim_time_add(now, d.keep_alive_ns);
}

/* The idle time that ends with this arrival, if the function was idle. */
static void arrival(struct serverless *p, uint32_t fn, sim_time now)
{
    struct fn_cold *c = &p->cold[fn];
    if (c->running == 0 && c->last_end_ns >= 0)
        ka_hist_observe(c->hist, now - c->last_end_ns);
}

/* The pre-warm of function fn is due. */
static void prewarm(struct serverless *p, uint32_t fn, sim_time now)
{
    if (p->fn[fn].live - prov_live(p, fn) > 0 || now >= p->env.end_ns)
        return; /* an invocation came first */
    if (p->capacity_policy && !make_room(p, memory_of(p, fn), now))
        return;
    uint32_t i = instance_start(p, fn, now, coldstart_sample_ns(&p->coldstart, p->cold_rng), 0);
    if (i != NONE)
        p->inst[i].dies_ns = p->cold[fn].pending_dies_ns;
    if (now >= p->env.warmup_ns)
        p->res.prewarms++;
}

const struct keepalive_ops keepalive_histogram_ops = {
    .init = init,
    .until = until,
    .arrival = arrival,
    .event = prewarm,
};

/* hybrid-histogram: the parameters of keepalive.h's ka_hist_params, checked there. */
int keepalive_histogram_parse(struct slsim_error *err, const struct ynode *v, const char *kp,
                              const struct policy_row *row, struct serverless_spec *d)
{
    (void)row;
    char sub[KEY_MAX];
    const struct ynode *w;
    struct ka_hist_params *h = &d->keep_alive.hist;
    struct { const char *key; sim_time *out; } durs[] = {
        {"bin", &h->bin_ns}, {"range", &h->range_ns}, {"fallback", &h->fallback_ns}};
    for (size_t i = 0; i < sizeof durs / sizeof durs[0]; i++)
        if ((w = ytree_get(v, durs[i].key))) {
            cfg_path_join(sub, kp, durs[i].key);
            if (cfg_get_duration(err, w, sub, 0, durs[i].out))
                return -1;
        }
    struct { const char *key; double *out; } nums[] = {
        {"prewarm_percentile", &h->prewarm_pct}, {"keep_alive_percentile", &h->keep_alive_pct},
        {"margin", &h->margin}, {"cv_threshold", &h->cv_threshold},
        {"oob_fraction", &h->oob_fraction}, {"forecast_alpha", &h->forecast_alpha},
        {"forecast_margin", &h->forecast_margin}};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        if ((w = ytree_get(v, nums[i].key))) {
            cfg_path_join(sub, kp, nums[i].key);
            if (cfg_get_number(err, w, sub, nums[i].out))
                return -1;
        }
    if ((w = ytree_get(v, "min_samples"))) {
        cfg_path_join(sub, kp, "min_samples");
        if (cfg_get_u32_range(err, w, sub, 0, 1000000000, &h->min_samples))
            return -1;
    }
    if (ka_hist_params_check(h, kp, err) != 0) {
        err->line = v->line;
        err->column = v->column;
        snprintf(err->file, sizeof err->file, "%s", v->src);
        return -1;
    }
    return 0;
}
