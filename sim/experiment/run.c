/* run.c - the run loop, and running many independent simulations.
 *
 * The loop merges two time-ordered sources: the workload's next request and the
 * platform's earliest event. An event and an arrival at the same instant: the
 * event goes first, so a slot freed at t can serve a request arriving at t.
 * Arrivals stop at the scenario's end; events go on until the heap is empty, so
 * every measured request is served, throttled or dropped (the drain).
 *
 * run_scenario runs the deployments of a replication in lockstep on one request
 * stream (trial_run_lockstep): the same merge, per deployment, with the workload,
 * and a trace, made once for all of them. run_one stays for sizing's probes, which
 * stop each at its own point. */
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

/* One deployment of a lockstep group: its own heap, platform and outcome. Lanes are
 * made once and never move: a platform keeps pointers to its heap and spec. */
struct lane {
    struct deployment_spec dep;
    struct event_heap heap;
    struct platform_env env;
    const struct platform_ops *ops;
    void *plat;
    int failed;     /* err says why */
    int has_result; /* r was filled by finish and must be freed */
    struct slsim_error err;
    struct deployment_result r;
};

/* Requests a lockstep group holds at once (32 bytes each): a block for each
 * platform to take in turn. */
#define LOCKSTEP_BLOCK 4096
/* Requests a lone platform takes at once: 1 KiB, written and read back while in the
 * L1 cache. */
#define SINGLE_BLOCK 32

/* Every event of l due at or before t: an event and an arrival at the same instant,
 * the event first, as in run_one. */
static inline void lane_drain(struct lane *l, sim_time t)
{
    while (l->heap.len && heap_top_time(&l->heap) <= t) {
        struct event e = heap_pop(&l->heap);
        l->ops->event(l->plat, &e);
    }
}

/* The requests b[0..nb-1] to lane l, each after l's events due by its arrival. */
static void lane_take(struct lane *l, const struct request *b, size_t nb)
{
    if (l->ops->arrivals) {
        l->ops->arrivals(l->plat, b, nb);
        return;
    }
    for (size_t k = 0; k < nb; k++) {
        lane_drain(l, b[k].arrival_ns);
        l->ops->arrival(l->plat, &b[k]);
    }
}

/* Finish lane l (after the last request) into out, tiers and timeline. */
static void lane_finish(struct lane *l, const struct trial *t, const struct scenario *s,
                        uint64_t skipped, struct trial_record *out, struct trial_record *tiers,
                        struct trial_timeline *timeline)
{
    lane_drain(l, SIM_TIME_FOREVER);
    result_init(&l->r);
    if (l->ops->finish(l->plat, &l->r, &l->err) != 0) {
        l->failed = 1;
        return;
    }
    l->has_result = 1;
    l->r.trace_rows_skipped = skipped;
    if (l->r.n_tiers != trial_tiers(l->dep.type)) {
        l->failed = 1;
        slsim_error_set(&l->err, NULL, 0, 0, NULL, "deployment %s gave %zu tiers", l->dep.name,
                        l->r.n_tiers);
        return;
    }
    trial_flatten(&l->r, &s->slo, out, tiers);
    trial_take_llm(&l->r, out, tiers);
    if (timeline && t->timeline_step_ns > 0)
        trial_take_timeline(&l->r, timeline);
}

