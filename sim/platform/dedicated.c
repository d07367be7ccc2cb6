/* dedicated.c - a fleet of machines with slots and one FIFO queue.
 *
 * `count` machines of a catalog instance type each serve `slots` requests at once;
 * a request takes a free slot or waits in a FIFO queue (beyond `max_queue` waiting
 * requests it is dropped). Execution takes the model's service time divided by the
 * machine's `speed`. The fleet is up from the start and billed for every second a
 * machine exists (rounded, with the instance type's minimum), whether or not it
 * serves. With `slots: 1` and Poisson arrivals this is the M/G/c queue, and with
 * exponential service Erlang-C's M/M/c, which the tests check it against.
 *
 * Autoscaling follows target tracking: every `interval` the slot utilisation of the
 * last interval is compared with `target` and the fleet is resized to
 * ceil(up x utilisation / target), within [min, max]; or, with a load metric, the
 * requests waiting or an LLM's KV-cache blocks in use, sampled at the evaluation, to
 * ceil(total / target) (see load_total). New machines serve after
 * `boot` (and are billed from launch); surplus machines are retired idle ones first,
 * busy ones after their last request (draining); after any change nothing changes
 * for `cooldown`.
 *
 * With `batching` (Triton's dynamic batcher) the queue feeds machines batches rather
 * than requests: see "dynamic batching" below.
 *
 * Which free slot a request takes does not change the queue (every slot is alike),
 * so the last machine to have a slot free is used: O(1) and cache-friendly. Slots,
 * the queue and a request's execution are the execution core's (core.h), with the
 * machine's speed as the performance model's instance speed. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/occupancy.h"
#include "slsim/platform.h"

#include "core.h"

enum {
    EV_COMPLETE = 1,
    EV_BOOTED = 2,
    EV_SCALE = 3,
    EV_SHARED = 4, /* processor sharing */
    EV_BATCH = 5,  /* the oldest waiting request has waited max_queue_delay */
};
enum { M_FREE, M_BOOTING, M_UP, M_DRAINING };
#define NONE UINT32_MAX

struct machine {
    sim_time launched_ns; /* billed from here */
    uint32_t active;      /* requests executing on it */
    uint32_t pos;         /* index in the free-slot set while in it */
    uint32_t next_free;   /* pool free list */
    uint32_t batch;       /* batching: requests in the batch it runs (0: none) */
    uint8_t state;        /* M_FREE, M_BOOTING, M_UP, M_DRAINING */
    uint8_t in_free;      /* in the free-slot set */
};

struct dedicated {
    const struct fleet_spec *fleet;
    const struct instance_type *type;
    struct platform_env env;
    struct machine_meter meter;
    uint32_t slots;
    struct core core; /* slots, queue, execution */

    struct machine *m; /* pool */
    uint32_t n_m, cap_m, free_head;
    struct idxset free_set; /* machines that are up with a free slot */
    struct core_queue queue; /* requests waiting for a slot */
    uint32_t n_up, n_booting, n_draining;

    /* autoscaling: unclipped integrals since the start */
    sim_time as_t;
    sim_time_sum as_running_ns, as_capacity_ns;
    sim_time_sum as_last_running, as_last_capacity;
    sim_time last_change_ns;

    uint64_t misses; /* measured requests dropped or started too late for the SLO */

    /* dynamic batching (batching.c's rule, Triton's dynamic batcher) */
    const struct batching_spec *batch; /* NULL: off */
    sim_time batch_timer_ns;            /* the pending EV_BATCH's time, SIM_TIME_FOREVER: none */

    struct occupancy occ;
    struct deployment_result res;
};

/* A measured request missed the SLO; past the allowance the run can stop (sizing). */
static inline void note_miss(struct dedicated *p)
{
    if (++p->misses > p->env.miss_limit && p->env.stop)
        *p->env.stop = 1;
}

static inline void as_advance(struct dedicated *p, sim_time t)
{
    if (!p->fleet->autoscale.enabled || t <= p->as_t)
        return;
    sim_time dt = t - p->as_t;
    p->as_running_ns += (sim_time_sum)p->occ.n_running * dt;
    p->as_capacity_ns += (sim_time_sum)p->slots * (p->n_up + p->n_draining) * dt;
    p->as_t = t;
}

