/* table.c - the report people read: one aligned row per deployment.
 *
 * A few lines say what was simulated, the table gives the numbers most decisions
 * need, the cheapest deployment is marked, and a legend says what each column
 * means, so a newcomer can read it without the docs. Markdown is the same table
 * with pipes, for pasting into documents. */
#include <stdlib.h>
#include <string.h>

#include "slsim/slo_config.h"
#include "writers.h"

enum { COLS = 16, CELL = 72 };

/* Two tables, each starting with the deployment: traffic and latency, then
 * capacity and cost; together they would be far wider than a terminal. Column
 * COST's heading names the measured period and is filled in at run time. */
enum { COST = 14 };
static const char *const heads[COLS] = {
    "deployment", "platform",  "requests", "served", "throttled", "req/s",
    "cold starts", "p50 ms",   "p95 ms",   "p99 ms", "p99.9 ms",  "std ms",
    "instances",   "util",     NULL,       "USD/month",
};
static const int table_cols[2][COLS + 1] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, -1},
    {0, 12, 13, 14, 15, -1},
};

/* The file name of path, without its folders. */
static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void describe_workload(FILE *fp, const struct scenario *s)
{
    const struct workload_spec *w = &s->workload;
    char period[32];
    units_format_duration(w->period_ns, period, sizeof period);
    switch (w->arrival) {
    case ARRIVAL_POISSON:
        fprintf(fp, "Poisson arrivals at %g/s", w->rate_per_s);
        break;
    case ARRIVAL_CONSTANT:
        fprintf(fp, "one request every %g s", 1.0 / w->rate_per_s);
        break;
    case ARRIVAL_ONOFF:
        fprintf(fp, "on/off traffic, %g/s during the first %g%% of every %s", w->rate_per_s,
                100.0 * w->duty_cycle, period);
        break;
    case ARRIVAL_DIURNAL:
        fprintf(fp, "daily cycle, mean %g/s, peak %gx the mean, period %s", w->rate_per_s,
                w->peak_to_mean, period);
        break;
    case ARRIVAL_TRACE: {
        fprintf(fp, "the %s trace %s", trace_format_name(w->trace.format),
                base_name(w->trace.path));
        if (w->trace.rate_scale != 1.0 || w->trace.time_scale != 1.0)
            fprintf(fp, " (rate x%g, time x%g)", w->trace.rate_scale, w->trace.time_scale);
        break;
    }
    }
    if (w->n_spikes)
        fprintf(fp, ", %zu spike%s (up to %gx)", w->n_spikes, w->n_spikes > 1 ? "s" : "",
                w->spikes[0].factor);
}

/* The service model the run used: a trace's own durations where it gives them (it replaces model.service), else model.service. Written to fp after
 * "model (size, ". */
static void describe_service(FILE *fp, const struct scenario *s)
{
    const struct trace_spec *t = &s->workload.trace;
    int trace = s->workload.arrival == ARRIVAL_TRACE && !t->service_from_model;
    char mean[32];
    if (s->model.is_llm) { /* no service time: iterations of the scheduler make it */
        fputs("an LLM served by iterations", fp);
        return;
    }
    units_format_duration((sim_time)(dist_mean_s(&s->model.service) * 1e9 + 0.5), mean,
                          sizeof mean);
    /* An azure-llm trace gives tokens, no durations: model.service, as for no trace. */
    if (trace && t->format == TRACE_AZURE2019 && t->durations[0]) {
        fprintf(fp, "service drawn from per-function duration percentiles in %s; %s service, "
                    "mean %s, for functions without",
                base_name(t->durations), dist_kind_name(s->model.service.kind), mean);
    } else if (trace && t->format == TRACE_AZURE2021) {
        fprintf(fp, "service from the trace's durations");
    } else if (trace && t->format == TRACE_CSV && t->col_duration[0]) {
        fprintf(fp, "service from the trace's durations (column %s)", t->col_duration);
    } else {
        fprintf(fp, "%s service, mean %s", dist_kind_name(s->model.service.kind), mean);
    }
}

