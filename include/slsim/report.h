/* report.h - turning results into text, JSON, CSV, Markdown and timelines.
 *
 * Every writer draws on one flattened list of fields per deployment
 * (report_fields), so the formats cannot disagree about a number or its name.
 * Writers write to a stdio stream; the command line decides whether that is
 * standard output or a file written whole. docs/REPORT.md is the contract. */
#ifndef SLSIM_REPORT_H
#define SLSIM_REPORT_H

#include <stdio.h>

#include "slsim/run.h"
#include "slsim/scenario.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_CSV, REPORT_MD };

/* Parse "text", "json", "csv", "md" (also "markdown"). 0, or -1 if unknown. */
int report_format_parse(const char *name, enum report_format *out);

struct report_field {
    const char *path; /* dotted JSON path under the deployment, e.g. "latency_ms.p99" */
    double value;     /* mean over replications */
    double ci95;      /* half-width of the 95% interval (Student t); 0 for one replication */
    int integer;      /* 1: a count, printed without decimals when there is one replication */
    const char *text; /* non-NULL: a text field (value and ci95 unused), e.g. coldstart.profile */
};

#define REPORT_MAX_FIELDS 64

/* Fill f[] with deployment d's fields from every replication of out; returns how
 * many. Paths are static strings. */
size_t report_fields(const struct scenario *s, const struct run_output *out, size_t d,
                     struct report_field *f);

/* Same for a hybrid's tier: tier 0 is the deployment's total, tier t its
 * tiers[t - 1] (every replication has the same tiers). */
size_t report_fields_tier(const struct scenario *s, const struct run_output *out, size_t d,
                          size_t tier, struct report_field *f);

/* Same, for one replication only (the CSV rows). */
size_t report_fields_one(const struct scenario *s, const struct deployment_result *r,
                         struct report_field *f);

/* The value of the field at path in f[0..n), or 0 if absent. */
double report_field_value(const struct report_field *f, size_t n, const char *path);

/* One deployment as the cheapest-meeting-the-SLO rule sees it. */
struct report_candidate {
    const char *name; /* deployment name: the last tie-break */
    double cost_usd;  /* the cost compared, USD (compared to the cent) */
    double p99_ms;    /* latency_ms.p99, ms: the first tie-break, lower wins */
    int slo_met;      /* 1: meets the SLO (always 1 without an objective) */
};

/* The index in c[0..n) of the cheapest deployment that meets the SLO: the lowest
 * cost rounded to the cent, then the lower p99, then the name first in strcmp
 * order; REPORT_NONE when none meets it (or n is 0). Shared by `run` and
 * `compare` so they pick alike. Pure. */
#define REPORT_NONE ((size_t)-1)
size_t report_cheapest(const struct report_candidate *c, size_t n);

/* Write the report of a run in format fmt. 0, or -1 on a write error or when out
 * of memory. */
int report_write(FILE *fp, enum report_format fmt, const struct scenario *s,
                 const struct run_output *out);

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

/* Timeline CSV of replication 0: one row per deployment and interval. */
int report_write_timeline(FILE *fp, const struct scenario *s, const struct run_output *out);

#endif
