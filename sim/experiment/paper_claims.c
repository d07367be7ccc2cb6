/* paper_claims.c - a paper's claims.yaml: its runs and its claims, each placed
 * where it was written so a bad one is reported at its file, line, column and key.
 *
 * The grammar is docs/SCENARIO.md's "Claims files". A claim of one number writes
 * paper/unit/value/explain on the claim itself; a claim of several writes them per
 * row under `rows:`. A claim with a `value` is simulated; one without says which
 * other verdict it has (`verdict: input | not a simulation output | not
 * reproducible`) and why. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/yaml_get.h"
#include "../base/yaml_tree.h"
#include "slsim/paper.h"

#define CLAIMS_FILE "claims.yaml"

static const char *const top_keys[] = {"paper", "title", "cite", "replications",
                                       "runs",  "claims", NULL};
static const char *const run_keys[] = {"name", "scenario", "set", NULL};
static const char *const claim_keys[] = {"id",      "where",   "claim",     "reading", "why",
                                         "verdict", "tolerance", "across",  "run",     "scenario",
                                         "rows",    "label",   "paper",     "paper_text",
                                         "unit",    "value",   "explain",   NULL};
static const char *const row_keys[] = {"label", "paper", "paper_text", "unit", "value",
                                       "explain", "verdict", "why", NULL};
static const char *const field_keys[] = {"run", "deployment", "field", "scale", NULL};
static const char *const op_names[] = {"ratio", "change", "reduction", "sum",
                                       "diff",  "product", NULL};
static const enum paper_op op_values[] = {PAPER_RATIO, PAPER_CHANGE, PAPER_REDUCTION,
                                          PAPER_SUM,   PAPER_DIFF,   PAPER_PRODUCT};
static const char *const verdict_names[] = {"simulated", "input", "not a simulation output",
                                            "not reproducible", NULL};

struct loader {
    struct paper *p;
    const char *file;
    struct slsim_error *err;
};

static char *dup_text(struct loader *l, const struct ynode *n, const char *key)
{
    const char *t = cfg_want_scalar(l->err, n, key, "text");
    if (!t)
        return NULL;
    char *d = strdup(t);
    if (!d)
        cfg_fail(l->err, n, key, "out of memory");
    return d;
}

/* The text at map.key into *out (NULL when absent and optional). */
static int get_text(struct loader *l, const struct ynode *map, const char *path, const char *key,
                    int required, char **out)
{
    char kp[KEY_MAX];
    cfg_path_join(kp, path, key);
    const struct ynode *v = ytree_get(map, key);
    *out = NULL;
    if (!v)
        return required ? cfg_missing(l->err, map, path, key) : 0;
    *out = dup_text(l, v, kp);
    return *out ? 0 : -1;
}

static void expr_free(struct paper_expr *e)
{
    if (!e)
        return;
    expr_free(e->a);
    expr_free(e->b);
    free(e->deployment);
    free(e->field);
    free(e->key);
    free(e);
}

