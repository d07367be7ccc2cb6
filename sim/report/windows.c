/* windows.c - the measurement windows of a run (`windows:`) in each format.
 *
 * A window's numbers come from summary_window_fields, so JSON, CSV and text agree.
 * JSON: an array `windows` per deployment, one object per window (its name, bounds,
 * function, then the fields as a deployment's are written). CSV: columns appended to
 * each row, window.NAME.FIELD (report_csv_name turns the dots into underscores),
 * filled on a deployment's rows and empty on a tier's: one row per deployment and
 * replication stays one row, so readers of the CSV see only more columns. Text: a
 * table under the main one. A scenario without windows gets none of this. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "slsim/units.h"
#include "writers.h"

cJSON *report_windows_json(const struct scenario *s, const struct run_output *out, size_t d)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t w = 0; arr && w < s->slo.n_windows; w++) {
        const struct window_spec *ws = &s->slo.windows[w];
        struct summary_field f[SUMMARY_WINDOW_FIELDS];
        size_t n = summary_window_fields(out, d, w, &s->slo, f);
        cJSON *o = cJSON_CreateObject();
        if (!o)
            break;
        cJSON_AddStringToObject(o, "name", ws->name);
        cJSON_AddNumberToObject(o, "from_s", (double)ws->from_ns / 1e9);
        cJSON_AddNumberToObject(o, "to_s", (double)ws->to_ns / 1e9);
        if (ws->one_function)
            cJSON_AddNumberToObject(o, "function", ws->function + 1);
        report_json_fields(o, f, n, out->replications);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}

void report_windows_csv_head(FILE *fp, const struct scenario *s, int ci95)
{
    /* the paths, from an empty window's fields */
    static const struct window_stats empty;
    struct summary_field paths[SUMMARY_WINDOW_FIELDS];
    size_t n = summary_window_fields_one(&empty, &s->slo, paths);
    for (size_t w = 0; w < s->slo.n_windows; w++)
        for (size_t i = 0; i < n; i++) {
            char path[256];
            snprintf(path, sizeof path, "window.%s.%s", s->slo.windows[w].name, paths[i].path);
            fputc(',', fp);
            report_csv_name(fp, path);
            if (ci95) {
                fputc(',', fp);
                report_csv_name(fp, path);
                fputs("_ci95", fp);
            }
        }
}

/* The cells of fields f[0..n) as csv_row writes a deployment's. */
static void csv_cells(FILE *fp, const struct summary_field *f, size_t n, int ci95, int mean)
{
    for (size_t i = 0; i < n; i++) {
        fputc(',', fp);
        if (!f[i].undefined) {
            if (mean)
                fprintf(fp, "%.10g", f[i].value);
            else
                report_csv_number(fp, &f[i]);
        }
        if (ci95) {
            fputc(',', fp);
            if (mean && !f[i].undefined)
                fprintf(fp, "%.10g", f[i].ci95);
        }
    }
}

void report_windows_csv_cells(FILE *fp, const struct scenario *s, const struct run_output *out,
                              size_t d, uint32_t rep, int tier, int ci95, int mean)
{
    for (size_t w = 0; w < s->slo.n_windows; w++) {
        struct summary_field f[SUMMARY_WINDOW_FIELDS];
        size_t n = 0;
        if (!tier) {
            const struct trial_record *r = run_output_part(out, rep, d, 0);
            if (mean)
                n = summary_window_fields(out, d, w, &s->slo, f);
            else if (w < r->n_windows)
                n = summary_window_fields_one(&r->windows[w], &s->slo, f);
        }
        if (n) {
            csv_cells(fp, f, n, ci95, mean);
            continue;
        }
        for (size_t i = 0; i < SUMMARY_WINDOW_FIELDS; i++)
            fputs(ci95 ? ",," : ",", fp);
    }
}

int report_windows_text(FILE *fp, int markdown, const struct scenario *s,
                        const struct run_output *out)
{
    if (!s->slo.n_windows)
        return 0;
    fprintf(fp, "\nwindows (requests arriving in each; latency of those served):\n");
    if (markdown)
        fputs("\n| window | deployment | requests | served | refused | cold starts | mean ms | "
              "p50 ms | p99 ms | max ms | SLO attained | misses | cold share |\n"
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
              fp);
    else
        fprintf(fp, "%-12s %-16s %9s %9s %8s %11s %9s %9s %9s %9s %9s %8s %10s\n", "window",
                "deployment", "requests", "served", "refused", "cold starts", "mean ms",
                "p50 ms", "p99 ms", "max ms", "SLO att.", "misses", "cold share");
    for (size_t w = 0; w < s->slo.n_windows; w++)
        for (size_t d = 0; d < out->n_deployments; d++) {
            struct summary_field f[SUMMARY_WINDOW_FIELDS];
            size_t n = summary_window_fields(out, d, w, &s->slo, f);
            if (!n)
                continue;
#define V(p) summary_field_value(f, n, (p))
            char mean[32], p50[32], p99[32], max[32], share[32], att[32], misses[32];
            report_fmt_ms(mean, sizeof mean, V("latency_ms.mean"));
            report_fmt_ms(p50, sizeof p50, V("latency_ms.p50"));
            report_fmt_ms(p99, sizeof p99, V("latency_ms.p99"));
            report_fmt_ms(max, sizeof max, V("latency_ms.max"));
            if (f[n - 1].undefined)
                snprintf(share, sizeof share, "-");
            else
                snprintf(share, sizeof share, "%.1f%%", 100.0 * f[n - 1].value);
            /* without a latency objective there is nothing to attain or miss */
            if (s->slo.percentile > 0) {
                snprintf(att, sizeof att, "%.3f%%", 100.0 * V("slo_attainment"));
                snprintf(misses, sizeof misses, "%.0f", V("slo_misses"));
            } else {
                snprintf(att, sizeof att, "-");
                snprintf(misses, sizeof misses, "-");
            }
            const char *fmt = markdown ? "| %s | %s | %.0f | %.0f | %.0f | %.0f | %s | %s | %s "
                                         "| %s | %s | %s | %s |\n"
                                       : "%-12s %-16s %9.0f %9.0f %8.0f %11.0f %9s %9s %9s "
                                         "%9s %9s %8s %10s\n";
            fprintf(fp, fmt, s->slo.windows[w].name, out->results[d].name, V("requests"),
                    V("served"), V("throttled") + V("dropped") + V("timed_out"),
                    V("cold_starts"), mean, p50, p99, max, att, misses, share);
#undef V
        }
    return ferror(fp) ? -1 : 0;
}
