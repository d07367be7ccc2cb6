/* scenario.c - load a scenario file into validated structs (SCENARIO.md is the contract).
 *
 * Three stages, so that every error can name file, line, column and key path:
 * parse the YAML into a position-keeping tree (yaml_tree.c), splice each `--set`
 * override into that tree as if it had been written in the file, then walk the tree
 * once, checking keys, types, units and ranges while filling struct scenario.
 * Overrides go into the tree rather than into the structs so that they are checked
 * by exactly the code that checks the file, and a bad one is reported at its own
 * position in the override text.
 *
 * Unknown keys are errors, never ignored: a misspelt `keep_alvie` that silently fell
 * back to the default would make a study wrong without anyone noticing. For the same
 * reason keys that do not apply (duty_cycle without arrival: onoff, max_wait without
 * on_throttle: queue) are errors. Keys that belong to later versions (pricing,
 * dedicated and hybrid deployments, traces) get their own message, so a user with a
 * newer file learns why rather than being told the key is misspelt.
 *
 * `--set` paths beyond SCENARIO.md: `name[N]` picks item N (1-based, as errors
 * count) of a sequence, e.g. workload.spikes[1].factor=2; an empty or `~` value
 * removes the key, so an override can take back a key that no longer applies. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/platform.h"
#include "slsim/scenario.h"
#include "yaml_tree.h"

/* Every key path fits: slsim_error.key has this size. */
#define KEY_MAX 256

#define DEFAULT_MODEL_MEMORY_BYTES 2000000000LL /* 2GB: SCENARIO.md sizes are powers of 10 */
/* AWS does not publish how long an idle instance lives; 10 minutes is the common
 * measurement. keep_alive_set = 0 lets a platform profile replace it. */
#define DEFAULT_KEEP_ALIVE_NS (10 * 60 * SIM_NS_PER_S)
#define DEFAULT_PEAK_TO_MEAN 2.0
#define MAX_REPLICATIONS 10000
#define MAX_CONCURRENCY 1000
#define MAX_RESERVED 1000000

static int fail(struct slsim_error *err, const struct ynode *at, const char *key,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail(struct slsim_error *err, const struct ynode *at, const char *key,
                const char *fmt, ...)
{
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return slsim_error_set(err, at->src, at->line, at->column, key, "%s", msg);
}

/* parent.key, cut to KEY_MAX - 1 characters: a cut path still points the right way. */
static void path_join(char *out, const char *parent, const char *key)
{
    size_t w = 0;
    for (const char *p = parent; *p && w < KEY_MAX - 1; p++)
        out[w++] = *p;
    if (parent[0] && w < KEY_MAX - 1)
        out[w++] = '.';
    for (const char *p = key; *p && w < KEY_MAX - 1; p++)
        out[w++] = *p;
    out[w] = '\0';
}

/* parent[index1]: items of a sequence are addressed 1-based, as people count. */
static void path_index(char *out, const char *parent, size_t index1)
{
    char idx[32];
    snprintf(idx, sizeof idx, "[%zu]", index1);
    path_join(out, parent, "");
    size_t w = strlen(out);
    if (parent[0])
        out[--w] = '\0'; /* path_join added a dot */
    for (const char *p = idx; *p && w < KEY_MAX - 1; p++)
        out[w++] = *p;
    out[w] = '\0';
}

/* ---- did you mean ---- */

static size_t levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[65];
    if (la > 64 || lb > 64)
        return SIZE_MAX; /* no key is that long: no suggestion */
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

/* The nearest candidate within 2 edits (or a third of its length), or NULL. A
 * candidate that would need every character replaced is no suggestion. */
static const char *suggest(const char *word, const char *const *cands)
{
    const char *best = NULL;
    size_t bestd = SIZE_MAX;
    for (size_t i = 0; cands && cands[i]; i++) {
        size_t d = levenshtein(word, cands[i]);
        size_t lc = strlen(cands[i]), lw = strlen(word);
        size_t limit = lc / 3 > 2 ? lc / 3 : 2;
        if (d <= limit && d < (lc > lw ? lc : lw) && d < bestd) {
            best = cands[i];
            bestd = d;
        }
    }
    return best;
}

static int in_list(const char *word, const char *const *list)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(word, list[i]) == 0)
            return 1;
    return 0;
}

static void join_list(char *out, size_t n, const char *const *list)
{
    size_t w = 0;
    out[0] = '\0';
    for (size_t i = 0; list[i] && w < n; i++) {
        int k = snprintf(out + w, n - w, "%s%s", i ? ", " : "", list[i]);
        if (k < 0)
            break;
        w += (size_t)k;
    }
}

/* ---- keys ---- */

/* Check the keys of mapping map at path: each known, none twice. `later` lists keys
 * of later versions; note says what they belong to. */
static int check_keys(struct slsim_error *err, const struct ynode *map, const char *path,
                      const char *const *known, const char *const *later, const char *note)
{
    for (size_t i = 0; i < map->n_pairs; i++) {
        const struct ynode *k = map->pairs[i].key;
        char kp[KEY_MAX];
        path_join(kp, path, k->text);
        for (size_t j = 0; j < i; j++)
            if (strcmp(map->pairs[j].key->text, k->text) == 0)
                return fail(err, k, kp, "duplicate key \"%s\" (first given at line %d)",
                            k->text, map->pairs[j].key->line);
        if (in_list(k->text, known))
            continue;
        if (in_list(k->text, later))
            return fail(err, k, kp, "key \"%s\" is not supported in this version of slsim%s",
                        k->text, note ? note : "");
        const char *s = suggest(k->text, known);
        if (s)
            return fail(err, k, kp, "unknown key \"%s\"; did you mean \"%s\"?", k->text, s);
        char all[400];
        join_list(all, sizeof all, known);
        return fail(err, k, kp, "unknown key \"%s\"; expected one of: %s", k->text, all);
    }
    return 0;
}

static int missing(struct slsim_error *err, const struct ynode *parent, const char *path,
                   const char *key)
{
    char kp[KEY_MAX];
    path_join(kp, path, key);
    return fail(err, parent, kp, "missing required key \"%s\"", key);
}

/* ---- scalars ---- */

static const char *want_scalar(struct slsim_error *err, const struct ynode *n, const char *key,
                               const char *what)
{
    if (n->kind != YNODE_SCALAR || ytree_is_null(n)) {
        fail(err, n, key, "expected %s, got %s", what, ytree_describe(n));
        return NULL;
    }
    return n->text;
}

static int get_duration(struct slsim_error *err, const struct ynode *n, const char *key,
                        int allow_forever, sim_time *out)
{
    const char *t = want_scalar(err, n, key, "a duration");
    char why[200];
    if (!t)
        return -1;
    if (units_parse_duration(t, out, why, sizeof why))
        return fail(err, n, key, "%s", why);
    if (!allow_forever && *out == SIM_TIME_FOREVER)
        return fail(err, n, key, "expected a finite duration, got \"%s\"", t);
    return 0;
}

/* A finite duration in seconds, for distribution parameters. */
static int get_seconds(struct slsim_error *err, const struct ynode *n, const char *key,
                       double *out_s)
{
    sim_time ns;
    if (get_duration(err, n, key, 0, &ns))
        return -1;
    *out_s = (double)ns / (double)SIM_NS_PER_S;
    return 0;
}