static inline void advance(struct dedicated *p, sim_time t)
{
    as_advance(p, t);
    occupancy_advance(&p->occ, t);
}

static void free_set_update(struct dedicated *p, uint32_t i)
{
    struct machine *m = &p->m[i];
    int want = m->state == M_UP && m->active < p->slots;
    if (want && !m->in_free) {
        if (idxset_add(&p->free_set, i, &m->pos)) {
            p->core.oom = 1;
            return;
        }
        m->in_free = 1;
    } else if (!want && m->in_free) {
        p->m[idxset_remove(&p->free_set, m->pos)].pos = m->pos;
        m->in_free = 0;
    }
}

static uint32_t machine_launch(struct dedicated *p, sim_time now, int booting)
{
    uint32_t i;
    if (p->free_head != NONE) {
        i = p->free_head;
        p->free_head = p->m[i].next_free;
    } else {
        if (p->n_m == p->cap_m && vec_grow32((void **)&p->m, &p->cap_m, sizeof *p->m, 16)) {
            p->core.oom = 1;
            return NONE;
        }
        i = p->n_m++;
    }
    struct machine *m = &p->m[i];
    memset(m, 0, sizeof *m);
    m->launched_ns = now;
    if (booting) {
        m->state = M_BOOTING;
        p->n_booting++;
        occupancy_add_init(&p->occ, 1);
        if (heap_push(p->env.heap, sim_time_add(now, p->fleet->autoscale.boot_ns),
                      EV_BOOTED + p->env.kind_base, i) != 0)
            p->core.oom = 1;
    } else {
        m->state = M_UP;
        p->n_up++;
        occupancy_add_idle(&p->occ, 1);
        free_set_update(p, i);
    }
    occupancy_note_peak(&p->occ, now);
    return i;
}

/* Machine i leaves the fleet at now: bill its life within the measured period. */
static void machine_retire(struct dedicated *p, uint32_t i, sim_time now)
{
    struct machine *m = &p->m[i];
    assert(m->active == 0);
    switch (m->state) {
    case M_BOOTING:
        p->n_booting--;
        occupancy_add_init(&p->occ, -1);
        break;
    case M_UP:
        p->n_up--;
        occupancy_add_idle(&p->occ, -1);
        break;
    case M_DRAINING:
        p->n_draining--;
        occupancy_add_idle(&p->occ, -1);
        break;
    }
    m->state = M_FREE;
    free_set_update(p, i); /* leaves the free-slot set, if it was there */
    sim_time a = m->launched_ns > p->env.warmup_ns ? m->launched_ns : p->env.warmup_ns;
    sim_time b = now < p->env.end_ns ? now : p->env.end_ns;
    machine_charge(&p->meter, b - a);
    m->next_free = p->free_head;
    p->free_head = i;
}

/* Request r, which arrived at r->arrival_ns, finished at done_ns: measured. */
static void request_account(struct dedicated *p, const struct request *r, sim_time done_ns)
{
    if (p->core.oom || r->arrival_ns < p->env.warmup_ns)
        return;
    if (!core_record_request(&p->core, r, done_ns - r->arrival_ns, 0))
        note_miss(p);
}

/* Request r starts on machine i at now: measured now where its duration is fixed at
 * start, when it completes under processor sharing. */
static void request_start(struct dedicated *p, uint32_t i, const struct request *r, sim_time now)
{
    struct machine *m = &p->m[i];
    core_occupy(&p->core, &m->active);
    occupancy_add_running(&p->occ, 1);
    free_set_update(p, i);
    if (p->core.how == CORE_PERF_SHARED || p->core.how == CORE_PERF_LLM) {
        core_share_start(&p->core, i, r, now, 0, 0);
        return;
    }
    sim_time exec = core_start(&p->core, i, r, now);
    request_account(p, r, now + exec);
}

/* ---- dynamic batching --------------------------------------------------------------
 *
 * Triton's dynamic batcher: the fleet's one queue feeds its machines, each running one
 * batch at a time. A batch is sent as soon as max_batch_size requests, or a preferred
 * size, can be formed and a machine is free (the largest such size); once the oldest
 * request has waited max_queue_delay the largest batch available (up to
 * max_batch_size) is sent; with max_queue_delay 0 a free machine takes what is there
 * at once. The batch's time is the performance model's time at its size (batch_ns)
 * times the mean of its requests' work over the model's mean: each request keeps its
 * variability. The batch completes together; each request's latency is known when the
 * batch starts and is recorded then. */

