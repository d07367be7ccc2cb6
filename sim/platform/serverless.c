/* serverless.c - a function-as-a-service platform: instances made on demand.
 *
 * An instance belongs to one function and is initializing (a cold start), busy
 * (serving at least one request) or idle (warm, serving nothing). A request of
 * function f goes, in this order, to a busy instance of f with a free slot
 * (packing, when concurrency > 1; under an autoscaler, autoscale.c, after the idle
 * ones instead, to spread load), to an idle provisioned
 * instance of f, to an idle on-demand instance of f chosen by `idle_pick`, to an
 * instance of f still starting with a free slot (it waits for that cold start), or
 * to a new instance: a cold start. A new instance needs room under `reserved`
 * (per function, as Lambda's reserved concurrency), a token of the scaling-rate
 * bucket, and room in the shared memory capacity of the evicting keep-alive
 * policies; lacking one, the request goes to the throttle mode: rejected, queued
 * (FIFO per function) or, with `retry`, tried again later with exponential backoff.
 *
 * Keep-alive. With one fixed keep-alive, idle instances expire in the order they
 * became idle, so that order (a function's idle list, or one ring over several
 * functions) needs no events: before anything happens at
 * time t, every instance whose keep-alive ended at or before t is retired at its
 * own expiry time (an arrival at exactly the expiry instant finds it gone). The
 * hybrid-histogram policy gives each idle period its own window, so its expiries
 * sit in a min-heap instead; greedy-dual and lru keep instances until memory is
 * needed, evicting the idle instance of least priority (idle.c).
 *
 * Provisioned instances (a count, or a weekly schedule) never expire; they are
 * billed while allocated, in the platform's blocks (provisioned.c). Warming pings
 * are short invocations that keep instances alive, billed apart; `warm_before`
 * tops up the live on-demand instances ahead of known peaks (warming.c).
 *
 * Where the performance model fixes a request's duration when it starts, its
 * latency is known then (wait + cold start + execution), so it is recorded then and
 * nothing per request is kept while it runs: memory is O(live instances + functions
 * + waiting requests). Under processor sharing (several requests on an instance's
 * vCPUs), a request is measured and billed when it completes, and the core keeps it
 * until then (core.h): O(requests in service) more. Requests still
 * running at the end are drained (their latency counts) but instance-time is
 * measured only up to the end. */
#include <assert.h>
#include <string.h>

#include "idle.h"

/* ---- slot sets (concurrency > 1) ---------------------------------------------- */

/* Keep instance i in set s exactly when want; *in says whether it is there. */
static inline void set_keep(struct serverless *p, struct idxset *s, uint32_t i, uint8_t *in,
                            int want)
{
    if (want && !*in) {
        if (idxset_add(s, i, &p->inst[i].pos)) {
            p->core.oom = 1;
            return;
        }
        *in = 1;
    } else if (!want && *in) {
        uint32_t pos = p->inst[i].pos;
        p->inst[idxset_remove(s, pos)].pos = pos;
        *in = 0;
    }
}

static inline void partial_update(struct serverless *p, uint32_t i, int plain)
{
    if (plain || !p->slots_many) /* an instance is idle or full: no partial set */
        return;
    struct instance *in = &p->inst[i];
    int want = in->state == INST_READY && in->active > 0 && in->active < p->concurrency &&
               !in->retiring;
    set_keep(p, &p->cold[in->fn].partial, i, &in->in_partial, want);
}

static inline void starting_update(struct serverless *p, uint32_t i)
{
    if (!p->slots_many) /* a starting instance's one slot is taken by its request */
        return;
    struct instance *in = &p->inst[i];
    int want = in->state == INST_INIT && in->active < p->concurrency && !in->prov;
    set_keep(p, &p->cold[in->fn].starting, i, &in->in_starting, want);
}

/* ---- instances ------------------------------------------------------------------ */

