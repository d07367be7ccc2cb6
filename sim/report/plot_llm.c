/* plot_llm.c - the plots of batching and of LLM serving: the batch-size histogram of
 * each batching deployment, and the TTFT and TPOT CCDFs of each LLM deployment.
 *
 * Each is summed over every replication, as the reports' histograms are, and drawn
 * with the deployment's index as its look, so a deployment has the colour it has in
 * the latency plot. Batch sizes are counted in power-of-two buckets (result.h's
 * batch_stats), so the histogram puts each bucket's count at its largest size (1, 2,
 * 4, ..., 4096) on a log axis, points joined: bars side by side would hide each other
 * when several deployments batch. The counts are on a log axis too. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/histogram.h"
#include "slsim/plot.h"

static int oom(struct plot *p, struct slsim_error *err)
{
    plot_free(p);
    return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
}

int plot_batch(const struct scenario *s, const struct run_output *out, struct plot *p,
               struct slsim_error *err)
{
    plot_init(p, PLOT_BATCH);
    snprintf(p->title, sizeof p->title, "%s: batch sizes, batches sent per size", s->name);
    struct plot_panel *pn = &p->panel[0];
    snprintf(pn->xlabel, sizeof pn->xlabel,
             "batch size (requests; the largest of its bucket: 1, 2, 3-4, 5-8, ...)");
    snprintf(pn->ylabel, sizeof pn->ylabel, "batches sent");
    /* log y: the full batches, often a few hundredths of the batches, stay visible (an
       empty bucket, 0 on a log axis, is left undrawn) */
    pn->logx = pn->logy = 1;
    /* the buckets up to the largest any deployment used, the same for every series */
    size_t n = 0, batching = 0;
    for (size_t d = 0; d < out->n_deployments; d++)
        for (uint32_t rep = 0; rep < out->replications; rep++) {
            const struct batch_stats *b = &run_output_part(out, rep, d, 0)->batch;
            batching += rep == 0 && b->on;
            for (size_t k = 0; b->on && k < BATCH_BUCKETS; k++)
                if (b->size_buckets[k] && k + 1 > n)
                    n = k + 1;
        }
    if (!batching)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "no deployment batches (batching:): no batch sizes to draw");
    if (!n)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "no batching deployment sent a batch: no batch sizes to draw");
    for (size_t d = 0; d < out->n_deployments; d++) {
        const struct trial_record *r = run_output_part(out, 0, d, 0);
        if (!r->batch.on)
            continue;
        struct plot_series *x = plot_add_series(p, r->name, n, 0, PLOT_LINESPOINTS);
        if (!x)
            return oom(p, err);
        x->look = (int)d;
        for (size_t k = 0; k < n; k++) {
            uint64_t count = 0;
            for (uint32_t rep = 0; rep < out->replications; rep++)
                count += run_output_part(out, rep, d, 0)->batch.size_buckets[k];
            x->x[k] = (double)(1u << k);
            x->y[k] = (double)count;
        }
    }
    return 0;
}

/* The CCDF of one LLM distribution (ttft 1: TTFT, else TPOT) of each LLM deployment. */
static int plot_llm_ccdf(const struct scenario *s, const struct run_output *out, int ttft,
                         struct plot *p, struct slsim_error *err)
{
    const char *what = ttft ? "TTFT" : "TPOT";
    plot_init(p, ttft ? PLOT_TTFT : PLOT_TPOT);
    snprintf(p->title, sizeof p->title, "%s: %s, share of requests slower than x", s->name,
             ttft ? "time to first token" : "time per output token");
    struct plot_panel *pn = &p->panel[0];
    snprintf(pn->xlabel, sizeof pn->xlabel, "%s x (ms)", what);
    snprintf(pn->ylabel, sizeof pn->ylabel, "P(%s > x)", what);
    pn->logx = pn->logy = 1;
    int llm = 0, any = 0;
    struct histogram *merged = malloc(sizeof *merged);
    if (!merged)
        return oom(p, err);
    for (size_t d = 0; d < out->n_deployments; d++) {
        histogram_reset(merged);
        for (uint32_t rep = 0; rep < out->replications; rep++) {
            const struct llm_stats *l = run_output_part(out, rep, d, 0)->llm;
            if (!l)
                continue;
            llm = 1;
            const struct histogram *h = ttft ? &l->ttft : &l->tpot;
            for (uint32_t b = 0; b < HISTOGRAM_BUCKETS; b++)
                merged->bucket[b] += h->bucket[b];
            merged->count += h->count;
        }
        if (!merged->count)
            continue;
        any = 1;
        if (plot_ccdf_series(p, run_output_part(out, 0, d, 0)->name, merged, 0, (int)d) != 0) {
            free(merged);
            return oom(p, err);
        }
    }
    free(merged);
    if (!llm) {
        plot_free(p);
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "no deployment serves an LLM: no %s to draw", what);
    }
    if (!any) {
        plot_free(p);
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "no LLM deployment measured a %s%s: nothing to draw", what,
                               ttft ? "" : " (every request had one output token, or none "
                                           "was served)");
    }
    double pct = ttft ? s->slo.ttft_percentile : s->slo.tpot_percentile;
    if (pct > 0) {
        pn->vline = (double)(ttft ? s->slo.ttft_ns : s->slo.tpot_ns) / 1e6;
        snprintf(pn->vline_label, sizeof pn->vline_label, "SLO %g ms", pn->vline);
        pn->hline = 1 - pct / 100;
        snprintf(pn->hline_label, sizeof pn->hline_label, "p%g", pct);
    }
    return 0;
}

int plot_ttft(const struct scenario *s, const struct run_output *out, struct plot *p,
              struct slsim_error *err)
{
    return plot_llm_ccdf(s, out, 1, p, err);
}

int plot_tpot(const struct scenario *s, const struct run_output *out, struct plot *p,
              struct slsim_error *err)
{
    return plot_llm_ccdf(s, out, 0, p, err);
}