/* Machine i runs the n requests at the queue's front as one batch from now. */
static void batch_start(struct dedicated *p, uint32_t i, uint32_t n, sim_time now)
{
    struct machine *m = &p->m[i];
    sim_time d = core_batch_ns(&p->core, &p->queue, n);
    /* a batch takes the machine's one slot: utilisation is of batch slots */
    core_occupy(&p->core, &m->active);
    m->batch = n;
    occupancy_add_running(&p->occ, 1);
    free_set_update(p, i);
    if (heap_push(p->core.heap, sim_time_add(now, d), p->core.complete_kind, i) != 0)
        p->core.oom = 1;
    sim_time done = sim_time_add(now, d);
    uint32_t measured = 0;
    for (uint32_t k = 0; k < n; k++) {
        const struct request *r = core_queue_front(&p->queue);
        if (r->arrival_ns >= p->env.warmup_ns) {
            measured++;
            batch_stats_request(&p->res.batch, r->arrival_ns, now, done);
        }
        request_account(p, r, done);
        core_queue_pop_front(&p->queue);
    }
    if (measured) /* a batch of the measured period */
        batch_stats_batch(&p->res.batch, n, now, done, p->env.end_ns);
}

/* Send what the batcher's rule sends at now, while machines are free; then, when a
 * request waits with a machine free, the timer for its max_queue_delay. Timers fire
 * before arrivals at the same instant (the engine runs events first). */
static void batch_dispatch(struct dedicated *p, sim_time now)
{
    const struct batching_spec *b = p->batch;
    while (p->queue.len && p->free_set.len) {
        uint32_t n = core_batch_size(b, &p->queue, now);
        if (!n)
            break;
        batch_start(p, p->free_set.items[p->free_set.len - 1], n, now);
    }
    if (p->queue.len && p->free_set.len) {
        sim_time due = sim_time_add(core_queue_front(&p->queue)->arrival_ns,
                                    b->max_queue_delay_ns);
        if (due != p->batch_timer_ns) {
            p->batch_timer_ns = due;
            if (heap_push(p->core.heap, due, EV_BATCH + p->env.kind_base, 0) != 0)
                p->core.oom = 1;
        }
    }
}

/* Batching: take r into the queue if a machine is free or fewer than queue_limit
 * requests wait, and max_queue_size allows. */
static int batch_take(struct dedicated *p, const struct request *r, uint32_t queue_limit)
{
    sim_time now = r->arrival_ns;
    uint32_t bound = p->batch->max_queue_size;
    if ((!p->free_set.len && p->queue.len >= queue_limit) || (bound && p->queue.len >= bound))
        return 0;
    advance(p, now);
    if (now >= p->env.warmup_ns)
        p->res.requests++;
    if (core_queue_push(&p->queue, *r))
        p->core.oom = 1;
    batch_dispatch(p, now);
    struct occupancy_row *row = occupancy_row(&p->occ, now);
    if (row)
        row->arrivals++;
    return 1;
}

/* The machine with a free slot that takes the next request: the last of the free set
 * (machines fill up in turn), or for an LLM the least loaded (fewest requests, then
 * the lowest index), as a load balancer in front of vLLM servers spreads them: an
 * engine's iterations slow with every sequence it runs. */
static uint32_t pick_free(const struct dedicated *p)
{
    const struct idxset *f = &p->free_set;
    if (p->core.how != CORE_PERF_LLM)
        return f->items[f->len - 1];
    uint32_t best = f->items[0];
    for (uint32_t k = 1; k < f->len; k++) {
        uint32_t i = f->items[k];
        if (p->m[i].active < p->m[best].active ||
            (p->m[i].active == p->m[best].active && i < best))
            best = i;
    }
    return best;
}

