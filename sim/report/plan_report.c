/* plan_report.c - `slsim plan`'s answer: the text for people, JSON for machines, and
 * the Pareto front and the evaluations as CSV. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "writers.h"

/* "memory=2GiB provisioned=4": the leaf of each key that applies, and its value. */
static void config_text(const struct report_plan *r, const struct plan_eval *e, char *buf,
                        size_t n)
{
    const struct plan_spec *p = r->spec;
    size_t w = (size_t)snprintf(buf, n, "%s", r->deployment_names[e->deployment]);
    for (size_t a = 0; a < p->n_axes && w < n; a++) {
        if (e->value[a] == SIZE_MAX)
            continue;
        const char *key = p->axes[a].key;
        const char *dot = strrchr(key, '.');
        w += (size_t)snprintf(buf + w, n - w, " %s=%s", dot ? dot + 1 : key,
                              p->axes[a].values[e->value[a]]);
    }
}

static const char *op_text(enum plan_op op)
{
    return plan_op_text(op);
}

/* ---- text ---- */

int report_plan_text(FILE *fp, const struct report_plan *r)
{
    const struct plan_spec *p = r->spec;
    const struct plan_result *res = r->result;
    fprintf(fp, "plan: %s, minimize %s", r->scenario, p->minimize);
    for (size_t i = 0; i < p->n_cons; i++)
        fprintf(fp, "%s%s", i ? " and " : " subject to ", p->cons[i].text);
    fprintf(fp, "\nsearch: %s\n", res->method);
    fprintf(fp, "simulations: %zu (%zu to search %zu configuration%s, %zu to confirm)\n\n",
            res->simulations, res->search_runs, res->grid_size, res->grid_size == 1 ? "" : "s",
            res->simulations - res->search_runs);
    /* The configuration column as wide as its longest entry (within reason). */
    int width = 13;
    for (size_t i = 0; i < res->n_evals && i < REPORT_PLAN_MAX_ROWS; i++) {
        char cfg[512];
        config_text(r, &res->evals[i], cfg, sizeof cfg);
        int len = (int)strlen(cfg);
        if (len > width)
            width = len > 70 ? 70 : len;
    }
    size_t shown = 0;
    fprintf(fp, "%-*s %16s %10s %10s", width, "configuration", p->minimize, "p99 ms", "mean ms");
    for (size_t j = 0; j < p->n_cons; j++)
        fprintf(fp, " %16s", p->cons[j].metric);
    fputs("  verdict\n", fp);
    for (size_t i = 0; i < res->n_evals; i++) {
        const struct plan_eval *e = &res->evals[i];
        if (shown == REPORT_PLAN_MAX_ROWS) {
            fprintf(fp, "... and %zu more (all of them: --out-dir, evaluated.csv)\n",
                    res->n_evals - shown);
            break;
        }
        char cfg[512];
        config_text(r, e, cfg, sizeof cfg);
        if (!e->loads) {
            fprintf(fp, "%-*s %16s %10s %10s", width, cfg, "-", "-", "-");
            for (size_t j = 0; j < p->n_cons; j++)
                fprintf(fp, " %16s", "-");
            fprintf(fp, "  refused: %.100s\n", e->error);
        } else {
            char p99[32], mean[32];
            report_fmt_ms(p99, sizeof p99, e->p99_ms);
            report_fmt_ms(mean, sizeof mean, e->mean_ms);
            fprintf(fp, "%-*s %16.6g %10s %10s", width, cfg, e->objective, p99, mean);
            for (size_t j = 0; j < p->n_cons; j++)
                fprintf(fp, " %16.6g", e->metric[j]);
            fprintf(fp, "  %s%s\n", e->feasible ? "meets" : "misses",
                    plan_on_front(res, i) ? ", on the front" : "");
        }
        shown++;
    }
    fputc('\n', fp);
    const struct {
        const char *what;
        size_t i;
    } picks[] = {{"cheapest", res->cheapest}, {"fastest (mean)", res->fastest},
                 {"balanced", res->balanced}};
    for (size_t k = 0; k < 3; k++) {
        if (picks[k].i == SIZE_MAX)
            continue;
        char cfg[512];
        config_text(r, &res->evals[picks[k].i], cfg, sizeof cfg);
        fprintf(fp, "%-15s %s", picks[k].what, cfg);
        if (k == 2)
            fprintf(fp, " (Power Tuning's weighted choice, weight %g)", r->weight);
        fputc('\n', fp);
    }
    for (size_t k = 0; k < res->n_confirmations; k++) {
        const struct plan_confirmation *c = &res->confirmations[k];
        char cfg[512];
        config_text(r, &res->evals[c->eval], cfg, sizeof cfg);
        fprintf(fp, "\nconfirmation %zu, %u replications: %s: %s %.6g +- %.3g", k + 1,
                p->confirm, cfg, p->minimize, c->objective, c->objective_ci95);
        for (size_t j = 0; j < p->n_cons; j++) {
            double bound = plan_op_upper(p->cons[j].op) ? c->metric[j] + c->metric_ci95[j]
                                                        : c->metric[j] - c->metric_ci95[j];
            fprintf(fp, "; %s %.6g +- %.3g, 95%% bound %.6g %s %.6g", p->cons[j].metric,
                    c->metric[j], c->metric_ci95[j], bound, op_text(p->cons[j].op),
                    p->cons[j].limit);
        }
        fprintf(fp, ": %s\n", c->met ? "holds" : "does not hold, next");
    }
    fputc('\n', fp);
    if (res->chosen != SIZE_MAX) {
        char cfg[512];
        config_text(r, &res->evals[res->chosen], cfg, sizeof cfg);
        fprintf(fp, "chosen: %s\n", cfg);
        const struct plan_eval *c = &res->evals[res->chosen];
        if (res->cheapest != SIZE_MAX && res->cheapest != res->chosen &&
            fabs(res->evals[res->cheapest].objective - c->objective) <=
                p->tie * fabs(res->evals[res->cheapest].objective))
            fprintf(fp, "(its %s is within %g%% of the least, a tie, and ties go to the lower "
                        "p99, then to fewer resources)\n",
                    p->minimize, 100 * p->tie);
    } else if (res->closest != SIZE_MAX) {
        char cfg[512];
        config_text(r, &res->evals[res->closest], cfg, sizeof cfg);
        const struct plan_eval *e = &res->evals[res->closest];
        fprintf(fp, "no configuration meets the constraints%s; the closest: %s (",
                res->n_confirmations ? " at the 95% bound" : "", cfg);
        for (size_t j = 0; j < p->n_cons; j++)
            fprintf(fp, "%s%s %.6g, limit %s %.6g", j ? "; " : "", p->cons[j].metric,
                    e->metric[j], op_text(p->cons[j].op), p->cons[j].limit);
        fputs(e->feasible ? "; it meets them by its mean, not at the 95% bound of its "
                            "confirmation)\n"
                          : ")\n",
              fp);
    } else {
        fputs("no configuration loads\n", fp);
    }
    return ferror(fp) ? -1 : 0;
}

