/* dist_config.c - a distribution of times, or of counts, read out of a
 * position-keeping YAML tree.
 *
 * Scenario files (model.service, a deployment's coldstart, workload.tokens) and the
 * catalog (a platform's cold-start init) write distributions the same way; the
 * kinds, their keys and the checks of each constructor are dist.c's, the positions
 * and key paths the tree's. A distribution of counts (tokens) holds its values in
 * the fields dist.h names in seconds: the sampler is the same, only the unit of the
 * numbers read differs. */
#include <stdlib.h>
#include <string.h>

#include "slsim/dist_config.h"
#include "../base/yaml_get.h"

/* How a distribution's values are read: durations (to seconds) or plain numbers. */
struct dist_values {
    int (*get)(struct slsim_error *err, const struct ynode *n, const char *key, double *out);
    const char *what;  /* one value, for messages: "duration", "count" */
    const char *whats; /* several: "durations", "counts" */
};
static const struct dist_values of_times = {cfg_get_seconds, "duration", "durations"};

/* A count: a number without a unit, >= 0 (a token count is no time). */
static int get_count(struct slsim_error *err, const struct ynode *n, const char *key,
                     double *out)
{
    const char *t = cfg_want_scalar(err, n, key, "a count");
    char why[200];
    if (!t)
        return -1;
    if (units_parse_number(t, out, why, sizeof why))
        return cfg_fail(err, n, key, "expected a count, a number without a unit (tokens, not "
                                     "a time); got \"%s\"", t);
    if (!(*out >= 0))
        return cfg_fail(err, n, key, "a count must be 0 or more, got %s", n->text);
    return 0;
}
static const struct dist_values of_counts = {get_count, "count", "counts"};

static const char *const dist_keys[] = {"dist",   "value", "mean",        "cv", "median",
                                        "p99",    "values", "percentiles", "of", "weight", NULL};
static const char *const dist_names[] = {"constant", "exponential", "lognormal", "gamma",
                                         "empirical", "mixture", NULL};
static const enum dist_kind dist_kinds[] = {DIST_CONSTANT, DIST_EXPONENTIAL, DIST_LOGNORMAL,
                                            DIST_GAMMA, DIST_EMPIRICAL, DIST_MIXTURE};
/* Keys each kind takes, besides `dist`, in dist_names order. */
static const char *const dist_takes[][5] = {
    {"value", "mean", NULL},
    {"mean", NULL},
    {"mean", "cv", "median", "p99", NULL},
    {"mean", "cv", NULL},
    {"values", "percentiles", NULL},
    {"of", NULL},
};

/* Parts of a mixture nest at most this deep: a mixture of mixtures is one mixture. */
#define MIXTURE_DEPTH_MAX 4

