/* core.c - the execution core's setup and its queue's end (the per-request path is
 * inline in core.h). */
#include <assert.h>
#include <math.h>
#include <stdlib.h>

#include "core.h"
#include "llm_engine.h"

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
             : c->perf.kind == PERF_LLM  ? CORE_PERF_LLM
             : c->speed == 1.0           ? CORE_PERF_WORK
                                         : CORE_PERF_SCALED;
    c->llm = NULL;
    c->occ = occ;
    c->res = res;
    c->warmup_ns = warmup_ns;
    c->slo_ns = slo_ns;
    c->limit_ns = SIM_TIME_FOREVER;
    c->oom = 0;
}

int core_llm_begin(struct core *c, sim_time end_ns)
{
    if (c->how != CORE_PERF_LLM)
        return 0;
    if ((!c->res->llm && result_llm_alloc(c->res) != 0) ||
        !(c->llm = llm_engine_create(c->perf.llm, c->heap, c->complete_kind, c->occ, c->res,
                                     c->warmup_ns, end_ns)))
        return -1;
    return 0;
}

int core_llm_refuse(struct core *c, const struct request *r)
{
    return llm_engine_refuse(c->llm, r);
}

uint32_t core_llm_waiting(const struct core *c, uint32_t index)
{
    return llm_engine_waiting(c->llm, index);
}

double core_llm_kv_share(const struct core *c, uint32_t index)
{
    uint64_t blocks = c->perf.llm->kv_blocks * (c->perf.llm->dp ? c->perf.llm->dp : 1);
    return blocks ? (double)llm_engine_machine_blocks(c->llm, index) / (double)blocks : 0.0;
}

uint32_t core_share_owner(const struct core *c, uint32_t index)
{
    return c->how == CORE_PERF_LLM ? llm_engine_owner(c->llm, index) : index;
}

void core_destroy(struct core *c)
{
    llm_engine_destroy(c->llm);
    c->llm = NULL;
    perf_model_free(&c->perf);
    for (uint32_t i = 0; i < c->n_share; i++)
        free(c->share[i].jobs);
    free(c->share);
    c->share = NULL;
    c->n_share = 0;
}

/* ---- processor sharing -------------------------------------------------------- */

/* Instance index's sharing state, made on first use; NULL when out of memory. */
static struct core_share *share_of(struct core *c, uint32_t index)
{
    if (index >= c->n_share) {
        uint32_t cap = c->n_share;
        while (cap <= index)
            if (vec_grow32((void **)&c->share, &cap, sizeof *c->share, 16) != 0)
                return NULL;
        for (uint32_t k = c->n_share; k < cap; k++)
            c->share[k] = (struct core_share){.due_ns = SIM_TIME_FOREVER,
                                              .oldest_ns = SIM_TIME_FOREVER};
        c->n_share = cap;
    }
    return &c->share[index];
}

/* Bring s's virtual clock to t (>= s->t_ns): each of its n requests got rate x (t - t_ns). */
static void share_advance(const struct core *c, struct core_share *s, sim_time t)
{
    assert(t >= s->t_ns);
    if (s->n)
        s->v += c->perf.rate[s->n - 1] * (double)(t - s->t_ns);
    s->t_ns = t;
}

void core_share_reschedule(struct core *c, uint32_t index, sim_time now)
{
    if (c->how == CORE_PERF_LLM) {
        if (llm_engine_reschedule(c->llm, index, now) != 0)
            c->oom = 1;
        return;
    }
    struct core_share *s = &c->share[index];
    if (!s->n) {
        s->due_ns = SIM_TIME_FOREVER;
        s->v = 0; /* a fresh clock each busy period keeps v small, and exact */
        return;
    }
    double left = s->jobs[0].tag - s->v;
    sim_time due = now;
    if (left > 0)
        due = sim_time_add(now, (sim_time)ceil(left / c->perf.rate[s->n - 1]));
    /* the oldest request's timeout, when it comes first */
    if (c->limit_ns != SIM_TIME_FOREVER && sim_time_add(s->oldest_ns, c->limit_ns) < due)
        due = sim_time_add(s->oldest_ns, c->limit_ns);
    if (due < now)
        due = now;
    if (due == s->due_ns)
        return;
    s->due_ns = due;
    if (heap_push(c->heap, due, c->complete_kind, index) != 0)
        c->oom = 1;
}