static int get_size(struct slsim_error *err, const struct ynode *n, const char *key,
                    int64_t *out)
{
    const char *t = want_scalar(err, n, key, "a size");
    char why[200];
    if (!t)
        return -1;
    if (units_parse_size(t, out, why, sizeof why))
        return fail(err, n, key, "%s", why);
    return 0;
}

/* A scalar read by one of the double-valued unit parsers; what names the expected
 * kind in the error ("a rate"). */
static int get_parsed(struct slsim_error *err, const struct ynode *n, const char *key,
                      const char *what, int (*parse)(const char *, double *, char *, size_t),
                      double *out)
{
    const char *t = want_scalar(err, n, key, what);
    char why[200];
    if (!t)
        return -1;
    if (parse(t, out, why, sizeof why))
        return fail(err, n, key, "%s", why);
    if (!isfinite(*out))
        return fail(err, n, key, "%s must be finite, got \"%s\"", what + 2, t);
    return 0;
}

static int get_rate(struct slsim_error *err, const struct ynode *n, const char *key,
                    double *out)
{
    return get_parsed(err, n, key, "a rate", units_parse_rate, out);
}

static int get_number(struct slsim_error *err, const struct ynode *n, const char *key,
                      double *out)
{
    return get_parsed(err, n, key, "a number", units_parse_number, out);
}

/* Decimal digits only (blanks around allowed): a seed or a count is never 1.5, -1,
 * 1e3 or 0x10, and guessing what such a thing meant would hide a mistake. */
static int get_u64(struct slsim_error *err, const struct ynode *n, const char *key,
                   uint64_t *out)
{
    const char *t = want_scalar(err, n, key, "a whole number");
    if (!t)
        return -1;
    const char *p = t;
    while (*p == ' ' || *p == '\t')
        p++;
    uint64_t v = 0;
    size_t digits = 0;
    for (; *p >= '0' && *p <= '9'; p++, digits++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return fail(err, n, key, "\"%s\" is too large (at most %llu)", t,
                        (unsigned long long)UINT64_MAX);
        v = v * 10 + d;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (!digits || *p)
        return fail(err, n, key, "expected a whole number, got \"%s\"", t);
    *out = v;
    return 0;
}

static int get_u32_range(struct slsim_error *err, const struct ynode *n, const char *key,
                         uint32_t lo, uint32_t hi, uint32_t *out)
{
    uint64_t v;
    if (get_u64(err, n, key, &v))
        return -1;
    if (v < lo || v > hi)
        return fail(err, n, key, "must be from %u to %u, got %s", lo, hi, n->text);
    *out = (uint32_t)v;
    return 0;
}

/* Names of deployments are addressed by --set (deployments.NAME.key) and become
 * column and file names in reports, so they keep to a safe alphabet; platform
 * names are catalog keys, where a dot may appear. */
static int is_ident(const char *t, int allow_dot)
{
    if (!t[0])
        return 0;
    for (const char *p = t; *p; p++) {
        char c = *p;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || (allow_dot && c == '.');
        if (!ok)
            return 0;
    }
    return 1;
}

enum name_rule { NAME_TEXT, NAME_IDENT, NAME_IDENT_DOT };

static int get_name(struct slsim_error *err, const struct ynode *n, const char *key,
                    enum name_rule rule, char out[SCENARIO_NAME_MAX])
{
    const char *t = want_scalar(err, n, key, "a name");
    if (!t)
        return -1;
    if (!t[0])
        return fail(err, n, key, "a name must not be empty");
    if (strlen(t) >= SCENARIO_NAME_MAX)
        return fail(err, n, key, "name \"%s\" is longer than %d characters", t,
                    SCENARIO_NAME_MAX - 1);
    if (rule == NAME_TEXT) {
        for (const char *p = t; *p; p++)
            if ((unsigned char)*p < 0x20)
                return fail(err, n, key, "name contains a control character");
    } else if (!is_ident(t, rule == NAME_IDENT_DOT)) {
        return fail(err, n, key, "bad name \"%s\": use letters, digits, '-' and '_'%s", t,
                    rule == NAME_IDENT_DOT ? " and '.'" : "");
    }
    memcpy(out, t, strlen(t) + 1);
    return 0;
}

/* Index into names of n's text. later lists values of later versions. */
static int get_enum(struct slsim_error *err, const struct ynode *n, const char *key,
                    const char *what, const char *const *names, const char *const *later,
                    int *out)
{
    char expect[64];
    snprintf(expect, sizeof expect, "one of the %s names", what);
    const char *t = want_scalar(err, n, key, expect);
    if (!t)
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(t, names[i]) == 0) {
            *out = i;
            return 0;
        }
    char all[200];
    join_list(all, sizeof all, names);
    if (in_list(t, later))
        return fail(err, n, key, "%s \"%s\" is not supported in this version of slsim; "
                    "expected one of: %s", what, t, all);
    const char *s = suggest(t, names);
    if (s)
        return fail(err, n, key, "unknown %s \"%s\"; did you mean \"%s\"? expected one of: %s",
                    what, t, s, all);
    return fail(err, n, key, "unknown %s \"%s\"; expected one of: %s", what, t, all);
}

/* ---- distributions ---- */

static const char *const dist_keys[] = {"dist",   "value", "mean",        "cv", "median",
                                        "p99",    "values", "percentiles", NULL};
static const char *const dist_names[] = {"constant", "exponential", "lognormal", "gamma",
                                         "empirical", NULL};
static const enum dist_kind dist_kinds[] = {DIST_CONSTANT, DIST_EXPONENTIAL, DIST_LOGNORMAL,
                                            DIST_GAMMA, DIST_EMPIRICAL};
/* Keys each kind takes, besides `dist`, in dist_names order. */
static const char *const dist_takes[][5] = {
    {"value", "mean", NULL},
    {"mean", NULL},
    {"mean", "cv", "median", "p99", NULL},
    {"mean", "cv", NULL},
    {"values", "percentiles", NULL},
};

static int empirical_percentiles(struct slsim_error *err, const struct ynode *map,
                                 const char *path, struct dist *d)
{
    char kp[KEY_MAX], why[200];
    path_join(kp, path, "percentiles");
    if (map->kind != YNODE_MAPPING)
        return fail(err, map, kp, "expected a mapping of percentile: duration, got %s",
                    ytree_describe(map));
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
        path_join(ip, kp, k->text);
        double p;
        if (units_parse_number(k->text, &p, why, sizeof why) || p < 0 || p > 100) {
            fail(err, k, ip, "expected a percentile from 0 to 100, got \"%s\"", k->text);
            goto done;
        }
        double v;
        if (get_seconds(err, map->pairs[i].value, ip, &v))
            goto done;
        /* Sorted by percentile here, so the points may be written in any order. */
        size_t j = i;
        for (; j > 0 && pct[j - 1] > p; j--) {
            pct[j] = pct[j - 1];
            val[j] = val[j - 1];
        }
        if (j > 0 && pct[j - 1] == p) {
            fail(err, k, ip, "percentile %s given twice", k->text);
            goto done;
        }
        pct[j] = p;
        val[j] = v;
    }
    if (dist_empirical_percentiles(d, pct, val, n, why, sizeof why)) {
        fail(err, map, kp, "bad empirical distribution: %s", why);
        goto done;
    }
    rc = 0;