/* ---- JSON ---- */

static cJSON *eval_json(const struct report_plan *r, size_t i)
{
    const struct plan_spec *p = r->spec;
    const struct plan_eval *e = &r->result->evals[i];
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddStringToObject(o, "deployment", r->deployment_names[e->deployment]);
    cJSON *vals = cJSON_AddObjectToObject(o, "values");
    for (size_t a = 0; vals && a < p->n_axes; a++)
        if (e->value[a] != SIZE_MAX)
            cJSON_AddStringToObject(vals, p->axes[a].key, p->axes[a].values[e->value[a]]);
    cJSON_AddBoolToObject(o, "loads", e->loads);
    if (!e->loads) {
        cJSON_AddStringToObject(o, "error", e->error);
        return o;
    }
    cJSON_AddNumberToObject(o, "objective", e->objective);
    cJSON_AddNumberToObject(o, "latency_ms_p99", e->p99_ms);
    cJSON_AddNumberToObject(o, "latency_ms_mean", e->mean_ms);
    cJSON *m = cJSON_AddObjectToObject(o, "metrics");
    for (size_t j = 0; m && j < p->n_cons; j++)
        cJSON_AddNumberToObject(m, p->cons[j].metric, e->metric[j]);
    cJSON_AddBoolToObject(o, "feasible", e->feasible);
    cJSON_AddBoolToObject(o, "pareto", plan_on_front(r->result, i));
    return o;
}

static void add_pick(cJSON *root, const char *name, const struct report_plan *r, size_t i)
{
    if (i == SIZE_MAX)
        cJSON_AddNullToObject(root, name);
    else
        cJSON_AddItemToObject(root, name, eval_json(r, i));
}