/* One line naming the cold-start model behind a deployment's numbers, what it
 * produced, and the constants in it that nobody published. */
static void describe_coldstart(FILE *fp, int markdown, const struct trial_record *r,
                               const struct summary_field *f, size_t n,
                               const struct fleet_spec *fleet)
{
    const char *name = r->name;
    const char *profile = summary_field_text(f, n, "coldstart.profile");
    const char *artifact = summary_field_text(f, n, "coldstart.artifact");
    const char *assumed = summary_field_text(f, n, "coldstart.assumed");
    fprintf(fp, "%s%s: ", markdown ? "- " : "", name);
    if (strcmp(profile, "none") == 0) {
        if (r->type == DEPLOYMENT_DEDICATED && fleet && fleet->autoscale.enabled)
            fprintf(fp, "an autoscaled fleet: a machine it launches serves %.4g s later "
                        "(autoscale.boot)\n",
                    (double)fleet->autoscale.boot_ns / 1e9);
        else
            fputs(r->type == DEPLOYMENT_DEDICATED
                      ? "a dedicated fleet: no cold-start profile (an autoscaled fleet boots "
                        "machines for autoscale.boot)\n"
                      : "no cold-start profile: instances start at once\n",
                  fp);
        return;
    }
    if (strcmp(profile, "deployment") == 0)
        fputs("cold starts from the deployment's own distribution", fp);
    else
        fprintf(fp, "cold-start profile %s%s%s%s", profile, artifact[0] ? " (model in " : "",
                artifact, artifact[0] ? ")" : "");
    fprintf(fp, ", mean %.3g s", summary_field_value(f, n, "coldstart.mean_s"));
    double billed_gpu_s = summary_field_value(f, n, "coldstart.billed_gpu_s");
    if (billed_gpu_s > 0)
        fprintf(fp, ", %.4g GPU-s billed", billed_gpu_s);
    double retries = summary_field_value(f, n, "coldstart.init_retries");
    if (retries > 0)
        fprintf(fp, ", %.0f init%s retried past the init timeout", retries,
                retries == 1 ? "" : "s");
    if (strcmp(assumed, "none") != 0)
        fprintf(fp, " (assumed: %s)", assumed);
    fputc('\n', fp);
}

/* One line giving an LLM deployment's engine as built: its settings (the scenario's
 * serving:, else vLLM's defaults for the GPU) and its KV cache; a hybrid's, one per
 * tier (each runs on its own GPU). */
static void describe_engine(FILE *fp, int markdown, const struct run_output *out, size_t d)
{
    const struct trial_record *total = run_output_part(out, 0, d, 0);
    uint32_t tiers = total->n_tiers;
    for (uint32_t t = tiers ? 1 : 0; t <= tiers; t++) {
        const struct trial_record *r = run_output_part(out, 0, d, t);
        const struct llm_stats *l = r->llm;
        if (!l)
            continue;
        char what[96] = "engine";
        if (l->dp > 1)
            snprintf(what, sizeof what, "%u engines of %u GPU%s, each", l->dp, l->tp,
                     l->tp > 1 ? "s" : "");
        else if (l->tp > 1)
            snprintf(what, sizeof what, "engine over %u GPUs,", l->tp);
        fprintf(fp,
                "%s%s%s%s: %s max_num_seqs %u, max_num_batched_tokens %u, chunked "
                "prefill %s; KV cache %llu blocks of %u tokens (%llu tokens) an instance\n",
                markdown ? "- " : "", total->name, t ? " " : "", t ? r->name : "", what,
                l->max_num_seqs, l->max_num_batched_tokens, l->chunked_prefill ? "on" : "off",
                (unsigned long long)l->kv_blocks, l->block_size,
                (unsigned long long)l->kv_blocks * l->block_size);
    }
}

/* One line giving a batching deployment's batches by size: the histogram's
 * non-empty buckets (means over replications). */