done:
    free(pct);
    free(val);
    return rc;
}

static int empirical_values(struct slsim_error *err, const struct ynode *seq, const char *path,
                            struct dist *d)
{
    char kp[KEY_MAX], why[200];
    path_join(kp, path, "values");
    if (seq->kind != YNODE_SEQUENCE)
        return fail(err, seq, kp, "expected a sequence of durations, got %s",
                    ytree_describe(seq));
    double *v = calloc(seq->n_items ? seq->n_items : 1, sizeof *v);
    if (!v)
        return slsim_error_set(err, seq->src, seq->line, seq->column, kp, "out of memory");
    int rc = -1;
    for (size_t i = 0; i < seq->n_items; i++) {
        char ip[KEY_MAX];
        path_index(ip, kp, i + 1);
        if (get_seconds(err, seq->items[i], ip, &v[i]))
            goto done;
    }
    if (dist_empirical_values(d, v, seq->n_items, why, sizeof why)) {
        fail(err, seq, kp, "bad empirical distribution: %s", why);
        goto done;
    }
    rc = 0;
done:
    free(v);
    return rc;
}

/* The mean (a duration) and cv (a number) of distribution map n at path, both
 * required. */
static int get_mean_cv(struct slsim_error *err, const struct ynode *n, const char *path,
                       const struct ynode *mean, const struct ynode *cv, double *m, double *c)
{
    char kp[KEY_MAX];
    if (!mean)
        return missing(err, n, path, "mean");
    if (!cv)
        return missing(err, n, path, "cv");
    path_join(kp, path, "mean");
    if (get_seconds(err, mean, kp, m))
        return -1;
    path_join(kp, path, "cv");
    return get_number(err, cv, kp, c);
}

/* A distribution of times: a plain duration (constant) or {dist: kind, ...}.
 * On success *out owns what the constructor allocated. */
static int parse_dist(struct slsim_error *err, const struct ynode *n, const char *path,
                      struct dist *out)
{
    char why[200], kp[KEY_MAX];
    struct dist d;
    memset(&d, 0, sizeof d);
    if (n->kind == YNODE_SCALAR && !ytree_is_null(n)) {
        double v;
        if (get_seconds(err, n, path, &v))
            return -1;
        if (dist_constant(&d, v, why, sizeof why))
            return fail(err, n, path, "bad constant distribution: %s", why);
        *out = d;
        return 0;
    }
    if (n->kind != YNODE_MAPPING)
        return fail(err, n, path, "expected a duration or a {dist: ...} mapping, got %s",
                    ytree_describe(n));
    if (check_keys(err, n, path, dist_keys, NULL, NULL))
        return -1;
    const struct ynode *kn = ytree_get(n, "dist");
    if (!kn)
        return missing(err, n, path, "dist");
    int ki;
    path_join(kp, path, "dist");
    if (get_enum(err, kn, kp, "distribution", dist_names, NULL, &ki))
        return -1;
    const char *kname = dist_names[ki];
    for (size_t i = 0; i < n->n_pairs; i++) {
        const struct ynode *k = n->pairs[i].key;
        if (strcmp(k->text, "dist") == 0 || in_list(k->text, dist_takes[ki]))
            continue;
        path_join(kp, path, k->text);
        return fail(err, k, kp, "key \"%s\" does not apply to dist: %s", k->text, kname);
    }

    const struct ynode *value = ytree_get(n, "value"), *mean = ytree_get(n, "mean"),
                       *cv = ytree_get(n, "cv"), *median = ytree_get(n, "median"),
                       *p99 = ytree_get(n, "p99");
    double m, c, q;
    int rc = 0;
    switch (dist_kinds[ki]) {
    case DIST_CONSTANT:
        if (value && mean) {
            path_join(kp, path, "mean");
            return fail(err, mean, kp, "give value or mean, not both");
        }
        if (!value && !mean)
            return missing(err, n, path, "value");
        path_join(kp, path, value ? "value" : "mean");
        if (get_seconds(err, value ? value : mean, kp, &m))
            return -1;
        rc = dist_constant(&d, m, why, sizeof why);
        break;
    case DIST_EXPONENTIAL:
        if (!mean)
            return missing(err, n, path, "mean");
        path_join(kp, path, "mean");
        if (get_seconds(err, mean, kp, &m))
            return -1;
        rc = dist_exponential(&d, m, why, sizeof why);
        break;
    case DIST_LOGNORMAL:
        if ((mean || cv) && (median || p99)) {
            const struct ynode *second = median ? median : p99;
            path_join(kp, path, median ? "median" : "p99");
            return fail(err, second, kp, "lognormal takes mean and cv, or median and p99, "
                                         "not both");
        }
        if (!mean && !cv && !median && !p99)
            return fail(err, n, path, "lognormal needs mean and cv, or median and p99");
        if (mean || cv) {
            if (get_mean_cv(err, n, path, mean, cv, &m, &c))
                return -1;
            rc = dist_lognormal_mean_cv(&d, m, c, why, sizeof why);
        } else {
            if (!median)
                return missing(err, n, path, "median");
            if (!p99)
                return missing(err, n, path, "p99");
            path_join(kp, path, "median");
            if (get_seconds(err, median, kp, &m))
                return -1;
            path_join(kp, path, "p99");
            if (get_seconds(err, p99, kp, &q))
                return -1;
            rc = dist_lognormal_median_p99(&d, m, q, why, sizeof why);
        }
        break;
    case DIST_GAMMA:
        if (get_mean_cv(err, n, path, mean, cv, &m, &c))
            return -1;
        rc = dist_gamma_mean_cv(&d, m, c, why, sizeof why);
        break;
    case DIST_EMPIRICAL: {
        const struct ynode *values = ytree_get(n, "values"), *pcts = ytree_get(n, "percentiles");
        if (values && pcts) {
            path_join(kp, path, "percentiles");
            return fail(err, pcts, kp, "give values or percentiles, not both");
        }
        if (!values && !pcts)
            return fail(err, n, path, "empirical needs values or percentiles");
        if (values ? empirical_values(err, values, path, &d)
                   : empirical_percentiles(err, pcts, path, &d))
            return -1;
        break;
    }
    }
    if (rc)
        return fail(err, n, path, "bad %s distribution: %s", kname, why);
    *out = d;
    return 0;
}

/* ---- sections ---- */

static const char *const top_keys[] = {"name",     "seed",        "duration", "warmup",
                                       "replications", "model",   "workload", "deployments",
                                       "slo",      NULL};
static const char *const top_later[] = {"pricing", NULL};
static const char *const model_keys[] = {"name", "size", "memory", "service", NULL};
static const char *const workload_keys[] = {"arrival",      "rate",   "duty_cycle", "period",
                                            "peak_to_mean", "spikes", NULL};
static const char *const workload_later[] = {"trace", NULL};
static const char *const arrival_names[] = {"poisson", "constant", "onoff", "diurnal", NULL};
static const enum arrival_kind arrival_kinds[] = {ARRIVAL_POISSON, ARRIVAL_CONSTANT,
                                                  ARRIVAL_ONOFF, ARRIVAL_DIURNAL};
