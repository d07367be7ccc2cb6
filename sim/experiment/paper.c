/* paper.c - a paper's claims computed: its runs simulated, each row's value per
 * replication, its mean and Student-t interval, its difference from the paper and
 * its verdict.
 *
 * A row's value is computed in each replication first and averaged after, so a ratio
 * of two runs is the mean of per-replication ratios: the runs of a claim load the
 * same seed, their replications see the same requests (common random numbers), and
 * the interval is that of the paired quantity. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "slsim/containers.h"
#include "slsim/paper.h"
#include "slsim/scenario.h"
#include "slsim/sizing.h"
#include "slsim/summary.h"
#include "slsim/text.h"

/* One value a claim reads off a job, in every replication. */
struct paper_read {
    const struct paper_expr *leaf; /* a PAPER_FIELD of a selected claim */
    double *v;                     /* [replications], owned */
};

/* One simulation: a run, with the claim's open parameter at one of its values
 * (across NULL: as the run is written). Its report is read into `reads` as soon as it
 * is simulated and freed, so memory holds the values claims read, not every run's
 * records and histograms. */
struct paper_job {
    size_t run;
    const char *across_key;
    const char *across_value;
    struct scenario *s;
    struct run_output out;
    int done;
    struct paper_read *reads;
    size_t n_reads, cap_reads;
};

struct evaluator {
    const struct paper *p;
    struct paper_job *jobs;
    size_t n_jobs, cap;
    uint32_t replications;
};

static long find_job(const struct evaluator *ev, size_t run, const char *key, const char *value)
{
    for (size_t i = 0; i < ev->n_jobs; i++) {
        const struct paper_job *j = &ev->jobs[i];
        if (j->run != run)
            continue;
        if (!key && !j->across_key)
            return (long)i;
        if (key && j->across_key && strcmp(key, j->across_key) == 0 &&
            strcmp(value, j->across_value) == 0)
            return (long)i;
    }
    return -1;
}

static int add_job(struct evaluator *ev, size_t run, const char *key, const char *value)
{
    if (find_job(ev, run, key, value) >= 0)
        return 0;
    if (ev->n_jobs == ev->cap &&
        vec_grow((void **)&ev->jobs, &ev->cap, sizeof *ev->jobs, 16) != 0)
        return -1;
    ev->jobs[ev->n_jobs++] = (struct paper_job){.run = run, .across_key = key,
                                                .across_value = value};
    return 0;
}

static int add_expr_jobs(struct evaluator *ev, const struct paper_expr *e, const char *key,
                         const char *value)
{
    if (e->op == PAPER_CONSTANT)
        return 0;
    if (e->op == PAPER_FIELD)
        return add_job(ev, e->run, key, value);
    return add_expr_jobs(ev, e->a, key, value) || add_expr_jobs(ev, e->b, key, value) ? -1 : 0;
}

/* Load and simulate job j. */
static int run_job(struct evaluator *ev, struct paper_job *j, unsigned jobs,
                   struct slsim_error *err)
{
    const struct paper_run *r = &ev->p->runs[j->run];
    size_t n = r->n_sets + 2;
    const char **sets = calloc(n, sizeof *sets);
    char reps[64], across[512];
    if (!sets)
        return slsim_error_set(err, r->path, 0, 0, NULL, "out of memory");
    size_t k = 0;
    for (size_t i = 0; i < r->n_sets; i++)
        sets[k++] = r->sets[i];
    if (j->across_key) {
        snprintf(across, sizeof across, "%s=%s", j->across_key, j->across_value);
        sets[k++] = across;
    }
    snprintf(reps, sizeof reps, "replications=%u", ev->replications);
    sets[k++] = reps;
    int rc = scenario_load(r->path, sets, k, &j->s, err);
    free(sets);
    if (rc != 0 || sizing_resolve(j->s, err) != 0)
        return -1;
    struct run_options opt = {.jobs = jobs};
    if (run_scenario(j->s, &opt, &j->out, err) != 0)
        return -1;
    j->done = 1;
    return 0;
}

static long find_deployment(const struct scenario *s, const char *name)
{
    for (size_t d = 0; d < s->n_deployments; d++)
        if (strcmp(s->deployments[d].name, name) == 0)
            return (long)d;
    return -1;
}

/* e's value in replication rep, with the open parameter at (key, value). NAN when
 * undefined (a ratio of 0). -1 with err when a name is wrong. */
