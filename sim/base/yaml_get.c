/* yaml_get.c - reading typed, checked values out of a position-keeping YAML tree.
 *
 * Shared by the scenario and catalog loaders so that both report problems the same
 * way: file:line:column, the dotted key path, a "did you mean" for near-miss keys
 * and values, and the accepted forms of every unit. Each getter returns 0, or -1
 * with err filled at the offending node. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "yaml_get.h"

int cfg_fail(struct slsim_error *err, const struct ynode *at, const char *key,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    slsim_error_vset(err, at->src, at->line, at->column, key, fmt, ap);
    va_end(ap);
    return -1;
}

/* parent.key, cut to KEY_MAX - 1 characters: a cut path still points the right way. */
void cfg_path_join(char *out, const char *parent, const char *key)
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
void cfg_path_index(char *out, const char *parent, size_t index1)
{
    char idx[32];
    snprintf(idx, sizeof idx, "[%zu]", index1);
    cfg_path_join(out, parent, "");
    size_t w = strlen(out);
    if (parent[0])
        out[--w] = '\0'; /* path_join added a dot */
    for (const char *p = idx; *p && w < KEY_MAX - 1; p++)
        out[w++] = *p;
    out[w] = '\0';
}

/* ---- did you mean ---- */

static size_t cfg_levenshtein(const char *a, const char *b)
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
const char *cfg_suggest(const char *word, const char *const *cands)
{
    const char *best = NULL;
    size_t bestd = SIZE_MAX;
    for (size_t i = 0; cands && cands[i]; i++) {
        size_t d = cfg_levenshtein(word, cands[i]);
        size_t lc = strlen(cands[i]), lw = strlen(word);
        size_t limit = lc / 3 > 2 ? lc / 3 : 2;
        if (d <= limit && d < (lc > lw ? lc : lw) && d < bestd) {
            best = cands[i];
            bestd = d;
        }
    }
    return best;
}

int cfg_in_list(const char *word, const char *const *list)
{
    for (size_t i = 0; list && list[i]; i++)
        if (strcmp(word, list[i]) == 0)
            return 1;
    return 0;
}

void cfg_join_list(char *out, size_t n, const char *const *list)
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

/* Check the keys of mapping map at path: each known, none twice. */
int cfg_check_keys(struct slsim_error *err, const struct ynode *map, const char *path,
                   const char *const *known)
{
    for (size_t i = 0; i < map->n_pairs; i++) {
        const struct ynode *k = map->pairs[i].key;
        char kp[KEY_MAX];
        cfg_path_join(kp, path, k->text);
        for (size_t j = 0; j < i; j++)
            if (strcmp(map->pairs[j].key->text, k->text) == 0)
                return cfg_fail(err, k, kp, "duplicate key \"%s\" (first given at line %d)",
                            k->text, map->pairs[j].key->line);
        if (cfg_in_list(k->text, known))
            continue;
        const char *s = cfg_suggest(k->text, known);
        if (s)
            return cfg_fail(err, k, kp, "unknown key \"%s\"; did you mean \"%s\"?", k->text, s);
        char all[400];
        cfg_join_list(all, sizeof all, known);
        return cfg_fail(err, k, kp, "unknown key \"%s\"; expected one of: %s", k->text, all);
    }
    return 0;
}

int cfg_missing(struct slsim_error *err, const struct ynode *parent, const char *path,
                   const char *key)
{
    char kp[KEY_MAX];
    cfg_path_join(kp, path, key);
    return cfg_fail(err, parent, kp, "missing required key \"%s\"", key);
}

/* ---- scalars ---- */

const char *cfg_want_scalar(struct slsim_error *err, const struct ynode *n, const char *key,
                               const char *what)
{
    if (n->kind != YNODE_SCALAR || ytree_is_null(n)) {
        cfg_fail(err, n, key, "expected %s, got %s", what, ytree_describe(n));
        return NULL;
    }
    return n->text;
}

int cfg_get_duration(struct slsim_error *err, const struct ynode *n, const char *key,
                        int allow_forever, sim_time *out)
{
    const char *t = cfg_want_scalar(err, n, key, "a duration");
    char why[200];
    if (!t)
        return -1;
    if (units_parse_duration(t, out, why, sizeof why))
        return cfg_fail(err, n, key, "%s", why);
    if (!allow_forever && *out == SIM_TIME_FOREVER)
        return cfg_fail(err, n, key, "expected a finite duration, got \"%s\"", t);
    return 0;
}

/* A finite duration in seconds, for distribution parameters. */
int cfg_get_seconds(struct slsim_error *err, const struct ynode *n, const char *key,
                       double *out_s)
{
    sim_time ns;
    if (cfg_get_duration(err, n, key, 0, &ns))
        return -1;
    *out_s = (double)ns / (double)SIM_NS_PER_S;
    return 0;
}

int cfg_get_size(struct slsim_error *err, const struct ynode *n, const char *key,
                    int64_t *out)
{
    const char *t = cfg_want_scalar(err, n, key, "a size");
    char why[200];
    if (!t)
        return -1;
    if (units_parse_size(t, out, why, sizeof why))
        return cfg_fail(err, n, key, "%s", why);
    return 0;
}

/* A scalar read by one of the double-valued unit parsers; what names the expected
 * kind in the error ("a rate"). */
