/* run.c - the run loop, and running many independent simulations.
 *
 * The loop merges two time-ordered sources: the workload's next request and the
 * platform's earliest event. An event and an arrival at the same instant: the
 * event goes first, so a slot freed at t can serve a request arriving at t.
 * Arrivals stop at the scenario's end; events go on until the heap is empty, so
 * every measured request is served, throttled or dropped (the drain). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/engine.h"
#include "slsim/platform.h"
#include "slsim/run.h"
#include "slsim/workload.h"

/* run_deployment, reporting progress every 2^18 requests when asked to. With stop
 * (sizing's probes), the run ends as soon as the platform sets *stop, and out is
 * then left empty. */
static int run_one(const struct scenario *s, size_t d, uint32_t replication,
                   sim_time timeline_step_ns, const struct run_options *opt, size_t slot,
                   int *stop, uint64_t miss_limit, struct deployment_result *out,
                   struct slsim_error *err)
{
    struct event_heap heap;
    heap_init(&heap);
    struct platform_env env = {
        .heap = &heap,
        .catalog = s->catalog,
        .model = &s->model,
        .file = s->path,
        .warmup_ns = s->warmup_ns,
        .end_ns = s->duration_ns,
        .timeline_step_ns = timeline_step_ns,
        .slo = &s->slo,
        .seed = s->seed,
        .replication = replication,
        .stop = stop,
        .miss_limit = miss_limit,
    };
    struct workload *w = workload_create(&s->workload, &s->model.service, s->seed, replication,
                                         s->duration_ns, err);
    if (!w)
        return -1;
    env.functions = workload_functions(w);
    const struct platform_ops *ops = NULL;
    void *plat = platform_create(&s->deployments[d], &env, &ops, err);
    if (!plat) {
        workload_destroy(w);
        heap_destroy(&heap);
        return -1;
    }
    struct request rq;
    int have = workload_next(w, &rq);
    uint64_t requests = 0;
    for (;;) {
        if (stop && *stop)
            break;
        if (have > 0 && rq.arrival_ns < heap_top_time(&heap)) {
            ops->arrival(plat, &rq);
            have = workload_next(w, &rq);
            if ((++requests & 0x3FFFF) == 0 && opt && opt->progress)
                opt->progress(opt->progress_ctx, slot, workload_progress(w), requests);
        } else if (heap.len) {
            struct event e = heap_pop(&heap);
            ops->event(plat, &e);
        } else if (have > 0) {
            ops->arrival(plat, &rq);
            have = workload_next(w, &rq);
        } else {
            break;
        }
    }
    if (have < 0 || (stop && *stop)) { /* a malformed trace row met mid-replay, or cut short */
        int rc = have < 0 ? -1 : 0;
        if (rc)
            *err = *workload_error(w);
        ops->destroy(plat);
        workload_destroy(w);
        heap_destroy(&heap);
        return rc;
    }
    result_init(out);
    int rc = ops->finish(plat, out, err);
    out->trace_rows_skipped = workload_skipped(w);
    ops->destroy(plat);
    workload_destroy(w);
    heap_destroy(&heap);
    return rc;
}

int run_deployment(const struct scenario *s, size_t d, uint32_t replication,
                   sim_time timeline_step_ns, struct deployment_result *out,
                   struct slsim_error *err)
{
    return run_one(s, d, replication, timeline_step_ns, NULL, 0, NULL, 0, out, err);
}

int run_deployment_until_misses(const struct scenario *s, size_t d, uint32_t replication,
                                uint64_t miss_limit, int *cut, struct deployment_result *out,
                                struct slsim_error *err)
{
    *cut = 0;
    return run_one(s, d, replication, 0, NULL, 0, cut, miss_limit, out, err);
}

uint64_t run_measured_requests(const struct scenario *s, uint32_t replication,
                               struct slsim_error *err)
{
    struct workload *w = workload_create(&s->workload, &s->model.service, s->seed, replication,
                                         s->duration_ns, err);
    if (!w)
        return UINT64_MAX;
    struct request rq;
    uint64_t n = 0;
    int have;
    while ((have = workload_next(w, &rq)) > 0)
        n += rq.arrival_ns >= s->warmup_ns;
    if (have < 0)
        *err = *workload_error(w);
    workload_destroy(w);
    return have < 0 ? UINT64_MAX : n;
}

struct job_pool {
    const struct scenario *s;
    const struct run_options *opt;
    struct deployment_result *results;
    struct slsim_error *errs;
    int *rcs;
    size_t n;
    atomic_size_t next;
};

static void *worker(void *arg)
{
    struct job_pool *jp = arg;
    for (;;) {
        size_t k = atomic_fetch_add(&jp->next, 1);
        if (k >= jp->n)
            return NULL;
        size_t d = k % jp->s->n_deployments;
        uint32_t rep = (uint32_t)(k / jp->s->n_deployments);
        jp->rcs[k] = run_one(jp->s, d, rep, rep == 0 ? jp->opt->timeline_step_ns : 0, jp->opt,
                             k, NULL, 0, &jp->results[k], &jp->errs[k]);
        if (jp->opt->progress)
            jp->opt->progress(jp->opt->progress_ctx, k, 1.0, 0);
    }
}

int run_scenario(const struct scenario *s, const struct run_options *opt,
                 struct run_output *out, struct slsim_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = s->n_deployments * s->replications;
    struct job_pool jp = {.s = s, .opt = opt, .n = n};
    atomic_init(&jp.next, 0);
    jp.results = calloc(n, sizeof *jp.results);
    jp.errs = calloc(n, sizeof *jp.errs);
    jp.rcs = calloc(n, sizeof *jp.rcs);
    if (!jp.results || !jp.errs || !jp.rcs) {
        free(jp.results);
        free(jp.errs);
        free(jp.rcs);
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    unsigned jobs = opt->jobs ? opt->jobs : 1;
    if (jobs > n)
        jobs = (unsigned)n;
    pthread_t *th = calloc(jobs, sizeof *th);
    unsigned started = 0;
    if (th)
        for (; started + 1 < jobs; started++)
            if (pthread_create(&th[started], NULL, worker, &jp) != 0)
                break;
    worker(&jp); /* the calling thread works too */
    for (unsigned t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    free(th);
    int rc = 0;
    for (size_t k = 0; k < n; k++)
        if (jp.rcs[k] != 0) {
            *err = jp.errs[k];
            rc = -1;
            break;
        }
    if (rc != 0) {
        for (size_t k = 0; k < n; k++)
            if (jp.rcs[k] == 0)
                result_free(&jp.results[k]);
        free(jp.results);
    } else {
        out->n_deployments = s->n_deployments;
        out->replications = s->replications;
        out->results = jp.results;
    }
    free(jp.errs);
    free(jp.rcs);
    return rc;
}

void run_output_free(struct run_output *out)
{
    size_t n = out->n_deployments * out->replications;
    for (size_t k = 0; k < n; k++)
        result_free(&out->results[k]);
    free(out->results);
    memset(out, 0, sizeof *out);
}

sim_time run_default_timeline_step(const struct scenario *s)
{
    static const sim_time steps[] = {
        SIM_NS_PER_S,           10 * SIM_NS_PER_S,      60 * SIM_NS_PER_S,
        300 * SIM_NS_PER_S,     900 * SIM_NS_PER_S,     3600 * SIM_NS_PER_S,
        6 * 3600 * SIM_NS_PER_S, 86400 * SIM_NS_PER_S,
    };
    sim_time span = s->duration_ns - s->warmup_ns;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (span / steps[i] <= 2000)
            return steps[i];
    return span / 2000 + 1;
}
