/* sweep.c - `slsim sweep`'s points: which values a point takes, loading it, and
 * running points and their replications on the one job pool.
 *
 * A job is one (point, replication): the replication's deployments run in lockstep
 * on one request stream (run_replication), as in `slsim run`. The jobs of a point sit
 * next to each other in the pool's order, so the first of them to start loads the
 * point's scenario (and sizes its `count: auto` fleets) while the others of the point,
 * already started, wait for it on the point's lock; none waits on a job the pool has
 * not started. The last to finish hands the point to the caller and frees it: memory
 * holds the points in flight, never the grid. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "slsim/sizing.h"
#include "slsim/sweep.h"

int sweep_count_points(const struct sweep_axis *axes, size_t n, int zip, size_t *points,
                       struct slsim_error *err)
{
    size_t total = n ? 1 : 0;
    for (size_t a = 0; a < n; a++) {
        if (zip) {
            if (axes[a].n != axes[0].n)
                return slsim_error_set(err, "--zip", 0, 0, NULL,
                                       "--zip pairs values one for one, but %s has %zu "
                                       "values and %s has %zu",
                                       axes[0].key, axes[0].n, axes[a].key, axes[a].n);
            total = axes[0].n;
            continue;
        }
        if (axes[a].n && total > SWEEP_MAX_POINTS / axes[a].n)
            return slsim_error_set(err, "--vary", 0, 0, NULL,
                                   "the grid has more than %d points; vary fewer values or "
                                   "pair them with --zip",
                                   SWEEP_MAX_POINTS);
        total *= axes[a].n;
    }
    *points = total;
    return 0;
}

size_t sweep_value_index(const struct sweep *sw, size_t k, size_t a)
{
    if (sw->zip)
        return k;
    size_t stride = 1;
    for (size_t b = a + 1; b < sw->n_axes; b++)
        stride *= sw->axes[b].n;
    return (k / stride) % sw->axes[a].n;
}

int sweep_load_point(const struct sweep *sw, size_t k, struct scenario **out,
                     struct slsim_error *err)
{
    size_t n = sw->n_sets + sw->n_axes;
    const char **sets = calloc(n ? n : 1, sizeof *sets);
    char **own = calloc(sw->n_axes ? sw->n_axes : 1, sizeof *own);
    int rc = -1;
    *out = NULL;
    if (!sets || !own) {
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < sw->n_sets; i++)
        sets[i] = sw->sets[i];
    for (size_t a = 0; a < sw->n_axes; a++) {
        const char *v = sw->axes[a].values[sweep_value_index(sw, k, a)];
        size_t len = strlen(sw->axes[a].key) + strlen(v) + 2;
        own[a] = malloc(len);
        if (!own[a]) {
            slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
            goto done;
        }
        snprintf(own[a], len, "%s=%s", sw->axes[a].key, v);
        sets[sw->n_sets + a] = own[a];
    }
    rc = scenario_load(sw->path, sets, n, out, err);
    /* A value of the point refused: say it is the --vary's, not a --set the user gave. */
    for (size_t a = 0; rc != 0 && a < sw->n_axes; a++)
        if (strcmp(err->file, "--set") == 0 && strcmp(err->key, sw->axes[a].key) == 0) {
            snprintf(err->file, sizeof err->file, "--vary");
            err->line = err->column = 0;
        }
done:
    for (size_t a = 0; own && a < sw->n_axes; a++)
        free(own[a]);
    free(own);
    free(sets);
    return rc;
}

/* What a point is expected to cost: requests at its peak rate over its duration, times
 * the runs that serve them. Only the order of points depends on it. */
static double point_weight(const struct scenario *s)
{
    double rate = s->workload.arrival == ARRIVAL_TRACE ? 1.0 : sizing_peak_rate(s);
    if (!(rate > 0))
        rate = 1.0;
    return rate * ((double)s->duration_ns / 1e9) * (double)s->n_deployments *
           (double)s->replications;
}

void sweep_survey(const struct sweep *sw, size_t k, struct sweep_point_info *info,
                  struct slsim_error *err)
{
    struct scenario *s;
    memset(info, 0, sizeof *info);
    if (sweep_load_point(sw, k, &s, err) != 0)
        return;
    info->loads = 1;
    info->weight = point_weight(s);
    info->replications = s->replications;
    info->n_deployments = s->n_deployments;
    for (size_t d = 0; d < s->n_deployments; d++)
        info->rows += 1 + trial_tiers(s->deployments[d].type);
    scenario_destroy(s);
}

struct survey_ctx {
    const struct sweep *sw;
    struct sweep_point_info *info;
};

static int survey_job(void *ctx, size_t k, struct slsim_error *err)
{
    struct survey_ctx *c = ctx;
    sweep_survey(c->sw, k, &c->info[k], err);
    return 0;
}

void sweep_survey_all(const struct sweep *sw, struct sweep_point_info *info, unsigned jobs)
{
    struct survey_ctx c = {sw, info};
    struct slsim_error err;
    jobs_run(sw->n_points, jobs, 0, survey_job, &c, &err);
}

/* ---- running points on the pool ---- */

struct point_state {
    pthread_mutex_t lock;
    int started;              /* the scenario was loaded (or failed to) */
    int failed;               /* the point failed: err says why */
    uint32_t failed_rep;      /* the replication err came from (UINT32_MAX: loading) */
    uint32_t left;            /* jobs not finished */
    struct scenario *s;       /* owned while the point is in flight */
    struct run_output out;
    struct slsim_error err;
};

