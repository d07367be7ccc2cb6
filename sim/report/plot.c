/* plot.c - a plot's description written as a gnuplot script and its data file.
 *
 * The data file holds one block per series (gnuplot's `index`): x, y, then the band
 * (lo, hi) and a hollow flag where the series has them, each number printed with %.10g,
 * so the file holds the plotted numbers as the reports print them. The script sets the
 * terminal from the output's extension, one panel or two (multiplot), the palette and
 * dash patterns, the reference lines and the markers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "slsim/histogram.h"
#include "slsim/plot.h"

static const char *const kind_names[PLOT_KINDS] = {
    [PLOT_COST_DUTY] = "cost-duty", [PLOT_LATENCY] = "latency", [PLOT_TIMELINE] = "timeline",
    [PLOT_SWEEP] = "sweep",         [PLOT_PARETO] = "pareto",   [PLOT_BATCH] = "batch",
    [PLOT_TTFT] = "ttft",           [PLOT_TPOT] = "tpot",
};

const char *plot_kind_name(enum plot_kind k)
{
    return (unsigned)k < PLOT_KINDS ? kind_names[k] : "?";
}

int plot_kind_parse(const char *name, enum plot_kind *out)
{
    for (int k = 0; k < PLOT_KINDS; k++)
        if (strcmp(name, kind_names[k]) == 0) {
            *out = (enum plot_kind)k;
            return 0;
        }
    return -1;
}

void plot_init(struct plot *p, enum plot_kind k)
{
    *p = (struct plot){.kind = k, .n_panels = 1};
    for (int i = 0; i < PLOT_MAX_PANELS; i++)
        p->panel[i].hline = p->panel[i].vline = NAN;
}

int plot_ccdf_series(struct plot *p, const char *title, const struct histogram *h,
                     uint64_t never, int look)
{
    size_t nonempty = 0;
    for (uint32_t b = 0; b < HISTOGRAM_BUCKETS; b++)
        nonempty += h->bucket[b] != 0;
    size_t n = never ? nonempty : nonempty ? nonempty - 1 : 0;
    struct plot_series *s = plot_add_series(p, title, n, 0, PLOT_STEPS);
    if (!s)
        return -1;
    s->look = look;
    uint64_t above = h->count + never;
    double total = (double)(h->count + never);
    size_t k = 0;
    for (uint32_t b = 0; b < HISTOGRAM_BUCKETS && k < s->n; b++) {
        if (!h->bucket[b])
            continue;
        above -= h->bucket[b];
        s->x[k] = (double)histogram_bucket_high(b) / 1e6;
        s->y[k] = (double)above / total;
        k++;
    }
    return 0;
}

struct plot_series *plot_add_series(struct plot *p, const char *title, size_t n, int panel,
                                    enum plot_style style)
{
    struct plot_series *grown = realloc(p->series, (p->n_series + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    p->series = grown;
    struct plot_series *s = &p->series[p->n_series];
    memset(s, 0, sizeof *s);
    snprintf(s->title, sizeof s->title, "%s", title);
    s->n = n;
    s->panel = panel;
    s->style = style;
    s->look = (int)p->n_series;
    s->x = calloc(n ? n : 1, sizeof *s->x);
    s->y = calloc(n ? n : 1, sizeof *s->y);
    if (!s->x || !s->y) {
        free(s->x);
        free(s->y);
        return NULL;
    }
    p->n_series++;
    return s;
}

int plot_add_marker(struct plot *p, double x, double y, const char *label, int panel)
{
    struct plot_marker *grown = realloc(p->markers, (p->n_markers + 1) * sizeof *grown);
    if (!grown)
        return -1;
    p->markers = grown;
    struct plot_marker *m = &p->markers[p->n_markers++];
    m->x = x;
    m->y = y;
    m->x2 = NAN;
    m->panel = panel;
    snprintf(m->label, sizeof m->label, "%s", label);
    return 0;
}

int plot_add_span(struct plot *p, double x, double x2, const char *label, int panel)
{
    if (plot_add_marker(p, x, NAN, label, panel) != 0)
        return -1;
    p->markers[p->n_markers - 1].x2 = x2;
    return 0;
}

void plot_free(struct plot *p)
{
    for (size_t i = 0; i < p->n_series; i++) {
        free(p->series[i].x);
        free(p->series[i].y);
        free(p->series[i].lo);
        free(p->series[i].hi);
        free(p->series[i].hollow);
    }
    free(p->series);
    free(p->markers);
    memset(p, 0, sizeof *p);
}

int plot_size_parse(const char *text, struct plot_size *out, char *why, size_t n)
{
    char wu[8] = "", hu[8] = "";
    double w, h;
    int used = 0;
    if (sscanf(text, "%lf%7[cm]x%lf%7[cm]%n", &w, wu, &h, hu, &used) == 4 &&
        text[used] == '\0' && strcmp(wu, "cm") == 0 && strcmp(hu, "cm") == 0) {
        out->cm = 1;
    } else if (sscanf(text, "%lfx%lf%n", &w, &h, &used) == 2 && text[used] == '\0') {
        out->cm = 0;
    } else {
        snprintf(why, n, "expected WIDTHxHEIGHT in pixels (1200x800) or centimetres "
                         "(16cmx10cm), got \"%s\"",
                 text);
        return -1;
    }
    double lo = out->cm ? 2 : 100, hi = out->cm ? 200 : 10000;
    if (!(w >= lo && w <= hi && h >= lo && h <= hi)) {
        snprintf(why, n, "each side from %g to %g %s, got \"%s\"", lo, hi,
                 out->cm ? "cm" : "pixels", text);
        return -1;
    }
    out->w = w;
    out->h = h;
    return 0;
}

const char *plot_format_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return NULL;
    if (strcasecmp(dot, ".svg") == 0)
        return "svg";
    if (strcasecmp(dot, ".png") == 0)
        return "png";
    if (strcasecmp(dot, ".pdf") == 0)
        return "pdf";
    return NULL;
}

/* Okabe-Ito, without its yellow (too pale on white) and black (kept for references). */
static const char *const palette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                      "#E69F00", "#56B4E9"};
#define N_PALETTE (sizeof palette / sizeof palette[0])