static const char *const arrival_later[] = {"trace", "mmpp", NULL};
static const char *const spike_keys[] = {"at", "duration", "factor", NULL};
static const char *const deployment_keys[] = {
    "name",     "type",        "platform", "memory",    "keep_alive", "concurrency",
    "reserved", "on_throttle", "max_wait", "idle_pick", "coldstart",  "provisioned", NULL};
static const char *const deployment_later[] = {"instance", "count", "slots", "base",
                                               "overflow", NULL};
static const char *const type_names[] = {"serverless", NULL};
static const char *const type_later[] = {"dedicated", "hybrid", NULL};
static const char *const throttle_names[] = {"reject", "queue", NULL};
static const enum on_throttle throttle_values[] = {THROTTLE_REJECT, THROTTLE_QUEUE};
static const char *const idle_pick_names[] = {"mru", "newest", "lru", "random", NULL};
static const enum idle_pick idle_pick_values[] = {IDLE_PICK_MRU, IDLE_PICK_NEWEST,
                                                  IDLE_PICK_LRU, IDLE_PICK_RANDOM};
static const char *const coldstart_words[] = {"none", "default", NULL};
/* Only for did-you-mean on a misspelt slo key; any latency_pNN is accepted. */
static const char *const slo_examples[] = {"latency_p50", "latency_p90", "latency_p95",
                                           "latency_p99", "latency_p999", NULL};

static int parse_model(struct slsim_error *err, const struct ynode *root, struct model_spec *m,
                       int *has_service)
{
    const struct ynode *n = ytree_get(root, "model");
    snprintf(m->name, sizeof m->name, "model");
    m->size_bytes = 0;
    m->memory_bytes = DEFAULT_MODEL_MEMORY_BYTES;
    if (!n)
        return fail(err, root, "model", "missing required key \"model\" (at least "
                                        "model.service)");
    if (n->kind != YNODE_MAPPING)
        return fail(err, n, "model", "expected a mapping, got %s", ytree_describe(n));
    if (check_keys(err, n, "model", model_keys, NULL, NULL))
        return -1;
    const struct ynode *v;
    if ((v = ytree_get(n, "name")) && get_name(err, v, "model.name", NAME_TEXT, m->name))
        return -1;
    if ((v = ytree_get(n, "size")) && get_size(err, v, "model.size", &m->size_bytes))
        return -1;
    if ((v = ytree_get(n, "memory"))) {
        if (get_size(err, v, "model.memory", &m->memory_bytes))
            return -1;
        if (m->memory_bytes <= 0)
            return fail(err, v, "model.memory", "memory must be above 0 bytes");
    }
    if (!(v = ytree_get(n, "service")))
        return missing(err, n, "model", "service");
    if (parse_dist(err, v, "model.service", &m->service))
        return -1;
    *has_service = 1;
    return 0;
}

struct spike_at {
    struct spike sp;
    const struct ynode *node; /* for errors about overlaps */
    size_t index;             /* 1-based position in the file */
};

