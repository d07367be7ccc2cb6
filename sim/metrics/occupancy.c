/* occupancy.c - the timeline split and the end-of-run totals of occupancy.h. */
#include <stdlib.h>
#include <string.h>

#include "slsim/occupancy.h"

int occupancy_init(struct occupancy *o, sim_time warmup_ns, sim_time end_ns, sim_time step_ns,
                   struct slsim_error *err)
{
    memset(o, 0, sizeof *o);
    o->warmup_ns = warmup_ns;
    o->end_ns = end_ns;
    o->step_ns = step_ns;
    if (step_ns > 0) {
        o->n_tl = (size_t)((end_ns - warmup_ns + step_ns - 1) / step_ns);
        o->tl = calloc(o->n_tl ? o->n_tl : 1, sizeof *o->tl);
        if (!o->tl)
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory for the timeline");
    }
    return 0;
}

void occupancy_free(struct occupancy *o)
{
    free(o->tl);
    o->tl = NULL;
    o->n_tl = 0;
}

void occupancy_timeline_add(struct occupancy *o, sim_time a, sim_time b)
{
    while (a < b) {
        size_t row = (size_t)((a - o->warmup_ns) / o->step_ns);
        sim_time row_end = o->warmup_ns + (sim_time)(row + 1) * o->step_ns;
        sim_time e = b < row_end ? b : row_end;
        double dt = (double)(e - a);
        o->tl[row].busy_ns += o->n_busy * dt;
        o->tl[row].idle_ns += o->n_idle * dt;
        o->tl[row].init_ns += o->n_init * dt;
        a = e;
    }
}

int occupancy_finish(struct occupancy *o, struct deployment_result *r, struct slsim_error *err)
{
    occupancy_advance(o, o->end_ns);
    r->measured_s = (double)(o->end_ns - o->warmup_ns) / 1e9;
    r->busy_instance_s = o->busy_ns / 1e9;
    r->idle_instance_s = o->idle_ns / 1e9;
    r->init_instance_s = o->init_ns / 1e9;
    r->running_s = o->running_ns / 1e9;
    r->instance_s = r->busy_instance_s + r->idle_instance_s + r->init_instance_s;
    r->slot_s = r->instance_s * (r->slots ? r->slots : 1);
    r->instances_peak = o->peak;
    if (!o->tl)
        return 0;
    r->timeline = calloc(o->n_tl, sizeof *r->timeline);
    if (!r->timeline)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    r->n_timeline = o->n_tl;
    double cum = 0;
    for (size_t k = 0; k < o->n_tl; k++) {
        sim_time start = o->warmup_ns + (sim_time)k * o->step_ns;
        sim_time end = start + o->step_ns < o->end_ns ? start + o->step_ns : o->end_ns;
        double len = (double)(end - start);
        struct timeline_row *row = &r->timeline[k];
        row->start_ns = start;
        row->busy = o->tl[k].busy_ns / len;
        row->idle = o->tl[k].idle_ns / len;
        row->initializing = o->tl[k].init_ns / len;
        row->arrivals = o->tl[k].arrivals;
        row->cold_starts = o->tl[k].cold_starts;
        cum += o->tl[k].cost_usd;
        row->cost_usd = cum;
    }
    return 0;
}
