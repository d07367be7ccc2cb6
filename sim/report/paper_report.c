/* paper_report.c - `slsim paper`: each published claim beside slsim's number, as a
 * table for people, Markdown for the README, JSON and CSV. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/paper.h"
#include "slsim/report.h"
#include "writers.h"

/* The decimals a number is shown with: three significant digits, none at 100 and
 * above (no exponent for the magnitudes claims have, 1e-6 to 1e6). */
static int decimals_of(double v)
{
    double a = fabs(v);
    if (a >= 100 || a == 0 || !isfinite(a))
        return 0;
    int d = 2 - (int)floor(log10(a));
    return d < 0 ? 0 : d > 9 ? 9 : d;
}

static const char *unit_sep(const char *unit)
{
    return unit[0] && strcmp(unit, "%") != 0 && strcmp(unit, "x") != 0 ? " " : "";
}

/* "312 +- 4.1 ms" (or "312 ms" with one replication), "-" when undefined. */
static void fmt_value(char *b, size_t n, const struct paper_value *v, const char *unit,
                      const char *pm)
{
    if (!v || !v->has) {
        snprintf(b, n, "-");
        return;
    }
    char m[32], c[32];
    int d = decimals_of(v->mean);
    snprintf(m, sizeof m, "%.*f", d, v->mean);
    if (v->sd > 0 || v->ci95 > 0 || v->n > 1) {
        /* the interval to the mean's decimals, or to its own first digit when smaller */
        int dc = v->ci95 > 0 && v->ci95 < pow(10, -d) ? decimals_of(v->ci95) - 2 : d;
        snprintf(c, sizeof c, "%.*f", dc > d ? dc : d, v->ci95);
        snprintf(b, n, "%s %s %s%s%s", m, pm, c, unit_sep(unit), unit);
    } else {
        snprintf(b, n, "%s%s%s", m, unit_sep(unit), unit);
    }
}

static void fmt_diff(char *b, size_t n, const struct paper_row *row, const struct paper_value *v)
{
    if (row->kind != PAPER_SIMULATED || !v || !v->has)
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%.1f%%", 100 * v->diff);
}

static const struct paper_value *value_of(const struct paper_result *r, size_t i, size_t k)
{
    return r->values[i] ? &r->values[i][k] : NULL;
}

/* Where next_row is: claim c (index i of the paper's), its row k. */
struct row_at {
    size_t i, k;
    const struct paper_claim *c; /* NULL before the first row */
};

/* Move a to the next row of a selected claim, in order: 1, or 0 after the last. */
static int next_row(const struct paper_result *r, struct row_at *a)
{
    const struct paper *p = r->paper;
    if (a->c)
        a->k++;
    for (; a->i < p->n_claims; a->i++, a->k = 0)
        if (r->values[a->i] && a->k < p->claims[a->i].n_rows) {
            a->c = &p->claims[a->i];
            return 1;
        }
    return 0;
}

struct totals {
    size_t reproduced, differs, input, not_output, not_reproducible;
};

static void count(const struct paper_result *r, struct totals *t)
{
    memset(t, 0, sizeof *t);
    for (struct row_at a = {0}; next_row(r, &a);) {
        const struct paper_claim *c = a.c;
        size_t i = a.i, k = a.k;
        const char *v = paper_verdict(&c->rows[k], value_of(r, i, k));
        if (strcmp(v, "reproduced") == 0)
            t->reproduced++;
        else if (strcmp(v, "differs") == 0)
            t->differs++;
        else if (c->rows[k].kind == PAPER_INPUT)
            t->input++;
        else if (c->rows[k].kind == PAPER_NOT_OUTPUT)
            t->not_output++;
        else
            t->not_reproducible++;
    }
}

static void tolerance_text(FILE *fp, const struct paper_result *r)
{
    int prediction = 0;
    for (size_t i = 0; i < r->paper->n_claims; i++)
        prediction |= r->values[i] && r->paper->claims[i].tolerance == PAPER_PREDICTION;
    fprintf(fp, "%u replications of every run; reproduced: |slsim - paper| / |paper| <= 15%%",
            r->replications);
    if (prediction)
        fputs(",\nor (claims marked prediction) the paper's value inside the 95% prediction "
              "interval of one run", fp);
    fputs("\n", fp);
}

/* The note of a row: its explanation where it differs, else nothing. */
static const char *row_note(const struct paper_row *row, const struct paper_value *v)
{
    if (row->kind != PAPER_SIMULATED)
        return row->why;
    if (strcmp(paper_verdict(row, v), "differs") == 0)
        return row->explain ? row->explain : "(no explanation given)";
    return NULL;
}