static int parse_spikes(struct slsim_error *err, const struct ynode *seq, struct workload_spec *w)
{
    const char *path = "workload.spikes";
    if (ytree_is_null(seq))
        return 0;
    if (seq->kind != YNODE_SEQUENCE)
        return fail(err, seq, path, "expected a sequence of {at, duration, factor}, got %s",
                    ytree_describe(seq));
    if (!seq->n_items)
        return 0;
    struct spike_at *sa = calloc(seq->n_items, sizeof *sa);
    if (!sa)
        return slsim_error_set(err, seq->src, seq->line, seq->column, path, "out of memory");
    int rc = -1;
    for (size_t i = 0; i < seq->n_items; i++) {
        const struct ynode *n = seq->items[i];
        char sp[KEY_MAX], kp[KEY_MAX];
        path_index(sp, path, i + 1);
        if (n->kind != YNODE_MAPPING) {
            fail(err, n, sp, "expected a mapping {at, duration, factor}, got %s",
                 ytree_describe(n));
            goto done;
        }
        if (check_keys(err, n, sp, spike_keys, NULL, NULL))
            goto done;
        for (size_t k = 0; spike_keys[k]; k++)
            if (!ytree_get(n, spike_keys[k])) {
                missing(err, n, sp, spike_keys[k]);
                goto done;
            }
        struct spike *s = &sa[i].sp;
        const struct ynode *v = ytree_get(n, "at");
        path_join(kp, sp, "at");
        if (get_duration(err, v, kp, 0, &s->at_ns))
            goto done;
        v = ytree_get(n, "duration");
        path_join(kp, sp, "duration");
        if (get_duration(err, v, kp, 0, &s->duration_ns))
            goto done;
        if (s->duration_ns <= 0) {
            fail(err, v, kp, "a spike's duration must be above 0");
            goto done;
        }
        v = ytree_get(n, "factor");
        path_join(kp, sp, "factor");
        if (get_number(err, v, kp, &s->factor))
            goto done;
        if (!(s->factor > 0)) {
            fail(err, v, kp, "factor must be above 0, got %s", v->text);
            goto done;
        }
        sa[i].node = n;
        sa[i].index = i + 1;
    }
    /* Insertion sort: stable, and a scenario has a handful of spikes. */
    for (size_t i = 1; i < seq->n_items; i++) {
        struct spike_at t = sa[i];
        size_t j = i;
        for (; j > 0 && sa[j - 1].sp.at_ns > t.sp.at_ns; j--)
            sa[j] = sa[j - 1];
        sa[j] = t;
    }
    /* Overlaps would make "factor" ambiguous (multiply? replace?); say no. */
    for (size_t i = 1; i < seq->n_items; i++) {
        const struct spike *a = &sa[i - 1].sp, *b = &sa[i].sp;
        if (b->at_ns - a->at_ns < a->duration_ns) {
            char sp[KEY_MAX], at[32], end[32];
            path_index(sp, path, sa[i].index);
            units_format_duration(b->at_ns, at, sizeof at);
            units_format_duration(a->at_ns + a->duration_ns, end, sizeof end);
            fail(err, sa[i].node, sp, "spike at %s overlaps %s[%zu], which lasts until %s", at,
                 path, sa[i - 1].index, end);
            goto done;
        }
    }
    w->spikes = calloc(seq->n_items, sizeof *w->spikes);
    if (!w->spikes) {
        slsim_error_set(err, seq->src, seq->line, seq->column, path, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < seq->n_items; i++)
        w->spikes[i] = sa[i].sp;
    w->n_spikes = seq->n_items;
    rc = 0;
done:
    free(sa);
    return rc;
}

static int parse_workload(struct slsim_error *err, const struct ynode *root,
                          struct workload_spec *w)
{
    const struct ynode *n = ytree_get(root, "workload"), *v;
    if (!n)
        return fail(err, root, "workload", "missing required key \"workload\"");
    if (n->kind != YNODE_MAPPING)
        return fail(err, n, "workload", "expected a mapping, got %s", ytree_describe(n));
    if (check_keys(err, n, "workload", workload_keys, workload_later,
                   " (trace replay comes in a later version)"))
        return -1;
    if (!(v = ytree_get(n, "arrival")))
        return missing(err, n, "workload", "arrival");
    int ai;
    if (get_enum(err, v, "workload.arrival", "arrival", arrival_names, arrival_later, &ai))
        return -1;
    w->arrival = arrival_kinds[ai];
    if (!(v = ytree_get(n, "rate")))
        return missing(err, n, "workload", "rate");
    if (get_rate(err, v, "workload.rate", &w->rate_per_s))
        return -1;
    if (!(w->rate_per_s > 0))
        return fail(err, v, "workload.rate", "rate must be above 0, got %s", v->text);

    /* Values that keep a pattern that lacks the key meaning "flat": always active, no
     * peak. Giving the key anyway is an error: the user expected it to do something. */
    int onoff = w->arrival == ARRIVAL_ONOFF, diurnal = w->arrival == ARRIVAL_DIURNAL;
    w->duty_cycle = 1.0;
    w->period_ns = 0;
    w->peak_to_mean = 1.0;
    if ((v = ytree_get(n, "duty_cycle"))) {
        if (!onoff)
            return fail(err, v, "workload.duty_cycle",
                        "duty_cycle applies only to arrival: onoff (arrival is %s)",
                        arrival_names[ai]);
        if (get_number(err, v, "workload.duty_cycle", &w->duty_cycle))
            return -1;
        if (!(w->duty_cycle > 0 && w->duty_cycle <= 1))
            return fail(err, v, "workload.duty_cycle",
                        "duty_cycle must be above 0 and at most 1, got %s", v->text);
    } else if (onoff) {
        return missing(err, n, "workload", "duty_cycle");
    }
    if ((v = ytree_get(n, "period"))) {
        if (!onoff && !diurnal)
            return fail(err, v, "workload.period",
                        "period applies only to arrival: onoff or diurnal (arrival is %s)",
                        arrival_names[ai]);
        if (get_duration(err, v, "workload.period", 0, &w->period_ns))
            return -1;
        if (w->period_ns <= 0)
            return fail(err, v, "workload.period", "period must be above 0");
    } else if (onoff || diurnal) {
        return missing(err, n, "workload", "period");
    }
    if (diurnal)
        w->peak_to_mean = DEFAULT_PEAK_TO_MEAN;
    if ((v = ytree_get(n, "peak_to_mean"))) {
        if (!diurnal)
            return fail(err, v, "workload.peak_to_mean",
                        "peak_to_mean applies only to arrival: diurnal (arrival is %s)",
                        arrival_names[ai]);
        if (get_number(err, v, "workload.peak_to_mean", &w->peak_to_mean))
            return -1;
        if (!(w->peak_to_mean >= 1))
            return fail(err, v, "workload.peak_to_mean",
                        "peak_to_mean must be at least 1, got %s", v->text);
    }
    if ((v = ytree_get(n, "spikes")) && parse_spikes(err, v, w))
        return -1;
    return 0;
}

static int parse_coldstart(struct slsim_error *err, const struct ynode *v, const char *kp,
                           struct deployment_spec *d)
{
    if (v->kind == YNODE_SCALAR && !ytree_is_null(v)) {
        if (strcmp(v->text, "none") == 0) {
            d->coldstart = COLDSTART_NONE;
            return 0;
        }
        if (strcmp(v->text, "default") == 0) {
            d->coldstart = COLDSTART_DEFAULT;
            return 0;
        }
        sim_time ns;
        char why[200];
        if (units_parse_duration(v->text, &ns, why, sizeof why)) {
            const char *s = suggest(v->text, coldstart_words);
            if (s)
                return fail(err, v, kp, "unknown coldstart \"%s\"; did you mean \"%s\"? "
                            "expected none, default, a duration or {dist: ...}", v->text, s);
            return fail(err, v, kp, "expected none, default, a duration or {dist: ...}, got "
                        "\"%s\" (%s)", v->text, why);
        }
    }
    if (parse_dist(err, v, kp, &d->coldstart_dist))
        return -1;
    d->coldstart = COLDSTART_DIST;
    return 0;
}

/* The name a deployment is known by before validation: `name`, else <type>-<index>.
 * --set uses the same rule, so `deployments.serverless-2.memory=1GB` works. */
static void default_deployment_name(const struct ynode *n, size_t index1, char *out, size_t len)
{
    const struct ynode *t = ytree_get(n, "type");
    const char *type = t && t->kind == YNODE_SCALAR && !ytree_is_null(t) ? t->text : "serverless";
    snprintf(out, len, "%.40s-%zu", type, index1);
}

/* The platform profile must exist and accept the deployment (memory limits,
 * concurrency, a cold-start profile for `coldstart: default`). The platform module
 * words the message; the position is the offending key's, or the deployment's
 * when the value was a default. */
static int check_platform(struct slsim_error *err, const struct ynode *n,
                          const struct scenario *s, const struct deployment_spec *d)
{
    const struct platform_profile *prof = platform_profile_find(d->platform);
    struct coldstart_model cm;
    if (platform_check_deployment(d, prof, n->src, err) == 0) {
        if (coldstart_model_init(&cm, d, prof, s->model.size_bytes, err) == 0) {
            coldstart_model_free(&cm);
            return 0;
        }
    }
    const char *leaf = strrchr(err->key, '.');
    const struct ynode *at = leaf ? ytree_get(n, leaf + 1) : NULL;
    if (!at)
        at = n;
    err->line = at->line;
    err->column = at->column;
    return -1;
}

static int parse_deployment(struct slsim_error *err, const struct ynode *n, size_t index1,
                            const struct scenario *s, struct deployment_spec *d)
{
    char path[KEY_MAX], kp[KEY_MAX];
    snprintf(path, sizeof path, "deployments[%zu]", index1);
    d->type = DEPLOYMENT_SERVERLESS;
    snprintf(d->platform, sizeof d->platform, "generic");
    d->memory_bytes = s->model.memory_bytes;
    d->keep_alive_ns = DEFAULT_KEEP_ALIVE_NS;
    d->keep_alive_set = 0;
    d->concurrency = 1;
    d->reserved = 0;
    d->on_throttle = THROTTLE_REJECT;
    d->max_wait_ns = SIM_TIME_FOREVER;
    d->idle_pick = IDLE_PICK_MRU;
    d->coldstart = COLDSTART_DEFAULT;
    if (n->kind != YNODE_MAPPING)
        return fail(err, n, path, "expected a deployment mapping, got %s", ytree_describe(n));

    /* Address the deployment by name in errors as soon as the name is readable. */
    const struct ynode *nm = ytree_get(n, "name"), *tn = ytree_get(n, "type");
    if (nm && nm->kind == YNODE_SCALAR && is_ident(nm->text, 0) &&
        strlen(nm->text) < SCENARIO_NAME_MAX) {
        snprintf(path, sizeof path, "deployments.%s", nm->text);
    } else if (!nm && (!tn || (tn->kind == YNODE_SCALAR && in_list(tn->text, type_names)))) {
        default_deployment_name(n, index1, d->name, sizeof d->name);
        snprintf(path, sizeof path, "deployments.%s", d->name);
    }
    if (check_keys(err, n, path, deployment_keys, deployment_later,
                   " (dedicated and hybrid deployments come in a later version)"))
        return -1;
    if (nm) {
        path_join(kp, path, "name");
        if (get_name(err, nm, kp, NAME_IDENT, d->name))
            return -1;
    }
    const struct ynode *v;
    if ((v = ytree_get(n, "type"))) {
        int ti;
        path_join(kp, path, "type");
        if (get_enum(err, v, kp, "deployment type", type_names, type_later, &ti))
            return -1;
    }
    if (!nm) {
        default_deployment_name(n, index1, d->name, sizeof d->name);
        snprintf(path, sizeof path, "deployments.%s", d->name);
    }
    if (nm)
        path_join(kp, path, "name");
    for (size_t i = 0; i + 1 < index1; i++)
        if (strcmp(s->deployments[i].name, d->name) == 0)
            return fail(err, nm ? nm : n, nm ? kp : path,
                        "duplicate deployment name \"%s\" (deployments[%zu] has it too)",
                        d->name, i + 1);

    if ((v = ytree_get(n, "platform"))) {
        path_join(kp, path, "platform");
        if (get_name(err, v, kp, NAME_IDENT_DOT, d->platform))
            return -1;
    }
    if ((v = ytree_get(n, "memory"))) {
        path_join(kp, path, "memory");
        if (get_size(err, v, kp, &d->memory_bytes))
            return -1;
        if (d->memory_bytes <= 0)
            return fail(err, v, kp, "memory must be above 0 bytes");
    }
    if ((v = ytree_get(n, "keep_alive"))) {
        path_join(kp, path, "keep_alive");
        if (v->kind == YNODE_MAPPING)
            return fail(err, v, kp, "keep_alive policies are not supported in this version of "
                                    "slsim; give a duration or forever");
        if (get_duration(err, v, kp, 1, &d->keep_alive_ns))
            return -1;
        d->keep_alive_set = 1;
    }
    if ((v = ytree_get(n, "concurrency"))) {
        path_join(kp, path, "concurrency");
        if (get_u32_range(err, v, kp, 1, MAX_CONCURRENCY, &d->concurrency))
            return -1;
    }
    if ((v = ytree_get(n, "reserved"))) {
        path_join(kp, path, "reserved");
        if (get_u32_range(err, v, kp, 0, MAX_RESERVED, &d->reserved))
            return -1;
    }
    if ((v = ytree_get(n, "provisioned"))) {
        /* Accepted as 0 so that files written for later versions, which say it
         * explicitly, still load when they keep nothing warm. */
        uint64_t p;
        path_join(kp, path, "provisioned");
        if (v->kind != YNODE_SCALAR || get_u64(err, v, kp, &p) || p != 0)
            return fail(err, v, kp, "provisioned instances are not supported in this version "
                                    "of slsim (only provisioned: 0)");
    }
    if ((v = ytree_get(n, "on_throttle"))) {
        int ti;
        path_join(kp, path, "on_throttle");
        if (get_enum(err, v, kp, "on_throttle", throttle_names, NULL, &ti))
            return -1;
        d->on_throttle = throttle_values[ti];
    }
    if ((v = ytree_get(n, "max_wait"))) {
        path_join(kp, path, "max_wait");
        if (d->on_throttle != THROTTLE_QUEUE)
            return fail(err, v, kp, "max_wait applies only with on_throttle: queue");
        if (get_duration(err, v, kp, 1, &d->max_wait_ns))
            return -1;
    }
    if ((v = ytree_get(n, "idle_pick"))) {
        int pi;
        path_join(kp, path, "idle_pick");
        if (get_enum(err, v, kp, "idle_pick", idle_pick_names, NULL, &pi))
            return -1;
        d->idle_pick = idle_pick_values[pi];
    }
    if ((v = ytree_get(n, "coldstart"))) {
        path_join(kp, path, "coldstart");
        if (parse_coldstart(err, v, kp, d))
            return -1;
    }
    return check_platform(err, n, s, d);
}

static int parse_deployments(struct slsim_error *err, const struct ynode *root,
                             struct scenario *s)
{
    const struct ynode *n = ytree_get(root, "deployments");
    if (!n)
        return fail(err, root, "deployments", "missing required key \"deployments\" (at "
                                              "least one deployment)");
    if (ytree_is_null(n) || (n->kind == YNODE_SEQUENCE && n->n_items == 0))
        return fail(err, n, "deployments", "at least one deployment is required");
    if (n->kind != YNODE_SEQUENCE)
        return fail(err, n, "deployments", "expected a sequence of deployments, got %s",
                    ytree_describe(n));
    s->deployments = calloc(n->n_items, sizeof *s->deployments);
    if (!s->deployments)
        return slsim_error_set(err, n->src, n->line, n->column, "deployments", "out of memory");
    for (size_t i = 0; i < n->n_items; i++) {
        /* Counted before parsing, so scenario_destroy frees a half-filled one. */
        s->n_deployments = i + 1;
        if (parse_deployment(err, n->items[i], i + 1, s, &s->deployments[i]))
            return -1;
    }
    return 0;
}

/* latency_p99 -> 99, latency_p999 -> 99.9, latency_p99.9 -> 99.9, latency_p50 -> 50:
 * digits after the first two are decimals, the way p999 is read in the literature. */
static int slo_percentile(const char *key, double *out)
{
    const char *prefix = "latency_p";
    if (strncmp(key, prefix, strlen(prefix)) != 0)
        return -1;
    const char *d = key + strlen(prefix);
    size_t nd = strspn(d, "0123456789");
    if (nd == 0)
        return -1;
    if (d[nd] == '.') {
        size_t nf = strspn(d + nd + 1, "0123456789");
        if (nf == 0 || d[nd + 1 + nf] != '\0')
            return -1;
        *out = strtod(d, NULL);
        return 0;
    }
    if (d[nd] != '\0')
        return -1;
    if (nd <= 2 || strncmp(d, "100", 3) == 0) {
        *out = strtod(d, NULL);
        return 0;
    }
    char buf[40];
    snprintf(buf, sizeof buf, "%.2s.%.30s", d, d + 2);
    *out = strtod(buf, NULL);
    return 0;
}

static int parse_slo(struct slsim_error *err, const struct ynode *n, struct slo_spec *slo)
{
    if (ytree_is_null(n))
        return 0;
    if (n->kind != YNODE_MAPPING)
        return fail(err, n, "slo", "expected a mapping such as {latency_p99: 500ms}, got %s",
                    ytree_describe(n));
    const struct ynode *first = NULL;
    for (size_t i = 0; i < n->n_pairs; i++) {
        const struct ynode *k = n->pairs[i].key, *v = n->pairs[i].value;
        char kp[KEY_MAX];
        path_join(kp, "slo", k->text);
        double pct;
        if (slo_percentile(k->text, &pct)) {
            const char *s = suggest(k->text, slo_examples);
            if (s)
                return fail(err, k, kp, "unknown key \"%s\"; did you mean \"%s\"?", k->text, s);
            return fail(err, k, kp, "unknown key \"%s\"; expected latency_pNN such as "
                                    "latency_p99 or latency_p99.9", k->text);
        }
        if (first)
            return fail(err, k, kp, "only one latency objective is supported; slo already has "
                                    "%s (%s:%d:%d)", first->text, first->src, first->line,
                        first->column);
        first = k;
        if (!(pct > 0 && pct < 100))
            return fail(err, k, kp, "the percentile of %s must be above 0 and below 100",
                        k->text);
        if (get_duration(err, v, kp, 0, &slo->latency_ns))
            return -1;
        if (slo->latency_ns <= 0)
            return fail(err, v, kp, "latency objective must be above 0");
        slo->percentile = pct;
    }
    return 0;
}

static void default_name(const char *path, char out[SCENARIO_NAME_MAX])
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
        len -= 5;
    else if (len > 4 && strcmp(base + len - 4, ".yml") == 0)
        len -= 4;
    /* A longer file name is cut: the name is only a label. */
    if (len >= SCENARIO_NAME_MAX)
        len = SCENARIO_NAME_MAX - 1;
    memcpy(out, base, len);
    out[len] = '\0';
}

