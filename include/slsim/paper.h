/* paper.h - published claims regenerated: a paper's claims file, the runs it names,
 * and each claim's value with its 95% interval, relative difference and verdict.
 *
 * A paper is a folder (scenarios/paper/NAME/, installed under
 * PREFIX/share/slsim/paper/NAME/) holding claims.yaml and the scenarios it runs. The
 * claims file says, for every claim of the paper by ID, what the paper reports and
 * how slsim's number is read off its runs: a report field of one deployment, or a
 * ratio, change or reduction of two such values, computed per replication (the runs
 * share the scenario's seed, so the pairs are common random numbers) and then averaged
 * with a Student-t interval. The format is docs/SCENARIO.md's "Claims files". */
#ifndef SLSIM_PAPER_H
#define SLSIM_PAPER_H

#include <stddef.h>
#include <stdint.h>

#include "slsim/error.h"
#include "slsim/run.h"

/* What kind of verdict a claim can have. */
enum paper_kind {
    PAPER_SIMULATED,      /* slsim computes it: reproduced or differs */
    PAPER_INPUT,          /* the paper's number is what the scenario assumes */
    PAPER_NOT_OUTPUT,     /* survey or market data: not a simulation output */
    PAPER_NOT_REPRODUCIBLE /* a simulation output slsim cannot compute: why names the gap */
};

/* How a row's verdict is judged. */
enum paper_tolerance {
    PAPER_RELATIVE,  /* reproduced when |slsim - paper| / |paper| <= relative (0.15) */
    PAPER_PREDICTION /* reproduced when the paper's value lies in the 95% prediction
                        interval of one run: mean +- t(0.975, n-1) s sqrt(1 + 1/n), the
                        paper's value being one run of the same length (needs n >= 2) */
};

enum paper_op {
    PAPER_FIELD,     /* a report field of one deployment of one run, times scale */
    PAPER_RATIO,     /* a / b */
    PAPER_CHANGE,    /* (a / b - 1) x 100: percent above b */
    PAPER_REDUCTION, /* (1 - a / b) x 100: percent below b */
    PAPER_SUM,       /* a + b */
    PAPER_DIFF,      /* a - b */
    PAPER_PRODUCT,   /* a x b */
    PAPER_CONSTANT,  /* a number written in the claims file (its scale) */
};

/* A value read off runs, per replication. */
struct paper_expr {
    enum paper_op op;
    size_t run;           /* PAPER_FIELD: index into paper.runs */
    char *deployment;     /* PAPER_FIELD: a deployment of that run's scenario */
    char *field;          /* PAPER_FIELD: a report field by its JSON path */
    double scale;         /* PAPER_FIELD: multiplies the field (1000 for s -> ms) */
    struct paper_expr *a; /* the others: operands, owned */
    struct paper_expr *b;
    int line, column;     /* where it was written in the claims file */
    char *key;            /* its key path there, e.g. claims[3].rows[1].value */
};

/* One run: a scenario (path relative to the claims file, stored absolute) and
 * --set overrides. */
struct paper_run {
    char *name;
    char *scenario;     /* as written in the claims file */
    char *path;         /* resolved */
    char **sets;        /* KEY=VALUE, owned */
    size_t n_sets;
};

/* One number of a claim (a claim such as Table 3's has one per model size). */
struct paper_row {
    char *label;            /* "" for a claim of one number */
    char *paper_text;       /* the paper's value as printed: "278 ms", "2.3-3.1x" */
    double paper_lo;        /* the paper's value (a range: lo < hi; else lo == hi) */
    double paper_hi;
    char *unit;             /* of paper and slsim values: "ms", "%", "x", "" ... */
    struct paper_expr *value; /* NULL for a claim that is not simulated */
    char *explain;          /* one line of physics behind a difference; may be NULL */
    enum paper_kind kind;   /* the claim's, unless the row says otherwise (a quantity of a
                               simulated claim that is not simulated, such as accuracy) */
    char *why;              /* kinds other than simulated: the reason */
    enum paper_tolerance tolerance; /* the claim's */
    double relative;
};

