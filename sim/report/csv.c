/* csv.c - flat CSV: a header row, then a row per deployment and replication.
 *
 * Column names are the JSON paths with dots turned into underscores
 * (latency_ms.p99 -> latency_ms_p99), so pandas users and jq users see the same
 * names. Numbers are printed with %.17g trimmed by %g rules only where exact. */
#include <string.h>

#include "slsim/text.h"
#include "writers.h"

void report_csv_number(FILE *fp, const struct summary_field *f)
{
    if (f->integer)
        fprintf(fp, "%.0f", f->value);
    else
        fprintf(fp, "%.10g", f->value);
}

void report_csv_name(FILE *fp, const char *path)
{
    char name[256];
    text_csv_name(path, name, sizeof name);
    fputs(name, fp);
}

void report_csv_text(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (const char *c = s; *c; c++) {
        if (*c == '"')
            fputc('"', fp);
        fputc(*c, fp);
    }
    fputc('"', fp);
}

/* Which optional columns a run has: the batching ones when some deployment batches,
 * the LLM ones when some deployment serves an LLM (summary.h). */
struct csv_columns {
    int batching, llm, timeouts;
};

/* 1 when field f has a column in a run with columns c. */
static int csv_shown(const struct summary_field *f, struct csv_columns c)
{
    return !(f->batching && !c.batching) && !(f->llm && !c.llm) && !(f->timeouts && !c.timeouts);
}

/* One row: the run's identity, the deployment (and tier), then every field; with
 * ci95 (several replications) each number is followed by its half-width, empty
 * on a single replication's row (rep_label "0", "1", ...) and filled on the
 * "mean" row. cols: the run's optional columns (cells left empty where x does not
 * batch, or serves no LLM). */
static void csv_row(FILE *fp, const struct scenario *s, const char *rep_label,
                    const char *deployment, const struct trial_record *x, size_t tier,
                    const struct summary_field *f, size_t n, int ci95, int mean,
                    struct csv_columns cols)
{
    report_csv_text(fp, s->name);
    fprintf(fp, ",%llu,", (unsigned long long)s->seed);
    report_csv_text(fp, s->pricing);
    fprintf(fp, ",%s,%s,", s->catalog ? s->catalog->as_of : "", rep_label);
    report_csv_text(fp, deployment);
    fputc(',', fp);
    if (tier)
        report_csv_text(fp, x->name);
    fprintf(fp, ",%s,%s,%.10g", deployment_type_name(x->type), x->platform,
            (double)x->memory_bytes / 1e6);
    for (size_t i = 0; i < n; i++) {
        if (!csv_shown(&f[i], cols))
            continue;
        fputc(',', fp);
        if (f[i].text) {
            report_csv_text(fp, f[i].text);
            continue;
        }
        if (f[i].absent || f[i].undefined) { /* a deployment that does not batch, or serves
                                                no LLM; a ratio of nothing */
            if (ci95)
                fputc(',', fp);
            continue;
        }
        if (mean)
            fprintf(fp, "%.10g", f[i].value);
        else
            report_csv_number(fp, &f[i]);
        if (ci95) {
            fputc(',', fp);
            if (mean)
                fprintf(fp, "%.10g", f[i].ci95);
        }
    }
}