int trial_run_lockstep(const struct trial *t, size_t n, run_progress_fn progress,
                       void *progress_ctx, const size_t *slot, struct trial_record *out,
                       struct trial_record *const *tiers, struct trial_timeline *const *timeline,
                       struct slsim_error *err)
{
    struct scenario at;
    const struct scenario *s = t[0].s;
    if (t[0].duty_cycle > 0) {
        at = trial_scenario_at(t[0].s, t[0].duty_cycle);
        s = &at;
    }
    uint32_t replication = t[0].replication;
    struct lane *lane = calloc(n ? n : 1, sizeof *lane);
    if (!lane)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    struct workload *w = workload_create(&s->workload, &s->model.service, s->seed, replication,
                                         s->duration_ns, err);
    if (!w) {
        free(lane);
        return -1;
    }
    size_t live = 0;
    for (size_t i = 0; i < n; i++) {
        struct lane *l = &lane[i];
        l->dep = trial_deployment(&t[i]);
        heap_init(&l->heap);
        l->env = (struct platform_env){
            .heap = &l->heap,
            .catalog = s->catalog,
            .model = &s->model,
            .file = s->path,
            .warmup_ns = s->warmup_ns,
            .end_ns = s->duration_ns,
            .timeline_step_ns = t[i].timeline_step_ns,
            .slo = &s->slo,
            .seed = s->seed,
            .replication = replication,
            .functions = workload_functions(w),
        };
        l->plat = platform_create(&l->dep, &l->env, &l->ops, &l->err);
        l->failed = !l->plat;
        live += !l->failed;
    }
    /* Each request goes to every platform in turn, after that platform's own events
     * up to its arrival: exactly what each would have met alone, since a platform
     * reads nothing of another's (its random streams are its own) and the request
     * stream is the same for all. The requests go in blocks: a block is made, then
     * each platform takes all of it in turn (lane_take), so that one platform's state
     * stays in the cache for a block's worth of requests rather than being evicted by
     * the others' at every request, and a platform with its own loop (arrivals) runs
     * a block without a call through a pointer per request. A platform meets the same
     * requests in the same order either way (and without the block's memory, blocks
     * of one). One platform alone takes smaller blocks, which stay in the L1 cache. */
    size_t cap = n > 1 ? LOCKSTEP_BLOCK : SINGLE_BLOCK;
    struct request *block = malloc(cap * sizeof *block);
    struct request one;
    if (!block) {
        block = &one;
        cap = 1;
    }
    int have = live ? 1 : 0;
    uint64_t requests = 0;
    while (have > 0) {
        size_t nb;
        have = workload_fill(w, block, cap, &nb);
        /* progress every 2^18 requests */
        if (progress && (requests >> 18) != ((requests + nb) >> 18))
            for (size_t i = 0; i < n; i++)
                progress(progress_ctx, slot[i], workload_progress(w), requests + nb);
        requests += nb;
        for (size_t i = 0; i < n; i++)
            if (!lane[i].failed)
                lane_take(&lane[i], block, nb);
    }
    if (block != &one)
        free(block);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct lane *l = &lane[i];
        if (!l->failed && have < 0) { /* a malformed trace row met mid-replay: by every lane */
            l->failed = 1;
            l->err = *workload_error(w);
        } else if (!l->failed) {
            lane_finish(l, &t[i], s, workload_skipped(w), &out[i], tiers ? tiers[i] : NULL,
                        timeline ? timeline[i] : NULL);
        }
        if (l->failed && rc == 0) { /* the lowest failing trial's error, as if run alone */
            *err = l->err;
            rc = -1;
        }
        if (l->has_result)
            result_free(&l->r);
        if (l->plat)
            l->ops->destroy(l->plat);
        heap_destroy(&l->heap);
    }
    workload_destroy(w);
    free(lane);
    return rc;
}

