/* plot.h - what slsim draws, as plain data, and the gnuplot script that draws it.
 *
 * Every kind of plot is built into one neutral description (struct plot: panels of
 * series, markers, reference lines) from the results in memory or from a saved report,
 * and one writer turns that into a data file and a gnuplot script. So `run --plot` and
 * `slsim plot report.json` draw the same picture from the same numbers, and the data
 * file holds exactly the numbers plotted. The look is fixed here, readable by default:
 * a title naming the scenario and what is shown, axis labels with units, a legend, the
 * Okabe-Ito colour-blind-safe palette (Okabe and Ito, "Color Universal Design", 2002)
 * with a dash pattern and point type per series so lines survive greyscale. */
#ifndef SLSIM_PLOT_H
#define SLSIM_PLOT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "slsim/compare.h"
#include "slsim/error.h"
#include "slsim/run.h"
#include "slsim/scenario.h"

enum plot_kind {
    PLOT_COST_DUTY, /* compare: monthly cost per deployment against duty cycle, p99 below */
    PLOT_LATENCY,   /* run: latency CCDF per deployment, log-log, the SLO marked */
    PLOT_TIMELINE,  /* run --timeline: busy, idle and starting instances stacked over time,
                       arrivals per interval on a second axis, spikes shaded */
    PLOT_SWEEP,     /* sweep: a metric against a varied key, a line per deployment, 95%
                       intervals as bands when replicated */
    PLOT_PARETO,    /* plan: the cost-latency Pareto front, the chosen point, the SLO */
    PLOT_BATCH,     /* run with dynamic batching: the batch-size histogram */
    PLOT_TTFT,      /* run of an LLM: time-to-first-token CCDF */
    PLOT_TPOT,      /* run of an LLM: time-per-output-token CCDF */
    PLOT_KINDS
};

/* The name --plot-kind takes ("cost-duty", "latency", ...). */
const char *plot_kind_name(enum plot_kind k);

/* The kind named name. 0, or -1 when there is none. */
int plot_kind_parse(const char *name, enum plot_kind *out);

/* How a series is drawn. */
/* PLOT_FILL: the area from 0 up to the series, as steps; fills are drawn before every
 * other series, the last added first, so a stack (busy, then busy + idle, then busy +
 * idle + starting) shows each band. */
enum plot_style { PLOT_LINES, PLOT_LINESPOINTS, PLOT_STEPS, PLOT_BOXES, PLOT_POINTS, PLOT_FILL };

struct plot_series {
    char title[128];       /* the legend's entry */
    size_t n;
    double *x, *y;         /* n points; owned */
    double *lo, *hi;       /* NULL, or a 95% band around y; owned */
    unsigned char *hollow; /* NULL, or 1 where the point is drawn hollow (misses the SLO) */
    int panel;             /* 0 the main panel, 1 the one below it */
    enum plot_style style;
    int look;              /* colour, dash pattern and point type: the same look for the same
                              thing (a deployment) in every panel */
};

/* A labelled vertical line (a break-even), a shaded span (a spike) or a point (the
 * chosen configuration). */
struct plot_marker {
    double x, y;           /* y NAN: a vertical line at x, or a span from x to x2 */
    double x2;             /* NAN, or the end of a shaded span from x */
    char label[160];
    int panel;
};

#define PLOT_MAX_PANELS 2

struct plot_panel {
    char xlabel[128], ylabel[128];
    int logx, logy;
    int y_from_zero;       /* 1: the y axis starts at 0 (a cost: differences at their size) */
    double hline;          /* NAN, or a horizontal reference line (an SLO) */
    char hline_label[96];
    double vline;          /* NAN, or a vertical reference line (an SLO latency) */
    char vline_label[96];
};

struct plot {
    enum plot_kind kind;
    char title[256];
    int n_panels;          /* 1 or 2 */
    struct plot_panel panel[PLOT_MAX_PANELS];
    struct plot_series *series; /* owned */
    size_t n_series;
    struct plot_marker *markers; /* owned */
    size_t n_markers;
};

/* p empty, of kind k: one panel, no reference lines. */
void plot_init(struct plot *p, enum plot_kind k);

struct histogram;
/* A series of the CCDF of h and `never` values that never came (requests refused or
 * dropped: no latency at all, so slower than any x), drawn as steps with look: at each
 * non-empty bucket's upper bound x (ms), P(value > x) = (the count above that bucket +
 * never) / (count + never); the last bucket left out when never is 0 (P = 0, which a
 * log axis cannot show). -1 when out of memory. */
int plot_ccdf_series(struct plot *p, const char *title, const struct histogram *h,
                     uint64_t never, int look);