static void describe_batch_sizes(FILE *fp, int markdown, const struct trial_record *r,
                                 const struct summary_field *f, size_t n)
{
    if (!r->batch.on)
        return;
    fprintf(fp, "%s%s: batches by size", markdown ? "- " : "", r->name);
    const char *prefix = "batch_size.histogram.";
    size_t len = strlen(prefix);
    const char *sep = " ";
    for (size_t i = 0; i < n; i++) {
        if (strncmp(f[i].path, prefix, len) != 0 || f[i].value == 0)
            continue;
        /* a count: whole in one replication, a mean of counts in several */
        double v = f[i].value;
        if (v == floor(v))
            fprintf(fp, "%s%s: %.0f", sep, f[i].path + len, v);
        else
            fprintf(fp, "%s%s: %.1f", sep, f[i].path + len, v);
        sep = ", ";
    }
    fputs(*sep == ' ' ? " none\n" : "\n", fp);
}

/* The cells of one row; a tier's name is indented under its deployment. */
static void fill_row(char row[COLS][CELL], const struct trial_record *r,
                     const struct summary_field *f, size_t n, int tier)
{
#define V(p) summary_field_value(f, n, (p))
    snprintf(row[0], CELL, "%s%s", tier ? "  - " : "", r->name);
    snprintf(row[1], CELL, "%s", r->platform);
    snprintf(row[2], CELL, "%.0f", V("requests"));
    snprintf(row[3], CELL, "%.0f", V("served"));
    snprintf(row[4], CELL, "%.0f", V("throttled") + V("dropped"));
    snprintf(row[5], CELL, "%.3g", V("throughput_per_s"));
    snprintf(row[6], CELL, "%.0f (%.2f%%)", V("cold_starts"), 100.0 * V("cold_start_ratio"));
    report_fmt_ms(row[7], CELL, V("latency_ms.p50"));
    report_fmt_ms(row[8], CELL, V("latency_ms.p95"));
    report_fmt_ms(row[9], CELL, V("latency_ms.p99"));
    report_fmt_ms(row[10], CELL, V("latency_ms.p999"));
    report_fmt_ms(row[11], CELL, V("latency_ms.std"));
    snprintf(row[12], CELL, "%.1f / %.0f", V("instances.mean"), V("instances.peak"));
    snprintf(row[13], CELL, "%.1f%%", 100.0 * V("utilization"));
    snprintf(row[14], CELL, "%.2f", V("cost_usd.total"));
    snprintf(row[15], CELL, "%.2f", V("cost_usd.per_month"));
#undef V
}

/* The tables under those two, each shown only when some deployment has what it
 * describes, with a row per deployment and tier that has it: batching, LLM serving. */
enum { XCOLS_MAX = 12 };
struct extra_table {
    int ncols;
    const char *const *heads;
    int (*has)(const struct trial_record *x);
    void (*fill)(char row[XCOLS_MAX][CELL], const struct trial_record *r,
                 const struct summary_field *f, size_t n, int tier);
};

static const char *const batch_heads[] = {
    "deployment", "batches", "mean size", "accel busy", "wait share", "items/s", "queue rejected",
};

static int batches(const struct trial_record *x)
{
    return x->batch.on;
}

static void fill_batch_row(char row[XCOLS_MAX][CELL], const struct trial_record *r,
                           const struct summary_field *f, size_t n, int tier)
{
#define V(p) summary_field_value(f, n, (p))
    snprintf(row[0], CELL, "%s%s", tier ? "  - " : "", r->name);
    snprintf(row[1], CELL, "%.0f", V("batches"));
    snprintf(row[2], CELL, "%.3g", V("batch_size.mean"));
    snprintf(row[3], CELL, "%.1f%%", 100.0 * V("accelerator_busy_fraction"));
    snprintf(row[4], CELL, "%.1f%%", 100.0 * V("batch_wait_share"));
    snprintf(row[5], CELL, "%.3g", V("items_per_s"));
    snprintf(row[6], CELL, "%.0f", V("queue_rejected"));
#undef V
}

