/* plot_sweep.c - plots of a sweep's rows and of a plan's evaluated configurations, built
 * from the text those commands wrote, so `slsim plot` draws a saved sweep or plan and
 * `sweep --plot` / `plan --plot` draw the same picture from the same bytes. A sweep's
 * three formats (docs/REPORT.md, "slsim sweep") are read into one small table: per row
 * the point's values, deployment, tier, whether it failed, the metric and its `_ci95`.
 * Every number is taken to the CSV's precision (%.10g) before a band is computed from
 * it, so the three formats give the same data file byte for byte. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/plot.h"
#include "slsim/text.h"
#include "slsim/units.h"

struct srow {
    char **vals;   /* one per varied key; owned */
    char *dep;     /* deployment; "" on a failed point */
    char *tier;    /* "" on a deployment's own row */
    int failed;    /* the row carries an error */
    int has_y, has_ci;
    double y, ci;  /* the metric and its 95% half-width, at 10 significant digits */
};

struct stable {
    char scenario[128];
    char **keys;   /* the varied keys, in --vary order; owned */
    struct srow *rows;
    size_t nk, n;  /* keys, rows */
};

static void table_free(struct stable *t)
{
    for (size_t i = 0; i < t->n; i++) {
        for (size_t k = 0; t->rows[i].vals && k < t->nk; k++)
            free(t->rows[i].vals[k]);
        free(t->rows[i].vals);
        free(t->rows[i].dep);
        free(t->rows[i].tier);
    }
    for (size_t k = 0; k < t->nk; k++)
        free(t->keys[k]);
    free(t->keys);
    free(t->rows);
}

/* v at the precision of the sweep's CSV, which prints numbers with %.10g. */
static double r10(double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.10g", v);
    return strtod(buf, NULL);
}

/* A new row at the end of t with copies of the keys' values, dep and tier. NULL when
 * out of memory. */