/* More live instances than a core's caches hold (PREFETCH_INSTANCES): the next
 * completion's instance is fetched into the cache now, while the engine pops its
 * heap, rather than when its event is handled (a miss on nearly every completion, a
 * quarter of the run at 100,000 instances).
 * Always inlined: GCC 12 takes a function whose only effect is a prefetch for one
 * without effects and drops its calls. */
ALWAYS_INLINE void prefetch_next(struct serverless *p)
{
    const struct event_heap *h = p->env.heap;
    if (h->len) {
        struct event next = heap_top(h);
        if (next.kind == EV_COMPLETE + p->env.kind_base)
            __builtin_prefetch(&p->inst[next.idx]);
    }
}

int instance_drain_one(struct serverless *p, uint32_t fn)
{
    struct fn_cold *c = &p->cold[fn];
    if (!p->slots_many || !c->partial.len)
        return 0;
    uint32_t i = c->partial.items[c->partial.len - 1];
    p->inst[i].retiring = 1;
    partial_update(p, i, 0);
    return 1;
}

uint32_t instance_scale_out(struct serverless *p, uint32_t fn, sim_time now)
{
    sim_time cold = coldstart_sample_ns(&p->coldstart, p->cold_rng);
    uint32_t i = instance_start(p, fn, now, cold, 0);
    if (i != NONE)
        starting_update(p, i); /* its free slots: requests may wait for it */
    return i;
}

/* ---- requests ----------------------------------------------------------------- */

/* Request r of instance i's function, which started executing at start_ns and runs
 * for exec ns, is measured and billed: its latency is recorded, its duration charged.
 * cold_ns is the cold start its arrival caused (0 if none); ping marks a warming ping
 * (billed apart, not measured). At the start of execution where its duration is
 * fixed then, at its completion under processor sharing. */
ALWAYS_INLINE void request_account(struct serverless *p, uint32_t i, const struct request *r,
                                   sim_time start_ns, sim_time exec, sim_time cold_ns, int ping,
                                   int plain)
{
    struct instance *in = &p->inst[i];
    uint32_t fn = in->fn;
    sim_time arrival_ns = r->arrival_ns;
    if (arrival_ns < p->env.warmup_ns)
        return;
    /* An init cut off at the platform's init timeout is retried inside this
     * invocation. Lambda's rule (AWS docs "Lambda execution environment lifecycle";
     * AWS Compute Blog "AWS Lambda standardizes billing for INIT Phase", 2025-04):
     * the timed-out INIT is billed as INIT (under init_billed and init_max, 10 s),
     * and the retried init runs in the Invoke phase, so it is billed as invocation
     * duration with the execution, uncapped, and counts toward the function timeout. */
    sim_time retried_ns = 0;
    if (cold_ns && p->retried_init) {
        retried_ns = coldstart_retried_ns(&p->coldstart, cold_ns);
        cold_ns -= retried_ns;
    }
    if (ping) {
        billing_charge_request(&p->warm_meter, exec + retried_ns, cold_ns);
        p->res.warming_pings++;
        return;
    }
    struct deployment_result *res = &p->res;
    /* Past the timeout the invocation fails there (its slot freed then: core.h's
     * limit_ns): an error, no latency recorded (an SLO miss, as a drop), never
     * retried, and billed up to the limit. */
    sim_time ran_ns = exec + retried_ns;
    if (ran_ns > p->timeout_ns) {
        ran_ns = p->timeout_ns;
        res->timed_out++;
        if (retried_ns)
            res->init_timeouts++;
        result_note_timed_out(res, r->arrival_ns, r->function, cold_ns != 0);
    } else {
        core_record_request(&p->core, r, start_ns - arrival_ns + exec, cold_ns != 0);
        p->fn[fn].served++;
    }
    sim_time billed;
    if (!plain)
        bill_as(p, fn);
    if (!plain && in->prov && p->profile->provisioned_rule == PROVISIONED_ALLOCATION) {
        /* The fee is on-demand's, outside any free grant (Azure: always-ready has no
         * free grants); the duration is billed at the provisioned rate, per request
         * here or per busy period in busy mode. */
        billing_charge_fee_kept_warm(&p->meter);
        billed = p->meter.mode == BILLING_REQUEST
                     ? provisioned_charge_exec(&p->prov_meter, ran_ns)
                     : 0;
    } else {
        billed = billing_charge_request(&p->meter, ran_ns, cold_ns);
    }
    if (!plain && p->occ.tl) {
        struct occupancy_row *row =
            occupancy_row(&p->occ, start_ns < p->env.end_ns ? start_ns : arrival_ns);
        if (row)
            row->cost_usd += p->profile->request.usd + billing_duration_usd(&p->meter, billed);
    }
}