/* Take r if a slot is free or fewer than queue_limit requests wait. */
static int take(struct dedicated *p, const struct request *r, uint32_t queue_limit)
{
    if (p->batch)
        return batch_take(p, r, queue_limit);
    sim_time now = r->arrival_ns;
    int measured = now >= p->env.warmup_ns;
    if (p->core.how == CORE_PERF_LLM && core_llm_refuse(&p->core, r)) {
        /* over the model's context: never served, and not for an overflow either */
        advance(p, now);
        if (measured)
            p->res.requests++;
    } else if (p->free_set.len) {
        advance(p, now);
        if (measured)
            p->res.requests++;
        request_start(p, pick_free(p), r, now);
    } else if (p->queue.len < queue_limit) {
        advance(p, now);
        if (measured) {
            p->res.requests++;
            p->res.queued++;
        }
        if (core_queue_push(&p->queue, *r))
            p->core.oom = 1;
    } else {
        return 0;
    }
    struct occupancy_row *row = occupancy_row(&p->occ, now);
    if (row)
        row->arrivals++;
    return 1;
}

int dedicated_offer(void *self, const struct request *r, uint32_t queue_limit)
{
    struct dedicated *p = self;
    uint32_t limit = p->fleet->max_queue < queue_limit ? p->fleet->max_queue : queue_limit;
    return take(p, r, limit);
}

static void on_arrival(void *self, const struct request *r)
{
    struct dedicated *p = self;
    if (take(p, r, p->fleet->max_queue))
        return;
    advance(p, r->arrival_ns);
    if (r->arrival_ns >= p->env.warmup_ns) {
        p->res.requests++;
        p->res.dropped++;
        result_note_refused(&p->res, r->arrival_ns, r->function, 0);
        if (p->batch) /* max_queue_size reached (a hybrid's base overflows instead) */
            p->res.batch.queue_rejected++;
        note_miss(p);
    }
    struct occupancy_row *row = occupancy_row(&p->occ, r->arrival_ns);
    if (row)
        row->arrivals++;
}

/* Machine i has a free slot at now: give it queued work while it has room. */
static void serve_queue(struct dedicated *p, uint32_t i, sim_time now)
{
    while (p->queue.len && p->m[i].state == M_UP && p->m[i].active < p->slots) {
        struct request r = *core_queue_front(&p->queue);
        core_queue_pop_front(&p->queue);
        request_start(p, i, &r, now);
    }
}

/* A load metric summed over the fleet at now (Kubernetes' HPA with a per-replica
 * target: desired = ceil(current x mean / target), machines still booting counting 0
 * as HPA counts pods not yet ready when it scales out, so ceil(total / target)):
 * AUTOSCALE_QUEUE, the requests in the fleet's queue and, for an LLM, those waiting
 * in the engine of each machine up (vLLM's num_requests_waiting); AUTOSCALE_KV_CACHE,
 * the shares of KV-cache blocks in use of the machines up, each in [0, 1] (vLLM's
 * gpu_cache_usage_perc). Draining machines are leaving and not counted. O(machines). */
static double load_total(const struct dedicated *p, enum autoscale_metric metric)
{
    double total = metric == AUTOSCALE_QUEUE ? (double)p->queue.len : 0.0;
    if (p->core.how != CORE_PERF_LLM)
        return total;
    for (uint32_t i = 0; i < p->n_m; i++)
        if (p->m[i].state == M_UP)
            total += metric == AUTOSCALE_QUEUE ? (double)core_llm_waiting(&p->core, i)
                                               : core_llm_kv_share(&p->core, i);
    return total;
}

