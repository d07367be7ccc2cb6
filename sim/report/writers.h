/* writers.h - the writers the format table of report.c chooses from, and what
 * they share (internal to report/). Each returns 0, or -1 on a write error or when
 * out of memory. */
#ifndef SLSIM_REPORT_WRITERS_H
#define SLSIM_REPORT_WRITERS_H

#include <stdint.h>

#include "slsim/catalog.h"
#include "slsim/compare.h"
#include "slsim/report.h"
#include "slsim/summary.h"
#include "slsim/trace_stats.h"

/* A run: the tables (markdown 1: with pipes), JSON, CSV, and the timeline CSV. */
int report_run_table(FILE *fp, int markdown, const struct scenario *s,
                     const struct run_output *out);
int report_run_json(FILE *fp, const struct scenario *s, const struct run_output *out);
int report_run_csv(FILE *fp, const struct scenario *s, const struct run_output *out);
int report_run_timeline(FILE *fp, const struct scenario *s, const struct run_output *out);

/* The measurement windows (windows.c): deployment d's JSON array; the CSV columns'
 * names, appended to the head, and a row's cells (the deployment's values for
 * replication rep, or the means with mean 1; empty for a tier); the text table
 * (nothing without windows). */
struct cJSON *report_windows_json(const struct scenario *s, const struct run_output *out,
                                  size_t d);
void report_windows_csv_head(FILE *fp, const struct scenario *s, int ci95);
void report_windows_csv_cells(FILE *fp, const struct scenario *s, const struct run_output *out,
                              size_t d, uint32_t rep, int tier, int ci95, int mean);
int report_windows_text(FILE *fp, int markdown, const struct scenario *s,
                        const struct run_output *out);

/* A duty-cycle sweep: the table (md 1: Markdown), CSV, JSON. */
int report_compare_table(FILE *fp, int md, const struct scenario *s,
                         const struct compare_result *r);
int report_compare_csv(FILE *fp, const struct scenario *s, const struct compare_result *r);
int report_compare_json(FILE *fp, const struct scenario *s, const struct compare_result *r);

/* The name of point pt's cheapest deployment meeting the SLO, or "none". */
const char *report_compare_cheapest(const struct compare_result *r,
                                    const struct compare_point *pt);

/* A sweep's rows, by format (sweep_rows.c): head, point, tail as report.h's. */
struct sweep_writer {
    int (*head)(FILE *fp, const struct report_sweep *r);
    int (*point)(FILE *fp, const struct report_sweep *r, size_t k, const struct scenario *s,
                 const struct run_output *out, const struct slsim_error *err);
    int (*tail)(FILE *fp, const struct report_sweep *r);
};
extern const struct sweep_writer report_sweep_csv, report_sweep_jsonl, report_sweep_json;

/* A report field's CSV column name (text_csv_name) written to fp. */
void report_csv_name(FILE *fp, const char *path);

/* A number of a CSV cell as the run's CSV writes it: a count without decimals, else
 * ten significant digits. */
void report_csv_number(FILE *fp, const struct summary_field *f);

/* Write f[0..n)'s fields (a deployment's or a tier's, summary_fields) into object o as
 * the JSON report does: dotted paths nested, `_ci95` siblings when replications > 1,
 * absent fields left out. */
struct cJSON;
void report_json_fields(struct cJSON *o, const struct summary_field *f, size_t n,
                        uint32_t replications);

/* A latency distribution of a record (json_hist.c): its latency, its LLM's TTFT or
 * TPOT; NULL where the record has none (no LLM). */
typedef const struct histogram *(*report_hist_pick)(const struct trial_record *r);
const struct histogram *report_hist_latency(const struct trial_record *r);
const struct histogram *report_hist_ttft(const struct trial_record *r);
const struct histogram *report_hist_tpot(const struct trial_record *r);

/* Deployment d's part tier (0: the deployment, t: its tier t) distribution pick, its
 * buckets summed over every replication, as the JSON report's `latency_histogram`
 * (docs/REPORT.md): {"unit": "ms", "count", "min_ms", "max_ms", "buckets": [[low_ms,
 * high_ms, count], ...]}, only the buckets that hold a value, ascending, high
 * inclusive to the ns. A new object, or NULL when no replication has the distribution
 * or out of memory. */
struct cJSON *report_json_histogram(const struct run_output *out, size_t d, size_t tier,
                                    report_hist_pick pick);

/* A text cell, quoted when it holds a comma, quote or newline (RFC 4180). */
void report_csv_text(FILE *fp, const char *text);

/* The scenario's objectives after the run's extent in a header line: "; SLO: 99% of
 * requests within 500ms, TTFT p99 within 2s, TPOT p99 within 100ms", each part only
 * when given; nothing without an objective. */
void report_slo_text(FILE *fp, const struct slo_spec *slo);

/* A latency in ms into b[0..n): no decimals from 100, one from 10, else two. */
void report_fmt_ms(char *b, size_t n, double ms);

/* A JSON report's first members (slsim_version, scenario), in a new object; NULL
 * when out of memory. */
struct cJSON *report_json_head(const struct scenario *s);

/* Its members after the run's extent: replications, pricing and, with an
 * objective, slo {percentile, latency_ms, ttft_percentile, ttft_ms, tpot_percentile,
 * tpot_ms}, each pair only when that objective is given. */
void report_json_tail(struct cJSON *root, const struct scenario *s, uint32_t replications);

/* A pricing catalog: its overview (list) and the entry named name (show; -1 when c
 * has none), as text and as JSON. */
int report_catalog_list_text(FILE *fp, const struct catalog *c);
int report_catalog_show_text(FILE *fp, const struct catalog *c, const char *name);
int report_catalog_list_json(FILE *fp, const struct catalog *c);
int report_catalog_show_json(FILE *fp, const struct catalog *c, const char *name);
/* Its accelerators alone (catalog list gpus). */
int report_catalog_gpus_text(FILE *fp, const struct catalog *c);
int report_catalog_gpus_json(FILE *fp, const struct catalog *c);

/* z of the standard normal's 99th percentile: a lognormal's p99 is exp(mu + z sigma). */
#define REPORT_Z99 2.3263478740408408

/* The name of p's billed memory unit: "GB" (10^9 bytes) or "GiB". */
const char *report_memory_unit(const struct platform_profile *p);

/* What a trace holds (`slsim trace stats`): text, JSON, CSV. */
int report_trace_stats_text(FILE *fp, const struct trace_stats *st);
int report_trace_stats_json(FILE *fp, const struct trace_stats *st);
int report_trace_stats_csv(FILE *fp, const struct trace_stats *st);

#endif
