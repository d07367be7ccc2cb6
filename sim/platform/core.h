/* core.h - the execution core every platform serves requests with.
 *
 * What a serverless instance and a dedicated machine have in common is written
 * here once: slots (an instance serves up to `slots` requests at once; the first
 * request taken makes an idle instance busy, the last one to complete makes it idle
 * again), a FIFO queue of waiting requests with an optional deadline, and the start
 * and completion of a request's execution: the deployment's performance model
 * (perf.h) says how long the work takes on the serving instance, the completion is
 * pushed on the engine's heap as the platform's own event kind. Where the model
 * fixes a duration at start, the request's latency (wait + cold start + execution) is
 * recorded the moment it starts and nothing of it is kept while it runs; under
 * processor sharing (core_share_*) the core keeps it until it completes.
 *
 * The platforms keep their own instance records and call these on them: which
 * instance takes a request, when instances come and go, and how they are billed
 * stay theirs. The per-request path is inline; processor sharing is in core.c. */
#ifndef SLSIM_PLATFORM_CORE_H
#define SLSIM_PLATFORM_CORE_H

#include "slsim/containers.h"
#include "slsim/deployment.h"
#include "slsim/engine.h"
#include "slsim/occupancy.h"
#include "slsim/perf.h"
#include "slsim/result.h"
#include "slsim/workload.h"

/* The per-request path (an arrival, a completion) is a few short steps in several
 * functions; inlined into the platform's two entry points, with the constants of
 * the warm path folded, it costs far fewer instructions than as calls, which the
 * compiler's own estimate does not always choose. GCC and Clang. */
#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* A FIFO of waiting requests (core_queue_push, _front, _pop_front, _free). */
RING_DEFINE(core_queue, struct request)

/* How core_start finds a duration: the work itself (speed exactly 1), the work over
 * a speed, both fixed at start and computed inline, or processor sharing. Decided
 * once, at core_init: testing the speed on every request instead costs 0.7% of the
 * probe's instructions. */
enum core_perf {
    CORE_PERF_WORK,   /* the work itself (speed exactly 1) */
    CORE_PERF_SCALED, /* the work over the model's speed */
    CORE_PERF_SHARED, /* processor sharing (core_share_*) */
    CORE_PERF_CALLER, /* fixed at start, at a speed the platform gives per request
                         (core_start_at): set by the platform after core_init */
    CORE_PERF_LLM,    /* an LLM's iteration-level scheduler (llm_engine.h), through the
                         core_share_* calls */
};

struct llm_engine; /* llm_engine.h */

/* ---- processor sharing (PERF_SHARED) -------------------------------------------
 *
 * With k requests in service on an instance, each progresses at rate[k - 1] (reference
 * ns of work per ns). The instance keeps a virtual clock v: the work each of its
 * requests has received since the instance was last empty. A request of work w
 * starting at v finishes when v reaches its tag v + w, so requests finish in tag order
 * whatever k does, and only the first completion needs an event: it is due at
 * now + (smallest tag - v) / rate[k - 1], rounded up to the ns, and is pushed again
 * whenever k changes (the superseded event is recognised by its time and ignored).
 * The latency of such a request is known only when it completes, so its job (the
 * request, when it started, and what the platform wants back) is kept until then:
 * memory is O(requests in service). */
struct core_job {
    double tag;           /* the instance's virtual clock at which it is done */
    struct request r;     /* the request */
    sim_time start_ns;    /* when its execution began */
    sim_time cold_ns;     /* the platform's: cold start its arrival caused */
    uint32_t flags;       /* the platform's */
    uint32_t late;        /* 1: cut off at the timeout (limit_ns) before its work was done */
};

static inline int core_job_before(const struct core_job *x, const struct core_job *y)
{
    return x->tag < y->tag;
}

HEAPQ_DEFINE(core_jobs, struct core_job, core_job_before)

struct core_share {
    double v;             /* virtual clock: work given to each request in service */
    sim_time t_ns;        /* when v was last brought up to date */
    sim_time due_ns;      /* the pending first-completion event's time; SIM_TIME_FOREVER: none */
    uint32_t n, cap;      /* jobs in service, room */
    sim_time oldest_ns;   /* the earliest start among them (SIM_TIME_FOREVER: none): the
                             first to reach the timeout */
    struct core_job *jobs;/* min-heap by tag, owned */
};

