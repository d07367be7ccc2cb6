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
    o->slow = 1;
    o->at_ns = warmup_ns < end_ns ? warmup_ns : end_ns;
    if (step_ns > 0) {
        /* Not (len + step - 1) / step: a step as long as the clock would overflow. */
        sim_time len = end_ns - warmup_ns;
        o->n_tl = (size_t)(len / step_ns + (len % step_ns != 0));
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
        sim_time row_start = o->warmup_ns + (sim_time)row * o->step_ns;
        sim_time e = b - row_start < o->step_ns ? b : row_start + o->step_ns;
        sim_time dt = e - a;
        o->tl[row].busy_ns += (sim_time_sum)o->n_busy * dt;
        o->tl[row].idle_ns += (sim_time_sum)o->n_idle * dt;
        o->tl[row].init_ns += (sim_time_sum)o->n_init * dt;
        a = e;
    }
}

void occupancy_advance_slow(struct occupancy *o, sim_time t)
{
    sim_time a = o->acct_ns > o->warmup_ns ? o->acct_ns : o->warmup_ns;
    sim_time b = t < o->end_ns ? t : o->end_ns;
    if (b > a) {
        if (!o->started) {
            o->started = 1;
            uint32_t live = o->n_init + o->n_busy + o->n_idle;
            if (live > o->peak)
                o->peak = live;
        }
        if (o->tl)
            occupancy_timeline_add(o, a, b);
    }
    o->acct_ns = t;
    sim_time c = t > o->warmup_ns ? t : o->warmup_ns;
    o->at_ns = c < o->end_ns ? c : o->end_ns;
    o->slow = !o->started || o->tl;
}

/* The area of a count now n whose changes summed to sum (occupancy.h). */
static sim_time_sum area(const struct occupancy *o, uint32_t n, sim_time_sum sum)
{
    return (sim_time_sum)n * o->end_ns - sum;
}

int occupancy_finish(struct occupancy *o, struct deployment_result *r, struct slsim_error *err)
{
    occupancy_advance(o, o->end_ns);
    r->measured_s = (double)(o->end_ns - o->warmup_ns) / 1e9;
    sim_time_sum busy_ns = area(o, o->n_busy, o->busy_sum);
    sim_time_sum init_ns = area(o, o->n_init, o->init_sum);
    sim_time_sum idle_ns = area(o, o->n_init + o->n_busy + o->n_idle, o->live_sum) - busy_ns -
                           init_ns;
    r->busy_instance_s = sim_time_sum_s(busy_ns);
    r->idle_instance_s = sim_time_sum_s(idle_ns);
    r->init_instance_s = sim_time_sum_s(init_ns);
    r->running_s = sim_time_sum_s(area(o, o->n_running, o->running_sum));
    sim_time_sum instance_ns = busy_ns + idle_ns + init_ns;
    r->instance_s = sim_time_sum_s(instance_ns);
    r->slot_s = sim_time_sum_s(instance_ns * (r->slots ? r->slots : 1));
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
        sim_time end = o->end_ns - start > o->step_ns ? start + o->step_ns : o->end_ns;
        double len = (double)(end - start);
        struct timeline_row *row = &r->timeline[k];
        row->start_ns = start;
        row->busy = (double)o->tl[k].busy_ns / len;
        row->idle = (double)o->tl[k].idle_ns / len;
        row->initializing = (double)o->tl[k].init_ns / len;
        row->arrivals = o->tl[k].arrivals;
        row->cold_starts = o->tl[k].cold_starts;
        row->llm_seq_s = o->tl[k].llm_seq_s; /* s: the timeline writer divides it by the interval */
        cum += o->tl[k].cost_usd;
        row->cost_usd = cum;
    }
    return 0;
}