/* ---- text ---- */

static int write_text(FILE *fp, const struct paper_result *r)
{
    const struct paper *p = r->paper;
    fprintf(fp, "%s: %s\n%s\n", p->name, p->title, p->cite);
    tolerance_text(fp, r);
    fputs("\n", fp);
    /* columns as wide as their widest cell */
    int w_id = 2, w_part = 4, w_paper = 5, w_val = 14;
    for (struct row_at a = {0}; next_row(r, &a);) {
        const struct paper_claim *c = a.c;
        size_t i = a.i, k = a.k;
        char val[160];
        fmt_value(val, sizeof val,
                  c->rows[k].kind == PAPER_SIMULATED ? value_of(r, i, k) : NULL,
                  c->rows[k].unit, "+-");
        int n_id = (int)strlen(c->id), n_part = (int)strlen(c->rows[k].label),
            n_paper = (int)strlen(c->rows[k].paper_text), n_val = (int)strlen(val);
        w_id = n_id > w_id ? n_id : w_id;
        w_part = n_part > w_part ? n_part : w_part;
        w_paper = n_paper > w_paper ? n_paper : w_paper;
        w_val = n_val > w_val ? n_val : w_val;
    }
    fprintf(fp, "%-*s  %-*s  %-*s  %-*s  %7s  %s\n", w_id, "ID", w_part, "part", w_paper,
            "paper", w_val, "slsim (95% CI)", "diff", "verdict");
    for (struct row_at a = {0}; next_row(r, &a);) {
        const struct paper_claim *c = a.c;
        size_t i = a.i, k = a.k;
        const struct paper_value *v = value_of(r, i, k);
        char val[160], diff[32];
        fmt_value(val, sizeof val, c->rows[k].kind == PAPER_SIMULATED ? v : NULL,
                  c->rows[k].unit, "+-");
        fmt_diff(diff, sizeof diff, &c->rows[k], v);
        fprintf(fp, "%-*s  %-*s  %-*s  %-*s  %7s  %s\n", w_id, k ? "" : c->id, w_part,
                c->rows[k].label, w_paper, c->rows[k].paper_text, w_val, val, diff,
                paper_verdict(&c->rows[k], v));
    }
    struct totals t;
    count(r, &t);
    fprintf(fp, "\nreproduced %zu, differs %zu, input %zu, not a simulation output %zu, "
                "not reproducible %zu\n",
            t.reproduced, t.differs, t.input, t.not_output, t.not_reproducible);
    fputs("\nnotes\n", fp);
    for (size_t i = 0; i < p->n_claims; i++) {
        const struct paper_claim *c = &p->claims[i];
        if (!r->values[i])
            continue;
        fprintf(fp, "%s (%s): %s.", c->id, c->where, c->claim);
        if (c->scenario)
            fprintf(fp, " Scenario %s/%s.", p->name, c->scenario);
        fputs("\n", fp);
        if (c->reading)
            fprintf(fp, "  reading: %s\n", c->reading);
        for (size_t k = 0; k < c->n_rows; k++) {
            const struct paper_value *v = value_of(r, i, k);
            const char *note = row_note(&c->rows[k], v);
            if (note && (k == 0 || c->rows[k].kind == PAPER_SIMULATED ||
                         (c->rows[k].why && c->rows[k].why != c->rows[0].why &&
                          strcmp(c->rows[k].why, c->rows[0].why ? c->rows[0].why : "") != 0)))
                fprintf(fp, "  %s%s%s\n", c->rows[k].label, c->rows[k].label[0] ? ": " : "",
                        note);
            if (v && v->across) {
                fprintf(fp, "  %s%sacross %s:", c->rows[k].label,
                        c->rows[k].label[0] ? " " : "", c->across.key);
                for (size_t a = 0; a < c->across.n_values; a++) {
                    char num[160] = "-";
                    struct paper_value w = {.has = !isnan(v->across[a]), .mean = v->across[a],
                                            .ci95 = v->across_ci95[a], .n = v->n};
                    fmt_value(num, sizeof num, &w, c->rows[k].unit, "+-");
                    fprintf(fp, "%s %s -> %s", a ? "," : "", c->across.values[a], num);
                }
                fputs("\n", fp);
            }
        }
    }
    return ferror(fp) ? -1 : 0;
}

/* ---- Markdown ---- */

static void md_cell(FILE *fp, const char *t)
{
    for (; t && *t; t++) {
        if (*t == '|')
            fputs("\\|", fp);
        else if (*t == '\n')
            fputc(' ', fp);
        else
            fputc(*t, fp);
    }
}

