/* run.c - the run loop, and running many independent simulations.
 *
 * The loop merges two time-ordered sources: the workload's next request and the
 * platform's earliest event. An event and an arrival at the same instant: the
 * event goes first, so a slot freed at t can serve a request arriving at t.
 * Arrivals stop at the scenario's end; events go on until the heap is empty, so
 * every measured request is served, throttled or dropped (the drain). */
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "slsim/engine.h"
#include "slsim/platform.h"
#include "slsim/run.h"
#include "slsim/workload.h"

/* Deployment dep of s for one replication, reporting progress every 2^18 requests
 * when asked to. With stop (sizing's probes), the run ends as soon as the platform
 * sets *stop, and out is then left empty. */
static int run_one(const struct scenario *s, const struct deployment_spec *dep,
                   uint32_t replication, sim_time timeline_step_ns, run_progress_fn progress,
                   void *progress_ctx, size_t slot, int *stop, uint64_t miss_limit,
                   struct deployment_result *out, struct slsim_error *err)
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
    void *plat = platform_create(dep, &env, &ops, err);
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
            if ((++requests & 0x3FFFF) == 0 && progress)
                progress(progress_ctx, slot, workload_progress(w), requests);
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
    return run_one(s, &s->deployments[d], replication, timeline_step_ns, NULL, NULL, 0, NULL, 0,
                   out, err);
}