static int cfg_get_parsed(struct slsim_error *err, const struct ynode *n, const char *key,
                      const char *what, int (*parse)(const char *, double *, char *, size_t),
                      double *out)
{
    const char *t = cfg_want_scalar(err, n, key, what);
    char why[200];
    if (!t)
        return -1;
    if (parse(t, out, why, sizeof why))
        return cfg_fail(err, n, key, "%s", why);
    if (!isfinite(*out))
        return cfg_fail(err, n, key, "%s must be finite, got \"%s\"", what + 2, t);
    return 0;
}

int cfg_get_rate(struct slsim_error *err, const struct ynode *n, const char *key,
                    double *out)
{
    return cfg_get_parsed(err, n, key, "a rate", units_parse_rate, out);
}

int cfg_get_number(struct slsim_error *err, const struct ynode *n, const char *key,
                      double *out)
{
    return cfg_get_parsed(err, n, key, "a number", units_parse_number, out);
}

/* Decimal digits only (blanks around allowed): a seed or a count is never 1.5, -1,
 * 1e3 or 0x10, and guessing what such a thing meant would hide a mistake. */
int cfg_get_u64(struct slsim_error *err, const struct ynode *n, const char *key,
                   uint64_t *out)
{
    const char *t = cfg_want_scalar(err, n, key, "a whole number");
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
            return cfg_fail(err, n, key, "\"%s\" is too large (at most %llu)", t,
                        (unsigned long long)UINT64_MAX);
        v = v * 10 + d;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (!digits || *p)
        return cfg_fail(err, n, key, CFG_WANTS_WHOLE ", got \"%s\"", t);
    *out = v;
    return 0;
}

int cfg_get_u32_range(struct slsim_error *err, const struct ynode *n, const char *key,
                         uint32_t lo, uint32_t hi, uint32_t *out)
{
    uint64_t v;
    if (cfg_get_u64(err, n, key, &v))
        return -1;
    if (v < lo || v > hi)
        return cfg_fail(err, n, key, "must be from %u to %u, got %s", lo, hi, n->text);
    *out = (uint32_t)v;
    return 0;
}

/* Names of deployments are addressed by --set (deployments.NAME.key) and become
 * column and file names in reports, so they keep to a safe alphabet; platform
 * names are catalog keys, where a dot may appear. */
int cfg_is_ident(const char *t, int allow_dot)
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

int cfg_get_name(struct slsim_error *err, const struct ynode *n, const char *key,
                    enum name_rule rule, char out[SLSIM_NAME_MAX])
{
    const char *t = cfg_want_scalar(err, n, key, "a name");
    if (!t)
        return -1;
    if (!t[0])
        return cfg_fail(err, n, key, "a name must not be empty");
    if (strlen(t) >= SLSIM_NAME_MAX)
        return cfg_fail(err, n, key, "name \"%s\" is longer than %d characters", t,
                    SLSIM_NAME_MAX - 1);
    if (rule == NAME_TEXT) {
        for (const char *p = t; *p; p++)
            if ((unsigned char)*p < 0x20)
                return cfg_fail(err, n, key, "name contains a control character");
    } else if (!cfg_is_ident(t, rule == NAME_IDENT_DOT)) {
        return cfg_fail(err, n, key, "bad name \"%s\": use letters, digits, '-' and '_'%s", t,
                    rule == NAME_IDENT_DOT ? " and '.'" : "");
    }
    memcpy(out, t, strlen(t) + 1);
    return 0;
}

/* Index into names of n's text. later lists values of later versions. */
int cfg_get_enum(struct slsim_error *err, const struct ynode *n, const char *key,
                    const char *what, const char *const *names, const char *const *later,
                    int *out)
{
    char expect[64];
    snprintf(expect, sizeof expect, "one of the %s names", what);
    const char *t = cfg_want_scalar(err, n, key, expect);
    if (!t)
        return -1;
    for (int i = 0; names[i]; i++)
        if (strcmp(t, names[i]) == 0) {
            *out = i;
            return 0;
        }
    char all[200];
    cfg_join_list(all, sizeof all, names);
    if (cfg_in_list(t, later))
        return cfg_fail(err, n, key, "%s \"%s\" is not supported in this version of slsim; "
                    "expected one of: %s", what, t, all);
    const char *s = cfg_suggest(t, names);
    if (s)
        return cfg_fail(err, n, key, "unknown %s \"%s\"; did you mean \"%s\"? expected one of: %s",
                    what, t, s, all);
    return cfg_fail(err, n, key, "unknown %s \"%s\"; expected one of: %s", what, t, all);
}

char *cfg_read_file(const char *path, const char *what, size_t *len, struct slsim_error *err)
{
    char why[128];
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (strerror_r(errno, why, sizeof why))
            snprintf(why, sizeof why, "error %d", errno);
        slsim_error_set(err, path, 0, 0, NULL, "cannot open %s file: %s", what, why);
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
        slsim_error_set(err, path, 0, 0, NULL, "out of memory reading the %s file", what);
        return NULL;
    }
    if (ferror(f)) {
        int e = errno;
        if (strerror_r(e, why, sizeof why))
            snprintf(why, sizeof why, "error %d", e);
        fclose(f);
        free(buf);
        slsim_error_set(err, path, 0, 0, NULL, "cannot read %s file: %s", what, why);
        return NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}


int cfg_get_bool(struct slsim_error *err, const struct ynode *n, const char *key, int *out)
{
    const char *t = cfg_want_scalar(err, n, key, "true or false");
    if (!t)
        return -1;
    if (strcmp(t, "true") == 0)
        *out = 1;
    else if (strcmp(t, "false") == 0)
        *out = 0;
    else
        return cfg_fail(err, n, key, "expected true or false, got \"%s\"", t);
    return 0;
}