static int write_md(FILE *fp, const struct paper_result *r)
{
    fputs("| ID | claim | part | paper | slsim (95% CI) | difference | verdict | note |\n"
          "|---|---|---|---|---|---|---|---|\n",
          fp);
    for (struct row_at a = {0}; next_row(r, &a);) {
        const struct paper_claim *c = a.c;
        size_t i = a.i, k = a.k;
        const struct paper_value *v = value_of(r, i, k);
        char val[160], diff[32];
        fmt_value(val, sizeof val, c->rows[k].kind == PAPER_SIMULATED ? v : NULL, c->rows[k].unit,
                  "±");
        fmt_diff(diff, sizeof diff, &c->rows[k], v);
        fputs("| ", fp);
        md_cell(fp, k ? "" : c->id);
        fputs(" | ", fp);
        md_cell(fp, k ? "" : c->claim);
        fputs(" | ", fp);
        md_cell(fp, c->rows[k].label);
        fputs(" | ", fp);
        md_cell(fp, c->rows[k].paper_text);
        fprintf(fp, " | %s | %s | %s | ", val, diff, paper_verdict(&c->rows[k], v));
        md_cell(fp, row_note(&c->rows[k], v));
        fputs(" |\n", fp);
    }
    struct totals t;
    count(r, &t);
    fprintf(fp, "\nReproduced %zu, differs %zu, input %zu, not a simulation output %zu, "
                "not reproducible %zu (%u replications of every run).\n",
            t.reproduced, t.differs, t.input, t.not_output, t.not_reproducible,
            r->replications);
    return ferror(fp) ? -1 : 0;
}

/* ---- JSON ---- */

static void add_number_or_null(cJSON *o, const char *name, int has, double v)
{
    if (has && isfinite(v))
        cJSON_AddNumberToObject(o, name, v);
    else
        cJSON_AddNullToObject(o, name);
}

static void add_text_or_null(cJSON *o, const char *name, const char *t)
{
    if (t)
        cJSON_AddStringToObject(o, name, t);
    else
        cJSON_AddNullToObject(o, name);
}

static const char *kind_name(enum paper_kind k)
{
    return k == PAPER_SIMULATED ? "simulated" : k == PAPER_INPUT ? "input"
                                            : k == PAPER_NOT_OUTPUT ? "not a simulation output"
                                                                    : "not reproducible";
}

static cJSON *row_json(const struct paper_claim *c, size_t k, const struct paper_value *v)
{
    const struct paper_row *row = &c->rows[k];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "part", row->label);
    cJSON_AddStringToObject(o, "paper_text", row->paper_text);
    add_number_or_null(o, "paper", !isnan(row->paper_lo) && row->paper_lo == row->paper_hi,
                       row->paper_lo);
    if (!isnan(row->paper_lo) && row->paper_lo < row->paper_hi) {
        cJSON *range = cJSON_AddArrayToObject(o, "paper_range");
        cJSON_AddItemToArray(range, cJSON_CreateNumber(row->paper_lo));
        cJSON_AddItemToArray(range, cJSON_CreateNumber(row->paper_hi));
    }
    cJSON_AddStringToObject(o, "unit", row->unit);
    int sim = row->kind == PAPER_SIMULATED && v && v->has;
    cJSON_AddStringToObject(o, "kind", kind_name(row->kind));
    add_number_or_null(o, "slsim", sim, sim ? v->mean : 0);
    add_number_or_null(o, "ci95", sim, sim ? v->ci95 : 0);
    add_number_or_null(o, "relative_difference", sim, sim ? v->diff : 0);
    cJSON_AddStringToObject(o, "verdict", paper_verdict(&c->rows[k], v));
    add_text_or_null(o, "explanation", row_note(row, v));
    if (v && v->across) {
        cJSON *a = cJSON_AddArrayToObject(o, "across");
        for (size_t i = 0; i < c->across.n_values; i++) {
            cJSON *e = cJSON_CreateObject();
            cJSON_AddStringToObject(e, c->across.key, c->across.values[i]);
            add_number_or_null(e, "slsim", 1, v->across[i]);
            add_number_or_null(e, "ci95", 1, v->across_ci95[i]);
            cJSON_AddItemToArray(a, e);
        }
    }
    return o;
}