static int eval(const struct evaluator *ev, const struct paper_expr *e, const char *key,
                const char *value, uint32_t rep, double *out, struct slsim_error *err)
{
    if (e->op == PAPER_CONSTANT) {
        *out = e->scale;
        return 0;
    }
    if (e->op != PAPER_FIELD) {
        double a, b;
        if (eval(ev, e->a, key, value, rep, &a, err) || eval(ev, e->b, key, value, rep, &b, err))
            return -1;
        switch (e->op) {
        case PAPER_RATIO:
            *out = b != 0 ? a / b : NAN;
            break;
        case PAPER_CHANGE:
            *out = b != 0 ? (a / b - 1) * 100 : NAN;
            break;
        case PAPER_REDUCTION:
            *out = b != 0 ? (1 - a / b) * 100 : NAN;
            break;
        case PAPER_SUM:
            *out = a + b;
            break;
        case PAPER_DIFF:
            *out = a - b;
            break;
        case PAPER_PRODUCT:
            *out = a * b;
            break;
        case PAPER_FIELD:
        case PAPER_CONSTANT:
            break;
        }
        return 0;
    }
    const struct paper_job *j = &ev->jobs[find_job(ev, e->run, key, value)];
    for (size_t i = 0; i < j->n_reads; i++)
        if (j->reads[i].leaf == e) {
            *out = j->reads[i].v[rep];
            return 0;
        }
    return slsim_error_set(err, ev->p->file, e->line, e->column, e->key,
                           "internal: the value was not read off its run");
}

/* Leaf e (a PAPER_FIELD) read off job j's report in replication rep. -1 with err when
 * a name is wrong. */
static int read_field(const struct evaluator *ev, const struct paper_job *j,
                      const struct paper_expr *e, uint32_t rep, double *out,
                      struct slsim_error *err)
{
    long d = find_deployment(j->s, e->deployment);
    if (d < 0) {
        char names[400] = "";
        for (size_t k = 0; k < j->s->n_deployments; k++) {
            size_t used = strlen(names);
            snprintf(names + used, sizeof names - used, "%s%s", k ? ", " : "",
                     j->s->deployments[k].name);
        }
        return slsim_error_set(err, ev->p->file, e->line, e->column, e->key,
                               "%s has no deployment \"%s\" (it has %s)",
                               ev->p->runs[e->run].scenario, e->deployment, names);
    }
    const struct trial_record *rec = run_output_part(&j->out, rep, (size_t)d, 0);
    if (strcmp(e->field, "memory_mb") == 0) { /* an identity column of the report */
        *out = (double)rec->memory_bytes / 1e6 * e->scale;
        return 0;
    }
    struct summary_field f[SUMMARY_MAX_FIELDS];
    const char *path = e->field;
    size_t n;
    if (strncmp(path, "windows.", 8) == 0) { /* windows.NAME.FIELD: a measurement window's */
        const char *name = path + 8, *dot = strchr(name, '.');
        size_t w = 0, len = dot ? (size_t)(dot - name) : strlen(name);
        while (w < j->s->slo.n_windows && (strlen(j->s->slo.windows[w].name) != len ||
                                           strncmp(j->s->slo.windows[w].name, name, len) != 0))
            w++;
        if (!dot || w == j->s->slo.n_windows || w >= rec->n_windows)
            return slsim_error_set(err, ev->p->file, e->line, e->column, e->key,
                                   "%s has no measurement window \"%.*s\" (windows.NAME.FIELD "
                                   "names one of the scenario's windows:)",
                                   ev->p->runs[e->run].scenario, (int)len, name);
        n = summary_window_fields_one(&rec->windows[w], &j->s->slo, f);
        path = dot + 1;
    } else {
        n = summary_fields_one(rec, f);
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i].path, path) != 0)
            continue;
        if (f[i].text)
            return slsim_error_set(err, ev->p->file, e->line, e->column, e->key,
                                   "%s is a text field, not a number", e->field);
        *out = f[i].absent ? NAN : f[i].value * e->scale;
        return 0;
    }
    const char *cands[SUMMARY_MAX_FIELDS + 2];
    size_t k = 0;
    for (size_t i = 0; i < n && k < SUMMARY_MAX_FIELDS; i++)
        if (!f[i].text)
            cands[k++] = f[i].path;
    if (path == e->field)
        cands[k++] = "memory_mb";
    cands[k] = NULL;
    const char *near = text_suggest(path, cands);
    return slsim_error_set(err, ev->p->file, e->line, e->column, e->key,
                           "no report field \"%s\"%s%s%s (fields are the JSON paths of "
                           "docs/REPORT.md, such as latency_ms.p99; a window's are "
                           "windows.NAME.FIELD)",
                           e->field, near ? "; did you mean \"" : "", near ? near : "",
                           near ? "\"?" : "");
}

