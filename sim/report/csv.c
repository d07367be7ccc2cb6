/* csv.c - flat CSV: a header row, then a row per deployment and replication.
 *
 * Column names are the JSON paths with dots turned into underscores
 * (latency_ms.p99 -> latency_ms_p99), so pandas users and jq users see the same
 * names. Numbers are printed with %.17g trimmed by %g rules only where exact. */
#include <string.h>

#include "writers.h"

static void csv_number(FILE *fp, const struct report_field *f)
{
    if (f->integer)
        fprintf(fp, "%.0f", f->value);
    else
        fprintf(fp, "%.10g", f->value);
}

static void csv_name(FILE *fp, const char *path)
{
    for (const char *c = path; *c; c++)
        fputc(*c == '.' ? '_' : *c, fp);
}

/* Quote a text cell when it holds a comma, quote or newline (RFC 4180). */
static void csv_text(FILE *fp, const char *s)
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

int report_write_csv(FILE *fp, const struct scenario *s, const struct run_output *out)
{
    struct report_field f[REPORT_MAX_FIELDS];
    size_t n = report_fields_one(s, &out->results[0], f);
    fputs("scenario,seed,pricing_catalog,pricing_as_of,replication,deployment,type,platform,"
          "memory_mb",
          fp);
    for (size_t i = 0; i < n; i++) {
        fputc(',', fp);
        csv_name(fp, f[i].path);
    }
    fputc('\n', fp);
    for (uint32_t rep = 0; rep < out->replications; rep++)
        for (size_t d = 0; d < out->n_deployments; d++) {
            const struct deployment_result *r =
                &out->results[(size_t)rep * out->n_deployments + d];
            n = report_fields_one(s, r, f);
            csv_text(fp, s->name);
            fprintf(fp, ",%llu,", (unsigned long long)s->seed);
            csv_text(fp, s->pricing);
            fprintf(fp, ",%s,%u,", s->catalog ? s->catalog->as_of : "", rep);
            csv_text(fp, r->name);
            fprintf(fp, ",%s,%s,%.10g", r->type, r->platform, (double)r->memory_bytes / 1e6);
            for (size_t i = 0; i < n; i++) {
                fputc(',', fp);
                if (f[i].text)
                    csv_text(fp, f[i].text);
                else
                    csv_number(fp, &f[i]);
            }
            fputc('\n', fp);
        }
    return ferror(fp) ? -1 : 0;
}

int report_write_timeline(FILE *fp, const struct scenario *s, const struct run_output *out)
{
    (void)s;
    fputs("deployment,t_start_s,busy,idle,initializing,instances,arrivals,cold_starts,"
          "cost_usd\n",
          fp);
    for (size_t d = 0; d < out->n_deployments; d++) {
        const struct deployment_result *r = &out->results[d];
        for (size_t k = 0; k < r->n_timeline; k++) {
            const struct timeline_row *row = &r->timeline[k];
            csv_text(fp, r->name);
            fprintf(fp, ",%.9g,%.6f,%.6f,%.6f,%.6f,%llu,%llu,%.6f\n",
                    (double)row->start_ns / 1e9, row->busy, row->idle, row->initializing,
                    row->busy + row->idle + row->initializing,
                    (unsigned long long)row->arrivals, (unsigned long long)row->cold_starts,
                    row->cost_usd);
        }
    }
    return ferror(fp) ? -1 : 0;
}