/* request_begin's execution under processor sharing (measured and billed when it
 * completes) or at the function's own speed (its memory sets its vCPUs). */
static __attribute__((noinline)) void request_begin_other(struct serverless *p, uint32_t i,
                                                          const struct request *r,
                                                          sim_time start_ns, sim_time cold_ns,
                                                          int ping)
{
    if (p->core.how == CORE_PERF_SHARED || p->core.how == CORE_PERF_LLM) {
        core_share_start(&p->core, i, r, start_ns, cold_ns, (uint32_t)ping);
        return;
    }
    uint32_t fn = p->inst[i].fn;
    double speed = p->fn_speed && p->fn_speed[fn] > 0 ? p->fn_speed[fn] : p->core.speed;
    sim_time exec = core_start_at(&p->core, i, r, start_ns, speed);
    request_account(p, i, r, start_ns, exec, cold_ns, ping, 0);
}

/* A request r of instance i's function starts executing at start_ns; cold_ns is the
 * cold start its arrival caused (0 if none); ping marks a warming ping (billed
 * apart, not measured). Inline in the warm path of an arrival, where cold_ns and
 * ping are constants; request_start for the rest. */
ALWAYS_INLINE void request_begin(struct serverless *p, uint32_t i, const struct request *r,
                                 sim_time start_ns, sim_time cold_ns, int ping, int plain)
{
    struct instance *in = &p->inst[i];
    uint32_t fn = in->fn;
    if (!plain && p->hooks) {
        if (p->learns)
            p->cold[fn].running++;
        if (p->counts_uses)
            p->cold[fn].uses += 1.0;
        if (p->scales && in->state == INST_READY) /* a starting one's count at EV_READY */
            autoscale_change(p, fn, in->active, +1);
    }
    /* A slot is busy from the start of execution: requests on a starting instance
     * begin when it is ready (EV_READY counts them). */
    if (in->state == INST_READY)
        occupancy_add_running(&p->occ, 1);
    if (!plain && p->core.how >= CORE_PERF_SHARED) { /* one test for both: off the warm path */
        request_begin_other(p, i, r, start_ns, cold_ns, ping);
        return;
    }
    sim_time exec = core_start(&p->core, i, r, start_ns);
    request_account(p, i, r, start_ns, exec, cold_ns, ping, plain);
}

void request_start(struct serverless *p, uint32_t i, const struct request *r, sim_time start_ns,
                   sim_time cold_ns, int ping)
{
    request_begin(p, i, r, start_ns, cold_ns, ping, 0);
}

/* Instance i was idle or partly busy and takes one more request at now. */
ALWAYS_INLINE void take_slot(struct serverless *p, uint32_t i, sim_time now, int plain)
{
    struct instance *in = &p->inst[i];
    if (core_occupy(&p->core, &in->active)) {
        if (!plain)
            pool_move(p, in->fn, +1);
        if (!plain && in->prov)
            p->prov_busy_now++;
        if (p->meter.mode == BILLING_BUSY)
            in->bill_from_ns = now;
    }
    partial_update(p, i, plain);
}

/* A new instance of fn for request r at now: 1 when it started (or out of memory),
 * 0 when the cap, the scaling rate or the memory capacity refuse one. Out of line:
 * the warm path, inline in the arrival, stays short. */