static void autoscale(struct dedicated *p, sim_time now)
{
    const struct autoscale_spec *a = &p->fleet->autoscale;
    if (now >= p->env.end_ns) /* the drain after the end changes nothing */
        return;
    if (
        heap_push(p->env.heap, sim_time_add(now, a->interval_ns), EV_SCALE + p->env.kind_base, 0) != 0)
        p->core.oom = 1;
    double run = (double)(p->as_running_ns - p->as_last_running);
    double cap = (double)(p->as_capacity_ns - p->as_last_capacity);
    p->as_last_running = p->as_running_ns;
    p->as_last_capacity = p->as_capacity_ns;
    int util_metric = a->metric == AUTOSCALE_UTILIZATION;
    if (now - p->last_change_ns < a->cooldown_ns || (util_metric && cap <= 0))
        return;
    uint32_t current = p->n_up + p->n_booting;
    double want = util_metric ? ceil((double)p->n_up * (run / cap) / a->target - 1e-9)
                              : ceil(load_total(p, a->metric) / a->target - 1e-9);
    uint32_t desired = want < a->min ? a->min : want > a->max ? a->max : (uint32_t)want;
    if (desired == current)
        return;
    p->last_change_ns = now;
    for (; current < desired; current++)
        machine_launch(p, now, 1);
    /* Shrink: cancel boots, then retire idle machines, then drain busy ones. */
    for (uint32_t i = 0; i < p->n_m && current > desired; i++)
        if (p->m[i].state == M_BOOTING) {
            machine_retire(p, i, now);
            current--;
        }
    for (uint32_t i = 0; i < p->n_m && current > desired; i++)
        if (p->m[i].state == M_UP && p->m[i].active == 0) {
            machine_retire(p, i, now);
            current--;
        }
    for (uint32_t i = 0; i < p->n_m && current > desired; i++)
        if (p->m[i].state == M_UP) {
            p->m[i].state = M_DRAINING;
            p->n_up--;
            p->n_draining++;
            free_set_update(p, i);
            current--;
        }
}

/* A request of machine i completed at now. */
static void complete(struct dedicated *p, uint32_t i, sim_time now)
{
    struct machine *m = &p->m[i];
    if (m->batch) { /* a whole batch is done */
        occupancy_add_running(&p->occ, -1);
        m->batch = 0;
        core_vacate(&p->core, &m->active);
        if (m->state == M_DRAINING) {
            machine_retire(p, i, now);
            return;
        }
        free_set_update(p, i);
        batch_dispatch(p, now);
        return;
    }
    occupancy_add_running(&p->occ, -1);
    core_vacate(&p->core, &m->active);
    if (m->state == M_DRAINING) {
        if (m->active == 0)
            machine_retire(p, i, now);
        return;
    }
    free_set_update(p, i);
    serve_queue(p, i, now);
}

static void on_event(void *self, const struct event *e)
{
    struct dedicated *p = self;
    sim_time now = e->t_ns;
    uint32_t i = e->idx;
    advance(p, now);
    switch (e->kind - p->env.kind_base) {
    case EV_COMPLETE:
        complete(p, i, now);
        return;
    case EV_SHARED: {
        /* i is the sharing state's (an LLM machine's engine); m its machine */
        uint32_t m = core_share_owner(&p->core, i);
        if (!core_share_due(&p->core, i, now))
            return; /* superseded by a later change of the machine's requests */
        struct core_job j;
        while (core_share_pop(&p->core, i, &j)) {
            request_account(p, &j.r, now);
            complete(p, m, now);
        }
        core_share_reschedule(&p->core, i, now);
        return;
    }
    case EV_BOOTED:
        /* A boot a scale-in cancelled still has its event: its machine is gone, or was
         * launched again later (a slot of the pool is reused) and boots by its own. */
        if (p->m[i].state != M_BOOTING ||
            now != sim_time_add(p->m[i].launched_ns, p->fleet->autoscale.boot_ns))
            return;
        p->m[i].state = M_UP;
        p->n_booting--;
        p->n_up++;
        occupancy_add_init(&p->occ, -1);
        occupancy_add_idle(&p->occ, 1);
        free_set_update(p, i);
        if (p->batch)
            batch_dispatch(p, now);
        else
            serve_queue(p, i, now);
        return;
    case EV_SCALE:
        autoscale(p, now);
        return;
    case EV_BATCH:
        if (now == p->batch_timer_ns)
            p->batch_timer_ns = SIM_TIME_FOREVER;
        batch_dispatch(p, now);
        return;
    }
}