static const struct extra_table batch_table = {
    sizeof batch_heads / sizeof batch_heads[0], batch_heads, batches, fill_batch_row,
};

static const char *const llm_heads[] = {
    "deployment", "TTFT p50 ms", "TTFT p99 ms", "TPOT p50 ms", "TPOT p99 ms", "ITL p99 ms",
    "in tok/s",   "out tok/s",   "batch",       "KV util",     "preempted",   "rejected",
};
_Static_assert(sizeof llm_heads / sizeof llm_heads[0] <= XCOLS_MAX, "room for the columns");

static int serves_llm(const struct trial_record *x)
{
    return x->llm != NULL;
}

static void fill_llm_row(char row[XCOLS_MAX][CELL], const struct trial_record *r,
                         const struct summary_field *f, size_t n, int tier)
{
#define V(p) summary_field_value(f, n, (p))
    snprintf(row[0], CELL, "%s%s", tier ? "  - " : "", r->name);
    report_fmt_ms(row[1], CELL, V("ttft_ms.p50"));
    report_fmt_ms(row[2], CELL, V("ttft_ms.p99"));
    report_fmt_ms(row[3], CELL, V("tpot_ms.p50"));
    report_fmt_ms(row[4], CELL, V("tpot_ms.p99"));
    report_fmt_ms(row[5], CELL, V("itl_ms.p99"));
    snprintf(row[6], CELL, "%.0f", V("tokens.input_per_s"));
    snprintf(row[7], CELL, "%.0f", V("tokens.output_per_s"));
    snprintf(row[8], CELL, "%.3g", V("running_batch.mean"));
    snprintf(row[9], CELL, "%.1f%%", 100.0 * V("kv_cache.utilization"));
    snprintf(row[10], CELL, "%.0f", V("preemptions"));
    snprintf(row[11], CELL, "%.0f", V("rejected"));
#undef V
}

static const struct extra_table llm_table = {
    sizeof llm_heads / sizeof llm_heads[0], llm_heads, serves_llm, fill_llm_row,
};

static int extra_table(FILE *fp, int markdown, const struct run_output *out,
                       const struct extra_table *tab)
{
    int ncols = tab->ncols;
    size_t nrows = 0;
    for (size_t d = 0; d < out->n_deployments; d++)
        nrows += 1 + out->results[d].n_tiers;
    char(*cell)[XCOLS_MAX][CELL] = calloc(nrows, sizeof *cell);
    if (!cell)
        return -1;
    size_t rows = 0;
    for (size_t d = 0; d < out->n_deployments; d++) {
        const struct trial_record *r = run_output_part(out, 0, d, 0);
        for (size_t t = 0; t <= r->n_tiers; t++) {
            const struct trial_record *x = run_output_part(out, 0, d, t);
            if (!tab->has(x))
                continue;
            struct summary_field f[SUMMARY_MAX_FIELDS];
            size_t n = summary_fields(out, d, t, f);
            tab->fill(cell[rows++], x, f, n, t > 0);
        }
    }
    size_t width[XCOLS_MAX];
    for (int c = 0; c < ncols; c++) {
        width[c] = strlen(tab->heads[c]);
        for (size_t k = 0; k < rows; k++)
            if (strlen(cell[k][c]) > width[c])
                width[c] = strlen(cell[k][c]);
    }
    fputc('\n', fp);
    if (markdown) {
        fputc('|', fp);
        for (int c = 0; c < ncols; c++)
            fprintf(fp, " %s |", tab->heads[c]);
        fputs("\n|", fp);
        for (int c = 0; c < ncols; c++)
            fputs(c == 0 ? "---|" : "---:|", fp);
        fputc('\n', fp);
        for (size_t k = 0; k < rows; k++) {
            fputc('|', fp);
            for (int c = 0; c < ncols; c++)
                fprintf(fp, " %s |", cell[k][c]);
            fputc('\n', fp);
        }
    } else {
        for (size_t k = 0; k <= rows; k++)
            for (int c = 0; c < ncols; c++) {
                fprintf(fp, c == 0 ? "%-*s" : "%*s", (int)width[c],
                        k == 0 ? tab->heads[c] : cell[k - 1][c]);
                fputs(c + 1 < ncols ? "  " : "\n", fp);
            }
    }
    free(cell);
    return 0;
}

