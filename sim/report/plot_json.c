/* plot_json.c - plots built from a saved JSON report (`slsim plot`), into the same
 * description the results in memory give, so a picture drawn later is the picture
 * drawn at the time: the numbers are read back exactly (cJSON prints the shortest form
 * that reads back to the same double). */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/plot.h"

static double num(const cJSON *o, const char *key, double dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : dflt;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

/* Number i of array a, or 0 when there is none. */
static double item(const cJSON *a, int i)
{
    const cJSON *v = cJSON_GetArrayItem(a, i);
    return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static int oom(struct plot *p, struct slsim_error *err)
{
    plot_free(p);
    return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
}

/* The SLO of a report: its `slo` member (percentile, latency_ms). */
static void slo_of(const cJSON *root, double *percentile, double *latency_ms)
{
    const cJSON *slo = cJSON_GetObjectItemCaseSensitive(root, "slo");
    *percentile = num(slo, "percentile", 0);
    *latency_ms = num(slo, "latency_ms", NAN);
}

/* compare --format json: points[k].deployments[d].{cost_usd_per_month, latency_ms_p99,
 * slo_met}, break_even[] */
static int cost_duty(const cJSON *root, const char *file, struct plot *p,
                     struct slsim_error *err)
{
    plot_init(p, PLOT_COST_DUTY);
    p->n_panels = 2;
    snprintf(p->title, sizeof p->title,
             "%s: monthly cost by duty cycle (hollow: misses the SLO)", str(root, "scenario"));
    for (int k = 0; k < 2; k++)
        snprintf(p->panel[k].xlabel, sizeof p->panel[k].xlabel, "duty cycle (share of time on)");
    snprintf(p->panel[0].ylabel, sizeof p->panel[0].ylabel, "USD per month");
    snprintf(p->panel[1].ylabel, sizeof p->panel[1].ylabel, "p99 latency (ms)");
    p->panel[0].y_from_zero = 1; /* a cost from 0: a difference shows at its size */
    double pct, lat;
    slo_of(root, &pct, &lat);
    if (pct > 0 && !isnan(lat)) {
        p->panel[1].hline = lat;
        snprintf(p->panel[1].hline_label, sizeof p->panel[1].hline_label, "SLO %g ms", lat);
    }
    const cJSON *deps = cJSON_GetObjectItemCaseSensitive(root, "deployments");
    const cJSON *points = cJSON_GetObjectItemCaseSensitive(root, "points");
    size_t nd = (size_t)cJSON_GetArraySize(deps), np = (size_t)cJSON_GetArraySize(points);
    if (!nd || !np) {
        plot_free(p);
        return slsim_error_set(err, file, 0, 0, NULL, "a compare report without points");
    }
    for (size_t d = 0; d < nd; d++) {
        const char *name = str(cJSON_GetArrayItem(deps, (int)d), "name");
        for (int panel = 0; panel < 2; panel++) {
            struct plot_series *s = plot_add_series(p, name, np, panel, PLOT_LINES);
            if (!s || !(s->hollow = calloc(np, 1)))
                return oom(p, err);
            s->look = (int)d;
            for (size_t k = 0; k < np; k++) {
                const cJSON *pt = cJSON_GetArrayItem(points, (int)k);
                const cJSON *cell =
                    cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(pt, "deployments"), (int)d);
                s->x[k] = num(pt, "duty_cycle", NAN);
                s->y[k] = num(cell, panel == 0 ? "cost_usd_per_month" : "latency_ms_p99", NAN);
                s->hollow[k] = !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cell, "slo_met"));
            }
        }
    }
    const cJSON *be;
    cJSON_ArrayForEach(be, cJSON_GetObjectItemCaseSensitive(root, "break_even"))
    {
        char label[160];
        snprintf(label, sizeof label, "%s = %s at %.3g", str(be, "a"), str(be, "b"),
                 num(be, "duty_cycle", NAN));
        if (plot_add_marker(p, num(be, "duty_cycle", NAN), NAN, label, 0) != 0)
            return oom(p, err);
    }
    return 0;
}

