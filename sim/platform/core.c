/* core.c - the execution core's setup and its queue's end (the per-request path is
 * inline in core.h). */
#include "core.h"

void core_init(struct core *c, struct event_heap *heap, uint32_t complete_kind,
               struct perf_model *perf, struct occupancy *occ, struct deployment_result *res,
               sim_time warmup_ns, sim_time slo_ns)
{
    c->heap = heap;
    c->complete_kind = complete_kind;
    c->perf = *perf;
    *perf = (struct perf_model){0};
    c->speed = c->perf.speed;
    c->how = c->perf.kind == PERF_SHARED ? CORE_PERF_SHARED
             : c->speed == 1.0           ? CORE_PERF_WORK
                                         : CORE_PERF_SCALED;
    c->occ = occ;
    c->res = res;
    c->warmup_ns = warmup_ns;
    c->slo_ns = slo_ns;
    c->oom = 0;
}

void core_destroy(struct core *c)
{
    perf_model_free(&c->perf);
}

void core_queue_drop_all(struct core *c, struct core_queue *q)
{
    while (q->len) {
        if (core_queue_front(q)->arrival_ns >= c->warmup_ns)
            c->res->dropped++;
        core_queue_pop_front(q);
    }
}