static __attribute__((noinline)) int cold_start(struct serverless *p, uint32_t fn, const struct request *r, sim_time now,
                      int ping)
{
    /* Kept-warm instances count toward the cap: Lambda's provisioned concurrency is
     * part of the function's reserved concurrency; Cloud Run's min instances are
     * within its max instances. */
    if (instance_refused(p, fn))
        return 0;
    if (p->spec->scale_limited && !bucket_take(&p->cold[fn].bucket, now))
        return 0;
    if (p->capacity_policy && !make_room(p, memory_of(p, fn), now))
        return 0;
    sim_time cold = coldstart_sample_ns(&p->coldstart, p->cold_rng);
    uint32_t i = instance_start(p, fn, now, cold, 0);
    if (i == NONE)
        return 1;
    if (r->arrival_ns >= p->env.warmup_ns && !ping) {
        p->res.cold_starts++;
        p->res.coldstart_s += (double)cold / 1e9;
        if (coldstart_retried_ns(&p->coldstart, cold))
            p->res.init_retries++;
        p->fn[fn].cold_starts++;
    }
    p->inst[i].active = 1;
    starting_update(p, i);
    /* A retried init runs in the Invoke phase, under the function's timeout: the
     * execution has what it leaves. */
    sim_time retried = p->retried_init ? coldstart_retried_ns(&p->coldstart, cold) : 0;
    if (retried && p->timeout_ns != SIM_TIME_FOREVER)
        p->core.limit_ns = p->timeout_ns > retried ? p->timeout_ns - retried : 0;
    request_start(p, i, r, p->inst[i].ready_ns, cold, ping);
    p->core.limit_ns = p->timeout_ns;
    return 1;
}

/* try_start's body: inline in the arrival, where ping is 0. */
ALWAYS_INLINE int route(struct serverless *p, uint32_t fn, const struct request *r,
                                sim_time now, int ping, int plain)
{
    uint32_t i = NONE;
    struct fn_cold *c = &p->cold[fn];
    /* a busy instance with a free slot; where an autoscaler keeps spare instances,
     * an idle one first, so that load spreads over the instances it started */
    if (!plain && p->slots_many && c->partial.len &&
        !(p->scales && (p->fn[fn].idle_mru != NONE || (p->prov_on && c->prov_idle.len))))
        i = c->partial.items[c->partial.len - 1];
    else if (!plain && p->pool_on && pool_full(p, fn)) /* an idle instance would be one more busy */
        i = NONE;
    else if (!plain && p->prov_on && c->prov_idle.len) /* provisioned capacity first */
        i = c->prov_idle.items[--c->prov_idle.len];
    else if (p->fn[fn].idle_mru != NONE)
        i = idle_take_as(p, fn, plain);
    if (i != NONE) {
        take_slot(p, i, now, plain);
        request_begin(p, i, r, now, 0, ping, plain);
        return 1;
    }
    if (!plain && p->slots_many && c->starting.len) { /* wait for a cold start already under way */
        i = c->starting.items[c->starting.len - 1];
        p->inst[i].active++;
        starting_update(p, i);
        request_start(p, i, r, p->inst[i].ready_ns, 0, ping);
        return 1;
    }
    return cold_start(p, fn, r, now, ping);
}

int try_start(struct serverless *p, uint32_t fn, const struct request *r, sim_time now, int ping)
{
    return route(p, fn, r, now, ping, 0);
}

/* The trace's memory for function fn, rounded up to the platform's next memory
 * setting (a function needs at least what it used), and down to the largest when
 * it used more than any. The table is made when a trace first gives one. */