/* run --format json: deployments[d].latency_histogram.buckets [[low_ms, high_ms, count]] */
static int latency(const cJSON *root, const char *file, struct plot *p, struct slsim_error *err)
{
    plot_init(p, PLOT_LATENCY);
    snprintf(p->title, sizeof p->title, "%s: latency, share of requests slower than x",
             str(root, "scenario"));
    struct plot_panel *pn = &p->panel[0];
    snprintf(pn->xlabel, sizeof pn->xlabel, "latency x (ms)");
    snprintf(pn->ylabel, sizeof pn->ylabel, "P(latency > x)");
    pn->logx = pn->logy = 1;
    const cJSON *d;
    int look = 0, any = 0, never_any = 0;
    cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(root, "deployments"))
    {
        const cJSON *h = cJSON_GetObjectItemCaseSensitive(d, "latency_histogram");
        if (!h) {
            plot_free(p);
            return slsim_error_set(err, file, 0, 0, NULL,
                                   "deployment %s has no latency_histogram: a report of an "
                                   "older slsim; run it again to draw it",
                                   str(d, "name"));
        }
        const cJSON *buckets = cJSON_GetObjectItemCaseSensitive(h, "buckets");
        int nb = cJSON_GetArraySize(buckets);
        double total = 0;
        for (int b = 0; b < nb; b++)
            total += item(cJSON_GetArrayItem(buckets, b), 2);
        if (nb == 0 || total <= 0) {
            look++;
            continue;
        }
        any = 1;
        /* requests that never came back (refused, dropped): slower than any x; the report's
         * counts are means over replications, the histogram their sum */
        double reps = num(root, "replications", 1);
        double never = round((num(d, "requests", 0) - num(d, "served", 0)) * reps);
        if (never < 0)
            never = 0;
        never_any |= never > 0;
        struct plot_series *s = plot_add_series(p, str(d, "name"),
                                                (size_t)nb - (never > 0 ? 0 : 1), 0, PLOT_STEPS);
        if (!s)
            return oom(p, err);
        s->look = look++;
        double above = total + never;
        for (size_t b = 0; b < s->n; b++) {
            const cJSON *row = cJSON_GetArrayItem(buckets, (int)b);
            above -= item(row, 2);
            s->x[b] = item(row, 1);
            s->y[b] = above / (total + never);
        }
    }
    if (!any) {
        plot_free(p);
        return slsim_error_set(err, file, 0, 0, NULL,
                               "no deployment served a request: no latency to draw");
    }
    if (never_any)
        snprintf(p->title, sizeof p->title,
                 "%s: latency, share of requests slower than x (refused or dropped: never "
                 "answered)",
                 str(root, "scenario"));
    double pct, lat;
    slo_of(root, &pct, &lat);
    if (pct > 0 && !isnan(lat)) {
        pn->vline = lat;
        snprintf(pn->vline_label, sizeof pn->vline_label, "SLO %g ms", lat);
        pn->hline = 1 - pct / 100;
        snprintf(pn->hline_label, sizeof pn->hline_label, "p%g", pct);
    }
    return 0;
}

int plot_from_json(const char *text, size_t len, const char *file, int kind, struct plot *p,
                   struct slsim_error *err)
{
    cJSON *root = cJSON_ParseWithLength(text, len);
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return slsim_error_set(err, file, 0, 0, NULL,
                               "not a JSON report (slsim plot draws what `run --format json` "
                               "or `compare --format json` wrote)");
    }
    int is_compare = cJSON_GetObjectItemCaseSensitive(root, "points") != NULL;
    enum plot_kind want = is_compare ? PLOT_COST_DUTY : PLOT_LATENCY;
    int rc;
    if (kind >= 0 && (enum plot_kind)kind != want)
        rc = slsim_error_set(err, file, 0, 0, NULL, "a %s report draws %s, not %s",
                             is_compare ? "compare" : "run", plot_kind_name(want),
                             plot_kind_name((enum plot_kind)kind));
    else if (!cJSON_GetObjectItemCaseSensitive(root, "deployments"))
        rc = slsim_error_set(err, file, 0, 0, NULL,
                             "not a run's or compare's JSON report: it has no deployments");
    else
        rc = is_compare ? cost_duty(root, file, p, err) : latency(root, file, p, err);
    cJSON_Delete(root);
    return rc;
}
