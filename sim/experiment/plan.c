/* plan.c - `slsim plan`'s search: the configurations of each candidate deployment,
 * simulated where the problem's structure says they must be.
 *
 * A chain is one combination of the axes that are not searched by bisection, for one
 * deployment: along its monotone axis (provisioned, count, reserved) it simulates the
 * largest value (infeasible there: infeasible everywhere), then bisects between an
 * infeasible and a feasible value down to the boundary, then simulates every value
 * above it (cost is not monotone there). Chains are independent jobs on the pool; each
 * is deterministic, and the evaluations are sorted by configuration at the end, so the
 * result does not depend on the thread count. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "plan_internal.h"
#include "slsim/sizing.h"
#include "slsim/summary.h"

/* ---- configurations ---- */

/* 1 when axis a applies to deployment d: a key of d ("deployments.NAME.") or of the
 * scenario as a whole (not under deployments). */
int plan_axis_applies(const struct plan_spec *p, const struct scenario *base, size_t a, size_t d)
{
    const char *key = p->axes[a].key;
    static const char head[] = "deployments.";
    if (strncmp(key, head, sizeof head - 1) != 0)
        return 1;
    const char *name = key + sizeof head - 1;
    size_t len = strlen(base->deployments[d].name);
    return strncmp(name, base->deployments[d].name, len) == 0 &&
           (name[len] == '.' || name[len] == '[');
}

/* The last component of a key: "provisioned" of "deployments.fn.provisioned". */
static const char *leaf(const char *key)
{
    const char *dot = strrchr(key, '.');
    return dot ? dot + 1 : key;
}

/* A value as a number to order by: a plain number, a size, a duration or a rate in its
 * base unit; 0 with *ok 0 when it is none of them. */
double plan_value_number(const char *v, int *ok)
{
    char why[200];
    double x;
    sim_time ns;
    int64_t bytes;
    *ok = 1;
    if (units_parse_number(v, &x, why, sizeof why) == 0)
        return x;
    if (units_parse_size(v, &bytes, why, sizeof why) == 0)
        return (double)bytes;
    if (units_parse_duration(v, &ns, why, sizeof why) == 0)
        return (double)ns;
    if (units_parse_rate(v, &x, why, sizeof why) == 0)
        return x;
    *ok = 0;
    return 0;
}

/* The axis searched by bisection for deployment d: the first that applies to it whose
 * key is a capacity (feasibility is monotone in it) and whose values are all numbers;
 * SIZE_MAX when none (or the plan is exhaustive). */
int plan_constraints_ease_with_capacity(const struct plan_spec *p)
{
    /* A metric more capacity can only make better, and the side of it that is "better":
     * latencies, cold starts and refusals fall (<=); attainment and throughput rise (>=).
     * A budget, a utilisation or any other metric may get harder with capacity. */
    static const char *const falls[] = {"latency_ms.", "ttft_ms.", "tpot_ms.", "itl_ms.",
                                        "cold_start_ratio", "cold_starts", "throttled",
                                        "dropped", "queued", "coldstart.mean_s",
                                        "function_cold_start_ratio."};
    static const char *const rises[] = {"slo_attainment", "served", "throughput_per_s"};
    for (size_t i = 0; i < p->n_cons; i++) {
        const char *m = p->cons[i].metric;
        int ok = 0;
        const char *const *list = plan_op_upper(p->cons[i].op) ? falls : rises;
        size_t n = plan_op_upper(p->cons[i].op) ? sizeof falls / sizeof *falls
                                                : sizeof rises / sizeof *rises;
        for (size_t k = 0; k < n && !ok; k++)
            ok = strncmp(m, list[k], strlen(list[k])) == 0;
        if (!ok)
            return 0;
    }
    return 1;
}

size_t plan_monotone_axis(const struct plan_spec *p, const struct scenario *base, size_t d)
{
    static const char *const keys[] = {"provisioned", "count", "reserved"};
    if (p->exhaustive || !plan_constraints_ease_with_capacity(p))
        return SIZE_MAX;
    for (size_t a = 0; a < p->n_axes; a++) {
        if (!plan_axis_applies(p, base, a, d))
            continue;
        int capacity = 0;
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            capacity |= strcmp(leaf(p->axes[a].key), keys[k]) == 0;
        int numbers = capacity && p->axes[a].n > 1;
        for (size_t v = 0; numbers && v < p->axes[a].n; v++)
            plan_value_number(p->axes[a].values[v], &numbers);
        if (numbers)
            return a;
    }
    return SIZE_MAX;
}

