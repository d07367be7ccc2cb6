/* sweep_round.c - a sweep's values made settings of their keys, and the hash that
 * ties an output file to the sweep that wrote it.
 *
 * Whether a value is a setting is the scenario loader's question, so each value is
 * tried by loading the scenario with it, and only a value the loader refuses is
 * rounded: to the nearest memory step of the deployment's platform (Lambda: 1 MiB),
 * or, where the loader asks for a whole number, to the nearest whole number. The
 * rounded value is loaded again and kept only if the loader takes it, so a rounding
 * never hides a mistake the loader would name. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "slsim/catalog.h"
#include "slsim/sweep.h"

/* Load path with sets and "key=value". 0 when the loader takes it, else -1 with err. */
static int try_value(const char *path, const char *const *sets, size_t n_sets,
                     const char *key, const char *value, struct slsim_error *err)
{
    const char **all = calloc(n_sets + 1, sizeof *all);
    size_t len = strlen(key) + strlen(value) + 2;
    char *set = malloc(len);
    int rc = -1;
    if (!all || !set) {
        slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
    } else {
        for (size_t i = 0; i < n_sets; i++)
            all[i] = sets[i];
        snprintf(set, len, "%s=%s", key, value);
        all[n_sets] = set;
        struct scenario *s = NULL;
        rc = scenario_load(path, all, n_sets + 1, &s, err);
        scenario_destroy(s);
    }
    free(all);
    free(set);
    return rc;
}

/* The serverless platform whose memory key is `key` ("deployments.NAME.memory" or
 * "deployments.NAME.overflow.memory") in s, or NULL. */
static const struct platform_profile *memory_platform(const struct scenario *s,
                                                      const char *key)
{
    static const char head[] = "deployments.";
    if (strncmp(key, head, sizeof head - 1) != 0)
        return NULL;
    const char *name = key + sizeof head - 1, *dot = strchr(name, '.');
    if (!dot)
        return NULL;
    size_t len = (size_t)(dot - name);
    if (strcmp(dot, ".memory") != 0 && strcmp(dot, ".overflow.memory") != 0)
        return NULL;
    for (size_t d = 0; d < s->n_deployments; d++) {
        const struct deployment_spec *spec = &s->deployments[d];
        if (strlen(spec->name) != len || strncmp(spec->name, name, len) != 0)
            continue;
        const struct serverless_spec *sl = deployment_serverless(spec);
        return sl ? catalog_find_platform(s->catalog, sl->platform) : NULL;
    }
    return NULL;
}

/* The setting nearest value, written into out, or 0 when there is nothing to round to
 * (value is no size or number of the kind, or lies outside the key's range). */
static int nearest_setting(const struct scenario *base, const char *key, const char *value,
                           int whole, char *out, size_t n)
{
    char why[200];
    if (whole) {
        double v;
        if (units_parse_number(value, &v, why, sizeof why) != 0 || !(v >= 0) || v > 4e18 ||
            v == floor(v))
            return 0;
        snprintf(out, n, "%.0f", floor(v + 0.5));
        return 1;
    }
    const struct platform_profile *p = memory_platform(base, key);
    int64_t bytes, below, above;
    if (!p || units_parse_size(value, &bytes, why, sizeof why) != 0 ||
        catalog_memory_is_setting(p, bytes))
        return 0;
    catalog_memory_nearest(p, bytes, &below, &above);
    if (!below && !above)
        return 0;
    /* Outside the platform's range, the nearest setting is the end it passed (a
     * 128MiB..12GiB sweep of Lambda ends on 10240MiB); halfway goes down: the smaller,
     * cheaper instance. */
    int64_t pick = !below ? above : !above ? below : above - bytes < bytes - below ? above : below;
    units_format_size(pick, out, n);
    return 1;
}

/* 1 when a and b are the same value: the same text, or the same duration, size or
 * rate written two ways (1m and 60s). */
static int same_value(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return 1;
    char why[200];
    sim_time ta, tb;
    int64_t sa, sb;
    double ra, rb;
    if (units_parse_duration(a, &ta, why, sizeof why) == 0 &&
        units_parse_duration(b, &tb, why, sizeof why) == 0)
        return ta == tb;
    if (units_parse_size(a, &sa, why, sizeof why) == 0 &&
        units_parse_size(b, &sb, why, sizeof why) == 0)
        return sa == sb;
    if (units_parse_rate(a, &ra, why, sizeof why) == 0 &&
        units_parse_rate(b, &rb, why, sizeof why) == 0)
        return ra == rb;
    return 0;
}

