/* plot_timeline.c - the timeline of a run: instances busy, idle and starting over time,
 * the arrivals per interval below, the scenario's spikes marked.
 *
 * It is built from the timelines in memory (run --timeline) or from the timeline CSV
 * that `run --timeline FILE` wrote (`slsim plot FILE.csv`), and both give the same data
 * file: the numbers from memory are rounded as the CSV prints them (times %.9g s,
 * instances %.6f) before they are plotted, so the picture drawn later from the CSV is
 * the picture drawn at the time, to the byte.
 *
 * What is drawn. Stacking every deployment's three layers in one panel is unreadable
 * beyond one deployment, and struct plot has two panels at most, so the upper panel
 * holds the stack of the FIRST deployment (its total, for a hybrid): three step lines,
 * busy, busy + idle ("+ idle") and busy + idle + starting ("+ starting"), the bands
 * between them the layers; and
 * for each other deployment its instances (busy + idle + starting) as one step line, for
 * comparison. Colours therefore name layers and deployments here, not deployments alone.
 * struct plot has no second y axis, so the arrivals per interval (the same request
 * stream for every deployment: the first deployment's) go to a lower panel on the same
 * time axis. Each spike of the scenario is a shaded span (plot_add_span); a CSV holds no
 * scenario, so none are drawn from one. Time is in s, min, h or d after the last interval's start. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/plot.h"

/* One deployment's rows as plotted: t_s interval start (s, from time 0), the
 * time-average instances of each state, arrivals in the interval. */
struct tl_part {
    char name[SLSIM_NAME_MAX];
    size_t n, cap;
    double *t_s, *busy, *idle, *init, *inst, *arrivals; /* inst: the instances column */
};

static void parts_free(struct tl_part *parts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(parts[i].t_s);
        free(parts[i].busy);
        free(parts[i].idle);
        free(parts[i].init);
        free(parts[i].inst);
        free(parts[i].arrivals);
    }
    free(parts);
}

static int part_push(struct tl_part *x, double t_s, double busy, double idle, double init,
                     double inst, double arrivals)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 64;
        double **arr[] = {&x->t_s, &x->busy, &x->idle, &x->init, &x->inst, &x->arrivals};
        for (size_t a = 0; a < sizeof arr / sizeof arr[0]; a++) {
            double *grown = realloc(*arr[a], cap * sizeof *grown);
            if (!grown)
                return -1;
            *arr[a] = grown;
        }
        x->cap = cap;
    }
    x->t_s[x->n] = t_s;
    x->busy[x->n] = busy;
    x->idle[x->n] = idle;
    x->init[x->n] = init;
    x->inst[x->n] = inst;
    x->arrivals[x->n] = arrivals;
    x->n++;
    return 0;
}

/* v as the CSV prints it with format fmt, read back. */
static double as_printed(const char *fmt, double v)
{
    char buf[64];
    snprintf(buf, sizeof buf, fmt, v);
    return strtod(buf, NULL);
}

/* The time unit for a timeline whose last interval starts at last_s. */
static void time_unit(double last_s, double *unit_s, const char **name)
{
    if (last_s >= 2 * 86400.0)
        *unit_s = 86400, *name = "d";
    else if (last_s >= 2 * 3600.0)
        *unit_s = 3600, *name = "h";
    else if (last_s >= 2 * 60.0)
        *unit_s = 60, *name = "min";
    else
        *unit_s = 1, *name = "s";
}

static int add_steps(struct plot *p, const char *title, const struct tl_part *x, double unit_s,
                     int panel, int look, const double *a, const double *b, const double *c)
{
    /* the first deployment's stack as filled areas, the rest as step lines */
    enum plot_style style = panel == 0 && look <= 2 ? PLOT_FILL : PLOT_STEPS;
    struct plot_series *s = plot_add_series(p, title, x->n, panel, style);
    if (!s)
        return -1;
    s->look = look;
    for (size_t k = 0; k < x->n; k++) {
        s->x[k] = x->t_s[k] / unit_s;
        s->y[k] = a[k] + (b ? b[k] : 0) + (c ? c[k] : 0);
    }
    return 0;
}