int plan_cost_rises(const struct plan_spec *p, const struct scenario *base, size_t d, size_t a)
{
    /* A fixed fleet bills every machine for the whole run: its cost is count x hours x
     * price, so one machine more costs more, whatever the load. Not so for provisioned
     * capacity (its execution is billed cheaper than on demand) or a reserved cap, nor
     * for an autoscaled fleet, whose count is only where it starts. */
    const struct deployment_spec *spec = &base->deployments[d];
    return strcmp(leaf(p->axes[a].key), "count") == 0 && spec->type == DEPLOYMENT_DEDICATED &&
           !spec->dedicated.autoscale.enabled && strncmp(p->minimize, "cost_usd.", 9) == 0;
}

/* ---- one configuration simulated ---- */

int plan_simulate(const struct plan_spec *p, size_t d, const size_t *value, uint32_t reps,
                  unsigned jobs, struct summary_field *f, size_t *nf, char *error, size_t n_error,
                  size_t *runs)
{
    char *own[SWEEP_MAX_AXES];
    const char **sets = calloc(p->n_sets + p->n_axes + 1, sizeof *sets);
    size_t n = 0, n_own = 0;
    int rc = -1;
    struct scenario *s = NULL;
    struct slsim_error err = {0};
    if (!sets) {
        snprintf(error, n_error, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < p->n_sets; i++)
        sets[n++] = p->sets[i];
    for (size_t a = 0; a < p->n_axes; a++) {
        if (value[a] == SIZE_MAX)
            continue;
        size_t len = strlen(p->axes[a].key) + strlen(p->axes[a].values[value[a]]) + 2;
        if (!(own[n_own] = malloc(len)))
            goto done;
        snprintf(own[n_own], len, "%s=%s", p->axes[a].key, p->axes[a].values[value[a]]);
        sets[n++] = own[n_own++];
    }
    char reps_set[48];
    if (reps) {
        snprintf(reps_set, sizeof reps_set, "replications=%u", reps);
        sets[n++] = reps_set;
    }
    if (scenario_load(p->path, sets, n, &s, &err) != 0 || sizing_resolve(s, &err) != 0) {
        slsim_error_format(&err, error, n_error);
        rc = 1; /* refused: infeasible, not a failure of the plan */
        goto done;
    }
    struct run_output out;
    if (plan_run_one(s, d, jobs, &out, &err) != 0) {
        slsim_error_format(&err, error, n_error);
        rc = 1;
        goto done;
    }
    *runs += s->replications;
    *nf = summary_fields(&out, 0, 0, f);
    run_output_free(&out);
    rc = 0;
done:
    for (size_t i = 0; i < n_own; i++)
        free(own[i]);
    free(sets);
    scenario_destroy(s);
    return rc;
}

/* ---- the search ---- */

struct chain {
    size_t d;          /* the deployment */
    size_t *value;     /* [n_axes]: the combination; the monotone axis's is set per run */
    size_t mono;       /* the monotone axis, or SIZE_MAX */
    int cost_rises;    /* 1: the objective grows along it too, so the boundary is the answer */
};

struct search {
    const struct plan_spec *p;
    const struct scenario *base;
    struct chain *chains;
    size_t n_chains;
    pthread_mutex_t lock;     /* guards evals, runs, done */
    struct plan_eval *evals;
    size_t n_evals, cap;
    size_t runs;
    size_t done;
    run_progress_fn progress;
    void *progress_ctx;
};

/* Simulate one configuration of a chain and keep it. Returns 1 feasible, 0 infeasible,
 * 2 refused at load time (no evidence about its neighbours), or -1 when out of memory. */
static int evaluate(struct search *sr, size_t d, const size_t *value)
{
    const struct plan_spec *p = sr->p;
    struct plan_eval e = {.deployment = d};
    e.value = malloc(p->n_axes * sizeof *e.value);
    e.metric = calloc(p->n_cons ? p->n_cons : 1, sizeof *e.metric);
    if (!e.value || !e.metric) {
        free(e.value);
        free(e.metric);
        return -1;
    }
    memcpy(e.value, value, p->n_axes * sizeof *e.value);
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t nf = 0, runs = 0;
    int rc = plan_simulate(p, d, value, 0, 1, f, &nf, e.error, sizeof e.error, &runs);
    if (rc < 0) {
        free(e.value);
        free(e.metric);
        return -1;
    }
    plan_judge(p, &e, rc == 0 ? f : NULL, nf);
    pthread_mutex_lock(&sr->lock);
    sr->runs += runs;
    if (sr->n_evals == sr->cap) {
        size_t cap = sr->cap ? 2 * sr->cap : 64;
        struct plan_eval *grown = realloc(sr->evals, cap * sizeof *grown);
        if (!grown) {
            pthread_mutex_unlock(&sr->lock);
            free(e.value);
            free(e.metric);
            return -1;
        }
        sr->evals = grown;
        sr->cap = cap;
    }
    sr->evals[sr->n_evals++] = e;
    pthread_mutex_unlock(&sr->lock);
    return e.loads ? e.feasible : 2;
}

/* The values of axis a in ascending numeric order, as indexes. */
static size_t *ascending(const struct sweep_axis *axis)
{
    size_t *idx = malloc(axis->n * sizeof *idx);
    if (!idx)
        return NULL;
    for (size_t i = 0; i < axis->n; i++)
        idx[i] = i;
    /* insertion sort: axes are short, and it keeps equal values in their order */
    for (size_t i = 1; i < axis->n; i++) {
        size_t x = idx[i], j = i;
        int ok;
        double vx = plan_value_number(axis->values[x], &ok);
        while (j > 0 && plan_value_number(axis->values[idx[j - 1]], &ok) > vx) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = x;
    }
    return idx;
}

static int chain_job(void *ctx, size_t k, struct slsim_error *err)
{
    struct search *sr = ctx;
    struct chain *c = &sr->chains[k];
    const struct plan_spec *p = sr->p;
    int rc = 0;
    if (c->mono == SIZE_MAX) {
        rc = evaluate(sr, c->d, c->value) < 0 ? -1 : 0;
    } else {
        const struct sweep_axis *axis = &p->axes[c->mono];
        size_t m = axis->n, *order = ascending(axis);
        char *seen = calloc(m, 1);
        /* Feasibility is monotone along the axis: the largest value first (infeasible
         * there, infeasible everywhere), then the smallest, then bisection of [lo
         * infeasible, hi feasible] down to the boundary, then every value above the
         * boundary not simulated yet, where cost is not monotone. */
        /* A configuration refused at load time (a cap below the provisioned count) says
         * nothing of its neighbours' feasibility: the chain then simulates every value. */
        int top = -1, refused = 0;
        if (order && seen) {
            c->value[c->mono] = order[m - 1];
            top = evaluate(sr, c->d, c->value);
            seen[m - 1] = 1;
            refused |= top == 2;
        }
        size_t hi = m - 1; /* feasible, once top is */
        int low = top == 1 ? -2 : 0;
        if (top == 1) {
            c->value[c->mono] = order[0];
            low = evaluate(sr, c->d, c->value);
            seen[0] = 1;
            if (low == 2) {
                refused = 1;
                low = 0;
            }
            if (low == 1)
                hi = 0;
        }
        for (size_t lo = 0; low == 0 && top == 1 && !refused && hi - lo > 1;) {
            size_t mid = lo + (hi - lo) / 2;
            c->value[c->mono] = order[mid];
            int fm = evaluate(sr, c->d, c->value);
            seen[mid] = 1;
            if (fm < 0)
                low = -1;
            else if (fm == 2)
                refused = 1;
            else if (fm)
                hi = mid;
            else
                lo = mid;
        }
        if (top < 0 || low == -1)
            rc = -1;
        /* Above the boundary (cost is not monotone), or everywhere after a refusal. */
        size_t from = refused ? 0 : hi + 1;
        int go = refused || (top == 1 && !c->cost_rises);
        for (size_t j = from; rc == 0 && go && j < m; j++) {
            if (seen[j])
                continue;
            c->value[c->mono] = order[j];
            if (evaluate(sr, c->d, c->value) < 0)
                rc = -1;
        }
        free(order);
        free(seen);
    }
    pthread_mutex_lock(&sr->lock);
    sr->done++;
    if (sr->progress)
        sr->progress(sr->progress_ctx, 0, (double)sr->done / (double)sr->n_chains, sr->runs);
    pthread_mutex_unlock(&sr->lock);
    if (rc != 0)
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    return rc;
}

int plan_search(const struct plan_spec *p, const struct scenario *base, unsigned jobs,
                run_progress_fn progress, void *progress_ctx, struct plan_result *out,
                struct slsim_error *err)
{
    struct search sr = {.p = p, .base = base, .progress = progress, .progress_ctx = progress_ctx};
    size_t n_chains = 0;
    out->grid_size = 0;
    for (size_t i = 0; i < p->n_candidates; i++) {
        size_t d = p->candidates[i], size = 1, mono = plan_monotone_axis(p, base, d);
        for (size_t a = 0; a < p->n_axes; a++)
            if (plan_axis_applies(p, base, a, d))
                size *= p->axes[a].n;
        out->grid_size += size;
        n_chains += mono == SIZE_MAX ? size : size / p->axes[mono].n;
    }
    sr.chains = calloc(n_chains ? n_chains : 1, sizeof *sr.chains);
    if (!sr.chains)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    /* Chains in configuration order: each deployment's combinations, the first axis
     * varying slowest. */
    for (size_t i = 0; i < p->n_candidates; i++) {
        size_t d = p->candidates[i], mono = plan_monotone_axis(p, base, d);
        size_t combos = 1;
        for (size_t a = 0; a < p->n_axes; a++)
            if (plan_axis_applies(p, base, a, d) && a != mono)
                combos *= p->axes[a].n;
        for (size_t c = 0; c < combos; c++) {
            struct chain *ch = &sr.chains[sr.n_chains++];
            ch->d = d;
            ch->mono = mono;
            ch->cost_rises = mono != SIZE_MAX && plan_cost_rises(p, base, d, mono);
            ch->value = malloc((p->n_axes ? p->n_axes : 1) * sizeof *ch->value);
            if (!ch->value) {
                sr.n_chains--;
                goto oom;
            }
            size_t rest = c;
            for (size_t a = p->n_axes; a-- > 0;) {
                if (!plan_axis_applies(p, base, a, d)) {
                    ch->value[a] = SIZE_MAX;
                } else if (a == mono) {
                    ch->value[a] = 0;
                } else {
                    ch->value[a] = rest % p->axes[a].n;
                    rest /= p->axes[a].n;
                }
            }
        }
    }
    pthread_mutex_init(&sr.lock, NULL);
    int rc = jobs_run(sr.n_chains, jobs, 0, chain_job, &sr, err);
    pthread_mutex_destroy(&sr.lock);
    for (size_t k = 0; k < sr.n_chains; k++)
        free(sr.chains[k].value);
    free(sr.chains);
    out->evals = sr.evals;
    out->n_evals = sr.n_evals;
    out->search_runs = sr.runs;
    if (rc != 0)
        return -1;
    plan_sort_evals(p, out, NULL, 0);
    return 0;
oom:
    for (size_t k = 0; k < sr.n_chains; k++)
        free(sr.chains[k].value);
    free(sr.chains);
    return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
}

/* 1 when r holds configuration (d, value). */
static int evaluated(const struct plan_spec *p, const struct plan_eval *evals, size_t n, size_t d,
                     const size_t *value)
{
    for (size_t i = 0; i < n; i++)
        if (evals[i].deployment == d &&
            memcmp(evals[i].value, value, p->n_axes * sizeof *value) == 0)
            return 1;
    return 0;
}

int plan_extend(const struct plan_spec *p, const struct scenario *base, struct plan_result *r,
                size_t i)
{
    const struct plan_eval *e = &r->evals[i];
    size_t d = e->deployment, mono = plan_monotone_axis(p, base, d);
    if (mono == SIZE_MAX || !plan_cost_rises(p, base, d, mono))
        return 0;
    const struct sweep_axis *axis = &p->axes[mono];
    size_t *order = ascending(axis), *value = malloc(p->n_axes * sizeof *value);
    struct search sr = {.p = p, .base = base, .evals = r->evals, .n_evals = r->n_evals,
                        .cap = r->n_evals};
    int rc = order && value ? 0 : -1;
    if (rc == 0) {
        memcpy(value, e->value, p->n_axes * sizeof *value);
        size_t at = 0;
        while (at < axis->n && order[at] != value[mono])
            at++;
        pthread_mutex_init(&sr.lock, NULL);
        for (size_t j = at + 1; rc == 0 && j < axis->n; j++) {
            value[mono] = order[j];
            if (!evaluated(p, sr.evals, sr.n_evals, d, value) && evaluate(&sr, d, value) < 0)
                rc = -1;
        }
        pthread_mutex_destroy(&sr.lock);
    }
    r->evals = sr.evals;
    r->n_evals = sr.n_evals;
    r->search_runs += sr.runs;
    r->simulations += sr.runs;
    free(order);
    free(value);
    return rc;
}