static long find_run(const struct paper *p, const char *name)
{
    for (size_t i = 0; i < p->n_runs; i++)
        if (strcmp(p->runs[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* A value: {run, deployment, field, scale} or {OP: [VALUE, VALUE]}. default_run is
 * the claim's `run` (NULL if none). */
static struct paper_expr *parse_expr(struct loader *l, const struct ynode *n, const char *kp,
                                     const char *default_run)
{
    if (n->kind != YNODE_MAPPING) {
        cfg_fail(l->err, n, kp, "expected a value: {run: R, deployment: D, field: F} or "
                                "{ratio|change|reduction|sum|diff|product: [VALUE, VALUE]} or {constant: X}");
        return NULL;
    }
    struct paper_expr *e = calloc(1, sizeof *e);
    if (!e) {
        cfg_fail(l->err, n, kp, "out of memory");
        return NULL;
    }
    e->line = n->line;
    e->column = n->column;
    if (!(e->key = strdup(kp))) {
        cfg_fail(l->err, n, kp, "out of memory");
        free(e);
        return NULL;
    }
    if (n->n_pairs == 1 && strcmp(n->pairs[0].key->text, "constant") == 0) {
        char ckp[KEY_MAX];
        cfg_path_join(ckp, kp, "constant");
        e->op = PAPER_CONSTANT;
        if (cfg_get_number(l->err, n->pairs[0].value, ckp, &e->scale) != 0) {
            expr_free(e);
            return NULL;
        }
        return e;
    }
    if (n->n_pairs == 1 && cfg_in_list(n->pairs[0].key->text, op_names)) {
        const char *op = n->pairs[0].key->text;
        const struct ynode *args = n->pairs[0].value;
        char akp[KEY_MAX];
        cfg_path_join(akp, kp, op);
        for (size_t i = 0; op_names[i]; i++)
            if (strcmp(op_names[i], op) == 0)
                e->op = op_values[i];
        if (args->kind != YNODE_SEQUENCE || args->n_items != 2) {
            cfg_fail(l->err, args, akp, "expected a list of two values");
            expr_free(e);
            return NULL;
        }
        char ikp[KEY_MAX];
        cfg_path_index(ikp, akp, 1);
        e->a = parse_expr(l, args->items[0], ikp, default_run);
        cfg_path_index(ikp, akp, 2);
        e->b = e->a ? parse_expr(l, args->items[1], ikp, default_run) : NULL;
        if (!e->b) {
            expr_free(e);
            return NULL;
        }
        return e;
    }
    e->op = PAPER_FIELD;
    e->scale = 1;
    char *run = NULL;
    if (n->n_pairs == 1 && !cfg_in_list(n->pairs[0].key->text, field_keys)) {
        /* one key, not a field's: an operation misspelt */
        static const char *const ops[] = {"ratio", "change", "reduction", "sum",
                                          "diff",  "product", "constant", NULL};
        const char *near = cfg_suggest(n->pairs[0].key->text, ops);
        char okp[KEY_MAX];
        cfg_path_join(okp, kp, n->pairs[0].key->text);
        cfg_fail(l->err, n->pairs[0].key, okp,
                 "unknown operation \"%s\"%s%s%s: a value is {run, deployment, field, scale}, "
                 "{constant: X} or {ratio|change|reduction|sum|diff|product: [A, B]}",
                 n->pairs[0].key->text, near ? "; did you mean \"" : "", near ? near : "",
                 near ? "\"?" : "");
        goto fail;
    }
    if (cfg_check_keys(l->err, n, kp, field_keys) != 0 ||
        get_text(l, n, kp, "run", default_run == NULL, &run) != 0 ||
        get_text(l, n, kp, "deployment", 1, &e->deployment) != 0 ||
        get_text(l, n, kp, "field", 1, &e->field) != 0)
        goto fail;
    const char *rname = run ? run : default_run;
    long r = find_run(l->p, rname);
    if (r < 0) {
        const struct ynode *at = ytree_get(n, "run") ? ytree_get(n, "run") : n;
        char rkp[KEY_MAX];
        cfg_path_join(rkp, kp, "run");
        cfg_fail(l->err, at, rkp, "no run named \"%s\" in runs:", rname);
        goto fail;
    }
    e->run = (size_t)r;
    const struct ynode *sc = ytree_get(n, "scale");
    if (sc) {
        char skp[KEY_MAX];
        cfg_path_join(skp, kp, "scale");
        if (cfg_get_number(l->err, sc, skp, &e->scale) != 0)
            goto fail;
    }
    free(run);
    return e;
fail:
    free(run);
    expr_free(e);
    return NULL;
}

/* `paper: 278` or `paper: [2.3, 3.1]` (a range). */
static int parse_paper_value(struct loader *l, const struct ynode *v, const char *kp,
                             struct paper_row *row)
{
    if (v->kind == YNODE_SEQUENCE) {
        char ikp[KEY_MAX];
        if (v->n_items != 2)
            return cfg_fail(l->err, v, kp, "expected a number or a range [LOW, HIGH]");
        cfg_path_index(ikp, kp, 1);
        if (cfg_get_number(l->err, v->items[0], ikp, &row->paper_lo) != 0)
            return -1;
        cfg_path_index(ikp, kp, 2);
        if (cfg_get_number(l->err, v->items[1], ikp, &row->paper_hi) != 0)
            return -1;
        if (!(row->paper_lo < row->paper_hi))
            return cfg_fail(l->err, v, kp, "a range's LOW must be below its HIGH");
        return 0;
    }
    if (cfg_get_number(l->err, v, kp, &row->paper_lo) != 0)
        return -1;
    row->paper_hi = row->paper_lo;
    return 0;
}

/* The row's keys from map (a row, or a claim of one number). */
static int parse_row(struct loader *l, const struct ynode *map, const char *kp,
                     const char *default_run, const struct paper_claim *c, int own_verdict,
                     struct paper_row *row)
{
    row->paper_lo = row->paper_hi = NAN;
    row->kind = c->kind;
    row->tolerance = c->tolerance;
    row->relative = c->relative;
    if (own_verdict) {
        char vkp0[KEY_MAX];
        cfg_path_join(vkp0, kp, "verdict");
        const struct ynode *vd = ytree_get(map, "verdict");
        int kind = c->kind;
        if (vd && cfg_get_enum(l->err, vd, vkp0, "verdict", verdict_names, NULL, &kind) != 0)
            return -1;
        row->kind = (enum paper_kind)kind;
        if (get_text(l, map, kp, "why", 0, &row->why) != 0)
            return -1;
    }
    if (!row->why && c->why && !(row->why = strdup(c->why)))
        return cfg_fail(l->err, map, kp, "out of memory");
    if (row->kind != PAPER_SIMULATED && !row->why)
        return cfg_missing(l->err, map, kp, "why");
    int simulated = row->kind == PAPER_SIMULATED;
    if (get_text(l, map, kp, "label", 0, &row->label) != 0 ||
        get_text(l, map, kp, "paper_text", 0, &row->paper_text) != 0 ||
        get_text(l, map, kp, "unit", 0, &row->unit) != 0 ||
        get_text(l, map, kp, "explain", 0, &row->explain) != 0)
        return -1;
    if (!row->label && !(row->label = strdup("")))
        return cfg_fail(l->err, map, kp, "out of memory");
    if (!row->unit && !(row->unit = strdup("")))
        return cfg_fail(l->err, map, kp, "out of memory");
    const struct ynode *pv = ytree_get(map, "paper");
    char vkp[KEY_MAX];
    cfg_path_join(vkp, kp, "paper");
    if (pv && parse_paper_value(l, pv, vkp, row) != 0)
        return -1;
    const struct ynode *v = ytree_get(map, "value");
    cfg_path_join(vkp, kp, "value");
    if (simulated) {
        if (!pv)
            return cfg_missing(l->err, map, kp, "paper");
        if (!v)
            return cfg_missing(l->err, map, kp, "value");
        if (!(row->value = parse_expr(l, v, vkp, default_run)))
            return -1;
    } else if (v) {
        return cfg_fail(l->err, v, vkp, "a claim with a verdict other than simulated has "
                                        "no value");
    }
    if (!row->paper_text) {
        char buf[96] = "";
        if (isnan(row->paper_lo))
            return cfg_missing(l->err, map, kp, "paper_text");
        if (row->paper_lo == row->paper_hi)
            snprintf(buf, sizeof buf, "%g%s%s", row->paper_lo,
                     row->unit[0] && strcmp(row->unit, "%") != 0 ? " " : "", row->unit);
        else
            snprintf(buf, sizeof buf, "%g-%g%s%s", row->paper_lo, row->paper_hi,
                     row->unit[0] && strcmp(row->unit, "%") != 0 ? " " : "", row->unit);
        if (!(row->paper_text = strdup(buf)))
            return cfg_fail(l->err, map, kp, "out of memory");
    }
    return 0;
}

static int parse_across(struct loader *l, const struct ynode *n, const char *kp,
                        struct paper_across *a)
{
    static const char *const keys[] = {"key", "values", NULL};
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(l->err, n, kp, "expected {key: KEY, values: [V, ...]}");
    if (cfg_check_keys(l->err, n, kp, keys) != 0 || get_text(l, n, kp, "key", 1, &a->key) != 0)
        return -1;
    const struct ynode *vs = ytree_get(n, "values");
    char vkp[KEY_MAX];
    cfg_path_join(vkp, kp, "values");
    if (!vs)
        return cfg_missing(l->err, n, kp, "values");
    if (vs->kind != YNODE_SEQUENCE || vs->n_items == 0)
        return cfg_fail(l->err, vs, vkp, "expected a list of values");
    if (!(a->values = calloc(vs->n_items, sizeof *a->values)))
        return cfg_fail(l->err, vs, vkp, "out of memory");
    for (size_t i = 0; i < vs->n_items; i++) {
        char ikp[KEY_MAX];
        cfg_path_index(ikp, vkp, i + 1);
        if (!(a->values[i] = dup_text(l, vs->items[i], ikp)))
            return -1;
        a->n_values = i + 1;
    }
    return 0;
}

static int parse_claim(struct loader *l, const struct ynode *n, const char *kp,
                       struct paper_claim *c)
{
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(l->err, n, kp, "expected a claim: {id: ID, where: ..., claim: ...}");
    if (cfg_check_keys(l->err, n, kp, claim_keys) != 0 ||
        get_text(l, n, kp, "id", 1, &c->id) != 0 ||
        get_text(l, n, kp, "where", 1, &c->where) != 0 ||
        get_text(l, n, kp, "claim", 1, &c->claim) != 0 ||
        get_text(l, n, kp, "reading", 0, &c->reading) != 0 ||
        get_text(l, n, kp, "why", 0, &c->why) != 0 ||
        get_text(l, n, kp, "scenario", 0, &c->scenario) != 0)
        return -1;
    char ckp[KEY_MAX];
    cfg_path_join(ckp, kp, "verdict");
    const struct ynode *vd = ytree_get(n, "verdict");
    int kind = PAPER_SIMULATED;
    if (vd && cfg_get_enum(l->err, vd, ckp, "verdict", verdict_names, NULL, &kind) != 0)
        return -1;
    c->kind = (enum paper_kind)kind;
    c->tolerance = PAPER_RELATIVE;
    c->relative = 0.15;
    const struct ynode *tol = ytree_get(n, "tolerance");
    if (tol) {
        cfg_path_join(ckp, kp, "tolerance");
        const char *t = cfg_want_scalar(l->err, tol, ckp, "`prediction` or a share");
        if (!t)
            return -1;
        if (strcmp(t, "prediction") == 0) {
            c->tolerance = PAPER_PREDICTION;
        } else if (cfg_get_number(l->err, tol, ckp, &c->relative) != 0) {
            return -1;
        } else if (!(c->relative > 0 && c->relative < 1)) {
            return cfg_fail(l->err, tol, ckp, "expected `prediction` or a share in (0, 1)");
        }
    }
    char *run = NULL;
    if (get_text(l, n, kp, "run", 0, &run) != 0)
        return -1;
    if (run && find_run(l->p, run) < 0) {
        cfg_path_join(ckp, kp, "run");
        cfg_fail(l->err, ytree_get(n, "run"), ckp, "no run named \"%s\" in runs:", run);
        free(run);
        return -1;
    }
    const struct ynode *rows = ytree_get(n, "rows");
    int simulated = c->kind == PAPER_SIMULATED;
    if (!simulated && !c->why)
        return cfg_missing(l->err, n, kp, "why");
    int rc = 0;
    if (rows) {
        cfg_path_join(ckp, kp, "rows");
        for (size_t k = 0; k < n->n_pairs && !rc; k++) {
            const char *key = n->pairs[k].key->text;
            if (cfg_in_list(key, row_keys) && strcmp(key, "verdict") != 0 &&
                strcmp(key, "why") != 0) {
                char bkp[KEY_MAX];
                cfg_path_join(bkp, kp, key);
                rc = cfg_fail(l->err, n->pairs[k].key, bkp,
                              "a claim with rows: writes %s in each row", key);
            }
        }
        if (!rc && (rows->kind != YNODE_SEQUENCE || rows->n_items == 0))
            rc = cfg_fail(l->err, rows, ckp, "expected a list of rows");
        if (!rc && !(c->rows = calloc(rows->n_items, sizeof *c->rows)))
            rc = cfg_fail(l->err, rows, ckp, "out of memory");
        for (size_t i = 0; !rc && i < rows->n_items; i++) {
            char rkp[KEY_MAX];
            cfg_path_index(rkp, ckp, i + 1);
            const struct ynode *r = rows->items[i];
            c->n_rows = i + 1;
            if (r->kind != YNODE_MAPPING)
                rc = cfg_fail(l->err, r, rkp, "expected a row: {label: ..., paper: ..., value: ...}");
            else if (cfg_check_keys(l->err, r, rkp, row_keys) == 0)
                rc = parse_row(l, r, rkp, run, c, 1, &c->rows[i]);
            else
                rc = -1;
        }
    } else {
        if (!(c->rows = calloc(1, sizeof *c->rows)))
            rc = cfg_fail(l->err, n, kp, "out of memory");
        c->n_rows = 1;
        if (!rc)
            rc = parse_row(l, n, kp, run, c, 0, &c->rows[0]);
    }
    const struct ynode *ac = ytree_get(n, "across");
    if (!rc && ac) {
        cfg_path_join(ckp, kp, "across");
        if (!simulated)
            rc = cfg_fail(l->err, ac, ckp, "only a simulated claim moves across a parameter");
        else
            rc = parse_across(l, ac, ckp, &c->across);
    }
    for (size_t k = 0; !rc && !c->scenario && k < c->n_rows; k++) {
        const struct paper_expr *e = c->rows[k].value;
        while (e && e->op != PAPER_FIELD)
            e = e->op == PAPER_CONSTANT ? NULL : e->a->op == PAPER_CONSTANT ? e->b : e->a;
        if (e && !(c->scenario = strdup(l->p->runs[e->run].scenario)))
            rc = cfg_fail(l->err, n, kp, "out of memory");
    }
    free(run);
    return rc;
}

static int parse_run(struct loader *l, const struct ynode *n, const char *kp, struct paper_run *r)
{
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(l->err, n, kp, "expected a run: {name: N, scenario: FILE, set: [K=V]}");
    if (cfg_check_keys(l->err, n, kp, run_keys) != 0 ||
        get_text(l, n, kp, "name", 1, &r->name) != 0 ||
        get_text(l, n, kp, "scenario", 1, &r->scenario) != 0)
        return -1;
    char skp[KEY_MAX];
    cfg_path_join(skp, kp, "scenario");
    size_t len = strlen(l->p->dir) + strlen(r->scenario) + 2;
    if (!(r->path = malloc(len)))
        return cfg_fail(l->err, n, kp, "out of memory");
    if (r->scenario[0] == '/')
        snprintf(r->path, len, "%s", r->scenario);
    else
        snprintf(r->path, len, "%s/%s", l->p->dir, r->scenario);
    struct stat st;
    if (stat(r->path, &st) != 0 || !S_ISREG(st.st_mode))
        return cfg_fail(l->err, ytree_get(n, "scenario"), skp, "no scenario file %s",
                        r->path);
    const struct ynode *set = ytree_get(n, "set");
    if (!set)
        return 0;
    cfg_path_join(skp, kp, "set");
    if (set->kind != YNODE_SEQUENCE)
        return cfg_fail(l->err, set, skp, "expected a list of KEY=VALUE overrides");
    if (set->n_items && !(r->sets = calloc(set->n_items, sizeof *r->sets)))
        return cfg_fail(l->err, set, skp, "out of memory");
    for (size_t i = 0; i < set->n_items; i++) {
        char ikp[KEY_MAX];
        cfg_path_index(ikp, skp, i + 1);
        if (!(r->sets[i] = dup_text(l, set->items[i], ikp)))
            return -1;
        r->n_sets = i + 1;
        if (!strchr(r->sets[i], '='))
            return cfg_fail(l->err, set->items[i], ikp, "expected KEY=VALUE");
    }
    return 0;
}

static int parse_top(struct loader *l, const struct ynode *root)
{
    struct paper *p = l->p;
    if (root->kind != YNODE_MAPPING)
        return cfg_fail(l->err, root, "", "expected a claims file: paper, title, runs, claims");
    if (cfg_check_keys(l->err, root, "", top_keys) != 0 ||
        get_text(l, root, "", "title", 1, &p->title) != 0 ||
        get_text(l, root, "", "cite", 1, &p->cite) != 0)
        return -1;
    const struct ynode *name = ytree_get(root, "paper");
    if (name) {
        const char *t = cfg_want_scalar(l->err, name, "paper", "the paper's name");
        if (!t)
            return -1;
        if (strcmp(t, p->name) != 0)
            return cfg_fail(l->err, name, "paper", "the folder is %s: the name must match it",
                            p->name);
    }
    p->replications = 3;
    const struct ynode *reps = ytree_get(root, "replications");
    if (reps && cfg_get_u32_range(l->err, reps, "replications", 1, 1000, &p->replications) != 0)
        return -1;
    const struct ynode *runs = ytree_get(root, "runs");
    if (runs) {
        if (runs->kind != YNODE_SEQUENCE)
            return cfg_fail(l->err, runs, "runs", "expected a list of runs");
        if (runs->n_items && !(p->runs = calloc(runs->n_items, sizeof *p->runs)))
            return cfg_fail(l->err, runs, "runs", "out of memory");
        for (size_t i = 0; i < runs->n_items; i++) {
            char kp[KEY_MAX];
            cfg_path_index(kp, "runs", i + 1);
            p->n_runs = i + 1;
            if (parse_run(l, runs->items[i], kp, &p->runs[i]) != 0)
                return -1;
            if (find_run(p, p->runs[i].name) != (long)i)
                return cfg_fail(l->err, runs->items[i], kp, "a second run named \"%s\"",
                                p->runs[i].name);
        }
    }
    const struct ynode *claims = ytree_get(root, "claims");
    if (!claims)
        return cfg_missing(l->err, root, "", "claims");
    if (claims->kind != YNODE_SEQUENCE || claims->n_items == 0)
        return cfg_fail(l->err, claims, "claims", "expected a list of claims");
    if (!(p->claims = calloc(claims->n_items, sizeof *p->claims)))
        return cfg_fail(l->err, claims, "claims", "out of memory");
    for (size_t i = 0; i < claims->n_items; i++) {
        char kp[KEY_MAX];
        cfg_path_index(kp, "claims", i + 1);
        p->n_claims = i + 1;
        if (parse_claim(l, claims->items[i], kp, &p->claims[i]) != 0)
            return -1;
        for (size_t j = 0; j < i; j++)
            if (strcmp(p->claims[j].id, p->claims[i].id) == 0)
                return cfg_fail(l->err, claims->items[i], kp, "a second claim with ID %s",
                                p->claims[i].id);
    }
    return 0;
}

int paper_load(const char *dir, struct paper *p, struct slsim_error *err)
{
    memset(p, 0, sizeof *p);
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    const char *base = dir + dl;
    while (base > dir && base[-1] != '/')
        base--;
    p->dir = strndup(dir, dl);
    p->name = strndup(base, (size_t)(dir + dl - base));
    char *file = p->dir ? malloc(dl + sizeof CLAIMS_FILE + 1) : NULL;
    if (!p->dir || !p->name || !file) {
        free(file);
        paper_free(p);
        return slsim_error_set(err, dir, 0, 0, NULL, "out of memory");
    }
    snprintf(file, dl + sizeof CLAIMS_FILE + 1, "%s/%s", p->dir, CLAIMS_FILE);
    size_t len = 0;
    char *text = cfg_read_file(file, "claims", &len, err);
    struct ynode *root = text ? ytree_parse(text, len, file, -1, NULL, err) : NULL;
    struct loader l = {p, file, err};
    int rc = root ? parse_top(&l, root) : -1;
    ytree_free(root);
    free(text);
    p->file = file;
    if (rc != 0)
        paper_free(p);
    return rc;
}

void paper_free(struct paper *p)
{
    for (size_t i = 0; i < p->n_runs; i++) {
        struct paper_run *r = &p->runs[i];
        for (size_t k = 0; k < r->n_sets; k++)
            free(r->sets[k]);
        free(r->sets);
        free(r->name);
        free(r->scenario);
        free(r->path);
    }
    for (size_t i = 0; i < p->n_claims; i++) {
        struct paper_claim *c = &p->claims[i];
        for (size_t k = 0; k < c->n_rows; k++) {
            struct paper_row *r = &c->rows[k];
            free(r->label);
            free(r->paper_text);
            free(r->unit);
            free(r->explain);
            free(r->why);
            expr_free(r->value);
        }
        for (size_t k = 0; k < c->across.n_values; k++)
            free(c->across.values[k]);
        free(c->across.values);
        free(c->across.key);
        free(c->rows);
        free(c->id);
        free(c->where);
        free(c->claim);
        free(c->reading);
        free(c->why);
        free(c->scenario);
    }
    free(p->runs);
    free(p->claims);
    free(p->name);
    free(p->title);
    free(p->cite);
    free(p->dir);
    free(p->file);
    memset(p, 0, sizeof *p);
}

/* The next item of the comma-separated list at *s into (*item, *len), moving *s past
 * it: 1, or 0 at the end of the list. */
static int list_next(const char **s, const char **item, size_t *len)
{
    if (!**s)
        return 0;
    const char *e = strchr(*s, ',');
    *item = *s;
    *len = e ? (size_t)(e - *s) : strlen(*s);
    *s += *len + (e != NULL);
    return 1;
}

int paper_selected(const struct paper_claim *c, const char *ids)
{
    if (!ids)
        return 1;
    const char *item;
    size_t len, n = strlen(c->id);
    while (list_next(&ids, &item, &len))
        if (len == n && strncmp(item, c->id, n) == 0)
            return 1;
    return 0;
}

int paper_check_ids(const struct paper *p, const char *ids, struct slsim_error *err)
{
    const char *item;
    size_t len;
    while (list_next(&ids, &item, &len)) {
        int found = 0;
        for (size_t i = 0; i < p->n_claims && !found; i++)
            found = strlen(p->claims[i].id) == len && strncmp(p->claims[i].id, item, len) == 0;
        if (!found) {
            char list[400] = "";
            for (size_t i = 0; i < p->n_claims; i++) {
                size_t used = strlen(list);
                snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                         p->claims[i].id);
            }
            return slsim_error_set(err, NULL, 0, 0, "--claims",
                                   "%s has no claim %.*s (it has %s)", p->name, (int)len, item,
                                   list);
        }
    }
    return 0;
}