/* Every PAPER_FIELD leaf of e reading run `run`, into j's reads (once each). */
static int read_leaves(const struct evaluator *ev, struct paper_job *j,
                       const struct paper_expr *e, struct slsim_error *err)
{
    if (e->op == PAPER_CONSTANT)
        return 0;
    if (e->op != PAPER_FIELD)
        return read_leaves(ev, j, e->a, err) || read_leaves(ev, j, e->b, err) ? -1 : 0;
    if (e->run != j->run)
        return 0;
    for (size_t i = 0; i < j->n_reads; i++)
        if (j->reads[i].leaf == e)
            return 0;
    if (j->n_reads == j->cap_reads &&
        vec_grow((void **)&j->reads, &j->cap_reads, sizeof *j->reads, 16) != 0)
        return slsim_error_set(err, ev->p->file, 0, 0, NULL, "out of memory");
    struct paper_read *r = &j->reads[j->n_reads];
    if (!(r->v = calloc(ev->replications, sizeof *r->v)))
        return slsim_error_set(err, ev->p->file, 0, 0, NULL, "out of memory");
    r->leaf = e;
    j->n_reads++;
    for (uint32_t k = 0; k < ev->replications; k++)
        if (read_field(ev, j, e, k, &r->v[k], err) != 0)
            return -1;
    return 0;
}

/* Read off job j what the selected claims use, then free its report and scenario. */
static int read_job(const struct evaluator *ev, struct paper_job *j, const char *ids,
                    struct slsim_error *err)
{
    int rc = 0;
    for (size_t i = 0; i < ev->p->n_claims && !rc; i++) {
        const struct paper_claim *c = &ev->p->claims[i];
        if (!paper_selected(c, ids))
            continue;
        for (size_t k = 0; k < c->n_rows && !rc; k++)
            if (c->rows[k].value)
                rc = read_leaves(ev, j, c->rows[k].value, err);
    }
    run_output_free(&j->out);
    j->done = 0;
    scenario_destroy(j->s);
    j->s = NULL;
    return rc;
}

/* Mean, sd and 95% half-width of row value e over the replications. */
static int row_stats(const struct evaluator *ev, const struct paper_expr *e, const char *key,
                     const char *value, struct paper_value *v, struct slsim_error *err)
{
    uint32_t n = ev->replications;
    double sum = 0, *x = malloc(n * sizeof *x);
    if (!x)
        return slsim_error_set(err, ev->p->file, 0, 0, NULL, "out of memory");
    v->has = 1;
    v->n = n;
    for (uint32_t r = 0; r < n; r++) {
        if (eval(ev, e, key, value, r, &x[r], err) != 0) {
            free(x);
            return -1;
        }
        if (!isfinite(x[r]))
            v->has = 0;
        sum += x[r];
    }
    if (!v->has) {
        free(x);
        return 0;
    }
    v->mean = sum / n;
    double ss = 0;
    for (uint32_t r = 0; r < n; r++)
        ss += (x[r] - v->mean) * (x[r] - v->mean);
    free(x);
    v->sd = n > 1 ? sqrt(ss / (n - 1)) : 0;
    v->ci95 = n > 1 ? gsl_cdf_tdist_Pinv(0.975, n - 1) * v->sd / sqrt(n) : 0;
    return 0;
}

/* The relative difference from the paper's value or range, and the verdict. */
static void judge(const struct paper_row *row, uint32_t n, struct paper_value *v)
{
    double lo = row->paper_lo, hi = row->paper_hi;
    if (v->mean < lo)
        v->diff = fabs(v->mean - lo) / fabs(lo);
    else if (v->mean > hi)
        v->diff = fabs(v->mean - hi) / fabs(hi);
    else
        v->diff = 0;
    if (row->tolerance == PAPER_PREDICTION && n > 1) {
        double half = gsl_cdf_tdist_Pinv(0.975, n - 1) * v->sd * sqrt(1 + 1.0 / n);
        v->reproduced = fabs(v->mean - lo) <= half || (lo < hi && v->diff == 0);
    } else {
        v->reproduced = v->diff <= row->relative;
    }
}