static void set_fn_memory(struct serverless *p, uint32_t fn, uint32_t memory_mb)
{
    if (!p->fn_memory && !(p->fn_memory = calloc(p->n_fn, sizeof *p->fn_memory))) {
        p->core.oom = 1;
        return;
    }
    p->fn_memory[fn] = catalog_memory_round_up(p->profile, (int64_t)memory_mb << 20);
    p->plain = 0; /* bill_as and each function's speed from now on */
    /* Where vCPUs follow memory (Lambda), the function's memory sets its speed. */
    if (p->memory_per_vcpu > 0) {
        if (!p->fn_speed && !(p->fn_speed = calloc(p->n_fn, sizeof *p->fn_speed))) {
            p->core.oom = 1;
            return;
        }
        p->fn_speed[fn] = perf_cpu_speed(p->env.model,
                                         (double)p->fn_memory[fn] / (double)p->memory_per_vcpu);
        p->core.how = CORE_PERF_CALLER; /* from now on each request asks its function's */
    }
}

/* The function a request calls, of the platform's n_fn. */
ALWAYS_INLINE uint32_t function_of(const struct serverless *p, const struct request *rq)
{
    return rq->function < p->n_fn ? rq->function : rq->function % p->n_fn;
}

/* Request rq arrives. plain: p->plain and rq carries no memory of its own (which
 * could change that). */
ALWAYS_INLINE void arrival_body(struct serverless *p, const struct request *rq, int plain)
{
    sim_time now = rq->arrival_ns;
    uint32_t fn = function_of(p, rq);
    if (!plain && rq->memory_mb && !p->fn[fn].live && !(p->fn_memory && p->fn_memory[fn]))
        set_fn_memory(p, fn, rq->memory_mb);
    expire_until(p, now);
    advance_as(p, now, plain);
    int measured = now >= p->env.warmup_ns;
    if (measured)
        p->res.requests++;
    if (!plain && p->occ.tl) {
        struct occupancy_row *row = occupancy_row(&p->occ, now);
        if (row)
            row->arrivals++;
    }
    if (!plain && p->hooks) {
        if (p->llm && core_llm_refuse(&p->core, rq))
            return; /* over the model's context: never served */
        if (p->batching) { /* the batcher's queue takes it */
            serverless_batch_arrival(p, fn, rq, now);
            return;
        }
        if (p->learns)
            p->ka->arrival(p, fn, now);
        if (p->scales)
            autoscale_arrival(p, fn, now);
    }
    if (!plain && p->prov_on && p->prov_level && measured &&
        !(p->slots_many && p->cold[fn].partial.len) && !p->cold[fn].prov_idle.len)
        p->res.spillovers++; /* every provisioned instance of f is busy */
    if (!route(p, fn, rq, now, 0, plain))
        p->throttle->throttled(p, fn, rq, now, 0);
    if (p->prefetch)
        prefetch_next(p);
}

static void on_arrival(void *self, const struct request *rq)
{
    arrival_body(self, rq, 0);
}

/* ---- events ----------------------------------------------------------------------- */

/* Instance i has no request left at now; served: it has just served one (else it
 * has just become ready without one). */
ALWAYS_INLINE void instance_idle(struct serverless *p, uint32_t i, sim_time now, int served,
                                 int plain)
{
    struct instance *in = &p->inst[i];
    if (!plain && in->prov) {
        prov_idle(p, i, now, served);
        return;
    }
    /* A busy period ends; an instance that started without a request bills its
     * start where starts are billed. */
    if (p->meter.mode == BILLING_BUSY && (served || p->meter.init_billed))
        bill_period(p, i, now);
    uint32_t fn = in->fn;
    sim_time dies;
    if (p->fixed_ka) {
        dies = keepalive_fixed_until(p, now);
    } else {
        /* a pre-warmed instance keeps the window it was loaded for */
        dies = in->dies_ns != SIM_TIME_FOREVER && in->dies_ns > now ? in->dies_ns
                                                                    : p->ka->until(p, fn, now);
        in->dies_ns = SIM_TIME_FOREVER;
    }
    if (dies <= now || (!plain && in->retiring)) { /* no keep-alive at all, a pre-warm
                                                     window follows, or the autoscaler
                                                     drained it */
        if (!plain && in->retiring)
            p->scale[fn].draining--;
        occupancy_add_idle(&p->occ, -1);
        if (p->meter.mode == BILLING_INSTANCE)
            bill_period(p, i, now);
        instance_release(p, i);
        return;
    }
    idle_add_as(p, i, fn, now, dies, plain);
}

