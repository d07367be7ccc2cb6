/* plan_pick.c - from a plan's evaluations to its answer: each configuration judged,
 * the feasible ones ranked (objective, then p99, then fewer resources), the best
 * confirmed with replications, Power Tuning's three picks, the closest miss. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "plan_internal.h"

/* ---- one deployment's replications ---- */

struct one_run {
    const struct scenario *s;
    size_t d;
    struct run_output *out;
};

static int one_rep(void *ctx, size_t rep, struct slsim_error *err)
{
    struct one_run *o = ctx;
    struct trial t = {.s = o->s, .deployment = o->d, .replication = (uint32_t)rep};
    struct trial_record *r = &o->out->results[rep];
    int rc = trial_run(&t, NULL, NULL, 0, r, &o->out->tiers[rep * TRIAL_MAX_TIERS], NULL, err);
    r->first_tier = rep * TRIAL_MAX_TIERS;
    return rc;
}

int plan_run_one(const struct scenario *s, size_t d, unsigned jobs, struct run_output *out,
                 struct slsim_error *err)
{
    memset(out, 0, sizeof *out);
    out->n_deployments = 1;
    out->replications = s->replications;
    out->results = calloc(s->replications, sizeof *out->results);
    out->tiers = calloc((size_t)s->replications * TRIAL_MAX_TIERS, sizeof *out->tiers);
    if (!out->results || !out->tiers) {
        run_output_free(out);
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    struct one_run o = {s, d, out};
    if (jobs_run(s->replications, jobs, 0, one_rep, &o, err) != 0) {
        run_output_free(out);
        return -1;
    }
    return 0;
}

/* ---- judging and ranking ---- */

void plan_judge(const struct plan_spec *p, struct plan_eval *e, const struct summary_field *f,
                size_t nf)
{
    e->loads = f != NULL;
    e->feasible = 0;
    e->violation = HUGE_VAL;
    if (!f)
        return;
    e->objective = summary_field_value(f, nf, p->minimize);
    e->p99_ms = summary_field_value(f, nf, "latency_ms.p99");
    e->mean_ms = summary_field_value(f, nf, "latency_ms.mean");
    e->feasible = 1;
    e->violation = 0;
    for (size_t i = 0; i < p->n_cons; i++) {
        double v = summary_field_value(f, nf, p->cons[i].metric), lim = p->cons[i].limit;
        e->metric[i] = v;
        if (!plan_meets(p->cons[i].op, v, lim)) {
            e->feasible = 0;
            e->violation += fabs(v - lim) / (fabs(lim) > 1e-12 ? fabs(lim) : 1e-12);
        }
    }
}

/* Configuration order: deployment, then each axis's value index. */
static int config_cmp(const struct plan_eval *a, const struct plan_eval *b, size_t n_axes)
{
    if (a->deployment != b->deployment)
        return a->deployment < b->deployment ? -1 : 1;
    for (size_t k = 0; k < n_axes; k++)
        if (a->value[k] != b->value[k])
            return a->value[k] < b->value[k] ? -1 : 1;
    return 0;
}

static const struct plan_eval *sort_evals; /* for qsort's comparator (set before a sort) */
static size_t sort_axes;

static int config_qsort(const void *pa, const void *pb)
{
    return config_cmp(&sort_evals[*(const size_t *)pa], &sort_evals[*(const size_t *)pb],
                      sort_axes);
}

int plan_sort_evals(const struct plan_spec *p, struct plan_result *r, size_t *idx,
                    size_t n_idx)
{
    size_t n = r->n_evals;
    size_t *perm = malloc((n ? n : 1) * sizeof *perm), *where = malloc((n ? n : 1) * sizeof *where);
    struct plan_eval *sorted = malloc((n ? n : 1) * sizeof *sorted);
    if (!perm || !where || !sorted) {
        free(perm);
        free(where);
        free(sorted);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    sort_evals = r->evals;
    sort_axes = p->n_axes;
    qsort(perm, n, sizeof *perm, config_qsort);
    for (size_t k = 0; k < n; k++) {
        sorted[k] = r->evals[perm[k]];
        where[perm[k]] = k;
    }
    free(r->evals);
    r->evals = sorted;
#define REMAP(x) ((x) = (x) == SIZE_MAX ? SIZE_MAX : where[(x)])
    REMAP(r->chosen);
    REMAP(r->closest);
    REMAP(r->cheapest);
    REMAP(r->fastest);
    REMAP(r->balanced);
    for (size_t k = 0; k < r->n_confirmations; k++)
        REMAP(r->confirmations[k].eval);
    for (size_t k = 0; k < n_idx; k++)
        REMAP(idx[k]);
#undef REMAP
    free(perm);
    free(where);
    return 0;
}

/* 1 when a ranks before b among configurations whose objectives tie: the lower p99,
 * then fewer resources (axis by axis, the lower value), then configuration order. */
static int tie_before(const struct plan_spec *p, const struct plan_eval *a,
                      const struct plan_eval *b)
{
    if (a->p99_ms != b->p99_ms)
        return a->p99_ms < b->p99_ms;
    for (size_t k = 0; k < p->n_axes; k++) {
        if (a->value[k] == SIZE_MAX || b->value[k] == SIZE_MAX || a->value[k] == b->value[k])
            continue;
        int oa, ob;
        double va = plan_value_number(p->axes[k].values[a->value[k]], &oa);
        double vb = plan_value_number(p->axes[k].values[b->value[k]], &ob);
        if (oa && ob && va != vb)
            return va < vb;
    }
    return config_cmp(a, b, p->n_axes) < 0;
}

/* The best feasible evaluation not yet tried, or SIZE_MAX: among those whose objective
 * is within p->tie of the least (a tie: measured against the least, so the rule
 * is the same whatever the order), the one tie_before ranks first. */
static size_t next_best(const struct plan_spec *p, const struct plan_result *r, const char *tried)
{
    double least = HUGE_VAL;
    for (size_t i = 0; i < r->n_evals; i++)
        if (r->evals[i].feasible && !tried[i] && r->evals[i].objective < least)
            least = r->evals[i].objective;
    size_t best = SIZE_MAX;
    for (size_t i = 0; i < r->n_evals; i++) {
        const struct plan_eval *e = &r->evals[i];
        if (!e->feasible || tried[i] || e->objective > least + p->tie * fabs(least))
            continue;
        if (best == SIZE_MAX || tie_before(p, e, &r->evals[best]))
            best = i;
    }
    return best;
}

/* Power Tuning's picks (analyzer.js): cheapest (ties: faster), fastest by mean latency
 * (ties: cheaper), balanced: least w x cost / max cost + (1 - w) x mean / max mean. */
static void power_tuning(struct plan_result *r, double w)
{
    r->cheapest = r->fastest = r->balanced = SIZE_MAX;
    double max_cost = 0, max_mean = 0;
    for (size_t i = 0; i < r->n_evals; i++)
        if (r->evals[i].feasible) {
            max_cost = fmax(max_cost, r->evals[i].objective);
            max_mean = fmax(max_mean, r->evals[i].mean_ms);
        }
    double best_value = HUGE_VAL;
    for (size_t i = 0; i < r->n_evals; i++) {
        const struct plan_eval *e = &r->evals[i];
        if (!e->feasible)
            continue;
        const struct plan_eval *c = r->cheapest == SIZE_MAX ? NULL : &r->evals[r->cheapest];
        if (!c || e->objective < c->objective ||
            (e->objective == c->objective && e->mean_ms < c->mean_ms))
            r->cheapest = i;
        const struct plan_eval *f = r->fastest == SIZE_MAX ? NULL : &r->evals[r->fastest];
        if (!f || e->mean_ms < f->mean_ms ||
            (e->mean_ms == f->mean_ms && e->objective < f->objective))
            r->fastest = i;
        double v = (max_cost > 0 ? w * e->objective / max_cost : 0) +
                   (max_mean > 0 ? (1 - w) * e->mean_ms / max_mean : 0);
        if (v < best_value) {
            best_value = v;
            r->balanced = i;
        }
    }
}

/* ---- the whole plan ---- */

/* Confirm evaluation i with p->confirm replications into c. 0, or -1 (out of memory). */
static int confirm(const struct plan_spec *p, struct plan_result *r, size_t i, unsigned jobs,
                   struct plan_confirmation *c)
{
    const struct plan_eval *e = &r->evals[i];
    memset(c, 0, sizeof *c);
    c->eval = i;
    c->metric = calloc(p->n_cons ? p->n_cons : 1, sizeof *c->metric);
    c->metric_ci95 = calloc(p->n_cons ? p->n_cons : 1, sizeof *c->metric_ci95);
    if (!c->metric || !c->metric_ci95)
        return -1;
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t nf = 0;
    char error[600];
    int rc = plan_simulate(p, e->deployment, e->value, p->confirm, jobs, f, &nf, error,
                           sizeof error, &r->simulations);
    if (rc < 0)
        return -1;
    if (rc > 0)
        return 0; /* refused now: not met */
    c->met = 1;
    for (size_t k = 0; k < nf; k++) {
        if (strcmp(f[k].path, p->minimize) == 0) {
            c->objective = f[k].value;
            c->objective_ci95 = f[k].ci95;
        }
        if (strcmp(f[k].path, "latency_ms.p99") == 0) {
            c->p99_ms = f[k].value;
            c->p99_ms_ci95 = f[k].ci95;
        }
        for (size_t j = 0; j < p->n_cons; j++)
            if (strcmp(f[k].path, p->cons[j].metric) == 0) {
                c->metric[j] = f[k].value;
                c->metric_ci95[j] = f[k].ci95;
            }
    }
    /* The 95% bound on the constrained side: the upper for <=, the lower for >=. */
    for (size_t j = 0; j < p->n_cons; j++) {
        double bound = plan_op_upper(p->cons[j].op) ? c->metric[j] + c->metric_ci95[j]
                                                    : c->metric[j] - c->metric_ci95[j];
        if (!plan_meets(p->cons[j].op, bound, p->cons[j].limit))
            c->met = 0;
    }
    return 0;
}

int plan_run(const struct plan_spec *p, unsigned jobs, double weight, run_progress_fn progress,
             void *progress_ctx, struct plan_result *out, struct slsim_error *err)
{
    memset(out, 0, sizeof *out);
    out->chosen = out->closest = out->cheapest = out->fastest = out->balanced = SIZE_MAX;
    struct scenario *base = NULL;
    if (scenario_load(p->path, p->sets, p->n_sets, &base, err) != 0)
        return -1;
    /* What the search does, per candidate, in words. */
    size_t w = 0;
    for (size_t i = 0; i < p->n_candidates && w < sizeof out->method; i++) {
        size_t d = p->candidates[i], mono = plan_monotone_axis(p, base, d);
        int m = snprintf(out->method + w, sizeof out->method - w, "%s%s: %s", i ? "; " : "",
                         base->deployments[d].name,
                         mono != SIZE_MAX ? "bisection for the feasibility boundary of "
                         : !p->exhaustive && !plan_constraints_ease_with_capacity(p)
                             ? "every configuration (a constraint may get harder with "
                               "capacity, so feasibility need not be monotone in it)"
                             : "every configuration");
        if (m > 0)
            w += (size_t)m;
        if (mono != SIZE_MAX && w < sizeof out->method) {
            m = snprintf(out->method + w, sizeof out->method - w,
                         plan_cost_rises(p, base, d, mono)
                             ? "%s (feasibility is monotone in it, and a fixed fleet's cost "
                               "grows with it: the boundary is the answer)"
                             : "%s (feasibility is monotone in it), every value above it "
                               "(cost is not)",
                         p->axes[mono].key);
            if (m > 0)
                w += (size_t)m;
        }
    }
    int rc = plan_search(p, base, jobs, progress, progress_ctx, out, err);
    if (rc != 0) {
        scenario_destroy(base);
        plan_result_free(out, p->n_cons);
        return -1;
    }
    out->simulations = out->search_runs;
    /* tried[] and the confirmations grow with the evaluations (plan_extend adds some):
     * room for the whole grid. */
    char *tried = calloc(out->grid_size ? out->grid_size : 1, 1);
    out->confirmations = calloc(out->grid_size ? out->grid_size : 1, sizeof *out->confirmations);
    if (!tried || !out->confirmations) {
        free(tried);
        scenario_destroy(base);
        plan_result_free(out, p->n_cons);
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    /* Confirmation: the best feasible first, then the next, until one holds. Without
     * constraints there is nothing to confirm: the best is the answer. */
    size_t i;
    if (p->n_cons == 0)
        out->chosen = next_best(p, out, tried);
    while (p->n_cons > 0 && (i = next_best(p, out, tried)) != SIZE_MAX) {
        tried[i] = 1;
        struct plan_confirmation *c = &out->confirmations[out->n_confirmations++];
        if (confirm(p, out, i, jobs, c) != 0) {
            free(tried);
            plan_result_free(out, p->n_cons);
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        }
        if (c->met) {
            out->chosen = i;
            break;
        }
        /* Where the search stopped at the boundary (a fixed fleet), the values above
         * the one that failed are simulated now: they are the next candidates. */
        if (plan_extend(p, base, out, i) != 0) {
            free(tried);
            scenario_destroy(base);
            plan_result_free(out, p->n_cons);
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        }
    }
    free(tried);
    scenario_destroy(base);
    power_tuning(out, weight);
    if (out->chosen == SIZE_MAX) {
        /* None confirmed: the closest is the least violation among those that load (a
         * feasible one that did not confirm has none, and comes first). */
        for (size_t k = 0; k < out->n_evals; k++)
            if (out->evals[k].loads &&
                (out->closest == SIZE_MAX ||
                 out->evals[k].violation < out->evals[out->closest].violation))
                out->closest = k;
    }
    if (plan_sort_evals(p, out, NULL, 0) != 0) {
        plan_result_free(out, p->n_cons);
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    return 0;
}

size_t plan_eval_sets(const struct plan_spec *p, const struct plan_eval *e, char **sets,
                      size_t room)
{
    size_t n = 0;
    for (size_t a = 0; a < p->n_axes && n < room; a++) {
        if (e->value[a] == SIZE_MAX)
            continue;
        size_t len = strlen(p->axes[a].key) + strlen(p->axes[a].values[e->value[a]]) + 2;
        if ((sets[n] = malloc(len)) != NULL)
            snprintf(sets[n++], len, "%s=%s", p->axes[a].key, p->axes[a].values[e->value[a]]);
    }
    return n;
}

int plan_on_front(const struct plan_result *r, size_t e)
{
    const struct plan_eval *x = &r->evals[e];
    if (!x->loads)
        return 0;
    for (size_t k = 0; k < r->n_evals; k++) {
        const struct plan_eval *y = &r->evals[k];
        if (k == e || !y->loads)
            continue;
        if (y->objective <= x->objective && y->p99_ms <= x->p99_ms &&
            (y->objective < x->objective || y->p99_ms < x->p99_ms))
            return 0;
    }
    return 1;
}

void plan_result_free(struct plan_result *r, size_t n_cons)
{
    (void)n_cons;
    for (size_t i = 0; i < r->n_evals; i++) {
        free(r->evals[i].value);
        free(r->evals[i].metric);
    }
    for (size_t i = 0; i < r->n_confirmations; i++) {
        free(r->confirmations[i].metric);
        free(r->confirmations[i].metric_ci95);
    }
    free(r->evals);
    free(r->confirmations);
    memset(r, 0, sizeof *r);
}