/* A text inside a gnuplot string in double quotes. */
static void gp_text(FILE *fp, const char *t)
{
    fputc('"', fp);
    for (; *t; t++) {
        if (*t == '"' || *t == '\\')
            fputc('\\', fp);
        if (*t == '_' || *t == '^' || *t == '{' || *t == '}' || *t == '@' || *t == '&')
            fputc('\\', fp), fputc('\\', fp); /* enhanced text: literal */
        fputc(*t, fp);
    }
    fputc('"', fp);
}

static void terminal(FILE *fp, const char *format, const struct plot_size *size)
{
    double w = size->w, h = size->h;
    const char *font = "DejaVu Sans";
    if (strcmp(format, "svg") == 0) {
        /* svg sizes in pixels; centimetres at 96 pixels per inch */
        double k = size->cm ? 96 / 2.54 : 1;
        fprintf(fp, "set terminal svg size %.0f,%.0f dynamic enhanced font '%s,12' "
                    "background rgb 'white'\n",
                w * k, h * k, font);
    } else if (strcmp(format, "png") == 0) {
        double k = size->cm ? 96 / 2.54 : 1;
        fprintf(fp, "set terminal pngcairo size %.0f,%.0f enhanced font '%s,11' "
                    "background rgb 'white'\n",
                w * k, h * k, font);
    } else {
        /* pdfcairo sizes in inches (or cm); pixels at 96 per inch */
        if (size->cm)
            fprintf(fp, "set terminal pdfcairo size %gcm,%gcm enhanced font '%s,10'\n", w, h,
                    font);
        else
            fprintf(fp, "set terminal pdfcairo size %gin,%gin enhanced font '%s,10'\n", w / 96,
                    h / 96, font);
    }
}

/* The data: a block per series, two blank lines between blocks. */
static void write_data(const struct plot *p, FILE *data)
{
    for (size_t i = 0; i < p->n_series; i++) {
        const struct plot_series *s = &p->series[i];
        fprintf(data, "# %s\n", s->title);
        for (size_t k = 0; k < s->n; k++) {
            fprintf(data, "%.10g %.10g", s->x[k], s->y[k]);
            if (s->lo)
                fprintf(data, " %.10g %.10g", s->lo[k], s->hi[k]);
            if (s->hollow)
                fprintf(data, " %d", s->hollow[k]);
            fputc('\n', data);
        }
        if (s->n == 0)
            fputs("nan nan\n", data); /* gnuplot skips an empty block's index otherwise */
        fputs("\n\n", data);
    }
}