struct core {
    struct event_heap *heap;       /* the engine's heap, borrowed */
    uint32_t complete_kind;        /* the platform's completion event kind, kind_base included */
    enum core_perf how;            /* how durations are found */
    double speed;                  /* rate of a request alone on an instance */
    struct perf_model perf;        /* the deployment's performance model, owned */
    struct occupancy *occ;         /* the platform's instance counts, borrowed */
    struct deployment_result *res; /* the platform's result: latencies, served, drops */
    sim_time warmup_ns;            /* requests arriving before are not measured */
    sim_time slo_ns;               /* latency objective */
    sim_time limit_ns;             /* longest execution: one running longer completes (fails)
                                      here; SIM_TIME_FOREVER (core_init's): none */
    int oom;                       /* an allocation failed mid-run: the run is an error */
    struct core_share *share;      /* CORE_PERF_SHARED: per instance index, owned */
    uint32_t n_share;              /* instances with room in share */
    struct llm_engine *llm;        /* CORE_PERF_LLM: the instances' engines, owned */
};

/* c serves with performance model perf (taken over: core_destroy frees it), pushing
 * completions as event kind complete_kind on heap and counting into occ and res. */
void core_init(struct core *c, struct event_heap *heap, uint32_t complete_kind,
               struct perf_model *perf, struct occupancy *occ, struct deployment_result *res,
               sim_time warmup_ns, sim_time slo_ns);

/* For an LLM (CORE_PERF_LLM, after core_init): the statistics in res->llm and the
 * instances' engines, whose iteration time counts up to end_ns. 0 (and nothing for
 * another model), or -1 when out of memory. */
int core_llm_begin(struct core *c, sim_time end_ns);

/* CORE_PERF_LLM: 1 when request r can never be served (over the model's context),
 * counted as rejected; the platform then drops it. 0 otherwise. */
int core_llm_refuse(struct core *c, const struct request *r);

/* CORE_PERF_LLM: what a load-based autoscaler reads of instance index: requests
 * waiting in its engine, and the share of its KV-cache blocks in use, in [0, 1]. */
uint32_t core_llm_waiting(const struct core *c, uint32_t index);
double core_llm_kv_share(const struct core *c, uint32_t index);

/* Frees what c owns. */
void core_destroy(struct core *c);

/* An instance whose *active requests are counted takes one more: 1 when it was idle
 * and is now busy (the occupancy counts move), else 0. */
static inline int core_occupy(struct core *c, uint32_t *active)
{
    if ((*active)++ == 0) {
        occupancy_idle_to_busy(c->occ, 1);
        return 1;
    }
    return 0;
}

/* One of the instance's requests is done: 1 when it is now idle (the occupancy counts
 * move), else 0. Precondition: *active > 0. */
static inline int core_vacate(struct core *c, uint32_t *active)
{
    if (--*active == 0) {
        occupancy_idle_to_busy(c->occ, -1);
        return 1;
    }
    return 0;
}

/* The completion of an execution of d ns starting at start_ns: at its end, or at
 * the timeout (limit_ns) when it runs longer, which frees its slot then. */
static inline sim_time core_end_ns(const struct core *c, sim_time start_ns, sim_time d)
{
    return sim_time_add(start_ns, d > c->limit_ns ? c->limit_ns : d);
}

/* Request r starts executing at start_ns on instance `index` (a duration fixed at
 * start): its completion is pushed at start_ns + the model's duration, or at the
 * timeout (limit_ns) when that comes first. Returns the model's duration (in ns),
 * so that a caller sees a timed-out request as one longer than limit_ns. */
ALWAYS_INLINE sim_time core_start(struct core *c, uint32_t index, const struct request *r,
                                  sim_time start_ns)
{
    sim_time d = c->how == CORE_PERF_WORK ? r->service_ns : perf_scaled_ns(r->service_ns, c->speed);
    if (heap_push(c->heap, core_end_ns(c, start_ns, d), c->complete_kind, index) != 0)
        c->oom = 1;
    return d;
}

/* As core_start, at a speed of the caller's (a function's own memory, where a
 * platform's vCPUs follow memory) instead of the model's. */
static inline sim_time core_start_at(struct core *c, uint32_t index, const struct request *r,
                                     sim_time start_ns, double speed)
{
    sim_time d = perf_scaled_ns(r->service_ns, speed);
    if (heap_push(c->heap, core_end_ns(c, start_ns, d), c->complete_kind, index) != 0)
        c->oom = 1;
    return d;
}

/* CORE_PERF_SHARED and CORE_PERF_LLM: request r starts executing at start_ns on instance `index`
 * (start_ns may be ahead of now only on an instance with nothing in service, one
 * still starting); cold_ns and flags come back with it when it completes. The first
 * completion of the instance is rescheduled. Sets c->oom when out of memory. */
void core_share_start(struct core *c, uint32_t index, const struct request *r, sim_time start_ns,
                      sim_time cold_ns, uint32_t flags);

