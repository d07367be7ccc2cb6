/* provisioned.c - kept-warm (provisioned) instances of the serverless platform.
 *
 * A count, or a weekly schedule, of instances per function that never expire: they
 * are allocated and billed in the platform's blocks whether or not they serve, sit
 * apart from on-demand instances (a stack per function, taken first), and leave
 * idle ones first when the schedule drops, busy ones after their last request. */
#include <assert.h>

#include "serverless.h"

void prov_advance(struct serverless *p, sim_time t)
{
    sim_time a = p->prov_acct_ns > p->env.warmup_ns ? p->prov_acct_ns : p->env.warmup_ns;
    sim_time b = t < p->env.end_ns ? t : p->env.end_ns;
    if (b > a) {
        p->prov_busy_ns += (sim_time_sum)p->prov_busy_now * (b - a);
        p->prov_ns += (sim_time_sum)p->prov_now * (b - a);
    }
    if (t > p->prov_acct_ns)
        p->prov_acct_ns = t;
}

void prov_bill_segment(struct serverless *p, sim_time now)
{
    sim_time a = p->prov_since_ns > p->env.warmup_ns ? p->prov_since_ns : p->env.warmup_ns;
    sim_time b = now < p->env.end_ns ? now : p->env.end_ns;
    if (b > a && p->prov_level)
        provisioned_charge_allocation(&p->prov_meter, (uint64_t)p->prov_level * p->n_fn, b - a);
    p->prov_since_ns = now;
}

static void prov_retire(struct serverless *p, uint32_t i)
{
    struct instance *in = &p->inst[i];
    assert(in->state == INST_READY && in->active == 0);
    p->cold[in->fn].prov_live--;
    p->prov_now--;
    occupancy_add_idle(&p->occ, -1);
    instance_release(p, i);
}

/* Under the allocation rule (Azure Flex always-ready) a busy period is billed at
 * the provisioned execution rate, with the platform's minimum and rounding; under
 * the idle-rate rule (Cloud Run min instances) at the on-demand active rate. */
void prov_bill_busy(struct serverless *p, uint32_t i, sim_time t)
{
    sim_time len;
    switch (p->profile->provisioned_rule) {
    case PROVISIONED_IDLE_RATE:
        provisioned_note_busy(&p->prov_meter, bill_period(p, i, t));
        return;
    case PROVISIONED_ALLOCATION:
        if (measured_span(p, p->inst[i].bill_from_ns, t, &len))
            provisioned_charge_exec(&p->prov_meter, len);
        return;
    default:
        return;
    }
}

void prov_idle(struct serverless *p, uint32_t i, sim_time now, int served)
{
    struct instance *in = &p->inst[i];
    struct fn_cold *c = &p->cold[in->fn];
    if (served && p->meter.mode == BILLING_BUSY)
        prov_bill_busy(p, i, now);
    if (in->retiring) {
        in->prov = 0; /* already taken off prov_live */
        p->prov_now--;
        occupancy_add_idle(&p->occ, -1);
        instance_release(p, i);
        return;
    }
    uint32_t pos;
    if (idxset_add(&c->prov_idle, i, &pos))
        p->core.oom = 1;
}

void provision(struct serverless *p, sim_time now)
{
    uint32_t want = sched_count_at(&p->spec->provisioned, now);
    advance(p, now);
    if (want != p->prov_level) {
        prov_bill_segment(p, now);
        p->prov_level = want;
    }
    for (uint32_t fn = 0; fn < p->n_fn; fn++) {
        struct fn_cold *c = &p->cold[fn];
        while (c->prov_live < want) {
            /* New allocations take the platform's stated time to become warm; the
             * first allocation was made before the run. */
            sim_time ready = now == 0 ? 0 : p->profile->provisioned_ready_ns;
            uint32_t i = instance_start(p, fn, now, ready, 1);
            if (i == NONE)
                return;
        }
        while (c->prov_live > want && c->prov_idle.len)
            prov_retire(p, c->prov_idle.items[--c->prov_idle.len]);
        if (c->prov_live > want) /* the rest leave when their requests end */
            for (uint32_t i = 0; i < p->n_inst && c->prov_live > want; i++)
                if (p->inst[i].fn == fn && p->inst[i].prov && !p->inst[i].retiring &&
                    p->inst[i].state != INST_FREE) {
                    p->inst[i].retiring = 1;
                    c->prov_live--;
                }
    }
    sim_time next = sched_next_change(&p->spec->provisioned, now);
    if (next < p->env.end_ns)
        push_event(p, next, EV_PROVISION, 0);
}
