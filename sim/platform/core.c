/* core.c - the execution core's setup and its queue's end (the per-request path is
 * inline in core.h). */
#include "core.h"

void core_init(struct core *c, struct event_heap *heap, uint32_t complete_kind,
               const struct perf_ops *ops, double speed, uint32_t slots, struct occupancy *occ,
               struct deployment_result *res, sim_time warmup_ns, sim_time slo_ns)
{
    c->heap = heap;
    c->complete_kind = complete_kind;
    perf_model_init(&c->perf, ops);
    c->how = c->perf.kind != PERF_SCALED ? CORE_PERF_OPS
             : speed == 1.0              ? CORE_PERF_WORK
                                         : CORE_PERF_SCALED;
    c->inst = (struct perf_instance){speed, slots, 0, 0, NULL, NULL};
    c->occ = occ;
    c->res = res;
    c->warmup_ns = warmup_ns;
    c->slo_ns = slo_ns;
    c->oom = 0;
}

void core_queue_drop_all(struct core *c, struct core_queue *q)
{
    while (q->len) {
        if (core_queue_front(q)->arrival_ns >= c->warmup_ns)
            c->res->dropped++;
        core_queue_pop_front(q);
    }
}