/* The mean over replications of the pct-th percentile (0 < pct < 100) of deployment
 * d's TTFT (ttft 1) or TPOT (ttft 0) distribution, ms: what its objective is judged
 * on. 0 when the deployment serves no LLM. */
static double llm_percentile_ms(const struct run_output *out, size_t d, int ttft, double pct)
{
    double sum = 0;
    for (uint32_t k = 0; k < out->replications; k++) {
        const struct trial_record *r = run_output_part(out, k, d, 0);
        if (r->llm)
            sum += histogram_quantile_ns(ttft ? &r->llm->ttft : &r->llm->tpot, pct / 100.0) /
                   1e6;
    }
    return out->replications ? sum / out->replications : 0.0;
}

/* The SLO line of deployment d: its verdict, then each objective and what the run
 * gave. */
static void describe_slo(FILE *fp, int markdown, const struct scenario *s,
                         const struct run_output *out, size_t d)
{
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields(out, d, 0, f);
    const struct slo_spec *slo = &s->slo;
    char limit[32], ms[32];
    fprintf(fp, "%s%s: SLO %s", markdown ? "- " : "", out->results[d].name,
            summary_field_value(f, n, "slo_met") >= 1.0 ? "met" : "MISSED");
    if (slo->percentile > 0) {
        units_format_duration(slo->latency_ns, limit, sizeof limit);
        /* three decimals, more where a miss would otherwise print as 100.000% */
        double att = summary_field_value(f, n, "slo_attainment"), pct = 100.0 * att;
        int dec = 3;
        while (att < 1 && dec < 9 && pct >= 100 - 0.5 * pow(10, -dec))
            dec++;
        fprintf(fp, ", %.*f%% of requests within %s", dec, pct, limit);
    }
    for (int ttft = 1; ttft >= 0; ttft--) {
        double pct = ttft ? slo->ttft_percentile : slo->tpot_percentile;
        if (pct <= 0 || !out->results[d].llm)
            continue;
        units_format_duration(ttft ? slo->ttft_ns : slo->tpot_ns, limit, sizeof limit);
        report_fmt_ms(ms, sizeof ms, llm_percentile_ms(out, d, ttft, pct));
        fprintf(fp, ", %s p%g %s ms (objective %s)", ttft ? "TTFT" : "TPOT", pct, ms, limit);
    }
    const struct fleet_spec *fleet = deployment_fleet(&s->deployments[d]);
    if (s->deployments[d].type == DEPLOYMENT_DEDICATED && fleet->count_auto)
        fprintf(fp, "; count: auto chose %u x %s for a peak of %g requests/s", fleet->count,
                fleet->instance, fleet->count_auto_peak_rate_per_s);
    fputc('\n', fp);
}

/* Deployment d's SLO misses and the share of them that waited for a cold start ("-":
 * no miss), on a line of their own under the SLO lines. */
static void describe_misses(FILE *fp, int markdown, const struct run_output *out, size_t d)
{
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields(out, d, 0, f);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i].path, "slo_miss_cold_start_fraction") != 0)
            continue;
        double misses = summary_field_value(f, n, "slo_misses");
        fprintf(fp, "%s%s: %.0f SLO %s, after a cold start: ", markdown ? "- " : "",
                out->results[d].name, misses, misses == 1 ? "miss" : "misses");
        if (f[i].undefined)
            fputs("-\n", fp);
        else
            fprintf(fp, "%.1f%%\n", 100.0 * f[i].value);
    }
}

/* Deployments whose requests ran into their timeout, a line each; nothing when none
 * did. */