static int parse_scenario(struct slsim_error *err, const struct ynode *root, struct scenario *s)
{
    if (check_keys(err, root, "", top_keys, top_later,
                   " (pricing comes in a later version)"))
        return -1;
    const struct ynode *v;
    if ((v = ytree_get(root, "name")) && get_name(err, v, "name", NAME_TEXT, s->name))
        return -1;
    s->seed = 1;
    if ((v = ytree_get(root, "seed")) && get_u64(err, v, "seed", &s->seed))
        return -1;
    if (!(v = ytree_get(root, "duration")))
        return missing(err, root, "", "duration");
    if (get_duration(err, v, "duration", 0, &s->duration_ns))
        return -1;
    if (s->duration_ns <= 0)
        return fail(err, v, "duration", "duration must be above 0");
    s->warmup_ns = 0;
    if ((v = ytree_get(root, "warmup"))) {
        if (get_duration(err, v, "warmup", 1, &s->warmup_ns))
            return -1;
        if (s->warmup_ns >= s->duration_ns) {
            char dur[32];
            units_format_duration(s->duration_ns, dur, sizeof dur);
            return fail(err, v, "warmup", "warmup must be shorter than duration (%s)", dur);
        }
    }
    s->replications = 1;
    if ((v = ytree_get(root, "replications")) &&
        get_u32_range(err, v, "replications", 1, MAX_REPLICATIONS, &s->replications))
        return -1;
    int has_service = 0;
    if (parse_model(err, root, &s->model, &has_service))
        return -1;
    if (parse_workload(err, root, &s->workload))
        return -1;
    if (parse_deployments(err, root, s))
        return -1;
    if ((v = ytree_get(root, "slo")) && parse_slo(err, v, &s->slo))
        return -1;
    return 0;
}