static void write_panel(const struct plot *p, int k, FILE *fp, const char *data_path)
{
    const struct plot_panel *pn = &p->panel[k];
    fputs("unset label\nunset arrow\nunset object\n", fp);
    fprintf(fp, "set xlabel ");
    gp_text(fp, pn->xlabel);
    fprintf(fp, "\nset ylabel ");
    gp_text(fp, pn->ylabel);
    fprintf(fp, "\n%s logscale x\n%s logscale y\n", pn->logx ? "set" : "unset",
            pn->logy ? "set" : "unset");
    /* powers of ten as such on a log axis of shares; plain numbers elsewhere */
    fprintf(fp, "set format x \"%%g\"\nset format y %s\n",
            pn->logy && pn->ylabel[0] == 'P' ? "\"10^{%L}\"" : "\"%g\"");
    fprintf(fp, "%s\n", k > 0 ? "unset key" : "set key outside right top box opaque");
    fputs("set grid back lc rgb '#dddddd'\n", fp);
    if (k == 0 && p->title[0]) {
        fputs("set title ", fp);
        gp_text(fp, p->title);
        fputc('\n', fp);
    } else {
        fputs("unset title\n", fp);
    }
    int tag = 1;
    if (!isnan(pn->hline)) {
        fprintf(fp, "set arrow %d from graph 0, first %.10g to graph 1, first %.10g nohead "
                    "lc rgb '#000000' dt 2 lw 1.5\n",
                tag++, pn->hline, pn->hline);
        fprintf(fp, "set label %d ", tag);
        gp_text(fp, pn->hline_label);
        fprintf(fp, " at graph 0.02, first %.10g offset 0,0.6 font ',10'\n", pn->hline);
        tag++;
    }
    if (!isnan(pn->vline)) {
        fprintf(fp, "set arrow %d from first %.10g, graph 0 to first %.10g, graph 1 nohead "
                    "lc rgb '#000000' dt 2 lw 1.5\n",
                tag++, pn->vline, pn->vline);
        fprintf(fp, "set label %d ", tag);
        gp_text(fp, pn->vline_label);
        fprintf(fp, " at first %.10g, graph 0.95 offset 0.5,0 font ',10'\n", pn->vline);
        tag++;
    }
    for (size_t m = 0; m < p->n_markers; m++) {
        const struct plot_marker *mk = &p->markers[m];
        if (mk->panel != k)
            continue;
        if (!isnan(mk->x2)) {
            /* a span, shaded behind the data (a spike), its label at the top */
            fprintf(fp, "set object %d rect from first %.10g, graph 0 to first %.10g, graph 1 "
                        "behind fc rgb '#e6e6e6' fs solid 1.0 noborder\n",
                    tag++, mk->x, mk->x2);
            if (mk->label[0]) {
                fprintf(fp, "set label %d ", tag++);
                gp_text(fp, mk->label);
                fprintf(fp, " at first %.10g, graph 0.97 offset 0.3,0 font ',9'\n", mk->x2);
            }
        } else if (isnan(mk->y)) {
            fprintf(fp, "set arrow %d from first %.10g, graph 0 to first %.10g, graph 1 nohead "
                        "lc rgb '#555555' dt 3\n",
                    tag++, mk->x, mk->x);
            fprintf(fp, "set label %d ", tag++);
            gp_text(fp, mk->label);
            fprintf(fp, " at first %.10g, graph %.3f rotate by 90 offset -0.8,0 right "
                        "font ',9'\n",
                    mk->x, 0.98 - 0.0 * (double)m);
        } else {
            fprintf(fp, "set label %d ", tag++);
            gp_text(fp, mk->label);
            fprintf(fp, " at first %.10g, first %.10g point pt 3 ps 2 lc rgb '#000000' "
                        "offset 1,1 font ',10'\n",
                    mk->x, mk->y);
        }
    }
    if (pn->y_from_zero && !pn->logy)
        fputs("set yrange [0:*]\n", fp);
    else
        fputs("set yrange [*:*]\n", fp);
    fputs("plot ", fp);
    int first = 1;
    /* Filled areas first, the last added first (the top of a stack under the rest),
     * then every other series in order. */
    for (size_t j = p->n_series; j-- > 0;) {
        const struct plot_series *s = &p->series[j];
        if (s->panel != k || s->style != PLOT_FILL)
            continue;
        size_t look = (size_t)s->look;
        fprintf(fp, "%s'%s' index %zu using 1:2 with fillsteps fs solid 0.75 noborder "
                    "lc rgb '%s' title ",
                first ? "" : ", \\\n     ", data_path, j, palette[look % N_PALETTE]);
        gp_text(fp, s->title);
        first = 0;
    }
    for (size_t i = 0; i < p->n_series; i++) {
        const struct plot_series *s = &p->series[i];
        if (s->panel != k || s->style == PLOT_FILL)
            continue;
        size_t look = (size_t)s->look;
        const char *colour = palette[look % N_PALETTE];
        int dt = (int)(look % 5) + 1, pt = (int)(look % 6) * 2 + 5;
        if (s->lo) {
            fprintf(fp, "%s'%s' index %zu using 1:3:4 with filledcurves fs transparent solid "
                        "0.2 noborder lc rgb '%s' notitle",
                    first ? "" : ", \\\n     ", data_path, i, colour);
            first = 0;
        }
        const char *with = s->style == PLOT_STEPS        ? "steps"
                           : s->style == PLOT_BOXES      ? "boxes fs solid 0.6"
                           : s->style == PLOT_LINESPOINTS ? "linespoints"
                           : s->style == PLOT_POINTS      ? "points"
                                                          : "lines";
        int marks = s->style == PLOT_LINESPOINTS || s->style == PLOT_POINTS;
        if (s->hollow) {
            /* filled where the SLO held, hollow where it did not, one legend entry: the
             * series' line (none for a scatter, whose entry is a filled point) */
            if (s->style == PLOT_POINTS)
                fprintf(fp, "%s'%s' index %zu using 1:(1/0) with points pt %d ps 1.2 "
                            "lc rgb '%s' title ",
                        first ? "" : ", \\\n     ", data_path, i, pt, colour);
            else
                /* the line, and in the legend its line with its (filled) mark */
                fprintf(fp, "%s'%s' index %zu using 1:2 with lines lw 2 dt %d lc rgb '%s' "
                            "notitle, \\\n     keyentry with linespoints lw 2 dt %d pt %d "
                            "ps 1.2 lc rgb '%s' title ",
                        first ? "" : ", \\\n     ", data_path, i, dt, colour, dt, pt, colour);
            gp_text(fp, s->title);
            int col = s->lo ? 5 : 3;
            fprintf(fp, ", \\\n     '%s' index %zu using 1:($%d == 0 ? $2 : 1/0) with points "
                        "pt %d ps 1.2 lc rgb '%s' notitle",
                    data_path, i, col, pt, colour);
            fprintf(fp, ", \\\n     '%s' index %zu using 1:($%d == 1 ? $2 : 1/0) with points "
                        "pt %d ps 1.2 lc rgb '%s' notitle",
                    data_path, i, col, pt - 1, colour);
        } else {
            if (marks)
                fprintf(fp, "%s'%s' index %zu using 1:2 with %s lw 2 dt %d pt %d lc rgb '%s' "
                            "title ",
                        first ? "" : ", \\\n     ", data_path, i, with, dt, pt, colour);
            else
                fprintf(fp, "%s'%s' index %zu using 1:2 with %s lw 2 dt %d lc rgb '%s' title ",
                        first ? "" : ", \\\n     ", data_path, i, with, dt, colour);
            gp_text(fp, s->title);
        }
        first = 0;
    }
    if (first)
        fputs("NaN notitle", fp);
    fputc('\n', fp);
}