static void describe_timeouts(FILE *fp, int markdown, const struct run_output *out)
{
    if (!summary_run_timeouts(out))
        return;
    for (size_t d = 0; d < out->n_deployments; d++) {
        struct summary_field f[SUMMARY_MAX_FIELDS];
        size_t n = summary_fields(out, d, 0, f);
        double k = summary_field_value(f, n, "timed_out");
        if (k > 0)
            fprintf(fp, "%s%s: %.0f requests timed out (%.3f%%): failed at the timeout, "
                        "billed up to it, not in the latencies\n",
                    markdown ? "- " : "", out->results[d].name, k,
                    100.0 * summary_field_value(f, n, "timed_out_fraction"));
    }
    fputc('\n', fp);
}

/* Deployments whose throttled invocations were retried (on_throttle: retry), a line
 * each: their waits are in the latencies, not in `throttled`. Nothing when none were. */
static void describe_retries(FILE *fp, int markdown, const struct run_output *out)
{
    int any = 0;
    for (size_t d = 0; d < out->n_deployments; d++) {
        struct summary_field f[SUMMARY_MAX_FIELDS];
        size_t n = summary_fields(out, d, 0, f);
        double k = summary_field_value(f, n, "retries");
        if (k > 0) {
            fprintf(fp, "%s%s: %.0f throttled invocations retried after a backoff (in the "
                        "latencies, not counted as throttled)\n",
                    markdown ? "- " : "", out->results[d].name, k);
            any = 1;
        }
    }
    if (any)
        fputc('\n', fp);
}

void report_slo_text(FILE *fp, const struct slo_spec *slo)
{
    char limit[32];
    const char *sep = "; SLO: ";
    if (slo->percentile > 0) {
        units_format_duration(slo->latency_ns, limit, sizeof limit);
        fprintf(fp, "%s%g%% of requests within %s", sep, slo->percentile, limit);
        sep = ", ";
    }
    if (slo->ttft_percentile > 0) {
        units_format_duration(slo->ttft_ns, limit, sizeof limit);
        fprintf(fp, "%sTTFT p%g within %s", sep, slo->ttft_percentile, limit);
        sep = ", ";
    }
    if (slo->tpot_percentile > 0) {
        units_format_duration(slo->tpot_ns, limit, sizeof limit);
        fprintf(fp, "%sTPOT p%g within %s", sep, slo->tpot_percentile, limit);
    }
}

void report_text_pricing(FILE *fp, const struct scenario *s)
{
    const char *as_of = s->catalog ? s->catalog->as_of : "";
    if (strcmp(s->pricing, "built-in") == 0)
        fprintf(fp, "prices: the built-in catalog as of %s", as_of);
    else
        fprintf(fp, "prices: catalog %s as of %s", s->pricing, as_of);
}