static struct srow *new_row(struct stable *t, const char *const *vals, const char *dep,
                            const char *tier)
{
    struct srow *grown = realloc(t->rows, (t->n + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    t->rows = grown;
    struct srow *r = &t->rows[t->n++];
    *r = (struct srow){.vals = calloc(t->nk ? t->nk : 1, sizeof *r->vals),
                       .dep = strdup(dep), .tier = strdup(tier)};
    int ok = r->vals && r->dep && r->tier;
    for (size_t k = 0; ok && k < t->nk; k++)
        ok = (r->vals[k] = strdup(vals[k])) != NULL;
    return ok ? r : NULL;
}

/* The line of text[0..len) that starts at *at: its length; *at moves past it. */
static size_t next_line(const char *text, size_t len, size_t *at)
{
    size_t ll = 0;
    while (*at + ll < len && text[*at + ll] != '\n')
        ll++;
    *at += ll + 1;
    return ll;
}

/* ---- CSV ---- */

/* Split line[0..len) (RFC 4180: a cell in double quotes may hold commas and doubled
 * quotes) into at most max cells, NUL-terminated in buf. The number of cells. */
static size_t csv_split(const char *line, size_t len, char *buf, char **cells, size_t max)
{
    size_t n = 0, o = 0, i = 0;
    while (n < max) {
        cells[n++] = buf + o;
        int quoted = i < len && line[i] == '"';
        for (i += (size_t)quoted; i < len && (quoted || line[i] != ','); i++) {
            if (quoted && line[i] == '"' && !(i + 1 < len && line[i + 1] == '"')) {
                quoted = 0; /* the closing quote */
                continue;
            }
            i += quoted && line[i] == '"'; /* "" in quotes is one " */
            buf[o++] = line[i];
        }
        buf[o++] = '\0';
        if (i >= len)
            break;
        i++; /* the comma */
    }
    return n;
}

static int column(char **cells, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(cells[i], name) == 0)
            return (int)i;
    return -1;
}

/* Cell col (-1: no such column) as a number at the CSV's precision. 1 when it is one. */
static int cell_number(char **cells, int col, double *out)
{
    char *end;
    if (col < 0 || !cells[col][0])
        return 0;
    *out = r10(strtod(cells[col], &end));
    return *end == '\0';
}

static int read_csv(const char *text, size_t len, const char *file, const char *metric,
                    struct stable *t, struct slsim_error *err)
{
    char *buf = malloc(len + 1);
    size_t max = len / 2 + 2;
    char **cells = malloc(max * sizeof *cells);
    char ci_name[176];
    snprintf(ci_name, sizeof ci_name, "%s_ci95", metric);
    int rc = 0, line_no = 0, col_dep = -1, col_tier = -1, col_err = -1, col_y = -1, col_ci = -1;
    if (!buf || !cells)
        rc = slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    for (size_t at = 0; rc == 0 && at < len;) {
        const char *line = text + at;
        size_t ll = next_line(text, len, &at);
        line_no++;
        if (ll && line[ll - 1] == '\r')
            ll--;
        if (ll == 0)
            continue;
        if (line[0] == '#') {
            if (ll > 11 && strncmp(line, "# scenario ", 11) == 0)
                snprintf(t->scenario, sizeof t->scenario, "%.*s",
                         (int)strcspn(line + 11, ",\n"), line + 11);
            continue;
        }
        size_t nc = csv_split(line, ll, buf, cells, max);
        if (!t->keys) { /* the header */
            col_dep = column(cells, nc, "deployment");
            col_tier = column(cells, nc, "tier");
            col_err = column(cells, nc, "error");
            col_y = column(cells, nc, metric);
            col_ci = column(cells, nc, ci_name);
            if (column(cells, nc, "point") != 0 || col_dep < 1 || col_tier < 0 || col_err < 0) {
                rc = slsim_error_set(err, file, line_no, 0, NULL,
                                     "not a sweep's CSV: its header has no point, "
                                     "deployment, tier and error columns");
                break;
            }
            t->nk = (size_t)col_dep - 1;
            if (!(t->keys = calloc(t->nk ? t->nk : 1, sizeof *t->keys))) {
                rc = slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
                break;
            }
            for (size_t k = 0; k < t->nk; k++)
                if (!(t->keys[k] = strdup(cells[k + 1])))
                    rc = slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
            continue;
        }
        for (size_t c = nc; c < max && c <= (size_t)col_err; c++)
            cells[c] = ""; /* a row cut short: its missing cells empty ("error" is last) */
        const char *const *vals = (const char *const *)cells + 1;
        struct srow *r = new_row(t, vals, cells[col_dep], cells[col_tier]);
        if (!r) {
            rc = slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
            break;
        }
        r->failed = cells[col_err][0] != '\0';
        r->has_y = cell_number(cells, col_y, &r->y);
        r->has_ci = cell_number(cells, col_ci, &r->ci);
    }
    if (rc == 0 && !t->keys)
        rc = slsim_error_set(err, file, 0, 0, NULL, "a sweep's CSV without its header line");
    free(buf);
    free(cells);
    return rc;
}

/* ---- JSON and JSON Lines ---- */

/* The number at flat name want (a CSV column's name: members joined with '_') under o,
 * whose own name is prefix. 1 when found. */
static int find_flat(const cJSON *o, const char *prefix, const char *want, double *out)
{
    const cJSON *m;
    cJSON_ArrayForEach(m, o)
    {
        char name[256];
        snprintf(name, sizeof name, "%s%s%s", prefix, *prefix ? "_" : "", m->string);
        size_t nl = strlen(name);
        if (cJSON_IsNumber(m) && strcmp(name, want) == 0) {
            *out = m->valuedouble;
            return 1;
        }
        if (cJSON_IsObject(m) && strncmp(name, want, nl) == 0 && want[nl] == '_' &&
            find_flat(m, name, want, out))
            return 1;
    }
    return 0;
}

/* Member key of o as a string, "" when it is not one. */
static const char *jstr(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

static int json_row(const cJSON *o, const char *metric, struct stable *t)
{
    const char **vals = calloc(t->nk ? t->nk : 1, sizeof *vals);
    for (size_t k = 0; vals && k < t->nk; k++)
        vals[k] = jstr(cJSON_GetObjectItemCaseSensitive(o, "vary"), t->keys[k]);
    struct srow *r = vals ? new_row(t, vals, jstr(o, "deployment"), jstr(o, "tier")) : NULL;
    free(vals);
    if (!r)
        return -1;
    r->failed = cJSON_GetObjectItemCaseSensitive(o, "error") != NULL;
    char ci_name[176];
    snprintf(ci_name, sizeof ci_name, "%s_ci95", metric);
    if ((r->has_y = find_flat(o, "", metric, &r->y)))
        r->y = r10(r->y);
    if ((r->has_ci = find_flat(o, "", ci_name, &r->ci)))
        r->ci = r10(r->ci);
    return 0;
}

static int json_head(const cJSON *head, struct stable *t, struct slsim_error *err)
{
    snprintf(t->scenario, sizeof t->scenario, "%s", jstr(head, "scenario"));
    const cJSON *vary = cJSON_GetObjectItemCaseSensitive(head, "vary");
    t->nk = (size_t)cJSON_GetArraySize(vary);
    if (!(t->keys = calloc(t->nk ? t->nk : 1, sizeof *t->keys)))
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    for (size_t k = 0; k < t->nk; k++)
        if (!(t->keys[k] = strdup(jstr(cJSON_GetArrayItem(vary, (int)k), "key"))))
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    return 0;
}

static int read_json(const char *text, size_t len, const char *file, const char *metric,
                     struct stable *t, struct slsim_error *err)
{
    size_t at = 0, l1 = next_line(text, len, &at);
    cJSON *first = cJSON_ParseWithLength(text, l1);
    int lines = first && !cJSON_GetObjectItemCaseSensitive(first, "rows"), line_no = 1;
    if (!lines) {
        cJSON_Delete(first);
        first = cJSON_ParseWithLength(text, len);
    }
    int rc = !cJSON_IsObject(first) || !cJSON_GetObjectItemCaseSensitive(first, "slsim_sweep")
                 ? slsim_error_set(err, file, 1, 0, NULL,
                                   "not a sweep's output: expected its CSV (\"# slsim sweep\"), "
                                   "JSON Lines or JSON (a head with \"slsim_sweep\")")
                 : json_head(first, t, err);
    if (rc == 0 && !lines) {
        const cJSON *row;
        cJSON_ArrayForEach(row, cJSON_GetObjectItemCaseSensitive(first, "rows"))
            if (rc == 0 && json_row(row, metric, t) != 0)
                rc = slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    while (rc == 0 && lines && at < len) {
        const char *line = text + at;
        size_t ll = next_line(text, len, &at);
        line_no++;
        cJSON *row = ll ? cJSON_ParseWithLength(line, ll) : NULL;
        if (ll && !cJSON_IsObject(row))
            rc = slsim_error_set(err, file, line_no, 0, NULL,
                                 "not a JSON record (a sweep cut short? its .partial file "
                                 "ends in a row being written)");
        else if (ll && json_row(row, metric, t) != 0)
            rc = slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        cJSON_Delete(row);
    }
    cJSON_Delete(first);
    return rc;
}

/* ---- the sweep's plot ---- */

enum xkind { X_NUMBER, X_SIZE, X_DURATION, X_RATE, X_KINDS };

/* value as a number of kind k (MiB, seconds, per second, itself). 0, or -1. */
static int x_value(const char *value, enum xkind k, double *out)
{
    char why[160];
    int64_t bytes = 0;
    sim_time ns = 0;
    if (k == X_NUMBER || k == X_RATE)
        return (k == X_NUMBER ? units_parse_number : units_parse_rate)(value, out, why,
                                                                       sizeof why);
    int rc = k == X_SIZE ? units_parse_size(value, &bytes, why, sizeof why)
                         : units_parse_duration(value, &ns, why, sizeof why);
    *out = k == X_SIZE ? (double)bytes / (1024.0 * 1024.0) : (double)ns / SIM_NS_PER_S;
    return rc == 0 && ns != SIM_TIME_FOREVER ? 0 : -1; /* `forever` has no place on an axis */
}

/* Whether every value of key xk on a row that ran is a number of kind k. */
static int all_are(const struct stable *t, size_t xk, enum xkind k)
{
    double v;
    for (size_t i = 0; i < t->n; i++)
        if (!t->rows[i].failed && x_value(t->rows[i].vals[xk], k, &v) != 0)
            return 0;
    return 1;
}

/* The unit a y axis of a report field (its path or CSV name) is in, from its name. */
static const char *metric_unit(const char *path)
{
    char m[160];
    text_csv_name(path, m, sizeof m);
    size_t n = strlen(m);
    if (strncmp(m, "cost_usd", 8) == 0)
        return " (USD)";
    if (strstr(m, "_ms_") || (n > 3 && strcmp(m + n - 3, "_ms") == 0))
        return " (ms)";
    if (n > 6 && strcmp(m + n - 6, "_per_s") == 0)
        return " (per s)";
    if (n > 2 && strcmp(m + n - 2, "_s") == 0)
        return " (s)";
    return "";
}

/* Whether key k changes the metric of the rows of family f (a deployment, or a tier,
 * whose first row is f): two of them equal in every other key, different in k, with
 * different numbers. A key of another deployment (`deployments.other.reserved` on
 * lambda's rows) does not, and its values would only draw the same line again. */
static int key_matters(const struct stable *t, const size_t *family, size_t f, size_t k)
{
    for (size_t i = f; i < t->n; i++)
        for (size_t j = i + 1; family[i] == f && t->rows[i].has_y && j < t->n; j++) {
            const struct srow *a = &t->rows[i], *b = &t->rows[j];
            size_t o = 0;
            while (o < t->nk && (o == k || strcmp(a->vals[o], b->vals[o]) == 0))
                o++;
            if (family[j] == f && b->has_y && o == t->nk && strcmp(a->vals[k], b->vals[k]) &&
                (a->y != b->y || a->has_ci != b->has_ci || a->ci != b->ci))
                return 1;
        }
    return 0;
}

/* How a key reads in a series' title: without `deployments.DEP.` on DEP's own line. */
static const char *short_key(const char *key, const char *dep)
{
    size_t dl = strlen(dep);
    if (strncmp(key, "deployments.", 12) == 0 && strncmp(key + 12, dep, dl) == 0 &&
        key[12 + dl] == '.')
        return key + 13 + dl;
    return strncmp(key, "deployments.", 12) == 0 ? key + 12 : key;
}

/* Put (x, y) among s's first n points, in order of x (after equal ones). Where once, a
 * second point at an x already there is dropped: SIZE_MAX. Else its index. */
static size_t put(struct plot_series *s, size_t n, double x, double y, int once)
{
    size_t at = n;
    while (at > 0 && s->x[at - 1] > x)
        at--;
    if (once && at > 0 && s->x[at - 1] == x)
        return SIZE_MAX;
    size_t tail = n - at;
    memmove(s->x + at + 1, s->x + at, tail * sizeof *s->x);
    memmove(s->y + at + 1, s->y + at, tail * sizeof *s->y);
    if (s->lo) {
        memmove(s->lo + at + 1, s->lo + at, tail * sizeof *s->lo);
        memmove(s->hi + at + 1, s->hi + at, tail * sizeof *s->hi);
    }
    if (s->hollow)
        memmove(s->hollow + at + 1, s->hollow + at, tail);
    s->x[at] = x;
    s->y[at] = y;
    return at;
}

/* The lines of t's rows: one per deployment and tier, and per value of the other keys
 * that matter to it (key_matters), a deployment's lines together in the order of the
 * rows. A row's line in gid (SIZE_MAX: not drawn), each line's first row in first, a
 * row's deployment's first row in family. The number of lines. */
static size_t lines_of(const struct stable *t, size_t xk, unsigned char *matters,
                       size_t *family, size_t *gid, size_t *first)
{
    size_t ng = 0;
    for (size_t i = 0; i < t->n; i++) {
        const struct srow *r = &t->rows[i];
        family[i] = 0;
        while (family[i] < i && (strcmp(t->rows[family[i]].dep, r->dep) ||
                                 strcmp(t->rows[family[i]].tier, r->tier)))
            family[i]++;
        gid[i] = SIZE_MAX;
    }
    for (size_t f = 0; f < t->n; f++) {
        for (size_t k = 0; family[f] == f && k < t->nk; k++)
            matters[f * t->nk + k] = k != xk && key_matters(t, family, f, k);
        for (size_t i = f, g; family[f] == f && i < t->n; i++) {
            const struct srow *r = &t->rows[i];
            if (family[i] != f || !r->has_y) /* a failed point, or a field it has not */
                continue;
            for (g = 0; g < ng; g++) {
                int same = family[first[g]] == f;
                for (size_t k = 0; same && k < t->nk; k++)
                    same = !matters[f * t->nk + k] || !strcmp(t->rows[first[g]].vals[k],
                                                              r->vals[k]);
                if (same)
                    break;
            }
            if (g == ng)
                first[ng++] = i;
            gid[i] = g;
        }
    }
    return ng;
}

static int sweep_build(const struct stable *t, const char *metric_given, size_t xk,
                       enum xkind kind, struct plot *p)
{
    double xmax = 0, scale = 1, v;
    int any_ci = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (!t->rows[i].failed && x_value(t->rows[i].vals[xk], kind, &v) == 0 && v > xmax)
            xmax = v;
        any_ci |= t->rows[i].has_ci;
    }
    const char *unit = kind == X_SIZE ? " (MiB)" : kind == X_RATE ? " (per s)" : "";
    if (kind == X_DURATION) {
        /* minutes once the longest is two: keep-alives of 1m..1h read as 1..60 */
        scale = xmax >= 120 ? 60 : 1;
        unit = xmax >= 120 ? " (min)" : " (s)";
    }
    snprintf(p->panel[0].xlabel, sizeof p->panel[0].xlabel, "%s%s", t->keys[xk], unit);
    snprintf(p->panel[0].ylabel, sizeof p->panel[0].ylabel, "%s%s", metric_given,
             metric_unit(metric_given));
    snprintf(p->title, sizeof p->title, "%s: %s by %s%s", t->scenario, metric_given,
             t->keys[xk], any_ci ? " (bands: 95% intervals)" : "");
    /* a cost from 0, so a difference shows at its size; a log x where the values span
     * more than a decade (a log range's) */
    p->panel[0].y_from_zero = strncmp(metric_given, "cost_usd", 8) == 0;
    double xmin = HUGE_VAL;
    for (size_t i = 0; i < t->n; i++)
        if (!t->rows[i].failed && x_value(t->rows[i].vals[xk], kind, &v) == 0 && v < xmin)
            xmin = v;
    p->panel[0].logx = xmin > 0 && xmax / xmin > 10;

    size_t rows = t->n ? t->n : 1;
    unsigned char *matters = calloc(rows * (t->nk ? t->nk : 1), 1);
    size_t *family = calloc(rows, sizeof *family), *gid = calloc(rows, sizeof *gid);
    size_t *first = calloc(rows, sizeof *first);
    int rc = matters && family && gid && first ? 0 : -1;
    size_t ng = rc == 0 ? lines_of(t, xk, matters, family, gid, first) : 0;
    for (size_t g = 0; rc == 0 && g < ng; g++) {
        const struct srow *f = &t->rows[first[g]];
        size_t n = 0;
        int band = 0;
        for (size_t i = 0; i < t->n; i++)
            if (gid[i] == g)
                n++, band |= t->rows[i].has_ci;
        char title[128];
        int w = snprintf(title, sizeof title, "%s%s%s%s", f->dep, f->tier[0] ? " (" : "", f->tier,
                         f->tier[0] ? ")" : "");
        for (size_t k = 0; k < t->nk; k++)
            if (matters[family[first[g]] * t->nk + k] && w >= 0 && (size_t)w < sizeof title)
                w += snprintf(title + w, sizeof title - (size_t)w, ", %s=%s",
                              short_key(t->keys[k], f->dep), f->vals[k]);
        struct plot_series *s = plot_add_series(p, title, n, 0, PLOT_LINESPOINTS);
        if (!s || (band && (!(s->lo = calloc(n, sizeof *s->lo)) ||
                            !(s->hi = calloc(n, sizeof *s->hi))))) {
            rc = -1;
            break;
        }
        /* each x once: rows equal in the keys that do not matter to this line */
        s->n = 0;
        for (size_t i = 0; i < t->n; i++) {
            const struct srow *r = &t->rows[i];
            if (gid[i] != g || x_value(r->vals[xk], kind, &v) != 0)
                continue;
            size_t at = put(s, s->n, v / scale, r->y, 1);
            if (at == SIZE_MAX)
                continue;
            if (s->lo) {
                s->lo[at] = r->has_ci ? r->y - r->ci : r->y;
                s->hi[at] = r->has_ci ? r->y + r->ci : r->y;
            }
            s->n++;
        }
    }
    free(matters);
    free(family);
    free(gid);
    free(first);
    return rc;
}

int plot_sweep_rows(const char *text, size_t len, const char *file, const char *metric,
                    const char *x, struct plot *p, struct slsim_error *err)
{
    plot_init(p, PLOT_SWEEP);
    /* a CSV column is the field's path with '_' for '.': the flat name serves all three */
    char flat[160];
    text_csv_name(metric, flat, sizeof flat);
    struct stable t = {0};
    int rc = len >= 13 && strncmp(text, "# slsim sweep", 13) == 0
                 ? read_csv(text, len, file, flat, &t, err)
                 : read_json(text, len, file, flat, &t, err);
    size_t xk = 0;
    if (rc == 0 && t.nk == 0)
        rc = slsim_error_set(err, file, 0, 0, NULL, "a sweep without varied keys");
    while (rc == 0 && x && xk < t.nk && strcmp(t.keys[xk], x) != 0)
        xk++;
    if (rc == 0 && x && xk == t.nk) {
        char keys[384] = "";
        for (size_t k = 0; k < t.nk; k++)
            snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s%s", k ? ", " : "",
                     t.keys[k]);
        rc = slsim_error_set(err, file, 0, 0, NULL,
                             "%s is not a varied key of this sweep; its keys: %s", x, keys);
    }
    size_t with_y = 0;
    for (size_t i = 0; rc == 0 && i < t.n; i++)
        with_y += t.rows[i].has_y; /* a failed point's row has no numbers */
    if (rc == 0 && with_y == 0)
        rc = slsim_error_set(err, file, 0, 0, NULL,
                             "no row of this sweep has a number for %s (misspelt, a field of "
                             "no deployment swept, or every point failed); fields are report "
                             "paths such as cost_usd.per_month, cost_usd.total, latency_ms.p99, "
                             "latency_ms.mean, cold_start_ratio, throttled_fraction, "
                             "slo_attainment, instances.mean (docs/REPORT.md)",
                             metric);
    /* the first kind every value of x is (a count before a size: "0" is both) */
    enum xkind kind = X_NUMBER;
    while (rc == 0 && kind < X_KINDS && !all_are(&t, xk, kind))
        kind++;
    if (rc == 0 && kind == X_KINDS)
        rc = slsim_error_set(err, file, 0, 0, NULL,
                             "%s takes names, not numbers: a sweep's plot puts a number on "
                             "its x axis (a size, duration, rate or count); choose another "
                             "key with x",
                             t.keys[xk]);
    if (rc == 0)
        rc = sweep_build(&t, metric, xk, kind, p) == 0
                 ? 0
                 : slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    table_free(&t);
    if (rc != 0)
        plot_free(p);
    return rc;
}

/* ---- the plan's Pareto plot ---- */

static int jtrue(const cJSON *o, const char *key)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static double jnum(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* An evaluated configuration drawn as a point: it loaded and has both numbers. */
static int is_point(const cJSON *e)
{
    return jtrue(e, "loads") && !isnan(jnum(e, "objective")) && !isnan(jnum(e, "latency_ms_p99"));
}

/* Points of evaluated (front: only `pareto: true`) into s, sorted by p99. */
static void fill(struct plot_series *s, const cJSON *evaluated, int front)
{
    const cJSON *e;
    s->n = 0;
    cJSON_ArrayForEach(e, evaluated)
    {
        if (!is_point(e) || (front && !jtrue(e, "pareto")))
            continue;
        size_t at = put(s, s->n++, jnum(e, "latency_ms_p99"), jnum(e, "objective"), 0);
        if (s->hollow)
            s->hollow[at] = !jtrue(e, "feasible");
    }
}

/* "chosen: fn, provisioned=6, memory=2GiB" */
static void config_label(const cJSON *c, const char *what, char *buf, size_t n)
{
    const char *dep = jstr(c, "deployment");
    int w = snprintf(buf, n, "%s: %s", what, dep);
    const cJSON *v;
    cJSON_ArrayForEach(v, cJSON_GetObjectItemCaseSensitive(c, "values"))
    if (cJSON_IsString(v) && w >= 0 && (size_t)w < n)
        w += snprintf(buf + w, n - (size_t)w, ", %s=%s", short_key(v->string, dep), v->valuestring);
}

static int pareto(const cJSON *root, const char *file, struct plot *p, struct slsim_error *err)
{
    const cJSON *evaluated = cJSON_GetObjectItemCaseSensitive(root, "evaluated");
    size_t n = 0, nf = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, evaluated)
    {
        n += is_point(e);
        nf += is_point(e) && jtrue(e, "pareto");
    }
    if (n == 0)
        return slsim_error_set(err, file, 0, 0, NULL,
                               "no configuration of this plan loaded and ran: nothing to draw");
    const char *objective = jstr(root, "minimize");
    snprintf(p->title, sizeof p->title, "%s: %s against p99 latency, Pareto front (hollow: "
             "infeasible)", jstr(root, "scenario"), objective);
    struct plot_panel *pn = &p->panel[0];
    snprintf(pn->xlabel, sizeof pn->xlabel, "p99 latency (ms)");
    snprintf(pn->ylabel, sizeof pn->ylabel, "%s%s", objective, metric_unit(objective));
    /* a scatter: every configuration a point, none joined */
    struct plot_series *all = plot_add_series(p, "configurations", n, 0, PLOT_POINTS);
    if (!all || !(all->hollow = calloc(n, 1)))
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    fill(all, evaluated, 0);
    /* a log axis once the latencies span more than a decade */
    pn->logx = all->x[0] > 0 && all->x[n - 1] / all->x[0] > 10;
    /* a line, no marks: the configurations' own points stay visible under it */
    struct plot_series *front = plot_add_series(p, "Pareto front", nf, 0, PLOT_LINES);
    if (!front)
        return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    fill(front, evaluated, 1);

    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(root, "subject_to"))
    {
        char m[64];
        text_csv_name(jstr(c, "metric"), m, sizeof m);
        if (strcmp(m, "latency_ms_p99") == 0 && !isnan(jnum(c, "limit"))) {
            pn->vline = jnum(c, "limit");
            snprintf(pn->vline_label, sizeof pn->vline_label, "p99 %s %g ms", jstr(c, "op"),
                     pn->vline);
        }
    }
    /* the answer, or where no configuration met the constraints the closest one */
    const cJSON *chosen = cJSON_GetObjectItemCaseSensitive(root, "chosen");
    const char *what = "chosen";
    if (!cJSON_IsObject(chosen)) {
        chosen = cJSON_GetObjectItemCaseSensitive(root, "closest");
        what = "closest (none met the constraints)";
    }
    if (cJSON_IsObject(chosen) && is_point(chosen)) {
        char label[160];
        config_label(chosen, what, label, sizeof label);
        if (plot_add_marker(p, jnum(chosen, "latency_ms_p99"), jnum(chosen, "objective"), label,
                            0) != 0)
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    }
    return 0;
}

int plot_pareto_json(const char *text, size_t len, const char *file, struct plot *p,
                     struct slsim_error *err)
{
    plot_init(p, PLOT_PARETO);
    cJSON *root = cJSON_ParseWithLength(text, len);
    int rc = cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, "evaluated"))
                 ? pareto(root, file, p, err)
                 : slsim_error_set(err, file, 0, 0, NULL,
                                   "not a plan's JSON report (`slsim plan --format json`): "
                                   "it has no evaluated configurations");
    cJSON_Delete(root);
    if (rc != 0)
        plot_free(p);
    return rc;
}