/* The open parameter of an under-specified claim: the rows are recomputed with
 * KEY=VALUE added to every run, for each value, and the report shows how they move. */
struct paper_across {
    char *key;
    char **values;
    size_t n_values;
};

struct paper_claim {
    char *id;               /* "T3-2023" */
    char *where;            /* "Table 3" */
    char *claim;            /* what the paper says */
    char *reading;          /* how the scenario reads it; may be NULL */
    char *why;              /* kinds other than simulated: the reason (the missing data) */
    enum paper_kind kind;
    enum paper_tolerance tolerance;
    double relative;        /* PAPER_RELATIVE's bound (0.15) */
    struct paper_row *rows;
    size_t n_rows;
    struct paper_across across; /* n_values 0: none */
    char *scenario;         /* the scenario file named in the report (the first run's) */
};

struct paper {
    char *name;             /* the folder's name: "boorugula2025" */
    char *title;
    char *cite;
    char *dir;              /* the folder */
    char *file;             /* its claims.yaml */
    uint32_t replications;  /* default replications of every run */
    struct paper_run *runs;
    size_t n_runs;
    struct paper_claim *claims;
    size_t n_claims;
};

/* Read dir/claims.yaml into p. Every run's scenario must exist; fields and
 * deployments are checked when the runs are loaded (paper_evaluate). 0, or -1 with
 * err at the file, line, column and key of the problem (p then holds nothing). */
int paper_load(const char *dir, struct paper *p, struct slsim_error *err);
void paper_free(struct paper *p);

/* The claim IDs in the comma-separated list ids that p lacks: 0 when all are there,
 * else -1 with err naming the first unknown one (and the IDs it has). */
int paper_check_ids(const struct paper *p, const char *ids, struct slsim_error *err);

/* 1 when claim c is selected by ids (NULL: every claim). */
int paper_selected(const struct paper_claim *c, const char *ids);

/* One row's outcome. */
struct paper_value {
    int has;          /* 0: not simulated, or undefined in some replication (x / 0) */
    double mean;      /* over replications */
    double ci95;      /* half-width of the 95% interval (Student t); 0 with one replication */
    double sd;        /* sample standard deviation over replications; 0 with one */
    uint32_t n;       /* replications it was computed from */
    double diff;      /* relative difference: |mean - paper| / |paper| (0 inside a range) */
    int reproduced;   /* PAPER_SIMULATED only: the tolerance holds */
    double *across;   /* [claim's across.n_values] means (NAN: undefined); NULL without */
    double *across_ci95; /* [across.n_values] their 95% half-widths; NULL without */
};

struct paper_result {
    const struct paper *paper;
    const char *ids;            /* the --claims selection, NULL: all */
    uint32_t replications;
    struct paper_value **values; /* [claim][row]; NULL for a claim not selected */
};

/* Progress: run k of n (named) is about to start; k == n (name NULL): all are done. */
typedef void (*paper_progress_fn)(void *ctx, size_t k, size_t n, const char *name);

/* Run every run the selected claims use (replications each; 0: the paper's default)
 * on jobs threads and compute every selected row. Each run's report is read for the
 * values claims take from it and freed before the next run: memory holds those values
 * (a double a replication each), not the runs' records. 0, or -1 with err (a scenario that
 * does not load, a deployment or field a claim names that its run lacks: placed at
 * the claims file). */
int paper_evaluate(const struct paper *p, const char *ids, uint32_t replications,
                   unsigned jobs, paper_progress_fn progress, void *ctx,
                   struct paper_result *r, struct slsim_error *err);
void paper_result_free(struct paper_result *r);

/* Row row's verdict given its value v (NULL when not computed): "reproduced",
 * "differs", "input", "not a simulation output", "not reproducible". */
const char *paper_verdict(const struct paper_row *row, const struct paper_value *v);

#endif