/* The plot of parts[0..n) (n >= 1, parts[0] with rows), title what the title says the
 * run is. The scenario's spikes are added by the caller. */
static int build(struct plot *p, const char *title, const struct tl_part *parts, size_t n,
                 double *unit_out, struct slsim_error *err)
{
    memset(p, 0, sizeof *p);
    p->kind = PLOT_TIMELINE;
    p->n_panels = 2;
    for (int k = 0; k < PLOT_MAX_PANELS; k++) {
        p->panel[k].hline = NAN;
        p->panel[k].vline = NAN;
    }
    double last = 0;
    for (size_t i = 0; i < n; i++)
        if (parts[i].n && parts[i].t_s[parts[i].n - 1] > last)
            last = parts[i].t_s[parts[i].n - 1];
    double unit_s;
    const char *unit;
    time_unit(last, &unit_s, &unit);
    *unit_out = unit_s;
    const struct tl_part *x = &parts[0];
    snprintf(p->title, sizeof p->title,
             "%s: instances over time (%s: busy, idle, starting stacked), arrivals below",
             title, x->name);
    for (int k = 0; k < 2; k++)
        snprintf(p->panel[k].xlabel, sizeof p->panel[k].xlabel, "time (%s)", unit);
    snprintf(p->panel[0].ylabel, sizeof p->panel[0].ylabel, "instances (time-average)");
    if (x->n > 1) {
        double step_s = x->t_s[1] - x->t_s[0], step_unit = 1;
        const char *name = "s";
        if (fmod(step_s, 86400) == 0)
            step_unit = 86400, name = "d";
        else if (fmod(step_s, 3600) == 0)
            step_unit = 3600, name = "h";
        else if (fmod(step_s, 60) == 0)
            step_unit = 60, name = "min";
        snprintf(p->panel[1].ylabel, sizeof p->panel[1].ylabel, "arrivals per %g %s",
                 step_s / step_unit, name);
    } else
        snprintf(p->panel[1].ylabel, sizeof p->panel[1].ylabel, "arrivals per interval");
    char t[3 * SLSIM_NAME_MAX];
    int rc = 0;
    snprintf(t, sizeof t, "%s busy", x->name);
    rc |= add_steps(p, t, x, unit_s, 0, 0, x->busy, NULL, NULL);
    snprintf(t, sizeof t, "%s + idle", x->name);
    rc |= add_steps(p, t, x, unit_s, 0, 1, x->busy, x->idle, NULL);
    snprintf(t, sizeof t, "%s + starting", x->name);
    rc |= add_steps(p, t, x, unit_s, 0, 2, x->busy, x->idle, x->init);
    for (size_t i = 1; i < n && rc == 0; i++) {
        snprintf(t, sizeof t, "%s instances", parts[i].name);
        rc |= add_steps(p, t, &parts[i], unit_s, 0, (int)(2 + i), parts[i].inst, NULL, NULL);
    }
    if (rc == 0)
        rc = add_steps(p, "arrivals", x, unit_s, 1, 0, x->arrivals, NULL, NULL);
    if (rc != 0) {
        plot_free(p);
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    return 0;
}

int plot_timeline(const struct scenario *s, const struct run_output *out, struct plot *p,
                  struct slsim_error *err)
{
    memset(p, 0, sizeof *p);
    size_t n = out->timelines ? out->n_deployments : 0;
    if (n == 0 || out->timelines[0].n[0] == 0)
        return slsim_error_set(err, NULL, 0, 0, NULL,
                               "the run kept no timeline: run it with --timeline");
    struct tl_part *parts = calloc(n, sizeof *parts);
    if (!parts)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    for (size_t d = 0; d < n; d++) {
        const struct trial_timeline *tl = &out->timelines[d];
        snprintf(parts[d].name, sizeof parts[d].name, "%s", run_output_part(out, 0, d, 0)->name);
        for (size_t k = 0; k < tl->n[0]; k++) {
            const struct timeline_row *row = &tl->rows[0][k];
            /* report_run_timeline's formats */
            if (part_push(&parts[d], as_printed("%.9g", (double)row->start_ns / 1e9),
                          as_printed("%.6f", row->busy), as_printed("%.6f", row->idle),
                          as_printed("%.6f", row->initializing),
                          as_printed("%.6f", row->busy + row->idle + row->initializing),
                          (double)row->arrivals) != 0) {
                parts_free(parts, n);
                return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
            }
        }
    }
    double unit_s;
    int rc = build(p, s->name, parts, n, &unit_s, err);
    parts_free(parts, n);
    if (rc != 0)
        return rc;
    /* each spike inside the run shaded, in both panels, named in the upper one */
    for (size_t i = 0; i < s->workload.n_spikes; i++) {
        const struct spike *sp = &s->workload.spikes[i];
        if (sp->at_ns >= s->duration_ns)
            continue;
        double a = (double)sp->at_ns / 1e9 / unit_s;
        double b = (double)(sp->at_ns + sp->duration_ns) / 1e9 / unit_s;
        char label[96];
        snprintf(label, sizeof label, "spike x%g", sp->factor);
        if (plot_add_span(p, a, b, label, 0) != 0 || plot_add_span(p, a, b, "", 1) != 0) {
            plot_free(p);
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        }
    }
    return 0;
}

/* ---- the timeline CSV ---- */

/* A CSV reader over text[0..len): RFC 4180 fields, as report_csv_text writes them. */
struct csv_in {
    const char *text;
    size_t len, at;
    int line, column;
};

/* The next field into buf (n bytes, truncated), 1 when a row ends after it (or the
 * text), 0 when a comma follows; -1 for an unterminated quote. */
static int csv_field(struct csv_in *c, char *buf, size_t n)
{
    size_t k = 0;
    c->column = (int)c->at; /* made relative by the caller's line start */
    if (c->at < c->len && c->text[c->at] == '"') {
        c->at++;
        for (;;) {
            if (c->at >= c->len)
                return -1;
            char ch = c->text[c->at++];
            if (ch == '"') {
                if (c->at < c->len && c->text[c->at] == '"')
                    c->at++;
                else
                    break;
            } else if (ch == '\n') {
                c->line++;
            }
            if (k + 1 < n)
                buf[k++] = ch;
        }
    } else {
        while (c->at < c->len && c->text[c->at] != ',' && c->text[c->at] != '\n' &&
               c->text[c->at] != '\r') {
            if (k + 1 < n)
                buf[k++] = c->text[c->at];
            c->at++;
        }
    }
    buf[k] = '\0';
    if (c->at < c->len && c->text[c->at] == ',') {
        c->at++;
        return 0;
    }
    if (c->at < c->len && c->text[c->at] == '\r')
        c->at++;
    if (c->at < c->len && c->text[c->at] == '\n')
        c->at++;
    return 1;
}

enum { COL_DEPLOYMENT, COL_TIER, COL_T, COL_BUSY, COL_IDLE, COL_INIT, COL_INST, COL_ARRIVALS,
       N_COLS };
static const char *const col_names[N_COLS] = {"deployment", "tier",      "t_start_s",
                                              "busy",       "idle",      "initializing",
                                              "instances",  "arrivals"};

/* A number cell: 0, or -1 when it is not one (or negative). */
static int csv_number(const char *cell, double *v)
{
    char *end;
    *v = strtod(cell, &end);
    return cell[0] && *end == '\0' && isfinite(*v) && *v >= 0 ? 0 : -1;
}

int plot_timeline_csv(const char *text, size_t len, const char *file, struct plot *p,
                      struct slsim_error *err)
{
    memset(p, 0, sizeof *p);
    struct csv_in c = {text, len, 0, 1, 0};
    int col_of[N_COLS];
    for (int k = 0; k < N_COLS; k++)
        col_of[k] = -1;
    char cell[SLSIM_NAME_MAX]; /* a deployment's name, or a number */
    int ncols = 0, end = 0;
    while (!end && c.at < len) {
        end = csv_field(&c, cell, sizeof cell);
        if (end < 0)
            return slsim_error_set(err, file, 1, 0, NULL, "a quoted header cell never ends");
        for (int k = 0; k < N_COLS; k++)
            if (strcmp(cell, col_names[k]) == 0)
                col_of[k] = ncols;
        ncols++;
    }
    for (int k = 0; k < N_COLS; k++)
        if (col_of[k] < 0)
            return slsim_error_set(err, file, 1, 0, NULL,
                                   "not a timeline CSV (as `slsim run --timeline` writes): "
                                   "no column \"%s\"",
                                   col_names[k]);
    struct tl_part *parts = NULL;
    size_t n = 0;
    int rc = 0;
    while (rc == 0 && c.at < len) {
        int line = ++c.line;
        size_t line_start = c.at;
        char name[SLSIM_NAME_MAX] = "", tier[SLSIM_NAME_MAX] = "";
        double v[N_COLS] = {0};
        int got = 0;
        end = 0;
        for (int col = 0; !end; col++) {
            end = csv_field(&c, cell, sizeof cell);
            int column = c.column - (int)line_start + 1;
            if (end < 0) {
                rc = slsim_error_set(err, file, line, column, NULL, "a quoted cell never ends");
                break;
            }
            for (int k = 0; k < N_COLS; k++) {
                if (col != col_of[k])
                    continue;
                got++;
                if (k == COL_DEPLOYMENT)
                    memcpy(name, cell, sizeof name);
                else if (k == COL_TIER)
                    memcpy(tier, cell, sizeof tier);
                else if (csv_number(cell, &v[k]) != 0)
                    rc = slsim_error_set(err, file, line, column, col_names[k],
                                         "%s \"%s\" is not a number >= 0", col_names[k], cell);
            }
        }
        if (rc != 0)
            break;
        if (c.at - line_start <= 2 && got <= 1 && name[0] == '\0')
            continue; /* a blank line */
        if (got < N_COLS) {
            rc = slsim_error_set(err, file, line, 0, NULL, "a row of %d cells: the header has %d",
                                 got, ncols);
            break;
        }
        if (tier[0])
            continue; /* a hybrid's tier: its total is drawn */
        struct tl_part *x = n ? &parts[n - 1] : NULL;
        if (!x || strcmp(x->name, name) != 0) {
            for (size_t i = 0; i + 1 < n; i++)
                if (strcmp(parts[i].name, name) == 0) {
                    rc = slsim_error_set(err, file, line, 0, "deployment",
                                         "deployment \"%s\" again after other rows: a timeline "
                                         "lists each deployment's rows together",
                                         name);
                    break;
                }
            if (rc != 0)
                break;
            struct tl_part *grown = realloc(parts, (n + 1) * sizeof *grown);
            if (!grown) {
                rc = slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
                break;
            }
            parts = grown;
            x = &parts[n++];
            memset(x, 0, sizeof *x);
            snprintf(x->name, sizeof x->name, "%s", name);
        }
        if (part_push(x, v[COL_T], v[COL_BUSY], v[COL_IDLE], v[COL_INIT], v[COL_INST],
                      v[COL_ARRIVALS]) != 0)
            rc = slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    if (rc == 0 && n == 0)
        rc = slsim_error_set(err, file, 0, 0, NULL, "the timeline has no rows to draw");
    if (rc == 0) {
        double unit_s;
        const char *base = strrchr(file, '/');
        rc = build(p, base ? base + 1 : file, parts, n, &unit_s, err);
    }
    parts_free(parts, n);
    return rc;
}