void core_share_start(struct core *c, uint32_t index, const struct request *r, sim_time start_ns,
                      sim_time cold_ns, uint32_t flags)
{
    if (c->how == CORE_PERF_LLM) {
        if (llm_engine_add(c->llm, index, r, start_ns, cold_ns, flags) != 0)
            c->oom = 1;
        return;
    }
    struct core_share *s = share_of(c, index);
    if (!s || (s->n == s->cap && vec_grow32((void **)&s->jobs, &s->cap, sizeof *s->jobs, 4) != 0)) {
        c->oom = 1;
        return;
    }
    assert(s->n < c->perf.n_rate);
    share_advance(c, s, start_ns);
    struct core_job j = {s->v + (double)r->service_ns, *r, start_ns, cold_ns, flags, 0};
    core_jobs_up(s->jobs, s->n++, j);
    if (start_ns < s->oldest_ns)
        s->oldest_ns = start_ns;
    core_share_reschedule(c, index, start_ns);
}

int core_share_due(struct core *c, uint32_t index, sim_time now)
{
    if (c->how == CORE_PERF_LLM) {
        int due = llm_engine_due(c->llm, index, now);
        if (due < 0)
            c->oom = 1;
        return due > 0;
    }
    if (index >= c->n_share)
        return 0;
    struct core_share *s = &c->share[index];
    if (s->due_ns != now || !s->n)
        return 0;
    s->due_ns = SIM_TIME_FOREVER;
    share_advance(c, s, now);
    /* The event was due when v reached the first tag; rounding the due time up to the
     * ns makes v at least that, up to the rounding of the product above. Unless it
     * was due for a timeout instead. */
    int timeout = c->limit_ns != SIM_TIME_FOREVER && sim_time_add(s->oldest_ns, c->limit_ns) <= now;
    if (s->v < s->jobs[0].tag && !timeout)
        s->v = s->jobs[0].tag;
    return 1;
}

/* Take job k out of s's heap. */
static struct core_job share_remove(struct core_share *s, size_t k)
{
    struct core_job out = s->jobs[k], x = s->jobs[--s->n];
    if (k < s->n) {
        if (k > 0 && core_job_before(&x, &s->jobs[(k - 1) / 2]))
            core_jobs_up(s->jobs, k, x);
        else
            core_jobs_down_from(s->jobs, s->n, k, x);
    }
    return out;
}

/* The earliest start among s's jobs, found again after the oldest left. */
static void share_oldest(struct core_share *s)
{
    s->oldest_ns = SIM_TIME_FOREVER;
    for (uint32_t k = 0; k < s->n; k++)
        if (s->jobs[k].start_ns < s->oldest_ns)
            s->oldest_ns = s->jobs[k].start_ns;
}

int core_share_pop(struct core *c, uint32_t index, struct core_job *job)
{
    if (c->how == CORE_PERF_LLM)
        return llm_engine_pop(c->llm, index, job);
    struct core_share *s = &c->share[index];
    if (!s->n)
        return 0;
    if (s->jobs[0].tag <= s->v) {
        size_t len = s->n;
        *job = core_jobs_pop(s->jobs, &len);
        s->n = (uint32_t)len;
    } else if (c->limit_ns != SIM_TIME_FOREVER &&
               sim_time_add(s->oldest_ns, c->limit_ns) <= s->t_ns) {
        /* its work not done: cut off at the timeout, the rest share the instance */
        uint32_t k = 0;
        while (s->jobs[k].start_ns != s->oldest_ns)
            k++;
        *job = share_remove(s, k);
        job->late = 1;
    } else {
        return 0;
    }
    if (c->limit_ns != SIM_TIME_FOREVER && job->start_ns == s->oldest_ns)
        share_oldest(s);
    return 1;
}

void core_queue_drop_all(struct core *c, struct core_queue *q)
{
    while (q->len) {
        const struct request *r = core_queue_front(q);
        if (r->arrival_ns >= c->warmup_ns) {
            c->res->dropped++;
            result_note_refused(c->res, r->arrival_ns, r->function, 0);
        }
        core_queue_pop_front(q);
    }
}