static int cfg_empirical_percentiles(struct slsim_error *err, const struct ynode *map,
                                     const char *path, const struct dist_values *u,
                                     struct dist *d)
{
    char kp[KEY_MAX], why[200];
    cfg_path_join(kp, path, "percentiles");
    if (map->kind != YNODE_MAPPING)
        return cfg_fail(err, map, kp, "expected a mapping of percentile: %s, got %s",
                        u->what, ytree_describe(map));
    size_t n = map->n_pairs;
    double *pct = calloc(n ? n : 1, sizeof *pct);
    double *val = calloc(n ? n : 1, sizeof *val);
    int rc = -1;
    if (!pct || !val) {
        slsim_error_set(err, map->src, map->line, map->column, kp, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        const struct ynode *k = map->pairs[i].key;
        char ip[KEY_MAX];
        cfg_path_join(ip, kp, k->text);
        double p;
        if (units_parse_number(k->text, &p, why, sizeof why) || p < 0 || p > 100) {
            cfg_fail(err, k, ip, "expected a percentile from 0 to 100, got \"%s\"", k->text);
            goto done;
        }
        double v;
        if (u->get(err, map->pairs[i].value, ip, &v))
            goto done;
        /* Sorted by percentile here, so the points may be written in any order. */
        size_t j = i;
        for (; j > 0 && pct[j - 1] > p; j--) {
            pct[j] = pct[j - 1];
            val[j] = val[j - 1];
        }
        if (j > 0 && pct[j - 1] == p) {
            cfg_fail(err, k, ip, "percentile %s given twice", k->text);
            goto done;
        }
        pct[j] = p;
        val[j] = v;
    }
    if (dist_empirical_percentiles(d, pct, val, n, why, sizeof why)) {
        cfg_fail(err, map, kp, "bad empirical distribution: %s", why);
        goto done;
    }
    rc = 0;
done:
    free(pct);
    free(val);
    return rc;
}

static int cfg_empirical_values(struct slsim_error *err, const struct ynode *seq,
                                const char *path, const struct dist_values *u, struct dist *d)
{
    char kp[KEY_MAX], why[200];
    cfg_path_join(kp, path, "values");
    if (seq->kind != YNODE_SEQUENCE)
        return cfg_fail(err, seq, kp, "expected a sequence of %s, got %s", u->whats,
                        ytree_describe(seq));
    double *v = calloc(seq->n_items ? seq->n_items : 1, sizeof *v);
    if (!v)
        return slsim_error_set(err, seq->src, seq->line, seq->column, kp, "out of memory");
    int rc = -1;
    for (size_t i = 0; i < seq->n_items; i++) {
        char ip[KEY_MAX];
        cfg_path_index(ip, kp, i + 1);
        if (u->get(err, seq->items[i], ip, &v[i]))
            goto done;
    }
    if (dist_empirical_values(d, v, seq->n_items, why, sizeof why)) {
        cfg_fail(err, seq, kp, "bad empirical distribution: %s", why);
        goto done;
    }
    rc = 0;
done:
    free(v);
    return rc;
}

/* The mean (a value as u reads it) and cv (a number) of distribution map n at path,
 * both required. */
static int cfg_get_mean_cv(struct slsim_error *err, const struct ynode *n, const char *path,
                           const struct dist_values *u, const struct ynode *mean,
                           const struct ynode *cv, double *m, double *c)
{
    char kp[KEY_MAX];
    if (!mean)
        return cfg_missing(err, n, path, "mean");
    if (!cv)
        return cfg_missing(err, n, path, "cv");
    cfg_path_join(kp, path, "mean");
    if (u->get(err, mean, kp, m))
        return -1;
    cfg_path_join(kp, path, "cv");
    return cfg_get_number(err, cv, kp, c);
}

static int parse_dist(struct slsim_error *err, const struct ynode *n, const char *path,
                      const struct dist_values *u, struct dist *out, double *weight, int depth);

/* A mixture's `of`: a list of parts, each a distribution with its `weight`. */
static int cfg_mixture(struct slsim_error *err, const struct ynode *seq, const char *path,
                       const struct dist_values *u, int depth, struct dist *d)
{
    char kp[KEY_MAX], why[200];
    cfg_path_join(kp, path, "of");
    if (seq->kind != YNODE_SEQUENCE || seq->n_items == 0)
        return cfg_fail(err, seq, kp, "expected a list of parts, each {weight: W, dist: ...}, "
                        "got %s", ytree_describe(seq));
    if (depth >= MIXTURE_DEPTH_MAX)
        return cfg_fail(err, seq, kp, "mixtures nest at most %d deep", MIXTURE_DEPTH_MAX);
    size_t n = seq->n_items;
    struct dist *parts = calloc(n, sizeof *parts);
    double *w = calloc(n, sizeof *w);
    if (!parts || !w) {
        free(parts);
        free(w);
        return slsim_error_set(err, seq->src, seq->line, seq->column, kp, "out of memory");
    }
    for (size_t k = 0; k < n; k++) {
        char ip[KEY_MAX];
        cfg_path_index(ip, kp, k + 1);
        if (parse_dist(err, seq->items[k], ip, u, &parts[k], &w[k], depth + 1)) {
            for (size_t j = 0; j < k; j++)
                dist_free(&parts[j]);
            free(parts);
            free(w);
            return -1;
        }
    }
    int rc = dist_mixture(d, parts, w, n, why, sizeof why);
    free(parts);
    free(w);
    if (rc)
        return cfg_fail(err, seq, kp, "bad mixture: %s", why);
    return 0;
}

/* A distribution of values read by u: a plain value (constant) or {dist: kind, ...};
 * as a part of a mixture (weight non-NULL) a mapping with its `weight` as well.
 * On success *out owns what the constructor allocated. */
static int parse_dist(struct slsim_error *err, const struct ynode *n, const char *path,
                      const struct dist_values *u, struct dist *out, double *weight, int depth)
{
    char why[200], kp[KEY_MAX];
    struct dist d;
    memset(&d, 0, sizeof d);
    if (n->kind == YNODE_SCALAR && !ytree_is_null(n) && !weight) {
        double v;
        if (u->get(err, n, path, &v))
            return -1;
        if (dist_constant(&d, v, why, sizeof why))
            return cfg_fail(err, n, path, "bad constant distribution: %s", why);
        *out = d;
        return 0;
    }
    if (n->kind != YNODE_MAPPING)
        return cfg_fail(err, n, path, "expected a %s or a {dist: ...} mapping, got %s", u->what,
                        ytree_describe(n));
    if (cfg_check_keys(err, n, path, dist_keys))
        return -1;
    const struct ynode *wn = ytree_get(n, "weight");
    if (wn && !weight) {
        cfg_path_join(kp, path, "weight");
        return cfg_fail(err, wn, kp, "weight applies only to a part of a mixture (dist: "
                                     "mixture, of: [...])");
    }
    if (weight) {
        if (!wn)
            return cfg_missing(err, n, path, "weight");
        cfg_path_join(kp, path, "weight");
        if (cfg_get_number(err, wn, kp, weight))
            return -1;
        if (!(*weight > 0))
            return cfg_fail(err, wn, kp, "a part's weight must be above 0, got %s", wn->text);
    }
    const struct ynode *kn = ytree_get(n, "dist");
    if (!kn)
        return cfg_missing(err, n, path, "dist");
    int ki;
    cfg_path_join(kp, path, "dist");
    if (cfg_get_enum(err, kn, kp, "distribution", dist_names, NULL, &ki))
        return -1;
    const char *kname = dist_names[ki];
    for (size_t i = 0; i < n->n_pairs; i++) {
        const struct ynode *k = n->pairs[i].key;
        if (strcmp(k->text, "dist") == 0 || (weight && strcmp(k->text, "weight") == 0) ||
            cfg_in_list(k->text, dist_takes[ki]))
            continue;
        cfg_path_join(kp, path, k->text);
        return cfg_fail(err, k, kp, "key \"%s\" does not apply to dist: %s", k->text, kname);
    }

    const struct ynode *value = ytree_get(n, "value"), *mean = ytree_get(n, "mean"),
                       *cv = ytree_get(n, "cv"), *median = ytree_get(n, "median"),
                       *p99 = ytree_get(n, "p99");
    double m, c, q;
    int rc = 0;
    switch (dist_kinds[ki]) {
    case DIST_CONSTANT:
        if (value && mean) {
            cfg_path_join(kp, path, "mean");
            return cfg_fail(err, mean, kp, "give value or mean, not both");
        }
        if (!value && !mean)
            return cfg_missing(err, n, path, "value");
        cfg_path_join(kp, path, value ? "value" : "mean");
        if (u->get(err, value ? value : mean, kp, &m))
            return -1;
        rc = dist_constant(&d, m, why, sizeof why);
        break;
    case DIST_EXPONENTIAL:
        if (!mean)
            return cfg_missing(err, n, path, "mean");
        cfg_path_join(kp, path, "mean");
        if (u->get(err, mean, kp, &m))
            return -1;
        rc = dist_exponential(&d, m, why, sizeof why);
        break;
    case DIST_LOGNORMAL:
        if ((mean || cv) && (median || p99)) {
            const struct ynode *second = median ? median : p99;
            cfg_path_join(kp, path, median ? "median" : "p99");
            return cfg_fail(err, second, kp, "lognormal takes mean and cv, or median and p99, "
                                         "not both");
        }
        if (!mean && !cv && !median && !p99)
            return cfg_fail(err, n, path, "lognormal needs mean and cv, or median and p99");
        if (mean || cv) {
            if (cfg_get_mean_cv(err, n, path, u, mean, cv, &m, &c))
                return -1;
            rc = dist_lognormal_mean_cv(&d, m, c, why, sizeof why);
        } else {
            if (!median)
                return cfg_missing(err, n, path, "median");
            if (!p99)
                return cfg_missing(err, n, path, "p99");
            cfg_path_join(kp, path, "median");
            if (u->get(err, median, kp, &m))
                return -1;
            cfg_path_join(kp, path, "p99");
            if (u->get(err, p99, kp, &q))
                return -1;
            rc = dist_lognormal_median_p99(&d, m, q, why, sizeof why);
        }
        break;
    case DIST_GAMMA:
        if (cfg_get_mean_cv(err, n, path, u, mean, cv, &m, &c))
            return -1;
        rc = dist_gamma_mean_cv(&d, m, c, why, sizeof why);
        break;
    case DIST_EMPIRICAL: {
        const struct ynode *values = ytree_get(n, "values"), *pcts = ytree_get(n, "percentiles");
        if (values && pcts) {
            cfg_path_join(kp, path, "percentiles");
            return cfg_fail(err, pcts, kp, "give values or percentiles, not both");
        }
        if (!values && !pcts)
            return cfg_fail(err, n, path, "empirical needs values or percentiles");
        if (values ? cfg_empirical_values(err, values, path, u, &d)
                   : cfg_empirical_percentiles(err, pcts, path, u, &d))
            return -1;
        break;
    }
    case DIST_MIXTURE: {
        const struct ynode *of = ytree_get(n, "of");
        if (!of)
            return cfg_missing(err, n, path, "of");
        if (cfg_mixture(err, of, path, u, depth, &d))
            return -1;
        break;
    }
    }
    if (rc)
        return cfg_fail(err, n, path, "bad %s distribution: %s", kname, why);
    *out = d;
    return 0;
}

int cfg_parse_dist(struct slsim_error *err, const struct ynode *n, const char *path,
                   struct dist *out)
{
    return parse_dist(err, n, path, &of_times, out, NULL, 0);
}

int cfg_parse_count_dist(struct slsim_error *err, const struct ynode *n, const char *path,
                         struct dist *out)
{
    return parse_dist(err, n, path, &of_counts, out, NULL, 0);
}