/* A request of instance i completed at now. */
ALWAYS_INLINE void complete(struct serverless *p, uint32_t i, sim_time now, int plain)
{
    struct instance *in = &p->inst[i];
    assert(in->state == INST_READY && in->active > 0);
    assert(p->occ.n_running > 0);
    occupancy_add_running(&p->occ, -1);
    if (!plain && p->hooks) {
        if (p->scales)
            autoscale_change(p, in->fn, in->active, -1);
        if (p->learns) {
            struct fn_cold *c = &p->cold[in->fn];
            if (--c->running == 0)
                c->last_end_ns = now;
        }
    }
    if (!plain && p->waits && p->cold[in->fn].queue.len && !in->retiring &&
        p->throttle->slot_free(p, i, now))
        return;
    int idle = core_vacate(&p->core, &in->active);
    if (idle) {
        if (!plain)
            pool_move(p, in->fn, -1);
        if (!plain && in->prov)
            p->prov_busy_now--;
        partial_update(p, i, plain);
        instance_idle(p, i, now, 1, plain);
        if (!plain && p->pool_on && p->pool_waiters.len) /* a unit of the pool is free */
            pool_wake(p, now);
    } else {
        partial_update(p, i, plain);
    }
}

/* A completion event of instance i under processor sharing: every request done by
 * now is measured, billed and completed, and the instance's next completion is due
 * anew. Out of line: the fixed-duration path does not pay for it. */
void instance_batch_begin(struct serverless *p, uint32_t i, sim_time now)
{
    /* a batch takes the instance's one slot: utilisation is of batch slots */
    take_slot(p, i, now, 0);
    occupancy_add_running(&p->occ, 1);
}

void instance_batch_end(struct serverless *p, uint32_t i, sim_time now)
{
    struct instance *in = &p->inst[i];
    occupancy_add_running(&p->occ, -1);
    core_vacate(&p->core, &in->active);
    pool_move(p, in->fn, -1);
    if (in->prov)
        p->prov_busy_now--;
    instance_idle(p, i, now, 1, 0);
}

/* The completion event `idx` of sharing state idx (an LLM instance's engine): its
 * instance's requests done by now. */
static __attribute__((noinline)) void complete_shared(struct serverless *p, uint32_t idx,
                                                      sim_time now)
{
    uint32_t i = core_share_owner(&p->core, idx);
    if (!core_share_due(&p->core, idx, now))
        return; /* superseded by a later change of the instance's requests */
    uint64_t birth = p->inst[i].birth;
    struct core_job j;
    while (core_share_pop(&p->core, idx, &j)) {
        /* one cut off at the timeout ran past it: timed out, billed up to it */
        sim_time exec = j.late ? p->timeout_ns + 1 : now - j.start_ns;
        request_account(p, i, &j.r, j.start_ns, exec, j.cold_ns, (int)j.flags, 0);
        complete(p, i, now, 0);
        /* Its last request done, the instance may have been retired and its record
         * (and sharing state) taken at once by an instance started for a waiting
         * request (the account pool's or the queue's): that one's requests and
         * completion are its own, already scheduled from its start. */
        if (p->inst[i].state != INST_FREE && p->inst[i].birth != birth)
            return;
    }
    core_share_reschedule(&p->core, idx, now);
}