int plot_write(const struct plot *p, FILE *script, FILE *data, const char *data_path,
               const char *out_path, const struct plot_size *size)
{
    /* compare's p99 panel: log only where its values span more than a decade (a log axis
     * over a narrow range would squeeze every line together) */
    struct plot tuned = *p;
    if (p->kind == PLOT_COST_DUTY && p->n_panels > 1) {
        double lo = HUGE_VAL, hi = 0;
        for (size_t i = 0; i < p->n_series; i++)
            for (size_t k = 0; p->series[i].panel == 1 && k < p->series[i].n; k++) {
                double y = p->series[i].y[k];
                if (y > 0 && y < lo)
                    lo = y;
                if (y > hi)
                    hi = y;
            }
        tuned.panel[1].logy = lo < HUGE_VAL && hi / lo > 10;
    }
    p = &tuned;
    write_data(p, data);
    const char *format = plot_format_of(out_path);
    if (!format)
        format = "svg";
    fputs("# Written by slsim: restyle it and run `gnuplot FILE`.\n", script);
    terminal(script, format, size);
    fputs("set output ", script);
    gp_text(script, out_path);
    fputs("\nset encoding utf8\nset border lw 1.2\nset tics nomirror\nset samples 1000\n", script);
    if (p->n_panels > 1) {
        /* the same margins in both panels, so their x axes line up under the legend */
        fputs("set multiplot layout 2,1\nset lmargin at screen 0.09\n"
              "set rmargin at screen 0.76\n",
              script);
        for (int k = 0; k < p->n_panels; k++)
            write_panel(p, k, script, data_path);
        fputs("unset multiplot\n", script);
    } else {
        write_panel(p, 0, script, data_path);
    }
    fputs("unset output\n", script);
    return ferror(script) || ferror(data) ? -1 : 0;
}
