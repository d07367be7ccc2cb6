/* plot_kinds.c - the plots built from results in memory: a run's latency CCDF, a
 * duty-cycle comparison's costs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/histogram.h"
#include "slsim/plot.h"
#include "slsim/summary.h"

int plot_latency(const struct scenario *s, const struct run_output *out, struct plot *p,
                 struct slsim_error *err)
{
    plot_init(p, PLOT_LATENCY);
    snprintf(p->title, sizeof p->title, "%s: latency, share of requests slower than x",
             s->name);
    struct plot_panel *pn = &p->panel[0];
    snprintf(pn->xlabel, sizeof pn->xlabel, "latency x (ms)");
    snprintf(pn->ylabel, sizeof pn->ylabel, "P(latency > x)");
    pn->logx = pn->logy = 1;
    int any = 0;
    struct histogram *merged = malloc(sizeof *merged);
    if (!merged)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    int never_any = 0;
    for (size_t d = 0; d < out->n_deployments; d++) {
        histogram_reset(merged);
        uint64_t never = 0;
        for (uint32_t rep = 0; rep < out->replications; rep++) {
            const struct trial_record *r = run_output_part(out, rep, d, 0);
            const struct histogram *h = &r->latency;
            for (uint32_t b = 0; b < HISTOGRAM_BUCKETS; b++)
                merged->bucket[b] += h->bucket[b];
            merged->count += h->count;
            never += r->requests > h->count ? r->requests - h->count : 0;
        }
        if (!merged->count)
            continue;
        any = 1;
        never_any |= never > 0;
        if (plot_ccdf_series(p, run_output_part(out, 0, d, 0)->name, merged, never, (int)d) !=
            0) {
            free(merged);
            plot_free(p);
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        }
    }
    free(merged);
    if (never_any)
        snprintf(p->title, sizeof p->title,
                 "%s: latency, share of requests slower than x (refused or dropped: never "
                 "answered)",
                 s->name);
    if (!any) {
        plot_free(p);
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "no deployment served a request: no latency to draw");
    }
    if (s->slo.percentile > 0) {
        pn->vline = (double)s->slo.latency_ns / 1e6;
        snprintf(pn->vline_label, sizeof pn->vline_label, "SLO %g ms", pn->vline);
        pn->hline = 1 - s->slo.percentile / 100;
        snprintf(pn->hline_label, sizeof pn->hline_label, "p%g", s->slo.percentile);
    }
    return 0;
}

int plot_cost_duty(const struct scenario *s, const struct compare_result *r, struct plot *p,
                   struct slsim_error *err)
{
    plot_init(p, PLOT_COST_DUTY);
    p->n_panels = 2;
    snprintf(p->title, sizeof p->title,
             "%s: monthly cost by duty cycle (hollow: misses the SLO)", s->name);
    snprintf(p->panel[0].xlabel, sizeof p->panel[0].xlabel, "duty cycle (share of time on)");
    snprintf(p->panel[0].ylabel, sizeof p->panel[0].ylabel, "USD per month");
    snprintf(p->panel[1].xlabel, sizeof p->panel[1].xlabel, "duty cycle (share of time on)");
    snprintf(p->panel[1].ylabel, sizeof p->panel[1].ylabel, "p99 latency (ms)");
    p->panel[0].y_from_zero = 1; /* a cost from 0: a difference shows at its size */
    if (s->slo.percentile > 0) {
        p->panel[1].hline = (double)s->slo.latency_ns / 1e6;
        snprintf(p->panel[1].hline_label, sizeof p->panel[1].hline_label, "SLO %g ms",
                 p->panel[1].hline);
    }
    for (size_t d = 0; d < r->n_deployments; d++) {
        for (int panel = 0; panel < 2; panel++) {
            struct plot_series *x =
                plot_add_series(p, r->deployments[d].name, r->n_points, panel,
                                PLOT_LINES);
            if (!x || !(x->hollow = calloc(r->n_points ? r->n_points : 1, 1))) {
                plot_free(p);
                return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
            }
            x->look = (int)d;
            for (size_t k = 0; k < r->n_points; k++) {
                const struct compare_cell *c = &r->points[k].cells[d];
                x->x[k] = r->points[k].duty_cycle;
                x->y[k] = panel == 0 ? c->cost_usd_per_month : c->latency_ms_p99;
                x->hollow[k] = !c->slo_met;
            }
        }
    }
    for (size_t b = 0; b < r->n_break_even; b++) {
        const struct compare_break_even *be = &r->break_even[b];
        char label[2 * SLSIM_NAME_MAX + 32];
        snprintf(label, sizeof label, "%s = %s at %.3g", r->deployments[be->a].name,
                 r->deployments[be->b].name, be->duty_cycle);
        if (plot_add_marker(p, be->duty_cycle, NAN, label, 0) != 0) {
            plot_free(p);
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        }
    }
    return 0;
}
