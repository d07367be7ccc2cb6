/* report.c - the table of formats: for each, its --format name and its writer for
 * each kind of result. Every report is written through it. */
#include <string.h>

#include "writers.h"

static int run_text(FILE *fp, const struct scenario *s, const struct run_output *out)
{
    return report_run_table(fp, 0, s, out);
}

static int run_md(FILE *fp, const struct scenario *s, const struct run_output *out)
{
    return report_run_table(fp, 1, s, out);
}

static int compare_text(FILE *fp, const struct scenario *s, const struct compare_result *r)
{
    return report_compare_table(fp, 0, s, r);
}

static int compare_md(FILE *fp, const struct scenario *s, const struct compare_result *r)
{
    return report_compare_table(fp, 1, s, r);
}

/* The formats, one row each: the name --format takes (NULL: none), then its writer
 * of each kind of result, NULL where the format has none. */
static const struct format_row {
    const char *name;
    int (*run)(FILE *fp, const struct scenario *s, const struct run_output *out);
    int (*compare)(FILE *fp, const struct scenario *s, const struct compare_result *r);
    int (*catalog)(FILE *fp, const struct catalog *c);
    int (*catalog_entry)(FILE *fp, const struct catalog *c, const char *name);
    int (*catalog_gpus)(FILE *fp, const struct catalog *c);
    int (*trace_stats)(FILE *fp, const struct trace_stats *st);
    const struct sweep_writer *sweep;
} formats[] = {
    [REPORT_TEXT] = {"text", run_text, compare_text, report_catalog_list_text,
                     report_catalog_show_text, report_catalog_gpus_text, report_trace_stats_text,
                     NULL},
    [REPORT_JSON] = {"json", report_run_json, report_compare_json, report_catalog_list_json,
                     report_catalog_show_json, report_catalog_gpus_json, report_trace_stats_json,
                     &report_sweep_json},
    [REPORT_CSV] = {"csv", report_run_csv, report_compare_csv, NULL, NULL, NULL,
                    report_trace_stats_csv, &report_sweep_csv},
    [REPORT_MD] = {"md", run_md, compare_md, NULL, NULL, NULL, NULL, NULL},
    [REPORT_TIMELINE] = {NULL, report_run_timeline, NULL, NULL, NULL, NULL, NULL, NULL},
    [REPORT_JSONL] = {"jsonl", NULL, NULL, NULL, NULL, NULL, NULL, &report_sweep_jsonl},
};
#define N_FORMATS (sizeof formats / sizeof formats[0])

static const struct format_row *row_of(enum report_format fmt)
{
    return (size_t)fmt < N_FORMATS ? &formats[fmt] : NULL;
}

int report_has_writer(enum report_format fmt, enum report_kind kind)
{
    const struct format_row *r = row_of(fmt);
    if (!r)
        return 0;
    switch (kind) {
    case REPORT_OF_RUN:
        return r->run != NULL;
    case REPORT_OF_COMPARE:
        return r->compare != NULL;
    case REPORT_OF_CATALOG:
        return r->catalog != NULL && r->catalog_entry != NULL;
    case REPORT_OF_TRACE_STATS:
        return r->trace_stats != NULL;
    case REPORT_OF_SWEEP:
        return r->sweep != NULL;
    case REPORT_OF_PLAN:
        return r == &formats[REPORT_TEXT] || r == &formats[REPORT_JSON];
    }
    return 0;
}

int report_format_parse(const char *name, enum report_format *out)
{
    if (strcmp(name, "markdown") == 0) {
        *out = REPORT_MD;
        return 0;
    }
    for (size_t f = 0; f < N_FORMATS; f++)
        if (formats[f].name && strcmp(name, formats[f].name) == 0) {
            *out = (enum report_format)f;
            return 0;
        }
    return -1;
}

int report_format_for(const char *name, enum report_kind kind, enum report_format *out)
{
    enum report_format f;
    if (report_format_parse(name, &f) != 0 || !report_has_writer(f, kind))
        return -1;
    *out = f;
    return 0;
}

char *report_format_list(enum report_kind kind, char *buf, size_t n)
{
    size_t count = 0, k = 0, w = 0;
    for (size_t f = 0; f < N_FORMATS; f++)
        count += formats[f].name && report_has_writer((enum report_format)f, kind);
    buf[0] = '\0';
    for (size_t f = 0; f < N_FORMATS && w < n; f++) {
        if (!formats[f].name || !report_has_writer((enum report_format)f, kind))
            continue;
        const char *sep = k == 0 ? "" : k + 1 == count ? " or " : ", ";
        int m = snprintf(buf + w, n - w, "%s%s", sep, formats[f].name);
        if (m < 0)
            break;
        w += (size_t)m;
        k++;
    }
    return buf;
}

int report_write(FILE *fp, enum report_format fmt, const struct scenario *s,
                 const struct run_output *out)
{
    if (!report_has_writer(fmt, REPORT_OF_RUN))
        return -1;
    return formats[fmt].run(fp, s, out);
}

int report_write_compare(FILE *fp, enum report_format fmt, const struct scenario *s,
                         const struct compare_result *r)
{
    if (!report_has_writer(fmt, REPORT_OF_COMPARE))
        return -1;
    return formats[fmt].compare(fp, s, r);
}

int report_write_catalog(FILE *fp, enum report_format fmt, const struct catalog *c)
{
    if (!report_has_writer(fmt, REPORT_OF_CATALOG))
        return -1;
    return formats[fmt].catalog(fp, c);
}

int report_write_catalog_entry(FILE *fp, enum report_format fmt, const struct catalog *c,
                               const char *name)
{
    if (!report_has_writer(fmt, REPORT_OF_CATALOG))
        return -1;
    return formats[fmt].catalog_entry(fp, c, name);
}

int report_write_catalog_accelerators(FILE *fp, enum report_format fmt, const struct catalog *c)
{
    if (!report_has_writer(fmt, REPORT_OF_CATALOG))
        return -1;
    return formats[fmt].catalog_gpus(fp, c);
}

int report_write_trace_stats(FILE *fp, enum report_format fmt, const struct trace_stats *st)
{
    if (!report_has_writer(fmt, REPORT_OF_TRACE_STATS))
        return -1;
    return formats[fmt].trace_stats(fp, st);
}

int report_sweep_head(FILE *fp, enum report_format fmt, const struct report_sweep *r)
{
    if (!report_has_writer(fmt, REPORT_OF_SWEEP))
        return -1;
    return formats[fmt].sweep->head(fp, r);
}

int report_sweep_point(FILE *fp, enum report_format fmt, const struct report_sweep *r,
                       size_t k, const struct scenario *s, const struct run_output *out,
                       const struct slsim_error *err)
{
    if (!report_has_writer(fmt, REPORT_OF_SWEEP))
        return -1;
    return formats[fmt].sweep->point(fp, r, k, s, out, err);
}

int report_sweep_tail(FILE *fp, enum report_format fmt, const struct report_sweep *r)
{
    if (!report_has_writer(fmt, REPORT_OF_SWEEP))
        return -1;
    return formats[fmt].sweep->tail(fp, r);
}

void report_fmt_ms(char *b, size_t n, double ms)
{
    if (ms >= 100)
        snprintf(b, n, "%.0f", ms);
    else if (ms >= 10)
        snprintf(b, n, "%.1f", ms);
    else
        snprintf(b, n, "%.2f", ms);
}