static char *dup_text(const char *t)
{
    size_t len = strlen(t) + 1;
    char *c = malloc(len);
    if (c)
        memcpy(c, t, len);
    return c;
}

int sweep_round_axis(const char *path, const char *const *sets, size_t n_sets,
                     const struct scenario *base, struct sweep_axis *axis,
                     struct slsim_error *err)
{
    size_t key_len = strlen(axis->key), refused = 0;
    struct slsim_error first_refusal = {0};
    for (size_t i = 0; i < axis->n; i++) {
        struct slsim_error why;
        if (try_value(path, sets, n_sets, axis->key, axis->values[i], &why) == 0)
            continue;
        if (!why.message[0] || strcmp(why.message, "out of memory") == 0)
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        /* A refusal inside the key's own text (an unknown key, a deployment of no such
         * name) is the key's, not the value's: every point would fail alike. In the
         * override "KEY=VALUE" the key takes the columns it takes in "KEY=VALUES". */
        if (strcmp(why.file, "--set") == 0 && why.column >= 1 &&
            (size_t)why.column <= key_len) {
            *err = why;
            snprintf(err->file, sizeof err->file, "--vary");
            return -1;
        }
        char rounded[SWEEP_MAX_VALUE_LEN];
        int whole = scenario_error_wants_whole_number(&why);
        struct slsim_error refusal = why;
        if (!nearest_setting(base, axis->key, axis->values[i], whole, rounded, sizeof rounded) ||
            try_value(path, sets, n_sets, axis->key, rounded, &why) != 0) {
            /* left as it is: its points fail with the loader's message */
            if (!refused++)
                first_refusal = refusal;
            continue;
        }
        if (!axis->given && !(axis->given = calloc(axis->n, sizeof *axis->given)))
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        char *copy = dup_text(rounded);
        if (!copy)
            return slsim_error_set(err, NULL, 0, 0, NULL, "out of memory");
        axis->given[i] = axis->values[i];
        axis->values[i] = copy;
    }
    if (refused == axis->n) {
        /* Not one value loads: a mistake in the values (a duration without its unit,
         * a range missing its step), not points to report one by one. */
        *err = first_refusal;
        if (strcmp(err->file, "--set") == 0) { /* the override was the --vary's value */
            snprintf(err->file, sizeof err->file, "--vary");
            err->line = err->column = 0;
        }
        if (axis->n > 1)
            snprintf(err->message + strlen(err->message),
                     sizeof err->message - strlen(err->message),
                     " (and every other value given for %s is refused too)", axis->key);
        return -1;
    }
    /* Values equal to an earlier one are dropped, the first kept in place. */
    size_t kept = 0;
    for (size_t i = 0; i < axis->n; i++) {
        int dup = 0;
        for (size_t j = 0; j < kept && !dup; j++)
            dup = same_value(axis->values[j], axis->values[i]);
        if (dup) {
            free(axis->values[i]);
            if (axis->given)
                free(axis->given[i]);
            axis->n_dropped++;
            continue;
        }
        axis->values[kept] = axis->values[i];
        if (axis->given)
            axis->given[kept] = axis->given[i];
        kept++;
    }
    axis->n = kept;
    return 0;
}

/* ---- the hash of a sweep ---- */

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* A text and its end, so "ab" + "c" and "a" + "bc" differ. */
static uint64_t fnv_text(uint64_t h, const char *t)
{
    return fnv(h, t, strlen(t) + 1);
}

int sweep_hash(const struct sweep *sw, const char *format, char out[17],
               struct slsim_error *err)
{
    FILE *f = fopen(sw->path, "rb");
    if (!f)
        return slsim_error_set(err, sw->path, 0, 0, NULL, "cannot read: %s", strerror(errno));
    uint64_t h = fnv_text(FNV_OFFSET, "slsim sweep " SLSIM_VERSION);
    unsigned char buf[65536];
    size_t got;
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        h = fnv(h, buf, got);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return slsim_error_set(err, sw->path, 0, 0, NULL, "cannot read");
    h = fnv_text(h, "\n--set");
    for (size_t i = 0; i < sw->n_sets; i++)
        h = fnv_text(h, sw->sets[i]);
    for (size_t a = 0; a < sw->n_axes; a++) {
        h = fnv_text(h, "\n--vary");
        h = fnv_text(h, sw->axes[a].key);
        for (size_t v = 0; v < sw->axes[a].n; v++)
            h = fnv_text(h, sw->axes[a].values[v]);
    }
    h = fnv_text(h, sw->zip ? "zip" : "grid");
    h = fnv_text(h, format);
    snprintf(out, 17, "%016llx", (unsigned long long)h);
    return 0;
}