int trial_run(const struct trial *t, run_progress_fn progress, void *progress_ctx, size_t slot,
              struct trial_record *out, struct trial_record *tiers,
              struct trial_timeline *timeline, struct slsim_error *err)
{
    return trial_run_lockstep(t, 1, progress, progress_ctx, &slot, out, &tiers, &timeline, err);
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

/* Jobs: replication rep's deployments split into `groups` contiguous groups, each
 * group one job that runs its deployments in lockstep on one request stream (job
 * rep * groups + g). One group per replication decodes a trace once for all of its
 * deployments; more groups keep threads busy when there are more of them than
 * replications. Results land in each deployment's own slot, so neither the grouping
 * nor the thread count changes a byte. */
struct run_jobs {
    const struct scenario *s;
    const struct run_options *opt;
    struct run_output *out;
    size_t groups; /* per replication, in [1, n_deployments] */
    size_t slot;   /* the progress slot of every deployment, or RUN_SLOT_OWN: each its
                      result's index */
};

#define RUN_SLOT_OWN ((size_t)-1)

/* The first deployment of group g of nd deployments split into groups. */
static size_t group_start(size_t g, size_t nd, size_t groups)
{
    return g * nd / groups;
}

static int run_job(void *ctx, size_t job, struct slsim_error *err)
{
    struct run_jobs *rj = ctx;
    size_t nd = rj->s->n_deployments;
    uint32_t rep = (uint32_t)(job / rj->groups);
    size_t g = job % rj->groups;
    size_t d0 = group_start(g, nd, rj->groups), n = group_start(g + 1, nd, rj->groups) - d0;
    size_t k0 = (size_t)rep * nd + d0; /* the slot of the group's first deployment */
    struct trial *t = calloc(n ? n : 1, sizeof *t);
    size_t *slot = calloc(n ? n : 1, sizeof *slot);
    size_t *first = calloc(n ? n : 1, sizeof *first);
    struct trial_record **tiers = calloc(n ? n : 1, sizeof *tiers);
    struct trial_timeline **tl = calloc(n ? n : 1, sizeof *tl);
    int rc = -1;
    if (!t || !slot || !first || !tiers || !tl) {
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        size_t k = k0 + i;
        t[i] = (struct trial){.s = rj->s,
                              .deployment = d0 + i,
                              .replication = rep,
                              .timeline_step_ns = rep == 0 ? rj->opt->timeline_step_ns : 0};
        slot[i] = rj->slot == RUN_SLOT_OWN ? k : rj->slot;
        first[i] = rj->out->results[k].first_tier;
        tiers[i] = rj->out->tiers ? &rj->out->tiers[first[i]] : NULL;
        tl[i] = rj->out->timelines && rep == 0 ? &rj->out->timelines[d0 + i] : NULL;
    }
    rc = trial_run_lockstep(t, n, rj->opt->progress, rj->opt->progress_ctx, slot,
                            &rj->out->results[k0], tiers, tl, err);
    for (size_t i = 0; i < n; i++) {
        rj->out->results[k0 + i].first_tier = first[i];
        if (rj->opt->progress)
            rj->opt->progress(rj->opt->progress_ctx, slot[i], 1.0, 0);
    }
out:
    free(t);
    free(slot);
    free(first);
    free(tiers);
    free(tl);
    return rc;
}

int run_output_init(struct run_output *out, const struct scenario *s, int timelines,
                    struct slsim_error *err)
{
    memset(out, 0, sizeof *out);
    size_t n = s->n_deployments * s->replications;
    out->n_deployments = s->n_deployments;
    out->replications = s->replications;
    out->results = calloc(n ? n : 1, sizeof *out->results);
    size_t n_tiers = out->results ? tier_layout(s, out->results) : 0;
    if (n_tiers)
        out->tiers = calloc(n_tiers, sizeof *out->tiers);
    if (timelines)
        out->timelines = calloc(s->n_deployments ? s->n_deployments : 1,
                                sizeof *out->timelines);
    if (!out->results || (n_tiers && !out->tiers) || (timelines && !out->timelines)) {
        run_output_free(out);
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    return 0;
}

int run_replication(const struct scenario *s, uint32_t rep, struct run_output *out,
                    run_progress_fn progress, void *progress_ctx, size_t slot,
                    struct slsim_error *err)
{
    /* One group: every deployment in lockstep, slot the progress display's own. */
    struct run_options opt = {.jobs = 1, .progress = progress, .progress_ctx = progress_ctx};
    struct run_jobs rj = {s, &opt, out, 1, slot};
    return run_job(&rj, rep, err);
}

int run_scenario(const struct scenario *s, const struct run_options *opt,
                 struct run_output *out, struct slsim_error *err)
{
    if (run_output_init(out, s, opt->timeline_step_ns > 0, err) != 0)
        return -1;
    size_t n = s->n_deployments * s->replications;
    size_t jobs = opt->jobs ? opt->jobs : 1, reps = s->replications;
    size_t groups = reps && jobs > reps ? (jobs + reps - 1) / reps : 1;
    if (groups > s->n_deployments)
        groups = s->n_deployments ? s->n_deployments : 1;
    struct run_jobs rj = {s, opt, out, groups, RUN_SLOT_OWN};
    if (n && jobs_run(reps * groups, opt->jobs, 0, run_job, &rj, err) != 0) {
        run_output_free(out);
        return -1;
    }
    return 0;
}

void run_output_free(struct run_output *out)
{
    /* The records' LLM statistics: a record's tiers are found through it. */
    size_t n = out->results ? out->n_deployments * out->replications : 0;
    for (size_t k = 0; k < n; k++) {
        struct trial_record *r = &out->results[k];
        for (size_t t = 0; out->tiers && t < r->n_tiers; t++)
            trial_record_free(&out->tiers[r->first_tier + t]);
        trial_record_free(r);
    }
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
        struct trial_record *tiers = out->tiers ? &out->tiers[next] : NULL;
        trial_flatten(&x, slo, &out->results[k], tiers);
        out->results[k].first_tier = next;
        next += x.n_tiers;
        if (trial_copy_llm(&x, &out->results[k], tiers) != 0) {
            run_output_free(out);
            return -1;
        }
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