int paper_evaluate(const struct paper *p, const char *ids, uint32_t replications, unsigned jobs,
                   paper_progress_fn progress, void *ctx, struct paper_result *r,
                   struct slsim_error *err)
{
    struct evaluator ev = {.p = p, .replications = replications ? replications : p->replications};
    memset(r, 0, sizeof *r);
    r->paper = p;
    r->ids = ids;
    r->replications = ev.replications;
    int rc = -1;
    if (!(r->values = calloc(p->n_claims, sizeof *r->values)))
        goto oom;
    for (size_t i = 0; i < p->n_claims; i++) {
        const struct paper_claim *c = &p->claims[i];
        if (!paper_selected(c, ids))
            continue;
        if (!(r->values[i] = calloc(c->n_rows, sizeof **r->values)))
            goto oom;
        for (size_t k = 0; k < c->n_rows; k++) {
            const struct paper_expr *e = c->rows[k].value;
            if (!e)
                continue;
            if (add_expr_jobs(&ev, e, NULL, NULL) != 0)
                goto oom;
            for (size_t a = 0; a < c->across.n_values; a++)
                if (add_expr_jobs(&ev, e, c->across.key, c->across.values[a]) != 0)
                    goto oom;
            if (c->across.n_values &&
                (!(r->values[i][k].across = calloc(c->across.n_values, sizeof(double))) ||
                 !(r->values[i][k].across_ci95 = calloc(c->across.n_values, sizeof(double)))))
                goto oom;
        }
    }
    for (size_t i = 0; i < ev.n_jobs; i++) {
        if (progress)
            progress(ctx, i, ev.n_jobs, p->runs[ev.jobs[i].run].name);
        if (run_job(&ev, &ev.jobs[i], jobs, err) != 0 || read_job(&ev, &ev.jobs[i], ids, err) != 0)
            goto out;
    }
    if (progress)
        progress(ctx, ev.n_jobs, ev.n_jobs, NULL);
    for (size_t i = 0; i < p->n_claims; i++) {
        const struct paper_claim *c = &p->claims[i];
        if (!r->values[i])
            continue;
        for (size_t k = 0; k < c->n_rows; k++) {
            struct paper_value *v = &r->values[i][k];
            if (c->rows[k].kind != PAPER_SIMULATED)
                continue;
            if (row_stats(&ev, c->rows[k].value, NULL, NULL, v, err) != 0)
                goto out;
            if (v->has)
                judge(&c->rows[k], ev.replications, v);
            for (size_t a = 0; a < c->across.n_values; a++) {
                struct paper_value w = {0};
                if (row_stats(&ev, c->rows[k].value, c->across.key, c->across.values[a], &w,
                              err) != 0)
                    goto out;
                v->across[a] = w.has ? w.mean : NAN;
                v->across_ci95[a] = w.has ? w.ci95 : NAN;
            }
        }
    }
    rc = 0;
    goto out;
oom:
    slsim_error_set(err, p->file, 0, 0, NULL, "out of memory");
out:
    for (size_t i = 0; i < ev.n_jobs; i++) {
        if (ev.jobs[i].done)
            run_output_free(&ev.jobs[i].out);
        if (ev.jobs[i].s)
            scenario_destroy(ev.jobs[i].s);
        for (size_t k = 0; k < ev.jobs[i].n_reads; k++)
            free(ev.jobs[i].reads[k].v);
        free(ev.jobs[i].reads);
    }
    free(ev.jobs);
    if (rc != 0)
        paper_result_free(r);
    return rc;
}

void paper_result_free(struct paper_result *r)
{
    if (r->values && r->paper)
        for (size_t i = 0; i < r->paper->n_claims; i++) {
            if (!r->values[i])
                continue;
            for (size_t k = 0; k < r->paper->claims[i].n_rows; k++) {
                free(r->values[i][k].across);
                free(r->values[i][k].across_ci95);
            }
            free(r->values[i]);
        }
    free(r->values);
    memset(r, 0, sizeof *r);
}

const char *paper_verdict(const struct paper_row *row, const struct paper_value *v)
{
    switch (row->kind) {
    case PAPER_INPUT:
        return "input";
    case PAPER_NOT_OUTPUT:
        return "not a simulation output";
    case PAPER_NOT_REPRODUCIBLE:
        return "not reproducible";
    case PAPER_SIMULATED:
        break;
    }
    return v && v->has && v->reproduced ? "reproduced" : "differs";
}