struct job {
    size_t i;       /* index into points[] */
    uint32_t rep;   /* replication */
    double weight;  /* the point's */
    size_t slot;    /* progress slot */
};

struct sweep_pool {
    const struct sweep *sw;
    const size_t *points;
    struct job *jobs;          /* in the order the pool hands them out */
    struct point_state *state; /* [n] */
    run_progress_fn progress;
    void *progress_ctx;
    sweep_point_fn done;
    void *ctx;
    int all_reps;              /* no survey: a point's one job runs all its replications */
};

/* Heavier first; equal weights keep the order of points[] and replications. */
static int job_order(const void *pa, const void *pb)
{
    const struct job *a = pa, *b = pb;
    if (a->weight != b->weight)
        return a->weight > b->weight ? -1 : 1;
    if (a->i != b->i)
        return a->i < b->i ? -1 : 1;
    return a->rep < b->rep ? -1 : a->rep > b->rep;
}

/* Load point ps (the first of its jobs to start does, under its lock): its scenario,
 * `count: auto` fleets sized, and room for its records. */
static void point_start(struct sweep_pool *p, size_t i, struct point_state *ps)
{
    ps->started = 1;
    if (sweep_load_point(p->sw, p->points[i], &ps->s, &ps->err) != 0 ||
        sizing_resolve(ps->s, &ps->err) != 0 || run_output_init(&ps->out, ps->s, 0, &ps->err) != 0) {
        ps->failed = 1;
        ps->failed_rep = UINT32_MAX;
        scenario_destroy(ps->s);
        ps->s = NULL;
    }
}

static int sweep_job(void *ctx, size_t slot, struct slsim_error *err)
{
    struct sweep_pool *p = ctx;
    const struct job *j = &p->jobs[slot];
    struct point_state *ps = &p->state[j->i];
    (void)err;
    pthread_mutex_lock(&ps->lock);
    if (!ps->started)
        point_start(p, j->i, ps);
    int skip = ps->failed && ps->failed_rep == UINT32_MAX;
    pthread_mutex_unlock(&ps->lock);

    struct slsim_error rep_err;
    int rc = 0;
    uint32_t rep = j->rep;
    if (!skip) {
        uint32_t end = p->all_reps ? ps->s->replications : j->rep + 1;
        if (end > ps->s->replications)
            end = ps->s->replications;
        for (; rc == 0 && rep < end; rep++)
            rc = run_replication(ps->s, rep, &ps->out, p->progress, p->progress_ctx, j->slot,
                                 &rep_err);
        rep--; /* the failing one, when rc != 0 */
    } else if (p->progress) {
        p->progress(p->progress_ctx, j->slot, 1.0, 0);
    }

    pthread_mutex_lock(&ps->lock);
    if (rc != 0 && (!ps->failed || rep < ps->failed_rep)) {
        /* The lowest failing replication speaks for the point, whatever ran first. */
        ps->failed = 1;
        ps->failed_rep = rep;
        ps->err = rep_err;
    }
    int last = --ps->left == 0;
    pthread_mutex_unlock(&ps->lock);
    if (!last)
        return 0;
    size_t k = p->points[j->i];
    if (ps->failed)
        p->done(p->ctx, k, NULL, NULL, &ps->err);
    else
        p->done(p->ctx, k, ps->s, &ps->out, NULL);
    if (ps->s)
        run_output_free(&ps->out);
    scenario_destroy(ps->s);
    ps->s = NULL;
    return 0;
}

int sweep_run(const struct sweep *sw, const size_t *points, size_t n,
              const struct sweep_point_info *info, unsigned jobs, run_progress_fn progress,
              void *progress_ctx, sweep_point_fn done, void *ctx, struct slsim_error *err)
{
    size_t n_jobs = 0;
    for (size_t i = 0; i < n; i++)
        n_jobs += info && info[i].loads && info[i].replications ? info[i].replications : 1;
    struct sweep_pool p = {.sw = sw, .points = points, .progress = info ? progress : NULL,
                           .progress_ctx = progress_ctx, .done = done, .ctx = ctx,
                           .all_reps = info == NULL};
    p.jobs = calloc(n_jobs ? n_jobs : 1, sizeof *p.jobs);
    p.state = calloc(n ? n : 1, sizeof *p.state);
    if (!p.jobs || !p.state) {
        free(p.jobs);
        free(p.state);
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    /* Without a survey, one job per point runs every replication of it: a point's
     * replications are then known only once it is loaded. */
    size_t next = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t reps = info && info[i].loads && info[i].replications ? info[i].replications : 1;
        pthread_mutex_init(&p.state[i].lock, NULL);
        p.state[i].left = reps;
        for (uint32_t r = 0; r < reps; r++, next++)
            p.jobs[next] = (struct job){i, r, info ? info[i].weight : 0, next};
    }
    qsort(p.jobs, n_jobs, sizeof *p.jobs, job_order);
    int rc = jobs_run(n_jobs, jobs, 0, sweep_job, &p, err);
    for (size_t i = 0; i < n; i++)
        pthread_mutex_destroy(&p.state[i].lock);
    free(p.jobs);
    free(p.state);
    return rc;
}