int report_run_table(FILE *fp, int markdown, const struct scenario *s,
                       const struct run_output *out)
{
    /* A row per deployment, and under a hybrid a row per tier. */
    size_t nd = out->n_deployments, nrows = nd;
    for (size_t d = 0; d < nd; d++)
        nrows += out->results[d].n_tiers;
    char(*cell)[COLS][CELL] = calloc(nrows, sizeof *cell);
    size_t *top = calloc(nrows, sizeof *top); /* row of each deployment */
    if (!cell || !top) {
        free(cell);
        free(top);
        return -1;
    }
    struct summary_candidate *cand = calloc(nd ? nd : 1, sizeof *cand);
    if (!cand) {
        free(cell);
        free(top);
        return -1;
    }
    int priced = 0;
    for (size_t d = 0, row = 0; d < nd; d++) {
        const struct trial_record *r = run_output_part(out, 0, d, 0);
        top[d] = row;
        for (size_t t = 0; t <= r->n_tiers; t++, row++) {
            struct summary_field f[SUMMARY_MAX_FIELDS];
            const struct trial_record *x = run_output_part(out, 0, d, t);
            size_t n = summary_fields(out, d, t, f);
            fill_row(cell[row], x, f, n, t > 0);
            if (t)
                continue;
            double cost = summary_field_value(f, n, "cost_usd.total");
            if (cost > 0)
                priced = 1;
            cand[d] = (struct summary_candidate){r->name, cost,
                                                summary_field_value(f, n, "latency_ms.p99"),
                                                summary_field_value(f, n, "slo_met") >= 1.0};
        }
    }
    size_t best_d = summary_cheapest(cand, nd);
    free(cand);
    /* Only a deployment that meets the SLO can be the one to choose. */
    int marked = priced && nd > 1 && best_d != SUMMARY_NONE;
    int none_meets = nd > 1 && slo_spec_any(&s->slo) && best_d == SUMMARY_NONE;

    char dur[32], warm[32], size[32];
    units_format_duration(s->duration_ns, dur, sizeof dur);
    units_format_duration(s->warmup_ns, warm, sizeof warm);
    units_format_size(s->model.size_bytes, size, sizeof size);
    fprintf(fp, "%s%s: %s (%s, ", markdown ? "**" : "", s->name, s->model.name, size);
    describe_service(fp, s);
    fputs(") under ", fp);
    describe_workload(fp, s);
    fprintf(fp, "%s\n", markdown ? "**" : "");
    if (markdown)
        fputc('\n', fp);
    fprintf(fp, "simulated %s", dur);
    if (s->warmup_ns > 0)
        fprintf(fp, " (the first %s is warm-up, not measured)", warm);
    fprintf(fp, ", seed %llu, %u replication%s", (unsigned long long)s->seed, out->replications,
            out->replications > 1 ? "s (means shown; JSON and CSV have 95% intervals)" : "");
    report_slo_text(fp, &s->slo);
    fputs(markdown ? "\n\n" : "\n", fp);
    report_text_pricing(fp, s);
    fputs("\n\n", fp);

    /* The period the cost covers, in the cost column's heading. */
    char measured[32], cost_head[CELL];
    units_format_duration(s->duration_ns - s->warmup_ns, measured, sizeof measured);
    snprintf(cost_head, sizeof cost_head, "USD in %s", measured);
    const char *head[COLS];
    for (int c = 0; c < COLS; c++)
        head[c] = c == COST ? cost_head : heads[c];
    size_t width[COLS];
    for (int c = 0; c < COLS; c++) {
        width[c] = strlen(head[c]);
        for (size_t d = 0; d < nrows; d++)
            if (strlen(cell[d][c]) > width[c])
                width[c] = strlen(cell[d][c]);
    }
    for (int t = 0; t < 2; t++) {
        const int *cols = table_cols[t];
        int ncols = 0;
        while (cols[ncols] >= 0)
            ncols++;
        /* The mark goes on the cost table, after its last number. */
        int mark_here = marked && t == 1;
        if (t)
            fputc('\n', fp);
        if (markdown) {
            fputc('|', fp);
            for (int k = 0; k < ncols; k++)
                fprintf(fp, " %s |", head[cols[k]]);
            fputs("\n|", fp);
            for (int k = 0; k < ncols; k++)
                fputs(cols[k] < 2 ? "---|" : "---:|", fp);
            fputc('\n', fp);
            for (size_t d = 0; d < nrows; d++) {
                fputc('|', fp);
                for (int k = 0; k < ncols; k++)
                    fprintf(fp, " %s%s |", cell[d][cols[k]],
                            k + 1 == ncols && mark_here && d == top[best_d] ? " *" : "");
                fputc('\n', fp);
            }
        } else {
            for (size_t d = 0; d <= nrows; d++) {
                for (int k = 0; k < ncols; k++) {
                    int c = cols[k];
                    const char *text = d == 0 ? head[c] : cell[d - 1][c];
                    if (k + 1 < ncols) {
                        fprintf(fp, c < 2 ? "%-*s" : "%*s", (int)width[c], text);
                        fputs("  ", fp);
                    } else { /* the mark after the number keeps the numbers aligned */
                        fprintf(fp, "%*s", (int)width[c], text);
                        fputs(mark_here && d == top[best_d] + 1 ? " *\n" : "\n", fp);
                    }
                }
            }
        }
    }
    int batching = summary_run_batches(out), llm = summary_run_llm(out);
    if ((batching && extra_table(fp, markdown, out, &batch_table) != 0) ||
        (llm && extra_table(fp, markdown, out, &llm_table) != 0)) {
        free(cell);
        free(top);
        return -1;
    }
    fputs("\n", fp);
    if (slo_spec_any(&s->slo)) {
        for (size_t d = 0; d < nd; d++)
            describe_slo(fp, markdown, s, out, d);
        for (size_t d = 0; s->slo.percentile > 0 && d < nd; d++)
            describe_misses(fp, markdown, out, d);
        fputc('\n', fp);
    }
    describe_timeouts(fp, markdown, out);
    describe_retries(fp, markdown, out);
    for (size_t d = 0; d < nd; d++) {
        struct summary_field f[SUMMARY_MAX_FIELDS];
        size_t n = summary_fields(out, d, 0, f);
        describe_coldstart(fp, markdown, &out->results[d], f, n,
                           deployment_fleet(&s->deployments[d]));
    }
    for (size_t d = 0; batching && d < nd; d++) {
        struct summary_field f[SUMMARY_MAX_FIELDS];
        size_t n = summary_fields(out, d, 0, f);
        describe_batch_sizes(fp, markdown, &out->results[d], f, n);
    }
    for (size_t d = 0; d < nd; d++)
        describe_engine(fp, markdown, out, d);
    if (report_windows_text(fp, markdown, s, out) != 0) {
        free(cell);
        free(top);
        return -1;
    }
    fputc('\n', fp);
    fprintf(fp, "%slatency: arrival to response of served requests (queueing + cold start + "
                "execution).\n",
            markdown ? "- " : "");
    fprintf(fp, "%sthrottled: rejected or dropped above the reserved cap. req/s: served "
                "requests per measured second. cold starts: new instances started, and their "
                "share of served requests.\n",
            markdown ? "- " : "");
    fprintf(fp, "%sp99.9 ms, std ms: the 99.9th percentile and the standard deviation of "
                "latency. USD in %s: cost over the measured period",
            markdown ? "- " : "", measured);
    if (s->warmup_ns > 0)
        fprintf(fp, " (%s less %s of warm-up)", dur, warm);
    fprintf(fp, "; USD/month: the same rate over a 730-hour month.\n");
    fprintf(fp, "%sinstances: time-average / peak alive. util: busy slot-time / "
                "slot-time (slots = requests an instance serves at once).\n",
            markdown ? "- " : "");
    if (batching)
        fprintf(fp, "%sbatches: batches sent. mean size: requests per batch. accel busy: "
                    "the batching machines' time running a batch. wait share: the share of "
                    "batched requests' latency spent waiting for their batch. items/s: "
                    "requests batched per measured second. queue rejected: refused at "
                    "max_queue_size.\n",
                markdown ? "- " : "");
    if (llm)
        fprintf(fp, "%sTTFT: time to first token, from arrival (queueing and cold start "
                    "included). TPOT: time per output token after the first. ITL: the gap "
                    "between consecutive tokens. in/out tok/s: prompt and output tokens of "
                    "served requests per measured second. batch: mean sequences in a running "
                    "batch. KV util: KV-cache blocks in use / blocks of the warm instances. "
                    "preempted: sequences preempted for KV blocks. rejected: requests over "
                    "the model's context.\n",
                markdown ? "- " : "");
    if (marked)
        fprintf(fp, "%s*: the cheapest%s (equal costs to the cent: the lower p99, then the "
                    "name).\n",
                markdown ? "- " : "", slo_spec_any(&s->slo) ? " that meets the SLO" : "");
    else if (none_meets)
        fprintf(fp, "%sno deployment meets the SLO, so none is marked the cheapest.\n",
                markdown ? "- " : "");
    free(cell);
    free(top);
    return ferror(fp) ? -1 : 0;
}