int report_plan_json(FILE *fp, const struct report_plan *r)
{
    const struct plan_spec *p = r->spec;
    const struct plan_result *res = r->result;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return -1;
    cJSON_AddStringToObject(root, "slsim_version", SLSIM_VERSION);
    cJSON_AddStringToObject(root, "scenario", r->scenario);
    cJSON_AddStringToObject(root, "minimize", p->minimize);
    cJSON *st = cJSON_AddArrayToObject(root, "subject_to");
    for (size_t j = 0; st && j < p->n_cons; j++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddStringToObject(c, "metric", p->cons[j].metric);
        cJSON_AddStringToObject(c, "op", op_text(p->cons[j].op));
        cJSON_AddNumberToObject(c, "limit", p->cons[j].limit);
        cJSON_AddItemToArray(st, c);
    }
    cJSON_AddStringToObject(root, "method", res->method);
    cJSON_AddNumberToObject(root, "grid_size", (double)res->grid_size);
    cJSON_AddNumberToObject(root, "simulations", (double)res->simulations);
    cJSON_AddNumberToObject(root, "search_simulations", (double)res->search_runs);
    cJSON_AddNumberToObject(root, "confirm_replications", p->confirm);
    cJSON *ev = cJSON_AddArrayToObject(root, "evaluated");
    for (size_t i = 0; ev && i < res->n_evals; i++)
        cJSON_AddItemToArray(ev, eval_json(r, i));
    cJSON *conf = cJSON_AddArrayToObject(root, "confirmations");
    for (size_t k = 0; conf && k < res->n_confirmations; k++) {
        const struct plan_confirmation *c = &res->confirmations[k];
        cJSON *o = eval_json(r, c->eval);
        /* The confirmation's own numbers replace the search's single run. */
        cJSON_DeleteItemFromObject(o, "objective");
        cJSON_DeleteItemFromObject(o, "latency_ms_p99");
        cJSON_DeleteItemFromObject(o, "latency_ms_mean");
        cJSON_DeleteItemFromObject(o, "metrics");
        cJSON_DeleteItemFromObject(o, "pareto");
        cJSON_AddNumberToObject(o, "objective", c->objective);
        cJSON_AddNumberToObject(o, "objective_ci95", c->objective_ci95);
        cJSON_AddNumberToObject(o, "latency_ms_p99", c->p99_ms);
        cJSON_AddNumberToObject(o, "latency_ms_p99_ci95", c->p99_ms_ci95);
        cJSON *m = cJSON_AddObjectToObject(o, "confirmed");
        for (size_t j = 0; m && j < p->n_cons; j++) {
            cJSON *x = cJSON_AddObjectToObject(m, p->cons[j].metric);
            cJSON_AddNumberToObject(x, "mean", c->metric[j]);
            cJSON_AddNumberToObject(x, "ci95", c->metric_ci95[j]);
        }
        cJSON_AddBoolToObject(o, "holds", c->met);
        cJSON_AddItemToArray(conf, o);
    }
    add_pick(root, "chosen", r, res->chosen);
    add_pick(root, "closest", r, res->closest);
    add_pick(root, "cheapest", r, res->cheapest);
    add_pick(root, "fastest", r, res->fastest);
    add_pick(root, "balanced", r, res->balanced);
    cJSON_AddNumberToObject(root, "balanced_weight", r->weight);
    return report_json_emit(fp, root);
}

/* ---- CSV: every evaluation, or the Pareto front ---- */

int report_plan_csv(FILE *fp, const struct report_plan *r, int front_only)
{
    const struct plan_spec *p = r->spec;
    const struct plan_result *res = r->result;
    fputs("deployment", fp);
    for (size_t a = 0; a < p->n_axes; a++) {
        fputc(',', fp);
        report_csv_text(fp, p->axes[a].key);
    }
    fputs(",loads,", fp);
    report_csv_name(fp, p->minimize);
    fputs(",latency_ms_p99,latency_ms_mean", fp);
    for (size_t j = 0; j < p->n_cons; j++) {
        fputc(',', fp);
        report_csv_name(fp, p->cons[j].metric);
    }
    fputs(",feasible,pareto,error\n", fp);
    for (size_t i = 0; i < res->n_evals; i++) {
        const struct plan_eval *e = &res->evals[i];
        int front = plan_on_front(res, i);
        if (front_only && !front)
            continue;
        report_csv_text(fp, r->deployment_names[e->deployment]);
        for (size_t a = 0; a < p->n_axes; a++) {
            fputc(',', fp);
            if (e->value[a] != SIZE_MAX)
                report_csv_text(fp, p->axes[a].values[e->value[a]]);
        }
        if (!e->loads) {
            fputs(",0,,,", fp);
            for (size_t j = 0; j < p->n_cons; j++)
                fputc(',', fp);
            fputs(",0,0,", fp);
            report_csv_text(fp, e->error);
            fputc('\n', fp);
            continue;
        }
        fprintf(fp, ",1,%.10g,%.10g,%.10g", e->objective, e->p99_ms, e->mean_ms);
        for (size_t j = 0; j < p->n_cons; j++)
            fprintf(fp, ",%.10g", e->metric[j]);
        fprintf(fp, ",%d,%d,\n", e->feasible, front);
    }
    return ferror(fp) ? -1 : 0;
}

/* The front as JSON: the evaluations on it, in configuration order. */
int report_plan_front_json(FILE *fp, const struct report_plan *r)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return -1;
    cJSON_AddStringToObject(root, "scenario", r->scenario);
    cJSON_AddStringToObject(root, "objective", r->spec->minimize);
    cJSON *front = cJSON_AddArrayToObject(root, "front");
    for (size_t i = 0; front && i < r->result->n_evals; i++)
        if (plan_on_front(r->result, i))
            cJSON_AddItemToArray(front, eval_json(r, i));
    return report_json_emit(fp, root);
}
