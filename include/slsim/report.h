/* report.h - turning results into text, JSON, CSV, Markdown and timelines.
 *
 * Every writer draws on one flattened list of fields per deployment
 * (summary_fields, summary.h), so the formats cannot disagree about a number or its
 * name.
 * Writers write to a stdio stream; the command line decides whether that is
 * standard output or a file written whole. docs/REPORT.md is the contract. */
#ifndef SLSIM_REPORT_H
#define SLSIM_REPORT_H

#include <stdio.h>

#include "slsim/compare.h"
#include "slsim/run.h"
#include "slsim/scenario.h"
#include "slsim/plan.h"
#include "slsim/sweep.h"

/* The formats, each a row of the writer table in report.c: its name for --format
 * and its writer for each kind of result. The timeline is a format of its own,
 * for runs, and no --format name. */
enum report_format {
    REPORT_TEXT,
    REPORT_JSON,
    REPORT_CSV,
    REPORT_MD,
    REPORT_TIMELINE,
    REPORT_JSONL, /* JSON Lines: a record per line (sweeps) */
};

/* What a writer writes: each format has a writer of each kind, or none. */
enum report_kind {
    REPORT_OF_RUN,         /* a run's results (report_write) */
    REPORT_OF_COMPARE,     /* a duty-cycle sweep (report_write_compare) */
    REPORT_OF_CATALOG,     /* a pricing catalog, whole or one entry (report_write_catalog*) */
    REPORT_OF_TRACE_STATS, /* what a trace holds (report_write_trace_stats) */
    REPORT_OF_SWEEP,       /* `slsim sweep`'s rows (report_sweep_*) */
    REPORT_OF_PLAN,        /* `slsim plan`'s answer (report_plan_text, report_plan_json) */
};

/* Parse "text", "json", "csv", "md" (also "markdown"). 0, or -1 if unknown. */
int report_format_parse(const char *name, enum report_format *out);

/* 1 when format fmt has a writer of kind, else 0. */
int report_has_writer(enum report_format fmt, enum report_kind kind);

/* Parse a --format name for a command that writes kind: 0 and *out, or -1 when the
 * name is no format or its format has no writer of that kind. */
int report_format_for(const char *name, enum report_kind kind, enum report_format *out);

/* The --format names with a writer of kind, for messages: "text, json, csv or md".
 * Written into buf (n bytes, cut to fit); returns buf. */
char *report_format_list(enum report_kind kind, char *buf, size_t n);

/* Write the report of a run in format fmt (REPORT_TIMELINE: the timeline CSV of
 * replication 0, one row per deployment, tier and interval; empty but for its
 * header when the run kept no timeline). 0, or -1 on a write error, when out of
 * memory, or for a format with no run writer. */
int report_write(FILE *fp, enum report_format fmt, const struct scenario *s,
                 const struct run_output *out);

/* Write the sweep of s in fmt: text and md a table with a row per duty cycle, csv
 * a row per point and deployment, json the whole result (see `slsim help compare`).
 * 0, or -1 on a write error, when out of memory, or for a format with no compare
 * writer (REPORT_TIMELINE). */
int report_write_compare(FILE *fp, enum report_format fmt, const struct scenario *s,
                         const struct compare_result *r);

/* What a sweep's writer needs besides each point's results. */
struct report_sweep {
    const struct sweep *sw;
    const char *hash;     /* sweep_hash: the first line (CSV), record (JSON Lines) or member
                             (JSON) */
    const char *scenario; /* the scenario's name */
    unsigned long long seed;   /* the scenario's seed (after --seed, --set) */
    const char *pricing;       /* the catalog as reports name it (scenario.pricing) */
    const char *pricing_as_of; /* its date */
    int ci95;             /* 1: every number gets a 95% half-width (a column `NAME_ci95`, a
                             member `LEAF_ci95`), empty for a point of one replication */
};

/* A sweep's output is written a point at a time, in point order, so a file can be
 * appended to as points finish and continued after an interruption: the head, then
 * each point's rows, then the tail. csv: a `# slsim sweep HASH` line (and `#` lines
 * naming values rounded to settings), a header, a row per point, deployment and tier;
 * jsonl: a first record {slsim_sweep, ...}, then a record per row; json: one object
 * whose `rows` member holds the same records, one per line. A row holds the point's
 * index, its value of each varied key, the deployment (and tier), then every report
 * field of docs/REPORT.md (the union over deployment types: empty, or left out in
 * JSON, where one does not apply); a failed point has a single row with its values and
 * `error`. Each writes to fp and returns 0, or -1 on a write error, when out of memory,
 * or for a format with no sweep writer. */
int report_sweep_head(FILE *fp, enum report_format fmt, const struct report_sweep *r);

/* Point k's rows: from s and out (its scenario and records), or its error (s and out
 * NULL). Every line the point writes ends with a newline, except in json, where a
 * row is followed by the separator of the next. */