static int write_json(FILE *fp, const struct paper_result *r)
{
    const struct paper *p = r->paper;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return -1;
    cJSON_AddStringToObject(root, "slsim_version", SLSIM_VERSION);
    cJSON_AddStringToObject(root, "paper", p->name);
    cJSON_AddStringToObject(root, "title", p->title);
    cJSON_AddStringToObject(root, "cite", p->cite);
    cJSON_AddNumberToObject(root, "replications", r->replications);
    cJSON_AddNumberToObject(root, "relative_tolerance", 0.15);
    cJSON *claims = cJSON_AddArrayToObject(root, "claims");
    for (size_t i = 0; i < p->n_claims; i++) {
        const struct paper_claim *c = &p->claims[i];
        if (!r->values[i])
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "id", c->id);
        cJSON_AddStringToObject(o, "where", c->where);
        cJSON_AddStringToObject(o, "claim", c->claim);
        cJSON_AddStringToObject(o, "kind", kind_name(c->kind));
        cJSON_AddStringToObject(o, "tolerance",
                                c->tolerance == PAPER_PREDICTION ? "prediction" : "relative");
        add_text_or_null(o, "scenario", c->scenario);
        add_text_or_null(o, "reading", c->reading);
        add_text_or_null(o, "why", c->why);
        if (c->across.n_values)
            cJSON_AddStringToObject(o, "across", c->across.key);
        cJSON *rows = cJSON_AddArrayToObject(o, "rows");
        for (size_t k = 0; k < c->n_rows; k++)
            cJSON_AddItemToArray(rows, row_json(c, k, value_of(r, i, k)));
        cJSON_AddItemToArray(claims, o);
    }
    struct totals t;
    count(r, &t);
    cJSON *tot = cJSON_AddObjectToObject(root, "totals");
    cJSON_AddNumberToObject(tot, "reproduced", (double)t.reproduced);
    cJSON_AddNumberToObject(tot, "differs", (double)t.differs);
    cJSON_AddNumberToObject(tot, "input", (double)t.input);
    cJSON_AddNumberToObject(tot, "not a simulation output", (double)t.not_output);
    cJSON_AddNumberToObject(tot, "not reproducible", (double)t.not_reproducible);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return -1;
    fputs(text, fp);
    fputs("\n", fp);
    free(text);
    return ferror(fp) ? -1 : 0;
}

/* ---- CSV ---- */

static void csv_number(FILE *fp, int has, double v)
{
    if (has && isfinite(v))
        fprintf(fp, "%.10g", v);
}

static int write_csv(FILE *fp, const struct paper_result *r)
{
    fputs("id,part,where,paper_text,paper_low,paper_high,unit,slsim,ci95,relative_difference,"
          "verdict,scenario,note\n",
          fp);
    for (struct row_at a = {0}; next_row(r, &a);) {
        const struct paper_claim *c = a.c;
        size_t i = a.i, k = a.k;
        const struct paper_row *row = &c->rows[k];
        const struct paper_value *v = value_of(r, i, k);
        int sim = row->kind == PAPER_SIMULATED && v && v->has;
        report_csv_text(fp, c->id);
        fputc(',', fp);
        report_csv_text(fp, row->label);
        fputc(',', fp);
        report_csv_text(fp, c->where);
        fputc(',', fp);
        report_csv_text(fp, row->paper_text);
        fputc(',', fp);
        csv_number(fp, !isnan(row->paper_lo), row->paper_lo);
        fputc(',', fp);
        csv_number(fp, !isnan(row->paper_hi), row->paper_hi);
        fputc(',', fp);
        report_csv_text(fp, row->unit);
        fputc(',', fp);
        csv_number(fp, sim, sim ? v->mean : 0);
        fputc(',', fp);
        csv_number(fp, sim, sim ? v->ci95 : 0);
        fputc(',', fp);
        csv_number(fp, sim, sim ? v->diff : 0);
        fputc(',', fp);
        report_csv_text(fp, paper_verdict(&c->rows[k], v));
        fputc(',', fp);
        report_csv_text(fp, c->scenario ? c->scenario : "");
        fputc(',', fp);
        const char *note = row_note(row, v);
        report_csv_text(fp, note ? note : "");
        fputc('\n', fp);
    }
    return ferror(fp) ? -1 : 0;
}

int report_write_paper(FILE *fp, enum report_format fmt, const struct paper_result *r)
{
    switch (fmt) {
    case REPORT_TEXT:
        return write_text(fp, r);
    case REPORT_MD:
        return write_md(fp, r);
    case REPORT_JSON:
        return write_json(fp, r);
    case REPORT_CSV:
        return write_csv(fp, r);
    case REPORT_TIMELINE:
    case REPORT_JSONL:
        break;
    }
    return -1;
}