static int on_finish(void *self, struct deployment_result *out, struct slsim_error *err)
{
    struct dedicated *p = self;
    if (p->core.oom)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "out of memory while simulating deployment \"%s\"",
                               p->res.name);
    assert(p->queue.len == 0);
    advance(p, p->env.end_ns);
    for (uint32_t i = 0; i < p->n_m; i++)
        if (p->m[i].state != M_FREE) {
            sim_time a = p->m[i].launched_ns > p->env.warmup_ns ? p->m[i].launched_ns
                                                               : p->env.warmup_ns;
            machine_charge(&p->meter, p->env.end_ns - a);
        }
    /* The timeline's cost follows machine-time; the total keeps the rounding. */
    double usd_per_ns = p->type->hourly.usd * p->meter.factor / 3.6e12;
    for (size_t k = 0; k < p->occ.n_tl; k++)
        p->occ.tl[k].cost_usd =
            (double)(p->occ.tl[k].busy_ns + p->occ.tl[k].idle_ns + p->occ.tl[k].init_ns) *
            usd_per_ns;
    struct deployment_result *r = &p->res;
    r->slots = p->slots;
    if (occupancy_finish(&p->occ, r, err) != 0)
        return -1;
    r->cost.instances_usd = machine_usd(&p->meter, p->meter.billed_ns);
    r->billed_ms = (double)p->meter.billed_ns / 1e6;
    *out = *r;
    r->timeline = NULL;
    r->windows = NULL; /* out has them */
    return 0;
}

static void on_destroy(void *self)
{
    struct dedicated *p = self;
    if (!p)
        return;
    free(p->m);
    core_destroy(&p->core);
    idxset_free(&p->free_set);
    core_queue_free(&p->queue);
    occupancy_free(&p->occ);
    free(p->res.windows);
    free(p);
}

void *dedicated_create(const char *name, const struct fleet_spec *fleet,
                       const struct platform_env *env,
                       struct slsim_error *err)
{
    const struct instance_type *type = catalog_find_instance(env->catalog, fleet->instance);
    if (!type) {
        slsim_error_set(err, env->file, 0, 0, NULL, "unknown instance type \"%s\"",
                        fleet->instance);
        return NULL;
    }
    if (fleet->count == 0) {
        slsim_error_set(err, env->file, 0, 0, NULL,
                        "deployment \"%s\": count: auto was not resolved before the run",
                        name);
        return NULL;
    }
    double off = 0.0;
    const struct discount *disc = fleet->discount[0]
                                      ? catalog_find_discount(env->catalog, fleet->discount)
                                      : NULL;
    if (disc)
        off = disc->off;
    struct dedicated *p = calloc(1, sizeof *p);
    if (!p) {
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    p->fleet = fleet;
    p->type = type;
    p->env = *env;
    p->slots = fleet->slots;
    p->free_head = NONE;
    p->batch = fleet->batching.max_batch_size ? &fleet->batching : NULL;
    p->batch_timer_ns = SIM_TIME_FOREVER;
    machine_meter_init(&p->meter, type, off);
    result_init(&p->res);
    if (result_windows_init(&p->res, env->slo)) {
        on_destroy(p);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(p->res.name, sizeof p->res.name, "%s", name);
    snprintf(p->res.platform, sizeof p->res.platform, "%s", type->name);
    p->res.type = DEPLOYMENT_DEDICATED;
    p->res.batch.on = p->batch != NULL;
    p->res.memory_bytes = type->memory_bytes;
    struct perf_model perf;
    if (fleet_perf_build(err, fleet, env->model, env->catalog, &perf) != 0) {
        on_destroy(p);
        return NULL;
    }
    core_init(&p->core, env->heap, (perf.kind == PERF_FIXED ? EV_COMPLETE : EV_SHARED) + env->kind_base,
              &perf, &p->occ, &p->res, env->warmup_ns, env->slo->latency_ns);
    if (core_llm_begin(&p->core, env->end_ns) != 0) {
        on_destroy(p);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    if (occupancy_init(&p->occ, env->warmup_ns, env->end_ns, env->timeline_step_ns, err) != 0) {
        on_destroy(p);
        return NULL;
    }
    for (uint32_t k = 0; k < fleet->count; k++)
        machine_launch(p, 0, 0);
    if (fleet->autoscale.enabled &&
        heap_push(env->heap, fleet->autoscale.interval_ns, EV_SCALE + env->kind_base, 0) != 0)
        p->core.oom = 1;
    if (p->core.oom) {
        on_destroy(p);
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        return NULL;
    }
    return p;
}

const struct platform_ops dedicated_ops = {
    .arrival = on_arrival,
    .event = on_event,
    .finish = on_finish,
    .destroy = on_destroy,
};
