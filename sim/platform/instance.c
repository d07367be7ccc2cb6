/* instance.c - a serverless platform's pool of instance records: made, started,
 * released, and the billing of an instance's period (serverless.c routes requests to
 * them). */
#include <stdlib.h>
#include <string.h>

#include "serverless.h"

/* Busy and instance billing: charge instance i's period from its bill_from_ns to
 * t, clipped to the measured period. A kept-warm instance is billed by its
 * allocation, except its busy periods on a platform with an idle rate (Cloud Run
 * request-based min instances pay the active rate while serving). */
sim_time bill_period(struct serverless *p, uint32_t i, sim_time t)
{
    sim_time len;
    if (p->inst[i].prov && p->profile->provisioned_rule != PROVISIONED_IDLE_RATE)
        return 0;
    if (!measured_span(p, p->inst[i].bill_from_ns, t, &len))
        return 0;
    sim_time b = t < p->env.end_ns ? t : p->env.end_ns;
    sim_time a = b - len;
    bill_as(p, p->inst[i].fn);
    sim_time billed = billing_charge_period(&p->meter, len);
    if (billed && p->occ.tl) {
        struct occupancy_row *row = occupancy_row(&p->occ, b > a ? b - 1 : a);
        if (row)
            row->cost_usd += billing_duration_usd(&p->meter, billed);
    }
    return billed;
}

/* Room for more instances: the pool doubles, on a cache-line boundary so that each
 * record is one line. 0, or -1 when out of memory (the pool unchanged). */
static int instance_grow(struct serverless *p)
{
    if (p->cap_inst > (UINT32_MAX >> 2))
        return -1;
    uint32_t n = p->cap_inst ? 2 * p->cap_inst : 64;
    void *b;
    if (posix_memalign(&b, 64, (size_t)n * sizeof *p->inst) != 0)
        return -1;
    if (p->n_inst)
        memcpy(b, p->inst, (size_t)p->n_inst * sizeof *p->inst);
    free(p->inst);
    p->inst = b;
    p->cap_inst = n;
    p->prefetch = n >= PREFETCH_INSTANCES;
    return 0;
}

static uint32_t instance_new(struct serverless *p, uint32_t fn)
{
    uint32_t i;
    if (p->free_head != NONE) {
        i = p->free_head;
        p->free_head = p->inst[i].older;
    } else {
        if (p->n_inst == p->cap_inst && instance_grow(p)) {
            p->core.oom = 1;
            return NONE;
        }
        i = p->n_inst++;
        p->inst[i].gen = 0;
    }
    struct instance *in = &p->inst[i];
    uint32_t gen = in->gen;
    memset(in, 0, sizeof *in);
    in->gen = gen;
    in->fn = fn;
    in->birth = p->births++;
    in->dies_ns = SIM_TIME_FOREVER;
    p->fn[fn].live++;
    if (p->capacity_policy)
        p->used_bytes += memory_of(p, fn);
    return i;
}

uint32_t instance_start(struct serverless *p, uint32_t fn, sim_time now, sim_time cold, int prov)
{
    uint32_t i = instance_new(p, fn);
    if (i == NONE)
        return NONE;
    struct instance *in = &p->inst[i];
    in->state = INST_INIT;
    in->prov = (uint8_t)prov;
    in->ready_ns = sim_time_add(now, cold);
    in->bill_from_ns = p->meter.init_billed ? now : in->ready_ns;
    occupancy_add_init(&p->occ, 1);
    pool_move(p, fn, +1);
    if (prov) {
        p->prov_now++;
        p->cold[fn].prov_live++;
    }
    occupancy_note_peak(&p->occ, now);
    push_event(p, in->ready_ns, EV_READY, i);
    struct occupancy_row *row = occupancy_row(&p->occ, now);
    if (row)
        row->cold_starts++;
    return i;
}

void instance_release(struct serverless *p, uint32_t i)
{
    struct instance *in = &p->inst[i];
    p->fn[in->fn].live--;
    if (p->capacity_policy)
        p->used_bytes -= memory_of(p, in->fn);
    in->state = INST_FREE;
    in->older = p->free_head;
    p->free_head = i;
}