int report_run_csv(FILE *fp, const struct scenario *s, const struct run_output *out)
{
    struct summary_field f[SUMMARY_MAX_FIELDS];
    size_t n = summary_fields_one(&out->results[0], f);
    int ci95 = out->replications > 1;
    /* The batching columns come only with a deployment that batches, the LLM ones
     * only with an LLM, so a run without them keeps its columns. */
    struct csv_columns cols = {summary_run_batches(out), summary_run_llm(out),
                               summary_run_timeouts(out)};
    fputs("scenario,seed,pricing_catalog,pricing_as_of,replication,deployment,tier,type,platform,"
          "memory_mb",
          fp);
    for (size_t i = 0; i < n; i++) {
        if (!csv_shown(&f[i], cols))
            continue;
        fputc(',', fp);
        report_csv_name(fp, f[i].path);
        if (ci95 && !f[i].text) {
            fputc(',', fp);
            report_csv_name(fp, f[i].path);
            fputs("_ci95", fp);
        }
    }
    report_windows_csv_head(fp, s, ci95);
    fputc('\n', fp);
    /* A row per replication, deployment and tier (a hybrid's total, then its
     * tiers); with several replications, then a "mean" row of each with its
     * 95% half-widths, as JSON reports them. */
    char label[16];
    for (uint32_t rep = 0; rep < out->replications; rep++) {
        snprintf(label, sizeof label, "%u", rep);
        for (size_t d = 0; d < out->n_deployments; d++) {
            const struct trial_record *r = run_output_part(out, rep, d, 0);
            for (size_t t = 0; t <= r->n_tiers; t++) {
                const struct trial_record *x = run_output_part(out, rep, d, t);
                n = summary_fields_one(x, f);
                csv_row(fp, s, label, r->name, x, t, f, n, ci95, 0, cols);
                report_windows_csv_cells(fp, s, out, d, rep, t > 0, ci95, 0);
                fputc('\n', fp);
            }
        }
    }
    for (size_t d = 0; ci95 && d < out->n_deployments; d++) {
        const struct trial_record *r = run_output_part(out, 0, d, 0);
        for (size_t t = 0; t <= r->n_tiers; t++) {
            n = summary_fields(out, d, t, f);
            csv_row(fp, s, "mean", r->name, run_output_part(out, 0, d, t), t, f, n, 1, 1,
                    cols);
            report_windows_csv_cells(fp, s, out, d, 0, t > 0, 1, 1);
            fputc('\n', fp);
        }
    }
    return ferror(fp) ? -1 : 0;
}

/* One part's rows: the deployment's name, then the tier's ("" for the total). With
 * llm (the run serves an LLM) a running_batch cell follows: the sequences in running
 * batches x iteration time over the interval's length, the mean running batch; empty
 * for a part that serves none (x->llm NULL). Interval k runs from its start to the
 * next's, the last to the end of the run, end_ns. */
static void timeline_rows(FILE *fp, const char *name, const struct trial_record *x,
                          const char *tier, const struct timeline_row *rows, size_t n,
                          int llm, sim_time end_ns)
{
    for (size_t k = 0; k < n; k++) {
        const struct timeline_row *row = &rows[k];
        report_csv_text(fp, name);
        fputc(',', fp);
        report_csv_text(fp, tier);
        fprintf(fp, ",%.9g,%.6f,%.6f,%.6f,%.6f,%llu,%llu,%.6f", (double)row->start_ns / 1e9,
                row->busy, row->idle, row->initializing,
                row->busy + row->idle + row->initializing, (unsigned long long)row->arrivals,
                (unsigned long long)row->cold_starts, row->cost_usd);
        if (llm) {
            sim_time next = k + 1 < n ? rows[k + 1].start_ns : end_ns;
            double len_s = (double)(next - row->start_ns) / 1e9;
            fputc(',', fp);
            if (x->llm && len_s > 0)
                fprintf(fp, "%.6f", row->llm_seq_s / len_s);
        }
        fputc('\n', fp);
    }
}

int report_run_timeline(FILE *fp, const struct scenario *s, const struct run_output *out)
{
    int llm = summary_run_llm(out);
    fputs("deployment,tier,t_start_s,busy,idle,initializing,instances,arrivals,cold_starts,"
          "cost_usd",
          fp);
    fputs(llm ? ",running_batch\n" : "\n", fp);
    /* A hybrid's total, then each of its tiers (tier empty on a total). */
    for (size_t d = 0; out->timelines && d < out->n_deployments; d++) {
        const struct trial_record *r = run_output_part(out, 0, d, 0);
        const struct trial_timeline *tl = &out->timelines[d];
        timeline_rows(fp, r->name, r, "", tl->rows[0], tl->n[0], llm, s->duration_ns);
        for (size_t t = 1; t <= r->n_tiers; t++) {
            const struct trial_record *x = run_output_part(out, 0, d, t);
            timeline_rows(fp, r->name, x, x->name, tl->rows[t], tl->n[t], llm, s->duration_ns);
        }
    }
    return ferror(fp) ? -1 : 0;
}