int run_deployment_until_misses(const struct scenario *s, size_t d, uint32_t replication,
                                uint64_t miss_limit, int *cut, struct deployment_result *out,
                                struct slsim_error *err)
{
    *cut = 0;
    return run_one(s, &s->deployments[d], replication, 0, NULL, NULL, 0, cut, miss_limit, out,
                   err);
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

int trial_run(const struct trial *t, run_progress_fn progress, void *progress_ctx, size_t slot,
              struct trial_record *out, struct trial_record *tiers,
              struct trial_timeline *timeline, struct slsim_error *err)
{
    struct scenario at;
    const struct scenario *s = t->s;
    if (t->duty_cycle > 0) {
        at = trial_scenario_at(t->s, t->duty_cycle);
        s = &at;
    }
    struct deployment_spec dep = trial_deployment(t);
    struct deployment_result r;
    if (run_one(s, &dep, t->replication, t->timeline_step_ns, progress, progress_ctx, slot, NULL,
                0, &r, err) != 0)
        return -1;
    if (r.n_tiers != trial_tiers(dep.type)) {
        size_t got = r.n_tiers;
        result_free(&r);
        return slsim_error_set(err, NULL, 0, 0, NULL, "deployment %s gave %zu tiers", dep.name,
                               got);
    }
    trial_flatten(&r, &s->slo, out, tiers);
    if (timeline && t->timeline_step_ns > 0)
        trial_take_timeline(&r, timeline);
    result_free(&r);
    return 0;
}

const struct trial_record *run_output_part(const struct run_output *out, uint32_t rep, size_t d,
                                           size_t tier)
{
    const struct trial_record *r = &out->results[(size_t)rep * out->n_deployments + d];
    return tier ? &out->tiers[r->first_tier + tier - 1] : r;
}

/* Where each (replication, deployment)'s tier records go: fixed by the deployments'
 * types, so the layout is the same whatever ran first. Returns the count. */
static size_t tier_layout(const struct scenario *s, struct trial_record *results)
{
    size_t next = 0;
    for (uint32_t rep = 0; rep < s->replications; rep++)
        for (size_t d = 0; d < s->n_deployments; d++) {
            struct trial_record *r = &results[(size_t)rep * s->n_deployments + d];
            r->first_tier = next;
            next += trial_tiers(s->deployments[d].type);
        }
    return next;
}

struct run_jobs {
    const struct scenario *s;
    const struct run_options *opt;
    struct run_output *out;
};

static int run_job(void *ctx, size_t k, struct slsim_error *err)
{
    struct run_jobs *rj = ctx;
    size_t nd = rj->s->n_deployments;
    uint32_t rep = (uint32_t)(k / nd);
    struct trial t = {.s = rj->s,
                      .deployment = k % nd,
                      .replication = rep,
                      .timeline_step_ns = rep == 0 ? rj->opt->timeline_step_ns : 0};
    struct trial_record *r = &rj->out->results[k];
    size_t first = r->first_tier;
    struct trial_timeline *tl = rj->out->timelines && rep == 0 ? &rj->out->timelines[k] : NULL;
    int rc = trial_run(&t, rj->opt->progress, rj->opt->progress_ctx, k, r,
                       rj->out->tiers ? &rj->out->tiers[first] : NULL, tl, err);
    r->first_tier = first;
    if (rj->opt->progress)
        rj->opt->progress(rj->opt->progress_ctx, k, 1.0, 0);
    return rc;
}

int run_scenario(const struct scenario *s, const struct run_options *opt,
                 struct run_output *out, struct slsim_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = s->n_deployments * s->replications;
    out->n_deployments = s->n_deployments;
    out->replications = s->replications;
    out->results = calloc(n ? n : 1, sizeof *out->results);
    size_t n_tiers = out->results ? tier_layout(s, out->results) : 0;
    if (n_tiers)
        out->tiers = calloc(n_tiers, sizeof *out->tiers);
    if (opt->timeline_step_ns > 0)
        out->timelines = calloc(s->n_deployments ? s->n_deployments : 1,
                                sizeof *out->timelines);
    if (!out->results || (n_tiers && !out->tiers) ||
        (opt->timeline_step_ns > 0 && !out->timelines)) {
        run_output_free(out);
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    struct run_jobs rj = {s, opt, out};
    if (jobs_run(n, opt->jobs, 0, run_job, &rj, err) != 0) {
        run_output_free(out);
        return -1;
    }
    return 0;
}

void run_output_free(struct run_output *out)
{
    if (out->timelines)
        for (size_t d = 0; d < out->n_deployments; d++)
            trial_timeline_free(&out->timelines[d]);
    free(out->timelines);
    free(out->results);
    free(out->tiers);
    memset(out, 0, sizeof *out);
}

/* A copy of rows[0..n), or NULL when there are none. */
static struct timeline_row *copy_rows(const struct timeline_row *rows, size_t n, int *oom)
{
    if (!n)
        return NULL;
    struct timeline_row *c = malloc(n * sizeof *c);
    if (!c)
        *oom = 1;
    else
        memcpy(c, rows, n * sizeof *c);
    return c;
}

int run_output_from_results(struct run_output *out, const struct slo_spec *slo,
                            const struct deployment_result *r, size_t n_deployments,
                            uint32_t replications)
{
    memset(out, 0, sizeof *out);
    size_t n = n_deployments * replications, n_tiers = 0;
    int oom = 0;
    for (size_t k = 0; k < n; k++)
        n_tiers += r[k].n_tiers < TRIAL_MAX_TIERS ? r[k].n_tiers : TRIAL_MAX_TIERS;
    out->n_deployments = n_deployments;
    out->replications = replications;
    out->results = calloc(n ? n : 1, sizeof *out->results);
    out->tiers = n_tiers ? calloc(n_tiers, sizeof *out->tiers) : NULL;
    out->timelines = calloc(n_deployments ? n_deployments : 1, sizeof *out->timelines);
    if (!out->results || (n_tiers && !out->tiers) || !out->timelines) {
        run_output_free(out);
        return -1;
    }
    for (size_t k = 0, next = 0; k < n; k++) {
        struct deployment_result x = r[k]; /* a view: the tiers beyond the limit left out */
        if (x.n_tiers > TRIAL_MAX_TIERS)
            x.n_tiers = TRIAL_MAX_TIERS;
        trial_flatten(&x, slo, &out->results[k], out->tiers ? &out->tiers[next] : NULL);
        out->results[k].first_tier = next;
        next += x.n_tiers;
        if (k >= n_deployments)
            continue;
        struct trial_timeline *tl = &out->timelines[k];
        tl->rows[0] = copy_rows(x.timeline, x.n_timeline, &oom);
        tl->n[0] = x.n_timeline;
        for (size_t t = 0; t < x.n_tiers; t++) {
            tl->rows[t + 1] = copy_rows(x.tiers[t].timeline, x.tiers[t].n_timeline, &oom);
            tl->n[t + 1] = x.tiers[t].n_timeline;
        }
    }
    if (oom) {
        run_output_free(out);
        return -1;
    }
    return 0;
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