/* ---- --set ---- */

/* One step of an override path: a key (in a mapping, or a name in a sequence) or a
 * 1-based [index] into a sequence. */
struct step {
    char text[KEY_MAX]; /* key or name; empty for an index */
    size_t index;       /* 1-based, 0 for a key */
    int column;         /* 1-based position in the override text */
    size_t prefix_len;  /* length of the path before this step, for messages */
};

#define MAX_STEPS 32

static int set_fail(struct slsim_error *err, int column, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int set_fail(struct slsim_error *err, int column, const char *key, const char *fmt, ...)
{
    char msg[sizeof err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return slsim_error_set(err, "--set", 1, column, key, "%s", msg);
}

/* Split "a.b[2].c" into steps. A dot after "slo." belongs to the key, because
 * latency_p99.9 is one key. */
static int split_path(struct slsim_error *err, const char *key, struct step *steps, size_t *n)
{
    size_t len = strlen(key), i = 0;
    *n = 0;
    while (i <= len) {
        size_t start = i;
        int whole = *n == 1 && strcmp(steps[0].text, "slo") == 0;
        while (i < len && key[i] != '[' && (whole || key[i] != '.'))
            i++;
        if (i == start)
            return set_fail(err, (int)start + 1, key, "empty key in \"%s\"", key);
        if (*n + 1 >= MAX_STEPS || i - start >= KEY_MAX)
            return set_fail(err, (int)start + 1, key, "key path too long");
        struct step *st = &steps[(*n)++];
        memcpy(st->text, key + start, i - start);
        st->text[i - start] = '\0';
        st->index = 0;
        st->column = (int)start + 1;
        st->prefix_len = start ? start - 1 : 0;
        while (i < len && key[i] == '[') {
            size_t open = i++;
            size_t v = 0, digits = 0;
            for (; i < len && key[i] >= '0' && key[i] <= '9' && digits < 9; i++, digits++)
                v = v * 10 + (size_t)(key[i] - '0');
            if (!digits || i >= len || key[i] != ']' || v == 0)
                return set_fail(err, (int)open + 1, key,
                                "expected [N] with N a number from 1, e.g. spikes[1]");
            i++;
            if (*n + 1 >= MAX_STEPS)
                return set_fail(err, (int)open + 1, key, "key path too long");
            st = &steps[(*n)++];
            st->text[0] = '\0';
            st->index = v;
            st->column = (int)open + 1;
            st->prefix_len = open;
        }
        if (i < len && key[i] != '.')
            return set_fail(err, (int)i + 1, key, "expected '.' or '=' after ']'");
        if (i == len)
            break;
        i++; /* the dot */
        if (i == len)
            return set_fail(err, (int)i + 1, key, "empty key at the end of \"%s\"", key);
    }
    return 0;
}

/* Name of item i of a sequence, as --set addresses it: its `name`, or for
 * deployments the default <type>-<index>. */
static void item_name(const struct ynode *item, size_t i, int is_deployments, char *out,
                      size_t len)
{
    const struct ynode *nm = ytree_get(item, "name");
    out[0] = '\0';
    if (nm && nm->kind == YNODE_SCALAR)
        snprintf(out, len, "%s", nm->text);
    else if (is_deployments && item->kind == YNODE_MAPPING)
        default_deployment_name(item, i + 1, out, len);
}

static int apply_set(struct slsim_error *err, struct ynode **root, const char *set)
{
    const char *eq = strchr(set, '=');
    if (!eq)
        return set_fail(err, (int)strlen(set) + 1, set,
                        "expected key=value, such as workload.rate=50/s; no '=' in \"%s\"", set);
    char key[KEY_MAX];
    size_t klen = (size_t)(eq - set);
    if (klen == 0)
        return set_fail(err, 1, "", "no key before '=' in \"%s\"", set);
    if (klen >= KEY_MAX)
        return set_fail(err, 1, "", "key path longer than %d characters", KEY_MAX - 1);
    memcpy(key, set, klen);
    key[klen] = '\0';

    struct step steps[MAX_STEPS];
    size_t n;
    if (split_path(err, key, steps, &n))
        return -1;
    const char *text = eq + 1;
    struct ynode *value = ytree_parse(text, strlen(text), "--set", (int)(text - set), key, err);
    if (!value)
        return -1;
    /* A null value (`key=` or `key=~`) removes the key, so an override can take back
     * a key of the file, such as duty_cycle when switching arrival to poisson. */
    int remove = ytree_is_null(value);

    struct ynode **slot = root;
    for (size_t i = 0; i < n; i++) {
        const struct step *st = &steps[i];
        struct ynode *cur = *slot;
        int last = i + 1 == n;
        char prefix[KEY_MAX];
        snprintf(prefix, sizeof prefix, "%.*s", (int)st->prefix_len, key);

        if (st->index) {
            if (cur->kind != YNODE_SEQUENCE) {
                set_fail(err, st->column, key, "%s is %s, not a sequence", prefix,
                         ytree_describe(cur));
                goto fail;
            }
            if (st->index > cur->n_items) {
                set_fail(err, st->column, key, "%s has %zu items; no item %zu", prefix,
                         cur->n_items, st->index);
                goto fail;
            }
            if (!last) {
                slot = &cur->items[st->index - 1];
                continue;
            }
            if (remove)
                ytree_seq_remove(cur, st->index - 1);
            else
                ytree_seq_replace(cur, st->index - 1, value);
            goto done;
        }

        if (cur->kind == YNODE_SEQUENCE) {
            int is_dep = i == 1 && strcmp(steps[0].text, "deployments") == 0;
            size_t found = SIZE_MAX;
            char names[300] = "", nm[SCENARIO_NAME_MAX + 40];
            size_t w = 0;
            for (size_t j = 0; j < cur->n_items; j++) {
                item_name(cur->items[j], j, is_dep, nm, sizeof nm);
                if (found == SIZE_MAX && strcmp(nm, st->text) == 0)
                    found = j;
                if (nm[0] && w < sizeof names) {
                    int k = snprintf(names + w, sizeof names - w, "%s%s", w ? ", " : "", nm);
                    if (k > 0)
                        w += (size_t)k;
                }
            }
            if (found == SIZE_MAX) {
                if (is_dep)
                    set_fail(err, st->column, key, "no deployment named \"%s\"; %s%s", st->text,
                             w ? "deployments are: " : "there are no deployments", names);
                else
                    set_fail(err, st->column, key, "no item named \"%s\" in %s; address items "
                             "by index, such as %s[1]", st->text, prefix, prefix);
                goto fail;
            }
            if (!last) {
                slot = &cur->items[found];
                continue;
            }
            if (remove)
                ytree_seq_remove(cur, found);
            else
                ytree_seq_replace(cur, found, value);
            goto done;
        }

        if (ytree_is_null(cur) && !remove) {
            /* `model:` left empty in the file: the override fills it in. */
            struct ynode *m = ytree_new_mapping("--set", 1, st->column);
            if (!m)
                goto oom;
            ytree_free(cur);
            *slot = cur = m;
        }
        if (cur->kind != YNODE_MAPPING) {
            set_fail(err, st->column, key, "%s is %s; it has no key \"%s\"", prefix,
                     ytree_describe(cur), st->text);
            goto fail;
        }
        long at = ytree_find(cur, st->text);
        if (last) {
            if (remove) {
                if (at >= 0)
                    ytree_map_remove(cur, (size_t)at);
                goto done;
            }
            struct ynode *k = ytree_new_scalar(st->text, "--set", 1, st->column);
            if (!k)
                goto oom;
            if (ytree_map_put(cur, k, value)) {
                value = NULL; /* freed by ytree_map_put */
                goto oom;
            }
            return 0;
        }
        if (at < 0) {
            if (remove)
                goto done; /* removing inside something absent: nothing to do */
            if (steps[i + 1].index) {
                set_fail(err, st->column, key, "there is no sequence %.*s to index",
                         (int)steps[i + 1].prefix_len, key);
                goto fail;
            }
            /* A new key; if it is not one the scenario knows, validation says so. */
            struct ynode *k = ytree_new_scalar(st->text, "--set", 1, st->column);
            struct ynode *m = ytree_new_mapping("--set", 1, st->column);
            if (!k || !m) {
                ytree_free(k);
                ytree_free(m);
                goto oom;
            }
            if (ytree_map_put(cur, k, m))
                goto oom;
            at = (long)cur->n_pairs - 1;
        }
        slot = &cur->pairs[at].value;
    }
done:
    if (remove)
        ytree_free(value);
    return 0;
oom:
    set_fail(err, 1, key, "out of memory");
fail:
    ytree_free(value);
    return -1;
}

/* ---- loading ---- */

static char *read_file(const char *path, size_t *len, struct slsim_error *err)
{
    char why[128];
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (strerror_r(errno, why, sizeof why))
            snprintf(why, sizeof why, "error %d", errno);
        slsim_error_set(err, path, 0, 0, NULL, "cannot open scenario file: %s", why);
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n == cap) {
            char *b = realloc(buf, cap * 2);
            if (!b) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = b;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (!buf) {
        fclose(f);
        slsim_error_set(err, path, 0, 0, NULL, "out of memory reading the scenario file");
        return NULL;
    }
    if (ferror(f)) {
        int e = errno;
        if (strerror_r(e, why, sizeof why))
            snprintf(why, sizeof why, "error %d", e);
        fclose(f);
        free(buf);
        slsim_error_set(err, path, 0, 0, NULL, "cannot read scenario file: %s", why);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

int scenario_load(const char *path, const char *const *sets, size_t n_sets,
                  struct scenario **out, struct slsim_error *err)
{
    *out = NULL;
    if (strlen(path) >= sizeof ((struct scenario *)0)->path)
        return slsim_error_set(err, NULL, 0, 0, NULL, "scenario path is too long");
    size_t len;
    char *text = read_file(path, &len, err);
    if (!text)
        return -1;
    struct ynode *root = ytree_parse(text, len, path, -1, NULL, err);
    free(text);
    if (!root)
        return -1;
    if (root->kind != YNODE_MAPPING) {
        fail(err, root, NULL, "expected a mapping of scenario keys (duration, model, workload, "
                              "deployments, ...), got %s", ytree_describe(root));
        ytree_free(root);
        return -1;
    }
    for (size_t i = 0; i < n_sets; i++)
        if (apply_set(err, &root, sets[i])) {
            ytree_free(root);
            return -1;
        }

    struct scenario *s = calloc(1, sizeof *s);
    if (!s) {
        ytree_free(root);
        return slsim_error_set(err, path, 0, 0, NULL, "out of memory");
    }
    memcpy(s->path, path, strlen(path) + 1);
    default_name(path, s->name);
    int rc = parse_scenario(err, root, s);
    ytree_free(root);
    if (rc) {
        scenario_destroy(s);
        return -1;
    }
    *out = s;
    return 0;
}

void scenario_destroy(struct scenario *s)
{
    if (!s)
        return;
    dist_free(&s->model.service);
    free(s->workload.spikes);
    for (size_t i = 0; i < s->n_deployments; i++)
        if (s->deployments[i].coldstart == COLDSTART_DIST)
            dist_free(&s->deployments[i].coldstart_dist);
    free(s->deployments);
    free(s);
}

const char *scenario_arrival_name(enum arrival_kind k)
{
    for (size_t i = 0; i < sizeof arrival_kinds / sizeof *arrival_kinds; i++)
        if (arrival_kinds[i] == k)
            return arrival_names[i];
    return "?";
}

const char *scenario_idle_pick_name(enum idle_pick p)
{
    for (size_t i = 0; i < sizeof idle_pick_values / sizeof *idle_pick_values; i++)
        if (idle_pick_values[i] == p)
            return idle_pick_names[i];
    return "?";
}

const char *scenario_on_throttle_name(enum on_throttle t)
{
    for (size_t i = 0; i < sizeof throttle_values / sizeof *throttle_values; i++)
        if (throttle_values[i] == t)
            return throttle_names[i];
    return "?";
}