int report_sweep_point(FILE *fp, enum report_format fmt, const struct report_sweep *r,
                       size_t k, const struct scenario *s, const struct run_output *out,
                       const struct slsim_error *err);

int report_sweep_tail(FILE *fp, enum report_format fmt, const struct report_sweep *r);

/* What a plan's writers need (`slsim plan`). */
struct report_plan {
    const struct plan_spec *spec;
    const struct plan_result *result;
    const char *scenario;                /* its name */
    const char *const *deployment_names; /* by deployment index */
    double weight;                       /* Power Tuning's balanced weight */
};

#define REPORT_PLAN_MAX_ROWS 60 /* evaluations the text lists; the CSV has them all */

/* The plan for people: what was asked and searched, every evaluation (up to
 * REPORT_PLAN_MAX_ROWS) with its objective, p99, mean and verdict, Power Tuning's
 * cheapest, fastest and balanced picks, each confirmation with its 95% bounds, and the
 * chosen configuration (or the closest, when none meets the constraints). */
int report_plan_text(FILE *fp, const struct report_plan *r);

/* The same as one JSON object: scenario, minimize, subject_to, method, grid_size,
 * simulations, search_simulations, evaluated[], confirmations[], chosen, closest,
 * cheapest, fastest, balanced (null where none). */
int report_plan_json(FILE *fp, const struct report_plan *r);

/* A row per evaluation (front_only: only those on the cost-latency Pareto front):
 * deployment, one column per --over key, loads, the objective, latency_ms_p99,
 * latency_ms_mean, each constrained metric, feasible, pareto, error. */
int report_plan_csv(FILE *fp, const struct report_plan *r, int front_only);

/* The Pareto front as JSON: {scenario, objective, front: [evaluation, ...]}. */
int report_plan_front_json(FILE *fp, const struct report_plan *r);

/* A paper's claims beside slsim's numbers (`slsim paper`), in fmt: text a table (ID,
 * part, paper, slsim with its 95% interval, relative difference, verdict) and a note
 * per claim (scenario, reading, the explanation of each difference, the values across
 * the open parameter); md the README's table; json {paper, title, cite, replications,
 * tolerance, claims: [{id, where, claim, kind, scenario, reading, why, rows: [...]}],
 * totals}; csv a row per claim row. 0, or -1 on a write error or for a format with no
 * paper writer (timeline, jsonl). */
struct paper_result;
int report_write_paper(FILE *fp, enum report_format fmt, const struct paper_result *r);

/* Write the overview of pricing catalog c in fmt (`slsim catalog list`): text its
 * name, date and path, then a table each of platforms, instance types and
 * discounts; json the same as an object {catalog, as_of, path, platforms,
 * instances, discounts}. 0, or -1 on a write error, when out of memory, or for a
 * format with no catalog writer (text and json have one). */
struct catalog;
int report_write_catalog(FILE *fp, enum report_format fmt, const struct catalog *c);

/* Write the entry of c named name whole (`slsim catalog show`): a platform, else an
 * instance type, else a discount of that name, every price with its source and
 * date. 0, or -1 on a write error, when out of memory, when c has no entry named
 * name (nothing written), or for a format with no catalog writer. */
/* Write the accelerators of c in fmt (`slsim catalog list gpus`): text the catalog's
 * name and date, then a table (name, memory, bandwidth, dense FP16 and FP8 TFLOPS,
 * host link); json an object {catalog, as_of, path, accelerators: [...]} with every
 * figure in base units (bytes, bytes/s, FLOP/s). 0, or -1 on a write error, when out
 * of memory, or for a format with no catalog writer. */
int report_write_catalog_accelerators(FILE *fp, enum report_format fmt, const struct catalog *c);

int report_write_catalog_entry(FILE *fp, enum report_format fmt, const struct catalog *c,
                               const char *name);

/* Write what a trace holds (`slsim trace stats`, see trace_stats.h) in fmt: text a
 * summary with the top functions, json every figure with the series and the top
 * functions, csv one header row and one row of the figures. 0, or -1 on a write
 * error, when out of memory, or for a format with no writer (md, timeline). */
struct trace_stats;
int report_write_trace_stats(FILE *fp, enum report_format fmt, const struct trace_stats *st);

/* Print a cJSON tree to fp (with a final newline) and free it; root may be NULL
 * (out of memory). 0, or -1. Shared by every JSON writer so they print alike. */
struct cJSON;
int report_json_emit(FILE *fp, struct cJSON *root);

/* Add `pricing: {catalog, as_of}` to a JSON report: the catalog as the scenario's
 * `pricing:` names it ("built-in" without one) and the date it was written. */
void report_json_pricing(struct cJSON *root, const struct scenario *s);

/* The same in one line of text, "prices: the built-in catalog as of 2026-11-27"
 * (no newline). */
void report_text_pricing(FILE *fp, const struct scenario *s);

#endif