/* A new series of n points in p (x, y allocated; lo, hi, hollow NULL; look its index).
 * NULL when out of memory. */
struct plot_series *plot_add_series(struct plot *p, const char *title, size_t n, int panel,
                                    enum plot_style style);

/* A marker in p. -1 when out of memory. */
int plot_add_marker(struct plot *p, double x, double y, const char *label, int panel);

/* A shaded span of the x axis, from x to x2, labelled at its top. -1 when out of memory. */
int plot_add_span(struct plot *p, double x, double x2, const char *label, int panel);

void plot_free(struct plot *p);

/* The size of the picture: --plot-size "1200x800" (pixels) or "16cmx10cm". 0, or -1 with
 * a reason in why. */
struct plot_size {
    double w, h;
    int cm;                /* 1: centimetres, else pixels */
};
int plot_size_parse(const char *text, struct plot_size *out, char *why, size_t n);

/* The terminal for a file name's extension: "svg", "png" or "pdf"; NULL for another. */
const char *plot_format_of(const char *path);

/* Write p's data (blocks gnuplot reads with `index`) to data, and a script drawing it
 * from data_path into out_path (format plot_format_of(out_path), size size) to script.
 * 0, or -1 on a write error. */
int plot_write(const struct plot *p, FILE *script, FILE *data, const char *data_path,
               const char *out_path, const struct plot_size *size);

/* ---- building plots from results ---- */

/* run: the latency CCDF of each deployment of out (every replication merged), P(latency
 * > x) over every measured request at each histogram bucket's upper bound, a request
 * refused or dropped counting as slower than any x (as the SLO counts it), log-log, the
 * SLO's latency and share marked. 0, or -1 when out of memory or when no deployment
 * served anything (err). */
int plot_latency(const struct scenario *s, const struct run_output *out, struct plot *p,
                 struct slsim_error *err);

/* compare: each deployment's monthly cost against duty cycle (hollow where the SLO was
 * missed), break-evens as labelled vertical lines; p99 against duty cycle below. */
int plot_cost_duty(const struct scenario *s, const struct compare_result *r, struct plot *p,
                   struct slsim_error *err);

/* ---- the kinds built elsewhere (each file its kind) ---- */

/* run --timeline (plot_timeline.c): the timeline of each deployment of out (replication
 * 0): busy, idle and starting instances stacked over time, arrivals per interval on a
 * second axis, the scenario's spikes shaded. And the same from a timeline CSV that `run
 * --timeline` wrote (text[0..len), from file). 0, or -1 with err. */
int plot_timeline(const struct scenario *s, const struct run_output *out, struct plot *p,
                  struct slsim_error *err);
int plot_timeline_csv(const char *text, size_t len, const char *file, struct plot *p,
                      struct slsim_error *err);

/* run (plot_llm.c): the batch-size histogram of each batching deployment; the TTFT and
 * the TPOT CCDF of each LLM deployment (replications merged), from out. 0, or -1 with
 * err (none batches, none serves an LLM). */
int plot_batch(const struct scenario *s, const struct run_output *out, struct plot *p,
               struct slsim_error *err);
int plot_ttft(const struct scenario *s, const struct run_output *out, struct plot *p,
              struct slsim_error *err);
int plot_tpot(const struct scenario *s, const struct run_output *out, struct plot *p,
              struct slsim_error *err);

/* sweep (plot_sweep.c): metric (a report field's path, "cost_usd.per_month") against the
 * varied key x (NULL: the first), a line per deployment (per deployment and value of
 * the other keys when there are several), 95% bands from the `_ci95` columns when the
 * sweep was replicated, failed points left out; from the text of a sweep's output in
 * any of its formats (csv, jsonl, json). 0, or -1 with err. */
int plot_sweep_rows(const char *text, size_t len, const char *file, const char *metric,
                    const char *x, struct plot *p, struct slsim_error *err);

/* plan (plot_sweep.c): the cost-latency plane of a plan's JSON report (`plan --format
 * json`): every configuration simulated (objective against latency_ms_p99), the Pareto
 * front joined, the chosen configuration marked, a p99 constraint's limit drawn. 0, or
 * -1 with err. */
int plot_pareto_json(const char *text, size_t len, const char *file, struct plot *p,
                     struct slsim_error *err);

/* A saved JSON report (text[0..len), from file): a compare report draws cost-duty, a
 * run report (with its latency histograms) latency; kind (-1: that one) must be the one
 * it draws. 0, or -1 with err naming file and why. */
int plot_from_json(const char *text, size_t len, const char *file, int kind, struct plot *p,
                   struct slsim_error *err);

#endif
