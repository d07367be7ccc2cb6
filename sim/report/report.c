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

static const struct {
    const char *name; /* for --format; NULL: none */
    int (*run)(FILE *fp, const struct scenario *s, const struct run_output *out);
    int (*compare)(FILE *fp, const struct scenario *s, const struct compare_result *r);
} formats[] = {
    [REPORT_TEXT] = {"text", run_text, compare_text},
    [REPORT_JSON] = {"json", report_run_json, report_compare_json},
    [REPORT_CSV] = {"csv", report_run_csv, report_compare_csv},
    [REPORT_MD] = {"md", run_md, compare_md},
    [REPORT_TIMELINE] = {NULL, report_run_timeline, NULL},
};
#define N_FORMATS (sizeof formats / sizeof formats[0])

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

int report_write(FILE *fp, enum report_format fmt, const struct scenario *s,
                 const struct run_output *out)
{
    if ((size_t)fmt >= N_FORMATS || !formats[fmt].run)
        return -1;
    return formats[fmt].run(fp, s, out);
}

int report_write_compare(FILE *fp, enum report_format fmt, const struct scenario *s,
                         const struct compare_result *r)
{
    if ((size_t)fmt >= N_FORMATS || !formats[fmt].compare)
        return -1;
    return formats[fmt].compare(fp, s, r);
}

/* Beside the formats: the writers of what the program reports other than a
 * simulation, each by format; NULL where that format has none. */
static const struct {
    int (*catalog)(FILE *fp, const struct catalog *c);
    int (*catalog_entry)(FILE *fp, const struct catalog *c, const char *name);
    int (*trace_stats)(FILE *fp, const struct trace_stats *st);
} tools[] = {
    [REPORT_TEXT] = {report_catalog_list_text, report_catalog_show_text, report_trace_stats_text},
    [REPORT_JSON] = {report_catalog_list_json, report_catalog_show_json, report_trace_stats_json},
    [REPORT_CSV] = {NULL, NULL, report_trace_stats_csv},
};
#define N_TOOLS (sizeof tools / sizeof tools[0])

int report_write_catalog(FILE *fp, enum report_format fmt, const struct catalog *c)
{
    if ((size_t)fmt >= N_TOOLS || !tools[fmt].catalog)
        return -1;
    return tools[fmt].catalog(fp, c);
}

int report_write_catalog_entry(FILE *fp, enum report_format fmt, const struct catalog *c,
                               const char *name)
{
    if ((size_t)fmt >= N_TOOLS || !tools[fmt].catalog_entry)
        return -1;
    return tools[fmt].catalog_entry(fp, c, name);
}

int report_write_trace_stats(FILE *fp, enum report_format fmt, const struct trace_stats *st)
{
    if ((size_t)fmt >= N_TOOLS || !tools[fmt].trace_stats)
        return -1;
    return tools[fmt].trace_stats(fp, st);
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
