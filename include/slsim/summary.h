/* summary.h - a deployment's numbers as a flat list of named fields, with means
 * and 95% intervals over replications; and the rule that picks the cheapest.
 *
 * Every report format and `compare` draw on this one list, so they cannot disagree
 * about a number or its name. Names are the dotted JSON paths of docs/REPORT.md. */
#ifndef SLSIM_SUMMARY_H
#define SLSIM_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/run.h"
#include "slsim/trial.h"

struct summary_field {
    const char *path; /* dotted JSON path under the deployment, e.g. "latency_ms.p99" */
    double value;     /* mean over replications */
    double ci95;      /* half-width of the 95% interval (Student t); 0 for one replication */
    int integer;      /* 1: a count, printed without decimals when there is one replication */
    const char *text; /* non-NULL: a text field (value and ci95 unused), e.g. coldstart.profile */
    int batching;     /* 1: a dynamic-batching field: a run's reports show it only when some
                         deployment of the run batches (summary_run_batches), so a run
                         without batching prints what it printed before batching existed */
    int llm;          /* 1: an LLM serving field: a run's reports show it only when some
                         deployment of the run serves an LLM (summary_run_llm), so a run
                         of any other model prints what it printed before LLMs existed */
    int timeouts;     /* 1: a timeout field: the run's CSV shows it only when some deployment
                         timed a request out (summary_run_timeouts), JSON only where not 0;
                         a plan may constrain it (timed_out_fraction<=0.001) */
    int absent;       /* 1: a batching field of a deployment that does not batch, or an LLM
                         field of one that serves no LLM: no value (JSON omits it, CSV
                         leaves its cells empty) */
    int omit_zero;    /* 1: JSON omits it when its value is 0 (a batch-size histogram's
                         empty buckets) */
    int undefined;    /* 1: a ratio whose denominator is 0 in every replication (the
                         cold-start share of SLO misses without a miss): JSON null, CSV
                         empty, text "-"; with several replications, the mean and
                         interval are over the replications where it is defined */
};

#define SUMMARY_MAX_FIELDS 128

/* Fill f[] (room for SUMMARY_MAX_FIELDS) with the fields of one record, one
 * replication; returns how many. Paths are static strings; text fields point into
 * r. Always the same paths in the same order. */
size_t summary_fields_one(const struct trial_record *r, struct summary_field *f);

/* The same for deployment d of out, tier 0 its total and tier t its t-th tier: means
 * over every replication, with the half-widths of their 95% intervals when there
 * are several (text fields are replication 0's). */
size_t summary_fields(const struct run_output *out, size_t d, size_t tier,
                      struct summary_field *f);

/* The fields of window w of deployment d (its total: windows are not kept per tier),
 * with means and 95% intervals over replications as summary_fields gives them:
 * requests, served, throttled, dropped, timed_out, cold_starts, cold_start_ratio, latency_ms
 * (mean, std, p50, p90, p95, p99, p999, max), slo_attainment, slo_misses and
 * slo_miss_cold_start_fraction, under the scenario's SLO slo. Paths are relative to
 * the window. Returns how many (0 when the records have no window w). */
#define SUMMARY_WINDOW_FIELDS 18
size_t summary_window_fields(const struct run_output *out, size_t d, size_t w,
                             const struct slo_spec *slo, struct summary_field *f);

/* The same fields for one replication's window ws. */
size_t summary_window_fields_one(const struct window_stats *ws, const struct slo_spec *slo,
                                 struct summary_field *f);

/* 1 when some deployment of out (a hybrid's base included) batches: the run's
 * reports then show the batching fields. */
int summary_run_batches(const struct run_output *out);

/* 1 when some deployment of out timed a measured request out in some replication:
 * the run's CSV then shows the timeout fields. */
int summary_run_timeouts(const struct run_output *out);

/* 1 when some deployment of out (or a hybrid's tier) serves an LLM: the run's
 * reports then show the LLM fields. */
int summary_run_llm(const struct run_output *out);

/* The mean of v[0], v[stride], ... v[(n - 1) stride] (n >= 1), summed in that
 * order; v[0] itself when n is 1. What summary_fields reports as a field's value. */
double summary_mean(const double *v, size_t stride, uint32_t n);

/* The value of the field at path in f[0..n), or 0 if absent. */
double summary_field_value(const struct summary_field *f, size_t n, const char *path);

/* The text of the text field at path in f[0..n), or "" if absent. */
const char *summary_field_text(const struct summary_field *f, size_t n, const char *path);

/* One deployment as the cheapest-meeting-the-SLO rule sees it. */
struct summary_candidate {
    const char *name; /* deployment name: the last tie-break */
    double cost_usd;  /* the cost compared, USD (compared to the cent) */
    double p99_ms;    /* latency_ms.p99, ms: the first tie-break, lower wins */
    int slo_met;      /* 1: meets the SLO (always 1 without an objective) */
};

/* The index in c[0..n) of the cheapest deployment that meets the SLO: the lowest
 * cost rounded to the cent, then the lower p99, then the name first in strcmp
 * order; SUMMARY_NONE when none meets it (or n is 0). Shared by `run` and
 * `compare` so they pick alike. Pure. */
#define SUMMARY_NONE ((size_t)-1)
size_t summary_cheapest(const struct summary_candidate *c, size_t n);

#endif