/* Event e is due. plain: p->plain, for its completions. */
ALWAYS_INLINE void event_body(struct serverless *p, const struct event *e, int plain)
{
    sim_time now = e->t_ns;
    uint32_t kind = e->kind - p->env.kind_base;
    expire_until(p, now);
    advance_as(p, now, plain);
    if (kind == EV_COMPLETE) { /* most events: tested before the switch's table */
        complete(p, e->idx, now, plain);
        if (p->prefetch)
            prefetch_next(p);
        return;
    }
    switch (kind) {
    case EV_READY: {
        uint32_t i = e->idx;
        struct instance *in = &p->inst[i];
        assert(in->state == INST_INIT);
        in->state = INST_READY;
        occupancy_add_init(&p->occ, -1);
        starting_update(p, i);
        occupancy_add_running(&p->occ, (int32_t)in->active);
        for (uint32_t k = 1; p->scales && k <= in->active; k++)
            autoscale_change(p, in->fn, k, +1);
        if (in->active) {
            occupancy_add_busy(&p->occ, 1);
            if (in->prov)
                p->prov_busy_now++;
            partial_update(p, i, 0);
        } else {
            occupancy_add_idle(&p->occ, 1);
            pool_move(p, in->fn, -1);
            instance_idle(p, i, now, 0, 0);
            if (p->pool_waiters.len)
                pool_wake(p, now);
            if (p->batching)
                serverless_batch_dispatch(p, in->fn, now);
        }
        return;
    }
    case EV_KEEPALIVE:
        p->ka->event(p, e->idx, now);
        return;
    case EV_PROVISION:
        provision(p, now);
        return;
    case EV_WARM:
    case EV_WARM_AHEAD:
        warming_event(p, kind, e->idx, now);
        return;
    case EV_TOKEN:
    case EV_RETRY:
        p->throttle->event(p, e->idx, now);
        return;
    case EV_SHARED:
        complete_shared(p, e->idx, now);
        return;
    case EV_BATCH_DONE:
    case EV_BATCH_TIMER:
    case EV_SCALE_OUT:
        serverless_batch_event(p, kind, e->idx, now);
        return;
    }
}

static void on_event(void *self, const struct event *e)
{
    event_body(self, e, 0);
}

/* With many functions, request k of a block fetches what later requests will touch
 * first, each a cache miss otherwise: the function record of request k + 2 x
 * PREFETCH_AHEAD, and the most recently idle instance of request k + PREFETCH_AHEAD's
 * function (its record fetched a while ago). Reads only: a record that changes
 * before its request arrives costs a miss, never a different result. */
ALWAYS_INLINE void prefetch_block(const struct serverless *p, const struct request *r,
                                  size_t k, size_t n)
{
    if (k + 2 * PREFETCH_AHEAD < n)
        __builtin_prefetch(&p->fn[function_of(p, &r[k + 2 * PREFETCH_AHEAD])]);
    if (k + PREFETCH_AHEAD < n) {
        uint32_t i = p->fn[function_of(p, &r[k + PREFETCH_AHEAD])].idle_mru;
        if (i != NONE)
            __builtin_prefetch(&p->inst[i]);
    }
}

/* The run loop's block of requests: each after the events due by its arrival, with
 * both bodies inline in one loop, twice: for a plain deployment (p->plain) with the
 * features it lacks compiled out, and for any other. */
/* Every event of p due at or before t (an event and an arrival at the same instant:
 * the event first). */
ALWAYS_INLINE void drain_until(struct serverless *p, struct event_heap *h, sim_time t, int plain)
{
    while (h->len && heap_top_time(h) <= t) {
        struct event e = heap_pop(h);
        event_body(p, &e, plain);
    }
}

static void on_arrivals(void *self, const struct request *r, size_t n)
{
    struct serverless *p = self;
    struct event_heap *h = p->env.heap;
    for (size_t k = 0; k < n; k++) {
        if (p->prefetch_fn)
            prefetch_block(p, r, k, n);
        if (p->plain) {
            drain_until(p, h, r[k].arrival_ns, 1);
            if (!r[k].memory_mb) {
                arrival_body(p, &r[k], 1);
                continue;
            }
        } else {
            drain_until(p, h, r[k].arrival_ns, 0);
        }
        arrival_body(p, &r[k], 0); /* a request with memory of its own may end plain */
    }
}

const struct platform_ops serverless_ops = {
    .arrival = on_arrival,
    .event = on_event,
    .arrivals = on_arrivals,
    .finish = serverless_finish,
    .destroy = serverless_destroy,
};