/* The instance a completion event's index belongs to: the index itself, or for an
 * LLM whose instances run several engines (data_parallel_size) the engine's instance;
 * core_share_due, _pop and _reschedule take the event's index. */
uint32_t core_share_owner(const struct core *c, uint32_t index);

/* CORE_PERF_SHARED and CORE_PERF_LLM, at a completion event of instance `index` at now: 1 when it is the
 * instance's pending one (then call core_share_pop until it returns 0, and
 * core_share_reschedule after), 0 when a later change superseded it (ignore it). */
int core_share_due(struct core *c, uint32_t index, sim_time now);

/* The next request of instance `index` done by now, or cut off at the timeout by now
 * (job->late), into *job: 1, or 0 when none is. */
int core_share_pop(struct core *c, uint32_t index, struct core_job *job);

/* Push instance `index`'s first completion anew if its requests or rates changed at now. */
void core_share_reschedule(struct core *c, uint32_t index, sim_time now);

/* A measured request was served with latency_ns (wait + cold start + execution):
 * recorded. 1 when it met the objective, 0 when it missed. */
static inline int core_record(struct core *c, sim_time latency_ns)
{
    histogram_record(&c->res->latency, latency_ns);
    c->res->served++;
    if (latency_ns <= c->slo_ns) {
        c->res->within_slo++;
        return 1;
    }
    return 0;
}

/* core_record for measured request r, which waited for a cold start its arrival
 * caused when cold is 1: also counted in the SLO misses with a cold start and in the
 * measurement windows it arrived in (result_note_served). */
static inline int core_record_request(struct core *c, const struct request *r,
                                      sim_time latency_ns, int cold)
{
    int within = core_record(c, latency_ns);
    result_note_served(c->res, r->arrival_ns, r->function, latency_ns, within, cold);
    return within;
}

/* Drop from the front of q every request that has waited max_wait_ns by now
 * (SIM_TIME_FOREVER: none ever does); measured ones count as dropped. */
static inline void core_queue_expire(struct core *c, struct core_queue *q, sim_time max_wait_ns,
                                     sim_time now)
{
    while (q->len && sim_time_add(core_queue_front(q)->arrival_ns, max_wait_ns) <= now) {
        const struct request *r = core_queue_front(q);
        if (r->arrival_ns >= c->warmup_ns) {
            c->res->dropped++;
            result_note_refused(c->res, r->arrival_ns, r->function, 0);
        }
        core_queue_pop_front(q);
    }
}

/* Take the first request of q that has not waited max_wait_ns by now into *r,
 * dropping the expired ones before it: 1, or 0 when none is left. */
static inline int core_queue_take(struct core *c, struct core_queue *q, sim_time max_wait_ns,
                                  sim_time now, struct request *r)
{
    core_queue_expire(c, q, max_wait_ns, now);
    if (!q->len)
        return 0;
    *r = *core_queue_front(q);
    core_queue_pop_front(q);
    return 1;
}

/* ---- dynamic batching (a fleet's and a serverless function's batcher) ---- */

/* How many of q's requests Triton's dynamic batcher sends at now with a machine free:
 * max_batch_size when that many wait, else the largest preferred size that can be
 * formed, else, once the oldest has waited max_queue_delay, all that wait; 0: none yet
 * (wait for more, or for the delay). Precondition: q is not empty. */
static inline uint32_t core_batch_size(const struct batching_spec *b, const struct core_queue *q,
                                       sim_time now)
{
    uint32_t len = q->len;
    if (len >= b->max_batch_size)
        return b->max_batch_size;
    for (uint32_t k = b->n_preferred; k-- > 0;)
        if (b->preferred[k] <= len)
            return b->preferred[k];
    if (sim_time_add(q->e[q->head & q->mask].arrival_ns, b->max_queue_delay_ns) <= now)
        return len;
    return 0;
}

/* The duration of a batch of q's first n requests under c's model: the model's time
 * at n (batch_ns) times the mean of their work over the model's mean, to the ns. */
static inline sim_time core_batch_ns(const struct core *c, struct core_queue *q, uint32_t n)
{
    const struct perf_model *pm = &c->perf;
    double work = 0;
    for (uint32_t k = 0; k < n; k++)
        work += (double)core_queue_at(q, k)->service_ns;
    double ratio = pm->mean_ns > 0 ? work / ((double)n * pm->mean_ns) : 1.0;
    return (sim_time)(pm->batch_ns[n - 1] * ratio + 0.5);
}

/* Drop every request still in q (measured ones count as dropped). */
void core_queue_drop_all(struct core *c, struct core_queue *q);

#endif
